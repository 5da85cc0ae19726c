/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "capa-tether.h"

G_BEGIN_DECLS

#define CAPA_TYPE_TETHER_GROUP_SHOT (capa_tether_group_shot_get_type ())

G_DECLARE_FINAL_TYPE (CapaTetherGroupShot, capa_tether_group_shot, CAPA, TETHER_GROUP_SHOT,
                      GObject)

CapaTether   *capa_tether_group_shot_get_tether       (CapaTetherGroupShot  *self);
GPtrArray    *capa_tether_group_shot_get_images       (CapaTetherGroupShot  *self);
const GError *capa_tether_group_shot_get_error        (CapaTetherGroupShot  *self);
gint64        capa_tether_group_shot_get_trigger_time (CapaTetherGroupShot  *self);

#define CAPA_TYPE_TETHER_GROUP (capa_tether_group_get_type ())

G_DECLARE_FINAL_TYPE (CapaTetherGroup, capa_tether_group, CAPA, TETHER_GROUP, GObject)

CapaTetherGroup *capa_tether_group_new             (void);
void             capa_tether_group_add             (CapaTetherGroup      *self,
                                                    CapaTether           *tether);
void             capa_tether_group_remove          (CapaTetherGroup      *self,
                                                    CapaTether           *tether);
GListModel      *capa_tether_group_get_tethers     (CapaTetherGroup      *self);
void             capa_tether_group_capture_async   (CapaTetherGroup      *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray       *capa_tether_group_capture_finish  (CapaTetherGroup      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
gint64           capa_tether_group_get_last_spread (CapaTetherGroup      *self);

G_END_DECLS
