/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include "capa-control-private.h"

/**
 * CapaControlDate:
 *
 * A date and time setting of the camera, such as its clock.
 */
struct _CapaControlDate
{
  CapaControl  parent_instance;

  gint64       value;
};

G_DEFINE_FINAL_TYPE (CapaControlDate, capa_control_date, CAPA_TYPE_CONTROL)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_control_date_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CapaControlDate *self = CAPA_CONTROL_DATE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_int64 (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_date_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CapaControlDate *self = CAPA_CONTROL_DATE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      capa_control_date_set_value (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_date_class_init (CapaControlDateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = capa_control_date_get_property;
  object_class->set_property = capa_control_date_set_property;

  /**
   * CapaControlDate:value:
   *
   * The date as seconds since 1970-01-01 UTC. Setting it marks the
   * control dirty.
   */
  properties[PROP_VALUE] =
    g_param_spec_int64 ("value", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_control_date_init (CapaControlDate *self)
{
}

void
_capa_control_date_update (CapaControlDate *self,
                           gint64           value)
{
  g_assert (CAPA_IS_CONTROL_DATE (self));

  if (!_capa_control_accepts_update (CAPA_CONTROL (self)) || self->value == value)
    return;

  self->value = value;
  _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                               CAPA_CONTROL_CHANGE_CAMERA);
}

/**
 * capa_control_date_get_value:
 * @self: a #CapaControlDate
 *
 * Gets the date as seconds since 1970-01-01 UTC.
 *
 * Returns: the date as seconds since 1970-01-01 UTC
 */
gint64
capa_control_date_get_value (CapaControlDate *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_DATE (self), 0);

  return self->value;
}

/**
 * capa_control_date_set_value:
 * @self: a #CapaControlDate
 * @unix_time: seconds since 1970-01-01 UTC
 *
 * Changes the date and marks the control dirty; the camera gets it with
 * [method@Capa.Camera.save_controls].
 */
void
capa_control_date_set_value (CapaControlDate *self,
                             gint64           unix_time)
{
  g_return_if_fail (CAPA_IS_CONTROL_DATE (self));

  if (!_capa_control_begin_change (CAPA_CONTROL (self), G_STRFUNC))
    return;

  if (self->value == unix_time)
    return;

  self->value = unix_time;
  _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                               CAPA_CONTROL_CHANGE_USER);
}

/**
 * capa_control_date_dup_datetime:
 * @self: a #CapaControlDate
 *
 * Gets the date in the local time zone, or %NULL if it is out of range.
 *
 * Returns: (transfer full) (nullable): the date in the local time zone,
 *   or %NULL if it is out of range
 */
GDateTime *
capa_control_date_dup_datetime (CapaControlDate *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_DATE (self), NULL);

  return g_date_time_new_from_unix_local (self->value);
}
