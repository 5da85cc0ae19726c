/* SPDX-License-Identifier: GPL-3.0-or-later */

/* ICC profile loading (CapaColourProfile from bytes, as an image's
 * embedded profile and as a display's profile), then what Capa does with a
 * profile that loads: its description, checksum, a transform to sRGB and
 * back applied to a few pixels. */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "capa-colour-private.h"
#include "capa-testing-private.h"
#include "fuzz-common.h"

static CapaColourProfile *srgb;
static GdkPixbuf *pixels;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  capa_fuzz_init_logging ();
  srgb = capa_colour_profile_new_srgb ();
  pixels = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 4, 2);
  gdk_pixbuf_fill (pixels, 0x4080c0ff);
  return 0;
}

static void
use_profile (CapaColourProfile *profile)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (capa_colour_profile_get_description (profile));
  g_assert_nonnull (capa_colour_profile_get_checksum (profile));
  (void) capa_colour_profile_get_colour_space (profile);
  g_assert_nonnull (capa_colour_profile_get_data (profile));
  (void) capa_colour_profile_equal (profile, srgb);
  (void) capa_colour_profile_validate_for_display (profile, &error);

  for (int intent = 0; intent < 2; intent++)
    {
      g_autoptr(CapaColourTransform) to = NULL;
      g_autoptr(CapaColourTransform) from = NULL;
      g_autoptr(GError) to_error = NULL;
      g_autoptr(GError) from_error = NULL;

      to = capa_colour_transform_new (profile, srgb, intent, &to_error);
      g_assert_true ((to != NULL) == (to_error == NULL));
      if (to != NULL)
        {
          g_autoptr(GdkPixbuf) out = capa_colour_transform_transform_pixbuf (to, pixels);

          g_assert_nonnull (out);
        }
      from = capa_colour_transform_new (srgb, profile, intent, &from_error);
      g_assert_true ((from != NULL) == (from_error == NULL));
      if (from != NULL)
        {
          g_autoptr(GdkPixbuf) out = capa_colour_transform_transform_pixbuf (from, pixels);

          g_assert_nonnull (out);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(CapaColourProfile) image_profile = NULL;
  g_autoptr(CapaColourProfile) display_profile = NULL;
  g_autoptr(GError) image_error = NULL;
  g_autoptr(GError) display_error = NULL;

  image_profile = capa_colour_profile_new_from_data (bytes, &image_error);
  g_assert_true ((image_profile != NULL) == (image_error == NULL));
  if (image_profile != NULL)
    use_profile (image_profile);

  /* The cache is bounded, but would keep profiles alive between runs. */
  _capa_testing_colour_transform_clear_cache ();

  display_profile = capa_colour_profile_new_display_from_data (bytes, &display_error);
  g_assert_true ((display_profile != NULL) == (display_error == NULL));

  return 0;
}
