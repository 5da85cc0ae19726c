/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-application.h"
#include "capa-session.h"
#include "capa-tether.h"

G_BEGIN_DECLS

#define CAPA_TYPE_WINDOW (capa_window_get_type ())

G_DECLARE_FINAL_TYPE (CapaWindow, capa_window, CAPA, WINDOW, GtkApplicationWindow)

CapaWindow  *capa_window_new               (CapaApplication *application);
CapaSession *capa_window_get_session       (CapaWindow      *self);
void         capa_window_set_session       (CapaWindow      *self,
                                            CapaSession     *session);
CapaTether  *capa_window_get_tether        (CapaWindow      *self);
void         capa_window_set_tether        (CapaWindow      *self,
                                            CapaTether      *tether);
GListModel  *capa_window_get_tethers       (CapaWindow      *self);
void         capa_window_add_header_widget (CapaWindow      *self,
                                            GtkWidget       *widget,
                                            GtkPackType      pack_type);
void         capa_window_show_error        (CapaWindow      *self,
                                            const char      *primary,
                                            const char      *secondary);
void         capa_window_show_message      (CapaWindow      *self,
                                            GtkMessageType   type,
                                            const char      *text,
                                            const char      *detail,
                                            const char      *button_label,
                                            const char      *action_name,
                                            GVariant        *target);
CapaImage   *capa_window_get_selected_image (CapaWindow     *self);
void         capa_window_set_selected_image (CapaWindow     *self,
                                             CapaImage      *image);

G_END_DECLS
