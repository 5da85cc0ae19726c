/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Colour management through one window (issue 8, items 7 and 13): with a
 * known profile in the root window's `_ICC_PROFILE`, the pixels a real
 * CapaWindow's image view puts on the X screen equal lcms2's own
 * transform of the image's decoded pixels (within ±1 level), for an sRGB
 * JPEG and for a JPEG with an embedded profile; they change to the new
 * transform when the property changes to another profile, and to sRGB
 * when it is removed.  Nothing is wired by hand: the window finds the
 * property itself, as it would on a desktop.
 *
 * The images are flat colour patches aligned on the JPEG's blocks, so
 * that neither the codec nor scaling blurs the points compared; the
 * profiles are made here with lcms2.  Under Xvfb
 * (tests/harness/with-display.sh); no camera is needed. */

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>
#include <lcms2.h>
#include <xcb/randr.h>
#include <xcb/xcb.h>

#include "capa-test-utils.h"
#include "capa-test-xcb.h"

/* A guard against hangs only, never a timing assertion. */
#define WAIT_MS 60000

#define PATCH 64
#define COLUMNS 4
#define ROWS 2
#define N_PATCHES (COLUMNS * ROWS)
#define IMAGE_WIDTH (PATCH * COLUMNS)
#define IMAGE_HEIGHT (PATCH * ROWS)

/* The view's background, never a patch. */
#define BACKGROUND 0x1c

/* Saturated colours, which a change of primaries moves, and mid greys,
 * which a change of tone curve moves; none is dark, where a curve could
 * turn one level of difference in decoding into several. */
static const guint8 patch_colours[N_PATCHES][3] = {
  { 200, 40, 40 }, { 40, 170, 60 }, { 50, 70, 210 }, { 230, 200, 60 },
  { 128, 128, 128 }, { 30, 190, 210 }, { 210, 90, 180 }, { 160, 220, 140 },
};


static CapaApplication *app;

typedef struct
{
  guint8 rgb[N_PATCHES][3];
} Patches;

typedef struct
{
  char          *dir;
  CapaWindow    *window;
  CapaImageView *view;
  guint          n_painted;   /* SCREEN or FULL steps painted */
  GPtrArray     *errors;
} Fixture;

/* --- profiles, made with lcms2 --- */

/* An RGB display profile: white point and primaries as xy, one gamma. */
static cmsHPROFILE
make_profile (double       white_x,
              double       white_y,
              const double primaries[6],
              double       gamma,
              const char  *description)
{
  cmsCIExyY white = { white_x, white_y, 1.0 };
  cmsCIExyYTRIPLE triple = {
    { primaries[0], primaries[1], 1.0 },
    { primaries[2], primaries[3], 1.0 },
    { primaries[4], primaries[5], 1.0 },
  };
  cmsToneCurve *curve = cmsBuildGamma (NULL, gamma);
  cmsToneCurve *curves[3] = { curve, curve, curve };
  cmsHPROFILE profile = cmsCreateRGBProfile (&white, &triple, curves);
  cmsMLU *text = cmsMLUalloc (NULL, 1);

  g_assert_nonnull (profile);
  cmsMLUsetASCII (text, "en", "US", description);
  cmsWriteTag (profile, cmsSigProfileDescriptionTag, text);
  cmsMLUfree (text);
  cmsFreeToneCurve (curve);
  g_assert_true (cmsGetDeviceClass (profile) == cmsSigDisplayClass);

  return profile;
}

/* Adobe RGB primaries, D65, gamma 2.2: a wide-gamut monitor. */
static cmsHPROFILE
make_wide_profile (void)
{
  static const double primaries[6] = { 0.64, 0.33, 0.21, 0.71, 0.15, 0.06 };

  return make_profile (0.3127, 0.3290, primaries, 2.2, "Capa test: wide gamut, gamma 2.2");
}

/* ProPhoto-like primaries, D50, gamma 1.8: a very different monitor. */
static cmsHPROFILE
make_gamma18_profile (void)
{
  static const double primaries[6] = { 0.7347, 0.2653, 0.1596, 0.8404, 0.0366, 0.0001 };

  return make_profile (0.3457, 0.3585, primaries, 1.8, "Capa test: gamma 1.8");
}

/* Display P3-like primaries, D65, gamma 2.4: the profile embedded in an
 * image. */
static cmsHPROFILE
make_image_profile (void)
{
  static const double primaries[6] = { 0.680, 0.320, 0.265, 0.690, 0.150, 0.060 };

  return make_profile (0.3127, 0.3290, primaries, 2.4, "Capa test: image, gamma 2.4");
}

static GBytes *
profile_bytes (cmsHPROFILE profile)
{
  cmsUInt32Number size = 0;
  guint8 *data;

  g_assert_true (cmsSaveProfileToMem (profile, NULL, &size));
  g_assert_cmpuint (size, >, 128);
  data = g_malloc (size);
  g_assert_true (cmsSaveProfileToMem (profile, data, &size));

  return g_bytes_new_take (data, size);
}

/* --- the display's properties, written as a colour manager would --- */

/* Sets `_ICC_PROFILE` on the root window to @data, or deletes it. */
static void
set_root_profile (GBytes *data)
{
  capa_test_xcb_set_root_property ("_ICC_PROFILE", data);
}

/* The specification reads a RandR output's `_ICC_PROFILE` and
 * `_ICC_PROFILE_n` before the root window's: make sure neither is there,
 * so that the root window's property is the one the window uses. */
static void
clear_other_profiles (void)
{
  xcb_window_t root;
  g_autoptr(xcb_connection_t) connection = capa_test_xcb_connect (NULL, &root);
  xcb_atom_t atom = capa_test_xcb_intern_atom (connection, "_ICC_PROFILE");
  g_autofree xcb_randr_query_version_reply_t *version = NULL;
  g_autofree xcb_randr_get_screen_resources_current_reply_t *resources = NULL;

  for (guint n = 1; n < 4; n++)
    {
      g_autofree char *name = g_strdup_printf ("_ICC_PROFILE_%u", n);

      xcb_delete_property (connection, root, capa_test_xcb_intern_atom (connection, name));
    }

  version = xcb_randr_query_version_reply (connection,
                                           xcb_randr_query_version (connection, 1, 5), NULL);
  if (version != NULL)
    resources = xcb_randr_get_screen_resources_current_reply (
      connection, xcb_randr_get_screen_resources_current (connection, root), NULL);
  if (resources != NULL)
    {
      xcb_randr_output_t *outputs = xcb_randr_get_screen_resources_current_outputs (resources);
      int n_outputs = xcb_randr_get_screen_resources_current_outputs_length (resources);

      for (int i = 0; i < n_outputs; i++)
        xcb_randr_delete_output_property (connection, outputs[i], atom);
    }
  capa_test_xcb_sync (connection);
}

/* --- the images --- */

/* Writes a JPEG of flat patches to @path, with @profile embedded unless
 * it is NULL. */
static void
write_patches_jpeg (const char *path,
                    GBytes     *profile)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, IMAGE_WIDTH,
                                                IMAGE_HEIGHT);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < IMAGE_HEIGHT; y++)
    for (int x = 0; x < IMAGE_WIDTH; x++)
      memcpy (pixels + y * stride + x * 3, patch_colours[(y / PATCH) * COLUMNS + x / PATCH], 3);

  if (profile != NULL)
    {
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (profile, NULL),
                                                 g_bytes_get_size (profile));

      gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "100", "icc-profile", base64,
                       NULL);
    }
  else
    gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "100", NULL);
  g_assert_no_error (error);
}

/* The centre of each patch of the file as decoded, independently of
 * Capa's own decoder. */
static void
decode_patches (const char *path,
                Patches    *decoded)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);
  const guint8 *pixels;
  int stride, n_channels;

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, IMAGE_WIDTH);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, IMAGE_HEIGHT);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);

  for (guint i = 0; i < N_PATCHES; i++)
    {
      int x = (int) (i % COLUMNS) * PATCH + PATCH / 2;
      int y = (int) (i / COLUMNS) * PATCH + PATCH / 2;

      memcpy (decoded->rgb[i], pixels + y * stride + x * n_channels, 3);
    }
}

/* lcms2's transform of @decoded from @source (NULL: sRGB) to @display
 * (NULL: sRGB), with the window's default rendering intent. */
static void
transform_patches (const Patches *decoded,
                   cmsHPROFILE    source,
                   cmsHPROFILE    display,
                   Patches       *expected)
{
  cmsHPROFILE srgb = cmsCreate_sRGBProfile ();
  cmsHTRANSFORM transform;

  transform = cmsCreateTransform (source != NULL ? source : srgb, TYPE_RGB_8,
                                  display != NULL ? display : srgb, TYPE_RGB_8,
                                  INTENT_PERCEPTUAL, 0);
  g_assert_nonnull (transform);
  cmsDoTransform (transform, decoded->rgb, expected->rgb, N_PATCHES);
  cmsDeleteTransform (transform);
  cmsCloseProfile (srgb);
}

static guint
max_difference (const Patches *a,
                const Patches *b)
{
  guint worst = 0;

  for (guint i = 0; i < N_PATCHES; i++)
    for (guint c = 0; c < 3; c++)
      worst = MAX (worst, (guint) ABS ((int) a->rgb[i][c] - (int) b->rgb[i][c]));

  return worst;
}

/* --- the window --- */

static void
find_view_cb (GtkWidget *widget,
              gpointer   data)
{
  CapaImageView **view = data;

  if (*view != NULL)
    return;
  if (CAPA_IS_IMAGE_VIEW (widget))
    *view = CAPA_IMAGE_VIEW (widget);
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_view_cb, data);
}

static void
on_painted_cb (CapaImageView        *view,
               CapaImageViewQuality  quality,
               Fixture              *fixture)
{
  if (quality >= CAPA_IMAGE_VIEW_QUALITY_SCREEN)
    fixture->n_painted++;
}

static void
on_view_error_cb (CapaImageView *view,
                  const GError  *error,
                  Fixture       *fixture)
{
  g_test_message ("view error: %s", error->message);
  g_ptr_array_add (fixture->errors, g_error_copy (error));
}

static gboolean
is_background (const guint8 *pixels,
               int           stride,
               int           n_channels,
               int           x,
               int           y)
{
  const guint8 *p = pixels + y * stride + x * n_channels;

  return p[0] == BACKGROUND && p[1] == BACKGROUND && p[2] == BACKGROUND;
}

/* Reads back what reached the X server in the view's area and finds the
 * image in it: from the middle of the view (the image is centred) out to
 * the background on each side, which keeps clear of the exposure line at
 * the bottom. Returns FALSE while the image is not (all) there. */
static gboolean
read_drawn (Fixture *fixture,
            Patches *drawn)
{
  GtkWidget *view = GTK_WIDGET (fixture->view);
  g_autoptr(GdkPixbuf) screen = NULL;
  GtkAllocation allocation;
  const guint8 *pixels;
  int stride, n_channels, cx, cy;
  int left, right, top, bottom;

  gdk_display_sync (gtk_widget_get_display (view));
  gtk_widget_get_allocation (view, &allocation);
  screen = gdk_pixbuf_get_from_window (gtk_widget_get_window (view), allocation.x,
                                       allocation.y, allocation.width, allocation.height);
  g_assert_nonnull (screen);
  pixels = gdk_pixbuf_read_pixels (screen);
  stride = gdk_pixbuf_get_rowstride (screen);
  n_channels = gdk_pixbuf_get_n_channels (screen);
  cx = allocation.width / 2;
  cy = allocation.height / 2;

  for (left = cx; left > 0 && !is_background (pixels, stride, n_channels, left - 1, cy); left--)
    ;
  for (right = cx; right < allocation.width - 1
       && !is_background (pixels, stride, n_channels, right + 1, cy); right++)
    ;
  for (top = cy; top > 0 && !is_background (pixels, stride, n_channels, cx, top - 1); top--)
    ;
  for (bottom = cy; bottom < allocation.height - 1
       && !is_background (pixels, stride, n_channels, cx, bottom + 1); bottom++)
    ;

  if (right - left + 1 != IMAGE_WIDTH || bottom - top + 1 != IMAGE_HEIGHT)
    {
      g_test_message ("image not there yet: %d×%d at %d,%d", right - left + 1,
                      bottom - top + 1, left, top);
      return FALSE;
    }

  for (guint i = 0; i < N_PATCHES; i++)
    {
      int x = left + (int) (i % COLUMNS) * PATCH + PATCH / 2;
      int y = top + (int) (i / COLUMNS) * PATCH + PATCH / 2;

      memcpy (drawn->rgb[i], pixels + y * stride + x * n_channels, 3);
    }

  return TRUE;
}

static void
log_patches (const char    *what,
             const Patches *patches)
{
  g_autoptr(GString) text = g_string_new (what);

  for (guint i = 0; i < N_PATCHES; i++)
    g_string_append_printf (text, " %u,%u,%u", patches->rgb[i][0], patches->rgb[i][1],
                            patches->rgb[i][2]);
  g_test_message ("%s", text->str);
}

/* Spins until the view has painted the image at the size on the screen
 * since @painted_before and the pixels on the screen are @expected within
 * ±1 (the page may still be fading in, or an earlier profile's paint be
 * on the screen: they are read again every READ_MS); fails with what it
 * saw when WAIT_MS pass first. */
#define READ_MS 100

static void
assert_drawn (Fixture       *fixture,
              guint          painted_before,
              const Patches *expected,
              const char    *what)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  gint64 next_read = 0;
  Patches drawn = { 0 };
  gboolean read = FALSE;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
      g_assert_cmpuint (fixture->errors->len, ==, 0);
      if (fixture->n_painted == painted_before || g_get_monotonic_time () < next_read)
        continue;

      next_read = g_get_monotonic_time () + READ_MS * G_TIME_SPAN_MILLISECOND;
      read = read_drawn (fixture, &drawn);
      if (read && max_difference (&drawn, expected) <= 1)
        {
          log_patches ("drawn   ", &drawn);
          g_test_message ("%s: drawn as expected", what);
          return;
        }
    }

  g_test_message ("%s: %s", what, read ? "wrong pixels" : "nothing painted");
  log_patches ("expected", expected);
  if (read)
    log_patches ("drawn   ", &drawn);
  g_assert_not_reached ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GSettings *settings = capa_application_get_settings (app);

  g_settings_reset (settings, "colour-management");
  g_settings_reset (settings, "rendering-intent");
  g_settings_set_boolean (settings, "auto-connect", FALSE);

  /* Xvfb runs with -noreset: clean what an earlier case left. */
  clear_other_profiles ();
  set_root_profile (NULL);

  fixture->dir = capa_test_make_tmpdir ("window-colour");
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
}

/* Opens a session of the one image @name in the window (made at the
 * first call), which selects and shows it. */
static void
open_image (Fixture    *fixture,
            const char *name)
{
  g_autofree char *folder = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(CapaSession) session = NULL;

  session = capa_session_new (folder);
  if (fixture->window == NULL)
    {
      fixture->window = capa_window_new (app);
      gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
      capa_window_set_session (fixture->window, session);
      gtk_widget_show (GTK_WIDGET (fixture->window));

      find_view_cb (GTK_WIDGET (fixture->window), &fixture->view);
      g_assert_nonnull (fixture->view);
      g_signal_connect (fixture->view, "painted", G_CALLBACK (on_painted_cb), fixture);
      g_signal_connect (fixture->view, "error", G_CALLBACK (on_view_error_cb), fixture);
    }
  else
    capa_window_set_session (fixture->window, session);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (fixture->view, fixture);
      gtk_widget_destroy (GTK_WIDGET (fixture->window));
      capa_test_spin (200);
    }
  set_root_profile (NULL);
  g_settings_reset (capa_application_get_settings (app), "auto-connect");
  capa_test_rmtree (fixture->dir);
  g_free (fixture->dir);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
}

/* Makes the folder @name holding one JPEG of patches, with @embedded
 * (nullable) as its profile; its decoded patches go to @decoded. */
static void
make_session (Fixture     *fixture,
              const char  *name,
              cmsHPROFILE  embedded,
              Patches     *decoded)
{
  g_autofree char *folder = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *path = g_build_filename (folder, "patches.jpg", NULL);
  g_autoptr(GBytes) profile = embedded != NULL ? profile_bytes (embedded) : NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  write_patches_jpeg (path, profile);
  decode_patches (path, decoded);
  log_patches ("decoded ", decoded);
}

/* Steps through the display profiles for an image whose own profile is
 * @source (NULL: none, sRGB): the first monitor profile, a second one,
 * none. */
static void
check_profiles (Fixture       *fixture,
                const char    *name,
                cmsHPROFILE    source,
                const Patches *decoded)
{
  cmsHPROFILE wide = make_wide_profile ();
  cmsHPROFILE gamma18 = make_gamma18_profile ();
  g_autoptr(GBytes) wide_bytes = profile_bytes (wide);
  g_autoptr(GBytes) gamma18_bytes = profile_bytes (gamma18);
  Patches to_wide, to_gamma18, to_srgb;
  guint before;

  transform_patches (decoded, source, wide, &to_wide);
  transform_patches (decoded, source, gamma18, &to_gamma18);
  transform_patches (decoded, source, NULL, &to_srgb);
  log_patches ("to wide ", &to_wide);
  log_patches ("to 1.8  ", &to_gamma18);
  log_patches ("to sRGB ", &to_srgb);
  /* Each step changes the pixels far beyond the tolerance, so that a
   * window that kept the profile before, or drew without one, fails. */
  g_assert_cmpuint (max_difference (&to_wide, &to_gamma18), >, 8);
  g_assert_cmpuint (max_difference (&to_wide, &to_srgb), >, 8);
  g_assert_cmpuint (max_difference (&to_gamma18, &to_srgb), >, 8);
  g_assert_cmpuint (max_difference (&to_wide, decoded), >, 8);
  g_assert_cmpuint (max_difference (&to_gamma18, decoded), >, 8);

  /* The monitor's profile is there before the image is shown. */
  set_root_profile (wide_bytes);
  before = fixture->n_painted;
  open_image (fixture, name);
  assert_drawn (fixture, before, &to_wide, "wide-gamut monitor");

  /* Another monitor profile: the property changes under the window. */
  before = fixture->n_painted;
  set_root_profile (gamma18_bytes);
  assert_drawn (fixture, before, &to_gamma18, "gamma 1.8 monitor");

  /* No profile any more: sRGB. */
  before = fixture->n_painted;
  set_root_profile (NULL);
  assert_drawn (fixture, before, &to_srgb, "no monitor profile");

  cmsCloseProfile (wide);
  cmsCloseProfile (gamma18);
}

static void
test_srgb_image (Fixture       *fixture,
                 gconstpointer  data)
{
  Patches decoded;

  make_session (fixture, "srgb", NULL, &decoded);
  check_profiles (fixture, "srgb", NULL, &decoded);
}

static void
test_embedded_profile (Fixture       *fixture,
                       gconstpointer  data)
{
  cmsHPROFILE embedded = make_image_profile ();
  Patches decoded, as_srgb;

  make_session (fixture, "embedded", embedded, &decoded);
  /* The embedded profile matters: the image is not sRGB. */
  transform_patches (&decoded, embedded, NULL, &as_srgb);
  g_assert_cmpuint (max_difference (&decoded, &as_srgb), >, 8);

  check_profiles (fixture, "embedded", embedded, &decoded);
  cmsCloseProfile (embedded);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  capa_test_init (&argc, &argv);
  gtk_init (&argc, &argv);

  app = capa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/Capa/WindowColour/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("srgb-image", test_srgb_image);
  ADD ("embedded-profile", test_embedded_profile);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
