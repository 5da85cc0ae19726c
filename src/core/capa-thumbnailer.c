/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Thumbnailer"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "capa-colour-profile.h"
#include "capa-colour-transform.h"
#include "capa-enum-types.h"
#include "capa-image-private.h"
#include "capa-image.h"
#include "capa-testing-private.h"
#include "capa-thumbnailer.h"
#include "capa-version.h"

#define DEFAULT_MAX_MEMORY  (64 * 1024 * 1024)
/* How many times a thumbnail is made again when its file changed (or was
 * invalidated) while it was being made, before giving up. */
#define MAX_ATTEMPTS        3

struct _CapaThumbnailer
{
  GObject       parent_instance;

  /* construct-only */
  gsize         max_memory;
  char         *cache_dir;        /* $XDG_CACHE_HOME/thumbnails */

  /* owned */
  GThreadPool  *pool;             /* bounded: one thread per core */

  /* guarded by mutex; never held while decoding or doing I/O */
  GMutex        mutex;
  GCond         cond;
  GSequence    *queue;            /* of Request, most urgent first */
  guint64       next_serial;
  gboolean      paused;
  GHashTable   *memory_index;     /* key → GList link in memory_lru */
  GQueue        memory_lru;       /* of MemoryEntry, most recent first */
  gsize         memory_used;
  GHashTable   *in_flight;        /* file name → FileState, while jobs for it run */
  CapaTestingThumbnailerHook hook;       /* for tests */
  gpointer      hook_data;

  GPtrArray    *started;          /* file names in the order taken, for tests */

  guint         n_decoded;        /* atomic: decoding attempts */
  int           n_running;        /* atomic: requests being made now */
  int           max_running;      /* atomic: the most ever at once */
};

G_DEFINE_FINAL_TYPE (CapaThumbnailer, capa_thumbnailer, G_TYPE_OBJECT)

G_DEFINE_QUARK (capa-thumbnail-error-quark, capa_thumbnail_error)

enum {
  PROP_0,
  PROP_MAX_MEMORY,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static const char * const size_folders[] = { "normal", "large", "x-large" };

typedef struct
{
  char      *key;
  GdkPixbuf *pixbuf;
  gsize      bytes;
} MemoryEntry;

/* A file some job is making a thumbnail of: capa_thumbnailer_invalidate()
 * bumps its generation, so a job that began before keeps its result out
 * of the memory cache. */
typedef struct
{
  guint64  generation;
  guint    n_jobs;
} FileState;

typedef struct
{
  gatomicrefcount     ref_count;
  GTask              *task;
  char               *filename;
  CapaThumbnailSize   size;
  int                 priority;
  guint64             serial;
  GSequenceIter      *iter;           /* guarded by the thumbnailer's mutex */
  GSource            *cancel_source;
} Request;

static Request *
request_ref (Request *request)
{
  g_atomic_ref_count_inc (&request->ref_count);
  return request;
}

static void
request_unref (Request *request)
{
  if (g_atomic_ref_count_dec (&request->ref_count))
    {
      if (request->cancel_source != NULL)
        {
          g_source_destroy (request->cancel_source);
          g_source_unref (request->cancel_source);
        }
      g_clear_object (&request->task);
      g_free (request->filename);
      g_free (request);
    }
}

static int
compare_requests (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const Request *ra = a;
  const Request *rb = b;

  if (ra->priority != rb->priority)
    return ra->priority < rb->priority ? -1 : 1;

  return ra->serial < rb->serial ? -1 : (ra->serial > rb->serial);
}

static void
memory_entry_free (MemoryEntry *entry)
{
  g_object_unref (entry->pixbuf);
  g_free (entry->key);
  g_free (entry);
}

static char *
memory_key (const char        *filename,
            CapaThumbnailSize  size)
{
  return g_strdup_printf ("%d:%s", (int) size, filename);
}

/* --- the in-memory LRU, bounded in bytes --- */

static GdkPixbuf *
memory_lookup (CapaThumbnailer   *self,
               const char        *filename,
               CapaThumbnailSize  size)
{
  g_autofree char *key = memory_key (filename, size);
  GdkPixbuf *pixbuf = NULL;
  GList *link;

  g_mutex_lock (&self->mutex);
  link = g_hash_table_lookup (self->memory_index, key);
  if (link != NULL)
    {
      MemoryEntry *entry = link->data;

      g_queue_unlink (&self->memory_lru, link);
      g_queue_push_head_link (&self->memory_lru, link);
      pixbuf = g_object_ref (entry->pixbuf);
    }
  g_mutex_unlock (&self->mutex);

  return pixbuf;
}

/* Called with the mutex held; returns the evicted entries to free once it
 * is released. */
static void
memory_remove_link_locked (CapaThumbnailer *self,
                           GList           *link,
                           GSList         **evicted)
{
  MemoryEntry *entry = link->data;

  g_hash_table_remove (self->memory_index, entry->key);
  g_queue_delete_link (&self->memory_lru, link);
  self->memory_used -= entry->bytes;
  *evicted = g_slist_prepend (*evicted, entry);
}

/* Called with the mutex held. */
static guint64
file_generation_locked (CapaThumbnailer *self,
                        const char      *filename)
{
  FileState *state = g_hash_table_lookup (self->in_flight, filename);

  return state ? state->generation : 0;
}

/* A job for @filename begins: returns the file's generation now. */
static guint64
job_begin (CapaThumbnailer *self,
           const char      *filename)
{
  FileState *state;
  guint64 generation;

  g_mutex_lock (&self->mutex);
  state = g_hash_table_lookup (self->in_flight, filename);
  if (state == NULL)
    {
      state = g_new0 (FileState, 1);
      g_hash_table_insert (self->in_flight, g_strdup (filename), state);
    }
  state->n_jobs++;
  generation = state->generation;
  g_mutex_unlock (&self->mutex);

  return generation;
}

/* The job ends: returns whether @filename was invalidated meanwhile. */
static gboolean
job_end (CapaThumbnailer *self,
         const char      *filename,
         guint64          generation)
{
  FileState *state;
  gboolean stale;

  g_mutex_lock (&self->mutex);
  state = g_hash_table_lookup (self->in_flight, filename);
  g_assert (state != NULL && state->n_jobs > 0);
  stale = state->generation != generation;
  if (--state->n_jobs == 0)
    g_hash_table_remove (self->in_flight, filename);
  g_mutex_unlock (&self->mutex);

  return stale;
}

/* Stores @pixbuf unless @filename was invalidated since @generation (then
 * it returns FALSE: the pixbuf may show the file as it was before). */
static gboolean
memory_insert (CapaThumbnailer   *self,
               const char        *filename,
               CapaThumbnailSize  size,
               GdkPixbuf         *pixbuf,
               guint64            generation)
{
  MemoryEntry *entry;
  GSList *evicted = NULL;
  GList *old;
  gsize bytes = gdk_pixbuf_get_byte_length (pixbuf);

  entry = g_new0 (MemoryEntry, 1);
  entry->key = memory_key (filename, size);
  entry->pixbuf = g_object_ref (pixbuf);
  entry->bytes = bytes;

  g_mutex_lock (&self->mutex);

  if (file_generation_locked (self, filename) != generation)
    {
      g_mutex_unlock (&self->mutex);
      memory_entry_free (entry);
      return FALSE;
    }

  if (bytes > self->max_memory)
    {
      g_mutex_unlock (&self->mutex);
      memory_entry_free (entry);
      return TRUE;
    }

  old = g_hash_table_lookup (self->memory_index, entry->key);
  if (old != NULL)
    memory_remove_link_locked (self, old, &evicted);

  while (self->memory_used + bytes > self->max_memory && self->memory_lru.tail != NULL)
    memory_remove_link_locked (self, self->memory_lru.tail, &evicted);

  g_queue_push_head (&self->memory_lru, entry);
  g_hash_table_insert (self->memory_index, entry->key, self->memory_lru.head);
  self->memory_used += bytes;

  g_mutex_unlock (&self->mutex);

  g_slist_free_full (evicted, (GDestroyNotify) memory_entry_free);

  return TRUE;
}

/* --- the shared thumbnail cache of the freedesktop.org standard --- */

static char *
thumbnail_basename (const char *uri)
{
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);

  return g_strconcat (md5, ".png", NULL);
}

static char *
fail_folder (CapaThumbnailer *self)
{
  return g_build_filename (self->cache_dir, "fail", "capa-" CAPA_VERSION_S, NULL);
}

/* Reads a cached PNG and returns it only when it belongs to @uri at
 * @mtime and, when the PNG records it (Thumb::Size is optional), @size
 * bytes: a file rewritten within the same second is caught by its size.
 * Anything else (missing, corrupt, stale) gives NULL. */
static GdkPixbuf *
read_valid_png (const char *path,
                const char *uri,
                gint64      mtime,
                goffset     size)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *mtime_text = NULL;
  g_autofree char *size_text = NULL;
  const char *stored_uri;
  const char *stored_mtime;
  const char *stored_size;

  pixbuf = gdk_pixbuf_new_from_file (path, NULL);
  if (pixbuf == NULL)
    return NULL;

  stored_uri = gdk_pixbuf_get_option (pixbuf, "tEXt::Thumb::URI");
  stored_mtime = gdk_pixbuf_get_option (pixbuf, "tEXt::Thumb::MTime");
  mtime_text = g_strdup_printf ("%" G_GINT64_FORMAT, mtime);

  stored_size = gdk_pixbuf_get_option (pixbuf, "tEXt::Thumb::Size");
  size_text = g_strdup_printf ("%" G_GOFFSET_FORMAT, size);

  if (g_strcmp0 (stored_uri, uri) != 0 || g_strcmp0 (stored_mtime, mtime_text) != 0 ||
      (stored_size != NULL && g_strcmp0 (stored_size, size_text) != 0))
    {
      g_debug ("Cached thumbnail %s is stale or foreign", path);
      return NULL;
    }

  return g_steal_pointer (&pixbuf);
}

/* Writes a PNG with the standard's text chunks, atomically (a temporary
 * file renamed over the final name) and readable by its owner only. */
static gboolean
write_png (GdkPixbuf   *pixbuf,
           const char  *folder,
           const char  *basename,
           const char  *uri,
           gint64       mtime,
           goffset      file_size,
           int          image_width,
           int          image_height,
           GError     **error)
{
  g_autofree char *path = g_build_filename (folder, basename, NULL);
  g_autofree char *mtime_text = g_strdup_printf ("%" G_GINT64_FORMAT, mtime);
  g_autofree char *size_text = g_strdup_printf ("%" G_GOFFSET_FORMAT, file_size);
  g_autofree char *width_text = g_strdup_printf ("%d", image_width);
  g_autofree char *height_text = g_strdup_printf ("%d", image_height);
  gboolean has_image_size = image_width > 0 && image_height > 0;
  g_autofree char *buffer = NULL;
  gsize length = 0;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", folder, g_strerror (saved_errno));
      return FALSE;
    }

  /* Light compression: level 1 costs a fifth of the default for a
   * slightly bigger file, and thumbnails are written far more often than
   * they are copied. */
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", error,
                                  "compression", "1",
                                  "tEXt::Thumb::URI", uri,
                                  "tEXt::Thumb::MTime", mtime_text,
                                  "tEXt::Thumb::Size", size_text,
                                  "tEXt::Software", "Capa " CAPA_VERSION_S,
                                  /* last: left out when unknown */
                                  has_image_size ? "tEXt::Thumb::Image::Width" : NULL, width_text,
                                  "tEXt::Thumb::Image::Height", height_text,
                                  NULL))
    return FALSE;

  return g_file_set_contents_full (path, buffer, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* The size of the full image, for the Thumb::Image::Width and ::Height
 * chunks, and its embedded ICC profile, read from the header of a JPEG or
 * PNG file (a few kilobytes); FALSE for other formats, whose chunks are
 * then left out. */
static gboolean
read_image_header (const char    *filename,
                   GCancellable  *cancellable,
                   int           *width,
                   int           *height,
                   GBytes       **icc)
{
  g_autoptr(GInputStream) stream = NULL;
  const guint8 *magic;
  gsize n_read = 0;

  /* Only a regular file, read through a buffer (never a FIFO). */
  stream = _capa_image_open_stream (filename, NULL, NULL);
  if (stream == NULL ||
      g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (stream), 4, cancellable, NULL) < 0)
    return FALSE;
  magic = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (stream), &n_read);
  if (n_read < 4)
    return FALSE;

  if (magic[0] == 0xff && magic[1] == 0xd8 && magic[2] == 0xff)
    return _capa_image_read_jpeg_header (stream, width, height, icc, cancellable, NULL);

  if (magic[0] == 0x89 && magic[1] == 'P' && magic[2] == 'N' && magic[3] == 'G')
    return _capa_image_read_png_header (stream, width, height, icc, cancellable, NULL);

  return FALSE;
}

/* Thumbnails in the shared cache are sRGB, as every reader assumes: turn
 * the pixels of an image tagged with another RGB profile into sRGB. An
 * unusable embedded profile is ignored, as CapaImage does. */
static void
convert_to_srgb (GdkPixbuf  *pixbuf,
                 GBytes     *icc,
                 const char *filename)
{
  g_autoptr(CapaColourProfile) embedded = NULL;
  g_autoptr(CapaColourProfile) srgb = NULL;
  g_autoptr(CapaColourTransform) transform = NULL;
  g_autoptr(GError) error = NULL;

  embedded = capa_colour_profile_new_from_data (icc, &error);
  if (embedded == NULL || capa_colour_profile_get_colour_space (embedded) != CAPA_COLOUR_SPACE_RGB)
    {
      g_debug ("%s: not converting the thumbnail: %s", filename,
               error ? error->message : "not an RGB profile");
      return;
    }

  srgb = capa_colour_profile_new_srgb ();
  if (capa_colour_profile_equal (embedded, srgb))
    return;

  transform = capa_colour_transform_new (embedded, srgb,
                                         CAPA_RENDERING_INTENT_RELATIVE_COLORIMETRIC, &error);
  if (transform == NULL)
    {
      g_debug ("%s: not converting the thumbnail: %s", filename, error->message);
      return;
    }

  capa_colour_transform_transform_pixbuf_in_place (transform, pixbuf);
}

#define FILE_ATTRIBUTES G_FILE_ATTRIBUTE_TIME_MODIFIED "," \
                        G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC "," \
                        G_FILE_ATTRIBUTE_STANDARD_SIZE

static void
call_hook (CapaThumbnailer                 *self,
           CapaTestingThumbnailerHookStage  stage,
           const char                      *filename)
{
  CapaTestingThumbnailerHook hook;
  gpointer hook_data;

  g_mutex_lock (&self->mutex);
  hook = self->hook;
  hook_data = self->hook_data;
  g_mutex_unlock (&self->mutex);

  if (hook != NULL)
    hook (self, stage, filename, hook_data);
}

/* Whether the file was left as it was when @before was read. */
static gboolean
file_unchanged (GFile        *file,
                GFileInfo    *before,
                GCancellable *cancellable)
{
  g_autoptr(GFileInfo) after = NULL;

  after = g_file_query_info (file, FILE_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, cancellable, NULL);

  return after != NULL &&
         g_file_info_get_size (after) == g_file_info_get_size (before) &&
         g_file_info_get_attribute_uint64 (after, G_FILE_ATTRIBUTE_TIME_MODIFIED) ==
         g_file_info_get_attribute_uint64 (before, G_FILE_ATTRIBUTE_TIME_MODIFIED) &&
         g_file_info_get_attribute_uint32 (after, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC) ==
         g_file_info_get_attribute_uint32 (before, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
}

/* The whole job, on any thread but the main one: the shared cache, the
 * failure records, then decoding. A file that changed while it was read
 * gives G_IO_ERROR_BUSY, and nothing is stored for it. */
static GdkPixbuf *
make_thumbnail (CapaThumbnailer    *self,
                const char         *filename,
                CapaThumbnailSize   size,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (filename);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *failures = NULL;
  g_autofree char *fail_path = NULL;
  g_autofree char *display_name = NULL;
  g_autoptr(GdkPixbuf) failed = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GBytes) icc = NULL;
  gboolean incomplete = FALSE;
  int image_width = 0;
  int image_height = 0;
  gint64 mtime;

  info = g_file_query_info (file, FILE_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  mtime = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  uri = g_file_get_uri (file);
  basename = thumbnail_basename (uri);
  folder = g_build_filename (self->cache_dir, size_folders[size], NULL);
  path = g_build_filename (folder, basename, NULL);

  pixbuf = read_valid_png (path, uri, mtime, g_file_info_get_size (info));
  if (pixbuf != NULL)
    return g_steal_pointer (&pixbuf);

  display_name = g_filename_display_basename (filename);
  failures = fail_folder (self);
  fail_path = g_build_filename (failures, basename, NULL);
  failed = read_valid_png (fail_path, uri, mtime, g_file_info_get_size (info));
  if (failed != NULL)
    {
      g_set_error (error, CAPA_THUMBNAIL_ERROR, CAPA_THUMBNAIL_ERROR_PREVIOUSLY_FAILED,
                   _("No thumbnail can be made of “%s”: it could not be read before "
                     "and has not changed since"),
                   display_name);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_atomic_int_inc (&self->n_decoded);

  /* CapaImage decodes JPEG at the smallest DCT scale that covers the
   * size, and turns the pixels upright. */
  image = capa_image_new (filename);
  pixbuf = _capa_image_load_pixbuf_checked (image,
                                            capa_thumbnail_size_get_pixels (size),
                                            capa_thumbnail_size_get_pixels (size),
                                            &incomplete, cancellable, &local_error);
  if (pixbuf != NULL &&
      !read_image_header (filename, cancellable, &image_width, &image_height, &icc))
    image_width = image_height = 0;

  call_hook (self, CAPA_TESTING_THUMBNAILER_HOOK_DECODED, filename);

  /* Still being written, replaced or touched while read: what was read
   * may be part old, part new. Neither a thumbnail nor a failure is
   * recorded for it; the caller tries again. */
  if (!(pixbuf == NULL && local_error->domain == G_IO_ERROR) &&
      !file_unchanged (file, info, cancellable))
    {
      g_debug ("%s changed while its thumbnail was made", filename);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("“%s” changed while its thumbnail was being made"), display_name);
      return NULL;
    }

  if (pixbuf == NULL)
    {
      if (local_error->domain == G_IO_ERROR || incomplete)
        {
          /* Not the file's fault (cancelled, vanished, unreadable), or not
           * for good (it ends before its image data, as while it is still
           * being written): no record. */
          if (local_error->domain == G_IO_ERROR)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error_literal (error, CAPA_THUMBNAIL_ERROR, CAPA_THUMBNAIL_ERROR_FAILED,
                                 local_error->message);
          return NULL;
        }
      else
        {
          g_autoptr(GdkPixbuf) marker = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 1, 1);
          g_autoptr(GError) write_error = NULL;

          /* Read completely, unchanged, and still undecodable: record it,
           * so no program following the standard tries again until the
           * file changes. */
          gdk_pixbuf_fill (marker, 0);
          if (!write_png (marker, failures, basename, uri, mtime,
                          g_file_info_get_size (info), 0, 0, &write_error))
            g_debug ("Cannot record the failure for %s: %s", filename, write_error->message);

          /* CapaImage's message already names the file and the fault. */
          g_set_error_literal (error, CAPA_THUMBNAIL_ERROR, CAPA_THUMBNAIL_ERROR_FAILED,
                               local_error->message);
          return NULL;
        }
    }

  if (icc != NULL)
    convert_to_srgb (pixbuf, icc, filename);

  {
    g_autoptr(GError) write_error = NULL;

    if (!write_png (pixbuf, folder, basename, uri, mtime, g_file_info_get_size (info),
                    image_width, image_height, &write_error))
      g_debug ("Cannot save the thumbnail of %s: %s", filename, write_error->message);
  }

  return g_steal_pointer (&pixbuf);
}

/* Makes the thumbnail and keeps it in memory, again when @filename was
 * invalidated (or changed) while it was being made, so that a thumbnail of
 * the file as it was before never lands in the memory cache. */
static GdkPixbuf *
make_and_store (CapaThumbnailer    *self,
                const char         *filename,
                CapaThumbnailSize   size,
                GCancellable       *cancellable,
                GError            **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GError) local_error = NULL;
      guint64 generation;
      gboolean stale;

      generation = job_begin (self, filename);
      pixbuf = make_thumbnail (self, filename, size, cancellable, &local_error);
      call_hook (self, CAPA_TESTING_THUMBNAILER_HOOK_MADE, filename);
      if (pixbuf != NULL)
        stale = !memory_insert (self, filename, size, pixbuf, generation);
      else
        stale = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_BUSY);
      stale |= job_end (self, filename, generation);

      if (!stale || attempt == MAX_ATTEMPTS ||
          g_cancellable_is_cancelled (cancellable))
        {
          if (pixbuf == NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else if (stale)
            g_debug ("%s keeps changing: its thumbnail is not kept in memory", filename);
          return g_steal_pointer (&pixbuf);
        }

      g_debug ("%s changed while its thumbnail was made: making it again", filename);
    }
}

/* --- the bounded worker pool and its priority queue --- */

static void
worker_func (gpointer data,
             gpointer user_data)
{
  CapaThumbnailer *self = data;      /* a reference owned by this job */
  Request *request = NULL;
  GSequenceIter *first;

  g_mutex_lock (&self->mutex);
  while (self->paused)
    g_cond_wait (&self->cond, &self->mutex);
  first = g_sequence_get_begin_iter (self->queue);
  if (!g_sequence_iter_is_end (first))
    {
      request = g_sequence_get (first);
      g_sequence_remove (first);
      request->iter = NULL;
      if (self->started != NULL)
        g_ptr_array_add (self->started, g_strdup (request->filename));
    }
  g_mutex_unlock (&self->mutex);

  if (request != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (request->task);
      g_autoptr(GError) error = NULL;
      GdkPixbuf *pixbuf;
      int running = g_atomic_int_add (&self->n_running, 1) + 1;
      int max_running = g_atomic_int_get (&self->max_running);

      while (running > max_running &&
             !g_atomic_int_compare_and_exchange (&self->max_running, max_running, running))
        max_running = g_atomic_int_get (&self->max_running);

      /* Taken: a cancellation is now the decoder's business. Destroying
       * the source drops its reference on the request. */
      if (request->cancel_source != NULL)
        g_source_destroy (request->cancel_source);

      pixbuf = make_and_store (self, request->filename, request->size, cancellable, &error);
      if (pixbuf != NULL)
        g_task_return_pointer (request->task, pixbuf, g_object_unref);
      else
        g_task_return_error (request->task, g_steal_pointer (&error));

      g_atomic_int_add (&self->n_running, -1);
      request_unref (request);
    }

  g_object_unref (self);
}

/* In the request's main context: a queued request whose cancellable
 * fires leaves the queue at once and is never decoded. */
static gboolean
on_request_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  Request *request = user_data;
  CapaThumbnailer *self = g_task_get_source_object (request->task);
  gboolean dequeued = FALSE;

  g_mutex_lock (&self->mutex);
  if (request->iter != NULL)
    {
      g_sequence_remove (request->iter);
      request->iter = NULL;
      dequeued = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  if (dequeued)
    {
      g_task_return_new_error (request->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s", _("The thumbnail request was cancelled"));
      request_unref (request);      /* the queue's reference */
    }

  return G_SOURCE_REMOVE;
}

static void
capa_thumbnailer_finalize (GObject *object)
{
  CapaThumbnailer *self = CAPA_THUMBNAILER (object);

  /* Every queued job holds a reference, so no job is left but, maybe,
   * the one running this: do not wait for it. */
  g_thread_pool_free (self->pool, TRUE, FALSE);

  g_sequence_free (self->queue);
  g_hash_table_destroy (self->memory_index);
  g_hash_table_destroy (self->in_flight);
  g_queue_clear_full (&self->memory_lru, (GDestroyNotify) memory_entry_free);
  g_clear_pointer (&self->started, g_ptr_array_unref);
  g_free (self->cache_dir);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (capa_thumbnailer_parent_class)->finalize (object);
}

static void
capa_thumbnailer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CapaThumbnailer *self = CAPA_THUMBNAILER (object);

  switch (prop_id)
    {
    case PROP_MAX_MEMORY:
      g_value_set_uint64 (value, self->max_memory);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_thumbnailer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CapaThumbnailer *self = CAPA_THUMBNAILER (object);

  switch (prop_id)
    {
    case PROP_MAX_MEMORY:
      self->max_memory = (gsize) MIN (g_value_get_uint64 (value), (guint64) G_MAXSIZE);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_thumbnailer_class_init (CapaThumbnailerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_thumbnailer_finalize;
  object_class->get_property = capa_thumbnailer_get_property;
  object_class->set_property = capa_thumbnailer_set_property;

  /**
   * CapaThumbnailer:max-memory:
   *
   * How many bytes of decoded thumbnails are kept in memory; the least
   * recently used ones are dropped beyond that.
   */
  properties[PROP_MAX_MEMORY] =
    g_param_spec_uint64 ("max-memory", NULL, NULL,
                         0, G_MAXUINT64, DEFAULT_MAX_MEMORY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_thumbnailer_init (CapaThumbnailer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->max_memory = DEFAULT_MAX_MEMORY;
  self->queue = g_sequence_new (NULL);
  self->memory_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cache_dir = g_build_filename (g_get_user_cache_dir (), "thumbnails", NULL);
  self->pool = g_thread_pool_new (worker_func, NULL, (int) g_get_num_processors (), FALSE, NULL);
}

/**
 * capa_thumbnail_size_get_pixels:
 * @size: a #CapaThumbnailSize
 *
 * Returns: the longest side, in pixels, of thumbnails of @size
 */
int
capa_thumbnail_size_get_pixels (CapaThumbnailSize size)
{
  static const int pixels[] = { 128, 256, 512 };

  g_return_val_if_fail (size <= CAPA_THUMBNAIL_SIZE_X_LARGE, 128);

  return pixels[size];
}

/**
 * capa_thumbnailer_new:
 * @max_memory_bytes: how many bytes of decoded thumbnails to keep in memory
 *
 * Creates a thumbnailer. Thumbnails are made on a pool of one thread per
 * processor core, stored in the user's thumbnail cache (shared with the
 * desktop's file manager) and the most recently used are kept in memory.
 *
 * Returns: (transfer full): a new #CapaThumbnailer
 */
CapaThumbnailer *
capa_thumbnailer_new (gsize max_memory_bytes)
{
  return g_object_new (CAPA_TYPE_THUMBNAILER,
                       "max-memory", (guint64) max_memory_bytes,
                       NULL);
}

/**
 * capa_thumbnailer_get_default:
 *
 * Gets the thumbnailer shared by the whole process, which keeps up to
 * 64 MiB of thumbnails in memory.
 *
 * Returns: (transfer none): the default #CapaThumbnailer
 */
CapaThumbnailer *
capa_thumbnailer_get_default (void)
{
  static CapaThumbnailer *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, capa_thumbnailer_new (DEFAULT_MAX_MEMORY));

  return instance;
}

/**
 * capa_thumbnailer_get_max_memory:
 * @self: a #CapaThumbnailer
 *
 * Returns: the byte budget of the in-memory cache
 */
gsize
capa_thumbnailer_get_max_memory (CapaThumbnailer *self)
{
  g_return_val_if_fail (CAPA_IS_THUMBNAILER (self), 0);

  return self->max_memory;
}

/**
 * capa_thumbnailer_get_thumbnail_path:
 * @self: a #CapaThumbnailer
 * @filename: (type filename): the path of an image
 * @size: a thumbnail size
 *
 * Computes where the thumbnail of @filename at @size is stored:
 * `$XDG_CACHE_HOME/thumbnails/SIZE/MD5.png`, MD5 being the checksum of the
 * file's URI. The file may not exist.
 *
 * Returns: (transfer full) (type filename): the thumbnail's path
 */
char *
capa_thumbnailer_get_thumbnail_path (CapaThumbnailer   *self,
                                     const char        *filename,
                                     CapaThumbnailSize  size)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (CAPA_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (size <= CAPA_THUMBNAIL_SIZE_X_LARGE, NULL);

  file = g_file_new_for_path (filename);
  uri = g_file_get_uri (file);
  basename = thumbnail_basename (uri);

  return g_build_filename (self->cache_dir, size_folders[size], basename, NULL);
}

/**
 * capa_thumbnailer_invalidate:
 * @self: a #CapaThumbnailer
 * @filename: (type filename): the path of an image that changed
 *
 * Drops the thumbnails of @filename kept in memory, so the next request
 * checks the file again (and makes a new thumbnail if it changed). Call it
 * when a file is known to have changed, such as from a file monitor. A
 * thumbnail of @filename being made at the time is made again rather than
 * kept.
 */
void
capa_thumbnailer_invalidate (CapaThumbnailer *self,
                             const char      *filename)
{
  GSList *evicted = NULL;
  FileState *state;

  g_return_if_fail (CAPA_IS_THUMBNAILER (self));
  g_return_if_fail (filename != NULL);

  g_mutex_lock (&self->mutex);
  state = g_hash_table_lookup (self->in_flight, filename);
  if (state != NULL)
    state->generation++;
  for (CapaThumbnailSize size = CAPA_THUMBNAIL_SIZE_NORMAL;
       size <= CAPA_THUMBNAIL_SIZE_X_LARGE;
       size++)
    {
      g_autofree char *key = memory_key (filename, size);
      GList *link = g_hash_table_lookup (self->memory_index, key);

      if (link != NULL)
        memory_remove_link_locked (self, link, &evicted);
    }
  g_mutex_unlock (&self->mutex);

  g_slist_free_full (evicted, (GDestroyNotify) memory_entry_free);
}

/**
 * capa_thumbnailer_reprioritize:
 * @self: a #CapaThumbnailer
 * @filename: (type filename): the path of an image
 * @priority: the new priority (lower values are served first)
 *
 * Changes the priority of the requests for @filename that are still
 * waiting in the queue, such as when a film strip scrolls and other items
 * become visible. Requests already being made are not affected.
 *
 * Returns: how many waiting requests were changed
 */
guint
capa_thumbnailer_reprioritize (CapaThumbnailer *self,
                               const char      *filename,
                               int              priority)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  GSequenceIter *iter;

  g_return_val_if_fail (CAPA_IS_THUMBNAILER (self), 0);
  g_return_val_if_fail (filename != NULL, 0);

  g_mutex_lock (&self->mutex);

  for (iter = g_sequence_get_begin_iter (self->queue);
       !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    {
      Request *request = g_sequence_get (iter);

      if (request->priority != priority && g_str_equal (request->filename, filename))
        g_ptr_array_add (matches, request);
    }

  for (guint i = 0; i < matches->len; i++)
    {
      Request *request = g_ptr_array_index (matches, i);

      request->priority = priority;
      g_sequence_sort_changed (request->iter, compare_requests, NULL);
    }

  g_mutex_unlock (&self->mutex);

  return matches->len;
}

/**
 * capa_thumbnailer_load_async:
 * @self: a #CapaThumbnailer
 * @filename: (type filename): the path of an image
 * @size: the thumbnail size
 * @priority: the request's priority: lower values are served first, as
 *   with %G_PRIORITY_DEFAULT and %G_PRIORITY_HIGH (give visible items a
 *   lower value than the others)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the thumbnail is ready
 * @user_data: data for @callback
 *
 * Gets the thumbnail of @filename: from memory when it was recently used,
 * else from the shared thumbnail cache when it is still valid (same URI and
 * modification time), else made from the image on a worker thread and
 * saved in the cache.
 *
 * Requests wait in a queue ordered by @priority, then by arrival; a request
 * cancelled while it waits leaves the queue at once, without decoding.
 */
void
capa_thumbnailer_load_async (CapaThumbnailer     *self,
                             const char          *filename,
                             CapaThumbnailSize    size,
                             int                  priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  Request *request;

  g_return_if_fail (CAPA_IS_THUMBNAILER (self));
  g_return_if_fail (filename != NULL);
  g_return_if_fail (size <= CAPA_THUMBNAIL_SIZE_X_LARGE);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_thumbnailer_load_async);
  g_task_set_priority (task, priority);

  if (g_task_return_error_if_cancelled (task))
    return;

  pixbuf = memory_lookup (self, filename, size);
  if (pixbuf != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
      return;
    }

  request = g_new0 (Request, 1);
  g_atomic_ref_count_init (&request->ref_count);
  request->task = g_steal_pointer (&task);
  request->filename = g_strdup (filename);
  request->size = size;
  request->priority = priority;

  /* The source holds a reference on the request, and the request on the
   * source: whichever of the worker and the callback comes first breaks
   * the cycle by destroying the source. It is attached before the request
   * is queued, so a worker never sees an unattached source. */
  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source,
                             G_SOURCE_FUNC (on_request_cancelled_cb),
                             request_ref (request), (GDestroyNotify) request_unref);
      g_source_attach (request->cancel_source, g_task_get_context (request->task));
    }

  g_mutex_lock (&self->mutex);
  request->serial = self->next_serial++;
  request->iter = g_sequence_insert_sorted (self->queue, request, compare_requests, NULL);
  g_mutex_unlock (&self->mutex);

  g_thread_pool_push (self->pool, g_object_ref (self), NULL);
}

/**
 * capa_thumbnailer_load_finish:
 * @self: a #CapaThumbnailer
 * @result: the #GAsyncResult given to the callback
 *
 * Finishes [method@Capa.Thumbnailer.load_async].
 *
 * Returns: (transfer full): the thumbnail, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED, %G_IO_ERROR_NOT_FOUND, %G_IO_ERROR_BUSY for a
 *   file that kept changing while it was read, or a %CAPA_THUMBNAIL_ERROR
 *   for a file that cannot be decoded; only a file read completely and
 *   unchanged is recorded as failed in the shared cache)
 */
GdkPixbuf *
capa_thumbnailer_load_finish (CapaThumbnailer  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (CAPA_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == capa_thumbnailer_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * capa_thumbnailer_load:
 * @self: a #CapaThumbnailer
 * @filename: (type filename): the path of an image
 * @size: the thumbnail size
 * @cancellable: (nullable): a #GCancellable
 *
 * Gets the thumbnail of @filename on the calling thread, blocking: the
 * twin of [method@Capa.Thumbnailer.load_async] for scripts and worker
 * threads. Never call it from the main thread of an application.
 *
 * Returns: (transfer full): the thumbnail, or %NULL with @error set
 */
GdkPixbuf *
capa_thumbnailer_load (CapaThumbnailer    *self,
                       const char         *filename,
                       CapaThumbnailSize   size,
                       GCancellable       *cancellable,
                       GError            **error)
{
  GdkPixbuf *pixbuf;

  g_return_val_if_fail (CAPA_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (size <= CAPA_THUMBNAIL_SIZE_X_LARGE, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pixbuf = memory_lookup (self, filename, size);
  if (pixbuf != NULL)
    return pixbuf;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return make_and_store (self, filename, size, cancellable, error);
}

/* Testing API (capa-testing-private.h), down to the end of the file. */

guint
_capa_testing_thumbnailer_get_n_decoded (CapaThumbnailer *self)
{
  g_assert (CAPA_IS_THUMBNAILER (self));

  return (guint) g_atomic_int_get (&self->n_decoded);
}

gsize
_capa_testing_thumbnailer_get_memory_used (CapaThumbnailer *self)
{
  gsize used;

  g_assert (CAPA_IS_THUMBNAILER (self));

  g_mutex_lock (&self->mutex);
  used = self->memory_used;
  g_mutex_unlock (&self->mutex);

  return used;
}

guint
_capa_testing_thumbnailer_get_n_cached (CapaThumbnailer *self)
{
  guint n;

  g_assert (CAPA_IS_THUMBNAILER (self));

  g_mutex_lock (&self->mutex);
  n = self->memory_lru.length;
  g_mutex_unlock (&self->mutex);

  return n;
}

void
_capa_testing_thumbnailer_set_paused (CapaThumbnailer *self,
                                      gboolean         paused)
{
  g_assert (CAPA_IS_THUMBNAILER (self));

  g_mutex_lock (&self->mutex);
  self->paused = !!paused;
  if (self->started == NULL)
    self->started = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

char **
_capa_testing_thumbnailer_dup_started (CapaThumbnailer *self)
{
  char **names;

  g_assert (CAPA_IS_THUMBNAILER (self));

  g_mutex_lock (&self->mutex);
  names = self->started ? g_strdupv ((char **) self->started->pdata) : g_new0 (char *, 1);
  g_mutex_unlock (&self->mutex);

  return names;
}

guint
_capa_testing_thumbnailer_get_max_running (CapaThumbnailer *self)
{
  g_assert (CAPA_IS_THUMBNAILER (self));

  return (guint) g_atomic_int_get (&self->max_running);
}

void
_capa_testing_thumbnailer_set_hook (CapaThumbnailer            *self,
                                    CapaTestingThumbnailerHook  hook,
                                    gpointer                    user_data)
{
  g_assert (CAPA_IS_THUMBNAILER (self));

  g_mutex_lock (&self->mutex);
  self->hook = hook;
  self->hook_data = user_data;
  g_mutex_unlock (&self->mutex);
}
