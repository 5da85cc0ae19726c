/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-camera.h"
#include "capa-camera-private.h"
#include "capa-control-private.h"
#include "capa-gphoto2-private.h"

/**
 * CapaCamera:
 *
 * One camera that libgphoto2 can drive.
 *
 * A camera is created for a model and a port, usually by
 * [class@Capa.CameraList], and opened with [method@Capa.Camera.open].
 *
 * Every libgphoto2 call for a camera runs on the camera's own worker
 * thread, one job after the other in the order they were asked for.
 * Each operation has an asynchronous form (`_async`/`_finish`) for
 * applications, and a blocking twin for scripts which waits for its job
 * on the same worker, so the order holds either way. A cancelled
 * operation fails with %G_IO_ERROR_CANCELLED.
 *
 * Signals and property notifications are emitted in the main context
 * that was the thread-default one when the camera was created.
 *
 * A blocking twin may be called from any thread, and from a signal
 * handler. Called from a handler that the camera's main context is
 * dispatching, or from the thread that created the camera while no main
 * loop runs, it waits in a private main context of its own: it dispatches
 * no other source, and needs no main loop. Called from another thread, it
 * hands the operation to the camera's main context and waits, so that
 * state changes and handlers run where they would for the asynchronous
 * form; should nobody run that context, it runs the operation itself as
 * the context's owner. Do not wait for such a thread from inside the main
 * context (a handler that joins it would wait forever).
 */

G_DEFINE_FINAL_TYPE (CapaCamera, capa_camera, G_TYPE_OBJECT)

G_DEFINE_QUARK (capa-camera-error-quark, capa_camera_error)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_PORT,
  PROP_CONNECTED,
  PROP_HAS_CAPTURE,
  PROP_HAS_PREVIEW,
  PROP_HAS_SETTINGS,
  PROP_MANUFACTURER,
  PROP_SUMMARY,
  PROP_DOWNLOAD_PROGRESS,
  PROP_BUSY_TIMEOUT,
  PROP_HAS_BULB,
  PROP_BULB_REMAINING,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];
guint _capa_camera_signals[CAPA_CAMERA_N_SIGNALS];
/* ------------------------------------------------------------------ */
/* Main-thread state                                                    */
/* ------------------------------------------------------------------ */

void
_capa_camera_set_connected (CapaCamera *self,
                            gboolean    connected)
{
  g_assert (CAPA_IS_CAMERA (self));

  connected = !!connected;
  if (self->connected == connected)
    return;

  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

void
_capa_camera_set_bulb_remaining (CapaCamera *self,
                                 double      seconds)
{
  g_assert (CAPA_IS_CAMERA (self));

  if (self->bulb_remaining == seconds)
    return;
  self->bulb_remaining = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BULB_REMAINING]);
}

/* The settings tree was loaded or read again. */
void
_capa_camera_notify_has_bulb (CapaCamera *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_BULB]);
}

void
_capa_camera_set_download_progress (CapaCamera     *self,
                                    double          fraction,
                                    CapaCameraFile *file)
{
  g_assert (CAPA_IS_CAMERA (self));

  if (file != NULL)
    g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS], 0, file,
                   fraction);

  if (self->download_progress == fraction)
    return;

  self->download_progress = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_PROGRESS]);
}

static void
set_boolean_prop (CapaCamera *self,
                  guint       prop_id,
                  gboolean    value)
{
  gboolean old;

  value = !!value;
  switch (prop_id)
    {
    case PROP_HAS_CAPTURE:
      old = self->has_capture;
      self->has_capture = value;
      break;

    case PROP_HAS_PREVIEW:
      old = self->has_preview;
      self->has_preview = value;
      break;

    case PROP_HAS_SETTINGS:
      old = self->has_settings;
      self->has_settings = value;
      break;

    default:
      g_assert_not_reached ();
    }

  if (old != value)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_string_prop (CapaCamera  *self,
                 char       **field,
                 guint        prop_id,
                 const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */
/* ------------------------------------------------------------------ */

static void
capa_camera_dispose (GObject *object)
{
  CapaCamera *self = CAPA_CAMERA (object);

  g_clear_object (&self->controls);

  G_OBJECT_CLASS (capa_camera_parent_class)->dispose (object);
}

static void
capa_camera_finalize (GObject *object)
{
  CapaCamera *self = CAPA_CAMERA (object);

  /* Every queued job holds a reference, so the worker is idle now, or
   * this runs on it, dropping the last job's reference: then the thread
   * ends once that job is over, and must not wait for itself. */
  g_thread_pool_free (self->worker, FALSE,
                      g_atomic_pointer_get (&self->worker_thread) != g_thread_self ());

  if (self->gp_camera != NULL)
    {
      g_autoptr(GPContext) context = gp_context_new ();

      _capa_gp_camera_release (&self->gp_camera, context);
    }

  g_clear_pointer (&self->shot_files, g_ptr_array_unref);
  g_clear_pointer (&self->shots_collected, g_hash_table_unref);
  _capa_camera_forget_ram_shot (self);
  g_clear_pointer (&self->worker_context, g_main_context_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->main_thread, g_thread_unref);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->port, g_free);
  g_clear_pointer (&self->manufacturer, g_free);
  g_clear_pointer (&self->summary, g_free);

  g_mutex_clear (&self->queue_mutex);
  g_cond_clear (&self->queue_cond);

  G_OBJECT_CLASS (capa_camera_parent_class)->finalize (object);
}

static void
capa_camera_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CapaCamera *self = CAPA_CAMERA (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;

    case PROP_PORT:
      g_value_set_string (value, self->port);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    case PROP_HAS_CAPTURE:
      g_value_set_boolean (value, self->has_capture);
      break;

    case PROP_HAS_PREVIEW:
      g_value_set_boolean (value, self->has_preview);
      break;

    case PROP_HAS_SETTINGS:
      g_value_set_boolean (value, self->has_settings);
      break;

    case PROP_MANUFACTURER:
      g_value_set_string (value, self->manufacturer);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    case PROP_DOWNLOAD_PROGRESS:
      g_value_set_double (value, self->download_progress);
      break;

    case PROP_BUSY_TIMEOUT:
      g_value_set_uint (value, capa_camera_get_busy_timeout (self));
      break;

    case PROP_HAS_BULB:
      g_value_set_boolean (value, capa_camera_get_has_bulb (self));
      break;

    case PROP_BULB_REMAINING:
      g_value_set_double (value, self->bulb_remaining);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CapaCamera *self = CAPA_CAMERA (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_string (value);
      break;

    case PROP_PORT:
      self->port = g_value_dup_string (value);
      break;

    case PROP_BUSY_TIMEOUT:
      capa_camera_set_busy_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_camera_class_init (CapaCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capa_camera_dispose;
  object_class->finalize = capa_camera_finalize;
  object_class->get_property = capa_camera_get_property;
  object_class->set_property = capa_camera_set_property;

  /**
   * CapaCamera:model:
   *
   * The libgphoto2 model name, such as "Nikon DSC D750".
   */
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:port:
   *
   * The libgphoto2 port, such as "usb:001,004" or "ptpip:192.168.1.20".
   */
  properties[PROP_PORT] =
    g_param_spec_string ("port", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:connected:
   *
   * Whether the camera is open and answering.
   */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:has-capture:
   *
   * Whether the camera can take a picture on request (known once open).
   */
  properties[PROP_HAS_CAPTURE] =
    g_param_spec_boolean ("has-capture", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:has-preview:
   *
   * Whether the camera gives live-view frames (known once open).
   */
  properties[PROP_HAS_PREVIEW] =
    g_param_spec_boolean ("has-preview", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:has-settings:
   *
   * Whether the camera exposes settings (known once open).
   */
  properties[PROP_HAS_SETTINGS] =
    g_param_spec_boolean ("has-settings", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:manufacturer:
   *
   * The maker of the camera once it was open: the start of the model
   * name, replaced by the camera's own word once its summary was read
   * with [method@Capa.Camera.load_summary_async].
   */
  properties[PROP_MANUFACTURER] =
    g_param_spec_string ("manufacturer", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:summary:
   *
   * The camera's description of itself (libgphoto2's summary text).
   *
   * It is %NULL until read with [method@Capa.Camera.load_summary_async]
   * (opening the camera does not read it: on some drivers, reading it
   * slows down the next operations).
   */
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:download-progress:
   *
   * How far the current or last download has come, from 0 to 1.
   */
  properties[PROP_DOWNLOAD_PROGRESS] =
    g_param_spec_double ("download-progress", NULL, NULL,
                         0, 1, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:busy-timeout:
   *
   * How long, in seconds, a camera that answers "busy" (writing the last
   * shot to its card, say) is asked again, after a short and growing
   * pause each time, before a capture or a setting fails with
   * %CAPA_CAMERA_ERROR_BUSY. 0 fails at once.
   */
  properties[PROP_BUSY_TIMEOUT] =
    g_param_spec_uint ("busy-timeout", NULL, NULL,
                       0, 3600, CAPA_CAMERA_DEFAULT_BUSY_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:has-bulb:
   *
   * Whether the camera has a bulb control, for
   * [method@Capa.Camera.capture_bulb_async]: known once the settings are
   * loaded, and notified whenever they are.
   */
  properties[PROP_HAS_BULB] =
    g_param_spec_boolean ("has-bulb", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaCamera:bulb-remaining:
   *
   * The seconds left of the bulb exposure in progress; 0 when none runs.
   */
  properties[PROP_BULB_REMAINING] =
    g_param_spec_double ("bulb-remaining", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaCamera::file-added:
   * @self: a #CapaCamera
   * @file: the new file on the camera (not downloaded)
   *
   * A new file appeared on the camera, such as a picture taken with the
   * camera's own shutter button. Reported while events are processed
   * with [method@Capa.Camera.process_events].
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_ADDED] =
    g_signal_new ("file-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::file-captured:
   * @self: a #CapaCamera
   * @file: the picture taken, on the camera (not downloaded)
   *
   * [method@Capa.Camera.capture_image] took a picture.
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_CAPTURED] =
    g_signal_new ("file-captured",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::file-previewed:
   * @self: a #CapaCamera
   * @file: the live-view frame, with its data
   *
   * [method@Capa.Camera.preview_image] received a live-view frame.
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_PREVIEWED] =
    g_signal_new ("file-previewed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::file-downloaded:
   * @self: a #CapaCamera
   * @file: the file, now holding its data
   *
   * [method@Capa.Camera.download_file] received a file.
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_DOWNLOADED] =
    g_signal_new ("file-downloaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::file-deleted:
   * @self: a #CapaCamera
   * @file: the file removed from the camera
   *
   * [method@Capa.Camera.delete_file] removed a file from the camera.
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_DELETED] =
    g_signal_new ("file-deleted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPA_TYPE_CAMERA_FILE);

  /**
   * CapaCamera::download-progress:
   * @self: a #CapaCamera
   * @file: the file being downloaded
   * @fraction: how far the download has come, from 0 to 1
   *
   * A download made progress; see also [property@Capa.Camera:download-progress].
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_DOWNLOAD_PROGRESS] =
    g_signal_new ("download-progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CAPA_TYPE_CAMERA_FILE, G_TYPE_DOUBLE);

  /**
   * CapaCamera::controls-changed:
   * @self: a #CapaCamera
   *
   * The values of the settings tree returned by
   * [method@Capa.Camera.get_controls] were read again from the camera:
   * after [method@Capa.Camera.load_controls], or when the camera
   * reported that a setting changed (a dial turned on the body).
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_CONTROLS_CHANGED] =
    g_signal_new ("controls-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CapaCamera::disconnected:
   * @self: a #CapaCamera
   *
   * The camera was unplugged or stopped answering; it is closed now.
   * Emitted once per [method@Capa.Camera.open].
   */
  _capa_camera_signals[CAPA_CAMERA_SIGNAL_DISCONNECTED] =
    g_signal_new ("disconnected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
capa_camera_init (CapaCamera *self)
{
  self->main_context = g_main_context_ref_thread_default ();
  self->main_thread = g_thread_ref (g_thread_self ());
  self->worker_context = g_main_context_new ();
  self->worker = g_thread_pool_new (_capa_camera_worker_func, self, 1, FALSE, NULL);
  self->busy_timeout_s = CAPA_CAMERA_DEFAULT_BUSY_TIMEOUT;
  g_mutex_init (&self->queue_mutex);
  g_cond_init (&self->queue_cond);
}

/* ------------------------------------------------------------------ */
/* open / close                                                         */
/* ------------------------------------------------------------------ */

typedef struct
{
  gboolean  has_capture;
  gboolean  has_preview;
  gboolean  has_settings;
} OpenResult;

static void
open_result_free (gpointer data)
{
  g_free (data);
}

static char *
summary_dup_manufacturer (const char *summary,
                          const char *model)
{
  /* ptp2's summary, in the user's language. */
  char *manufacturer = _capa_gp_summary_dup_field (summary, "Manufacturer: %s\n");

  if (manufacturer != NULL)
    return manufacturer;

  /* libgphoto2's model names start with the maker. */
  if (model != NULL)
    {
      const char *space = strchr (model, ' ');

      return space ? g_strndup (model, space - model) : g_strdup (model);
    }

  return NULL;
}

/* Sets up and initialises the device; NULL with job->error set on failure.
 * Runs under the libgphoto2 module lock (drivers are loaded here). */
static Camera *
open_device (CapaCamera    *self,
             CapaCameraJob *job,
             GPContext     *context)
{
  g_autoptr(Camera) camera = NULL;
  g_autoptr(GPPortInfoList) ports = NULL;
  CameraAbilitiesList *abilities_list;
  CameraAbilities abilities;
  GPPortInfo port_info;
  int index;
  int r;

  abilities_list = _capa_gp_get_abilities_list (&job->error);
  if (abilities_list == NULL)
    return NULL;

  index = gp_abilities_list_lookup_model (abilities_list, self->model);
  if (index < GP_OK)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                   _("libgphoto2 does not know the camera model “%s”"), self->model);
      return NULL;
    }
  if ((r = gp_abilities_list_get_abilities (abilities_list, index, &abilities)) < GP_OK)
    {
      _capa_gp_set_error (&job->error, r, NULL, _("Cannot set up the camera"));
      return NULL;
    }

  if ((r = gp_port_info_list_new (&ports)) < GP_OK ||
      (r = gp_port_info_list_load (ports)) < GP_OK)
    {
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot list the ports"));
      return NULL;
    }

  index = gp_port_info_list_lookup_path (ports, self->port);
  if (index < GP_OK)
    {
      g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                   _("There is no port “%s”: was the camera unplugged?"), self->port);
      return NULL;
    }
  if ((r = gp_port_info_list_get_info (ports, index, &port_info)) < GP_OK)
    {
      _capa_gp_set_error (&job->error, r, NULL, _("Cannot set up the camera"));
      return NULL;
    }

  if ((r = gp_camera_new (&camera)) < GP_OK ||
      (r = gp_camera_set_abilities (camera, abilities)) < GP_OK ||
      (r = gp_camera_set_port_info (camera, port_info)) < GP_OK)
    {
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot set up the camera"));
      return NULL;
    }

  r = gp_camera_init (camera, context);
  if (r < GP_OK)
    {
      if (r == GP_ERROR_IO_USB_CLAIM ||
          (job->context_error != NULL && strstr (job->context_error, "Could not claim") != NULL))
        r = GP_ERROR_IO_USB_CLAIM;
      _capa_gp_set_error (&job->error, r, job->context_error, _("Cannot open the camera"));
      return NULL;
    }

  return g_steal_pointer (&camera);
}

static CapaCameraJobStatus
open_run (CapaCamera    *self,
          CapaCameraJob *job,
          GPContext     *context)
{
  CameraAbilities abilities;
  OpenResult *result;
  Camera *camera;
  int r;

  if (self->gp_camera != NULL)
    {
      /* Already open: nothing to do. */
      result = g_new0 (OpenResult, 1);
      goto describe;
    }

  _capa_gp_lock ();
  camera = open_device (self, job, context);
  _capa_gp_unlock ();
  if (camera == NULL)
    return CAPA_CAMERA_JOB_DONE;

  self->gp_camera = camera;
  /* libgphoto2 counts the names of files in the camera's RAM from 0 again. */
  _capa_camera_forget_ram_shot (self);
  result = g_new0 (OpenResult, 1);

describe:
  /* The summary is not asked for here (see capa_camera_load_summary()):
   * after gp_camera_get_summary(), libgphoto2's PTP driver waits for
   * camera events before each of the next few deletes, which made the
   * first shots of a tethered session ~300 ms slower. */
  if ((r = gp_camera_get_abilities (self->gp_camera, &abilities)) < GP_OK)
    {
      g_free (result);
      _capa_camera_job_fail (self, job, r, _("Cannot open the camera"));
      if (self->gp_camera != NULL)
        _capa_gp_camera_release (&self->gp_camera, context);
      return CAPA_CAMERA_JOB_DONE;
    }
  result->has_capture = (abilities.operations & GP_OPERATION_CAPTURE_IMAGE) != 0;
  result->has_preview = (abilities.operations & GP_OPERATION_CAPTURE_PREVIEW) != 0;
  result->has_settings = (abilities.operations & GP_OPERATION_CONFIG) != 0;
  _capa_camera_job_set_result (job, result, open_result_free);

  return CAPA_CAMERA_JOB_DONE;
}

static void
open_done (CapaCamera    *self,
           CapaCameraJob *job)
{
  OpenResult *result = job->result;
  g_autofree char *manufacturer = NULL;

  if (result == NULL)
    return;

  manufacturer = summary_dup_manufacturer (self->summary, self->model);

  g_object_freeze_notify (G_OBJECT (self));
  set_string_prop (self, &self->manufacturer, PROP_MANUFACTURER, manufacturer);
  set_boolean_prop (self, PROP_HAS_CAPTURE, result->has_capture);
  set_boolean_prop (self, PROP_HAS_PREVIEW, result->has_preview);
  set_boolean_prop (self, PROP_HAS_SETTINGS, result->has_settings);
  self->disconnected_emitted = FALSE;
  _capa_camera_set_connected (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * capa_camera_open:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens the camera, waiting for it. This is the blocking twin of
 * [method@Capa.Camera.open_async].
 *
 * Returns: %TRUE once the camera is open
 */
gboolean
capa_camera_open (CapaCamera    *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_bool_job_sync (self,
                                         _capa_camera_bool_job_new (self, open_run, open_done,
                                                                    cancellable),
                                         error);
}

/**
 * capa_camera_open_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the camera is open or failed to open
 * @user_data: data for @callback
 *
 * Opens the camera: libgphoto2 initialises the driver and talks to the
 * device. Opening an open camera succeeds at once.
 *
 * When the desktop's GVFS volume monitor holds the device, this fails
 * with %CAPA_CAMERA_ERROR_GVFS_LOCKED; see [method@Capa.Camera.unmount_gvfs_async].
 */
void
capa_camera_open_async (CapaCamera          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self,
                                _capa_camera_bool_job_new (self, open_run, open_done, cancellable),
                                capa_camera_open_async, callback, user_data);
}

/**
 * capa_camera_open_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.open_async].
 *
 * Returns: %TRUE if the camera is open
 */
gboolean
capa_camera_open_finish (CapaCamera    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_open_async, error);
}

static CapaCameraJobStatus
close_run (CapaCamera    *self,
           CapaCameraJob *job,
           GPContext     *context)
{
  if (self->gp_camera != NULL)
    _capa_gp_camera_release (&self->gp_camera, context);
  g_atomic_int_set (&self->controls_loaded, FALSE);
  self->reload_pending = FALSE;
  _capa_camera_drop_shot (self);
  _capa_camera_forget_ram_shot (self);
  /* Files collected for shots of this connection: the camera may number
   * its files anew by the next one. */
  if (self->shots_collected != NULL)
    g_hash_table_remove_all (self->shots_collected);

  return CAPA_CAMERA_JOB_DONE;
}

static void
close_done (CapaCamera    *self,
            CapaCameraJob *job)
{
  _capa_camera_set_connected (self, FALSE);
}

/**
 * capa_camera_close:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Closes the camera, after the jobs queued before. The blocking twin of
 * [method@Capa.Camera.close_async].
 *
 * Returns: %TRUE once the camera is closed
 */
gboolean
capa_camera_close (CapaCamera    *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_bool_job_sync (self,
                                         _capa_camera_bool_job_new (self, close_run, close_done,
                                                                    cancellable),
                                         error);
}

/**
 * capa_camera_close_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the camera is closed
 * @user_data: data for @callback
 *
 * Closes the camera, releasing the device for other programs. The
 * settings tree stays, with its last values.
 */
void
capa_camera_close_async (CapaCamera          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self,
                                _capa_camera_bool_job_new (self, close_run, close_done,
                                                           cancellable),
                                capa_camera_close_async, callback, user_data);
}

/**
 * capa_camera_close_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.close_async].
 *
 * Returns: %TRUE if the camera is closed
 */
gboolean
capa_camera_close_finish (CapaCamera    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_close_async, error);
}

/* ------------------------------------------------------------------ */
/* summary                                                              */
/* ------------------------------------------------------------------ */

static CapaCameraJobStatus
load_summary_run (CapaCamera    *self,
                  CapaCameraJob *job,
                  GPContext     *context)
{
  CameraText summary;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  memset (&summary, 0, sizeof summary);
  r = gp_camera_get_summary (self->gp_camera, &summary, context);
  if (r < GP_OK)
    {
      _capa_camera_job_fail (self, job, r, _("Cannot read the camera's summary"));
      return CAPA_CAMERA_JOB_DONE;
    }

  summary.text[sizeof summary.text - 1] = '\0';
  _capa_camera_job_set_result (job, g_strdup (summary.text), g_free);
  return CAPA_CAMERA_JOB_DONE;
}

static void
load_summary_done (CapaCamera    *self,
                   CapaCameraJob *job)
{
  const char *summary = job->result;
  g_autofree char *manufacturer = NULL;

  if (summary == NULL)
    return;

  manufacturer = summary_dup_manufacturer (summary, self->model);

  g_object_freeze_notify (G_OBJECT (self));
  set_string_prop (self, &self->summary, PROP_SUMMARY, summary);
  set_string_prop (self, &self->manufacturer, PROP_MANUFACTURER, manufacturer);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * capa_camera_load_summary:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the camera's summary, waiting for it. The blocking twin of
 * [method@Capa.Camera.load_summary_async].
 *
 * Returns: %TRUE once [property@Capa.Camera:summary] holds it
 */
gboolean
capa_camera_load_summary (CapaCamera    *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_bool_job_sync (self,
                                         _capa_camera_bool_job_new (self, load_summary_run,
                                                                    load_summary_done,
                                                                    cancellable),
                                         error);
}

/**
 * capa_camera_load_summary_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the summary is read
 * @user_data: data for @callback
 *
 * Reads the camera's description of itself (libgphoto2's summary text)
 * on the camera's worker thread, after the jobs queued before, then sets
 * [property@Capa.Camera:summary] (and [property@Capa.Camera:manufacturer]
 * when the summary names the maker). The camera must be open.
 *
 * Opening the camera does not read the summary: with some drivers
 * (libgphoto2's PTP driver), the first few operations after it wait for
 * camera events, so read it when it is needed, not before the first shots.
 */
void
capa_camera_load_summary_async (CapaCamera          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self,
                                _capa_camera_bool_job_new (self, load_summary_run,
                                                           load_summary_done,
                                                           cancellable),
                                capa_camera_load_summary_async, callback, user_data);
}

/**
 * capa_camera_load_summary_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.load_summary_async].
 *
 * Returns: %TRUE if the summary was read
 */
gboolean
capa_camera_load_summary_finish (CapaCamera    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_load_summary_async, error);
}

/* ------------------------------------------------------------------ */
/* public getters                                                       */
/* ------------------------------------------------------------------ */

/**
 * capa_camera_new:
 * @model: the libgphoto2 model name, such as "Nikon DSC D750"
 * @port: the libgphoto2 port, such as "usb:001,004"
 *
 * Creates a camera object. Nothing talks to the device until
 * [method@Capa.Camera.open].
 *
 * Returns: (transfer full): a new #CapaCamera
 */
CapaCamera *
capa_camera_new (const char *model,
                 const char *port)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (port != NULL, NULL);

  return g_object_new (CAPA_TYPE_CAMERA,
                       "model", model,
                       "port", port,
                       NULL);
}

/**
 * capa_camera_get_model:
 * @self: a #CapaCamera
 *
 * Gets the libgphoto2 model name.
 *
 * Returns: (transfer none): the libgphoto2 model name
 */
const char *
capa_camera_get_model (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->model;
}

/**
 * capa_camera_get_port:
 * @self: a #CapaCamera
 *
 * Gets the libgphoto2 port.
 *
 * Returns: (transfer none): the libgphoto2 port
 */
const char *
capa_camera_get_port (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->port;
}

/**
 * capa_camera_get_connected:
 * @self: a #CapaCamera
 *
 * Gets whether the camera is open.
 *
 * Returns: whether the camera is open
 */
gboolean
capa_camera_get_connected (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  return self->connected;
}

/**
 * capa_camera_get_has_capture:
 * @self: a #CapaCamera
 *
 * Gets whether the camera can take pictures on request.
 *
 * Returns: whether the camera can take pictures on request
 */
gboolean
capa_camera_get_has_capture (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  return self->has_capture;
}

/**
 * capa_camera_get_has_preview:
 * @self: a #CapaCamera
 *
 * Gets whether the camera gives live-view frames.
 *
 * Returns: whether the camera gives live-view frames
 */
gboolean
capa_camera_get_has_preview (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  return self->has_preview;
}

/**
 * capa_camera_get_has_settings:
 * @self: a #CapaCamera
 *
 * Gets whether the camera exposes settings.
 *
 * Returns: whether the camera exposes settings
 */
gboolean
capa_camera_get_has_settings (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);

  return self->has_settings;
}

/**
 * capa_camera_get_manufacturer:
 * @self: a #CapaCamera
 *
 * Gets the maker, once the camera was open.
 *
 * Returns: (transfer none) (nullable): the maker, once the camera was open
 */
const char *
capa_camera_get_manufacturer (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->manufacturer;
}

/**
 * capa_camera_get_summary:
 * @self: a #CapaCamera
 *
 * Gets the camera's summary, once read with
 * [method@Capa.Camera.load_summary_async].
 *
 * Returns: (transfer none) (nullable): the camera's summary, or %NULL
 *   if it was not read yet
 */
const char *
capa_camera_get_summary (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->summary;
}

/**
 * capa_camera_get_download_progress:
 * @self: a #CapaCamera
 *
 * Gets how far the current or last download has come, from 0 to 1.
 *
 * Returns: how far the current or last download has come, from 0 to 1
 */
double
capa_camera_get_download_progress (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), 0);

  return self->download_progress;
}

/**
 * capa_camera_get_controls:
 * @self: a #CapaCamera
 *
 * Gets the root of the settings tree, or %NULL before
 * [method@Capa.Camera.load_controls].
 *
 * Returns: (transfer none) (nullable): the root of the settings tree, or
 *   %NULL before [method@Capa.Camera.load_controls]
 */
CapaControlGroup *
capa_camera_get_controls (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), NULL);

  return self->controls;
}

/**
 * capa_camera_get_bulb_remaining:
 * @self: a #CapaCamera
 *
 * Gets the seconds left of the bulb exposure in progress.
 *
 * Returns: the seconds left, 0 when no bulb exposure runs
 */
double
capa_camera_get_bulb_remaining (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), 0);

  return self->bulb_remaining;
}

/**
 * capa_camera_get_busy_timeout:
 * @self: a #CapaCamera
 *
 * Gets how long a busy camera is waited for.
 *
 * Returns: the time, in seconds
 */
guint
capa_camera_get_busy_timeout (CapaCamera *self)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), 0);

  return (guint) g_atomic_int_get (&self->busy_timeout_s);
}

/**
 * capa_camera_set_busy_timeout:
 * @self: a #CapaCamera
 * @seconds: the time, in seconds
 *
 * Sets how long a busy camera is waited for (see
 * [property@Capa.Camera:busy-timeout]).
 */
void
capa_camera_set_busy_timeout (CapaCamera *self,
                              guint       seconds)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));

  seconds = MIN (seconds, 3600);
  if (capa_camera_get_busy_timeout (self) == seconds)
    return;
  g_atomic_int_set (&self->busy_timeout_s, (int) seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY_TIMEOUT]);
}
