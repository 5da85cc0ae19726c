/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The main loop of the real window (issue 8, item 14: never more than 5 ms
 * of main-thread work at a time while capturing, downloading, loading a
 * session and scrolling).
 *
 * One CapaWindow of 1920×1080 under Xvfb (tests/harness/with-display.sh)
 * on Capa's test camera driver (tests/camlib), which serves copies of the
 * files of a folder: a 24 MP JPEG (6000×4000, quality 90, as bench-view's),
 * then a 100 MP one (11648×8736, a medium-format body's largest JPEG).  A
 * poll function times each stretch of the main loop's work — from poll()
 * returning to the next poll() — in wall time and in the main thread's CPU
 * time, and a timer on the main thread's CPU clock (0.5 ms, delivered at
 * the kernel's tick) samples the name of the source being dispatched.  The
 * phases, each on its own:
 *
 *   capturing    N shots through win.capture, one after the other, each
 *                waited for until the view has painted it at screen quality
 *   downloading  N shots taken with the camera's own button (the tether's
 *                monitoring finds them), 400 ms apart, then M of the 100 MP
 *                file, each downloaded, saved and shown
 *   session      the window switched to a session of 10,000 images whose
 *                thumbnails are in the shared cache, until the session is
 *                listed, the strip idle and the newest image painted
 *   scrolling    the film strip scrolled end to end, a page a frame
 *   capturing    again, N shots (3), now into the large session
 *
 * For each: the stretches, the longest and the 99th percentile in CPU and
 * in wall time, how many went over 5 ms, and the five longest in CPU time
 * with what ran in them.  The target is the CPU time (the work); on a
 * loaded machine the wall time also holds the thread waiting for a core.
 *
 * Exits 77 (skipped) without the virtual camera's port driver or the test
 * camera driver (CAPA_TEST_VUSB_DIR, CAPA_TEST_CAMLIB_DIR).
 *
 * Usage: bench-mainloop [--shots N] [--camera-shots N] [--big-shots N]
 *                       [--images N] [--session-shots N] [--no-sampling]
 */

#define G_LOG_DOMAIN "Capa-Bench-Mainloop"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <capa.h>

#include "view-floor.h"
#include "window-kit.h"

#define BIG_WIDTH   11648
#define BIG_HEIGHT  8736
#define TARGET_MS   5.0

typedef struct
{
  CapaWindow    *window;
  CapaImageView *view;
  CapaFilmStrip *strip;
  CapaSession   *session;     /* whose items-changed is followed */
  char          *newest;      /* the last file added to the session */
  char          *painted;     /* the last file painted at screen quality */
  guint          added;
  guint          wanted;      /* shots_shown(): added at least this */
  guint          draws[3];    /* of the view, the strip, the settings panel */
} Watch;

static const char * const part_names[3] = { "image view", "film strip", "settings panel" };

static gboolean
on_part_draw_cb (GtkWidget *widget,
                 cairo_t   *cr,
                 guint     *draws)
{
  (*draws)++;
  return GDK_EVENT_PROPAGATE;
}

static void
count_draws (Watch *watch)
{
  GtkWidget *parts[3] = {
    GTK_WIDGET (watch->view), GTK_WIDGET (watch->strip),
    kit_window_find (watch->window, CAPA_TYPE_SETTINGS_PANEL),
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_signal_connect (parts[i], "draw", G_CALLBACK (on_part_draw_cb), &watch->draws[i]);
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Watch      *watch)
{
  g_autoptr(CapaImage) image = NULL;

  if (added == 0)
    return;
  image = g_list_model_get_item (model, position + added - 1);
  g_free (watch->newest);
  watch->newest = g_strdup (capa_image_get_filename (image));
  watch->added += added;
}

static void
on_painted_cb (CapaImageView        *view,
               CapaImageViewQuality  quality,
               Watch                *watch)
{
  CapaImage *image = capa_image_view_get_image (view);

  if (quality == CAPA_IMAGE_VIEW_QUALITY_SCREEN && image != NULL)
    {
      g_free (watch->painted);
      watch->painted = g_strdup (capa_image_get_filename (image));
    }
}

static void
follow_session (Watch       *watch,
                CapaSession *session)
{
  if (watch->session != NULL)
    g_signal_handlers_disconnect_by_data (watch->session, watch);
  watch->session = session;
  watch->added = 0;
  g_signal_connect (session, "items-changed", G_CALLBACK (on_items_changed_cb), watch);
}

/* Every shot asked for is in the session, and the newest is on screen. */
static gboolean
shots_shown (gpointer data)
{
  Watch *watch = data;

  return watch->added >= watch->wanted && watch->newest != NULL &&
         g_strcmp0 (watch->painted, watch->newest) == 0;
}

static void
wait_for_shots (Watch      *watch,
                guint       wanted,
                const char *what)
{
  watch->wanted = wanted;
  kit_wait_for (shots_shown, watch, what);
}

/* Shots taken on the camera's side: one that never arrives is reported,
 * not waited for. */
static void
wait_for_camera_shots (Watch *watch,
                       guint  n)
{
  guint before = watch->added;

  watch->wanted = before + n;
  if (!kit_wait_at_most (shots_shown, watch, 60 * G_USEC_PER_SEC))
    g_print ("  WARNING: %u of the %u shots taken with the camera's button reached the "
             "session within 60 s\n", watch->added - before, n);
}

/* @n shots through win.capture, one after the other, each on screen. */
static void
capture_shots (Watch *watch,
               int    n)
{
  for (int i = 0; i < n; i++)
    {
      g_action_group_activate_action (G_ACTION_GROUP (watch->window), "capture", NULL);
      wait_for_shots (watch, watch->added + 1, "a shot through win.capture on screen");
    }
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(GError) error = NULL;

  if (!capa_camera_save_controls_finish (CAPA_CAMERA (object), result, &error))
    g_error ("%s", error->message);
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Shots taken with the camera's button, @interval_ms apart: set through
 * the camera's settings, the first one @interval_ms after the set. */
static void
press_shutter_on_camera (CapaWindow *window,
                         guint       shots,
                         guint       interval_ms)
{
  CapaCamera *camera = capa_tether_get_camera (capa_window_get_tether (window));
  CapaControlGroup *controls = capa_camera_get_controls (camera);
  g_autoptr(GString) commands = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  CapaControl *simulate;
  gboolean saved = FALSE;

  if (controls == NULL)
    {
      if (!capa_camera_load_controls (camera, NULL, &error))
        g_error ("%s", error->message);
      controls = capa_camera_get_controls (camera);
    }
  simulate = capa_control_group_get_by_path (controls, "/main/actions/simulate");
  if (simulate == NULL)
    g_error ("The camera is not Capa's test camera");
  for (guint i = 0; i < shots; i++)
    g_string_append_printf (commands, "%sdelay=%u,shot", i ? "," : "", interval_ms);
  capa_control_text_set_value (CAPA_CONTROL_TEXT (simulate), commands->str);
  capa_camera_save_controls_async (camera, NULL, on_saved_cb, &saved);
  kit_wait_for (flag_set, &saved, "the camera's button to be pressed");
}

/* ---- the report ---- */

static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

/* The main thread's work in @s: its CPU time less the clock's jumps. */
static double
work_ms (const KitStretch *s)
{
  return s->cpu_ms - s->jump_ms;
}

static int
compare_work (const void *a,
              const void *b)
{
  double x = work_ms (a), y = work_ms (b);

  return (x < y) - (x > y);
}

static void
report (const char *phase,
        GArray     *stretches,
        double      seconds,
        double      load_before,
        Watch      *watch)
{
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) work = g_array_new (FALSE, FALSE, sizeof (double));
  guint over_cpu = 0, over_work = 0, over_wall = 0, jumps = 0;
  double total_cpu = 0, largest_jump = 0;

  for (guint i = 0; i < stretches->len; i++)
    {
      KitStretch *s = &g_array_index (stretches, KitStretch, i);
      double w = work_ms (s);

      g_array_append_val (wall, s->wall_ms);
      g_array_append_val (cpu, s->cpu_ms);
      g_array_append_val (work, w);
      over_cpu += s->cpu_ms > TARGET_MS;
      over_work += w > TARGET_MS;
      over_wall += s->wall_ms > TARGET_MS;
      total_cpu += s->cpu_ms;
      if (s->jump_ms > 0)
        {
          jumps++;
          largest_jump = MAX (largest_jump, s->jump_ms);
        }
    }

  g_print ("\n%s: %.1f s, load average %.2f before, %.2f after; %u stretches, "
           "main thread %.0f ms of CPU\n",
           phase, seconds, load_before, load_average (), stretches->len, total_cpu);
  g_print ("  work  max %7.2f ms   99th percentile %6.2f ms   over %.0f ms: %u\n",
           kit_percentile (work, 1.0), kit_percentile (work, 0.99), TARGET_MS, over_work);
  g_print ("  CPU   max %7.2f ms   99th percentile %6.2f ms   over %.0f ms: %u   "
           "clock jumps: %u, largest %.1f ms\n",
           kit_percentile (cpu, 1.0), kit_percentile (cpu, 0.99), TARGET_MS, over_cpu,
           jumps, largest_jump);
  g_print ("  wall  max %7.2f ms   99th percentile %6.2f ms   over %.0f ms: %u\n",
           kit_percentile (wall, 1.0), kit_percentile (wall, 0.99), TARGET_MS, over_wall);
  g_print ("  drawn: %s %u times, %s %u, %s %u\n", part_names[0], watch->draws[0],
           part_names[1], watch->draws[1], part_names[2], watch->draws[2]);
  g_print ("  longest in work (work / cpu / wall ms, the most CPU between two samples, "
           "started at (monotonic s): the sources being dispatched, sampled):\n");
  g_array_sort (stretches, compare_work);
  for (guint i = 0; i < MIN (5, stretches->len); i++)
    {
      KitStretch *s = &g_array_index (stretches, KitStretch, i);

      g_print ("    %6.2f / %6.2f / %6.2f  gap %5.2f  at %.6f  %s\n", work_ms (s), s->cpu_ms,
               s->wall_ms, s->gap_ms, s->start_us / 1e6,
               s->what != NULL ? s->what : "(no sample fell in it)");
    }
}

/* Runs @phase's stretches through report(): what came since the last take. */
typedef struct
{
  gint64 start;
  double load;
} Phase;

static void
phase_begin (Phase *phase,
             Watch *watch)
{
  g_autoptr(GArray) before = NULL;

  kit_settle ();
  memset (watch->draws, 0, sizeof watch->draws);
  before = kit_busy_take ();
  phase->load = load_average ();
  phase->start = g_get_monotonic_time ();
}

static void
phase_end (Phase      *phase,
           const char *name,
           Watch      *watch)
{
  double seconds = (g_get_monotonic_time () - phase->start) / 1e6;
  g_autoptr(GArray) stretches = kit_busy_take ();

  report (name, stretches, seconds, phase->load, watch);
}

/* Waits @ms more, the main loop running (what comes late belongs to the
 * phase). */
static gboolean
on_quiet_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
linger (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, on_quiet_cb, &over);
  kit_wait_for (flag_set, &over, "a pause");
}

static gboolean
session_shown (gpointer data)
{
  Watch *watch = data;
  CapaImage *selected = capa_window_get_selected_image (watch->window);

  return capa_session_get_loaded (watch->session) &&
         !capa_film_strip_get_loading (watch->strip) &&
         selected != NULL &&
         g_strcmp0 (watch->painted, capa_image_get_filename (selected)) == 0;
}

static gboolean
strip_idle (gpointer data)
{
  return !capa_film_strip_get_loading (data);
}

/* The camera serves copies of the one file in its folder: @from goes to
 * @from_aside, @to_aside comes to @to. */
static void
swap_camera_file (const char *from,
                  const char *from_aside,
                  const char *to_aside,
                  const char *to)
{
  if (g_rename (from, from_aside) != 0 || g_rename (to_aside, to) != 0)
    g_error ("Cannot change the file the camera serves");
}

static gboolean
usable (const char *dir)
{
  g_autofree char *status_file = NULL;
  g_autofree char *status = NULL;

  if (dir == NULL)
    return FALSE;
  status_file = g_build_filename (dir, "status", NULL);
  return g_file_get_contents (status_file, &status, NULL, NULL) && g_str_has_prefix (status, "ok");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaApplication) app = NULL;
  g_autoptr(CapaSession) shots_session = NULL;
  g_autoptr(CapaSession) big_session = NULL;
  g_autofree char *top = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *camera_dir = NULL;
  g_autofree char *shots_dir = NULL;
  g_autofree char *big_folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *big = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *served = NULL;
  g_autofree char *iolibs = NULL;
  g_autofree char *vcamera = NULL;
  const char *vusb = g_getenv ("CAPA_TEST_VUSB_DIR");
  const char *camlibs = g_getenv ("CAPA_TEST_CAMLIB_DIR");
  Watch watch = { 0 };
  Phase phase;
  guint frames;
  int shots = 10, camera_shots = 10, big_shots = 2, images = 10000, big_session_shots = 3;
  gboolean no_sampling = FALSE;
  GOptionEntry entries[] = {
    { "shots", 'n', 0, G_OPTION_ARG_INT, &shots, "Shots through win.capture (10)", "N" },
    { "camera-shots", 'c', 0, G_OPTION_ARG_INT, &camera_shots,
      "24 MP shots taken with the camera's button (10)", "N" },
    { "big-shots", 'b', 0, G_OPTION_ARG_INT, &big_shots,
      "100 MP shots taken with the camera's button (2)", "N" },
    { "images", 'i', 0, G_OPTION_ARG_INT, &images, "Images of the large session (10000)", "N" },
    { "session-shots", 's', 0, G_OPTION_ARG_INT, &big_session_shots,
      "Shots through win.capture into the large session at the end (3)", "N" },
    { "no-sampling", 0, 0, G_OPTION_ARG_NONE, &no_sampling,
      "Do not sample what runs on the main thread", NULL },
    { NULL },
  };

  if (kit_premake_main (argc, argv) == 0)
    return EXIT_SUCCESS;
  setvbuf (stdout, NULL, _IOLBF, 0);

  context = g_option_context_new ("— the main loop's busy stretches in the real window");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gtk_get_option_group (TRUE));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  shots = CLAMP (shots, 1, 1000);
  camera_shots = CLAMP (camera_shots, 1, 1000);
  big_shots = CLAMP (big_shots, 0, 100);
  images = CLAMP (images, 1, 100000);
  big_session_shots = CLAMP (big_session_shots, 0, 100);

  if (!usable (vusb) || camlibs == NULL)
    {
      g_print ("SKIP: the test camera is not available (CAPA_TEST_VUSB_DIR, "
               "CAPA_TEST_CAMLIB_DIR)\n");
      return 77;
    }

  top = g_dir_make_tmp ("capa-bench-mainloop-XXXXXX", &error);
  if (top == NULL)
    g_error ("%s", error->message);
  /* The large session's thumbnails: before GLib reads the variable. */
  cache = g_build_filename (top, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  camera_dir = g_build_filename (top, "camera", NULL);
  shots_dir = g_build_filename (top, "shots", NULL);
  vcamera = g_build_filename (top, "vcamera", NULL);
  g_mkdir (camera_dir, 0755);
  g_mkdir (shots_dir, 0755);
  g_mkdir (vcamera, 0755);
  /* The camera serves copies of the one file in its folder. */
  path = g_build_filename (camera_dir, "24mp.jpg", NULL);
  bench_write_source_jpeg (path);
  big = g_build_filename (top, "100mp.jpg", NULL);
  aside = g_build_filename (top, "24mp.jpg", NULL);
  served = g_build_filename (camera_dir, "100mp.jpg", NULL);
  if (big_shots > 0)
    bench_write_jpeg (big, BIG_WIDTH, BIG_HEIGHT);

  iolibs = g_build_filename (vusb, "iolibs", NULL);
  g_setenv ("IOLIBS", iolibs, TRUE);
  g_setenv ("VCAMERADIR", vcamera, TRUE);
  g_setenv ("CAMLIBS", camlibs, TRUE);
  g_setenv ("CAPA_TEST_CAMERA_DIR", camera_dir, TRUE);
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");

  big_folder = kit_make_session_folder (top, (guint) images);
  kit_premake_thumbnails (argv[0], top);

  app = kit_application_new ();
  shots_session = capa_session_new (shots_dir);
  watch.window = kit_window_new (app, shots_session);
  watch.view = kit_window_view (watch.window);
  watch.strip = kit_window_strip (watch.window);
  follow_session (&watch, shots_session);
  count_draws (&watch);
  g_signal_connect (watch.view, "painted", G_CALLBACK (on_painted_cb), &watch);

  g_print ("Main loop of a CapaWindow %dx%d on the test camera driver; %d shots, "
           "%d shots with the camera's button (24 MP, 400 ms apart), %d of 100 MP, "
           "a session of %d images; work sampled: %s\n",
           gtk_widget_get_allocated_width (GTK_WIDGET (watch.window)),
           gtk_widget_get_allocated_height (GTK_WIDGET (watch.window)),
           shots, camera_shots, big_shots, images, no_sampling ? "no" : "yes");
  {
    GStatBuf small_stat = { 0 }, big_stat = { 0 };

    g_stat (path, &small_stat);
    g_stat (big, &big_stat);
    g_print ("Files the camera serves: 6000x4000 JPEG %.1f MB, %dx%d JPEG %.1f MB\n",
             small_stat.st_size / 1e6, BIG_WIDTH, BIG_HEIGHT, big_stat.st_size / 1e6);
  }
  g_print ("Target: at most %.0f ms of main-thread work (CPU) a stretch; the wall time "
           "also holds waiting for a core on a loaded machine\n", TARGET_MS);
  g_print ("Work is the main thread's CPU time less its clock's jumps: stretches of 8 ms or "
           "more that the CPU-time clock\ngained at once, which a virtual machine's host "
           "taking the CPU away adds without reporting steal time\n(see bench/window-kit.c)\n");

  kit_busy_start (!no_sampling);

  /* warm-up: the first shot, the thread pools, the view's first image */
  g_action_group_activate_action (G_ACTION_GROUP (watch.window), "capture", NULL);
  wait_for_shots (&watch, 1, "the first shot on screen");

  /* 1. capturing */
  phase_begin (&phase, &watch);
  capture_shots (&watch, shots);
  phase_end (&phase, "capturing (win.capture, 24 MP)", &watch);


  /* 2. downloading: shots taken on the camera's side */
  press_shutter_on_camera (watch.window, (guint) camera_shots, 400);
  phase_begin (&phase, &watch);
  wait_for_camera_shots (&watch, (guint) camera_shots);
  phase_end (&phase, "downloading (camera's button, 24 MP, 400 ms apart)", &watch);

  if (big_shots > 0)
    {
      swap_camera_file (path, aside, big, served);
      press_shutter_on_camera (watch.window, (guint) big_shots, 400);
      phase_begin (&phase, &watch);
      wait_for_camera_shots (&watch, (guint) big_shots);
      phase_end (&phase, "downloading (camera's button, 100 MP)", &watch);
    }

  /* 3. loading a session of many images */
  big_session = capa_session_new (big_folder);
  phase_begin (&phase, &watch);
  follow_session (&watch, big_session);
  capa_window_set_session (watch.window, big_session);
  kit_wait_for (session_shown, &watch, "the large session on screen");
  linger (500);
  {
    g_autofree char *name = g_strdup_printf ("loading a session (%d images, thumbnails cached)",
                                             images);

    phase_end (&phase, name, &watch);
  }

  /* 4. scrolling the strip end to end */
  phase_begin (&phase, &watch);
  frames = kit_scroll_strip (watch.strip);
  kit_wait_for (strip_idle, watch.strip, "the strip to be idle");
  phase_end (&phase, "scrolling the film strip end to end, a page a frame", &watch);
  g_print ("  (%u frames)\n", frames);

  /* 5. capturing again, into the large session */
  if (big_session_shots > 0)
    {
      g_autofree char *name = g_strdup_printf ("capturing into the session of %d images "
                                               "(win.capture, 24 MP)", images);

      if (big_shots > 0)
        swap_camera_file (served, big, aside, path);
      phase_begin (&phase, &watch);
      capture_shots (&watch, big_session_shots);
      phase_end (&phase, name, &watch);
    }

  kit_busy_stop ();
  g_signal_handlers_disconnect_by_data (watch.view, &watch);
  g_signal_handlers_disconnect_by_data (watch.session, &watch);
  gtk_widget_destroy (GTK_WIDGET (watch.window));
  kit_settle ();
  g_free (watch.newest);
  g_free (watch.painted);
  kit_rmtree (top);

  return EXIT_SUCCESS;
}
