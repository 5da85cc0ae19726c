/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-thumbnailer.h"

G_BEGIN_DECLS

/* How many times this thumbnailer decoded a source file (successfully or
 * not), rather than reading a thumbnail back from a cache. */
guint  _capa_thumbnailer_get_n_decoded     (CapaThumbnailer *self);
/* The most requests the worker pool ever made at the same time. */
guint  _capa_thumbnailer_get_max_running   (CapaThumbnailer *self);
/* Bytes of pixels held by the in-memory cache, and how many entries. */
gsize  _capa_thumbnailer_get_memory_used   (CapaThumbnailer *self);
guint  _capa_thumbnailer_get_n_cached      (CapaThumbnailer *self);
/* Holds back the workers until released, so tests can queue requests;
 * from then on, the file names workers take are recorded in order. */
void   _capa_thumbnailer_set_paused        (CapaThumbnailer *self,
                                            gboolean         paused);
char **_capa_thumbnailer_dup_started       (CapaThumbnailer *self);

/* Called on the worker thread, with no lock held: when a file has been
 * decoded (before it is checked for changes and anything is recorded),
 * and when a thumbnail has been made (before it is kept in memory). */
typedef enum
{
  CAPA_THUMBNAILER_HOOK_DECODED,
  CAPA_THUMBNAILER_HOOK_MADE,
} CapaThumbnailerHookStage;

typedef void (*CapaThumbnailerHook) (CapaThumbnailer          *self,
                                     CapaThumbnailerHookStage  stage,
                                     const char               *filename,
                                     gpointer                  user_data);

void   _capa_thumbnailer_set_hook          (CapaThumbnailer     *self,
                                            CapaThumbnailerHook  hook,
                                            gpointer             user_data);

G_END_DECLS
