/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Settings"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-control-button.h"
#include "capa-control-choice.h"
#include "capa-control-date.h"
#include "capa-control-range.h"
#include "capa-control-row.h"
#include "capa-control-text.h"
#include "capa-control-toggle.h"

/**
 * CapaControlRow:
 *
 * One camera setting as a row of a [class@Gtk.ListBox]: its label and the
 * widget its type calls for.
 *
 * - [class@Capa.ControlRange]: a [class@Gtk.Scale] when the range has at
 *   most 100 steps (exposure compensation), else a [class@Gtk.SpinButton],
 *   both moving by the camera's step;
 * - [class@Capa.ControlChoice]: a [class@Gtk.ComboBoxText];
 * - [class@Capa.ControlToggle]: a [class@Gtk.Switch];
 * - [class@Capa.ControlText]: a [class@Gtk.Entry], sent on Enter or when
 *   it loses the focus;
 * - [class@Capa.ControlDate]: an entry for the date and time and a "Set
 *   to Computer's Time" button;
 * - [class@Capa.ControlButton]: a [class@Gtk.Button];
 * - a read-only control: its value as a label.
 *
 * A value changed in the widget is set on the control and sent with
 * [method@Capa.Camera.save_controls_async]. When the camera refuses it,
 * [signal@Capa.ControlRow::error] names the setting and the value, the
 * change is discarded and the camera's settings are read again, so that
 * the widget shows the camera's value. Values read from the camera (a
 * load, a dial turned on the body) update the widget without being sent
 * back.
 */

/* A range of at most this many steps gets a scale, a longer one a spin
 * button. */
#define MAX_SCALE_STEPS 100
/* A scale or spin button sends its value once it rests this long. */
#define RANGE_SEND_DELAY_MS 250

struct _CapaControlRow
{
  GtkListBoxRow  parent_instance;

  /* construct-only */
  CapaCamera    *camera;
  CapaControl   *control;

  /* owned */
  GCancellable  *cancellable;
  guint          range_send_id;
  guint          n_busy;          /* saves and reloads under way */
  guint          syncing : 1;     /* the widget is being set from the control */

  /* child widgets */
  GtkWidget     *box;
  GtkWidget     *title;
  GtkWidget     *value_widget;    /* the widget holding the value */
  GtkWidget     *now_button;      /* a date's "Set to Computer's Time" */
};

G_DEFINE_FINAL_TYPE (CapaControlRow, capa_control_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_CAMERA,
  PROP_CONTROL,
  PROP_BUSY,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ERROR,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void build_widgets (CapaControlRow *self);

/* ------------------------------------------------------------------ */
/* values as text                                                       */
/* ------------------------------------------------------------------ */

static int
range_digits (CapaControlRange *range)
{
  double step = capa_control_range_get_step (range);
  int digits = 0;

  if (step <= 0)
    return 2;
  while (digits < 3 && fabs (step * pow (10, digits) - round (step * pow (10, digits))) > 1e-6)
    digits++;
  return digits;
}

static char *
format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return g_strdup ("");
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/* The control's value as the user reads it. */
static char *
dup_value_text (CapaControl *control)
{
  if (CAPA_IS_CONTROL_RANGE (control))
    {
      CapaControlRange *range = CAPA_CONTROL_RANGE (control);

      return g_strdup_printf ("%.*f", range_digits (range), capa_control_range_get_value (range));
    }
  if (CAPA_IS_CONTROL_CHOICE (control))
    return g_strdup (capa_control_choice_get_value (CAPA_CONTROL_CHOICE (control)));
  if (CAPA_IS_CONTROL_TOGGLE (control))
    return g_strdup (capa_control_toggle_get_value (CAPA_CONTROL_TOGGLE (control)) ?
                     _("On") : _("Off"));
  if (CAPA_IS_CONTROL_TEXT (control))
    return g_strdup (capa_control_text_get_value (CAPA_CONTROL_TEXT (control)));
  if (CAPA_IS_CONTROL_DATE (control))
    return format_date (capa_control_date_get_value (CAPA_CONTROL_DATE (control)));
  return g_strdup ("");
}

/* "Shutter Speed" → "_Shutter Speed": a mnemonic on the first letter or
 * digit, the label's own underscores kept as such. */
static char *
dup_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);
  gboolean marked = FALSE;

  for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '_')
        {
          g_string_append (out, "__");
          continue;
        }
      if (!marked && g_unichar_isalnum (c))
        {
          g_string_append_c (out, '_');
          marked = TRUE;
        }
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* sending                                                              */
/* ------------------------------------------------------------------ */

static void
busy_changed (CapaControlRow *self,
              int             delta)
{
  gboolean was_busy = capa_control_row_get_busy (self);

  if (delta < 0)
    self->n_busy--;
  else
    self->n_busy++;
  if (was_busy != capa_control_row_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
on_reload_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CapaControlRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capa_camera_load_controls_finish (CAPA_CAMERA (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);

  busy_changed (self, -1);
}

static void
on_save_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CapaControlRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!capa_camera_save_controls_finish (CAPA_CAMERA (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GError) refused = NULL;

      if (capa_control_get_dirty (self->control))
        {
          g_autofree char *value = dup_value_text (self->control);
          g_autofree char *reason = g_strdup (error->message);
          gsize length = strlen (reason);

          if (length > 0 && reason[length - 1] == '.')
            reason[length - 1] = '\0';
          /* Translators: the first %s is a setting, the second its value,
           * the third the camera's reason */
          refused = g_error_new (error->domain, error->code,
                                 _("“%s” cannot be set to “%s”. %s. The setting shows the "
                                   "camera's value again; check the camera's mode and dials."),
                                 capa_control_get_label (self->control), value, reason);
          capa_control_discard_change (self->control);
        }

      g_signal_emit (self, signals[SIGNAL_ERROR], 0, refused != NULL ? refused : error);

      /* Back to the camera's value, read again (a camera that went away
       * says so once, through the error above). */
      if (capa_camera_get_connected (self->camera))
        {
          busy_changed (self, +1);
          capa_camera_load_controls_async (self->camera, self->cancellable, on_reload_done_cb,
                                           g_object_ref (self));
        }
    }

  busy_changed (self, -1);
}

static void
send_changes (CapaControlRow *self)
{
  busy_changed (self, +1);
  capa_camera_save_controls_async (self->camera, self->cancellable, on_save_done_cb,
                                   g_object_ref (self));
}

/* ------------------------------------------------------------------ */
/* the widget from the control                                          */
/* ------------------------------------------------------------------ */

static void
sync_range (CapaControlRow *self)
{
  CapaControlRange *range = CAPA_CONTROL_RANGE (self->control);
  GtkAdjustment *adjustment;
  double step = capa_control_range_get_step (range);

  if (GTK_IS_SCALE (self->value_widget))
    adjustment = gtk_range_get_adjustment (GTK_RANGE (self->value_widget));
  else
    adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->value_widget));

  if (step <= 0)
    step = (capa_control_range_get_max (range) - capa_control_range_get_min (range)) / 100;
  gtk_adjustment_configure (adjustment,
                            capa_control_range_get_value (range),
                            capa_control_range_get_min (range),
                            capa_control_range_get_max (range),
                            step, step * 4, 0);
}

/* Shows the value; with @items the list of choices is made anew first. */
static void
sync_choice (CapaControlRow *self,
             gboolean        items)
{
  CapaControlChoice *choice = CAPA_CONTROL_CHOICE (self->control);
  GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT (self->value_widget);
  const char * const *choices = capa_control_choice_get_choices (choice);
  const char *value = capa_control_choice_get_value (choice);

  if (items)
    {
      gtk_combo_box_text_remove_all (combo);
      for (guint i = 0; choices != NULL && choices[i] != NULL; i++)
        gtk_combo_box_text_append (combo, choices[i], choices[i]);
    }

  if (value == NULL)
    return;
  /* A value the camera reports without offering it is still shown. */
  if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), value))
    {
      gtk_combo_box_text_append (combo, value, value);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), value);
    }
}

static void
sync_widget (CapaControlRow *self,
             gboolean        items)
{
  g_autofree char *text = NULL;

  self->syncing = TRUE;

  if (GTK_IS_LABEL (self->value_widget))
    {
      text = dup_value_text (self->control);
      gtk_label_set_text (GTK_LABEL (self->value_widget), text);
    }
  else if (CAPA_IS_CONTROL_RANGE (self->control))
    sync_range (self);
  else if (CAPA_IS_CONTROL_CHOICE (self->control))
    sync_choice (self, items);
  else if (CAPA_IS_CONTROL_TOGGLE (self->control))
    gtk_switch_set_active (GTK_SWITCH (self->value_widget),
                           capa_control_toggle_get_value (CAPA_CONTROL_TOGGLE (self->control)));
  else if (CAPA_IS_CONTROL_TEXT (self->control) || CAPA_IS_CONTROL_DATE (self->control))
    {
      text = dup_value_text (self->control);
      gtk_entry_set_text (GTK_ENTRY (self->value_widget), text != NULL ? text : "");
      gtk_style_context_remove_class (gtk_widget_get_style_context (self->value_widget),
                                      GTK_STYLE_CLASS_ERROR);
    }

  self->syncing = FALSE;
}

static void
on_control_notify_cb (CapaControlRow *self,
                      GParamSpec     *pspec,
                      CapaControl    *control)
{
  if (g_strcmp0 (pspec->name, "readonly") == 0)
    {
      build_widgets (self);
      return;
    }
  if (g_strcmp0 (pspec->name, "info") == 0)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), capa_control_get_info (control));
      return;
    }
  if (g_strcmp0 (pspec->name, "dirty") == 0)
    return;

  /* value, choices, min, max, step */
  sync_widget (self, g_strcmp0 (pspec->name, "choices") == 0);
}

/* ------------------------------------------------------------------ */
/* the control from the widget                                          */
/* ------------------------------------------------------------------ */

static double
range_widget_value (CapaControlRow *self)
{
  CapaControlRange *range = CAPA_CONTROL_RANGE (self->control);
  double min = capa_control_range_get_min (range);
  double max = capa_control_range_get_max (range);
  double step = capa_control_range_get_step (range);
  double value;

  if (GTK_IS_SCALE (self->value_widget))
    value = gtk_range_get_value (GTK_RANGE (self->value_widget));
  else
    value = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->value_widget));

  /* On the camera's steps. */
  if (step > 0)
    value = min + round ((value - min) / step) * step;
  return CLAMP (value, min, max);
}

static gboolean
range_send_cb (gpointer data)
{
  CapaControlRow *self = data;

  self->range_send_id = 0;

  capa_control_range_set_value (CAPA_CONTROL_RANGE (self->control), range_widget_value (self));
  if (capa_control_get_dirty (self->control))
    send_changes (self);
  busy_changed (self, -1);

  return G_SOURCE_REMOVE;
}

static void
on_range_value_changed_cb (CapaControlRow *self)
{
  if (self->syncing)
    return;

  /* A dragged scale moves through many values: send the one it rests on. */
  if (self->range_send_id != 0)
    g_source_remove (self->range_send_id);
  else
    busy_changed (self, +1);
  self->range_send_id = g_timeout_add (RANGE_SEND_DELAY_MS, range_send_cb, self);
}

static void
on_combo_changed_cb (CapaControlRow *self,
                     GtkComboBox    *combo)
{
  const char *id = gtk_combo_box_get_active_id (combo);

  if (self->syncing || id == NULL)
    return;

  capa_control_choice_set_value (CAPA_CONTROL_CHOICE (self->control), id);
  if (capa_control_get_dirty (self->control))
    send_changes (self);
}

static void
on_switch_active_cb (CapaControlRow *self,
                     GParamSpec     *pspec,
                     GtkSwitch      *widget)
{
  if (self->syncing)
    return;

  capa_control_toggle_set_value (CAPA_CONTROL_TOGGLE (self->control),
                                 gtk_switch_get_active (widget));
  if (capa_control_get_dirty (self->control))
    send_changes (self);
}

/* Parses "2026-01-31 14:05" or "2026-01-31 14:05:09", local time. */
static gboolean
parse_date (const char *text,
            gint64     *unix_time)
{
  g_autoptr(GDateTime) time = NULL;
  int year, month, day, hour, minute, second = 0;
  char end;
  int n;

  n = sscanf (text, " %d-%d-%d %d:%d:%d %c", &year, &month, &day, &hour, &minute, &second, &end);
  if (n != 5 && n != 6)
    return FALSE;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59)
    return FALSE;

  time = g_date_time_new_local (year, month, day, hour, minute, second);
  if (time == NULL || g_date_time_get_day_of_month (time) != day)
    return FALSE;

  *unix_time = g_date_time_to_unix (time);
  return TRUE;
}

static void
entry_send (CapaControlRow *self,
            gboolean        always)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->value_widget));

  if (self->syncing || capa_control_get_readonly (self->control))
    return;

  if (CAPA_IS_CONTROL_TEXT (self->control))
    {
      /* Enter sends the text even unchanged: a text may be a command. */
      if (!always &&
          g_strcmp0 (text, capa_control_text_get_value (CAPA_CONTROL_TEXT (self->control))) == 0)
        return;
      capa_control_text_set_value (CAPA_CONTROL_TEXT (self->control), text);
    }
  else
    {
      gint64 unix_time;

      if (!parse_date (text, &unix_time))
        {
          g_autoptr(GError) error = NULL;

          if (!always)
            {
              sync_widget (self, FALSE);
              return;
            }
          gtk_style_context_add_class (gtk_widget_get_style_context (self->value_widget),
                                       GTK_STYLE_CLASS_ERROR);
          /* Translators: the first %s is what was typed, the second a setting */
          error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“%s” is not a date and time for “%s”: write it as "
                                 "2026-01-31 14:05:00."),
                               text, capa_control_get_label (self->control));
          g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
          return;
        }
      capa_control_date_set_value (CAPA_CONTROL_DATE (self->control), unix_time);
    }

  if (capa_control_get_dirty (self->control))
    send_changes (self);
}

static void
on_entry_activate_cb (CapaControlRow *self)
{
  entry_send (self, TRUE);
}

static gboolean
on_entry_focus_out_cb (CapaControlRow *self)
{
  entry_send (self, FALSE);
  return GDK_EVENT_PROPAGATE;
}

static void
on_now_clicked_cb (CapaControlRow *self)
{
  capa_control_date_set_value (CAPA_CONTROL_DATE (self->control),
                               g_get_real_time () / G_USEC_PER_SEC);
  if (capa_control_get_dirty (self->control))
    send_changes (self);
}

static void
on_button_clicked_cb (CapaControlRow *self)
{
  capa_control_button_press (CAPA_CONTROL_BUTTON (self->control));
  send_changes (self);
}

/* ------------------------------------------------------------------ */
/* building                                                             */
/* ------------------------------------------------------------------ */

static void
set_accessible_name (GtkWidget  *widget,
                     const char *name)
{
  AtkObject *accessible = gtk_widget_get_accessible (widget);

  if (accessible != NULL)
    atk_object_set_name (accessible, name);
}

static GtkWidget *
new_range_widget (CapaControlRow *self,
                  gboolean       *wide)
{
  CapaControlRange *range = CAPA_CONTROL_RANGE (self->control);
  double min = capa_control_range_get_min (range);
  double max = capa_control_range_get_max (range);
  double step = capa_control_range_get_step (range);
  GtkAdjustment *adjustment = gtk_adjustment_new (min, min, MAX (max, min), 1, 1, 0);
  int digits = range_digits (range);
  GtkWidget *widget;

  if (step > 0 && (max - min) / step <= MAX_SCALE_STEPS)
    {
      widget = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, adjustment);
      gtk_scale_set_digits (GTK_SCALE (widget), digits);
      gtk_scale_set_value_pos (GTK_SCALE (widget), GTK_POS_RIGHT);
      gtk_range_set_round_digits (GTK_RANGE (widget), digits);
      /* Exposure compensation and the like: 0 is the middle, not a fill. */
      if (min < 0 && max > 0)
        {
          gtk_scale_set_has_origin (GTK_SCALE (widget), FALSE);
          gtk_scale_add_mark (GTK_SCALE (widget), 0, GTK_POS_BOTTOM, NULL);
        }
      gtk_widget_set_hexpand (widget, TRUE);
      *wide = TRUE;
    }
  else
    {
      widget = gtk_spin_button_new (adjustment, 1, digits);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (widget), TRUE);
      gtk_entry_set_width_chars (GTK_ENTRY (widget), 7);
      gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
      *wide = FALSE;
    }

  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_range_value_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return widget;
}

static GtkWidget *
new_value_widget (CapaControlRow *self,
                  gboolean       *wide)
{
  CapaControl *control = self->control;
  GtkWidget *widget;

  *wide = FALSE;

  if (capa_control_get_readonly (control) && !CAPA_IS_CONTROL_BUTTON (control))
    {
      widget = gtk_label_new (NULL);
      gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (widget), 1);
      gtk_label_set_max_width_chars (GTK_LABEL (widget), 24);
      gtk_style_context_add_class (gtk_widget_get_style_context (widget),
                                   GTK_STYLE_CLASS_DIM_LABEL);
      return widget;
    }

  if (CAPA_IS_CONTROL_RANGE (control))
    return new_range_widget (self, wide);

  if (CAPA_IS_CONTROL_CHOICE (control))
    {
      widget = gtk_combo_box_text_new ();
      gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
      g_signal_connect_object (widget, "changed", G_CALLBACK (on_combo_changed_cb), self,
                               G_CONNECT_SWAPPED);
      return widget;
    }

  if (CAPA_IS_CONTROL_TOGGLE (control))
    {
      widget = gtk_switch_new ();
      gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
      g_signal_connect_object (widget, "notify::active", G_CALLBACK (on_switch_active_cb), self,
                               G_CONNECT_SWAPPED);
      return widget;
    }

  if (CAPA_IS_CONTROL_TEXT (control) || CAPA_IS_CONTROL_DATE (control))
    {
      widget = gtk_entry_new ();
      gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
      gtk_entry_set_width_chars (GTK_ENTRY (widget), CAPA_IS_CONTROL_DATE (control) ? 12 : 14);
      g_signal_connect_object (widget, "activate", G_CALLBACK (on_entry_activate_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (widget, "focus-out-event", G_CALLBACK (on_entry_focus_out_cb),
                               self, G_CONNECT_SWAPPED);
      if (CAPA_IS_CONTROL_DATE (control))
        {
          gtk_entry_set_placeholder_text (GTK_ENTRY (widget), "2026-01-31 14:05:00");
          gtk_widget_set_hexpand (widget, TRUE);
          *wide = TRUE;
        }
      return widget;
    }

  if (CAPA_IS_CONTROL_BUTTON (control))
    {
      widget = gtk_button_new_with_label (_("Press"));
      gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (widget, !capa_control_get_readonly (control));
      g_signal_connect_object (widget, "clicked", G_CALLBACK (on_button_clicked_cb), self,
                               G_CONNECT_SWAPPED);
      return widget;
    }

  /* A group has no row of its own. */
  return gtk_label_new (NULL);
}

static void
build_widgets (CapaControlRow *self)
{
  const char *label = capa_control_get_label (self->control);
  g_autofree char *mnemonic = NULL;
  gboolean wide = FALSE;
  GtkWidget *line;

  if (self->box != NULL)
    gtk_container_remove (GTK_CONTAINER (self), self->box);
  self->box = self->title = self->value_widget = self->now_button = NULL;
  if (self->range_send_id != 0)
    {
      g_clear_handle_id (&self->range_send_id, g_source_remove);
      busy_changed (self, -1);
    }

  if (label == NULL || label[0] == '\0')
    label = capa_control_get_name (self->control);

  self->value_widget = new_value_widget (self, &wide);
  set_accessible_name (self->value_widget, label);
  /* The row is a list item of its own to assistive technologies. */
  set_accessible_name (GTK_WIDGET (self), label);

  mnemonic = dup_mnemonic (label);
  if (GTK_IS_LABEL (self->value_widget))
    self->title = gtk_label_new (label);
  else
    {
      self->title = gtk_label_new_with_mnemonic (mnemonic);
      gtk_label_set_mnemonic_widget (GTK_LABEL (self->title), self->value_widget);
    }
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->title), TRUE);
  gtk_label_set_line_wrap_mode (GTK_LABEL (self->title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (self->title, TRUE);

  self->box = gtk_box_new (wide ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL,
                           wide ? 6 : 12);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 8);
  gtk_widget_set_margin_bottom (self->box, 8);
  gtk_widget_set_size_request (self->box, -1, 34);
  gtk_container_add (GTK_CONTAINER (self->box), self->title);

  line = self->value_widget;
  if (CAPA_IS_CONTROL_DATE (self->control) && !capa_control_get_readonly (self->control))
    {
      g_autofree char *name = NULL;

      /* The entry over the button: it fits the narrow side panel. */
      line = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_container_add (GTK_CONTAINER (line), self->value_widget);
      self->now_button = gtk_button_new_with_label (_("Set to Computer's Time"));
      gtk_widget_set_halign (self->now_button, GTK_ALIGN_END);
      /* Translators: %s is a setting such as "Camera Date and Time" */
      name = g_strdup_printf (_("Set “%s” to the computer's time"), label);
      set_accessible_name (self->now_button, name);
      gtk_widget_set_tooltip_text (self->now_button, name);
      g_signal_connect_object (self->now_button, "clicked", G_CALLBACK (on_now_clicked_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_container_add (GTK_CONTAINER (line), self->now_button);
    }
  gtk_container_add (GTK_CONTAINER (self->box), line);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), capa_control_get_info (self->control));
  gtk_container_add (GTK_CONTAINER (self), self->box);
  gtk_widget_show_all (self->box);

  sync_widget (self, TRUE);
}

/* ------------------------------------------------------------------ */
/* the object                                                           */
/* ------------------------------------------------------------------ */

static void
capa_control_row_constructed (GObject *object)
{
  CapaControlRow *self = CAPA_CONTROL_ROW (object);

  G_OBJECT_CLASS (capa_control_row_parent_class)->constructed (object);

  g_assert (CAPA_IS_CAMERA (self->camera));
  g_assert (CAPA_IS_CONTROL (self->control));

  g_signal_connect_object (self->control, "notify", G_CALLBACK (on_control_notify_cb), self,
                           G_CONNECT_SWAPPED);
  build_widgets (self);
}

static void
capa_control_row_dispose (GObject *object)
{
  CapaControlRow *self = CAPA_CONTROL_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->range_send_id, g_source_remove);

  G_OBJECT_CLASS (capa_control_row_parent_class)->dispose (object);
}

static void
capa_control_row_finalize (GObject *object)
{
  CapaControlRow *self = CAPA_CONTROL_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->camera);
  g_clear_object (&self->control);

  G_OBJECT_CLASS (capa_control_row_parent_class)->finalize (object);
}

static void
capa_control_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CapaControlRow *self = CAPA_CONTROL_ROW (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      g_value_set_object (value, self->camera);
      break;

    case PROP_CONTROL:
      g_value_set_object (value, self->control);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, capa_control_row_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CapaControlRow *self = CAPA_CONTROL_ROW (object);

  switch (prop_id)
    {
    case PROP_CAMERA:
      self->camera = g_value_dup_object (value);
      break;

    case PROP_CONTROL:
      self->control = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_control_row_class_init (CapaControlRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = capa_control_row_constructed;
  object_class->dispose = capa_control_row_dispose;
  object_class->finalize = capa_control_row_finalize;
  object_class->get_property = capa_control_row_get_property;
  object_class->set_property = capa_control_row_set_property;

  /**
   * CapaControlRow:camera:
   *
   * The camera the setting belongs to, where changes are sent.
   */
  properties[PROP_CAMERA] =
    g_param_spec_object ("camera", NULL, NULL,
                         CAPA_TYPE_CAMERA,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControlRow:control:
   *
   * The setting shown.
   */
  properties[PROP_CONTROL] =
    g_param_spec_object ("control", NULL, NULL,
                         CAPA_TYPE_CONTROL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CapaControlRow:busy:
   *
   * Whether a change made in the row is still on its way to the camera
   * (or the camera's value is being read again after a refusal).
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapaControlRow::error:
   * @self: a #CapaControlRow
   * @error: what went wrong, for the user to read
   *
   * The camera refused a value (the message names the setting and the
   * value; the row shows the camera's value again), or the value could
   * not be sent or typed text is no value.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
capa_control_row_init (CapaControlRow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self), FALSE);
}

/**
 * capa_control_row_new:
 * @camera: the camera @control belongs to
 * @control: a setting of @camera, not a [class@Capa.ControlGroup]
 *
 * Creates a row showing @control with the widget its type calls for.
 *
 * Returns: (transfer full): a new #CapaControlRow
 */
GtkWidget *
capa_control_row_new (CapaCamera  *camera,
                      CapaControl *control)
{
  g_return_val_if_fail (CAPA_IS_CAMERA (camera), NULL);
  g_return_val_if_fail (CAPA_IS_CONTROL (control), NULL);

  return g_object_new (CAPA_TYPE_CONTROL_ROW, "camera", camera, "control", control, NULL);
}

/**
 * capa_control_row_get_camera:
 * @self: a #CapaControlRow
 *
 * Gets the camera changes are sent to.
 *
 * Returns: (transfer none): the camera
 */
CapaCamera *
capa_control_row_get_camera (CapaControlRow *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_ROW (self), NULL);

  return self->camera;
}

/**
 * capa_control_row_get_control:
 * @self: a #CapaControlRow
 *
 * Gets the setting shown.
 *
 * Returns: (transfer none): the setting shown
 */
CapaControl *
capa_control_row_get_control (CapaControlRow *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_ROW (self), NULL);

  return self->control;
}

/**
 * capa_control_row_get_value_widget:
 * @self: a #CapaControlRow
 *
 * Gets the widget holding the value: a [class@Gtk.Scale],
 * [class@Gtk.SpinButton], [class@Gtk.ComboBoxText], [class@Gtk.Switch],
 * [class@Gtk.Entry] (text and dates), [class@Gtk.Button] or, for a
 * read-only setting, a [class@Gtk.Label].
 *
 * Returns: (transfer none): the widget holding the value
 */
GtkWidget *
capa_control_row_get_value_widget (CapaControlRow *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_ROW (self), NULL);

  return self->value_widget;
}

/**
 * capa_control_row_get_busy:
 * @self: a #CapaControlRow
 *
 * Gets whether a change made in the row is still on its way to the
 * camera.
 *
 * Returns: whether a change is on its way
 */
gboolean
capa_control_row_get_busy (CapaControlRow *self)
{
  g_return_val_if_fail (CAPA_IS_CONTROL_ROW (self), FALSE);

  return self->n_busy > 0;
}
