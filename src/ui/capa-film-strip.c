/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-FilmStrip"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "capa-enum-types.h"
#include "capa-film-strip.h"
#include "capa-film-strip-private.h"

G_DEFINE_FINAL_TYPE (CapaFilmStrip, capa_film_strip, GTK_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SELECTED_IMAGE,
  PROP_NEWEST_FIRST,
  PROP_DISPLAY_PROFILE,
  PROP_RENDERING_INTENT,
  PROP_LOADING,
  N_PROPS,
};

enum {
  SIGNAL_TRASHED,
  SIGNAL_ERROR,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- geometry --- */

guint
_capa_film_strip_get_n_items (CapaFilmStrip *self)
{
  return self->session ? g_list_model_get_n_items (G_LIST_MODEL (self->pairs)) : 0;
}

/* Model position ↔ place in the strip, from the left: the same both ways. */
guint
_capa_film_strip_flip (CapaFilmStrip *self,
                       guint          index)
{
  guint n = _capa_film_strip_get_n_items (self);

  g_assert (index < n);

  return self->newest_first ? n - 1 - index : index;
}

static int
get_pitch (CapaFilmStrip *self)
{
  return self->box_width + CELL_SPACING;
}

static double
get_scroll (CapaFilmStrip *self)
{
  return gtk_adjustment_get_value (_capa_film_strip_canvas_get_hadjustment (self->canvas));
}

/* The box of the cell at @place, in canvas coordinates. */
void
_capa_film_strip_get_box (CapaFilmStrip *self,
                          guint          place,
                          GdkRectangle  *box)
{
  int height = gtk_widget_get_allocated_height (GTK_WIDGET (self->canvas));

  box->x = H_PADDING + (int) place * get_pitch (self) - (int) get_scroll (self);
  box->y = MAX ((height - self->box_height) / 2, 0);
  box->width = self->box_width;
  box->height = self->box_height;
}

/* The places of the cells that touch [x0, x1) of the canvas, as
 * [*first, *last). */
void
_capa_film_strip_get_places_between (CapaFilmStrip *self,
                                     double         x0,
                                     double         x1,
                                     guint         *first,
                                     guint         *last)
{
  guint n = _capa_film_strip_get_n_items (self);
  double scroll = get_scroll (self);
  int pitch = get_pitch (self);
  double a = (x0 + scroll - H_PADDING) / pitch;
  double b = (x1 + scroll - H_PADDING + CELL_SPACING) / pitch;

  *first = (guint) CLAMP (a, 0.0, (double) n);
  *last = (guint) CLAMP (ceil (b), 0.0, (double) n);
  if (*last < *first)
    *last = *first;
}

void
_capa_film_strip_get_visible_places (CapaFilmStrip *self,
                                     guint         *first,
                                     guint         *last)
{
  int width = gtk_widget_get_allocated_width (GTK_WIDGET (self->canvas));

  _capa_film_strip_get_places_between (self, 0, width, first, last);
}

/* The model position of the cell under (@x, @y), or G_MAXUINT. */
static guint
position_at (CapaFilmStrip *self,
             double         x,
             double         y)
{
  guint n = _capa_film_strip_get_n_items (self);
  double offset = x + get_scroll (self) - H_PADDING;
  GdkRectangle box;
  guint place;

  if (n == 0 || offset < 0)
    return G_MAXUINT;

  place = (guint) (offset / get_pitch (self));
  if (place >= n)
    return G_MAXUINT;

  _capa_film_strip_get_box (self, place, &box);
  if (x >= box.x + box.width + CELL_SPACING / 2 || y < box.y - V_PADDING ||
      y >= box.y + box.height + V_PADDING)
    return G_MAXUINT;

  return _capa_film_strip_flip (self, place);
}

gboolean
_capa_film_strip_get_cell_rect (CapaFilmStrip *self,
                                guint          position,
                                GdkRectangle  *rect)
{
  if (position >= _capa_film_strip_get_n_items (self))
    return FALSE;

  _capa_film_strip_get_box (self, _capa_film_strip_flip (self, position), rect);
  return TRUE;
}

static void
update_content_width (CapaFilmStrip *self)
{
  guint n = _capa_film_strip_get_n_items (self);
  int width = n > 0 ? 2 * H_PADDING + (int) n * get_pitch (self) - CELL_SPACING : 0;

  _capa_film_strip_canvas_set_content_width (self->canvas, width);
}

static void
scroll_to_position (CapaFilmStrip *self,
                    guint          position)
{
  GtkAdjustment *adjustment = _capa_film_strip_canvas_get_hadjustment (self->canvas);
  int width = gtk_widget_get_allocated_width (GTK_WIDGET (self->canvas));
  double value = gtk_adjustment_get_value (adjustment);
  double start;
  double end;

  if (position >= _capa_film_strip_get_n_items (self))
    return;

  /* Not allocated yet: done at the first allocation. */
  if (width <= 1)
    {
      self->scroll_pending = TRUE;
      return;
    }

  start = (double) _capa_film_strip_flip (self, position) * get_pitch (self);
  end = start + self->box_width + 2 * H_PADDING;

  if (start < value)
    value = start;
  else if (end > value + width)
    value = end - width;

  gtk_adjustment_set_value (adjustment, value);
}

/* --- selection --- */

static void
update_accessible (CapaFilmStrip *self)
{
  AtkObject *accessible = gtk_widget_get_accessible (GTK_WIDGET (self->canvas));
  g_autofree char *description = NULL;

  if (self->selected != NULL)
    {
      const char *filename = capa_image_get_filename (self->selected);
      g_autofree char *name = g_filename_display_basename (filename);
      guint place = _capa_film_strip_flip (self, self->selected_pos);

      /* Translators: the selected image of the film strip, its place and how many there are */
      description = g_strdup_printf (_("%s, image %u of %u"), name,
                                     place + 1, _capa_film_strip_get_n_items (self));
    }

  atk_object_set_description (accessible, description ? description : _("No image selected"));
}

/* Selects the image at @position (G_MAXUINT for none). */
static void
select_position (CapaFilmStrip *self,
                 guint          position,
                 gboolean       scroll)
{
  g_autoptr(CapaImage) image = NULL;

  if (position != G_MAXUINT && self->session != NULL)
    image = g_list_model_get_item (G_LIST_MODEL (self->pairs), position);
  if (image == NULL)
    position = G_MAXUINT;

  self->selected_pos = position;
  if (scroll && image != NULL)
    scroll_to_position (self, position);

  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));

  if (self->selected == image)
    {
      update_accessible (self);
      return;
    }

  g_set_object (&self->selected, image);
  update_accessible (self);
  _capa_film_strip_accessible_selection_changed (
    CAPA_FILM_STRIP_ACCESSIBLE (gtk_widget_get_accessible (GTK_WIDGET (self->canvas))));
  _capa_film_strip_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_IMAGE]);
}

static guint
find_position (CapaFilmStrip *self,
               CapaImage     *image)
{
  guint n = _capa_film_strip_get_n_items (self);

  /* The selection's place first: the common case costs nothing. */
  if (self->selected == image && self->selected_pos < n)
    return self->selected_pos;

  for (guint i = n; i-- > 0; )
    if (_capa_film_strip_pairs_peek_item (self->pairs, i) == image)
      return i;

  return G_MAXUINT;
}

/* Moves the selection by @delta places in the strip (from the left). */
static void
move_selection (CapaFilmStrip *self,
                int            delta)
{
  guint n = _capa_film_strip_get_n_items (self);
  gint64 place;

  if (n == 0)
    return;

  if (self->selected_pos == G_MAXUINT)
    place = delta > 0 ? 0 : (gint64) n - 1;
  else
    place = (gint64) _capa_film_strip_flip (self, self->selected_pos) + delta;

  place = CLAMP (place, 0, (gint64) n - 1);
  select_position (self, _capa_film_strip_flip (self, (guint) place), TRUE);
}

static void
on_items_changed_cb (GListModel    *model,
                     guint          position,
                     guint          removed,
                     guint          added,
                     CapaFilmStrip *self)
{
  guint n = g_list_model_get_n_items (model);
  guint old_n = n + removed - added;
  gboolean follow = self->selected == NULL || self->selected_pos == old_n - 1;
  gboolean lost = FALSE;

  if (self->selected != NULL)
    {
      if (self->selected_pos >= position + removed)
        self->selected_pos = self->selected_pos + added - removed;
      else if (self->selected_pos >= position)
        {
          /* Pointer compares only: a loading session's batch may span
           * the whole list. */
          lost = TRUE;
          for (guint i = position; i < position + added; i++)
            if (_capa_film_strip_pairs_peek_item (self->pairs, i) == self->selected)
              {
                self->selected_pos = i;
                lost = FALSE;
                break;
              }
        }
    }

  update_content_width (self);
  _capa_film_strip_accessible_items_changed (
    CAPA_FILM_STRIP_ACCESSIBLE (gtk_widget_get_accessible (GTK_WIDGET (self->canvas))));

  if (added > 0 && position + added == n && follow)
    select_position (self, n - 1, TRUE);
  else if (lost)
    {
      /* The selected image went: select the next one in the strip, else
       * the one before. */
      guint next = G_MAXUINT;

      if (n > 0)
        {
          if (self->newest_first)
            next = position > 0 ? position - 1 : 0;
          else
            next = MIN (position, n - 1);
        }
      select_position (self, next, TRUE);
    }
  else
    update_accessible (self);

  _capa_film_strip_schedule_update (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* A file joining or leaving a shot changes its badge and name, though
 * maybe not the items. */
static void
on_session_changed_cb (CapaFilmStrip *self)
{
  _capa_film_strip_accessible_items_changed (
    CAPA_FILM_STRIP_ACCESSIBLE (gtk_widget_get_accessible (GTK_WIDGET (self->canvas))));
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* --- events --- */

static void
on_canvas_size_allocate_cb (GtkWidget     *canvas,
                            GtkAllocation *allocation,
                            CapaFilmStrip *self)
{
  int box_height = CLAMP (allocation->height - 2 * V_PADDING, MIN_BOX_HEIGHT, MAX_BOX_HEIGHT);
  int scale = gtk_widget_get_scale_factor (canvas);

  if (box_height != self->box_height || scale != self->scale)
    {
      self->box_height = box_height;
      self->box_width = box_height * 4 / 3;
      self->scale = scale;
      update_content_width (self);
      _capa_film_strip_reload_all (self);
    }

  if (self->scroll_pending && allocation->width > 1)
    {
      self->scroll_pending = FALSE;
      if (self->selected_pos != G_MAXUINT)
        scroll_to_position (self, self->selected_pos);
    }

  _capa_film_strip_schedule_update (self);
}

static void
on_hadjustment_value_changed_cb (CapaFilmStrip *self)
{
  _capa_film_strip_update_requests (self);
}

static void
on_canvas_map_cb (CapaFilmStrip *self)
{
  _capa_film_strip_schedule_update (self);
}

static gboolean
on_canvas_button_press_cb (GtkWidget      *canvas,
                           GdkEventButton *event,
                           CapaFilmStrip  *self)
{
  guint position;

  if (event->type != GDK_BUTTON_PRESS)
    return FALSE;

  gtk_widget_grab_focus (canvas);

  position = position_at (self, event->x, event->y);
  if (position != G_MAXUINT &&
      (event->button == GDK_BUTTON_PRIMARY || event->button == GDK_BUTTON_SECONDARY))
    select_position (self, position, TRUE);

  if (gdk_event_triggers_context_menu ((GdkEvent *) event) && position != G_MAXUINT)
    {
      GdkRectangle rect = { (int) event->x, (int) event->y, 1, 1 };

      return _capa_film_strip_popup_menu (self, &rect);
    }

  return position != G_MAXUINT;
}

static gboolean
on_canvas_popup_menu_cb (GtkWidget     *canvas,
                         CapaFilmStrip *self)
{
  GdkRectangle rect;

  if (!_capa_film_strip_get_cell_rect (self, self->selected_pos, &rect))
    return FALSE;

  return _capa_film_strip_popup_menu (self, &rect);
}

static gboolean
on_canvas_key_press_cb (GtkWidget     *canvas,
                        GdkEventKey   *event,
                        CapaFilmStrip *self)
{
  GdkModifierType modifiers = event->state & gtk_accelerator_get_default_mod_mask ();
  guint first;
  guint last;
  int page;

  if (modifiers != 0)
    return FALSE;

  _capa_film_strip_get_visible_places (self, &first, &last);
  page = MAX ((int) (last - first) - 1, 1);

  switch (event->keyval)
    {
    /* The strip runs left to right in every text direction, as time
     * does on a film: the arrows go where they point. */
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      move_selection (self, -1);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      move_selection (self, 1);
      return TRUE;

    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      move_selection (self, G_MININT);
      return TRUE;

    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      move_selection (self, G_MAXINT);
      return TRUE;

    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      move_selection (self, -page);
      return TRUE;

    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      move_selection (self, page);
      return TRUE;

    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (self->selected == NULL)
        return FALSE;
      g_action_group_activate_action (G_ACTION_GROUP (self->actions), "trash", NULL);
      return TRUE;

    default:
      return FALSE;
    }
}

/* A vertical wheel scrolls the strip sideways. */
static gboolean
on_canvas_scroll_cb (GtkWidget      *canvas,
                     GdkEventScroll *event,
                     CapaFilmStrip  *self)
{
  GtkAdjustment *adjustment = _capa_film_strip_canvas_get_hadjustment (self->canvas);
  double dx = 0.0;
  double dy = 0.0;
  double delta;

  if (event->state & gtk_accelerator_get_default_mod_mask ())
    return FALSE;

  switch (event->direction)
    {
    case GDK_SCROLL_UP:
      delta = -1.0;
      break;

    case GDK_SCROLL_DOWN:
      delta = 1.0;
      break;

    case GDK_SCROLL_SMOOTH:
      gdk_event_get_scroll_deltas ((GdkEvent *) event, &dx, &dy);
      /* Sideways scrolling (touchpads) is the scrolled window's. */
      if (dx != 0.0 || dy == 0.0)
        return FALSE;
      delta = dy;
      break;

    case GDK_SCROLL_LEFT:
    case GDK_SCROLL_RIGHT:
    default:
      return FALSE;
    }

  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_value (adjustment) + delta * get_pitch (self));
  return TRUE;
}

static gboolean
on_canvas_query_tooltip_cb (GtkWidget     *canvas,
                            int            x,
                            int            y,
                            gboolean       keyboard,
                            GtkTooltip    *tooltip,
                            CapaFilmStrip *self)
{
  g_autoptr(CapaImage) image = NULL;
  g_autofree char *name = NULL;
  GdkRectangle rect;
  guint position;

  position = keyboard ? self->selected_pos : position_at (self, x, y);
  if (position == G_MAXUINT)
    return FALSE;

  image = g_list_model_get_item (G_LIST_MODEL (self->pairs), position);
  if (image == NULL || !_capa_film_strip_get_cell_rect (self, position, &rect))
    return FALSE;

  name = _capa_film_strip_pairs_dup_label (self->pairs, image);
  gtk_tooltip_set_text (tooltip, name);
  gtk_tooltip_set_tip_area (tooltip, &rect);

  return TRUE;
}

static gboolean
on_canvas_focus_changed_cb (GtkWidget     *canvas,
                            GdkEvent      *event,
                            CapaFilmStrip *self)
{
  gtk_widget_queue_draw (canvas);

  return FALSE;
}

/* --- GObject --- */

static void
capa_film_strip_dispose (GObject *object)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);

  if (self->pairs != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->pairs);
      g_clear_object (&self->pairs);
    }
  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->session_changed_id, self->session);
      g_clear_object (&self->session);
    }
  if (self->entries != NULL)
    _capa_film_strip_clear_entries (self);

  g_clear_pointer (&self->popover, gtk_widget_destroy);
  g_clear_object (&self->selected);
  g_clear_object (&self->deferred);
  g_clear_object (&self->display_profile);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (capa_film_strip_parent_class)->dispose (object);
}

static void
capa_film_strip_finalize (GObject *object)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->trashed, g_ptr_array_unref);
  g_clear_pointer (&self->broken_icon, cairo_surface_destroy);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (capa_film_strip_parent_class)->finalize (object);
}

static void
capa_film_strip_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SELECTED_IMAGE:
      g_value_set_object (value, self->selected);
      break;

    case PROP_NEWEST_FIRST:
      g_value_set_boolean (value, self->newest_first);
      break;

    case PROP_DISPLAY_PROFILE:
      g_value_set_object (value, self->display_profile);
      break;

    case PROP_RENDERING_INTENT:
      g_value_set_enum (value, self->intent);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading_visible);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_film_strip_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CapaFilmStrip *self = CAPA_FILM_STRIP (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      capa_film_strip_set_session (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_IMAGE:
      capa_film_strip_set_selected_image (self, g_value_get_object (value));
      break;

    case PROP_NEWEST_FIRST:
      capa_film_strip_set_newest_first (self, g_value_get_boolean (value));
      break;

    case PROP_DISPLAY_PROFILE:
      capa_film_strip_set_display_profile (self, g_value_get_object (value));
      break;

    case PROP_RENDERING_INTENT:
      capa_film_strip_set_rendering_intent (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_film_strip_class_init (CapaFilmStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capa_film_strip_dispose;
  object_class->finalize = capa_film_strip_finalize;
  object_class->get_property = capa_film_strip_get_property;
  object_class->set_property = capa_film_strip_set_property;

  /**
   * CapaFilmStrip:session:
   *
   * The session whose images the strip shows, or %NULL for none. The
   * strip follows the session as it changes (shots saved, files added or
   * removed by other programs); loading the session is up to its owner.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CAPA_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaFilmStrip:selected-image:
   *
   * The selected image, or %NULL. A new session selects its newest image,
   * and an image saved at the end of the session is selected when the
   * newest one was. A shot saved as several files (RAW + JPEG) is one
   * item, shown and selected as its JPEG (else its first file that is not
   * RAW).
   */
  properties[PROP_SELECTED_IMAGE] =
    g_param_spec_object ("selected-image", NULL, NULL,
                         CAPA_TYPE_IMAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaFilmStrip:newest-first:
   *
   * Whether the newest image is at the left end of the strip rather than
   * at the right end.
   */
  properties[PROP_NEWEST_FIRST] =
    g_param_spec_boolean ("newest-first", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaFilmStrip:display-profile:
   *
   * The colour profile of the monitor the strip is shown on, or %NULL to
   * draw the thumbnails' pixels as they are.
   */
  properties[PROP_DISPLAY_PROFILE] =
    g_param_spec_object ("display-profile", NULL, NULL,
                         CAPA_TYPE_COLOUR_PROFILE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaFilmStrip:rendering-intent:
   *
   * The rendering intent of the transform to the display profile.
   */
  properties[PROP_RENDERING_INTENT] =
    g_param_spec_enum ("rendering-intent", NULL, NULL,
                       CAPA_TYPE_RENDERING_INTENT,
                       CAPA_RENDERING_INTENT_PERCEPTUAL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaFilmStrip:loading:
   *
   * Whether thumbnails of visible images are still being loaded: it
   * becomes %FALSE when every visible cell shows its thumbnail (or the
   * mark of a broken file).
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaFilmStrip::trashed:
   * @self: the #CapaFilmStrip
   * @n_images: how many images were moved to the trash
   *
   * Emitted after images were moved to the trash from the strip; the
   * window offers to undo it with [method@Capa.FilmStrip.undo_trash_async].
   */
  signals[SIGNAL_TRASHED] =
    g_signal_new ("trashed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * CapaFilmStrip::error:
   * @self: the #CapaFilmStrip
   * @error: what went wrong, in a message for the user
   *
   * Emitted when something asked of the strip failed: opening an image in
   * another application, showing it in the file manager, moving it to the
   * trash.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (CAPA_TYPE_FILM_STRIP_CANVAS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/capa-film-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaFilmStrip, scroller);
  gtk_widget_class_bind_template_child (widget_class, CapaFilmStrip, canvas);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_canvas_draw_cb",
                                                G_CALLBACK (_capa_film_strip_draw_cb));
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_size_allocate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_map_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_button_press_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_popup_menu_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_key_press_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_scroll_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_focus_changed_cb);
  gtk_widget_class_set_css_name (widget_class, "filmstrip");
}

static void
capa_film_strip_init (CapaFilmStrip *self)
{
  self->cancellable = g_cancellable_new ();
  self->pairs = _capa_film_strip_pairs_new (NULL);
  _capa_film_strip_init_cells (self);
  self->selected_pos = G_MAXUINT;
  self->intent = CAPA_RENDERING_INTENT_PERCEPTUAL;
  self->box_height = DEFAULT_BOX_HEIGHT;
  self->box_width = DEFAULT_BOX_HEIGHT * 4 / 3;
  self->scale = 1;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Each scroll step makes the scrollbar, then the scrolled window, ask
   * for a new size; without a boundary here every frame of a scroll lays
   * out, and redraws, the whole window (the image view, the panel).  The
   * strip's height never depends on its position, so it is laid out by
   * itself. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_container_set_resize_mode (GTK_CONTAINER (self->scroller), GTK_RESIZE_QUEUE);
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_signal_connect_object (_capa_film_strip_canvas_get_hadjustment (self->canvas),
                           "value-changed", G_CALLBACK (on_hadjustment_value_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* A new scale factor: thumbnails made again at the allocation. */
  g_signal_connect (self->canvas, "notify::scale-factor", G_CALLBACK (gtk_widget_queue_resize),
                    NULL);
  gtk_widget_set_size_request (GTK_WIDGET (self->canvas), -1,
                               DEFAULT_BOX_HEIGHT + 2 * V_PADDING);

  _capa_film_strip_init_actions (self);
  update_accessible (self);
}

/* --- public API --- */

/**
 * capa_film_strip_new:
 *
 * Creates a film strip, showing no session until
 * [property@Capa.FilmStrip:session] is set.
 *
 * Returns: (transfer full): a new #CapaFilmStrip
 */
CapaFilmStrip *
capa_film_strip_new (void)
{
  return g_object_new (CAPA_TYPE_FILM_STRIP, NULL);
}

/**
 * capa_film_strip_get_session:
 * @self: a #CapaFilmStrip
 *
 * Returns: (transfer none) (nullable): the session shown
 */
CapaSession *
capa_film_strip_get_session (CapaFilmStrip *self)
{
  g_return_val_if_fail (CAPA_IS_FILM_STRIP (self), NULL);

  return self->session;
}

/**
 * capa_film_strip_set_session:
 * @self: a #CapaFilmStrip
 * @session: (nullable): the session to show
 *
 * Shows the images of @session and selects the newest one.
 */
void
capa_film_strip_set_session (CapaFilmStrip *self,
                             CapaSession   *session)
{
  guint n;

  g_return_if_fail (CAPA_IS_FILM_STRIP (self));
  g_return_if_fail (!session || CAPA_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->pairs != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->pairs);
  if (self->session != NULL)
    g_clear_signal_handler (&self->session_changed_id, self->session);
  g_clear_object (&self->pairs);
  g_set_object (&self->session, session);
  self->pairs = _capa_film_strip_pairs_new (session);
  self->items_changed_id = g_signal_connect (self->pairs, "items-changed",
                                             G_CALLBACK (on_items_changed_cb), self);
  if (session != NULL)
    self->session_changed_id = g_signal_connect_swapped (session, "items-changed",
                                                         G_CALLBACK (on_session_changed_cb),
                                                         self);

  _capa_film_strip_clear_entries (self);
  g_clear_pointer (&self->trashed, g_ptr_array_unref);
  gtk_adjustment_set_value (_capa_film_strip_canvas_get_hadjustment (self->canvas), 0.0);
  update_content_width (self);

  g_object_freeze_notify (G_OBJECT (self));
  n = _capa_film_strip_get_n_items (self);
  select_position (self, n > 0 ? n - 1 : G_MAXUINT, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  g_object_thaw_notify (G_OBJECT (self));

  _capa_film_strip_schedule_update (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/**
 * capa_film_strip_get_selected_image:
 * @self: a #CapaFilmStrip
 *
 * Returns: (transfer none) (nullable): the selected image
 */
CapaImage *
capa_film_strip_get_selected_image (CapaFilmStrip *self)
{
  g_return_val_if_fail (CAPA_IS_FILM_STRIP (self), NULL);

  return self->selected;
}

/**
 * capa_film_strip_set_selected_image:
 * @self: a #CapaFilmStrip
 * @image: (nullable): an image of the session, or %NULL
 *
 * Selects @image, as [method@Capa.FilmStrip.select_image] does. An image
 * that is not in the session clears the selection.
 */
void
capa_film_strip_set_selected_image (CapaFilmStrip *self,
                                    CapaImage     *image)
{
  g_return_if_fail (CAPA_IS_FILM_STRIP (self));
  g_return_if_fail (!image || CAPA_IS_IMAGE (image));

  capa_film_strip_select_image (self, image);
}

/**
 * capa_film_strip_select_image:
 * @self: a #CapaFilmStrip
 * @image: (nullable): an image of the session, or %NULL
 *
 * Selects @image and scrolls the strip to show it. An image that is not
 * in the session clears the selection. The files of one shot (a RAW +
 * JPEG, see [method@Capa.Session.get_companions]) are one item of the
 * strip, shown by the JPEG: selecting the RAW selects the JPEG.
 */
void
capa_film_strip_select_image (CapaFilmStrip *self,
                              CapaImage     *image)
{
  g_return_if_fail (CAPA_IS_FILM_STRIP (self));
  g_return_if_fail (!image || CAPA_IS_IMAGE (image));

  /* A file of a shot shown by another (the RAW of a RAW + JPEG) selects
   * the one shown. */
  if (image != NULL)
    image = _capa_film_strip_get_shown (self, image);

  select_position (self, image != NULL ? find_position (self, image) : G_MAXUINT, TRUE);
}

/**
 * capa_film_strip_get_newest_first:
 * @self: a #CapaFilmStrip
 *
 * Returns: whether the newest image is at the left end
 */
gboolean
capa_film_strip_get_newest_first (CapaFilmStrip *self)
{
  g_return_val_if_fail (CAPA_IS_FILM_STRIP (self), FALSE);

  return self->newest_first;
}

/**
 * capa_film_strip_set_newest_first:
 * @self: a #CapaFilmStrip
 * @newest_first: whether the newest image goes at the left end
 *
 * Sets the order of the strip; the selection stays and is scrolled to.
 */
void
capa_film_strip_set_newest_first (CapaFilmStrip *self,
                                  gboolean       newest_first)
{
  g_return_if_fail (CAPA_IS_FILM_STRIP (self));

  newest_first = !!newest_first;
  if (self->newest_first == newest_first)
    return;

  self->newest_first = newest_first;
  if (self->selected_pos != G_MAXUINT)
    {
      scroll_to_position (self, self->selected_pos);
      update_accessible (self);
    }
  _capa_film_strip_schedule_update (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEWEST_FIRST]);
}

/**
 * capa_film_strip_get_display_profile:
 * @self: a #CapaFilmStrip
 *
 * Returns: (transfer none) (nullable): the profile thumbnails are drawn for
 */
CapaColourProfile *
capa_film_strip_get_display_profile (CapaFilmStrip *self)
{
  g_return_val_if_fail (CAPA_IS_FILM_STRIP (self), NULL);

  return self->display_profile;
}

/**
 * capa_film_strip_set_display_profile:
 * @self: a #CapaFilmStrip
 * @profile: (nullable): the monitor's profile, or %NULL for no colour
 *   management
 *
 * Sets the profile the thumbnails are transformed to (on a worker
 * thread); the visible ones are drawn again.
 */
void
capa_film_strip_set_display_profile (CapaFilmStrip     *self,
                                     CapaColourProfile *profile)
{
  gboolean same;

  g_return_if_fail (CAPA_IS_FILM_STRIP (self));
  g_return_if_fail (!profile || CAPA_IS_COLOUR_PROFILE (profile));

  if (self->display_profile == profile)
    return;

  /* Another object with the same bytes: nothing to draw again. */
  same = self->display_profile != NULL && profile != NULL &&
         capa_colour_profile_equal (self->display_profile, profile);

  g_set_object (&self->display_profile, profile);
  if (!same)
    _capa_film_strip_reload_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_PROFILE]);
}

/**
 * capa_film_strip_get_rendering_intent:
 * @self: a #CapaFilmStrip
 *
 * Returns: the rendering intent of the transform to the display profile
 */
CapaRenderingIntent
capa_film_strip_get_rendering_intent (CapaFilmStrip *self)
{
  g_return_val_if_fail (CAPA_IS_FILM_STRIP (self), CAPA_RENDERING_INTENT_PERCEPTUAL);

  return self->intent;
}

/**
 * capa_film_strip_set_rendering_intent:
 * @self: a #CapaFilmStrip
 * @intent: a rendering intent
 *
 * Sets the rendering intent of the transform to the display profile.
 */
void
capa_film_strip_set_rendering_intent (CapaFilmStrip       *self,
                                      CapaRenderingIntent  intent)
{
  g_return_if_fail (CAPA_IS_FILM_STRIP (self));
  g_return_if_fail (intent <= CAPA_RENDERING_INTENT_ABSOLUTE_COLORIMETRIC);

  if (self->intent == intent)
    return;

  self->intent = intent;
  if (self->display_profile != NULL)
    _capa_film_strip_reload_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERING_INTENT]);
}

/**
 * capa_film_strip_get_loading:
 * @self: a #CapaFilmStrip
 *
 * Returns: whether thumbnails of visible images are still being loaded
 */
gboolean
capa_film_strip_get_loading (CapaFilmStrip *self)
{
  g_return_val_if_fail (CAPA_IS_FILM_STRIP (self), FALSE);

  return self->loading_visible;
}

void
_capa_film_strip_set_loading (CapaFilmStrip *self,
                              gboolean       loading)
{
  loading = !!loading;
  if (self->loading_visible == loading)
    return;

  self->loading_visible = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

CapaImage *
_capa_film_strip_get_shown (CapaFilmStrip *self,
                            CapaImage     *image)
{
  CapaImage *shown;

  g_assert (CAPA_IS_FILM_STRIP (self));
  g_assert (CAPA_IS_IMAGE (image));

  if (self->session == NULL)
    return image;

  shown = _capa_film_strip_pairs_get_shown (self->pairs, image);
  return shown != NULL ? shown : image;
}

gboolean
_capa_film_strip_shows_raw (CapaFilmStrip *self,
                            CapaImage     *image)
{
  g_assert (CAPA_IS_FILM_STRIP (self));
  g_assert (CAPA_IS_IMAGE (image));

  return self->session != NULL && _capa_film_strip_pairs_shows_raw (self->pairs, image);
}

void
_capa_film_strip_emit_error (CapaFilmStrip *self,
                             const GError  *error)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

void
_capa_film_strip_emit_trashed (CapaFilmStrip *self,
                               guint          n_images)
{
  g_signal_emit (self, signals[SIGNAL_TRASHED], 0, n_images);
}
