/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The controls tree from a camera: a libgphoto2 CameraWidget tree built
 * from the input (hostile labels and names, every widget type and some
 * that are none, ranges with min > max, zero, negative or NaN steps,
 * thousands of choices, deep nesting), turned into CapaControl objects by
 * capa-control-gphoto2.c, updated from a second tree, and each control's
 * value written back into the widget its path finds. */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include "capa-control-private.h"
#include "fuzz-common.h"

#define MAX_DEPTH   8
#define MAX_WIDGETS 4000

static const CameraWidgetType types[] = {
  GP_WIDGET_WINDOW, GP_WIDGET_SECTION, GP_WIDGET_TEXT, GP_WIDGET_RANGE, GP_WIDGET_TOGGLE,
  GP_WIDGET_RADIO, GP_WIDGET_MENU, GP_WIDGET_BUTTON, GP_WIDGET_DATE,
};

static int
on_button_cb (Camera       *camera,
              CameraWidget *widget,
              GPContext    *context)
{
  return GP_OK;
}

static CameraWidget *
build_widget (CapaFuzzInput *in,
              guint          depth,
              guint         *n_widgets)
{
  CameraWidget *widget = NULL;
  CameraWidgetType type = types[capa_fuzz_take_u8 (in) % G_N_ELEMENTS (types)];
  g_autofree char *label = capa_fuzz_take_string (in, 48);
  g_autofree char *name = capa_fuzz_take_string (in, 24);
  g_autofree char *info = capa_fuzz_take_string (in, 24);
  guint8 flags = capa_fuzz_take_u8 (in);

  (*n_widgets)++;
  if (flags & 0x80)
    type = 0x100 + (flags & 0x7);   /* not a widget type at all */

  gp_widget_new (type, label, &widget);
  if (widget == NULL)
    return NULL;
  if (flags & 1)
    gp_widget_set_name (widget, name);
  gp_widget_set_info (widget, info);
  gp_widget_set_readonly (widget, (flags >> 1) & 1);

  switch ((int) type)
    {
    case GP_WIDGET_WINDOW:
    case GP_WIDGET_SECTION:
      {
        guint n = capa_fuzz_take_u8 (in) % 12;

        for (guint i = 0; i < n && depth < MAX_DEPTH && *n_widgets < MAX_WIDGETS && in->size; i++)
          {
            CameraWidget *child = build_widget (in, depth + 1, n_widgets);

            if (child != NULL && gp_widget_append (widget, child) != GP_OK)
              gp_widget_free (child);
          }
      }
      break;

    case GP_WIDGET_RANGE:
      {
        float min = capa_fuzz_take_float (in);
        float max = capa_fuzz_take_float (in);
        float step = capa_fuzz_take_float (in);
        float value = capa_fuzz_take_float (in);

        gp_widget_set_range (widget, min, max, step);
        gp_widget_set_value (widget, &value);
      }
      break;

    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      {
        guint n = capa_fuzz_take_u8 (in);
        g_autofree char *value = NULL;

        /* A few from the input, or thousands made up. */
        if (flags & 4)
          n = n * 32;
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *choice = (flags & 4) ? g_strdup_printf ("%u", i)
                                                  : capa_fuzz_take_string (in, 16);

            gp_widget_add_choice (widget, choice);
          }
        value = capa_fuzz_take_string (in, 16);
        if (flags & 8)
          gp_widget_set_value (widget, value);
      }
      break;

    case GP_WIDGET_TEXT:
      {
        g_autofree char *value = capa_fuzz_take_string (in, 64);

        if (flags & 8)
          gp_widget_set_value (widget, value);
      }
      break;

    case GP_WIDGET_TOGGLE:
    case GP_WIDGET_DATE:
      {
        int value = (int) capa_fuzz_take_u32 (in);

        gp_widget_set_value (widget, &value);
      }
      break;

    case GP_WIDGET_BUTTON:
      if (flags & 8)
        gp_widget_set_value (widget, (void *) on_button_cb);
      break;

    default:
      break;
    }

  return widget;
}

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

  root = build_widget (&in, 0, &n_widgets);
  if (root == NULL)
    return 0;
  if (in.size > 0)
    second = build_widget (&in, 0, &n_widgets);

  control = _capa_control_new_from_widget (root, NULL);
  if (control != NULL)
    {
      if (second != NULL)
        (void) _capa_control_update_from_widget (control, second);
      visit (control, second != NULL ? second : root);
    }

  gp_widget_free (root);
  if (second != NULL)
    gp_widget_free (second);

  return 0;
}
