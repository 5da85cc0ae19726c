/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gphoto2/gphoto2.h>

#include "capa-camera.h"

G_BEGIN_DECLS

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
 * state and emits signals, always as the owner of the camera's main
 * context (capa-blocking.c), for the async form and the blocking twin. */
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

  /* a capture counted in the camera's captures_queued until it runs or
   * is dropped (_capa_camera_job_count_capture ()) */
  int                    counted_capture;  /* atomic */

  /* completion: in the caller's context, through a GTask made there */
  GMainContext          *context;     /* until the completion is posted */
  GAsyncReadyCallback    callback;
  gpointer               user_data;
  gpointer               source_tag;
  gulong                 cancel_id;   /* while queued or running */
  int                    claimed;     /* atomic: by the worker, or by the cancellation */
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
void           _capa_camera_job_unref             (CapaCameraJob         *job);
/* Counts @job, a capture, in its camera's captures waiting to run. */
void           _capa_camera_job_count_capture     (CapaCameraJob         *job);
/* _capa_camera_job_new () for a capture, counted so. */
CapaCameraJob *_capa_camera_capture_job_new       (CapaCamera            *self,
                                                   CapaCameraJobRunFunc   run,
                                                   CapaCameraJobDoneFunc  done,
                                                   GCancellable          *cancellable);
/* Worker thread: TRUE when a capture waits in the camera's queue. */
gboolean       _capa_camera_job_captures_queued   (CapaCamera            *self);
/* Worker thread: TRUE when another job waits in the camera's queue. */
gboolean       _capa_camera_job_others_queued     (CapaCamera            *self);
gboolean       _capa_camera_job_wait_for_queue    (CapaCamera            *self,
                                                   CapaCameraJob         *job,
                                                   guint                  ms);
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
gboolean       _capa_camera_run_bool_job_sync     (CapaCamera            *self,
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapaCameraJob, _capa_camera_job_unref)

/* The worker thread's function: runs one job (capa-camera-job.c). */
void           _capa_camera_worker_func           (gpointer               data,
                                                   gpointer               user_data);

G_END_DECLS
