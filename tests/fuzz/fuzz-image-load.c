/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The pixel loader of capa-image-loader.c (the one behind
 * capa_image_load_pixbuf() and the thumbnailer) on mutated files: JPEG
 * through libjpeg-turbo, DNG and other RAW files through libraw, PNG and
 * TIFF through gdk-pixbuf.  The first byte of the input picks the file's
 * extension; the rest is the file, written to a temporary folder. */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "capa-image-private.h"
#include "fuzz-common.h"

static const char * const extensions[] = { "jpg", "dng", "png", "tif", "nef", "cr2" };

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
  directory = g_dir_make_tmp ("capa-fuzz-image-XXXXXX", NULL);
  g_assert_nonnull (directory);
  atexit (remove_directory);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  gboolean incomplete = FALSE;
  int scale_denom = 0;

  if (size < 1)
    return 0;

  name = g_strdup_printf ("input.%s", extensions[data[0] % G_N_ELEMENTS (extensions)]);
  path = g_build_filename (directory, name, NULL);
  g_assert_true (g_file_set_contents (path, (const char *) data + 1, size - 1, NULL));

  pixbuf = _capa_image_load_file_pixbuf (path, 256, 256, &scale_denom, &incomplete,
                                         NULL, &error);
  g_assert_true ((pixbuf != NULL) == (error == NULL));
  if (pixbuf != NULL)
    {
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >, 0);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), >, 0);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), <=, 256);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), <=, 256);
    }

  g_unlink (path);
  return 0;
}
