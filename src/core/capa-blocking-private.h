/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Starts the asynchronous form of an operation: @callback gets its result
 * in the thread-default main context current when this is called. */
typedef void (*CapaBlockingStartFunc) (gpointer             data,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);

/* The blocking twin of the operation started by @start, for an object whose
 * state belongs to @object_context (see capa-blocking.c for the contract).
 * Returns the operation's result, to hand to its _finish function. */
GAsyncResult *_capa_blocking_call            (GMainContext          *object_context,
                                              GThread               *object_thread,
                                              CapaBlockingStartFunc  start,
                                              gpointer               data);

/* Runs @func (@data) as the owner of @context and returns once it ran: at
 * once when the calling thread owns @context (or is @thread, which made
 * the object, and nobody else runs @context), else from a source in
 * @context, which the calling thread waits for. */
void          _capa_blocking_run_in_context  (GMainContext          *context,
                                              GThread               *thread,
                                              GSourceFunc            func,
                                              gpointer               data);

G_END_DECLS
