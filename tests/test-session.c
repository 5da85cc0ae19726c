/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaSession on a real disk: durable saves, loading and watching. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "capa-test-utils.h"

typedef struct
{
  char        *tmpdir;     /* the test's own folder */
  char        *directory;  /* the session folder, inside tmpdir */
  CapaSession *session;
  GPtrArray   *added;      /* images of image-added */
  GPtrArray   *removed;    /* images of image-removed */
  guint        items_changed;
  guint        n_added_items;
  gboolean     done;
  GAsyncResult *result;
} Fixture;

static void
on_image_added_cb (CapaSession *session,
                   CapaImage   *image,
                   Fixture     *fixture)
{
  g_assert_true (CAPA_IS_IMAGE (image));
  g_ptr_array_add (fixture->added, g_object_ref (image));
}

static void
on_image_removed_cb (CapaSession *session,
                     CapaImage   *image,
                     Fixture     *fixture)
{
  g_assert_true (CAPA_IS_IMAGE (image));
  g_ptr_array_add (fixture->removed, g_object_ref (image));
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Fixture    *fixture)
{
  fixture->items_changed++;
  fixture->n_added_items += added - removed;
}

static void
connect_session (Fixture *fixture)
{
  g_signal_connect (fixture->session, "image-added", G_CALLBACK (on_image_added_cb), fixture);
  g_signal_connect (fixture->session, "image-removed", G_CALLBACK (on_image_removed_cb), fixture);
  g_signal_connect (fixture->session, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = capa_test_make_tmpdir ("session");
  fixture->directory = g_build_filename (fixture->tmpdir, "Session", NULL);
  fixture->session = capa_session_new (fixture->directory);
  fixture->added = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->removed = g_ptr_array_new_with_free_func (g_object_unref);
  connect_session (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->result);
  if (fixture->session != NULL)
    g_assert_finalize_object (fixture->session);
  g_clear_pointer (&fixture->added, g_ptr_array_unref);
  g_clear_pointer (&fixture->removed, g_ptr_array_unref);
  capa_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->directory);
}

static void
on_async_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_null (fixture->result);
  fixture->result = g_object_ref (result);
  fixture->done = TRUE;
}

static GAsyncResult *
wait_for_result (Fixture *fixture)
{
  g_assert_true (capa_test_wait_for (&fixture->done, 30000));
  fixture->done = FALSE;
  return fixture->result;
}

/* Lets the main context run for @ms milliseconds (not an assertion on time:
 * a chance for late events to arrive). */
static void
spin (guint ms)
{
  gboolean never = FALSE;

  capa_test_wait_for (&never, ms);
}

static GBytes *
random_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();

  return g_bytes_new_take (data, size);
}

static void
assert_file_has_bytes (const char *path,
                       GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
folder_listing (const char *folder)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

static void
assert_no_temporary_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, "."));
      g_assert_false (g_str_has_suffix (name, ".tmp"));
    }
}

static char *
today_name (guint sequence,
            const char *extension)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y%m%d");

  return g_strdup_printf ("capa-%s-%04u.%s", date, sequence, extension);
}

static void
assert_image_in_directory (CapaImage  *image,
                           const char *directory)
{
  g_autofree char *parent = g_path_get_dirname (capa_image_get_filename (image));

  g_assert_cmpstr (parent, ==, directory);
  g_assert_true (g_file_test (capa_image_get_filename (image), G_FILE_TEST_IS_REGULAR));
}

/* --- saving --- */

static void
test_save_blocking (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) bytes = random_bytes (300 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(CapaImage) item = NULL;
  g_autofree char *expected = today_name (1, "jpg");
  g_autofree char *basename = NULL;

  /* The folder does not exist yet: the save makes it. */
  g_assert_false (g_file_test (fixture->directory, G_FILE_TEST_EXISTS));

  image = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (CAPA_IS_IMAGE (image));

  basename = g_path_get_basename (capa_image_get_filename (image));
  g_assert_cmpstr (basename, ==, expected);
  assert_image_in_directory (image, fixture->directory);
  assert_file_has_bytes (capa_image_get_filename (image), bytes);
  assert_no_temporary_files (fixture->directory);

  /* The image joined the session at once, and was announced once. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->session), 0);
  g_assert_true (item == image);
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->added, 0) == image);
  g_assert_cmpuint (fixture->items_changed, ==, 1);
}

static void
test_save_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) first = random_bytes (1024 * 1024 + 17);
  g_autoptr(GBytes) second = random_bytes (5);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image1 = NULL;
  g_autoptr(CapaImage) image2 = NULL;
  g_autofree char *expected1 = today_name (1, "nef");
  g_autofree char *expected2 = today_name (2, "jpg");
  g_autofree char *name1 = NULL;
  g_autofree char *name2 = NULL;
  g_autoptr(GPtrArray) images = NULL;

  capa_session_save_bytes_async (fixture->session, "DSC_0001.NEF", first, NULL,
                                 on_async_done_cb, fixture);
  /* Nothing happens before the main loop runs. */
  g_assert_cmpuint (fixture->added->len, ==, 0);
  image1 = capa_session_save_bytes_finish (fixture->session, wait_for_result (fixture), &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->result);

  capa_session_save_bytes_async (fixture->session, "DSC_0002", second, NULL,
                                 on_async_done_cb, fixture);
  image2 = capa_session_save_bytes_finish (fixture->session, wait_for_result (fixture), &error);
  g_assert_no_error (error);

  name1 = g_path_get_basename (capa_image_get_filename (image1));
  name2 = g_path_get_basename (capa_image_get_filename (image2));
  g_assert_cmpstr (name1, ==, expected1);
  g_assert_cmpstr (name2, ==, expected2);
  assert_file_has_bytes (capa_image_get_filename (image1), first);
  assert_file_has_bytes (capa_image_get_filename (image2), second);
  assert_no_temporary_files (fixture->directory);

  images = capa_session_get_images (fixture->session);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_true (g_ptr_array_index (images, 0) == image1);
  g_assert_true (g_ptr_array_index (images, 1) == image2);
  g_assert_cmpuint (fixture->added->len, ==, 2);

  /* Our own files are seen by the folder monitor too once loaded: they are
   * still there once only. */
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 2);
}

typedef struct
{
  Fixture  *fixture;
  GPtrArray *images;
  guint     pending;
} ManySaves;

static void
on_many_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ManySaves *many = user_data;
  g_autoptr(GError) error = NULL;
  CapaImage *image = capa_session_save_bytes_finish (CAPA_SESSION (object), result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (many->images, image);
  if (--many->pending == 0)
    many->fixture->done = TRUE;
}

static void
test_save_concurrent (Fixture       *fixture,
                      gconstpointer  data)
{
  ManySaves many = { fixture, g_ptr_array_new_with_free_func (g_object_unref), 0 };
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  /* Same camera name, same pattern without a sequence: all collide. */
  capa_session_set_filename_pattern (fixture->session, "%f");
  for (guint i = 0; i < 8; i++)
    {
      GBytes *bytes = random_bytes (64 * 1024 + i);

      g_ptr_array_add (payloads, bytes);
      many.pending++;
      capa_session_save_bytes_async (fixture->session, "DSC_0001.JPG", bytes, NULL,
                                     on_many_saved_cb, &many);
    }
  g_assert_true (capa_test_wait_for (&fixture->done, 30000));

  g_assert_cmpuint (many.images->len, ==, 8);
  for (guint i = 0; i < many.images->len; i++)
    {
      CapaImage *image = g_ptr_array_index (many.images, i);
      const char *path = capa_image_get_filename (image);
      g_autofree char *contents = NULL;
      gsize length;

      assert_image_in_directory (image, fixture->directory);
      g_assert_false (g_hash_table_contains (names, path));
      g_hash_table_add (names, (gpointer) path);

      /* Each file holds exactly one of the payloads, whole. */
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >=, 64 * 1024);
      g_assert_cmpuint (length, <, 64 * 1024 + 8);
      assert_file_has_bytes (path, g_ptr_array_index (payloads, length - 64 * 1024));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 8);
  g_assert_cmpuint (fixture->added->len, ==, 8);
  assert_no_temporary_files (fixture->directory);

  {
    g_autofree char *listing = folder_listing (fixture->directory);

    g_assert_cmpstr (listing, ==,
                     "DSC_0001-1.jpg DSC_0001-2.jpg DSC_0001-3.jpg DSC_0001-4.jpg "
                     "DSC_0001-5.jpg DSC_0001-6.jpg DSC_0001-7.jpg DSC_0001.jpg");
  }

  g_ptr_array_unref (many.images);
}

static void
test_save_collision (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) a = random_bytes (1000);
  g_autoptr(GBytes) b = random_bytes (2000);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image_a = NULL;
  g_autoptr(CapaImage) image_b = NULL;
  g_autofree char *path_a = g_build_filename (fixture->directory, "DSC_0001.jpg", NULL);
  g_autofree char *path_b = g_build_filename (fixture->directory, "DSC_0001-1.jpg", NULL);

  capa_session_set_filename_pattern (fixture->session, "%f");

  image_a = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", a, NULL, &error);
  g_assert_no_error (error);
  image_b = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", b, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (capa_image_get_filename (image_a), ==, path_a);
  g_assert_cmpstr (capa_image_get_filename (image_b), ==, path_b);
  assert_file_has_bytes (path_a, a);
  assert_file_has_bytes (path_b, b);
  assert_no_temporary_files (fixture->directory);
}

static void
test_save_never_overwrites (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) existing = g_bytes_new_static ("precious", 8);
  g_autoptr(GBytes) bytes = random_bytes (4096);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autofree char *taken = today_name (1, "jpg");
  g_autofree char *taken_path = g_build_filename (fixture->directory, taken, NULL);
  g_autofree char *link_path = g_build_filename (fixture->directory, "DSC_0009.jpg", NULL);
  g_autofree char *outside = g_build_filename (fixture->tmpdir, "outside.jpg", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *listing = NULL;

  /* Not loaded, so the session does not know the name is taken. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  g_assert_true (g_file_set_contents (taken_path, "precious", 8, NULL));

  image = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("%.*s-1.jpg", (int) strlen (taken) - 4, taken);
  g_assert_true (g_str_has_suffix (capa_image_get_filename (image), expected));
  assert_file_has_bytes (taken_path, existing);
  assert_file_has_bytes (capa_image_get_filename (image), bytes);
  g_clear_object (&image);

  /* Nor is a dangling symbolic link followed to write outside the folder. */
  capa_session_set_filename_pattern (fixture->session, "%f");
  g_assert_cmpint (symlink (outside, link_path), ==, 0);
  image = capa_session_save_bytes (fixture->session, "DSC_0009.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (capa_image_get_filename (image), "/DSC_0009-1.jpg"));
  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));

  listing = folder_listing (fixture->directory);
  g_test_message ("%s", listing);
  assert_no_temporary_files (fixture->directory);
}

static void
test_save_hostile_names (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char * const hostile[] = {
    "../../x.jpg", "a/b.jpg", "\x01\x1f" "ctl.jpg", "", ".hidden", "..", ".", "/",
    "\xff\xfe.jpg", "../", "a\\..\\..\\b.jpg",
  };
  g_autoptr(GBytes) bytes = random_bytes (100);
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autofree char *listing = NULL;

  capa_session_set_filename_pattern (fixture->session, "%f");

  for (guint i = 0; i < 300; i++)
    g_string_append_c (long_name, 'x');
  g_string_append (long_name, ".jpg");

  for (guint i = 0; i <= G_N_ELEMENTS (hostile); i++)
    {
      const char *name = i < G_N_ELEMENTS (hostile) ? hostile[i] : long_name->str;
      g_autoptr(GError) error = NULL;
      g_autoptr(CapaImage) image = NULL;
      g_autofree char *basename = NULL;

      image = capa_session_save_bytes (fixture->session, name, bytes, NULL, &error);
      g_assert_no_error (error);
      assert_image_in_directory (image, fixture->directory);
      assert_file_has_bytes (capa_image_get_filename (image), bytes);

      basename = g_path_get_basename (capa_image_get_filename (image));
      g_assert_false (g_str_has_prefix (basename, "."));
      g_assert_true (g_utf8_validate (basename, -1, NULL));
      g_assert_cmpuint (strlen (basename), <=, 210);
    }

  /* Nothing was written beside or above the session folder. */
  listing = folder_listing (fixture->tmpdir);
  g_assert_cmpstr (listing, ==, "Session");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==,
                    G_N_ELEMENTS (hostile) + 1);
  assert_no_temporary_files (fixture->directory);
}

static void
assert_save_fails (Fixture    *fixture,
                   const char *directory,
                   GQuark      domain,
                   int         code)
{
  g_autoptr(CapaSession) session = capa_session_new (directory);
  g_autoptr(GBytes) bytes = random_bytes (1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autofree char *display = g_filename_display_name (directory);

  image = capa_session_save_bytes (session, "DSC_0001.JPG", bytes, NULL, &error);
  g_assert_null (image);
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, display));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 0);

  /* The asynchronous way fails the same. */
  g_clear_error (&error);
  capa_session_save_bytes_async (session, "DSC_0001.JPG", bytes, NULL, on_async_done_cb, fixture);
  image = capa_session_save_bytes_finish (session, wait_for_result (fixture), &error);
  g_clear_object (&fixture->result);
  g_assert_null (image);
  g_assert_error (error, domain, code);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&session));
}

static void
test_save_fails_not_a_folder (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->tmpdir, "file", NULL);
  g_autofree char *below_file = g_build_filename (file, "Session", NULL);
  g_autofree char *listing = NULL;

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));

  /* The session folder is a file; a folder above it is a file. */
  assert_save_fails (fixture, file, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  assert_save_fails (fixture, below_file, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);

  listing = folder_listing (fixture->tmpdir);
  g_assert_cmpstr (listing, ==, "file");
}

static gboolean
can_write_into (const char *folder)
{
  g_autofree char *probe = g_build_filename (folder, "probe", NULL);
  int fd = g_open (probe, O_WRONLY | O_CREAT | O_EXCL, 0600);

  if (fd < 0)
    return FALSE;
  close (fd);
  g_unlink (probe);
  return TRUE;
}

static void
test_save_fails_read_only (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *listing = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  g_assert_cmpint (g_chmod (fixture->directory, 0555), ==, 0);

  if (can_write_into (fixture->directory))
    {
      /* As root, permissions do not stop writes; a file in the way does
       * (see not-a-folder), and the errno mapping is tested on its own. */
      g_test_skip ("permissions do not stop this user from writing");
      g_chmod (fixture->directory, 0700);
      return;
    }

  assert_save_fails (fixture, fixture->directory, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);

  g_chmod (fixture->directory, 0700);
  listing = folder_listing (fixture->directory);
  g_assert_cmpstr (listing, ==, "");
}

static void
test_save_fails_too_large (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) bytes = random_bytes (256 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autofree char *listing = NULL;
  struct rlimit saved, limit;
  void (*saved_handler) (int);

  /* A file-size limit makes write() fail half way, even for root: the
   * same path as a full disk. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = 64 * 1024;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  image = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", bytes, NULL, &error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);

  g_assert_null (image);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Session"));
  g_test_message ("%s", error->message);

  /* No temporary file, no partial image. */
  listing = folder_listing (fixture->directory);
  g_assert_cmpstr (listing, ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 0);
  g_assert_cmpuint (fixture->added->len, ==, 0);
}

static void
test_save_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) bytes = random_bytes (1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autofree char *listing = NULL;

  g_cancellable_cancel (cancellable);
  image = capa_session_save_bytes (fixture->session, "a.jpg", bytes, cancellable, &error);
  g_assert_null (image);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  capa_session_save_bytes_async (fixture->session, "a.jpg", bytes, cancellable,
                                 on_async_done_cb, fixture);
  image = capa_session_save_bytes_finish (fixture->session, wait_for_result (fixture), &error);
  g_assert_null (image);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  listing = folder_listing (fixture->directory);
  g_assert_cmpstr (listing, ==, "");
  g_assert_cmpuint (fixture->added->len, ==, 0);
}

static void
test_save_no_data (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

  image = capa_session_save_bytes (fixture->session, "none.jpg", NULL, NULL, &error);
  g_assert_null (image);
  g_assert_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_NO_DATA);
  g_clear_error (&error);

  /* Zero bytes are a valid (if odd) file: saved, not lost. */
  image = capa_session_save_bytes (fixture->session, "empty.jpg", empty, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (capa_image_get_filename (image), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (fixture->added->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/Capa/Session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("save/blocking", test_save_blocking);
  ADD ("save/async", test_save_async);
  ADD ("save/concurrent", test_save_concurrent);
  ADD ("save/collision", test_save_collision);
  ADD ("save/never-overwrites", test_save_never_overwrites);
  ADD ("save/hostile-names", test_save_hostile_names);
  ADD ("save/fails-not-a-folder", test_save_fails_not_a_folder);
  ADD ("save/fails-read-only", test_save_fails_read_only);
  ADD ("save/fails-too-large", test_save_fails_too_large);
  ADD ("save/cancelled", test_save_cancelled);
  ADD ("save/no-data", test_save_no_data);

#undef ADD

  return g_test_run ();
}
