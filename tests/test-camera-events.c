/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The camera's event polling against the test camera driver: a job queued
 * while the worker waits for events does not wait for the wait's timeout
 * to pass; the wait gives way to it, and events (a shot taken on the
 * camera body) are still noticed afterwards.  So too with a driver that
 * never ends its own waits early (the fault deaf-waits).
 *
 * Structural, not timed: each event wait here lasts ten minutes unless
 * something ends it, far beyond the bounds the test waits. */

#include "config.h"

#include "capa-test-utils.h"
#include "capa-testing-private.h"

#define TC_MODEL "Capa Test Camera"
#define TC_PORT  "usb:001,001"

/* Generous bounds against hangs, not timing assertions; well below
 * LONG_SLICE_MS, so that a wait that runs to its timeout fails the test. */
#define WAIT_MS       60000
#define LONG_SLICE_MS 600000

static gboolean have_camera;

static void
on_file_added_cb (CapaCamera     *camera,
                  CapaCameraFile *file,
                  gpointer        user_data)
{
  GPtrArray *added = user_data;

  g_ptr_array_add (added, g_strdup (capa_camera_file_get_name (file)));
}

/* Spins the default main context until @camera's worker has begun an
 * event wait with a timeout since @before waits, within WAIT_MS. */
static void
wait_for_event_wait (CapaCamera *camera,
                     guint       before)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (_capa_testing_camera_get_n_event_waits (camera) <= before &&
         g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_assert_cmpuint (_capa_testing_camera_get_n_event_waits (camera), >, before);
}

/* @data: the test camera's faults, or NULL; "deaf-waits": a driver that
 * never ends a wait early (ptp2 sleeps up to 50 ms between its checks of
 * the camera without asking), so the wait given way is Capa's own. */
static void
test_queued_during_wait (gconstpointer data)
{
  const char *faults = data;
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GCancellable) events_cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync events = { 0 };
  CapaTestAsync listing = { 0 };
  CapaControl *trigger;

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
  if (faults != NULL)
    capa_test_camera_set_faults (camera, faults);
  g_signal_connect (camera, "file-added", G_CALLBACK (on_file_added_cb), added);

  _capa_testing_camera_set_event_slice_ms (LONG_SLICE_MS);
  capa_camera_process_events_async (camera, 2 * LONG_SLICE_MS, events_cancellable,
                                    capa_test_async_done_cb, &events);

  /* The worker is in (or just entering) a ten-minute wait: a job queued
   * now ends it and runs. */
  wait_for_event_wait (camera, 0);
  capa_camera_list_files_async (camera, "/", NULL, capa_test_async_done_cb, &listing);
  g_assert_true (capa_test_wait_for (&listing.done, WAIT_MS));
  files = capa_camera_list_files_finish (camera, listing.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (files);
  capa_test_async_clear (&listing);
  g_assert_cmpuint (_capa_testing_camera_get_n_event_waits_yielded (camera), >=, 1);
  g_assert_false (events.done);

  /* Again with a blocking twin, queued before or during the next wait: a
   * shot taken on the camera body.  The events job, queued again behind
   * it, still reports the new picture. */
  trigger = capa_control_group_get_by_path (capa_camera_get_controls (camera),
                                            "/main/actions/trigger");
  g_assert_nonnull (trigger);
  capa_control_button_press (CAPA_CONTROL_BUTTON (trigger));
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < WAIT_MS / 10 && added->len == 0; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  g_assert_cmpuint (added->len, ==, 1);
  g_assert_false (events.done);

  /* The events job itself ends once cancelled. */
  g_cancellable_cancel (events_cancellable);
  g_assert_true (capa_test_wait_for (&events.done, WAIT_MS));
  g_assert_false (capa_camera_process_events_finish (camera, events.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  capa_test_async_clear (&events);
  _capa_testing_camera_set_event_slice_ms (0);

  g_signal_handlers_disconnect_by_func (camera, on_file_added_cb, added);
  if (faults != NULL)
    capa_test_camera_set_faults (camera, "");
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

  g_test_add_data_func ("/Capa/CameraEvents/queued-during-wait", NULL, test_queued_during_wait);
  g_test_add_data_func ("/Capa/CameraEvents/queued-during-deaf-wait", "deaf-waits",
                        test_queued_during_wait);

  return g_test_run ();
}
