/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Small, bounds-checked readers of image file headers: the pixel size and
 * embedded ICC profile of JPEG and PNG files, and the EXIF orientation in
 * a JPEG APP1 segment.  They read only up to the compressed image data,
 * so that loading the metadata of a session of thousands of images stays
 * cheap. */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <glib/gi18n-lib.h>

#include "capa-image-private.h"

#define ICC_SIGNATURE        "ICC_PROFILE"   /* followed by a NUL */
#define ICC_SIGNATURE_LENGTH 12
#define MAX_PNG_ICC_INPUT    (16 * 1024 * 1024)
#define MAX_ICC_LENGTH       (64 * 1024 * 1024)
/* Headers are read through a buffer this big: one read() per byte of a
 * header made of fill bytes would take seconds. */
#define HEADER_BUFFER_SIZE   (64 * 1024)
/* Any number of 0xFF fill bytes may precede a JPEG marker; encoders write
 * a few at most.  More than this is a damaged or hostile file. */
#define MAX_JPEG_FILL_BYTES  4096

/* @stream, or a buffer on it that leaves it open. */
static GInputStream *
buffered_stream (GInputStream *stream)
{
  GInputStream *buffered;

  if (G_IS_BUFFERED_INPUT_STREAM (stream))
    return g_object_ref (stream);

  buffered = g_buffered_input_stream_new_sized (stream, HEADER_BUFFER_SIZE);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (buffered), FALSE);
  return buffered;
}

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
_capa_image_read_jpeg_header (GInputStream  *input,
                              int           *width,
                              int           *height,
                              GBytes       **icc,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GPtrArray) icc_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GInputStream) stream = NULL;
  guint8 buf[4];
  int frame_width = 0;
  int frame_height = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (input), FALSE);

  stream = buffered_stream (input);

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
      guint n_fill;

      if (!read_exact (stream, buf, 1, cancellable, error))
        return FALSE;
      if (buf[0] != 0xFF)
        {
          g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                               _("The JPEG image is damaged: a marker is missing"));
          return FALSE;
        }

      /* Fill bytes (0xFF) may precede a marker code. */
      n_fill = 0;
      do
        {
          if (!read_exact (stream, buf, 1, cancellable, error))
            return FALSE;
          if (n_fill++ > MAX_JPEG_FILL_BYTES)
            {
              g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                                   _("The JPEG image is damaged: its header is broken"));
              return FALSE;
            }
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

          /* At most 255 chunks make a profile: ignore any more. */
          if (memcmp (segment, ICC_SIGNATURE, ICC_SIGNATURE_LENGTH) == 0 && icc_chunks->len < 255)
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
_capa_image_read_png_header (GInputStream  *input,
                             int           *width,
                             int           *height,
                             GBytes       **icc,
                             GCancellable  *cancellable,
                             GError       **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  g_autoptr(GBytes) profile = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint8 buf[8];
  int image_width = 0;
  int image_height = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (input), FALSE);

  stream = buffered_stream (input);

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

/* ---- EXIF: a bounds-checked walker of TIFF structures ---- */

/* A TIFF structure (the payload of an EXIF APP1 segment after
 * "Exif\0\0", or a TIFF-based RAW file from its first byte), of which only
 * @length bytes are at hand.  Every offset read from it is checked against
 * @length; @out_of_bounds records that one pointed past it, so that the
 * caller can try again with more of the file. */
typedef struct
{
  const guint8 *data;
  gsize         length;
  gboolean      big_endian;
  gboolean      out_of_bounds;
} TiffReader;

/* IFDs with more entries than this are taken as garbage. */
#define TIFF_MAX_ENTRIES 1024

static inline guint16
tiff_u16 (const TiffReader *tiff,
          gsize             offset)
{
  const guint8 *p = tiff->data + offset;

  return tiff->big_endian ? read_be16 (p) : (guint16) ((p[1] << 8) | p[0]);
}

static inline guint32
tiff_u32 (const TiffReader *tiff,
          gsize             offset)
{
  const guint8 *p = tiff->data + offset;

  return tiff->big_endian ? read_be32 (p)
                          : ((guint32) p[3] << 24 | (guint32) p[2] << 16 |
                             (guint32) p[1] << 8 | p[0]);
}

/* Whether @count bytes at @offset are at hand. */
static gboolean
tiff_has (TiffReader *tiff,
          guint64     offset,
          guint64     count)
{
  if (offset > tiff->length || count > tiff->length - offset)
    {
      tiff->out_of_bounds = TRUE;
      return FALSE;
    }

  return TRUE;
}

/* Reads the byte order and the offset of IFD0.  The magic number is 42,
 * or that of the TIFF variants of Olympus ("RO", "RS") and Panasonic
 * (0x55) RAW files. */
static gboolean
tiff_init (TiffReader   *tiff,
           const guint8 *data,
           gsize         length,
           guint32      *ifd0)
{
  guint16 magic;

  *tiff = (TiffReader) { data, length, FALSE, FALSE };

  if (!tiff_has (tiff, 0, 8))
    return FALSE;

  if (data[0] == 'M' && data[1] == 'M')
    tiff->big_endian = TRUE;
  else if (data[0] == 'I' && data[1] == 'I')
    tiff->big_endian = FALSE;
  else
    return FALSE;

  magic = tiff_u16 (tiff, 2);
  if (magic != 42 && magic != 0x55 && magic != 0x4F52 && magic != 0x5352)
    return FALSE;

  *ifd0 = tiff_u32 (tiff, 4);
  return *ifd0 >= 8;
}

/* Finds the entry of @tag in the IFD at @ifd: the offset of its 12 bytes
 * (tag, type, count, value or offset), or 0. */
static gsize
tiff_find_entry (TiffReader *tiff,
                 guint32     ifd,
                 guint16     tag)
{
  guint16 n_entries;

  if (ifd < 8 || !tiff_has (tiff, ifd, 2))
    return 0;

  /* The whole table must be at hand: a cut one is not trusted. */
  n_entries = tiff_u16 (tiff, ifd);
  if (n_entries > TIFF_MAX_ENTRIES || !tiff_has (tiff, (guint64) ifd + 2, (guint64) n_entries * 12))
    return 0;

  for (guint i = 0; i < n_entries; i++)
    {
      gsize entry = (gsize) ifd + 2 + (gsize) i * 12;

      if (tiff_u16 (tiff, entry) == tag)
        return entry;
    }

  return 0;
}

/* The value of an ASCII entry, stripped, into @buffer (at most @size - 1
 * bytes, NUL-terminated); FALSE when absent, not ASCII, or empty. */
static gboolean
tiff_get_ascii (TiffReader *tiff,
                guint32     ifd,
                guint16     tag,
                char       *buffer,
                gsize       size)
{
  gsize entry = tiff_find_entry (tiff, ifd, tag);
  guint32 count;
  gsize value;
  gsize n;

  buffer[0] = '\0';
  if (entry == 0 || tiff_u16 (tiff, entry + 2) != 2)   /* ASCII */
    return FALSE;

  count = tiff_u32 (tiff, entry + 4);
  if (count == 0)
    return FALSE;
  value = count <= 4 ? entry + 8 : tiff_u32 (tiff, entry + 8);
  n = MIN ((gsize) count, size - 1);
  if (!tiff_has (tiff, value, n))
    return FALSE;

  memcpy (buffer, tiff->data + value, n);
  buffer[n] = '\0';
  g_strstrip (buffer);

  return buffer[0] != '\0';
}

/* The offset of the IFD a LONG (or IFD) entry points to, or 0. */
static guint32
tiff_get_ifd_pointer (TiffReader *tiff,
                      guint32     ifd,
                      guint16     tag)
{
  gsize entry = tiff_find_entry (tiff, ifd, tag);
  guint16 type;

  if (entry == 0)
    return 0;

  type = tiff_u16 (tiff, entry + 2);
  if ((type != 4 && type != 13) || tiff_u32 (tiff, entry + 4) != 1)
    return 0;

  return tiff_u32 (tiff, entry + 8);
}

CapaImageOrientation
_capa_image_parse_exif_orientation (const guint8 *data,
                                    gsize         length)
{
  TiffReader tiff;
  guint32 ifd0;
  gsize entry;
  guint16 value;

  if (data == NULL || length < 6 || memcmp (data, "Exif\0\0", 6) != 0)
    return 0;

  if (!tiff_init (&tiff, data + 6, length - 6, &ifd0))
    return 0;

  entry = tiff_find_entry (&tiff, ifd0, 0x0112);
  /* type SHORT (3), at least one value */
  if (entry == 0 || tiff_u16 (&tiff, entry + 2) != 3 || tiff_u32 (&tiff, entry + 4) < 1)
    return 0;

  value = tiff_u16 (&tiff, entry + 8);
  return value >= 1 && value <= 8 ? (CapaImageOrientation) value : 0;
}

/* ---- the capture time ---- */

/* "+02:00", "-05:30" or "Z"; NULL otherwise. */
static GTimeZone *
parse_offset (const char *offset)
{
  if (offset == NULL)
    return NULL;

  if (g_str_equal (offset, "Z"))
    return g_time_zone_new_utc ();

  if ((offset[0] == '+' || offset[0] == '-') && strlen (offset) == 6 &&
      g_ascii_isdigit (offset[1]) && g_ascii_isdigit (offset[2]) && offset[3] == ':' &&
      g_ascii_isdigit (offset[4]) && g_ascii_isdigit (offset[5]))
    return g_time_zone_new_identifier (offset);

  return NULL;
}

GDateTime *
_capa_image_make_capture_time (const char *date,
                               const char *subsec,
                               const char *offset)
{
  g_autoptr(GTimeZone) tz = NULL;
  int year, month, day, hour, minute, second;
  double seconds;

  if (date == NULL ||
      sscanf (date, "%4d:%2d:%2d %2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) != 6)
    return NULL;

  seconds = second;
  if (subsec != NULL)
    {
      double fraction = 0.0, scale = 0.1;

      for (const char *p = subsec; g_ascii_isdigit (*p) && scale > 1e-7; p++, scale /= 10)
        fraction += (*p - '0') * scale;
      seconds += fraction;
    }

  tz = parse_offset (offset);
  if (tz == NULL)
    tz = g_time_zone_new_local ();

  return g_date_time_new (tz, year, month, day, hour, minute, seconds);
}

/* The capture time in a TIFF structure: ExifIFD DateTimeOriginal with
 * SubSecTimeOriginal and OffsetTimeOriginal, else IFD0 DateTime with
 * SubSecTime and OffsetTime.  NULL when any offset followed points past
 * the bytes at hand. */
static GDateTime *
parse_tiff_capture_time (TiffReader *tiff)
{
  char date[32], subsec[16], offset[16];
  guint32 ifd0, exif_ifd;
  gboolean has_subsec, has_offset;

  if (!tiff_init (tiff, tiff->data, tiff->length, &ifd0))
    return NULL;

  exif_ifd = tiff_get_ifd_pointer (tiff, ifd0, 0x8769);
  if (exif_ifd != 0 && tiff_get_ascii (tiff, exif_ifd, 0x9003, date, sizeof date))
    {
      has_subsec = tiff_get_ascii (tiff, exif_ifd, 0x9291, subsec, sizeof subsec);
      has_offset = tiff_get_ascii (tiff, exif_ifd, 0x9011, offset, sizeof offset);
    }
  else if (tiff_get_ascii (tiff, ifd0, 0x0132, date, sizeof date))
    {
      has_subsec = exif_ifd != 0 && tiff_get_ascii (tiff, exif_ifd, 0x9290, subsec, sizeof subsec);
      has_offset = exif_ifd != 0 && tiff_get_ascii (tiff, exif_ifd, 0x9010, offset, sizeof offset);
    }
  else
    return NULL;

  /* Part of the answer is out of reach: none rather than a wrong one. */
  if (tiff->out_of_bounds)
    return NULL;

  return _capa_image_make_capture_time (date,
                                        has_subsec ? subsec : NULL,
                                        has_offset ? offset : NULL);
}

GDateTime *
_capa_image_parse_capture_time (const guint8 *data,
                                gsize         length,
                                gboolean     *need_more)
{
  TiffReader tiff = { NULL, 0, FALSE, FALSE };
  GDateTime *time = NULL;

  if (need_more)
    *need_more = FALSE;

  if (data == NULL || length < 4)
    return NULL;

  if (data[0] == 0xFF && data[1] == 0xD8)
    {
      gsize pos = 2;

      /* The segments before the image data, looking for APP1 "Exif". */
      for (;;)
        {
          guint8 marker;
          gsize segment_length;

          if (pos + 4 > length)
            {
              tiff.out_of_bounds = TRUE;
              break;
            }
          if (data[pos] != 0xFF)
            break;
          while (pos < length && data[pos] == 0xFF)
            pos++;
          if (pos + 3 > length)
            {
              tiff.out_of_bounds = TRUE;
              break;
            }
          marker = data[pos++];

          if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue;
          if (marker == 0xD8 || marker == 0xD9 || marker == 0xDA || marker == 0x00)
            break;

          segment_length = read_be16 (data + pos);
          if (segment_length < 2)
            break;

          if (marker == 0xE1 && segment_length >= 2 + 6 + 8 && pos + 2 + 6 <= length &&
              memcmp (data + pos + 2, "Exif\0\0", 6) == 0)
            {
              gsize start = pos + 2 + 6;
              gsize end = MIN (pos + segment_length, length);

              tiff.data = data + start;
              tiff.length = end - start;
              time = parse_tiff_capture_time (&tiff);
              if (pos + segment_length > length)
                tiff.out_of_bounds = tiff.out_of_bounds || time == NULL;
              else
                tiff.out_of_bounds = FALSE;   /* the offset was past the segment */
              break;
            }

          pos += segment_length;
        }
    }
  else if ((data[0] == 'I' && data[1] == 'I') || (data[0] == 'M' && data[1] == 'M'))
    {
      tiff.data = data;
      tiff.length = length;
      time = parse_tiff_capture_time (&tiff);
    }

  if (need_more && time == NULL)
    *need_more = tiff.out_of_bounds;

  return time;
}

/* The first read; files whose EXIF needs more are read up to
 * MAX_CAPTURE_TIME_READ. */
#define FIRST_CAPTURE_TIME_READ (8 * 1024)

GDateTime *
_capa_image_read_capture_time (const char *filename)
{
  g_autofree guint8 *buffer = NULL;
  gsize want = FIRST_CAPTURE_TIME_READ;
  gsize n_read = 0;
  GDateTime *time = NULL;
  goffset size = 0;
  int fd;

  g_return_val_if_fail (filename != NULL, NULL);

  /* Never a FIFO or a device: a session folder may hold anything. */
  fd = _capa_image_open_regular (filename, &size, NULL);
  if (fd < 0)
    return NULL;
  /* No further than the file went when it was opened. */
  want = (gsize) MIN ((goffset) want, size);

  buffer = g_malloc (MAX_CAPTURE_TIME_READ);
  for (;;)
    {
      gboolean need_more = FALSE;

      while (n_read < want)
        {
          gssize n = read (fd, buffer + n_read, want - n_read);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          n_read += n;
        }

      time = _capa_image_parse_capture_time (buffer, n_read, &need_more);
      if (time != NULL || !need_more || n_read < want ||
          (goffset) want >= MIN (MAX_CAPTURE_TIME_READ, size))
        break;
      want = (gsize) MIN (MAX_CAPTURE_TIME_READ, size);
    }

  g_close (fd, NULL);
  return time;
}

/* ---- is a TIFF-based file cut short? ---- */

#define TIFF_MAX_IFDS    64
#define TIFF_MAX_VALUES  (1 << 20)

static guint
tiff_type_size (guint16 type)
{
  switch (type)
    {
    case 1: case 2: case 6: case 7:   /* BYTE, ASCII, SBYTE, UNDEFINED */
      return 1;
    case 3: case 8:                   /* SHORT, SSHORT */
      return 2;
    case 4: case 9: case 11: case 13: /* LONG, SLONG, FLOAT, IFD */
      return 4;
    case 5: case 10: case 12:         /* RATIONAL, SRATIONAL, DOUBLE */
      return 8;
    default:
      return 0;
    }
}

/* Where the values of the entry at @entry are, or G_MAXUINT64 when they
 * are past the end (the reader then knows it is out of bounds). */
static guint64
tiff_values (TiffReader *tiff,
             gsize       entry,
             guint      *type_size,
             guint32    *count)
{
  guint64 bytes;
  guint64 offset;

  *type_size = tiff_type_size (tiff_u16 (tiff, entry + 2));
  *count = tiff_u32 (tiff, entry + 4);
  bytes = (guint64) *type_size * *count;
  offset = bytes <= 4 ? entry + 8 : tiff_u32 (tiff, entry + 8);

  if (*type_size == 0 || !tiff_has (tiff, offset, bytes))
    return G_MAXUINT64;

  return offset;
}

static guint32
tiff_value_at (TiffReader *tiff,
               guint64     offset,
               guint       type_size,
               guint32     i)
{
  return type_size == 2 ? tiff_u16 (tiff, offset + 2 * (gsize) i)
                        : tiff_u32 (tiff, offset + 4 * (gsize) i);
}

/* Checks that the blocks of data an offsets entry and a byte counts entry
 * of one IFD describe (strips, tiles) lie within the file. */
static void
tiff_check_blocks (TiffReader *tiff,
                   gsize       offsets_entry,
                   gsize       counts_entry)
{
  guint offsets_size, counts_size;
  guint32 n_offsets, n_counts;
  guint64 offsets, counts;

  offsets = tiff_values (tiff, offsets_entry, &offsets_size, &n_offsets);
  counts = tiff_values (tiff, counts_entry, &counts_size, &n_counts);
  if (offsets == G_MAXUINT64 || counts == G_MAXUINT64)
    return;
  if ((offsets_size != 2 && offsets_size != 4) || (counts_size != 2 && counts_size != 4))
    return;

  for (guint32 i = 0; i < MIN (MIN (n_offsets, n_counts), TIFF_MAX_VALUES); i++)
    tiff_has (tiff, tiff_value_at (tiff, offsets, offsets_size, i),
              tiff_value_at (tiff, counts, counts_size, i));
}

/*
 * _capa_image_tiff_is_cut_short:
 * @data: the whole of a file
 * @length: its size
 *
 * Walks the IFDs of a TIFF-based file (TIFF, DNG, NEF, CR2, ARW, PEF,
 * ORF, RW2...): IFD0 and those after it, SubIFDs and the EXIF IFD, with
 * their strips, tiles and JPEG previews.
 *
 * Returns: whether any of them lies, even partly, past @length: the file
 *   is shorter than its own header says, as when it is still being
 *   written; FALSE for anything that is not TIFF-based
 */
gboolean
_capa_image_tiff_is_cut_short (const guint8 *data,
                               gsize         length)
{
  TiffReader tiff;
  guint32 pending[TIFF_MAX_IFDS];
  guint32 seen[TIFF_MAX_IFDS];
  guint n_pending = 0;
  guint n_seen = 0;
  guint32 ifd0;

  if (!tiff_init (&tiff, data, length, &ifd0))
    return FALSE;

  pending[n_pending++] = ifd0;

  while (n_pending > 0 && n_seen < TIFF_MAX_IFDS)
    {
      guint32 ifd = pending[--n_pending];
      gsize strip_offsets = 0, strip_counts = 0, tile_offsets = 0, tile_counts = 0;
      gsize jpeg_offset = 0, jpeg_length = 0;
      guint16 n_entries;
      gboolean known = FALSE;

      for (guint i = 0; i < n_seen; i++)
        known |= seen[i] == ifd;
      if (known || ifd < 8)
        continue;
      seen[n_seen++] = ifd;

      if (!tiff_has (&tiff, ifd, 2))
        break;
      n_entries = tiff_u16 (&tiff, ifd);
      if (n_entries > TIFF_MAX_ENTRIES)
        continue;
      if (!tiff_has (&tiff, (guint64) ifd + 2, (guint64) n_entries * 12 + 4))
        break;

      for (guint i = 0; i < n_entries; i++)
        {
          gsize entry = (gsize) ifd + 2 + (gsize) i * 12;
          guint16 tag = tiff_u16 (&tiff, entry);

          switch (tag)
            {
            case 0x0111: strip_offsets = entry; break;
            case 0x0117: strip_counts = entry; break;
            case 0x0144: tile_offsets = entry; break;
            case 0x0145: tile_counts = entry; break;
            case 0x0201: jpeg_offset = entry; break;
            case 0x0202: jpeg_length = entry; break;

            case 0x014A:   /* SubIFDs */
            case 0x8769:   /* the EXIF IFD */
              {
                guint type_size;
                guint32 count;
                guint64 values = tiff_values (&tiff, entry, &type_size, &count);

                if (values == G_MAXUINT64 || type_size != 4)
                  break;
                for (guint32 k = 0; k < count && n_pending < TIFF_MAX_IFDS; k++)
                  pending[n_pending++] = tiff_u32 (&tiff, values + 4 * (gsize) k);
              }
              break;

            default:
              break;
            }
        }

      if (strip_offsets != 0 && strip_counts != 0)
        tiff_check_blocks (&tiff, strip_offsets, strip_counts);
      if (tile_offsets != 0 && tile_counts != 0)
        tiff_check_blocks (&tiff, tile_offsets, tile_counts);
      if (jpeg_offset != 0 && jpeg_length != 0)
        tiff_check_blocks (&tiff, jpeg_offset, jpeg_length);

      if (tiff.out_of_bounds)
        break;

      if (n_pending < TIFF_MAX_IFDS)
        pending[n_pending++] = tiff_u32 (&tiff, (gsize) ifd + 2 + (gsize) n_entries * 12);
    }

  return tiff.out_of_bounds;
}

/* ---- embedded previews of a JPEG file ---- */

/* The unsigned value of a SHORT or LONG entry with one value, or 0. */
static guint32
tiff_get_uint (TiffReader *tiff,
               guint32     ifd,
               guint16     tag)
{
  gsize entry = tiff_find_entry (tiff, ifd, tag);

  if (entry == 0 || tiff_u32 (tiff, entry + 4) != 1)
    return 0;

  switch (tiff_u16 (tiff, entry + 2))
    {
    case 3:  return tiff_u16 (tiff, entry + 8);
    case 4:  return tiff_u32 (tiff, entry + 8);
    default: return 0;
    }
}

static void
add_preview_range (GArray  *ranges,
                   guint64  offset,
                   guint64  length)
{
  CapaImagePreviewRange range = { offset, length };

  if (length >= 4)
    g_array_append_val (ranges, range);
}

/* APP1 "Exif\0\0": the orientation in IFD0 and the JPEG thumbnail of IFD1
 * (JPEGInterchangeFormat, JPEGInterchangeFormatLength). */
static void
find_exif_preview (const guint8         *payload,
                   gsize                 length,
                   guint64               tiff_in_file,
                   CapaImageOrientation *orientation,
                   GArray               *ranges)
{
  TiffReader tiff;
  guint32 ifd0, ifd1;
  guint16 n_entries;
  guint32 offset, size;

  if (*orientation == 0)
    *orientation = _capa_image_parse_exif_orientation (payload, length);

  if (!tiff_init (&tiff, payload + 6, length - 6, &ifd0) || !tiff_has (&tiff, ifd0, 2))
    return;

  n_entries = tiff_u16 (&tiff, ifd0);
  if (n_entries > TIFF_MAX_ENTRIES ||
      !tiff_has (&tiff, (guint64) ifd0 + 2 + (guint64) n_entries * 12, 4))
    return;

  ifd1 = tiff_u32 (&tiff, (gsize) ifd0 + 2 + (gsize) n_entries * 12);
  if (ifd1 < 8 || ifd1 == ifd0)
    return;

  offset = tiff_get_uint (&tiff, ifd1, 0x0201);
  size = tiff_get_uint (&tiff, ifd1, 0x0202);
  if (offset >= 8 && size > 0 && tiff_has (&tiff, offset, size))
    add_preview_range (ranges, tiff_in_file + offset, size);
}

/* APP2 "MPF\0": the images of the MP Index IFD (tag 0xB002, 16 bytes an
 * image: attributes, size, offset from the MP header, two dependent
 * image numbers) other than the first, which is the primary image. */
static void
find_mpf_previews (const guint8 *payload,
                   gsize         length,
                   guint64       header_in_file,
                   GArray       *ranges)
{
  TiffReader tiff;
  guint32 ifd0, count, value;
  gsize entry;

  if (!tiff_init (&tiff, payload + 4, length - 4, &ifd0))
    return;

  entry = tiff_find_entry (&tiff, ifd0, 0xB002);
  if (entry == 0 || tiff_u16 (&tiff, entry + 2) != 7)   /* UNDEFINED */
    return;

  count = tiff_u32 (&tiff, entry + 4);
  value = tiff_u32 (&tiff, entry + 8);
  if (count < 32 || count % 16 != 0 || !tiff_has (&tiff, value, count))
    return;

  for (guint32 i = 1; i < count / 16; i++)
    {
      gsize image = (gsize) value + (gsize) i * 16;
      guint32 size = tiff_u32 (&tiff, image + 4);
      guint32 offset = tiff_u32 (&tiff, image + 8);

      if (offset != 0 && size > 0)
        add_preview_range (ranges, header_in_file + offset, size);
    }
}

void
_capa_image_find_jpeg_previews (const guint8         *data,
                                gsize                 length,
                                CapaImageOrientation *orientation,
                                GArray               *ranges,
                                GBytes              **icc)
{
  g_autoptr(GPtrArray) icc_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize pos = 2;

  g_return_if_fail (orientation != NULL);
  g_return_if_fail (ranges != NULL);

  *orientation = 0;
  if (icc != NULL)
    *icc = NULL;
  if (data == NULL || length < 4 || data[0] != 0xFF || data[1] != 0xD8)
    return;

  while (pos + 4 <= length)
    {
      gsize n_fill = 0;
      guint8 marker;
      gsize segment;

      if (data[pos] != 0xFF)
        break;
      while (pos + 1 < length && data[pos + 1] == 0xFF && n_fill++ < MAX_JPEG_FILL_BYTES)
        pos++;
      if (pos + 4 > length)
        break;

      marker = data[pos + 1];
      if (marker == 0xDA || marker == 0xD9)   /* SOS, EOI: the header ends */
        break;
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        {
          pos += 2;
          continue;
        }

      segment = read_be16 (data + pos + 2);
      if (segment < 2 || pos + 2 + segment > length)
        break;

      if (marker == 0xE2 && segment - 2 > ICC_SIGNATURE_LENGTH + 2 &&
          memcmp (data + pos + 4, ICC_SIGNATURE, ICC_SIGNATURE_LENGTH) == 0 &&
          icc_chunks->len < 255)
        g_ptr_array_add (icc_chunks, g_bytes_new (data + pos + 4 + ICC_SIGNATURE_LENGTH,
                                                  segment - 2 - ICC_SIGNATURE_LENGTH));
      else if (marker == 0xE1 && segment - 2 >= 6 && memcmp (data + pos + 4, "Exif\0\0", 6) == 0)
        find_exif_preview (data + pos + 4, segment - 2, pos + 4 + 6, orientation, ranges);
      else if (marker == 0xE2 && segment - 2 >= 4 && memcmp (data + pos + 4, "MPF\0", 4) == 0)
        find_mpf_previews (data + pos + 4, segment - 2, pos + 4 + 4, ranges);

      pos += 2 + segment;
    }

  if (icc != NULL && icc_chunks->len > 0)
    *icc = _capa_image_assemble_icc_chunks (icc_chunks);
}
