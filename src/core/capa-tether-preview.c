/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Tether"

#include "config.h"

#include "capa-tether-private.h"

/* Live view, and the helpers every part of the tether uses for work in
 * flight: weak references and timeouts in the tether's own context. */

/* Work in flight (a watch cycle, a live-view frame, a pause) holds the
 * tether weakly, so that dropping the last reference ends it. */
gpointer
_capa_tether_weak_new (CapaTether *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

void
_capa_tether_weak_free (gpointer data)
{
  GWeakRef *ref = data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

/* Frees @data, a _capa_tether_weak_new(): the tether, or %NULL once it is gone. */
CapaTether *
_capa_tether_weak_steal (gpointer data)
{
  CapaTether *self = g_weak_ref_get (data);

  _capa_tether_weak_free (data);
  return self;
}

/* A timeout in the tether's own main context, never the global default. */
GSource *
_capa_tether_add_timeout (CapaTether     *self,
                          guint           delay_ms,
                          GSourceFunc     func,
                          gpointer        data,
                          GDestroyNotify  notify,
                          const char     *name)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->main_context);
  return source;
}

void
_capa_tether_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* ------------------------------------------------------------------ */
/* live view                                                            */
/* ------------------------------------------------------------------ */

static void preview_next (CapaTether *self);

static void
on_preview_frame_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CapaTether) self = _capa_tether_weak_steal (user_data);
  g_autoptr(CapaCameraFile) frame = NULL;
  g_autoptr(GError) error = NULL;

  frame = capa_camera_preview_image_finish (CAPA_CAMERA (object), result, &error);
  if (self == NULL)
    return;
  if (frame == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->previewing)
        return;
      /* A camera lost (unplugged, or reset) is reported once, by the
       * tether's CapaCamera::disconnected handler, which stops live view;
       * no further frame is asked for meanwhile. */
      if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED))
        return;

      /* A camera that cannot give live view, or went away, ends it. */
      _capa_tether_emit_error (self, error);
      capa_tether_stop_preview (self);
      return;
    }

  if (!self->previewing)
    return;

  _capa_tether_emit_preview_frame (self, frame);
  /* The next frame as soon as the camera has one: its own pace. */
  preview_next (self);
}

static void
preview_next (CapaTether *self)
{
  if (!self->previewing)
    return;

  capa_camera_preview_image_async (self->camera, self->preview_cancellable,
                                   on_preview_frame_cb, _capa_tether_weak_new (self));
}

/**
 * capa_tether_start_preview:
 * @self: a #CapaTether
 *
 * Starts live view: [signal@Capa.Tether::preview-frame] is emitted for
 * each frame, as fast as the camera gives them, until
 * [method@Capa.Tether.stop_preview]. A camera without live view reports
 * an error through [signal@Capa.Tether::error] and live view stops.
 */
void
capa_tether_start_preview (CapaTether *self)
{
  g_return_if_fail (CAPA_IS_TETHER (self));

  if (self->previewing)
    return;

  self->previewing = TRUE;
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();
  _capa_tether_notify_previewing (self);
  preview_next (self);
}

/**
 * capa_tether_stop_preview:
 * @self: a #CapaTether
 *
 * Stops live view.
 */
void
capa_tether_stop_preview (CapaTether *self)
{
  g_return_if_fail (CAPA_IS_TETHER (self));

  if (!self->previewing)
    return;

  self->previewing = FALSE;
  g_cancellable_cancel (self->preview_cancellable);
  _capa_tether_notify_previewing (self);
}

/**
 * capa_tether_get_previewing:
 * @self: a #CapaTether
 *
 * Gets whether live view is running.
 *
 * Returns: whether live view is running
 */
gboolean
capa_tether_get_previewing (CapaTether *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER (self), FALSE);

  return self->previewing;
}
