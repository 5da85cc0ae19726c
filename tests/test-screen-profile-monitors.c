/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaScreenProfile on two monitors (issue 8, items 7 and 13): weston's
 * X11 backend, run inside the harness's Xvfb with two outputs and
 * Xwayland, gives an X11 client two GdkMonitors (RandR outputs XWAYLAND0
 * and XWAYLAND1), each given its own _ICC_PROFILE output property here.  A
 * window mapped on one output and then on the other follows with its
 * profile.
 *
 * Weston places a new window on the output under its pointer and ignores
 * a client's own moves (a window shown again keeps its place), so the
 * followed widget goes to the other monitor in a new window opened there,
 * as a panel torn off into a window of its own would: the object follows
 * the widget's new toplevel and reads that monitor's profile. */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <xcb/randr.h>
#include <xcb/xcb.h>

#include "capa-test-utils.h"
#include "capa-test-xcb.h"

#define WAIT_MS 60000
#define OUTPUT_WIDTH 1280
#define OUTPUT_HEIGHT 800


static char *host_display;     /* the harness's Xvfb, where weston's windows are */
static char *weston_display;   /* weston's Xwayland */

/* Lays weston's two output windows side by side on the host (it has no
 * window manager: both start at 0,0), the second at x = OUTPUT_WIDTH. */
static void
lay_out_weston_windows (void)
{
  xcb_window_t root;
  g_autoptr(xcb_connection_t) connection = capa_test_xcb_connect (host_display, &root);
  g_autofree xcb_query_tree_reply_t *tree =
    xcb_query_tree_reply (connection, xcb_query_tree (connection, root), NULL);
  xcb_window_t *children = xcb_query_tree_children (tree);
  guint found = 0;

  xcb_atom_t names[] = { XCB_ATOM_WM_NAME, capa_test_xcb_intern_atom (connection, "_NET_WM_NAME") };

  for (int i = 0; i < xcb_query_tree_children_length (tree); i++)
    for (guint j = 0; j < G_N_ELEMENTS (names); j++)
      {
        g_autofree xcb_get_property_reply_t *name =
          xcb_get_property_reply (connection,
                                  xcb_get_property (connection, FALSE, children[i], names[j],
                                                    XCB_GET_PROPERTY_TYPE_ANY, 0, 64),
                                  NULL);
        g_autofree char *title = NULL;

        if (name == NULL || xcb_get_property_value_length (name) == 0)
          continue;
        title = g_strndup (xcb_get_property_value (name), xcb_get_property_value_length (name));
        g_test_message ("host window 0x%x: %s", children[i], title);
        if (g_str_has_suffix (title, "screen1"))
          {
            const guint32 x = OUTPUT_WIDTH;

            xcb_configure_window (connection, children[i], XCB_CONFIG_WINDOW_X, &x);
            found++;
            break;
          }
      }
  capa_test_xcb_sync (connection);
  g_assert_cmpuint (found, ==, 1);
}

/* Puts the host pointer over weston's output @n: weston's pointer follows. */
static void
move_pointer_to_output (guint n)
{
  xcb_window_t root;
  g_autoptr(xcb_connection_t) connection = capa_test_xcb_connect (host_display, &root);

  xcb_warp_pointer (connection, XCB_NONE, root, 0, 0, 0, 0,
                    n * OUTPUT_WIDTH + OUTPUT_WIDTH / 2, OUTPUT_HEIGHT / 2);
  capa_test_xcb_sync (connection);
}

/* Sets _ICC_PROFILE on Xwayland's RandR output @name. */
static void
set_output_profile (const char *name,
                    GBytes     *data)
{
  xcb_window_t root;
  g_autoptr(xcb_connection_t) connection = capa_test_xcb_connect (weston_display, &root);
  g_autofree xcb_randr_query_version_reply_t *version = NULL;
  g_autofree xcb_randr_get_screen_resources_current_reply_t *resources = NULL;
  xcb_randr_output_t *outputs;
  xcb_atom_t atom = capa_test_xcb_intern_atom (connection, "_ICC_PROFILE");
  gboolean found = FALSE;

  version = xcb_randr_query_version_reply (connection,
                                           xcb_randr_query_version (connection, 1, 5), NULL);
  g_assert_nonnull (version);
  resources = xcb_randr_get_screen_resources_current_reply (
    connection, xcb_randr_get_screen_resources_current (connection, root), NULL);
  g_assert_nonnull (resources);
  outputs = xcb_randr_get_screen_resources_current_outputs (resources);

  for (int i = 0; i < xcb_randr_get_screen_resources_current_outputs_length (resources); i++)
    {
      g_autofree xcb_randr_get_output_info_reply_t *info =
        xcb_randr_get_output_info_reply (connection,
                                         xcb_randr_get_output_info (connection, outputs[i],
                                                                    XCB_CURRENT_TIME),
                                         NULL);
      g_autofree char *output_name = NULL;

      g_assert_nonnull (info);
      output_name = g_strndup ((const char *) xcb_randr_get_output_info_name (info),
                               xcb_randr_get_output_info_name_length (info));
      if (!g_str_equal (output_name, name))
        continue;

      xcb_randr_change_output_property (connection, outputs[i], atom, XCB_ATOM_CARDINAL, 8,
                                        XCB_PROP_MODE_REPLACE, g_bytes_get_size (data),
                                        g_bytes_get_data (data, NULL));
      found = TRUE;
    }
  capa_test_xcb_sync (connection);
  g_assert_true (found);
}

/* Weston goes when the test does, even when an assertion ends it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts weston in the harness's display; returns its pid, or 0 when the
 * machine lacks it (a failure under CI). */
static GPid
start_weston (const char *runtime_dir)
{
  g_autofree char *log_path = g_build_filename (runtime_dir, "weston.log", NULL);
  g_autofree char *weston = g_find_program_in_path ("weston");
  g_autofree char *xwayland = g_find_program_in_path ("Xwayland");
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[] = {
    NULL, "--backend=x11-backend.so", "--use-pixman", "--output-count=2",
    "--width=1280", "--height=800", "--xwayland", "--no-config", "--socket=capa-test",
    NULL, NULL,
  };
  g_autofree char *log_arg = g_strdup_printf ("--log=%s", log_path);
  g_autoptr(GError) error = NULL;
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  GPid pid = 0;

  if (weston == NULL || xwayland == NULL)
    return 0;

  argv[0] = weston;
  argv[9] = log_arg;
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  g_spawn_async (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL,
                 &pid, &error);
  g_assert_no_error (error);

  /* Weston says which X display its Xwayland listens on. */
  while (weston_display == NULL)
    {
      g_autofree char *log = NULL;
      const char *found;

      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (100 * 1000);
      if (!g_file_get_contents (log_path, &log, NULL, NULL))
        continue;
      found = strstr (log, "xserver listening on display ");
      if (found != NULL && strchr (found, '\n') != NULL)
        weston_display = g_strndup (found + strlen ("xserver listening on display "),
                                    strcspn (found + strlen ("xserver listening on display "),
                                             "\n"));
    }

  return pid;
}

typedef struct
{
  GtkWidget         *window;
  CapaScreenProfile *screen;
} Shown;

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_for_monitor (GtkWidget *window,
                  int        n)
{
  GdkDisplay *display = gtk_widget_get_display (window);
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      GdkWindow *gdk_window = gtk_widget_get_window (window);

      if (gdk_window != NULL && gtk_widget_get_mapped (window)
          && gdk_display_get_monitor_at_window (display, gdk_window)
             == gdk_display_get_monitor (display, n))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_for_profile (CapaScreenProfile *screen,
                  CapaColourProfile *expected)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      CapaColourProfile *profile = capa_screen_profile_get_profile (screen);

      if (!capa_screen_profile_get_busy (screen) && profile != NULL
          && capa_colour_profile_equal (profile, expected))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A window, shown where weston puts it: on the output under the pointer. */
static GtkWidget *
new_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);

  gtk_window_set_default_size (GTK_WINDOW (window), 320, 240);
  if (child != NULL)
    gtk_container_add (GTK_CONTAINER (window), child);
  gtk_widget_show_all (window);

  return window;
}

static void
test_two_monitors (void)
{
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(GSettings) settings = g_settings_new ("org.capaphoto.Capa");
  GdkDisplay *display = gdk_display_get_default ();
  GtkWidget *window;
  GtkWidget *other;
  GtkWidget *label;
  g_autoptr(CapaScreenProfile) screen = NULL;
  guint wake;

  g_assert_cmpint (gdk_display_get_n_monitors (display), ==, 2);
  /* The waits below check their time limit at least this often. */
  wake = g_timeout_add (100, wake_up, NULL);

  set_output_profile ("XWAYLAND0", capa_colour_profile_get_data (adobe));
  set_output_profile ("XWAYLAND1", capa_colour_profile_get_data (srgb));

  /* Shown on the first output: its profile. */
  move_pointer_to_output (0);
  label = gtk_label_new ("Capa");
  window = new_window (label);
  screen = capa_screen_profile_new (label, settings);
  wait_for_monitor (window, 0);
  wait_for_profile (screen, adobe);
  g_test_message ("on XWAYLAND0: %s", capa_screen_profile_get_detected_source (screen));

  /* Over to the second output: the other profile. */
  move_pointer_to_output (1);
  other = new_window (NULL);
  wait_for_monitor (other, 1);
  g_object_ref (label);
  gtk_container_remove (GTK_CONTAINER (window), label);
  gtk_container_add (GTK_CONTAINER (other), label);
  g_object_unref (label);
  gtk_widget_destroy (window);
  wait_for_profile (screen, srgb);
  g_assert_nonnull (strstr (capa_screen_profile_get_detected_source (screen), "XWAYLAND1"));

  /* The profile of the output the window is on changes: read again. */
  set_output_profile ("XWAYLAND1", capa_colour_profile_get_data (adobe));
  wait_for_profile (screen, adobe);

  window = other;
  gtk_widget_destroy (window);
  while (capa_screen_profile_get_busy (screen))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *runtime_dir = NULL;
  GPid weston = 0;
  int status;

  capa_test_init (&argc, &argv);

  host_display = g_strdup (g_getenv ("DISPLAY"));
  runtime_dir = g_dir_make_tmp ("capa-weston-XXXXXX", NULL);
  g_assert_nonnull (runtime_dir);
  g_chmod (runtime_dir, 0700);

  if (host_display != NULL)
    weston = start_weston (runtime_dir);

  if (weston == 0)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("CI must run this test: install weston and xwayland");
      g_print ("1..0 # SKIP weston or Xwayland (packages weston, xwayland) is missing\n");
      return 0;
    }

  lay_out_weston_windows ();

  /* GTK talks to weston's Xwayland from here on. */
  g_setenv ("DISPLAY", weston_display, TRUE);
  gtk_init (&argc, &argv);

  g_test_add_func ("/Capa/ScreenProfile/two-monitors", test_two_monitors);
  status = g_test_run ();

  kill (weston, SIGTERM);
  g_spawn_close_pid (weston);
  capa_test_rmtree (runtime_dir);

  return status;
}
