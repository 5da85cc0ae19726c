/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CAPA_TYPE_IMAGE (capa_image_get_type ())

G_DECLARE_FINAL_TYPE (CapaImage, capa_image, CAPA, IMAGE, GObject)

CapaImage  *capa_image_new          (const char *filename);
const char *capa_image_get_filename (CapaImage  *self);

G_END_DECLS
