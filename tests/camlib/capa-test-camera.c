/* SPDX-License-Identifier: GPL-3.0-or-later */

/* capa_test_camera: a libgphoto2 camera driver ("camlib") for Capa's tests.
 *
 * It declares the USB ids of the virtual Nikon D750 that libgphoto2's vusb
 * port driver emulates, so that with IOLIBS pointing at vusb and CAMLIBS at
 * the folder holding only this driver, "Capa Test Camera" is detected on
 * usb:001,001.  It never talks to the port: the camera lives in these files.
 *
 * Each port has a camera of its own (iolib/capa-test-usb.c lists several
 * USB ports): its state (settings, memory card, faults), kept for the life
 * of the process, survives gp_camera_exit() and a new gp_camera_init(): the
 * module is linked with -z nodelete, so libltdl's dlclose() leaves it
 * loaded.  Each camera's state is guarded by its own mutex; a call of the
 * driver made from inside another of its calls (libgphoto2's filesystem
 * layer calling back into the driver) runs under the lock the outer call
 * took.
 *
 * This file holds the entry points, the locking and counting of calls,
 * the faults and the events; capa-test-camera-settings.c the settings
 * tree; capa-test-camera-card.c the memory card.  README.md in this folder
 * documents the features and every injected fault.
 */

#define G_LOG_DOMAIN "CapaTestCamera"

#include "config.h"

#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "capa-test-camera-image.h"
#include "capa-test-camera-private.h"

#define EXPORT __attribute__ ((visibility ("default")))

__thread TcState *tc_current;

static __thread int call_depth;

/* Every camera's state, by port; guarded by states_lock. */
static GMutex states_lock;
static GHashTable *states;

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

/* Called with the lock held. */
void
tc_reset_state (void)
{
  for (guint i = 0; i < N_SETTINGS; i++)
    tc_value_set_initial (i);

  g_clear_pointer (&tc_state.card, g_ptr_array_unref);
  tc_state.card = g_ptr_array_new_with_free_func (tc_card_file_free);
  g_queue_clear_full (&tc_state.pending, pending_free);
  g_queue_clear_full (&tc_state.events, queued_event_free);
  memset (&tc_state.faults, 0, sizeof tc_state.faults);
  tc_state.calls = 0;
  tc_state.next_number = 1;
  tc_state.ram_count = 0;
  tc_state.hostile_index = 0;
  tc_state.frame = 0;
  tc_state.shots = 0;
  tc_state.busy_calls = 0;
  tc_state.busy_until = 0;
  tc_state.bulb_start = 0;
  tc_state.last_bulb_ms = 0;
  tc_state.focus_position = 0;
  tc_state.presses = 0;
  tc_state.set_configs = 0;
  tc_state.gone = FALSE;
  tc_state.initialised = TRUE;
  /* A second camera has a serial number of its own. */
  if (tc_state.number > 1)
    {
      g_free (tc_state.values[SETTING_SERIALNUMBER].text);
      tc_state.values[SETTING_SERIALNUMBER].text = g_strdup_printf ("CAPA%08u",
                                                                    tc_state.number);
    }
}

/* The number of the camera on @port, "usb:BBB,N": N, so that usb:001,001
 * is camera 1, as with one camera. */
static guint
port_number (const char *port)
{
  const char *comma = strrchr (port, ',');
  guint64 n = 0;

  if (comma != NULL && g_ascii_string_to_unsigned (comma + 1, 10, 1, 999, &n, NULL))
    return (guint) n;
  return 1;
}

TcState *
tc_state_for_port (const char *port)
{
  TcState *state;

  /* Several cameras are told apart on USB ports; any other port (a
   * network test's ptpip:) reaches camera 1, as when all was one camera. */
  if (port == NULL || !g_str_has_prefix (port, "usb:"))
    port = "usb:001,001";

  g_mutex_lock (&states_lock);
  if (states == NULL)
    states = g_hash_table_new (g_str_hash, g_str_equal);
  state = g_hash_table_lookup (states, port);
  if (state == NULL)
    {
      state = g_new0 (TcState, 1);
      g_mutex_init (&state->mutex);
      g_cond_init (&state->cond);
      state->port = g_strdup (port);
      state->number = port_number (port);
      g_hash_table_insert (states, state->port, state);
    }
  g_mutex_unlock (&states_lock);
  return state;
}

TcState *
tc_state_for_camera (Camera *camera)
{
  GPPortInfo info = NULL;
  char *path = NULL;

  if (camera != NULL && camera->port != NULL
      && gp_port_get_info (camera->port, &info) >= GP_OK
      && gp_port_info_get_path (info, &path) >= GP_OK)
    return tc_state_for_port (path);
  return tc_state_for_port (NULL);
}

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
      else if (g_str_equal (item, "busy-after-shot") && parse_count (arg, &n))
        faults->busy_after_shot = n;
      else if (g_str_equal (item, "download-fails") && parse_count (arg, &n))
        faults->download_fails = n;
      else if (g_str_equal (item, "busy-for") && parse_count (arg, &n))
        faults->busy_for_ms = n;
      else if (g_str_equal (item, "slow") && parse_count (arg, &n))
        faults->slow_ms = n;
      else if (g_str_equal (item, "set-config-fails") && arg == NULL)
        faults->set_config_fails = G_MAXUINT;
      else if (g_str_equal (item, "set-config-fails") && parse_count (arg, &n))
        faults->set_config_fails = n;
      else if (g_str_equal (item, "late-companion") && parse_count (arg, &n))
        faults->late_companion_ms = n;
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
      else if (g_str_equal (item, "empty-preview"))
        faults->empty_preview = TRUE;
      else if (g_str_equal (item, "hostile-names"))
        faults->hostile_names = TRUE;
      else if (g_str_equal (item, "no-events"))
        faults->no_events = TRUE;
      else if (g_str_equal (item, "deaf-waits"))
        faults->deaf_waits = TRUE;
      else if (g_str_equal (item, "card-full"))
        faults->card_full = TRUE;
      else if (g_str_equal (item, "delete-fails"))
        faults->delete_fails = TRUE;
      else if (g_str_equal (item, "whole-tree-only"))
        faults->whole_tree_only = TRUE;
      else if (g_str_equal (item, "fuzz"))
        faults->fuzz = TRUE;
      else if (g_str_equal (item, "claimed"))
        faults->claimed = TRUE;
      else if (g_str_equal (item, "no-card"))
        faults->no_card = TRUE;
      else if (g_str_equal (item, "ram-names"))
        faults->ram_names = TRUE;
      else if (g_str_equal (item, "remote-release"))
        faults->remote_release = TRUE;
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
char *
tc_faults_to_string (const Faults *f)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  if (f->io_error_on_call)
    g_ptr_array_add (items, g_strdup_printf ("io-error-on-call=%u", f->io_error_on_call));
  if (f->busy < 0)
    g_ptr_array_add (items, g_strdup ("busy"));
  else if (f->busy > 0)
    g_ptr_array_add (items, g_strdup_printf ("busy=%d", f->busy));
  if (f->busy_after_shot)
    g_ptr_array_add (items, g_strdup_printf ("busy-after-shot=%u", f->busy_after_shot));
  if (f->download_fails)
    g_ptr_array_add (items, g_strdup_printf ("download-fails=%u", f->download_fails));
  if (f->busy_for_ms)
    g_ptr_array_add (items, g_strdup_printf ("busy-for=%u", f->busy_for_ms));
  if (f->slow_ms)
    g_ptr_array_add (items, g_strdup_printf ("slow=%u", f->slow_ms));
  if (f->set_config_fails == G_MAXUINT)
    g_ptr_array_add (items, g_strdup ("set-config-fails"));
  else if (f->set_config_fails)
    g_ptr_array_add (items, g_strdup_printf ("set-config-fails=%u", f->set_config_fails));
  if (f->late_companion_ms)
    g_ptr_array_add (items, g_strdup_printf ("late-companion=%u", f->late_companion_ms));
#define FLAG(field, name) if (f->field) g_ptr_array_add (items, g_strdup (name))
  FLAG (unplug, "unplug");
  FLAG (unplug_during_download, "unplug-during-download");
  FLAG (corrupt_data, "corrupt-data");
  FLAG (truncated_data, "truncated-data");
  FLAG (corrupt_preview, "corrupt-preview");
  FLAG (no_preview, "no-preview");
  FLAG (empty_preview, "empty-preview");
  FLAG (hostile_names, "hostile-names");
  FLAG (no_events, "no-events");
  FLAG (deaf_waits, "deaf-waits");
  FLAG (card_full, "card-full");
  FLAG (delete_fails, "delete-fails");
  FLAG (claimed, "claimed");
  FLAG (whole_tree_only, "whole-tree-only");
  FLAG (fuzz, "fuzz");
  FLAG (no_card, "no-card");
  FLAG (ram_names, "ram-names");
  FLAG (remote_release, "remote-release");
#undef FLAG
  g_ptr_array_add (items, NULL);

  return g_strjoinv (",", (char **) items->pdata);
}

int
tc_set_faults (const char  *text,
               GPContext   *context)
{
  g_autofree char *bad = NULL;
  Faults faults;

  if (!parse_faults (text, &faults, &bad))
    {
      gp_context_error (context, "Capa Test Camera: unknown fault '%s'", bad);
      return GP_ERROR_BAD_PARAMETERS;
    }

  tc_state.faults = faults;
  tc_state.busy_calls = 0;
  tc_state.busy_until = 0;
  tc_state.calls = 0;
  tc_state.set_configs = 0;
  tc_state.downloads = 0;
  if (faults.unplug)
    tc_state.gone = TRUE;
  return GP_OK;
}

/* Waits @ms milliseconds without holding the lock, polling the context
 * for cancellation.  Called with the lock held. */
int
tc_wait_slowly (guint      ms,
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
      g_cond_wait_until (&tc_state.cond, &tc_state.mutex, MIN (end, now + CANCEL_POLL_US));
    }
}

int
tc_begin_call (Camera     *camera,
               GPContext  *context,
               const char *what)
{
  if (call_depth++ > 0)
    return GP_OK;     /* inside another call of ours: locked and counted already */

  tc_current = tc_state_for_camera (camera);
  g_mutex_lock (&tc_state.mutex);
  if (!tc_state.initialised)
    tc_reset_state ();
  tc_state.calls++;
  g_debug ("call %u: %s", tc_state.calls, what);

  if (tc_state.gone)
    {
      gp_context_error (context, "Capa Test Camera: the camera was unplugged");
      return GP_ERROR_IO_USB_FIND;
    }

  if (tc_state.faults.io_error_on_call != 0 && tc_state.calls == tc_state.faults.io_error_on_call)
    {
      tc_state.faults.io_error_on_call = 0;
      gp_context_error (context, "Capa Test Camera: injected I/O error in %s", what);
      return GP_ERROR_IO;
    }

  return GP_OK;
}

void
tc_end_call (void)
{
  g_assert (call_depth > 0);

  if (--call_depth == 0)
    g_mutex_unlock (&tc_state.mutex);
}

void
tc_queue_event (CameraEventType  type,
                const char      *name,
                const char      *text)
{
  QueuedEvent *event = g_new0 (QueuedEvent, 1);

  event->type = type;
  event->name = g_strdup (name);
  event->text = g_strdup (text);
  g_queue_push_tail (&tc_state.events, event);
  g_cond_broadcast (&tc_state.cond);
}

#define queue_event tc_queue_event

static gint compare_pending (gconstpointer a,
                             gconstpointer b,
                             gpointer      user_data);

void
tc_queue_event_later (CameraEventType  type,
                      const char      *name,
                      guint            ms)
{
  Pending *p = g_new0 (Pending, 1);

  p->due = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  p->kind = PENDING_EVENT;
  p->event = type;
  p->value = g_strdup (name);
  g_queue_insert_sorted (&tc_state.pending, p, compare_pending, NULL);
  g_cond_broadcast (&tc_state.cond);
}

int
tc_shot_on_camera (Camera    *camera,
                   GPContext *context)
{
  CardFile *file = NULL;
  CardFile *companion = NULL;
  int ret;

  ret = tc_take_picture (camera, context, &file, &companion);
  if (ret < GP_OK)
    return ret;
  queue_event (GP_EVENT_FILE_ADDED, file->name, NULL);
  if (companion != NULL)
    queue_event (GP_EVENT_FILE_ADDED, companion->name, NULL);
  return GP_OK;
}

/* Called with the lock held: GP_ERROR_CAMERA_BUSY while the camera is
 * still busy after its last shot (faults busy-after-shot, busy-for). */
int
tc_check_busy (GPContext *context)
{
  if (tc_state.busy_calls > 0 || g_get_monotonic_time () < tc_state.busy_until)
    {
      if (tc_state.busy_calls > 0)
        tc_state.busy_calls--;
      gp_context_error (context, "Capa Test Camera: the camera is busy writing to its card");
      return GP_ERROR_CAMERA_BUSY;
    }
  return GP_OK;
}

/* The toggle /main/actions/bulb: on opens the shutter (the shutter speed
 * must be Bulb), off closes it and the picture is taken: its files are
 * announced by events, then GP_EVENT_CAPTURE_COMPLETE. */
int
tc_bulb (Camera    *camera,
         gboolean   open,
         GPContext *context)
{
  CardFile *file = NULL;
  CardFile *companion = NULL;
  int ret;

  if (open)
    {
      if (!g_str_equal (tc_state.values[SETTING_SHUTTERSPEED].text, "Bulb"))
        {
          gp_context_error (context, "Capa Test Camera: the shutter speed is not Bulb");
          return GP_ERROR_BAD_PARAMETERS;
        }
      if (tc_state.bulb_start == 0)
        {
          ret = tc_check_busy (context);
          if (ret < GP_OK)
            return ret;
          tc_state.bulb_start = g_get_monotonic_time ();
        }
      return GP_OK;
    }

  if (tc_state.bulb_start == 0)
    return GP_OK;
  tc_state.last_bulb_ms = (guint) ((g_get_monotonic_time () - tc_state.bulb_start) / 1000);
  g_debug ("bulb exposure of %u ms", tc_state.last_bulb_ms);
  tc_state.bulb_start = 0;
  ret = tc_take_picture (camera, context, &file, &companion);
  if (ret < GP_OK)
    return ret;
  queue_event (GP_EVENT_FILE_ADDED, file->name, NULL);
  if (companion != NULL)
    queue_event (GP_EVENT_FILE_ADDED, companion->name, NULL);
  queue_event (GP_EVENT_CAPTURE_COMPLETE, NULL, NULL);
  return GP_OK;
}

int
tc_remote_release (Camera     *camera,
                   const char *choice,
                   GPContext  *context)
{
  if (g_str_equal (choice, "Press Full"))
    return tc_bulb (camera, TRUE, context);
  if (g_str_equal (choice, "Release Full"))
    return tc_bulb (camera, FALSE, context);
  return GP_OK;
}

/* A dial turned on the camera: reported by an event unless @quiet, as a
 * body that sends no event for some settings (or none at all). */
static int
change_on_camera (SettingId   id,
                  const char *value,
                  gboolean    quiet)
{
  g_autofree char *text = NULL;

  g_free (tc_state.values[id].text);
  tc_state.values[id].text = g_strdup (value);
  if (quiet)
    return GP_OK;
  text = g_strdup_printf ("PTP Property %04x changed, \"%s\" to \"%s\"",
                          0xd000 + id, tc_settings[id].name, value);
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

  while ((pending = g_queue_peek_head (&tc_state.pending)) != NULL && pending->due <= now)
    {
      g_queue_pop_head (&tc_state.pending);
      /* What the camera does by itself is not the caller's call: it does
       * not fail when the caller cancels (Capa cancels an event wait when it
       * has another job for the camera), or the picture would be on the
       * card with no event saying so. */
      if (pending->kind == PENDING_EVENT)
        queue_event (pending->event, pending->value, NULL);
      else if (pending->kind != PENDING_SHOT)
        change_on_camera (pending->setting, pending->value,
                          pending->kind == PENDING_QUIET_CHANGE);
      else if (tc_shot_on_camera (camera, NULL) < GP_OK)
        g_debug ("the camera's own shot failed");
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

/* Parses and queues the commands of /main/actions/simulate. */
int
tc_simulate (Camera     *camera,
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
              g_queue_insert_sorted (&tc_state.pending, p, compare_pending, NULL);
            }
        }
      else if (g_str_equal (item, "delay") && parse_count (arg, &n))
        due += n * G_TIME_SPAN_MILLISECOND;
      else if ((g_str_equal (item, "change") || g_str_equal (item, "quiet"))
               && arg != NULL && strchr (arg, ':') != NULL)
        {
          char *value = strchr (arg, ':');
          int id;
          Pending *p;

          *value++ = '\0';
          id = tc_find_setting (arg);
          if (id < 0 || tc_settings[id].choices == NULL
              || !tc_is_choice (&tc_settings[id], value))
            {
              gp_context_error (context, "Capa Test Camera: cannot change '%s' to '%s'",
                                arg, value);
              return GP_ERROR_BAD_PARAMETERS;
            }
          p = g_new0 (Pending, 1);
          p->due = due;
          p->kind = g_str_equal (item, "quiet") ? PENDING_QUIET_CHANGE : PENDING_CHANGE;
          p->setting = id;
          p->value = g_strdup (value);
          g_queue_insert_sorted (&tc_state.pending, p, compare_pending, NULL);
        }
      else
        {
          gp_context_error (context, "Capa Test Camera: unknown action '%s'", item);
          return GP_ERROR_BAD_PARAMETERS;
        }
    }

  g_cond_broadcast (&tc_state.cond);
  run_due_actions (camera, context);
  return GP_OK;
}

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
  int ret = tc_begin_call (camera, context, "get_config");

  if (ret == GP_OK)
    ret = tc_get_config_locked (camera, window, context);
  tc_end_call ();
  return ret;
}

static int
camera_set_config_cb (Camera       *camera,
                      CameraWidget *window,
                      GPContext    *context)
{
  int ret = tc_begin_call (camera, context, "set_config");

  if (ret == GP_OK)
    {
      guint fails = tc_state.faults.set_config_fails;

      /* The whole tree is refused before any of it is applied. */
      tc_state.set_configs++;
      if (fails == G_MAXUINT || (fails != 0 && tc_state.set_configs == fails))
        {
          if (fails != G_MAXUINT)
            tc_state.faults.set_config_fails = 0;
          gp_context_error (context, "Capa Test Camera: injected failure of set_config");
          ret = GP_ERROR_CAMERA_ERROR;
        }
      else
        ret = tc_set_config_locked (camera, window, context);
    }
  tc_end_call ();
  return ret;
}

static int
camera_list_config_cb (Camera     *camera,
                       CameraList *list,
                       GPContext  *context)
{
  int ret = tc_begin_call (camera, context, "list_config");

  for (guint i = 0; ret == GP_OK && i < N_SETTINGS; i++)
    {
      g_autofree char *path = NULL;

      if (!tc_setting_present (i))
        continue;
      path = g_strdup_printf ("/main/%s/%s", tc_sections[tc_settings[i].section].name,
                              tc_settings[i].name);
      ret = gp_list_append (list, path, NULL);
    }
  tc_end_call ();
  return ret;
}

static int
camera_get_single_config_cb (Camera        *camera,
                             const char    *name,
                             CameraWidget **widget,
                             GPContext     *context)
{
  int ret = tc_begin_call (camera, context, "get_single_config");

  if (ret == GP_OK && tc_state.faults.whole_tree_only)
    ret = GP_ERROR_NOT_SUPPORTED;
  else if (ret == GP_OK)
    {
      int id = tc_find_setting (name);

      ret = id < 0 ? GP_ERROR_BAD_PARAMETERS : tc_make_widget (id, widget);
    }
  tc_end_call ();
  return ret;
}

static int
camera_set_single_config_cb (Camera       *camera,
                             const char   *name,
                             CameraWidget *widget,
                             GPContext    *context)
{
  int ret = tc_begin_call (camera, context, "set_single_config");

  if (ret == GP_OK && tc_state.faults.whole_tree_only)
    ret = GP_ERROR_NOT_SUPPORTED;
  else if (ret == GP_OK)
    {
      int id = tc_find_setting (name);

      ret = id < 0 ? GP_ERROR_BAD_PARAMETERS : tc_apply_widget (camera, id, widget, context);
    }
  tc_end_call ();
  return ret;
}

static int
capture_locked (Camera     *camera,
                CardFile  **file,
                CardFile  **companion,
                GPContext  *context)
{
  int ret;

  ret = tc_check_busy (context);
  if (ret < GP_OK)
    return ret;

  if (tc_state.faults.busy != 0)
    {
      if (tc_state.faults.busy > 0)
        tc_state.faults.busy--;
      gp_context_error (context, "Capa Test Camera: the camera is busy");
      return GP_ERROR_CAMERA_BUSY;
    }
  if (tc_state.faults.card_full)
    {
      gp_context_error (context, "Capa Test Camera: the memory card is full");
      return GP_ERROR_NO_SPACE;
    }
  if (tc_state.faults.slow_ms)
    {
      ret = tc_wait_slowly (tc_state.faults.slow_ms, context);
      if (ret < GP_OK)
        return ret;
    }

  return tc_take_picture (camera, context, file, companion);
}

static int
camera_capture_cb (Camera            *camera,
                   CameraCaptureType  type,
                   CameraFilePath    *path,
                   GPContext         *context)
{
  int ret = tc_begin_call (camera, context, "capture");

  if (ret == GP_OK && type != GP_CAPTURE_IMAGE)
    ret = GP_ERROR_NOT_SUPPORTED;
  if (ret == GP_OK)
    {
      CardFile *file = NULL;
      CardFile *companion = NULL;

      ret = capture_locked (camera, &file, &companion, context);
      if (ret == GP_OK)
        {
          g_strlcpy (path->folder, TC_FOLDER, sizeof path->folder);
          g_strlcpy (path->name, file->name, sizeof path->name);
          /* As ptp2 reports a RAW + JPEG shot: the capture returns one
           * file, an event announces the other, then the capture is
           * complete; with late-companion, once the body has written it. */
          guint late = companion != NULL ? tc_state.faults.late_companion_ms : 0;

          if (late > 0)
            {
              tc_queue_event_later (GP_EVENT_FILE_ADDED, companion->name, late);
              tc_queue_event_later (GP_EVENT_CAPTURE_COMPLETE, NULL, late);
            }
          else
            {
              if (companion != NULL)
                queue_event (GP_EVENT_FILE_ADDED, companion->name, NULL);
              queue_event (GP_EVENT_CAPTURE_COMPLETE, NULL, NULL);
            }
        }
    }
  tc_end_call ();
  return ret;
}

static int
camera_trigger_capture_cb (Camera    *camera,
                           GPContext *context)
{
  int ret = tc_begin_call (camera, context, "trigger_capture");

  if (ret == GP_OK)
    {
      CardFile *file = NULL;
      CardFile *companion = NULL;

      ret = capture_locked (camera, &file, &companion, context);
      if (ret == GP_OK)
        {
          queue_event (GP_EVENT_FILE_ADDED, file->name, NULL);
          if (companion != NULL)
            queue_event (GP_EVENT_FILE_ADDED, companion->name, NULL);
          queue_event (GP_EVENT_CAPTURE_COMPLETE, NULL, NULL);
        }
    }
  tc_end_call ();
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

  if (tc_state.faults.no_preview)
    {
      gp_context_error (context, "Capa Test Camera: this camera has no live view");
      return GP_ERROR_NOT_SUPPORTED;
    }
  if (tc_state.faults.slow_ms)
    {
      ret = tc_wait_slowly (tc_state.faults.slow_ms, context);
      if (ret < GP_OK)
        return ret;
    }

  if (tc_state.faults.empty_preview)
    {
      /* Success, with no data in the file. */
      gp_file_set_mime_type (file, GP_MIME_JPEG);
      return GP_OK;
    }

  tc_state.frame++;
  jpeg = tc_render_jpeg (PREVIEW_WIDTH, PREVIEW_HEIGHT, tc_state.frame, tc_state.number,
                         70, NULL);
  data = g_bytes_get_data (jpeg, &size);

  if (tc_state.faults.corrupt_preview)
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
  int ret = tc_begin_call (camera, context, "capture_preview");

  if (ret == GP_OK)
    ret = capture_preview_locked (camera, file, context);
  tc_end_call ();
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

  if (tc_state.faults.no_events)
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
      if (tc_state.gone)
        return GP_ERROR_IO_USB_FIND;

      event = g_queue_pop_head (&tc_state.events);
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

      wake = MIN (deadline, now + EVENT_CANCEL_POLL_US);
      pending = g_queue_peek_head (&tc_state.pending);
      if (pending != NULL)
        wake = MIN (wake, pending->due);
      g_cond_wait_until (&tc_state.cond, &tc_state.mutex, wake);

      /* As ptp2, which sleeps between its checks without asking. */
      if (!tc_state.faults.deaf_waits &&
          gp_context_cancel (context) == GP_CONTEXT_FEEDBACK_CANCEL)
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

  ret = tc_begin_call (camera, context, "wait_for_event");
  if (ret == GP_OK)
    ret = wait_for_event_locked (camera, timeout, eventtype, eventdata, context);
  tc_end_call ();
  return ret;
}

static int
camera_summary_cb (Camera     *camera,
                   CameraText *text,
                   GPContext  *context)
{
  int ret = tc_begin_call (camera, context, "summary");

  if (ret == GP_OK)
    {
      g_autofree char *faults = tc_faults_to_string (&tc_state.faults);
      g_autofree char *manufacturer = NULL;
      g_autofree char *model = NULL;

      /* The lines ptp2 writes, in libgphoto2's language as ptp2 does. */
      manufacturer = g_strdup_printf (dgettext (TC_GP_DOMAIN, "Manufacturer: %s\n"),
                                      tc_state.values[SETTING_MANUFACTURER].text);
      model = g_strdup_printf (dgettext (TC_GP_DOMAIN, "Model: %s\n"), TC_MODEL);
      g_snprintf (text->text, sizeof text->text,
                  "%s%s"
                  "Files on the card: %u\n"
                  "Shutter counter: %u\n"
                  "Injected faults: %s\n",
                  manufacturer, model, tc_state.card->len, tc_state.shots,
                  *faults ? faults : "none");
    }
  tc_end_call ();
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

  int ret;

  memset (&a, 0, sizeof a);
  g_strlcpy (a.model, TC_MODEL, sizeof a.model);
  a.status = GP_DRIVER_STATUS_TESTING;
  /* On USB (the virtual D750's ids) and on any ptpip: port: the driver
   * reads neither, and libgphoto2's PTP/IP port driver does nothing on
   * open, so nothing goes on the network. */
  a.port = GP_PORT_USB | GP_PORT_PTPIP;
  a.usb_vendor = TC_USB_VENDOR;
  a.usb_product = TC_USB_PRODUCT;
  a.speed[0] = 0;
  a.operations = GP_OPERATION_CAPTURE_IMAGE | GP_OPERATION_CAPTURE_PREVIEW |
                 GP_OPERATION_CONFIG | GP_OPERATION_TRIGGER_CAPTURE;
  a.file_operations = GP_FILE_OPERATION_DELETE | GP_FILE_OPERATION_PREVIEW;
  a.folder_operations = GP_FOLDER_OPERATION_NONE;
  a.device_type = GP_DEVICE_STILL_CAMERA;
  if ((ret = gp_abilities_list_append (list, a)) < GP_OK)
    return ret;

  /* ptp2's generic PTP/IP model, which Capa opens when the model of a
   * network camera is left to detection: tests load this driver alone,
   * so it answers to that name too (the same camera). */
  g_strlcpy (a.model, TC_PTPIP_GENERIC_MODEL, sizeof a.model);
  a.port = GP_PORT_PTPIP;
  a.usb_vendor = 0;
  a.usb_product = 0;

  return gp_abilities_list_append (list, a);
}

EXPORT int
camera_init (Camera    *camera,
             GPContext *context)
{
  const char *faults = g_getenv ("CAPA_TEST_CAMERA_FAULTS");
  int ret = GP_OK;

  tc_current = tc_state_for_camera (camera);
  g_mutex_lock (&tc_state.mutex);
  if (!tc_state.initialised)
    tc_reset_state ();

  /* Plugged in again: what was unplugged is back, and what the camera
   * had to say to the previous connection is gone. */
  tc_state.gone = FALSE;
  g_queue_clear_full (&tc_state.events, queued_event_free);
  g_queue_clear_full (&tc_state.pending, pending_free);
  /* The camera's RAM does not outlive the connection; its card does. */
  for (guint i = tc_state.card->len; i > 0; i--)
    if (((CardFile *) g_ptr_array_index (tc_state.card, i - 1))->in_ram)
      g_ptr_array_remove_index (tc_state.card, i - 1);
  tc_state.bulb_start = 0;
  if (faults != NULL)
    ret = tc_set_faults (faults, context);
  /* As when the desktop's GVFS gphoto2 monitor holds the device. */
  if (ret >= GP_OK && tc_state.faults.claimed)
    ret = GP_ERROR_IO_USB_CLAIM;
  tc_state.calls = 0;
  tc_state.set_configs = 0;
  tc_fuzz_set_camera (camera);
  g_mutex_unlock (&tc_state.mutex);

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

  return gp_filesystem_set_funcs (camera->fs, &tc_fs_funcs, camera);
}
