/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The fault matrix's "camera reset during live view", against the test
 * camera driver (tests/camlib): with live view running through CapaTether,
 * the camera resets (one I/O error) or disappears (unplugged).  The tether
 * says so through its error signal, live view stops and asks for no more
 * frames; once the camera is opened again, live view starts again and a
 * capture works, with every picture taken before and after in the
 * session. */

#include "config.h"

#include <string.h>

#include "capa-test-utils.h"

#define TC_MODEL "Capa Test Camera"
#define TC_PORT  "usb:001,001"

/* Generous bounds against hangs, not timing assertions. */
#define WAIT_MS 60000

static gboolean have_camera;

typedef struct
{
  guint      frames;
  GPtrArray *errors;   /* GError */
  GPtrArray *saved;    /* CapaImage */
} Seen;

static void
on_frame_cb (CapaTether     *tether,
             CapaCameraFile *frame,
             Seen           *seen)
{
  g_assert_nonnull (capa_camera_file_get_data (frame));
  seen->frames++;
}

static void
on_error_cb (CapaTether   *tether,
             const GError *error,
             Seen         *seen)
{
  g_test_message ("tether error: %s", error->message);
  g_ptr_array_add (seen->errors, g_error_copy (error));
}

static void
on_image_saved_cb (CapaTether *tether,
                   CapaImage  *image,
                   Seen       *seen)
{
  g_ptr_array_add (seen->saved, g_object_ref (image));
}

static void
spin (guint ms)
{
  gboolean never = FALSE;

  capa_test_wait_for (&never, ms);
}

/* Spins until live view has given @count more frames than @before. */
static void
wait_frames (Seen  *seen,
             guint  before,
             guint  count)
{
  for (guint i = 0; i < WAIT_MS / 10 && seen->frames < before + count; i++)
    spin (10);
  g_assert_cmpuint (seen->frames, >=, before + count);
}

static void
set_faults (CapaCamera *camera,
            const char *faults)
{
  CapaControlGroup *controls;
  CapaControl *control;

  if (capa_camera_get_controls (camera) == NULL)
    g_assert_true (capa_camera_load_controls (camera, NULL, NULL));
  controls = capa_camera_get_controls (camera);
  control = capa_control_group_get_by_path (controls, "/main/testing/faults");
  g_assert_nonnull (control);
  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), faults);
  /* The fault may strike the save's own reading back of the settings:
   * the tether reports what follows either way. */
  capa_camera_save_controls (camera, NULL, NULL);
}

static guint
count_files (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
capture_one (CapaTether *tether,
             Seen       *seen)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  guint saved = seen->saved->len;

  image = capa_tether_capture (tether, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_true (g_file_test (capa_image_get_filename (image), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (seen->saved->len, ==, saved + 1);
}

static void
reset_during_live_view (const char *fault)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(CapaSession) session = NULL;
  g_autoptr(CapaTether) tether = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  Seen seen = { 0 };
  guint frames, errors;
  const GError *reported;

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  seen.errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  seen.saved = g_ptr_array_new_with_free_func (g_object_unref);
  directory = capa_test_make_tmpdir ("tether-reset");
  camera = capa_camera_new (TC_MODEL, TC_PORT);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  set_faults (camera, "");
  session = capa_session_new (directory);
  tether = capa_tether_new (camera, session);
  g_signal_connect (tether, "preview-frame", G_CALLBACK (on_frame_cb), &seen);
  g_signal_connect (tether, "error", G_CALLBACK (on_error_cb), &seen);
  g_signal_connect (tether, "image-saved", G_CALLBACK (on_image_saved_cb), &seen);

  /* A picture before the fault, then live view. */
  capture_one (tether, &seen);
  capa_tether_start_preview (tether);
  wait_frames (&seen, 0, 3);

  /* The camera resets or goes away while frames are coming. */
  set_faults (camera, fault);
  for (guint i = 0; i < WAIT_MS / 10 && seen.errors->len == 0; i++)
    spin (10);
  g_assert_cmpuint (seen.errors->len, >=, 1);
  reported = g_ptr_array_index (seen.errors, 0);
  g_assert_error (reported, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED);
  /* What happened, and what to do. */
  g_assert_nonnull (strstr (reported->message, TC_MODEL));
  g_assert_nonnull (strstr (reported->message, "connect it again"));
  g_assert_false (capa_tether_get_previewing (tether));
  g_assert_false (capa_camera_get_connected (camera));

  /* Stopped: no frame, no further error, while the camera is away. */
  frames = seen.frames;
  errors = seen.errors->len;
  spin (500);
  g_assert_cmpuint (seen.frames, ==, frames);
  g_assert_cmpuint (seen.errors->len, ==, errors);
  g_assert_cmpuint (errors, <=, 2);

  /* Back: live view again, and a capture, with nothing lost. */
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  set_faults (camera, "");
  capa_tether_start_preview (tether);
  g_assert_true (capa_tether_get_previewing (tether));
  wait_frames (&seen, frames, 3);
  capture_one (tether, &seen);
  wait_frames (&seen, seen.frames, 2);
  capa_tether_stop_preview (tether);
  g_assert_cmpuint (seen.errors->len, ==, errors);

  g_assert_cmpuint (seen.saved->len, ==, 2);
  g_assert_cmpuint (count_files (directory), >=, 2);
  for (guint i = 0; i < seen.saved->len; i++)
    g_assert_true (g_file_test (capa_image_get_filename (g_ptr_array_index (seen.saved, i)),
                                G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (capa_image_get_filename (g_ptr_array_index (seen.saved, 0)), !=,
                   capa_image_get_filename (g_ptr_array_index (seen.saved, 1)));

  g_signal_handlers_disconnect_by_data (tether, &seen);
  g_clear_pointer (&seen.saved, g_ptr_array_unref);
  capa_test_assert_finalized (g_steal_pointer (&tether));
  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (g_steal_pointer (&camera));
  capa_test_assert_finalized (g_steal_pointer (&session));
  g_ptr_array_unref (seen.errors);
  capa_test_rmtree (directory);
}

static void
test_reset (void)
{
  /* One I/O error: libgphoto2's view of a camera that reset. */
  reset_during_live_view ("io-error-on-call=2");
}

static void
test_unplugged (void)
{
  reset_during_live_view ("unplug");
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  have_camera = capa_test_use_test_camera (NULL);

  g_test_add_func ("/Capa/TetherReset/reset-during-live-view", test_reset);
  g_test_add_func ("/Capa/TetherReset/unplugged-during-live-view", test_unplugged);

  return g_test_run ();
}
