/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Megapixels per second of CapaColourTransform (sRGB → a wide-gamut
 * gamma-1.8 display profile) on a 24 MP pixbuf, RGB and RGBA, beside the
 * floor: lcms2's own cmsDoTransformLineStride on the same pixels with the
 * same profiles, intent and flags, split into one band per core. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

#include <capa.h>

#define WIDTH   6000
#define HEIGHT  4000

typedef struct
{
  cmsHTRANSFORM  transform;
  guint8        *pixels;
  int            width;
  int            rows;
  int            stride;
} Band;

static gpointer
band_thread (gpointer data)
{
  Band *band = data;

  cmsDoTransformLineStride (band->transform, band->pixels, band->pixels,
                            band->width, band->rows, band->stride, band->stride, 0, 0);
  return NULL;
}

/* lcms2 alone on all cores: one thread per core, each on its own rows. */
static void
lcms_on_all_cores (cmsHTRANSFORM  transform,
                   GdkPixbuf     *pixbuf,
                   guint          n_threads)
{
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int rows_per_thread = (height + (int) n_threads - 1) / (int) n_threads;
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  g_autofree Band *bands = g_new0 (Band, n_threads);

  for (guint i = 0; i < n_threads; i++)
    {
      int y = (int) i * rows_per_thread;

      bands[i].transform = transform;
      bands[i].pixels = pixels + (gsize) y * stride;
      bands[i].width = gdk_pixbuf_get_width (pixbuf);
      bands[i].rows = MAX (0, MIN (rows_per_thread, height - y));
      bands[i].stride = stride;
      threads[i] = g_thread_new ("lcms-band", band_thread, &bands[i]);
    }
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);
}

static GBytes *
wide_gamut_data (void)
{
  static const cmsCIExyY d50 = { 0.3457, 0.3585, 1.0 };
  static const cmsCIExyYTRIPLE primaries = {
    { 0.7347, 0.2653, 1.0 }, { 0.1596, 0.8404, 1.0 }, { 0.0366, 0.0001, 1.0 },
  };
  cmsToneCurve *curve = cmsBuildGamma (NULL, 1.8);
  cmsToneCurve *curves[3] = { curve, curve, curve };
  cmsHPROFILE handle = cmsCreateRGBProfile (&d50, &primaries, curves);
  cmsUInt32Number size = 0;
  guint8 *buffer;

  cmsSaveProfileToMem (handle, NULL, &size);
  buffer = g_malloc (size);
  cmsSaveProfileToMem (handle, buffer, &size);
  cmsCloseProfile (handle);
  cmsFreeToneCurve (curve);

  return g_bytes_new_take (buffer, size);
}

static GdkPixbuf *
make_pixbuf (gboolean has_alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, has_alpha, 8, WIDTH, HEIGHT);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  gsize length = gdk_pixbuf_get_byte_length (pixbuf);
  guint32 state = 2463534242u;

  /* A photograph-like spread of values without a costly generator. */
  for (gsize i = 0; i < length; i++)
    {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      pixels[i] = state >> 24;
    }

  return pixbuf;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  CapaColourTransform *capa;
  cmsHTRANSFORM        lcms;
  GdkPixbuf           *pixbuf;
  GBytes              *pristine;
  guint                n_threads;
} Run;

/* Every method starts from the same pixels: restore them (untimed). */
static double
time_run (Run   *run,
          void (*func) (gpointer))
{
  gint64 start;

  memcpy (gdk_pixbuf_get_pixels (run->pixbuf), g_bytes_get_data (run->pristine, NULL),
          g_bytes_get_size (run->pristine));
  start = g_get_monotonic_time ();
  func (run);

  return (g_get_monotonic_time () - start) / 1e6;
}

static void
run_capa_in_place (gpointer data)
{
  Run *run = data;

  capa_colour_transform_transform_pixbuf_in_place (run->capa, run->pixbuf);
}

static void
run_capa_new (gpointer data)
{
  Run *run = data;
  g_autoptr(GdkPixbuf) result = capa_colour_transform_transform_pixbuf (run->capa, run->pixbuf);

  g_assert (result != NULL);
}

static void
run_lcms (gpointer data)
{
  Run *run = data;

  lcms_on_all_cores (run->lcms, run->pixbuf, run->n_threads);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CapaColourProfile) srgb = capa_colour_profile_new_srgb ();
  g_autoptr(CapaColourProfile) wide = NULL;
  g_autoptr(GBytes) wide_data = wide_gamut_data ();
  g_autoptr(GError) error = NULL;
  guint n_threads = g_get_num_processors ();
  const char *runs_env = g_getenv ("CAPA_BENCH_RUNS");
  guint runs = runs_env ? (guint) g_ascii_strtoull (runs_env, NULL, 10) : 9;
  double megapixels = WIDTH * (double) HEIGHT / 1e6;

  wide = capa_colour_profile_new_display_from_data (wide_data, &error);
  g_assert_no_error (error);

  g_print ("CapaColourTransform, sRGB -> wide-gamut gamma 1.8, perceptual, "
           "%dx%d (%.0f MP), %u cores, best of %u\n\n",
           WIDTH, HEIGHT, megapixels, n_threads, MAX (runs, 1));
  g_print ("%-6s  %-34s  %10s  %10s  %8s  %8s\n", "format", "method", "seconds", "MP/s",
           "x floor", "median");
  g_print ("%-6s  %-34s  %10s  %10s  %8s  %8s\n", "", "", "(best)", "(best)", "(best)",
           "x floor");

  for (int alpha = 0; alpha <= 1; alpha++)
    {
      g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (alpha);
      GBytes *sdata = capa_colour_profile_get_data (srgb);
      cmsHPROFILE src = cmsOpenProfileFromMem (g_bytes_get_data (sdata, NULL),
                                               g_bytes_get_size (sdata));
      cmsHPROFILE dst = cmsOpenProfileFromMem (g_bytes_get_data (wide_data, NULL),
                                               g_bytes_get_size (wide_data));
      Run run = { 0 };
      g_autofree double *in_place_ratios = g_new0 (double, MAX (runs, 1));
      g_autofree double *new_ratios = g_new0 (double, MAX (runs, 1));
      double floor_s, in_place_s, new_s;
      const char *format = alpha ? "RGBA" : "RGB";

      run.capa = capa_colour_transform_new (srgb, wide, CAPA_RENDERING_INTENT_PERCEPTUAL, &error);
      g_assert_no_error (error);
      run.lcms = cmsCreateTransform (src, alpha ? TYPE_RGBA_8 : TYPE_RGB_8,
                                     dst, alpha ? TYPE_RGBA_8 : TYPE_RGB_8,
                                     INTENT_PERCEPTUAL, alpha ? cmsFLAGS_COPY_ALPHA : 0);
      run.pixbuf = pixbuf;
      run.n_threads = n_threads;

      run.pristine = g_bytes_new (gdk_pixbuf_read_pixels (pixbuf),
                                  gdk_pixbuf_get_byte_length (pixbuf));

      /* Warm up both (page faults, caches), then measure them in turns so
       * that the load of the machine weighs on each alike; keep the best. */
      time_run (&run, run_lcms);
      time_run (&run, run_capa_in_place);
      floor_s = in_place_s = new_s = G_MAXDOUBLE;
      for (guint i = 0; i < MAX (runs, 1); i++)
        {
          double f = time_run (&run, run_lcms);
          double p = time_run (&run, run_capa_in_place);
          double n = time_run (&run, run_capa_new);

          floor_s = MIN (floor_s, f);
          in_place_s = MIN (in_place_s, p);
          new_s = MIN (new_s, n);
          /* Runs side by side in time see the same outside load. */
          in_place_ratios[i] = f / p;
          new_ratios[i] = f / n;
        }
      qsort (in_place_ratios, MAX (runs, 1), sizeof (double), compare_doubles);
      qsort (new_ratios, MAX (runs, 1), sizeof (double), compare_doubles);

      g_print ("%-6s  %-34s  %10.3f  %10.1f  %8s\n", format,
               "lcms2 alone, 1 band per core", floor_s, megapixels / floor_s, "1.00");
      g_print ("%-6s  %-34s  %10.3f  %10.1f  %8.2f  %8.2f\n", format,
               "Capa, transform_pixbuf_in_place", in_place_s, megapixels / in_place_s,
               floor_s / in_place_s, in_place_ratios[MAX (runs, 1) / 2]);
      g_print ("%-6s  %-34s  %10.3f  %10.1f  %8.2f  %8.2f\n", format,
               "Capa, transform_pixbuf (new)", new_s, megapixels / new_s, floor_s / new_s,
               new_ratios[MAX (runs, 1) / 2]);

      cmsDeleteTransform (run.lcms);
      cmsCloseProfile (src);
      cmsCloseProfile (dst);
      g_object_unref (run.capa);
      g_bytes_unref (run.pristine);
    }

  return 0;
}
