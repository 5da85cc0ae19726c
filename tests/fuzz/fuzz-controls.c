/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The controls tree from a camera: a libgphoto2 CameraWidget tree built
 * from the input (hostile labels and names, every widget type and some
 * that are none, ranges with min > max, zero, negative or NaN steps,
 * thousands of choices, deep nesting), turned into CapaControl objects by
 * capa-control-gphoto2.c, updated from a second tree, and each control's
 * value written back into the widget its path finds.  With
 * CAPA_FUZZ_STRICT=1 in the environment, every control made from a tree
 * must be found again in it by its path (see docs/reliability.md). */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include "capa-control-private.h"
#include "fuzz-common.h"
#include "fuzz-widgets.h"

static gboolean strict;
static gboolean root_is_source;

static void
visit (CapaControl  *control,
       CameraWidget *root)
{
  CameraWidget *widget;

  g_assert_nonnull (capa_control_get_path (control));
  g_assert_nonnull (capa_control_get_name (control));
  g_assert_nonnull (capa_control_get_label (control));
  (void) capa_control_get_info (control);

  widget = _capa_widget_find_by_path (root, capa_control_get_path (control));
  /* Strict: a control made from the tree can be saved back into it. */
  if (strict && widget == NULL && root_is_source)
    g_error ("control %s is not found by its path", capa_control_get_path (control));

  if (CAPA_IS_CONTROL_GROUP (control))
    {
      GPtrArray *children = capa_control_group_get_controls (CAPA_CONTROL_GROUP (control));

      for (guint i = 0; i < children->len; i++)
        visit (g_ptr_array_index (children, i), root);
      return;
    }

  if (CAPA_IS_CONTROL_RANGE (control) && !capa_control_get_readonly (control))
    {
      CapaControlRange *range = CAPA_CONTROL_RANGE (control);

      capa_control_range_set_value (range, capa_control_range_get_max (range));
    }
  else if (CAPA_IS_CONTROL_CHOICE (control) && !capa_control_get_readonly (control))
    {
      const char * const *choices =
        capa_control_choice_get_choices (CAPA_CONTROL_CHOICE (control));

      if (choices != NULL && choices[0] != NULL)
        capa_control_choice_set_value (CAPA_CONTROL_CHOICE (control),
                                       choices[g_strv_length ((GStrv) choices) - 1]);
    }

  if (widget != NULL)
    {
      g_autoptr(CapaControlChange) change = _capa_control_change_new (control);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = _capa_control_change_apply (change, widget, NULL, NULL, &error);
      g_assert_true (ok == (error == NULL));
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  capa_fuzz_init_logging ();
  strict = g_strcmp0 (g_getenv ("CAPA_FUZZ_STRICT"), "1") == 0;
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CapaFuzzInput in = { data, size };
  g_autoptr(CapaControl) control = NULL;
  CameraWidget *root;
  CameraWidget *second = NULL;
  guint n_widgets = 0;

  root = capa_fuzz_build_widget (&in, 0, &n_widgets);
  if (root == NULL)
    return 0;
  if (in.size > 0)
    second = capa_fuzz_build_widget (&in, 0, &n_widgets);

  control = _capa_control_new_from_widget (root, NULL);
  if (control != NULL)
    {
      if (second != NULL)
        (void) _capa_control_update_from_widget (control, second);
      root_is_source = second == NULL;
      visit (control, second != NULL ? second : root);
    }

  gp_widget_free (root);
  if (second != NULL)
    gp_widget_free (second);

  return 0;
}
