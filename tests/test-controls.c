/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The mapping between libgphoto2's CameraWidget tree and CapaControl,
 * with hand-made widgets: no camera needed. */

#include "config.h"

#include <string.h>

#include <gphoto2/gphoto2.h>

#include "capa-control-private.h"
#include "capa-test-utils.h"

static CameraWidget *
add_widget (CameraWidget     *parent,
            CameraWidgetType  type,
            const char       *name,
            const char       *label)
{
  CameraWidget *widget = NULL;

  g_assert_cmpint (gp_widget_new (type, label, &widget), ==, GP_OK);
  g_assert_cmpint (gp_widget_set_name (widget, name), ==, GP_OK);
  if (parent != NULL)
    g_assert_cmpint (gp_widget_append (parent, widget), ==, GP_OK);
  return widget;
}

/* A small tree shaped like ptp2's. */
static CameraWidget *
make_tree (void)
{
  CameraWidget *root = add_widget (NULL, GP_WIDGET_WINDOW, "main",
                                   "Camera and Driver Configuration");
  CameraWidget *capture = add_widget (root, GP_WIDGET_SECTION, "capturesettings",
                                      "Capture Settings");
  CameraWidget *status = add_widget (root, GP_WIDGET_SECTION, "status",
                                     "Camera Status Information");
  CameraWidget *actions = add_widget (root, GP_WIDGET_SECTION, "actions", "Camera Actions");
  CameraWidget *w;
  float f;
  int i;

  w = add_widget (capture, GP_WIDGET_RADIO, "f-number", "F-Number");
  gp_widget_add_choice (w, "f/2.8");
  gp_widget_add_choice (w, "f/4");
  gp_widget_add_choice (w, "f/5.6");
  gp_widget_set_value (w, "f/4");

  w = add_widget (capture, GP_WIDGET_MENU, "whitebalance", "White Balance");
  gp_widget_add_choice (w, "Auto");
  gp_widget_add_choice (w, "Daylight");
  gp_widget_set_value (w, "Auto");

  w = add_widget (capture, GP_WIDGET_RANGE, "exposurecompensation", "Exposure Compensation");
  gp_widget_set_range (w, -5.0f, 5.0f, 0.5f);
  f = 1.5f;
  gp_widget_set_value (w, &f);

  w = add_widget (capture, GP_WIDGET_TOGGLE, "bulb", "Bulb Mode");
  i = 1;
  gp_widget_set_value (w, &i);

  w = add_widget (status, GP_WIDGET_TEXT, "batterylevel", "Battery Level");
  gp_widget_set_value (w, "50%");
  gp_widget_set_readonly (w, 1);

  w = add_widget (status, GP_WIDGET_DATE, "datetime", "Camera Date and Time");
  i = 1700000000;
  gp_widget_set_value (w, &i);
  gp_widget_set_info (w, "The camera's clock");

  add_widget (actions, GP_WIDGET_BUTTON, "autofocusdrive", "Drive autofocus");

  /* No name: one is made from the label. */
  w = add_widget (actions, GP_WIDGET_TEXT, "", "Owner Name");
  gp_widget_set_value (w, "Ada");

  return root;
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_controls_mapping (void)
{
  CameraWidget *root = make_tree ();
  g_autoptr(CapaControl) tree = _capa_control_new_from_widget (root, NULL);
  CapaControlGroup *group;
  CapaControl *control;
  g_autoptr(GDateTime) date = NULL;

  g_assert_true (CAPA_IS_CONTROL_GROUP (tree));
  group = CAPA_CONTROL_GROUP (tree);
  g_assert_cmpstr (capa_control_get_path (tree), ==, "/main");
  g_assert_cmpstr (capa_control_get_label (tree), ==, "Camera and Driver Configuration");
  g_assert_cmpuint (capa_control_group_get_controls (group)->len, ==, 3);

  control = capa_control_group_get_by_path (group, "/main/capturesettings/f-number");
  g_assert_true (CAPA_IS_CONTROL_CHOICE (control));
  g_assert_cmpstr (capa_control_get_name (control), ==, "f-number");
  g_assert_cmpstr (capa_control_get_label (control), ==, "F-Number");
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (control)), ==, "f/4");
  {
    const char * const *choices = capa_control_choice_get_choices (CAPA_CONTROL_CHOICE (control));

    g_assert_cmpuint (g_strv_length ((GStrv) choices), ==, 3);
  }
  g_assert_false (capa_control_choice_get_is_menu (CAPA_CONTROL_CHOICE (control)));
  /* Relative paths work from the group they start in. */
  g_assert_true (capa_control_group_get_by_path (group, "capturesettings/f-number") == control);
  g_assert_null (capa_control_group_get_by_path (group, "/main/capturesettings/nothing"));
  g_assert_null (capa_control_group_get_by_path (group, "/other/capturesettings/f-number"));
  g_assert_null (capa_control_group_get_by_path (group, "/main/capturesettings/f-number/deeper"));

  control = capa_control_group_get_by_path (group, "/main/capturesettings/whitebalance");
  g_assert_true (CAPA_IS_CONTROL_CHOICE (control));
  g_assert_true (capa_control_choice_get_is_menu (CAPA_CONTROL_CHOICE (control)));

  control = capa_control_group_get_by_path (group, "/main/capturesettings/exposurecompensation");
  g_assert_true (CAPA_IS_CONTROL_RANGE (control));
  g_assert_cmpfloat_with_epsilon (capa_control_range_get_value (CAPA_CONTROL_RANGE (control)), 1.5,
                                  1e-6);
  g_assert_cmpfloat_with_epsilon (capa_control_range_get_min (CAPA_CONTROL_RANGE (control)), -5,
                                  1e-6);
  g_assert_cmpfloat_with_epsilon (capa_control_range_get_max (CAPA_CONTROL_RANGE (control)), 5,
                                  1e-6);
  g_assert_cmpfloat_with_epsilon (capa_control_range_get_step (CAPA_CONTROL_RANGE (control)), 0.5,
                                  1e-6);

  control = capa_control_group_get_by_path (group, "/main/capturesettings/bulb");
  g_assert_true (CAPA_IS_CONTROL_TOGGLE (control));
  g_assert_true (capa_control_toggle_get_value (CAPA_CONTROL_TOGGLE (control)));

  control = capa_control_group_get_by_path (group, "/main/status/batterylevel");
  g_assert_true (CAPA_IS_CONTROL_TEXT (control));
  g_assert_true (capa_control_get_readonly (control));
  g_assert_cmpstr (capa_control_text_get_value (CAPA_CONTROL_TEXT (control)), ==, "50%");

  control = capa_control_group_get_by_path (group, "/main/status/datetime");
  g_assert_true (CAPA_IS_CONTROL_DATE (control));
  g_assert_cmpint (capa_control_date_get_value (CAPA_CONTROL_DATE (control)), ==, 1700000000);
  g_assert_cmpstr (capa_control_get_info (control), ==, "The camera's clock");
  date = capa_control_date_dup_datetime (CAPA_CONTROL_DATE (control));
  g_assert_cmpint (g_date_time_to_unix (date), ==, 1700000000);

  control = capa_control_group_get_by_path (group, "/main/actions/autofocusdrive");
  g_assert_true (CAPA_IS_CONTROL_BUTTON (control));

  control = capa_control_group_get_by_path (group, "/main/actions/owner-name");
  g_assert_true (CAPA_IS_CONTROL_TEXT (control));
  g_assert_cmpstr (capa_control_get_label (control), ==, "Owner Name");

  gp_widget_free (root);
  g_assert_finalize_object (g_steal_pointer (&tree));
}

/* A camera's widget named with a slash (found by fuzz-controls): its
 * control's path must lead back to it, or saving it fails with "the camera
 * no longer has the setting" and takes the rest of the save down with it. */
static void
test_controls_slash_in_name (void)
{
  CameraWidget *root = add_widget (NULL, GP_WIDGET_WINDOW, "main", "Main");
  CameraWidget *section = add_widget (root, GP_WIDGET_SECTION, "a/b", "Section");
  CameraWidget *text = add_widget (section, GP_WIDGET_TEXT, "/", "Slash");
  g_autoptr(CapaControl) control = NULL;
  CapaControl *leaf;
  GPtrArray *children;

  gp_widget_set_value (text, "x");
  control = _capa_control_new_from_widget (root, NULL);
  g_assert_nonnull (control);

  children = capa_control_group_get_controls (CAPA_CONTROL_GROUP (control));
  g_assert_cmpuint (children->len, ==, 1);
  children = capa_control_group_get_controls (g_ptr_array_index (children, 0));
  g_assert_cmpuint (children->len, ==, 1);
  leaf = g_ptr_array_index (children, 0);

  g_assert_null (strchr (capa_control_get_name (leaf), '/'));
  g_assert_true (_capa_widget_find_by_path (root, capa_control_get_path (leaf)) == text);

  gp_widget_free (root);
}

/* Two settings of one name side by side, as a camera may report them
 * (found by fuzz-controls): each control's path must lead to its own
 * widget, or a change to the second is written into the first. */
static void
test_controls_same_names (void)
{
  CameraWidget *root = add_widget (NULL, GP_WIDGET_WINDOW, "main", "Main");
  CameraWidget *first = add_widget (root, GP_WIDGET_TEXT, "owner", "Owner");
  CameraWidget *second = add_widget (root, GP_WIDGET_SECTION, "owner", "Owner again");
  CameraWidget *inner = add_widget (second, GP_WIDGET_TOGGLE, "", "");
  CameraWidget *third = add_widget (root, GP_WIDGET_TEXT, "", "");
  CameraWidget *fourth = add_widget (root, GP_WIDGET_TEXT, "unnamed", "");
  CameraWidget *widgets[] = { first, second, third, fourth };
  g_autoptr(CapaControl) control = NULL;
  g_autoptr(GHashTable) paths = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *children;
  CapaControl *group;

  control = _capa_control_new_from_widget (root, NULL);
  children = capa_control_group_get_controls (CAPA_CONTROL_GROUP (control));
  g_assert_cmpuint (children->len, ==, G_N_ELEMENTS (widgets));

  for (guint i = 0; i < children->len; i++)
    {
      const char *path = capa_control_get_path (g_ptr_array_index (children, i));

      g_assert_false (g_hash_table_contains (paths, path));
      g_hash_table_add (paths, (gpointer) path);
      g_assert_true (_capa_widget_find_by_path (root, path) == widgets[i]);
    }

  group = g_ptr_array_index (children, 1);
  children = capa_control_group_get_controls (CAPA_CONTROL_GROUP (group));
  g_assert_cmpuint (children->len, ==, 1);
  g_assert_true (_capa_widget_find_by_path (root,
                   capa_control_get_path (g_ptr_array_index (children, 0))) == inner);

  /* The same tree read again updates the same controls, adding none. */
  g_assert_true (_capa_control_update_from_widget (control, root));
  children = capa_control_group_get_controls (CAPA_CONTROL_GROUP (control));
  g_assert_cmpuint (children->len, ==, G_N_ELEMENTS (widgets));

  gp_widget_free (root);
}

static void
test_controls_dirty (void)
{
  CameraWidget *root = make_tree ();
  g_autoptr(CapaControl) tree = _capa_control_new_from_widget (root, NULL);
  g_autoptr(GPtrArray) dirty = g_ptr_array_new_with_free_func (g_object_unref);
  CapaControlGroup *group = CAPA_CONTROL_GROUP (tree);
  CapaControl *fnumber = capa_control_group_get_by_path (group, "/main/capturesettings/f-number");
  CapaControl *bulb = capa_control_group_get_by_path (group, "/main/capturesettings/bulb");
  CapaControl *button = capa_control_group_get_by_path (group, "/main/actions/autofocusdrive");
  guint value_notifies = 0;
  guint dirty_notifies = 0;

  g_signal_connect (fnumber, "notify::value", G_CALLBACK (on_notify_cb), &value_notifies);
  g_signal_connect (fnumber, "notify::dirty", G_CALLBACK (on_notify_cb), &dirty_notifies);

  _capa_control_group_collect_dirty (group, dirty);
  g_assert_cmpuint (dirty->len, ==, 0);

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), "f/5.6");
  g_assert_true (capa_control_get_dirty (fnumber));
  g_assert_cmpuint (value_notifies, ==, 1);
  g_assert_cmpuint (dirty_notifies, ==, 1);
  /* The same value again changes nothing. */
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (fnumber), "f/5.6");
  g_assert_cmpuint (value_notifies, ==, 1);
  g_assert_cmpuint (dirty_notifies, ==, 1);
  /* Through the GObject property too (as Python and JavaScript do). */
  g_object_set (bulb, "value", FALSE, NULL);
  g_assert_true (capa_control_get_dirty (bulb));
  capa_control_button_press (CAPA_CONTROL_BUTTON (button));
  g_assert_true (capa_control_get_dirty (button));

  _capa_control_group_collect_dirty (group, dirty);
  g_assert_cmpuint (dirty->len, ==, 3);
  g_assert_true (g_ptr_array_index (dirty, 0) == fnumber);

  /* A value read from the camera leaves a pending change alone... */
  g_assert_true (_capa_control_update_from_widget (tree, root));
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber)), ==, "f/5.6");
  g_assert_cmpuint (value_notifies, ==, 1);

  /* ...and updates a clean control without dirtying it. */
  _capa_control_set_dirty (fnumber, FALSE);
  g_assert_cmpuint (dirty_notifies, ==, 2);
  g_assert_true (_capa_control_update_from_widget (tree, root));
  g_assert_cmpstr (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (fnumber)), ==, "f/4");
  g_assert_false (capa_control_get_dirty (fnumber));
  g_assert_cmpuint (value_notifies, ==, 2);
  g_assert_cmpuint (dirty_notifies, ==, 2);

  /* A widget of another kind does not fit. */
  {
    CameraWidget *text = add_widget (NULL, GP_WIDGET_TEXT, "f-number", "F-Number");

    g_assert_false (_capa_control_update_from_widget (fnumber, text));
    gp_widget_free (text);
  }

  g_clear_pointer (&dirty, g_ptr_array_unref);
  gp_widget_free (root);
  g_assert_finalize_object (g_steal_pointer (&tree));
}

static CapaControl *
get_by_path (CapaControlGroup *group,
             const char       *path)
{
  return capa_control_group_get_by_path (group, path);
}

static void
test_controls_apply (void)
{
  CameraWidget *root = make_tree ();
  g_autoptr(CapaControl) tree = _capa_control_new_from_widget (root, NULL);
  CapaControlGroup *group = CAPA_CONTROL_GROUP (tree);
  struct {
    const char *path;
  } paths[] = {
    { "/main/capturesettings/f-number" },
    { "/main/capturesettings/exposurecompensation" },
    { "/main/capturesettings/bulb" },
    { "/main/status/datetime" },
  };
  CameraWidget *widget;
  g_autoptr(GError) error = NULL;
  const char *s = NULL;
  float f = 0;
  int i = 0;

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (get_by_path (group, paths[0].path)), "f/2.8");
  capa_control_range_set_value (CAPA_CONTROL_RANGE (get_by_path (group, paths[1].path)), -2.0);
  /* Out of range values are clamped. */
  capa_control_range_set_value (CAPA_CONTROL_RANGE (get_by_path (group, paths[1].path)), -20.0);
  capa_control_toggle_set_value (CAPA_CONTROL_TOGGLE (get_by_path (group, paths[2].path)), FALSE);
  capa_control_date_set_value (CAPA_CONTROL_DATE (get_by_path (group, paths[3].path)), 1800000000);

  for (guint n = 0; n < G_N_ELEMENTS (paths); n++)
    {
      g_autoptr(CapaControlChange) change =
        _capa_control_change_new (capa_control_group_get_by_path (group, paths[n].path));

      widget = _capa_widget_find_by_path (root, paths[n].path);
      g_assert_nonnull (widget);
      g_assert_true (_capa_control_change_apply (change, widget, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  gp_widget_get_value (_capa_widget_find_by_path (root, paths[0].path), &s);
  g_assert_cmpstr (s, ==, "f/2.8");
  gp_widget_get_value (_capa_widget_find_by_path (root, paths[1].path), &f);
  g_assert_cmpfloat_with_epsilon (f, -5.0, 1e-6);
  gp_widget_get_value (_capa_widget_find_by_path (root, paths[2].path), &i);
  g_assert_cmpint (i, ==, 0);
  gp_widget_get_value (_capa_widget_find_by_path (root, paths[3].path), &i);
  g_assert_cmpint (i, ==, 1800000000);

  g_assert_null (_capa_widget_find_by_path (root, "/main/nothing"));
  g_assert_null (_capa_widget_find_by_path (root, "/other"));

  /* A control whose widget changed kind is reported by name. */
  {
    g_autoptr(CapaControlChange) change =
      _capa_control_change_new (capa_control_group_get_by_path (group, paths[0].path));

    widget = _capa_widget_find_by_path (root, "/main/status/batterylevel");
    g_assert_false (_capa_control_change_apply (change, widget, NULL, NULL, &error));
    g_assert_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_NOT_SUPPORTED);
    g_assert_nonnull (strstr (error->message, "F-Number"));
    g_clear_error (&error);
  }

  gp_widget_free (root);
  g_assert_finalize_object (g_steal_pointer (&tree));
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

  g_test_add_func ("/Capa/Controls/mapping", test_controls_mapping);
  g_test_add_func ("/Capa/Controls/dirty", test_controls_dirty);
  g_test_add_func ("/Capa/Controls/slash-in-name", test_controls_slash_in_name);
  g_test_add_func ("/Capa/Controls/same-names", test_controls_same_names);
  g_test_add_func ("/Capa/Controls/apply", test_controls_apply);

  return g_test_run ();
}
