/* SPDX-License-Identifier: GPL-3.0-or-later */

/* capa_test_camera: a libgphoto2 camera driver ("camlib") for Capa's tests.
 *
 * It declares the USB ids of the virtual Nikon D750 that libgphoto2's vusb
 * port driver emulates, so that with IOLIBS pointing at vusb and CAMLIBS at
 * the folder holding only this driver, "Capa Test Camera" is detected on
 * usb:001,001.  It never talks to the port: the camera lives in this file.
 *
 * Its state (settings, memory card, faults) is process-wide and survives
 * gp_camera_exit() and a new gp_camera_init(): the module is linked with
 * -z nodelete, so libltdl's dlclose() leaves it loaded.  All state is guarded
 * by one mutex; a call of the driver made from inside another of its calls
 * (libgphoto2's filesystem layer calling back into the driver) runs under
 * the lock the outer call took.
 *
 * README in this folder documents the features and every injected fault.
 */

#define G_LOG_DOMAIN "CapaTestCamera"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <gphoto2/gphoto2-library.h>
#include <gphoto2/gphoto2-result.h>

#include "capa-test-camera-image.h"

#define EXPORT __attribute__ ((visibility ("default")))

#define TC_MODEL        "Capa Test Camera"
#define TC_STORE        "/store_00010001"
#define TC_DCIM         TC_STORE "/DCIM"
#define TC_FOLDER       TC_DCIM "/100CAPA"
#define TC_USB_VENDOR   0x04b0
#define TC_USB_PRODUCT  0x0437

#define SHOT_WIDTH      960
#define SHOT_HEIGHT     640
#define PREVIEW_WIDTH   640
#define PREVIEW_HEIGHT  426
#define THUMB_SIDE      160

/* How often a wait checks the context for cancellation. */
#define CANCEL_POLL_US  (20 * G_TIME_SPAN_MILLISECOND)

/* ------------------------------------------------------------------ */
/* The settings tree                                                   */

typedef enum
{
  SECTION_ACTIONS,
  SECTION_SETTINGS,
  SECTION_STATUS,
  SECTION_IMAGE,
  SECTION_CAPTURE,
  SECTION_TESTING,
  N_SECTIONS,
} Section;

static const struct
{
  const char *name;
  const char *label;
} sections[N_SECTIONS] = {
  [SECTION_ACTIONS] = { "actions", "Camera Actions" },
  [SECTION_SETTINGS] = { "settings", "Camera Settings" },
  [SECTION_STATUS] = { "status", "Camera Status Information" },
  [SECTION_IMAGE] = { "imgsettings", "Image Settings" },
  [SECTION_CAPTURE] = { "capturesettings", "Capture Settings" },
  [SECTION_TESTING] = { "testing", "Test Camera" },
};

typedef enum
{
  SETTING_TRIGGER,
  SETTING_SIMULATE,
  SETTING_AUTOFOCUSDRIVE,
  SETTING_MANUALFOCUSDRIVE,
  SETTING_VIEWFINDER,
  SETTING_DATETIME,
  SETTING_OWNER,
  SETTING_COPYRIGHT,
  SETTING_CAPTURETARGET,
  SETTING_SERIALNUMBER,
  SETTING_MANUFACTURER,
  SETTING_CAMERAMODEL,
  SETTING_BATTERYLEVEL,
  SETTING_SHUTTERCOUNTER,
  SETTING_FOCUSPOSITION,
  SETTING_MANUFACTUREDATE,
  SETTING_ISO,
  SETTING_WHITEBALANCE,
  SETTING_IMAGEQUALITY,
  SETTING_FNUMBER,
  SETTING_SHUTTERSPEED,
  SETTING_EXPOSURECOMPENSATION,
  SETTING_FOCUSMODE,
  SETTING_AUTOISO,
  SETTING_FAULTS,
  SETTING_CALLS,
  SETTING_RESET,
  N_SETTINGS,
} SettingId;

static const char * const capturetarget_choices[] = { "Internal RAM", "Memory card", NULL };
static const char * const iso_choices[] = {
  "Auto", "100", "200", "400", "800", "1600", "3200", "6400", NULL
};
static const char * const whitebalance_choices[] = {
  "Automatic", "Daylight", "Cloudy", "Shade", "Tungsten", "Fluorescent", "Flash", NULL
};
static const char * const imagequality_choices[] = {
  "JPEG Basic", "JPEG Normal", "JPEG Fine", NULL
};
static const char * const fnumber_choices[] = {
  "f/1.8", "f/2.8", "f/4", "f/5.6", "f/8", "f/11", "f/16", "f/22", NULL
};
static const char * const shutterspeed_choices[] = {
  "1/4000", "1/1000", "1/250", "1/125", "1/60", "1/30", "1/15", "1/4", "1", "30", "Bulb", NULL
};
static const char * const focusmode_choices[] = { "Manual", "AF-S", "AF-C", "AF-A", NULL };

typedef struct
{
  Section              section;
  const char          *name;
  const char          *label;
  const char          *info;
  CameraWidgetType     type;
  gboolean             readonly;
  const char * const  *choices;     /* RADIO and MENU */
  float                min, max, step;  /* RANGE */
  const char          *initial;     /* TEXT, RADIO, MENU: the text; RANGE, TOGGLE, DATE: a number */
} Setting;

static const Setting settings[N_SETTINGS] = {
  [SETTING_TRIGGER] = {
    SECTION_ACTIONS, "trigger", "Press the Camera's Shutter Button",
    "A shot taken with the camera's own button: a new file and a file-added event",
    GP_WIDGET_BUTTON,
  },
  [SETTING_SIMULATE] = {
    SECTION_ACTIONS, "simulate", "Simulate Actions on the Camera",
    "Comma-separated: shot, shot=N, change=NAME:VALUE, delay=MS (see the README)",
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
  },
  [SETTING_FNUMBER] = {
    SECTION_CAPTURE, "f-number", "F-Number", NULL,
    GP_WIDGET_RADIO, .choices = fnumber_choices, .initial = "f/5.6",
  },
  [SETTING_SHUTTERSPEED] = {
    SECTION_CAPTURE, "shutterspeed", "Shutter Speed", NULL,
    GP_WIDGET_RADIO, .choices = shutterspeed_choices, .initial = "1/125",
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
  [SETTING_RESET] = {
    SECTION_TESTING, "reset", "Reset the Test Camera",
    "Empties the card and restores every setting and fault to its initial value",
    GP_WIDGET_BUTTON,
  },
};

typedef struct
{
  char  *text;      /* TEXT, RADIO, MENU */
  float  number;    /* RANGE */
  int    integer;   /* TOGGLE, DATE */
} Value;

/* ------------------------------------------------------------------ */
/* Faults, the card, events                                            */

typedef struct
{
  guint    io_error_on_call;        /* 0: off; N: the N-th call fails */
  int      busy;                    /* 0: off; -1: always; N: the next N captures */
  guint    slow_ms;
  gboolean unplug;
  gboolean unplug_during_download;
  gboolean corrupt_data;
  gboolean truncated_data;
  gboolean corrupt_preview;
  gboolean no_preview;
  gboolean hostile_names;
  gboolean no_events;
  gboolean card_full;
  gboolean delete_fails;
} Faults;

typedef struct
{
  char   *name;
  char   *mime;
  GBytes *data;
  GBytes *preview;      /* made on first request */
  guint   width;
  guint   height;
  gint64  mtime;        /* seconds since the epoch */
} CardFile;

typedef enum
{
  PENDING_SHOT,
  PENDING_CHANGE,
} PendingKind;

typedef struct
{
  gint64       due;     /* monotonic time */
  PendingKind  kind;
  SettingId    setting; /* PENDING_CHANGE */
  char        *value;   /* PENDING_CHANGE */
} Pending;

typedef struct
{
  CameraEventType  type;
  char            *name;      /* FILE_ADDED */
  char            *text;      /* UNKNOWN */
} QueuedEvent;

static struct
{
  GMutex      mutex;
  GCond       cond;         /* signalled when an event or a pending action is queued */
  gboolean    initialised;

  Value       values[N_SETTINGS];
  GPtrArray  *card;         /* CardFile */
  GQueue      pending;      /* Pending, ordered by due time */
  GQueue      events;       /* QueuedEvent */

  Faults      faults;
  guint       calls;        /* since the faults were last set */
  guint       next_number;  /* of the next file on the card */
  guint       hostile_index;
  guint       frame;        /* live-view frame counter */
  guint       shots;
  int         focus_position;
  gboolean    gone;         /* unplugged: every call fails until camera_init */
} state;

static __thread int call_depth;

/* Names a camera with the hostile-names fault gives its files, in turn.
 * CameraFilePath holds at most 127 bytes of a name, hence the longest. */
static const char * const hostile_names[] = {
  "../../x.jpg",
  "a/b.jpg",
  "ctrl\001\033[31m\nname\t.jpg",
  "",
  "LONGNAME-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.jpg",
  "\377\376not-utf8.jpg",
  ".hidden.jpg",
  "/etc/passwd",
};

static void
card_file_free (gpointer data)
{
  CardFile *file = data;

  g_free (file->name);
  g_free (file->mime);
  g_clear_pointer (&file->data, g_bytes_unref);
  g_clear_pointer (&file->preview, g_bytes_unref);
  g_free (file);
}

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_free (pending->value);
  g_free (pending);
}

static void
queued_event_free (gpointer data)
{
  QueuedEvent *event = data;

  g_free (event->name);
  g_free (event->text);
  g_free (event);
}

static void
value_set_initial (SettingId id)
{
  const Setting *s = &settings[id];
  Value *v = &state.values[id];

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

/* Called with the lock held. */
static void
reset_state (void)
{
  for (guint i = 0; i < N_SETTINGS; i++)
    value_set_initial (i);

  g_clear_pointer (&state.card, g_ptr_array_unref);
  state.card = g_ptr_array_new_with_free_func (card_file_free);
  g_queue_clear_full (&state.pending, pending_free);
  g_queue_clear_full (&state.events, queued_event_free);
  memset (&state.faults, 0, sizeof state.faults);
  state.calls = 0;
  state.next_number = 1;
  state.hostile_index = 0;
  state.frame = 0;
  state.shots = 0;
  state.focus_position = 0;
  state.gone = FALSE;
  state.initialised = TRUE;
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */

static gboolean
parse_count (const char *text,
             guint      *out)
{
  guint64 n = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT, &n, NULL))
    return FALSE;
  *out = (guint) n;
  return TRUE;
}

/* Parses @text ("busy,io-error-on-call=3"); on an unknown fault sets
 * @bad to its name and returns FALSE. */
static gboolean
parse_faults (const char  *text,
              Faults      *faults,
              char       **bad)
{
  g_auto(GStrv) items = g_strsplit (text ? text : "", ",", -1);

  memset (faults, 0, sizeof *faults);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *arg = strchr (item, '=');
      guint n = 0;

      if (arg != NULL)
        *arg++ = '\0';

      if (*item == '\0' && arg == NULL)
        continue;
      else if (g_str_equal (item, "io-error-on-call") && parse_count (arg, &n))
        faults->io_error_on_call = n;
      else if (g_str_equal (item, "busy") && arg == NULL)
        faults->busy = -1;
      else if (g_str_equal (item, "busy") && parse_count (arg, &n))
        faults->busy = (int) n;
      else if (g_str_equal (item, "slow") && parse_count (arg, &n))
        faults->slow_ms = n;
      else if (arg != NULL)
        goto bad;
      else if (g_str_equal (item, "unplug"))
        faults->unplug = TRUE;
      else if (g_str_equal (item, "unplug-during-download"))
        faults->unplug_during_download = TRUE;
      else if (g_str_equal (item, "corrupt-data"))
        faults->corrupt_data = TRUE;
      else if (g_str_equal (item, "truncated-data"))
        faults->truncated_data = TRUE;
      else if (g_str_equal (item, "corrupt-preview"))
        faults->corrupt_preview = TRUE;
      else if (g_str_equal (item, "no-preview"))
        faults->no_preview = TRUE;
      else if (g_str_equal (item, "hostile-names"))
        faults->hostile_names = TRUE;
      else if (g_str_equal (item, "no-events"))
        faults->no_events = TRUE;
      else if (g_str_equal (item, "card-full"))
        faults->card_full = TRUE;
      else if (g_str_equal (item, "delete-fails"))
        faults->delete_fails = TRUE;
      else
        goto bad;
      continue;

    bad:
      *bad = g_strdup (item);
      return FALSE;
    }

  return TRUE;
}

/* The faults still armed, in the syntax parse_faults() reads. */
static char *
faults_to_string (const Faults *f)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  if (f->io_error_on_call)
    g_ptr_array_add (items, g_strdup_printf ("io-error-on-call=%u", f->io_error_on_call));
  if (f->busy < 0)
    g_ptr_array_add (items, g_strdup ("busy"));
  else if (f->busy > 0)
    g_ptr_array_add (items, g_strdup_printf ("busy=%d", f->busy));
  if (f->slow_ms)
    g_ptr_array_add (items, g_strdup_printf ("slow=%u", f->slow_ms));
#define FLAG(field, name) if (f->field) g_ptr_array_add (items, g_strdup (name))
  FLAG (unplug, "unplug");
  FLAG (unplug_during_download, "unplug-during-download");
  FLAG (corrupt_data, "corrupt-data");
  FLAG (truncated_data, "truncated-data");
  FLAG (corrupt_preview, "corrupt-preview");
  FLAG (no_preview, "no-preview");
  FLAG (hostile_names, "hostile-names");
  FLAG (no_events, "no-events");
  FLAG (card_full, "card-full");
  FLAG (delete_fails, "delete-fails");
#undef FLAG
  g_ptr_array_add (items, NULL);

  return g_strjoinv (",", (char **) items->pdata);
}

static int
set_faults (const char  *text,
            GPContext   *context)
{
  g_autofree char *bad = NULL;
  Faults faults;

  if (!parse_faults (text, &faults, &bad))
    {
      gp_context_error (context, "Capa Test Camera: unknown fault '%s'", bad);
      return GP_ERROR_BAD_PARAMETERS;
    }

  state.faults = faults;
  state.calls = 0;
  if (faults.unplug)
    state.gone = TRUE;
  return GP_OK;
}

/* Waits @ms milliseconds without holding the lock, polling the context
 * for cancellation.  Called with the lock held. */
static int
wait_slowly (guint      ms,
             GPContext *context)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (gp_context_cancel (context) == GP_CONTEXT_FEEDBACK_CANCEL)
        return GP_ERROR_CANCEL;
      if (now >= end)
        return GP_OK;
      g_cond_wait_until (&state.cond, &state.mutex, MIN (end, now + CANCEL_POLL_US));
    }
}

/* ------------------------------------------------------------------ */
/* Calls: locking, counting, injected I/O errors                       */

static int
begin_call (GPContext  *context,
            const char *what)
{
  if (call_depth++ > 0)
    return GP_OK;     /* inside another call of ours: locked and counted already */

  g_mutex_lock (&state.mutex);
  if (!state.initialised)
    reset_state ();
  state.calls++;
  g_debug ("call %u: %s", state.calls, what);

  if (state.gone)
    {
      gp_context_error (context, "Capa Test Camera: the camera was unplugged");
      return GP_ERROR_IO_USB_FIND;
    }

  if (state.faults.io_error_on_call != 0 && state.calls == state.faults.io_error_on_call)
    {
      state.faults.io_error_on_call = 0;
      gp_context_error (context, "Capa Test Camera: injected I/O error in %s", what);
      return GP_ERROR_IO;
    }

  return GP_OK;
}

static void
end_call (void)
{
  g_assert (call_depth > 0);

  if (--call_depth == 0)
    g_mutex_unlock (&state.mutex);
}

/* ------------------------------------------------------------------ */
/* The memory card                                                     */

/* Whether @folder names @target; libgphoto2 sometimes adds a slash. */
static gboolean
folder_is (const char *folder,
           const char *target)
{
  gsize len;

  if (folder == NULL)
    return FALSE;
  len = strlen (folder);
  while (len > 1 && folder[len - 1] == '/')
    len--;
  return strlen (target) == len && strncmp (folder, target, len) == 0;
}

static CardFile *
card_lookup (const char *folder,
             const char *name,
             guint      *index)
{
  if (!folder_is (folder, TC_FOLDER))
    return NULL;

  for (guint i = 0; i < state.card->len; i++)
    {
      CardFile *file = g_ptr_array_index (state.card, i);

      if (g_str_equal (file->name, name))
        {
          if (index != NULL)
            *index = i;
          return file;
        }
    }
  return NULL;
}

static const char *
mime_for_name (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return GP_MIME_UNKNOWN;
  if (g_ascii_strcasecmp (dot, ".jpg") == 0 || g_ascii_strcasecmp (dot, ".jpeg") == 0)
    return GP_MIME_JPEG;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return GP_MIME_PNG;
  if (g_ascii_strcasecmp (dot, ".tif") == 0 || g_ascii_strcasecmp (dot, ".tiff") == 0)
    return GP_MIME_TIFF;
  if (g_ascii_strcasecmp (dot, ".nef") == 0)
    return "image/x-nikon-nef";
  if (g_ascii_strcasecmp (dot, ".cr2") == 0)
    return GP_MIME_CR2;
  if (g_ascii_strcasecmp (dot, ".dng") == 0)
    return "image/x-adobe-dng";
  return GP_MIME_UNKNOWN;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The next file of CAPA_TEST_CAMERA_DIR, in name order, cycling; NULL
 * when the variable is unset or the folder holds no regular file. */
static char *
pick_source_file (guint number)
{
  const char *dir = g_getenv ("CAPA_TEST_CAMERA_DIR");
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  const char *name;

  if (dir == NULL || *dir == '\0' || (gdir = g_dir_open (dir, 0, NULL)) == NULL)
    return NULL;

  paths = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  if (paths->len == 0)
    return NULL;

  g_ptr_array_sort (paths, compare_paths);
  return g_strdup (g_ptr_array_index (paths, (number - 1) % paths->len));
}

/* The EXIF block of a picture taken now: the current settings. */
static GBytes *
make_exif (void)
{
  TcExif exif = { 0 };
  const char *speed = state.values[SETTING_SHUTTERSPEED].text;
  const char *fnumber = state.values[SETTING_FNUMBER].text;
  guint64 n = 0;

  exif.make = state.values[SETTING_MANUFACTURER].text;
  exif.model = TC_MODEL;
  if (g_ascii_string_to_unsigned (state.values[SETTING_ISO].text, 10, 1, 409600, &n, NULL))
    exif.iso = (guint) n;
  if (g_str_has_prefix (speed, "1/")
      && g_ascii_string_to_unsigned (speed + 2, 10, 1, 100000, &n, NULL))
    {
      exif.exposure_num = 1;
      exif.exposure_den = (guint) n;
    }
  else if (g_ascii_string_to_unsigned (speed, 10, 1, 100000, &n, NULL))
    {
      exif.exposure_num = (guint) n;
      exif.exposure_den = 1;
    }
  if (g_str_has_prefix (fnumber, "f/"))
    exif.fnumber_x10 = (guint) (g_ascii_strtod (fnumber + 2, NULL) * 10 + 0.5);
  exif.bias_x100 = (int) (state.values[SETTING_EXPOSURECOMPENSATION].number * 100.0f
                          + (state.values[SETTING_EXPOSURECOMPENSATION].number < 0 ? -0.5f : 0.5f));
  exif.datetime = state.values[SETTING_DATETIME].integer;

  return tc_exif_block (&exif);
}

/* Takes a picture: puts a new file on the card and tells libgphoto2's
 * filesystem about it.  Returns the new file (owned by the card). */
static int
take_picture (Camera      *camera,
              GPContext   *context,
              CardFile   **out)
{
  g_autofree char *source = NULL;
  g_autofree char *name = NULL;
  CardFile *file;
  guint number = state.next_number++;
  int ret;

  file = g_new0 (CardFile, 1);
  file->mtime = g_get_real_time () / G_USEC_PER_SEC;

  source = pick_source_file (number);
  if (source != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = g_path_get_basename (source);
      const char *dot = strrchr (base, '.');
      g_autofree char *ext = g_ascii_strup (dot ? dot : ".JPG", -1);
      char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (source, &contents, &length, &error))
        {
          gp_context_error (context, "Capa Test Camera: cannot read %s: %s", source, error->message);
          card_file_free (file);
          return GP_ERROR_IO_READ;
        }
      file->data = g_bytes_new_take (contents, length);
      name = g_strdup_printf ("CAPA%04u%s", number % 10000, ext);
    }
  else
    {
      g_autoptr(GBytes) exif = make_exif ();

      file->data = tc_render_jpeg (SHOT_WIDTH, SHOT_HEIGHT, number, 85, exif);
      file->width = SHOT_WIDTH;
      file->height = SHOT_HEIGHT;
      name = g_strdup_printf ("CAPA%04u.JPG", number % 10000);
    }
  file->mime = g_strdup (mime_for_name (name));

  if (state.faults.hostile_names)
    {
      const char *hostile = hostile_names[state.hostile_index++ % G_N_ELEMENTS (hostile_names)];

      g_free (name);
      name = g_strdup (hostile);
      /* Never two files of one name on the card. */
      while (card_lookup (TC_FOLDER, name, NULL) != NULL)
        {
          char *longer = g_strconcat ("_", name, NULL);

          g_free (name);
          name = longer;
        }
    }
  file->name = g_steal_pointer (&name);

  g_ptr_array_add (state.card, file);
  state.shots++;
  g_free (state.values[SETTING_SHUTTERCOUNTER].text);
  state.values[SETTING_SHUTTERCOUNTER].text = g_strdup_printf ("%u", state.shots);

  ret = gp_filesystem_append (camera->fs, TC_FOLDER, file->name, context);
  if (ret < GP_OK)
    return ret;

  if (out != NULL)
    *out = file;
  return GP_OK;
}

static void
queue_event (CameraEventType  type,
             const char      *name,
             const char      *text)
{
  QueuedEvent *event = g_new0 (QueuedEvent, 1);

  event->type = type;
  event->name = g_strdup (name);
  event->text = g_strdup (text);
  g_queue_push_tail (&state.events, event);
  g_cond_broadcast (&state.cond);
}

static int
shot_on_camera (Camera    *camera,
                GPContext *context)
{
  CardFile *file = NULL;
  int ret;

  ret = take_picture (camera, context, &file);
  if (ret < GP_OK)
    return ret;
  queue_event (GP_EVENT_FILE_ADDED, file->name, NULL);
  return GP_OK;
}

static int
change_on_camera (SettingId   id,
                  const char *value)
{
  g_autofree char *text = NULL;

  g_free (state.values[id].text);
  state.values[id].text = g_strdup (value);
  text = g_strdup_printf ("PTP Property %04x changed, \"%s\" to \"%s\"",
                          0xd000 + id, settings[id].name, value);
  queue_event (GP_EVENT_UNKNOWN, NULL, text);
  return GP_OK;
}

/* Carries out the simulated actions whose time has come. */
static void
run_due_actions (Camera    *camera,
                 GPContext *context)
{
  gint64 now = g_get_monotonic_time ();
  Pending *pending;

  while ((pending = g_queue_peek_head (&state.pending)) != NULL && pending->due <= now)
    {
      g_queue_pop_head (&state.pending);
      if (pending->kind == PENDING_SHOT)
        shot_on_camera (camera, context);
      else
        change_on_camera (pending->setting, pending->value);
      pending_free (pending);
    }
}

static gint
compare_pending (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const Pending *pa = a;
  const Pending *pb = b;

  /* After those due at the same time: actions keep the order given. */
  return pa->due <= pb->due ? -1 : 1;
}

static int
find_setting (const char *name)
{
  for (int i = 0; i < N_SETTINGS; i++)
    if (g_strcmp0 (settings[i].name, name) == 0)
      return i;
  return -1;
}

static gboolean
is_choice (const Setting *s,
           const char    *value)
{
  return value != NULL && g_strv_contains ((const char * const *) s->choices, value);
}

/* Parses and queues the commands of /main/actions/simulate. */
static int
simulate (Camera     *camera,
          const char *commands,
          GPContext  *context)
{
  g_auto(GStrv) items = g_strsplit (commands ? commands : "", ",", -1);
  gint64 due = g_get_monotonic_time ();

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *arg = strchr (item, '=');
      guint n = 1;

      if (arg != NULL)
        *arg++ = '\0';

      if (*item == '\0' && arg == NULL)
        continue;
      else if (g_str_equal (item, "shot") && (arg == NULL || parse_count (arg, &n)))
        {
          for (guint k = 0; k < n; k++)
            {
              Pending *p = g_new0 (Pending, 1);

              p->due = due;
              p->kind = PENDING_SHOT;
              g_queue_insert_sorted (&state.pending, p, compare_pending, NULL);
            }
        }
      else if (g_str_equal (item, "delay") && parse_count (arg, &n))
        due += n * G_TIME_SPAN_MILLISECOND;
      else if (g_str_equal (item, "change") && arg != NULL && strchr (arg, ':') != NULL)
        {
          char *value = strchr (arg, ':');
          int id;
          Pending *p;

          *value++ = '\0';
          id = find_setting (arg);
          if (id < 0 || settings[id].choices == NULL || !is_choice (&settings[id], value))
            {
              gp_context_error (context, "Capa Test Camera: cannot change '%s' to '%s'", arg, value);
              return GP_ERROR_BAD_PARAMETERS;
            }
          p = g_new0 (Pending, 1);
          p->due = due;
          p->kind = PENDING_CHANGE;
          p->setting = id;
          p->value = g_strdup (value);
          g_queue_insert_sorted (&state.pending, p, compare_pending, NULL);
        }
      else
        {
          gp_context_error (context, "Capa Test Camera: unknown action '%s'", item);
          return GP_ERROR_BAD_PARAMETERS;
        }
    }

  g_cond_broadcast (&state.cond);
  run_due_actions (camera, context);
  return GP_OK;
}

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

static int
on_button_pressed (Camera       *camera,
                   CameraWidget *widget,
                   GPContext    *context);

static int
make_widget (SettingId      id,
             CameraWidget **out)
{
  const Setting *s = &settings[id];
  Value *v = &state.values[id];
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
          g_autofree char *faults = faults_to_string (&state.faults);

          gp_widget_set_value (widget, faults);
        }
      else if (id == SETTING_CALLS)
        {
          g_autofree char *calls = g_strdup_printf ("%u", state.calls);

          gp_widget_set_value (widget, calls);
        }
      else if (id == SETTING_FOCUSPOSITION)
        {
          g_autofree char *position = g_strdup_printf ("%d", state.focus_position);

          gp_widget_set_value (widget, position);
        }
      else
        gp_widget_set_value (widget, v->text);
      break;

    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      for (guint i = 0; s->choices[i] != NULL; i++)
        gp_widget_add_choice (widget, s->choices[i]);
      gp_widget_set_value (widget, v->text);
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
    return shot_on_camera (camera, context);

  if (id == SETTING_RESET)
    {
      reset_state ();
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
  id = find_setting (name);

  ret = begin_call (context, "button");
  if (ret == GP_OK)
    ret = id < 0 ? GP_ERROR_BAD_PARAMETERS : press_button (camera, id, context);
  end_call ();
  return ret;
}

/* Applies a value the caller changed in @widget to the setting @id. */
static int
apply_widget (Camera       *camera,
              SettingId     id,
              CameraWidget *widget,
              GPContext    *context)
{
  const Setting *s = &settings[id];
  Value *v = &state.values[id];
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

  switch (s->type)
    {
    case GP_WIDGET_TEXT:
      {
        const char *text = NULL;

        gp_widget_get_value (widget, &text);
        if (id == SETTING_FAULTS)
          return set_faults (text, context);
        if (id == SETTING_SIMULATE)
          return simulate (camera, text, context);
        g_free (v->text);
        v->text = g_strdup (text ? text : "");
        return GP_OK;
      }

    case GP_WIDGET_RADIO:
    case GP_WIDGET_MENU:
      {
        const char *text = NULL;

        gp_widget_get_value (widget, &text);
        if (!is_choice (s, text))
          {
            gp_context_error (context, "Capa Test Camera: '%s' is not a choice of '%s'",
                              text ? text : "(null)", s->name);
            return GP_ERROR_BAD_PARAMETERS;
          }
        g_free (v->text);
        v->text = g_strdup (text);
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
          state.focus_position += (int) number;
        else
          v->number = number;
        return GP_OK;
      }

    case GP_WIDGET_TOGGLE:
      {
        int toggle = 0;

        gp_widget_get_value (widget, &toggle);
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

static int
get_config_locked (Camera        *camera,
                   CameraWidget **window,
                   GPContext     *context)
{
  CameraWidget *sections_w[N_SECTIONS];
  int ret;

  ret = gp_widget_new (GP_WIDGET_WINDOW, "Capa Test Camera Configuration", window);
  if (ret < GP_OK)
    return ret;
  gp_widget_set_name (*window, "main");

  for (guint i = 0; i < N_SECTIONS; i++)
    {
      gp_widget_new (GP_WIDGET_SECTION, sections[i].label, &sections_w[i]);
      gp_widget_set_name (sections_w[i], sections[i].name);
      gp_widget_append (*window, sections_w[i]);
    }

  for (guint i = 0; i < N_SETTINGS; i++)
    {
      CameraWidget *widget = NULL;

      ret = make_widget (i, &widget);
      if (ret < GP_OK)
        {
          gp_widget_free (*window);
          *window = NULL;
          return ret;
        }
      gp_widget_append (sections_w[settings[i].section], widget);
    }

  return GP_OK;
}

static int
set_config_locked (Camera       *camera,
                   CameraWidget *window,
                   GPContext    *context)
{
  for (guint i = 0; i < N_SETTINGS; i++)
    {
      CameraWidget *widget = NULL;
      int ret;

      if (gp_widget_get_child_by_name (window, settings[i].name, &widget) < GP_OK)
        continue;
      if (!gp_widget_changed (widget))
        continue;
      ret = apply_widget (camera, i, widget, context);
      if (ret < GP_OK)
        return ret;
    }

  return GP_OK;
}

/* ------------------------------------------------------------------ */
/* CameraFunctions                                                     */

static int
camera_exit_cb (Camera    *camera,
                GPContext *context)
{
  return GP_OK;
}

static int
camera_get_config_cb (Camera        *camera,
                      CameraWidget **window,
                      GPContext     *context)
{
  int ret = begin_call (context, "get_config");

  if (ret == GP_OK)
    ret = get_config_locked (camera, window, context);
  end_call ();
  return ret;
}

static int
camera_set_config_cb (Camera       *camera,
                      CameraWidget *window,
                      GPContext    *context)
{
  int ret = begin_call (context, "set_config");

  if (ret == GP_OK)
    ret = set_config_locked (camera, window, context);
  end_call ();
  return ret;
}

static int
camera_list_config_cb (Camera     *camera,
                       CameraList *list,
                       GPContext  *context)
{
  int ret = begin_call (context, "list_config");

  for (guint i = 0; ret == GP_OK && i < N_SETTINGS; i++)
    {
      g_autofree char *path = g_strdup_printf ("/main/%s/%s",
                                               sections[settings[i].section].name,
                                               settings[i].name);

      ret = gp_list_append (list, path, NULL);
    }
  end_call ();
  return ret;
}

static int
camera_get_single_config_cb (Camera        *camera,
                             const char    *name,
                             CameraWidget **widget,
                             GPContext     *context)
{
  int ret = begin_call (context, "get_single_config");

  if (ret == GP_OK)
    {
      int id = find_setting (name);

      ret = id < 0 ? GP_ERROR_BAD_PARAMETERS : make_widget (id, widget);
    }
  end_call ();
  return ret;
}

static int
camera_set_single_config_cb (Camera       *camera,
                             const char   *name,
                             CameraWidget *widget,
                             GPContext    *context)
{
  int ret = begin_call (context, "set_single_config");

  if (ret == GP_OK)
    {
      int id = find_setting (name);

      ret = id < 0 ? GP_ERROR_BAD_PARAMETERS : apply_widget (camera, id, widget, context);
    }
  end_call ();
  return ret;
}

static int
capture_locked (Camera     *camera,
                CardFile  **file,
                GPContext  *context)
{
  int ret;

  if (state.faults.busy != 0)
    {
      if (state.faults.busy > 0)
        state.faults.busy--;
      gp_context_error (context, "Capa Test Camera: the camera is busy");
      return GP_ERROR_CAMERA_BUSY;
    }
  if (state.faults.card_full)
    {
      gp_context_error (context, "Capa Test Camera: the memory card is full");
      return GP_ERROR_NO_SPACE;
    }
  if (state.faults.slow_ms)
    {
      ret = wait_slowly (state.faults.slow_ms, context);
      if (ret < GP_OK)
        return ret;
    }

  return take_picture (camera, context, file);
}

static int
camera_capture_cb (Camera            *camera,
                   CameraCaptureType  type,
                   CameraFilePath    *path,
                   GPContext         *context)
{
  int ret = begin_call (context, "capture");

  if (ret == GP_OK && type != GP_CAPTURE_IMAGE)
    ret = GP_ERROR_NOT_SUPPORTED;
  if (ret == GP_OK)
    {
      CardFile *file = NULL;

      ret = capture_locked (camera, &file, context);
      if (ret == GP_OK)
        {
          g_strlcpy (path->folder, TC_FOLDER, sizeof path->folder);
          g_strlcpy (path->name, file->name, sizeof path->name);
        }
    }
  end_call ();
  return ret;
}

static int
camera_trigger_capture_cb (Camera    *camera,
                           GPContext *context)
{
  int ret = begin_call (context, "trigger_capture");

  if (ret == GP_OK)
    {
      CardFile *file = NULL;

      ret = capture_locked (camera, &file, context);
      if (ret == GP_OK)
        {
          queue_event (GP_EVENT_FILE_ADDED, file->name, NULL);
          queue_event (GP_EVENT_CAPTURE_COMPLETE, NULL, NULL);
        }
    }
  end_call ();
  return ret;
}

static int
capture_preview_locked (Camera     *camera,
                        CameraFile *file,
                        GPContext  *context)
{
  g_autoptr(GBytes) jpeg = NULL;
  gsize size = 0;
  const char *data;
  int ret;

  if (state.faults.no_preview)
    {
      gp_context_error (context, "Capa Test Camera: this camera has no live view");
      return GP_ERROR_NOT_SUPPORTED;
    }
  if (state.faults.slow_ms)
    {
      ret = wait_slowly (state.faults.slow_ms, context);
      if (ret < GP_OK)
        return ret;
    }

  state.frame++;
  jpeg = tc_render_jpeg (PREVIEW_WIDTH, PREVIEW_HEIGHT, state.frame, 70, NULL);
  data = g_bytes_get_data (jpeg, &size);

  if (state.faults.corrupt_preview)
    {
      g_autofree char *garbage = g_malloc (size);

      for (gsize i = 0; i < size; i++)
        garbage[i] = (char) g_random_int ();
      ret = gp_file_append (file, garbage, size);
    }
  else
    ret = gp_file_append (file, data, size);
  if (ret < GP_OK)
    return ret;

  gp_file_set_mime_type (file, GP_MIME_JPEG);
  gp_file_set_name (file, "capture_preview.jpg");
  return GP_OK;
}

static int
camera_capture_preview_cb (Camera     *camera,
                           CameraFile *file,
                           GPContext  *context)
{
  int ret = begin_call (context, "capture_preview");

  if (ret == GP_OK)
    ret = capture_preview_locked (camera, file, context);
  end_call ();
  return ret;
}

static int
wait_for_event_locked (Camera           *camera,
                       int               timeout,
                       CameraEventType  *eventtype,
                       void            **eventdata,
                       GPContext        *context)
{
  gint64 deadline = g_get_monotonic_time () + MAX (timeout, 0) * G_TIME_SPAN_MILLISECOND;

  if (state.faults.no_events)
    {
      gp_context_error (context, "Capa Test Camera: this camera reports no events");
      return GP_ERROR_NOT_SUPPORTED;
    }

  for (;;)
    {
      QueuedEvent *event;
      Pending *pending;
      gint64 now, wake;

      run_due_actions (camera, context);
      if (state.gone)
        return GP_ERROR_IO_USB_FIND;

      event = g_queue_pop_head (&state.events);
      if (event != NULL)
        {
          *eventtype = event->type;
          if (event->type == GP_EVENT_FILE_ADDED)
            {
              CameraFilePath *path = calloc (1, sizeof (CameraFilePath));

              if (path == NULL)
                {
                  queued_event_free (event);
                  return GP_ERROR_NO_MEMORY;
                }
              g_strlcpy (path->folder, TC_FOLDER, sizeof path->folder);
              g_strlcpy (path->name, event->name, sizeof path->name);
              *eventdata = path;
            }
          else if (event->type == GP_EVENT_UNKNOWN)
            *eventdata = event->text ? strdup (event->text) : NULL;
          queued_event_free (event);
          return GP_OK;
        }

      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          *eventtype = GP_EVENT_TIMEOUT;
          return GP_OK;
        }

      wake = MIN (deadline, now + CANCEL_POLL_US);
      pending = g_queue_peek_head (&state.pending);
      if (pending != NULL)
        wake = MIN (wake, pending->due);
      g_cond_wait_until (&state.cond, &state.mutex, wake);

      if (gp_context_cancel (context) == GP_CONTEXT_FEEDBACK_CANCEL)
        return GP_ERROR_CANCEL;
    }
}

static int
camera_wait_for_event_cb (Camera           *camera,
                          int               timeout,
                          CameraEventType  *eventtype,
                          void            **eventdata,
                          GPContext        *context)
{
  int ret;

  *eventtype = GP_EVENT_TIMEOUT;
  *eventdata = NULL;

  ret = begin_call (context, "wait_for_event");
  if (ret == GP_OK)
    ret = wait_for_event_locked (camera, timeout, eventtype, eventdata, context);
  end_call ();
  return ret;
}

static int
camera_summary_cb (Camera     *camera,
                   CameraText *text,
                   GPContext  *context)
{
  int ret = begin_call (context, "summary");

  if (ret == GP_OK)
    {
      g_autofree char *faults = faults_to_string (&state.faults);

      g_snprintf (text->text, sizeof text->text,
                  "Model: " TC_MODEL "\n"
                  "Files on the card: %u\n"
                  "Shutter counter: %u\n"
                  "Injected faults: %s\n",
                  state.card->len, state.shots, *faults ? faults : "none");
    }
  end_call ();
  return ret;
}

static int
camera_about_cb (Camera     *camera,
                 CameraText *text,
                 GPContext  *context)
{
  g_strlcpy (text->text,
             "Capa Test Camera: a camera driver for Capa's test suite, with live view, "
             "every widget type and injected faults.", sizeof text->text);
  return GP_OK;
}

/* ------------------------------------------------------------------ */
/* CameraFilesystemFuncs                                               */

static int
file_list_cb (CameraFilesystem *fs,
              const char       *folder,
              CameraList       *list,
              void             *data,
              GPContext        *context)
{
  int ret = begin_call (context, "file_list");

  if (ret == GP_OK && folder_is (folder, TC_FOLDER))
    for (guint i = 0; ret == GP_OK && i < state.card->len; i++)
      ret = gp_list_append (list, ((CardFile *) g_ptr_array_index (state.card, i))->name, NULL);
  end_call ();
  return ret;
}

static int
folder_list_cb (CameraFilesystem *fs,
                const char       *folder,
                CameraList       *list,
                void             *data,
                GPContext        *context)
{
  int ret = begin_call (context, "folder_list");

  if (ret == GP_OK)
    {
      if (folder_is (folder, "/"))
        ret = gp_list_append (list, TC_STORE + 1, NULL);
      else if (folder_is (folder, TC_STORE))
        ret = gp_list_append (list, "DCIM", NULL);
      else if (folder_is (folder, TC_DCIM))
        ret = gp_list_append (list, "100CAPA", NULL);
    }
  end_call ();
  return ret;
}

static GBytes *
card_file_get_preview (CardFile *file)
{
  if (file->preview == NULL)
    {
      guint width = 0, height = 0;

      file->preview = tc_thumbnail_jpeg (file->data, THUMB_SIDE, &width, &height, NULL);
      if (file->width == 0)
        {
          file->width = width;
          file->height = height;
        }
    }
  return file->preview;
}

static int
get_info_locked (const char     *folder,
                 const char     *filename,
                 CameraFileInfo *info,
                 GPContext      *context)
{
  CardFile *file = card_lookup (folder, filename, NULL);
  GBytes *preview;

  if (file == NULL)
    return GP_ERROR_FILE_NOT_FOUND;

  memset (info, 0, sizeof *info);
  info->file.fields = GP_FILE_INFO_TYPE | GP_FILE_INFO_SIZE | GP_FILE_INFO_PERMISSIONS |
                      GP_FILE_INFO_STATUS | GP_FILE_INFO_MTIME;
  g_strlcpy (info->file.type, file->mime, sizeof info->file.type);
  info->file.size = g_bytes_get_size (file->data);
  info->file.permissions = GP_FILE_PERM_READ | GP_FILE_PERM_DELETE;
  info->file.status = GP_FILE_STATUS_NOT_DOWNLOADED;
  info->file.mtime = (time_t) file->mtime;

  preview = card_file_get_preview (file);
  if (file->width != 0)
    {
      info->file.fields |= GP_FILE_INFO_WIDTH | GP_FILE_INFO_HEIGHT;
      info->file.width = file->width;
      info->file.height = file->height;
    }
  if (preview != NULL)
    {
      info->preview.fields = GP_FILE_INFO_TYPE | GP_FILE_INFO_SIZE;
      g_strlcpy (info->preview.type, GP_MIME_JPEG, sizeof info->preview.type);
      info->preview.size = g_bytes_get_size (preview);
    }
  return GP_OK;
}

static int
get_info_cb (CameraFilesystem *fs,
             const char       *folder,
             const char       *filename,
             CameraFileInfo   *info,
             void             *data,
             GPContext        *context)
{
  int ret = begin_call (context, "get_info");

  if (ret == GP_OK)
    ret = get_info_locked (folder, filename, info, context);
  end_call ();
  return ret;
}

static int
get_file_locked (Camera         *camera,
                 const char     *folder,
                 const char     *filename,
                 CameraFileType  type,
                 CameraFile     *out,
                 GPContext      *context)
{
  CardFile *file = card_lookup (folder, filename, NULL);
  GBytes *bytes;
  const char *data;
  gsize size = 0;
  int ret;

  if (file == NULL)
    return GP_ERROR_FILE_NOT_FOUND;

  switch (type)
    {
    case GP_FILE_TYPE_NORMAL:
      bytes = file->data;
      break;
    case GP_FILE_TYPE_PREVIEW:
      bytes = card_file_get_preview (file);
      if (bytes == NULL)
        return GP_ERROR_NOT_SUPPORTED;
      break;
    case GP_FILE_TYPE_RAW:
    case GP_FILE_TYPE_AUDIO:
    case GP_FILE_TYPE_EXIF:
    case GP_FILE_TYPE_METADATA:
    default:
      return GP_ERROR_NOT_SUPPORTED;
    }
  data = g_bytes_get_data (bytes, &size);

  if (state.faults.slow_ms)
    {
      ret = wait_slowly (state.faults.slow_ms, context);
      if (ret < GP_OK)
        return ret;
    }

  if (type == GP_FILE_TYPE_NORMAL && state.faults.unplug_during_download)
    {
      /* Part of the file arrives, then the camera is gone. */
      gp_file_append (out, data, size / 2);
      state.faults.unplug_during_download = FALSE;
      state.gone = TRUE;
      gp_context_error (context, "Capa Test Camera: unplugged during the download of %s",
                        filename);
      return GP_ERROR_IO_USB_FIND;
    }

  if (state.faults.corrupt_data)
    {
      g_autofree char *garbage = g_malloc (size);

      for (gsize i = 0; i < size; i++)
        garbage[i] = (char) g_random_int ();
      ret = gp_file_append (out, garbage, size);
    }
  else if (state.faults.truncated_data)
    ret = gp_file_append (out, data, size / 2);
  else
    ret = gp_file_append (out, data, size);
  if (ret < GP_OK)
    return ret;

  gp_file_set_mime_type (out, type == GP_FILE_TYPE_PREVIEW ? GP_MIME_JPEG : file->mime);
  gp_file_set_name (out, filename);
  gp_file_set_mtime (out, (time_t) file->mtime);
  return GP_OK;
}

static int
get_file_cb (CameraFilesystem *fs,
             const char       *folder,
             const char       *filename,
             CameraFileType    type,
             CameraFile       *file,
             void             *data,
             GPContext        *context)
{
  int ret = begin_call (context, "get_file");

  if (ret == GP_OK)
    ret = get_file_locked (data, folder, filename, type, file, context);
  end_call ();
  return ret;
}

static int
del_file_cb (CameraFilesystem *fs,
             const char       *folder,
             const char       *filename,
             void             *data,
             GPContext        *context)
{
  int ret = begin_call (context, "delete_file");

  if (ret == GP_OK)
    {
      guint index = 0;

      if (card_lookup (folder, filename, &index) == NULL)
        ret = GP_ERROR_FILE_NOT_FOUND;
      else if (state.faults.delete_fails)
        {
          gp_context_error (context, "Capa Test Camera: %s is protected", filename);
          ret = GP_ERROR_CAMERA_ERROR;
        }
      else
        g_ptr_array_remove_index (state.card, index);
    }
  end_call ();
  return ret;
}

static int
storage_info_cb (CameraFilesystem          *fs,
                 CameraStorageInformation **infos,
                 int                       *n_infos,
                 void                      *data,
                 GPContext                 *context)
{
  int ret = begin_call (context, "storage_info");

  if (ret == GP_OK)
    {
      CameraStorageInformation *info = calloc (1, sizeof (CameraStorageInformation));
      guint64 used = 0;

      for (guint i = 0; i < state.card->len; i++)
        used += g_bytes_get_size (((CardFile *) g_ptr_array_index (state.card, i))->data);

      info->fields = GP_STORAGEINFO_BASE | GP_STORAGEINFO_LABEL | GP_STORAGEINFO_DESCRIPTION |
                     GP_STORAGEINFO_ACCESS | GP_STORAGEINFO_STORAGETYPE |
                     GP_STORAGEINFO_FILESYSTEMTYPE | GP_STORAGEINFO_MAXCAPACITY |
                     GP_STORAGEINFO_FREESPACEKBYTES;
      g_strlcpy (info->basedir, TC_STORE, sizeof info->basedir);
      g_strlcpy (info->label, "CAPA", sizeof info->label);
      g_strlcpy (info->description, "Capa Test Card", sizeof info->description);
      info->type = GP_STORAGEINFO_ST_REMOVABLE_RAM;
      info->fstype = GP_STORAGEINFO_FST_DCF;
      info->access = GP_STORAGEINFO_AC_READWRITE;
      info->capacitykbytes = 32 * 1024 * 1024;
      info->freekbytes = state.faults.card_full ? 0 : info->capacitykbytes - used / 1024;
      *infos = info;
      *n_infos = 1;
    }
  end_call ();
  return ret;
}

static CameraFilesystemFuncs fs_funcs = {
  .file_list_func = file_list_cb,
  .folder_list_func = folder_list_cb,
  .get_info_func = get_info_cb,
  .get_file_func = get_file_cb,
  .del_file_func = del_file_cb,
  .storage_info_func = storage_info_cb,
};

/* ------------------------------------------------------------------ */
/* The camlib entry points                                             */

EXPORT int
camera_id (CameraText *id)
{
  g_strlcpy (id->text, "capa_test_camera", sizeof id->text);
  return GP_OK;
}

EXPORT int
camera_abilities (CameraAbilitiesList *list)
{
  CameraAbilities a;

  memset (&a, 0, sizeof a);
  g_strlcpy (a.model, TC_MODEL, sizeof a.model);
  a.status = GP_DRIVER_STATUS_TESTING;
  a.port = GP_PORT_USB;
  a.usb_vendor = TC_USB_VENDOR;
  a.usb_product = TC_USB_PRODUCT;
  a.speed[0] = 0;
  a.operations = GP_OPERATION_CAPTURE_IMAGE | GP_OPERATION_CAPTURE_PREVIEW |
                 GP_OPERATION_CONFIG | GP_OPERATION_TRIGGER_CAPTURE;
  a.file_operations = GP_FILE_OPERATION_DELETE | GP_FILE_OPERATION_PREVIEW;
  a.folder_operations = GP_FOLDER_OPERATION_NONE;
  a.device_type = GP_DEVICE_STILL_CAMERA;

  return gp_abilities_list_append (list, a);
}

EXPORT int
camera_init (Camera    *camera,
             GPContext *context)
{
  const char *faults = g_getenv ("CAPA_TEST_CAMERA_FAULTS");
  int ret = GP_OK;

  g_mutex_lock (&state.mutex);
  if (!state.initialised)
    reset_state ();

  /* Plugged in again: what was unplugged is back, and what the camera
   * had to say to the previous connection is gone. */
  state.gone = FALSE;
  g_queue_clear_full (&state.events, queued_event_free);
  g_queue_clear_full (&state.pending, pending_free);
  if (faults != NULL)
    ret = set_faults (faults, context);
  state.calls = 0;
  g_mutex_unlock (&state.mutex);

  if (ret < GP_OK)
    return ret;

  camera->functions->exit = camera_exit_cb;
  camera->functions->get_config = camera_get_config_cb;
  camera->functions->set_config = camera_set_config_cb;
  camera->functions->list_config = camera_list_config_cb;
  camera->functions->get_single_config = camera_get_single_config_cb;
  camera->functions->set_single_config = camera_set_single_config_cb;
  camera->functions->capture = camera_capture_cb;
  camera->functions->trigger_capture = camera_trigger_capture_cb;
  camera->functions->capture_preview = camera_capture_preview_cb;
  camera->functions->wait_for_event = camera_wait_for_event_cb;
  camera->functions->summary = camera_summary_cb;
  camera->functions->about = camera_about_cb;

  return gp_filesystem_set_funcs (camera->fs, &fs_funcs, camera);
}
