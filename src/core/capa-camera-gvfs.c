/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Releasing a camera held by the desktop's GVFS gphoto2 (or MTP) volume
 * monitor, which mounts cameras as they are plugged in. */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-camera.h"
#include "capa-gphoto2-private.h"

static gboolean
mount_matches (GMount     *mount,
               CapaCamera *self)
{
  g_autoptr(GFile) root = g_mount_get_root (mount);
  g_autoptr(GFile) location = g_mount_get_default_location (mount);
  g_autoptr(GVolume) volume = g_mount_get_volume (mount);
  g_autofree char *root_uri = root ? g_file_get_uri (root) : NULL;
  g_autofree char *location_uri = location ? g_file_get_uri (location) : NULL;
  g_autofree char *unix_device = NULL;
  const char *model = capa_camera_get_model (self);
  const char *port = capa_camera_get_port (self);

  if (volume != NULL)
    unix_device = g_volume_get_identifier (volume, G_VOLUME_IDENTIFIER_KIND_UNIX_DEVICE);

  return _capa_gvfs_matches_camera (root_uri, unix_device, model, port) ||
         _capa_gvfs_matches_camera (location_uri, NULL, model, port);
}

static void
on_unmount_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_mount_unmount_with_operation_finish (G_MOUNT (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * capa_camera_unmount_gvfs_async:
 * @self: a #CapaCamera
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the mount is gone
 * @user_data: data for @callback
 *
 * Finds the desktop's GVFS mount of this camera (the one that made
 * [method@Capa.Camera.open] fail with %CAPA_CAMERA_ERROR_GVFS_LOCKED) and
 * unmounts it, so that the camera can be opened. It fails with
 * %CAPA_CAMERA_ERROR_NOT_FOUND when there is no such mount.
 */
void
capa_camera_unmount_gvfs_async (CapaCamera          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GVolumeMonitor) monitor = NULL;
  GList *mounts;
  GMount *found = NULL;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_camera_unmount_gvfs_async);

  monitor = g_volume_monitor_get ();
  mounts = g_volume_monitor_get_mounts (monitor);
  for (GList *l = mounts; l != NULL && found == NULL; l = l->next)
    if (mount_matches (l->data, self))
      found = g_object_ref (l->data);
  g_list_free_full (mounts, g_object_unref);

  if (found == NULL)
    {
      g_task_return_new_error (task, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                               _("No desktop mount of the camera “%s” was found"),
                               capa_camera_get_model (self));
      return;
    }

  g_debug ("Unmounting the GVFS mount of %s", capa_camera_get_model (self));
  g_mount_unmount_with_operation (found, G_MOUNT_UNMOUNT_NONE, NULL, cancellable,
                                    on_unmount_cb, g_steal_pointer (&task));
  g_object_unref (found);
}

/**
 * capa_camera_unmount_gvfs_finish:
 * @self: a #CapaCamera
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Capa.Camera.unmount_gvfs_async].
 *
 * Returns: %TRUE if the mount was removed
 */
gboolean
capa_camera_unmount_gvfs_finish (CapaCamera    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
