/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaCamera: the camera's events and its settings tree. */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-camera-private.h"
#include "capa-control-private.h"
#include "capa-gphoto2-private.h"
#include "capa-testing-private.h"

/* ------------------------------------------------------------------ */
/* events                                                               */
/* ------------------------------------------------------------------ */

/* Settings reads and writes reach the camera in the worker's order, each
 * with a serial; their results are applied in the camera's main context.
 * Results usually arrive there in the same order, but a blocking twin
 * completes in a private context of its own and so overtakes an
 * asynchronous call queued before it (a script reading the settings while
 * the window's read is on its way): a read older than a read or a write
 * applied since would put back values the camera no longer has. Such a
 * read is dropped (the tree applied since is newer). */

/* Worker thread: the serial of a read or write reaching the camera now. */
static guint
next_controls_serial (CapaCamera *self)
{
  return ++self->controls_serial;
}

/* Main context: whether what was read with @serial is older than what was
 * applied already (on a camera whose tree exists). */
static gboolean
controls_read_is_stale (CapaCamera *self,
                        guint       serial)
{
  return self->controls != NULL && (int) (serial - self->controls_applied) < 0;
}

static void
controls_applied (CapaCamera *self,
                  guint       serial)
{
  if ((int) (serial - self->controls_applied) > 0)
    self->controls_applied = serial;
}

typedef struct
{
  CapaCamera   *self;
  CameraWidget *widget;     /* a whole tree when full is TRUE, else one widget */
  gboolean      full;
  guint         serial;
} ControlsUpdate;

static gboolean
controls_update_cb (gpointer data)
{
  ControlsUpdate *update = data;
  CapaCamera *self = update->self;

  if (controls_read_is_stale (self, update->serial))
    {
      g_debug ("A settings update older than the settings applied since is dropped");
      return G_SOURCE_REMOVE;
    }

  if (self->controls != NULL)
    {
      /* One setting read says nothing of the others. */
      if (update->full)
        controls_applied (self, update->serial);
      if (update->full)
        _capa_control_update_from_widget (CAPA_CONTROL (self->controls), update->widget);
      else
        {
          g_autofree char *name = _capa_widget_dup_name (update->widget);
          CapaControl *control;

          control = _capa_control_group_find_by_name (self->controls, name);
          if (control != NULL)
            _capa_control_update_from_widget (control, update->widget);
        }
      g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_CONTROLS_CHANGED], 0);
      _capa_camera_notify_has_bulb (self);
    }

  return G_SOURCE_REMOVE;
}

static void
controls_update_free (gpointer data)
{
  ControlsUpdate *update = data;

  g_clear_pointer (&update->widget, gp_widget_unref);
  g_clear_object (&update->self);
  g_free (update);
}

static void
send_controls_update (CapaCamera   *self,
                      CameraWidget *widget,
                      gboolean      full)
{
  ControlsUpdate *update = g_new0 (ControlsUpdate, 1);

  update->self = g_object_ref (self);
  update->widget = widget;
  update->full = full;
  update->serial = next_controls_serial (self);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT,
                              controls_update_cb, update, controls_update_free);
}

gboolean
_capa_parse_property_event (const char  *text,
                            char       **name)
{
  const char *quote;
  const char *end;

  g_return_val_if_fail (name != NULL, FALSE);

  *name = NULL;
  if (text == NULL || !g_str_has_prefix (text, "PTP Property "))
    return FALSE;

  /* "PTP Property 5007 changed, "f-number" to "f/5.6"" names the setting;
   * "PTP Property 5007 changed" does not. */
  quote = strstr (text, "changed, \"");
  if (quote != NULL)
    {
      quote += strlen ("changed, \"");
      end = strchr (quote, '"');
      if (end != NULL && end > quote)
        *name = g_strndup (quote, end - quote);
    }

  return strstr (text, " changed") != NULL;
}

/* How long one event wait lasts at most: CAPA_CAMERA_EVENT_SLICE_MS, or
 * what a test set (capa-testing-private.h). */
static int event_slice_ms = CAPA_CAMERA_EVENT_SLICE_MS;

/* Declared in capa-testing-private.h. */
void
_capa_testing_camera_set_event_slice_ms (guint ms)
{
  g_atomic_int_set (&event_slice_ms,
                    ms > 0 ? (int) MIN (ms, (guint) G_MAXINT) : CAPA_CAMERA_EVENT_SLICE_MS);
}

/* Declared in capa-testing-private.h. */
guint
_capa_testing_camera_get_n_event_waits (CapaCamera *camera)
{
  return (guint) g_atomic_int_get (&camera->n_event_waits);
}

/* Declared in capa-testing-private.h. */
guint
_capa_testing_camera_get_n_event_waits_yielded (CapaCamera *camera)
{
  return (guint) g_atomic_int_get (&camera->n_event_waits_yielded);
}

static CapaCameraJobStatus
events_run (CapaCamera    *self,
            CapaCameraJob *job,
            GPContext     *context)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  gboolean reload_all = FALSE;
  gint64 now;
  int timeout;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  now = g_get_monotonic_time ();
  timeout = (int) CLAMP ((job->deadline - now) / 1000, 0,
                         (gint64) g_atomic_int_get (&event_slice_ms));

  for (guint n = 0; n < CAPA_CAMERA_EVENTS_PER_SLICE; n++)
    {
      CameraEventType type = GP_EVENT_TIMEOUT;
      void *event_data = NULL;
      int r;

      /* The driver is only asked for the events there are; the wait for
       * more is Capa's own (below), which a job queued meanwhile ends at
       * once. */
      r = gp_camera_wait_for_event (self->gp_camera, 0, &type, &event_data, context);
      if (r < GP_OK)
        {
          free (event_data);
          _capa_camera_job_fail (self, job, r, _("Cannot read the camera's events"));
          return CAPA_CAMERA_JOB_DONE;
        }

      /* A file of the shot just taken, or the camera saying the shot is
       * complete, belongs to that shot (capa-camera-shot.c). */
      if (_capa_camera_route_shot_event (self, context, type, event_data))
        {
          free (event_data);
          continue;
        }

      switch ((int) type)
        {
        case GP_EVENT_FILE_ADDED:
          {
            CameraFilePath *path = event_data;
            g_autoptr(CapaCameraFile) file = _capa_camera_file_from_camera (self, path->folder,
                                                                            path->name);

            g_debug ("Camera event: file added %s/%s", path->folder, path->name);
            _capa_camera_emit_in_main (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_FILE_ADDED],
                                       file, 0);
          }
          break;

        case GP_EVENT_UNKNOWN:
          {
            g_autofree char *name = NULL;

            if (event_data != NULL && _capa_parse_property_event (event_data, &name))
              {
                if (name == NULL)
                  reload_all = TRUE;
                else if (!g_ptr_array_find_with_equal_func (changed, name, g_str_equal, NULL))
                  g_ptr_array_add (changed, g_steal_pointer (&name));
              }
          }
          break;

        default:
          break;
        }

      free (event_data);
      if (type != GP_EVENT_TIMEOUT)
        continue;

      /* None left: wait out the slice, unless another job is queued; the
       * next slice asks the camera again. */
      if (n == 0 && timeout > 0)
        {
          g_atomic_int_inc (&self->n_event_waits);
          if (!_capa_camera_job_wait_for_queue (self, job, (guint) timeout))
            g_atomic_int_inc (&self->n_event_waits_yielded);
        }
      break;
    }

  /* Settings changed on the body: read only those back, or the whole
   * tree when they cannot be told apart. Reading the whole tree is slow on
   * some bodies, so a camera that keeps reporting changes gets it read at
   * most once per CAPA_CAMERA_RELOAD_INTERVAL_MS; the rest wait for a
   * later slice. */
  if (reload_all || changed->len > 8)
    {
      self->reload_pending = TRUE;
      g_ptr_array_set_size (changed, 0);
    }

  if (g_atomic_int_get (&self->controls_loaded) && (self->reload_pending || changed->len > 0))
    {
      gint64 now_us = g_get_monotonic_time ();

      if (self->reload_pending)
        {
          CameraWidget *root = NULL;

          if (now_us - self->last_reload >= CAPA_CAMERA_RELOAD_INTERVAL_MS * 1000 &&
              gp_camera_get_config (self->gp_camera, &root, context) >= GP_OK)
            {
              self->reload_pending = FALSE;
              self->last_reload = now_us;
              send_controls_update (self, root, TRUE);
            }
        }
      else
        {
          for (guint i = 0; i < changed->len; i++)
            {
              CameraWidget *widget = NULL;

              if (gp_camera_get_single_config (self->gp_camera, changed->pdata[i], &widget,
                                               context) >= GP_OK)
                send_controls_update (self, widget, FALSE);
            }
        }
    }

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return CAPA_CAMERA_JOB_DONE;
  if (g_get_monotonic_time () < job->deadline)
    return CAPA_CAMERA_JOB_AGAIN;

  return CAPA_CAMERA_JOB_DONE;
}

static CapaCameraJob *
events_job_new (CapaCamera   *self,
                guint         wait_ms,
                GCancellable *cancellable)
{
  CapaCameraJob *job = _capa_camera_bool_job_new (self, events_run, NULL, cancellable);

  job->deadline = g_get_monotonic_time () + (gint64) wait_ms * 1000;
  return job;
}

/**
 * capa_camera_process_events:
 * @self: a #CapaCamera
 * @wait_ms: how long to watch for events, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Watches the camera's events for @wait_ms, waiting for it. The blocking
 * twin of [method@Capa.Camera.process_events_async].
 *
 * Returns: %TRUE if the events were read
 */
gboolean
capa_camera_process_events (CapaCamera    *self,
                            guint          wait_ms,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_bool_job_sync (self, events_job_new (self, wait_ms, cancellable), error);
}

/**
 * capa_camera_process_events_async:
 * @self: a #CapaCamera
 * @wait_ms: how long to watch for events, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called after @wait_ms
 * @user_data: data for @callback
 *
 * Watches the camera's events for @wait_ms: new files are reported by
 * [signal@Capa.Camera::file-added], settings changed on the body update
 * the settings tree and emit [signal@Capa.Camera::controls-changed].
 *
 * The camera is polled in short slices, and other operations asked for
 * meanwhile (a capture, say) run between two slices, within milliseconds.
 */
void
capa_camera_process_events_async (CapaCamera          *self,
                                  guint                wait_ms,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self, events_job_new (self, wait_ms, cancellable),
                   capa_camera_process_events_async, callback, user_data);
}

/**
 * capa_camera_process_events_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.process_events_async].
 *
 * Returns: %TRUE if the events were read
 */
gboolean
capa_camera_process_events_finish (CapaCamera    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_process_events_async, error);
}

/* ------------------------------------------------------------------ */
/* controls                                                             */
/* ------------------------------------------------------------------ */

static CapaCameraJobStatus
load_controls_run (CapaCamera    *self,
                   CapaCameraJob *job,
                   GPContext     *context)
{
  CameraWidget *root = NULL;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;

  r = gp_camera_get_config (self->gp_camera, &root, context);
  if (r < GP_OK)
    {
      _capa_camera_job_fail (self, job, r, _("Cannot read the camera's settings"));
      return CAPA_CAMERA_JOB_DONE;
    }

  g_atomic_int_set (&self->controls_loaded, TRUE);
  _capa_camera_job_set_data (job, GUINT_TO_POINTER (next_controls_serial (self)), NULL);
  _capa_camera_job_set_result (job, root, (GDestroyNotify) gp_widget_unref);
  return CAPA_CAMERA_JOB_DONE;
}

static void
load_controls_done (CapaCamera    *self,
                    CapaCameraJob *job)
{
  CameraWidget *root = job->result;
  guint serial = GPOINTER_TO_UINT (job->data);

  if (root == NULL)
    return;

  if (controls_read_is_stale (self, serial))
    {
      g_debug ("A settings read older than the settings applied since is dropped");
      _capa_camera_job_set_result (job, NULL, NULL);
      return;
    }
  controls_applied (self, serial);

  if (self->controls == NULL ||
      !_capa_control_update_from_widget (CAPA_CONTROL (self->controls), root))
    {
      g_autoptr(CapaControl) tree = _capa_control_new_from_widget (root, NULL);

      g_clear_object (&self->controls);
      if (CAPA_IS_CONTROL_GROUP (tree))
        self->controls = CAPA_CONTROL_GROUP (g_steal_pointer (&tree));
    }

  g_signal_emit (self, _capa_camera_signals[CAPA_CAMERA_SIGNAL_CONTROLS_CHANGED], 0);
  _capa_camera_notify_has_bulb (self);
  _capa_camera_job_set_result (job, NULL, NULL);
}

/**
 * capa_camera_load_controls:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the camera's settings, waiting for it. The blocking twin of
 * [method@Capa.Camera.load_controls_async].
 *
 * Returns: %TRUE once [method@Capa.Camera.get_controls] holds them
 */
gboolean
capa_camera_load_controls (CapaCamera    *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_bool_job_sync (self,
                                         _capa_camera_bool_job_new (self, load_controls_run,
                                                                    load_controls_done,
                                                                    cancellable),
                                         error);
}

/**
 * capa_camera_load_controls_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the settings are read
 * @user_data: data for @callback
 *
 * Reads the whole settings tree from the camera (slow on some bodies, so
 * do it once; changes the camera reports later are read one by one). The
 * first load creates the tree of [method@Capa.Camera.get_controls]; later
 * loads update the same control objects. Emits
 * [signal@Capa.Camera::controls-changed].
 */
void
capa_camera_load_controls_async (CapaCamera          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self,
                                _capa_camera_bool_job_new (self, load_controls_run,
                                                           load_controls_done,
                                                           cancellable),
                                capa_camera_load_controls_async, callback, user_data);
}

/**
 * capa_camera_load_controls_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.load_controls_async].
 *
 * Returns: %TRUE if the settings were read
 */
gboolean
capa_camera_load_controls_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_load_controls_async, error);
}

typedef struct
{
  GPtrArray *controls;  /* CapaControl, main thread only */
  GPtrArray *changes;   /* CapaControlChange, worker */
  gboolean  *saved;     /* per change: the camera took a send holding it */
  guint      serial;    /* of the write, 0 when nothing reached the camera */
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_clear_pointer (&save->controls, g_ptr_array_unref);
  g_clear_pointer (&save->changes, g_ptr_array_unref);
  g_clear_pointer (&save->saved, g_free);
  g_free (save);
}

/* On a driver that takes only the whole tree, the changes written into
 * @root since the last send (their indexes in @pending) reach the camera
 * only with the next gp_camera_set_config(). Sends them; only once the
 * camera took the tree are they saved. A refused tree fails @job with an
 * error naming every setting it carried, as the camera does not say which
 * one it refused. */
static gboolean
send_tree (CapaCamera    *self,
           CapaCameraJob *job,
           GPContext     *context,
           CameraWidget  *root,
           SaveData      *save,
           GArray        *pending)
{
  int r;

  if (pending->len == 0)
    return TRUE;

  {
    gint64 busy_since = 0;
    guint attempt = 0;

    do
      {
        g_clear_pointer (&job->context_error, g_free);
        r = gp_camera_set_config (self->gp_camera, root, context);
      }
    while (r == GP_ERROR_CAMERA_BUSY &&
           _capa_camera_wait_if_busy (self, job, &busy_since, &attempt));
  }
  if (r < GP_OK)
    {
      g_autofree char *what = NULL;

      if (pending->len == 1)
        {
          guint index = g_array_index (pending, guint, 0);
          CapaControlChange *change = g_ptr_array_index (save->changes, index);

          what = g_strdup_printf (_("The camera refused “%s” (%s)"),
                                  change->label, change->path);
        }
      else
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint i = 0; i < pending->len; i++)
            {
              guint index = g_array_index (pending, guint, i);
              CapaControlChange *change = g_ptr_array_index (save->changes, index);

              if (i > 0)
                g_string_append (names, ", ");
              g_string_append_printf (names, "“%s” (%s)", change->label, change->path);
            }
          /* Translators: %s is a list of settings, each as “Label” (path) */
          what = g_strdup_printf (_("The camera refused the settings %s"), names->str);
        }

      _capa_camera_job_fail (self, job, r, what);
      return FALSE;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      guint index = g_array_index (pending, guint, i);
      CapaControlChange *change = g_ptr_array_index (save->changes, index);
      CameraWidget *widget = _capa_widget_find_by_path (root, change->path);

      save->saved[index] = TRUE;
      /* Sent: the next tree need not carry it again. */
      if (widget != NULL)
        gp_widget_set_changed (widget, 0);
    }
  g_array_set_size (pending, 0);

  return TRUE;
}

static CapaCameraJobStatus
save_controls_run (CapaCamera    *self,
                   CapaCameraJob *job,
                   GPContext     *context)
{
  SaveData *save = job->data;
  g_autoptr(CameraWidget) root = NULL;
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean whole_tree = FALSE;
  int r;

  if (!_capa_camera_job_check_open (self, job))
    return CAPA_CAMERA_JOB_DONE;
  if (save->changes->len == 0)
    return CAPA_CAMERA_JOB_DONE;

  save->serial = next_controls_serial (self);
  r = gp_camera_get_config (self->gp_camera, &root, context);
  if (r < GP_OK)
    {
      _capa_camera_job_fail (self, job, r, _("Cannot read the camera's settings"));
      return CAPA_CAMERA_JOB_DONE;
    }

  for (guint i = 0; i < save->changes->len; i++)
    {
      CapaControlChange *change = g_ptr_array_index (save->changes, i);
      CameraWidget *widget = _capa_widget_find_by_path (root, change->path);
      const char *name = NULL;

      if (widget == NULL)
        {
          g_set_error (&job->error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                       _("The camera no longer has the setting “%s” (%s)"),
                       change->label, change->path);
          return CAPA_CAMERA_JOB_DONE;
        }

      if (change->type == CAPA_TYPE_CONTROL_BUTTON)
        {
          /* The settings before an action take effect before it. */
          if (!send_tree (self, job, context, root, save, pending))
            return CAPA_CAMERA_JOB_DONE;

          g_clear_pointer (&job->context_error, g_free);
          if (!_capa_control_change_apply (change, widget, self->gp_camera, context, &job->error))
            return CAPA_CAMERA_JOB_DONE;
          save->saved[i] = TRUE;
          continue;
        }

      g_clear_pointer (&job->context_error, g_free);
      if (!_capa_control_change_apply (change, widget, self->gp_camera, context, &job->error))
        return CAPA_CAMERA_JOB_DONE;

      if (!whole_tree)
        {
          if ((r = gp_widget_get_name (widget, &name)) >= GP_OK)
            {
              gint64 busy_since = 0;
              guint attempt = 0;

              /* A camera busy after a shot is asked again for a while. */
              while ((r = gp_camera_set_single_config (self->gp_camera, name, widget,
                                                       context)) == GP_ERROR_CAMERA_BUSY &&
                     _capa_camera_wait_if_busy (self, job, &busy_since, &attempt))
                g_clear_pointer (&job->context_error, g_free);
            }
          if (r >= GP_OK)
            {
              save->saved[i] = TRUE;
              gp_widget_set_changed (widget, 0);
              continue;
            }
          if (r != GP_ERROR_NOT_SUPPORTED)
            {
              g_autofree char *what = g_strdup_printf (_("The camera refused “%s” (%s)"),
                                                       change->label, change->path);

              _capa_camera_job_fail (self, job, r, what);
              return CAPA_CAMERA_JOB_DONE;
            }

          /* An old driver: the rest goes with the whole tree. */
          whole_tree = TRUE;
        }

      g_array_append_val (pending, i);
    }

  send_tree (self, job, context, root, save, pending);

  return CAPA_CAMERA_JOB_DONE;
}

static void
save_controls_done (CapaCamera    *self,
                    CapaCameraJob *job)
{
  SaveData *save = job->data;

  /* A read from before this write is out of date. */
  if (save->serial != 0)
    controls_applied (self, save->serial);

  for (guint i = 0; i < save->controls->len; i++)
    {
      CapaControl *control = g_ptr_array_index (save->controls, i);
      CapaControlChange *change = g_ptr_array_index (save->changes, i);

      /* Only what reached the camera is saved. */
      if (!save->saved[i])
        continue;

      /* A value changed again while the save ran is still to be sent. */
      if (G_IS_VALUE (&change->value))
        {
          g_auto(GValue) now = G_VALUE_INIT;
          GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (control),
                                                            "value");

          g_value_init (&now, G_VALUE_TYPE (&change->value));
          g_object_get_property (G_OBJECT (control), "value", &now);
          if (g_param_values_cmp (pspec, &now, &change->value) != 0)
            continue;
        }

      _capa_control_set_dirty (control, FALSE);
    }
}

static CapaCameraJob *
save_controls_job_new (CapaCamera   *self,
                       GCancellable *cancellable)
{
  CapaCameraJob *job = _capa_camera_bool_job_new (self, save_controls_run, save_controls_done,
                                                  cancellable);
  SaveData *save = g_new0 (SaveData, 1);

  save->controls = g_ptr_array_new_with_free_func (g_object_unref);
  save->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) _capa_control_change_free);
  if (self->controls != NULL)
    _capa_control_group_collect_dirty (self->controls, save->controls);
  for (guint i = 0; i < save->controls->len; i++)
    {
      CapaControl *control = g_ptr_array_index (save->controls, i);

      g_ptr_array_add (save->changes, _capa_control_change_new (control));
    }
  save->saved = g_new0 (gboolean, MAX (save->controls->len, 1));

  _capa_camera_job_set_data (job, save, save_data_free);
  return job;
}

/**
 * capa_camera_save_controls:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends the changed settings to the camera, waiting for it. The blocking
 * twin of [method@Capa.Camera.save_controls_async].
 *
 * Returns: %TRUE if the camera took every change
 */
gboolean
capa_camera_save_controls (CapaCamera    *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return _capa_camera_run_bool_job_sync (self, save_controls_job_new (self, cancellable), error);
}

/**
 * capa_camera_save_controls_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the changes are sent
 * @user_data: data for @callback
 *
 * Sends the dirty controls (and only those) to the camera, in tree
 * order, and clears their [property@Capa.Control:dirty] flag once the
 * camera took them. When the camera refuses one, the error names that
 * setting and the camera's reason; the settings before it were saved, it
 * and the ones after it stay dirty.
 *
 * Some drivers take only the whole settings tree at once: their changes
 * are sent together, before each pressed [class@Capa.ControlButton] (so
 * that an action sees the settings before it) and at the end. When the
 * camera refuses such a tree, the error names every setting it carried,
 * and they all stay dirty, with the controls after them.
 */
void
capa_camera_save_controls_async (CapaCamera          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _capa_camera_queue_job_async (self, save_controls_job_new (self, cancellable),
                   capa_camera_save_controls_async, callback, user_data);
}

/**
 * capa_camera_save_controls_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.save_controls_async].
 *
 * Returns: %TRUE if the camera took every change
 */
gboolean
capa_camera_save_controls_finish (CapaCamera    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _capa_camera_finish_boolean (self, result, capa_camera_save_controls_async, error);
}

