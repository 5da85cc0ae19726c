/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaImage: the preview a camera embeds in its files, shown while the
 * image itself is decoded.  JPEG files are read with Capa's own
 * bounds-checked header walker (EXIF thumbnail, MPF previews), RAW files
 * through libraw, as for their pixels; exiv2 is not involved. */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "capa-filename-private.h"
#include "capa-image-private.h"

/* The header of a JPEG file read for its previews: an EXIF segment is at
 * most 64 KiB, and cameras put it first. */
#define PREVIEW_HEADER_READ (256 * 1024)
/* An embedded preview larger than this is not one. */
#define MAX_PREVIEW_LENGTH  (32 * 1024 * 1024)

static GBytes *
read_range (int            fd,
            guint64        offset,
            guint64        length,
            GCancellable  *cancellable,
            GError       **error)
{
  if (lseek (fd, (off_t) offset, SEEK_SET) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The file cannot be read: %s"), g_strerror (saved_errno));
      return NULL;
    }

  return _capa_image_read_fd (fd, (goffset) length, cancellable, error);
}

static int
compare_range_length_desc (gconstpointer a,
                           gconstpointer b)
{
  const CapaImagePreviewRange *ra = a, *rb = b;

  return ra->length < rb->length ? 1 : ra->length > rb->length ? -1 : 0;
}

static GdkPixbuf *
load_jpeg_preview (int            fd,
                   goffset        size,
                   int            max_width,
                   int            max_height,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (CapaImagePreviewRange));
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GBytes) icc = NULL;
  CapaImageOrientation orientation = 0;
  const guint8 *data;
  gsize length;

  header = read_range (fd, 0, MIN ((guint64) size, PREVIEW_HEADER_READ), cancellable, error);
  if (header == NULL)
    return NULL;

  data = g_bytes_get_data (header, &length);
  _capa_image_find_jpeg_previews (data, length, &orientation, ranges, &icc);
  if (orientation == 0)
    orientation = CAPA_IMAGE_ORIENTATION_NORMAL;

  /* The largest first: the MPF preview before the EXIF thumbnail. */
  g_array_sort (ranges, compare_range_length_desc);

  for (guint i = 0; i < ranges->len; i++)
    {
      const CapaImagePreviewRange *range = &g_array_index (ranges, CapaImagePreviewRange, i);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      const guint8 *jpeg;
      gsize jpeg_length;
      GdkPixbuf *pixbuf;

      if (range->length > MAX_PREVIEW_LENGTH || range->offset >= (guint64) size ||
          range->length > (guint64) size - range->offset)
        continue;

      bytes = read_range (fd, range->offset, range->length, cancellable, error);
      if (bytes == NULL)
        return NULL;

      jpeg = g_bytes_get_data (bytes, &jpeg_length);
      if (jpeg_length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        continue;

      /* The preview's own EXIF, when it has any, is not trusted with the
       * orientation: the file's is what the camera meant. */
      pixbuf = _capa_image_decode_jpeg (jpeg, jpeg_length, max_width, max_height, orientation,
                                        NULL, cancellable, &local_error);
      if (pixbuf != NULL)
        {
          /* The file's profile, as GdkPixbuf's loaders give theirs, so that
           * the preview can be shown before the metadata is read. */
          if (icc != NULL)
            {
              g_autofree char *base64 = g_base64_encode (g_bytes_get_data (icc, NULL),
                                                         g_bytes_get_size (icc));

              gdk_pixbuf_set_option (pixbuf, "icc-profile", base64);
            }
          return pixbuf;
        }

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("Unusable embedded preview at %" G_GUINT64_FORMAT ": %s",
               range->offset, local_error->message);
    }

  return NULL;
}

static GdkPixbuf *
load_preview (const char    *filename,
              int            max_width,
              int            max_height,
              GCancellable  *cancellable,
              GError       **error)
{
  g_auto(CapaImageFd) fd = -1;
  goffset size = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (_capa_filename_is_video (filename))
    return NULL;

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

  if (_capa_filename_is_raw (filename))
    {
      g_autofree char *fd_path = NULL;

      /* libraw opens the file by name: give it the one checked above. */
      if (g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
        fd_path = g_strdup_printf ("/proc/self/fd/%d", fd);

      return _capa_image_load_raw_preview (fd_path != NULL ? fd_path : filename,
                                           max_width, max_height, cancellable, error);
    }

  return load_jpeg_preview (fd, size, max_width, max_height, cancellable, error);
}

typedef struct
{
  char *filename;
  int   max_width;
  int   max_height;
} LoadPreviewData;

static void
load_preview_data_free (LoadPreviewData *data)
{
  g_free (data->filename);
  g_free (data);
}

static void
load_preview_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LoadPreviewData *data = task_data;
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = load_preview (data->filename, data->max_width, data->max_height, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pixbuf, pixbuf ? g_object_unref : NULL);
}

/**
 * capa_image_load_preview:
 * @self: a #CapaImage
 * @max_width: the largest width wanted, or -1 for no limit
 * @max_height: the largest height wanted, or -1 for no limit
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Decodes the largest preview embedded in the file, blocking; for scripts
 * and worker threads. See [method@Capa.Image.load_preview_async].
 *
 * Returns: (transfer full) (nullable): the upright preview, fitted to the
 *   box; %NULL without an error when the file has none, or %NULL with
 *   @error set when the file cannot be read
 */
GdkPixbuf *
capa_image_load_preview (CapaImage     *self,
                         int            max_width,
                         int            max_height,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);
  g_return_val_if_fail (max_width == -1 || max_width > 0, NULL);
  g_return_val_if_fail (max_height == -1 || max_height > 0, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_preview (capa_image_get_filename (self), max_width, max_height, cancellable, error);
}

/**
 * capa_image_load_preview_async:
 * @self: a #CapaImage
 * @max_width: the largest width wanted, or -1 for no limit
 * @max_height: the largest height wanted, or -1 for no limit
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the preview has been decoded
 * @user_data: data for @callback
 *
 * Decodes, on a worker thread, the largest preview the camera embedded in
 * the file, to show something at once while
 * [method@Capa.Image.load_pixbuf_async] decodes the image itself.
 *
 * In a JPEG file, that is the largest of the MPF (CIPA DC-007) preview
 * images and the EXIF thumbnail; in a RAW file, the embedded JPEG or
 * bitmap preview, whatever its size. The preview is turned upright by the
 * file's orientation and fitted to the box (never enlarged). Other files
 * (PNG, TIFF, videos) have none.
 *
 * When a JPEG file embeds an ICC profile, the preview carries it in its
 * `icc-profile` option (base64-encoded, as GdkPixbuf's own loaders give
 * it; see gdk_pixbuf_get_option()), so that it can be colour managed
 * before the metadata of the image is read.
 *
 * The pixels are not colour managed, like those of
 * [method@Capa.Image.load_pixbuf_async].
 */
void
capa_image_load_preview_async (CapaImage           *self,
                               int                  max_width,
                               int                  max_height,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadPreviewData *data;

  g_return_if_fail (CAPA_IS_IMAGE (self));
  g_return_if_fail (max_width == -1 || max_width > 0);
  g_return_if_fail (max_height == -1 || max_height > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LoadPreviewData, 1);
  data->filename = g_strdup (capa_image_get_filename (self));
  data->max_width = max_width;
  data->max_height = max_height;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_image_load_preview_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_preview_data_free);
  g_task_run_in_thread (task, load_preview_thread);
}

/**
 * capa_image_load_preview_finish:
 * @self: a #CapaImage
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Image.load_preview_async].
 *
 * Returns: (transfer full) (nullable): the upright preview, fitted to the
 *   box; %NULL without an error when the file has none, or %NULL with
 *   @error set (%G_IO_ERROR_CANCELLED when cancelled)
 */
GdkPixbuf *
capa_image_load_preview_finish (CapaImage     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == capa_image_load_preview_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
