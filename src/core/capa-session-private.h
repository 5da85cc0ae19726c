/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most "-N" suffixes tried when a name is taken. */
#define CAPA_SESSION_MAX_SUFFIX 9999

GError   *_capa_session_error_from_errno (int            errsv,
                                          const char    *directory);
gboolean  _capa_session_write_file       (const char    *directory,
                                          const char    *name,
                                          GBytes        *data,
                                          GCancellable  *cancellable,
                                          char         **saved_name,
                                          GError       **error);

G_END_DECLS
