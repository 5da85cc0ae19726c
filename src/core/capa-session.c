/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Session"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-filename-private.h"
#include "capa-image-private.h"
#include "capa-session.h"
#include "capa-session-private.h"

/* Files listed per batch while loading; one items-changed per batch.  Each
 * batch is merged into the list on the main thread, and followed there by
 * the film strip: 250 keeps that step near 1 ms in a session of 10,000. */
#define LOAD_BATCH_SIZE 250

typedef struct
{
  CapaImage *image;
  char      *name;       /* file name in the folder, as on disk */
  char      *sort_key;   /* collation key of the name */
  gint64     time;       /* sort time in µs: the capture time, else the modification time */
} Entry;

static void capa_session_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CapaSession, capa_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      capa_session_list_model_init))

G_DEFINE_QUARK (capa-session-error-quark, capa_session_error)

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_FILENAME_PATTERN,
  PROP_LOADING,
  PROP_LOADED,
  N_PROPS,
};

enum {
  SIGNAL_IMAGE_ADDED,
  SIGNAL_IMAGE_REMOVED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- entries and their order --- */

static Entry *
entry_new (CapaImage  *image,
           const char *name,
           gint64      time)
{
  Entry *entry = g_new0 (Entry, 1);
  g_autofree char *display = g_filename_display_name (name);

  entry->image = g_object_ref (image);
  entry->name = g_strdup (name);
  entry->sort_key = g_utf8_collate_key_for_filename (display, -1);
  entry->time = time;

  return entry;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->image);
  g_free (entry->name);
  g_free (entry->sort_key);
  g_free (entry);
}

/* The one place that defines the order of a session: by capture time, then
 * by name.  The capture time is read from the file's EXIF without exiv2
 * (_capa_image_read_capture_time(), which agrees with
 * CapaImage:capture-time); files without one sort by their modification
 * time. */
static int
compare_entries (const Entry *a,
                 const Entry *b)
{
  if (a->time != b->time)
    return a->time < b->time ? -1 : 1;

  return strcmp (a->sort_key, b->sort_key);
}

static int
compare_entry_pointers (gconstpointer a,
                        gconstpointer b)
{
  return compare_entries (*(Entry * const *) a, *(Entry * const *) b);
}

/* @time in µs since the epoch. */
static gint64
date_time_to_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

/*
 * _capa_session_file_time:
 * @directory: the session folder
 * @info: a #GFileInfo of a file in it, with %CAPA_SESSION_FILE_ATTRIBUTES
 *
 * Reads the capture time of a file, at most its first 64 KiB: blocking, so
 * call it off the main thread.
 *
 * Returns: the time the file sorts by, in µs: its capture time, else its
 *   modification time
 */
gint64
_capa_session_file_time (const char *directory,
                         GFileInfo  *info)
{
  g_autofree char *path = g_build_filename (directory, g_file_info_get_name (info), NULL);
  g_autoptr(GDateTime) capture = _capa_image_read_capture_time (path);

  if (capture != NULL)
    return date_time_to_usec (capture);

  return (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) *
         G_USEC_PER_SEC +
         g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
}

/* The time a file saved with @data sorts by: its capture time, else now
 * (the time it is written).  Parses memory only, never reads a file; called
 * on the worker that saves, it keeps the main loop free of parsing. */
gint64
_capa_session_data_time (const guint8 *bytes,
                         gsize         size)
{
  g_autoptr(GDateTime) capture = NULL;

  capture = _capa_image_parse_capture_time (bytes, MIN (size, MAX_CAPTURE_TIME_READ), NULL);
  if (capture != NULL)
    return date_time_to_usec (capture);

  return g_get_real_time ();
}

/* The entry of @name in @directory, with its image (a new one when @image
 * is %NULL) and its collation key: safe on any thread, so that a worker
 * listing the folder makes its entries whole. */
static Entry *
entry_new_in (const char *directory,
              const char *name,
              gint64      time,
              CapaImage  *image)
{
  g_autoptr(CapaImage) new_image = NULL;

  if (image == NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      image = new_image = capa_image_new (path);
    }

  return entry_new (image, name, time);
}

/* Adds the entry of @info to @found (of Entry) if it is an image, with its
 * sort time.  Blocking: reads the file; called on the worker that lists the
 * folder, or by capa_session_load(). */
static void
find_image (const char *directory,
            GFileInfo  *info,
            GPtrArray  *found)
{
  const char *name = g_file_info_get_name (info);

  /* Links are followed: a dangling one is not an image. */
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return;
  if (!_capa_filename_is_image (name))
    return;

  g_ptr_array_add (found, entry_new_in (directory, name,
                                        _capa_session_file_time (directory, info), NULL));
}

static void
note_sequence_locked (CapaSession *self,
                      const char  *name)
{
  guint sequence;

  if (_capa_filename_match_sequence (self->sequence_regex, name, &sequence) &&
      sequence >= self->next_sequence)
    self->next_sequence = sequence + 1;
}

void
_capa_session_note_sequence (CapaSession *self,
                             const char  *name)
{
  g_mutex_lock (&self->mutex);
  note_sequence_locked (self, name);
  g_mutex_unlock (&self->mutex);
}

/* Adds the entries of @batch (taking them), sorted by compare_entries(),
 * as one items-changed.  Names already in the session are dropped.  Only
 * merges: the entries are made, and a batch sorted, where the folder is
 * read (on a worker thread while loading).  With @noted_regex (nullable),
 * the sequence numbers of @batch's names were matched there too, the
 * highest being @noted_highest (0 for none): taken unless the file-name
 * pattern changed since. */
static void
add_entries (CapaSession *self,
             GPtrArray   *batch,
             gboolean     emit_added,
             GRegex      *noted_regex,
             guint        noted_highest)
{
  g_autoptr(GPtrArray) added = NULL;
  guint old_len = self->entries->len;
  guint first_changed;
  guint i = old_len, j;

  /* Keep only new names, once each. */
  added = g_ptr_array_new_full (batch->len, entry_free);
  for (guint k = 0; k < batch->len; k++)
    {
      Entry *entry = g_ptr_array_index (batch, k);

      if (g_hash_table_contains (self->by_name, entry->name))
        {
          entry_free (entry);
          continue;
        }
      g_hash_table_insert (self->by_name, entry->name, entry);
      g_ptr_array_add (added, entry);
    }
  g_ptr_array_set_free_func (batch, NULL);
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_set_free_func (batch, entry_free);

  if (added->len == 0)
    return;

  g_mutex_lock (&self->mutex);
  if (noted_regex != NULL && noted_regex == self->sequence_regex)
    {
      if (noted_highest >= self->next_sequence)
        self->next_sequence = noted_highest + 1;
    }
  else
    {
      for (guint k = 0; k < added->len; k++)
        note_sequence_locked (self, ((Entry *) g_ptr_array_index (added, k))->name);
    }
  g_mutex_unlock (&self->mutex);

  /* Merge in place, from the end: each new entry, last first, goes after
   * the old ones that do not sort after it, found by binary search, and the
   * old ones after it move up by the new entries still to place.  A batch
   * costs O(k log n) comparisons plus block moves, even when its entries
   * land all over, and growing the array is amortised. */
  g_ptr_array_set_size (self->entries, old_len + added->len);
  for (j = added->len; j > 0; j--)
    {
      Entry *entry = g_ptr_array_index (added, j - 1);
      guint lo = 0, hi = i;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (compare_entries (entry, g_ptr_array_index (self->entries, mid)) < 0)
            hi = mid;
          else
            lo = mid + 1;
        }

      memmove (self->entries->pdata + lo + j, self->entries->pdata + lo,
               (i - lo) * sizeof (gpointer));
      self->entries->pdata[lo + j - 1] = entry;
      i = lo;
    }
  first_changed = i;
  g_ptr_array_set_free_func (added, NULL);

  if (added->len == 1)
    g_list_model_items_changed (G_LIST_MODEL (self), first_changed, 0, 1);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), first_changed,
                                old_len - first_changed,
                                self->entries->len - first_changed);

  if (emit_added)
    {
      /* Hold the images: a handler may remove them. */
      g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint k = 0; k < added->len; k++)
        g_ptr_array_add (images, g_object_ref (((Entry *) g_ptr_array_index (added, k))->image));
      for (guint k = 0; k < images->len; k++)
        g_signal_emit (self, signals[SIGNAL_IMAGE_ADDED], 0, g_ptr_array_index (images, k));
    }
}

/*
 * _capa_session_add_image:
 * @self: a #CapaSession
 * @name: a file name in the session folder
 * @time: the time it sorts by, in µs
 * @image: (nullable): its image, or %NULL to make one
 *
 * Adds an image to the model and emits #CapaSession::image-added, unless
 * @name is in the session already.
 *
 * Returns: (transfer none): the image of @name in the session
 */
CapaImage *
_capa_session_add_image (CapaSession *self,
                         const char  *name,
                         gint64       time,
                         CapaImage   *image)
{
  g_autoptr(GPtrArray) batch = NULL;
  Entry *entry = g_hash_table_lookup (self->by_name, name);

  if (entry != NULL)
    return entry->image;

  batch = g_ptr_array_new_full (1, entry_free);
  entry = entry_new_in (self->directory, name, time, image);
  image = entry->image;
  g_ptr_array_add (batch, entry);
  add_entries (self, batch, TRUE, NULL, 0);

  return image;
}

/*
 * _capa_session_remove_image:
 * @self: a #CapaSession
 * @name: a file name in the session folder
 *
 * Removes the image of @name, if any, and emits #CapaSession::image-removed.
 */
void
_capa_session_remove_image (CapaSession *self,
                            const char  *name)
{
  g_autoptr(CapaImage) image = NULL;
  Entry *entry = g_hash_table_lookup (self->by_name, name);
  guint position;

  if (entry == NULL)
    return;

  if (!g_ptr_array_find (self->entries, entry, &position))
    g_assert_not_reached ();

  image = g_object_ref (entry->image);
  g_hash_table_remove (self->by_name, name);
  g_ptr_array_remove_index (self->entries, position);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_signal_emit (self, signals[SIGNAL_IMAGE_REMOVED], 0, image);
}

/*
 * _capa_session_peek_image:
 * @self: a #CapaSession
 * @position: a place in the model
 *
 * Like g_list_model_get_item() without the reference, for walking the
 * model comparing images: no reference counting per image.
 *
 * Returns: (transfer none) (nullable): the image at @position, or %NULL
 *   past the end
 */
CapaImage *
_capa_session_peek_image (CapaSession *self,
                          guint        position)
{
  if (position >= self->entries->len)
    return NULL;

  return ((Entry *) g_ptr_array_index (self->entries, position))->image;
}

/*
 * _capa_session_has_image:
 * @self: a #CapaSession
 * @image: an image
 *
 * Whether @image is in the session, found by its name rather than by a
 * walk over the model.
 */
gboolean
_capa_session_has_image (CapaSession *self,
                         CapaImage   *image)
{
  g_autofree char *name = g_path_get_basename (capa_image_get_filename (image));
  Entry *entry = g_hash_table_lookup (self->by_name, name);

  return entry != NULL && entry->image == image;
}

static void
remove_all (CapaSession *self)
{
  guint n = self->entries->len;

  if (n == 0)
    return;

  g_hash_table_remove_all (self->by_name);
  g_ptr_array_set_size (self->entries, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

/* A save made the folder: watch it if loading found it missing. */
void
_capa_session_folder_exists (CapaSession *self)
{
  if (self->loaded && self->monitor == NULL)
    _capa_session_watch (self);
}

/* Makes the name of a new file for a shot taken at @time, claiming the
 * next sequence number when @claim. */
char *
_capa_session_make_next_name (CapaSession *self,
                              const char  *camera_name,
                              const char  *camera_tag,
                              const char  *mime_type,
                              GDateTime   *time,
                              gboolean     claim)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *pattern = NULL;
  guint sequence;

  if (time == NULL)
    time = now = g_date_time_new_now_local ();

  g_mutex_lock (&self->mutex);
  pattern = g_strdup (self->filename_pattern);
  sequence = self->next_sequence;
  if (claim && _capa_filename_pattern_has_sequence (pattern))
    self->next_sequence++;
  g_mutex_unlock (&self->mutex);

  return _capa_filename_expand_tagged (pattern, time, sequence, camera_name, camera_tag,
                                       mime_type);
}

/* @name without its extension, with the "-@suffix" it would take. */
static char *
stem_with_suffix (const char *name,
                  guint       suffix)
{
  g_autofree char *named = suffix > 0 ? _capa_filename_with_suffix (name, suffix)
                                      : g_strdup (name);
  const char *dot = strrchr (named, '.');

  return dot != NULL && dot != named ? g_strndup (named, dot - named) : g_strdup (named);
}

/* The first file of a shot named @name by a pattern without %n: the first
 * suffix (0 for none) whose base name no other recent shot holds, now
 * held by this one.  Called with the mutex held. */
static guint
hold_shot_stem (CapaSession *self,
                const char  *name)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;
  guint suffix = 0;
  gint64 *until;
  char *stem;

  g_hash_table_iter_init (&iter, self->shot_stems);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(gint64 *) value <= now)
      g_hash_table_iter_remove (&iter);

  for (stem = stem_with_suffix (name, suffix);
       g_hash_table_contains (self->shot_stems, stem) && suffix < CAPA_SESSION_MAX_SUFFIX;
       stem = stem_with_suffix (name, suffix))
    {
      g_free (stem);
      suffix++;
    }

  until = g_new (gint64, 1);
  *until = now + CAPA_SESSION_SHOT_STEM_HOLD_US;
  g_hash_table_replace (self->shot_stems, stem, until);
  return suffix;
}

/* The name of the next file of @shot: the first file of a shot claims a
 * sequence number and a time, the others reuse them, so that every file
 * of the shot has one base name. */
char *
_capa_session_make_shot_name (CapaSession     *self,
                              CapaSessionShot *shot,
                              const char      *camera_name,
                              const char      *mime_type,
                              GDateTime       *time)
{
  g_autofree char *pattern = NULL;
  g_autoptr(GDateTime) shot_time = NULL;
  g_autofree char *name = NULL;
  guint sequence;
  guint suffix;

  g_mutex_lock (&self->mutex);
  pattern = g_strdup (self->filename_pattern);
  if (shot->time == NULL)
    {
      shot->time = g_date_time_ref (time);
      shot->sequence = self->next_sequence;
      if (_capa_filename_pattern_has_sequence (pattern))
        self->next_sequence++;
      else
        {
          /* Another camera's shot may make the same names now. */
          g_autofree char *first = _capa_filename_expand_tagged (pattern, shot->time, 0,
                                                                 camera_name, shot->camera_tag,
                                                                 mime_type);

          shot->suffix = hold_shot_stem (self, first);
        }
    }
  shot_time = g_date_time_ref (shot->time);
  sequence = shot->sequence;
  suffix = shot->suffix;
  g_mutex_unlock (&self->mutex);

  name = _capa_filename_expand_tagged (pattern, shot_time, sequence, camera_name,
                                       shot->camera_tag, mime_type);
  /* The first file of the shot took a "-N" suffix: so do the others. */
  if (suffix > 0)
    return _capa_filename_with_suffix (name, suffix);
  return g_steal_pointer (&name);
}

/* --- loading --- */

static void
set_loading (CapaSession *self,
             gboolean     loading,
             gboolean     loaded)
{
  loading = !!loading;
  loaded = !!loaded;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->loading != loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  if (self->loaded != loaded)
    {
      self->loaded = loaded;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
load_begin (CapaSession *self)
{
  set_loading (self, TRUE, FALSE);
  remove_all (self);

  /* Watch before listing, so nothing added meanwhile is missed. */
  _capa_session_watch (self);
}

static void on_enumerate_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

/* The folder watched: it is listed now. */
static void
on_watched_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CapaSession *self = CAPA_SESSION (object);
  GTask *task = user_data;

  _capa_session_watch_finish (self, result);
  g_file_enumerate_children_async (self->directory_file, CAPA_SESSION_FILE_ATTRIBUTES,
                                   G_FILE_QUERY_INFO_NONE, G_PRIORITY_LOW,
                                   g_task_get_cancellable (task), on_enumerate_cb, task);
}

/* Adds the entries of @found, sorted by compare_entries(), to the session
 * as one batch; @regex and @highest as for add_entries(). */
static void
load_add_found (CapaSession *self,
                GPtrArray   *found,
                GRegex      *regex,
                guint        highest)
{
  add_entries (self, found, FALSE, regex, highest);
}

typedef struct
{
  GFileEnumerator *enumerator;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->enumerator);
  g_free (load);
}

static void
load_fail (GTask  *task,
           GError *error)
{
  CapaSession *self = g_task_get_source_object (task);

  set_loading (self, FALSE, FALSE);
  g_task_return_error (task, error);
}

static void
sequence_now_known (CapaSession *self)
{
  g_mutex_lock (&self->mutex);
  self->sequence_known = TRUE;
  g_mutex_unlock (&self->mutex);
}

static void
load_succeed (GTask *task)
{
  CapaSession *self = g_task_get_source_object (task);

  sequence_now_known (self);
  g_debug ("Loaded %u images from %s", self->entries->len, self->directory);
  set_loading (self, FALSE, TRUE);
  g_task_return_boolean (task, TRUE);
}

/* One batch of the folder, read on a worker thread. */
typedef struct
{
  char            *directory;
  GFileEnumerator *enumerator;
  GPtrArray       *found;        /* Entry, sorted once read */
  GRegex          *regex;        /* the session's sequence regex when asked for, nullable */
  guint            highest;      /* the highest sequence number of found's names, or 0 */
  gboolean         end;          /* the folder has no more files */
} Batch;

static void
batch_free (gpointer data)
{
  Batch *batch = data;

  g_free (batch->directory);
  g_clear_object (&batch->enumerator);
  g_clear_pointer (&batch->found, g_ptr_array_unref);
  g_clear_pointer (&batch->regex, g_regex_unref);
  g_free (batch);
}

static void
batch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Batch *batch = task_data;
  GError *error = NULL;

  for (guint n = 0; n < LOAD_BATCH_SIZE; n++)
    {
      g_autoptr(GFileInfo) info = g_file_enumerator_next_file (batch->enumerator, cancellable,
                                                               &error);

      if (info == NULL)
        {
          if (error != NULL)
            {
              g_task_return_error (task, error);
              return;
            }
          batch->end = TRUE;
          break;
        }

      find_image (batch->directory, info, batch->found);
    }

  /* Whole entries, sorted, their sequence numbers matched: the main
   * thread only merges them. */
  g_ptr_array_sort (batch->found, compare_entry_pointers);
  for (guint k = 0; k < batch->found->len; k++)
    {
      guint sequence;

      if (_capa_filename_match_sequence (batch->regex,
                                         ((Entry *) g_ptr_array_index (batch->found, k))->name,
                                         &sequence))
        batch->highest = MAX (batch->highest, sequence);
    }
  g_task_return_boolean (task, TRUE);
}

static void on_batch_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

/* Lists and reads the next batch of files on a worker thread. */
static void
read_next_batch (GTask *task)
{
  CapaSession *self = g_task_get_source_object (task);
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(GTask) batch_task = NULL;
  Batch *batch;

  batch = g_new0 (Batch, 1);
  batch->directory = g_strdup (self->directory);
  batch->enumerator = g_object_ref (load->enumerator);
  batch->found = g_ptr_array_new_with_free_func (entry_free);
  g_mutex_lock (&self->mutex);
  if (self->sequence_regex != NULL)
    batch->regex = g_regex_ref (self->sequence_regex);
  g_mutex_unlock (&self->mutex);

  /* The worker may drop its reference to this task last, so it holds the
   * session only through @task, released in the main context. */
  batch_task = g_task_new (NULL, g_task_get_cancellable (task), on_batch_cb, g_object_ref (task));
  g_task_set_source_tag (batch_task, batch_thread);
  g_task_set_priority (batch_task, G_PRIORITY_LOW);
  g_task_set_task_data (batch_task, batch, batch_free);
  g_task_run_in_thread (batch_task, batch_thread);
}

static void
on_batch_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CapaSession *self = g_task_get_source_object (task);
  Batch *batch = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      load_fail (task, error);
      return;
    }

  /* The worker reads the next batch while this one joins the model. */
  if (!batch->end)
    read_next_batch (task);

  load_add_found (self, batch->found, batch->regex, batch->highest);

  if (batch->end)
    load_succeed (task);
}

static void
on_enumerate_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;

  load->enumerator = g_file_enumerate_children_finish (G_FILE (object), result, &error);
  if (load->enumerator == NULL)
    {
      /* A folder not made yet is an empty session; the first save makes it. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          CapaSession *self = g_task_get_source_object (task);

          /* Watched once a save makes it. */
          _capa_session_unwatch (self);
          g_clear_error (&error);
          load_succeed (task);
        }
      else
        load_fail (task, error);
      return;
    }

  read_next_batch (task);
}

/* --- GObject --- */

static GType
capa_session_get_item_type (GListModel *model)
{
  return CAPA_TYPE_IMAGE;
}

static guint
capa_session_get_n_items (GListModel *model)
{
  CapaSession *self = CAPA_SESSION (model);

  return self->entries->len;
}

static gpointer
capa_session_get_item (GListModel *model,
                       guint       position)
{
  CapaSession *self = CAPA_SESSION (model);
  Entry *entry;

  if (position >= self->entries->len)
    return NULL;

  entry = g_ptr_array_index (self->entries, position);
  return g_object_ref (entry->image);
}

static void
capa_session_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = capa_session_get_item_type;
  iface->get_n_items = capa_session_get_n_items;
  iface->get_item = capa_session_get_item;
}

static void
capa_session_constructed (GObject *object)
{
  CapaSession *self = CAPA_SESSION (object);
  char *directory;

  G_OBJECT_CLASS (capa_session_parent_class)->constructed (object);

  /* An absolute, tidy path: images' file names are built from it. */
  directory = g_canonicalize_filename (self->directory != NULL ? self->directory : ".", NULL);
  g_free (self->directory);
  self->directory = directory;
  self->directory_file = g_file_new_for_path (self->directory);
}

static void
capa_session_dispose (GObject *object)
{
  CapaSession *self = CAPA_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  _capa_session_unwatch (self);
  g_hash_table_remove_all (self->pending);

  G_OBJECT_CLASS (capa_session_parent_class)->dispose (object);
}

static void
capa_session_finalize (GObject *object)
{
  CapaSession *self = CAPA_SESSION (object);

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->directory_file);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->filename_pattern, g_free);
  g_clear_pointer (&self->sequence_regex, g_regex_unref);
  g_clear_pointer (&self->suffixes, g_hash_table_unref);
  g_clear_pointer (&self->shot_stems, g_hash_table_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (capa_session_parent_class)->finalize (object);
}

static void
capa_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CapaSession *self = CAPA_SESSION (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;

    case PROP_FILENAME_PATTERN:
      g_mutex_lock (&self->mutex);
      g_value_set_string (value, self->filename_pattern);
      g_mutex_unlock (&self->mutex);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CapaSession *self = CAPA_SESSION (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;

    case PROP_FILENAME_PATTERN:
      capa_session_set_filename_pattern (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_session_class_init (CapaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = capa_session_constructed;
  object_class->dispose = capa_session_dispose;
  object_class->finalize = capa_session_finalize;
  object_class->get_property = capa_session_get_property;
  object_class->set_property = capa_session_set_property;

  /**
   * CapaSession:directory: (type filename)
   *
   * The session folder, as an absolute path. It is created, with its
   * parents, when the first image is saved.
   */
  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaSession:filename-pattern:
   *
   * The pattern new file names are made from: `%n` is a sequence number
   * (four digits at least, counting on from the highest number already in
   * the folder), `%f` the camera's own name for the file, `%%` a percent
   * sign, and every other field a date field of
   * [method@GLib.DateTime.format] (`%Y`, `%m`, `%d`, `%H`, `%M`, `%S`...)
   * for the time of the shot. The extension is the camera file's.
   *
   * Whatever the pattern and the camera's names, the result is always a
   * single file name inside the session folder. Setting %NULL or an empty
   * string restores the default, "capa-%Y%m%d-%n".
   */
  properties[PROP_FILENAME_PATTERN] =
    g_param_spec_string ("filename-pattern", NULL, NULL,
                         CAPA_FILENAME_DEFAULT_PATTERN,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaSession:loading:
   *
   * Whether the images of the folder are being listed.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaSession:loaded:
   *
   * Whether the images already in the folder have all been listed.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaSession::image-added:
   * @self: a #CapaSession
   * @image: the new image
   *
   * Emitted when an image joins the session after it was loaded: saved by
   * the session, or put into the folder by another program. Images found
   * while loading are reported through [signal@Gio.ListModel::items-changed]
   * only.
   */
  signals[SIGNAL_IMAGE_ADDED] =
    g_signal_new ("image-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_IMAGE);

  /**
   * CapaSession::image-removed:
   * @self: a #CapaSession
   * @image: the image that left
   *
   * Emitted when an image file was deleted from the session folder, or
   * moved out of it.
   */
  signals[SIGNAL_IMAGE_REMOVED] =
    g_signal_new ("image-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_IMAGE);
}

static void
capa_session_init (CapaSession *self)
{
  g_mutex_init (&self->mutex);
  self->suffixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->shot_stems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->main_context = g_main_context_ref_thread_default ();
  self->thread = g_thread_self ();
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending = _capa_session_pending_new ();
  self->cancellable = g_cancellable_new ();
  self->filename_pattern = g_strdup (CAPA_FILENAME_DEFAULT_PATTERN);
  self->sequence_regex = _capa_filename_sequence_regex (self->filename_pattern);
  self->next_sequence = 1;
}

/* --- public API --- */

/**
 * capa_session_new:
 * @directory: (type filename): the session folder; it need not exist yet
 *
 * Creates a session for @directory. Call [method@Capa.Session.load_async]
 * to list the images already there and watch the folder for changes.
 *
 * Returns: (transfer full): a new #CapaSession
 */
CapaSession *
capa_session_new (const char *directory)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return g_object_new (CAPA_TYPE_SESSION,
                       "directory", directory,
                       NULL);
}

/**
 * capa_session_get_directory:
 * @self: a #CapaSession
 *
 * Returns: (transfer none) (type filename): the absolute path of the
 *   session folder
 */
const char *
capa_session_get_directory (CapaSession *self)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);

  return self->directory;
}

/**
 * capa_session_get_filename_pattern:
 * @self: a #CapaSession
 *
 * Returns: (transfer none): the pattern of new file names; see
 *   [property@Capa.Session:filename-pattern]
 */
const char *
capa_session_get_filename_pattern (CapaSession *self)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);

  return self->filename_pattern;
}

/**
 * capa_session_validate_filename_pattern:
 * @pattern: (nullable): a file-name pattern, or %NULL or empty for the
 *   default
 * @error: return location for a #GError, or %NULL
 *
 * Checks @pattern before it is given to
 * capa_session_set_filename_pattern(), so that the user can be told what
 * is wrong with it while typing it: an unknown field or a lone `%`, a path
 * separator or a control character, text that is not UTF-8, or a pattern
 * that makes no name once leading and trailing dots and spaces are
 * removed.
 *
 * A session still accepts a pattern this function refuses: a capture
 * never goes unsaved for its pattern, an unknown field is kept as written
 * and unsafe characters become `_`.
 *
 * Returns: %TRUE if @pattern is valid; otherwise %FALSE, with @error set
 *   to %CAPA_SESSION_ERROR_INVALID_NAME and a message saying what is wrong
 *   and how to write it instead
 */
gboolean
capa_session_validate_filename_pattern (const char  *pattern,
                                        GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _capa_filename_pattern_validate (pattern, error);
}

/**
 * capa_session_set_filename_pattern:
 * @self: a #CapaSession
 * @pattern: (nullable): the pattern of new file names, or %NULL for the
 *   default
 *
 * Sets [property@Capa.Session:filename-pattern]. The next sequence number
 * is found again among the images of the session.
 */
void
capa_session_set_filename_pattern (CapaSession *self,
                                   const char  *pattern)
{
  g_autofree char *old_pattern = NULL;

  g_return_if_fail (CAPA_IS_SESSION (self));
  g_return_if_fail (pattern == NULL || g_utf8_validate (pattern, -1, NULL));

  if (pattern == NULL || *pattern == '\0')
    pattern = CAPA_FILENAME_DEFAULT_PATTERN;

  g_mutex_lock (&self->mutex);
  if (g_strcmp0 (self->filename_pattern, pattern) == 0)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }

  old_pattern = g_steal_pointer (&self->filename_pattern);
  self->filename_pattern = g_strdup (pattern);
  g_clear_pointer (&self->sequence_regex, g_regex_unref);
  self->sequence_regex = _capa_filename_sequence_regex (pattern);
  self->next_sequence = 1;
  for (guint i = 0; i < self->entries->len; i++)
    note_sequence_locked (self, ((Entry *) g_ptr_array_index (self->entries, i))->name);
  /* Unless loaded, the next save looks at the folder's names again. */
  self->sequence_known = self->loaded;
  g_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILENAME_PATTERN]);
}

/**
 * capa_session_get_loading:
 * @self: a #CapaSession
 *
 * Returns: whether the images of the folder are being listed
 */
gboolean
capa_session_get_loading (CapaSession *self)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), FALSE);

  return self->loading;
}

/**
 * capa_session_get_loaded:
 * @self: a #CapaSession
 *
 * Returns: whether the images already in the folder have all been listed
 */
gboolean
capa_session_get_loaded (CapaSession *self)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), FALSE);

  return self->loaded;
}

/**
 * capa_session_get_images:
 * @self: a #CapaSession
 *
 * Gets the images of the session in their order (by capture time, then
 * name; see [method@Capa.Session.load_async]). The session is also a
 * [iface@Gio.ListModel] of the same images.
 *
 * Returns: (transfer container) (element-type CapaImage): the images
 */
GPtrArray *
capa_session_get_images (CapaSession *self)
{
  GPtrArray *images;

  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);

  images = g_ptr_array_sized_new (self->entries->len);
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (images, ((Entry *) g_ptr_array_index (self->entries, i))->image);

  return images;
}

/* The part of a file name before its extension. */
static gsize
stem_length (const char *name)
{
  const char *dot = strrchr (name, '.');

  return dot != NULL && dot != name ? (gsize) (dot - name) : strlen (name);
}

/**
 * capa_session_get_companions:
 * @self: a #CapaSession
 * @image: an image of the session
 *
 * Gets the other files of the shot @image belongs to: the images of the
 * session with the same name but another extension, such as
 * `DSC_0042.JPG` for `DSC_0042.NEF`. A camera set to RAW + JPEG makes such
 * pairs, and [class@Capa.Tether] saves them under one name (see
 * [method@Capa.Tether.capture_all_async]).
 *
 * Returns: (transfer container) (element-type CapaImage): the companions
 *   of @image, in the session's order; empty for an image alone, or one
 *   not in the session
 */
GPtrArray *
capa_session_get_companions (CapaSession *self,
                             CapaImage   *image)
{
  g_autofree char *name = NULL;
  GPtrArray *companions;
  gsize len;

  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);
  g_return_val_if_fail (CAPA_IS_IMAGE (image), NULL);

  companions = g_ptr_array_new ();
  name = g_path_get_basename (capa_image_get_filename (image));
  if (g_hash_table_lookup (self->by_name, name) == NULL)
    return companions;

  len = stem_length (name);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->image != image && stem_length (entry->name) == len &&
          strncmp (entry->name, name, len) == 0 && !g_str_equal (entry->name, name))
        g_ptr_array_add (companions, entry->image);
    }
  return companions;
}

/**
 * capa_session_dup_next_filename:
 * @self: a #CapaSession
 * @camera_name: (nullable): the camera's name for the file, such as
 *   "DSC_0042.NEF"
 * @mime_type: (nullable): the MIME type of the file
 *
 * Makes the file name the next saved image would get if it were saved
 * now, for showing to the user. It reads nothing from the disk: before
 * the session is loaded, a save may take a higher sequence number than
 * shown, after looking at the names in the folder. A "-1", "-2"... suffix
 * is added when saving if that name is taken by then.
 *
 * Returns: (transfer full) (type filename): a file name, without folder
 */
char *
capa_session_dup_next_filename (CapaSession *self,
                                const char  *camera_name,
                                const char  *mime_type)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), NULL);

  return _capa_session_make_next_name (self, camera_name, NULL, mime_type, NULL, FALSE);
}

/**
 * capa_session_load_async:
 * @self: a #CapaSession
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the folder is listed
 * @user_data: data for @callback
 *
 * Lists the images already in the session folder (JPEG, PNG, TIFF and
 * camera RAW files, by extension; hidden files are ignored) and starts
 * watching the folder for images that other programs add or remove.
 *
 * The images are sorted by capture time, then by name: the EXIF
 * `DateTimeOriginal` (the same time as [property@Capa.Image:capture-time])
 * of JPEG and TIFF-based RAW files, read from at most their first 64 KiB,
 * or the file's modification time when it has none. Images added later,
 * by a save or by another program, take their place by the same order.
 *
 * The folder is listed and the capture times read off the main thread in
 * batches, and each batch is added to the model at its sorted places with
 * one [signal@Gio.ListModel::items-changed], so thousands of images never
 * hold up the main loop. The order is final as each batch arrives: when
 * [property@Capa.Session:loaded] becomes %TRUE, every image is in place.
 * A folder that does not exist yet is an empty session. Loading again
 * lists the folder anew.
 *
 * Call it from the thread whose main context the session was created in.
 */
void
capa_session_load_async (CapaSession         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CAPA_IS_SESSION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_session_load_async);
  g_task_set_task_data (task, g_new0 (LoadData, 1), load_data_free);

  if (self->loading)
    {
      g_autofree char *folder = g_filename_display_name (self->directory);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The session folder “%s” is already being read"), folder);
      return;
    }

  set_loading (self, TRUE, FALSE);
  remove_all (self);

  /* Watch before listing, so nothing added meanwhile is missed; the watch
   * is made on a worker. */
  _capa_session_watch_async (self, cancellable, on_watched_cb, g_steal_pointer (&task));
}

/**
 * capa_session_load_finish:
 * @self: a #CapaSession
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Session.load_async].
 *
 * Returns: whether the folder was listed
 */
gboolean
capa_session_load_finish (CapaSession   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (CAPA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == capa_session_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * capa_session_load:
 * @self: a #CapaSession
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the images already in the session folder, in the same order, and
 * starts watching it, blocking until done (the capture times are read on
 * the calling thread): the blocking twin of
 * [method@Capa.Session.load_async], for scripts. Call it from the thread
 * whose main context the session was created in.
 *
 * Returns: whether the folder was listed
 */
gboolean
capa_session_load (CapaSession   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (entry_free);

  g_return_val_if_fail (CAPA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (self->loading)
    {
      g_autofree char *folder = g_filename_display_name (self->directory);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                   _("The session folder “%s” is already being read"), folder);
      return FALSE;
    }

  load_begin (self);

  enumerator = g_file_enumerate_children (self->directory_file, CAPA_SESSION_FILE_ATTRIBUTES,
                                          G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (enumerator == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          _capa_session_unwatch (self);
          sequence_now_known (self);
          set_loading (self, FALSE, TRUE);
          return TRUE;
        }
      set_loading (self, FALSE, FALSE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(GFileInfo) info = g_file_enumerator_next_file (enumerator, cancellable,
                                                               &local_error);

      if (info != NULL)
        {
          find_image (self->directory, info, found);
          if (found->len < LOAD_BATCH_SIZE)
            continue;
        }

      g_ptr_array_sort (found, compare_entry_pointers);
      load_add_found (self, found, NULL, 0);

      if (info == NULL)
        break;
    }

  if (local_error != NULL)
    {
      set_loading (self, FALSE, FALSE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  sequence_now_known (self);
  set_loading (self, FALSE, TRUE);
  return TRUE;
}
