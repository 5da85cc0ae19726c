/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-control.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL_DATE (capa_control_date_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlDate, capa_control_date, CAPA, CONTROL_DATE, CapaControl)

gint64     capa_control_date_get_value    (CapaControlDate *self);
void       capa_control_date_set_value    (CapaControlDate *self,
                                           gint64           unix_time);
GDateTime *capa_control_date_dup_datetime (CapaControlDate *self);

G_END_DECLS
