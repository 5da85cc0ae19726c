/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The mapping between libgphoto2's CameraWidget tree and CapaControl
 * objects. Nothing here talks to a camera except a button's action in
 * _capa_control_change_apply(), so it is tested with hand-made widgets. */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "capa-camera.h"
#include "capa-control-private.h"
#include "capa-gphoto2-private.h"

static char *
widget_dup_name (CameraWidget *widget)
{
  const char *name = NULL;
  const char *label = NULL;
  g_autofree char *canon = NULL;

  /* A control's path joins names with slashes: a slash in a name would
   * make a path that leads nowhere, and the setting could not be saved. */
  gp_widget_get_name (widget, &name);
  if (name != NULL && name[0] != '\0')
    return g_strdelimit (g_strdup (name), "/", '-');

  /* No name: derive one from the label, without slashes. */
  gp_widget_get_label (widget, &label);
  canon = g_ascii_strdown (label != NULL && label[0] != '\0' ? label : "unnamed", -1);
  g_strdelimit (canon, "/ ", '-');
  return g_steal_pointer (&canon);
}

char *
_capa_widget_dup_name (CameraWidget *widget)
{
  g_return_val_if_fail (widget != NULL, NULL);

  return widget_dup_name (widget);
}

/* The names of @parent's children, one for each (NULL where libgphoto2
 * gives no child), unique among them: a camera may give two settings side
 * by side one name, and each control's path must lead to its own widget.
 * The first keeps the name, the next get "-2", "-3"... */
static GPtrArray *
children_dup_names (CameraWidget *parent)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  int n = gp_widget_count_children (parent);

  for (int i = 0; i < n; i++)
    {
      CameraWidget *child = NULL;
      g_autofree char *base = NULL;
      char *name;

      if (gp_widget_get_child (parent, i, &child) != GP_OK || child == NULL)
        {
          g_ptr_array_add (names, NULL);
          continue;
        }

      base = widget_dup_name (child);
      name = g_strdup (base);
      for (guint k = 2; g_hash_table_contains (used, name); k++)
        {
          g_free (name);
          name = g_strdup_printf ("%s-%u", base, k);
        }
      g_hash_table_add (used, name);
      g_ptr_array_add (names, name);
    }

  return names;
}

static GStrv
widget_dup_choices (CameraWidget *widget)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int n = gp_widget_count_choices (widget);

  for (int i = 0; i < n; i++)
    {
      const char *choice = NULL;

      if (gp_widget_get_choice (widget, i, &choice) == GP_OK && choice != NULL)
        g_strv_builder_add (builder, choice);
    }

  return g_strv_builder_end (builder);
}

static gboolean
update_leaf (CapaControl  *self,
             CameraWidget *widget)
{
  CameraWidgetType type;
  int readonly = 0;
  const char *info = NULL;

  gp_widget_get_type (widget, &type);
  gp_widget_get_readonly (widget, &readonly);
  gp_widget_get_info (widget, &info);

  switch ((int) type)
    {
    case GP_WIDGET_RANGE:
      {
        float value = 0, min = 0, max = 0, step = 0;

        if (!CAPA_IS_CONTROL_RANGE (self))
          return FALSE;
        gp_widget_get_value (widget, &value);
        gp_widget_get_range (widget, &min, &max, &step);
        _capa_control_range_update (CAPA_CONTROL_RANGE (self), value, min, max, step);
      }
      break;

    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      {
        const char *value = NULL;
        g_auto(GStrv) choices = NULL;

        if (!CAPA_IS_CONTROL_CHOICE (self))
          return FALSE;
        gp_widget_get_value (widget, &value);
        choices = widget_dup_choices (widget);
        _capa_control_choice_update (CAPA_CONTROL_CHOICE (self), value, choices);
      }
      break;

    case GP_WIDGET_TOGGLE:
      {
        int value = 0;

        if (!CAPA_IS_CONTROL_TOGGLE (self))
          return FALSE;
        gp_widget_get_value (widget, &value);
        /* libgphoto2 uses 2 for "unknown": show it as off. */
        _capa_control_toggle_update (CAPA_CONTROL_TOGGLE (self), value == 1);
      }
      break;

    case GP_WIDGET_TEXT:
      {
        const char *value = NULL;

        if (!CAPA_IS_CONTROL_TEXT (self))
          return FALSE;
        gp_widget_get_value (widget, &value);
        _capa_control_text_update (CAPA_CONTROL_TEXT (self), value);
      }
      break;

    case GP_WIDGET_DATE:
      {
        int value = 0;

        if (!CAPA_IS_CONTROL_DATE (self))
          return FALSE;
        gp_widget_get_value (widget, &value);
        _capa_control_date_update (CAPA_CONTROL_DATE (self), value);
      }
      break;

    case GP_WIDGET_BUTTON:
      if (!CAPA_IS_CONTROL_BUTTON (self))
        return FALSE;
      break;

    default:
      return FALSE;
    }

  _capa_control_set_readonly (self, readonly != 0);
  _capa_control_set_info (self, info);

  return TRUE;
}

static CapaControl *
new_from_widget (CameraWidget *widget,
                 const char   *parent_path,
                 const char   *name)
{
  g_autoptr(CapaControl) control = NULL;
  g_autofree char *path = NULL;
  const char *label = NULL;
  CameraWidgetType type;
  GType gtype;

  path = g_strconcat (parent_path != NULL ? parent_path : "", "/", name, NULL);
  gp_widget_get_label (widget, &label);
  gp_widget_get_type (widget, &type);

  switch ((int) type)
    {
    case GP_WIDGET_WINDOW:
    case GP_WIDGET_SECTION:
      gtype = CAPA_TYPE_CONTROL_GROUP;
      break;

    case GP_WIDGET_RANGE:
      gtype = CAPA_TYPE_CONTROL_RANGE;
      break;

    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      gtype = CAPA_TYPE_CONTROL_CHOICE;
      break;

    case GP_WIDGET_TOGGLE:
      gtype = CAPA_TYPE_CONTROL_TOGGLE;
      break;

    case GP_WIDGET_TEXT:
      gtype = CAPA_TYPE_CONTROL_TEXT;
      break;

    case GP_WIDGET_DATE:
      gtype = CAPA_TYPE_CONTROL_DATE;
      break;

    case GP_WIDGET_BUTTON:
      gtype = CAPA_TYPE_CONTROL_BUTTON;
      break;

    default:
      g_debug ("Skipping widget %s of unknown type %d", path, (int) type);
      return NULL;
    }

  if (gtype == CAPA_TYPE_CONTROL_CHOICE)
    control = g_object_new (gtype,
                            "path", path,
                            "name", name,
                            "label", label != NULL && label[0] != '\0' ? label : name,
                            "is-menu", type == GP_WIDGET_MENU,
                            NULL);
  else
    control = g_object_new (gtype,
                            "path", path,
                            "name", name,
                            "label", label != NULL && label[0] != '\0' ? label : name,
                            NULL);

  if (CAPA_IS_CONTROL_GROUP (control))
    {
      g_autoptr(GPtrArray) names = children_dup_names (widget);

      for (guint i = 0; i < names->len; i++)
        {
          CameraWidget *child_widget = NULL;
          g_autoptr(CapaControl) child = NULL;

          if (g_ptr_array_index (names, i) == NULL ||
              gp_widget_get_child (widget, i, &child_widget) != GP_OK)
            continue;
          child = new_from_widget (child_widget, path, g_ptr_array_index (names, i));
          if (child != NULL)
            _capa_control_group_add (CAPA_CONTROL_GROUP (control), child);
        }
    }
  else
    update_leaf (control, widget);

  return g_steal_pointer (&control);
}

CapaControl *
_capa_control_new_from_widget (CameraWidget *widget,
                               const char   *parent_path)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (widget != NULL, NULL);

  name = widget_dup_name (widget);
  return new_from_widget (widget, parent_path, name);
}

gboolean
_capa_control_update_from_widget (CapaControl  *self,
                                  CameraWidget *widget)
{
  CameraWidgetType type;

  g_return_val_if_fail (CAPA_IS_CONTROL (self), FALSE);
  g_return_val_if_fail (widget != NULL, FALSE);

  gp_widget_get_type (widget, &type);
  if (type == GP_WIDGET_WINDOW || type == GP_WIDGET_SECTION)
    {
      g_autoptr(GPtrArray) names = NULL;
      GPtrArray *children;
      gboolean same = TRUE;

      if (!CAPA_IS_CONTROL_GROUP (self))
        return FALSE;

      children = capa_control_group_get_controls (CAPA_CONTROL_GROUP (self));
      names = children_dup_names (widget);
      for (guint i = 0; i < names->len; i++)
        {
          CameraWidget *child_widget = NULL;
          const char *name = g_ptr_array_index (names, i);
          CapaControl *child = NULL;

          if (name == NULL || gp_widget_get_child (widget, i, &child_widget) != GP_OK)
            continue;
          for (guint j = 0; j < children->len && child == NULL; j++)
            if (g_strcmp0 (capa_control_get_name (g_ptr_array_index (children, j)), name) == 0)
              child = g_ptr_array_index (children, j);

          if (child == NULL)
            {
              /* A control that appeared (some appear with the mode dial). */
              g_autoptr(CapaControl) added =
                new_from_widget (child_widget, capa_control_get_path (self), name);

              if (added != NULL)
                _capa_control_group_add (CAPA_CONTROL_GROUP (self), added);
            }
          else if (!_capa_control_update_from_widget (child, child_widget))
            same = FALSE;
        }

      return same;
    }

  return update_leaf (self, widget);
}

CameraWidget *
_capa_widget_find_by_path (CameraWidget *root,
                           const char   *path)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *root_name = NULL;
  CameraWidget *current = root;
  guint i = 0;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  parts = g_strsplit (path[0] == '/' ? path + 1 : path, "/", -1);
  if (parts[0] == NULL)
    return NULL;

  root_name = widget_dup_name (root);
  if (g_strcmp0 (parts[0], root_name) != 0)
    return NULL;

  for (i = 1; parts[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) names = children_dup_names (current);
      CameraWidget *next = NULL;

      for (guint j = 0; j < names->len && next == NULL; j++)
        {
          CameraWidget *child = NULL;

          if (g_strcmp0 (g_ptr_array_index (names, j), parts[i]) == 0 &&
              gp_widget_get_child (current, j, &child) == GP_OK)
            next = child;
        }

      if (next == NULL)
        return NULL;
      current = next;
    }

  return current;
}

CapaControlChange *
_capa_control_change_new (CapaControl *control)
{
  CapaControlChange *change;

  g_return_val_if_fail (CAPA_IS_CONTROL (control), NULL);

  change = g_new0 (CapaControlChange, 1);
  change->path = g_strdup (capa_control_get_path (control));
  change->label = g_strdup (capa_control_get_label (control));
  change->type = G_OBJECT_TYPE (control);

  if (!CAPA_IS_CONTROL_BUTTON (control) && !CAPA_IS_CONTROL_GROUP (control))
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (control), "value");

      g_value_init (&change->value, pspec->value_type);
      g_object_get_property (G_OBJECT (control), "value", &change->value);
    }

  return change;
}

void
_capa_control_change_free (CapaControlChange *change)
{
  if (change == NULL)
    return;

  g_free (change->path);
  g_free (change->label);
  if (G_IS_VALUE (&change->value))
    g_value_unset (&change->value);
  g_free (change);
}

static gboolean
set_error (GError            **error,
           int                 result,
           CapaControlChange  *change)
{
  g_set_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER,
               /* Translators: the first %s is a setting's label, the
                * second its path, the third libgphoto2's reason */
               _("The camera does not accept this value for “%s” (%s): %s"),
               change->label, change->path, gp_result_as_string (result));
  return FALSE;
}

gboolean
_capa_control_change_apply (CapaControlChange  *change,
                            CameraWidget       *widget,
                            Camera             *camera,
                            GPContext          *context,
                            GError            **error)
{
  CameraWidgetType type;
  int result = GP_OK;

  g_return_val_if_fail (change != NULL, FALSE);
  g_return_val_if_fail (widget != NULL, FALSE);

  gp_widget_get_type (widget, &type);

  if (change->type == CAPA_TYPE_CONTROL_RANGE && type == GP_WIDGET_RANGE)
    {
      float value = (float) g_value_get_double (&change->value);

      result = gp_widget_set_value (widget, &value);
    }
  else if (change->type == CAPA_TYPE_CONTROL_CHOICE &&
           (type == GP_WIDGET_RADIO || type == GP_WIDGET_MENU))
    result = gp_widget_set_value (widget, g_value_get_string (&change->value));
  else if (change->type == CAPA_TYPE_CONTROL_TEXT && type == GP_WIDGET_TEXT)
    result = gp_widget_set_value (widget, g_value_get_string (&change->value) ?: "");
  else if (change->type == CAPA_TYPE_CONTROL_TOGGLE && type == GP_WIDGET_TOGGLE)
    {
      int value = g_value_get_boolean (&change->value) ? 1 : 0;

      result = gp_widget_set_value (widget, &value);
    }
  else if (change->type == CAPA_TYPE_CONTROL_DATE && type == GP_WIDGET_DATE)
    {
      gint64 value64 = g_value_get_int64 (&change->value);
      int value;

      if (value64 < G_MININT || value64 > G_MAXINT)
        return set_error (error, GP_ERROR_BAD_PARAMETERS, change);
      value = (int) value64;
      result = gp_widget_set_value (widget, &value);
    }
  else if (change->type == CAPA_TYPE_CONTROL_BUTTON && type == GP_WIDGET_BUTTON)
    {
      CameraWidgetCallback callback = NULL;

      result = gp_widget_get_value (widget, &callback);
      if (result >= GP_OK && callback != NULL && camera != NULL)
        result = callback (camera, widget, context);
    }
  else
    {
      g_set_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED,
                   _("The setting “%s” (%s) changed kind on the camera; reload the settings"),
                   change->label, change->path);
      return FALSE;
    }

  if (result < GP_OK)
    return set_error (error, result, change);

  return TRUE;
}
