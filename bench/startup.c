/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Start-up of the real `capa` binary (issue 8, item 14), run under
 * tests/harness/with-display.sh (Xvfb, a private D-Bus, no window manager):
 *
 *   mapped   from spawning `capa --session DIR` to the MapNotify of its
 *            top-level window (a window whose _NET_WM_PID is the child),
 *            seen on the root window from this process's own X connection
 *   idle     from spawning to the start of the first 300 ms stretch, after
 *            the window is mapped, in which the CPU time of every thread of
 *            the process (/proc/PID/task/TID/schedstat) stays the same and no
 *            thread is runnable
 *   RSS      VmRSS of the process at that moment (/proc/PID/status), and
 *            its VmHWM
 *
 * The session folder holds a few 6000×4000 JPEGs made at start; thumbnails
 * go to a private XDG_CACHE_HOME, so the first (warm-up) run makes them and
 * the measured runs read them back, as a photographer reopening a session.
 * Settings are in memory (GSETTINGS_BACKEND=memory, set by meson).
 *
 * Usage: bench-startup CAPA-BINARY [--runs N] [--images N]
 */

#define G_LOG_DOMAIN "Capa-Bench-Startup"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#define QUIET_USEC    (300 * 1000)
#define SAMPLE_USEC   (5 * 1000)
#define GIVE_UP_USEC  (120 * G_USEC_PER_SEC)

typedef struct
{
  double mapped_ms;
  double idle_ms;
  double rss_mib;
  double hwm_mib;
} Result;

/* --- the child, seen through /proc --- */

/* The sum of the CPU time of the process's threads, in ns, and whether one
 * of them is runnable. */
static gboolean
sample_cpu (GPid      pid,
            guint64  *cpu_ns,
            gboolean *runnable)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  *cpu_ns = 0;
  *runnable = FALSE;
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *schedstat = g_build_filename (dir_path, name, "schedstat", NULL);
      g_autofree char *stat = g_build_filename (dir_path, name, "stat", NULL);
      g_autofree char *contents = NULL;
      const char *state;

      if (g_file_get_contents (schedstat, &contents, NULL, NULL))
        *cpu_ns += g_ascii_strtoull (contents, NULL, 10);
      g_clear_pointer (&contents, g_free);

      /* "pid (comm) S ...": the state follows the last parenthesis. */
      if (g_file_get_contents (stat, &contents, NULL, NULL) &&
          (state = strrchr (contents, ')')) != NULL && state[1] == ' ' && state[2] == 'R')
        *runnable = TRUE;
    }

  return TRUE;
}

static double
status_mib (GPid        pid,
            const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      (line = strstr (contents, field)) == NULL)
    return -1;

  return g_ascii_strtoull (line + strlen (field), NULL, 10) / 1024.0;
}

/* --- the X side --- */

static gboolean
window_belongs_to (Display *display,
                   Window   window,
                   Atom     net_wm_pid,
                   GPid     pid)
{
  Atom type;
  int format;
  unsigned long n_items, after;
  unsigned char *data = NULL;
  gboolean result = FALSE;

  if (XGetWindowProperty (display, window, net_wm_pid, 0, 1, False, XA_CARDINAL,
                          &type, &format, &n_items, &after, &data) == Success &&
      data != NULL && n_items == 1 && format == 32)
    result = (GPid) *(unsigned long *) data == pid;

  if (data != NULL)
    XFree (data);

  return result;
}

/* Waits up to @timeout_usec for X events; TRUE when the child's top-level
 * window has been mapped. */
static gboolean
wait_for_map (Display *display,
              Atom     net_wm_pid,
              GPid     pid,
              gint64   timeout_usec)
{
  int fd = ConnectionNumber (display);
  struct timeval tv = { 0, timeout_usec };
  fd_set fds;

  FD_ZERO (&fds);
  FD_SET (fd, &fds);
  if (XPending (display) == 0)
    select (fd + 1, &fds, NULL, NULL, &tv);

  while (XPending (display) > 0)
    {
      XEvent event;

      XNextEvent (display, &event);
      if (event.type == MapNotify && !event.xmap.override_redirect &&
          window_belongs_to (display, event.xmap.window, net_wm_pid, pid))
        return TRUE;
    }

  return FALSE;
}

/* --- one run --- */

static gboolean
run_once (const char *capa,
          const char *session,
          Display    *display,
          Atom        net_wm_pid,
          Result     *result,
          GError    **error)
{
  const char *argv[] = { capa, "--session", session, NULL };
  GPid pid;
  gint64 start, now, mapped = 0, last_change = 0;
  guint64 last_cpu = 0;
  gboolean first_sample = TRUE;
  int status;

  XSync (display, True);        /* drop the events of earlier runs */

  start = g_get_monotonic_time ();
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                      &pid, error))
    return FALSE;

  while (mapped == 0)
    {
      if (wait_for_map (display, net_wm_pid, pid, SAMPLE_USEC))
        mapped = g_get_monotonic_time ();
      else if (g_get_monotonic_time () - start > GIVE_UP_USEC ||
               waitpid (pid, &status, WNOHANG) == pid)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "capa showed no window (is it built, and does it start by hand?)");
          return FALSE;
        }
    }

  for (;;)
    {
      guint64 cpu;
      gboolean runnable;

      g_usleep (SAMPLE_USEC);
      now = g_get_monotonic_time ();
      if (!sample_cpu (pid, &cpu, &runnable))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "capa exited before going idle");
          waitpid (pid, &status, 0);
          return FALSE;
        }

      if (first_sample || cpu != last_cpu || runnable)
        {
          last_change = now;
          last_cpu = cpu;
          first_sample = FALSE;
        }
      else if (now - last_change >= QUIET_USEC)
        break;

      if (now - start > GIVE_UP_USEC)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "capa never went idle");
          return FALSE;
        }
    }

  result->mapped_ms = (mapped - start) / 1000.0;
  /* The last sample that saw work ended the busy time: the process was
   * busy at most until then. */
  result->idle_ms = (last_change - start) / 1000.0;
  result->rss_mib = status_mib (pid, "VmRSS:");
  result->hwm_mib = status_mib (pid, "VmHWM:");

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);

  return TRUE;
}

/* --- the session --- */

static gboolean
make_session (const char *folder,
              guint       n_images,
              GError    **error)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 6000, 4000);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 seed = 1;

  for (int y = 0; y < 4000; y++)
    for (int x = 0; x < 6000; x++)
      {
        guchar *p = pixels + y * stride + x * 3;

        seed = seed * 1664525 + 1013904223;
        p[0] = (x * 255 / 6000 + (seed >> 28)) & 0xff;
        p[1] = (y * 255 / 4000 + (seed >> 24 & 0xf)) & 0xff;
        p[2] = ((x + y) * 255 / 10000) & 0xff;
      }

  for (guint i = 0; i < n_images; i++)
    {
      g_autofree char *name = g_strdup_printf ("DSC_%04u.JPG", i + 1);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (i == 0)
        {
          if (!gdk_pixbuf_save (pixbuf, path, "jpeg", error, "quality", "90", NULL))
            return FALSE;
        }
      else
        {
          g_autofree char *first = g_build_filename (folder, "DSC_0001.JPG", NULL);
          g_autofree char *contents = NULL;
          gsize length;

          /* Copies, not links: each file its own inode and mtime. */
          if (!g_file_get_contents (first, &contents, &length, error) ||
              !g_file_set_contents (path, contents, length, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* --- the report --- */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_row (const char *label,
           GArray     *values,
           const char *unit,
           double      reference)
{
  double *v = (double *) values->data;
  guint n = values->len;

  g_array_sort (values, compare_doubles);
  printf ("# %-22s median %7.1f %-3s  min %7.1f  max %7.1f", label, v[n / 2], unit, v[0],
          v[n - 1]);
  if (reference > 0)
    printf ("   (Entangle 2: %.0f %s, not measured here)", reference, unit);
  printf ("\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *session = NULL;
  g_autofree char *cache = NULL;
  g_autoptr(GArray) mapped = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) hwm = g_array_new (FALSE, FALSE, sizeof (double));
  const char *capa = NULL;
  int runs = 7;
  int images = 5;
  Display *display;
  Atom net_wm_pid;
  double load[3] = { 0, 0, 0 };
  int status = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
        runs = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--images") && i + 1 < argc)
        images = atoi (argv[++i]);
      else
        capa = argv[i];
    }
  if (capa == NULL || runs < 1 || images < 0)
    {
      fprintf (stderr, "Usage: %s CAPA-BINARY [--runs N] [--images N]\n", argv[0]);
      return 2;
    }

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      printf ("Bail out! no X display (run through tests/harness/with-display.sh)\n");
      return 1;
    }
  net_wm_pid = XInternAtom (display, "_NET_WM_PID", False);
  XSelectInput (display, DefaultRootWindow (display), SubstructureNotifyMask);

  tmp = g_dir_make_tmp ("capa-bench-startup-XXXXXX", &error);
  g_assert_no_error (error);
  session = g_build_filename (tmp, "session", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  g_mkdir (session, 0700);
  g_mkdir (cache, 0700);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  if (!make_session (session, images, &error))
    {
      printf ("Bail out! could not make the session: %s\n", error->message);
      return 1;
    }

  if (getloadavg (load, 3) < 0)
    load[0] = -1;
  printf ("# capa start-up: %s --session (%d images, 6000x4000 JPEG), %d runs after a "
          "warm-up\n# load average before: %.2f %.2f %.2f\n",
          capa, images, runs, load[0], load[1], load[2]);
  printf ("# run   mapped ms   idle ms   RSS MiB   HWM MiB\n");

  for (int i = 0; i <= runs; i++)
    {
      Result result;

      if (!run_once (capa, session, display, net_wm_pid, &result, &error))
        {
          printf ("Bail out! run %d: %s\n", i, error->message);
          status = 1;
          break;
        }
      printf ("# %-4s %10.1f %9.1f %9.1f %9.1f\n", i == 0 ? "warm" : "", result.mapped_ms,
              result.idle_ms, result.rss_mib, result.hwm_mib);
      if (i == 0)
        continue;
      g_array_append_val (mapped, result.mapped_ms);
      g_array_append_val (idle, result.idle_ms);
      g_array_append_val (rss, result.rss_mib);
      g_array_append_val (hwm, result.hwm_mib);
    }

  if (status == 0)
    {
      if (getloadavg (load, 3) < 0)
        load[0] = -1;
      print_row ("launch -> mapped", mapped, "ms", 430);
      print_row ("launch -> idle", idle, "ms", 1450);
      print_row ("RSS at idle", rss, "MiB", 126);
      print_row ("peak RSS (VmHWM)", hwm, "MiB", 0);
      printf ("# load average after: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
      printf ("1..1\nok 1 startup\n");
    }

  XCloseDisplay (display);
  {
    const char *rm[] = { "rm", "-rf", tmp, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  NULL, NULL);
  }

  return status;
}
