/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "capa-colour-profile.h"

G_BEGIN_DECLS

/**
 * CapaRenderingIntent:
 * @CAPA_RENDERING_INTENT_PERCEPTUAL: compress the whole gamut to fit,
 *   keeping the relations between colours
 * @CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC: keep the colours that fit
 *   exactly (relative to the white point) and clip the others
 * @CAPA_RENDERING_INTENT_SATURATION: keep colours vivid at the expense of
 *   accuracy
 * @CAPA_RENDERING_INTENT_ABSOLUTE_COLORIMETRIC: like relative colorimetric,
 *   without adapting the white point
 *
 * The ICC rendering intent of a colour transform.
 */
typedef enum {
  CAPA_RENDERING_INTENT_PERCEPTUAL,
  CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC,
  CAPA_RENDERING_INTENT_SATURATION,
  CAPA_RENDERING_INTENT_ABSOLUTE_COLORIMETRIC,
} CapaRenderingIntent;

#define CAPA_TYPE_COLOUR_TRANSFORM (capa_colour_transform_get_type ())

G_DECLARE_FINAL_TYPE (CapaColourTransform, capa_colour_transform, CAPA, COLOUR_TRANSFORM, GObject)

CapaColourTransform *capa_colour_transform_new                    (CapaColourProfile   *source,
                                                                   CapaColourProfile   *destination,
                                                                   CapaRenderingIntent  intent,
                                                                   GError             **error);

CapaColourProfile   *capa_colour_transform_get_source             (CapaColourTransform *self);
CapaColourProfile   *capa_colour_transform_get_destination        (CapaColourTransform *self);
CapaRenderingIntent  capa_colour_transform_get_intent             (CapaColourTransform *self);
gboolean             capa_colour_transform_is_identity            (CapaColourTransform *self);

GdkPixbuf           *capa_colour_transform_transform_pixbuf       (CapaColourTransform *self,
                                                                   GdkPixbuf           *pixbuf);
void                 capa_colour_transform_transform_pixbuf_in_place (CapaColourTransform *self,
                                                                      GdkPixbuf           *pixbuf);
void                 capa_colour_transform_transform_pixbuf_async (CapaColourTransform *self,
                                                                   GdkPixbuf           *pixbuf,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
GdkPixbuf           *capa_colour_transform_transform_pixbuf_finish (CapaColourTransform *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

G_END_DECLS
