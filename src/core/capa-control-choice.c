/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include "capa-control-private.h"

/**
 * CapaControlChoice:
 *
 * A camera setting taking one of a list of values, such as the f-number
 * or the white balance.
 */
struct _CapaControlChoice
{
  CapaControl   parent_instance;

  char         *value;
  GStrv         choices;
  guint         is_menu : 1;
};

G_DEFINE_FINAL_TYPE (CapaControlChoice, capa_control_choice, CAPA_TYPE_CONTROL)

enum {
  PROP_0,
  PROP_VALUE,
  PROP_CHOICES,
  PROP_IS_MENU,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_control_choice_finalize (GObject *object)
{
  CapaControlChoice *self = CAPA_CONTROL_CHOICE (object);

  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->choices, g_strfreev);

  G_OBJECT_CLASS (capa_control_choice_parent_class)->finalize (object);
}

static void
capa_control_choice_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CapaControlChoice *self = CAPA_CONTROL_CHOICE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case PROP_CHOICES:
      g_value_set_boxed (value, self->choices);
      break;

    case PROP_IS_MENU:
      g_value_set_boolean (value, self->is_menu);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_choice_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CapaControlChoice *self = CAPA_CONTROL_CHOICE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      capa_control_choice_set_value (self, g_value_get_string (value));
      break;

    case PROP_IS_MENU:
      self->is_menu = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_choice_class_init (CapaControlChoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_control_choice_finalize;
  object_class->get_property = capa_control_choice_get_property;
  object_class->set_property = capa_control_choice_set_property;

  /**
   * CapaControlChoice:value:
   *
   * The current choice. Setting it marks the control dirty.
   */
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControlChoice:choices:
   *
   * The values the camera offers.
   */
  properties[PROP_CHOICES] =
    g_param_spec_boxed ("choices", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControlChoice:is-menu:
   *
   * Whether the camera presents the choices as a menu rather than radio
   * buttons (a hint for the user interface).
   */
  properties[PROP_IS_MENU] =
    g_param_spec_boolean ("is-menu", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_control_choice_init (CapaControlChoice *self)
{
  self->choices = g_new0 (char *, 1);
}

void
_capa_control_choice_update (CapaControlChoice *self,
                             const char        *value,
                             GStrv              choices)
{
  g_assert (CAPA_IS_CONTROL_CHOICE (self));
  g_assert (choices != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (!g_strv_equal ((const char * const *) self->choices, (const char * const *) choices))
    {
      g_strfreev (self->choices);
      self->choices = g_strdupv (choices);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOICES]);
    }
  if (_capa_control_accepts_update (CAPA_CONTROL (self)) &&
      g_strcmp0 (self->value, value) != 0)
    {
      g_free (self->value);
      self->value = g_strdup (value);
      _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                                   CAPA_CONTROL_CHANGE_CAMERA);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * capa_control_choice_get_value:
 * @self: a #CapaControlChoice
 *
 * Gets the current choice.
 *
 * Returns: (transfer none) (nullable): the current choice
 */
const char *
capa_control_choice_get_value (CapaControlChoice *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_CHOICE (self), NULL);

  return self->value;
}

/**
 * capa_control_choice_set_value:
 * @self: a #CapaControlChoice
 * @value: one of the [property@Capa.ControlChoice:choices]
 *
 * Changes the choice and marks the control dirty; the camera gets it with
 * [method@Capa.Camera.save_controls]. Some cameras accept values that are
 * not listed; the camera has the last word when saving.
 */
void
capa_control_choice_set_value (CapaControlChoice *self,
                               const char        *value)
{
  g_return_if_fail (CAPA_IS_CONTROL_CHOICE (self));
  g_return_if_fail (value != NULL);

  if (!_capa_control_begin_change (CAPA_CONTROL (self), G_STRFUNC))
    return;

  if (g_strcmp0 (self->value, value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);
  _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
                               CAPA_CONTROL_CHANGE_USER);
}

/**
 * capa_control_choice_get_choices:
 * @self: a #CapaControlChoice
 *
 * Gets the values the camera offers.
 *
 * Returns: (transfer none) (array zero-terminated=1): the values the camera offers
 */
const char * const *
capa_control_choice_get_choices (CapaControlChoice *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_CHOICE (self), NULL);

  return (const char * const *) self->choices;
}

/**
 * capa_control_choice_get_is_menu:
 * @self: a #CapaControlChoice
 *
 * Gets whether the choices are best shown as a menu rather than radio
 * buttons.
 *
 * Returns: whether the choices are best shown as a menu rather than radio buttons
 */
gboolean
capa_control_choice_get_is_menu (CapaControlChoice *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_CHOICE (self), FALSE);

  return self->is_menu;
}
