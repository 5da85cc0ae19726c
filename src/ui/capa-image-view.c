/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaImageView: one image, colour managed, fitted or zoomed, shown in
 * steps (the embedded preview, the image at the size on the screen, the
 * full resolution when zoomed in), each decoded and colour transformed on
 * worker threads; with an overlay layer above it for live-view aids. */

#define G_LOG_DOMAIN "Capa-ImageView"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <handy.h>

#include "capa-enum-types.h"
#include "capa-image-view.h"
#include "capa-image-view-private.h"

/* A resized view loads the image again at its new size once the size has
 * stayed put this long. */
#define RESIZE_RELOAD_MS  150
/* The background behind the image: a neutral dark grey. */
#define BACKGROUND_GREY   (0x1c / 255.0)

G_DEFINE_FINAL_TYPE (CapaImageView, capa_image_view, GTK_TYPE_BIN)

G_DEFINE_ENUM_TYPE (CapaImageViewQuality, capa_image_view_quality,
                    G_DEFINE_ENUM_VALUE (CAPA_IMAGE_VIEW_QUALITY_PREVIEW, "preview"),
                    G_DEFINE_ENUM_VALUE (CAPA_IMAGE_VIEW_QUALITY_SCREEN, "screen"),
                    G_DEFINE_ENUM_VALUE (CAPA_IMAGE_VIEW_QUALITY_FULL, "full"))

enum {
  PROP_0,
  PROP_IMAGE,
  PROP_DISPLAY_PROFILE,
  PROP_RENDERING_INTENT,
  PROP_ZOOM,
  PROP_ZOOM_TO_FIT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PAINTED,
  SIGNAL_ERROR,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void start_screen_load (CapaImageView *self);
static void maybe_load_full (CapaImageView *self);
static void update_info (CapaImageView *self);

/* ---- geometry ---- */

int
_capa_image_view_get_scale_factor (CapaImageView *self)
{
  return MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self->canvas)));
}

void
_capa_image_view_get_view_size (CapaImageView *self,
                                int           *width,
                                int           *height)
{
  *width = gtk_widget_get_allocated_width (GTK_WIDGET (self->canvas));
  *height = gtk_widget_get_allocated_height (GTK_WIDGET (self->canvas));
}

static gboolean
view_is_allocated (CapaImageView *self)
{
  int width, height;

  _capa_image_view_get_view_size (self, &width, &height);
  return gtk_widget_get_realized (GTK_WIDGET (self->canvas)) && width > 1 && height > 1;
}

/* The zoom at which the image fits the view: never above 100 %. */
double
_capa_image_view_get_fit_zoom (CapaImageView *self)
{
  int width, height, scale = _capa_image_view_get_scale_factor (self);

  if (self->natural_width <= 0 || self->natural_height <= 0)
    return 1.0;

  _capa_image_view_get_view_size (self, &width, &height);
  return MIN (1.0, MIN ((double) width * scale / self->natural_width,
                        (double) height * scale / self->natural_height));
}

void
_capa_image_view_set_zoom_internal (CapaImageView *self,
                                    double         zoom)
{
  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (fabs (self->zoom - zoom) < 1e-9)
    return;

  self->zoom = zoom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  update_info (self);
}

/* The surface to draw: the sharpest one with enough pixels for
 * @device_width, else the largest there is. */
static int
choose_surface (CapaImageView *self,
                double         device_width)
{
  cairo_surface_t *screen = self->surfaces[CAPA_IMAGE_VIEW_QUALITY_SCREEN];
  cairo_surface_t *full = self->surfaces[CAPA_IMAGE_VIEW_QUALITY_FULL];

  if (full != NULL &&
      (screen == NULL || _capa_image_view_get_surface_width (screen) + 1 < device_width))
    return CAPA_IMAGE_VIEW_QUALITY_FULL;
  if (screen != NULL)
    return CAPA_IMAGE_VIEW_QUALITY_SCREEN;
  if (self->surfaces[CAPA_IMAGE_VIEW_QUALITY_PREVIEW] != NULL)
    return CAPA_IMAGE_VIEW_QUALITY_PREVIEW;

  return -1;
}

/* Where the image is drawn, in the canvas's coordinates (logical pixels),
 * for a surface of @surface_width × @surface_height device pixels. */
void
_capa_image_view_compute_image_rect (CapaImageView *self,
                                     int            surface_width,
                                     int            surface_height,
                                     gboolean       may_enlarge,
                                     double        *x,
                                     double        *y,
                                     double        *width,
                                     double        *height)
{
  int view_width, view_height, scale = _capa_image_view_get_scale_factor (self);
  double image_width, image_height;

  _capa_image_view_get_view_size (self, &view_width, &view_height);

  if (self->natural_width > 0 && self->natural_height > 0)
    {
      double zoom = self->zoom_to_fit ? _capa_image_view_get_fit_zoom (self) : self->zoom;

      image_width = self->natural_width * zoom / scale;
      image_height = self->natural_height * zoom / scale;
    }
  else
    {
      /* Not yet known: the surface, fitted to the view; the loaded steps
       * are fitted already (never enlarged), the preview may be smaller
       * than the image. */
      double fit = MIN ((double) view_width * scale / surface_width,
                        (double) view_height * scale / surface_height);

      if (!may_enlarge)
        fit = MIN (fit, 1.0);

      image_width = surface_width * fit / scale;
      image_height = surface_height * fit / scale;
    }

  /* Within a device pixel of the surface's own size: drawn as it is, so
   * that its colour-managed pixels reach the screen unchanged. */
  if (fabs (image_width * scale - surface_width) < 1.0 &&
      fabs (image_height * scale - surface_height) < 1.0)
    {
      image_width = (double) surface_width / scale;
      image_height = (double) surface_height / scale;
    }

  if (image_width <= view_width)
    *x = (view_width - image_width) / 2.0;
  else
    *x = CLAMP (view_width / 2.0 - self->center_x * image_width, view_width - image_width, 0.0);

  if (image_height <= view_height)
    *y = (view_height - image_height) / 2.0;
  else
    *y = CLAMP (view_height / 2.0 - self->center_y * image_height,
                view_height - image_height, 0.0);

  *x = round (*x * scale) / scale;
  *y = round (*y * scale) / scale;
  *width = image_width;
  *height = image_height;
}

/* The displayed size of the image, in device pixels, or 0 when unknown. */
double
_capa_image_view_get_device_width (CapaImageView *self)
{
  if (self->natural_width <= 0)
    return 0.0;

  return self->natural_width *
         (self->zoom_to_fit ? _capa_image_view_get_fit_zoom (self) : self->zoom);
}

/* ---- drawing ---- */

static gboolean
on_canvas_draw_cb (GtkWidget     *widget,
                   cairo_t       *cr,
                   CapaImageView *self)
{
  cairo_surface_t *surface = NULL;
  int quality;
  double x, y, width, height;
  int surface_width, surface_height;

  cairo_set_source_rgb (cr, BACKGROUND_GREY, BACKGROUND_GREY, BACKGROUND_GREY);
  cairo_paint (cr);

  quality = choose_surface (self, _capa_image_view_get_device_width (self));
  if (quality >= 0)
    surface = self->surfaces[quality];
  else if (self->stale != NULL)
    surface = self->stale;

  if (surface == NULL)
    return GDK_EVENT_PROPAGATE;

  _capa_image_view_get_surface_size (surface, &surface_width, &surface_height);
  _capa_image_view_compute_image_rect (self, surface_width, surface_height,
                                       quality == CAPA_IMAGE_VIEW_QUALITY_PREVIEW ||
                                       surface == self->stale,
                                       &x, &y, &width, &height);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, width / surface_width, height / surface_height);
  cairo_set_source_surface (cr, surface, 0, 0);
  if (width * _capa_image_view_get_scale_factor (self) >= 2.0 * surface_width)
    cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  else
    cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);

  if (quality >= 0 && quality == self->unreported)
    self->frame_drew = quality;

  return GDK_EVENT_PROPAGATE;
}

static void
on_frame_clock_after_paint_cb (GdkFrameClock *clock,
                               CapaImageView *self)
{
  int quality = self->frame_drew;

  if (quality < 0)
    return;

  self->frame_drew = -1;
  self->unreported = -1;
  g_debug ("Step %d painted", quality);
  g_signal_emit (self, signals[SIGNAL_PAINTED], 0, (CapaImageViewQuality) quality);
}

static void
on_canvas_realize_cb (GtkWidget     *widget,
                      CapaImageView *self)
{
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (on_frame_clock_after_paint_cb), self);

  if (self->image != NULL && self->screen_box_width == 0 && !self->broken)
    start_screen_load (self);
}

static void
on_canvas_unrealize_cb (GtkWidget     *widget,
                        CapaImageView *self)
{
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

/* ---- colour and surfaces (on a worker thread) ---- */

typedef struct
{
  GdkPixbuf           *pixbuf;
  CapaColourProfile   *source;        /* NULL: from source_icc, else sRGB */
  GBytes              *source_icc;
  CapaColourProfile   *destination;   /* NULL: no colour management */
  CapaRenderingIntent  intent;
  guint8              *target;        /* the pixels of a surface made on the main thread */
  gsize                target_stride;
  gboolean             shared;        /* else: make the pixels shared with the X server */
} PrepareData;

/* What a preparation gives: a surface, or pixels the X server is to be
 * lent on the main thread. */
typedef struct
{
  cairo_surface_t *surface;
  CapaShmImage    *shm;
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  /* Neither is known to the display yet: freed on any thread. */
  g_clear_pointer (&prepared->surface, cairo_surface_destroy);
  g_clear_pointer (&prepared->shm, _capa_shm_image_free);
  g_free (prepared);
}

static void
prepare_data_free (PrepareData *data)
{
  g_clear_pointer (&data->source_icc, g_bytes_unref);
  g_clear_object (&data->pixbuf);
  g_clear_object (&data->source);
  g_clear_object (&data->destination);
  g_free (data);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  g_autoptr(GError) error = NULL;
  Prepared *prepared;

  if (data->destination != NULL)
    {
      g_autoptr(CapaColourTransform) transform = NULL;

      if (data->source == NULL && data->source_icc != NULL)
        {
          data->source = capa_colour_profile_new_from_data (data->source_icc, NULL);
          if (data->source != NULL &&
              capa_colour_profile_get_colour_space (data->source) != CAPA_COLOUR_SPACE_RGB)
            g_clear_object (&data->source);
        }
      if (data->source == NULL)
        data->source = capa_colour_profile_new_srgb ();

      transform = capa_colour_transform_new (data->source, data->destination, data->intent,
                                             &error);
      if (transform == NULL)
        {
          g_warning ("Cannot transform the image to the display's colours: %s", error->message);
          g_clear_error (&error);
        }
      else if (!capa_colour_transform_is_identity (transform))
        capa_colour_transform_transform_pixbuf_in_place (transform, data->pixbuf);
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (data->target != NULL)
    {
      _capa_image_view_write_pixels (data->pixbuf, data->target, data->target_stride);
      g_task_return_boolean (task, TRUE);
      return;
    }

  prepared = g_new0 (Prepared, 1);
  if (data->shared)
    {
      prepared->shm = _capa_shm_image_new (gdk_pixbuf_get_width (data->pixbuf),
                                           gdk_pixbuf_get_height (data->pixbuf), &error);
      if (prepared->shm == NULL)
        {
          g_debug ("%s", error->message);
          g_clear_error (&error);
        }
      else
        {
          gsize stride;
          guint8 *pixels = _capa_shm_image_get_data (prepared->shm, &stride);

          _capa_image_view_write_pixels (data->pixbuf, pixels, stride);
        }
    }
  if (prepared->shm == NULL)
    prepared->surface = _capa_image_view_surface_from_pixbuf (data->pixbuf);

  if (prepared->shm == NULL && prepared->surface == NULL)
    {
      prepared_free (prepared);
      g_task_return_new_error (task, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_FAILED,
                               "%s", _("Not enough memory to show the image"));
    }
  else
    {
      g_task_return_pointer (task, prepared, (GDestroyNotify) prepared_free);
    }
}

/* What a load or a preparation was started for. */
typedef struct
{
  CapaImageView        *self;        /* owned */
  guint                 generation;
  CapaImageViewQuality  quality;
  cairo_surface_t      *target;      /* owned: the surface a preparation fills, or NULL */
} Step;

static Step *
step_new (CapaImageView        *self,
          CapaImageViewQuality  quality)
{
  Step *step = g_new0 (Step, 1);

  step->self = g_object_ref (self);
  step->generation = self->generation;
  step->quality = quality;
  return step;
}

static void
step_free (Step *step)
{
  /* Here, on the main thread: a surface of the display is let go where
   * it was made. */
  if (step->target != NULL)
    _capa_image_view_release_surface (step->self, g_steal_pointer (&step->target));
  g_clear_object (&step->self);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Step, step_free)

static void
show_error (CapaImageView *self,
            const GError  *error)
{
  g_autofree char *description = NULL;

  self->broken = TRUE;
  /* Translators: shown under "Cannot Show This Image"; %s says why */
  description = g_strdup_printf (_("%s. Check that the file is a complete photograph."),
                                 error->message);
  hdy_status_page_set_description (self->broken_page, description);
  gtk_stack_set_visible_child_name (self->stack, "broken");
  gtk_widget_hide (self->info_box);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

static void
install_surface (CapaImageView        *self,
                 CapaImageViewQuality  quality,
                 cairo_surface_t      *surface)
{
  _capa_image_view_release_surface (self, g_steal_pointer (&self->surfaces[quality]));
  self->surfaces[quality] = surface;
  _capa_image_view_release_surface (self, g_steal_pointer (&self->stale));

  /* A sharper step makes the preview useless. */
  if (quality > CAPA_IMAGE_VIEW_QUALITY_PREVIEW)
    {
      cairo_surface_t *preview = g_steal_pointer (&self->surfaces[CAPA_IMAGE_VIEW_QUALITY_PREVIEW]);

      _capa_image_view_release_surface (self, preview);
    }

  self->unreported = quality;
  self->frame_drew = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));

  /* Zoomed in already: the full resolution follows. */
  if (quality == CAPA_IMAGE_VIEW_QUALITY_SCREEN)
    maybe_load_full (self);
}

static void
on_prepared_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  CapaImageView *self = step->self;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = NULL;

  if (step->target == NULL)
    {
      Prepared *prepared = g_task_propagate_pointer (G_TASK (result), &error);

      if (prepared != NULL)
        {
          surface = g_steal_pointer (&prepared->surface);
          if (prepared->shm != NULL)
            surface = _capa_image_view_lend_to_display (self, g_steal_pointer (&prepared->shm));
          prepared_free (prepared);
        }
    }
  else if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      surface = g_steal_pointer (&step->target);
      cairo_surface_mark_dirty (surface);
    }

  if (step->generation != self->generation)
    {
      _capa_image_view_release_surface (self, surface);
      return;
    }
  if (surface == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  /* The preview comes too late once the image itself is there. */
  if (step->quality == CAPA_IMAGE_VIEW_QUALITY_PREVIEW &&
      (self->surfaces[CAPA_IMAGE_VIEW_QUALITY_SCREEN] != NULL ||
       self->surfaces[CAPA_IMAGE_VIEW_QUALITY_FULL] != NULL))
    {
      _capa_image_view_release_surface (self, surface);
      return;
    }

  g_debug ("Step %d colour managed", step->quality);
  install_surface (self, step->quality, surface);
}

/* Colour manages the pending pixbuf of @quality once its colour profile
 * is known (the image's metadata is read; the embedded preview carries the
 * file's profile itself, so it need not wait), on a worker thread. */
static void
maybe_prepare (CapaImageView        *self,
               CapaImageViewQuality  quality)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *data;
  Step *step;

  if (self->pending[quality] == NULL)
    return;
  if (self->display_profile != NULL && !self->metadata_done &&
      quality != CAPA_IMAGE_VIEW_QUALITY_PREVIEW)
    return;

  data = g_new0 (PrepareData, 1);
  data->pixbuf = g_steal_pointer (&self->pending[quality]);
  data->intent = self->rendering_intent;
  if (self->display_profile != NULL)
    {
      CapaColourProfile *source = NULL;

      data->destination = g_object_ref (self->display_profile);
      if (capa_image_get_metadata_loaded (self->image))
        {
          g_autoptr(GError) error = NULL;

          source = capa_image_get_colour_profile (self->image, &error);
          if (source == NULL)
            g_debug ("%s: its colour profile is unusable, sRGB is assumed: %s",
                     capa_image_get_filename (self->image), error->message);
          data->source = source ? g_object_ref (source) : capa_colour_profile_new_srgb ();
        }
      else
        {
          const char *base64 = gdk_pixbuf_get_option (data->pixbuf, "icc-profile");

          if (base64 != NULL)
            {
              gsize length = 0;
              guchar *icc = g_base64_decode (base64, &length);

              data->source_icc = g_bytes_new_take (icc, length);
            }
        }
    }

  step = step_new (self, quality);
  if (quality != CAPA_IMAGE_VIEW_QUALITY_FULL)
    step->target = _capa_image_view_make_target (self, data->pixbuf, &data->target,
                                                 &data->target_stride, &data->shared);

  task = g_task_new (self, self->cancellable, on_prepared_cb, step);
  g_task_set_source_tag (task, maybe_prepare);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

/* ---- loading ---- */

static void
on_pixbuf_loaded (Step         *step,
                  GdkPixbuf    *pixbuf,
                  const GError *error)
{
  CapaImageView *self = step->self;

  if (step->generation != self->generation ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (pixbuf == NULL && error != NULL)
    {
      if (step->quality == CAPA_IMAGE_VIEW_QUALITY_PREVIEW)
        g_debug ("No embedded preview: %s", error->message);
      else if (step->quality == CAPA_IMAGE_VIEW_QUALITY_FULL)
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);   /* the screen step stays */
      else if (!self->broken)
        show_error (self, error);
      return;
    }
  if (pixbuf == NULL)   /* no embedded preview */
    return;

  g_debug ("Step %d loaded, %d×%d", step->quality,
           gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf));
  g_clear_object (&self->pending[step->quality]);
  self->pending[step->quality] = g_object_ref (pixbuf);
  maybe_prepare (self, step->quality);
}

static void
on_preview_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = capa_image_load_preview_finish (CAPA_IMAGE (object), result, &error);
  on_pixbuf_loaded (step, pixbuf, error);
}

static void
on_pixbuf_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = capa_image_load_pixbuf_finish (CAPA_IMAGE (object), result, &error);
  on_pixbuf_loaded (step, pixbuf, error);
}

static void
update_natural_size (CapaImageView *self)
{
  CapaImageOrientation orientation = capa_image_get_orientation (self->image);
  int width = capa_image_get_width (self->image);
  int height = capa_image_get_height (self->image);

  if (width <= 0 || height <= 0)
    return;

  if (orientation >= CAPA_IMAGE_ORIENTATION_TRANSPOSE)
    {
      self->natural_width = height;
      self->natural_height = width;
    }
  else
    {
      self->natural_width = width;
      self->natural_height = height;
    }

  if (self->zoom_to_fit)
    _capa_image_view_set_zoom_internal (self, _capa_image_view_get_fit_zoom (self));
}

static void
on_metadata_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  CapaImageView *self = step->self;
  g_autoptr(GError) error = NULL;

  capa_image_load_metadata_finish (CAPA_IMAGE (object), result, &error);
  if (step->generation != self->generation ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    g_debug ("No metadata: %s", error->message);
  else
    update_natural_size (self);

  g_debug ("Metadata read");
  self->metadata_done = TRUE;
  update_info (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));

  for (int quality = 0; quality < N_QUALITIES; quality++)
    maybe_prepare (self, quality);
  maybe_load_full (self);
}

static void
start_screen_load (CapaImageView *self)
{
  int width, height, scale = _capa_image_view_get_scale_factor (self);

  if (self->image == NULL || !view_is_allocated (self))
    return;

  _capa_image_view_get_view_size (self, &width, &height);
  self->screen_box_width = width * scale;
  self->screen_box_height = height * scale;

  g_cancellable_cancel (self->screen_cancellable);
  g_clear_object (&self->screen_cancellable);
  self->screen_cancellable = g_cancellable_new ();

  capa_image_load_pixbuf_async (self->image, self->screen_box_width, self->screen_box_height,
                                self->screen_cancellable, on_pixbuf_loaded_cb,
                                step_new (self, CAPA_IMAGE_VIEW_QUALITY_SCREEN));
}

/* The SCREEN surface is the whole image: nothing sharper to load. */
static gboolean
screen_is_full_size (CapaImageView *self)
{
  cairo_surface_t *screen = self->surfaces[CAPA_IMAGE_VIEW_QUALITY_SCREEN];

  int width, height;

  if (screen == NULL || self->natural_width <= 0)
    return FALSE;

  _capa_image_view_get_surface_size (screen, &width, &height);
  return width >= self->natural_width && height >= self->natural_height;
}

/* Loads the full resolution once the zoom needs more pixels than the
 * SCREEN step has. */
static void
maybe_load_full (CapaImageView *self)
{
  cairo_surface_t *screen = self->surfaces[CAPA_IMAGE_VIEW_QUALITY_SCREEN];

  if (self->image == NULL || self->full_requested || self->broken || screen == NULL ||
      self->zoom_to_fit || screen_is_full_size (self))
    return;

  if (_capa_image_view_get_device_width (self) <= _capa_image_view_get_surface_width (screen) + 1)
    return;

  self->full_requested = TRUE;
  capa_image_load_pixbuf_async (self->image, -1, -1, self->cancellable, on_pixbuf_loaded_cb,
                                step_new (self, CAPA_IMAGE_VIEW_QUALITY_FULL));
}

/* Starts over the loads of the current image: for a new image, or (with
 * @keep_shown) for new colours, showing the old pixels until then. */
static void
restart (CapaImageView *self,
         gboolean       keep_shown)
{
  gboolean had_full = self->surfaces[CAPA_IMAGE_VIEW_QUALITY_FULL] != NULL;
  gboolean had_sharp = had_full || self->surfaces[CAPA_IMAGE_VIEW_QUALITY_SCREEN] != NULL;
  int shown = choose_surface (self, _capa_image_view_get_device_width (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->screen_cancellable);
  self->generation++;
  g_clear_handle_id (&self->resize_timeout_id, g_source_remove);

  if (keep_shown && shown >= 0)
    {
      _capa_image_view_release_surface (self, g_steal_pointer (&self->stale));
      self->stale = cairo_surface_reference (self->surfaces[shown]);
    }
  else if (!keep_shown)
    {
      _capa_image_view_release_surface (self, g_steal_pointer (&self->stale));
    }

  for (int quality = 0; quality < N_QUALITIES; quality++)
    {
      g_clear_object (&self->pending[quality]);
      _capa_image_view_release_surface (self, g_steal_pointer (&self->surfaces[quality]));
    }
  self->screen_box_width = self->screen_box_height = 0;
  self->full_requested = FALSE;
  self->unreported = self->frame_drew = -1;

  if (!keep_shown)
    {
      self->natural_width = self->natural_height = 0;
      self->metadata_done = FALSE;
      self->broken = FALSE;
      self->center_x = self->center_y = 0.5;
      gtk_stack_set_visible_child_name (self->stack, "image");
    }

  update_info (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));

  if (self->image == NULL || self->broken)
    return;

  /* Also when the colours changed while it was being read: that read
   * was cancelled with the rest. */
  if (!self->metadata_done)
    {
      if (capa_image_get_metadata_loaded (self->image))
        {
          update_natural_size (self);
          self->metadata_done = TRUE;
          update_info (self);
        }
      else
        {
          capa_image_load_metadata_async (self->image, self->cancellable, on_metadata_loaded_cb,
                                          step_new (self, CAPA_IMAGE_VIEW_QUALITY_PREVIEW));
        }
    }

  if (!had_sharp || !keep_shown)
    {
      int width, height, scale = _capa_image_view_get_scale_factor (self);

      _capa_image_view_get_view_size (self, &width, &height);
      if (view_is_allocated (self))
        capa_image_load_preview_async (self->image, width * scale, height * scale,
                                       self->cancellable, on_preview_loaded_cb,
                                       step_new (self, CAPA_IMAGE_VIEW_QUALITY_PREVIEW));
      else
        capa_image_load_preview_async (self->image, 2048, 2048,
                                       self->cancellable, on_preview_loaded_cb,
                                       step_new (self, CAPA_IMAGE_VIEW_QUALITY_PREVIEW));
    }

  start_screen_load (self);

  if (keep_shown && had_full)
    {
      self->full_requested = TRUE;
      capa_image_load_pixbuf_async (self->image, -1, -1, self->cancellable, on_pixbuf_loaded_cb,
                                    step_new (self, CAPA_IMAGE_VIEW_QUALITY_FULL));
    }
}

static gboolean
on_resize_timeout_cb (gpointer user_data)
{
  CapaImageView *self = user_data;
  cairo_surface_t *screen = self->surfaces[CAPA_IMAGE_VIEW_QUALITY_SCREEN];
  int width, height, scale = _capa_image_view_get_scale_factor (self);
  int fit_width, fit_height, screen_width, screen_height;

  self->resize_timeout_id = 0;

  if (self->image == NULL || self->broken || screen == NULL || screen_is_full_size (self))
    return G_SOURCE_REMOVE;

  /* Loaded again only when the fitted image would not be drawn 1:1. */
  _capa_image_view_get_view_size (self, &width, &height);
  width *= scale;
  height *= scale;
  if (self->natural_width > 0)
    {
      double fit = _capa_image_view_get_fit_zoom (self);

      fit_width = (int) round (self->natural_width * fit);
      fit_height = (int) round (self->natural_height * fit);
    }
  else
    {
      fit_width = width;
      fit_height = height;
    }

  _capa_image_view_get_surface_size (screen, &screen_width, &screen_height);
  if (abs (fit_width - screen_width) > 1 || abs (fit_height - screen_height) > 1)
    start_screen_load (self);

  return G_SOURCE_REMOVE;
}

static void
on_canvas_size_allocate_cb (GtkWidget     *widget,
                            GdkRectangle  *allocation,
                            CapaImageView *self)
{
  if (self->zoom_to_fit && self->natural_width > 0)
    _capa_image_view_set_zoom_internal (self, _capa_image_view_get_fit_zoom (self));

  if (self->image == NULL || self->broken)
    return;

  if (self->screen_box_width == 0)
    {
      start_screen_load (self);
      return;
    }

  g_clear_handle_id (&self->resize_timeout_id, g_source_remove);
  self->resize_timeout_id = g_timeout_add (RESIZE_RELOAD_MS, on_resize_timeout_cb, self);
}

/* ---- the exposure line ---- */

static void
update_info (CapaImageView *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exposure = NULL;
  g_autofree char *zoom = NULL;
  AtkObject *accessible;

  if (self->image != NULL && capa_image_get_metadata_loaded (self->image))
    {
      GDateTime *time = capa_image_get_capture_time (self->image);
      char *shutter = capa_image_dup_exposure_time_string (self->image);
      double f_number = capa_image_get_f_number (self->image);
      int iso = capa_image_get_iso (self->image);
      double focal_length = capa_image_get_focal_length (self->image);

      if (shutter != NULL)
        g_ptr_array_add (parts, shutter);
      if (f_number > 0.0)
        /* Translators: an aperture, such as "f/5.6" */
        g_ptr_array_add (parts, g_strdup_printf (_("f/%.1f"), f_number));
      if (iso > 0)
        /* Translators: a sensitivity, such as "ISO 400" */
        g_ptr_array_add (parts, g_strdup_printf (_("ISO %d"), iso));
      if (focal_length > 0.0)
        /* Translators: a focal length, such as "50 mm" */
        g_ptr_array_add (parts, g_strdup_printf (_("%.0f mm"), focal_length));
      if (time != NULL)
        /* Translators: the capture time, a g_date_time_format() format */
        g_ptr_array_add (parts, g_date_time_format (time, _("%x %X")));
    }

  g_ptr_array_add (parts, NULL);
  /* Translators: what separates the shutter speed, aperture, ISO, focal
   * length and time in the line under the image */
  exposure = g_strjoinv (_(" · "), (char **) parts->pdata);
  if (g_strcmp0 (gtk_label_get_text (self->exposure_label), exposure) != 0)
    gtk_label_set_text (self->exposure_label, exposure);
  gtk_widget_set_visible (GTK_WIDGET (self->exposure_label), exposure[0] != '\0');

  /* Translators: the zoom level, such as "50 %" */
  zoom = g_strdup_printf (_("%.0f %%"), self->zoom * 100.0);
  if (g_strcmp0 (gtk_label_get_text (self->zoom_label), zoom) != 0)
    gtk_label_set_text (self->zoom_label, zoom);
  gtk_widget_set_visible (self->info_box, self->image != NULL && !self->broken &&
                                          self->natural_width > 0);

  accessible = gtk_widget_get_accessible (GTK_WIDGET (self));
  if (accessible != NULL)
    atk_object_set_description (accessible, exposure);
}

/* ---- GObject ---- */

static void
capa_image_view_dispose (GObject *object)
{
  CapaImageView *self = CAPA_IMAGE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->screen_cancellable);
  g_clear_handle_id (&self->resize_timeout_id, g_source_remove);
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
  g_clear_object (&self->drag);
  g_clear_object (&self->pinch);
  g_clear_object (&self->image);
  g_clear_object (&self->display_profile);

  for (int quality = 0; quality < N_QUALITIES; quality++)
    {
      g_clear_object (&self->pending[quality]);
      g_clear_pointer (&self->surfaces[quality], cairo_surface_destroy);
    }
  g_clear_pointer (&self->stale, cairo_surface_destroy);
  g_ptr_array_set_size (self->spares, 0);

  G_OBJECT_CLASS (capa_image_view_parent_class)->dispose (object);
}

static void
capa_image_view_finalize (GObject *object)
{
  CapaImageView *self = CAPA_IMAGE_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->screen_cancellable);
  g_clear_pointer (&self->spares, g_ptr_array_unref);

  G_OBJECT_CLASS (capa_image_view_parent_class)->finalize (object);
}

static void
capa_image_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CapaImageView *self = CAPA_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      g_value_set_object (value, self->image);
      break;

    case PROP_DISPLAY_PROFILE:
      g_value_set_object (value, self->display_profile);
      break;

    case PROP_RENDERING_INTENT:
      g_value_set_enum (value, self->rendering_intent);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_ZOOM_TO_FIT:
      g_value_set_boolean (value, self->zoom_to_fit);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_image_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CapaImageView *self = CAPA_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      capa_image_view_set_image (self, g_value_get_object (value));
      break;

    case PROP_DISPLAY_PROFILE:
      capa_image_view_set_display_profile (self, g_value_get_object (value));
      break;

    case PROP_RENDERING_INTENT:
      capa_image_view_set_rendering_intent (self, g_value_get_enum (value));
      break;

    case PROP_ZOOM:
      capa_image_view_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_ZOOM_TO_FIT:
      capa_image_view_set_zoom_to_fit (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_image_view_class_init (CapaImageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capa_image_view_dispose;
  object_class->finalize = capa_image_view_finalize;
  object_class->get_property = capa_image_view_get_property;
  object_class->set_property = capa_image_view_set_property;

  widget_class->key_press_event = _capa_image_view_key_press_event;

  /**
   * CapaImageView:image:
   *
   * The image shown, or %NULL for none. A new image cancels the loads
   * of the previous one.
   */
  properties[PROP_IMAGE] =
    g_param_spec_object ("image", NULL, NULL,
                         CAPA_TYPE_IMAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CapaImageView:display-profile:
   *
   * The colour profile of the monitor the view is on: every image is
   * transformed from its own profile (sRGB without one) to it, on a
   * worker thread. %NULL draws the pixels as they are.
   */
  properties[PROP_DISPLAY_PROFILE] =
    g_param_spec_object ("display-profile", NULL, NULL,
                         CAPA_TYPE_COLOUR_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CapaImageView:rendering-intent:
   *
   * The rendering intent of the transform to
   * [property@Capa.ImageView:display-profile].
   */
  properties[PROP_RENDERING_INTENT] =
    g_param_spec_enum ("rendering-intent", NULL, NULL,
                       CAPA_TYPE_RENDERING_INTENT,
                       CAPA_RENDERING_INTENT_PERCEPTUAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CapaImageView:zoom:
   *
   * The zoom level: 1.0 shows one pixel of the image on one pixel of the
   * screen. While [property@Capa.ImageView:zoom-to-fit] is set, it follows
   * the size of the view; setting it turns zoom-to-fit off.
   */
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         MIN_ZOOM, MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CapaImageView:zoom-to-fit:
   *
   * Whether the image is fitted to the view (never enlarged beyond
   * 100 %).
   */
  properties[PROP_ZOOM_TO_FIT] =
    g_param_spec_boolean ("zoom-to-fit", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaImageView::painted:
   * @self: the view
   * @quality: the step that was drawn
   *
   * Emitted from the frame clock after the frame in which a new step of
   * the image (the embedded preview, the image at the size on the
   * screen, the full resolution) was drawn; again when it was drawn
   * anew for another display profile or rendering intent.
   */
  signals[SIGNAL_PAINTED] =
    g_signal_new ("painted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_IMAGE_VIEW_QUALITY);

  /**
   * CapaImageView::error:
   * @self: the view
   * @error: what went wrong
   *
   * Emitted when the image cannot be shown; the view then shows an empty
   * state saying so.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (HDY_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/capaphoto/Capa/ui/capa-image-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaImageView, overlay);
  gtk_widget_class_bind_template_child (widget_class, CapaImageView, stack);
  gtk_widget_class_bind_template_child (widget_class, CapaImageView, canvas);
  gtk_widget_class_bind_template_child (widget_class, CapaImageView, broken_page);
  gtk_widget_class_bind_template_child (widget_class, CapaImageView, info_box);
  gtk_widget_class_bind_template_child (widget_class, CapaImageView, exposure_label);
  gtk_widget_class_bind_template_child (widget_class, CapaImageView, zoom_label);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_draw_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_realize_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_unrealize_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_size_allocate_cb);
  gtk_widget_class_bind_template_callback_full (
    widget_class, "on_canvas_scroll_event_cb",
    G_CALLBACK (_capa_image_view_on_canvas_scroll_event));
  gtk_widget_class_set_css_name (widget_class, "imageview");
}

static void
capa_image_view_init (CapaImageView *self)
{
  self->zoom = 1.0;
  self->zoom_to_fit = TRUE;
  self->center_x = self->center_y = 0.5;
  self->unreported = self->frame_drew = -1;
  self->rendering_intent = CAPA_RENDERING_INTENT_PERCEPTUAL;
  self->cancellable = g_cancellable_new ();
  self->spares = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The view fills what the window gives it: a change of its exposure
   * line or of the image shown is laid out within the view, not the whole
   * window, which would draw everything else again. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_container_set_resize_mode (GTK_CONTAINER (self), GTK_RESIZE_QUEUE);
  G_GNUC_END_IGNORE_DEPRECATIONS

  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _("Image"));

  _capa_image_view_init_input (self);
}

/* ---- public API ---- */

/**
 * capa_image_view_new:
 *
 * Creates a view with no image, fitting images to its size.
 *
 * Returns: (transfer floating): a new #CapaImageView
 */
CapaImageView *
capa_image_view_new (void)
{
  return g_object_new (CAPA_TYPE_IMAGE_VIEW, NULL);
}

/**
 * capa_image_view_get_image:
 * @self: a #CapaImageView
 *
 * Returns: (transfer none) (nullable): the image shown
 */
CapaImage *
capa_image_view_get_image (CapaImageView *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE_VIEW (self), NULL);

  return self->image;
}

/**
 * capa_image_view_set_image:
 * @self: a #CapaImageView
 * @image: (nullable): the image to show
 *
 * Shows @image: first its embedded preview where the file has one, then
 * the image at the size on the screen, each decoded and colour managed
 * on worker threads; [signal@Capa.ImageView::painted] tells when each
 * step reached the screen.
 */
void
capa_image_view_set_image (CapaImageView *self,
                           CapaImage     *image)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));
  g_return_if_fail (image == NULL || CAPA_IS_IMAGE (image));

  if (!g_set_object (&self->image, image))
    return;

  g_debug ("Showing %s", image ? capa_image_get_filename (image) : "nothing");
  restart (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
}

/**
 * capa_image_view_get_display_profile:
 * @self: a #CapaImageView
 *
 * Returns: (transfer none) (nullable): the profile images are drawn
 *   with, or %NULL when they are not colour managed
 */
CapaColourProfile *
capa_image_view_get_display_profile (CapaImageView *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE_VIEW (self), NULL);

  return self->display_profile;
}

/**
 * capa_image_view_set_display_profile:
 * @self: a #CapaImageView
 * @profile: (nullable): the colour profile of the monitor, or %NULL to
 *   draw the pixels as they are
 *
 * Sets the profile images are transformed to. The image shown is
 * transformed again, and stays on the screen with its old colours until
 * then.
 */
void
capa_image_view_set_display_profile (CapaImageView     *self,
                                     CapaColourProfile *profile)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));
  g_return_if_fail (profile == NULL || CAPA_IS_COLOUR_PROFILE (profile));

  if (self->display_profile == profile ||
      (self->display_profile != NULL && profile != NULL &&
       capa_colour_profile_equal (self->display_profile, profile)))
    {
      g_set_object (&self->display_profile, profile);
      return;
    }

  g_set_object (&self->display_profile, profile);
  if (self->image != NULL && !self->broken)
    restart (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_PROFILE]);
}

/**
 * capa_image_view_get_rendering_intent:
 * @self: a #CapaImageView
 *
 * Returns: the rendering intent of the transform to the display profile
 */
CapaRenderingIntent
capa_image_view_get_rendering_intent (CapaImageView *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE_VIEW (self), CAPA_RENDERING_INTENT_PERCEPTUAL);

  return self->rendering_intent;
}

/**
 * capa_image_view_set_rendering_intent:
 * @self: a #CapaImageView
 * @intent: a rendering intent
 *
 * Sets the rendering intent of the transform to the display profile; the
 * image shown is transformed again.
 */
void
capa_image_view_set_rendering_intent (CapaImageView       *self,
                                      CapaRenderingIntent  intent)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));
  g_return_if_fail (intent <= CAPA_RENDERING_INTENT_ABSOLUTE_COLORIMETRIC);

  if (self->rendering_intent == intent)
    return;

  self->rendering_intent = intent;
  if (self->image != NULL && self->display_profile != NULL && !self->broken)
    restart (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERING_INTENT]);
}

/**
 * capa_image_view_get_zoom:
 * @self: a #CapaImageView
 *
 * Returns: the zoom level, 1.0 being 100 %
 */
double
capa_image_view_get_zoom (CapaImageView *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE_VIEW (self), 1.0);

  return self->zoom;
}

/**
 * capa_image_view_set_zoom:
 * @self: a #CapaImageView
 * @zoom: the zoom level, 1.0 being 100 % (kept between 0.01 and 16)
 *
 * Zooms around the centre of the view and turns
 * [property@Capa.ImageView:zoom-to-fit] off. The full resolution is
 * decoded when the zoom needs more pixels than the screen-sized step has.
 */
void
capa_image_view_set_zoom (CapaImageView *self,
                          double         zoom)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));

  g_object_freeze_notify (G_OBJECT (self));
  capa_image_view_set_zoom_to_fit (self, FALSE);
  _capa_image_view_set_zoom_internal (self, zoom);
  g_object_thaw_notify (G_OBJECT (self));

  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  maybe_load_full (self);
}

/**
 * capa_image_view_get_zoom_to_fit:
 * @self: a #CapaImageView
 *
 * Returns: whether the image is fitted to the view
 */
gboolean
capa_image_view_get_zoom_to_fit (CapaImageView *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE_VIEW (self), TRUE);

  return self->zoom_to_fit;
}

/**
 * capa_image_view_set_zoom_to_fit:
 * @self: a #CapaImageView
 * @zoom_to_fit: whether to fit the image to the view
 *
 * Fits the image to the view (never beyond 100 %), and keeps it fitted
 * when the view is resized.
 */
void
capa_image_view_set_zoom_to_fit (CapaImageView *self,
                                 gboolean       zoom_to_fit)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));

  zoom_to_fit = !!zoom_to_fit;
  if (self->zoom_to_fit == zoom_to_fit)
    return;

  self->zoom_to_fit = zoom_to_fit;
  if (zoom_to_fit)
    {
      self->center_x = self->center_y = 0.5;
      if (self->natural_width > 0)
        _capa_image_view_set_zoom_internal (self, _capa_image_view_get_fit_zoom (self));
      gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_TO_FIT]);
}

/**
 * capa_image_view_get_overlay:
 * @self: a #CapaImageView
 *
 * Gets the overlay above the image, where live view and plugins add
 * grids, masks and a histogram with gtk_overlay_add_overlay(). Its
 * children are drawn over the whole image area; the exposure line is one
 * of them, along the bottom.
 *
 * Returns: (transfer none): the overlay layer
 */
GtkOverlay *
capa_image_view_get_overlay (CapaImageView *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE_VIEW (self), NULL);

  return self->overlay;
}
