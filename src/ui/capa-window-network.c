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
 * one stops answering, until it answers, the user disconnects it or
 * forgets it, or chooses it again (win.stop-network-retry, from the info
 * bar, stops too). Each lost camera is tried again on its own: another
 * camera connected or lost meanwhile changes nothing to it. */

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

/* A lost camera tried again, one for each: the others, and any camera
 * connected meanwhile, go on as they were. */
typedef struct
{
  CapaWindow *window;      /* borrowed: owns the array holding this */
  char       *port;
  char       *model;
  char       *why;         /* what went wrong last, a sentence */
  GSource    *source;      /* the next attempt; NULL while one runs */
  guint       delay;       /* seconds, growing */
  gboolean    attempting;  /* the camera is being opened by this */
} NetworkRetry;

static void
network_retry_free (gpointer data)
{
  NetworkRetry *retry = data;

  if (retry->source != NULL)
    {
      g_source_destroy (retry->source);
      g_source_unref (retry->source);
    }
  g_free (retry->port);
  g_free (retry->model);
  g_free (retry->why);
  g_free (retry);
}

static NetworkRetry *
find_retry (CapaWindow *self,
            const char *port,
            const char *model)
{
  for (guint i = 0; self->network_retries != NULL && i < self->network_retries->len; i++)
    {
      NetworkRetry *retry = g_ptr_array_index (self->network_retries, i);

      if (g_str_equal (retry->port, port) && g_str_equal (retry->model, model))
        return retry;
    }

  return NULL;
}

static NetworkRetry *
find_camera_retry (CapaWindow *self,
                   CapaCamera *camera)
{
  return find_retry (self, capa_camera_get_port (camera), capa_camera_get_model (camera));
}

gboolean
_capa_window_network_is_retrying (CapaWindow *self,
                                  CapaCamera *camera)
{
  return find_camera_retry (self, camera) != NULL;
}

static void
say_retrying (CapaWindow   *self,
              NetworkRetry *retry)
{
  g_autofree char *detail = NULL;
  g_autofree char *status = NULL;

  /* Translators: %s is what went wrong (a sentence), %u a number of seconds */
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s Capa tries again in %u second.",
                                         "%s Capa tries again in %u seconds.",
                                         retry->delay),
                            retry->why, retry->delay);
  capa_window_show_message (self, GTK_MESSAGE_WARNING, _("The network camera stopped answering"),
                            detail, _("_Stop Trying"), "win.stop-network-retry",
                            g_variant_new ("(ss)", retry->port, retry->model));
  /* Translators: %u is a number of seconds */
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Not answering: trying again in %u second.",
                                         "Not answering: trying again in %u seconds.",
                                         retry->delay),
                            retry->delay);
  capa_camera_button_set_status (self->camera_button, status);
}

/* Removes @retry; the info bar then speaks of another camera still tried
 * again, if any, else hides. */
static void
remove_retry (CapaWindow   *self,
              NetworkRetry *retry)
{
  g_ptr_array_remove (self->network_retries, retry);

  if (self->network_retries->len > 0)
    say_retrying (self, g_ptr_array_index (self->network_retries,
                                           self->network_retries->len - 1));
  else
    gtk_info_bar_set_revealed (self->message_bar, FALSE);
}

void
_capa_window_network_stop_retry (CapaWindow *self,
                                 CapaCamera *camera)
{
  NetworkRetry *retry;

  if (self->network_retries == NULL || self->network_retries->len == 0)
    return;

  if (camera == NULL)
    {
      g_ptr_array_set_size (self->network_retries, 0);
      gtk_info_bar_set_revealed (self->message_bar, FALSE);
    }
  else if ((retry = find_camera_retry (self, camera)) != NULL)
    remove_retry (self, retry);
}

static gboolean
on_retry_cb (gpointer data)
{
  NetworkRetry *retry = data;
  CapaWindow *self = retry->window;
  CapaCamera *camera;

  g_clear_pointer (&retry->source, g_source_unref);

  /* Connected again meanwhile, or forgotten: stop. */
  camera = capa_camera_list_find (self->camera_list, retry->model, retry->port);
  if (camera == NULL || _capa_window_find_slot (self, camera) != NULL)
    {
      remove_retry (self, retry);
      return G_SOURCE_REMOVE;
    }

  g_debug ("Trying %s again", retry->port);
  retry->attempting = TRUE;
  _capa_window_await_port (self, retry->port);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (NetworkRetry *retry)
{
  g_assert (retry->source == NULL);

  retry->attempting = FALSE;
  retry->source = g_timeout_source_new_seconds (retry->delay);
  g_source_set_name (retry->source, "[capa] network camera retry");
  g_source_set_callback (retry->source, on_retry_cb, retry, NULL);
  g_source_attach (retry->source, NULL);
}

gboolean
_capa_window_network_lost (CapaWindow *self,
                           CapaCamera *camera)
{
  NetworkRetry *retry;

  /* Not a network camera, or the window is closing. */
  if (self->network_retries == NULL ||
      !capa_camera_list_is_network_camera (self->camera_list, camera))
    return FALSE;

  retry = find_camera_retry (self, camera);
  if (retry != NULL)
    g_ptr_array_remove (self->network_retries, retry);

  retry = g_new0 (NetworkRetry, 1);
  retry->window = self;
  retry->port = g_strdup (capa_camera_get_port (camera));
  retry->model = g_strdup (capa_camera_get_model (camera));
  retry->delay = RETRY_FIRST_S;
  /* Translators: %s is a camera's port, such as ptpip:192.168.1.20 */
  retry->why = g_strdup_printf (_("The camera on %s no longer answers: check that it is "
                                  "switched on and on the network."),
                                retry->port);
  g_ptr_array_add (self->network_retries, retry);
  schedule_retry (retry);
  say_retrying (self, retry);
  return TRUE;
}

gboolean
_capa_window_network_open_failed (CapaWindow   *self,
                                  CapaCamera   *camera,
                                  const GError *error)
{
  NetworkRetry *retry = find_camera_retry (self, camera);

  if (retry == NULL || !retry->attempting)
    return FALSE;

  retry->delay = MIN (retry->delay * 2, RETRY_MAX_S);
  g_free (retry->why);
  retry->why = g_strdup (error->message);
  schedule_retry (retry);
  say_retrying (self, retry);
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
  NetworkRetry *retry = find_camera_retry (self, camera);

  if (retry != NULL)
    {
      g_autofree char *status = NULL;

      remove_retry (self, retry);
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
  NetworkRetry *retry;

  g_variant_get (parameter, "(&s&s)", &port, &model);
  if (*model == '\0')
    model = CAPA_NETWORK_CAMERA_GENERIC_MODEL;

  retry = find_retry (self, port, model);
  if (retry != NULL)
    remove_retry (self, retry);

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
  const char *port;
  const char *model;
  NetworkRetry *retry;

  g_variant_get (parameter, "(&s&s)", &port, &model);
  if (*model == '\0')
    model = CAPA_NETWORK_CAMERA_GENERIC_MODEL;
  retry = find_retry (self, port, model);
  if (retry == NULL)
    return;

  remove_retry (self, retry);
  capa_camera_button_set_status (self->camera_button, _("Disconnected."));
}

const GActionEntry _capa_window_network_entries[] = {
  { "add-network-camera", on_add_network_camera_activated_cb },
  { "forget-network-camera", on_forget_network_camera_activated_cb, "(ss)" },
  { "stop-network-retry", on_stop_network_retry_activated_cb, "(ss)" },
};
const guint _capa_window_n_network_entries = G_N_ELEMENTS (_capa_window_network_entries);

/* ------------------------------------------------------------------ */
/* Life cycle                                                           */
/* ------------------------------------------------------------------ */

void
_capa_window_network_init (CapaWindow *self)
{
  self->network_retries = g_ptr_array_new_with_free_func (network_retry_free);
  g_action_map_add_action_entries (G_ACTION_MAP (self), _capa_window_network_entries,
                                   _capa_window_n_network_entries, self);
  add_remembered (self);
  g_signal_connect (self->settings, "changed::network-cameras",
                    G_CALLBACK (on_network_cameras_changed_cb), self);
}

void
_capa_window_network_dispose (CapaWindow *self)
{
  g_clear_pointer (&self->network_retries, g_ptr_array_unref);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_network_cameras_changed_cb, self);
  if (self->network_dialog != NULL)
    gtk_widget_destroy (self->network_dialog);
}
