/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaTether against the test camera driver (tests/camlib): its timers run
 * in its own main context, dropping it ends monitoring and live view, a
 * name the camera reuses is a new picture, and a slow disk does not hold
 * the camera's worker. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "capa-test-utils.h"
#include "capa-testing-private.h"
#include "capa-tether-private.h"

#define TC_MODEL  CAPA_TEST_CAMERA_MODEL
#define TC_PORT   CAPA_TEST_CAMERA_PORT

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
} Fixture;

#define get_control capa_test_camera_get_control
#define save_controls capa_test_camera_save_controls

static void
set_text (CapaCamera *camera,
          const char *path,
          const char *value)
{
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (camera, path)), value);
  save_controls (camera);
}

static void
press (CapaCamera *camera,
       const char *path)
{
  capa_control_button_press (CAPA_CONTROL_BUTTON (get_control (camera, path)));
  save_controls (camera);
}

/* The driver's count of calls since the faults were set, read afresh. */
static guint64
driver_calls (CapaCamera *camera)
{
  g_autoptr(GError) error = NULL;
  CapaControl *control;

  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  control = get_control (camera, "/main/testing/calls");
  return g_ascii_strtoull (capa_control_text_get_value (CAPA_CONTROL_TEXT (control)), NULL, 10);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *faults = data;

  fixture->saved = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  if (!capa_test_camera_usable (have_camera))
    return;

  /* The test camera in its initial state: empty card, no fault. */
  capa_test_camera_reset ();

  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);
  fixture->camera = capa_camera_new (TC_MODEL, TC_PORT);
  capa_test_camera_open (fixture->camera);

  fixture->directory = capa_test_make_tmpdir ("tether-driver");
  fixture->session = capa_session_new (fixture->directory);
  fixture->tether = capa_tether_new (fixture->camera, fixture->session);
  capa_test_camera_collect_tether (fixture->tether, fixture->saved, fixture->errors);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  _capa_testing_tether_set_write_hook (NULL, NULL);
  g_clear_pointer (&fixture->saved, g_ptr_array_unref);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
  if (fixture->camera == NULL)
    return;

  if (fixture->tether != NULL)
    {
      capa_tether_stop_monitoring (fixture->tether);
      capa_tether_stop_preview (fixture->tether);
      capa_test_assert_finalized (g_steal_pointer (&fixture->tether));
    }
  if (capa_camera_get_connected (fixture->camera))
    capa_camera_close (fixture->camera, NULL, NULL);
  capa_test_assert_finalized (g_steal_pointer (&fixture->camera));
  capa_test_assert_finalized (g_steal_pointer (&fixture->session));
  capa_test_rmtree (fixture->directory);
  g_clear_pointer (&fixture->directory, g_free);
}

#define SKIP_IF_NO_CAMERA(fixture) \
  G_STMT_START { if ((fixture)->camera == NULL) return; } G_STMT_END

/* ------------------------------------------------------------------ */
/* Timers in the tether's own context                                   */
/* ------------------------------------------------------------------ */

typedef struct
{
  CapaCamera *camera;
  char       *directory;
  GMutex      mutex;
  GCond       cond;
  gboolean    monitoring;     /* the thread started monitoring */
  gboolean    done;           /* the thread ended */
  GThread    *saved_on;       /* the thread image-saved was emitted on */
  guint       saved;
} ContextTest;

static void
on_thread_image_saved_cb (CapaTether  *tether,
                          CapaImage   *image,
                          ContextTest *test)
{
  g_mutex_lock (&test->mutex);
  test->saved_on = g_thread_self ();
  test->saved++;
  g_mutex_unlock (&test->mutex);
}

static gboolean
saved_once (ContextTest *test)
{
  gboolean saved;

  g_mutex_lock (&test->mutex);
  saved = test->saved > 0;
  g_mutex_unlock (&test->mutex);
  return saved;
}

static void
on_events_behind_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ContextTest *test = user_data;

  /* Not supported by this camera: only the order matters. */
  capa_camera_process_events_finish (CAPA_CAMERA (object), result, NULL);
  g_mutex_lock (&test->mutex);
  test->monitoring = TRUE;
  g_cond_signal (&test->cond);
  g_mutex_unlock (&test->mutex);
}

static gpointer
tether_thread (gpointer data)
{
  ContextTest *test = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(CapaSession) session = NULL;
  g_autoptr(CapaTether) tether = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gpointer weak;

  g_main_context_push_thread_default (context);
  session = capa_session_new (test->directory);
  tether = capa_tether_new (test->camera, session);
  g_signal_connect (tether, "image-saved", G_CALLBACK (on_thread_image_saved_cb), test);

  /* The tether first asks for events; once that failed, it lists the
   * card at once. A job queued behind its first one completes after it,
   * so by then that listing is queued on the camera's worker, before the
   * shot the main thread asks for once told. */
  capa_tether_start_monitoring (tether);
  capa_camera_process_events_async (test->camera, 10, NULL, on_events_behind_cb, test);

  /* Only the next listing, after the polling pause (a timer), finds the
   * shot: this thread runs the tether's context, the main thread runs the
   * global default one. */
  while (!saved_once (test) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, FALSE) || (g_usleep (1000), TRUE);

  capa_tether_stop_monitoring (tether);
  weak = tether;
  g_object_add_weak_pointer (G_OBJECT (tether), &weak);
  g_clear_object (&tether);
  for (guint i = 0; weak != NULL && i < 5000; i++)
    g_main_context_iteration (context, FALSE) || (g_usleep (1000), TRUE);
  g_assert_null (weak);
  g_clear_object (&session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  g_atomic_int_set (&test->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
test_timers_in_own_context (Fixture       *fixture,
                            gconstpointer  data)
{
  ContextTest test = { 0 };
  g_autofree char *directory = NULL;
  GThread *thread;

  SKIP_IF_NO_CAMERA (fixture);

  /* The fixture's tether is not used here. */
  capa_test_assert_finalized (g_steal_pointer (&fixture->tether));

  directory = capa_test_make_tmpdir ("tether-thread");
  test.camera = fixture->camera;
  test.directory = directory;
  g_mutex_init (&test.mutex);
  g_cond_init (&test.cond);
  thread = g_thread_new ("tether", tether_thread, &test);

  g_mutex_lock (&test.mutex);
  while (!test.monitoring)
    g_cond_wait (&test.cond, &test.mutex);
  g_mutex_unlock (&test.mutex);

  /* A shot taken with the camera's button; the camera has no events, so
   * only a listing finds it. */
  set_text (fixture->camera, "/main/actions/simulate", "shot");

  /* The main thread runs the global default context meanwhile: a timer
   * put there by mistake runs here, and the shot is saved on this
   * thread. */
  capa_test_wait_for (&test.done, 90000);
  g_thread_join (thread);
  g_assert_true (test.done);
  g_assert_cmpuint (test.saved, ==, 1);
  g_assert_true (test.saved_on != main_thread);
  g_assert_true (test.saved_on == thread);

  g_mutex_clear (&test.mutex);
  g_cond_clear (&test.cond);
  capa_test_rmtree (directory);
}

/* ------------------------------------------------------------------ */
/* Dropping a busy tether                                               */
/* ------------------------------------------------------------------ */

static void
dropped_while_busy (Fixture  *fixture,
                    gboolean  preview)
{
  gpointer weak = fixture->tether;
  guint64 before, read_cost, after;

  if (preview)
    capa_tether_start_preview (fixture->tether);
  else
    capa_tether_start_monitoring (fixture->tether);
  /* Let it run a while: frames or watch cycles in flight. */
  capa_test_spin (300);

  g_object_add_weak_pointer (G_OBJECT (fixture->tether), &weak);
  g_clear_object (&fixture->tether);
  for (guint i = 0; weak != NULL && i < 200; i++)
    capa_test_spin (50);
  g_assert_null (weak);

  /* No more calls to the camera than the reads of the count itself. */
  before = driver_calls (fixture->camera);
  read_cost = driver_calls (fixture->camera) - before;
  before = driver_calls (fixture->camera);
  capa_test_spin (1500);
  after = driver_calls (fixture->camera);
  g_assert_cmpuint (after - before, ==, read_cost);
}

static void
test_dropped_while_monitoring (Fixture       *fixture,
                               gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  dropped_while_busy (fixture, FALSE);
}

static void
test_dropped_while_polling (Fixture       *fixture,
                            gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  dropped_while_busy (fixture, FALSE);
}

static void
test_dropped_in_live_view (Fixture       *fixture,
                           gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  dropped_while_busy (fixture, TRUE);
}

/* ------------------------------------------------------------------ */
/* A name the camera gives again                                        */
/* ------------------------------------------------------------------ */

static void
wait_saved (Fixture *fixture,
            guint    count)
{
  for (guint i = 0; i < 1200 && fixture->saved->len < count; i++)
    capa_test_spin (50);
  g_assert_cmpuint (fixture->saved->len, ==, count);
}

/* Empties the card and sets the shot counter back (the driver's reset),
 * then sets the ISO so that the next CAPA0001.JPG differs from the last. */
static void
format_card (CapaCamera *camera,
             const char *iso)
{
  press (camera, "/main/testing/reset");
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (get_control (camera,
                                                                   "/main/imgsettings/iso")),
                                 iso);
  save_controls (camera);
}

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

static void
test_name_reused (Fixture       *fixture,
                  gconstpointer  data)
{
  CapaTestAsync wait = { 0 };
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  capa_tether_set_delete_from_camera (fixture->tether, FALSE);
  capa_tether_start_monitoring (fixture->tether);

  /* A capture: CAPA0001.JPG, saved and left on the card. */
  capa_tether_capture_async (fixture->tether, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 60000));
  image = capa_tether_capture_finish (fixture->tether, wait.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  capa_test_async_clear (&wait);
  wait_saved (fixture, 1);

  /* The card formatted, the counter back at 1: the next shot taken with
   * the camera's button is CAPA0001.JPG again, a new picture. */
  format_card (fixture->camera, "800");
  press (fixture->camera, "/main/actions/trigger");
  wait_saved (fixture, 2);

  /* Again, now for a name last fetched by monitoring. */
  format_card (fixture->camera, "1600");
  press (fixture->camera, "/main/actions/trigger");
  wait_saved (fixture, 3);

  g_assert_cmpuint (session_file_count (fixture), ==, 3);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

/* While a capture runs, monitoring queues no event watch of its own: the
 * capture reads the camera's events itself, and a watch between the shot
 * and its download would only delay the picture (a driver ends a wait at
 * its own pace). At most the watch already running when the capture was
 * asked for waits on the camera. */
static void
test_monitoring_waits_for_capture (Fixture       *fixture,
                                   gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  capa_tether_start_monitoring (fixture->tether);
  capa_test_spin (100);

  for (guint i = 0; i < 5; i++)
    {
      CapaTestAsync wait = { 0 };
      g_autoptr(CapaImage) image = NULL;
      g_autoptr(GError) error = NULL;
      guint before = _capa_testing_camera_get_n_event_waits (fixture->camera);
      guint during;

      capa_tether_capture_async (fixture->tether, NULL, capa_test_async_done_cb, &wait);
      g_assert_true (capa_test_wait_for (&wait.done, 60000));
      during = _capa_testing_camera_get_n_event_waits (fixture->camera) - before;
      image = capa_tether_capture_finish (fixture->tether, wait.result, &error);
      capa_test_async_clear (&wait);
      g_assert_no_error (error);
      g_assert_nonnull (image);
      g_test_message ("capture %u: %u event waits", i + 1, during);
      g_assert_cmpuint (during, <=, 1);
      /* Monitoring resumes after the capture. */
      capa_test_spin (60);
    }

  g_assert_true (capa_tether_get_monitoring (fixture->tether));
  {
    guint before = _capa_testing_camera_get_n_event_waits (fixture->camera);

    capa_test_spin (200);
    g_assert_cmpuint (_capa_testing_camera_get_n_event_waits (fixture->camera), >, before);
  }
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

/* A picture saved and left on the card, reported again with the same
 * bytes (an event repeated, a listing after monitoring restarted), is not
 * saved twice. */
static void
test_name_reported_again (Fixture       *fixture,
                          gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  capa_tether_set_delete_from_camera (fixture->tether, FALSE);
  capa_tether_start_monitoring (fixture->tether);
  press (fixture->camera, "/main/actions/trigger");
  wait_saved (fixture, 1);

  /* The same card, the same picture: the card is emptied and the counter
   * reset with the settings as they were, so that CAPA0001.JPG comes back
   * byte for byte. */
  press (fixture->camera, "/main/testing/reset");
  press (fixture->camera, "/main/actions/trigger");
  /* Then a new one, CAPA0002.JPG: monitoring fetches in order, so once
   * it is saved the one before was dealt with. */
  press (fixture->camera, "/main/actions/trigger");
  wait_saved (fixture, 2);
  g_assert_cmpuint (session_file_count (fixture), ==, 2);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

/* ------------------------------------------------------------------ */
/* A slow disk                                                          */
/* ------------------------------------------------------------------ */

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  guint    entered;
  gboolean open;
} Gate;

/* The disk, as slow as the test wants: each write waits for the gate. */
static void
gate_write_hook (gpointer data)
{
  Gate *gate = data;

  g_mutex_lock (&gate->mutex);
  gate->entered++;
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static guint
gate_entered (Gate *gate)
{
  guint entered;

  g_mutex_lock (&gate->mutex);
  entered = gate->entered;
  g_mutex_unlock (&gate->mutex);
  return entered;
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

static void
test_slow_disk (Fixture       *fixture,
                gconstpointer  data)
{
  CapaTestAsync capture = { 0 };
  CapaTestAsync listed = { 0 };
  CapaTestAsync frame = { 0 };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(CapaCameraFile) preview = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  Gate gate = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  _capa_testing_tether_set_write_hook (gate_write_hook, &gate);

  capa_tether_capture_async (fixture->tether, NULL, capa_test_async_done_cb, &capture);
  for (guint i = 0; i < 1200 && gate_entered (&gate) == 0; i++)
    capa_test_spin (50);
  g_assert_cmpuint (gate_entered (&gate), >, 0);

  /* The disk holds the first write of the picture: the camera still
   * lists its card and gives live-view frames. */
  capa_camera_list_files_async (fixture->camera, "/", NULL, capa_test_async_done_cb, &listed);
  capa_test_wait_for (&listed.done, 30000);
  capa_camera_preview_image_async (fixture->camera, NULL, capa_test_async_done_cb, &frame);
  capa_test_wait_for (&frame.done, 30000);
  g_assert_false (capture.done);
  gate_open (&gate);

  g_assert_true (listed.done);
  files = capa_camera_list_files_finish (fixture->camera, listed.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (frame.done);
  preview = capa_camera_preview_image_finish (fixture->camera, frame.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);

  /* Once the disk catches up, the picture is saved whole, then deleted. */
  g_assert_true (capa_test_wait_for (&capture.done, 60000));
  image = capa_tether_capture_finish (fixture->tether, capture.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_cmpuint (session_file_count (fixture), ==, 1);

  capa_test_async_clear (&capture);
  capa_test_async_clear (&listed);
  capa_test_async_clear (&frame);
  _capa_testing_tether_set_write_hook (NULL, NULL);
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  main_thread = g_thread_self ();
  have_camera = capa_test_use_test_camera (NULL);

#define ADD(path, faults, func) \
  g_test_add ("/Capa/TetherDriver/" path, Fixture, faults, fixture_set_up, func, fixture_tear_down)

  ADD ("timers-in-own-context", "no-events", test_timers_in_own_context);
  ADD ("dropped-while-monitoring", NULL, test_dropped_while_monitoring);
  ADD ("dropped-while-polling", "no-events", test_dropped_while_polling);
  ADD ("dropped-in-live-view", NULL, test_dropped_in_live_view);
  ADD ("name-reused", NULL, test_name_reused);
  ADD ("monitoring-waits-for-capture", NULL, test_monitoring_waits_for_capture);
  ADD ("name-reported-again", NULL, test_name_reported_again);
  ADD ("slow-disk", NULL, test_slow_disk);

#undef ADD

  return g_test_run ();
}
