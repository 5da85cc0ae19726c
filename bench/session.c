/* SPDX-License-Identifier: GPL-3.0-or-later */

/* How long listing a large session takes, and how much memory it needs,
 * against the floor of a bare enumeration of the same folder, and of that
 * enumeration plus a read of the head of every file.  The folder is made
 * once: small real JPEGs with EXIF capture times.
 *
 *   bench-session [N_FILES]     (default 10000)
 */

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include <capa.h>

#include "window-kit.h"

#define ROUNDS 3
#define ATTRIBUTES "standard::name,standard::type,time::modified,time::modified-usec"

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* A little-endian TIFF structure as cameras write in EXIF: IFD0 with an
 * ExifIFD pointer, the ExifIFD with DateTimeOriginal @date, and @padding
 * bytes standing in for the maker note and thumbnail that follow. */
static GByteArray *
make_exif (const char *date,
           gsize       padding)
{
  static const guint8 head[] = {
    'I', 'I', 42, 0, 8, 0, 0, 0,
    /* IFD0 at 8: one entry, ExifIFD (0x8769) LONG 1 → 26 */
    1, 0, 0x69, 0x87, 4, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0,
    /* ExifIFD at 26: DateTimeOriginal (0x9003) ASCII 20 → 44 */
    1, 0, 0x03, 0x90, 2, 0, 20, 0, 0, 0, 44, 0, 0, 0, 0, 0, 0, 0,
  };
  GByteArray *tiff = g_byte_array_new ();

  g_assert (strlen (date) == 19);
  g_byte_array_append (tiff, head, sizeof head);
  g_byte_array_append (tiff, (const guint8 *) date, 20);
  g_byte_array_set_size (tiff, tiff->len + padding);
  memset (tiff->data + tiff->len - padding, 0, padding);

  return tiff;
}

/* Fills @folder with @n_files small real JPEGs (16×16, about 4 KiB) whose
 * EXIF capture times are in an order of their own, neither their names'
 * nor their modification times'; one in ten has no EXIF. */
static void
make_folder (const char *folder,
             guint       n_files)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 16, 16);
  g_autoptr(GDateTime) base = g_date_time_new_local (2026, 11, 22, 9, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *jpeg = NULL;
  gsize jpeg_size = 0;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_size, "jpeg", &error, NULL))
    g_error ("Cannot make a JPEG: %s", error->message);

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("capa-20261122-%05u.jpg", i + 1);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GByteArray) out = g_byte_array_new ();

      g_byte_array_append (out, (const guint8 *) jpeg, 2);   /* SOI */
      if (i % 10 != 9)
        {
          g_autoptr(GDateTime) time = g_date_time_add_seconds (base, (i * 7919) % n_files);
          g_autofree char *date = g_date_time_format (time, "%Y:%m:%d %H:%M:%S");
          g_autoptr(GByteArray) tiff = make_exif (date, 3000);
          guint8 marker[4] = { 0xFF, 0xE1, (tiff->len + 8) >> 8, (tiff->len + 8) & 0xff };

          g_byte_array_append (out, marker, 4);
          g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
          g_byte_array_append (out, tiff->data, tiff->len);
        }
      g_byte_array_append (out, (const guint8 *) jpeg + 2, jpeg_size - 2);

      if (!g_file_set_contents (path, (const char *) out->data, out->len, &error))
        g_error ("Cannot create %s: %s", path, error->message);
    }

  /* A few files a session ignores. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("notes-%u.txt", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_file_set_contents (path, "", 0, NULL);
    }
}

/* The floor: a bare synchronous g_file_enumerate_children(). */
static guint
enumerate_sync (GFile *folder)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  GFileInfo *info;
  guint n = 0;

  enumerator = g_file_enumerate_children (folder, ATTRIBUTES, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while ((info = g_file_enumerator_next_file (enumerator, NULL, NULL)) != NULL)
    {
      n++;
      g_object_unref (info);
    }

  return n;
}

/* The floor of reading capture times: the same enumeration, plus opening
 * each file and reading its first 8 KiB (what the session reads of a
 * camera file whose EXIF comes first). */
static guint
enumerate_and_read (GFile      *folder,
                    const char *path)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  GFileInfo *info;
  guint n = 0;
  guint8 buffer[8192];

  enumerator = g_file_enumerate_children (folder, ATTRIBUTES, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while ((info = g_file_enumerator_next_file (enumerator, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
      int fd = open (child, O_RDONLY | O_CLOEXEC);

      if (fd >= 0)
        {
          if (read (fd, buffer, sizeof buffer) < 0)
            g_error ("Cannot read %s", child);
          close (fd);
        }
      n++;
      g_object_unref (info);
    }

  return n;
}

typedef struct
{
  GMainLoop *loop;
  guint      n;
} Enumeration;

static void
on_next_files_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Enumeration *e = user_data;
  GList *infos = g_file_enumerator_next_files_finish (G_FILE_ENUMERATOR (object), result, NULL);

  if (infos == NULL)
    {
      g_main_loop_quit (e->loop);
      return;
    }

  e->n += g_list_length (infos);
  g_list_free_full (infos, g_object_unref);
  g_file_enumerator_next_files_async (G_FILE_ENUMERATOR (object), 500, G_PRIORITY_LOW, NULL,
                                      on_next_files_cb, e);
}

static void
on_enumerate_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Enumeration *e = user_data;
  g_autoptr(GFileEnumerator) enumerator = g_file_enumerate_children_finish (G_FILE (object),
                                                                            result, NULL);

  g_file_enumerator_next_files_async (enumerator, 500, G_PRIORITY_LOW, NULL,
                                      on_next_files_cb, e);
}

/* The same floor, the way the session reads: asynchronous batches of 500. */
static guint
enumerate_async (GFile *folder)
{
  Enumeration e = { g_main_loop_new (NULL, FALSE), 0 };

  g_file_enumerate_children_async (folder, ATTRIBUTES, G_FILE_QUERY_INFO_NONE, G_PRIORITY_LOW,
                                   NULL, on_enumerate_cb, &e);
  g_main_loop_run (e.loop);
  g_main_loop_unref (e.loop);

  return e.n;
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!capa_session_load_finish (CAPA_SESSION (object), result, &error))
    g_error ("Loading failed: %s", error->message);
  g_main_loop_quit (user_data);
}

typedef struct
{
  gint64 longest_gap;  /* the longest the main loop was held, µs */
  gint64 last;
} Ticks;

static gboolean
on_tick_cb (gpointer user_data)
{
  Ticks *ticks = user_data;
  gint64 now = g_get_monotonic_time ();

  if (ticks->last > 0)
    ticks->longest_gap = MAX (ticks->longest_gap, now - ticks->last);
  ticks->last = now;

  return G_SOURCE_CONTINUE;
}

static guint
load_session_async (const char *folder,
                    gint64     *longest_gap)
{
  g_autoptr(CapaSession) session = capa_session_new (folder);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Ticks ticks = { 0, 0 };
  guint tick_id;

  /* A 1 ms tick measures how long the main loop is held at most. */
  tick_id = g_timeout_add (1, on_tick_cb, &ticks);
  capa_session_load_async (session, NULL, on_loaded_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (tick_id);

  *longest_gap = ticks.longest_gap;
  return g_list_model_get_n_items (G_LIST_MODEL (session));
}

/* The first screen of a film strip: this many thumbnails, read from the
 * shared thumbnail cache (written by an earlier run). */
#define FIRST_SCREEN 40

typedef struct
{
  GMainLoop *loop;
  guint      pending;
} Screen;

static void
on_thumbnail_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Screen *screen = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = capa_thumbnailer_load_finish (CAPA_THUMBNAILER (object),
                                                              result, &error);

  if (pixbuf == NULL)
    g_error ("Thumbnail failed: %s", error->message);
  if (--screen->pending == 0)
    g_main_loop_quit (screen->loop);
}

/* Lists the session, then shows its first screen of cached thumbnails, as
 * the film strip does when a session is opened; a new thumbnailer each time,
 * so that nothing comes from its memory cache. */
static guint
load_session_and_first_screen (const char *folder,
                               gint64     *longest_gap)
{
  g_autoptr(CapaSession) session = capa_session_new (folder);
  g_autoptr(CapaThumbnailer) thumbnailer = capa_thumbnailer_new (64 * 1024 * 1024);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Screen screen = { loop, 0 };
  Ticks ticks = { 0, 0 };
  guint tick_id, n;

  tick_id = g_timeout_add (1, on_tick_cb, &ticks);
  capa_session_load_async (session, NULL, on_loaded_cb, loop);
  g_main_loop_run (loop);

  n = g_list_model_get_n_items (G_LIST_MODEL (session));
  for (guint i = 0; i < MIN (n, FIRST_SCREEN); i++)
    {
      g_autoptr(CapaImage) image = g_list_model_get_item (G_LIST_MODEL (session), i);

      screen.pending++;
      capa_thumbnailer_load_async (thumbnailer, capa_image_get_filename (image),
                                   CAPA_THUMBNAIL_SIZE_LARGE, G_PRIORITY_DEFAULT - (int) i,
                                   NULL, on_thumbnail_cb, &screen);
    }
  if (screen.pending > 0)
    g_main_loop_run (loop);
  g_source_remove (tick_id);

  *longest_gap = ticks.longest_gap;
  return n;
}

static guint
load_session_blocking (const char *folder)
{
  g_autoptr(CapaSession) session = capa_session_new (folder);
  g_autoptr(GError) error = NULL;

  if (!capa_session_load (session, NULL, &error))
    g_error ("Loading failed: %s", error->message);

  return g_list_model_get_n_items (G_LIST_MODEL (session));
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values)
{
  qsort (values, ROUNDS, sizeof (double), compare_doubles);
  return values[ROUNDS / 2];
}

int
main (int   argc,
      char *argv[])
{
  guint n_files = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("capa-bench-session-XXXXXX", &error);
  g_autoptr(GFile) file = NULL;
  double sync_ms[ROUNDS], async_ms[ROUNDS], read_ms[ROUNDS], load_ms[ROUNDS], blocking_ms[ROUNDS];
  double screen_ms[ROUNDS];
  double rss_floor, rss_load, rss_blocking, rss_screen;
  g_autofree char *cache = g_dir_make_tmp ("capa-bench-cache-XXXXXX", NULL);
  gint64 gap = 0, longest_gap = 0;
  guint n = 0;

  if (folder == NULL)
    g_error ("%s", error->message);
  /* The thumbnails of this run go to a cache of its own. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  file = g_file_new_for_path (folder);

  make_folder (folder, n_files);

  /* Warm the cache of the folder once. */
  enumerate_sync (file);

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      n = enumerate_sync (file);
      sync_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert (n == n_files + 10);

      start = g_get_monotonic_time ();
      n = enumerate_async (file);
      async_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert (n == n_files + 10);

      start = g_get_monotonic_time ();
      n = enumerate_and_read (file, folder);
      read_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert (n == n_files + 10);
    }
  rss_floor = peak_rss_mb ();

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      n = load_session_async (folder, &gap);
      load_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      longest_gap = MAX (longest_gap, gap);
      g_assert (n == n_files);
    }
  rss_load = peak_rss_mb ();

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      n = load_session_blocking (folder);
      blocking_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert (n == n_files);
    }
  rss_blocking = peak_rss_mb ();

  /* One untimed run writes the first screen's thumbnails to the cache. */
  load_session_and_first_screen (folder, &gap);
  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      n = load_session_and_first_screen (folder, &gap);
      screen_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      longest_gap = MAX (longest_gap, gap);
      g_assert (n == n_files);
    }
  rss_screen = peak_rss_mb ();

  printf ("Listing a session of %u small JPEGs with EXIF (+10 other files), "
          "sorted by capture time, median of %d rounds\n\n",
          n_files, ROUNDS);
  printf ("| %-44s | %9s | %14s |\n", "what", "time (ms)", "peak RSS (MB)");
  printf ("|%s|%s|%s|\n", "----------------------------------------------",
          "-----------", "----------------");
  printf ("| %-44s | %9.1f | %14.1f |\n", "floor: g_file_enumerate_children, sync",
          median (sync_ms), rss_floor);
  printf ("| %-44s | %9.1f | %14.1f |\n", "floor: same, async batches of 500",
          median (async_ms), rss_floor);
  printf ("| %-44s | %9.1f | %14.1f |\n", "floor: sync, + open/read 8 KiB/close each",
          median (read_ms), rss_floor);
  printf ("| %-44s | %9.1f | %14.1f |\n", "capa_session_load_async", median (load_ms), rss_load);
  printf ("| %-44s | %9.1f | %14.1f |\n", "capa_session_load (blocking)",
          median (blocking_ms), rss_blocking);
  printf ("| %-44s | %9.1f | %14.1f |\n", "load_async + first screen (40 cached thumbs)",
          median (screen_ms), rss_screen);
  printf ("\nLongest the main loop was held during the asynchronous loads: %.1f ms\n",
          longest_gap / 1000.0);
  printf ("Target: under 500 ms and under 200 MB peak.\n");

  kit_rmtree (folder);
  kit_rmtree (cache);

  return median (screen_ms) < 500 && rss_screen < 200 ? EXIT_SUCCESS : EXIT_FAILURE;
}
