/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The demo camera (src/demo, src/core/capa-demo-camlibs.c): with the demo
 * on, the camera list holds "Capa Demo Camera" on ptpip:demo beside the
 * other cameras (here the test camera driver's, so that no real camera
 * and no system driver is needed); it opens through CapaCamera, captures
 * through CapaTether pictures whose EXIF and brightness follow its
 * settings, has controls of every type, a shutter button of its own whose
 * shots monitoring downloads, and live-view frames of a moving scene. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "capa-test-utils.h"

#define DEMO_MODEL CAPA_DEMO_CAMERA_MODEL
#define DEMO_PORT  CAPA_DEMO_CAMERA_PORT

static gboolean have_test_camera;
static CapaCameraList *demo_list;     /* turned the demo on, first thing */
static char *original_camlibs;        /* CAMLIBS before that */
static char *iolibs_dir;

typedef struct
{
  CapaCamera  *camera;
  CapaSession *session;
  CapaTether  *tether;
  char        *directory;
  GPtrArray   *saved;         /* CapaImage */
  GPtrArray   *errors;        /* GError */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->saved = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  fixture->camera = capa_camera_new (DEMO_MODEL, DEMO_PORT);
  capa_test_camera_open (fixture->camera);
  fixture->directory = capa_test_make_tmpdir ("demo-camera");
  fixture->session = capa_session_new (fixture->directory);
  fixture->tether = capa_tether_new (fixture->camera, fixture->session);
  capa_test_camera_collect_tether (fixture->tether, fixture->saved, fixture->errors);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  capa_tether_stop_monitoring (fixture->tether);
  capa_tether_stop_preview (fixture->tether);
  capa_test_assert_finalized (g_steal_pointer (&fixture->tether));
  if (capa_camera_get_connected (fixture->camera))
    capa_test_camera_close (fixture->camera);
  capa_test_assert_finalized (g_steal_pointer (&fixture->camera));
  capa_test_assert_finalized (g_steal_pointer (&fixture->session));
  capa_test_rmtree (fixture->directory);
  g_clear_pointer (&fixture->directory, g_free);
  g_clear_pointer (&fixture->saved, g_ptr_array_unref);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
}

static void
set_choice (CapaCamera *camera,
            const char *path,
            const char *value)
{
  CapaControl *control = capa_test_camera_get_control (camera, path);

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), value);
}

static void
set_range (CapaCamera *camera,
           const char *path,
           double      value)
{
  CapaControl *control = capa_test_camera_get_control (camera, path);

  capa_control_range_set_value (CAPA_CONTROL_RANGE (control), value);
}

/* The settings every test starts from: f/8, 1/125 s, ISO 200, no bias. */
static void
set_normal_exposure (CapaCamera *camera)
{
  set_choice (camera, "/main/capturesettings/f-number", "f/8");
  set_choice (camera, "/main/capturesettings/shutterspeed", "1/125");
  set_choice (camera, "/main/imgsettings/iso", "200");
  set_range (camera, "/main/capturesettings/exposurecompensation", 0.0);
  capa_test_camera_save_controls (camera);
}

static CapaImage *
capture (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CapaImage *image = capa_test_camera_capture (fixture->tether, NULL, 120000, &error);

  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_true (capa_image_load_metadata (image, NULL, &error));
  g_assert_no_error (error);
  return image;
}

/* The mean level (0-255) of the picture's pixels, all channels. */
static double
mean_level (CapaImage *image)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_scale (capa_image_get_filename (image),
                                                                   300, 200, FALSE, &error);
  const guint8 *pixels;
  int stride, channels;
  guint64 sum = 0;

  g_assert_no_error (error);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      for (int c = 0; c < 3; c++)
        sum += pixels[y * stride + x * channels + c];

  return sum / (3.0 * gdk_pixbuf_get_width (pixbuf) * gdk_pixbuf_get_height (pixbuf));
}

static void
test_drivers (void)
{
  const char *camlibs = g_getenv ("CAMLIBS");
  g_autofree char *demo_link = NULL;
  g_autofree char *target = NULL;

  /* CAMLIBS names the private folder, which holds the demo driver and
   * links to every driver of the folder CAMLIBS named before. */
  g_assert_nonnull (camlibs);
  g_assert_cmpstr (camlibs, !=, original_camlibs);
  demo_link = g_build_filename (camlibs, "capa_demo_camera.so", NULL);
  target = g_file_read_link (demo_link, NULL);
  g_assert_cmpstr (target, ==, g_getenv ("CAPA_DEMO_CAMLIB"));

  if (original_camlibs != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (original_camlibs, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *source = g_build_filename (original_camlibs, name, NULL);
          g_autofree char *link = g_build_filename (camlibs, name, NULL);
          g_autofree char *linked = NULL;

          if (g_file_test (source, G_FILE_TEST_IS_DIR))
            continue;
          linked = g_file_read_link (link, NULL);
          g_assert_cmpstr (linked, ==, source);
        }
    }
}

static void
on_removed_cb (CapaCameraList *list,
               CapaCamera     *camera,
               guint          *count)
{
  g_assert_cmpstr (capa_camera_get_model (camera), ==, DEMO_MODEL);
  (*count)++;
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_list (void)
{
  g_autoptr(GError) error = NULL;
  CapaCamera *demo;
  guint removed = 0, notified = 0;

  g_assert_true (capa_camera_list_get_demo_camera (demo_list));

  /* Autodetection does not find it; the list keeps it beside the others. */
  g_assert_true (capa_camera_list_refresh (demo_list, NULL, &error));
  g_assert_no_error (error);
  demo = capa_camera_list_find (demo_list, DEMO_MODEL, DEMO_PORT);
  g_assert_nonnull (demo);
  if (have_test_camera)
    {
      g_assert_nonnull (capa_camera_list_find (demo_list, CAPA_TEST_CAMERA_MODEL,
                                               CAPA_TEST_CAMERA_PORT));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (demo_list)), ==, 2);
    }

  /* It opens as a real camera does. */
  capa_test_camera_open (demo);
  g_assert_true (capa_camera_get_has_capture (demo));
  g_assert_true (capa_camera_get_has_preview (demo));
  g_assert_true (capa_camera_get_has_settings (demo));
  capa_test_camera_close (demo);

  g_signal_connect (demo_list, "camera-removed", G_CALLBACK (on_removed_cb), &removed);
  g_signal_connect (demo_list, "notify::demo-camera", G_CALLBACK (on_notify_cb), &notified);
  g_object_set (demo_list, "demo-camera", FALSE, NULL);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_null (capa_camera_list_find (demo_list, DEMO_MODEL, DEMO_PORT));
  g_assert_true (capa_camera_list_refresh (demo_list, NULL, &error));
  g_assert_null (capa_camera_list_find (demo_list, DEMO_MODEL, DEMO_PORT));
  if (have_test_camera)
    g_assert_nonnull (capa_camera_list_find (demo_list, CAPA_TEST_CAMERA_MODEL,
                                             CAPA_TEST_CAMERA_PORT));

  capa_camera_list_set_demo_camera (demo_list, FALSE);
  g_assert_cmpuint (notified, ==, 1);
  capa_camera_list_set_demo_camera (demo_list, TRUE);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_nonnull (capa_camera_list_find (demo_list, DEMO_MODEL, DEMO_PORT));
  g_signal_handlers_disconnect_by_data (demo_list, &removed);
  g_signal_handlers_disconnect_by_data (demo_list, &notified);
}

static void
test_capture (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format_name = NULL;
  GdkPixbufFormat *format;
  int width = 0, height = 0;

  set_normal_exposure (fixture->camera);
  set_range (fixture->camera, "/main/capturesettings/focallength", 50.0);
  capa_test_camera_save_controls (fixture->camera);

  image = capture (fixture);

  /* A JPEG of photograph size, whole. */
  format = gdk_pixbuf_get_file_info (capa_image_get_filename (image), &width, &height);
  g_assert_nonnull (format);
  format_name = gdk_pixbuf_format_get_name (format);
  g_assert_cmpstr (format_name, ==, "jpeg");
  g_assert_cmpint (width, >=, 2000);
  g_assert_cmpint (height, >=, 1300);
  pixbuf = gdk_pixbuf_new_from_file (capa_image_get_filename (image), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);

  /* Its EXIF says what the settings were. */
  g_assert_cmpstr (capa_image_get_camera_model (image), ==, DEMO_MODEL);
  g_assert_cmpfloat_with_epsilon (capa_image_get_exposure_time (image), 1 / 125.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (capa_image_get_f_number (image), 8.0, 1e-6);
  g_assert_cmpint (capa_image_get_iso (image), ==, 200);
  g_assert_cmpfloat_with_epsilon (capa_image_get_focal_length (image), 50.0, 1e-6);
  g_assert_nonnull (capa_image_get_capture_time (image));

  /* Downloaded, then deleted from the card. */
  files = capa_test_camera_list_files (fixture->camera);
  g_assert_cmpuint (files->len, ==, 0);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_exposure (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CapaImage) normal = NULL;
  g_autoptr(CapaImage) darker = NULL;
  g_autoptr(CapaImage) brighter = NULL;
  double normal_mean, darker_mean, brighter_mean;

  set_normal_exposure (fixture->camera);
  normal = capture (fixture);
  normal_mean = mean_level (normal);

  /* Three stops less light: a shorter exposure. */
  set_choice (fixture->camera, "/main/capturesettings/shutterspeed", "1/1000");
  capa_test_camera_save_controls (fixture->camera);
  darker = capture (fixture);
  darker_mean = mean_level (darker);
  g_assert_cmpfloat_with_epsilon (capa_image_get_exposure_time (darker), 1 / 1000.0, 1e-7);

  /* Then two stops more than normal: a wider aperture and +1 EV. */
  set_choice (fixture->camera, "/main/capturesettings/shutterspeed", "1/125");
  set_choice (fixture->camera, "/main/capturesettings/f-number", "f/5.6");
  set_range (fixture->camera, "/main/capturesettings/exposurecompensation", 1.0);
  capa_test_camera_save_controls (fixture->camera);
  brighter = capture (fixture);
  brighter_mean = mean_level (brighter);
  g_assert_cmpfloat_with_epsilon (capa_image_get_f_number (brighter), 5.6, 1e-6);

  g_test_message ("mean levels: %.1f at 1/1000, %.1f normal, %.1f at +2 EV",
                  darker_mean, normal_mean, brighter_mean);
  g_assert_cmpfloat (darker_mean, <, normal_mean * 0.7);
  g_assert_cmpfloat (brighter_mean, >, normal_mean * 1.2);

  set_normal_exposure (fixture->camera);
}

static void
collect_types (CapaControlGroup *group,
               GHashTable       *types)
{
  GPtrArray *controls = capa_control_group_get_controls (group);

  for (guint i = 0; i < controls->len; i++)
    {
      CapaControl *control = g_ptr_array_index (controls, i);

      g_hash_table_add (types, GSIZE_TO_POINTER (G_OBJECT_TYPE (control)));
      if (CAPA_IS_CONTROL_GROUP (control))
        collect_types (CAPA_CONTROL_GROUP (control), types);
    }
}

static void
test_controls (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GHashTable) types = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  CapaControl *artist;
  GType expected[] = {
    CAPA_TYPE_CONTROL_RANGE, CAPA_TYPE_CONTROL_CHOICE, CAPA_TYPE_CONTROL_TOGGLE,
    CAPA_TYPE_CONTROL_TEXT, CAPA_TYPE_CONTROL_DATE, CAPA_TYPE_CONTROL_BUTTON,
  };

  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  collect_types (capa_camera_get_controls (fixture->camera), types);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("a control of type %s", g_type_name (expected[i]));
      g_assert_true (g_hash_table_contains (types, GSIZE_TO_POINTER (expected[i])));
    }

  /* Read-only status, and a text that the camera keeps. */
  g_assert_true (capa_control_get_readonly (capa_test_camera_get_control (fixture->camera,
                                                              "/main/status/serialnumber")));
  artist = capa_test_camera_get_control (fixture->camera, "/main/settings/artist");
  capa_control_text_set_value (CAPA_CONTROL_TEXT (artist), "Ada");
  capa_test_camera_save_controls (fixture->camera);
  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  artist = capa_test_camera_get_control (fixture->camera, "/main/settings/artist");
  g_assert_cmpstr (capa_control_text_get_value (CAPA_CONTROL_TEXT (artist)), ==, "Ada");
}

static void
test_shutter_button (Fixture       *fixture,
                     gconstpointer  data)
{
  CapaControl *button;
  g_autofree char *basename = NULL;

  set_normal_exposure (fixture->camera);
  capa_tether_start_monitoring (fixture->tether);

  /* A shot "taken on the body": monitoring downloads it by itself. */
  button = capa_test_camera_get_control (fixture->camera, "/main/actions/shutterbutton");
  capa_control_button_press (CAPA_CONTROL_BUTTON (button));
  capa_test_camera_save_controls (fixture->camera);

  for (guint i = 0; i < 1200 && fixture->saved->len == 0; i++)
    capa_test_spin (100);
  g_assert_cmpuint (fixture->saved->len, ==, 1);
  basename = g_path_get_basename (capa_image_get_filename (g_ptr_array_index (fixture->saved,
                                                                             0)));
  g_assert_true (g_file_test (capa_image_get_filename (g_ptr_array_index (fixture->saved, 0)),
                              G_FILE_TEST_IS_REGULAR));
  g_test_message ("saved as %s", basename);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static GdkPixbuf *
preview_frame (CapaCamera *camera)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaCameraFile) file = capa_camera_preview_image (camera, NULL, &error);
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  GBytes *bytes;

  g_assert_no_error (error);
  bytes = capa_camera_file_get_data (file);
  g_assert_nonnull (bytes);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, &error));
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
test_live_view (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GdkPixbuf) first = NULL;
  g_autoptr(GdkPixbuf) second = NULL;
  const guint8 *a, *b;
  guint changed = 0;
  int stride;

  first = preview_frame (fixture->camera);
  g_usleep (1500 * G_TIME_SPAN_MILLISECOND);
  second = preview_frame (fixture->camera);

  g_assert_cmpint (gdk_pixbuf_get_width (first), >=, 640);
  g_assert_cmpint (gdk_pixbuf_get_width (first), ==, gdk_pixbuf_get_width (second));
  g_assert_cmpint (gdk_pixbuf_get_height (first), ==, gdk_pixbuf_get_height (second));

  /* The noise is the same in every frame: what differs is the scene
   * moving (clouds drifting, the sun wandering). */
  a = gdk_pixbuf_read_pixels (first);
  b = gdk_pixbuf_read_pixels (second);
  stride = gdk_pixbuf_get_rowstride (first);
  for (int y = 0; y < gdk_pixbuf_get_height (first); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (first) * gdk_pixbuf_get_n_channels (first); x++)
      if (ABS (a[y * stride + x] - b[y * stride + x]) > 12)
        changed++;
  g_test_message ("%u samples changed", changed);
  g_assert_cmpuint (changed, >, 300);
}

/* IOLIBS with the PTP/IP port driver too, which ptpip:demo needs. */
static void
add_ptpip_port_driver (void)
{
  const char *iolibs = g_getenv ("IOLIBS");
  const char *system_dir = g_getenv ("GPHOTO2_IOLIBS_DIR");
  g_autofree char *ptpip = NULL;
  g_autofree char *link = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (iolibs == NULL || system_dir == NULL)
    return;
  /* The test camera's folder has it already (tests/camlib/iolibs). */
  ptpip = g_build_filename (iolibs, "ptpip.so", NULL);
  if (g_file_test (ptpip, G_FILE_TEST_EXISTS))
    return;
  g_clear_pointer (&ptpip, g_free);

  iolibs_dir = capa_test_make_tmpdir ("iolibs");
  dir = g_dir_open (iolibs, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (iolibs, name, NULL);
      g_autofree char *target = g_build_filename (iolibs_dir, name, NULL);

      g_assert_no_errno (symlink (source, target));
    }
  ptpip = g_build_filename (system_dir, "ptpip.so", NULL);
  link = g_build_filename (iolibs_dir, "ptpip.so", NULL);
  g_assert_no_errno (symlink (ptpip, link));
  g_setenv ("IOLIBS", iolibs_dir, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  capa_test_init (&argc, &argv);

  /* The test camera beside the demo, and no system driver at all. */
  have_test_camera = capa_test_use_test_camera (NULL);
  add_ptpip_port_driver ();
  original_camlibs = g_strdup (g_getenv ("CAMLIBS"));

  /* The demo turned on before libgphoto2 first loads its drivers, as
   * Capa does at start-up. */
  demo_list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (demo_list, FALSE);
  capa_camera_list_set_demo_camera (demo_list, TRUE);

#define ADD(path, func) \
  g_test_add ("/Capa/DemoCamera/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/Capa/DemoCamera/drivers", test_drivers);
  g_test_add_func ("/Capa/DemoCamera/list", test_list);
  ADD ("capture", test_capture);
  ADD ("exposure", test_exposure);
  ADD ("controls", test_controls);
  ADD ("shutter-button", test_shutter_button);
  ADD ("live-view", test_live_view);

#undef ADD

  status = g_test_run ();

  capa_test_assert_finalized (g_steal_pointer (&demo_list));
  if (iolibs_dir != NULL)
    capa_test_rmtree (iolibs_dir);
  g_free (iolibs_dir);
  g_free (original_camlibs);
  return status;
}
