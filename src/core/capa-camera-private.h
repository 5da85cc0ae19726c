/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "capa-camera.h"

G_BEGIN_DECLS

void      _capa_camera_set_connected         (CapaCamera      *self,
                                              gboolean         connected);
void      _capa_camera_set_download_progress (CapaCamera      *self,
                                              double           fraction,
                                              CapaCameraFile  *file);

/* Recognises libgphoto2's text for a changed setting, such as
 * "PTP Property 5007 changed, "f-number" to "f/5.6"": returns TRUE for
 * one, with @name set to the setting's name when the text gives it. */
gboolean  _capa_parse_property_event         (const char      *text,
                                              char           **name);

G_END_DECLS
