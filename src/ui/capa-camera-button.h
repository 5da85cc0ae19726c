/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-camera-list.h"
#include "capa-camera.h"

G_BEGIN_DECLS

#define CAPA_TYPE_CAMERA_BUTTON (capa_camera_button_get_type ())

G_DECLARE_FINAL_TYPE (CapaCameraButton, capa_camera_button, CAPA, CAMERA_BUTTON, GtkMenuButton)

GtkWidget      *capa_camera_button_new             (void);
CapaCameraList *capa_camera_button_get_camera_list (CapaCameraButton *self);
void            capa_camera_button_set_camera_list (CapaCameraButton *self,
                                                    CapaCameraList   *camera_list);
CapaCamera     *capa_camera_button_get_camera      (CapaCameraButton *self);
void            capa_camera_button_set_camera      (CapaCameraButton *self,
                                                    CapaCamera       *camera);
const char     *capa_camera_button_get_status      (CapaCameraButton *self);
void            capa_camera_button_set_status      (CapaCameraButton *self,
                                                    const char       *status);

G_END_DECLS
