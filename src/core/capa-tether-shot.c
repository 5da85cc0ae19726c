/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaTether: every file of a shot — capture, bulb, the capture target. */

#define G_LOG_DOMAIN "Capa-Tether"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-blocking-private.h"
#include "capa-camera-private.h"
#include "capa-filename-private.h"
#include "capa-session-private.h"
#include "capa-tether-private.h"
#include "capa-tether.h"

/* A file the camera reports this long after another of the same name
 * (another extension) belongs to that one's shot. */
#define SHOT_JOIN_US (30 * G_USEC_PER_SEC)

/* ------------------------------------------------------------------ */
/* shots and their base names                                           */
/* ------------------------------------------------------------------ */

typedef struct
{
  CapaSessionShot *shot;
  gint64           when;         /* monotonic time the shot was seen */
  GHashTable      *extensions;   /* of its files so far */
} RecentShot;

static void
recent_shot_free (gpointer data)
{
  RecentShot *recent = data;

  _capa_session_shot_unref (recent->shot);
  g_hash_table_unref (recent->extensions);
  g_free (recent);
}

GHashTable *
_capa_tether_shots_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, recent_shot_free);
}

/* What the files of @file's shot share ("folder/stem", or what the camera
 * said: see _capa_camera_file_from_camera ()), and its extension. */
static char *
shot_key (CapaCameraFile  *file,
          char           **extension)
{
  const char *name = capa_camera_file_get_name (file);
  const char *dot = name != NULL ? strrchr (name, '.') : NULL;

  *extension = g_ascii_strup (dot != NULL ? dot : "", -1);
  return _capa_camera_file_dup_shot_key (file);
}

/* What the files of @file's shot share. */
char *
_capa_tether_shot_key (CapaCameraFile *file)
{
  g_autofree char *extension = NULL;

  return shot_key (file, &extension);
}

/* The shot @file belongs to: the recent one with its name and not yet a
 * file of its extension, or a new one. */
CapaSessionShot *
_capa_tether_shot_for_file (CapaTether     *self,
                            CapaCameraFile *file)
{
  g_autofree char *extension = NULL;
  g_autofree char *key = shot_key (file, &extension);
  gint64 now = g_get_monotonic_time ();
  RecentShot *recent;

  /* Forget the old ones. */
  if (g_hash_table_size (self->shots) > 32)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->shots);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (now - ((RecentShot *) value)->when > SHOT_JOIN_US)
          g_hash_table_iter_remove (&iter);
    }

  recent = g_hash_table_lookup (self->shots, key);
  if (recent != NULL && now - recent->when <= SHOT_JOIN_US &&
      !g_hash_table_contains (recent->extensions, extension))
    {
      g_debug ("%s joins the shot of the same name", capa_camera_file_get_name (file));
      g_hash_table_add (recent->extensions, g_steal_pointer (&extension));
      return _capa_session_shot_ref (recent->shot);
    }

  recent = g_new0 (RecentShot, 1);
  recent->shot = _capa_session_shot_new (capa_tether_get_camera_tag (self));
  recent->when = now;
  recent->extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (recent->extensions, g_steal_pointer (&extension));
  g_hash_table_replace (self->shots, g_steal_pointer (&key), recent);
  return _capa_session_shot_ref (recent->shot);
}

/* ------------------------------------------------------------------ */
/* the camera tag (%c)                                                  */
/* ------------------------------------------------------------------ */

/**
 * capa_tether_get_camera_tag:
 * @self: a #CapaTether
 *
 * Gets [property@Capa.Tether:camera-tag]: what `%c` writes in the names of
 * this camera's pictures.
 *
 * Returns: (transfer none): the camera tag, never empty
 */
const char *
capa_tether_get_camera_tag (CapaTether *self)
{
  const char *model;

  g_return_val_if_fail (CAPA_IS_TETHER (self), NULL);

  if (self->camera_tag != NULL)
    return self->camera_tag;

  /* Made of the model, again if the model changed (an opened camera may
   * name its real model). */
  model = self->camera != NULL ? capa_camera_get_model (self->camera) : NULL;
  if (self->model_tag == NULL || g_strcmp0 (model, self->tag_model) != 0)
    {
      g_free (self->model_tag);
      g_free (self->tag_model);
      self->model_tag = _capa_filename_camera_tag (model);
      self->tag_model = g_strdup (model);
    }
  return self->model_tag;
}

/**
 * capa_tether_set_camera_tag:
 * @self: a #CapaTether
 * @camera_tag: (nullable): the tag, made safe as
 *   [property@Capa.Tether:camera-tag] says; %NULL for the one made of the
 *   camera's model
 *
 * Sets [property@Capa.Tether:camera-tag], for the shots taken from now on.
 */
void
capa_tether_set_camera_tag (CapaTether *self,
                            const char *camera_tag)
{
  g_autofree char *old = NULL;
  g_autofree char *tag = NULL;

  g_return_if_fail (CAPA_IS_TETHER (self));

  old = g_strdup (capa_tether_get_camera_tag (self));
  /* A text without a letter or digit means the default, as NULL does. */
  for (const char *p = camera_tag; p != NULL && *p != '\0' && tag == NULL; p++)
    if (g_ascii_isalnum (*p))
      tag = _capa_filename_camera_tag (camera_tag);
  g_free (self->camera_tag);
  self->camera_tag = g_steal_pointer (&tag);

  if (!g_str_equal (old, capa_tether_get_camera_tag (self)))
    g_object_notify (G_OBJECT (self), "camera-tag");
}

/* ------------------------------------------------------------------ */
/* fetching every file of a shot                                        */
/* ------------------------------------------------------------------ */

typedef struct
{
  GPtrArray       *files;       /* CapaCameraFile, on the camera */
  GPtrArray       *images;      /* CapaImage, saved so far */
  GPtrArray       *checksums;   /* char *, of each saved file (when kept) */
  CapaSessionShot *shot;
  guint            next;        /* the next file to fetch, then to delete */
  GError          *error;       /* the first failure */
  guint            failed;      /* the index of the file that failed */
  gboolean         deleting;
  gboolean         collecting;  /* the camera is still asked for the shot's other files */
  gboolean         waiting;     /* for them: the task's reference is held for it */
} ShotFetch;

static void
shot_fetch_free (gpointer data)
{
  ShotFetch *fetch = data;

  g_clear_pointer (&fetch->files, g_ptr_array_unref);
  g_clear_pointer (&fetch->images, g_ptr_array_unref);
  g_clear_pointer (&fetch->checksums, g_ptr_array_unref);
  g_clear_pointer (&fetch->shot, _capa_session_shot_unref);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

static void shot_fetch_next (GTask *task);

/* The error of a shot not wholly saved: every file stays on the camera.
 * The failed file's error says so already (_capa_tether_error_kept_on_camera()). */
static GError *
shot_error (ShotFetch *fetch)
{
  g_autoptr(GString) others = g_string_new (NULL);
  const GError *kept = fetch->error;

  if (fetch->files->len == 1)
    return g_error_copy (kept);

  for (guint i = 0; i < fetch->files->len; i++)
    {
      CapaCameraFile *file = g_ptr_array_index (fetch->files, i);

      if (i == fetch->failed)
        continue;
      if (others->len > 0)
        g_string_append (others, ", ");
      g_string_append_printf (others, "“%s”", capa_camera_file_get_name (file));
    }

  if (fetch->images->len > 0)
    return g_error_new (kept->domain, kept->code,
                        /* Translators: an error, then the names of files on the camera */
                        _("%s The rest of the shot, %s, stays on the camera too; a copy of "
                          "what was downloaded is in the session."),
                        kept->message, others->str);
  return g_error_new (kept->domain, kept->code,
                      /* Translators: an error, then the names of files on the camera */
                      _("%s The rest of the shot, %s, stays on the camera too."),
                      kept->message, others->str);
}

static void
shot_fetch_done (GTask *task)
{
  CapaTether *self = g_task_get_source_object (task);
  ShotFetch *fetch = g_task_get_task_data (task);

  for (guint i = 0; i < fetch->files->len; i++)
    {
      g_autofree char *key = capa_camera_file_dup_path (g_ptr_array_index (fetch->files, i));

      if (fetch->error == NULL)
        _capa_tether_release_kept (self, key);
    }

  if (fetch->error != NULL)
    g_task_return_error (task, shot_error (fetch));
  else
    g_task_return_pointer (task, g_ptr_array_ref (fetch->images),
                           (GDestroyNotify) g_ptr_array_unref);
}

static void
on_shot_file_deleted_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_propagate_boolean (G_TASK (result), NULL);
  shot_fetch_next (g_steal_pointer (&task));
}

static void
on_shot_file_fetched_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ShotFetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = NULL;
  CapaImage *image;

  image = _capa_tether_fetch_finish (CAPA_TETHER (object), result, &checksum, &error);
  if (image == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_FAILED,
                                     _("The picture was not saved"));
      fetch->error = g_steal_pointer (&error);
      fetch->failed = fetch->next;
      /* Nothing is deleted: the whole shot stays on the camera, the
       * files still to come too (their names are in the error). */
      if (fetch->collecting)
        {
          fetch->waiting = TRUE;
          g_steal_pointer (&task);
          return;
        }
      shot_fetch_done (task);
      return;
    }

  g_ptr_array_add (fetch->images, image);
  g_ptr_array_add (fetch->checksums, g_steal_pointer (&checksum));
  fetch->next++;
  /* What is in the session is announced at once, whole shot or not: the
   * picture is shown while the rest of the shot downloads, and before any
   * of it is deleted from the camera. */
  _capa_tether_emit_image_saved (CAPA_TETHER (object), image);
  shot_fetch_next (g_steal_pointer (&task));
}

/* One file at a time: download and save each; once all are saved, delete
 * each from the camera (or remember them as kept). */
static void
shot_fetch_next (GTask *task)
{
  CapaTether *self = g_task_get_source_object (task);
  ShotFetch *fetch = g_task_get_task_data (task);

  if (!fetch->deleting && fetch->next < fetch->files->len)
    {
      _capa_tether_fetch_async (self, g_ptr_array_index (fetch->files, fetch->next),
                                fetch->shot, TRUE, g_task_get_cancellable (task),
                                capa_tether_capture_async, on_shot_file_fetched_cb, task);
      return;
    }

  /* Nothing is deleted before the camera has told every file of the shot. */
  if (fetch->collecting)
    {
      fetch->waiting = TRUE;
      return;
    }

  if (!fetch->deleting)
    {
      fetch->deleting = TRUE;
      fetch->next = 0;
    }

  if (fetch->next < fetch->files->len)
    {
      CapaCameraFile *file = g_ptr_array_index (fetch->files, fetch->next);
      const char *checksum = g_ptr_array_index (fetch->checksums, fetch->next);

      fetch->next++;
      if (self->delete_from_camera)
        {
          /* Deleting goes on even if the caller gave up meanwhile: the
           * shot is saved, and a copy left on the card would be fetched
           * twice. */
          _capa_tether_delete_saved_async (self, file, checksum, on_shot_file_deleted_cb, task);
          return;
        }
      _capa_tether_keep_saved (self, file, checksum);
      shot_fetch_next (task);
      return;
    }

  shot_fetch_done (task);
  g_object_unref (task);
}

/* @files join the shot: claimed, so that the camera's reports of them are
 * not fetched again, and their extensions recorded, so that the same name
 * with another extension reported a moment later joins the shot too
 * (_capa_tether_shot_for_file()). */
static void
shot_fetch_add_files (CapaTether *self,
                      ShotFetch  *fetch,
                      GPtrArray  *files)
{
  for (guint i = 0; i < files->len; i++)
    {
      CapaCameraFile *file = g_ptr_array_index (files, i);

      if (fetch->files != files)
        g_ptr_array_add (fetch->files, g_object_ref (file));
      if (file != g_ptr_array_index (fetch->files, 0))
        _capa_session_shot_unref (_capa_tether_shot_for_file (self, file));
      _capa_tether_claim_file (self, file);
    }
}

static void
on_shot_rest_collected_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CapaTether *self = g_task_get_source_object (task);
  ShotFetch *fetch = g_task_get_task_data (task);
  g_autoptr(GPtrArray) rest = NULL;

  /* Never fails: a camera gone meanwhile has told what it could. */
  rest = _capa_camera_collect_rest_finish (CAPA_CAMERA (object), result, NULL);
  if (rest != NULL)
    shot_fetch_add_files (self, fetch, rest);
  fetch->collecting = FALSE;
  if (!fetch->waiting)
    return;

  /* The reference held while waiting is this one's to drop. */
  fetch->waiting = FALSE;
  g_object_unref (task);
  if (fetch->error != NULL)
    shot_fetch_done (task);
  else
    shot_fetch_next (g_steal_pointer (&task));
}

/* Takes @files (CapaCameraFile): fetches them as one shot into @task,
 * which returns the images. With @collecting, @files holds the first file
 * alone, downloaded at once while the camera is asked for the others. */
static void
shot_fetch_start (CapaTether *self,
                  GTask      *task,
                  GPtrArray  *files,
                  gboolean    collecting)
{
  ShotFetch *fetch = g_new0 (ShotFetch, 1);

  fetch->files = files;
  fetch->images = g_ptr_array_new_with_free_func (g_object_unref);
  fetch->checksums = g_ptr_array_new_with_free_func (g_free);
  fetch->shot = _capa_tether_shot_for_file (self, g_ptr_array_index (files, 0));
  fetch->collecting = collecting;
  g_task_set_task_data (task, fetch, shot_fetch_free);
  shot_fetch_add_files (self, fetch, files);

  /* The first file's download is queued on the camera before the
   * collection of the others, so that the picture is on screen while the
   * camera is still asked for them. */
  if (collecting)
    {
      g_object_ref (task);
      shot_fetch_next (task);
      _capa_camera_collect_rest_async (self->camera, g_ptr_array_index (files, 0),
                                       on_shot_rest_collected_cb, task);
      return;
    }
  shot_fetch_next (task);
}

/* ------------------------------------------------------------------ */
/* capture                                                              */
/* ------------------------------------------------------------------ */

static void
on_shot_fetched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CapaTether *self = g_task_get_source_object (task);
  GPtrArray *images;
  GError *error = NULL;

  images = g_task_propagate_pointer (G_TASK (result), &error);
  _capa_tether_capture_ended (self);
  if (images == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, images, (GDestroyNotify) g_ptr_array_unref);
}

static void
fetch_shot (CapaTether *self,
            GTask      *task,
            GPtrArray  *files,
            gboolean    cancel_downloads,
            gboolean    collecting)
{
  g_autoptr(GTask) inner = NULL;

  inner = g_task_new (self, cancel_downloads ? g_task_get_cancellable (task) : NULL,
                      on_shot_fetched_cb, task);
  g_task_set_source_tag (inner, shot_fetch_start);
  g_task_set_check_cancellable (inner, FALSE);
  shot_fetch_start (self, g_steal_pointer (&inner), files, collecting);
}

static void
on_capture_shot_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  CapaTether *self = g_task_get_source_object (task);
  GPtrArray *files;
  GError *error = NULL;

  if (g_task_get_source_tag (task) == capa_tether_capture_bulb_async)
    files = capa_camera_capture_bulb_finish (CAPA_CAMERA (object), result, &error);
  else
    files = _capa_camera_capture_first_finish (CAPA_CAMERA (object), result, &error);
  if (files == NULL)
    {
      _capa_tether_capture_ended (self);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* A bulb exposure ended early by the cancellable is still downloaded. */
  fetch_shot (self, task, files,
              g_task_get_source_tag (task) != capa_tether_capture_bulb_async,
              g_task_get_source_tag (task) != capa_tether_capture_bulb_async);
}

/**
 * capa_tether_capture_async:
 * @self: a #CapaTether
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the saved image
 * @user_data: data for @callback
 *
 * Takes a picture, downloads it, saves it in the session and then, once
 * it is safely on disk and if [property@Capa.Tether:delete-from-camera]
 * is on, deletes it from the camera. Emits
 * [signal@Capa.Tether::image-saved].
 *
 * Every file of the shot is saved: a camera set to RAW + JPEG makes two
 * (see [method@Capa.Camera.capture_shot_async]), saved under one base name
 * (`DSC_0042.NEF` and `DSC_0042.JPG`: the pattern's sequence number is
 * counted once for the shot), and deleted from the camera only once both
 * are saved. [method@Capa.Tether.capture_finish] gives the first file's
 * image, [method@Capa.Tether.capture_all_finish] every image of the shot;
 * [method@Capa.Session.get_companions] finds the others of an image.
 *
 * If a download or a save fails, the whole shot stays on the camera and
 * the error says so (an image saved already stays in the session). A
 * failure to delete after saving is not an error of the capture: it is
 * reported through [signal@Capa.Tether::error].
 *
 * A camera that answers "busy" is asked again for a while (see
 * [property@Capa.Camera:busy-timeout]).
 *
 * Cancelling @cancellable once the camera has taken the picture stops the
 * download; the %G_IO_ERROR_CANCELLED error then names the picture left on
 * the camera. A picture already saved when the cancellation comes is
 * returned all the same.
 *
 * Captures may overlap, and that is the quick way to shoot in a row: call
 * this again without waiting for the previous capture to complete. The
 * camera takes the next picture while the previous one is still being
 * written and synced to the disk, and each picture's copy on the camera is
 * deleted only once that picture is durably saved.
 */
void
capa_tether_capture_async (CapaTether          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CAPA_IS_TETHER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_tether_capture_async);
  /* What happened to the picture is reported, cancelled or not: saved, or
   * left on the camera (and where). */
  g_task_set_check_cancellable (task, FALSE);
  _capa_tether_capture_started (self);
  _capa_camera_capture_first_async (self->camera, cancellable, on_capture_shot_cb, task);
}

void
_capa_tether_capture_gated_async (CapaTether          *self,
                                  CapaStartGate       *gate,
                                  guint                member,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CAPA_IS_TETHER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* Everything as capa_tether_capture_async() does, but the camera's
   * capture call waits at the gate. */
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_tether_capture_async);
  g_task_set_check_cancellable (task, FALSE);
  _capa_tether_capture_started (self);
  _capa_camera_capture_shot_gated_async (self->camera, gate, member, cancellable,
                                         on_capture_shot_cb, task);
}

/**
 * capa_tether_capture_finish:
 * @self: a #CapaTether
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Tether.capture_async] with the shot's first
 * image (the file the camera's capture named: the RAW of a RAW + JPEG
 * pair on most bodies).
 *
 * Returns: (transfer full): the image saved in the session, or %NULL on error
 */
CapaImage *
capa_tether_capture_finish (CapaTether    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(GPtrArray) images = NULL;

  g_return_val_if_fail (CAPA_IS_TETHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  images = g_task_propagate_pointer (G_TASK (result), error);
  if (images == NULL || images->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (images, 0));
}

/**
 * capa_tether_capture_all_finish:
 * @self: a #CapaTether
 * @result: the #GAsyncResult of [method@Capa.Tether.capture_async] or
 *   [method@Capa.Tether.capture_all_async]
 * @error: return location for a #GError
 *
 * Finishes a capture with every image of the shot: one for a JPEG, two
 * for RAW + JPEG, the file the capture named first.
 *
 * Returns: (transfer container) (element-type CapaImage): the images saved
 *   in the session, or %NULL on error
 */
GPtrArray *
capa_tether_capture_all_finish (CapaTether    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (CAPA_IS_TETHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * capa_tether_capture_all_async:
 * @self: a #CapaTether
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the saved images
 * @user_data: data for @callback
 *
 * The same as [method@Capa.Tether.capture_async], named for
 * [method@Capa.Tether.capture_all_finish], which gives every image of
 * the shot.
 */
void
capa_tether_capture_all_async (CapaTether          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  capa_tether_capture_async (self, cancellable, callback, user_data);
}

/* The blocking twins' start, by the one mechanism of capa-blocking.c. */
typedef struct
{
  CapaTether   *self;
  GCancellable *cancellable;
  double        seconds;      /* < 0: not a bulb exposure */
} SyncCapture;

static void
start_sync_capture (gpointer             data,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  SyncCapture *sync = data;

  if (sync->seconds >= 0)
    capa_tether_capture_bulb_async (sync->self, sync->seconds, sync->cancellable,
                                    callback, user_data);
  else
    capa_tether_capture_async (sync->self, sync->cancellable, callback, user_data);
}

/**
 * capa_tether_capture:
 * @self: a #CapaTether
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Takes a picture and saves it, blocking the calling thread: the blocking
 * twin of [method@Capa.Tether.capture_async], for scripts and plugins.
 *
 * The tether's state changes and signals happen as the owner of the main
 * context the tether was created in. Called from a handler that context is
 * dispatching (a plugin's signal handler, say), or from the thread that
 * created the tether when no main loop runs, this call does the capture on
 * the calling thread in a private main context of its own: it dispatches
 * no other source of the tether's context (nor of any other), and needs no
 * main loop. Called from another thread, it hands the capture over to the
 * tether's context and waits; should nobody run that context, it does the
 * capture itself as that context's owner. Events the camera reports on its
 * own meanwhile reach the tether's context as sources, dispatched when it
 * next runs.
 *
 * Returns: (transfer full): the image saved in the session (the shot's
 *   first), or %NULL on error
 */
CapaImage *
capa_tether_capture (CapaTether    *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  SyncCapture sync = { self, cancellable, -1 };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (CAPA_IS_TETHER (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  result = _capa_blocking_call (self->main_context, self->thread, start_sync_capture, &sync);
  return capa_tether_capture_finish (self, result, error);
}

/**
 * capa_tether_capture_all:
 * @self: a #CapaTether
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Takes a picture and saves every file of it, blocking the calling thread
 * as [method@Capa.Tether.capture] does.
 *
 * Returns: (transfer container) (element-type CapaImage): the images saved
 *   in the session, or %NULL on error
 */
GPtrArray *
capa_tether_capture_all (CapaTether    *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SyncCapture sync = { self, cancellable, -1 };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (CAPA_IS_TETHER (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  result = _capa_blocking_call (self->main_context, self->thread, start_sync_capture, &sync);
  return capa_tether_capture_all_finish (self, result, error);
}

/* ------------------------------------------------------------------ */
/* bulb                                                                 */
/* ------------------------------------------------------------------ */

/**
 * capa_tether_capture_bulb_async:
 * @self: a #CapaTether
 * @seconds: how long the shutter stays open
 * @cancellable: (nullable): a #GCancellable that ends the exposure early
 * @callback: (scope async): called with the saved images
 * @user_data: data for @callback
 *
 * Takes a bulb exposure of @seconds (see
 * [method@Capa.Camera.capture_bulb_async]: the camera's shutter speed must
 * be Bulb; [property@Capa.Camera:bulb-remaining] counts down) and saves
 * every file of it as [method@Capa.Tether.capture_async] does.
 *
 * Cancelling @cancellable ends the exposure early; the picture is then
 * downloaded and saved all the same.
 */
void
capa_tether_capture_bulb_async (CapaTether          *self,
                                double               seconds,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CAPA_IS_TETHER (self));
  g_return_if_fail (seconds >= 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_tether_capture_bulb_async);
  g_task_set_check_cancellable (task, FALSE);
  _capa_tether_capture_started (self);
  capa_camera_capture_bulb_async (self->camera, seconds, cancellable, on_capture_shot_cb, task);
}

/**
 * capa_tether_capture_bulb_finish:
 * @self: a #CapaTether
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Tether.capture_bulb_async].
 *
 * Returns: (transfer container) (element-type CapaImage): the images saved
 *   in the session, or %NULL on error
 */
GPtrArray *
capa_tether_capture_bulb_finish (CapaTether    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return capa_tether_capture_all_finish (self, result, error);
}

/**
 * capa_tether_capture_bulb:
 * @self: a #CapaTether
 * @seconds: how long the shutter stays open
 * @cancellable: (nullable): a #GCancellable that ends the exposure early
 * @error: return location for a #GError
 *
 * The blocking twin of [method@Capa.Tether.capture_bulb_async].
 *
 * Returns: (transfer container) (element-type CapaImage): the images saved
 *   in the session, or %NULL on error
 */
GPtrArray *
capa_tether_capture_bulb (CapaTether    *self,
                          double         seconds,
                          GCancellable  *cancellable,
                          GError       **error)
{
  SyncCapture sync = { self, cancellable, seconds };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (CAPA_IS_TETHER (self), NULL);
  g_return_val_if_fail (seconds >= 0, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  result = _capa_blocking_call (self->main_context, self->thread, start_sync_capture, &sync);
  return capa_tether_capture_all_finish (self, result, error);
}

/* ------------------------------------------------------------------ */
/* capture target                                                       */
/* ------------------------------------------------------------------ */

static void
on_target_set_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CapaTether) self = _capa_tether_weak_steal (user_data);
  g_autoptr(GError) error = NULL;

  if (capa_camera_set_keep_on_card_finish (CAPA_CAMERA (object), result, &error) ||
      self == NULL)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED))
    {
      /* A camera with one place for its pictures. */
      g_debug ("%s", error->message);
      return;
    }
  _capa_tether_emit_error (self, error);
}

/* Sets the camera's capture target for [property@Capa.Tether:keep-on-card]. */
void
_capa_tether_apply_keep_on_card (CapaTether *self)
{
  g_cancellable_cancel (self->target_cancellable);
  g_clear_object (&self->target_cancellable);
  self->target_cancellable = g_cancellable_new ();
  capa_camera_set_keep_on_card_async (self->camera, self->keep_on_card,
                                      self->target_cancellable, on_target_set_cb,
                                      _capa_tether_weak_new (self));
}
