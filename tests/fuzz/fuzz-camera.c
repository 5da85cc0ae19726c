/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Camera responses through CapaCamera: the test camera driver
 * (tests/camlib) with its fault "fuzz" answers with what the input says:
 * the names of the files in its folder, the bytes, MIME type and claimed
 * size of each file, and its settings tree.  CapaCamera lists the card,
 * downloads what it lists and loads the settings, twice, from one camera
 * opened once. */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include <dlfcn.h>

#include "capa-camera.h"
#include "capa-camera-file.h"
#include "capa-control-group.h"
#include "fuzz-common.h"
#include "fuzz-widgets.h"

#define TC_MODEL "Capa Test Camera"
#define TC_PORT  "usb:001,001"
#define MAX_NAMES 6
#define MAX_DOWNLOADS 3

typedef CameraWidget *(*TreeFunc) (gpointer user_data);
typedef void (*FuzzSetFunc) (const char * const *names,
                             GBytes             *file,
                             const char         *mime,
                             guint64             size_claim,
                             TreeFunc            make_tree,
                             gpointer            tree_data);

static CapaCamera *camera;
static FuzzSetFunc fuzz_set;

static void
set_up_camera (void)
{
  g_autofree char *unused = g_dir_make_tmp ("capa-fuzz-vcamera-XXXXXX", NULL);
  g_autofree char *iolibs = g_build_filename (CAPA_FUZZ_VUSB_DIR, "iolibs", NULL);
  g_autofree char *status_file = g_build_filename (CAPA_FUZZ_VUSB_DIR, "status", NULL);
  g_autofree char *status = NULL;
  g_autofree char *camlib = g_build_filename (CAPA_FUZZ_CAMLIB_DIR, "capa_test_camera.so", NULL);
  g_autoptr(GError) error = NULL;
  void *module;

  if (!g_file_get_contents (status_file, &status, NULL, NULL) ||
      !g_str_equal (g_strstrip (status), "ok"))
    g_error ("the virtual camera's port driver is not built (%s): see tests/fixtures",
             status != NULL ? status : "no status");

  g_setenv ("IOLIBS", iolibs, TRUE);
  g_setenv ("VCAMERADIR", unused, TRUE);
  g_setenv ("CAMLIBS", CAPA_FUZZ_CAMLIB_DIR, TRUE);
  g_setenv ("CAPA_TEST_CAMERA_FAULTS", "fuzz", TRUE);

  camera = capa_camera_new (TC_MODEL, TC_PORT);
  if (!capa_camera_open (camera, NULL, &error))
    g_error ("cannot open the test camera: %s", error->message);

  module = dlopen (camlib, RTLD_NOW | RTLD_NOLOAD);
  if (module == NULL)
    g_error ("the test camera driver is not loaded: %s", dlerror ());
  fuzz_set = (FuzzSetFunc) dlsym (module, "capa_test_camera_fuzz_set");
  g_assert_nonnull (fuzz_set);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  capa_fuzz_init_logging ();
  set_up_camera ();
  return 0;
}

static CameraWidget *
make_tree (gpointer user_data)
{
  GBytes *tree = user_data;
  CapaFuzzInput in;
  guint n_widgets = 0;
  gsize size = 0;

  in.data = g_bytes_get_data (tree, &size);
  in.size = size;
  return capa_fuzz_build_widget (&in, 0, &n_widgets);
}

static void
check_controls (CapaControlGroup *group)
{
  GPtrArray *children = capa_control_group_get_controls (group);

  for (guint i = 0; i < children->len; i++)
    {
      CapaControl *control = g_ptr_array_index (children, i);

      g_assert_nonnull (capa_control_get_path (control));
      g_assert_nonnull (capa_control_get_label (control));
      if (CAPA_IS_CONTROL_GROUP (control))
        check_controls (CAPA_CONTROL_GROUP (control));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CapaFuzzInput in = { data, size };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GBytes) tree = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  guint n_names = capa_fuzz_take_u8 (&in) % (MAX_NAMES + 1);
  guint64 size_claim;
  gsize tree_size;

  for (guint i = 0; i < n_names; i++)
    {
      g_autofree char *name = capa_fuzz_take_string (&in, 64);

      g_strv_builder_add (builder, name);
    }
  names = g_strv_builder_end (builder);
  mime = capa_fuzz_take_string (&in, 32);
  size_claim = ((guint64) capa_fuzz_take_u32 (&in) << 32) | capa_fuzz_take_u32 (&in);
  tree_size = capa_fuzz_take_u8 (&in) << 8;
  tree_size |= capa_fuzz_take_u8 (&in);
  tree_size = MIN (tree_size, in.size);
  tree = g_bytes_new (in.data, tree_size);
  file = g_bytes_new (in.data + tree_size, in.size - tree_size);

  fuzz_set ((const char * const *) names, file, mime, size_claim, make_tree, tree);

  if (!capa_camera_get_connected (camera))
    {
      g_autoptr(GError) open_error = NULL;

      if (!capa_camera_open (camera, NULL, &open_error))
        g_error ("cannot open the test camera again: %s", open_error->message);
    }

  files = capa_camera_list_files (camera, "/", NULL, &error);
  g_assert_true ((files != NULL) == (error == NULL));
  g_clear_error (&error);

  for (guint i = 0; files != NULL && i < MIN (files->len, MAX_DOWNLOADS); i++)
    {
      CapaCameraFile *camera_file = g_ptr_array_index (files, i);
      g_autoptr(GError) download_error = NULL;
      g_autofree char *path = capa_camera_file_dup_path (camera_file);
      gboolean ok;

      g_assert_nonnull (path);
      ok = capa_camera_download_file (camera, camera_file, NULL, &download_error);
      g_assert_true (ok == (download_error == NULL));
      if (ok)
        g_assert_nonnull (capa_camera_file_get_data (camera_file));
    }

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GError) controls_error = NULL;

      if (capa_camera_load_controls (camera, NULL, &controls_error))
        {
          if (capa_camera_get_controls (camera) != NULL)
            check_controls (capa_camera_get_controls (camera));
        }
      else
        g_assert_nonnull (controls_error);
    }

  return 0;
}
