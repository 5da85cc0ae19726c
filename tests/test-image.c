/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaImage metadata: EXIF values, capture time, embedded ICC profiles
 * and the errors bad files give. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "capa-filename-private.h"
#include "capa-image-private.h"
#include "capa-test-utils.h"
#include "capa-testing-private.h"
#include "test-image-samples.h"

typedef SampleFixture Fixture;

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

static guint
notify_count (GHashTable *counts,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_metadata_exif (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "DSC_0001.JPG", NULL);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GDateTime) expected = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *exposure = NULL;
  g_autofree char *model = NULL;
  GDateTime *capture_time;
  CapaImageOrientation orientation;

  sample_write_jpeg (path, 64, 48, SAMPLE_RGB, 90, NULL);
  sample_set_exif (path,
                   "Exif.Image.Make", "NIKON CORPORATION",
                   "Exif.Image.Model", "NIKON D750",
                   "Exif.Image.Orientation", "6",
                   "Exif.Photo.LensModel", "50.0 mm f/1.8",
                   "Exif.Photo.ExposureTime", "1/250",
                   "Exif.Photo.FNumber", "56/10",
                   "Exif.Photo.ISOSpeedRatings", "400",
                   "Exif.Photo.FocalLength", "50/1",
                   "Exif.Photo.DateTimeOriginal", "2026:11:22 10:20:30",
                   "Exif.Photo.SubSecTimeOriginal", "125",
                   "Exif.Photo.OffsetTimeOriginal", "+02:00",
                   NULL);

  image = capa_image_new (path);
  g_signal_connect (image, "notify", G_CALLBACK (on_notify_cb), counts);

  /* Nothing is read before asked. */
  g_assert_false (capa_image_get_metadata_loaded (image));
  g_assert_null (capa_image_get_camera_model (image));
  g_assert_null (capa_image_get_capture_time (image));
  g_assert_cmpint (capa_image_get_width (image), ==, 0);

  capa_image_load_metadata_async (image, NULL, sample_async_result_cb, &result);
  g_assert_false (capa_image_get_metadata_loaded (image));
  g_assert_true (capa_image_load_metadata_finish (image, wait_for_result (&result), &error));
  g_assert_no_error (error);

  g_assert_true (capa_image_get_metadata_loaded (image));
  g_assert_cmpstr (capa_image_get_camera_model (image), ==, "NIKON D750");
  g_assert_cmpstr (capa_image_get_lens (image), ==, "50.0 mm f/1.8");
  g_assert_cmpint (capa_image_get_orientation (image), ==, CAPA_IMAGE_ORIENTATION_ROTATE_90);
  g_assert_cmpfloat_with_epsilon (capa_image_get_exposure_time (image), 1.0 / 250, 1e-9);
  exposure = capa_image_dup_exposure_time_string (image);
  g_assert_cmpstr (exposure, ==, "1/250 s");
  g_assert_cmpfloat_with_epsilon (capa_image_get_f_number (image), 5.6, 1e-9);
  g_assert_cmpint (capa_image_get_iso (image), ==, 400);
  g_assert_cmpfloat_with_epsilon (capa_image_get_focal_length (image), 50.0, 1e-9);
  g_assert_cmpint (capa_image_get_width (image), ==, 64);
  g_assert_cmpint (capa_image_get_height (image), ==, 48);
  g_assert_cmpstr (capa_image_get_mime_type (image), ==, "image/jpeg");
  g_assert_null (capa_image_get_icc_profile (image));

  tz = g_time_zone_new_identifier ("+02:00");
  expected = g_date_time_new (tz, 2026, 11, 22, 10, 20, 30.125);
  capture_time = capa_image_get_capture_time (image);
  g_assert_nonnull (capture_time);
  g_assert_true (g_date_time_equal (capture_time, expected));
  g_assert_cmpint (g_date_time_get_microsecond (capture_time), ==, 125000);
  g_assert_cmpint (g_date_time_get_utc_offset (capture_time), ==, 2 * G_TIME_SPAN_HOUR);

  /* Properties agree with the getters; each was notified once. */
  g_object_get (image, "camera-model", &model, "orientation", &orientation, NULL);
  g_assert_cmpstr (model, ==, "NIKON D750");
  g_assert_cmpint (orientation, ==, CAPA_IMAGE_ORIENTATION_ROTATE_90);
  g_assert_cmpuint (notify_count (counts, "metadata-loaded"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "camera-model"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "orientation"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "capture-time"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "iso"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "icc-profile"), ==, 0);

  /* Cached: a second load completes without reading or notifying. */
  g_clear_object (&result);
  g_hash_table_remove_all (counts);
  capa_image_load_metadata_async (image, NULL, sample_async_result_cb, &result);
  g_assert_true (capa_image_load_metadata_finish (image, wait_for_result (&result), &error));
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  g_clear_object (&result);
  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_metadata_mtime_fallback (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "plain.jpg", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  GDateTime *capture_time;
  const guint64 mtime = 1790000000;   /* 2026-09-21 */

  sample_write_jpeg (path, 40, 30, SAMPLE_RGB, 80, NULL);
  file = g_file_new_for_path (path);
  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, mtime,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);

  image = capa_image_new (path);
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);

  capture_time = capa_image_get_capture_time (image);
  g_assert_nonnull (capture_time);
  g_assert_cmpint (g_date_time_to_unix (capture_time), ==, (gint64) mtime);
  g_assert_null (capa_image_get_camera_model (image));
  g_assert_null (capa_image_get_lens (image));
  g_assert_null (capa_image_dup_exposure_time_string (image));
  g_assert_cmpfloat (capa_image_get_exposure_time (image), ==, 0.0);
  g_assert_cmpfloat (capa_image_get_f_number (image), ==, 0.0);
  g_assert_cmpint (capa_image_get_iso (image), ==, 0);
  g_assert_cmpint (capa_image_get_orientation (image), ==, CAPA_IMAGE_ORIENTATION_NORMAL);
  g_assert_cmpint (capa_image_get_width (image), ==, 40);
  g_assert_cmpint (capa_image_get_height (image), ==, 30);

  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_exposure_strings (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct {
    const char *exif;
    const char *expected;
  } cases[] = {
    { "1/8000", "1/8000 s" },
    { "1/250", "1/250 s" },
    { "10/2500", "1/250 s" },
    { "1/3", "1/3 s" },
    { "1/2", "1/2 s" },
    { "4/10", "0.4 s" },
    { "13/10", "1.3 s" },
    { "2/1", "2 s" },
    { "30/1", "30 s" },
  };
  g_autofree char *path = g_build_filename (fixture->dir, "exposure.jpg", NULL);

  sample_write_jpeg (path, 16, 16, SAMPLE_RGB, 80, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CapaImage) image = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      sample_set_exif (path, "Exif.Photo.ExposureTime", cases[i].exif, NULL);
      image = capa_image_new (path);
      g_assert_true (capa_image_load_metadata (image, NULL, &error));
      g_assert_no_error (error);

      text = capa_image_dup_exposure_time_string (image);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
assert_bytes_equal (GBytes *actual,
                    GBytes *expected)
{
  g_assert_nonnull (actual);
  g_assert_cmpmem (g_bytes_get_data (actual, NULL), g_bytes_get_size (actual),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static void
test_icc_jpeg (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "adobe.jpg", NULL);
  g_autoptr(GBytes) icc = sample_make_adobe_rgb_icc ();
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *property = NULL;

  sample_write_jpeg (path, 48, 32, SAMPLE_RGB, 90, icc);
  sample_set_exif (path, "Exif.Image.Model", "ICC test", NULL);

  image = capa_image_new (path);
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  assert_bytes_equal (capa_image_get_icc_profile (image), icc);

  g_object_get (image, "icc-profile", &property, NULL);
  assert_bytes_equal (property, icc);
  g_bytes_unref (property);

  g_assert_cmpstr (capa_image_get_camera_model (image), ==, "ICC test");
  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_icc_jpeg_chunks (Fixture       *fixture,
                      gconstpointer  data)
{
  static const guint order[] = { 3, 1, 2 };
  static const guint incomplete[] = { 1, 3 };
  g_autofree char *path = g_build_filename (fixture->dir, "chunks.jpg", NULL);
  g_autofree char *broken_path = g_build_filename (fixture->dir, "broken-chunks.jpg", NULL);
  g_autoptr(GBytes) icc = sample_make_adobe_rgb_icc ();
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(CapaImage) broken = NULL;
  g_autoptr(GError) error = NULL;

  /* Three segments, written out of order, are put back in sequence. */
  sample_write_jpeg_chunked (path, icc, 3, order, G_N_ELEMENTS (order));
  image = capa_image_new (path);
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  assert_bytes_equal (capa_image_get_icc_profile (image), icc);

  /* A missing segment leaves the image untagged rather than garbled. */
  sample_write_jpeg_chunked (broken_path, icc, 3, incomplete, G_N_ELEMENTS (incomplete));
  broken = capa_image_new (broken_path);
  g_assert_true (capa_image_load_metadata (broken, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (capa_image_get_icc_profile (broken));
}

static void
test_icc_assemble (void)
{
  g_autoptr(GPtrArray) chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) profile = NULL;

  g_ptr_array_add (chunks, g_bytes_new ("\x02\x02" "CD", 4));
  g_ptr_array_add (chunks, g_bytes_new ("\x01\x02" "AB", 4));
  profile = _capa_image_assemble_icc_chunks (chunks);
  g_assert_nonnull (profile);
  g_assert_cmpmem (g_bytes_get_data (profile, NULL), g_bytes_get_size (profile), "ABCD", 4);

  /* duplicate sequence numbers */
  g_ptr_array_set_size (chunks, 0);
  g_ptr_array_add (chunks, g_bytes_new ("\x01\x02" "AB", 4));
  g_ptr_array_add (chunks, g_bytes_new ("\x01\x02" "CD", 4));
  g_assert_null (_capa_image_assemble_icc_chunks (chunks));

  /* a count that disagrees, a chunk too short to hold its numbers */
  g_ptr_array_set_size (chunks, 0);
  g_ptr_array_add (chunks, g_bytes_new ("\x01\x03" "AB", 4));
  g_assert_null (_capa_image_assemble_icc_chunks (chunks));
  g_ptr_array_set_size (chunks, 0);
  g_ptr_array_add (chunks, g_bytes_new ("\x01", 1));
  g_assert_null (_capa_image_assemble_icc_chunks (chunks));
}

static void
test_icc_png_tiff (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const formats[] = { "png", "tiff" };
  g_autoptr(GBytes) icc = sample_make_adobe_rgb_icc ();
  g_autoptr(GdkPixbuf) pixbuf = sample_quadrant_pixbuf (40, 20);
  g_autofree char *icc_base64 = g_base64_encode (g_bytes_get_data (icc, NULL),
                                                 g_bytes_get_size (icc));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("tagged.%s", formats[i]);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autofree char *mime = g_strdup_printf ("image/%s", formats[i]);
      g_autoptr(CapaImage) image = NULL;
      g_autoptr(GError) error = NULL;

      if (g_str_equal (formats[i], "png"))
        {
          sample_write_png_with_icc (path, pixbuf, icc);
        }
      else
        {
          gdk_pixbuf_save (pixbuf, path, formats[i], &error, "icc-profile", icc_base64, NULL);
          g_assert_no_error (error);
        }

      image = capa_image_new (path);
      g_assert_true (capa_image_load_metadata (image, NULL, &error));
      g_assert_no_error (error);
      assert_bytes_equal (capa_image_get_icc_profile (image), icc);
      g_assert_cmpint (capa_image_get_width (image), ==, 40);
      g_assert_cmpint (capa_image_get_height (image), ==, 20);
      g_assert_cmpstr (capa_image_get_mime_type (image), ==, mime);
    }
}

static void
test_icc_untagged (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *jpeg = g_build_filename (fixture->dir, "untagged.jpg", NULL);
  g_autofree char *png = g_build_filename (fixture->dir, "untagged.png", NULL);
  g_autoptr(GdkPixbuf) pixbuf = sample_quadrant_pixbuf (8, 8);
  g_autoptr(CapaImage) jpeg_image = NULL;
  g_autoptr(CapaImage) png_image = NULL;
  g_autoptr(GError) error = NULL;

  sample_write_jpeg (jpeg, 8, 8, SAMPLE_RGB, 90, NULL);
  gdk_pixbuf_save (pixbuf, png, "png", &error, NULL);
  g_assert_no_error (error);

  jpeg_image = capa_image_new (jpeg);
  png_image = capa_image_new (png);
  g_assert_true (capa_image_load_metadata (jpeg_image, NULL, &error));
  g_assert_true (capa_image_load_metadata (png_image, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (capa_image_get_icc_profile (jpeg_image));
  g_assert_null (capa_image_get_icc_profile (png_image));
}

static void
test_colour_profile (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *tagged = g_build_filename (fixture->dir, "adobe.jpg", NULL);
  g_autofree char *untagged = g_build_filename (fixture->dir, "untagged.jpg", NULL);
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged-icc.jpg", NULL);
  g_autoptr(GBytes) icc = sample_make_adobe_rgb_icc ();
  g_autoptr(GBytes) garbage =
    g_bytes_new_static ("not an ICC profile at all, not even close to one", 48);
  g_autoptr(CapaColourProfile) expected = NULL;
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  CapaColourProfile *profile;

  expected = capa_colour_profile_new_from_data (icc, &error);
  g_assert_no_error (error);

  /* the embedded profile, made once */
  sample_write_jpeg (tagged, 16, 16, SAMPLE_RGB, 90, icc);
  image = capa_image_new (tagged);
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  profile = capa_image_get_colour_profile (image, &error);
  g_assert_no_error (error);
  g_assert_true (CAPA_IS_COLOUR_PROFILE (profile));
  g_assert_true (capa_colour_profile_equal (profile, expected));
  g_assert_false (capa_colour_profile_equal (profile, srgb));
  g_assert_true (capa_image_get_colour_profile (image, &error) == profile);
  capa_test_assert_finalized (g_steal_pointer (&image));

  /* untagged: sRGB */
  sample_write_jpeg (untagged, 16, 16, SAMPLE_RGB, 90, NULL);
  image = capa_image_new (untagged);
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  profile = capa_image_get_colour_profile (image, &error);
  g_assert_no_error (error);
  g_assert_true (capa_colour_profile_equal (profile, srgb));
  capa_test_assert_finalized (g_steal_pointer (&image));

  /* a damaged embedded profile is an error the viewer can fall back from */
  sample_write_jpeg (damaged, 16, 16, SAMPLE_RGB, 90, garbage);
  image = capa_image_new (damaged);
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (capa_image_get_icc_profile (image));
  g_assert_null (capa_image_get_colour_profile (image, &error));
  g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID);
  capa_test_assert_finalized (g_steal_pointer (&image));
}

/* The embedded profile is parsed by the worker that loads the metadata:
 * right after load_metadata_finish it is there, and getting it parses
 * nothing more (no work on the main thread). */
static void
test_colour_profile_async (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *tagged = g_build_filename (fixture->dir, "adobe-async.jpg", NULL);
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged-async.jpg", NULL);
  g_autoptr(GBytes) icc = sample_make_adobe_rgb_icc ();
  g_autoptr(GBytes) garbage =
    g_bytes_new_static ("not an ICC profile at all, not even close to one", 48);
  g_autoptr(CapaColourProfile) expected = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CapaColourProfile *profile;
  guint n_made;

  expected = capa_colour_profile_new_from_data (icc, &error);
  g_assert_no_error (error);
  sample_write_jpeg (tagged, 16, 16, SAMPLE_RGB, 90, icc);
  sample_write_jpeg (damaged, 16, 16, SAMPLE_RGB, 90, garbage);

  image = capa_image_new (tagged);
  n_made = _capa_testing_image_get_n_colour_profiles_made ();
  capa_image_load_metadata_async (image, NULL, sample_async_result_cb, &result);
  g_assert_true (capa_image_load_metadata_finish (image, wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (_capa_testing_image_get_n_colour_profiles_made (), ==, n_made + 1);

  profile = capa_image_get_colour_profile (image, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
  g_assert_true (capa_colour_profile_equal (profile, expected));
  g_assert_true (capa_image_get_colour_profile (image, &error) == profile);
  g_assert_cmpuint (_capa_testing_image_get_n_colour_profiles_made (), ==, n_made + 1);

  /* Loading again is free, and keeps the same object. */
  capa_image_load_metadata_async (image, NULL, sample_async_result_cb, &result);
  g_assert_true (capa_image_load_metadata_finish (image, wait_for_result (&result), &error));
  g_clear_object (&result);
  g_assert_true (capa_image_get_colour_profile (image, &error) == profile);
  g_assert_cmpuint (_capa_testing_image_get_n_colour_profiles_made (), ==, n_made + 1);
  capa_test_assert_finalized (g_steal_pointer (&image));

  /* A damaged profile: the error found by the worker, given each time. */
  image = capa_image_new (damaged);
  n_made = _capa_testing_image_get_n_colour_profiles_made ();
  capa_image_load_metadata_async (image, NULL, sample_async_result_cb, &result);
  g_assert_true (capa_image_load_metadata_finish (image, wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (capa_image_get_colour_profile (image, &error));
      g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpuint (_capa_testing_image_get_n_colour_profiles_made (), ==, n_made + 1);
  capa_test_assert_finalized (g_steal_pointer (&image));
}

/* One table of RAW and video formats, used by the session's listing, the
 * metadata reader and the pixel loader alike. */
static void
test_file_kinds (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct {
    const char *name;
    gboolean    raw;
    const char *mime_type;
  } raws[] = {
    { "a.nef", TRUE, "image/x-nikon-nef" },
    { "/some/dir/B.CR2", TRUE, "image/x-canon-cr2" },
    { "c.Cr3", TRUE, "image/x-canon-cr3" },
    { "d.dng", TRUE, "image/x-adobe-dng" },
    { "e.fff", TRUE, "image/x-dcraw" },
    { "f.3fr", TRUE, "image/x-dcraw" },
    { "g.x3f", TRUE, "image/x-sigma-x3f" },
    { "h.jpg", FALSE, NULL },
    { "nef", FALSE, NULL },
    { "dir.nef/file", FALSE, NULL },
  };
  static const struct {
    const char *name;
    gboolean    video;
    const char *mime_type;
  } videos[] = {
    { "a.mov", TRUE, "video/quicktime" },
    { "B.MP4", TRUE, "video/mp4" },
    { "c.mts", TRUE, "video/mp2t" },
    { "d.webm", TRUE, "video/webm" },
    { "e.nef", FALSE, NULL },
    { "f.jpg", FALSE, NULL },
  };
  g_autofree char *movie = g_build_filename (fixture->dir, "clip.MOV", NULL);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (raws); i++)
    {
      g_autofree char *basename = g_path_get_basename (raws[i].name);

      g_test_message ("%s", raws[i].name);
      g_assert_cmpint (_capa_filename_is_raw (raws[i].name), ==, raws[i].raw);
      g_assert_false (_capa_filename_is_video (raws[i].name));
      if (raws[i].raw)
        {
          g_assert_cmpstr (_capa_filename_raw_mime_type (raws[i].name), ==, raws[i].mime_type);
          /* What the loader takes as RAW, the session lists as an image. */
          g_assert_true (_capa_filename_is_image (basename));
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (videos); i++)
    {
      g_test_message ("%s", videos[i].name);
      g_assert_cmpint (_capa_filename_is_video (videos[i].name), ==, videos[i].video);
      if (videos[i].video)
        {
          g_assert_cmpstr (_capa_filename_video_mime_type (videos[i].name), ==,
                           videos[i].mime_type);
          g_assert_false (_capa_filename_is_raw (videos[i].name));
          g_assert_false (_capa_filename_is_image (videos[i].name));
        }
    }
  g_assert_cmpstr (_capa_filename_video_mime_type ("x.unknown"), ==, "video/x-generic");

  /* The image object and the loader agree with the table. */
  g_assert_true (g_file_set_contents (movie, "not really a movie", -1, &error));
  g_assert_no_error (error);
  image = capa_image_new (movie);
  g_assert_true (capa_image_is_video (image));
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (capa_image_get_mime_type (image), "video/"));
  pixbuf = capa_image_load_pixbuf (image, 64, 64, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  g_assert_cmpint (MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)), <=, 64);
}

static void
assert_metadata_error (const char *path,
                       GQuark      domain,
                       int         code)
{
  g_autoptr(CapaImage) image = capa_image_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_path_get_basename (path);

  g_assert_false (capa_image_load_metadata (image, NULL, &error));
  g_assert_error (error, domain, code);
  g_clear_error (&error);

  capa_image_load_metadata_async (image, NULL, sample_async_result_cb, &result);
  g_assert_false (capa_image_load_metadata_finish (image, wait_for_result (&result), &error));
  g_assert_error (error, domain, code);
  /* The message names the file. */
  g_assert_nonnull (strstr (error->message, basename));
  g_assert_false (capa_image_get_metadata_loaded (image));

  g_clear_object (&result);
  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
write_truncated_copy (const char *source,
                      const char *dest,
                      gsize       length)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_file_get_contents (source, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, <, size);
  g_file_set_contents (dest, contents, length, &error);
  g_assert_no_error (error);
}

static void
test_metadata_errors (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.jpg", NULL);
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.jpg", NULL);
  g_autofree char *good = g_build_filename (fixture->dir, "good.jpg", NULL);
  g_autofree char *header = g_build_filename (fixture->dir, "cut-in-header.jpg", NULL);
  g_autofree char *png = g_build_filename (fixture->dir, "good.png", NULL);
  g_autofree char *png_cut = g_build_filename (fixture->dir, "cut-in-header.png", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.jpg", NULL);
  g_autoptr(GdkPixbuf) pixbuf = sample_quadrant_pixbuf (16, 16);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  guint8 noise[4096];

  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  assert_metadata_error (empty, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_EMPTY);

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  noise[0] = 'G';   /* no image signature */
  g_file_set_contents (garbage, (const char *) noise, sizeof noise, &error);
  g_assert_no_error (error);
  assert_metadata_error (garbage, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT);

  /* JPEG cut before its frame header; PNG cut inside its header. */
  sample_write_jpeg (good, 64, 64, SAMPLE_RGB, 90, NULL);
  sample_set_exif (good, "Exif.Image.Model", "Cut", NULL);
  write_truncated_copy (good, header, 40);
  assert_metadata_error (header, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);

  gdk_pixbuf_save (pixbuf, png, "png", &error, NULL);
  g_assert_no_error (error);
  write_truncated_copy (png, png_cut, 20);
  assert_metadata_error (png_cut, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);

  assert_metadata_error (missing, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_metadata_cancelled (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "cancel.jpg", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sample_write_jpeg (path, 16, 16, SAMPLE_RGB, 90, NULL);
  image = capa_image_new (path);

  g_cancellable_cancel (cancellable);
  capa_image_load_metadata_async (image, cancellable, sample_async_result_cb, &result);
  g_assert_false (capa_image_load_metadata_finish (image, wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (capa_image_get_metadata_loaded (image));

  g_clear_object (&result);
  capa_test_assert_finalized (g_steal_pointer (&image));
}

static void
test_exif_orientation_parser (void)
{
  /* "Exif\0\0" + big-endian TIFF with one IFD0 entry: Orientation = 8 */
  static const guint8 big[] = {
    'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0, 42, 0, 0, 0, 8,
    0, 1,
    0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0,
    0, 0, 0, 0,
  };
  static const guint8 little[] = {
    'E', 'x', 'i', 'f', 0, 0,
    'I', 'I', 42, 0, 8, 0, 0, 0,
    1, 0,
    0x12, 0x01, 3, 0, 1, 0, 0, 0, 3, 0, 0, 0,
    0, 0, 0, 0,
  };
  guint8 bad[sizeof big];

  g_assert_cmpint (_capa_image_parse_exif_orientation (big, sizeof big), ==, 8);
  g_assert_cmpint (_capa_image_parse_exif_orientation (little, sizeof little), ==, 3);

  /* Every truncation is refused without reading past the end. */
  for (gsize n = 0; n < sizeof big - 4; n++)
    {
      g_autofree guint8 *copy = g_memdup2 (big, n);

      g_assert_cmpint (_capa_image_parse_exif_orientation (copy, n), ==, 0);
    }

  /* IFD offset past the end; entry count too large; value out of range */
  memcpy (bad, big, sizeof big);
  bad[13] = 200;
  g_assert_cmpint (_capa_image_parse_exif_orientation (bad, sizeof bad), ==, 0);
  memcpy (bad, big, sizeof big);
  bad[15] = 9;
  g_assert_cmpint (_capa_image_parse_exif_orientation (bad, sizeof bad), ==, 0);
  memcpy (bad, big, sizeof big);
  bad[25] = 9;
  g_assert_cmpint (_capa_image_parse_exif_orientation (bad, sizeof bad), ==, 0);
}

/* The committed samples of tests/data/ (made by make-image-samples). */
typedef struct
{
  const char           *name;
  int                   width;          /* stored */
  int                   height;
  const char           *mime_type;
  CapaImageOrientation  orientation;
  gboolean              tagged;          /* with adobe-rgb.icc */
  int                   shown_width;     /* loaded in a 32×32 box */
  int                   shown_height;
  int                   load_error;      /* CAPA_IMAGE_ERROR code, or -1 */
  int                   metadata_error;
} Sample;

static void
test_committed_samples (void)
{
  static const Sample samples[] = {
    { "camera.jpg", 96, 64, "image/jpeg", 6, FALSE, 21, 32, -1, -1 },
    { "adobe-rgb.jpg", 64, 48, "image/jpeg", 1, TRUE, 32, 24, -1, -1 },
    { "adobe-rgb.png", 40, 30, "image/png", 1, TRUE, 32, 24, -1, -1 },
    { "adobe-rgb.tiff", 40, 30, "image/tiff", 1, TRUE, 32, 24, -1, -1 },
    { "untagged.jpg", 64, 48, "image/jpeg", 1, FALSE, 32, 24, -1, -1 },
    { "gray.jpg", 64, 48, "image/jpeg", 1, FALSE, 32, 24, -1, -1 },
    { "cmyk.jpg", 64, 48, "image/jpeg", 1, FALSE, 32, 24, -1, -1 },
    { "preview.dng", 128, 64, "image/x-adobe-dng", 6, FALSE, 16, 32, -1, -1 },
    { "no-preview.dng", 64, 32, "image/x-adobe-dng", 1, FALSE, 32, 16, -1, -1 },
    /* the header is whole: the metadata reads, the pixels do not */
    { "truncated.jpg", 400, 300, "image/jpeg", 1, FALSE, 0, 0, CAPA_IMAGE_ERROR_CORRUPT, -1 },
    { "empty.jpg", 0, 0, NULL, 1, FALSE, 0, 0, CAPA_IMAGE_ERROR_EMPTY, CAPA_IMAGE_ERROR_EMPTY },
    { "garbage.jpg", 0, 0, NULL, 1, FALSE, 0, 0, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT,
      CAPA_IMAGE_ERROR_UNKNOWN_FORMAT },
  };
  g_autofree char *icc_path = g_test_build_filename (G_TEST_DIST, "data", "adobe-rgb.icc", NULL);
  g_autofree char *icc_data = NULL;
  g_autoptr(GBytes) icc = NULL;
  g_autoptr(GError) error = NULL;
  gsize icc_length;

  g_file_get_contents (icc_path, &icc_data, &icc_length, &error);
  g_assert_no_error (error);
  icc = g_bytes_new (icc_data, icc_length);

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      const Sample *sample = &samples[i];
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", sample->name, NULL);
      g_autoptr(CapaImage) image = capa_image_new (path);
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      gboolean loaded;

      g_test_message ("sample %s", sample->name);

      loaded = capa_image_load_metadata (image, NULL, &error);
      if (sample->metadata_error >= 0)
        {
          g_assert_error (error, CAPA_IMAGE_ERROR, sample->metadata_error);
          g_assert_false (loaded);
          g_clear_error (&error);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (loaded);
          g_assert_cmpint (capa_image_get_width (image), ==, sample->width);
          g_assert_cmpint (capa_image_get_height (image), ==, sample->height);
          g_assert_cmpstr (capa_image_get_mime_type (image), ==, sample->mime_type);
          g_assert_cmpint (capa_image_get_orientation (image), ==, sample->orientation);
          if (sample->tagged)
            assert_bytes_equal (capa_image_get_icc_profile (image), icc);
          else
            g_assert_null (capa_image_get_icc_profile (image));
          g_assert_nonnull (capa_image_get_capture_time (image));
        }

      pixbuf = capa_image_load_pixbuf (image, 32, 32, NULL, &error);
      if (sample->load_error >= 0)
        {
          g_assert_error (error, CAPA_IMAGE_ERROR, sample->load_error);
          g_assert_null (pixbuf);
          g_clear_error (&error);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, sample->shown_width);
          g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, sample->shown_height);
        }
    }

  /* the camera's values */
  {
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "camera.jpg", NULL);
    g_autoptr(CapaImage) image = capa_image_new (path);
    g_autoptr(GDateTime) utc = NULL;
    g_autofree char *exposure = NULL;
    g_autofree char *when = NULL;

    g_assert_true (capa_image_load_metadata (image, NULL, &error));
    g_assert_cmpstr (capa_image_get_camera_model (image), ==, "NIKON D750");
    g_assert_cmpstr (capa_image_get_lens (image), ==, "24.0-120.0 mm f/4.0");
    exposure = capa_image_dup_exposure_time_string (image);
    g_assert_cmpstr (exposure, ==, "1/125 s");
    g_assert_cmpfloat_with_epsilon (capa_image_get_f_number (image), 8.0, 1e-9);
    g_assert_cmpint (capa_image_get_iso (image), ==, 800);
    g_assert_cmpfloat_with_epsilon (capa_image_get_focal_length (image), 35.0, 1e-9);
    utc = g_date_time_to_utc (capa_image_get_capture_time (image));
    when = g_date_time_format (utc, "%Y-%m-%d %H:%M:%S.%f");
    g_assert_cmpstr (when, ==, "2026-11-21 23:30:05.500000");
  }
}

/* Every prefix of the committed samples, and copies with bytes flipped,
 * give either an image or a CAPA_IMAGE_ERROR: never a crash, a warning or
 * an error of another kind. */
static void
test_damaged_samples (void)
{
  static const char * const names[] = {
    "camera.jpg", "adobe-rgb.jpg", "adobe-rgb.png", "adobe-rgb.tiff", "cmyk.jpg", "preview.dng",
  };
  g_autofree char *dir = capa_test_make_tmpdir ("damaged-XXXXXX");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  guint n_errors = 0, n_images = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", names[i], NULL);
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_file_get_contents (source, &contents, &length, &error);
      g_assert_no_error (error);

      for (guint round = 0; round < 48; round++)
        {
          g_autofree char *copy = g_memdup2 (contents, length);
          g_autoptr(CapaImage) image = NULL;
          g_autoptr(GdkPixbuf) pixbuf = NULL;
          gsize copy_length = length;

          if (round < 24)
            {
              copy_length = 1 + (length - 1) * round / 24;
            }
          else
            {
              for (guint k = 0; k < 8; k++)
                copy[g_rand_int_range (rand, 0, length)] = g_rand_int_range (rand, 0, 256);
            }

          g_file_set_contents (path, copy, copy_length, &error);
          g_assert_no_error (error);
          image = capa_image_new (path);

          if (!capa_image_load_metadata (image, NULL, &error))
            {
              g_assert_true (error->domain == CAPA_IMAGE_ERROR);
              g_clear_error (&error);
            }

          pixbuf = capa_image_load_pixbuf (image, 48, 48, NULL, &error);
          if (pixbuf == NULL)
            {
              g_assert_true (error->domain == CAPA_IMAGE_ERROR);
              g_assert_nonnull (error->message);
              g_clear_error (&error);
              n_errors++;
            }
          else
            {
              g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), <=, 48);
              g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), <=, 48);
              n_images++;
            }
        }
    }

  /* Most of the cut files are refused. */
  g_assert_cmpuint (n_errors, >, G_N_ELEMENTS (names) * 12);
  g_test_message ("%u damaged files refused, %u still shown", n_errors, n_images);

  capa_test_rmtree (dir);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, sample_fixture_set_up, func, sample_fixture_tear_down)
  ADD ("/Capa/Image/metadata/exif", test_metadata_exif);
  ADD ("/Capa/Image/metadata/mtime-fallback", test_metadata_mtime_fallback);
  ADD ("/Capa/Image/metadata/exposure-strings", test_exposure_strings);
  ADD ("/Capa/Image/metadata/errors", test_metadata_errors);
  ADD ("/Capa/Image/metadata/cancelled", test_metadata_cancelled);
  ADD ("/Capa/Image/icc/jpeg", test_icc_jpeg);
  ADD ("/Capa/Image/icc/jpeg-chunks", test_icc_jpeg_chunks);
  ADD ("/Capa/Image/icc/png-tiff", test_icc_png_tiff);
  ADD ("/Capa/Image/icc/untagged", test_icc_untagged);
  ADD ("/Capa/Image/icc/colour-profile", test_colour_profile);
  ADD ("/Capa/Image/icc/colour-profile-async", test_colour_profile_async);
  ADD ("/Capa/Image/file-kinds", test_file_kinds);
#undef ADD
  g_test_add_func ("/Capa/Image/icc/assemble", test_icc_assemble);
  g_test_add_func ("/Capa/Image/exif/orientation-parser", test_exif_orientation_parser);
  g_test_add_func ("/Capa/Image/committed-samples", test_committed_samples);
  g_test_add_func ("/Capa/Image/damaged-samples", test_damaged_samples);

  return g_test_run ();
}
