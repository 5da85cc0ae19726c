/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-camera.h"
#include "capa-control.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL_ROW (capa_control_row_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlRow, capa_control_row, CAPA, CONTROL_ROW, GtkListBoxRow)

GtkWidget   *capa_control_row_new              (CapaCamera     *camera,
                                                CapaControl    *control);
CapaCamera  *capa_control_row_get_camera       (CapaControlRow *self);
CapaControl *capa_control_row_get_control      (CapaControlRow *self);
GtkWidget   *capa_control_row_get_value_widget (CapaControlRow *self);
gboolean     capa_control_row_get_busy         (CapaControlRow *self);

G_END_DECLS
