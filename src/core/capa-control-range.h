/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-control.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL_RANGE (capa_control_range_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlRange, capa_control_range, CAPA, CONTROL_RANGE, CapaControl)

double capa_control_range_get_value (CapaControlRange *self);
void   capa_control_range_set_value (CapaControlRange *self,
                                     double            value);
double capa_control_range_get_min   (CapaControlRange *self);
double capa_control_range_get_max   (CapaControlRange *self);
double capa_control_range_get_step  (CapaControlRange *self);

G_END_DECLS
