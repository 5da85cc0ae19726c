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
            int           quality)
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

GBytes *
tc_render_jpeg (int   width,
                int   height,
                guint number,
                int   quality)
{
  g_autofree guchar *pixels = NULL;
  g_autofree char *digits = g_strdup_printf ("%04u", number);
  int cell = MAX (height / 24, 1);
  int bar_width = MAX (width / 24, 2);
  int bar_x;
  int len = (int) strlen (digits);

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
  fill_rect (pixels, width, height, cell, cell, (len * 4 + 1) * cell, 7 * cell, 0xff);
  for (int i = 0; i < len; i++)
    {
      guint16 glyph = digit_font[digits[i] - '0'];

      for (int row = 0; row < 5; row++)
        for (int col = 0; col < 3; col++)
          if (glyph & (1u << (14 - (row * 3 + col))))
            fill_rect (pixels, width, height,
                       cell + (1 + i * 4 + col) * cell, cell + (1 + row) * cell,
                       cell, cell, 0x00);
    }

  return encode_rgb (pixels, width, height, quality);
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

  thumbnail = encode_rgb (pixels, cinfo.output_width, cinfo.output_height, 80);
  jpeg_destroy_decompress (&cinfo);

  return thumbnail;
}
