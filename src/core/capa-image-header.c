/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Small, bounds-checked readers of image file headers: the pixel size and
 * embedded ICC profile of JPEG and PNG files, and the EXIF orientation in
 * a JPEG APP1 segment.  They read only up to the compressed image data,
 * so that loading the metadata of a session of thousands of images stays
 * cheap. */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-image-private.h"

#define ICC_SIGNATURE        "ICC_PROFILE"   /* followed by a NUL */
#define ICC_SIGNATURE_LENGTH 12
#define MAX_PNG_ICC_INPUT    (16 * 1024 * 1024)
#define MAX_ICC_LENGTH       (64 * 1024 * 1024)

static gboolean
set_truncated_error (GError **error)
{
  g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                       _("The file is truncated or damaged"));
  return FALSE;
}

/* Reads exactly @count bytes; a short read is a truncated file. */
static gboolean
read_exact (GInputStream  *stream,
            void          *buffer,
            gsize          count,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize n_read = 0;

  if (!g_input_stream_read_all (stream, buffer, count, &n_read, cancellable, error))
    return FALSE;

  if (n_read != count)
    return set_truncated_error (error);

  return TRUE;
}

static gboolean
skip_exact (GInputStream  *stream,
            gsize          count,
            GCancellable  *cancellable,
            GError       **error)
{
  while (count > 0)
    {
      gssize n = g_input_stream_skip (stream, count, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        return set_truncated_error (error);

      count -= n;
    }

  return TRUE;
}

static inline guint16
read_be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static int
compare_chunk_sequence (gconstpointer a,
                        gconstpointer b)
{
  GBytes *chunk_a = *(GBytes **) a;
  GBytes *chunk_b = *(GBytes **) b;
  const guint8 *data_a = g_bytes_get_data (chunk_a, NULL);
  const guint8 *data_b = g_bytes_get_data (chunk_b, NULL);

  return (int) data_a[0] - (int) data_b[0];
}

GBytes *
_capa_image_assemble_icc_chunks (GPtrArray *chunks)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GByteArray) profile = NULL;
  guint count;

  g_return_val_if_fail (chunks != NULL, NULL);

  if (chunks->len == 0 || chunks->len > 255)
    return NULL;

  sorted = g_ptr_array_copy (chunks, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL);   /* borrowed elements */
  for (guint i = 0; i < sorted->len; i++)
    {
      if (g_bytes_get_size (g_ptr_array_index (sorted, i)) < 2)
        {
          g_debug ("ICC profile chunk %u is too short", i);
          return NULL;
        }
    }
  g_ptr_array_sort (sorted, compare_chunk_sequence);

  count = ((const guint8 *) g_bytes_get_data (g_ptr_array_index (sorted, 0), NULL))[1];
  if (count != sorted->len)
    {
      g_debug ("ICC profile has %u chunks but announces %u", sorted->len, count);
      return NULL;
    }

  profile = g_byte_array_new ();
  for (guint i = 0; i < sorted->len; i++)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (sorted, i), &size);

      if (data[0] != i + 1 || data[1] != count)
        {
          g_debug ("ICC profile chunks are not numbered 1 to %u", count);
          return NULL;
        }
      g_byte_array_append (profile, data + 2, size - 2);
    }

  if (profile->len == 0)
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&profile));
}

gboolean
_capa_image_read_jpeg_header (GInputStream  *stream,
                              int           *width,
                              int           *height,
                              GBytes       **icc,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GPtrArray) icc_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 buf[4];
  int frame_width = 0;
  int frame_height = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);

  if (!read_exact (stream, buf, 2, cancellable, error))
    return FALSE;
  if (buf[0] != 0xFF || buf[1] != 0xD8)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT,
                           _("The file is not a JPEG image"));
      return FALSE;
    }

  for (;;)
    {
      guint8 marker;
      guint16 length;

      if (!read_exact (stream, buf, 1, cancellable, error))
        return FALSE;
      if (buf[0] != 0xFF)
        {
          g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                               _("The JPEG image is damaged: a marker is missing"));
          return FALSE;
        }

      /* Any number of 0xFF fill bytes may precede a marker code. */
      do
        {
          if (!read_exact (stream, buf, 1, cancellable, error))
            return FALSE;
        }
      while (buf[0] == 0xFF);
      marker = buf[0];

      /* Markers without a segment. */
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        continue;

      if (marker == 0xD9 || marker == 0xD8 || marker == 0x00)
        {
          g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                               _("The JPEG image is damaged: it has no image data"));
          return FALSE;
        }

      if (!read_exact (stream, buf, 2, cancellable, error))
        return FALSE;
      length = read_be16 (buf);
      if (length < 2)
        {
          g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                               _("The JPEG image is damaged: a segment has an invalid length"));
          return FALSE;
        }
      length -= 2;

      if (marker == 0xDA)   /* start of scan: the header is over */
        break;

      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          guint8 sof[5];

          if (length < sizeof sof)
            return set_truncated_error (error);
          if (!read_exact (stream, sof, sizeof sof, cancellable, error) ||
              !skip_exact (stream, length - sizeof sof, cancellable, error))
            return FALSE;

          frame_height = read_be16 (sof + 1);
          frame_width = read_be16 (sof + 3);
        }
      else if (marker == 0xE2 && icc != NULL && length > ICC_SIGNATURE_LENGTH + 2)
        {
          g_autofree guint8 *segment = g_malloc (length);

          if (!read_exact (stream, segment, length, cancellable, error))
            return FALSE;

          if (memcmp (segment, ICC_SIGNATURE, ICC_SIGNATURE_LENGTH) == 0)
            g_ptr_array_add (icc_chunks,
                             g_bytes_new (segment + ICC_SIGNATURE_LENGTH,
                                          length - ICC_SIGNATURE_LENGTH));
        }
      else if (!skip_exact (stream, length, cancellable, error))
        {
          return FALSE;
        }
    }

  if (frame_width <= 0 || frame_height <= 0)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The JPEG image is damaged: its size is missing"));
      return FALSE;
    }

  if (width)
    *width = frame_width;
  if (height)
    *height = frame_height;
  if (icc)
    *icc = icc_chunks->len > 0 ? _capa_image_assemble_icc_chunks (icc_chunks) : NULL;

  return TRUE;
}

/* Inflates a zlib stream, refusing to grow past MAX_ICC_LENGTH. */
static GBytes *
inflate_zlib (const guint8 *data,
              gsize         length)
{
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize in_pos = 0;

  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      guint8 buffer[16384];
      gsize n_read = 0;
      gsize n_written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (decompressor),
                                    data + in_pos, length - in_pos,
                                    buffer, sizeof buffer,
                                    G_CONVERTER_INPUT_AT_END,
                                    &n_read, &n_written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          g_debug ("Cannot inflate the embedded ICC profile: %s", local_error->message);
          return NULL;
        }

      in_pos += n_read;
      g_byte_array_append (out, buffer, n_written);

      if (out->len > MAX_ICC_LENGTH)
        {
          g_debug ("The embedded ICC profile is unreasonably large");
          return NULL;
        }

      if (result == G_CONVERTER_FINISHED)
        break;
      if (n_read == 0 && n_written == 0)
        {
          g_debug ("The embedded ICC profile is truncated");
          return NULL;
        }
    }

  if (out->len == 0)
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
_capa_image_read_png_header (GInputStream  *stream,
                             int           *width,
                             int           *height,
                             GBytes       **icc,
                             GCancellable  *cancellable,
                             GError       **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  g_autoptr(GBytes) profile = NULL;
  guint8 buf[8];
  int image_width = 0;
  int image_height = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);

  if (!read_exact (stream, buf, sizeof buf, cancellable, error))
    return FALSE;
  if (memcmp (buf, signature, sizeof signature) != 0)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT,
                           _("The file is not a PNG image"));
      return FALSE;
    }

  for (;;)
    {
      guint32 length;
      char type[5] = { 0 };

      if (!read_exact (stream, buf, 8, cancellable, error))
        return FALSE;
      length = read_be32 (buf);
      memcpy (type, buf + 4, 4);

      if (length > G_MAXINT32)
        {
          g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                               _("The PNG image is damaged: a chunk has an invalid length"));
          return FALSE;
        }

      if (strcmp (type, "IDAT") == 0 || strcmp (type, "IEND") == 0)
        break;

      if (strcmp (type, "IHDR") == 0)
        {
          guint8 ihdr[13];

          if (length != sizeof ihdr)
            {
              g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                                   _("The PNG image is damaged: its header is invalid"));
              return FALSE;
            }
          if (!read_exact (stream, ihdr, sizeof ihdr, cancellable, error) ||
              !skip_exact (stream, 4, cancellable, error))
            return FALSE;

          image_width = (int) MIN (read_be32 (ihdr), G_MAXINT32);
          image_height = (int) MIN (read_be32 (ihdr + 4), G_MAXINT32);
        }
      else if (strcmp (type, "iCCP") == 0 && icc != NULL && profile == NULL &&
               length <= MAX_PNG_ICC_INPUT)
        {
          g_autofree guint8 *chunk = g_malloc (length + 1);
          const guint8 *nul;

          if (!read_exact (stream, chunk, length, cancellable, error) ||
              !skip_exact (stream, 4, cancellable, error))
            return FALSE;

          /* profile name (1-79 bytes), NUL, compression method (0), zlib data */
          nul = memchr (chunk, '\0', MIN (length, 80));
          if (nul != NULL && (gsize) (nul - chunk) + 2 < length && nul[1] == 0)
            profile = inflate_zlib (nul + 2, length - (nul - chunk) - 2);
          else
            g_debug ("Ignoring a malformed iCCP chunk");
        }
      else if (!skip_exact (stream, (gsize) length + 4, cancellable, error))
        {
          return FALSE;
        }
    }

  if (image_width <= 0 || image_height <= 0)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The PNG image is damaged: its size is missing"));
      return FALSE;
    }

  if (width)
    *width = image_width;
  if (height)
    *height = image_height;
  if (icc)
    *icc = g_steal_pointer (&profile);

  return TRUE;
}

CapaImageOrientation
_capa_image_parse_exif_orientation (const guint8 *data,
                                    gsize         length)
{
  const guint8 *tiff;
  gsize tiff_length;
  gboolean big_endian;
  guint32 ifd_offset;
  guint16 n_entries;

#define U16(p) (big_endian ? (guint16) (((p)[0] << 8) | (p)[1]) : (guint16) (((p)[1] << 8) | (p)[0]))
#define U32(p) (big_endian ? read_be32 (p) \
                           : ((guint32) (p)[3] << 24 | (guint32) (p)[2] << 16 | (guint32) (p)[1] << 8 | (p)[0]))

  if (data == NULL || length < 6 + 8 || memcmp (data, "Exif\0\0", 6) != 0)
    return 0;

  tiff = data + 6;
  tiff_length = length - 6;

  if (tiff[0] == 'M' && tiff[1] == 'M')
    big_endian = TRUE;
  else if (tiff[0] == 'I' && tiff[1] == 'I')
    big_endian = FALSE;
  else
    return 0;

  if (U16 (tiff + 2) != 42)
    return 0;

  ifd_offset = U32 (tiff + 4);
  if (ifd_offset < 8 || ifd_offset > tiff_length - 2)
    return 0;

  n_entries = U16 (tiff + ifd_offset);
  if ((gsize) n_entries * 12 > tiff_length - ifd_offset - 2)
    return 0;

  for (guint i = 0; i < n_entries; i++)
    {
      const guint8 *entry = tiff + ifd_offset + 2 + i * 12;

      if (U16 (entry) == 0x0112)
        {
          guint16 type = U16 (entry + 2);
          guint16 value;

          if (type != 3 || U32 (entry + 4) < 1)   /* SHORT */
            return 0;

          value = U16 (entry + 8);
          return value >= 1 && value <= 8 ? (CapaImageOrientation) value : 0;
        }
    }

#undef U16
#undef U32

  return 0;
}
