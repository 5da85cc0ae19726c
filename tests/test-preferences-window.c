/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The preferences window under Xvfb (issue 8, item 8): the file-name
 * pattern's live example and its refusal of invalid patterns, switches and
 * radio buttons writing their keys, the detected monitor profile, and the
 * app.preferences action; the camera's card and busy preferences (issue 10). */

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>
#include <handy.h>
#include <xcb/xcb.h>

#include "capa-test-utils.h"

#define WAIT_MS 60000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xcb_connection_t, xcb_disconnect)

typedef struct
{
  GSettings   *settings;
  char        *folder;
  CapaSession *session;
  GtkWidget   *window;
} Fixture;

static void
find_named (GtkWidget *widget,
            gpointer   user_data)
{
  gpointer *data = user_data;
  const char *name = data[0];

  if (data[1] != NULL)
    return;

  if (g_strcmp0 (gtk_buildable_get_name (GTK_BUILDABLE (widget)), name) == 0)
    {
      data[1] = widget;
      return;
    }

  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_named, data);
}

/* A widget of the template, by its id in the .ui. */
static gpointer
find_child (GtkWidget  *window,
            const char *name)
{
  gpointer data[2] = { (gpointer) name, NULL };

  gtk_container_forall (GTK_CONTAINER (window), find_named, data);
  g_assert_nonnull (data[1]);

  return data[1];
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
set_root_profile (GBytes *data)
{
  int screen_number = 0;
  g_autoptr(xcb_connection_t) connection = xcb_connect (g_getenv ("DISPLAY"), &screen_number);
  xcb_screen_iterator_t screens = xcb_setup_roots_iterator (xcb_get_setup (connection));
  g_autofree xcb_intern_atom_reply_t *atom = NULL;
  g_autofree xcb_get_input_focus_reply_t *sync = NULL;

  g_assert_false (xcb_connection_has_error (connection));
  for (int i = 0; i < screen_number; i++)
    xcb_screen_next (&screens);
  atom = xcb_intern_atom_reply (connection,
                                xcb_intern_atom (connection, FALSE, strlen ("_ICC_PROFILE"),
                                                 "_ICC_PROFILE"),
                                NULL);
  g_assert_nonnull (atom);
  if (data != NULL)
    xcb_change_property (connection, XCB_PROP_MODE_REPLACE, screens.data->root, atom->atom,
                         XCB_ATOM_CARDINAL, 8, g_bytes_get_size (data),
                         g_bytes_get_data (data, NULL));
  else
    xcb_delete_property (connection, screens.data->root, atom->atom);
  sync = xcb_get_input_focus_reply (connection, xcb_get_input_focus (connection), NULL);
  g_assert_nonnull (sync);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const keys[] = {
    "filename-pattern", "session-folder", "auto-connect", "download-camera-shots",
    "delete-from-camera", "demo-camera", "film-strip-newest-first", "colour-management",
    "colour-profile-file", "rendering-intent", "keep-on-card", "busy-timeout",
  };
  g_autoptr(GError) error = NULL;

  fixture->settings = g_settings_new ("org.capaphoto.Capa");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (fixture->settings, keys[i]);

  /* A session with three shots numbered by the pattern "shot-%n". */
  fixture->folder = capa_test_make_tmpdir ("preferences");
  capa_test_write_jpegs (fixture->folder, 3, 32, 24);
  fixture->session = capa_session_new (fixture->folder);
  capa_session_load (fixture->session, NULL, &error);
  g_assert_no_error (error);

  fixture->window = capa_preferences_window_new (NULL, fixture->settings);
  capa_preferences_window_set_session (CAPA_PREFERENCES_WINDOW (fixture->window),
                                       fixture->session);
  gtk_widget_show (fixture->window);
  spin ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_widget_destroy (fixture->window);
  spin ();
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->settings);
  capa_test_rmtree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
  set_root_profile (NULL);
}

static void
test_pattern_example (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkEntry *entry = find_child (fixture->window, "filename_pattern_entry");
  GtkLabel *example = find_child (fixture->window, "filename_example_label");
  g_autofree char *saved = NULL;
  g_autofree char *name = NULL;
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  /* The default pattern, shown as it is. */
  g_assert_cmpstr (gtk_entry_get_text (entry), ==, "capa-%Y%m%d-%n");
  today = g_date_time_format (now, "capa-%Y%m%d-");
  g_assert_nonnull (strstr (gtk_label_get_text (example), today));

  /* The session has shot-0001.jpg to shot-0003.jpg: the next is 0004. */
  gtk_entry_set_text (entry, "shot-%n");
  name = capa_preferences_window_dup_example_name (CAPA_PREFERENCES_WINDOW (fixture->window));
  g_assert_cmpstr (name, ==, "shot-0004.jpg");
  g_assert_nonnull (strstr (gtk_label_get_text (example), "shot-0004.jpg"));
  saved = g_settings_get_string (fixture->settings, "filename-pattern");
  g_assert_cmpstr (saved, ==, "shot-%n");

  /* The camera tag: "Camera" with no camera connected. */
  gtk_entry_set_text (entry, "%c-%n");
  g_assert_nonnull (strstr (gtk_label_get_text (example), "Camera-0004.jpg"));

  /* The camera's own name. */
  gtk_entry_set_text (entry, "studio-%f");
  g_assert_nonnull (strstr (gtk_label_get_text (example), "studio-IMG_0042.jpg"));
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (fixture->settings, "filename-pattern");
  g_assert_cmpstr (saved, ==, "studio-%f");
}

static gboolean
has_class (gpointer    widget,
           const char *name)
{
  return gtk_style_context_has_class (gtk_widget_get_style_context (widget), name);
}

static void
test_pattern_invalid (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const invalid[] = { "shot-%q", "shots/%n", "shot-%", "..." };
  GtkEntry *entry = find_child (fixture->window, "filename_pattern_entry");
  GtkLabel *example = find_child (fixture->window, "filename_example_label");

  gtk_entry_set_text (entry, "good-%n");

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *saved = NULL;
      g_autofree char *name = NULL;

      g_test_message ("pattern %s", invalid[i]);
      g_assert_false (capa_session_validate_filename_pattern (invalid[i], &error));

      gtk_entry_set_text (entry, invalid[i]);
      /* The reason is shown, in the error style, and nothing is saved. */
      g_assert_cmpstr (gtk_label_get_text (example), ==, error->message);
      g_assert_true (has_class (entry, "error"));
      g_assert_true (has_class (example, "error"));
      name = capa_preferences_window_dup_example_name (CAPA_PREFERENCES_WINDOW (fixture->window));
      g_assert_null (name);
      saved = g_settings_get_string (fixture->settings, "filename-pattern");
      g_assert_cmpstr (saved, ==, "good-%n");
    }

  /* Mended: saved, and the error style goes. */
  gtk_entry_set_text (entry, "better-%n");
  g_assert_false (has_class (entry, "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (example), "better-0001.jpg"));
  {
    g_autofree char *saved = g_settings_get_string (fixture->settings, "filename-pattern");

    g_assert_cmpstr (saved, ==, "better-%n");
  }

  /* Emptied: the default again. */
  gtk_entry_set_text (entry, "");
  g_assert_null (g_settings_get_user_value (fixture->settings, "filename-pattern"));
}

static void
test_switches (Fixture       *fixture,
               gconstpointer  data)
{
  static const struct {
    const char *widget;
    const char *key;
  } switches[] = {
    { "auto_connect_switch", "auto-connect" },
    { "download_camera_shots_switch", "download-camera-shots" },
    { "delete_from_camera_switch", "delete-from-camera" },
    { "demo_camera_switch", "demo-camera" },
    { "newest_first_switch", "film-strip-newest-first" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    {
      GtkSwitch *sw = find_child (fixture->window, switches[i].widget);
      gboolean before = g_settings_get_boolean (fixture->settings, switches[i].key);

      g_test_message ("%s", switches[i].key);
      g_assert_cmpint (gtk_switch_get_active (sw), ==, before);
      g_assert_nonnull (atk_object_get_name (gtk_widget_get_accessible (GTK_WIDGET (sw))));

      gtk_switch_set_active (sw, !before);
      spin ();
      g_assert_cmpint (g_settings_get_boolean (fixture->settings, switches[i].key), ==, !before);

      /* And the other way: the key changed elsewhere moves the switch. */
      g_settings_set_boolean (fixture->settings, switches[i].key, before);
      spin ();
      g_assert_cmpint (gtk_switch_get_active (sw), ==, before);
    }
}

static const char *
accessible_name (gpointer widget)
{
  return atk_object_get_name (gtk_widget_get_accessible (GTK_WIDGET (widget)));
}

/* Issue 10: keep-on-card makes the delete switch insensitive, and the
 * busy camera's wait is a number of seconds between 1 and 120, the range of
 * its key, for captures and setting changes alike. */
static void
test_camera (Fixture       *fixture,
             gconstpointer  data)
{
  GtkSwitch *keep = find_child (fixture->window, "keep_on_card_switch");
  GtkWidget *delete_switch = find_child (fixture->window, "delete_from_camera_switch");
  GtkSpinButton *busy = find_child (fixture->window, "busy_timeout_spin");
  HdyActionRow *busy_row = find_child (fixture->window, "busy_timeout_row");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) bounds = NULL;
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (busy);
  guint32 lower = 0, upper = 0;

  g_assert_cmpstr (accessible_name (keep), ==, "Keep a copy on the memory card");
  g_assert_cmpstr (accessible_name (busy), ==, "Seconds to wait for a busy camera");

  /* Off by default: deleting from the card is up to its switch. */
  g_assert_false (gtk_switch_get_active (keep));
  g_assert_true (gtk_widget_is_sensitive (delete_switch));

  gtk_switch_set_active (keep, TRUE);
  spin ();
  g_assert_true (g_settings_get_boolean (fixture->settings, "keep-on-card"));
  g_assert_false (gtk_widget_is_sensitive (delete_switch));
  /* The delete key itself is left as it was, for when the copy is no
   * longer kept. */
  g_assert_true (g_settings_get_boolean (fixture->settings, "delete-from-camera"));

  gtk_switch_set_active (keep, FALSE);
  spin ();
  g_assert_false (g_settings_get_boolean (fixture->settings, "keep-on-card"));
  g_assert_true (gtk_widget_is_sensitive (delete_switch));

  /* Changed elsewhere: both follow. */
  g_settings_set_boolean (fixture->settings, "keep-on-card", TRUE);
  spin ();
  g_assert_true (gtk_switch_get_active (keep));
  g_assert_false (gtk_widget_is_sensitive (delete_switch));

  /* The wait: the spin button offers what the key allows, no more, no less. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, "busy-timeout");
  range = g_settings_schema_key_get_range (key);
  g_variant_get (range, "(sv)", NULL, &bounds);
  g_variant_get (bounds, "(uu)", &lower, &upper);
  g_assert_cmpuint (lower, ==, 1);
  g_assert_cmpuint (upper, ==, 120);
  g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), ==, lower);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, upper);
  /* Both captures and setting changes wait. */
  g_assert_nonnull (strstr (hdy_action_row_get_subtitle (busy_row), "capture"));
  g_assert_nonnull (strstr (hdy_action_row_get_subtitle (busy_row), "setting"));

  /* The default shown, a new value saved, and kept within 1-120. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (busy), ==, 10);
  gtk_spin_button_set_value (busy, 25);
  spin ();
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "busy-timeout"), ==, 25);
  gtk_spin_button_set_value (busy, 600);
  spin ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (busy), ==, 120);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "busy-timeout"), ==, 120);
  gtk_spin_button_set_value (busy, 0);
  spin ();
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "busy-timeout"), ==, 1);

  g_settings_set_uint (fixture->settings, "busy-timeout", 42);
  spin ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (busy), ==, 42);
}

static void
test_colour (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct {
    const char *widget;
    const char *key;
    const char *value;
  } radios[] = {
    { "off_radio", "colour-management", "off" },
    { "file_radio", "colour-management", "file" },
    { "detect_radio", "colour-management", "detect" },
    { "relative_radio", "rendering-intent", "relative-colorimetric" },
    { "saturation_radio", "rendering-intent", "saturation" },
    { "absolute_radio", "rendering-intent", "absolute-colorimetric" },
    { "perceptual_radio", "rendering-intent", "perceptual" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (radios); i++)
    {
      GtkToggleButton *radio = find_child (fixture->window, radios[i].widget);
      g_autofree char *value = NULL;

      gtk_button_clicked (GTK_BUTTON (radio));
      spin ();
      value = g_settings_get_string (fixture->settings, radios[i].key);
      g_assert_cmpstr (value, ==, radios[i].value);
      g_assert_true (gtk_toggle_button_get_active (radio));
    }

  g_settings_set_string (fixture->settings, "colour-management", "off");
  spin ();
  g_assert_true (gtk_toggle_button_get_active (find_child (fixture->window, "off_radio")));
  g_assert_false (gtk_toggle_button_get_active (find_child (fixture->window, "detect_radio")));
}

static void
test_detected_profile (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  HdyActionRow *row = find_child (fixture->window, "detect_row");
  GtkWidget *window;
  gint64 end;

  /* A window opened after the display got its profile shows it. */
  set_root_profile (capa_colour_profile_get_data (adobe));
  window = capa_preferences_window_new (NULL, fixture->settings);
  gtk_widget_show (window);
  row = find_child (window, "detect_row");
  end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (strstr (hdy_action_row_get_subtitle (row), "Adobe RGB (1998) compatible") == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }

  /* Taken away: said so. */
  set_root_profile (NULL);
  while (strstr (hdy_action_row_get_subtitle (row), "sRGB") == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  gtk_widget_destroy (window);
}

static void
test_action (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CapaApplication) app = capa_application_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  GList *toplevels;
  gboolean found = FALSE;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Primary>comma");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  spin ();

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (CAPA_IS_PREFERENCES_WINDOW (l->data) && l->data != fixture->window)
      {
        found = TRUE;
        gtk_widget_destroy (l->data);
      }
  g_list_free (toplevels);
  g_assert_true (found);
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
  hdy_init ();
  g_timeout_add (100, wake_up, NULL);

#define ADD(path, func) \
  g_test_add ("/Capa/PreferencesWindow/" path, Fixture, NULL, \
              fixture_set_up, func, fixture_tear_down)

  ADD ("pattern-example", test_pattern_example);
  ADD ("pattern-invalid", test_pattern_invalid);
  ADD ("switches", test_switches);
  ADD ("camera", test_camera);
  ADD ("colour", test_colour);
  ADD ("detected-profile", test_detected_profile);
  ADD ("action", test_action);

#undef ADD

  return g_test_run ();
}
