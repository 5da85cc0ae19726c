/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gexiv2/gexiv2.h>
#include <jpeglib.h>
#include <lcms2.h>

#include "capa-test-utils.h"
#include "test-image-samples.h"

guint32
sample_quadrant_colour (int x,
                        int y,
                        int width,
                        int height)
{
  gboolean left = x < width / 2;
  gboolean top = y < height / 2;

  if (top)
    return left ? SAMPLE_TOP_LEFT : SAMPLE_TOP_RIGHT;
  return left ? SAMPLE_BOTTOM_LEFT : SAMPLE_BOTTOM_RIGHT;
}

GdkPixbuf *
sample_quadrant_pixbuf (int width,
                        int height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 rgb = sample_quadrant_colour (x, y, width, height);
        guint8 *p = pixels + (gsize) y * rowstride + x * 3;

        p[0] = rgb >> 16;
        p[1] = (rgb >> 8) & 0xff;
        p[2] = rgb & 0xff;
      }

  return pixbuf;
}

static guint8
gray_level (guint32 rgb)
{
  switch (rgb)
    {
    case SAMPLE_TOP_LEFT: return 0;
    case SAMPLE_TOP_RIGHT: return 85;
    case SAMPLE_BOTTOM_LEFT: return 170;
    default: return 255;
    }
}

static void
fill_row (guint8       *row,
          int           y,
          int           width,
          int           height,
          SampleColour  colour)
{
  for (int x = 0; x < width; x++)
    {
      guint32 rgb = sample_quadrant_colour (x, y, width, height);
      guint8 r = rgb >> 16, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

      switch (colour)
        {
        case SAMPLE_GRAY:
          row[x] = gray_level (rgb);
          break;

        case SAMPLE_CMYK:
          /* Inks are 255 - r, g, b (no black); stored inverted. */
          row[x * 4 + 0] = r;
          row[x * 4 + 1] = g;
          row[x * 4 + 2] = b;
          row[x * 4 + 3] = 255;
          break;

        case SAMPLE_RGB:
        default:
          row[x * 3 + 0] = r;
          row[x * 3 + 1] = g;
          row[x * 3 + 2] = b;
          break;
        }
    }
}

static void
write_jpeg (const char   *path,
            int           width,
            int           height,
            SampleColour  colour,
            int           quality,
            GBytes       *icc,
            guint         n_chunks,
            const guint  *order,
            guint         n_written)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autofree guint8 *row = NULL;
  FILE *fp;

  fp = fopen (path, "wb");
  g_assert_nonnull (fp);

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_stdio_dest (&cinfo, fp);

  cinfo.image_width = width;
  cinfo.image_height = height;
  switch (colour)
    {
    case SAMPLE_GRAY:
      cinfo.input_components = 1;
      cinfo.in_color_space = JCS_GRAYSCALE;
      break;
    case SAMPLE_CMYK:
      cinfo.input_components = 4;
      cinfo.in_color_space = JCS_CMYK;
      break;
    case SAMPLE_RGB:
    default:
      cinfo.input_components = 3;
      cinfo.in_color_space = JCS_RGB;
      break;
    }
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  if (colour == SAMPLE_CMYK)
    cinfo.write_Adobe_marker = TRUE;
  jpeg_start_compress (&cinfo, TRUE);

  if (icc != NULL && n_chunks == 0)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (icc, &size);

      jpeg_write_icc_profile (&cinfo, data, size);
    }
  else if (icc != NULL)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (icc, &size);
      gsize chunk_size = (size + n_chunks - 1) / n_chunks;

      for (guint i = 0; i < n_written; i++)
        {
          guint seq = order[i];
          gsize start = (seq - 1) * chunk_size;
          gsize len;

          g_assert_cmpuint (seq, >=, 1);
          g_assert_cmpuint (seq, <=, n_chunks);
          g_assert_cmpuint (start, <, size);
          len = MIN (chunk_size, size - start);

          jpeg_write_m_header (&cinfo, JPEG_APP0 + 2, 14 + len);
          for (const char *p = "ICC_PROFILE"; *p; p++)
            jpeg_write_m_byte (&cinfo, *p);
          jpeg_write_m_byte (&cinfo, 0);
          jpeg_write_m_byte (&cinfo, seq);
          jpeg_write_m_byte (&cinfo, n_chunks);
          for (gsize j = 0; j < len; j++)
            jpeg_write_m_byte (&cinfo, data[start + j]);
        }
    }

  row = g_malloc ((gsize) width * cinfo.input_components);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW rows[1] = { row };

      fill_row (row, cinfo.next_scanline, width, height, colour);
      jpeg_write_scanlines (&cinfo, rows, 1);
    }

  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  g_assert_cmpint (fclose (fp), ==, 0);
}

void
sample_write_jpeg (const char   *path,
                   int           width,
                   int           height,
                   SampleColour  colour,
                   int           quality,
                   GBytes       *icc)
{
  write_jpeg (path, width, height, colour, quality, icc, 0, NULL, 0);
}

void
sample_write_jpeg_chunked (const char  *path,
                           GBytes      *icc,
                           guint        n_chunks,
                           const guint *order,
                           guint        n_written)
{
  write_jpeg (path, 32, 32, SAMPLE_RGB, 90, icc, n_chunks, order, n_written);
}

GBytes *
sample_make_adobe_rgb_icc (void)
{
  cmsCIExyY white = { 0.3127, 0.3290, 1.0 };
  cmsCIExyYTRIPLE primaries = {
    { 0.6400, 0.3300, 1.0 },
    { 0.2100, 0.7100, 1.0 },
    { 0.1500, 0.0600, 1.0 },
  };
  cmsToneCurve *gamma = cmsBuildGamma (NULL, 563.0 / 256.0);
  cmsToneCurve *curves[3] = { gamma, gamma, gamma };
  cmsHPROFILE profile;
  cmsUInt32Number size = 0;
  guint8 *data;

  profile = cmsCreateRGBProfile (&white, &primaries, curves);
  g_assert_nonnull (profile);
  g_assert_true (cmsSaveProfileToMem (profile, NULL, &size));
  data = g_malloc (size);
  g_assert_true (cmsSaveProfileToMem (profile, data, &size));
  cmsCloseProfile (profile);
  cmsFreeToneCurve (gamma);

  return g_bytes_new_take (data, size);
}

static guint32
png_crc (const guint8 *data,
         gsize         length,
         guint32       crc)
{
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }

  return crc;
}

static void
put_be32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (out, b, 4);
}

void
sample_write_png_with_icc (const char *path,
                           GdkPixbuf  *pixbuf,
                           GBytes     *icc)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  guint8 compressed[65536];
  gsize png_size = 0, n_read = 0, n_written = 0;
  gsize ihdr_end = 8 + 8 + 13 + 4;
  guint32 crc;

  gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpmem (png + 12, 4, "IHDR", 4);

  g_assert_cmpint (g_converter_convert (G_CONVERTER (compressor),
                                        g_bytes_get_data (icc, NULL), g_bytes_get_size (icc),
                                        compressed, sizeof compressed,
                                        G_CONVERTER_INPUT_AT_END, &n_read, &n_written, &error),
                   ==, G_CONVERTER_FINISHED);
  g_assert_no_error (error);

  /* type, name, NUL, compression method 0, zlib data */
  g_byte_array_append (chunk, (const guint8 *) "iCCPAdobe RGB", 13);
  g_byte_array_append (chunk, (const guint8 *) "\0\0", 2);
  g_byte_array_append (chunk, compressed, n_written);
  crc = png_crc (chunk->data, chunk->len, 0xFFFFFFFFu) ^ 0xFFFFFFFFu;

  g_byte_array_append (out, (const guint8 *) png, ihdr_end);
  put_be32 (out, chunk->len - 4);
  g_byte_array_append (out, chunk->data, chunk->len);
  put_be32 (out, crc);
  g_byte_array_append (out, (const guint8 *) png + ihdr_end, png_size - ihdr_end);

  g_file_set_contents (path, (const char *) out->data, out->len, &error);
  g_assert_no_error (error);
}

void
sample_set_exif (const char *path,
                 ...)
{
  g_autoptr(GExiv2Metadata) exif = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  const char *tag;
  va_list args;

  gexiv2_metadata_open_path (exif, path, &error);
  g_assert_no_error (error);

  va_start (args, path);
  while ((tag = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      gexiv2_metadata_try_set_tag_string (exif, tag, value, &error);
      g_assert_no_error (error);
    }
  va_end (args);

  gexiv2_metadata_save_file (exif, path, &error);
  g_assert_no_error (error);
}

void
sample_set_orientation (const char *path,
                        int         orientation)
{
  g_autofree char *value = g_strdup_printf ("%d", orientation);

  sample_set_exif (path, "Exif.Image.Orientation", value, NULL);
}

/* ---- DNG ---- */

typedef struct
{
  guint16  tag;
  guint16  type;
  guint32  count;
  GBytes  *value;
} TiffEntry;

static const int tiff_type_size[] = { 0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8 };

static void
put16 (GByteArray *out,
       guint16     v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (out, b, 4);
}

static TiffEntry
entry_shorts (guint16 tag, guint count, ...)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  va_list args;

  va_start (args, count);
  for (guint i = 0; i < count; i++)
    put16 (data, (guint16) va_arg (args, int));
  va_end (args);

  return (TiffEntry) { tag, 3, count, g_byte_array_free_to_bytes (g_steal_pointer (&data)) };
}

static TiffEntry
entry_long (guint16 tag, guint32 value)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();

  put32 (data, value);
  return (TiffEntry) { tag, 4, 1, g_byte_array_free_to_bytes (g_steal_pointer (&data)) };
}

static TiffEntry
entry_bytes (guint16 tag, guint count, const guint8 *values)
{
  return (TiffEntry) { tag, 1, count, g_bytes_new (values, count) };
}

static TiffEntry
entry_ascii (guint16 tag, const char *text)
{
  return (TiffEntry) { tag, 2, strlen (text) + 1, g_bytes_new (text, strlen (text) + 1) };
}

static TiffEntry
entry_rationals (guint16 tag, guint16 type, guint count, const int *pairs)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();

  for (guint i = 0; i < count * 2; i++)
    put32 (data, (guint32) pairs[i]);
  return (TiffEntry) { tag, type, count, g_byte_array_free_to_bytes (g_steal_pointer (&data)) };
}

static void
add_entry (GArray    *entries,
           TiffEntry  entry)
{
  g_array_append_val (entries, entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return (int) ((const TiffEntry *) a)->tag - (int) ((const TiffEntry *) b)->tag;
}

static gsize
ifd_size (GArray *entries)
{
  gsize size = 2 + 12 * entries->len + 4;

  for (guint i = 0; i < entries->len; i++)
    {
      gsize n = g_bytes_get_size (g_array_index (entries, TiffEntry, i).value);

      if (n > 4)
        size += (n + 1) & ~(gsize) 1;
    }

  return size;
}

/* Writes @entries as an IFD at the end of @out (which must be at an even
 * offset), with the values that do not fit after it. */
static void
write_ifd (GByteArray *out,
           GArray     *entries)
{
  gsize start = out->len;
  gsize data_offset = start + 2 + 12 * entries->len + 4;
  g_autoptr(GByteArray) data = g_byte_array_new ();

  g_assert_cmpuint (start % 2, ==, 0);
  g_array_sort (entries, compare_entries);

  put16 (out, entries->len);
  for (guint i = 0; i < entries->len; i++)
    {
      TiffEntry *entry = &g_array_index (entries, TiffEntry, i);
      gsize n;
      const guint8 *value = g_bytes_get_data (entry->value, &n);

      g_assert_cmpuint (n, ==, (gsize) tiff_type_size[entry->type] * entry->count);
      put16 (out, entry->tag);
      put16 (out, entry->type);
      put32 (out, entry->count);
      if (n <= 4)
        {
          guint8 inline_value[4] = { 0 };

          memcpy (inline_value, value, n);
          g_byte_array_append (out, inline_value, 4);
        }
      else
        {
          put32 (out, data_offset + data->len);
          g_byte_array_append (data, value, n);
          if (n % 2)
            g_byte_array_append (data, (const guint8 *) "", 1);
        }
    }
  put32 (out, 0);
  g_byte_array_append (out, data->data, data->len);
}

static void
clear_entry (gpointer data)
{
  g_bytes_unref (((TiffEntry *) data)->value);
}

static GArray *
new_entries (void)
{
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (TiffEntry));

  g_array_set_clear_func (entries, clear_entry);
  return entries;
}

static GBytes *
make_preview_jpeg (int width,
                   int height)
{
  g_autoptr(GdkPixbuf) pixbuf = sample_quadrant_pixbuf (width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "95", NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

void
sample_write_dng (const char *path,
                  int         width,
                  int         height,
                  int         preview_width,
                  int         preview_height,
                  int         orientation)
{
  static const guint8 dng_version[4] = { 1, 4, 0, 0 };
  static const guint8 dng_backward[4] = { 1, 1, 0, 0 };
  static const guint8 cfa_pattern[4] = { 0, 1, 1, 2 };
  static const int identity[18] = { 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1 };
  static const int neutral[6] = { 1, 1, 1, 1, 1, 1 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GArray) ifd0 = new_entries ();
  g_autoptr(GArray) raw_ifd = NULL;
  g_autoptr(GBytes) preview = NULL;
  g_autoptr(GError) error = NULL;
  GArray *raw_entries;
  gsize raw_offset, raw_length, preview_offset = 0, ifd0_offset;

  /* header; IFD0 offset patched below */
  g_byte_array_append (out, (const guint8 *) "II*\0\0\0\0\0", 8);

  /* the sensor data: dark on the left half, bright on the right */
  raw_offset = out->len;
  raw_length = (gsize) width * height * 2;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      put16 (out, x < width / 2 ? 2048 : 32768);

  if (preview_width > 0)
    {
      preview = make_preview_jpeg (preview_width, preview_height);
      preview_offset = out->len;
      g_byte_array_append (out, g_bytes_get_data (preview, NULL), g_bytes_get_size (preview));
    }
  if (out->len % 2)
    g_byte_array_append (out, (const guint8 *) "", 1);

  /* The entries describing the sensor data, in IFD0 or in a sub-IFD. */
  raw_entries = preview ? (raw_ifd = new_entries ()) : ifd0;
  add_entry (raw_entries, entry_long (254, 0));
  add_entry (raw_entries, entry_long (256, width));
  add_entry (raw_entries, entry_long (257, height));
  add_entry (raw_entries, entry_shorts (258, 1, 16));
  add_entry (raw_entries, entry_shorts (259, 1, 1));
  add_entry (raw_entries, entry_shorts (262, 1, 32803));
  add_entry (raw_entries, entry_long (273, raw_offset));
  add_entry (raw_entries, entry_shorts (277, 1, 1));
  add_entry (raw_entries, entry_long (278, height));
  add_entry (raw_entries, entry_long (279, raw_length));
  add_entry (raw_entries, entry_shorts (284, 1, 1));
  add_entry (raw_entries, entry_shorts (33421, 2, 2, 2));
  add_entry (raw_entries, entry_bytes (33422, 4, cfa_pattern));
  add_entry (raw_entries, entry_long (50717, 65535));

  if (preview)
    {
      add_entry (ifd0, entry_long (254, 1));
      add_entry (ifd0, entry_long (256, preview_width));
      add_entry (ifd0, entry_long (257, preview_height));
      add_entry (ifd0, entry_shorts (258, 3, 8, 8, 8));
      add_entry (ifd0, entry_shorts (259, 1, 7));
      add_entry (ifd0, entry_shorts (262, 1, 6));
      add_entry (ifd0, entry_long (273, preview_offset));
      add_entry (ifd0, entry_shorts (277, 1, 3));
      add_entry (ifd0, entry_long (278, preview_height));
      add_entry (ifd0, entry_long (279, g_bytes_get_size (preview)));
      add_entry (ifd0, entry_long (330, 0));   /* patched below */
    }

  add_entry (ifd0, entry_ascii (271, "Capa"));
  add_entry (ifd0, entry_ascii (272, "Capa Test DNG"));
  add_entry (ifd0, entry_shorts (274, 1, orientation));
  add_entry (ifd0, entry_bytes (50706, 4, dng_version));
  add_entry (ifd0, entry_bytes (50707, 4, dng_backward));
  add_entry (ifd0, entry_ascii (50708, "Capa Test DNG"));
  add_entry (ifd0, entry_rationals (50721, 10, 9, identity));
  add_entry (ifd0, entry_rationals (50728, 5, 3, neutral));
  add_entry (ifd0, entry_shorts (50778, 1, 21));

  ifd0_offset = out->len;
  out->data[4] = ifd0_offset & 0xff;
  out->data[5] = (ifd0_offset >> 8) & 0xff;
  out->data[6] = (ifd0_offset >> 16) & 0xff;
  out->data[7] = ifd0_offset >> 24;

  if (preview)
    {
      gsize sub_offset = ifd0_offset + ifd_size (ifd0);

      for (guint i = 0; i < ifd0->len; i++)
        {
          TiffEntry *entry = &g_array_index (ifd0, TiffEntry, i);

          if (entry->tag == 330)
            {
              g_bytes_unref (entry->value);
              *entry = entry_long (330, sub_offset);
            }
        }
      write_ifd (out, ifd0);
      g_assert_cmpuint (out->len, ==, sub_offset);
      write_ifd (out, raw_ifd);
    }
  else
    {
      write_ifd (out, ifd0);
    }

  g_file_set_contents (path, (const char *) out->data, out->len, &error);
  g_assert_no_error (error);
}

void
sample_assert_pixel_impl (const char *file,
                          int         line,
                          GdkPixbuf  *pixbuf,
                          int         x,
                          int         y,
                          guint32     rgb,
                          int         tolerance)
{
  const guint8 *p;
  int expected[3] = { rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff };

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, gdk_pixbuf_get_width (pixbuf));
  g_assert_cmpint (y, <, gdk_pixbuf_get_height (pixbuf));

  p = gdk_pixbuf_read_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf) +
      (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);

  for (int c = 0; c < 3; c++)
    {
      if (ABS ((int) p[c] - expected[c]) > tolerance)
        {
          g_autofree char *message =
            g_strdup_printf ("%s:%d: pixel (%d, %d) is #%02x%02x%02x, expected #%06x (±%d)",
                             file, line, x, y, p[0], p[1], p[2], rgb, tolerance);
          g_assertion_message (G_LOG_DOMAIN, file, line, G_STRFUNC, message);
        }
    }
}

void
sample_fixture_set_up (SampleFixture *fixture,
                       gconstpointer  data)
{
  fixture->dir = capa_test_make_tmpdir ("test-image");
}

void
sample_fixture_tear_down (SampleFixture *fixture,
                          gconstpointer  data)
{
  capa_test_rmtree (fixture->dir);
  g_free (fixture->dir);
}

void
sample_async_result_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}
