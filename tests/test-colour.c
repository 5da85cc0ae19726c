/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <lcms2.h>

#include "capa-test-utils.h"
#include "capa-colour-private.h"
#include "capa-testing-private.h"

/* --- profiles built with lcms2 for the tests --- */

static GBytes *
save_profile (cmsHPROFILE handle)
{
  cmsUInt32Number size = 0;
  guint8 *buffer;

  g_assert_nonnull (handle);
  g_assert_true (cmsSaveProfileToMem (handle, NULL, &size));
  buffer = g_malloc (size);
  g_assert_true (cmsSaveProfileToMem (handle, buffer, &size));
  cmsCloseProfile (handle);

  return g_bytes_new_take (buffer, size);
}

/* A wide-gamut display profile: ProPhoto-like primaries, D50, gamma 1.8. */
static GBytes *
make_wide_gamut_data (void)
{
  static const cmsCIExyY d50 = { 0.3457, 0.3585, 1.0 };
  static const cmsCIExyYTRIPLE primaries = {
    { 0.7347, 0.2653, 1.0 },
    { 0.1596, 0.8404, 1.0 },
    { 0.0366, 0.0001, 1.0 },
  };
  cmsToneCurve *curve = cmsBuildGamma (NULL, 1.8);
  cmsToneCurve *curves[3] = { curve, curve, curve };
  cmsHPROFILE handle = cmsCreateRGBProfile (&d50, &primaries, curves);
  cmsMLU *mlu = cmsMLUalloc (NULL, 1);

  cmsMLUsetASCII (mlu, "en", "US", "Wide gamut gamma 1.8");
  cmsWriteTag (handle, cmsSigProfileDescriptionTag, mlu);
  cmsMLUfree (mlu);
  cmsFreeToneCurve (curve);

  return save_profile (handle);
}

static CapaColourProfile *
make_wide_gamut (void)
{
  g_autoptr(GBytes) data = make_wide_gamut_data ();
  g_autoptr(GError) error = NULL;
  CapaColourProfile *profile = capa_colour_profile_new_display_from_data (data, &error);

  g_assert_no_error (error);
  return profile;
}

static GBytes *
make_cmyk_data (void)
{
  return save_profile (cmsCreateInkLimitingDeviceLink (cmsSigCmykData, 300));
}

static GBytes *
make_lab_data (void)
{
  return save_profile (cmsCreateLab4Profile (NULL));
}

static GBytes *
make_gray_data (void)
{
  cmsToneCurve *curve = cmsBuildGamma (NULL, 2.2);
  GBytes *data = save_profile (cmsCreateGrayProfile (cmsD50_xyY (), curve));

  cmsFreeToneCurve (curve);
  return data;
}

static GBytes *
make_rgb_link_data (void)
{
  cmsToneCurve *curve = cmsBuildGamma (NULL, 1.0);
  cmsToneCurve *curves[3] = { curve, curve, curve };
  GBytes *data = save_profile (cmsCreateLinearizationDeviceLink (cmsSigRgbData, curves));

  cmsFreeToneCurve (curve);
  return data;
}

/* --- profiles --- */

static void
test_profile_builtin (void)
{
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) srgb2 = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  CapaColourSpace space;
  const char *checksum;
  gsize size;

  g_assert_cmpstr (capa_colour_profile_get_description (srgb), ==, "sRGB built-in");
  g_assert_cmpstr (capa_colour_profile_get_description (adobe), ==, "Adobe RGB (1998) compatible");
  g_object_get (adobe, "description", &description, "colour-space", &space, NULL);
  g_assert_cmpstr (description, ==, "Adobe RGB (1998) compatible");
  g_assert_cmpint (space, ==, CAPA_COLOUR_SPACE_RGB);
  g_assert_cmpint (capa_colour_profile_get_colour_space (srgb), ==, CAPA_COLOUR_SPACE_RGB);

  checksum = capa_colour_profile_get_checksum (srgb);
  g_assert_cmpuint (strlen (checksum), ==, 32);
  g_assert_cmpstr (checksum, ==, capa_colour_profile_get_checksum (srgb2));
  g_assert_true (srgb != srgb2);
  g_assert_true (capa_colour_profile_equal (srgb, srgb2));
  g_assert_false (capa_colour_profile_equal (srgb, adobe));
  g_assert_cmpstr (checksum, !=, capa_colour_profile_get_checksum (adobe));

  g_assert_nonnull (g_bytes_get_data (capa_colour_profile_get_data (srgb), &size));
  g_assert_cmpuint (size, >, 132);
  g_assert_cmpmem ("acsp", 4,
                   (const guint8 *) g_bytes_get_data (capa_colour_profile_get_data (adobe), NULL)
                   + 36, 4);

  g_assert_true (capa_colour_profile_validate_for_display (srgb, &error));
  g_assert_no_error (error);
  g_assert_true (capa_colour_profile_validate_for_display (adobe, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&srgb));
  g_assert_finalize_object (g_steal_pointer (&srgb2));
  g_assert_finalize_object (g_steal_pointer (&adobe));
}

/* Adobe RGB (1998) must match its definition: the red primary at
 * x=0.64, y=0.33 and the white point at D65 once the chromatic adaptation
 * to the D50 PCS is undone, and a gamma of 563/256. */
static void
apply_inverse (const double  m[9],
               const cmsCIEXYZ *in,
               double         out[3])
{
  double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
               m[2] * (m[3] * m[7] - m[4] * m[6]);
  double inv[9] = {
    (m[4] * m[8] - m[5] * m[7]) / det,
    (m[2] * m[7] - m[1] * m[8]) / det,
    (m[1] * m[5] - m[2] * m[4]) / det,
    (m[5] * m[6] - m[3] * m[8]) / det,
    (m[0] * m[8] - m[2] * m[6]) / det,
    (m[2] * m[3] - m[0] * m[5]) / det,
    (m[3] * m[7] - m[4] * m[6]) / det,
    (m[1] * m[6] - m[0] * m[7]) / det,
    (m[0] * m[4] - m[1] * m[3]) / det,
  };
  double v[3] = { in->X, in->Y, in->Z };

  for (int i = 0; i < 3; i++)
    out[i] = inv[i * 3] * v[0] + inv[i * 3 + 1] * v[1] + inv[i * 3 + 2] * v[2];
}

static void
test_profile_adobe_rgb_values (void)
{
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  GBytes *data = capa_colour_profile_get_data (adobe);
  cmsHPROFILE handle = cmsOpenProfileFromMem (g_bytes_get_data (data, NULL),
                                              g_bytes_get_size (data));
  const double *chad = cmsReadTag (handle, cmsSigChromaticAdaptationTag);
  const cmsCIEXYZ *red = cmsReadTag (handle, cmsSigRedColorantTag);
  const cmsCIEXYZ *green = cmsReadTag (handle, cmsSigGreenColorantTag);
  const cmsCIEXYZ *blue = cmsReadTag (handle, cmsSigBlueColorantTag);
  cmsCIEXYZ white;
  cmsToneCurve *trc;
  double xyz[3];

  g_assert_nonnull (chad);
  g_assert_nonnull (red);
  apply_inverse (chad, red, xyz);
  g_assert_cmpfloat_with_epsilon (xyz[0] / (xyz[0] + xyz[1] + xyz[2]), 0.64, 0.001);
  g_assert_cmpfloat_with_epsilon (xyz[1] / (xyz[0] + xyz[1] + xyz[2]), 0.33, 0.001);

  white.X = red->X + green->X + blue->X;
  white.Y = red->Y + green->Y + blue->Y;
  white.Z = red->Z + green->Z + blue->Z;
  apply_inverse (chad, &white, xyz);
  g_assert_cmpfloat_with_epsilon (xyz[0] / (xyz[0] + xyz[1] + xyz[2]), 0.3127, 0.001);
  g_assert_cmpfloat_with_epsilon (xyz[1] / (xyz[0] + xyz[1] + xyz[2]), 0.3290, 0.001);

  trc = cmsReadTag (handle, cmsSigRedTRCTag);
  g_assert_nonnull (trc);
  g_assert_cmpfloat_with_epsilon (cmsEvalToneCurveFloat (trc, 0.5), pow (0.5, 563.0 / 256.0),
                                  0.001);

  cmsCloseProfile (handle);
  g_assert_finalize_object (g_steal_pointer (&adobe));
}

static void
test_profile_from_file (void)
{
  g_autofree char *dir = capa_test_make_tmpdir ("colour");
  g_autofree char *path = g_build_filename (dir, "wide.icc", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.icc", NULL);
  g_autofree char *cmyk_path = g_build_filename (dir, "cmyk.icc", NULL);
  g_autoptr(GBytes) data = make_wide_gamut_data ();
  g_autoptr(GBytes) cmyk = make_cmyk_data ();
  g_autoptr(CapaColourProfile) profile = NULL;
  g_autoptr(CapaColourProfile) from_data = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                      NULL));
  g_assert_true (g_file_set_contents (cmyk_path, g_bytes_get_data (cmyk, NULL),
                                      g_bytes_get_size (cmyk), NULL));

  profile = capa_colour_profile_new_display_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (capa_colour_profile_get_description (profile), ==, "Wide gamut gamma 1.8");
  from_data = capa_colour_profile_new_from_data (data, &error);
  g_assert_no_error (error);
  g_assert_true (capa_colour_profile_equal (profile, from_data));
  g_assert_true (g_bytes_equal (capa_colour_profile_get_data (profile), data));

  g_assert_null (capa_colour_profile_new_from_file (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  /* A CMYK file is a fine profile, but not for a display. */
  g_clear_object (&from_data);
  from_data = capa_colour_profile_new_from_file (cmyk_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (capa_colour_profile_get_colour_space (from_data), ==, CAPA_COLOUR_SPACE_CMYK);
  g_assert_null (capa_colour_profile_new_display_from_file (cmyk_path, &error));
  g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "cmyk.icc"));
  g_clear_error (&error);

  g_assert_finalize_object (g_steal_pointer (&profile));
  g_assert_finalize_object (g_steal_pointer (&from_data));
  capa_test_rmtree (dir);
}

static void
assert_invalid (GBytes *data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (capa_colour_profile_new_from_data (data, &error));
  g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  g_assert_null (capa_colour_profile_new_display_from_data (data, &error));
  g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID);
}

static void
test_profile_broken (void)
{
  g_autoptr(GBytes) valid = make_wide_gamut_data ();
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  const guint8 *valid_bytes;
  gsize valid_size;
  const gsize sizes[] = { 1, 4, 100, 131, 132, 500, 4096 };

  assert_invalid (empty);

  /* Random bytes of various sizes. */
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *buffer = g_malloc (sizes[i]);
      g_autoptr(GBytes) data = NULL;

      for (gsize j = 0; j < sizes[i]; j++)
        buffer[j] = g_rand_int_range (rand, 0, 256);
      data = g_bytes_new (buffer, sizes[i]);
      assert_invalid (data);
    }

  /* A valid profile cut short at many lengths. */
  valid_bytes = g_bytes_get_data (valid, &valid_size);
  for (gsize cut = 0; cut < valid_size; cut += (cut < 160 ? 1 : 37))
    {
      g_autoptr(GBytes) data = g_bytes_new (valid_bytes, cut);

      assert_invalid (data);
    }
  {
    g_autoptr(GBytes) data = g_bytes_new (valid_bytes, valid_size - 1);

    assert_invalid (data);
  }

  /* A sound header with an absurd tag count: lcms2 itself refuses it, and
   * its message reaches the GError. */
  {
    g_autofree guint8 *buffer = g_memdup2 (valid_bytes, valid_size);
    g_autoptr(GBytes) data = NULL;
    g_autoptr(GError) error = NULL;

    buffer[128] = buffer[129] = buffer[130] = buffer[131] = 0xff;
    data = g_bytes_new (buffer, valid_size);
    g_assert_null (capa_colour_profile_new_from_data (data, &error));
    g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID);
    g_test_message ("absurd tag count: %s", error->message);
  }
}

/* Scrambled tag data behind a valid header: never a crash, and a display
 * profile is either usable or refused with a colour error. */
static void
test_profile_fuzzed (void)
{
  g_autoptr(GBytes) valid = make_wide_gamut_data ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gsize size;
  const guint8 *bytes = g_bytes_get_data (valid, &size);
  guint n_refused = 0;

  for (guint round = 0; round < 300; round++)
    {
      g_autofree guint8 *buffer = g_memdup2 (bytes, size);
      g_autoptr(GBytes) data = NULL;
      g_autoptr(CapaColourProfile) profile = NULL;
      g_autoptr(GError) error = NULL;
      guint n_changes = g_rand_int_range (rand, 1, 16);

      for (guint i = 0; i < n_changes; i++)
        buffer[g_rand_int_range (rand, 128, (gint32) size)] = g_rand_int_range (rand, 0, 256);

      data = g_bytes_new (buffer, size);
      profile = capa_colour_profile_new_display_from_data (data, &error);
      if (profile == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == CAPA_COLOUR_ERROR);
          n_refused++;
        }
      else
        {
          g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
          g_autoptr(CapaColourTransform) transform = NULL;

          g_assert_no_error (error);
          transform = capa_colour_transform_new (srgb, profile,
                                                 CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
          g_assert_true (transform != NULL || error->domain == CAPA_COLOUR_ERROR);
        }
    }

  g_test_message ("%u of 300 scrambled profiles refused", n_refused);
  g_assert_cmpuint (n_refused, >, 0);
  _capa_testing_colour_transform_clear_cache ();
}

static void
test_profile_not_display (void)
{
  struct {
    const char *name;
    GBytes *(*make) (void);
    CapaColourSpace space;
  } cases[] = {
    { "CMYK", make_cmyk_data, CAPA_COLOUR_SPACE_CMYK },
    { "Lab", make_lab_data, CAPA_COLOUR_SPACE_LAB },
    { "grey", make_gray_data, CAPA_COLOUR_SPACE_GRAY },
    { "RGB device link", make_rgb_link_data, CAPA_COLOUR_SPACE_RGB },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) data = cases[i].make ();
      g_autoptr(CapaColourProfile) profile = NULL;
      g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].name);

      profile = capa_colour_profile_new_from_data (data, &error);
      g_assert_no_error (error);
      g_assert_cmpint (capa_colour_profile_get_colour_space (profile), ==, cases[i].space);

      g_assert_false (capa_colour_profile_validate_for_display (profile, &error));
      g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_UNSUPPORTED);
      g_clear_error (&error);

      g_assert_null (capa_colour_profile_new_display_from_data (data, &error));
      g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_UNSUPPORTED);
      g_clear_error (&error);

      if (cases[i].space != CAPA_COLOUR_SPACE_RGB)
        {
          g_assert_null (capa_colour_transform_new (profile, srgb,
                                                    CAPA_RENDERING_INTENT_PERCEPTUAL, &error));
          g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_UNSUPPORTED);
          g_clear_error (&error);
          g_assert_null (capa_colour_transform_new (srgb, profile,
                                                    CAPA_RENDERING_INTENT_PERCEPTUAL, &error));
          g_assert_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_UNSUPPORTED);
        }

      g_assert_finalize_object (g_steal_pointer (&profile));
    }
}

/* --- transforms, checked against lcms2 itself --- */

static GdkPixbuf *
make_random_pixbuf (GRand    *rand,
                    gboolean  has_alpha,
                    int       width,
                    int       height,
                    int       layout,
                    GdkPixbuf **parent_out)
{
  int n_channels = has_alpha ? 4 : 3;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  guint8 *pixels;
  int rowstride;

  switch (layout)
    {
    case 0:     /* gdk-pixbuf's own layout */
      pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, has_alpha, 8, width, height);
      break;

    case 1:     /* an odd stride: width × channels + 7 */
      {
        int stride = width * n_channels + 7;
        guint8 *data = g_malloc ((gsize) stride * height);

        pixbuf = gdk_pixbuf_new_from_data (data, GDK_COLORSPACE_RGB, has_alpha, 8,
                                           width, height, stride,
                                           (GdkPixbufDestroyNotify) g_free, NULL);
      }
      break;

    case 2:     /* a sub-pixbuf in the middle of a bigger one */
      {
        g_autoptr(GdkPixbuf) parent = gdk_pixbuf_new (GDK_COLORSPACE_RGB, has_alpha, 8,
                                                      width + 13, height + 5);

        pixels = gdk_pixbuf_get_pixels (parent);
        for (gsize i = 0; i < gdk_pixbuf_get_byte_length (parent); i++)
          pixels[i] = g_rand_int_range (rand, 0, 256);
        pixbuf = gdk_pixbuf_new_subpixbuf (parent, 9, 3, width, height);
        *parent_out = g_object_ref (parent);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  pixels = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * n_channels; x++)
      pixels[y * rowstride + x] = g_rand_int_range (rand, 0, 256);

  return g_steal_pointer (&pixbuf);
}

/* What lcms2 alone gives: one cmsDoTransform per row, made from fresh
 * handles opened from the profiles' bytes. */
static guint8 *
reference_transform (CapaColourProfile   *source,
                     CapaColourProfile   *destination,
                     CapaRenderingIntent  intent,
                     GdkPixbuf           *pixbuf)
{
  static const cmsUInt32Number intents[] = {
    INTENT_PERCEPTUAL, INTENT_RELATIVE_COLORIMETRIC,
    INTENT_SATURATION, INTENT_ABSOLUTE_COLORIMETRIC,
  };
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  int n_channels = has_alpha ? 4 : 3;
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  GBytes *sdata = capa_colour_profile_get_data (source);
  GBytes *ddata = capa_colour_profile_get_data (destination);
  cmsHPROFILE src = cmsOpenProfileFromMem (g_bytes_get_data (sdata, NULL),
                                           g_bytes_get_size (sdata));
  cmsHPROFILE dst = cmsOpenProfileFromMem (g_bytes_get_data (ddata, NULL),
                                           g_bytes_get_size (ddata));
  cmsHTRANSFORM transform;
  guint8 *out = g_malloc ((gsize) width * n_channels * height);

  transform = cmsCreateTransform (src, has_alpha ? TYPE_RGBA_8 : TYPE_RGB_8,
                                  dst, has_alpha ? TYPE_RGBA_8 : TYPE_RGB_8,
                                  intents[intent], has_alpha ? cmsFLAGS_COPY_ALPHA : 0);
  g_assert_nonnull (transform);
  for (int y = 0; y < height; y++)
    cmsDoTransform (transform, pixels + (gsize) y * rowstride,
                    out + (gsize) y * width * n_channels, width);

  cmsDeleteTransform (transform);
  cmsCloseProfile (src);
  cmsCloseProfile (dst);

  return out;
}

static void
assert_pixels_equal (GdkPixbuf    *pixbuf,
                     const guint8 *expected)
{
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int width = gdk_pixbuf_get_width (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);

  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    g_assert_cmpmem (pixels + (gsize) y * rowstride, width * n_channels,
                     expected + (gsize) y * width * n_channels, width * n_channels);
}

static void
test_transform_matches_lcms (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1122);
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) adobe = capa_colour_profile_new_adobe_rgb ();
  g_autoptr(CapaColourProfile) wide = make_wide_gamut ();
  CapaColourProfile *pairs[][2] = {
    { srgb, wide },
    { wide, srgb },
    { adobe, wide },
    { srgb, adobe },
  };
  /* Small ones run on the calling thread, big ones are split in bands. */
  const int sizes[][2] = { { 1, 1 }, { 37, 11 }, { 301, 217 }, { 613, 211 } };
  guint n_checked = 0;

  for (guint p = 0; p < G_N_ELEMENTS (pairs); p++)
    for (CapaRenderingIntent intent = CAPA_RENDERING_INTENT_PERCEPTUAL;
         intent <= CAPA_RENDERING_INTENT_ABSOLUTE_COLORIMETRIC; intent++)
      {
        g_autoptr(CapaColourTransform) transform = NULL;
        g_autoptr(GError) error = NULL;

        transform = capa_colour_transform_new (pairs[p][0], pairs[p][1], intent, &error);
        g_assert_no_error (error);
        g_assert_false (capa_colour_transform_is_identity (transform));
        g_assert_true (capa_colour_transform_get_source (transform) == pairs[p][0]);
        g_assert_true (capa_colour_transform_get_destination (transform) == pairs[p][1]);
        g_assert_cmpint (capa_colour_transform_get_intent (transform), ==, intent);

        for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
          for (int alpha = 0; alpha <= 1; alpha++)
            for (int layout = 0; layout <= 2; layout++)
              {
                g_autoptr(GdkPixbuf) pixbuf = NULL;
                g_autoptr(GdkPixbuf) parent = NULL;
                g_autoptr(GdkPixbuf) result = NULL;
                g_autofree guint8 *expected = NULL;
                g_autofree guint8 *parent_expected = NULL;

                pixbuf = make_random_pixbuf (rand, alpha, sizes[s][0], sizes[s][1], layout,
                                             &parent);
                expected = reference_transform (pairs[p][0], pairs[p][1], intent, pixbuf);

                result = capa_colour_transform_transform_pixbuf (transform, pixbuf);
                g_assert_nonnull (result);
                g_assert_cmpint (gdk_pixbuf_get_width (result), ==, sizes[s][0]);
                g_assert_cmpint (gdk_pixbuf_get_height (result), ==, sizes[s][1]);
                g_assert_cmpint (gdk_pixbuf_get_has_alpha (result), ==, alpha);
                assert_pixels_equal (result, expected);

                if (parent != NULL)
                  {
                    /* Around the sub-pixbuf, its parent must not change. */
                    int n_channels = alpha ? 4 : 3;
                    int stride = gdk_pixbuf_get_rowstride (parent);
                    gsize offset = gdk_pixbuf_read_pixels (pixbuf) -
                                   gdk_pixbuf_read_pixels (parent);

                    parent_expected = g_memdup2 (gdk_pixbuf_read_pixels (parent),
                                                 gdk_pixbuf_get_byte_length (parent));
                    for (int y = 0; y < sizes[s][1]; y++)
                      memcpy (parent_expected + offset + (gsize) y * stride,
                              expected + (gsize) y * sizes[s][0] * n_channels,
                              (gsize) sizes[s][0] * n_channels);
                  }

                capa_colour_transform_transform_pixbuf_in_place (transform, pixbuf);
                assert_pixels_equal (pixbuf, expected);
                if (parent != NULL)
                  g_assert_cmpmem (gdk_pixbuf_read_pixels (parent),
                                   gdk_pixbuf_get_byte_length (parent),
                                   parent_expected, gdk_pixbuf_get_byte_length (parent));
                n_checked++;
              }

      }

  _capa_testing_colour_transform_clear_cache ();
  g_test_message ("%u pixbufs equal to lcms2's own transform", n_checked);
}

static void
test_transform_cache (void)
{
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) srgb2 = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) wide = make_wide_gamut ();
  g_autoptr(CapaColourProfile) wide2 = make_wide_gamut ();
  g_autoptr(CapaColourTransform) first = NULL;
  g_autoptr(CapaColourTransform) second = NULL;
  g_autoptr(CapaColourTransform) other_intent = NULL;
  g_autoptr(CapaColourTransform) reverse = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before;

  _capa_testing_colour_transform_clear_cache ();
  n_before = _capa_testing_colour_transform_get_n_created ();

  first = capa_colour_transform_new (srgb, wide, CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_created (), ==, n_before + 1);

  /* Other objects with the same bytes: the same transform, not built again. */
  second = capa_colour_transform_new (srgb2, wide2, CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
  g_assert_no_error (error);
  g_assert_true (first == second);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_created (), ==, n_before + 1);

  other_intent = capa_colour_transform_new (srgb, wide, CAPA_RENDERING_INTENT_SATURATION, &error);
  g_assert_no_error (error);
  g_assert_true (other_intent != first);
  reverse = capa_colour_transform_new (wide, srgb, CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
  g_assert_no_error (error);
  g_assert_true (reverse != first);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_created (), ==, n_before + 3);

  /* Once dropped by the cache, a transform is freed with its last user. */
  g_clear_object (&second);
  _capa_testing_colour_transform_clear_cache ();
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&other_intent));
  g_assert_finalize_object (g_steal_pointer (&reverse));

  first = capa_colour_transform_new (srgb, wide, CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_created (), ==, n_before + 4);
  g_clear_object (&first);

  /* The cache is bounded: many intents and pairs do not grow it forever. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(CapaColourProfile) profile = NULL;
      g_autoptr(CapaColourTransform) transform = NULL;
      static const cmsCIExyYTRIPLE primaries = {
        { 0.64, 0.33, 1.0 }, { 0.30, 0.60, 1.0 }, { 0.15, 0.06, 1.0 },
      };
      cmsToneCurve *curve = cmsBuildGamma (NULL, 1.5 + i * 0.02);
      cmsToneCurve *curves[3] = { curve, curve, curve };
      g_autoptr(GBytes) data =
        save_profile (cmsCreateRGBProfile (cmsD50_xyY (), &primaries, curves));

      cmsFreeToneCurve (curve);
      profile = capa_colour_profile_new_from_data (data, &error);
      g_assert_no_error (error);
      transform = capa_colour_transform_new (srgb, profile, CAPA_RENDERING_INTENT_PERCEPTUAL,
                                             &error);
      g_assert_no_error (error);
    }
  first = capa_colour_transform_new (srgb, wide, CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_created (), ==, n_before + 4 + 40 + 1);

  g_clear_object (&first);
  _capa_testing_colour_transform_clear_cache ();
}

static void
test_transform_identity (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(CapaColourProfile) wide = make_wide_gamut ();
  g_autoptr(CapaColourProfile) wide2 = make_wide_gamut ();
  g_autoptr(CapaColourTransform) same = NULL;
  g_autoptr(CapaColourTransform) equal = NULL;
  g_autoptr(GError) error = NULL;

  /* The same object on both sides must not deadlock. */
  same = capa_colour_transform_new (wide, wide, CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (capa_colour_transform_is_identity (same));
  equal = capa_colour_transform_new (wide, wide2, CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC,
                                     &error);
  g_assert_no_error (error);
  g_assert_true (equal == same);

  for (int alpha = 0; alpha <= 1; alpha++)
    for (int layout = 0; layout <= 2; layout++)
      {
        g_autoptr(GdkPixbuf) parent = NULL;
        g_autoptr(GdkPixbuf) pixbuf = make_random_pixbuf (rand, alpha, 513, 301, layout, &parent);
        g_autoptr(GdkPixbuf) result = NULL;
        int n = alpha ? 4 : 3;
        g_autofree guint8 *before = g_malloc ((gsize) 513 * n * 301);

        for (int y = 0; y < 301; y++)
          memcpy (before + (gsize) y * 513 * n,
                  gdk_pixbuf_read_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf),
                  (gsize) 513 * n);

        result = capa_colour_transform_transform_pixbuf (same, pixbuf);
        g_assert_true (result != pixbuf);
        assert_pixels_equal (result, before);
        capa_colour_transform_transform_pixbuf_in_place (same, pixbuf);
        assert_pixels_equal (pixbuf, before);
      }

  g_clear_object (&equal);
  _capa_testing_colour_transform_clear_cache ();
  g_assert_finalize_object (g_steal_pointer (&same));
}

typedef struct
{
  gboolean   done;
  GdkPixbuf *pixbuf;
  GError    *error;
} AsyncResult;

static void
on_transformed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AsyncResult *async = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  async->pixbuf = capa_colour_transform_transform_pixbuf_finish (CAPA_COLOUR_TRANSFORM (object),
                                                                 result, &async->error);
  async->done = TRUE;
}

static void
test_transform_async (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) wide = make_wide_gamut ();
  g_autoptr(CapaColourTransform) transform = NULL;
  g_autoptr(GdkPixbuf) parent = NULL;
  g_autoptr(GdkPixbuf) pixbuf = make_random_pixbuf (rand, TRUE, 800, 600, 0, &parent);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree guint8 *expected = NULL;
  g_autoptr(GError) error = NULL;
  AsyncResult async = { 0 };

  transform = capa_colour_transform_new (srgb, wide, CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC,
                                         &error);
  g_assert_no_error (error);
  expected = reference_transform (srgb, wide, CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC, pixbuf);

  capa_colour_transform_transform_pixbuf_async (transform, pixbuf, NULL, on_transformed_cb, &async);
  g_assert_true (capa_test_wait_for (&async.done, 30000));
  g_assert_no_error (async.error);
  assert_pixels_equal (async.pixbuf, expected);
  g_clear_object (&async.pixbuf);

  async.done = FALSE;
  g_cancellable_cancel (cancellable);
  capa_colour_transform_transform_pixbuf_async (transform, pixbuf, cancellable, on_transformed_cb,
                                                &async);
  g_assert_true (capa_test_wait_for (&async.done, 30000));
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (async.pixbuf);
  g_clear_error (&async.error);

  g_clear_object (&transform);
  _capa_testing_colour_transform_clear_cache ();
}

/* --- threads --- */

typedef struct
{
  CapaColourProfile   *profiles[3];
  GdkPixbuf           *pixbuf;
  guint8              *expected[3][3][4];   /* [source][destination][intent] */
  CapaColourTransform *shared;
  guint8              *shared_expected;
  guint                seed;
} ThreadData;

static gpointer
thread_func (gpointer data)
{
  ThreadData *td = ((ThreadData **) data)[0];
  guint seed = GPOINTER_TO_UINT (((gpointer *) data)[1]);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint round = 0; round < 24; round++)
    {
      g_autoptr(GdkPixbuf) result = NULL;
      g_autoptr(GError) error = NULL;

      if (round % 2 == 0)
        {
          result = capa_colour_transform_transform_pixbuf (td->shared, td->pixbuf);
          assert_pixels_equal (result, td->shared_expected);
        }
      else
        {
          int s = g_rand_int_range (rand, 0, 3);
          int d = (s + g_rand_int_range (rand, 1, 3)) % 3;
          int intent = g_rand_int_range (rand, 0, 4);
          g_autoptr(CapaColourTransform) transform = NULL;

          transform = capa_colour_transform_new (td->profiles[s], td->profiles[d], intent, &error);
          g_assert_no_error (error);
          result = capa_colour_transform_transform_pixbuf (transform, td->pixbuf);
          assert_pixels_equal (result, td->expected[s][d][intent]);
        }

      if (round % 8 == 7)
        _capa_testing_colour_transform_clear_cache ();
    }

  return NULL;
}

/* A build held back on one thread holds up neither the lookup of another
 * transform nor its build, and a second thread asking for the transform
 * being built waits for it rather than building a second copy. */
typedef struct
{
  GMutex    mutex;
  GCond     cond;
  gboolean  held;        /* the perceptual build is waiting in the hook */
  gboolean  released;
  guint     n_builds;
} HeldBuild;

static void
hold_perceptual_build (CapaColourProfile   *source,
                       CapaColourProfile   *destination,
                       CapaRenderingIntent  intent,
                       gpointer             user_data)
{
  HeldBuild *hold = user_data;

  g_mutex_lock (&hold->mutex);
  hold->n_builds++;
  if (intent == CAPA_RENDERING_INTENT_PERCEPTUAL)
    {
      hold->held = TRUE;
      g_cond_broadcast (&hold->cond);
      while (!hold->released)
        g_cond_wait (&hold->cond, &hold->mutex);
    }
  g_mutex_unlock (&hold->mutex);
}

static gpointer
new_perceptual_thread (gpointer data)
{
  CapaColourProfile **profiles = data;
  g_autoptr(GError) error = NULL;
  CapaColourTransform *transform;

  transform = capa_colour_transform_new (profiles[0], profiles[1],
                                         CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
  g_assert_no_error (error);

  return transform;
}

static void
test_transform_cache_concurrent (void)
{
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) wide = make_wide_gamut ();
  g_autoptr(CapaColourProfile) srgb2 = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) wide2 = make_wide_gamut ();
  CapaColourProfile *pair[2] = { srgb, wide };
  CapaColourProfile *pair2[2] = { srgb2, wide2 };
  g_autoptr(CapaColourTransform) other = NULL;
  g_autoptr(CapaColourTransform) first = NULL;
  g_autoptr(CapaColourTransform) second = NULL;
  g_autoptr(GError) error = NULL;
  HeldBuild hold = { 0 };
  GThread *builder;
  GThread *waiter;
  guint n_before;

  _capa_testing_colour_transform_clear_cache ();
  n_before = _capa_testing_colour_transform_get_n_created ();
  g_mutex_init (&hold.mutex);
  g_cond_init (&hold.cond);
  _capa_testing_colour_transform_set_build_hook (hold_perceptual_build, &hold);

  builder = g_thread_new ("builder", new_perceptual_thread, pair);
  g_mutex_lock (&hold.mutex);
  while (!hold.held)
    g_cond_wait (&hold.cond, &hold.mutex);
  g_mutex_unlock (&hold.mutex);

  /* The perceptual build is stuck: another intent is built meanwhile. */
  other = capa_colour_transform_new (srgb, wide, CAPA_RENDERING_INTENT_SATURATION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (capa_colour_transform_get_intent (other), ==, CAPA_RENDERING_INTENT_SATURATION);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_cached (), ==, 1);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_created (), ==, n_before + 1);

  /* A second thread wanting the same (equal) profiles waits for the first. */
  waiter = g_thread_new ("waiter", new_perceptual_thread, pair2);
  while (_capa_testing_colour_transform_get_n_waiting () == 0)
    g_usleep (1000);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_created (), ==, n_before + 1);

  g_mutex_lock (&hold.mutex);
  hold.released = TRUE;
  g_cond_broadcast (&hold.cond);
  g_mutex_unlock (&hold.mutex);

  first = g_thread_join (builder);
  second = g_thread_join (waiter);
  _capa_testing_colour_transform_set_build_hook (NULL, NULL);

  /* One build, one cache entry, one object shared by both threads. */
  g_assert_nonnull (first);
  g_assert_true (first == second);
  g_assert_cmpuint (hold.n_builds, ==, 2);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_created (), ==, n_before + 2);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_cached (), ==, 2);
  g_assert_cmpuint (_capa_testing_colour_transform_get_n_waiting (), ==, 0);

  /* It works: the same pixels as a transform built without contention. */
  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 1);
    g_autoptr(GdkPixbuf) out = NULL;
    g_autoptr(GdkPixbuf) expected = NULL;
    g_autoptr(CapaColourTransform) again = NULL;

    gdk_pixbuf_fill (pixbuf, 0xc03010ff);
    out = capa_colour_transform_transform_pixbuf (first, pixbuf);
    g_clear_object (&second);
    _capa_testing_colour_transform_clear_cache ();
    g_assert_finalize_object (g_steal_pointer (&first));
    again = capa_colour_transform_new (srgb, wide, CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
    g_assert_no_error (error);
    expected = capa_colour_transform_transform_pixbuf (again, pixbuf);
    g_assert_cmpmem (gdk_pixbuf_read_pixels (out), gdk_pixbuf_get_byte_length (out),
                     gdk_pixbuf_read_pixels (expected), gdk_pixbuf_get_byte_length (expected));
  }

  _capa_testing_colour_transform_clear_cache ();
  g_assert_finalize_object (g_steal_pointer (&other));
  g_mutex_clear (&hold.mutex);
  g_cond_clear (&hold.cond);
}

static void
test_transform_threads (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autoptr(GdkPixbuf) parent = NULL;
  ThreadData td = { { NULL } };
  GThread *threads[6];
  gpointer args[G_N_ELEMENTS (threads)][2];
  g_autoptr(GError) error = NULL;

  td.profiles[0] = capa_colour_profile_new_srgb ();
  td.profiles[1] = capa_colour_profile_new_adobe_rgb ();
  td.profiles[2] = make_wide_gamut ();
  td.pixbuf = make_random_pixbuf (rand, TRUE, 640, 200, 1, &parent);

  for (int s = 0; s < 3; s++)
    for (int d = 0; d < 3; d++)
      for (int i = 0; i < 4 && s != d; i++)
        td.expected[s][d][i] = reference_transform (td.profiles[s], td.profiles[d], i, td.pixbuf);

  td.shared = capa_colour_transform_new (td.profiles[0], td.profiles[2],
                                         CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
  g_assert_no_error (error);
  td.shared_expected = td.expected[0][2][0];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      args[i][0] = &td;
      args[i][1] = GUINT_TO_POINTER (i + 1);
      threads[i] = g_thread_new ("colour-test", thread_func, args[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  _capa_testing_colour_transform_clear_cache ();
  g_assert_finalize_object (td.shared);
  for (int s = 0; s < 3; s++)
    {
      for (int d = 0; d < 3; d++)
        for (int i = 0; i < 4; i++)
          g_free (td.expected[s][d][i]);
      g_assert_finalize_object (td.profiles[s]);
    }
  g_object_unref (td.pixbuf);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

  g_test_add_func ("/Capa/ColourProfile/builtin", test_profile_builtin);
  g_test_add_func ("/Capa/ColourProfile/adobe-rgb-values", test_profile_adobe_rgb_values);
  g_test_add_func ("/Capa/ColourProfile/from-file", test_profile_from_file);
  g_test_add_func ("/Capa/ColourProfile/broken", test_profile_broken);
  g_test_add_func ("/Capa/ColourProfile/fuzzed", test_profile_fuzzed);
  g_test_add_func ("/Capa/ColourProfile/not-display", test_profile_not_display);
  g_test_add_func ("/Capa/ColourTransform/matches-lcms", test_transform_matches_lcms);
  g_test_add_func ("/Capa/ColourTransform/cache", test_transform_cache);
  g_test_add_func ("/Capa/ColourTransform/cache-concurrent", test_transform_cache_concurrent);
  g_test_add_func ("/Capa/ColourTransform/identity", test_transform_identity);
  g_test_add_func ("/Capa/ColourTransform/async", test_transform_async);
  g_test_add_func ("/Capa/ColourTransform/threads", test_transform_threads);

  return g_test_run ();
}
