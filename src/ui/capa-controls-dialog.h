/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-camera.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROLS_DIALOG (capa_controls_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CapaControlsDialog, capa_controls_dialog, CAPA, CONTROLS_DIALOG, GtkWindow)

GtkWidget  *capa_controls_dialog_new        (GtkWindow          *parent,
                                             CapaCamera         *camera);
CapaCamera *capa_controls_dialog_get_camera (CapaControlsDialog *self);
void        capa_controls_dialog_set_camera_title (CapaControlsDialog *self,
                                                   const char         *title);

G_END_DECLS
