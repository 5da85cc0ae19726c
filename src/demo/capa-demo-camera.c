/* SPDX-License-Identifier: GPL-3.0-or-later */

/* capa_demo_camera: a libgphoto2 camera driver for a camera that is not
 * there, so that Capa can be tried without one. It declares the model
 * "Capa Demo Camera" on a PTP/IP port (it claims no USB ids, is never
 * autodetected, and never reads or writes its port), takes pictures of a
 * drawn landscape that follow its settings, keeps them on a virtual card,
 * reports pictures taken with its own shutter button as camera events and
 * gives live-view frames of a moving scene. Capa loads it through a private
 * CAMLIBS folder (src/core/capa-demo-camlibs.c). */

#define G_LOG_DOMAIN "Capa-Demo"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gphoto2/gphoto2-library.h>

#include "capa-demo-camera-private.h"

/* The most pictures the card holds (each is a few megabytes in memory). */
#define CARD_CAPACITY 50

typedef struct
{
  CameraEventType  type;
  char            *name;     /* for GP_EVENT_FILE_ADDED */
} Event;

/* The camera's state, shared by every Camera of the process. */
static GMutex     state_lock;
static GCond      state_cond;
static GPtrArray *card;            /* of DemoPicture */
static GQueue     events = G_QUEUE_INIT;
static guint      shutter_count;

void
demo_state_lock (void)
{
  g_mutex_lock (&state_lock);
}

void
demo_state_unlock (void)
{
  g_mutex_unlock (&state_lock);
}

void
demo_shot_clear (DemoShot *shot)
{
  g_clear_pointer (&shot->artist, g_free);
  g_clear_pointer (&shot->copyright, g_free);
  g_clear_pointer (&shot->time, g_date_time_unref);
}

void
demo_picture_free (gpointer data)
{
  DemoPicture *picture = data;

  g_free (picture->name);
  g_clear_pointer (&picture->data, g_bytes_unref);
  g_clear_pointer (&picture->thumbnail, g_bytes_unref);
  g_free (picture);
}

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->name);
  g_free (event);
}

/* Under the lock. */
static GPtrArray *
get_card (void)
{
  if (card == NULL)
    card = g_ptr_array_new_with_free_func (demo_picture_free);
  return card;
}

/* Under the lock. */
static DemoPicture *
find_picture (const char *folder,
              const char *name)
{
  GPtrArray *pictures = get_card ();
  gsize length = strlen (DEMO_FOLDER);

  /* The folder, with or without a slash at the end. */
  if (strncmp (folder, DEMO_FOLDER, length) != 0 || strspn (folder + length, "/") !=
      strlen (folder + length))
    return NULL;
  for (guint i = 0; i < pictures->len; i++)
    {
      DemoPicture *picture = g_ptr_array_index (pictures, i);

      if (g_str_equal (picture->name, name))
        return picture;
    }
  return NULL;
}

guint
demo_state_get_shutter_count (void)
{
  return shutter_count;
}

/* Takes a picture with the current settings and puts it on the card;
 * returns its name. */
static int
take_picture (char      **name,
              GPContext  *context)
{
  DemoShot shot = { 0 };
  DemoPicture *picture;
  GBytes *thumbnail = NULL;
  GBytes *data;
  double phase;

  demo_state_lock ();
  if (get_card ()->len >= CARD_CAPACITY)
    {
      demo_state_unlock ();
      gp_context_error (context, "The demo camera’s card is full: delete pictures from it");
      return GP_ERROR_NO_SPACE;
    }
  demo_settings_fill_shot (&shot);
  shot.number = ++shutter_count;
  demo_state_unlock ();

  /* Each shot at another time of day, with other clouds: the sun moves
   * along the sky by the golden ratio, so no two are alike. */
  phase = 0.15 + 0.7 * fmod (shot.number * 0.618034, 1.0);
  data = demo_scene_render_jpeg (&shot, DEMO_WIDTH, DEMO_HEIGHT, phase, shot.number * 0.37,
                                 shot.number * 7919u + 17u, TRUE, &thumbnail);
  if (data == NULL)
    {
      demo_shot_clear (&shot);
      g_clear_pointer (&thumbnail, g_bytes_unref);
      return GP_ERROR_NO_MEMORY;
    }

  picture = g_new0 (DemoPicture, 1);
  picture->name = g_strdup_printf ("DEMO%04u.JPG", (shot.number - 1) % 9999 + 1);
  picture->data = data;
  picture->thumbnail = thumbnail;
  picture->width = DEMO_WIDTH;
  picture->height = DEMO_HEIGHT;
  picture->mtime = g_date_time_to_unix (shot.time);
  demo_shot_clear (&shot);

  demo_state_lock ();
  /* A name the card holds already (after 9999 shots) is replaced. */
  {
    DemoPicture *old = find_picture (DEMO_FOLDER, picture->name);

    if (old != NULL)
      g_ptr_array_remove (get_card (), old);
  }
  g_ptr_array_add (get_card (), picture);
  *name = g_strdup (picture->name);
  demo_state_unlock ();

  return GP_OK;
}

static void
queue_event (CameraEventType  type,
             const char      *name)
{
  Event *event = g_new0 (Event, 1);

  event->type = type;
  event->name = g_strdup (name);
  demo_state_lock ();
  g_queue_push_tail (&events, event);
  g_cond_broadcast (&state_cond);
  demo_state_unlock ();
}

int
demo_press_shutter_button (Camera    *camera,
                           GPContext *context)
{
  g_autofree char *name = NULL;
  int r;

  if ((r = take_picture (&name, context)) < GP_OK)
    return r;
  gp_filesystem_append (camera->fs, DEMO_FOLDER, name, context);
  queue_event (GP_EVENT_FILE_ADDED, name);
  return GP_OK;
}

static int
demo_capture (Camera            *camera,
              CameraCaptureType  type,
              CameraFilePath    *path,
              GPContext         *context)
{
  g_autofree char *name = NULL;
  int r;

  if (type != GP_CAPTURE_IMAGE)
    return GP_ERROR_NOT_SUPPORTED;
  if ((r = take_picture (&name, context)) < GP_OK)
    return r;

  g_strlcpy (path->folder, DEMO_FOLDER, sizeof path->folder);
  g_strlcpy (path->name, name, sizeof path->name);
  return gp_filesystem_append (camera->fs, DEMO_FOLDER, name, context);
}

static int
demo_trigger_capture (Camera    *camera,
                      GPContext *context)
{
  g_autofree char *name = NULL;
  int r;

  if ((r = take_picture (&name, context)) < GP_OK)
    return r;
  gp_filesystem_append (camera->fs, DEMO_FOLDER, name, context);
  queue_event (GP_EVENT_FILE_ADDED, name);
  queue_event (GP_EVENT_CAPTURE_COMPLETE, NULL);
  return GP_OK;
}

static int
demo_capture_preview (Camera     *camera,
                      CameraFile *file,
                      GPContext  *context)
{
  DemoShot shot = { 0 };
  g_autoptr(GBytes) frame = NULL;
  double seconds = g_get_monotonic_time () / (double) G_USEC_PER_SEC;
  gsize size;
  const char *data;
  int r;

  demo_state_lock ();
  demo_settings_fill_shot (&shot);
  demo_state_unlock ();

  /* The clouds drift by and the sun wanders slowly; the noise stays the
   * same from frame to frame, so only the scene moves. */
  frame = demo_scene_render_jpeg (&shot, DEMO_LIVE_WIDTH, DEMO_LIVE_HEIGHT,
                                  0.5 + 0.3 * sin (seconds * 2 * G_PI / 240.0),
                                  seconds * 0.02, 4242, FALSE, NULL);
  demo_shot_clear (&shot);
  if (frame == NULL)
    return GP_ERROR_NO_MEMORY;

  data = g_bytes_get_data (frame, &size);
  if ((r = gp_file_set_mime_type (file, GP_MIME_JPEG)) < GP_OK)
    return r;
  return gp_file_append (file, data, size);
}

static int
demo_wait_for_event (Camera           *camera,
                     int               timeout,
                     CameraEventType  *type,
                     void            **data,
                     GPContext        *context)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) MAX (timeout, 0) * 1000;
  int r = GP_OK;

  *type = GP_EVENT_TIMEOUT;
  *data = NULL;

  demo_state_lock ();
  for (;;)
    {
      Event *event = g_queue_pop_head (&events);
      gint64 now;

      if (event != NULL)
        {
          *type = event->type;
          if (event->type == GP_EVENT_FILE_ADDED)
            {
              CameraFilePath *path = calloc (1, sizeof (CameraFilePath));

              g_strlcpy (path->folder, DEMO_FOLDER, sizeof path->folder);
              g_strlcpy (path->name, event->name, sizeof path->name);
              *data = path;
            }
          event_free (event);
          break;
        }

      if (gp_context_cancel (context) == GP_CONTEXT_FEEDBACK_CANCEL)
        {
          r = GP_ERROR_CANCEL;
          break;
        }

      now = g_get_monotonic_time ();
      if (now >= deadline)
        break;
      /* Wakes up for an event at once, and checks for cancellation often. */
      g_cond_wait_until (&state_cond, &state_lock,
                         MIN (deadline, now + 5 * G_TIME_SPAN_MILLISECOND));
    }
  demo_state_unlock ();

  return r;
}

static int
demo_summary (Camera     *camera,
              CameraText *summary,
              GPContext  *context)
{
  guint count;

  demo_state_lock ();
  count = get_card ()->len;
  demo_state_unlock ();

  g_snprintf (summary->text, sizeof summary->text,
              "Model: %s\nManufacturer: Capa\nSerial number: CAPA-DEMO-0001\n"
              "A camera drawn by Capa, for trying Capa without a camera.\n"
              "Pictures on the card: %u of %u\n",
              DEMO_MODEL, count, CARD_CAPACITY);
  return GP_OK;
}

static int
demo_about (Camera     *camera,
            CameraText *about,
            GPContext  *context)
{
  g_strlcpy (about->text,
             "Capa Demo Camera\n"
             "A camera driver of the Capa project: it takes pictures of a drawn "
             "landscape that follow its settings, so that Capa can be tried "
             "without a camera.",
             sizeof about->text);
  return GP_OK;
}

static int
demo_exit (Camera    *camera,
           GPContext *context)
{
  return GP_OK;
}

/* libgphoto2 names folders with or without a slash at the end. */
static char *
normalise_folder (const char *folder)
{
  gsize length = strlen (folder);

  while (length > 1 && folder[length - 1] == '/')
    length--;
  return g_strndup (folder, length);
}

static int
folder_list (CameraFilesystem *fs,
             const char       *path,
             CameraList       *list,
             void             *data,
             GPContext        *context)
{
  g_autofree char *folder = normalise_folder (path);

  if (g_str_equal (folder, "/"))
    return gp_list_append (list, "store_00010001", NULL);
  if (g_str_equal (folder, "/store_00010001"))
    return gp_list_append (list, "DCIM", NULL);
  if (g_str_equal (folder, "/store_00010001/DCIM"))
    return gp_list_append (list, "100DEMO", NULL);
  if (g_str_equal (folder, DEMO_FOLDER))
    return GP_OK;
  return GP_ERROR_DIRECTORY_NOT_FOUND;
}

static int
file_list (CameraFilesystem *fs,
           const char       *path,
           CameraList       *list,
           void             *data,
           GPContext        *context)
{
  g_autofree char *folder = normalise_folder (path);

  if (g_str_equal (folder, DEMO_FOLDER))
    {
      GPtrArray *pictures;

      demo_state_lock ();
      pictures = get_card ();
      for (guint i = 0; i < pictures->len; i++)
        gp_list_append (list, ((DemoPicture *) g_ptr_array_index (pictures, i))->name, NULL);
      demo_state_unlock ();
      return GP_OK;
    }

  if (g_str_equal (folder, "/") || g_str_equal (folder, "/store_00010001") ||
      g_str_equal (folder, "/store_00010001/DCIM"))
    return GP_OK;
  return GP_ERROR_DIRECTORY_NOT_FOUND;
}

static int
get_info (CameraFilesystem *fs,
          const char       *folder,
          const char       *name,
          CameraFileInfo   *info,
          void             *data,
          GPContext        *context)
{
  DemoPicture *picture;

  memset (info, 0, sizeof *info);
  demo_state_lock ();
  picture = find_picture (folder, name);
  if (picture == NULL)
    {
      demo_state_unlock ();
      return GP_ERROR_FILE_NOT_FOUND;
    }

  info->file.fields = GP_FILE_INFO_TYPE | GP_FILE_INFO_SIZE | GP_FILE_INFO_WIDTH |
                      GP_FILE_INFO_HEIGHT | GP_FILE_INFO_MTIME | GP_FILE_INFO_PERMISSIONS;
  g_strlcpy (info->file.type, GP_MIME_JPEG, sizeof info->file.type);
  info->file.size = g_bytes_get_size (picture->data);
  info->file.width = picture->width;
  info->file.height = picture->height;
  info->file.mtime = picture->mtime;
  info->file.permissions = GP_FILE_PERM_READ | GP_FILE_PERM_DELETE;

  info->preview.fields = GP_FILE_INFO_TYPE | GP_FILE_INFO_SIZE | GP_FILE_INFO_WIDTH |
                         GP_FILE_INFO_HEIGHT;
  g_strlcpy (info->preview.type, GP_MIME_JPEG, sizeof info->preview.type);
  info->preview.size = g_bytes_get_size (picture->thumbnail);
  info->preview.width = DEMO_THUMB_WIDTH;
  info->preview.height = DEMO_THUMB_WIDTH * picture->height / picture->width;
  demo_state_unlock ();

  return GP_OK;
}

static int
get_file (CameraFilesystem *fs,
          const char       *folder,
          const char       *name,
          CameraFileType    type,
          CameraFile       *file,
          void             *data,
          GPContext        *context)
{
  g_autoptr(GBytes) bytes = NULL;
  DemoPicture *picture;
  const char *content;
  gsize size;
  int r;

  demo_state_lock ();
  picture = find_picture (folder, name);
  if (picture != NULL && type == GP_FILE_TYPE_NORMAL)
    bytes = g_bytes_ref (picture->data);
  else if (picture != NULL && type == GP_FILE_TYPE_PREVIEW)
    bytes = g_bytes_ref (picture->thumbnail);
  demo_state_unlock ();

  if (picture == NULL)
    return GP_ERROR_FILE_NOT_FOUND;
  if (bytes == NULL)
    return GP_ERROR_NOT_SUPPORTED;

  content = g_bytes_get_data (bytes, &size);
  if ((r = gp_file_set_mime_type (file, GP_MIME_JPEG)) < GP_OK)
    return r;
  return gp_file_append (file, content, size);
}

static int
delete_file (CameraFilesystem *fs,
             const char       *folder,
             const char       *name,
             void             *data,
             GPContext        *context)
{
  DemoPicture *picture;

  demo_state_lock ();
  picture = find_picture (folder, name);
  if (picture != NULL)
    g_ptr_array_remove (get_card (), picture);
  demo_state_unlock ();

  return picture != NULL ? GP_OK : GP_ERROR_FILE_NOT_FOUND;
}

static int
storage_info (CameraFilesystem          *fs,
              CameraStorageInformation **storages,
              int                       *count,
              void                      *data,
              GPContext                 *context)
{
  CameraStorageInformation *info = calloc (1, sizeof (CameraStorageInformation));
  guint64 used = 0;
  GPtrArray *pictures;

  demo_state_lock ();
  pictures = get_card ();
  for (guint i = 0; i < pictures->len; i++)
    used += g_bytes_get_size (((DemoPicture *) g_ptr_array_index (pictures, i))->data);
  demo_state_unlock ();

  info->fields = GP_STORAGEINFO_BASE | GP_STORAGEINFO_DESCRIPTION | GP_STORAGEINFO_ACCESS |
                 GP_STORAGEINFO_STORAGETYPE | GP_STORAGEINFO_FILESYSTEMTYPE |
                 GP_STORAGEINFO_MAXCAPACITY | GP_STORAGEINFO_FREESPACEKBYTES;
  g_strlcpy (info->basedir, "/store_00010001", sizeof info->basedir);
  g_strlcpy (info->description, "Demo Card", sizeof info->description);
  info->type = GP_STORAGEINFO_ST_REMOVABLE_RAM;
  info->fstype = GP_STORAGEINFO_FST_DCF;
  info->access = GP_STORAGEINFO_AC_READWRITE;
  info->capacitykbytes = 32 * 1024 * 1024;
  info->freekbytes = info->capacitykbytes - used / 1024;

  *storages = info;
  *count = 1;
  return GP_OK;
}

static CameraFilesystemFuncs filesystem_funcs = {
  .file_list_func = file_list,
  .folder_list_func = folder_list,
  .get_info_func = get_info,
  .get_file_func = get_file,
  .del_file_func = delete_file,
  .storage_info_func = storage_info,
};

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

/* The three symbols libgphoto2 looks for in a camera driver. */

G_MODULE_EXPORT int camera_id (CameraText *id);
G_MODULE_EXPORT int camera_abilities (CameraAbilitiesList *list);
G_MODULE_EXPORT int camera_init (Camera *camera, GPContext *context);

int
camera_id (CameraText *id)
{
  g_strlcpy (id->text, "capa_demo_camera", sizeof id->text);
  return GP_OK;
}

int
camera_abilities (CameraAbilitiesList *list)
{
  CameraAbilities abilities;

  memset (&abilities, 0, sizeof abilities);
  g_strlcpy (abilities.model, DEMO_MODEL, sizeof abilities.model);
  abilities.status = GP_DRIVER_STATUS_PRODUCTION;
  /* A network camera: never matched to a USB device, never autodetected. */
  abilities.port = GP_PORT_PTPIP;
  abilities.operations = GP_OPERATION_CAPTURE_IMAGE | GP_OPERATION_CAPTURE_PREVIEW |
                         GP_OPERATION_CONFIG | GP_OPERATION_TRIGGER_CAPTURE;
  abilities.file_operations = GP_FILE_OPERATION_DELETE | GP_FILE_OPERATION_PREVIEW;
  abilities.folder_operations = GP_FOLDER_OPERATION_NONE;
  abilities.device_type = GP_DEVICE_STILL_CAMERA;

  return gp_abilities_list_append (list, abilities);
}

int
camera_init (Camera    *camera,
             GPContext *context)
{
  /* Plugging the camera in: events of an earlier connection are gone. */
  demo_state_lock ();
  g_queue_clear_full (&events, event_free);
  demo_settings_get ();
  demo_state_unlock ();

  camera->functions->exit = demo_exit;
  camera->functions->capture = demo_capture;
  camera->functions->trigger_capture = demo_trigger_capture;
  camera->functions->capture_preview = demo_capture_preview;
  camera->functions->wait_for_event = demo_wait_for_event;
  camera->functions->get_config = demo_settings_get_config;
  camera->functions->set_config = demo_settings_set_config;
  camera->functions->get_single_config = demo_settings_get_single;
  camera->functions->set_single_config = demo_settings_set_single;
  camera->functions->list_config = demo_settings_list;
  camera->functions->summary = demo_summary;
  camera->functions->about = demo_about;

  return gp_filesystem_set_funcs (camera->fs, &filesystem_funcs, camera);
}

G_GNUC_END_IGNORE_DEPRECATIONS
