/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Colour"

#include "config.h"

#include <colord.h>
#include <glib/gi18n-lib.h>

#include "capa-screen-profile-private.h"

/* The profile colord gives a monitor, found on the main loop with
 * libcolord's asynchronous calls (D-Bus round trips, never a wait): the
 * display device whose XRANDR_name is the monitor's RandR output, else the
 * one of the monitor's model, else the only display colord knows; then its
 * default profile's file.  The file itself is read and parsed on a worker
 * by the caller.  libcolord's *_sync calls are not used: they run a loop
 * on the global default context, which a worker thread must not. */

typedef struct
{
  char      *output_name;
  char      *model;
  CdClient  *client;
  GPtrArray *devices;       /* display devices, when looked through */
  guint      next_device;
  CdDevice  *device;        /* the chosen one */
  CdProfile *profile;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->output_name);
  g_free (lookup->model);
  g_clear_object (&lookup->client);
  g_clear_pointer (&lookup->devices, g_ptr_array_unref);
  g_clear_object (&lookup->device);
  g_clear_object (&lookup->profile);
  g_free (lookup);
}

static void look_through_devices (GTask *task);

static void
on_profile_connected_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  GError *error = NULL;

  if (!cd_profile_connect_finish (CD_PROFILE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_strdup (cd_profile_get_filename (lookup->profile)), g_free);
}

/* Takes @task. */
static void
read_default_profile (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);

  lookup->profile = cd_device_get_default_profile (lookup->device);
  if (lookup->profile == NULL)
    {
      g_debug ("colord has no profile for display %s", cd_device_get_id (lookup->device));
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }

  cd_profile_connect (lookup->profile, g_task_get_cancellable (task), on_profile_connected_cb,
                      task);
}

static void
on_device_connected_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cd_device_connect_finish (CD_DEVICE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  read_default_profile (g_steal_pointer (&task));
}

/* Takes @task. */
static void
use_device (GTask    *task,
            CdDevice *device)
{
  Lookup *lookup = g_task_get_task_data (task);

  g_set_object (&lookup->device, device);
  if (cd_device_get_connected (device))
    read_default_profile (task);
  else
    cd_device_connect (device, g_task_get_cancellable (task), on_device_connected_cb, task);
}

static void
on_listed_device_connected_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  CdDevice *device = CD_DEVICE (object);
  GError *error = NULL;

  if (!cd_device_connect_finish (device, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (lookup->model != NULL && g_strcmp0 (cd_device_get_model (device), lookup->model) == 0)
    {
      g_set_object (&lookup->device, device);
      read_default_profile (g_steal_pointer (&task));
      return;
    }

  look_through_devices (g_steal_pointer (&task));
}

/* Takes @task: connects each display device in turn, looking for the
 * monitor's model; without a match, the only display, if one. */
static void
look_through_devices (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);

  if (lookup->model != NULL && lookup->next_device < lookup->devices->len)
    {
      CdDevice *device = g_ptr_array_index (lookup->devices, lookup->next_device++);

      cd_device_connect (device, g_task_get_cancellable (task), on_listed_device_connected_cb,
                         task);
      return;
    }

  if (lookup->devices->len == 1)
    {
      use_device (task, g_ptr_array_index (lookup->devices, 0));
      return;
    }

  g_debug ("colord knows %u displays, none of model %s", lookup->devices->len,
           lookup->model != NULL ? lookup->model : "(unknown)");
  g_task_return_pointer (task, NULL, NULL);
  g_object_unref (task);
}

static void
on_devices_listed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  GError *error = NULL;

  lookup->devices = cd_client_get_devices_by_kind_finish (CD_CLIENT (object), result, &error);
  if (lookup->devices == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  look_through_devices (g_steal_pointer (&task));
}

static void
list_devices (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);

  cd_client_get_devices_by_kind (lookup->client, CD_DEVICE_KIND_DISPLAY,
                                 g_task_get_cancellable (task), on_devices_listed_cb, task);
}

static void
on_device_found_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CdDevice) device = NULL;
  g_autoptr(GError) error = NULL;

  device = cd_client_find_device_by_property_finish (CD_CLIENT (object), result, &error);
  if (device == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("colord has no display on output: %s", error->message);
      list_devices (g_steal_pointer (&task));
      return;
    }

  use_device (g_steal_pointer (&task), device);
}

static void
on_client_connected_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!cd_client_connect_finish (CD_CLIENT (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!cd_client_get_has_server (lookup->client))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  /* The task is handed on: its cancellable is read first. */
  cancellable = g_task_get_cancellable (task);
  if (lookup->output_name != NULL)
    cd_client_find_device_by_property (lookup->client, CD_DEVICE_METADATA_XRANDR_NAME,
                                       lookup->output_name, cancellable,
                                       on_device_found_cb, g_steal_pointer (&task));
  else
    list_devices (g_steal_pointer (&task));
}

/*
 * _capa_screen_profile_find_colord_file_async:
 * @output_name: (nullable): the monitor's RandR output name
 * @model: (nullable): the monitor's model
 *
 * Asks colord for the file of the monitor's default profile.  The result
 * is %NULL without an error when colord knows none.
 */
void
_capa_screen_profile_find_colord_file_async (const char          *output_name,
                                             const char          *model,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->output_name = g_strdup (output_name);
  lookup->model = g_strdup (model);
  lookup->client = cd_client_new ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _capa_screen_profile_find_colord_file_async);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  cd_client_connect (lookup->client, cancellable, on_client_connected_cb, g_steal_pointer (&task));
}

char *
_capa_screen_profile_find_colord_file_finish (GAsyncResult  *result,
                                              GError       **error)
{
  g_assert (g_task_is_valid (result, NULL));

  return g_task_propagate_pointer (G_TASK (result), error);
}
