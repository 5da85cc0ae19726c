/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include "capa-control-private.h"

/**
 * CapaControlToggle:
 *
 * A camera setting that is on or off.
 */
struct _CapaControlToggle
{
  CapaControl  parent_instance;

  gboolean     value;
};

G_DEFINE_FINAL_TYPE (CapaControlToggle, capa_control_toggle, CAPA_TYPE_CONTROL)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_control_toggle_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CapaControlToggle *self = CAPA_CONTROL_TOGGLE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_boolean (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_toggle_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CapaControlToggle *self = CAPA_CONTROL_TOGGLE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      capa_control_toggle_set_value (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_toggle_class_init (CapaControlToggleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = capa_control_toggle_get_property;
  object_class->set_property = capa_control_toggle_set_property;

  /**
   * CapaControlToggle:value:
   *
   * Whether the setting is on. Setting it marks the control dirty.
   */
  properties[PROP_VALUE] =
    g_param_spec_boolean ("value", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_control_toggle_init (CapaControlToggle *self)
{
}

void
_capa_control_toggle_update (CapaControlToggle *self,
                             gboolean           value)
{
  g_assert (CAPA_IS_CONTROL_TOGGLE (self));

  value = !!value;
  if (!_capa_control_accepts_update (CAPA_CONTROL (self)) || self->value == value)
    return;

  self->value = value;
  _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                               CAPA_CONTROL_CHANGE_CAMERA);
}

/**
 * capa_control_toggle_get_value:
 * @self: a #CapaControlToggle
 *
 * Gets whether the setting is on.
 *
 * Returns: whether the setting is on
 */
gboolean
capa_control_toggle_get_value (CapaControlToggle *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_TOGGLE (self), FALSE);

  return self->value;
}

/**
 * capa_control_toggle_set_value:
 * @self: a #CapaControlToggle
 * @value: whether the setting is on
 *
 * Turns the setting on or off and marks the control dirty; the camera
 * gets it with [method@Capa.Camera.save_controls].
 */
void
capa_control_toggle_set_value (CapaControlToggle *self,
                               gboolean           value)
{
  g_return_if_fail (CAPA_IS_CONTROL_TOGGLE (self));

  if (!_capa_control_begin_change (CAPA_CONTROL (self), G_STRFUNC))
    return;

  value = !!value;
  if (self->value == value)
    return;

  self->value = value;
  _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                               CAPA_CONTROL_CHANGE_USER);
}
