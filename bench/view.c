/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Shot on screen: how long CapaImageView takes to show a 24 MP camera JPEG
 * in a 1920×1080 window, beside the floor measured in the same run.
 *
 * A 6000×4000 JPEG (quality 90, photo-like gradients with noise, and a
 * 160×120 EXIF thumbnail as cameras write) is made at run time.  Each run
 * gives a fresh CapaImage of it to a CapaImageView filling a 1920×1080
 * window, whose display profile is Adobe RGB (so every step is colour
 * transformed), and times, from setting CapaImageView:image:
 *
 *   preview   the "painted" signal for the embedded preview
 *   screen    the "painted" signal for the image at the size on the screen
 *             (full quality, 1620×1080), colour managed
 *
 * and, in the same run, the floor:
 *
 *   decode    bench-display's floor: libjpeg-turbo at DCT scale 1/2 from
 *             memory, gdk_pixbuf_scale_simple() bilinear to 1620×1080 and
 *             lcms2 on those pixels, on the main thread
 *   frame     one frame of the window: gtk_widget_queue_draw() to the frame
 *             clock's after-paint, with the image already there
 *   floor     decode + frame: what showing the picture cannot go below
 *
 * Methods take turns, run after run, after one warm-up.  The table gives
 * the median, minimum and maximum in milliseconds.  Needs a display: meson
 * runs it under tests/harness/with-display.sh (Xvfb 1920×1080).
 *
 * Usage: bench-view [--runs N]
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <jpeglib.h>
#include <lcms2.h>

#include <capa.h>

#include "view-floor.h"

/* A guard against hangs only. */
#define WAIT_US       (120 * G_USEC_PER_SEC)

typedef enum {
  ROW_PREVIEW,
  ROW_SCREEN,
  ROW_DECODE,
  ROW_FRAME,
  ROW_FLOOR,
  N_ROWS,
} Row;

static const char * const row_names[N_ROWS] = {
  "preview",
  "screen",
  "decode",
  "frame",
  "floor",
};

static const char * const row_descriptions[N_ROWS] = {
  "CapaImageView: embedded preview painted",
  "CapaImageView: full quality painted",
  "libjpeg-turbo 1/2+bilinear+lcms2",
  "one frame of the window",
  "decode + frame",
};

/* ---- the test image ---- */

/* ---- the view ---- */

typedef struct
{
  gint64 start;
  gint64 preview;
  gint64 screen;
  gint64 frame;
  GError *error;
} Run;

static void
on_painted_cb (CapaImageView        *view,
               CapaImageViewQuality  quality,
               Run                  *run)
{
  gint64 now = g_get_monotonic_time ();

  if (quality == CAPA_IMAGE_VIEW_QUALITY_PREVIEW && run->preview == 0)
    run->preview = now;
  else if (quality == CAPA_IMAGE_VIEW_QUALITY_SCREEN && run->screen == 0)
    run->screen = now;
}

static void
on_error_cb (CapaImageView *view,
             GError        *error,
             Run           *run)
{
  g_clear_error (&run->error);
  run->error = g_error_copy (error);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Run           *run)
{
  if (run->frame == 0)
    run->frame = g_get_monotonic_time ();
}

static void
wait_until (gint64 *when)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (*when == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Gave up waiting: the view never painted");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
settle (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
show_once (CapaImageView *view,
           const char    *path,
           Run           *run)
{
  g_autoptr(CapaImage) image = capa_image_new (path);

  *run = (Run) { 0 };
  run->start = g_get_monotonic_time ();
  capa_image_view_set_image (view, image);
  wait_until (&run->screen);
  if (run->error != NULL)
    g_error ("%s", run->error->message);
}

static double
frame_once (GtkWidget *widget,
            Run       *run)
{
  *run = (Run) { 0 };
  run->start = g_get_monotonic_time ();
  gtk_widget_queue_draw (widget);
  wait_until (&run->frame);
  return (run->frame - run->start) / 1000.0;
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
  g_autoptr(CapaColourProfile) monitor_profile = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree double *times = NULL;
  GtkWidget *window;
  CapaImageView *view;
  GdkFrameClock *clock;
  Run run = { 0 };
  int runs = 7;
  int n_preview = 0;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Timed runs (default 7)", "N" },
    { NULL },
  };
  GStatBuf st;

  context = g_option_context_new ("— time a 24 MP JPEG shown by CapaImageView at 1920×1080");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gtk_get_option_group (TRUE));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  runs = CLAMP (runs, 1, 1000);

  tmpdir = g_dir_make_tmp ("capa-bench-view-XXXXXX", &error);
  if (tmpdir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (tmpdir, "24mp.jpg", NULL);
  bench_write_source_jpeg (path);
  if (g_stat (path, &st) != 0)
    g_error ("Cannot stat %s", path);

  monitor_profile = capa_colour_profile_new_adobe_rgb ();
  bench_setup_floor_colour (monitor_profile);

  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);
  gtk_window_move (GTK_WINDOW (window), 0, 0);
  view = capa_image_view_new ();
  capa_image_view_set_display_profile (view, monitor_profile);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (view));
  g_signal_connect (view, "painted", G_CALLBACK (on_painted_cb), &run);
  g_signal_connect (view, "error", G_CALLBACK (on_error_cb), &run);
  gtk_widget_show_all (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (view)) ||
         gtk_widget_get_allocated_width (GTK_WIDGET (view)) < WINDOW_WIDTH / 2)
    g_main_context_iteration (NULL, TRUE);
  settle ();
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &run);

  g_print ("Showing a %dx%d JPEG (quality 90, %.1f MB, 160x120 EXIF thumbnail) in a %dx%d "
           "window (view %dx%d), display profile Adobe RGB; %d runs\n\n",
           SOURCE_WIDTH, SOURCE_HEIGHT, st.st_size / 1e6, WINDOW_WIDTH, WINDOW_HEIGHT,
           gtk_widget_get_allocated_width (GTK_WIDGET (view)),
           gtk_widget_get_allocated_height (GTK_WIDGET (view)), runs);

  /* warm-up: page cache, thread pools, the metadata reader process */
  bench_decode_floor (path);
  show_once (view, path, &run);
  frame_once (GTK_WIDGET (view), &run);

  times = g_new0 (double, (gsize) N_ROWS * runs);
  for (int i = 0; i < runs; i++)
    {
      gint64 start;

      capa_image_view_set_image (view, NULL);
      settle ();

      start = g_get_monotonic_time ();
      bench_decode_floor (path);
      times[ROW_DECODE * runs + i] = (g_get_monotonic_time () - start) / 1000.0;

      show_once (view, path, &run);
      times[ROW_SCREEN * runs + i] = (run.screen - run.start) / 1000.0;
      if (run.preview != 0 && run.preview <= run.screen)
        times[ROW_PREVIEW * runs + n_preview++] = (run.preview - run.start) / 1000.0;

      settle ();
      times[ROW_FRAME * runs + i] = frame_once (GTK_WIDGET (view), &run);
      times[ROW_FLOOR * runs + i] = times[ROW_DECODE * runs + i] + times[ROW_FRAME * runs + i];
    }

  g_print ("%-8s  %-40s  %9s  %9s  %9s\n", "step", "what", "median ms", "min ms", "max ms");
  g_print ("%-8s  %-40s  %9s  %9s  %9s\n", "--------",
           "----------------------------------------", "---------", "---------", "---------");
  for (Row row = 0; row < N_ROWS; row++)
    {
      double *row_times = times + row * runs;
      int n = row == ROW_PREVIEW ? n_preview : runs;

      if (n == 0)
        {
          g_print ("%-8s  %-40s  %9s  (painted after the image itself in every run)\n",
                   row_names[row], row_descriptions[row], "-");
          continue;
        }
      qsort (row_times, n, sizeof (double), compare_doubles);
      g_print ("%-8s  %-40s  %9.1f  %9.1f  %9.1f%s\n",
               row_names[row], row_descriptions[row],
               row_times[n / 2], row_times[0], row_times[n - 1],
               row == ROW_PREVIEW && n < runs ? " (not in every run)" : "");
    }

  {
    double *screen = times + ROW_SCREEN * runs;
    double *floor = times + ROW_FLOOR * runs;

    g_print ("\nscreen − floor (medians): %+.1f ms\n", screen[runs / 2] - floor[runs / 2]);
  }

  gtk_widget_destroy (window);
  g_unlink (path);
  g_rmdir (tmpdir);

  return EXIT_SUCCESS;
}
