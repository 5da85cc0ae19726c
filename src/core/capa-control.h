/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CAPA_TYPE_CONTROL (capa_control_get_type ())

G_DECLARE_DERIVABLE_TYPE (CapaControl, capa_control, CAPA, CONTROL, GObject)

/**
 * CapaControlClass:
 * @parent_class: the parent class
 *
 * The class of camera settings. Its subclasses are the kinds of
 * settings a camera offers.
 */
struct _CapaControlClass
{
  GObjectClass parent_class;

  /*< private >*/
  gpointer padding[8];
};

const char *capa_control_get_path     (CapaControl *self);
const char *capa_control_get_name     (CapaControl *self);
const char *capa_control_get_label    (CapaControl *self);
const char *capa_control_get_info     (CapaControl *self);
gboolean    capa_control_get_readonly (CapaControl *self);
gboolean    capa_control_get_dirty    (CapaControl *self);
void        capa_control_discard_change (CapaControl *self);

G_END_DECLS
