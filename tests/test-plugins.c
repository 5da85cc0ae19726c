/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The plugin engine: a Python plugin from tests/plugins, turned on and off
 * through the active-plugins setting, extends the application and a real
 * window and undoes its work. */

#include "config.h"

#include <gtk/gtk.h>
#include <libpeas/peas.h>

#include "capa-test-utils.h"

static void
iterate (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration_do (FALSE);
}

static void
find_named (GtkWidget *widget,
            gpointer   data)
{
  GtkWidget **found = data;

  if (g_strcmp0 (gtk_widget_get_name (widget), "capatest-button") == 0)
    *found = widget;
}

static GtkWidget *
find_plugin_button (CapaWindow *window)
{
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  GtkWidget *found = NULL;

  gtk_container_foreach (GTK_CONTAINER (titlebar), find_named, &found);
  return found;
}

static void
test_python_plugin_lifecycle (void)
{
  g_autoptr(CapaApplication) app = capa_application_new ();
  g_autoptr(GError) error = NULL;
  const char * const active[] = { "capatest", NULL };
  const char * const none[] = { NULL };
  PeasPluginInfo *info;
  GSettings *settings;
  CapaWindow *window;
  GtkWidget *button;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  info = peas_engine_get_plugin_info (peas_engine_get_default (), "capatest");
  g_assert_nonnull (info);
  g_assert_false (peas_plugin_info_is_loaded (info));

  window = capa_window_new (app);
  gtk_widget_show (GTK_WIDGET (window));
  iterate ();
  g_assert_null (find_plugin_button (window));
  g_assert_false (g_action_group_has_action (G_ACTION_GROUP (app), "capatest-ping"));

  /* Turning the plugin on through the setting extends app and window. */
  settings = capa_application_get_settings (app);
  g_settings_set_strv (settings, "active-plugins", active);
  iterate ();
  g_assert_true (peas_plugin_info_is_loaded (info));
  button = find_plugin_button (window);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Test Plugin");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "capatest-ping"));

  /* Turning it off undoes every step. */
  g_settings_set_strv (settings, "active-plugins", none);
  iterate ();
  g_assert_false (peas_plugin_info_is_loaded (info));
  g_assert_null (find_plugin_button (window));
  g_assert_false (g_action_group_has_action (G_ACTION_GROUP (app), "capatest-ping"));

  /* A window opened while the plugin is on gets it too. */
  g_settings_set_strv (settings, "active-plugins", active);
  iterate ();
  gtk_widget_destroy (GTK_WIDGET (window));
  window = capa_window_new (app);
  g_assert_nonnull (find_plugin_button (window));
  gtk_widget_destroy (GTK_WIDGET (window));
  g_settings_set_strv (settings, "active-plugins", none);
  iterate ();
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  gtk_init (&argc, &argv);

  g_test_add_func ("/Capa/Plugins/python-lifecycle", test_python_plugin_lifecycle);

  return g_test_run ();
}
