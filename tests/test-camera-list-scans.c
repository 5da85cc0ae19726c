/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaCameraList with overlapping scans: a scan held in the middle (by the
 * private scan hook) while a newer one completes must not bring back what
 * the newer one saw gone, and the list is only ever changed in its own
 * main context, even by a blocking refresh called from another thread.
 * The virtual camera is "plugged" and "unplugged" by pointing IOLIBS at
 * its port driver or at a folder without it. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "capa-test-utils.h"
#include "capa-testing-private.h"

static char *jpeg_folder;
static char *vcamera_iolibs;
static char *empty_iolibs;
static GThread *main_thread;

typedef struct
{
  guint added;
  guint removed;
  guint notify_n_items;
} Counts;

static void
on_added_cb (CapaCameraList *list,
             CapaCamera     *camera,
             Counts         *counts)
{
  g_assert_true (g_thread_self () == main_thread);
  g_assert_cmpstr (capa_camera_get_model (camera), ==, "Nikon DSC D750");
  counts->added++;
}

static void
on_removed_cb (CapaCameraList *list,
               CapaCamera     *camera,
               Counts         *counts)
{
  g_assert_true (g_thread_self () == main_thread);
  g_assert_cmpstr (capa_camera_get_model (camera), ==, "Nikon DSC D750");
  counts->removed++;
}

static void
on_notify_n_items_cb (CapaCameraList *list,
                      GParamSpec     *pspec,
                      Counts         *counts)
{
  g_assert_true (g_thread_self () == main_thread);
  counts->notify_n_items++;
}

static CapaCameraList *
make_list (Counts *counts)
{
  CapaCameraList *list = g_object_new (CAPA_TYPE_CAMERA_LIST, "monitoring", FALSE, NULL);

  g_signal_connect (list, "camera-added", G_CALLBACK (on_added_cb), counts);
  g_signal_connect (list, "camera-removed", G_CALLBACK (on_removed_cb), counts);
  g_signal_connect (list, "notify::n-items", G_CALLBACK (on_notify_n_items_cb), counts);
  return list;
}

static void
plug (gboolean plugged)
{
  g_setenv ("IOLIBS", plugged ? vcamera_iolibs : empty_iolibs, TRUE);
}

/* Holds the next scan that reaches the hook until released. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean armed;
  gboolean holding;
  gboolean release;
  guint    held_generation;
  guint    held_n_found;
  guint    n_scans;
} Hold;

static void
hold_scan_hook (CapaCameraList *list,
                guint           generation,
                guint           n_found,
                gpointer        user_data)
{
  Hold *hold = user_data;

  g_mutex_lock (&hold->mutex);
  hold->n_scans++;
  if (hold->armed)
    {
      hold->armed = FALSE;
      hold->holding = TRUE;
      hold->held_generation = generation;
      hold->held_n_found = n_found;
      g_cond_broadcast (&hold->cond);
      while (!hold->release)
        g_cond_wait (&hold->cond, &hold->mutex);
      hold->holding = FALSE;
    }
  g_mutex_unlock (&hold->mutex);
}

static void
hold_init (Hold *hold)
{
  memset (hold, 0, sizeof *hold);
  g_mutex_init (&hold->mutex);
  g_cond_init (&hold->cond);
}

static void
hold_clear (Hold *hold)
{
  g_mutex_clear (&hold->mutex);
  g_cond_clear (&hold->cond);
}

static void
hold_arm (Hold *hold)
{
  g_mutex_lock (&hold->mutex);
  hold->armed = TRUE;
  hold->release = FALSE;
  g_mutex_unlock (&hold->mutex);
}

/* Blocks until a scan is held in the hook (it has looked at the ports). */
static void
hold_wait_held (Hold *hold)
{
  g_mutex_lock (&hold->mutex);
  while (!hold->holding)
    g_cond_wait (&hold->cond, &hold->mutex);
  g_mutex_unlock (&hold->mutex);
}

static void
hold_release (Hold *hold)
{
  g_mutex_lock (&hold->mutex);
  hold->release = TRUE;
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->mutex);
}

/* A scan that saw the camera, held while the camera is unplugged and a
 * blocking refresh removes it, completes last: the camera stays gone. */
static void
test_stale_scan_after_unplug (void)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };
  Counts counts = { 0 };
  Hold hold;
  guint newer;

  if (!capa_test_vcamera_available ())
    return;

  hold_init (&hold);
  plug (TRUE);
  list = make_list (&counts);
  _capa_testing_camera_list_set_scan_hook (list, hold_scan_hook, &hold);
  g_assert_cmpuint (_capa_testing_camera_list_get_applied_generation (list), ==, 0);

  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* The hotplug-style asynchronous rescan sees the camera, then waits. */
  hold_arm (&hold);
  capa_camera_list_refresh_async (list, NULL, capa_test_async_done_cb, &wait);
  hold_wait_held (&hold);
  g_assert_cmpuint (hold.held_n_found, ==, 1);

  /* Unplugged meanwhile: a blocking refresh removes the camera. */
  plug (FALSE);
  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  newer = _capa_testing_camera_list_get_applied_generation (list);
  g_assert_cmpuint (newer, >, hold.held_generation);

  /* The older scan completes now: it is dropped, not applied. */
  hold_release (&hold);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  g_assert_true (capa_camera_list_refresh_finish (list, wait.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpuint (counts.removed, ==, 1);
  g_assert_cmpuint (counts.notify_n_items, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpuint (_capa_testing_camera_list_get_applied_generation (list), ==, newer);
  g_assert_cmpuint (hold.n_scans, ==, 3);

  capa_test_async_clear (&wait);
  plug (TRUE);
  _capa_testing_camera_list_set_scan_hook (list, NULL, NULL);
  capa_test_assert_finalized (g_steal_pointer (&list));
  hold_clear (&hold);
}

/* Two asynchronous scans completing out of order: the older one, which
 * saw no camera, must not remove the camera the newer one found. */
static void
test_async_scans_out_of_order (void)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync older = { 0 };
  CapaTestAsync newer = { 0 };
  Counts counts = { 0 };
  Hold hold;

  if (!capa_test_vcamera_available ())
    return;

  hold_init (&hold);
  plug (FALSE);
  list = make_list (&counts);
  _capa_testing_camera_list_set_scan_hook (list, hold_scan_hook, &hold);

  hold_arm (&hold);
  capa_camera_list_refresh_async (list, NULL, capa_test_async_done_cb, &older);
  hold_wait_held (&hold);
  g_assert_cmpuint (hold.held_n_found, ==, 0);

  plug (TRUE);
  capa_camera_list_refresh_async (list, NULL, capa_test_async_done_cb, &newer);
  g_assert_true (capa_test_wait_for (&newer.done, 30000));
  g_assert_true (capa_camera_list_refresh_finish (list, newer.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  hold_release (&hold);
  g_assert_true (capa_test_wait_for (&older.done, 30000));
  g_assert_true (capa_camera_list_refresh_finish (list, older.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpuint (counts.removed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpuint (_capa_testing_camera_list_get_applied_generation (list),
                    >, hold.held_generation);

  /* A scan that starts after both and sees the camera gone applies. */
  plug (FALSE);
  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  capa_test_async_clear (&older);
  capa_test_async_clear (&newer);
  plug (TRUE);
  _capa_testing_camera_list_set_scan_hook (list, NULL, NULL);
  capa_test_assert_finalized (g_steal_pointer (&list));
  hold_clear (&hold);
}

typedef struct
{
  CapaCameraList *list;
  GMainLoop      *loop;
  GThread        *thread;
  gboolean        result;
  GError         *error;
} ThreadRefresh;

static gboolean
quit_cb (gpointer data)
{
  ThreadRefresh *refresh = data;

  g_main_loop_quit (refresh->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
refresh_thread_func (gpointer data)
{
  ThreadRefresh *refresh = data;

  refresh->result = capa_camera_list_refresh (refresh->list, NULL, &refresh->error);
  g_main_context_invoke (NULL, quit_cb, refresh);
  return NULL;
}

/* Starts the thread once the main loop runs (and so owns the context). */
static gboolean
start_thread_cb (gpointer data)
{
  ThreadRefresh *refresh = data;

  refresh->thread = g_thread_new ("refresh", refresh_thread_func, refresh);
  return G_SOURCE_REMOVE;
}

/* A blocking refresh on another thread, while the main thread runs the
 * list's context: the list changes (and signals come) on the main thread
 * only, never under the main thread's feet. */
static void
test_blocking_refresh_from_thread (void)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Counts counts = { 0 };
  ThreadRefresh refresh = { 0 };

  if (!capa_test_vcamera_available ())
    return;

  plug (TRUE);
  list = make_list (&counts);
  loop = g_main_loop_new (NULL, FALSE);
  refresh.list = list;
  refresh.loop = loop;

  g_idle_add (start_thread_cb, &refresh);
  g_main_loop_run (loop);
  g_thread_join (g_steal_pointer (&refresh.thread));

  g_assert_no_error (refresh.error);
  g_assert_true (refresh.result);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpuint (counts.notify_n_items, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  capa_test_assert_finalized (g_steal_pointer (&list));
}

int
main (int   argc,
      char *argv[])
{
  int result;

  capa_test_init (&argc, &argv);
  main_thread = g_thread_self ();

  jpeg_folder = capa_test_make_tmpdir ("scans-jpegs");
  /* A port driver folder without the virtual camera: only PTP/IP, which
   * finds nothing by itself. */
  empty_iolibs = capa_test_make_tmpdir ("scans-no-iolibs");
  {
    g_autofree char *target = g_build_filename (g_getenv ("GPHOTO2_IOLIBS_DIR"), "ptpip.so", NULL);
    g_autofree char *link = g_build_filename (empty_iolibs, "ptpip.so", NULL);

    g_assert_cmpint (symlink (target, link), ==, 0);
  }
  capa_test_write_jpegs (jpeg_folder, 1, 32, 24);
  if (capa_test_use_vcamera (jpeg_folder))
    vcamera_iolibs = g_strdup (g_getenv ("IOLIBS"));

  g_test_add_func ("/Capa/CameraList/stale-scan-after-unplug", test_stale_scan_after_unplug);
  g_test_add_func ("/Capa/CameraList/async-scans-out-of-order", test_async_scans_out_of_order);
  g_test_add_func ("/Capa/CameraList/blocking-refresh-from-thread",
                   test_blocking_refresh_from_thread);

  result = g_test_run ();

  capa_test_rmtree (jpeg_folder);
  capa_test_rmtree (empty_iolibs);
  g_free (jpeg_folder);
  g_free (empty_iolibs);
  g_free (vcamera_iolibs);

  return result;
}
