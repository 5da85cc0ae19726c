/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What the files of CapaImageView share: capa-image-view.c (loading,
 * colour, drawing, properties) and capa-image-view-input.c (zoom and
 * pan). */

#pragma once

#include <handy.h>

#include "capa-image-view.h"

G_BEGIN_DECLS

#define N_QUALITIES       3
#define MIN_ZOOM          0.01
#define MAX_ZOOM          16.0

struct _CapaImageView
{
  GtkBin               parent_instance;

  /* owned */
  CapaImage           *image;
  CapaColourProfile   *display_profile;
  GCancellable        *cancellable;         /* every load of the current generation */
  GCancellable        *screen_cancellable;  /* the SCREEN load, redone on resize */
  GdkPixbuf           *pending[N_QUALITIES];  /* loaded, waiting for the colour profile */
  cairo_surface_t     *surfaces[N_QUALITIES]; /* colour managed, ready to draw */
  cairo_surface_t     *stale;               /* shown until the first surface of a new colour */
  GPtrArray           *spares;              /* of cairo_surface_t: made by make_target(), unused */
  guint                n_targets_made;      /* surfaces make_target() made anew */

  CapaRenderingIntent  rendering_intent;
  guint                generation;          /* bumped on a new image or colour */

  /* the image */
  int                  natural_width;       /* upright, 0 until its metadata is read */
  int                  natural_height;
  int                  screen_box_width;    /* the box the SCREEN load was asked for */
  int                  screen_box_height;
  guint                metadata_done : 1;   /* read, or failed */
  guint                full_requested : 1;
  guint                broken : 1;

  /* zoom and pan */
  double               zoom;
  double               center_x;            /* the image point at the view's centre, */
  double               center_y;            /* as a fraction of its width and height */
  guint                zoom_to_fit : 1;
  guint                resize_timeout_id;

  /* "painted" */
  int                  unreported;          /* the quality of a new surface, or -1 */
  int                  frame_drew;          /* what this frame drew of it, or -1 */
  GdkFrameClock       *frame_clock;
  gulong               after_paint_id;

  /* gestures */
  GtkGesture          *drag;
  GtkGesture          *pinch;
  double               drag_center_x;
  double               drag_center_y;
  double               pinch_zoom;

  /* template widgets */
  GtkOverlay          *overlay;
  GtkStack            *stack;
  GtkDrawingArea      *canvas;
  HdyStatusPage       *broken_page;
  GtkWidget           *info_box;
  GtkLabel            *exposure_label;
  GtkLabel            *zoom_label;
};

/* capa-image-view.c */
int      _capa_image_view_get_scale_factor       (CapaImageView  *self);
/* The canvas's allocated size, in logical pixels. */
void     _capa_image_view_get_view_size          (CapaImageView  *self,
                                                  int            *width,
                                                  int            *height);
/* The zoom at which the image fits the view, never above 1. */
double   _capa_image_view_get_fit_zoom           (CapaImageView  *self);
/* Sets :zoom without touching :zoom-to-fit, notifying. */
void     _capa_image_view_set_zoom_internal      (CapaImageView  *self,
                                                  double          zoom);
/* Where a surface of that many device pixels is drawn on the canvas. */
void     _capa_image_view_compute_image_rect     (CapaImageView  *self,
                                                  int             surface_width,
                                                  int             surface_height,
                                                  gboolean        may_enlarge,
                                                  double         *x,
                                                  double         *y,
                                                  double         *width,
                                                  double         *height);
/* The width of the image on the screen in device pixels, 0 if unknown. */
double   _capa_image_view_get_device_width       (CapaImageView  *self);

/* capa-image-view-input.c */
void     _capa_image_view_init_input             (CapaImageView  *self);
gboolean _capa_image_view_key_press_event        (GtkWidget      *widget,
                                                  GdkEventKey    *event);
gboolean _capa_image_view_on_canvas_scroll_event (GtkWidget      *widget,
                                                  GdkEventScroll *event,
                                                  CapaImageView  *self);

/* capa-image-view-shm.c: images shared with the X server */
typedef struct _CapaShmImage CapaShmImage;

gboolean         _capa_shm_image_supported         (GdkWindow        *window);
CapaShmImage    *_capa_shm_image_new               (int               width,
                                                    int               height,
                                                    GError          **error);
guint8          *_capa_shm_image_get_data          (CapaShmImage     *self,
                                                    gsize            *stride);
void             _capa_shm_image_get_size          (CapaShmImage     *self,
                                                    int              *width,
                                                    int              *height);
void             _capa_shm_image_free              (CapaShmImage     *self);
cairo_surface_t *_capa_shm_image_make_surface      (CapaShmImage     *self,
                                                    GdkWindow        *window);
CapaShmImage    *_capa_shm_image_from_surface      (cairo_surface_t  *surface,
                                                    gboolean          for_writing);
/* The surfaces the view draws; the pixels of a pixbuf in cairo's RGB24 or
 * premultiplied ARGB32 (format_of). */
cairo_format_t   _capa_image_view_format_of          (GdkPixbuf        *pixbuf);
void             _capa_image_view_write_pixels       (GdkPixbuf        *pixbuf,
                                                      guint8           *data,
                                                      gsize             stride);
cairo_surface_t *_capa_image_view_surface_from_pixbuf (GdkPixbuf       *pixbuf);
cairo_surface_t *_capa_image_view_make_target        (CapaImageView    *self,
                                                      GdkPixbuf        *pixbuf,
                                                      guint8          **pixels,
                                                      gsize            *stride,
                                                      gboolean         *shared);
cairo_surface_t *_capa_image_view_lend_to_display    (CapaImageView    *self,
                                                      CapaShmImage     *shm);
void             _capa_image_view_release_surface    (CapaImageView    *self,
                                                      cairo_surface_t  *surface);
/* The size and format of a surface the view draws, shared or in memory. */
void             _capa_image_view_get_surface_size   (cairo_surface_t *surface,
                                                      int             *width,
                                                      int             *height);
int              _capa_image_view_get_surface_width  (cairo_surface_t *surface);
int              _capa_image_view_get_surface_height (cairo_surface_t *surface);
cairo_format_t   _capa_image_view_get_surface_format (cairo_surface_t *surface);

/* For tests: how many surfaces shared with the display the view made anew
 * (not taken from its spares). */
guint    _capa_image_view_get_n_surfaces_made    (CapaImageView  *self);

G_END_DECLS
