/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     capa_debug_set_enabled (gboolean enabled);
gboolean capa_debug_get_enabled (void);

const char *capa_get_version    (void);

G_END_DECLS
