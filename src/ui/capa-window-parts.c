/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-film-strip.h"
#include "capa-film-strip-private.h"
#include "capa-image-view.h"
#include "capa-screen-profile.h"
#include "capa-session-private.h"
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
 * - each connected camera has its settings panel, a page of a stack with
 *   a switcher above it shown with two cameras or more; the page shown is
 *   the active camera's, and choosing another page makes its camera the
 *   active one (the window's `tether`);
 * - the monitor profile of the window, and the rendering intent, are the
 *   view's and the film strip's, so that every image drawn goes through it;
 * - the film strip makes the selected image's thumbnail only once the
 *   view has painted it: both decode the same file, and the view is
 *   what the photographer waits for after a shot;
 * - each part's failures go to the window's info bar;
 * - the camera's card and busy settings follow the preferences. */

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
void
_capa_window_parts_apply_camera_settings (CapaWindow *self,
                                          CapaTether *tether)
{
  CapaCamera *camera = capa_tether_get_camera (tether);
  gboolean keep;

  capa_camera_set_busy_timeout (camera, g_settings_get_uint (self->settings, "busy-timeout"));
  keep = g_settings_get_boolean (self->settings, "keep-on-card");
  capa_tether_set_keep_on_card (tether, keep);
  capa_tether_set_delete_from_camera (tether,
                                      !keep && g_settings_get_boolean (self->settings,
                                                                       "delete-from-camera"));
}

/* Every connected camera's, and the window's tether (which a plugin may
 * have set). */
static void
apply_camera_settings (CapaWindow *self)
{
  guint n = self->tethers != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->tethers)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapaTether) tether = g_list_model_get_item (G_LIST_MODEL (self->tethers), i);

      _capa_window_parts_apply_camera_settings (self, tether);
    }

  if (self->tether != NULL)
    _capa_window_parts_apply_camera_settings (self, self->tether);
}

/* Without a camera the main area's status page says what to do: the side
 * panel, which would only repeat it, steps aside; and the film strip shows
 * only when the session has pictures. */
static void
update_visibility (CapaWindow *self)
{
  guint n = self->session != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->session)) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->side_stack), self->tether != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->settings_stack), self->tether != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->settings_panel_button), self->tether != NULL);
  /* A session being opened, nothing listed yet: the strip stays as it was
   * until it is, rather than go and come back (the whole window laid out
   * twice). */
  if (n > 0 || self->session == NULL || !capa_session_get_loading (self->session))
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
on_loading_changed_cb (CapaSession *session,
                       GParamSpec  *pspec,
                       gpointer     user_data)
{
  update_visibility (CAPA_WINDOW (user_data));
}

static void
on_session_changed_cb (CapaWindow *self,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  if (self->parts_session != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->parts_session, on_items_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->parts_session, on_loading_changed_cb, self);
    }
  g_set_object (&self->parts_session, self->session);
  if (self->session != NULL)
    {
      g_signal_connect_object (self->session, "items-changed", G_CALLBACK (on_items_changed_cb),
                               self, 0);
      g_signal_connect_object (self->session, "notify::loading",
                               G_CALLBACK (on_loading_changed_cb), self, 0);
    }
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

/* ---------------------------------------------------------------- */
/* The settings panels, one per camera                               */
/* ---------------------------------------------------------------- */

static CapaSettingsPanel *
make_panel (CapaWindow *self)
{
  CapaSettingsPanel *panel = capa_settings_panel_new ();

  gtk_widget_set_hexpand (GTK_WIDGET (panel), FALSE);
  gtk_widget_set_vexpand (GTK_WIDGET (panel), TRUE);
  gtk_widget_show (GTK_WIDGET (panel));
  g_signal_connect_object (panel, "error", G_CALLBACK (on_part_error_cb), self, 0);

  return panel;
}

static void
update_switcher (CapaWindow *self)
{
  gtk_widget_set_visible (self->settings_switcher, _capa_window_count_open (self) >= 2);
}

/* Gives @slot a page of the side panel: the panel no camera has (the
 * first one, kept while no camera is connected), else a new one. */
void
_capa_window_parts_add_slot (CapaWindow     *self,
                             CapaWindowSlot *slot)
{
  g_autoptr(GList) pages = NULL;
  CapaSettingsPanel *panel = NULL;
  g_autofree char *title = NULL;

  if (self->settings_stack == NULL)
    return;

  pages = gtk_container_get_children (GTK_CONTAINER (self->settings_stack));
  for (const GList *l = pages; l != NULL && panel == NULL; l = l->next)
    if (g_object_get_data (l->data, "capa-window-slot") == NULL)
      panel = l->data;

  if (panel == NULL)
    {
      panel = make_panel (self);
      gtk_container_add (GTK_CONTAINER (self->settings_stack), GTK_WIDGET (panel));
    }

  /* Two of one model: the second is told apart by a number, the first
   * number no other camera's page has. */
  for (guint n = 1; title == NULL; n++)
    {
      g_autofree char *candidate = NULL;
      gboolean taken = FALSE;

      if (n == 1)
        candidate = g_strdup (_capa_window_slot_get_model (slot));
      else
        /* Translators: a settings page's title: a camera model and its number, as in "D750 2" */
        candidate = g_strdup_printf (_("%s %u"), _capa_window_slot_get_model (slot), n);

      for (const GList *l = pages; l != NULL && !taken; l = l->next)
        {
          CapaWindowSlot *owner = g_object_get_data (l->data, "capa-window-slot");

          taken = owner != NULL && owner != slot
                  && g_strcmp0 (_capa_window_slot_get_title (owner), candidate) == 0;
        }
      if (!taken)
        title = g_steal_pointer (&candidate);
    }

  g_free (slot->title);
  slot->title = g_strdup (title);
  g_object_set_data (G_OBJECT (panel), "capa-window-slot", slot);
  gtk_container_child_set (GTK_CONTAINER (self->settings_stack), GTK_WIDGET (panel),
                           "name", capa_camera_get_port (slot->camera), "title", title, NULL);
  g_set_object (&slot->settings_panel, panel);
  /* Its "All Settings" window is named so too: a window per camera. */
  capa_settings_panel_set_camera_title (panel, title);
  update_switcher (self);
}

void
_capa_window_parts_remove_slot (CapaWindow     *self,
                                CapaWindowSlot *slot)
{
  g_autoptr(GList) pages = NULL;
  CapaSettingsPanel *panel = slot->settings_panel;

  if (panel == NULL || self->settings_stack == NULL)
    return;

  g_object_set_data (G_OBJECT (panel), "capa-window-slot", NULL);
  capa_settings_panel_set_camera (panel, NULL);
  capa_settings_panel_set_camera_title (panel, NULL);

  /* The last page stays, for the next camera. */
  pages = gtk_container_get_children (GTK_CONTAINER (self->settings_stack));
  if (g_list_length (pages) > 1)
    gtk_container_remove (GTK_CONTAINER (self->settings_stack), GTK_WIDGET (panel));
  g_clear_object (&slot->settings_panel);
  update_switcher (self);
}

void
_capa_window_parts_show_slot (CapaWindow     *self,
                              CapaWindowSlot *slot)
{
  if (self->settings_stack == NULL)
    return;

  if (slot != NULL && slot->settings_panel != NULL)
    gtk_stack_set_visible_child (self->settings_stack, GTK_WIDGET (slot->settings_panel));
  update_switcher (self);
}

/* Another page chosen with the switcher: its camera becomes the active one. */
static void
on_settings_page_changed_cb (GtkStack   *stack,
                             GParamSpec *pspec,
                             CapaWindow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (stack);
  CapaWindowSlot *slot = page != NULL ? g_object_get_data (G_OBJECT (page), "capa-window-slot")
                                      : NULL;

  if (slot != NULL && slot != self->active && slot->tether != NULL)
    _capa_window_set_active_slot (self, slot);
}

/* ---------------------------------------------------------------- */
/* The notification over the image                                   */
/* ---------------------------------------------------------------- */

#define NOTIFICATION_SECONDS 4

static gboolean
on_notification_timeout_cb (gpointer user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  self->notification_id = 0;
  gtk_revealer_set_reveal_child (self->notification_revealer, FALSE);

  return G_SOURCE_REMOVE;
}

/* Shows @text for a few seconds at the top of the image area, without
 * interrupting: for news that needs no answer. */
void
_capa_window_notify (CapaWindow *self,
                     const char *text)
{
  g_debug ("Notification: %s", text);
  gtk_label_set_text (self->notification_label, text);
  gtk_revealer_set_reveal_child (self->notification_revealer, TRUE);
  g_clear_handle_id (&self->notification_id, g_source_remove);
  self->notification_id = g_timeout_add_seconds (NOTIFICATION_SECONDS,
                                                 on_notification_timeout_cb, self);
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

/* Longest the film strip's thumbnail of the selected image waits for
 * the view (a view not on screen paints nothing). */
#define THUMBNAIL_WAIT_MS 2000

static void
release_thumbnail (CapaWindow *self)
{
  g_clear_handle_id (&self->thumbnail_wait_id, g_source_remove);
  if (self->film_strip != NULL)
    _capa_film_strip_defer_thumbnail (self->film_strip, NULL);
}

static gboolean
on_thumbnail_wait_over_cb (gpointer user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  self->thumbnail_wait_id = 0;
  release_thumbnail (self);

  return G_SOURCE_REMOVE;
}

static void
on_selected_for_thumbnail_cb (CapaWindow *self)
{
  CapaImage *image = capa_window_get_selected_image (self);

  release_thumbnail (self);
  if (image == NULL || self->film_strip == NULL)
    return;

  _capa_film_strip_defer_thumbnail (self->film_strip, image);
  self->thumbnail_wait_id = g_timeout_add (THUMBNAIL_WAIT_MS, on_thumbnail_wait_over_cb, self);
}

static void
on_view_painted_cb (CapaImageView        *view,
                    CapaImageViewQuality  quality,
                    CapaWindow           *self)
{
  if (quality >= CAPA_IMAGE_VIEW_QUALITY_SCREEN)
    release_thumbnail (self);
}

/* The film strip's selection, for the window's: the strip selects a new
 * shot's first file as it comes; a RAW whose JPEG the capture brings next
 * waits for it (capa-window-camera.c), so that the view never decodes it. */
static gboolean
transform_strip_selection (GBinding     *binding,
                           const GValue *from_value,
                           GValue       *to_value,
                           gpointer      user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  CapaImage *image = g_value_get_object (from_value);
  GListModel *session = G_LIST_MODEL (self->session);
  guint n = session != NULL ? g_list_model_get_n_items (session) : 0;

  /* Only the newest image: one chosen in the strip is shown at once. */
  if (image != NULL && n > 0 && _capa_session_peek_image (self->session, n - 1) == image
      && _capa_window_hold_raw (self, image))
    return FALSE;

  g_value_set_object (to_value, image);
  return TRUE;
}

/* Makes the parts and wires them; once the session and the camera are
 * set up. */
void
_capa_window_parts_init (CapaWindow *self)
{
  GObject *parts[2];
  GtkWidget *stack, *switcher;

  self->image_view = g_object_ref_sink (capa_image_view_new ());
  self->film_strip = g_object_ref_sink (capa_film_strip_new ());
  add_to_slot (self->image_view_slot, GTK_WIDGET (self->image_view));
  add_to_slot (self->film_strip_slot, GTK_WIDGET (self->film_strip));
  gtk_widget_set_vexpand (GTK_WIDGET (self->film_strip), FALSE);

  /* The side panel: a page per camera, and a switcher with two or more. */
  stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_buildable_set_name (GTK_BUILDABLE (stack), "settings_stack");
  self->settings_stack = GTK_STACK (g_object_ref_sink (stack));
  switcher = gtk_stack_switcher_new ();
  gtk_buildable_set_name (GTK_BUILDABLE (switcher), "settings_switcher");
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), self->settings_stack);
  gtk_widget_set_halign (switcher, GTK_ALIGN_CENTER);
  g_object_set (switcher, "margin-top", 6, "margin-bottom", 6, "margin-start", 6,
                "margin-end", 6, NULL);
  gtk_widget_set_no_show_all (switcher, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (switcher), _("Cameras"));
  self->settings_switcher = g_object_ref_sink (switcher);
  gtk_container_add (GTK_CONTAINER (self->settings_panel_slot), switcher);
  add_to_slot (self->settings_panel_slot, stack);
  gtk_widget_set_hexpand (stack, FALSE);
  gtk_container_add (GTK_CONTAINER (stack), GTK_WIDGET (make_panel (self)));
  /* A camera connected while the window was being made (a remembered
   * network camera, `capa --camera`) came before its page could. */
  for (guint i = 0; i < self->slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (self->slots, i);

      _capa_window_parts_add_slot (self, slot);
      if (slot->tether != NULL)
        capa_settings_panel_set_camera (slot->settings_panel, slot->camera);
    }
  _capa_window_parts_show_slot (self, self->active);
  g_signal_connect_object (stack, "notify::visible-child",
                           G_CALLBACK (on_settings_page_changed_cb), self, 0);

  /* The template's placeholders give way to the view's own actions. */
  for (guint i = 0; i < G_N_ELEMENTS (part_entries); i++)
    g_action_map_remove_action (G_ACTION_MAP (self), part_entries[i].name);
  g_action_map_add_action_entries (G_ACTION_MAP (self), part_entries,
                                   G_N_ELEMENTS (part_entries), self);

  /* The header bar counts the strip's items (shots, not files). */
  g_signal_connect_object (self->film_strip, "notify::session",
                           G_CALLBACK (_capa_window_update_title), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self, "session", self->film_strip, "session",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (self, "selected-image", self->film_strip, "selected-image",
                               G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                               NULL, transform_strip_selection, self, NULL);
  g_object_bind_property (self, "selected-image", self->image_view, "image",
                          G_BINDING_SYNC_CREATE);
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
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_signal_connect_object (parts[i], "error", G_CALLBACK (on_part_error_cb), self, 0);
  g_signal_connect_object (self->screen_profile, "error", G_CALLBACK (on_part_error_cb),
                           self, 0);
  g_signal_connect_object (self->film_strip, "trashed", G_CALLBACK (on_trashed_cb), self, 0);
  g_signal_connect_object (self->image_view, "painted", G_CALLBACK (on_view_painted_cb),
                           self, 0);
  g_signal_connect_object (self->image_view, "error", G_CALLBACK (release_thumbnail),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::selected-image", G_CALLBACK (on_selected_for_thumbnail_cb),
                    NULL);
  on_selected_for_thumbnail_cb (self);

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
  g_clear_handle_id (&self->thumbnail_wait_id, g_source_remove);
  g_clear_object (&self->screen_profile);
  g_clear_object (&self->image_view);
  g_clear_object (&self->film_strip);
  g_clear_object (&self->settings_stack);
  g_clear_object (&self->settings_switcher);
  g_clear_handle_id (&self->notification_id, g_source_remove);
}
