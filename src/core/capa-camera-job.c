/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-blocking-private.h"
#include "capa-camera.h"
#include "capa-camera-private.h"
#include "capa-gphoto2-private.h"
#include "capa-testing-private.h"

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
  CapaCameraJob *job = g_atomic_rc_box_new0 (CapaCameraJob);

  job->self = g_object_ref (self);
  job->run = run;
  job->done = done;
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;

  return job;
}

/* @job no longer waits to run: uncounted, once. */
static void
job_uncount_capture (CapaCameraJob *job)
{
  if (g_atomic_int_compare_and_exchange (&job->counted_capture, TRUE, FALSE))
    g_atomic_int_dec_and_test (&job->self->captures_queued);
}

void
_capa_camera_job_count_capture (CapaCameraJob *job)
{
  if (g_atomic_int_compare_and_exchange (&job->counted_capture, FALSE, TRUE))
    g_atomic_int_inc (&job->self->captures_queued);
}

CapaCameraJob *
_capa_camera_capture_job_new (CapaCamera            *self,
                              CapaCameraJobRunFunc   run,
                              CapaCameraJobDoneFunc  done,
                              GCancellable          *cancellable)
{
  CapaCameraJob *job = _capa_camera_job_new (self, run, done, cancellable);

  _capa_camera_job_count_capture (job);
  return job;
}

gboolean
_capa_camera_job_captures_queued (CapaCamera *self)
{
  return g_atomic_int_get (&self->captures_queued) > 0;
}

static void
job_clear (gpointer data)
{
  CapaCameraJob *job = data;

  /* Dropped without running (cancelled while queued). */
  if (job->self != NULL)
    job_uncount_capture (job);

  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  if (job->result_free != NULL && job->result != NULL)
    job->result_free (job->result);
  g_clear_error (&job->error);
  g_clear_pointer (&job->context_error, g_free);
  g_clear_object (&job->progress_file);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->self);
}

static CapaCameraJob *
job_ref (CapaCameraJob *job)
{
  return g_atomic_rc_box_acquire (job);
}

/* Drops a reference: the queue, a posted completion and a waiting
 * cancellation handler each hold one. */
void
_capa_camera_job_unref (CapaCameraJob *job)
{
  g_atomic_rc_box_release_full (job, job_clear);
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
    _capa_camera_set_download_progress (emission->self, emission->fraction,
                                        CAPA_CAMERA_FILE (emission->arg));
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

gboolean
_capa_camera_job_others_queued (CapaCamera *self)
{
  return g_thread_pool_unprocessed (self->worker) > 0;
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
  _capa_camera_emit_in_main (job->self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS],
                             job->progress_file, fraction);
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

/* A posted completion's reference: when its source is destroyed without
 * having run (its context dropped), the cancellation handler goes too, so
 * that nothing keeps the job, the camera or the image bytes. */
static void
completion_free (gpointer data)
{
  CapaCameraJob *job = data;

  if (job->cancel_id != 0)
    {
      g_cancellable_disconnect (job->cancellable, job->cancel_id);
      job->cancel_id = 0;
    }
  _capa_camera_job_unref (job);
}

/* Hands the finished @job to the caller's context, from any thread: always
 * through a source there (never at once, even when that context is free
 * here), which owns a reference to the job.  The job then drops its own
 * reference to the context, and its GTask is only made once the source
 * runs: a context dropped by its owner with a job posted to it is freed,
 * and the source's destroy notify frees the job, the camera reference and
 * any image bytes with it, rather than a reference cycle keeping them. */
static CapaTestingCameraPostHook post_hook;
static gpointer                  post_hook_data;

/* Testing API (capa-testing-private.h). */
void
_capa_testing_camera_set_post_hook (CapaTestingCameraPostHook hook,
                                    gpointer                  user_data)
{
  post_hook = hook;
  post_hook_data = user_data;
}

static void
post_completion (CapaCameraJob *job)
{
  GMainContext *context = g_steal_pointer (&job->context);
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[capa] camera job done");
  g_source_set_callback (source, complete_async_cb, job_ref (job), completion_free);
  g_source_attach (source, context);

  if (post_hook != NULL)
    post_hook (context, post_hook_data);

  /* The source before the context: once attached, the source may run and
   * its caller let go of the context at once (a blocking twin frees its
   * private context as soon as it has the result), so this reference can be
   * the context's last one.  A source keeps a pointer to its context, not
   * a reference, and unreferencing it takes the context's lock: dropping the
   * context first would leave the source pointing at freed memory (a
   * blocking call that hung for ever, found by fuzz-camera). */
  g_source_unref (source);
  g_main_context_unref (context);
}

/* Claims @job for the worker or for its cancellation: only one of them
 * completes it. */
static gboolean
job_claim (CapaCameraJob *job)
{
  return g_atomic_int_compare_and_exchange (&job->claimed, FALSE, TRUE);
}

static void
queue_job (CapaCamera    *self,
           CapaCameraJob *job)
{
  g_atomic_int_set (&job->claimed, FALSE);
  g_thread_pool_push (self->worker, job_ref (job), NULL);

  /* An event wait on the worker gives way to it at once
   * (_capa_camera_job_wait_for_queue()). */
  g_mutex_lock (&self->queue_mutex);
  g_cond_broadcast (&self->queue_cond);
  g_mutex_unlock (&self->queue_mutex);
}

/*
 * _capa_camera_job_wait_for_queue:
 * @self: the camera
 * @job: the job that waits
 * @ms: how long at most
 *
 * Worker thread: waits for @ms, or until another job is queued or @job is
 * cancelled.  An event wait sleeps here rather than in the driver: not
 * every driver lets a wait be ended early (ptp2 sleeps for up to 50 ms at
 * a time without asking), and a capture asked for meanwhile should not
 * wait for the camera's next event check.
 *
 * Returns: %TRUE when the whole time passed, %FALSE when the wait gave way
 */
gboolean
_capa_camera_job_wait_for_queue (CapaCamera    *self,
                                 CapaCameraJob *job,
                                 guint          ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  gboolean gave_way = FALSE;

  g_mutex_lock (&self->queue_mutex);
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (_capa_camera_job_others_queued (self) || g_cancellable_is_cancelled (job->cancellable))
        {
          gave_way = TRUE;
          break;
        }
      if (now >= end)
        break;
      /* A cancellation wakes no one: looked at every few milliseconds. */
      g_cond_wait_until (&self->queue_cond, &self->queue_mutex, MIN (end, now + 5000));
    }
  g_mutex_unlock (&self->queue_mutex);

  return !gave_way;
}

static void
run_job (CapaCamera    *self,
         CapaCameraJob *job)
{
  CapaCameraJobStatus status = CAPA_CAMERA_JOB_DONE;
  g_autoptr(GPContext) context = NULL;

  /* Cancelled while it waited: already completed. */
  if (!job_claim (job))
    return;

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    {
      post_completion (job);
      return;
    }

  context = gp_context_new ();
  gp_context_set_cancel_func (context, on_context_cancel_cb, job);
  gp_context_set_error_func (context, on_context_error_cb, job);
  gp_context_set_progress_funcs (context,
                                 on_context_progress_start_cb,
                                 on_context_progress_update_cb,
                                 on_context_progress_stop_cb,
                                 job);
  job_uncount_capture (job);
  status = job->run (self, job, context);

  if (status == CAPA_CAMERA_JOB_AGAIN && !g_cancellable_is_cancelled (job->cancellable))
    queue_job (self, job);
  else
    {
      if (status == CAPA_CAMERA_JOB_AGAIN)
        g_cancellable_set_error_if_cancelled (job->cancellable, &job->error);
      post_completion (job);
    }
}

void
_capa_camera_worker_func (gpointer data,
                          gpointer user_data)
{
  /* The queue's reference: may be the camera's last one, so finalize may
   * run here (see capa_camera_finalize()). */
  g_autoptr(CapaCameraJob) job = data;
  CapaCamera *self = job->self;
  g_autoptr(GMainContext) worker_context = g_main_context_ref (self->worker_context);

  g_atomic_pointer_set (&self->worker_thread, g_thread_self ());
  g_main_context_push_thread_default (worker_context);
  run_job (self, job);
  g_main_context_pop_thread_default (worker_context);
}

/* Any thread: a job cancelled while it waits in the queue completes at
 * once, rather than when the worker reaches it behind a long job. */
static void
on_job_cancelled_cb (GCancellable *cancellable,
                     gpointer      data)
{
  CapaCameraJob *job = data;

  if (!job_claim (job))
    return;

  g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("The operation was cancelled"));
  post_completion (job);
}

/* Runs the job's done part: as the owner of the camera's main context. */
static gboolean
run_done_cb (gpointer data)
{
  CapaCameraJob *job = data;

  job->done (job->self, job);
  return G_SOURCE_REMOVE;
}

static gboolean
complete_async_cb (gpointer data)
{
  CapaCameraJob *job = data;
  GMainContext *context = g_source_get_context (g_main_current_source ());
  g_autoptr(GTask) task = NULL;

  /* The caller's context, which this thread owns while it dispatches it. */
  g_main_context_push_thread_default (context);
  task = g_task_new (job->self, job->cancellable, job->callback, job->user_data);
  g_main_context_pop_thread_default (context);
  g_task_set_source_tag (task, job->source_tag);
  g_task_set_check_cancellable (task, FALSE);

  /* In the context that connected it (the caller's). */
  if (job->cancel_id != 0)
    {
      g_cancellable_disconnect (job->cancellable, job->cancel_id);
      job->cancel_id = 0;
    }

  /* At once when this is the camera's main context (the usual case, and a
   * blocking twin's); else handed to it (capa-blocking.c). */
  if (job->done != NULL)
    _capa_blocking_run_in_context (job->self->main_context, job->self->main_thread,
                                   run_done_cb, job);
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

/* Queues @job on the worker, taking it over; the task's callback gets the
 * result. */
void
_capa_camera_queue_job_async (CapaCamera          *self,
                              CapaCameraJob       *job_in,
                              gpointer             source_tag,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(CapaCameraJob) job = job_in;

  job->context = g_main_context_ref_thread_default ();
  job->callback = callback;
  job->user_data = user_data;
  job->source_tag = source_tag;

  queue_job (self, job);
  /* After the push: when already cancelled, the handler runs at once and
   * claims the job before the worker does, or finds it claimed. */
  if (job->cancellable != NULL)
    job->cancel_id = g_cancellable_connect (job->cancellable, G_CALLBACK (on_job_cancelled_cb),
                                            job_ref (job),
                                            (GDestroyNotify) _capa_camera_job_unref);
}

/* --- blocking twins --- */

static void
start_job (gpointer             data,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  CapaCameraJob *job = data;

  _capa_camera_queue_job_async (job->self, job, start_job, callback, user_data);
}

/* Queues @job as its asynchronous form does and waits for it, by the one
 * mechanism of every blocking twin (capa-blocking.c): the job's done part
 * runs as the owner of the camera's main context, before this returns. */
static GAsyncResult *
run_job_blocking (CapaCamera    *self,
                  CapaCameraJob *job)
{
  return _capa_blocking_call (self->main_context, self->main_thread, start_job, job);
}

/* The blocking twin of an operation that returns an object (or a list):
 * NULL with @error set on failure. */
gpointer
_capa_camera_run_job_sync (CapaCamera     *self,
                           CapaCameraJob  *job,
                           GError        **error)
{
  g_autoptr(GAsyncResult) result = run_job_blocking (self, job);

  return _capa_camera_finish_object (self, result, start_job, error);
}

/* The blocking twin of an operation that returns a boolean. */
gboolean
_capa_camera_run_bool_job_sync (CapaCamera     *self,
                                CapaCameraJob  *job,
                                GError        **error)
{
  g_autoptr(GAsyncResult) result = run_job_blocking (self, job);

  return _capa_camera_finish_boolean (self, result, start_job, error);
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
