/* SPDX-License-Identifier: GPL-3.0-or-later */

/* CapaCameraList, CapaCamera and the settings tree against libgphoto2's
 * virtual Nikon D750 (vusb). */

#include "config.h"

#include "capa-test-utils.h"

#define N_JPEGS 3

static char *jpeg_folder;
static gboolean have_vcamera;
static GThread *main_thread;

/* --- helpers --- */

static void
close_and_finalize (CapaCamera *camera)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (capa_camera_get_connected (camera));
  capa_test_assert_finalized (camera);
}

static gboolean
bytes_equal_to_a_source_jpeg (GBytes *bytes)
{
  for (guint n = 1; n <= N_JPEGS; n++)
    {
      g_autofree char *name = g_strdup_printf ("shot-%04u.jpg", n);
      g_autofree char *path = g_build_filename (jpeg_folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (length == g_bytes_get_size (bytes) &&
          memcmp (contents, g_bytes_get_data (bytes, NULL), length) == 0)
        return TRUE;
    }

  return FALSE;
}

/* --- tests --- */

static void
on_camera_added_cb (CapaCameraList *list,
                    CapaCamera     *camera,
                    guint          *count)
{
  g_assert_true (CAPA_IS_CAMERA (camera));
  (*count)++;
}

static void
test_camera_list_detect (void)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };
  guint added = 0;
  guint removed = 0;
  CapaCamera *camera;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  list = capa_camera_list_new ();
  g_signal_connect (list, "camera-added", G_CALLBACK (on_camera_added_cb), &added);
  g_signal_connect (list, "camera-removed", G_CALLBACK (on_camera_added_cb), &removed);

  g_assert_true (capa_camera_list_refresh (list, NULL, &error));
  g_assert_no_error (error);
  first = capa_camera_list_get_cameras (list);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpuint (added, ==, 1);
  camera = g_ptr_array_index (first, 0);
  g_assert_cmpstr (capa_camera_get_model (camera), ==, "Nikon DSC D750");
  g_assert_cmpstr (capa_camera_get_port (camera), ==, "usb:001,001");
  g_assert_false (capa_camera_get_connected (camera));

  /* GListModel view of the same. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == CAPA_TYPE_CAMERA);
  {
    g_autoptr(CapaCamera) item = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_true (item == camera);
  }

  /* A rescan on a worker thread keeps the same object. */
  capa_camera_list_refresh_async (list, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  g_assert_true (capa_camera_list_refresh_finish (list, wait.result, &error));
  g_assert_no_error (error);
  capa_test_async_clear (&wait);

  second = capa_camera_list_get_cameras (list);
  g_assert_cmpuint (second->len, ==, 1);
  g_assert_true (g_ptr_array_index (second, 0) == camera);
  g_assert_cmpuint (added, ==, 1);
  g_assert_cmpuint (removed, ==, 0);

  g_clear_pointer (&first, g_ptr_array_unref);
  g_clear_pointer (&second, g_ptr_array_unref);
  capa_test_assert_finalized (g_steal_pointer (&list));
}

static void
test_camera_list_network (void)
{
  g_autoptr(CapaCameraList) list = capa_camera_list_new ();
  g_autoptr(GError) error = NULL;
  guint added = 0;
  CapaCamera *camera;

  capa_camera_list_set_monitoring (list, FALSE);
  g_signal_connect (list, "camera-added", G_CALLBACK (on_camera_added_cb), &added);

  g_assert_null (capa_camera_list_add_network_camera (list, "usb:001,002", NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
  g_clear_error (&error);
  g_assert_null (capa_camera_list_add_network_camera (list, "ptpip:", NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
  g_clear_error (&error);
  g_assert_cmpuint (added, ==, 0);

  camera = capa_camera_list_add_network_camera (list, "ptpip:192.0.2.7", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (camera);
  g_assert_cmpstr (capa_camera_get_port (camera), ==, "ptpip:192.0.2.7");
  g_assert_cmpstr (capa_camera_get_model (camera), ==, "PTP/IP Camera");
  g_assert_cmpuint (added, ==, 1);
  g_assert_true (capa_camera_list_add_network_camera (list, "ptpip:192.0.2.7", NULL, NULL)
                 == camera);
  g_assert_cmpuint (added, ==, 1);

  if (have_vcamera)
    {
      /* A rescan keeps the network camera beside the detected one. */
      g_assert_true (capa_camera_list_refresh (list, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
      g_assert_true (capa_camera_list_find (list, "PTP/IP Camera", "ptpip:192.0.2.7") == camera);
    }

  capa_test_assert_finalized (g_steal_pointer (&list));
}

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *count)
{
  g_assert_true (g_thread_self () == main_thread);
  (*count)++;
}

static void
test_camera_open_close (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };
  guint notified = 0;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  camera = capa_camera_new ("Nikon DSC D750", "usb:001,001");
  g_signal_connect (camera, "notify::connected", G_CALLBACK (on_notify_count_cb), &notified);

  /* Nothing works before open. */
  g_assert_null (capa_camera_capture_image (camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_null (capa_camera_get_controls (camera));

  capa_camera_open_async (camera, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  g_assert_true (capa_camera_open_finish (camera, wait.result, &error));
  g_assert_no_error (error);
  capa_test_async_clear (&wait);

  g_assert_true (capa_camera_get_connected (camera));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (capa_camera_get_has_capture (camera));
  g_assert_true (capa_camera_get_has_settings (camera));
  /* The summary is read only on request (see /Capa/Camera/summary). */
  g_assert_null (capa_camera_get_summary (camera));
  g_assert_cmpstr (capa_camera_get_manufacturer (camera), ==, "Nikon");

  /* Opening again is harmless. */
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);

  capa_camera_close_async (camera, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  g_assert_true (capa_camera_close_finish (camera, wait.result, &error));
  g_assert_no_error (error);
  capa_test_async_clear (&wait);
  g_assert_false (capa_camera_get_connected (camera));
  g_assert_cmpuint (notified, ==, 2);

  capa_test_assert_finalized (g_steal_pointer (&camera));
}

static void
test_camera_summary (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  CapaTestAsync wait = { 0 };
  guint notified = 0;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  camera = capa_camera_new ("Nikon DSC D750", "usb:001,001");
  g_signal_connect (camera, "notify::summary", G_CALLBACK (on_notify_count_cb), &notified);

  /* Not before open. */
  g_assert_false (capa_camera_load_summary (camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_null (capa_camera_get_summary (camera));
  g_assert_cmpuint (notified, ==, 0);

  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (capa_camera_get_summary (camera));
  g_assert_cmpuint (notified, ==, 0);

  /* Read on the camera's worker; the property is set and notified once,
   * in the main thread. */
  capa_camera_load_summary_async (camera, NULL, capa_test_async_done_cb, &wait);
  g_assert_null (capa_camera_get_summary (camera));
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  g_assert_true (capa_camera_load_summary_finish (camera, wait.result, &error));
  g_assert_no_error (error);
  capa_test_async_clear (&wait);

  g_assert_cmpuint (notified, ==, 1);
  g_assert_nonnull (capa_camera_get_summary (camera));
  g_assert_nonnull (strstr (capa_camera_get_summary (camera), "Model"));
  g_assert_nonnull (capa_camera_get_manufacturer (camera));
  first = g_strdup (capa_camera_get_summary (camera));

  /* The blocking twin reads it again: the same text notifies nothing. */
  g_assert_true (capa_camera_load_summary (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (capa_camera_get_summary (camera), ==, first);
  g_assert_cmpuint (notified, ==, 1);

  /* The camera still takes pictures after it. */
  {
    g_autoptr(CapaCameraFile) file = capa_camera_capture_image (camera, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (file);
    g_assert_true (capa_camera_delete_file (camera, file, NULL, &error));
    g_assert_no_error (error);
  }

  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

static void
test_camera_open_unknown (void)
{
  g_autoptr(CapaCamera) camera = capa_camera_new ("No Such Camera 3000", "usb:001,001");
  g_autoptr(GError) error = NULL;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  g_assert_false (capa_camera_open (camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No Such Camera 3000"));
  g_clear_error (&error);
  g_assert_false (capa_camera_get_connected (camera));

  capa_test_assert_finalized (g_steal_pointer (&camera));
}

static void
on_controls_changed_cb (CapaCamera *camera,
                        guint      *count)
{
  g_assert_true (g_thread_self () == main_thread);
  (*count)++;
}

static void
test_camera_controls (void)
{
  g_autoptr(GError) error = NULL;
  CapaCamera *camera;
  CapaControlGroup *root;
  CapaControl *fnumber;
  CapaControl *battery;
  const char * const *choices;
  g_autofree char *old_value = NULL;
  const char *new_value = NULL;
  guint changed = 0;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  camera = capa_test_camera_find_and_open ();
  g_signal_connect (camera, "controls-changed", G_CALLBACK (on_controls_changed_cb), &changed);
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);

  root = capa_camera_get_controls (camera);
  g_assert_true (CAPA_IS_CONTROL_GROUP (root));
  g_assert_cmpstr (capa_control_get_path (CAPA_CONTROL (root)), ==, "/main");

  fnumber = capa_control_group_get_by_path (root, "/main/capturesettings/f-number");
  g_assert_true (CAPA_IS_CONTROL_CHOICE (fnumber));
  g_assert_cmpstr (capa_control_get_path (fnumber), ==, "/main/capturesettings/f-number");
  g_assert_false (capa_control_get_readonly (fnumber));
  g_assert_false (capa_control_get_dirty (fnumber));
  choices = capa_control_choice_get_choices (CAPA_CONTROL_CHOICE (fnumber));
  g_assert_cmpuint (g_strv_length ((GStrv) choices), ==, 18);
  g_assert_true (g_strv_contains (choices,
                                  capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber))));

  battery = capa_control_group_get_by_path (root, "/main/status/batterylevel");
  g_assert_nonnull (battery);
  g_assert_true (capa_control_get_readonly (battery));

  /* Change the f-number, save it, read it back through a new session. */
  old_value = g_strdup (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber)));
  for (guint i = 0; choices[i] != NULL && new_value == NULL; i++)
    if (!g_str_equal (choices[i], old_value))
      new_value = choices[g_strv_length ((GStrv) choices) - 1 - i];
  g_assert_nonnull (new_value);
  g_assert_cmpstr (new_value, !=, old_value);

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), new_value);
  g_assert_true (capa_control_get_dirty (fnumber));
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (capa_control_get_dirty (fnumber));

  /* Read back from the camera: a reload updates the same objects. */
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (capa_camera_get_controls (camera) == root);
  g_assert_true (capa_control_group_get_by_path (root, "/main/capturesettings/f-number")
                 == fnumber);
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber)), ==, new_value);

  /* The tree survives a close and a new session. (vusb forgets its
   * settings when it is opened again, unlike a real body, so the value
   * read now is the emulator's default.) */
  g_assert_true (capa_camera_close (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_get_controls (camera) == root);
  g_assert_true (capa_camera_open (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_get_controls (camera) == root);
  g_assert_true (capa_control_group_get_by_path (root, "/main/capturesettings/f-number")
                 == fnumber);
  g_assert_true (g_strv_contains (choices,
                                  capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber))));
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), new_value);
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);

  /* A value changed again while a save runs stays dirty, to be sent next. */
  {
    CapaTestAsync wait = { 0 };

    capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), choices[0]);
    capa_camera_save_controls_async (camera, NULL, capa_test_async_done_cb, &wait);
    capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), new_value);
    g_assert_true (capa_test_wait_for (&wait.done, 10000));
    g_assert_true (capa_camera_save_controls_finish (camera, wait.result, &error));
    g_assert_no_error (error);
    g_assert_true (capa_control_get_dirty (fnumber));
    g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber)), ==, new_value);
    capa_test_async_clear (&wait);
    g_assert_true (capa_camera_save_controls (camera, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (capa_control_get_dirty (fnumber));
  }

  /* A refused value names the control and the camera's reason; the
   * control stays dirty until a value is taken. */
  {
    CapaControl *speed = capa_control_group_get_by_path (root,
                                                         "/main/capturesettings/shutterspeed");
    g_autofree char *speed_value = NULL;

    g_assert_true (CAPA_IS_CONTROL_CHOICE (speed));
    speed_value = g_strdup (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (speed)));
    capa_control_choice_set_value (CAPA_CONTROL_CHOICE (speed), "garbage");
    g_assert_false (capa_camera_save_controls (camera, NULL, &error));
    g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
    g_assert_nonnull (strstr (error->message, capa_control_get_label (speed)));
    g_assert_nonnull (strstr (error->message, "/main/capturesettings/shutterspeed"));
    g_clear_error (&error);
    g_assert_true (capa_control_get_dirty (speed));

    capa_control_choice_set_value (CAPA_CONTROL_CHOICE (speed), speed_value);
    g_assert_true (capa_camera_save_controls (camera, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (capa_control_get_dirty (speed));
  }

  close_and_finalize (camera);
}

typedef struct
{
  GPtrArray *added;
  guint      captured;
  guint      downloaded;
  guint      deleted;
  double     last_progress;
} Signals;

static void
on_file_added_cb (CapaCamera     *camera,
                  CapaCameraFile *file,
                  Signals        *sig)
{
  g_assert_true (g_thread_self () == main_thread);
  g_ptr_array_add (sig->added, g_object_ref (file));
}

static void
on_file_signal_cb (CapaCamera     *camera,
                   CapaCameraFile *file,
                   guint          *count)
{
  g_assert_true (g_thread_self () == main_thread);
  g_assert_true (CAPA_IS_CAMERA_FILE (file));
  (*count)++;
}

static void
on_download_progress_cb (CapaCamera     *camera,
                         CapaCameraFile *file,
                         double          fraction,
                         Signals        *sig)
{
  g_assert_true (g_thread_self () == main_thread);
  /* Each download starts at 0 and only moves forward. */
  if (fraction > 0)
    g_assert_cmpfloat (fraction, >=, sig->last_progress);
  sig->last_progress = fraction;
}

static void
connect_signals (CapaCamera *camera,
                 Signals    *sig)
{
  sig->added = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (camera, "file-added", G_CALLBACK (on_file_added_cb), sig);
  g_signal_connect (camera, "file-captured", G_CALLBACK (on_file_signal_cb), &sig->captured);
  g_signal_connect (camera, "file-downloaded", G_CALLBACK (on_file_signal_cb), &sig->downloaded);
  g_signal_connect (camera, "file-deleted", G_CALLBACK (on_file_signal_cb), &sig->deleted);
  g_signal_connect (camera, "download-progress", G_CALLBACK (on_download_progress_cb), sig);
}

static gboolean
file_listed (GPtrArray      *files,
             CapaCameraFile *file)
{
  for (guint i = 0; i < files->len; i++)
    if (g_str_equal (capa_camera_file_get_name (files->pdata[i]),
                     capa_camera_file_get_name (file)) &&
        g_str_equal (capa_camera_file_get_folder (files->pdata[i]),
                     capa_camera_file_get_folder (file)))
      return TRUE;
  return FALSE;
}

/* The downloaded bytes are libgphoto2's own buffer, handed over without a
 * copy: they must stay valid after the camera is closed and gone, and a
 * download told the size by the capture must still take the whole file. */
static void
test_camera_download_outlives_camera (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(GBytes) data = NULL;
  CapaCamera *camera;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  camera = capa_test_camera_find_and_open ();
  file = capa_camera_capture_image (camera, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (capa_camera_file_get_size (file), >, 0);
  g_assert_true (capa_camera_download_file (camera, file, NULL, &error));
  g_assert_no_error (error);
  data = g_bytes_ref (capa_camera_file_get_data (file));
  g_assert_cmpuint (g_bytes_get_size (data), ==, capa_camera_file_get_size (file));

  /* Dropping the file's own reference, and the camera, leaves ours whole. */
  capa_camera_file_set_data (file, NULL);
  g_assert_null (capa_camera_file_get_data (file));
  close_and_finalize (camera);

  g_assert_true (bytes_equal_to_a_source_jpeg (data));
}

static void
test_camera_capture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(GPtrArray) files = NULL;
  CapaTestAsync wait = { 0 };
  Signals sig = { 0 };
  CapaCamera *camera;
  GBytes *data;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  camera = capa_test_camera_find_and_open ();
  connect_signals (camera, &sig);

  capa_camera_capture_image_async (camera, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  file = capa_camera_capture_image_finish (camera, wait.result, &error);
  g_assert_no_error (error);
  capa_test_async_clear (&wait);
  g_assert_true (CAPA_IS_CAMERA_FILE (file));
  g_assert_cmpuint (sig.captured, ==, 1);
  g_assert_null (capa_camera_file_get_data (file));
  g_assert_cmpstr (capa_camera_file_get_folder (file), !=, "");
  g_assert_nonnull (capa_camera_file_get_name (file));

  capa_camera_download_file_async (camera, file, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  g_assert_true (capa_camera_download_file_finish (camera, wait.result, &error));
  g_assert_no_error (error);
  capa_test_async_clear (&wait);

  data = capa_camera_file_get_data (file);
  g_assert_nonnull (data);
  g_assert_true (bytes_equal_to_a_source_jpeg (data));
  g_assert_cmpuint (capa_camera_file_get_size (file), ==, g_bytes_get_size (data));
  g_assert_cmpstr (capa_camera_file_get_mime_type (file), ==, "image/jpeg");
  g_assert_cmpuint (sig.downloaded, ==, 1);
  g_assert_cmpfloat (sig.last_progress, ==, 1.0);
  g_assert_cmpfloat (capa_camera_get_download_progress (camera), ==, 1.0);

  files = capa_camera_list_files (camera, "/", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (file_listed (files, file));
  g_clear_pointer (&files, g_ptr_array_unref);

  g_assert_true (capa_camera_delete_file (camera, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sig.deleted, ==, 1);
  files = capa_camera_list_files (camera, "/", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (file_listed (files, file));

  /* Deleting it twice says so. */
  g_assert_false (capa_camera_delete_file (camera, file, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CAPA_CAMERA_ERROR);
  g_clear_error (&error);
  /* The camera is still fine. */
  g_assert_true (capa_camera_get_connected (camera));

  g_ptr_array_unref (sig.added);
  close_and_finalize (camera);
}

static void
test_camera_events (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CapaCameraFile) captured = NULL;
  CapaTestAsync events = { 0 };
  CapaTestAsync capture = { 0 };
  Signals sig = { 0 };
  CapaCamera *camera;
  CapaControl *opcode;
  gboolean got_file = FALSE;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  camera = capa_test_camera_find_and_open ();
  connect_signals (camera, &sig);
  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);

  /* Drain what the camera had queued. */
  g_assert_true (capa_camera_process_events (camera, 200, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (sig.added, 0);

  /* A shot "taken on the camera": vusb reports a new file 500 ms later. */
  opcode = capa_control_group_get_by_path (capa_camera_get_controls (camera),
                                           "/main/actions/opcode");
  g_assert_true (CAPA_IS_CONTROL_TEXT (opcode));
  capa_control_text_set_value (CAPA_CONTROL_TEXT (opcode), "0x9999,0x0,0x1f4");
  g_assert_true (capa_camera_save_controls (camera, NULL, &error));
  g_assert_no_error (error);

  /* Watch for 4 s; a capture asked for meanwhile goes first. */
  capa_camera_process_events_async (camera, 4000, NULL, capa_test_async_done_cb, &events);
  capa_camera_capture_image_async (camera, NULL, capa_test_async_done_cb, &capture);
  g_assert_true (capa_test_wait_for (&capture.done, 30000));
  g_assert_false (events.done);
  captured = capa_camera_capture_image_finish (camera, capture.result, &error);
  g_assert_no_error (error);
  capa_test_async_clear (&capture);

  while (!events.done && sig.added->len == 0)
    g_main_context_iteration (NULL, TRUE);
  got_file = sig.added->len > 0;
  g_assert_true (got_file);
  g_assert_true (capa_test_wait_for (&events.done, 30000));
  g_assert_true (capa_camera_process_events_finish (camera, events.result, &error));
  g_assert_no_error (error);
  capa_test_async_clear (&events);

  {
    CapaCameraFile *added = g_ptr_array_index (sig.added, 0);

    g_assert_true (capa_camera_download_file (camera, added, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (bytes_equal_to_a_source_jpeg (capa_camera_file_get_data (added)));
  }

  g_ptr_array_unref (sig.added);
  close_and_finalize (camera);
}

static void
test_camera_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };
  CapaCamera *camera;

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  camera = capa_test_camera_find_and_open ();

  /* Cancelled before it runs. */
  g_cancellable_cancel (cancellable);
  g_assert_null (capa_camera_capture_image (camera, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled while it runs. */
  g_cancellable_reset (cancellable);
  capa_camera_process_events_async (camera, 60000, cancellable, capa_test_async_done_cb, &wait);
  g_cancellable_cancel (cancellable);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  g_assert_false (capa_camera_process_events_finish (camera, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  capa_test_async_clear (&wait);

  /* The camera still works. */
  g_assert_true (capa_camera_process_events (camera, 10, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_get_connected (camera));

  close_and_finalize (camera);
}

typedef struct
{
  guint pending;
  guint failed;
} Counter;

static void
on_counted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (CAPA_IS_CAMERA_LIST (object))
    ok = capa_camera_list_refresh_finish (CAPA_CAMERA_LIST (object), result, &error);
  else if (g_task_get_source_tag (G_TASK (result)) == capa_camera_open_async)
    ok = capa_camera_open_finish (CAPA_CAMERA (object), result, &error);
  else
    ok = capa_camera_close_finish (CAPA_CAMERA (object), result, &error);

  if (!ok)
    {
      g_test_message ("%s", error->message);
      counter->failed++;
    }
  counter->pending--;
}

/* --- blocking twins called from another thread --- */

typedef struct
{
  CapaCamera *camera;
  GMainLoop  *loop;           /* quit by the thread when done; NULL: nobody iterates */
  GThread    *handler_thread; /* where every handler is expected */
  guint       connected_notified;
  guint       captured;
  guint       downloaded;
  guint       deleted;
  gboolean    wrong_thread;
  gboolean    context_not_owned;
  /* what the thread saw right after each call returned */
  gboolean    connected_after_open;
  gboolean    data_after_download;
  gboolean    disconnected_after_close;
  guint       captured_after_capture;
  guint       downloaded_after_download;
} ThreadCalls;

static void
thread_calls_check_handler (ThreadCalls *calls)
{
  /* Never fatal here: the handler may run on the calling thread. */
  if (g_thread_self () != calls->handler_thread)
    calls->wrong_thread = TRUE;
  if (!g_main_context_is_owner (g_main_context_default ()))
    calls->context_not_owned = TRUE;
}

static void
on_thread_calls_connected_cb (GObject     *object,
                              GParamSpec  *pspec,
                              ThreadCalls *calls)
{
  thread_calls_check_handler (calls);
  calls->connected_notified++;
}

static void
on_thread_calls_captured_cb (CapaCamera     *camera,
                             CapaCameraFile *file,
                             ThreadCalls    *calls)
{
  thread_calls_check_handler (calls);
  calls->captured++;
}

static void
on_thread_calls_downloaded_cb (CapaCamera     *camera,
                               CapaCameraFile *file,
                               ThreadCalls    *calls)
{
  thread_calls_check_handler (calls);
  calls->downloaded++;
}

static void
on_thread_calls_deleted_cb (CapaCamera     *camera,
                            CapaCameraFile *file,
                            ThreadCalls    *calls)
{
  thread_calls_check_handler (calls);
  calls->deleted++;
}

static gpointer
thread_calls_func (gpointer data)
{
  ThreadCalls *calls = data;
  g_autoptr(CapaCameraFile) file = NULL;
  g_autoptr(GError) error = NULL;

  /* Each blocking twin has run its handlers, and applied its state,
   * by the time it returns. */
  if (capa_camera_open (calls->camera, NULL, &error))
    calls->connected_after_open = capa_camera_get_connected (calls->camera);
  file = capa_camera_capture_image (calls->camera, NULL, error ? NULL : &error);
  calls->captured_after_capture = calls->captured;
  if (file != NULL && capa_camera_download_file (calls->camera, file, NULL, error ? NULL : &error))
    {
      GBytes *bytes = capa_camera_file_get_data (file);

      calls->data_after_download = bytes != NULL && bytes_equal_to_a_source_jpeg (bytes);
      calls->downloaded_after_download = calls->downloaded;
    }
  if (file != NULL)
    capa_camera_delete_file (calls->camera, file, NULL, error ? NULL : &error);
  if (capa_camera_close (calls->camera, NULL, error ? NULL : &error))
    calls->disconnected_after_close = !capa_camera_get_connected (calls->camera);

  if (calls->loop != NULL)
    g_main_loop_quit (calls->loop);

  return g_steal_pointer (&error);
}

static void
run_thread_calls (ThreadCalls *calls)
{
  g_autoptr(GError) error = NULL;
  GThread *thread;

  calls->camera = capa_camera_new ("Nikon DSC D750", "usb:001,001");
  g_signal_connect (calls->camera, "notify::connected",
                    G_CALLBACK (on_thread_calls_connected_cb), calls);
  g_signal_connect (calls->camera, "file-captured",
                    G_CALLBACK (on_thread_calls_captured_cb), calls);
  g_signal_connect (calls->camera, "file-downloaded",
                    G_CALLBACK (on_thread_calls_downloaded_cb), calls);
  g_signal_connect (calls->camera, "file-deleted", G_CALLBACK (on_thread_calls_deleted_cb), calls);

  thread = g_thread_new ("blocking-twins", thread_calls_func, calls);
  if (calls->loop != NULL)
    {
      calls->handler_thread = main_thread;
      g_main_loop_run (calls->loop);
    }
  else
    {
      /* Nobody iterates the main context while the thread runs: the
       * handlers run on the calling thread, as the context's owner. */
      calls->handler_thread = thread;
    }
  error = g_thread_join (thread);
  g_assert_no_error (error);

  g_assert_true (calls->connected_after_open);
  g_assert_cmpuint (calls->captured_after_capture, ==, 1);
  g_assert_true (calls->data_after_download);
  g_assert_cmpuint (calls->downloaded_after_download, ==, 1);
  g_assert_true (calls->disconnected_after_close);

  g_assert_cmpuint (calls->connected_notified, ==, 2);
  g_assert_cmpuint (calls->captured, ==, 1);
  g_assert_cmpuint (calls->downloaded, ==, 1);
  g_assert_cmpuint (calls->deleted, ==, 1);
  g_assert_false (calls->wrong_thread);
  g_assert_false (calls->context_not_owned);

  capa_test_assert_finalized (g_steal_pointer (&calls->camera));
}

static void
test_camera_blocking_thread (void)
{
  ThreadCalls calls = { 0 };

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  /* The main thread runs its main loop: every handler runs there. */
  calls.loop = g_main_loop_new (NULL, FALSE);
  run_thread_calls (&calls);
  g_main_loop_unref (calls.loop);
}

static void
test_camera_blocking_thread_no_loop (void)
{
  ThreadCalls calls = { 0 };

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  /* The main thread only waits for the other one: its blocking twins
   * still return, with their handlers run. */
  run_thread_calls (&calls);
}

static void
test_camera_list_refresh_while_opening (void)
{
  g_autoptr(CapaCameraList) list = NULL;
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  Counter counter = { 0, 0 };

  if (!have_vcamera && !capa_test_vcamera_available ())
    return;

  /* Rescans on worker threads while the camera opens and closes on its
   * own: both load libgphoto2's drivers, which must not race. */
  list = capa_camera_list_new ();
  capa_camera_list_set_monitoring (list, FALSE);
  camera = capa_camera_new ("Nikon DSC D750", "usb:001,001");
  for (guint i = 0; i < 6; i++)
    {
      capa_camera_list_refresh_async (list, NULL, on_counted_cb, &counter);
      capa_camera_open_async (camera, NULL, on_counted_cb, &counter);
      capa_camera_close_async (camera, NULL, on_counted_cb, &counter);
      counter.pending += 3;
    }
  while (counter.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (counter.failed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_false (capa_camera_get_connected (camera));

  capa_test_assert_finalized (g_steal_pointer (&camera));
  capa_test_assert_finalized (g_steal_pointer (&list));
}

int
main (int   argc,
      char *argv[])
{
  int result;

  capa_test_init (&argc, &argv);
  main_thread = g_thread_self ();

  jpeg_folder = capa_test_make_tmpdir ("camera-jpegs");
  capa_test_write_jpegs (jpeg_folder, N_JPEGS, 64, 48);
  have_vcamera = capa_test_use_vcamera (jpeg_folder);

  g_test_add_func ("/Capa/CameraList/detect", test_camera_list_detect);
  g_test_add_func ("/Capa/CameraList/network", test_camera_list_network);
  g_test_add_func ("/Capa/CameraList/refresh-while-opening",
                   test_camera_list_refresh_while_opening);
  g_test_add_func ("/Capa/Camera/open-close", test_camera_open_close);
  g_test_add_func ("/Capa/Camera/open-unknown", test_camera_open_unknown);
  g_test_add_func ("/Capa/Camera/summary", test_camera_summary);
  g_test_add_func ("/Capa/Camera/controls", test_camera_controls);
  g_test_add_func ("/Capa/Camera/capture", test_camera_capture);
  g_test_add_func ("/Capa/Camera/download-outlives-camera", test_camera_download_outlives_camera);
  g_test_add_func ("/Capa/Camera/events", test_camera_events);
  g_test_add_func ("/Capa/Camera/cancel", test_camera_cancel);
  g_test_add_func ("/Capa/Camera/blocking-thread", test_camera_blocking_thread);
  g_test_add_func ("/Capa/Camera/blocking-thread-no-loop", test_camera_blocking_thread_no_loop);

  result = g_test_run ();

  capa_test_rmtree (jpeg_folder);
  g_free (jpeg_folder);

  return result;
}
