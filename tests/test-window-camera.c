/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The window shell with a camera (issue 8): auto-connect, the Capture
 * button and its queue, a shot taken with the camera's own button, the
 * camera unplugged in the middle of a download, a camera held by GVFS,
 * a bulb exposure with the field of seconds (issue 10, item 4), the
 * settings panel reading the settings again after a shot (item 6),
 * the no-camera page, accessible names; screenshots of each state go to
 * screenshots/ in the build's tests folder.  Uses Capa's test camera
 * driver (tests/camlib) under Xvfb (tests/harness/with-display.sh). */

#include "config.h"

#include <gtk/gtk.h>
#include <handy.h>

#include "capa-film-strip-private.h"
#include "capa-test-utils.h"

static CapaApplication *app;
static gboolean have_camera;

#define screenshot(widget, name) capa_test_save_screenshot (GTK_WIDGET (widget), (name))
#define wait_until(check, window) capa_test_wait_for_window ((check), (window), WAIT_MS)
#define WAIT_MS 30000

typedef struct
{
  char       *dir;
  CapaWindow *window;
} Fixture;

static void
spin (guint ms)
{
  capa_test_spin (ms);
}

static gboolean
has_tether (CapaWindow *window)
{
  return capa_window_get_tether (window) != NULL;
}

static gboolean
has_no_tether (CapaWindow *window)
{
  return capa_window_get_tether (window) == NULL;
}

static gboolean
has_selected_image (CapaWindow *window)
{
  return capa_window_get_selected_image (window) != NULL;
}

static GtkWidget *
find (CapaWindow *window,
      const char *id)
{
  return capa_test_find_widget (GTK_WINDOW (window), id);
}

static const char *
visible_page (CapaWindow *window)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (window, "main_stack")));
}

static gboolean
shows_empty_session (CapaWindow *window)
{
  return g_strcmp0 (visible_page (window), "empty-session") == 0;
}

static GtkInfoBar *
message_bar (CapaWindow *window)
{
  return GTK_INFO_BAR (find (window, "message_bar"));
}

static gboolean
message_shown (CapaWindow *window)
{
  return gtk_info_bar_get_revealed (message_bar (window));
}

static const char *
message_detail (CapaWindow *window)
{
  return gtk_label_get_text (GTK_LABEL (find (window, "message_detail")));
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  if (d == NULL)
    return 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *faults = data;
  g_autoptr(CapaSession) session = NULL;

  if (!capa_test_camera_usable (have_camera))
    return;

  capa_test_camera_reset ();
  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);

  fixture->dir = capa_test_make_tmpdir ("window-camera");
  session = capa_session_new (fixture->dir);
  fixture->window = capa_window_new (app);
  capa_window_set_session (fixture->window, session);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_widget_show (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  CapaCamera *camera = NULL;
  gint64 end;

  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  if (fixture->window == NULL)
    return;

  /* The window closes its camera on the camera's thread: wait for the
   * camera to go before the next test opens it again. */
  if (capa_window_get_tether (fixture->window) != NULL)
    {
      camera = capa_tether_get_camera (capa_window_get_tether (fixture->window));
      g_object_add_weak_pointer (G_OBJECT (camera), (gpointer *) &camera);
    }
  gtk_widget_destroy (GTK_WIDGET (fixture->window));
  end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (camera != NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_null (camera);

  capa_test_rmtree (fixture->dir);
  g_free (fixture->dir);
}

typedef struct
{
  CapaWindow *window;
  gboolean    painted;          /* the selected image, at screen quality */
  gboolean    strip_waited;     /* the strip had not asked for its thumbnail then */
} PaintWatch;

static void
on_painted_cb (CapaImageView        *view,
               CapaImageViewQuality  quality,
               PaintWatch           *watch)
{
  CapaImage *image = capa_window_get_selected_image (watch->window);
  CapaFilmStrip *strip = CAPA_FILM_STRIP (capa_test_window_part (watch->window, "film_strip_slot"));

  if (quality != CAPA_IMAGE_VIEW_QUALITY_SCREEN || image == NULL || watch->painted)
    return;

  watch->painted = TRUE;
  watch->strip_waited = g_hash_table_lookup (strip->entries, image) == NULL;
}

static gboolean
strip_has_thumbnail (CapaWindow *window)
{
  CapaFilmStrip *strip = CAPA_FILM_STRIP (capa_test_window_part (window, "film_strip_slot"));
  CapaImage *image = capa_window_get_selected_image (window);

  return image != NULL && g_hash_table_lookup (strip->entries, image) != NULL &&
         !capa_film_strip_get_loading (strip);
}

static gboolean
watch_painted (CapaWindow *window)
{
  PaintWatch *watch = g_object_get_data (G_OBJECT (window), "paint-watch");

  return watch->painted;
}

/* Auto-connect, then the Capture button: the shot is in the session
 * folder and becomes the selected image; the view paints it before the
 * film strip decodes the same file for its thumbnail, which follows. */
static void
test_capture_button (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  PaintWatch watch = { window, FALSE, FALSE };
  GtkHeaderBar *header;
  CapaImage *image;
  g_autofree char *folder = NULL;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  g_assert_true (capa_tether_get_monitoring (capa_window_get_tether (window)));
  /* Once the session folder is read: until then the page stays. */
  g_assert_true (wait_until (shows_empty_session, window));
  g_assert_true (gtk_widget_get_sensitive (find (window, "capture_button")));
  header = GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (window)));
  g_assert_cmpstr (gtk_header_bar_get_subtitle (header), ==, "0 shots");
  screenshot (window, "connected-empty-session");

  g_object_set_data (G_OBJECT (window), "paint-watch", &watch);
  g_signal_connect (capa_test_window_part (window, "image_view_slot"), "painted",
                    G_CALLBACK (on_painted_cb), &watch);
  gtk_button_clicked (GTK_BUTTON (find (window, "capture_button")));
  g_assert_true (wait_until (has_selected_image, window));
  g_assert_true (wait_until (watch_painted, window));
  g_assert_true (watch.strip_waited);
  g_assert_true (wait_until (strip_has_thumbnail, window));
  g_signal_handlers_disconnect_by_func (capa_test_window_part (window, "image_view_slot"),
                                        on_painted_cb, &watch);
  g_object_set_data (G_OBJECT (window), "paint-watch", NULL);

  image = capa_window_get_selected_image (window);
  folder = g_path_get_dirname (capa_image_get_filename (image));
  g_assert_cmpstr (folder, ==, fixture->dir);
  g_assert_true (g_file_test (capa_image_get_filename (image), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);
  g_assert_cmpstr (gtk_header_bar_get_subtitle (header), ==, "1 shot");
  g_assert_cmpstr (visible_page (window), ==, "image");
  g_assert_false (message_shown (window));
  screenshot (window, "after-shot");
}

static void
press_key (CapaWindow      *window,
           guint            keyval,
           GdkModifierType  state)
{
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);
  GdkDisplay *display = gdk_display_get_default ();
  GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  event->key.window = g_object_ref (gtk_widget_get_window (GTK_WIDGET (window)));
  event->key.keyval = keyval;
  event->key.state = state;
  event->key.time = GDK_CURRENT_TIME;
  if (gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (display), keyval,
                                         &keys, &n_keys) && n_keys > 0)
    event->key.hardware_keycode = keys[0].keycode;
  g_free (keys);
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (display)));
  g_assert_true (gtk_widget_event (GTK_WIDGET (window), event));
  gdk_event_free (event);
}

static gboolean
three_shots_in (CapaWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (capa_window_get_session (window))) == 3;
}

/* Captures asked for while one runs wait their turn, counted on the
 * button, and none is lost. */
static void
test_capture_queued (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GtkWidget *button;
  GtkLabel *label;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  button = find (window, "capture_button");
  label = GTK_LABEL (find (window, "capture_label"));

  /* The button, then the space bar, then Ctrl+Return. */
  gtk_button_clicked (GTK_BUTTON (button));
  press_key (window, GDK_KEY_space, 0);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Capture (1 queued)");
  press_key (window, GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Capture (2 queued)");

  g_assert_true (wait_until (three_shots_in, window));
  spin (200);
  g_assert_cmpuint (count_files (fixture->dir), ==, 3);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Capture");
  g_assert_false (message_shown (window));
}

/* A shot taken with the camera's own shutter button is downloaded and
 * selected without any click. */
static void
test_injected_shot (Fixture       *fixture,
                    gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  CapaCamera *camera;
  CapaControl *simulate;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  camera = capa_tether_get_camera (capa_window_get_tether (window));
  simulate = capa_test_camera_get_control (camera, "/main/actions/simulate");
  capa_control_text_set_value (CAPA_CONTROL_TEXT (simulate), "shot");
  capa_test_camera_save_controls (camera);

  g_assert_true (wait_until (has_selected_image, window));
  g_assert_true (g_file_test (capa_image_get_filename (capa_window_get_selected_image (window)),
                              G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);
  g_assert_cmpstr (visible_page (window), ==, "image");
}

static gboolean
says_downloading (CapaWindow *window)
{
  const char *subtitle =
    gtk_header_bar_get_subtitle (GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (window))));

  return g_str_has_prefix (subtitle, "Downloading CAPA0001.JPG… ");
}

/* While a shot downloads, the header bar says which, and how far. */
static void
test_download_progress (Fixture       *fixture,
                        gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GtkHeaderBar *header;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  header = GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (window)));
  capa_test_camera_set_faults (capa_tether_get_camera (capa_window_get_tether (window)),
                               "slow=1500");

  gtk_button_clicked (GTK_BUTTON (find (window, "capture_button")));
  g_assert_true (wait_until (says_downloading, window));
  g_test_message ("subtitle: %s", gtk_header_bar_get_subtitle (header));
  g_assert_true (g_str_has_suffix (gtk_header_bar_get_subtitle (header), " %"));
  screenshot (window, "downloading");

  g_assert_true (wait_until (has_selected_image, window));
  g_assert_cmpstr (gtk_header_bar_get_subtitle (header), ==, "1 shot");
}

/* Unplugged in the middle of a download: the info bar names the picture
 * left on the card, and the window drops the camera. */
static void
test_unplug_during_download (Fixture       *fixture,
                             gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  CapaCamera *camera;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  camera = capa_tether_get_camera (capa_window_get_tether (window));
  capa_test_camera_set_faults (camera, "unplug-during-download");

  gtk_button_clicked (GTK_BUTTON (find (window, "capture_button")));
  g_assert_true (wait_until (has_no_tether, window));
  g_assert_true (wait_until (message_shown, window));
  spin (500);
  g_test_message ("message: %s", message_detail (window));
  g_assert_nonnull (strstr (message_detail (window), "stays on the camera as “CAPA0001.JPG”"));
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (find (window, "capture_button")));
  g_assert_null (capa_window_get_selected_image (window));
}

static GtkWidget *
message_button (CapaWindow *window)
{
  GtkWidget *area = gtk_info_bar_get_action_area (message_bar (window));
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (area));

  for (const GList *l = children; l != NULL; l = l->next)
    if (GTK_IS_ACTIONABLE (l->data)
        && gtk_actionable_get_action_name (l->data) != NULL)
      return l->data;

  return NULL;
}

/* A camera held by GVFS: an Unmount button, which releases it and
 * connects. */
static void
test_gvfs_locked (Fixture       *fixture,
                  gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GtkWidget *button;
  GVariant *target;

  if (window == NULL)
    return;

  g_assert_true (wait_until (message_shown, window));
  g_assert_null (capa_window_get_tether (window));
  button = message_button (window);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Unmount");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.unmount-camera");
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, CAPA_TEST_CAMERA_PORT);
  screenshot (window, "gvfs-locked");

  /* The holder lets go (an empty list clears the driver's faults at the
   * next open); Unmount finds no mount left and connects. */
  g_setenv ("CAPA_TEST_CAMERA_FAULTS", "", TRUE);
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (wait_until (has_tether, window));
  g_assert_false (message_shown (window));
}

/* win.disconnect-camera and win.connect-camera, as `capa --camera` uses. */
static void
test_connect_actions (Fixture       *fixture,
                      gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  CapaCameraButton *button;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  button = CAPA_CAMERA_BUTTON (find (window, "camera_button"));
  g_assert_nonnull (capa_camera_button_get_camera (button));

  g_action_group_activate_action (G_ACTION_GROUP (window), "disconnect-camera", NULL);
  g_assert_null (capa_window_get_tether (window));
  g_assert_null (capa_camera_button_get_camera (button));
  g_assert_cmpstr (visible_page (window), ==, "no-camera");

  g_action_group_activate_action (G_ACTION_GROUP (window), "connect-camera",
                                  g_variant_new_string (CAPA_TEST_CAMERA_PORT));
  g_assert_true (wait_until (has_tether, window));
  g_assert_cmpstr (capa_camera_get_port (capa_camera_button_get_camera (button)), ==,
                   CAPA_TEST_CAMERA_PORT);
}

/* delete-from-camera and download-camera-shots are followed live by the
 * tether; settings-panel-visible by the side panel, with F9's action. */
static void
test_settings_followed (Fixture       *fixture,
                        gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GSettings *settings = capa_application_get_settings (app);
  CapaTether *tether;
  GtkWidget *flap;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  tether = capa_window_get_tether (window);
  g_assert_true (capa_tether_get_delete_from_camera (tether));
  g_assert_true (capa_tether_get_monitoring (tether));

  g_settings_set_boolean (settings, "delete-from-camera", FALSE);
  g_assert_false (capa_tether_get_delete_from_camera (tether));
  g_settings_set_boolean (settings, "download-camera-shots", FALSE);
  g_assert_false (capa_tether_get_monitoring (tether));
  g_settings_set_boolean (settings, "download-camera-shots", TRUE);
  g_assert_true (capa_tether_get_monitoring (tether));
  g_settings_reset (settings, "delete-from-camera");
  g_assert_true (capa_tether_get_delete_from_camera (tether));

  flap = find (window, "flap");
  g_assert_true (hdy_flap_get_reveal_flap (HDY_FLAP (flap)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-settings-panel", NULL);
  g_assert_false (hdy_flap_get_reveal_flap (HDY_FLAP (flap)));
  g_assert_false (g_settings_get_boolean (settings, "settings-panel-visible"));
  g_settings_set_boolean (settings, "settings-panel-visible", TRUE);
  g_assert_true (hdy_flap_get_reveal_flap (HDY_FLAP (flap)));
}

static void
collect_unnamed (GtkWidget *widget,
                 gpointer   data)
{
  GPtrArray *unnamed = data;

  if (GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_ENTRY (widget)
      || GTK_IS_SCALE (widget) || GTK_IS_COMBO_BOX (widget)
      || (GTK_IS_LIST_BOX_ROW (widget)
          && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget))))
    {
      const char *name = atk_object_get_name (gtk_widget_get_accessible (widget));

      if (name == NULL || *name == '\0')
        g_ptr_array_add (unnamed,
                         g_strdup_printf ("%s %s", G_OBJECT_TYPE_NAME (widget),
                                          gtk_buildable_get_name (GTK_BUILDABLE (widget))));
    }

  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_unnamed, data);
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)))
    collect_unnamed (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget))), data);
}

/* Every interactive widget of the window has an accessible name: with a
 * camera in the popover and a message with a button shown. */
static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  capa_window_show_message (window, GTK_MESSAGE_WARNING, "A message", "With a button",
                            "_Unmount", "win.unmount-camera",
                            g_variant_new_string (CAPA_TEST_CAMERA_PORT));

  collect_unnamed (gtk_window_get_titlebar (GTK_WINDOW (window)), unnamed);
  collect_unnamed (gtk_bin_get_child (GTK_BIN (window)), unnamed);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("no accessible name: %s", (char *) unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 0);
}

static gboolean
bulb_field_shown (CapaWindow *window)
{
  return gtk_widget_get_visible (find (window, "bulb_spin"));
}

static gboolean
bulb_field_hidden (CapaWindow *window)
{
  return !bulb_field_shown (window);
}

static gboolean
counts_down (CapaWindow *window)
{
  const char *label = gtk_label_get_text (GTK_LABEL (find (window, "capture_label")));

  return g_str_has_suffix (label, " s") && g_ascii_isdigit (label[0]);
}

static gboolean
says_capture (CapaWindow *window)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (find (window, "capture_label"))),
                    "Capture") == 0;
}

static const char *
accessible_name (GtkWidget *widget)
{
  return atk_object_get_name (gtk_widget_get_accessible (widget));
}

static const char *
accessible_description (GtkWidget *widget)
{
  return atk_object_get_description (gtk_widget_get_accessible (widget));
}

/* What a screen reader says of Capture during an exposure: it ends it,
 * and the seconds left (the label alone says "N s"). */
static void
assert_says_end_exposure (GtkWidget *button)
{
  const char *description = accessible_description (button);

  g_assert_cmpstr (accessible_name (button), ==, "End Exposure");
  g_assert_nonnull (description);
  g_test_message ("during the exposure: “%s”, “%s”", accessible_name (button), description);
  g_assert_true (g_ascii_isdigit (description[0]));
  g_assert_nonnull (strstr (description, " left"));
}

static guint
n_shots (CapaWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (capa_window_get_session (window)));
}

static gboolean
one_shot_in (CapaWindow *window)
{
  return n_shots (window) == 1;
}

static gboolean
two_shots_in (CapaWindow *window)
{
  return n_shots (window) == 2;
}

static void
set_shutter_speed (CapaCamera *camera,
                   const char *value)
{
  CapaControl *control = capa_test_camera_get_control (camera,
                                                       "/main/capturesettings/shutterspeed");
  g_autoptr(GError) error = NULL;

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), value);
  capa_test_camera_save_controls (camera);
  /* Read again, as after a dial turned on the body: controls-changed. */
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
}

/* Issue 10, item 4: the shutter speed at Bulb shows the field of seconds
 * beside Capture; Capture then takes a bulb exposure of that length,
 * counting down on the button; a second press ends it early, the picture
 * saved; back to a timed shutter speed the field hides. */
static void
test_bulb (Fixture       *fixture,
           gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  CapaCamera *camera;
  CapaControl *control;
  GtkSpinButton *field;
  g_autofree char *tooltip = NULL;
  GtkWidget *button;
  gint64 start;
  double elapsed;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  camera = capa_tether_get_camera (capa_window_get_tether (window));
  field = GTK_SPIN_BUTTON (find (window, "bulb_spin"));
  button = find (window, "capture_button");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (field)));
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (GTK_WIDGET (field))), ==,
                   "Bulb exposure seconds");
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (field));
  g_assert_nonnull (tooltip);

  set_shutter_speed (camera, "Bulb");
  g_assert_true (wait_until (bulb_field_shown, window));
  g_assert_true (capa_camera_get_has_bulb (camera));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (field), ==, 30);
  g_assert_cmpstr (accessible_name (button), ==, "Capture");

  /* Two seconds: the button counts down, the picture comes in. */
  gtk_spin_button_set_value (field, 2);
  start = g_get_monotonic_time ();
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (wait_until (counts_down, window));
  assert_says_end_exposure (button);
  screenshot (window, "bulb-exposure");
  g_assert_true (wait_until (one_shot_in, window));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("2 s bulb exposure took %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, 1.7);
  g_assert_true (wait_until (says_capture, window));
  g_assert_cmpstr (accessible_name (button), ==, "Capture");
  g_assert_cmpstr (accessible_description (button), ==, "Take a picture (Space)");
  g_assert_false (message_shown (window));
  /* The shutter speed is still Bulb: the field stays for the next one,
   * from the moment the exposure is over (a settings read of the
   * window's, started before the test set Bulb, used to land after it and
   * put the old shutter speed back). */
  g_assert_true (bulb_field_shown (window));
  control = capa_test_camera_get_control (camera, "/main/capturesettings/shutterspeed");
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (control)), ==, "Bulb");

  /* Twenty-five seconds, ended by a second press after half a second. */
  gtk_spin_button_set_value (field, 25);
  start = g_get_monotonic_time ();
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (wait_until (counts_down, window));
  spin (500);
  assert_says_end_exposure (button);
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (wait_until (two_shots_in, window));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("25 s bulb exposure ended after %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, <, 25);
  g_assert_true (wait_until (says_capture, window));
  g_assert_cmpuint (count_files (fixture->dir), ==, 2);
  g_assert_false (message_shown (window));
  g_assert_true (bulb_field_shown (window));

  /* The same, ended by Escape. */
  start = g_get_monotonic_time ();
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (wait_until (counts_down, window));
  spin (500);
  press_key (window, GDK_KEY_Escape, 0);
  g_assert_true (wait_until (three_shots_in, window));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("25 s bulb exposure ended by Escape after %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, <, 25);
  g_assert_true (wait_until (says_capture, window));
  g_assert_cmpuint (count_files (fixture->dir), ==, 3);
  g_assert_cmpstr (accessible_name (button), ==, "Capture");

  /* Back to 1/125: no field. */
  set_shutter_speed (camera, "1/125");
  g_assert_true (wait_until (bulb_field_hidden, window));
}

/* The settings panel's row of the control named @name, or NULL. */
static CapaControlRow *
find_panel_row (GtkWidget  *widget,
                const char *name)
{
  g_autoptr(GList) children = NULL;

  if (CAPA_IS_CONTROL_ROW (widget))
    {
      CapaControl *control = capa_control_row_get_control (CAPA_CONTROL_ROW (widget));

      return g_strcmp0 (capa_control_get_name (control), name) == 0 ?
             CAPA_CONTROL_ROW (widget) : NULL;
    }
  if (!GTK_IS_CONTAINER (widget))
    return NULL;

  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      CapaControlRow *row = find_panel_row (l->data, name);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* What the panel's drop-down for the control @name shows, or NULL. */
static const char *
panel_choice (CapaWindow *window,
              const char *name)
{
  CapaControlRow *row = find_panel_row (find (window, "settings_panel_slot"), name);

  if (row == NULL)
    return NULL;
  return gtk_combo_box_get_active_id (GTK_COMBO_BOX (capa_control_row_get_value_widget (row)));
}

/* Spins until the panel's drop-down for @name shows @value, or WAIT_MS
 * pass; returns whether it does. */
static gboolean
wait_for_panel_choice (CapaWindow *window,
                       const char *name,
                       const char *value)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_strcmp0 (panel_choice (window, name), value) != 0
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);

  g_test_message ("panel: %s = %s", name, panel_choice (window, name));
  return g_strcmp0 (panel_choice (window, name), value) == 0;
}

/* Turns a dial on the camera's body (tests/camlib: simulate). */
static void
simulate (CapaCamera *camera,
          const char *commands)
{
  CapaControl *control = capa_test_camera_get_control (camera, "/main/actions/simulate");

  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), commands);
  capa_test_camera_save_controls (camera);
}

static void
count_cb (GObject *object,
          guint   *count)
{
  (*count)++;
}

/* Longer than the panel's quiet wait before it reads the settings after a
 * shot (RELOAD_QUIET_MS), so that a read due would have been made. */
#define AFTER_RELOAD_MS 3000

/* Issue 8, item 6: a setting changed on the body without an event shows
 * in the panel after the next shot, which reads the settings again; a
 * burst of shots costs fewer reads than shots. */
static void
test_settings_reread (Fixture       *fixture,
                      gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GtkWidget *button;
  CapaCamera *camera;
  guint n_reads = 0;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  camera = capa_tether_get_camera (capa_window_get_tether (window));
  button = find (window, "capture_button");
  g_assert_true (wait_for_panel_choice (window, "iso", "400"));

  /* The body does not say: the panel cannot know yet. */
  simulate (camera, "quiet=iso:800");
  spin (AFTER_RELOAD_MS);
  g_assert_cmpstr (panel_choice (window, "iso"), ==, "400");

  /* Three shots at once, then the panel shows the camera's value. */
  g_signal_connect (camera, "controls-changed", G_CALLBACK (count_cb), &n_reads);
  gtk_button_clicked (GTK_BUTTON (button));
  gtk_button_clicked (GTK_BUTTON (button));
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (wait_until (three_shots_in, window));
  g_assert_true (wait_for_panel_choice (window, "iso", "800"));
  spin (AFTER_RELOAD_MS);
  g_signal_handlers_disconnect_by_func (camera, count_cb, &n_reads);
  g_test_message ("%u reads of the settings for 3 shots", n_reads);
  g_assert_cmpuint (n_reads, >=, 1);
  g_assert_cmpuint (n_reads, <, 3);
  g_assert_false (message_shown (window));
}

static void
find_settings_panel (GtkWidget *widget,
                     gpointer   data)
{
  CapaSettingsPanel **panel = data;

  if (*panel != NULL)
    return;
  if (CAPA_IS_SETTINGS_PANEL (widget))
    *panel = CAPA_SETTINGS_PANEL (widget);
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_settings_panel, data);
}

/* The same while the user types in a setting's entry: the read waits
 * until the entry loses the focus, so that the camera's values do not
 * change the panel under the user's hands. */
static void
test_settings_reread_waits (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char * const names[] = { "iso", "ownername", NULL };
  CapaWindow *window = fixture->window;
  CapaSettingsPanel *panel = NULL;
  CapaCamera *camera;
  CapaControlRow *row;
  GtkWidget *entry;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  camera = capa_tether_get_camera (capa_window_get_tether (window));
  find_settings_panel (find (window, "settings_panel_slot"), &panel);
  g_assert_nonnull (panel);
  g_assert_true (wait_for_panel_choice (window, "iso", "400"));
  capa_settings_panel_set_control_names (panel, names);
  row = find_panel_row (find (window, "settings_panel_slot"), "ownername");
  g_assert_nonnull (row);
  entry = capa_control_row_get_value_widget (row);
  g_assert_true (GTK_IS_ENTRY (entry));

  gtk_widget_grab_focus (entry);
  g_assert_true (gtk_widget_is_focus (entry));
  simulate (camera, "quiet=iso:1600");
  gtk_button_clicked (GTK_BUTTON (find (window, "capture_button")));
  g_assert_true (wait_until (one_shot_in, window));
  spin (AFTER_RELOAD_MS);
  g_assert_cmpstr (panel_choice (window, "iso"), ==, "400");

  gtk_widget_grab_focus (find (window, "capture_button"));
  g_assert_false (gtk_widget_is_focus (entry));
  g_assert_true (wait_for_panel_choice (window, "iso", "1600"));
  g_assert_false (message_shown (window));
  capa_settings_panel_set_control_names (panel, NULL);
}

/* No camera at all: the page saying what to check. */
static void
test_no_camera (void)
{
  g_autofree char *dir = capa_test_make_tmpdir ("window-no-camera");
  g_autofree char *iolibs = g_strdup (g_getenv ("IOLIBS"));
  g_autoptr(CapaSession) session = capa_session_new (dir);
  CapaWindow *window;

  if (!capa_test_camera_usable (have_camera))
    return;

  /* The system's port drivers, without the virtual camera's: no camera. */
  g_setenv ("IOLIBS", g_getenv ("GPHOTO2_IOLIBS_DIR"), TRUE);
  window = capa_window_new (app);
  capa_window_set_session (window, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_widget_show (GTK_WIDGET (window));
  spin (1500);

  g_assert_null (capa_window_get_tether (window));
  g_assert_cmpstr (visible_page (window), ==, "no-camera");
  g_assert_false (message_shown (window));
  g_assert_false (gtk_widget_get_sensitive (find (window, "capture_button")));
  screenshot (window, "no-camera");

  /* Space (or app.capture) without a camera says why nothing happens. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "capture", NULL);
  g_assert_true (message_shown (window));

  gtk_widget_destroy (GTK_WIDGET (window));
  g_setenv ("IOLIBS", iolibs, TRUE);
  capa_test_rmtree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  capa_test_init (&argc, &argv);
  have_camera = capa_test_use_test_camera (NULL);
  gtk_init (&argc, &argv);

  app = capa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/Capa/WindowCamera/no-camera", test_no_camera);
#define ADD(path, faults, func) \
  g_test_add ("/Capa/WindowCamera/" path, Fixture, faults, fixture_set_up, func, fixture_tear_down)
  ADD ("capture-button", NULL, test_capture_button);
  ADD ("capture-queued", NULL, test_capture_queued);
  ADD ("injected-shot", NULL, test_injected_shot);
  ADD ("download-progress", NULL, test_download_progress);
  ADD ("unplug-during-download", NULL, test_unplug_during_download);
  ADD ("gvfs-locked", "claimed", test_gvfs_locked);
  ADD ("connect-actions", NULL, test_connect_actions);
  ADD ("accessible-names", NULL, test_accessible_names);
  ADD ("settings-followed", NULL, test_settings_followed);
  ADD ("bulb", NULL, test_bulb);
  ADD ("settings-reread", NULL, test_settings_reread);
  ADD ("settings-reread-waits", NULL, test_settings_reread_waits);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
