/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Network (PTP/IP) cameras (issue 10, item 6) against the test camera
 * driver, which also answers on any ptpip: port without reading it
 * (tests/camlib/README.md): added by address with a model and with the
 * model left to detection, opened, a shot through CapaTether saved in the
 * session; bad addresses and unknown models give clear errors; a camera
 * added by hand is removed again. Nothing is sent on the network. */

#include "config.h"

#include <string.h>

#include "capa-test-utils.h"

#define NET_PORT "ptpip:127.0.0.1"

static gboolean have_camera;

static void
on_count_cb (CapaCameraList *list,
             CapaCamera     *camera,
             guint          *count)
{
  (*count)++;
}

static void
test_check_port (void)
{
  static const char * const good[] = {
    "ptpip:127.0.0.1", "ptpip:192.168.1.20:15740", "ptpip:camera.local", "ptpip:nikon-z6",
    "ip:10.0.0.2",
  };
  static const char * const bad[] = {
    "usb:001,002", "ptpip:", "ptpip:192.168.1.300", "ptpip:host name", "ptpip:-camera",
    "ptpip:camera.", "ptpip:192.168.1.20:99999", "ptpip:192.168.1.20:", "ptpip:a/b",
    "ptpip:::1", "192.168.1.20",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (capa_camera_list_check_network_port (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (capa_camera_list_check_network_port (bad[i], &error));
      g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
      /* The message names what was given and what is expected. */
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_true (strstr (error->message, "192.168.1.20") != NULL);
    }
}

/* Opens @camera, takes a shot through a tether and checks that the file
 * is in the session. */
static void
open_and_capture (CapaCamera *camera)
{
  g_autofree char *directory = capa_test_make_tmpdir ("network-camera");
  g_autoptr(CapaSession) session = capa_session_new (directory);
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(CapaTether) tether = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  capa_test_camera_open (camera);
  g_assert_true (capa_camera_get_has_capture (camera));

  tether = capa_tether_new (camera, session);
  capa_test_camera_collect_tether (tether, saved, errors);
  image = capa_test_camera_capture (tether, NULL, 60000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_cmpuint (saved->len, ==, 1);
  g_assert_cmpuint (errors->len, ==, 0);

  path = capa_image_get_filename (image);
  g_assert_true (g_str_has_prefix (path, directory));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  capa_test_assert_finalized (g_steal_pointer (&tether));
  capa_test_camera_close (camera);
  g_clear_object (&image);
  g_clear_object (&session);
  capa_test_rmtree (directory);
}

static void
test_with_model (void)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GError) error = NULL;
  CapaCamera *camera;

  if (!capa_test_camera_usable (have_camera))
    return;
  capa_test_camera_reset ();

  list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (list, FALSE);
  camera = capa_camera_list_add_network_camera (list, NET_PORT, CAPA_TEST_CAMERA_MODEL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (camera);
  g_assert_cmpstr (capa_camera_get_model (camera), ==, CAPA_TEST_CAMERA_MODEL);
  g_assert_cmpstr (capa_camera_get_port (camera), ==, NET_PORT);
  g_assert_true (capa_camera_list_is_network_camera (list, camera));

  open_and_capture (camera);

  /* Autodetection never lists it; a rescan keeps it. */
  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_list_find (list, CAPA_TEST_CAMERA_MODEL, NET_PORT) == camera);
  g_assert_nonnull (capa_camera_list_find (list, CAPA_TEST_CAMERA_MODEL,
                                           CAPA_TEST_CAMERA_PORT));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  capa_test_assert_finalized (g_steal_pointer (&list));
}

static void
test_detect (void)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GError) error = NULL;
  CapaCamera *camera;

  if (!capa_test_camera_usable (have_camera))
    return;
  capa_test_camera_reset ();

  list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (list, FALSE);
  camera = capa_camera_list_add_network_camera (list, NET_PORT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (capa_camera_get_model (camera), ==, CAPA_NETWORK_CAMERA_GENERIC_MODEL);

  open_and_capture (camera);

  /* The camera says what it really is in its summary. */
  capa_test_camera_open (camera);
  g_assert_true (capa_camera_load_summary (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (capa_camera_get_summary (camera), "Model: " CAPA_TEST_CAMERA_MODEL));
  capa_test_camera_close (camera);

  capa_test_assert_finalized (g_steal_pointer (&list));
}

static void
test_bad_address (void)
{
  g_autoptr(CapaCameraList) list = capa_camera_list_new ();
  g_autoptr(GError) error = NULL;
  guint added = 0;

  capa_camera_list_set_monitoring (list, FALSE);
  g_signal_connect (list, "camera-added", G_CALLBACK (on_count_cb), &added);

  g_assert_null (capa_camera_list_add_network_camera (list, "ptpip:192.168.1.300", NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
  g_assert_nonnull (strstr (error->message, "ptpip:192.168.1.300"));
  g_clear_error (&error);
  g_assert_null (capa_camera_list_add_network_camera (list, "ptpip:my camera", NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  capa_test_assert_finalized (g_steal_pointer (&list));
}

static void
test_unknown_model (void)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GError) error = NULL;
  CapaCamera *camera;

  if (!capa_test_camera_usable (have_camera))
    return;

  /* Only the test driver is loaded: ptp2's models are unknown here. */
  list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (list, FALSE);
  camera = capa_camera_list_add_network_camera (list, NET_PORT, "Nikon DSLR (WLAN)", &error);
  g_assert_no_error (error);
  g_assert_false (capa_camera_open (camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Nikon DSLR (WLAN)"));
  g_assert_false (capa_camera_get_connected (camera));

  capa_test_assert_finalized (g_steal_pointer (&list));
}

static void
test_remove (void)
{
  g_autoptr(CapaCameraList) list = capa_camera_list_new ();
  g_autoptr(GError) error = NULL;
  guint removed = 0;
  CapaCamera *detect;
  CapaCamera *named;

  capa_camera_list_set_monitoring (list, FALSE);
  g_signal_connect (list, "camera-removed", G_CALLBACK (on_count_cb), &removed);

  detect = capa_camera_list_add_network_camera (list, "ptpip:192.0.2.7", NULL, &error);
  g_assert_no_error (error);
  named = capa_camera_list_add_network_camera (list, "ptpip:192.0.2.8", "Canon EOS (WLAN)",
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  /* The model must match: NULL stands for the generic one. */
  g_assert_false (capa_camera_list_remove_network_camera (list, "ptpip:192.0.2.8", NULL));
  g_assert_false (capa_camera_list_remove_network_camera (list, "ptpip:192.0.2.9", NULL));
  g_assert_cmpuint (removed, ==, 0);

  g_assert_true (capa_camera_list_remove_network_camera (list, "ptpip:192.0.2.7", NULL));
  g_assert_cmpuint (removed, ==, 1);
  g_assert_null (capa_camera_list_find (list, CAPA_NETWORK_CAMERA_GENERIC_MODEL,
                                        "ptpip:192.0.2.7"));
  g_assert_false (capa_camera_list_remove_network_camera (list, "ptpip:192.0.2.7", NULL));
  g_assert_true (capa_camera_list_is_network_camera (list, named));
  (void) detect;  /* the list held the only reference */

  g_assert_true (capa_camera_list_remove_network_camera (list, "ptpip:192.0.2.8",
                                                         "Canon EOS (WLAN)"));
  g_assert_cmpuint (removed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* A rescan does not bring them back. */
  if (have_camera)
    {
      g_assert_true (capa_camera_list_refresh (list, NULL, &error));
      g_assert_no_error (error);
      g_assert_null (capa_camera_list_find (list, "Canon EOS (WLAN)", "ptpip:192.0.2.8"));
    }

  /* Detected cameras are not "forgotten". */
  g_assert_false (capa_camera_list_remove_network_camera (list, CAPA_TEST_CAMERA_PORT,
                                                          CAPA_TEST_CAMERA_MODEL));

  capa_test_assert_finalized (g_steal_pointer (&list));
}

static void
test_models (void)
{
  CapaTestAsync wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = NULL;

  if (!capa_test_camera_usable (have_camera))
    return;

  capa_camera_list_get_network_models_async (NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 60000));
  models = capa_camera_list_get_network_models_finish (wait.result, &error);
  capa_test_async_clear (&wait);
  g_assert_no_error (error);

  /* Only the test driver is loaded: its own model on PTP/IP; the generic
   * one it also answers to is left out (the dialog's "Detect"). */
  g_assert_nonnull (models);
  g_assert_cmpuint (g_strv_length (models), ==, 1);
  g_assert_cmpstr (models[0], ==, CAPA_TEST_CAMERA_MODEL);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  have_camera = capa_test_use_test_camera (NULL);

  g_test_add_func ("/Capa/NetworkCamera/check-port", test_check_port);
  g_test_add_func ("/Capa/NetworkCamera/with-model", test_with_model);
  g_test_add_func ("/Capa/NetworkCamera/detect", test_detect);
  g_test_add_func ("/Capa/NetworkCamera/bad-address", test_bad_address);
  g_test_add_func ("/Capa/NetworkCamera/unknown-model", test_unknown_model);
  g_test_add_func ("/Capa/NetworkCamera/remove", test_remove);
  g_test_add_func ("/Capa/NetworkCamera/models", test_models);

  return g_test_run ();
}
