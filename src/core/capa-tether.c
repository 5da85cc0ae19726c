/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Tether"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-blocking-private.h"
#include "capa-camera-private.h"
#include "capa-session-private.h"
#include "capa-tether-private.h"
#include "capa-tether.h"

/**
 * CapaTether:
 *
 * Binds a camera to a session: every picture taken ends up in the
 * session folder.
 *
 * [method@Capa.Tether.capture] takes a picture, downloads it, saves it
 * durably in the session and only then deletes it from the memory card
 * (unless [property@Capa.Tether:delete-from-camera] is off). A download or
 * save that fails leaves the picture on the camera, and the error says so.
 *
 * [method@Capa.Tether.start_monitoring] watches the camera in the
 * background and does the same for every picture taken with the camera's
 * own shutter button (from the camera's events, or by watching its file
 * list for cameras without events). A picture it could not fetch (a full
 * disk, say) is reported through [signal@Capa.Tether::error] and tried
 * again after a while, waiting longer each time, for as long as
 * monitoring runs. [method@Capa.Tether.start_preview]
 * streams live-view frames through [signal@Capa.Tether::preview-frame].
 *
 * Dropping the last reference to the tether stops monitoring and live
 * view: the work in flight does not keep it alive. Signals are emitted,
 * and its timers run, in the main context the tether was created in.
 */

/* One cycle of event watching. */
#define MONITOR_SLICE_MS 250
/* Polling the file list, for cameras without events. */
#define POLL_INTERVAL_MS 1000
/* Back-off after a failure, doubling up to the maximum. */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
/* A monitored picture that could not be fetched (a full or read-only
 * disk, a download cut short) is tried again after this long, doubling up
 * to the maximum, for as long as monitoring runs. */
#define REFETCH_MIN_MS 1000
#define REFETCH_MAX_MS 60000


G_DEFINE_FINAL_TYPE (CapaTether, capa_tether, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAMERA,
  PROP_SESSION,
  PROP_DELETE_FROM_CAMERA,
  PROP_KEEP_ON_CARD,
  PROP_MONITORING,
  PROP_PREVIEWING,
  PROP_CAMERA_TAG,
  N_PROPS,
};

enum {
  SIGNAL_IMAGE_SAVED,
  SIGNAL_PREVIEW_FRAME,
  SIGNAL_ERROR,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void monitor_cycle (CapaTether *self);
static void fetch_next    (CapaTether *self);


/* Files the camera reports while a capture runs wait for it to return,
 * so that the captured file is not fetched twice. */
/* A capture reads the camera's events itself, and an event watch
 * running meanwhile only delays the shot's download (a camera driver ends
 * a wait at its own pace, tens of milliseconds): the watch stops while
 * captures run, and resumes once they end. */
void
_capa_tether_capture_started (CapaTether *self)
{
  self->capturing++;
  if (!self->monitoring || self->polling)
    return;

  self->cycle_paused = TRUE;
  _capa_tether_clear_source (&self->retry_source);
  if (self->watch_cancellable != NULL)
    g_cancellable_cancel (self->watch_cancellable);
  g_clear_object (&self->watch_cancellable);
}

void
_capa_tether_capture_ended (CapaTether *self)
{
  g_assert (self->capturing > 0);

  self->capturing--;
  if (self->capturing > 0)
    return;
  if (self->cycle_paused)
    {
      self->cycle_paused = FALSE;
      monitor_cycle (self);
    }
  fetch_next (self);
}

static char *
file_key (CapaCameraFile *file)
{
  return capa_camera_file_dup_path (file);
}

static void
emit_error (CapaTether   *self,
            const GError *error)
{
  g_debug ("%s", error->message);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

void
_capa_tether_emit_error (CapaTether   *self,
                         const GError *error)
{
  emit_error (self, error);
}

void
_capa_tether_emit_image_saved (CapaTether *self,
                               CapaImage  *image)
{
  g_signal_emit (self, signals[SIGNAL_IMAGE_SAVED], 0, image);
}

void
_capa_tether_emit_preview_frame (CapaTether     *self,
                                 CapaCameraFile *frame)
{
  g_signal_emit (self, signals[SIGNAL_PREVIEW_FRAME], 0, frame);
}

void
_capa_tether_notify_previewing (CapaTether *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEWING]);
}

/* A file captured by capture(), which the camera may also report as new:
 * that report is an echo, not another picture. */
void
_capa_tether_claim_file (CapaTether     *self,
                         CapaCameraFile *file)
{
  g_hash_table_add (self->claimed, file_key (file));
}

static gboolean
is_claimed (CapaTether *self,
            const char *key)
{
  return g_hash_table_contains (self->claimed, key);
}

/* A picture saved and left on the camera is no longer waited for: a new
 * report of its name is compared with it (see on_fetch_written_cb()), so
 * that a camera reusing the name has its new picture fetched. */
void
_capa_tether_release_kept (CapaTether *self,
                           const char *key)
{
  if (!g_hash_table_contains (self->kept, key))
    return;
  g_hash_table_remove (self->known, key);
  g_hash_table_remove (self->claimed, key);
}

/* Whether we deleted @key from the camera a moment ago: a late report of
 * that file, which can no longer be downloaded, is an echo too. */
static gboolean
was_just_deleted (CapaTether *self,
                  const char *key)
{
  gint64 *when = g_hash_table_lookup (self->deleted, key);

  return when != NULL && g_get_monotonic_time () - *when < 10 * G_USEC_PER_SEC;
}

/* Once a file is deleted from the camera, a new file of the same name is
 * a new picture (cameras reuse names). */
static void
forget_file (CapaTether     *self,
             CapaCameraFile *file)
{
  g_autofree char *key = file_key (file);
  gint64 *when = g_new (gint64, 1);

  *when = g_get_monotonic_time ();
  g_hash_table_remove (self->known, key);
  g_hash_table_remove (self->claimed, key);
  g_hash_table_remove (self->kept, key);
  if (self->poll_baseline != NULL)
    g_hash_table_remove (self->poll_baseline, key);

  /* Keep the record of recent deletions short. */
  if (g_hash_table_size (self->deleted) > 64)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->deleted);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (*when - *(gint64 *) value >= 10 * G_USEC_PER_SEC)
          g_hash_table_iter_remove (&iter);
    }
  g_hash_table_insert (self->deleted, g_steal_pointer (&key), when);
}

/* The error of a failed download or save, saying the picture is safe on
 * the camera. */
GError *
_capa_tether_error_kept_on_camera (const GError   *error,
                                   CapaCameraFile *file)
{
  {
    g_autofree char *message = g_strdup (error->message);
    gsize len = strlen (message);

    while (len > 0 && (message[len - 1] == '.' || g_ascii_isspace (message[len - 1])))
      message[--len] = '\0';

    /* Cancelled after the shutter fired: the picture exists, on the card. */
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      {
        g_free (message);
        message = g_strdup (_("Cancelled"));
      }

    if (capa_camera_file_get_name (file) == NULL || *capa_camera_file_get_name (file) == '\0')
      return g_error_new (error->domain, error->code,
                          /* Translators: %s is an error message, then a folder on the camera */
                          _("%s. The picture stays on the camera, in its folder “%s”."),
                          message, capa_camera_file_get_folder (file));

    return g_error_new (error->domain, error->code,
                        /* Translators: %s is an error message, then a file's path on the camera */
                        _("%s. The picture stays on the camera as “%s”."),
                        message, capa_camera_file_get_name (file));
  }
}

/* ------------------------------------------------------------------ */
/* Fetching one file: download, save, delete                            */
/* ------------------------------------------------------------------ */

/* A picture saved and left on the camera (delete-from-camera off): what
 * tells it from a later picture the camera gives the same name, after the
 * card was formatted or its counter went back. */
typedef struct
{
  guint64  size;
  char    *checksum;
} Kept;

static void
kept_free (gpointer data)
{
  Kept *kept = data;

  g_free (kept->checksum);
  g_free (kept);
}

typedef struct
{
  CapaCameraFile    *file;
  CapaTetherWriter  *writer;
  CapaImage         *image;
  Kept              *same_as;     /* a picture of that name, saved and kept: nullable */
  char              *checksum;    /* of the bytes, when the picture stays on the camera */
  GError            *error;       /* the download's */
  CapaSessionShot   *shot;        /* the shot whose base name the file takes */
  gboolean           defer_delete; /* saved only: the shot deletes its files together */
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  g_clear_object (&fetch->file);
  g_clear_pointer (&fetch->writer, _capa_tether_writer_release);
  g_clear_object (&fetch->image);
  g_clear_pointer (&fetch->same_as, kept_free);
  g_free (fetch->checksum);
  g_clear_error (&fetch->error);
  g_clear_pointer (&fetch->shot, _capa_session_shot_unref);
  g_free (fetch);
}

/* The picture is saved and stays on the camera: remember what it was. */
static void
keep_camera_file (CapaTether     *self,
                  CapaCameraFile *file,
                  const char     *checksum)
{
  Kept *kept;

  if (checksum == NULL)
    return;

  kept = g_new0 (Kept, 1);
  kept->size = capa_camera_file_get_size (file);
  kept->checksum = g_strdup (checksum);
  g_hash_table_insert (self->kept, file_key (file), kept);
}

static void
keep_file (CapaTether *self,
           Fetch      *fetch)
{
  keep_camera_file (self, fetch->file, fetch->checksum);
}

static void
on_fetch_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CapaTether *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!capa_camera_delete_file_finish (CAPA_CAMERA (object), result, &error))
    {
      /* The picture is saved: report, but do not fail. */
      g_autoptr(GError) warning =
        g_error_new (error->domain, error->code,
                     _("%s was saved, but could not be deleted from the camera: %s"),
                     capa_camera_file_get_name (fetch->file), error->message);

      emit_error (self, warning);
      keep_file (self, fetch);
    }
  else
    forget_file (self, fetch->file);

  g_task_return_pointer (task, g_object_ref (fetch->image), g_object_unref);
}

static void
on_fetch_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CapaTether *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  fetch->image = _capa_session_save_written_finish (CAPA_SESSION (object), result, &error);
  if (fetch->image == NULL)
    {
      g_task_return_error (task, _capa_tether_error_kept_on_camera (error, fetch->file));
      return;
    }

  /* A file of a shot: the shot deletes them all once all are saved. */
  if (fetch->defer_delete)
    {
      g_task_return_pointer (task, g_object_ref (fetch->image), g_object_unref);
      return;
    }

  /* Shown as soon as it is safely on disk: deleting it from the camera
   * need not hold the picture back. */
  g_signal_emit (self, signals[SIGNAL_IMAGE_SAVED], 0, fetch->image);

  if (self->delete_from_camera)
    {
      /* Deleting goes on even if the caller gave up meanwhile: the
       * picture is saved, and a copy left on the card would be fetched
       * twice. */
      capa_camera_delete_file_async (self->camera, fetch->file, NULL,
                                     on_fetch_deleted_cb, g_steal_pointer (&task));
      return;
    }

  keep_file (self, fetch);
  g_task_return_pointer (task, g_object_ref (fetch->image), g_object_unref);
}

static void
drop_writer_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  _capa_session_writer_free (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
on_fetch_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CapaTether *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(CapaSessionWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  writer = _capa_tether_writer_close_finish (fetch->writer, result, &fetch->checksum, &error);
  if (writer == NULL)
    {
      g_task_return_error (task, _capa_tether_error_kept_on_camera (error, fetch->file));
      return;
    }

  /* The name of a picture saved before and still on the camera: the same
   * bytes are that picture, reported again, and are not saved twice. */
  if (fetch->same_as != NULL && fetch->checksum != NULL &&
      fetch->same_as->size == capa_camera_file_get_size (fetch->file) &&
      g_str_equal (fetch->same_as->checksum, fetch->checksum))
    {
      g_autoptr(GTask) drop = g_task_new (NULL, NULL, NULL, NULL);

      g_debug ("%s is a picture saved already", capa_camera_file_get_name (fetch->file));
      /* Removing the temporary file is disk work: not on this thread. */
      g_task_set_task_data (drop, g_steal_pointer (&writer), NULL);
      g_task_run_in_thread (drop, drop_writer_thread);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  _capa_session_save_shot_async (self->session, g_steal_pointer (&writer), fetch->shot,
                                 capa_camera_file_get_name (fetch->file),
                                 capa_camera_file_get_mime_type (fetch->file),
                                 cancellable, on_fetch_saved_cb, g_steal_pointer (&task));
}

static void
on_fetch_dropped_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);

  g_task_return_error (task, _capa_tether_error_kept_on_camera (fetch->error, fetch->file));
}

static void
on_fetch_downloaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_capa_camera_download_file_to_finish (CAPA_CAMERA (object), result, &error))
    {
      /* Reported once the partial file is removed. */
      fetch->error = g_steal_pointer (&error);
      _capa_tether_writer_discard (fetch->writer);
      _capa_tether_writer_close_async (fetch->writer, on_fetch_dropped_cb,
                                       g_steal_pointer (&task));
      return;
    }

  /* The camera is free for the next job; the save waits for the last
   * queued bytes to reach the disk. */
  _capa_tether_writer_close_async (fetch->writer, on_fetch_written_cb, g_steal_pointer (&task));
}

/* Downloads, saves and (maybe) deletes @file: a download goes straight
 * into a new file in the session folder, so that the disk writes while the
 * camera sends (see capa-tether-writer.c); the session then syncs it and
 * names it. The task returns the image,
 * or %NULL without an error when @file proved to be a picture saved and
 * kept before. */
void
_capa_tether_fetch_async (CapaTether          *self,
                          CapaCameraFile      *file,
                          CapaSessionShot     *shot,
                          gboolean             defer_delete,
                          GCancellable        *cancellable,
                          gpointer             source_tag,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = file_key (file);
  Fetch *fetch = g_new0 (Fetch, 1);
  Kept *kept = NULL;
  CapaCameraSink sink;

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  fetch->file = g_object_ref (file);
  fetch->shot = shot != NULL ? _capa_session_shot_ref (shot)
                             : _capa_tether_shot_for_file (self, file);
  fetch->defer_delete = defer_delete;
  {
    CapaSessionWriter *session_writer = _capa_session_new_writer (self->session);

    /* A shot saved before Capa stopped, and still on the card, is not saved
     * twice (capa-session-io.c): the card copy is then deleted as usual. */
    _capa_session_writer_set_origin_file (session_writer, file);
    /* A picture left on the camera is told by its bytes from a later one
     * of the same name (a capture is a new picture whatever its name). */
    fetch->writer = _capa_tether_writer_new (session_writer, cancellable,
                                             !self->delete_from_camera);
  }
  if (source_tag == fetch_next)
    kept = g_hash_table_lookup (self->kept, key);
  if (kept != NULL)
    {
      fetch->same_as = g_new0 (Kept, 1);
      fetch->same_as->size = kept->size;
      fetch->same_as->checksum = g_strdup (kept->checksum);
    }
  g_task_set_task_data (task, fetch, fetch_free);

  _capa_tether_writer_get_sink (fetch->writer, &sink);
  _capa_camera_download_file_to_async (self->camera, file, &sink, cancellable,
                                       on_fetch_downloaded_cb, g_steal_pointer (&task));
}

/*
 * _capa_tether_fetch_finish:
 * @checksum: (out) (optional): the checksum of the bytes, when kept
 *
 * Finishes _capa_tether_fetch_async(): the image saved, or %NULL without
 * an error when the file proved to be a picture saved and kept before.
 */
CapaImage *
_capa_tether_fetch_finish (CapaTether    *self,
                           GAsyncResult  *result,
                           char         **checksum,
                           GError       **error)
{
  Fetch *fetch = g_task_get_task_data (G_TASK (result));

  if (checksum != NULL)
    *checksum = g_strdup (fetch->checksum);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_saved_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CapaTether *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!capa_camera_delete_file_finish (CAPA_CAMERA (object), result, &error))
    {
      g_autoptr(GError) warning =
        g_error_new (error->domain, error->code,
                     _("%s was saved, but could not be deleted from the camera: %s"),
                     capa_camera_file_get_name (fetch->file), error->message);

      emit_error (self, warning);
      keep_file (self, fetch);
    }
  else
    forget_file (self, fetch->file);
  g_task_return_boolean (task, TRUE);
}

/*
 * _capa_tether_delete_saved_async:
 *
 * Deletes @file, saved already, from the camera; a failure is reported
 * through the error signal, not to @callback (the picture is safe), and
 * the file is then remembered as kept (@checksum).
 */
void
_capa_tether_delete_saved_async (CapaTether          *self,
                                 CapaCameraFile      *file,
                                 const char          *checksum,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->file = g_object_ref (file);
  fetch->checksum = g_strdup (checksum);
  g_task_set_task_data (task, fetch, fetch_free);
  capa_camera_delete_file_async (self->camera, file, NULL, on_saved_deleted_cb,
                                 g_steal_pointer (&task));
}

void
_capa_tether_keep_saved (CapaTether     *self,
                         CapaCameraFile *file,
                         const char     *checksum)
{
  keep_camera_file (self, file, checksum);
}

/* ------------------------------------------------------------------ */
/* monitoring                                                           */
/* ------------------------------------------------------------------ */

/* A monitored picture to fetch again, later. */
typedef struct
{
  CapaTether     *self;           /* borrowed: the table holding this is its own */
  CapaCameraFile *file;
  CapaSessionShot *shot;          /* whose base name it takes, as at the first attempt */
  guint           attempts;
  GSource        *source;
} Refetch;

static void
refetch_free (gpointer data)
{
  Refetch *refetch = data;

  _capa_tether_clear_source (&refetch->source);
  g_clear_object (&refetch->file);
  g_clear_pointer (&refetch->shot, _capa_session_shot_unref);
  g_free (refetch);
}

static gboolean
on_refetch_cb (gpointer data)
{
  Refetch *refetch = data;
  CapaTether *self = refetch->self;

  g_clear_pointer (&refetch->source, g_source_unref);
  if (self->monitoring)
    {
      g_debug ("Trying again to fetch %s", capa_camera_file_get_name (refetch->file));
      g_queue_push_tail (&self->pending, g_object_ref (refetch->file));
      fetch_next (self);
    }

  return G_SOURCE_REMOVE;
}

/* Fetches @file again after a while, waiting longer after each failure. */
static void
schedule_refetch (CapaTether      *self,
                  CapaCameraFile  *file,
                  CapaSessionShot *shot)
{
  g_autofree char *key = file_key (file);
  Refetch *refetch = g_hash_table_lookup (self->refetch, key);
  guint delay_ms;

  if (refetch == NULL)
    {
      refetch = g_new0 (Refetch, 1);
      refetch->self = self;
      refetch->file = g_object_ref (file);
      refetch->shot = _capa_session_shot_ref (shot);
      g_hash_table_insert (self->refetch, g_strdup (key), refetch);
    }

  refetch->attempts++;
  delay_ms = REFETCH_MIN_MS << MIN (refetch->attempts - 1, 6);
  delay_ms = MIN (delay_ms, REFETCH_MAX_MS);
  _capa_tether_clear_source (&refetch->source);
  refetch->source = _capa_tether_add_timeout (self, delay_ms, on_refetch_cb, refetch, NULL,
                                              "[capa] tether fetches a picture again");
}

/* Stops trying again: a later report of these files queues them anew. */
static void
forget_refetches (CapaTether *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->refetch);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_remove (self->known, key);
  g_hash_table_remove_all (self->refetch);
}

/* The files of a shot taken on the camera (one name, several extensions:
 * RAW + JPEG) are reported and fetched one by one; each is deleted from
 * the camera only once every file of the shot is saved: when none is left
 * to fetch, being fetched or to try again, and the camera has said nothing
 * more of the shot for MONITOR_SHOT_SETTLE_MS. */
#define MONITOR_SHOT_SETTLE_MS 500

typedef struct
{
  CapaTether *self;        /* borrowed: the table holding this is its own */
  char       *key;         /* "folder/stem" on the camera */
  GPtrArray  *files;       /* CapaCameraFile: saved */
  GPtrArray  *checksums;   /* char *, each nullable */
  GSource    *source;
} MonitorShot;

static void
monitor_shot_free (gpointer data)
{
  MonitorShot *shot = data;

  _capa_tether_clear_source (&shot->source);
  g_free (shot->key);
  g_ptr_array_unref (shot->files);
  g_ptr_array_unref (shot->checksums);
  g_free (shot);
}

static gboolean
is_of_shot (CapaCameraFile *file,
            const char     *key)
{
  g_autofree char *other = _capa_tether_shot_key (file);

  return g_str_equal (other, key);
}

/* Whether a file of the shot @key is still to fetch, being fetched or to
 * try again. */
static gboolean
monitor_shot_busy (CapaTether *self,
                   const char *key)
{
  GHashTableIter iter;
  gpointer value;

  if (self->fetching_file != NULL && is_of_shot (self->fetching_file, key))
    return TRUE;
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    if (is_of_shot (l->data, key))
      return TRUE;
  g_hash_table_iter_init (&iter, self->refetch);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (is_of_shot (((Refetch *) value)->file, key))
      return TRUE;
  return FALSE;
}

static void
monitor_shot_delete (CapaTether  *self,
                     MonitorShot *shot)
{
  g_debug ("Every file of %s is saved: deleting them from the camera", shot->key);
  for (guint i = 0; i < shot->files->len; i++)
    _capa_tether_delete_saved_async (self, g_ptr_array_index (shot->files, i),
                                     g_ptr_array_index (shot->checksums, i), NULL, NULL);
}

static void monitor_shot_arm (MonitorShot *shot);

static gboolean
on_monitor_shot_settled_cb (gpointer data)
{
  MonitorShot *shot = data;
  CapaTether *self = shot->self;

  g_clear_pointer (&shot->source, g_source_unref);
  if (monitor_shot_busy (self, shot->key))
    monitor_shot_arm (shot);
  else
    {
      monitor_shot_delete (self, shot);
      g_hash_table_remove (self->monitor_shots, shot->key);
    }

  return G_SOURCE_REMOVE;
}

static void
monitor_shot_arm (MonitorShot *shot)
{
  _capa_tether_clear_source (&shot->source);
  shot->source = _capa_tether_add_timeout (shot->self, MONITOR_SHOT_SETTLE_MS,
                                           on_monitor_shot_settled_cb, shot, NULL,
                                           "[capa] tether deletes a saved shot");
}

static MonitorShot *
lookup_monitor_shot (CapaTether     *self,
                     CapaCameraFile *file)
{
  g_autofree char *key = _capa_tether_shot_key (file);

  return g_hash_table_lookup (self->monitor_shots, key);
}

/* Something of @file's shot happened: its deletion waits a moment more. */
static void
monitor_shot_touch (CapaTether     *self,
                    CapaCameraFile *file)
{
  MonitorShot *shot = lookup_monitor_shot (self, file);

  if (shot != NULL)
    monitor_shot_arm (shot);
}

/* @file, fetched by monitoring, is saved: deleted with the rest of its
 * shot, or kept on the camera. */
static void
monitor_shot_add_saved (CapaTether     *self,
                        CapaCameraFile *file,
                        const char     *checksum)
{
  MonitorShot *shot;

  if (!self->delete_from_camera)
    {
      _capa_tether_keep_saved (self, file, checksum);
      return;
    }

  shot = lookup_monitor_shot (self, file);
  if (shot == NULL)
    {
      shot = g_new0 (MonitorShot, 1);
      shot->self = self;
      shot->key = _capa_tether_shot_key (file);
      shot->files = g_ptr_array_new_with_free_func (g_object_unref);
      shot->checksums = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->monitor_shots, g_strdup (shot->key), shot);
    }
  g_ptr_array_add (shot->files, g_object_ref (file));
  g_ptr_array_add (shot->checksums, g_strdup (checksum));
  monitor_shot_arm (shot);
}

/* Monitoring stops: a shot saved whole is deleted now; one with a file
 * still to fetch stays on the camera, whole. */
static void
monitor_shots_flush (CapaTether *self)
{
  GHashTableIter iter;
  gpointer value;

  if (capa_camera_get_connected (self->camera))
    {
      g_hash_table_iter_init (&iter, self->monitor_shots);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (!monitor_shot_busy (self, ((MonitorShot *) value)->key))
          monitor_shot_delete (self, value);
    }
  g_hash_table_remove_all (self->monitor_shots);
}

/* The error of a monitored file that stays on the camera, naming the
 * files of its shot saved already, which stay there with it. */
static GError *
monitor_shot_error (CapaTether     *self,
                    CapaCameraFile *file,
                    const GError   *error)
{
  MonitorShot *shot = lookup_monitor_shot (self, file);
  g_autoptr(GString) others = g_string_new (NULL);

  if (shot == NULL)
    return g_error_copy (error);

  for (guint i = 0; i < shot->files->len; i++)
    {
      if (others->len > 0)
        g_string_append (others, ", ");
      g_string_append_printf (others, "“%s”",
                              capa_camera_file_get_name (g_ptr_array_index (shot->files, i)));
    }
  return g_error_new (error->domain, error->code,
                      /* Translators: an error, then the names of files on the camera */
                      _("%s The rest of the shot, %s, stays on the camera too; a copy of "
                        "what was downloaded is in the session."),
                      error->message, others->str);
}

static void
on_monitor_fetched_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CapaTether) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaImage) image = NULL;

  Fetch *fetch = g_task_get_task_data (G_TASK (result));
  g_autofree char *key = file_key (fetch->file);
  g_autofree char *checksum = NULL;

  self->fetching = FALSE;
  g_clear_object (&self->fetching_file);
  image = _capa_tether_fetch_finish (self, result, &checksum, &error);
  if (image != NULL || error == NULL)
    {
      /* Saved, or found to be a picture saved already. */
      g_hash_table_remove (self->refetch, key);
      _capa_tether_release_kept (self, key);
      if (image != NULL)
        {
          g_signal_emit (self, signals[SIGNAL_IMAGE_SAVED], 0, image);
          monitor_shot_add_saved (self, fetch->file, checksum);
        }
      else
        monitor_shot_touch (self, fetch->file);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND))
        {
          /* Gone from the card: nothing to try again. */
          if (was_just_deleted (self, key))
            g_debug ("Ignoring a late report of %s, saved and deleted already", key);
          else
            emit_error (self, error);
          g_hash_table_remove (self->refetch, key);
          g_hash_table_remove (self->known, key);
          monitor_shot_touch (self, fetch->file);
        }
      else
        {
          g_autoptr(GError) whole = monitor_shot_error (self, fetch->file, error);

          /* The picture stays on the camera, and the rest of its shot with
           * it: tried again in a while (a lost camera stops monitoring,
           * and the retry with it). */
          emit_error (self, whole);
          if (self->monitoring)
            schedule_refetch (self, fetch->file, fetch->shot);
        }
    }

  if (self->monitoring)
    fetch_next (self);
}

/* One file at a time, in the order the camera reported them. */
static void
fetch_next (CapaTether *self)
{
  g_autoptr(CapaCameraFile) file = NULL;

  if (self->fetching || !self->monitoring || self->capturing > 0)
    return;

  while ((file = g_queue_pop_head (&self->pending)) != NULL)
    {
      g_autofree char *key = file_key (file);

      if (!is_claimed (self, key))
        break;
      g_clear_object (&file);
    }
  if (file == NULL)
    return;

  self->fetching = TRUE;
  g_set_object (&self->fetching_file, file);
  {
    g_autofree char *key = file_key (file);
    Refetch *refetch = g_hash_table_lookup (self->refetch, key);

    /* Tried again: the same picture, under the same base name. */
    _capa_tether_fetch_async (self, file, refetch != NULL ? refetch->shot : NULL, TRUE,
                              self->monitor_cancellable, fetch_next,
                              on_monitor_fetched_cb, g_object_ref (self));
  }
}

static void
queue_fetch (CapaTether     *self,
             CapaCameraFile *file)
{
  g_autofree char *key = file_key (file);

  if (g_hash_table_contains (self->known, key) || is_claimed (self, key))
    return;

  g_debug ("New picture on the camera: %s", key);
  g_hash_table_add (self->known, g_steal_pointer (&key));
  g_queue_push_tail (&self->pending, g_object_ref (file));
  monitor_shot_touch (self, file);
  fetch_next (self);
}

static void
on_camera_file_added_cb (CapaCamera     *camera,
                         CapaCameraFile *file,
                         CapaTether     *self)
{
  if (self->monitoring)
    queue_fetch (self, file);
}

static gboolean
on_retry_cb (gpointer data)
{
  g_autoptr(CapaTether) self = g_weak_ref_get (data);

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_clear_pointer (&self->retry_source, g_source_unref);
  monitor_cycle (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_cycle (CapaTether *self,
                guint       delay_ms)
{
  _capa_tether_clear_source (&self->retry_source);
  if (!self->monitoring)
    return;
  if (delay_ms == 0)
    monitor_cycle (self);
  else
    self->retry_source = _capa_tether_add_timeout (self, delay_ms, on_retry_cb,
                                                   _capa_tether_weak_new (self),
                                                   _capa_tether_weak_free,
                                                   "[capa] tether watches the camera again");
}

static void
backoff (CapaTether   *self,
         const GError *error)
{
  emit_error (self, error);
  self->backoff_ms = CLAMP (self->backoff_ms * 2, BACKOFF_MIN_MS, BACKOFF_MAX_MS);
  schedule_cycle (self, self->backoff_ms);
}

/* A watch cycle failed: a camera that is gone or closed ends monitoring,
 * anything else is tried again after a growing pause. */
static void
monitor_failed (CapaTether   *self,
                const GError *error)
{
  if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED) ||
      g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED))
    {
      emit_error (self, error);
      capa_tether_stop_monitoring (self);
      return;
    }

  backoff (self, error);
}

static void
on_poll_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CapaTether) self = _capa_tether_weak_steal (user_data);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) listed = NULL;
  gboolean first;

  files = capa_camera_list_files_finish (CAPA_CAMERA (object), result, &error);
  if (self == NULL)
    return;
  first = self->poll_baseline == NULL;
  if (files == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->monitoring)
        monitor_failed (self, error);
      return;
    }

  self->backoff_ms = 0;
  listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < files->len; i++)
    g_hash_table_add (listed, file_key (g_ptr_array_index (files, i)));

  if (first)
    self->poll_baseline = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  else
    {
      GHashTableIter iter;
      gpointer key;

      /* A name gone from the card (deleted, or the card formatted) is
       * forgotten: the camera may give it to a new picture. */
      g_hash_table_iter_init (&iter, self->poll_baseline);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (listed, key))
          {
            g_hash_table_remove (self->kept, key);
            if (self->capturing == 0)
              g_hash_table_remove (self->claimed, key);
            if (!g_hash_table_contains (self->refetch, key))
              g_hash_table_remove (self->known, key);
            g_hash_table_iter_remove (&iter);
          }
    }

  for (guint i = 0; i < files->len; i++)
    {
      CapaCameraFile *file = g_ptr_array_index (files, i);
      char *key = file_key (file);

      /* The files already on the card when monitoring began are not new. */
      if (!g_hash_table_add (self->poll_baseline, key))
        continue;
      if (!first && self->monitoring)
        queue_fetch (self, file);
    }

  schedule_cycle (self, POLL_INTERVAL_MS);
}

static void
on_monitor_events_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CapaTether) self = _capa_tether_weak_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok = capa_camera_process_events_finish (CAPA_CAMERA (object), result, &error);

  if (self == NULL)
    return;
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->monitoring)
        return;

      if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED))
        {
          g_debug ("The camera has no events: watching its file list instead");
          self->polling = TRUE;
          schedule_cycle (self, 0);
          return;
        }

      monitor_failed (self, error);
      return;
    }

  self->backoff_ms = 0;
  schedule_cycle (self, 0);
}

static void
monitor_cycle (CapaTether *self)
{
  if (!self->monitoring)
    return;

  /* See _capa_tether_capture_started(). */
  if (self->capturing > 0 && !self->polling)
    {
      self->cycle_paused = TRUE;
      return;
    }

  if (self->polling)
    capa_camera_list_files_async (self->camera, "/", self->monitor_cancellable,
                                  on_poll_listed_cb, _capa_tether_weak_new (self));
  else
    {
      g_clear_object (&self->watch_cancellable);
      self->watch_cancellable = g_cancellable_new ();
      capa_camera_process_events_async (self->camera, MONITOR_SLICE_MS, self->watch_cancellable,
                                        on_monitor_events_cb, _capa_tether_weak_new (self));
    }
}

/**
 * capa_tether_start_monitoring:
 * @self: a #CapaTether
 *
 * Starts watching the camera in the background: every picture taken
 * with the camera's own shutter button is downloaded, saved and (see
 * [property@Capa.Tether:delete-from-camera]) deleted from the camera,
 * then announced by [signal@Capa.Tether::image-saved]. Failures are
 * reported by [signal@Capa.Tether::error]; transient ones are retried
 * after a growing pause.
 *
 * Captures asked for meanwhile run between two short slices of event
 * watching, without waiting for a slice to end.
 */
void
capa_tether_start_monitoring (CapaTether *self)
{
  g_return_if_fail (CAPA_IS_TETHER (self));

  if (self->monitoring)
    return;

  self->monitoring = TRUE;
  self->polling = FALSE;
  self->backoff_ms = 0;
  g_clear_object (&self->monitor_cancellable);
  self->monitor_cancellable = g_cancellable_new ();
  g_clear_pointer (&self->poll_baseline, g_hash_table_unref);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITORING]);
  monitor_cycle (self);
}

/**
 * capa_tether_stop_monitoring:
 * @self: a #CapaTether
 *
 * Stops watching the camera. Pictures not yet downloaded stay on the camera.
 */
void
capa_tether_stop_monitoring (CapaTether *self)
{
  g_return_if_fail (CAPA_IS_TETHER (self));

  if (!self->monitoring)
    return;

  self->monitoring = FALSE;
  self->cycle_paused = FALSE;
  monitor_shots_flush (self);
  g_cancellable_cancel (self->monitor_cancellable);
  if (self->watch_cancellable != NULL)
    g_cancellable_cancel (self->watch_cancellable);
  _capa_tether_clear_source (&self->retry_source);
  g_queue_clear_full (&self->pending, g_object_unref);
  forget_refetches (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITORING]);
}

/**
 * capa_tether_get_monitoring:
 * @self: a #CapaTether
 *
 * Gets whether the camera is watched for pictures taken on it.
 *
 * Returns: whether the camera is watched for pictures taken on it
 */
gboolean
capa_tether_get_monitoring (CapaTether *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER (self), FALSE);

  return self->monitoring;
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */
/* ------------------------------------------------------------------ */

static void
on_camera_disconnected_cb (CapaCamera *camera,
                           CapaTether *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->monitoring && !self->previewing)
    return;

  error = g_error_new (CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED,
                       /* Translators: %s is the camera's model */
                       _("The camera “%s” was disconnected or reset. Check that it is on and "
                         "its cable is in, then connect it again."),
                       capa_camera_get_model (camera));
  emit_error (self, error);
  capa_tether_stop_monitoring (self);
  capa_tether_stop_preview (self);
}

static void
capa_tether_constructed (GObject *object)
{
  CapaTether *self = CAPA_TETHER (object);

  G_OBJECT_CLASS (capa_tether_parent_class)->constructed (object);

  g_assert (CAPA_IS_CAMERA (self->camera));
  g_assert (CAPA_IS_SESSION (self->session));

  self->file_added_id = g_signal_connect (self->camera, "file-added",
                                          G_CALLBACK (on_camera_file_added_cb), self);
  self->disconnected_id = g_signal_connect (self->camera, "disconnected",
                                            G_CALLBACK (on_camera_disconnected_cb), self);
}

static void
capa_tether_dispose (GObject *object)
{
  CapaTether *self = CAPA_TETHER (object);

  /* Dropped while monitoring or previewing: both stop here, and what is
   * in flight finds the tether gone (it holds it weakly). */
  self->monitoring = FALSE;
  self->previewing = FALSE;
  /* Saved shots waiting to be deleted stay on the camera; the session's
   * journal knows them, so they are not saved twice later. */
  g_hash_table_remove_all (self->monitor_shots);
  g_cancellable_cancel (self->monitor_cancellable);
  if (self->watch_cancellable != NULL)
    g_cancellable_cancel (self->watch_cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  g_cancellable_cancel (self->target_cancellable);
  _capa_tether_clear_source (&self->retry_source);
  g_hash_table_remove_all (self->refetch);
  if (self->camera != NULL)
    {
      g_clear_signal_handler (&self->file_added_id, self->camera);
      g_clear_signal_handler (&self->disconnected_id, self->camera);
    }
  g_queue_clear_full (&self->pending, g_object_unref);
  g_clear_object (&self->camera);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (capa_tether_parent_class)->dispose (object);
}

static void
capa_tether_finalize (GObject *object)
{
  CapaTether *self = CAPA_TETHER (object);

  g_clear_object (&self->monitor_cancellable);
  g_clear_object (&self->watch_cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_pointer (&self->known, g_hash_table_unref);
  g_clear_pointer (&self->claimed, g_hash_table_unref);
  g_clear_pointer (&self->kept, g_hash_table_unref);
  g_clear_pointer (&self->deleted, g_hash_table_unref);
  g_clear_pointer (&self->poll_baseline, g_hash_table_unref);
  g_clear_pointer (&self->refetch, g_hash_table_unref);
  g_clear_pointer (&self->monitor_shots, g_hash_table_unref);
  g_clear_object (&self->fetching_file);
  g_clear_pointer (&self->shots, g_hash_table_unref);
  g_clear_object (&self->target_cancellable);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->camera_tag, g_free);
  g_clear_pointer (&self->model_tag, g_free);
  g_clear_pointer (&self->tag_model, g_free);

  G_OBJECT_CLASS (capa_tether_parent_class)->finalize (object);
}

static void
capa_tether_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CapaTether *self = CAPA_TETHER (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      g_value_set_object (value, self->camera);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_DELETE_FROM_CAMERA:
      g_value_set_boolean (value, self->delete_from_camera);
      break;

    case PROP_KEEP_ON_CARD:
      g_value_set_boolean (value, self->keep_on_card);
      break;

    case PROP_MONITORING:
      g_value_set_boolean (value, self->monitoring);
      break;

    case PROP_PREVIEWING:
      g_value_set_boolean (value, self->previewing);
      break;

    case PROP_CAMERA_TAG:
      g_value_set_string (value, capa_tether_get_camera_tag (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_tether_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CapaTether *self = CAPA_TETHER (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      self->camera = g_value_dup_object (value);
      break;

    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_DELETE_FROM_CAMERA:
      capa_tether_set_delete_from_camera (self, g_value_get_boolean (value));
      break;

    case PROP_KEEP_ON_CARD:
      capa_tether_set_keep_on_card (self, g_value_get_boolean (value));
      break;

    case PROP_CAMERA_TAG:
      capa_tether_set_camera_tag (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_tether_class_init (CapaTetherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = capa_tether_constructed;
  object_class->dispose = capa_tether_dispose;
  object_class->finalize = capa_tether_finalize;
  object_class->get_property = capa_tether_get_property;
  object_class->set_property = capa_tether_set_property;

  /**
   * CapaTether:camera:
   *
   * The camera pictures come from.
   */
  properties[PROP_CAMERA] =
    g_param_spec_object ("camera", NULL, NULL,
                         CAPA_TYPE_CAMERA,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaTether:session:
   *
   * The session pictures are saved in.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CAPA_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaTether:delete-from-camera:
   *
   * Whether a picture is deleted from the camera once it is safely saved
   * in the session.
   */
  properties[PROP_DELETE_FROM_CAMERA] =
    g_param_spec_boolean ("delete-from-camera", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaTether:keep-on-card:
   *
   * Whether the camera keeps a copy of every picture on its memory card.
   * Setting it sets the camera's capture target (its `capturetarget`
   * setting): %TRUE selects the memory card and turns
   * [property@Capa.Tether:delete-from-camera] off; %FALSE selects the
   * camera's RAM (faster, and it works without a card) and turns deletion
   * on, so that nothing is left behind. A camera without that setting
   * keeps its pictures where it always does; one asked to keep them on a
   * card it does not have uses its RAM, and the error signal says so.
   *
   * Until it is first set, the tether leaves the camera's capture target
   * as it is.
   */
  properties[PROP_KEEP_ON_CARD] =
    g_param_spec_boolean ("keep-on-card", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaTether:monitoring:
   *
   * Whether pictures taken on the camera are fetched in the background.
   */
  properties[PROP_MONITORING] =
    g_param_spec_boolean ("monitoring", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaTether:previewing:
   *
   * Whether live view is running.
   */
  properties[PROP_PREVIEWING] =
    g_param_spec_boolean ("previewing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaTether:camera-tag:
   *
   * What the field `%c` of the session's file-name pattern writes for this
   * camera's pictures, so that the files of several cameras saved into one
   * session tell which camera took them. Only ASCII letters, digits and
   * single `-` between them, at most 32 bytes, never empty: whatever is set
   * is made so (each run of other characters becomes one `-`).
   *
   * By default, and after setting %NULL or a text with no letter or digit,
   * it is made so from the camera's model: "Nikon DSC D750" gives
   * "Nikon-DSC-D750"; "Camera" when the model has no letter or digit.
   * A new tag applies to the shots taken after it is set.
   */
  properties[PROP_CAMERA_TAG] =
    g_param_spec_string ("camera-tag", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaTether::image-saved:
   * @self: a #CapaTether
   * @image: the new image in the session
   *
   * A picture (captured, or taken on the camera while monitoring) is
   * safely saved in the session. It is emitted as soon as the file is
   * durably on disk, before its copy is deleted from the camera, so that
   * the picture can be shown at once; each file of a RAW + JPEG shot is
   * announced as it is saved.
   */
  signals[SIGNAL_IMAGE_SAVED] =
    g_signal_new ("image-saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_IMAGE);

  /**
   * CapaTether::preview-frame:
   * @self: a #CapaTether
   * @frame: the live-view frame, with its data (usually a JPEG)
   *
   * A live-view frame arrived.
   */
  signals[SIGNAL_PREVIEW_FRAME] =
    g_signal_new ("preview-frame",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaTether::error:
   * @self: a #CapaTether
   * @error: what went wrong
   *
   * Background work (monitoring, live view, deleting a saved picture)
   * failed. The message says what happened to the picture.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
capa_tether_init (CapaTether *self)
{
  self->delete_from_camera = TRUE;
  self->main_context = g_main_context_ref_thread_default ();
  self->thread = g_thread_self ();
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->claimed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, kept_free);
  self->deleted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refetch = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, refetch_free);
  self->shots = _capa_tether_shots_new ();
  self->monitor_shots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               monitor_shot_free);
  g_queue_init (&self->pending);
}

/**
 * capa_tether_new:
 * @camera: an open camera
 * @session: the session to save pictures in
 *
 * Creates a tether from @camera to @session.
 *
 * Returns: (transfer full): a new #CapaTether
 */
CapaTether *
capa_tether_new (CapaCamera  *camera,
                 CapaSession *session)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (camera), NULL);
  g_return_val_if_fail (CAPA_IS_SESSION (session), NULL);

  return g_object_new (CAPA_TYPE_TETHER,
                       "camera", camera,
                       "session", session,
                       NULL);
}

/**
 * capa_tether_get_camera:
 * @self: a #CapaTether
 *
 * Gets the camera.
 *
 * Returns: (transfer none): the camera
 */
CapaCamera *
capa_tether_get_camera (CapaTether *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER (self), NULL);

  return self->camera;
}

/**
 * capa_tether_get_session:
 * @self: a #CapaTether
 *
 * Gets the session.
 *
 * Returns: (transfer none): the session
 */
CapaSession *
capa_tether_get_session (CapaTether *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER (self), NULL);

  return self->session;
}

/**
 * capa_tether_get_delete_from_camera:
 * @self: a #CapaTether
 *
 * Gets whether saved pictures are deleted from the camera.
 *
 * Returns: whether saved pictures are deleted from the camera
 */
gboolean
capa_tether_get_delete_from_camera (CapaTether *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER (self), FALSE);

  return self->delete_from_camera;
}

/**
 * capa_tether_set_delete_from_camera:
 * @self: a #CapaTether
 * @delete_from_camera: whether to delete saved pictures from the camera
 *
 * Sets whether a picture is deleted from the camera once it is saved.
 */
void
capa_tether_set_delete_from_camera (CapaTether *self,
                                    gboolean    delete_from_camera)
{
  g_return_if_fail (CAPA_IS_TETHER (self));

  delete_from_camera = !!delete_from_camera;
  if (self->delete_from_camera == delete_from_camera)
    return;

  self->delete_from_camera = delete_from_camera;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETE_FROM_CAMERA]);
}

/**
 * capa_tether_get_keep_on_card:
 * @self: a #CapaTether
 *
 * Gets whether the camera keeps a copy of every picture on its card.
 *
 * Returns: whether pictures are kept on the memory card
 */
gboolean
capa_tether_get_keep_on_card (CapaTether *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER (self), FALSE);

  return self->keep_on_card;
}

/**
 * capa_tether_set_keep_on_card:
 * @self: a #CapaTether
 * @keep_on_card: whether to keep pictures on the memory card
 *
 * Sets where the camera keeps its pictures (see
 * [property@Capa.Tether:keep-on-card]).
 */
void
capa_tether_set_keep_on_card (CapaTether *self,
                              gboolean    keep_on_card)
{
  g_return_if_fail (CAPA_IS_TETHER (self));

  keep_on_card = !!keep_on_card;
  if (self->keep_on_card_set && self->keep_on_card == keep_on_card)
    return;

  self->keep_on_card_set = TRUE;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->keep_on_card != keep_on_card)
    {
      self->keep_on_card = keep_on_card;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_ON_CARD]);
    }
  capa_tether_set_delete_from_camera (self, !keep_on_card);
  g_object_thaw_notify (G_OBJECT (self));
  _capa_tether_apply_keep_on_card (self);
}
