/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-FilmStrip"

#include "config.h"

#include "capa-film-strip-private.h"

struct _CapaFilmStripCanvas
{
  GtkDrawingArea       parent_instance;

  /* owned */
  GtkAdjustment       *hadjustment;
  GtkAdjustment       *vadjustment;

  int                  content_width;
  GtkScrollablePolicy  hscroll_policy;
  GtkScrollablePolicy  vscroll_policy;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CapaFilmStripCanvas, _capa_film_strip_canvas,
                               GTK_TYPE_DRAWING_AREA,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0,
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

/* The adjustment follows the content and the allocation; the value stays
 * within range. */
static void
configure_hadjustment (CapaFilmStripCanvas *self)
{
  double page;
  double upper;
  double value;

  if (self->hadjustment == NULL)
    return;

  page = MAX (gtk_widget_get_allocated_width (GTK_WIDGET (self)), 1);
  upper = MAX (self->content_width, page);
  value = CLAMP (gtk_adjustment_get_value (self->hadjustment), 0.0, upper - page);

  gtk_adjustment_configure (self->hadjustment, value, 0.0, upper,
                            page * 0.1, page * 0.9, page);
}

static void
on_adjustment_value_changed_cb (GtkAdjustment       *adjustment,
                                CapaFilmStripCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (CapaFilmStripCanvas  *self,
                GtkAdjustment       **slot,
                GtkAdjustment        *adjustment)
{
  if (adjustment != NULL && *slot == adjustment)
    return;

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed_cb, self);
      g_clear_object (slot);
    }

  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);

  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed",
                    G_CALLBACK (on_adjustment_value_changed_cb), self);
}

static void
capa_film_strip_canvas_size_allocate (GtkWidget     *widget,
                                      GtkAllocation *allocation)
{
  CapaFilmStripCanvas *self = CAPA_FILM_STRIP_CANVAS (widget);

  GTK_WIDGET_CLASS (_capa_film_strip_canvas_parent_class)->size_allocate (widget, allocation);

  configure_hadjustment (self);
}

static void
capa_film_strip_canvas_dispose (GObject *object)
{
  CapaFilmStripCanvas *self = CAPA_FILM_STRIP_CANVAS (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (_capa_film_strip_canvas_parent_class)->dispose (object);
}

static void
capa_film_strip_canvas_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CapaFilmStripCanvas *self = CAPA_FILM_STRIP_CANVAS (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;

    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_film_strip_canvas_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CapaFilmStripCanvas *self = CAPA_FILM_STRIP_CANVAS (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      configure_hadjustment (self);
      break;

    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;

    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;

    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
_capa_film_strip_canvas_class_init (CapaFilmStripCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = capa_film_strip_canvas_dispose;
  object_class->get_property = capa_film_strip_canvas_get_property;
  object_class->set_property = capa_film_strip_canvas_set_property;

  widget_class->size_allocate = capa_film_strip_canvas_size_allocate;

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "filmstripcanvas");
  gtk_widget_class_set_accessible_type (widget_class, CAPA_TYPE_FILM_STRIP_ACCESSIBLE);
}

static void
_capa_film_strip_canvas_init (CapaFilmStripCanvas *self)
{
  gtk_widget_add_events (GTK_WIDGET (self),
                         GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK | GDK_KEY_PRESS_MASK |
                         GDK_SCROLL_MASK | GDK_SMOOTH_SCROLL_MASK | GDK_FOCUS_CHANGE_MASK);
  gtk_widget_set_can_focus (GTK_WIDGET (self), TRUE);
}

/* Sets how wide the whole strip is, in logical pixels. */
void
_capa_film_strip_canvas_set_content_width (CapaFilmStripCanvas *self,
                                           int                  width)
{
  g_assert (CAPA_IS_FILM_STRIP_CANVAS (self));

  if (self->content_width == width)
    return;

  self->content_width = width;
  configure_hadjustment (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GtkAdjustment *
_capa_film_strip_canvas_get_hadjustment (CapaFilmStripCanvas *self)
{
  g_assert (CAPA_IS_FILM_STRIP_CANVAS (self));

  if (self->hadjustment == NULL)
    set_adjustment (self, &self->hadjustment, NULL);

  return self->hadjustment;
}
