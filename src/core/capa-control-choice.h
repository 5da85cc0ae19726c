/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-control.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL_CHOICE (capa_control_choice_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlChoice, capa_control_choice, CAPA, CONTROL_CHOICE, CapaControl)

const char         *capa_control_choice_get_value   (CapaControlChoice *self);
void                capa_control_choice_set_value   (CapaControlChoice *self,
                                                     const char        *value);
const char * const *capa_control_choice_get_choices (CapaControlChoice *self);
gboolean            capa_control_choice_get_is_menu (CapaControlChoice *self);

G_END_DECLS
