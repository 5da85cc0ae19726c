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
 */

/* How long one slice of event polling holds the camera: other jobs
 * queued meanwhile run between two slices. */
#define EVENT_SLICE_MS 25
/* At most this many events are handled in one slice. */
#define EVENTS_PER_SLICE 16

struct _CapaCamera
{
  GObject            parent_instance;

  /* construct-only */
  char              *model;
  char              *port;

  /* main-thread state */
  GMainContext      *main_context;
  GThreadPool       *worker;
  GMainContext      *worker_context;
  CapaControlGroup  *controls;
  char              *manufacturer;
  char              *summary;
  double             download_progress;
  guint              connected : 1;
  guint              has_capture : 1;
  guint              has_preview : 1;
  guint              has_settings : 1;
  guint              disconnected_emitted : 1;

  /* shared between threads */
  int                controls_loaded; /* atomic */

  /* worker-thread state */
  Camera            *gp_camera;
};

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

enum {
  SIGNAL_FILE_ADDED,
  SIGNAL_FILE_CAPTURED,
  SIGNAL_FILE_PREVIEWED,
  SIGNAL_FILE_DOWNLOADED,
  SIGNAL_FILE_DELETED,
  SIGNAL_DOWNLOAD_PROGRESS,
  SIGNAL_CONTROLS_CHANGED,
  SIGNAL_DISCONNECTED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Jobs                                                                 */
/* ------------------------------------------------------------------ */

typedef struct _Job Job;

typedef enum {
  JOB_DONE,
  JOB_AGAIN,   /* queue the job again behind the others (event polling) */
} JobStatus;

/* Runs on the worker thread: fills job->result or job->error. */
typedef JobStatus (*JobRunFunc)  (CapaCamera *self,
                                  Job        *job,
                                  GPContext  *context);
/* Runs in the thread that asked for the job, once it is done, before the
 * result is handed over: applies state and emits signals. */
typedef void      (*JobDoneFunc) (CapaCamera *self,
                                  Job        *job);

struct _Job
{
  CapaCamera     *self;
  JobRunFunc      run;
  JobDoneFunc     done;
  GCancellable   *cancellable;

  /* input */
  gpointer        data;
  GDestroyNotify  data_free;
  gint64          deadline;

  /* output */
  gpointer        result;
  GDestroyNotify  result_free;
  GError         *error;
  char           *context_error;   /* the last error text of the GPContext */

  /* progress reporting (downloads) */
  CapaCameraFile *progress_file;
  float           progress_target;
  double          progress_last;

  /* the operation returns a boolean: drop the result once done() ran */
  gboolean        is_boolean;

  /* completion: an async task, or a waiting thread */
  GTask          *task;
  GMutex          mutex;
  GCond           cond;
  gboolean        finished;
};

static Job *job_new (CapaCamera   *self,
                     JobRunFunc    run,
                     JobDoneFunc   done,
                     GCancellable *cancellable);

static Job *
bool_job_new (CapaCamera   *self,
              JobRunFunc    run,
              JobDoneFunc   done,
              GCancellable *cancellable)
{
  Job *job = job_new (self, run, done, cancellable);

  job->is_boolean = TRUE;
  return job;
}

static Job *
job_new (CapaCamera   *self,
         JobRunFunc    run,
         JobDoneFunc   done,
         GCancellable *cancellable)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->run = run;
  job->done = done;
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);

  return job;
}

static void
job_free (Job *job)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
job_set_data (Job            *job,
              gpointer        data,
              GDestroyNotify  data_free)
{
  job->data = data;
  job->data_free = data_free;
}

static void
job_set_result (Job            *job,
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

  if (emission->signal_id == signals[SIGNAL_DOWNLOAD_PROGRESS])
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
static void
emit_in_main (CapaCamera *self,
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
  Job *job = data;

  if (g_cancellable_is_cancelled (job->cancellable))
    return GP_CONTEXT_FEEDBACK_CANCEL;
  return GP_CONTEXT_FEEDBACK_OK;
}

static void
on_context_error_cb (GPContext  *context,
                     const char *text,
                     void       *data)
{
  Job *job = data;

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
  Job *job = data;

  job->progress_target = target;
  return 1;
}

static void
on_context_progress_update_cb (GPContext    *context,
                               unsigned int  id,
                               float         current,
                               void         *data)
{
  Job *job = data;
  double fraction;

  if (job->progress_file == NULL || job->progress_target <= 0)
    return;

  fraction = CLAMP (current / job->progress_target, 0.0, 1.0);
  /* Keep the main loop quiet: report whole percents only. */
  if (fraction - job->progress_last < 0.01 && fraction < 1.0)
    return;

  job->progress_last = fraction;
  emit_in_main (job->self, signals[SIGNAL_DOWNLOAD_PROGRESS], job->progress_file, fraction);
}

static void
on_context_progress_stop_cb (GPContext    *context,
                             unsigned int  id,
                             void         *data)
{
}

/* Fails the job if the camera is not open. */
static gboolean
job_check_open (CapaCamera *self,
                Job        *job)
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
      g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0);
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
static void
job_fail (CapaCamera *self,
          Job        *job,
          int         result,
          const char *what)
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
      gp_camera_exit (self->gp_camera, NULL);
      g_clear_pointer (&self->gp_camera, gp_camera_unref);
      g_atomic_int_set (&self->controls_loaded, FALSE);
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
  Job *job = data;
  CapaCamera *self = job->self;
  /* The job, and with it the camera, may be gone once it is handed back. */
  g_autoptr(GMainContext) worker_context = g_main_context_ref (self->worker_context);
  JobStatus status = JOB_DONE;

  g_main_context_push_thread_default (worker_context);

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    status = JOB_DONE;
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

  if (status == JOB_AGAIN)
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
  g_autoptr(Job) job = data;
  GTask *task = job->task;

  if (job->done != NULL)
    job->done (job->self, job);
  if (job->is_boolean)
    job_set_result (job, NULL, NULL);

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
static void
queue_job_async (CapaCamera          *self,
                 Job                 *job,
                 gpointer             source_tag,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  job->task = g_task_new (self, job->cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  g_task_set_check_cancellable (job->task, FALSE);
  g_thread_pool_push (self->worker, job, NULL);
}

/* Queues @job on the worker and waits for it: the blocking twins. */
static gpointer
run_job_sync (CapaCamera  *self,
              Job         *job_in,
              GError     **error)
{
  g_autoptr(Job) job = job_in;

  g_thread_pool_push (self->worker, job, NULL);

  g_mutex_lock (&job->mutex);
  while (!job->finished)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  if (job->done != NULL)
    job->done (self, job);
  if (job->is_boolean)
    job_set_result (job, NULL, NULL);

  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return NULL;
    }

  if (job->result == NULL)
    return GINT_TO_POINTER (TRUE);

  return g_steal_pointer (&job->result);
}

static gboolean
finish_boolean (CapaCamera    *self,
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

static gpointer
finish_object (CapaCamera    *self,
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
    g_signal_emit (self, signals[SIGNAL_DOWNLOAD_PROGRESS], 0, file, fraction);

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

      gp_camera_exit (self->gp_camera, context);
      g_clear_pointer (&self->gp_camera, gp_camera_unref);
    }

  g_clear_pointer (&self->worker_context, g_main_context_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
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
   * The maker of the camera, as the camera reports it once open.
   */
  properties[PROP_MANUFACTURER] =
    g_param_spec_string ("manufacturer", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:summary:
   *
   * The camera's description of itself (libgphoto2's summary text),
   * once open.
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
  signals[SIGNAL_FILE_ADDED] =
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
  signals[SIGNAL_FILE_CAPTURED] =
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
  signals[SIGNAL_FILE_PREVIEWED] =
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
  signals[SIGNAL_FILE_DOWNLOADED] =
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
  signals[SIGNAL_FILE_DELETED] =
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
  signals[SIGNAL_DOWNLOAD_PROGRESS] =
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
  signals[SIGNAL_CONTROLS_CHANGED] =
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
  signals[SIGNAL_DISCONNECTED] =
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
  self->worker_context = g_main_context_new ();
  self->worker = g_thread_pool_new (worker_func, self, 1, FALSE, NULL);
}

/* ------------------------------------------------------------------ */
/* open / close                                                         */
/* ------------------------------------------------------------------ */

typedef struct
{
  char     *summary;
  char     *manufacturer;
  gboolean  has_capture;
  gboolean  has_preview;
  gboolean  has_settings;
} OpenResult;

static void
open_result_free (gpointer data)
{
  OpenResult *result = data;

  g_free (result->summary);
  g_free (result->manufacturer);
  g_free (result);
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

static JobStatus
open_run (CapaCamera *self,
          Job        *job,
          GPContext  *context)
{
  g_autoptr(Camera) camera = NULL;
  g_autoptr(GPPortInfoList) ports = NULL;
  CameraAbilitiesList *abilities_list;
  CameraAbilities abilities;
  GPPortInfo port_info;
  CameraText summary;
  OpenResult *result;
  int index;
  int r;

  if (self->gp_camera != NULL)
    {
      /* Already open: nothing to do. */
      result = g_new0 (OpenResult, 1);
      gp_camera_get_abilities (self->gp_camera, &abilities);
      goto describe;
    }

  abilities_list = _capa_gp_get_abilities_list (&job->error);
  if (abilities_list == NULL)
    return JOB_DONE;

  index = gp_abilities_list_lookup_model (abilities_list, self->model);
  if (index < GP_OK)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                   _("libgphoto2 does not know the camera model “%s”"), self->model);
      return JOB_DONE;
    }
  gp_abilities_list_get_abilities (abilities_list, index, &abilities);

  if ((r = gp_port_info_list_new (&ports)) < GP_OK ||
      (r = gp_port_info_list_load (ports)) < GP_OK)
    {
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot list the ports"));
      return JOB_DONE;
    }

  index = gp_port_info_list_lookup_path (ports, self->port);
  if (index < GP_OK)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                   _("There is no port “%s”: was the camera unplugged?"), self->port);
      return JOB_DONE;
    }
  gp_port_info_list_get_info (ports, index, &port_info);

  if ((r = gp_camera_new (&camera)) < GP_OK ||
      (r = gp_camera_set_abilities (camera, abilities)) < GP_OK ||
      (r = gp_camera_set_port_info (camera, port_info)) < GP_OK)
    {
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot set up the camera"));
      return JOB_DONE;
    }

  r = gp_camera_init (camera, context);
  if (r < GP_OK)
    {
      if (r == GP_ERROR_IO_USB_CLAIM ||
          (job->context_error != NULL && strstr (job->context_error, "Could not claim") != NULL))
        r = GP_ERROR_IO_USB_CLAIM;
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot open the camera"));
      return JOB_DONE;
    }

  self->gp_camera = g_steal_pointer (&camera);
  result = g_new0 (OpenResult, 1);

describe:
  memset (&summary, 0, sizeof summary);
  if (gp_camera_get_summary (self->gp_camera, &summary, context) >= GP_OK)
    result->summary = g_strdup (summary.text);
  result->manufacturer = summary_dup_manufacturer (result->summary, self->model);
  result->has_capture = (abilities.operations & GP_OPERATION_CAPTURE_IMAGE) != 0;
  result->has_preview = (abilities.operations & GP_OPERATION_CAPTURE_PREVIEW) != 0;
  result->has_settings = (abilities.operations & GP_OPERATION_CONFIG) != 0;
  job_set_result (job, result, open_result_free);

  return JOB_DONE;
}

static void
open_done (CapaCamera *self,
           Job        *job)
{
  OpenResult *result = job->result;

  if (result == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  set_string_prop (self, &self->summary, PROP_SUMMARY, result->summary);
  set_string_prop (self, &self->manufacturer, PROP_MANUFACTURER, result->manufacturer);
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

  return run_job_sync (self, bool_job_new (self, open_run, open_done, cancellable), error) != NULL;
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

  queue_job_async (self, bool_job_new (self, open_run, open_done, cancellable),
                   capa_camera_open_async, callback, user_data);
}

/**
 * capa_camera_open_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the camera is open
 */
gboolean
capa_camera_open_finish (CapaCamera    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_boolean (self, result, capa_camera_open_async, error);
}

static JobStatus
close_run (CapaCamera *self,
           Job        *job,
           GPContext  *context)
{
  if (self->gp_camera != NULL)
    {
      gp_camera_exit (self->gp_camera, context);
      g_clear_pointer (&self->gp_camera, gp_camera_unref);
    }
  g_atomic_int_set (&self->controls_loaded, FALSE);

  return JOB_DONE;
}

static void
close_done (CapaCamera *self,
            Job        *job)
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

  return run_job_sync (self, bool_job_new (self, close_run, close_done, cancellable), error) != NULL;
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

  queue_job_async (self, bool_job_new (self, close_run, close_done, cancellable),
                   capa_camera_close_async, callback, user_data);
}

/**
 * capa_camera_close_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the camera is closed
 */
gboolean
capa_camera_close_finish (CapaCamera    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_boolean (self, result, capa_camera_close_async, error);
}

/* ------------------------------------------------------------------ */
/* capture, preview, download, delete, list                             */
/* ------------------------------------------------------------------ */

static void
file_fill_info (CapaCamera     *self,
                CapaCameraFile *file,
                GPContext      *context)
{
  CameraFileInfo info;

  memset (&info, 0, sizeof info);
  if (gp_camera_file_get_info (self->gp_camera,
                               capa_camera_file_get_folder (file),
                               capa_camera_file_get_name (file),
                               &info, context) < GP_OK)
    return;

  /* The file is not shared with the main thread yet. */
  if (info.file.fields & GP_FILE_INFO_TYPE && info.file.type[0] != '\0')
    capa_camera_file_set_mime_type (file, info.file.type);
  if (info.file.fields & GP_FILE_INFO_SIZE)
    capa_camera_file_set_size (file, info.file.size);
}

static JobStatus
capture_run (CapaCamera *self,
             Job        *job,
             GPContext  *context)
{
  CameraFilePath path;
  CapaCameraFile *file;
  int r;

  if (!job_check_open (self, job))
    return JOB_DONE;

  memset (&path, 0, sizeof path);
  r = gp_camera_capture (self->gp_camera, GP_CAPTURE_IMAGE, &path, context);
  if (r < GP_OK)
    {
      job_fail (self, job, r, _("Cannot take a picture"));
      return JOB_DONE;
    }

  file = capa_camera_file_new (path.folder, path.name);
  file_fill_info (self, file, context);
  job_set_result (job, file, g_object_unref);

  return JOB_DONE;
}

static void
capture_done (CapaCamera *self,
              Job        *job)
{
  if (job->result != NULL)
    g_signal_emit (self, signals[SIGNAL_FILE_CAPTURED], 0, job->result);
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

  return run_job_sync (self, job_new (self, capture_run, capture_done, cancellable), error);
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

  queue_job_async (self, job_new (self, capture_run, capture_done, cancellable),
                   capa_camera_capture_image_async, callback, user_data);
}

/**
 * capa_camera_capture_image_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new file on the camera, or %NULL on error
 */
CapaCameraFile *
capa_camera_capture_image_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_object (self, result, capa_camera_capture_image_async, error);
}

static GBytes *
camera_file_dup_bytes (CameraFile  *gp_file,
                       char       **mime_type)
{
  const char *data = NULL;
  unsigned long size = 0;
  const char *mime = NULL;

  if (gp_file_get_data_and_size (gp_file, &data, &size) < GP_OK)
    return NULL;
  if (mime_type != NULL && gp_file_get_mime_type (gp_file, &mime) >= GP_OK && mime != NULL)
    *mime_type = g_strdup (mime);

  return g_bytes_new (data, size);
}

static JobStatus
preview_run (CapaCamera *self,
             Job        *job,
             GPContext  *context)
{
  g_autoptr(CameraFile) gp_file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mime_type = NULL;
  CapaCameraFile *file;
  int r;

  if (!job_check_open (self, job))
    return JOB_DONE;

  gp_file_new (&gp_file);
  r = gp_camera_capture_preview (self->gp_camera, gp_file, context);
  if (r < GP_OK)
    {
      job_fail (self, job, r, _("Cannot get a live-view frame"));
      return JOB_DONE;
    }

  bytes = camera_file_dup_bytes (gp_file, &mime_type);
  file = capa_camera_file_new ("/", "preview.jpg");
  capa_camera_file_set_mime_type (file, mime_type ? mime_type : "image/jpeg");
  capa_camera_file_set_data (file, bytes);
  job_set_result (job, file, g_object_unref);

  return JOB_DONE;
}

static void
preview_done (CapaCamera *self,
              Job        *job)
{
  if (job->result != NULL)
    g_signal_emit (self, signals[SIGNAL_FILE_PREVIEWED], 0, job->result);
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

  return run_job_sync (self, job_new (self, preview_run, preview_done, cancellable), error);
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

  queue_job_async (self, job_new (self, preview_run, preview_done, cancellable),
                   capa_camera_preview_image_async, callback, user_data);
}

/**
 * capa_camera_preview_image_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the frame with its data, or %NULL on error
 */
CapaCameraFile *
capa_camera_preview_image_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_object (self, result, capa_camera_preview_image_async, error);
}

typedef struct
{
  GBytes *bytes;
  char   *mime_type;
} DownloadResult;

static void
download_result_free (gpointer data)
{
  DownloadResult *result = data;

  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_free (result->mime_type);
  g_free (result);
}

static JobStatus
download_run (CapaCamera *self,
              Job        *job,
              GPContext  *context)
{
  CapaCameraFile *file = job->data;
  g_autoptr(CameraFile) gp_file = NULL;
  DownloadResult *result;
  int r;

  if (!job_check_open (self, job))
    return JOB_DONE;

  job->progress_file = g_object_ref (file);
  emit_in_main (self, signals[SIGNAL_DOWNLOAD_PROGRESS], file, 0.0);

  gp_file_new (&gp_file);
  r = gp_camera_file_get (self->gp_camera,
                          capa_camera_file_get_folder (file),
                          capa_camera_file_get_name (file),
                          GP_FILE_TYPE_NORMAL, gp_file, context);
  if (r < GP_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Cannot download “%s”"),
                                               capa_camera_file_get_name (file));

      job_fail (self, job, r, what);
      return JOB_DONE;
    }

  result = g_new0 (DownloadResult, 1);
  result->bytes = camera_file_dup_bytes (gp_file, &result->mime_type);
  if (result->bytes == NULL)
    {
      download_result_free (result);
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_IO,
                   _("Cannot download “%s”: the camera sent no data"),
                   capa_camera_file_get_name (file));
      return JOB_DONE;
    }
  job_set_result (job, result, download_result_free);

  return JOB_DONE;
}

static void
download_done (CapaCamera *self,
               Job        *job)
{
  CapaCameraFile *file = job->data;
  DownloadResult *result = job->result;

  if (result == NULL)
    return;

  if (result->mime_type != NULL)
    capa_camera_file_set_mime_type (file, result->mime_type);
  capa_camera_file_set_data (file, result->bytes);
  _capa_camera_set_download_progress (self, 1.0, file);
  g_signal_emit (self, signals[SIGNAL_FILE_DOWNLOADED], 0, file);

  /* The data now lives in the file; the result is only a flag. */
  job_set_result (job, GINT_TO_POINTER (TRUE), NULL);
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
  Job *job;

  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  job = bool_job_new (self, download_run, download_done, cancellable);
  job_set_data (job, g_object_ref (file), g_object_unref);
  return run_job_sync (self, job, error) != NULL;
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
  Job *job;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (CAPA_IS_CAMERA_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = bool_job_new (self, download_run, download_done, cancellable);
  job_set_data (job, g_object_ref (file), g_object_unref);
  queue_job_async (self, job, capa_camera_download_file_async, callback, user_data);
}

/**
 * capa_camera_download_file_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file holds its data
 */
gboolean
capa_camera_download_file_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_boolean (self, result, capa_camera_download_file_async, error);
}

static JobStatus
delete_run (CapaCamera *self,
            Job        *job,
            GPContext  *context)
{
  CapaCameraFile *file = job->data;
  int r;

  if (!job_check_open (self, job))
    return JOB_DONE;

  r = gp_camera_file_delete (self->gp_camera,
                             capa_camera_file_get_folder (file),
                             capa_camera_file_get_name (file),
                             context);
  if (r < GP_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Cannot delete “%s” from the camera"),
                                               capa_camera_file_get_name (file));

      job_fail (self, job, r, what);
    }

  return JOB_DONE;
}

static void
delete_done (CapaCamera *self,
             Job        *job)
{
  if (job->error == NULL)
    g_signal_emit (self, signals[SIGNAL_FILE_DELETED], 0, job->data);
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
  Job *job;

  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  job = bool_job_new (self, delete_run, delete_done, cancellable);
  job_set_data (job, g_object_ref (file), g_object_unref);
  return run_job_sync (self, job, error) != NULL;
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
  Job *job;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (CAPA_IS_CAMERA_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = bool_job_new (self, delete_run, delete_done, cancellable);
  job_set_data (job, g_object_ref (file), g_object_unref);
  queue_job_async (self, job, capa_camera_delete_file_async, callback, user_data);
}

/**
 * capa_camera_delete_file_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file was deleted
 */
gboolean
capa_camera_delete_file_finish (CapaCamera    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_boolean (self, result, capa_camera_delete_file_async, error);
}

static void
list_folder (CapaCamera  *self,
             const char  *folder,
             GPtrArray   *files,
             GPContext   *context,
             guint        depth,
             int         *result)
{
  g_autoptr(CameraList) list = NULL;
  int n;

  if (*result < GP_OK || depth > 8)
    return;

  gp_list_new (&list);
  *result = gp_camera_folder_list_files (self->gp_camera, folder, list, context);
  if (*result < GP_OK)
    return;

  n = gp_list_count (list);
  for (int i = 0; i < n; i++)
    {
      const char *name = NULL;

      gp_list_get_name (list, i, &name);
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

      gp_list_get_name (list, i, &name);
      child = g_build_path ("/", folder, name, NULL);
      list_folder (self, child, files, context, depth + 1, result);
    }
}

static JobStatus
list_files_run (CapaCamera *self,
                Job        *job,
                GPContext  *context)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  int result = GP_OK;

  if (!job_check_open (self, job))
    return JOB_DONE;

  list_folder (self, job->data, files, context, 0, &result);
  if (result < GP_OK)
    {
      job_fail (self, job, result, _("Cannot list the files on the camera"));
      return JOB_DONE;
    }

  job_set_result (job, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
  return JOB_DONE;
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
  Job *job;

  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  job = job_new (self, list_files_run, NULL, cancellable);
  job_set_data (job, g_strdup (folder), g_free);
  return run_job_sync (self, job, error);
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
  Job *job;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (folder != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = job_new (self, list_files_run, NULL, cancellable);
  job_set_data (job, g_strdup (folder), g_free);
  queue_job_async (self, job, capa_camera_list_files_async, callback, user_data);
}

/**
 * capa_camera_list_files_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CapaCameraFile): the files,
 *   or %NULL on error
 */
GPtrArray *
capa_camera_list_files_finish (CapaCamera    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_object (self, result, capa_camera_list_files_async, error);
}

/* ------------------------------------------------------------------ */
/* events                                                               */
/* ------------------------------------------------------------------ */

typedef struct
{
  CapaCamera   *self;
  CameraWidget *widget;     /* a whole tree when full is TRUE, else one widget */
  gboolean      full;
} ControlsUpdate;

static gboolean
controls_update_cb (gpointer data)
{
  ControlsUpdate *update = data;
  CapaCamera *self = update->self;

  if (self->controls != NULL)
    {
      if (update->full)
        _capa_control_update_from_widget (CAPA_CONTROL (self->controls), update->widget);
      else
        {
          const char *name = NULL;
          CapaControl *control;

          gp_widget_get_name (update->widget, &name);
          control = _capa_control_group_find_by_name (self->controls, name);
          if (control != NULL)
            _capa_control_update_from_widget (control, update->widget);
        }
      g_signal_emit (self, signals[SIGNAL_CONTROLS_CHANGED], 0);
    }

  return G_SOURCE_REMOVE;
}

static void
controls_update_free (gpointer data)
{
  ControlsUpdate *update = data;

  g_clear_pointer (&update->widget, gp_widget_unref);
  g_clear_object (&update->self);
  g_free (update);
}

static void
send_controls_update (CapaCamera   *self,
                      CameraWidget *widget,
                      gboolean      full)
{
  ControlsUpdate *update = g_new0 (ControlsUpdate, 1);

  update->self = g_object_ref (self);
  update->widget = widget;
  update->full = full;
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT,
                              controls_update_cb, update, controls_update_free);
}

gboolean
_capa_parse_property_event (const char  *text,
                            char       **name)
{
  const char *quote;
  const char *end;

  g_return_val_if_fail (name != NULL, FALSE);

  *name = NULL;
  if (text == NULL || !g_str_has_prefix (text, "PTP Property "))
    return FALSE;

  /* "PTP Property 5007 changed, "f-number" to "f/5.6"" names the setting;
   * "PTP Property 5007 changed" does not. */
  quote = strstr (text, "changed, \"");
  if (quote != NULL)
    {
      quote += strlen ("changed, \"");
      end = strchr (quote, '"');
      if (end != NULL && end > quote)
        *name = g_strndup (quote, end - quote);
    }

  return strstr (text, " changed") != NULL;
}

static JobStatus
events_run (CapaCamera *self,
            Job        *job,
            GPContext  *context)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  gboolean reload_all = FALSE;
  gint64 now;
  int timeout;

  if (!job_check_open (self, job))
    return JOB_DONE;

  now = g_get_monotonic_time ();
  timeout = (int) CLAMP ((job->deadline - now) / 1000, 0, EVENT_SLICE_MS);

  for (guint n = 0; n < EVENTS_PER_SLICE; n++)
    {
      CameraEventType type = GP_EVENT_TIMEOUT;
      void *event_data = NULL;
      int r;

      r = gp_camera_wait_for_event (self->gp_camera, n == 0 ? timeout : 0, &type, &event_data, context);
      if (r < GP_OK)
        {
          free (event_data);
          job_fail (self, job, r, _("Cannot read the camera's events"));
          return JOB_DONE;
        }

      switch ((int) type)
        {
        case GP_EVENT_FILE_ADDED:
          {
            CameraFilePath *path = event_data;
            g_autoptr(CapaCameraFile) file = capa_camera_file_new (path->folder, path->name);

            g_debug ("Camera event: file added %s/%s", path->folder, path->name);
            emit_in_main (self, signals[SIGNAL_FILE_ADDED], file, 0);
          }
          break;

        case GP_EVENT_UNKNOWN:
          {
            g_autofree char *name = NULL;

            if (event_data != NULL && _capa_parse_property_event (event_data, &name))
              {
                if (name == NULL)
                  reload_all = TRUE;
                else if (!g_ptr_array_find_with_equal_func (changed, name, g_str_equal, NULL))
                  g_ptr_array_add (changed, g_steal_pointer (&name));
              }
          }
          break;

        default:
          break;
        }

      free (event_data);
      if (type == GP_EVENT_TIMEOUT)
        break;
    }

  /* Settings changed on the body: read only those back, or the whole
   * tree when they cannot be told apart. */
  if (g_atomic_int_get (&self->controls_loaded) && (reload_all || changed->len > 0))
    {
      if (reload_all || changed->len > 8)
        {
          CameraWidget *root = NULL;

          if (gp_camera_get_config (self->gp_camera, &root, context) >= GP_OK)
            send_controls_update (self, root, TRUE);
        }
      else
        {
          for (guint i = 0; i < changed->len; i++)
            {
              CameraWidget *widget = NULL;

              if (gp_camera_get_single_config (self->gp_camera, changed->pdata[i], &widget, context) >= GP_OK)
                send_controls_update (self, widget, FALSE);
            }
        }
    }

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return JOB_DONE;
  if (g_get_monotonic_time () < job->deadline)
    return JOB_AGAIN;

  return JOB_DONE;
}

static Job *
events_job_new (CapaCamera   *self,
                guint         wait_ms,
                GCancellable *cancellable)
{
  Job *job = bool_job_new (self, events_run, NULL, cancellable);

  job->deadline = g_get_monotonic_time () + (gint64) wait_ms * 1000;
  return job;
}

/**
 * capa_camera_process_events:
 * @self: a #CapaCamera
 * @wait_ms: how long to watch for events, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Watches the camera's events for @wait_ms, waiting for it. The blocking
 * twin of [method@Capa.Camera.process_events_async].
 *
 * Returns: %TRUE if the events were read
 */
gboolean
capa_camera_process_events (CapaCamera    *self,
                            guint          wait_ms,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return run_job_sync (self, events_job_new (self, wait_ms, cancellable), error) != NULL;
}

/**
 * capa_camera_process_events_async:
 * @self: a #CapaCamera
 * @wait_ms: how long to watch for events, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called after @wait_ms
 * @user_data: data for @callback
 *
 * Watches the camera's events for @wait_ms: new files are reported by
 * [signal@Capa.Camera::file-added], settings changed on the body update
 * the settings tree and emit [signal@Capa.Camera::controls-changed].
 *
 * The camera is polled in short slices, and other operations asked for
 * meanwhile (a capture, say) run between two slices, within milliseconds.
 */
void
capa_camera_process_events_async (CapaCamera          *self,
                                  guint                wait_ms,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_job_async (self, events_job_new (self, wait_ms, cancellable),
                   capa_camera_process_events_async, callback, user_data);
}

/**
 * capa_camera_process_events_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the events were read
 */
gboolean
capa_camera_process_events_finish (CapaCamera    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_boolean (self, result, capa_camera_process_events_async, error);
}

/* ------------------------------------------------------------------ */
/* controls                                                             */
/* ------------------------------------------------------------------ */

static JobStatus
load_controls_run (CapaCamera *self,
                   Job        *job,
                   GPContext  *context)
{
  CameraWidget *root = NULL;
  int r;

  if (!job_check_open (self, job))
    return JOB_DONE;

  r = gp_camera_get_config (self->gp_camera, &root, context);
  if (r < GP_OK)
    {
      job_fail (self, job, r, _("Cannot read the camera's settings"));
      return JOB_DONE;
    }

  g_atomic_int_set (&self->controls_loaded, TRUE);
  job_set_result (job, root, (GDestroyNotify) gp_widget_unref);
  return JOB_DONE;
}

static void
load_controls_done (CapaCamera *self,
                    Job        *job)
{
  CameraWidget *root = job->result;

  if (root == NULL)
    return;

  if (self->controls == NULL ||
      !_capa_control_update_from_widget (CAPA_CONTROL (self->controls), root))
    {
      g_autoptr(CapaControl) tree = _capa_control_new_from_widget (root, NULL);

      g_clear_object (&self->controls);
      if (CAPA_IS_CONTROL_GROUP (tree))
        self->controls = CAPA_CONTROL_GROUP (g_steal_pointer (&tree));
    }

  g_signal_emit (self, signals[SIGNAL_CONTROLS_CHANGED], 0);
  job_set_result (job, GINT_TO_POINTER (TRUE), NULL);
}

/**
 * capa_camera_load_controls:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the camera's settings, waiting for it. The blocking twin of
 * [method@Capa.Camera.load_controls_async].
 *
 * Returns: %TRUE once [method@Capa.Camera.get_controls] holds them
 */
gboolean
capa_camera_load_controls (CapaCamera    *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return run_job_sync (self, bool_job_new (self, load_controls_run, load_controls_done, cancellable),
                       error) != NULL;
}

/**
 * capa_camera_load_controls_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the settings are read
 * @user_data: data for @callback
 *
 * Reads the whole settings tree from the camera (slow on some bodies, so
 * do it once; changes the camera reports later are read one by one). The
 * first load creates the tree of [method@Capa.Camera.get_controls]; later
 * loads update the same control objects. Emits
 * [signal@Capa.Camera::controls-changed].
 */
void
capa_camera_load_controls_async (CapaCamera          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_job_async (self, bool_job_new (self, load_controls_run, load_controls_done, cancellable),
                   capa_camera_load_controls_async, callback, user_data);
}

/**
 * capa_camera_load_controls_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the settings were read
 */
gboolean
capa_camera_load_controls_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_boolean (self, result, capa_camera_load_controls_async, error);
}

typedef struct
{
  GPtrArray *controls;  /* CapaControl, main thread only */
  GPtrArray *changes;   /* CapaControlChange, worker */
  guint      n_saved;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_clear_pointer (&save->controls, g_ptr_array_unref);
  g_clear_pointer (&save->changes, g_ptr_array_unref);
  g_free (save);
}

static JobStatus
save_controls_run (CapaCamera *self,
                   Job        *job,
                   GPContext  *context)
{
  SaveData *save = job->data;
  g_autoptr(CameraWidget) root = NULL;
  gboolean whole_tree = FALSE;
  int r;

  if (!job_check_open (self, job))
    return JOB_DONE;
  if (save->changes->len == 0)
    return JOB_DONE;

  r = gp_camera_get_config (self->gp_camera, &root, context);
  if (r < GP_OK)
    {
      job_fail (self, job, r, _("Cannot read the camera's settings"));
      return JOB_DONE;
    }

  for (guint i = 0; i < save->changes->len; i++)
    {
      CapaControlChange *change = g_ptr_array_index (save->changes, i);
      CameraWidget *widget = _capa_widget_find_by_path (root, change->path);
      const char *name = NULL;

      if (widget == NULL)
        {
          g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                       _("The camera no longer has the setting “%s” (%s)"),
                       change->label, change->path);
          return JOB_DONE;
        }

      g_clear_pointer (&job->context_error, g_free);
      if (!_capa_control_change_apply (change, widget, self->gp_camera, context, &job->error))
        return JOB_DONE;

      if (change->type == CAPA_TYPE_CONTROL_BUTTON)
        {
          save->n_saved = i + 1;
          continue;
        }

      gp_widget_get_name (widget, &name);
      r = whole_tree ? GP_OK : gp_camera_set_single_config (self->gp_camera, name, widget, context);
      if (r == GP_ERROR_NOT_SUPPORTED)
        {
          /* An old driver: send the whole tree at the end. */
          whole_tree = TRUE;
          r = GP_OK;
        }
      if (r < GP_OK)
        {
          g_autofree char *what = g_strdup_printf (_("The camera refused “%s” (%s)"),
                                                   change->label, change->path);

          job_fail (self, job, r, what);
          return JOB_DONE;
        }
      if (!whole_tree)
        save->n_saved = i + 1;
    }

  if (whole_tree)
    {
      r = gp_camera_set_config (self->gp_camera, root, context);
      if (r < GP_OK)
        {
          job_fail (self, job, r, _("The camera refused the new settings"));
          return JOB_DONE;
        }
      save->n_saved = save->changes->len;
    }

  return JOB_DONE;
}

static void
save_controls_done (CapaCamera *self,
                    Job        *job)
{
  SaveData *save = job->data;

  for (guint i = 0; i < save->n_saved && i < save->controls->len; i++)
    _capa_control_set_dirty (g_ptr_array_index (save->controls, i), FALSE);
}

static Job *
save_controls_job_new (CapaCamera   *self,
                       GCancellable *cancellable)
{
  Job *job = bool_job_new (self, save_controls_run, save_controls_done, cancellable);
  SaveData *save = g_new0 (SaveData, 1);

  save->controls = g_ptr_array_new_with_free_func (g_object_unref);
  save->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) _capa_control_change_free);
  if (self->controls != NULL)
    _capa_control_group_collect_dirty (self->controls, save->controls);
  for (guint i = 0; i < save->controls->len; i++)
    g_ptr_array_add (save->changes, _capa_control_change_new (g_ptr_array_index (save->controls, i)));

  job_set_data (job, save, save_data_free);
  return job;
}

/**
 * capa_camera_save_controls:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends the changed settings to the camera, waiting for it. The blocking
 * twin of [method@Capa.Camera.save_controls_async].
 *
 * Returns: %TRUE if the camera took every change
 */
gboolean
capa_camera_save_controls (CapaCamera    *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return run_job_sync (self, save_controls_job_new (self, cancellable), error) != NULL;
}

/**
 * capa_camera_save_controls_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the changes are sent
 * @user_data: data for @callback
 *
 * Sends the dirty controls (and only those) to the camera, in tree
 * order, and clears their [property@Capa.Control:dirty] flag. When the
 * camera refuses one, the error names that setting and the camera's
 * reason; the settings before it were saved, it and the ones after it
 * stay dirty.
 */
void
capa_camera_save_controls_async (CapaCamera          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  queue_job_async (self, save_controls_job_new (self, cancellable),
                   capa_camera_save_controls_async, callback, user_data);
}

/**
 * capa_camera_save_controls_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the camera took every change
 */
gboolean
capa_camera_save_controls_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_boolean (self, result, capa_camera_save_controls_async, error);
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
 * Returns: (transfer none) (nullable): the camera's summary, once it was open
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
 * Returns: (transfer none) (nullable): the root of the settings tree, or
 *   %NULL before [method@Capa.Camera.load_controls]
 */
CapaControlGroup *
capa_camera_get_controls (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->controls;
}
