/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What the main-loop benchmarks share (bench-capture, bench-film-strip,
 * bench-shutter, bench-mainloop):
 *
 * - the main loop's busy stretches: a poll function that times, from one
 *   poll() returning to the next poll() call, the wall time and the main
 *   thread's CPU time, and samples which source was being dispatched;
 * - the real window: a CapaWindow of 1920×1080 under Xvfb, its parts;
 * - a session of N images with their thumbnails in the shared cache. */

#pragma once

#include <capa.h>

#define KIT_WINDOW_WIDTH  1920
#define KIT_WINDOW_HEIGHT 1080

/* A guard against hangs only. */
#define KIT_WAIT_US       (300 * G_USEC_PER_SEC)

/* ---- statistics ---- */

int     kit_compare_doubles (const void *a,
                             const void *b);
double  kit_percentile      (GArray     *values,
                             double      p);
gint64  kit_thread_cpu_usec (void);
void    kit_rmtree          (const char *path);

/* ---- busy stretches of the main loop ---- */

typedef struct
{
  gint64 start_us;    /* when poll() returned, g_get_monotonic_time() */
  double wall_ms;     /* from poll() returning to the next poll() */
  double cpu_ms;      /* the main thread's CPU time in that stretch */
  char  *what;        /* the sources being dispatched, sampled every 0.5 ms of CPU */
  double jump_ms;     /* of cpu_ms, what the thread's clock jumped at once (a virtual
                       * machine's host away; see window-kit.c), with sampling on */
  double gap_ms;      /* the most CPU time between two samples (a tick, 4 ms, while
                       * working; more is the clock jumping), with sampling on */
} KitStretch;

/* Starts timing the default main context's stretches; with @sample, names
 * what ran in each stretch (a CPU-time timer signals the main thread). */
void    kit_busy_start   (gboolean    sample);
/* Stops, and returns the stretches since kit_busy_start() or the last
 * kit_busy_take(): (element-type KitStretch), freeing their names. */
GArray *kit_busy_take    (void);
void    kit_busy_stop    (void);
/* Wall and CPU µs of every stretch since kit_busy_start(). */
void    kit_busy_totals  (gint64     *wall_usec,
                          gint64     *cpu_usec);

/* ---- the main loop, the window ---- */

/* Iterates the main context (blocking, so that waiting is not counted as
 * busy) until @done (@data) holds; aborts after KIT_WAIT_US. */
void           kit_wait_for       (gboolean  (*done) (gpointer data),
                                   gpointer    data,
                                   const char *what);
/* The same for at most @usec; returns whether @done held. */
gboolean       kit_wait_at_most   (gboolean  (*done) (gpointer data),
                                   gpointer    data,
                                   gint64      usec);
/* Iterates until nothing is pending. */
void           kit_settle         (void);
/* A registered CapaApplication for the window. */
CapaApplication *kit_application_new (void);
/* A CapaWindow of KIT_WINDOW_WIDTH×KIT_WINDOW_HEIGHT at 0,0, undecorated,
 * shown, on @session; then waits until it has opened the camera. */
CapaWindow    *kit_window_new     (CapaApplication *app,
                                   CapaSession     *session);
/* The first widget of @type in @window; aborts when there is none. */
GtkWidget     *kit_window_find    (CapaWindow      *window,
                                   GType            type);
CapaImageView *kit_window_view    (CapaWindow      *window);
CapaFilmStrip *kit_window_strip   (CapaWindow      *window);

/* Scrolls @strip from its newest end to the oldest, a page a frame,
 * driven by the frame clock; returns the number of frames. */
guint          kit_scroll_strip   (CapaFilmStrip   *strip);

/* ---- a session of many images, thumbnails cached ---- */

/* When argv is "PROGRAM --premake TOP" (the child kit_make_session runs),
 * makes the thumbnails and returns 0; otherwise -1. */
int            kit_premake_main   (int              argc,
                                   char            *argv[]);
/* TOP/session with @n_images names of one 1200×800 JPEG (hard links);
 * returns the folder. */
char          *kit_make_session_folder (const char *top,
                                        guint       n_images);
/* The thumbnails of TOP/session in TOP/cache, made by a child process
 * (@argv0 --premake TOP) so that none of them is in this one's memory.
 * Set XDG_CACHE_HOME to TOP/cache before GLib first reads it. */
void           kit_premake_thumbnails  (const char *argv0,
                                        const char *top);
