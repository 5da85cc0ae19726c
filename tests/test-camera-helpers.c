/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Camera logic that needs no camera: GVFS mount matching, libgphoto2
 * errors, setting-change events, camera files, and the worker's
 * ordering, cancellation and signal emission on a camera never opened. */

#include "config.h"

#include <gphoto2/gphoto2.h>

#include "capa-camera-private.h"
#include "capa-gphoto2-private.h"
#include "capa-test-utils.h"

static void
test_gvfs_matching (void)
{
  const char *model = "Nikon DSC D750";
  const char *port = "usb:001,004";

  g_assert_true (_capa_gvfs_matches_camera ("gphoto2://[usb:001,004]/", NULL, model, port));
  g_assert_true (_capa_gvfs_matches_camera ("gphoto2://%5Busb%3A001%2C004%5D/", NULL, model, port));
  g_assert_true (_capa_gvfs_matches_camera ("gphoto2://[usb:1,4]/DCIM", NULL, model, port));
  g_assert_false (_capa_gvfs_matches_camera ("gphoto2://[usb:001,005]/", NULL, model, port));
  g_assert_false (_capa_gvfs_matches_camera ("gphoto2://[usb:002,004]/", NULL, model, port));

  g_assert_true (_capa_gvfs_matches_camera ("gphoto2://Nikon_DSC_D750/", NULL, model, port));
  g_assert_true (_capa_gvfs_matches_camera ("mtp://Nikon_DSC_D750_3001234/", NULL, model, port));
  g_assert_false (_capa_gvfs_matches_camera ("gphoto2://Nikon_DSC_D7500/", NULL, model, port));
  g_assert_false (_capa_gvfs_matches_camera ("gphoto2://Canon_EOS_5D/", NULL, model, port));

  /* Other schemes are never cameras. */
  g_assert_false (_capa_gvfs_matches_camera ("file:///media/Nikon_DSC_D750/", NULL, model, port));
  g_assert_false (_capa_gvfs_matches_camera ("smb://[usb:001,004]/", NULL, model, port));

  /* The volume's device node. */
  g_assert_true (_capa_gvfs_matches_camera (NULL, "/dev/bus/usb/001/004", model, port));
  g_assert_false (_capa_gvfs_matches_camera (NULL, "/dev/bus/usb/001/003", model, port));
  g_assert_false (_capa_gvfs_matches_camera (NULL, "/dev/bus/usb/001/004", model,
                                             "ptpip:10.0.0.2"));

  g_assert_false (_capa_gvfs_matches_camera (NULL, NULL, model, port));
  g_assert_false (_capa_gvfs_matches_camera ("not a uri", NULL, model, port));
}

static void
test_gp_errors (void)
{
  static const struct {
    int result;
    GQuark domain;
    int code;
  } cases[] = {
    { GP_ERROR_NOT_SUPPORTED, 0, CAPA_CAMERA_ERROR_NOT_SUPPORTED },
    { GP_ERROR_CAMERA_BUSY, 0, CAPA_CAMERA_ERROR_BUSY },
    { GP_ERROR_IO_USB_CLAIM, 0, CAPA_CAMERA_ERROR_GVFS_LOCKED },
    { GP_ERROR_IO_USB_FIND, 0, CAPA_CAMERA_ERROR_IO },
    { GP_ERROR_IO, 0, CAPA_CAMERA_ERROR_IO },
    { GP_ERROR_BAD_PARAMETERS, 0, CAPA_CAMERA_ERROR_BAD_PARAMETER },
    { GP_ERROR_FILE_NOT_FOUND, 0, CAPA_CAMERA_ERROR_NOT_FOUND },
    { GP_ERROR_NO_SPACE, 0, CAPA_CAMERA_ERROR_NO_SPACE },
    { GP_ERROR, 0, CAPA_CAMERA_ERROR_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      _capa_gp_set_error (&error, cases[i].result, "the camera said no", "Doing a thing");
      g_assert_error (error, CAPA_CAMERA_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, "Doing a thing"));
      if (cases[i].code != CAPA_CAMERA_ERROR_GVFS_LOCKED)
        {
          g_assert_nonnull (strstr (error->message, gp_result_as_string (cases[i].result)));
          g_assert_nonnull (strstr (error->message, "the camera said no"));
        }
      else
        g_assert_nonnull (strstr (error->message, "GVFS"));
    }

  {
    g_autoptr(GError) error = NULL;

    _capa_gp_set_error (&error, GP_ERROR_CANCEL, NULL, "Doing a thing");
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  g_assert_true (_capa_gp_result_is_disconnect (GP_ERROR_IO_USB_FIND));
  g_assert_true (_capa_gp_result_is_disconnect (GP_ERROR_IO_READ));
  g_assert_false (_capa_gp_result_is_disconnect (GP_ERROR_BAD_PARAMETERS));
  g_assert_false (_capa_gp_result_is_disconnect (GP_ERROR_IO_USB_CLAIM));
}

static void
test_property_events (void)
{
  g_autofree char *name = NULL;

  g_assert_true (_capa_parse_property_event ("PTP Property 5007 changed, \"f-number\" to \"f/5.6\"",
                                             &name));
  g_assert_cmpstr (name, ==, "f-number");
  g_clear_pointer (&name, g_free);

  g_assert_true (_capa_parse_property_event ("PTP Property d1a2 changed", &name));
  g_assert_null (name);

  g_assert_false (_capa_parse_property_event ("Capture complete", &name));
  g_assert_null (name);
  g_assert_false (_capa_parse_property_event (NULL, &name));
  g_assert_false (_capa_parse_property_event ("PTP Property 5007 changed, \"", &name) &&
                  name != NULL);
  g_clear_pointer (&name, g_free);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_camera_file (void)
{
  g_autoptr(CapaCameraFile) file = capa_camera_file_new ("/store_00010001/DCIM/100NIKON",
                                                         "DSC_0001.JPG");
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\xff\xd8\xff", 3);
  g_autofree char *path = capa_camera_file_dup_path (file);
  guint size_notifies = 0;

  g_assert_cmpstr (capa_camera_file_get_folder (file), ==, "/store_00010001/DCIM/100NIKON");
  g_assert_cmpstr (capa_camera_file_get_name (file), ==, "DSC_0001.JPG");
  g_assert_cmpstr (path, ==, "/store_00010001/DCIM/100NIKON/DSC_0001.JPG");
  g_assert_null (capa_camera_file_get_data (file));
  g_assert_cmpuint (capa_camera_file_get_size (file), ==, 0);

  g_signal_connect (file, "notify::size", G_CALLBACK (on_notify_cb), &size_notifies);
  capa_camera_file_set_data (file, bytes);
  g_assert_true (capa_camera_file_get_data (file) == bytes);
  g_assert_cmpuint (capa_camera_file_get_size (file), ==, 3);
  g_assert_cmpuint (size_notifies, ==, 1);
  capa_camera_file_set_mime_type (file, "image/jpeg");
  g_assert_cmpstr (capa_camera_file_get_mime_type (file), ==, "image/jpeg");

  g_assert_finalize_object (g_steal_pointer (&file));

  file = capa_camera_file_new ("/", "preview.jpg");
  g_clear_pointer (&path, g_free);
  path = capa_camera_file_dup_path (file);
  g_assert_cmpstr (path, ==, "/preview.jpg");
}

typedef struct
{
  GPtrArray *order;
  guint      pending;
} Ordering;

static void
on_ordered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Ordering *ordering = user_data;
  g_autoptr(GError) error = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  /* Every job fails: the camera is not open. */
  if (g_task_get_source_tag (G_TASK (result)) == capa_camera_capture_image_async)
    g_assert_null (capa_camera_capture_image_finish (CAPA_CAMERA (object), result, &error));
  else if (g_task_get_source_tag (G_TASK (result)) == capa_camera_load_controls_async)
    g_assert_false (capa_camera_load_controls_finish (CAPA_CAMERA (object), result, &error));
  else
    g_assert_false (capa_camera_process_events_finish (CAPA_CAMERA (object), result, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED);

  g_ptr_array_add (ordering->order, tag);
  ordering->pending--;
}

static void
test_camera_closed (void)
{
  g_autoptr(CapaCamera) camera = capa_camera_new ("Nikon DSC D750", "usb:001,001");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaCameraFile) file = capa_camera_file_new ("/", "x.jpg");
  Ordering ordering = { g_ptr_array_new (), 0 };

  g_assert_false (capa_camera_get_connected (camera));
  g_assert_null (capa_camera_get_controls (camera));

  g_assert_false (capa_camera_download_file (camera, file, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_null (capa_camera_get_controls (camera));

  /* A cancelled job never reaches the camera. */
  g_cancellable_cancel (cancellable);
  g_assert_false (capa_camera_delete_file (camera, file, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Jobs finish in the order they were asked for, in this thread's
   * main context. */
  capa_camera_capture_image_async (camera, NULL, on_ordered_cb, &ordering);
  capa_camera_load_controls_async (camera, NULL, on_ordered_cb, &ordering);
  capa_camera_process_events_async (camera, 10, NULL, on_ordered_cb, &ordering);
  ordering.pending = 3;
  while (ordering.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ordering.order->len, ==, 3);
  g_assert_true (g_ptr_array_index (ordering.order, 0) == capa_camera_capture_image_async);
  g_assert_true (g_ptr_array_index (ordering.order, 1) == capa_camera_load_controls_async);
  g_assert_true (g_ptr_array_index (ordering.order, 2) == capa_camera_process_events_async);

  g_ptr_array_unref (ordering.order);
  g_assert_finalize_object (g_steal_pointer (&camera));
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

  g_test_add_func ("/Capa/Camera/gvfs-matching", test_gvfs_matching);
  g_test_add_func ("/Capa/Camera/gp-errors", test_gp_errors);
  g_test_add_func ("/Capa/Camera/property-events", test_property_events);
  g_test_add_func ("/Capa/CameraFile/basics", test_camera_file);
  g_test_add_func ("/Capa/Camera/closed", test_camera_closed);

  return g_test_run ();
}
