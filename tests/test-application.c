/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The application shell in a real window under Xvfb, and the `capa`
 * command line. */

#include "config.h"

#include <gtk/gtk.h>

#include "capa-test-utils.h"

/* One application per process: a registered GApplication stays exported
 * on the session bus for the life of the process. */
static CapaApplication *app;

static void
iterate (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration_do (FALSE);
}

static char *
run_capa (const char * const *args,
          int                *exit_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *bin = g_getenv ("CAPA_TEST_BIN");

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, NULL, exit_status, &error);
  g_assert_no_error (error);

  return out;
}

static void
test_command_line_version (void)
{
  int status = -1;
  g_autofree char *out = run_capa ((const char *[]) { "--version", NULL }, &status);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "capa " PACKAGE_VERSION "\n");
}

static void
test_command_line_help (void)
{
  static const char *options[] = {
    "--version", "--session", "--camera", "--list-cameras", "--debug",
  };
  int status = -1;
  g_autofree char *out = run_capa ((const char *[]) { "--help", NULL }, &status);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    g_assert_nonnull (strstr (out, options[i]));
}

static void
test_command_line_list_cameras_no_display (void)
{
  g_autofree char *jpegs = capa_test_make_tmpdir ("list");
  g_autofree char *saved_display = g_strdup (g_getenv ("DISPLAY"));
  g_autofree char *out = NULL;
  int status = -1;

  capa_test_write_jpegs (jpegs, 1, 64, 48);
  if (!capa_test_use_vcamera (jpegs))
    {
      capa_test_rmtree (jpegs);
      return;
    }

  /* --list-cameras must work without a display. */
  g_unsetenv ("DISPLAY");
  out = run_capa ((const char *[]) { "--list-cameras", NULL }, &status);
  g_setenv ("DISPLAY", saved_display, TRUE);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "Nikon DSC D750\tusb:001,001\n");
  capa_test_rmtree (jpegs);
}

static void
test_window_shell (void)
{
  g_auto(GStrv) accels = NULL;
  g_autofree char *remembered = NULL;
  g_autoptr(CapaSession) session = NULL;
  CapaWindow *window;
  GtkWidget *titlebar;

  window = capa_window_new (app);
  gtk_widget_show (GTK_WIDGET (window));
  iterate ();

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  g_assert_true (GTK_IS_HEADER_BAR (titlebar));

  for (guint i = 0; i < 3; i++)
    {
      static const char *app_actions[] = { "quit", "about", "help" };

      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), app_actions[i]));
    }
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "open-session"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "fullscreen"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Primary>q");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.open-session");
  g_assert_cmpstr (accels[0], ==, "<Primary>o");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_cmpuint (g_strv_length (accels), >=, 1);

  /* The window shell's actions and keys (issue 8). */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "capture"));
  for (guint i = 0; i < 9; i++)
    {
      static const char *win_actions[] = {
        "capture", "toggle-settings-panel", "connect-camera", "disconnect-camera",
        "zoom-in", "zoom-out", "zoom-fit", "zoom-100", "unmount-camera",
      };

      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), win_actions[i]));
    }
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.capture");
  g_assert_cmpstr (accels[0], ==, "<Primary>Return");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                  "win.toggle-settings-panel");
  g_assert_cmpstr (accels[0], ==, "F9");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.zoom-100");
  g_assert_cmpstr (accels[0], ==, "<Primary>1");

  /* The session folder shows in the header bar. */
  session = capa_session_new ("/tmp/Studio Shoot");
  capa_window_set_session (window, session);
  /* The session folder's name is the title, its number of shots the subtitle. */
  g_assert_cmpstr (gtk_header_bar_get_title (GTK_HEADER_BAR (titlebar)), ==, "Studio Shoot");
  g_assert_cmpstr (gtk_header_bar_get_subtitle (GTK_HEADER_BAR (titlebar)), ==, "0 shots");
  g_assert_true (capa_window_get_session (window) == session);
  remembered = g_settings_get_string (capa_application_get_settings (app), "session-folder");
  g_assert_cmpstr (remembered, ==, "/tmp/Studio Shoot");

  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
}

static void
test_window_state_saved (void)
{
  GSettings *settings;
  CapaWindow *window;
  int width = 0, height = 0;

  settings = capa_application_get_settings (app);
  g_settings_set (settings, "window-size", "(ii)", 800, 600);

  window = capa_window_new (app);
  gtk_widget_show (GTK_WIDGET (window));
  iterate ();
  gtk_window_get_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);

  gtk_window_resize (GTK_WINDOW (window), 900, 650);
  for (guint i = 0; i < 50 && width != 900; i++)
    {
      g_usleep (10000);
      iterate ();
      gtk_window_get_size (GTK_WINDOW (window), &width, &height);
    }

  /* Closing the window remembers its size. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "close", NULL);
  iterate ();
  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 650);
}

static void
test_window_error_bar (void)
{
  CapaWindow *window;
  GtkWidget *bar = NULL;
  GList *children;

  window = capa_window_new (app);
  gtk_widget_show (GTK_WIDGET (window));
  iterate ();

  children = gtk_container_get_children (GTK_CONTAINER (gtk_bin_get_child (GTK_BIN (window))));
  bar = children->data;
  g_list_free (children);
  g_assert_true (GTK_IS_INFO_BAR (bar));
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));

  capa_window_show_error (window, "The disk is full", "Free some space, then try again.");
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));

  gtk_info_bar_response (GTK_INFO_BAR (bar), GTK_RESPONSE_CLOSE);
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));

  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_window_session_and_tether (void)
{
  g_autofree char *dir = capa_test_make_tmpdir ("window-session");
  g_autoptr(CapaSession) session = capa_session_new (dir);
  g_autoptr(CapaCamera) camera = capa_camera_new ("Demo", "usb:001,001");
  g_autoptr(CapaTether) tether = NULL;
  g_autoptr(CapaSession) got_session = NULL;
  g_autoptr(CapaTether) got_tether = NULL;
  CapaWindow *window;
  guint notified = 0;

  window = capa_window_new (app);

  /* Always a session, even with no folder asked for. */
  g_assert_true (CAPA_IS_SESSION (capa_window_get_session (window)));
  g_assert_nonnull (capa_session_get_directory (capa_window_get_session (window)));

  /* No camera is open yet. */
  g_assert_null (capa_window_get_tether (window));
  g_object_get (window, "tether", &got_tether, NULL);
  g_assert_null (got_tether);

  g_signal_connect (window, "notify::tether", G_CALLBACK (on_notify_count_cb), &notified);
  tether = capa_tether_new (camera, session);
  capa_window_set_tether (window, tether);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (capa_window_get_tether (window) == tether);
  capa_window_set_tether (window, tether);
  g_assert_cmpuint (notified, ==, 1);
  capa_window_set_tether (window, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (capa_window_get_tether (window));

  /* The session is a property too, for plugins and bindings. */
  notified = 0;
  g_signal_connect (window, "notify::session", G_CALLBACK (on_notify_count_cb), &notified);
  g_object_set (window, "session", session, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (window, "session", &got_session, NULL);
  g_assert_true (got_session == session);

  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
  capa_test_rmtree (dir);
}

/* The preferences' example shows %c with the tag of the window's camera. */
static void
test_preferences_camera_tag (void)
{
  g_autofree char *dir = capa_test_make_tmpdir ("window-camera-tag");
  g_autoptr(CapaSession) session = capa_session_new (dir);
  g_autoptr(CapaCamera) camera = capa_camera_new ("Studio Body X1", "usb:009,009");
  g_autoptr(CapaTether) tether = capa_tether_new (camera, session);
  GSettings *settings = capa_application_get_settings (app);
  g_autofree char *name = NULL;
  CapaWindow *window;
  GtkWidget *preferences;

  /* The window connects no camera of its own (the virtual D750 is there):
   * it would replace the tether set here. */
  g_settings_set_boolean (settings, "auto-connect", FALSE);
  window = capa_window_new (app);

  capa_window_set_session (window, session);
  capa_window_set_tether (window, tether);
  g_settings_set_string (settings, "filename-pattern", "%c-%n");
  preferences = capa_preferences_window_new (GTK_WINDOW (window), settings);
  iterate ();
  name = capa_preferences_window_dup_example_name (CAPA_PREFERENCES_WINDOW (preferences));
  g_assert_cmpstr (name, ==, "Studio-Body-X1-0001.jpg");

  capa_tether_set_camera_tag (tether, "left");
  g_clear_pointer (&name, g_free);
  name = capa_preferences_window_dup_example_name (CAPA_PREFERENCES_WINDOW (preferences));
  g_assert_cmpstr (name, ==, "left-0001.jpg");

  capa_window_set_tether (window, NULL);
  g_clear_pointer (&name, g_free);
  name = capa_preferences_window_dup_example_name (CAPA_PREFERENCES_WINDOW (preferences));
  g_assert_cmpstr (name, ==, "Camera-0001.jpg");

  g_settings_reset (settings, "filename-pattern");
  g_settings_reset (settings, "auto-connect");
  gtk_widget_destroy (preferences);
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
  capa_test_rmtree (dir);
}

static void
test_window_settings_not_kept_back (void)
{
  g_autoptr(GSettings) fresh = NULL;
  g_autofree char *folder = NULL;
  g_auto(GStrv) plugins = NULL;
  GSettings *settings = capa_application_get_settings (app);
  CapaWindow *window;

  window = capa_window_new (app);
  gtk_widget_show (GTK_WIDGET (window));
  iterate ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "close", NULL);
  iterate ();

  /* Writes through the application's settings after a window closed
   * reach the backend at once. */
  g_settings_set_string (settings, "session-folder", "/tmp/after-close");
  g_settings_set_strv (settings, "active-plugins", (const char *[]) { "after-close", NULL });
  fresh = g_settings_new (APP_ID);
  folder = g_settings_get_string (fresh, "session-folder");
  g_assert_cmpstr (folder, ==, "/tmp/after-close");
  plugins = g_settings_get_strv (fresh, "active-plugins");
  g_assert_cmpuint (g_strv_length (plugins), ==, 1);
  g_assert_cmpstr (plugins[0], ==, "after-close");

  g_settings_set_strv (settings, "active-plugins", NULL);
}

static GtkInfoBar *
window_info_bar (GtkWindow *window)
{
  g_autoptr(GList) children =
    gtk_container_get_children (GTK_CONTAINER (gtk_bin_get_child (GTK_BIN (window))));

  return GTK_INFO_BAR (children->data);
}

static gboolean
check_command_line_window_cb (gpointer user_data)
{
  const char *dir = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  CapaSession *session;
  g_autofree char *remembered = NULL;
  g_autofree char *port = NULL;
  static guint polls;

  g_assert_true (CAPA_IS_WINDOW (window));

  /* The camera asked for is looked for: no camera answers on that port,
   * and the info bar says so (within 30 s). */
  if (!gtk_info_bar_get_revealed (window_info_bar (window)) && ++polls < 300)
    return G_SOURCE_CONTINUE;
  g_assert_true (gtk_info_bar_get_revealed (window_info_bar (window)));

  session = capa_window_get_session (CAPA_WINDOW (window));
  g_assert_true (CAPA_IS_SESSION (session));
  g_assert_cmpstr (capa_session_get_directory (session), ==, dir);
  remembered = g_settings_get_string (capa_application_get_settings (app), "session-folder");
  g_assert_cmpstr (remembered, ==, dir);

  /* No other camera is connected in its place. */
  g_assert_null (capa_window_get_tether (CAPA_WINDOW (window)));
  g_assert_cmpstr (capa_application_get_camera_port (app), ==, "usb:001,004");
  g_object_get (app, "camera-port", &port, NULL);
  g_assert_cmpstr (port, ==, "usb:001,004");

  gtk_widget_destroy (GTK_WIDGET (window));
  g_application_quit (G_APPLICATION (app));

  return G_SOURCE_REMOVE;
}

/* Runs the application's main loop: the last test of the file. */
static void
test_window_session_from_command_line (void)
{
  g_autofree char *dir = capa_test_make_tmpdir ("command-line-session");
  g_autofree char *session_arg = g_strconcat ("--session=", dir, NULL);
  char *argv[] = { (char *) "capa", session_arg, (char *) "--camera=usb:001,004", NULL };
  int status;

  g_timeout_add (100, check_command_line_window_cb, dir);
  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);
  g_assert_cmpint (status, ==, 0);

  capa_test_rmtree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  capa_test_init (&argc, &argv);
  gtk_init (&argc, &argv);

  app = capa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/Capa/Application/command-line/version", test_command_line_version);
  g_test_add_func ("/Capa/Application/command-line/help", test_command_line_help);
  g_test_add_func ("/Capa/Application/command-line/list-cameras",
                   test_command_line_list_cameras_no_display);
  g_test_add_func ("/Capa/Application/window/shell", test_window_shell);
  g_test_add_func ("/Capa/Application/window/state-saved", test_window_state_saved);
  g_test_add_func ("/Capa/Application/window/error-bar", test_window_error_bar);
  g_test_add_func ("/Capa/Application/window/session-and-tether", test_window_session_and_tether);
  g_test_add_func ("/Capa/Application/window/preferences-camera-tag",
                   test_preferences_camera_tag);
  g_test_add_func ("/Capa/Application/window/settings-not-kept-back",
                   test_window_settings_not_kept_back);
  g_test_add_func ("/Capa/Application/window/session-from-command-line",
                   test_window_session_from_command_line);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
