/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-control-choice.h"
#include "capa-control-group.h"
#include "capa-control-text.h"
#include "capa-gphoto2-private.h"
#include "capa-window-private.h"

/* Bulb exposures from the window (issue 10, item 4): while the camera has
 * a bulb control and its shutter speed is set to Bulb, a field of seconds
 * sits beside Capture, and Capture takes a bulb exposure of that length.
 * While it runs the button counts down; a second press, or Escape, ends
 * it early (the picture is saved all the same). With several cameras the
 * field follows the active one; each camera has its own exposure (its
 * slot's bulb_cancellable). */

static gboolean
exposure_running (CapaWindow *self)
{
  return self->active != NULL && self->active->bulb_cancellable != NULL;
}

/* The camera's shutter speed control named @name, anywhere in @group. */
static CapaControl *
find_control (CapaControlGroup *group,
              const char       *name)
{
  GPtrArray *controls = capa_control_group_get_controls (group);

  for (guint i = 0; controls != NULL && i < controls->len; i++)
    {
      CapaControl *control = controls->pdata[i];

      if (CAPA_IS_CONTROL_GROUP (control))
        {
          CapaControl *found = find_control (CAPA_CONTROL_GROUP (control), name);

          if (found != NULL)
            return found;
        }
      else if (g_strcmp0 (capa_control_get_name (control), name) == 0)
        return control;
    }

  return NULL;
}

static gboolean
shutter_is_bulb (CapaCamera *camera)
{
  static const char * const names[] = { "shutterspeed", "shutterspeed2" };
  CapaControlGroup *controls = capa_camera_get_controls (camera);

  if (controls == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      CapaControl *control = find_control (controls, names[i]);
      const char *value = NULL;

      if (CAPA_IS_CONTROL_CHOICE (control))
        value = capa_control_choice_get_value (CAPA_CONTROL_CHOICE (control));
      else if (CAPA_IS_CONTROL_TEXT (control))
        value = capa_control_text_get_value (CAPA_CONTROL_TEXT (control));

      /* ptp2's "Bulb" (some tables "bulb"), in the user's language. */
      if (value != NULL)
        return _capa_gp_text_is (value, "Bulb") || _capa_gp_text_is (value, "bulb");
    }

  return FALSE;
}

static gboolean
bulb_wanted (CapaWindow *self)
{
  return self->bulb_camera != NULL && capa_camera_get_has_bulb (self->bulb_camera)
         && shutter_is_bulb (self->bulb_camera);
}

static void
update_field (CapaWindow *self)
{
  /* Kept while an exposure runs, which its camera may report as a change. */
  gtk_widget_set_visible (GTK_WIDGET (self->bulb_spin),
                          exposure_running (self) || bulb_wanted (self));
}

/* Overrides the Capture button's label while an exposure runs, and what a
 * screen reader says of it: the seconds shown are not its name, ending the
 * exposure is (_capa_window_update_capture () puts "Capture" back). */
void
_capa_window_bulb_update_capture (CapaWindow *self)
{
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;
  double remaining;
  guint seconds;

  if (!exposure_running (self) || self->capture_label == NULL)
    return;

  remaining = self->bulb_camera != NULL ? capa_camera_get_bulb_remaining (self->bulb_camera) : 0;
  seconds = (guint) (remaining + 0.999);
  /* Translators: the Capture button during a bulb exposure: the seconds left */
  label = g_strdup_printf (_("%u s"), seconds);
  gtk_label_set_text (self->capture_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->capture_button),
                               _("End the exposure now; the picture is saved (Escape)"));
  /* Translators: read by a screen reader on the Capture button during a
   * bulb exposure, whose name is then "End Exposure" */
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second left; ending the "
                                              "exposure now saves the picture",
                                              "%u seconds left; ending the exposure now saves "
                                              "the picture", seconds),
                                 seconds);
  _capa_accessible_set_text (GTK_WIDGET (self->capture_button),
                             /* Translators: the Capture button's accessible name during a
                              * bulb exposure: pressing it ends the exposure */
                             _("End Exposure"), description);
}

static void
on_bulb_remaining_cb (CapaCamera *camera,
                      GParamSpec *pspec,
                      CapaWindow *self)
{
  _capa_window_bulb_update_capture (self);
}

static void
on_camera_changed_cb (CapaCamera *camera,
                      CapaWindow *self)
{
  update_field (self);
}

static void
on_has_bulb_cb (CapaCamera *camera,
                GParamSpec *pspec,
                CapaWindow *self)
{
  update_field (self);
}

void
_capa_window_bulb_set_camera (CapaWindow *self,
                              CapaCamera *camera)
{
  /* An exposure ends with its camera's slot (capa-window-camera.c), not
   * when another camera becomes the active one. */
  if (camera == self->bulb_camera)
    return;

  if (self->bulb_camera != NULL)
    g_signal_handlers_disconnect_by_data (self->bulb_camera, self);
  g_set_object (&self->bulb_camera, camera);
  if (camera != NULL)
    {
      g_signal_connect (camera, "controls-changed", G_CALLBACK (on_camera_changed_cb), self);
      g_signal_connect (camera, "notify::has-bulb", G_CALLBACK (on_has_bulb_cb), self);
      g_signal_connect (camera, "notify::bulb-remaining", G_CALLBACK (on_bulb_remaining_cb),
                        self);
    }

  if (self->bulb_spin != NULL)
    update_field (self);
}

static void
on_bulb_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CapaWindowSlot) slot = user_data;
  CapaWindow *self = slot->window;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  images = capa_tether_capture_bulb_finish (CAPA_TETHER (object), result, &error);
  g_clear_object (&slot->bulb_cancellable);
  g_assert (slot->captures_running > 0);
  slot->captures_running--;

  /* The camera or the window is gone: the tether reported, nothing more
   * to show. */
  if (self == NULL)
    return;

  _capa_window_release_raw (self, images);

  if (images == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (g_error_matches (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_DISCONNECTED))
        _capa_window_show_gerror (self, _("The camera was disconnected during the exposure"),
                                  error);
      else
        _capa_window_show_gerror (self, _("The long exposure could not be taken"), error);
    }

  update_field (self);
  _capa_window_capture_all_next (self);
  _capa_window_update_capture (self);
}

/* Called by win.capture: ends the exposure running, or starts one when
 * the shutter speed is Bulb. Returns whether the capture was handled. */
gboolean
_capa_window_bulb_capture (CapaWindow     *self,
                           CapaWindowSlot *slot)
{
  guint seconds;

  if (slot->bulb_cancellable != NULL)
    {
      g_debug ("Ending the bulb exposure early");
      g_cancellable_cancel (slot->bulb_cancellable);
      return TRUE;
    }

  if (slot->tether == NULL || slot->camera != self->bulb_camera || !bulb_wanted (self))
    return FALSE;

  /* A normal shot still coming in: the exposure waits for no queue. */
  if (slot->captures_running > 0)
    return TRUE;

  gtk_spin_button_update (self->bulb_spin);
  seconds = (guint) gtk_spin_button_get_value_as_int (self->bulb_spin);
  g_debug ("Bulb exposure of %u s", seconds);

  slot->bulb_cancellable = g_cancellable_new ();
  slot->captures_running++;
  capa_tether_capture_bulb_async (slot->tether, seconds, slot->bulb_cancellable,
                                  on_bulb_done_cb, g_object_ref (slot));
  _capa_window_bulb_update_capture (self);

  return TRUE;
}

static gboolean
on_key_press_cb (GtkWidget   *widget,
                 GdkEventKey *event,
                 CapaWindow  *self)
{
  if (event->keyval == GDK_KEY_Escape && exposure_running (self))
    {
      g_cancellable_cancel (self->active->bulb_cancellable);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

void
_capa_window_bulb_init (CapaWindow *self)
{
  GtkWidget *spin;
  int position = 0;

  spin = gtk_spin_button_new_with_range (1, 3600, 1);
  self->bulb_spin = GTK_SPIN_BUTTON (spin);
  gtk_buildable_set_name (GTK_BUILDABLE (spin), "bulb_spin");
  gtk_spin_button_set_numeric (self->bulb_spin, TRUE);
  gtk_entry_set_width_chars (GTK_ENTRY (spin), 4);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_no_show_all (spin, TRUE);
  gtk_widget_set_tooltip_text (spin, _("Length of the long exposure, in seconds (shutter speed "
                                       "Bulb)"));
  atk_object_set_name (gtk_widget_get_accessible (spin), _("Bulb exposure seconds"));
  g_settings_bind (self->settings, "bulb-seconds", spin, "value", G_SETTINGS_BIND_DEFAULT);

  gtk_header_bar_pack_start (self->header_bar, spin);
  gtk_container_child_get (GTK_CONTAINER (self->header_bar), self->capture_box,
                           "position", &position, NULL);
  gtk_container_child_set (GTK_CONTAINER (self->header_bar), spin, "position", position + 1,
                           NULL);

  g_signal_connect (self, "key-press-event", G_CALLBACK (on_key_press_cb), self);
  update_field (self);
}

void
_capa_window_bulb_dispose (CapaWindow *self)
{
  _capa_window_bulb_set_camera (self, NULL);
}
