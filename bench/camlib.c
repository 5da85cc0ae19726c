/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Live view and capture through the test camera driver (tests/camlib):
 * how long one frame and one shot take in libgphoto2 itself, through
 * CapaCamera's worker thread, and through CapaTether's whole
 * capture → download → durable save → delete; then two test cameras
 * fired together by CapaTetherGroup: the time of a shot on both and how
 * far apart their capture calls began.
 *
 * Usage: bench-camlib [FRAMES [SHOTS]]
 * Needs CAPA_TEST_VUSB_DIR and CAPA_TEST_CAMLIB_DIR (set by
 * `meson test -C build --benchmark camlib`). */

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include <gphoto2/gphoto2.h>
#include <capa.h>

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_row (const char *what,
           GArray     *ms)
{
  double total = 0;

  g_array_sort (ms, compare_doubles);
  for (guint i = 0; i < ms->len; i++)
    total += g_array_index (ms, double, i);

  g_print ("| %-44s | %5u | %8.2f | %8.2f | %8.2f |\n", what, ms->len,
           g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, MIN (ms->len - 1, (ms->len * 95) / 100)),
           total / ms->len);
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The several-port driver is there: two cameras. */
static gboolean have_two;

static gboolean
setup_environment (void)
{
  const char *vusb = g_getenv ("CAPA_TEST_VUSB_DIR");
  const char *camlibs = g_getenv ("CAPA_TEST_CAMLIB_DIR");
  g_autofree char *status_file = NULL;
  g_autofree char *status = NULL;
  g_autofree char *iolibs = NULL;
  g_autofree char *vcamera = NULL;

  if (vusb == NULL || camlibs == NULL)
    {
      g_print ("CAPA_TEST_VUSB_DIR and CAPA_TEST_CAMLIB_DIR are not set: "
               "run with meson test --benchmark camlib\n");
      return FALSE;
    }
  status_file = g_build_filename (vusb, "status", NULL);
  if (!g_file_get_contents (status_file, &status, NULL, NULL)
      || !g_str_equal (g_strstrip (status), "ok"))
    {
      g_print ("the virtual camera fixture is not available on this machine\n");
      return FALSE;
    }

  /* Two test cameras when the fixture built their port driver: the
   * one-camera rows use the first (the driver never does port I/O, so the
   * port driver changes nothing for them). */
  g_free (status_file);
  g_clear_pointer (&status, g_free);
  status_file = g_build_filename (vusb, "multi-status", NULL);
  have_two = g_file_get_contents (status_file, &status, NULL, NULL)
             && g_str_equal (g_strstrip (status), "ok");
  iolibs = g_build_filename (vusb, have_two ? "multi-iolibs" : "iolibs", NULL);
  if (have_two)
    g_setenv ("CAPA_TEST_CAMERA_COUNT", "2", TRUE);
  vcamera = g_dir_make_tmp ("capa-bench-vcamera-XXXXXX", NULL);
  g_setenv ("IOLIBS", iolibs, TRUE);
  g_setenv ("VCAMERADIR", vcamera, TRUE);
  g_setenv ("CAMLIBS", camlibs, TRUE);
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  g_unsetenv ("CAPA_TEST_CAMERA_DIR");
  return TRUE;
}

static void
bench_libgphoto2 (guint frames,
                  guint shots)
{
  g_autoptr(GArray) preview = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) capture = g_array_new (FALSE, FALSE, sizeof (double));
  GPContext *context = gp_context_new ();
  Camera *camera = NULL;

  gp_camera_new (&camera);
  if (gp_camera_init (camera, context) < GP_OK)
    g_error ("cannot open the test camera");

  for (guint i = 0; i < frames; i++)
    {
      CameraFile *file = NULL;
      gint64 start = g_get_monotonic_time ();

      gp_file_new (&file);
      if (gp_camera_capture_preview (camera, file, context) < GP_OK)
        g_error ("capture_preview failed");
      g_array_append_val (preview, (double) { elapsed_ms (start) });
      gp_file_unref (file);
    }

  for (guint i = 0; i < shots; i++)
    {
      CameraFilePath path;
      CameraFile *file = NULL;
      gint64 start = g_get_monotonic_time ();

      gp_file_new (&file);
      if (gp_camera_capture (camera, GP_CAPTURE_IMAGE, &path, context) < GP_OK
          || gp_camera_file_get (camera, path.folder, path.name, GP_FILE_TYPE_NORMAL,
                                 file, context) < GP_OK
          || gp_camera_file_delete (camera, path.folder, path.name, context) < GP_OK)
        g_error ("capture, download or delete failed");
      g_array_append_val (capture, (double) { elapsed_ms (start) });
      gp_file_unref (file);
    }

  print_row ("libgphoto2: one live-view frame (640x426)", preview);
  print_row ("libgphoto2: capture, download, delete", capture);

  gp_camera_exit (camera, context);
  gp_camera_unref (camera);
  gp_context_unref (context);
}

typedef struct
{
  CapaCamera *camera;
  GArray     *ms;
  guint       left;
  gint64      start;
  gboolean    done;
} AsyncFrames;

static void
on_frame_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncFrames *frames = user_data;
  g_autoptr(CapaCameraFile) frame = NULL;
  g_autoptr(GError) error = NULL;

  frame = capa_camera_preview_image_finish (CAPA_CAMERA (object), result, &error);
  if (frame == NULL)
    g_error ("preview: %s", error->message);
  g_array_append_val (frames->ms, (double) { elapsed_ms (frames->start) });

  if (--frames->left == 0)
    {
      frames->done = TRUE;
      return;
    }
  frames->start = g_get_monotonic_time ();
  capa_camera_preview_image_async (frames->camera, NULL, on_frame_cb, frames);
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static void
bench_capa (guint frames,
            guint shots)
{
  g_autoptr(GArray) blocking = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) async = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) tether_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(CapaCamera) camera = capa_camera_new ("Capa Test Camera", "usb:001,001");
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("capa-bench-session-XXXXXX", NULL);
  g_autoptr(CapaSession) session = NULL;
  g_autoptr(CapaTether) tether = NULL;
  AsyncFrames state = { 0 };
  gint64 loop_start;

  if (!capa_camera_open (camera, NULL, &error))
    g_error ("cannot open the test camera: %s", error->message);

  for (guint i = 0; i < frames; i++)
    {
      g_autoptr(CapaCameraFile) frame = NULL;
      gint64 start = g_get_monotonic_time ();

      frame = capa_camera_preview_image (camera, NULL, &error);
      if (frame == NULL)
        g_error ("preview: %s", error->message);
      g_array_append_val (blocking, (double) { elapsed_ms (start) });
    }

  state.camera = camera;
  state.ms = async;
  state.left = frames;
  state.start = loop_start = g_get_monotonic_time ();
  capa_camera_preview_image_async (camera, NULL, on_frame_cb, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);

  print_row ("CapaCamera: preview_image (blocking twin)", blocking);
  print_row ("CapaCamera: preview_image_async, chained", async);
  g_print ("| %-44s | %5u | %8s | %8s | %8.1f |\n", "  ... frames per second, chained",
           frames, "", "", frames * 1000.0 / elapsed_ms (loop_start));

  session = capa_session_new (folder);
  tether = capa_tether_new (camera, session);
  for (guint i = 0; i < shots; i++)
    {
      g_autoptr(CapaImage) image = NULL;
      Wait wait = { 0 };
      gint64 start = g_get_monotonic_time ();

      capa_tether_capture_async (tether, NULL, on_done_cb, &wait);
      while (wait.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      image = capa_tether_capture_finish (tether, wait.result, &error);
      g_clear_object (&wait.result);
      if (image == NULL)
        g_error ("tether capture: %s", error->message);
      g_array_append_val (tether_ms, (double) { elapsed_ms (start) });
    }
  print_row ("CapaTether: capture, download, save, delete", tether_ms);

  g_clear_object (&tether);
  capa_camera_close (camera, NULL, NULL);

  /* Remove the session folder and what was saved in it. */
  {
    g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);

        g_remove (path);
      }
    g_rmdir (folder);
  }
}

typedef struct
{
  GAsyncResult *result;
} GroupWait;

static void
on_group_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ((GroupWait *) user_data)->result = g_object_ref (result);
}

/* Two test cameras, one tether each on one session, fired together. */
static void
bench_group (guint shots)
{
  g_autofree char *folder = g_dir_make_tmp ("capa-bench-group-XXXXXX", NULL);
  g_autoptr(CapaSession) session = capa_session_new (folder);
  g_autoptr(CapaTetherGroup) group = capa_tether_group_new ();
  g_autoptr(GArray) shot_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) spread_ms = g_array_new (FALSE, FALSE, sizeof (double));
  CapaCamera *cameras[2];
  CapaTether *tethers[2];

  for (guint c = 0; c < 2; c++)
    {
      g_autoptr(GError) error = NULL;

      cameras[c] = capa_camera_new ("Capa Test Camera", c == 0 ? "usb:001,001" : "usb:001,002");
      if (!capa_camera_open (cameras[c], NULL, &error))
        g_error ("cannot open test camera %u: %s", c + 1, error->message);
      tethers[c] = capa_tether_new (cameras[c], session);
      capa_tether_group_add (group, tethers[c]);
    }

  for (guint i = 0; i < shots; i++)
    {
      g_autoptr(GPtrArray) result = NULL;
      g_autoptr(GError) error = NULL;
      GroupWait wait = { 0 };
      gint64 start = g_get_monotonic_time ();

      capa_tether_group_capture_async (group, NULL, on_group_done_cb, &wait);
      while (wait.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      result = capa_tether_group_capture_finish (group, wait.result, &error);
      g_clear_object (&wait.result);
      if (result == NULL)
        g_error ("group capture: %s", error->message);
      for (guint c = 0; c < result->len; c++)
        {
          const GError *failed = capa_tether_group_shot_get_error (g_ptr_array_index (result, c));

          if (failed != NULL)
            g_error ("group capture, camera %u: %s", c + 1, failed->message);
        }
      g_array_append_val (shot_ms, (double) { elapsed_ms (start) });
      g_array_append_val (spread_ms,
                          (double) { capa_tether_group_get_last_spread (group) / 1000.0 });
    }
  print_row ("CapaTetherGroup: shot on 2 cameras, saved", shot_ms);
  print_row ("  ... spread of the 2 capture calls", spread_ms);

  for (guint c = 0; c < 2; c++)
    {
      g_object_unref (tethers[c]);
      capa_camera_close (cameras[c], NULL, NULL);
      g_object_unref (cameras[c]);
    }

  {
    g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);

        g_remove (path);
      }
    g_rmdir (folder);
  }
}

int
main (int   argc,
      char *argv[])
{
  guint frames = argc > 1 ? (guint) atoi (argv[1]) : 200;
  guint shots = argc > 2 ? (guint) atoi (argv[2]) : 30;

  if (frames == 0 || shots == 0)
    {
      g_printerr ("usage: %s [FRAMES [SHOTS]]\n", argv[0]);
      return 2;
    }
  if (!setup_environment ())
    return 0;

  g_print ("Test camera: %u live-view frames, %u shots (times in ms)\n\n", frames, shots);
  g_print ("| %-44s | %5s | %8s | %8s | %8s |\n", "what", "n", "median", "p95", "mean");
  g_print ("|%s|%s|%s|%s|%s|\n", "----------------------------------------------",
           "-------", "----------", "----------", "----------");
  bench_libgphoto2 (frames, shots);
  bench_capa (frames, shots);
  if (have_two)
    bench_group (shots);
  else
    g_print ("\n(the two-camera port driver is not built: no CapaTetherGroup rows)\n");

  return 0;
}
