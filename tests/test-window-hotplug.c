/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The window follows USB hotplug (issue 8): run under umockdev-wrapper
 * inside the Xvfb harness, a UMockdevTestbed plugs a USB device in, the
 * camera (the virtual camera) appears in the camera button's popover and
 * is connected by itself; unplugged, it vanishes from the popover and
 * the window says so. */

#include "config.h"

#include <unistd.h>

#include <gtk/gtk.h>
#include <umockdev.h>

#include "capa-test-utils.h"

#define screenshot(widget, name) capa_test_save_screenshot (GTK_WIDGET (widget), (name))
#define wait_until(check, window) capa_test_wait_for_window ((check), (window), WAIT_MS)
#define WAIT_MS 30000

static CapaApplication *app;
static char *jpeg_folder;
static char *empty_iolibs;
static gboolean have_vcamera;

static GtkWidget *
find (CapaWindow *window,
      const char *id)
{
  return capa_test_find_widget (GTK_WINDOW (window), id);
}

/* The names of the camera rows of the popover. */
static GPtrArray *
popover_cameras (CapaWindow *window)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (find (window, "listbox")));

  for (const GList *l = rows; l != NULL; l = l->next)
    if (GTK_IS_LIST_BOX_ROW (l->data))
      g_ptr_array_add (names, g_strdup (atk_object_get_name (gtk_widget_get_accessible (l->data))));

  return names;
}

static gboolean
one_camera_connected (CapaWindow *window)
{
  g_autoptr(GPtrArray) cameras = popover_cameras (window);

  return cameras->len == 1 && capa_window_get_tether (window) != NULL;
}

static gboolean
no_camera (CapaWindow *window)
{
  g_autoptr(GPtrArray) cameras = popover_cameras (window);

  return cameras->len == 0 && capa_window_get_tether (window) == NULL;
}

static void
test_hotplug (void)
{
  g_autoptr(UMockdevTestbed) testbed = NULL;
  g_autofree char *dir = capa_test_make_tmpdir ("window-hotplug");
  g_autofree char *real_iolibs = g_strdup (g_getenv ("IOLIBS"));
  g_autoptr(CapaSession) session = capa_session_new (dir);
  g_autoptr(GPtrArray) cameras = NULL;
  g_autofree char *syspath = NULL;
  CapaWindow *window;

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
  g_setenv ("IOLIBS", empty_iolibs, TRUE);
  window = capa_window_new (app);
  capa_window_set_session (window, session);
  gtk_widget_show (GTK_WIDGET (window));
  capa_test_spin (1000);
  g_assert_true (no_camera (window));

  /* Plugged in: listed in the popover, and connected by itself. */
  g_setenv ("IOLIBS", real_iolibs, TRUE);
  syspath = umockdev_testbed_add_device (testbed, "usb", "capa-camera", NULL,
                                         "idVendor", "04b0", "idProduct", "0435", NULL,
                                         "DEVTYPE", "usb_device", "PRODUCT", "4b0/435/100", NULL);
  umockdev_testbed_uevent (testbed, syspath, "add");
  g_assert_true (wait_until (one_camera_connected, window));
  cameras = popover_cameras (window);
  g_assert_cmpstr (cameras->pdata[0], ==, "Nikon DSC D750 on usb:001,001");
  g_assert_cmpstr (capa_camera_get_model (capa_camera_button_get_camera (
                     CAPA_CAMERA_BUTTON (find (window, "camera_button")))), ==, "Nikon DSC D750");
  gtk_popover_popup (GTK_POPOVER (gtk_menu_button_get_popover (
                       GTK_MENU_BUTTON (find (window, "camera_button")))));
  screenshot (window, "camera-popover");
  gtk_popover_popdown (GTK_POPOVER (gtk_menu_button_get_popover (
                         GTK_MENU_BUTTON (find (window, "camera_button")))));

  /* Unplugged: gone from the popover, the tether dropped, and said. */
  g_setenv ("IOLIBS", empty_iolibs, TRUE);
  umockdev_testbed_uevent (testbed, syspath, "remove");
  umockdev_testbed_remove_device (testbed, syspath);
  g_assert_true (wait_until (no_camera, window));
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (
                   capa_test_find_in (GTK_WIDGET (window), "message_bar"))));
  g_assert_null (capa_camera_button_get_camera (CAPA_CAMERA_BUTTON (find (window,
                                                                          "camera_button"))));

  gtk_widget_destroy (GTK_WIDGET (window));
  capa_test_spin (500);
  g_setenv ("IOLIBS", real_iolibs, TRUE);
  capa_test_rmtree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  capa_test_init (&argc, &argv);
  gtk_init (&argc, &argv);

  jpeg_folder = capa_test_make_tmpdir ("window-hotplug-jpegs");
  /* A port driver folder without the virtual camera: only PTP/IP, which
   * finds nothing by itself. */
  empty_iolibs = capa_test_make_tmpdir ("window-hotplug-no-iolibs");
  {
    g_autofree char *target = g_build_filename (g_getenv ("GPHOTO2_IOLIBS_DIR"), "ptpip.so", NULL);
    g_autofree char *link = g_build_filename (empty_iolibs, "ptpip.so", NULL);

    g_assert_cmpint (symlink (target, link), ==, 0);
  }
  capa_test_write_jpegs (jpeg_folder, 1, 32, 24);
  have_vcamera = capa_test_use_vcamera (jpeg_folder);

  app = capa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/Capa/WindowHotplug/hotplug", test_hotplug);

  result = g_test_run ();

  g_clear_object (&app);
  capa_test_rmtree (jpeg_folder);
  capa_test_rmtree (empty_iolibs);
  g_free (jpeg_folder);
  g_free (empty_iolibs);

  return result;
}
