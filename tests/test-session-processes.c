/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Two processes saving into one session folder at the same time (two
 * Capa windows, or Capa and a script): no file replaces another, every
 * shot of both is there once, under a name of its own. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "capa-test-utils.h"

#define SHOTS 60

/* Saves SHOTS distinct payloads tagged @who into @directory with
 * @pattern, waiting for @go to exist first so that both processes start
 * together. */
static void
save_many (const char *directory,
           const char *pattern,
           const char *who,
           const char *go)
{
  g_autoptr(CapaSession) session = capa_session_new (directory);

  capa_session_set_filename_pattern (session, pattern);
  for (guint i = 0; i < 60000 && !g_file_test (go, G_FILE_TEST_EXISTS); i++)
    g_usleep (1000);

  for (guint i = 0; i < SHOTS; i++)
    {
      g_autofree char *payload = g_strdup_printf ("%s shot %u", who, i);
      g_autoptr(GBytes) bytes = g_bytes_new (payload, strlen (payload));
      g_autoptr(GError) error = NULL;
      g_autoptr(CapaImage) image = NULL;

      image = capa_session_save_bytes (session, "shot.jpg", bytes, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (image);
    }
}

static void
test_two_processes (gconstpointer data)
{
  const char *pattern = data;
  g_autofree char *directory = capa_test_make_tmpdir ("processes");
  g_autofree char *go = g_build_filename (directory, ".go", NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GHashTable) payloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint files = 0;

  g_assert_nonnull (self_exe);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "CAPA_TEST_SAVE_CHILD", directory, TRUE);
  g_subprocess_launcher_setenv (launcher, "CAPA_TEST_SAVE_PATTERN", pattern, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_exe, NULL);
  g_assert_no_error (error);

  /* Both go at once. */
  g_assert_true (g_file_set_contents (go, "", 0, NULL));
  save_many (directory, pattern, "parent", go);

  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);

  /* Every shot of both, once each: nothing overwritten. */
  dir = g_dir_open (directory, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;

      if (name[0] == '.')
        continue;
      path = g_build_filename (directory, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_false (g_hash_table_contains (payloads, contents));
      g_hash_table_add (payloads, g_steal_pointer (&contents));
      files++;
    }
  g_assert_cmpuint (files, ==, 2 * SHOTS);
  for (guint i = 0; i < SHOTS; i++)
    {
      g_autofree char *mine = g_strdup_printf ("parent shot %u", i);
      g_autofree char *theirs = g_strdup_printf ("child shot %u", i);

      g_assert_true (g_hash_table_contains (payloads, mine));
      g_assert_true (g_hash_table_contains (payloads, theirs));
    }

  capa_test_rmtree (directory);
}

int
main (int   argc,
      char *argv[])
{
  const char *child_dir = g_getenv ("CAPA_TEST_SAVE_CHILD");

  if (child_dir != NULL)
    {
      g_autofree char *go = g_build_filename (child_dir, ".go", NULL);

      /* The second process. */
      save_many (child_dir, g_getenv ("CAPA_TEST_SAVE_PATTERN"), "child", go);
      return 0;
    }

  capa_test_init (&argc, &argv);

  /* With a sequence number, each process counts on its own: the names
   * they both want are taken by one, the other gets the next free one. */
  g_test_add_data_func ("/Capa/SessionProcesses/sequence", "capa-%n", test_two_processes);
  /* Without one, every name is the same: suffixes across processes. */
  g_test_add_data_func ("/Capa/SessionProcesses/same-name", "%f", test_two_processes);

  return g_test_run ();
}
