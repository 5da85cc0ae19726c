/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-camera-list.h"

G_BEGIN_DECLS

#define CAPA_TYPE_APPLICATION (capa_application_get_type ())

G_DECLARE_FINAL_TYPE (CapaApplication, capa_application, CAPA, APPLICATION, GtkApplication)

CapaApplication *capa_application_new                 (void);
GSettings       *capa_application_get_settings        (CapaApplication *self);
const char      *capa_application_get_session_folder  (CapaApplication *self);
const char      *capa_application_get_camera_port     (CapaApplication *self);
gboolean         capa_application_get_demo_camera     (CapaApplication *self);
void             capa_application_set_demo_camera     (CapaApplication *self,
                                                       gboolean         demo_camera);
CapaCameraList  *capa_application_get_camera_list     (CapaApplication *self);

G_END_DECLS
