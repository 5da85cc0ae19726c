/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaCamera: shots as real cameras make them — every file of a shot
 * (RAW + JPEG), a camera busy for a moment after a shot, bulb exposures and
 * the capture target (the camera's RAM or its memory card). */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-camera-private.h"
#include "capa-control-private.h"
#include "capa-gphoto2-private.h"

/* After a capture returns, the other files of the shot are announced by
 * events (as ptp2 does for RAW + JPEG on Canon, Nikon and Sony bodies):
 * they are collected until GP_EVENT_CAPTURE_COMPLETE, or until the camera
 * has been quiet for SHOT_QUIET_MS, and never for longer than SHOT_MAX_MS. */
#define SHOT_QUIET_MS 250
#define SHOT_MAX_MS   3000
/* After a bulb exposure the camera may take a while (noise reduction)
 * before it announces the first file. */
#define BULB_FILE_WAIT_MS 30000
/* A busy camera is asked again after this long, doubling up to the most. */
#define BUSY_DELAY_MIN_MS 50
#define BUSY_DELAY_MAX_MS 1000
/* How often a bulb exposure reports its remaining time. */
#define BULB_TICK_MS 100

/* --- busy cameras --- */

/* Sleeps on the worker for @ms, waking early when @cancellable is
 * cancelled; FALSE if it was. */
static gboolean
sleep_unless_cancelled (GCancellable *cancellable,
                        guint         ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (now >= end)
        return TRUE;
      g_usleep (MIN (end - now, 10 * 1000));
    }
}

/*
 * _capa_camera_wait_if_busy:
 * @self: the camera
 * @job: the job that met GP_ERROR_CAMERA_BUSY
 * @since: (inout): when the camera first answered busy, 0 before
 * @attempt: (inout): how many times it was asked again
 *
 * Worker thread. Waits a short, growing while before the job asks the
 * busy camera again; FALSE once [property@Capa.Camera:busy-timeout] ran
 * out (or the job was cancelled): the job then fails with
 * _capa_camera_job_fail_busy().
 */
gboolean
_capa_camera_wait_if_busy (CapaCamera    *self,
                           CapaCameraJob *job,
                           gint64        *since,
                           guint         *attempt)
{
  gint64 now = g_get_monotonic_time ();
  gint64 limit = (gint64) g_atomic_int_get (&self->busy_timeout_s) * G_USEC_PER_SEC;
  gint64 left;
  guint delay_ms;

  if (*since == 0)
    *since = now;
  left = *since + limit - now;
  if (left <= 0)
    return FALSE;

  delay_ms = BUSY_DELAY_MIN_MS << MIN (*attempt, 5);
  delay_ms = MIN (delay_ms, BUSY_DELAY_MAX_MS);
  delay_ms = (guint) MIN ((gint64) delay_ms, left / 1000 + 1);
  (*attempt)++;
  g_debug ("The camera is busy: asking again in %u ms", delay_ms);
  return sleep_unless_cancelled (job->cancellable, delay_ms);
}

/* The camera stayed busy for longer than it may: fails @job. */
void
_capa_camera_job_fail_busy (CapaCamera    *self,
                            CapaCameraJob *job,
                            const char    *what)
{
  guint seconds = (guint) g_atomic_int_get (&self->busy_timeout_s);

  g_clear_error (&job->error);
  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return;
  g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BUSY,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: the camera is busy and stayed so for %u second. Wait until it "
                            "has finished (writing to its card, say) and try again.",
                            "%s: the camera is busy and stayed so for %u seconds. Wait until it "
                            "has finished (writing to its card, say) and try again.",
                            seconds),
               what, seconds);
}

/* --- the files of a shot --- */

/* libgphoto2 names a file the camera made in its RAM "captNNNN.ext", with
 * a counter that goes up by file, not by shot (ptp2 on Nikon, Canon EOS
 * and Sony bodies; pentax): a RAW + JPEG shot comes as capt0004.nef and
 * capt0005.jpg. Parses such a name. */
static gboolean
parse_ram_name (const char  *name,
                guint       *number,
                const char **extension)
{
  const char *dot = strrchr (name, '.');
  const char *digits = name + strlen ("capt");
  guint64 value = 0;

  if (!g_str_has_prefix (name, "capt") || dot == NULL || dot - digits < 4 || dot - digits > 9 ||
      dot[1] == '\0')
    return FALSE;
  for (const char *c = digits; c < dot; c++)
    {
      if (!g_ascii_isdigit (*c))
        return FALSE;
      value = value * 10 + (guint64) (*c - '0');
    }

  *number = (guint) value;
  *extension = dot;
  return TRUE;
}

/*
 * _capa_camera_file_from_camera:
 *
 * Worker thread: a file the camera reported (a capture's, or an event's,
 * in the camera's order), knowing its shot. The files of a shot share
 * their name before the extension; those libgphoto2 names "captNNNN"
 * share the shot of the file numbered just before them, in the same
 * folder, when it came at most SHOT_MAX_MS before and the shot has no
 * file of their extension yet.
 */
CapaCameraFile *
_capa_camera_file_from_camera (CapaCamera *self,
                               const char *folder,
                               const char *name)
{
  CapaCameraFile *file = capa_camera_file_new (folder, name);
  const char *extension;
  g_autofree char *dotted = NULL;
  g_autofree char *tag = NULL;
  gint64 now;
  guint number;

  if (!parse_ram_name (name, &number, &extension))
    return file;

  now = g_get_monotonic_time ();
  dotted = g_strconcat (extension, ".", NULL);
  tag = g_ascii_strup (dotted, -1);
  if (self->ram_shot_key != NULL && number == self->ram_shot_number + 1 &&
      now - self->ram_shot_time <= (gint64) SHOT_MAX_MS * 1000 &&
      g_str_has_prefix (self->ram_shot_key, folder) && self->ram_shot_key[strlen (folder)] == '/' &&
      strstr (self->ram_shot_exts, tag) == NULL)
    {
      char *exts = g_strconcat (self->ram_shot_exts, tag + 1, NULL);

      g_debug ("%s/%s is of the shot of the file before it", folder, name);
      g_free (self->ram_shot_exts);
      self->ram_shot_exts = exts;
    }
  else
    {
      g_free (self->ram_shot_key);
      self->ram_shot_key = _capa_camera_file_dup_shot_key (file);
      g_free (self->ram_shot_exts);
      self->ram_shot_exts = g_steal_pointer (&tag);
    }
  self->ram_shot_number = number;
  self->ram_shot_time = now;
  _capa_camera_file_set_shot_key (file, self->ram_shot_key);
  return file;
}

/* Worker thread: the next file named "captNNNN" starts a shot (the camera
 * is closed: libgphoto2 counts again from 0). */
void
_capa_camera_forget_ram_shot (CapaCamera *self)
{
  g_clear_pointer (&self->ram_shot_key, g_free);
  g_clear_pointer (&self->ram_shot_exts, g_free);
}

/* Whether @file is another file of the shot whose first file is @first. */
static gboolean
same_shot (CapaCameraFile *first,
           CapaCameraFile *file)
{
  g_autofree char *key = _capa_camera_file_dup_shot_key (first);
  g_autofree char *other = _capa_camera_file_dup_shot_key (file);

  return g_str_equal (key, other) &&
         g_strcmp0 (capa_camera_file_get_name (first), capa_camera_file_get_name (file)) != 0;
}

/* Fills a new file's MIME type and size (worker thread). */
static void
fill_info (CapaCamera     *self,
           CapaCameraFile *file,
           GPContext      *context)
{
  CameraFileInfo info;

  memset (&info, 0, sizeof info);
  if (gp_camera_file_get_info (self->gp_camera, capa_camera_file_get_folder (file),
                               capa_camera_file_get_name (file), &info, context) < GP_OK)
    return;
  if (info.file.fields & GP_FILE_INFO_TYPE && info.file.type[0] != '\0')
    capa_camera_file_set_mime_type (file, info.file.type);
  if (info.file.fields & GP_FILE_INFO_SIZE)
    capa_camera_file_set_size (file, info.file.size);
}

/*
 * _capa_camera_route_shot_event:
 *
 * Worker thread, for a job that reads events while a shot taken by
 * _capa_camera_capture_first_async() waits for its other files: takes the
 * event into that shot when it is one of its files, or the camera saying
 * the capture is complete. Returns %TRUE when the event was the shot's.
 */
gboolean
_capa_camera_route_shot_event (CapaCamera      *self,
                               GPContext       *context,
                               CameraEventType  type,
                               gpointer         event_data)
{
  CameraFilePath *path = event_data;
  CapaCameraFile *file;

  if (self->shot_files == NULL)
    return FALSE;
  /* Past the time a shot's files come in: the events go their usual way,
   * and the files routed so far stay for the shot's collection job. */
  if (g_get_monotonic_time () - self->shot_start > (gint64) SHOT_MAX_MS * 1000)
    return FALSE;

  if (type == GP_EVENT_CAPTURE_COMPLETE)
    {
      self->shot_complete = TRUE;
      return TRUE;
    }
  if (type != GP_EVENT_FILE_ADDED)
    return FALSE;

  file = _capa_camera_file_from_camera (self, path->folder, path->name);
  if (!same_shot (g_ptr_array_index (self->shot_files, 0), file))
    {
      /* Reported as usual, knowing its shot. */
      _capa_camera_emit_in_main (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_ADDED],
                                 file, 0);
      g_object_unref (file);
      return TRUE;
    }

  g_debug ("Shot: another file, %s/%s", path->folder, path->name);
  fill_info (self, file, context);
  g_ptr_array_add (self->shot_files, file);
  return TRUE;
}

/* Worker thread: forgets the shot waiting for its other files. */
void
_capa_camera_drop_shot (CapaCamera *self)
{
  g_clear_pointer (&self->shot_files, g_ptr_array_unref);
  self->shot_complete = FALSE;
}

/* The settings that say what files a shot makes, by the names libgphoto2
 * gives them (Canon; Nikon, Sony and others). */
static const char * const format_controls[] = { "imageformat", "imagequality" };

/*
 * shot_expected_files:
 *
 * Worker thread: how many files the camera's image format makes a shot: 1,
 * 2 for a two-file format, named with a '+' by every driver ("RAW + Large
 * Fine JPEG", "NEF+Fine", "RAW+JPEG") in English: libgphoto2 translates
 * them, not always with a '+' ("Brut et grand JPEG fin"), so the value is
 * read untranslated; or 0 when the camera has no such setting (it may
 * make several).
 */
static guint
shot_expected_files (CapaCamera *self,
                     GPContext  *context)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_controls); i++)
    {
      CameraWidget *widget = NULL;
      CameraWidgetType type;
      const char *value = NULL;
      guint expected = 0;

      if (_capa_gp_get_single_config_untranslated (self->gp_camera, format_controls[i],
                                                   &widget, context) < GP_OK)
        continue;
      if (gp_widget_get_type (widget, &type) >= GP_OK &&
          (type == GP_WIDGET_RADIO || type == GP_WIDGET_MENU || type == GP_WIDGET_TEXT) &&
          gp_widget_get_value (widget, &value) >= GP_OK && value != NULL)
        expected = strchr (value, '+') != NULL ? 2 : 1;
      gp_widget_free (widget);
      return expected;
    }

  return 0;
}

/*
 * _capa_camera_collect_shot:
 * @files: (element-type CapaCameraFile): the files of the shot so far;
 *   empty when the camera announces even the first by an event
 * @first_wait_ms: how long to wait for the first file when @files is empty
 *
 * Worker thread, right after a capture: reads the camera's events and adds
 * to @files every file the camera announces for this shot (the same name
 * with another extension), until GP_EVENT_CAPTURE_COMPLETE, a quiet
 * moment (none while a two-file format's second file has not come), or
 * SHOT_MAX_MS. A camera whose image format makes one file a shot
 * is not waited for once it has one: only the events it has already queued
 * are read, so that the picture is not held back (a file it announces
 * later still reaches [signal@Capa.Camera::file-added]). Files of other
 * shots are reported by
 * [signal@Capa.Camera::file-added] as usual; a changed setting has the
 * settings read again at the next event slice.
 */
void
_capa_camera_collect_shot (CapaCamera    *self,
                           CapaCameraJob *job,
                           GPContext     *context,
                           GPtrArray     *files,
                           guint          first_wait_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (SHOT_MAX_MS + (files->len == 0 ? first_wait_ms : 0)) * 1000;
  guint expected = shot_expected_files (self, context);
  int quiet_ms = expected == 1 ? 0 : SHOT_QUIET_MS;

  for (;;)
    {
      CameraEventType type = GP_EVENT_TIMEOUT;
      void *event_data = NULL;
      gint64 now = g_get_monotonic_time ();
      int wait_ms = files->len == 0 ? (int) first_wait_ms : quiet_ms;
      int r;

      /* A two-file format's second file is waited for (SHOT_MAX_MS at
       * most), however slowly the camera writes the first (to its card,
       * say). */
      if (files->len > 0 && files->len < expected)
        wait_ms = SHOT_MAX_MS;

      if (now >= end)
        break;
      wait_ms = (int) MIN ((gint64) wait_ms, (end - now) / 1000 + 1);
      r = gp_camera_wait_for_event (self->gp_camera, wait_ms, &type, &event_data, context);
      if (r < GP_OK)
        {
          /* A camera without events (or one that stopped answering): the
           * shot is what the capture named; a later job meets the fault. */
          free (event_data);
          break;
        }

      if (type == GP_EVENT_FILE_ADDED || type == GP_EVENT_FILE_CHANGED)
        {
          CameraFilePath *path = event_data;
          g_autoptr(CapaCameraFile) file = NULL;

          if (type == GP_EVENT_FILE_ADDED)
            file = _capa_camera_file_from_camera (self, path->folder, path->name);
          if (file != NULL &&
              (files->len == 0 || same_shot (g_ptr_array_index (files, 0), file)))
            {
              g_debug ("Shot: another file, %s/%s", path->folder, path->name);
              fill_info (self, file, context);
              g_ptr_array_add (files, g_steal_pointer (&file));
            }
          else if (file != NULL)
            _capa_camera_emit_in_main (self,
                                       _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_ADDED],
                                       file, 0);
        }
      else if (type == GP_EVENT_UNKNOWN)
        {
          g_autofree char *name = NULL;

          /* A setting changed: the whole tree is read at the next slice. */
          if (event_data != NULL && _capa_parse_property_event (event_data, &name))
            self->reload_pending = TRUE;
        }

      free (event_data);
      if (type == GP_EVENT_CAPTURE_COMPLETE && files->len > 0)
        break;
      if (type == GP_EVENT_TIMEOUT)
        break;
    }
}

static void capture_shot_done (CapaCamera    *self,
                               CapaCameraJob *job);

static CapaCameraJobStatus
capture_shot_run (CapaCamera    *self,
                  CapaCameraJob *job,
                  GPContext     *context)
{
  g_autoptr(GPtrArray) files = NULL;

  files = _capa_camera_capture_files_on_worker (self, job, context, TRUE);
  if (files != NULL)
    _capa_camera_job_set_result (job, g_steal_pointer (&files),
                                 (GDestroyNotify) g_ptr_array_unref);
  return CAPA_CAMERA_JOB_DONE;
}

static CapaCameraJobStatus
capture_first_run (CapaCamera    *self,
                   CapaCameraJob *job,
                   GPContext     *context)
{
  g_autoptr(GPtrArray) files = NULL;

  /* Another capture waits (the next shot of a burst, asked for during
   * this one): the rest of this shot is collected now, before that one
   * takes another picture. Other jobs (a settings read, say) wait behind
   * the first file's download, as they would anyway. */
  files = _capa_camera_capture_files_on_worker (self, job, context,
                                                _capa_camera_job_captures_queued (self));
  if (files != NULL)
    _capa_camera_job_set_result (job, g_steal_pointer (&files),
                                 (GDestroyNotify) g_ptr_array_unref);
  return CAPA_CAMERA_JOB_DONE;
}

static CapaCameraJobStatus
collect_rest_run (CapaCamera    *self,
                  CapaCameraJob *job,
                  GPContext     *context)
{
  const char *first = job->data;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *collected_key = NULL;
  GPtrArray *rest = g_ptr_array_new_with_free_func (g_object_unref);

  /* The shot waiting for its other files is @first's; else they were
   * collected with the capture, or before the next one. */
  if (self->shot_files != NULL)
    {
      g_autofree char *path = capa_camera_file_dup_path (g_ptr_array_index (self->shot_files, 0));

      if (g_str_equal (path, first))
        files = g_steal_pointer (&self->shot_files);
    }
  if (files == NULL && self->shots_collected != NULL &&
      g_hash_table_steal_extended (self->shots_collected, first, (gpointer *) &collected_key,
                                   (gpointer *) &files))
    {
      for (guint i = 1; i < files->len; i++)
        g_ptr_array_add (rest, g_object_ref (g_ptr_array_index (files, i)));
      _capa_camera_job_set_result (job, rest, (GDestroyNotify) g_ptr_array_unref);
      return CAPA_CAMERA_JOB_DONE;
    }
  if (files != NULL && !self->shot_complete && _capa_camera_job_check_open (self, job))
    _capa_camera_collect_shot (self, job, context, files, 0);
  g_clear_error (&job->error);
  if (files != NULL)
    _capa_camera_drop_shot (self);

  for (guint i = 1; files != NULL && i < files->len; i++)
    g_ptr_array_add (rest, g_object_ref (g_ptr_array_index (files, i)));
  _capa_camera_job_set_result (job, rest, (GDestroyNotify) g_ptr_array_unref);
  return CAPA_CAMERA_JOB_DONE;
}

/* Takes a picture and returns its first file at once, in a one-file
 * array; _capa_camera_collect_rest_async(), asked for next, gives the
 * shot's other files. Emits ::file-captured. */
void
_capa_camera_capture_first_async (CapaCamera          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CapaCameraJob *job = _capa_camera_capture_job_new (self, capture_first_run,
                                                     capture_shot_done, cancellable);

  _capa_camera_queue_job_async (self, job, _capa_camera_capture_first_async, callback,
                                user_data);
}

GPtrArray *
_capa_camera_capture_first_finish (CapaCamera    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _capa_camera_finish_object (self, result, _capa_camera_capture_first_async, error);
}

/* The other files of the shot whose first file _capa_camera_capture_first_async()
 * gave as @first (empty when it made one, when they came with it, or when
 * the camera is gone): collected as capa_camera_capture_shot_async() does,
 * never failing. */
void
_capa_camera_collect_rest_async (CapaCamera          *self,
                                 CapaCameraFile      *first,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CapaCameraJob *job = _capa_camera_job_new (self, collect_rest_run, NULL, NULL);

  _capa_camera_job_set_data (job, capa_camera_file_dup_path (first), g_free);
  _capa_camera_queue_job_async (self, job, _capa_camera_collect_rest_async, callback, user_data);
}

GPtrArray *
_capa_camera_collect_rest_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _capa_camera_finish_object (self, result, _capa_camera_collect_rest_async, error);
}

/* Worker thread: collects the rest of the shot waiting for its other
 * files, and keeps them for its collection job (collect_rest_run ()). */
static void
finish_pending_shot (CapaCamera    *self,
                     CapaCameraJob *job,
                     GPContext     *context)
{
  g_autoptr(GPtrArray) files = g_steal_pointer (&self->shot_files);
  char *key;

  if (files == NULL)
    return;
  if (!self->shot_complete)
    _capa_camera_collect_shot (self, job, context, files, 0);
  _capa_camera_drop_shot (self);

  if (self->shots_collected == NULL)
    self->shots_collected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                   (GDestroyNotify) g_ptr_array_unref);
  key = capa_camera_file_dup_path (g_ptr_array_index (files, 0));
  g_hash_table_replace (self->shots_collected, key, g_steal_pointer (&files));
}

/*
 * _capa_camera_capture_files_on_worker:
 *
 * Worker thread: takes a picture, asking a busy camera again for up to
 * [property@Capa.Camera:busy-timeout], and collects every file of the
 * shot. %NULL with job->error set on failure.
 */
GPtrArray *
_capa_camera_capture_files_on_worker (CapaCamera    *self,
                                      CapaCameraJob *job,
                                      GPContext     *context,
                                      gboolean       collect)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  CameraFilePath path;
  CapaCameraFile *file;
  gint64 busy_since = 0;
  guint attempt = 0;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    return NULL;

  /* A shot taken before still waits for its other files: they are
   * collected now, before this picture's files can mix with them, and
   * kept for its collection job. */
  finish_pending_shot (self, job, context);

  for (;;)
    {
      memset (&path, 0, sizeof path);
      g_clear_pointer (&job->context_error, g_free);
      r = gp_camera_capture (self->gp_camera, GP_CAPTURE_IMAGE, &path, context);
      if (r != GP_ERROR_CAMERA_BUSY)
        break;
      if (!_capa_camera_wait_if_busy (self, job, &busy_since, &attempt))
        {
          _capa_camera_job_fail_busy (self, job, _("Cannot take a picture"));
          return NULL;
        }
    }
  if (r < GP_OK)
    {
      _capa_camera_job_fail (self, job, r, _("Cannot take a picture"));
      return NULL;
    }

  file = _capa_camera_file_from_camera (self, path.folder, path.name);
  fill_info (self, file, context);
  g_ptr_array_add (files, file);
  if (collect)
    _capa_camera_collect_shot (self, job, context, files, 0);
  else
    {
      /* The others are collected by _capa_camera_collect_rest_async(),
       * after the first is downloaded; events read meanwhile by other
       * jobs are routed to the shot. */
      self->shot_files = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->shot_files, g_object_ref (file));
      self->shot_start = g_get_monotonic_time ();
    }

  return g_steal_pointer (&files);
}

static void
capture_shot_done (CapaCamera    *self,
                   CapaCameraJob *job)
{
  GPtrArray *files = job->result;

  if (files != NULL && files->len > 0)
    g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_CAPTURED], 0,
                   g_ptr_array_index (files, 0));
}

/**
 * capa_camera_capture_shot:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Takes a picture and waits for every file of it. The blocking twin of
 * [method@Capa.Camera.capture_shot_async].
 *
 * Returns: (transfer container) (element-type CapaCameraFile): the files
 *   of the shot on the camera, not downloaded, or %NULL on error
 */
GPtrArray *
capa_camera_capture_shot (CapaCamera    *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  return _capa_camera_run_job_sync (self,
                                    _capa_camera_capture_job_new (self, capture_shot_run,
                                                                  capture_shot_done, cancellable),
                                    error);
}

/**
 * capa_camera_capture_shot_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the files of the shot
 * @user_data: data for @callback
 *
 * Takes a picture, like [method@Capa.Camera.capture_image_async], and
 * returns every file the shot made: a camera set to RAW + JPEG makes two,
 * the one the capture names and one it announces right after by an
 * event. They are collected until the camera says the capture is
 * complete, or has been quiet for a quarter of a second (when its image
 * format names two files, until the second has come, for up to three
 * seconds). A camera whose
 * image format makes one file a shot (its `imageformat` or `imagequality`
 * setting names no second file with a "+") is not waited for: the shot is
 * returned as soon as the camera has taken it.
 *
 * A camera that answers "busy" (writing the previous shot to its card,
 * say) is asked again after a short, growing pause for up to
 * [property@Capa.Camera:busy-timeout] seconds; only then does the capture
 * fail with %CAPA_CAMERA_ERROR_BUSY.
 *
 * Emits [signal@Capa.Camera::file-captured] for the first file.
 */
void
capa_camera_capture_shot_async (CapaCamera          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self,
                                _capa_camera_capture_job_new (self, capture_shot_run,
                                                              capture_shot_done, cancellable),
                                capa_camera_capture_shot_async, callback, user_data);
}

/* --- several cameras fired together --- */

typedef struct
{
  CapaStartGate *gate;
  guint          member;
} GateMember;

static void
gate_member_free (gpointer data)
{
  GateMember *gated = data;

  /* A job that never ran (cancelled while queued) never arrived. */
  _capa_start_gate_withdraw (gated->gate, gated->member);
  _capa_start_gate_unref (gated->gate);
  g_free (gated);
}

static CapaCameraJobStatus
capture_shot_gated_run (CapaCamera    *self,
                        CapaCameraJob *job,
                        GPContext     *context)
{
  GateMember *gated = job->data;

  if (!_capa_camera_job_check_open (self, job))
    {
      _capa_start_gate_withdraw (gated->gate, gated->member);
      return CAPA_CAMERA_JOB_DONE;
    }
  /* The camera is ready: wait for the others, then all fire at once. */
  if (!_capa_start_gate_pass (gated->gate, gated->member, job->cancellable))
    {
      g_cancellable_set_error_if_cancelled (job->cancellable, &job->error);
      return CAPA_CAMERA_JOB_DONE;
    }
  return capture_first_run (self, job, context);
}

void
_capa_camera_capture_shot_gated_async (CapaCamera          *self,
                                       CapaStartGate       *gate,
                                       guint                member,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  CapaCameraJob *job;
  GateMember *gated;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (gate != NULL);

  job = _capa_camera_capture_job_new (self, capture_shot_gated_run, capture_shot_done, cancellable);
  gated = g_new0 (GateMember, 1);
  gated->gate = _capa_start_gate_ref (gate);
  gated->member = member;
  _capa_camera_job_set_data (job, gated, gate_member_free);
  /* Finished as _capa_camera_capture_first_async() is. */
  _capa_camera_queue_job_async (self, job, _capa_camera_capture_first_async, callback, user_data);
}

/**
 * capa_camera_capture_shot_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.capture_shot_async].
 *
 * Returns: (transfer container) (element-type CapaCameraFile): the files
 *   of the shot on the camera, the one the capture named first, or %NULL
 *   on error
 */
GPtrArray *
capa_camera_capture_shot_finish (CapaCamera    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _capa_camera_finish_object (self, result, capa_camera_capture_shot_async, error);
}

/* --- bulb --- */

typedef enum
{
  BULB_NONE,
  BULB_TOGGLE,            /* "bulb": 1 opens, 0 closes (Nikon, Canon, the test camera) */
  BULB_REMOTE_RELEASE,    /* Canon "eosremoterelease": Press Full, Release Full */
} BulbKind;

typedef struct
{
  double   seconds;
  guint    generation;
} BulbData;

typedef struct
{
  CapaCamera *self;
  double      remaining;
  guint       generation;
} BulbTick;

static gboolean
bulb_tick_cb (gpointer data)
{
  BulbTick *tick = data;

  /* A late tick of an exposure that is over already changes nothing. */
  if (tick->generation == tick->self->bulb_generation)
    _capa_camera_set_bulb_remaining (tick->self, tick->remaining);
  return G_SOURCE_REMOVE;
}

static void
bulb_tick_free (gpointer data)
{
  BulbTick *tick = data;

  g_object_unref (tick->self);
  g_free (tick);
}

static void
post_remaining (CapaCamera *self,
                guint       generation,
                double      remaining)
{
  BulbTick *tick = g_new0 (BulbTick, 1);

  tick->self = g_object_ref (self);
  tick->generation = generation;
  tick->remaining = MAX (remaining, 0.0);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, bulb_tick_cb, tick,
                              bulb_tick_free);
}

/* The choice of @widget that is libgphoto2's @msgid, translated as the
 * driver offers it (ptp2 refuses the English words in another language);
 * @msgid itself when no choice is. */
static const char *
find_choice (CameraWidget *widget,
             const char   *msgid)
{
  int n = gp_widget_count_choices (widget);

  for (int i = 0; i < n; i++)
    {
      const char *text = NULL;

      if (gp_widget_get_choice (widget, i, &text) >= GP_OK && _capa_gp_text_is (text, msgid))
        return text;
    }

  return msgid;
}

/* Sets the bulb control: @open the shutter or close it. */
static int
set_bulb (CapaCamera *self,
          BulbKind    kind,
          gboolean    open,
          GPContext  *context)
{
  const char *name = kind == BULB_TOGGLE ? "bulb" : "eosremoterelease";
  CameraWidget *widget = NULL;
  int r;

  r = gp_camera_get_single_config (self->gp_camera, name, &widget, context);
  if (r < GP_OK)
    return r;
  if (kind == BULB_TOGGLE)
    {
      int value = open ? 1 : 0;

      r = gp_widget_set_value (widget, &value);
    }
  else
    r = gp_widget_set_value (widget, find_choice (widget, open ? "Press Full" : "Release Full"));
  if (r >= GP_OK)
    r = gp_camera_set_single_config (self->gp_camera, name, widget, context);
  gp_widget_free (widget);
  return r;
}

static BulbKind
find_bulb (CapaCamera *self,
           GPContext  *context)
{
  CameraWidget *widget = NULL;
  CameraWidgetType type;

  if (gp_camera_get_single_config (self->gp_camera, "bulb", &widget, context) >= GP_OK)
    {
      gboolean toggle = gp_widget_get_type (widget, &type) >= GP_OK && type == GP_WIDGET_TOGGLE;

      gp_widget_free (widget);
      if (toggle)
        return BULB_TOGGLE;
    }
  widget = NULL;
  if (gp_camera_get_single_config (self->gp_camera, "eosremoterelease", &widget, context) >= GP_OK)
    {
      gp_widget_free (widget);
      return BULB_REMOTE_RELEASE;
    }
  return BULB_NONE;
}

/* Sets the bulb control, asking a busy camera again. */
static int
set_bulb_patiently (CapaCamera    *self,
                    CapaCameraJob *job,
                    BulbKind       kind,
                    gboolean       open,
                    GPContext     *context,
                    gboolean      *gave_up)
{
  gint64 busy_since = 0;
  guint attempt = 0;
  int r;

  *gave_up = FALSE;
  while ((r = set_bulb (self, kind, open, context)) == GP_ERROR_CAMERA_BUSY)
    if (!_capa_camera_wait_if_busy (self, job, &busy_since, &attempt))
      {
        *gave_up = TRUE;
        break;
      }
  return r;
}

static CapaCameraJobStatus
bulb_run (CapaCamera    *self,
          CapaCameraJob *job,
          GPContext     *context)
{
  BulbData *bulb = job->data;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  BulbKind kind;
  gboolean gave_up;
  gint64 start, end, last_tick = 0;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  kind = find_bulb (self, context);
  if (kind == BULB_NONE)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED,
                   _("The camera “%s” has no bulb control: it cannot take long exposures "
                     "from the computer"), self->model);
      return CAPA_CAMERA_JOB_DONE;
    }

  r = set_bulb_patiently (self, job, kind, TRUE, context, &gave_up);
  if (gave_up)
    {
      _capa_camera_job_fail_busy (self, job, _("Cannot start the exposure"));
      return CAPA_CAMERA_JOB_DONE;
    }
  if (r < GP_OK)
    {
      _capa_camera_job_fail (self, job, r,
                             _("Cannot start the exposure (is the shutter speed set to Bulb?)"));
      return CAPA_CAMERA_JOB_DONE;
    }

  /* The exposure: cancelling ends it early, and the picture is taken. */
  start = g_get_monotonic_time ();
  end = start + (gint64) (bulb->seconds * G_USEC_PER_SEC);
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (now >= end || g_cancellable_is_cancelled (job->cancellable))
        break;
      if (now - last_tick >= BULB_TICK_MS * 1000)
        {
          post_remaining (self, bulb->generation, (double) (end - now) / G_USEC_PER_SEC);
          last_tick = now;
        }
      g_usleep (MIN (end - now, 5 * 1000));
    }

  {
    /* Closing the shutter is not cancelled with the exposure. */
    g_autoptr(GCancellable) cancellable = g_steal_pointer (&job->cancellable);

    r = set_bulb_patiently (self, job, kind, FALSE, context, &gave_up);
    post_remaining (self, bulb->generation, 0.0);
    if (r < GP_OK)
      {
        if (gave_up)
          _capa_camera_job_fail_busy (self, job, _("Cannot end the exposure"));
        else
          _capa_camera_job_fail (self, job, r, _("Cannot end the exposure"));
        job->cancellable = g_steal_pointer (&cancellable);
        return CAPA_CAMERA_JOB_DONE;
      }
    g_debug ("Bulb exposure of %.3f s",
             (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);

    _capa_camera_collect_shot (self, job, context, files, BULB_FILE_WAIT_MS);
    job->cancellable = g_steal_pointer (&cancellable);
  }

  if (files->len == 0)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_FAILED,
                   _("The camera “%s” ended the exposure but reported no picture"),
                   self->model);
      return CAPA_CAMERA_JOB_DONE;
    }
  _capa_camera_job_set_result (job, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
  return CAPA_CAMERA_JOB_DONE;
}

/* The exposure is over by the time the caller has the result. */
static void
bulb_done (CapaCamera    *self,
           CapaCameraJob *job)
{
  self->bulb_generation++;
  _capa_camera_set_bulb_remaining (self, 0.0);
  capture_shot_done (self, job);
}

static CapaCameraJob *
bulb_job_new (CapaCamera   *self,
              double        seconds,
              GCancellable *cancellable)
{
  CapaCameraJob *job = _capa_camera_capture_job_new (self, bulb_run, bulb_done, cancellable);
  BulbData *bulb = g_new0 (BulbData, 1);

  bulb->seconds = seconds;
  bulb->generation = ++self->bulb_generation;
  _capa_camera_job_set_data (job, bulb, g_free);
  return job;
}

/**
 * capa_camera_capture_bulb:
 * @self: a #CapaCamera
 * @seconds: how long the shutter stays open
 * @cancellable: (nullable): a #GCancellable that ends the exposure early
 * @error: return location for a #GError
 *
 * The blocking twin of [method@Capa.Camera.capture_bulb_async].
 *
 * Returns: (transfer container) (element-type CapaCameraFile): the files
 *   of the shot on the camera, or %NULL on error
 */
GPtrArray *
capa_camera_capture_bulb (CapaCamera    *self,
                          double         seconds,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);
  g_return_val_if_fail (seconds >= 0, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  return _capa_camera_run_job_sync (self, bulb_job_new (self, seconds, cancellable), error);
}

/**
 * capa_camera_capture_bulb_async:
 * @self: a #CapaCamera
 * @seconds: how long the shutter stays open
 * @cancellable: (nullable): a #GCancellable that ends the exposure early
 * @callback: (scope async): called with the files of the shot
 * @user_data: data for @callback
 *
 * Takes a long exposure with the camera's bulb control (see
 * [property@Capa.Camera:has-bulb]; the camera's shutter speed must be set
 * to Bulb): opens the shutter, keeps it open for @seconds, closes it, and
 * returns every file of the shot, as
 * [method@Capa.Camera.capture_shot_async] does.
 * [property@Capa.Camera:bulb-remaining] counts down meanwhile.
 *
 * Cancelling @cancellable during the exposure ends it early: the shutter
 * closes and the picture is taken and returned all the same.
 */
void
capa_camera_capture_bulb_async (CapaCamera          *self,
                                double               seconds,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (seconds >= 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self, bulb_job_new (self, seconds, cancellable),
                                capa_camera_capture_bulb_async, callback, user_data);
}

/**
 * capa_camera_capture_bulb_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.capture_bulb_async].
 *
 * Returns: (transfer container) (element-type CapaCameraFile): the files
 *   of the shot on the camera, or %NULL on error
 */
GPtrArray *
capa_camera_capture_bulb_finish (CapaCamera    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _capa_camera_finish_object (self, result, capa_camera_capture_bulb_async, error);
}

/**
 * capa_camera_get_has_bulb:
 * @self: a #CapaCamera
 *
 * Gets whether the camera has a bulb control for
 * [method@Capa.Camera.capture_bulb_async] (Canon's `eosremoterelease` or
 * `bulb`, Nikon's `bulb`). Known once the settings are loaded
 * ([method@Capa.Camera.load_controls_async]); %FALSE before.
 *
 * Returns: whether the camera can take bulb exposures
 */
gboolean
capa_camera_get_has_bulb (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  if (self->controls == NULL)
    return FALSE;
  return _capa_control_group_find_by_name (self->controls, "bulb") != NULL ||
         _capa_control_group_find_by_name (self->controls, "eosremoterelease") != NULL;
}

/* --- capture target --- */

/* The choices' names vary, and libgphoto2 translates them: ptp2 offers
 * "Memory card" and "Internal RAM" (Nikon, Canon, Panasonic), Sony bodies
 * "card", "sdram" and "card+sdram"; "Card" and "SDRAM" name the same
 * places in ptp2's other settings. */
static gboolean
target_is_card (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  return _capa_gp_text_is (text, "Memory card") || _capa_gp_text_is (text, "Card") ||
         strstr (lower, "card") != NULL;
}

static gboolean
target_is_ram (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  if (target_is_card (text))
    return FALSE;
  return _capa_gp_text_is (text, "Internal RAM") || _capa_gp_text_is (text, "SDRAM") ||
         strstr (lower, "ram") != NULL;
}

static CapaCameraJobStatus
target_run (CapaCamera    *self,
            CapaCameraJob *job,
            GPContext     *context)
{
  gboolean keep = GPOINTER_TO_INT (job->data);
  g_autofree char *choice = NULL;
  CameraWidget *widget = NULL;
  gboolean no_card = FALSE;
  gint64 busy_since = 0;
  guint attempt = 0;
  int r, n;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  r = gp_camera_get_single_config (self->gp_camera, "capturetarget", &widget, context);
  if (r < GP_OK)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED,
                   _("The camera “%s” cannot choose where it keeps its pictures"), self->model);
      return CAPA_CAMERA_JOB_DONE;
    }

  if (keep)
    {
      CameraStorageInformation *storages = NULL;
      int n_storages = 0;

      if (gp_camera_get_storageinfo (self->gp_camera, &storages, &n_storages, context) >= GP_OK)
        no_card = n_storages == 0;
      free (storages);
    }

  n = gp_widget_count_choices (widget);
  for (int i = 0; i < n && choice == NULL; i++)
    {
      const char *text = NULL;

      if (gp_widget_get_choice (widget, i, &text) < GP_OK || text == NULL)
        continue;
      if (keep && !no_card ? target_is_card (text) : target_is_ram (text))
        choice = g_strdup (text);
    }
  if (choice == NULL)
    {
      gp_widget_free (widget);
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED,
                   _("The camera “%s” offers no capture target for that"), self->model);
      return CAPA_CAMERA_JOB_DONE;
    }

  r = gp_widget_set_value (widget, choice);
  while (r >= GP_OK &&
         (r = gp_camera_set_single_config (self->gp_camera, "capturetarget", widget,
                                           context)) == GP_ERROR_CAMERA_BUSY)
    if (!_capa_camera_wait_if_busy (self, job, &busy_since, &attempt))
      {
        gp_widget_free (widget);
        _capa_camera_job_fail_busy (self, job, _("Cannot set the capture target"));
        return CAPA_CAMERA_JOB_DONE;
      }
  gp_widget_free (widget);
  if (r < GP_OK)
    {
      _capa_camera_job_fail (self, job, r, _("Cannot set the capture target"));
      return CAPA_CAMERA_JOB_DONE;
    }
  g_debug ("Capture target: %s", choice);

  if (no_card)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                   _("There is no memory card in the camera “%s”: pictures are taken to its "
                     "memory and not kept on the camera. Insert a card to keep a copy."),
                   self->model);
      return CAPA_CAMERA_JOB_DONE;
    }
  return CAPA_CAMERA_JOB_DONE;
}

/**
 * capa_camera_set_keep_on_card_async:
 * @self: a #CapaCamera
 * @keep_on_card: %TRUE for the memory card, %FALSE for the camera's RAM
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once the camera is set
 * @user_data: data for @callback
 *
 * Sets where the camera keeps the pictures it takes, through its
 * `capturetarget` setting: on its memory card, or only in its RAM until
 * they are downloaded (faster, and it works without a card).
 *
 * Fails with %CAPA_CAMERA_ERROR_NOT_SUPPORTED for a camera without that
 * setting, and with %CAPA_CAMERA_ERROR_NOT_FOUND when @keep_on_card asks
 * for a card the camera does not have: it is then set to its RAM.
 */
void
capa_camera_set_keep_on_card_async (CapaCamera          *self,
                                    gboolean             keep_on_card,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  CapaCameraJob *job;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = _capa_camera_bool_job_new (self, target_run, NULL, cancellable);
  _capa_camera_job_set_data (job, GINT_TO_POINTER (!!keep_on_card), NULL);
  _capa_camera_queue_job_async (self, job, capa_camera_set_keep_on_card_async,
                                callback, user_data);
}

/**
 * capa_camera_set_keep_on_card_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.set_keep_on_card_async].
 *
 * Returns: %TRUE once the camera is set
 */
gboolean
capa_camera_set_keep_on_card_finish (CapaCamera    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_set_keep_on_card_async, error);
}

/**
 * capa_camera_set_keep_on_card:
 * @self: a #CapaCamera
 * @keep_on_card: %TRUE for the memory card, %FALSE for the camera's RAM
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking twin of [method@Capa.Camera.set_keep_on_card_async].
 *
 * Returns: %TRUE once the camera is set
 */
gboolean
capa_camera_set_keep_on_card (CapaCamera    *self,
                              gboolean       keep_on_card,
                              GCancellable  *cancellable,
                              GError       **error)
{
  CapaCameraJob *job;

  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  job = _capa_camera_bool_job_new (self, target_run, NULL, cancellable);
  _capa_camera_job_set_data (job, GINT_TO_POINTER (!!keep_on_card), NULL);
  return _capa_camera_run_bool_job_sync (self, job, error);
}
