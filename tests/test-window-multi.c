/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Several cameras in one window (issue 10, item 5): two test cameras
 * (tests/camlib, capa_test_use_test_cameras ()) connected at once from
 * the camera popover, each row marked and with its own Disconnect
 * button, a settings page each with a switcher, the active camera
 * followed by `tether`; one disconnected, the other still captures;
 * capture on all cameras, queued, and with one camera failing.
 * Screenshots go to screenshots/ in the build's tests folder.  Under Xvfb
 * (tests/harness/with-display.sh). */

#include "config.h"

#include <gtk/gtk.h>

#include "capa-test-utils.h"

#define screenshot(widget, name) capa_test_save_screenshot (GTK_WIDGET (widget), (name))
#define wait_until(check, window) capa_test_wait_for_window ((check), (window), WAIT_MS)
#define WAIT_MS 30000
#define SECOND_PORT "usb:001,002"

static CapaApplication *app;
static gboolean have_cameras;

typedef struct
{
  char       *dir;
  CapaWindow *window;
} Fixture;

static GtkWidget *
find (CapaWindow *window,
      const char *id)
{
  return capa_test_find_widget (GTK_WINDOW (window), id);
}

static guint
n_tethers (CapaWindow *window)
{
  return g_list_model_get_n_items (capa_window_get_tethers (window));
}

static gboolean
has_tether (CapaWindow *window)
{
  return capa_window_get_tether (window) != NULL;
}

static gboolean
two_tethers (CapaWindow *window)
{
  return n_tethers (window) == 2 && has_tether (window);
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

static const char *
active_port (CapaWindow *window)
{
  return capa_camera_get_port (capa_tether_get_camera (capa_window_get_tether (window)));
}

static gboolean
message_shown (CapaWindow *window)
{
  return gtk_info_bar_get_revealed (GTK_INFO_BAR (find (window, "message_bar")));
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* The popover's row of the camera on @port. */
static GtkWidget *
camera_row (CapaWindow *window,
            const char *port)
{
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (find (window, "listbox")));
  g_autofree char *name = g_strdup_printf ("Capa Test Camera on %s", port);

  for (const GList *l = rows; l != NULL; l = l->next)
    if (g_strcmp0 (atk_object_get_name (gtk_widget_get_accessible (l->data)), name) == 0)
      return l->data;

  return NULL;
}

typedef struct
{
  const char *name;
  GtkWidget  *found;
} Named;

static void
find_named_cb (GtkWidget *widget,
               gpointer   data)
{
  Named *named = data;

  if (named->found != NULL)
    return;
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (atk_object_get_name (gtk_widget_get_accessible (widget)), named->name) == 0)
    named->found = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_named_cb, data);
}

/* The button named @name (its accessible name) in @widget. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *name)
{
  Named named = { name, NULL };

  find_named_cb (widget, &named);
  return named.found;
}

static GtkWidget *
row_check (GtkWidget *row)
{
  GtkWidget *box = gtk_bin_get_child (GTK_BIN (row));
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (box));

  /* icon, labels, check mark, Disconnect */
  return g_list_nth_data (children, 2);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  (*(guint *) data)++;
}

/* Each camera as it was plugged in: an empty card, no faults. */
static void
reset_camera (const char *port)
{
  g_autoptr(CapaCamera) camera = capa_camera_new (CAPA_TEST_CAMERA_MODEL, port);
  CapaControl *reset;

  capa_test_camera_open (camera);
  reset = capa_test_camera_get_control (camera, "/main/testing/reset");
  capa_control_button_press (CAPA_CONTROL_BUTTON (reset));
  capa_test_camera_save_controls (camera);
  capa_test_camera_close (camera);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CapaSession) session = NULL;

  if (!capa_test_camera_usable (have_cameras))
    return;

  reset_camera (CAPA_TEST_CAMERA_PORT);
  reset_camera (SECOND_PORT);

  fixture->dir = capa_test_make_tmpdir ("window-multi");
  session = capa_session_new (fixture->dir);
  fixture->window = capa_window_new (app);
  capa_window_set_session (fixture->window, session);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_widget_show (GTK_WIDGET (fixture->window));
}

static void
on_weak_notify_cb (gpointer  data,
                   GObject  *where)
{
  guint *alive = data;

  (*alive)--;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *tethers;
  guint alive = 0;
  gint64 end;

  if (fixture->window == NULL)
    return;

  /* The window closes its cameras on their threads: wait for them to go
   * before the next test opens them again. */
  tethers = capa_window_get_tethers (fixture->window);
  for (guint i = 0; i < g_list_model_get_n_items (tethers); i++)
    {
      g_autoptr(CapaTether) tether = g_list_model_get_item (tethers, i);

      g_object_weak_ref (G_OBJECT (capa_tether_get_camera (tether)), on_weak_notify_cb, &alive);
      alive++;
    }
  gtk_widget_destroy (GTK_WIDGET (fixture->window));
  end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (alive > 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_cmpuint (alive, ==, 0);

  capa_test_rmtree (fixture->dir);
  g_free (fixture->dir);
}

/* Auto-connect connects the first camera only; the second's row connects
 * it in addition. */
static void
connect_both (CapaWindow *window)
{
  GtkWidget *row;

  g_assert_true (wait_until (has_tether, window));
  capa_test_spin (500);
  g_assert_cmpuint (n_tethers (window), ==, 1);
  g_assert_cmpstr (active_port (window), ==, CAPA_TEST_CAMERA_PORT);

  row = camera_row (window, SECOND_PORT);
  g_assert_nonnull (row);
  g_signal_emit_by_name (find (window, "listbox"), "row-activated", row);
  g_assert_true (wait_until (two_tethers, window));
  capa_test_spin (200);
}

/* Two cameras connected: both rows marked with a Disconnect button each,
 * "2 Cameras" on the button, a settings page each with the switcher; the
 * camera connected last is the active one, and choosing the other page
 * makes that one active. */
/* A child property of @container's @child, as a string. */
static const char *
page_child_string (GtkWidget  *container,
                   GtkWidget  *child,
                   const char *name)
{
  static char *value;

  g_clear_pointer (&value, g_free);
  gtk_container_child_get (GTK_CONTAINER (container), child, name, &value, NULL);
  return value;
}

static void
test_two_connected (Fixture       *fixture,
                    gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  const char *ports[] = { CAPA_TEST_CAMERA_PORT, SECOND_PORT };
  g_autoptr(GList) pages = NULL;
  GtkWidget *button, *stack, *label;
  CapaCamera *first_camera = NULL;
  guint notified = 0;

  if (window == NULL)
    return;

  connect_both (window);
  g_assert_cmpstr (active_port (window), ==, SECOND_PORT);

  /* Two of one model: the second's file names tell it apart (%c). */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CapaTether) tether = g_list_model_get_item (capa_window_get_tethers (window), i);

      g_assert_cmpstr (capa_tether_get_camera_tag (tether), ==,
                       i == 0 ? "Capa-Test-Camera" : "Capa-Test-Camera-2");
    }

  button = find (window, "camera_button");
  label = capa_test_find_in (button, "label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "2 Cameras");
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      GtkWidget *row = camera_row (window, ports[i]);
      GtkWidget *disconnect = find_button (row, "Disconnect Capa Test Camera");

      g_assert_true (gtk_widget_get_visible (row_check (row)));
      g_assert_nonnull (disconnect);
      g_assert_true (gtk_widget_get_visible (disconnect));
    }

  /* A settings page each, the active camera's shown, the switcher too. */
  stack = find (window, "settings_stack");
  pages = gtk_container_get_children (GTK_CONTAINER (stack));
  g_assert_cmpuint (g_list_length (pages), ==, 2);
  g_assert_true (gtk_widget_get_visible (find (window, "settings_switcher")));
  for (const GList *l = pages; l != NULL; l = l->next)
    {
      CapaCamera *camera = capa_settings_panel_get_camera (l->data);

      g_assert_nonnull (camera);
      if (g_str_equal (capa_camera_get_port (camera), CAPA_TEST_CAMERA_PORT))
        first_camera = camera;
    }
  g_assert_nonnull (first_camera);
  g_assert_true (capa_settings_panel_get_camera (CAPA_SETTINGS_PANEL (
                   gtk_stack_get_visible_child (GTK_STACK (stack))))
                 == capa_tether_get_camera (capa_window_get_tether (window)));
  screenshot (window, "two-cameras");

  gtk_popover_popup (GTK_POPOVER (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))));
  screenshot (window, "two-cameras-popover");
  gtk_popover_popdown (GTK_POPOVER (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))));

  /* The other page: its camera becomes the window's tether. */
  g_signal_connect (window, "notify::tether", G_CALLBACK (on_notify_cb), &notified);
  for (const GList *l = pages; l != NULL; l = l->next)
    if (capa_settings_panel_get_camera (l->data) == first_camera)
      gtk_stack_set_visible_child (GTK_STACK (stack), l->data);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (active_port (window), ==, CAPA_TEST_CAMERA_PORT);
  g_assert_cmpuint (n_tethers (window), ==, 2);

  /* A plugin setting the other camera's tether makes it the active one. */
  {
    g_autoptr(CapaTether) second = g_list_model_get_item (capa_window_get_tethers (window), 1);

    capa_window_set_tether (window, second);
    g_assert_cmpuint (notified, ==, 2);
    g_assert_true (capa_window_get_tether (window) == second);
    g_assert_true (capa_settings_panel_get_camera (CAPA_SETTINGS_PANEL (
                     gtk_stack_get_visible_child (GTK_STACK (stack))))
                   == capa_tether_get_camera (second));
    g_assert_cmpstr (active_port (window), ==, SECOND_PORT);
  }
  g_signal_handlers_disconnect_by_data (window, &notified);
  g_assert_false (message_shown (window));

  /* A window per camera: each page's "All Settings" opens its camera's,
   * named as its page ("Capa Test Camera", "Capa Test Camera 2"). */
  {
    g_autoptr(GPtrArray) dialogs = g_ptr_array_new ();
    g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);

    for (const GList *l = pages; l != NULL; l = l->next)
      {
        GtkWidget *all = capa_test_find_in (l->data, "all_button");
        const char *page_title = capa_settings_panel_get_camera_title (l->data);
        g_autoptr(GList) toplevels = NULL;

        g_assert_nonnull (page_title);
        g_assert_cmpstr (page_title, ==, page_child_string (stack, l->data, "title"));
        gtk_button_clicked (GTK_BUTTON (all));
        toplevels = gtk_window_list_toplevels ();
        for (const GList *t = toplevels; t != NULL; t = t->next)
          if (CAPA_IS_CONTROLS_DIALOG (t->data) &&
              capa_controls_dialog_get_camera (t->data) == capa_settings_panel_get_camera (l->data))
            {
              g_ptr_array_add (dialogs, t->data);
              g_ptr_array_add (titles, g_strdup_printf ("All Settings — %s", page_title));
            }
      }
    g_assert_cmpuint (dialogs->len, ==, 2);
    g_assert_true (dialogs->pdata[0] != dialogs->pdata[1]);
    g_assert_cmpstr (titles->pdata[0], !=, titles->pdata[1]);
    for (guint i = 0; i < dialogs->len; i++)
      {
        GtkWindow *dialog = g_ptr_array_index (dialogs, i);

        g_test_message ("All Settings window: %s", gtk_window_get_title (dialog));
        g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
        gtk_window_present (dialog);
        capa_test_spin (300);
        screenshot (dialog, i == 0 ? "two-cameras-all-settings-1" : "two-cameras-all-settings-2");
        g_assert_cmpstr (gtk_window_get_title (dialog), ==, g_ptr_array_index (titles, i));
        /* The header bar names the camera once. */
        {
          GtkHeaderBar *bar = GTK_HEADER_BAR (gtk_window_get_titlebar (dialog));

          g_assert_cmpstr (gtk_header_bar_get_title (bar), ==, g_ptr_array_index (titles, i));
          g_assert_null (gtk_header_bar_get_subtitle (bar));
        }
      }
    for (guint i = 0; i < dialogs->len; i++)
      gtk_widget_destroy (g_ptr_array_index (dialogs, i));
  }
}

/* One of two disconnected with its row's button: the other stays, and
 * Capture still takes its picture. */
static void
test_disconnect_one (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GtkWidget *row, *disconnect, *label;
  CapaImage *image;

  if (window == NULL)
    return;

  connect_both (window);
  row = camera_row (window, SECOND_PORT);
  disconnect = find_button (row, "Disconnect Capa Test Camera");
  g_assert_nonnull (disconnect);
  gtk_button_clicked (GTK_BUTTON (disconnect));

  g_assert_cmpuint (n_tethers (window), ==, 1);
  g_assert_cmpstr (active_port (window), ==, CAPA_TEST_CAMERA_PORT);
  g_assert_false (gtk_widget_get_visible (find (window, "settings_switcher")));
  capa_test_spin (500);
  label = capa_test_find_in (find (window, "camera_button"), "label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Capa Test Camera");
  g_assert_false (gtk_widget_get_visible (row_check (camera_row (window, SECOND_PORT))));
  g_assert_true (gtk_widget_get_visible (row_check (camera_row (window, CAPA_TEST_CAMERA_PORT))));

  gtk_button_clicked (GTK_BUTTON (find (window, "capture_button")));
  g_assert_true (wait_until (one_shot_in, window));
  image = g_list_model_get_item (G_LIST_MODEL (capa_window_get_session (window)), 0);
  g_assert_true (g_file_test (capa_image_get_filename (image), G_FILE_TEST_IS_REGULAR));
  g_object_unref (image);
  capa_test_spin (200);
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);
  g_assert_false (message_shown (window));
}

static gboolean
one_tether (CapaWindow *window)
{
  return n_tethers (window) == 1;
}

/* The first camera disconnected and connected again: its page title and
 * camera tag still differ from the second's. */
static void
test_reconnect_first (Fixture       *fixture,
                      gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  g_autoptr(GList) pages = NULL;
  g_autofree char *title0 = NULL;
  g_autofree char *title1 = NULL;
  GtkWidget *stack;

  if (window == NULL)
    return;

  connect_both (window);
  gtk_button_clicked (GTK_BUTTON (find_button (camera_row (window, CAPA_TEST_CAMERA_PORT),
                                               "Disconnect Capa Test Camera")));
  g_assert_true (wait_until (one_tether, window));
  g_assert_cmpstr (active_port (window), ==, SECOND_PORT);
  capa_test_spin (500);

  g_signal_emit_by_name (find (window, "listbox"), "row-activated",
                         camera_row (window, CAPA_TEST_CAMERA_PORT));
  g_assert_true (wait_until (two_tethers, window));
  g_assert_cmpstr (active_port (window), ==, CAPA_TEST_CAMERA_PORT);

  stack = find (window, "settings_stack");
  pages = gtk_container_get_children (GTK_CONTAINER (stack));
  g_assert_cmpuint (g_list_length (pages), ==, 2);
  gtk_container_child_get (GTK_CONTAINER (stack), pages->data, "title", &title0, NULL);
  gtk_container_child_get (GTK_CONTAINER (stack), pages->next->data, "title", &title1, NULL);
  g_test_message ("pages: %s, %s", title0, title1);
  g_assert_cmpstr (title0, !=, title1);
  {
    g_autoptr(CapaTether) a = g_list_model_get_item (capa_window_get_tethers (window), 0);
    g_autoptr(CapaTether) b = g_list_model_get_item (capa_window_get_tethers (window), 1);

    g_assert_cmpstr (capa_tether_get_camera_tag (a), !=, capa_tether_get_camera_tag (b));
  }
  g_assert_false (message_shown (window));
}

static gboolean
two_shots_in (CapaWindow *window)
{
  return n_shots (window) == 2;
}

static gboolean
three_shots_in (CapaWindow *window)
{
  return n_shots (window) == 3;
}

static gboolean
four_shots_in (CapaWindow *window)
{
  return n_shots (window) == 4;
}

static gboolean
notification_shown (CapaWindow *window)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (find (window, "notification_revealer")));
}

static gboolean
notification_hidden (CapaWindow *window)
{
  return !notification_shown (window);
}

static gboolean
says_capture (CapaWindow *window)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (find (window, "capture_label"))),
                    "Capture") == 0;
}

/* The session's pictures: distinct files, each there. */
static void
assert_distinct_files (CapaWindow *window,
                       guint       n)
{
  GListModel *session = G_LIST_MODEL (capa_window_get_session (window));
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (session), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (session, i);
      const char *filename = capa_image_get_filename (image);

      g_test_message ("picture %u: %s", i, filename);
      g_assert_true (g_file_test (filename, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_hash_table_add (names, g_strdup (filename)));
    }
}

/* Capture on all cameras: enabled with two, in the menu beside Capture;
 * a picture from each camera in the session and the film strip, the
 * newest selected, the spread told by a notification that hides by
 * itself; app.capture-all does the same. */
static void
test_capture_all (Fixture       *fixture,
                  gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  const char *text;
  CapaImage *selected;
  gboolean found = FALSE;

  if (window == NULL)
    return;

  g_assert_true (wait_until (has_tether, window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "capture-all"));
  g_assert_false (gtk_widget_get_visible (find (window, "capture_menu_button")));

  connect_both (window);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "capture-all"));
  g_assert_true (gtk_widget_get_visible (find (window, "capture_menu_button")));
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (
                     find (window, "capture_menu_button"))), ==, "More Capture Options");
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "win.capture-all");

    g_assert_cmpstr (accels[0], ==, "<Primary><Shift>Return");
  }

  {
    GtkPopover *menu = gtk_menu_button_get_popover (GTK_MENU_BUTTON (
                                                      find (window, "capture_menu_button")));

    g_assert_nonnull (menu);
    gtk_popover_popup (menu);
    screenshot (window, "two-cameras-capture-menu");
    gtk_popover_popdown (menu);
  }

  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-all", NULL);
  g_assert_true (wait_until (two_shots_in, window));
  g_assert_true (wait_until (notification_shown, window));
  capa_test_spin (300);
  assert_distinct_files (window, 2);
  g_assert_cmpuint (count_files (fixture->dir), ==, 2);
  g_assert_false (message_shown (window));

  text = gtk_label_get_text (GTK_LABEL (find (window, "notification_label")));
  g_test_message ("notification: %s", text);
  g_assert_true (g_str_has_prefix (text, "Taken on 2 cameras, "));
  g_assert_true (g_str_has_suffix (text, " ms apart"));

  /* The newest is selected, and the film strip has both. */
  selected = capa_window_get_selected_image (window);
  g_assert_nonnull (selected);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (
        G_LIST_MODEL (capa_window_get_session (window)), i);

      found = found || image == selected;
    }
  g_assert_true (found);
  {
    CapaFilmStrip *strip = CAPA_FILM_STRIP (capa_test_window_part (window, "film_strip_slot"));

    g_assert_true (gtk_widget_get_visible (find (window, "film_strip_slot")));
    g_assert_true (capa_film_strip_get_session (strip) == capa_window_get_session (window));
    g_assert_true (capa_film_strip_get_selected_image (strip) == selected);
  }
  screenshot (window, "two-cameras-capture-all");

  /* It hides by itself. */
  g_assert_true (wait_until (notification_hidden, window));

  /* The application's action: `gapplication action ... capture-all`. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "capture-all", NULL);
  g_assert_true (wait_until (notification_shown, window));
  g_assert_true (wait_until (four_shots_in, window));
  capa_test_spin (300);
  g_test_message ("after app.capture-all: %u pictures", n_shots (window));
  g_assert_cmpuint (n_shots (window), ==, 4);
  assert_distinct_files (window, 4);
}

/* Capture on all while a shot is running: it waits its turn, counted on
 * the button, and nothing is lost. */
static void
test_capture_all_queued (Fixture       *fixture,
                         gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GtkLabel *label;

  if (window == NULL)
    return;

  connect_both (window);
  label = GTK_LABEL (find (window, "capture_label"));
  capa_test_camera_set_faults (capa_tether_get_camera (capa_window_get_tether (window)),
                               "slow=500");

  gtk_button_clicked (GTK_BUTTON (find (window, "capture_button")));
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-all", NULL);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Capture (1 queued)");

  g_assert_true (wait_until (three_shots_in, window));
  g_assert_true (wait_until (says_capture, window));
  capa_test_spin (300);
  assert_distinct_files (window, 3);
  g_assert_false (message_shown (window));
}

/* One camera fails: the info bar names it, the other's picture is kept. */
static void
test_capture_all_one_fails (Fixture       *fixture,
                            gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  const char *title;

  if (window == NULL)
    return;

  connect_both (window);
  /* The active camera is the second: its card is full. */
  g_assert_cmpstr (active_port (window), ==, SECOND_PORT);
  capa_test_camera_set_faults (capa_tether_get_camera (capa_window_get_tether (window)),
                               "card-full");

  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-all", NULL);
  g_assert_true (wait_until (one_shot_in, window));
  g_assert_true (wait_until (message_shown, window));
  capa_test_spin (500);
  assert_distinct_files (window, 1);
  title = gtk_label_get_text (GTK_LABEL (find (window, "message_title")));
  g_test_message ("message: %s", title);
  /* The second of one model, by its number. */
  g_assert_nonnull (strstr (title, "“Capa Test Camera 2”"));
  g_assert_nonnull (capa_window_get_selected_image (window));
  screenshot (window, "two-cameras-one-failed");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  capa_test_init (&argc, &argv);
  have_cameras = capa_test_use_test_cameras (NULL, 2);
  gtk_init (&argc, &argv);

  app = capa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/Capa/WindowMulti/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("two-connected", test_two_connected);
  ADD ("disconnect-one", test_disconnect_one);
  ADD ("reconnect-first", test_reconnect_first);
  ADD ("capture-all", test_capture_all);
  ADD ("capture-all-queued", test_capture_all_queued);
  ADD ("capture-all-one-fails", test_capture_all_one_fails);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
