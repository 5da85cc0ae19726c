/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Control"

#include "config.h"

#include "capa-control-private.h"

/**
 * CapaControlButton:
 *
 * A camera action, such as "autofocus now": pressing it marks it dirty
 * and [method@Capa.Camera.save_controls] performs it.
 */
struct _CapaControlButton
{
  CapaControl parent_instance;
};

G_DEFINE_FINAL_TYPE (CapaControlButton, capa_control_button, CAPA_TYPE_CONTROL)

static void
capa_control_button_class_init (CapaControlButtonClass *klass)
{
}

static void
capa_control_button_init (CapaControlButton *self)
{
}

/**
 * capa_control_button_press:
 * @self: a #CapaControlButton
 *
 * Asks for the action to be performed by the next
 * [method@Capa.Camera.save_controls].
 */
void
capa_control_button_press (CapaControlButton *self)
{
  g_return_if_fail (CAPA_IS_CONTROL_BUTTON (self));
  g_return_if_fail (!capa_control_get_readonly (CAPA_CONTROL (self)));

  _capa_control_set_dirty (CAPA_CONTROL (self), TRUE);
}
