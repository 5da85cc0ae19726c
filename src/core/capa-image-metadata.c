/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Reading the metadata of an image file for CapaImage: the pixel size and
 * ICC profile from Capa's own header readers, the EXIF through gexiv2 in
 * the capa-metadata-reader helper process, the size of RAW files through
 * libraw.
 *
 * Why a helper process: exiv2 crashes on some hostile files (C++
 * exceptions gexiv2 does not catch end the process through
 * std::terminate; gexiv2 0.14 double-frees a GExiv2Metadata whose opening
 * failed).  Checking the TIFF structure before exiv2 sees a file would
 * only keep out the faults already known, not the next one in exiv2's
 * many parsers (maker notes, XMP, ICC, previews).  A process of its own
 * does: whatever exiv2 does there, Capa gets a clear error.  It costs one
 * spawn per image whose metadata is read (a few milliseconds, on a worker
 * thread, when the image is shown), while listing a session reads capture
 * times with Capa's own reader, without exiv2 (_capa_image_read_capture_time()).
 * See docs/architecture.md, "Untrusted files". */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <libraw/libraw.h>

#include "capa-filename-private.h"
#include "capa-image-private.h"

/* How long the helper may take on one file before it is stopped: far more
 * than exiv2 needs on any real photograph, even on a loaded machine. */
#define READER_TIMEOUT_SECONDS 30

/* The helper's exit status when exiv2 cannot read the file. */
#define READER_EXIT_UNREADABLE 2

static guint n_colour_profiles_made;   /* atomic, for tests */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (libraw_data_t, libraw_close)

void
_capa_image_metadata_free (CapaImageMetadata *metadata)
{
  if (metadata == NULL)
    return;

  g_free (metadata->mime_type);
  g_clear_pointer (&metadata->capture_time, g_date_time_unref);
  g_free (metadata->camera_model);
  g_free (metadata->lens);
  g_clear_pointer (&metadata->icc_profile, g_bytes_unref);
  g_clear_object (&metadata->colour_profile);
  g_clear_error (&metadata->colour_error);
  g_free (metadata);
}

/* ---- the helper process ---- */

static char *
dup_reader_path (void)
{
  const char *path = g_getenv ("CAPA_METADATA_READER");

  /* Set by the test suite and `meson devenv` to the one in the build. */
  if (path != NULL && path[0] != '\0')
    return g_strdup (path);

  return g_build_filename (CAPA_LIBEXECDIR, "capa-metadata-reader", NULL);
}

typedef struct
{
  GCancellable *cancellable;   /* cancels communicate: timeout or caller */
  GBytes       *out;
  GBytes       *err;
  GError       *error;
  gboolean      done;
  gboolean      timed_out;
} ReaderRun;

static void
on_reader_communicated_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  ReaderRun *run = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result,
                                   &run->out, &run->err, &run->error);
  run->done = TRUE;
}

static gboolean
on_reader_timeout_cb (gpointer user_data)
{
  ReaderRun *run = user_data;

  run->timed_out = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Runs the helper on @fd.  Returns its a{sv} (nullable: when exiv2
 * cannot read the file, which is no error), or FALSE with @error set
 * when it crashed, took too long or could not be started. */
static gboolean
run_reader (int            fd,
            GVariant     **result,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GCancellable) run_cancellable = g_cancellable_new ();
  g_autofree char *reader = dup_reader_path ();
  ReaderRun run = { .cancellable = run_cancellable };
  gulong handler = 0;
  int child_fd;

  *result = NULL;

  child_fd = dup (fd);
  if (child_fd < 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_take_fd (launcher, child_fd, 3);
  process = g_subprocess_launcher_spawn (launcher, error, reader, "3", NULL);
  if (process == NULL)
    {
      g_prefix_error (error, _("Capa’s metadata reader cannot be started, reinstall Capa: "));
      return FALSE;
    }

  g_main_context_push_thread_default (context);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled_cb),
                                     g_object_ref (run_cancellable), g_object_unref);

  timeout = g_timeout_source_new_seconds (READER_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, on_reader_timeout_cb, &run, NULL);
  g_source_attach (timeout, context);

  g_subprocess_communicate_async (process, NULL, run_cancellable,
                                  on_reader_communicated_cb, &run);
  while (!run.done)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_cancellable_disconnect (cancellable, handler);

  if (run.error != NULL)
    {
      /* Stopped (timeout or cancelled) or its pipes failed: end it. */
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }
  else
    {
      g_subprocess_wait (process, NULL, NULL);
    }

  g_main_context_pop_thread_default (context);

  if (run.error != NULL)
    {
      if (run.timed_out)
        {
          g_clear_error (&run.error);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("Reading its metadata took more than %d seconds: "
                         "the file may be damaged"), READER_TIMEOUT_SECONDS);
        }
      else if (g_cancellable_set_error_if_cancelled (cancellable, error))
        g_clear_error (&run.error);
      else
        g_propagate_error (error, g_steal_pointer (&run.error));
      g_clear_pointer (&run.out, g_bytes_unref);
      g_clear_pointer (&run.err, g_bytes_unref);
      return FALSE;
    }

  if (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0)
    {
      *result = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT,
                                                              run.out, FALSE));
    }
  else if (g_subprocess_get_if_exited (process) &&
           g_subprocess_get_exit_status (process) == READER_EXIT_UNREADABLE)
    {
      g_debug ("exiv2 cannot read the file: %.*s", (int) MIN (g_bytes_get_size (run.err), 500),
               (const char *) g_bytes_get_data (run.err, NULL));
    }
  else
    {
      g_debug ("the metadata reader stopped (%s %d): %.*s",
               g_subprocess_get_if_signaled (process) ? "signal" : "status",
               g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process)
                                                      : g_subprocess_get_exit_status (process),
               (int) MIN (g_bytes_get_size (run.err), 2000),
               (const char *) g_bytes_get_data (run.err, NULL));
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The image’s metadata is damaged: it cannot be read"));
    }

  g_clear_pointer (&run.out, g_bytes_unref);
  g_clear_pointer (&run.err, g_bytes_unref);
  return *result != NULL || (error == NULL || *error == NULL);
}

static char *
dup_reader_string (GVariant   *dict,
                   const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (dict, key, "&s", &value) || value[0] == '\0' ||
      !g_utf8_validate (value, -1, NULL))
    return NULL;

  return g_strdup (value);
}

static int
get_reader_int (GVariant   *dict,
                const char *key)
{
  gint32 value = 0;

  if (!g_variant_lookup (dict, key, "i", &value))
    return 0;
  return value;
}

static double
get_reader_double (GVariant   *dict,
                   const char *key)
{
  double value = 0;

  if (!g_variant_lookup (dict, key, "d", &value) || !isfinite (value) || value <= 0)
    return 0;
  return value;
}

static void
apply_exif (CapaImageMetadata *metadata,
            GVariant          *dict)
{
  g_autofree char *date = dup_reader_string (dict, "date");
  g_autoptr(GVariant) icc = NULL;
  int orientation = get_reader_int (dict, "orientation");
  gint32 num = 0, den = 0;

  if (orientation >= CAPA_IMAGE_ORIENTATION_NORMAL &&
      orientation <= CAPA_IMAGE_ORIENTATION_ROTATE_270)
    metadata->orientation = (CapaImageOrientation) orientation;

  if (date != NULL)
    {
      g_autofree char *subsec = dup_reader_string (dict, "subsec");
      g_autofree char *offset = dup_reader_string (dict, "offset");

      metadata->capture_time = _capa_image_make_capture_time (date, subsec, offset);
    }

  metadata->camera_model = dup_reader_string (dict, "model");
  metadata->lens = dup_reader_string (dict, "lens");

  if (g_variant_lookup (dict, "exposure", "(ii)", &num, &den) && num > 0 && den > 0)
    {
      metadata->exposure_num = num;
      metadata->exposure_den = den;
    }

  metadata->f_number = get_reader_double (dict, "f-number");
  metadata->iso = MAX (0, get_reader_int (dict, "iso"));
  metadata->focal_length = get_reader_double (dict, "focal-length");

  icc = g_variant_lookup_value (dict, "icc", G_VARIANT_TYPE_BYTESTRING);
  if (metadata->icc_profile == NULL && icc != NULL && g_variant_get_size (icc) >= 128)
    metadata->icc_profile = g_bytes_new (g_variant_get_data (icc), g_variant_get_size (icc));
}

/* ---- reading ---- */

/* Size and shooting data of a RAW file exiv2 cannot read (or to get the
 * sensor size rather than that of a preview in IFD0). */
static gboolean
read_raw (CapaImageMetadata  *metadata,
          const char         *filename,
          gboolean            only_size,
          GError            **error)
{
  g_autoptr(libraw_data_t) raw = libraw_init (0);
  int code;

  if (raw == NULL)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_FAILED,
                           _("Cannot start the RAW decoder"));
      return FALSE;
    }

  code = libraw_open_file (raw, filename);
  if (code != LIBRAW_SUCCESS)
    {
      if (code == LIBRAW_FILE_UNSUPPORTED)
        g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT,
                             _("The file is not a RAW image Capa can read"));
      else
        g_set_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                     _("The RAW image cannot be read (%s)"), libraw_strerror (code));
      return FALSE;
    }

  metadata->width = raw->sizes.width;
  metadata->height = raw->sizes.height;

  if (only_size)
    return TRUE;

  if (raw->idata.model[0] != '\0')
    metadata->camera_model = g_utf8_make_valid (raw->idata.model, -1);
  if (raw->lens.Lens[0] != '\0')
    metadata->lens = g_utf8_make_valid (raw->lens.Lens, -1);
  if (raw->other.shutter > 0)
    {
      if (raw->other.shutter < 1.0)
        {
          metadata->exposure_num = 1;
          metadata->exposure_den = (int) lround (1.0 / raw->other.shutter);
        }
      else
        {
          metadata->exposure_num = (int) lround (raw->other.shutter * 10);
          metadata->exposure_den = 10;
        }
    }
  if (raw->other.aperture > 0)
    metadata->f_number = raw->other.aperture;
  if (raw->other.iso_speed > 0)
    metadata->iso = (int) lround (raw->other.iso_speed);
  if (raw->other.focal_len > 0)
    metadata->focal_length = raw->other.focal_len;
  if (raw->other.timestamp > 0)
    metadata->capture_time = g_date_time_new_from_unix_local (raw->other.timestamp);

  if (raw->sizes.flip != 0)
    metadata->orientation = _capa_image_orientation_from_libraw_flip (raw->sizes.flip);

  return TRUE;
}


static CapaImageMetadata *
read_metadata_fields (const char    *filename,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(CapaImageMetadata) metadata = g_new0 (CapaImageMetadata, 1);
  g_autoptr(GFile) file = g_file_new_for_path (filename);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GVariant) exif = NULL;
  g_autoptr(GDateTime) mtime = NULL;
  g_auto(CapaImageFd) fd = -1;
  g_autofree char *fd_path = NULL;
  const char *path;
  const guint8 *magic;
  gboolean header_read = FALSE;
  gboolean is_raw;
  goffset size = 0;
  gsize n_read = 0;

  metadata->orientation = CAPA_IMAGE_ORIENTATION_NORMAL;

  /* Only a regular file, opened without blocking: never a FIFO, a device
   * or a folder.  Every reader below reads this one. */
  fd = _capa_image_open_regular (filename, &size, error);
  if (fd < 0)
    return NULL;

  if (size == 0)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_EMPTY,
                           _("The file is empty"));
      return NULL;
    }
  if (!_capa_image_check_file_size (size, error))
    return NULL;

  /* libraw, GdkPixbuf and the helper open files by name: give them the
   * one opened and checked above, whatever the name points to now. */
  if (g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    fd_path = g_strdup_printf ("/proc/self/fd/%d", fd);
  path = fd_path != NULL ? fd_path : filename;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  mtime = g_file_info_get_modification_date_time (info);
  if (g_file_info_get_content_type (info) != NULL)
    metadata->mime_type = g_content_type_get_mime_type (g_file_info_get_content_type (info));

  if (_capa_filename_is_video (filename))
    {
      metadata->capture_time = g_steal_pointer (&mtime);
      if (metadata->mime_type == NULL || !g_str_has_prefix (metadata->mime_type, "video/"))
        {
          g_free (metadata->mime_type);
          metadata->mime_type = g_strdup (_capa_filename_video_mime_type (filename));
        }
      return g_steal_pointer (&metadata);
    }

  /* The pixel size and ICC profile of JPEG and PNG files from their
   * headers: exact, and cheap. */
  {
    g_autoptr(GInputStream) base = g_unix_input_stream_new (fd, FALSE);

    stream = g_buffered_input_stream_new_sized (base, 64 * 1024);
  }
  if (g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (stream), 8, cancellable,
                                    error) < 0)
    return NULL;
  magic = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (stream), &n_read);

  if (n_read >= 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF)
    {
      if (!_capa_image_read_jpeg_header (stream, &metadata->width, &metadata->height,
                                         &metadata->icc_profile, cancellable, error))
        return NULL;
      header_read = TRUE;
      g_free (metadata->mime_type);
      metadata->mime_type = g_strdup ("image/jpeg");
    }
  else if (n_read >= 8 && memcmp (magic, "\x89PNG\r\n\x1a\n", 8) == 0)
    {
      if (!_capa_image_read_png_header (stream, &metadata->width, &metadata->height,
                                        &metadata->icc_profile, cancellable, error))
        return NULL;
      header_read = TRUE;
      g_free (metadata->mime_type);
      metadata->mime_type = g_strdup ("image/png");
    }
  g_clear_object (&stream);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  is_raw = _capa_filename_is_raw (filename);

  if (!run_reader (fd, &exif, cancellable, error))
    return NULL;

  if (exif != NULL)
    {
      g_autofree char *exif_mime = dup_reader_string (exif, "mime-type");

      apply_exif (metadata, exif);

      if (!header_read && exif_mime != NULL)
        {
          g_free (metadata->mime_type);
          metadata->mime_type = g_steal_pointer (&exif_mime);
        }

      if (is_raw)
        {
          /* exiv2 gives the size of IFD0, often a preview: ask libraw. */
          if (!read_raw (metadata, path, TRUE, error))
            return NULL;
        }
      else if (!header_read)
        {
          metadata->width = get_reader_int (exif, "width");
          metadata->height = get_reader_int (exif, "height");
        }
    }
  else
    {
      if (is_raw)
        {
          if (!read_raw (metadata, path, FALSE, error))
            return NULL;
        }
      else if (!header_read)
        {
          GdkPixbufFormat *format;

          format = gdk_pixbuf_get_file_info (path, &metadata->width, &metadata->height);
          if (format == NULL)
            {
              g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT,
                                   _("The file is not in an image format Capa can read"));
              return NULL;
            }
        }
    }

  if (metadata->width <= 0 || metadata->height <= 0)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The image is damaged: its size is missing"));
      return NULL;
    }

  if (is_raw)
    {
      g_free (metadata->mime_type);
      metadata->mime_type = g_strdup (_capa_filename_raw_mime_type (filename));
    }

  if (metadata->capture_time == NULL)
    metadata->capture_time = g_steal_pointer (&mtime);

  return g_steal_pointer (&metadata);
}

/* The colour profile of the pixels: the embedded ICC profile, or sRGB when
 * there is none or it is not an RGB one. Parsed here, on the thread that
 * read the metadata, so the getter only hands it out. */
static void
make_colour_profile (CapaImageMetadata *metadata,
                     const char        *filename)
{
  g_autoptr(CapaColourProfile) profile = NULL;

  g_atomic_int_inc (&n_colour_profiles_made);

  if (metadata->icc_profile != NULL)
    {
      profile = capa_colour_profile_new_from_data (metadata->icc_profile,
                                                   &metadata->colour_error);
      if (profile == NULL)
        return;

      if (capa_colour_profile_get_colour_space (profile) != CAPA_COLOUR_SPACE_RGB)
        {
          g_debug ("%s: ignoring its embedded non-RGB profile", filename);
          g_clear_object (&profile);
        }
    }

  if (profile == NULL)
    profile = capa_colour_profile_new_srgb ();

  metadata->colour_profile = g_steal_pointer (&profile);
}

CapaImageMetadata *
_capa_image_metadata_read (const char    *filename,
                           GCancellable  *cancellable,
                           GError       **error)
{
  CapaImageMetadata *metadata = read_metadata_fields (filename, cancellable, error);

  if (metadata != NULL)
    make_colour_profile (metadata, filename);

  return metadata;
}

guint
_capa_image_get_n_colour_profiles_made (void)
{
  return (guint) g_atomic_int_get (&n_colour_profiles_made);
}
