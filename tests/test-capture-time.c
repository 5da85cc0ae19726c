/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The capture time read from EXIF without exiv2 (capa-image-header.c), on
 * hand-built EXIF blocks and hostile bytes, and its agreement with
 * CapaImage:capture-time, read through gexiv2. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "capa-image-private.h"
#include "capa-test-utils.h"
#include "test-image-samples.h"

#define DATE "2026:11:22 10:20:30"

static const CapaTestExifTag full_exif[] = {
  { 0x9003, DATE },          /* DateTimeOriginal */
  { 0x9011, "+02:00" },      /* OffsetTimeOriginal */
  { 0x9291, "25" },          /* SubSecTimeOriginal: inline, ≤ 4 bytes */
  { 0 },
};

/* "Exif\0\0" + @tiff inside a JPEG header (SOI, APP0, APP1), followed by
 * the start of a scan. */
static GBytes *
wrap_in_jpeg (GBytes *tiff)
{
  static const guint8 app0[] = {
    0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
  };
  static const guint8 sos[] = { 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0 };
  GByteArray *out = g_byte_array_new ();
  gsize size = g_bytes_get_size (tiff);
  guint8 marker[4] = { 0xFF, 0xE1, (size + 8) >> 8, (size + 8) & 0xff };

  g_byte_array_append (out, app0, sizeof app0);
  g_byte_array_append (out, marker, 4);
  g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (out, g_bytes_get_data (tiff, NULL), size);
  g_byte_array_append (out, sos, sizeof sos);

  return g_byte_array_free_to_bytes (out);
}

/* Parses a private copy of exactly @length bytes, so that AddressSanitizer
 * sees any read past them. */
static GDateTime *
parse (const guint8 *data,
       gsize         length,
       gboolean     *need_more)
{
  g_autofree guint8 *copy = g_memdup2 (data, length);

  return _capa_image_parse_capture_time (copy, length, need_more);
}

static GDateTime *
parse_bytes (GBytes   *bytes,
             gboolean *need_more)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return parse (data, size, need_more);
}

static void
assert_time (GDateTime  *time,
             const char *iso8601)
{
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 (iso8601, NULL);

  g_assert_nonnull (expected);
  g_assert_nonnull (time);
  if (!g_date_time_equal (time, expected))
    {
      g_autofree char *got = g_date_time_format_iso8601 (time);

      g_error ("capture time %s, expected %s", got, iso8601);
    }
  g_assert_cmpint (g_date_time_get_utc_offset (time), ==, g_date_time_get_utc_offset (expected));
}

static void
test_parse_byte_orders (void)
{
  for (int big = 0; big <= 1; big++)
    {
      g_autoptr(GBytes) tiff = capa_test_make_tiff (big, NULL, full_exif);
      g_autoptr(GBytes) jpeg = wrap_in_jpeg (tiff);
      g_autoptr(GDateTime) from_jpeg = NULL;
      g_autoptr(GDateTime) from_tiff = NULL;
      gboolean need_more = TRUE;

      g_test_message ("%s-endian", big ? "big" : "little");
      g_assert_cmpint (((const guint8 *) g_bytes_get_data (tiff, NULL))[0], ==, big ? 'M' : 'I');

      from_jpeg = parse_bytes (jpeg, &need_more);
      assert_time (from_jpeg, "2026-11-22T10:20:30.25+02:00");
      g_assert_false (need_more);

      /* A TIFF-based RAW file holds the same structure from its first byte. */
      from_tiff = parse_bytes (tiff, NULL);
      assert_time (from_tiff, "2026-11-22T10:20:30.25+02:00");
    }
}

static void
test_parse_variants (void)
{
  /* Without offset: local time; "Z": UTC; an offset beside DateTime. */
  const CapaTestExifTag local_exif[] = { { 0x9003, DATE }, { 0x9291, "5" }, { 0 } };
  const CapaTestExifTag utc_exif[] = { { 0x9003, DATE }, { 0x9011, "Z" }, { 0 } };
  const CapaTestExifTag datetime_ifd0[] = { { 0x0132, "2025:01:02 03:04:05" }, { 0 } };
  const CapaTestExifTag datetime_exif[] = { { 0x9010, "-05:30" }, { 0x9290, "125" }, { 0 } };
  const CapaTestExifTag both_ifd0[] = { { 0x0132, "2025:01:02 03:04:05" }, { 0 } };
  const CapaTestExifTag bad_exif[] = { { 0x9003, "not a date at all!" }, { 0 } };
  const CapaTestExifTag padded_exif[] = { { 0x9003, "  " DATE "  " }, { 0x9011, "+1:00" }, { 0 } };
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) expected_local = g_date_time_new (local, 2026, 11, 22, 10, 20, 30.5);
  g_autoptr(GDateTime) expected_padded = g_date_time_new (local, 2026, 11, 22, 10, 20, 30);
  g_autoptr(GBytes) tiff = NULL;
  g_autoptr(GDateTime) time = NULL;

  tiff = capa_test_make_tiff (TRUE, NULL, local_exif);
  time = parse_bytes (tiff, NULL);
  g_assert_nonnull (time);
  g_assert_true (g_date_time_equal (time, expected_local));
  g_clear_pointer (&time, g_date_time_unref);
  g_clear_pointer (&tiff, g_bytes_unref);

  tiff = capa_test_make_tiff (FALSE, NULL, utc_exif);
  time = parse_bytes (tiff, NULL);
  assert_time (time, "2026-11-22T10:20:30Z");
  g_clear_pointer (&time, g_date_time_unref);
  g_clear_pointer (&tiff, g_bytes_unref);

  /* No DateTimeOriginal: DateTime of IFD0, with SubSecTime and OffsetTime. */
  tiff = capa_test_make_tiff (TRUE, datetime_ifd0, datetime_exif);
  time = parse_bytes (tiff, NULL);
  assert_time (time, "2025-01-02T03:04:05.125-05:30");
  g_clear_pointer (&time, g_date_time_unref);
  g_clear_pointer (&tiff, g_bytes_unref);

  /* DateTimeOriginal wins over DateTime. */
  tiff = capa_test_make_tiff (FALSE, both_ifd0, full_exif);
  time = parse_bytes (tiff, NULL);
  assert_time (time, "2026-11-22T10:20:30.25+02:00");
  g_clear_pointer (&time, g_date_time_unref);
  g_clear_pointer (&tiff, g_bytes_unref);

  /* An unreadable DateTimeOriginal is no capture time (as for CapaImage). */
  tiff = capa_test_make_tiff (FALSE, both_ifd0, bad_exif);
  g_assert_null (parse_bytes (tiff, NULL));
  g_clear_pointer (&tiff, g_bytes_unref);

  /* Blanks around the date are dropped; a malformed offset is ignored. */
  tiff = capa_test_make_tiff (FALSE, NULL, padded_exif);
  time = parse_bytes (tiff, NULL);
  g_assert_nonnull (time);
  g_assert_true (g_date_time_equal (time, expected_padded));
  g_clear_pointer (&time, g_date_time_unref);
  g_clear_pointer (&tiff, g_bytes_unref);

  /* No EXIF at all, and formats without a TIFF structure. */
  g_assert_null (parse ((const guint8 *) "\xFF\xD8\xFF\xDA\x00\x02", 6, NULL));
  g_assert_null (parse ((const guint8 *) "\x89PNG\r\n\x1a\n\0\0\0\0", 12, NULL));
  g_assert_null (parse ((const guint8 *) "FUJIFILMCCD-RAW ", 16, NULL));
  g_assert_null (parse ((const guint8 *) "", 0, NULL));
  g_assert_null (_capa_image_parse_capture_time (NULL, 0, NULL));
}

static void
test_parse_truncated (void)
{
  for (int big = 0; big <= 1; big++)
    {
      g_autoptr(GBytes) tiff = capa_test_make_tiff (big, NULL, full_exif);
      g_autoptr(GBytes) jpeg = wrap_in_jpeg (tiff);
      gsize size;
      const guint8 *data = g_bytes_get_data (jpeg, &size);
      const guint8 *tiff_data = g_bytes_get_data (tiff, NULL);
      gsize tiff_size = g_bytes_get_size (tiff);

      /* Every cut before the last byte the answer needs gives none, and
       * asks for more of the file; none reads past the end. */
      for (gsize n = 0; n < size; n++)
        {
          gboolean need_more = FALSE;
          g_autoptr(GDateTime) time = parse (data, n, &need_more);

          if (time != NULL)
            assert_time (time, "2026-11-22T10:20:30.25+02:00");
          else if (n >= 4)
            g_assert_true (need_more);
        }

      for (gsize n = 0; n < tiff_size; n++)
        {
          g_autoptr(GDateTime) time = parse (tiff_data, n, NULL);

          if (time != NULL)
            assert_time (time, "2026-11-22T10:20:30.25+02:00");
        }
    }
}

/* Sets the u32 at @offset of a little-endian TIFF. */
static void
poke_u32 (guint8  *data,
          gsize    offset,
          guint32  value)
{
  data[offset] = value & 0xff;
  data[offset + 1] = (value >> 8) & 0xff;
  data[offset + 2] = (value >> 16) & 0xff;
  data[offset + 3] = value >> 24;
}

static void
test_parse_hostile (void)
{
  const CapaTestExifTag ifd0[] = { { 0x0132, "2025:01:02 03:04:05" }, { 0 } };
  g_autoptr(GBytes) tiff = capa_test_make_tiff (FALSE, ifd0, full_exif);
  gsize size;
  const guint8 *data = g_bytes_get_data (tiff, &size);
  /* Layout (capa_test_make_tiff): IFD0 at 8 with 2 entries, the ExifIFD
   * pointer second; ExifIFD at 8 + 2 + 24 + 4 = 38. */
  const gsize pointer_value = 8 + 2 + 12 + 8;
  const gsize exif_ifd = 38;
  g_autofree guint8 *bad = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);

  /* The ExifIFD pointer loops back to IFD0: no DateTimeOriginal there, so
   * DateTime of IFD0. */
  memcpy (bad, data, size);
  poke_u32 (bad, pointer_value, 8);
  {
    g_autoptr(GDateTime) time = parse (bad, size, NULL);

    g_assert_nonnull (time);
    g_assert_cmpint (g_date_time_get_year (time), ==, 2025);
  }

  /* Pointers past the end, to offset 0..7 (the header), and huge. */
  for (guint32 target = 0; target < 8; target++)
    {
      g_autoptr(GDateTime) time = NULL;

      memcpy (bad, data, size);
      poke_u32 (bad, pointer_value, target);
      time = parse (bad, size, NULL);
      g_assert_nonnull (time);
      g_assert_cmpint (g_date_time_get_year (time), ==, 2025);
    }
  /* A pointer past the bytes at hand: unknown, maybe in more of the file. */
  memcpy (bad, data, size);
  poke_u32 (bad, pointer_value, G_MAXUINT32);
  {
    gboolean need_more = FALSE;

    g_assert_null (parse (bad, size, &need_more));
    g_assert_true (need_more);
  }

  /* IFD0 offset huge or inside the header: nothing. */
  memcpy (bad, data, size);
  poke_u32 (bad, 4, G_MAXUINT32 - 1);
  g_assert_null (parse (bad, size, NULL));
  poke_u32 (bad, 4, 2);
  g_assert_null (parse (bad, size, NULL));

  /* Entry counts past the end (65535 entries) in either IFD. */
  memcpy (bad, data, size);
  bad[exif_ifd] = bad[exif_ifd + 1] = 0xFF;
  {
    g_autoptr(GDateTime) time = parse (bad, size, NULL);

    g_assert_nonnull (time);
    g_assert_cmpint (g_date_time_get_year (time), ==, 2025);
  }
  memcpy (bad, data, size);
  bad[8] = bad[9] = 0xFF;
  g_assert_null (parse (bad, size, NULL));

  /* The date's value offset and count pointing past the end. */
  memcpy (bad, data, size);
  poke_u32 (bad, exif_ifd + 2 + 8, G_MAXUINT32 - 2);
  g_assert_null (parse (bad, size, NULL));
  memcpy (bad, data, size);
  poke_u32 (bad, exif_ifd + 2 + 4, G_MAXUINT32);
  g_assert_null (parse (bad, size, NULL));

  /* A JPEG segment length of 0 or 1, and fill bytes up to the end. */
  g_assert_null (parse ((const guint8 *) "\xFF\xD8\xFF\xE1\x00\x01" "Exif\0\0", 12, NULL));
  g_assert_null (parse ((const guint8 *) "\xFF\xD8\xFF\xFF\xFF\xFF\xFF\xFF", 8, NULL));
  g_assert_null (parse ((const guint8 *) "\xFF\xD8\xFF\xE1\xFF\xFF" "Exif\0\0II*\0", 16, NULL));

  /* Random damage to a good block, and random bytes behind each magic:
   * never a crash, never a read out of bounds (under AddressSanitizer). */
  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GDateTime) time = NULL;
      guint n_flips = g_rand_int_range (rand, 1, 8);

      memcpy (bad, data, size);
      for (guint i = 0; i < n_flips; i++)
        bad[g_rand_int_range (rand, 0, size)] = g_rand_int_range (rand, 0, 256);
      time = parse (bad, g_rand_int_range (rand, 0, size + 1), NULL);
    }
  for (guint round = 0; round < 1000; round++)
    {
      static const guint8 magics[][4] = {
        { 0xFF, 0xD8, 0xFF, 0xE1 }, { 'I', 'I', 42, 0 }, { 'M', 'M', 0, 42 },
        { 'I', 'I', 'R', 'O' }, { 'I', 'I', 0x55, 0 },
      };
      guint8 junk[256];
      gsize n = g_rand_int_range (rand, 0, sizeof junk);
      g_autoptr(GDateTime) time = NULL;

      for (gsize i = 0; i < sizeof junk; i++)
        junk[i] = g_rand_int_range (rand, 0, 256);
      memcpy (junk, magics[round % G_N_ELEMENTS (magics)], 4);
      time = parse (junk, n, NULL);
    }
}

/* A TIFF file whose DateTimeOriginal lies at @value_offset (padding before
 * it). */
static void
write_tiff_with_date_at (const char *path,
                         gsize       value_offset)
{
  g_autoptr(GBytes) tiff = capa_test_make_tiff (FALSE, NULL, full_exif);
  gsize size;
  const guint8 *data = g_bytes_get_data (tiff, &size);
  g_autofree guint8 *file = g_malloc0 (value_offset + 64);
  /* The date is the first long value, right after the ExifIFD at 8 + 18. */
  const gsize exif_ifd = 8 + 2 + 12 + 4;
  const gsize data_start = exif_ifd + 2 + 3 * 12 + 4;

  g_assert_cmpuint (value_offset, >=, size);
  memcpy (file, data, size);
  /* DateTimeOriginal and OffsetTimeOriginal values, moved. */
  memcpy (file + value_offset, data + data_start, size - data_start);
  poke_u32 (file, exif_ifd + 2 + 8, value_offset);
  poke_u32 (file, exif_ifd + 2 + 12 + 8, value_offset + strlen (DATE) + 1);

  g_assert_true (g_file_set_contents (path, (const char *) file, value_offset + 64, NULL));
}

static void
test_read_file (void)
{
  g_autofree char *tmpdir = capa_test_make_tmpdir ("capture-time");
  g_autofree char *near = g_build_filename (tmpdir, "near.nef", NULL);
  g_autofree char *far = g_build_filename (tmpdir, "far.nef", NULL);
  g_autofree char *too_far = g_build_filename (tmpdir, "too-far.nef", NULL);
  g_autofree char *jpeg = g_build_filename (tmpdir, "shot.jpg", NULL);
  g_autofree char *plain = g_build_filename (tmpdir, "plain.jpg", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.jpg", NULL);
  g_autoptr(GBytes) tiff = capa_test_make_tiff (TRUE, NULL, full_exif);
  g_autoptr(GDateTime) time = NULL;

  /* In the first read, beyond it (another read up to 64 KiB), beyond
   * 64 KiB (not read: unknown). */
  write_tiff_with_date_at (near, 1000);
  write_tiff_with_date_at (far, 40000);
  write_tiff_with_date_at (too_far, MAX_CAPTURE_TIME_READ + 10);

  time = _capa_image_read_capture_time (near);
  assert_time (time, "2026-11-22T10:20:30.25+02:00");
  g_clear_pointer (&time, g_date_time_unref);
  time = _capa_image_read_capture_time (far);
  assert_time (time, "2026-11-22T10:20:30.25+02:00");
  g_clear_pointer (&time, g_date_time_unref);
  g_assert_null (_capa_image_read_capture_time (too_far));

  capa_test_write_exif_jpeg (jpeg, tiff);
  time = _capa_image_read_capture_time (jpeg);
  assert_time (time, "2026-11-22T10:20:30.25+02:00");
  g_clear_pointer (&time, g_date_time_unref);

  capa_test_write_exif_jpeg (plain, NULL);
  g_assert_null (_capa_image_read_capture_time (plain));
  g_assert_null (_capa_image_read_capture_time (missing));
  g_assert_null (_capa_image_read_capture_time (tmpdir));

  capa_test_rmtree (tmpdir);
}

static GDateTime *
image_capture_time (const char *path)
{
  g_autoptr(CapaImage) image = capa_image_new (path);
  g_autoptr(GError) error = NULL;
  GDateTime *time;

  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  time = capa_image_get_capture_time (image);
  g_assert_nonnull (time);

  return g_date_time_ref (time);
}

/* CapaImage:capture-time (gexiv2) and the session's reader agree on files
 * whose EXIF exiv2 wrote. */
static void
test_agrees_with_image (void)
{
  g_autofree char *tmpdir = capa_test_make_tmpdir ("capture-time");
  struct {
    const char *name;
    const char *tags[7];
    const char *expected;   /* ISO 8601, or NULL for the local time zone */
  } cases[] = {
    { "full.jpg", { "Exif.Photo.DateTimeOriginal", DATE,
                    "Exif.Photo.SubSecTimeOriginal", "042",
                    "Exif.Photo.OffsetTimeOriginal", "-03:00", NULL },
      "2026-11-22T10:20:30.042-03:00" },
    { "local.jpg", { "Exif.Photo.DateTimeOriginal", DATE, NULL }, NULL },
    { "datetime.jpg", { "Exif.Image.DateTime", "2024:02:29 23:59:59",
                        "Exif.Photo.OffsetTime", "+09:00", NULL },
      "2024-02-29T23:59:59+09:00" },
    { "raw.dng", { "Exif.Photo.DateTimeOriginal", DATE,
                   "Exif.Photo.OffsetTimeOriginal", "+01:00", NULL },
      "2026-11-22T10:20:30+01:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, cases[i].name, NULL);
      g_autoptr(GDateTime) from_image = NULL;
      g_autoptr(GDateTime) from_reader = NULL;
      const char *const *tags = cases[i].tags;

      g_test_message ("%s", cases[i].name);
      if (g_str_has_suffix (cases[i].name, ".dng"))
        sample_write_dng (path, 32, 24, 0, 0, 1);
      else
        sample_write_jpeg (path, 64, 48, SAMPLE_RGB, 90, NULL);
      for (guint t = 0; tags[t] != NULL; t += 2)
        sample_set_exif (path, tags[t], tags[t + 1], NULL);

      from_image = image_capture_time (path);
      from_reader = _capa_image_read_capture_time (path);
      g_assert_nonnull (from_reader);
      g_assert_true (g_date_time_equal (from_image, from_reader));
      g_assert_cmpint (g_date_time_get_utc_offset (from_image), ==,
                       g_date_time_get_utc_offset (from_reader));
      if (cases[i].expected != NULL)
        assert_time (from_reader, cases[i].expected);
    }

  capa_test_rmtree (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

  g_test_add_func ("/Capa/CaptureTime/parse/byte-orders", test_parse_byte_orders);
  g_test_add_func ("/Capa/CaptureTime/parse/variants", test_parse_variants);
  g_test_add_func ("/Capa/CaptureTime/parse/truncated", test_parse_truncated);
  g_test_add_func ("/Capa/CaptureTime/parse/hostile", test_parse_hostile);
  g_test_add_func ("/Capa/CaptureTime/read-file", test_read_file);
  g_test_add_func ("/Capa/CaptureTime/agrees-with-image", test_agrees_with_image);

  return g_test_run ();
}
