/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Durable, never-overwriting writes into a session folder.  A shot is the
 * one thing Capa must never lose, so a new file is written under a hidden
 * temporary name in the same folder, synced, then moved to its final name
 * without replacing anything there, and the folder is synced too.
 *
 * Every one of these steps must succeed for a save to succeed: the caller
 * (the tether) deletes the camera's copy only after a successful save, so
 * a sync that fails, or that the file system cannot do (EINVAL), fails the
 * save.  When the file already has its final name and the folder sync then
 * fails, the file is removed again: the camera keeps its copy, and a later
 * download of it must not find a stray, possibly not durable, first copy
 * that would make it a duplicate.
 *
 * A file saved from a camera records where it came from (the session
 * folder, the camera file's path) in the user's journal of saved shots
 * (JOURNAL_NAME in the user's state folder, so that the session folder
 * holds only images), after it is durable and before the camera's copy is
 * deleted.  If Capa stops between the two (killed, crashed), the next
 * download of that camera file finds the record and a file of the same
 * size and first bytes under the recorded name, and reports that file
 * instead of saving a duplicate; the caller then deletes the camera's
 * copy.  The journal is not synced: losing a record costs a duplicate at
 * worst, never a shot. */

/* For renameat2() and RENAME_NOREPLACE. */
#define _GNU_SOURCE

#define G_LOG_DOMAIN "Capa-Session"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "capa-camera-file.h"
#include "capa-filename-private.h"
#include "capa-image-private.h"
#include "capa-session.h"
#include "capa-session-private.h"

#define WRITE_CHUNK_BYTES (1024 * 1024)
#define MAX_TEMPORARY_ATTEMPTS 100
/* Writeback of a file being written starts every this many bytes. */
#define WRITEBACK_CHUNK_BYTES (1024 * 1024)
/* The journal of shots saved from a camera, in the user's state folder. */
#define JOURNAL_NAME "capa/saved-from-camera"
/* Past this size the journal starts again (old records are only a guard
 * against duplicates of shots long deleted from the card). */
#define JOURNAL_MAX_BYTES (256 * 1024)

/*
 * _capa_session_error_from_errno:
 * @errsv: an errno value from writing into @directory
 * @directory: (type filename): the session folder
 *
 * Makes the error shown to the user when a file cannot be written into the
 * session folder: a `G_IO_ERROR` code matching @errsv and a message naming
 * the folder and saying what to do.
 *
 * Returns: (transfer full): a new error
 */
GError *
_capa_session_error_from_errno (int         errsv,
                                const char *directory)
{
  g_autofree char *folder = g_filename_display_name (directory != NULL ? directory : "");

  switch (errsv)
    {
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
      return g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                          _("There is no space left for new images in the session folder “%s”. "
                            "Free some space on that disk or choose another session folder."),
                          folder);

    case EFBIG:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                          _("The image is too large for the disk of the session folder “%s”. "
                            "Choose a session folder on another disk."),
                          folder);

    case EROFS:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_READ_ONLY,
                          _("The session folder “%s” is on a read-only disk. "
                            "Make the disk writable or choose another session folder."),
                          folder);

    case EACCES:
    case EPERM:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                          _("You are not allowed to write to the session folder “%s”. "
                            "Change its permissions or choose another session folder."),
                          folder);

    case ENOTDIR:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                          _("The session folder “%s” cannot be used because it, or a folder "
                            "above it, is a file. Choose another session folder."),
                          folder);

    case ENOENT:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                          _("The session folder “%s” does not exist any more. "
                            "Reconnect its disk or choose another session folder."),
                          folder);

    case EIO:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                          _("The disk of the session folder “%s” reported an input/output "
                            "error. Check the disk and its connection, or choose another "
                            "session folder."),
                          folder);

    /* The disk went away under the folder: a USB disk unplugged, a network
     * or FUSE file system unmounted or disconnected. */
    case ENODEV:
    case ENXIO:
    case ENOTCONN:
    case ESTALE:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_MOUNTED,
                          _("The disk of the session folder “%s” is no longer there: it was "
                            "unplugged, unmounted or disconnected. Reconnect it or choose another "
                            "session folder."),
                          folder);

    case ENAMETOOLONG:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                          _("The path of the session folder “%s” is too long. "
                            "Choose a session folder with a shorter path."),
                          folder);

    default:
      return g_error_new (G_IO_ERROR, g_io_error_from_errno (errsv),
                          _("Could not save the image in the session folder “%s”: %s. "
                            "Choose another session folder."),
                          folder, g_strerror (errsv));
    }
}

static gboolean
set_errno_error (GError     **error,
                 int          errsv,
                 const char  *directory)
{
  g_propagate_error (error, _capa_session_error_from_errno (errsv, directory));
  return FALSE;
}

/* The error of a sync that failed: the data or the name of a new file may
 * not be on the disk. */
static GError *
sync_error_new (int         errsv,
                const char *directory)
{
  g_autofree char *folder = NULL;

  switch (errsv)
    {
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
    case EROFS:
    case ECANCELED:
    /* The disk went away (see _capa_session_error_from_errno ()). */
    case ENODEV:
    case ENXIO:
    case ENOTCONN:
    case ESTALE:
      return _capa_session_error_from_errno (errsv, directory);
    default:
      break;
    }

  folder = g_filename_display_name (directory != NULL ? directory : "");
  if (errsv == EIO)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                        /* Translators: %s is a folder */
                        _("The disk of the session folder “%s” failed to store the image "
                          "safely (input/output error), so it was not saved. Check the disk "
                          "and its connection, or choose another session folder."),
                        folder);

  return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                      /* Translators: %s are a folder and the system's reason */
                      _("The disk of the session folder “%s” cannot make sure that the image "
                        "is stored safely (%s), so it was not saved. Choose a session folder "
                        "on another disk."),
                      folder, g_strerror (errsv));
}

static gboolean
is_single_name (const char *name)
{
  return name != NULL && *name != '\0' &&
         strchr (name, '/') == NULL &&
         !g_str_equal (name, ".") && !g_str_equal (name, "..");
}

static int
create_temporary (int    dirfd,
                  char **tmp_name)
{
  for (guint attempt = 0; attempt < MAX_TEMPORARY_ATTEMPTS; attempt++)
    {
      g_autofree char *candidate = _capa_filename_new_temporary ();
      int fd = openat (dirfd, candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
                       0666);

      if (fd >= 0)
        {
          *tmp_name = g_steal_pointer (&candidate);
          return fd;
        }
      if (errno != EEXIST)
        return -1;
    }

  errno = EEXIST;
  return -1;
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          size,
           GCancellable  *cancellable,
           int           *errsv)
{
  gsize done = 0;

  while (done < size)
    {
      gssize n;

      if (g_cancellable_is_cancelled (cancellable))
        {
          *errsv = ECANCELED;
          return FALSE;
        }

      n = write (fd, data + done, MIN (size - done, WRITE_CHUNK_BYTES));
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *errsv = errno;
          return FALSE;
        }
      if (n == 0)
        {
          *errsv = ENOSPC;
          return FALSE;
        }
      done += n;
    }

  return TRUE;
}

/*
 * _capa_session_place_file:
 * @dirfd: the folder
 * @tmp_name: the file to move
 * @final_name: its new name
 * @methods: the ways allowed, #CapaPlaceMethod flags (all in normal use;
 *   fewer in tests, to exercise the fallbacks)
 *
 * Gives @tmp_name the name @final_name unless that name exists, trying
 * renameat2() with RENAME_NOREPLACE, then a hard link, then (on file
 * systems with neither) a check followed by a rename.
 *
 * Returns: 0, or -1 with errno set (EEXIST when the name is taken)
 */
int
_capa_session_place_file (int         dirfd,
                          const char *tmp_name,
                          const char *final_name,
                          guint       methods)
{
  struct stat st;

#ifdef RENAME_NOREPLACE
  if (methods & CAPA_PLACE_RENAME_NOREPLACE)
    {
      if (renameat2 (dirfd, tmp_name, dirfd, final_name, RENAME_NOREPLACE) == 0)
        return 0;
      /* EINVAL or ENOSYS: the file system or kernel lacks the flag. */
      if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP && errno != EOPNOTSUPP)
        return -1;
    }
#endif

  if (methods & CAPA_PLACE_LINK)
    {
      if (linkat (dirfd, tmp_name, dirfd, final_name, 0) == 0)
        {
          if (unlinkat (dirfd, tmp_name, 0) < 0)
            g_debug ("Could not remove temporary file %s: %s", tmp_name, g_strerror (errno));
          return 0;
        }

      if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != EMLINK &&
          errno != ENOSYS)
        return -1;
    }

  if ((methods & CAPA_PLACE_CHECK_THEN_RENAME) == 0)
    {
      errno = ENOTSUP;
      return -1;
    }

  /* A file system with neither hard links nor RENAME_NOREPLACE (some
   * network and FUSE file systems): the best left is to check first.
   * Another program could slip a file in between; Capa's own concurrent
   * saves are serialised here so they never race each other. */
  {
    static GMutex check_mutex;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&check_mutex);

    if (fstatat (dirfd, final_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
      {
        errno = EEXIST;
        return -1;
      }
    if (errno != ENOENT)
      return -1;

    return renameat (dirfd, tmp_name, dirfd, final_name);
  }
}

/* Syncs @fd (a file or a folder) to the disk.  Any failure counts, EINVAL
 * (a file system that cannot sync) too: without a sync nothing says the
 * data is on the disk.  Returns 0, or the errno. */
static int
sync_fd (int fd)
{
  while (fsync (fd) < 0)
    {
      if (errno != EINTR)
        return errno;
    }
  return 0;
}

static int
sync_path (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int errsv;

  if (fd < 0)
    return errno;

  errsv = sync_fd (fd);
  close (fd);
  return errsv;
}

/* Creates @directory and any missing parents; each folder created is made
 * durable by syncing its parent, or a crash could take the folder, and the
 * first shot saved in it, away.  A folder whose parent cannot be synced is
 * removed again, so that the next save makes it anew and syncs it then.
 * Returns 0, or the errno (with *@sync_failed set when a sync failed). */
static int
make_folder_durably (const char *directory,
                     gboolean   *sync_failed)
{
  g_autofree char *parent = NULL;
  int errsv;

  if (g_file_test (directory, G_FILE_TEST_IS_DIR))
    return 0;

  parent = g_path_get_dirname (directory);
  if (g_strcmp0 (parent, directory) != 0 &&
      (errsv = make_folder_durably (parent, sync_failed)) != 0)
    return errsv;

  if (mkdir (directory, 0777) < 0)
    return errno == EEXIST ? 0 : errno;

  errsv = sync_path (parent);
  if (errsv != 0)
    {
      *sync_failed = TRUE;
      if (rmdir (directory) < 0)
        g_debug ("Could not remove the folder %s again: %s", directory, g_strerror (errno));
      return errsv;
    }
  return 0;
}

/*
 * CapaSessionWriter:
 *
 * A new file on its way into a session folder: written in pieces under a
 * hidden temporary name (as a download arrives), then given its final name
 * durably by _capa_session_writer_commit().  Writeback to the disk starts
 * while the pieces arrive, so that the final sync has little left to do.
 * Everything but _capa_session_writer_new() does file I/O: call it off the
 * main thread.  Freed without a commit, it removes its temporary file.
 */
struct _CapaSessionWriter
{
  char       *directory;
  GByteArray *head;             /* the first bytes, for the capture time */
  char       *tmp_name;
  int         dirfd;
  int         fd;
  guint64     size;
  guint64     synced;           /* bytes handed to writeback so far */
  int         errsv;            /* the first error, 0 if none */
  gboolean    committed;
  char       *origin;           /* where the file comes from (a camera's path), or NULL */
};

CapaSessionWriter *
_capa_session_writer_new (const char *directory)
{
  CapaSessionWriter *writer = g_new0 (CapaSessionWriter, 1);

  g_return_val_if_fail (directory != NULL, NULL);

  writer->directory = g_strdup (directory);
  writer->head = g_byte_array_new ();
  writer->dirfd = -1;
  writer->fd = -1;
  return writer;
}

static gboolean
writer_fail (CapaSessionWriter  *writer,
             int                 errsv,
             GError            **error)
{
  if (writer->errsv == 0)
    writer->errsv = errsv;
  return set_errno_error (error, writer->errsv, writer->directory);
}

static gboolean
writer_sync_fail (CapaSessionWriter  *writer,
                  int                 errsv,
                  GError            **error)
{
  if (writer->errsv == 0)
    writer->errsv = errsv;
  g_propagate_error (error, sync_error_new (errsv, writer->directory));
  return FALSE;
}

static gboolean
writer_open (CapaSessionWriter  *writer,
             GError            **error)
{
  if (writer->errsv != 0)
    return set_errno_error (error, writer->errsv, writer->directory);
  if (writer->fd >= 0)
    return TRUE;

  {
    gboolean sync_failed = FALSE;
    int errsv = make_folder_durably (writer->directory, &sync_failed);

    if (errsv != 0)
      {
        if (!sync_failed)
          return writer_fail (writer, errsv, error);
        return writer_sync_fail (writer, errsv, error);
      }
  }

  writer->dirfd = open (writer->directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (writer->dirfd < 0)
    return writer_fail (writer, errno, error);

  writer->fd = create_temporary (writer->dirfd, &writer->tmp_name);
  if (writer->fd < 0)
    return writer_fail (writer, errno, error);

  return TRUE;
}

/* Starts writeback of every whole chunk written since the last call, so
 * that the disk works while the rest arrives; waits for nothing. */
static void
writer_start_writeback (CapaSessionWriter *writer,
                        gboolean           all)
{
#ifdef SYNC_FILE_RANGE_WRITE
  guint64 end = all ? writer->size : writer->size - writer->size % WRITEBACK_CHUNK_BYTES;

  if (end <= writer->synced)
    return;

  /* Only a hint: file systems without it (EINVAL, ENOSYS) still get the
   * fsync() of the commit. */
  if (sync_file_range (writer->fd, writer->synced, end - writer->synced,
                       SYNC_FILE_RANGE_WRITE) < 0 &&
      errno != EINVAL && errno != ENOSYS && errno != ESPIPE)
    g_debug ("Could not start writing back a new file: %s", g_strerror (errno));
  writer->synced = end;
#endif
}

/*
 * _capa_session_writer_write:
 * @writer: a #CapaSessionWriter
 * @data: (array length=size): the next bytes of the file
 * @size: their number
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Appends @data to the file, creating the folder and the temporary file
 * on the first call.  After a failure every further call fails the same.
 *
 * Returns: whether all of @data was written
 */
gboolean
_capa_session_writer_write (CapaSessionWriter  *writer,
                            const guint8       *data,
                            gsize               size,
                            GCancellable       *cancellable,
                            GError            **error)
{
  int errsv = 0;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (!writer->committed, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!writer_open (writer, error))
    return FALSE;

  if (writer->head->len < MAX_CAPTURE_TIME_READ)
    g_byte_array_append (writer->head, data,
                         MIN (size, MAX_CAPTURE_TIME_READ - writer->head->len));

  if (!write_all (writer->fd, data, size, cancellable, &errsv))
    {
      if (errsv == ECANCELED && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      return writer_fail (writer, errsv, error);
    }

  writer->size += size;
  writer_start_writeback (writer, FALSE);
  return TRUE;
}

/* The bytes written so far. */
guint64
_capa_session_writer_get_size (CapaSessionWriter *writer)
{
  return writer->size;
}

/* The first bytes of the file (at most MAX_CAPTURE_TIME_READ), kept for
 * reading the capture time without reading the file again. */
const guint8 *
_capa_session_writer_get_head (CapaSessionWriter *writer,
                               gsize             *size)
{
  *size = writer->head->len;
  return writer->head->data;
}

/* --- the journal of shots saved from a camera --- */

static char *
journal_path (void)
{
  return g_build_filename (g_get_user_state_dir (), JOURNAL_NAME, NULL);
}

/* A journal record's key: the session folder and the origin. */
static char *
journal_key (const char *directory,
             const char *origin)
{
  g_autofree char *escaped_directory = g_strescape (directory, NULL);
  g_autofree char *escaped_origin = g_strescape (origin, NULL);

  return g_strconcat (escaped_directory, "\t", escaped_origin, NULL);
}

/* Reads the journal and finds the name the last record of @origin in
 * @directory gave, and the size of that file then. */
static char *
journal_find (const char  *directory,
              const char  *origin,
              guint64     *size)
{
  g_autofree char *path = journal_path ();
  g_autofree char *key = journal_key (directory, origin);
  g_autofree char *contents = NULL;
  g_autofree char *needle = NULL;
  char *found = NULL;
  struct stat st;
  gsize length = 0;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_size > 2 * JOURNAL_MAX_BYTES)
    {
      close (fd);
      return NULL;
    }

  contents = g_malloc ((gsize) st.st_size + 1);
  while (length < (gsize) st.st_size)
    {
      gssize n = read (fd, contents + length, (gsize) st.st_size - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      length += n;
    }
  close (fd);
  contents[length] = '\0';

  /* The last record of the key wins; only its lines are looked at. */
  needle = g_strconcat ("saved\t", key, "\t", NULL);
  for (const char *p = strstr (contents, needle); p != NULL; p = strstr (p + 1, needle))
    {
      g_autofree char *line = NULL;
      g_auto(GStrv) fields = NULL;
      const char *end;

      if (p != contents && p[-1] != '\n')
        continue;
      end = strchr (p, '\n');
      /* A record being written by another process is not whole yet. */
      if (end == NULL)
        break;
      line = g_strndup (p + strlen (needle), end - p - strlen (needle));
      fields = g_strsplit (line, "\t", 2);
      if (g_strv_length (fields) != 2)
        continue;
      g_free (found);
      *size = g_ascii_strtoull (fields[0], NULL, 10);
      found = g_strcompress (fields[1]);
    }

  return found;
}

/* Records in the journal that @origin was saved in @directory as @name.
 * Not synced: a record lost costs a duplicate at worst. */
static void
journal_append (const char  *directory,
                const char  *origin,
                guint64      size,
                const char  *name)
{
  g_autofree char *path = journal_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *key = journal_key (directory, origin);
  g_autofree char *escaped_name = g_strescape (name, NULL);
  g_autofree char *line = NULL;
  struct stat st;
  gssize n;
  int fd;

  if (g_mkdir_with_parents (folder, 0700) < 0)
    {
      g_debug ("Could not make the folder of the journal of saved shots: %s",
               g_strerror (errno));
      return;
    }
  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
  if (fd < 0)
    {
      g_debug ("Could not open the journal of the session folder: %s", g_strerror (errno));
      return;
    }
  if (fstat (fd, &st) == 0 && st.st_size > JOURNAL_MAX_BYTES && ftruncate (fd, 0) < 0)
    g_debug ("Could not start the journal of the session folder anew: %s", g_strerror (errno));

  /* One write, so that records of several processes do not interleave. */
  line = g_strdup_printf ("saved\t%s\t%" G_GUINT64_FORMAT "\t%s\n", key, size, escaped_name);
  do
    n = write (fd, line, strlen (line));
  while (n < 0 && errno == EINTR);
  if (n < 0)
    g_debug ("Could not write the journal of the session folder: %s", g_strerror (errno));
  close (fd);
}

/* Whether the file @name of the folder holds the shot of @writer: the
 * same size and the same first bytes (which hold the capture time and,
 * on most cameras, the shutter count). */
static gboolean
writer_matches_file (CapaSessionWriter *writer,
                     const char        *name,
                     guint64            recorded_size)
{
  g_autofree guint8 *head = NULL;
  struct stat st;
  gsize length = 0;
  int fd;

  if (recorded_size != writer->size || !is_single_name (name))
    return FALSE;

  fd = openat (writer->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return FALSE;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || (guint64) st.st_size != writer->size)
    {
      close (fd);
      return FALSE;
    }

  head = g_malloc (MAX (writer->head->len, 1));
  while (length < writer->head->len)
    {
      gssize n = pread (fd, head + length, writer->head->len - length, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      length += n;
    }
  close (fd);

  return length == writer->head->len && memcmp (head, writer->head->data, length) == 0;
}

/*
 * _capa_session_writer_set_origin:
 * @writer: a #CapaSessionWriter
 * @origin: (nullable): where the file comes from, such as the path of a
 *   file on a camera's card
 *
 * Names where the file comes from.  The commit then records it in the
 * journal of saved shots, and when a file of the folder was recorded for the same
 * origin and holds the same bytes (so a process stopped before it could
 * delete the camera's copy), the commit gives that file instead of saving
 * a duplicate.  Does no I/O.
 */
void
_capa_session_writer_set_origin (CapaSessionWriter *writer,
                                 const char        *origin)
{
  g_return_if_fail (writer != NULL);

  g_free (writer->origin);
  writer->origin = g_strdup (origin);
}

/*
 * _capa_session_writer_set_origin_file:
 * @writer: a #CapaSessionWriter
 * @file: the camera file being downloaded into @writer
 *
 * Names the camera file @writer holds as its origin; see
 * _capa_session_writer_set_origin().
 */
void
_capa_session_writer_set_origin_file (CapaSessionWriter *writer,
                                      CapaCameraFile    *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (CAPA_IS_CAMERA_FILE (file));

  path = capa_camera_file_dup_path (file);
  _capa_session_writer_set_origin (writer, path);
}

/*
 * _capa_session_writer_commit:
 * @writer: a #CapaSessionWriter holding a whole file
 * @name: (type filename): the wanted file name, a single safe name
 * @suffix: (inout) (optional): when @name is taken, the "-N" suffixes are
 *   tried from the one after *@suffix (the last one this name was given);
 *   set to the suffix given, 0 for none
 * @cancellable: (nullable): a #GCancellable
 * @saved_name: (out) (transfer full) (type filename): the name given, @name
 *   or @name with a "-N" suffix when @name was taken
 * @error: return location for a #GError
 *
 * Syncs the file to the disk, gives it @name (or a free name made from it)
 * without ever replacing a file, and syncs the folder.  On failure the
 * temporary file is removed, and so is the file under its final name when
 * the folder could not be synced after it was named: a failed save leaves
 * nothing behind.  When the writer has an origin that the folder's journal
 * records as saved already, with the same bytes, the file is not saved
 * again: @saved_name is the name it was saved under.
 *
 * Returns: whether the file was placed
 */
gboolean
_capa_session_writer_commit (CapaSessionWriter  *writer,
                             const char         *name,
                             guint              *suffix,
                             GCancellable       *cancellable,
                             char              **saved_name,
                             GError            **error)
{
  g_autofree char *final_name = NULL;
  gboolean placed = FALSE;
  guint first = 1;
  guint given = 0;
  int errsv = 0;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (!writer->committed, FALSE);
  g_return_val_if_fail (saved_name != NULL, FALSE);

  if (!is_single_name (name))
    {
      g_set_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME,
                   _("“%s” is not a valid file name in a session folder"), name ? name : "");
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  /* An empty file is made here, so that an empty save still lands. */
  if (!writer_open (writer, error))
    return FALSE;

  writer_start_writeback (writer, TRUE);
  errsv = sync_fd (writer->fd);
  if (errsv != 0)
    return writer_sync_fail (writer, errsv, error);

  errsv = close (writer->fd) < 0 && errno != EINTR ? errno : 0;
  writer->fd = -1;
  if (errsv != 0)
    return writer_fail (writer, errsv, error);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (writer->origin != NULL)
    {
      guint64 recorded_size = 0;
      g_autofree char *known = journal_find (writer->directory, writer->origin,
                                                 &recorded_size);

      if (known != NULL && writer_matches_file (writer, known, recorded_size))
        {
          g_debug ("%s was saved as %s already", writer->origin, known);
          if (unlinkat (writer->dirfd, writer->tmp_name, 0) < 0)
            g_debug ("Could not remove temporary file %s: %s", writer->tmp_name,
                     g_strerror (errno));
          g_clear_pointer (&writer->tmp_name, g_free);
          writer->committed = TRUE;
          *saved_name = g_steal_pointer (&known);
          return TRUE;
        }
    }

  /* The name itself, then its suffixes from the one after the last given
   * (a pattern without a sequence number repeats names: no need to try
   * every taken suffix again), wrapping round to 1. */
  if (suffix != NULL && *suffix < CAPA_SESSION_MAX_SUFFIX)
    first = *suffix + 1;
  for (guint attempt = 0; attempt <= CAPA_SESSION_MAX_SUFFIX; attempt++)
    {
      given = attempt == 0 ? 0 : (first - 1 + attempt - 1) % CAPA_SESSION_MAX_SUFFIX + 1;
      g_free (final_name);
      final_name = given == 0 ? g_strdup (name) : _capa_filename_with_suffix (name, given);

      if (_capa_session_place_file (writer->dirfd, writer->tmp_name, final_name,
                                    CAPA_PLACE_ALL) == 0)
        {
          placed = TRUE;
          break;
        }
      if (errno != EEXIST)
        break;
    }

  if (!placed && errno == EEXIST)
    {
      g_autofree char *folder = g_filename_display_name (writer->directory);
      g_autofree char *shown = g_filename_display_name (name);

      writer->errsv = EEXIST;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   /* Translators: %s are a file name, a number and a folder;
                    * %%n stays as it is */
                   _("“%s” and its %u numbered variants are all taken in the session folder "
                     "“%s”. Add a sequence number (%%n) to the file name pattern."),
                   shown, CAPA_SESSION_MAX_SUFFIX, folder);
      return FALSE;
    }
  if (!placed)
    return writer_fail (writer, errno, error);
  /* The temporary name is gone. */
  g_clear_pointer (&writer->tmp_name, g_free);

  /* The new name must survive a crash too.  If it may not, the file goes:
   * the caller keeps the camera's copy, and a copy here that a crash could
   * take away or keep would be a duplicate of the next download. */
  errsv = sync_fd (writer->dirfd);
  if (errsv != 0)
    {
      if (unlinkat (writer->dirfd, final_name, 0) < 0)
        g_message ("Could not remove %s after the session folder failed to sync: %s",
                   final_name, g_strerror (errno));
      else if (sync_fd (writer->dirfd) != 0)
        g_debug ("The session folder still fails to sync");
      return writer_sync_fail (writer, errsv, error);
    }

  if (suffix != NULL)
    *suffix = given;
  writer->committed = TRUE;

  if (writer->origin != NULL)
    journal_append (writer->directory, writer->origin, writer->size, final_name);

  g_debug ("Saved %" G_GUINT64_FORMAT " bytes as %s", writer->size, final_name);
  *saved_name = g_steal_pointer (&final_name);
  return TRUE;
}

/*
 * _capa_session_writer_discard:
 * @writer: a #CapaSessionWriter
 *
 * Gives up the file: closes it and removes the temporary file, unless it
 * was committed.  Blocking (file I/O); later writes fail.
 */
void
_capa_session_writer_discard (CapaSessionWriter *writer)
{
  g_return_if_fail (writer != NULL);

  if (writer->fd >= 0)
    close (writer->fd);
  writer->fd = -1;
  if (!writer->committed && writer->tmp_name != NULL &&
      unlinkat (writer->dirfd, writer->tmp_name, 0) < 0)
    g_debug ("Could not remove temporary file %s: %s", writer->tmp_name, g_strerror (errno));
  g_clear_pointer (&writer->tmp_name, g_free);
  if (writer->dirfd >= 0)
    close (writer->dirfd);
  writer->dirfd = -1;
  if (writer->errsv == 0 && !writer->committed)
    writer->errsv = ECANCELED;
}

/* Closes @writer; removes its temporary file unless it was committed. */
void
_capa_session_writer_free (CapaSessionWriter *writer)
{
  if (writer == NULL)
    return;

  _capa_session_writer_discard (writer);
  g_byte_array_unref (writer->head);
  g_free (writer->tmp_name);
  g_free (writer->directory);
  g_free (writer->origin);
  g_free (writer);
}
