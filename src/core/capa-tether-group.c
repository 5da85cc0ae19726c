/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Tether"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-start-gate-private.h"
#include "capa-tether-group.h"
#include "capa-tether-private.h"

/**
 * CapaTetherGroupShot:
 *
 * What one camera of a [class@Capa.TetherGroup] capture made: the images
 * saved from its shot, or why it made none.
 */
struct _CapaTetherGroupShot
{
  GObject     parent_instance;

  CapaTether *tether;
  GPtrArray  *images;         /* CapaImage */
  GError     *error;
  gint64      trigger_time;
};

G_DEFINE_FINAL_TYPE (CapaTetherGroupShot, capa_tether_group_shot, G_TYPE_OBJECT)

static void
capa_tether_group_shot_finalize (GObject *object)
{
  CapaTetherGroupShot *self = CAPA_TETHER_GROUP_SHOT (object);

  g_clear_object (&self->tether);
  g_clear_pointer (&self->images, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (capa_tether_group_shot_parent_class)->finalize (object);
}

static void
capa_tether_group_shot_class_init (CapaTetherGroupShotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = capa_tether_group_shot_finalize;
}

static void
capa_tether_group_shot_init (CapaTetherGroupShot *self)
{
  self->images = g_ptr_array_new_with_free_func (g_object_unref);
  self->trigger_time = -1;
}

static CapaTetherGroupShot *
group_shot_new (CapaTether *tether)
{
  CapaTetherGroupShot *self = g_object_new (CAPA_TYPE_TETHER_GROUP_SHOT, NULL);

  self->tether = g_object_ref (tether);
  return self;
}

/**
 * capa_tether_group_shot_get_tether:
 * @self: a #CapaTetherGroupShot
 *
 * Returns: (transfer none): the tether whose camera took the shot
 */
CapaTether *
capa_tether_group_shot_get_tether (CapaTetherGroupShot *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER_GROUP_SHOT (self), NULL);

  return self->tether;
}

/**
 * capa_tether_group_shot_get_images:
 * @self: a #CapaTetherGroupShot
 *
 * Every file of the camera's shot saved in the session (two for RAW +
 * JPEG), as [method@Capa.Tether.capture_all_finish] gives them; empty
 * when the capture failed.
 *
 * Returns: (transfer none) (element-type CapaImage): the images
 */
GPtrArray *
capa_tether_group_shot_get_images (CapaTetherGroupShot *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER_GROUP_SHOT (self), NULL);

  return self->images;
}

/**
 * capa_tether_group_shot_get_error:
 * @self: a #CapaTetherGroupShot
 *
 * Why this camera's capture failed, as [method@Capa.Tether.capture_async]
 * reports it (the message says what stays on the camera).
 *
 * Returns: (transfer none) (nullable): the error, or %NULL when the shot
 *   was saved
 */
const GError *
capa_tether_group_shot_get_error (CapaTetherGroupShot *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER_GROUP_SHOT (self), NULL);

  return self->error;
}

/**
 * capa_tether_group_shot_get_trigger_time:
 * @self: a #CapaTetherGroupShot
 *
 * When this camera's capture call began, released from the start gate, in
 * the time of g_get_monotonic_time().
 *
 * Returns: the trigger time in microseconds, or -1 when the capture never
 *   began (the camera was not open, or the capture was cancelled before)
 */
gint64
capa_tether_group_shot_get_trigger_time (CapaTetherGroupShot *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER_GROUP_SHOT (self), -1);

  return self->trigger_time;
}

/**
 * CapaTetherGroup:
 *
 * Several tethers whose cameras take a picture together.
 *
 * [method@Capa.TetherGroup.capture_async] fires every camera of the group
 * as close together as libgphoto2 allows: each capture runs on its own
 * camera's worker thread, which waits at a shared start gate once its
 * camera is ready (after the jobs queued before it), and the gate releases
 * them all at once. Each camera's shot then goes the way of
 * [method@Capa.Tether.capture_all_async]: every file of the shot, durably
 * saved in that tether's session, a busy camera asked again, the copy on
 * the camera deleted once saved. One camera failing never loses the
 * others' shots.
 *
 * [method@Capa.TetherGroup.get_last_spread] tells how far apart the
 * cameras' capture calls began, the best measure of simultaneity Capa
 * has (what each camera does after the call, its shutter lag, is its own).
 * A camera that is not ready within ten seconds of the first (stuck
 * behind a long job, say) does not hold the others back longer.
 */
struct _CapaTetherGroup
{
  GObject     parent_instance;

  GListStore *tethers;
  gint64      last_spread;
};

G_DEFINE_FINAL_TYPE (CapaTetherGroup, capa_tether_group, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TETHERS,
  PROP_LAST_SPREAD,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
capa_tether_group_dispose (GObject *object)
{
  CapaTetherGroup *self = CAPA_TETHER_GROUP (object);

  g_clear_object (&self->tethers);

  G_OBJECT_CLASS (capa_tether_group_parent_class)->dispose (object);
}

static void
capa_tether_group_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CapaTetherGroup *self = CAPA_TETHER_GROUP (object);

  switch (prop_id)
    {
    case PROP_TETHERS:
      g_value_set_object (value, self->tethers);
      break;

    case PROP_LAST_SPREAD:
      g_value_set_int64 (value, self->last_spread);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_tether_group_class_init (CapaTetherGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capa_tether_group_dispose;
  object_class->get_property = capa_tether_group_get_property;

  /**
   * CapaTetherGroup:tethers:
   *
   * The tethers of the group, in the order they were added: a
   * [iface@Gio.ListModel] of [class@Capa.Tether].
   */
  properties[PROP_TETHERS] =
    g_param_spec_object ("tethers", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaTetherGroup:last-spread:
   *
   * How far apart, in microseconds, the cameras' capture calls began in
   * the last capture of the group: the latest trigger time less the
   * earliest ([method@Capa.TetherGroupShot.get_trigger_time]); 0 with one
   * camera; -1 before any capture, or when no camera's capture began.
   */
  properties[PROP_LAST_SPREAD] =
    g_param_spec_int64 ("last-spread", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_tether_group_init (CapaTetherGroup *self)
{
  self->tethers = g_list_store_new (CAPA_TYPE_TETHER);
  self->last_spread = -1;
}

/**
 * capa_tether_group_new:
 *
 * Creates an empty group.
 *
 * Returns: (transfer full): a new #CapaTetherGroup
 */
CapaTetherGroup *
capa_tether_group_new (void)
{
  return g_object_new (CAPA_TYPE_TETHER_GROUP, NULL);
}

static gboolean
find_tether (CapaTetherGroup *self,
             CapaTether      *tether,
             guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tethers));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapaTether) item = g_list_model_get_item (G_LIST_MODEL (self->tethers), i);

      if (item == tether)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * capa_tether_group_add:
 * @self: a #CapaTetherGroup
 * @tether: a tether
 *
 * Adds @tether at the end of the group; nothing happens if it is in the
 * group already. Its cameras' next group capture includes it.
 */
void
capa_tether_group_add (CapaTetherGroup *self,
                       CapaTether      *tether)
{
  guint position;

  g_return_if_fail (CAPA_IS_TETHER_GROUP (self));
  g_return_if_fail (CAPA_IS_TETHER (tether));

  if (!find_tether (self, tether, &position))
    g_list_store_append (self->tethers, tether);
}

/**
 * capa_tether_group_remove:
 * @self: a #CapaTetherGroup
 * @tether: a tether
 *
 * Removes @tether from the group, if it is in it. A capture under way
 * goes on with it.
 */
void
capa_tether_group_remove (CapaTetherGroup *self,
                          CapaTether      *tether)
{
  guint position;

  g_return_if_fail (CAPA_IS_TETHER_GROUP (self));
  g_return_if_fail (CAPA_IS_TETHER (tether));

  if (find_tether (self, tether, &position))
    g_list_store_remove (self->tethers, position);
}

/**
 * capa_tether_group_get_tethers:
 * @self: a #CapaTetherGroup
 *
 * Returns: (transfer none): the tethers of the group, in order, a
 *   [iface@Gio.ListModel] of [class@Capa.Tether]
 */
GListModel *
capa_tether_group_get_tethers (CapaTetherGroup *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER_GROUP (self), NULL);

  return G_LIST_MODEL (self->tethers);
}

/**
 * capa_tether_group_get_last_spread:
 * @self: a #CapaTetherGroup
 *
 * Gets [property@Capa.TetherGroup:last-spread].
 *
 * Returns: the spread of the last capture's trigger times, in
 *   microseconds, or -1
 */
gint64
capa_tether_group_get_last_spread (CapaTetherGroup *self)
{
  g_return_val_if_fail (CAPA_IS_TETHER_GROUP (self), -1);

  return self->last_spread;
}

/* --- capture --- */

typedef struct
{
  CapaStartGate *gate;
  GPtrArray     *shots;       /* CapaTetherGroupShot, one per tether */
  guint          pending;
} GroupCapture;

static void
group_capture_free (gpointer data)
{
  GroupCapture *capture = data;

  _capa_start_gate_unref (capture->gate);
  g_ptr_array_unref (capture->shots);
  g_free (capture);
}

typedef struct
{
  GTask *task;
  guint  member;
} MemberCall;

static void
set_last_spread (CapaTetherGroup *self,
                 GPtrArray       *shots)
{
  gint64 first = G_MAXINT64;
  gint64 last = -1;
  gint64 spread;

  for (guint i = 0; i < shots->len; i++)
    {
      gint64 trigger = ((CapaTetherGroupShot *) g_ptr_array_index (shots, i))->trigger_time;

      if (trigger < 0)
        continue;
      first = MIN (first, trigger);
      last = MAX (last, trigger);
    }
  spread = last >= 0 ? last - first : -1;
  g_debug ("Group capture of %u cameras: triggers %" G_GINT64_FORMAT " µs apart",
           shots->len, spread);

  if (self->last_spread != spread)
    {
      self->last_spread = spread;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SPREAD]);
    }
}

static void
on_member_captured_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  MemberCall *call = user_data;
  g_autoptr(GTask) task = call->task;
  CapaTetherGroup *self = g_task_get_source_object (task);
  GroupCapture *capture = g_task_get_task_data (task);
  CapaTetherGroupShot *shot = g_ptr_array_index (capture->shots, call->member);
  GPtrArray *images;

  images = capa_tether_capture_all_finish (CAPA_TETHER (object), result, &shot->error);
  if (images != NULL)
    {
      g_ptr_array_unref (shot->images);
      shot->images = images;
    }
  /* A member that ended before the gate no longer holds the others. */
  _capa_start_gate_withdraw (capture->gate, call->member);
  shot->trigger_time = _capa_start_gate_get_trigger_time (capture->gate, call->member);
  g_free (call);

  if (--capture->pending > 0)
    return;

  set_last_spread (self, capture->shots);
  g_task_return_pointer (task, g_ptr_array_ref (capture->shots),
                         (GDestroyNotify) g_ptr_array_unref);
}

/**
 * capa_tether_group_capture_async:
 * @self: a #CapaTetherGroup
 * @cancellable: (nullable): a #GCancellable, for every camera's capture
 * @callback: (scope async): called once every camera's shot is saved or
 *   has failed
 * @user_data: data for @callback
 *
 * Takes a picture with every camera of the group at once (see
 * [class@Capa.TetherGroup]). Each camera's capture is queued on its
 * camera like [method@Capa.Tether.capture_all_async], behind what that
 * camera is doing, and its tether emits
 * [signal@Capa.Tether::image-saved] for each file saved.
 *
 * Cancelling @cancellable cancels every camera's capture as
 * [method@Capa.Tether.capture_async] says: a camera still waiting at the
 * start gate takes no picture.
 */
void
capa_tether_group_capture_async (CapaTetherGroup     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;
  GroupCapture *capture;
  guint n;

  g_return_if_fail (CAPA_IS_TETHER_GROUP (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_tether_group_capture_async);
  /* Each camera's outcome is reported, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);

  model = G_LIST_MODEL (self->tethers);
  n = g_list_model_get_n_items (model);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (n == 0)
    {
      g_task_return_new_error (task, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED,
                               _("There is no camera to take a picture with. Connect a camera "
                                 "and try again."));
      return;
    }

  capture = g_new0 (GroupCapture, 1);
  capture->gate = _capa_start_gate_new (n);
  capture->shots = g_ptr_array_new_with_free_func (g_object_unref);
  capture->pending = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CapaTether) tether = g_list_model_get_item (model, i);

      g_ptr_array_add (capture->shots, group_shot_new (tether));
    }
  g_task_set_task_data (task, capture, group_capture_free);

  for (guint i = 0; i < n; i++)
    {
      CapaTetherGroupShot *shot = g_ptr_array_index (capture->shots, i);
      MemberCall *call = g_new0 (MemberCall, 1);

      call->task = g_object_ref (task);
      call->member = i;
      _capa_tether_capture_gated_async (shot->tether, capture->gate, i, cancellable,
                                        on_member_captured_cb, call);
    }
}

/**
 * capa_tether_group_capture_finish:
 * @self: a #CapaTetherGroup
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.TetherGroup.capture_async] with one
 * [class@Capa.TetherGroupShot] per tether, in the group's order, whatever
 * became of each camera's shot (see
 * [method@Capa.TetherGroupShot.get_error]).
 *
 * Returns: (transfer container) (element-type CapaTetherGroupShot): the
 *   shots, or %NULL with @error set when no capture could be started (an
 *   empty group, or @cancellable cancelled before)
 */
GPtrArray *
capa_tether_group_capture_finish (CapaTetherGroup  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (CAPA_IS_TETHER_GROUP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        capa_tether_group_capture_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
