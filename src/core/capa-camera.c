/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-camera.h"
#include "capa-camera-private.h"
#include "capa-control-private.h"
#include "capa-gphoto2-private.h"

/**
 * CapaCamera:
 *
 * One camera that libgphoto2 can drive.
 *
 * A camera is created for a model and a port, usually by
 * [class@Capa.CameraList], and opened with [method@Capa.Camera.open].
 *
 * Every libgphoto2 call for a camera runs on the camera's own worker
 * thread, one job after the other in the order they were asked for.
 * Each operation has an asynchronous form (`_async`/`_finish`) for
 * applications, and a blocking twin for scripts which waits for its job
 * on the same worker, so the order holds either way. A cancelled
 * operation fails with %G_IO_ERROR_CANCELLED.
 *
 * Signals and property notifications are emitted in the main context
 * that was the thread-default one when the camera was created.
 *
 * A blocking twin may be called from any thread. Called from a thread that
 * does not own that main context, it waits for the camera's worker, then
 * hands the state changes and signal emissions to the main context and
 * waits until that context has run them, so that handlers run where they
 * would for the asynchronous form. When nobody iterates the main context
 * (no main loop runs and no other thread owns it), the blocking twin does
 * not wait forever: after a short while it takes the context over itself
 * and runs them on the calling thread, still as the context's only owner.
 * Do not wait for such a thread from inside the main context (a handler
 * that joins it would wait forever).
 */

G_DEFINE_FINAL_TYPE (CapaCamera, capa_camera, G_TYPE_OBJECT)

G_DEFINE_QUARK (capa-camera-error-quark, capa_camera_error)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_PORT,
  PROP_CONNECTED,
  PROP_HAS_CAPTURE,
  PROP_HAS_PREVIEW,
  PROP_HAS_SETTINGS,
  PROP_MANUFACTURER,
  PROP_SUMMARY,
  PROP_DOWNLOAD_PROGRESS,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];
guint _capa_camera_signals[CAPA_CAMERA_N_SIGNALS];

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

static void
worker_func (gpointer data,
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

/* ------------------------------------------------------------------ */
/* Main-thread state                                                    */
/* ------------------------------------------------------------------ */

void
_capa_camera_set_connected (CapaCamera *self,
                            gboolean    connected)
{
  g_assert (CAPA_IS_CAMERA (self));

  connected = !!connected;
  if (self->connected == connected)
    return;

  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

void
_capa_camera_set_download_progress (CapaCamera     *self,
                                    double          fraction,
                                    CapaCameraFile *file)
{
  g_assert (CAPA_IS_CAMERA (self));

  if (file != NULL)
    g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS], 0, file, fraction);

  if (self->download_progress == fraction)
    return;

  self->download_progress = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_PROGRESS]);
}

static void
set_boolean_prop (CapaCamera *self,
                  guint       prop_id,
                  gboolean    value)
{
  gboolean old;

  value = !!value;
  switch (prop_id)
    {
    case PROP_HAS_CAPTURE:
      old = self->has_capture;
      self->has_capture = value;
      break;

    case PROP_HAS_PREVIEW:
      old = self->has_preview;
      self->has_preview = value;
      break;

    case PROP_HAS_SETTINGS:
      old = self->has_settings;
      self->has_settings = value;
      break;

    default:
      g_assert_not_reached ();
    }

  if (old != value)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_string_prop (CapaCamera  *self,
                 char       **field,
                 guint        prop_id,
                 const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */
/* ------------------------------------------------------------------ */

static void
capa_camera_dispose (GObject *object)
{
  CapaCamera *self = CAPA_CAMERA (object);

  g_clear_object (&self->controls);

  G_OBJECT_CLASS (capa_camera_parent_class)->dispose (object);
}

static void
capa_camera_finalize (GObject *object)
{
  CapaCamera *self = CAPA_CAMERA (object);

  /* Every queued job holds a reference, so the worker is idle now. */
  g_thread_pool_free (self->worker, FALSE, TRUE);

  if (self->gp_camera != NULL)
    {
      g_autoptr(GPContext) context = gp_context_new ();

      _capa_gp_camera_release (&self->gp_camera, context);
    }

  g_clear_pointer (&self->worker_context, g_main_context_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->main_thread, g_thread_unref);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->port, g_free);
  g_clear_pointer (&self->manufacturer, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (capa_camera_parent_class)->finalize (object);
}

static void
capa_camera_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CapaCamera *self = CAPA_CAMERA (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_PORT:
      g_value_set_string (value, self->port);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    case PROP_HAS_CAPTURE:
      g_value_set_boolean (value, self->has_capture);
      break;

    case PROP_HAS_PREVIEW:
      g_value_set_boolean (value, self->has_preview);
      break;

    case PROP_HAS_SETTINGS:
      g_value_set_boolean (value, self->has_settings);
      break;

    case PROP_MANUFACTURER:
      g_value_set_string (value, self->manufacturer);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    case PROP_DOWNLOAD_PROGRESS:
      g_value_set_double (value, self->download_progress);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CapaCamera *self = CAPA_CAMERA (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_string (value);
      break;

    case PROP_PORT:
      self->port = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_class_init (CapaCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capa_camera_dispose;
  object_class->finalize = capa_camera_finalize;
  object_class->get_property = capa_camera_get_property;
  object_class->set_property = capa_camera_set_property;

  /**
   * CapaCamera:model:
   *
   * The libgphoto2 model name, such as "Nikon DSC D750".
   */
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:port:
   *
   * The libgphoto2 port, such as "usb:001,004" or "ptpip:192.168.1.20".
   */
  properties[PROP_PORT] =
    g_param_spec_string ("port", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:connected:
   *
   * Whether the camera is open and answering.
   */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:has-capture:
   *
   * Whether the camera can take a picture on request (known once open).
   */
  properties[PROP_HAS_CAPTURE] =
    g_param_spec_boolean ("has-capture", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:has-preview:
   *
   * Whether the camera gives live-view frames (known once open).
   */
  properties[PROP_HAS_PREVIEW] =
    g_param_spec_boolean ("has-preview", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:has-settings:
   *
   * Whether the camera exposes settings (known once open).
   */
  properties[PROP_HAS_SETTINGS] =
    g_param_spec_boolean ("has-settings", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:manufacturer:
   *
   * The maker of the camera once it was open: the start of the model
   * name, replaced by the camera's own word once its summary was read
   * with [method@Capa.Camera.load_summary_async].
   */
  properties[PROP_MANUFACTURER] =
    g_param_spec_string ("manufacturer", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:summary:
   *
   * The camera's description of itself (libgphoto2's summary text).
   *
   * It is %NULL until read with [method@Capa.Camera.load_summary_async]
   * (opening the camera does not read it: on some drivers, reading it
   * slows down the next operations).
   */
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:download-progress:
   *
   * How far the current or last download has come, from 0 to 1.
   */
  properties[PROP_DOWNLOAD_PROGRESS] =
    g_param_spec_double ("download-progress", NULL, NULL,
                         0, 1, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaCamera::file-added:
   * @self: a #CapaCamera
   * @file: the new file on the camera (not downloaded)
   *
   * A new file appeared on the camera, such as a picture taken with the
   * camera's own shutter button. Reported while events are processed
   * with [method@Capa.Camera.process_events].
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_ADDED] =
    g_signal_new ("file-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::file-captured:
   * @self: a #CapaCamera
   * @file: the picture taken, on the camera (not downloaded)
   *
   * [method@Capa.Camera.capture_image] took a picture.
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_CAPTURED] =
    g_signal_new ("file-captured",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::file-previewed:
   * @self: a #CapaCamera
   * @file: the live-view frame, with its data
   *
   * [method@Capa.Camera.preview_image] received a live-view frame.
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_PREVIEWED] =
    g_signal_new ("file-previewed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::file-downloaded:
   * @self: a #CapaCamera
   * @file: the file, now holding its data
   *
   * [method@Capa.Camera.download_file] received a file.
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_DOWNLOADED] =
    g_signal_new ("file-downloaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::file-deleted:
   * @self: a #CapaCamera
   * @file: the file removed from the camera
   *
   * [method@Capa.Camera.delete_file] removed a file from the camera.
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_DELETED] =
    g_signal_new ("file-deleted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::download-progress:
   * @self: a #CapaCamera
   * @file: the file being downloaded
   * @fraction: how far the download has come, from 0 to 1
   *
   * A download made progress; see also [property@Capa.Camera:download-progress].
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS] =
    g_signal_new ("download-progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CAPA_TYPE_CAMERA_FILE, G_TYPE_DOUBLE);

  /**
   * CapaCamera::controls-changed:
   * @self: a #CapaCamera
   *
   * The values of the settings tree returned by
   * [method@Capa.Camera.get_controls] were read again from the camera:
   * after [method@Capa.Camera.load_controls], or when the camera
   * reported that a setting changed (a dial turned on the body).
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_CONTROLS_CHANGED] =
    g_signal_new ("controls-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CapaCamera::disconnected:
   * @self: a #CapaCamera
   *
   * The camera was unplugged or stopped answering; it is closed now.
   * Emitted once per [method@Capa.Camera.open].
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_DISCONNECTED] =
    g_signal_new ("disconnected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
capa_camera_init (CapaCamera *self)
{
  self->main_context = g_main_context_ref_thread_default ();
  self->main_thread = g_thread_ref (g_thread_self ());
  self->worker_context = g_main_context_new ();
  self->worker = g_thread_pool_new (worker_func, self, 1, FALSE, NULL);
}

/* ------------------------------------------------------------------ */
/* open / close                                                         */
/* ------------------------------------------------------------------ */

typedef struct
{
  gboolean  has_capture;
  gboolean  has_preview;
  gboolean  has_settings;
} OpenResult;

static void
open_result_free (gpointer data)
{
  g_free (data);
}

static char *
summary_dup_manufacturer (const char *summary,
                          const char *model)
{
  g_auto(GStrv) lines = NULL;

  if (summary != NULL)
    {
      lines = g_strsplit (summary, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          char *line = g_strstrip (lines[i]);

          if (g_str_has_prefix (line, "Manufacturer:"))
            return g_strdup (g_strstrip (line + strlen ("Manufacturer:")));
        }
    }

  /* libgphoto2's model names start with the maker. */
  if (model != NULL)
    {
      const char *space = strchr (model, ' ');

      return space ? g_strndup (model, space - model) : g_strdup (model);
    }

  return NULL;
}

/* Sets up and initialises the device; NULL with job->error set on failure.
 * Runs under the libgphoto2 module lock (drivers are loaded here). */
static Camera *
open_device (CapaCamera    *self,
             CapaCameraJob *job,
             GPContext     *context)
{
  g_autoptr(Camera) camera = NULL;
  g_autoptr(GPPortInfoList) ports = NULL;
  CameraAbilitiesList *abilities_list;
  CameraAbilities abilities;
  GPPortInfo port_info;
  int index;
  int r;

  abilities_list = _capa_gp_get_abilities_list (&job->error);
  if (abilities_list == NULL)
    return NULL;

  index = gp_abilities_list_lookup_model (abilities_list, self->model);
  if (index < GP_OK)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                   _("libgphoto2 does not know the camera model “%s”"), self->model);
      return NULL;
    }
  gp_abilities_list_get_abilities (abilities_list, index, &abilities);

  if ((r = gp_port_info_list_new (&ports)) < GP_OK ||
      (r = gp_port_info_list_load (ports)) < GP_OK)
    {
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot list the ports"));
      return NULL;
    }

  index = gp_port_info_list_lookup_path (ports, self->port);
  if (index < GP_OK)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                   _("There is no port “%s”: was the camera unplugged?"), self->port);
      return NULL;
    }
  gp_port_info_list_get_info (ports, index, &port_info);

  if ((r = gp_camera_new (&camera)) < GP_OK ||
      (r = gp_camera_set_abilities (camera, abilities)) < GP_OK ||
      (r = gp_camera_set_port_info (camera, port_info)) < GP_OK)
    {
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot set up the camera"));
      return NULL;
    }

  r = gp_camera_init (camera, context);
  if (r < GP_OK)
    {
      if (r == GP_ERROR_IO_USB_CLAIM ||
          (job->context_error != NULL && strstr (job->context_error, "Could not claim") != NULL))
        r = GP_ERROR_IO_USB_CLAIM;
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot open the camera"));
      return NULL;
    }

  return g_steal_pointer (&camera);
}

static CapaCameraJobStatus
open_run (CapaCamera    *self,
          CapaCameraJob *job,
          GPContext     *context)
{
  CameraAbilities abilities;
  OpenResult *result;
  Camera *camera;

  if (self->gp_camera != NULL)
    {
      /* Already open: nothing to do. */
      result = g_new0 (OpenResult, 1);
      goto describe;
    }

  _capa_gp_lock ();
  camera = open_device (self, job, context);
  _capa_gp_unlock ();
  if (camera == NULL)
    return CAPA_CAMERA_JOB_DONE;

  self->gp_camera = camera;
  result = g_new0 (OpenResult, 1);

describe:
  /* The summary is not asked for here (see capa_camera_load_summary()):
   * after gp_camera_get_summary(), libgphoto2's PTP driver waits for
   * camera events before each of the next few deletes, which made the
   * first shots of a tethered session ~300 ms slower. */
  gp_camera_get_abilities (self->gp_camera, &abilities);
  result->has_capture = (abilities.operations & GP_OPERATION_CAPTURE_IMAGE) != 0;
  result->has_preview = (abilities.operations & GP_OPERATION_CAPTURE_PREVIEW) != 0;
  result->has_settings = (abilities.operations & GP_OPERATION_CONFIG) != 0;
  _capa_camera_job_set_result (job, result, open_result_free);

  return CAPA_CAMERA_JOB_DONE;
}

static void
open_done (CapaCamera    *self,
           CapaCameraJob *job)
{
  OpenResult *result = job->result;
  g_autofree char *manufacturer = NULL;

  if (result == NULL)
    return;

  manufacturer = summary_dup_manufacturer (self->summary, self->model);

  g_object_freeze_notify (G_OBJECT (self));
  set_string_prop (self, &self->manufacturer, PROP_MANUFACTURER, manufacturer);
  set_boolean_prop (self, PROP_HAS_CAPTURE, result->has_capture);
  set_boolean_prop (self, PROP_HAS_PREVIEW, result->has_preview);
  set_boolean_prop (self, PROP_HAS_SETTINGS, result->has_settings);
  self->disconnected_emitted = FALSE;
  _capa_camera_set_connected (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * capa_camera_open:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens the camera, waiting for it. This is the blocking twin of
 * [method@Capa.Camera.open_async].
 *
 * Returns: %TRUE once the camera is open
 */
gboolean
capa_camera_open (CapaCamera    *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_job_sync (self, _capa_camera_bool_job_new (self, open_run, open_done, cancellable), error) != NULL;
}

/**
 * capa_camera_open_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the camera is open or failed to open
 * @user_data: data for @callback
 *
 * Opens the camera: libgphoto2 initialises the driver and talks to the
 * device. Opening an open camera succeeds at once.
 *
 * When the desktop's GVFS volume monitor holds the device, this fails
 * with %CAPA_CAMERA_ERROR_GVFS_LOCKED; see [method@Capa.Camera.unmount_gvfs_async].
 */
void
capa_camera_open_async (CapaCamera          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self, _capa_camera_bool_job_new (self, open_run, open_done, cancellable),
                   capa_camera_open_async, callback, user_data);
}

/**
 * capa_camera_open_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.open_async].
 *
 * Returns: %TRUE if the camera is open
 */
gboolean
capa_camera_open_finish (CapaCamera    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_open_async, error);
}

static CapaCameraJobStatus
close_run (CapaCamera    *self,
           CapaCameraJob *job,
           GPContext     *context)
{
  if (self->gp_camera != NULL)
    _capa_gp_camera_release (&self->gp_camera, context);
  g_atomic_int_set (&self->controls_loaded, FALSE);
  self->reload_pending = FALSE;

  return CAPA_CAMERA_JOB_DONE;
}

static void
close_done (CapaCamera    *self,
            CapaCameraJob *job)
{
  _capa_camera_set_connected (self, FALSE);
}

/**
 * capa_camera_close:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Closes the camera, after the jobs queued before. The blocking twin of
 * [method@Capa.Camera.close_async].
 *
 * Returns: %TRUE once the camera is closed
 */
gboolean
capa_camera_close (CapaCamera    *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_job_sync (self, _capa_camera_bool_job_new (self, close_run, close_done, cancellable), error) != NULL;
}

/**
 * capa_camera_close_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the camera is closed
 * @user_data: data for @callback
 *
 * Closes the camera, releasing the device for other programs. The
 * settings tree stays, with its last values.
 */
void
capa_camera_close_async (CapaCamera          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self, _capa_camera_bool_job_new (self, close_run, close_done, cancellable),
                   capa_camera_close_async, callback, user_data);
}

/**
 * capa_camera_close_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.close_async].
 *
 * Returns: %TRUE if the camera is closed
 */
gboolean
capa_camera_close_finish (CapaCamera    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_close_async, error);
}

/* ------------------------------------------------------------------ */
/* summary                                                              */
/* ------------------------------------------------------------------ */

static CapaCameraJobStatus
load_summary_run (CapaCamera    *self,
                  CapaCameraJob *job,
                  GPContext     *context)
{
  CameraText summary;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  memset (&summary, 0, sizeof summary);
  r = gp_camera_get_summary (self->gp_camera, &summary, context);
  if (r < GP_OK)
    {
      _capa_camera_job_fail (self, job, r, _("Cannot read the camera's summary"));
      return CAPA_CAMERA_JOB_DONE;
    }

  summary.text[sizeof summary.text - 1] = '\0';
  _capa_camera_job_set_result (job, g_strdup (summary.text), g_free);
  return CAPA_CAMERA_JOB_DONE;
}

static void
load_summary_done (CapaCamera    *self,
                   CapaCameraJob *job)
{
  const char *summary = job->result;
  g_autofree char *manufacturer = NULL;

  if (summary == NULL)
    return;

  manufacturer = summary_dup_manufacturer (summary, self->model);

  g_object_freeze_notify (G_OBJECT (self));
  set_string_prop (self, &self->summary, PROP_SUMMARY, summary);
  set_string_prop (self, &self->manufacturer, PROP_MANUFACTURER, manufacturer);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * capa_camera_load_summary:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the camera's summary, waiting for it. The blocking twin of
 * [method@Capa.Camera.load_summary_async].
 *
 * Returns: %TRUE once [property@Capa.Camera:summary] holds it
 */
gboolean
capa_camera_load_summary (CapaCamera    *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_job_sync (self, _capa_camera_bool_job_new (self, load_summary_run, load_summary_done, cancellable),
                                    error) != NULL;
}

/**
 * capa_camera_load_summary_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the summary is read
 * @user_data: data for @callback
 *
 * Reads the camera's description of itself (libgphoto2's summary text)
 * on the camera's worker thread, after the jobs queued before, then sets
 * [property@Capa.Camera:summary] (and [property@Capa.Camera:manufacturer]
 * when the summary names the maker). The camera must be open.
 *
 * Opening the camera does not read the summary: with some drivers
 * (libgphoto2's PTP driver), the first few operations after it wait for
 * camera events, so read it when it is needed, not before the first shots.
 */
void
capa_camera_load_summary_async (CapaCamera          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self, _capa_camera_bool_job_new (self, load_summary_run, load_summary_done, cancellable),
                                capa_camera_load_summary_async, callback, user_data);
}

/**
 * capa_camera_load_summary_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.load_summary_async].
 *
 * Returns: %TRUE if the summary was read
 */
gboolean
capa_camera_load_summary_finish (CapaCamera    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_load_summary_async, error);
}

/* ------------------------------------------------------------------ */
/* public getters                                                       */
/* ------------------------------------------------------------------ */

/**
 * capa_camera_new:
 * @model: the libgphoto2 model name, such as "Nikon DSC D750"
 * @port: the libgphoto2 port, such as "usb:001,004"
 *
 * Creates a camera object. Nothing talks to the device until
 * [method@Capa.Camera.open].
 *
 * Returns: (transfer full): a new #CapaCamera
 */
CapaCamera *
capa_camera_new (const char *model,
                 const char *port)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (port != NULL, NULL);

  return g_object_new (CAPA_TYPE_CAMERA,
                       "model", model,
                       "port", port,
                       NULL);
}

/**
 * capa_camera_get_model:
 * @self: a #CapaCamera
 *
 * Gets the libgphoto2 model name.
 *
 * Returns: (transfer none): the libgphoto2 model name
 */
const char *
capa_camera_get_model (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->model;
}

/**
 * capa_camera_get_port:
 * @self: a #CapaCamera
 *
 * Gets the libgphoto2 port.
 *
 * Returns: (transfer none): the libgphoto2 port
 */
const char *
capa_camera_get_port (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->port;
}

/**
 * capa_camera_get_connected:
 * @self: a #CapaCamera
 *
 * Gets whether the camera is open.
 *
 * Returns: whether the camera is open
 */
gboolean
capa_camera_get_connected (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  return self->connected;
}

/**
 * capa_camera_get_has_capture:
 * @self: a #CapaCamera
 *
 * Gets whether the camera can take pictures on request.
 *
 * Returns: whether the camera can take pictures on request
 */
gboolean
capa_camera_get_has_capture (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  return self->has_capture;
}

/**
 * capa_camera_get_has_preview:
 * @self: a #CapaCamera
 *
 * Gets whether the camera gives live-view frames.
 *
 * Returns: whether the camera gives live-view frames
 */
gboolean
capa_camera_get_has_preview (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  return self->has_preview;
}

/**
 * capa_camera_get_has_settings:
 * @self: a #CapaCamera
 *
 * Gets whether the camera exposes settings.
 *
 * Returns: whether the camera exposes settings
 */
gboolean
capa_camera_get_has_settings (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  return self->has_settings;
}

/**
 * capa_camera_get_manufacturer:
 * @self: a #CapaCamera
 *
 * Gets the maker, once the camera was open.
 *
 * Returns: (transfer none) (nullable): the maker, once the camera was open
 */
const char *
capa_camera_get_manufacturer (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->manufacturer;
}

/**
 * capa_camera_get_summary:
 * @self: a #CapaCamera
 *
 * Gets the camera's summary, once read with
 * [method@Capa.Camera.load_summary_async].
 *
 * Returns: (transfer none) (nullable): the camera's summary, or %NULL
 *   if it was not read yet
 */
const char *
capa_camera_get_summary (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->summary;
}

/**
 * capa_camera_get_download_progress:
 * @self: a #CapaCamera
 *
 * Gets how far the current or last download has come, from 0 to 1.
 *
 * Returns: how far the current or last download has come, from 0 to 1
 */
double
capa_camera_get_download_progress (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), 0);

  return self->download_progress;
}

/**
 * capa_camera_get_controls:
 * @self: a #CapaCamera
 *
 * Gets the root of the settings tree, or %NULL before
 * [method@Capa.Camera.load_controls].
 *
 * Returns: (transfer none) (nullable): the root of the settings tree, or
 *   %NULL before [method@Capa.Camera.load_controls]
 */
CapaControlGroup *
capa_camera_get_controls (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->controls;
}
