/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The disk side of the fault matrix: CapaTether with the test camera
 * driver (tests/camlib) saving into a session folder whose file system
 * calls fail, through the fault shim (tests/faults) linked into this
 * program.  For each fault: the capture fails with the error the user
 * reads, the picture is still on the camera's card, nothing is left
 * behind in the folder, and once the fault is gone the next capture is
 * saved.  Also: a process killed between the save and the card delete
 * (the shot is on disk once, the card copy recognised and deleted), an
 * unplug during the delete, and a save held on a slow disk while the main
 * context keeps running. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "capa-test-utils.h"
#include "faults/capa-fault-shim.h"

#define TC_MODEL  CAPA_TEST_CAMERA_MODEL
#define TC_PORT   CAPA_TEST_CAMERA_PORT
#define TC_FOLDER "/store_00010001/DCIM/100CAPA"

static gboolean have_camera;

typedef struct
{
  CapaCamera  *camera;
  CapaSession *session;
  CapaTether  *tether;
  char        *top;           /* the temporary folder */
  char        *directory;     /* the session folder, top/session */
  GPtrArray   *saved;         /* CapaImage */
  GPtrArray   *errors;        /* GError */
} Fixture;

/* A camera (opened with CAPA_TEST_CAMERA_FAULTS=@faults), a session on
 * @directory and a tether between them. */
static void
fixture_open (Fixture    *fixture,
              const char *faults)
{
  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);
  fixture->camera = capa_camera_new (TC_MODEL, TC_PORT);
  capa_test_camera_open (fixture->camera);
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");

  fixture->session = capa_session_new (fixture->directory);
  fixture->tether = capa_tether_new (fixture->camera, fixture->session);
  capa_test_camera_collect_tether (fixture->tether, fixture->saved, fixture->errors);
}

static void
fixture_close (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  if (fixture->tether == NULL)
    return;
  capa_tether_stop_monitoring (fixture->tether);
  capa_test_assert_finalized (g_steal_pointer (&fixture->tether));
  if (capa_camera_get_connected (fixture->camera))
    capa_camera_close (fixture->camera, NULL, &error);
  capa_test_assert_finalized (g_steal_pointer (&fixture->camera));
  capa_test_assert_finalized (g_steal_pointer (&fixture->session));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->saved = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  capa_fault_shim_set (NULL);
  if (!capa_test_camera_usable (have_camera))
    return;

  capa_test_camera_reset ();
  {
    g_autofree char *top = capa_test_make_tmpdir ("save-faults");

    /* As the shim sees it, through /proc/self/fd. */
    fixture->top = realpath (top, NULL);
    g_assert_nonnull (fixture->top);
  }
  fixture->directory = g_build_filename (fixture->top, "session", NULL);
  g_assert_no_errno (g_mkdir (fixture->directory, 0755));
  fixture_open (fixture, data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  capa_fault_shim_set (NULL);
  fixture_close (fixture);
  g_clear_pointer (&fixture->saved, g_ptr_array_unref);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
  if (fixture->top != NULL)
    capa_test_rmtree (fixture->top);
  g_clear_pointer (&fixture->top, g_free);
  g_clear_pointer (&fixture->directory, g_free);
}

#define SKIP_IF_NO_CAMERA(fixture) \
  G_STMT_START { if ((fixture)->camera == NULL) return; } G_STMT_END

/* The names in the session folder, hidden ones (temporary files)
 * included when @hidden; sorted. */
static GPtrArray *
folder_names (const char *directory,
              gboolean    hidden)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (hidden || name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

/* Nothing in the folder: no image, no temporary file. */
static void
assert_folder_empty (const char *directory)
{
  g_autoptr(GPtrArray) names = folder_names (directory, TRUE);

  for (guint i = 0; i < names->len; i++)
    g_test_message ("left in the folder: %s", (char *) g_ptr_array_index (names, i));
  g_assert_cmpuint (names->len, ==, 0);
}

static CapaImage *
tether_capture (Fixture  *fixture,
                GError  **error)
{
  return capa_test_camera_capture (fixture->tether, NULL, 60000, error);
}

/* ------------------------------------------------------------------ */
/* One fault at one stage of the save                                   */
/* ------------------------------------------------------------------ */

typedef struct
{
  const char *path;           /* of the test */
  const char *rules;          /* for the shim; "DIR" is the session folder */
  const char *call;           /* the shim call that must have fired */
  int         code;           /* the G_IO_ERROR code */
  const char *says;           /* a part of the message */
  gboolean    no_folder;      /* the session folder does not exist yet */
} SaveFault;

static const SaveFault save_faults[] = {
  /* Defect 1: the folder's sync fails once the file has its name. */
  { "fsync-dir-eio", "fsync-dir=EIO:path=DIR", "fsync-dir",
    G_IO_ERROR_FAILED, "failed to store the image safely", FALSE },
  { "fsync-dir-einval", "fsync-dir=EINVAL:path=DIR", "fsync-dir",
    G_IO_ERROR_NOT_SUPPORTED, "cannot make sure that the image is stored safely", FALSE },
  { "fsync-file-eio", "fsync-file=EIO:path=DIR", "fsync-file",
    G_IO_ERROR_FAILED, "failed to store the image safely", FALSE },
  /* A file system that cannot sync a file is no place for a shot. */
  { "fsync-file-einval", "fsync-file=EINVAL:path=DIR", "fsync-file",
    G_IO_ERROR_NOT_SUPPORTED, "cannot make sure that the image is stored safely", FALSE },
  /* The parent's sync when the session folder is made. */
  { "fsync-parent-eio", "fsync-dir=EIO:path=DIR", "fsync-dir",
    G_IO_ERROR_FAILED, "failed to store the image safely", TRUE },
  { "rename-eio", "rename=EIO:path=DIR", "rename",
    G_IO_ERROR_FAILED, "input/output error", FALSE },
  /* Without RENAME_NOREPLACE, the hard link fails. */
  { "link-eio", "rename=EINVAL:path=DIR;link=EIO:path=DIR", "link",
    G_IO_ERROR_FAILED, "input/output error", FALSE },
  /* Disk full: before the data (the file cannot be made), during it, after
   * it (the syncs). */
  { "full-before", "open=ENOSPC:path=DIR/.capa-", "open",
    G_IO_ERROR_NO_SPACE, "no space left", FALSE },
  { "full-during", "write=ENOSPC:after=4096:path=DIR", "write",
    G_IO_ERROR_NO_SPACE, "no space left", FALSE },
  { "full-after-data", "fsync-file=ENOSPC:path=DIR", "fsync-file",
    G_IO_ERROR_NO_SPACE, "no space left", FALSE },
  { "full-after-name", "fsync-dir=EDQUOT:path=DIR", "fsync-dir",
    G_IO_ERROR_NO_SPACE, "no space left", FALSE },
  { "full-no-folder", "mkdir=ENOSPC:path=DIR", "mkdir",
    G_IO_ERROR_NO_SPACE, "no space left", TRUE },
  /* A read-only session folder, or one the user may not write to. */
  { "read-only", "open=EROFS:path=DIR", "open",
    G_IO_ERROR_READ_ONLY, "read-only disk", FALSE },
  { "not-allowed", "open=EACCES:path=DIR", "open",
    G_IO_ERROR_PERMISSION_DENIED, "not allowed to write", FALSE },
  /* The session folder's disk unmounted mid-session: a network or FUSE
   * disk disconnected (before the file is made, or while it is written),
   * a USB disk pulled out, a network file handle gone stale. */
  { "unmounted-before", "open=ENOTCONN:path=DIR", "open",
    G_IO_ERROR_NOT_MOUNTED, "is no longer there", FALSE },
  { "unmounted-during", "write=ENODEV:after=4096:path=DIR", "write",
    G_IO_ERROR_NOT_MOUNTED, "is no longer there", FALSE },
  { "unmounted-at-sync", "fsync-file=ENXIO:path=DIR", "fsync-file",
    G_IO_ERROR_NOT_MOUNTED, "is no longer there", FALSE },
  { "unmounted-stale", "rename=ESTALE:path=DIR", "rename",
    G_IO_ERROR_NOT_MOUNTED, "is no longer there", FALSE },
};

static void
test_save_fault (Fixture       *fixture,
                 gconstpointer  data)
{
  const SaveFault *fault = NULL;
  g_autofree char *rules = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (save_faults); i++)
    if (g_str_has_suffix (g_test_get_path (), save_faults[i].path))
      fault = &save_faults[i];
  g_assert_nonnull (fault);

  if (fault->no_folder)
    g_assert_no_errno (g_rmdir (fixture->directory));
  /* The rules name the folder (or for a missing one its parent, which
   * holds nothing else). */
  {
    GString *text = g_string_new (fault->rules);

    g_string_replace (text, "DIR", fault->no_folder ? fixture->top : fixture->directory, 0);
    rules = g_string_free (text, FALSE);
  }
  g_assert_true (capa_fault_shim_set (rules));

  image = tether_capture (fixture, &error);
  g_assert_null (image);
  g_assert_nonnull (error);
  g_test_message ("the user reads: %s", error->message);
  g_assert_error (error, G_IO_ERROR, fault->code);
  g_assert_nonnull (strstr (error->message, fault->says));
  g_assert_nonnull (strstr (error->message, "session"));
  /* It says the picture is safe on the camera, and where. */
  g_assert_nonnull (strstr (error->message, "The picture stays on the camera as “CAPA0001.JPG”"));
  g_assert_cmpuint (capa_fault_shim_fired (fault->call), >=, 1);
  g_clear_error (&error);

  /* The card copy is kept; nothing is saved, nothing is left behind. */
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  g_assert_cmpuint (fixture->saved->len, ==, 0);
  if (fault->no_folder)
    g_assert_false (g_file_test (fixture->directory, G_FILE_TEST_EXISTS));
  else
    assert_folder_empty (fixture->directory);

  /* The fault gone, the next shot is saved (and the folder made, or made
   * again, durably). */
  capa_fault_shim_set (NULL);
  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  names = folder_names (fixture->directory, FALSE);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_false (capa_test_camera_card_has (fixture->camera, "CAPA0002.JPG"));
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
}

/* ------------------------------------------------------------------ */
/* The session folder removed mid-session                               */
/* ------------------------------------------------------------------ */

static void
test_folder_removed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CapaImage) first = NULL;
  g_autoptr(CapaImage) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *rules = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  first = tether_capture (fixture, &error);
  g_assert_no_error (error);

  /* Removed behind Capa's back (and its disk still there): the next shot
   * makes it again rather than be lost. */
  capa_test_rmtree (fixture->directory);
  second = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (capa_image_get_filename (second), G_FILE_TEST_IS_REGULAR));
  names = folder_names (fixture->directory, FALSE);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_false (capa_test_camera_card_has (fixture->camera, "CAPA0002.JPG"));

  /* Removed with its disk gone (the folder cannot be made again): the
   * error says so and the picture stays on the card. */
  capa_test_rmtree (fixture->directory);
  rules = g_strdup_printf ("mkdir=ENOENT:path=%s", fixture->top);
  g_assert_true (capa_fault_shim_set (rules));
  g_clear_object (&second);
  second = tether_capture (fixture, &error);
  g_assert_null (second);
  g_test_message ("the user reads: %s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "does not exist any more"));
  g_assert_nonnull (strstr (error->message, "The picture stays on the camera as “CAPA0003.JPG”"));
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0003.JPG"));
}

/* ------------------------------------------------------------------ */
/* Killed between the save and the card delete                          */
/* ------------------------------------------------------------------ */

/* In a child: the shot is saved, its record written, and the process is
 * killed at once, before the camera's copy could be deleted. */
static void
test_killed_before_delete (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *saved = NULL;
  const char *child_dir;

  SKIP_IF_NO_CAMERA (fixture);

  if (g_test_subprocess ())
    {
      /* The parent's folder, not the fixture's own. */
      child_dir = g_getenv ("CAPA_TEST_SAVE_DIR");
      g_assert_nonnull (child_dir);
      fixture_close (fixture);
      capa_test_rmtree (fixture->top);
      g_free (fixture->directory);
      fixture->directory = g_strdup (child_dir);
      fixture_open (fixture, NULL);
      g_assert_true (capa_fault_shim_set ("write=kill:path=/capa/saved-from-camera"));
      image = tether_capture (fixture, &error);
      /* Not reached. */
      g_assert_not_reached ();
      return;
    }

  /* The child has its own test camera (its state belongs to the process):
   * it takes CAPA0001.JPG, saves it, and dies before deleting it. */
  fixture_close (fixture);
  g_setenv ("CAPA_TEST_SAVE_DIR", fixture->directory, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("CAPA_TEST_SAVE_DIR");
  g_test_trap_assert_failed ();
  names = folder_names (fixture->directory, FALSE);
  g_assert_cmpuint (names->len, ==, 1);
  saved = g_build_filename (fixture->directory, g_ptr_array_index (names, 0), NULL);
  g_clear_pointer (&names, g_ptr_array_unref);

  /* At the next start the card still holds that shot: this process's
   * test camera takes the same CAPA0001.JPG, byte for byte.  The download
   * is recognised as saved already: not saved twice, and deleted from the
   * card now. */
  capa_test_camera_reset ();
  fixture_open (fixture, NULL);
  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (capa_image_get_filename (image), ==, saved);
  names = folder_names (fixture->directory, FALSE);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_false (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  g_assert_cmpuint (fixture->saved->len, ==, 1);

  /* A new shot under a name the card reuses, with other bytes, is a new
   * shot. */
  g_clear_pointer (&names, g_ptr_array_unref);
  g_clear_object (&image);
  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (capa_image_get_filename (image), !=, saved);
  names = folder_names (fixture->directory, FALSE);
  g_assert_cmpuint (names->len, ==, 2);
}

/* A journal of saved shots with garbage in it, and records of the camera
 * file that do not hold its bytes: the shot is saved as a new one. */
static void
test_journal_not_trusted (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (g_get_user_state_dir (), "capa",
                                               "saved-from-camera", NULL);
  g_autofree char *folder = g_path_get_dirname (journal);
  g_autofree char *key = NULL;
  g_autofree char *decoy = g_build_filename (fixture->directory, "decoy.jpg", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  SKIP_IF_NO_CAMERA (fixture);

  {
    g_autofree char *escaped_dir = g_strescape (fixture->directory, NULL);

    key = g_strdup_printf ("saved\t%s\t%s", escaped_dir, TC_FOLDER "/CAPA0001.JPG");
  }
  g_assert_true (g_file_set_contents (decoy, "not the shot", -1, NULL));
  {
    static const char garbage[] = "\0\377garbage\n\tsaved\t\t\n";

    g_string_append_len (text, garbage, sizeof garbage - 1);
  }
  /* The right size, other bytes. */
  g_string_append_printf (text, "%s\t12\tdecoy.jpg\n", key);
  /* Names that leave the folder, or are not there. */
  g_string_append_printf (text, "%s\t12\t../decoy.jpg\n", key);
  g_string_append_printf (text, "%s\t12\tmissing.jpg\n", key);
  g_string_append_printf (text, "%s\t99999999999999999999999\t", key);
  g_assert_no_errno (g_mkdir_with_parents (folder, 0700));
  g_assert_true (g_file_set_contents (journal, text->str, text->len, NULL));

  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (capa_image_get_filename (image), !=, decoy);
  names = folder_names (fixture->directory, FALSE);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_false (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (decoy, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "not the shot");
  }
}

/* ------------------------------------------------------------------ */
/* Camera unplugged during the delete                                   */
/* ------------------------------------------------------------------ */

static void
test_unplug_during_delete (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const GError *warning;

  SKIP_IF_NO_CAMERA (fixture);

  /* The camera is gone at its delete call (the fixture's faults: the
   * driver call after capture, file info, the image-quality setting read
   * to know whether the shot has more files, the events already queued,
   * and download).  The shot is
   * saved, so the capture succeeds; the error signal says the card copy
   * stays. */
  image = tether_capture (fixture, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (capa_image_get_filename (image), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (fixture->errors->len, ==, 1);
  warning = g_ptr_array_index (fixture->errors, 0);
  g_assert_error (warning, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (warning->message, "could not be deleted from the camera"));
  capa_test_spin (50);
  g_assert_false (capa_camera_get_connected (fixture->camera));

  /* Plugged in again: the card copy is there, the shot on disk once. */
  g_assert_true (capa_camera_open (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
  names = folder_names (fixture->directory, FALSE);
  g_assert_cmpuint (names->len, ==, 1);
}

/* ------------------------------------------------------------------ */
/* A slow disk                                                          */
/* ------------------------------------------------------------------ */

static gboolean
tick_cb (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* The save's writes or its sync are held (a disk that does not answer):
 * the main context keeps dispatching, and the capture completes once the
 * disk answers. */
static void
test_slow_disk (Fixture       *fixture,
                gconstpointer  data)
{
  const char *call = g_str_has_suffix (g_test_get_path (), "write") ? "write" : "fsync-file";
  g_autofree char *rules = NULL;
  g_autoptr(CapaImage) image = NULL;
  g_autoptr(GError) error = NULL;
  CapaTestAsync wait = { 0 };
  guint ticks = 0;
  guint id;

  SKIP_IF_NO_CAMERA (fixture);

  rules = g_strdup_printf ("%s=hold:path=%s", call, fixture->directory);
  g_assert_true (capa_fault_shim_set (rules));
  capa_tether_capture_async (fixture->tether, NULL, capa_test_async_done_cb, &wait);

  /* Until the save reaches the disk, then while it is held there. */
  for (guint i = 0; i < 6000 && capa_fault_shim_held () == 0; i++)
    capa_test_spin (10);
  g_assert_cmpuint (capa_fault_shim_held (), ==, 1);

  id = g_timeout_add (5, tick_cb, &ticks);
  while (ticks < 20)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_false (wait.done);
  g_assert_cmpuint (capa_fault_shim_held (), ==, 1);

  capa_fault_shim_release ();
  g_assert_true (capa_test_wait_for (&wait.done, 60000));
  image = capa_tether_capture_finish (fixture->tether, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_false (capa_test_camera_card_has (fixture->camera, "CAPA0001.JPG"));
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  /* The journal of saved shots is in the user's state folder: the child
   * of the killed-before-delete test shares the parent's. */
  if (!g_test_subprocess ())
    {
      g_autofree char *state = g_build_filename (g_get_home_dir (), ".local", "state", NULL);

      g_setenv ("XDG_STATE_HOME", state, TRUE);
    }
  have_camera = capa_test_use_test_camera (NULL);

#define ADD(path, faults, func) \
  g_test_add ("/Capa/SaveFaults/" path, Fixture, faults, fixture_set_up, func, fixture_tear_down)

  for (guint i = 0; i < G_N_ELEMENTS (save_faults); i++)
    {
      g_autofree char *path = g_strconcat ("/Capa/SaveFaults/save/", save_faults[i].path, NULL);

      g_test_add (path, Fixture, NULL, fixture_set_up, test_save_fault, fixture_tear_down);
    }
  ADD ("folder-removed", NULL, test_folder_removed);
  ADD ("killed-before-delete", NULL, test_killed_before_delete);
  ADD ("journal-not-trusted", NULL, test_journal_not_trusted);
  ADD ("unplug-during-delete", "io-error-on-call=7", test_unplug_during_delete);
  ADD ("slow-disk/sync", NULL, test_slow_disk);
  ADD ("slow-disk/write", NULL, test_slow_disk);

#undef ADD

  return g_test_run ();
}
