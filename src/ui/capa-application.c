/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <handy.h>
#include <libpeas/peas.h>
#include <stdio.h>

#include "capa-app-activatable.h"
#include "capa-application.h"
#include "capa-camera-list.h"
#include "capa-camera.h"
#include "capa-debug.h"
#include "capa-preferences-window.h"
#include "capa-session.h"
#include "capa-window.h"

struct _CapaApplication
{
  GtkApplication  parent_instance;

  /* owned */
  GSettings      *settings;
  PeasExtensionSet *extensions;
  CapaCameraList *camera_list;
  char           *session_folder;
  char           *camera_port;

  guint           demo_option : 1;   /* capa --demo */
};

G_DEFINE_FINAL_TYPE (CapaApplication, capa_application, GTK_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_CAMERA_PORT,
  PROP_DEMO_CAMERA,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry main_entries[] = {
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { "session", 's', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Store and show shots in the session folder DIR"), N_("DIR") },
  { "camera", 'c', 0, G_OPTION_ARG_STRING, NULL,
    N_("Use the camera on PORT (as printed by --list-cameras, or ptpip:ADDRESS for a "
       "camera on the network)"), N_("PORT") },
  { "list-cameras", 'l', 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the connected cameras, one “MODEL<TAB>PORT” line each, and exit"), NULL },
  { "debug", 'd', 0, G_OPTION_ARG_NONE, NULL,
    N_("Log debugging information, libgphoto2’s included"), NULL },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Offer the demo camera, to try Capa without a camera"), NULL },
  { NULL }
};

static int
list_cameras (gboolean demo)
{
  g_autoptr(CapaCameraList) list = capa_camera_list_new ();
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(GError) error = NULL;

  capa_camera_list_set_monitoring (list, FALSE);
  capa_camera_list_set_demo_camera (list, demo);
  if (!capa_camera_list_refresh (list, NULL, &error))
    {
      /* Translators: %s is an error message from the camera library */
      g_printerr (_("Could not look for cameras: %s\n"), error->message);
      return 1;
    }

  cameras = capa_camera_list_get_cameras (list);
  for (guint i = 0; i < cameras->len; i++)
    {
      CapaCamera *camera = g_ptr_array_index (cameras, i);

      g_print ("%s\t%s\n", capa_camera_get_model (camera), capa_camera_get_port (camera));
    }

  return 0;
}

static int
capa_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  CapaApplication *self = CAPA_APPLICATION (app);
  gboolean demo = g_variant_dict_contains (options, "demo");

  /* Known before start-up when this process is the first instance, so
   * that the demo's driver is set up before libgphoto2 loads its drivers
   * (capa_camera_list_set_demo_camera ()). */
  if (demo)
    capa_application_set_demo_camera (self, TRUE);

  if (g_variant_dict_contains (options, "debug"))
    capa_debug_set_enabled (TRUE);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "list-cameras"))
    return list_cameras (demo || g_settings_get_boolean (capa_application_get_settings (self),
                                                         "demo-camera"));

  return G_APPLICATION_CLASS (capa_application_parent_class)->handle_local_options (app, options);
}

static CapaWindow *
get_or_create_window (CapaApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (capa_window_new (self));

  return CAPA_WINDOW (window);
}

static void
capa_application_activate (GApplication *app)
{
  CapaApplication *self = CAPA_APPLICATION (app);
  CapaWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
}

static int
capa_application_command_line (GApplication            *app,
                               GApplicationCommandLine *command_line)
{
  CapaApplication *self = CAPA_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *session = NULL;
  g_autofree char *camera = NULL;

  if (g_variant_dict_lookup (options, "session", "^ay", &session))
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line,
                                                                              session);

      g_free (self->session_folder);
      self->session_folder = g_file_get_path (file);
    }

  if (g_variant_dict_lookup (options, "camera", "s", &camera))
    {
      /* The window connects the camera when this changes; the same port
       * asked for again (say, after a disconnect) is connected again. */
      if (g_strcmp0 (self->camera_port, camera) != 0)
        {
          g_free (self->camera_port);
          self->camera_port = g_steal_pointer (&camera);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_PORT]);
        }
      else
        {
          GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

          if (CAPA_IS_WINDOW (window))
            g_action_group_activate_action (G_ACTION_GROUP (window), "connect-camera",
                                            g_variant_new_string (camera));
        }
    }

  /* `capa --demo` on a running instance turns the demo on there too, and
   * looks for cameras again. */
  if (g_variant_dict_contains (options, "demo"))
    {
      capa_application_set_demo_camera (self, TRUE);
      capa_camera_list_refresh_async (capa_application_get_camera_list (self), NULL, NULL, NULL);
    }

  /* A new window takes the --session folder itself; an existing one (a
   * second `capa --session DIR` on a running instance) is told here. */
  g_application_activate (app);

  if (self->session_folder != NULL)
    {
      CapaWindow *window = get_or_create_window (self);
      g_autoptr(CapaSession) session = capa_session_new (self->session_folder);

      capa_window_set_session (window, session);
    }

  return 0;
}

static void
on_quit_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  CapaApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Close windows properly, so that they save their state. */
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_application_quit (G_APPLICATION (self));
}

static void
on_about_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CapaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *authors[] = { "The Capa developers", NULL };

  gtk_show_about_dialog (parent,
                         "program-name", _("Capa"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Tethered photography: shoot, download and show "
                                       "every shot at once"),
                         "website", PACKAGE_WEBSITE,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         /* Translators: put your names here, one a line */
                         "translator-credits", _("translator-credits"),
                         "copyright", "© 2026 The Capa developers",
                         NULL);
}

static void
on_help_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  CapaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_on_window (parent, "help:capa", GDK_CURRENT_TIME, &error))
    {
      g_warning ("Could not open the user guide: %s", error->message);
      if (parent != NULL)
        capa_window_show_error (CAPA_WINDOW (parent),
                                _("Could not open the user guide"),
                                error->message);
    }
}

/* `gapplication action org.capaphoto.Capa capture`, and plugins. */
static void
on_capture_activated_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  CapaApplication *self = user_data;
  CapaWindow *window = get_or_create_window (self);

  g_action_group_activate_action (G_ACTION_GROUP (window), "capture", NULL);
}

/* `gapplication action org.capaphoto.Capa capture-all`: every camera of
 * the window at once (issue 10, item 5). */
static void
on_capture_all_activated_cb (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  CapaApplication *self = user_data;
  CapaWindow *window = get_or_create_window (self);

  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-all", NULL);
}

static void
on_preferences_activated_cb (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  CapaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences;

  preferences = capa_preferences_window_new (parent, capa_application_get_settings (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_entries[] = {
  { "preferences", on_preferences_activated_cb },
  { "quit", on_quit_activated_cb },
  { "capture", on_capture_activated_cb },
  { "capture-all", on_capture_all_activated_cb },
  { "about", on_about_activated_cb },
  { "help", on_help_activated_cb },
};

static void
on_extension_added_cb (PeasExtensionSet *set,
                       PeasPluginInfo   *info,
                       PeasExtension    *extension,
                       gpointer          user_data)
{
  g_debug ("Activating plugin %s for the application", peas_plugin_info_get_module_name (info));
  capa_app_activatable_activate (CAPA_APP_ACTIVATABLE (extension));
}

static void
on_extension_removed_cb (PeasExtensionSet *set,
                         PeasPluginInfo   *info,
                         PeasExtension    *extension,
                         gpointer          user_data)
{
  g_debug ("Deactivating plugin %s for the application", peas_plugin_info_get_module_name (info));
  capa_app_activatable_deactivate (CAPA_APP_ACTIVATABLE (extension));
}

static void
setup_plugins (CapaApplication *self)
{
  PeasEngine *engine = peas_engine_get_default ();
  g_autofree char *user_dir = g_build_filename (g_get_user_data_dir (), "capa", "plugins", NULL);
  const char *extra = g_getenv ("CAPA_PLUGIN_PATH");

  peas_engine_enable_loader (engine, "python3");

  /* Folders named in CAPA_PLUGIN_PATH come first, then the user's, then
   * the installed ones. */
  if (extra != NULL)
    {
      g_auto(GStrv) dirs = g_strsplit (extra, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        if (dirs[i][0] != '\0')
          peas_engine_add_search_path (engine, dirs[i], dirs[i]);
    }
  peas_engine_add_search_path (engine, user_dir, user_dir);
  peas_engine_add_search_path (engine, PKGLIBDIR "/plugins", PKGDATADIR "/plugins");

  g_settings_bind (capa_application_get_settings (self), "active-plugins",
                   engine, "loaded-plugins", G_SETTINGS_BIND_DEFAULT);

  self->extensions = peas_extension_set_new (engine, CAPA_TYPE_APP_ACTIVATABLE,
                                             "app", self,
                                             NULL);
  g_signal_connect (self->extensions, "extension-added",
                    G_CALLBACK (on_extension_added_cb), self);
  g_signal_connect (self->extensions, "extension-removed",
                    G_CALLBACK (on_extension_removed_cb), self);
  peas_extension_set_foreach (self->extensions, on_extension_added_cb, self);
}

static void
capa_application_shutdown (GApplication *app)
{
  CapaApplication *self = CAPA_APPLICATION (app);

  if (self->extensions != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->extensions, self);
      peas_extension_set_foreach (self->extensions, on_extension_removed_cb, self);
      g_clear_object (&self->extensions);
    }

  G_APPLICATION_CLASS (capa_application_parent_class)->shutdown (app);
}

static void
on_demo_camera_changed_cb (GSettings       *settings,
                           const char      *key,
                           CapaApplication *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_CAMERA]);
}

static void
capa_application_startup (GApplication *app)
{
  CapaApplication *self = CAPA_APPLICATION (app);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (capa_application_parent_class)->startup (app);
  hdy_init ();

  /* A worker thread is made by the thread that queues work for it, most
   * often the main one, at a millisecond or more of its time (the stack
   * mapped, the clone).  GLib keeps two idle threads and ends the others
   * at once; the window's bursts of work (a session's batches, a page of
   * thumbnails, a shot's steps) would make them again each time.  Idle
   * threads still end after GLib's idle time. */
  g_thread_pool_set_max_unused_threads (MAX (8, 2 * (int) g_get_num_processors ()));

  g_set_application_name (_("Capa"));
  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help",
                                         (const char *[]) { "F1", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open-session",
                                         (const char *[]) { "<Control>o", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.close",
                                         (const char *[]) { "<Control>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.fullscreen",
                                         (const char *[]) { "F11", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.primary-menu",
                                         (const char *[]) { "F10", NULL });
  /* Space captures too, unless typing: see capa_window_key_press_event(). */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.capture",
                                         (const char *[]) { "<Control>Return",
                                                            "<Control>KP_Enter", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.capture-all",
                                         (const char *[]) { "<Shift><Control>Return",
                                                            "<Shift><Control>KP_Enter", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.toggle-settings-panel",
                                         (const char *[]) { "F9", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.zoom-in",
                                         (const char *[]) { "<Control>plus", "<Control>equal",
                                                            "<Control>KP_Add", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.zoom-out",
                                         (const char *[]) { "<Control>minus",
                                                            "<Control>KP_Subtract", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.zoom-fit",
                                         (const char *[]) { "<Control>0", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.zoom-100",
                                         (const char *[]) { "<Control>1", NULL });

  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/ui/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* app.demo-camera: a boolean action on the property, for a "Try the
   * Demo Camera" button or a menu item. */
  {
    g_autoptr(GPropertyAction) demo = g_property_action_new ("demo-camera", self, "demo-camera");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (demo));
  }

  g_signal_connect_object (capa_application_get_settings (self), "changed::demo-camera",
                           G_CALLBACK (on_demo_camera_changed_cb), self, G_CONNECT_DEFAULT);
  /* With the demo on, its driver is set up now, before anything loads
   * libgphoto2's drivers. */
  if (capa_application_get_demo_camera (self))
    capa_application_get_camera_list (self);

  setup_plugins (self);
}

static void
capa_application_dispose (GObject *object)
{
  CapaApplication *self = CAPA_APPLICATION (object);

  g_clear_object (&self->extensions);
  g_clear_object (&self->camera_list);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (capa_application_parent_class)->dispose (object);
}

static void
capa_application_finalize (GObject *object)
{
  CapaApplication *self = CAPA_APPLICATION (object);

  g_clear_pointer (&self->session_folder, g_free);
  g_clear_pointer (&self->camera_port, g_free);

  G_OBJECT_CLASS (capa_application_parent_class)->finalize (object);
}

static void
capa_application_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CapaApplication *self = CAPA_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_CAMERA_PORT:
      g_value_set_string (value, self->camera_port);
      break;

    case PROP_DEMO_CAMERA:
      g_value_set_boolean (value, capa_application_get_demo_camera (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_application_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CapaApplication *self = CAPA_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DEMO_CAMERA:
      capa_application_set_demo_camera (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_application_class_init (CapaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = capa_application_dispose;
  object_class->finalize = capa_application_finalize;
  object_class->get_property = capa_application_get_property;
  object_class->set_property = capa_application_set_property;

  /**
   * CapaApplication:camera-port:
   *
   * The port of the camera asked for on the command line with
   * `capa --camera PORT`, such as "usb:001,004", or %NULL. The window
   * connects that camera, at once or as soon as it shows up, also when a
   * running instance is asked for it by a second `capa --camera PORT`.
   */
  properties[PROP_CAMERA_PORT] =
    g_param_spec_string ("camera-port", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaApplication:demo-camera:
   *
   * Whether the demo camera is offered: the `demo-camera` setting is on,
   * or `capa --demo` asked for it (for as long as the application runs;
   * setting this property is the same). The camera list of
   * [method@Capa.Application.get_camera_list] follows it. The stateful
   * action `app.demo-camera` sets it.
   */
  properties[PROP_DEMO_CAMERA] =
    g_param_spec_boolean ("demo-camera", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  app_class->handle_local_options = capa_application_handle_local_options;
  app_class->command_line = capa_application_command_line;
  app_class->activate = capa_application_activate;
  app_class->startup = capa_application_startup;
  app_class->shutdown = capa_application_shutdown;
}

static void
capa_application_init (CapaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Tethered photography: every shot from the camera, "
                                              "downloaded, stored and shown at once."));
}

/**
 * capa_application_new:
 *
 * Creates the Capa application, a single-instance, D-Bus activatable
 * `GtkApplication` with the id `org.capaphoto.Capa`.
 *
 * Returns: (transfer full): a new #CapaApplication
 */
CapaApplication *
capa_application_new (void)
{
  return g_object_new (CAPA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

/**
 * capa_application_get_settings:
 * @self: a #CapaApplication
 *
 * Returns the application's settings, from the `org.capaphoto.Capa` schema.
 *
 * Returns: (transfer none): a #GSettings
 */
GSettings *
capa_application_get_settings (CapaApplication *self)
{
  g_return_val_if_fail (CAPA_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  return self->settings;
}

/**
 * capa_application_get_session_folder:
 * @self: a #CapaApplication
 *
 * Returns the session folder asked for on the command line with
 * `--session`, if any.
 *
 * Returns: (nullable) (type filename): the folder, or %NULL
 */
const char *
capa_application_get_session_folder (CapaApplication *self)
{
  g_return_val_if_fail (CAPA_IS_APPLICATION (self), NULL);

  return self->session_folder;
}

/**
 * capa_application_get_camera_port:
 * @self: a #CapaApplication
 *
 * Returns the camera port asked for on the command line with `--camera`,
 * if any; see [property@Capa.Application:camera-port].
 *
 * Returns: (nullable): the port, such as "usb:001,004", or %NULL
 */
const char *
capa_application_get_camera_port (CapaApplication *self)
{
  g_return_val_if_fail (CAPA_IS_APPLICATION (self), NULL);

  return self->camera_port;
}

/**
 * capa_application_get_demo_camera:
 * @self: a #CapaApplication
 *
 * Gets whether the demo camera is offered; see
 * [property@Capa.Application:demo-camera].
 *
 * Returns: whether the demo camera is offered
 */
gboolean
capa_application_get_demo_camera (CapaApplication *self)
{
  g_return_val_if_fail (CAPA_IS_APPLICATION (self), FALSE);

  return self->demo_option ||
         g_settings_get_boolean (capa_application_get_settings (self), "demo-camera");
}

/**
 * capa_application_set_demo_camera:
 * @self: a #CapaApplication
 * @demo_camera: whether to offer the demo camera while the application runs
 *
 * Offers the demo camera (as `capa --demo` does) until the application
 * quits, or stops doing so; the `demo-camera` setting, when on, offers it
 * still.
 */
void
capa_application_set_demo_camera (CapaApplication *self,
                                  gboolean         demo_camera)
{
  gboolean before;

  g_return_if_fail (CAPA_IS_APPLICATION (self));

  before = capa_application_get_demo_camera (self);
  self->demo_option = !!demo_camera;
  if (capa_application_get_demo_camera (self) != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_CAMERA]);
}

/**
 * capa_application_get_camera_list:
 * @self: a #CapaApplication
 *
 * Returns the application's camera list, shared by its windows: it follows
 * hotplug events, and holds the demo camera while
 * [property@Capa.Application:demo-camera] is on. Made on the first call;
 * it is not scanned until someone calls
 * [method@Capa.CameraList.refresh_async].
 *
 * Returns: (transfer none): the camera list
 */
CapaCameraList *
capa_application_get_camera_list (CapaApplication *self)
{
  g_return_val_if_fail (CAPA_IS_APPLICATION (self), NULL);

  if (self->camera_list == NULL)
    {
      self->camera_list = capa_camera_list_new ();
      g_object_bind_property (self, "demo-camera", self->camera_list, "demo-camera",
                              G_BINDING_SYNC_CREATE);
    }

  return self->camera_list;
}
