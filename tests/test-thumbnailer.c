/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "capa-test-utils.h"
#include "capa-testing-private.h"
#include "test-image-samples.h"

/* gdk-pixbuf recognises image formats through the shared MIME database,
 * which the isolated XDG folders of each test hide: give it back. */
static char *system_data_dirs;

typedef struct
{
  char       *dir;
  char       *cache;       /* $XDG_CACHE_HOME/thumbnails */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
  fixture->dir = capa_test_make_tmpdir ("thumbs");
  fixture->cache = g_build_filename (g_get_user_cache_dir (), "thumbnails", NULL);
  capa_test_write_jpegs (fixture->dir, 4, 1200, 800);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  capa_test_rmtree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->cache);
}

static char *
shot (Fixture *fixture,
      guint    n)
{
  g_autofree char *name = g_strdup_printf ("shot-%04u.jpg", n);

  return g_build_filename (fixture->dir, name, NULL);
}

static char *
expected_path (Fixture    *fixture,
               const char *folder,
               const char *filename)
{
  g_autofree char *uri = g_filename_to_uri (filename, NULL, NULL);
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);
  g_autofree char *basename = g_strconcat (md5, ".png", NULL);

  return g_build_filename (fixture->cache, folder, basename, NULL);
}

static gint64
file_mtime (const char *filename)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (filename, &buf), ==, 0);
  return (gint64) buf.st_mtime;
}

static void
set_mtime (const char *filename,
           gint64      mtime)
{
  g_autoptr(GFile) file = g_file_new_for_path (filename);
  g_autoptr(GError) error = NULL;

  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, (guint64) mtime,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
}

/* Waits for the last reference a worker may still hold. */
static void
on_weak_notify_cb (gpointer  data,
                   GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

static void
assert_finalized (CapaThumbnailer *thumbnailer)
{
  gboolean gone = FALSE;

  g_object_weak_ref (G_OBJECT (thumbnailer), on_weak_notify_cb, &gone);
  g_object_unref (thumbnailer);
  for (guint i = 0; i < 5000 && !g_atomic_int_get (&gone); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_true (gone);
}

typedef struct
{
  gboolean   done;
  GdkPixbuf *pixbuf;
  GError    *error;
  char      *name;
  GPtrArray *order;
} LoadResult;

static void
load_result_clear (LoadResult *result)
{
  g_clear_object (&result->pixbuf);
  g_clear_error (&result->error);
  g_clear_pointer (&result->name, g_free);
  result->done = FALSE;
}

static void
on_load_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  LoadResult *result = user_data;

  result->pixbuf = capa_thumbnailer_load_finish (CAPA_THUMBNAILER (object), res, &result->error);
  if (result->order != NULL)
    g_ptr_array_add (result->order, g_strdup (result->name));
  result->done = TRUE;
}

static GdkPixbuf *
load (CapaThumbnailer    *thumbnailer,
      const char         *filename,
      CapaThumbnailSize   size,
      GError            **error)
{
  LoadResult result = { 0 };

  capa_thumbnailer_load_async (thumbnailer, filename, size, G_PRIORITY_DEFAULT, NULL,
                               on_load_cb, &result);
  g_assert_true (capa_test_wait_for (&result.done, 20000));
  if (result.error != NULL)
    g_propagate_error (error, g_steal_pointer (&result.error));

  return g_steal_pointer (&result.pixbuf);
}

static void
assert_pixbufs_equal (GdkPixbuf *a,
                      GdkPixbuf *b)
{
  int n = gdk_pixbuf_get_n_channels (a);

  g_assert_cmpint (gdk_pixbuf_get_width (a), ==, gdk_pixbuf_get_width (b));
  g_assert_cmpint (gdk_pixbuf_get_height (a), ==, gdk_pixbuf_get_height (b));
  g_assert_cmpint (n, ==, gdk_pixbuf_get_n_channels (b));
  for (int y = 0; y < gdk_pixbuf_get_height (a); y++)
    g_assert_cmpmem (gdk_pixbuf_read_pixels (a) + y * gdk_pixbuf_get_rowstride (a),
                     gdk_pixbuf_get_width (a) * n,
                     gdk_pixbuf_read_pixels (b) + y * gdk_pixbuf_get_rowstride (b),
                     gdk_pixbuf_get_width (b) * n);
}

static void
test_spec (Fixture       *fixture,
           gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (16 * 1024 * 1024);
  g_autofree char *filename = shot (fixture, 1);
  g_autofree char *uri = g_filename_to_uri (filename, NULL, NULL);
  g_autofree char *mtime = g_strdup_printf ("%" G_GINT64_FORMAT, file_mtime (filename));
  static const struct { CapaThumbnailSize size; const char *folder; int width, height; } sizes[] = {
    { CAPA_THUMBNAIL_SIZE_NORMAL, "normal", 128, 85 },
    { CAPA_THUMBNAIL_SIZE_LARGE, "large", 256, 171 },
    { CAPA_THUMBNAIL_SIZE_X_LARGE, "x-large", 512, 341 },
  };
  GStatBuf buf;

  g_assert_cmpuint (capa_thumbnailer_get_max_memory (thumbnailer), ==, 16 * 1024 * 1024);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GdkPixbuf) stored = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = expected_path (fixture, sizes[i].folder, filename);
      g_autofree char *api_path = capa_thumbnailer_get_thumbnail_path (thumbnailer, filename,
                                                                       sizes[i].size);
      g_autofree char *file_size = NULL;
      g_autoptr(GDir) folder = NULL;
      g_autofree char *folder_path = g_path_get_dirname (path);

      g_assert_cmpstr (api_path, ==, path);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

      pixbuf = load (thumbnailer, filename, sizes[i].size, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, sizes[i].width);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, sizes[i].height);
      g_assert_cmpint (MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)), <=,
                       capa_thumbnail_size_get_pixels (sizes[i].size));

      /* On disk, per the standard: the name, the mode and the text chunks. */
      g_assert_cmpint (g_stat (path, &buf), ==, 0);
      g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
      stored = gdk_pixbuf_new_from_file (path, &error);
      g_assert_no_error (error);
      assert_pixbufs_equal (stored, pixbuf);
      g_assert_cmpstr (gdk_pixbuf_get_option (stored, "tEXt::Thumb::URI"), ==, uri);
      g_assert_cmpstr (gdk_pixbuf_get_option (stored, "tEXt::Thumb::MTime"), ==, mtime);
      g_assert_cmpint (g_stat (filename, &buf), ==, 0);
      file_size = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) buf.st_size);
      g_assert_cmpstr (gdk_pixbuf_get_option (stored, "tEXt::Thumb::Size"), ==, file_size);
      g_assert_cmpstr (gdk_pixbuf_get_option (stored, "tEXt::Thumb::Image::Width"), ==, "1200");
      g_assert_cmpstr (gdk_pixbuf_get_option (stored, "tEXt::Thumb::Image::Height"), ==, "800");
      g_assert_cmpstr (gdk_pixbuf_get_option (stored, "tEXt::Software"), ==,
                       "Capa " CAPA_VERSION_S);

      /* Written atomically: nothing but the thumbnail is left behind. */
      folder = g_dir_open (folder_path, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (g_dir_read_name (folder), ==, strrchr (path, '/') + 1);
      g_assert_null (g_dir_read_name (folder));
    }

  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 3);
  assert_finalized (thumbnailer);
}

static void
test_small_image_not_enlarged (Fixture       *fixture,
                               gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  g_autofree char *small_dir = g_build_filename (fixture->dir, "small", NULL);
  g_autofree char *filename = g_build_filename (small_dir, "shot-0001.jpg", NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (small_dir, 0700), ==, 0);
  capa_test_write_jpegs (small_dir, 1, 100, 60);
  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_X_LARGE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 60);

  assert_finalized (thumbnailer);
}

/* A thumbnail stands the way the photographer held the camera. */
static void
test_oriented (Fixture       *fixture,
               gconstpointer  data)
{
  /* An APP1 segment with a minimal EXIF block: orientation 6, the camera
   * turned a quarter clockwise. */
  static const guint8 app1[] = {
    0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  };
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  g_autofree char *source = shot (fixture, 1);
  g_autofree char *filename = g_build_filename (fixture->dir, "turned.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GByteArray) turned = g_byte_array_new ();
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_byte_array_append (turned, (const guint8 *) contents, 2);
  g_byte_array_append (turned, app1, sizeof app1);
  g_byte_array_append (turned, (const guint8 *) contents + 2, length - 2);
  g_assert_true (g_file_set_contents (filename, (const char *) turned->data, turned->len, NULL));

  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 171);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 256);

  assert_finalized (thumbnailer);
}

/* Thumbnails in the shared cache are sRGB: an image tagged with Adobe RGB
 * gets a thumbnail converted by its profile, exactly as CapaColourTransform
 * converts the pixels of the same image untagged. */
static void
test_tagged_to_srgb (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourTransform) transform = NULL;
  g_autofree char *source = shot (fixture, 1);
  g_autofree char *filename = g_build_filename (fixture->dir, "adobe.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GByteArray) tagged = g_byte_array_new ();
  g_autoptr(GdkPixbuf) untagged = NULL;
  g_autoptr(GdkPixbuf) expected = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *icc = capa_colour_profile_get_data (adobe);
  gsize icc_size = g_bytes_get_size (icc);
  gsize segment_length = 2 + 12 + 2 + icc_size;
  guint8 header[18] = { 0xff, 0xe2, segment_length >> 8, segment_length & 0xff,
                        'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, 1, 1 };
  gsize length;

  g_assert_cmpuint (segment_length, <, 65536);
  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_byte_array_append (tagged, (const guint8 *) contents, 2);
  g_byte_array_append (tagged, header, sizeof header);
  g_byte_array_append (tagged, g_bytes_get_data (icc, NULL), icc_size);
  g_byte_array_append (tagged, (const guint8 *) contents + 2, length - 2);
  g_assert_true (g_file_set_contents (filename, (const char *) tagged->data, tagged->len, NULL));

  untagged = load (thumbnailer, source, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_no_error (error);
  transform = capa_colour_transform_new (adobe, srgb, CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC,
                                         &error);
  g_assert_no_error (error);
  expected = capa_colour_transform_transform_pixbuf (transform, untagged);

  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_no_error (error);
  assert_pixbufs_equal (pixbuf, expected);

  /* Not the untagged pixels: the conversion did something. */
  g_assert_false (memcmp (gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_read_pixels (untagged),
                          gdk_pixbuf_get_byte_length (pixbuf)) == 0);

  assert_finalized (thumbnailer);
}

static void
test_reused (Fixture       *fixture,
             gconstpointer  data)
{
  CapaThumbnailer *first = capa_thumbnailer_new (1024 * 1024);
  CapaThumbnailer *second = capa_thumbnailer_new (1024 * 1024);
  g_autofree char *filename = shot (fixture, 2);
  g_autofree char *path = expected_path (fixture, "large", filename);
  g_autoptr(GdkPixbuf) made = NULL;
  g_autoptr(GdkPixbuf) reused = NULL;
  g_autoptr(GdkPixbuf) from_memory = NULL;
  g_autoptr(GError) error = NULL;

  made = load (first, filename, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (first), ==, 1);

  /* A new thumbnailer (as on the next run) reads it back, without decoding. */
  reused = load (second, filename, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (second), ==, 0);
  assert_pixbufs_equal (made, reused);

  /* The first one still has it in memory, even with the file gone. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  from_memory = load (first, filename, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_no_error (error);
  g_assert_true (from_memory == made);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (first), ==, 1);

  /* The blocking twin shares both caches. */
  g_clear_object (&from_memory);
  from_memory = capa_thumbnailer_load (first, filename, CAPA_THUMBNAIL_SIZE_LARGE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (from_memory == made);

  assert_finalized (first);
  assert_finalized (second);
}

static void
test_source_changed (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  CapaThumbnailer *later = NULL;
  g_autofree char *filename = shot (fixture, 3);
  g_autofree char *other = shot (fixture, 4);
  g_autofree char *path = expected_path (fixture, "normal", filename);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_mtime = NULL;
  gint64 mtime = file_mtime (filename);

  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 1);

  /* The file changes: its thumbnail is made again, by a new thumbnailer... */
  set_mtime (filename, mtime + 10);
  later = capa_thumbnailer_new (1024 * 1024);
  g_clear_object (&pixbuf);
  pixbuf = load (later, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (later), ==, 1);
  stored = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  new_mtime = g_strdup_printf ("%" G_GINT64_FORMAT, mtime + 10);
  g_assert_cmpstr (gdk_pixbuf_get_option (stored, "tEXt::Thumb::MTime"), ==, new_mtime);

  /* ...and by the first once told the file changed. */
  set_mtime (filename, mtime + 20);
  g_clear_object (&pixbuf);
  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 1);
  capa_thumbnailer_invalidate (thumbnailer, filename);
  g_clear_object (&pixbuf);
  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 2);

  /* Rewritten within the same second (same mtime), but of another size:
   * made again too. */
  {
    g_autofree char *contents = NULL;
    gsize length = 0;
    CapaThumbnailer *third = capa_thumbnailer_new (1024 * 1024);

    g_assert_true (g_file_get_contents (other, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (filename, contents, length, NULL));
    set_mtime (filename, mtime + 20);
    g_clear_object (&pixbuf);
    pixbuf = load (third, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (third), ==, 1);
    capa_test_assert_finalized (third);
  }

  /* A thumbnail that belongs to another file (another URI) is not trusted. */
  {
    g_autofree char *other_path = expected_path (fixture, "normal", other);
    g_autoptr(GdkPixbuf) other_pixbuf = NULL;
    g_autofree char *contents = NULL;
    gsize length;

    other_pixbuf = load (later, other, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (other_path, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (path, contents, length, NULL));
    capa_thumbnailer_invalidate (later, filename);
    g_clear_object (&pixbuf);
    pixbuf = load (later, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (later), ==, 3);
    g_clear_object (&stored);
    stored = gdk_pixbuf_new_from_file (path, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (gdk_pixbuf_get_option (stored, "tEXt::Thumb::URI"), !=,
                     gdk_pixbuf_get_option (other_pixbuf, "tEXt::Thumb::URI"));
  }

  assert_finalized (thumbnailer);
  assert_finalized (later);
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  CapaThumbnailer *later = capa_thumbnailer_new (1024 * 1024);
  g_autofree char *filename = g_build_filename (fixture->dir, "broken.jpg", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.jpg", NULL);
  g_autofree char *uri = g_filename_to_uri (filename, NULL, NULL);
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);
  g_autofree char *fail_name = g_strconcat (md5, ".png", NULL);
  g_autofree char *fail_path = g_build_filename (fixture->cache, "fail", "capa-" CAPA_VERSION_S,
                                                 fail_name, NULL);
  g_autofree char *good = shot (fixture, 1);
  g_autofree char *good_contents = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) marker = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mtime = NULL;
  const char garbage[] = "\xff\xd8\xff\xe0 this is not really a JPEG file at all";
  gsize good_length;

  g_assert_true (g_file_set_contents (filename, garbage, sizeof garbage, NULL));
  mtime = g_strdup_printf ("%" G_GINT64_FORMAT, file_mtime (filename));

  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, CAPA_THUMBNAIL_ERROR, CAPA_THUMBNAIL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "broken.jpg"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 1);

  /* The failure is recorded for every program that follows the standard. */
  marker = gdk_pixbuf_new_from_file (fail_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gdk_pixbuf_get_option (marker, "tEXt::Thumb::URI"), ==, uri);
  g_assert_cmpstr (gdk_pixbuf_get_option (marker, "tEXt::Thumb::MTime"), ==, mtime);

  /* ...and not retried while the file is unchanged. */
  pixbuf = load (later, filename, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, CAPA_THUMBNAIL_ERROR, CAPA_THUMBNAIL_ERROR_PREVIOUSLY_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (later), ==, 0);

  /* Once repaired (a new modification time), it works. */
  g_assert_true (g_file_get_contents (good, &good_contents, &good_length, NULL));
  g_assert_true (g_file_set_contents (filename, good_contents, good_length, NULL));
  set_mtime (filename, file_mtime (filename) + 5);
  pixbuf = load (later, filename, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (later), ==, 1);

  /* A missing file is an I/O error, and no failure is recorded for it. */
  g_clear_object (&pixbuf);
  pixbuf = load (later, missing, CAPA_THUMBNAIL_SIZE_LARGE, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree char *missing_uri = g_filename_to_uri (missing, NULL, NULL);
    g_autofree char *missing_md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, missing_uri, -1);
    g_autofree char *missing_name = g_strconcat (missing_md5, ".png", NULL);
    g_autofree char *missing_fail = g_build_filename (fixture->cache, "fail",
                                                      "capa-" CAPA_VERSION_S,
                                                      missing_name, NULL);

    g_assert_false (g_file_test (missing_fail, G_FILE_TEST_EXISTS));
  }

  assert_finalized (thumbnailer);
  assert_finalized (later);
}

/* --- results made stale while a job runs --- */

typedef struct
{
  GMutex                    mutex;
  GCond                     cond;
  CapaTestingThumbnailerHookStage  hold_stage;
  gboolean                  hold;          /* hold the next call at hold_stage */
  gboolean                  held;
  gboolean                  released;
  const char               *append_to;     /* grows by a byte at each decode */
  gboolean                  invalidate;    /* invalidate once when made */
  guint                     n_decoded;
  guint                     n_made;
} Hold;

static void
hold_init (Hold                     *hold,
           CapaTestingThumbnailerHookStage  stage)
{
  memset (hold, 0, sizeof *hold);
  g_mutex_init (&hold->mutex);
  g_cond_init (&hold->cond);
  hold->hold_stage = stage;
}

static void
hold_clear (Hold *hold)
{
  g_mutex_clear (&hold->mutex);
  g_cond_clear (&hold->cond);
}

static void
hold_hook (CapaThumbnailer          *thumbnailer,
           CapaTestingThumbnailerHookStage  stage,
           const char               *filename,
           gpointer                  user_data)
{
  Hold *hold = user_data;

  g_mutex_lock (&hold->mutex);

  if (stage == CAPA_TESTING_THUMBNAILER_HOOK_DECODED)
    hold->n_decoded++;
  else
    hold->n_made++;

  if (stage == CAPA_TESTING_THUMBNAILER_HOOK_DECODED && hold->append_to != NULL)
    {
      FILE *file = g_fopen (hold->append_to, "ab");

      g_assert_nonnull (file);
      fputc ('x', file);
      fclose (file);
    }

  if (stage == CAPA_TESTING_THUMBNAILER_HOOK_MADE && hold->invalidate)
    {
      hold->invalidate = FALSE;
      capa_thumbnailer_invalidate (thumbnailer, filename);
    }

  if (stage == hold->hold_stage && hold->hold)
    {
      hold->hold = FALSE;
      hold->held = TRUE;
      g_cond_broadcast (&hold->cond);
      while (!hold->released)
        g_cond_wait (&hold->cond, &hold->mutex);
    }

  g_mutex_unlock (&hold->mutex);
}

static void
hold_wait (Hold *hold)
{
  g_mutex_lock (&hold->mutex);
  while (!hold->held)
    g_cond_wait (&hold->cond, &hold->mutex);
  g_mutex_unlock (&hold->mutex);
}

static void
hold_release (Hold *hold)
{
  g_mutex_lock (&hold->mutex);
  hold->released = TRUE;
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->mutex);
}

static void
test_invalidated_while_made (Fixture       *fixture,
                             gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (16 * 1024 * 1024);
  CapaThumbnailer *reference = capa_thumbnailer_new (16 * 1024 * 1024);
  g_autofree char *filename = shot (fixture, 1);
  g_autofree char *other = shot (fixture, 2);
  g_autofree char *third = shot (fixture, 3);
  g_autofree char *other_contents = NULL;
  g_autoptr(GdkPixbuf) old_pixbuf = NULL;
  g_autoptr(GdkPixbuf) new_pixbuf = NULL;
  g_autoptr(GdkPixbuf) again = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  LoadResult result = { 0 };
  gsize other_length;
  Hold hold;

  /* What the thumbnails of the file before and after look like. */
  old_pixbuf = load (reference, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  new_pixbuf = load (reference, other, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (gdk_pixbuf_read_pixels (old_pixbuf), gdk_pixbuf_read_pixels (new_pixbuf),
                         gdk_pixbuf_get_byte_length (new_pixbuf)) != 0);
  g_assert_true (g_file_get_contents (other, &other_contents, &other_length, NULL));

  /* The job has made the thumbnail of the old file, and is held before
   * keeping it; meanwhile the file is replaced and the thumbnailer told. */
  hold_init (&hold, CAPA_TESTING_THUMBNAILER_HOOK_MADE);
  hold.hold = TRUE;
  _capa_testing_thumbnailer_set_hook (thumbnailer, hold_hook, &hold);
  capa_thumbnailer_load_async (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_NORMAL,
                               G_PRIORITY_DEFAULT, NULL, on_load_cb, &result);
  hold_wait (&hold);
  g_assert_true (g_file_set_contents (filename, other_contents, other_length, NULL));
  capa_thumbnailer_invalidate (thumbnailer, filename);
  hold_release (&hold);
  g_assert_true (capa_test_wait_for (&result.done, 20000));
  g_assert_no_error (result.error);

  /* The stale thumbnail was dropped and the job made again. */
  g_assert_cmpuint (hold.n_made, ==, 2);
  assert_pixbufs_equal (result.pixbuf, new_pixbuf);

  /* What memory keeps is the new one. */
  again = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hold.n_made, ==, 2);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_cached (thumbnailer), ==, 1);
  assert_pixbufs_equal (again, new_pixbuf);

  /* Undisturbed, a thumbnail is made once. */
  pixbuf = load (thumbnailer, third, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hold.n_made, ==, 3);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_cached (thumbnailer), ==, 2);

  /* The blocking twin drops a stale result too: invalidated as it was
   * made, it is made again. */
  {
    g_autoptr(GdkPixbuf) blocking = NULL;

    capa_thumbnailer_invalidate (thumbnailer, third);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_cached (thumbnailer), ==, 1);
    g_mutex_lock (&hold.mutex);
    hold.invalidate = TRUE;
    g_mutex_unlock (&hold.mutex);
    blocking = capa_thumbnailer_load (thumbnailer, third, CAPA_THUMBNAIL_SIZE_NORMAL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hold.n_made, ==, 5);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_cached (thumbnailer), ==, 2);
    assert_pixbufs_equal (blocking, pixbuf);
  }

  _capa_testing_thumbnailer_set_hook (thumbnailer, NULL, NULL);
  load_result_clear (&result);
  hold_clear (&hold);
  assert_finalized (thumbnailer);
  assert_finalized (reference);
}

static char *
fail_record_path (Fixture    *fixture,
                  const char *filename)
{
  g_autofree char *uri = g_filename_to_uri (filename, NULL, NULL);
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);
  g_autofree char *name = g_strconcat (md5, ".png", NULL);

  return g_build_filename (fixture->cache, "fail", "capa-" CAPA_VERSION_S, name, NULL);
}

/* A file that changes while it is read is neither thumbnailed nor
 * recorded as a failure; once it stays put, it is judged on its bytes. */
static void
test_changed_while_read (Fixture       *fixture,
                         gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  CapaThumbnailer *later = capa_thumbnailer_new (1024 * 1024);
  g_autofree char *filename = g_build_filename (fixture->dir, "growing.nef", NULL);
  g_autofree char *fail_path = fail_record_path (fixture, filename);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  guint8 noise[4096];
  Hold hold;

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) (i * 7919 % 251);
  g_assert_true (g_file_set_contents (filename, (const char *) noise, sizeof noise, NULL));

  hold_init (&hold, CAPA_TESTING_THUMBNAILER_HOOK_DECODED);
  hold.append_to = filename;
  _capa_testing_thumbnailer_set_hook (thumbnailer, hold_hook, &hold);
  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (hold.n_decoded, >, 1);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, hold.n_decoded);
  g_assert_false (g_file_test (fail_path, G_FILE_TEST_EXISTS));
  _capa_testing_thumbnailer_set_hook (thumbnailer, NULL, NULL);

  /* Left alone, the same bytes are really undecodable: recorded. */
  pixbuf = load (later, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, CAPA_THUMBNAIL_ERROR, CAPA_THUMBNAIL_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (g_file_test (fail_path, G_FILE_TEST_EXISTS));

  hold_clear (&hold);
  assert_finalized (thumbnailer);
  assert_finalized (later);
}

/* A RAW cut short (still being copied) fails without a failure record,
 * so it gets its thumbnail once complete. */
static void
test_raw_incomplete (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  g_autofree char *whole = g_build_filename (fixture->dir, "whole.dng", NULL);
  g_autofree char *filename = g_build_filename (fixture->dir, "copying.dng", NULL);
  g_autofree char *fail_path = fail_record_path (fixture, filename);
  g_autofree char *contents = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  sample_write_dng (whole, 256, 128, 0, 0, 1);
  g_assert_true (g_file_get_contents (whole, &contents, &length, NULL));

  for (guint tenths = 9; tenths >= 6; tenths -= 3)
    {
      g_assert_true (g_file_set_contents (filename, contents, length * tenths / 10, NULL));
      pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
      g_assert_null (pixbuf);
      g_assert_nonnull (error);
      g_test_message ("%u/10 of the file: %s", tenths, error->message);
      g_assert_false (g_error_matches (error, CAPA_THUMBNAIL_ERROR,
                                       CAPA_THUMBNAIL_ERROR_PREVIOUSLY_FAILED));
      g_clear_error (&error);
      g_assert_false (g_file_test (fail_path, G_FILE_TEST_EXISTS));
    }

  g_assert_true (g_file_set_contents (filename, contents, length, NULL));
  pixbuf = load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 128);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 64);

  assert_finalized (thumbnailer);
}

static void
test_lru (Fixture       *fixture,
          gconstpointer  data)
{
  /* All four thumbnails have the same size: 256×171 RGB. */
  gsize one = (gsize) gdk_pixbuf_calculate_rowstride (GDK_COLORSPACE_RGB, FALSE, 8, 256, 171) *
              170 +
              256 * 3;
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (one * 2 + one / 2);
  CapaThumbnailer *none = capa_thumbnailer_new (0);
  g_autoptr(GError) error = NULL;
  char *files[5] = { NULL };

  for (guint i = 1; i <= 4; i++)
    files[i] = shot (fixture, i);

  for (guint i = 1; i <= 4; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = load (thumbnailer, files[i], CAPA_THUMBNAIL_SIZE_LARGE, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (gdk_pixbuf_get_byte_length (pixbuf), ==, one);
      g_assert_cmpuint (_capa_testing_thumbnailer_get_memory_used (thumbnailer), <=,
                        capa_thumbnailer_get_max_memory (thumbnailer));
    }
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_cached (thumbnailer), ==, 2);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_memory_used (thumbnailer), ==, 2 * one);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 4);

  /* Remove the disk cache: from now on only memory hits avoid decoding. */
  capa_test_rmtree (fixture->cache);

  /* In memory: 4 and 3. Use 3, then 1 comes back and pushes out 4. */
  {
    g_autoptr(GdkPixbuf) three = load (thumbnailer, files[3], CAPA_THUMBNAIL_SIZE_LARGE, &error);
    g_autoptr(GdkPixbuf) first = NULL;
    g_autoptr(GdkPixbuf) four = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 4);
    first = load (thumbnailer, files[1], CAPA_THUMBNAIL_SIZE_LARGE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 5);
    g_clear_object (&three);
    three = load (thumbnailer, files[3], CAPA_THUMBNAIL_SIZE_LARGE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 5);
    four = load (thumbnailer, files[4], CAPA_THUMBNAIL_SIZE_LARGE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 6);
  }
  g_assert_cmpuint (_capa_testing_thumbnailer_get_memory_used (thumbnailer), <=, one * 2 + one / 2);

  /* A zero budget keeps nothing. */
  {
    g_autoptr(GdkPixbuf) pixbuf = load (none, files[2], CAPA_THUMBNAIL_SIZE_LARGE, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_n_cached (none), ==, 0);
    g_assert_cmpuint (_capa_testing_thumbnailer_get_memory_used (none), ==, 0);
  }

  for (guint i = 1; i <= 4; i++)
    g_free (files[i]);
  assert_finalized (thumbnailer);
  assert_finalized (none);
}

static void
test_cancel_and_priority (Fixture       *fixture,
                          gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) early = g_cancellable_new ();
  g_auto(GStrv) started = NULL;
  LoadResult results[4] = { { 0 } };
  GCancellable *cancellables[4];
  const int priorities[4] = { 300, 100, 200, 0 };
  LoadResult early_result = { 0 };
  g_autofree char *early_file = shot (fixture, 1);

  /* Already cancelled: fails at once, nothing queued. */
  g_cancellable_cancel (early);
  capa_thumbnailer_load_async (thumbnailer, early_file, CAPA_THUMBNAIL_SIZE_NORMAL, 0,
                               early, on_load_cb, &early_result);
  g_assert_true (capa_test_wait_for (&early_result.done, 5000));
  g_assert_error (early_result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  load_result_clear (&early_result);

  _capa_testing_thumbnailer_set_paused (thumbnailer, TRUE);
  for (guint i = 0; i < 4; i++)
    {
      results[i].name = shot (fixture, i + 1);
      results[i].order = order;
      cancellables[i] = g_cancellable_new ();
      capa_thumbnailer_load_async (thumbnailer, results[i].name, CAPA_THUMBNAIL_SIZE_NORMAL,
                                   priorities[i], cancellables[i], on_load_cb, &results[i]);
    }

  /* Cancelled while queued: it fails at once, with the workers held. */
  g_cancellable_cancel (cancellables[2]);
  g_assert_true (capa_test_wait_for (&results[2].done, 5000));
  g_assert_error (results[2].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint i = 0; i < 4; i++)
    g_assert_true (i == 2 || !results[i].done);

  _capa_testing_thumbnailer_set_paused (thumbnailer, FALSE);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (capa_test_wait_for (&results[i].done, 20000));
      if (i != 2)
        {
          g_assert_no_error (results[i].error);
          g_assert_nonnull (results[i].pixbuf);
        }
    }

  /* The cancelled one was never decoded; the others were taken most
   * urgent first. */
  g_assert_cmpuint (_capa_testing_thumbnailer_get_n_decoded (thumbnailer), ==, 3);
  started = _capa_testing_thumbnailer_dup_started (thumbnailer);
  g_assert_cmpuint (g_strv_length (started), ==, 3);
  g_assert_cmpstr (started[0], ==, results[3].name);
  g_assert_cmpstr (started[1], ==, results[1].name);
  g_assert_cmpstr (started[2], ==, results[0].name);

  for (guint i = 0; i < 4; i++)
    {
      results[i].order = NULL;
      load_result_clear (&results[i]);
      g_object_unref (cancellables[i]);
    }
  assert_finalized (thumbnailer);
}

static void
test_reprioritize (Fixture       *fixture,
                   gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (1024 * 1024);
  LoadResult results[3] = { { 0 } };
  g_auto(GStrv) started = NULL;

  _capa_testing_thumbnailer_set_paused (thumbnailer, TRUE);
  for (guint i = 0; i < 3; i++)
    {
      results[i].name = shot (fixture, i + 1);
      capa_thumbnailer_load_async (thumbnailer, results[i].name, CAPA_THUMBNAIL_SIZE_NORMAL,
                                   G_PRIORITY_DEFAULT, NULL, on_load_cb, &results[i]);
    }

  /* The third scrolls into view: it goes first. */
  g_assert_cmpuint (capa_thumbnailer_reprioritize (thumbnailer, results[2].name, G_PRIORITY_HIGH),
                    ==, 1);
  g_assert_cmpuint (capa_thumbnailer_reprioritize (thumbnailer, results[2].name, G_PRIORITY_HIGH),
                    ==, 0);
  g_assert_cmpuint (capa_thumbnailer_reprioritize (thumbnailer, "/nowhere.jpg", G_PRIORITY_HIGH),
                    ==, 0);
  _capa_testing_thumbnailer_set_paused (thumbnailer, FALSE);

  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (capa_test_wait_for (&results[i].done, 20000));
      g_assert_no_error (results[i].error);
    }

  started = _capa_testing_thumbnailer_dup_started (thumbnailer);
  g_assert_cmpuint (g_strv_length (started), ==, 3);
  g_assert_cmpstr (started[0], ==, results[2].name);
  g_assert_cmpstr (started[1], ==, results[0].name);
  g_assert_cmpstr (started[2], ==, results[1].name);

  for (guint i = 0; i < 3; i++)
    load_result_clear (&results[i]);
  assert_finalized (thumbnailer);
}

/* Many requests at once: all served, never more at a time than cores. */
static void
test_bounded_pool (Fixture       *fixture,
                   gconstpointer  data)
{
  CapaThumbnailer *thumbnailer = capa_thumbnailer_new (0);
  LoadResult results[24] = { { 0 } };
  guint n_files = 4;

  _capa_testing_thumbnailer_set_paused (thumbnailer, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *name = shot (fixture, i % n_files + 1);

      /* Each size of each file: some are made, some read back. */
      capa_thumbnailer_load_async (thumbnailer, name, (CapaThumbnailSize) (i / n_files % 3),
                                   G_PRIORITY_DEFAULT, NULL, on_load_cb, &results[i]);
    }
  _capa_testing_thumbnailer_set_paused (thumbnailer, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_true (capa_test_wait_for (&results[i].done, 30000));
      g_assert_no_error (results[i].error);
      g_assert_nonnull (results[i].pixbuf);
      load_result_clear (&results[i]);
    }

  g_assert_cmpuint (_capa_testing_thumbnailer_get_max_running (thumbnailer), >=, 1);
  g_assert_cmpuint (_capa_testing_thumbnailer_get_max_running (thumbnailer),
                    <=, g_get_num_processors ());
  assert_finalized (thumbnailer);
}

static gpointer
blocking_thread (gpointer data)
{
  const char *filename = data;
  CapaThumbnailer *thumbnailer = capa_thumbnailer_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  GdkPixbuf *pixbuf;

  g_cancellable_cancel (cancelled);
  g_assert_null (capa_thumbnailer_load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_X_LARGE,
                                        cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  pixbuf = capa_thumbnailer_load (thumbnailer, filename, CAPA_THUMBNAIL_SIZE_X_LARGE, NULL, &error);
  g_assert_no_error (error);

  return pixbuf;
}

static void
test_blocking (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *filename = shot (fixture, 2);
  g_autofree char *path = expected_path (fixture, "x-large", filename);
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_assert_true (capa_thumbnailer_get_default () == capa_thumbnailer_get_default ());
  pixbuf = g_thread_join (g_thread_new ("blocking", blocking_thread, filename));
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 512);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  if (system_data_dirs == NULL || system_data_dirs[0] == '\0')
    system_data_dirs = g_strdup ("/usr/local/share:/usr/share");

  capa_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/Capa/Thumbnailer/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("spec", test_spec);
  ADD ("small-image-not-enlarged", test_small_image_not_enlarged);
  ADD ("oriented", test_oriented);
  ADD ("tagged-to-srgb", test_tagged_to_srgb);
  ADD ("reused", test_reused);
  ADD ("source-changed", test_source_changed);
  ADD ("corrupt", test_corrupt);
  ADD ("invalidated-while-made", test_invalidated_while_made);
  ADD ("changed-while-read", test_changed_while_read);
  ADD ("raw-incomplete", test_raw_incomplete);
  ADD ("lru", test_lru);
  ADD ("cancel-and-priority", test_cancel_and_priority);
  ADD ("reprioritize", test_reprioritize);
  ADD ("bounded-pool", test_bounded_pool);
  ADD ("blocking", test_blocking);

#undef ADD

  return g_test_run ();
}
