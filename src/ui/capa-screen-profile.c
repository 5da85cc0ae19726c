/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Colour"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>

#ifdef GDK_WINDOWING_X11
#include <gdk/gdkx.h>
#include <X11/extensions/Xrandr.h>
#endif

#include "capa-enum-types.h"
#include "capa-screen-profile-private.h"
#include "capa-screen-profile.h"

/* The colour-management key of the settings: the enum
 * org.capaphoto.Capa.ColourManagement. */
typedef enum {
  MODE_DETECT,
  MODE_FILE,
  MODE_OFF,
} Mode;

struct _CapaScreenProfile
{
  GObject              parent_instance;

  /* construct-only */
  GtkWidget           *widget;           /* weak pointer */
  GSettings           *settings;         /* owned */

  /* owned */
  GCancellable        *cancellable;      /* cancelled on dispose */
  CapaColourProfile   *profile;          /* what to draw with; NULL when off */
  CapaColourProfile   *detected;         /* what the display gives, or NULL */
  char                *detected_source;
  GError              *detect_error;     /* the display's profile is broken */
  CapaColourProfile   *file_profile;     /* the colour-profile-file's, or NULL */
  GError              *file_error;
  CapaRenderingIntent  intent;
  Mode                 mode;

  /* what is followed */
  GtkWidget           *toplevel;         /* weak pointer, with our handlers */
  GdkMonitor          *monitor;          /* only compared, never dereferenced */
  gboolean             monitor_known;
  GdkWindow           *root;             /* owned, with our event filter */
  guint                icc_atom;         /* _ICC_PROFILE, 0 until read once */
  guint                screen_atom;      /* _ICC_PROFILE_n, or 0 */
  int                  randr_event_base; /* -1 without RandR */
  guint                colord_watch;
  gboolean             colord_running;

  /* reads in flight: only the newest one's result is taken */
  guint                detect_serial;
  guint                file_serial;
  guint                n_pending;
};

G_DEFINE_FINAL_TYPE (CapaScreenProfile, capa_screen_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WIDGET,
  PROP_SETTINGS,
  PROP_PROFILE,
  PROP_DETECTED_PROFILE,
  PROP_DETECTED_SOURCE,
  PROP_RENDERING_INTENT,
  PROP_BUSY,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ERROR,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void follow_toplevel (CapaScreenProfile *self);
static void detect (CapaScreenProfile *self);

/* --- the profile drawn with --- */

static void
set_profile (CapaScreenProfile *self,
             CapaColourProfile *profile)
{
  if (self->profile == profile)
    return;
  if (self->profile != NULL && profile != NULL
      && capa_colour_profile_equal (self->profile, profile))
    return;

  g_set_object (&self->profile, profile);
  g_debug ("Monitor profile: %s",
           profile != NULL ? capa_colour_profile_get_description (profile) : "none (off)");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/* Works out the profile to draw with from the mode and what was read;
 * with @announce, says why when that profile falls back to sRGB. */
static void
apply (CapaScreenProfile *self,
       gboolean           announce)
{
  g_autoptr(CapaColourProfile) srgb = NULL;
  const GError *error = NULL;

  switch (self->mode)
    {
    case MODE_OFF:
      set_profile (self, NULL);
      return;

    case MODE_FILE:
      if (self->file_profile != NULL)
        {
          set_profile (self, self->file_profile);
          return;
        }
      error = self->file_error;
      break;

    case MODE_DETECT:
    default:
      if (self->detected != NULL)
        {
          set_profile (self, self->detected);
          return;
        }
      error = self->detect_error;
      break;
    }

  srgb = capa_colour_profile_new_srgb ();
  set_profile (self, srgb);

  if (announce && error != NULL)
    g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

static void
begin_read (CapaScreenProfile *self)
{
  if (self->n_pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
end_read (CapaScreenProfile *self)
{
  g_assert (self->n_pending > 0);

  if (--self->n_pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* --- the profile file --- */

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  CapaColourProfile *profile;

  profile = capa_colour_profile_new_display_from_file (path, &error);
  if (profile == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

static void
on_file_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CapaScreenProfile *self = CAPA_SCREEN_PROFILE (object);
  guint serial = GPOINTER_TO_UINT (user_data);
  g_autoptr(CapaColourProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  end_read (self);
  if (serial != self->file_serial)
    return;

  g_set_object (&self->file_profile, profile);
  g_clear_error (&self->file_error);
  if (error != NULL)
    {
      self->file_error = g_error_copy (error);
      g_prefix_error_literal (&self->file_error, _("The monitor profile file is unusable. "));
      g_debug ("%s", self->file_error->message);
    }

  apply (self, self->mode == MODE_FILE);
}

static void
read_file (CapaScreenProfile *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = g_settings_get_string (self->settings, "colour-profile-file");

  self->file_serial++;
  g_clear_object (&self->file_profile);
  g_clear_error (&self->file_error);

  if (path[0] == '\0')
    {
      g_set_error_literal (&self->file_error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                           _("No monitor profile file is chosen: images are shown for "
                             "sRGB. Choose the file in Preferences."));
      apply (self, self->mode == MODE_FILE);
      return;
    }

  task = g_task_new (self, self->cancellable, on_file_read_cb,
                     GUINT_TO_POINTER (self->file_serial));
  g_task_set_source_tag (task, read_file);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  begin_read (self);
  g_task_run_in_thread (task, read_file_thread);
}

/* --- detection --- */

typedef struct
{
  char    *display_name;     /* an X11 display, or NULL */
  guint32  output;           /* its RandR output, or 0 */
  guint    monitor_number;
  char    *model;            /* the monitor's model, for colord */
} DetectJob;

typedef struct
{
  CapaColourProfile *profile;
  char              *source;
  GError            *error;  /* a profile was found but is unusable */
  char              *output_name;
  char              *model;
  guint32            icc_atom;
  guint32            screen_atom;
} DetectResult;

static void
detect_job_free (DetectJob *job)
{
  g_free (job->display_name);
  g_free (job->model);
  g_free (job);
}

static void
detect_result_free (DetectResult *result)
{
  g_clear_object (&result->profile);
  g_free (result->source);
  g_free (result->output_name);
  g_free (result->model);
  g_clear_error (&result->error);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DetectResult, detect_result_free)

static void
parse_profile (DetectResult *result,
               GBytes       *data,
               const char   *source)
{
  g_autoptr(GError) error = NULL;

  result->source = g_strdup (source);
  result->profile = capa_colour_profile_new_display_from_data (data, &error);
  if (result->profile == NULL)
    {
      /* Translators: %s says where the profile came from, such as “the
       * display’s profile for output HDMI-1” */
      g_prefix_error (&error, _("The monitor’s colour profile (%s) is broken, so images are "
                                "shown for sRGB; set a valid profile for the display or choose "
                                "a profile file in Preferences. "), source);
      result->error = g_steal_pointer (&error);
    }
}

static void
detect_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DetectJob *job = task_data;
  g_autoptr(DetectResult) result = g_new0 (DetectResult, 1);
  g_autofree char *output_name = NULL;

  if (job->display_name != NULL)
    {
      CapaX11Profile x11 = { 0 };
      g_autoptr(GError) error = NULL;

      if (!_capa_screen_profile_read_x11 (job->display_name, job->output, job->monitor_number,
                                          &x11, &error))
        g_message ("Could not read the monitor’s colour profile: %s", error->message);

      result->icc_atom = x11.icc_atom;
      result->screen_atom = x11.screen_atom;
      output_name = g_steal_pointer (&x11.output_name);
      if (x11.data != NULL)
        parse_profile (result, x11.data, x11.source);
      _capa_x11_profile_clear (&x11);
    }

  result->output_name = g_steal_pointer (&output_name);
  result->model = g_strdup (job->model);

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) detect_result_free);
}

/* The end of a detection: takes @detected's profile, source and error. */
static void
finish_detection (CapaScreenProfile *self,
                  DetectResult      *detected)
{
  gboolean changed;

  changed = !((self->detected == NULL && detected->profile == NULL)
              || (self->detected != NULL && detected->profile != NULL
                  && capa_colour_profile_equal (self->detected, detected->profile)));

  if (changed)
    {
      g_set_object (&self->detected, detected->profile);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETECTED_PROFILE]);
    }
  if (g_strcmp0 (self->detected_source, detected->source) != 0)
    {
      g_free (self->detected_source);
      self->detected_source = g_steal_pointer (&detected->source);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETECTED_SOURCE]);
    }

  g_clear_error (&self->detect_error);
  if (detected->error != NULL)
    {
      g_debug ("%s", detected->error->message);
      self->detect_error = g_steal_pointer (&detected->error);
    }

  apply (self, self->mode == MODE_DETECT);
}

/* A colord lookup in flight: the object and the detection it belongs to. */
typedef struct
{
  CapaScreenProfile *self;   /* owned */
  guint              serial;
} ColordLookup;

static void
colord_lookup_free (ColordLookup *lookup)
{
  g_object_unref (lookup->self);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ColordLookup, colord_lookup_free)

static void
on_colord_profile_read_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  CapaScreenProfile *self = CAPA_SCREEN_PROFILE (object);
  guint serial = GPOINTER_TO_UINT (user_data);
  g_autoptr(DetectResult) detected = g_new0 (DetectResult, 1);
  g_autoptr(GError) error = NULL;

  detected->profile = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  end_read (self);
  if (serial != self->detect_serial)
    return;

  detected->source = g_strdup (_("the colour manager’s profile"));
  if (error != NULL)
    {
      g_prefix_error_literal (&error, _("The colour manager’s profile for this monitor is "
                                        "unusable, so images are shown for sRGB; choose another "
                                        "profile for the display or a profile file in "
                                        "Preferences. "));
      detected->error = g_steal_pointer (&error);
    }
  finish_detection (self, detected);
}

static void
on_colord_file_found_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(ColordLookup) lookup = user_data;
  CapaScreenProfile *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GTask) task = NULL;

  path = _capa_screen_profile_find_colord_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  end_read (self);
  if (lookup->serial != self->detect_serial)
    return;

  if (path == NULL)
    {
      g_autoptr(DetectResult) detected = g_new0 (DetectResult, 1);

      if (error != NULL)
        g_debug ("colord gives no profile: %s", error->message);
      finish_detection (self, detected);
      return;
    }

  g_debug ("colord gives the profile %s", path);
  task = g_task_new (self, self->cancellable, on_colord_profile_read_cb,
                     GUINT_TO_POINTER (lookup->serial));
  g_task_set_source_tag (task, on_colord_file_found_cb);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  begin_read (self);
  g_task_run_in_thread (task, read_file_thread);
}

static void
on_detected_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CapaScreenProfile *self = CAPA_SCREEN_PROFILE (object);
  guint serial = GPOINTER_TO_UINT (user_data);
  g_autoptr(DetectResult) detected = NULL;
  g_autoptr(GError) error = NULL;

  detected = g_task_propagate_pointer (G_TASK (result), &error);
  if (detected == NULL)
    {
      g_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
      return;
    }

  end_read (self);
  if (detected->icc_atom != 0)
    self->icc_atom = detected->icc_atom;
  self->screen_atom = detected->screen_atom;
  if (serial != self->detect_serial)
    return;

  /* No X11 property (or not X11 at all): colord, when it runs. */
  if (detected->profile == NULL && detected->error == NULL && self->colord_running)
    {
      ColordLookup *lookup = g_new0 (ColordLookup, 1);

      lookup->self = g_object_ref (self);
      lookup->serial = serial;
      begin_read (self);
      _capa_screen_profile_find_colord_file_async (detected->output_name, detected->model,
                                                   self->cancellable,
                                                   on_colord_file_found_cb, lookup);
      return;
    }

  finish_detection (self, detected);
}

static void
detect (CapaScreenProfile *self)
{
  g_autoptr(GTask) task = NULL;
  DetectJob *job = g_new0 (DetectJob, 1);
  GdkDisplay *display = self->widget != NULL
                        ? gtk_widget_get_display (self->widget) : gdk_display_get_default ();

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (display))
    {
      job->display_name = g_strdup (gdk_display_get_name (display));

      if (self->monitor != NULL)
        {
          int n = gdk_display_get_n_monitors (display);

          for (int i = 0; i < n; i++)
            if (gdk_display_get_monitor (display, i) == self->monitor)
              job->monitor_number = i;
          job->output = gdk_x11_monitor_get_output (self->monitor);
        }
    }
#endif

  if (self->monitor != NULL)
    job->model = g_strdup (gdk_monitor_get_model (self->monitor));

  g_debug ("Reading the profile of monitor %u (output 0x%x)", job->monitor_number, job->output);

  self->detect_serial++;
  task = g_task_new (self, self->cancellable, on_detected_cb,
                     GUINT_TO_POINTER (self->detect_serial));
  g_task_set_source_tag (task, detect);
  g_task_set_task_data (task, job, (GDestroyNotify) detect_job_free);
  begin_read (self);
  g_task_run_in_thread (task, detect_thread);
}

/* --- following the window and the display --- */

static GdkMonitor *
find_monitor (CapaScreenProfile *self)
{
  GdkDisplay *display;
  GdkWindow *window;

  /* Not in a window yet: where a new window goes first. */
  if (self->toplevel == NULL)
    {
      display = self->widget != NULL ? gtk_widget_get_display (self->widget)
                                     : gdk_display_get_default ();
      return gdk_display_get_primary_monitor (display);
    }

  display = gtk_widget_get_display (self->toplevel);
  window = gtk_widget_get_window (self->toplevel);
  if (window != NULL)
    return gdk_display_get_monitor_at_window (display, window);

  /* Not shown yet: where a new window goes first. */
  return gdk_display_get_primary_monitor (display);
}

static void
follow_monitor (CapaScreenProfile *self)
{
  GdkMonitor *monitor = find_monitor (self);

  if (self->monitor_known && monitor == self->monitor)
    return;

  self->monitor = monitor;
  self->monitor_known = TRUE;
  detect (self);
}

static gboolean
on_toplevel_configure_event_cb (GtkWidget         *toplevel,
                                GdkEventConfigure *event,
                                CapaScreenProfile *self)
{
  follow_monitor (self);

  return GDK_EVENT_PROPAGATE;
}

static void
on_toplevel_realize_cb (GtkWidget         *toplevel,
                        CapaScreenProfile *self)
{
  follow_monitor (self);
}

static void
on_widget_hierarchy_changed_cb (GtkWidget         *widget,
                                GtkWidget         *previous_toplevel,
                                CapaScreenProfile *self)
{
  follow_toplevel (self);
}

static void
on_monitors_changed_cb (GdkDisplay        *display,
                        GdkMonitor        *monitor,
                        CapaScreenProfile *self)
{
  /* A monitor gone may have been ours, and a new one may take its place
   * at the same address: read again. */
  self->monitor_known = FALSE;
  follow_monitor (self);
}

#ifdef GDK_WINDOWING_X11
static GdkFilterReturn
root_filter (GdkXEvent *gdk_xevent,
             GdkEvent  *event,
             gpointer   user_data)
{
  CapaScreenProfile *self = user_data;
  XEvent *xevent = gdk_xevent;

  if (xevent->type == PropertyNotify)
    {
      Atom atom = xevent->xproperty.atom;

      /* Until the first read has named the atoms, any change may be one. */
      if (self->icc_atom == 0 || atom == self->icc_atom
          || (self->screen_atom != 0 && atom == self->screen_atom))
        {
          g_debug ("The root window’s colour profile property changed");
          detect (self);
        }
    }
  else if (self->randr_event_base >= 0 && xevent->type == self->randr_event_base + RRNotify)
    {
      XRRNotifyEvent *notify = (XRRNotifyEvent *) xevent;

      if (notify->subtype == RRNotify_OutputProperty)
        {
          XRROutputPropertyNotifyEvent *property = (XRROutputPropertyNotifyEvent *) xevent;

          if (self->icc_atom == 0 || property->property == self->icc_atom)
            {
              g_debug ("An output’s colour profile property changed");
              detect (self);
            }
        }
    }

  return GDK_FILTER_CONTINUE;
}
#endif

static void
watch_display (CapaScreenProfile *self)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (self->widget != NULL)
    display = gtk_widget_get_display (self->widget);

  g_signal_connect_object (display, "monitor-added",
                           G_CALLBACK (on_monitors_changed_cb), self, 0);
  g_signal_connect_object (display, "monitor-removed",
                           G_CALLBACK (on_monitors_changed_cb), self, 0);

  self->randr_event_base = -1;

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (display))
    {
      Display *xdisplay = gdk_x11_display_get_xdisplay (display);
      int event_base, error_base;

      GdkScreen *screen = gdk_display_get_default_screen (display);

      self->root = g_object_ref (gdk_screen_get_root_window (screen));
      gdk_window_set_events (self->root,
                             gdk_window_get_events (self->root) | GDK_PROPERTY_CHANGE_MASK);
      gdk_window_add_filter (self->root, root_filter, self);

      /* GDK queried RandR when it opened the display: no round trip. */
      if (XRRQueryExtension (xdisplay, &event_base, &error_base))
        self->randr_event_base = event_base;
    }
#endif
}

static void
disconnect_toplevel (CapaScreenProfile *self)
{
  if (self->toplevel == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->toplevel, self);
  g_object_remove_weak_pointer (G_OBJECT (self->toplevel), (gpointer *) &self->toplevel);
  self->toplevel = NULL;
}

static void
follow_toplevel (CapaScreenProfile *self)
{
  GtkWidget *toplevel = NULL;

  if (self->widget != NULL)
    {
      toplevel = gtk_widget_get_toplevel (self->widget);
      if (!gtk_widget_is_toplevel (toplevel))
        toplevel = NULL;
    }

  if (toplevel != self->toplevel)
    {
      disconnect_toplevel (self);
      self->toplevel = toplevel;
      if (toplevel != NULL)
        {
          g_object_add_weak_pointer (G_OBJECT (toplevel), (gpointer *) &self->toplevel);
          g_signal_connect (toplevel, "configure-event",
                            G_CALLBACK (on_toplevel_configure_event_cb), self);
          g_signal_connect (toplevel, "realize", G_CALLBACK (on_toplevel_realize_cb), self);
        }
    }

  follow_monitor (self);
}

/* --- colord --- */

static void
on_colord_appeared_cb (GDBusConnection *connection,
                       const char      *name,
                       const char      *owner,
                       gpointer         user_data)
{
  CapaScreenProfile *self = user_data;

  if (self->colord_running)
    return;

  g_debug ("colord is running");
  self->colord_running = TRUE;
  detect (self);
}

static void
on_colord_vanished_cb (GDBusConnection *connection,
                       const char      *name,
                       gpointer         user_data)
{
  CapaScreenProfile *self = user_data;

  if (!self->colord_running)
    return;

  self->colord_running = FALSE;
  detect (self);
}

/* --- settings --- */

static void
on_settings_changed_cb (GSettings         *settings,
                        const char        *key,
                        CapaScreenProfile *self)
{
  if (g_str_equal (key, "rendering-intent"))
    {
      CapaRenderingIntent intent = g_settings_get_enum (settings, "rendering-intent");

      if (intent != self->intent)
        {
          self->intent = intent;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERING_INTENT]);
        }
    }
  else if (g_str_equal (key, "colour-management"))
    {
      Mode mode = g_settings_get_enum (settings, "colour-management");

      if (mode == self->mode)
        return;

      self->mode = mode;
      if (mode == MODE_FILE)
        read_file (self);
      else
        apply (self, TRUE);
    }
  else if (g_str_equal (key, "colour-profile-file"))
    {
      read_file (self);
    }
}

/* --- the object --- */

static void
capa_screen_profile_constructed (GObject *object)
{
  CapaScreenProfile *self = CAPA_SCREEN_PROFILE (object);

  G_OBJECT_CLASS (capa_screen_profile_parent_class)->constructed (object);

  g_assert (self->settings != NULL);

  self->intent = g_settings_get_enum (self->settings, "rendering-intent");
  self->mode = g_settings_get_enum (self->settings, "colour-management");
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (on_settings_changed_cb), self, 0);

  if (self->widget != NULL)
    g_signal_connect_object (self->widget, "hierarchy-changed",
                             G_CALLBACK (on_widget_hierarchy_changed_cb), self, 0);

  watch_display (self);

  /* Asked without blocking: the answer comes later, and starts a read. */
  self->colord_watch = g_bus_watch_name (G_BUS_TYPE_SYSTEM, "org.freedesktop.ColorManager",
                                         G_BUS_NAME_WATCHER_FLAGS_NONE,
                                         on_colord_appeared_cb, on_colord_vanished_cb,
                                         self, NULL);

  /* Until the first read ends: sRGB, or nothing when off. */
  apply (self, FALSE);
  if (self->mode == MODE_FILE)
    read_file (self);
  follow_toplevel (self);
}

static void
capa_screen_profile_dispose (GObject *object)
{
  CapaScreenProfile *self = CAPA_SCREEN_PROFILE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->colord_watch, g_bus_unwatch_name);

#ifdef GDK_WINDOWING_X11
  if (self->root != NULL)
    gdk_window_remove_filter (self->root, root_filter, self);
#endif
  g_clear_object (&self->root);

  disconnect_toplevel (self);
  if (self->widget != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
      self->widget = NULL;
    }

  g_clear_object (&self->settings);
  g_clear_object (&self->profile);
  g_clear_object (&self->detected);
  g_clear_object (&self->file_profile);

  G_OBJECT_CLASS (capa_screen_profile_parent_class)->dispose (object);
}

static void
capa_screen_profile_finalize (GObject *object)
{
  CapaScreenProfile *self = CAPA_SCREEN_PROFILE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->detected_source, g_free);
  g_clear_error (&self->detect_error);
  g_clear_error (&self->file_error);

  G_OBJECT_CLASS (capa_screen_profile_parent_class)->finalize (object);
}

static void
capa_screen_profile_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CapaScreenProfile *self = CAPA_SCREEN_PROFILE (object);

  switch (prop_id)
    {
    case PROP_WIDGET:
      g_value_set_object (value, self->widget);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    case PROP_DETECTED_PROFILE:
      g_value_set_object (value, self->detected);
      break;

    case PROP_DETECTED_SOURCE:
      g_value_set_string (value, self->detected_source);
      break;

    case PROP_RENDERING_INTENT:
      g_value_set_enum (value, self->intent);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->n_pending > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_screen_profile_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CapaScreenProfile *self = CAPA_SCREEN_PROFILE (object);

  switch (prop_id)
    {
    case PROP_WIDGET:
      self->widget = g_value_get_object (value);
      if (self->widget != NULL)
        g_object_add_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_screen_profile_class_init (CapaScreenProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = capa_screen_profile_constructed;
  object_class->dispose = capa_screen_profile_dispose;
  object_class->finalize = capa_screen_profile_finalize;
  object_class->get_property = capa_screen_profile_get_property;
  object_class->set_property = capa_screen_profile_set_property;

  /**
   * CapaScreenProfile:widget:
   *
   * The widget whose toplevel window is followed from monitor to monitor.
   * It is not kept alive.
   */
  properties[PROP_WIDGET] =
    g_param_spec_object ("widget", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaScreenProfile:settings:
   *
   * The settings of the `org.capaphoto.Capa` schema whose
   * `colour-management`, `colour-profile-file` and `rendering-intent`
   * keys are followed.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaScreenProfile:profile:
   *
   * The profile to draw images with, as the `colour-management` key says:
   * the monitor's profile (sRGB when the display gives none, or a broken
   * one), the profile file's (sRGB when it is unusable), or %NULL when
   * colour management is off. sRGB until the first read ends.
   */
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         CAPA_TYPE_COLOUR_PROFILE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaScreenProfile:detected-profile:
   *
   * The profile the display gives for the window's monitor (X11 ICC
   * profile properties or colord), whatever the `colour-management` key
   * says; %NULL when it gives none or a broken one.
   */
  properties[PROP_DETECTED_PROFILE] =
    g_param_spec_object ("detected-profile", NULL, NULL,
                         CAPA_TYPE_COLOUR_PROFILE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaScreenProfile:detected-source:
   *
   * Where [property@Capa.ScreenProfile:detected-profile] came from, in
   * words for the user (such as “the display’s profile for output
   * HDMI-1”), or %NULL when the display gives none.
   */
  properties[PROP_DETECTED_SOURCE] =
    g_param_spec_string ("detected-source", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaScreenProfile:rendering-intent:
   *
   * The rendering intent to draw with, from the `rendering-intent` key.
   */
  properties[PROP_RENDERING_INTENT] =
    g_param_spec_enum ("rendering-intent", NULL, NULL,
                       CAPA_TYPE_RENDERING_INTENT,
                       CAPA_RENDERING_INTENT_PERCEPTUAL,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaScreenProfile:busy:
   *
   * Whether a profile is being read (from the display or a file).
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaScreenProfile::error:
   * @self: the #CapaScreenProfile
   * @error: what went wrong, for the user
   *
   * Emitted when the profile to use is broken or cannot be read (the
   * display's or the chosen file's); [property@Capa.ScreenProfile:profile]
   * is sRGB meanwhile.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
capa_screen_profile_init (CapaScreenProfile *self)
{
  self->cancellable = g_cancellable_new ();
  self->randr_event_base = -1;
}

/**
 * capa_screen_profile_new:
 * @widget: (nullable): the widget whose window to follow
 * @settings: settings of the `org.capaphoto.Capa` schema
 *
 * Creates an object giving the colour profile of the monitor that
 * @widget's toplevel window is on, found per the X11 ICC profile
 * specification (the RandR output's `_ICC_PROFILE` property, else
 * `_ICC_PROFILE_n` on the root window for monitor n, else `_ICC_PROFILE`
 * on the root window) or from colord when it runs; read again when the
 * window moves to another monitor and when a property changes. All reading
 * and parsing runs on worker threads. Without @widget, the primary monitor
 * is used.
 *
 * Returns: (transfer full): a new #CapaScreenProfile
 */
CapaScreenProfile *
capa_screen_profile_new (GtkWidget *widget,
                         GSettings *settings)
{
  g_return_val_if_fail (widget == NULL || GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (CAPA_TYPE_SCREEN_PROFILE,
                       "widget", widget,
                       "settings", settings,
                       NULL);
}

/**
 * capa_screen_profile_get_widget:
 * @self: a #CapaScreenProfile
 *
 * Returns: (transfer none) (nullable): the widget followed, or %NULL once
 *   it is gone
 */
GtkWidget *
capa_screen_profile_get_widget (CapaScreenProfile *self)
{
  g_return_val_if_fail (CAPA_IS_SCREEN_PROFILE (self), NULL);

  return self->widget;
}

/**
 * capa_screen_profile_get_profile:
 * @self: a #CapaScreenProfile
 *
 * Returns: (transfer none) (nullable): the profile to draw with, %NULL
 *   when colour management is off; see
 *   [property@Capa.ScreenProfile:profile]
 */
CapaColourProfile *
capa_screen_profile_get_profile (CapaScreenProfile *self)
{
  g_return_val_if_fail (CAPA_IS_SCREEN_PROFILE (self), NULL);

  return self->profile;
}

/**
 * capa_screen_profile_get_detected_profile:
 * @self: a #CapaScreenProfile
 *
 * Returns: (transfer none) (nullable): the profile the display gives for
 *   the monitor, or %NULL
 */
CapaColourProfile *
capa_screen_profile_get_detected_profile (CapaScreenProfile *self)
{
  g_return_val_if_fail (CAPA_IS_SCREEN_PROFILE (self), NULL);

  return self->detected;
}

/**
 * capa_screen_profile_get_detected_source:
 * @self: a #CapaScreenProfile
 *
 * Returns: (nullable): where the detected profile came from, for the user
 */
const char *
capa_screen_profile_get_detected_source (CapaScreenProfile *self)
{
  g_return_val_if_fail (CAPA_IS_SCREEN_PROFILE (self), NULL);

  return self->detected_source;
}

/**
 * capa_screen_profile_get_rendering_intent:
 * @self: a #CapaScreenProfile
 *
 * Returns: the rendering intent to draw with
 */
CapaRenderingIntent
capa_screen_profile_get_rendering_intent (CapaScreenProfile *self)
{
  g_return_val_if_fail (CAPA_IS_SCREEN_PROFILE (self), CAPA_RENDERING_INTENT_PERCEPTUAL);

  return self->intent;
}

/**
 * capa_screen_profile_get_busy:
 * @self: a #CapaScreenProfile
 *
 * Returns: whether a profile is being read
 */
gboolean
capa_screen_profile_get_busy (CapaScreenProfile *self)
{
  g_return_val_if_fail (CAPA_IS_SCREEN_PROFILE (self), FALSE);

  return self->n_pending > 0;
}

/**
 * capa_screen_profile_reload:
 * @self: a #CapaScreenProfile
 *
 * Reads the monitor's profile again, and the profile file when one is
 * used, as after a change the display did not announce.
 */
void
capa_screen_profile_reload (CapaScreenProfile *self)
{
  g_return_if_fail (CAPA_IS_SCREEN_PROFILE (self));

  detect (self);
  if (self->mode == MODE_FILE)
    read_file (self);
}
