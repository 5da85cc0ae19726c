/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-enum-types.h"
#include "capa-filename-private.h"
#include "capa-image.h"
#include "capa-image-private.h"
#include "capa-testing-private.h"

/**
 * CapaImage:
 *
 * An image file, usually in a session folder, with its metadata and its
 * pixels.
 *
 * Nothing is read when the object is made. [method@Capa.Image.load_metadata_async]
 * reads the metadata (EXIF with exiv2, the pixel size and the embedded
 * ICC profile) on a worker thread and caches it; the getters and
 * properties then return the values, and their defaults (0, %NULL) until
 * then.
 *
 * [method@Capa.Image.load_pixbuf_async] decodes the pixels at the size they
 * will be shown at, upright: JPEG files are decoded at a reduced DCT
 * scale, RAW files through their embedded preview, and videos get a
 * placeholder frame.
 *
 * Any file may be hostile or broken, so only regular files are read: a
 * folder fails with `G_IO_ERROR_IS_DIRECTORY`, a FIFO, device or socket
 * with `G_IO_ERROR_NOT_REGULAR_FILE`, without blocking.  A file is read
 * up to the size it had when it was opened, and one larger than
 * %CAPA_IMAGE_MAX_FILE_SIZE fails with %CAPA_IMAGE_ERROR_TOO_LARGE.  The
 * EXIF is read by exiv2 in a helper process, so a file exiv2 crashes on
 * only fails with %CAPA_IMAGE_ERROR_CORRUPT.
 */

struct _CapaImage
{
  GObject   parent_instance;

  /* construct-only */
  char     *filename;

  /* main-thread state */
  CapaImageMetadata *metadata;        /* NULL until loaded */

  /* written by worker threads, atomically */
  int       last_scale_denom;
};

G_DEFINE_FINAL_TYPE (CapaImage, capa_image, G_TYPE_OBJECT)

G_DEFINE_QUARK (capa-image-error-quark, capa_image_error)

enum {
  PROP_0,
  PROP_FILENAME,
  PROP_METADATA_LOADED,
  PROP_ORIENTATION,
  PROP_CAPTURE_TIME,
  PROP_CAMERA_MODEL,
  PROP_LENS,
  PROP_EXPOSURE_TIME,
  PROP_F_NUMBER,
  PROP_ISO,
  PROP_FOCAL_LENGTH,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_MIME_TYPE,
  PROP_ICC_PROFILE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
prefix_error (GError     **error,
              const char  *filename)
{
  g_autofree char *basename = NULL;
  g_autofree char *display = NULL;

  if (error == NULL || *error == NULL ||
      g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  basename = g_path_get_basename (filename);
  display = g_filename_display_name (basename);
  /* Translators: the first %s is a file name, the second an explanation */
  g_prefix_error (error, _("Cannot read “%s”: "), display);
}

/* ---- main-thread state ---- */

static void
set_metadata (CapaImage *self,
              CapaImageMetadata  *metadata)
{
  g_autoptr(CapaImageMetadata) old = g_steal_pointer (&self->metadata);
  GObject *object = G_OBJECT (self);

  self->metadata = metadata;

  g_object_freeze_notify (object);

  if (old == NULL)
    {
      g_object_notify_by_pspec (object, properties[PROP_METADATA_LOADED]);
      old = g_new0 (CapaImageMetadata, 1);
      old->orientation = CAPA_IMAGE_ORIENTATION_NORMAL;
    }

  if (old->orientation != metadata->orientation)
    g_object_notify_by_pspec (object, properties[PROP_ORIENTATION]);
  if ((old->capture_time == NULL) != (metadata->capture_time == NULL) ||
      (old->capture_time && !g_date_time_equal (old->capture_time, metadata->capture_time)))
    g_object_notify_by_pspec (object, properties[PROP_CAPTURE_TIME]);
  if (g_strcmp0 (old->camera_model, metadata->camera_model) != 0)
    g_object_notify_by_pspec (object, properties[PROP_CAMERA_MODEL]);
  if (g_strcmp0 (old->lens, metadata->lens) != 0)
    g_object_notify_by_pspec (object, properties[PROP_LENS]);
  if (old->exposure_num != metadata->exposure_num || old->exposure_den != metadata->exposure_den)
    g_object_notify_by_pspec (object, properties[PROP_EXPOSURE_TIME]);
  if (old->f_number != metadata->f_number)
    g_object_notify_by_pspec (object, properties[PROP_F_NUMBER]);
  if (old->iso != metadata->iso)
    g_object_notify_by_pspec (object, properties[PROP_ISO]);
  if (old->focal_length != metadata->focal_length)
    g_object_notify_by_pspec (object, properties[PROP_FOCAL_LENGTH]);
  if (old->width != metadata->width)
    g_object_notify_by_pspec (object, properties[PROP_WIDTH]);
  if (old->height != metadata->height)
    g_object_notify_by_pspec (object, properties[PROP_HEIGHT]);
  if (g_strcmp0 (old->mime_type, metadata->mime_type) != 0)
    g_object_notify_by_pspec (object, properties[PROP_MIME_TYPE]);
  if ((old->icc_profile == NULL) != (metadata->icc_profile == NULL) ||
      (old->icc_profile && !g_bytes_equal (old->icc_profile, metadata->icc_profile)))
    g_object_notify_by_pspec (object, properties[PROP_ICC_PROFILE]);

  g_object_thaw_notify (object);
}

static void
capa_image_finalize (GObject *object)
{
  CapaImage *self = CAPA_IMAGE (object);

  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->metadata, _capa_image_metadata_free);

  G_OBJECT_CLASS (capa_image_parent_class)->finalize (object);
}

static void
capa_image_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CapaImage *self = CAPA_IMAGE (object);

  switch (prop_id)
    {
    case PROP_FILENAME:
      g_value_set_string (value, self->filename);
      break;

    case PROP_METADATA_LOADED:
      g_value_set_boolean (value, capa_image_get_metadata_loaded (self));
      break;

    case PROP_ORIENTATION:
      g_value_set_enum (value, capa_image_get_orientation (self));
      break;

    case PROP_CAPTURE_TIME:
      g_value_set_boxed (value, capa_image_get_capture_time (self));
      break;

    case PROP_CAMERA_MODEL:
      g_value_set_string (value, capa_image_get_camera_model (self));
      break;

    case PROP_LENS:
      g_value_set_string (value, capa_image_get_lens (self));
      break;

    case PROP_EXPOSURE_TIME:
      g_value_set_double (value, capa_image_get_exposure_time (self));
      break;

    case PROP_F_NUMBER:
      g_value_set_double (value, capa_image_get_f_number (self));
      break;

    case PROP_ISO:
      g_value_set_int (value, capa_image_get_iso (self));
      break;

    case PROP_FOCAL_LENGTH:
      g_value_set_double (value, capa_image_get_focal_length (self));
      break;

    case PROP_WIDTH:
      g_value_set_int (value, capa_image_get_width (self));
      break;

    case PROP_HEIGHT:
      g_value_set_int (value, capa_image_get_height (self));
      break;

    case PROP_MIME_TYPE:
      g_value_set_string (value, capa_image_get_mime_type (self));
      break;

    case PROP_ICC_PROFILE:
      g_value_set_boxed (value, capa_image_get_icc_profile (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_image_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CapaImage *self = CAPA_IMAGE (object);

  switch (prop_id)
    {
    case PROP_FILENAME:
      self->filename = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_image_class_init (CapaImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_image_finalize;
  object_class->get_property = capa_image_get_property;
  object_class->set_property = capa_image_set_property;

  /**
   * CapaImage:filename: (type filename)
   *
   * The full path of the image file.
   */
  properties[PROP_FILENAME] =
    g_param_spec_string ("filename", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:metadata-loaded:
   *
   * Whether the metadata has been read; the other properties hold their
   * defaults until then.
   */
  properties[PROP_METADATA_LOADED] =
    g_param_spec_boolean ("metadata-loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:orientation:
   *
   * How the stored pixels must be turned to be shown upright (EXIF
   * `Orientation`).
   */
  properties[PROP_ORIENTATION] =
    g_param_spec_enum ("orientation", NULL, NULL,
                       CAPA_TYPE_IMAGE_ORIENTATION,
                       CAPA_IMAGE_ORIENTATION_NORMAL,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:capture-time:
   *
   * When the picture was taken: EXIF `DateTimeOriginal` with its
   * sub-seconds and time-zone offset (or, failing it, `DateTime` with
   * its own), in the local time zone when no offset is given; the time
   * the file was last modified when the file has none. A
   * [class@Capa.Session] sorts its images by the same time.
   */
  properties[PROP_CAPTURE_TIME] =
    g_param_spec_boxed ("capture-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:camera-model:
   *
   * The model of the camera that took the picture, such as "NIKON D750".
   */
  properties[PROP_CAMERA_MODEL] =
    g_param_spec_string ("camera-model", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:lens:
   *
   * The lens the picture was taken with, when the file says.
   */
  properties[PROP_LENS] =
    g_param_spec_string ("lens", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:exposure-time:
   *
   * The exposure time in seconds, or 0 when unknown.
   */
  properties[PROP_EXPOSURE_TIME] =
    g_param_spec_double ("exposure-time", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:f-number:
   *
   * The aperture as an f-number (5.6 for f/5.6), or 0 when unknown.
   */
  properties[PROP_F_NUMBER] =
    g_param_spec_double ("f-number", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:iso:
   *
   * The ISO sensitivity, or 0 when unknown.
   */
  properties[PROP_ISO] =
    g_param_spec_int ("iso", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:focal-length:
   *
   * The focal length in millimetres, or 0 when unknown.
   */
  properties[PROP_FOCAL_LENGTH] =
    g_param_spec_double ("focal-length", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:width:
   *
   * The width of the stored image in pixels, before
   * [property@Capa.Image:orientation] is applied; 0 until known. For a
   * RAW file, the size of the developed sensor image.
   */
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:height:
   *
   * The height of the stored image in pixels, before
   * [property@Capa.Image:orientation] is applied; 0 until known.
   */
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:mime-type:
   *
   * The MIME type of the file, such as "image/jpeg".
   */
  properties[PROP_MIME_TYPE] =
    g_param_spec_string ("mime-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaImage:icc-profile:
   *
   * The ICC profile embedded in the file, or %NULL when the image is
   * untagged (and so to be taken as sRGB).
   */
  properties[PROP_ICC_PROFILE] =
    g_param_spec_boxed ("icc-profile", NULL, NULL,
                        G_TYPE_BYTES,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_image_init (CapaImage *self)
{
}

/**
 * capa_image_new:
 * @filename: (type filename): the full path of an image file
 *
 * Creates an image for @filename. Nothing is read until metadata or
 * pixels are asked for.
 *
 * Returns: (transfer full): a new #CapaImage
 */
CapaImage *
capa_image_new (const char *filename)
{
  g_return_val_if_fail (filename != NULL, NULL);

  return g_object_new (CAPA_TYPE_IMAGE,
                       "filename", filename,
                       NULL);
}

/**
 * capa_image_get_filename:
 * @self: a #CapaImage
 *
 * Returns: (transfer none) (type filename): the full path of the image
 */
const char *
capa_image_get_filename (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);

  return self->filename;
}

/**
 * capa_image_is_video:
 * @self: a #CapaImage
 *
 * Tells, from its file name alone, whether the file is a video (MP4,
 * MOV, AVI, MTS...). Videos have no pixels to decode:
 * [method@Capa.Image.load_pixbuf_async] gives a placeholder frame.
 *
 * Returns: whether the file is a video
 */
gboolean
capa_image_is_video (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), FALSE);

  return _capa_filename_is_video (self->filename);
}

/**
 * capa_image_load_metadata:
 * @self: a #CapaImage
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the metadata of the file, blocking; for scripts and worker
 * threads. See [method@Capa.Image.load_metadata_async]. Property change
 * notifications are emitted in the calling thread.
 *
 * Returns: %TRUE on success, %FALSE with @error set otherwise
 */
gboolean
capa_image_load_metadata (CapaImage     *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  CapaImageMetadata *metadata;

  g_return_val_if_fail (CAPA_IS_IMAGE (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->metadata != NULL)
    return TRUE;

  metadata = _capa_image_metadata_read (self->filename, cancellable, error);
  if (metadata == NULL)
    {
      prefix_error (error, self->filename);
      return FALSE;
    }

  set_metadata (self, metadata);

  return TRUE;
}

static void
load_metadata_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *filename = task_data;
  GError *error = NULL;
  CapaImageMetadata *metadata;

  metadata = _capa_image_metadata_read (filename, cancellable, &error);
  if (metadata == NULL)
    {
      prefix_error (&error, filename);
      g_task_return_error (task, error);
    }
  else
    {
      g_task_return_pointer (task, metadata, (GDestroyNotify) _capa_image_metadata_free);
    }
}

static void
on_metadata_read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CapaImage *self = CAPA_IMAGE (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  CapaImageMetadata *metadata;

  metadata = g_task_propagate_pointer (G_TASK (result), &error);
  if (metadata == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->metadata == NULL)
    set_metadata (self, metadata);
  else
    _capa_image_metadata_free (metadata);

  g_task_return_boolean (task, TRUE);
}

/**
 * capa_image_load_metadata_async:
 * @self: a #CapaImage
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the metadata has been read
 * @user_data: data for @callback
 *
 * Reads the metadata of the file on a worker thread: EXIF (with exiv2, in
 * a helper process), the pixel size and the embedded ICC profile. The
 * values are cached: once read, this completes at once. The properties are updated, and
 * notified, in the thread-default main context of the caller, before
 * @callback runs.
 *
 * A zero-byte, truncated, damaged or unknown file gives an error in the
 * %CAPA_IMAGE_ERROR domain.
 */
void
capa_image_load_metadata_async (CapaImage           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (CAPA_IS_IMAGE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_image_load_metadata_async);

  if (self->metadata != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  worker = g_task_new (self, cancellable, on_metadata_read_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, load_metadata_thread);
  g_task_set_task_data (worker, g_strdup (self->filename), g_free);
  g_task_run_in_thread (worker, load_metadata_thread);
}

/**
 * capa_image_load_metadata_finish:
 * @self: a #CapaImage
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Image.load_metadata_async].
 *
 * Returns: %TRUE when the metadata was read, %FALSE with @error set
 *   otherwise
 */
gboolean
capa_image_load_metadata_finish (CapaImage     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == capa_image_load_metadata_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * capa_image_get_metadata_loaded:
 * @self: a #CapaImage
 *
 * Returns: whether the metadata has been read
 */
gboolean
capa_image_get_metadata_loaded (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), FALSE);

  return self->metadata != NULL;
}

/**
 * capa_image_get_orientation:
 * @self: a #CapaImage
 *
 * Returns: how the stored pixels must be turned to be shown upright;
 *   %CAPA_IMAGE_ORIENTATION_NORMAL until the metadata is loaded
 */
CapaImageOrientation
capa_image_get_orientation (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), CAPA_IMAGE_ORIENTATION_NORMAL);

  return self->metadata ? self->metadata->orientation : CAPA_IMAGE_ORIENTATION_NORMAL;
}

/**
 * capa_image_get_capture_time:
 * @self: a #CapaImage
 *
 * Returns: (transfer none) (nullable): when the picture was taken (see
 *   [property@Capa.Image:capture-time]), or %NULL until the metadata is
 *   loaded
 */
GDateTime *
capa_image_get_capture_time (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);

  return self->metadata ? self->metadata->capture_time : NULL;
}

/**
 * capa_image_get_camera_model:
 * @self: a #CapaImage
 *
 * Returns: (transfer none) (nullable): the camera model, or %NULL when
 *   unknown
 */
const char *
capa_image_get_camera_model (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);

  return self->metadata ? self->metadata->camera_model : NULL;
}

/**
 * capa_image_get_lens:
 * @self: a #CapaImage
 *
 * Returns: (transfer none) (nullable): the lens model, or %NULL when
 *   unknown
 */
const char *
capa_image_get_lens (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);

  return self->metadata ? self->metadata->lens : NULL;
}

/**
 * capa_image_get_exposure_time:
 * @self: a #CapaImage
 *
 * Returns: the exposure time in seconds, or 0 when unknown
 */
double
capa_image_get_exposure_time (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), 0.0);

  if (self->metadata == NULL || self->metadata->exposure_den == 0)
    return 0.0;

  return (double) self->metadata->exposure_num / self->metadata->exposure_den;
}

/**
 * capa_image_dup_exposure_time_string:
 * @self: a #CapaImage
 *
 * Formats the exposure time the way cameras show it: "1/250 s" for
 * fractions of a second, "0.4 s", "2 s" or "30 s" otherwise.
 *
 * Returns: (transfer full) (nullable): the formatted exposure time, or
 *   %NULL when unknown
 */
char *
capa_image_dup_exposure_time_string (CapaImage *self)
{
  double seconds;
  double inverse;

  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);

  seconds = capa_image_get_exposure_time (self);
  if (seconds <= 0.0)
    return NULL;

  inverse = 1.0 / seconds;
  if (seconds < 1.0 && (seconds < 0.3 || fabs (inverse - round (inverse)) < 0.02 * inverse))
    /* Translators: an exposure time in fractions of a second, such as "1/250 s" */
    return g_strdup_printf (_("1/%.0f s"), round (inverse));

  if (seconds < 10.0 && fabs (seconds - round (seconds)) > 0.05)
    /* Translators: an exposure time in seconds, such as "0.4 s" or "2.5 s" */
    return g_strdup_printf (_("%.1f s"), seconds);

  /* Translators: an exposure time in whole seconds, such as "2 s" or "30 s" */
  return g_strdup_printf (_("%.0f s"), round (seconds));
}

/**
 * capa_image_get_f_number:
 * @self: a #CapaImage
 *
 * Returns: the aperture as an f-number, or 0 when unknown
 */
double
capa_image_get_f_number (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), 0.0);

  return self->metadata ? self->metadata->f_number : 0.0;
}

/**
 * capa_image_get_iso:
 * @self: a #CapaImage
 *
 * Returns: the ISO sensitivity, or 0 when unknown
 */
int
capa_image_get_iso (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), 0);

  return self->metadata ? self->metadata->iso : 0;
}

/**
 * capa_image_get_focal_length:
 * @self: a #CapaImage
 *
 * Returns: the focal length in millimetres, or 0 when unknown
 */
double
capa_image_get_focal_length (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), 0.0);

  return self->metadata ? self->metadata->focal_length : 0.0;
}

/**
 * capa_image_get_width:
 * @self: a #CapaImage
 *
 * Returns: the width of the stored image in pixels (see
 *   [property@Capa.Image:width]), or 0 until known
 */
int
capa_image_get_width (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), 0);

  return self->metadata ? self->metadata->width : 0;
}

/**
 * capa_image_get_height:
 * @self: a #CapaImage
 *
 * Returns: the height of the stored image in pixels, or 0 until known
 */
int
capa_image_get_height (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), 0);

  return self->metadata ? self->metadata->height : 0;
}

/**
 * capa_image_get_mime_type:
 * @self: a #CapaImage
 *
 * Returns: (transfer none) (nullable): the MIME type of the file, or
 *   %NULL until the metadata is loaded
 */
const char *
capa_image_get_mime_type (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);

  return self->metadata ? self->metadata->mime_type : NULL;
}

/**
 * capa_image_get_icc_profile:
 * @self: a #CapaImage
 *
 * Gets the ICC profile embedded in the file: JPEG APP2 `ICC_PROFILE`
 * segments (reassembled in sequence order), a PNG `iCCP` chunk, or the
 * TIFF `InterColorProfile` tag (TIFF and TIFF-based RAW files).
 *
 * Returns: (transfer none) (nullable): the profile data, or %NULL when
 *   the image is untagged or the metadata is not loaded yet
 */
GBytes *
capa_image_get_icc_profile (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);

  return self->metadata ? self->metadata->icc_profile : NULL;
}

/**
 * capa_image_get_colour_profile:
 * @self: a #CapaImage
 * @error: return location for a #GError
 *
 * Gets the colour profile the pixels of [method@Capa.Image.load_pixbuf_async]
 * are in: the embedded ICC profile, or sRGB when the image is untagged.
 * The pixbufs are always RGB, so an embedded profile of another colour
 * space (the CMYK profile of a CMYK JPEG, a grey profile) is not applied
 * and sRGB is given instead. The metadata must have been loaded.
 *
 * The profile is parsed along with the metadata, on the thread that loads
 * it (a worker thread for [method@Capa.Image.load_metadata_async]), so
 * this call does no work of its own and returns the same object each time.
 *
 * Returns: (transfer none): the colour profile of the image, or %NULL
 *   with @error set (in the %CAPA_COLOUR_ERROR domain) when the embedded
 *   profile is damaged
 */
CapaColourProfile *
capa_image_get_colour_profile (CapaImage  *self,
                               GError    **error)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);
  g_return_val_if_fail (self->metadata != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->metadata->colour_profile == NULL)
    {
      g_assert (self->metadata->colour_error != NULL);
      g_propagate_error (error, g_error_copy (self->metadata->colour_error));
      return NULL;
    }

  return self->metadata->colour_profile;
}

/* ---- pixels ---- */

typedef struct
{
  char *filename;
  int   max_width;
  int   max_height;
} LoadPixbufData;

static void
load_pixbuf_data_free (LoadPixbufData *data)
{
  g_free (data->filename);
  g_free (data);
}

static GdkPixbuf *
load_pixbuf_checked (CapaImage     *self,
                     const char    *filename,
                     int            max_width,
                     int            max_height,
                     gboolean      *incomplete,
                     GCancellable  *cancellable,
                     GError       **error)
{
  GdkPixbuf *pixbuf;
  int scale_denom = 0;

  pixbuf = _capa_image_load_file_pixbuf (filename, max_width, max_height, &scale_denom,
                                         incomplete, cancellable, error);
  g_atomic_int_set (&self->last_scale_denom, scale_denom);

  if (pixbuf == NULL)
    prefix_error (error, filename);

  return pixbuf;
}

static GdkPixbuf *
load_pixbuf (CapaImage     *self,
             const char    *filename,
             int            max_width,
             int            max_height,
             GCancellable  *cancellable,
             GError       **error)
{
  return load_pixbuf_checked (self, filename, max_width, max_height, NULL, cancellable, error);
}

GdkPixbuf *
_capa_image_load_pixbuf_checked (CapaImage     *self,
                                 int            max_width,
                                 int            max_height,
                                 gboolean      *incomplete,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_assert (CAPA_IS_IMAGE (self));

  return load_pixbuf_checked (self, self->filename, max_width, max_height, incomplete,
                              cancellable, error);
}

static void
load_pixbuf_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  LoadPixbufData *data = task_data;
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = load_pixbuf (source_object, data->filename, data->max_width, data->max_height,
                        cancellable, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

/**
 * capa_image_load_pixbuf:
 * @self: a #CapaImage
 * @max_width: the largest width wanted, or -1 for no limit
 * @max_height: the largest height wanted, or -1 for no limit
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Decodes the image, blocking; for scripts and worker threads. See
 * [method@Capa.Image.load_pixbuf_async].
 *
 * Returns: (transfer full): the upright image, fitted to the box, or
 *   %NULL with @error set
 */
GdkPixbuf *
capa_image_load_pixbuf (CapaImage     *self,
                        int            max_width,
                        int            max_height,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);
  g_return_val_if_fail (max_width == -1 || max_width > 0, NULL);
  g_return_val_if_fail (max_height == -1 || max_height > 0, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_pixbuf (self, self->filename, max_width, max_height, cancellable, error);
}

/**
 * capa_image_load_pixbuf_async:
 * @self: a #CapaImage
 * @max_width: the largest width wanted, or -1 for no limit
 * @max_height: the largest height wanted, or -1 for no limit
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the image has been decoded
 * @user_data: data for @callback
 *
 * Decodes the image on a worker thread into a pixbuf no larger than
 * @max_width × @max_height, keeping its aspect ratio (images smaller than
 * the box are not enlarged), with its orientation applied so that it is
 * upright.
 *
 * JPEG files are decoded by libjpeg at the smallest DCT scale (1/8, 1/4,
 * 1/2) that still covers the box, then scaled (bilinear) to fit exactly,
 * so a large photo shown on a screen is never decoded at full size. RAW
 * files give their embedded preview when it is large enough (at least the
 * box, or 1024 pixels on its longer side), else a half-size decode of the
 * sensor data. Other formats go through GdkPixbuf. Videos give a grey
 * 16:9 placeholder frame with a "play" triangle.
 *
 * The pixels are not colour managed: transform them from
 * [method@Capa.Image.get_icc_profile] (sRGB when %NULL) to the screen's
 * profile.
 */
void
capa_image_load_pixbuf_async (CapaImage           *self,
                              int                  max_width,
                              int                  max_height,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadPixbufData *data;

  g_return_if_fail (CAPA_IS_IMAGE (self));
  g_return_if_fail (max_width == -1 || max_width > 0);
  g_return_if_fail (max_height == -1 || max_height > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LoadPixbufData, 1);
  data->filename = g_strdup (self->filename);
  data->max_width = max_width;
  data->max_height = max_height;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_image_load_pixbuf_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_pixbuf_data_free);
  g_task_run_in_thread (task, load_pixbuf_thread);
}

/**
 * capa_image_load_pixbuf_finish:
 * @self: a #CapaImage
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Image.load_pixbuf_async].
 *
 * Returns: (transfer full): the upright image, fitted to the box, or
 *   %NULL with @error set (%G_IO_ERROR_CANCELLED when cancelled)
 */
GdkPixbuf *
capa_image_load_pixbuf_finish (CapaImage     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == capa_image_load_pixbuf_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Testing API (capa-testing-private.h). */
int
_capa_testing_image_get_last_scale_denom (CapaImage *self)
{
  g_return_val_if_fail (CAPA_IS_IMAGE (self), 0);

  return g_atomic_int_get (&self->last_scale_denom);
}
