/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaImage embedded previews: the EXIF thumbnail and MPF previews of
 * JPEG files, the preview of RAW (DNG) files, files without one, damaged
 * headers and cancellation. */

#include "config.h"

#include <string.h>

#include <gexiv2/gexiv2.h>

#include "capa-image-private.h"
#include "capa-test-utils.h"
#include "test-image-samples.h"

#define TOLERANCE 48

typedef SampleFixture Fixture;

static GdkPixbuf *
load_preview_async (CapaImage     *image,
                    int            max_width,
                    int            max_height,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  capa_image_load_preview_async (image, max_width, max_height, cancellable,
                                 sample_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return capa_image_load_preview_finish (image, result, error);
}

static GBytes *
encode_jpeg (GdkPixbuf *pixbuf)
{
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "95", NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/* A pixbuf of one colour. */
static GdkPixbuf *
solid_pixbuf (int     width,
              int     height,
              guint32 rgb)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);

  gdk_pixbuf_fill (pixbuf, rgb << 8 | 0xff);
  return pixbuf;
}

static void
set_exif_thumbnail (const char *path,
                    GBytes     *jpeg)
{
  g_autoptr(GExiv2Metadata) exif = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);

  gexiv2_metadata_open_path (exif, path, &error);
  g_assert_no_error (error);
  gexiv2_metadata_try_set_exif_thumbnail_from_buffer (exif, data, (int) size, &error);
  g_assert_no_error (error);
  gexiv2_metadata_save_file (exif, path, &error);
  g_assert_no_error (error);
}

static void
put_le16 (GByteArray *out,
          guint16     value)
{
  guint8 b[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (out, b, 2);
}

static void
put_le32 (GByteArray *out,
          guint32     value)
{
  guint8 b[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, b, 4);
}

/* Rewrites the JPEG at @path with an APP2 MPF segment after its SOI whose
 * index lists it and @preview, appended after its end, as cameras write
 * them. */
static void
add_mpf_preview (const char *path,
                 GBytes     *preview)
{
  g_autoptr(GByteArray) app2 = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint32 header_in_file = 2 + 4 + 4;   /* SOI, marker and length, "MPF\0" */
  guint32 preview_in_file;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true ((guint8) contents[0] == 0xFF && (guint8) contents[1] == 0xD8);

  /* the MP header: a little-endian TIFF header and one IFD */
  g_byte_array_append (app2, (const guint8 *) "MPF\0II*\0", 8);
  put_le32 (app2, 8);
  put_le16 (app2, 3);
  put_le16 (app2, 0xB000); put_le16 (app2, 7); put_le32 (app2, 4);
  g_byte_array_append (app2, (const guint8 *) "0100", 4);
  put_le16 (app2, 0xB001); put_le16 (app2, 4); put_le32 (app2, 1); put_le32 (app2, 2);
  put_le16 (app2, 0xB002); put_le16 (app2, 7); put_le32 (app2, 32); put_le32 (app2, 50);
  put_le32 (app2, 0);
  g_assert_cmpuint (app2->len, ==, 4 + 50);

  preview_in_file = length + 2 + 2 + app2->len + 32;
  put_le32 (app2, 0x20030000); put_le32 (app2, length + 4 + app2->len + 32);
  put_le32 (app2, 0); put_le32 (app2, 0);
  put_le32 (app2, 0x00010001); put_le32 (app2, g_bytes_get_size (preview));
  put_le32 (app2, preview_in_file - header_in_file); put_le32 (app2, 0);

  g_byte_array_append (out, (const guint8 *) contents, 2);
  g_byte_array_append (out, (const guint8 *) "\xFF\xE2", 2);
  g_byte_array_append (out, (const guint8[]) { (app2->len + 2) >> 8, (app2->len + 2) & 0xff }, 2);
  g_byte_array_append (out, app2->data, app2->len);
  g_byte_array_append (out, (const guint8 *) contents + 2, length - 2);
  g_assert_cmpuint (out->len, ==, preview_in_file);
  g_byte_array_append (out, g_bytes_get_data (preview, NULL), g_bytes_get_size (preview));

  g_file_set_contents (path, (const char *) out->data, out->len, &error);
  g_assert_no_error (error);
}

static void
test_exif_thumbnail (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "thumb.jpg", NULL);
  g_autoptr(GdkPixbuf) thumbnail = sample_quadrant_pixbuf (160, 80);
  g_autoptr(GBytes) jpeg = encode_jpeg (thumbnail);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) preview = NULL;
  g_autoptr(GdkPixbuf) small = NULL;
  g_autoptr(GError) error = NULL;

  /* The image is 640×320 and turned by 90°: the preview is turned too. */
  sample_write_jpeg (path, 640, 320, SAMPLE_RGB, 90, NULL);
  sample_set_orientation (path, 6);
  set_exif_thumbnail (path, jpeg);
  image = capa_image_new (path);

  preview = load_preview_async (image, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_cmpint (gdk_pixbuf_get_width (preview), ==, 80);
  g_assert_cmpint (gdk_pixbuf_get_height (preview), ==, 160);
  /* Orientation 6: the stored bottom-left (blue) is shown top-left, the
   * stored top-left (red) top-right. */
  sample_assert_pixel (preview, 10, 10, SAMPLE_BOTTOM_LEFT, TOLERANCE);
  sample_assert_pixel (preview, 69, 10, SAMPLE_TOP_LEFT, TOLERANCE);
  sample_assert_pixel (preview, 10, 149, SAMPLE_BOTTOM_RIGHT, TOLERANCE);
  sample_assert_pixel (preview, 69, 149, SAMPLE_TOP_RIGHT, TOLERANCE);

  /* Fitted to a box, never enlarged; blocking twin alike. */
  small = capa_image_load_preview (image, 40, 40, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (small), ==, 20);
  g_assert_cmpint (gdk_pixbuf_get_height (small), ==, 40);
  g_clear_object (&small);
  small = capa_image_load_preview (image, 1000, 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_height (small), ==, 160);

  capa_test_assert_finalized (g_steal_pointer (&image));
}

/* The file's ICC profile comes with the preview, as GdkPixbuf's loaders
 * give theirs: the preview is colour managed before the metadata is read. */
static void
test_icc_profile (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *tagged = g_build_filename (fixture->dir, "tagged.jpg", NULL);
  g_autofree char *untagged = g_build_filename (fixture->dir, "untagged.jpg", NULL);
  g_autoptr(GBytes) icc = sample_make_adobe_rgb_icc ();
  g_autoptr(GdkPixbuf) thumbnail = sample_quadrant_pixbuf (160, 120);
  g_autoptr(GBytes) jpeg = encode_jpeg (thumbnail);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_base64_encode (g_bytes_get_data (icc, NULL),
                                               g_bytes_get_size (icc));

  sample_write_jpeg (tagged, 320, 240, SAMPLE_RGB, 90, icc);
  set_exif_thumbnail (tagged, jpeg);
  sample_write_jpeg (untagged, 320, 240, SAMPLE_RGB, 90, NULL);
  set_exif_thumbnail (untagged, jpeg);

  {
    g_autoptr(CapaImage) image = capa_image_new (tagged);
    g_autoptr(GdkPixbuf) preview = load_preview_async (image, -1, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (preview);
    g_assert_cmpstr (gdk_pixbuf_get_option (preview, "icc-profile"), ==, expected);
  }
  {
    g_autoptr(CapaImage) image = capa_image_new (untagged);
    g_autoptr(GdkPixbuf) preview = load_preview_async (image, -1, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (preview);
    g_assert_null (gdk_pixbuf_get_option (preview, "icc-profile"));
  }
}

static void
test_mpf_preview (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "mpf.jpg", NULL);
  g_autoptr(GdkPixbuf) thumbnail = solid_pixbuf (160, 120, 0xff0000);
  g_autoptr(GdkPixbuf) large = solid_pixbuf (400, 300, 0x00ff00);
  g_autoptr(GBytes) thumbnail_jpeg = encode_jpeg (thumbnail);
  g_autoptr(GBytes) large_jpeg = encode_jpeg (large);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) preview = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  /* An EXIF thumbnail (red) and a larger MPF preview (green) of a
   * quadrant image: the largest wins. */
  sample_write_jpeg (path, 800, 600, SAMPLE_RGB, 90, NULL);
  set_exif_thumbnail (path, thumbnail_jpeg);
  add_mpf_preview (path, large_jpeg);
  image = capa_image_new (path);

  preview = load_preview_async (image, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_cmpint (gdk_pixbuf_get_width (preview), ==, 400);
  g_assert_cmpint (gdk_pixbuf_get_height (preview), ==, 300);
  sample_assert_pixel (preview, 200, 150, 0x00ff00, TOLERANCE);

  /* The image itself still decodes as before. */
  pixbuf = capa_image_load_pixbuf (image, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 800);
  sample_assert_pixel (pixbuf, 10, 10, SAMPLE_TOP_LEFT, TOLERANCE);

  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_raw_preview (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "preview.dng", NULL);
  g_autofree char *bare = g_build_filename (fixture->dir, "bare.dng", NULL);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) preview = NULL;
  g_autoptr(GError) error = NULL;

  /* A preview too small for capa_image_load_pixbuf() is still the
   * preview. */
  sample_write_dng (path, 256, 128, 64, 32, 1);
  image = capa_image_new (path);
  preview = load_preview_async (image, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_cmpint (gdk_pixbuf_get_width (preview), ==, 64);
  g_assert_cmpint (gdk_pixbuf_get_height (preview), ==, 32);
  sample_assert_pixel (preview, 4, 4, SAMPLE_TOP_LEFT, TOLERANCE);
  capa_test_assert_finalized (g_steal_pointer (&image));
  g_clear_object (&preview);

  sample_write_dng (bare, 128, 64, 0, 0, 1);
  image = capa_image_new (bare);
  preview = load_preview_async (image, -1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (preview);
  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_none (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *jpeg = g_build_filename (fixture->dir, "plain.jpg", NULL);
  g_autofree char *png = g_build_filename (fixture->dir, "plain.png", NULL);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.jpg", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.jpg", NULL);
  g_autoptr(GdkPixbuf) quadrants = sample_quadrant_pixbuf (64, 64);
  g_autoptr(GError) error = NULL;
  const char *no_preview[] = { jpeg, png };

  sample_write_jpeg (jpeg, 64, 64, SAMPLE_RGB, 90, NULL);
  sample_set_orientation (jpeg, 3);
  gdk_pixbuf_save (quadrants, png, "png", &error, NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (no_preview); i++)
    {
      g_autoptr(CapaImage) image = capa_image_new (no_preview[i]);
      g_autoptr(GdkPixbuf) preview = load_preview_async (image, -1, -1, NULL, &error);

      g_assert_no_error (error);
      g_assert_null (preview);
    }

  /* A file that cannot be read is an error, as for its pixels. */
  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CapaImage) image = capa_image_new (empty);
    g_autoptr(GdkPixbuf) preview = load_preview_async (image, -1, -1, NULL, &error);

    g_assert_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_EMPTY);
    g_assert_null (preview);
    g_clear_error (&error);
  }
  {
    g_autoptr(CapaImage) image = capa_image_new (missing);
    g_autoptr(GdkPixbuf) preview = load_preview_async (image, -1, -1, NULL, &error);

    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_null (preview);
    g_clear_error (&error);
  }
}

/* A thumbnail whose range points past the end of the file, or at bytes
 * that are no JPEG, gives no preview, and no error: the image itself may
 * still be fine. */
static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "damaged.jpg", NULL);
  g_autoptr(GdkPixbuf) thumbnail = sample_quadrant_pixbuf (160, 120);
  g_autoptr(GBytes) jpeg = encode_jpeg (thumbnail);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize thumb_at = 0;

  sample_write_jpeg (path, 320, 240, SAMPLE_RGB, 90, NULL);
  set_exif_thumbnail (path, jpeg);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  /* Where the thumbnail's SOI is (after the file's own). */
  for (gsize i = 2; i + 3 < length && thumb_at == 0; i++)
    if ((guint8) contents[i] == 0xFF && (guint8) contents[i + 1] == 0xD8 &&
        (guint8) contents[i + 2] == 0xFF)
      thumb_at = i;
  g_assert_cmpuint (thumb_at, >, 0);

  /* its SOI broken */
  contents[thumb_at + 1] = 0x00;
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CapaImage) image = capa_image_new (path);
    g_autoptr(GdkPixbuf) preview = load_preview_async (image, -1, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_null (preview);
  }

  /* cut short within the thumbnail */
  contents[thumb_at + 1] = (char) 0xD8;
  g_file_set_contents (path, contents, thumb_at + 200, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CapaImage) image = capa_image_new (path);
    g_autoptr(GdkPixbuf) preview = load_preview_async (image, -1, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_null (preview);
  }

  /* The header walker on every prefix and on flipped bytes: the ranges it
   * gives stay within what it could read, or are left to the reader's
   * checks (it must not read out of bounds: the sanitizers watch). */
  for (gsize cut = 0; cut < MIN (length, (gsize) 4096); cut += 7)
    {
      g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (CapaImagePreviewRange));
      g_autofree guint8 *copy = g_memdup2 (contents, cut);
      CapaImageOrientation orientation;

      g_autoptr(GBytes) icc = NULL;

      _capa_image_find_jpeg_previews (copy, cut, &orientation, ranges, &icc);
      g_clear_pointer (&icc, g_bytes_unref);
      if (cut > 12)
        {
          copy[cut / 2] ^= 0x5a;
          _capa_image_find_jpeg_previews (copy, cut, &orientation, ranges, NULL);
        }
    }
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "thumb.jpg", NULL);
  g_autoptr(GdkPixbuf) thumbnail = sample_quadrant_pixbuf (160, 120);
  g_autoptr(GBytes) jpeg = encode_jpeg (thumbnail);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) preview = NULL;
  g_autoptr(GError) error = NULL;

  sample_write_jpeg (path, 320, 240, SAMPLE_RGB, 90, NULL);
  set_exif_thumbnail (path, jpeg);
  image = capa_image_new (path);

  g_cancellable_cancel (cancellable);
  preview = load_preview_async (image, -1, -1, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (preview);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, sample_fixture_set_up, func, sample_fixture_tear_down)
  ADD ("/Capa/Image/preview/exif-thumbnail", test_exif_thumbnail);
  ADD ("/Capa/Image/preview/icc-profile", test_icc_profile);
  ADD ("/Capa/Image/preview/mpf", test_mpf_preview);
  ADD ("/Capa/Image/preview/raw", test_raw_preview);
  ADD ("/Capa/Image/preview/none", test_none);
  ADD ("/Capa/Image/preview/damaged", test_damaged);
  ADD ("/Capa/Image/preview/cancelled", test_cancelled);
#undef ADD

  return g_test_run ();
}
