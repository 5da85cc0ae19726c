/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CAPA_TYPE_NETWORK_CAMERA_DIALOG (capa_network_camera_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CapaNetworkCameraDialog, capa_network_camera_dialog,
                      CAPA, NETWORK_CAMERA_DIALOG, GtkDialog)

GtkWidget  *capa_network_camera_dialog_new       (GtkWindow               *parent);
char       *capa_network_camera_dialog_dup_port  (CapaNetworkCameraDialog *self);
const char *capa_network_camera_dialog_get_model (CapaNetworkCameraDialog *self);
void        capa_network_camera_dialog_set_error (CapaNetworkCameraDialog *self,
                                                  const char              *message);
gboolean    capa_network_camera_dialog_get_models_loaded (CapaNetworkCameraDialog *self);

G_END_DECLS
