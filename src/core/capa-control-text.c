/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include "capa-control-private.h"

/**
 * CapaControlText:
 *
 * A free-text camera setting, such as the artist or copyright string.
 */
struct _CapaControlText
{
  CapaControl  parent_instance;

  char        *value;
};

G_DEFINE_FINAL_TYPE (CapaControlText, capa_control_text, CAPA_TYPE_CONTROL)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_control_text_finalize (GObject *object)
{
  CapaControlText *self = CAPA_CONTROL_TEXT (object);

  g_clear_pointer (&self->value, g_free);

  G_OBJECT_CLASS (capa_control_text_parent_class)->finalize (object);
}

static void
capa_control_text_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CapaControlText *self = CAPA_CONTROL_TEXT (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_text_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CapaControlText *self = CAPA_CONTROL_TEXT (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      capa_control_text_set_value (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_text_class_init (CapaControlTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_control_text_finalize;
  object_class->get_property = capa_control_text_get_property;
  object_class->set_property = capa_control_text_set_property;

  /**
   * CapaControlText:value:
   *
   * The current text. Setting it marks the control dirty.
   */
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_control_text_init (CapaControlText *self)
{
}

void
_capa_control_text_update (CapaControlText *self,
                           const char      *value)
{
  g_assert (CAPA_IS_CONTROL_TEXT (self));

  if (!_capa_control_accepts_update (CAPA_CONTROL (self)) ||
      g_strcmp0 (self->value, value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);
  _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                               CAPA_CONTROL_CHANGE_CAMERA);
}

/**
 * capa_control_text_get_value:
 * @self: a #CapaControlText
 *
 * Gets the current text.
 *
 * Returns: (transfer none) (nullable): the current text
 */
const char *
capa_control_text_get_value (CapaControlText *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_TEXT (self), NULL);

  return self->value;
}

/**
 * capa_control_text_set_value:
 * @self: a #CapaControlText
 * @value: the new text
 *
 * Changes the text and marks the control dirty; the camera gets it with
 * [method@Capa.Camera.save_controls]. Setting the same text again still
 * marks it dirty, since some texts are commands the camera acts on.
 */
void
capa_control_text_set_value (CapaControlText *self,
                             const char      *value)
{
  g_return_if_fail (CAPA_IS_CONTROL_TEXT (self));
  g_return_if_fail (value != NULL);

  if (!_capa_control_begin_change (CAPA_CONTROL (self), G_STRFUNC))
    return;

  /* The same text again is still sent: no value notification, but dirty. */
  if (g_strcmp0 (self->value, value) == 0)
    {
      _capa_control_value_changed (CAPA_CONTROL (self), NULL, CAPA_CONTROL_CHANGE_USER);
      return;
    }

  g_free (self->value);
  self->value = g_strdup (value);
  _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                               CAPA_CONTROL_CHANGE_USER);
}
