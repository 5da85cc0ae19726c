/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Capture-to-disk through CapaTether against `gphoto2
 * --capture-image-and-download` on the same virtual camera serving
 * realistic 24 MP JPEGs, side by side in the same run, and the main-loop
 * stalls while Capa captures.
 *
 * gphoto2 runs ONCE per round with the option repeated N times, so that,
 * like Capa's camera that stays open, it pays its start-up only once; the
 * time of each of its shots is taken from the moment it closes each file
 * (inotify), and its start-up is measured apart (`--summary`).
 *
 *   bench-capture [N_CAPTURES [ROUNDS]]     (default 15 shots, 2 rounds)
 *
 * (The virtual camera's card runs full after some 25 shots without
 * reopening: the camera is reopened for each run.)
 *
 * Needs the virtual camera fixture: CAPA_TEST_VUSB_DIR names the folder
 * tests/fixtures/build-vusb.sh built (meson sets it). Exits 77 (skipped)
 * without it.
 */

#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gphoto2/gphoto2.h>
#include <glib/gstdio.h>

#include <capa.h>

#include "window-kit.h"

#define WIDTH 6000
#define HEIGHT 4000
#define N_JPEGS 2

static char *
make_tmpdir (const char *name)
{
  g_autofree char *tmpl = g_strdup_printf ("capa-bench-%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp (tmpl, &error);

  if (path == NULL)
    g_error ("%s", error->message);
  return path;
}

/* A photo-like 24 MP JPEG: smooth gradients with sensor-like noise, so
 * that quality 90 lands around 6–9 MB as a real camera's would. */
static gsize
write_jpeg (const char *path,
            guint       seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, WIDTH, HEIGHT);
  g_autoptr(GError) error = NULL;
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 state = 2463534242u + seed;
  GStatBuf st;

  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guchar *p = pixels + (gsize) y * stride + x * 3;

        for (int c = 0; c < 3; c++)
          {
            int base = c == 0 ? x * 255 / WIDTH
                       : c == 1 ? y * 255 / HEIGHT
                       : ((x + y + (int) seed * 700) / 40) % 256;
            int noise;

            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            noise = (int) (state % 29) - 14;
            p[c] = (guchar) CLAMP (base + noise, 0, 255);
          }
      }

  if (!gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL))
    g_error ("%s", error->message);

  g_stat (path, &st);
  return st.st_size;
}

/* --- statistics --- */

typedef struct
{
  guint  n;
  double mean;
  double median;
  double p99;
  double max;
} Stats;

static Stats
stats_of (const double *values,
          guint         n)
{
  g_autofree double *sorted = g_memdup2 (values, n * sizeof (double));
  Stats stats = { n, 0, 0, 0, 0 };

  if (n == 0)
    return stats;
  qsort (sorted, n, sizeof (double), kit_compare_doubles);
  for (guint i = 0; i < n; i++)
    stats.mean += sorted[i];
  stats.mean /= n;
  stats.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  stats.p99 = sorted[MIN (n - 1, (guint) (0.99 * n))];
  stats.max = sorted[n - 1];
  return stats;
}

/* --- main-loop stall probe --- */

/* A 1 ms timeout records the wall-clock gap between its dispatches and
 * the main thread's own CPU time in each gap: a long gap with little CPU
 * is the thread waiting for a core, not work done on it. */
typedef struct
{
  gint64  last_wall;
  gint64  last_cpu;
  GArray *gaps;      /* double: ms of wall time */
  GArray *cpu;       /* double: ms of main-thread CPU time, same index */
} Probe;

static gboolean
on_tick_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = kit_thread_cpu_usec ();

  if (probe->last_wall != 0)
    {
      double gap = (now - probe->last_wall) / 1000.0;
      double used = (cpu - probe->last_cpu) / 1000.0;

      g_array_append_val (probe->gaps, gap);
      g_array_append_val (probe->cpu, used);
    }
  probe->last_wall = now;
  probe->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

/* The main loop's own work: the wall-clock time from one poll() returning
 * to the next poll() call is the time the loop spent dispatching (Capa's
 * callbacks and signals, and this program's), during which it could not
 * answer anything else.  Its CPU time is recorded beside it (window-kit.c
 * times them). */
static GArray *busy_wall;    /* double: ms */
static GArray *busy_cpu;     /* double: ms */

static void
keep_busy_stretches (void)
{
  g_autoptr(GArray) stretches = kit_busy_take ();

  for (guint i = 0; i < stretches->len; i++)
    {
      KitStretch *stretch = &g_array_index (stretches, KitStretch, i);

      g_array_append_val (busy_wall, stretch->wall_ms);
      g_array_append_val (busy_cpu, stretch->cpu_ms);
    }
  kit_busy_stop ();
}

/* --- Capa --- */

typedef struct
{
  CapaTether *tether;
  GMainLoop  *loop;
  guint       n;
  guint       started;
  guint       done;
  gint64      t0;
  gint64     *ended;     /* monotonic µs at which each shot was saved */
  GError     *error;
} Run;

static void start_capture (Run *run);

static void
on_captured_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(CapaImage) image = capa_tether_capture_finish (CAPA_TETHER (object), result,
                                                           &run->error);

  if (image == NULL)
    {
      g_main_loop_quit (run->loop);
      return;
    }

  run->ended[run->done++] = g_get_monotonic_time ();
  if (run->done == run->n)
    g_main_loop_quit (run->loop);
  else if (run->started < run->n)
    start_capture (run);
}

static void
start_capture (Run *run)
{
  run->started++;
  capa_tether_capture_async (run->tether, NULL, on_captured_cb, run);
}

/* Per-shot times of a sequence of shots: the first from @t0, then the
 * interval between one shot's end and the next one's. */
static void
intervals (gint64        t0,
           const gint64 *ended,
           guint         n,
           double       *first_ms,
           GArray       *steady_ms)
{
  *first_ms = (ended[0] - t0) / 1000.0;
  for (guint i = 1; i < n; i++)
    {
      double ms = (ended[i] - ended[i - 1]) / 1000.0;

      g_array_append_val (steady_ms, ms);
    }
}

static CapaCamera *
open_camera (CapaCameraList *list)
{
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(GError) error = NULL;
  CapaCamera *camera;

  if (!capa_camera_list_refresh (list, NULL, &error))
    g_error ("%s", error->message);
  cameras = capa_camera_list_get_cameras (list);
  if (cameras->len == 0)
    g_error ("the virtual camera was not detected");
  camera = g_object_ref (g_ptr_array_index (cameras, 0));
  if (!capa_camera_open (camera, NULL, &error))
    g_error ("%s", error->message);
  return camera;
}

typedef struct
{
  double first_ms;
  GArray *steady_ms;
  GArray *gaps;
  GArray *gap_cpu;
  double main_cpu_ms;
  double wall_ms;
  long   involuntary;
} CapaResult;

static void
capa_round (CapaCamera  *camera,
            CapaSession *session,
            guint        n,
            guint        in_flight,
            CapaResult  *out)
{
  g_autofree gint64 *ended = g_new0 (gint64, n);
  Run run = { 0 };
  Probe probe = { 0 };
  struct rusage ru0, ru1;
  gint64 cpu0;
  guint tick_id;

  run.tether = capa_tether_new (camera, session);
  run.loop = g_main_loop_new (NULL, FALSE);
  run.n = n;
  run.ended = ended;
  probe.gaps = out->gaps;
  probe.cpu = out->gap_cpu;

  tick_id = g_timeout_add (1, on_tick_cb, &probe);
  kit_busy_start (FALSE);
  getrusage (RUSAGE_THREAD, &ru0);
  cpu0 = kit_thread_cpu_usec ();
  run.t0 = g_get_monotonic_time ();
  for (guint i = 0; i < in_flight; i++)
    start_capture (&run);
  g_main_loop_run (run.loop);
  out->wall_ms += (g_get_monotonic_time () - run.t0) / 1000.0;
  out->main_cpu_ms += (kit_thread_cpu_usec () - cpu0) / 1000.0;
  getrusage (RUSAGE_THREAD, &ru1);
  out->involuntary += ru1.ru_nivcsw - ru0.ru_nivcsw;
  keep_busy_stretches ();
  g_source_remove (tick_id);
  if (run.error != NULL)
    g_error ("capture failed: %s", run.error->message);

  intervals (run.t0, ended, n, &out->first_ms, out->steady_ms);

  g_clear_object (&run.tether);
  g_main_loop_unref (run.loop);
}

/* Where a Capa shot's time goes: each step, blocking, one after another,
 * with the download kept in memory and then saved; the same bytes written
 * by plain write(2) with and without fsync, as gphoto2 writes them
 * (without); and a whole shot through capa_tether_capture(), which streams
 * the download into the session folder instead. */
#define N_STEPS 7
static const char *step_names[N_STEPS] = {
  "capture", "download to memory", "save in session (write+fsync+rename)",
  "  same bytes: plain write, no fsync", "  same bytes: fsync of that write", "delete",
  "whole shot, capa_tether_capture()",
};

static void
breakdown_round (CapaCamera  *camera,
                 CapaSession *session,
                 const char  *scratch_dir,
                 guint        rounds,
                 double       step_ms[N_STEPS])
{
  g_autoptr(CapaTether) tether = capa_tether_new (camera, session);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(CapaCameraFile) file = NULL;
      g_autoptr(CapaImage) image = NULL;
      g_autofree char *scratch = g_strdup_printf ("%s/plain-%u.jpg", scratch_dir, i);
      GBytes *data;
      gint64 t[N_STEPS + 1];
      const char *p;
      gsize left;
      int fd;

      t[0] = g_get_monotonic_time ();
      file = capa_camera_capture_image (camera, NULL, &error);
      t[1] = g_get_monotonic_time ();
      if (file == NULL || !capa_camera_download_file (camera, file, NULL, &error))
        g_error ("%s", error->message);
      t[2] = g_get_monotonic_time ();
      image = capa_session_save_file (session, file, NULL, &error);
      if (image == NULL)
        g_error ("%s", error->message);
      t[3] = g_get_monotonic_time ();

      data = capa_camera_file_get_data (file);
      p = g_bytes_get_data (data, &left);
      fd = open (scratch, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0)
        g_error ("%s: %s", scratch, g_strerror (errno));
      while (left > 0)
        {
          ssize_t w = write (fd, p, left);

          if (w < 0 && errno == EINTR)
            continue;
          if (w <= 0)
            g_error ("%s: %s", scratch, g_strerror (errno));
          p += w;
          left -= (gsize) w;
        }
      t[4] = g_get_monotonic_time ();
      fsync (fd);
      close (fd);
      t[5] = g_get_monotonic_time ();

      if (!capa_camera_delete_file (camera, file, NULL, &error))
        g_error ("%s", error->message);
      t[6] = g_get_monotonic_time ();

      /* Capture, download streamed to the session's disk, sync, name,
       * delete. */
      g_clear_object (&image);
      image = capa_tether_capture (tether, NULL, &error);
      if (image == NULL)
        g_error ("%s", error->message);
      t[7] = g_get_monotonic_time ();

      for (guint s = 0; s < N_STEPS; s++)
        step_ms[s] += (t[s + 1] - t[s]) / 1000.0;
    }
}

/* The floor: the same steps through bare libgphoto2 in this process (the
 * camera opened by Capa closed meanwhile), into a memory CameraFile as Capa
 * downloads. */
#define N_BARE 3
static const char *bare_names[N_BARE] = {
  "bare libgphoto2: capture", "bare libgphoto2: download to memory", "bare libgphoto2: delete",
};

static void
bare_round (const char *port,
            const char *model,
            guint       shots,
            double      bare_ms[N_BARE])
{
  GPContext *context = gp_context_new ();
  CameraAbilitiesList *abilities_list = NULL;
  GPPortInfoList *ports = NULL;
  CameraAbilities abilities;
  GPPortInfo port_info;
  Camera *gp_camera = NULL;

  gp_abilities_list_new (&abilities_list);
  gp_abilities_list_load (abilities_list, context);
  gp_port_info_list_new (&ports);
  gp_port_info_list_load (ports);
  if (gp_abilities_list_get_abilities (abilities_list,
                                       gp_abilities_list_lookup_model (abilities_list, model),
                                       &abilities) < GP_OK ||
      gp_port_info_list_get_info (ports, gp_port_info_list_lookup_path (ports, port),
                                  &port_info) < GP_OK)
    g_error ("libgphoto2 does not know %s on %s", model, port);
  gp_camera_new (&gp_camera);
  gp_camera_set_abilities (gp_camera, abilities);
  gp_camera_set_port_info (gp_camera, port_info);
  if (gp_camera_init (gp_camera, context) < GP_OK)
    g_error ("libgphoto2 cannot open %s", model);

  /* The first shots after opening are slower: two to warm up. */
  for (guint i = 0; i < shots + 2; i++)
    {
      CameraFilePath path;
      CameraFile *gp_file = NULL;
      gint64 t[N_BARE + 1];

      memset (&path, 0, sizeof path);
      t[0] = g_get_monotonic_time ();
      if (gp_camera_capture (gp_camera, GP_CAPTURE_IMAGE, &path, context) < GP_OK)
        g_error ("bare capture failed");
      t[1] = g_get_monotonic_time ();
      gp_file_new (&gp_file);
      if (gp_camera_file_get (gp_camera, path.folder, path.name, GP_FILE_TYPE_NORMAL,
                              gp_file, context) < GP_OK)
        g_error ("bare download failed");
      t[2] = g_get_monotonic_time ();
      gp_file_unref (gp_file);
      if (gp_camera_file_delete (gp_camera, path.folder, path.name, context) < GP_OK)
        g_error ("bare delete failed");
      t[3] = g_get_monotonic_time ();
      for (guint s = 0; s < N_BARE && i >= 2; s++)
        bare_ms[s] += (t[s + 1] - t[s]) / 1000.0;
    }

  gp_camera_exit (gp_camera, context);
  gp_camera_unref (gp_camera);
  gp_port_info_list_free (ports);
  gp_abilities_list_free (abilities_list);
  gp_context_unref (context);
}

/* --- gphoto2 --- */

typedef struct
{
  int      fd;
  guint    n;
  gint64  *closed;    /* monotonic µs at which gphoto2 closed each file */
  guint    seen;
  gboolean stop;      /* atomic */
} Watch;

static gpointer
watch_thread (gpointer data)
{
  Watch *watch = data;
  char buffer[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));

  while (watch->seen < watch->n && !g_atomic_int_get (&watch->stop))
    {
      struct pollfd pfd = { watch->fd, POLLIN, 0 };
      ssize_t len;

      if (poll (&pfd, 1, 50) <= 0)
        continue;
      len = read (watch->fd, buffer, sizeof buffer);
      for (char *p = buffer; len > 0 && p < buffer + len;)
        {
          const struct inotify_event *event = (const struct inotify_event *) p;
          gint64 now = g_get_monotonic_time ();

          if ((event->mask & IN_CLOSE_WRITE) && watch->seen < watch->n)
            watch->closed[watch->seen++] = now;
          p += sizeof (struct inotify_event) + event->len;
        }
    }
  return NULL;
}

static double
run_command (char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s %s", argv[0], error ? error->message : "", err ? err : "");

  return (g_get_monotonic_time () - start) / 1000.0;
}

typedef struct
{
  double  first_ms;     /* from spawning to the first file closed */
  GArray *steady_ms;
  double  wall_ms;      /* whole runs */
  GArray *startup_ms;   /* `gphoto2 --summary` */
} CliResult;

static void
gphoto2_round (const char *port,
               const char *model,
               guint       n,
               CliResult  *out)
{
  g_autofree char *dir = make_tmpdir ("gphoto2");
  g_autofree char *pattern = g_build_filename (dir, "%n.%C", NULL);
  g_autofree gint64 *closed = g_new0 (gint64, n);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  char *summary_argv[] = { "gphoto2", "--port", (char *) port, "--camera", (char *) model,
                           "--summary", NULL };
  Watch watch = { 0 };
  GThread *thread;
  gint64 t0;
  double wall;

  /* Start-up and camera initialisation alone, before and after. */
  for (guint i = 0; i < 2; i++)
    {
      double ms = run_command (summary_argv);

      g_array_append_val (out->startup_ms, ms);
    }

  g_ptr_array_add (argv, "gphoto2");
  g_ptr_array_add (argv, "--quiet");
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, (char *) port);
  g_ptr_array_add (argv, "--camera");
  g_ptr_array_add (argv, (char *) model);
  g_ptr_array_add (argv, "--filename");
  g_ptr_array_add (argv, pattern);
  g_ptr_array_add (argv, "--force-overwrite");
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (argv, "--capture-image-and-download");
  g_ptr_array_add (argv, NULL);

  watch.fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  if (watch.fd < 0 || inotify_add_watch (watch.fd, dir, IN_CLOSE_WRITE) < 0)
    g_error ("inotify: %s", g_strerror (errno));
  watch.n = n;
  watch.closed = closed;
  thread = g_thread_new ("watch", watch_thread, &watch);

  t0 = g_get_monotonic_time ();
  wall = run_command ((char **) argv->pdata);
  g_atomic_int_set (&watch.stop, TRUE);
  g_thread_join (thread);
  close (watch.fd);
  if (watch.seen != n)
    g_error ("gphoto2 wrote %u files of %u", watch.seen, n);

  out->wall_ms += wall;
  intervals (t0, closed, n, &out->first_ms, out->steady_ms);

  {
    double ms = run_command (summary_argv);

    g_array_append_val (out->startup_ms, ms);
  }

  kit_rmtree (dir);
}

/* --- report --- */

static void
print_row (const char  *what,
           const Stats *s)
{
  printf ("| %-52s | %5u | %8.2f | %8.1f | %8.1f | %8.1f |\n",
          what, s->n, 1000.0 / s->mean, s->mean, s->median, s->max);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 15;
  guint rounds = argc > 2 ? (guint) atoi (argv[2]) : 2;
  const char *vusb = g_getenv ("CAPA_TEST_VUSB_DIR");
  g_autofree char *status_file = NULL;
  g_autofree char *status = NULL;
  g_autofree char *iolibs = NULL;
  g_autofree char *jpegs = NULL;
  g_autofree char *session_dir = NULL;
  g_autofree char *scratch_dir = NULL;
  g_autofree char *gphoto2 = g_find_program_in_path ("gphoto2");
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(CapaSession) session = NULL;
  g_autofree char *port = NULL;
  g_autofree char *model = NULL;
  CapaResult capa = { 0 };
  CapaResult capa2 = { 0 };
  CliResult cli = { 0 };
  double step_ms[N_STEPS] = { 0 };
  double bare_ms[N_BARE] = { 0 };
  guint breakdown_shots = 0;
  double first_capa = 0, first_cli = 0;
  gsize total_size = 0;
  Stats capa_s, capa2_s, cli_s, gap_s, cpu_s, startup_s;
  double longest_cpu = 0, cpu_at_longest = 0, longest_gap = 0;

  if (n < 2)
    n = 2;
  if (rounds == 0)
    rounds = 1;

  status_file = vusb ? g_build_filename (vusb, "status", NULL) : NULL;
  if (status_file == NULL || !g_file_get_contents (status_file, &status, NULL, NULL) ||
      !g_str_has_prefix (status, "ok"))
    {
      printf ("SKIP: the virtual camera is not available (CAPA_TEST_VUSB_DIR)\n");
      return 77;
    }

  jpegs = make_tmpdir ("jpegs");
  printf ("Making %u JPEGs of %d×%d at quality 90…\n", N_JPEGS, WIDTH, HEIGHT);
  for (guint i = 0; i < N_JPEGS; i++)
    {
      g_autofree char *name = g_strdup_printf ("shot-%u.jpg", i + 1);
      g_autofree char *path = g_build_filename (jpegs, name, NULL);

      total_size += write_jpeg (path, i);
    }
  printf ("Average JPEG size: %.1f MB; %u shots per run, %u rounds\n\n",
          total_size / (double) N_JPEGS / 1e6, n, rounds);

  iolibs = g_build_filename (vusb, "iolibs", NULL);
  g_setenv ("IOLIBS", iolibs, TRUE);
  g_setenv ("VCAMERADIR", jpegs, TRUE);

  list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (list, FALSE);
  session_dir = make_tmpdir ("session");
  scratch_dir = make_tmpdir ("scratch");
  session = capa_session_new (session_dir);

  capa.steady_ms = g_array_new (FALSE, FALSE, sizeof (double));
  capa.gaps = g_array_new (FALSE, FALSE, sizeof (double));
  capa.gap_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  busy_wall = g_array_new (FALSE, FALSE, sizeof (double));
  busy_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  capa2.steady_ms = g_array_new (FALSE, FALSE, sizeof (double));
  capa2.gaps = capa.gaps;
  capa2.gap_cpu = capa.gap_cpu;
  cli.steady_ms = g_array_new (FALSE, FALSE, sizeof (double));
  cli.startup_ms = g_array_new (FALSE, FALSE, sizeof (double));

  /* Rounds alternate Capa and gphoto2 so that both meet the same load. */
  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(CapaCamera) camera = open_camera (list);

      capa_round (camera, session, n, 1, &capa);
      first_capa += capa.first_ms;
      capa_camera_close (camera, NULL, NULL);
      g_clear_object (&camera);

      /* A photographer shooting faster than pictures are saved: the next
       * shot is asked for while the previous one is still being saved. */
      camera = open_camera (list);
      capa_round (camera, session, n, 2, &capa2);
      breakdown_round (camera, session, scratch_dir, 3, step_ms);
      breakdown_shots += 3;
      if (port == NULL)
        {
          port = g_strdup (capa_camera_get_port (camera));
          model = g_strdup (capa_camera_get_model (camera));
        }
      capa_camera_close (camera, NULL, NULL);

      bare_round (port, model, 3, bare_ms);

      if (gphoto2 != NULL)
        {
          gphoto2_round (port, model, n, &cli);
          first_cli += cli.first_ms;
        }
    }

  capa_s = stats_of ((double *) capa.steady_ms->data, capa.steady_ms->len);
  capa2_s = stats_of ((double *) capa2.steady_ms->data, capa2.steady_ms->len);
  cli_s = stats_of ((double *) cli.steady_ms->data, cli.steady_ms->len);

  printf ("| %-52s | %5s | %8s | %8s | %8s | %8s |\n",
          "capture to disk, 24 MP JPEG, virtual D750, shots 2+", "shots", "shots/s",
          "mean ms", "median", "max ms");
  printf ("|------------------------------------------------------|-------|"
          "----------|----------|----------|----------|\n");
  print_row ("CapaTether, camera open, durable save (fsync)", &capa_s);
  print_row ("CapaTether, same, next shot asked during the save", &capa2_s);
  if (gphoto2 != NULL)
    {
      print_row ("gphoto2, one process, option repeated (no fsync)", &cli_s);
      startup_s = stats_of ((double *) cli.startup_ms->data, cli.startup_ms->len);
      printf ("\nFirst shot (from the call / from spawning gphoto2): "
              "Capa %.1f ms, gphoto2 %.1f ms\n",
              first_capa / rounds, first_cli / rounds);
      printf ("gphoto2 --summary (start-up and camera init alone): median %.1f ms\n",
              startup_s.median);
      printf ("gphoto2 whole run minus start-up, per shot: %.1f ms\n",
              (cli.wall_ms / rounds - startup_s.median) / n);
      printf ("\nRatio Capa / gphoto2 per shot (shots 2+): mean %.3f×, median %.3f×\n",
              capa_s.mean / cli_s.mean, capa_s.median / cli_s.median);
      printf ("  with the next shot asked during the save:  mean %.3f×, median %.3f×\n",
              capa2_s.mean / cli_s.mean, capa2_s.median / cli_s.median);
    }
  else
    printf ("\n(gphoto2 is not installed: no comparison)\n");

  printf ("\n| %-40s | %8s |\n", "one shot, step by step (blocking twins)", "mean ms");
  printf ("|------------------------------------------|----------|\n");
  for (guint s = 0; s < N_STEPS; s++)
    printf ("| %-40s | %8.1f |\n", step_names[s], step_ms[s] / breakdown_shots);
  for (guint s = 0; s < N_BARE; s++)
    printf ("| %-40s | %8.1f |\n", bare_names[s], bare_ms[s] / breakdown_shots);

  gap_s = stats_of ((double *) capa.gaps->data, capa.gaps->len);
  cpu_s = stats_of ((double *) capa.gap_cpu->data, capa.gap_cpu->len);
  for (guint i = 0; i < capa.gaps->len; i++)
    {
      double gap = g_array_index (capa.gaps, double, i);
      double cpu = g_array_index (capa.gap_cpu, double, i);

      if (gap > longest_gap)
        {
          longest_gap = gap;
          cpu_at_longest = cpu;
        }
      longest_cpu = MAX (longest_cpu, cpu);
    }
  printf ("\nMain loop while Capa captured (1 ms timeout, %u gaps):\n", gap_s.n);
  printf ("  longest gap %.1f ms (main thread ran %.1f ms of it), "
          "99th percentile %.1f ms, median %.1f ms\n",
          gap_s.max, cpu_at_longest, gap_s.p99, gap_s.median);
  printf ("  most main-thread CPU in one gap %.1f ms, 99th percentile %.2f ms\n",
          longest_cpu, cpu_s.p99);
  {
    Stats busy_s = stats_of ((double *) busy_wall->data, busy_wall->len);
    Stats busy_cpu_s = stats_of ((double *) busy_cpu->data, busy_cpu->len);

    printf ("  main loop busy between two polls (%u times): longest %.2f ms, "
            "99th percentile %.2f ms; its CPU: longest %.2f ms\n",
            busy_s.n, busy_s.max, busy_s.p99, busy_cpu_s.max);
  }
  printf ("  main thread CPU %.1f ms in %.1f ms of capturing (%.1f%%), %ld involuntary switches\n",
          capa.main_cpu_ms + capa2.main_cpu_ms, capa.wall_ms + capa2.wall_ms,
          100 * (capa.main_cpu_ms + capa2.main_cpu_ms) / (capa.wall_ms + capa2.wall_ms),
          capa.involuntary + capa2.involuntary);

  g_array_unref (capa.steady_ms);
  g_array_unref (capa.gaps);
  g_array_unref (capa.gap_cpu);
  g_clear_pointer (&busy_wall, g_array_unref);
  g_clear_pointer (&busy_cpu, g_array_unref);
  g_array_unref (capa2.steady_ms);
  g_array_unref (cli.steady_ms);
  g_array_unref (cli.startup_ms);
  g_clear_object (&session);
  kit_rmtree (jpegs);
  kit_rmtree (session_dir);
  kit_rmtree (scratch_dir);

  return 0;
}
