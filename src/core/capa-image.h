/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "capa-colour-profile.h"

G_BEGIN_DECLS

/**
 * CAPA_IMAGE_ERROR:
 *
 * The error domain of [class@Capa.Image]. Errors in this domain are from
 * the [enum@Capa.ImageError] enumeration.
 */
#define CAPA_IMAGE_ERROR (capa_image_error_quark ())

/**
 * CapaImageError:
 * @CAPA_IMAGE_ERROR_FAILED: any other failure
 * @CAPA_IMAGE_ERROR_EMPTY: the file is empty (zero bytes)
 * @CAPA_IMAGE_ERROR_UNKNOWN_FORMAT: the file is not in an image format Capa can read
 * @CAPA_IMAGE_ERROR_CORRUPT: the file is damaged or truncated
 * @CAPA_IMAGE_ERROR_TOO_LARGE: the file is larger than %CAPA_IMAGE_MAX_FILE_SIZE
 *
 * Errors raised while reading an image file. Errors of the file system
 * (a missing file, no permission) are reported in the `G_IO_ERROR` domain,
 * and a cancelled operation gives `G_IO_ERROR_CANCELLED`.  Only regular
 * files are read: a folder gives `G_IO_ERROR_IS_DIRECTORY`, and a device,
 * a pipe (FIFO) or a socket `G_IO_ERROR_NOT_REGULAR_FILE`.
 */
typedef enum {
  CAPA_IMAGE_ERROR_FAILED,
  CAPA_IMAGE_ERROR_EMPTY,
  CAPA_IMAGE_ERROR_UNKNOWN_FORMAT,
  CAPA_IMAGE_ERROR_CORRUPT,
  CAPA_IMAGE_ERROR_TOO_LARGE,
} CapaImageError;

/**
 * CAPA_IMAGE_MAX_FILE_SIZE:
 *
 * The largest file, in bytes, that [class@Capa.Image] reads (1 GiB): a
 * larger one fails with %CAPA_IMAGE_ERROR_TOO_LARGE.  No camera writes
 * a photograph that big, and the bound keeps a hostile or broken file
 * from exhausting memory.
 *
 * Whatever its size, a file is read only up to the size it had when it
 * was opened: one that grows while it is read is read as it was then.
 */
#define CAPA_IMAGE_MAX_FILE_SIZE (1073741824)

/**
 * CapaImageOrientation:
 * @CAPA_IMAGE_ORIENTATION_NORMAL: the stored pixels are shown as they are
 * @CAPA_IMAGE_ORIENTATION_FLIP_HORIZONTAL: mirrored left to right
 * @CAPA_IMAGE_ORIENTATION_ROTATE_180: turned by 180°
 * @CAPA_IMAGE_ORIENTATION_FLIP_VERTICAL: mirrored top to bottom
 * @CAPA_IMAGE_ORIENTATION_TRANSPOSE: mirrored across the top-left to
 *   bottom-right diagonal (the first stored row is the left column)
 * @CAPA_IMAGE_ORIENTATION_ROTATE_90: to be turned by 90° clockwise to be
 *   shown upright
 * @CAPA_IMAGE_ORIENTATION_TRANSVERSE: mirrored across the top-right to
 *   bottom-left diagonal
 * @CAPA_IMAGE_ORIENTATION_ROTATE_270: to be turned by 90° counter-clockwise
 *   (270° clockwise) to be shown upright
 *
 * How the stored pixels of an image must be turned or mirrored to be shown
 * upright. The values are those of the EXIF `Orientation` tag (1 to 8).
 */
typedef enum {
  CAPA_IMAGE_ORIENTATION_NORMAL = 1,
  CAPA_IMAGE_ORIENTATION_FLIP_HORIZONTAL = 2,
  CAPA_IMAGE_ORIENTATION_ROTATE_180 = 3,
  CAPA_IMAGE_ORIENTATION_FLIP_VERTICAL = 4,
  CAPA_IMAGE_ORIENTATION_TRANSPOSE = 5,
  CAPA_IMAGE_ORIENTATION_ROTATE_90 = 6,
  CAPA_IMAGE_ORIENTATION_TRANSVERSE = 7,
  CAPA_IMAGE_ORIENTATION_ROTATE_270 = 8,
} CapaImageOrientation;

#define CAPA_TYPE_IMAGE (capa_image_get_type ())

G_DECLARE_FINAL_TYPE (CapaImage, capa_image, CAPA, IMAGE, GObject)

GQuark                capa_image_error_quark              (void);

CapaImage            *capa_image_new                      (const char           *filename);
const char           *capa_image_get_filename             (CapaImage            *self);
gboolean              capa_image_is_video                 (CapaImage            *self);

gboolean              capa_image_load_metadata            (CapaImage            *self,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
void                  capa_image_load_metadata_async      (CapaImage            *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean              capa_image_load_metadata_finish     (CapaImage            *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
gboolean              capa_image_get_metadata_loaded      (CapaImage            *self);

CapaImageOrientation  capa_image_get_orientation          (CapaImage            *self);
GDateTime            *capa_image_get_capture_time         (CapaImage            *self);
const char           *capa_image_get_camera_model         (CapaImage            *self);
const char           *capa_image_get_lens                 (CapaImage            *self);
double                capa_image_get_exposure_time        (CapaImage            *self);
char                 *capa_image_dup_exposure_time_string (CapaImage            *self);
double                capa_image_get_f_number             (CapaImage            *self);
int                   capa_image_get_iso                  (CapaImage            *self);
double                capa_image_get_focal_length         (CapaImage            *self);
int                   capa_image_get_width                (CapaImage            *self);
int                   capa_image_get_height               (CapaImage            *self);
const char           *capa_image_get_mime_type            (CapaImage            *self);
GBytes               *capa_image_get_icc_profile          (CapaImage            *self);
CapaColourProfile    *capa_image_get_colour_profile       (CapaImage            *self,
                                                           GError              **error);

GdkPixbuf            *capa_image_load_pixbuf              (CapaImage            *self,
                                                           int                   max_width,
                                                           int                   max_height,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
void                  capa_image_load_pixbuf_async        (CapaImage            *self,
                                                           int                   max_width,
                                                           int                   max_height,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GdkPixbuf            *capa_image_load_pixbuf_finish       (CapaImage            *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

GdkPixbuf            *capa_image_load_preview             (CapaImage            *self,
                                                           int                   max_width,
                                                           int                   max_height,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
void                  capa_image_load_preview_async       (CapaImage            *self,
                                                           int                   max_width,
                                                           int                   max_height,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GdkPixbuf            *capa_image_load_preview_finish      (CapaImage            *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
