/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Tether"

#include "config.h"

#include "capa-tether-private.h"
#include "capa-testing-private.h"

/* A download streamed into the session folder is written by a thread of
 * its own: the camera's worker only copies each piece into a queue, and
 * waits only while the queue holds CAPA_TETHER_WRITE_QUEUE_BYTES (more
 * than a whole picture of today's cameras), so that a slow disk does not
 * stall event watching, live view and the next capture behind it.
 *
 * A write that fails does not stop the download (see the sink in
 * capa-camera-files.c): the rest is dropped and the error is given at
 * the next piece and when the writer is closed. */

struct _CapaTetherWriter
{
  gatomicrefcount    ref;

  GMutex             mutex;
  GCond              cond;

  /* guarded by mutex */
  GQueue             chunks;      /* GBytes, to write in order */
  gsize              queued;      /* bytes in chunks, and the one being written */
  GError            *error;       /* the first write that failed */
  GTask             *close_task;
  guint              closed : 1;
  guint              discarded : 1;
  guint              finished : 1;

  /* the writer thread's, then the closer's once finished */
  CapaSessionWriter *writer;
  GCancellable      *cancellable;
  GChecksum         *checksum;
};

static CapaTestingTetherWriteHook write_hook;
static gpointer write_hook_data;
static GMutex write_hook_mutex;

/* Testing API (capa-testing-private.h). */
void
_capa_testing_tether_set_write_hook (CapaTestingTetherWriteHook hook,
                                     gpointer                   data)
{
  g_mutex_lock (&write_hook_mutex);
  write_hook = hook;
  write_hook_data = data;
  g_mutex_unlock (&write_hook_mutex);
}

static void
call_write_hook (void)
{
  CapaTestingTetherWriteHook hook;
  gpointer data;

  g_mutex_lock (&write_hook_mutex);
  hook = write_hook;
  data = write_hook_data;
  g_mutex_unlock (&write_hook_mutex);
  if (hook != NULL)
    hook (data);
}

static CapaTetherWriter *
writer_ref (CapaTetherWriter *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

static void
writer_unref (gpointer data)
{
  CapaTetherWriter *self = data;

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  g_assert (self->close_task == NULL);
  g_queue_clear_full (&self->chunks, (GDestroyNotify) g_bytes_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->writer, _capa_session_writer_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->checksum, g_checksum_free);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

static void
return_closed (CapaTetherWriter *self,
               GTask            *task)
{
  if (self->discarded)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "discarded");
  else if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
writer_pool_func (gpointer data,
                  gpointer user_data)
{
  CapaTetherWriter *self = data;
  g_autoptr(GTask) task = NULL;
  gboolean discarded;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      g_autoptr(GBytes) chunk = NULL;

      while (self->chunks.length == 0 && !self->closed && !self->discarded)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->discarded)
        break;
      chunk = g_queue_pop_head (&self->chunks);
      if (chunk == NULL)
        break;    /* closed, and everything written */

      if (self->error == NULL)
        {
          g_autoptr(GError) error = NULL;
          gsize size = 0;
          const guint8 *bytes = g_bytes_get_data (chunk, &size);
          gboolean written;

          g_mutex_unlock (&self->mutex);
          call_write_hook ();
          written = _capa_session_writer_write (self->writer, bytes, size,
                                                self->cancellable, &error);
          if (written && self->checksum != NULL)
            g_checksum_update (self->checksum, bytes, size);
          g_mutex_lock (&self->mutex);
          if (!written && self->error == NULL)
            self->error = g_steal_pointer (&error);
        }
      self->queued -= g_bytes_get_size (chunk);
      g_cond_broadcast (&self->cond);
    }

  /* Discarded, or a write failed (the disk full, gone...): the file will
   * not be saved, so its temporary file is gone before anyone is told. */
  discarded = self->discarded || self->error != NULL;
  g_queue_clear_full (&self->chunks, (GDestroyNotify) g_bytes_unref);
  self->queued = 0;
  g_cond_broadcast (&self->cond);
  if (discarded)
    {
      g_mutex_unlock (&self->mutex);
      _capa_session_writer_discard (self->writer);
      g_mutex_lock (&self->mutex);
    }
  self->finished = TRUE;
  task = g_steal_pointer (&self->close_task);
  g_mutex_unlock (&self->mutex);

  /* Finished: nothing else touches the session writer until the task
   * hands it over. */
  if (task != NULL)
    return_closed (self, task);

  writer_unref (self);
}

static gpointer
make_writer_pool (gpointer data)
{
  /* Without a limit: each writer waits for its shot's chunks, so one
   * must never wait for another to end. */
  return g_thread_pool_new (writer_pool_func, NULL, -1, FALSE, NULL);
}

/* Writers run in a shared pool, whose threads GLib keeps a while when idle:
 * a thread made for every shot would cost the main thread, which queues
 * the download, a millisecond or more each time. */
static GThreadPool *
get_writer_pool (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, make_writer_pool, NULL);
  return once.retval;
}

CapaTetherWriter *
_capa_tether_writer_new (CapaSessionWriter *writer,
                         GCancellable      *cancellable,
                         gboolean           with_checksum)
{
  CapaTetherWriter *self = g_new0 (CapaTetherWriter, 1);

  g_atomic_ref_count_init (&self->ref);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->chunks);
  self->writer = writer;
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  if (with_checksum)
    self->checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_thread_pool_push (get_writer_pool (), writer_ref (self), NULL);
  return self;
}

gboolean
_capa_tether_writer_write (CapaTetherWriter  *self,
                           const guint8      *bytes,
                           gsize              size,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_mutex_lock (&self->mutex);
  /* Back-pressure: wait while the queue is full (a piece larger than the
   * whole queue goes in alone). */
  while (self->error == NULL && !self->finished && self->queued > 0 &&
         self->queued + size > CAPA_TETHER_WRITE_QUEUE_BYTES &&
         !g_cancellable_is_cancelled (cancellable))
    g_cond_wait_until (&self->cond, &self->mutex,
                       g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }

  if (self->closed || self->finished)
    {
      /* Discarded meanwhile: the download is being dropped. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "discarded");
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  g_queue_push_tail (&self->chunks, g_bytes_new (bytes, size));
  self->queued += size;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

void
_capa_tether_writer_discard (CapaTetherWriter *self)
{
  g_mutex_lock (&self->mutex);
  if (!self->closed)
    self->discarded = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
_capa_tether_writer_close_async (CapaTetherWriter    *self,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, _capa_tether_writer_close_async);
  g_task_set_task_data (task, writer_ref (self), writer_unref);

  g_mutex_lock (&self->mutex);
  g_assert (!self->closed && self->close_task == NULL);
  self->closed = TRUE;
  if (self->finished)
    {
      g_mutex_unlock (&self->mutex);
      return_closed (self, task);
      g_object_unref (task);
      return;
    }
  self->close_task = task;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

CapaSessionWriter *
_capa_tether_writer_close_finish (CapaTetherWriter  *self,
                                  GAsyncResult      *result,
                                  char             **checksum,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  if (checksum != NULL)
    *checksum = self->checksum != NULL ? g_strdup (g_checksum_get_string (self->checksum)) : NULL;
  return g_steal_pointer (&self->writer);
}

static gboolean
sink_write (gpointer       data,
            const guint8  *bytes,
            gsize          size,
            GCancellable  *cancellable,
            GError       **error)
{
  return _capa_tether_writer_write (data, bytes, size, cancellable, error);
}

static void
sink_discard (gpointer data)
{
  _capa_tether_writer_discard (data);
}

/* A download streamed into @self (see _capa_camera_download_file_to_async()). */
void
_capa_tether_writer_get_sink (CapaTetherWriter *self,
                              CapaCameraSink   *sink)
{
  sink->write = sink_write;
  sink->discard = sink_discard;
  sink->data = self;
}

void
_capa_tether_writer_release (CapaTetherWriter *self)
{
  if (self == NULL)
    return;

  _capa_tether_writer_discard (self);
  writer_unref (self);
}
