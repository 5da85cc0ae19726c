/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Camera file and folder names through the session's naming: a hostile
 * camera may name a picture "../../x.jpg", "/etc/passwd", put control
 * characters or invalid UTF-8 in it, or report a folder in the name.  The
 * picture is saved through CapaSession into an empty temporary folder with
 * a pattern that uses the camera's name (%f); the file must land inside
 * that folder, under a safe name, and be the only file there. */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "capa-session.h"
#include "capa-image.h"
#include "fuzz-common.h"

static const char * const patterns[] = {
  "%f", "%f-%n", "capa-%Y%m%d-%n", "%n-%f-%H%M%S", "../%f", "%f/%f", "%%f%n",
};

static char *directory;

static void
remove_directory (void)
{
  g_rmdir (directory);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  capa_fuzz_init_logging ();
  directory = g_dir_make_tmp ("capa-fuzz-names-XXXXXX", NULL);
  g_assert_nonnull (directory);
  atexit (remove_directory);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CapaFuzzInput in = { data, size };
  g_autoptr(CapaSession) session = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *camera_name = NULL;
  g_autofree char *next = NULL;
  g_autofree char *saved_dir = NULL;
  g_autofree char *saved_base = NULL;
  const char *pattern;
  const char *entry;
  guint n_files = 0;

  pattern = patterns[capa_fuzz_take_u8 (&in) % G_N_ELEMENTS (patterns)];
  folder = capa_fuzz_take_string (&in, 64);
  name = capa_fuzz_take_string (&in, 200);
  camera_name = *folder ? g_strconcat (folder, "/", name, NULL) : g_strdup (name);

  session = capa_session_new (directory);
  capa_session_set_filename_pattern (session, pattern);

  next = capa_session_dup_next_filename (session, camera_name, NULL);
  g_assert_nonnull (next);
  g_assert_null (strchr (next, '/'));
  g_assert_cmpint (next[0], !=, '.');

  bytes = g_bytes_new_static ("not an image", 12);
  image = capa_session_save_bytes (session, camera_name, bytes, NULL, &error);
  g_assert_true ((image != NULL) == (error == NULL));

  if (image != NULL)
    {
      saved_dir = g_path_get_dirname (capa_image_get_filename (image));
      saved_base = g_path_get_basename (capa_image_get_filename (image));
      g_assert_cmpstr (saved_dir, ==, directory);
      g_assert_true (g_utf8_validate (saved_base, -1, NULL));
      g_assert_cmpint (saved_base[0], !=, '.');
    }

  /* Exactly what was saved, nothing else (no temporary file left). */
  dir = g_dir_open (directory, 0, NULL);
  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, entry, NULL);

      g_assert_true (image != NULL && g_strcmp0 (entry, saved_base) == 0);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_unlink (path);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, image != NULL ? 1 : 0);

  return 0;
}
