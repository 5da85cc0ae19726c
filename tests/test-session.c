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

#include "capa-session-private.h"
#include "capa-test-utils.h"
#include "capa-testing-private.h"

typedef struct
{
  char        *tmpdir;     /* the test's own folder */
  char        *directory;  /* the session folder, inside tmpdir */
  CapaSession *session;
  GPtrArray   *added;      /* images of image-added */
  GPtrArray   *removed;    /* images of image-removed */
  guint        items_changed;
  guint        n_added_items;
  gboolean     changed;  /* set by image-added and image-removed */
  gboolean     done;
  GAsyncResult *result;
  guint        notify_loading;
  guint        notify_loaded;
  guint        ticks_while_loading;
} Fixture;

static void
on_image_added_cb (CapaSession *session,
                   CapaImage   *image,
                   Fixture     *fixture)
{
  g_assert_true (CAPA_IS_IMAGE (image));
  g_ptr_array_add (fixture->added, g_object_ref (image));
  fixture->changed = TRUE;
}

static void
on_image_removed_cb (CapaSession *session,
                     CapaImage   *image,
                     Fixture     *fixture)
{
  g_assert_true (CAPA_IS_IMAGE (image));
  g_ptr_array_add (fixture->removed, g_object_ref (image));
  fixture->changed = TRUE;
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              Fixture    *fixture)
{
  if (g_str_equal (pspec->name, "loading"))
    fixture->notify_loading++;
  else if (g_str_equal (pspec->name, "loaded"))
    fixture->notify_loaded++;
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
  g_signal_connect (fixture->session, "notify", G_CALLBACK (on_notify_cb), fixture);
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

static void make_file (const char *folder,
                       const char *name,
                       gint64      mtime);

static void
test_save_repeated_names (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GBytes) bytes = random_bytes (100);
  g_autoptr(GError) error = NULL;
  g_autofree char *second = g_build_filename (fixture->directory, "DSC_0001-1.jpg", NULL);
  const char *expected[] = { "DSC_0001.jpg", "DSC_0001-1.jpg", "DSC_0001-2.jpg" };
  g_autoptr(CapaImage) last = NULL;
  g_autofree char *last_name = NULL;
  g_autoptr(GDir) dir = NULL;
  guint count = 0;

  /* A pattern without a sequence number: the camera's name, which repeats
   * (a card reformatted, two bodies). */
  capa_session_set_filename_pattern (fixture->session, "%f");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(CapaImage) image = capa_session_save_bytes (fixture->session, "DSC_0001.JPG",
                                                            bytes, NULL, &error);
      g_autofree char *name = NULL;

      g_assert_no_error (error);
      name = g_path_get_basename (capa_image_get_filename (image));
      g_assert_cmpstr (name, ==, expected[i]);
    }

  /* The suffixes go on from the last one given, without trying the taken
   * ones again: a gap left by a deleted file is not filled. */
  g_assert_cmpint (g_unlink (second), ==, 0);
  last = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  last_name = g_path_get_basename (capa_image_get_filename (last));
  g_assert_cmpstr (last_name, ==, "DSC_0001-3.jpg");

  /* Every suffix taken: the error says what to change, and nothing is
   * left behind. */
  for (guint i = 4; i <= 9999; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/DSC_0001-%u.jpg", fixture->directory, i);
      int fd = open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);

      g_assert_cmpint (fd, >=, 0);
      close (fd);
    }
  make_file (fixture->directory, "DSC_0001-1.jpg", 0);
  g_assert_null (capa_session_save_bytes (fixture->session, "DSC_0001.JPG", bytes, NULL,
                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "%n"));
  g_assert_nonnull (strstr (error->message, "DSC_0001.jpg"));
  assert_no_temporary_files (fixture->directory);
  dir = g_dir_open (fixture->directory, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    count++;
  g_assert_cmpuint (count, ==, 10000);
}

static void
test_save_never_overwrites (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) existing = g_bytes_new_static ("precious", 8);
  g_autoptr(GBytes) bytes = random_bytes (4096);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autofree char *taken_path = g_build_filename (fixture->directory, "DSC_0001.jpg", NULL);
  g_autofree char *link_path = g_build_filename (fixture->directory, "DSC_0009.jpg", NULL);
  g_autofree char *outside = g_build_filename (fixture->tmpdir, "outside.jpg", NULL);
  g_autofree char *listing = NULL;

  /* Not loaded, so the session does not know the name is taken. */
  capa_session_set_filename_pattern (fixture->session, "%f");
  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  g_assert_true (g_file_set_contents (taken_path, "precious", 8, NULL));

  image = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (capa_image_get_filename (image), "/DSC_0001-1.jpg"));
  assert_file_has_bytes (taken_path, existing);
  assert_file_has_bytes (capa_image_get_filename (image), bytes);
  g_clear_object (&image);

  /* Nor is a dangling symbolic link followed to write outside the folder. */
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

typedef struct
{
  Fixture   *fixture;
  GBytes    *bytes;
  CapaImage *image;
  GError    *error;
} ThreadSave;

static gpointer
save_in_thread (gpointer data)
{
  ThreadSave *save = data;

  save->image = capa_session_save_bytes (save->fixture->session, "thread.jpg", save->bytes,
                                         NULL, &save->error);
  return NULL;
}

static void
test_save_from_thread (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) bytes = random_bytes (5000);
  ThreadSave save = { fixture, bytes, NULL, NULL };
  GThread *thread;

  /* A script or a worker may save with the blocking call from another
   * thread: the file is written there, the model changes in the main
   * context. */
  thread = g_thread_new ("save", save_in_thread, &save);
  g_thread_join (thread);
  g_assert_no_error (save.error);
  g_assert_nonnull (save.image);
  assert_file_has_bytes (capa_image_get_filename (save.image), bytes);
  g_assert_cmpuint (fixture->added->len, ==, 0);

  g_assert_true (capa_test_wait_for (&fixture->changed, 10000));
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->added, 0) == save.image);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 1);

  g_object_unref (save.image);
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
      g_autoptr(CapaSession) session = capa_session_new ("/sys/kernel");
      g_autoptr(GBytes) bytes = random_bytes (100);
      g_autoptr(GError) error = NULL;
      g_autoptr(CapaImage) image = NULL;

      g_chmod (fixture->directory, 0700);

      /* As root, permissions do not stop writes. sysfs refuses new files
       * even to root (or is mounted read-only); a file in the way fails
       * too (see not-a-folder), and the errno mapping is tested on its own. */
      if (!g_file_test ("/sys/kernel", G_FILE_TEST_IS_DIR) || can_write_into ("/sys/kernel"))
        {
          g_test_skip ("no folder refuses writes to this user");
          return;
        }

      image = capa_session_save_bytes (session, "DSC_0001.JPG", bytes, NULL, &error);
      g_assert_null (image);
      g_test_message ("%s", error->message);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, "/sys/kernel"));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 0);
      g_assert_finalize_object (g_steal_pointer (&session));
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

static void
test_save_camera_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CapaCameraFile) file = capa_camera_file_new ("/store_00010001/DCIM/100NIKON",
                                                         "DSC_0042");
  g_autoptr(CapaCameraFile) hostile = capa_camera_file_new ("/store_00010001/DCIM",
                                                            "../../../x.JPG");
  g_autoptr(CapaCameraFile) empty = capa_camera_file_new ("/store_00010001/DCIM", "DSC_0043.JPG");
  g_autoptr(GBytes) bytes = random_bytes (70000);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(CapaImage) image2 = NULL;
  g_autofree char *expected = NULL;

  capa_session_set_filename_pattern (fixture->session, "%f");
  capa_camera_file_set_mime_type (file, "image/x-nikon-nef");
  capa_camera_file_set_data (file, bytes);
  capa_camera_file_set_data (hostile, bytes);

  /* No extension in the name: the MIME type gives it. */
  image = capa_session_save_file (fixture->session, file, NULL, &error);
  g_assert_no_error (error);
  expected = g_build_filename (fixture->directory, "DSC_0042.nef", NULL);
  g_assert_cmpstr (capa_image_get_filename (image), ==, expected);
  assert_file_has_bytes (expected, bytes);

  capa_session_save_file_async (fixture->session, hostile, NULL, on_async_done_cb, fixture);
  image2 = capa_session_save_file_finish (fixture->session, wait_for_result (fixture), &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->result);
  assert_image_in_directory (image2, fixture->directory);
  g_assert_true (g_str_has_suffix (capa_image_get_filename (image2), "/_.._.._x.jpg"));
  assert_file_has_bytes (capa_image_get_filename (image2), bytes);

  /* Not downloaded: nothing to save. */
  g_assert_null (capa_session_save_file (fixture->session, empty, NULL, &error));
  g_assert_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_NO_DATA);
  g_clear_error (&error);
  capa_session_save_file_async (fixture->session, empty, NULL, on_async_done_cb, fixture);
  g_assert_null (capa_session_save_file_finish (fixture->session, wait_for_result (fixture),
                                                &error));
  g_assert_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_NO_DATA);

  g_assert_cmpuint (fixture->added->len, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 2);
  assert_no_temporary_files (fixture->directory);
}


/* --- loading --- */

static void wait_for_change (Fixture *fixture);
static const char *last_name (GPtrArray *images);
static void wait_for_change (Fixture *fixture);

static void
make_file (const char *folder,
           const char *name,
           gint64      mtime)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  struct timespec times[2] = { { mtime, 0 }, { mtime, 0 } };

  g_assert_true (g_file_set_contents (path, name, -1, NULL));
  if (mtime > 0)
    g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

static void
assert_contents (const char *folder,
                 const char *name,
                 const char *expected)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
}

static void
test_place_methods (Fixture       *fixture,
                    gconstpointer  data)
{
  static const guint methods[] = {
    CAPA_PLACE_RENAME_NOREPLACE | CAPA_PLACE_LINK,
    CAPA_PLACE_LINK,
    CAPA_PLACE_CHECK_THEN_RENAME,
    CAPA_PLACE_ALL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *folder = g_strdup_printf ("%s/%u", fixture->tmpdir, i);
      g_autofree char *link_path = g_build_filename (folder, "link.jpg", NULL);
      g_autofree char *listing = NULL;
      int dirfd;

      g_test_message ("methods 0x%x", methods[i]);
      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      make_file (folder, ".capa-0.tmp", 0);
      make_file (folder, "taken.jpg", 0);
      g_assert_cmpint (symlink ("/nonexistent/target", link_path), ==, 0);
      dirfd = open (folder, O_RDONLY | O_DIRECTORY);
      g_assert_cmpint (dirfd, >=, 0);

      /* A taken name, even by a dangling link, is left alone. */
      errno = 0;
      g_assert_cmpint (_capa_session_place_file (dirfd, ".capa-0.tmp", "taken.jpg", methods[i]),
                       ==, -1);
      g_assert_cmpint (errno, ==, EEXIST);
      errno = 0;
      g_assert_cmpint (_capa_session_place_file (dirfd, ".capa-0.tmp", "link.jpg", methods[i]),
                       ==, -1);
      g_assert_cmpint (errno, ==, EEXIST);
      assert_contents (folder, "taken.jpg", "taken.jpg");
      assert_contents (folder, ".capa-0.tmp", ".capa-0.tmp");

      /* A free name is taken, and the temporary name is gone. */
      g_assert_cmpint (_capa_session_place_file (dirfd, ".capa-0.tmp", "free.jpg", methods[i]),
                       ==, 0);
      assert_contents (folder, "free.jpg", ".capa-0.tmp");
      listing = folder_listing (folder);
      g_assert_cmpstr (listing, ==, "free.jpg link.jpg taken.jpg");
      close (dirfd);
    }
}

static guint position_of (CapaSession *session,
                          CapaImage   *image);

/* The folder holds names starting with @prefix, or nothing if NULL. */
static void
assert_listing_prefix (const char *folder,
                       const char *prefix)
{
  g_autofree char *listing = folder_listing (folder);

  if (prefix == NULL)
    g_assert_cmpstr (listing, ==, "");
  else
    g_assert_true (g_str_has_prefix (listing, prefix));
}

/* Writes @bytes through @writer in pieces of @piece bytes, as a camera's
 * download arrives. */
static void
write_in_pieces (CapaSessionWriter *writer,
                 GBytes            *bytes,
                 gsize              piece)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autoptr(GError) error = NULL;

  for (gsize done = 0; done < size; done += piece)
    {
      g_assert_true (_capa_session_writer_write (writer, data + done, MIN (piece, size - done),
                                                 NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (_capa_session_writer_get_size (writer), ==, size);
}

static void
test_save_written (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) big = random_bytes (3 * 1024 * 1024 + 4321);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GBytes) tiff = capa_test_make_exif_date ("2025:06:01 08:00:00");
  g_autofree char *source = g_build_filename (fixture->tmpdir, "source.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected1 = today_name (1, "nef");
  g_autofree char *name1 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image1 = NULL;
  g_autoptr(CapaImage) image2 = NULL;
  CapaSessionWriter *writer;
  gsize length = 0;

  capa_test_write_exif_jpeg (source, tiff);
  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  jpeg = g_bytes_new_take (g_steal_pointer (&contents), length);

  /* Nothing is written before the first piece: not even the folder. */
  writer = _capa_session_new_writer (fixture->session);
  g_assert_false (g_file_test (fixture->directory, G_FILE_TEST_EXISTS));

  /* Pieces of all sizes, across the writeback chunks; the file lies under
   * a hidden temporary name until it is placed. */
  write_in_pieces (writer, big, 300007);
  assert_listing_prefix (fixture->directory, ".capa-");
  g_assert_cmpuint (fixture->added->len, ==, 0);

  _capa_session_save_written_async (fixture->session, writer, "DSC_0001.NEF", NULL, NULL,
                                    on_async_done_cb, fixture);
  image1 = _capa_session_save_written_finish (fixture->session, wait_for_result (fixture),
                                              &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->result);
  name1 = g_path_get_basename (capa_image_get_filename (image1));
  g_assert_cmpstr (name1, ==, expected1);
  assert_file_has_bytes (capa_image_get_filename (image1), big);
  assert_no_temporary_files (fixture->directory);

  /* Byte by byte at first: the capture time is read from the first bytes
   * kept while writing, so the older shot sorts first. */
  writer = _capa_session_new_writer (fixture->session);
  for (gsize i = 0; i < 100; i++)
    {
      g_assert_true (_capa_session_writer_write (writer,
                                                 (const guint8 *) g_bytes_get_data (jpeg, NULL) + i,
                                                 1, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (_capa_session_writer_write (writer,
                                             (const guint8 *) g_bytes_get_data (jpeg, NULL) + 100,
                                             length - 100, NULL, &error));
  _capa_session_save_written_async (fixture->session, writer, "DSC_0002.JPG", NULL, NULL,
                                    on_async_done_cb, fixture);
  image2 = _capa_session_save_written_finish (fixture->session, wait_for_result (fixture),
                                              &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->result);
  assert_file_has_bytes (capa_image_get_filename (image2), jpeg);
  g_assert_cmpuint (position_of (fixture->session, image2), ==, 0);
  g_assert_cmpuint (position_of (fixture->session, image1), ==, 1);
  g_assert_cmpuint (fixture->added->len, ==, 2);
  assert_no_temporary_files (fixture->directory);
}

static void
test_save_written_fails (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) piece = random_bytes (40 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(CapaSessionWriter) writer = NULL;
  struct rlimit saved, limit;
  void (*saved_handler) (int);
  gboolean ok[3];

  /* The disk fills up in the middle of a download. */
  writer = _capa_session_new_writer (fixture->session);
  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = 64 * 1024;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  ok[0] = _capa_session_writer_write (writer, g_bytes_get_data (piece, NULL), 40 * 1024, NULL,
                                      NULL);
  ok[1] = _capa_session_writer_write (writer, g_bytes_get_data (piece, NULL), 40 * 1024, NULL,
                                      &error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);

  g_assert_true (ok[0]);
  g_assert_false (ok[1]);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Session"));
  g_clear_error (&error);

  /* Once failed, it stays failed: no hole in the middle of a picture. */
  ok[2] = _capa_session_writer_write (writer, g_bytes_get_data (piece, NULL), 10, NULL, &error);
  g_assert_false (ok[2]);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Given up: nothing is left in the folder, nothing joins the session. */
  _capa_session_writer_discard (writer);
  assert_listing_prefix (fixture->directory, NULL);
  _capa_session_save_written_async (fixture->session, g_steal_pointer (&writer),
                                    "DSC_0001.JPG", NULL, NULL, on_async_done_cb, fixture);
  image = _capa_session_save_written_finish (fixture->session, wait_for_result (fixture),
                                             &error);
  g_assert_null (image);
  g_assert_nonnull (error);
  assert_listing_prefix (fixture->directory, NULL);
  g_assert_cmpuint (fixture->added->len, ==, 0);
}

static void
test_save_written_cancelled (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) piece = random_bytes (1024 * 1024 + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;
  CapaSessionWriter *writer;

  /* Cancelled in the middle of its write: the next piece is refused. */
  writer = _capa_session_new_writer (fixture->session);
  g_assert_true (_capa_session_writer_write (writer, g_bytes_get_data (piece, NULL),
                                             g_bytes_get_size (piece), cancellable, &error));
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (_capa_session_writer_write (writer, g_bytes_get_data (piece, NULL),
                                              g_bytes_get_size (piece), cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (_capa_session_writer_get_size (writer), ==, g_bytes_get_size (piece));

  /* Placing it is cancelled too, and takes the temporary file away. */
  _capa_session_save_written_async (fixture->session, writer, "DSC_0001.JPG", NULL,
                                    cancellable, on_async_done_cb, fixture);
  image = _capa_session_save_written_finish (fixture->session, wait_for_result (fixture),
                                             &error);
  g_assert_null (image);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_listing_prefix (fixture->directory, NULL);
  g_assert_cmpuint (fixture->added->len, ==, 0);
}

static void
test_save_written_empty (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;

  /* A download that sent nothing saves nothing. */
  _capa_session_save_written_async (fixture->session, _capa_session_new_writer (fixture->session),
                                    "DSC_0001.JPG", NULL, NULL, on_async_done_cb, fixture);
  image = _capa_session_save_written_finish (fixture->session, wait_for_result (fixture),
                                             &error);
  g_assert_null (image);
  g_assert_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_NO_DATA);
  g_assert_false (g_file_test (fixture->directory, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (fixture->added->len, ==, 0);
}

static char *
session_listing (CapaSession *session)
{
  GListModel *model = G_LIST_MODEL (session);
  g_autoptr(GString) listing = g_string_new (NULL);

  g_assert_true (g_list_model_get_item_type (model) == CAPA_TYPE_IMAGE);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (model, i);
      g_autofree char *name = g_path_get_basename (capa_image_get_filename (image));

      if (i > 0)
        g_string_append_c (listing, ' ');
      g_string_append (listing, name);
    }
  g_assert_null (g_list_model_get_item (model, g_list_model_get_n_items (model)));

  return g_string_free (g_steal_pointer (&listing), FALSE);
}

static void
make_mixed_folder (const char *folder)
{
  g_autofree char *subfolder = g_build_filename (folder, "folder.jpg", NULL);

  g_assert_cmpint (g_mkdir_with_parents (subfolder, 0700), ==, 0);
  make_file (folder, "b.JPG", 1000);
  make_file (folder, "a.jpg", 1000);
  make_file (folder, "c.nef", 500);
  make_file (folder, "d.CR3", 2000);
  make_file (folder, "e.png", 1500);
  make_file (folder, "f.tiff", 1500);
  make_file (folder, "g.dng", 3000);
  make_file (folder, "shot-10.arw", 4000);
  make_file (folder, "shot-9.RAF", 4000);
  make_file (folder, "notes.txt", 100);
  make_file (folder, "README", 100);
  make_file (folder, "x.jpg.xmp", 100);
  make_file (folder, ".hidden.jpg", 100);
  make_file (folder, ".capa-1234abcd.tmp", 100);
  {
    g_autofree char *dangling = g_build_filename (folder, "dangling.jpg", NULL);

    g_assert_cmpint (symlink ("/nonexistent/image.jpg", dangling), ==, 0);
  }
}

#define MIXED_ORDER "c.nef a.jpg b.JPG e.png f.tiff d.CR3 g.dng shot-9.RAF shot-10.arw"

static void
test_load_mixed (Fixture       *fixture,
                 gconstpointer  data)
{
  gboolean async = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GPtrArray) images = NULL;

  make_mixed_folder (fixture->directory);

  g_assert_false (capa_session_get_loaded (fixture->session));
  g_assert_false (capa_session_get_loading (fixture->session));

  if (async)
    {
      capa_session_load_async (fixture->session, NULL, on_async_done_cb, fixture);
      g_assert_true (capa_session_get_loading (fixture->session));
      g_assert_true (capa_session_load_finish (fixture->session, wait_for_result (fixture),
                                               &error));
    }
  else
    g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (capa_session_get_loaded (fixture->session));
  g_assert_false (capa_session_get_loading (fixture->session));
  g_assert_cmpuint (fixture->notify_loading, ==, 2);
  g_assert_cmpuint (fixture->notify_loaded, ==, 1);

  listing = session_listing (fixture->session);
  g_assert_cmpstr (listing, ==, MIXED_ORDER);

  images = capa_session_get_images (fixture->session);
  g_assert_cmpuint (images->len, ==, 9);
  g_assert_true (g_str_has_suffix (capa_image_get_filename (g_ptr_array_index (images, 0)),
                                   "/Session/c.nef"));

  /* Loading reports through items-changed, not image-added. */
  g_assert_cmpuint (fixture->added->len, ==, 0);
  g_assert_cmpuint (fixture->n_added_items, ==, 9);

  /* Loading again lists the folder anew. */
  make_file (fixture->directory, "h.jpg", 5000);
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);
  g_free (listing);
  listing = session_listing (fixture->session);
  g_assert_cmpstr (listing, ==, MIXED_ORDER " h.jpg");
}

static void
test_load_missing_folder (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = random_bytes (10);
  g_autoptr(CapaImage) image = NULL;

  capa_session_load_async (fixture->session, NULL, on_async_done_cb, fixture);
  g_assert_true (capa_session_load_finish (fixture->session, wait_for_result (fixture), &error));
  g_assert_no_error (error);
  g_assert_true (capa_session_get_loaded (fixture->session));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 0);

  image = capa_session_save_bytes (fixture->session, "a.jpg", bytes, NULL, &error);
  g_assert_no_error (error);
  assert_image_in_directory (image, fixture->directory);
  g_assert_cmpuint (fixture->added->len, ==, 1);

  /* The folder is watched now that it exists. */
  fixture->changed = FALSE;
  make_file (fixture->directory, "b.jpg", 0);
  wait_for_change (fixture);
  g_assert_cmpuint (fixture->added->len, ==, 2);
  g_assert_cmpstr (last_name (fixture->added), ==, "b.jpg");
}

static void
test_load_twice (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) second_error = NULL;

  make_mixed_folder (fixture->directory);
  capa_session_load_async (fixture->session, NULL, on_async_done_cb, fixture);
  g_assert_false (capa_session_load (fixture->session, NULL, &second_error));
  g_assert_error (second_error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_assert_true (capa_session_load_finish (fixture->session, wait_for_result (fixture), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 9);
}

static void
test_load_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  make_mixed_folder (fixture->directory);
  g_cancellable_cancel (cancellable);
  capa_session_load_async (fixture->session, cancellable, on_async_done_cb, fixture);
  g_assert_false (capa_session_load_finish (fixture->session, wait_for_result (fixture), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (capa_session_get_loading (fixture->session));
  g_assert_false (capa_session_get_loaded (fixture->session));
  g_clear_object (&fixture->result);
  g_clear_error (&error);

  /* It can be loaded after all. */
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 9);
}

static void
test_load_not_a_folder (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (fixture->directory, "x", 1, NULL));
  g_assert_false (capa_session_load (fixture->session, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_false (capa_session_get_loaded (fixture->session));
  g_assert_false (capa_session_get_loading (fixture->session));
}

/* Loads the session, on a worker thread when @async. */
static void
load_session (Fixture  *fixture,
              gboolean  async)
{
  g_autoptr(GError) error = NULL;

  if (async)
    {
      capa_session_load_async (fixture->session, NULL, on_async_done_cb, fixture);
      g_assert_true (capa_session_load_finish (fixture->session, wait_for_result (fixture),
                                               &error));
    }
  else
    g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);
}

/* data: whether the session is read on a worker thread (the numbers are
 * matched there, batch by batch). */
static void
test_sequence_continues (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = random_bytes (10);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(CapaImage) image2 = NULL;
  g_autofree char *expected = today_name (43, "jpg");
  g_autofree char *expected2 = today_name (44, "jpg");
  g_autofree char *next = NULL;
  g_autofree char *name = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  make_file (fixture->directory, "capa-20200101-0007.jpg", 100);
  make_file (fixture->directory, "capa-20251231-0042.NEF", 200);
  make_file (fixture->directory, "capa-20261122-0100.txt", 300);
  make_file (fixture->directory, "other-0500.jpg", 300);

  load_session (fixture, GPOINTER_TO_INT (data));

  next = capa_session_dup_next_filename (fixture->session, "DSC_0001.JPG", NULL);
  g_assert_cmpstr (next, ==, expected);

  image = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  name = g_path_get_basename (capa_image_get_filename (image));
  g_assert_cmpstr (name, ==, expected);
  g_free (name);

  image2 = capa_session_save_bytes (fixture->session, "DSC_0002.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  name = g_path_get_basename (capa_image_get_filename (image2));
  g_assert_cmpstr (name, ==, expected2);

  /* Another pattern counts on from its own highest number. */
  capa_session_set_filename_pattern (fixture->session, "other-%n");
  g_free (next);
  next = capa_session_dup_next_filename (fixture->session, NULL, "image/png");
  g_assert_cmpstr (next, ==, "other-0501.png");
}

static void
on_items_changed_change_pattern_cb (GListModel *model,
                                    guint       position,
                                    guint       removed,
                                    guint       added,
                                    gpointer    user_data)
{
  capa_session_set_filename_pattern (CAPA_SESSION (model), "other-%n");
  g_signal_handlers_disconnect_by_func (model, on_items_changed_change_pattern_cb, user_data);
}

/* The file-name pattern changes while the session is read on a worker
 * thread, once the first batch is in and the next one read with the old
 * pattern: the numbers the worker matched with the old pattern are not
 * taken, the new pattern's are.  The old pattern's numbers are far higher,
 * so taking any of them shows. */
static void
test_sequence_pattern_changed_while_loading (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *old_name = g_strdup_printf ("capa-20251231-%04u.jpg", 9000 + i);
      g_autofree char *new_name = g_strdup_printf ("other-%04u.jpg", 1 + i);

      make_file (fixture->directory, old_name, 10);
      make_file (fixture->directory, new_name, 10);
    }

  g_signal_connect (fixture->session, "items-changed",
                    G_CALLBACK (on_items_changed_change_pattern_cb), NULL);
  capa_session_load_async (fixture->session, NULL, on_async_done_cb, fixture);
  g_assert_true (capa_session_load_finish (fixture->session, wait_for_result (fixture), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 600);
  g_assert_cmpstr (capa_session_get_filename_pattern (fixture->session), ==, "other-%n");

  next = capa_session_dup_next_filename (fixture->session, NULL, "image/jpeg");
  g_assert_cmpstr (next, ==, "other-0301.jpg");
}

static void
test_sequence_without_loading (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = random_bytes (10);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(CapaImage) image2 = NULL;
  g_autoptr(CapaImage) image3 = NULL;
  g_autofree char *expected = today_name (8, "jpg");
  g_autofree char *expected2 = today_name (9, "jpg");
  g_autofree char *name = NULL;
  g_autofree char *name2 = NULL;
  g_autofree char *name3 = NULL;

  /* Saves before (or without) loading still never reuse a number. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  make_file (fixture->directory, "capa-20200101-0007.jpg", 100);
  make_file (fixture->directory, "capa-20200101-0099.xmp", 100);

  capa_session_save_bytes_async (fixture->session, "DSC_0001.JPG", bytes, NULL,
                                 on_async_done_cb, fixture);
  image = capa_session_save_bytes_finish (fixture->session, wait_for_result (fixture), &error);
  g_assert_no_error (error);
  name = g_path_get_basename (capa_image_get_filename (image));
  g_assert_cmpstr (name, ==, expected);

  image2 = capa_session_save_bytes (fixture->session, "DSC_0002.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  name2 = g_path_get_basename (capa_image_get_filename (image2));
  g_assert_cmpstr (name2, ==, expected2);

  /* Another pattern: the folder is looked at again. */
  capa_session_set_filename_pattern (fixture->session, "capa-20200101-%n");
  image3 = capa_session_save_bytes (fixture->session, "DSC_0003.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  name3 = g_path_get_basename (capa_image_get_filename (image3));
  g_assert_cmpstr (name3, ==, "capa-20200101-0008.jpg");
}

static void
test_filename_pattern_property (Fixture       *fixture,
                                gconstpointer  data)
{
  guint notified = 0;
  g_autofree char *value = NULL;
  gulong id;

  g_assert_cmpstr (capa_session_get_filename_pattern (fixture->session), ==, "capa-%Y%m%d-%n");
  id = g_signal_connect_swapped (fixture->session, "notify::filename-pattern",
                                 G_CALLBACK (g_nullify_pointer), NULL);
  g_signal_handler_disconnect (fixture->session, id);

  g_signal_connect_swapped (fixture->session, "notify::filename-pattern",
                            G_CALLBACK (g_atomic_int_inc), &notified);
  capa_session_set_filename_pattern (fixture->session, "%f");
  capa_session_set_filename_pattern (fixture->session, "%f");
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (fixture->session, "filename-pattern", NULL, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_object_get (fixture->session, "filename-pattern", &value, NULL);
  g_assert_cmpstr (value, ==, "capa-%Y%m%d-%n");

  g_free (value);
  g_object_get (fixture->session, "directory", &value, NULL);
  g_assert_cmpstr (value, ==, fixture->directory);
  g_assert_cmpstr (capa_session_get_directory (fixture->session), ==, fixture->directory);
}

static void
test_relative_directory (void)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *expected = g_build_filename (cwd, "some", "Session", NULL);
  g_autoptr(CapaSession) session = capa_session_new ("some/./Session/");

  g_assert_cmpstr (capa_session_get_directory (session), ==, expected);
  g_assert_finalize_object (g_steal_pointer (&session));
}

static gboolean
count_ticks_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  if (capa_session_get_loading (fixture->session))
    fixture->ticks_while_loading++;
  return G_SOURCE_CONTINUE;
}

static void
test_load_many (Fixture       *fixture,
                gconstpointer  data)
{
  const guint n_files = 5000;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) ticks = NULL;
  gint64 previous_time = 0;
  g_autofree char *previous_name = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("shot-%05u.jpg", n_files - i);
      g_autofree char *path = g_build_filename (fixture->directory, name, NULL);
      struct timespec times[2] = { { 1000000 + i / 3, 0 }, { 1000000 + i / 3, 0 } };
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);

      g_assert_cmpint (fd, >=, 0);
      close (fd);
      g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
    }

  /* Something else wants the main loop meanwhile. */
  ticks = g_timeout_source_new (1);
  g_source_set_callback (ticks, count_ticks_cb, fixture, NULL);
  g_source_attach (ticks, NULL);

  capa_session_load_async (fixture->session, NULL, on_async_done_cb, fixture);
  g_assert_true (capa_session_load_finish (fixture->session, wait_for_result (fixture), &error));
  g_assert_no_error (error);
  g_source_destroy (ticks);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, n_files);
  g_assert_cmpuint (fixture->n_added_items, ==, n_files);
  /* Added in batches: more than one, far fewer than one per file. */
  g_assert_cmpuint (fixture->items_changed, >=, 2);
  g_assert_cmpuint (fixture->items_changed, <=, n_files / 250 + 1);
  /* The main loop ran other work while the folder was read. */
  g_assert_cmpuint (fixture->ticks_while_loading, >=, 1);

  /* Sorted by time, then name. */
  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (G_LIST_MODEL (fixture->session), i);
      const char *path = capa_image_get_filename (image);
      g_autofree char *name = g_path_get_basename (path);
      GStatBuf st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mtime, >=, previous_time);
      if (st.st_mtime == previous_time)
        g_assert_cmpstr (name, >, previous_name);
      previous_time = st.st_mtime;
      g_free (previous_name);
      previous_name = g_steal_pointer (&name);
    }
}

/* The sort time, in seconds, of file @i of UNSORTED_FILES: a permutation
 * of the files, two to a second, so that each batch of the folder (in
 * whatever order it lists them) lands all over the session, and equal
 * times fall back to the names. */
#define UNSORTED_FILES 1200

static gint64
unsorted_time (guint i)
{
  return 1000000 + (gint64) ((i * 7919u) % UNSORTED_FILES) / 2;
}

static int
compare_unsorted (gconstpointer a,
                  gconstpointer b)
{
  guint i = *(const guint *) a;
  guint j = *(const guint *) b;

  if (unsorted_time (i) != unsorted_time (j))
    return unsorted_time (i) < unsorted_time (j) ? -1 : 1;
  return i < j ? -1 : i > j;
}

/* A folder whose files come in an order unlike the session's, more than
 * one batch of them: every batch is merged into its places, the model is
 * sorted and complete, and its items-changed, applied to a copy, give the
 * model.  A name the session already has when its batch comes (as the
 * monitor may add it) is dropped. */
static void
test_load_unsorted_batches (Fixture       *fixture,
                            gconstpointer  data)
{
  gboolean async = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (guint), UNSORTED_FILES);
  GListModel *model = G_LIST_MODEL (fixture->session);

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  for (guint i = 0; i < UNSORTED_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%04u.jpg", i);

      make_file (fixture->directory, name, unsorted_time (i));
      g_array_append_val (order, i);
    }
  g_array_sort (order, compare_unsorted);

  g_signal_connect (fixture->session, "items-changed",
                    G_CALLBACK (capa_test_copy_items_changed_cb), copy);
  if (async)
    {
      capa_session_load_async (fixture->session, NULL, on_async_done_cb, fixture);
      /* Listed before its batch comes. */
      _capa_session_add_image (fixture->session, "f0999.jpg", unsorted_time (999) * G_USEC_PER_SEC,
                               NULL);
      g_assert_true (capa_session_load_finish (fixture->session, wait_for_result (fixture),
                                               &error));
      g_assert_cmpuint (fixture->added->len, ==, 1);
    }
  else
    {
      g_assert_true (capa_session_load (fixture->session, NULL, &error));
      g_assert_cmpuint (fixture->added->len, ==, 0);
    }
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_data (fixture->session, copy);

  /* More than one batch, each one items-changed. */
  g_assert_cmpuint (fixture->items_changed, >=, 3);
  g_assert_cmpuint (fixture->items_changed, <=, UNSORTED_FILES / 2);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, UNSORTED_FILES);
  g_assert_cmpuint (copy->len, ==, UNSORTED_FILES);
  for (guint k = 0; k < UNSORTED_FILES; k++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (model, k);
      g_autofree char *name = g_path_get_basename (capa_image_get_filename (image));
      g_autofree char *expected = g_strdup_printf ("f%04u.jpg", g_array_index (order, guint, k));

      g_assert_cmpstr (name, ==, expected);
      g_assert_true (g_ptr_array_index (copy, k) == image);
    }
}

/* The model's private accessors: an image at a place without a reference,
 * and whether an image is the session's, by its name. */
static void
test_peek_and_has (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) stranger = NULL;
  g_autofree char *elsewhere = g_build_filename (fixture->tmpdir, "b.jpg", NULL);
  CapaImage *a;
  CapaImage *b;

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  make_file (fixture->directory, "a.jpg", 1000);
  make_file (fixture->directory, "b.jpg", 2000);
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);

  a = _capa_session_peek_image (fixture->session, 0);
  b = _capa_session_peek_image (fixture->session, 1);
  g_assert_true (CAPA_IS_IMAGE (a) && CAPA_IS_IMAGE (b) && a != b);
  g_assert_null (_capa_session_peek_image (fixture->session, 2));
  g_assert_true (g_str_has_suffix (capa_image_get_filename (b), "/b.jpg"));
  g_assert_true (_capa_session_has_image (fixture->session, a));
  g_assert_true (_capa_session_has_image (fixture->session, b));

  /* Another file of the same name, elsewhere: not the session's. */
  stranger = capa_image_new (elsewhere);
  g_assert_false (_capa_session_has_image (fixture->session, stranger));

  g_object_ref (b);
  _capa_session_remove_image (fixture->session, "b.jpg");
  g_assert_false (_capa_session_has_image (fixture->session, b));
  g_assert_true (_capa_session_peek_image (fixture->session, 0) == a);
  g_assert_null (_capa_session_peek_image (fixture->session, 1));
  g_object_unref (b);
}

/* --- capture time --- */

/* Writes @name with EXIF DateTimeOriginal @date (none when NULL): a small
 * JPEG, or for a ".nef" a bare TIFF structure, and sets its mtime. */
static void
make_exif_file (const char *folder,
                const char *name,
                const char *date,
                gint64      mtime)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GBytes) tiff = date ? capa_test_make_exif_date (date) : NULL;
  struct timespec times[2] = { { mtime, 0 }, { mtime, 0 } };

  if (g_str_has_suffix (name, ".nef"))
    g_assert_true (g_file_set_contents (path, g_bytes_get_data (tiff, NULL),
                                        g_bytes_get_size (tiff), NULL));
  else
    capa_test_write_exif_jpeg (path, tiff);
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

static gint64
local_unix (int year,
            int month,
            int day,
            int hour)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (year, month, day, hour, 0, 0);

  return g_date_time_to_unix (time);
}

/* Modification times that disagree with the capture times: the capture
 * times win; equal ones fall back to the name; files without EXIF sort by
 * their modification time among the others. */
#define CAPTURE_ORDER "p.png f.nef b.jpg c.jpg n.jpg d.jpg e.jpg a.jpg"

static void
make_capture_folder (const char *folder)
{
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  make_exif_file (folder, "a.jpg", "2026:01:03 10:00:00", 1000);
  make_exif_file (folder, "b.jpg", "2026:01:01 10:00:00", 3000);
  make_exif_file (folder, "c.jpg", "2026:01:02 10:00:00", 2000);
  make_exif_file (folder, "e.jpg", "2026:01:02 12:00:00", 500);
  make_exif_file (folder, "d.jpg", "2026:01:02 12:00:00", 4000);
  make_exif_file (folder, "f.nef", "2025:12:31 23:00:00", 5000);
  make_exif_file (folder, "n.jpg", NULL, local_unix (2026, 1, 2, 11));
  make_file (folder, "p.png", 1000);
}

static void
test_load_capture_time (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *listing = NULL;

  make_capture_folder (fixture->directory);

  load_session (fixture, GPOINTER_TO_INT (data));
  g_assert_true (capa_session_get_loaded (fixture->session));

  listing = session_listing (fixture->session);
  g_assert_cmpstr (listing, ==, CAPTURE_ORDER);
  g_assert_cmpuint (fixture->n_added_items, ==, 8);
}

/* The session's order agrees with CapaImage:capture-time. */
static void
test_load_capture_time_agrees (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) previous = NULL;
  GListModel *model = G_LIST_MODEL (fixture->session);

  make_capture_folder (fixture->directory);
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (model, i);
      GDateTime *time;

      if (g_str_has_suffix (capa_image_get_filename (image), ".png") ||
          g_str_has_suffix (capa_image_get_filename (image), ".nef"))
        continue;   /* not images CapaImage can read */

      g_assert_true (capa_image_load_metadata (image, NULL, &error));
      g_assert_no_error (error);
      time = capa_image_get_capture_time (image);
      g_assert_nonnull (time);
      if (previous != NULL)
        g_assert_cmpint (g_date_time_compare (previous, time), <=, 0);
      g_clear_pointer (&previous, g_date_time_unref);
      previous = g_date_time_ref (time);
    }
}

static guint
position_of (CapaSession *session,
             CapaImage   *image)
{
  GListModel *model = G_LIST_MODEL (session);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CapaImage) item = g_list_model_get_item (model, i);

      if (item == image)
        return i;
    }
  g_assert_not_reached ();
}

/* Images saved or added later go to their place by capture time too. */
static void
test_added_at_capture_time (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outside = g_build_filename (fixture->tmpdir, "early.jpg", NULL);
  g_autofree char *inside = g_build_filename (fixture->directory, "early.jpg", NULL);
  g_autofree char *source = g_build_filename (fixture->tmpdir, "source.jpg", NULL);
  g_autoptr(GBytes) tiff = capa_test_make_exif_date ("2026:01:01 11:00:00");
  g_autoptr(GBytes) tiff_early = capa_test_make_exif_date ("2025:06:01 08:00:00");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CapaImage) saved = NULL;
  g_autoptr(CapaImage) saved_async = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  make_capture_folder (fixture->directory);
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);

  /* Saved now, taken between b.jpg and c.jpg. */
  capa_test_write_exif_jpeg (source, tiff);
  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

  saved = capa_session_save_bytes (fixture->session, "DSC_0001.JPG", bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (position_of (fixture->session, saved), ==, 3);

  capa_session_save_bytes_async (fixture->session, "DSC_0002.JPG", bytes, NULL,
                                 on_async_done_cb, fixture);
  saved_async = capa_session_save_bytes_finish (fixture->session, wait_for_result (fixture),
                                                &error);
  g_assert_no_error (error);
  /* Same capture time: after the first save, by name. */
  g_assert_cmpuint (position_of (fixture->session, saved_async), ==, 4);
  g_assert_cmpuint (position_of (fixture->session, saved), ==, 3);

  /* A random file saved now has no EXIF: it sorts by now, at the end. */
  {
    g_autoptr(GBytes) noise = random_bytes (1000);
    g_autoptr(CapaImage) plain = capa_session_save_bytes (fixture->session, "DSC_0003.JPG",
                                                          noise, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (position_of (fixture->session, plain), ==, 10);
  }

  /* Another program moves in an older shot, with a recent mtime. */
  fixture->changed = FALSE;
  g_ptr_array_set_size (fixture->added, 0);
  capa_test_write_exif_jpeg (outside, tiff_early);
  g_assert_cmpint (g_rename (outside, inside), ==, 0);
  wait_for_change (fixture);
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_cmpstr (last_name (fixture->added), ==, "early.jpg");
  g_assert_cmpuint (position_of (fixture->session, g_ptr_array_index (fixture->added, 0)), ==, 1);
}

/* --- watching --- */

static void
wait_for_change (Fixture *fixture)
{
  g_assert_true (capa_test_wait_for (&fixture->changed, 10000));
  fixture->changed = FALSE;
}

static const char *
last_name (GPtrArray *images)
{
  g_assert_cmpuint (images->len, >, 0);
  return strrchr (capa_image_get_filename (g_ptr_array_index (images, images->len - 1)), '/') + 1;
}

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean entered;      /* the worker read gone.jpg and waits */
  gboolean released;
  gboolean used;         /* the main context used that read */
} HeldRead;

static void
hold_read_hook (const char *name,
                gboolean    used,
                gpointer    data)
{
  HeldRead *held = data;

  if (!g_str_equal (name, "gone.jpg"))
    return;

  if (used)
    {
      held->used = TRUE;
      return;
    }

  g_mutex_lock (&held->mutex);
  held->entered = TRUE;
  g_cond_broadcast (&held->cond);
  while (!held->released)
    g_cond_wait (&held->cond, &held->mutex);
  g_mutex_unlock (&held->mutex);
}

static void
on_test_monitor_changed_cb (GFileMonitor      *monitor,
                            GFile             *file,
                            GFile             *other_file,
                            GFileMonitorEvent  event,
                            gpointer           data)
{
  g_autofree char *name = g_file_get_basename (file);

  if (event == G_FILE_MONITOR_EVENT_DELETED && g_str_equal (name, "gone.jpg"))
    *(gboolean *) data = TRUE;
}

static gboolean
held_entered (HeldRead *held)
{
  gboolean entered;

  g_mutex_lock (&held->mutex);
  entered = held->entered;
  g_mutex_unlock (&held->mutex);
  return entered;
}

static void
test_monitor_deleted_while_read (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autofree char *gone = g_build_filename (fixture->directory, "gone.jpg", NULL);
  HeldRead held = { 0 };
  gboolean deleted = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  g_assert_true (capa_session_load (fixture->session, NULL, &error));
  g_assert_no_error (error);
  folder = g_file_new_for_path (fixture->directory);
  monitor = g_file_monitor_directory (folder, G_FILE_MONITOR_NONE, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (monitor, "changed", G_CALLBACK (on_test_monitor_changed_cb), &deleted);

  g_mutex_init (&held.mutex);
  g_cond_init (&held.cond);
  _capa_testing_session_set_read_hook (hold_read_hook, &held);

  /* Another program writes a picture; the session reads it... */
  g_assert_true (g_file_set_contents (gone, "picture", -1, NULL));
  for (guint i = 0; i < 600 && !held_entered (&held); i++)
    {
      gboolean tick = FALSE;

      capa_test_wait_for (&tick, 50);
    }
  g_assert_true (held_entered (&held));

  /* ... and, while it does, the picture is deleted, and the deletion seen. */
  g_assert_cmpint (g_unlink (gone), ==, 0);
  g_assert_true (capa_test_wait_for (&deleted, 30000));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_mutex_lock (&held.mutex);
  held.released = TRUE;
  g_cond_broadcast (&held.cond);
  g_mutex_unlock (&held.mutex);
  g_assert_true (capa_test_wait_for (&held.used, 30000));

  /* The read came back after the deletion: nothing is added. */
  g_assert_cmpuint (fixture->added->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 0);

  _capa_testing_session_set_read_hook (NULL, NULL);
  g_mutex_clear (&held.mutex);
  g_cond_clear (&held.cond);
}

static void
test_monitor (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->directory, "other.jpg", NULL);
  g_autofree char *slow = g_build_filename (fixture->directory, "slow.png", NULL);
  g_autofree char *outside = g_build_filename (fixture->tmpdir, "moved.png", NULL);
  g_autofree char *outside_in = g_build_filename (fixture->tmpdir, "in.jpg", NULL);
  g_autofree char *inside = g_build_filename (fixture->directory, "in.jpg", NULL);
  g_autofree char *renamed = g_build_filename (fixture->directory, "renamed.NEF", NULL);
  g_autofree char *listing = NULL;
  FILE *file;

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  /* Read on a worker, the folder is watched from a worker too: the
   * monitor's events still come to this thread. */
  load_session (fixture, GPOINTER_TO_INT (data));

  /* Files that are not images are never added. */
  make_file (fixture->directory, ".capa-deadbeef.tmp", 0);
  make_file (fixture->directory, "notes.txt", 0);
  make_file (fixture->directory, ".hidden.jpg", 0);

  /* Written by another program in one go (a temporary file renamed). */
  g_assert_true (g_file_set_contents (other, "other", -1, NULL));
  wait_for_change (fixture);
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_cmpstr (last_name (fixture->added), ==, "other.jpg");

  /* Written in several steps. */
  file = fopen (slow, "wb");
  g_assert_nonnull (file);
  fputs ("part one", file);
  fflush (file);
  fputs ("part two", file);
  fclose (file);
  wait_for_change (fixture);
  g_assert_cmpuint (fixture->added->len, ==, 2);
  g_assert_cmpstr (last_name (fixture->added), ==, "slow.png");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 2);

  /* Deleted. */
  g_assert_cmpint (g_unlink (other), ==, 0);
  wait_for_change (fixture);
  g_assert_cmpuint (fixture->removed->len, ==, 1);
  g_assert_cmpstr (last_name (fixture->removed), ==, "other.jpg");

  /* Moved out, moved in, renamed. */
  g_assert_cmpint (g_rename (slow, outside), ==, 0);
  wait_for_change (fixture);
  g_assert_cmpuint (fixture->removed->len, ==, 2);
  g_assert_cmpstr (last_name (fixture->removed), ==, "slow.png");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 0);

  make_file (fixture->tmpdir, "in.jpg", 0);
  g_assert_cmpint (g_rename (outside_in, inside), ==, 0);
  wait_for_change (fixture);
  g_assert_cmpuint (fixture->added->len, ==, 3);
  g_assert_cmpstr (last_name (fixture->added), ==, "in.jpg");

  g_assert_cmpint (g_rename (inside, renamed), ==, 0);
  wait_for_change (fixture);
  if (fixture->added->len == 3)
    wait_for_change (fixture);
  g_assert_cmpuint (fixture->removed->len, ==, 3);
  g_assert_cmpuint (fixture->added->len, ==, 4);
  g_assert_cmpstr (last_name (fixture->added), ==, "renamed.NEF");

  listing = session_listing (fixture->session);
  g_assert_cmpstr (listing, ==, "renamed.NEF");
}

static void
test_monitor_own_save_once (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = random_bytes (50000);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(CapaImage) image2 = NULL;
  g_autofree char *listing = NULL;

  capa_session_load_async (fixture->session, NULL, on_async_done_cb, fixture);
  g_assert_true (capa_session_load_finish (fixture->session, wait_for_result (fixture), &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->result);

  capa_session_set_filename_pattern (fixture->session, "%f");
  capa_session_save_bytes_async (fixture->session, "one.jpg", bytes, NULL,
                                 on_async_done_cb, fixture);
  image = capa_session_save_bytes_finish (fixture->session, wait_for_result (fixture), &error);
  g_assert_no_error (error);
  image2 = capa_session_save_bytes (fixture->session, "two.jpg", bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->added->len, ==, 2);

  /* Give the folder monitor time to report both files. */
  spin (2500);

  g_assert_cmpuint (fixture->added->len, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->session)), ==, 2);
  listing = session_listing (fixture->session);
  g_assert_cmpstr (listing, ==, "one.jpg two.jpg");
  g_assert_cmpuint (fixture->removed->len, ==, 0);
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
  ADD ("save/from-thread", test_save_from_thread);
  ADD ("save/collision", test_save_collision);
  ADD ("save/never-overwrites", test_save_never_overwrites);
  ADD ("save/repeated-names", test_save_repeated_names);
  ADD ("save/hostile-names", test_save_hostile_names);
  ADD ("save/fails-not-a-folder", test_save_fails_not_a_folder);
  ADD ("save/fails-read-only", test_save_fails_read_only);
  ADD ("save/fails-too-large", test_save_fails_too_large);
  ADD ("save/cancelled", test_save_cancelled);
  ADD ("save/no-data", test_save_no_data);
  ADD ("save/camera-file", test_save_camera_file);
  ADD ("save/place-methods", test_place_methods);
  ADD ("save/written", test_save_written);
  ADD ("save/written-fails", test_save_written_fails);
  ADD ("save/written-cancelled", test_save_written_cancelled);
  ADD ("save/written-empty", test_save_written_empty);
  ADD ("sequence-continues", test_sequence_continues);
  g_test_add ("/Capa/Session/sequence-continues-async", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_sequence_continues, fixture_tear_down);
  ADD ("sequence-pattern-changed-while-loading", test_sequence_pattern_changed_while_loading);
  ADD ("sequence-without-loading", test_sequence_without_loading);
  ADD ("filename-pattern", test_filename_pattern_property);
  g_test_add ("/Capa/Session/load/mixed", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_load_mixed, fixture_tear_down);
  g_test_add ("/Capa/Session/load/mixed-async", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_load_mixed, fixture_tear_down);
  ADD ("load/missing-folder", test_load_missing_folder);
  ADD ("load/twice", test_load_twice);
  ADD ("load/cancelled", test_load_cancelled);
  ADD ("load/not-a-folder", test_load_not_a_folder);
  ADD ("load/many", test_load_many);
  ADD ("model/peek-and-has", test_peek_and_has);
  g_test_add ("/Capa/Session/load/unsorted-batches", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_load_unsorted_batches, fixture_tear_down);
  g_test_add ("/Capa/Session/load/unsorted-batches-async", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_load_unsorted_batches, fixture_tear_down);
  g_test_add ("/Capa/Session/load/capture-time", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_load_capture_time, fixture_tear_down);
  g_test_add ("/Capa/Session/load/capture-time-async", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_load_capture_time, fixture_tear_down);
  ADD ("load/capture-time-agrees", test_load_capture_time_agrees);
  ADD ("monitor/capture-time", test_added_at_capture_time);
  ADD ("monitor/other-programs", test_monitor);
  g_test_add ("/Capa/Session/monitor/other-programs-async", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_monitor, fixture_tear_down);
  ADD ("monitor/own-save-once", test_monitor_own_save_once);
  ADD ("monitor/deleted-while-read", test_monitor_deleted_while_read);
  g_test_add_func ("/Capa/Session/relative-directory", test_relative_directory);

#undef ADD

  return g_test_run ();
}
