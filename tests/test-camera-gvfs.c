/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Which desktop (GVFS) mount holds a camera, with several bodies of the
 * same model plugged in: the port (or the serial number udev gives the
 * device on it) decides, the model name only when it cannot be wrong. */

#include "config.h"

#include "capa-camera-gvfs-private.h"
#include "capa-test-utils.h"
#include "capa-testing-private.h"

#define MODEL "Nikon DSC D750"
#define PORT "usb:001,004"
#define SERIAL "Nikon_Corp._D750_3001234"

static int
find (const CapaGvfsMount *mounts,
      guint                n_mounts,
      const char          *usb_serial)
{
  g_autoptr(GError) error = NULL;
  int index = _capa_gvfs_find_camera_mount (mounts, n_mounts, MODEL, PORT, usb_serial, &error);

  if (index >= 0)
    g_assert_no_error (error);
  else
    g_assert_nonnull (error);
  return index;
}

/* Two D750 bodies by port: the one on our port, wherever it is listed,
 * even when a mount named after the model comes first. */
static void
test_by_port (void)
{
  const CapaGvfsMount mounts[] = {
    { "D750", "gphoto2://Nikon_DSC_D750/", NULL, NULL, NULL },
    { "D750", "gphoto2://[usb:001,005]/", NULL, "gphoto2://[usb:001,005]/", NULL },
    { "D750", "gphoto2://%5Busb%3A001%2C004%5D/", NULL, NULL, NULL },
  };
  const CapaGvfsMount by_device[] = {
    { "D750", "gphoto2://Nikon_DSC_D750/", NULL, NULL, "/dev/bus/usb/001/005" },
    { "D750", "gphoto2://Nikon_DSC_D750_2/", NULL, NULL, "/dev/bus/usb/001/004" },
  };
  const CapaGvfsMount by_activation[] = {
    { "D750", "file:///run/user/1000/gvfs/a", NULL, "gphoto2://[usb:002,004]/", NULL },
    { "D750", "file:///run/user/1000/gvfs/b", NULL, "gphoto2://[usb:1,4]/", NULL },
  };

  g_assert_cmpint (find (mounts, G_N_ELEMENTS (mounts), NULL), ==, 2);
  g_assert_cmpint (find (by_device, G_N_ELEMENTS (by_device), NULL), ==, 1);
  g_assert_cmpint (find (by_activation, G_N_ELEMENTS (by_activation), NULL), ==, 1);
}

/* Today's GVFS names the mount after udev's ID_SERIAL of the device. */
static void
test_by_serial (void)
{
  const CapaGvfsMount mounts[] = {
    { "D750", "gphoto2://Nikon_Corp._D750_3001235/", NULL,
      "gphoto2://Nikon_Corp._D750_3001235/", NULL },
    { "D750", "gphoto2://Nikon_Corp._D750_3001234/", NULL,
      "gphoto2://Nikon_Corp._D750_3001234/", NULL },
    { "D750", "mtp://Nikon_Corp._D750_3001236/", NULL, NULL, NULL },
  };

  g_assert_cmpint (find (mounts, G_N_ELEMENTS (mounts), SERIAL), ==, 1);
  /* Without the trailing slash, among other makes. */
  {
    const CapaGvfsMount escaped[] = {
      { "Other", "gphoto2://Canon_Inc._Canon_Digital_Camera_1/", NULL, NULL, NULL },
      { "D750", "gphoto2://Nikon_Corp._D750_3001234", NULL, NULL, NULL },
    };

    g_assert_cmpint (find (escaped, G_N_ELEMENTS (escaped), SERIAL), ==, 1);
  }
  /* Without knowing our serial, those names identify nothing. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (_capa_gvfs_find_camera_mount (mounts, G_N_ELEMENTS (mounts), MODEL, PORT,
                                                   NULL, &error),
                     ==, -1);
    g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
  }
}

/* The model name decides only when exactly one mount can be it. */
static void
test_by_model (void)
{
  const CapaGvfsMount one[] = {
    { "Canon", "gphoto2://Canon_EOS_5D/", NULL, NULL, NULL },
    { "D750", "gphoto2://Nikon_DSC_D750/", NULL, NULL, NULL },
    { "D7500", "gphoto2://Nikon_DSC_D7500/", NULL, NULL, NULL },
  };
  /* The other D750 mounts are known to be other bodies: they do not count. */
  const CapaGvfsMount others_known[] = {
    { "D750 a", "gphoto2://Nikon_DSC_D750/", NULL, NULL, "/dev/bus/usb/001/005" },
    { "D750 b", "gphoto2://[usb:003,002]/", NULL, NULL, NULL },
    { "D750 c", "gphoto2://Nikon_DSC_D750_2/", NULL, NULL, NULL },
  };

  g_assert_cmpint (find (one, G_N_ELEMENTS (one), NULL), ==, 1);
  g_assert_cmpint (find (others_known, G_N_ELEMENTS (others_known), NULL), ==, 2);
}

/* Several mounts of the model and nothing telling ours: an error naming
 * them, and no mount picked. */
static void
test_ambiguous (void)
{
  const CapaGvfsMount mounts[] = {
    { "Studio D750", "gphoto2://Nikon_DSC_D750/", NULL, NULL, NULL },
    { "Canon", "gphoto2://Canon_EOS_5D/", NULL, NULL, NULL },
    { "Second D750", "mtp://Nikon_DSC_D750_3001234/", NULL, NULL, NULL },
    { NULL, "gphoto2://Nikon_DSC_D750_9/", NULL, NULL, NULL },
  };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (_capa_gvfs_find_camera_mount (mounts, G_N_ELEMENTS (mounts), MODEL, PORT,
                                                 NULL, &error),
                   ==, -1);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, MODEL));
  g_assert_nonnull (strstr (error->message, "“Studio D750”"));
  g_assert_nonnull (strstr (error->message, "“Second D750”"));
  g_assert_nonnull (strstr (error->message, "“gphoto2://Nikon_DSC_D750_9/”"));
  g_assert_null (strstr (error->message, "Canon"));
  g_assert_nonnull (strstr (error->message, PORT));
  g_clear_error (&error);

  /* The same with our port among them: no ambiguity. */
  {
    const CapaGvfsMount with_port[] = {
      mounts[0], mounts[1], mounts[2],
      { "Third D750", "gphoto2://Nikon_DSC_D750_3/", NULL, NULL, "/dev/bus/usb/001/004" },
    };

    g_assert_cmpint (find (with_port, G_N_ELEMENTS (with_port), NULL), ==, 3);
  }
}

static void
test_none (void)
{
  const CapaGvfsMount mounts[] = {
    { "Disk", "file:///media/Nikon_DSC_D750/", NULL, NULL, "/dev/sdb1" },
    { "Share", "smb://[usb:001,004]/", NULL, NULL, NULL },
    { "Other", "gphoto2://[usb:001,005]/", NULL, NULL, NULL },
    { NULL, NULL, NULL, NULL, NULL },
  };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (_capa_gvfs_find_camera_mount (mounts, G_N_ELEMENTS (mounts), MODEL, PORT,
                                                 SERIAL, &error),
                   ==, -1);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, MODEL));
  g_clear_error (&error);

  g_assert_cmpint (_capa_gvfs_find_camera_mount (NULL, 0, MODEL, PORT, NULL, &error), ==, -1);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
}

static void
on_lookup_cb (gpointer data)
{
  GThread **thread = data;

  g_atomic_pointer_set (thread, g_thread_self ());
}

/* The volume monitor (synchronous D-Bus on first use) and udev are read
 * on a worker thread, never on the caller's. */
static void
test_lookup_off_thread (void)
{
  g_autoptr(CapaCamera) camera = capa_camera_new (MODEL, PORT);
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };
  GThread *lookup_thread = NULL;

  _capa_testing_camera_gvfs_set_lookup_hook (on_lookup_cb, &lookup_thread);
  capa_camera_unmount_gvfs_async (camera, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (g_atomic_pointer_get (&lookup_thread) != g_thread_self ());

  g_assert_true (capa_test_wait_for (&wait.done, 60000));
  _capa_testing_camera_gvfs_set_lookup_hook (NULL, NULL);
  g_assert_nonnull (g_atomic_pointer_get (&lookup_thread));
  g_assert_true (g_atomic_pointer_get (&lookup_thread) != g_thread_self ());

  /* No camera mount here. */
  g_assert_false (capa_camera_unmount_gvfs_finish (camera, wait.result, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
  capa_test_async_clear (&wait);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

  g_test_add_func ("/Capa/Camera/gvfs/by-port", test_by_port);
  g_test_add_func ("/Capa/Camera/gvfs/by-serial", test_by_serial);
  g_test_add_func ("/Capa/Camera/gvfs/by-model", test_by_model);
  g_test_add_func ("/Capa/Camera/gvfs/ambiguous", test_ambiguous);
  g_test_add_func ("/Capa/Camera/gvfs/none", test_none);
  g_test_add_func ("/Capa/Camera/gvfs/lookup-off-thread", test_lookup_off_thread);

  return g_test_run ();
}
