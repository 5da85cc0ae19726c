/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-control.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL_GROUP (capa_control_group_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlGroup, capa_control_group, CAPA, CONTROL_GROUP, CapaControl)

GPtrArray   *capa_control_group_get_controls (CapaControlGroup *self);
CapaControl *capa_control_group_get_by_path  (CapaControlGroup *self,
                                              const char       *path);

G_END_DECLS
