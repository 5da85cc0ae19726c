/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaCameraList follows USB hotplug: run under umockdev-wrapper, a
 * UMockdevTestbed sends "add" and "remove" uevents for a USB device, and
 * the list rescans (with the virtual camera as what it finds). */

#include "config.h"

#include <unistd.h>

#include <umockdev.h>

#include "capa-test-utils.h"
#include "capa-testing-private.h"

static char *jpeg_folder;
static char *empty_iolibs;
static gboolean have_vcamera;

typedef struct
{
  guint added;
  guint removed;
} Counts;

static void
on_added_cb (CapaCameraList *list,
             CapaCamera     *camera,
             Counts         *counts)
{
  g_assert_cmpstr (capa_camera_get_model (camera), ==, "Nikon DSC D750");
  counts->added++;
}

static void
on_removed_cb (CapaCameraList *list,
               CapaCamera     *camera,
               Counts         *counts)
{
  g_assert_cmpstr (capa_camera_get_model (camera), ==, "Nikon DSC D750");
  counts->removed++;
}

static gboolean
on_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main context until @counter reaches @value (or 10 s pass). */
static void
wait_for_count (guint *counter,
                guint  value)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, on_timeout_cb, &timed_out);

  while (*counter < value && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

static void
test_hotplug (void)
{
  g_autoptr(UMockdevTestbed) testbed = NULL;
  g_autoptr(CapaCameraList) list = NULL;
  g_autofree char *syspath = NULL;
  g_autofree char *real_iolibs = NULL;
  Counts counts = { 0, 0 };

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;
  if (g_strrstr (g_getenv ("LD_PRELOAD") ?: "", "umockdev-preload") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_test_fail_printf ("CI must run this test under umockdev-wrapper");
      else
        g_test_skip ("not running under umockdev-wrapper");
      return;
    }

  testbed = umockdev_testbed_new ();
  list = capa_camera_list_new ();
  g_assert_true (capa_camera_list_get_monitoring (list));
  g_signal_connect (list, "camera-added", G_CALLBACK (on_added_cb), &counts);
  g_signal_connect (list, "camera-removed", G_CALLBACK (on_removed_cb), &counts);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* Plugging a USB device in rescans: the camera shows up. Several
   * uevents in a row make one rescan. */
  syspath = umockdev_testbed_add_device (testbed, "usb", "capa-camera", NULL,
                                         "idVendor", "04b0", "idProduct", "0435", NULL,
                                         "DEVTYPE", "usb_device", "PRODUCT", "4b0/435/100", NULL);
  g_assert_nonnull (syspath);
  umockdev_testbed_uevent (testbed, syspath, "add");
  umockdev_testbed_uevent (testbed, syspath, "change");
  umockdev_testbed_uevent (testbed, syspath, "add");
  wait_for_count (&counts.added, 1);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* Unplugging: take the virtual camera's port driver away, then send the
   * "remove" uevent; the rescan finds nothing. */
  real_iolibs = g_strdup (g_getenv ("IOLIBS"));
  g_setenv ("IOLIBS", empty_iolibs, TRUE);
  umockdev_testbed_uevent (testbed, syspath, "remove");
  umockdev_testbed_remove_device (testbed, syspath);
  wait_for_count (&counts.removed, 1);
  g_assert_cmpuint (counts.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_setenv ("IOLIBS", real_iolibs, TRUE);

  /* Without monitoring, uevents do nothing. */
  capa_camera_list_set_monitoring (list, FALSE);
  g_assert_false (capa_camera_list_get_monitoring (list));

  capa_test_assert_finalized (g_steal_pointer (&list));
}

/* Holds the next scan that reaches the hook until released, waking the
 * main context when it does. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean armed;
  gboolean holding;
  gboolean release;
  guint    held_n_found;
} Hold;

static void
hold_scan_hook (CapaCameraList *list,
                guint           generation,
                guint           n_found,
                gpointer        user_data)
{
  Hold *hold = user_data;

  g_mutex_lock (&hold->mutex);
  if (hold->armed)
    {
      hold->armed = FALSE;
      hold->holding = TRUE;
      hold->held_n_found = n_found;
      g_main_context_wakeup (NULL);
      while (!hold->release)
        g_cond_wait (&hold->cond, &hold->mutex);
    }
  g_mutex_unlock (&hold->mutex);
}

static gboolean
hold_is_holding (Hold *hold)
{
  gboolean holding;

  g_mutex_lock (&hold->mutex);
  holding = hold->holding;
  g_mutex_unlock (&hold->mutex);
  return holding;
}

/* The rescan a plug-in triggers sees the camera, but is held; the camera
 * is unplugged and a blocking refresh sees it gone; the held rescan then
 * completes: its older result must not add the camera. */
static void
test_hotplug_stale_rescan (void)
{
  g_autoptr(UMockdevTestbed) testbed = NULL;
  g_autoptr(GError) error = NULL;
  CapaCameraList *list;
  g_autofree char *syspath = NULL;
  g_autofree char *real_iolibs = NULL;
  Counts counts = { 0, 0 };
  Hold hold = { 0 };

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;
  if (g_strrstr (g_getenv ("LD_PRELOAD") ?: "", "umockdev-preload") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_test_fail_printf ("CI must run this test under umockdev-wrapper");
      else
        g_test_skip ("not running under umockdev-wrapper");
      return;
    }

  g_mutex_init (&hold.mutex);
  g_cond_init (&hold.cond);
  hold.armed = TRUE;

  testbed = umockdev_testbed_new ();
  list = capa_camera_list_new ();
  _capa_testing_camera_list_set_scan_hook (list, hold_scan_hook, &hold);
  g_signal_connect (list, "camera-added", G_CALLBACK (on_added_cb), &counts);
  g_signal_connect (list, "camera-removed", G_CALLBACK (on_removed_cb), &counts);

  syspath = umockdev_testbed_add_device (testbed, "usb", "capa-camera-2", NULL,
                                         "idVendor", "04b0", "idProduct", "0435", NULL,
                                         "DEVTYPE", "usb_device", "PRODUCT", "4b0/435/100", NULL);
  g_assert_nonnull (syspath);
  umockdev_testbed_uevent (testbed, syspath, "add");
  while (!hold_is_holding (&hold))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hold.held_n_found, ==, 1);

  real_iolibs = g_strdup (g_getenv ("IOLIBS"));
  g_setenv ("IOLIBS", empty_iolibs, TRUE);
  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  g_mutex_lock (&hold.mutex);
  hold.release = TRUE;
  g_cond_broadcast (&hold.cond);
  g_mutex_unlock (&hold.mutex);

  /* The held rescan keeps the list alive until it has come back. */
  capa_camera_list_set_monitoring (list, FALSE);
  capa_test_assert_finalized (list);
  g_assert_cmpuint (counts.added, ==, 0);
  g_assert_cmpuint (counts.removed, ==, 0);

  g_setenv ("IOLIBS", real_iolibs, TRUE);
  umockdev_testbed_remove_device (testbed, syspath);
  g_mutex_clear (&hold.mutex);
  g_cond_clear (&hold.cond);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  capa_test_init (&argc, &argv);

  jpeg_folder = capa_test_make_tmpdir ("hotplug-jpegs");
  /* A port driver folder without the virtual camera: only PTP/IP, which
   * finds nothing by itself. */
  empty_iolibs = capa_test_make_tmpdir ("hotplug-no-iolibs");
  {
    g_autofree char *target = g_build_filename (g_getenv ("GPHOTO2_IOLIBS_DIR"), "ptpip.so", NULL);
    g_autofree char *link = g_build_filename (empty_iolibs, "ptpip.so", NULL);

    g_assert_cmpint (symlink (target, link), ==, 0);
  }
  capa_test_write_jpegs (jpeg_folder, 1, 32, 24);
  have_vcamera = capa_test_use_vcamera (jpeg_folder);

  g_test_add_func ("/Capa/CameraList/hotplug", test_hotplug);
  g_test_add_func ("/Capa/CameraList/hotplug-stale-rescan", test_hotplug_stale_rescan);

  result = g_test_run ();

  capa_test_rmtree (jpeg_folder);
  capa_test_rmtree (empty_iolibs);
  g_free (jpeg_folder);
  g_free (empty_iolibs);

  return result;
}
