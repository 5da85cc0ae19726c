/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A libgphoto2 CameraWidget tree from fuzz input, for fuzz-controls.c and
 * fuzz-camera.c (see fuzz-widgets.h). */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include "fuzz-widgets.h"

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

CameraWidget *
capa_fuzz_build_widget (CapaFuzzInput *in,
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
            CameraWidget *child = capa_fuzz_build_widget (in, depth + 1, n_widgets);

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

