/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include "capa-image.h"

struct _CapaImage
{
  GObject  parent_instance;

  /* construct-only */
  char    *filename;
};

G_DEFINE_FINAL_TYPE (CapaImage, capa_image, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILENAME,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_image_finalize (GObject *object)
{
  CapaImage *self = CAPA_IMAGE (object);

  g_clear_pointer (&self->filename, g_free);

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
