/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include "capa-control-private.h"

/**
 * CapaControlRange:
 *
 * A numeric camera setting between a minimum and a maximum, in steps.
 */
struct _CapaControlRange
{
  CapaControl  parent_instance;

  double       value;
  double       min;
  double       max;
  double       step;
};

G_DEFINE_FINAL_TYPE (CapaControlRange, capa_control_range, CAPA_TYPE_CONTROL)

enum {
  PROP_0,
  PROP_VALUE,
  PROP_MIN,
  PROP_MAX,
  PROP_STEP,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_control_range_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CapaControlRange *self = CAPA_CONTROL_RANGE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;

    case PROP_MIN:
      g_value_set_double (value, self->min);
      break;

    case PROP_MAX:
      g_value_set_double (value, self->max);
      break;

    case PROP_STEP:
      g_value_set_double (value, self->step);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_range_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CapaControlRange *self = CAPA_CONTROL_RANGE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      capa_control_range_set_value (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_range_class_init (CapaControlRangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = capa_control_range_get_property;
  object_class->set_property = capa_control_range_set_property;

  /**
   * CapaControlRange:value:
   *
   * The current value. Setting it marks the control dirty.
   */
  properties[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControlRange:min:
   *
   * The smallest value the camera accepts.
   */
  properties[PROP_MIN] =
    g_param_spec_double ("min", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControlRange:max:
   *
   * The largest value the camera accepts.
   */
  properties[PROP_MAX] =
    g_param_spec_double ("max", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControlRange:step:
   *
   * The increment between accepted values (0 when any value goes).
   */
  properties[PROP_STEP] =
    g_param_spec_double ("step", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_control_range_init (CapaControlRange *self)
{
}

void
_capa_control_range_update (CapaControlRange *self,
                            double            value,
                            double            min,
                            double            max,
                            double            step)
{
  g_assert (CAPA_IS_CONTROL_RANGE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->min != min)
    {
      self->min = min;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN]);
    }
  if (self->max != max)
    {
      self->max = max;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX]);
    }
  if (self->step != step)
    {
      self->step = step;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
  if (_capa_control_accepts_update (CAPA_CONTROL (self)) && self->value != value)
    {
      self->value = value;
      _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                                   CAPA_CONTROL_CHANGE_CAMERA);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * capa_control_range_get_value:
 * @self: a #CapaControlRange
 *
 * Gets the current value.
 *
 * Returns: the current value
 */
double
capa_control_range_get_value (CapaControlRange *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_RANGE (self), 0);

  return self->value;
}

/**
 * capa_control_range_set_value:
 * @self: a #CapaControlRange
 * @value: the new value, between [property@Capa.ControlRange:min] and
 *   [property@Capa.ControlRange:max]
 *
 * Changes the value and marks the control dirty; the camera gets it with
 * [method@Capa.Camera.save_controls].
 */
void
capa_control_range_set_value (CapaControlRange *self,
                              double            value)
{
  g_return_if_fail (CAPA_IS_CONTROL_RANGE (self));

  if (!_capa_control_begin_change (CAPA_CONTROL (self), G_STRFUNC))
    return;

  value = CLAMP (value, self->min, MAX (self->min, self->max));
  if (self->value == value)
    return;

  self->value = value;
  _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                               CAPA_CONTROL_CHANGE_USER);
}

/**
 * capa_control_range_get_min:
 * @self: a #CapaControlRange
 *
 * Gets the smallest accepted value.
 *
 * Returns: the smallest accepted value
 */
double
capa_control_range_get_min (CapaControlRange *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_RANGE (self), 0);

  return self->min;
}

/**
 * capa_control_range_get_max:
 * @self: a #CapaControlRange
 *
 * Gets the largest accepted value.
 *
 * Returns: the largest accepted value
 */
double
capa_control_range_get_max (CapaControlRange *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_RANGE (self), 0);

  return self->max;
}

/**
 * capa_control_range_get_step:
 * @self: a #CapaControlRange
 *
 * Gets the increment between accepted values.
 *
 * Returns: the increment between accepted values
 */
double
capa_control_range_get_step (CapaControlRange *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_RANGE (self), 0);

  return self->step;
}
