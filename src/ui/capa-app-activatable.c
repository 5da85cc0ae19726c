/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Plugins"

#include "config.h"

#include "capa-application.h"
#include "capa-app-activatable.h"

/**
 * CapaAppActivatable:
 *
 * Extends the [class@Capa.Application]: a plugin implementing this interface gets
 * one instance for the application, with the construct-only property
 * [property@Capa.AppActivatable:app] set, and `activate` and
 * `deactivate` called as the plugin is turned on and off.
 */

G_DEFINE_INTERFACE (CapaAppActivatable, capa_app_activatable, G_TYPE_OBJECT)

static void
capa_app_activatable_default_init (CapaAppActivatableInterface *iface)
{
  /**
   * CapaAppActivatable:app:
   *
   * The application this instance extends.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_object ("app", NULL, NULL,
                                                            CAPA_TYPE_APPLICATION,
                                                            (G_PARAM_READWRITE |
                                                             G_PARAM_CONSTRUCT_ONLY |
                                                             G_PARAM_STATIC_STRINGS)));
}

/**
 * capa_app_activatable_activate:
 * @activatable: a #CapaAppActivatable
 *
 * Turns the extension on for the application.
 */
void
capa_app_activatable_activate (CapaAppActivatable *activatable)
{
  CapaAppActivatableInterface *iface;

  g_return_if_fail (CAPA_IS_APP_ACTIVATABLE (activatable));

  iface = CAPA_APP_ACTIVATABLE_GET_IFACE (activatable);
  if (iface->activate != NULL)
    iface->activate (activatable);
}

/**
 * capa_app_activatable_deactivate:
 * @activatable: a #CapaAppActivatable
 *
 * Turns the extension off, undoing what [method@Capa.AppActivatable.activate] did.
 */
void
capa_app_activatable_deactivate (CapaAppActivatable *activatable)
{
  CapaAppActivatableInterface *iface;

  g_return_if_fail (CAPA_IS_APP_ACTIVATABLE (activatable));

  iface = CAPA_APP_ACTIVATABLE_GET_IFACE (activatable);
  if (iface->deactivate != NULL)
    iface->deactivate (activatable);
}
