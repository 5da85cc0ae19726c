/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CAPA_TYPE_WINDOW_ACTIVATABLE (capa_window_activatable_get_type ())

G_DECLARE_INTERFACE (CapaWindowActivatable, capa_window_activatable,
                     CAPA, WINDOW_ACTIVATABLE, GObject)

/**
 * CapaWindowActivatableInterface:
 * @g_iface: the parent interface
 * @activate: called when the plugin is turned on for a window
 * @deactivate: called when it is turned off, or the window closes; undoes
 *   every step @activate took
 *
 * The interface a plugin implements to extend each Capa window.
 */
struct _CapaWindowActivatableInterface
{
  GTypeInterface g_iface;

  void (*activate)   (CapaWindowActivatable *activatable);
  void (*deactivate) (CapaWindowActivatable *activatable);
};

void capa_window_activatable_activate   (CapaWindowActivatable *activatable);
void capa_window_activatable_deactivate (CapaWindowActivatable *activatable);

G_END_DECLS
