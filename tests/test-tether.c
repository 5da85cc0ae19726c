/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaTether: capture → download → save → delete, monitoring of shots
 * taken on the camera, and failures that keep the picture on the camera,
 * against libgphoto2's virtual Nikon D750. */

#include "config.h"

#include <glib/gstdio.h>

#include "capa-test-utils.h"

#define N_JPEGS 3

static char *jpeg_folder;
static gboolean have_vcamera;

typedef struct
{
  CapaCamera  *camera;
  CapaSession *session;
  CapaTether  *tether;
  char        *directory;
  GPtrArray   *saved;     /* CapaImage */
  GPtrArray   *errors;    /* GError */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->saved = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  fixture->camera = capa_test_camera_find_and_open ();

  fixture->directory = capa_test_make_tmpdir ("tether-session");
  fixture->session = capa_session_new (fixture->directory);
  fixture->tether = capa_tether_new (fixture->camera, fixture->session);
  capa_test_camera_collect_tether (fixture->tether, fixture->saved, fixture->errors);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->saved, g_ptr_array_unref);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
  if (fixture->tether == NULL)
    return;

  capa_tether_stop_monitoring (fixture->tether);
  capa_tether_stop_preview (fixture->tether);
  capa_test_assert_finalized (g_steal_pointer (&fixture->tether));
  g_assert_true (capa_camera_close (fixture->camera, NULL, NULL));
  capa_test_assert_finalized (g_steal_pointer (&fixture->camera));
  capa_test_assert_finalized (g_steal_pointer (&fixture->session));
  capa_test_rmtree (fixture->directory);
  g_clear_pointer (&fixture->directory, g_free);
}

static gboolean
bytes_of_a_source_jpeg (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  for (guint n = 1; n <= N_JPEGS; n++)
    {
      g_autofree char *name = g_strdup_printf ("shot-%04u.jpg", n);
      g_autofree char *source = g_build_filename (jpeg_folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize size = 0;

      g_assert_true (g_file_get_contents (source, &contents, &size, NULL));
      if (size == length && memcmp (contents, data, size) == 0)
        return TRUE;
    }

  return FALSE;
}

static guint
count_files_on_camera (CapaCamera *camera)
{
  g_autoptr(GPtrArray) files = capa_test_camera_list_files (camera);

  return files->len;
}

static void
assert_saved_image (CapaImage *image,
                    Fixture   *fixture)
{
  const char *filename = capa_image_get_filename (image);
  g_autofree char *dirname = g_path_get_dirname (filename);

  g_assert_cmpstr (dirname, ==, fixture->directory);
  g_assert_true (g_file_test (filename, G_FILE_TEST_IS_REGULAR));
  g_assert_true (bytes_of_a_source_jpeg (filename));
}

static void
test_tether_capture (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  guint before;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  g_assert_true (capa_tether_get_delete_from_camera (fixture->tether));
  before = count_files_on_camera (fixture->camera);

  image = capa_tether_capture (fixture->tether, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (CAPA_IS_IMAGE (image));
  assert_saved_image (image, fixture);
  g_assert_cmpuint (fixture->saved->len, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->saved, 0) == image);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  /* Saved, so gone from the card. */
  g_assert_cmpuint (count_files_on_camera (fixture->camera), ==, before);
}

static void
test_tether_capture_keep (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  guint before;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  capa_tether_set_delete_from_camera (fixture->tether, FALSE);
  before = count_files_on_camera (fixture->camera);

  image = capa_test_camera_capture (fixture->tether, NULL, 30000, &error);
  g_assert_no_error (error);
  assert_saved_image (image, fixture);
  g_assert_cmpuint (fixture->saved->len, ==, 1);

  /* Kept on the card as asked. */
  g_assert_cmpuint (count_files_on_camera (fixture->camera), ==, before + 1);
}

static void
test_tether_save_fails (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  guint before;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  /* The session folder is replaced by a file: saving must fail. */
  capa_test_rmtree (fixture->directory);
  g_assert_true (g_file_set_contents (fixture->directory, "not a folder", -1, NULL));
  before = count_files_on_camera (fixture->camera);

  image = capa_test_camera_capture (fixture->tether, NULL, 30000, &error);
  g_assert_null (image);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  /* The session's own error, not a generic one from the download that
   * streamed into it. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "stays on the camera"));
  g_clear_error (&error);
  g_assert_cmpuint (fixture->saved->len, ==, 0);

  /* Nothing lost: the picture is still on the card. */
  g_assert_cmpuint (count_files_on_camera (fixture->camera), ==, before + 1);

  /* Same through the blocking twin. */
  g_assert_null (capa_tether_capture (fixture->tether, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "stays on the camera"));
  g_assert_cmpuint (count_files_on_camera (fixture->camera), ==, before + 2);

  g_unlink (fixture->directory);
  g_mkdir (fixture->directory, 0700);
}

static void
trigger_shot_on_camera (Fixture *fixture)
{
  CapaControl *opcode = capa_test_camera_get_control (fixture->camera, "/main/actions/opcode");

  g_assert_true (CAPA_IS_CONTROL_TEXT (opcode));
  capa_control_text_set_value (CAPA_CONTROL_TEXT (opcode), "0x9999,0x0,0x1f4");
  capa_test_camera_save_controls (fixture->camera);
}

static void
wait_for_saved (Fixture *fixture,
                guint    count)
{
  for (guint i = 0; i < 300 && fixture->saved->len < count; i++)
    capa_test_spin (50);
}

static void
test_tether_monitoring (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint before;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  /* Drain events the camera had queued before. */
  g_assert_true (capa_camera_process_events (fixture->camera, 200, NULL, &error));
  g_assert_no_error (error);
  before = count_files_on_camera (fixture->camera);

  capa_tether_start_monitoring (fixture->tether);
  g_assert_true (capa_tether_get_monitoring (fixture->tether));

  trigger_shot_on_camera (fixture);
  wait_for_saved (fixture, 1);
  g_assert_cmpuint (fixture->saved->len, ==, 1);
  assert_saved_image (g_ptr_array_index (fixture->saved, 0), fixture);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  /* A capture from the computer while monitoring: saved once. */
  {
    g_autoptr(CapaImage) image = NULL;
  
    image = capa_test_camera_capture (fixture->tether, NULL, 30000, &error);
    g_assert_no_error (error);
    assert_saved_image (image, fixture);
  }

  /* Let a few monitoring cycles pass: nothing is saved twice. */
  capa_test_spin (1000);
  g_assert_cmpuint (fixture->saved->len, ==, 2);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  capa_tether_stop_monitoring (fixture->tether);
  g_assert_false (capa_tether_get_monitoring (fixture->tether));

  /* Both were deleted from the card once saved. */
  g_assert_cmpuint (count_files_on_camera (fixture->camera), ==, before);
}

static void
test_tether_monitoring_retry (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const GError *reported;
  guint before;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  g_assert_true (capa_camera_process_events (fixture->camera, 200, NULL, &error));
  g_assert_no_error (error);
  before = count_files_on_camera (fixture->camera);

  /* The session folder cannot take the shot taken on the camera. */
  capa_test_rmtree (fixture->directory);
  g_assert_true (g_file_set_contents (fixture->directory, "not a folder", -1, NULL));

  capa_tether_start_monitoring (fixture->tether);
  trigger_shot_on_camera (fixture);
  for (guint i = 0; i < 600 && fixture->errors->len == 0; i++)
    capa_test_spin (50);
  g_assert_cmpuint (fixture->errors->len, >=, 1);
  reported = g_ptr_array_index (fixture->errors, 0);
  g_test_message ("%s", reported->message);
  g_assert_true (g_error_matches (reported, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY));
  g_assert_nonnull (strstr (reported->message, "stays on the camera"));
  g_assert_cmpuint (fixture->saved->len, ==, 0);
  g_assert_cmpuint (count_files_on_camera (fixture->camera), ==, before + 1);

  /* Once the folder is usable, the same picture arrives on its own,
   * without the camera reporting it again, and leaves the card. */
  g_assert_cmpint (g_unlink (fixture->directory), ==, 0);
  g_assert_cmpint (g_mkdir (fixture->directory, 0700), ==, 0);
  wait_for_saved (fixture, 1);
  g_assert_cmpuint (fixture->saved->len, ==, 1);
  assert_saved_image (g_ptr_array_index (fixture->saved, 0), fixture);
  capa_tether_stop_monitoring (fixture->tether);
  g_assert_cmpuint (count_files_on_camera (fixture->camera), ==, before);
}

static void
test_tether_cancelled_after_shutter (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  guint before;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  before = count_files_on_camera (fixture->camera);

  /* Cancelled once the camera took the picture, before it was fetched. */
  g_signal_connect_swapped (fixture->camera, "file-captured",
                            G_CALLBACK (g_cancellable_cancel), cancellable);
  image = capa_test_camera_capture (fixture->tether, cancellable, 30000, &error);
  g_signal_handlers_disconnect_by_data (fixture->camera, cancellable);

  g_assert_null (image);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("%s", error->message);
  /* The message says where the picture is. */
  g_assert_nonnull (strstr (error->message, "stays on the camera"));
  g_assert_cmpuint (fixture->saved->len, ==, 0);
  g_assert_cmpuint (count_files_on_camera (fixture->camera), ==, before + 1);
  /* Nothing, not even a temporary file, in the session folder. */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->directory, 0, NULL);

    g_assert_nonnull (dir);
    g_assert_null (g_dir_read_name (dir));
  }
}

typedef struct
{
  CapaTether *tether;
  CapaImage  *image;
  GError     *error;
  gboolean    done;
} ThreadCapture;

static gpointer
capture_thread (gpointer data)
{
  ThreadCapture *capture = data;

  capture->image = capa_tether_capture (capture->tether, NULL, &capture->error);
  g_atomic_int_set (&capture->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
test_tether_capture_from_thread (Fixture       *fixture,
                                 gconstpointer  data)
{
  ThreadCapture capture = { 0 };
  GThread *thread;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  /* A script's thread takes a picture while the main loop runs: the work
   * and the signals stay in the main context (on_image_saved_cb checks
   * the thread), the thread gets the image. */
  capture.tether = fixture->tether;
  thread = g_thread_new ("capture", capture_thread, &capture);
  while (!g_atomic_int_get (&capture.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  g_assert_no_error (capture.error);
  g_assert_nonnull (capture.image);
  assert_saved_image (capture.image, fixture);
  g_assert_cmpuint (fixture->saved->len, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->saved, 0) == capture.image);
  g_object_unref (capture.image);
}

static void
test_tether_preview_unsupported (Fixture       *fixture,
                                 gconstpointer  data)
{
  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  /* vusb has no live view: the tether says so and stops. */
  capa_tether_start_preview (fixture->tether);
  g_assert_true (capa_tether_get_previewing (fixture->tether));
  for (guint i = 0; i < 200 && capa_tether_get_previewing (fixture->tether); i++)
    capa_test_spin (50);
  g_assert_false (capa_tether_get_previewing (fixture->tether));
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  g_assert_true (g_error_matches (g_ptr_array_index (fixture->errors, 0),
                                  CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED));
}

int
main (int   argc,
      char *argv[])
{
  int result;

  capa_test_init (&argc, &argv);

  jpeg_folder = capa_test_make_tmpdir ("tether-jpegs");
  capa_test_write_jpegs (jpeg_folder, N_JPEGS, 64, 48);
  have_vcamera = capa_test_use_vcamera (jpeg_folder);

  g_test_add ("/Capa/Tether/capture", Fixture, NULL,
              fixture_set_up, test_tether_capture, fixture_tear_down);
  g_test_add ("/Capa/Tether/capture-keep", Fixture, NULL,
              fixture_set_up, test_tether_capture_keep, fixture_tear_down);
  g_test_add ("/Capa/Tether/save-fails", Fixture, NULL,
              fixture_set_up, test_tether_save_fails, fixture_tear_down);
  g_test_add ("/Capa/Tether/monitoring", Fixture, NULL,
              fixture_set_up, test_tether_monitoring, fixture_tear_down);
  g_test_add ("/Capa/Tether/monitoring-retry", Fixture, NULL,
              fixture_set_up, test_tether_monitoring_retry, fixture_tear_down);
  g_test_add ("/Capa/Tether/cancelled-after-shutter", Fixture, NULL,
              fixture_set_up, test_tether_cancelled_after_shutter, fixture_tear_down);
  g_test_add ("/Capa/Tether/capture-from-thread", Fixture, NULL,
              fixture_set_up, test_tether_capture_from_thread, fixture_tear_down);
  g_test_add ("/Capa/Tether/preview-unsupported", Fixture, NULL,
              fixture_set_up, test_tether_preview_unsupported, fixture_tear_down);

  result = g_test_run ();

  capa_test_rmtree (jpeg_folder);
  g_free (jpeg_folder);

  return result;
}
