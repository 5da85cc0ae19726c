/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <jpeglib.h>
#include <lcms2.h>

#include "view-floor.h"

static void
write_jpeg_rows (j_compress_ptr  cinfo,
                 int             width,
                 int             height,
                 gboolean        noisy)
{
  g_autofree guint8 *row = g_malloc ((gsize) width * 3);
  guint32 seed = 4242;

  while (cinfo->next_scanline < cinfo->image_height)
    {
      int y = cinfo->next_scanline;
      JSAMPROW rows[1] = { row };

      for (int x = 0; x < width; x++)
        {
          int noise = 0;

          if (noisy)
            {
              seed = seed * 1664525 + 1013904223;
              noise = (int) ((seed >> 20) & 0x1f) - 16;
            }
          row[x * 3 + 0] = CLAMP (64 + x * 160 / width + noise, 0, 255);
          row[x * 3 + 1] = CLAMP (40 + y * 200 / height + noise, 0, 255);
          row[x * 3 + 2] = CLAMP (((x / 8 + y / 12) % 200) + 30 + noise, 0, 255);
        }
      jpeg_write_scanlines (cinfo, rows, 1);
    }
}

static void
compress (FILE                *fp,
          guint8             **buffer,
          unsigned long       *size,
          int                  width,
          int                  height,
          gboolean             noisy)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  if (fp != NULL)
    jpeg_stdio_dest (&cinfo, fp);
  else
    jpeg_mem_dest (&cinfo, buffer, size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 90, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  write_jpeg_rows (&cinfo, width, height, noisy);
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
}

void
bench_write_source_jpeg (const char *path)
{
  bench_write_jpeg (path, SOURCE_WIDTH, SOURCE_HEIGHT);
}

void
bench_write_jpeg (const char *path,
                  int         width,
                  int         height)
{
  g_autoptr(GExiv2Metadata) exif = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  guint8 *thumbnail = NULL;
  unsigned long thumbnail_size = 0;
  FILE *fp = fopen (path, "wb");

  if (fp == NULL)
    g_error ("Cannot write %s", path);
  compress (fp, NULL, NULL, width, height, TRUE);
  fclose (fp);

  compress (NULL, &thumbnail, &thumbnail_size, 160, 120, FALSE);
  if (!gexiv2_metadata_open_path (exif, path, &error))
    g_error ("%s", error->message);
  gexiv2_metadata_try_set_exif_thumbnail_from_buffer (exif, thumbnail, (int) thumbnail_size,
                                                      &error);
  if (error == NULL)
    gexiv2_metadata_try_set_tag_string (exif, "Exif.Photo.ExposureTime", "1/250", &error);
  if (error == NULL)
    gexiv2_metadata_save_file (exif, path, &error);
  if (error != NULL)
    g_error ("%s", error->message);
  free (thumbnail);
}

/* ---- the floor ---- */

static cmsHTRANSFORM bare_transform;

void
bench_clear_floor_colour (void)
{
  g_clear_pointer (&bare_transform, cmsDeleteTransform);
}

void
bench_setup_floor_colour (CapaColourProfile *monitor_profile)
{
  GBytes *icc = capa_colour_profile_get_data (monitor_profile);
  cmsHPROFILE srgb = cmsCreate_sRGBProfile ();
  cmsHPROFILE monitor = cmsOpenProfileFromMem (g_bytes_get_data (icc, NULL),
                                               g_bytes_get_size (icc));

  bare_transform = cmsCreateTransform (srgb, TYPE_RGB_8, monitor, TYPE_RGB_8,
                                       INTENT_PERCEPTUAL, 0);
  cmsCloseProfile (srgb);
  cmsCloseProfile (monitor);
  if (bare_transform == NULL)
    g_error ("lcms2 cannot make the floor's transform");
}

/* What bench-display calls its floor. */
void
bench_decode_floor (const char *path)
{
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autofree char *contents = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) fitted = NULL;
  gsize length = 0;
  guint8 *pixels;
  gsize rowstride;
  double scale;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    g_error ("Cannot read %s", path);

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_decompress (&cinfo);
  jpeg_mem_src (&cinfo, (const guint8 *) contents, length);
  jpeg_read_header (&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  cinfo.scale_num = 1;
  cinfo.scale_denom = 2;
  jpeg_start_decompress (&cinfo);

  decoded = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, cinfo.output_width, cinfo.output_height);
  pixels = gdk_pixbuf_get_pixels (decoded);
  rowstride = gdk_pixbuf_get_rowstride (decoded);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW rows[1] = { pixels + (gsize) cinfo.output_scanline * rowstride };

      jpeg_read_scanlines (&cinfo, rows, 1);
    }
  jpeg_finish_decompress (&cinfo);
  jpeg_destroy_decompress (&cinfo);

  scale = MIN ((double) WINDOW_WIDTH / SOURCE_WIDTH, (double) WINDOW_HEIGHT / SOURCE_HEIGHT);
  fitted = gdk_pixbuf_scale_simple (decoded, (int) (SOURCE_WIDTH * scale + 0.5),
                                    (int) (SOURCE_HEIGHT * scale + 0.5), GDK_INTERP_BILINEAR);
  cmsDoTransformLineStride (bare_transform,
                            gdk_pixbuf_get_pixels (fitted), gdk_pixbuf_get_pixels (fitted),
                            gdk_pixbuf_get_width (fitted), gdk_pixbuf_get_height (fitted),
                            gdk_pixbuf_get_rowstride (fitted), gdk_pixbuf_get_rowstride (fitted),
                            0, 0);
}

