/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "capa-camera-private.h"
#include "capa-session-private.h"
#include "capa-tether.h"

G_BEGIN_DECLS

/* The tether's fields, shared by capa-tether.c (capture, fetching,
 * monitoring) and capa-tether-preview.c (live view). */
struct _CapaTether
{
  GObject       parent_instance;

  /* construct-only */
  CapaCamera   *camera;
  CapaSession  *session;
  GMainContext *main_context;     /* where signals are emitted */
  GThread      *thread;           /* the thread that made the tether */

  /* main-thread state */
  GCancellable *monitor_cancellable;
  GCancellable *watch_cancellable; /* of the event watch in flight */
  GCancellable *preview_cancellable;
  GQueue        pending;          /* CapaCameraFile, shot on the camera, to fetch */
  GHashTable   *known;            /* paths of files queued from events or polling */
  GHashTable   *claimed;          /* paths of files captured by capture(), on the camera */
  GHashTable   *kept;             /* path → Kept: saved, and left on the camera */
  GHashTable   *deleted;          /* path → when we deleted it from the camera, in µs */
  guint         capturing;        /* captures in flight */
  GHashTable   *shots;            /* "folder/stem" on the camera → RecentShot
                                   * (capa-tether-shot.c) */
  GCancellable *target_cancellable; /* setting the capture target */
  GHashTable   *poll_baseline;    /* paths listed on the camera, when polling */
  GHashTable   *refetch;          /* path → Refetch: failed fetches to try again */
  GHashTable   *monitor_shots;    /* "folder/stem" → MonitorShot: saved, to delete together */
  CapaCameraFile *fetching_file;  /* the monitored file being fetched */
  guint         backoff_ms;
  GSource      *retry_source;     /* the next watch cycle, after a pause */
  gulong        file_added_id;
  gulong        disconnected_id;
  guint         delete_from_camera : 1;
  guint         monitoring : 1;
  guint         polling : 1;
  guint         cycle_paused : 1; /* the event watch waits for the captures to end */
  guint         fetching : 1;
  guint         previewing : 1;
  guint         keep_on_card : 1;
  guint         keep_on_card_set : 1;
  char         *camera_tag;       /* set explicitly (made safe), or NULL */
  char         *model_tag;        /* the default: made of tag_model */
  char         *tag_model;        /* the camera's model model_tag was made of */
};

/* capa-tether.c: for the other parts of the tether */
void        _capa_tether_emit_error         (CapaTether     *self,
                                             const GError   *error);
void        _capa_tether_emit_preview_frame (CapaTether     *self,
                                             CapaCameraFile *frame);
void        _capa_tether_notify_previewing  (CapaTether     *self);

/* capa-tether.c: fetching one file of a shot (download, save, delete
 * unless @defer_delete); @shot NULL: the shot _capa_tether_shot_for_file()
 * finds */
void        _capa_tether_fetch_async        (CapaTether          *self,
                                             CapaCameraFile      *file,
                                             CapaSessionShot     *shot,
                                             gboolean             defer_delete,
                                             GCancellable        *cancellable,
                                             gpointer             source_tag,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
CapaImage  *_capa_tether_fetch_finish       (CapaTether          *self,
                                             GAsyncResult        *result,
                                             char               **checksum,
                                             GError             **error);
void        _capa_tether_delete_saved_async (CapaTether          *self,
                                             CapaCameraFile      *file,
                                             const char          *checksum,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
void        _capa_tether_keep_saved         (CapaTether          *self,
                                             CapaCameraFile      *file,
                                             const char          *checksum);
void        _capa_tether_capture_started    (CapaTether          *self);
void        _capa_tether_capture_ended      (CapaTether          *self);
void        _capa_tether_claim_file         (CapaTether          *self,
                                             CapaCameraFile      *file);
void        _capa_tether_release_kept       (CapaTether          *self,
                                             const char          *key);
GError     *_capa_tether_error_kept_on_camera (const GError      *error,
                                             CapaCameraFile      *file);
void        _capa_tether_emit_image_saved   (CapaTether          *self,
                                             CapaImage           *image);

/* capa-tether-shot.c: the files of one shot share a base name in the
 * session; a file the camera reports a moment after the others of its
 * shot (the JPEG of a RAW + JPEG pair seen while monitoring) joins them. */
GHashTable      *_capa_tether_shots_new     (void);
char            *_capa_tether_shot_key      (CapaCameraFile *file);
/* capa_tether_capture_all_async() whose camera fires at @gate as its
 * @member (CapaTetherGroup); finished by capa_tether_capture_all_finish(). */
void             _capa_tether_capture_gated_async (CapaTether          *self,
                                                   CapaStartGate       *gate,
                                                   guint                member,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
CapaSessionShot *_capa_tether_shot_for_file (CapaTether          *self,
                                             CapaCameraFile      *file);
void             _capa_tether_apply_keep_on_card (CapaTether     *self);

/* capa-tether-preview.c: work in flight holds the tether weakly, so that dropping the last
 * reference ends it: _capa_tether_weak_steal() frees the weak reference
 * and gives the tether (a new reference), or %NULL once it is gone. */
gpointer    _capa_tether_weak_new           (CapaTether     *self);
void        _capa_tether_weak_free          (gpointer        data);
CapaTether *_capa_tether_weak_steal         (gpointer        data);
/* A timeout in the tether's own main context, never the global default;
 * _capa_tether_clear_source() destroys and drops it. */
GSource    *_capa_tether_add_timeout        (CapaTether     *self,
                                             guint           delay_ms,
                                             GSourceFunc     func,
                                             gpointer        data,
                                             GDestroyNotify  notify,
                                             const char     *name);
void        _capa_tether_clear_source       (GSource       **source);

/* capa-tether-writer.c: a download written to disk by a thread of its
 * own, so that a slow disk never holds the camera's worker thread for
 * longer than it takes to fill a queue of CAPA_TETHER_WRITE_QUEUE_BYTES. */
#define CAPA_TETHER_WRITE_QUEUE_BYTES (64 * 1024 * 1024)

typedef struct _CapaTetherWriter CapaTetherWriter;

/* Takes @writer; @with_checksum: keep a SHA-256 of the bytes written. */
CapaTetherWriter  *_capa_tether_writer_new          (CapaSessionWriter    *writer,
                                                     GCancellable         *cancellable,
                                                     gboolean              with_checksum);
/* On the camera's worker thread: queues a copy of @bytes, waiting only
 * while the queue is full; FALSE once writing failed (the error says why). */
gboolean           _capa_tether_writer_write        (CapaTetherWriter     *self,
                                                     const guint8         *bytes,
                                                     gsize                 size,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
/* The download failed: what was written is dropped; does not wait. */
void               _capa_tether_writer_discard      (CapaTetherWriter     *self);
/* Completes once every queued byte is written, with the session writer;
 * after _capa_tether_writer_discard(), once the file is removed, with
 * %G_IO_ERROR_CANCELLED. */
void               _capa_tether_writer_close_async  (CapaTetherWriter     *self,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CapaSessionWriter *_capa_tether_writer_close_finish (CapaTetherWriter     *self,
                                                     GAsyncResult         *result,
                                                     char                **checksum,
                                                     GError              **error);
/* The camera's sink writing into @self. */
void               _capa_tether_writer_get_sink     (CapaTetherWriter     *self,
                                                     CapaCameraSink       *sink);
/* Drops the caller's reference; a writer never closed is discarded. */
void               _capa_tether_writer_release      (CapaTetherWriter     *self);

G_END_DECLS
