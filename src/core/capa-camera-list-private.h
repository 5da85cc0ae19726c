/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-camera-list.h"

G_BEGIN_DECLS

/* Called on the scanning thread (the worker of an asynchronous scan, the
 * caller's thread for a blocking one) once a scan has looked at the ports
 * and got its @generation, before its result goes back to the main
 * context. @n_found is how many cameras it saw. Tests use it to hold a
 * scan in the middle while a newer one completes. */
typedef void (*CapaCameraListScanHook) (CapaCameraList *self,
                                        guint           generation,
                                        guint           n_found,
                                        gpointer        user_data);

/* Installs (or with %NULL removes) the scan hook. Scans started after this
 * call use it; scans already running keep the hook they started with. */
void  _capa_camera_list_set_scan_hook            (CapaCameraList          *self,
                                                  CapaCameraListScanHook   hook,
                                                  gpointer                 user_data);

/* The generation of the newest scan whose result is in the list (0 before
 * any). Scans get increasing generations in the order they look at the
 * ports; an older result than this one is dropped, never applied. */
guint _capa_camera_list_get_applied_generation   (CapaCameraList          *self);

G_END_DECLS
