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
 * does: whatever exiv2 does there, Capa gets a clear error.  One reader
 * process serves the requests of the whole process, one at a time, and is
 * started again after a crash: the cost is a round trip on a socket per
 * image whose metadata is read (on a worker thread, when it is shown),
 * not a process start.  Listing a session reads capture times with Capa's
 * own reader, without exiv2 (_capa_image_read_capture_time()).
 * See docs/architecture.md, "Untrusted files". */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <libraw/libraw.h>

#include "capa-filename-private.h"
#include "capa-image-private.h"
#include "capa-testing-private.h"

/* How long the helper may take on one file before it is stopped: far more
 * than exiv2 needs on any real photograph, even on a loaded machine. */
#define READER_TIMEOUT_SECONDS 30

/* As much of a file as is read for its content type. */
#define SNIFF_LENGTH 4096

/* The status byte of the reader's replies (see capa-metadata-reader.c). */
#define READER_REPLY_OK         0
#define READER_REPLY_UNREADABLE 2

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

/* One reader process serves every request of the process, one at a time
 * (exiv2 reads a JPEG in about a millisecond; starting it takes ten). */
static struct
{
  GMutex       lock;
  GSubprocess *process;     /* NULL when none runs */
  int          socket_fd;   /* our end of its socket, or -1 */
  gint64       last_used;   /* monotonic, µs */
} reader = { .socket_fd = -1 };

/* It leaves after a minute without requests: start another well before. */
#define READER_IDLE_RESTART_US (45 * G_USEC_PER_SEC)
/* No reply is bigger than a file's metadata: past this it is garbage. */
#define READER_MAX_REPLY (128 * 1024 * 1024)

static void
reader_stop_locked (void)
{
  if (reader.process != NULL)
    {
      /* GSubprocess reaps it. */
      g_subprocess_force_exit (reader.process);
      g_clear_object (&reader.process);
    }
  if (reader.socket_fd >= 0)
    {
      close (reader.socket_fd);
      reader.socket_fd = -1;
    }
}

static gboolean
reader_start_locked (GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *path = dup_reader_path ();
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  /* Its standard output is unused; GLib logs debug messages there. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  reader.process = g_subprocess_launcher_spawn (launcher, error, path, "3", NULL);
  if (reader.process == NULL)
    {
      close (fds[0]);
      g_prefix_error (error, _("Capa’s metadata reader cannot be started, reinstall Capa: "));
      return FALSE;
    }

  reader.socket_fd = fds[0];
  return TRUE;
}

static gboolean
send_request (int fd)
{
  union {
    char           buffer[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct msghdr message = { 0 };
  struct cmsghdr *header;
  struct iovec iov;
  char byte = 'r';
  gssize n;

  memset (&control, 0, sizeof control);
  iov.iov_base = &byte;
  iov.iov_len = 1;
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control.buffer;
  message.msg_controllen = sizeof control.buffer;
  header = CMSG_FIRSTHDR (&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (header), &fd, sizeof fd);

  do
    n = sendmsg (reader.socket_fd, &message, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);

  return n == 1;
}

typedef enum {
  RECEIVED,
  RECEIVE_ENDED,       /* the reader closed the socket: it crashed */
  RECEIVE_TIMED_OUT,
  RECEIVE_CANCELLED,
} ReceiveResult;

static ReceiveResult
receive_exact (void         *buffer,
               gsize         length,
               gint64        deadline,
               GCancellable *cancellable)
{
  GPollFD fds[2] = { { .fd = reader.socket_fd, .events = G_IO_IN } };
  guint n_fds = g_cancellable_make_pollfd (cancellable, &fds[1]) ? 2 : 1;
  guint8 *p = buffer;
  ReceiveResult result = RECEIVED;

  while (length > 0)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      gssize n;

      if (left <= 0)
        {
          result = RECEIVE_TIMED_OUT;
          break;
        }
      if (g_poll (fds, n_fds, (int) MIN (left / 1000 + 1, G_MAXINT)) < 0 && errno != EINTR)
        {
          result = RECEIVE_ENDED;
          break;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          result = RECEIVE_CANCELLED;
          break;
        }
      if (fds[0].revents == 0)
        continue;

      n = recv (reader.socket_fd, p, length, 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        {
          result = RECEIVE_ENDED;
          break;
        }
      p += n;
      length -= (gsize) n;
    }

  if (n_fds == 2)
    g_cancellable_release_fd (cancellable);
  return result;
}

/* Reads the EXIF of @fd through the reader.  Returns its a{sv}
 * (nullable: when exiv2 cannot read the file, which is no error), or
 * FALSE with @error set when the reader crashed on it, took too long, was
 * cancelled or could not be started. */
static gboolean
run_reader (int            fd,
            GVariant     **result,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&reader.lock);
  g_autofree guint8 *data = NULL;
  ReceiveResult received;
  guint8 head[5];
  guint32 length = 0;
  gint64 deadline;

  *result = NULL;

  if (reader.process != NULL &&
      g_get_monotonic_time () - reader.last_used > READER_IDLE_RESTART_US)
    reader_stop_locked ();

  if (reader.process == NULL && !reader_start_locked (error))
    return FALSE;

  if (!send_request (fd))
    {
      /* It had gone (killed from outside?): once more with a new one. */
      reader_stop_locked ();
      if (!reader_start_locked (error))
        return FALSE;
      if (!send_request (fd))
        {
          reader_stop_locked ();
          g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_FAILED,
                               _("Capa’s metadata reader does not answer, reinstall Capa"));
          return FALSE;
        }
    }

  deadline = g_get_monotonic_time () + READER_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  received = receive_exact (head, sizeof head, deadline, cancellable);
  if (received == RECEIVED)
    {
      memcpy (&length, head + 1, sizeof length);
      if (length > READER_MAX_REPLY)
        received = RECEIVE_ENDED;
      else if (length > 0)
        {
          data = g_malloc (length);
          received = receive_exact (data, length, deadline, cancellable);
        }
    }

  reader.last_used = g_get_monotonic_time ();

  switch (received)
    {
    case RECEIVED:
      break;

    case RECEIVE_TIMED_OUT:
      reader_stop_locked ();
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("Reading its metadata took more than %d seconds: the file may be damaged"),
                   READER_TIMEOUT_SECONDS);
      return FALSE;

    case RECEIVE_CANCELLED:
      /* Half a reply may still come: start afresh next time. */
      reader_stop_locked ();
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return FALSE;

    case RECEIVE_ENDED:
    default:
      reader_stop_locked ();
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The image’s metadata is damaged and cannot be read"));
      return FALSE;
    }

  if (head[0] == READER_REPLY_UNREADABLE)
    {
      /* The reader leaves after such a file (see capa-metadata-reader.c). */
      reader_stop_locked ();
      return TRUE;
    }
  if (head[0] != READER_REPLY_OK)
    {
      reader_stop_locked ();
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The image’s metadata is damaged and cannot be read"));
      return FALSE;
    }

  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), length);

    *result = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes,
                                                            FALSE));
  }
  return TRUE;
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
  struct stat st;

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

  /* The modification time and the content type from the descriptor and
   * the first bytes: asking GIO would open the file by name again. */
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }
  {
    g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_local (st.st_mtim.tv_sec);

    if (seconds != NULL)
      mtime = g_date_time_add (seconds, st.st_mtim.tv_nsec / 1000);
  }

  {
    g_autoptr(GInputStream) base = g_unix_input_stream_new (fd, FALSE);

    stream = g_buffered_input_stream_new_sized (base, 64 * 1024);
  }
  if (g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (stream), SNIFF_LENGTH, cancellable,
                                    error) < 0)
    return NULL;
  magic = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (stream), &n_read);

  {
    g_autofree char *content_type = g_content_type_guess (filename, magic, n_read, NULL);

    if (content_type != NULL)
      metadata->mime_type = g_content_type_get_mime_type (content_type);
  }

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

/* Testing API (capa-testing-private.h). */
guint
_capa_testing_image_get_n_colour_profiles_made (void)
{
  return (guint) g_atomic_int_get (&n_colour_profiles_made);
}
