/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Capture-to-disk through CapaTether against `gphoto2
 * --capture-image-and-download`, on libgphoto2's virtual camera serving
 * realistic 24 MP JPEGs, and the longest main-loop stall while Capa
 * captures (a 1 ms timeout records the gaps between its dispatches).
 *
 *   bench-capture [N_CAPTURES]     (default 10)
 *
 * Needs the virtual camera fixture: CAPA_TEST_VUSB_DIR names the folder
 * tests/fixtures/build-vusb.sh built (meson sets it). Exits 77 (skipped)
 * without it.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include <capa.h>

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

static void
rmtree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rmtree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
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
            int base = c == 0 ? x * 255 / WIDTH : c == 1 ? y * 255 / HEIGHT : ((x + y + (int) seed * 700) / 40) % 256;
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

/* --- main-loop stall probe --- */

static gint64 last_tick;
static gint64 longest_gap;

static gboolean
on_tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0 && now - last_tick > longest_gap)
    longest_gap = now - last_tick;
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

/* --- Capa --- */

typedef struct
{
  CapaTether *tether;
  GMainLoop  *loop;
  guint       remaining;
  guint       done;
  double     *durations;
  gint64      started;
  GError     *error;
} Run;

static void start_capture (Run *run);

static void
on_captured_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(CapaImage) image = capa_tether_capture_finish (CAPA_TETHER (object), result, &run->error);

  if (image == NULL)
    {
      g_main_loop_quit (run->loop);
      return;
    }

  run->durations[run->done++] = (g_get_monotonic_time () - run->started) / 1000.0;
  if (--run->remaining == 0)
    g_main_loop_quit (run->loop);
  else
    start_capture (run);
}

static void
start_capture (Run *run)
{
  run->started = g_get_monotonic_time ();
  capa_tether_capture_async (run->tether, NULL, on_captured_cb, run);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_row (const char *what,
           double     *ms,
           guint       n,
           double      total_s)
{
  double sum = 0;

  qsort (ms, n, sizeof (double), compare_doubles);
  for (guint i = 0; i < n; i++)
    sum += ms[i];
  printf ("| %-44s | %5u | %9.2f | %8.1f | %8.1f | %8.1f |\n",
          what, n, n / total_s, sum / n, ms[n / 2], ms[n - 1]);
}

static double
run_command (char **argv,
             char **envp)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  if (!g_spawn_sync (NULL, argv, envp, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s %s", argv[0], error ? error->message : "", err ? err : "");

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10;
  const char *vusb = g_getenv ("CAPA_TEST_VUSB_DIR");
  g_autofree char *status_file = NULL;
  g_autofree char *status = NULL;
  g_autofree char *iolibs = NULL;
  g_autofree char *jpegs = NULL;
  g_autofree char *session_dir = NULL;
  g_autofree char *cli_dir = NULL;
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(CapaSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *capa_ms = NULL;
  g_autofree double *cli_ms = NULL;
  g_autofree double *init_ms = NULL;
  g_auto(GStrv) envp = NULL;
  CapaCamera *camera;
  Run run = { 0 };
  gsize total_size = 0;
  double capa_total, cli_total = 0, init_total = 0, capa_stall_ms;
  gint64 start;
  guint tick_id;

  if (n == 0)
    n = 1;

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
  printf ("Average JPEG size: %.1f MB\n\n", total_size / (double) N_JPEGS / 1e6);

  iolibs = g_build_filename (vusb, "iolibs", NULL);
  g_setenv ("IOLIBS", iolibs, TRUE);
  g_setenv ("VCAMERADIR", jpegs, TRUE);

  /* --- Capa: one open camera, N captures to disk through the tether --- */
  list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (list, FALSE);
  if (!capa_camera_list_refresh (list, NULL, &error))
    g_error ("%s", error->message);
  cameras = capa_camera_list_get_cameras (list);
  if (cameras->len == 0)
    g_error ("the virtual camera was not detected");
  camera = g_ptr_array_index (cameras, 0);
  if (!capa_camera_open (camera, NULL, &error))
    g_error ("%s", error->message);

  session_dir = make_tmpdir ("session");
  session = capa_session_new (session_dir);
  run.tether = capa_tether_new (camera, session);
  run.loop = g_main_loop_new (NULL, FALSE);
  run.remaining = n;
  capa_ms = g_new0 (double, n);
  run.durations = capa_ms;

  tick_id = g_timeout_add (1, on_tick_cb, NULL);
  start = g_get_monotonic_time ();
  start_capture (&run);
  g_main_loop_run (run.loop);
  capa_total = (g_get_monotonic_time () - start) / 1e6;
  g_source_remove (tick_id);
  capa_stall_ms = longest_gap / 1000.0;
  if (run.error != NULL)
    g_error ("capture failed: %s", run.error->message);

  g_clear_object (&run.tether);
  g_main_loop_unref (run.loop);

  /* --- where the time goes: each step of a capture, blocking --- */
  {
    static const char *steps[] = { "capture", "download", "save (fsync)", "delete" };
    double step_ms[4] = { 0, 0, 0, 0 };
    guint rounds = MIN (n, 5);

    for (guint i = 0; i < rounds; i++)
      {
        g_autoptr(CapaCameraFile) file = NULL;
        g_autoptr(CapaImage) image = NULL;
        gint64 t0 = g_get_monotonic_time (), t1, t2, t3, t4;

        file = capa_camera_capture_image (camera, NULL, &error);
        t1 = g_get_monotonic_time ();
        if (file == NULL || !capa_camera_download_file (camera, file, NULL, &error))
          g_error ("%s", error->message);
        t2 = g_get_monotonic_time ();
        image = capa_session_save_file (session, file, NULL, &error);
        t3 = g_get_monotonic_time ();
        if (image == NULL || !capa_camera_delete_file (camera, file, NULL, &error))
          g_error ("%s", error->message);
        t4 = g_get_monotonic_time ();
        step_ms[0] += (t1 - t0) / 1000.0;
        step_ms[1] += (t2 - t1) / 1000.0;
        step_ms[2] += (t3 - t2) / 1000.0;
        step_ms[3] += (t4 - t3) / 1000.0;
      }

    printf ("| %-28s | %8s |\n", "step (blocking twins)", "mean ms");
    printf ("|------------------------------|----------|\n");
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      printf ("| %-28s | %8.1f |\n", steps[i], step_ms[i] / rounds);
    printf ("\n");
  }

  capa_camera_close (camera, NULL, NULL);

  /* --- gphoto2: one process per capture, and its start-up alone --- */
  envp = g_get_environ ();
  cli_dir = make_tmpdir ("gphoto2");
  cli_ms = g_new0 (double, n);
  init_ms = g_new0 (double, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *target = g_strdup_printf ("%s/cli-%04u.jpg", cli_dir, i);
      char *capture_argv[] = { "gphoto2", "--quiet", "--capture-image-and-download",
                               "--force-overwrite", "--filename", target, NULL };
      char *summary_argv[] = { "gphoto2", "--quiet", "--summary", NULL };

      cli_ms[i] = run_command (capture_argv, envp);
      cli_total += cli_ms[i] / 1000.0;
      init_ms[i] = run_command (summary_argv, envp);
      init_total += init_ms[i] / 1000.0;
    }

  printf ("| %-44s | %5s | %9s | %8s | %8s | %8s |\n",
          "capture to disk (24 MP JPEG, virtual D750)", "shots", "shots/s", "mean ms", "median", "max ms");
  printf ("|----------------------------------------------|-------|-----------|----------|----------|----------|\n");
  if (n > 1)
    {
      double first = capa_ms[0];

      /* The first shot is slower (see docs/performance-capture.md). */
      print_row ("CapaTether, shots 2+ (camera open, fsync'd)", capa_ms + 1, n - 1,
                 capa_total - first / 1000.0);
      printf ("| %-44s | %5u | %9s | %8.1f | %8s | %8s |\n",
              "CapaTether, first shot", 1, "", first, "", "");
    }
  else
    print_row ("CapaTether (camera open, fsync'd)", capa_ms, n, capa_total);
  print_row ("gphoto2 --capture-image-and-download", cli_ms, n, cli_total);
  print_row ("gphoto2 --summary (start-up and init only)", init_ms, n, init_total);
  printf ("\nLongest main-loop stall while Capa captured: %.1f ms\n", capa_stall_ms);

  rmtree (jpegs);
  rmtree (session_dir);
  rmtree (cli_dir);

  return 0;
}
