/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaScreenProfile with colord (issue 8, item 7): a stand-in for the
 * colord daemon (tests/fake-colord.py), serving the calls and properties
 * libcolord uses to find a display's default profile, owns
 * org.freedesktop.ColorManager on the test's private bus, which is made
 * the "system" bus here.  With no X11 ICC profile property on the
 * display, the monitor's profile is the file colord names for the display
 * on the monitor's RandR output. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gtk/gtk.h>

#include "capa-test-utils.h"

#define WAIT_MS 60000

static char *profile_file;

/* Starts the stand-in (tests/fake-colord.py) and waits until it owns
 * the name.  It is stopped at the end, and in any case leaves with the
 * harness's bus (GDBus ends a process whose bus connection closes). */
static GPid
start_fake_colord (const char *path)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "fake-colord.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  GPid pid = 0;
  int out = -1;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                            &pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready\n");

  return pid;
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

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_colord (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.capaphoto.Capa");
  g_autoptr(CapaColourProfile) expected = NULL;
  g_autoptr(CapaScreenProfile) screen = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  guint wake = g_timeout_add (100, wake_up, NULL);

  expected = capa_colour_profile_new_display_from_file (profile_file, &error);
  g_assert_no_error (error);

  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_widget_show (window);
  screen = capa_screen_profile_new (window, settings);
  wait_for_profile (screen, expected);

  g_assert_cmpstr (capa_screen_profile_get_detected_source (screen), !=, NULL);
  g_assert_true (capa_colour_profile_equal (capa_screen_profile_get_detected_profile (screen),
                                            expected));

  gtk_widget_destroy (window);
  while (capa_screen_profile_get_busy (screen))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

int
main (int    argc,
      char **argv)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  GPid colord;
  int status;

  capa_test_init (&argc, &argv);

  /* The harness's private bus stands for the system bus here. */
  g_assert_nonnull (address);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  gtk_init (&argc, &argv);

  profile_file = g_test_build_filename (G_TEST_DIST, "data", "adobe-rgb.icc", NULL);
  colord = start_fake_colord (profile_file);

  g_test_add_func ("/Capa/ScreenProfile/colord", test_colord);
  status = g_test_run ();

  kill (colord, SIGTERM);
  g_spawn_close_pid (colord);
  g_free (profile_file);

  return status;
}
