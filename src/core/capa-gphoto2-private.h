/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <gphoto2/gphoto2.h>

G_BEGIN_DECLS

/* libgphoto2 handles, released with g_autoptr(). */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Camera, gp_camera_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CameraFile, gp_file_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GPContext, gp_context_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CameraWidget, gp_widget_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CameraList, gp_list_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CameraAbilitiesList, gp_abilities_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GPPortInfoList, gp_port_info_list_free)

/* libgphoto2 loads its drivers with libltdl, which is not thread-safe:
 * every call that may load or unload a driver (loading the port or model
 * lists, detecting, opening or releasing a camera) runs under this
 * process-wide recursive lock. */
void                 _capa_gp_lock              (void);
void                 _capa_gp_unlock            (void);
/* gp_camera_exit() and gp_camera_unref() under the lock; clears @camera. */
void                 _capa_gp_camera_release    (Camera    **camera,
                                                 GPContext  *context);

/* libgphoto2's list of camera models, loaded once per process (the
 * drivers do not change while it runs) and only read afterwards. */
CameraAbilitiesList *_capa_gp_get_abilities_list (GError **error);

/* The demo camera (capa-demo-camlibs.c): from now on, the list of models
 * holds "Capa Demo Camera". Before libgphoto2 first loads its drivers,
 * this makes the private driver folder and points CAMLIBS at it; after,
 * the next _capa_gp_get_abilities_list () loads a new list from that
 * folder. FALSE when the folder cannot be made (the driver is missing).
 * Never waits for libgphoto2 busy on another thread: then the list is
 * loaded again later, as above. */
gboolean  _capa_gp_want_demo_camera     (GError     **error);
/* Under the lock: the private folder holding the demo driver and links to
 * the other drivers, made on the first call (and CAMLIBS pointed at it
 * when @point_camlibs). */
const char *_capa_demo_camlibs_get_dir  (gboolean     point_camlibs,
                                         GError     **error);

/* Result codes of libgphoto2 that mean the device went away. */
gboolean  _capa_gp_result_is_disconnect (int          result);

/* Maps a libgphoto2 result to a GError in CAPA_CAMERA_ERROR (or
 * G_IO_ERROR_CANCELLED for GP_ERROR_CANCEL), with @what as a translated
 * description of the failed step and @context_error the last error text
 * the GPContext reported (may be NULL). */
void      _capa_gp_set_error            (GError     **error,
                                         int          result,
                                         const char  *context_error,
                                         const char  *what);

/* libgphoto2's drivers write the labels and choices of their settings,
 * and their summaries, in the user's language: through libgphoto2's own
 * gettext domain (ptp2 marks "Memory card", "Internal RAM", "Bulb" and
 * "Model: %s\n" so). What Capa reads for its meaning is matched on the
 * English text and on libgphoto2's translation of it. */

/* Whether @text (nullable) is @msgid in English or in libgphoto2's
 * translation, ignoring case. */
gboolean  _capa_gp_text_is              (const char  *text,
                                         const char  *msgid);
/* The value of the line of @summary (nullable) that a driver writes with
 * @format, a libgphoto2 msgid such as ptp2's "Model: %s\n", in English or
 * translated; NULL when there is no such line or it is empty. */
char     *_capa_gp_summary_dup_field    (const char  *summary,
                                         const char  *format);
/* gp_camera_get_single_config () with the driver's texts in English (its
 * calls to gettext made in the "C" locale, on this thread only), for a
 * value read for its meaning, never for showing it. */
int       _capa_gp_get_single_config_untranslated (Camera        *camera,
                                                   const char    *name,
                                                   CameraWidget **widget,
                                                   GPContext     *context);

/* Matches a GVFS gphoto2 mount or volume to a camera on @port (such as
 * "usb:001,004") with @model: @uri is the activation root or mount root
 * (gphoto2://[usb:001,004]/ or gphoto2://Nikon_DSC_D750/), @unix_device
 * the volume's unix-device identifier (/dev/bus/usb/001/004), both
 * nullable. */
gboolean  _capa_gvfs_matches_camera     (const char  *uri,
                                         const char  *unix_device,
                                         const char  *model,
                                         const char  *port);

G_END_DECLS
