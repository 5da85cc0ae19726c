/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk-a11y.h>

#include "capa-film-strip.h"
#include "capa-thumbnailer.h"

G_BEGIN_DECLS

/* Geometry, in logical pixels: each image sits in a box of
 * box_width × box_height, cells follow one another every PITCH. */
#define DEFAULT_BOX_HEIGHT  96
#define MIN_BOX_HEIGHT      32
#define MAX_BOX_HEIGHT      480
#define V_PADDING           8
#define H_PADDING           8
#define CELL_SPACING        8
#define SELECTION_WIDTH     3
#define CORNER_RADIUS       4.0

/* The drawing surface of the film strip: a GtkDrawingArea that is
 * GtkScrollable, so the GtkScrolledWindow around it scrolls it without a
 * viewport and without a window as wide as the whole session.  It draws
 * nothing itself: the strip connects to its draw signal. */
#define CAPA_TYPE_FILM_STRIP_CANVAS (_capa_film_strip_canvas_get_type ())

G_DECLARE_FINAL_TYPE (CapaFilmStripCanvas, _capa_film_strip_canvas, CAPA, FILM_STRIP_CANVAS,
                      GtkDrawingArea)

void           _capa_film_strip_canvas_set_content_width (CapaFilmStripCanvas *self,
                                                          int                  width);
GtkAdjustment *_capa_film_strip_canvas_get_hadjustment   (CapaFilmStripCanvas *self);

/* The canvas's accessible: a list of the images (capa-film-strip-accessible.c). */
#define CAPA_TYPE_FILM_STRIP_ACCESSIBLE (_capa_film_strip_accessible_get_type ())

G_DECLARE_FINAL_TYPE (CapaFilmStripAccessible, _capa_film_strip_accessible, CAPA,
                      FILM_STRIP_ACCESSIBLE, GtkWidgetAccessible)

void _capa_film_strip_accessible_selection_changed (CapaFilmStripAccessible *self);
void _capa_film_strip_accessible_items_changed     (CapaFilmStripAccessible *self);

/* The images the strip shows, a shot's files (RAW + JPEG) as one
 * (capa-film-strip-pairs.c). */
#define CAPA_TYPE_FILM_STRIP_PAIRS (_capa_film_strip_pairs_get_type ())

G_DECLARE_FINAL_TYPE (CapaFilmStripPairs, _capa_film_strip_pairs, CAPA, FILM_STRIP_PAIRS,
                      GObject)

CapaFilmStripPairs *_capa_film_strip_pairs_new         (CapaSession        *session);
CapaImage          *_capa_film_strip_pairs_get_shown   (CapaFilmStripPairs *self,
                                                        CapaImage          *image);
gboolean            _capa_film_strip_pairs_shows_raw   (CapaFilmStripPairs *self,
                                                        CapaImage          *image);
CapaImage          *_capa_film_strip_pairs_peek_item   (CapaFilmStripPairs *self,
                                                        guint               position);
guint               _capa_film_strip_pairs_get_n_files (CapaFilmStripPairs *self,
                                                        CapaImage          *image,
                                                        guint              *n_raw);
char               *_capa_film_strip_pairs_dup_badge   (CapaFilmStripPairs *self,
                                                        CapaImage          *image);
char               *_capa_film_strip_pairs_dup_label   (CapaFilmStripPairs *self,
                                                        CapaImage          *image);

struct _CapaFilmStrip
{
  GtkBin               parent_instance;

  /* owned */
  CapaSession         *session;
  CapaFilmStripPairs  *pairs;             /* the items shown, with session */
  CapaImage           *selected;
  CapaImage           *deferred;          /* its thumbnail waits (see defer_thumbnail) */
  CapaColourProfile   *display_profile;
  CapaThumbnailer     *thumbnailer;
  GCancellable        *cancellable;       /* cancelled in dispose */
  GHashTable          *entries;           /* CapaImage * → Entry *, owned */
  GQueue               lru;               /* of Entry, loaded ones, most recent first */
  GQueue               loading;           /* of Entry, being loaded */
  gsize                cache_bytes;       /* pixels of the entries in lru */
  GPtrArray           *trashed;           /* paths moved to the trash last */
  GSimpleActionGroup  *actions;           /* the "strip" group */
  GtkWidget           *popover;
  cairo_surface_t     *broken_icon;
  int                  broken_icon_scale;

  gulong               items_changed_id;  /* on pairs */
  gulong               session_changed_id;
  guint                update_id;         /* idle: request the visible thumbnails */
  guint                retry_id;          /* timeout: try failed thumbnails again */

  CapaRenderingIntent  intent;
  guint                selected_pos;      /* model position, G_MAXUINT without selection */
  guint                generation;        /* bumped when the cell size or colours change */
  int                  box_width;         /* the thumbnail's box, in logical pixels */
  int                  box_height;
  int                  scale;
  guint                newest_first : 1;
  guint                loading_visible : 1;
  guint                scroll_pending : 1;

  /* template widgets */
  GtkScrolledWindow   *scroller;
  CapaFilmStripCanvas *canvas;
};

/* capa-film-strip-actions.c */
void     _capa_film_strip_init_actions   (CapaFilmStrip *self);
void     _capa_film_strip_update_actions (CapaFilmStrip *self);
gboolean _capa_film_strip_popup_menu     (CapaFilmStrip      *self,
                                          const GdkRectangle *rect);
void     _capa_film_strip_emit_error     (CapaFilmStrip *self,
                                          const GError  *error);
void     _capa_film_strip_emit_trashed   (CapaFilmStrip *self,
                                          guint          n_images);

/* capa-film-strip.c: geometry, places counted from the left end */
guint    _capa_film_strip_get_n_items        (CapaFilmStrip *self);
guint    _capa_film_strip_flip               (CapaFilmStrip *self,
                                              guint          index);
void     _capa_film_strip_get_box            (CapaFilmStrip *self,
                                              guint          place,
                                              GdkRectangle  *box);
void     _capa_film_strip_get_places_between (CapaFilmStrip *self,
                                              double         x0,
                                              double         x1,
                                              guint         *first,
                                              guint         *last);
void     _capa_film_strip_get_visible_places (CapaFilmStrip *self,
                                              guint         *first,
                                              guint         *last);
gboolean _capa_film_strip_get_cell_rect      (CapaFilmStrip *self,
                                              guint          position,
                                              GdkRectangle  *rect);
void     _capa_film_strip_set_loading        (CapaFilmStrip *self,
                                              gboolean       loading);
/* The image standing for the shot of @image (the JPEG of a RAW + JPEG),
 * as the strip shows and selects it: @image itself when it stands alone
 * or is not in the session.  And whether @image is a RAW standing alone
 * for its shot so far.  For the window, which selects as the strip does. */
CapaImage *_capa_film_strip_get_shown        (CapaFilmStrip *self,
                                              CapaImage     *image);
gboolean _capa_film_strip_shows_raw          (CapaFilmStrip *self,
                                              CapaImage     *image);

/* capa-film-strip-cells.c */
void     _capa_film_strip_init_cells         (CapaFilmStrip *self);
void     _capa_film_strip_clear_entries      (CapaFilmStrip *self);
void     _capa_film_strip_update_requests    (CapaFilmStrip *self);
void     _capa_film_strip_schedule_update    (CapaFilmStrip *self);
void     _capa_film_strip_reload_all         (CapaFilmStrip *self);
void     _capa_film_strip_defer_thumbnail    (CapaFilmStrip *self,
                                              CapaImage     *image);
gboolean _capa_film_strip_draw_cb            (GtkWidget     *canvas,
                                              cairo_t       *cr,
                                              CapaFilmStrip *self);

G_END_DECLS
