/* SPDX-License-Identifier: GPL-3.0-or-later */

/* capa-metadata-reader: reads the EXIF and XMP metadata of one image file
 * with gexiv2 (exiv2), in a process of its own.
 *
 * exiv2 is not safe on hostile files: some throw C++ exceptions gexiv2
 * does not catch (std::terminate ends the process), and gexiv2 0.14
 * double-frees a GExiv2Metadata whose opening failed.  Capa runs this
 * helper for each image whose metadata it reads (CapaImage), so that no
 * file, however made, takes the application down: a crash here is only a
 * failed read there.  See docs/architecture.md, "Untrusted files".
 *
 * Usage: capa-metadata-reader SOCKET-FD
 *   It serves requests on SOCKET-FD (a Unix stream socket) until the
 *   caller closes it, or a minute passes without one.  A request is one
 *   byte carrying, as SCM_RIGHTS, an open descriptor of a regular file
 *   the caller checked.  A reply is a status byte (0: read; 2: exiv2
 *   cannot read the file, and the reader then leaves), the length of
 *   what follows (32 bits, host order) and a serialised GVariant of type
 *   a{sv} (the keys are those written below).  A reader that closes the
 *   socket, or dies, without replying crashed on the file.  One process
 *   serves many files: starting exiv2 costs more than reading a JPEG. */

#define G_LOG_DOMAIN "Capa-MetadataReader"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gexiv2/gexiv2.h>
#include <glib.h>

/* The status byte of a reply. */
#define REPLY_OK         0
#define REPLY_UNREADABLE 2

/* Idle this long, the reader leaves; Capa starts another when needed. */
#define IDLE_EXIT_MS (60 * 1000)

static void
on_exiv2_log_cb (GExiv2LogLevel  level,
                 const char     *message)
{
  g_debug ("exiv2: %s", message);
}

static char *
dup_tag_string (GExiv2Metadata *exif,
                const char     *tag)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (!gexiv2_metadata_try_has_tag (exif, tag, NULL))
    return NULL;

  value = gexiv2_metadata_try_get_tag_string (exif, tag, &error);
  if (value == NULL)
    return NULL;

  g_strstrip (value);
  if (value[0] == '\0' || !g_utf8_validate (value, -1, NULL))
    return NULL;

  return g_steal_pointer (&value);
}

static void
add_string (GVariantDict   *dict,
            const char     *key,
            GExiv2Metadata *exif,
            const char     *tag)
{
  g_autofree char *value = dup_tag_string (exif, tag);

  if (value != NULL)
    g_variant_dict_insert (dict, key, "s", value);
}

/* The same tags as _capa_image_parse_capture_time(), which lists sessions
 * without exiv2; CapaImage makes the time of them. */
static void
add_capture_time (GVariantDict   *dict,
                  GExiv2Metadata *exif)
{
  if (gexiv2_metadata_try_has_tag (exif, "Exif.Photo.DateTimeOriginal", NULL))
    {
      add_string (dict, "date", exif, "Exif.Photo.DateTimeOriginal");
      add_string (dict, "subsec", exif, "Exif.Photo.SubSecTimeOriginal");
      add_string (dict, "offset", exif, "Exif.Photo.OffsetTimeOriginal");
    }
  else if (gexiv2_metadata_try_has_tag (exif, "Exif.Image.DateTime", NULL))
    {
      add_string (dict, "date", exif, "Exif.Image.DateTime");
      add_string (dict, "subsec", exif, "Exif.Photo.SubSecTime");
      add_string (dict, "offset", exif, "Exif.Photo.OffsetTime");
    }
}

static GVariant *
read_exif (GExiv2Metadata *exif)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  const char *mime_type;
  int num = 0, den = 0;
  double value;

  g_variant_dict_insert (&dict, "orientation", "i",
                         (int) gexiv2_metadata_try_get_orientation (exif, NULL));
  add_capture_time (&dict, exif);
  add_string (&dict, "model", exif, "Exif.Image.Model");
  if (gexiv2_metadata_try_has_tag (exif, "Exif.Photo.LensModel", NULL))
    add_string (&dict, "lens", exif, "Exif.Photo.LensModel");
  else
    add_string (&dict, "lens", exif, "Xmp.aux.Lens");

  if (gexiv2_metadata_try_get_exposure_time (exif, &num, &den, NULL) && num > 0 && den > 0)
    g_variant_dict_insert (&dict, "exposure", "(ii)", num, den);

  value = gexiv2_metadata_try_get_fnumber (exif, NULL);
  if (value > 0 && isfinite (value))
    g_variant_dict_insert (&dict, "f-number", "d", value);

  g_variant_dict_insert (&dict, "iso", "i", gexiv2_metadata_try_get_iso_speed (exif, NULL));

  value = gexiv2_metadata_try_get_focal_length (exif, NULL);
  if (value > 0 && isfinite (value))
    g_variant_dict_insert (&dict, "focal-length", "d", value);

  if (gexiv2_metadata_try_has_tag (exif, "Exif.Image.InterColorProfile", NULL))
    {
      g_autoptr(GBytes) icc = gexiv2_metadata_try_get_tag_raw (exif,
                                                               "Exif.Image.InterColorProfile",
                                                               NULL);

      if (icc != NULL)
        g_variant_dict_insert_value (&dict, "icc",
                                     g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                               icc, TRUE));
    }

  mime_type = gexiv2_metadata_get_mime_type (exif);
  if (mime_type != NULL && mime_type[0] != '\0' && g_utf8_validate (mime_type, -1, NULL))
    g_variant_dict_insert (&dict, "mime-type", "s", mime_type);

  g_variant_dict_insert (&dict, "width", "i", gexiv2_metadata_get_pixel_width (exif));
  g_variant_dict_insert (&dict, "height", "i", gexiv2_metadata_get_pixel_height (exif));

  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static gboolean
write_all (int           fd,
           const void   *data,
           gsize         length)
{
  const guint8 *p = data;

  while (length > 0)
    {
      gssize n = send (fd, p, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      length -= (gsize) n;
    }

  return TRUE;
}

/* Waits for the next request: one byte carrying a descriptor.  Returns
 * the descriptor, or -1 when the caller has gone or stayed idle. */
static int
receive_request (int socket_fd)
{
  union {
    char           buffer[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct pollfd pfd = { .fd = socket_fd, .events = POLLIN };
  struct msghdr message = { 0 };
  struct cmsghdr *header;
  struct iovec iov;
  char byte;
  int fd = -1;
  int n;

  do
    n = poll (&pfd, 1, IDLE_EXIT_MS);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return -1;

  iov.iov_base = &byte;
  iov.iov_len = 1;
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control.buffer;
  message.msg_controllen = sizeof control.buffer;

  do
    n = recvmsg (socket_fd, &message, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return -1;

  for (header = CMSG_FIRSTHDR (&message); header != NULL;
       header = CMSG_NXTHDR (&message, header))
    {
      if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS &&
          header->cmsg_len == CMSG_LEN (sizeof (int)))
        memcpy (&fd, CMSG_DATA (header), sizeof fd);
    }

  return fd;
}

static gboolean
reply (int           socket_fd,
       guint8        status,
       GVariant     *result)
{
  guint8 head[5] = { status };
  guint32 length = result != NULL ? (guint32) g_variant_get_size (result) : 0;

  memcpy (head + 1, &length, sizeof length);
  return write_all (socket_fd, head, sizeof head) &&
         (length == 0 || write_all (socket_fd, g_variant_get_data (result), length));
}

int
main (int   argc,
      char *argv[])
{
  guint64 socket_fd = 0;

  if (argc != 2 || !g_ascii_string_to_unsigned (argv[1], 10, 0, G_MAXINT, &socket_fd, NULL))
    {
      fprintf (stderr, "Usage: %s SOCKET-FD\n", argv[0]);
      return 1;
    }

  gexiv2_log_set_handler (on_exiv2_log_cb);
  if (!gexiv2_initialize ())
    {
      fprintf (stderr, "exiv2 cannot be initialised\n");
      return 1;
    }

  for (;;)
    {
      g_autoptr(GVariant) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      GExiv2Metadata *exif;
      int fd = receive_request ((int) socket_fd);

      if (fd < 0)
        return 0;

      /* The descriptor the caller opened and checked, whatever the
       * file's name points to now. */
      path = g_strdup_printf ("/proc/self/fd/%d", fd);

      exif = gexiv2_metadata_new ();
      if (!gexiv2_metadata_open_path (exif, path, &error))
        {
          g_debug ("exiv2 cannot read the file: %s", error->message);
          reply ((int) socket_fd, REPLY_UNREADABLE, NULL);
          /* Never unref a GExiv2Metadata whose opening failed: gexiv2
           * 0.14 frees its exiv2 image twice then.  Leave at once
           * instead; the caller starts another reader when it needs one. */
          _exit (0);
        }

      result = read_exif (exif);
      g_object_unref (exif);
      close (fd);

      if (!reply ((int) socket_fd, REPLY_OK, result))
        return 0;
    }
}
