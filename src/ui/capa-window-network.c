/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-network-camera-dialog.h"
#include "capa-window-private.h"

/* Network (PTP/IP) cameras in the window: remembered in the setting
 * `network-cameras` (pairs of port and model, the model empty when left
 * to detection) and added to the window's camera list at start; added
 * through "Connect to a Network Camera…" (win.add-network-camera and its
 * dialog), forgotten from their row in the camera popover
 * (win.forget-network-camera); and, since no udev event says when one
 * comes back, opened again after a growing delay (2 s, 4 s, … 30 s) when
 * one stops answering, until it answers, the user disconnects, chooses
 * another camera or forgets it (win.stop-network-retry stops too). */

#define RETRY_FIRST_S 2
#define RETRY_MAX_S   30

/* The model as the setting holds it: empty for the generic one. */
static const char *
key_model (const char *model)
{
  if (model == NULL || g_str_equal (model, CAPA_NETWORK_CAMERA_GENERIC_MODEL))
    return "";
  return model;
}

/* The setting without (@port, @model), and with it when @add. */
static void
update_remembered (CapaWindow *self,
                   const char *port,
                   const char *model,
                   gboolean    add)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "network-cameras");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(ss)"));
  GVariantIter iter;
  const char *item_port;
  const char *item_model;
  gboolean changed = add;

  model = key_model (model);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s)", &item_port, &item_model))
    {
      if (g_str_equal (item_port, port) && g_str_equal (item_model, model))
        {
          if (add)
            return;  /* already there */
          changed = TRUE;
          continue;
        }
      g_variant_builder_add (&builder, "(ss)", item_port, item_model);
    }

  if (add)
    g_variant_builder_add (&builder, "(ss)", port, model);
  if (changed)
    g_settings_set_value (self->settings, "network-cameras", g_variant_builder_end (&builder));
}

static void
add_remembered (CapaWindow *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "network-cameras");
  GVariantIter iter;
  const char *port;
  const char *model;

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s)", &port, &model))
    {
      g_autoptr(GError) error = NULL;

      if (capa_camera_list_add_network_camera (self->camera_list, port,
                                               *model != '\0' ? model : NULL, &error) == NULL)
        g_debug ("Skipping a remembered network camera: %s", error->message);
    }
}

static void
on_network_cameras_changed_cb (GSettings  *settings,
                               const char *key,
                               CapaWindow *self)
{
  /* Added in another window: listed here too. */
  add_remembered (self);
}

CapaCamera *
_capa_window_network_add (CapaWindow  *self,
                          const char  *port,
                          const char  *model,
                          gboolean     remember,
                          GError     **error)
{
  CapaCamera *camera;

  camera = capa_camera_list_add_network_camera (self->camera_list, port, model, error);
  if (camera != NULL && remember)
    update_remembered (self, port, model, TRUE);

  return camera;
}

/* ------------------------------------------------------------------ */
/* Lost and found again                                                 */
/* ------------------------------------------------------------------ */

void
_capa_window_network_stop_retry (CapaWindow *self)
{
  if (self->network_retry != NULL)
    {
      g_source_destroy (self->network_retry);
      g_clear_pointer (&self->network_retry, g_source_unref);
    }
  g_clear_pointer (&self->network_retry_port, g_free);
  g_clear_pointer (&self->network_retry_model, g_free);
  self->network_retry_delay = 0;
  self->network_retrying = FALSE;
}

static gboolean
on_retry_cb (gpointer data)
{
  CapaWindow *self = data;
  CapaCamera *camera;

  g_clear_pointer (&self->network_retry, g_source_unref);

  /* Connected again meanwhile, or forgotten: stop. */
  camera = capa_camera_list_find (self->camera_list, self->network_retry_model,
                                  self->network_retry_port);
  if (camera == NULL || _capa_window_find_slot (self, camera) != NULL)
    {
      _capa_window_network_stop_retry (self);
      return G_SOURCE_REMOVE;
    }

  g_debug ("Trying %s again", self->network_retry_port);
  self->network_retrying = TRUE;
  _capa_window_await_port (self, self->network_retry_port);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (CapaWindow *self)
{
  g_assert (self->network_retry == NULL);

  self->network_retry = g_timeout_source_new_seconds (self->network_retry_delay);
  g_source_set_name (self->network_retry, "[capa] network camera retry");
  g_source_set_callback (self->network_retry, on_retry_cb, self, NULL);
  g_source_attach (self->network_retry, NULL);
}

static void
say_retrying (CapaWindow *self,
              CapaCamera *camera,
              const char *why)
{
  g_autofree char *detail = NULL;
  g_autofree char *status = NULL;

  /* Translators: %s is what went wrong (a sentence), %u a number of seconds */
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s Capa tries again in %u second.",
                                         "%s Capa tries again in %u seconds.",
                                         self->network_retry_delay),
                            why, self->network_retry_delay);
  capa_window_show_message (self, GTK_MESSAGE_WARNING, _("The network camera stopped answering"),
                            detail, _("_Stop Trying"), "win.stop-network-retry", NULL);
  /* Translators: %u is a number of seconds */
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Not answering: trying again in %u second.",
                                         "Not answering: trying again in %u seconds.",
                                         self->network_retry_delay),
                            self->network_retry_delay);
  capa_camera_button_set_status (self->camera_button, status);
}

gboolean
_capa_window_network_lost (CapaWindow *self,
                           CapaCamera *camera)
{
  g_autofree char *why = NULL;

  if (!capa_camera_list_is_network_camera (self->camera_list, camera))
    return FALSE;

  _capa_window_network_stop_retry (self);
  self->network_retry_port = g_strdup (capa_camera_get_port (camera));
  self->network_retry_model = g_strdup (capa_camera_get_model (camera));
  self->network_retry_delay = RETRY_FIRST_S;
  schedule_retry (self);

  /* Translators: %s is a camera's port, such as ptpip:192.168.1.20 */
  why = g_strdup_printf (_("The camera on %s no longer answers: check that it is switched on "
                           "and on the network."),
                         capa_camera_get_port (camera));
  say_retrying (self, camera, why);
  return TRUE;
}

gboolean
_capa_window_network_open_failed (CapaWindow   *self,
                                  CapaCamera   *camera,
                                  const GError *error)
{
  if (!self->network_retrying ||
      g_strcmp0 (self->network_retry_port, capa_camera_get_port (camera)) != 0)
    return FALSE;

  self->network_retrying = FALSE;
  self->network_retry_delay = MIN (self->network_retry_delay * 2, RETRY_MAX_S);
  schedule_retry (self);
  say_retrying (self, camera, error->message);
  return TRUE;
}

static void
on_summary_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The camera button shows the model it names; without it, the generic
   * name stays. */
  if (!capa_camera_load_summary_finish (CAPA_CAMERA (object), result, &error))
    g_debug ("No summary from the network camera: %s", error->message);
}

void
_capa_window_network_opened (CapaWindow *self,
                             CapaCamera *camera)
{
  if (self->network_retrying &&
      g_strcmp0 (self->network_retry_port, capa_camera_get_port (camera)) == 0)
    {
      g_autofree char *status = NULL;

      _capa_window_network_stop_retry (self);
      gtk_info_bar_set_revealed (self->message_bar, FALSE);
      /* Translators: %s is a camera's port, such as ptpip:192.168.1.20 */
      status = g_strdup_printf (_("Connected again on %s."), capa_camera_get_port (camera));
      capa_camera_button_set_status (self->camera_button, status);
    }

  /* The generic PTP/IP camera: its summary names the real model. */
  if (g_str_equal (capa_camera_get_model (camera), CAPA_NETWORK_CAMERA_GENERIC_MODEL) &&
      capa_camera_get_summary (camera) == NULL)
    {
      CapaWindowSlot *slot = _capa_window_find_slot (self, camera);

      capa_camera_load_summary_async (camera, slot != NULL ? slot->cancellable : NULL,
                                      on_summary_cb, NULL);
    }
}

/* ------------------------------------------------------------------ */
/* Actions                                                              */
/* ------------------------------------------------------------------ */

static void
on_dialog_response_cb (CapaNetworkCameraDialog *dialog,
                       int                      response,
                       CapaWindow              *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  CapaCamera *camera;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      gtk_widget_destroy (GTK_WIDGET (dialog));
      return;
    }

  /* The dialog let only a usable address through. */
  port = capa_network_camera_dialog_dup_port (dialog);
  camera = _capa_window_network_add (self, port, capa_network_camera_dialog_get_model (dialog),
                                     TRUE, &error);
  if (camera == NULL)
    {
      capa_network_camera_dialog_set_error (dialog, error->message);
      return;
    }

  gtk_widget_destroy (GTK_WIDGET (dialog));
  /* As when chosen in the camera button's popover. */
  _capa_window_on_camera_button_connect_camera_cb (self->camera_button, camera, self);
}

static void
on_add_network_camera_activated_cb (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  if (self->network_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->network_dialog));
      return;
    }

  self->network_dialog = capa_network_camera_dialog_new (GTK_WINDOW (self));
  g_object_add_weak_pointer (G_OBJECT (self->network_dialog), (gpointer *) &self->network_dialog);
  g_signal_connect (self->network_dialog, "response", G_CALLBACK (on_dialog_response_cb), self);
  gtk_window_present (GTK_WINDOW (self->network_dialog));
}

static void
on_forget_network_camera_activated_cb (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  const char *port;
  const char *model;
  CapaCamera *camera;

  g_variant_get (parameter, "(&s&s)", &port, &model);
  if (*model == '\0')
    model = CAPA_NETWORK_CAMERA_GENERIC_MODEL;

  if (g_strcmp0 (self->network_retry_port, port) == 0 &&
      g_strcmp0 (self->network_retry_model, model) == 0)
    {
      _capa_window_network_stop_retry (self);
      gtk_info_bar_set_revealed (self->message_bar, FALSE);
    }

  /* In use: disconnected first, as the user would. */
  camera = capa_camera_list_find (self->camera_list, model, port);
  if (camera != NULL && _capa_window_find_slot (self, camera) != NULL)
    _capa_window_on_camera_button_disconnect_camera_cb (self->camera_button, camera, self);

  update_remembered (self, port, model, FALSE);
  capa_camera_list_remove_network_camera (self->camera_list, port, model);
  /* Translators: %s is a camera's port, such as ptpip:192.168.1.20 */
  {
    g_autofree char *status = g_strdup_printf (_("Forgot the camera on %s."), port);

    capa_camera_button_set_status (self->camera_button, status);
  }
}

static void
on_stop_network_retry_activated_cb (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  _capa_window_network_stop_retry (self);
  gtk_info_bar_set_revealed (self->message_bar, FALSE);
  capa_camera_button_set_status (self->camera_button, _("Disconnected."));
}

const GActionEntry _capa_window_network_entries[] = {
  { "add-network-camera", on_add_network_camera_activated_cb },
  { "forget-network-camera", on_forget_network_camera_activated_cb, "(ss)" },
  { "stop-network-retry", on_stop_network_retry_activated_cb },
};
const guint _capa_window_n_network_entries = G_N_ELEMENTS (_capa_window_network_entries);

/* ------------------------------------------------------------------ */
/* Life cycle                                                           */
/* ------------------------------------------------------------------ */

void
_capa_window_network_init (CapaWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), _capa_window_network_entries,
                                   _capa_window_n_network_entries, self);
  add_remembered (self);
  g_signal_connect (self->settings, "changed::network-cameras",
                    G_CALLBACK (on_network_cameras_changed_cb), self);
}

void
_capa_window_network_dispose (CapaWindow *self)
{
  _capa_window_network_stop_retry (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_network_cameras_changed_cb, self);
  if (self->network_dialog != NULL)
    gtk_widget_destroy (self->network_dialog);
}
