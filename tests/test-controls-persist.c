/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Every kind of control, saved to a camera driver and read back after the
 * camera was closed and opened again: Capa's test camera (tests/camlib)
 * keeps its settings like a real body, unlike the virtual D750. */

#include "config.h"

#include "capa-test-utils.h"

static gboolean have_camera;

static CapaControl *
get (CapaCamera *camera,
     const char *path)
{
  CapaControl *control = capa_control_group_get_by_path (capa_camera_get_controls (camera), path);

  g_assert_nonnull (control);
  g_assert_cmpstr (capa_control_get_path (control), ==, path);
  return control;
}

static void
reopen (CapaCamera *camera)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
}

static void
test_controls_persist (void)
{
  g_autoptr(GError) error = NULL;
  CapaCamera *camera;
  CapaControl *fnumber, *whitebalance, *compensation, *autoiso, *owner, *datetime, *battery, *reset;
  CapaControlGroup *root;

  if (!have_camera && !capa_test_vcamera_available ())
    return;

  camera = capa_test_camera_find_and_open ();
  g_assert_cmpstr (capa_camera_get_model (camera), ==, CAPA_TEST_CAMERA_MODEL);
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  root = capa_camera_get_controls (camera);

  fnumber = get (camera, "/main/capturesettings/f-number");
  whitebalance = get (camera, "/main/imgsettings/whitebalance");
  compensation = get (camera, "/main/capturesettings/exposurecompensation");
  autoiso = get (camera, "/main/capturesettings/autoiso");
  owner = get (camera, "/main/settings/ownername");
  datetime = get (camera, "/main/settings/datetime");
  battery = get (camera, "/main/status/batterylevel");
  reset = get (camera, "/main/testing/reset");

  /* Each kind of widget becomes its own kind of control. */
  g_assert_true (CAPA_IS_CONTROL_CHOICE (fnumber));
  g_assert_false (capa_control_choice_get_is_menu (CAPA_CONTROL_CHOICE (fnumber)));
  g_assert_true (CAPA_IS_CONTROL_CHOICE (whitebalance));
  g_assert_true (capa_control_choice_get_is_menu (CAPA_CONTROL_CHOICE (whitebalance)));
  g_assert_true (CAPA_IS_CONTROL_RANGE (compensation));
  g_assert_cmpfloat (capa_control_range_get_min (CAPA_CONTROL_RANGE (compensation)), ==, -5);
  g_assert_cmpfloat (capa_control_range_get_max (CAPA_CONTROL_RANGE (compensation)), ==, 5);
  g_assert_cmpfloat (capa_control_range_get_step (CAPA_CONTROL_RANGE (compensation)), ==, 0.5);
  g_assert_true (CAPA_IS_CONTROL_TOGGLE (autoiso));
  g_assert_true (CAPA_IS_CONTROL_TEXT (owner));
  g_assert_true (CAPA_IS_CONTROL_DATE (datetime));
  g_assert_true (CAPA_IS_CONTROL_TEXT (battery));
  g_assert_true (capa_control_get_readonly (battery));
  g_assert_true (CAPA_IS_CONTROL_BUTTON (reset));

  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber)), ==, "f/5.6");
  g_assert_cmpint (capa_control_date_get_value (CAPA_CONTROL_DATE (datetime)), ==, 1767225600);

  /* Change one of each, save. */
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), "f/8");
  capa_control_choice_set_value (
    CAPA_CONTROL_CHOICE (whitebalance),
    capa_control_choice_get_choices (CAPA_CONTROL_CHOICE (whitebalance))[1]);
  capa_control_range_set_value (CAPA_CONTROL_RANGE (compensation), 1.5);
  capa_control_toggle_set_value (CAPA_CONTROL_TOGGLE (autoiso), TRUE);
  capa_control_text_set_value (CAPA_CONTROL_TEXT (owner), "Ada Lovelace");
  capa_control_date_set_value (CAPA_CONTROL_DATE (datetime), 1800000000);
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (capa_control_get_dirty (fnumber));
  g_assert_false (capa_control_get_dirty (whitebalance));
  g_assert_false (capa_control_get_dirty (compensation));
  g_assert_false (capa_control_get_dirty (autoiso));
  g_assert_false (capa_control_get_dirty (owner));
  g_assert_false (capa_control_get_dirty (datetime));

  /* A new session with the camera: the same objects, the saved values. */
  reopen (camera);
  g_assert_true (capa_camera_get_controls (camera) == root);
  g_assert_true (get (camera, "/main/capturesettings/f-number") == fnumber);
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber)), ==, "f/8");
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (whitebalance)), ==,
                   capa_control_choice_get_choices (CAPA_CONTROL_CHOICE (whitebalance))[1]);
  g_assert_cmpfloat (capa_control_range_get_value (CAPA_CONTROL_RANGE (compensation)), ==, 1.5);
  g_assert_true (capa_control_toggle_get_value (CAPA_CONTROL_TOGGLE (autoiso)));
  g_assert_cmpstr (capa_control_text_get_value (CAPA_CONTROL_TEXT (owner)), ==, "Ada Lovelace");
  g_assert_cmpint (capa_control_date_get_value (CAPA_CONTROL_DATE (datetime)), ==, 1800000000);

  /* A button runs its action: the test camera's reset restores it all. */
  capa_control_button_press (CAPA_CONTROL_BUTTON (reset));
  g_assert_true (capa_control_get_dirty (reset));
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (capa_control_get_dirty (reset));
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber)), ==, "f/5.6");
  g_assert_false (capa_control_toggle_get_value (CAPA_CONTROL_TOGGLE (autoiso)));
  g_assert_cmpstr (capa_control_text_get_value (CAPA_CONTROL_TEXT (owner)), ==, "");

  /* The camera refuses a value that is not a choice, and says which. */
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), "f/0.1");
  g_assert_false (capa_camera_save_controls (camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
  g_assert_nonnull (strstr (error->message, "F-Number"));
  g_assert_nonnull (strstr (error->message, "/main/capturesettings/f-number"));
  g_clear_error (&error);
  g_assert_true (capa_control_get_dirty (fnumber));
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), "f/5.6");
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (camera);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  have_camera = capa_test_use_test_camera (NULL);

  g_test_add_func ("/Capa/Controls/persist", test_controls_persist);

  return g_test_run ();
}
