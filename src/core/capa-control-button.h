/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-control.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL_BUTTON (capa_control_button_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlButton, capa_control_button, CAPA, CONTROL_BUTTON, CapaControl)

void capa_control_button_press (CapaControlButton *self);

G_END_DECLS
