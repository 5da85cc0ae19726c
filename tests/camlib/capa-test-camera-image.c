/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "CapaTestCamera"

#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "capa-test-camera-image.h"

/* Digits 0-9 in a 3×5 bitmap font, one row of three bits per nibble,
 * top row in the highest bits. */
static const guint16 digit_font[10] = {
  0x7b6f, /* 111 101 101 101 111 */
  0x2c97, /* 010 110 010 010 111 */
  0x73e7, /* 111 001 111 100 111 */
  0x73cf, /* 111 001 111 001 111 */
  0x5bc9, /* 101 101 111 001 001 */
  0x79cf, /* 111 100 111 001 111 */
  0x79ef, /* 111 100 111 101 111 */
  0x7249, /* 111 001 001 001 001 */
  0x7bef, /* 111 101 111 101 111 */
  0x7bcf, /* 111 101 111 001 111 */
};

typedef struct
{
  struct jpeg_error_mgr  pub;
  jmp_buf                jump;
  char                   message[JMSG_LENGTH_MAX];
} ErrorManager;

static void
on_jpeg_error (j_common_ptr cinfo)
{
  ErrorManager *err = (ErrorManager *) cinfo->err;

  err->pub.format_message (cinfo, err->message);
  longjmp (err->jump, 1);
}

static void
on_jpeg_message (j_common_ptr cinfo,
                 int          level)
{
  /* Warnings (a corrupt but decodable stream) are not worth a word here. */
}

static void
fill_rect (guchar *pixels,
           int     width,
           int     height,
           int     x0,
           int     y0,
           int     w,
           int     h,
           guchar  value)
{
  for (int y = MAX (y0, 0); y < MIN (y0 + h, height); y++)
    for (int x = MAX (x0, 0); x < MIN (x0 + w, width); x++)
      memset (pixels + ((gsize) y * width + x) * 3, value, 3);
}

static GBytes *
encode_rgb (const guchar *pixels,
            int           width,
            int           height,
            int           quality,
            GBytes       *exif)
{
  struct jpeg_compress_struct cinfo;
  ErrorManager err;
  unsigned char *buffer = NULL;
  unsigned long size = 0;

  cinfo.err = jpeg_std_error (&err.pub);
  err.pub.error_exit = on_jpeg_error;
  err.pub.emit_message = on_jpeg_message;
  if (setjmp (err.jump))
    {
      /* Only an allocation failure can get here for an in-memory image. */
      g_error ("cannot encode a JPEG: %s", err.message);
    }

  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &buffer, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  if (exif != NULL)
    jpeg_write_marker (&cinfo, JPEG_APP0 + 1, g_bytes_get_data (exif, NULL),
                       (unsigned int) g_bytes_get_size (exif));
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = (JSAMPROW) pixels + (gsize) cinfo.next_scanline * width * 3;

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);

  /* jpeg_mem_dest allocates with malloc(). */
  return g_bytes_new_with_free_func (buffer, size, free, buffer);
}

/* Writes @digits in black on a white box whose top left corner is at
 * (@x, @y), in cells of @cell pixels. */
static void
draw_digits (guchar     *pixels,
             int         width,
             int         height,
             int         x,
             int         y,
             int         cell,
             const char *digits)
{
  int len = (int) strlen (digits);

  fill_rect (pixels, width, height, x, y, (len * 4 + 1) * cell, 7 * cell, 0xff);
  for (int i = 0; i < len; i++)
    {
      guint16 glyph = digit_font[digits[i] - '0'];

      for (int row = 0; row < 5; row++)
        for (int col = 0; col < 3; col++)
          if (glyph & (1u << (14 - (row * 3 + col))))
            fill_rect (pixels, width, height,
                       x + (1 + i * 4 + col) * cell, y + (1 + row) * cell,
                       cell, cell, 0x00);
    }
}

GBytes *
tc_render_jpeg (int     width,
                int     height,
                guint   number,
                guint   camera,
                int     quality,
                GBytes *exif)
{
  g_autofree guchar *pixels = NULL;
  g_autofree char *digits = g_strdup_printf ("%04u", number);
  int cell = MAX (height / 24, 1);
  int bar_width = MAX (width / 24, 2);
  int bar_x;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  pixels = g_malloc ((gsize) width * height * 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + ((gsize) y * width + x) * 3;

        p[0] = (guchar) ((x * 255) / MAX (width - 1, 1));
        p[1] = (guchar) ((y * 255) / MAX (height - 1, 1));
        p[2] = (guchar) ((number * 37) & 0xff);
      }

  /* A bar that moves a step to the right with each number. */
  bar_x = (int) ((number * (guint) bar_width) % (guint) width);
  fill_rect (pixels, width, height, bar_x, 0, bar_width, height, 0xff);

  /* The number, black on a white box, in the top left corner. */
  draw_digits (pixels, width, height, cell, cell, cell, digits);

  /* From the second camera on, its number in the top right corner. */
  if (camera > 1)
    {
      g_autofree char *label = g_strdup_printf ("%u", camera % 1000);

      draw_digits (pixels, width, height,
                   width - cell - ((int) strlen (label) * 4 + 1) * cell, cell, cell, label);
    }

  return encode_rgb (pixels, width, height, quality, exif);
}

GBytes *
tc_thumbnail_jpeg (GBytes  *jpeg,
                   int      max_side,
                   guint   *width,
                   guint   *height,
                   GError **error)
{
  struct jpeg_decompress_struct cinfo;
  ErrorManager err;
  JSAMPLE *pixels;
  GBytes *thumbnail;
  gsize size = 0;
  const guchar *data = g_bytes_get_data (jpeg, &size);
  guint long_side;

  cinfo.err = jpeg_std_error (&err.pub);
  err.pub.error_exit = on_jpeg_error;
  err.pub.emit_message = on_jpeg_message;
  jpeg_create_decompress (&cinfo);
  if (setjmp (err.jump))
    {
      /* Everything allocated since lives in libjpeg's pools. */
      jpeg_destroy_decompress (&cinfo);
      g_set_error (error, g_quark_from_static_string ("tc-jpeg-error"), 0,
                   "not a JPEG image: %s", err.message);
      return NULL;
    }

  jpeg_mem_src (&cinfo, data, size);
  jpeg_read_header (&cinfo, TRUE);
  *width = cinfo.image_width;
  *height = cinfo.image_height;

  long_side = MAX (cinfo.image_width, cinfo.image_height);
  cinfo.scale_denom = 8;
  cinfo.scale_num = CLAMP ((guint) max_side * 8 / MAX (long_side, 1), 1, 8);
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress (&cinfo);

  pixels = cinfo.mem->alloc_large ((j_common_ptr) &cinfo, JPOOL_PERMANENT,
                                   (size_t) cinfo.output_width * cinfo.output_height * 3);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW row = pixels + (gsize) cinfo.output_scanline * cinfo.output_width * 3;

      jpeg_read_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_decompress (&cinfo);

  thumbnail = encode_rgb (pixels, cinfo.output_width, cinfo.output_height, 80, NULL);
  jpeg_destroy_decompress (&cinfo);

  return thumbnail;
}

/* EXIF ---------------------------------------------------------------- */

enum
{
  TIFF_ASCII = 2,
  TIFF_SHORT = 3,
  TIFF_LONG = 4,
  TIFF_RATIONAL = 5,
  TIFF_SRATIONAL = 10,
};

typedef struct
{
  guint16  tag;
  guint16  type;
  guint32  count;
  guint8   value[24];   /* little-endian; longer than 4 bytes goes to the data area */
  gsize    size;
} IfdEntry;

static void
put16 (guint8  *p,
       guint16  v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
put32 (guint8  *p,
       guint32  v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

static void
entry_ascii (GArray     *ifd,
             guint16     tag,
             const char *text)
{
  IfdEntry e = { tag, TIFF_ASCII, 0, { 0 }, 0 };
  gsize len = MIN (strlen (text) + 1, sizeof e.value);

  memcpy (e.value, text, len - 1);
  e.count = e.size = len;
  g_array_append_val (ifd, e);
}

static void
entry_short (GArray  *ifd,
             guint16  tag,
             guint16  v)
{
  IfdEntry e = { tag, TIFF_SHORT, 1, { 0 }, 2 };

  put16 (e.value, v);
  g_array_append_val (ifd, e);
}

static void
entry_rational (GArray  *ifd,
                guint16  tag,
                guint16  type,
                guint32  num,
                guint32  den)
{
  IfdEntry e = { tag, type, 1, { 0 }, 8 };

  put32 (e.value, num);
  put32 (e.value + 4, den);
  g_array_append_val (ifd, e);
}

static gsize
ifd_size (GArray *ifd)
{
  return 2 + 12 * ifd->len + 4;
}

/* Writes @ifd at @offset of @tiff, its long values at *@data_offset. */
static void
write_ifd (guint8  *tiff,
           gsize    offset,
           GArray  *ifd,
           gsize   *data_offset)
{
  guint8 *p = tiff + offset;

  put16 (p, ifd->len);
  p += 2;
  for (guint i = 0; i < ifd->len; i++, p += 12)
    {
      IfdEntry *e = &g_array_index (ifd, IfdEntry, i);

      put16 (p, e->tag);
      put16 (p + 2, e->type);
      put32 (p + 4, e->count);
      if (e->size <= 4)
        memcpy (p + 8, e->value, e->size);
      else
        {
          put32 (p + 8, (guint32) *data_offset);
          memcpy (tiff + *data_offset, e->value, e->size);
          *data_offset += e->size + (e->size & 1);
        }
    }
  put32 (p, 0);   /* no next IFD */
}

static gsize
ifd_data_size (GArray *ifd)
{
  gsize size = 0;

  for (guint i = 0; i < ifd->len; i++)
    {
      IfdEntry *e = &g_array_index (ifd, IfdEntry, i);

      if (e->size > 4)
        size += e->size + (e->size & 1);
    }
  return size;
}

GBytes *
tc_exif_block (const TcExif *exif)
{
  static const guint8 header[] = { 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0 };
  g_autoptr(GArray) ifd0 = g_array_new (FALSE, TRUE, sizeof (IfdEntry));
  g_autoptr(GArray) sub = g_array_new (FALSE, TRUE, sizeof (IfdEntry));
  gsize tiff_size, data_offset, sub_offset;
  guint8 *block;
  guint8 *tiff;

  /* Entries in increasing tag order, as TIFF wants. */
  if (exif->make != NULL)
    entry_ascii (ifd0, 0x010f, exif->make);
  if (exif->model != NULL)
    entry_ascii (ifd0, 0x0110, exif->model);
  entry_short (ifd0, 0x0112, 1);    /* orientation: top left */
  {
    IfdEntry pointer = { 0x8769, TIFF_LONG, 1, { 0 }, 4 };

    g_array_append_val (ifd0, pointer);   /* value filled in below */
  }

  if (exif->exposure_num != 0 && exif->exposure_den != 0)
    entry_rational (sub, 0x829a, TIFF_RATIONAL, exif->exposure_num, exif->exposure_den);
  if (exif->fnumber_x10 != 0)
    entry_rational (sub, 0x829d, TIFF_RATIONAL, exif->fnumber_x10, 10);
  if (exif->iso != 0)
    entry_short (sub, 0x8827, (guint16) MIN (exif->iso, G_MAXUINT16));
  if (exif->datetime != 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (exif->datetime);
      g_autofree char *text = dt ? g_date_time_format (dt, "%Y:%m:%d %H:%M:%S") : NULL;

      if (text != NULL)
        {
          entry_ascii (sub, 0x9003, text);
          entry_ascii (sub, 0x9004, text);
        }
    }
  entry_rational (sub, 0x9204, TIFF_SRATIONAL, (guint32) exif->bias_x100, 100);

  sub_offset = 8 + ifd_size (ifd0);
  put32 (g_array_index (ifd0, IfdEntry, ifd0->len - 1).value, (guint32) sub_offset);
  data_offset = sub_offset + ifd_size (sub);
  tiff_size = data_offset + ifd_data_size (ifd0) + ifd_data_size (sub);

  block = g_malloc0 (6 + tiff_size);
  memcpy (block, header, sizeof header);
  tiff = block + 6;
  write_ifd (tiff, 8, ifd0, &data_offset);
  write_ifd (tiff, sub_offset, sub, &data_offset);
  g_assert (data_offset == tiff_size);

  return g_bytes_new_take (block, 6 + tiff_size);
}
