/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Window"

#include "config.h"

#include "capa-window-slot.h"

/* The state of one camera connected to a window; the window keeps a
 * list of them and an active one (capa-window-camera.c). The slot only
 * holds things: the window does the work. */

G_DEFINE_FINAL_TYPE (CapaWindowSlot, _capa_window_slot, G_TYPE_OBJECT)

static void
capa_window_slot_dispose (GObject *object)
{
  CapaWindowSlot *self = CAPA_WINDOW_SLOT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->bulb_cancellable != NULL)
    g_cancellable_cancel (self->bulb_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->bulb_cancellable);
  g_clear_object (&self->tether);
  g_clear_object (&self->camera);
  g_clear_object (&self->settings_panel);

  G_OBJECT_CLASS (_capa_window_slot_parent_class)->dispose (object);
}

static void
capa_window_slot_finalize (GObject *object)
{
  CapaWindowSlot *self = CAPA_WINDOW_SLOT (object);

  g_free (self->camera_tag);
  g_free (self->title);

  G_OBJECT_CLASS (_capa_window_slot_parent_class)->finalize (object);
}

static void
_capa_window_slot_class_init (CapaWindowSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capa_window_slot_dispose;
  object_class->finalize = capa_window_slot_finalize;
}

static void
_capa_window_slot_init (CapaWindowSlot *self)
{
  self->cancellable = g_cancellable_new ();
}

CapaWindowSlot *
_capa_window_slot_new (CapaWindow *window,
                       CapaCamera *camera)
{
  CapaWindowSlot *self;

  g_assert (CAPA_IS_CAMERA (camera));

  self = g_object_new (CAPA_TYPE_WINDOW_SLOT, NULL);
  self->window = window;
  self->camera = g_object_ref (camera);

  return self;
}

const char *
_capa_window_slot_get_model (CapaWindowSlot *self)
{
  g_assert (CAPA_IS_WINDOW_SLOT (self));

  return capa_camera_get_model (self->camera);
}

/* What the window calls the camera: its model, with a number for the
 * second of one model ("Capa Test Camera 2"). */
const char *
_capa_window_slot_get_title (CapaWindowSlot *self)
{
  g_assert (CAPA_IS_WINDOW_SLOT (self));

  return self->title != NULL ? self->title : _capa_window_slot_get_model (self);
}

/* Whether a shot or an exposure runs on this camera now. */
gboolean
_capa_window_slot_is_busy (CapaWindowSlot *self)
{
  g_assert (CAPA_IS_WINDOW_SLOT (self));

  return self->captures_running > 0 || self->bulb_cancellable != NULL;
}
