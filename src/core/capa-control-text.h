/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-control.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL_TEXT (capa_control_text_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlText, capa_control_text, CAPA, CONTROL_TEXT, CapaControl)

const char *capa_control_text_get_value (CapaControlText *self);
void        capa_control_text_set_value (CapaControlText *self,
                                         const char      *value);

G_END_DECLS
