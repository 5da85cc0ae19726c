/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The test camera driver's memory card: taking pictures (synthetic JPEGs
 * with EXIF, or files of CAPA_TEST_CAMERA_DIR), hostile names, and the
 * libgphoto2 filesystem functions (list, info, download, delete). */

#define G_LOG_DOMAIN "CapaTestCamera"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capa-test-camera-image.h"
#include "capa-test-camera-private.h"

/* Names a camera with the hostile-names fault gives its files, in turn.
 * CameraFilePath holds at most 127 bytes of a name, hence the longest. */
static const char * const hostile_names[] = {
  "../../x.jpg",
  "a/b.jpg",
  "ctrl\001\033[31m\nname\t.jpg",
  "",
  ("LONGNAME-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.jpg"),
  "\377\376not-utf8.jpg",
  ".hidden.jpg",
  "/etc/passwd",
};

void
tc_card_file_free (gpointer data)
{
  CardFile *file = data;

  g_free (file->name);
  g_free (file->mime);
  g_clear_pointer (&file->data, g_bytes_unref);
  g_clear_pointer (&file->preview, g_bytes_unref);
  g_free (file);
}

/* Whether @folder names @target; libgphoto2 sometimes adds a slash. */
static gboolean
folder_is (const char *folder,
           const char *target)
{
  gsize len;

  if (folder == NULL)
    return FALSE;
  len = strlen (folder);
  while (len > 1 && folder[len - 1] == '/')
    len--;
  return strlen (target) == len && strncmp (folder, target, len) == 0;
}

static CardFile *
card_lookup (const char *folder,
             const char *name,
             guint      *index)
{
  if (!folder_is (folder, TC_FOLDER))
    return NULL;

  for (guint i = 0; i < tc_state.card->len; i++)
    {
      CardFile *file = g_ptr_array_index (tc_state.card, i);

      if (g_str_equal (file->name, name))
        {
          if (index != NULL)
            *index = i;
          return file;
        }
    }
  return NULL;
}

static const char *
mime_for_name (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return GP_MIME_UNKNOWN;
  if (g_ascii_strcasecmp (dot, ".jpg") == 0 || g_ascii_strcasecmp (dot, ".jpeg") == 0)
    return GP_MIME_JPEG;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return GP_MIME_PNG;
  if (g_ascii_strcasecmp (dot, ".tif") == 0 || g_ascii_strcasecmp (dot, ".tiff") == 0)
    return GP_MIME_TIFF;
  if (g_ascii_strcasecmp (dot, ".nef") == 0)
    return "image/x-nikon-nef";
  if (g_ascii_strcasecmp (dot, ".cr2") == 0)
    return GP_MIME_CR2;
  if (g_ascii_strcasecmp (dot, ".dng") == 0)
    return "image/x-adobe-dng";
  return GP_MIME_UNKNOWN;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The next file of CAPA_TEST_CAMERA_DIR, in name order, cycling; NULL
 * when the variable is unset or the folder holds no regular file. */
static char *
pick_source_file (guint number)
{
  const char *dir = g_getenv ("CAPA_TEST_CAMERA_DIR");
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  const char *name;

  if (dir == NULL || *dir == '\0' || (gdir = g_dir_open (dir, 0, NULL)) == NULL)
    return NULL;

  paths = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  if (paths->len == 0)
    return NULL;

  g_ptr_array_sort (paths, compare_paths);
  return g_strdup (g_ptr_array_index (paths, (number - 1) % paths->len));
}

/* The EXIF block of a picture taken now: the current settings. */
static GBytes *
make_exif (void)
{
  TcExif exif = { 0 };
  const char *speed = tc_state.values[SETTING_SHUTTERSPEED].text;
  const char *fnumber = tc_state.values[SETTING_FNUMBER].text;
  guint64 n = 0;
  float bias;

  exif.make = tc_state.values[SETTING_MANUFACTURER].text;
  exif.model = TC_MODEL;
  if (g_ascii_string_to_unsigned (tc_state.values[SETTING_ISO].text, 10, 1, 409600, &n, NULL))
    exif.iso = (guint) n;
  if (g_str_has_prefix (speed, "1/")
      && g_ascii_string_to_unsigned (speed + 2, 10, 1, 100000, &n, NULL))
    {
      exif.exposure_num = 1;
      exif.exposure_den = (guint) n;
    }
  else if (g_ascii_string_to_unsigned (speed, 10, 1, 100000, &n, NULL))
    {
      exif.exposure_num = (guint) n;
      exif.exposure_den = 1;
    }
  if (g_str_has_prefix (fnumber, "f/"))
    exif.fnumber_x10 = (guint) (g_ascii_strtod (fnumber + 2, NULL) * 10 + 0.5);
  bias = tc_state.values[SETTING_EXPOSURECOMPENSATION].number;
  exif.bias_x100 = (int) (bias * 100.0f + (bias < 0 ? -0.5f : 0.5f));
  exif.datetime = tc_state.values[SETTING_DATETIME].integer;

  return tc_exif_block (&exif);
}

/* A new file for the card, not yet on it: the next picture of
 * CAPA_TEST_CAMERA_DIR, or a synthetic JPEG of shot @number. */
static int
make_picture (guint       number,
              GPContext  *context,
              CardFile  **out)
{
  g_autofree char *source = NULL;
  g_autofree char *name = NULL;
  CardFile *file;

  file = g_new0 (CardFile, 1);
  file->mtime = g_get_real_time () / G_USEC_PER_SEC;

  source = pick_source_file (number);
  if (source != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = g_path_get_basename (source);
      const char *dot = strrchr (base, '.');
      g_autofree char *ext = g_ascii_strup (dot ? dot : ".JPG", -1);
      char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (source, &contents, &length, &error))
        {
          gp_context_error (context, "Capa Test Camera: cannot read %s: %s",
                            source, error->message);
          tc_card_file_free (file);
          return GP_ERROR_IO_READ;
        }
      file->data = g_bytes_new_take (contents, length);
      name = g_strdup_printf ("CAPA%04u%s", number % 10000, ext);
    }
  else
    {
      g_autoptr(GBytes) exif = make_exif ();

      file->data = tc_render_jpeg (SHOT_WIDTH, SHOT_HEIGHT, number, tc_state.number,
                                   85, exif);
      file->width = SHOT_WIDTH;
      file->height = SHOT_HEIGHT;
      name = g_strdup_printf ("CAPA%04u.JPG", number % 10000);
    }
  file->mime = g_strdup (mime_for_name (name));
  file->name = g_steal_pointer (&name);
  *out = file;
  return GP_OK;
}

static int
put_on_card (Camera    *camera,
             CardFile  *file,
             gboolean   in_ram,
             GPContext *context)
{
  file->in_ram = in_ram;
  g_ptr_array_add (tc_state.card, file);
  return gp_filesystem_append (camera->fs, TC_FOLDER, file->name, context);
}

static void
rename_ram_file (CardFile *file)
{
  const char *dot = strrchr (file->name, '.');
  g_autofree char *extension = g_ascii_strdown (dot != NULL ? dot : ".jpg", -1);
  char *name = g_strdup_printf ("capt%04u%s", tc_state.ram_count++ % 10000, extension);

  g_free (file->name);
  file->name = name;
}

/* Takes a picture: puts a new file on the card (two for "RAW + JPEG
 * Fine": a DNG, then a JPEG of the same number) and tells libgphoto2's
 * filesystem about it.  With the capture target "Internal RAM" the files
 * can be downloaded and deleted but are not listed.  Returns the new files
 * (owned by the card). */
int
tc_take_picture (Camera      *camera,
                 GPContext   *context,
                 CardFile   **out,
                 CardFile   **companion)
{
  gboolean raw_jpeg = g_str_equal (tc_state.values[SETTING_IMAGEQUALITY].text,
                                   "RAW + JPEG Fine");
  gboolean in_ram = g_str_equal (tc_state.values[SETTING_CAPTURETARGET].text, "Internal RAM");
  CardFile *file = NULL;
  CardFile *jpeg = NULL;
  guint number;
  int ret;

  if (companion != NULL)
    *companion = NULL;
  if (!in_ram && tc_state.faults.no_card)
    {
      gp_context_error (context, "Capa Test Camera: there is no memory card");
      return GP_ERROR_CAMERA_ERROR;
    }

  number = tc_state.next_number++;
  ret = make_picture (number, context, raw_jpeg ? &jpeg : &file);
  if (ret < GP_OK)
    return ret;
  if (raw_jpeg)
    {
      file = g_new0 (CardFile, 1);
      file->mtime = jpeg->mtime;
      file->data = tc_render_dng (number, tc_state.number);
      file->name = g_strdup_printf ("CAPA%04u.DNG", number % 10000);
      file->mime = g_strdup (mime_for_name (file->name));
      /* The JPEG keeps the DNG's base name. */
      if (g_str_has_suffix (jpeg->name, ".DNG"))
        {
          g_free (jpeg->name);
          jpeg->name = g_strdup_printf ("CAPA%04u.JPG", number % 10000);
          g_free (jpeg->mime);
          jpeg->mime = g_strdup (GP_MIME_JPEG);
        }
    }

  /* As ptp2 names what Nikon, Canon EOS and Sony bodies capture to their
   * RAM: "capt" and a number counted by file, not by shot. */
  if (in_ram && tc_state.faults.ram_names)
    {
      rename_ram_file (file);
      if (jpeg != NULL)
        rename_ram_file (jpeg);
    }

  if (tc_state.faults.hostile_names)
    {
      const char *hostile = hostile_names[tc_state.hostile_index++ % G_N_ELEMENTS (hostile_names)];

      g_free (file->name);
      file->name = g_strdup (hostile);
      /* Never two files of one name on the card. */
      while (card_lookup (TC_FOLDER, file->name, NULL) != NULL)
        {
          char *longer = g_strconcat ("_", file->name, NULL);

          g_free (file->name);
          file->name = longer;
        }
    }

  tc_state.shots++;
  g_free (tc_state.values[SETTING_SHUTTERCOUNTER].text);
  tc_state.values[SETTING_SHUTTERCOUNTER].text = g_strdup_printf ("%u", tc_state.shots);
  /* A body writing to its card answers "busy" for a moment. */
  tc_state.busy_calls = tc_state.faults.busy_after_shot;
  tc_state.busy_until = g_get_monotonic_time () +
                        (gint64) tc_state.faults.busy_for_ms * G_TIME_SPAN_MILLISECOND;

  ret = put_on_card (camera, file, in_ram, context);
  if (ret >= GP_OK && jpeg != NULL)
    ret = put_on_card (camera, jpeg, in_ram, context);
  else if (jpeg != NULL)
    tc_card_file_free (jpeg);
  if (ret < GP_OK)
    return ret;

  if (out != NULL)
    *out = file;
  if (companion != NULL)
    *companion = jpeg;
  return GP_OK;
}

static int
file_list_cb (CameraFilesystem *fs,
              const char       *folder,
              CameraList       *list,
              void             *data,
              GPContext        *context)
{
  int ret = tc_begin_call (data, context, "file_list");

  if (ret == GP_OK && folder_is (folder, TC_FOLDER) && tc_state.faults.fuzz)
    ret = tc_fuzz_list_files (list);
  else if (ret == GP_OK && folder_is (folder, TC_FOLDER))
    for (guint i = 0; ret == GP_OK && i < tc_state.card->len; i++)
      {
        CardFile *file = g_ptr_array_index (tc_state.card, i);

        if (!file->in_ram)
          ret = gp_list_append (list, file->name, NULL);
      }
  tc_end_call ();
  return ret;
}

static int
folder_list_cb (CameraFilesystem *fs,
                const char       *folder,
                CameraList       *list,
                void             *data,
                GPContext        *context)
{
  int ret = tc_begin_call (data, context, "folder_list");

  if (ret == GP_OK)
    {
      if (folder_is (folder, "/"))
        ret = gp_list_append (list, TC_STORE + 1, NULL);
      else if (folder_is (folder, TC_STORE))
        ret = gp_list_append (list, "DCIM", NULL);
      else if (folder_is (folder, TC_DCIM))
        ret = gp_list_append (list, "100CAPA", NULL);
    }
  tc_end_call ();
  return ret;
}

static GBytes *
card_file_get_preview (CardFile *file)
{
  if (file->preview == NULL)
    {
      guint width = 0, height = 0;

      file->preview = tc_thumbnail_jpeg (file->data, THUMB_SIDE, &width, &height, NULL);
      if (file->width == 0)
        {
          file->width = width;
          file->height = height;
        }
    }
  return file->preview;
}

static int
get_info_locked (const char     *folder,
                 const char     *filename,
                 CameraFileInfo *info,
                 GPContext      *context)
{
  CardFile *file;
  GBytes *preview;

  if (tc_state.faults.fuzz)
    return tc_fuzz_get_info (info);

  file = card_lookup (folder, filename, NULL);
  if (file == NULL)
    return GP_ERROR_FILE_NOT_FOUND;

  memset (info, 0, sizeof *info);
  info->file.fields = GP_FILE_INFO_TYPE | GP_FILE_INFO_SIZE | GP_FILE_INFO_PERMISSIONS |
                      GP_FILE_INFO_STATUS | GP_FILE_INFO_MTIME;
  g_strlcpy (info->file.type, file->mime, sizeof info->file.type);
  info->file.size = g_bytes_get_size (file->data);
  info->file.permissions = GP_FILE_PERM_READ | GP_FILE_PERM_DELETE;
  info->file.status = GP_FILE_STATUS_NOT_DOWNLOADED;
  info->file.mtime = (time_t) file->mtime;

  preview = card_file_get_preview (file);
  if (file->width != 0)
    {
      info->file.fields |= GP_FILE_INFO_WIDTH | GP_FILE_INFO_HEIGHT;
      info->file.width = file->width;
      info->file.height = file->height;
    }
  if (preview != NULL)
    {
      info->preview.fields = GP_FILE_INFO_TYPE | GP_FILE_INFO_SIZE;
      g_strlcpy (info->preview.type, GP_MIME_JPEG, sizeof info->preview.type);
      info->preview.size = g_bytes_get_size (preview);
    }
  return GP_OK;
}

static int
get_info_cb (CameraFilesystem *fs,
             const char       *folder,
             const char       *filename,
             CameraFileInfo   *info,
             void             *data,
             GPContext        *context)
{
  int ret = tc_begin_call (data, context, "get_info");

  if (ret == GP_OK)
    ret = get_info_locked (folder, filename, info, context);
  tc_end_call ();
  return ret;
}

static int
get_file_locked (Camera         *camera,
                 const char     *folder,
                 const char     *filename,
                 CameraFileType  type,
                 CameraFile     *out,
                 GPContext      *context)
{
  CardFile *file;
  GBytes *bytes;
  const char *data;
  gsize size = 0;
  int ret;

  if (tc_state.faults.fuzz)
    return tc_fuzz_get_file (out, filename);

  file = card_lookup (folder, filename, NULL);
  if (file == NULL)
    return GP_ERROR_FILE_NOT_FOUND;

  switch (type)
    {
    case GP_FILE_TYPE_NORMAL:
      bytes = file->data;
      break;
    case GP_FILE_TYPE_PREVIEW:
      bytes = card_file_get_preview (file);
      if (bytes == NULL)
        return GP_ERROR_NOT_SUPPORTED;
      break;
    case GP_FILE_TYPE_RAW:
    case GP_FILE_TYPE_AUDIO:
    case GP_FILE_TYPE_EXIF:
    case GP_FILE_TYPE_METADATA:
    default:
      return GP_ERROR_NOT_SUPPORTED;
    }
  data = g_bytes_get_data (bytes, &size);

  if (tc_state.faults.slow_ms)
    {
      ret = tc_wait_slowly (tc_state.faults.slow_ms, context);
      if (ret < GP_OK)
        return ret;
    }

  if (type == GP_FILE_TYPE_NORMAL && tc_state.faults.download_fails != 0 &&
      ++tc_state.downloads == tc_state.faults.download_fails)
    {
      tc_state.faults.download_fails = 0;
      gp_context_error (context, "Capa Test Camera: injected failure of the download of %s",
                        filename);
      return GP_ERROR_CORRUPTED_DATA;
    }

  if (type == GP_FILE_TYPE_NORMAL && tc_state.faults.unplug_during_download)
    {
      /* Part of the file arrives, then the camera is gone. */
      gp_file_append (out, data, size / 2);
      tc_state.faults.unplug_during_download = FALSE;
      tc_state.gone = TRUE;
      gp_context_error (context, "Capa Test Camera: unplugged during the download of %s",
                        filename);
      return GP_ERROR_IO_USB_FIND;
    }

  if (tc_state.faults.corrupt_data)
    {
      g_autofree char *garbage = g_malloc (size);

      for (gsize i = 0; i < size; i++)
        garbage[i] = (char) g_random_int ();
      ret = gp_file_append (out, garbage, size);
    }
  else if (tc_state.faults.truncated_data)
    ret = gp_file_append (out, data, size / 2);
  else
    ret = gp_file_append (out, data, size);
  if (ret < GP_OK)
    return ret;

  gp_file_set_mime_type (out, type == GP_FILE_TYPE_PREVIEW ? GP_MIME_JPEG : file->mime);
  gp_file_set_name (out, filename);
  gp_file_set_mtime (out, (time_t) file->mtime);
  return GP_OK;
}

static int
get_file_cb (CameraFilesystem *fs,
             const char       *folder,
             const char       *filename,
             CameraFileType    type,
             CameraFile       *file,
             void             *data,
             GPContext        *context)
{
  int ret = tc_begin_call (data, context, "get_file");

  if (ret == GP_OK)
    ret = get_file_locked (data, folder, filename, type, file, context);
  tc_end_call ();
  return ret;
}

static int
del_file_cb (CameraFilesystem *fs,
             const char       *folder,
             const char       *filename,
             void             *data,
             GPContext        *context)
{
  int ret = tc_begin_call (data, context, "delete_file");

  if (ret == GP_OK)
    {
      guint index = 0;

      if (card_lookup (folder, filename, &index) == NULL)
        ret = GP_ERROR_FILE_NOT_FOUND;
      else if (tc_state.faults.delete_fails)
        {
          gp_context_error (context, "Capa Test Camera: %s is protected", filename);
          ret = GP_ERROR_CAMERA_ERROR;
        }
      else
        g_ptr_array_remove_index (tc_state.card, index);
    }
  tc_end_call ();
  return ret;
}

static int
storage_info_cb (CameraFilesystem          *fs,
                 CameraStorageInformation **infos,
                 int                       *n_infos,
                 void                      *data,
                 GPContext                 *context)
{
  int ret = tc_begin_call (data, context, "storage_info");

  if (ret == GP_OK)
    {
      CameraStorageInformation *info;
      guint64 used = 0;

      if (tc_state.faults.no_card)
        {
          /* No card: no storage at all. */
          *infos = NULL;
          *n_infos = 0;
          tc_end_call ();
          return GP_OK;
        }
      info = calloc (1, sizeof (CameraStorageInformation));
      for (guint i = 0; i < tc_state.card->len; i++)
        {
          CardFile *file = g_ptr_array_index (tc_state.card, i);

          if (!file->in_ram)
            used += g_bytes_get_size (file->data);
        }

      info->fields = GP_STORAGEINFO_BASE | GP_STORAGEINFO_LABEL | GP_STORAGEINFO_DESCRIPTION |
                     GP_STORAGEINFO_ACCESS | GP_STORAGEINFO_STORAGETYPE |
                     GP_STORAGEINFO_FILESYSTEMTYPE | GP_STORAGEINFO_MAXCAPACITY |
                     GP_STORAGEINFO_FREESPACEKBYTES;
      g_strlcpy (info->basedir, TC_STORE, sizeof info->basedir);
      g_strlcpy (info->label, "CAPA", sizeof info->label);
      g_strlcpy (info->description, "Capa Test Card", sizeof info->description);
      info->type = GP_STORAGEINFO_ST_REMOVABLE_RAM;
      info->fstype = GP_STORAGEINFO_FST_DCF;
      info->access = GP_STORAGEINFO_AC_READWRITE;
      info->capacitykbytes = 32 * 1024 * 1024;
      info->freekbytes = tc_state.faults.card_full ? 0 : info->capacitykbytes - used / 1024;
      *infos = info;
      *n_infos = 1;
    }
  tc_end_call ();
  return ret;
}

CameraFilesystemFuncs tc_fs_funcs = {
  .file_list_func = file_list_cb,
  .folder_list_func = folder_list_cb,
  .get_info_func = get_info_cb,
  .get_file_func = get_file_cb,
  .del_file_func = del_file_cb,
  .storage_info_func = storage_info_cb,
};
