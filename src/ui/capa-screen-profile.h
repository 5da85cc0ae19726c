/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-colour-profile.h"
#include "capa-colour-transform.h"

G_BEGIN_DECLS

#define CAPA_TYPE_SCREEN_PROFILE (capa_screen_profile_get_type ())

G_DECLARE_FINAL_TYPE (CapaScreenProfile, capa_screen_profile, CAPA, SCREEN_PROFILE, GObject)

CapaScreenProfile   *capa_screen_profile_new                  (GtkWidget         *widget,
                                                               GSettings         *settings);

GtkWidget           *capa_screen_profile_get_widget           (CapaScreenProfile *self);
CapaColourProfile   *capa_screen_profile_get_profile          (CapaScreenProfile *self);
CapaColourProfile   *capa_screen_profile_get_detected_profile (CapaScreenProfile *self);
const char          *capa_screen_profile_get_detected_source  (CapaScreenProfile *self);
CapaRenderingIntent  capa_screen_profile_get_rendering_intent (CapaScreenProfile *self);
gboolean             capa_screen_profile_get_busy             (CapaScreenProfile *self);
void                 capa_screen_profile_reload               (CapaScreenProfile *self);

G_END_DECLS
