/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Capa in French, against a camera that answers in French (issue 10):
 * libgphoto2 translates its drivers' choices and summaries through its
 * own gettext domain, and the test camera driver (tests/camlib) labels its
 * capture target, image quality, shutter speed and remote release choices
 * and its summary through that domain as ptp2 does.  French shares no
 * word with the English labels ("Carte mémoire", "Mémoire interne", "Pose
 * longue", "Brut et JPEG fin", "Appuyez complètement"): the capture target
 * is set, a RAW + JPEG shot waits for its JPEG, a Canon bulb exposure
 * opens the shutter, the maker and model are read from the summary, and
 * the window offers the bulb field.
 *
 * Needs the locale fr_FR.UTF-8 and libgphoto2's translations (Debian's
 * libgphoto2-l10n): build-aux/capa-dev installs both; without them the
 * tests are skipped, and fail under CI=true. */

#include "config.h"

#include <gtk/gtk.h>
#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "capa-gphoto2-private.h"
#include "capa-test-utils.h"

#define LOCALE      "fr_FR.UTF-8"
#define GP_DOMAIN   "libgphoto2-6"

#define IMAGE_QUALITY  "/main/imgsettings/imagequality"
#define CAPTURE_TARGET "/main/settings/capturetarget"
#define SHUTTER_SPEED  "/main/capturesettings/shutterspeed"

#define WAIT_MS 30000

static CapaApplication *app;
static gboolean have_camera;
static const char *french_unavailable;

/* libgphoto2's French for @msgid. */
#define gp_fr(msgid) dgettext (GP_DOMAIN, (msgid))

static gboolean
french_usable (void)
{
  if (french_unavailable == NULL)
    return TRUE;

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_test_fail_printf ("CI must run this test, but %s", french_unavailable);
  else
    g_test_skip_printf ("%s", french_unavailable);
  return FALSE;
}

typedef CapaTestTether Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!french_usable ())
    return;
  capa_test_tether_set_up (fixture, have_camera, data, "locale");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  capa_test_tether_tear_down (fixture);
}

#define SKIP_IF_NO_CAMERA(fixture) \
  G_STMT_START { if ((fixture)->camera == NULL) return; } G_STMT_END

static const char *
choice_value (CapaCamera *camera,
              const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (capa_camera_load_controls (camera, NULL, &error));
  g_assert_no_error (error);
  return capa_control_choice_get_value (CAPA_CONTROL_CHOICE (capa_test_camera_get_control (camera,
                                                                                         path)));
}

static void
set_choice (CapaCamera *camera,
            const char *path,
            const char *value)
{
  CapaControl *control = capa_test_camera_get_control (camera, path);

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), value);
  capa_test_camera_save_controls (camera);
}

/* Waits for the tether's capture target to be set (its error, if any, is
 * then in fixture->errors): a setting saved after it comes back after it. */
static void
wait_for_camera (Fixture *fixture)
{
  CapaControl *control = capa_test_camera_get_control (fixture->camera,
                                                       "/main/settings/ownername");

  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), "Capa");
  capa_test_camera_save_controls (fixture->camera);
  capa_test_spin (100);
}

/* ------------------------------------------------------------------ */

/* The helpers match libgphoto2's words in English and in French. */
static void
test_texts (void)
{
  g_autofree char *model = NULL;
  g_autofree char *english = NULL;

  if (!french_usable ())
    return;

  g_assert_cmpstr (gp_fr ("Memory card"), ==, "Carte mémoire");
  g_assert_true (_capa_gp_text_is ("Carte mémoire", "Memory card"));
  g_assert_true (_capa_gp_text_is ("CARTE MÉMOIRE", "Memory card"));
  g_assert_true (_capa_gp_text_is ("memory card", "Memory card"));
  g_assert_true (_capa_gp_text_is ("Mémoire interne", "Internal RAM"));
  g_assert_true (_capa_gp_text_is ("Pose longue", "Bulb"));
  g_assert_true (_capa_gp_text_is ("pose longue", "bulb"));
  g_assert_true (_capa_gp_text_is ("Bulb", "Bulb"));
  g_assert_false (_capa_gp_text_is ("Carte mémoire", "Internal RAM"));
  g_assert_false (_capa_gp_text_is ("1/125", "Bulb"));
  g_assert_false (_capa_gp_text_is (NULL, "Bulb"));
  /* Not UTF-8: compared as bytes, never matched by case. */
  g_assert_false (_capa_gp_text_is ("Pose \377longue", "Bulb"));

  /* ptp2's summary lines: "Modèle : …", with a no-break space. */
  model = _capa_gp_summary_dup_field ("Fabricant\u00a0: Canon Inc.\nModèle\u00a0: Canon EOS R5\n"
                                      "Version\u00a0: 1.0\n", "Model: %s\n");
  g_assert_cmpstr (model, ==, "Canon EOS R5");
  english = _capa_gp_summary_dup_field ("Manufacturer: Nikon\nModel: D750\n",
                                        "Manufacturer: %s\n");
  g_assert_cmpstr (english, ==, "Nikon");
  g_assert_null (_capa_gp_summary_dup_field ("Modèle\u00a0: \nModel:\n", "Model: %s\n"));
  g_assert_null (_capa_gp_summary_dup_field ("Version: 1.0\n", "Model: %s\n"));
  g_assert_null (_capa_gp_summary_dup_field (NULL, "Model: %s\n"));
}

/* The fixture: the test camera answers in French, as a body on ptp2. */
static void
test_driver_in_french (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const expected[] = { "Mémoire interne", "Carte mémoire", NULL };
  CapaControl *target;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpstr (choice_value (fixture->camera, CAPTURE_TARGET), ==, "Carte mémoire");
  target = capa_test_camera_get_control (fixture->camera, CAPTURE_TARGET);
  g_assert_cmpstrv (capa_control_choice_get_choices (CAPA_CONTROL_CHOICE (target)), expected);
  g_assert_cmpstr (choice_value (fixture->camera, SHUTTER_SPEED), ==, "1/125");
  set_choice (fixture->camera, SHUTTER_SPEED, "Pose longue");
  g_assert_cmpstr (choice_value (fixture->camera, SHUTTER_SPEED), ==, "Pose longue");
}

/* Keep on the card or not: the capture target is set by its French name. */
static void
test_capture_target (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  capa_tether_set_keep_on_card (fixture->tether, FALSE);
  wait_for_camera (fixture);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
  g_assert_cmpstr (choice_value (fixture->camera, CAPTURE_TARGET), ==, "Mémoire interne");

  capa_tether_set_keep_on_card (fixture->tether, TRUE);
  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
  g_assert_cmpstr (choice_value (fixture->camera, CAPTURE_TARGET), ==, "Carte mémoire");
  /* On the card, and listed there: not in the camera's RAM. */
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
}

/* A camera without a card: its RAM is found by name, so that shots work;
 * asked for a card, it says that there is none. */
static void
test_no_card (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  capa_tether_set_keep_on_card (fixture->tether, FALSE);
  image = capa_test_camera_capture (fixture->tether, NULL, 60000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  capa_tether_set_keep_on_card (fixture->tether, TRUE);
  wait_for_camera (fixture);
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  {
    GError *no_card = g_ptr_array_index (fixture->errors, 0);

    g_assert_error (no_card, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_FOUND);
  }
}

/* "Brut et JPEG fin" makes two files a shot though it has no '+': the
 * capture waits for the JPEG the camera announces a moment later. */
static void
test_raw_jpeg_late (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_cmpstr (gp_fr ("RAW + JPEG Fine"), ==, "Brut et JPEG fin");
  set_choice (fixture->camera, IMAGE_QUALITY, "Brut et JPEG fin");

  capa_tether_capture_all_async (fixture->tether, NULL, capa_test_async_done_cb, &wait);
  g_assert_true (capa_test_wait_for (&wait.done, 60000));
  images = capa_tether_capture_all_finish (fixture->tether, wait.result, &error);
  capa_test_async_clear (&wait);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_true (g_str_has_suffix (capa_image_get_filename (g_ptr_array_index (images, 0)),
                                   "DSC_0001.dng"));
  g_assert_true (g_str_has_suffix (capa_image_get_filename (g_ptr_array_index (images, 1)),
                                   "DSC_0001.jpg"));
}

/* Canon's eosremoterelease offers "Appuyez complètement": a bulb exposure
 * presses and releases it by that name. */
static void
test_bulb_remote_release (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  g_assert_true (capa_camera_load_controls (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_camera_get_has_bulb (fixture->camera));
  g_assert_cmpstr (gp_fr ("Press Full"), !=, "Press Full");
  set_choice (fixture->camera, SHUTTER_SPEED, gp_fr ("Bulb"));

  images = capa_tether_capture_bulb (fixture->tether, 0.5, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (images);
  g_assert_cmpuint (images->len, ==, 1);
  g_assert_cmpuint (fixture->errors->len, ==, 0);
}

/* The maker and the model, read from the summary's "Fabricant : Capa" and
 * "Modèle : Capa Test Camera": for libgphoto2's generic PTP/IP model the
 * model name gives neither; the camera button shows the real model. */
static void
test_summary (void)
{
  g_autoptr(CapaCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *button;
  GtkWidget *label;

  if (!french_usable () || !capa_test_camera_usable (have_camera))
    return;
  capa_test_camera_reset ();

  camera = capa_camera_new (CAPA_NETWORK_CAMERA_GENERIC_MODEL, "ptpip:127.0.0.1");
  capa_test_camera_open (camera);
  g_assert_true (capa_camera_load_summary (camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (capa_camera_get_summary (camera), "Fabricant\u00a0: Capa\n"));
  g_assert_cmpstr (capa_camera_get_manufacturer (camera), ==, "Capa");

  button = g_object_ref_sink (capa_camera_button_new ());
  capa_camera_button_set_camera (CAPA_CAMERA_BUTTON (button), camera);
  label = capa_test_find_in (button, "label");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, CAPA_TEST_CAMERA_MODEL);
  gtk_widget_destroy (button);
  capa_test_assert_finalized (button);

  capa_test_camera_close (camera);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

/* ------------------------------------------------------------------ */

static gboolean
has_tether (CapaWindow *window)
{
  return capa_window_get_tether (window) != NULL;
}

static gboolean
bulb_field_shown (CapaWindow *window)
{
  return gtk_widget_get_visible (capa_test_find_widget (GTK_WINDOW (window), "bulb_spin"));
}

/* The window knows "Pose longue" for Bulb: the field of seconds shows. */
static void
test_window_bulb (void)
{
  g_autoptr(CapaSession) session = NULL;
  g_autofree char *dir = NULL;
  CapaWindow *window;
  CapaCamera *camera;
  gint64 end;

  if (!french_usable () || !capa_test_camera_usable (have_camera))
    return;
  capa_test_camera_reset ();

  dir = capa_test_make_tmpdir ("locale-window");
  session = capa_session_new (dir);
  window = capa_window_new (app);
  capa_window_set_session (window, session);
  gtk_widget_show (GTK_WIDGET (window));

  g_assert_true (capa_test_wait_for_window (has_tether, window, WAIT_MS));
  camera = capa_tether_get_camera (capa_window_get_tether (window));
  g_assert_false (bulb_field_shown (window));
  set_choice (camera, SHUTTER_SPEED, "Pose longue");
  {
    g_autoptr(GError) error = NULL;

    /* Read again, as after a dial turned on the body: controls-changed. */
    g_assert_true (capa_camera_load_controls (camera, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (capa_test_wait_for_window (bulb_field_shown, window, WAIT_MS));

  /* The window closes its camera on the camera's thread: wait for it. */
  g_object_add_weak_pointer (G_OBJECT (camera), (gpointer *) &camera);
  gtk_widget_destroy (GTK_WIDGET (window));
  end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (camera != NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_null (camera);
  capa_test_rmtree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean french;
  int status;

  /* Before anything reads the locale; LC_ALL so that capa_test_init() and
   * gtk_init() pick it too. */
  french = setlocale (LC_ALL, LOCALE) != NULL;
  if (french)
    g_setenv ("LC_ALL", LOCALE, TRUE);
  capa_test_init (&argc, &argv);
  /* capa_test_init() sets LANGUAGE=C, which would keep every text in English. */
  g_unsetenv ("LANGUAGE");

  if (!french)
    french_unavailable = "the locale " LOCALE " is not available (localedef -i fr_FR -f UTF-8 "
                         LOCALE ")";
  else if (g_str_equal (gp_fr ("Memory card"), "Memory card"))
    french_unavailable = "libgphoto2's translations are not installed (Debian: libgphoto2-l10n)";

  have_camera = capa_test_use_test_camera (NULL);
  gtk_init (&argc, &argv);
  app = capa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/Capa/CameraLocale/texts", test_texts);
#define ADD(path, faults, func) \
  g_test_add ("/Capa/CameraLocale/" path, Fixture, faults, fixture_set_up, func, fixture_tear_down)
  ADD ("driver-in-french", NULL, test_driver_in_french);
  ADD ("capture-target", NULL, test_capture_target);
  ADD ("no-card", "no-card", test_no_card);
  ADD ("raw-jpeg-late", "late-companion=100", test_raw_jpeg_late);
  ADD ("bulb-remote-release", "remote-release", test_bulb_remote_release);
#undef ADD
  g_test_add_func ("/Capa/CameraLocale/summary", test_summary);
  g_test_add_func ("/Capa/CameraLocale/window-bulb", test_window_bulb);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
