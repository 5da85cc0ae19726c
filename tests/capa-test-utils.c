/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <dlfcn.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "capa-test-utils.h"

static char *test_home;
static GThread *test_main_thread;

static void
remove_test_home (void)
{
  if (test_home != NULL && g_getenv ("CAPA_TEST_KEEP_HOME") == NULL)
    capa_test_rmtree (test_home);
  g_clear_pointer (&test_home, g_free);
}

void
capa_test_init (int    *argc,
                char ***argv)
{
  static const char *subdirs[][2] = {
    { "XDG_CACHE_HOME", ".cache" },
    { "XDG_CONFIG_HOME", ".config" },
    { "XDG_DATA_HOME", ".local/share" },
    { "XDG_RUNTIME_DIR", "run" },
  };
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_setenv ("LANGUAGE", "C", TRUE);

  test_home = g_dir_make_tmp ("capa-test-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", test_home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (test_home, subdirs[i][1], NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (subdirs[i][0], path, TRUE);
    }
  atexit (remove_test_home);

  g_test_init (argc, argv, NULL);
  test_main_thread = g_thread_self ();
  /* Keep TAP on stdout clean: every log message goes to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);
}

void
capa_test_copy_items_changed_cb (GListModel *model,
                                 guint       position,
                                 guint       removed,
                                 guint       added,
                                 GPtrArray  *copy)
{
  g_assert_cmpuint (position + removed, <=, copy->len);
  g_ptr_array_remove_range (copy, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (copy, position + i, g_list_model_get_item (model, position + i));
}

void
capa_test_copy_sample (const char *folder,
                       const char *sample,
                       const char *name)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", sample, NULL);
  g_autofree char *destination = g_build_filename (folder, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (destination, contents, (gssize) length, NULL));
}

char *
capa_test_make_tmpdir (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpl = g_strdup_printf ("capa-%s-XXXXXX", name ? name : "test");
  char *path = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return path;
}

void
capa_test_rmtree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  /* Make it writable again in case a test took the permission away. */
  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      capa_test_rmtree (child);
    }
  g_rmdir (path);
}

void
capa_test_write_jpegs (const char *folder,
                       guint       count,
                       int         width,
                       int         height)
{
  for (guint n = 0; n < count; n++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
      g_autofree char *name = g_strdup_printf ("shot-%04u.jpg", n + 1);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GError) error = NULL;
      guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
      int stride = gdk_pixbuf_get_rowstride (pixbuf);

      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            guchar *p = pixels + y * stride + x * 3;

            p[0] = (guchar) ((x * 255) / MAX (width - 1, 1));
            p[1] = (guchar) ((y * 255) / MAX (height - 1, 1));
            p[2] = (guchar) ((n * 53) & 0xff);
          }

      gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL);
      g_assert_no_error (error);
    }
}

static char *vcamera_unavailable;

gboolean
capa_test_vcamera_available (void)
{
  if (vcamera_unavailable == NULL)
    return TRUE;

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_test_fail_printf ("CI must run this test, but the virtual camera is %s", vcamera_unavailable);
  else
    g_test_skip_printf ("the virtual camera is %s on this machine", vcamera_unavailable);
  return FALSE;
}

gboolean
capa_test_use_vcamera (const char *jpeg_folder)
{
  const char *dir = g_getenv ("CAPA_TEST_VUSB_DIR");
  g_autofree char *status_file = NULL;
  g_autofree char *status = NULL;
  g_autofree char *iolibs = NULL;

  status_file = g_build_filename (dir ? dir : "", "status", NULL);
  if (dir == NULL)
    status = g_strdup ("not set up (CAPA_TEST_VUSB_DIR is not set: run the tests with meson test)");
  else if (!g_file_get_contents (status_file, &status, NULL, NULL))
    status = g_strdup ("unavailable: the fixture was not built (meson option vcamera=disabled?)");
  g_strstrip (status);

  if (!g_str_equal (status, "ok"))
    {
      g_free (vcamera_unavailable);
      vcamera_unavailable = g_strdup (status);
      /* Outside a test case (before g_test_run()), each test reports it
       * through capa_test_vcamera_available(). */
      if (g_test_get_path () != NULL && *g_test_get_path () != '\0')
        capa_test_vcamera_available ();
      return FALSE;
    }

  iolibs = g_build_filename (dir, "iolibs", NULL);
  g_setenv ("IOLIBS", iolibs, TRUE);

  /* Keep the driver mapped after libgphoto2 closes it, so that sanitizer
   * reports name it rather than an unknown module. */
  {
    g_autofree char *module = g_build_filename (iolibs, "vusb.so", NULL);

    if (dlopen (module, RTLD_NOW | RTLD_NODELETE) == NULL)
      g_test_message ("could not keep %s loaded: %s", module, dlerror ());
  }
  g_setenv ("VCAMERADIR", jpeg_folder, TRUE);

  return TRUE;
}

static gboolean
on_timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
capa_test_wait_for (gboolean *flag,
                    guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return *flag;
}

void
capa_test_spin (guint ms)
{
  gboolean never = FALSE;

  capa_test_wait_for (&never, ms);
}

void
capa_test_assert_finalized (gpointer object)
{
  gpointer weak = object;

  g_assert_true (G_IS_OBJECT (object));

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  for (guint i = 0; weak != NULL && i < 5000; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (weak != NULL)
        g_usleep (1000);
    }
  g_assert_null (weak);
}

gboolean
capa_test_use_test_camera (const char *faults)
{
  const char *camlibs = g_getenv ("CAPA_TEST_CAMLIB_DIR");
  g_autofree char *jpegs = NULL;

  if (camlibs == NULL)
    {
      g_test_fail_printf ("CAPA_TEST_CAMLIB_DIR is not set: run the tests with meson test");
      return FALSE;
    }

  /* The virtual camera's port driver wants a folder of its own files,
   * which the test camera never reads. */
  jpegs = g_build_filename (g_get_home_dir (), "vcamera-unused", NULL);
  g_mkdir_with_parents (jpegs, 0700);
  if (!capa_test_use_vcamera (jpegs))
    return FALSE;

  g_setenv ("CAMLIBS", camlibs, TRUE);
  /* vusb.so and the system's ptpip.so: the test camera answers on
   * usb:001,001 and on any ptpip: port (tests/camlib/README.md). */
  if (g_getenv ("CAPA_TEST_IOLIBS_DIR") != NULL)
    g_setenv ("IOLIBS", g_getenv ("CAPA_TEST_IOLIBS_DIR"), TRUE);
  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);
  else
    g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  g_unsetenv ("CAPA_TEST_CAMERA_COUNT");

  return TRUE;
}

gboolean
capa_test_use_test_cameras (const char *faults,
                            guint       count)
{
  const char *dir = g_getenv ("CAPA_TEST_VUSB_DIR");
  g_autofree char *status_file = NULL;
  g_autofree char *status = NULL;
  g_autofree char *iolibs = NULL;
  g_autofree char *module = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (count >= 1, FALSE);

  if (!capa_test_use_test_camera (faults))
    return FALSE;
  if (count == 1)
    return TRUE;

  /* tests/fixtures/build-vusb.sh builds the port driver beside vusb. */
  status_file = g_build_filename (dir, "multi-status", NULL);
  if (!g_file_get_contents (status_file, &status, NULL, NULL))
    status = g_strdup ("unavailable: the fixture did not build it");
  g_strstrip (status);
  if (!g_str_equal (status, "ok"))
    {
      g_free (vcamera_unavailable);
      vcamera_unavailable = g_strdup_printf ("there but its several-port driver is %s", status);
      if (g_test_get_path () != NULL && *g_test_get_path () != '\0')
        capa_test_vcamera_available ();
      return FALSE;
    }

  iolibs = g_build_filename (dir, "multi-iolibs", NULL);
  module = g_build_filename (iolibs, "capa_test_usb.so", NULL);
  /* Kept mapped for the sanitizers' reports, as vusb.so is. */
  if (dlopen (module, RTLD_NOW | RTLD_NODELETE) == NULL)
    g_test_message ("could not keep %s loaded: %s", module, dlerror ());
  g_setenv ("IOLIBS", iolibs, TRUE);
  text = g_strdup_printf ("%u", count);
  g_setenv ("CAPA_TEST_CAMERA_COUNT", text, TRUE);

  return TRUE;
}

static void
append_u16 (GByteArray *out,
            gboolean    big_endian,
            guint16     value)
{
  guint8 b[2];

  b[big_endian ? 0 : 1] = value >> 8;
  b[big_endian ? 1 : 0] = value & 0xff;
  g_byte_array_append (out, b, 2);
}

static void
append_u32 (GByteArray *out,
            gboolean    big_endian,
            guint32     value)
{
  append_u16 (out, big_endian, big_endian ? value >> 16 : value & 0xffff);
  append_u16 (out, big_endian, big_endian ? value & 0xffff : value >> 16);
}

static guint
count_tags (const CapaTestExifTag *tags)
{
  guint n = 0;

  while (tags != NULL && tags[n].tag != 0)
    n++;
  return n;
}

/* Appends the IFD of @tags, their long values going at *@data_offset in
 * @data. */
static void
append_ifd (GByteArray            *out,
            GByteArray            *data,
            gboolean               big_endian,
            const CapaTestExifTag *tags,
            guint32                exif_ifd_offset,
            guint32               *data_offset)
{
  guint n = count_tags (tags);

  append_u16 (out, big_endian, n + (exif_ifd_offset ? 1 : 0));
  for (guint i = 0; i < n; i++)
    {
      guint32 count = strlen (tags[i].ascii) + 1;

      append_u16 (out, big_endian, tags[i].tag);
      append_u16 (out, big_endian, 2);   /* ASCII */
      append_u32 (out, big_endian, count);
      if (count <= 4)
        {
          guint8 value[4] = { 0 };

          memcpy (value, tags[i].ascii, count);
          g_byte_array_append (out, value, 4);
        }
      else
        {
          append_u32 (out, big_endian, *data_offset);
          g_byte_array_append (data, (const guint8 *) tags[i].ascii, count);
          *data_offset += count;
        }
    }
  if (exif_ifd_offset)
    {
      append_u16 (out, big_endian, 0x8769);
      append_u16 (out, big_endian, 4);   /* LONG */
      append_u32 (out, big_endian, 1);
      append_u32 (out, big_endian, exif_ifd_offset);
    }
  append_u32 (out, big_endian, 0);   /* no next IFD */
}

GBytes *
capa_test_make_tiff (gboolean               big_endian,
                     const CapaTestExifTag *ifd0,
                     const CapaTestExifTag *exif_ifd)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint n0 = count_tags (ifd0) + (exif_ifd ? 1 : 0);
  guint32 exif_offset = 8 + 2 + 12 * n0 + 4;
  guint32 data_offset = exif_offset + (exif_ifd ? 2 + 12 * count_tags (exif_ifd) + 4 : 0);

  g_byte_array_append (out, (const guint8 *) (big_endian ? "MM" : "II"), 2);
  append_u16 (out, big_endian, 42);
  append_u32 (out, big_endian, 8);
  append_ifd (out, data, big_endian, ifd0, exif_ifd ? exif_offset : 0, &data_offset);
  if (exif_ifd != NULL)
    {
      g_assert_cmpuint (out->len, ==, exif_offset);
      append_ifd (out, data, big_endian, exif_ifd, 0, &data_offset);
    }
  g_byte_array_append (out, data->data, data->len);
  g_assert_cmpuint (out->len, ==, data_offset);

  return g_byte_array_free_to_bytes (out);
}

GBytes *
capa_test_make_exif_date (const char *date)
{
  const CapaTestExifTag exif[] = { { 0x9003, date }, { 0 } };

  return capa_test_make_tiff (FALSE, NULL, exif);
}

void
capa_test_write_exif_jpeg (const char *path,
                           GBytes     *tiff)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 8, 8);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *jpeg = NULL;
  gsize jpeg_size = 0;
  gsize head = 2;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_size, "jpeg", &error,
                                            "quality", "90", NULL));
  g_assert_no_error (error);
  g_assert_cmpuint (jpeg_size, >, 6);

  /* After SOI and APP0, if any. */
  if ((guint8) jpeg[2] == 0xFF && (guint8) jpeg[3] == 0xE0)
    head = 4 + (((guint8) jpeg[4] << 8) | (guint8) jpeg[5]);
  g_byte_array_append (out, (const guint8 *) jpeg, head);

  if (tiff != NULL)
    {
      gsize size = g_bytes_get_size (tiff);
      guint8 marker[4] = { 0xFF, 0xE1, (size + 8) >> 8, (size + 8) & 0xff };

      g_assert_cmpuint (size + 8, <=, 0xFFFF);
      g_byte_array_append (out, marker, 4);
      g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
      g_byte_array_append (out, g_bytes_get_data (tiff, NULL), size);
    }
  g_byte_array_append (out, (const guint8 *) jpeg + head, jpeg_size - head);

  g_assert_true (g_file_set_contents (path, (const char *) out->data, out->len, &error));
  g_assert_no_error (error);
}

void
capa_test_async_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CapaTestAsync *wait = user_data;

  g_assert_true (g_thread_self () == test_main_thread);
  g_assert_false (wait->done);
  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

void
capa_test_async_clear (CapaTestAsync *wait)
{
  g_clear_object (&wait->result);
  wait->done = FALSE;
}

gboolean
capa_test_camera_usable (gboolean have_camera)
{
  if (have_camera)
    return TRUE;

  /* capa_test_use_test_camera() said why (and failed under CI). */
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_test_fail ();
  else
    g_test_skip ("the test camera cannot be used on this machine");
  return FALSE;
}

CapaControl *
capa_test_camera_get_control (CapaCamera *camera,
                              const char *path)
{
  CapaControlGroup *controls = capa_camera_get_controls (camera);
  CapaControl *control;

  if (controls == NULL)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (capa_camera_load_controls (camera, NULL, &error));
      g_assert_no_error (error);
      controls = capa_camera_get_controls (camera);
    }
  g_assert_nonnull (controls);
  control = capa_control_group_get_by_path (controls, path);
  g_assert_nonnull (control);
  return control;
}

void
capa_test_camera_save_controls (CapaCamera *camera)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);
}

void
capa_test_camera_set_faults (CapaCamera *camera,
                             const char *faults)
{
  CapaControl *control = capa_test_camera_get_control (camera, "/main/testing/faults");

  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), faults);
  capa_test_camera_save_controls (camera);
}

void
capa_test_camera_open (CapaCamera *camera)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_get_connected (camera));
}

void
capa_test_camera_close (CapaCamera *camera)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
}

void
capa_test_camera_reset (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  CapaControl *reset;

  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  camera = capa_camera_new (CAPA_TEST_CAMERA_MODEL, CAPA_TEST_CAMERA_PORT);
  capa_test_camera_open (camera);
  reset = capa_test_camera_get_control (camera, "/main/testing/reset");
  capa_control_button_press (CAPA_CONTROL_BUTTON (reset));
  capa_test_camera_save_controls (camera);
  capa_test_camera_close (camera);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

CapaCamera *
capa_test_camera_find_and_open (void)
{
  g_autoptr(CapaCameraList) list = capa_camera_list_new ();
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(GError) error = NULL;
  CapaCamera *camera;

  capa_camera_list_set_monitoring (list, FALSE);
  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  cameras = capa_camera_list_get_cameras (list);
  g_assert_cmpuint (cameras->len, ==, 1);
  camera = g_object_ref (g_ptr_array_index (cameras, 0));
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  return camera;
}

GPtrArray *
capa_test_camera_list_files (CapaCamera *camera)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *files = capa_camera_list_files (camera, "/", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (files);
  return files;
}

gboolean
capa_test_camera_card_has (CapaCamera *camera,
                           const char *name)
{
  g_autoptr(GPtrArray) files = capa_test_camera_list_files (camera);

  for (guint i = 0; i < files->len; i++)
    if (g_strcmp0 (capa_camera_file_get_name (g_ptr_array_index (files, i)), name) == 0)
      return TRUE;
  return FALSE;
}

CapaImage *
capa_test_camera_capture (CapaTether    *tether,
                          GCancellable  *cancellable,
                          guint          timeout_ms,
                          GError       **error)
{
  CapaTestAsync wait = { 0 };
  CapaImage *image;

  capa_tether_capture_async (tether, cancellable, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, timeout_ms));
  image = capa_tether_capture_finish (tether, wait.result, error);
  capa_test_async_clear (&wait);
  return image;
}

static void
on_tether_image_saved_cb (CapaTether *tether,
                          CapaImage  *image,
                          GPtrArray  *saved)
{
  g_assert_true (g_thread_self () == test_main_thread);
  g_assert_true (CAPA_IS_IMAGE (image));
  g_ptr_array_add (saved, g_object_ref (image));
}

static void
on_tether_error_cb (CapaTether   *tether,
                    const GError *error,
                    GPtrArray    *errors)
{
  g_assert_true (g_thread_self () == test_main_thread);
  g_test_message ("tether error: %s", error->message);
  g_ptr_array_add (errors, g_error_copy (error));
}

void
capa_test_camera_collect_tether (CapaTether *tether,
                                 GPtrArray  *saved,
                                 GPtrArray  *errors)
{
  g_signal_connect (tether, "image-saved", G_CALLBACK (on_tether_image_saved_cb), saved);
  g_signal_connect (tether, "error", G_CALLBACK (on_tether_error_cb), errors);
}

/* --- widgets of a window --- */

typedef struct
{
  const char *id;
  GtkWidget  *found;
} Find;

static void
find_cb (GtkWidget *widget,
         gpointer   data)
{
  Find *find = data;

  if (find->found == NULL)
    find->found = capa_test_find_in (widget, find->id);
}

GtkWidget *
capa_test_find_in (GtkWidget  *widget,
                   const char *id)
{
  Find find = { id, NULL };

  if (g_strcmp0 (gtk_buildable_get_name (GTK_BUILDABLE (widget)), id) == 0)
    return widget;
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_cb, &find);
  if (find.found == NULL && GTK_IS_MENU_BUTTON (widget)
      && gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)) != NULL)
    find.found = capa_test_find_in (GTK_WIDGET (gtk_menu_button_get_popover
                                                  (GTK_MENU_BUTTON (widget))), id);

  return find.found;
}

GtkWidget *
capa_test_find_widget (GtkWindow  *window,
                       const char *id)
{
  GtkWidget *found = NULL;

  if (gtk_window_get_titlebar (window) != NULL)
    found = capa_test_find_in (gtk_window_get_titlebar (window), id);
  if (found == NULL)
    found = capa_test_find_in (GTK_WIDGET (window), id);
  g_assert_nonnull (found);

  return found;
}

gboolean
capa_test_wait_for_window (gboolean   (*check) (CapaWindow *window),
                           CapaWindow  *window,
                           guint        ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;

  while (!check (window) && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);

  return check (window);
}

void
capa_test_save_screenshot (GtkWidget  *widget,
                           const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  GdkWindow *gdk_window;

  gtk_widget_queue_draw (widget);
  capa_test_spin (700);
  gdk_display_sync (gdk_display_get_default ());

  gdk_window = gtk_widget_get_window (widget);
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0, gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  g_assert_nonnull (pixbuf);
  g_mkdir_with_parents (dir, 0755);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}

void
capa_test_tether_set_up (CapaTestTether *fixture,
                         gboolean        have_camera,
                         const char     *faults,
                         const char     *name)
{
  fixture->saved = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  if (!capa_test_camera_usable (have_camera))
    return;

  capa_test_camera_reset ();
  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);
  fixture->camera = capa_camera_new (CAPA_TEST_CAMERA_MODEL, CAPA_TEST_CAMERA_PORT);
  capa_test_camera_open (fixture->camera);

  fixture->directory = capa_test_make_tmpdir (name);
  fixture->session = capa_session_new (fixture->directory);
  capa_session_set_filename_pattern (fixture->session, "DSC_%n");
  fixture->tether = capa_tether_new (fixture->camera, fixture->session);
  capa_test_camera_collect_tether (fixture->tether, fixture->saved, fixture->errors);
}

void
capa_test_tether_tear_down (CapaTestTether *fixture)
{
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  g_clear_pointer (&fixture->saved, g_ptr_array_unref);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
  if (fixture->tether == NULL)
    return;

  capa_tether_stop_monitoring (fixture->tether);
  capa_test_assert_finalized (g_steal_pointer (&fixture->tether));
  if (capa_camera_get_connected (fixture->camera))
    capa_test_camera_close (fixture->camera);
  capa_test_assert_finalized (g_steal_pointer (&fixture->camera));
  capa_test_assert_finalized (g_steal_pointer (&fixture->session));
  capa_test_rmtree (fixture->directory);
  g_clear_pointer (&fixture->directory, g_free);
}

GtkWidget *
capa_test_window_part (CapaWindow *window,
                       const char *id)
{
  GtkWidget *slot = capa_test_find_widget (GTK_WINDOW (window), id);
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (slot));

  g_assert_nonnull (children);
  return children->data;
}
