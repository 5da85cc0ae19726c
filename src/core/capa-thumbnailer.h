/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/**
 * CAPA_THUMBNAIL_ERROR:
 *
 * The error domain of thumbnails; errors in it use the codes of
 * [enum@Capa.ThumbnailError].
 */
#define CAPA_THUMBNAIL_ERROR (capa_thumbnail_error_quark ())

/**
 * CapaThumbnailError:
 * @CAPA_THUMBNAIL_ERROR_FAILED: no thumbnail could be made of the file
 *   (it could not be decoded)
 * @CAPA_THUMBNAIL_ERROR_PREVIOUSLY_FAILED: an earlier attempt on the same,
 *   unchanged file failed, so it was not tried again
 *
 * Error codes of the %CAPA_THUMBNAIL_ERROR domain.
 */
typedef enum {
  CAPA_THUMBNAIL_ERROR_FAILED,
  CAPA_THUMBNAIL_ERROR_PREVIOUSLY_FAILED,
} CapaThumbnailError;

/**
 * CapaThumbnailSize:
 * @CAPA_THUMBNAIL_SIZE_NORMAL: at most 128×128 pixels
 * @CAPA_THUMBNAIL_SIZE_LARGE: at most 256×256 pixels
 * @CAPA_THUMBNAIL_SIZE_X_LARGE: at most 512×512 pixels
 *
 * The sizes of the freedesktop.org Thumbnail Managing Standard, each with
 * its own folder in the shared thumbnail cache.
 */
typedef enum {
  CAPA_THUMBNAIL_SIZE_NORMAL,
  CAPA_THUMBNAIL_SIZE_LARGE,
  CAPA_THUMBNAIL_SIZE_X_LARGE,
} CapaThumbnailSize;

#define CAPA_TYPE_THUMBNAILER (capa_thumbnailer_get_type ())

G_DECLARE_FINAL_TYPE (CapaThumbnailer, capa_thumbnailer, CAPA, THUMBNAILER, GObject)

GQuark           capa_thumbnail_error_quark           (void);
int              capa_thumbnail_size_get_pixels        (CapaThumbnailSize     size);

CapaThumbnailer *capa_thumbnailer_new                  (gsize                 max_memory_bytes);
CapaThumbnailer *capa_thumbnailer_get_default          (void);

gsize            capa_thumbnailer_get_max_memory       (CapaThumbnailer      *self);
char            *capa_thumbnailer_get_thumbnail_path   (CapaThumbnailer      *self,
                                                        const char           *filename,
                                                        CapaThumbnailSize     size);
void             capa_thumbnailer_invalidate           (CapaThumbnailer      *self,
                                                        const char           *filename);
guint            capa_thumbnailer_reprioritize         (CapaThumbnailer      *self,
                                                        const char           *filename,
                                                        int                   priority);

void             capa_thumbnailer_load_async           (CapaThumbnailer      *self,
                                                        const char           *filename,
                                                        CapaThumbnailSize     size,
                                                        int                   priority,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GdkPixbuf       *capa_thumbnailer_load_finish          (CapaThumbnailer      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
GdkPixbuf       *capa_thumbnailer_load                 (CapaThumbnailer      *self,
                                                        const char           *filename,
                                                        CapaThumbnailSize     size,
                                                        GCancellable         *cancellable,
                                                        GError              **error);

G_END_DECLS
