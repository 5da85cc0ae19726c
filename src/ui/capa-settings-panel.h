/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-camera.h"

G_BEGIN_DECLS

#define CAPA_TYPE_SETTINGS_PANEL (capa_settings_panel_get_type ())

G_DECLARE_FINAL_TYPE (CapaSettingsPanel, capa_settings_panel, CAPA, SETTINGS_PANEL, GtkBin)

CapaSettingsPanel  *capa_settings_panel_new                  (void);
CapaCamera         *capa_settings_panel_get_camera           (CapaSettingsPanel *self);
void                capa_settings_panel_set_camera           (CapaSettingsPanel *self,
                                                              CapaCamera        *camera);
const char         *capa_settings_panel_get_camera_title     (CapaSettingsPanel *self);
void                capa_settings_panel_set_camera_title     (CapaSettingsPanel *self,
                                                              const char        *title);
char              **capa_settings_panel_dup_control_names    (CapaSettingsPanel *self);
void                capa_settings_panel_set_control_names    (CapaSettingsPanel *self,
                                                              const char * const *names);
char               *capa_settings_panel_dup_settings_path    (const char        *model);

G_END_DECLS
