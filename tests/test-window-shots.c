/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Shots as real cameras make them, in the window (issue 10): a RAW + JPEG
 * shot captured with the Capture button is one item of the film strip and
 * is shown as its JPEG, the view never decoding the RAW on the way; a
 * shot of a RAW alone shows the RAW; a camera busy for a moment after a
 * shot takes the next one all the same, and one busy for longer than the
 * `busy-timeout` setting is reported in the info bar.  Uses Capa's test
 * camera driver (tests/camlib) under Xvfb (tests/harness/with-display.sh);
 * a screenshot of the pair goes to screenshots/. */

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "capa-film-strip-private.h"
#include "capa-image-view-private.h"
#include "capa-session-private.h"
#include "capa-test-utils.h"

static CapaApplication *app;
static gboolean have_camera;

#define screenshot(widget, name) capa_test_save_screenshot (GTK_WIDGET (widget), (name))
#define wait_until(check, window) capa_test_wait_for_window ((check), (window), WAIT_MS)
#define WAIT_MS 30000

#define IMAGE_QUALITY "/main/imgsettings/imagequality"

typedef struct
{
  char       *dir;
  char       *camera_dir;   /* CAPA_TEST_CAMERA_DIR, when the test sets one */
  CapaWindow *window;

  /* what the image view was given, and painted */
  GPtrArray  *viewed;       /* of CapaImage, every image the view was set to */
  CapaImage  *painted;      /* the view's image when it last painted a step */
  int         painted_quality;
} Fixture;

static GtkWidget *
find (CapaWindow *window,
      const char *id)
{
  return capa_test_find_widget (GTK_WINDOW (window), id);
}

static CapaImageView *
image_view (CapaWindow *window)
{
  return CAPA_IMAGE_VIEW (capa_test_window_part (window, "image_view_slot"));
}

static CapaFilmStrip *
film_strip (CapaWindow *window)
{
  return CAPA_FILM_STRIP (capa_test_window_part (window, "film_strip_slot"));
}

static CapaCamera *
window_camera (CapaWindow *window)
{
  return capa_tether_get_camera (capa_window_get_tether (window));
}

static gboolean
has_tether (CapaWindow *window)
{
  return capa_window_get_tether (window) != NULL;
}

/* Connected, and the session folder read: a shot from now on is the
 * only thing that selects an image. */
static gboolean
ready (CapaWindow *window)
{
  return has_tether (window) && capa_session_get_loaded (capa_window_get_session (window));
}

static guint
n_session_images (CapaWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (capa_window_get_session (window)));
}

static gboolean
message_shown (CapaWindow *window)
{
  return gtk_info_bar_get_revealed (GTK_INFO_BAR (find (window, "message_bar")));
}

static const char *
label_text (CapaWindow *window,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (find (window, id)));
}

static gboolean
has_suffix (CapaImage  *image,
            const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (capa_image_get_filename (image), -1);

  return g_str_has_suffix (lower, suffix);
}

static char *
dup_stem (CapaImage *image)
{
  g_autofree char *name = g_path_get_basename (capa_image_get_filename (image));
  const char *dot = strrchr (name, '.');

  return g_strndup (name, dot != NULL ? (gsize) (dot - name) : strlen (name));
}

static void
on_view_image_cb (CapaImageView *view,
                  GParamSpec    *pspec,
                  Fixture       *fixture)
{
  CapaImage *image = capa_image_view_get_image (view);

  if (image != NULL)
    g_ptr_array_add (fixture->viewed, g_object_ref (image));
}

static void
on_view_painted_cb (CapaImageView        *view,
                    CapaImageViewQuality  quality,
                    Fixture              *fixture)
{
  fixture->painted = capa_image_view_get_image (view);
  fixture->painted_quality = quality;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CapaSession) session = NULL;

  if (!capa_test_camera_usable (have_camera))
    return;

  capa_test_camera_reset ();
  fixture->dir = capa_test_make_tmpdir ("window-shots");
  fixture->viewed = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->painted_quality = -1;
  session = capa_session_new (fixture->dir);
  fixture->window = capa_window_new (app);
  capa_window_set_session (fixture->window, session);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_widget_show (GTK_WIDGET (fixture->window));

  g_signal_connect (image_view (fixture->window), "notify::image",
                    G_CALLBACK (on_view_image_cb), fixture);
  g_signal_connect (image_view (fixture->window), "painted",
                    G_CALLBACK (on_view_painted_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  CapaCamera *camera = NULL;
  gint64 end;

  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  g_unsetenv ("CAPA_TEST_CAMERA_DIR");
  g_settings_reset (capa_application_get_settings (app), "busy-timeout");
  if (fixture->window == NULL)
    return;

  g_signal_handlers_disconnect_by_data (image_view (fixture->window), fixture);
  /* The window closes its camera on the camera's thread: wait for the
   * camera to go before the next test opens it again. */
  if (capa_window_get_tether (fixture->window) != NULL)
    {
      camera = window_camera (fixture->window);
      g_object_add_weak_pointer (G_OBJECT (camera), (gpointer *) &camera);
    }
  gtk_widget_destroy (GTK_WIDGET (fixture->window));
  end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (camera != NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_null (camera);

  g_clear_pointer (&fixture->viewed, g_ptr_array_unref);
  capa_test_rmtree (fixture->dir);
  g_free (fixture->dir);
  if (fixture->camera_dir != NULL)
    capa_test_rmtree (fixture->camera_dir);
  g_free (fixture->camera_dir);
}

/* The fixture of the test running, for the wait conditions. */
static Fixture *current;

static gboolean
has_two_images (CapaWindow *window)
{
  return n_session_images (window) == 2;
}

/* The view painted the selected image, at screen quality. */
static gboolean
selected_painted (CapaWindow *window)
{
  CapaImage *image = capa_window_get_selected_image (window);

  return image != NULL && current->painted == image
         && current->painted_quality >= CAPA_IMAGE_VIEW_QUALITY_SCREEN;
}

static gboolean
shows_jpeg (CapaWindow *window)
{
  CapaImage *image = capa_window_get_selected_image (window);

  return has_two_images (window) && image != NULL && has_suffix (image, ".jpg")
         && selected_painted (window);
}

/* A RAW + JPEG shot from the Capture button: both files in the session
 * under one name, one item in the film strip with its badge, and the JPEG
 * selected and painted, the view never given the RAW. */
static void
test_raw_jpeg (Fixture       *fixture,
               gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  CapaFilmStrip *strip;
  CapaImage *first, *second, *raw, *jpeg;
  CapaControl *quality;
  g_autofree char *raw_stem = NULL;
  g_autofree char *jpeg_stem = NULL;
  g_autofree char *badge = NULL;

  if (window == NULL)
    return;

  current = fixture;
  g_assert_true (wait_until (ready, window));
  quality = capa_test_camera_get_control (window_camera (window), IMAGE_QUALITY);
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (quality), "RAW + JPEG Fine");
  capa_test_camera_save_controls (window_camera (window));

  gtk_button_clicked (GTK_BUTTON (find (window, "capture_button")));
  g_assert_true (wait_until (shows_jpeg, window));
  /* The capture, and whatever it does after the JPEG, is over. */
  capa_test_spin (500);

  /* Both files, of one base name: the DNG the capture returned first. */
  first = _capa_session_peek_image (capa_window_get_session (window), 0);
  second = _capa_session_peek_image (capa_window_get_session (window), 1);
  raw = has_suffix (first, ".dng") ? first : second;
  jpeg = raw == first ? second : first;
  g_assert_true (has_suffix (raw, ".dng"));
  g_assert_true (has_suffix (jpeg, ".jpg"));
  raw_stem = dup_stem (raw);
  jpeg_stem = dup_stem (jpeg);
  g_assert_cmpstr (raw_stem, ==, jpeg_stem);
  g_assert_true (g_file_test (capa_image_get_filename (raw), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (capa_image_get_filename (jpeg), G_FILE_TEST_IS_REGULAR));

  /* The JPEG selected and shown, at its size (the DNG's preview is
   * 240×160); the RAW was never given to the view. */
  g_assert_true (capa_window_get_selected_image (window) == jpeg);
  g_assert_true (capa_image_view_get_image (image_view (window)) == jpeg);
  g_assert_cmpint (image_view (window)->natural_width, ==, 960);
  g_assert_cmpint (image_view (window)->natural_height, ==, 640);
  g_assert_false (g_ptr_array_find (fixture->viewed, raw, NULL));
  g_assert_cmpuint (fixture->viewed->len, ==, 1);

  /* One item in the strip, the JPEG, with the badge of the pair. */
  strip = film_strip (window);
  g_assert_cmpuint (_capa_film_strip_get_n_items (strip), ==, 1);
  g_assert_true (capa_film_strip_get_selected_image (strip) == jpeg);
  badge = _capa_film_strip_pairs_dup_badge (strip->pairs, jpeg);
  g_assert_cmpstr (badge, ==, "RAW + JPEG");

  /* One shot, in the header bar too. */
  g_assert_cmpstr (gtk_header_bar_get_subtitle (GTK_HEADER_BAR (gtk_window_get_titlebar (
                                                  GTK_WINDOW (window)))), ==, "1 shot");
  g_assert_false (message_shown (window));
  screenshot (window, "window-raw-jpeg");

  /* The RAW told last (a body that sends the JPEG first), or chosen by a
   * plugin, selects the JPEG all the same, as the strip does. */
  g_signal_emit_by_name (capa_window_get_tether (window), "image-saved", raw);
  g_assert_true (capa_window_get_selected_image (window) == jpeg);
  capa_window_set_selected_image (window, raw);
  g_assert_true (capa_window_get_selected_image (window) == jpeg);
  g_assert_true (capa_film_strip_get_selected_image (strip) == jpeg);
  g_assert_false (g_ptr_array_find (fixture->viewed, raw, NULL));
}

static gboolean
has_one_image (CapaWindow *window)
{
  return n_session_images (window) == 1;
}

static gboolean
shows_raw (CapaWindow *window)
{
  CapaImage *image = capa_window_get_selected_image (window);

  return has_one_image (window) && image != NULL && has_suffix (image, ".dng")
         && current->painted == image;
}

/* A shot of a RAW file alone (a camera set to RAW): the RAW is selected
 * once the capture is over, and the view shows it (its preview). */
static void
test_raw_only (Fixture       *fixture,
               gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  CapaImage *raw;

  if (window == NULL)
    return;

  current = fixture;
  fixture->camera_dir = capa_test_make_tmpdir ("window-shots-camera");
  capa_test_copy_sample (fixture->camera_dir, "preview.dng", "raw.dng");
  g_setenv ("CAPA_TEST_CAMERA_DIR", fixture->camera_dir, TRUE);
  g_assert_true (wait_until (ready, window));

  gtk_button_clicked (GTK_BUTTON (find (window, "capture_button")));
  g_assert_true (wait_until (shows_raw, window));

  raw = _capa_session_peek_image (capa_window_get_session (window), 0);
  g_assert_true (capa_window_get_selected_image (window) == raw);
  g_assert_true (capa_image_view_get_image (image_view (window)) == raw);
  g_assert_cmpuint (_capa_film_strip_get_n_items (film_strip (window)), ==, 1);
  g_assert_true (capa_film_strip_get_selected_image (film_strip (window)) == raw);
  g_assert_false (message_shown (window));
}

static gboolean
busy_timeout_is_one (CapaWindow *window)
{
  return capa_camera_get_busy_timeout (window_camera (window)) == 1;
}

static gboolean
has_four_images (CapaWindow *window)
{
  return n_session_images (window) == 4;
}

static gboolean
capture_idle (CapaWindow *window)
{
  return g_str_equal (label_text (window, "capture_label"), "Capture");
}

/* A camera busy for a moment after each shot: the next shot, asked for
 * at once, waits for it and is taken, nothing said.  Busy for longer than
 * the `busy-timeout` setting: the info bar says the camera is busy. */
static void
test_busy (Fixture       *fixture,
           gconstpointer  data)
{
  CapaWindow *window = fixture->window;
  GSettings *settings = capa_application_get_settings (app);
  GtkWidget *button;
  gint64 start;

  if (window == NULL)
    return;

  g_assert_true (wait_until (ready, window));
  g_assert_cmpuint (capa_camera_get_busy_timeout (window_camera (window)), ==, 10);
  button = find (window, "capture_button");

  /* Busy 1.5 s after each shot, waited for up to 10 s: the second shot
   * comes once the camera is ready again. */
  capa_test_camera_set_faults (window_camera (window), "busy-for=1500");
  start = g_get_monotonic_time ();
  gtk_button_clicked (GTK_BUTTON (button));
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (wait_until (has_two_images, window));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1500 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (wait_until (capture_idle, window));
  g_assert_false (message_shown (window));

  /* Busy 5 s after each shot, waited for 1 s: the second shot fails. */
  g_settings_set_uint (settings, "busy-timeout", 1);
  g_assert_true (wait_until (busy_timeout_is_one, window));
  capa_test_spin (1600);
  capa_test_camera_set_faults (window_camera (window), "busy-for=5000");
  gtk_button_clicked (GTK_BUTTON (button));
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (wait_until (message_shown, window));
  g_test_message ("message: %s — %s", label_text (window, "message_title"),
                  label_text (window, "message_detail"));
  g_assert_cmpstr (label_text (window, "message_title"), ==, "The picture could not be taken");
  g_assert_nonnull (strstr (label_text (window, "message_detail"),
                            "the camera is busy and stayed so for 1 second"));
  g_assert_cmpuint (n_session_images (window), ==, 3);
  g_assert_false (has_four_images (window));
  g_assert_true (wait_until (capture_idle, window));
  g_assert_true (has_tether (window));
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
  g_test_add ("/Capa/WindowShots/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("raw-jpeg", test_raw_jpeg);
  ADD ("raw-only", test_raw_only);
  ADD ("busy", test_busy);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
