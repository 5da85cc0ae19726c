/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Synthetic JPEG images for the test camera driver: captured shots and
 * live-view frames that differ from one another in a visible way. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the camera writes in a picture's EXIF block; zero fields are left
 * out. */
typedef struct
{
  const char *make;
  const char *model;
  guint       iso;
  guint       exposure_num;     /* exposure time, seconds, as a fraction */
  guint       exposure_den;
  guint       fnumber_x10;      /* f/5.6 is 56 */
  int         bias_x100;        /* exposure compensation, EV × 100 */
  gint64      datetime;         /* seconds since the epoch, shown in UTC */
} TcExif;

/* An APP1 payload ("Exif\0\0" and a little-endian TIFF structure). */
GBytes   *tc_exif_block         (const TcExif *exif);

/* A @width×@height JPEG of a colour gradient with @number written in
 * large digits and a white bar whose position depends on @number, so that
 * two images with different numbers differ in their pixels.  @camera, from
 * 2 on, is written too, in a box at the top right (camera 1's pictures
 * carry no such box). */
GBytes   *tc_render_jpeg        (int           width,
                                 int           height,
                                 guint         number,
                                 guint         camera,
                                 int           quality,
                                 GBytes       *exif);

/* Decodes @jpeg at 1/8 of its size (at most @max_side pixels on the
 * long side) and encodes the result again: a thumbnail.  Returns NULL and
 * sets @error when @jpeg does not decode.  @width and @height receive the
 * size of the original image. */
GBytes   *tc_thumbnail_jpeg     (GBytes       *jpeg,
                                 int           max_side,
                                 guint        *width,
                                 guint        *height,
                                 GError      **error);

/* capa-test-camera-raw.c: a small DNG of shot @number, with a JPEG
 * preview of the same picture tc_render_jpeg() draws for it. */
GBytes   *tc_render_dng         (guint         number,
                                 guint         camera);

G_END_DECLS
