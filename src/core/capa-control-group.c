/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include <string.h>

#include "capa-control-private.h"

/**
 * CapaControlGroup:
 *
 * A window or section of camera settings: a control holding others.
 */
struct _CapaControlGroup
{
  CapaControl  parent_instance;

  /* owned */
  GPtrArray   *children;
};

G_DEFINE_FINAL_TYPE (CapaControlGroup, capa_control_group, CAPA_TYPE_CONTROL)

static void
capa_control_group_finalize (GObject *object)
{
  CapaControlGroup *self = CAPA_CONTROL_GROUP (object);

  g_clear_pointer (&self->children, g_ptr_array_unref);

  G_OBJECT_CLASS (capa_control_group_parent_class)->finalize (object);
}

static void
capa_control_group_class_init (CapaControlGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_control_group_finalize;
}

static void
capa_control_group_init (CapaControlGroup *self)
{
  self->children = g_ptr_array_new_with_free_func (g_object_unref);
}

void
_capa_control_group_add (CapaControlGroup *self,
                         CapaControl      *child)
{
  g_assert (CAPA_IS_CONTROL_GROUP (self));
  g_assert (CAPA_IS_CONTROL (child));

  g_ptr_array_add (self->children, g_object_ref (child));
}

CapaControl *
_capa_control_group_find_by_name (CapaControlGroup *self,
                                  const char       *name)
{
  g_assert (CAPA_IS_CONTROL_GROUP (self));

  for (guint i = 0; i < self->children->len; i++)
    {
      CapaControl *child = g_ptr_array_index (self->children, i);

      if (g_strcmp0 (capa_control_get_name (child), name) == 0)
        return child;
      if (CAPA_IS_CONTROL_GROUP (child))
        {
          CapaControl *found = _capa_control_group_find_by_name (CAPA_CONTROL_GROUP (child), name);

          if (found != NULL)
            return found;
        }
    }

  return NULL;
}

void
_capa_control_group_collect_dirty (CapaControlGroup *self,
                                   GPtrArray        *dirty)
{
  g_assert (CAPA_IS_CONTROL_GROUP (self));

  for (guint i = 0; i < self->children->len; i++)
    {
      CapaControl *child = g_ptr_array_index (self->children, i);

      if (CAPA_IS_CONTROL_GROUP (child))
        _capa_control_group_collect_dirty (CAPA_CONTROL_GROUP (child), dirty);
      else if (capa_control_get_dirty (child))
        g_ptr_array_add (dirty, g_object_ref (child));
    }
}

/**
 * capa_control_group_get_controls:
 * @self: a #CapaControlGroup
 *
 * Gets the controls in this group, in the camera's order.
 *
 * Returns: (transfer none) (element-type CapaControl): the controls in
 *   this group, in the camera's order
 */
GPtrArray *
capa_control_group_get_controls (CapaControlGroup *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_GROUP (self), NULL);

  return self->children;
}

/**
 * capa_control_group_get_by_path:
 * @self: a #CapaControlGroup
 * @path: a path such as "/main/capturesettings/f-number", or one relative
 *   to this group such as "capturesettings/f-number"
 *
 * Finds a control in this group or below it.
 *
 * Returns: (transfer none) (nullable): the control, or %NULL if there is none
 */
CapaControl *
capa_control_group_get_by_path (CapaControlGroup *self,
                                const char       *path)
{
  g_auto(GStrv) parts = NULL;
  CapaControl *current;
  guint first = 0;

  g_return_val_if_fail (CAPA_IS_CONTROL_GROUP (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (path[0] == '/')
    {
      const char *own = capa_control_get_path (CAPA_CONTROL (self));

      if (g_strcmp0 (own, path) == 0)
        return CAPA_CONTROL (self);
      if (own == NULL || !g_str_has_prefix (path, own) || path[strlen (own)] != '/')
        return NULL;
      path += strlen (own) + 1;
    }

  parts = g_strsplit (path, "/", -1);
  current = CAPA_CONTROL (self);
  for (guint i = first; parts[i] != NULL; i++)
    {
      GPtrArray *children;
      CapaControl *next = NULL;

      if (parts[i][0] == '\0')
        continue;
      if (!CAPA_IS_CONTROL_GROUP (current))
        return NULL;

      children = CAPA_CONTROL_GROUP (current)->children;
      for (guint j = 0; j < children->len && next == NULL; j++)
        if (g_strcmp0 (capa_control_get_name (g_ptr_array_index (children, j)), parts[i]) == 0)
          next = g_ptr_array_index (children, j);
      if (next == NULL)
        return NULL;
      current = next;
    }

  return current;
}
