/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The camera's jobs, against the test camera driver: a job cancelled
 * while it waits behind a long one completes at once with
 * G_IO_ERROR_CANCELLED, not when the worker reaches it; a live-view frame
 * whose data cannot be read is an error, never a frame without data; a job
 * posted to a context that is then dropped leaks nothing; a caller that
 * drops its context as soon as it has its result never leaves the worker
 * stuck (the hang fuzz-camera found); a read of the settings overtaken
 * by a blocking write and read does not put old values back. */

#include "config.h"

#include "capa-test-utils.h"
#include "capa-testing-private.h"

#define TC_MODEL "Capa Test Camera"
#define TC_PORT  "usb:001,001"

/* Generous bounds against hangs, not timing assertions. */
#define WAIT_MS 60000

static gboolean have_camera;

static void
set_faults (CapaCamera *camera,
            const char *faults)
{
  g_autoptr(GError) error = NULL;
  CapaControlGroup *controls;
  CapaControl *control;

  if (capa_camera_get_controls (camera) == NULL)
    {
      g_assert_true (capa_camera_load_controls (camera, NULL, &error));
      g_assert_no_error (error);
    }
  controls = capa_camera_get_controls (camera);
  control = capa_control_group_get_by_path (controls, "/main/testing/faults");
  g_assert_nonnull (control);
  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), faults);
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);
}

static void
test_cancel_queued (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GCancellable) slow_cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) queued_cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(CapaCameraFile) file = NULL;
  CapaTestAsync capture = { 0 };
  CapaTestAsync listing = { 0 };

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  camera = capa_camera_new (TC_MODEL, TC_PORT);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  /* Each capture takes a minute, unless cancelled. */
  set_faults (camera, "slow=600000");

  capa_camera_capture_image_async (camera, slow_cancellable, capa_test_async_done_cb, &capture);
  capa_camera_list_files_async (camera, "/", queued_cancellable, capa_test_async_done_cb,
                                &listing);
  g_cancellable_cancel (queued_cancellable);

  /* The listing comes back cancelled while the capture ahead of it still
   * runs. */
  g_assert_true (capa_test_wait_for (&listing.done, WAIT_MS));
  g_assert_false (capture.done);
  files = capa_camera_list_files_finish (camera, listing.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (files);
  g_clear_error (&error);
  capa_test_async_clear (&listing);

  /* The capture ends once cancelled too, and the camera still works. */
  g_cancellable_cancel (slow_cancellable);
  g_assert_true (capa_test_wait_for (&capture.done, WAIT_MS));
  file = capa_camera_capture_image_finish (camera, capture.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (file);
  g_clear_error (&error);
  capa_test_async_clear (&capture);

  set_faults (camera, "");
  files = capa_camera_list_files (camera, "/", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (files);

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

static void
test_empty_preview (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(CapaCameraFile) frame = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  camera = capa_camera_new (TC_MODEL, TC_PORT);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  set_faults (camera, "empty-preview");

  frame = capa_camera_preview_image (camera, NULL, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == CAPA_CAMERA_ERROR);
  g_assert_null (frame);
  g_clear_error (&error);

  capa_camera_preview_image_async (camera, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, WAIT_MS));
  frame = capa_camera_preview_image_finish (camera, wait.result, &error);
  g_assert_nonnull (error);
  g_assert_null (frame);
  g_clear_error (&error);
  capa_test_async_clear (&wait);

  /* Frames with data come again once the fault is gone. */
  set_faults (camera, "");
  frame = capa_camera_preview_image (camera, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (capa_camera_file_get_data (frame));
  g_clear_object (&frame);

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

static void
on_never_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_assert_not_reached ();
}

/* A job finished and posted to a context that its owner then drops, never
 * iterated: the context goes, and with it the job, its camera reference and
 * the frame's bytes (checked here by the camera being finalized, and by
 * LeakSanitizer in the sanitizer build). */
static void
test_dropped_context (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  GMainContext *context;
  gint64 end_time;

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  camera = capa_camera_new (TC_MODEL, TC_PORT);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  capa_camera_preview_image_async (camera, NULL, on_never_cb, NULL);
  g_main_context_pop_thread_default (context);

  /* Until the worker has posted the finished job there (not dispatched:
   * this only checks). */
  end_time = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (!g_main_context_pending (context) && g_get_monotonic_time () < end_time)
    g_usleep (1000);
  g_assert_true (g_main_context_pending (context));
  g_main_context_unref (context);

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

typedef struct
{
  GMutex        mutex;
  GCond         cond;
  GMainContext *context;
  gboolean      held;
  gboolean      caller_done;
} PostHold;

/* On the worker: holds the completion posted to hold->context, once
 * attached there, until the caller has its result and has dropped that
 * context. */
static void
hold_post_cb (GMainContext *context,
              gpointer      data)
{
  PostHold *hold = data;
  gint64 end_time = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  g_mutex_lock (&hold->mutex);
  if (context == hold->context)
    {
      hold->held = TRUE;
      g_cond_broadcast (&hold->cond);
      while (!hold->caller_done)
        if (!g_cond_wait_until (&hold->cond, &hold->mutex, end_time))
          break;
    }
  g_mutex_unlock (&hold->mutex);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GPtrArray **files = user_data;
  g_autoptr(GError) error = NULL;

  *files = capa_camera_list_files_finish (CAPA_CAMERA (object), result, &error);
  g_assert_no_error (error);
}

/* Lists the card through a context of its own, iterated here until the
 * result is there (bounded); returns that context. */
static GMainContext *
list_in_own_context (CapaCamera  *camera,
                     GPtrArray  **files,
                     PostHold    *hold)
{
  GMainContext *context = g_main_context_new ();
  gint64 end_time = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  if (hold != NULL)
    hold->context = context;
  g_main_context_push_thread_default (context);
  capa_camera_list_files_async (camera, "/", NULL, on_listed_cb, files);
  while (*files == NULL && g_get_monotonic_time () < end_time)
    {
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (1000);
    }
  g_main_context_pop_thread_default (context);
  g_assert_nonnull (*files);

  return context;
}

/* A caller may let go of its context as soon as it has its result (a
 * blocking call frees its private one at once); the worker that posted the
 * result there may then hold the context's last reference.  It must let go
 * of the source before the context, or it takes a lock in freed memory and
 * the camera's worker never serves another job (fuzz-camera found a
 * blocking call that never returned). */
static void
test_caller_drops_context_first (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) again = NULL;
  GMainContext *context;
  PostHold hold = { 0 };
  gint64 end_time;

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  camera = capa_camera_new (TC_MODEL, TC_PORT);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);

  g_mutex_init (&hold.mutex);
  g_cond_init (&hold.cond);
  _capa_testing_camera_set_post_hook (hold_post_cb, &hold);

  /* The result is there while the worker is held after posting it; the
   * caller drops its context first. */
  context = list_in_own_context (camera, &files, &hold);
  g_main_context_unref (context);
  g_mutex_lock (&hold.mutex);
  end_time = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (!hold.held)
    if (!g_cond_wait_until (&hold.cond, &hold.mutex, end_time))
      break;
  g_assert_true (hold.held);
  hold.context = NULL;
  hold.caller_done = TRUE;
  g_cond_broadcast (&hold.cond);
  g_mutex_unlock (&hold.mutex);

  /* The worker serves the next job. */
  context = list_in_own_context (camera, &again, NULL);
  g_main_context_unref (context);
  _capa_testing_camera_set_post_hook (NULL, NULL);
  g_assert_cmpuint (again->len, ==, files->len);

  g_mutex_clear (&hold.mutex);
  g_cond_clear (&hold.cond);
  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

/* The race behind the finding above, run for real: a blocking call returns
 * and frees its private context while the worker is still letting go of
 * the completion it posted there.  Before the fix, the worker could read
 * the source's context in g_source_unref () just before the caller freed
 * it, then wait for ever on a lock in freed memory; 300,000 rounds of these
 * two calls from Python hung in one run of three, and never after the fix
 * in five.  A run here is shorter, so it only catches the race sometimes
 * against the old code, but must never hang. */
static void
test_blocking_calls_in_a_row (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  guint rounds = g_test_slow () ? 300000 : 50000;
  gint64 end_time;
  guint i;

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  camera = capa_camera_new (TC_MODEL, TC_PORT);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);

  /* Bounded in time too: the sanitizer build on a loaded machine makes a
   * round twenty times slower, and the race needs rounds, not minutes. */
  end_time = g_get_monotonic_time () + (g_test_slow () ? 600 : 30) * G_TIME_SPAN_SECOND;
  for (i = 0; i < rounds && g_get_monotonic_time () < end_time; i++)
    {
      g_autoptr(GPtrArray) files = capa_camera_list_files (camera, "/", NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (files);
      g_assert_true (capa_camera_load_controls (camera, NULL, &error));
      g_assert_no_error (error);
    }
  g_test_message ("%u rounds of blocking calls", i);

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

static const char *
iso_value (CapaCamera *camera)
{
  CapaControl *control = capa_control_group_get_by_path (capa_camera_get_controls (camera),
                                                         "/main/imgsettings/iso");

  g_assert_true (CAPA_IS_CONTROL_CHOICE (control));
  return capa_control_choice_get_value (CAPA_CONTROL_CHOICE (control));
}

static void
set_iso (CapaCamera *camera,
         const char *value)
{
  CapaControl *control = capa_control_group_get_by_path (capa_camera_get_controls (camera),
                                                         "/main/imgsettings/iso");
  g_autoptr(GError) error = NULL;

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), value);
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);
}

/* An asynchronous read of the settings is still on its way to the main
 * context when blocking twins (a script's, a plugin's) write a setting and
 * read the settings again: they complete in a context of their own, before
 * it.  The older read, arriving last, must not put the old value back. */
static void
test_stale_read_dropped (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync load = { 0 };

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  camera = capa_camera_new (TC_MODEL, TC_PORT);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  set_iso (camera, "400");

  /* Queued first, so it reads 400; its result waits in the main context. */
  capa_camera_load_controls_async (camera, NULL, capa_test_async_done_cb, &load);
  set_iso (camera, "800");
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (iso_value (camera), ==, "800");

  g_assert_true (capa_test_wait_for (&load.done, WAIT_MS));
  g_assert_true (capa_camera_load_controls_finish (camera, load.result, &error));
  g_assert_no_error (error);
  capa_test_async_clear (&load);
  g_assert_cmpstr (iso_value (camera), ==, "800");

  /* A read made after the write is taken as usual. */
  capa_camera_load_controls_async (camera, NULL, capa_test_async_done_cb, &load);
  g_assert_true (capa_test_wait_for (&load.done, WAIT_MS));
  g_assert_true (capa_camera_load_controls_finish (camera, load.result, &error));
  g_assert_no_error (error);
  capa_test_async_clear (&load);
  g_assert_cmpstr (iso_value (camera), ==, "800");

  set_iso (camera, "400");
  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  have_camera = capa_test_use_test_camera (NULL);

  g_test_add_func ("/Capa/CameraJobs/cancel-queued", test_cancel_queued);
  g_test_add_func ("/Capa/CameraJobs/empty-preview", test_empty_preview);
  g_test_add_func ("/Capa/CameraJobs/dropped-context", test_dropped_context);
  g_test_add_func ("/Capa/CameraJobs/caller-drops-context-first",
                   test_caller_drops_context_first);
  g_test_add_func ("/Capa/CameraJobs/blocking-calls-in-a-row", test_blocking_calls_in_a_row);
  g_test_add_func ("/Capa/CameraJobs/stale-read-dropped", test_stale_read_dropped);

  return g_test_run ();
}
