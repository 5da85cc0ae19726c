/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-camera.h"
#include "capa-camera-private.h"
#include "capa-gphoto2-private.h"

/* The camera's job machinery: jobs, the worker thread that runs them one
 * after the other with a GPContext each, and the hand-over of their
 * results and signals to the camera's main context. */
/* ------------------------------------------------------------------ */
/* Jobs                                                                 */
/* ------------------------------------------------------------------ */

CapaCameraJob *
_capa_camera_bool_job_new (CapaCamera            *self,
                           CapaCameraJobRunFunc   run,
                           CapaCameraJobDoneFunc  done,
                           GCancellable          *cancellable)
{
  CapaCameraJob *job = _capa_camera_job_new (self, run, done, cancellable);

  job->is_boolean = TRUE;
  return job;
}

CapaCameraJob *
_capa_camera_job_new (CapaCamera            *self,
                      CapaCameraJobRunFunc   run,
                      CapaCameraJobDoneFunc  done,
                      GCancellable          *cancellable)
{
  CapaCameraJob *job = g_new0 (CapaCameraJob, 1);

  job->self = g_object_ref (self);
  job->run = run;
  job->done = done;
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);

  return job;
}

void
_capa_camera_job_free (CapaCameraJob *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  if (job->result_free != NULL && job->result != NULL)
    job->result_free (job->result);
  g_clear_error (&job->error);
  g_clear_pointer (&job->context_error, g_free);
  g_clear_object (&job->progress_file);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->task);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_clear_object (&job->self);
  g_free (job);
}

void
_capa_camera_job_set_data (CapaCameraJob  *job,
                           gpointer        data,
                           GDestroyNotify  data_free)
{
  job->data = data;
  job->data_free = data_free;
}

void
_capa_camera_job_set_result (CapaCameraJob  *job,
                             gpointer        result,
                             GDestroyNotify  result_free)
{
  if (job->result_free != NULL && job->result != NULL)
    job->result_free (job->result);
  job->result = result;
  job->result_free = result_free;
}

/* --- signals emitted in the camera's main context --- */

typedef struct
{
  CapaCamera *self;
  guint       signal_id;
  GObject    *arg;
  double      fraction;
} Emission;

static gboolean
emit_cb (gpointer data)
{
  Emission *emission = data;

  if (emission->signal_id == _capa_camera_signals[CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS])
    _capa_camera_set_download_progress (emission->self, emission->fraction, CAPA_CAMERA_FILE (emission->arg));
  else if (emission->arg != NULL)
    g_signal_emit (emission->self, emission->signal_id, 0, emission->arg);
  else
    g_signal_emit (emission->self, emission->signal_id, 0);

  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_clear_object (&emission->arg);
  g_clear_object (&emission->self);
  g_free (emission);
}

/* Emits @signal_id on @self in its main context; from any thread. */
void
_capa_camera_emit_in_main (CapaCamera *self,
                           guint       signal_id,
                           gpointer    arg,
                           double      fraction)
{
  Emission *emission = g_new0 (Emission, 1);

  emission->self = g_object_ref (self);
  emission->signal_id = signal_id;
  emission->arg = arg ? g_object_ref (arg) : NULL;
  emission->fraction = fraction;
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT,
                              emit_cb, emission, emission_free);
}

/* --- GPContext callbacks (worker thread) --- */

static GPContextFeedback
on_context_cancel_cb (GPContext *context,
                      void      *data)
{
  CapaCameraJob *job = data;

  if (g_cancellable_is_cancelled (job->cancellable))
    return GP_CONTEXT_FEEDBACK_CANCEL;
  return GP_CONTEXT_FEEDBACK_OK;
}

static void
on_context_error_cb (GPContext  *context,
                     const char *text,
                     void       *data)
{
  CapaCameraJob *job = data;

  g_debug ("libgphoto2: %s", text);
  g_free (job->context_error);
  job->context_error = g_strdup (text);
}

static unsigned int
on_context_progress_start_cb (GPContext  *context,
                              float       target,
                              const char *text,
                              void       *data)
{
  CapaCameraJob *job = data;

  job->progress_target = target;
  return 1;
}

static void
on_context_progress_update_cb (GPContext    *context,
                               unsigned int  id,
                               float         current,
                               void         *data)
{
  CapaCameraJob *job = data;
  double fraction;

  if (job->progress_file == NULL || job->progress_target <= 0)
    return;

  fraction = CLAMP (current / job->progress_target, 0.0, 1.0);
  /* Keep the main loop quiet: report whole percents only. */
  if (fraction - job->progress_last < 0.01 && fraction < 1.0)
    return;

  job->progress_last = fraction;
  _capa_camera_emit_in_main (job->self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS], job->progress_file, fraction);
}

static void
on_context_progress_stop_cb (GPContext    *context,
                             unsigned int  id,
                             void         *data)
{
}

/* Fails the job if the camera is not open. */
gboolean
_capa_camera_job_check_open (CapaCamera    *self,
                             CapaCameraJob *job)
{
  if (self->gp_camera != NULL)
    return TRUE;

  g_set_error_literal (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED,
                       _("The camera is not open"));
  return FALSE;
}

static void
on_disconnected_cb (CapaCamera *self)
{
  g_assert (CAPA_IS_CAMERA (self));

  _capa_camera_set_connected (self, FALSE);
  if (!self->disconnected_emitted)
    {
      self->disconnected_emitted = TRUE;
      g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_DISCONNECTED], 0);
    }
}

static gboolean
disconnected_cb (gpointer data)
{
  on_disconnected_cb (CAPA_CAMERA (data));
  return G_SOURCE_REMOVE;
}

/* Turns a libgphoto2 failure of an open camera into job->error; a lost
 * device closes the camera and emits CapaCamera::disconnected. */
void
_capa_camera_job_fail (CapaCamera    *self,
                       CapaCameraJob *job,
                       int            result,
                       const char    *what)
{
  g_clear_error (&job->error);

  if (result == GP_ERROR_CANCEL && g_cancellable_is_cancelled (job->cancellable))
    {
      g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The operation was cancelled"));
      return;
    }

  if (self->gp_camera != NULL && _capa_gp_result_is_disconnect (result))
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED,
                   _("%s: the camera was disconnected (%s)"), what, gp_result_as_string (result));
      g_debug ("Camera %s on %s lost: %s", self->model, self->port, job->error->message);
      _capa_gp_camera_release (&self->gp_camera, NULL);
      g_atomic_int_set (&self->controls_loaded, FALSE);
      self->reload_pending = FALSE;
      g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT,
                                  disconnected_cb, g_object_ref (self), g_object_unref);
      return;
    }

  _capa_gp_set_error (&job->error, result, job->context_error, what);
}

static gboolean complete_async_cb (gpointer data);

void
_capa_camera_worker_func (gpointer data,
                          gpointer user_data)
{
  CapaCameraJob *job = data;
  CapaCamera *self = job->self;
  /* The job, and with it the camera, may be gone once it is handed back. */
  g_autoptr(GMainContext) worker_context = g_main_context_ref (self->worker_context);
  CapaCameraJobStatus status = CAPA_CAMERA_JOB_DONE;

  g_main_context_push_thread_default (worker_context);

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    status = CAPA_CAMERA_JOB_DONE;
  else
    {
      g_autoptr(GPContext) context = gp_context_new ();

      gp_context_set_cancel_func (context, on_context_cancel_cb, job);
      gp_context_set_error_func (context, on_context_error_cb, job);
      gp_context_set_progress_funcs (context,
                                     on_context_progress_start_cb,
                                     on_context_progress_update_cb,
                                     on_context_progress_stop_cb,
                                     job);
      status = job->run (self, job, context);
    }

  if (status == CAPA_CAMERA_JOB_AGAIN)
    g_thread_pool_push (self->worker, job, NULL);
  else if (job->task != NULL)
    {
      /* Still under the worker's own thread-default context, so that
       * this never runs the completion here, even when the caller's
       * context happens to be free. */
      g_main_context_invoke_full (g_task_get_context (job->task), G_PRIORITY_DEFAULT,
                                  complete_async_cb, job, NULL);
    }
  else
    {
      g_mutex_lock (&job->mutex);
      job->finished = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
    }

  g_main_context_pop_thread_default (worker_context);
}

static gboolean
complete_async_cb (gpointer data)
{
  g_autoptr(CapaCameraJob) job = data;
  GTask *task = job->task;

  if (job->done != NULL)
    job->done (job->self, job);
  if (job->is_boolean)
    _capa_camera_job_set_result (job, NULL, NULL);

  if (job->error != NULL)
    g_task_return_error (task, g_steal_pointer (&job->error));
  else
    {
      gpointer result = g_steal_pointer (&job->result);

      g_task_return_pointer (task, result, result ? job->result_free : NULL);
    }

  return G_SOURCE_REMOVE;
}

/* Queues @job on the worker; the task's callback gets the result. */
void
_capa_camera_queue_job_async (CapaCamera          *self,
                              CapaCameraJob       *job,
                              gpointer             source_tag,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  job->task = g_task_new (self, job->cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  g_task_set_check_cancellable (job->task, FALSE);
  g_thread_pool_push (self->worker, job, NULL);
}

/* --- the done part of a blocking twin, in the camera's main context --- */

/* How long a blocking twin called from another thread waits for the main
 * context to run the job's done part before it checks whether anybody
 * iterates that context at all. */
#define HANDOFF_CHECK_MS 100

typedef enum {
  HANDOFF_PENDING,
  HANDOFF_RUNNING,
  HANDOFF_FINISHED,
} HandoffState;

/* Shared by the waiting thread and the idle source in the main context;
 * whichever claims it first (PENDING -> RUNNING) runs job->done. */
typedef struct
{
  CapaCameraJob *job;       /* borrowed: only touched by the claimer */
  GMutex         mutex;
  GCond          cond;
  HandoffState   state;
} Handoff;

static void
handoff_clear (gpointer data)
{
  Handoff *handoff = data;

  g_mutex_clear (&handoff->mutex);
  g_cond_clear (&handoff->cond);
}

static void
handoff_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, handoff_clear);
}

static void
handoff_finish (Handoff *handoff)
{
  g_mutex_lock (&handoff->mutex);
  handoff->state = HANDOFF_FINISHED;
  g_cond_broadcast (&handoff->cond);
  g_mutex_unlock (&handoff->mutex);
}

static gboolean
handoff_cb (gpointer data)
{
  Handoff *handoff = data;
  gboolean claimed;

  g_mutex_lock (&handoff->mutex);
  claimed = handoff->state == HANDOFF_PENDING;
  if (claimed)
    handoff->state = HANDOFF_RUNNING;
  g_mutex_unlock (&handoff->mutex);

  if (claimed)
    {
      handoff->job->done (handoff->job->self, handoff->job);
      handoff_finish (handoff);
    }

  return G_SOURCE_REMOVE;
}

/* Runs job->done in the camera's main context and returns once it ran:
 * at once when the calling thread owns that context (or created the
 * camera and nobody else runs it); else from an idle source there, which
 * the calling thread waits for. Should nobody iterate the context, the
 * calling thread takes it over (g_main_context_acquire() succeeds only
 * then) and runs job->done itself as its owner, rather than wait forever. */
static void
run_done_in_main_context (CapaCamera    *self,
                          CapaCameraJob *job)
{
  g_autoptr(GSource) source = NULL;
  Handoff *handoff;

  if (job->done == NULL)
    return;

  if (g_main_context_is_owner (self->main_context))
    {
      job->done (self, job);
      return;
    }

  if (g_thread_self () == self->main_thread && g_main_context_acquire (self->main_context))
    {
      job->done (self, job);
      g_main_context_release (self->main_context);
      return;
    }

  handoff = g_atomic_rc_box_new0 (Handoff);
  g_mutex_init (&handoff->mutex);
  g_cond_init (&handoff->cond);
  handoff->job = job;
  handoff->state = HANDOFF_PENDING;

  /* A source of our own rather than g_main_context_invoke(), which would
   * run it here when the context is this thread's default and free. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[capa] camera job done");
  g_source_set_callback (source, handoff_cb, g_atomic_rc_box_acquire (handoff), handoff_release);
  g_source_attach (source, self->main_context);

  g_mutex_lock (&handoff->mutex);
  while (handoff->state != HANDOFF_FINISHED)
    {
      gint64 end_time;

      if (handoff->state == HANDOFF_RUNNING)
        {
          g_cond_wait (&handoff->cond, &handoff->mutex);
          continue;
        }

      end_time = g_get_monotonic_time () + HANDOFF_CHECK_MS * G_TIME_SPAN_MILLISECOND;
      if (g_cond_wait_until (&handoff->cond, &handoff->mutex, end_time) ||
          handoff->state != HANDOFF_PENDING)
        continue;

      /* Still not run: a busy main loop owns its context, so this fails
       * and the wait goes on; nobody owns it when nobody iterates it. */
      if (!g_main_context_acquire (self->main_context))
        continue;

      g_debug ("Camera %s: nobody runs its main context; running a job's end on this thread",
               self->model);
      handoff->state = HANDOFF_RUNNING;
      g_mutex_unlock (&handoff->mutex);
      job->done (self, job);
      g_main_context_release (self->main_context);
      g_mutex_lock (&handoff->mutex);
      handoff->state = HANDOFF_FINISHED;
    }
  g_mutex_unlock (&handoff->mutex);

  g_source_destroy (source);
  handoff_release (handoff);
}

/* Queues @job on the worker and waits for it: the blocking twins. The
 * job's done part runs in the camera's main context (see
 * run_done_in_main_context()), before this returns. */
gpointer
_capa_camera_run_job_sync (CapaCamera     *self,
                           CapaCameraJob  *job_in,
                           GError        **error)
{
  g_autoptr(CapaCameraJob) job = job_in;

  g_thread_pool_push (self->worker, job, NULL);

  g_mutex_lock (&job->mutex);
  while (!job->finished)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  run_done_in_main_context (self, job);
  if (job->is_boolean)
    _capa_camera_job_set_result (job, NULL, NULL);

  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return NULL;
    }

  if (job->result == NULL)
    return GINT_TO_POINTER (TRUE);

  return g_steal_pointer (&job->result);
}

gboolean
_capa_camera_finish_boolean (CapaCamera    *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  g_task_propagate_pointer (G_TASK (result), error);
  return !g_task_had_error (G_TASK (result));
}

gpointer
_capa_camera_finish_object (CapaCamera    *self,
                            GAsyncResult  *result,
                            gpointer       source_tag,
                            GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
