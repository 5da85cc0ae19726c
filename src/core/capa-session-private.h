/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "capa-session.h"

G_BEGIN_DECLS

/* What the session reads of each file in its folder. */
#define CAPA_SESSION_FILE_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC

struct _CapaSession
{
  GObject       parent_instance;

  /* construct-only */
  char         *directory;
  GFile        *directory_file;
  GMainContext *main_context;     /* where the model changes and signals are emitted */
  GThread      *thread;           /* the thread that made the session */

  /* main-context state */
  GPtrArray    *entries;          /* Entry (capa-session.c), sorted by compare_entries() */
  GHashTable   *by_name;          /* name → borrowed Entry */
  GHashTable   *pending;          /* name → PendingFile: changes seen, not yet added */
  GFileMonitor *monitor;
  GCancellable *cancellable;      /* cancelled on dispose */
  guint         loading : 1;
  guint         loaded : 1;

  /* guarded by mutex: read by saves on any thread */
  GMutex        mutex;
  char         *filename_pattern;
  GRegex       *sequence_regex;
  guint         next_sequence;
  gboolean      sequence_known;   /* the folder's names were seen for this pattern */
  GHashTable   *suffixes;         /* name → the last "-N" suffix a save gave it */
  GHashTable   *shot_stems;       /* base name a shot took → until when it holds it (µs) */
};

/* The files of one shot (RAW + JPEG) share a base name: the first saved
 * fixes the time and sequence number the others reuse.  Fields guarded by
 * the session's mutex.  Several tethers save into one session at once:
 * the sequence number is claimed under the mutex, and with a pattern
 * without %n a shot's base name is held for a while
 * (CAPA_SESSION_SHOT_STEM_HOLD_US) so that another camera's shot of the
 * same second takes a "-N" suffix for all its files, whatever their
 * extensions. */
typedef struct
{
  GDateTime *time;        /* NULL until the first file is named */
  guint      sequence;
  guint      suffix;      /* the "-N" the first file took, 0 for none */
  char      *camera_tag;  /* what %c writes (construct-only), nullable */
} CapaSessionShot;

#define CAPA_SESSION_SHOT_STEM_HOLD_US (60 * G_USEC_PER_SEC)

/* @camera_tag (nullable): the tag of the camera that took it, for %c */
CapaSessionShot *_capa_session_shot_new   (const char      *camera_tag);
CapaSessionShot *_capa_session_shot_ref   (CapaSessionShot *shot);
void             _capa_session_shot_unref (CapaSessionShot *shot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapaSessionShot, _capa_session_shot_unref)

/* capa-session.c: the model */
CapaImage  *_capa_session_add_image    (CapaSession *self,
                                        const char  *name,
                                        gint64       time,
                                        CapaImage   *image);
void        _capa_session_remove_image (CapaSession *self,
                                        const char  *name);
CapaImage  *_capa_session_peek_image   (CapaSession *self,
                                        guint        position);
gboolean    _capa_session_has_image    (CapaSession *self,
                                        CapaImage   *image);
gint64      _capa_session_file_time    (const char  *directory,
                                        GFileInfo   *info);
gint64      _capa_session_data_time    (const guint8 *bytes,
                                        gsize         size);
void        _capa_session_note_sequence (CapaSession *self,
                                         const char  *name);
void        _capa_session_folder_exists (CapaSession *self);
char       *_capa_session_make_next_name (CapaSession *self,
                                          const char  *camera_name,
                                          const char  *camera_tag,
                                          const char  *mime_type,
                                          GDateTime   *time,
                                          gboolean     claim);
char       *_capa_session_make_shot_name (CapaSession     *self,
                                          CapaSessionShot *shot,
                                          const char      *camera_name,
                                          const char      *mime_type,
                                          GDateTime       *time);

/* capa-session-save.c: saving a file written straight into the folder (a
 * download streamed to disk by the tether) */
typedef struct _CapaSessionWriter CapaSessionWriter;

CapaSessionWriter *_capa_session_new_writer          (CapaSession          *self);
void               _capa_session_save_written_async  (CapaSession          *self,
                                                      CapaSessionWriter    *writer,
                                                      const char           *camera_name,
                                                      const char           *mime_type,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Like _capa_session_save_written_async(), for a file of @shot: named
 * with the shot's base name; finished by _capa_session_save_written_finish(). */
void               _capa_session_save_shot_async     (CapaSession          *self,
                                                      CapaSessionWriter    *writer,
                                                      CapaSessionShot      *shot,
                                                      const char           *camera_name,
                                                      const char           *mime_type,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CapaImage         *_capa_session_save_written_finish (CapaSession          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* capa-session-monitor.c: watching the folder */
GHashTable *_capa_session_pending_new  (void);
void        _capa_session_watch        (CapaSession *self);
void        _capa_session_watch_async  (CapaSession         *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
void        _capa_session_watch_finish (CapaSession  *self,
                                        GAsyncResult *result);
void        _capa_session_unwatch      (CapaSession *self);

/* capa-session-io.c: durable writes */

/* The most "-N" suffixes tried when a name is taken. */
#define CAPA_SESSION_MAX_SUFFIX 9999

/* Ways of giving a written file its final name without replacing another. */
typedef enum {
  CAPA_PLACE_RENAME_NOREPLACE  = 1 << 0,
  CAPA_PLACE_LINK              = 1 << 1,
  CAPA_PLACE_CHECK_THEN_RENAME = 1 << 2,
  CAPA_PLACE_ALL               = 0x7,
} CapaPlaceMethod;

int       _capa_session_place_file       (int            dirfd,
                                          const char    *tmp_name,
                                          const char    *final_name,
                                          guint          methods);
GError   *_capa_session_error_from_errno (int            errsv,
                                          const char    *directory);

CapaSessionWriter *_capa_session_writer_new      (const char          *directory);
gboolean           _capa_session_writer_write    (CapaSessionWriter   *writer,
                                                  const guint8        *data,
                                                  gsize                size,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
guint64            _capa_session_writer_get_size (CapaSessionWriter   *writer);
const guint8      *_capa_session_writer_get_head (CapaSessionWriter   *writer,
                                                  gsize               *size);
gboolean           _capa_session_writer_commit   (CapaSessionWriter   *writer,
                                                  const char          *name,
                                                  guint               *suffix,
                                                  GCancellable        *cancellable,
                                                  char               **saved_name,
                                                  GError             **error);
void               _capa_session_writer_discard  (CapaSessionWriter   *writer);
void               _capa_session_writer_set_origin      (CapaSessionWriter *writer,
                                                         const char        *origin);
void               _capa_session_writer_set_origin_file (CapaSessionWriter *writer,
                                                         CapaCameraFile    *file);
void               _capa_session_writer_free     (CapaSessionWriter   *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapaSessionWriter, _capa_session_writer_free)

G_END_DECLS
