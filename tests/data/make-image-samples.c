/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Writes the committed sample files of tests/data/ that test-image reads.
 * They are made here, by our own code, so that their content is known:
 *
 *   ninja -C build tests/make-image-samples
 *   ./build/tests/make-image-samples tests/data
 */

#include "config.h"

#include <stdlib.h>

#include "test-image-samples.h"

static char *
path_in (const char *dir,
         const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_file (const char   *dir,
            const char   *name,
            const guint8 *data,
            gsize         length)
{
  g_autofree char *path = path_in (dir, name);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) data, length, &error))
    g_error ("%s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) icc = NULL;
  g_autoptr(GdkPixbuf) quadrants = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *icc_base64 = NULL;
  const char *dir;
  guint8 noise[4096];
  gsize length;

  if (argc != 2)
    {
      g_printerr ("Usage: %s FOLDER\n", argv[0]);
      return EXIT_FAILURE;
    }
  dir = argv[1];

  /* a camera JPEG: EXIF shooting data, shown turned 90° clockwise */
  {
    g_autofree char *path = path_in (dir, "camera.jpg");

    sample_write_jpeg (path, 96, 64, SAMPLE_RGB, 90, NULL);
    sample_set_exif (path,
                     "Exif.Image.Make", "NIKON CORPORATION",
                     "Exif.Image.Model", "NIKON D750",
                     "Exif.Image.Orientation", "6",
                     "Exif.Photo.LensModel", "24.0-120.0 mm f/4.0",
                     "Exif.Photo.ExposureTime", "1/125",
                     "Exif.Photo.FNumber", "80/10",
                     "Exif.Photo.ISOSpeedRatings", "800",
                     "Exif.Photo.FocalLength", "350/10",
                     "Exif.Photo.DateTimeOriginal", "2026:11:21 18:30:05",
                     "Exif.Photo.SubSecTimeOriginal", "50",
                     "Exif.Photo.OffsetTimeOriginal", "-05:00",
                     NULL);
  }

  /* the Adobe RGB-like profile, and files tagged with it */
  icc = sample_make_adobe_rgb_icc ();
  write_file (dir, "adobe-rgb.icc", g_bytes_get_data (icc, NULL), g_bytes_get_size (icc));
  {
    g_autofree char *path = path_in (dir, "adobe-rgb.jpg");

    sample_write_jpeg (path, 64, 48, SAMPLE_RGB, 90, icc);
  }
  quadrants = sample_quadrant_pixbuf (40, 30);
  {
    g_autofree char *path = path_in (dir, "adobe-rgb.png");

    sample_write_png_with_icc (path, quadrants, icc);
  }
  {
    g_autofree char *path = path_in (dir, "adobe-rgb.tiff");

    icc_base64 = g_base64_encode (g_bytes_get_data (icc, NULL), g_bytes_get_size (icc));
    if (!gdk_pixbuf_save (quadrants, path, "tiff", &error, "icc-profile", icc_base64, NULL))
      g_error ("%s", error->message);
  }

  /* untagged, grayscale and CMYK JPEGs */
  {
    g_autofree char *untagged = path_in (dir, "untagged.jpg");
    g_autofree char *gray = path_in (dir, "gray.jpg");
    g_autofree char *cmyk = path_in (dir, "cmyk.jpg");

    sample_write_jpeg (untagged, 64, 48, SAMPLE_RGB, 90, NULL);
    sample_write_jpeg (gray, 64, 48, SAMPLE_GRAY, 90, NULL);
    sample_write_jpeg (cmyk, 64, 48, SAMPLE_CMYK, 90, NULL);
  }

  /* tiny DNGs: with a JPEG preview (turned 90° clockwise), and without */
  {
    g_autofree char *preview = path_in (dir, "preview.dng");
    g_autofree char *no_preview = path_in (dir, "no-preview.dng");

    sample_write_dng (preview, 128, 64, 128, 64, 6);
    sample_write_dng (no_preview, 64, 32, 0, 0, 1);
  }

  /* bad files: a JPEG cut in its data, an empty file, random bytes */
  {
    g_autofree char *whole = path_in (dir, "truncated.jpg");

    sample_write_jpeg (whole, 400, 300, SAMPLE_RGB, 90, NULL);
    if (!g_file_get_contents (whole, &contents, &length, &error))
      g_error ("%s", error->message);
    /* past the tables, in the middle of the entropy-coded data */
    write_file (dir, "truncated.jpg", (const guint8 *) contents, length / 2);
  }
  write_file (dir, "empty.jpg", (const guint8 *) "", 0);

  rand = g_rand_new_with_seed (2026);
  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  noise[0] = 'G';
  write_file (dir, "garbage.jpg", noise, sizeof noise);

  return EXIT_SUCCESS;
}
