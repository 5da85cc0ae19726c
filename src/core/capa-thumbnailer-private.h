/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-thumbnailer.h"

G_BEGIN_DECLS

/* How many thumbnails this thumbnailer decoded from their source files
 * (not read back from the cache). */
guint  _capa_thumbnailer_get_n_generated   (CapaThumbnailer *self);
/* Bytes of pixels held by the in-memory cache, and how many entries. */
gsize  _capa_thumbnailer_get_memory_used   (CapaThumbnailer *self);
guint  _capa_thumbnailer_get_n_cached      (CapaThumbnailer *self);
/* Holds back the workers until released, so tests can queue requests. */
void   _capa_thumbnailer_set_paused        (CapaThumbnailer *self,
                                            gboolean         paused);

G_END_DECLS
