/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "capa-camera-file.h"
#include "capa-control-group.h"

G_BEGIN_DECLS

/**
 * CAPA_CAMERA_ERROR:
 *
 * The error domain of camera operations. Errors carry libgphoto2's own
 * description of what went wrong.
 */
#define CAPA_CAMERA_ERROR (capa_camera_error_quark ())

/**
 * CapaCameraError:
 * @CAPA_CAMERA_ERROR_FAILED: the camera reported a failure of no other kind
 * @CAPA_CAMERA_ERROR_NOT_CONNECTED: the camera is not open
 * @CAPA_CAMERA_ERROR_NOT_SUPPORTED: the camera or its driver cannot do this
 * @CAPA_CAMERA_ERROR_BUSY: the camera is busy or locked by another program
 * @CAPA_CAMERA_ERROR_GVFS_LOCKED: the desktop's GVFS gphoto2 volume monitor
 *   holds the camera; unmount it with [method@Capa.Camera.unmount_gvfs_async]
 * @CAPA_CAMERA_ERROR_IO: communication with the camera failed
 * @CAPA_CAMERA_ERROR_DISCONNECTED: the camera was unplugged or stopped answering
 * @CAPA_CAMERA_ERROR_BAD_PARAMETER: the camera refused a value
 * @CAPA_CAMERA_ERROR_NOT_FOUND: no such file, folder, setting, model or port
 * @CAPA_CAMERA_ERROR_NO_SPACE: the memory card is full
 *
 * Errors of the %CAPA_CAMERA_ERROR domain.
 */
typedef enum
{
  CAPA_CAMERA_ERROR_FAILED,
  CAPA_CAMERA_ERROR_NOT_CONNECTED,
  CAPA_CAMERA_ERROR_NOT_SUPPORTED,
  CAPA_CAMERA_ERROR_BUSY,
  CAPA_CAMERA_ERROR_GVFS_LOCKED,
  CAPA_CAMERA_ERROR_IO,
  CAPA_CAMERA_ERROR_DISCONNECTED,
  CAPA_CAMERA_ERROR_BAD_PARAMETER,
  CAPA_CAMERA_ERROR_NOT_FOUND,
  CAPA_CAMERA_ERROR_NO_SPACE,
} CapaCameraError;

GQuark capa_camera_error_quark (void);

#define CAPA_TYPE_CAMERA (capa_camera_get_type ())

G_DECLARE_FINAL_TYPE (CapaCamera, capa_camera, CAPA, CAMERA, GObject)

CapaCamera       *capa_camera_new                   (const char           *model,
                                                     const char           *port);
const char       *capa_camera_get_model             (CapaCamera           *self);
const char       *capa_camera_get_port              (CapaCamera           *self);
gboolean          capa_camera_get_connected         (CapaCamera           *self);
gboolean          capa_camera_get_has_capture       (CapaCamera           *self);
gboolean          capa_camera_get_has_preview       (CapaCamera           *self);
gboolean          capa_camera_get_has_settings      (CapaCamera           *self);
const char       *capa_camera_get_manufacturer      (CapaCamera           *self);
const char       *capa_camera_get_summary           (CapaCamera           *self);
double            capa_camera_get_download_progress (CapaCamera           *self);
CapaControlGroup *capa_camera_get_controls          (CapaCamera           *self);
gboolean          capa_camera_get_has_bulb          (CapaCamera           *self);
double            capa_camera_get_bulb_remaining    (CapaCamera           *self);
guint             capa_camera_get_busy_timeout      (CapaCamera           *self);
void              capa_camera_set_busy_timeout      (CapaCamera           *self,
                                                     guint                 seconds);

gboolean          capa_camera_open                  (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_open_async            (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_open_finish           (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean          capa_camera_close                 (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_close_async           (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_close_finish          (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean          capa_camera_load_summary          (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_load_summary_async    (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_load_summary_finish   (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

CapaCameraFile   *capa_camera_capture_image         (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_capture_image_async   (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CapaCameraFile   *capa_camera_capture_image_finish  (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

GPtrArray        *capa_camera_capture_shot          (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_capture_shot_async    (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray        *capa_camera_capture_shot_finish   (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

GPtrArray        *capa_camera_capture_bulb          (CapaCamera           *self,
                                                     double                seconds,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_capture_bulb_async    (CapaCamera           *self,
                                                     double                seconds,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray        *capa_camera_capture_bulb_finish   (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean          capa_camera_set_keep_on_card      (CapaCamera           *self,
                                                     gboolean              keep_on_card,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_set_keep_on_card_async (CapaCamera          *self,
                                                     gboolean              keep_on_card,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_set_keep_on_card_finish (CapaCamera         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

CapaCameraFile   *capa_camera_preview_image         (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_preview_image_async   (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CapaCameraFile   *capa_camera_preview_image_finish  (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean          capa_camera_download_file         (CapaCamera           *self,
                                                     CapaCameraFile       *file,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_download_file_async   (CapaCamera           *self,
                                                     CapaCameraFile       *file,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_download_file_finish  (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean          capa_camera_delete_file           (CapaCamera           *self,
                                                     CapaCameraFile       *file,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_delete_file_async     (CapaCamera           *self,
                                                     CapaCameraFile       *file,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_delete_file_finish    (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

GPtrArray        *capa_camera_list_files            (CapaCamera           *self,
                                                     const char           *folder,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_list_files_async      (CapaCamera           *self,
                                                     const char           *folder,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray        *capa_camera_list_files_finish     (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean          capa_camera_process_events        (CapaCamera           *self,
                                                     guint                 wait_ms,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_process_events_async  (CapaCamera           *self,
                                                     guint                 wait_ms,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_process_events_finish (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean          capa_camera_load_controls         (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_load_controls_async   (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_load_controls_finish  (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

gboolean          capa_camera_save_controls         (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void              capa_camera_save_controls_async   (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_save_controls_finish  (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void              capa_camera_unmount_gvfs_async    (CapaCamera           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          capa_camera_unmount_gvfs_finish   (CapaCamera           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
