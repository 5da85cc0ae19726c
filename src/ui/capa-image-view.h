/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-colour-profile.h"
#include "capa-colour-transform.h"
#include "capa-image.h"

G_BEGIN_DECLS

/**
 * CapaImageViewQuality:
 * @CAPA_IMAGE_VIEW_QUALITY_PREVIEW: the preview embedded in the file
 * @CAPA_IMAGE_VIEW_QUALITY_SCREEN: the image decoded at the size it has on
 *   the screen
 * @CAPA_IMAGE_VIEW_QUALITY_FULL: the image at full resolution, decoded when
 *   it is zoomed in beyond the size on the screen
 *
 * The steps in which [class@Capa.ImageView] shows an image, from the
 * quickest to the sharpest.
 */
typedef enum {
  CAPA_IMAGE_VIEW_QUALITY_PREVIEW,
  CAPA_IMAGE_VIEW_QUALITY_SCREEN,
  CAPA_IMAGE_VIEW_QUALITY_FULL,
} CapaImageViewQuality;

#define CAPA_TYPE_IMAGE_VIEW_QUALITY (capa_image_view_quality_get_type ())
GType capa_image_view_quality_get_type (void) G_GNUC_CONST;

#define CAPA_TYPE_IMAGE_VIEW (capa_image_view_get_type ())

G_DECLARE_FINAL_TYPE (CapaImageView, capa_image_view, CAPA, IMAGE_VIEW, GtkBin)

CapaImageView       *capa_image_view_new                     (void);

CapaImage           *capa_image_view_get_image               (CapaImageView       *self);
void                 capa_image_view_set_image               (CapaImageView       *self,
                                                              CapaImage           *image);
CapaColourProfile   *capa_image_view_get_display_profile     (CapaImageView       *self);
void                 capa_image_view_set_display_profile     (CapaImageView       *self,
                                                              CapaColourProfile   *profile);
CapaRenderingIntent  capa_image_view_get_rendering_intent    (CapaImageView       *self);
void                 capa_image_view_set_rendering_intent    (CapaImageView       *self,
                                                              CapaRenderingIntent  intent);

double               capa_image_view_get_zoom                (CapaImageView       *self);
void                 capa_image_view_set_zoom                (CapaImageView       *self,
                                                              double               zoom);
gboolean             capa_image_view_get_zoom_to_fit         (CapaImageView       *self);
void                 capa_image_view_set_zoom_to_fit         (CapaImageView       *self,
                                                              gboolean             zoom_to_fit);
void                 capa_image_view_zoom_in                 (CapaImageView       *self);
void                 capa_image_view_zoom_out                (CapaImageView       *self);
void                 capa_image_view_zoom_to_fit             (CapaImageView       *self);
void                 capa_image_view_zoom_actual_size        (CapaImageView       *self);

GtkOverlay          *capa_image_view_get_overlay             (CapaImageView       *self);

G_END_DECLS
