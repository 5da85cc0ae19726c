/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-application.h"
#include "capa-film-strip-private.h"
#include "capa-window-private.h"

/* The cameras' life cycle in the window: the camera list and its
 * hotplug, connecting (auto-connect, `capa --camera`, the camera button),
 * the tethers on the window's session, captures and their queues, and
 * what the cameras and the tethers report. Several cameras may be
 * connected at once (issue 10, item 5): each has a CapaWindowSlot, and the
 * active one is the window's `tether`, the one Capture and the bulb field
 * follow. Nothing here waits: every camera call is an _async one. */

static void connect_camera (CapaWindow *self,
                            CapaCamera *camera);

CapaWindowSlot *
_capa_window_find_slot (CapaWindow *self,
                        CapaCamera *camera)
{
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot->camera == camera)
        return slot;
    }

  return NULL;
}

CapaWindowSlot *
_capa_window_find_slot_by_tether (CapaWindow *self,
                                  CapaTether *tether)
{
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot->tether == tether)
        return slot;
    }

  return NULL;
}

/* The number of cameras open (with a tether). */
guint
_capa_window_count_open (CapaWindow *self)
{
  guint n = 0;

  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    if (((CapaWindowSlot *) g_ptr_array_index (self->slots, i))->tether != NULL)
      n++;

  return n;
}

static gboolean
any_opening (CapaWindow *self)
{
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    if (((CapaWindowSlot *) g_ptr_array_index (self->slots, i))->opening)
      return TRUE;

  return FALSE;
}

/* What the info bar says of a camera's failure: with several connected,
 * which camera it was. */
static char *
dup_primary (CapaWindowSlot *slot,
             const char     *primary)
{
  if (slot->window == NULL || _capa_window_count_open (slot->window) < 2)
    return g_strdup (primary);

  /* Translators: a failure's first line, then the camera model it happened on */
  return g_strdup_printf (_("%s (%s)"), primary, _capa_window_slot_get_title (slot));
}

static CapaCamera *
find_by_port (CapaWindow *self,
              const char *port)
{
  GListModel *model = G_LIST_MODEL (self->camera_list);
  guint n = g_list_model_get_n_items (model);

  if (port == NULL || *port == '\0')
    return NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapaCamera) camera = g_list_model_get_item (model, i);

      if (g_strcmp0 (capa_camera_get_port (camera), port) == 0)
        return camera;  /* the list holds it */
    }

  return NULL;
}

void
_capa_window_update_capture (CapaWindow *self)
{
  g_autofree char *label = NULL;
  g_autofree char *tooltip = NULL;
  guint queued = (self->active != NULL ? self->active->captures_queued : 0)
                 + self->capture_all_queued;

  gtk_widget_set_sensitive (GTK_WIDGET (self->capture_button), self->tether != NULL);

  if (queued > 0)
    {
      /* Translators: the Capture button while shots wait for the one in progress */
      label = g_strdup_printf (_("Capture (%u queued)"), queued);
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u more shot will be taken once this one is in",
                                              "%u more shots will be taken once this one is in",
                                              queued),
                                 queued);
    }
  else
    {
      label = g_strdup (_("Capture"));
      tooltip = g_strdup (_("Take a picture (Space)"));
    }

  _capa_label_set_text (self->capture_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->capture_button), tooltip);
  /* What a bulb exposure changed, put back. */
  _capa_accessible_set_text (GTK_WIDGET (self->capture_button), _("Capture"), tooltip);
  _capa_window_bulb_update_capture (self);
  _capa_window_capture_all_update (self);
}

/* ------------------------------------------------------------------ */
/* The tether                                                           */
/* ------------------------------------------------------------------ */

/* A camera set to RAW + JPEG returns the RAW from its capture and tells
 * the JPEG a moment later (see capa_tether_capture_async ()); the tether
 * saves and announces each as it comes, and the film strip shows the pair
 * as its JPEG. The window shows the JPEG too, without decoding the RAW on
 * the way: a RAW saved while a capture runs, alone in its shot so far, is
 * held back (not selected), until the JPEG comes and is selected, or the
 * capture ends without one and the RAW is. */

static gboolean
any_capture_running (CapaWindow *self)
{
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    if (((CapaWindowSlot *) g_ptr_array_index (self->slots, i))->captures_running > 0)
      return TRUE;

  return FALSE;
}

/* Holds @image back when it is a RAW standing alone for its shot while a
 * capture runs; returns whether it did. */
gboolean
_capa_window_hold_raw (CapaWindow *self,
                       CapaImage  *image)
{
  if (image == NULL || self->film_strip == NULL || !any_capture_running (self)
      || !_capa_film_strip_shows_raw (self->film_strip, image))
    return FALSE;

  g_debug ("Waiting for the JPEG of %s", capa_image_get_filename (image));
  g_set_object (&self->held_raw, image);
  return TRUE;
}

/* A capture ended with @images (nullable): the RAW held back is selected
 * when it was one of them, or when no capture runs any more; its shot's
 * JPEG instead, if one came meanwhile. */
void
_capa_window_release_raw (CapaWindow *self,
                          GPtrArray  *images)
{
  g_autoptr(CapaImage) held = NULL;

  if (self->held_raw == NULL)
    return;
  if (any_capture_running (self)
      && (images == NULL || !g_ptr_array_find (images, self->held_raw, NULL)))
    return;

  held = g_steal_pointer (&self->held_raw);
  _capa_window_set_selected_image (self, held);
}

static void
on_tether_image_saved_cb (CapaTether     *tether,
                          CapaImage      *image,
                          CapaWindowSlot *slot)
{
  CapaWindow *self = slot->window;

  if (self == NULL || slot->dropped)
    return;

  g_clear_pointer (&self->downloading, g_free);
  /* A RAW whose JPEG is still to come waits for it; one whose JPEG came
   * first selects the JPEG. */
  if (!_capa_window_hold_raw (self, image))
    _capa_window_set_selected_image (self, image);
  _capa_window_update_title (self);
  _capa_window_update_page (self);
}

static void
on_tether_error_cb (CapaTether     *tether,
                    const GError   *error,
                    CapaWindowSlot *slot)
{
  CapaWindow *self = slot->window;
  g_autofree char *primary = NULL;

  if (self == NULL || slot->dropped)
    return;

  g_clear_pointer (&self->downloading, g_free);
  _capa_window_update_title (self);

  if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED))
    {
      /* A network camera being tried again: that message stays. */
      if (_capa_window_network_is_retrying (self, slot->camera))
        return;
      primary = dup_primary (slot, _("The camera was disconnected"));
      _capa_window_show_gerror (self, primary, error);
      self->disconnect_said = TRUE;
    }
  else
    {
      primary = dup_primary (slot, _("A picture could not be fetched from the camera"));
      _capa_window_show_gerror (self, primary, error);
    }
}

static void
apply_monitoring (CapaWindow *self,
                  CapaTether *tether)
{
  if (g_settings_get_boolean (self->settings, "download-camera-shots"))
    capa_tether_start_monitoring (tether);
  else
    capa_tether_stop_monitoring (tether);
}

static void
on_download_camera_shots_changed_cb (GSettings  *settings,
                                     const char *key,
                                     CapaWindow *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot->tether != NULL)
        apply_monitoring (self, slot->tether);
    }
}

/* Makes @slot the active camera: the window's `tether`, the camera the
 * Capture button, the bulb field, the camera button and the side panel
 * follow. Only an open camera (or none) is active. */
void
_capa_window_set_active_slot (CapaWindow     *self,
                              CapaWindowSlot *slot)
{
  CapaTether *tether;

  g_assert (slot == NULL || slot->tether != NULL);

  self->active = slot;
  tether = slot != NULL ? slot->tether : NULL;
  capa_window_set_tether (self, tether);
  _capa_window_bulb_set_camera (self, slot != NULL ? slot->camera : NULL);
  capa_camera_button_set_camera (self->camera_button, slot != NULL ? slot->camera : NULL);
  _capa_window_parts_show_slot (self, slot);

  _capa_window_update_capture (self);
  _capa_window_update_page (self);
}

/* The last open camera, for when the active one goes. */
static CapaWindowSlot *
find_open_slot (CapaWindow *self)
{
  for (guint i = self->slots->len; i > 0; i--)
    {
      CapaWindowSlot *slot = g_ptr_array_index (self->slots, i - 1);

      if (slot->tether != NULL)
        return slot;
    }

  return NULL;
}

static guint
find_tether_position (CapaWindow *self,
                      CapaTether *tether)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tethers));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapaTether) item = g_list_model_get_item (G_LIST_MODEL (self->tethers), i);

      if (item == tether)
        return i;
    }

  return G_MAXUINT;
}

static gboolean
tag_taken (CapaWindow     *self,
           CapaWindowSlot *slot,
           const char     *tag)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      CapaWindowSlot *other = g_ptr_array_index (self->slots, i);

      if (other != slot && g_strcmp0 (other->camera_tag, tag) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Each camera's tag (what `%c` in the file-name pattern gives) is its
 * own: the second of one model gets "-2", the third "-3"; kept for the
 * camera's tethers on other sessions. */
static void
assign_camera_tag (CapaWindow     *self,
                   CapaWindowSlot *slot,
                   CapaTether     *tether)
{
  if (slot->camera_tag == NULL)
    {
      g_autofree char *base = g_strdup (capa_tether_get_camera_tag (tether));

      for (guint n = 1; slot->camera_tag == NULL; n++)
        {
          g_autofree char *tag = n == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, n);

          capa_tether_set_camera_tag (tether, tag);
          if (!tag_taken (self, slot, capa_tether_get_camera_tag (tether)))
            slot->camera_tag = g_strdup (capa_tether_get_camera_tag (tether));
          else if (n > 99)
            break;
        }
    }

  capa_tether_set_camera_tag (tether, slot->camera_tag);
}

/* Gives @slot its tether (a new one after a change of session), or takes
 * it away; the window's `tether` follows when @slot is the active one. */
static void
set_slot_tether (CapaWindow     *self,
                 CapaWindowSlot *slot,
                 CapaTether     *tether)
{
  g_autoptr(CapaTether) old = g_steal_pointer (&slot->tether);
  guint position = G_MAXUINT;

  if (old != NULL)
    {
      g_signal_handlers_disconnect_by_data (old, slot);
      g_settings_unbind (old, "delete-from-camera");
      capa_tether_stop_monitoring (old);
      position = find_tether_position (self, old);
    }

  if (tether != NULL)
    {
      slot->tether = g_object_ref (tether);
      assign_camera_tag (self, slot, tether);
      g_settings_bind (self->settings, "delete-from-camera", tether, "delete-from-camera",
                       G_SETTINGS_BIND_GET);
      g_signal_connect (tether, "image-saved", G_CALLBACK (on_tether_image_saved_cb), slot);
      g_signal_connect (tether, "error", G_CALLBACK (on_tether_error_cb), slot);
      apply_monitoring (self, tether);
      _capa_window_parts_apply_camera_settings (self, tether);
    }

  /* The list of every tether keeps the cameras' order. */
  if (position != G_MAXUINT)
    g_list_store_splice (self->tethers, position, 1, (gpointer *) &tether, tether != NULL);
  else if (tether != NULL)
    g_list_store_append (self->tethers, tether);

  if (slot->settings_panel != NULL)
    capa_settings_panel_set_camera (slot->settings_panel, tether != NULL ? slot->camera : NULL);

  if (self->active == slot && tether != NULL)
    _capa_window_set_active_slot (self, slot);
  else if (self->active == slot)
    _capa_window_set_active_slot (self, find_open_slot (self));
  else
    {
      _capa_window_update_capture (self);
      _capa_window_update_page (self);
    }
}

/* ------------------------------------------------------------------ */
/* The camera                                                           */
/* ------------------------------------------------------------------ */

/* Forgets the camera of @slot; closes it when @close (it is gone
 * otherwise). */
static void
drop_slot (CapaWindow     *self,
           CapaWindowSlot *slot,
           gboolean        close)
{
  g_autoptr(CapaWindowSlot) keep = g_object_ref (slot);
  CapaCamera *camera = slot->camera;

  g_cancellable_cancel (slot->cancellable);
  if (slot->bulb_cancellable != NULL)
    g_cancellable_cancel (slot->bulb_cancellable);
  g_signal_handlers_disconnect_by_data (camera, slot);
  g_ptr_array_remove (self->slots, slot);

  set_slot_tether (self, slot, NULL);
  slot->opening = FALSE;
  slot->captures_queued = 0;
  slot->dropped = TRUE;
  g_clear_pointer (&self->downloading, g_free);
  _capa_window_parts_remove_slot (self, slot);

  /* Queued behind an open still running, if any. */
  if (close)
    capa_camera_close_async (camera, NULL, NULL, NULL);

  _capa_window_update_capture (self);
  _capa_window_update_title (self);
}

/* The camera is gone; closes it when @close (when it closed itself, it
 * need not). */
static void
camera_lost (CapaWindow     *self,
             CapaWindowSlot *slot,
             gboolean        close)
{
  g_autoptr(CapaCamera) camera = g_object_ref (slot->camera);
  g_autofree char *detail = NULL;
  /* The tether said it first, when it was watching. */
  gboolean said = self->disconnect_said && gtk_info_bar_get_revealed (self->message_bar);

  drop_slot (self, slot, close);
  capa_camera_button_set_status (self->camera_button, _("The camera was disconnected."));

  /* A network camera is tried again by itself (capa-window-network.c). */
  if (_capa_window_network_lost (self, camera))
    return;

  if (said)
    return;

  /* Translators: %s is a camera model */
  detail = g_strdup_printf (_("“%s” stopped answering. Check that it is switched on and that its "
                              "cable is in: Capa connects it again when it comes back."),
                            capa_camera_get_model (camera));
  capa_window_show_message (self, GTK_MESSAGE_WARNING, _("The camera was disconnected"), detail,
                            NULL, NULL, NULL);
}

static void
on_camera_disconnected_cb (CapaCamera     *camera,
                           CapaWindowSlot *slot)
{
  if (slot->window != NULL && !slot->dropped)
    camera_lost (slot->window, slot, FALSE);
}

static void
on_camera_download_progress_cb (CapaCamera     *camera,
                                CapaCameraFile *file,
                                double          fraction,
                                CapaWindowSlot *slot)
{
  CapaWindow *self = slot->window;
  const char *name = capa_camera_file_get_name (file);

  if (self == NULL || slot->dropped)
    return;

  if (fraction >= 1.0 || name == NULL)
    g_clear_pointer (&self->downloading, g_free);
  else if (g_strcmp0 (self->downloading, name) != 0)
    {
      g_free (self->downloading);
      self->downloading = g_strdup (name);
    }
  self->download_fraction = fraction;
  _capa_window_update_title (self);
}

static void
on_camera_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CapaCamera *camera = CAPA_CAMERA (object);
  g_autoptr(CapaWindowSlot) slot = user_data;
  CapaWindow *self = slot->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaTether) tether = NULL;
  g_autofree char *status = NULL;

  if (!capa_camera_open_finish (camera, result, &error))
    {
      /* Disconnected meanwhile, or the window is closing. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self == NULL
          || slot->dropped)
        return;

      drop_slot (self, slot, FALSE);
      capa_camera_button_set_status (self->camera_button, _("Could not connect."));
      /* A lost network camera still not answering: tried again later. */
      if (_capa_window_network_open_failed (self, camera, error))
        return;

      if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_GVFS_LOCKED))
        {
          capa_window_show_message (self, GTK_MESSAGE_WARNING,
                                    _("The camera is in use by the Files application"),
                                    _("The desktop mounted the camera to show its pictures, and "
                                      "holds it. Unmount it there, or here, to use it with Capa."),
                                    _("_Unmount"), "win.unmount-camera",
                                    g_variant_new_string (capa_camera_get_port (camera)));
        }
      else
        {
          g_autofree char *primary = NULL;

          /* Translators: %s is a camera model */
          primary = g_strdup_printf (_("Could not connect to “%s”"),
                                     capa_camera_get_model (camera));
          _capa_window_show_gerror (self, primary, error);
        }
      return;
    }

  if (self == NULL || slot->dropped)
    {
      /* Opened too late: disconnected meanwhile. */
      capa_camera_close_async (camera, NULL, NULL, NULL);
      return;
    }

  g_debug ("Connected to %s on %s", capa_camera_get_model (camera), capa_camera_get_port (camera));
  slot->opening = FALSE;
  g_signal_connect (camera, "disconnected", G_CALLBACK (on_camera_disconnected_cb), slot);
  g_signal_connect (camera, "download-progress", G_CALLBACK (on_camera_download_progress_cb), slot);
  g_settings_set_string (self->settings, "last-camera-port", capa_camera_get_port (camera));
  if (g_strcmp0 (self->wanted_port, capa_camera_get_port (camera)) == 0)
    g_clear_pointer (&self->wanted_port, g_free);

  /* The camera connected last is the active one; a lost network camera
   * found again only when no other camera is open, so Capture never
   * changes camera under the user's hand. */
  tether = capa_tether_new (camera, self->session);
  if (!_capa_window_network_is_retrying (self, camera) || self->active == NULL)
    self->active = slot;
  set_slot_tether (self, slot, tether);
  /* Translators: %s is a camera's port, such as usb:001,004 */
  status = g_strdup_printf (_("Connected on %s."), capa_camera_get_port (camera));
  capa_camera_button_set_status (self->camera_button, status);
  _capa_window_network_opened (self, camera);
}

/* Connects @camera in addition to those connected already; one
 * connected already becomes the active one. */
static void
connect_camera (CapaWindow *self,
                CapaCamera *camera)
{
  g_autofree char *status = NULL;
  CapaWindowSlot *slot = _capa_window_find_slot (self, camera);

  if (slot != NULL)
    {
      if (slot->tether != NULL)
        _capa_window_set_active_slot (self, slot);
      return;
    }

  slot = _capa_window_slot_new (self, camera);
  g_ptr_array_add (self->slots, slot);
  slot->opening = TRUE;
  _capa_window_parts_add_slot (self, slot);

  /* Translators: %s is a camera model */
  status = g_strdup_printf (_("Connecting to “%s”…"), capa_camera_get_model (camera));
  capa_camera_button_set_status (self->camera_button, status);

  capa_camera_open_async (camera, slot->cancellable, on_camera_opened_cb, g_object_ref (slot));
}

/* The camera to connect on its own: the one asked for, else (with
 * auto-connect, and no camera connected yet) the one used last, else the
 * first. */
static void
maybe_auto_connect (CapaWindow *self)
{
  CapaCamera *camera = NULL;

  /* A camera asked for by its port joins those connected. */
  camera = find_by_port (self, self->wanted_port);
  if (camera != NULL)
    {
      connect_camera (self, camera);
      return;
    }

  if (self->slots->len > 0)
    return;

  if (self->wanted_port == NULL
      && g_settings_get_boolean (self->settings, "auto-connect"))
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-camera-port");
      GListModel *cameras = G_LIST_MODEL (self->camera_list);

      camera = find_by_port (self, last);
      /* The first but a network camera: those are connected when chosen
       * or used last (one switched off would fail at every start). */
      for (guint i = 0; camera == NULL && i < g_list_model_get_n_items (cameras); i++)
        {
          g_autoptr(CapaCamera) item = g_list_model_get_item (cameras, i);

          if (!capa_camera_list_is_network_camera (self->camera_list, item))
            camera = item;  /* the list holds it */
        }
    }

  if (camera != NULL)
    connect_camera (self, camera);
}

static void
on_camera_added_cb (CapaCameraList *list,
                    CapaCamera     *camera,
                    CapaWindow     *self)
{
  _capa_window_update_page (self);
  maybe_auto_connect (self);
}

static void
on_camera_removed_cb (CapaCameraList *list,
                      CapaCamera     *camera,
                      CapaWindow     *self)
{
  CapaWindowSlot *slot = _capa_window_find_slot (self, camera);

  _capa_window_update_page (self);
  if (slot == NULL)
    return;

  /* Unplugged: no need to wait for the camera to notice. */
  camera_lost (self, slot, TRUE);
}

static void
on_list_refreshed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CapaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capa_camera_list_refresh_finish (CAPA_CAMERA_LIST (object), result, &error)
      || self->cancellable == NULL)
    {
      if (self->cancellable == NULL)
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _capa_window_show_gerror (self, _("Could not look for cameras"), error);
      return;
    }

  self->list_refreshed = TRUE;
  if (self->wanted_port != NULL && find_by_port (self, self->wanted_port) == NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a camera's port, such as usb:001,004 */
      detail = g_strdup_printf (_("No camera answers on “%s”. Check the port with "
                                  "“capa --list-cameras”; Capa connects the camera as soon as "
                                  "it shows up there."), self->wanted_port);
      capa_window_show_message (self, GTK_MESSAGE_WARNING, _("Camera not found"), detail,
                                NULL, NULL, NULL);
    }
  maybe_auto_connect (self);
}

/* ------------------------------------------------------------------ */
/* Capture                                                              */
/* ------------------------------------------------------------------ */


static void
on_capture_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CapaTether *tether = CAPA_TETHER (object);
  g_autoptr(CapaWindowSlot) slot = user_data;
  CapaWindow *self = slot->window;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  /* Every file of the shot: a RAW held back for its JPEG is shown now if
   * none came. */
  images = capa_tether_capture_all_finish (tether, result, &error);
  g_assert (slot->captures_running > 0);
  slot->captures_running--;

  /* The camera or the window is gone: the tether reported, nothing more
   * to show. */
  if (self == NULL)
    return;

  _capa_window_release_raw (self, images);

  /* A lost network camera being tried again: that message stays. */
  if (images == NULL && _capa_window_network_is_retrying (self, slot->camera))
    g_debug ("Capture failed while the network camera is away: %s", error->message);
  else if (images == NULL)
    {
      g_autofree char *primary = NULL;

      if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED))
        primary = dup_primary (slot, _("The camera was disconnected during the shot"));
      else
        primary = dup_primary (slot, _("The picture could not be taken"));
      _capa_window_show_gerror (self, primary, error);
    }

  /* The next one waiting, on the camera's tether (a new one after a
   * change of session). */
  if (!slot->dropped && slot->captures_running == 0 && slot->captures_queued > 0
      && slot->tether != NULL)
    {
      slot->captures_queued--;
      _capa_window_start_capture (slot);
    }
  _capa_window_capture_all_next (self);
  _capa_window_update_capture (self);
}

void
_capa_window_start_capture (CapaWindowSlot *slot)
{
  g_assert (slot->tether != NULL);

  slot->captures_running++;
  capa_tether_capture_async (slot->tether, slot->cancellable, on_capture_done_cb,
                             g_object_ref (slot));
}

static void
on_capture_activated_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  CapaWindowSlot *slot = self->active;

  if (slot == NULL)
    {
      capa_window_show_message (self, GTK_MESSAGE_INFO, _("No camera is connected"),
                                any_opening (self)
                                ? _("Wait a moment: Capa is connecting to the camera.")
                                : _("Connect a camera and switch it on, or choose one with the "
                                    "camera button."),
                                NULL, NULL, NULL);
      return;
    }

  /* The shutter speed at Bulb: a long exposure, or the end of it. */
  if (_capa_window_bulb_capture (self, slot))
    {
      _capa_window_update_capture (self);
      return;
    }

  /* One at a time, in order: the others wait their turn, counted. */
  if (slot->captures_running > 0)
    slot->captures_queued++;
  else
    _capa_window_start_capture (slot);

  _capa_window_update_capture (self);
}

/* ------------------------------------------------------------------ */
/* Actions                                                              */
/* ------------------------------------------------------------------ */

static void
on_connect_camera_activated_cb (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  _capa_window_connect_port (CAPA_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
on_disconnect_camera_activated_cb (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  CapaWindowSlot *slot = self->active;

  /* The active camera, else one still being connected. */
  if (slot == NULL && self->slots->len > 0)
    slot = g_ptr_array_index (self->slots, self->slots->len - 1);
  if (slot == NULL)
    {
      /* Only lost network cameras, tried again: no longer. */
      _capa_window_network_stop_retry (self, NULL);
      capa_camera_button_set_status (self->camera_button, _("Disconnected."));
      return;
    }

  /* That camera, if lost and being tried again: no longer. */
  _capa_window_network_stop_retry (self, slot->camera);
  drop_slot (self, slot, TRUE);
  capa_camera_button_set_status (self->camera_button, _("Disconnected."));
}

static void
on_unmounted_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CapaCamera *camera = CAPA_CAMERA (object);
  g_autoptr(CapaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->cancellable == NULL)
    return;

  /* No mount holds it (any more): the holder let go, try again. */
  if (!capa_camera_unmount_gvfs_finish (camera, result, &error)
      && !g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _capa_window_show_gerror (self, _("Could not release the camera"), error);
      return;
    }

  connect_camera (self, camera);
}

static void
on_unmount_camera_activated_cb (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  const char *port = g_variant_get_string (parameter, NULL);
  CapaCamera *camera = find_by_port (self, port);

  gtk_info_bar_set_revealed (self->message_bar, FALSE);
  if (camera == NULL)
    {
      capa_window_show_message (self, GTK_MESSAGE_WARNING, _("The camera is gone"),
                                _("It is no longer plugged in. Plug it in and switch it on."),
                                NULL, NULL, NULL);
      return;
    }

  capa_camera_button_set_status (self->camera_button, _("Releasing the camera…"));
  capa_camera_unmount_gvfs_async (camera, self->cancellable, on_unmounted_cb, g_object_ref (self));
}

const GActionEntry _capa_window_camera_entries[] = {
  { "capture", on_capture_activated_cb },
  { "connect-camera", on_connect_camera_activated_cb, "s" },
  { "disconnect-camera", on_disconnect_camera_activated_cb },
  { "unmount-camera", on_unmount_camera_activated_cb, "s" },
};
const guint _capa_window_n_camera_entries = G_N_ELEMENTS (_capa_window_camera_entries);

void
_capa_window_on_camera_button_connect_camera_cb (CapaCameraButton *button,
                                                 CapaCamera       *camera,
                                                 CapaWindow       *self)
{
  /* Chosen again while lost: connected now, or reported as any other. */
  _capa_window_network_stop_retry (self, camera);
  connect_camera (self, camera);
}

void
_capa_window_on_camera_button_disconnect_camera_cb (CapaCameraButton *button,
                                                    CapaCamera       *camera,
                                                    CapaWindow       *self)
{
  CapaWindowSlot *slot = camera != NULL ? _capa_window_find_slot (self, camera) : NULL;

  if (slot == NULL && camera != NULL && _capa_window_network_is_retrying (self, camera))
    {
      /* Lost and tried again: no longer. */
      _capa_window_network_stop_retry (self, camera);
      capa_camera_button_set_status (self->camera_button, _("Disconnected."));
      return;
    }
  if (slot == NULL)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "disconnect-camera", NULL);
      return;
    }

  _capa_window_network_stop_retry (self, camera);
  drop_slot (self, slot, TRUE);
  capa_camera_button_set_status (self->camera_button, _("Disconnected."));
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                           */
/* ------------------------------------------------------------------ */

void
_capa_window_connect_port (CapaWindow *self,
                           const char *port)
{
  CapaCamera *camera;

  g_return_if_fail (port != NULL);

  camera = find_by_port (self, port);
  /* A network camera is never detected: added (not remembered). */
  if (camera == NULL && !g_str_equal (port, CAPA_DEMO_CAMERA_PORT)
      && capa_camera_list_check_network_port (port, NULL))
    camera = _capa_window_network_add (self, port, NULL, FALSE, NULL);
  if (camera != NULL)
    {
      _capa_window_network_stop_retry (self, camera);
      connect_camera (self, camera);
      return;
    }

  /* Not (yet) in the list: connected when it shows up. */
  g_free (self->wanted_port);
  self->wanted_port = g_strdup (port);
  if (self->list_refreshed)
    capa_camera_list_refresh_async (self->camera_list, self->cancellable, on_list_refreshed_cb,
                                    g_object_ref (self));
}

/* Connects the camera on @port now, or when the list next has it,
 * without looking for it again. */
void
_capa_window_await_port (CapaWindow *self,
                         const char *port)
{
  CapaCamera *camera = find_by_port (self, port);

  if (camera != NULL)
    {
      connect_camera (self, camera);
      return;
    }

  g_free (self->wanted_port);
  self->wanted_port = g_strdup (port);
}

static void
on_app_camera_port_changed_cb (CapaApplication *app,
                               GParamSpec      *pspec,
                               CapaWindow      *self)
{
  const char *port = capa_application_get_camera_port (app);

  if (port != NULL)
    _capa_window_connect_port (self, port);
}

/* The application is set after constructed(): follow its --camera then. */
static void
on_application_changed_cb (CapaWindow *self,
                           GParamSpec *pspec,
                           gpointer    user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const char *port;

  if (!CAPA_IS_APPLICATION (app) || self->app_hooked)
    return;

  self->app_hooked = TRUE;
  /* The demo camera is listed while the application offers it (its
   * setting, or capa --demo). */
  g_object_bind_property (app, "demo-camera", self->camera_list, "demo-camera",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (app, "notify::camera-port",
                           G_CALLBACK (on_app_camera_port_changed_cb), self, 0);
  port = capa_application_get_camera_port (CAPA_APPLICATION (app));
  if (port != NULL)
    _capa_window_connect_port (self, port);
}

void
_capa_window_camera_init (CapaWindow *self)
{
  self->slots = g_ptr_array_new_with_free_func (g_object_unref);
  self->tethers = g_list_store_new (CAPA_TYPE_TETHER);
  _capa_window_bulb_init (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), _capa_window_camera_entries,
                                   _capa_window_n_camera_entries, self);
  _capa_window_capture_all_init (self);

  self->camera_list = capa_camera_list_new ();
  capa_camera_button_set_camera_list (self->camera_button, self->camera_list);
  /* The demo camera joins the list while the application offers it: see
   * on_application_changed_cb (). */
  g_signal_connect (self->camera_list, "camera-added", G_CALLBACK (on_camera_added_cb), self);
  g_signal_connect (self->camera_list, "camera-removed", G_CALLBACK (on_camera_removed_cb), self);
  g_signal_connect (self->settings, "changed::download-camera-shots",
                    G_CALLBACK (on_download_camera_shots_changed_cb), self);
  _capa_window_network_init (self);

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed_cb), NULL);
  on_application_changed_cb (self, NULL, NULL);

  _capa_window_update_capture (self);
  capa_camera_list_refresh_async (self->camera_list, self->cancellable, on_list_refreshed_cb,
                                  g_object_ref (self));
}

void
_capa_window_camera_session_changed (CapaWindow *self)
{
  /* Not yet set up (the session given at construction). */
  if (self->slots == NULL)
    return;

  /* A tether saves into one session: a new one for the new session. */
  for (guint i = 0; i < self->slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (self->slots, i);
      g_autoptr(CapaTether) tether = NULL;

      if (slot->tether == NULL)
        continue;

      tether = capa_tether_new (slot->camera, self->session);
      set_slot_tether (self, slot, tether);
    }
}

void
_capa_window_camera_dispose (CapaWindow *self)
{
  _capa_window_network_dispose (self);
  while (self->slots != NULL && self->slots->len > 0)
    {
      g_autoptr(CapaWindowSlot) slot = g_object_ref (g_ptr_array_index (self->slots,
                                                                        self->slots->len - 1));

      drop_slot (self, slot, TRUE);
      slot->window = NULL;
    }
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_object (&self->tethers);
  _capa_window_bulb_dispose (self);
  if (self->camera_list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->camera_list, self);
      capa_camera_list_set_monitoring (self->camera_list, FALSE);
      g_clear_object (&self->camera_list);
    }
  g_clear_pointer (&self->wanted_port, g_free);
  g_clear_pointer (&self->downloading, g_free);
}
