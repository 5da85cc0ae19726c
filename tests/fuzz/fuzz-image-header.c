/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The header readers of capa-image-header.c on any bytes: the JPEG and PNG
 * size and ICC readers (from a stream, as they read files), the TIFF
 * "cut short" check, the EXIF orientation reader, and the reassembly of
 * ICC chunks from APP2 payloads (the input split at each 0xFF 0xE2). */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "capa-image-private.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  capa_fuzz_init_logging ();
  return 0;
}

static void
read_header (const uint8_t *data,
             size_t         size,
             gboolean       png)
{
  g_autoptr(GInputStream) stream =
    g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GBytes) icc = NULL;
  g_autoptr(GError) error = NULL;
  int width = -1, height = -1;
  gboolean ok;

  if (png)
    ok = _capa_image_read_png_header (stream, &width, &height, &icc, NULL, &error);
  else
    ok = _capa_image_read_jpeg_header (stream, &width, &height, &icc, NULL, &error);

  /* Either a size or an error, never both nor neither. */
  g_assert_true (ok == (error == NULL));
  if (ok)
    g_assert_true (width > 0 && height > 0);
  if (icc != NULL)
    g_assert_cmpuint (g_bytes_get_size (icc), >, 0);
}

static void
assemble_chunks (const uint8_t *data,
                 size_t         size)
{
  g_autoptr(GPtrArray) chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) profile = NULL;
  size_t start = 0;

  for (size_t i = 0; i + 1 < size; i++)
    if (data[i] == 0xFF && data[i + 1] == 0xE2)
      {
        g_ptr_array_add (chunks, g_bytes_new (data + start, i - start));
        start = i + 2;
        i++;
      }
  g_ptr_array_add (chunks, g_bytes_new (data + start, size - start));

  profile = _capa_image_assemble_icc_chunks (chunks);
  if (profile != NULL)
    g_assert_cmpuint (g_bytes_get_size (profile), >, 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CapaImageOrientation orientation;

  read_header (data, size, FALSE);
  read_header (data, size, TRUE);

  (void) _capa_image_tiff_is_cut_short (data, size);

  orientation = _capa_image_parse_exif_orientation (data, size);
  g_assert_true (orientation >= 0 && orientation <= 8);

  assemble_chunks (data, size);

  return 0;
}
