/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Reading files Capa did not write: an image in a session folder may be
 * anything — a FIFO that blocks whoever opens it, a link to /dev/zero
 * that never ends, a folder, a file still growing.  Every reader of image
 * files opens them here: without blocking, only regular files, reading
 * no more than the size the file had when it was opened (and never more
 * than CAPA_IMAGE_MAX_FILE_SIZE), in chunks, checking the cancellable
 * between them. */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "capa-image-private.h"

/* Reads are made this big, so that a file is read in few calls and the
 * cancellable is checked between them. */
#define READ_CHUNK (256 * 1024)

static void
set_error_from_errno (GError **error,
                      int      saved_errno)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
}

int
_capa_image_open_regular (const char  *filename,
                          goffset     *size,
                          GError     **error)
{
  struct stat st;
  int fd;
  int flags;

  g_return_val_if_fail (filename != NULL, -1);

  /* O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer. */
  do
    fd = open (filename, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      set_error_from_errno (error, errno);
      return -1;
    }

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      set_error_from_errno (error, saved_errno);
      return -1;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_close (fd, NULL);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                           _("It is a folder, not an image file"));
      return -1;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_close (fd, NULL);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("It is not a regular file (a device, a pipe or a socket): "
                             "only image files are read"));
      return -1;
    }

  /* A regular file: reads no longer need to be non-blocking. */
  flags = fcntl (fd, F_GETFL);
  if (flags < 0 || fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      set_error_from_errno (error, saved_errno);
      return -1;
    }

  if (size != NULL)
    *size = st.st_size;

  return fd;
}

gboolean
_capa_image_check_file_size (goffset   size,
                             GError  **error)
{
  if (size > CAPA_IMAGE_MAX_FILE_SIZE)
    {
      g_autofree char *limit = g_format_size_full (CAPA_IMAGE_MAX_FILE_SIZE,
                                                G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_TOO_LARGE,
                   _("The file is larger than %s, more than any image Capa reads"), limit);
      return FALSE;
    }

  return TRUE;
}

GInputStream *
_capa_image_open_stream (const char    *filename,
                         goffset       *size,
                         GError       **error)
{
  g_autoptr(GInputStream) base = NULL;
  goffset file_size = 0;
  int fd;

  fd = _capa_image_open_regular (filename, &file_size, error);
  if (fd < 0)
    return NULL;

  if (size != NULL)
    *size = file_size;

  base = g_unix_input_stream_new (fd, TRUE);
  return g_buffered_input_stream_new_sized (base, 64 * 1024);
}

GBytes *
_capa_image_read_fd (int            fd,
                     goffset        size,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree guint8 *data = NULL;
  gsize n_read = 0;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (size >= 0, NULL);

  if (!_capa_image_check_file_size (size, error))
    return NULL;

  /* No more than the file had when it was opened: one that grows while
   * it is read (or pretends to) is read up to there. */
  data = g_malloc ((gsize) size + 1);
  while (n_read < (gsize) size)
    {
      gsize want = MIN ((gsize) size - n_read, READ_CHUNK);
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      n = read (fd, data + n_read, want);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_error_from_errno (error, errno);
          return NULL;
        }
      if (n == 0)   /* it shrank: what there is */
        break;
      n_read += (gsize) n;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  data[n_read] = 0;
  return g_bytes_new_take (g_steal_pointer (&data), n_read);
}

GBytes *
_capa_image_read_file (const char    *filename,
                       GCancellable  *cancellable,
                       GError       **error)
{
  GBytes *bytes;
  goffset size = 0;
  int fd;

  g_return_val_if_fail (filename != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  fd = _capa_image_open_regular (filename, &size, error);
  if (fd < 0)
    return NULL;

  bytes = _capa_image_read_fd (fd, size, cancellable, error);
  g_close (fd, NULL);

  return bytes;
}
