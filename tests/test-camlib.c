/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The test camera driver (tests/camlib) through libgphoto2 itself, without
 * any Capa code in between: detection, capture and download, live view,
 * every widget type, events and each injected fault. */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gphoto2/gphoto2.h>

#include "capa-test-utils.h"

#define TC_FOLDER "/store_00010001/DCIM/100CAPA"

typedef struct
{
  Camera    *camera;
  GPContext *context;
  guint      cancel_after;  /* cancel at that poll of the context; 0: never */
} Fixture;

static GPContextFeedback
on_context_cancel_cb (GPContext *context,
                      void      *data)
{
  Fixture *fixture = data;

  if (fixture->cancel_after == 0)
    return GP_CONTEXT_FEEDBACK_OK;
  if (--fixture->cancel_after == 0)
    {
      fixture->cancel_after = 1;    /* and stay cancelled */
      return GP_CONTEXT_FEEDBACK_CANCEL;
    }
  return GP_CONTEXT_FEEDBACK_OK;
}

static void
camera_open (Fixture *fixture)
{
  g_assert_cmpint (gp_camera_new (&fixture->camera), ==, GP_OK);
  g_assert_cmpint (gp_camera_init (fixture->camera, fixture->context), ==, GP_OK);
}

static void
camera_close (Fixture *fixture)
{
  if (fixture->camera == NULL)
    return;
  gp_camera_exit (fixture->camera, fixture->context);
  gp_camera_unref (fixture->camera);
  fixture->camera = NULL;
}

static CameraWidget *
get_widget (Fixture       *fixture,
            CameraWidget **window,
            const char    *name)
{
  CameraWidget *widget = NULL;

  g_assert_cmpint (gp_camera_get_config (fixture->camera, window, fixture->context), ==, GP_OK);
  g_assert_cmpint (gp_widget_get_child_by_name (*window, name, &widget), ==, GP_OK);
  return widget;
}

static void
press_button (Fixture    *fixture,
              const char *name)
{
  CameraWidget *window = NULL;
  CameraWidget *button = get_widget (fixture, &window, name);
  CameraWidgetCallback callback = NULL;
  CameraWidgetType type;

  gp_widget_get_type (button, &type);
  g_assert_cmpint (type, ==, GP_WIDGET_BUTTON);
  g_assert_cmpint (gp_widget_get_value (button, &callback), ==, GP_OK);
  g_assert_nonnull (callback);
  g_assert_cmpint (callback (fixture->camera, button, fixture->context), ==, GP_OK);
  gp_widget_free (window);
}

static int
set_text (Fixture    *fixture,
          const char *name,
          const char *value)
{
  CameraWidget *window = NULL;
  CameraWidget *widget = get_widget (fixture, &window, name);
  int ret;

  gp_widget_set_value (widget, value);
  ret = gp_camera_set_config (fixture->camera, window, fixture->context);
  gp_widget_free (window);
  return ret;
}

static char *
get_text (Fixture    *fixture,
          const char *name)
{
  CameraWidget *window = NULL;
  CameraWidget *widget = get_widget (fixture, &window, name);
  const char *value = NULL;
  char *copy;

  g_assert_cmpint (gp_widget_get_value (widget, &value), ==, GP_OK);
  copy = g_strdup (value);
  gp_widget_free (window);
  return copy;
}

/* Each test starts from a fresh test camera: no file on the card, every
 * setting at its initial value, and @faults (nullable) armed through
 * CAPA_TEST_CAMERA_FAULTS at gp_camera_init(). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *faults = data;

  fixture->context = gp_context_new ();
  gp_context_set_cancel_func (fixture->context, on_context_cancel_cb, fixture);
  if (!capa_test_use_test_camera (NULL))
    return;

  camera_open (fixture);
  press_button (fixture, "reset");
  camera_close (fixture);

  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);
  camera_open (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  camera_close (fixture);
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  g_unsetenv ("CAPA_TEST_CAMERA_DIR");
  gp_context_unref (fixture->context);
}

#define SKIP_IF_NO_CAMERA(fixture) \
  G_STMT_START { if ((fixture)->camera == NULL) return; } G_STMT_END

static GdkPixbuf *
decode_jpeg (const char  *data,
             gsize        size,
             GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", error);

  if (loader == NULL)
    return NULL;
  if (!gdk_pixbuf_loader_write (loader, (const guchar *) data, size, error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
  if (!gdk_pixbuf_loader_close (loader, error))
    return NULL;
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static GBytes *
download (Fixture        *fixture,
          const char     *folder,
          const char     *name,
          CameraFileType  type,
          int             expected)
{
  CameraFile *file = NULL;
  const char *data = NULL;
  unsigned long size = 0;
  GBytes *bytes = NULL;
  int ret;

  g_assert_cmpint (gp_file_new (&file), ==, GP_OK);
  ret = gp_camera_file_get (fixture->camera, folder, name, type, file, fixture->context);
  g_assert_cmpint (ret, ==, expected);
  if (ret == GP_OK)
    {
      g_assert_cmpint (gp_file_get_data_and_size (file, &data, &size), ==, GP_OK);
      bytes = g_bytes_new (data, size);
    }
  gp_file_unref (file);
  return bytes;
}

static CameraList *
list_files (Fixture *fixture)
{
  CameraList *list = NULL;

  g_assert_cmpint (gp_list_new (&list), ==, GP_OK);
  g_assert_cmpint (gp_camera_folder_list_files (fixture->camera, TC_FOLDER, list,
                                                fixture->context), ==, GP_OK);
  return list;
}

static gboolean
list_has (CameraList *list,
          const char *name)
{
  for (int i = 0; i < gp_list_count (list); i++)
    {
      const char *entry = NULL;

      gp_list_get_name (list, i, &entry);
      if (g_strcmp0 (entry, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
capture (Fixture        *fixture,
         CameraFilePath *path)
{
  memset (path, 0, sizeof *path);
  g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, path,
                                      fixture->context), ==, GP_OK);
  g_assert_cmpstr (path->folder, ==, TC_FOLDER);
}

/* ------------------------------------------------------------------ */

static void
test_detected (Fixture       *fixture,
               gconstpointer  data)
{
  CameraList *list = NULL;
  const char *model = NULL;
  const char *port = NULL;
  CameraAbilities abilities;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpint (gp_list_new (&list), ==, GP_OK);
  g_assert_cmpint (gp_camera_autodetect (list, fixture->context), ==, 1);
  gp_list_get_name (list, 0, &model);
  gp_list_get_value (list, 0, &port);
  g_assert_cmpstr (model, ==, "Capa Test Camera");
  g_assert_cmpstr (port, ==, "usb:001,001");
  gp_list_free (list);

  g_assert_cmpint (gp_camera_get_abilities (fixture->camera, &abilities), ==, GP_OK);
  g_assert_cmpstr (abilities.model, ==, "Capa Test Camera");
  g_assert_true (abilities.operations & GP_OPERATION_CAPTURE_IMAGE);
  g_assert_true (abilities.operations & GP_OPERATION_CAPTURE_PREVIEW);
  g_assert_true (abilities.operations & GP_OPERATION_CONFIG);
}

static void
test_capture_download (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) normal = NULL;
  g_autoptr(GBytes) preview = NULL;
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GdkPixbuf) thumbnail = NULL;
  g_autoptr(GError) error = NULL;
  CameraFilePath first, second;
  CameraFileInfo info;
  CameraList *list;

  SKIP_IF_NO_CAMERA (fixture);

  capture (fixture, &first);
  capture (fixture, &second);
  g_assert_cmpstr (first.name, ==, "CAPA0001.JPG");
  g_assert_cmpstr (second.name, ==, "CAPA0002.JPG");

  list = list_files (fixture);
  g_assert_cmpint (gp_list_count (list), ==, 2);
  g_assert_true (list_has (list, first.name));
  g_assert_true (list_has (list, second.name));
  gp_list_free (list);

  g_assert_cmpint (gp_camera_file_get_info (fixture->camera, first.folder, first.name, &info,
                                            fixture->context), ==, GP_OK);
  g_assert_true (info.file.fields & GP_FILE_INFO_SIZE);
  g_assert_cmpstr (info.file.type, ==, GP_MIME_JPEG);

  normal = download (fixture, first.folder, first.name, GP_FILE_TYPE_NORMAL, GP_OK);
  g_assert_cmpuint (g_bytes_get_size (normal), ==, info.file.size);
  image = decode_jpeg (g_bytes_get_data (normal, NULL), g_bytes_get_size (normal), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (image), ==, 960);
  g_assert_cmpint (gdk_pixbuf_get_height (image), ==, 640);

  preview = download (fixture, first.folder, first.name, GP_FILE_TYPE_PREVIEW, GP_OK);
  thumbnail = decode_jpeg (g_bytes_get_data (preview, NULL), g_bytes_get_size (preview), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (thumbnail), <=, 160);
  g_assert_cmpint (gdk_pixbuf_get_width (thumbnail), >=, 60);

  g_assert_cmpint (gp_camera_file_delete (fixture->camera, first.folder, first.name,
                                          fixture->context), ==, GP_OK);
  list = list_files (fixture);
  g_assert_cmpint (gp_list_count (list), ==, 1);
  g_assert_false (list_has (list, first.name));
  gp_list_free (list);
  g_assert_null (download (fixture, first.folder, first.name, GP_FILE_TYPE_NORMAL,
                           GP_ERROR_FILE_NOT_FOUND));

  /* The card keeps its files across a new connection. */
  camera_close (fixture);
  camera_open (fixture);
  list = list_files (fixture);
  g_assert_cmpint (gp_list_count (list), ==, 1);
  g_assert_true (list_has (list, second.name));
  gp_list_free (list);
}

static gboolean
contains (const char *haystack,
          gsize       size,
          const void *needle,
          gsize       length)
{
  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (haystack + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

static void
test_exif (Fixture       *fixture,
           gconstpointer  data)
{
  /* ISOSpeedRatings (0x8827), SHORT, one value: 1600 (0x0640). */
  static const guint8 iso_entry[] = { 0x27, 0x88, 3, 0, 1, 0, 0, 0, 0x40, 0x06 };
  static const char exif_header[] = "Exif\0\0II*";
  g_autoptr(GBytes) bytes = NULL;
  const char *jpeg;
  gsize size = 0;
  CameraFilePath path;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpint (set_text (fixture, "iso", "1600"), ==, GP_OK);
  capture (fixture, &path);
  bytes = download (fixture, path.folder, path.name, GP_FILE_TYPE_NORMAL, GP_OK);
  jpeg = g_bytes_get_data (bytes, &size);
  size = MIN (size, 1024);
  g_assert_true (contains (jpeg, size, exif_header, sizeof exif_header - 1));
  g_assert_true (contains (jpeg, size, "Capa Test Camera", 16));
  g_assert_true (contains (jpeg, size, iso_entry, sizeof iso_entry));
  g_assert_true (contains (jpeg, size, "2026:01:01 00:00:00", 19));
}

static void
test_camera_dir (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *dir = capa_test_make_tmpdir ("camlib-dir");
  g_autofree char *source = g_build_filename (dir, "shot-0002.jpg", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize expected_size = 0;
  CameraFilePath first, second;

  SKIP_IF_NO_CAMERA (fixture);

  capa_test_write_jpegs (dir, 2, 120, 80);
  g_setenv ("CAPA_TEST_CAMERA_DIR", dir, TRUE);

  capture (fixture, &first);
  capture (fixture, &second);
  g_assert_cmpstr (second.name, ==, "CAPA0002.JPG");
  bytes = download (fixture, second.folder, second.name, GP_FILE_TYPE_NORMAL, GP_OK);
  g_assert_true (g_file_get_contents (source, &expected, &expected_size, NULL));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, expected_size);

  capa_test_rmtree (dir);
}

static void
test_preview_frames (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GdkPixbuf) previous = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GdkPixbuf) frame = NULL;
      g_autoptr(GError) error = NULL;
      CameraFile *file = NULL;
      const char *bytes = NULL;
      const char *mime = NULL;
      unsigned long size = 0;

      gp_file_new (&file);
      g_assert_cmpint (gp_camera_capture_preview (fixture->camera, file, fixture->context),
                       ==, GP_OK);
      gp_file_get_mime_type (file, &mime);
      g_assert_cmpstr (mime, ==, GP_MIME_JPEG);
      gp_file_get_data_and_size (file, &bytes, &size);
      frame = decode_jpeg (bytes, size, &error);
      g_assert_no_error (error);
      gp_file_unref (file);

      g_assert_cmpint (gdk_pixbuf_get_width (frame), ==, 640);
      g_assert_cmpint (gdk_pixbuf_get_height (frame), ==, 426);
      if (previous != NULL)
        {
          gsize length = (gsize) gdk_pixbuf_get_rowstride (frame) * 426;

          g_assert_cmpint (memcmp (gdk_pixbuf_get_pixels (frame),
                                   gdk_pixbuf_get_pixels (previous), length), !=, 0);
        }
      g_set_object (&previous, frame);
    }
}

static void
check_types (Fixture *fixture)
{
  static const struct
  {
    const char       *name;
    CameraWidgetType  type;
    gboolean          readonly;
  } expected[] = {
    { "main", GP_WIDGET_WINDOW, FALSE },
    { "settings", GP_WIDGET_SECTION, FALSE },
    { "ownername", GP_WIDGET_TEXT, FALSE },
    { "serialnumber", GP_WIDGET_TEXT, TRUE },
    { "exposurecompensation", GP_WIDGET_RANGE, FALSE },
    { "autoiso", GP_WIDGET_TOGGLE, FALSE },
    { "iso", GP_WIDGET_RADIO, FALSE },
    { "whitebalance", GP_WIDGET_MENU, FALSE },
    { "trigger", GP_WIDGET_BUTTON, FALSE },
    { "datetime", GP_WIDGET_DATE, FALSE },
    { "manufacturedate", GP_WIDGET_DATE, TRUE },
    { "faults", GP_WIDGET_TEXT, FALSE },
  };
  CameraWidget *window = NULL;

  g_assert_cmpint (gp_camera_get_config (fixture->camera, &window, fixture->context), ==, GP_OK);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      CameraWidget *widget = window;
      CameraWidgetType type;
      int readonly = -1;

      if (i > 0)
        g_assert_cmpint (gp_widget_get_child_by_name (window, expected[i].name, &widget),
                         ==, GP_OK);
      gp_widget_get_type (widget, &type);
      gp_widget_get_readonly (widget, &readonly);
      g_assert_cmpint (type, ==, expected[i].type);
      g_assert_cmpint (readonly, ==, expected[i].readonly);
    }
  gp_widget_free (window);
}

static void
check_values (Fixture *fixture)
{
  CameraWidget *window = NULL;
  CameraWidget *widget = NULL;
  const char *text = NULL;
  float number = 0;
  int integer = 0;

  g_assert_cmpint (gp_camera_get_config (fixture->camera, &window, fixture->context), ==, GP_OK);
  gp_widget_get_child_by_name (window, "ownername", &widget);
  gp_widget_get_value (widget, &text);
  g_assert_cmpstr (text, ==, "Ada Lovelace");
  gp_widget_get_child_by_name (window, "exposurecompensation", &widget);
  gp_widget_get_value (widget, &number);
  g_assert_cmpfloat (number, ==, -1.5f);
  gp_widget_get_child_by_name (window, "autoiso", &widget);
  gp_widget_get_value (widget, &integer);
  g_assert_cmpint (integer, ==, 1);
  gp_widget_get_child_by_name (window, "iso", &widget);
  gp_widget_get_value (widget, &text);
  g_assert_cmpstr (text, ==, "1600");
  gp_widget_get_child_by_name (window, "whitebalance", &widget);
  gp_widget_get_value (widget, &text);
  g_assert_cmpstr (text, ==, "Tungsten");
  gp_widget_get_child_by_name (window, "datetime", &widget);
  gp_widget_get_value (widget, &integer);
  g_assert_cmpint (integer, ==, 1234567890);
  gp_widget_free (window);
}

static void
test_widgets (Fixture       *fixture,
              gconstpointer  data)
{
  CameraWidget *window = NULL;
  CameraWidget *widget = NULL;
  float number = -1.5f;
  int integer = 1;
  int date = 1234567890;

  SKIP_IF_NO_CAMERA (fixture);

  check_types (fixture);

  g_assert_cmpint (gp_camera_get_config (fixture->camera, &window, fixture->context), ==, GP_OK);
  gp_widget_get_child_by_name (window, "ownername", &widget);
  gp_widget_set_value (widget, "Ada Lovelace");
  gp_widget_get_child_by_name (window, "exposurecompensation", &widget);
  gp_widget_set_value (widget, &number);
  gp_widget_get_child_by_name (window, "autoiso", &widget);
  gp_widget_set_value (widget, &integer);
  gp_widget_get_child_by_name (window, "iso", &widget);
  gp_widget_set_value (widget, "1600");
  gp_widget_get_child_by_name (window, "whitebalance", &widget);
  gp_widget_set_value (widget, "Tungsten");
  gp_widget_get_child_by_name (window, "datetime", &widget);
  gp_widget_set_value (widget, &date);
  g_assert_cmpint (gp_camera_set_config (fixture->camera, window, fixture->context), ==, GP_OK);
  gp_widget_free (window);

  check_values (fixture);

  /* The camera keeps its settings across exit and init. */
  g_assert_cmpint (gp_camera_exit (fixture->camera, fixture->context), ==, GP_OK);
  g_assert_cmpint (gp_camera_init (fixture->camera, fixture->context), ==, GP_OK);
  check_values (fixture);
  camera_close (fixture);
  camera_open (fixture);
  check_values (fixture);
}

static void
test_widgets_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  CameraWidget *window = NULL;
  CameraWidget *widget = NULL;
  float number = 7.5f;
  int date = 42;
  g_autofree char *iso = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* A read-only setting refuses a change. */
  g_assert_cmpint (gp_camera_get_config (fixture->camera, &window, fixture->context), ==, GP_OK);
  gp_widget_get_child_by_name (window, "manufacturedate", &widget);
  gp_widget_set_value (widget, &date);
  g_assert_cmpint (gp_camera_set_config (fixture->camera, window, fixture->context),
                   ==, GP_ERROR_NOT_SUPPORTED);
  gp_widget_free (window);

  /* A range refuses a value outside it, a choice a value not offered. */
  g_assert_cmpint (gp_camera_get_config (fixture->camera, &window, fixture->context), ==, GP_OK);
  gp_widget_get_child_by_name (window, "exposurecompensation", &widget);
  gp_widget_set_value (widget, &number);
  g_assert_cmpint (gp_camera_set_config (fixture->camera, window, fixture->context),
                   ==, GP_ERROR_BAD_PARAMETERS);
  gp_widget_free (window);
  g_assert_cmpint (set_text (fixture, "iso", "12"), ==, GP_ERROR_BAD_PARAMETERS);
  iso = get_text (fixture, "iso");
  g_assert_cmpstr (iso, ==, "400");
}

static void
test_single_config (Fixture       *fixture,
                    gconstpointer  data)
{
  CameraWidget *widget = NULL;
  CameraList *list = NULL;
  const char *text = NULL;
  g_autofree char *value = NULL;
  gboolean found = FALSE;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpint (gp_list_new (&list), ==, GP_OK);
  g_assert_cmpint (gp_camera_list_config (fixture->camera, list, fixture->context), ==, GP_OK);
  for (int i = 0; i < gp_list_count (list); i++)
    {
      const char *path = NULL;

      gp_list_get_name (list, i, &path);
      found |= g_strcmp0 (path, "/main/imgsettings/iso") == 0;
    }
  g_assert_true (found);
  gp_list_free (list);

  g_assert_cmpint (gp_camera_get_single_config (fixture->camera, "whitebalance", &widget,
                                                fixture->context), ==, GP_OK);
  gp_widget_get_value (widget, &text);
  g_assert_cmpstr (text, ==, "Automatic");
  gp_widget_set_value (widget, "Shade");
  g_assert_cmpint (gp_camera_set_single_config (fixture->camera, "whitebalance", widget,
                                                fixture->context), ==, GP_OK);
  gp_widget_free (widget);

  value = get_text (fixture, "whitebalance");
  g_assert_cmpstr (value, ==, "Shade");
}

static void
wait_event (Fixture         *fixture,
            CameraEventType  expected,
            void           **data)
{
  CameraEventType type = GP_EVENT_TIMEOUT;
  void *event_data = NULL;

  /* Long enough never to be reached on a loaded machine. */
  g_assert_cmpint (gp_camera_wait_for_event (fixture->camera, 10000, &type, &event_data,
                                             fixture->context), ==, GP_OK);
  g_assert_cmpint (type, ==, expected);
  if (data != NULL)
    *data = event_data;
  else
    free (event_data);
}

static void
test_events (Fixture       *fixture,
             gconstpointer  data)
{
  CameraEventType type = GP_EVENT_UNKNOWN;
  void *event_data = NULL;
  CameraFilePath *path;
  char *text;
  g_autofree char *iso = NULL;
  CameraList *list;

  SKIP_IF_NO_CAMERA (fixture);

  /* Nothing happens: a timeout. */
  g_assert_cmpint (gp_camera_wait_for_event (fixture->camera, 50, &type, &event_data,
                                             fixture->context), ==, GP_OK);
  g_assert_cmpint (type, ==, GP_EVENT_TIMEOUT);
  g_assert_null (event_data);

  /* The shutter button of the camera. */
  press_button (fixture, "trigger");
  wait_event (fixture, GP_EVENT_FILE_ADDED, (void **) &path);
  g_assert_cmpstr (path->folder, ==, TC_FOLDER);
  g_assert_cmpstr (path->name, ==, "CAPA0001.JPG");
  free (path);

  /* Actions later on: a shot and a dial turned. */
  g_assert_cmpint (set_text (fixture, "simulate", "delay=100,shot,change=iso:800"), ==, GP_OK);
  wait_event (fixture, GP_EVENT_FILE_ADDED, (void **) &path);
  g_assert_cmpstr (path->name, ==, "CAPA0002.JPG");
  free (path);
  wait_event (fixture, GP_EVENT_UNKNOWN, (void **) &text);
  g_assert_nonnull (strstr (text, "\"iso\" to \"800\""));
  free (text);
  iso = get_text (fixture, "iso");
  g_assert_cmpstr (iso, ==, "800");

  /* trigger_capture: the file, then capture complete. */
  g_assert_cmpint (gp_camera_trigger_capture (fixture->camera, fixture->context), ==, GP_OK);
  wait_event (fixture, GP_EVENT_FILE_ADDED, (void **) &path);
  g_assert_cmpstr (path->name, ==, "CAPA0003.JPG");
  free (path);
  wait_event (fixture, GP_EVENT_CAPTURE_COMPLETE, NULL);

  /* A button marked changed is pressed by set_config. */
  {
    CameraWidget *window = NULL;
    CameraWidget *button = get_widget (fixture, &window, "trigger");

    gp_widget_set_changed (button, 1);
    g_assert_cmpint (gp_camera_set_config (fixture->camera, window, fixture->context), ==, GP_OK);
    gp_widget_free (window);
  }
  wait_event (fixture, GP_EVENT_FILE_ADDED, (void **) &path);
  g_assert_cmpstr (path->name, ==, "CAPA0004.JPG");
  free (path);

  list = list_files (fixture);
  g_assert_cmpint (gp_list_count (list), ==, 4);
  gp_list_free (list);

  g_assert_cmpint (set_text (fixture, "simulate", "explode"), ==, GP_ERROR_BAD_PARAMETERS);
  g_assert_cmpint (set_text (fixture, "simulate", "change=iso:12"), ==, GP_ERROR_BAD_PARAMETERS);
}

/* A shot taken on the camera while Capa's event wait is being cancelled
 * (as Capa ends a wait for a job queued meanwhile) is not lost: what the
 * camera does by itself does not depend on the caller's context. */
static void
test_events_cancelled_wait (Fixture       *fixture,
                            gconstpointer  data)
{
  CameraEventType type = GP_EVENT_TIMEOUT;
  void *event_data = NULL;
  CameraFilePath *path = NULL;
  int ret;

  SKIP_IF_NO_CAMERA (fixture);

  /* The shot falls due before the wait begins, so that the camera takes
   * it inside the wait, whose context cancels from its first check on. */
  g_assert_cmpint (set_text (fixture, "simulate", "delay=20,shot"), ==, GP_OK);
  g_usleep (80 * G_TIME_SPAN_MILLISECOND);
  fixture->cancel_after = 1;
  ret = gp_camera_wait_for_event (fixture->camera, 1000, &type, &event_data, fixture->context);
  fixture->cancel_after = 0;
  if (ret == GP_OK && type == GP_EVENT_FILE_ADDED)
    path = event_data;
  else
    {
      g_assert_cmpint (ret, ==, GP_ERROR_CANCEL);
      free (event_data);
      wait_event (fixture, GP_EVENT_FILE_ADDED, (void **) &path);
    }
  g_assert_cmpstr (path->name, ==, "CAPA0001.JPG");
  free (path);
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */

static int
set_toggle (Fixture    *fixture,
            const char *name,
            int         value)
{
  CameraWidget *window = NULL;
  CameraWidget *widget = get_widget (fixture, &window, name);
  int ret;

  gp_widget_set_value (widget, &value);
  ret = gp_camera_set_config (fixture->camera, window, fixture->context);
  gp_widget_free (window);
  return ret;
}

/* RAW + JPEG as ptp2 reports it, the capture target, bulb (issue 10). */
static void
test_raw_jpeg (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) dng = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  CameraFilePath path;
  CameraFilePath *added;
  CameraList *list;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpint (set_text (fixture, "imagequality", "RAW + JPEG Fine"), ==, GP_OK);
  capture (fixture, &path);
  g_assert_cmpstr (path.name, ==, "CAPA0001.DNG");
  wait_event (fixture, GP_EVENT_FILE_ADDED, (void **) &added);
  g_assert_cmpstr (added->name, ==, "CAPA0001.JPG");
  free (added);
  wait_event (fixture, GP_EVENT_CAPTURE_COMPLETE, NULL);

  dng = download (fixture, TC_FOLDER, "CAPA0001.DNG", GP_FILE_TYPE_NORMAL, GP_OK);
  g_assert_cmpmem (g_bytes_get_data (dng, NULL), 4, "II*\0", 4);
  jpeg = download (fixture, TC_FOLDER, "CAPA0001.JPG", GP_FILE_TYPE_NORMAL, GP_OK);
  g_assert_cmpmem (g_bytes_get_data (jpeg, NULL), 2, "\377\330", 2);

  /* To the camera's RAM: downloadable, but not kept: gone once the
   * camera is connected again, while the card's files stay. */
  g_assert_cmpint (set_text (fixture, "capturetarget", "Internal RAM"), ==, GP_OK);
  capture (fixture, &path);
  g_assert_cmpstr (path.name, ==, "CAPA0002.DNG");
  g_clear_pointer (&jpeg, g_bytes_unref);
  jpeg = download (fixture, TC_FOLDER, "CAPA0002.JPG", GP_FILE_TYPE_NORMAL, GP_OK);
  camera_close (fixture);
  camera_open (fixture);
  list = list_files (fixture);
  g_assert_true (list_has (list, "CAPA0001.DNG"));
  g_assert_true (list_has (list, "CAPA0001.JPG"));
  g_assert_false (list_has (list, "CAPA0002.DNG"));
  g_assert_false (list_has (list, "CAPA0002.JPG"));
  gp_list_free (list);

  /* Bulb: refused unless the shutter speed is Bulb; the picture comes
   * when the shutter closes. */
  g_assert_cmpint (set_toggle (fixture, "bulb", 1), ==, GP_ERROR_BAD_PARAMETERS);
  g_assert_cmpint (set_text (fixture, "imagequality", "JPEG Fine"), ==, GP_OK);
  g_assert_cmpint (set_text (fixture, "shutterspeed", "Bulb"), ==, GP_OK);
  g_assert_cmpint (set_toggle (fixture, "bulb", 1), ==, GP_OK);
  g_assert_cmpint (set_toggle (fixture, "bulb", 0), ==, GP_OK);
  wait_event (fixture, GP_EVENT_FILE_ADDED, (void **) &added);
  g_assert_cmpstr (added->name, ==, "CAPA0003.JPG");
  free (added);
  wait_event (fixture, GP_EVENT_CAPTURE_COMPLETE, NULL);
}

/* Busy after each shot, for a number of calls (issue 10). */
static void
test_fault_busy_after_shot (Fixture       *fixture,
                            gconstpointer  data)
{
  CameraFilePath path;

  SKIP_IF_NO_CAMERA (fixture);

  capture (fixture, &path);
  memset (&path, 0, sizeof path);
  g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, &path,
                                      fixture->context), ==, GP_ERROR_CAMERA_BUSY);
  g_assert_cmpint (set_text (fixture, "iso", "800"), ==, GP_ERROR_CAMERA_BUSY);
  capture (fixture, &path);
  g_assert_cmpstr (path.name, ==, "CAPA0002.JPG");
}

static void
test_fault_io_error (Fixture       *fixture,
                     gconstpointer  data)
{
  CameraFilePath path;
  CameraFile *file = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* The first call after init works, the second fails, the third works. */
  capture (fixture, &path);
  gp_file_new (&file);
  g_assert_cmpint (gp_camera_capture_preview (fixture->camera, file, fixture->context),
                   ==, GP_ERROR_IO);
  g_assert_cmpint (gp_camera_capture_preview (fixture->camera, file, fixture->context),
                   ==, GP_OK);
  gp_file_unref (file);
}

static void
test_fault_busy (Fixture       *fixture,
                 gconstpointer  data)
{
  CameraFilePath path;

  SKIP_IF_NO_CAMERA (fixture);

  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, &path,
                                        fixture->context), ==, GP_ERROR_CAMERA_BUSY);

  /* busy=1: busy once, then a picture. */
  g_assert_cmpint (set_text (fixture, "faults", "busy=1"), ==, GP_OK);
  g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, &path,
                                      fixture->context), ==, GP_ERROR_CAMERA_BUSY);
  capture (fixture, &path);
  g_assert_cmpstr (path.name, ==, "CAPA0001.JPG");
}

static void
test_fault_unplug_during_download (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GError) error = NULL;
  CameraFilePath path;
  CameraList *list;

  SKIP_IF_NO_CAMERA (fixture);

  capture (fixture, &path);
  g_assert_null (download (fixture, path.folder, path.name, GP_FILE_TYPE_NORMAL,
                           GP_ERROR_IO_USB_FIND));
  /* The camera is gone. */
  g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, &path,
                                      fixture->context), ==, GP_ERROR_IO_USB_FIND);

  /* Plugged in again: the file is still on the card, whole. */
  camera_close (fixture);
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  camera_open (fixture);
  list = list_files (fixture);
  g_assert_true (list_has (list, "CAPA0001.JPG"));
  gp_list_free (list);
  bytes = download (fixture, TC_FOLDER, "CAPA0001.JPG", GP_FILE_TYPE_NORMAL, GP_OK);
  image = decode_jpeg (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

static void
test_fault_unplug (Fixture       *fixture,
                   gconstpointer  data)
{
  CameraFilePath path;
  CameraWidget *window = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, &path,
                                      fixture->context), ==, GP_ERROR_IO_USB_FIND);
  g_assert_cmpint (gp_camera_get_config (fixture->camera, &window, fixture->context),
                   ==, GP_ERROR_IO_USB_FIND);
}

static void
test_fault_corrupt_data (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GError) error = NULL;
  CameraFilePath path;
  CameraFileInfo info;

  SKIP_IF_NO_CAMERA (fixture);

  capture (fixture, &path);
  g_assert_cmpint (gp_camera_file_get_info (fixture->camera, path.folder, path.name, &info,
                                            fixture->context), ==, GP_OK);
  bytes = download (fixture, path.folder, path.name, GP_FILE_TYPE_NORMAL, GP_OK);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, info.file.size);
  image = decode_jpeg (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_nonnull (error);
  g_assert_null (image);
}

static void
test_fault_truncated_data (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  CameraFilePath path;
  CameraFileInfo info;

  SKIP_IF_NO_CAMERA (fixture);

  capture (fixture, &path);
  g_assert_cmpint (gp_camera_file_get_info (fixture->camera, path.folder, path.name, &info,
                                            fixture->context), ==, GP_OK);
  bytes = download (fixture, path.folder, path.name, GP_FILE_TYPE_NORMAL, GP_OK);
  g_assert_cmpuint (g_bytes_get_size (bytes), <, info.file.size);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);
}

static void
test_fault_hostile_names (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const expected[] = {
    "../../x.jpg",
    "a/b.jpg",
    "ctrl\001\033[31m\nname\t.jpg",
    "",
  };
  CameraList *list;

  SKIP_IF_NO_CAMERA (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      CameraFilePath path;

      capture (fixture, &path);
      g_assert_cmpstr (path.name, ==, expected[i]);
      if (*expected[i] == '\0')
        {
          /* libgphoto2 itself refuses to download a file without a name. */
          g_assert_null (download (fixture, path.folder, path.name, GP_FILE_TYPE_NORMAL,
                                   GP_ERROR_FILE_NOT_FOUND));
          continue;
        }
      bytes = download (fixture, path.folder, path.name, GP_FILE_TYPE_NORMAL, GP_OK);
      g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000);
    }

  /* The long one fills CameraFilePath's name, the next is not UTF-8. */
  for (guint i = 0; i < 2; i++)
    {
      CameraFilePath path;

      capture (fixture, &path);
      if (i == 0)
        g_assert_cmpuint (strlen (path.name), ==, sizeof path.name - 1);
      else
        g_assert_false (g_utf8_validate (path.name, -1, NULL));
    }

  list = list_files (fixture);
  g_assert_cmpint (gp_list_count (list), ==, G_N_ELEMENTS (expected) + 2);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (list_has (list, expected[i]));
  gp_list_free (list);
}

static void
test_fault_no_events (Fixture       *fixture,
                      gconstpointer  data)
{
  CameraEventType type;
  void *event_data = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpint (gp_camera_wait_for_event (fixture->camera, 10, &type, &event_data,
                                             fixture->context), ==, GP_ERROR_NOT_SUPPORTED);
}

static void
test_fault_card_full (Fixture       *fixture,
                      gconstpointer  data)
{
  CameraFilePath path;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, &path,
                                      fixture->context), ==, GP_ERROR_NO_SPACE);
}

static void
test_fault_delete_fails (Fixture       *fixture,
                         gconstpointer  data)
{
  CameraFilePath path;
  CameraList *list;

  SKIP_IF_NO_CAMERA (fixture);

  capture (fixture, &path);
  g_assert_cmpint (gp_camera_file_delete (fixture->camera, path.folder, path.name,
                                          fixture->context), ==, GP_ERROR_CAMERA_ERROR);
  list = list_files (fixture);
  g_assert_true (list_has (list, path.name));
  gp_list_free (list);
}

static void
test_fault_preview (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GdkPixbuf) frame = NULL;
  g_autoptr(GError) error = NULL;
  CameraFile *file = NULL;
  const char *bytes = NULL;
  unsigned long size = 0;

  SKIP_IF_NO_CAMERA (fixture);

  gp_file_new (&file);
  g_assert_cmpint (gp_camera_capture_preview (fixture->camera, file, fixture->context),
                   ==, GP_OK);
  gp_file_get_data_and_size (file, &bytes, &size);
  frame = decode_jpeg (bytes, size, &error);
  g_assert_nonnull (error);
  g_assert_null (frame);
  gp_file_unref (file);

  g_assert_cmpint (set_text (fixture, "faults", "no-preview"), ==, GP_OK);
  gp_file_new (&file);
  g_assert_cmpint (gp_camera_capture_preview (fixture->camera, file, fixture->context),
                   ==, GP_ERROR_NOT_SUPPORTED);
  gp_file_unref (file);
}

static void
test_fault_slow_cancelled (Fixture       *fixture,
                           gconstpointer  data)
{
  CameraFilePath path;

  SKIP_IF_NO_CAMERA (fixture);

  /* A capture that would take a minute ends when the context cancels. */
  fixture->cancel_after = 5;
  g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, &path,
                                      fixture->context), ==, GP_ERROR_CANCEL);
  fixture->cancel_after = 0;
  g_assert_cmpint (set_text (fixture, "faults", ""), ==, GP_OK);
  capture (fixture, &path);
}

static void
test_fault_widget (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *faults = NULL;
  g_autofree char *calls = NULL;
  CameraFilePath path;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpint (set_text (fixture, "faults", "busy, no-events ,io-error-on-call=99"), ==, GP_OK);
  faults = get_text (fixture, "faults");
  g_assert_cmpstr (faults, ==, "io-error-on-call=99,busy,no-events");
  /* get_config, set_config and now get_config again. */
  calls = get_text (fixture, "calls");
  g_assert_cmpstr (calls, ==, "2");
  g_assert_cmpint (gp_camera_capture (fixture->camera, GP_CAPTURE_IMAGE, &path,
                                      fixture->context), ==, GP_ERROR_CAMERA_BUSY);

  g_assert_cmpint (set_text (fixture, "faults", "explode"), ==, GP_ERROR_BAD_PARAMETERS);
  g_assert_cmpint (set_text (fixture, "faults", "io-error-on-call=x"), ==, GP_ERROR_BAD_PARAMETERS);
  g_assert_cmpint (set_text (fixture, "faults", ""), ==, GP_OK);
  capture (fixture, &path);
}

static void
test_fault_unknown_env (Fixture       *fixture,
                        gconstpointer  data)
{
  Camera *camera = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  g_setenv ("CAPA_TEST_CAMERA_FAULTS", "no-such-fault", TRUE);
  gp_camera_new (&camera);
  g_assert_cmpint (gp_camera_init (camera, fixture->context), ==, GP_ERROR_BAD_PARAMETERS);
  gp_camera_unref (camera);
}

/* Opens the test camera on @port (with CAPA_TEST_CAMERA_COUNT cameras). */
static Camera *
open_on_port (GPContext  *context,
              const char *port)
{
  CameraAbilitiesList *abilities_list = NULL;
  GPPortInfoList *ports = NULL;
  CameraAbilities abilities;
  GPPortInfo info;
  Camera *camera = NULL;
  int index;

  g_assert_cmpint (gp_abilities_list_new (&abilities_list), ==, GP_OK);
  g_assert_cmpint (gp_abilities_list_load (abilities_list, context), ==, GP_OK);
  index = gp_abilities_list_lookup_model (abilities_list, "Capa Test Camera");
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (gp_abilities_list_get_abilities (abilities_list, index, &abilities), ==, GP_OK);
  gp_abilities_list_free (abilities_list);

  g_assert_cmpint (gp_port_info_list_new (&ports), ==, GP_OK);
  g_assert_cmpint (gp_port_info_list_load (ports), >=, GP_OK);
  index = gp_port_info_list_lookup_path (ports, port);
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (gp_port_info_list_get_info (ports, index, &info), ==, GP_OK);

  g_assert_cmpint (gp_camera_new (&camera), ==, GP_OK);
  g_assert_cmpint (gp_camera_set_abilities (camera, abilities), ==, GP_OK);
  g_assert_cmpint (gp_camera_set_port_info (camera, info), ==, GP_OK);
  gp_port_info_list_free (ports);
  g_assert_cmpint (gp_camera_init (camera, context), ==, GP_OK);
  return camera;
}

/* Two test cameras (CAPA_TEST_CAMERA_COUNT=2): both detected, each with
 * its own card, counter and serial number, and pictures that differ. */
static void
test_two_cameras (void)
{
  Fixture one = { 0 }, two = { 0 };
  CameraList *list = NULL;
  CameraFilePath path;
  g_autoptr(GBytes) picture_one = NULL;
  g_autoptr(GBytes) picture_two = NULL;
  g_autoptr(GdkPixbuf) image_one = NULL;
  g_autoptr(GdkPixbuf) image_two = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *serial_one = NULL;
  g_autofree char *serial_two = NULL;
  g_autofree char *counter_one = NULL;
  g_autofree char *counter_two = NULL;
  const guchar *corner_one, *corner_two;
  GPContext *context;

  if (!capa_test_use_test_cameras (NULL, 2))
    return;
  context = gp_context_new ();

  g_assert_cmpint (gp_list_new (&list), ==, GP_OK);
  g_assert_cmpint (gp_camera_autodetect (list, context), ==, 2);
  for (int i = 0; i < 2; i++)
    {
      const char *model = NULL;
      const char *port = NULL;
      g_autofree char *expected = g_strdup_printf ("usb:001,%03d", i + 1);

      gp_list_get_name (list, i, &model);
      gp_list_get_value (list, i, &port);
      g_assert_cmpstr (model, ==, "Capa Test Camera");
      g_assert_cmpstr (port, ==, expected);
    }
  gp_list_free (list);

  one.context = two.context = context;
  one.camera = open_on_port (context, "usb:001,001");
  two.camera = open_on_port (context, "usb:001,002");
  press_button (&one, "reset");
  press_button (&two, "reset");

  /* A shot on the second camera leaves the first one's card empty. */
  capture (&two, &path);
  g_assert_cmpstr (path.name, ==, "CAPA0001.JPG");
  list = list_files (&one);
  g_assert_cmpint (gp_list_count (list), ==, 0);
  gp_list_free (list);
  list = list_files (&two);
  g_assert_cmpint (gp_list_count (list), ==, 1);
  gp_list_free (list);
  counter_two = get_text (&two, "shuttercounter");
  counter_one = get_text (&one, "shuttercounter");
  g_assert_cmpstr (counter_two, ==, "1");
  g_assert_cmpstr (counter_one, ==, "0");

  /* Each counts its own files: the first camera's first shot is also
   * CAPA0001.JPG, but the second camera draws its number on it. */
  capture (&one, &path);
  g_assert_cmpstr (path.name, ==, "CAPA0001.JPG");
  picture_one = download (&one, TC_FOLDER, "CAPA0001.JPG", GP_FILE_TYPE_NORMAL, GP_OK);
  picture_two = download (&two, TC_FOLDER, "CAPA0001.JPG", GP_FILE_TYPE_NORMAL, GP_OK);
  image_one = decode_jpeg (g_bytes_get_data (picture_one, NULL),
                           g_bytes_get_size (picture_one), &error);
  g_assert_no_error (error);
  image_two = decode_jpeg (g_bytes_get_data (picture_two, NULL),
                           g_bytes_get_size (picture_two), &error);
  g_assert_no_error (error);
  /* The top right corner: the gradient on the first, the white box
   * holding "2" on the second. */
  corner_one = gdk_pixbuf_get_pixels (image_one) + 30 * gdk_pixbuf_get_rowstride (image_one)
               + (960 - 30) * gdk_pixbuf_get_n_channels (image_one);
  corner_two = gdk_pixbuf_get_pixels (image_two) + 30 * gdk_pixbuf_get_rowstride (image_two)
               + (960 - 30) * gdk_pixbuf_get_n_channels (image_two);
  g_assert_cmpint (corner_two[0] + corner_two[1] + corner_two[2], >, 3 * 200);
  g_assert_cmpint (corner_one[1] + corner_one[2], <, 2 * 200);

  serial_one = get_text (&one, "serialnumber");
  serial_two = get_text (&two, "serialnumber");
  g_assert_cmpstr (serial_one, ==, "CAPA00000001");
  g_assert_cmpstr (serial_two, ==, "CAPA00000002");

  /* Faults are the camera's own. */
  g_assert_cmpint (set_text (&two, "faults", "card-full"), ==, GP_OK);
  g_assert_cmpint (gp_camera_capture (two.camera, GP_CAPTURE_IMAGE, &path, context),
                   ==, GP_ERROR_NO_SPACE);
  capture (&one, &path);
  g_assert_cmpstr (path.name, ==, "CAPA0002.JPG");

  press_button (&two, "reset");
  camera_close (&one);
  camera_close (&two);
  gp_context_unref (context);
  /* Back to one camera for the tests after this one. */
  g_assert_true (capa_test_use_test_camera (NULL));
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

#define ADD(path, faults, func) \
  g_test_add ("/Capa/Camlib/" path, Fixture, faults, fixture_set_up, func, fixture_tear_down)

  ADD ("detected", NULL, test_detected);
  ADD ("capture-download", NULL, test_capture_download);
  ADD ("exif", NULL, test_exif);
  ADD ("camera-dir", NULL, test_camera_dir);
  ADD ("preview-frames", NULL, test_preview_frames);
  ADD ("widgets", NULL, test_widgets);
  ADD ("widgets-refused", NULL, test_widgets_refused);
  ADD ("single-config", NULL, test_single_config);
  ADD ("events", NULL, test_events);
  ADD ("events-cancelled-wait", NULL, test_events_cancelled_wait);
  ADD ("fault/io-error-on-call", "io-error-on-call=2", test_fault_io_error);
  ADD ("fault/busy", "busy", test_fault_busy);
  ADD ("raw-jpeg", NULL, test_raw_jpeg);
  ADD ("fault/busy-after-shot", "busy-after-shot=2", test_fault_busy_after_shot);
  ADD ("fault/unplug-during-download", "unplug-during-download", test_fault_unplug_during_download);
  ADD ("fault/unplug", "unplug", test_fault_unplug);
  ADD ("fault/corrupt-data", "corrupt-data", test_fault_corrupt_data);
  ADD ("fault/truncated-data", "truncated-data", test_fault_truncated_data);
  ADD ("fault/hostile-names", "hostile-names", test_fault_hostile_names);
  ADD ("fault/no-events", "no-events", test_fault_no_events);
  ADD ("fault/card-full", "card-full", test_fault_card_full);
  ADD ("fault/delete-fails", "delete-fails", test_fault_delete_fails);
  ADD ("fault/preview", "corrupt-preview", test_fault_preview);
  ADD ("fault/slow-cancelled", "slow=60000", test_fault_slow_cancelled);
  ADD ("fault/widget", NULL, test_fault_widget);
  ADD ("fault/unknown-env", NULL, test_fault_unknown_env);
  g_test_add_func ("/Capa/Camlib/two-cameras", test_two_cameras);

#undef ADD

  return g_test_run ();
}
