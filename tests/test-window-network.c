/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Network cameras in the window (issue 10, item 6), with Capa's test
 * camera driver answering on ptpip:127.0.0.1 (tests/camlib/README.md):
 * "Connect to a Network Camera…" and its dialog (a bad address refused
 * in place), the camera opened with its model detected, a shot in the
 * session, the camera remembered and listed by a new window, forgotten
 * from its row; after a restart (auto-connect on), the camera used last
 * connected again by itself and shooting into the same session;
 * `capa --camera ptpip:…` (the window's connect-camera action, which a
 * running instance is sent); a camera that stops answering is reported
 * and tried again until it comes back.
 * Screenshots of the popover and the dialog go to screenshots/. */

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "capa-test-utils.h"

static CapaApplication *app;
static gboolean have_camera;

#define screenshot(widget, name) capa_test_save_screenshot (GTK_WIDGET (widget), (name))
#define wait_until(check, window) capa_test_wait_for_window ((check), (window), WAIT_MS)
#define WAIT_MS  60000
#define NET_PORT "ptpip:127.0.0.1"

typedef struct
{
  char       *dir;
  CapaWindow *window;
} Fixture;

static GtkWidget *
find (GtkWindow  *window,
      const char *id)
{
  return capa_test_find_widget (window, id);
}

static CapaCamera *
tether_camera (CapaWindow *window)
{
  CapaTether *tether = capa_window_get_tether (window);

  return tether != NULL ? capa_tether_get_camera (tether) : NULL;
}

/* Whether the window's active camera is the one on @port. */
static gboolean
active_on (CapaWindow *window,
           const char *port)
{
  CapaCamera *camera = tether_camera (window);

  return camera != NULL && g_str_equal (capa_camera_get_port (camera), port);
}

static gboolean
has_network_tether (CapaWindow *window)
{
  return active_on (window, NET_PORT);
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

static gboolean
message_shown (CapaWindow *window)
{
  return gtk_info_bar_get_revealed (GTK_INFO_BAR (find (GTK_WINDOW (window), "message_bar")));
}

static gboolean
retry_said (CapaWindow *window)
{
  const char *detail = gtk_label_get_text (GTK_LABEL (find (GTK_WINDOW (window),
                                                            "message_detail")));

  return message_shown (window) && strstr (detail, "tries again") != NULL;
}

static gboolean
message_hidden (CapaWindow *window)
{
  return !message_shown (window);
}

static const char *
button_status (CapaWindow *window)
{
  return capa_camera_button_get_status (CAPA_CAMERA_BUTTON (find (GTK_WINDOW (window),
                                                                  "camera_button")));
}

/* A second attempt is due: the first one after the loss failed. */
static gboolean
retried_once (CapaWindow *window)
{
  const char *status = button_status (window);

  return status != NULL && strstr (status, "4 seconds") != NULL;
}

static gboolean
label_shows_real_model (CapaWindow *window)
{
  GtkWidget *button = find (GTK_WINDOW (window), "camera_button");
  GtkWidget *label = capa_test_find_in (button, "label");

  return g_str_equal (gtk_label_get_text (GTK_LABEL (label)), CAPA_TEST_CAMERA_MODEL);
}

static CapaNetworkCameraDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (const GList *l = toplevels; l != NULL; l = l->next)
    if (CAPA_IS_NETWORK_CAMERA_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static gboolean
dialog_open (CapaWindow *window)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (CapaWindow *window)
{
  return find_dialog () == NULL;
}

static gboolean
models_loaded (CapaWindow *window)
{
  CapaNetworkCameraDialog *dialog = find_dialog ();

  return dialog != NULL && capa_network_camera_dialog_get_models_loaded (dialog);
}

static GtkWidget *
connect_button (CapaNetworkCameraDialog *dialog)
{
  return capa_test_find_widget (GTK_WINDOW (dialog), "connect_button");
}

static CapaWindow *
new_window (const char *dir)
{
  g_autoptr(CapaSession) session = capa_session_new (dir);
  CapaWindow *window = capa_window_new (app);

  capa_window_set_session (window, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_widget_show (GTK_WIDGET (window));
  return window;
}

/* Destroys @window once its camera, closed on the camera's thread, is
 * gone. */
static void
close_window (CapaWindow *window)
{
  CapaCamera *camera = tether_camera (window);
  gint64 end;

  if (camera != NULL)
    g_object_add_weak_pointer (G_OBJECT (camera), (gpointer *) &camera);
  gtk_widget_destroy (GTK_WIDGET (window));
  end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (camera != NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_null (camera);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GSettings *settings = capa_application_get_settings (app);

  if (!capa_test_camera_usable (have_camera))
    return;

  capa_test_camera_reset ();
  /* Only what the test connects: not the test camera on USB. */
  g_settings_set_boolean (settings, "auto-connect", FALSE);
  g_settings_reset (settings, "network-cameras");
  g_settings_reset (settings, "last-camera-port");

  fixture->dir = capa_test_make_tmpdir ("window-network");
  fixture->window = new_window (fixture->dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  g_settings_reset (capa_application_get_settings (app), "demo-camera");
  if (fixture->window == NULL)
    return;

  close_window (fixture->window);
  capa_test_rmtree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
list_has_network_camera (CapaWindow *window)
{
  CapaCameraButton *button = CAPA_CAMERA_BUTTON (find (GTK_WINDOW (window), "camera_button"));

  return capa_camera_list_find (capa_camera_button_get_camera_list (button),
                                CAPA_NETWORK_CAMERA_GENERIC_MODEL, NET_PORT) != NULL;
}

/* The row of the network camera in the popover has a Forget button. */
static GtkWidget *
find_forget_button (GtkWidget *widget)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                 "win.forget-network-camera") == 0)
    return widget;

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (const GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_forget_button (l->data);

          if (found != NULL)
            return found;
        }
    }

  return NULL;
}

static void
test_dialog (Fixture       *fixture,
             gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GSettings *settings = capa_application_get_settings (app);
  GtkMenuButton *camera_button;
  GtkWidget *popover;
  GtkWidget *network_button;
  CapaNetworkCameraDialog *dialog;
  GtkWidget *entry;
  GtkWidget *error_label;
  g_autoptr(GVariant) remembered = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *printed = NULL;
  CapaWindow *second;

  if (window == NULL)
    return;

  /* The popover, with "Connect to a Network Camera…" at its end. */
  camera_button = GTK_MENU_BUTTON (find (GTK_WINDOW (window), "camera_button"));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (camera_button));
  gtk_popover_popup (GTK_POPOVER (popover));
  capa_test_spin (500);
  network_button = capa_test_find_in (popover, "network_button");
  g_assert_nonnull (network_button);
  g_assert_true (gtk_widget_get_mapped (network_button));
  g_assert_true (gtk_widget_is_sensitive (network_button));
  screenshot (GTK_WIDGET (window), "network-popover");

  gtk_button_clicked (GTK_BUTTON (network_button));
  g_assert_true (wait_until (dialog_open, window));
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (wait_until (models_loaded, window));
  /* Detect automatically first, then the models the drivers know. */
  g_assert_null (capa_network_camera_dialog_get_model (dialog));
  entry = capa_test_find_widget (GTK_WINDOW (dialog), "address_entry");
  error_label = capa_test_find_widget (GTK_WINDOW (dialog), "error_label");
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (entry)), ==,
                   "Camera address");
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (
                     capa_test_find_widget (GTK_WINDOW (dialog), "model_combo"))), ==,
                   "Camera model");
  g_assert_false (gtk_widget_get_sensitive (connect_button (dialog)));

  /* A bad address: said under it, the dialog stays. */
  gtk_entry_set_text (GTK_ENTRY (entry), "192.168.1.300");
  gtk_button_clicked (GTK_BUTTON (connect_button (dialog)));
  capa_test_spin (200);
  g_assert_true (find_dialog () == dialog);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "192.168.1.300"));
  g_assert_false (list_has_network_camera (window));
  screenshot (GTK_WIDGET (dialog), "network-dialog-error");

  /* Typing again clears it. */
  gtk_entry_set_text (GTK_ENTRY (entry), "127.0.0.1");
  g_assert_false (gtk_widget_get_visible (error_label));
  screenshot (GTK_WIDGET (dialog), "network-dialog");
  gtk_button_clicked (GTK_BUTTON (connect_button (dialog)));
  g_assert_true (wait_until (dialog_gone, window));

  /* Connected as a USB camera is, with the model detected. */
  g_assert_true (wait_until (has_network_tether, window));
  g_assert_cmpstr (capa_camera_get_model (tether_camera (window)), ==,
                   CAPA_NETWORK_CAMERA_GENERIC_MODEL);
  g_assert_true (wait_until (label_shows_real_model, window));

  gtk_button_clicked (GTK_BUTTON (find (GTK_WINDOW (window), "capture_button")));
  g_assert_true (wait_until (has_selected_image, window));
  folder = g_path_get_dirname (capa_image_get_filename (capa_window_get_selected_image (window)));
  g_assert_cmpstr (folder, ==, fixture->dir);
  g_assert_true (g_file_test (capa_image_get_filename (capa_window_get_selected_image (window)),
                              G_FILE_TEST_IS_REGULAR));

  /* Remembered: port, and an empty model for "detect". */
  remembered = g_settings_get_value (settings, "network-cameras");
  printed = g_variant_print (remembered, FALSE);
  g_assert_cmpstr (printed, ==, "[('ptpip:127.0.0.1', '')]");

  /* Listed by the next window (as at the next start), beside the test
   * camera on USB, with a Forget button. */
  close_window (window);
  fixture->window = NULL;
  second = new_window (fixture->dir);
  fixture->window = second;
  g_assert_true (list_has_network_camera (second));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (
                          GTK_MENU_BUTTON (find (GTK_WINDOW (second), "camera_button"))));
  {
    GtkWidget *forget = find_forget_button (popover);
    g_autofree char *tooltip = NULL;

    g_assert_nonnull (forget);
    tooltip = gtk_widget_get_tooltip_text (forget);
    g_assert_cmpstr (tooltip, ==, "Forget this network camera");
    g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (forget)), ==,
                     "Forget the camera on " NET_PORT);
    gtk_popover_popup (GTK_POPOVER (popover));
    screenshot (GTK_WIDGET (second), "network-popover-remembered");
    gtk_button_clicked (GTK_BUTTON (forget));
  }

  /* Forgotten: gone from the list and the setting. */
  g_assert_false (list_has_network_camera (second));
  g_clear_pointer (&remembered, g_variant_unref);
  remembered = g_settings_get_value (settings, "network-cameras");
  g_assert_cmpuint (g_variant_n_children (remembered), ==, 0);
}

static guint
n_session_images (CapaWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (capa_window_get_session (window)));
}

static gboolean
has_one_image (CapaWindow *window)
{
  return n_session_images (window) == 1;
}

static gboolean
has_two_images (CapaWindow *window)
{
  return n_session_images (window) == 2;
}

/* The settings page shown is the window's camera's. */
static gboolean
panel_shows_camera (CapaWindow *window)
{
  GtkStack *stack = GTK_STACK (find (GTK_WINDOW (window), "settings_stack"));
  GtkWidget *page = gtk_stack_get_visible_child (stack);

  return page != NULL && tether_camera (window) != NULL
         && capa_settings_panel_get_camera (CAPA_SETTINGS_PANEL (page)) == tether_camera (window);
}

static gboolean
selects_second_image (CapaWindow *window)
{
  g_autoptr(CapaImage) second = g_list_model_get_item (G_LIST_MODEL (
                                                         capa_window_get_session (window)), 1);

  return second != NULL && capa_window_get_selected_image (window) == second;
}

/* Adds @address through "Connect to a Network Camera…" and its dialog. */
static void
add_through_dialog (CapaWindow *window,
                    const char *address)
{
  CapaNetworkCameraDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (window), "add-network-camera", NULL);
  g_assert_true (wait_until (dialog_open, window));
  g_assert_true (wait_until (models_loaded, window));
  dialog = find_dialog ();
  gtk_entry_set_text (GTK_ENTRY (capa_test_find_widget (GTK_WINDOW (dialog), "address_entry")),
                      address);
  gtk_button_clicked (GTK_BUTTON (connect_button (dialog)));
  g_assert_true (wait_until (dialog_gone, window));
}

/* Capa started again: a network camera added through the dialog and used
 * last is connected by itself by the first window (with auto-connect on,
 * the test camera on USB beside it), and takes the next picture into the
 * same session. */
static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GSettings *settings = capa_application_get_settings (app);
  g_autofree char *last = NULL;
  g_autoptr(CapaImage) first = NULL;
  g_autoptr(CapaImage) latest = NULL;
  CapaWindow *second;

  if (window == NULL)
    return;

  add_through_dialog (window, "127.0.0.1");
  g_assert_true (wait_until (has_network_tether, window));
  gtk_button_clicked (GTK_BUTTON (find (GTK_WINDOW (window), "capture_button")));
  g_assert_true (wait_until (has_one_image, window));
  g_assert_true (wait_until (has_selected_image, window));
  last = g_settings_get_string (settings, "last-camera-port");
  g_assert_cmpstr (last, ==, NET_PORT);
  close_window (window);
  fixture->window = NULL;

  /* The next start: the first window, as the application makes it, on
   * the session folder it remembers; auto-connect on, as by default. */
  g_settings_set_boolean (settings, "auto-connect", TRUE);
  second = capa_window_new (app);
  fixture->window = second;
  gtk_window_set_default_size (GTK_WINDOW (second), 1100, 720);
  gtk_widget_show (GTK_WIDGET (second));
  g_assert_cmpstr (capa_session_get_directory (capa_window_get_session (second)), ==,
                   fixture->dir);

  /* Connected by itself, the network camera alone: it was used last.
   * Connected while the window is being made, it has its settings page
   * all the same. */
  g_assert_true (wait_until (has_network_tether, second));
  g_assert_cmpuint (g_list_model_get_n_items (capa_window_get_tethers (second)), ==, 1);
  g_assert_true (wait_until (panel_shows_camera, second));
  g_assert_true (wait_until (has_one_image, second));
  first = g_list_model_get_item (G_LIST_MODEL (capa_window_get_session (second)), 0);

  /* And it shoots: a second picture beside the first. */
  gtk_button_clicked (GTK_BUTTON (find (GTK_WINDOW (second), "capture_button")));
  g_assert_true (wait_until (has_two_images, second));
  latest = g_list_model_get_item (G_LIST_MODEL (capa_window_get_session (second)), 1);
  g_assert_true (g_file_test (capa_image_get_filename (first), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (capa_image_get_filename (latest), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (capa_image_get_filename (first), !=, capa_image_get_filename (latest));
  g_assert_true (wait_until (selects_second_image, second));
  g_assert_false (message_shown (second));
  screenshot (GTK_WIDGET (second), "network-restart");
}

/* `capa --camera ptpip:127.0.0.1`: the window's connect-camera action,
 * which a running instance is also sent, adds the network camera and
 * connects it, without remembering it. */
static void
test_command_line (Fixture       *fixture,
                   gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GSettings *settings = capa_application_get_settings (app);
  g_autoptr(GVariant) remembered = NULL;

  if (window == NULL)
    return;

  g_action_group_activate_action (G_ACTION_GROUP (window), "connect-camera",
                                  g_variant_new_string (NET_PORT));
  g_assert_true (wait_until (has_network_tether, window));
  g_assert_true (list_has_network_camera (window));
  remembered = g_settings_get_value (settings, "network-cameras");
  g_assert_cmpuint (g_variant_n_children (remembered), ==, 0);
  g_assert_false (message_shown (window));
}

/* Connects the network camera (makes it the active one), then unplugs it:
 * the next capture finds it gone, and the window says it tries again.
 * With @refuse, the next connections fail until CAPA_TEST_CAMERA_FAULTS
 * is emptied. */
static void
connect_and_lose (CapaWindow *window,
                  gboolean    refuse)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "connect-camera",
                                  g_variant_new_string (NET_PORT));
  g_assert_true (wait_until (has_network_tether, window));
  capa_test_camera_set_faults (tether_camera (window), "unplug");
  if (refuse)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", "claimed", TRUE);
  gtk_button_clicked (GTK_BUTTON (find (GTK_WINDOW (window), "capture_button")));
  g_assert_true (wait_until (retry_said, window));
}

/* A camera that stops answering is reported, tried again after a growing
 * delay while it still does not answer, and connected again once it
 * does. */
static void
test_lost (Fixture       *fixture,
           gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  const char *detail;

  if (window == NULL)
    return;

  /* Gone; and refusing the next connections until told otherwise. */
  connect_and_lose (window, TRUE);
  g_assert_true (has_no_tether (window));
  detail = gtk_label_get_text (GTK_LABEL (find (GTK_WINDOW (window), "message_detail")));
  g_test_message ("message: %s", detail);
  g_assert_nonnull (strstr (detail, NET_PORT));
  g_assert_nonnull (strstr (detail, "tries again"));
  screenshot (GTK_WIDGET (window), "network-lost");

  /* The first attempt failed: the next one waits longer. */
  g_assert_true (wait_until (retried_once, window));
  g_assert_true (has_no_tether (window));

  /* Back (an empty list clears the faults at the next init): connected
   * again, the message gone. */
  g_setenv ("CAPA_TEST_CAMERA_FAULTS", "", TRUE);
  g_assert_true (wait_until (has_network_tether, window));
  g_assert_true (wait_until (message_hidden, window));
  g_assert_nonnull (strstr (button_status (window), "Connected again"));
}

/* Disconnecting stops the attempts. */
static void
test_lost_stopped (Fixture       *fixture,
                   gconstpointer  data)
{
  CapaWindow *window = fixture->window;

  if (window == NULL)
    return;

  connect_and_lose (window, TRUE);

  g_action_group_activate_action (G_ACTION_GROUP (window), "disconnect-camera", NULL);
  g_assert_false (message_shown (window));
  g_setenv ("CAPA_TEST_CAMERA_FAULTS", "", TRUE);
  /* Longer than the first delay: no attempt comes. */
  capa_test_spin (3500);
  g_assert_true (has_no_tether (window));
}

static gboolean
has_tether_on (CapaWindow *window,
               const char *port)
{
  GListModel *tethers = capa_window_get_tethers (window);

  for (guint i = 0; i < g_list_model_get_n_items (tethers); i++)
    {
      g_autoptr(CapaTether) tether = g_list_model_get_item (tethers, i);

      if (g_str_equal (capa_camera_get_port (capa_tether_get_camera (tether)), port))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_demo_tether (CapaWindow *window)
{
  return active_on (window, CAPA_DEMO_CAMERA_PORT);
}

static gboolean
has_both_tethers (CapaWindow *window)
{
  return has_tether_on (window, NET_PORT) && has_tether_on (window, CAPA_DEMO_CAMERA_PORT);
}

/* Another camera connected while a lost one is tried again changes
 * nothing to the attempts: the lost camera comes back beside it, and the
 * camera in use stays the active one. */
static void
test_lost_other_connected (Fixture       *fixture,
                           gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GSettings *settings = capa_application_get_settings (app);

  if (window == NULL)
    return;

  connect_and_lose (window, TRUE);

  /* The demo camera, connected meanwhile, is the one in use. */
  g_settings_set_boolean (settings, "demo-camera", TRUE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "connect-camera",
                                  g_variant_new_string (CAPA_DEMO_CAMERA_PORT));
  g_assert_true (wait_until (has_demo_tether, window));

  /* Still tried: the next attempt fails and says so. */
  g_assert_true (wait_until (retried_once, window));
  g_assert_true (retry_said (window));
  g_assert_false (has_tether_on (window, NET_PORT));

  /* Back: beside the demo camera, which stays the active one. */
  g_setenv ("CAPA_TEST_CAMERA_FAULTS", "", TRUE);
  g_assert_true (wait_until (has_both_tethers, window));
  g_assert_true (has_demo_tether (window));
  g_assert_true (wait_until (message_hidden, window));
  g_assert_nonnull (strstr (button_status (window), "Connected again"));

  /* Lost again, while the demo camera is connected: Stop Trying, from
   * the info bar, stops the attempts at that camera alone. */
  connect_and_lose (window, TRUE);
  g_assert_true (has_demo_tether (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop-network-retry",
                                  g_variant_new ("(ss)", NET_PORT, ""));
  g_assert_false (message_shown (window));
  g_setenv ("CAPA_TEST_CAMERA_FAULTS", "", TRUE);
  /* Longer than the first delay: no attempt comes. */
  capa_test_spin (3500);
  g_assert_false (has_tether_on (window, NET_PORT));
  g_assert_true (has_demo_tether (window));
}

static gboolean
check_run_window_cb (gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  static guint polls;

  /* Connected within WAIT_MS, polled every 100 ms. */
  if ((!CAPA_IS_WINDOW (window) || !has_network_tether (CAPA_WINDOW (window)))
      && ++polls < WAIT_MS / 100)
    return G_SOURCE_CONTINUE;

  g_assert_true (CAPA_IS_WINDOW (window));
  g_assert_true (has_network_tether (CAPA_WINDOW (window)));
  g_assert_cmpstr (capa_application_get_camera_port (app), ==, NET_PORT);
  *(gboolean *) user_data = TRUE;

  close_window (CAPA_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

/* The real command line, `capa --session DIR --camera ptpip:127.0.0.1`,
 * through the application's main loop: the last test of the file. */
static void
test_command_line_run (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *session_arg = NULL;
  char *argv[] = { (char *) "capa", NULL, (char *) "--camera=" NET_PORT, NULL };
  gboolean checked = FALSE;
  int status;

  if (!capa_test_camera_usable (have_camera))
    return;

  capa_test_camera_reset ();
  g_settings_set_boolean (capa_application_get_settings (app), "auto-connect", FALSE);
  dir = capa_test_make_tmpdir ("window-network-run");
  session_arg = g_strconcat ("--session=", dir, NULL);
  argv[1] = session_arg;

  g_timeout_add (100, check_run_window_cb, &checked);
  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (checked);

  capa_test_rmtree (dir);
}

/* Forgetting the camera stops the attempts too, and takes it off the
 * list. */
static void
test_lost_forgotten (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaWindow *window = fixture->window;

  if (window == NULL)
    return;

  connect_and_lose (window, FALSE);

  g_action_group_activate_action (G_ACTION_GROUP (window), "forget-network-camera",
                                  g_variant_new ("(ss)", NET_PORT, ""));
  g_assert_false (message_shown (window));
  g_assert_false (list_has_network_camera (window));
  /* Longer than the first delay: no attempt comes. */
  capa_test_spin (3500);
  g_assert_true (has_no_tether (window));
  g_assert_false (list_has_network_camera (window));
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

#define ADD(path, func) \
  g_test_add ("/Capa/WindowNetwork/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("dialog", test_dialog);
  ADD ("restart", test_restart);
  ADD ("command-line", test_command_line);
  ADD ("lost", test_lost);
  ADD ("lost-stopped", test_lost_stopped);
  ADD ("lost-forgotten", test_lost_forgotten);
  ADD ("lost-other-connected", test_lost_other_connected);
#undef ADD
  g_test_add_func ("/Capa/WindowNetwork/command-line-run", test_command_line_run);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
