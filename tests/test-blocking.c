/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The blocking twins of CapaCamera, CapaCameraList and CapaTether
 * (src/core/capa-blocking.c), against the test camera driver:
 *
 * - from a thread while no main loop runs anywhere, each one completes;
 * - from a thread while the main loop runs, each one completes;
 * - from a signal handler that the main loop dispatches (a plugin's), each
 *   one completes without dispatching any other pending source of the main
 *   context (no re-entrancy).
 *
 * A hang fails the test through a watchdog thread, rather than blocking. */

#include "config.h"

#include "capa-test-utils.h"

#define TC_MODEL "Capa Test Camera"
#define TC_PORT  "usb:001,001"

/* Generous: a bound against hangs, not a timing assertion. */
#define WATCHDOG_SECONDS 120

static gboolean have_camera;

/* --- watchdog --- */

typedef struct
{
  GMutex      mutex;
  GCond       cond;
  gboolean    done;
  const char *what;
  GThread    *thread;
} Watchdog;

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *dog = data;
  gint64 end_time = g_get_monotonic_time () + WATCHDOG_SECONDS * G_TIME_SPAN_SECOND;

  g_mutex_lock (&dog->mutex);
  while (!dog->done)
    if (!g_cond_wait_until (&dog->cond, &dog->mutex, end_time))
      g_error ("%s: still blocked after %d s", dog->what, WATCHDOG_SECONDS);
  g_mutex_unlock (&dog->mutex);

  return NULL;
}

static void
watchdog_start (Watchdog   *dog,
                const char *what)
{
  g_mutex_init (&dog->mutex);
  g_cond_init (&dog->cond);
  dog->done = FALSE;
  dog->what = what;
  dog->thread = g_thread_new ("watchdog", watchdog_thread, dog);
}

static void
watchdog_stop (Watchdog *dog)
{
  g_mutex_lock (&dog->mutex);
  dog->done = TRUE;
  g_cond_signal (&dog->cond);
  g_mutex_unlock (&dog->mutex);
  g_thread_join (dog->thread);
  g_mutex_clear (&dog->mutex);
  g_cond_clear (&dog->cond);
}

/* --- every blocking twin, in turn --- */

typedef struct
{
  CapaCameraList *list;
  CapaCamera     *camera;
  CapaSession    *session;
  CapaTether     *tether;
  char           *directory;
} Objects;

static void
objects_make (Objects *objects)
{
  objects->list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (objects->list, FALSE);
  objects->camera = capa_camera_new (TC_MODEL, TC_PORT);
  objects->directory = capa_test_make_tmpdir ("blocking");
  objects->session = capa_session_new (objects->directory);
  objects->tether = capa_tether_new (objects->camera, objects->session);
}

static void
objects_free (Objects *objects)
{
  g_clear_object (&objects->tether);
  g_clear_object (&objects->session);
  g_clear_object (&objects->list);
  capa_test_assert_finalized (g_steal_pointer (&objects->camera));
  capa_test_rmtree (objects->directory);
  g_clear_pointer (&objects->directory, g_free);
}

/* Calls each blocking twin once and checks its outcome. */
static void
call_every_blocking_twin (Objects *objects)
{
  CapaCamera *camera = objects->camera;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(CapaCameraFile) frame = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(CapaImage) image = NULL;

  g_assert_true (capa_camera_list_refresh (objects->list, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (capa_camera_list_find (objects->list, TC_MODEL, TC_PORT));

  if (!capa_camera_get_connected (camera))
    {
      g_assert_true (capa_camera_open (camera, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (capa_camera_get_connected (camera));

  g_assert_true (capa_camera_load_summary (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (capa_camera_get_summary (camera));

  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (capa_camera_get_controls (camera));
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (capa_camera_process_events (camera, 10, NULL, &error));
  g_assert_no_error (error);

  file = capa_camera_capture_image (camera, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (CAPA_IS_CAMERA_FILE (file));
  g_assert_true (capa_camera_download_file (camera, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (capa_camera_file_get_data (file));

  files = capa_camera_list_files (camera, "/", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (files);
  g_assert_cmpuint (files->len, >=, 1);

  g_assert_true (capa_camera_delete_file (camera, file, NULL, &error));
  g_assert_no_error (error);

  frame = capa_camera_preview_image (camera, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (capa_camera_file_get_data (frame));

  image = capa_tether_capture (objects->tether, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (CAPA_IS_IMAGE (image));
  g_assert_true (g_file_test (capa_image_get_filename (image), G_FILE_TEST_IS_REGULAR));
}

/* --- from a thread, with no main loop anywhere --- */

typedef struct
{
  Objects  objects;
  gboolean make_here;   /* the thread makes the objects itself */
} ThreadCase;

static gpointer
no_loop_thread (gpointer data)
{
  ThreadCase *tc = data;

  if (tc->make_here)
    objects_make (&tc->objects);
  call_every_blocking_twin (&tc->objects);
  g_assert_true (capa_camera_close (tc->objects.camera, NULL, NULL));
  if (tc->make_here)
    objects_free (&tc->objects);

  return NULL;
}

static void
run_no_loop_case (gboolean make_here)
{
  ThreadCase tc = { { 0 }, make_here };
  Watchdog dog;
  GThread *thread;

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  /* Made here, in the global default context, which nobody iterates
   * while the thread runs: this thread only waits. */
  if (!make_here)
    objects_make (&tc.objects);

  watchdog_start (&dog, "blocking twins on a thread with no main loop");
  thread = g_thread_new ("no-loop", no_loop_thread, &tc);
  g_thread_join (thread);
  watchdog_stop (&dog);

  if (!make_here)
    objects_free (&tc.objects);
}

static void
test_no_loop_other_thread (void)
{
  run_no_loop_case (FALSE);
}

static void
test_no_loop_own_thread (void)
{
  run_no_loop_case (TRUE);
}

/* --- from a thread while the main loop runs --- */

typedef struct
{
  Objects    objects;
  GMainLoop *loop;
} LoopCase;

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
loop_thread (gpointer data)
{
  LoopCase *lc = data;

  call_every_blocking_twin (&lc->objects);
  g_assert_true (capa_camera_close (lc->objects.camera, NULL, NULL));
  g_main_context_invoke (NULL, quit_cb, lc->loop);

  return NULL;
}

/* The operations are handed to the running main loop, where the objects'
 * state changes as for the asynchronous forms. */
static void
test_loop_other_thread (void)
{
  LoopCase lc = { { 0 } };
  Watchdog dog;
  GThread *thread;

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  objects_make (&lc.objects);
  lc.loop = g_main_loop_new (NULL, FALSE);
  watchdog_start (&dog, "blocking twins on a thread while the main loop runs");
  thread = g_thread_new ("loop", loop_thread, &lc);
  g_main_loop_run (lc.loop);
  g_thread_join (thread);
  watchdog_stop (&dog);
  g_main_loop_unref (lc.loop);
  objects_free (&lc.objects);
}

/* --- from a signal handler in the main loop --- */

typedef struct
{
  Objects    objects;
  GMainLoop *loop;
  gboolean   idle_ran;
  gboolean   in_handler;
  gboolean   handled;
  gboolean   outer_done;
} HandlerCase;

static gboolean
on_idle_cb (gpointer data)
{
  HandlerCase *hc = data;

  hc->idle_ran = TRUE;
  return G_SOURCE_REMOVE;
}

/* What a plugin might do: react to a saved image by calling blocking
 * methods from its handler. */
static void
on_image_saved_cb (CapaTether *tether,
                   CapaImage  *image,
                   gpointer    data)
{
  HandlerCase *hc = data;
  Watchdog dog;

  /* The nested capture saves an image too. */
  if (hc->in_handler || hc->handled)
    return;
  hc->in_handler = TRUE;

  /* Pending in the main context before the calls: must not run inside. */
  g_idle_add (on_idle_cb, hc);
  g_assert_false (hc->idle_ran);

  watchdog_start (&dog, "blocking twins in a signal handler");
  call_every_blocking_twin (&hc->objects);
  watchdog_stop (&dog);

  g_assert_false (hc->idle_ran);
  hc->in_handler = FALSE;
  hc->handled = TRUE;
}

static void
on_outer_captured_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  HandlerCase *hc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;

  image = capa_tether_capture_finish (CAPA_TETHER (object), result, &error);
  g_assert_no_error (error);
  g_assert_true (CAPA_IS_IMAGE (image));
  hc->outer_done = TRUE;
  g_main_loop_quit (hc->loop);
}

static void
test_signal_handler (void)
{
  HandlerCase hc = { { 0 } };
  g_autoptr(GError) error = NULL;
  Watchdog dog;

  if (!have_camera)
    {
      g_test_skip ("the test camera cannot be used on this machine");
      return;
    }

  objects_make (&hc.objects);
  g_assert_true (capa_camera_open (hc.objects.camera, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (hc.objects.tether, "image-saved", G_CALLBACK (on_image_saved_cb), &hc);

  hc.loop = g_main_loop_new (NULL, FALSE);
  capa_tether_capture_async (hc.objects.tether, NULL, on_outer_captured_cb, &hc);
  watchdog_start (&dog, "the main loop of the signal-handler case");
  g_main_loop_run (hc.loop);
  watchdog_stop (&dog);

  g_assert_true (hc.handled);
  g_assert_true (hc.outer_done);
  /* The idle does run, once the handler has returned. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (hc.idle_ran);

  g_signal_handlers_disconnect_by_data (hc.objects.tether, &hc);
  g_assert_true (capa_camera_close (hc.objects.camera, NULL, &error));
  g_assert_no_error (error);
  g_main_loop_unref (hc.loop);
  objects_free (&hc.objects);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  have_camera = capa_test_use_test_camera (NULL);

  g_test_add_func ("/Capa/Blocking/no-loop-other-thread", test_no_loop_other_thread);
  g_test_add_func ("/Capa/Blocking/no-loop-own-thread", test_no_loop_own_thread);
  g_test_add_func ("/Capa/Blocking/loop-other-thread", test_loop_other_thread);
  g_test_add_func ("/Capa/Blocking/signal-handler", test_signal_handler);

  return g_test_run ();
}
