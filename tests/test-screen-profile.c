/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaScreenProfile under Xvfb (issue 8, items 7 and 13): the monitor's
 * profile from the X11 ICC profile properties, set here on the real
 * display through a connection of the test's own, and the
 * colour-management settings. */

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>
#include <xcb/randr.h>
#include <xcb/xcb.h>

#include "capa-test-utils.h"
#include "capa-test-xcb.h"

/* A generous guard against hangs only, never a timing assertion. */
#define WAIT_MS 60000


typedef struct
{
  GSettings         *settings;
  GtkWidget         *window;
  CapaScreenProfile *screen;
  guint              n_profile_notifies;
  GPtrArray         *errors;
} Fixture;

/* --- the display's properties, written as a colour manager would --- */

/* The first RandR output of the display, or 0. */
static xcb_randr_output_t
first_output (xcb_connection_t *connection,
              xcb_window_t      root)
{
  g_autofree xcb_randr_query_version_reply_t *version = NULL;
  g_autofree xcb_randr_get_screen_resources_current_reply_t *resources = NULL;

  version = xcb_randr_query_version_reply (connection,
                                           xcb_randr_query_version (connection, 1, 5), NULL);
  if (version == NULL)
    return 0;
  resources = xcb_randr_get_screen_resources_current_reply (
    connection, xcb_randr_get_screen_resources_current (connection, root), NULL);
  if (resources == NULL || xcb_randr_get_screen_resources_current_outputs_length (resources) < 1)
    return 0;

  return xcb_randr_get_screen_resources_current_outputs (resources)[0];
}

/* Sets (or deletes) `_ICC_PROFILE` on the display's first RandR output;
 * FALSE when it has none. */
static gboolean
set_output_property (GBytes *data)
{
  xcb_window_t root;
  g_autoptr(xcb_connection_t) connection = capa_test_xcb_connect (NULL, &root);
  xcb_atom_t atom = capa_test_xcb_intern_atom (connection, "_ICC_PROFILE");
  xcb_randr_output_t output = first_output (connection, root);

  if (output == 0)
    return FALSE;

  if (data != NULL)
    xcb_randr_change_output_property (connection, output, atom, XCB_ATOM_CARDINAL, 8,
                                      XCB_PROP_MODE_REPLACE, g_bytes_get_size (data),
                                      g_bytes_get_data (data, NULL));
  else
    xcb_randr_delete_output_property (connection, output, atom);
  capa_test_xcb_sync (connection);

  return TRUE;
}

static GBytes *
read_test_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* --- the fixture --- */

static void
on_profile_notify_cb (CapaScreenProfile *screen,
                      GParamSpec        *pspec,
                      Fixture           *fixture)
{
  fixture->n_profile_notifies++;
}

static void
on_error_cb (CapaScreenProfile *screen,
             const GError      *error,
             Fixture           *fixture)
{
  g_test_message ("error: %s", error->message);
  g_ptr_array_add (fixture->errors, g_error_copy (error));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = g_settings_new ("org.capaphoto.Capa");
  g_settings_reset (fixture->settings, "colour-management");
  g_settings_reset (fixture->settings, "colour-profile-file");
  g_settings_reset (fixture->settings, "rendering-intent");
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

  /* Xvfb runs with -noreset: clean what an earlier case left. */
  capa_test_xcb_set_root_property ("_ICC_PROFILE", NULL);
  set_output_property (NULL);

  fixture->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 320, 240);
  gtk_widget_show (fixture->window);
}

static void
start (Fixture *fixture)
{
  fixture->screen = capa_screen_profile_new (fixture->window, fixture->settings);
  g_signal_connect (fixture->screen, "notify::profile",
                    G_CALLBACK (on_profile_notify_cb), fixture);
  g_signal_connect (fixture->screen, "error", G_CALLBACK (on_error_cb), fixture);
}

/* Spins the main loop until the reads in flight have ended. */
static void
wait_idle (Fixture *fixture)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (capa_screen_profile_get_busy (fixture->screen))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Spins until @count notifications of the profile have come. */
static void
wait_notifies (Fixture *fixture,
               guint    count)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (fixture->n_profile_notifies < count)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  wait_idle (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->screen != NULL)
    {
      wait_idle (fixture);
      capa_test_assert_finalized (g_steal_pointer (&fixture->screen));
    }
  gtk_widget_destroy (fixture->window);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
  g_clear_object (&fixture->settings);
  capa_test_xcb_set_root_property ("_ICC_PROFILE", NULL);
  set_output_property (NULL);
}

static void
assert_profile_equal (CapaColourProfile *actual,
                      CapaColourProfile *expected)
{
  g_assert_nonnull (actual);
  g_assert_nonnull (expected);
  g_test_message ("profile “%s”, expected “%s”",
                  capa_colour_profile_get_description (actual),
                  capa_colour_profile_get_description (expected));
  g_assert_true (capa_colour_profile_equal (actual, expected));
}

static void
assert_srgb (CapaColourProfile *actual)
{
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();

  assert_profile_equal (actual, srgb);
}

/* --- the cases --- */

static void
test_root_property (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();

  capa_test_xcb_set_root_property ("_ICC_PROFILE", capa_colour_profile_get_data (adobe));
  start (fixture);
  wait_idle (fixture);

  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), adobe);
  assert_profile_equal (capa_screen_profile_get_detected_profile (fixture->screen), adobe);
  g_assert_nonnull (capa_screen_profile_get_detected_source (fixture->screen));
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_no_property (Fixture       *fixture,
                  gconstpointer  data)
{
  start (fixture);
  wait_idle (fixture);

  assert_srgb (capa_screen_profile_get_profile (fixture->screen));
  g_assert_null (capa_screen_profile_get_detected_profile (fixture->screen));
  g_assert_null (capa_screen_profile_get_detected_source (fixture->screen));
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_property_changes (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  g_autoptr(GBytes) file_data = read_test_file ("adobe-rgb.icc");
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaColourProfile) other = capa_colour_profile_new_display_from_data (file_data,
                                                                                 &error);
  guint notifies;

  g_assert_no_error (error);
  g_assert_false (capa_colour_profile_equal (adobe, other));

  capa_test_xcb_set_root_property ("_ICC_PROFILE", capa_colour_profile_get_data (adobe));
  start (fixture);
  wait_idle (fixture);
  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), adobe);

  /* A colour manager sets another profile: PropertyNotify, read again. */
  notifies = fixture->n_profile_notifies;
  capa_test_xcb_set_root_property ("_ICC_PROFILE", file_data);
  wait_notifies (fixture, notifies + 1);
  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), other);
  assert_profile_equal (capa_screen_profile_get_detected_profile (fixture->screen), other);

  /* …and takes it away: sRGB, with nothing detected. */
  notifies = fixture->n_profile_notifies;
  capa_test_xcb_set_root_property ("_ICC_PROFILE", NULL);
  wait_notifies (fixture, notifies + 1);
  assert_srgb (capa_screen_profile_get_profile (fixture->screen));
  g_assert_null (capa_screen_profile_get_detected_profile (fixture->screen));
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_broken_property (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) garbage = read_test_file ("garbage.jpg");
  const GError *error;

  capa_test_xcb_set_root_property ("_ICC_PROFILE", garbage);
  start (fixture);
  wait_idle (fixture);

  assert_srgb (capa_screen_profile_get_profile (fixture->screen));
  g_assert_null (capa_screen_profile_get_detected_profile (fixture->screen));
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  error = g_ptr_array_index (fixture->errors, 0);
  g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Preferences"));
}

static void
test_output_property (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  g_autoptr(GBytes) file_data = read_test_file ("adobe-rgb.icc");
  g_autoptr(CapaColourProfile) other = capa_colour_profile_new_from_data (file_data, NULL);
  guint notifies;

  /* The root window says one thing, the monitor's output another: the
   * output's own profile wins. */
  capa_test_xcb_set_root_property ("_ICC_PROFILE", capa_colour_profile_get_data (adobe));
  if (!set_output_property (file_data))
    {
      g_test_fail_printf ("Xvfb has no RandR output to put a profile on");
      return;
    }
  start (fixture);
  wait_idle (fixture);
  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), other);
  g_assert_nonnull (strstr (capa_screen_profile_get_detected_source (fixture->screen),
                            "output"));

  /* The output's property goes: RRNotify, and the root window's applies. */
  notifies = fixture->n_profile_notifies;
  set_output_property (NULL);
  wait_notifies (fixture, notifies + 1);
  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), adobe);
}

static void
test_file (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "adobe-rgb.icc", NULL);
  g_autoptr(CapaColourProfile) expected = NULL;
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  g_autoptr(GError) error = NULL;
  guint notifies;

  expected = capa_colour_profile_new_display_from_file (path, &error);
  g_assert_no_error (error);

  /* The display has a profile, but the file is asked for. */
  capa_test_xcb_set_root_property ("_ICC_PROFILE", capa_colour_profile_get_data (adobe));
  g_settings_set_string (fixture->settings, "colour-profile-file", path);
  g_settings_set_string (fixture->settings, "colour-management", "file");
  start (fixture);
  wait_idle (fixture);
  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), expected);
  assert_profile_equal (capa_screen_profile_get_detected_profile (fixture->screen), adobe);

  /* Back to detection, live. */
  notifies = fixture->n_profile_notifies;
  g_settings_set_string (fixture->settings, "colour-management", "detect");
  wait_notifies (fixture, notifies + 1);
  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), adobe);

  /* And to the file again. */
  notifies = fixture->n_profile_notifies;
  g_settings_set_string (fixture->settings, "colour-management", "file");
  wait_notifies (fixture, notifies + 1);
  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), expected);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_off (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  guint notifies;

  capa_test_xcb_set_root_property ("_ICC_PROFILE", capa_colour_profile_get_data (adobe));
  g_settings_set_string (fixture->settings, "colour-management", "off");
  start (fixture);
  g_assert_null (capa_screen_profile_get_profile (fixture->screen));
  wait_idle (fixture);
  g_assert_null (capa_screen_profile_get_profile (fixture->screen));
  /* Detection still runs, for the preferences to show. */
  assert_profile_equal (capa_screen_profile_get_detected_profile (fixture->screen), adobe);

  notifies = fixture->n_profile_notifies;
  g_settings_set_string (fixture->settings, "colour-management", "detect");
  wait_notifies (fixture, notifies + 1);
  assert_profile_equal (capa_screen_profile_get_profile (fixture->screen), adobe);

  notifies = fixture->n_profile_notifies;
  g_settings_set_string (fixture->settings, "colour-management", "off");
  g_assert_cmpuint (fixture->n_profile_notifies, ==, notifies + 1);
  g_assert_null (capa_screen_profile_get_profile (fixture->screen));
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_broken_file (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "garbage.jpg", NULL);
  g_autofree char *missing = g_test_build_filename (G_TEST_DIST, "data", "missing.icc", NULL);
  const GError *error;

  g_settings_set_string (fixture->settings, "colour-profile-file", path);
  g_settings_set_string (fixture->settings, "colour-management", "file");
  start (fixture);
  wait_idle (fixture);

  assert_srgb (capa_screen_profile_get_profile (fixture->screen));
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  error = g_ptr_array_index (fixture->errors, 0);
  g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "garbage.jpg"));

  /* A file that is not there: said as well. */
  g_settings_set_string (fixture->settings, "colour-profile-file", missing);
  wait_idle (fixture);
  g_assert_cmpuint (fixture->errors->len, ==, 2);
  error = g_ptr_array_index (fixture->errors, 1);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  assert_srgb (capa_screen_profile_get_profile (fixture->screen));
}

static void
on_count_cb (GObject    *object,
             GParamSpec *pspec,
             guint      *count)
{
  (*count)++;
}

static void
test_rendering_intent (Fixture       *fixture,
                       gconstpointer  data)
{
  guint notifies = 0;

  start (fixture);
  g_signal_connect (fixture->screen, "notify::rendering-intent",
                    G_CALLBACK (on_count_cb), &notifies);
  g_assert_cmpint (capa_screen_profile_get_rendering_intent (fixture->screen), ==,
                   CAPA_RENDERING_INTENT_PERCEPTUAL);

  g_settings_set_string (fixture->settings, "rendering-intent", "relative-colorimetric");
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpint (capa_screen_profile_get_rendering_intent (fixture->screen), ==,
                   CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC);

  g_settings_set_string (fixture->settings, "rendering-intent", "absolute-colorimetric");
  g_assert_cmpuint (notifies, ==, 2);
  g_assert_cmpint (capa_screen_profile_get_rendering_intent (fixture->screen), ==,
                   CAPA_RENDERING_INTENT_ABSOLUTE_COLORIMETRIC);
  wait_idle (fixture);
}

/* Wakes the waits up, so that they check their time limit even when
 * nothing else happens. */
static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  capa_test_init (&argc, &argv);
  gtk_init (&argc, &argv);
  g_timeout_add (100, wake_up, NULL);

#define ADD(path, func) \
  g_test_add ("/Capa/ScreenProfile/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("root-property", test_root_property);
  ADD ("no-property", test_no_property);
  ADD ("property-changes", test_property_changes);
  ADD ("broken-property", test_broken_property);
  ADD ("output-property", test_output_property);
  ADD ("file", test_file);
  ADD ("off", test_off);
  ADD ("broken-file", test_broken_file);
  ADD ("rendering-intent", test_rendering_intent);

#undef ADD

  return g_test_run ();
}
