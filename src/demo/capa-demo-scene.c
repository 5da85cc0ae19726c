/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The demo camera's pictures: a landscape drawn with cairo (sky, sun,
 * clouds, mountains, a lake, hills, a meadow and a tree), then "exposed"
 * as the settings say (brighter or darker by their EV, white balance,
 * vignetting at wide apertures, noise growing with ISO) and saved as a
 * JPEG with an EXIF block describing the shot. */

#define G_LOG_DOMAIN "Capa-Demo"

#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <jpeglib.h>
#include <libexif/exif-data.h>

#include "capa-demo-camera-private.h"

#define HORIZON 0.58

typedef struct
{
  double r, g, b;
} Rgb;

typedef struct
{
  guint32 state;
} Rand;

static guint32
rand_next (Rand *rand)
{
  guint32 x = rand->state;

  /* xorshift32 */
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rand->state = x;
  return x;
}

/* A uniform double in [0, 1). */
static double
rand_double (Rand *rand)
{
  return (rand_next (rand) >> 8) / 16777216.0;
}

static double
rand_range (Rand   *rand,
            double  low,
            double  high)
{
  return low + (high - low) * rand_double (rand);
}

static Rgb
mix (Rgb    a,
     Rgb    b,
     double t)
{
  return (Rgb) { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };
}

static Rgb
shade (Rgb    c,
       double f)
{
  return (Rgb) { c.r * f, c.g * f, c.b * f };
}

static void
add_stop (cairo_pattern_t *pattern,
          double           offset,
          Rgb              c,
          double           alpha)
{
  cairo_pattern_add_color_stop_rgba (pattern, offset,
                                     CLAMP (c.r, 0, 1), CLAMP (c.g, 0, 1), CLAMP (c.b, 0, 1),
                                     alpha);
}

static double
smooth (double x)
{
  x = CLAMP (x, 0.0, 1.0);
  return x * x * (3 - 2 * x);
}

/* The scene's light and layout for one picture. */
typedef struct
{
  double elevation;   /* of the sun, 0 (horizon) to 1 (high) */
  double sun_x;
  double sun_y;
  Rgb    sky_top;
  Rgb    sky_horizon;
  Rgb    sunlight;
  double width;       /* of the scene, in picture heights */
  double seed_phase;  /* varies the ridges */
} Scene;

typedef double (*Ridge) (const Scene *scene, double x);

static double
mountains_ridge (const Scene *scene,
                 double       x)
{
  double s = scene->seed_phase;

  return 0.49 + 0.035 * sin (x * 6.5 + s) + 0.02 * sin (x * 17.0 + 2 * s) +
         0.008 * sin (x * 43.0 + s) + 0.04 * smooth ((x - 0.9) / 0.5);
}

static double
far_shore_ridge (const Scene *scene,
                 double       x)
{
  return 0.585 - 0.07 * smooth ((x - 0.95) / 0.55) + 0.006 * sin (x * 23.0);
}

static double
headland_ridge (const Scene *scene,
                double       x)
{
  return 0.545 + 0.015 * sin (x * 7.0 + scene->seed_phase) + 0.19 * smooth ((x - 0.1) / 0.75);
}

static double
meadow_ridge (const Scene *scene,
              double       x)
{
  return 0.80 + 0.03 * sin (x * 2.6 + 1.0) + 0.01 * sin (x * 9.0);
}

static void
fill_below (cairo_t     *cr,
            const Scene *scene,
            Ridge        ridge,
            double       bottom)
{
  cairo_move_to (cr, -1.0, bottom);
  for (double x = -1.0; x <= scene->width + 1.0; x += 0.004)
    cairo_line_to (cr, x, ridge (scene, x));
  cairo_line_to (cr, scene->width + 1.0, bottom);
  cairo_close_path (cr);
}

static void
draw_sky (cairo_t     *cr,
          const Scene *scene)
{
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, 0, 0, HORIZON);
  cairo_pattern_t *glow;

  add_stop (sky, 0.0, scene->sky_top, 1);
  add_stop (sky, 0.65, mix (scene->sky_top, scene->sky_horizon, 0.55), 1);
  add_stop (sky, 1.0, scene->sky_horizon, 1);
  cairo_rectangle (cr, -1, -1, scene->width + 2, HORIZON + 1.2);
  cairo_set_source (cr, sky);
  cairo_fill (cr);
  cairo_pattern_destroy (sky);

  /* The sun's glow, then its disc. */
  glow = cairo_pattern_create_radial (scene->sun_x, scene->sun_y, 0,
                                      scene->sun_x, scene->sun_y, 0.6);
  add_stop (glow, 0.0, (Rgb) { 1, 0.98, 0.9 }, 0.95);
  add_stop (glow, 0.07, scene->sunlight, 0.55);
  add_stop (glow, 0.3, scene->sunlight, 0.15);
  add_stop (glow, 1.0, scene->sunlight, 0.0);
  cairo_arc (cr, scene->sun_x, scene->sun_y, 0.6, 0, 2 * G_PI);
  cairo_set_source (cr, glow);
  cairo_fill (cr);
  cairo_pattern_destroy (glow);

  cairo_arc (cr, scene->sun_x, scene->sun_y, 0.028, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 0.99, 0.95);
  cairo_fill (cr);
}

static void
draw_clouds (cairo_t     *cr,
             const Scene *scene,
             double       drift,
             Rand        *rand)
{
  Rgb lit = mix ((Rgb) { 1, 0.85, 0.75 }, (Rgb) { 1, 1, 1 }, scene->elevation);
  Rgb dark = mix ((Rgb) { 0.55, 0.5, 0.6 }, (Rgb) { 0.72, 0.76, 0.84 }, scene->elevation);
  double span = scene->width + 0.8;

  for (int i = 0; i < 7; i++)
    {
      double cx = fmod (rand_double (rand) * span + drift * (0.6 + 0.1 * i), span) - 0.4;
      double cy = rand_range (rand, 0.06, 0.36);
      double size = rand_range (rand, 0.035, 0.08) * (1.2 - cy);
      int puffs = 6 + (int) (rand_double (rand) * 6);

      for (int p = 0; p < puffs; p++)
        {
          double px = cx + rand_range (rand, -1.8, 1.8) * size;
          double py = cy + rand_range (rand, -0.35, 0.25) * size;
          double radius = size * rand_range (rand, 0.55, 1.0);
          /* Lit from the sun's side and from above. */
          double dx = CLAMP (scene->sun_x - px, -0.3, 0.3) * 0.8;
          cairo_pattern_t *puff = cairo_pattern_create_radial (px + dx * radius,
                                                               py - 0.35 * radius, 0,
                                                               px, py, radius);

          add_stop (puff, 0.0, lit, 0.9);
          add_stop (puff, 0.55, mix (lit, dark, 0.5), 0.7);
          add_stop (puff, 1.0, dark, 0.0);
          cairo_arc (cr, px, py, radius, 0, 2 * G_PI);
          cairo_set_source (cr, puff);
          cairo_fill (cr);
          cairo_pattern_destroy (puff);
        }
    }
}

static void
draw_land (cairo_t     *cr,
           const Scene *scene)
{
  Rgb haze = scene->sky_horizon;
  cairo_pattern_t *pattern;
  Rgb water_top, water_bottom;

  /* Far mountains, blue with distance. */
  pattern = cairo_pattern_create_linear (0, 0.42, 0, HORIZON + 0.02);
  add_stop (pattern, 0.0, mix ((Rgb) { 0.36, 0.43, 0.58 }, haze, 0.25), 1);
  add_stop (pattern, 1.0, mix ((Rgb) { 0.45, 0.52, 0.62 }, haze, 0.6), 1);
  fill_below (cr, scene, mountains_ridge, HORIZON + 0.05);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);

  /* The lake mirrors the sky, a little darker. */
  water_top = shade (mix (scene->sky_horizon, scene->sky_top, 0.3), 0.8);
  water_bottom = shade (scene->sky_top, 0.7);
  pattern = cairo_pattern_create_linear (0, HORIZON, 0, 0.8);
  add_stop (pattern, 0.0, water_top, 1);
  add_stop (pattern, 1.0, water_bottom, 1);
  cairo_rectangle (cr, -1, HORIZON, scene->width + 2, 0.3);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);

  /* The sun's glitter on the water. */
  cairo_save (cr);
  cairo_translate (cr, scene->sun_x, HORIZON + 0.06);
  cairo_scale (cr, 0.05, 0.12);
  pattern = cairo_pattern_create_radial (0, 0, 0, 0, 0, 1);
  add_stop (pattern, 0.0, scene->sunlight, 0.55 * (1.1 - scene->elevation));
  add_stop (pattern, 1.0, scene->sunlight, 0);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
  cairo_restore (cr);

  /* The far shore on the right, hazy. */
  pattern = cairo_pattern_create_linear (0, 0.5, 0, 0.62);
  add_stop (pattern, 0.0, mix ((Rgb) { 0.28, 0.40, 0.30 }, haze, 0.35), 1);
  add_stop (pattern, 1.0, mix ((Rgb) { 0.20, 0.30, 0.22 }, haze, 0.3), 1);
  fill_below (cr, scene, far_shore_ridge, 0.62);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);

  /* The headland on the left, in the sunlight. */
  pattern = cairo_pattern_create_linear (0, 0.53, 0, 0.9);
  add_stop (pattern, 0.0, mix ((Rgb) { 0.42, 0.55, 0.25 }, scene->sunlight, 0.12), 1);
  add_stop (pattern, 1.0, (Rgb) { 0.17, 0.28, 0.12 }, 1);
  fill_below (cr, scene, headland_ridge, 1.2);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
}

static void
draw_meadow (cairo_t     *cr,
             const Scene *scene,
             Rand        *rand)
{
  cairo_pattern_t *pattern = cairo_pattern_create_linear (0, 0.76, 0, 1.0);

  add_stop (pattern, 0.0, mix ((Rgb) { 0.52, 0.62, 0.24 }, scene->sunlight, 0.1), 1);
  add_stop (pattern, 1.0, (Rgb) { 0.22, 0.34, 0.10 }, 1);
  fill_below (cr, scene, meadow_ridge, 1.2);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);

  /* Blades of grass, and a few flowers. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int i = 0; i < 2500; i++)
    {
      double x = rand_range (rand, -0.2, scene->width + 0.2);
      double top = meadow_ridge (scene, x);
      double y = top + 0.005 + pow (rand_double (rand), 1.5) * (1.05 - top);
      double near = (y - 0.78) / 0.25;
      double length = (0.008 + 0.02 * rand_double (rand)) * (0.5 + near);
      Rgb green = mix ((Rgb) { 0.25, 0.38, 0.10 }, (Rgb) { 0.62, 0.70, 0.30 },
                       rand_double (rand));

      cairo_move_to (cr, x, y);
      cairo_rel_curve_to (cr, 0, -length * 0.5, rand_range (rand, -0.4, 0.4) * length,
                          -length * 0.8, rand_range (rand, -0.5, 0.5) * length, -length);
      cairo_set_line_width (cr, 0.0012 * (0.6 + near));
      cairo_set_source_rgba (cr, green.r, green.g, green.b, 0.8);
      cairo_stroke (cr);
    }

  for (int i = 0; i < 160; i++)
    {
      static const Rgb colours[] = { { 0.98, 0.85, 0.2 }, { 0.97, 0.97, 0.95 },
                                     { 0.85, 0.25, 0.2 }, { 0.7, 0.5, 0.9 } };
      double x = rand_range (rand, 0, scene->width);
      double top = meadow_ridge (scene, x);
      double y = top + 0.01 + rand_double (rand) * (1.0 - top);
      Rgb c = colours[rand_next (rand) % G_N_ELEMENTS (colours)];

      cairo_arc (cr, x, y, 0.0015 + 0.003 * (y - top) / 0.2, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, c.r, c.g, c.b);
      cairo_fill (cr);
    }
}

static void
draw_tree (cairo_t     *cr,
           const Scene *scene,
           Rand        *rand)
{
  double x = 1.08;
  double base = meadow_ridge (scene, x) + 0.03;
  double side = scene->sun_x < x ? -1 : 1;   /* towards the sun */
  double top = base - 0.28;
  cairo_pattern_t *pattern;

  /* Its shadow on the grass, away from the sun. */
  cairo_save (cr);
  cairo_translate (cr, x - side * 0.12 * (1.2 - scene->elevation), base + 0.005);
  cairo_scale (cr, 0.16 + 0.1 * (1 - scene->elevation), 0.022);
  pattern = cairo_pattern_create_radial (0, 0, 0, 0, 0, 1);
  cairo_pattern_add_color_stop_rgba (pattern, 0, 0.05, 0.1, 0.02, 0.45);
  cairo_pattern_add_color_stop_rgba (pattern, 1, 0.05, 0.1, 0.02, 0);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
  cairo_restore (cr);

  /* The trunk and two branches. */
  pattern = cairo_pattern_create_linear (x - 0.015, 0, x + 0.015, 0);
  cairo_pattern_add_color_stop_rgb (pattern, side < 0 ? 0 : 1, 0.45, 0.33, 0.22);
  cairo_pattern_add_color_stop_rgb (pattern, side < 0 ? 1 : 0, 0.17, 0.11, 0.07);
  cairo_move_to (cr, x - 0.016, base);
  cairo_curve_to (cr, x - 0.008, base - 0.1, x - 0.01, top + 0.08, x - 0.005, top);
  cairo_line_to (cr, x + 0.006, top);
  cairo_curve_to (cr, x + 0.01, top + 0.08, x + 0.008, base - 0.1, x + 0.018, base);
  cairo_close_path (cr);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);

  cairo_set_source_rgb (cr, 0.22, 0.15, 0.09);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (cr, 0.006);
  cairo_move_to (cr, x, base - 0.12);
  cairo_curve_to (cr, x - 0.03, base - 0.16, x - 0.06, base - 0.2, x - 0.08, base - 0.24);
  cairo_move_to (cr, x, base - 0.15);
  cairo_curve_to (cr, x + 0.03, base - 0.19, x + 0.05, base - 0.22, x + 0.07, base - 0.26);
  cairo_stroke (cr);

  /* The crown: leaf clusters, the shaded ones behind the lit ones. */
  for (int layer = 0; layer < 4; layer++)
    for (int i = 0; i < 45; i++)
      {
        double angle = rand_range (rand, 0, 2 * G_PI);
        double dist = sqrt (rand_double (rand));
        double cx = x + cos (angle) * dist * 0.14;
        double cy = top - 0.02 + sin (angle) * dist * 0.1;
        double radius = rand_range (rand, 0.022, 0.04) * (1.0 - 0.12 * layer);
        double light = 0.35 + 0.2 * layer + 0.25 * side * (cx - x) / 0.14 -
                       0.2 * (cy - top) / 0.1;
        Rgb lit = mix ((Rgb) { 0.18, 0.32, 0.10 }, (Rgb) { 0.50, 0.66, 0.26 },
                       CLAMP (light, 0, 1));
        Rgb dark = shade (lit, 0.75);

        pattern = cairo_pattern_create_radial (cx + side * 0.4 * radius, cy - 0.4 * radius,
                                               0, cx, cy, radius);
        add_stop (pattern, 0.0, mix (lit, scene->sunlight, 0.12), 1);
        add_stop (pattern, 0.6, lit, 1);
        add_stop (pattern, 0.9, dark, 0.9);
        add_stop (pattern, 1.0, dark, 0.0);
        cairo_arc (cr, cx, cy, radius, 0, 2 * G_PI);
        cairo_set_source (cr, pattern);
        cairo_fill (cr);
        cairo_pattern_destroy (pattern);
      }
}

static void
scene_init (Scene  *scene,
            double  phase,
            double  width,
            guint32 seed)
{
  Rgb noon_top = { 0.13, 0.34, 0.74 };
  Rgb noon_horizon = { 0.70, 0.82, 0.94 };
  Rgb low_top = { 0.20, 0.24, 0.50 };
  Rgb low_horizon = { 1.0, 0.66, 0.38 };
  double e;

  phase = CLAMP (phase, 0.0, 1.0);
  e = sin (G_PI * (0.08 + 0.84 * phase));
  scene->elevation = e;
  scene->width = width;
  scene->sun_x = 0.3 + (width - 0.6) * phase;
  scene->sun_y = HORIZON - 0.1 - 0.26 * e;
  scene->sky_top = mix (low_top, noon_top, smooth (e * 1.3));
  scene->sky_horizon = mix (low_horizon, noon_horizon, smooth (e * 1.2));
  scene->sunlight = mix ((Rgb) { 1.0, 0.72, 0.42 }, (Rgb) { 1.0, 0.95, 0.82 }, e);
  /* The same place in every picture: only the light and the sky change. */
  scene->seed_phase = 1.3;
}

/* Draws the scene as the eye sees it (sRGB) into a new surface. */
static cairo_surface_t *
draw_scene (int     width,
            int     height,
            double  zoom,
            double  phase,
            double  drift,
            guint32 seed)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  double aspect = (double) width / height;
  Scene scene;
  Rand rand = { seed | 1 };

  scene_init (&scene, phase, aspect, seed);

  cairo_scale (cr, height, height);
  /* A longer focal length shows the scene larger, turning towards the
   * tree. */
  {
    double centre = aspect / 2 + 0.2 * (zoom - 1) / (pow (70.0 / 24.0, 0.75) - 1);

    cairo_translate (cr, aspect / 2, 0.6);
    cairo_scale (cr, zoom, zoom);
    cairo_translate (cr, -centre, -0.6);
  }

  draw_sky (cr, &scene);
  draw_clouds (cr, &scene, drift, &rand);
  draw_land (cr, &scene);
  draw_meadow (cr, &scene, &rand);
  draw_tree (cr, &scene, &rand);

  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The white balance's channel gains (red, green, blue) on a daylight scene,
 * in the order of the settings' choices. */
static const Rgb white_balance_gains[] = {
  { 1.0, 1.0, 1.0 },      /* Auto */
  { 1.0, 1.0, 1.0 },      /* Daylight */
  { 1.07, 1.0, 0.90 },    /* Cloudy */
  { 1.13, 1.0, 0.84 },    /* Shade */
  { 0.66, 0.88, 1.50 },   /* Tungsten */
  { 0.86, 0.96, 1.16 },   /* Fluorescent */
};

/* How many EV brighter than the normal exposure @shot makes the picture. */
static double
exposure_ev (const DemoShot *shot)
{
  double camera_ev100 = log2 (shot->f_number * shot->f_number / shot->exposure_time) -
                        log2 (shot->iso / 100.0);

  return DEMO_SCENE_EV100 - camera_ev100 + shot->exposure_bias;
}

static double
gauss (Rand *rand)
{
  /* Sum of four uniforms: close enough to a normal law, and cheap. */
  return (rand_double (rand) + rand_double (rand) + rand_double (rand) + rand_double (rand) -
          2.0) * 1.732;
}

#define TONE_STEPS 16384
#define TONE_MAX   4.0

/* "Exposes" the surface in place into @rgb (3 bytes a pixel). */
static void
develop (cairo_surface_t *surface,
         const DemoShot  *shot,
         guint32          seed,
         guint8          *rgb)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  double gain = exp2 (exposure_ev (shot));
  Rgb wb = white_balance_gains[CLAMP (shot->white_balance, 0,
                                      (int) G_N_ELEMENTS (white_balance_gains) - 1)];
  /* Vignetting at wide apertures, none from f/5.6. */
  double vignette = 0.05 + 0.4 * CLAMP ((5.6 - shot->f_number) / 3.8, 0.0, 1.0);
  /* Noise grows with ISO; a smaller picture averages it down. */
  double sigma = (0.9 * sqrt (shot->iso / 100.0) * (shot->noise_reduction ? 0.5 : 1.0) +
                  (shot->exposure_time > 1.0 && !shot->noise_reduction ? 1.5 : 0.0)) *
                 sqrt (MIN (1.0, width / (double) DEMO_WIDTH));
  float to_linear[256];
  /* Linear light (0 to 4) to an sRGB level, through a soft shoulder
   * rather than a hard clip. */
  static guint8 to_srgb[TONE_STEPS];
  static gsize to_srgb_ready;
  float normal[4096];   /* samples of a normal law, picked at random */
  double half_w = width / 2.0, half_h = height / 2.0;
  double norm = 1.0 / (half_w * half_w + half_h * half_h);
  Rand rand = { (seed * 2654435761u) | 1 };

  for (int i = 0; i < 256; i++)
    {
      double v = i / 255.0;

      to_linear[i] = v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
    }
  for (int i = 0; i < 4096; i++)
    normal[i] = gauss (&rand);
  if (g_once_init_enter (&to_srgb_ready))
    {
      for (int i = 0; i < TONE_STEPS; i++)
        {
          double l = i * TONE_MAX / (TONE_STEPS - 1);
          double v;

          if (l > 0.75)
            l = 0.75 + 0.25 * (1.0 - exp (-(l - 0.75) / 0.25));
          v = l <= 0.0031308 ? l * 12.92 : 1.055 * pow (l, 1 / 2.4) - 0.055;
          to_srgb[i] = (guint8) CLAMP (lround (v * 255.0), 0, 255);
        }
      g_once_init_leave (&to_srgb_ready, 1);
    }

  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);
      guint8 *out = rgb + (gsize) y * width * 3;
      double dy2 = (y - half_h) * (y - half_h);

      for (int x = 0; x < width; x++)
        {
          guint32 pixel = row[x];
          double dx = x - half_w;
          float v = gain * (1.0 - vignette * (dx * dx + dy2) * norm) *
                    ((TONE_STEPS - 1) / TONE_MAX);
          float lin[3] = {
            to_linear[(pixel >> 16) & 0xff] * v * (float) wb.r,
            to_linear[(pixel >> 8) & 0xff] * v * (float) wb.g,
            to_linear[pixel & 0xff] * v * (float) wb.b,
          };
          guint32 r1 = rand_next (&rand), r2 = rand_next (&rand);
          float luma_noise = sigma * normal[r1 & 0xfff];
          float chroma[3] = { normal[(r1 >> 12) & 0xfff], normal[r2 & 0xfff],
                              normal[(r2 >> 12) & 0xfff] };

          for (int c = 0; c < 3; c++)
            {
              int index = (int) MIN (lin[c], (float) (TONE_STEPS - 1));
              float level = to_srgb[index] + luma_noise + 0.35f * sigma * chroma[c] + 0.5f;

              out[x * 3 + c] = (guint8) CLAMP (level, 0.0f, 255.0f);
            }
        }
    }
}

/* A small copy of @rgb, each pixel the mean of a block. */
static guint8 *
shrink (const guint8 *rgb,
        int           width,
        int           height,
        int           small_width,
        int           small_height)
{
  guint8 *small = g_malloc ((gsize) small_width * small_height * 3);

  for (int y = 0; y < small_height; y++)
    for (int x = 0; x < small_width; x++)
      {
        int x0 = x * width / small_width, x1 = (x + 1) * width / small_width;
        int y0 = y * height / small_height, y1 = (y + 1) * height / small_height;
        guint sum[3] = { 0, 0, 0 };
        guint n = 0;

        for (int sy = y0; sy < y1; sy += 2)
          for (int sx = x0; sx < x1; sx += 2)
            {
              const guint8 *p = rgb + ((gsize) sy * width + sx) * 3;

              sum[0] += p[0];
              sum[1] += p[1];
              sum[2] += p[2];
              n++;
            }
        for (int c = 0; c < 3; c++)
          small[((gsize) y * small_width + x) * 3 + c] = n ? sum[c] / n : 0;
      }

  return small;
}

typedef struct
{
  struct jpeg_error_mgr manager;
  jmp_buf               jump;
} JpegError;

static void
on_jpeg_error (j_common_ptr cinfo)
{
  JpegError *error = (JpegError *) cinfo->err;

  longjmp (error->jump, 1);
}

/* Encodes @rgb as a JPEG, with @app1 (an EXIF block) when not NULL. */
static GBytes *
encode_jpeg (const guint8  *rgb,
             int            width,
             int            height,
             int            quality,
             const guint8  *app1,
             gsize          app1_size)
{
  struct jpeg_compress_struct cinfo;
  JpegError error;
  unsigned char *volatile buffer = NULL;
  unsigned char *out = NULL;
  unsigned long size = 0;

  memset (&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error (&error.manager);
  error.manager.error_exit = on_jpeg_error;
  if (setjmp (error.jump))
    {
      jpeg_destroy_compress (&cinfo);
      free (buffer);
      return NULL;
    }

  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &out, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  /* As a camera writes it: EXIF first, no JFIF segment. */
  cinfo.write_JFIF_header = FALSE;
  jpeg_start_compress (&cinfo, TRUE);
  buffer = out;
  if (app1 != NULL)
    jpeg_write_marker (&cinfo, JPEG_APP0 + 1, app1, app1_size);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = (JSAMPROW) (rgb + (gsize) cinfo.next_scanline * width * 3);

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);

  {
    GBytes *bytes = g_bytes_new (out, size);

    free (out);
    return bytes;
  }
}

static ExifEntry *
add_entry (ExifData   *exif,
           ExifIfd     ifd,
           ExifTag     tag,
           ExifFormat  format,
           gsize       components)
{
  ExifMem *mem = exif_mem_new_default ();
  ExifEntry *entry = exif_entry_new_mem (mem);
  gsize size = exif_format_get_size (format) * components;

  entry->tag = tag;
  entry->format = format;
  entry->components = components;
  entry->size = size;
  entry->data = exif_mem_alloc (mem, size);
  exif_content_add_entry (exif->ifd[ifd], entry);
  exif_mem_unref (mem);
  exif_entry_unref (entry);
  return entry;
}

static void
add_ascii (ExifData   *exif,
           ExifIfd     ifd,
           ExifTag     tag,
           const char *text)
{
  gsize length = strlen (text) + 1;
  ExifEntry *entry = add_entry (exif, ifd, tag, EXIF_FORMAT_ASCII, length);

  memcpy (entry->data, text, length);
}

static void
add_short (ExifData *exif,
           ExifIfd   ifd,
           ExifTag   tag,
           guint16   value)
{
  ExifEntry *entry = add_entry (exif, ifd, tag, EXIF_FORMAT_SHORT, 1);

  exif_set_short (entry->data, exif_data_get_byte_order (exif), value);
}

static void
add_long (ExifData *exif,
          ExifIfd   ifd,
          ExifTag   tag,
          guint32   value)
{
  ExifEntry *entry = add_entry (exif, ifd, tag, EXIF_FORMAT_LONG, 1);

  exif_set_long (entry->data, exif_data_get_byte_order (exif), value);
}

static void
add_rational (ExifData *exif,
              ExifIfd   ifd,
              ExifTag   tag,
              guint32   numerator,
              guint32   denominator)
{
  ExifEntry *entry = add_entry (exif, ifd, tag, EXIF_FORMAT_RATIONAL, 1);

  exif_set_rational (entry->data, exif_data_get_byte_order (exif),
                     (ExifRational) { numerator, denominator });
}

static void
add_srational (ExifData *exif,
               ExifIfd   ifd,
               ExifTag   tag,
               gint32    numerator,
               gint32    denominator)
{
  ExifEntry *entry = add_entry (exif, ifd, tag, EXIF_FORMAT_SRATIONAL, 1);

  exif_set_srational (entry->data, exif_data_get_byte_order (exif),
                      (ExifSRational) { numerator, denominator });
}

/* The EXIF block (starting "Exif\0\0") for a picture of @width×@height
 * taken with @shot, with @thumbnail (a JPEG) in it. */
static guint8 *
make_exif (const DemoShot *shot,
           int             width,
           int             height,
           GBytes         *thumbnail,
           gsize          *size)
{
  ExifData *exif = exif_data_new ();
  g_autofree char *date = g_date_time_format (shot->time, "%Y:%m:%d %H:%M:%S");
  unsigned char *data = NULL;
  unsigned int length = 0;
  guint8 *result;

  exif_data_set_option (exif, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_set_data_type (exif, EXIF_DATA_TYPE_COMPRESSED);
  exif_data_set_byte_order (exif, EXIF_BYTE_ORDER_INTEL);

  add_ascii (exif, EXIF_IFD_0, EXIF_TAG_MAKE, "Capa");
  add_ascii (exif, EXIF_IFD_0, EXIF_TAG_MODEL, DEMO_MODEL);
  add_short (exif, EXIF_IFD_0, EXIF_TAG_ORIENTATION, 1);
  add_ascii (exif, EXIF_IFD_0, EXIF_TAG_SOFTWARE, "Capa demo camera " PACKAGE_VERSION);
  add_ascii (exif, EXIF_IFD_0, EXIF_TAG_DATE_TIME, date);
  if (shot->artist != NULL && shot->artist[0] != '\0')
    add_ascii (exif, EXIF_IFD_0, EXIF_TAG_ARTIST, shot->artist);
  if (shot->copyright != NULL && shot->copyright[0] != '\0')
    add_ascii (exif, EXIF_IFD_0, EXIF_TAG_COPYRIGHT, shot->copyright);

  if (shot->exposure_time < 1.0)
    add_rational (exif, EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME,
                  1, (guint32) lround (1.0 / shot->exposure_time));
  else
    add_rational (exif, EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME,
                  (guint32) lround (shot->exposure_time), 1);
  add_rational (exif, EXIF_IFD_EXIF, EXIF_TAG_FNUMBER,
                (guint32) lround (shot->f_number * 10), 10);
  add_short (exif, EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_PROGRAM, 1);   /* manual */
  add_short (exif, EXIF_IFD_EXIF, EXIF_TAG_ISO_SPEED_RATINGS, shot->iso);
  add_ascii (exif, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, date);
  add_ascii (exif, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_DIGITIZED, date);
  add_srational (exif, EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_BIAS_VALUE,
                 (gint32) lround (shot->exposure_bias * 6), 6);
  add_rational (exif, EXIF_IFD_EXIF, EXIF_TAG_FOCAL_LENGTH,
                (guint32) lround (shot->focal_length * 10), 10);
  add_short (exif, EXIF_IFD_EXIF, EXIF_TAG_COLOR_SPACE, 1);   /* sRGB */
  add_long (exif, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_X_DIMENSION, width);
  add_long (exif, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_Y_DIMENSION, height);
  add_short (exif, EXIF_IFD_EXIF, EXIF_TAG_WHITE_BALANCE, shot->white_balance == 0 ? 0 : 1);
  add_ascii (exif, EXIF_IFD_EXIF, EXIF_TAG_BODY_SERIAL_NUMBER, "CAPA-DEMO-0001");

  if (thumbnail != NULL)
    {
      gsize thumb_size;
      const guint8 *thumb = g_bytes_get_data (thumbnail, &thumb_size);

      /* IFD1 describes the thumbnail libexif writes after it. */
      add_short (exif, EXIF_IFD_1, EXIF_TAG_COMPRESSION, 6);
      exif->data = malloc (thumb_size);
      memcpy (exif->data, thumb, thumb_size);
      exif->size = thumb_size;
    }

  exif_data_fix (exif);
  /* libexif writes the thumbnail's offset and length itself: drop the
   * empty ones exif_data_fix () may have added. */
  for (guint i = 0; i < 2; i++)
    {
      ExifTag tag = i == 0 ? EXIF_TAG_JPEG_INTERCHANGE_FORMAT
                           : EXIF_TAG_JPEG_INTERCHANGE_FORMAT_LENGTH;
      ExifEntry *entry = exif_content_get_entry (exif->ifd[EXIF_IFD_1], tag);

      if (entry != NULL)
        exif_content_remove_entry (exif->ifd[EXIF_IFD_1], entry);
    }
  exif_data_save_data (exif, &data, &length);
  exif_data_unref (exif);

  if (data == NULL)
    {
      *size = 0;
      return NULL;
    }
  result = g_memdup2 (data, length);
  free (data);
  *size = length;
  return result;
}

GBytes *
demo_scene_render_jpeg (const DemoShot  *shot,
                        int              width,
                        int              height,
                        double           phase,
                        double           drift,
                        guint32          seed,
                        gboolean         exif,
                        GBytes         **thumbnail)
{
  cairo_surface_t *surface;
  g_autofree guint8 *rgb = NULL;
  g_autofree guint8 *app1 = NULL;
  g_autoptr(GBytes) thumb = NULL;
  gsize app1_size = 0;
  /* 24 mm shows the whole scene; a longer lens less of it. */
  double zoom = pow (CLAMP (shot->focal_length, 24.0, 70.0) / 24.0, 0.75);

  surface = draw_scene (width, height, zoom, phase, drift, seed);
  rgb = g_malloc ((gsize) width * height * 3);
  develop (surface, shot, seed, rgb);
  cairo_surface_destroy (surface);

  if (thumbnail != NULL || exif)
    {
      int thumb_height = DEMO_THUMB_WIDTH * height / width;
      g_autofree guint8 *small = shrink (rgb, width, height, DEMO_THUMB_WIDTH, thumb_height);

      thumb = encode_jpeg (small, DEMO_THUMB_WIDTH, thumb_height, 80, NULL, 0);
    }

  if (exif)
    app1 = make_exif (shot, width, height, thumb, &app1_size);

  if (thumbnail != NULL)
    *thumbnail = g_steal_pointer (&thumb);

  return encode_jpeg (rgb, width, height, shot->quality, app1, app1_size);
}
