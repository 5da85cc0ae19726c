/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The film strip with a 10,000-image session, in a 1920-pixel-wide window
 * under Xvfb (run through tests/harness/with-display.sh):
 *
 *   load         the session listed and sorted (CapaSession, async)
 *   first screen from setting the session on the strip to the frame that
 *                shows every visible thumbnail, read from the shared
 *                cache (made beforehand by another thumbnailer, so none
 *                is in memory)
 *   floor        the bare libraries doing the first screen's work: the
 *                same cached PNGs read with gdk_pixbuf_new_from_file()
 *                one after the other, scaled and made into cairo surfaces
 *   scrolling    end to end, one page a frame, driven by the frame clock:
 *                per frame, the main thread's CPU time and the wall time
 *                it spent outside poll() (its work, during which it could
 *                not answer), max and 99th percentile
 *   peak RSS     VmHWM of the whole process at the end
 *
 * One 1200×800 JPEG is made at run time and hard-linked under 10,000
 * names (CAPA_BENCH_IMAGES to change it).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <capa.h>

#include "window-kit.h"

#define WINDOW_WIDTH  KIT_WINDOW_WIDTH

/* --- frames --- */

typedef struct
{
  GArray        *cpu;           /* double: ms of main-thread CPU a frame */
  GArray        *busy;          /* double: ms outside poll() a frame */
  gint64         last_cpu;
  gint64         last_busy;
  guint          n_frames;
  gboolean       scrolling;
} Run;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Run           *run)
{
  gint64 cpu = kit_thread_cpu_usec ();
  gint64 busy, busy_cpu;

  kit_busy_totals (&busy, &busy_cpu);
  run->n_frames++;
  if (run->scrolling && run->last_cpu != 0)
    {
      double cpu_ms = (cpu - run->last_cpu) / 1000.0;
      double busy_ms = (busy - run->last_busy) / 1000.0;

      g_array_append_val (run->cpu, cpu_ms);
      g_array_append_val (run->busy, busy_ms);
    }
  run->last_cpu = cpu;
  run->last_busy = busy;
}

/* The bare libraries doing the first screen's work. */
static double
floor_first_screen (char  **files,
                    guint   first,
                    guint   last)
{
  g_autoptr(CapaThumbnailer) thumbnailer = capa_thumbnailer_new (0);
  gint64 start = g_get_monotonic_time ();

  for (guint i = first; i < last; i++)
    {
      g_autofree char *png = capa_thumbnailer_get_thumbnail_path (thumbnailer, files[i],
                                                                  CAPA_THUMBNAIL_SIZE_NORMAL);
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (png, NULL);
      g_autoptr(GdkPixbuf) scaled = NULL;
      cairo_surface_t *surface;

      if (pixbuf == NULL)
        g_error ("cannot read %s", png);
      scaled = gdk_pixbuf_scale_simple (pixbuf, 128, 85, GDK_INTERP_BILINEAR);
      surface = gdk_cairo_surface_create_from_pixbuf (scaled, 1, NULL);
      cairo_surface_destroy (surface);
    }

  return (g_get_monotonic_time () - start) / 1000.0;
}

/* A field of /proc/self/status, in KiB: VmHWM (the peak) or VmRSS. */
static long
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line ? strtol (line + strlen (field), NULL, 10) : -1;
}

/* --- the run --- */

static gboolean
session_loaded (gpointer data)
{
  return capa_session_get_loaded (data);
}

static gboolean
strip_idle (gpointer data)
{
  return !capa_film_strip_get_loading (data);
}

typedef struct
{
  Run   *run;
  guint  frame;
} FrameWait;

static gboolean
next_frame (gpointer data)
{
  FrameWait *wait = data;

  return wait->run->n_frames > wait->frame;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *top = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *cache = NULL;
  g_autoptr(CapaSession) session = NULL;
  g_autoptr(GPtrArray) files = NULL;
  const char *n_env = g_getenv ("CAPA_BENCH_IMAGES");
  guint n_images = n_env ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 10000;
  GtkWidget *window;
  CapaFilmStrip *strip;
  GdkFrameClock *clock;
  Run run = { 0 };
  FrameWait wait = { &run, 0 };
  gint64 start;
  double load_ms, premake_ms, first_ms, floor_ms;
  guint visible;
  long first_rss;

  /* The child that makes the thumbnails: bench-film-strip --premake TOP */
  if (kit_premake_main (argc, argv) == 0)
    return 0;

  top = g_dir_make_tmp ("capa-bench-strip-XXXXXX", NULL);
  cache = g_build_filename (top, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  gtk_init (&argc, &argv);

  g_print ("Film strip: %u images (one 1200×800 JPEG hard-linked), a %d-pixel-wide window\n\n",
           n_images, WINDOW_WIDTH);

  folder = kit_make_session_folder (top, n_images);
  session = capa_session_new (folder);

  start = g_get_monotonic_time ();
  capa_session_load_async (session, NULL, NULL, NULL);
  kit_wait_for (session_loaded, session, "the session to load");
  load_ms = (g_get_monotonic_time () - start) / 1000.0;

  files = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_images; i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (G_LIST_MODEL (session), i);

      g_ptr_array_add (files, g_strdup (capa_image_get_filename (image)));
    }
  g_ptr_array_add (files, NULL);

  /* In a process of its own, so that its memory is not this one's. */
  start = g_get_monotonic_time ();
  kit_premake_thumbnails (argv[0], top);
  premake_ms = (g_get_monotonic_time () - start) / 1000.0;

  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, -1);
  strip = capa_film_strip_new ();
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (strip));
  gtk_widget_show_all (window);
  while (!gtk_widget_get_mapped (window) || gtk_widget_get_allocated_width (window) < 100)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &run);

  kit_busy_start (FALSE);

  /* First screen: the session set, every visible thumbnail on screen. */
  start = g_get_monotonic_time ();
  capa_film_strip_set_session (strip, session);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  kit_wait_for (strip_idle, strip, "the first screen");
  wait.frame = run.n_frames;
  kit_wait_for (next_frame, &wait, "a frame");
  first_ms = (g_get_monotonic_time () - start) / 1000.0;
  first_rss = status_kib ("VmRSS:");

  visible = (WINDOW_WIDTH - 8) / (128 + 8) + 1;
  floor_ms = floor_first_screen ((char **) files->pdata, n_images - visible, n_images);

  /* Scrolling end to end, a page a frame. */
  run.cpu = g_array_new (FALSE, FALSE, sizeof (double));
  run.busy = g_array_new (FALSE, FALSE, sizeof (double));
  run.scrolling = TRUE;
  run.last_cpu = 0;
  start = g_get_monotonic_time ();
  kit_scroll_strip (strip);
  run.scrolling = FALSE;
  {
    double scroll_s = (g_get_monotonic_time () - start) / 1e6;
    guint n = run.cpu->len;

    kit_wait_for (strip_idle, strip, "the strip to be idle");

    g_print ("%-34s %10.1f ms\n", "load (list + sort)", load_ms);
    g_print ("%-34s %10.1f s (not part of Capa's figures)\n", "thumbnails made beforehand",
             premake_ms / 1000.0);
    g_print ("%-34s %10.1f ms   floor %.1f ms (%u cached PNGs read, scaled)\n",
             "first screen (cached)", first_ms, floor_ms, visible);
    g_print ("%-34s %10u frames in %.1f s\n", "scrolling end to end", n, scroll_s);
    g_print ("%-34s %10.2f ms max, %.2f ms 99th percentile, %.2f ms median\n",
             "  main-thread CPU a frame", kit_percentile (run.cpu, 1.0),
             kit_percentile (run.cpu, 0.99), kit_percentile (run.cpu, 0.5));
    g_print ("%-34s %10.2f ms max, %.2f ms 99th percentile, %.2f ms median\n",
             "  main loop busy a frame (wall)", kit_percentile (run.busy, 1.0),
             kit_percentile (run.busy, 0.99), kit_percentile (run.busy, 0.5));
    g_print ("%-34s %10.1f MiB (%.1f MiB after the first screen, %.1f MiB at the end)\n",
             "peak RSS (VmHWM)", status_kib ("VmHWM:") / 1024.0, first_rss / 1024.0,
             status_kib ("VmRSS:") / 1024.0);
  }

  kit_busy_stop ();
  gtk_widget_destroy (window);
  g_array_unref (run.cpu);
  g_array_unref (run.busy);

  {
    /* The folder holds 10,000 links and a cache: rm removes it. */
    const char *rm[] = { "rm", "-rf", top, NULL };

    if (!g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                       NULL, NULL, NULL, NULL))
      g_printerr ("cannot remove %s\n", top);
  }

  return 0;
}
