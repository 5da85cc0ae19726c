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

/* --- CapaTetherGroup --- */

static GPtrArray *
group_capture (CapaTetherGroup *group,
               GCancellable    *cancellable,
               GError         **error)
{
  CapaTestAsync wait = { 0 };
  GPtrArray *shots;

  capa_tether_group_capture_async (group, cancellable, capa_test_async_done_cb, &wait);
  /* A guard against a hang only. */
  g_assert_true (capa_test_wait_for (&wait.done, 120000));
  shots = capa_tether_group_capture_finish (group, wait.result, error);
  capa_test_async_clear (&wait);
  return shots;
}

static CapaTetherGroup *
make_group (Fixture *fixture)
{
  CapaTetherGroup *group = capa_tether_group_new ();

  for (guint c = 0; c < 2; c++)
    capa_tether_group_add (group, fixture->tethers[c]);
  /* Once only. */
  capa_tether_group_add (group, fixture->tethers[0]);
  g_assert_cmpuint (g_list_model_get_n_items (capa_tether_group_get_tethers (group)), ==, 2);
  return group;
}

/* Both cameras fire: one shot each, in the group's order, saved in the
 * session under names of their own; the spread is reported. */
static void
test_group_capture (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CapaTetherGroup) group = NULL;
  g_autoptr(GPtrArray) shots = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first = G_MAXINT64, last = 0;

  SKIP_IF_NO_CAMERA (fixture);

  capa_session_set_filename_pattern (fixture->session, "%c-%n");
  capa_tether_set_camera_tag (fixture->tethers[1], "second");
  set_raw_jpeg (fixture->cameras[1]);
  group = make_group (fixture);
  g_assert_cmpint (capa_tether_group_get_last_spread (group), ==, -1);

  for (guint round = 0; round < 3; round++)
    {
      g_clear_pointer (&shots, g_ptr_array_unref);
      shots = group_capture (group, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (shots->len, ==, 2);
      first = G_MAXINT64;
      last = 0;
      for (guint c = 0; c < 2; c++)
        {
          CapaTetherGroupShot *shot = g_ptr_array_index (shots, c);
          GPtrArray *images = capa_tether_group_shot_get_images (shot);
          gint64 trigger = capa_tether_group_shot_get_trigger_time (shot);

          g_assert_true (capa_tether_group_shot_get_tether (shot) == fixture->tethers[c]);
          g_assert_null (capa_tether_group_shot_get_error (shot));
          /* The second camera shoots RAW + JPEG: both files. */
          g_assert_cmpuint (images->len, ==, c == 0 ? 1 : 2);
          for (guint k = 0; k < images->len; k++)
            {
              g_autofree char *stem = stem_of (g_ptr_array_index (images, k));

              g_assert_true (g_str_has_prefix (stem, c == 0 ? "Capa-Test-Camera-" : "second-"));
              g_assert_true (g_file_test (capa_image_get_filename (g_ptr_array_index (images, k)),
                                          G_FILE_TEST_IS_REGULAR));
            }
          g_assert_cmpint (trigger, >, 0);
          first = MIN (first, trigger);
          last = MAX (last, trigger);
        }
      g_test_message ("round %u: the two cameras fired %" G_GINT64_FORMAT " µs apart",
                      round, capa_tether_group_get_last_spread (group));
      g_assert_cmpint (capa_tether_group_get_last_spread (group), >=, 0);
      g_assert_cmpint (capa_tether_group_get_last_spread (group), ==, last - first);
    }

  names = list_folder (fixture->directory);
  g_assert_cmpuint (g_hash_table_size (names), ==, 3 * (1 + 2));
  g_assert_cmpuint (fixture->errors->len, ==, 0);
  /* Nothing left on the cards. */
  for (guint c = 0; c < 2; c++)
    {
      g_autoptr(GPtrArray) files = capa_test_camera_list_files (fixture->cameras[c]);

      g_assert_cmpuint (files->len, ==, 0);
    }
}

/* The second camera's card is full: its error is reported, the first
 * camera's shot is saved all the same. */
static void
test_group_one_fails (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CapaTetherGroup) group = NULL;
  g_autoptr(GPtrArray) shots = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GError) error = NULL;
  CapaTetherGroupShot *good, *bad;

  SKIP_IF_NO_CAMERA (fixture);

  capa_test_camera_set_faults (fixture->cameras[1], "card-full");
  group = make_group (fixture);
  shots = group_capture (group, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shots->len, ==, 2);

  good = g_ptr_array_index (shots, 0);
  bad = g_ptr_array_index (shots, 1);
  g_assert_null (capa_tether_group_shot_get_error (good));
  g_assert_cmpuint (capa_tether_group_shot_get_images (good)->len, ==, 1);
  g_assert_error (capa_tether_group_shot_get_error (bad), CAPA_CAMERA_ERROR,
                  CAPA_CAMERA_ERROR_NO_SPACE);
  g_assert_cmpuint (capa_tether_group_shot_get_images (bad)->len, ==, 0);
  /* Its capture call did begin: the spread counts it. */
  g_assert_cmpint (capa_tether_group_shot_get_trigger_time (bad), >, 0);
  g_assert_cmpint (capa_tether_group_get_last_spread (group), >=, 0);

  names = list_folder (fixture->directory);
  g_assert_cmpuint (g_hash_table_size (names), ==, 1);

  /* A camera closed before: the other still fires, not held at the gate. */
  capa_test_camera_close (fixture->cameras[1]);
  g_clear_pointer (&shots, g_ptr_array_unref);
  shots = group_capture (group, NULL, &error);
  g_assert_no_error (error);
  good = g_ptr_array_index (shots, 0);
  bad = g_ptr_array_index (shots, 1);
  g_assert_null (capa_tether_group_shot_get_error (good));
  g_assert_cmpuint (capa_tether_group_shot_get_images (good)->len, ==, 1);
  g_assert_error (capa_tether_group_shot_get_error (bad), CAPA_CAMERA_ERROR,
                  CAPA_CAMERA_ERROR_NOT_CONNECTED);
  g_assert_cmpint (capa_tether_group_shot_get_trigger_time (bad), ==, -1);
  g_assert_cmpint (capa_tether_group_get_last_spread (group), ==, 0);
}

/* Cancelled before: nothing starts.  Cancelled while the cameras are slow
 * to answer: every shot says so, and the group does not hang. */
static void
test_group_cancel (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CapaTetherGroup) group = NULL;
  g_autoptr(CapaTetherGroup) empty = capa_tether_group_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) shots = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  /* An empty group starts nothing. */
  shots = group_capture (empty, NULL, &error);
  g_assert_null (shots);
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  group = make_group (fixture);
  g_cancellable_cancel (cancellable);
  shots = group_capture (group, cancellable, &error);
  g_assert_null (shots);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (capa_tether_group_get_last_spread (group), ==, -1);

  /* Both cameras take a minute to shoot: cancelled after they fired. */
  for (guint c = 0; c < 2; c++)
    capa_test_camera_set_faults (fixture->cameras[c], "slow=60000");
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  capa_tether_group_capture_async (group, cancellable, capa_test_async_done_cb, &wait);
  capa_test_spin (300);
  g_cancellable_cancel (cancellable);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  shots = capa_tether_group_capture_finish (group, wait.result, &error);
  capa_test_async_clear (&wait);
  g_assert_no_error (error);
  g_assert_cmpuint (shots->len, ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      CapaTetherGroupShot *shot = g_ptr_array_index (shots, c);

      g_assert_error (capa_tether_group_shot_get_error (shot), G_IO_ERROR,
                      G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (capa_tether_group_shot_get_images (shot)->len, ==, 0);
    }
  for (guint c = 0; c < 2; c++)
    capa_test_camera_set_faults (fixture->cameras[c], "");
  {
    g_autoptr(GHashTable) names = list_folder (fixture->directory);

    g_assert_cmpuint (g_hash_table_size (names), ==, 0);
  }

  /* Removing a tether: the group fires the other alone. */
  capa_tether_group_remove (group, fixture->tethers[0]);
  g_assert_cmpuint (g_list_model_get_n_items (capa_tether_group_get_tethers (group)), ==, 1);
  g_clear_pointer (&shots, g_ptr_array_unref);
  shots = group_capture (group, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shots->len, ==, 1);
  g_assert_true (capa_tether_group_shot_get_tether (g_ptr_array_index (shots, 0)) ==
                 fixture->tethers[1]);
  g_assert_cmpint (capa_tether_group_get_last_spread (group), ==, 0);
}

/* The second camera is busy with a long job: the first waits for it at
 * the start gate, and cancelling then fires neither. */
static void
test_group_cancel_at_gate (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CapaTetherGroup) group = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) preview_cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) shots = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };
  CapaTestAsync preview = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  /* A live-view frame that takes a minute holds the second camera. */
  capa_test_camera_set_faults (fixture->cameras[1], "slow=60000");
  capa_camera_preview_image_async (fixture->cameras[1], preview_cancellable,
                                   capa_test_async_done_cb, &preview);
  capa_test_spin (100);

  group = make_group (fixture);
  capa_tether_group_capture_async (group, cancellable, capa_test_async_done_cb, &wait);
  capa_test_spin (300);
  g_assert_false (wait.done);
  g_cancellable_cancel (cancellable);
  g_assert_true (capa_test_wait_for (&wait.done, 30000));
  shots = capa_tether_group_capture_finish (group, wait.result, &error);
  capa_test_async_clear (&wait);
  g_assert_no_error (error);
  g_assert_cmpuint (shots->len, ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      CapaTetherGroupShot *shot = g_ptr_array_index (shots, c);

      g_assert_error (capa_tether_group_shot_get_error (shot), G_IO_ERROR,
                      G_IO_ERROR_CANCELLED);
      /* Neither fired: the first was still at the gate. */
      g_assert_cmpint (capa_tether_group_shot_get_trigger_time (shot), ==, -1);
    }
  g_assert_cmpint (capa_tether_group_get_last_spread (group), ==, -1);

  g_cancellable_cancel (preview_cancellable);
  g_assert_true (capa_test_wait_for (&preview.done, 30000));
  capa_test_async_clear (&preview);
  capa_test_camera_set_faults (fixture->cameras[1], "");

  names = list_folder (fixture->directory);
  g_assert_cmpuint (g_hash_table_size (names), ==, 0);
  for (guint c = 0; c < 2; c++)
    {
      g_autoptr(GPtrArray) files = capa_test_camera_list_files (fixture->cameras[c]);

      g_assert_cmpuint (files->len, ==, 0);
    }
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
  ADD ("group/capture", NULL, test_group_capture);
  ADD ("group/one-fails", NULL, test_group_one_fails);
  ADD ("group/cancel", NULL, test_group_cancel);
  ADD ("group/cancel-at-gate", NULL, test_group_cancel_at_gate);

#undef ADD

  return g_test_run ();
}
