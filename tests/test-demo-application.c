/* SPDX-License-Identifier: GPL-3.0-or-later */

/* `capa --demo` and the `demo-camera` setting: the application's camera
 * list offers the demo camera, on a machine with no camera and no system
 * camera driver (CAMLIBS names an empty folder). */

#include "config.h"

#include <unistd.h>

#include <gtk/gtk.h>

#include "capa-test-utils.h"

/* One application per process: a registered GApplication stays exported
 * on the session bus for the life of the process. */
static CapaApplication *app;
static char *camlibs;      /* CAMLIBS: an empty folder */

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
test_list_cameras (void)
{
  g_autofree char *out = NULL;
  g_autofree char *help = NULL;
  int status = -1;

  /* No camera, no system driver: only the demo camera. */
  out = run_capa ((const char *[]) { "--list-cameras", NULL }, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);

  out = run_capa ((const char *[]) { "--list-cameras", "--demo", NULL }, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, CAPA_DEMO_CAMERA_MODEL "\t" CAPA_DEMO_CAMERA_PORT "\n");

  help = run_capa ((const char *[]) { "--help", NULL }, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (help, "--demo"));
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static gboolean
check_demo_on_cb (gpointer data)
{
  gboolean *checked = data;
  CapaCameraList *list = capa_application_get_camera_list (app);
  GList *windows;

  g_assert_true (capa_application_get_demo_camera (app));
  g_assert_true (capa_camera_list_get_demo_camera (list));
  g_assert_nonnull (capa_camera_list_find (list, CAPA_DEMO_CAMERA_MODEL, CAPA_DEMO_CAMERA_PORT));
  *checked = TRUE;

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  gtk_widget_destroy (GTK_WIDGET (windows->data));
  return G_SOURCE_REMOVE;
}

static void
test_option_and_setting (void)
{
  GSettings *settings = capa_application_get_settings (app);
  CapaCameraList *list = capa_application_get_camera_list (app);
  char *argv[] = { (char *) "capa", (char *) "--demo", NULL };
  gboolean checked = FALSE;
  guint notified = 0;
  CapaCamera *demo;
  int status;

  /* Off by default. */
  g_assert_false (capa_application_get_demo_camera (app));
  g_assert_null (capa_camera_list_find (list, CAPA_DEMO_CAMERA_MODEL, CAPA_DEMO_CAMERA_PORT));

  /* The setting turns it on and off. */
  g_signal_connect (app, "notify::demo-camera", G_CALLBACK (on_notify_cb), &notified);
  g_settings_set_boolean (settings, "demo-camera", TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (capa_camera_list_get_demo_camera (list));
  demo = capa_camera_list_find (list, CAPA_DEMO_CAMERA_MODEL, CAPA_DEMO_CAMERA_PORT);
  g_assert_nonnull (demo);

  /* libgphoto2 had loaded its drivers already (main ()): they are loaded
   * again with the demo's, and it opens. */
  g_assert_cmpstr (g_getenv ("CAMLIBS"), ==, camlibs);
  capa_test_camera_open (demo);
  g_assert_true (capa_camera_get_has_capture (demo));
  capa_test_camera_close (demo);
  g_settings_set_boolean (settings, "demo-camera", FALSE);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (capa_camera_list_find (list, CAPA_DEMO_CAMERA_MODEL, CAPA_DEMO_CAMERA_PORT));
  g_signal_handlers_disconnect_by_data (app, &notified);

  /* The action app.demo-camera turns it on and off for this run. */
  g_action_group_change_action_state (G_ACTION_GROUP (app), "demo-camera",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (capa_application_get_demo_camera (app));
  g_assert_nonnull (capa_camera_list_find (list, CAPA_DEMO_CAMERA_MODEL, CAPA_DEMO_CAMERA_PORT));
  g_assert_false (g_settings_get_boolean (settings, "demo-camera"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo-camera", NULL);
  g_assert_false (capa_application_get_demo_camera (app));
  g_assert_null (capa_camera_list_find (list, CAPA_DEMO_CAMERA_MODEL, CAPA_DEMO_CAMERA_PORT));

  /* `capa --demo` on the running instance: on, for as long as it runs. */
  g_idle_add (check_demo_on_cb, &checked);
  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (checked);
  g_assert_false (g_settings_get_boolean (settings, "demo-camera"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaCameraList) list = NULL;
  int status;

  capa_test_init (&argc, &argv);
  gtk_init (&argc, &argv);

  /* No camera driver at all but the demo's; the system's port drivers
   * (PTP/IP among them). */
  camlibs = capa_test_make_tmpdir ("no-camlibs");
  g_setenv ("CAMLIBS", camlibs, TRUE);
  g_unsetenv ("IOLIBS");

  /* libgphoto2 loads its drivers before the demo is turned on. */
  list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (list, FALSE);
  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  app = capa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/Capa/DemoApplication/list-cameras", test_list_cameras);
  g_test_add_func ("/Capa/DemoApplication/option-and-setting", test_option_and_setting);

  status = g_test_run ();

  g_clear_object (&app);
  capa_test_rmtree (camlibs);
  g_free (camlibs);
  return status;
}
