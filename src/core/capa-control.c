/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include "capa-control-private.h"

/**
 * CapaControl:
 *
 * One setting of a camera, or a group of them.
 *
 * The settings of a camera form a tree whose root is returned by
 * [method@Capa.Camera.get_controls] once [method@Capa.Camera.load_controls]
 * has read them. Each control has a [property@Capa.Control:path] made of
 * the names of its ancestors and its own, such as
 * "/main/capturesettings/f-number", a human-readable label and a typed
 * `value` property in its subclass. Changing the value marks the control
 * [property@Capa.Control:dirty]; [method@Capa.Camera.save_controls]
 * sends dirty controls to the camera.
 *
 * Controls belong to the main thread.
 */

typedef struct
{
  /* construct-only */
  char     *path;
  char     *name;
  char     *label;

  /* owned */
  char     *info;
  guint     readonly : 1;
  guint     dirty : 1;
} CapaControlPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CapaControl, capa_control, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_NAME,
  PROP_LABEL,
  PROP_INFO,
  PROP_READONLY,
  PROP_DIRTY,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_control_finalize (GObject *object)
{
  CapaControl *self = CAPA_CONTROL (object);
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_clear_pointer (&priv->path, g_free);
  g_clear_pointer (&priv->name, g_free);
  g_clear_pointer (&priv->label, g_free);
  g_clear_pointer (&priv->info, g_free);

  G_OBJECT_CLASS (capa_control_parent_class)->finalize (object);
}

static void
capa_control_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CapaControl *self = CAPA_CONTROL (object);
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, priv->path);
      break;

    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;

    case PROP_LABEL:
      g_value_set_string (value, priv->label);
      break;

    case PROP_INFO:
      g_value_set_string (value, priv->info);
      break;

    case PROP_READONLY:
      g_value_set_boolean (value, priv->readonly);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, priv->dirty);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CapaControl *self = CAPA_CONTROL (object);
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PATH:
      priv->path = g_value_dup_string (value);
      break;

    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;

    case PROP_LABEL:
      priv->label = g_value_dup_string (value);
      break;

    case PROP_INFO:
      _capa_control_set_info (self, g_value_get_string (value));
      break;

    case PROP_READONLY:
      _capa_control_set_readonly (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_class_init (CapaControlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_control_finalize;
  object_class->get_property = capa_control_get_property;
  object_class->set_property = capa_control_set_property;

  /**
   * CapaControl:path:
   *
   * The names of the control's ancestors and its own, joined by slashes,
   * such as "/main/capturesettings/f-number".
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControl:name:
   *
   * The camera's name for the control, such as "f-number".
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControl:label:
   *
   * The human-readable label of the control, such as "F-Number".
   */
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControl:info:
   *
   * A longer description of the control, when the camera gives one.
   */
  properties[PROP_INFO] =
    g_param_spec_string ("info", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControl:readonly:
   *
   * Whether the camera refuses changes to this control (a battery level,
   * say).
   */
  properties[PROP_READONLY] =
    g_param_spec_boolean ("readonly", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControl:dirty:
   *
   * Whether the value was changed here and not yet saved to the camera
   * with [method@Capa.Camera.save_controls].
   */
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_control_init (CapaControl *self)
{
}

void
_capa_control_set_dirty (CapaControl *self,
                         gboolean     dirty)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_assert (CAPA_IS_CONTROL (self));

  dirty = !!dirty;
  if (priv->dirty == dirty)
    return;

  priv->dirty = dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

void
_capa_control_set_readonly (CapaControl *self,
                            gboolean     readonly)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_assert (CAPA_IS_CONTROL (self));

  readonly = !!readonly;
  if (priv->readonly == readonly)
    return;

  priv->readonly = readonly;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READONLY]);
}

void
_capa_control_set_info (CapaControl *self,
                        const char  *info)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_assert (CAPA_IS_CONTROL (self));

  if (info != NULL && info[0] == '\0')
    info = NULL;
  if (g_strcmp0 (priv->info, info) == 0)
    return;

  g_free (priv->info);
  priv->info = g_strdup (info);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO]);
}

/*
 * _capa_control_begin_change:
 * @self: a #CapaControl
 * @setter: the public function asking for the change (%G_STRFUNC), named
 *   in the critical
 *
 * The check every public setter of a subclass starts with: a read-only
 * control refuses changes, with the critical that g_return_if_fail()
 * would give in @setter.
 *
 * Returns: whether @setter may go on
 */
gboolean
_capa_control_begin_change (CapaControl *self,
                            const char  *setter)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_assert (CAPA_IS_CONTROL (self));

  if (G_UNLIKELY (priv->readonly))
    {
      g_return_if_fail_warning (G_LOG_DOMAIN, setter,
                                "!capa_control_get_readonly (CAPA_CONTROL (self))");
      return FALSE;
    }

  return TRUE;
}

/*
 * _capa_control_accepts_update:
 * @self: a #CapaControl
 *
 * Returns: whether a value read from the camera may replace the current
 *   one: not while a change made here waits to be saved
 */
gboolean
_capa_control_accepts_update (CapaControl *self)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_assert (CAPA_IS_CONTROL (self));

  return !priv->dirty;
}

/*
 * _capa_control_value_changed:
 * @self: a #CapaControl
 * @value_pspec: (nullable): the property of the value the subclass just
 *   stored, or %NULL when the value itself did not change (a button
 *   press, a text sent again)
 * @source: who made the change
 *
 * The one place a change of value is announced: a change made through
 * the public API marks the control dirty, then @value_pspec is notified
 * once; a value read from the camera is only notified.
 */
void
_capa_control_value_changed (CapaControl             *self,
                             GParamSpec              *value_pspec,
                             CapaControlChangeSource  source)
{
  g_assert (CAPA_IS_CONTROL (self));

  if (source == CAPA_CONTROL_CHANGE_USER)
    _capa_control_set_dirty (self, TRUE);
  if (value_pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), value_pspec);
}

/**
 * capa_control_get_path:
 * @self: a #CapaControl
 *
 * Gets the path, such as "/main/capturesettings/f-number".
 *
 * Returns: (transfer none): the path, such as "/main/capturesettings/f-number"
 */
const char *
capa_control_get_path (CapaControl *self)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_return_val_if_fail (CAPA_IS_CONTROL (self), NULL);

  return priv->path;
}

/**
 * capa_control_get_name:
 * @self: a #CapaControl
 *
 * Gets the camera's name for the control, such as "f-number".
 *
 * Returns: (transfer none): the camera's name for the control, such as "f-number"
 */
const char *
capa_control_get_name (CapaControl *self)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_return_val_if_fail (CAPA_IS_CONTROL (self), NULL);

  return priv->name;
}

/**
 * capa_control_get_label:
 * @self: a #CapaControl
 *
 * Gets the human-readable label.
 *
 * Returns: (transfer none): the human-readable label
 */
const char *
capa_control_get_label (CapaControl *self)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_return_val_if_fail (CAPA_IS_CONTROL (self), NULL);

  return priv->label;
}

/**
 * capa_control_get_info:
 * @self: a #CapaControl
 *
 * Gets the description, if the camera gives one.
 *
 * Returns: (transfer none) (nullable): the description, if the camera gives one
 */
const char *
capa_control_get_info (CapaControl *self)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_return_val_if_fail (CAPA_IS_CONTROL (self), NULL);

  return priv->info;
}

/**
 * capa_control_get_readonly:
 * @self: a #CapaControl
 *
 * Gets whether the control cannot be changed.
 *
 * Returns: whether the control cannot be changed
 */
gboolean
capa_control_get_readonly (CapaControl *self)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_return_val_if_fail (CAPA_IS_CONTROL (self), FALSE);

  return priv->readonly;
}

/**
 * capa_control_get_dirty:
 * @self: a #CapaControl
 *
 * Gets whether the control has a change not yet saved to the camera.
 *
 * Returns: whether the control has a change not yet saved to the camera
 */
gboolean
capa_control_get_dirty (CapaControl *self)
{
  CapaControlPrivate *priv = capa_control_get_instance_private (self);

  g_return_val_if_fail (CAPA_IS_CONTROL (self), FALSE);

  return priv->dirty;
}

/**
 * capa_control_discard_change:
 * @self: a #CapaControl
 *
 * Forgets a change made here that is not saved: clears
 * [property@Capa.Control:dirty], so that [method@Capa.Camera.save_controls]
 * no longer sends the value and the next value read from the camera
 * ([method@Capa.Camera.load_controls], or a change reported by the camera)
 * replaces it. Use it after the camera refused a value: the refused value
 * stays in the control until the camera's value is read again.
 *
 * Does nothing on a control that is not dirty.
 */
void
capa_control_discard_change (CapaControl *self)
{
  g_return_if_fail (CAPA_IS_CONTROL (self));

  _capa_control_set_dirty (self, FALSE);
}
