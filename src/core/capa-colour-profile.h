/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CAPA_COLOUR_ERROR:
 *
 * The error domain of colour profiles and transforms; errors in it use
 * the codes of [enum@Capa.ColourError].
 */
#define CAPA_COLOUR_ERROR (capa_colour_error_quark ())

/**
 * CapaColourError:
 * @CAPA_COLOUR_ERROR_INVALID: the data is not a usable ICC profile
 *   (corrupt, truncated, empty or missing required tags)
 * @CAPA_COLOUR_ERROR_UNSUPPORTED: the profile is valid but cannot be used
 *   for what was asked, such as a CMYK or Lab profile given as the profile
 *   of a display
 * @CAPA_COLOUR_ERROR_FAILED: lcms2 could not build a transform
 *
 * Error codes of the %CAPA_COLOUR_ERROR domain.
 */
typedef enum {
  CAPA_COLOUR_ERROR_INVALID,
  CAPA_COLOUR_ERROR_UNSUPPORTED,
  CAPA_COLOUR_ERROR_FAILED,
} CapaColourError;

/**
 * CapaColourSpace:
 * @CAPA_COLOUR_SPACE_RGB: red, green and blue
 * @CAPA_COLOUR_SPACE_GRAY: a single grey channel
 * @CAPA_COLOUR_SPACE_CMYK: cyan, magenta, yellow and black
 * @CAPA_COLOUR_SPACE_LAB: CIE L\*a\*b\*
 * @CAPA_COLOUR_SPACE_OTHER: any other colour space
 *
 * The colour space of the device side of an ICC profile.
 */
typedef enum {
  CAPA_COLOUR_SPACE_RGB,
  CAPA_COLOUR_SPACE_GRAY,
  CAPA_COLOUR_SPACE_CMYK,
  CAPA_COLOUR_SPACE_LAB,
  CAPA_COLOUR_SPACE_OTHER,
} CapaColourSpace;

#define CAPA_TYPE_COLOUR_PROFILE (capa_colour_profile_get_type ())

G_DECLARE_FINAL_TYPE (CapaColourProfile, capa_colour_profile, CAPA, COLOUR_PROFILE, GObject)

GQuark             capa_colour_error_quark                      (void);

CapaColourProfile *capa_colour_profile_new_from_data            (GBytes             *data,
                                                                 GError            **error);
CapaColourProfile *capa_colour_profile_new_from_file            (const char         *filename,
                                                                 GError            **error);
CapaColourProfile *capa_colour_profile_new_display_from_data    (GBytes             *data,
                                                                 GError            **error);
CapaColourProfile *capa_colour_profile_new_display_from_file    (const char         *filename,
                                                                 GError            **error);
CapaColourProfile *capa_colour_profile_new_srgb                 (void);
CapaColourProfile *capa_colour_profile_new_adobe_rgb            (void);

gboolean           capa_colour_profile_validate_for_display     (CapaColourProfile  *self,
                                                                 GError            **error);

const char        *capa_colour_profile_get_description          (CapaColourProfile  *self);
CapaColourSpace    capa_colour_profile_get_colour_space         (CapaColourProfile  *self);
GBytes            *capa_colour_profile_get_data                 (CapaColourProfile  *self);
const char        *capa_colour_profile_get_checksum             (CapaColourProfile  *self);
gboolean           capa_colour_profile_equal                    (CapaColourProfile  *self,
                                                                 CapaColourProfile  *other);

G_END_DECLS
