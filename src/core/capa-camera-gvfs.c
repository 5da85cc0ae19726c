/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Releasing a camera held by the desktop's GVFS gphoto2 (or MTP) volume
 * monitor, which mounts cameras as they are plugged in. */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gudev/gudev.h>

#include "capa-camera.h"
#include "capa-camera-gvfs-private.h"
#include "capa-gphoto2-private.h"
#include "capa-testing-private.h"

/* The unescaped host of a gphoto2:// or mtp:// URI, or NULL. */
static char *
camera_uri_host (const char *uri)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  const char *rest;
  const char *end;

  if (uri == NULL)
    return NULL;

  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL || (!g_str_equal (scheme, "gphoto2") && !g_str_equal (scheme, "mtp")))
    return NULL;

  rest = uri + strlen (scheme);
  if (!g_str_has_prefix (rest, "://"))
    return NULL;
  rest += 3;
  end = strchr (rest, '/');
  host = end != NULL ? g_strndup (rest, end - rest) : g_strdup (rest);

  return g_uri_unescape_string (host, NULL);
}

static gboolean
parse_usb_device (const char *unix_device)
{
  guint bus, dev;

  return unix_device != NULL && sscanf (unix_device, "/dev/bus/usb/%u/%u", &bus, &dev) == 2;
}

/* Whether @mount names a device (a port or a device node) at all, and
 * whether that device is the one on @port or with @usb_serial. */
static gboolean
mount_names_device (const CapaGvfsMount *mount,
                    const char          *port,
                    const char          *usb_serial,
                    gboolean            *is_ours)
{
  const char *uris[] = { mount->root_uri, mount->location_uri, mount->activation_uri };
  gboolean names_device = FALSE;

  *is_ours = FALSE;

  if (parse_usb_device (mount->unix_device))
    {
      names_device = TRUE;
      if (_capa_gvfs_matches_camera (NULL, mount->unix_device, NULL, port))
        *is_ours = TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autofree char *host = camera_uri_host (uris[i]);

      if (host == NULL)
        continue;

      /* gphoto2://[usb:001,004]/ */
      if (host[0] == '[')
        {
          names_device = TRUE;
          if (_capa_gvfs_matches_camera (uris[i], NULL, NULL, port))
            *is_ours = TRUE;
        }
      /* gphoto2://Nikon_Corp._D750_3001234/: udev's ID_SERIAL */
      else if (usb_serial != NULL && usb_serial[0] != '\0' && g_str_equal (host, usb_serial))
        {
          names_device = TRUE;
          *is_ours = TRUE;
        }
    }

  return names_device;
}

static gboolean
mount_has_model_name (const CapaGvfsMount *mount,
                      const char          *model)
{
  return _capa_gvfs_matches_camera (mount->root_uri, NULL, model, NULL) ||
         _capa_gvfs_matches_camera (mount->location_uri, NULL, model, NULL) ||
         _capa_gvfs_matches_camera (mount->activation_uri, NULL, model, NULL);
}

static const char *
mount_display_name (const CapaGvfsMount *mount)
{
  if (mount->name != NULL && mount->name[0] != '\0')
    return mount->name;
  if (mount->root_uri != NULL)
    return mount->root_uri;
  return mount->activation_uri != NULL ? mount->activation_uri : "?";
}

int
_capa_gvfs_find_camera_mount (const CapaGvfsMount  *mounts,
                              guint                 n_mounts,
                              const char           *model,
                              const char           *port,
                              const char           *usb_serial,
                              GError              **error)
{
  g_autoptr(GArray) by_model = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (mounts != NULL || n_mounts == 0, -1);
  g_return_val_if_fail (model != NULL, -1);

  /* The port (or the serial number of the device on it) says for sure. */
  for (guint i = 0; i < n_mounts; i++)
    {
      gboolean is_ours;

      if (mount_names_device (&mounts[i], port, usb_serial, &is_ours) && is_ours)
        return (int) i;
    }

  /* Else a mount with the model's name, unless it names another device. */
  for (guint i = 0; i < n_mounts; i++)
    {
      gboolean is_ours;

      if (mount_names_device (&mounts[i], port, usb_serial, &is_ours))
        continue;
      if (mount_has_model_name (&mounts[i], model))
        g_array_append_val (by_model, i);
    }

  if (by_model->len == 1)
    return (int) g_array_index (by_model, guint, 0);

  if (by_model->len == 0)
    {
      g_set_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND,
                   _("No desktop mount of the camera “%s” was found"), model);
      return -1;
    }

  {
    g_autoptr(GString) names = g_string_new (NULL);

    for (guint i = 0; i < by_model->len; i++)
      {
        const CapaGvfsMount *mount = &mounts[g_array_index (by_model, guint, i)];

        if (i > 0)
          g_string_append (names, ", ");
        g_string_append_printf (names, "“%s”", mount_display_name (mount));
      }

    g_set_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BUSY,
                 _("Several desktop mounts hold cameras of the model “%s” (%s), and Capa "
                   "cannot tell which one is the camera on %s, so it unmounted none. Unmount "
                   "the right one in the file manager, or unplug the other cameras, and try "
                   "again."),
                 model, names->str, port != NULL ? port : "?");
    return -1;
  }
}

/* The udev ID_SERIAL of the USB device on @port ("usb:001,004"), the name
 * GVFS gives its mount, or NULL. */
static char *
dup_usb_serial (const char *port)
{
  g_autoptr(GUdevClient) client = NULL;
  g_autoptr(GUdevDevice) device = NULL;
  g_autofree char *device_file = NULL;
  guint bus, dev;

  if (port == NULL || !g_str_has_prefix (port, "usb:") ||
      sscanf (port + 4, "%u,%u", &bus, &dev) != 2)
    return NULL;

  device_file = g_strdup_printf ("/dev/bus/usb/%03u/%03u", bus, dev);
  client = g_udev_client_new (NULL);
  device = g_udev_client_query_by_device_file (client, device_file);
  if (device == NULL)
    return NULL;

  return g_strdup (g_udev_device_get_property (device, "ID_SERIAL"));
}

static char *
dup_file_uri (GFile *file)
{
  return file != NULL ? g_file_get_uri (file) : NULL;
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

static CapaTestingGvfsLookupHook lookup_hook;
static gpointer                  lookup_hook_data;

/* Testing API (capa-testing-private.h). */
void
_capa_testing_camera_gvfs_set_lookup_hook (CapaTestingGvfsLookupHook hook,
                                           gpointer                  user_data)
{
  lookup_hook = hook;
  lookup_hook_data = user_data;
}

typedef struct
{
  char *model;
  char *port;
} Lookup;

static void
lookup_free (gpointer data)
{
  Lookup *lookup = data;

  g_free (lookup->model);
  g_free (lookup->port);
  g_free (lookup);
}

/* Worker thread: finds the camera's mount. g_volume_monitor_get() may make
 * synchronous D-Bus calls on first use, and udev is read from sysfs. */
static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Lookup *lookup = task_data;
  g_autoptr(GVolumeMonitor) monitor = NULL;
  g_autoptr(GPtrArray) strings = NULL;
  g_autoptr(GArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *usb_serial = NULL;
  GList *mounts;
  GMount *found = NULL;
  int index;

  if (lookup_hook != NULL)
    lookup_hook (lookup_hook_data);

  strings = g_ptr_array_new_with_free_func (g_free);
  infos = g_array_new (FALSE, TRUE, sizeof (CapaGvfsMount));
  usb_serial = dup_usb_serial (lookup->port);

  monitor = g_volume_monitor_get ();
  mounts = g_volume_monitor_get_mounts (monitor);
  for (GList *l = mounts; l != NULL; l = l->next)
    {
      GMount *mount = l->data;
      g_autoptr(GFile) root = g_mount_get_root (mount);
      g_autoptr(GFile) location = g_mount_get_default_location (mount);
      g_autoptr(GVolume) volume = g_mount_get_volume (mount);
      g_autoptr(GFile) activation = volume != NULL ? g_volume_get_activation_root (volume) : NULL;
      CapaGvfsMount info = { 0 };

      g_ptr_array_add (strings, (char *) (info.name = g_mount_get_name (mount)));
      g_ptr_array_add (strings, (char *) (info.root_uri = dup_file_uri (root)));
      g_ptr_array_add (strings, (char *) (info.location_uri = dup_file_uri (location)));
      g_ptr_array_add (strings, (char *) (info.activation_uri = dup_file_uri (activation)));
      if (volume != NULL)
        {
          info.unix_device = g_volume_get_identifier (volume,
                                                      G_VOLUME_IDENTIFIER_KIND_UNIX_DEVICE);
          g_ptr_array_add (strings, (char *) info.unix_device);
        }
      g_array_append_val (infos, info);
    }

  index = _capa_gvfs_find_camera_mount ((CapaGvfsMount *) (gpointer) infos->data, infos->len,
                                        lookup->model, lookup->port, usb_serial, &error);
  if (index >= 0)
    found = g_object_ref (g_list_nth_data (mounts, index));
  g_list_free_full (mounts, g_object_unref);

  if (found == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, found, g_object_unref);
}

/* Back in the caller's context: unmounts the mount found. */
static void
on_lookup_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CapaCamera *self = CAPA_CAMERA (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GMount) found = NULL;
  GError *error = NULL;

  found = g_task_propagate_pointer (G_TASK (result), &error);
  if (found == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Unmounting the GVFS mount of %s on %s",
           capa_camera_get_model (self), capa_camera_get_port (self));
  g_mount_unmount_with_operation (found, G_MOUNT_UNMOUNT_NONE, NULL,
                                  g_task_get_cancellable (task),
                                  on_unmount_cb, g_steal_pointer (&task));
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
 * unmounts it, so that the camera can be opened.
 *
 * The mount is recognised by the camera's port: its USB bus and device
 * numbers, or the name GVFS derives from the device's serial number.
 * Only when no mount names the port does a mount named after the model
 * do, and only if it is the one such mount. It fails with
 * %CAPA_CAMERA_ERROR_NOT_FOUND when there is no such mount, and with
 * %CAPA_CAMERA_ERROR_BUSY, naming the mounts, when several mounts hold
 * cameras of this model and none can be told to be this one: then
 * nothing is unmounted.
 *
 * The mounts are looked up (through the desktop's volume monitor, which may
 * ask D-Bus, and udev) on a worker thread; only the unmount itself is
 * started in the calling thread's main context.
 */
void
capa_camera_unmount_gvfs_async (CapaCamera          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) lookup_task = NULL;
  Lookup *lookup;

  g_return_if_fail (CAPA_IS_CAMERA (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capa_camera_unmount_gvfs_async);

  lookup = g_new0 (Lookup, 1);
  lookup->model = g_strdup (capa_camera_get_model (self));
  lookup->port = g_strdup (capa_camera_get_port (self));
  lookup_task = g_task_new (self, cancellable, on_lookup_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (lookup_task, capa_camera_unmount_gvfs_async);
  g_task_set_task_data (lookup_task, lookup, lookup_free);
  g_task_run_in_thread (lookup_task, lookup_thread);
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
