/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "capa-camera-file.h"
#include "capa-image.h"

G_BEGIN_DECLS

/**
 * CAPA_SESSION_ERROR:
 *
 * The error domain of [class@Capa.Session]. Input/output failures use
 * `G_IO_ERROR` codes instead (such as %G_IO_ERROR_NO_SPACE,
 * %G_IO_ERROR_READ_ONLY or %G_IO_ERROR_PERMISSION_DENIED).
 */
#define CAPA_SESSION_ERROR (capa_session_error_quark ())

/**
 * CapaSessionError:
 * @CAPA_SESSION_ERROR_FAILED: a generic failure
 * @CAPA_SESSION_ERROR_NO_DATA: the file to save holds no data
 * @CAPA_SESSION_ERROR_INVALID_NAME: no safe file name could be made
 *   inside the session folder
 *
 * Errors of [class@Capa.Session] that are not input/output errors.
 */
typedef enum {
  CAPA_SESSION_ERROR_FAILED,
  CAPA_SESSION_ERROR_NO_DATA,
  CAPA_SESSION_ERROR_INVALID_NAME,
} CapaSessionError;

GQuark capa_session_error_quark (void);

#define CAPA_TYPE_SESSION (capa_session_get_type ())

G_DECLARE_FINAL_TYPE (CapaSession, capa_session, CAPA, SESSION, GObject)

CapaSession *capa_session_new                  (const char           *directory);

const char  *capa_session_get_directory        (CapaSession          *self);
const char  *capa_session_get_filename_pattern (CapaSession          *self);
void         capa_session_set_filename_pattern (CapaSession          *self,
                                                const char           *pattern);
gboolean     capa_session_validate_filename_pattern (const char  *pattern,
                                                     GError     **error);
gboolean     capa_session_get_loading          (CapaSession          *self);
gboolean     capa_session_get_loaded           (CapaSession          *self);

GPtrArray   *capa_session_get_images           (CapaSession          *self);
GPtrArray   *capa_session_get_companions       (CapaSession          *self,
                                                CapaImage            *image);
char        *capa_session_dup_next_filename    (CapaSession          *self,
                                                const char           *camera_name,
                                                const char           *mime_type);

gboolean     capa_session_load                 (CapaSession          *self,
                                                GCancellable         *cancellable,
                                                GError              **error);
void         capa_session_load_async           (CapaSession          *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean     capa_session_load_finish          (CapaSession          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

CapaImage   *capa_session_save_bytes           (CapaSession          *self,
                                                const char           *camera_name,
                                                GBytes               *data,
                                                GCancellable         *cancellable,
                                                GError              **error);
void         capa_session_save_bytes_async     (CapaSession          *self,
                                                const char           *camera_name,
                                                GBytes               *data,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
CapaImage   *capa_session_save_bytes_finish    (CapaSession          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

CapaImage   *capa_session_save_file            (CapaSession          *self,
                                                CapaCameraFile       *file,
                                                GCancellable         *cancellable,
                                                GError              **error);
void         capa_session_save_file_async      (CapaSession          *self,
                                                CapaCameraFile       *file,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
CapaImage   *capa_session_save_file_finish     (CapaSession          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
