/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "capa-test-utils.h"

static void
test_version_matches (void)
{
  g_autofree char *expected = g_strdup_printf ("%d.%d.%d", CAPA_MAJOR_VERSION,
                                               CAPA_MINOR_VERSION, CAPA_MICRO_VERSION);

  g_assert_cmpstr (capa_get_version (), ==, CAPA_VERSION_S);
  g_assert_cmpstr (capa_get_version (), ==, expected);
  g_assert_cmpstr (capa_get_version (), ==, PACKAGE_VERSION);
}

static void
test_debug_toggle (void)
{
  g_assert_false (capa_debug_get_enabled ());

  capa_debug_set_enabled (TRUE);
  g_assert_true (capa_debug_get_enabled ());
  g_assert_true (g_log_get_debug_enabled ());

  capa_debug_set_enabled (FALSE);
  g_assert_false (capa_debug_get_enabled ());
  g_assert_false (g_log_get_debug_enabled ());
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

  g_test_add_func ("/Capa/Version/matches", test_version_matches);
  g_test_add_func ("/Capa/Debug/toggle", test_debug_toggle);

  return g_test_run ();
}
