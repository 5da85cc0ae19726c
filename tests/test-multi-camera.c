/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Several cameras at once (issue 10, item 5), against two test cameras
 * (tests/camlib, capa_test_use_test_cameras()): the camera tag and `%c`,
 * two tethers saving into one session at the same moment. */

#include "config.h"

#include <string.h>

#include "capa-test-utils.h"

#define IMAGE_QUALITY "/main/imgsettings/imagequality"
#define N_SHOTS       20

static gboolean have_cameras;

static const char * const ports[] = { "usb:001,001", "usb:001,002" };

typedef struct
{
  CapaCamera  *cameras[2];
  CapaTether  *tethers[2];
  CapaSession *session;
  char        *directory;
  GPtrArray   *errors;        /* GError, from the tethers' error signal */
  GPtrArray   *saved;         /* CapaImage, from image-saved */
} Fixture;

/* Empties the card of the camera on @port and restores its settings. */
static void
reset_camera (const char *port)
{
  g_autoptr(CapaCamera) camera = capa_camera_new (CAPA_TEST_CAMERA_MODEL, port);
  CapaControl *reset;

  capa_test_camera_open (camera);
  reset = capa_test_camera_get_control (camera, "/main/testing/reset");
  capa_control_button_press (CAPA_CONTROL_BUTTON (reset));
  capa_test_camera_save_controls (camera);
  capa_test_camera_close (camera);
  capa_test_assert_finalized (g_steal_pointer (&camera));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *faults = data;

  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  fixture->saved = g_ptr_array_new_with_free_func (g_object_unref);
  if (!capa_test_camera_usable (have_cameras))
    return;

  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  for (guint i = 0; i < 2; i++)
    reset_camera (ports[i]);
  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);

  fixture->directory = capa_test_make_tmpdir ("multi-camera");
  fixture->session = capa_session_new (fixture->directory);
  for (guint i = 0; i < 2; i++)
    {
      fixture->cameras[i] = capa_camera_new (CAPA_TEST_CAMERA_MODEL, ports[i]);
      capa_test_camera_open (fixture->cameras[i]);
      fixture->tethers[i] = capa_tether_new (fixture->cameras[i], fixture->session);
      capa_test_camera_collect_tether (fixture->tethers[i], fixture->saved, fixture->errors);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
  for (guint i = 0; i < 2; i++)
    {
      if (fixture->tethers[i] != NULL)
        capa_test_assert_finalized (g_steal_pointer (&fixture->tethers[i]));
      if (fixture->cameras[i] != NULL && capa_camera_get_connected (fixture->cameras[i]))
        capa_test_camera_close (fixture->cameras[i]);
      if (fixture->cameras[i] != NULL)
        capa_test_assert_finalized (g_steal_pointer (&fixture->cameras[i]));
    }
  if (fixture->session != NULL)
    capa_test_assert_finalized (g_steal_pointer (&fixture->session));
  if (fixture->directory != NULL)
    capa_test_rmtree (fixture->directory);
  g_clear_pointer (&fixture->directory, g_free);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
  g_clear_pointer (&fixture->saved, g_ptr_array_unref);
}

#define SKIP_IF_NO_CAMERA(fixture) \
  G_STMT_START { if ((fixture)->session == NULL) return; } G_STMT_END

static void
set_raw_jpeg (CapaCamera *camera)
{
  CapaControl *control = capa_test_camera_get_control (camera, IMAGE_QUALITY);

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), "RAW + JPEG Fine");
  capa_test_camera_save_controls (camera);
}

/* The names in @directory. */
static GHashTable *
list_folder (const char *directory)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_hash_table_add (names, g_strdup (name));
  return names;
}

static char *
stem_of (CapaImage *image)
{
  g_autofree char *base = g_path_get_basename (capa_image_get_filename (image));
  const char *dot = strrchr (base, '.');

  return g_strndup (base, dot - base);
}

typedef struct
{
  guint      pending;
  gboolean   done;
  GPtrArray *shots[2];      /* per camera: GPtrArray of CapaImage, one per shot */
  GPtrArray *errors;
} Concurrent;

typedef struct
{
  Concurrent *run;
  guint       camera;
} ShotData;

static void
on_capture_all_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ShotData *shot = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *images = capa_tether_capture_all_finish (CAPA_TETHER (object), result, &error);

  if (images != NULL)
    g_ptr_array_add (shot->run->shots[shot->camera], images);
  else
    g_ptr_array_add (shot->run->errors, g_steal_pointer (&error));
  shot->run->done = --shot->run->pending == 0;
  g_free (shot);
}

/* Queues N_SHOTS captures on both tethers at once, waits for all of them,
 * and checks that every file has a name of its own and that the files of
 * each shot share one base name. */
static void
shoot_concurrently (Fixture  *fixture,
                    guint     files_first,
                    guint     files_second,
                    gboolean  tag_in_names)
{
  const guint files_per_shot[2] = { files_first, files_second };
  Concurrent run = { 0 };
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) stems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  run.errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  for (guint c = 0; c < 2; c++)
    run.shots[c] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < N_SHOTS; i++)
    for (guint c = 0; c < 2; c++)
      {
        ShotData *shot = g_new0 (ShotData, 1);

        shot->run = &run;
        shot->camera = c;
        run.pending++;
        capa_tether_capture_all_async (fixture->tethers[c], NULL, on_capture_all_cb, shot);
      }

  /* A guard against a hang only. */
  g_assert_true (capa_test_wait_for (&run.done, 240000));

  for (guint i = 0; i < run.errors->len; i++)
    g_test_message ("capture failed: %s", ((GError *) g_ptr_array_index (run.errors, i))->message);
  g_assert_cmpuint (run.errors->len, ==, 0);
  g_assert_cmpuint (fixture->errors->len, ==, 0);

  for (guint c = 0; c < 2; c++)
    {
      const char *tag = capa_tether_get_camera_tag (fixture->tethers[c]);

      g_assert_cmpuint (run.shots[c]->len, ==, N_SHOTS);
      for (guint i = 0; i < run.shots[c]->len; i++)
        {
          GPtrArray *images = g_ptr_array_index (run.shots[c], i);
          g_autofree char *stem = NULL;

          /* The files of a shot: one base name, that no other shot has. */
          g_assert_cmpuint (images->len, ==, files_per_shot[c]);
          stem = stem_of (g_ptr_array_index (images, 0));
          for (guint k = 1; k < images->len; k++)
            {
              g_autofree char *other = stem_of (g_ptr_array_index (images, k));

              g_assert_cmpstr (other, ==, stem);
            }
          if (tag_in_names)
            g_assert_true (g_str_has_prefix (stem, tag));
          g_assert_false (g_hash_table_contains (stems, stem));
          g_hash_table_add (stems, g_steal_pointer (&stem));
        }
    }

  /* Every file is in the folder, under a name of its own. */
  names = list_folder (fixture->directory);
  g_assert_cmpuint (g_hash_table_size (names), ==, N_SHOTS * (files_first + files_second));
  g_assert_cmpuint (g_hash_table_size (stems), ==, 2 * N_SHOTS);

  for (guint c = 0; c < 2; c++)
    g_ptr_array_unref (run.shots[c]);
  g_ptr_array_unref (run.errors);
}

/* ------------------------------------------------------------------ */

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* CapaTether:camera-tag: made of the model by default, always safe. */
static void
test_camera_tag (void)
{
  g_autofree char *dir = capa_test_make_tmpdir ("camera-tag");
  g_autoptr(CapaSession) session = capa_session_new (dir);
  g_autoptr(CapaCamera) camera = capa_camera_new ("Nikon DSC D750", "usb:001,001");
  g_autoptr(CapaCamera) hostile = capa_camera_new ("../../x\n\033[31m/ D5", "usb:001,002");
  g_autoptr(CapaTether) tether = capa_tether_new (camera, session);
  g_autoptr(CapaTether) other = capa_tether_new (hostile, session);
  g_autofree char *got = NULL;
  guint notified = 0;

  g_assert_cmpstr (capa_tether_get_camera_tag (tether), ==, "Nikon-DSC-D750");
  g_assert_cmpstr (capa_tether_get_camera_tag (other), ==, "x-31m-D5");

  g_signal_connect (tether, "notify::camera-tag", G_CALLBACK (on_notify_cb), &notified);
  capa_tether_set_camera_tag (tether, "Left body");
  g_assert_cmpstr (capa_tether_get_camera_tag (tether), ==, "Left-body");
  g_assert_cmpuint (notified, ==, 1);
  capa_tether_set_camera_tag (tether, "Left-body");
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (tether, "camera-tag", "a/../b", NULL);
  g_object_get (tether, "camera-tag", &got, NULL);
  g_assert_cmpstr (got, ==, "a-b");
  g_assert_cmpuint (notified, ==, 2);

  /* Nothing usable, or NULL: the model's again. */
  capa_tether_set_camera_tag (tether, "///");
  g_assert_cmpstr (capa_tether_get_camera_tag (tether), ==, "Nikon-DSC-D750");
  g_assert_cmpuint (notified, ==, 3);
  capa_tether_set_camera_tag (tether, "Camera");
  g_assert_cmpstr (capa_tether_get_camera_tag (tether), ==, "Camera");
  capa_tether_set_camera_tag (tether, NULL);
  g_assert_cmpstr (capa_tether_get_camera_tag (tether), ==, "Nikon-DSC-D750");
  g_assert_cmpuint (notified, ==, 5);

  capa_test_rmtree (dir);
}

/* The default pattern (no %c): 40 shots of two cameras at once, 40 names. */
static void
test_concurrent_default_pattern (Fixture       *fixture,
                                 gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  shoot_concurrently (fixture, 1, 1, FALSE);
}

/* %c-%n, RAW + JPEG: each camera's pairs keep one base name, its tag. */
static void
test_concurrent_tagged_pairs (Fixture       *fixture,
                              gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  capa_session_set_filename_pattern (fixture->session, "%c-%n");
  capa_tether_set_camera_tag (fixture->tethers[0], "left");
  capa_tether_set_camera_tag (fixture->tethers[1], "right");
  for (guint c = 0; c < 2; c++)
    set_raw_jpeg (fixture->cameras[c]);
  shoot_concurrently (fixture, 2, 2, TRUE);
}

/* A pattern with neither %n nor %c: every shot of both cameras makes the
 * same names.  The first camera shoots JPEG, the second RAW + JPEG: a DNG
 * named "studio.dng" while the other camera's "studio.jpg" is saved must
 * not leave its JPEG to "studio-1.jpg": each pair keeps one base name. */
static void
test_concurrent_same_names (Fixture       *fixture,
                            gconstpointer  data)
{
  SKIP_IF_NO_CAMERA (fixture);

  capa_session_set_filename_pattern (fixture->session, "studio");
  set_raw_jpeg (fixture->cameras[1]);
  shoot_concurrently (fixture, 1, 2, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  have_cameras = capa_test_use_test_cameras (NULL, 2);

#define ADD(path, faults, func) \
  g_test_add ("/Capa/MultiCamera/" path, Fixture, faults, fixture_set_up, func, \
              fixture_tear_down)

  g_test_add_func ("/Capa/MultiCamera/camera-tag", test_camera_tag);
  ADD ("concurrent/default-pattern", NULL, test_concurrent_default_pattern);
  ADD ("concurrent/tagged-pairs", NULL, test_concurrent_tagged_pairs);
  ADD ("concurrent/same-names", NULL, test_concurrent_same_names);

#undef ADD

  return g_test_run ();
}
