/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most "-N" suffixes tried when a name is taken. */
#define CAPA_SESSION_MAX_SUFFIX 9999

/* Ways of giving a written file its final name without replacing another. */
typedef enum {
  CAPA_PLACE_RENAME_NOREPLACE  = 1 << 0,
  CAPA_PLACE_LINK              = 1 << 1,
  CAPA_PLACE_CHECK_THEN_RENAME = 1 << 2,
  CAPA_PLACE_ALL               = 0x7,
} CapaPlaceMethod;

int       _capa_session_place_file      (int            dirfd,
                                          const char    *tmp_name,
                                          const char    *final_name,
                                          guint          methods);
GError   *_capa_session_error_from_errno (int            errsv,
                                          const char    *directory);
gboolean  _capa_session_write_file       (const char    *directory,
                                          const char    *name,
                                          GBytes        *data,
                                          GCancellable  *cancellable,
                                          char         **saved_name,
                                          GError       **error);

G_END_DECLS
