/* SPDX-License-Identifier: GPL-3.0-or-later */

/* How long it takes to show a 24 MP camera JPEG on a 1920×1080 screen.
 *
 * A 6000×4000 JPEG (quality 90) is made at run time, then loaded as a
 * pixbuf fitted to 1920×1080 (1620×1080):
 *
 *   capa-blocking  capa_image_load_pixbuf()
 *   capa-async     capa_image_load_pixbuf_async() from a main loop
 *   floor          the bare libraries: libjpeg-turbo at the same DCT scale
 *                  (1/2) from memory, then gdk_pixbuf_scale_simple() bilinear
 *   naive          full-size decode (gdk_pixbuf_new_from_file()), then
 *                  gdk_pixbuf_scale_simple() bilinear
 *
 * Each method runs --runs times (default 7) after one warm-up, the methods
 * taking turns; the table gives the median, minimum and maximum in
 * milliseconds.  Every method goes through load_fitted(), then
 * display_step(): the colour transform from the image's profile (sRGB, as
 * it is untagged) to the monitor's, here a wide-gamut Adobe RGB display,
 * of only the pixels shown.  The Capa methods use CapaImage's colour
 * profile and a CapaColourTransform in place; the floor and the naive path
 * use lcms2 directly with a transform made once, as a viewer would cache it.
 *
 * Usage: bench-display [--runs N] [--keep FILE]
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <jpeglib.h>
#include <lcms2.h>

#include <capa.h>

#define SOURCE_WIDTH  6000
#define SOURCE_HEIGHT 4000
#define BOX_WIDTH     1920
#define BOX_HEIGHT    1080

typedef enum {
  METHOD_CAPA_BLOCKING,
  METHOD_CAPA_ASYNC,
  METHOD_FLOOR,
  METHOD_NAIVE,
  N_METHODS,
} Method;

static const char * const method_names[N_METHODS] = {
  "capa-blocking",
  "capa-async",
  "floor",
  "naive",
};

static const char * const method_descriptions[N_METHODS] = {
  "CapaImage, blocking",
  "CapaImage, async (thread pool)",
  "libjpeg-turbo 1/2+bilinear+lcms2",
  "full decode+bilinear+lcms2",
};

/* A photo-like test image: smooth gradients with fine texture, so that the
 * entropy decoder has real work to do. */
static void
write_source_jpeg (const char *path)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autofree guint8 *row = g_malloc (SOURCE_WIDTH * 3);
  guint32 seed = 12345;
  FILE *fp = fopen (path, "wb");

  if (fp == NULL)
    g_error ("Cannot write %s", path);

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_stdio_dest (&cinfo, fp);
  cinfo.image_width = SOURCE_WIDTH;
  cinfo.image_height = SOURCE_HEIGHT;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 90, TRUE);
  jpeg_start_compress (&cinfo, TRUE);

  while (cinfo.next_scanline < cinfo.image_height)
    {
      int y = cinfo.next_scanline;
      JSAMPROW rows[1] = { row };

      for (int x = 0; x < SOURCE_WIDTH; x++)
        {
          int noise;

          seed = seed * 1103515245 + 12345;
          noise = (int) ((seed >> 16) & 0x1f) - 16;
          row[x * 3 + 0] = CLAMP (x * 255 / SOURCE_WIDTH + noise, 0, 255);
          row[x * 3 + 1] = CLAMP (y * 255 / SOURCE_HEIGHT + noise, 0, 255);
          row[x * 3 + 2] = CLAMP (((x + y) / 16) % 256 + noise, 0, 255);
        }
      jpeg_write_scanlines (&cinfo, rows, 1);
    }

  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  fclose (fp);
}

/* The bare libraries at the scale CapaImage picks: the floor. */
static GdkPixbuf *
load_floor (const char *path,
            int         max_width,
            int         max_height)
{
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autofree char *contents = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  gsize length = 0;
  guint8 *pixels;
  gsize rowstride;
  double scale;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    g_error ("Cannot read %s", path);

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_decompress (&cinfo);
  jpeg_mem_src (&cinfo, (const guint8 *) contents, length);
  jpeg_read_header (&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  cinfo.scale_num = 1;
  cinfo.scale_denom = 2;
  jpeg_start_decompress (&cinfo);

  decoded = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, cinfo.output_width, cinfo.output_height);
  pixels = gdk_pixbuf_get_pixels (decoded);
  rowstride = gdk_pixbuf_get_rowstride (decoded);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW rows[1] = { pixels + (gsize) cinfo.output_scanline * rowstride };

      jpeg_read_scanlines (&cinfo, rows, 1);
    }
  jpeg_finish_decompress (&cinfo);
  jpeg_destroy_decompress (&cinfo);

  scale = MIN ((double) max_width / SOURCE_WIDTH, (double) max_height / SOURCE_HEIGHT);
  return gdk_pixbuf_scale_simple (decoded, (int) (SOURCE_WIDTH * scale + 0.5),
                                  (int) (SOURCE_HEIGHT * scale + 0.5), GDK_INTERP_BILINEAR);
}

static GdkPixbuf *
load_naive (const char *path,
            int         max_width,
            int         max_height)
{
  g_autoptr(GdkPixbuf) full = NULL;
  g_autoptr(GError) error = NULL;
  double scale;

  full = gdk_pixbuf_new_from_file (path, &error);
  if (full == NULL)
    g_error ("%s", error->message);

  scale = MIN ((double) max_width / gdk_pixbuf_get_width (full),
               (double) max_height / gdk_pixbuf_get_height (full));
  return gdk_pixbuf_scale_simple (full, (int) (gdk_pixbuf_get_width (full) * scale + 0.5),
                                  (int) (gdk_pixbuf_get_height (full) * scale + 0.5),
                                  GDK_INTERP_BILINEAR);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GdkPixbuf **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = capa_image_load_pixbuf_finish (CAPA_IMAGE (object), result, &error);
  if (*out == NULL)
    g_error ("%s", error->message);
}

/* Decode and fit: the step every method shares. */
static GdkPixbuf *
load_fitted (Method      method,
             const char *path,
             int         max_width,
             int         max_height)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = NULL;

  switch (method)
    {
    case METHOD_CAPA_BLOCKING:
      image = capa_image_new (path);
      pixbuf = capa_image_load_pixbuf (image, max_width, max_height, NULL, &error);
      if (pixbuf == NULL)
        g_error ("%s", error->message);
      return pixbuf;

    case METHOD_CAPA_ASYNC:
      image = capa_image_new (path);
      capa_image_load_pixbuf_async (image, max_width, max_height, NULL, on_loaded_cb, &pixbuf);
      while (pixbuf == NULL)
        g_main_context_iteration (NULL, TRUE);
      return pixbuf;

    case METHOD_FLOOR:
      return load_floor (path, max_width, max_height);

    case METHOD_NAIVE:
      return load_naive (path, max_width, max_height);

    case N_METHODS:
    default:
      g_assert_not_reached ();
    }
}

/* The monitor's profile, and the bare lcms2 transform to it. */
static CapaColourProfile *monitor_profile;
static cmsHTRANSFORM bare_transform;

static void
setup_colour (void)
{
  g_autoptr(GBytes) monitor_icc = NULL;
  cmsHPROFILE srgb, monitor;
  gsize size = 0;
  const void *data;

  monitor_profile = capa_colour_profile_new_adobe_rgb ();
  monitor_icc = g_bytes_ref (capa_colour_profile_get_data (monitor_profile));
  data = g_bytes_get_data (monitor_icc, &size);

  srgb = cmsCreate_sRGBProfile ();
  monitor = cmsOpenProfileFromMem (data, size);
  bare_transform = cmsCreateTransform (srgb, TYPE_RGB_8, monitor, TYPE_RGB_8,
                                       INTENT_RELATIVE_COLORIMETRIC, 0);
  cmsCloseProfile (srgb);
  cmsCloseProfile (monitor);
  if (bare_transform == NULL)
    g_error ("lcms2 cannot make the floor's transform");
}

/* What happens to the fitted pixbuf before it is drawn: the colour
 * transform from the image's profile to the monitor's, in place. */
static GdkPixbuf *
display_step (Method      method,
              const char *path,
              GdkPixbuf  *fitted)
{
  g_autoptr(GError) error = NULL;

  if (method == METHOD_CAPA_BLOCKING || method == METHOD_CAPA_ASYNC)
    {
      g_autoptr(CapaImage) image = capa_image_new (path);
      g_autoptr(CapaColourTransform) transform = NULL;
      CapaColourProfile *source;

      /* The viewer reads the image's metadata (and so its profile) once. */
      if (!capa_image_load_metadata (image, NULL, &error) ||
          (source = capa_image_get_colour_profile (image, &error)) == NULL)
        g_error ("%s", error->message);
      transform = capa_colour_transform_new (source, monitor_profile,
                                             CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC, &error);
      if (transform == NULL)
        g_error ("%s", error->message);
      capa_colour_transform_transform_pixbuf_in_place (transform, fitted);
    }
  else
    {
      cmsDoTransformLineStride (bare_transform,
                                gdk_pixbuf_get_pixels (fitted), gdk_pixbuf_get_pixels (fitted),
                                gdk_pixbuf_get_width (fitted), gdk_pixbuf_get_height (fitted),
                                gdk_pixbuf_get_rowstride (fitted),
                                gdk_pixbuf_get_rowstride (fitted),
                                0, 0);
    }

  return fitted;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *keep = NULL;
  g_autofree double *times = NULL;
  int widths[N_METHODS] = { 0 };
  int heights[N_METHODS] = { 0 };
  int runs = 7;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Timed runs per method (default 7)", "N" },
    { "keep", 'k', 0, G_OPTION_ARG_FILENAME, &keep,
      "Write the test JPEG here and keep it", "FILE" },
    { NULL },
  };
  GStatBuf st;

  context = g_option_context_new ("— time showing a 24 MP JPEG fitted to 1920×1080");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  runs = CLAMP (runs, 1, 1000);

  if (keep != NULL)
    {
      path = g_strdup (keep);
    }
  else
    {
      tmpdir = g_dir_make_tmp ("capa-bench-display-XXXXXX", &error);
      if (tmpdir == NULL)
        g_error ("%s", error->message);
      path = g_build_filename (tmpdir, "24mp.jpg", NULL);
    }

  write_source_jpeg (path);
  setup_colour ();
  if (g_stat (path, &st) != 0)
    g_error ("Cannot stat %s", path);

  g_print ("Showing a %dx%d JPEG (quality 90, %.1f MB) fitted to %dx%d; %d runs each\n\n",
           SOURCE_WIDTH, SOURCE_HEIGHT, st.st_size / 1e6, BOX_WIDTH, BOX_HEIGHT, runs);
  g_print ("%-14s  %-32s  %9s  %9s  %9s  %s\n",
           "method", "what", "median ms", "min ms", "max ms", "output");
  g_print ("%-14s  %-32s  %9s  %9s  %9s  %s\n",
           "--------------", "--------------------------------", "---------", "---------",
           "---------", "---------");

  /* one warm-up run each: page cache, thread pool, loader modules */
  for (Method method = 0; method < N_METHODS; method++)
    g_object_unref (display_step (method, path, load_fitted (method, path, BOX_WIDTH, BOX_HEIGHT)));

  /* Methods take turns, run after run, so that a busy machine weighs on
   * all of them alike. */
  times = g_new0 (double, (gsize) N_METHODS * runs);
  for (int i = 0; i < runs; i++)
    {
      for (Method method = 0; method < N_METHODS; method++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(GdkPixbuf) shown = display_step (method, path,
                                                     load_fitted (method, path,
                                                                  BOX_WIDTH, BOX_HEIGHT));

          times[method * runs + i] = (g_get_monotonic_time () - start) / 1000.0;
          widths[method] = gdk_pixbuf_get_width (shown);
          heights[method] = gdk_pixbuf_get_height (shown);
        }
    }

  for (Method method = 0; method < N_METHODS; method++)
    {
      double *method_times = times + method * runs;

      qsort (method_times, runs, sizeof (double), compare_doubles);
      g_print ("%-14s  %-32s  %9.1f  %9.1f  %9.1f  %dx%d\n",
               method_names[method], method_descriptions[method],
               method_times[runs / 2], method_times[0], method_times[runs - 1],
               widths[method], heights[method]);
    }

  if (keep == NULL)
    {
      g_unlink (path);
      g_rmdir (tmpdir);
    }

  return EXIT_SUCCESS;
}
