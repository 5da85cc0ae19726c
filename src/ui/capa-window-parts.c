/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-film-strip.h"
#include "capa-image-view.h"
#include "capa-screen-profile.h"
#include "capa-settings-panel.h"
#include "capa-tether.h"
#include "capa-window-private.h"

/* The window's parts: the image view, the film strip, the camera settings
 * panel and the monitor's colour profile.  Each is a composite widget of
 * its own (or an object, for the profile); this file only puts them in the
 * template's slots and wires them to what the window shows:
 *
 * - the window's `selected-image` is the film strip's selection and the
 *   image the view shows (a new shot, or opening a session, selects it);
 * - the window's `session` is the film strip's;
 * - the camera of the window's `tether` is the settings panel's;
 * - the monitor profile of the window, and the rendering intent, are the
 *   view's and the film strip's, so that every image drawn goes through it;
 * - each part's failures go to the window's info bar;
 * - the camera's card and busy settings follow the preferences. */

static gboolean
tether_to_camera (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  CapaTether *tether = g_value_get_object (from);

  g_value_set_object (to, tether != NULL ? capa_tether_get_camera (tether) : NULL);
  return TRUE;
}

static void
on_part_error_cb (GObject  *part,
                  GError   *error,
                  gpointer  user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  const char *primary;

  if (CAPA_IS_IMAGE_VIEW (part))
    primary = _("Cannot show the picture");
  else if (CAPA_IS_FILM_STRIP (part))
    primary = _("Cannot do that with the picture");
  else if (CAPA_IS_SETTINGS_PANEL (part))
    primary = _("The camera did not take the setting");
  else
    primary = _("Cannot use the monitor’s colour profile; pictures are shown as sRGB");

  _capa_window_show_gerror (self, primary, error);
}

static void
on_trashed_cb (CapaFilmStrip *strip,
               guint          n_images,
               gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u picture moved to the trash",
                                       "%u pictures moved to the trash", n_images),
                          n_images);
  capa_window_show_message (self, GTK_MESSAGE_INFO, text, NULL, _("_Undo"),
                            "win.undo-trash", NULL);
}

static void
on_untrashed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CapaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  capa_film_strip_undo_trash_finish (CAPA_FILM_STRIP (object), result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _capa_window_show_gerror (self, _("Cannot take the pictures back from the trash"), error);
}

static void
on_undo_trash_activated_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  gtk_info_bar_set_revealed (self->message_bar, FALSE);
  capa_film_strip_undo_trash_async (self->film_strip, self->cancellable, on_untrashed_cb,
                                    g_object_ref (self));
}

static void
on_zoom_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "zoom-in"))
    capa_image_view_zoom_in (self->image_view);
  else if (g_str_equal (name, "zoom-out"))
    capa_image_view_zoom_out (self->image_view);
  else if (g_str_equal (name, "zoom-fit"))
    capa_image_view_zoom_to_fit (self->image_view);
  else
    capa_image_view_zoom_actual_size (self->image_view);
}

static const GActionEntry part_entries[] = {
  { "zoom-in", on_zoom_activated_cb },
  { "zoom-out", on_zoom_activated_cb },
  { "zoom-fit", on_zoom_activated_cb },
  { "zoom-100", on_zoom_activated_cb },
  { "undo-trash", on_undo_trash_activated_cb },
};

/* The card and busy settings of the camera connected now (issue 10): with
 * keep-on-card the camera writes to its card and nothing is deleted there;
 * without it shots go to the camera's RAM and deletion follows
 * delete-from-camera. */
static void
apply_camera_settings (CapaWindow *self)
{
  CapaCamera *camera;
  gboolean keep;

  if (self->tether == NULL)
    return;

  camera = capa_tether_get_camera (self->tether);
  capa_camera_set_busy_timeout (camera, g_settings_get_uint (self->settings, "busy-timeout"));
  keep = g_settings_get_boolean (self->settings, "keep-on-card");
  capa_tether_set_keep_on_card (self->tether, keep);
  capa_tether_set_delete_from_camera (self->tether,
                                      !keep && g_settings_get_boolean (self->settings,
                                                                       "delete-from-camera"));
}

/* Without a camera the main area's status page says what to do: the side
 * panel, which would only repeat it, steps aside; and the film strip shows
 * only when the session has pictures. */
static void
update_visibility (CapaWindow *self)
{
  guint n = self->session != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->session)) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->side_stack), self->tether != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->settings_panel_button), self->tether != NULL);
  gtk_widget_set_visible (self->film_strip_slot, n > 0);
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  update_visibility (CAPA_WINDOW (user_data));
}

static void
on_session_changed_cb (CapaWindow *self,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  if (self->parts_session != NULL)
    g_signal_handlers_disconnect_by_func (self->parts_session, on_items_changed_cb, self);
  g_set_object (&self->parts_session, self->session);
  if (self->session != NULL)
    g_signal_connect_object (self->session, "items-changed", G_CALLBACK (on_items_changed_cb),
                             self, 0);
  update_visibility (self);
}

static void
on_tether_changed_cb (CapaWindow *self,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  apply_camera_settings (self);
  update_visibility (self);
}

static void
on_camera_setting_changed_cb (GSettings  *settings,
                              const char *key,
                              gpointer    user_data)
{
  apply_camera_settings (CAPA_WINDOW (user_data));
}

static void
add_to_slot (GtkWidget *slot,
             GtkWidget *part)
{
  gtk_widget_set_hexpand (part, TRUE);
  gtk_widget_set_vexpand (part, TRUE);
  gtk_widget_show (part);
  gtk_container_add (GTK_CONTAINER (slot), part);
}

/* Makes the parts and wires them; once the session and the camera are
 * set up. */
void
_capa_window_parts_init (CapaWindow *self)
{
  GObject *parts[3];

  self->image_view = g_object_ref_sink (capa_image_view_new ());
  self->film_strip = g_object_ref_sink (capa_film_strip_new ());
  self->settings_panel = g_object_ref_sink (capa_settings_panel_new ());
  add_to_slot (self->image_view_slot, GTK_WIDGET (self->image_view));
  add_to_slot (self->film_strip_slot, GTK_WIDGET (self->film_strip));
  add_to_slot (self->settings_panel_slot, GTK_WIDGET (self->settings_panel));
  gtk_widget_set_vexpand (GTK_WIDGET (self->film_strip), FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->settings_panel), FALSE);

  /* The template's placeholders give way to the view's own actions. */
  for (guint i = 0; i < G_N_ELEMENTS (part_entries); i++)
    g_action_map_remove_action (G_ACTION_MAP (self), part_entries[i].name);
  g_action_map_add_action_entries (G_ACTION_MAP (self), part_entries,
                                   G_N_ELEMENTS (part_entries), self);

  g_object_bind_property (self, "session", self->film_strip, "session",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "selected-image", self->film_strip, "selected-image",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self, "selected-image", self->image_view, "image",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (self, "tether", self->settings_panel, "camera",
                               G_BINDING_SYNC_CREATE, tether_to_camera, NULL, NULL, NULL);
  g_settings_bind (self->settings, "film-strip-newest-first", self->film_strip, "newest-first",
                   G_SETTINGS_BIND_GET);

  self->screen_profile = capa_screen_profile_new (GTK_WIDGET (self), self->settings);
  for (guint i = 0; i < 2; i++)
    {
      GObject *part = i == 0 ? G_OBJECT (self->image_view) : G_OBJECT (self->film_strip);

      g_object_bind_property (self->screen_profile, "profile", part, "display-profile",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (self->screen_profile, "rendering-intent", part,
                              "rendering-intent", G_BINDING_SYNC_CREATE);
    }

  parts[0] = G_OBJECT (self->image_view);
  parts[1] = G_OBJECT (self->film_strip);
  parts[2] = G_OBJECT (self->settings_panel);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_signal_connect_object (parts[i], "error", G_CALLBACK (on_part_error_cb), self, 0);
  g_signal_connect_object (self->screen_profile, "error", G_CALLBACK (on_part_error_cb),
                           self, 0);
  g_signal_connect_object (self->film_strip, "trashed", G_CALLBACK (on_trashed_cb), self, 0);

  g_signal_connect (self, "notify::tether", G_CALLBACK (on_tether_changed_cb), NULL);
  g_signal_connect (self, "notify::session", G_CALLBACK (on_session_changed_cb), NULL);
  on_session_changed_cb (self, NULL, NULL);
  g_signal_connect_object (self->settings, "changed::keep-on-card",
                           G_CALLBACK (on_camera_setting_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "changed::busy-timeout",
                           G_CALLBACK (on_camera_setting_changed_cb), self, 0);
  /* After the tether's own binding of delete-from-camera, which knows
   * nothing of keep-on-card. */
  g_signal_connect_object (self->settings, "changed::delete-from-camera",
                           G_CALLBACK (on_camera_setting_changed_cb), self, G_CONNECT_AFTER);
  apply_camera_settings (self);
}

void
_capa_window_parts_dispose (CapaWindow *self)
{
  if (self->parts_session != NULL)
    g_signal_handlers_disconnect_by_func (self->parts_session, on_items_changed_cb, self);
  g_clear_object (&self->parts_session);
  g_clear_object (&self->screen_profile);
  g_clear_object (&self->image_view);
  g_clear_object (&self->film_strip);
  g_clear_object (&self->settings_panel);
}
