/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <string.h>

#include "capa-camera-file.h"
#include "capa-camera-private.h"

/**
 * CapaCameraFile:
 *
 * A file on a camera's memory card, or one received from it.
 *
 * A file returned by [method@Capa.Camera.capture_image] only names the
 * file on the card (its folder and name); [method@Capa.Camera.download_file]
 * fills in its data. A live-view frame from [method@Capa.Camera.preview_image]
 * carries its data from the start.
 *
 * A camera file is used from one thread at a time.
 */
struct _CapaCameraFile
{
  GObject  parent_instance;

  /* construct-only */
  char    *folder;
  char    *name;

  /* owned */
  char    *mime_type;
  GBytes  *data;
  guint64  size;
  char    *shot_key;   /* set by the camera when the name does not say it */
};

G_DEFINE_FINAL_TYPE (CapaCameraFile, capa_camera_file, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_NAME,
  PROP_MIME_TYPE,
  PROP_SIZE,
  PROP_DATA,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_camera_file_finalize (GObject *object)
{
  CapaCameraFile *self = CAPA_CAMERA_FILE (object);

  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->mime_type, g_free);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->shot_key, g_free);

  G_OBJECT_CLASS (capa_camera_file_parent_class)->finalize (object);
}

static void
capa_camera_file_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CapaCameraFile *self = CAPA_CAMERA_FILE (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_MIME_TYPE:
      g_value_set_string (value, self->mime_type);
      break;

    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;

    case PROP_DATA:
      g_value_set_boxed (value, self->data);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_file_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CapaCameraFile *self = CAPA_CAMERA_FILE (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      self->folder = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_MIME_TYPE:
      capa_camera_file_set_mime_type (self, g_value_get_string (value));
      break;

    case PROP_SIZE:
      capa_camera_file_set_size (self, g_value_get_uint64 (value));
      break;

    case PROP_DATA:
      capa_camera_file_set_data (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_file_class_init (CapaCameraFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_camera_file_finalize;
  object_class->get_property = capa_camera_file_get_property;
  object_class->set_property = capa_camera_file_set_property;

  /**
   * CapaCameraFile:folder:
   *
   * The folder on the camera holding the file, such as "/store_00010001/DCIM/100NIKON".
   */
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL,
                         "/",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCameraFile:name:
   *
   * The file name on the camera, such as "DSC_0001.JPG".
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCameraFile:mime-type:
   *
   * The MIME type of the file, such as "image/jpeg", if known.
   */
  properties[PROP_MIME_TYPE] =
    g_param_spec_string ("mime-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCameraFile:size:
   *
   * The size of the file in bytes: the size of its data once downloaded,
   * else the size the camera announced (0 when unknown).
   */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCameraFile:data:
   *
   * The contents of the file, or %NULL until it is downloaded.
   */
  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL,
                        G_TYPE_BYTES,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_camera_file_init (CapaCameraFile *self)
{
}

/**
 * capa_camera_file_new:
 * @folder: the folder on the camera, such as "/store_00010001/DCIM/100NIKON"
 * @name: the file name on the camera
 *
 * Creates a file object naming a file on a camera. It holds no data yet.
 *
 * Returns: (transfer full): a new #CapaCameraFile
 */
CapaCameraFile *
capa_camera_file_new (const char *folder,
                      const char *name)
{
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (CAPA_TYPE_CAMERA_FILE,
                       "folder", folder,
                       "name", name,
                       NULL);
}

/*
 * _capa_camera_file_set_shot_key:
 * @key: what the files of the file's shot share
 *
 * Set by the camera (worker thread) before the file is shared: for names
 * that do not say which shot the file is of (capa-camera-shot.c).
 */
void
_capa_camera_file_set_shot_key (CapaCameraFile *self,
                                const char     *key)
{
  g_return_if_fail (CAPA_IS_CAMERA_FILE (self));

  g_free (self->shot_key);
  self->shot_key = g_strdup (key);
}

/*
 * _capa_camera_file_dup_shot_key:
 *
 * What the files of one shot share: "folder/stem" (DSC_0042.NEF and
 * DSC_0042.JPG), unless the camera said otherwise.
 */
char *
_capa_camera_file_dup_shot_key (CapaCameraFile *self)
{
  const char *dot;

  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (self), NULL);

  if (self->shot_key != NULL)
    return g_strdup (self->shot_key);

  dot = self->name != NULL ? strrchr (self->name, '.') : NULL;
  if (dot == NULL)
    return g_strconcat (self->folder, "/", self->name, NULL);
  return g_strdup_printf ("%s/%.*s", self->folder, (int) (dot - self->name), self->name);
}

/**
 * capa_camera_file_get_folder:
 * @self: a #CapaCameraFile
 *
 * Gets the folder on the camera.
 *
 * Returns: (transfer none): the folder on the camera
 */
const char *
capa_camera_file_get_folder (CapaCameraFile *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (self), NULL);

  return self->folder;
}

/**
 * capa_camera_file_get_name:
 * @self: a #CapaCameraFile
 *
 * Gets the file name on the camera.
 *
 * Returns: (transfer none): the file name on the camera
 */
const char *
capa_camera_file_get_name (CapaCameraFile *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (self), NULL);

  return self->name;
}

/**
 * capa_camera_file_dup_path:
 * @self: a #CapaCameraFile
 *
 * Joins the folder and the name into a path, such as
 * "/store_00010001/DCIM/100NIKON/DSC_0001.JPG".
 *
 * Returns: (transfer full): the folder and name joined, such as
 *   "/store_00010001/DCIM/100NIKON/DSC_0001.JPG"
 */
char *
capa_camera_file_dup_path (CapaCameraFile *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (self), NULL);

  if (g_str_has_suffix (self->folder, "/"))
    return g_strconcat (self->folder, self->name, NULL);
  return g_strconcat (self->folder, "/", self->name, NULL);
}

/**
 * capa_camera_file_get_mime_type:
 * @self: a #CapaCameraFile
 *
 * Gets the MIME type, if known.
 *
 * Returns: (transfer none) (nullable): the MIME type, if known
 */
const char *
capa_camera_file_get_mime_type (CapaCameraFile *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (self), NULL);

  return self->mime_type;
}

/**
 * capa_camera_file_set_mime_type:
 * @self: a #CapaCameraFile
 * @mime_type: (nullable): the MIME type
 *
 * Sets the MIME type of the file.
 */
void
capa_camera_file_set_mime_type (CapaCameraFile *self,
                                const char     *mime_type)
{
  g_return_if_fail (CAPA_IS_CAMERA_FILE (self));

  if (g_strcmp0 (self->mime_type, mime_type) == 0)
    return;

  g_free (self->mime_type);
  self->mime_type = g_strdup (mime_type);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIME_TYPE]);
}

/**
 * capa_camera_file_get_size:
 * @self: a #CapaCameraFile
 *
 * Gets the size in bytes, 0 when unknown.
 *
 * Returns: the size in bytes, 0 when unknown
 */
guint64
capa_camera_file_get_size (CapaCameraFile *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (self), 0);

  return self->size;
}

/**
 * capa_camera_file_set_size:
 * @self: a #CapaCameraFile
 * @size: the size in bytes
 *
 * Sets the size the camera announced for the file.
 */
void
capa_camera_file_set_size (CapaCameraFile *self,
                           guint64         size)
{
  g_return_if_fail (CAPA_IS_CAMERA_FILE (self));

  if (self->size == size)
    return;

  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

/**
 * capa_camera_file_get_data:
 * @self: a #CapaCameraFile
 *
 * Gets the contents, or %NULL when not downloaded.
 *
 * Returns: (transfer none) (nullable): the contents, or %NULL when not downloaded
 */
GBytes *
capa_camera_file_get_data (CapaCameraFile *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_FILE (self), NULL);

  return self->data;
}

/**
 * capa_camera_file_set_data:
 * @self: a #CapaCameraFile
 * @data: (nullable): the contents of the file
 *
 * Sets the contents of the file; the size follows.
 */
void
capa_camera_file_set_data (CapaCameraFile *self,
                           GBytes         *data)
{
  g_return_if_fail (CAPA_IS_CAMERA_FILE (self));

  if (self->data == data)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  g_clear_pointer (&self->data, g_bytes_unref);
  if (data != NULL)
    {
      self->data = g_bytes_ref (data);
      capa_camera_file_set_size (self, g_bytes_get_size (data));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
  g_object_thaw_notify (G_OBJECT (self));
}
