/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gphoto2/gphoto2.h>

#include "capa-camera.h"
#include "capa-camera-job-private.h"
#include "capa-start-gate-private.h"

G_BEGIN_DECLS

/* How long one slice of event polling waits at most for an event.  A job
 * queued before or during the wait does not wait for the slice to end:
 * the wait is skipped, or ended through the context's cancel function
 * (events_run() in capa-camera-controls.c). */
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
  double             bulb_remaining;
  guint              bulb_generation; /* ticks of an older exposure are dropped */
  guint              controls_applied; /* serial of the newest settings read or write applied */
  guint              connected : 1;
  guint              has_capture : 1;
  guint              has_preview : 1;
  guint              has_settings : 1;
  guint              disconnected_emitted : 1;

  /* shared between threads */
  int                controls_loaded; /* atomic */
  int                busy_timeout_s;  /* atomic: how long a busy camera is waited for */
  int                n_event_waits;         /* atomic: event waits with a timeout */
  int                n_event_waits_yielded; /* atomic: those ended for a queued job */
  int                captures_queued;       /* atomic: capture jobs not yet run */
  GMutex             queue_mutex;           /* with queue_cond: a job was queued */
  GCond              queue_cond;

  /* worker-thread state */
  GThread           *worker_thread;   /* atomic: the thread running the jobs */
  Camera            *gp_camera;
  gint64             last_reload;     /* monotonic time of the last full settings read */
  GPtrArray         *shot_files;      /* the shot being collected (see capa-camera-shot.c) */
  GHashTable        *shots_collected; /* first file's path → its shot's files, collected */
  gint64             shot_start;      /* monotonic time it was taken */
  char              *ram_shot_key;    /* the shot of the last file named "captNNNN" */
  char              *ram_shot_exts;   /* its extensions so far, ".DNG.JPG." */
  guint              ram_shot_number; /* NNNN of its last file */
  gint64             ram_shot_time;   /* monotonic time its last file came */
  guint              controls_serial; /* settings reads and writes, in the camera's order */
  guint              reload_pending : 1;
  guint              shot_complete : 1;  /* the camera said so */
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

/* --- main-thread state --- */

void      _capa_camera_set_connected         (CapaCamera      *self,
                                              gboolean         connected);
void      _capa_camera_set_download_progress (CapaCamera      *self,
                                              double           fraction,
                                              CapaCameraFile  *file);

void      _capa_camera_set_bulb_remaining    (CapaCamera      *self,
                                              double           seconds);
void      _capa_camera_notify_has_bulb       (CapaCamera      *self);

/* The default of [property@Capa.Camera:busy-timeout], in seconds. */
#define CAPA_CAMERA_DEFAULT_BUSY_TIMEOUT 10

/* --- capa-camera-shot.c (worker thread) --- */

CapaCameraFile *_capa_camera_file_from_camera (CapaCamera  *self,
                                               const char  *folder,
                                               const char  *name);
void            _capa_camera_forget_ram_shot  (CapaCamera  *self);

gboolean   _capa_camera_wait_if_busy            (CapaCamera    *self,
                                                 CapaCameraJob *job,
                                                 gint64        *since,
                                                 guint         *attempt);
void       _capa_camera_job_fail_busy           (CapaCamera    *self,
                                                 CapaCameraJob *job,
                                                 const char    *what);
void       _capa_camera_collect_shot            (CapaCamera    *self,
                                                 CapaCameraJob *job,
                                                 GPContext     *context,
                                                 GPtrArray     *files,
                                                 guint          first_wait_ms);
GPtrArray *_capa_camera_capture_files_on_worker (CapaCamera    *self,
                                                 CapaCameraJob *job,
                                                 GPContext     *context,
                                                 gboolean       collect);
gboolean   _capa_camera_route_shot_event        (CapaCamera    *self,
                                                 GPContext     *context,
                                                 CameraEventType type,
                                                 gpointer       event_data);
void       _capa_camera_drop_shot               (CapaCamera    *self);

/* The first file of a shot at once, then the others: the files of the
 * shot the last capture_first took, other than that first one. */
void       _capa_camera_capture_first_async     (CapaCamera          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray *_capa_camera_capture_first_finish    (CapaCamera          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void       _capa_camera_collect_rest_async      (CapaCamera          *self,
                                                 CapaCameraFile      *first,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray *_capa_camera_collect_rest_finish     (CapaCamera          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* _capa_camera_capture_first_async() whose capture waits, on the worker,
 * at @gate as its @member (capa-start-gate-private.h); finished by
 * _capa_camera_capture_first_finish(). */
void       _capa_camera_capture_shot_gated_async (CapaCamera          *self,
                                                  CapaStartGate       *gate,
                                                  guint                member,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);

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
/* --- capa-camera-file.c --- */

void  _capa_camera_file_set_shot_key (CapaCameraFile *self,
                                      const char     *key);
char *_capa_camera_file_dup_shot_key (CapaCameraFile *self);

G_END_DECLS
