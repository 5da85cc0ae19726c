/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaImageView: zoom and pan, by keys, scrolling, dragging and pinching,
 * and the zoom functions of its API. */

#define G_LOG_DOMAIN "Capa-ImageView"

#include "config.h"

#include <math.h>

#include "capa-image-view.h"
#include "capa-image-view-private.h"

/* Arrow keys move the image by this share of the view. */
#define KEY_PAN_STEP 0.1

/* Zoom levels of zoom in and out. */
static const double zoom_levels[] = {
  0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 1.0 / 3.0, 0.5, 2.0 / 3.0, 1.0,
  1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0,
};

static gboolean
can_pan (CapaImageView *self)
{
  int width, height, scale = _capa_image_view_get_scale_factor (self);
  double device_width = _capa_image_view_get_device_width (self);

  if (device_width <= 0.0)
    return FALSE;

  _capa_image_view_get_view_size (self, &width, &height);
  return device_width > width * scale + 0.5 ||
         self->natural_height * device_width / self->natural_width > height * scale + 0.5;
}

/* Zooms to @zoom keeping the image point under (@x, @y) of the canvas
 * where it is. */
static void
zoom_around (CapaImageView *self,
             double         zoom,
             double         x,
             double         y)
{
  cairo_surface_t *reference = NULL;
  double rect_x, rect_y, rect_width, rect_height;
  double image_x, image_y;
  int width, height, scale = _capa_image_view_get_scale_factor (self);

  if (self->natural_width <= 0)
    {
      capa_image_view_set_zoom (self, zoom);
      return;
    }

  for (int quality = N_QUALITIES - 1; quality >= 0 && reference == NULL; quality--)
    reference = self->surfaces[quality];

  /* Where the point is on the image now. */
  if (reference != NULL)
    _capa_image_view_compute_image_rect (self, _capa_image_view_get_surface_width (reference),
                                         _capa_image_view_get_surface_height (reference), FALSE,
                                         &rect_x, &rect_y, &rect_width, &rect_height);
  else
    _capa_image_view_compute_image_rect (self, self->natural_width, self->natural_height, FALSE,
                                         &rect_x, &rect_y, &rect_width, &rect_height);
  image_x = CLAMP ((x - rect_x) / rect_width, 0.0, 1.0);
  image_y = CLAMP ((y - rect_y) / rect_height, 0.0, 1.0);

  capa_image_view_set_zoom (self, zoom);

  /* Put it back under the point. */
  _capa_image_view_get_view_size (self, &width, &height);
  rect_width = self->natural_width * self->zoom / scale;
  rect_height = self->natural_height * self->zoom / scale;
  self->center_x = image_x + (width / 2.0 - x) / rect_width;
  self->center_y = image_y + (height / 2.0 - y) / rect_height;
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static double
current_zoom (CapaImageView *self)
{
  return self->zoom_to_fit ? _capa_image_view_get_fit_zoom (self) : self->zoom;
}

static double
next_zoom_level (double zoom,
                 int    direction)
{
  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
        if (zoom_levels[i] > zoom * 1.01)
          return zoom_levels[i];
      return MAX_ZOOM;
    }

  for (guint i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
    if (zoom_levels[i - 1] < zoom / 1.01)
      return zoom_levels[i - 1];
  return MIN_ZOOM;
}

static void
pan_by (CapaImageView *self,
        double         dx,
        double         dy)
{
  int width, height;
  double image_width, image_height;
  int scale = _capa_image_view_get_scale_factor (self);

  if (!can_pan (self))
    return;

  _capa_image_view_get_view_size (self, &width, &height);
  image_width = self->natural_width * current_zoom (self) / scale;
  image_height = self->natural_height * current_zoom (self) / scale;

  /* Kept where the image still covers the view. */
  self->center_x = CLAMP (self->center_x + dx / image_width,
                          MIN (0.5, width / 2.0 / image_width),
                          MAX (0.5, 1.0 - width / 2.0 / image_width));
  self->center_y = CLAMP (self->center_y + dy / image_height,
                          MIN (0.5, height / 2.0 / image_height),
                          MAX (0.5, 1.0 - height / 2.0 / image_height));
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

gboolean
_capa_image_view_key_press_event (GtkWidget   *widget,
                                 GdkEventKey *event)
{
  CapaImageView *self = CAPA_IMAGE_VIEW (widget);
  GdkModifierType modifiers = event->state & gtk_accelerator_get_default_mod_mask ();
  int width, height;

  if (modifiers & ~GDK_SHIFT_MASK)
    return GTK_WIDGET_CLASS (g_type_class_peek (GTK_TYPE_BIN))->key_press_event (widget, event);

  _capa_image_view_get_view_size (self, &width, &height);

  switch (event->keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      capa_image_view_zoom_in (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      capa_image_view_zoom_out (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      capa_image_view_zoom_to_fit (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_1:
    case GDK_KEY_KP_1:
      capa_image_view_zoom_actual_size (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (!can_pan (self))
        break;
      if (event->keyval == GDK_KEY_Left || event->keyval == GDK_KEY_KP_Left)
        pan_by (self, -KEY_PAN_STEP * width, 0);
      else if (event->keyval == GDK_KEY_Right || event->keyval == GDK_KEY_KP_Right)
        pan_by (self, KEY_PAN_STEP * width, 0);
      else if (event->keyval == GDK_KEY_Up || event->keyval == GDK_KEY_KP_Up)
        pan_by (self, 0, -KEY_PAN_STEP * height);
      else
        pan_by (self, 0, KEY_PAN_STEP * height);
      return GDK_EVENT_STOP;

    default:
      break;
    }

  return GTK_WIDGET_CLASS (g_type_class_peek (GTK_TYPE_BIN))->key_press_event (widget, event);
}

gboolean
_capa_image_view_on_canvas_scroll_event (GtkWidget      *widget,
                                         GdkEventScroll *event,
                                         CapaImageView  *self)
{
  double dx = 0.0, dy = 0.0;

  switch (event->direction)
    {
    case GDK_SCROLL_UP:     dy = -1.0; break;
    case GDK_SCROLL_DOWN:   dy = 1.0;  break;
    case GDK_SCROLL_LEFT:   dx = -1.0; break;
    case GDK_SCROLL_RIGHT:  dx = 1.0;  break;
    case GDK_SCROLL_SMOOTH: gdk_event_get_scroll_deltas ((GdkEvent *) event, &dx, &dy); break;
    default: break;
    }

  if (event->state & GDK_CONTROL_MASK)
    {
      if (dy == 0.0 || self->natural_width <= 0)
        return GDK_EVENT_STOP;
      zoom_around (self, current_zoom (self) * pow (1.2, -dy), event->x, event->y);
      return GDK_EVENT_STOP;
    }

  if (!can_pan (self))
    return GDK_EVENT_PROPAGATE;

  pan_by (self, dx * 40.0, dy * 40.0);
  return GDK_EVENT_STOP;
}

static void
on_drag_begin_cb (GtkGestureDrag *gesture,
                  double          x,
                  double          y,
                  CapaImageView  *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (!can_pan (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_center_x = self->center_x;
  self->drag_center_y = self->center_y;
}

static void
on_drag_update_cb (GtkGestureDrag *gesture,
                   double          offset_x,
                   double          offset_y,
                   CapaImageView  *self)
{
  self->center_x = self->drag_center_x;
  self->center_y = self->drag_center_y;
  pan_by (self, -offset_x, -offset_y);
}

static void
on_pinch_begin_cb (GtkGesture       *gesture,
                   GdkEventSequence *sequence,
                   CapaImageView    *self)
{
  self->pinch_zoom = current_zoom (self);
}

static void
on_pinch_scale_changed_cb (GtkGestureZoom *gesture,
                           double          scale,
                           CapaImageView  *self)
{
  double x, y;

  if (self->natural_width <= 0 ||
      !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;

  zoom_around (self, self->pinch_zoom * scale, x, y);
}

void
_capa_image_view_init_input (CapaImageView *self)
{
  self->drag = gtk_gesture_drag_new (GTK_WIDGET (self->canvas));
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drag),
                                              GTK_PHASE_BUBBLE);
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);

  self->pinch = gtk_gesture_zoom_new (GTK_WIDGET (self->canvas));
  g_signal_connect (self->pinch, "begin", G_CALLBACK (on_pinch_begin_cb), self);
  g_signal_connect (self->pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed_cb), self);
}

/**
 * capa_image_view_zoom_in:
 * @self: a #CapaImageView
 *
 * Zooms in to the next zoom level, around the centre of the view.
 */
void
capa_image_view_zoom_in (CapaImageView *self)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));

  capa_image_view_set_zoom (self, next_zoom_level (current_zoom (self), 1));
}

/**
 * capa_image_view_zoom_out:
 * @self: a #CapaImageView
 *
 * Zooms out to the previous zoom level, around the centre of the view.
 */
void
capa_image_view_zoom_out (CapaImageView *self)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));

  capa_image_view_set_zoom (self, next_zoom_level (current_zoom (self), -1));
}

/**
 * capa_image_view_zoom_to_fit:
 * @self: a #CapaImageView
 *
 * Fits the image to the view; the same as setting
 * [property@Capa.ImageView:zoom-to-fit].
 */
void
capa_image_view_zoom_to_fit (CapaImageView *self)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));

  capa_image_view_set_zoom_to_fit (self, TRUE);
}

/**
 * capa_image_view_zoom_actual_size:
 * @self: a #CapaImageView
 *
 * Zooms to 100 %: one pixel of the image on one pixel of the screen.
 */
void
capa_image_view_zoom_actual_size (CapaImageView *self)
{
  g_return_if_fail (CAPA_IS_IMAGE_VIEW (self));

  capa_image_view_set_zoom (self, 1.0);
}
