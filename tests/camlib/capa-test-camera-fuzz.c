/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The fault "fuzz": the camera answers with what a fuzz target gave it
 * through capa_test_camera_fuzz_set() (tests/fuzz/fuzz-camera.c): the
 * names of the files in its folder, the bytes, MIME type and claimed size
 * of every file (a download and a preview alike), and its settings tree.
 * The target finds the function with dlsym() once libgphoto2 has loaded
 * the driver; nothing else uses it. */

#define G_LOG_DOMAIN "Capa-TestCamera"

#include <string.h>

#include <gphoto2/gphoto2-camera.h>
#include <gphoto2/gphoto2-filesys.h>

#include "capa-test-camera-private.h"

#define EXPORT __attribute__ ((visibility ("default")))

typedef CameraWidget *(*TcFuzzTreeFunc) (gpointer user_data);

static struct
{
  Camera         *camera;     /* the last one initialised: its listing cache is reset */
  GStrv           names;
  GBytes         *file;
  char           *mime;
  guint64         size_claim;
  TcFuzzTreeFunc  make_tree;
  gpointer        tree_data;
} fuzz;

EXPORT void capa_test_camera_fuzz_set (const char * const *names,
                                       GBytes             *file,
                                       const char         *mime,
                                       guint64             size_claim,
                                       TcFuzzTreeFunc      make_tree,
                                       gpointer            tree_data);

/**
 * capa_test_camera_fuzz_set:
 * @names: the names of the files in the camera's folder
 * @file: the bytes of every file
 * @mime: the MIME type of every file
 * @size_claim: the size get_info reports
 * @make_tree: makes a new settings tree (NULL: get_config fails)
 * @tree_data: for @make_tree
 *
 * Sets the responses of the fault "fuzz".  Call it while no driver call
 * is under way: it forgets libgphoto2's cached listing of the folder.
 */
void
capa_test_camera_fuzz_set (const char * const *names,
                           GBytes             *file,
                           const char         *mime,
                           guint64             size_claim,
                           TcFuzzTreeFunc      make_tree,
                           gpointer            tree_data)
{
  /* The fuzz target uses one camera, on usb:001,001. */
  TcState *state = tc_state_for_port (NULL);

  g_mutex_lock (&state->mutex);
  g_clear_pointer (&fuzz.names, g_strfreev);
  g_clear_pointer (&fuzz.file, g_bytes_unref);
  g_clear_pointer (&fuzz.mime, g_free);
  fuzz.names = g_strdupv ((GStrv) names);
  fuzz.file = file != NULL ? g_bytes_ref (file) : g_bytes_new (NULL, 0);
  fuzz.mime = g_strdup (mime != NULL ? mime : GP_MIME_JPEG);
  fuzz.size_claim = size_claim;
  fuzz.make_tree = make_tree;
  fuzz.tree_data = tree_data;
  if (fuzz.camera != NULL)
    gp_filesystem_reset (fuzz.camera->fs);
  g_mutex_unlock (&state->mutex);
}

void
tc_fuzz_set_camera (Camera *camera)
{
  fuzz.camera = camera;
}

int
tc_fuzz_list_files (CameraList *list)
{
  for (guint i = 0; fuzz.names != NULL && fuzz.names[i] != NULL; i++)
    {
      int ret = gp_list_append (list, fuzz.names[i], NULL);

      if (ret < GP_OK)
        return ret;
    }
  return GP_OK;
}

int
tc_fuzz_get_info (CameraFileInfo *info)
{
  memset (info, 0, sizeof *info);
  info->file.fields = GP_FILE_INFO_TYPE | GP_FILE_INFO_SIZE | GP_FILE_INFO_PERMISSIONS |
                      GP_FILE_INFO_STATUS | GP_FILE_INFO_MTIME | GP_FILE_INFO_WIDTH |
                      GP_FILE_INFO_HEIGHT;
  g_strlcpy (info->file.type, fuzz.mime != NULL ? fuzz.mime : "", sizeof info->file.type);
  info->file.size = fuzz.size_claim;
  info->file.permissions = GP_FILE_PERM_READ | GP_FILE_PERM_DELETE;
  info->file.status = GP_FILE_STATUS_NOT_DOWNLOADED;
  info->file.mtime = (time_t) (fuzz.size_claim >> 16);
  info->file.width = (guint32) fuzz.size_claim;
  info->file.height = (guint32) (fuzz.size_claim >> 32);
  return GP_OK;
}

int
tc_fuzz_get_file (CameraFile *out,
                  const char *filename)
{
  gsize size = 0;
  const char *data = fuzz.file != NULL ? g_bytes_get_data (fuzz.file, &size) : NULL;
  int ret = gp_file_append (out, data != NULL ? data : "", size);

  if (ret < GP_OK)
    return ret;
  gp_file_set_mime_type (out, fuzz.mime != NULL ? fuzz.mime : "");
  gp_file_set_name (out, filename);
  gp_file_set_mtime (out, (time_t) (fuzz.size_claim >> 16));
  return GP_OK;
}

int
tc_fuzz_get_config (CameraWidget **window)
{
  *window = fuzz.make_tree != NULL ? fuzz.make_tree (fuzz.tree_data) : NULL;
  return *window != NULL ? GP_OK : GP_ERROR_NOT_SUPPORTED;
}
