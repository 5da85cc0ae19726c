/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The cells of the film strip: thumbnails asked for only while they can
 * be seen, scaled and colour-managed on a worker thread, kept in a
 * bounded LRU, and drawn. */

#define G_LOG_DOMAIN "Capa-FilmStrip"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "capa-film-strip-private.h"

/* How many cells either side of the visible ones are asked for ahead. */
#define PREFETCH_CELLS      4

/* Priorities of thumbnail requests: lower first. */
#define PRIORITY_VISIBLE    G_PRIORITY_DEFAULT
#define PRIORITY_NEAR       G_PRIORITY_DEFAULT_IDLE

/* When to try again a thumbnail of a file that changed while it was
 * read. */
#define RETRY_SECONDS       2

/* What the strip keeps of thumbnails scaled for the screen: some 350
 * cells, two dozen screens. */
#define MAX_CACHE_BYTES     (16 * 1024 * 1024)

/* What film strips' thumbnailer keeps of decoded thumbnails: the strip
 * keeps its own, ready to draw, so a little is enough. */
#define THUMBNAILER_MEMORY  (8 * 1024 * 1024)
#define MAX_CACHE_ENTRIES   2048

typedef enum {
  ENTRY_LOADING,
  ENTRY_READY,
  ENTRY_BROKEN,
} EntryState;

/* What the strip knows of one image's thumbnail. */
typedef struct
{
  CapaFilmStrip   *strip;           /* borrowed */
  CapaImage       *image;           /* owned; the key in strip->entries */
  GCancellable    *cancellable;     /* owned, cancelled when the entry goes */
  cairo_surface_t *surface;         /* owned; ENTRY_READY only */
  gsize            bytes;
  GList            link;            /* in strip->lru or strip->loading */
  EntryState       state;
  int              priority;
  gboolean         retry;           /* ENTRY_BROKEN for now: try again */
} Entry;

/* --- the thumbnails --- */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_cancellable_cancel (entry->cancellable);
  g_clear_object (&entry->cancellable);
  g_clear_pointer (&entry->surface, cairo_surface_destroy);
  g_clear_object (&entry->image);
  g_free (entry);
}

static void
remove_entry (CapaFilmStrip *self,
              Entry         *entry)
{
  if (entry->state == ENTRY_LOADING)
    g_queue_unlink (&self->loading, &entry->link);
  else
    g_queue_unlink (&self->lru, &entry->link);
  self->cache_bytes -= entry->bytes;

  /* Frees the entry. */
  g_hash_table_remove (self->entries, entry->image);
}

void
_capa_film_strip_clear_entries (CapaFilmStrip *self)
{
  g_queue_init (&self->lru);
  g_queue_init (&self->loading);
  self->cache_bytes = 0;
  g_hash_table_remove_all (self->entries);
}

static void
update_loading (CapaFilmStrip *self)
{
  gboolean loading = FALSE;

  for (GList *l = self->loading.head; l != NULL; l = l->next)
    {
      Entry *entry = l->data;

      if (entry->priority == PRIORITY_VISIBLE)
        {
          loading = TRUE;
          break;
        }
    }

  _capa_film_strip_set_loading (self, loading);
}

static void
evict (CapaFilmStrip *self)
{
  while ((self->cache_bytes > MAX_CACHE_BYTES || self->lru.length > MAX_CACHE_ENTRIES) &&
         self->lru.tail != NULL)
    remove_entry (self, self->lru.tail->data);
}

/* An entry done loading, well or not, joins the LRU. */
static void
entry_finish (CapaFilmStrip   *self,
              Entry           *entry,
              cairo_surface_t *surface)
{
  g_queue_unlink (&self->loading, &entry->link);

  if (surface != NULL)
    {
      entry->state = ENTRY_READY;
      entry->surface = surface;
      entry->bytes = (gsize) cairo_image_surface_get_stride (surface) *
                     (gsize) cairo_image_surface_get_height (surface);
      self->cache_bytes += entry->bytes;
    }
  else
    entry->state = ENTRY_BROKEN;

  g_queue_push_head_link (&self->lru, &entry->link);
  evict (self);
  update_loading (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* Scaling and colour for the screen, on a worker thread. */
typedef struct
{
  GdkPixbuf           *pixbuf;
  CapaColourProfile   *display;
  CapaRenderingIntent  intent;
  int                  width;      /* the box, in device pixels */
  int                  height;
  int                  scale;
} Prepare;

static void
prepare_free (gpointer data)
{
  Prepare *prepare = data;

  g_clear_object (&prepare->pixbuf);
  g_clear_object (&prepare->display);
  g_free (prepare);
}

static CapaColourProfile *
get_srgb (void)
{
  static CapaColourProfile *srgb;

  if (g_once_init_enter (&srgb))
    g_once_init_leave (&srgb, capa_colour_profile_new_srgb ());

  return srgb;
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Prepare *prepare = task_data;
  g_autoptr(GdkPixbuf) pixbuf = g_object_ref (prepare->pixbuf);
  cairo_surface_t *surface;
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  double ratio;

  /* Thumbnails of the shared cache hold sRGB pixels: the thumbnailer
   * turned the image's own profile into sRGB when it made them. */
  if (prepare->display != NULL)
    {
      g_autoptr(CapaColourTransform) transform = NULL;
      g_autoptr(GError) error = NULL;

      transform = capa_colour_transform_new (get_srgb (), prepare->display, prepare->intent,
                                             &error);
      if (transform == NULL)
        g_debug ("Thumbnails are shown without colour management: %s", error->message);
      else if (!capa_colour_transform_is_identity (transform))
        {
          GdkPixbuf *transformed = capa_colour_transform_transform_pixbuf (transform, pixbuf);

          if (transformed == NULL)
            {
              g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "%s",
                                       _("Not enough memory to show the thumbnail"));
              return;
            }
          g_object_unref (pixbuf);
          pixbuf = transformed;
        }
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Fit the box, never enlarging. */
  ratio = MIN ((double) prepare->width / width, (double) prepare->height / height);
  if (ratio < 1.0)
    {
      GdkPixbuf *scaled;

      scaled = gdk_pixbuf_scale_simple (pixbuf,
                                        MAX ((int) round (width * ratio), 1),
                                        MAX ((int) round (height * ratio), 1),
                                        GDK_INTERP_BILINEAR);
      if (scaled == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "%s",
                                   _("Not enough memory to show the thumbnail"));
          return;
        }
      g_object_unref (pixbuf);
      pixbuf = scaled;
    }

  surface = gdk_cairo_surface_create_from_pixbuf (pixbuf, prepare->scale, NULL);
  g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

static void
on_prepared_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Entry *entry = user_data;
  CapaFilmStrip *self;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  surface = g_task_propagate_pointer (G_TASK (result), &error);

  /* A cancelled entry may be gone, with its strip: leave it alone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = entry->strip;

  if (surface == NULL)
    g_debug ("Cannot show the thumbnail of %s: %s",
             capa_image_get_filename (entry->image), error->message);

  entry_finish (self, entry, surface);
}

/* Forgets the entries whose thumbnails may come now. */
static gboolean
retry_cb (gpointer user_data)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (user_data);

  self->retry_id = 0;
  for (GList *l = self->lru.head; l != NULL; )
    {
      Entry *entry = l->data;

      l = l->next;
      if (entry->retry)
        remove_entry (self, entry);
    }
  _capa_film_strip_schedule_update (self);

  return G_SOURCE_REMOVE;
}

static void
on_thumbnail_loaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Entry *entry = user_data;
  CapaFilmStrip *self;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  Prepare *prepare;

  pixbuf = capa_thumbnailer_load_finish (CAPA_THUMBNAILER (object), result, &error);

  /* A cancelled entry may be gone: leave it alone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = entry->strip;

  if (pixbuf == NULL)
    {
      g_debug ("No thumbnail of %s: %s", capa_image_get_filename (entry->image), error->message);
      /* A file that changed while it was read is tried again later; the
       * broken mark meanwhile. */
      entry->retry = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY);
      entry_finish (self, entry, NULL);
      if (entry->retry && self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
      return;
    }

  prepare = g_new0 (Prepare, 1);
  prepare->pixbuf = g_steal_pointer (&pixbuf);
  prepare->display = self->display_profile ? g_object_ref (self->display_profile) : NULL;
  prepare->intent = self->intent;
  prepare->scale = self->scale;
  prepare->width = self->box_width * self->scale;
  prepare->height = self->box_height * self->scale;

  /* Not the strip's: a strip destroyed meanwhile goes at once (its entries
   * cancelled), rather than when the worker is done with the pixels. */
  task = g_task_new (NULL, entry->cancellable, on_prepared_cb, entry);
  g_task_set_source_tag (task, on_thumbnail_loaded_cb);
  g_task_set_task_data (task, prepare, prepare_free);
  g_task_run_in_thread (task, prepare_thread);
}

static CapaThumbnailSize
get_thumbnail_size (CapaFilmStrip *self)
{
  int pixels = MAX (self->box_width, self->box_height) * self->scale;

  if (pixels <= capa_thumbnail_size_get_pixels (CAPA_THUMBNAIL_SIZE_NORMAL))
    return CAPA_THUMBNAIL_SIZE_NORMAL;
  if (pixels <= capa_thumbnail_size_get_pixels (CAPA_THUMBNAIL_SIZE_LARGE))
    return CAPA_THUMBNAIL_SIZE_LARGE;
  return CAPA_THUMBNAIL_SIZE_X_LARGE;
}

static void
entry_load (CapaFilmStrip *self,
            CapaImage     *image,
            int            priority)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->strip = self;
  entry->image = g_object_ref (image);
  entry->cancellable = g_cancellable_new ();
  entry->state = ENTRY_LOADING;
  entry->priority = priority;
  entry->link.data = entry;
  g_hash_table_insert (self->entries, entry->image, entry);
  g_queue_push_tail_link (&self->loading, &entry->link);

  capa_thumbnailer_load_async (self->thumbnailer, capa_image_get_filename (image),
                               get_thumbnail_size (self), priority, entry->cancellable,
                               on_thumbnail_loaded_cb, entry);
}

static gboolean
is_deferred (CapaFilmStrip *self,
             CapaImage     *image)
{
  return self->deferred != NULL &&
         (image == self->deferred ||
          g_strcmp0 (capa_image_get_filename (image),
                     capa_image_get_filename (self->deferred)) == 0);
}

/* Holds back the thumbnail of @image until another image, or %NULL, is
 * given: the window's view is decoding that very file (a new shot), and on
 * two cores a second decode of it slows down the one the photographer
 * waits for.  The cell shows its place holder meanwhile. */
void
_capa_film_strip_defer_thumbnail (CapaFilmStrip *self,
                                  CapaImage     *image)
{
  gboolean held = self->deferred != NULL;

  if (self->deferred == image)
    return;

  g_set_object (&self->deferred, image);
  if (held)
    _capa_film_strip_schedule_update (self);
}

/* Asks for the thumbnails of the visible cells (and a few beyond),
 * urgently for the visible ones, and drops the requests of cells
 * scrolled away: only what can be seen costs anything. */
void
_capa_film_strip_update_requests (CapaFilmStrip *self)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (NULL, NULL);
  guint n = _capa_film_strip_get_n_items (self);
  guint first = 0;
  guint last = 0;
  guint lo;
  guint hi;

  g_clear_handle_id (&self->update_id, g_source_remove);

  /* Disposed: the widgets may be gone. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (n > 0 && gtk_widget_get_mapped (GTK_WIDGET (self->canvas)))
    _capa_film_strip_get_visible_places (self, &first, &last);

  lo = first > PREFETCH_CELLS ? first - PREFETCH_CELLS : 0;
  hi = last > first ? MIN (last + PREFETCH_CELLS, n) : last;

  for (guint place = lo; place < hi; place++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (G_LIST_MODEL (self->pairs),
                                                          _capa_film_strip_flip (self, place));
      gboolean visible = place >= first && place < last;
      int priority = visible ? PRIORITY_VISIBLE : PRIORITY_NEAR;
      Entry *entry = g_hash_table_lookup (self->entries, image);

      if (entry == NULL)
        {
          if (!is_deferred (self, image))
            entry_load (self, image, priority);
        }
      else if (entry->state == ENTRY_LOADING && entry->priority != priority)
        {
          entry->priority = priority;
          capa_thumbnailer_reprioritize (self->thumbnailer, capa_image_get_filename (image),
                                         priority);
        }
      else if (entry->state != ENTRY_LOADING)
        {
          /* Seen again: the most recently used. */
          g_queue_unlink (&self->lru, &entry->link);
          g_queue_push_head_link (&self->lru, &entry->link);
        }

      g_hash_table_add (wanted, image);
    }

  for (GList *l = self->loading.head; l != NULL; )
    {
      Entry *entry = l->data;

      l = l->next;
      if (!g_hash_table_contains (wanted, entry->image))
        remove_entry (self, entry);
    }

  update_loading (self);
}

static gboolean
update_requests_idle_cb (gpointer user_data)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (user_data);

  self->update_id = 0;
  _capa_film_strip_update_requests (self);

  return G_SOURCE_REMOVE;
}

void
_capa_film_strip_schedule_update (CapaFilmStrip *self)
{
  /* Nothing more once disposed. */
  if (self->update_id == 0 && !g_cancellable_is_cancelled (self->cancellable))
    self->update_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, update_requests_idle_cb,
                                       self, NULL);
}

/* Forgets every thumbnail shown, when their size or colours change. */
void
_capa_film_strip_reload_all (CapaFilmStrip *self)
{
  _capa_film_strip_clear_entries (self);
  _capa_film_strip_schedule_update (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* --- drawing --- */

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static cairo_surface_t *
get_broken_icon (CapaFilmStrip *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  g_autoptr(GtkIconInfo) info = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GdkRGBA colour = { 0.75, 0.75, 0.75, 1.0 };

  if (self->broken_icon != NULL && self->broken_icon_scale == scale)
    return self->broken_icon;

  g_clear_pointer (&self->broken_icon, cairo_surface_destroy);
  info = gtk_icon_theme_lookup_icon_for_scale (gtk_icon_theme_get_default (),
                                               "image-missing-symbolic", 32, scale,
                                               GTK_ICON_LOOKUP_FORCE_SIZE);
  if (info != NULL)
    pixbuf = gtk_icon_info_load_symbolic (info, &colour, NULL, NULL, NULL, NULL, NULL);
  if (pixbuf != NULL)
    {
      self->broken_icon = gdk_cairo_surface_create_from_pixbuf (pixbuf, scale, NULL);
      self->broken_icon_scale = scale;
    }

  return self->broken_icon;
}

static void
draw_cell (CapaFilmStrip *self,
           cairo_t       *cr,
           guint          place,
           Entry         *entry,
           gboolean       selected,
           const GdkRGBA *accent,
           GdkRectangle  *frame)
{
  GdkRectangle box;
  double x, y, width, height;

  _capa_film_strip_get_box (self, place, &box);

  if (entry != NULL && entry->state == ENTRY_READY)
    {
      double sx = 1.0, sy = 1.0;

      cairo_surface_get_device_scale (entry->surface, &sx, &sy);
      width = cairo_image_surface_get_width (entry->surface) / sx;
      height = cairo_image_surface_get_height (entry->surface) / sy;
    }
  else
    {
      /* A 3:2 frame where the thumbnail will be. */
      width = box.width;
      height = MIN (box.height, round (box.width * 2.0 / 3.0));
    }
  x = box.x + round ((box.width - width) / 2);
  y = box.y + round ((box.height - height) / 2);
  frame->x = (int) x;
  frame->y = (int) y;
  frame->width = (int) width;
  frame->height = (int) height;

  if (selected)
    {
      double grow = SELECTION_WIDTH + 1;

      rounded_rectangle (cr, x - grow, y - grow, width + 2 * grow, height + 2 * grow,
                         CORNER_RADIUS + grow);
      gdk_cairo_set_source_rgba (cr, accent);
      cairo_fill (cr);
    }

  if (entry != NULL && entry->state == ENTRY_READY)
    {
      cairo_set_source_surface (cr, entry->surface, x, y);
      cairo_rectangle (cr, x, y, width, height);
      cairo_fill (cr);
      return;
    }

  rounded_rectangle (cr, x, y, width, height, CORNER_RADIUS);
  cairo_set_source_rgb (cr, 0.22, 0.22, 0.22);
  cairo_fill (cr);

  if (entry != NULL && entry->state == ENTRY_BROKEN)
    {
      cairo_surface_t *icon = get_broken_icon (self);

      if (icon != NULL)
        {
          double sx = 1.0, sy = 1.0;
          double iw, ih;

          cairo_surface_get_device_scale (icon, &sx, &sy);
          iw = cairo_image_surface_get_width (icon) / sx;
          ih = cairo_image_surface_get_height (icon) / sy;
          cairo_set_source_surface (cr, icon, x + round ((width - iw) / 2),
                                    y + round ((height - ih) / 2));
          cairo_paint (cr);
        }
    }
}

/* The badge of a shot of several files ("RAW + JPEG"), at the bottom left
 * of its thumbnail (@frame), centred under a thumbnail too narrow for it:
 * light text on a dark plate, legible on any thumbnail. */
static void
draw_badge (CapaFilmStrip      *self,
            GtkWidget          *canvas,
            cairo_t            *cr,
            guint               place,
            const GdkRectangle *frame,
            CapaImage          *image)
{
  g_autofree char *text = _capa_film_strip_pairs_dup_badge (self->pairs, image);
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontDescription *font;
  PangoRectangle ink;
  PangoRectangle logical;
  GdkRectangle box;
  double margin = 4.0;
  double pad_x = 4.0;
  double pad_y = 1.0;
  double x;
  double y;
  double width;
  double height;

  if (text == NULL)
    return;

  _capa_film_strip_get_box (self, place, &box);
  layout = gtk_widget_create_pango_layout (canvas, text);
  font = pango_font_description_copy (pango_context_get_font_description (
    pango_layout_get_context (layout)));
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_font_description_set_absolute_size (font, 8.0 * PANGO_SCALE * 96.0 / 72.0);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_get_pixel_extents (layout, &ink, &logical);

  width = logical.width + 2 * pad_x;
  height = logical.height + 2 * pad_y;
  /* Too small a cell: no badge rather than one cut. */
  if (width + 2 * margin > box.width || height + 2 * margin > box.height)
    return;

  if (width + 2 * margin <= frame->width)
    x = frame->x + margin;
  else
    x = CLAMP (frame->x + round ((frame->width - width) / 2), box.x, box.x + box.width - width);
  y = MIN (frame->y + frame->height, box.y + box.height) - margin - height;

  cairo_save (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - 3.0, y + 3.0, 3.0, -G_PI / 2, 0);
  cairo_arc (cr, x + width - 3.0, y + height - 3.0, 3.0, 0, G_PI / 2);
  cairo_arc (cr, x + 3.0, y + height - 3.0, 3.0, G_PI / 2, G_PI);
  cairo_arc (cr, x + 3.0, y + 3.0, 3.0, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.0, 0.0, 0.0, 0.72);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1.0, 1.0, 1.0, 0.35);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_move_to (cr, x + pad_x - logical.x, y + pad_y - logical.y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

gboolean
_capa_film_strip_draw_cb (GtkWidget     *canvas,
                          cairo_t       *cr,
                          CapaFilmStrip *self)
{
  GtkStyleContext *style = gtk_widget_get_style_context (canvas);
  GdkRGBA accent = { 0.21, 0.52, 0.89, 1.0 };
  GdkRectangle clip;
  gboolean missing = FALSE;
  guint first;
  guint last;

  /* A dark background, as behind any photograph. */
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.12);
  cairo_paint (cr);

  if (_capa_film_strip_get_n_items (self) == 0)
    return FALSE;

  if (!gdk_cairo_get_clip_rectangle (cr, &clip))
    {
      clip.x = 0;
      clip.width = gtk_widget_get_allocated_width (canvas);
    }

  gtk_style_context_lookup_color (style, "theme_selected_bg_color", &accent);

  _capa_film_strip_get_places_between (self, clip.x - SELECTION_WIDTH - 1,
                      clip.x + clip.width + SELECTION_WIDTH + 1, &first, &last);
  for (guint place = first; place < last; place++)
    {
      guint position = _capa_film_strip_flip (self, place);
      g_autoptr(CapaImage) image = g_list_model_get_item (G_LIST_MODEL (self->pairs), position);
      Entry *entry = g_hash_table_lookup (self->entries, image);

      if (entry == NULL)
        missing = TRUE;
      GdkRectangle frame;

      draw_cell (self, cr, place, entry, position == self->selected_pos, &accent, &frame);
      draw_badge (self, canvas, cr, place, &frame, image);
    }

  if (gtk_widget_has_visible_focus (canvas) && self->selected_pos != G_MAXUINT)
    {
      GdkRectangle box;

      _capa_film_strip_get_box (self, _capa_film_strip_flip (self, self->selected_pos), &box);
      gtk_render_focus (style, cr, box.x - H_PADDING / 2, box.y - V_PADDING / 2,
                        box.width + H_PADDING, box.height + V_PADDING);
    }

  /* Cells scrolled in before their requests: ask for them. */
  if (missing)
    _capa_film_strip_schedule_update (self);

  return FALSE;
}

/* The thumbnailer of every film strip: the core's, with a small memory
 * cache (the default one keeps 64 MiB, which a strip scrolled through
 * thousands of images would fill beside its own cache). */
static CapaThumbnailer *
get_thumbnailer (void)
{
  static CapaThumbnailer *thumbnailer;

  if (g_once_init_enter (&thumbnailer))
    g_once_init_leave (&thumbnailer, capa_thumbnailer_new (THUMBNAILER_MEMORY));

  return thumbnailer;
}

void
_capa_film_strip_init_cells (CapaFilmStrip *self)
{
  self->thumbnailer = g_object_ref (get_thumbnailer ());
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, entry_free);
}
