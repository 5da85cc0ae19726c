/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-control.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL_TOGGLE (capa_control_toggle_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlToggle, capa_control_toggle, CAPA, CONTROL_TOGGLE, CapaControl)

gboolean capa_control_toggle_get_value (CapaControlToggle *self);
void     capa_control_toggle_set_value (CapaControlToggle *self,
                                        gboolean           value);

G_END_DECLS
