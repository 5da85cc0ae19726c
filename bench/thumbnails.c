/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Images per second of CapaThumbnailer making 256-pixel thumbnails of
 * 24-megapixel JPEGs on all cores (decoding, scaling, writing the PNG to
 * the freedesktop cache), beside the floor: bare libjpeg-turbo decoding
 * the same files at 1/8 scale on all cores, in the same run.
 *
 * One 6000×4000 JPEG (quality 90) is made at run time and hard-linked
 * under CAPA_BENCH_THUMBNAILS distinct names (default 1000). */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <jpeglib.h>
#include <glib/gstdio.h>

#include <capa.h>

#include "window-kit.h"

#define WIDTH   6000
#define HEIGHT  4000

typedef struct
{
  char  **files;
  guint   n_files;
  int     next;       /* atomic */
} FloorJob;

static void
decode_eighth (const char *filename)
{
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autofree char *contents = NULL;
  g_autofree guint8 *row = NULL;
  gsize length = 0;

  if (!g_file_get_contents (filename, &contents, &length, NULL))
    g_error ("cannot read %s", filename);

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_decompress (&cinfo);
  jpeg_mem_src (&cinfo, (const unsigned char *) contents, length);
  jpeg_read_header (&cinfo, TRUE);
  cinfo.scale_num = 1;
  cinfo.scale_denom = 8;
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress (&cinfo);
  row = g_malloc ((gsize) cinfo.output_width * cinfo.output_components);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW rows[1] = { row };

      jpeg_read_scanlines (&cinfo, rows, 1);
    }
  jpeg_finish_decompress (&cinfo);
  jpeg_destroy_decompress (&cinfo);
}

static gpointer
floor_thread (gpointer data)
{
  FloorJob *job = data;
  int i;

  while ((i = g_atomic_int_add (&job->next, 1)) < (int) job->n_files)
    decode_eighth (job->files[i]);

  return NULL;
}

static double
run_floor (char  **files,
           guint   n_files,
           guint   n_threads)
{
  FloorJob job = { files, n_files, 0 };
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n_threads; i++)
    threads[i] = g_thread_new ("floor", floor_thread, &job);
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);

  return (g_get_monotonic_time () - start) / 1e6;
}

typedef struct
{
  guint n_pending;
  guint n_failed;
} Progress;

static void
on_thumbnail_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Progress *progress = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = capa_thumbnailer_load_finish (CAPA_THUMBNAILER (object), result, &error);
  if (pixbuf == NULL)
    {
      g_printerr ("thumbnail failed: %s\n", error->message);
      progress->n_failed++;
    }
  else
    g_assert (MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)) <= 256);

  progress->n_pending--;
}

static double
run_thumbnailer (CapaThumbnailer  *thumbnailer,
                 char            **files,
                 guint             n_files)
{
  Progress progress = { n_files, 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n_files; i++)
    capa_thumbnailer_load_async (thumbnailer, files[i], CAPA_THUMBNAIL_SIZE_LARGE,
                                 G_PRIORITY_DEFAULT, NULL, on_thumbnail_cb, &progress);
  while (progress.n_pending > 0)
    g_main_context_iteration (NULL, TRUE);

  if (progress.n_failed > 0)
    g_error ("%u thumbnails failed", progress.n_failed);

  return (g_get_monotonic_time () - start) / 1e6;
}

static void
write_source (const char *path)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, WIDTH, HEIGHT);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 state = 12345;

  /* Smooth gradients with fine grain, so the JPEG has the weight of a
   * photograph (several megabytes at quality 90). */
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * 3;
        int grain;

        state = state * 1664525u + 1013904223u;
        grain = (int) (state >> 28) - 8;
        p[0] = CLAMP ((x * 255) / WIDTH + grain, 0, 255);
        p[1] = CLAMP ((y * 255) / HEIGHT + grain, 0, 255);
        p[2] = CLAMP (((x + y) * 255) / (WIDTH + HEIGHT) + grain, 0, 255);
      }

  gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  const char *count_env = g_getenv ("CAPA_BENCH_THUMBNAILS");
  guint n_files = count_env ? (guint) g_ascii_strtoull (count_env, NULL, 10) : 1000;
  guint n_threads = g_get_num_processors ();
  g_autofree char *dir = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  double floor_s, capa_s, cached_s;
  GStatBuf buf;

  n_files = MAX (n_files, 1);
  dir = g_dir_make_tmp ("capa-bench-thumbnails-XXXXXX", &error);
  g_assert_no_error (error);
  cache = g_build_filename (dir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  source = g_build_filename (dir, "source.jpg", NULL);
  write_source (source);
  g_assert (g_stat (source, &buf) == 0);

  for (guint i = 0; i < n_files; i++)
    {
      char *name = g_strdup_printf ("%s/IMG_%05u.jpg", dir, i);

      if (link (source, name) != 0)
        g_error ("cannot link %s: %s", name, g_strerror (errno));
      g_ptr_array_add (files, name);
    }

  /* Warm the page cache so that both read the file from memory. */
  decode_eighth (source);

  g_print ("Thumbnails of %u x %dx%d JPEGs (q90, %.1f MB), 256 px, %u cores\n\n",
           n_files, WIDTH, HEIGHT, buf.st_size / 1e6, n_threads);
  g_print ("%-50s  %9s  %9s  %8s\n", "method", "seconds", "images/s", "x floor");

  /* The machine is shared: measure both in alternating batches so that
   * any outside load weighs on each alike. */
  floor_s = capa_s = 0;
  {
    g_autoptr(CapaThumbnailer) thumbnailer = capa_thumbnailer_new (64 * 1024 * 1024);
    guint batch = MAX (n_files / 20, 1);

    for (guint first = 0, round = 0; first < n_files; first += batch, round++)
      {
        char **slice = (char **) files->pdata + first;
        guint n = MIN (batch, n_files - first);

        if (round % 2 == 0)
          {
            floor_s += run_floor (slice, n, n_threads);
            capa_s += run_thumbnailer (thumbnailer, slice, n);
          }
        else
          {
            capa_s += run_thumbnailer (thumbnailer, slice, n);
            floor_s += run_floor (slice, n, n_threads);
          }
      }
  }
  g_print ("%-50s  %9.2f  %9.1f  %8s\n", "libjpeg-turbo 1/8-scale decode alone (floor)",
           floor_s, n_files / floor_s, "1.00");
  g_print ("%-50s  %9.2f  %9.1f  %8.2f\n", "CapaThumbnailer: decode, scale, write PNG",
           capa_s, n_files / capa_s, floor_s / capa_s);

  {
    g_autoptr(CapaThumbnailer) next_run = capa_thumbnailer_new (64 * 1024 * 1024);

    cached_s = run_thumbnailer (next_run, (char **) files->pdata, n_files);
  }
  g_print ("%-50s  %9.2f  %9.1f  %8.2f\n", "CapaThumbnailer, next run: read back from cache",
           cached_s, n_files / cached_s, floor_s / cached_s);

  for (guint i = 0; i < n_files; i++)
    g_unlink (files->pdata[i]);
  g_unlink (source);
  kit_rmtree (cache);
  g_rmdir (dir);

  return 0;
}
