/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "capa-camera.h"
#include "capa-image.h"
#include "capa-session.h"

G_BEGIN_DECLS

#define CAPA_TYPE_TETHER (capa_tether_get_type ())

G_DECLARE_FINAL_TYPE (CapaTether, capa_tether, CAPA, TETHER, GObject)

CapaTether  *capa_tether_new                    (CapaCamera           *camera,
                                                 CapaSession          *session);
CapaCamera  *capa_tether_get_camera             (CapaTether           *self);
CapaSession *capa_tether_get_session            (CapaTether           *self);
gboolean     capa_tether_get_delete_from_camera (CapaTether           *self);
void         capa_tether_set_delete_from_camera (CapaTether           *self,
                                                 gboolean              delete_from_camera);

const char  *capa_tether_get_camera_tag         (CapaTether           *self);
void         capa_tether_set_camera_tag         (CapaTether           *self,
                                                 const char           *camera_tag);

gboolean     capa_tether_get_keep_on_card       (CapaTether           *self);
void         capa_tether_set_keep_on_card       (CapaTether           *self,
                                                 gboolean              keep_on_card);

CapaImage   *capa_tether_capture                (CapaTether           *self,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
void         capa_tether_capture_async          (CapaTether           *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
CapaImage   *capa_tether_capture_finish         (CapaTether           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

GPtrArray   *capa_tether_capture_all            (CapaTether           *self,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
void         capa_tether_capture_all_async      (CapaTether           *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray   *capa_tether_capture_all_finish     (CapaTether           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

GPtrArray   *capa_tether_capture_bulb           (CapaTether           *self,
                                                 double                seconds,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
void         capa_tether_capture_bulb_async     (CapaTether           *self,
                                                 double                seconds,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray   *capa_tether_capture_bulb_finish    (CapaTether           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

gboolean     capa_tether_get_monitoring         (CapaTether           *self);
void         capa_tether_start_monitoring       (CapaTether           *self);
void         capa_tether_stop_monitoring        (CapaTether           *self);

gboolean     capa_tether_get_previewing         (CapaTether           *self);
void         capa_tether_start_preview          (CapaTether           *self);
void         capa_tether_stop_preview           (CapaTether           *self);

G_END_DECLS
