/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <handy.h>

#include "capa-session.h"

G_BEGIN_DECLS

#define CAPA_TYPE_PREFERENCES_WINDOW (capa_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CapaPreferencesWindow, capa_preferences_window,
                      CAPA, PREFERENCES_WINDOW, HdyPreferencesWindow)

GtkWidget   *capa_preferences_window_new              (GtkWindow             *parent,
                                                       GSettings             *settings);
GSettings   *capa_preferences_window_get_settings     (CapaPreferencesWindow *self);
CapaSession *capa_preferences_window_get_session      (CapaPreferencesWindow *self);
void         capa_preferences_window_set_session      (CapaPreferencesWindow *self,
                                                       CapaSession           *session);
char        *capa_preferences_window_dup_example_name (CapaPreferencesWindow *self);

G_END_DECLS
