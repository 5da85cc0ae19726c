/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-CameraList"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gudev/gudev.h>

#include "capa-blocking-private.h"
#include "capa-gphoto2-private.h"
#include "capa-testing-private.h"

/**
 * CapaCameraList:
 *
 * The cameras libgphoto2 detects, as a [iface@Gio.ListModel] of
 * [class@Capa.Camera].
 *
 * [method@Capa.CameraList.refresh] scans the ports for cameras. While
 * [property@Capa.CameraList:monitoring] is on (the default), plugging a
 * USB device in or out rescans by itself, half a second after the last
 * such event. A camera keeps the same [class@Capa.Camera] object across
 * rescans for as long as it stays on the same port.
 *
 * Scans may overlap (a blocking [method@Capa.CameraList.refresh] while a
 * hotplug rescan runs, say): each scan is numbered in the order it looks
 * at the ports, and a result older than the one already in the list is
 * dropped, so the list always shows the newest completed scan. Results
 * are applied, and the signals emitted, in the main context of the
 * thread that created the list.
 *
 * Cameras on the network (PTP/IP) cannot be detected; add them with
 * [method@Capa.CameraList.add_network_camera].
 *
 * With [property@Capa.CameraList:demo-camera] on, the list also holds the
 * demo camera, [const@Capa.DEMO_CAMERA_MODEL] on
 * [const@Capa.DEMO_CAMERA_PORT]: a camera drawn by Capa's own driver, to
 * try Capa without a camera. It opens through [class@Capa.Camera] as a
 * real camera does.
 */

#define HOTPLUG_DEBOUNCE_MS 500

struct _CapaCameraList
{
  GObject       parent_instance;

  /* main-thread state */
  GMainContext *main_context;
  GThread      *thread;           /* created the list */
  GPtrArray    *cameras;          /* CapaCamera, detected and network ones */
  GHashTable   *network;          /* set of "model\nport" keys added by hand */
  GUdevClient  *udev;
  GSource      *debounce;
  GCancellable *cancellable;      /* of the hotplug refreshes */
  guint         applied_generation;  /* of the scan whose result is in the list */
  CapaTestingCameraListScanHook scan_hook;
  gpointer      scan_hook_data;
  guint         refreshing : 1;
  guint         refresh_again : 1;
  guint         demo_camera : 1;

  /* scanning-thread state, only touched under _capa_gp_lock() */
  guint         scan_generation;  /* of the newest scan to look at the ports */
};

static void capa_camera_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CapaCameraList, capa_camera_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      capa_camera_list_model_init))

enum {
  PROP_0,
  PROP_MONITORING,
  PROP_N_ITEMS,
  PROP_DEMO_CAMERA,
  N_PROPS,
};

enum {
  SIGNAL_CAMERA_ADDED,
  SIGNAL_CAMERA_REMOVED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  char *model;
  char *port;
} Detected;

/* One scan: what it found, and when it looked (its generation). */
typedef struct
{
  CapaTestingCameraListScanHook  hook;
  gpointer                       hook_data;
  guint                          generation;
  GPtrArray                     *found;  /* of Detected */
} Scan;

static void
detected_free (gpointer data)
{
  Detected *detected = data;

  g_free (detected->model);
  g_free (detected->port);
  g_free (detected);
}

static Scan *
scan_new (CapaCameraList *self)
{
  Scan *scan = g_new0 (Scan, 1);

  scan->hook = self->scan_hook;
  scan->hook_data = self->scan_hook_data;
  return scan;
}

static void
scan_free (gpointer data)
{
  Scan *scan = data;

  g_clear_pointer (&scan->found, g_ptr_array_unref);
  g_free (scan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scan, scan_free)

static char *
make_key (const char *model,
          const char *port)
{
  return g_strconcat (model, "\n", port, NULL);
}

/* Runs in any thread: the (model, port) pairs libgphoto2 finds. Detection
 * runs under the process-wide libgphoto2 lock, so scans look at the ports
 * one after the other: *@generation numbers them in that order. */
static GPtrArray *
detect_cameras (CapaCameraList  *self,
                guint           *generation,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (detected_free);
  g_autoptr(GPPortInfoList) ports = NULL;
  g_autoptr(CameraList) list = NULL;
  g_autoptr(GPContext) context = gp_context_new ();
  CameraAbilitiesList *abilities;
  int r;
  int n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  abilities = _capa_gp_get_abilities_list (error);
  if (abilities == NULL)
    return NULL;

  _capa_gp_lock ();
  *generation = ++self->scan_generation;
  if ((r = gp_port_info_list_new (&ports)) >= GP_OK &&
      (r = gp_port_info_list_load (ports)) >= GP_OK &&
      (r = gp_list_new (&list)) >= GP_OK)
    r = gp_abilities_list_detect (abilities, ports, list, context);
  _capa_gp_unlock ();
  if (r < GP_OK)
    {
      _capa_gp_set_error (error, r, NULL, _("Cannot look for cameras"));
      return NULL;
    }

  n = gp_list_count (list);
  for (int i = 0; i < n; i++)
    {
      const char *model = NULL;
      const char *port = NULL;
      Detected *detected;

      if (gp_list_get_name (list, i, &model) < GP_OK || gp_list_get_value (list, i, &port) < GP_OK)
        continue;
      /* The generic "usb:" entry duplicates a specific "usb:BBB,DDD" one. */
      if (model == NULL || port == NULL || g_str_equal (port, "usb:"))
        continue;

      detected = g_new0 (Detected, 1);
      detected->model = g_strdup (model);
      detected->port = g_strdup (port);
      g_ptr_array_add (found, detected);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return g_steal_pointer (&found);
}

static void
add_camera (CapaCameraList *self,
            CapaCamera     *camera)
{
  g_ptr_array_add (self->cameras, g_object_ref (camera));
  g_list_model_items_changed (G_LIST_MODEL (self), self->cameras->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_signal_emit (self, signals[SIGNAL_CAMERA_ADDED], 0, camera);
}

static void
remove_camera_at (CapaCameraList *self,
                  guint           position)
{
  g_autoptr(CapaCamera) removed = g_object_ref (g_ptr_array_index (self->cameras, position));

  g_debug ("Camera gone: %s on %s", capa_camera_get_model (removed),
           capa_camera_get_port (removed));
  g_ptr_array_remove_index (self->cameras, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_signal_emit (self, signals[SIGNAL_CAMERA_REMOVED], 0, removed);
}

/* Main thread: makes the list match @found, keeping existing objects. */
static void
apply_detected (CapaCameraList *self,
                GPtrArray      *found)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < found->len; i++)
    {
      Detected *detected = g_ptr_array_index (found, i);

      g_hash_table_add (seen, make_key (detected->model, detected->port));
    }

  /* Removals first, from the end so positions stay right. */
  for (guint i = self->cameras->len; i > 0; i--)
    {
      CapaCamera *camera = g_ptr_array_index (self->cameras, i - 1);
      g_autofree char *key = make_key (capa_camera_get_model (camera),
                                       capa_camera_get_port (camera));

      if (!g_hash_table_contains (seen, key) && !g_hash_table_contains (self->network, key))
        remove_camera_at (self, i - 1);
    }

  for (guint i = 0; i < found->len; i++)
    {
      Detected *detected = g_ptr_array_index (found, i);

      if (capa_camera_list_find (self, detected->model, detected->port) == NULL)
        {
          g_autoptr(CapaCamera) camera = capa_camera_new (detected->model, detected->port);

          g_debug ("Camera found: %s on %s", detected->model, detected->port);
          add_camera (self, camera);
        }
    }
}

/* Main context: applies a scan unless a newer one is already applied. */
static void
apply_scan (CapaCameraList *self,
            Scan           *scan)
{
  g_assert (scan->found != NULL);

  if (scan->generation <= self->applied_generation)
    {
      g_debug ("Dropping the result of scan %u: scan %u is newer",
               scan->generation, self->applied_generation);
      return;
    }

  self->applied_generation = scan->generation;
  /* The cameras made here belong to the list's context, even when this
   * runs in a blocking twin's private context (capa-blocking.c). */
  g_main_context_push_thread_default (self->main_context);
  apply_detected (self, scan->found);
  g_main_context_pop_thread_default (self->main_context);
}

/* Runs in any thread: fills @scan (or fails). */
static gboolean
run_scan (CapaCameraList  *self,
          Scan            *scan,
          GCancellable    *cancellable,
          GError         **error)
{
  scan->found = detect_cameras (self, &scan->generation, cancellable, error);
  if (scan->found == NULL)
    return FALSE;

  if (scan->hook != NULL)
    scan->hook (self, scan->generation, scan->found->len, scan->hook_data);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_scan (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Main context of the list: the worker's scan is over. */
static void
on_scan_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CapaCameraList *self = CAPA_CAMERA_LIST (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  apply_scan (self, g_task_get_task_data (G_TASK (result)));
  g_task_return_boolean (task, TRUE);
}

static void schedule_refresh (CapaCameraList *self);

static void
on_hotplug_refresh_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  CapaCameraList *self = CAPA_CAMERA_LIST (object);
  g_autoptr(GError) error = NULL;

  self->refreshing = FALSE;
  if (!capa_camera_list_refresh_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A device still settling can fail a scan: a later event rescans. */
      g_warning ("Cannot rescan the cameras after a hotplug event: %s", error->message);
    }

  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      schedule_refresh (self);
    }
}

static gboolean
on_debounce_cb (gpointer data)
{
  CapaCameraList *self = data;

  g_clear_pointer (&self->debounce, g_source_unref);

  if (self->refreshing)
    {
      /* Rescan once more when the current scan ends. */
      self->refresh_again = TRUE;
      return G_SOURCE_REMOVE;
    }

  self->refreshing = TRUE;
  capa_camera_list_refresh_async (self, self->cancellable, on_hotplug_refresh_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (CapaCameraList *self)
{
  if (self->debounce != NULL)
    {
      g_source_destroy (self->debounce);
      g_clear_pointer (&self->debounce, g_source_unref);
    }

  self->debounce = g_timeout_source_new (HOTPLUG_DEBOUNCE_MS);
  g_source_set_name (self->debounce, "[capa] camera hotplug");
  g_source_set_callback (self->debounce, on_debounce_cb, self, NULL);
  g_source_attach (self->debounce, self->main_context);
}

static void
on_udev_uevent_cb (GUdevClient    *client,
                   const char     *action,
                   GUdevDevice    *device,
                   CapaCameraList *self)
{
  g_debug ("udev %s %s", action, g_udev_device_get_sysfs_path (device));

  if (g_strcmp0 (action, "add") == 0 || g_strcmp0 (action, "remove") == 0)
    schedule_refresh (self);
}

static void
capa_camera_list_dispose (GObject *object)
{
  CapaCameraList *self = CAPA_CAMERA_LIST (object);

  g_cancellable_cancel (self->cancellable);
  if (self->debounce != NULL)
    {
      g_source_destroy (self->debounce);
      g_clear_pointer (&self->debounce, g_source_unref);
    }
  if (self->udev != NULL)
    g_signal_handlers_disconnect_by_data (self->udev, self);
  g_clear_object (&self->udev);
  if (self->cameras != NULL)
    g_ptr_array_set_size (self->cameras, 0);

  G_OBJECT_CLASS (capa_camera_list_parent_class)->dispose (object);
}

static void
capa_camera_list_finalize (GObject *object)
{
  CapaCameraList *self = CAPA_CAMERA_LIST (object);

  g_clear_pointer (&self->cameras, g_ptr_array_unref);
  g_clear_pointer (&self->network, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->main_context, g_main_context_unref);

  G_OBJECT_CLASS (capa_camera_list_parent_class)->finalize (object);
}

static void
capa_camera_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CapaCameraList *self = CAPA_CAMERA_LIST (object);

  switch (prop_id)
    {
    case PROP_MONITORING:
      g_value_set_boolean (value, capa_camera_list_get_monitoring (self));
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->cameras->len);
      break;

    case PROP_DEMO_CAMERA:
      g_value_set_boolean (value, self->demo_camera);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CapaCameraList *self = CAPA_CAMERA_LIST (object);

  switch (prop_id)
    {
    case PROP_MONITORING:
      capa_camera_list_set_monitoring (self, g_value_get_boolean (value));
      break;

    case PROP_DEMO_CAMERA:
      capa_camera_list_set_demo_camera (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_list_class_init (CapaCameraListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capa_camera_list_dispose;
  object_class->finalize = capa_camera_list_finalize;
  object_class->get_property = capa_camera_list_get_property;
  object_class->set_property = capa_camera_list_set_property;

  /**
   * CapaCameraList:monitoring:
   *
   * Whether USB hotplug events (through udev) rescan the cameras.
   */
  properties[PROP_MONITORING] =
    g_param_spec_boolean ("monitoring", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /**
   * CapaCameraList:n-items:
   *
   * The number of cameras in the list.
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCameraList:demo-camera:
   *
   * Whether the list holds the demo camera,
   * [const@Capa.DEMO_CAMERA_MODEL] on [const@Capa.DEMO_CAMERA_PORT]
   * (Capa's setting `demo-camera`, or `capa --demo`).
   *
   * Turning it on for the first time in a process, before libgphoto2 has
   * loaded its drivers, points `CAMLIBS` at a private folder holding the
   * demo camera's driver beside links to every other driver; turned on
   * later, the drivers are loaded again from that folder when a camera is
   * next opened or the cameras are next looked for.
   */
  properties[PROP_DEMO_CAMERA] =
    g_param_spec_boolean ("demo-camera", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaCameraList::camera-added:
   * @self: a #CapaCameraList
   * @camera: the camera now in the list
   *
   * A camera was found, or added by hand.
   */
  signals[SIGNAL_CAMERA_ADDED] =
    g_signal_new ("camera-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA);

  /**
   * CapaCameraList::camera-removed:
   * @self: a #CapaCameraList
   * @camera: the camera no longer in the list
   *
   * A camera is gone (unplugged).
   */
  signals[SIGNAL_CAMERA_REMOVED] =
    g_signal_new ("camera-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA);
}

static void
capa_camera_list_init (CapaCameraList *self)
{
  self->main_context = g_main_context_ref_thread_default ();
  self->thread = g_thread_self ();
  self->cameras = g_ptr_array_new_with_free_func (g_object_unref);
  self->network = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

static GType
capa_camera_list_get_item_type (GListModel *model)
{
  return CAPA_TYPE_CAMERA;
}

static guint
capa_camera_list_get_n_items (GListModel *model)
{
  return CAPA_CAMERA_LIST (model)->cameras->len;
}

static gpointer
capa_camera_list_get_item (GListModel *model,
                           guint       position)
{
  CapaCameraList *self = CAPA_CAMERA_LIST (model);

  if (position >= self->cameras->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->cameras, position));
}

static void
capa_camera_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = capa_camera_list_get_item_type;
  iface->get_n_items = capa_camera_list_get_n_items;
  iface->get_item = capa_camera_list_get_item;
}

/**
 * capa_camera_list_new:
 *
 * Creates an empty camera list; call [method@Capa.CameraList.refresh]
 * (or its asynchronous form) to fill it.
 *
 * Returns: (transfer full): a new #CapaCameraList
 */
CapaCameraList *
capa_camera_list_new (void)
{
  return g_object_new (CAPA_TYPE_CAMERA_LIST, NULL);
}

/* The blocking twin's start, by the one mechanism of capa-blocking.c. */
typedef struct
{
  CapaCameraList *self;
  GCancellable   *cancellable;
} SyncRefresh;

static void
start_sync_refresh (gpointer             data,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  SyncRefresh *sync = data;

  capa_camera_list_refresh_async (sync->self, sync->cancellable, callback, user_data);
}

/**
 * capa_camera_list_refresh:
 * @self: a #CapaCameraList
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Scans the ports for cameras, blocking the calling thread: the blocking
 * twin of [method@Capa.CameraList.refresh_async], for scripts and the
 * command line.
 *
 * The scan runs on a worker thread; the list is updated, and its signals
 * emitted, as the owner of the main context of the thread that created it.
 * Called from a handler that context is dispatching, or from the thread
 * that created the list when no main loop runs, this call waits in a
 * private main context of its own: it dispatches no other source, and
 * needs no main loop. Called from another thread, it hands the refresh over
 * to the list's context and waits; should nobody run that context, it
 * does the refresh itself as that context's owner. If a scan that looked
 * at the ports after this one has already updated the list, this scan's
 * older result is dropped.
 *
 * Returns: %TRUE if the scan ran
 */
gboolean
capa_camera_list_refresh (CapaCameraList  *self,
                          GCancellable    *cancellable,
                          GError         **error)
{
  SyncRefresh sync = { self, cancellable };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  result = _capa_blocking_call (self->main_context, self->thread, start_sync_refresh, &sync);
  return capa_camera_list_refresh_finish (self, result, error);
}

/**
 * capa_camera_list_refresh_async:
 * @self: a #CapaCameraList
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the scan is over
 * @user_data: data for @callback
 *
 * Scans the ports for cameras on a worker thread, then updates the list in
 * the main context of the thread that created it, before @callback runs:
 * [signal@Capa.CameraList::camera-removed] for each camera gone,
 * [signal@Capa.CameraList::camera-added] for each new one. If a scan that
 * looked at the ports after this one has already updated the list, this
 * scan's older result is dropped.
 */
void
capa_camera_list_refresh_async (CapaCameraList      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) scan_task = NULL;
  GMainContext *current;
  gboolean is_current;

  g_return_if_fail (CAPA_IS_CAMERA_LIST (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_camera_list_refresh_async);

  /* The worker's result comes back where the list is updated: to the
   * caller's context when the caller owns the list's own context (a
   * blocking twin's private context among them, see capa-blocking.c),
   * else to the list's context; then @task returns in the caller's
   * context. */
  current = g_main_context_get_thread_default ();
  is_current = (current != NULL ? current : g_main_context_default ()) == self->main_context ||
               g_main_context_is_owner (self->main_context);
  if (!is_current)
    g_main_context_push_thread_default (self->main_context);
  scan_task = g_task_new (self, cancellable, on_scan_done_cb, g_steal_pointer (&task));
  if (!is_current)
    g_main_context_pop_thread_default (self->main_context);

  g_task_set_source_tag (scan_task, capa_camera_list_refresh_async);
  g_task_set_task_data (scan_task, scan_new (self), scan_free);
  g_task_run_in_thread (scan_task, scan_thread);
}

/**
 * capa_camera_list_refresh_finish:
 * @self: a #CapaCameraList
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.CameraList.refresh_async].
 *
 * Returns: %TRUE if the scan ran and the list is up to date
 */
gboolean
capa_camera_list_refresh_finish (CapaCameraList  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Testing API (capa-testing-private.h). */
void
_capa_testing_camera_list_set_scan_hook (CapaCameraList                *self,
                                         CapaTestingCameraListScanHook  hook,
                                         gpointer                       user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA_LIST (self));

  self->scan_hook = hook;
  self->scan_hook_data = user_data;
}

/* Testing API (capa-testing-private.h). */
guint
_capa_testing_camera_list_get_applied_generation (CapaCameraList *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), 0);

  return self->applied_generation;
}

/**
 * capa_camera_list_get_cameras:
 * @self: a #CapaCameraList
 *
 * Gets the cameras.
 *
 * Returns: (transfer container) (element-type CapaCamera): the cameras
 */
GPtrArray *
capa_camera_list_get_cameras (CapaCameraList *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), NULL);

  copy = g_ptr_array_new_full (self->cameras->len, g_object_unref);
  for (guint i = 0; i < self->cameras->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (self->cameras, i)));

  return copy;
}

/**
 * capa_camera_list_find:
 * @self: a #CapaCameraList
 * @model: a model name
 * @port: a port
 *
 * Finds the camera of that model on that port, if it is in the list.
 *
 * Returns: (transfer none) (nullable): the camera of that model on that
 *   port, if it is in the list
 */
CapaCamera *
capa_camera_list_find (CapaCameraList *self,
                       const char     *model,
                       const char     *port)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), NULL);
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (port != NULL, NULL);

  for (guint i = 0; i < self->cameras->len; i++)
    {
      CapaCamera *camera = g_ptr_array_index (self->cameras, i);

      if (g_str_equal (capa_camera_get_model (camera), model) &&
          g_str_equal (capa_camera_get_port (camera), port))
        return camera;
    }

  return NULL;
}

/* A host name's label: letters, digits and inner hyphens. */
static gboolean
is_host_label (const char *label,
               gsize       length)
{
  if (length == 0 || length > 63 || label[0] == '-' || label[length - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-')
      return FALSE;

  return TRUE;
}

/* An IPv4 address, or a host name whose last label is not all digits
 * (so that "192.168.1.300" is refused rather than looked up). */
static gboolean
is_host (const char *host)
{
  const char *label = host;
  const char *last = host;
  gboolean all_digits = TRUE;

  if (g_hostname_is_ip_address (host))
    return strchr (host, ':') == NULL;  /* ptp2 takes no IPv6 address */

  if (host[0] == '\0' || strlen (host) > 253)
    return FALSE;

  for (const char *dot; (dot = strchr (label, '.')) != NULL; label = dot + 1)
    if (!is_host_label (label, dot - label))
      return FALSE;
  if (!is_host_label (label, strlen (label)))
    return FALSE;

  last = label;
  for (const char *c = last; *c != '\0'; c++)
    all_digits = all_digits && g_ascii_isdigit (*c);

  return !all_digits;
}

/**
 * capa_camera_list_check_network_port:
 * @port: a libgphoto2 port, such as "ptpip:192.168.1.20"
 * @error: return location for a #GError
 *
 * Checks that @port names a camera on the network: "ptpip:" or "ip:",
 * then an IPv4 address or a host name, then optionally ":" and a TCP
 * port number ("ptpip:192.168.1.20:15740"). Nothing is sent on the
 * network.
 *
 * Returns: %TRUE if @port is a usable network port; otherwise %FALSE,
 *   with @error (%CAPA_CAMERA_ERROR_BAD_PARAMETER) saying what is wrong
 */
gboolean
capa_camera_list_check_network_port (const char  *port,
                                     GError     **error)
{
  g_autofree char *host = NULL;
  const char *colon;

  g_return_val_if_fail (port != NULL, FALSE);

  if (!g_str_has_prefix (port, "ptpip:") && !g_str_has_prefix (port, "ip:"))
    {
      g_set_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER,
                   _("“%s” is not a network camera port: "
                     "it should look like ptpip:192.168.1.20"),
                   port);
      return FALSE;
    }

  host = g_strdup (strchr (port, ':') + 1);
  colon = strchr (host, ':');
  if (colon != NULL)
    {
      guint64 number = 0;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &number, NULL))
        {
          g_set_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER,
                       _("“%s” does not end with a valid port number: it should look like "
                         "ptpip:192.168.1.20 or ptpip:192.168.1.20:15740"),
                       port);
          return FALSE;
        }
      host[colon - host] = '\0';
    }

  if (!is_host (host))
    {
      g_set_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER,
                   _("“%s” does not name a host: give the camera’s address, such as "
                     "192.168.1.20, or its name on the network"),
                   port);
      return FALSE;
    }

  return TRUE;
}

/**
 * capa_camera_list_add_network_camera:
 * @self: a #CapaCameraList
 * @port: a network port, such as "ptpip:192.168.1.20"
 * @model: (nullable): the libgphoto2 model name, or %NULL for a generic
 *   PTP/IP camera
 * @error: return location for a #GError
 *
 * Adds a camera reached over the network, which cannot be detected. It
 * stays in the list across rescans until removed with
 * [method@Capa.CameraList.remove_network_camera]. Adding the same camera
 * twice returns the camera already there.
 *
 * With no @model, the camera is libgphoto2's generic "PTP/IP Camera"
 * (its PTP driver finds out the rest when the camera is opened: its
 * real model is then in [property@Capa.Camera:summary]).
 *
 * Returns: (transfer none) (nullable): the camera, or %NULL if @port is
 *   not a usable network port (see
 *   [func@Capa.CameraList.check_network_port])
 */
CapaCamera *
capa_camera_list_add_network_camera (CapaCameraList  *self,
                                     const char      *port,
                                     const char      *model,
                                     GError         **error)
{
  g_autoptr(CapaCamera) camera = NULL;
  CapaCamera *existing;

  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), NULL);
  g_return_val_if_fail (port != NULL, NULL);

  if (!capa_camera_list_check_network_port (port, error))
    return NULL;

  if (model == NULL || model[0] == '\0')
    model = CAPA_NETWORK_CAMERA_GENERIC_MODEL;

  existing = capa_camera_list_find (self, model, port);
  if (existing != NULL)
    return existing;

  g_hash_table_add (self->network, make_key (model, port));
  camera = capa_camera_new (model, port);
  add_camera (self, camera);

  return camera;
}

/**
 * capa_camera_list_is_network_camera:
 * @self: a #CapaCameraList
 * @camera: a camera
 *
 * Tells whether @camera was added with
 * [method@Capa.CameraList.add_network_camera] (and not removed since).
 * The demo camera is not one.
 *
 * Returns: whether @camera is a network camera of the list
 */
gboolean
capa_camera_list_is_network_camera (CapaCameraList *self,
                                    CapaCamera     *camera)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), FALSE);
  g_return_val_if_fail (CAPA_IS_CAMERA (camera), FALSE);

  if (g_str_equal (capa_camera_get_model (camera), CAPA_DEMO_CAMERA_MODEL) &&
      g_str_equal (capa_camera_get_port (camera), CAPA_DEMO_CAMERA_PORT))
    return FALSE;

  key = make_key (capa_camera_get_model (camera), capa_camera_get_port (camera));
  return g_hash_table_contains (self->network, key) &&
         capa_camera_list_find (self, capa_camera_get_model (camera),
                                capa_camera_get_port (camera)) == camera;
}

/**
 * capa_camera_list_remove_network_camera:
 * @self: a #CapaCameraList
 * @port: the network port the camera was added with
 * @model: (nullable): its model, or %NULL for the generic PTP/IP camera
 *
 * Removes a camera added with [method@Capa.CameraList.add_network_camera]
 * ("forgets" it): [signal@Capa.CameraList::camera-removed] is emitted. A
 * camera that the list detected by itself, or the demo camera, is not
 * removed.
 *
 * Returns: %TRUE if the camera was in the list and is removed
 */
gboolean
capa_camera_list_remove_network_camera (CapaCameraList *self,
                                        const char     *port,
                                        const char     *model)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), FALSE);
  g_return_val_if_fail (port != NULL, FALSE);

  if (model == NULL || model[0] == '\0')
    model = CAPA_NETWORK_CAMERA_GENERIC_MODEL;
  if (g_str_equal (model, CAPA_DEMO_CAMERA_MODEL) && g_str_equal (port, CAPA_DEMO_CAMERA_PORT))
    return FALSE;

  key = make_key (model, port);
  if (!g_hash_table_remove (self->network, key))
    return FALSE;

  for (guint i = self->cameras->len; i > 0; i--)
    {
      CapaCamera *camera = g_ptr_array_index (self->cameras, i - 1);

      if (g_str_equal (capa_camera_get_model (camera), model) &&
          g_str_equal (capa_camera_get_port (camera), port))
        {
          remove_camera_at (self, i - 1);
          return TRUE;
        }
    }

  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Worker thread: the PTP/IP models of libgphoto2's drivers. */
static void
network_models_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  CameraAbilitiesList *abilities;
  GError *error = NULL;
  int n;

  abilities = _capa_gp_get_abilities_list (&error);
  if (abilities == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The list may be reloaded (the demo camera's driver): read it locked. */
  _capa_gp_lock ();
  n = gp_abilities_list_count (abilities);
  for (int i = 0; i < n; i++)
    {
      CameraAbilities a;

      if (gp_abilities_list_get_abilities (abilities, i, &a) < GP_OK ||
          (a.port & GP_PORT_PTPIP) == 0 ||
          g_str_equal (a.model, CAPA_NETWORK_CAMERA_GENERIC_MODEL) ||
          g_str_equal (a.model, CAPA_DEMO_CAMERA_MODEL))
        continue;
      g_ptr_array_add (models, g_strdup (a.model));
    }
  _capa_gp_unlock ();

  if (g_task_return_error_if_cancelled (task))
    return;

  g_ptr_array_sort (models, compare_strings);
  g_ptr_array_add (models, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&models), FALSE),
                         (GDestroyNotify) g_strfreev);
}

/**
 * capa_camera_list_get_network_models_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the models
 * @user_data: data for @callback
 *
 * Lists, on a worker thread, the camera models libgphoto2's drivers know
 * on a network (PTP/IP) port, such as "Nikon DSLR (WLAN)": the models
 * [method@Capa.CameraList.add_network_camera] takes. The generic
 * [const@Capa.NETWORK_CAMERA_GENERIC_MODEL] and the demo camera are left
 * out. Loading the drivers takes a while the first time.
 */
void
capa_camera_list_get_network_models_async (GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_camera_list_get_network_models_async);
  g_task_set_name (task, "[capa] network camera models");
  g_task_run_in_thread (task, network_models_thread);
}

/**
 * capa_camera_list_get_network_models_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [func@Capa.CameraList.get_network_models_async].
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the
 *   model names, sorted, or %NULL with @error set
 */
char **
capa_camera_list_get_network_models_finish (GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * capa_camera_list_get_monitoring:
 * @self: a #CapaCameraList
 *
 * Gets whether hotplug events rescan the cameras.
 *
 * Returns: whether hotplug events rescan the cameras
 */
gboolean
capa_camera_list_get_monitoring (CapaCameraList *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), FALSE);

  return self->udev != NULL;
}

/**
 * capa_camera_list_set_monitoring:
 * @self: a #CapaCameraList
 * @monitoring: whether hotplug events rescan the cameras
 *
 * Turns hotplug monitoring through udev on or off.
 */
void
capa_camera_list_set_monitoring (CapaCameraList *self,
                                 gboolean        monitoring)
{
  static const char * const subsystems[] = { "usb", NULL };

  g_return_if_fail (CAPA_IS_CAMERA_LIST (self));

  monitoring = !!monitoring;
  if (monitoring == (self->udev != NULL))
    return;

  if (monitoring)
    {
      /* GUdevClient delivers its uevents in the thread-default context
       * at the time it is created: ours. */
      g_main_context_push_thread_default (self->main_context);
      self->udev = g_udev_client_new (subsystems);
      g_main_context_pop_thread_default (self->main_context);
      g_signal_connect (self->udev, "uevent", G_CALLBACK (on_udev_uevent_cb), self);
    }
  else
    {
      g_signal_handlers_disconnect_by_data (self->udev, self);
      g_clear_object (&self->udev);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITORING]);
}

/**
 * capa_camera_list_get_demo_camera:
 * @self: a #CapaCameraList
 *
 * Gets whether the list holds the demo camera.
 *
 * Returns: whether the list holds the demo camera
 */
gboolean
capa_camera_list_get_demo_camera (CapaCameraList *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA_LIST (self), FALSE);

  return self->demo_camera;
}

/**
 * capa_camera_list_set_demo_camera:
 * @self: a #CapaCameraList
 * @demo_camera: whether the list holds the demo camera
 *
 * Adds the demo camera ([const@Capa.DEMO_CAMERA_MODEL] on
 * [const@Capa.DEMO_CAMERA_PORT]) to the list, or removes it. It stays in
 * the list across rescans; [signal@Capa.CameraList::camera-added] and
 * [signal@Capa.CameraList::camera-removed] are emitted as for any camera.
 *
 * When the demo camera's driver cannot be set up (it is not installed),
 * a warning says why and the list stays without it.
 */
void
capa_camera_list_set_demo_camera (CapaCameraList *self,
                                  gboolean        demo_camera)
{
  g_autofree char *key = NULL;

  g_return_if_fail (CAPA_IS_CAMERA_LIST (self));

  demo_camera = !!demo_camera;
  if (self->demo_camera == demo_camera)
    return;

  key = make_key (CAPA_DEMO_CAMERA_MODEL, CAPA_DEMO_CAMERA_PORT);
  if (demo_camera)
    {
      g_autoptr(GError) error = NULL;

      if (!_capa_gp_want_demo_camera (&error))
        {
          g_warning ("%s", error->message);
          return;
        }

      self->demo_camera = TRUE;
      g_hash_table_add (self->network, g_steal_pointer (&key));
      if (capa_camera_list_find (self, CAPA_DEMO_CAMERA_MODEL, CAPA_DEMO_CAMERA_PORT) == NULL)
        {
          g_autoptr(CapaCamera) camera = capa_camera_new (CAPA_DEMO_CAMERA_MODEL,
                                                          CAPA_DEMO_CAMERA_PORT);

          add_camera (self, camera);
        }
    }
  else
    {
      self->demo_camera = FALSE;
      g_hash_table_remove (self->network, key);
      for (guint i = self->cameras->len; i > 0; i--)
        {
          CapaCamera *camera = g_ptr_array_index (self->cameras, i - 1);

          if (g_str_equal (capa_camera_get_model (camera), CAPA_DEMO_CAMERA_MODEL) &&
              g_str_equal (capa_camera_get_port (camera), CAPA_DEMO_CAMERA_PORT))
            remove_camera_at (self, i - 1);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_CAMERA]);
}
