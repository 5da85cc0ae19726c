/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The demo camera's settings: one of every libgphoto2 widget type, named
 * as libgphoto2's PTP driver names them so that Capa's defaults (the
 * settings panel's subset) find them. */

#define G_LOG_DOMAIN "Capa-Demo"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capa-demo-camera-private.h"

typedef enum
{
  KIND_SHUTTER_BUTTON,
  KIND_DATETIME,
  KIND_ARTIST,
  KIND_COPYRIGHT,
  KIND_MANUFACTURER,
  KIND_MODEL,
  KIND_SERIAL,
  KIND_BATTERY,
  KIND_SHUTTER_COUNT,
  KIND_ISO,
  KIND_WHITE_BALANCE,
  KIND_QUALITY,
  KIND_NOISE_REDUCTION,
  KIND_F_NUMBER,
  KIND_SHUTTER_SPEED,
  KIND_EXPOSURE_BIAS,
  KIND_FOCAL_LENGTH,
  KIND_FOCUS_MODE,
} Kind;

typedef struct
{
  const char        *section;
  const char        *name;
  const char        *label;
  CameraWidgetType   type;
  Kind               kind;
  gboolean           read_only;
  const char * const *choices;
} Setting;

typedef struct
{
  const char *name;
  const char *label;
} Section;

static const Section sections[] = {
  { "actions", "Camera Actions" },
  { "settings", "Camera Settings" },
  { "status", "Camera Status Information" },
  { "imgsettings", "Image Settings" },
  { "capturesettings", "Capture Settings" },
};

static const char * const iso_choices[] = {
  "100", "200", "400", "800", "1600", "3200", "6400", "12800", NULL,
};
static const char * const white_balance_choices[] = {
  "Automatic", "Daylight", "Cloudy", "Shade", "Tungsten", "Fluorescent", NULL,
};
static const char * const quality_choices[] = {
  "JPEG Fine", "JPEG Normal", "JPEG Basic", NULL,
};
static const int quality_values[] = { 95, 85, 70 };
static const char * const f_number_choices[] = {
  "f/1.8", "f/2", "f/2.8", "f/4", "f/5.6", "f/8", "f/11", "f/16", "f/22", NULL,
};
static const double f_number_values[] = { 1.8, 2, 2.8, 4, 5.6, 8, 11, 16, 22 };
static const char * const shutter_choices[] = {
  "1/4000", "1/2000", "1/1000", "1/500", "1/250", "1/125", "1/60", "1/30", "1/15",
  "1/8", "1/4", "1/2", "1", "2", "4", NULL,
};
static const double shutter_values[] = {
  1 / 4000.0, 1 / 2000.0, 1 / 1000.0, 1 / 500.0, 1 / 250.0, 1 / 125.0, 1 / 60.0, 1 / 30.0,
  1 / 15.0, 1 / 8.0, 1 / 4.0, 1 / 2.0, 1, 2, 4,
};
static const char * const focus_choices[] = {
  "AF-S", "AF-C", "Manual", NULL,
};

static const Setting settings[] = {
  { "actions", "shutterbutton", "Press Shutter Button", GP_WIDGET_BUTTON,
    KIND_SHUTTER_BUTTON, FALSE, NULL },
  { "settings", "datetime", "Camera Date and Time", GP_WIDGET_DATE, KIND_DATETIME, FALSE, NULL },
  { "settings", "artist", "Artist", GP_WIDGET_TEXT, KIND_ARTIST, FALSE, NULL },
  { "settings", "copyright", "Copyright", GP_WIDGET_TEXT, KIND_COPYRIGHT, FALSE, NULL },
  { "status", "manufacturer", "Manufacturer", GP_WIDGET_TEXT, KIND_MANUFACTURER, TRUE, NULL },
  { "status", "cameramodel", "Camera Model", GP_WIDGET_TEXT, KIND_MODEL, TRUE, NULL },
  { "status", "serialnumber", "Serial Number", GP_WIDGET_TEXT, KIND_SERIAL, TRUE, NULL },
  { "status", "batterylevel", "Battery Level", GP_WIDGET_TEXT, KIND_BATTERY, TRUE, NULL },
  { "status", "shuttercounter", "Shutter Counter", GP_WIDGET_TEXT, KIND_SHUTTER_COUNT, TRUE,
    NULL },
  { "imgsettings", "iso", "ISO Speed", GP_WIDGET_RADIO, KIND_ISO, FALSE, iso_choices },
  { "imgsettings", "whitebalance", "White Balance", GP_WIDGET_MENU, KIND_WHITE_BALANCE, FALSE,
    white_balance_choices },
  { "imgsettings", "imagequality", "Image Quality", GP_WIDGET_MENU, KIND_QUALITY, FALSE,
    quality_choices },
  { "imgsettings", "highisonr", "High ISO Noise Reduction", GP_WIDGET_TOGGLE,
    KIND_NOISE_REDUCTION, FALSE, NULL },
  { "capturesettings", "f-number", "F-Number", GP_WIDGET_RADIO, KIND_F_NUMBER, FALSE,
    f_number_choices },
  { "capturesettings", "shutterspeed", "Shutter Speed", GP_WIDGET_RADIO, KIND_SHUTTER_SPEED,
    FALSE, shutter_choices },
  { "capturesettings", "exposurecompensation", "Exposure Compensation", GP_WIDGET_RANGE,
    KIND_EXPOSURE_BIAS, FALSE, NULL },
  { "capturesettings", "focallength", "Focal Length", GP_WIDGET_RANGE, KIND_FOCAL_LENGTH,
    FALSE, NULL },
  { "capturesettings", "focusmode", "Focus Mode", GP_WIDGET_MENU, KIND_FOCUS_MODE, FALSE,
    focus_choices },
};

#define BIAS_STEP (1.0 / 3.0)

static DemoSettings current;
static gboolean current_set;

DemoSettings *
demo_settings_get (void)
{
  if (!current_set)
    demo_settings_reset ();
  return &current;
}

void
demo_settings_reset (void)
{
  g_free (current.artist);
  g_free (current.copyright);
  current = (DemoSettings) {
    .iso = 1,              /* 200 */
    .f_number = 5,         /* f/8 */
    .shutter = 5,          /* 1/125 */
    .white_balance = 0,
    .quality = 0,
    .focus_mode = 0,
    .exposure_bias = 0.0,
    .focal_length = 35.0,
    .noise_reduction = TRUE,
    .artist = g_strdup (""),
    .copyright = g_strdup (""),
    .clock_offset = 0,
  };
  current_set = TRUE;
}

void
demo_settings_fill_shot (DemoShot *shot)
{
  DemoSettings *s = demo_settings_get ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  shot->exposure_time = shutter_values[s->shutter];
  shot->f_number = f_number_values[s->f_number];
  shot->iso = atoi (iso_choices[s->iso]);
  shot->exposure_bias = s->exposure_bias;
  shot->focal_length = s->focal_length;
  shot->white_balance = s->white_balance;
  shot->quality = quality_values[s->quality];
  shot->noise_reduction = s->noise_reduction;
  shot->artist = g_strdup (s->artist);
  shot->copyright = g_strdup (s->copyright);
  shot->time = g_date_time_add_seconds (now, s->clock_offset);
}

static const Setting *
find_setting (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_str_equal (settings[i].name, name))
      return &settings[i];
  return NULL;
}

static int
on_shutter_button_cb (Camera       *camera,
                      CameraWidget *widget,
                      GPContext    *context)
{
  return demo_press_shutter_button (camera, context);
}

/* Under the lock: a new widget showing @setting's current value. */
static CameraWidget *
make_widget (const Setting *setting)
{
  DemoSettings *s = demo_settings_get ();
  CameraWidget *widget = NULL;

  gp_widget_new (setting->type, setting->label, &widget);
  gp_widget_set_name (widget, setting->name);
  gp_widget_set_readonly (widget, setting->read_only);
  for (guint i = 0; setting->choices != NULL && setting->choices[i] != NULL; i++)
    gp_widget_add_choice (widget, setting->choices[i]);

  switch (setting->kind)
    {
    case KIND_SHUTTER_BUTTON:
      gp_widget_set_value (widget, (void *) on_shutter_button_cb);
      gp_widget_set_info (widget, "Takes a picture as the camera's own shutter button does");
      break;

    case KIND_DATETIME:
      {
        int value = (int) (g_get_real_time () / G_USEC_PER_SEC + s->clock_offset);

        gp_widget_set_value (widget, &value);
      }
      break;

    case KIND_ARTIST:
      gp_widget_set_value (widget, s->artist);
      break;

    case KIND_COPYRIGHT:
      gp_widget_set_value (widget, s->copyright);
      break;

    case KIND_MANUFACTURER:
      gp_widget_set_value (widget, "Capa");
      break;

    case KIND_MODEL:
      gp_widget_set_value (widget, DEMO_MODEL);
      break;

    case KIND_SERIAL:
      gp_widget_set_value (widget, "CAPA-DEMO-0001");
      break;

    case KIND_BATTERY:
      gp_widget_set_value (widget, "100%");
      break;

    case KIND_SHUTTER_COUNT:
      {
        g_autofree char *count = g_strdup_printf ("%u", demo_state_get_shutter_count ());

        gp_widget_set_value (widget, count);
      }
      break;

    case KIND_ISO:
      gp_widget_set_value (widget, iso_choices[s->iso]);
      break;

    case KIND_WHITE_BALANCE:
      gp_widget_set_value (widget, white_balance_choices[s->white_balance]);
      break;

    case KIND_QUALITY:
      gp_widget_set_value (widget, quality_choices[s->quality]);
      break;

    case KIND_NOISE_REDUCTION:
      {
        int value = s->noise_reduction;

        gp_widget_set_value (widget, &value);
      }
      break;

    case KIND_F_NUMBER:
      gp_widget_set_value (widget, f_number_choices[s->f_number]);
      break;

    case KIND_SHUTTER_SPEED:
      gp_widget_set_value (widget, shutter_choices[s->shutter]);
      break;

    case KIND_EXPOSURE_BIAS:
      {
        float value = s->exposure_bias;

        gp_widget_set_range (widget, -3.0, 3.0, BIAS_STEP);
        gp_widget_set_value (widget, &value);
      }
      break;

    case KIND_FOCAL_LENGTH:
      {
        float value = s->focal_length;

        gp_widget_set_range (widget, 24.0, 70.0, 1.0);
        gp_widget_set_value (widget, &value);
      }
      break;

    case KIND_FOCUS_MODE:
      gp_widget_set_value (widget, focus_choices[s->focus_mode]);
      break;

    default:
      g_assert_not_reached ();
    }

  gp_widget_set_changed (widget, 0);
  return widget;
}

static int
choice_index (const char * const *choices,
              const char         *value)
{
  for (int i = 0; value != NULL && choices[i] != NULL; i++)
    if (g_str_equal (choices[i], value))
      return i;
  return -1;
}

/* A value read from a widget, checked, to be applied later. */
typedef struct
{
  const Setting *setting;
  int            index;
  double         number;
  char          *text;
  gboolean       press;
} Change;

static void
change_clear (gpointer data)
{
  Change *change = data;

  g_free (change->text);
}

/* Reads and checks @widget's value as a new value of @setting. */
static int
read_change (const Setting *setting,
             CameraWidget  *widget,
             Change        *change)
{
  CameraWidgetType type;
  int r;

  *change = (Change) { .setting = setting };
  if ((r = gp_widget_get_type (widget, &type)) < GP_OK)
    return r;
  if (type != setting->type)
    return GP_ERROR_BAD_PARAMETERS;
  if (setting->read_only)
    return GP_ERROR_NOT_SUPPORTED;

  switch (setting->type)
    {
    case GP_WIDGET_BUTTON:
      change->press = TRUE;
      return GP_OK;

    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      {
        const char *value = NULL;

        if ((r = gp_widget_get_value (widget, &value)) < GP_OK)
          return r;
        change->index = choice_index (setting->choices, value);
        return change->index < 0 ? GP_ERROR_BAD_PARAMETERS : GP_OK;
      }

    case GP_WIDGET_TEXT:
      {
        const char *value = NULL;

        if ((r = gp_widget_get_value (widget, &value)) < GP_OK)
          return r;
        if (value == NULL || strlen (value) > 63 || !g_utf8_validate (value, -1, NULL))
          return GP_ERROR_BAD_PARAMETERS;
        change->text = g_strdup (value);
        return GP_OK;
      }

    case GP_WIDGET_TOGGLE:
    case GP_WIDGET_DATE:
      {
        int value = 0;

        if ((r = gp_widget_get_value (widget, &value)) < GP_OK)
          return r;
        change->number = value;
        return GP_OK;
      }

    case GP_WIDGET_RANGE:
      {
        float value = 0, low = 0, high = 0, step = 1;

        if ((r = gp_widget_get_value (widget, &value)) < GP_OK)
          return r;
        gp_widget_get_range (widget, &low, &high, &step);
        if (setting->kind == KIND_EXPOSURE_BIAS)
          low = -3, high = 3, step = BIAS_STEP;
        else
          low = 24, high = 70, step = 1;
        if (!isfinite (value) || value < low - 1e-3 || value > high + 1e-3)
          return GP_ERROR_BAD_PARAMETERS;
        change->number = CLAMP (round (value / step) * step, low, high);
        return GP_OK;
      }

    case GP_WIDGET_WINDOW:
    case GP_WIDGET_SECTION:
    default:
      return GP_ERROR_BAD_PARAMETERS;
    }
}

/* Under the lock. */
static void
apply_change (const Change *change)
{
  DemoSettings *s = demo_settings_get ();

  switch (change->setting->kind)
    {
    case KIND_DATETIME:
      s->clock_offset = (gint64) change->number - g_get_real_time () / G_USEC_PER_SEC;
      break;

    case KIND_ARTIST:
      g_free (s->artist);
      s->artist = g_strdup (change->text);
      break;

    case KIND_COPYRIGHT:
      g_free (s->copyright);
      s->copyright = g_strdup (change->text);
      break;

    case KIND_ISO:
      s->iso = change->index;
      break;

    case KIND_WHITE_BALANCE:
      s->white_balance = change->index;
      break;

    case KIND_QUALITY:
      s->quality = change->index;
      break;

    case KIND_NOISE_REDUCTION:
      s->noise_reduction = change->number != 0;
      break;

    case KIND_F_NUMBER:
      s->f_number = change->index;
      break;

    case KIND_SHUTTER_SPEED:
      s->shutter = change->index;
      break;

    case KIND_EXPOSURE_BIAS:
      s->exposure_bias = change->number;
      break;

    case KIND_FOCAL_LENGTH:
      s->focal_length = change->number;
      break;

    case KIND_FOCUS_MODE:
      s->focus_mode = change->index;
      break;

    case KIND_SHUTTER_BUTTON:
    case KIND_MANUFACTURER:
    case KIND_MODEL:
    case KIND_SERIAL:
    case KIND_BATTERY:
    case KIND_SHUTTER_COUNT:
    default:
      break;
    }
}

/* Applies @changes (all checked) in order; presses buttons last. */
static int
apply_changes (Camera    *camera,
               GArray    *changes,
               GPContext *context)
{
  gboolean press = FALSE;

  demo_state_lock ();
  for (guint i = 0; i < changes->len; i++)
    {
      const Change *change = &g_array_index (changes, Change, i);

      if (change->press)
        press = TRUE;
      else
        apply_change (change);
    }
  demo_state_unlock ();

  return press ? demo_press_shutter_button (camera, context) : GP_OK;
}

int
demo_settings_get_config (Camera        *camera,
                          CameraWidget **window,
                          GPContext     *context)
{
  CameraWidget *root = NULL;

  gp_widget_new (GP_WIDGET_WINDOW, "Camera and Driver Configuration", &root);
  gp_widget_set_name (root, "main");

  demo_state_lock ();
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      CameraWidget *section = NULL;

      gp_widget_new (GP_WIDGET_SECTION, sections[i].label, &section);
      gp_widget_set_name (section, sections[i].name);
      gp_widget_append (root, section);
      for (guint j = 0; j < G_N_ELEMENTS (settings); j++)
        if (g_str_equal (settings[j].section, sections[i].name))
          gp_widget_append (section, make_widget (&settings[j]));
    }
  demo_state_unlock ();

  *window = root;
  return GP_OK;
}

int
demo_settings_set_config (Camera       *camera,
                          CameraWidget *window,
                          GPContext    *context)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));

  g_array_set_clear_func (changes, change_clear);

  /* Every changed value is checked before any is applied. */
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      CameraWidget *child = NULL;
      Change change;
      int r;

      if (gp_widget_get_child_by_name (window, settings[i].name, &child) < GP_OK ||
          !gp_widget_changed (child))
        continue;
      if ((r = read_change (&settings[i], child, &change)) < GP_OK)
        {
          change_clear (&change);
          gp_context_error (context, "Cannot set “%s”", settings[i].label);
          return r;
        }
      g_array_append_val (changes, change);
    }

  return apply_changes (camera, changes, context);
}

int
demo_settings_get_single (Camera        *camera,
                          const char    *name,
                          CameraWidget **widget,
                          GPContext     *context)
{
  const Setting *setting = find_setting (name);

  if (setting == NULL)
    return GP_ERROR_BAD_PARAMETERS;

  demo_state_lock ();
  *widget = make_widget (setting);
  demo_state_unlock ();
  return GP_OK;
}

int
demo_settings_set_single (Camera       *camera,
                          const char   *name,
                          CameraWidget *widget,
                          GPContext    *context)
{
  const Setting *setting = find_setting (name);
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));
  Change change;
  int r;

  g_array_set_clear_func (changes, change_clear);
  if (setting == NULL)
    return GP_ERROR_BAD_PARAMETERS;
  if ((r = read_change (setting, widget, &change)) < GP_OK)
    {
      change_clear (&change);
      return r;
    }
  g_array_append_val (changes, change);
  return apply_changes (camera, changes, context);
}

int
demo_settings_list (Camera     *camera,
                    CameraList *list,
                    GPContext  *context)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    gp_list_append (list, settings[i].name, NULL);
  return GP_OK;
}
