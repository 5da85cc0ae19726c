/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "capa-session-private.h"

G_BEGIN_DECLS

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
/* Completes once every queued byte is written, with the session writer. */
void               _capa_tether_writer_close_async  (CapaTetherWriter     *self,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CapaSessionWriter *_capa_tether_writer_close_finish (CapaTetherWriter     *self,
                                                     GAsyncResult         *result,
                                                     char                **checksum,
                                                     GError              **error);
/* Drops the caller's reference; a writer never closed is discarded. */
void               _capa_tether_writer_release      (CapaTetherWriter     *self);

/* Testing API: called on the writer thread before each piece is written
 * to disk (a test makes the disk slow by holding it); %NULL for none. */
typedef void (*CapaTetherWriteHook) (gpointer data);

void               _capa_tether_set_write_hook      (CapaTetherWriteHook   hook,
                                                     gpointer              data);

G_END_DECLS
