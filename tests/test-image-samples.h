/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Sample image files made at test time: JPEGs (RGB, grayscale, CMYK) with
 * four coloured quadrants, EXIF written with gexiv2, ICC profiles made
 * with lcms2, and tiny DNG files. */

#pragma once

#include <capa.h>

G_BEGIN_DECLS

typedef enum {
  SAMPLE_RGB,
  SAMPLE_GRAY,
  SAMPLE_CMYK,
} SampleColour;

/* Quadrant colours of the stored (unrotated) sample images. */
#define SAMPLE_TOP_LEFT     0xff0000   /* red */
#define SAMPLE_TOP_RIGHT    0x00ff00   /* green */
#define SAMPLE_BOTTOM_LEFT  0x0000ff   /* blue */
#define SAMPLE_BOTTOM_RIGHT 0xffffff   /* white */

/* The colour of stored pixel (x, y) of a @width×@height quadrant image. */
guint32    sample_quadrant_colour    (int           x,
                                      int           y,
                                      int           width,
                                      int           height);
GdkPixbuf *sample_quadrant_pixbuf    (int           width,
                                      int           height);

/* Writes a quadrant JPEG; with @icc, embeds it with libjpeg-turbo's
 * jpeg_write_icc_profile(). Grayscale samples have quadrant levels 0, 85,
 * 170, 255; CMYK ones are written inverted with an Adobe marker, as
 * Photoshop does. */
void       sample_write_jpeg         (const char   *path,
                                      int           width,
                                      int           height,
                                      SampleColour  colour,
                                      int           quality,
                                      GBytes       *icc);
/* Writes an RGB quadrant JPEG whose ICC profile is split into @n_chunks
 * APP2 segments, of which the @n_written listed in @order (1-based
 * sequence numbers) are written, in that order. */
void       sample_write_jpeg_chunked (const char   *path,
                                      GBytes       *icc,
                                      guint         n_chunks,
                                      const guint  *order,
                                      guint         n_written);
/* Writes @pixbuf as a PNG with an iCCP chunk holding @icc (inserted by
 * hand: GdkPixbuf's own "icc-profile" option fails with libpng 1.6). */
void       sample_write_png_with_icc (const char   *path,
                                      GdkPixbuf    *pixbuf,
                                      GBytes       *icc);
/* An lcms2 RGB profile with Adobe RGB (1998)-like primaries. */
GBytes    *sample_make_adobe_rgb_icc (void);

/* Sets EXIF string tags, given as pairs of tag name and value and ended by
 * NULL, with gexiv2. */
void       sample_set_exif           (const char   *path,
                                      ...) G_GNUC_NULL_TERMINATED;
void       sample_set_orientation    (const char   *path,
                                      int           orientation);

/* Writes a tiny DNG: a @width×@height 16-bit RGGB mosaic (dark on the
 * left half, bright on the right),
 * with an embedded @preview_width×@preview_height quadrant JPEG preview in
 * IFD0 when @preview_width > 0, and the TIFF orientation @orientation. */
void       sample_write_dng          (const char   *path,
                                      int           width,
                                      int           height,
                                      int           preview_width,
                                      int           preview_height,
                                      int           orientation);

/* A fixture with a fresh temporary folder, removed afterwards. */
typedef struct
{
  char *dir;
} SampleFixture;

void       sample_fixture_set_up     (SampleFixture *fixture,
                                      gconstpointer  data);
void       sample_fixture_tear_down  (SampleFixture *fixture,
                                      gconstpointer  data);

/* A GAsyncReadyCallback storing a reference to the result in the
 * GAsyncResult * that @user_data points to. */
void       sample_async_result_cb    (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data);

/* Asserts that pixel (x, y) of @pixbuf is within @tolerance of @rgb. */
#define sample_assert_pixel(pixbuf, x, y, rgb, tolerance) \
  sample_assert_pixel_impl (__FILE__, __LINE__, pixbuf, x, y, rgb, tolerance)
void       sample_assert_pixel_impl  (const char   *file,
                                      int           line,
                                      GdkPixbuf    *pixbuf,
                                      int           x,
                                      int           y,
                                      guint32       rgb,
                                      int           tolerance);

G_END_DECLS
