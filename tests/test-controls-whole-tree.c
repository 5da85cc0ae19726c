/* SPDX-License-Identifier: GPL-3.0-or-later */

/* capa_camera_save_controls() against the test camera driver
 * (tests/camlib), as a driver with single-setting saves and as one that
 * takes only the whole tree (the fault whole-tree-only): a control stops
 * being dirty only once the camera took a send holding its value, a
 * button acts only after the settings before it reached the camera, and a
 * refused send names the settings it carried. */

#include "config.h"

#include <string.h>

#include "capa-test-utils.h"

#define TC_MODEL CAPA_TEST_CAMERA_MODEL
#define TC_PORT  CAPA_TEST_CAMERA_PORT

#define VIEWFINDER "/main/actions/viewfinder"
#define PRESS      "/main/actions/press"
#define OWNER      "/main/settings/ownername"
#define COPYRIGHT  "/main/settings/copyright"
#define PRESSES    "/main/status/presses"
#define FAULTS     "/main/testing/faults"

/* Short, for the many look-ups of controls below. */
#define get_control capa_test_camera_get_control

static gboolean have_camera;

typedef struct
{
  CapaCamera *camera;
} Fixture;

static char *
dup_text (CapaCamera *camera,
          const char *path)
{
  return g_strdup (capa_control_text_get_value (CAPA_CONTROL_TEXT (get_control (camera, path))));
}

static gboolean
is_dirty (CapaCamera *camera,
          const char *path)
{
  return capa_control_get_dirty (get_control (camera, path));
}

/* What the camera itself holds: read by another CapaCamera, as the
 * fixture's controls keep their unsaved values. */
typedef struct
{
  char     *owner;
  char     *copyright;
  char     *presses;
  gboolean  viewfinder;
} CameraState;

static void
camera_state_clear (CameraState *state)
{
  g_clear_pointer (&state->owner, g_free);
  g_clear_pointer (&state->copyright, g_free);
  g_clear_pointer (&state->presses, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CameraState, camera_state_clear)

static void
read_camera_state (Fixture     *fixture,
                   CameraState *state)
{
  g_autoptr(CapaCamera) other = capa_camera_new (TC_MODEL, TC_PORT);

  capa_test_camera_close (fixture->camera);
  capa_test_camera_open (other);
  state->owner = dup_text (other, OWNER);
  state->copyright = dup_text (other, COPYRIGHT);
  state->presses = dup_text (other, PRESSES);
  state->viewfinder =
    capa_control_toggle_get_value (CAPA_CONTROL_TOGGLE (get_control (other, VIEWFINDER)));
  capa_test_camera_close (other);
  capa_test_assert_finalized (g_steal_pointer (&other));
  capa_test_camera_open (fixture->camera);
}

/* Each test gets the test camera in its initial state, then opened with
 * @data as CAPA_TEST_CAMERA_FAULTS. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *faults = data;

  if (!capa_test_camera_usable (have_camera))
    return;

  capa_test_camera_reset ();

  /* Read at the next gp_camera_init(), then kept by the driver. */
  if (faults != NULL)
    g_setenv ("CAPA_TEST_CAMERA_FAULTS", faults, TRUE);
  fixture->camera = capa_camera_new (TC_MODEL, TC_PORT);
  capa_test_camera_open (fixture->camera);
  g_unsetenv ("CAPA_TEST_CAMERA_FAULTS");
}

/* The faults stay armed in the driver: the next set-up resets it. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->camera == NULL)
    return;

  capa_test_camera_close (fixture->camera);
  capa_test_assert_finalized (g_steal_pointer (&fixture->camera));
}

#define SKIP_IF_NO_CAMERA(fixture) \
  G_STMT_START { if ((fixture)->camera == NULL) return; } G_STMT_END

/* A setting before the button (the viewfinder, in /main/actions), the
 * button, and a setting after it (the owner's name, in /main/settings). */
static void
change_around_button (Fixture *fixture)
{
  capa_control_toggle_set_value (CAPA_CONTROL_TOGGLE (get_control (fixture->camera, VIEWFINDER)),
                                 TRUE);
  capa_control_button_press (CAPA_CONTROL_BUTTON (get_control (fixture->camera, PRESS)));
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (fixture->camera, OWNER)), "Ada");
}

/* ------------------------------------------------------------------ */

static void
test_whole_tree_saved (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(CameraState) state = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  change_around_button (fixture);
  g_assert_true (capa_camera_save_controls (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (is_dirty (fixture->camera, VIEWFINDER));
  g_assert_false (is_dirty (fixture->camera, PRESS));
  g_assert_false (is_dirty (fixture->camera, OWNER));

  read_camera_state (fixture, &state);
  g_assert_true (state.viewfinder);
  g_assert_cmpstr (state.presses, ==, "1");
  g_assert_cmpstr (state.owner, ==, "Ada");
}

static void
test_whole_tree_refused_before_button (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(CameraState) state = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  /* Every whole-tree send fails: the one carrying the viewfinder before
   * the button is refused, so the button is not pressed and nothing is
   * saved. */
  change_around_button (fixture);
  g_assert_false (capa_camera_save_controls (fixture->camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“Viewfinder” (" VIEWFINDER ")"));
  g_assert_null (strstr (error->message, OWNER));
  g_assert_true (capa_camera_get_connected (fixture->camera));

  g_assert_true (is_dirty (fixture->camera, VIEWFINDER));
  g_assert_true (is_dirty (fixture->camera, PRESS));
  g_assert_true (is_dirty (fixture->camera, OWNER));

  read_camera_state (fixture, &state);
  g_assert_false (state.viewfinder);
  g_assert_cmpstr (state.presses, ==, "0");
  g_assert_cmpstr (state.owner, ==, "");
}

static void
test_whole_tree_refused_after_button (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(CameraState) state = { 0 };
  g_auto(CameraState) later = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  /* The second whole-tree send fails: the viewfinder went with the
   * first, the button was pressed, the owner's name and copyright (sent
   * together after the button) were refused. */
  change_around_button (fixture);
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (fixture->camera, COPYRIGHT)),
                               "CC BY");
  g_assert_false (capa_camera_save_controls (fixture->camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“Owner Name” (" OWNER ")"));
  g_assert_nonnull (strstr (error->message, "“Copyright” (" COPYRIGHT ")"));
  g_assert_null (strstr (error->message, VIEWFINDER));

  g_assert_false (is_dirty (fixture->camera, VIEWFINDER));
  g_assert_false (is_dirty (fixture->camera, PRESS));
  g_assert_true (is_dirty (fixture->camera, OWNER));
  g_assert_true (is_dirty (fixture->camera, COPYRIGHT));

  read_camera_state (fixture, &state);
  g_assert_true (state.viewfinder);
  g_assert_cmpstr (state.presses, ==, "1");
  g_assert_cmpstr (state.owner, ==, "");
  g_assert_cmpstr (state.copyright, ==, "");

  /* The fault fired once: saving again sends what is still dirty, and
   * only that (the button is not pressed twice). */
  g_clear_error (&error);
  g_assert_true (capa_camera_save_controls (fixture->camera, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (is_dirty (fixture->camera, OWNER));
  g_assert_false (is_dirty (fixture->camera, COPYRIGHT));

  read_camera_state (fixture, &later);
  g_assert_true (later.viewfinder);
  g_assert_cmpstr (later.presses, ==, "1");
  g_assert_cmpstr (later.owner, ==, "Ada");
  g_assert_cmpstr (later.copyright, ==, "CC BY");
}

static void
test_whole_tree_refused_at_end (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(CameraState) state = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  /* No button: the one send at the end is refused. */
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (fixture->camera, OWNER)), "Ada");
  g_assert_false (capa_camera_save_controls (fixture->camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“Owner Name” (" OWNER ")"));
  g_assert_true (is_dirty (fixture->camera, OWNER));

  read_camera_state (fixture, &state);
  g_assert_cmpstr (state.owner, ==, "");
}

static void
test_single_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(CameraState) state = { 0 };

  SKIP_IF_NO_CAMERA (fixture);

  /* One setting at a time: the driver refuses an unknown fault, which
   * comes after the owner's name and the button in the tree. */
  change_around_button (fixture);
  capa_control_text_set_value (CAPA_CONTROL_TEXT (get_control (fixture->camera, FAULTS)),
                               "no-such-fault");
  g_assert_false (capa_camera_save_controls (fixture->camera, NULL, &error));
  g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_BAD_PARAMETER);
  g_assert_nonnull (strstr (error->message, FAULTS));

  g_assert_false (is_dirty (fixture->camera, VIEWFINDER));
  g_assert_false (is_dirty (fixture->camera, PRESS));
  g_assert_false (is_dirty (fixture->camera, OWNER));
  g_assert_true (is_dirty (fixture->camera, FAULTS));

  read_camera_state (fixture, &state);
  g_assert_true (state.viewfinder);
  g_assert_cmpstr (state.presses, ==, "1");
  g_assert_cmpstr (state.owner, ==, "Ada");
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);
  have_camera = capa_test_use_test_camera (NULL);

#define ADD(path, faults, func) \
  g_test_add ("/Capa/Controls/" path, Fixture, faults, fixture_set_up, func, fixture_tear_down)

  ADD ("whole-tree/saved", "whole-tree-only", test_whole_tree_saved);
  ADD ("whole-tree/refused-before-button", "whole-tree-only,set-config-fails",
       test_whole_tree_refused_before_button);
  ADD ("whole-tree/refused-after-button", "whole-tree-only,set-config-fails=2",
       test_whole_tree_refused_after_button);
  ADD ("whole-tree/refused-at-end", "whole-tree-only,set-config-fails",
       test_whole_tree_refused_at_end);
  ADD ("single/refused", NULL, test_single_refused);

#undef ADD

  return g_test_run ();
}
