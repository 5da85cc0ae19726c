/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Shutter to screen: from activating win.capture in a real CapaWindow
 * connected to libgphoto2's virtual D750 to the frame in which the
 * window's CapaImageView has painted the new shot at full quality (its
 * "painted" signal with CAPA_IMAGE_VIEW_QUALITY_SCREEN for the new image).
 *
 * The camera's folder holds one 6000×4000 JPEG (quality 90, made as
 * bench-view makes it), so every shot is a 24 MP camera JPEG.  The window
 * is 1920×1080 (Xvfb, tests/harness/with-display.sh).  In the same run:
 *
 *   shutter   win.capture → new shot painted at full quality (CapaWindow)
 *   selected  win.capture → the new shot, saved, is the window's
 *             selected image (how much of "shutter" is before the view)
 *   gphoto2   gphoto2's per shot time: one process, --capture-image-and-
 *             download repeated N times, minus its start-up (--summary),
 *             divided by N (bench-capture's "whole run minus start-up")
 *   decode    bench-view's floor: libjpeg-turbo 1/2 + bilinear + lcms2
 *   frame     one frame of the window, the image already there
 *   floor     gphoto2 + decode + frame: what a shot on screen cannot go below
 *
 * After each shot the window is left to become idle (its thumbnail made,
 * the tether's collection, save and deletion done: wait_idle()) before
 * the floor is measured, so each shot is also taken with the one before
 * it finished, as a photographer's shots a second or more apart are.
 *
 * The first shot is a warm-up.  Median, minimum and maximum in ms.
 * Exits 77 (skipped) without the virtual camera (CAPA_TEST_VUSB_DIR).
 *
 * --no-monitoring stops the tether's event monitoring once the window is
 * connected, to see what watching the camera between shots costs a shot.
 *
 * Usage: bench-shutter [--shots N] [--gphoto2-shots N] [--no-monitoring]
 */

#define G_LOG_DOMAIN "Capa-Bench-Shutter"

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
#include "window-kit.h"

/* Longer than a shot's collection of its other files (ptp2 waits 250 ms
 * for an event, about 0.5 s on the virtual D750) and its deletion. */
#define IDLE_WAIT_US (800 * 1000)

/* ---- gphoto2 ---- */

static double
run_command (char **argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", argv[0], error->message);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* gphoto2's time per shot, as bench-capture's "whole run minus start-up". */
static double
gphoto2_per_shot (const char *dir,
                  int         shots)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *pattern = g_build_filename (dir, "gphoto2-%n.%C", NULL);
  char *summary_argv[] = { "gphoto2", "--summary", NULL };
  double startup[3];
  double wall;

  g_ptr_array_add (argv, "gphoto2");
  g_ptr_array_add (argv, "--quiet");
  g_ptr_array_add (argv, "--filename");
  g_ptr_array_add (argv, pattern);
  g_ptr_array_add (argv, "--force-overwrite");
  for (int i = 0; i < shots; i++)
    g_ptr_array_add (argv, "--capture-image-and-download");
  g_ptr_array_add (argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (startup); i++)
    startup[i] = run_command (summary_argv);
  wall = run_command ((char **) argv->pdata);
  qsort (startup, G_N_ELEMENTS (startup), sizeof (double), kit_compare_doubles);

  return (wall - startup[1]) / shots;
}

/* ---- the window ---- */

typedef struct
{
  CapaImageView *view;
  char          *before;    /* the file shown before the shot, or NULL */
  gint64         start;
  gint64         selected;
  gint64         screen;
  gint64         frame;
} Shot;

static void
on_selected_image_cb (CapaWindow *window,
                      GParamSpec *pspec,
                      Shot       *shot)
{
  CapaImage *image = capa_window_get_selected_image (window);

  if (shot->start != 0 && shot->selected == 0 && image != NULL &&
      g_strcmp0 (capa_image_get_filename (image), shot->before) != 0)
    shot->selected = g_get_monotonic_time ();
}

static void
on_painted_cb (CapaImageView        *view,
               CapaImageViewQuality  quality,
               Shot                 *shot)
{
  CapaImage *image = capa_image_view_get_image (view);

  if (quality != CAPA_IMAGE_VIEW_QUALITY_SCREEN || image == NULL || shot->screen != 0 ||
      shot->start == 0)
    return;
  if (g_strcmp0 (capa_image_get_filename (image), shot->before) != 0)
    shot->screen = g_get_monotonic_time ();
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Shot          *shot)
{
  if (shot->frame == 0)
    shot->frame = g_get_monotonic_time ();
}

static gboolean
is_set (gpointer when)
{
  return *(gint64 *) when != 0;
}

static double
shutter_once (CapaWindow *window,
              Shot       *shot)
{
  CapaImage *shown = capa_image_view_get_image (shot->view);

  g_clear_pointer (&shot->before, g_free);
  shot->before = shown != NULL ? g_strdup (capa_image_get_filename (shown)) : NULL;
  shot->selected = shot->screen = shot->frame = 0;
  shot->start = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture", NULL);
  kit_wait_for (is_set, &shot->screen, "the new shot painted at full quality");

  return (shot->screen - shot->start) / 1000.0;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
strip_idle (gpointer strip)
{
  return !capa_film_strip_get_loading (strip);
}

/* Until the window is idle after a shot: its thumbnail in the strip, and
 * the tether's work that follows the picture on screen (the collection of
 * the shot's other files, which waits for a quiet moment of the camera,
 * the durable save, the deletion from the card) done, so that the floor
 * measured next is not slowed by them. */
static void
wait_idle (CapaWindow *window)
{
  kit_wait_for (strip_idle, kit_window_strip (window), "the film strip's thumbnails");
  kit_wait_at_most (never, NULL, IDLE_WAIT_US);
  kit_settle ();
}

static double
frame_once (GtkWidget *widget,
            Shot      *shot)
{
  gint64 start = g_get_monotonic_time ();

  shot->frame = 0;
  gtk_widget_queue_draw (widget);
  kit_wait_for (is_set, &shot->frame, "a frame");
  return (shot->frame - start) / 1000.0;
}

typedef enum {
  ROW_SHUTTER,
  ROW_SELECTED,
  ROW_GPHOTO2,
  ROW_DECODE,
  ROW_FRAME,
  ROW_FLOOR,
  N_ROWS,
} Row;

static const char * const row_names[N_ROWS] = {
  "shutter", "selected", "gphoto2", "decode", "frame", "floor",
};

static const char * const row_descriptions[N_ROWS] = {
  "win.capture -> new shot painted, full quality",
  "win.capture -> shot saved, selected in window",
  "gphoto2 per shot: (run - start-up) / N",
  "libjpeg-turbo 1/2+bilinear+lcms2",
  "one frame of the window",
  "gphoto2 + decode + frame",
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaColourProfile) srgb = NULL;
  g_autoptr(CapaSession) session = NULL;
  g_autoptr(CapaApplication) app = NULL;
  g_autofree char *status = NULL;
  g_autofree char *status_file = NULL;
  g_autofree char *iolibs = NULL;
  g_autofree char *jpegs = NULL;
  g_autofree char *path = NULL;
  g_autofree char *session_dir = NULL;
  g_autofree char *gphoto2_dir = NULL;
  g_autofree char *gphoto2 = g_find_program_in_path ("gphoto2");
  g_autofree double *times = NULL;
  const char *vusb = g_getenv ("CAPA_TEST_VUSB_DIR");
  CapaColourProfile *monitor_profile;
  CapaWindow *window;
  GdkFrameClock *clock;
  Shot shot = { 0 };
  int shots = 7;
  int gphoto2_shots = 7;
  gboolean no_monitoring = FALSE;
  GOptionEntry entries[] = {
    { "shots", 'n', 0, G_OPTION_ARG_INT, &shots, "Timed shots (default 7)", "N" },
    { "gphoto2-shots", 'g', 0, G_OPTION_ARG_INT, &gphoto2_shots,
      "Shots of each gphoto2 run (default 7)", "N" },
    { "no-monitoring", 0, 0, G_OPTION_ARG_NONE, &no_monitoring,
      "Stop the tether's event monitoring once connected", NULL },
    { NULL },
  };

  context = g_option_context_new ("— time a shot from the shutter to the screen in CapaWindow");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gtk_get_option_group (TRUE));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  /* The virtual camera's card runs full after some 25 shots. */
  shots = CLAMP (shots, 1, 20);
  gphoto2_shots = CLAMP (gphoto2_shots, 1, 20);

  status_file = vusb ? g_build_filename (vusb, "status", NULL) : NULL;
  if (status_file == NULL || !g_file_get_contents (status_file, &status, NULL, NULL) ||
      !g_str_has_prefix (status, "ok"))
    {
      printf ("SKIP: the virtual camera is not available (CAPA_TEST_VUSB_DIR)\n");
      return 77;
    }

  jpegs = g_dir_make_tmp ("capa-bench-shutter-jpegs-XXXXXX", &error);
  session_dir = g_dir_make_tmp ("capa-bench-shutter-session-XXXXXX", &error);
  gphoto2_dir = g_dir_make_tmp ("capa-bench-shutter-gphoto2-XXXXXX", &error);
  if (jpegs == NULL || session_dir == NULL || gphoto2_dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (jpegs, "24mp.jpg", NULL);
  bench_write_source_jpeg (path);
  iolibs = g_build_filename (vusb, "iolibs", NULL);
  g_setenv ("IOLIBS", iolibs, TRUE);
  g_setenv ("VCAMERADIR", jpegs, TRUE);

  times = g_new0 (double, (gsize) N_ROWS * shots);

  /* gphoto2 first, while no one else holds the camera. */
  if (gphoto2 != NULL)
    {
      gphoto2_per_shot (gphoto2_dir, 2);  /* warm-up */
      for (int i = 0; i < shots; i++)
        times[ROW_GPHOTO2 * shots + i] = gphoto2_per_shot (gphoto2_dir, gphoto2_shots);
    }

  app = kit_application_new ();
  session = capa_session_new (session_dir);
  window = kit_window_new (app, session);
  if (no_monitoring)
    capa_tether_stop_monitoring (capa_window_get_tether (window));

  shot.view = kit_window_view (window);
  g_signal_connect (shot.view, "painted", G_CALLBACK (on_painted_cb), &shot);
  g_signal_connect (window, "notify::selected-image", G_CALLBACK (on_selected_image_cb), &shot);

  /* warm-up: the first shot after opening the camera, the thread pools */
  shutter_once (window, &shot);
  wait_idle (window);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (shot.view));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &shot);

  monitor_profile = capa_image_view_get_display_profile (shot.view);
  if (monitor_profile == NULL)
    monitor_profile = srgb = capa_colour_profile_new_srgb ();
  bench_setup_floor_colour (monitor_profile);
  bench_decode_floor (path);

  g_print ("Shutter to screen: virtual D750 serving a %dx%d JPEG (quality 90), "
           "CapaWindow %dx%d (view %dx%d), display profile %s; %d shots, "
           "gphoto2 runs of %d shots; tether monitoring %s\n\n",
           SOURCE_WIDTH, SOURCE_HEIGHT,
           gtk_widget_get_allocated_width (GTK_WIDGET (window)),
           gtk_widget_get_allocated_height (GTK_WIDGET (window)),
           gtk_widget_get_allocated_width (GTK_WIDGET (shot.view)),
           gtk_widget_get_allocated_height (GTK_WIDGET (shot.view)),
           srgb != NULL ? "none (sRGB assumed)" : "the screen's",
           shots, gphoto2_shots, no_monitoring ? "stopped" : "on (as the window runs it)");

  for (int i = 0; i < shots; i++)
    {
      gint64 start;

      kit_settle ();
      times[ROW_SHUTTER * shots + i] = shutter_once (window, &shot);
      times[ROW_SELECTED * shots + i] = shot.selected != 0
                                        ? (shot.selected - shot.start) / 1000.0 : 0;
      shot.start = 0;
      wait_idle (window);

      start = g_get_monotonic_time ();
      bench_decode_floor (path);
      times[ROW_DECODE * shots + i] = (g_get_monotonic_time () - start) / 1000.0;
      kit_settle ();
      times[ROW_FRAME * shots + i] = frame_once (GTK_WIDGET (shot.view), &shot);
      times[ROW_FLOOR * shots + i] = times[ROW_GPHOTO2 * shots + i] +
                                     times[ROW_DECODE * shots + i] +
                                     times[ROW_FRAME * shots + i];
    }

  g_print ("%-8s  %-46s  %9s  %9s  %9s\n", "step", "what", "median ms", "min ms", "max ms");
  g_print ("%-8s  %-46s  %9s  %9s  %9s\n", "--------",
           "----------------------------------------------", "---------", "---------",
           "---------");
  for (Row row = 0; row < N_ROWS; row++)
    {
      double *row_times = times + row * shots;

      if (gphoto2 == NULL && (row == ROW_GPHOTO2 || row == ROW_FLOOR))
        {
          g_print ("%-8s  %-46s  %9s  (gphoto2 is not installed)\n",
                   row_names[row], row_descriptions[row], "-");
          continue;
        }
      qsort (row_times, shots, sizeof (double), kit_compare_doubles);
      g_print ("%-8s  %-46s  %9.1f  %9.1f  %9.1f\n", row_names[row], row_descriptions[row],
               row_times[shots / 2], row_times[0], row_times[shots - 1]);
    }
  if (gphoto2 != NULL)
    g_print ("\nshutter - floor (medians): %+.1f ms\n",
             times[ROW_SHUTTER * shots + shots / 2] - times[ROW_FLOOR * shots + shots / 2]);

  g_signal_handlers_disconnect_by_data (clock, &shot);
  g_signal_handlers_disconnect_by_data (shot.view, &shot);
  g_signal_handlers_disconnect_by_data (window, &shot);
  gtk_widget_destroy (GTK_WIDGET (window));
  kit_settle ();
  g_free (shot.before);
  bench_clear_floor_colour ();
  kit_rmtree (jpegs);
  kit_rmtree (session_dir);
  kit_rmtree (gphoto2_dir);

  return EXIT_SUCCESS;
}
