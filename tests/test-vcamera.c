/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Proves the virtual camera fixture works: libgphoto2 itself, without
 * any Capa code in between, detects the Nikon D750 that vusb emulates. */

#include "config.h"

#include <gphoto2/gphoto2.h>

#include "capa-test-utils.h"

static void
test_vcamera_detected (void)
{
  g_autofree char *jpegs = capa_test_make_tmpdir ("vcamera");
  GPContext *context;
  CameraList *list = NULL;
  const char *model = NULL;
  const char *port = NULL;
  int n;

  capa_test_write_jpegs (jpegs, 2, 64, 48);
  if (!capa_test_use_vcamera (jpegs))
    {
      capa_test_rmtree (jpegs);
      return;
    }

  context = gp_context_new ();
  g_assert_cmpint (gp_list_new (&list), ==, GP_OK);
  n = gp_camera_autodetect (list, context);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (gp_list_get_name (list, 0, &model), ==, GP_OK);
  g_assert_cmpint (gp_list_get_value (list, 0, &port), ==, GP_OK);
  g_assert_cmpstr (model, ==, "Nikon DSC D750");
  g_assert_cmpstr (port, ==, "usb:001,001");

  gp_list_free (list);
  gp_context_unref (context);
  capa_test_rmtree (jpegs);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

  g_test_add_func ("/Capa/VCamera/detected", test_vcamera_detected);

  return g_test_run ();
}
