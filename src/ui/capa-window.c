/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpeas/peas.h>

#include "capa-film-strip-private.h"
#include "capa-session-private.h"
#include "capa-window-private.h"
#include "capa-window-activatable.h"

G_DEFINE_FINAL_TYPE (CapaWindow, capa_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TETHER,
  PROP_SELECTED_IMAGE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* The responses of the info bar's buttons. */
enum {
  MESSAGE_RESPONSE_ACTION = 1,
};

/* The shots of the session: the film strip's items, the files of a RAW +
 * JPEG shot being one; its files until the strip has the session. */
static guint
count_shots (CapaWindow *self)
{
  if (self->film_strip != NULL && capa_film_strip_get_session (self->film_strip) == self->session)
    return _capa_film_strip_get_n_items (self->film_strip);

  return g_list_model_get_n_items (G_LIST_MODEL (self->session));
}

void
_capa_window_update_title (CapaWindow *self)
{
  const char *folder = capa_session_get_directory (self->session);
  g_autofree char *name = g_filename_display_basename (folder);
  g_autofree char *path = g_filename_display_name (folder);
  g_autofree char *subtitle = NULL;
  g_autofree char *location = NULL;
  guint n = count_shots (self);

  if (self->downloading != NULL)
    /* Translators: the header bar while a shot comes in: a file name, then a percentage */
    subtitle = g_strdup_printf (_("Downloading %s… %d %%"), self->downloading,
                                (int) (CLAMP (self->download_fraction, 0.0, 1.0) * 100.0));
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shot", "%u shots", n), n);

  /* The window's title too (GtkWindow follows its header bar's).  Set
   * only when they change: each set lays the header bar out again. */
  if (g_strcmp0 (gtk_header_bar_get_title (self->header_bar), name) != 0)
    gtk_header_bar_set_title (self->header_bar, name);
  if (g_strcmp0 (gtk_header_bar_get_subtitle (self->header_bar), subtitle) != 0)
    gtk_header_bar_set_subtitle (self->header_bar, subtitle);

  /* Translators: %s is a folder */
  location = g_strdup_printf (_("Shots are saved in %s"), path);
  _capa_label_set_text (self->session_label, location);
}

/* Sets @label's text when it changes: setting it, even to the same text,
 * makes the window lay itself out again. */
void
_capa_label_set_text (GtkLabel   *label,
                      const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

/* Sets what a screen reader says of @widget, its accessible name and
 * description, when they change: each change is announced. */
void
_capa_accessible_set_text (GtkWidget  *widget,
                           const char *name,
                           const char *description)
{
  AtkObject *accessible = gtk_widget_get_accessible (widget);

  if (g_strcmp0 (atk_object_get_name (accessible), name) != 0)
    atk_object_set_name (accessible, name);
  if (g_strcmp0 (atk_object_get_description (accessible), description) != 0)
    atk_object_set_description (accessible, description);
}

/* Sets @page's title and description when they change: each set lays the
 * window out again. */
static void
set_status_page_text (HdyStatusPage *page,
                      const char    *title,
                      const char    *description)
{
  if (g_strcmp0 (hdy_status_page_get_title (page), title) != 0)
    hdy_status_page_set_title (page, title);
  if (g_strcmp0 (hdy_status_page_get_description (page), description) != 0)
    hdy_status_page_set_description (page, description);
}

static void
name_status_page (HdyStatusPage *page)
{
  AtkObject *accessible = gtk_widget_get_accessible (GTK_WIDGET (page));

  atk_object_set_name (accessible, hdy_status_page_get_title (page));
  atk_object_set_description (accessible, hdy_status_page_get_description (page));
}

void
_capa_window_update_page (CapaWindow *self)
{
  const char *page;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->session)) > 0)
    page = "image";
  else if (capa_session_get_loading (self->session))
    /* A session being opened, nothing listed yet: the page stays until
     * it is, or until the session is read (notify::loading), rather than
     * flash "empty" and lay out the whole window twice. */
    page = gtk_stack_get_visible_child_name (self->main_stack);
  else if (self->tether != NULL)
    page = "empty-session";
  else
    page = "no-camera";

  /* A camera plugged in but not connected is not "no camera". */
  if (self->camera_list != NULL
      && g_list_model_get_n_items (G_LIST_MODEL (self->camera_list)) > 0)
    set_status_page_text (self->no_camera_page, _("No Camera Connected"),
                          _("A camera is plugged in but not connected. Choose it "
                            "with the camera button; if the Files application "
                            "holds it, Capa offers to release it."));
  else
    set_status_page_text (self->no_camera_page, _("No Camera Found"),
                          _("Connect the camera with its USB cable, switch it on "
                            "and set it to PC, PTP or remote mode: Capa finds it "
                            "by itself. If the Files application shows the camera, "
                            "it holds it, and Capa will offer to release it."));

  if (page != NULL)
    gtk_stack_set_visible_child_name (self->main_stack, page);

  /* HdyStatusPage keeps its title and description from screen readers. */
  name_status_page (self->no_camera_page);
  name_status_page (self->empty_session_page);
}

void
_capa_window_set_selected_image (CapaWindow *self,
                                 CapaImage  *image)
{
  /* A file of a shot shown by another (the RAW of a RAW + JPEG) selects
   * the one shown, as the film strip does. */
  if (image != NULL && self->film_strip != NULL)
    image = _capa_film_strip_get_shown (self->film_strip, image);

  /* Whatever is chosen now comes after a RAW held back for its JPEG. */
  g_clear_object (&self->held_raw);

  if (g_set_object (&self->selected_image, image))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_IMAGE]);
}

static void
on_session_items_changed_cb (GListModel *model,
                             guint       position,
                             guint       removed,
                             guint       added,
                             CapaWindow *self)
{
  /* Looked up by name: a loading session's batches are told as the tail
   * replaced, and a walk over it would cost every image each time. */
  if (self->selected_image != NULL && removed > 0 &&
      !_capa_session_has_image (CAPA_SESSION (model), self->selected_image))
    _capa_window_set_selected_image (self, NULL);
  if (self->held_raw != NULL && removed > 0 &&
      !_capa_session_has_image (CAPA_SESSION (model), self->held_raw))
    g_clear_object (&self->held_raw);

  _capa_window_update_page (self);
}

static void
on_session_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CapaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CapaSession *session = CAPA_SESSION (object);
  guint n;

  if (!capa_session_load_finish (session, result, &error))
    {
      if (self->cancellable != NULL && session == self->session
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        _capa_window_show_gerror (self, _("Could not read the session folder"), error);
      return;
    }

  /* Opening a session shows its newest image. */
  n = g_list_model_get_n_items (G_LIST_MODEL (session));
  if (self->cancellable != NULL && session == self->session && self->selected_image == NULL
      && n > 0)
    {
      g_autoptr(CapaImage) newest = g_list_model_get_item (G_LIST_MODEL (session), n - 1);

      _capa_window_set_selected_image (self, newest);
    }
}

static void
save_window_state (CapaWindow *self)
{
  g_autoptr(GSettings) state = NULL;

  /* A settings object of its own, delayed so that the keys change
   * together: delaying is for the life of an object, so neither the
   * window's nor the application's object may ever be delayed. */
  state = g_settings_new (APP_ID);
  g_settings_delay (state);
  if (!self->maximized && !self->fullscreen && self->width > 0 && self->height > 0)
    g_settings_set (state, "window-size", "(ii)", self->width, self->height);
  g_settings_set_boolean (state, "window-maximized", self->maximized);
  g_settings_apply (state);
}

static char *
dup_default_session_folder (void)
{
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  if (pictures == NULL)
    pictures = g_get_home_dir ();

  return g_build_filename (pictures, today, NULL);
}

/* @remember: whether the folder becomes the `session-folder` setting; not
 * for the default folder of today's date, which must follow the date. */
static void
change_session (CapaWindow  *self,
                CapaSession *session,
                gboolean     remember)
{
  const char *folder = capa_session_get_directory (session);

  if (self->session == session)
    return;
  if (self->session != NULL
      && g_strcmp0 (capa_session_get_directory (self->session), folder) == 0)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_signal_connect (session, "items-changed", G_CALLBACK (on_session_items_changed_cb), self);
  /* Counted once the film strip has followed the change (its handler runs
   * before). */
  g_signal_connect_data (session, "items-changed", G_CALLBACK (_capa_window_update_title), self,
                         NULL, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_swapped (session, "notify::loading", G_CALLBACK (_capa_window_update_page),
                            self);
  _capa_window_set_selected_image (self, NULL);

  if (remember && self->settings != NULL)
    g_settings_set_string (self->settings, "session-folder", folder);

  if (!capa_session_get_loaded (session) && !capa_session_get_loading (session))
    capa_session_load_async (session, self->cancellable, on_session_loaded_cb,
                             g_object_ref (self));
  else if (g_list_model_get_n_items (G_LIST_MODEL (session)) > 0)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (session));
      g_autoptr(CapaImage) newest = g_list_model_get_item (G_LIST_MODEL (session), n - 1);

      _capa_window_set_selected_image (self, newest);
    }

  _capa_window_camera_session_changed (self);
  _capa_window_update_title (self);
  _capa_window_update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
on_message_bar_response_cb (GtkInfoBar *bar,
                            int         response_id,
                            CapaWindow *self)
{
  gtk_info_bar_set_revealed (bar, FALSE);
}

static void
name_close_button_cb (GtkWidget *widget,
                      gpointer   data)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_buildable_get_name (GTK_BUILDABLE (widget)), "close_button") == 0)
    {
      atk_object_set_name (gtk_widget_get_accessible (widget), _("Close the message"));
      gtk_widget_set_tooltip_text (widget, _("Close the message"));
    }
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), name_close_button_cb, data);
}

static void
on_capture_button_clicked_cb (GtkButton  *button,
                              CapaWindow *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self), "capture", NULL);
}

static void
on_notification_close_clicked_cb (GtkButton  *button,
                                  CapaWindow *self)
{
  gtk_revealer_set_reveal_child (self->notification_revealer, FALSE);
}

static void
on_session_chosen_cb (GtkNativeDialog *dialog,
                      int              response,
                      gpointer         user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *folder = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));

      if (folder != NULL)
        {
          g_autoptr(CapaSession) session = capa_session_new (folder);

          capa_window_set_session (self, session);
        }
      else
        capa_window_show_error (self, _("Cannot use this folder"),
                                _("Choose a folder on a local disk."));
    }

  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_open_session_activated_cb (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Session Folder"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_create_folders (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog),
                                       capa_session_get_directory (self->session));

  g_signal_connect (dialog, "response", G_CALLBACK (on_session_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_primary_menu_activated_cb (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);
  GtkToggleButton *button = GTK_TOGGLE_BUTTON (self->primary_menu_button);

  gtk_toggle_button_set_active (button, !gtk_toggle_button_get_active (button));
}

static void
on_fullscreen_activated_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  if (self->fullscreen)
    gtk_window_unfullscreen (GTK_WINDOW (self));
  else
    gtk_window_fullscreen (GTK_WINDOW (self));
}

static void
on_close_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static void
on_use_demo_camera_activated_cb (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  g_settings_set_boolean (self->settings, "demo-camera", TRUE);
  /* Connected as soon as the camera list has it. */
  _capa_window_await_port (self, CAPA_WINDOW_DEMO_CAMERA_PORT);
}

/* The image view's: enabled once the view is in its slot. */
static void
on_zoom_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  g_debug ("%s: no image view yet", g_action_get_name (G_ACTION (action)));
}

static const GActionEntry win_entries[] = {
  { "open-session", on_open_session_activated_cb },
  { "primary-menu", on_primary_menu_activated_cb },
  { "fullscreen", on_fullscreen_activated_cb },
  { "close", on_close_activated_cb },
  { "use-demo-camera", on_use_demo_camera_activated_cb },
  { "zoom-in", on_zoom_activated_cb },
  { "zoom-out", on_zoom_activated_cb },
  { "zoom-fit", on_zoom_activated_cb },
  { "zoom-100", on_zoom_activated_cb },
};

/* Space takes a picture, unless the focus is where one types. */
static gboolean
capa_window_key_press_event (GtkWidget   *widget,
                             GdkEventKey *event)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (widget));
  GdkModifierType mods = event->state & gtk_accelerator_get_default_mod_mask ();

  if (event->keyval == GDK_KEY_space && mods == 0
      && !GTK_IS_EDITABLE (focus) && !GTK_IS_TEXT_VIEW (focus))
    {
      g_action_group_activate_action (G_ACTION_GROUP (widget), "capture", NULL);
      return GDK_EVENT_STOP;
    }

  return GTK_WIDGET_CLASS (capa_window_parent_class)->key_press_event (widget, event);
}

static void
capa_window_size_allocate (GtkWidget     *widget,
                           GtkAllocation *allocation)
{
  CapaWindow *self = CAPA_WINDOW (widget);

  GTK_WIDGET_CLASS (capa_window_parent_class)->size_allocate (widget, allocation);

  if (!self->maximized && !self->fullscreen)
    gtk_window_get_size (GTK_WINDOW (self), &self->width, &self->height);
}

static gboolean
capa_window_window_state_event (GtkWidget           *widget,
                                GdkEventWindowState *event)
{
  CapaWindow *self = CAPA_WINDOW (widget);

  self->maximized = (event->new_window_state & GDK_WINDOW_STATE_MAXIMIZED) != 0;
  self->fullscreen = (event->new_window_state & GDK_WINDOW_STATE_FULLSCREEN) != 0;

  return GTK_WIDGET_CLASS (capa_window_parent_class)->window_state_event (widget, event);
}

static gboolean
capa_window_delete_event (GtkWidget   *widget,
                          GdkEventAny *event)
{
  save_window_state (CAPA_WINDOW (widget));

  return GDK_EVENT_PROPAGATE;
}

static void
on_extension_added_cb (PeasExtensionSet *set,
                       PeasPluginInfo   *info,
                       PeasExtension    *extension,
                       gpointer          user_data)
{
  g_debug ("Activating plugin %s for a window", peas_plugin_info_get_module_name (info));
  capa_window_activatable_activate (CAPA_WINDOW_ACTIVATABLE (extension));
}

static void
on_extension_removed_cb (PeasExtensionSet *set,
                         PeasPluginInfo   *info,
                         PeasExtension    *extension,
                         gpointer          user_data)
{
  g_debug ("Deactivating plugin %s for a window", peas_plugin_info_get_module_name (info));
  capa_window_activatable_deactivate (CAPA_WINDOW_ACTIVATABLE (extension));
}

static void
capa_window_constructed (GObject *object)
{
  CapaWindow *self = CAPA_WINDOW (object);
  GtkApplication *app;
  int width = 0, height = 0;

  G_OBJECT_CLASS (capa_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  self->settings = g_settings_new (APP_ID);

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* The session given at construction, else the one asked for with
   * --session, else the remembered one, else today's under Pictures. */
  if (self->session == NULL)
    {
      g_autofree char *folder = NULL;
      g_autoptr(CapaSession) session = NULL;
      gboolean remember = FALSE;

      if (CAPA_IS_APPLICATION (app)
          && capa_application_get_session_folder (CAPA_APPLICATION (app)) != NULL)
        {
          folder = g_strdup (capa_application_get_session_folder (CAPA_APPLICATION (app)));
          remember = TRUE;
        }
      else
        {
          folder = g_settings_get_string (self->settings, "session-folder");
        }

      if (folder[0] == '\0')
        {
          g_free (folder);
          folder = dup_default_session_folder ();
        }

      session = capa_session_new (folder);
      change_session (self, session, remember);
    }
  else
    {
      _capa_window_update_title (self);
    }

  g_settings_bind (self->settings, "settings-panel-visible", self->flap, "reveal-flap",
                   G_SETTINGS_BIND_DEFAULT);
  _capa_window_camera_init (self);
  _capa_window_parts_init (self);
  _capa_window_update_page (self);

  self->extensions = peas_extension_set_new (peas_engine_get_default (),
                                             CAPA_TYPE_WINDOW_ACTIVATABLE,
                                             "window", self,
                                             NULL);
  g_signal_connect (self->extensions, "extension-added",
                    G_CALLBACK (on_extension_added_cb), self);
  g_signal_connect (self->extensions, "extension-removed",
                    G_CALLBACK (on_extension_removed_cb), self);
  peas_extension_set_foreach (self->extensions, on_extension_added_cb, self);
}

static void
capa_window_dispose (GObject *object)
{
  CapaWindow *self = CAPA_WINDOW (object);

  /* Plugins undo their work while the window is still whole. */
  if (self->extensions != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->extensions, self);
      peas_extension_set_foreach (self->extensions, on_extension_removed_cb, self);
      g_clear_object (&self->extensions);
    }

  _capa_window_camera_dispose (self);
  _capa_window_parts_dispose (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->tether);
  g_clear_object (&self->selected_image);
  g_clear_object (&self->held_raw);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (capa_window_parent_class)->dispose (object);
}

static void
capa_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CapaWindow *self = CAPA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_TETHER:
      g_value_set_object (value, self->tether);
      break;

    case PROP_SELECTED_IMAGE:
      g_value_set_object (value, self->selected_image);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CapaWindow *self = CAPA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      /* NULL at construction: the window makes its own in constructed(). */
      if (g_value_get_object (value) != NULL)
        capa_window_set_session (self, g_value_get_object (value));
      break;

    case PROP_TETHER:
      capa_window_set_tether (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_IMAGE:
      _capa_window_set_selected_image (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_window_class_init (CapaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = capa_window_constructed;
  object_class->dispose = capa_window_dispose;
  object_class->get_property = capa_window_get_property;
  object_class->set_property = capa_window_set_property;

  widget_class->size_allocate = capa_window_size_allocate;
  widget_class->window_state_event = capa_window_window_state_event;
  widget_class->delete_event = capa_window_delete_event;
  widget_class->key_press_event = capa_window_key_press_event;

  /**
   * CapaWindow:session:
   *
   * The session this window shows and stores shots in; never %NULL.
   *
   * Unless one is given at construction, the window makes it from the
   * folder asked for with `capa --session`, else from the remembered
   * `session-folder` setting, else from a folder named after today's date
   * under the Pictures folder.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CAPA_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaWindow:tether:
   *
   * The tether to the camera this window works with, or %NULL while no
   * camera is open. Plugins connect to `notify::tether` to follow the
   * camera being opened and closed. With several cameras connected it is
   * the active camera's, the one Capture and the settings panel show;
   * capa_window_get_tethers() lists them all.
   */
  properties[PROP_TETHER] =
    g_param_spec_object ("tether", NULL, NULL,
                         CAPA_TYPE_TETHER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaWindow:selected-image:
   *
   * The image shown and selected in the film strip, or %NULL. Each new
   * shot (captured, or taken with the camera's own shutter button) becomes
   * the selected image the moment it is saved; opening a session selects
   * its newest image. A shot saved as several files is one item of the
   * film strip, and is selected as that item: the JPEG of a RAW + JPEG
   * pair (see [method@Capa.FilmStrip.select_image]); while a capture
   * brings such a pair, its RAW is not selected on the way.
   */
  properties[PROP_SELECTED_IMAGE] =
    g_param_spec_object ("selected-image", NULL, NULL,
                         CAPA_TYPE_IMAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CAPA_TYPE_CAMERA_BUTTON);
  g_type_ensure (HDY_TYPE_FLAP);
  g_type_ensure (HDY_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/capa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, camera_button);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, capture_box);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, capture_button);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, capture_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, capture_label);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, settings_panel_button);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, message_bar);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, message_title);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, message_detail);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, no_camera_page);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, empty_session_page);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, demo_camera_button);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, session_label);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, image_view_slot);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, film_strip_slot);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, settings_panel_slot);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, notification_revealer);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, notification_label);
  gtk_widget_class_bind_template_callback (widget_class, on_message_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_capture_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_notification_close_clicked_cb);
  gtk_widget_class_bind_template_callback_full (
    widget_class, "on_camera_button_connect_camera_cb",
    G_CALLBACK (_capa_window_on_camera_button_connect_camera_cb));
  gtk_widget_class_bind_template_callback_full (
    widget_class, "on_camera_button_disconnect_camera_cb",
    G_CALLBACK (_capa_window_on_camera_button_disconnect_camera_cb));
}

static void
capa_window_init (CapaWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The pages of the main stack (the image view, the status pages, whose
   * texts follow the camera and the session) are laid out within the
   * stack: a change of them never lays out the flap beside, which would
   * draw the settings panel again. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_container_set_resize_mode (GTK_CONTAINER (self->main_stack), GTK_RESIZE_QUEUE);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* GtkInfoBar leaves its closing button without a name. */
  name_close_button_cb (GTK_WIDGET (self->message_bar), NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);

  /* The side panel's button, F9 and the remembered setting (bound in
   * constructed()) all follow the flap. */
  {
    g_autoptr(GPropertyAction) toggle = g_property_action_new ("toggle-settings-panel",
                                                               self->flap, "reveal-flap");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (toggle));
  }

  for (guint i = 0; i < 4; i++)
    {
      static const char *zoom[] = { "zoom-in", "zoom-out", "zoom-fit", "zoom-100" };
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), zoom[i]);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);
    }
}

/**
 * capa_window_new:
 * @application: the #CapaApplication
 *
 * Creates a main window of Capa. Like any GTK toplevel window it belongs
 * to GTK, which keeps it until gtk_widget_destroy().
 *
 * Returns: (transfer none): a new #CapaWindow
 */
CapaWindow *
capa_window_new (CapaApplication *application)
{
  g_return_val_if_fail (CAPA_IS_APPLICATION (application), NULL);

  return g_object_new (CAPA_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * capa_window_get_session:
 * @self: a #CapaWindow
 *
 * Returns the session this window shows and stores shots in.
 *
 * Returns: (transfer none): the window's session, never %NULL
 */
CapaSession *
capa_window_get_session (CapaWindow *self)
{
  g_return_val_if_fail (CAPA_IS_WINDOW (self), NULL);

  return self->session;
}

/**
 * capa_window_set_session:
 * @self: a #CapaWindow
 * @session: (transfer none): the session
 *
 * Makes @session the session of this window; its folder is remembered as
 * the folder to use on the next start. Setting a session of the same
 * folder as the current one does nothing.
 */
void
capa_window_set_session (CapaWindow  *self,
                         CapaSession *session)
{
  g_return_if_fail (CAPA_IS_WINDOW (self));
  g_return_if_fail (CAPA_IS_SESSION (session));

  change_session (self, session, TRUE);
}

/**
 * capa_window_get_tether:
 * @self: a #CapaWindow
 *
 * Returns the tether to the camera this window works with: with several
 * cameras connected, the active one's (see capa_window_get_tethers()).
 *
 * Returns: (transfer none) (nullable): the tether, or %NULL while no camera
 *   is open
 */
CapaTether *
capa_window_get_tether (CapaWindow *self)
{
  g_return_val_if_fail (CAPA_IS_WINDOW (self), NULL);

  return self->tether;
}

/**
 * capa_window_set_tether:
 * @self: a #CapaWindow
 * @tether: (transfer none) (nullable): the tether to the open camera, or
 *   %NULL when the camera is closed
 *
 * Makes @tether the tether of this window. The window's camera code calls
 * this when it opens or closes a camera; [property@Capa.Window:tether] is
 * notified when it changes. With several cameras connected, setting one of
 * their tethers (see capa_window_get_tethers()) makes that camera the
 * active one: its settings page is shown and Capture uses it.
 */
void
capa_window_set_tether (CapaWindow *self,
                        CapaTether *tether)
{
  CapaWindowSlot *slot;

  g_return_if_fail (CAPA_IS_WINDOW (self));
  g_return_if_fail (tether == NULL || CAPA_IS_TETHER (tether));

  /* One of the connected cameras' tethers: that camera becomes the active
   * one, with its settings page and the Capture button. */
  slot = tether != NULL ? _capa_window_find_slot_by_tether (self, tether) : NULL;
  if (slot != NULL && slot != self->active)
    {
      _capa_window_set_active_slot (self, slot);
      return;
    }

  if (g_set_object (&self->tether, tether))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TETHER]);
}

/**
 * capa_window_get_tethers:
 * @self: a #CapaWindow
 *
 * Returns the tethers of every camera connected to this window, in the
 * order they were connected: one item per camera, among them
 * [property@Capa.Window:tether] (the active camera's). The list follows
 * the cameras being connected and disconnected (`items-changed`); a change
 * of session replaces each camera's tether by one on the new session.
 *
 * Returns: (transfer none): a list model of #CapaTether
 */
GListModel *
capa_window_get_tethers (CapaWindow *self)
{
  g_return_val_if_fail (CAPA_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->tethers);
}

/**
 * capa_window_add_header_widget:
 * @self: a #CapaWindow
 * @widget: (transfer none): a widget, such as a button
 * @pack_type: %GTK_PACK_START for the left of the header bar, %GTK_PACK_END
 *   for the right
 *
 * Adds @widget to the window's header bar. Plugins use this to add their
 * buttons; remove them again with gtk_widget_destroy() in `deactivate`.
 */
void
capa_window_add_header_widget (CapaWindow  *self,
                               GtkWidget   *widget,
                               GtkPackType  pack_type)
{
  g_return_if_fail (CAPA_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (pack_type == GTK_PACK_END)
    gtk_header_bar_pack_end (self->header_bar, widget);
  else
    gtk_header_bar_pack_start (self->header_bar, widget);
}

/**
 * capa_window_show_error:
 * @self: a #CapaWindow
 * @primary: what went wrong, in a short sentence
 * @secondary: (nullable): the details and what to do about it
 *
 * Shows an error in the window's info bar, without interrupting the user
 * with a dialog; the same as [method@Capa.Window.show_message] with
 * %GTK_MESSAGE_ERROR and no button.
 */
void
capa_window_show_error (CapaWindow *self,
                        const char *primary,
                        const char *secondary)
{
  g_return_if_fail (CAPA_IS_WINDOW (self));
  g_return_if_fail (primary != NULL);

  capa_window_show_message (self, GTK_MESSAGE_ERROR, primary, secondary, NULL, NULL, NULL);
}

/**
 * capa_window_show_message:
 * @self: a #CapaWindow
 * @type: the kind of message: %GTK_MESSAGE_INFO, %GTK_MESSAGE_WARNING,
 *   %GTK_MESSAGE_ERROR…
 * @text: what happened, in a short sentence
 * @detail: (nullable): the details, and what to do about it
 * @button_label: (nullable): the label of a button (with a mnemonic), or
 *   %NULL for none
 * @action_name: (nullable): the detailed action the button activates,
 *   such as "win.unmount-camera"
 * @target: (nullable): the parameter of @action_name; a floating
 *   reference is taken
 *
 * Shows a message in the window's info bar, above the image: one message
 * at a time, the newest replacing the one shown, with a button to close
 * it. Routine errors go here rather than in a dialog.
 */
void
capa_window_show_message (CapaWindow     *self,
                          GtkMessageType  type,
                          const char     *text,
                          const char     *detail,
                          const char     *button_label,
                          const char     *action_name,
                          GVariant       *target)
{
  g_autoptr(GVariant) owned_target = target != NULL ? g_variant_ref_sink (target) : NULL;
  g_autoptr(GList) children = NULL;
  GtkWidget *action_area;

  g_return_if_fail (CAPA_IS_WINDOW (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (button_label == NULL || action_name != NULL);

  g_debug ("Message: %s %s", text, detail != NULL ? detail : "");
  self->disconnect_said = FALSE;

  /* The previous message's button goes with it. */
  action_area = gtk_info_bar_get_action_area (self->message_bar);
  children = gtk_container_get_children (GTK_CONTAINER (action_area));
  for (const GList *l = children; l != NULL; l = l->next)
    if (g_object_get_data (l->data, "capa-message-button") != NULL)
      gtk_widget_destroy (l->data);

  if (button_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

      g_object_set_data (G_OBJECT (button), "capa-message-button", GINT_TO_POINTER (TRUE));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
      if (owned_target != NULL)
        gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), owned_target);
      gtk_widget_show (button);
      gtk_info_bar_add_action_widget (self->message_bar, button, MESSAGE_RESPONSE_ACTION);
    }

  gtk_info_bar_set_message_type (self->message_bar, type);
  gtk_label_set_text (self->message_title, text);
  gtk_label_set_text (self->message_detail, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_detail), detail != NULL && *detail != '\0');
  gtk_info_bar_set_revealed (self->message_bar, TRUE);
}

/* An error of the core: its message says what happened and what to do. */
void
_capa_window_show_gerror (CapaWindow   *self,
                          const char   *primary,
                          const GError *error)
{
  capa_window_show_message (self, GTK_MESSAGE_ERROR, primary, error->message, NULL, NULL, NULL);
}

/**
 * capa_window_get_selected_image:
 * @self: a #CapaWindow
 *
 * Gets the image shown and selected in the film strip; see
 * [property@Capa.Window:selected-image].
 *
 * Returns: (transfer none) (nullable): the selected image
 */
CapaImage *
capa_window_get_selected_image (CapaWindow *self)
{
  g_return_val_if_fail (CAPA_IS_WINDOW (self), NULL);

  return self->selected_image;
}

/**
 * capa_window_set_selected_image:
 * @self: a #CapaWindow
 * @image: (nullable): an image of the window's session
 *
 * Selects @image: the image view shows it and the film strip selects it.
 * A file of a shot shown by another (the RAW of a RAW + JPEG) selects the
 * one shown, as the film strip does.
 */
void
capa_window_set_selected_image (CapaWindow *self,
                                CapaImage  *image)
{
  g_return_if_fail (CAPA_IS_WINDOW (self));
  g_return_if_fail (image == NULL || CAPA_IS_IMAGE (image));

  _capa_window_set_selected_image (self, image);
}
