/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "capa-camera.h"

G_BEGIN_DECLS

/**
 * CAPA_DEMO_CAMERA_MODEL:
 *
 * The model name of the demo camera (see
 * [property@Capa.CameraList:demo-camera]).
 */
#define CAPA_DEMO_CAMERA_MODEL "Capa Demo Camera"

/**
 * CAPA_DEMO_CAMERA_PORT:
 *
 * The port of the demo camera (see [property@Capa.CameraList:demo-camera]).
 * Its driver never reads or writes it: nothing is sent on the network.
 */
#define CAPA_DEMO_CAMERA_PORT "ptpip:demo"

/**
 * CAPA_NETWORK_CAMERA_GENERIC_MODEL:
 *
 * libgphoto2's model name for a PTP/IP camera of any make, whose driver
 * finds out the rest when it opens the camera: the model of a network
 * camera added without one (see
 * [method@Capa.CameraList.add_network_camera]).
 */
#define CAPA_NETWORK_CAMERA_GENERIC_MODEL "PTP/IP Camera"

#define CAPA_TYPE_CAMERA_LIST (capa_camera_list_get_type ())

G_DECLARE_FINAL_TYPE (CapaCameraList, capa_camera_list, CAPA, CAMERA_LIST, GObject)

CapaCameraList *capa_camera_list_new                (void);
gboolean        capa_camera_list_refresh            (CapaCameraList       *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void            capa_camera_list_refresh_async      (CapaCameraList       *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean        capa_camera_list_refresh_finish     (CapaCameraList       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
GPtrArray      *capa_camera_list_get_cameras        (CapaCameraList       *self);
CapaCamera     *capa_camera_list_find               (CapaCameraList       *self,
                                                     const char           *model,
                                                     const char           *port);
CapaCamera     *capa_camera_list_add_network_camera (CapaCameraList       *self,
                                                     const char           *port,
                                                     const char           *model,
                                                     GError              **error);
gboolean        capa_camera_list_remove_network_camera (CapaCameraList *self,
                                                        const char     *port,
                                                        const char     *model);
gboolean        capa_camera_list_is_network_camera  (CapaCameraList       *self,
                                                     CapaCamera           *camera);
gboolean        capa_camera_list_check_network_port (const char           *port,
                                                     GError              **error);
void            capa_camera_list_get_network_models_async  (GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
char          **capa_camera_list_get_network_models_finish (GAsyncResult        *result,
                                                            GError             **error);
gboolean        capa_camera_list_get_monitoring     (CapaCameraList       *self);
void            capa_camera_list_set_monitoring     (CapaCameraList       *self,
                                                     gboolean              monitoring);
gboolean        capa_camera_list_get_demo_camera    (CapaCameraList       *self);
void            capa_camera_list_set_demo_camera    (CapaCameraList       *self,
                                                     gboolean              demo_camera);

G_END_DECLS
