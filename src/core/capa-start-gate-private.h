/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A start gate for several cameras fired together (CapaTetherGroup): each
 * member's camera worker passes the gate once its camera is ready, and all
 * are released together once every member has arrived or withdrawn (a
 * member that fails before it gets there, or whose job never runs).  A
 * member that waits longer than CAPA_START_GATE_MAX_WAIT_US opens it for
 * everyone: a camera stuck behind a long job delays the others only so
 * long.  Thread-safe; reference-counted. */
typedef struct _CapaStartGate CapaStartGate;

#define CAPA_START_GATE_MAX_WAIT_US (10 * G_USEC_PER_SEC)

CapaStartGate *_capa_start_gate_new              (guint          n_members);
CapaStartGate *_capa_start_gate_ref              (CapaStartGate *gate);
void           _capa_start_gate_unref            (CapaStartGate *gate);
/* Worker thread: @member is ready; blocks until the gate opens, then
 * records the member's trigger time (monotonic µs).  FALSE, without a
 * trigger time, when @cancellable is cancelled first. */
gboolean       _capa_start_gate_pass             (CapaStartGate *gate,
                                                  guint          member,
                                                  GCancellable  *cancellable);
/* @member will not arrive (no effect once it has). */
void           _capa_start_gate_withdraw         (CapaStartGate *gate,
                                                  guint          member);
/* When @member passed the gate, or -1. */
gint64         _capa_start_gate_get_trigger_time (CapaStartGate *gate,
                                                  guint          member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapaStartGate, _capa_start_gate_unref)

G_END_DECLS
