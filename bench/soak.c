/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Soak: many captures through CapaTether against the test camera driver
 * (tests/camlib), with monitoring and live view running all along, into a
 * fresh session folder.
 *
 * Live view streams frames the whole time (the tether asks for the next
 * frame as soon as one arrives, so frames and captures alternate on the
 * camera's worker); between two captures at least FRAMES_BETWEEN frames
 * must arrive.  Every BODY_EVERY-th capture, a shot is also taken "on the
 * camera body" (the driver's `/main/actions/simulate` = `shot`), which
 * monitoring must find and download.  Every SAMPLE_EVERY captures the
 * process's memory and open file descriptors are sampled.
 *
 * At the end it checks, and prints a verdict for each:
 *
 * - memory flat: over the samples from the middle of the run (the warm-up
 *   before it) to the end, the heap in use (mallinfo2) grows per
 *   picture saved (the least-squares slope) by at most the session's own
 *   record of a picture (which it keeps by design), this program's own
 *   record of the names it checks, and HEAP_NOISE bytes, and the resident
 *   size by at most RSS_GROWTH_MAX_KIB in all;
 * - descriptors flat: every sample from the middle on holds at most
 *   FD_NOISE more descriptors than the sample at the middle (and at most
 *   THREAD_NOISE more threads), and, once the camera is closed and the
 *   tether, camera and session dropped, the process holds no more
 *   descriptors than before and those objects are finalized;
 * - no shot missing: every capture and every body shot is a whole JPEG in
 *   the folder, the camera's card is empty (each was deleted once saved),
 *   no temporary file is left, no error was reported;
 * - no name reused: every saved name is distinct and is the pattern's
 *   next sequence number, with no "-N" collision suffix; no two files hold
 *   the same picture.
 *
 * Exits 1 when a check fails.  A run of fewer than MIN_JUDGED_SHOTS shows
 * the flatness verdicts without judging them: its warm-up is too short.
 *
 * Usage: bench-soak [SHOTS [PARENT-FOLDER]]   (SHOTS defaults to 2000; the
 * session folder is made in PARENT-FOLDER, by default the temporary folder,
 * and removed at the end when every check passed.)
 * Needs CAPA_TEST_VUSB_DIR and CAPA_TEST_CAMLIB_DIR (set by
 * `meson test -C build --benchmark soak`). */

#define G_LOG_DOMAIN "Capa-Bench-Soak"

#include "config.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <capa.h>

#define DEFAULT_SHOTS 2000
#define SAMPLE_EVERY 100
#define FRAMES_BETWEEN 2
#define BODY_EVERY 10
/* Bounded waits, only a guard against a hang: never a timing check. */
#define WAIT_SECONDS 120
/* Flatness, from the middle sample to the last one.  The session keeps a
 * record of each image it holds (a CapaImage, its name): that is growth by
 * design, a few hundred bytes per picture, measured at the end by dropping
 * the session; so is this program's list of the names it saw, measured by
 * freeing it.  Beyond them, the heap may grow by HEAP_NOISE bytes per
 * picture (hash tables and arrays growing by doubling, malloc's
 * bookkeeping); a leaked download (~30 KiB from this camera), live-view
 * frame (~20 KiB), or job, task and file object (a few hundred bytes,
 * several per shot) is above that. */
#define HEAP_NOISE 128.0
#define HEAP_READINGS 3
/* The warm-up (threads started, caches filled) is the first half of the
 * run; flatness is judged over the second half, of at least 500 shots. */
#define MIN_JUDGED_SHOTS 1000
/* The resident size moves in steps (glibc grows an arena, or raises its
 * mmap threshold and keeps a freed buffer's pages), so it is judged by its
 * growth over the second half: a leaked download or live-view frame per
 * shot would be tens of MiB. */
#define RSS_GROWTH_MAX_KIB 4096
#define THREAD_NOISE 2
#define FD_NOISE 2

typedef struct
{
  guint  shots;
  double seconds;
  guint  saved;
  guint  frames;
  gsize  heap;        /* bytes in use, mallinfo2 */
  gsize  rss_kib;
  gsize  data_kib;
  guint  fds;
  guint  threads;
} Sample;

typedef struct
{
  CapaCamera   *camera;
  CapaTether   *tether;
  CapaSession  *session;
  char         *folder;

  GHashTable   *saved;          /* basename -> times image-saved gave it */
  GPtrArray    *captured;       /* basenames capture_finish returned */
  GPtrArray    *errors;         /* messages */
  guint         duplicates;
  guint         frames;
  guint         body_shots;     /* asked for */

  GAsyncResult *result;         /* of the async call being waited for */
  GArray       *capture_ms;     /* each capture, asked for to saved */
  GArray       *samples;
} Soak;

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until @done says so, or WAIT_SECONDS pass. */
static gboolean
wait_until (Soak      *soak,
            gboolean (*done) (Soak *soak, gpointer data),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake = g_timeout_add (100, wake_cb, NULL);

  while (!done (soak, data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);

  return done (soak, data);
}

static gboolean
have_result (Soak     *soak,
             gpointer  data)
{
  return soak->result != NULL;
}

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Soak *soak = user_data;

  /* A call that came back after its wait gave up is dropped. */
  g_clear_object (&soak->result);
  soak->result = g_object_ref (result);
}

/* Waits for the async call just started with on_done_cb and @soak; returns
 * its result, or %NULL if it did not return in time. */
static GAsyncResult *
wait_result (Soak *soak)
{
  if (!wait_until (soak, have_result, NULL))
    return NULL;
  return g_steal_pointer (&soak->result);
}

static gboolean
frames_reached (Soak     *soak,
                gpointer  data)
{
  return soak->frames >= GPOINTER_TO_UINT (data);
}

static gboolean
saved_reached (Soak     *soak,
               gpointer  data)
{
  return g_hash_table_size (soak->saved) + soak->duplicates >= GPOINTER_TO_UINT (data);
}

static void
add_error (Soak       *soak,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
add_error (Soak       *soak,
           const char *format,
           ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("soak: %s\n", message);
  g_ptr_array_add (soak->errors, message);
}

/* ------------------------------------------------------------------ */
/* Measuring the process                                                */
/* ------------------------------------------------------------------ */

static gsize
status_kib (const char *contents,
            const char *field)
{
  const char *line = strstr (contents, field);

  if (line == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + strlen (field), NULL, 10);
}

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    count++;

  /* Not the one reading the folder. */
  return count > 0 ? count - 1 : 0;
}

/* fd → what it is, for the descriptors a run leaves open. */
static GHashTable *
list_fds (void)
{
  GHashTable *fds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      char *target = g_file_read_link (path, NULL);

      g_hash_table_insert (fds, g_strdup (name), target != NULL ? target : g_strdup ("?"));
    }
  return fds;
}

static void
print_new_fds (GHashTable *before,
               GHashTable *after)
{
  GHashTableIter iter;
  gpointer fd;
  gpointer target;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &fd, &target))
    if (g_strcmp0 (g_hash_table_lookup (before, fd), target) != 0 &&
        !g_str_has_prefix (target, "/proc/"))
      g_print ("  descriptor %s: %s\n", (const char *) fd, (const char *) target);
}

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

static Sample
take_sample (Soak   *soak,
             guint   shots,
             gint64  start)
{
  g_autofree char *status = NULL;
  Sample sample = { 0 };

  g_file_get_contents ("/proc/self/status", &status, NULL, NULL);
  sample.shots = shots;
  sample.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  sample.saved = g_hash_table_size (soak->saved);
  sample.frames = soak->frames;
  sample.heap = heap_in_use ();
  sample.rss_kib = status != NULL ? status_kib (status, "VmRSS:") : 0;
  sample.data_kib = status != NULL ? status_kib (status, "VmData:") : 0;
  sample.fds = count_fds ();
  sample.threads = status != NULL ? (guint) status_kib (status, "Threads:") : 0;

  return sample;
}

static void
print_sample_header (void)
{
  g_print ("| %6s | %8s | %6s | %7s | %10s | %9s | %9s | %4s | %7s |\n",
           "shots", "time (s)", "saved", "frames", "heap (KiB)", "RSS (KiB)", "VmData", "fds",
           "threads");
  g_print ("|-------:|---------:|-------:|--------:|-----------:|----------:|----------:|-----:"
           "|--------:|\n");
}

static void
print_sample (const Sample *sample)
{
  g_print ("| %6u | %8.1f | %6u | %7u | %10zu | %9zu | %9zu | %4u | %7u |\n",
           sample->shots, sample->seconds, sample->saved, sample->frames,
           sample->heap / 1024, sample->rss_kib, sample->data_kib, sample->fds,
           sample->threads);
}

/* ------------------------------------------------------------------ */
/* Driving the tether                                                   */
/* ------------------------------------------------------------------ */

static void
on_image_saved_cb (CapaTether *tether,
                   CapaImage  *image,
                   Soak       *soak)
{
  g_autofree char *name = g_path_get_basename (capa_image_get_filename (image));
  guint times = GPOINTER_TO_UINT (g_hash_table_lookup (soak->saved, name));

  if (times > 0)
    {
      soak->duplicates++;
      add_error (soak, "image-saved gave the name %s again", name);
    }
  g_hash_table_insert (soak->saved, g_steal_pointer (&name), GUINT_TO_POINTER (times + 1));
}

static void
on_preview_frame_cb (CapaTether     *tether,
                     CapaCameraFile *frame,
                     Soak           *soak)
{
  soak->frames++;
}

static void
on_error_cb (CapaTether   *tether,
             const GError *error,
             Soak         *soak)
{
  add_error (soak, "tether error: %s", error->message);
}

/* Presses the camera's own shutter button, as the photographer would. */
static gboolean
take_body_shot (Soak *soak)
{
  CapaControlGroup *controls = capa_camera_get_controls (soak->camera);
  CapaControl *simulate = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (controls != NULL)
    simulate = capa_control_group_get_by_path (controls, "/main/actions/simulate");
  if (simulate == NULL)
    {
      add_error (soak, "the test camera has no /main/actions/simulate");
      return FALSE;
    }
  capa_control_text_set_value (CAPA_CONTROL_TEXT (simulate), "shot");
  capa_camera_save_controls_async (soak->camera, NULL, on_done_cb, soak);
  result = wait_result (soak);
  if (result == NULL)
    {
      add_error (soak, "saving the settings did not return");
      return FALSE;
    }
  if (!capa_camera_save_controls_finish (soak->camera, result, &error))
    {
      add_error (soak, "body shot %u: %s", soak->body_shots + 1, error->message);
      return FALSE;
    }
  soak->body_shots++;
  return TRUE;
}

static gboolean
capture_one (Soak *soak)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  gint64 asked = g_get_monotonic_time ();

  capa_tether_capture_async (soak->tether, NULL, on_done_cb, soak);
  result = wait_result (soak);
  if (result == NULL)
    {
      add_error (soak, "capture %u did not return", soak->captured->len + 1);
      return FALSE;
    }
  image = capa_tether_capture_finish (soak->tether, result, &error);
  if (image == NULL)
    {
      add_error (soak, "capture %u: %s", soak->captured->len + 1, error->message);
      return FALSE;
    }
  g_ptr_array_add (soak->captured, g_path_get_basename (capa_image_get_filename (image)));
  g_array_append_val (soak->capture_ms, (double) { (g_get_monotonic_time () - asked) / 1000.0 });
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Checks                                                               */
/* ------------------------------------------------------------------ */

static void
verdict (gboolean   *all,
         gboolean    ok,
         const char *what,
         const char *format,
         ...) G_GNUC_PRINTF (4, 5);

static void
verdict (gboolean   *all,
         gboolean    ok,
         const char *what,
         const char *format,
         ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  if (all == NULL)
    {
      /* Shown, not judged. */
      g_print ("%-4s %-22s %s\n", ok ? "pass" : "fail", what, detail);
      return;
    }
  g_print ("%-4s %-22s %s\n", ok ? "PASS" : "FAIL", what, detail);
  *all = *all && ok;
}

/* Whether @bytes is a whole JPEG: starts with SOI, ends with EOI. */
static gboolean
is_whole_jpeg (const guint8 *bytes,
               gsize         size)
{
  return size > 4 && bytes[0] == 0xff && bytes[1] == 0xd8 &&
         bytes[size - 2] == 0xff && bytes[size - 1] == 0xd9;
}

typedef struct
{
  guint images;
  guint temporary;
  guint other;
  guint broken;
  guint same_picture;
  guint bad_name;
  guint out_of_sequence;
  guint not_announced;
  guint sequence_min;
  guint sequence_max;
} FolderCheck;

static void
check_folder (Soak        *soak,
              FolderCheck *check)
{
  g_autoptr(GDir) dir = g_dir_open (soak->folder, 0, NULL);
  g_autoptr(GHashTable) checksums = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                           g_free, NULL);
  g_autoptr(GHashTable) sequences = g_hash_table_new (NULL, NULL);
  g_autoptr(GRegex) regex = g_regex_new ("^capa-[0-9]{8}-([0-9]{4,})\\.jpg$", 0, 0, NULL);
  const char *name;

  memset (check, 0, sizeof *check);
  check->sequence_min = G_MAXUINT;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (soak->folder, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      gsize size = 0;

      if (g_str_has_prefix (name, ".capa-") && g_str_has_suffix (name, ".tmp"))
        {
          check->temporary++;
          continue;
        }
      if (!g_str_has_suffix (name, ".jpg"))
        {
          g_printerr ("soak: unexpected file %s\n", name);
          check->other++;
          continue;
        }

      check->images++;
      if (!g_hash_table_contains (soak->saved, name))
        {
          g_printerr ("soak: %s is in the folder but was never announced\n", name);
          check->not_announced++;
        }

      if (!g_file_get_contents (path, &contents, &size, NULL) ||
          !is_whole_jpeg ((const guint8 *) contents, size))
        {
          g_printerr ("soak: %s is not a whole JPEG\n", name);
          check->broken++;
        }
      else if (!g_hash_table_add (checksums,
                                  g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                               (const guchar *) contents,
                                                               size)))
        {
          g_printerr ("soak: %s holds the same picture as another file\n", name);
          check->same_picture++;
        }

      if (!g_regex_match (regex, name, 0, &match))
        {
          g_printerr ("soak: %s is not the pattern's name (a collision suffix?)\n", name);
          check->bad_name++;
        }
      else
        {
          g_autofree char *digits = g_match_info_fetch (match, 1);
          guint sequence = (guint) g_ascii_strtoull (digits, NULL, 10);

          if (!g_hash_table_add (sequences, GUINT_TO_POINTER (sequence)))
            {
              g_printerr ("soak: sequence number %u given twice\n", sequence);
              check->out_of_sequence++;
            }
          check->sequence_min = MIN (check->sequence_min, sequence);
          check->sequence_max = MAX (check->sequence_max, sequence);
        }
    }
}

/* The least-squares slope of @value (bytes) against the pictures saved,
 * over the samples from @first on: bytes per picture. */
static double
slope (GArray  *samples,
       guint    first,
       double (*value) (const Sample *sample))
{
  double n = samples->len - first;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;

  for (guint i = first; i < samples->len; i++)
    {
      const Sample *sample = &g_array_index (samples, Sample, i);
      double x = sample->saved;
      double y = value (sample);

      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
  if (n < 2 || n * sxx - sx * sx <= 0)
    return 0;
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

static double
sample_heap (const Sample *sample)
{
  return sample->heap;
}

static double
sample_rss (const Sample *sample)
{
  return sample->rss_kib * 1024.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_capture_times (GArray *ms)
{
  if (ms->len == 0)
    return;
  g_array_sort (ms, compare_doubles);
  g_print ("capture, asked for to saved (ms): median %.1f, p95 %.1f, p99 %.1f, longest %.1f\n",
           g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, MIN (ms->len - 1, (ms->len * 95) / 100)),
           g_array_index (ms, double, MIN (ms->len - 1, (ms->len * 99) / 100)),
           g_array_index (ms, double, ms->len - 1));
}

static void
remove_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_remove (path);
    }
  g_rmdir (folder);
}

/* ------------------------------------------------------------------ */

/* The folder vusb wants, never read: removed at the end. */
static char *vcamera_folder;

static gboolean
setup_environment (void)
{
  const char *vusb = g_getenv ("CAPA_TEST_VUSB_DIR");
  const char *camlibs = g_getenv ("CAPA_TEST_CAMLIB_DIR");
  g_autofree char *status_file = NULL;
  g_autofree char *status = NULL;
  g_autofree char *iolibs = NULL;

  if (vusb == NULL || camlibs == NULL)
    {
      g_print ("CAPA_TEST_VUSB_DIR and CAPA_TEST_CAMLIB_DIR are not set: "
               "run with meson test --benchmark soak\n");
      return FALSE;
    }
  status_file = g_build_filename (vusb, "status", NULL);
  if (!g_file_get_contents (status_file, &status, NULL, NULL)
      || !g_str_equal (g_strstrip (status), "ok"))
    {
      g_print ("the virtual camera fixture is not available on this machine\n");
      return FALSE;
    }

  iolibs = g_build_filename (vusb, "iolibs", NULL);
  vcamera_folder = g_dir_make_tmp ("capa-soak-vcamera-XXXXXX", NULL);
  g_setenv ("IOLIBS", iolibs, TRUE);
  g_setenv ("VCAMERADIR", vcamera_folder != NULL ? vcamera_folder : g_get_tmp_dir (), TRUE);
  g_setenv ("CAMLIBS", camlibs, TRUE);
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  g_unsetenv ("CAPA_TEST_CAMERA_DIR");
  return TRUE;
}

/* Lets work already under way (a cancelled frame, an event slice) end. */
static void
drain (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;
  guint wake = g_timeout_add (20, wake_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static gboolean
open_camera (Soak *soak)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  soak->camera = capa_camera_new ("Capa Test Camera", "usb:001,001");
  capa_camera_open_async (soak->camera, NULL, on_done_cb, soak);
  result = wait_result (soak);
  if (result == NULL || !capa_camera_open_finish (soak->camera, result, &error))
    {
      add_error (soak, "cannot open the test camera: %s",
                 error != NULL ? error->message : "no answer");
      return FALSE;
    }
  g_clear_object (&result);

  capa_camera_load_controls_async (soak->camera, NULL, on_done_cb, soak);
  result = wait_result (soak);
  if (result == NULL || !capa_camera_load_controls_finish (soak->camera, result, &error))
    {
      add_error (soak, "cannot read the test camera's settings: %s",
                 error != NULL ? error->message : "no answer");
      return FALSE;
    }
  return TRUE;
}

static void
close_camera (Soak *soak)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  capa_camera_close_async (soak->camera, NULL, on_done_cb, soak);
  result = wait_result (soak);
  if (result == NULL || !capa_camera_close_finish (soak->camera, result, &error))
    add_error (soak, "closing the test camera: %s", error != NULL ? error->message : "no answer");
}

/* The files left on the camera's card. */
static guint
card_files (Soak *soak)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  capa_camera_list_files_async (soak->camera, "/", NULL, on_done_cb, soak);
  result = wait_result (soak);
  if (result != NULL)
    files = capa_camera_list_files_finish (soak->camera, result, &error);
  if (files == NULL)
    {
      add_error (soak, "listing the card: %s", error != NULL ? error->message : "no answer");
      return G_MAXUINT;
    }
  for (guint i = 0; i < files->len; i++)
    g_printerr ("soak: left on the card: %s\n",
                capa_camera_file_get_name (g_ptr_array_index (files, i)));
  return files->len;
}

/* The heap is the smallest of a few readings a live-view frame apart, so
 * that a buffer in flight at that moment (a download, a frame) does not
 * count as growth. */
static void
record_sample (Soak   *soak,
               guint   shots,
               gint64  start)
{
  Sample sample = take_sample (soak, shots, start);

  for (guint i = 1; i < HEAP_READINGS && soak->frames > 0; i++)
    {
      if (!wait_until (soak, frames_reached, GUINT_TO_POINTER (soak->frames + 1)))
        break;
      sample.heap = MIN (sample.heap, heap_in_use ());
    }
  g_array_append_val (soak->samples, sample);
  print_sample (&sample);
}

static gboolean
run_soak (Soak  *soak,
          guint  shots)
{
  g_autoptr(GHashTable) captured_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) fd_list_before = NULL;
  g_autoptr(GHashTable) fd_list_after = NULL;
  gsize heap_closed;
  CapaTether *tether;
  CapaCamera *camera;
  CapaSession *session;
  gsize heap_with_session;
  gsize heap_before_own;
  double own;
  guint n_saved;
  guint n_captured;
  gboolean captures_distinct;
  double record;
  FolderCheck check;
  const Sample *middle;
  const Sample *last;
  double heap_slope;
  double rss_slope;
  gint64 start;
  guint fds_before;
  guint fds_after;
  guint fd_peak = 0;
  guint thread_peak = 0;
  gsize rss_peak = 0;
  guint expected;
  guint on_card;
  guint not_in_folder = 0;
  gboolean all = TRUE;
  gboolean judged = shots >= MIN_JUDGED_SHOTS;
  gboolean *flat = judged ? &all : NULL;

  /* GLib's own contexts live as long as the process: the default one, and
   * GIO's worker, started by the first file monitor.  Have them before
   * counting. */
  {
    g_autoptr(GFile) folder = g_file_new_for_path (soak->folder);
    g_autoptr(GFileMonitor) monitor = g_file_monitor_directory (folder, G_FILE_MONITOR_NONE,
                                                                NULL, NULL);

    g_main_context_wakeup (g_main_context_default ());
    drain (100);
  }
  fd_list_before = list_fds ();
  fds_before = count_fds ();
  if (!open_camera (soak))
    return FALSE;

  soak->session = capa_session_new (soak->folder);
  soak->tether = capa_tether_new (soak->camera, soak->session);
  g_signal_connect (soak->tether, "image-saved", G_CALLBACK (on_image_saved_cb), soak);
  g_signal_connect (soak->tether, "preview-frame", G_CALLBACK (on_preview_frame_cb), soak);
  g_signal_connect (soak->tether, "error", G_CALLBACK (on_error_cb), soak);

  g_print ("Soak: %u captures through CapaTether, a shot on the camera body every %u, "
           "live view and monitoring on; session folder %s\n\n", shots, BODY_EVERY, soak->folder);
  print_sample_header ();

  start = g_get_monotonic_time ();
  record_sample (soak, 0, start);
  capa_tether_start_monitoring (soak->tether);
  capa_tether_start_preview (soak->tether);

  for (guint i = 1; i <= shots; i++)
    {
      /* Live view runs between captures. */
      if (!wait_until (soak, frames_reached, GUINT_TO_POINTER (soak->frames + FRAMES_BETWEEN)))
        {
          add_error (soak, "live view stopped before capture %u", i);
          break;
        }
      if (i % BODY_EVERY == BODY_EVERY / 2 && !take_body_shot (soak))
        break;
      if (!capture_one (soak))
        break;
      if (i % SAMPLE_EVERY == 0)
        record_sample (soak, i, start);
    }

  /* The last body shots still on their way. */
  expected = soak->captured->len + soak->body_shots;
  if (!wait_until (soak, saved_reached, GUINT_TO_POINTER (expected)))
    add_error (soak, "only %u of %u pictures were saved", g_hash_table_size (soak->saved),
               expected);

  capa_tether_stop_preview (soak->tether);
  capa_tether_stop_monitoring (soak->tether);
  drain (1000);
  on_card = card_files (soak);
  close_camera (soak);

  /* Dropped, each must go. */
  tether = soak->tether;
  camera = soak->camera;
  session = soak->session;
  g_object_add_weak_pointer (G_OBJECT (tether), (gpointer *) &tether);
  g_object_add_weak_pointer (G_OBJECT (camera), (gpointer *) &camera);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  g_clear_object (&soak->tether);
  g_clear_object (&soak->camera);
  drain (500);

  /* What the session's own record of its images costs, measured by
   * dropping it: the growth by design. */
  heap_with_session = heap_in_use ();
  g_clear_object (&soak->session);
  drain (200);
  heap_closed = heap_in_use ();
  record = ((double) heap_with_session - (double) heap_closed) /
           MAX (1, g_hash_table_size (soak->saved));
  fds_after = count_fds ();
  fd_list_after = list_fds ();

  g_print ("\n%u captures and %u body shots in %.1f s; %u live-view frames\n",
           soak->captured->len, soak->body_shots,
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, soak->frames);
  g_print ("descriptors: %u before opening the camera, %u after closing it\n",
           fds_before, fds_after);
  print_new_fds (fd_list_before, fd_list_after);
  print_capture_times (soak->capture_ms);
  g_print ("heap in use: %zu KiB with only the session left, %zu KiB without it: "
           "its record of each image is %.0f bytes\n\n", heap_with_session / 1024,
           heap_closed / 1024, record);

  /* Memory and descriptors, from the middle of the run (after the
   * warm-up) to its end. */
  last = &g_array_index (soak->samples, Sample, soak->samples->len - 1);
  middle = &g_array_index (soak->samples, Sample, (soak->samples->len - 1) / 2);
  for (guint i = (soak->samples->len - 1) / 2; i < soak->samples->len; i++)
    {
      const Sample *sample = &g_array_index (soak->samples, Sample, i);

      fd_peak = MAX (fd_peak, sample->fds);
      thread_peak = MAX (thread_peak, sample->threads);
      rss_peak = MAX (rss_peak, sample->rss_kib);
    }
  heap_slope = slope (soak->samples, (soak->samples->len - 1) / 2, sample_heap);
  rss_slope = slope (soak->samples, (soak->samples->len - 1) / 2, sample_rss);

  check_folder (soak, &check);
  for (guint i = 0; i < soak->captured->len; i++)
    {
      const char *name = g_ptr_array_index (soak->captured, i);
      g_autofree char *path = g_build_filename (soak->folder, name, NULL);

      if (!g_hash_table_add (captured_names, (gpointer) name))
        g_printerr ("soak: capture %u returned the name %s again\n", i + 1, name);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_printerr ("soak: capture %u, %s, is not in the folder\n", i + 1, name);
          not_in_folder++;
        }
    }
  n_saved = g_hash_table_size (soak->saved);
  n_captured = soak->captured->len;
  captures_distinct = g_hash_table_size (captured_names) == n_captured;

  /* What this program's own record of the names costs, to set it apart
   * from Capa's. */
  g_clear_pointer (&captured_names, g_hash_table_unref);
  heap_before_own = heap_in_use ();
  g_clear_pointer (&soak->saved, g_hash_table_unref);
  g_clear_pointer (&soak->captured, g_ptr_array_unref);
  own = ((double) heap_before_own - (double) heap_in_use ()) / MAX (1, n_saved);
  g_print ("this program's own record of the names: %.0f bytes per picture\n\n", own);

  verdict (&all, n_captured == shots && soak->samples->len > 2,
           "run complete", "%u of %u captures, %u body shots", n_captured, shots,
           soak->body_shots);
  if (!judged)
    g_print ("A run of fewer than %u shots is too short to judge flatness after a warm-up: "
             "the lower-case verdicts are shown, not judged.\n", MIN_JUDGED_SHOTS);
  verdict (flat, heap_slope <= record + own + HEAP_NOISE, "heap flat",
           "%+.0f bytes per picture over shots %u to %u (%zu -> %zu KiB); "
           "limit: the session's record %.0f + this program's %.0f + %.0f",
           heap_slope, middle->shots, last->shots, middle->heap / 1024, last->heap / 1024,
           record, own, HEAP_NOISE);
  verdict (flat, rss_peak <= middle->rss_kib + RSS_GROWTH_MAX_KIB, "RSS flat",
           "%zu KiB at shot %u, at most %zu after it, %+.0f bytes per picture "
           "(limit +%u KiB)", middle->rss_kib, middle->shots, rss_peak, rss_slope,
           RSS_GROWTH_MAX_KIB);
  verdict (flat, fd_peak <= middle->fds + FD_NOISE, "descriptors flat",
           "%u at shot %u, at most %u after it (limit +%u)", middle->fds, middle->shots,
           fd_peak, FD_NOISE);
  verdict (flat, thread_peak <= middle->threads + THREAD_NOISE, "threads flat",
           "%u at shot %u, at most %u after it (limit +%u)", middle->threads, middle->shots,
           thread_peak, THREAD_NOISE);
  verdict (&all, fds_after <= fds_before, "descriptors released",
           "%u before opening the camera, %u after closing it", fds_before, fds_after);
  verdict (&all, tether == NULL && camera == NULL && session == NULL, "objects released",
           "tether %s, camera %s, session %s once dropped",
           tether == NULL ? "finalized" : "ALIVE", camera == NULL ? "finalized" : "ALIVE",
           session == NULL ? "finalized" : "ALIVE");
  verdict (&all, soak->errors->len == 0, "no error", "%u errors reported", soak->errors->len);
  verdict (&all,
           n_saved == expected && check.images == expected &&
           not_in_folder == 0 && check.not_announced == 0 && check.broken == 0,
           "no shot missing",
           "%u pictures taken, %u announced, %u whole JPEGs in the folder, %u captures missing",
           expected, n_saved, check.images - check.broken,
           not_in_folder);
  verdict (&all, on_card == 0 && check.temporary == 0 && check.other == 0, "nothing left behind",
           "%u files on the card, %u temporary and %u other files in the folder",
           on_card, check.temporary, check.other);
  verdict (&all,
           soak->duplicates == 0 && captures_distinct &&
           check.bad_name == 0 && check.out_of_sequence == 0 && check.same_picture == 0 &&
           (check.images == 0 ||
            (check.sequence_min == 1 && check.sequence_max == check.images)),
           "no name reused",
           "%u names announced twice, %u not the pattern's, sequence %u..%u for %u files, "
           "%u pictures saved twice",
           soak->duplicates, check.bad_name, check.images > 0 ? check.sequence_min : 0,
           check.sequence_max, check.images, check.same_picture);

  return all;
}

int
main (int   argc,
      char *argv[])
{
  guint shots = argc > 1 ? (guint) atoi (argv[1]) : DEFAULT_SHOTS;
  const char *parent = argc > 2 ? argv[2] : g_get_tmp_dir ();
  g_autofree char *template = NULL;
  Soak soak = { 0 };
  gboolean ok;

  if (shots < 2 * SAMPLE_EVERY)
    {
      g_printerr ("usage: %s [SHOTS [PARENT-FOLDER]]: SHOTS at least %u\n", argv[0],
                  2 * SAMPLE_EVERY);
      return 2;
    }
  if (!setup_environment ())
    return 0;

  template = g_build_filename (parent, "capa-soak-XXXXXX", NULL);
  soak.folder = g_mkdtemp (g_steal_pointer (&template));
  if (soak.folder == NULL)
    {
      g_printerr ("soak: cannot make a session folder in %s\n", parent);
      return 1;
    }

  soak.saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak.captured = g_ptr_array_new_with_free_func (g_free);
  soak.errors = g_ptr_array_new_with_free_func (g_free);
  /* Sized up front, so that it does not grow during the run. */
  soak.capture_ms = g_array_sized_new (FALSE, FALSE, sizeof (double), shots);
  soak.samples = g_array_sized_new (FALSE, FALSE, sizeof (Sample), shots / SAMPLE_EVERY + 2);

  ok = run_soak (&soak, shots);

  if (ok)
    remove_folder (soak.folder);
  else
    g_print ("The session folder is kept for inspection: %s\n", soak.folder);

  g_free (soak.folder);
  g_clear_pointer (&soak.saved, g_hash_table_unref);
  g_clear_pointer (&soak.captured, g_ptr_array_unref);
  g_ptr_array_unref (soak.errors);
  g_array_unref (soak.samples);
  g_array_unref (soak.capture_ms);
  if (vcamera_folder != NULL)
    remove_folder (vcamera_folder);
  g_free (vcamera_folder);

  return ok ? 0 : 1;
}
