/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The test camera driver's state and the functions its files share:
 * capa-test-camera.c (entry points, calls, faults, events),
 * capa-test-camera-settings.c (the settings tree) and
 * capa-test-camera-card.c (the memory card and libgphoto2's filesystem). */

#pragma once

#include <glib.h>
#include <gphoto2/gphoto2-library.h>
#include <gphoto2/gphoto2-result.h>

G_BEGIN_DECLS

#define TC_MODEL        "Capa Test Camera"
#define TC_STORE        "/store_00010001"
#define TC_DCIM         TC_STORE "/DCIM"
#define TC_FOLDER       TC_DCIM "/100CAPA"
/* ptp2's generic PTP/IP model, which the driver also answers to. */
#define TC_PTPIP_GENERIC_MODEL "PTP/IP Camera"
#define TC_USB_VENDOR   0x04b0
#define TC_USB_PRODUCT  0x0437
#define SHOT_WIDTH      960
#define SHOT_HEIGHT     640
#define PREVIEW_WIDTH   640
#define PREVIEW_HEIGHT  426
#define THUMB_SIDE      160
/* How often a wait checks the context for cancellation. */
#define CANCEL_POLL_US  (20 * G_TIME_SPAN_MILLISECOND)
/* wait_for_event asks the context's cancel function more often: a client
 * ends an event wait early through it when it has other work queued. */
#define EVENT_CANCEL_POLL_US  (1 * G_TIME_SPAN_MILLISECOND)
/* libgphoto2's gettext domain, through which ptp2 labels its choices. */
#define TC_GP_DOMAIN    "libgphoto2-6"

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

typedef struct
{
  const char *name;
  const char *label;
} SectionInfo;

typedef enum
{
  SETTING_TRIGGER,
  SETTING_SIMULATE,
  SETTING_AUTOFOCUSDRIVE,
  SETTING_MANUALFOCUSDRIVE,
  SETTING_VIEWFINDER,
  SETTING_PRESS,
  SETTING_BULB,
  SETTING_EOSREMOTERELEASE,
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
  SETTING_PRESSES,
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
  SETTING_LASTBULB,
  SETTING_RESET,
  N_SETTINGS,
} SettingId;

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
  gboolean             translated;  /* RADIO and MENU: choices shown in libgphoto2's language */
} Setting;

typedef struct
{
  char  *text;      /* TEXT, RADIO, MENU */
  float  number;    /* RANGE */
  int    integer;   /* TOGGLE, DATE */
} Value;

typedef struct
{
  guint    io_error_on_call;        /* 0: off; N: the N-th call fails */
  int      busy;                    /* 0: off; -1: always; N: the next N captures */
  guint    busy_after_shot;         /* after each shot, N captures or settings are refused */
  guint    busy_for_ms;             /* after each shot, they are refused for this long */
  gboolean no_card;                 /* no memory card: pictures only in RAM */
  guint    download_fails;          /* 0: off; N: the N-th download of a whole file fails */
  guint    slow_ms;
  gboolean unplug;
  gboolean unplug_during_download;
  gboolean corrupt_data;
  gboolean truncated_data;
  gboolean corrupt_preview;
  gboolean no_preview;
  gboolean empty_preview;
  gboolean hostile_names;
  gboolean no_events;
  gboolean deaf_waits;              /* wait_for_event never asks whether to stop early */
  gboolean card_full;
  gboolean delete_fails;
  gboolean whole_tree_only;         /* no single-setting get or set */
  guint    set_config_fails;        /* 0: off; G_MAXUINT: always; N: the N-th set_config */
  gboolean fuzz;                    /* responses from capa_test_camera_fuzz_set() */
  gboolean claimed;                 /* another program holds the USB device */
  gboolean ram_names;               /* files in RAM named "captNNNN", one number a file */
  guint    late_companion_ms;       /* a RAW + JPEG capture announces its JPEG this late */
  gboolean remote_release;          /* Canon's eosremoterelease in place of the bulb toggle */
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
  gboolean in_ram;      /* captured to the camera's RAM: not listed on the card */
} CardFile;

typedef enum
{
  PENDING_SHOT,
  PENDING_CHANGE,
  PENDING_QUIET_CHANGE,   /* a change the camera does not report */
  PENDING_EVENT,          /* an event queued late (the fault late-companion) */
} PendingKind;

typedef struct
{
  gint64           due;     /* monotonic time */
  PendingKind      kind;
  SettingId        setting; /* PENDING_CHANGE, PENDING_QUIET_CHANGE */
  char            *value;   /* PENDING_CHANGE, PENDING_QUIET_CHANGE; PENDING_EVENT: the file */
  CameraEventType  event;   /* PENDING_EVENT */
} Pending;

typedef struct
{
  CameraEventType  type;
  char            *name;      /* FILE_ADDED */
  char            *text;      /* UNKNOWN */
} QueuedEvent;

/* The state of one test camera.  Each port has its own (see
 * tc_state_for_camera): with CAPA_TEST_CAMERA_COUNT=2 two cameras are
 * listed, each with its card, settings, counters, faults and events. */
typedef struct
{
  GMutex      mutex;
  GCond       cond;         /* signalled when an event or a pending action is queued */
  gboolean    initialised;
  char       *port;         /* "usb:001,002" */
  guint       number;       /* 1 for usb:001,001, 2 for usb:001,002, …; drawn in pictures */

  Value       values[N_SETTINGS];
  GPtrArray  *card;         /* CardFile */
  GQueue      pending;      /* Pending, ordered by due time */
  GQueue      events;       /* QueuedEvent */

  Faults      faults;
  guint       calls;        /* since the faults were last set */
  guint       set_configs;  /* whole-tree sets since the faults were last set */
  guint       downloads;    /* whole-file get_file calls since the faults were last set */
  guint       presses;      /* of /main/actions/press */
  guint       next_number;  /* of the next file on the card */
  guint       ram_count;    /* of the next file named "captNNNN" (fault ram-names) */
  guint       hostile_index;
  guint       frame;        /* live-view frame counter */
  guint       shots;
  int         focus_position;
  gboolean    gone;         /* unplugged: every call fails until camera_init */
  guint       busy_calls;   /* calls still refused as busy after the last shot */
  gint64      busy_until;   /* monotonic time until which the camera is busy */
  gint64      bulb_start;   /* monotonic time the bulb exposure began, 0: none */
  guint       last_bulb_ms; /* how long the last bulb exposure lasted */
} TcState;

/* The state of the camera the calling thread works on, set by
 * tc_begin_call() and camera_init; guarded by tc_state.mutex.  The states
 * live as long as the process. */
extern __thread TcState *tc_current;
#define tc_state (*tc_current)
extern const SectionInfo tc_sections[N_SECTIONS];
extern const Setting tc_settings[N_SETTINGS];
extern CameraFilesystemFuncs tc_fs_funcs;

/* capa-test-camera.c */
TcState  *tc_state_for_port      (const char      *port);
TcState  *tc_state_for_camera    (Camera          *camera);
/* Makes @camera's state the current one and locks it (once per thread,
 * nested calls run under the outer call's lock). */
int       tc_begin_call          (Camera          *camera,
                                  GPContext       *context,
                                  const char      *what);
void      tc_end_call            (void);
void      tc_reset_state         (void);
char     *tc_faults_to_string    (const Faults    *f);
int       tc_set_faults          (const char      *text,
                                  GPContext       *context);
int       tc_wait_slowly         (guint            ms,
                                  GPContext       *context);
int       tc_simulate            (Camera          *camera,
                                  const char      *commands,
                                  GPContext       *context);
int       tc_shot_on_camera      (Camera          *camera,
                                  GPContext       *context);
int       tc_check_busy          (GPContext       *context);
int       tc_bulb                (Camera          *camera,
                                  gboolean         open,
                                  GPContext       *context);
/* Canon's eosremoterelease set to @choice (untranslated). */
int       tc_remote_release      (Camera          *camera,
                                  const char      *choice,
                                  GPContext       *context);
void      tc_queue_event         (CameraEventType  type,
                                  const char      *name,
                                  const char      *text);
/* Queues @type (@name: the file of a FILE_ADDED) @ms milliseconds from now. */
void      tc_queue_event_later   (CameraEventType  type,
                                  const char      *name,
                                  guint            ms);

/* capa-test-camera-settings.c */
void      tc_value_set_initial   (SettingId        id);
/* Whether the camera has @id now: the fault remote-release swaps the bulb
 * toggle for Canon's eosremoterelease. */
gboolean  tc_setting_present     (SettingId        id);
/* The setting named @name that the camera has now, or -1. */
int       tc_find_setting        (const char      *name);
/* @choice of @s as the camera shows it: in libgphoto2's language for a
 * translated setting, as ptp2 does. */
const char *tc_choice_label      (const Setting   *s,
                                  const char      *choice);
gboolean  tc_is_choice           (const Setting   *s,
                                  const char      *value);
int       tc_make_widget         (SettingId        id,
                                  CameraWidget   **out);
int       tc_apply_widget        (Camera          *camera,
                                  SettingId        id,
                                  CameraWidget    *widget,
                                  GPContext       *context);
int       tc_get_config_locked   (Camera          *camera,
                                  CameraWidget   **window,
                                  GPContext       *context);
int       tc_set_config_locked   (Camera          *camera,
                                  CameraWidget    *window,
                                  GPContext       *context);

/* capa-test-camera-fuzz.c: the responses of the fault "fuzz", all called
 * with tc_state.mutex held */
void      tc_fuzz_set_camera     (Camera          *camera);
int       tc_fuzz_list_files     (CameraList      *list);
int       tc_fuzz_get_info       (CameraFileInfo  *info);
int       tc_fuzz_get_file       (CameraFile      *out,
                                  const char      *filename);
int       tc_fuzz_get_config     (CameraWidget   **window);

/* capa-test-camera-card.c */
void      tc_card_file_free      (gpointer         data);
/* @companion (nullable) receives the JPEG of a "RAW + JPEG" shot, NULL
 * for a single file. */
int       tc_take_picture        (Camera          *camera,
                                  GPContext       *context,
                                  CardFile       **out,
                                  CardFile       **companion);

G_END_DECLS
