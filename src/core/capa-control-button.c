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

  if (!_capa_control_begin_change (CAPA_CONTROL (self), G_STRFUNC))
    return;

  _capa_control_value_changed (CAPA_CONTROL (self), NULL, CAPA_CONTROL_CHANGE_USER);
}
