/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gphoto2/gphoto2.h>

#include "capa-camera.h"

G_BEGIN_DECLS

/* How long one slice of event polling holds the camera: other jobs
 * queued meanwhile run between two slices. */
#define CAPA_CAMERA_EVENT_SLICE_MS 25
/* At most this many events are handled in one slice. */
#define CAPA_CAMERA_EVENTS_PER_SLICE 16
/* The whole settings tree is read again at most this often on events. */
#define CAPA_CAMERA_RELOAD_INTERVAL_MS 1000

/* The camera's fields, shared by capa-camera.c (object, worker, open and
 * close), capa-camera-files.c and capa-camera-controls.c. */
struct _CapaCamera
{
  GObject            parent_instance;

  /* construct-only */
  char              *model;
  char              *port;

  /* main-thread state */
  GMainContext      *main_context;
  GThread           *main_thread;     /* created the camera: may run main_context itself */
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
  gint64             last_reload;     /* monotonic time of the last full settings read */
  guint              reload_pending : 1;
};

enum {
  CAPA_CAMERA_SIGNAL_FILE_ADDED,
  CAPA_CAMERA_SIGNAL_FILE_CAPTURED,
  CAPA_CAMERA_SIGNAL_FILE_PREVIEWED,
  CAPA_CAMERA_SIGNAL_FILE_DOWNLOADED,
  CAPA_CAMERA_SIGNAL_FILE_DELETED,
  CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS,
  CAPA_CAMERA_SIGNAL_CONTROLS_CHANGED,
  CAPA_CAMERA_SIGNAL_DISCONNECTED,
  CAPA_CAMERA_N_SIGNALS,
};

extern guint _capa_camera_signals[CAPA_CAMERA_N_SIGNALS];

/* --- jobs on the camera's worker thread --- */

typedef struct _CapaCameraJob CapaCameraJob;

typedef enum {
  CAPA_CAMERA_JOB_DONE,
  CAPA_CAMERA_JOB_AGAIN,   /* queue the job again behind the others (event polling) */
} CapaCameraJobStatus;

/* Runs on the worker thread: fills job->result or job->error. */
typedef CapaCameraJobStatus (*CapaCameraJobRunFunc)  (CapaCamera    *self,
                                                      CapaCameraJob *job,
                                                      GPContext     *context);
/* Runs once the job is done, before the result is handed over: applies
 * state and emits signals.  For an async job, in the context the task
 * completes in; for a blocking twin, in the camera's main context (see
 * _capa_camera_run_job_sync()). */
typedef void                (*CapaCameraJobDoneFunc) (CapaCamera    *self,
                                                      CapaCameraJob *job);

struct _CapaCameraJob
{
  CapaCamera            *self;
  CapaCameraJobRunFunc   run;
  CapaCameraJobDoneFunc  done;
  GCancellable          *cancellable;

  /* input */
  gpointer               data;
  GDestroyNotify         data_free;
  gint64                 deadline;

  /* output */
  gpointer               result;
  GDestroyNotify         result_free;
  GError                *error;
  char                  *context_error;   /* the last error text of the GPContext */

  /* progress reporting (downloads) */
  CapaCameraFile        *progress_file;
  float                  progress_target;
  double                 progress_last;

  /* the operation returns a boolean: drop the result once done() ran */
  gboolean               is_boolean;

  /* completion: an async task, or a waiting thread */
  GTask                 *task;
  GMutex                 mutex;
  GCond                  cond;
  gboolean               finished;
};

CapaCameraJob *_capa_camera_job_new               (CapaCamera            *self,
                                                   CapaCameraJobRunFunc   run,
                                                   CapaCameraJobDoneFunc  done,
                                                   GCancellable          *cancellable);
/* A job whose operation returns a boolean. */
CapaCameraJob *_capa_camera_bool_job_new          (CapaCamera            *self,
                                                   CapaCameraJobRunFunc   run,
                                                   CapaCameraJobDoneFunc  done,
                                                   GCancellable          *cancellable);
void           _capa_camera_job_free              (CapaCameraJob         *job);
void           _capa_camera_job_set_data          (CapaCameraJob         *job,
                                                   gpointer               data,
                                                   GDestroyNotify         data_free);
void           _capa_camera_job_set_result        (CapaCameraJob         *job,
                                                   gpointer               result,
                                                   GDestroyNotify         result_free);
gboolean       _capa_camera_job_check_open        (CapaCamera            *self,
                                                   CapaCameraJob         *job);
void           _capa_camera_job_fail              (CapaCamera            *self,
                                                   CapaCameraJob         *job,
                                                   int                    result,
                                                   const char            *what);
void           _capa_camera_queue_job_async       (CapaCamera            *self,
                                                   CapaCameraJob         *job,
                                                   gpointer               source_tag,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gpointer       _capa_camera_run_job_sync          (CapaCamera            *self,
                                                   CapaCameraJob         *job,
                                                   GError               **error);
gboolean       _capa_camera_finish_boolean        (CapaCamera            *self,
                                                   GAsyncResult          *result,
                                                   gpointer               source_tag,
                                                   GError               **error);
gpointer       _capa_camera_finish_object         (CapaCamera            *self,
                                                   GAsyncResult          *result,
                                                   gpointer               source_tag,
                                                   GError               **error);
/* Emits @signal_id on @self in its main context, from any thread. */
void           _capa_camera_emit_in_main          (CapaCamera            *self,
                                                   guint                  signal_id,
                                                   gpointer               arg,
                                                   double                 fraction);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapaCameraJob, _capa_camera_job_free)

/* --- main-thread state --- */

void      _capa_camera_set_connected         (CapaCamera      *self,
                                              gboolean         connected);
void      _capa_camera_set_download_progress (CapaCamera      *self,
                                              double           fraction,
                                              CapaCameraFile  *file);

/* Recognises libgphoto2's text for a changed setting, such as
 * "PTP Property 5007 changed, "f-number" to "f/5.6"": returns TRUE for
 * one, with @name set to the setting's name when the text gives it. */
gboolean  _capa_parse_property_event         (const char      *text,
                                              char           **name);

/* --- capa-camera-files.c: downloading into a sink --- */

/* Where a streamed download goes; both functions run on the camera's
 * worker thread. */
typedef struct
{
  /* Takes the next piece of the file; FALSE with @error set stops the
   * download. */
  gboolean (*write)   (gpointer       data,
                       const guint8  *bytes,
                       gsize          size,
                       GCancellable  *cancellable,
                       GError       **error);
  /* The download failed: drop what was written (may be NULL). */
  void     (*discard) (gpointer       data);
  gpointer   data;
} CapaCameraSink;

void     _capa_camera_download_file_to_async  (CapaCamera            *self,
                                               CapaCameraFile        *file,
                                               const CapaCameraSink  *sink,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean _capa_camera_download_file_to_finish (CapaCamera            *self,
                                               GAsyncResult          *result,
                                               GError               **error);
G_END_DECLS
