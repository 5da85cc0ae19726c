/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Plugins"

#include "config.h"

#include "capa-window.h"
#include "capa-window-activatable.h"

/**
 * CapaWindowActivatable:
 *
 * Extends a [class@Capa.Window]: a plugin implementing this interface gets
 * one instance per window, with the construct-only property
 * [property@Capa.WindowActivatable:window] set, and `activate` and
 * `deactivate` called as the plugin is turned on and off.
 */

G_DEFINE_INTERFACE (CapaWindowActivatable, capa_window_activatable, G_TYPE_OBJECT)

static void
capa_window_activatable_default_init (CapaWindowActivatableInterface *iface)
{
  /**
   * CapaWindowActivatable:window:
   *
   * The window this instance extends.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_object ("window", NULL, NULL,
                                                            CAPA_TYPE_WINDOW,
                                                            (G_PARAM_READWRITE |
                                                             G_PARAM_CONSTRUCT_ONLY |
                                                             G_PARAM_STATIC_STRINGS)));
}

/**
 * capa_window_activatable_activate:
 * @activatable: a #CapaWindowActivatable
 *
 * Turns the extension on for its window.
 */
void
capa_window_activatable_activate (CapaWindowActivatable *activatable)
{
  CapaWindowActivatableInterface *iface;

  g_return_if_fail (CAPA_IS_WINDOW_ACTIVATABLE (activatable));

  iface = CAPA_WINDOW_ACTIVATABLE_GET_IFACE (activatable);
  if (iface->activate != NULL)
    iface->activate (activatable);
}

/**
 * capa_window_activatable_deactivate:
 * @activatable: a #CapaWindowActivatable
 *
 * Turns the extension off, undoing what [method@Capa.WindowActivatable.activate] did.
 */
void
capa_window_activatable_deactivate (CapaWindowActivatable *activatable)
{
  CapaWindowActivatableInterface *iface;

  g_return_if_fail (CAPA_IS_WINDOW_ACTIVATABLE (activatable));

  iface = CAPA_WINDOW_ACTIVATABLE_GET_IFACE (activatable);
  if (iface->deactivate != NULL)
    iface->deactivate (activatable);
}
