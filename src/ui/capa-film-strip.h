/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-colour-profile.h"
#include "capa-colour-transform.h"
#include "capa-image.h"
#include "capa-session.h"

G_BEGIN_DECLS

#define CAPA_TYPE_FILM_STRIP (capa_film_strip_get_type ())

G_DECLARE_FINAL_TYPE (CapaFilmStrip, capa_film_strip, CAPA, FILM_STRIP, GtkBin)

CapaFilmStrip       *capa_film_strip_new                 (void);

CapaSession         *capa_film_strip_get_session         (CapaFilmStrip        *self);
void                 capa_film_strip_set_session         (CapaFilmStrip        *self,
                                                          CapaSession          *session);
CapaImage           *capa_film_strip_get_selected_image  (CapaFilmStrip        *self);
void                 capa_film_strip_set_selected_image  (CapaFilmStrip        *self,
                                                          CapaImage            *image);
void                 capa_film_strip_select_image        (CapaFilmStrip        *self,
                                                          CapaImage            *image);
gboolean             capa_film_strip_get_newest_first    (CapaFilmStrip        *self);
void                 capa_film_strip_set_newest_first    (CapaFilmStrip        *self,
                                                          gboolean              newest_first);
CapaColourProfile   *capa_film_strip_get_display_profile (CapaFilmStrip        *self);
void                 capa_film_strip_set_display_profile (CapaFilmStrip        *self,
                                                          CapaColourProfile    *profile);
CapaRenderingIntent  capa_film_strip_get_rendering_intent (CapaFilmStrip       *self);
void                 capa_film_strip_set_rendering_intent (CapaFilmStrip       *self,
                                                           CapaRenderingIntent  intent);
gboolean             capa_film_strip_get_loading         (CapaFilmStrip        *self);

void                 capa_film_strip_trash_selected      (CapaFilmStrip        *self);
void                 capa_film_strip_undo_trash_async    (CapaFilmStrip        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
guint                capa_film_strip_undo_trash_finish   (CapaFilmStrip        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
