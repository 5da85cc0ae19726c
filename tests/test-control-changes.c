/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The change handling every control subclass shares: a read-only control
 * refuses a change, a change marks the control dirty and notifies its
 * value once, setting the same value notifies nothing, and a value read
 * from the camera never marks it dirty nor replaces a change not saved,
 * until the change is discarded. */

#include "config.h"

#include "capa-control-private.h"

typedef struct
{
  const char *type_name;
  GType     (*get_type)    (void);
  /* the public setter, named in the critical of a read-only control */
  const char *setter;
  /* the value the camera reports first, without marking the control dirty */
  void      (*prepare)     (CapaControl *control);
  /* the public setter with a value other than the camera's; then another */
  void      (*set_a)       (CapaControl *control);
  void      (*set_b)       (CapaControl *control);
  /* the public setter with the value the control has after prepare () */
  void      (*set_same)    (CapaControl *control);
  /* a new value read from the camera */
  void      (*update)      (CapaControl *control);
  /* whether the control holds the value of set_a () */
  gboolean  (*holds_a)     (CapaControl *control);
  /* setting the same value still marks the control dirty (a text may be
   * a command the camera acts on; a button has no value) */
  gboolean    same_marks_dirty;
  /* the control has no value property (a button) */
  gboolean    no_value;
} Subclass;

/* --- CapaControlRange --- */
static void
range_prepare (CapaControl *control)
{
  _capa_control_range_update (CAPA_CONTROL_RANGE (control), 10, 0, 100, 1);
}

static void
range_set_a (CapaControl *control)
{
  capa_control_range_set_value (CAPA_CONTROL_RANGE (control), 20);
}

static void
range_set_b (CapaControl *control)
{
  capa_control_range_set_value (CAPA_CONTROL_RANGE (control), 30);
}

static void
range_set_same (CapaControl *control)
{
  capa_control_range_set_value (CAPA_CONTROL_RANGE (control), 10);
}

static void
range_update (CapaControl *control)
{
  _capa_control_range_update (CAPA_CONTROL_RANGE (control), 40, 0, 100, 1);
}

static gboolean
range_holds_a (CapaControl *control)
{
  return capa_control_range_get_value (CAPA_CONTROL_RANGE (control)) == 20;
}

/* --- CapaControlChoice --- */
static void
choice_update_to (CapaControl *control,
                  const char  *value)
{
  g_auto(GStrv) choices = g_strsplit ("a,b,c,d", ",", -1);

  _capa_control_choice_update (CAPA_CONTROL_CHOICE (control), value, choices);
}

static void
choice_prepare (CapaControl *control)
{
  choice_update_to (control, "a");
}

static void
choice_set_a (CapaControl *control)
{
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), "b");
}

static void
choice_set_b (CapaControl *control)
{
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), "c");
}

static void
choice_set_same (CapaControl *control)
{
  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control), "a");
}

static void
choice_update (CapaControl *control)
{
  choice_update_to (control, "d");
}

static gboolean
choice_holds_a (CapaControl *control)
{
  return g_strcmp0 (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (control)), "b") == 0;
}

/* --- CapaControlToggle --- */
static void
toggle_prepare (CapaControl *control)
{
  _capa_control_toggle_update (CAPA_CONTROL_TOGGLE (control), FALSE);
}

static void
toggle_set_a (CapaControl *control)
{
  capa_control_toggle_set_value (CAPA_CONTROL_TOGGLE (control), TRUE);
}

static void
toggle_set_b (CapaControl *control)
{
  capa_control_toggle_set_value (CAPA_CONTROL_TOGGLE (control), FALSE);
}

static void
toggle_update (CapaControl *control)
{
  _capa_control_toggle_update (CAPA_CONTROL_TOGGLE (control), TRUE);
}

static gboolean
toggle_holds_a (CapaControl *control)
{
  return capa_control_toggle_get_value (CAPA_CONTROL_TOGGLE (control));
}

/* --- CapaControlText --- */
static void
text_prepare (CapaControl *control)
{
  _capa_control_text_update (CAPA_CONTROL_TEXT (control), "first");
}

static void
text_set_a (CapaControl *control)
{
  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), "second");
}

static void
text_set_b (CapaControl *control)
{
  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), "third");
}

static void
text_set_same (CapaControl *control)
{
  capa_control_text_set_value (CAPA_CONTROL_TEXT (control), "first");
}

static void
text_update (CapaControl *control)
{
  _capa_control_text_update (CAPA_CONTROL_TEXT (control), "from the camera");
}

static gboolean
text_holds_a (CapaControl *control)
{
  return g_strcmp0 (capa_control_text_get_value (CAPA_CONTROL_TEXT (control)), "second") == 0;
}

/* --- CapaControlDate --- */
static void
date_prepare (CapaControl *control)
{
  _capa_control_date_update (CAPA_CONTROL_DATE (control), 1700000000);
}

static void
date_set_a (CapaControl *control)
{
  capa_control_date_set_value (CAPA_CONTROL_DATE (control), 1800000000);
}

static void
date_set_b (CapaControl *control)
{
  capa_control_date_set_value (CAPA_CONTROL_DATE (control), 1900000000);
}

static void
date_set_same (CapaControl *control)
{
  capa_control_date_set_value (CAPA_CONTROL_DATE (control), 1700000000);
}

static void
date_update (CapaControl *control)
{
  _capa_control_date_update (CAPA_CONTROL_DATE (control), 1750000000);
}

static gboolean
date_holds_a (CapaControl *control)
{
  return capa_control_date_get_value (CAPA_CONTROL_DATE (control)) == 1800000000;
}

/* --- CapaControlButton --- */
static void
button_nothing (CapaControl *control)
{
}

static void
button_press (CapaControl *control)
{
  capa_control_button_press (CAPA_CONTROL_BUTTON (control));
}

static gboolean
button_holds_a (CapaControl *control)
{
  return capa_control_get_dirty (control);
}

static const Subclass subclasses[] = {
  { "range", capa_control_range_get_type, "capa_control_range_set_value",
    range_prepare, range_set_a, range_set_b, range_set_same, range_update, range_holds_a,
    FALSE, FALSE },
  { "choice", capa_control_choice_get_type, "capa_control_choice_set_value",
    choice_prepare, choice_set_a, choice_set_b, choice_set_same, choice_update, choice_holds_a,
    FALSE, FALSE },
  { "toggle", capa_control_toggle_get_type, "capa_control_toggle_set_value",
    toggle_prepare, toggle_set_a, toggle_set_b, toggle_set_b, toggle_update, toggle_holds_a,
    FALSE, FALSE },
  { "text", capa_control_text_get_type, "capa_control_text_set_value",
    text_prepare, text_set_a, text_set_b, text_set_same, text_update, text_holds_a,
    TRUE, FALSE },
  { "date", capa_control_date_get_type, "capa_control_date_set_value",
    date_prepare, date_set_a, date_set_b, date_set_same, date_update, date_holds_a,
    FALSE, FALSE },
  { "button", capa_control_button_get_type, "capa_control_button_press",
    button_nothing, button_press, button_press, button_press, button_nothing, button_holds_a,
    TRUE, TRUE },
};

typedef struct
{
  guint value;
  guint dirty;
} Counts;

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              Counts     *counts)
{
  if (g_strcmp0 (pspec->name, "value") == 0)
    counts->value++;
  else if (g_strcmp0 (pspec->name, "dirty") == 0)
    counts->dirty++;
}

static CapaControl *
new_control (const Subclass *subclass,
             gboolean        readonly,
             Counts         *counts)
{
  CapaControl *control = g_object_new (subclass->get_type (),
                                       "path", "/main/test",
                                       "name", "test",
                                       "label", "Test",
                                       "readonly", readonly,
                                       NULL);

  subclass->prepare (control);
  g_assert_false (capa_control_get_dirty (control));
  g_signal_connect (control, "notify", G_CALLBACK (on_notify_cb), counts);

  return control;
}

static void
test_readonly_refuses (gconstpointer data)
{
  const Subclass *subclass = data;
  Counts counts = { 0, };
  g_autoptr(CapaControl) control = new_control (subclass, TRUE, &counts);
  g_autofree char *message = g_strdup_printf ("%s: assertion '!capa_control_get_readonly "
                                              "(CAPA_CONTROL (self))' failed",
                                              subclass->setter);

  g_test_expect_message ("Capa-Control", G_LOG_LEVEL_CRITICAL, message);
  subclass->set_a (control);
  g_test_assert_expected_messages ();

  g_assert_false (subclass->no_value ? FALSE : subclass->holds_a (control));
  g_assert_false (capa_control_get_dirty (control));
  g_assert_cmpuint (counts.value, ==, 0);
  g_assert_cmpuint (counts.dirty, ==, 0);
}

static void
test_change_marks_dirty_and_notifies_once (gconstpointer data)
{
  const Subclass *subclass = data;
  Counts counts = { 0, };
  g_autoptr(CapaControl) control = new_control (subclass, FALSE, &counts);

  subclass->set_a (control);
  g_assert_true (subclass->holds_a (control));
  g_assert_true (capa_control_get_dirty (control));
  g_assert_cmpuint (counts.value, ==, subclass->no_value ? 0 : 1);
  g_assert_cmpuint (counts.dirty, ==, 1);

  /* A second change: the value again, the dirty flag not (it stays). */
  subclass->set_b (control);
  g_assert_true (capa_control_get_dirty (control));
  g_assert_cmpuint (counts.value, ==, subclass->no_value ? 0 : 2);
  g_assert_cmpuint (counts.dirty, ==, 1);

  /* Saved: clean again, and a change marks it dirty once more. */
  _capa_control_set_dirty (control, FALSE);
  g_assert_cmpuint (counts.dirty, ==, 2);
  subclass->set_a (control);
  g_assert_true (capa_control_get_dirty (control));
  g_assert_cmpuint (counts.dirty, ==, 3);
}

static void
test_same_value_notifies_nothing (gconstpointer data)
{
  const Subclass *subclass = data;
  Counts counts = { 0, };
  g_autoptr(CapaControl) control = new_control (subclass, FALSE, &counts);

  subclass->set_same (control);
  g_assert_cmpuint (counts.value, ==, 0);
  g_assert_cmpint (capa_control_get_dirty (control), ==, subclass->same_marks_dirty);
  g_assert_cmpuint (counts.dirty, ==, subclass->same_marks_dirty ? 1 : 0);

  /* Once dirty, the same value again changes nothing at all. */
  subclass->set_a (control);
  counts.value = counts.dirty = 0;
  subclass->set_a (control);
  g_assert_cmpuint (counts.value, ==, 0);
  g_assert_cmpuint (counts.dirty, ==, 0);
  g_assert_true (capa_control_get_dirty (control));
}

static void
test_camera_update (gconstpointer data)
{
  const Subclass *subclass = data;
  Counts counts = { 0, };
  g_autoptr(CapaControl) control = new_control (subclass, FALSE, &counts);

  /* A value from the camera is notified once and never marks it dirty. */
  subclass->update (control);
  g_assert_false (capa_control_get_dirty (control));
  g_assert_cmpuint (counts.value, ==, subclass->no_value ? 0 : 1);
  g_assert_cmpuint (counts.dirty, ==, 0);

  /* The same value from the camera again: nothing. */
  subclass->update (control);
  g_assert_cmpuint (counts.value, ==, subclass->no_value ? 0 : 1);

  /* A change not yet saved is not overwritten by the camera's value. */
  subclass->prepare (control);
  subclass->set_a (control);
  g_assert_true (capa_control_get_dirty (control));
  counts.value = counts.dirty = 0;
  subclass->prepare (control);
  g_assert_true (subclass->holds_a (control));
  g_assert_true (capa_control_get_dirty (control));
  g_assert_cmpuint (counts.value, ==, 0);
  g_assert_cmpuint (counts.dirty, ==, 0);
}

static void
test_discard_change (gconstpointer data)
{
  const Subclass *subclass = data;
  Counts counts = { 0, };
  g_autoptr(CapaControl) control = new_control (subclass, FALSE, &counts);

  /* Not dirty: nothing to discard, nothing notified. */
  capa_control_discard_change (control);
  g_assert_false (capa_control_get_dirty (control));
  g_assert_cmpuint (counts.dirty, ==, 0);

  /* A change the camera refused: once discarded it is no longer dirty,
   * and the camera's value read next replaces it. */
  subclass->set_a (control);
  g_assert_true (capa_control_get_dirty (control));
  capa_control_discard_change (control);
  g_assert_false (capa_control_get_dirty (control));
  g_assert_cmpuint (counts.dirty, ==, 2);
  if (subclass->no_value)
    return;
  g_assert_true (subclass->holds_a (control));
  subclass->prepare (control);
  g_assert_false (subclass->holds_a (control));
  g_assert_false (capa_control_get_dirty (control));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (subclasses); i++)
    {
      const Subclass *subclass = &subclasses[i];
      static const struct {
        const char *name;
        GTestDataFunc func;
      } tests[] = {
        { "readonly-refuses", test_readonly_refuses },
        { "change-marks-dirty-and-notifies-once", test_change_marks_dirty_and_notifies_once },
        { "same-value-notifies-nothing", test_same_value_notifies_nothing },
        { "camera-update", test_camera_update },
        { "discard-change", test_discard_change },
      };

      for (guint j = 0; j < G_N_ELEMENTS (tests); j++)
        {
          g_autofree char *path = g_strdup_printf ("/Capa/Control/%s/%s",
                                                   subclass->type_name, tests[j].name);

          g_test_add_data_func (path, subclass, tests[j].func);
        }
    }

  return g_test_run ();
}
