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
 *
 * Still declared in their module's *-private.h, to be moved here by the
 * owner of that module (rename, declare here, drop the old declaration,
 * include this header in the module and in its tests):
 *
 *   capa-camera-list.c   _capa_camera_list_set_scan_hook, CapaCameraListScanHook
 *                        -> _capa_testing_camera_list_set_scan_hook,
 *                           CapaTestingCameraListScanHook
 *                        _capa_camera_list_get_applied_generation
 *                        -> _capa_testing_camera_list_get_applied_generation
 *   capa-session-monitor.c  _capa_session_set_read_hook, CapaSessionReadHook
 *                        -> _capa_testing_session_set_read_hook,
 *                           CapaTestingSessionReadHook
 *   capa-thumbnailer.c   _capa_thumbnailer_set_hook, CapaThumbnailerHook(Stage)
 *                        -> _capa_testing_thumbnailer_set_hook,
 *                           CapaTestingThumbnailerHook(Stage)
 *                        _capa_thumbnailer_set_paused, _dup_started,
 *                        _get_n_decoded, _get_max_running, _get_memory_used,
 *                        _get_n_cached -> _capa_testing_thumbnailer_*
 *   capa-image.c         _capa_image_get_n_colour_profiles_made,
 *                        _capa_image_get_last_scale_denom
 *                        -> _capa_testing_image_*
 */

#pragma once

#include "capa-camera.h"
#include "capa-colour-profile.h"
#include "capa-colour-transform.h"

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

/* --- camera events (capa-camera-controls.c) --- */

/* Sets how long one event wait lasts at most, for every camera; 0 puts
 * back CAPA_CAMERA_EVENT_SLICE_MS. */
void         _capa_testing_camera_set_event_slice_ms        (guint       ms);
/* How many event waits with a timeout @camera's worker began. */
guint        _capa_testing_camera_get_n_event_waits         (CapaCamera *camera);
/* How many of them ended early because another job was queued. */
guint        _capa_testing_camera_get_n_event_waits_yielded (CapaCamera *camera);

G_END_DECLS
