/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CAPA_TYPE_APP_ACTIVATABLE (capa_app_activatable_get_type ())

G_DECLARE_INTERFACE (CapaAppActivatable, capa_app_activatable, CAPA, APP_ACTIVATABLE, GObject)

/**
 * CapaAppActivatableInterface:
 * @g_iface: the parent interface
 * @activate: called when the plugin is turned on for the application
 * @deactivate: called when it is turned off, or the application quits; undoes
 *   every step @activate took
 *
 * The interface a plugin implements to extend the Capa application.
 */
struct _CapaAppActivatableInterface
{
  GTypeInterface g_iface;

  void (*activate)   (CapaAppActivatable *activatable);
  void (*deactivate) (CapaAppActivatable *activatable);
};

void capa_app_activatable_activate   (CapaAppActivatable *activatable);
void capa_app_activatable_deactivate (CapaAppActivatable *activatable);

G_END_DECLS
