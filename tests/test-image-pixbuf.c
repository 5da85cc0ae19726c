/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaImage pixel loading: EXIF orientation, DCT-scaled JPEG decoding,
 * CMYK and grayscale JPEGs, other formats, RAW (DNG), videos, bad files
 * and cancellation. */

#include "config.h"

#include <string.h>

#include "capa-image-private.h"
#include "capa-test-utils.h"
#include "capa-testing-private.h"
#include "test-image-samples.h"

#define TOLERANCE 48

typedef SampleFixture Fixture;

/* Loads through the async API, as the viewer does. */
static GdkPixbuf *
load_async (CapaImage     *image,
            int            max_width,
            int            max_height,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  capa_image_load_pixbuf_async (image, max_width, max_height, cancellable,
                                sample_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return capa_image_load_pixbuf_finish (image, result, error);
}

/* Where the stored pixel shown at (x, y) comes from, for a stored image of
 * @width×@height: the EXIF definitions, written out independently of the
 * code under test. */
static void
displayed_to_stored (int  orientation,
                     int  x,
                     int  y,
                     int  width,
                     int  height,
                     int *sx,
                     int *sy)
{
  switch (orientation)
    {
    case 1: *sx = x;              *sy = y;              break;
    case 2: *sx = width - 1 - x;  *sy = y;              break;
    case 3: *sx = width - 1 - x;  *sy = height - 1 - y; break;
    case 4: *sx = x;              *sy = height - 1 - y; break;
    case 5: *sx = y;              *sy = x;              break;
    case 6: *sx = y;              *sy = height - 1 - x; break;
    case 7: *sx = width - 1 - y;  *sy = height - 1 - x; break;
    case 8: *sx = width - 1 - y;  *sy = x;              break;
    default: g_assert_not_reached ();
    }
}

static void
assert_oriented_quadrants (GdkPixbuf *pixbuf,
                           int        orientation,
                           int        stored_width,
                           int        stored_height)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int inset_x = MAX (1, width / 8);
  int inset_y = MAX (1, height / 8);
  const int points[4][2] = {
    { inset_x, inset_y },
    { width - 1 - inset_x, inset_y },
    { inset_x, height - 1 - inset_y },
    { width - 1 - inset_x, height - 1 - inset_y },
  };

  /* the stored image, in the pixbuf's pixel units */
  int stored_w = orientation >= 5 ? height : width;
  int stored_h = orientation >= 5 ? width : height;

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      int sx, sy;

      displayed_to_stored (orientation, points[i][0], points[i][1], stored_w, stored_h, &sx, &sy);
      sample_assert_pixel (pixbuf, points[i][0], points[i][1],
                           sample_quadrant_colour (sx, sy, stored_w, stored_h), TOLERANCE);
    }

  (void) stored_width;
  (void) stored_height;
}

static void
test_orientation (Fixture       *fixture,
                  gconstpointer  data)
{
  for (int orientation = 1; orientation <= 8; orientation++)
    {
      g_autofree char *name = g_strdup_printf ("orientation-%d.jpg", orientation);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autoptr(CapaImage) image = NULL;
      g_autoptr(GdkPixbuf) full = NULL;
      g_autoptr(GdkPixbuf) small = NULL;
      g_autoptr(GError) error = NULL;
      gboolean swapped = orientation >= 5;

      g_test_message ("orientation %d", orientation);

      /* 128×64 stored; quadrants of distinct colours */
      sample_write_jpeg (path, 128, 64, SAMPLE_RGB, 95, NULL);
      sample_set_orientation (path, orientation);
      image = capa_image_new (path);

      full = load_async (image, -1, -1, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (full), ==, swapped ? 64 : 128);
      g_assert_cmpint (gdk_pixbuf_get_height (full), ==, swapped ? 128 : 64);
      assert_oriented_quadrants (full, orientation, 128, 64);
      g_assert_cmpint (_capa_testing_image_get_last_scale_denom (image), ==, 1);

      /* Scaled in the DCT domain, then turned: the box applies to the
       * upright image. */
      small = capa_image_load_pixbuf (image, 32, 32, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (small), ==, swapped ? 16 : 32);
      g_assert_cmpint (gdk_pixbuf_get_height (small), ==, swapped ? 32 : 16);
      assert_oriented_quadrants (small, orientation, 128, 64);
      g_assert_cmpint (_capa_testing_image_get_last_scale_denom (image), ==, 4);

      capa_test_assert_finalized (g_steal_pointer (&image));
    }
}

static void
test_apply_orientation (void)
{
  g_autoptr(GdkPixbuf) source = sample_quadrant_pixbuf (6, 4);

  for (int orientation = 1; orientation <= 8; orientation++)
    {
      g_autoptr(GdkPixbuf) oriented = _capa_image_apply_orientation (source, orientation);
      int width = gdk_pixbuf_get_width (oriented);
      int height = gdk_pixbuf_get_height (oriented);

      g_assert_cmpint (width, ==, orientation >= 5 ? 4 : 6);
      g_assert_cmpint (height, ==, orientation >= 5 ? 6 : 4);

      /* every pixel, exactly */
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            int sx, sy;

            displayed_to_stored (orientation, x, y, 6, 4, &sx, &sy);
            sample_assert_pixel (oriented, x, y, sample_quadrant_colour (sx, sy, 6, 4), 0);
          }
    }
}

typedef struct
{
  int max_width;
  int max_height;
  int width;
  int height;
  int denom;
} ScaleCase;

static void
test_dct_scale (Fixture       *fixture,
                gconstpointer  data)
{
  static const ScaleCase cases[] = {
    { -1, -1, 600, 400, 1 },
    { 1000, 1000, 600, 400, 1 },     /* never enlarged */
    { 300, 200, 300, 200, 2 },
    { 301, 201, 301, 201, 1 },       /* 1/2 would be too small */
    { 150, 100, 150, 100, 4 },
    { 160, -1, 160, 107, 2 },
    { -1, 50, 75, 50, 8 },
    { 40, 40, 40, 27, 8 },           /* then scaled down from 75×50 */
  };
  g_autofree char *path = g_build_filename (fixture->dir, "600x400.jpg", NULL);
  g_autoptr(CapaImage) image = NULL;

  sample_write_jpeg (path, 600, 400, SAMPLE_RGB, 90, NULL);
  image = capa_image_new (path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("box %d×%d", cases[i].max_width, cases[i].max_height);
      pixbuf = capa_image_load_pixbuf (image, cases[i].max_width, cases[i].max_height,
                                       NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, cases[i].width);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, cases[i].height);
      g_assert_cmpint (_capa_testing_image_get_last_scale_denom (image), ==, cases[i].denom);
      assert_oriented_quadrants (pixbuf, 1, 600, 400);
    }

  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_dct_scale_24mp (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "24mp.jpg", NULL);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  /* A 24 MP photo shown on a 1920×1080 screen is decoded at 1/2, never
   * at full size. */
  sample_write_jpeg (path, 6000, 4000, SAMPLE_RGB, 90, NULL);
  image = capa_image_new (path);

  pixbuf = load_async (image, 1920, 1080, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 1620);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 1080);
  g_assert_cmpint (_capa_testing_image_get_last_scale_denom (image), ==, 2);
  assert_oriented_quadrants (pixbuf, 1, 6000, 4000);
  g_clear_object (&pixbuf);

  /* a film-strip thumbnail: 1/8 */
  pixbuf = load_async (image, 256, 256, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 171);
  g_assert_cmpint (_capa_testing_image_get_last_scale_denom (image), ==, 8);

  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_colour_spaces (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *gray = g_build_filename (fixture->dir, "gray.jpg", NULL);
  g_autofree char *cmyk = g_build_filename (fixture->dir, "cmyk.jpg", NULL);
  g_autoptr(CapaImage) gray_image = NULL;
  g_autoptr(CapaImage) cmyk_image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  sample_write_jpeg (gray, 64, 64, SAMPLE_GRAY, 95, NULL);
  gray_image = capa_image_new (gray);
  pixbuf = capa_image_load_pixbuf (gray_image, 32, 32, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_n_channels (pixbuf), ==, 3);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 32);
  sample_assert_pixel (pixbuf, 4, 4, 0x000000, 12);
  sample_assert_pixel (pixbuf, 27, 4, 0x555555, 12);
  sample_assert_pixel (pixbuf, 4, 27, 0xaaaaaa, 12);
  sample_assert_pixel (pixbuf, 27, 27, 0xffffff, 12);
  g_clear_object (&pixbuf);

  sample_write_jpeg (cmyk, 64, 64, SAMPLE_CMYK, 95, NULL);
  cmyk_image = capa_image_new (cmyk);
  pixbuf = capa_image_load_pixbuf (cmyk_image, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  assert_oriented_quadrants (pixbuf, 1, 64, 64);
}

static void
test_other_formats (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const formats[] = { "png", "tiff", "bmp" };
  g_autoptr(GdkPixbuf) source = sample_quadrant_pixbuf (90, 60);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("sample.%s", formats[i]);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autoptr(CapaImage) image = NULL;
      g_autoptr(GdkPixbuf) full = NULL;
      g_autoptr(GdkPixbuf) small = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("format %s", formats[i]);
      gdk_pixbuf_save (source, path, formats[i], &error, NULL);
      g_assert_no_error (error);
      image = capa_image_new (path);

      full = load_async (image, -1, -1, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (full), ==, 90);
      g_assert_cmpint (gdk_pixbuf_get_height (full), ==, 60);
      assert_oriented_quadrants (full, 1, 90, 60);
      g_assert_cmpint (_capa_testing_image_get_last_scale_denom (image), ==, 0);

      small = load_async (image, 30, 30, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (small), ==, 30);
      g_assert_cmpint (gdk_pixbuf_get_height (small), ==, 20);
      assert_oriented_quadrants (small, 1, 90, 60);
    }
}

static void
test_video_placeholder (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "clip.MP4", NULL);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) unbounded = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "\0\0\0\x20" "ftypisom", 12, &error);
  g_assert_no_error (error);
  image = capa_image_new (path);
  g_assert_true (capa_image_is_video (image));

  pixbuf = load_async (image, 320, 320, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 320);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 180);
  /* grey frame, light triangle in the middle */
  sample_assert_pixel (pixbuf, 2, 2, 0x4d4d4d, 0);
  sample_assert_pixel (pixbuf, 317, 177, 0x4d4d4d, 0);
  sample_assert_pixel (pixbuf, 160, 90, 0xd9d9d9, 0);

  unbounded = capa_image_load_pixbuf (image, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (unbounded), ==, 640);
  g_assert_cmpint (gdk_pixbuf_get_height (unbounded), ==, 360);

  /* Metadata of a video: no error, the file's own time. */
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (capa_image_get_capture_time (image));
  g_assert_cmpstr (capa_image_get_mime_type (image), ==, "video/mp4");

  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
assert_load_error (const char *path,
                   GQuark      domain,
                   int         code)
{
  g_autoptr(CapaImage) image = capa_image_new (path);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_path_get_basename (path);

  pixbuf = load_async (image, 200, 200, NULL, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, domain, code);
  g_assert_nonnull (strstr (error->message, basename));
  g_clear_error (&error);

  pixbuf = capa_image_load_pixbuf (image, -1, -1, NULL, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, domain, code);

  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
truncate_copy (const char *source,
               const char *dest,
               double      fraction)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_file_get_contents (source, &contents, &size, &error);
  g_assert_no_error (error);
  g_file_set_contents (dest, contents, (gssize) (size * fraction), &error);
  g_assert_no_error (error);
}

static void
test_bad_files (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.jpg", NULL);
  g_autofree char *empty_raw = g_build_filename (fixture->dir, "empty.nef", NULL);
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.jpg", NULL);
  g_autofree char *garbage_raw = g_build_filename (fixture->dir, "garbage.cr2", NULL);
  g_autofree char *good = g_build_filename (fixture->dir, "good.jpg", NULL);
  g_autofree char *truncated = g_build_filename (fixture->dir, "truncated.jpg", NULL);
  g_autofree char *png = g_build_filename (fixture->dir, "good.png", NULL);
  g_autofree char *truncated_png = g_build_filename (fixture->dir, "truncated.png", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.jpg", NULL);
  g_autoptr(GdkPixbuf) source = sample_quadrant_pixbuf (200, 200);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  guint8 noise[8192];

  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  assert_load_error (empty, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_EMPTY);
  g_file_set_contents (empty_raw, "", 0, &error);
  g_assert_no_error (error);
  assert_load_error (empty_raw, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_EMPTY);

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  noise[0] = 'G';
  g_file_set_contents (garbage, (const char *) noise, sizeof noise, &error);
  g_assert_no_error (error);
  assert_load_error (garbage, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT);
  g_file_set_contents (garbage_raw, (const char *) noise, sizeof noise, &error);
  g_assert_no_error (error);
  assert_load_error (garbage_raw, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT);

  /* A JPEG cut in the middle of its data is reported, not shown half grey. */
  sample_write_jpeg (good, 400, 400, SAMPLE_RGB, 90, NULL);
  truncate_copy (good, truncated, 0.5);
  assert_load_error (truncated, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);

  gdk_pixbuf_save (source, png, "png", &error, "compression", "0", NULL);
  g_assert_no_error (error);
  truncate_copy (png, truncated_png, 0.5);
  assert_load_error (truncated_png, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);

  assert_load_error (missing, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  /* A header claiming a gigantic image is refused before any buffer is
   * sized by it. */
  {
    g_autofree char *huge = g_build_filename (fixture->dir, "huge.jpg", NULL);
    g_autofree char *contents = NULL;
    gsize length = 0;
    gboolean patched = FALSE;

    g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
    for (gsize i = 0; i + 9 < length && !patched; i++)
      if ((guint8) contents[i] == 0xFF && ((guint8) contents[i + 1] & 0xF0) == 0xC0 &&
          (guint8) contents[i + 1] != 0xC4 && (guint8) contents[i + 1] != 0xC8 &&
          (guint8) contents[i + 1] != 0xCC)
        {
          /* SOFn: length (2), precision (1), height (2), width (2):
           * 60000×60000, within libjpeg's own limit of 65500 a side. */
          contents[i + 5] = contents[i + 7] = (char) 0xEA;
          contents[i + 6] = contents[i + 8] = (char) 0x60;
          patched = TRUE;
        }
    g_assert_true (patched);
    g_file_set_contents (huge, contents, length, &error);
    g_assert_no_error (error);
    {
      g_autoptr(CapaImage) image = capa_image_new (huge);
      g_autoptr(GdkPixbuf) pixbuf = capa_image_load_pixbuf (image, 256, 256, NULL, &error);

      g_assert_null (pixbuf);
      g_assert_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);
      /* Refused for its size, not found cut short after decoding began. */
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "16384"));
      g_clear_error (&error);
    }
  }
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "cancel.jpg", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  sample_write_jpeg (path, 1024, 1024, SAMPLE_RGB, 90, NULL);
  image = capa_image_new (path);

  g_cancellable_cancel (cancellable);
  pixbuf = load_async (image, -1, -1, cancellable, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  pixbuf = capa_image_load_pixbuf (image, -1, -1, cancellable, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled inside the decoder, between rows. */
  {
    g_autofree char *contents = NULL;
    gsize length;

    g_file_get_contents (path, &contents, &length, &error);
    g_assert_no_error (error);
    pixbuf = _capa_image_decode_jpeg ((const guint8 *) contents, length, -1, -1, 0, NULL,
                                      cancellable, &error);
    g_assert_null (pixbuf);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_raw_preview (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "preview.dng", NULL);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  /* 256×128 mosaic, 256×128 JPEG preview, shown rotated 90° clockwise */
  sample_write_dng (path, 256, 128, 256, 128, 6);
  image = capa_image_new (path);

  pixbuf = load_async (image, 64, 64, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 32);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 64);
  /* The preview went through the DCT-scaled JPEG path, turned by libraw's
   * flip: 64×32 stored pixels are needed, 1/4 of the preview. */
  g_assert_cmpint (_capa_testing_image_get_last_scale_denom (image), ==, 4);
  assert_oriented_quadrants (pixbuf, 6, 256, 128);

  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (capa_image_get_orientation (image), ==, CAPA_IMAGE_ORIENTATION_ROTATE_90);
  g_assert_cmpint (capa_image_get_width (image), ==, 256);
  g_assert_cmpint (capa_image_get_height (image), ==, 128);
  g_assert_cmpstr (capa_image_get_camera_model (image), ==, "Capa Test DNG");

  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_raw_full_decode (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "no-preview.dng", NULL);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *left, *right, *top, *bottom;

  /* No preview: the sensor data is decoded at half size. */
  sample_write_dng (path, 128, 64, 0, 0, 1);
  image = capa_image_new (path);

  pixbuf = load_async (image, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 32);
  g_assert_cmpint (_capa_testing_image_get_last_scale_denom (image), ==, 0);

  /* dark on the left, bright on the right, as the sensor data */
  left = gdk_pixbuf_read_pixels (pixbuf) + 16 * gdk_pixbuf_get_rowstride (pixbuf) + 8 * 3;
  right = gdk_pixbuf_read_pixels (pixbuf) + 16 * gdk_pixbuf_get_rowstride (pixbuf) + 56 * 3;
  for (int c = 0; c < 3; c++)
    g_assert_cmpint ((int) left[c] + 40, <, (int) right[c]);
  capa_test_assert_finalized (g_steal_pointer (&image));
  g_clear_object (&pixbuf);

  /* libraw turns the full decode itself: the left half goes on top. */
  sample_write_dng (path, 128, 64, 0, 0, 6);
  image = capa_image_new (path);
  pixbuf = capa_image_load_pixbuf (image, 16, 16, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 8);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 16);
  top = gdk_pixbuf_read_pixels (pixbuf) + 2 * gdk_pixbuf_get_rowstride (pixbuf) + 4 * 3;
  bottom = gdk_pixbuf_read_pixels (pixbuf) + 13 * gdk_pixbuf_get_rowstride (pixbuf) + 4 * 3;
  for (int c = 0; c < 3; c++)
    g_assert_cmpint ((int) top[c] + 40, <, (int) bottom[c]);

  capa_test_assert_finalized (g_steal_pointer (&image));
}

/* A RAW shorter than its own header says (still being written) is told
 * from one that is whole; either way the error stays in CAPA_IMAGE_ERROR. */
static void
test_raw_cut_short (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "whole.dng", NULL);
  g_autofree char *preview = g_build_filename (fixture->dir, "preview.dng", NULL);
  g_autofree char *cut = g_build_filename (fixture->dir, "cut.dng", NULL);
  g_autofree char *jpeg = g_build_filename (fixture->dir, "photo.jpg", NULL);
  const char *files[] = { path, preview };

  sample_write_dng (path, 128, 64, 0, 0, 1);
  sample_write_dng (preview, 256, 128, 256, 128, 6);
  sample_write_jpeg (jpeg, 16, 16, SAMPLE_RGB, 90, NULL);

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (files[f], &contents, &length, &error));
      g_assert_false (_capa_image_tiff_is_cut_short ((const guint8 *) contents, length));

      for (guint tenths = 1; tenths < 10; tenths++)
        {
          g_autoptr(GdkPixbuf) pixbuf = NULL;
          gsize cut_length = length * tenths / 10;
          gboolean incomplete = FALSE;

          g_assert_true (_capa_image_tiff_is_cut_short ((const guint8 *) contents, cut_length));

          g_assert_true (g_file_set_contents (cut, contents, cut_length, &error));
          pixbuf = _capa_image_load_file_pixbuf (cut, 64, 64, NULL, &incomplete, NULL, &error);
          if (pixbuf == NULL)
            {
              g_assert_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);
              g_assert_true (incomplete);
              g_clear_error (&error);
            }
        }
    }

  /* Not TIFF-based: never taken as cut short by this check. */
  {
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (jpeg, &contents, &length, NULL));
    g_assert_false (_capa_image_tiff_is_cut_short ((const guint8 *) contents, length / 2));
    g_assert_false (_capa_image_tiff_is_cut_short ((const guint8 *) "II*", 3));
  }
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, sample_fixture_set_up, func, sample_fixture_tear_down)
  ADD ("/Capa/Image/pixbuf/orientation", test_orientation);
  ADD ("/Capa/Image/pixbuf/raw-cut-short", test_raw_cut_short);
  ADD ("/Capa/Image/pixbuf/dct-scale", test_dct_scale);
  ADD ("/Capa/Image/pixbuf/dct-scale-24mp", test_dct_scale_24mp);
  ADD ("/Capa/Image/pixbuf/colour-spaces", test_colour_spaces);
  ADD ("/Capa/Image/pixbuf/other-formats", test_other_formats);
  ADD ("/Capa/Image/pixbuf/video-placeholder", test_video_placeholder);
  ADD ("/Capa/Image/pixbuf/bad-files", test_bad_files);
  ADD ("/Capa/Image/pixbuf/cancelled", test_cancelled);
  ADD ("/Capa/Image/pixbuf/raw-preview", test_raw_preview);
  ADD ("/Capa/Image/pixbuf/raw-full-decode", test_raw_full_decode);
#undef ADD
  g_test_add_func ("/Capa/Image/pixbuf/apply-orientation", test_apply_orientation);

  return g_test_run ();
}
