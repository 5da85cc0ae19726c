/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gphoto2/gphoto2.h>

#include "capa-control.h"
#include "capa-control-button.h"
#include "capa-control-choice.h"
#include "capa-control-date.h"
#include "capa-control-group.h"
#include "capa-control-range.h"
#include "capa-control-text.h"
#include "capa-control-toggle.h"

G_BEGIN_DECLS

void         _capa_control_set_dirty           (CapaControl       *self,
                                                gboolean           dirty);
void         _capa_control_set_readonly        (CapaControl       *self,
                                                gboolean           readonly);
void         _capa_control_set_info            (CapaControl       *self,
                                                const char        *info);

/* --- the change handling every subclass shares (capa-control.c) ---
 *
 * A public setter of a subclass does, in this order:
 *
 *   if (!_capa_control_begin_change (CAPA_CONTROL (self), G_STRFUNC))
 *     return;
 *   (return if the value is the same; store it)
 *   _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
 *                                CAPA_CONTROL_CHANGE_USER);
 *
 * and an update from the camera:
 *
 *   if (!_capa_control_accepts_update (CAPA_CONTROL (self)) || (same value))
 *     return;
 *   (store it)
 *   _capa_control_value_changed (CAPA_CONTROL (self), properties[PROP_VALUE],
 *                                CAPA_CONTROL_CHANGE_CAMERA);
 */
typedef enum {
  CAPA_CONTROL_CHANGE_USER,    /* through the public API: marks the control dirty */
  CAPA_CONTROL_CHANGE_CAMERA,  /* read from the camera: never marks it dirty */
} CapaControlChangeSource;

gboolean     _capa_control_begin_change        (CapaControl       *self,
                                                const char        *setter);
gboolean     _capa_control_accepts_update      (CapaControl       *self);
void         _capa_control_value_changed       (CapaControl       *self,
                                                GParamSpec        *value_pspec,
                                                CapaControlChangeSource source);

/* Values read from the camera: they never mark a control dirty, and leave
 * the value of a dirty control (a change not yet saved) alone. */
void         _capa_control_range_update        (CapaControlRange  *self,
                                                double             value,
                                                double             min,
                                                double             max,
                                                double             step);
void         _capa_control_choice_update       (CapaControlChoice *self,
                                                const char        *value,
                                                GStrv              choices);
void         _capa_control_toggle_update       (CapaControlToggle *self,
                                                gboolean           value);
void         _capa_control_text_update         (CapaControlText   *self,
                                                const char        *value);
void         _capa_control_date_update         (CapaControlDate   *self,
                                                gint64             value);

void         _capa_control_group_add           (CapaControlGroup  *self,
                                                CapaControl       *child);
CapaControl *_capa_control_group_find_by_name  (CapaControlGroup  *self,
                                                const char        *name);
/* Appends a reference to every dirty control under @self to @dirty. */
void         _capa_control_group_collect_dirty (CapaControlGroup  *self,
                                                GPtrArray         *dirty);

/* --- mapping between libgphoto2's CameraWidget and CapaControl ---
 * (capa-control-gphoto2.c; pure, usable without a camera) */

/* Builds the control tree for @widget; @parent_path is NULL for the root. */
CapaControl  *_capa_control_new_from_widget    (CameraWidget      *widget,
                                                const char        *parent_path);
/* Updates @self (and, for a group, the children of the same names) with
 * the values in @widget. Returns FALSE if the widget is of another kind. */
gboolean      _capa_control_update_from_widget (CapaControl       *self,
                                                CameraWidget      *widget);
/* The name of @widget's control: its own without slashes, else one made
 * from its label (siblings of one name are told apart in their paths). */
char         *_capa_widget_dup_name            (CameraWidget      *widget);
/* Finds a widget by a control path such as "/main/capturesettings/f-number". */
CameraWidget *_capa_widget_find_by_path        (CameraWidget      *root,
                                                const char        *path);

/* A dirty control's value, copied in the main thread to be sent to the
 * camera from its worker thread. */
typedef struct
{
  char   *path;
  char   *label;
  GType   type;
  GValue  value;
} CapaControlChange;

CapaControlChange *_capa_control_change_new   (CapaControl       *control);
void               _capa_control_change_free  (CapaControlChange *change);
/* Writes the change into @widget (a button runs its action on @camera). */
gboolean           _capa_control_change_apply (CapaControlChange *change,
                                               CameraWidget      *widget,
                                               Camera            *camera,
                                               GPContext         *context,
                                               GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapaControlChange, _capa_control_change_free)

G_END_DECLS
