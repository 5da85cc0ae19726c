/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Shots as real cameras make them (issue 10), against the test camera
 * driver (tests/camlib): RAW + JPEG pairs captured from Capa and from the
 * camera's button, a pair not wholly downloaded, a camera busy after each
 * shot, the capture target, bulb exposures. */

#include "config.h"

#include <string.h>

#include "capa-test-utils.h"


#define IMAGE_QUALITY  "/main/imgsettings/imagequality"
#define CAPTURE_TARGET "/main/settings/capturetarget"
#define SHUTTER_SPEED  "/main/capturesettings/shutterspeed"
#define SIMULATE       "/main/actions/simulate"

static gboolean have_camera;

typedef CapaTestTether Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  capa_test_tether_set_up (fixture, have_camera, data, "shots");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  capa_test_tether_tear_down (fixture);
}

#define SKIP_IF_NO_CAMERA(fixture) \
  G_STMT_START { if ((fixture)->camera == NULL) return; } G_STMT_END

static void
set_choice (Fixture    *fixture,
            const char *path,
            const char *value)
{
  CapaControl *control = capa_test_camera_get_control (fixture->camera, path);

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), value);
  capa_test_camera_save_controls (fixture->camera);
}

static void
set_text (Fixture    *fixture,
          const char *path,
          const char *value)
{
  CapaControl *control = capa_test_camera_get_control (fixture->camera, path);

  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), value);
  capa_test_camera_save_controls (fixture->camera);
}

/* The test camera's faults still armed, read from the camera. */
static const char *
armed_faults (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CapaControl *control;

  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  control = capa_test_camera_get_control (fixture->camera, "/main/testing/faults");
  return capa_control_text_get_value (CAPA_CONTROL_TEXT (control));
}

/* How long the test camera's last bulb exposure lasted, as it timed it. */
static guint
last_bulb_ms (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CapaControl *control;

  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  control = capa_test_camera_get_control (fixture->camera, "/main/testing/lastbulb");
  return (guint) g_ascii_strtoull (capa_control_text_get_value (CAPA_CONTROL_TEXT (control)),
                                   NULL, 10);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in the session folder, sorted. */
static GPtrArray *
session_names (Fixture *fixture)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->directory, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static char *
basename_of (CapaImage *image)
{
  return g_path_get_basename (capa_image_get_filename (image));
}

static GPtrArray *
capture_all (Fixture  *fixture,
             GError  **error)
{
  CapaTestAsync wait = { 0 };
  GPtrArray *images;

  capa_tether_capture_all_async (fixture->tether, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 60000));
  images = capa_tether_capture_all_finish (fixture->tether, wait.result, error);
  capa_test_async_clear (&wait);
  return images;
}

static guint
card_count (Fixture *fixture)
{
  g_autoptr(GPtrArray) files = capa_test_camera_list_files (fixture->camera);

  return files->len;
}

/* ------------------------------------------------------------------ */

static void
test_raw_jpeg_capture (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) companions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");

  /* The compatible call: the first file's image, both saved. */
  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);
  name = basename_of (image);
  g_assert_cmpstr (name, ==, "DSC_0001.dng");

  names = session_names (fixture);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "DSC_0001.dng");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "DSC_0001.jpg");
  g_assert_cmpuint (fixture->saved->len, ==, 2);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  /* Nothing left behind on the card. */
  g_assert_cmpuint (card_count (fixture), ==, 0);

  /* The session knows the pair. */
  capa_test_spin (50);
  companions = capa_session_get_companions (fixture->session, image);
  g_assert_cmpuint (companions->len, ==, 1);
  {
    g_autofree char *other = basename_of (g_ptr_array_index (companions, 0));

    g_assert_cmpstr (other, ==, "DSC_0001.jpg");
  }

  /* The next shot takes the next number, once for both files. */
  {
    g_autoptr(GPtrArray) images = capture_all (fixture, &error);
    g_autoptr(GPtrArray) after = NULL;
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (images->len, ==, 2);
    first = basename_of (g_ptr_array_index (images, 0));
    second = basename_of (g_ptr_array_index (images, 1));
    g_assert_cmpstr (first, ==, "DSC_0002.dng");
    g_assert_cmpstr (second, ==, "DSC_0002.jpg");
    after = session_names (fixture);
    g_assert_cmpuint (after->len, ==, 4);
    g_assert_cmpuint (card_count (fixture), ==, 0);
  }
}

static void
test_jpeg_alone (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) companions = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  images = capture_all (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 1);
  capa_test_spin (50);
  companions = capa_session_get_companions (fixture->session, g_ptr_array_index (images, 0));
  g_assert_cmpuint (companions->len, ==, 0);
  g_assert_cmpuint (card_count (fixture), ==, 0);
}

static void
test_raw_jpeg_monitoring (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) names = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");
  capa_tether_start_monitoring (fixture->tether);

  /* Two shots with the camera's own button. */
  set_text (fixture, SIMULATE, "shot,delay=300,shot");
  for (guint i = 0; i < 600 && fixture->saved->len < 4; i++)
    capa_test_spin (50);
  capa_test_spin (200);

  g_assert_cmpuint (fixture->saved->len, ==, 4);
  names = session_names (fixture);
  for (guint i = 0; i < names->len; i++)
    g_test_message ("saved: %s", (const char *) g_ptr_array_index (names, i));
  g_assert_cmpuint (names->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "DSC_0001.dng");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "DSC_0001.jpg");
  g_assert_cmpstr (g_ptr_array_index (names, 2), ==, "DSC_0002.dng");
  g_assert_cmpstr (g_ptr_array_index (names, 3), ==, "DSC_0002.jpg");
  /* Each shot is deleted once both of its files are saved. */
  for (guint i = 0; i < 200 && card_count (fixture) > 0; i++)
    capa_test_spin (50);
  g_assert_cmpuint (card_count (fixture), ==, 0);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

/* The names of a session's files, checked against @expected. */
static void
assert_session_names (Fixture           *fixture,
                      const char * const *expected)
{
  g_autoptr(GPtrArray) names = session_names (fixture);

  for (guint i = 0; i < names->len; i++)
    g_test_message ("saved: %s", (const char *) g_ptr_array_index (names, i));
  g_assert_cmpuint (names->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < names->len; i++)
    g_assert_cmpstr (g_ptr_array_index (names, i), ==, expected[i]);
}

/* Captured to the camera's RAM, a pair comes as libgphoto2 names it on
 * Nikon, Canon EOS and Sony bodies: capt0000.dng, capt0001.jpg (a number
 * a file). Both are one shot, under one name. */
static void
test_raw_jpeg_ram_names (Fixture       *fixture,
                         gconstpointer  data)
{
  const char * const expected[] = {
    "DSC_0001.dng", "DSC_0001.jpg", "DSC_0002.dng", "DSC_0002.jpg", NULL
  };
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");
  set_choice (fixture, CAPTURE_TARGET, "Internal RAM");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GPtrArray) images = capture_all (fixture, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (images->len, ==, 2);
    }

  assert_session_names (fixture, expected);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

/* A camera slow to announce the JPEG of a RAW + JPEG shot (writing the
 * RAW to its card first): the capture waits for it. */
static void
test_raw_jpeg_late_companion (Fixture       *fixture,
                              gconstpointer  data)
{
  const char * const expected[] = { "DSC_0001.dng", "DSC_0001.jpg", NULL };
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");
  images = capture_all (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 2);
  assert_session_names (fixture, expected);
  g_assert_cmpuint (card_count (fixture), ==, 0);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

/* The same, shot with the camera's button while Capa watches. */
static void
test_raw_jpeg_ram_names_monitoring (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char * const expected[] = {
    "DSC_0001.dng", "DSC_0001.jpg", "DSC_0002.dng", "DSC_0002.jpg", NULL
  };

  SKIP_IF_NO_CAMERA (fixture);

  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");
  set_choice (fixture, CAPTURE_TARGET, "Internal RAM");
  capa_tether_start_monitoring (fixture->tether);

  set_text (fixture, SIMULATE, "shot,delay=300,shot");
  for (guint i = 0; i < 600 && fixture->saved->len < 4; i++)
    capa_test_spin (50);
  capa_test_spin (200);

  g_assert_cmpuint (fixture->saved->len, ==, 4);
  assert_session_names (fixture, expected);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

/* A pair taken with the camera's button whose JPEG fails to download:
 * the RAW, saved, stays on the camera with it until the JPEG is saved
 * too (monitoring tries it again), and the error says so. */
static void
test_raw_jpeg_monitoring_second_fails (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GPtrArray) names = NULL;
  const GError *error;

  SKIP_IF_NO_CAMERA (fixture);

  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");
  capa_test_camera_set_faults (fixture->camera, "download-fails=2");
  capa_tether_start_monitoring (fixture->tether);
  set_text (fixture, SIMULATE, "shot");

  for (guint i = 0; i < 600 && fixture->errors->len == 0; i++)
    capa_test_spin (50);
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  error = g_ptr_array_index (fixture->errors, 0);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "CAPA0001.JPG"));
  g_assert_nonnull (strstr (error->message, "CAPA0001.DNG"));
  g_assert_nonnull (strstr (error->message, "stays on the camera"));
  g_assert_cmpuint (fixture->saved->len, ==, 1);

  /* Longer than the shot takes to settle: the saved RAW is not deleted
   * while its JPEG is still to fetch. */
  capa_test_spin (700);
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.DNG"));
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));

  /* Tried again: both saved under one name, then both deleted. */
  for (guint i = 0; i < 600 && fixture->saved->len < 2; i++)
    capa_test_spin (50);
  g_assert_cmpuint (fixture->saved->len, ==, 2);
  for (guint i = 0; i < 200 && card_count (fixture) > 0; i++)
    capa_test_spin (50);
  g_assert_cmpuint (card_count (fixture), ==, 0);
  names = session_names (fixture);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "DSC_0001.dng");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "DSC_0001.jpg");
}

/* A RAW + JPEG shot captured while monitoring reads the camera's events:
 * the JPEG announced after the capture returns is the shot's, whichever
 * job reads its event, and is saved and deleted with the shot once. */
static void
test_raw_jpeg_capture_monitoring (Fixture       *fixture,
                                  gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");
  capa_tether_start_monitoring (fixture->tether);
  capa_test_spin (100);

  for (guint shot = 1; shot <= 3; shot++)
    {
      g_autoptr(GPtrArray) images = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      g_autofree char *stem = g_strdup_printf ("DSC_%04u", shot);

      images = capture_all (fixture, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (images->len, ==, 2);
      first = basename_of (g_ptr_array_index (images, 0));
      second = basename_of (g_ptr_array_index (images, 1));
      g_assert_true (g_str_has_prefix (first, stem));
      g_assert_true (g_str_has_suffix (first, ".dng"));
      g_assert_true (g_str_has_prefix (second, stem));
      g_assert_true (g_str_has_suffix (second, ".jpg"));
      g_assert_cmpuint (card_count (fixture), ==, 0);
    }

  /* Monitoring fetched nothing twice. */
  capa_test_spin (600);
  {
    g_autoptr(GPtrArray) names = session_names (fixture);

    g_assert_cmpuint (names->len, ==, 6);
  }
  g_assert_cmpuint (fixture->saved->len, ==, 6);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

typedef struct
{
  Fixture *fixture;
  guint    n_saved;
  gboolean on_card_when_saved;
} SavedProbe;

static void
on_probe_image_saved_cb (CapaTether *tether,
                         CapaImage  *image,
                         gpointer    user_data)
{
  SavedProbe *probe = user_data;

  if (probe->n_saved++ == 0)
    probe->on_card_when_saved = capa_test_camera_card_has (probe->fixture->camera,
                                                           "CAPA0001.JPG");
}

/* A shot is announced (and so shown) as soon as it is durably saved: its
 * deletion from the card does not hold it back, and still follows. */
static void
test_saved_before_deleted (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  SavedProbe probe = { fixture, 0, FALSE };
  gulong id;

  SKIP_IF_NO_CAMERA (fixture);

  id = g_signal_connect (fixture->tether, "image-saved", G_CALLBACK (on_probe_image_saved_cb),
                         &probe);
  images = capture_all (fixture, &error);
  g_signal_handler_disconnect (fixture->tether, id);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 1);
  g_assert_cmpuint (probe.n_saved, ==, 1);
  g_assert_true (probe.on_card_when_saved);
  g_assert_true (g_file_test (capa_image_get_filename (g_ptr_array_index (images, 0)),
                              G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (card_count (fixture), ==, 0);
}

static void
test_second_download_fails (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");
  /* The first download (the DNG) works, the second (the JPEG) fails. */
  capa_test_camera_set_faults (fixture->camera, "download-fails=2");

  images = capture_all (fixture, &error);
  g_assert_null (images);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  /* The error names both files, on the camera. */
  g_assert_nonnull (strstr (error->message, "CAPA0001.JPG"));
  g_assert_nonnull (strstr (error->message, "CAPA0001.DNG"));
  g_assert_nonnull (strstr (error->message, "stays on the camera"));

  /* Both stay on the card; the copy of the DNG the message speaks of is
   * in the session. */
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.DNG"));
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  {
    const char * const expected[] = { "DSC_0001.dng", NULL };

    assert_session_names (fixture, expected);
  }
}

static void
test_busy_after_shot (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpuint (capa_camera_get_busy_timeout (fixture->camera), ==, 10);
  /* After each shot the camera refuses the next 3 calls as busy. */
  capa_test_camera_set_faults (fixture->camera, "busy-after-shot=3");

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CapaImage) image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);

      g_assert_no_error (error);
      g_assert_nonnull (image);
    }
  g_assert_cmpuint (card_count (fixture), ==, 0);
  g_assert_cmpuint (fixture->saved->len, ==, 3);

  /* A setting asked for while busy waits its turn as well. */
  {
    g_autoptr(CapaImage) image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
    CapaControl *iso;

    g_assert_no_error (error);
    iso = capa_test_camera_get_control (fixture->camera, "/main/imgsettings/iso");
    capa_control_choice_set_value (CAPA_CONTROL_CHOICE (iso), "800");
    capa_test_camera_save_controls (fixture->camera);
  }
}

static void
test_busy_n (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* The fixture's fault busy=3: the first three capture calls answer
   * busy; the capture is asked again and succeeds. */
  g_assert_cmpstr (armed_faults (fixture), ==, "busy=3");
  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_cmpuint (fixture->saved->len, ==, 1);
  g_assert_cmpuint (card_count (fixture), ==, 0);
  /* The camera did answer busy three times. */
  g_assert_cmpstr (armed_faults (fixture), ==, "");
}

static void
test_busy_too_long (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CapaImage) first = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  capa_camera_set_busy_timeout (fixture->camera, 1);
  /* Busy for a minute after each shot: longer than the camera is waited for. */
  capa_test_camera_set_faults (fixture->camera, "busy-for=60000");

  first = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);

  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_null (image);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BUSY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "busy"));
  g_assert_true (capa_camera_get_connected (fixture->camera));
  capa_test_camera_set_faults (fixture->camera, "");
}

static void
test_capture_target (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  CapaControl *target;

  SKIP_IF_NO_CAMERA (fixture);

  /* Keep a copy on the card: the target is the card, nothing is deleted. */
  capa_tether_set_keep_on_card (fixture->tether, TRUE);
  g_assert_false (capa_tether_get_delete_from_camera (fixture->tether));
  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (card_count (fixture), ==, 1);
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  g_clear_object (&image);
  target = capa_test_camera_get_control (fixture->camera, CAPTURE_TARGET);
  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (target)), ==,
                   "Memory card");

  /* Without it: the camera's RAM, deleted once saved. */
  capa_tether_set_keep_on_card (fixture->tether, FALSE);
  g_assert_true (capa_tether_get_delete_from_camera (fixture->tether));
  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (card_count (fixture), ==, 1);
  g_assert_false (capa_test_camera_card_has (fixture->camera, "CAPA0002.JPG"));
  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, &error));
  target = capa_test_camera_get_control (fixture->camera, CAPTURE_TARGET);
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (target)), ==,
                   "Internal RAM");
  g_assert_cmpuint (fixture->saved->len, ==, 2);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

static void
test_no_card (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  /* A camera without a card, shooting to its RAM, works. */
  capa_tether_set_keep_on_card (fixture->tether, FALSE);
  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_clear_object (&image);

  /* Asked to keep pictures on a card it does not have: it says so, and
   * shoots to its RAM all the same. */
  capa_tether_set_keep_on_card (fixture->tether, TRUE);
  for (guint i = 0; i < 200 && fixture->errors->len == 0; i++)
    capa_test_spin (20);
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  {
    GError *no_card = g_ptr_array_index (fixture->errors, 0);

    g_assert_error (no_card, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
  }
  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
}

static void
on_bulb_remaining_cb (CapaCamera *camera,
                      GParamSpec *pspec,
                      guint      *n_notified)
{
  (*n_notified)++;
}

static void
test_bulb (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  guint n_notified = 0;
  guint exposure_ms;
  gint64 start;
  double elapsed;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, &error));
  g_assert_true (capa_camera_get_has_bulb (fixture->camera));

  /* Not in bulb mode: the camera refuses. */
  images = capa_tether_capture_bulb (fixture->tether, 0.1, NULL, &error);
  g_assert_null (images);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
  g_clear_error (&error);

  set_choice (fixture, SHUTTER_SPEED, "Bulb");
  set_choice (fixture, IMAGE_QUALITY, "RAW + JPEG Fine");
  g_signal_connect (fixture->camera, "notify::bulb-remaining",
                    G_CALLBACK (on_bulb_remaining_cb), &n_notified);

  start = g_get_monotonic_time ();
  {
    CapaTestAsync wait = { 0 };

    capa_tether_capture_bulb_async (fixture->tether, 2.0, NULL, capa_test_async_done_cb, &wait);
    g_assert_true (capa_test_wait_for (&wait.done, 60000));
    elapsed = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
    images = capa_tether_capture_bulb_finish (fixture->tether, wait.result, &error);
    capa_test_async_clear (&wait);
  }
  g_assert_no_error (error);
  g_test_message ("bulb of 2 s took %.3f s (with the download and save of the pair)", elapsed);
  /* The issue asks for 2 s ± 0.3 s. The exposure may not be shorter: the
   * lower bound is strict. The upper bound includes downloading and saving
   * the pair on a loaded machine, so it is only a generous guard. */
  g_assert_cmpfloat (elapsed, >=, 1.7);
  g_assert_cmpfloat (elapsed, <, 2.3 + 10.0);
  /* The exposure itself, timed by the camera from opening the shutter to
   * closing it. */
  exposure_ms = last_bulb_ms (fixture);
  g_test_message ("the camera exposed for %u ms", exposure_ms);
  g_assert_cmpuint (exposure_ms, >=, 1700);
  g_assert_cmpuint (exposure_ms, <=, 2300);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_cmpuint (n_notified, >=, 2);
  g_assert_cmpfloat (capa_camera_get_bulb_remaining (fixture->camera), ==, 0.0);
  g_assert_cmpuint (card_count (fixture), ==, 0);
  g_clear_pointer (&images, g_ptr_array_unref);

  /* Cancelling ends a long exposure early; the picture is saved. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    CapaTestAsync wait = { 0 };

    start = g_get_monotonic_time ();
    capa_tether_capture_bulb_async (fixture->tether, 60.0, cancellable,
                                    capa_test_async_done_cb, &wait);
    capa_test_spin (500);
    g_cancellable_cancel (cancellable);
    g_assert_true (capa_test_wait_for (&wait.done, 60000));
    elapsed = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
    images = capa_tether_capture_bulb_finish (fixture->tether, wait.result, &error);
    capa_test_async_clear (&wait);
  }
  g_assert_no_error (error);
  g_test_message ("bulb of 60 s cancelled after 0.5 s ended after %.3f s", elapsed);
  g_assert_cmpfloat (elapsed, <, 30.0);
  exposure_ms = last_bulb_ms (fixture);
  g_test_message ("the camera exposed for %u ms", exposure_ms);
  g_assert_cmpuint (exposure_ms, >=, 400);
  g_assert_cmpuint (exposure_ms, <=, 1500);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_cmpuint (card_count (fixture), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  have_camera = capa_test_use_test_camera (NULL);

#define ADD(path, faults, func) \
  g_test_add ("/Capa/Shots/" path, Fixture, faults, fixture_set_up, func, fixture_tear_down)

  ADD ("raw-jpeg-capture", NULL, test_raw_jpeg_capture);
  ADD ("jpeg-alone", NULL, test_jpeg_alone);
  ADD ("raw-jpeg-monitoring", NULL, test_raw_jpeg_monitoring);
  ADD ("raw-jpeg-monitoring-second-fails", NULL, test_raw_jpeg_monitoring_second_fails);
  ADD ("raw-jpeg-capture-monitoring", NULL, test_raw_jpeg_capture_monitoring);
  ADD ("raw-jpeg-ram-names", "ram-names", test_raw_jpeg_ram_names);
  ADD ("raw-jpeg-late-companion", "late-companion=800", test_raw_jpeg_late_companion);
  ADD ("raw-jpeg-ram-names-monitoring", "ram-names", test_raw_jpeg_ram_names_monitoring);
  ADD ("saved-before-deleted", NULL, test_saved_before_deleted);
  ADD ("second-download-fails", NULL, test_second_download_fails);
  ADD ("busy-after-shot", NULL, test_busy_after_shot);
  ADD ("busy-n", "busy=3", test_busy_n);
  ADD ("busy-too-long", NULL, test_busy_too_long);
  ADD ("capture-target", NULL, test_capture_target);
  ADD ("no-card", "no-card", test_no_card);
  ADD ("bulb", NULL, test_bulb);

#undef ADD

  return g_test_run ();
}
