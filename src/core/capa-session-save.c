/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-camera-file.h"
#include "capa-filename-private.h"
#include "capa-image.h"
#include "capa-session.h"
#include "capa-session-private.h"

/* --- saving --- */

typedef struct
{
  CapaSession       *self;         /* borrowed: held by the caller's task */
  char              *camera_name;
  char              *mime_type;
  GDateTime         *time;
  GBytes            *data;         /* the bytes to write, or */
  CapaSessionWriter *writer;       /* the file written already, to place */
  CapaSessionShot   *shot;         /* nullable: the shot whose base name it takes */

  /* output of the worker */
  char              *saved_name;
  gint64             sort_time;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_free (save->camera_name);
  g_free (save->mime_type);
  g_clear_pointer (&save->time, g_date_time_unref);
  g_clear_pointer (&save->data, g_bytes_unref);
  g_clear_pointer (&save->writer, _capa_session_writer_free);
  g_clear_pointer (&save->shot, _capa_session_shot_unref);
  g_free (save->saved_name);
  g_free (save);
}

static SaveData *
save_data_new (CapaSession       *self,
               const char        *camera_name,
               const char        *mime_type,
               GBytes            *data,
               CapaSessionWriter *writer)
{
  SaveData *save = g_new0 (SaveData, 1);

  save->self = self;
  save->camera_name = g_strdup (camera_name);
  save->mime_type = g_strdup (mime_type);
  save->time = g_date_time_new_now_local ();
  save->data = data != NULL ? g_bytes_ref (data) : NULL;
  save->writer = writer;
  return save;
}

/* Whether @save has anything to save; sets @error if not. */
static gboolean
save_data_check (SaveData  *save,
                 GError   **error)
{
  if ((save->data != NULL) ||
      (save->writer != NULL && _capa_session_writer_get_size (save->writer) > 0))
    return TRUE;

  g_set_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_NO_DATA,
               _("The camera file “%s” holds no data to save"),
               save->camera_name ? save->camera_name : "");
  return FALSE;
}
/* Before the session is loaded, finds the highest sequence number in the
 * folder, so that a save never reuses one.  Reads the folder: call it off
 * the main thread. */
static void
scan_sequence (CapaSession *self)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint highest = 0;
  gboolean found = FALSE;

  g_mutex_lock (&self->mutex);
  if (!self->sequence_known && self->sequence_regex != NULL)
    regex = g_regex_ref (self->sequence_regex);
  g_mutex_unlock (&self->mutex);

  if (regex == NULL)
    return;

  dir = g_dir_open (self->directory, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      guint sequence;

      if (_capa_filename_is_image (name) &&
          _capa_filename_match_sequence (regex, name, &sequence))
        {
          highest = MAX (highest, sequence);
          found = TRUE;
        }
    }

  g_mutex_lock (&self->mutex);
  /* Unless the pattern changed meanwhile. */
  if (self->sequence_regex == regex)
    {
      if (found && highest >= self->next_sequence)
        self->next_sequence = highest + 1;
      self->sequence_known = TRUE;
    }
  g_mutex_unlock (&self->mutex);
}

typedef struct
{
  CapaSession *self;
  CapaImage   *image;
  char        *name;
  gint64       time;
} AddSaved;

static gboolean
add_saved_cb (gpointer user_data)
{
  AddSaved *add = user_data;

  _capa_session_add_image (add->self, add->name, add->time, add->image);
  _capa_session_folder_exists (add->self);

  return G_SOURCE_REMOVE;
}

static void
add_saved_free (gpointer user_data)
{
  AddSaved *add = user_data;

  g_clear_object (&add->self);
  g_clear_object (&add->image);
  g_free (add->name);
  g_free (add);
}

/* Writes (or places) the file of @save and finds the time it sorts by.
 * Blocking: runs on a worker thread, or in a blocking twin. */
static gboolean
save_run (SaveData      *save,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autofree char *name = NULL;
  g_autoptr(CapaSessionWriter) own_writer = NULL;
  CapaSessionWriter *writer = save->writer;
  const guint8 *head;
  gsize head_size;
  guint suffix;

  if (!save_data_check (save, error))
    {
      if (save->writer != NULL)
        _capa_session_writer_discard (save->writer);
      return FALSE;
    }

  scan_sequence (save->self);
  if (save->shot != NULL)
    name = _capa_session_make_shot_name (save->self, save->shot, save->camera_name,
                                         save->mime_type, save->time);
  else
    name = _capa_session_make_next_name (save->self, save->camera_name, NULL, save->mime_type,
                                         save->time, TRUE);

  if (writer == NULL)
    {
      const guint8 *bytes;
      gsize size;

      writer = own_writer = _capa_session_writer_new (save->self->directory);
      bytes = g_bytes_get_data (save->data, &size);
      if (size > 0 && !_capa_session_writer_write (writer, bytes, size, cancellable, error))
        return FALSE;
    }

  g_mutex_lock (&save->self->mutex);
  suffix = GPOINTER_TO_UINT (g_hash_table_lookup (save->self->suffixes, name));
  g_mutex_unlock (&save->self->mutex);

  if (!_capa_session_writer_commit (writer, name, &suffix, cancellable, &save->saved_name, error))
    {
      /* Here, not wherever the last reference goes. */
      _capa_session_writer_discard (writer);
      return FALSE;
    }

  if (suffix > 0 && save->shot != NULL)
    {
      g_mutex_lock (&save->self->mutex);
      if (save->shot->suffix == 0)
        save->shot->suffix = suffix;
      g_mutex_unlock (&save->self->mutex);
    }
  if (suffix > 0)
    {
      g_mutex_lock (&save->self->mutex);
      if (g_hash_table_size (save->self->suffixes) > 1024)
        g_hash_table_remove_all (save->self->suffixes);
      g_hash_table_insert (save->self->suffixes, g_steal_pointer (&name),
                           GUINT_TO_POINTER (suffix));
      g_mutex_unlock (&save->self->mutex);
    }

  head = _capa_session_writer_get_head (writer, &head_size);
  save->sort_time = _capa_session_data_time (head, head_size);
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (save_run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_save_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CapaSession *self = g_task_get_source_object (task);
  SaveData *save = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  CapaImage *image;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  image = _capa_session_add_image (self, save->saved_name, save->sort_time, NULL);
  _capa_session_folder_exists (self);
  g_task_return_pointer (task, g_object_ref (image), g_object_unref);
}

/* Takes @save. */
static void
save_async (CapaSession         *self,
            SaveData            *save,
            GCancellable        *cancellable,
            gpointer             source_tag,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) write_task = NULL;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Once the file is on disk, it is reported, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);

  if (!save_data_check (save, &error))
    {
      /* A writer with nothing in it is dropped on a worker: removing its
       * file is I/O. */
      if (save->writer == NULL)
        {
          save_data_free (save);
          g_task_return_error (task, error);
          return;
        }
      g_clear_error (&error);
    }

  /* The worker may drop its reference to this task last, so it holds the
   * session only through @task, released in the main context. */
  write_task = g_task_new (NULL, cancellable, on_save_written_cb, g_steal_pointer (&task));
  g_task_set_source_tag (write_task, save_thread);
  g_task_set_check_cancellable (write_task, FALSE);
  g_task_set_task_data (write_task, save, save_data_free);
  g_task_run_in_thread (write_task, save_thread);
}

/* Takes @save. */
static CapaImage *
save_sync (CapaSession   *self,
           SaveData      *save,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *path = NULL;
  CapaImage *image;
  AddSaved *add;

  if (!save_run (save, cancellable, error))
    {
      save_data_free (save);
      return NULL;
    }

  path = g_build_filename (self->directory, save->saved_name, NULL);

  image = capa_image_new (path);
  _capa_session_note_sequence (self, save->saved_name);

  /* The model changes in its own main context: at once when called from
   * there, else as soon as that context runs (never on this thread, even
   * when nobody iterates the context at the moment). */
  if (g_thread_self () == self->thread || g_main_context_is_owner (self->main_context))
    {
      _capa_session_add_image (self, save->saved_name, save->sort_time, image);
      _capa_session_folder_exists (self);
    }
  else
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      add = g_new0 (AddSaved, 1);
      add->self = g_object_ref (self);
      add->image = g_object_ref (image);
      add->name = g_steal_pointer (&save->saved_name);
      add->time = save->sort_time;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_static_name (source, "[capa] session adds a saved image");
      g_source_set_callback (source, add_saved_cb, add, add_saved_free);
      g_source_attach (source, self->main_context);
    }

  save_data_free (save);
  return image;
}

/*
 * _capa_session_new_writer:
 * @self: a #CapaSession
 *
 * Starts a new file for this session's folder, to be written in pieces
 * (from a camera's worker, as a download arrives) and then placed by
 * _capa_session_save_written_async().  Does no I/O itself.
 *
 * Returns: (transfer full): a new writer
 */
CapaSessionWriter *
_capa_session_new_writer (CapaSession *self)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);

  return _capa_session_writer_new (self->directory);
}

/*
 * _capa_session_save_written_async:
 * @self: a #CapaSession
 * @writer: (transfer full): a writer from _capa_session_new_writer()
 *   holding the whole file
 * @camera_name: (nullable): the camera's name for the file
 * @mime_type: (nullable): its MIME type
 *
 * Like capa_session_save_bytes_async(), for a file already written
 * through @writer: syncs it and gives it its name in the session.
 */
void
_capa_session_save_written_async (CapaSession         *self,
                                  CapaSessionWriter   *writer,
                                  const char          *camera_name,
                                  const char          *mime_type,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_SESSION (self));
  g_return_if_fail (writer != NULL);

  save_async (self, save_data_new (self, camera_name, mime_type, NULL, writer),
              cancellable, _capa_session_save_written_async, callback, user_data);
}

void
_capa_session_save_shot_async (CapaSession         *self,
                               CapaSessionWriter   *writer,
                               CapaSessionShot     *shot,
                               const char          *camera_name,
                               const char          *mime_type,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SaveData *save;

  g_return_if_fail (CAPA_IS_SESSION (self));
  g_return_if_fail (writer != NULL);

  save = save_data_new (self, camera_name, mime_type, NULL, writer);
  save->shot = shot != NULL ? _capa_session_shot_ref (shot) : NULL;
  save_async (self, save, cancellable, _capa_session_save_written_async, callback, user_data);
}

CapaSessionShot *
_capa_session_shot_new (const char *camera_tag)
{
  CapaSessionShot *shot = g_atomic_rc_box_new0 (CapaSessionShot);

  shot->camera_tag = g_strdup (camera_tag);
  return shot;
}

CapaSessionShot *
_capa_session_shot_ref (CapaSessionShot *shot)
{
  return g_atomic_rc_box_acquire (shot);
}

static void
shot_clear (gpointer data)
{
  CapaSessionShot *shot = data;

  g_clear_pointer (&shot->time, g_date_time_unref);
  g_clear_pointer (&shot->camera_tag, g_free);
}

void
_capa_session_shot_unref (CapaSessionShot *shot)
{
  g_atomic_rc_box_release_full (shot, shot_clear);
}

CapaImage *
_capa_session_save_written_finish (CapaSession   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- public API --- */

/**
 * capa_session_save_bytes_async:
 * @self: a #CapaSession
 * @camera_name: (nullable): the camera's name for the file, such as
 *   "DSC_0042.JPG"; it gives the extension and the `%f` field
 * @data: the bytes of the file
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the file is saved
 * @user_data: data for @callback
 *
 * Saves @data as a new image of the session, on a worker thread, under the
 * next name the [property@Capa.Session:filename-pattern] makes (the
 * sequence number counts on from the highest in the folder, whether or not
 * the session was loaded). An existing file is never replaced: a "-1",
 * "-2"... suffix is added to a name already taken. The file and its name
 * are synced to the disk before the callback runs, so it survives a crash
 * or a power cut; a disk that fails to sync, or cannot, fails the save. On
 * failure nothing is left behind in the folder. The folder is created if
 * missing.
 *
 * The new image is in the session, and [signal@Capa.Session::image-added]
 * was emitted for it, by the time @callback runs. Once the file is on
 * disk it is reported even if @cancellable was cancelled meanwhile.
 *
 * Call it from the thread whose main context the session was created in;
 * several saves may run at once.
 */
void
capa_session_save_bytes_async (CapaSession         *self,
                               const char          *camera_name,
                               GBytes              *data,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_SESSION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  save_async (self, save_data_new (self, camera_name, NULL, data, NULL), cancellable,
              capa_session_save_bytes_async, callback, user_data);
}

/**
 * capa_session_save_bytes_finish:
 * @self: a #CapaSession
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Session.save_bytes_async]. Errors are
 * `G_IO_ERROR` codes such as %G_IO_ERROR_NO_SPACE,
 * %G_IO_ERROR_READ_ONLY or %G_IO_ERROR_PERMISSION_DENIED, with a message
 * naming the folder and saying what to do, or `CAPA_SESSION_ERROR` codes.
 *
 * Returns: (transfer full): the new image, whose
 *   [property@Capa.Image:filename] is the full path of the saved file,
 *   or %NULL on error
 */
CapaImage *
capa_session_save_bytes_finish (CapaSession   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == capa_session_save_bytes_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * capa_session_save_bytes:
 * @self: a #CapaSession
 * @camera_name: (nullable): the camera's name for the file, such as
 *   "DSC_0042.JPG"; it gives the extension and the `%f` field
 * @data: the bytes of the file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves @data as a new image of the session, blocking until it is safely
 * on disk: the blocking twin of [method@Capa.Session.save_bytes_async].
 * It may be called from any thread; the image joins the session's model
 * in the session's main context (at once when called from there).
 *
 * Returns: (transfer full): the new image, or %NULL on error
 */
CapaImage *
capa_session_save_bytes (CapaSession   *self,
                         const char    *camera_name,
                         GBytes        *data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return save_sync (self, save_data_new (self, camera_name, NULL, data, NULL), cancellable, error);
}

/**
 * capa_session_save_file_async:
 * @self: a #CapaSession
 * @file: a downloaded camera file, whose data is set
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the file is saved
 * @user_data: data for @callback
 *
 * Saves the data of @file as a new image of the session, on a worker
 * thread: like [method@Capa.Session.save_bytes_async], with the camera's
 * name for the file and its MIME type giving the extension (and the `%f`
 * field of the pattern). The camera's names are not trusted: whatever
 * they hold, the file lands inside the session folder.
 *
 * A file without data fails with %CAPA_SESSION_ERROR_NO_DATA. Call it
 * from the thread whose main context the session was created in.
 */
void
capa_session_save_file_async (CapaSession         *self,
                              CapaCameraFile      *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_SESSION (self));
  g_return_if_fail (CAPA_IS_CAMERA_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  save_async (self,
              save_data_new (self,
                             capa_camera_file_get_name (file),
                             capa_camera_file_get_mime_type (file),
                             capa_camera_file_get_data (file),
                             NULL),
              cancellable, capa_session_save_file_async, callback, user_data);
}

/**
 * capa_session_save_file_finish:
 * @self: a #CapaSession
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Session.save_file_async]. Errors are as for
 * [method@Capa.Session.save_bytes_finish].
 *
 * Returns: (transfer full): the new image, whose
 *   [property@Capa.Image:filename] is the full path of the saved file,
 *   or %NULL on error
 */
CapaImage *
capa_session_save_file_finish (CapaSession   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == capa_session_save_file_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * capa_session_save_file:
 * @self: a #CapaSession
 * @file: a downloaded camera file, whose data is set
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves the data of @file as a new image of the session, blocking until it
 * is safely on disk: the blocking twin of
 * [method@Capa.Session.save_file_async]. It may be called from any thread.
 *
 * Returns: (transfer full): the new image, or %NULL on error
 */
CapaImage *
capa_session_save_file (CapaSession     *self,
                        CapaCameraFile  *file,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (file), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return save_sync (self,
                    save_data_new (self,
                                   capa_camera_file_get_name (file),
                                   capa_camera_file_get_mime_type (file),
                                   capa_camera_file_get_data (file),
                                   NULL),
                    cancellable, error);
}
