/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The private testing API of libcapa: every hook and counter that exists
 * only so that a test can hold a worker at a chosen point or count what
 * happened.  It is the one place such things are declared.
 *
 * Rules:
 *
 * - Every symbol here starts with `_capa_testing_` and is declared here
 *   only, never in another header.  It is defined in the .c file whose
 *   state it reaches (a hook needs the module's statics), next to a
 *   comment naming this header.
 * - Besides the .c files defining its functions, only tests/ and bench/
 *   include this header.  In src/, no file calls an `_capa_testing_`
 *   function, except the one that defines it;
 *   build-aux/check-testing-api.sh (the `testing-api` test) fails the suite
 *   otherwise.
 * - The cost in production is a NULL test of a hook, read under the lock
 *   the module already holds, and counters the module keeps anyway (a
 *   cache's size) or updates under a lock it already holds or with one
 *   atomic increment; no
 *   environment variable, no sleep, no code path taken only in tests.
 * - A hook is called on the thread named in its comment, without any lock
 *   of the module held, so it may block (a test holds a worker there and
 *   releases it later); it must not call back into the module it hooks.
 *   Setting a hook to %NULL turns it off; tests set it back to %NULL before
 *   they end.
 * - Everything here is compiled in every build: the tests run against the
 *   library that ships.
 * - Environment variables: src/ reads none that only tests set.  The one
 *   read by libcapa, CAPA_METADATA_READER (capa-image-metadata.c), is not
 *   part of this API: it is a runtime override of where the metadata
 *   reader helper is, set by the test suite and `meson devenv` so that the
 *   uninstalled tree runs the helper it built; it changes no code path.
 */

#pragma once

#include "capa-camera.h"
#include "capa-camera-list.h"
#include "capa-colour-profile.h"
#include "capa-colour-transform.h"
#include "capa-image.h"
#include "capa-thumbnailer.h"

G_BEGIN_DECLS

/* --- colour transforms (capa-colour-transform.c) --- */

/* How many transforms lcms2 has built in this process. */
guint        _capa_testing_colour_transform_get_n_created  (void);
/* How many transforms the cache holds now. */
guint        _capa_testing_colour_transform_get_n_cached   (void);
/* How many threads wait for another one to build the transform they asked
 * for. */
guint        _capa_testing_colour_transform_get_n_waiting  (void);
/* Empties the cache (a test starts from no transform built). */
void         _capa_testing_colour_transform_clear_cache    (void);

/* Called on the building thread, with no lock held, just before a
 * transform is built. */
typedef void (*CapaTestingColourBuildHook) (CapaColourProfile   *source,
                                            CapaColourProfile   *destination,
                                            CapaRenderingIntent  intent,
                                            gpointer             user_data);

void         _capa_testing_colour_transform_set_build_hook (CapaTestingColourBuildHook hook,
                                                            gpointer                   user_data);

/* --- camera list (capa-camera-list.c) --- */

/* Called on the scanning thread (the worker of an asynchronous scan, the
 * caller's thread for a blocking one) once a scan has looked at the ports
 * and got its @generation, before its result goes back to the main
 * context. @n_found is how many cameras it saw. Tests use it to hold a
 * scan in the middle while a newer one completes. */
typedef void (*CapaTestingCameraListScanHook) (CapaCameraList *self,
                                               guint           generation,
                                               guint           n_found,
                                               gpointer        user_data);

/* Installs (or with %NULL removes) the scan hook. Scans started after this
 * call use it; scans already running keep the hook they started with. */
void  _capa_testing_camera_list_set_scan_hook (CapaCameraList                *self,
                                              CapaTestingCameraListScanHook  hook,
                                              gpointer                       user_data);

/* The generation of the newest scan whose result is in the list (0 before
 * any). Scans get increasing generations in the order they look at the
 * ports; an older result than this one is dropped, never applied. */
guint        _capa_testing_camera_list_get_applied_generation (CapaCameraList *self);

/* --- GVFS unmount (capa-camera-gvfs.c) --- */

/* Called on the thread that looks the mounts up, at the start of each
 * capa_camera_unmount_gvfs_async() lookup. */
typedef void (*CapaTestingGvfsLookupHook) (gpointer user_data);

void         _capa_testing_camera_gvfs_set_lookup_hook (CapaTestingGvfsLookupHook hook,
                                                        gpointer                  user_data);

/* --- images (capa-image.c, capa-image-metadata.c) --- */

/* The DCT scale denominator (1, 2, 4 or 8) the JPEG decoder used for the
 * last pixbuf loaded through @self, or 0 when no JPEG was decoded. */
int          _capa_testing_image_get_last_scale_denom       (CapaImage *self);

/* How many colour profiles were made for images' metadata (embedded or
 * sRGB), in the whole process. */
guint        _capa_testing_image_get_n_colour_profiles_made (void);

/* --- session folder monitor (capa-session-monitor.c) --- */

/* Called with @used %FALSE on the worker thread once a file that appeared
 * has been read, before the result goes back to the main context; then
 * with %TRUE in the main context once the result was used.  A test holds
 * the read of a new file there while the folder changes. */
typedef void (*CapaTestingSessionReadHook) (const char *name,
                                            gboolean    used,
                                            gpointer    data);

void         _capa_testing_session_set_read_hook (CapaTestingSessionReadHook hook,
                                                  gpointer                   data);

/* --- tether writer (capa-tether-writer.c) --- */

/* Called on the writer thread before each piece is written to disk (a test
 * makes the disk slow by holding it). */
typedef void (*CapaTestingTetherWriteHook) (gpointer data);

void         _capa_testing_tether_set_write_hook (CapaTestingTetherWriteHook hook,
                                                  gpointer                   data);

/* --- thumbnailer (capa-thumbnailer.c) --- */

/* How many times this thumbnailer decoded a source file (successfully or
 * not), rather than reading a thumbnail back from a cache. */
guint        _capa_testing_thumbnailer_get_n_decoded   (CapaThumbnailer *self);
/* The most requests the worker pool ever made at the same time. */
guint        _capa_testing_thumbnailer_get_max_running (CapaThumbnailer *self);
/* Bytes of pixels held by the in-memory cache, and how many entries. */
gsize        _capa_testing_thumbnailer_get_memory_used (CapaThumbnailer *self);
guint        _capa_testing_thumbnailer_get_n_cached    (CapaThumbnailer *self);
/* Holds back the workers until released, so tests can queue requests;
 * from then on, the file names workers take are recorded in order. */
void         _capa_testing_thumbnailer_set_paused      (CapaThumbnailer *self,
                                                        gboolean         paused);
char       **_capa_testing_thumbnailer_dup_started     (CapaThumbnailer *self);

/* Called on the worker thread, with no lock held: when a file has been
 * decoded (before it is checked for changes and anything is recorded),
 * and when a thumbnail has been made (before it is kept in memory). */
typedef enum
{
  CAPA_TESTING_THUMBNAILER_HOOK_DECODED,
  CAPA_TESTING_THUMBNAILER_HOOK_MADE,
} CapaTestingThumbnailerHookStage;

typedef void (*CapaTestingThumbnailerHook) (CapaThumbnailer                 *self,
                                            CapaTestingThumbnailerHookStage  stage,
                                            const char                      *filename,
                                            gpointer                         user_data);

void         _capa_testing_thumbnailer_set_hook (CapaThumbnailer            *self,
                                                 CapaTestingThumbnailerHook  hook,
                                                 gpointer                    user_data);

/* --- camera jobs (capa-camera-job.c) --- */

/* Called on the camera's worker thread once a finished job's completion is
 * attached to its caller's main @context, before the worker lets go of that
 * context.  A test holds the worker there until the caller has its result
 * and has dropped the context. */
typedef void (*CapaTestingCameraPostHook) (GMainContext *context,
                                           gpointer      user_data);

void         _capa_testing_camera_set_post_hook (CapaTestingCameraPostHook hook,
                                                 gpointer                  user_data);

/* --- camera events (capa-camera-controls.c) --- */

/* Sets how long one event wait lasts at most, for every camera; 0 puts
 * back CAPA_CAMERA_EVENT_SLICE_MS. */
void         _capa_testing_camera_set_event_slice_ms        (guint       ms);
/* How many event waits with a timeout @camera's worker began. */
guint        _capa_testing_camera_get_n_event_waits         (CapaCamera *camera);
/* How many of them ended early because another job was queued. */
guint        _capa_testing_camera_get_n_event_waits_yielded (CapaCamera *camera);

G_END_DECLS
