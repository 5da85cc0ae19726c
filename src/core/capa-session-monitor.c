/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Watching a session folder for images other programs add or remove. */

#define G_LOG_DOMAIN "Capa-Session"

#include "config.h"

#include "capa-filename-private.h"
#include "capa-session-private.h"
#include "capa-testing-private.h"

/* How long a file created by another program must stay quiet before it is
 * added, unless its writer closes it first (CHANGES_DONE_HINT). */
#define CREATED_QUIET_MS 1500
#define DONE_QUIET_MS 200

typedef struct
{
  CapaSession *self;     /* borrowed: the table holding this is the session's */
  char        *name;
  GSource     *source;   /* waiting for the file to settle, or NULL: */
  guint64      serial;   /* the change being read; a later change bumps it */
} PendingFile;

/* Each change seen gets a new serial; a read whose file changed or went
 * meanwhile finds another serial, or no pending entry, and adds nothing. */
static guint64 last_serial;

static CapaTestingSessionReadHook read_hook;
static gpointer read_hook_data;

/*
 * _capa_testing_session_set_read_hook:
 * @hook: (nullable): called with %FALSE on the worker thread once a file
 *   that appeared has been read, before the result goes back to the main
 *   context; then with %TRUE in the main context once the result was used
 * @data: data for @hook
 *
 * Testing API (capa-testing-private.h): lets a test hold the read of a
 * new file while the folder changes.
 */
void
_capa_testing_session_set_read_hook (CapaTestingSessionReadHook hook,
                                     gpointer                   data)
{
  read_hook = hook;
  read_hook_data = data;
}

static void
pending_file_free (gpointer data)
{
  PendingFile *pending = data;

  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_source_unref (pending->source);
    }
  g_free (pending->name);
  g_free (pending);
}

/* What a worker read of a file that appeared. */
typedef struct
{
  char      *directory;
  GFile     *file;
  GFileInfo *info;
  gint64     time;
  guint64    serial;
} Appeared;

static void
appeared_free (gpointer data)
{
  Appeared *appeared = data;

  g_free (appeared->directory);
  g_clear_object (&appeared->file);
  g_clear_object (&appeared->info);
  g_free (appeared);
}

static void
read_appeared_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Appeared *appeared = task_data;
  GError *error = NULL;

  appeared->info = g_file_query_info (appeared->file, CAPA_SESSION_FILE_ATTRIBUTES,
                                      G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (appeared->info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_file_info_get_file_type (appeared->info) == G_FILE_TYPE_REGULAR)
    appeared->time = _capa_session_file_time (appeared->directory, appeared->info);

  if (read_hook != NULL)
    {
      g_autofree char *name = g_file_get_basename (appeared->file);

      read_hook (name, FALSE, read_hook_data);
    }

  g_task_return_boolean (task, TRUE);
}

static void
appeared_read_apply (GAsyncResult *result,
                     gpointer      user_data)
{
  Appeared *appeared = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  PendingFile *pending;
  CapaSession *self;

  /* The session may be gone: then the read was cancelled, and it is not
   * touched. */
  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CAPA_SESSION (user_data);
  name = g_file_get_basename (appeared->file);

  /* Deleted or moved away while it was read (no entry left), or changed
   * again (a newer read comes): this read is stale. */
  pending = g_hash_table_lookup (self->pending, name);
  if (pending == NULL || pending->serial != appeared->serial)
    {
      g_debug ("Not adding %s: it changed while it was read", name);
      return;
    }
  g_hash_table_remove (self->pending, name);

  if (error != NULL)
    {
      g_debug ("Not adding %s: %s", name, error->message);
      return;
    }

  if (g_file_info_get_file_type (appeared->info) != G_FILE_TYPE_REGULAR)
    return;

  /* It may have been added by a save or a load meanwhile. */
  if (g_hash_table_contains (self->by_name, name))
    return;

  g_debug ("%s appeared in the session folder", name);
  _capa_session_add_image (self, name, appeared->time, NULL);
}

static void
on_appeared_read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  appeared_read_apply (result, user_data);

  if (read_hook != NULL)
    {
      Appeared *appeared = g_task_get_task_data (G_TASK (result));
      g_autofree char *name = g_file_get_basename (appeared->file);

      read_hook (name, TRUE, read_hook_data);
    }
}

static gboolean
on_pending_timeout_cb (gpointer user_data)
{
  PendingFile *pending = user_data;
  CapaSession *self = pending->self;
  g_autoptr(GTask) task = NULL;
  Appeared *appeared;

  /* Its capture time is read off the main thread, then it joins the model
   * at its place. */
  appeared = g_new0 (Appeared, 1);
  appeared->directory = g_strdup (self->directory);
  appeared->file = g_file_get_child (self->directory_file, pending->name);
  appeared->serial = pending->serial;

  task = g_task_new (NULL, self->cancellable, on_appeared_read_cb, self);
  g_task_set_source_tag (task, read_appeared_thread);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_set_task_data (task, appeared, appeared_free);
  g_task_run_in_thread (task, read_appeared_thread);

  /* The entry stays while the file is read: a change meanwhile bumps its
   * serial, a deletion removes it. */
  g_clear_pointer (&pending->source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
schedule_pending (CapaSession *self,
                  const char  *name,
                  guint        delay_ms)
{
  PendingFile *pending;

  if (!_capa_filename_is_image (name) || g_hash_table_contains (self->by_name, name))
    return;

  pending = g_hash_table_lookup (self->pending, name);
  if (pending == NULL)
    {
      pending = g_new0 (PendingFile, 1);
      pending->self = self;
      pending->name = g_strdup (name);
      g_hash_table_insert (self->pending, pending->name, pending);
    }
  else if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_clear_pointer (&pending->source, g_source_unref);
    }

  pending->serial = ++last_serial;
  pending->source = g_timeout_source_new (delay_ms);
  g_source_set_static_name (pending->source, "[capa] session file settles");
  g_source_set_callback (pending->source, on_pending_timeout_cb, pending, NULL);
  g_source_attach (pending->source, self->main_context);
}

static void
on_monitor_changed_cb (GFileMonitor      *monitor,
                       GFile             *file,
                       GFile             *other_file,
                       GFileMonitorEvent  event,
                       CapaSession       *self)
{
  g_autofree char *name = NULL;
  g_autofree char *other_name = NULL;

  if (!g_file_has_parent (file, self->directory_file))
    return;

  name = g_file_get_basename (file);
  if (other_file != NULL && g_file_has_parent (other_file, self->directory_file))
    other_name = g_file_get_basename (other_file);

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_CHANGED:
      schedule_pending (self, name, CREATED_QUIET_MS);
      break;

    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      schedule_pending (self, name, DONE_QUIET_MS);
      break;

    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      g_hash_table_remove (self->pending, name);
      _capa_session_remove_image (self, name);
      break;

    case G_FILE_MONITOR_EVENT_RENAMED:
      g_hash_table_remove (self->pending, name);
      _capa_session_remove_image (self, name);
      if (other_name != NULL)
        schedule_pending (self, other_name, DONE_QUIET_MS);
      break;

    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

/*
 * _capa_session_watch:
 * @self: a #CapaSession
 *
 * Starts watching the session folder, if not yet watched.
 */
void
_capa_session_watch (CapaSession *self)
{
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL)
    return;

  self->monitor = g_file_monitor_directory (self->directory_file, G_FILE_MONITOR_WATCH_MOVES,
                                            self->cancellable, &error);
  if (self->monitor == NULL)
    {
      g_debug ("Cannot watch %s for changes: %s", self->directory, error->message);
      return;
    }

  g_signal_connect_object (self->monitor, "changed",
                           G_CALLBACK (on_monitor_changed_cb), self, 0);
}

static void
watch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GFile *directory = task_data;
  GError *error = NULL;
  GFileMonitor *monitor;

  /* No thread-default context here: the monitor's events are dispatched
   * in the global default one. */
  monitor = g_file_monitor_directory (directory, G_FILE_MONITOR_WATCH_MOVES, cancellable, &error);
  if (monitor == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, monitor, g_object_unref);
}

/*
 * _capa_session_watch_async:
 * @self: a #CapaSession
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the folder is watched (or cannot be)
 * @user_data: data for @callback
 *
 * Starts watching the session folder, if not yet watched, as
 * _capa_session_watch() does, making the watch on a worker thread: the
 * kernel walks the folder's entries when a watch is added, a millisecond
 * for 10,000 files.  Only where the caller's context is the global default
 * one, in which a monitor made on a worker delivers its events; elsewhere
 * the watch is made at once.  An event the monitor has before the callback
 * is not seen, so the folder is listed after it.
 */
void
_capa_session_watch_async (CapaSession         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_task_set_source_tag (task, _capa_session_watch_async);
  if (self->monitor != NULL || context != g_main_context_default ())
    {
      _capa_session_watch (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_task_set_task_data (task, g_object_ref (self->directory_file), g_object_unref);
  g_task_run_in_thread (task, watch_thread);
}

/*
 * _capa_session_watch_finish:
 * @self: a #CapaSession
 * @result: the result passed to the callback
 *
 * Finishes _capa_session_watch_async(): the folder is watched, unless it
 * cannot be (said in the debug log) or the watch was cancelled.
 */
void
_capa_session_watch_finish (CapaSession  *self,
                            GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;

  if (g_task_get_task_data (G_TASK (result)) == NULL)
    return;

  monitor = g_task_propagate_pointer (G_TASK (result), &error);
  if (monitor == NULL)
    {
      g_debug ("Cannot watch %s for changes: %s", self->directory, error->message);
      return;
    }
  /* Watched meanwhile (a save made the folder): one monitor is enough. */
  if (self->monitor != NULL)
    {
      g_file_monitor_cancel (monitor);
      return;
    }

  self->monitor = g_steal_pointer (&monitor);
  g_signal_connect_object (self->monitor, "changed",
                           G_CALLBACK (on_monitor_changed_cb), self, 0);
}

/*
 * _capa_session_unwatch:
 * @self: a #CapaSession
 *
 * Stops watching the session folder.
 */
void
_capa_session_unwatch (CapaSession *self)
{
  if (self->monitor == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
}

/*
 * _capa_session_pending_new:
 *
 * Returns: (transfer full): the table of files seen changing and not added
 *   yet, name → PendingFile
 */
GHashTable *
_capa_session_pending_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pending_file_free);
}
