/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpeas/peas.h>

#include "capa-window.h"
#include "capa-window-activatable.h"

struct _CapaWindow
{
  GtkApplicationWindow  parent_instance;

  /* owned */
  GSettings            *settings;      /* the window's own object, never delayed */
  GCancellable         *cancellable;
  CapaSession          *session;
  CapaTether           *tether;
  PeasExtensionSet     *extensions;

  /* window state, saved on close */
  int                   width;
  int                   height;
  guint                 maximized : 1;
  guint                 fullscreen : 1;

  /* template widgets */
  GtkHeaderBar         *header_bar;
  GtkMenuButton        *primary_menu_button;
  GtkInfoBar           *error_bar;
  GtkLabel             *error_title;
  GtkLabel             *error_detail;
  GtkStack             *main_stack;
  GtkLabel             *session_label;
};

G_DEFINE_FINAL_TYPE (CapaWindow, capa_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TETHER,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
update_session_label (CapaWindow *self)
{
  const char *folder = capa_session_get_directory (self->session);
  g_autofree char *display = NULL;
  g_autofree char *text = NULL;

  display = g_filename_display_name (folder);
  /* Translators: %s is a folder */
  text = g_strdup_printf (_("Session folder: %s"), display);
  gtk_label_set_text (self->session_label, text);

  g_free (display);
  display = g_filename_display_basename (folder);
  gtk_header_bar_set_subtitle (self->header_bar, display);
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

  g_set_object (&self->session, session);

  if (remember && self->settings != NULL)
    g_settings_set_string (self->settings, "session-folder", folder);

  update_session_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
on_error_bar_response_cb (GtkInfoBar *bar,
                          int         response_id,
                          CapaWindow *self)
{
  gtk_info_bar_set_revealed (bar, FALSE);
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

static const GActionEntry win_entries[] = {
  { "open-session", on_open_session_activated_cb },
  { "primary-menu", on_primary_menu_activated_cb },
  { "fullscreen", on_fullscreen_activated_cb },
  { "close", on_close_activated_cb },
};

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
      update_session_label (self);
    }

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

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->tether);
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
   * camera being opened and closed.
   */
  properties[PROP_TETHER] =
    g_param_spec_object ("tether", NULL, NULL,
                         CAPA_TYPE_TETHER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/capa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, error_bar);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, error_title);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, error_detail);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CapaWindow, session_label);
  gtk_widget_class_bind_template_callback (widget_class, on_error_bar_response_cb);
}

static void
capa_window_init (CapaWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);
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
 * Returns the tether to the camera this window works with.
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
 * notified when it changes.
 */
void
capa_window_set_tether (CapaWindow *self,
                        CapaTether *tether)
{
  g_return_if_fail (CAPA_IS_WINDOW (self));
  g_return_if_fail (tether == NULL || CAPA_IS_TETHER (tether));

  if (g_set_object (&self->tether, tether))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TETHER]);
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
 * with a dialog.
 */
void
capa_window_show_error (CapaWindow *self,
                        const char *primary,
                        const char *secondary)
{
  g_return_if_fail (CAPA_IS_WINDOW (self));
  g_return_if_fail (primary != NULL);

  gtk_label_set_text (self->error_title, primary);
  gtk_label_set_text (self->error_detail, secondary ? secondary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_detail), secondary != NULL);
  gtk_info_bar_set_revealed (self->error_bar, TRUE);
}
