/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaCamera and CapaTether against the test camera driver (tests/camlib):
 * each injected fault gives a clear GError, nothing crashes, no picture is
 * lost, and the camera works again once reopened; live view, every
 * control type, events and hostile file names. */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "capa-test-utils.h"

#define TC_MODEL  CAPA_TEST_CAMERA_MODEL
#define TC_PORT   CAPA_TEST_CAMERA_PORT
#define TC_FOLDER "/store_00010001/DCIM/100CAPA"

/* Short, for the many look-ups of controls below. */
#define get_control capa_test_camera_get_control

static gboolean have_camera;
static GThread *main_thread;

typedef struct
{
  CapaCamera  *camera;
  CapaSession *session;
  CapaTether  *tether;
  char        *directory;
  GPtrArray   *saved;         /* CapaImage */
  GPtrArray   *errors;        /* GError */
  GPtrArray   *frames;        /* CapaCameraFile */
  GPtrArray   *added;         /* CapaCameraFile */
  guint        disconnected;
  guint        controls_changed;
} Fixture;

static void
on_preview_frame_cb (CapaTether     *tether,
                     CapaCameraFile *frame,
                     Fixture        *fixture)
{
  g_assert_true (g_thread_self () == main_thread);
  g_ptr_array_add (fixture->frames, g_object_ref (frame));
}

static void
on_file_added_cb (CapaCamera     *camera,
                  CapaCameraFile *file,
                  Fixture        *fixture)
{
  g_ptr_array_add (fixture->added, g_object_ref (file));
}

static void
on_disconnected_cb (CapaCamera *camera,
                    Fixture    *fixture)
{
  g_assert_true (g_thread_self () == main_thread);
  fixture->disconnected++;
}

static void
on_controls_changed_cb (CapaCamera *camera,
                        Fixture    *fixture)
{
  fixture->controls_changed++;
}

#define EXPOSURE_COMPENSATION "/main/capturesettings/exposurecompensation"
#define AUTO_ISO "/main/capturesettings/autoiso"
#define ISO "/main/imgsettings/iso"
#define WHITE_BALANCE "/main/imgsettings/whitebalance"

static void
close_camera (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  /* Closing a camera that is gone is not an error worth failing on. */
  capa_camera_close (fixture->camera, NULL, &error);
  if (error != NULL)
    g_test_message ("close: %s", error->message);
  g_assert_false (capa_camera_get_connected (fixture->camera));
}

/* Each test gets the test camera in its initial state (empty card,
 * initial settings), then opened with @data as CAPA_TEST_CAMERA_FAULTS. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *faults = data;

  fixture->saved = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  fixture->frames = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->added = g_ptr_array_new_with_free_func (g_object_unref);
  if (!capa_test_camera_usable (have_camera))
    return;

  capa_test_camera_reset ();

  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);
  fixture->camera = capa_camera_new (TC_MODEL, TC_PORT);
  g_signal_connect (fixture->camera, "disconnected", G_CALLBACK (on_disconnected_cb), fixture);
  g_signal_connect (fixture->camera, "file-added", G_CALLBACK (on_file_added_cb), fixture);
  g_signal_connect (fixture->camera, "controls-changed", G_CALLBACK (on_controls_changed_cb),
                    fixture);
  capa_test_camera_open (fixture->camera);

  fixture->directory = capa_test_make_tmpdir ("camera-faults");
  fixture->session = capa_session_new (fixture->directory);
  fixture->tether = capa_tether_new (fixture->camera, fixture->session);
  capa_test_camera_collect_tether (fixture->tether, fixture->saved, fixture->errors);
  g_signal_connect (fixture->tether, "preview-frame", G_CALLBACK (on_preview_frame_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  g_clear_pointer (&fixture->saved, g_ptr_array_unref);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
  g_clear_pointer (&fixture->frames, g_ptr_array_unref);
  g_clear_pointer (&fixture->added, g_ptr_array_unref);
  if (fixture->tether == NULL)
    return;

  capa_tether_stop_monitoring (fixture->tether);
  capa_tether_stop_preview (fixture->tether);
  capa_test_assert_finalized (g_steal_pointer (&fixture->tether));
  if (capa_camera_get_connected (fixture->camera))
    close_camera (fixture);
  capa_test_assert_finalized (g_steal_pointer (&fixture->camera));
  capa_test_assert_finalized (g_steal_pointer (&fixture->session));
  capa_test_rmtree (fixture->directory);
  g_clear_pointer (&fixture->directory, g_free);
}

#define SKIP_IF_NO_CAMERA(fixture) \
  G_STMT_START { if ((fixture)->camera == NULL) return; } G_STMT_END

static guint
session_file_count (Fixture *fixture)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->directory, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

static GdkPixbuf *
decode (GBytes  *bytes,
        GError **error)
{
  /* By type: the tests' isolated XDG folders hide the MIME database that
   * format sniffing needs. */
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", error);

  if (loader == NULL)
    return NULL;
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
  if (!gdk_pixbuf_loader_close (loader, error))
    return NULL;
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static CapaImage *
tether_capture (Fixture  *fixture,
                GError  **error)
{
  return capa_test_camera_capture (fixture->tether, NULL, 60000, error);
}

/* ------------------------------------------------------------------ */

static void
test_detected (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(GError) error = NULL;
  CapaCamera *camera;

  SKIP_IF_NO_CAMERA (fixture);

  list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (list, FALSE);
  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  cameras = capa_camera_list_get_cameras (list);
  g_assert_cmpuint (cameras->len, ==, 1);
  camera = g_ptr_array_index (cameras, 0);
  g_assert_cmpstr (capa_camera_get_model (camera), ==, TC_MODEL);
  g_assert_cmpstr (capa_camera_get_port (camera), ==, TC_PORT);

  g_assert_true (capa_camera_get_has_capture (fixture->camera));
  g_assert_true (capa_camera_get_has_preview (fixture->camera));
  g_assert_true (capa_camera_get_has_settings (fixture->camera));
}

static void
test_capture_saved (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *dirname = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  dirname = g_path_get_dirname (capa_image_get_filename (image));
  g_assert_cmpstr (dirname, ==, fixture->directory);
  {
    g_autofree char *contents = NULL;
    gsize length = 0;
    g_autoptr(GBytes) bytes = NULL;

    g_assert_true (g_file_get_contents (capa_image_get_filename (image), &contents, &length, NULL));
    bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
    pixbuf = decode (bytes, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 960);
  g_assert_cmpuint (fixture->saved->len, ==, 1);
  /* Saved, so deleted from the card. */
  g_assert_false (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
}

static void
test_io_error (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* The first call of the driver after this one fails: an I/O error is a
   * lost camera. */
  capa_test_camera_set_faults (fixture->camera, "io-error-on-call=1");
  file = capa_camera_capture_image (fixture->camera, NULL, &error);
  g_assert_null (file);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  capa_test_spin (50);
  g_assert_cmpuint (fixture->disconnected, ==, 1);
  g_assert_false (capa_camera_get_connected (fixture->camera));

  /* A closed camera says so rather than crash. */
  g_assert_null (capa_camera_capture_image (fixture->camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* Reopened, it works. */
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  capa_test_camera_open (fixture->camera);
  file = capa_camera_capture_image (fixture->camera, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (capa_camera_file_get_name (file), ==, "CAPA0001.JPG");
}

static void
test_busy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* A busy camera is asked again for busy-timeout seconds: keep it short. */
  capa_camera_set_busy_timeout (fixture->camera, 1);
  image = tether_capture (fixture, &error);
  g_assert_null (image);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (capa_camera_get_connected (fixture->camera));
  g_assert_cmpuint (session_file_count (fixture), ==, 0);

  /* No longer busy: the same camera, still open, captures. */
  capa_test_camera_set_faults (fixture->camera, "");
  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (session_file_count (fixture), ==, 1);
}

static void
test_card_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  file = capa_camera_capture_image (fixture->camera, NULL, &error);
  g_assert_null (file);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NO_SPACE);
  g_assert_true (capa_camera_get_connected (fixture->camera));
}

static void
test_unplug_during_download (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  image = tether_capture (fixture, &error);
  g_assert_null (image);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "CAPA0001.JPG"));
  g_clear_error (&error);
  capa_test_spin (50);
  g_assert_cmpuint (fixture->disconnected, ==, 1);
  g_assert_false (capa_camera_get_connected (fixture->camera));
  /* The session holds no partial file. */
  g_assert_cmpuint (session_file_count (fixture), ==, 0);
  g_assert_cmpuint (fixture->saved->len, ==, 0);

  /* Plugged in again: the picture is still on the card, whole. */
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  capa_test_camera_open (fixture->camera);
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  file = capa_camera_file_new (TC_FOLDER, "CAPA0001.JPG");
  g_assert_true (capa_camera_download_file (fixture->camera, file, NULL, &error));
  g_assert_no_error (error);
  pixbuf = decode (capa_camera_file_get_data (file), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 960);

  /* And the tether works with it again. */
  g_clear_object (&image);
  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (session_file_count (fixture), ==, 1);
}

static void
test_unplug (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_false (capa_camera_load_controls (fixture->camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED);
  capa_test_spin (50);
  g_assert_cmpuint (fixture->disconnected, ==, 1);
  g_assert_false (capa_camera_get_connected (fixture->camera));
}

static void
test_truncated_data (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* The camera sends half of the picture and says all is well: Capa
   * notices, saves nothing and leaves the picture on the card. */
  image = tether_capture (fixture, &error);
  g_assert_null (image);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "stays on the camera"));
  g_assert_true (capa_camera_get_connected (fixture->camera));
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  g_assert_cmpuint (session_file_count (fixture), ==, 0);
  g_assert_cmpuint (fixture->saved->len, ==, 0);
}

static void
test_corrupt_data (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* Bytes that are not a JPEG arrive whole: the camera's data as it is. */
  file = capa_camera_capture_image (fixture->camera, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (capa_camera_download_file (fixture->camera, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (capa_camera_file_get_data (file)), ==,
                    capa_camera_file_get_size (file));
  pixbuf = decode (capa_camera_file_get_data (file), &error);
  g_assert_null (pixbuf);
  g_assert_nonnull (error);
}

static void
test_delete_fails (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* Saved: the capture succeeds, the failed delete is reported and the
   * picture stays on the card as well. */
  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_true (g_file_test (capa_image_get_filename (image), G_FILE_TEST_IS_REGULAR));
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  capa_test_spin (50);
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (fixture->errors, 0))->message,
                            "could not be deleted"));
}

static gboolean
is_sane_basename (const char *name)
{
  if (name[0] == '\0' || name[0] == '.' || strchr (name, '/') != NULL)
    return FALSE;
  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return strlen (name) <= 255;
}

static void
test_hostile_names (Fixture       *fixture,
                    gconstpointer  data)
{
  guint saved = 0;
  guint failed = 0;

  SKIP_IF_NO_CAMERA (fixture);

  /* The driver hands out eight hostile names in turn. */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(CapaImage) image = NULL;
      g_autoptr(GError) error = NULL;

      image = tether_capture (fixture, &error);
      if (image == NULL)
        {
          /* Only the empty name: libgphoto2 cannot download it. */
          g_test_message ("capture %u: %s", i, error->message);
          g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
          failed++;
        }
      else
        {
          const char *filename = capa_image_get_filename (image);
          g_autofree char *dirname = g_path_get_dirname (filename);
          g_autofree char *basename = g_path_get_basename (filename);

          g_test_message ("capture %u saved as %s", i, basename);
          g_assert_cmpstr (dirname, ==, fixture->directory);
          g_assert_true (is_sane_basename (basename));
          g_assert_true (g_file_test (filename, G_FILE_TEST_IS_REGULAR));
          saved++;
        }
    }

  g_assert_cmpuint (saved, ==, 7);
  g_assert_cmpuint (failed, ==, 1);
  g_assert_cmpuint (session_file_count (fixture), ==, 7);

  /* Nothing escaped the session folder: no ../../x.jpg, no a/b.jpg. */
  {
    g_autofree char *parent = g_path_get_dirname (fixture->directory);
    g_autofree char *grandparent = g_path_get_dirname (parent);
    g_autofree char *up2 = g_build_filename (grandparent, "x.jpg", NULL);
    g_autofree char *sub = g_build_filename (fixture->directory, "a", NULL);
    g_autoptr(GDir) dir = g_dir_open (fixture->directory, 0, NULL);
    const char *name;

    g_assert_false (g_file_test (up2, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (sub, G_FILE_TEST_EXISTS));
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (fixture->directory, name, NULL);

        g_assert_true (is_sane_basename (name));
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      }
  }
  /* The one that could not be fetched is still on the card. */
  g_assert_true (capa_test_camera_card_has (fixture->camera, ""));
}

static void
test_monitoring_events (Fixture       *fixture,
                        gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  capa_tether_start_monitoring (fixture->tether);
  capa_control_button_press (CAPA_CONTROL_BUTTON (get_control (fixture->camera,
                                                               "/main/actions/trigger")));
  capa_test_camera_save_controls (fixture->camera);
  for (guint i = 0; i < 600 && fixture->saved->len < 1; i++)
    capa_test_spin (50);
  g_assert_cmpuint (fixture->saved->len, ==, 1);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
  capa_tether_stop_monitoring (fixture->tether);
  g_assert_false (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
}

static void
test_no_events (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CapaControl *faults;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_false (capa_camera_process_events (fixture->camera, 10, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED);
  g_assert_true (capa_camera_get_connected (fixture->camera));

  /* Without events, the tether finds shots taken on the camera by
   * listing the card. */
  capa_tether_start_monitoring (fixture->tether);
  capa_test_spin (500);
  faults = get_control (fixture->camera, "/main/testing/faults");
  g_assert_cmpstr (capa_control_text_get_value (CAPA_CONTROL_TEXT (faults)),
                   ==, "no-events");
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (fixture->camera,
                                                               "/main/actions/simulate")),
                               "shot=2");
  capa_test_camera_save_controls (fixture->camera);
  for (guint i = 0; i < 600 && fixture->saved->len < 2; i++)
    capa_test_spin (50);
  g_assert_cmpuint (fixture->saved->len, ==, 2);
  g_assert_cmpuint (session_file_count (fixture), ==, 2);
}

static void
test_live_view (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CapaCameraFile) first = NULL;
  g_autoptr(CapaCameraFile) second = NULL;
  g_autoptr(GdkPixbuf) a = NULL;
  g_autoptr(GdkPixbuf) b = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  first = capa_camera_preview_image (fixture->camera, NULL, &error);
  g_assert_no_error (error);
  second = capa_camera_preview_image (fixture->camera, NULL, &error);
  g_assert_no_error (error);
  a = decode (capa_camera_file_get_data (first), &error);
  g_assert_no_error (error);
  b = decode (capa_camera_file_get_data (second), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (a), ==, 640);
  g_assert_cmpint (gdk_pixbuf_get_height (a), ==, 426);
  g_assert_cmpint (memcmp (gdk_pixbuf_get_pixels (a), gdk_pixbuf_get_pixels (b),
                           (gsize) gdk_pixbuf_get_rowstride (a) * 426), !=, 0);

  /* Through the tether: a stream of frames until stopped. */
  capa_tether_start_preview (fixture->tether);
  for (guint i = 0; i < 600 && fixture->frames->len < 5; i++)
    capa_test_spin (20);
  capa_tether_stop_preview (fixture->tether);
  g_assert_cmpuint (fixture->frames->len, >=, 5);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
  g_assert_false (g_bytes_equal (
    capa_camera_file_get_data (g_ptr_array_index (fixture->frames, 0)),
    capa_camera_file_get_data (g_ptr_array_index (fixture->frames, 1))));
}

static void
test_no_preview (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CapaCameraFile) frame = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  frame = capa_camera_preview_image (fixture->camera, NULL, &error);
  g_assert_null (frame);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED);

  capa_tether_start_preview (fixture->tether);
  for (guint i = 0; i < 200 && capa_tether_get_previewing (fixture->tether); i++)
    capa_test_spin (50);
  g_assert_false (capa_tether_get_previewing (fixture->tether));
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  g_assert_true (g_error_matches (g_ptr_array_index (fixture->errors, 0),
                                  CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED));
}

static void
on_cancel_timeout_cb (gpointer data)
{
  g_cancellable_cancel (data);
}

static void
test_slow_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  /* A capture that would take a minute, cancelled. */
  capa_camera_capture_image_async (fixture->camera, cancellable, capa_test_async_done_cb, &wait);
  g_timeout_add_once (100, on_cancel_timeout_cb, cancellable);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  file = capa_camera_capture_image_finish (fixture->camera, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_null (file);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (capa_camera_get_connected (fixture->camera));

  capa_test_camera_set_faults (fixture->camera, "");
  file = capa_camera_capture_image (fixture->camera, NULL, &error);
  g_assert_no_error (error);
}

static void
set_every_type (CapaCamera *camera)
{
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (camera, "/main/settings/ownername")),
                               "Grace Hopper");
  capa_control_range_set_value (CAPA_CONTROL_RANGE (get_control (camera, EXPOSURE_COMPENSATION)),
                                2.5);
  capa_control_toggle_set_value (CAPA_CONTROL_TOGGLE (get_control (camera, AUTO_ISO)), TRUE);
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (get_control (camera, ISO)), "3200");
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (get_control (camera, WHITE_BALANCE)),
                                 "Cloudy");
  capa_control_date_set_value (CAPA_CONTROL_DATE (get_control (camera, "/main/settings/datetime")),
                               1500000000);
  capa_test_camera_save_controls (camera);
}

static void
check_every_type (CapaCamera *camera)
{
  CapaControl *owner = get_control (camera, "/main/settings/ownername");
  CapaControl *exposure = get_control (camera, EXPOSURE_COMPENSATION);
  CapaControl *auto_iso = get_control (camera, "/main/capturesettings/autoiso");
  CapaControl *iso = get_control (camera, "/main/imgsettings/iso");
  CapaControl *white_balance = get_control (camera, "/main/imgsettings/whitebalance");
  CapaControl *datetime = get_control (camera, "/main/settings/datetime");

  g_assert_cmpstr (capa_control_text_get_value (CAPA_CONTROL_TEXT (owner)), ==, "Grace Hopper");
  g_assert_cmpfloat (capa_control_range_get_value (CAPA_CONTROL_RANGE (exposure)), ==, 2.5);
  g_assert_true (capa_control_toggle_get_value (CAPA_CONTROL_TOGGLE (auto_iso)));
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (iso)), ==, "3200");
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (white_balance)),
                   ==, "Cloudy");
  g_assert_cmpint (capa_control_date_get_value (CAPA_CONTROL_DATE (datetime)), ==, 1500000000);
}

static void
test_controls (Fixture       *fixture,
               gconstpointer  data)
{
  CapaControl *control;

  SKIP_IF_NO_CAMERA (fixture);

  /* Every type maps to its class. */
  g_assert_true (CAPA_IS_CONTROL_GROUP (get_control (fixture->camera, "/main/settings")));
  g_assert_true (CAPA_IS_CONTROL_TEXT (get_control (fixture->camera, "/main/settings/ownername")));
  g_assert_true (CAPA_IS_CONTROL_RANGE (get_control (fixture->camera, EXPOSURE_COMPENSATION)));
  g_assert_true (CAPA_IS_CONTROL_TOGGLE (get_control (fixture->camera,
                                                      "/main/capturesettings/autoiso")));
  control = get_control (fixture->camera, "/main/imgsettings/iso");
  g_assert_true (CAPA_IS_CONTROL_CHOICE (control));
  g_assert_false (capa_control_choice_get_is_menu (CAPA_CONTROL_CHOICE (control)));
  control = get_control (fixture->camera, "/main/imgsettings/whitebalance");
  g_assert_true (capa_control_choice_get_is_menu (CAPA_CONTROL_CHOICE (control)));
  g_assert_true (CAPA_IS_CONTROL_BUTTON (get_control (fixture->camera, "/main/actions/trigger")));
  g_assert_true (CAPA_IS_CONTROL_DATE (get_control (fixture->camera, "/main/settings/datetime")));
  control = get_control (fixture->camera, "/main/status/manufacturedate");
  g_assert_true (CAPA_IS_CONTROL_DATE (control));
  g_assert_true (capa_control_get_readonly (control));
  g_assert_true (capa_control_get_readonly (get_control (fixture->camera,
                                                         "/main/status/serialnumber")));

  set_every_type (fixture->camera);
  check_every_type (fixture->camera);

  /* Read back from the camera, then after closing and opening again. */
  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, NULL));
  check_every_type (fixture->camera);
  close_camera (fixture);
  capa_test_camera_open (fixture->camera);
  check_every_type (fixture->camera);
}

static void
test_control_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* The driver refuses an unknown fault: a clear error, the camera open. */
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (fixture->camera,
                                                               "/main/testing/faults")),
                               "no-such-fault");
  g_assert_false (capa_camera_save_controls (fixture->camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
  g_assert_true (capa_camera_get_connected (fixture->camera));
}

static void
test_property_event (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CapaControl *iso;

  SKIP_IF_NO_CAMERA (fixture);

  /* A dial turned on the camera: the control follows. */
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (fixture->camera,
                                                               "/main/actions/simulate")),
                               "change=iso:800,shot");
  capa_test_camera_save_controls (fixture->camera);
  fixture->controls_changed = 0;
  g_assert_true (capa_camera_process_events (fixture->camera, 200, NULL, &error));
  g_assert_no_error (error);
  capa_test_spin (50);
  g_assert_cmpuint (fixture->controls_changed, >=, 1);
  iso = get_control (fixture->camera, "/main/imgsettings/iso");
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (iso)), ==, "800");
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_cmpstr (capa_camera_file_get_name (g_ptr_array_index (fixture->added, 0)), ==,
                   "CAPA0001.JPG");
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  main_thread = g_thread_self ();
  have_camera = capa_test_use_test_camera (NULL);

#define ADD(path, faults, func) \
  g_test_add ("/Capa/CameraFaults/" path, Fixture, faults, fixture_set_up, func, fixture_tear_down)

  ADD ("detected", NULL, test_detected);
  ADD ("capture-saved", NULL, test_capture_saved);
  ADD ("io-error", NULL, test_io_error);
  ADD ("busy", "busy", test_busy);
  ADD ("card-full", "card-full", test_card_full);
  ADD ("unplug-during-download", "unplug-during-download", test_unplug_during_download);
  ADD ("unplug", "unplug", test_unplug);
  ADD ("truncated-data", "truncated-data", test_truncated_data);
  ADD ("corrupt-data", "corrupt-data", test_corrupt_data);
  ADD ("delete-fails", "delete-fails", test_delete_fails);
  ADD ("hostile-names", "hostile-names", test_hostile_names);
  ADD ("monitoring-events", NULL, test_monitoring_events);
  ADD ("no-events", "no-events", test_no_events);
  ADD ("live-view", NULL, test_live_view);
  ADD ("no-preview", "no-preview", test_no_preview);
  ADD ("slow-cancelled", "slow=60000", test_slow_cancelled);
  ADD ("controls", NULL, test_controls);
  ADD ("control-refused", NULL, test_control_refused);
  ADD ("property-event", NULL, test_property_event);

#undef ADD

  return g_test_run ();
}
