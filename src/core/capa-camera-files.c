/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaCamera: taking, previewing, downloading, deleting and listing files. */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-camera-private.h"
#include "capa-control-private.h"
#include "capa-gphoto2-private.h"

/* ------------------------------------------------------------------ */
/* capture, preview, download, delete, list                             */
/* ------------------------------------------------------------------ */

static CapaCameraJobStatus
capture_run (CapaCamera    *self,
             CapaCameraJob *job,
             GPContext     *context)
{
  g_autoptr(GPtrArray) files = _capa_camera_capture_files_on_worker (self, job, context, TRUE);

  if (files == NULL)
    return CAPA_CAMERA_JOB_DONE;

  /* This call returns one file: the others of the shot (the JPEG of a
   * RAW + JPEG pair) are reported as new files, as they were before. */
  for (guint i = 1; i < files->len; i++)
    _capa_camera_emit_in_main (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_ADDED],
                               g_ptr_array_index (files, i), 0);
  _capa_camera_job_set_result (job, g_object_ref (g_ptr_array_index (files, 0)),
                               g_object_unref);

  return CAPA_CAMERA_JOB_DONE;
}

static void
capture_done (CapaCamera    *self,
              CapaCameraJob *job)
{
  if (job->result != NULL)
    g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_CAPTURED], 0, job->result);
}

/**
 * capa_camera_capture_image:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Takes a picture, waiting for it. The blocking twin of
 * [method@Capa.Camera.capture_image_async].
 *
 * Returns: (transfer full): the new file on the camera, not downloaded
 */
CapaCameraFile *
capa_camera_capture_image (CapaCamera    *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  return _capa_camera_run_job_sync (self,
                                    _capa_camera_capture_job_new (self, capture_run, capture_done,
                                                                  cancellable),
                                    error);
}

/**
 * capa_camera_capture_image_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the new file
 * @user_data: data for @callback
 *
 * Takes a picture. The result is the new file on the camera's card (its
 * folder and name); download it with [method@Capa.Camera.download_file_async].
 * Emits [signal@Capa.Camera::file-captured].
 */
void
capa_camera_capture_image_async (CapaCamera          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self,
                                _capa_camera_capture_job_new (self, capture_run, capture_done,
                                                              cancellable),
                                capa_camera_capture_image_async, callback, user_data);
}

/**
 * capa_camera_capture_image_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.capture_image_async].
 *
 * Returns: (transfer full): the new file on the camera, or %NULL on error
 */
CapaCameraFile *
capa_camera_capture_image_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _capa_camera_finish_object (self, result, capa_camera_capture_image_async, error);
}

/* NULL with *@result set when the data cannot be read, or there is none. */
static GBytes *
camera_file_dup_bytes (CameraFile  *gp_file,
                       char       **mime_type,
                       int         *result)
{
  const char *data = NULL;
  unsigned long size = 0;
  const char *mime = NULL;

  *result = gp_file_get_data_and_size (gp_file, &data, &size);
  if (*result < GP_OK)
    return NULL;
  if (data == NULL || size == 0)
    {
      *result = GP_ERROR_CORRUPTED_DATA;
      return NULL;
    }
  if (mime_type != NULL && gp_file_get_mime_type (gp_file, &mime) >= GP_OK && mime != NULL)
    *mime_type = g_strdup (mime);

  return g_bytes_new (data, size);
}

/* Like camera_file_dup_bytes(), without copying: the bytes keep
 * *@gp_file (taken from the caller) alive and free it with the last
 * reference, so a 24 MP picture is not copied once more after the
 * download. */
static GBytes *
camera_file_take_bytes (CameraFile **gp_file,
                        char       **mime_type)
{
  const char *data = NULL;
  unsigned long size = 0;
  const char *mime = NULL;

  if (gp_file_get_data_and_size (*gp_file, &data, &size) < GP_OK)
    return NULL;
  if (mime_type != NULL && gp_file_get_mime_type (*gp_file, &mime) >= GP_OK && mime != NULL)
    *mime_type = g_strdup (mime);
  if (data == NULL || size == 0)
    return g_bytes_new (NULL, 0);

  return g_bytes_new_with_free_func (data, size, (GDestroyNotify) gp_file_unref,
                                     g_steal_pointer (gp_file));
}

static CapaCameraJobStatus
preview_run (CapaCamera    *self,
             CapaCameraJob *job,
             GPContext     *context)
{
  g_autoptr(CameraFile) gp_file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mime_type = NULL;
  CapaCameraFile *file;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  if ((r = gp_file_new (&gp_file)) < GP_OK ||
      (r = gp_camera_capture_preview (self->gp_camera, gp_file, context)) < GP_OK)
    {
      _capa_camera_job_fail (self, job, r, _("Cannot get a live-view frame"));
      return CAPA_CAMERA_JOB_DONE;
    }

  bytes = camera_file_dup_bytes (gp_file, &mime_type, &r);
  if (bytes == NULL)
    {
      _capa_camera_job_fail (self, job, r, _("Cannot read the live-view frame"));
      return CAPA_CAMERA_JOB_DONE;
    }
  file = capa_camera_file_new ("/", "preview.jpg");
  capa_camera_file_set_mime_type (file, mime_type ? mime_type : "image/jpeg");
  capa_camera_file_set_data (file, bytes);
  _capa_camera_job_set_result (job, file, g_object_unref);

  return CAPA_CAMERA_JOB_DONE;
}

static void
preview_done (CapaCamera    *self,
              CapaCameraJob *job)
{
  if (job->result != NULL)
    g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_PREVIEWED], 0, job->result);
}

/**
 * capa_camera_preview_image:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets a live-view frame, waiting for it. The blocking twin of
 * [method@Capa.Camera.preview_image_async].
 *
 * Returns: (transfer full): the frame, with its data
 */
CapaCameraFile *
capa_camera_preview_image (CapaCamera    *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  return _capa_camera_run_job_sync (self,
                                    _capa_camera_job_new (self, preview_run, preview_done,
                                                          cancellable),
                                    error);
}

/**
 * capa_camera_preview_image_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the frame
 * @user_data: data for @callback
 *
 * Gets one live-view frame (usually a JPEG) from the camera. Call it
 * again for the next frame: the camera sets the pace. Emits
 * [signal@Capa.Camera::file-previewed].
 */
void
capa_camera_preview_image_async (CapaCamera          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self,
                                _capa_camera_job_new (self, preview_run, preview_done, cancellable),
                                capa_camera_preview_image_async, callback, user_data);
}

/**
 * capa_camera_preview_image_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.preview_image_async].
 *
 * Returns: (transfer full): the frame with its data, or %NULL on error
 */
CapaCameraFile *
capa_camera_preview_image_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _capa_camera_finish_object (self, result, capa_camera_preview_image_async, error);
}

typedef struct
{
  GBytes *bytes;                 /* NULL when the data went to a sink */
  char   *mime_type;
  guint64 size;
} DownloadResult;

static void
download_result_free (gpointer data)
{
  DownloadResult *result = data;

  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_free (result->mime_type);
  g_free (result);
}

/* What a download job is given: the file, and where its data goes. */
typedef struct
{
  CapaCameraFile *file;
  CapaCameraSink  sink;          /* sink.write is NULL: into memory */

  /* worker-thread state while streaming */
  GCancellable   *cancellable;
  guint64         received;
  GError         *sink_error;
} Download;

static void
download_free (gpointer data)
{
  Download *download = data;

  g_clear_object (&download->file);
  g_clear_error (&download->sink_error);
  g_free (download);
}

static Download *
download_new (CapaCameraFile       *file,
              const CapaCameraSink *sink)
{
  Download *download = g_new0 (Download, 1);

  download->file = g_object_ref (file);
  if (sink != NULL)
    download->sink = *sink;
  return download;
}

/* libgphoto2 hands each piece of a streamed download to this.  A sink
 * that fails (a full disk) does not stop the transfer: cut off in the
 * middle, the camera's protocol would be left out of step and the camera
 * lost.  The rest is received and dropped, and the sink's error reported
 * at the end. */
static int
sink_handler_write (void          *priv,
                    unsigned char *data,
                    uint64_t      *len)
{
  Download *download = priv;

  download->received += *len;
  if (download->sink_error == NULL && *len > 0)
    download->sink.write (download->sink.data, data, *len, download->cancellable,
                          &download->sink_error);

  return GP_OK;
}

static CameraFileHandler sink_handler = {
  .size = NULL,
  .read = NULL,
  .write = sink_handler_write,
};

static void
download_discard (Download *download)
{
  if (download->sink.discard != NULL)
    download->sink.discard (download->sink.data);
}

static CapaCameraJobStatus
download_run (CapaCamera    *self,
              CapaCameraJob *job,
              GPContext     *context)
{
  Download *download = job->data;
  CapaCameraFile *file = download->file;
  g_autoptr(CameraFile) gp_file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mime_type = NULL;
  DownloadResult *result;
  CameraFileInfo info;
  guint64 expected = 0;
  guint64 received;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    {
      download_discard (download);
      return CAPA_CAMERA_JOB_DONE;
    }

  /* The size the camera announces, to tell a whole file from a cut one:
   * known already for a picture just taken (see fill_info() in capa-camera-shot.c), which
   * saves a round trip to the camera on each shot. */
  expected = capa_camera_file_get_size (file);
  memset (&info, 0, sizeof info);
  if (expected == 0 &&
      gp_camera_file_get_info (self->gp_camera,
                               capa_camera_file_get_folder (file),
                               capa_camera_file_get_name (file),
                               &info, context) >= GP_OK &&
      (info.file.fields & GP_FILE_INFO_SIZE) != 0)
    expected = info.file.size;

  job->progress_file = g_object_ref (file);
  _capa_camera_emit_in_main (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS], file,
                             0.0);

  if (download->sink.write != NULL)
    {
      download->cancellable = job->cancellable;
      r = gp_file_new_from_handler (&gp_file, &sink_handler, download);
    }
  else
    r = gp_file_new (&gp_file);

  if (r >= GP_OK)
    r = gp_camera_file_get (self->gp_camera,
                            capa_camera_file_get_folder (file),
                            capa_camera_file_get_name (file),
                            GP_FILE_TYPE_NORMAL, gp_file, context);
  if (r < GP_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Cannot download “%s”"),
                                               capa_camera_file_get_name (file));

      /* The camera's failure (a lost camera, a cancellation) comes
       * first: the sink never stops a transfer. */
      _capa_camera_job_fail (self, job, r, what);
      download_discard (download);
      return CAPA_CAMERA_JOB_DONE;
    }

  if (download->sink_error != NULL)
    {
      job->error = g_steal_pointer (&download->sink_error);
      download_discard (download);
      return CAPA_CAMERA_JOB_DONE;
    }

  if (download->sink.write != NULL)
    {
      const char *mime = NULL;

      received = download->received;
      if (gp_file_get_mime_type (gp_file, &mime) >= GP_OK && mime != NULL)
        mime_type = g_strdup (mime);
    }
  else
    {
      bytes = camera_file_take_bytes (&gp_file, &mime_type);
      received = bytes != NULL ? g_bytes_get_size (bytes) : 0;
    }

  /* An empty download is never a picture: treated as a failure, it keeps
   * the tether from deleting the camera's copy. */
  if (received == 0)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_IO,
                   _("Cannot download “%s”: the camera sent no data"),
                   capa_camera_file_get_name (file));
      download_discard (download);
      return CAPA_CAMERA_JOB_DONE;
    }

  if (expected > 0 && received < expected)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_IO,
                   _("Cannot download “%s”: the camera sent %" G_GUINT64_FORMAT
                     " bytes of %" G_GUINT64_FORMAT),
                   capa_camera_file_get_name (file), received, expected);
      download_discard (download);
      return CAPA_CAMERA_JOB_DONE;
    }

  result = g_new0 (DownloadResult, 1);
  result->bytes = g_steal_pointer (&bytes);
  result->mime_type = g_steal_pointer (&mime_type);
  result->size = received;
  _capa_camera_job_set_result (job, result, download_result_free);

  return CAPA_CAMERA_JOB_DONE;
}

static void
download_done (CapaCamera    *self,
               CapaCameraJob *job)
{
  Download *download = job->data;
  CapaCameraFile *file = download->file;
  DownloadResult *result = job->result;

  if (result == NULL)
    return;

  if (result->mime_type != NULL)
    capa_camera_file_set_mime_type (file, result->mime_type);
  if (capa_camera_file_get_size (file) == 0)
    capa_camera_file_set_size (file, result->size);
  if (result->bytes != NULL)
    capa_camera_file_set_data (file, result->bytes);
  _capa_camera_set_download_progress (self, 1.0, file);
  g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_DOWNLOADED], 0, file);

  /* The data now lives in the file; the operation returns a boolean. */
  _capa_camera_job_set_result (job, NULL, NULL);
}

/**
 * capa_camera_download_file:
 * @self: a #CapaCamera
 * @file: a file on the camera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Downloads @file, waiting for it. The blocking twin of
 * [method@Capa.Camera.download_file_async].
 *
 * Returns: %TRUE once @file holds its data
 */
gboolean
capa_camera_download_file (CapaCamera      *self,
                           CapaCameraFile  *file,
                           GCancellable    *cancellable,
                           GError         **error)
{
  CapaCameraJob *job;

  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  job = _capa_camera_bool_job_new (self, download_run, download_done, cancellable);
  _capa_camera_job_set_data (job, download_new (file, NULL), download_free);
  return _capa_camera_run_bool_job_sync (self, job, error);
}

/**
 * capa_camera_download_file_async:
 * @self: a #CapaCamera
 * @file: a file on the camera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when @file holds its data
 * @user_data: data for @callback
 *
 * Downloads @file from the camera into memory: once done,
 * [method@Capa.CameraFile.get_data] returns its contents. Progress is
 * reported by [signal@Capa.Camera::download-progress], and
 * [signal@Capa.Camera::file-downloaded] is emitted at the end.
 */
void
capa_camera_download_file_async (CapaCamera          *self,
                                 CapaCameraFile      *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CapaCameraJob *job;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (CAPA_IS_CAMERA_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = _capa_camera_bool_job_new (self, download_run, download_done, cancellable);
  _capa_camera_job_set_data (job, download_new (file, NULL), download_free);
  _capa_camera_queue_job_async (self, job, capa_camera_download_file_async, callback, user_data);
}

/**
 * capa_camera_download_file_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.download_file_async].
 *
 * Returns: %TRUE if the file holds its data
 */
gboolean
capa_camera_download_file_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_download_file_async, error);
}

/*
 * _capa_camera_download_file_to_async:
 * @self: a #CapaCamera
 * @file: a file on the camera
 * @sink: where the data goes, piece by piece, on the camera's worker
 *   thread; it must stay valid until the callback runs
 * @cancellable: (nullable): a #GCancellable
 *
 * Downloads @file like capa_camera_download_file_async(), but hands the
 * data to @sink as it arrives instead of keeping it in memory: the tether
 * streams a picture straight into the session folder, so that the disk
 * writes while the camera sends. @file holds no data afterwards. On
 * failure (of the camera or of the sink) the sink's discard function runs
 * on the worker before the callback.
 */
void
_capa_camera_download_file_to_async (CapaCamera           *self,
                                     CapaCameraFile       *file,
                                     const CapaCameraSink *sink,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  CapaCameraJob *job;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (CAPA_IS_CAMERA_FILE (file));
  g_return_if_fail (sink != NULL && sink->write != NULL);

  job = _capa_camera_bool_job_new (self, download_run, download_done, cancellable);
  _capa_camera_job_set_data (job, download_new (file, sink), download_free);
  _capa_camera_queue_job_async (self, job, _capa_camera_download_file_to_async, callback,
                                user_data);
}

gboolean
_capa_camera_download_file_to_finish (CapaCamera    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _capa_camera_finish_boolean (self, result, _capa_camera_download_file_to_async, error);
}

static CapaCameraJobStatus
delete_run (CapaCamera    *self,
            CapaCameraJob *job,
            GPContext     *context)
{
  CapaCameraFile *file = job->data;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  r = gp_camera_file_delete (self->gp_camera,
                             capa_camera_file_get_folder (file),
                             capa_camera_file_get_name (file),
                             context);
  if (r < GP_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Cannot delete “%s” from the camera"),
                                               capa_camera_file_get_name (file));

      _capa_camera_job_fail (self, job, r, what);
    }

  return CAPA_CAMERA_JOB_DONE;
}

static void
delete_done (CapaCamera    *self,
             CapaCameraJob *job)
{
  if (job->error == NULL)
    g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_DELETED], 0, job->data);
}

/**
 * capa_camera_delete_file:
 * @self: a #CapaCamera
 * @file: a file on the camera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes @file from the camera, waiting for it. The blocking twin of
 * [method@Capa.Camera.delete_file_async].
 *
 * Returns: %TRUE once the file is deleted
 */
gboolean
capa_camera_delete_file (CapaCamera      *self,
                         CapaCameraFile  *file,
                         GCancellable    *cancellable,
                         GError         **error)
{
  CapaCameraJob *job;

  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  job = _capa_camera_bool_job_new (self, delete_run, delete_done, cancellable);
  _capa_camera_job_set_data (job, g_object_ref (file), g_object_unref);
  return _capa_camera_run_bool_job_sync (self, job, error);
}

/**
 * capa_camera_delete_file_async:
 * @self: a #CapaCamera
 * @file: a file on the camera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the file is deleted
 * @user_data: data for @callback
 *
 * Deletes @file from the camera's card. Emits [signal@Capa.Camera::file-deleted].
 */
void
capa_camera_delete_file_async (CapaCamera          *self,
                               CapaCameraFile      *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  CapaCameraJob *job;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (CAPA_IS_CAMERA_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = _capa_camera_bool_job_new (self, delete_run, delete_done, cancellable);
  _capa_camera_job_set_data (job, g_object_ref (file), g_object_unref);
  _capa_camera_queue_job_async (self, job, capa_camera_delete_file_async, callback, user_data);
}

/**
 * capa_camera_delete_file_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.delete_file_async].
 *
 * Returns: %TRUE if the file was deleted
 */
gboolean
capa_camera_delete_file_finish (CapaCamera    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_delete_file_async, error);
}

static void
list_folder (CapaCamera *self,
             const char *folder,
             GPtrArray  *files,
             GPContext  *context,
             guint       depth,
             int        *result)
{
  g_autoptr(CameraList) list = NULL;
  int n;

  if (*result < GP_OK || depth > 8)
    return;

  if ((*result = gp_list_new (&list)) < GP_OK)
    return;
  *result = gp_camera_folder_list_files (self->gp_camera, folder, list, context);
  if (*result < GP_OK)
    return;

  n = gp_list_count (list);
  for (int i = 0; i < n; i++)
    {
      const char *name = NULL;

      if ((*result = gp_list_get_name (list, i, &name)) < GP_OK)
        return;
      if (name == NULL)
        continue;
      g_ptr_array_add (files, capa_camera_file_new (folder, name));
    }

  gp_list_reset (list);
  *result = gp_camera_folder_list_folders (self->gp_camera, folder, list, context);
  if (*result < GP_OK)
    return;

  n = gp_list_count (list);
  for (int i = 0; i < n && *result >= GP_OK; i++)
    {
      const char *name = NULL;
      g_autofree char *child = NULL;

      if ((*result = gp_list_get_name (list, i, &name)) < GP_OK)
        return;
      if (name == NULL)
        continue;
      child = g_build_path ("/", folder, name, NULL);
      list_folder (self, child, files, context, depth + 1, result);
    }
}

static CapaCameraJobStatus
list_files_run (CapaCamera    *self,
                CapaCameraJob *job,
                GPContext     *context)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  int result = GP_OK;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  list_folder (self, job->data, files, context, 0, &result);
  if (result < GP_OK)
    {
      _capa_camera_job_fail (self, job, result, _("Cannot list the files on the camera"));
      return CAPA_CAMERA_JOB_DONE;
    }

  _capa_camera_job_set_result (job, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
  return CAPA_CAMERA_JOB_DONE;
}

/**
 * capa_camera_list_files:
 * @self: a #CapaCamera
 * @folder: the folder to list, such as "/"
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the files in @folder and its subfolders, waiting for it. The
 * blocking twin of [method@Capa.Camera.list_files_async].
 *
 * Returns: (transfer container) (element-type CapaCameraFile): the files,
 *   not downloaded
 */
GPtrArray *
capa_camera_list_files (CapaCamera    *self,
                        const char    *folder,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CapaCameraJob *job;

  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  job = _capa_camera_job_new (self, list_files_run, NULL, cancellable);
  _capa_camera_job_set_data (job, g_strdup (folder), g_free);
  return _capa_camera_run_job_sync (self, job, error);
}

/**
 * capa_camera_list_files_async:
 * @self: a #CapaCamera
 * @folder: the folder to list, such as "/"
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the files
 * @user_data: data for @callback
 *
 * Lists the files on the camera in @folder and its subfolders; this is
 * how cameras without events are watched for new pictures.
 */
void
capa_camera_list_files_async (CapaCamera          *self,
                              const char          *folder,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CapaCameraJob *job;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (folder != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = _capa_camera_job_new (self, list_files_run, NULL, cancellable);
  _capa_camera_job_set_data (job, g_strdup (folder), g_free);
  _capa_camera_queue_job_async (self, job, capa_camera_list_files_async, callback, user_data);
}

/**
 * capa_camera_list_files_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.list_files_async].
 *
 * Returns: (transfer container) (element-type CapaCameraFile): the files,
 *   or %NULL on error
 */
GPtrArray *
capa_camera_list_files_finish (CapaCamera    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _capa_camera_finish_object (self, result, capa_camera_list_files_async, error);
}

