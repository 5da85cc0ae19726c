/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Hostile files through CapaImage, its header readers and the
 * thumbnailer: FIFOs, a link to /dev/zero, a file past the size limit, a
 * folder with an image's name, DNGs that crash exiv2, a JPEG of 8 MiB of
 * fill bytes, a tiny JPEG claiming 16384×16384.  Each case runs in a
 * subprocess with a time limit, so that a hang or a crash fails the case
 * instead of the suite. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "capa-image-private.h"
#include "capa-test-utils.h"

/* A guard against hangs only: the cases take well under a second. */
#define CASE_TIMEOUT (60 * G_USEC_PER_SEC)

typedef void (*CaseFunc) (const char *folder);

/* Runs @data (a CaseFunc) in a subprocess, in a temporary folder. */
static void
run_trapped (gconstpointer data)
{
  CaseFunc func = (CaseFunc) data;

  if (g_test_subprocess ())
    {
      g_autofree char *folder = capa_test_make_tmpdir ("hostile");

      func (folder);
      capa_test_rmtree (folder);
      return;
    }

  g_test_trap_subprocess (NULL, CASE_TIMEOUT,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static char *
make_fifo (const char *folder,
           const char *name)
{
  char *path = g_build_filename (folder, name, NULL);

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  return path;
}

static GBytes *
read_test_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
assert_pixbuf_error (const char *path,
                     GQuark      domain,
                     int         code)
{
  g_autoptr(CapaImage) image = capa_image_new (path);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = capa_image_load_pixbuf (image, -1, -1, NULL, &error);
  g_assert_error (error, domain, code);
  g_assert_null (pixbuf);
  g_test_message ("%s: %s", path, error->message);
}

static void
assert_metadata_error (const char *path,
                       GQuark      domain,
                       int         code)
{
  g_autoptr(CapaImage) image = capa_image_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (capa_image_load_metadata (image, NULL, &error));
  g_assert_error (error, domain, code);
  g_test_message ("%s: %s", path, error->message);
}

/* ---- FIFOs ---- */

static void
case_fifo_sync (const char *folder)
{
  static const char *names[] = { "x.jpg", "x.png", "x.tiff", "x.dng" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = make_fifo (folder, names[i]);

      assert_pixbuf_error (path, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      assert_metadata_error (path, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_null (_capa_image_read_capture_time (path));
    }
}

/* An ICC profile chosen in the preferences is read the same way. */
static void
case_fifo_icc (const char *folder)
{
  g_autofree char *path = make_fifo (folder, "monitor.icc");
  g_autoptr(CapaColourProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = capa_colour_profile_new_from_file (path, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_assert_null (profile);
}

/* The async form calls back, cancelled or not. */
static void
case_fifo_async_cancel (const char *folder)
{
  g_autofree char *path = make_fifo (folder, "x.jpg");
  g_autoptr(CapaImage) image = capa_image_new (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };

  capa_image_load_pixbuf_async (image, 256, 256, cancellable, capa_test_async_done_cb, &wait);
  /* Give the worker the time to start on it (it blocked in open() for
   * ever), then cancel: the callback must come all the same. */
  capa_test_wait_for (&wait.done, 500);
  g_cancellable_cancel (cancellable);
  g_assert_true (capa_test_wait_for (&wait.done, 50 * 1000));

  pixbuf = capa_image_load_pixbuf_finish (image, wait.result, &error);
  g_assert_null (pixbuf);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  capa_test_async_clear (&wait);
}

typedef struct
{
  guint      n_done;
  GdkPixbuf *pixbuf;   /* the real image's thumbnail */
  GError    *errors[2];
} ThumbnailWait;

static void
on_thumbnail_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ThumbnailWait *wait = user_data;
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = capa_thumbnailer_load_finish (CAPA_THUMBNAILER (object), result, &error);
  if (pixbuf != NULL)
    {
      g_assert_null (wait->pixbuf);
      wait->pixbuf = pixbuf;
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_null (wait->errors[1]);
      wait->errors[wait->errors[0] == NULL ? 0 : 1] = error;
    }
  wait->n_done++;
}

/* Two FIFOs ahead of an image must not starve the thumbnailer's pool. */
static void
case_fifo_thumbnailer (const char *folder)
{
  g_autofree char *first = make_fifo (folder, "a.jpg");
  g_autofree char *second = make_fifo (folder, "b.png");
  g_autofree char *real = g_build_filename (folder, "c.jpg", NULL);
  g_autoptr(CapaThumbnailer) thumbnailer = capa_thumbnailer_new (1024 * 1024);
  g_autoptr(GBytes) jpeg = read_test_file ("camera.jpg");
  g_autoptr(GError) error = NULL;
  ThumbnailWait wait = { 0 };

  g_file_set_contents (real, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &error);
  g_assert_no_error (error);

  capa_thumbnailer_load_async (thumbnailer, first, CAPA_THUMBNAIL_SIZE_NORMAL, 0, NULL,
                               on_thumbnail_cb, &wait);
  capa_thumbnailer_load_async (thumbnailer, second, CAPA_THUMBNAIL_SIZE_NORMAL, 0, NULL,
                               on_thumbnail_cb, &wait);
  capa_thumbnailer_load_async (thumbnailer, real, CAPA_THUMBNAIL_SIZE_NORMAL, 0, NULL,
                               on_thumbnail_cb, &wait);

  /* Before, the two FIFOs blocked both workers in open() for ever. */
  while (wait.n_done < 3)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (wait.pixbuf);
  for (guint i = 0; i < 2; i++)
    {
      g_test_message ("FIFO thumbnail: %s", wait.errors[i]->message);
      g_assert_error (wait.errors[i], G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_clear_error (&wait.errors[i]);
    }
  g_clear_object (&wait.pixbuf);
}

/* ---- devices, size, folders ---- */

static void
case_dev_zero (const char *folder)
{
  g_autofree char *path = g_build_filename (folder, "z.jpg", NULL);

  g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);

  assert_pixbuf_error (path, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  assert_metadata_error (path, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_null (_capa_image_read_capture_time (path));
}

/* A sparse file one byte past the limit: refused before anything is read. */
static void
case_too_large (const char *folder)
{
  static const char *names[] = { "big.jpg", "big.dng" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (folder, names[i], NULL);
      int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, "\xff\xd8\xff", 3), ==, 3);
      if (ftruncate (fd, (off_t) CAPA_IMAGE_MAX_FILE_SIZE + 1) != 0)
        {
          g_test_skip ("This file system has no sparse files");
          g_close (fd, NULL);
          return;
        }
      g_close (fd, NULL);

      assert_pixbuf_error (path, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_TOO_LARGE);
      assert_metadata_error (path, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_TOO_LARGE);
    }
}

static void
case_folder (const char *folder)
{
  static const char *names[] = { "x.dng", "x.jpg" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (folder, names[i], NULL);
      g_autoptr(CapaImage) image = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);

      image = capa_image_new (path);
      pixbuf = capa_image_load_pixbuf (image, -1, -1, NULL, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
      g_assert_nonnull (strstr (error->message, "folder"));
      g_clear_error (&error);

      assert_metadata_error (path, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
    }
}

/* Reading is cancelled between chunks. */
static void
case_read_cancelled (const char *folder)
{
  g_autofree char *path = g_build_filename (folder, "x.jpg", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *zeros = g_malloc0 (1024 * 1024);

  g_file_set_contents (path, zeros, 1024 * 1024, &error);
  g_assert_no_error (error);

  bytes = _capa_image_read_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 1024 * 1024);
  g_clear_pointer (&bytes, g_bytes_unref);

  g_cancellable_cancel (cancellable);
  bytes = _capa_image_read_file (path, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (bytes);
}

/* ---- exiv2 ---- */

static char *
copy_test_file (const char *folder,
                const char *name,
                const char *as)
{
  g_autoptr(GBytes) bytes = read_test_file (name);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (folder, as, NULL);

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

/* After a file the metadata reader crashed on (or left after), the next
 * one is read by a new reader. */
static void
assert_reader_still_works (const char *folder)
{
  static const CapaTestExifTag ifd0[] = { { 0x0110, "Capa Hostile" }, { 0, NULL } };
  g_autoptr(GBytes) tiff = capa_test_make_tiff (FALSE, ifd0, NULL);
  g_autofree char *path = g_build_filename (folder, "good.jpg", NULL);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  capa_test_write_exif_jpeg (path, tiff);
  image = capa_image_new (path);
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (capa_image_get_camera_model (image), ==, "Capa Hostile");
}

/* exiv2 throws while opening it; gexiv2 0.14 then double-frees the
 * GExiv2Metadata when it is unreffed. */
static void
case_exiv2_strip_offsets (const char *folder)
{
  g_autofree char *path = copy_test_file (folder, "hostile/strip-offsets-rational.dng", "a.dng");
  g_autoptr(CapaImage) image = capa_image_new (path);
  g_autoptr(GError) error = NULL;

  /* exiv2 cannot read it; libraw can: the sensor's size, no EXIF. */
  capa_image_load_metadata (image, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (capa_image_get_width (image), >, 0);
  g_assert_cmpint (capa_image_get_height (image), >, 0);

  assert_reader_still_works (folder);
}

/* exiv2's PreviewManager throws std::overflow_error, which gexiv2 does
 * not catch: std::terminate. */
static void
case_exiv2_strip_byte_counts (const char *folder)
{
  g_autofree char *path = copy_test_file (folder, "hostile/strip-byte-counts-overflow.dng",
                                          "b.dng");

  assert_metadata_error (path, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);
  assert_reader_still_works (folder);
  /* Again: the crash is not remembered, nor is the new reader harmed. */
  assert_metadata_error (path, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);
  assert_reader_still_works (folder);
}

/* ---- JPEG ---- */

/* An input stream that counts the read calls made on it. */
#define TYPE_COUNTING_STREAM (test_counting_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingStream, test_counting_stream, TEST, COUNTING_STREAM,
                      GFilterInputStream)

struct _TestCountingStream
{
  GFilterInputStream parent_instance;
  guint              n_reads;
};

G_DEFINE_FINAL_TYPE (TestCountingStream, test_counting_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
test_counting_stream_read (GInputStream  *stream,
                      void          *buffer,
                      gsize          count,
                      GCancellable  *cancellable,
                      GError       **error)
{
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));

  TEST_COUNTING_STREAM (stream)->n_reads++;
  return g_input_stream_read (base, buffer, count, cancellable, error);
}

static void
test_counting_stream_class_init (TestCountingStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_counting_stream_read;
}

static void
test_counting_stream_init (TestCountingStream *self)
{
}

/* camera.jpg with @n_fill fill bytes before its first marker after SOI. */
static GBytes *
make_filled_jpeg (gsize n_fill)
{
  g_autoptr(GBytes) jpeg = read_test_file ("camera.jpg");
  const guint8 *data = g_bytes_get_data (jpeg, NULL);
  gsize length = g_bytes_get_size (jpeg);
  guint8 *out = g_malloc (length + n_fill);

  memcpy (out, data, 2);
  memset (out + 2, 0xFF, n_fill);
  memcpy (out + 2 + n_fill, data + 2, length - 2);
  return g_bytes_new_take (out, length + n_fill);
}

static void
read_header_counting (GBytes  *jpeg,
                      guint   *n_reads,
                      GError **error)
{
  g_autoptr(GInputStream) memory = g_memory_input_stream_new_from_bytes (jpeg);
  g_autoptr(TestCountingStream) counting = g_object_new (TYPE_COUNTING_STREAM,
                                                     "base-stream", memory, NULL);
  int width = 0, height = 0;

  _capa_image_read_jpeg_header (G_INPUT_STREAM (counting), &width, &height, NULL, NULL, error);
  *n_reads = counting->n_reads;
}

static void
case_jpeg_fill_bytes (const char *folder)
{
  g_autoptr(GBytes) few = make_filled_jpeg (100);
  g_autoptr(GBytes) many = make_filled_jpeg (8 * 1024 * 1024);
  g_autofree char *path = g_build_filename (folder, "fill.jpg", NULL);
  g_autoptr(GError) error = NULL;
  guint n_reads = 0;

  /* A few fill bytes are allowed, and read through a buffer. */
  read_header_counting (few, &n_reads, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_reads, <=, 4);

  /* 8 MiB of them: refused after a few reads, not one read per byte. */
  read_header_counting (many, &n_reads, &error);
  g_assert_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);
  g_assert_cmpuint (n_reads, <=, 4);
  g_clear_error (&error);

  /* Through the public API too (and the helper never sees it). */
  g_file_set_contents (path, g_bytes_get_data (many, NULL), g_bytes_get_size (many), &error);
  g_assert_no_error (error);
  assert_metadata_error (path, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);
}

/* 1,042 bytes whose frame header claims 16384×16384: libjpeg would fill
 * 268 million pixels with grey. */
static void
case_jpeg_huge_frame (const char *folder)
{
  g_autofree char *path = copy_test_file (folder, "hostile/huge-frame.jpg", "huge.jpg");
  g_autoptr(CapaImage) image = capa_image_new (path);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  assert_pixbuf_error (path, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);

  pixbuf = capa_image_load_pixbuf (image, 256, 256, NULL, &error);
  g_assert_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT);
  g_assert_null (pixbuf);
  g_assert_nonnull (strstr (error->message, "cut short"));
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *path;
    CaseFunc    func;
  } cases[] = {
    { "/hostile/fifo/sync", case_fifo_sync },
    { "/hostile/fifo/async-cancel", case_fifo_async_cancel },
    { "/hostile/fifo/icc", case_fifo_icc },
    { "/hostile/fifo/thumbnailer", case_fifo_thumbnailer },
    { "/hostile/dev-zero", case_dev_zero },
    { "/hostile/too-large", case_too_large },
    { "/hostile/folder", case_folder },
    { "/hostile/read-cancelled", case_read_cancelled },
    { "/hostile/exiv2/strip-offsets-rational", case_exiv2_strip_offsets },
    { "/hostile/exiv2/strip-byte-counts-overflow", case_exiv2_strip_byte_counts },
    { "/hostile/jpeg/fill-bytes", case_jpeg_fill_bytes },
    { "/hostile/jpeg/huge-frame", case_jpeg_huge_frame },
  };

  capa_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, (gconstpointer) cases[i].func, run_trapped);

  return g_test_run ();
}
