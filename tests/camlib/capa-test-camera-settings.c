/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The test camera driver's settings tree: every widget type, values kept
 * in tc_state, and what setting each one does (see README.md). */

#define G_LOG_DOMAIN "CapaTestCamera"

#include "config.h"

#include <libintl.h>
#include <string.h>

#include "capa-test-camera-private.h"

const SectionInfo tc_sections[N_SECTIONS] = {
  [SECTION_ACTIONS] = { "actions", "Camera Actions" },
  [SECTION_SETTINGS] = { "settings", "Camera Settings" },
  [SECTION_STATUS] = { "status", "Camera Status Information" },
  [SECTION_IMAGE] = { "imgsettings", "Image Settings" },
  [SECTION_CAPTURE] = { "capturesettings", "Capture Settings" },
  [SECTION_TESTING] = { "testing", "Test Camera" },
};

/* The choices of the settings marked translated are msgids of ptp2 (its
 * capture target, Canon's image formats and remote release, "Bulb"), shown
 * in libgphoto2's language as ptp2 shows them; the camera keeps the
 * English words. */
static const char * const capturetarget_choices[] = { "Internal RAM", "Memory card", NULL };

static const char * const iso_choices[] = {
  "Auto", "100", "200", "400", "800", "1600", "3200", "6400", NULL
};

static const char * const whitebalance_choices[] = {
  "Automatic", "Daylight", "Cloudy", "Shade", "Tungsten", "Fluorescent", "Flash", NULL
};

static const char * const imagequality_choices[] = {
  "JPEG Basic", "JPEG Normal", "JPEG Fine", "RAW + JPEG Fine", NULL
};

static const char * const fnumber_choices[] = {
  "f/1.8", "f/2.8", "f/4", "f/5.6", "f/8", "f/11", "f/16", "f/22", NULL
};

static const char * const shutterspeed_choices[] = {
  "1/4000", "1/1000", "1/250", "1/125", "1/60", "1/30", "1/15", "1/4", "1", "30", "Bulb", NULL
};

static const char * const focusmode_choices[] = { "Manual", "AF-S", "AF-C", "AF-A", NULL };

static const char * const eosremoterelease_choices[] = {
  "None", "Press Half", "Press Full", "Release Half", "Release Full", NULL
};

const Setting tc_settings[N_SETTINGS] = {
  [SETTING_TRIGGER] = {
    SECTION_ACTIONS, "trigger", "Press the Camera's Shutter Button",
    "A shot taken with the camera's own button: a new file and a file-added event",
    GP_WIDGET_BUTTON,
  },
  [SETTING_SIMULATE] = {
    SECTION_ACTIONS, "simulate", "Simulate Actions on the Camera",
    "Comma-separated: shot, shot=N, change=NAME:VALUE, quiet=NAME:VALUE, delay=MS "
    "(see the README)",
    GP_WIDGET_TEXT, .initial = "",
  },
  [SETTING_AUTOFOCUSDRIVE] = {
    SECTION_ACTIONS, "autofocusdrive", "Drive Autofocus", NULL,
    GP_WIDGET_TOGGLE, .initial = "0",
  },
  [SETTING_MANUALFOCUSDRIVE] = {
    SECTION_ACTIONS, "manualfocusdrive", "Drive Manual Focus",
    "Moves the focus by this many steps (negative: nearer)",
    GP_WIDGET_RANGE, .min = -32767, .max = 32767, .step = 1, .initial = "0",
  },
  [SETTING_VIEWFINDER] = {
    SECTION_ACTIONS, "viewfinder", "Viewfinder", NULL,
    GP_WIDGET_TOGGLE, .initial = "0",
  },
  [SETTING_PRESS] = {
    SECTION_ACTIONS, "press", "Count a Press",
    "An action with no other effect: adds one to /main/status/presses",
    GP_WIDGET_BUTTON,
  },
  [SETTING_BULB] = {
    SECTION_ACTIONS, "bulb", "Bulb Mode",
    "With the shutter speed Bulb: on opens the shutter, off closes it and takes the picture",
    GP_WIDGET_TOGGLE, .initial = "0",
  },
  [SETTING_EOSREMOTERELEASE] = {
    SECTION_ACTIONS, "eosremoterelease", "Canon EOS Remote Release",
    "With the fault remote-release, in place of Bulb Mode: Press Full opens the shutter "
    "(shutter speed Bulb), Release Full closes it and takes the picture",
    GP_WIDGET_RADIO, .choices = eosremoterelease_choices, .initial = "None", .translated = TRUE,
  },
  [SETTING_DATETIME] = {
    SECTION_SETTINGS, "datetime", "Camera Date and Time", NULL,
    GP_WIDGET_DATE, .initial = "1767225600",
  },
  [SETTING_OWNER] = {
    SECTION_SETTINGS, "ownername", "Owner Name", NULL,
    GP_WIDGET_TEXT, .initial = "",
  },
  [SETTING_COPYRIGHT] = {
    SECTION_SETTINGS, "copyright", "Copyright", NULL,
    GP_WIDGET_TEXT, .initial = "",
  },
  [SETTING_CAPTURETARGET] = {
    SECTION_SETTINGS, "capturetarget", "Capture Target", NULL,
    GP_WIDGET_RADIO, .choices = capturetarget_choices, .initial = "Memory card",
    .translated = TRUE,
  },
  [SETTING_SERIALNUMBER] = {
    SECTION_STATUS, "serialnumber", "Serial Number", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = "CAPA00000001",
  },
  [SETTING_MANUFACTURER] = {
    SECTION_STATUS, "manufacturer", "Camera Manufacturer", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = "Capa",
  },
  [SETTING_CAMERAMODEL] = {
    SECTION_STATUS, "cameramodel", "Camera Model", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = TC_MODEL,
  },
  [SETTING_BATTERYLEVEL] = {
    SECTION_STATUS, "batterylevel", "Battery Level", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = "100%",
  },
  [SETTING_SHUTTERCOUNTER] = {
    SECTION_STATUS, "shuttercounter", "Shutter Counter", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = "0",
  },
  [SETTING_FOCUSPOSITION] = {
    SECTION_STATUS, "focusposition", "Focus Position", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = "0",
  },
  [SETTING_PRESSES] = {
    SECTION_STATUS, "presses", "Presses of Count a Press", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = "0",
  },
  [SETTING_MANUFACTUREDATE] = {
    SECTION_STATUS, "manufacturedate", "Date of Manufacture", NULL,
    GP_WIDGET_DATE, TRUE, .initial = "1700000000",
  },
  [SETTING_ISO] = {
    SECTION_IMAGE, "iso", "ISO Speed", NULL,
    GP_WIDGET_RADIO, .choices = iso_choices, .initial = "400",
  },
  [SETTING_WHITEBALANCE] = {
    SECTION_IMAGE, "whitebalance", "White Balance", NULL,
    GP_WIDGET_MENU, .choices = whitebalance_choices, .initial = "Automatic",
  },
  [SETTING_IMAGEQUALITY] = {
    SECTION_IMAGE, "imagequality", "Image Quality", NULL,
    GP_WIDGET_MENU, .choices = imagequality_choices, .initial = "JPEG Fine",
    .translated = TRUE,
  },
  [SETTING_FNUMBER] = {
    SECTION_CAPTURE, "f-number", "F-Number", NULL,
    GP_WIDGET_RADIO, .choices = fnumber_choices, .initial = "f/5.6",
  },
  [SETTING_SHUTTERSPEED] = {
    SECTION_CAPTURE, "shutterspeed", "Shutter Speed", NULL,
    GP_WIDGET_RADIO, .choices = shutterspeed_choices, .initial = "1/125",
    .translated = TRUE,
  },
  [SETTING_EXPOSURECOMPENSATION] = {
    SECTION_CAPTURE, "exposurecompensation", "Exposure Compensation", NULL,
    GP_WIDGET_RANGE, .min = -5, .max = 5, .step = 0.5f, .initial = "0",
  },
  [SETTING_FOCUSMODE] = {
    SECTION_CAPTURE, "focusmode", "Focus Mode", NULL,
    GP_WIDGET_MENU, .choices = focusmode_choices, .initial = "AF-S",
  },
  [SETTING_AUTOISO] = {
    SECTION_CAPTURE, "autoiso", "Auto ISO", NULL,
    GP_WIDGET_TOGGLE, .initial = "0",
  },
  [SETTING_FAULTS] = {
    SECTION_TESTING, "faults", "Injected Faults",
    "Comma-separated faults (see the README); empty for none",
    GP_WIDGET_TEXT, .initial = "",
  },
  [SETTING_CALLS] = {
    SECTION_TESTING, "calls", "Driver Calls Since the Faults Were Set", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = "0",
  },
  [SETTING_LASTBULB] = {
    SECTION_TESTING, "lastbulb", "Last Bulb Exposure (ms)", NULL,
    GP_WIDGET_TEXT, TRUE, .initial = "0",
  },
  [SETTING_RESET] = {
    SECTION_TESTING, "reset", "Reset the Test Camera",
    "Empties the card and restores every setting and fault to its initial value",
    GP_WIDGET_BUTTON,
  },
};

void
tc_value_set_initial (SettingId id)
{
  const Setting *s = &tc_settings[id];
  Value *v = &tc_state.values[id];

  g_clear_pointer (&v->text, g_free);
  v->number = 0;
  v->integer = 0;
  switch (s->type)
    {
    case GP_WIDGET_TEXT:
    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      v->text = g_strdup (s->initial);
      break;
    case GP_WIDGET_RANGE:
      v->number = (float) g_ascii_strtod (s->initial, NULL);
      break;
    case GP_WIDGET_TOGGLE:
    case GP_WIDGET_DATE:
      v->integer = (int) g_ascii_strtoll (s->initial, NULL, 10);
      break;
    case GP_WIDGET_BUTTON:
    case GP_WIDGET_WINDOW:
    case GP_WIDGET_SECTION:
    default:
      break;
    }
}

gboolean
tc_setting_present (SettingId id)
{
  if (id == SETTING_BULB)
    return !tc_state.faults.remote_release;
  if (id == SETTING_EOSREMOTERELEASE)
    return tc_state.faults.remote_release;
  return TRUE;
}

int
tc_find_setting (const char *name)
{
  for (int i = 0; i < N_SETTINGS; i++)
    if (g_strcmp0 (tc_settings[i].name, name) == 0)
      return tc_setting_present (i) ? i : -1;
  return -1;
}

const char *
tc_choice_label (const Setting *s,
                 const char    *choice)
{
  return s->translated && choice != NULL ? dgettext (TC_GP_DOMAIN, choice) : choice;
}

/* The choice of @s that the camera shows as @label, or NULL. */
static const char *
choice_for_label (const Setting *s,
                  const char    *label)
{
  for (guint i = 0; label != NULL && s->choices[i] != NULL; i++)
    if (g_str_equal (tc_choice_label (s, s->choices[i]), label))
      return s->choices[i];
  return NULL;
}

gboolean
tc_is_choice (const Setting *s,
              const char    *value)
{
  return value != NULL && g_strv_contains ((const char * const *) s->choices, value);
}

static int
on_button_pressed (Camera       *camera,
                   CameraWidget *widget,
                   GPContext    *context);

int
tc_make_widget (SettingId      id,
                CameraWidget **out)
{
  const Setting *s = &tc_settings[id];
  Value *v = &tc_state.values[id];
  CameraWidget *widget = NULL;
  int ret;

  ret = gp_widget_new (s->type, s->label, &widget);
  if (ret < GP_OK)
    return ret;
  gp_widget_set_name (widget, s->name);
  if (s->info != NULL)
    gp_widget_set_info (widget, s->info);
  gp_widget_set_readonly (widget, s->readonly);

  switch (s->type)
    {
    case GP_WIDGET_TEXT:
      if (id == SETTING_FAULTS)
        {
          g_autofree char *faults = tc_faults_to_string (&tc_state.faults);

          gp_widget_set_value (widget, faults);
        }
      else if (id == SETTING_LASTBULB)
        {
          g_autofree char *ms = g_strdup_printf ("%u", tc_state.last_bulb_ms);

          gp_widget_set_value (widget, ms);
        }
      else if (id == SETTING_CALLS)
        {
          g_autofree char *calls = g_strdup_printf ("%u", tc_state.calls);

          gp_widget_set_value (widget, calls);
        }
      else if (id == SETTING_FOCUSPOSITION)
        {
          g_autofree char *position = g_strdup_printf ("%d", tc_state.focus_position);

          gp_widget_set_value (widget, position);
        }
      else if (id == SETTING_PRESSES)
        {
          g_autofree char *presses = g_strdup_printf ("%u", tc_state.presses);

          gp_widget_set_value (widget, presses);
        }
      else
        gp_widget_set_value (widget, v->text);
      break;

    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      for (guint i = 0; s->choices[i] != NULL; i++)
        gp_widget_add_choice (widget, tc_choice_label (s, s->choices[i]));
      gp_widget_set_value (widget, tc_choice_label (s, v->text));
      break;

    case GP_WIDGET_RANGE:
      gp_widget_set_range (widget, s->min, s->max, s->step);
      gp_widget_set_value (widget, &v->number);
      break;

    case GP_WIDGET_TOGGLE:
    case GP_WIDGET_DATE:
      gp_widget_set_value (widget, &v->integer);
      break;

    case GP_WIDGET_BUTTON:
      gp_widget_set_value (widget, (void *) on_button_pressed);
      break;

    case GP_WIDGET_WINDOW:
    case GP_WIDGET_SECTION:
    default:
      g_assert_not_reached ();
    }

  /* Values set while building are not changes made by the caller. */
  gp_widget_set_changed (widget, 0);
  *out = widget;
  return GP_OK;
}

static int
press_button (Camera    *camera,
              SettingId  id,
              GPContext *context)
{
  if (id == SETTING_TRIGGER)
    return tc_shot_on_camera (camera, context);

  if (id == SETTING_PRESS)
    {
      tc_state.presses++;
      return GP_OK;
    }

  if (id == SETTING_RESET)
    {
      tc_reset_state ();
      gp_filesystem_reset (camera->fs);
      return GP_OK;
    }

  return GP_ERROR_NOT_SUPPORTED;
}

static int
on_button_pressed (Camera       *camera,
                   CameraWidget *widget,
                   GPContext    *context)
{
  const char *name = NULL;
  int id;
  int ret;

  gp_widget_get_name (widget, &name);
  id = tc_find_setting (name);

  ret = tc_begin_call (camera, context, "button");
  if (ret == GP_OK)
    ret = id < 0 ? GP_ERROR_BAD_PARAMETERS : press_button (camera, id, context);
  tc_end_call ();
  return ret;
}

/* Applies a value the caller changed in @widget to the setting @id. */
int
tc_apply_widget (Camera       *camera,
                 SettingId     id,
                 CameraWidget *widget,
                 GPContext    *context)
{
  const Setting *s = &tc_settings[id];
  Value *v = &tc_state.values[id];
  CameraWidgetType type;
  int ret;

  ret = gp_widget_get_type (widget, &type);
  if (ret < GP_OK)
    return ret;
  if (type != s->type)
    {
      gp_context_error (context, "Capa Test Camera: '%s' is not of that widget type", s->name);
      return GP_ERROR_BAD_PARAMETERS;
    }
  if (s->readonly)
    {
      gp_context_error (context, "Capa Test Camera: '%s' is read-only", s->name);
      return GP_ERROR_NOT_SUPPORTED;
    }
  /* A camera busy after a shot refuses settings, not the test's own. */
  if (s->section != SECTION_TESTING && id != SETTING_SIMULATE && id != SETTING_TRIGGER &&
      id != SETTING_BULB && id != SETTING_EOSREMOTERELEASE)
    {
      ret = tc_check_busy (context);
      if (ret < GP_OK)
        return ret;
    }

  switch (s->type)
    {
    case GP_WIDGET_TEXT:
      {
        const char *text = NULL;

        gp_widget_get_value (widget, &text);
        if (id == SETTING_FAULTS)
          return tc_set_faults (text, context);
        if (id == SETTING_SIMULATE)
          return tc_simulate (camera, text, context);
        g_free (v->text);
        v->text = g_strdup (text ? text : "");
        return GP_OK;
      }

    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      {
        const char *text = NULL;
        const char *choice;

        /* As ptp2: a translated choice is known by its translation only. */
        gp_widget_get_value (widget, &text);
        choice = choice_for_label (s, text);
        if (choice == NULL)
          {
            gp_context_error (context, "Capa Test Camera: '%s' is not a choice of '%s'",
                              text ? text : "(null)", s->name);
            return GP_ERROR_BAD_PARAMETERS;
          }
        if (id == SETTING_EOSREMOTERELEASE)
          return tc_remote_release (camera, choice, context);
        g_free (v->text);
        v->text = g_strdup (choice);
        return GP_OK;
      }

    case GP_WIDGET_RANGE:
      {
        float number = 0;

        gp_widget_get_value (widget, &number);
        if (!(number >= s->min && number <= s->max))
          {
            gp_context_error (context, "Capa Test Camera: %g is out of the range of '%s'",
                              number, s->name);
            return GP_ERROR_BAD_PARAMETERS;
          }
        if (id == SETTING_MANUALFOCUSDRIVE)
          tc_state.focus_position += (int) number;
        else
          v->number = number;
        return GP_OK;
      }

    case GP_WIDGET_TOGGLE:
      {
        int toggle = 0;

        gp_widget_get_value (widget, &toggle);
        if (id == SETTING_BULB)
          {
            ret = tc_bulb (camera, toggle != 0, context);
            if (ret == GP_OK)
              v->integer = toggle ? 1 : 0;
            return ret;
          }
        /* Autofocus is an action: it runs and reads back as off. */
        if (id != SETTING_AUTOFOCUSDRIVE)
          v->integer = toggle ? 1 : 0;
        return GP_OK;
      }

    case GP_WIDGET_DATE:
      gp_widget_get_value (widget, &v->integer);
      return GP_OK;

    case GP_WIDGET_BUTTON:
      return press_button (camera, id, context);

    case GP_WIDGET_WINDOW:
    case GP_WIDGET_SECTION:
    default:
      return GP_ERROR_NOT_SUPPORTED;
    }
}

int
tc_get_config_locked (Camera        *camera,
                      CameraWidget **window,
                      GPContext     *context)
{
  CameraWidget *sections_w[N_SECTIONS];
  int ret;

  if (tc_state.faults.fuzz)
    return tc_fuzz_get_config (window);

  ret = gp_widget_new (GP_WIDGET_WINDOW, "Capa Test Camera Configuration", window);
  if (ret < GP_OK)
    return ret;
  gp_widget_set_name (*window, "main");

  for (guint i = 0; i < N_SECTIONS; i++)
    {
      gp_widget_new (GP_WIDGET_SECTION, tc_sections[i].label, &sections_w[i]);
      gp_widget_set_name (sections_w[i], tc_sections[i].name);
      gp_widget_append (*window, sections_w[i]);
    }

  for (guint i = 0; i < N_SETTINGS; i++)
    {
      CameraWidget *widget = NULL;

      if (!tc_setting_present (i))
        continue;
      ret = tc_make_widget (i, &widget);
      if (ret < GP_OK)
        {
          gp_widget_free (*window);
          *window = NULL;
          return ret;
        }
      gp_widget_append (sections_w[tc_settings[i].section], widget);
    }

  return GP_OK;
}

int
tc_set_config_locked (Camera       *camera,
                      CameraWidget *window,
                      GPContext    *context)
{
  for (guint i = 0; i < N_SETTINGS; i++)
    {
      CameraWidget *widget = NULL;
      int ret;

      if (!tc_setting_present (i) ||
          gp_widget_get_child_by_name (window, tc_settings[i].name, &widget) < GP_OK)
        continue;
      if (!gp_widget_changed (widget))
        continue;
      ret = tc_apply_widget (camera, i, widget, context);
      if (ret < GP_OK)
        return ret;
    }

  return GP_OK;
}
