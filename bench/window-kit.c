/* SPDX-License-Identifier: GPL-3.0-or-later */

#define _GNU_SOURCE
#define G_LOG_DOMAIN "Capa-Bench"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "window-kit.h"

/* ---- statistics ---- */

int
kit_compare_doubles (const void *a,
                     const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values (doubles) and returns the @p quantile (0–1). */
double
kit_percentile (GArray *values,
                double  p)
{
  if (values->len == 0)
    return 0.0;
  g_array_sort (values, (GCompareFunc) kit_compare_doubles);
  return g_array_index (values, double, MIN ((guint) (p * values->len), values->len - 1));
}

gint64
kit_thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

void
kit_rmtree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        kit_rmtree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* ---- busy stretches ---- */

/* What ran: a timer on the main thread's CPU clock signals it every
 * SAMPLE_NS of its CPU time; the handler copies the name of the source
 * being dispatched (g_main_current_source(), a thread-local read once the
 * thread has called it before) into a fixed table, which the poll function
 * turns into a summary when the stretch ends. */
#define SAMPLE_NS   500000
#define N_SAMPLES   64
#define SAMPLE_LEN  56

/* The kernel checks a CPU-time timer at the scheduler ticks that find the
 * thread running (every 4 ms at 250 Hz), so while the thread works, its
 * samples come a tick or so apart in its CPU time.  A gap of JUMP_US or
 * more of CPU time inside one stretch with no sample is the thread's clock
 * jumping: on a virtual machine whose host takes the CPU away without
 * telling the guest (no steal time in /proc/stat), the guest counts the
 * time it was not running as the running thread's CPU time, and perf
 * record has no sample of the thread inside it.  Such a gap, less a tick
 * of work it may hold, is counted apart as a jump. */
#define JUMP_US     8000
#define TICK_US     4000

static GPollFunc default_poll;
static GArray *stretches;          /* KitStretch */
static gint64 left_wall;           /* poll() returned, 0 before the first */
static gint64 left_cpu;
static gint64 total_wall;
static gint64 total_cpu;
static timer_t sampler;
static gboolean sampling;
static volatile sig_atomic_t n_samples;
static char samples[N_SAMPLES][SAMPLE_LEN];
static volatile sig_atomic_t jumped_us;   /* in the current stretch */
static volatile gint64 last_mark_us;      /* the thread's CPU time at the last sample */
static volatile gint64 widest_gap_us;     /* in the current stretch */

/* Counts a gap of CPU time with no sample that ends now, at @now_us. */
static void
mark_cpu (gint64 now_us)
{
  gint64 gap = now_us - last_mark_us;

  if (gap >= JUMP_US)
    jumped_us += gap - TICK_US;
  if (gap > widest_gap_us)
    widest_gap_us = gap;
  last_mark_us = now_us;
}

static void
on_sample_signal (int        signo,
                  siginfo_t *info,
                  void      *context)
{
  int saved_errno = errno;
  int i = n_samples;
  GSource *source;
  const char *name;

  mark_cpu (kit_thread_cpu_usec ());

  if (i < N_SAMPLES)
    {
      source = g_main_current_source ();
      name = source == NULL ? "(between dispatches: prepare, check, poll set-up)"
             : source->name != NULL ? source->name : "(a source without a name)";
      strncpy (samples[i], name, SAMPLE_LEN - 1);
      samples[i][SAMPLE_LEN - 1] = '\0';
      n_samples = i + 1;
    }
  errno = saved_errno;
}

/* "name ×count, …", most frequent first. */
static char *
summarise_samples (void)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) summary = g_string_new (NULL);
  int n = MIN (n_samples, N_SAMPLES);

  if (n == 0)
    return NULL;
  for (int i = 0; i < n; i++)
    g_hash_table_insert (counts, samples[i],
                         GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (counts,
                                                                                samples[i])) + 1));
  while (g_hash_table_size (counts) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;
      const char *best = NULL;
      int most = 0;

      g_hash_table_iter_init (&iter, counts);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (GPOINTER_TO_INT (value) > most)
          {
            most = GPOINTER_TO_INT (value);
            best = key;
          }
      g_string_append_printf (summary, "%s%s x%d", summary->len ? ", " : "", best, most);
      g_hash_table_remove (counts, best);
    }
  return g_string_free (g_steal_pointer (&summary), FALSE);
}

static void
clear_stretch (gpointer data)
{
  g_free (((KitStretch *) data)->what);
}

static gint
timed_poll (GPollFD *fds,
            guint    nfds,
            gint     timeout)
{
  gint64 enter = g_get_monotonic_time ();
  gint64 enter_cpu = kit_thread_cpu_usec ();
  gint result;

  if (left_wall != 0)
    {
      KitStretch stretch = {
        left_wall, (enter - left_wall) / 1000.0, (enter_cpu - left_cpu) / 1000.0, NULL, 0, 0,
      };

      if (sampling)
        {
          mark_cpu (enter_cpu);
          stretch.jump_ms = MIN (jumped_us, enter_cpu - left_cpu) / 1000.0;
          stretch.gap_ms = widest_gap_us / 1000.0;
        }

      total_wall += enter - left_wall;
      total_cpu += enter_cpu - left_cpu;
      if (sampling)
        stretch.what = summarise_samples ();
      g_array_append_val (stretches, stretch);
    }

  result = default_poll (fds, nfds, timeout);
  n_samples = 0;
  jumped_us = 0;
  left_wall = g_get_monotonic_time ();
  left_cpu = kit_thread_cpu_usec ();
  last_mark_us = left_cpu;
  widest_gap_us = 0;
  return result;
}

static void
start_sampler (void)
{
  struct sigaction action = { 0 };
  struct sigevent event = { 0 };
  struct itimerspec every = { { 0, SAMPLE_NS }, { 0, SAMPLE_NS } };

  g_main_current_source ();   /* its thread-local state, made outside the handler */
  action.sa_sigaction = on_sample_signal;
  action.sa_flags = SA_RESTART | SA_SIGINFO;
  sigemptyset (&action.sa_mask);
  sigaction (SIGRTMIN + 3, &action, NULL);

  event.sigev_notify = SIGEV_THREAD_ID;
  event.sigev_signo = SIGRTMIN + 3;
  event._sigev_un._tid = gettid ();  /* sigev_notify_thread_id */
  if (timer_create (CLOCK_THREAD_CPUTIME_ID, &event, &sampler) != 0 ||
      timer_settime (sampler, 0, &every, NULL) != 0)
    g_error ("Cannot sample the main thread: %s", g_strerror (errno));
  sampling = TRUE;
}

void
kit_busy_start (gboolean sample)
{
  GMainContext *context = g_main_context_default ();

  g_return_if_fail (default_poll == NULL);

  stretches = g_array_new (FALSE, FALSE, sizeof (KitStretch));
  g_array_set_clear_func (stretches, clear_stretch);
  left_wall = total_wall = total_cpu = 0;
  if (sample)
    start_sampler ();
  default_poll = g_main_context_get_poll_func (context);
  g_main_context_set_poll_func (context, timed_poll);
}

GArray *
kit_busy_take (void)
{
  GArray *taken = stretches;

  stretches = g_array_new (FALSE, FALSE, sizeof (KitStretch));
  g_array_set_clear_func (stretches, clear_stretch);
  return taken;
}

void
kit_busy_totals (gint64 *wall_usec,
                 gint64 *cpu_usec)
{
  *wall_usec = total_wall;
  *cpu_usec = total_cpu;
}

void
kit_busy_stop (void)
{
  g_return_if_fail (default_poll != NULL);

  g_main_context_set_poll_func (g_main_context_default (), default_poll);
  default_poll = NULL;
  if (sampling)
    {
      timer_delete (sampler);
      signal (SIGRTMIN + 3, SIG_IGN);
      sampling = FALSE;
    }
  g_clear_pointer (&stretches, g_array_unref);
}

/* ---- the main loop, the window ---- */

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
kit_wait_at_most (gboolean  (*done) (gpointer data),
                  gpointer    data,
                  gint64      usec)
{
  gint64 deadline = g_get_monotonic_time () + usec;
  guint wake = g_timeout_add_seconds (1, wake_cb, NULL);
  gboolean held;

  while (!(held = done (data)) && g_get_monotonic_time () <= deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return held;
}

void
kit_wait_for (gboolean  (*done) (gpointer data),
              gpointer    data,
              const char *what)
{
  if (!kit_wait_at_most (done, data, KIT_WAIT_US))
    g_error ("Gave up waiting for %s", what);
}

void
kit_settle (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
has_tether (gpointer window)
{
  return capa_window_get_tether (window) != NULL;
}

CapaApplication *
kit_application_new (void)
{
  CapaApplication *app = capa_application_new ();
  g_autoptr(GError) error = NULL;

  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  return app;
}

CapaWindow *
kit_window_new (CapaApplication *app,
                CapaSession     *session)
{
  CapaWindow *window = capa_window_new (app);

  capa_window_set_session (window, session);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), KIT_WINDOW_WIDTH, KIT_WINDOW_HEIGHT);
  gtk_window_move (GTK_WINDOW (window), 0, 0);
  gtk_widget_show (GTK_WIDGET (window));
  kit_wait_for (has_tether, window, "the window to open the camera");
  kit_settle ();
  return window;
}

typedef struct
{
  GType      type;
  GtkWidget *found;
} Find;

static void
find_cb (GtkWidget *widget,
         gpointer   data)
{
  Find *find = data;

  if (find->found != NULL)
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, find->type))
    find->found = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_cb, data);
}

GtkWidget *
kit_window_find (CapaWindow *window,
                 GType       type)
{
  Find find = { type, NULL };

  find_cb (GTK_WIDGET (window), &find);
  if (find.found == NULL)
    g_error ("The window has no %s", g_type_name (type));
  return find.found;
}

CapaImageView *
kit_window_view (CapaWindow *window)
{
  return CAPA_IMAGE_VIEW (kit_window_find (window, CAPA_TYPE_IMAGE_VIEW));
}

CapaFilmStrip *
kit_window_strip (CapaWindow *window)
{
  return CAPA_FILM_STRIP (kit_window_find (window, CAPA_TYPE_FILM_STRIP));
}

typedef struct
{
  GtkAdjustment *adjustment;
  guint          frames;
  gboolean       done;
} Scroll;

/* One page towards the oldest end a frame. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  Scroll *scroll = data;
  double value = gtk_adjustment_get_value (scroll->adjustment);

  if (value <= gtk_adjustment_get_lower (scroll->adjustment))
    {
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  scroll->frames++;
  gtk_adjustment_set_value (scroll->adjustment,
                            value - gtk_adjustment_get_page_size (scroll->adjustment));
  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_done (gpointer data)
{
  return ((Scroll *) data)->done;
}

guint
kit_scroll_strip (CapaFilmStrip *strip)
{
  GtkWidget *scrolled = gtk_bin_get_child (GTK_BIN (strip));
  Scroll scroll = { 0 };

  scroll.adjustment = gtk_scrollable_get_hadjustment (
    GTK_SCROLLABLE (gtk_bin_get_child (GTK_BIN (scrolled))));
  gtk_widget_add_tick_callback (GTK_WIDGET (strip), scroll_tick_cb, &scroll, NULL);
  kit_wait_for (scroll_done, &scroll, "the strip to scroll end to end");
  return scroll.frames;
}

/* ---- a session of many images ---- */

char *
kit_make_session_folder (const char *top,
                         guint       n_images)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1200, 800);
  g_autofree char *folder = g_build_filename (top, "session", NULL);
  g_autofree char *source = g_build_filename (top, "source.jpg", NULL);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  /* Something like a photograph's gradients. */
  for (int y = 0; y < 800; y++)
    for (int x = 0; x < 1200; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = (guint8) (x * 255 / 1200);
        p[1] = (guint8) (y * 255 / 800);
        p[2] = (guint8) ((x + y) % 256);
      }

  if (!gdk_pixbuf_save (pixbuf, source, "jpeg", &error, "quality", "90", NULL))
    g_error ("%s", error->message);
  if (g_mkdir (folder, 0755) != 0)
    g_error ("cannot make %s", folder);

  for (guint i = 0; i < n_images; i++)
    {
      g_autofree char *name = g_strdup_printf ("IMG_%05u.jpg", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (link (source, path) != 0)
        g_error ("cannot link %s", path);
    }

  return g_steal_pointer (&folder);
}

typedef struct
{
  CapaThumbnailer *thumbnailer;
  char           **files;
  guint            n_files;
  int              next;        /* atomic */
} Premake;

static gpointer
premake_thread (gpointer data)
{
  Premake *premake = data;
  int i;

  while ((i = g_atomic_int_add (&premake->next, 1)) < (int) premake->n_files)
    {
      g_autoptr(GdkPixbuf) thumbnail = NULL;
      g_autoptr(GError) error = NULL;

      thumbnail = capa_thumbnailer_load (premake->thumbnailer, premake->files[i],
                                         CAPA_THUMBNAIL_SIZE_NORMAL, NULL, &error);
      if (thumbnail == NULL)
        g_error ("%s", error->message);
    }

  return NULL;
}

/* The thumbnails in the shared cache, made by a thumbnailer of their own
 * that keeps nothing in memory. */
int
kit_premake_main (int   argc,
                  char *argv[])
{
  g_autofree char *cache = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(CapaThumbnailer) thumbnailer = NULL;
  g_autofree GThread **threads = NULL;
  guint n_threads = g_get_num_processors ();
  Premake premake = { 0 };
  const char *name;

  if (argc != 3 || !g_str_equal (argv[1], "--premake"))
    return -1;

  cache = g_build_filename (argv[2], "cache", NULL);
  folder = g_build_filename (argv[2], "session", NULL);
  files = g_ptr_array_new_with_free_func (g_free);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  dir = g_dir_open (folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (files, g_build_filename (folder, name, NULL));

  thumbnailer = capa_thumbnailer_new (0);
  premake.thumbnailer = thumbnailer;
  premake.files = (char **) files->pdata;
  premake.n_files = files->len;
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("premake", premake_thread, &premake);
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);

  return 0;
}

void
kit_premake_thumbnails (const char *argv0,
                        const char *top)
{
  const char *child[] = { argv0, "--premake", top, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("making the thumbnails failed: %s", error->message);
}
