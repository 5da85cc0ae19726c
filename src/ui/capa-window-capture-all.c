/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "capa-tether-group.h"
#include "capa-window-private.h"

/* Capture on all cameras (issue 10, item 5): win.capture-all, enabled
 * with two cameras or more, fires every connected camera as close
 * together as it can through a CapaTetherGroup. Like a normal capture it
 * waits for the shots running on the cameras; normal captures asked for
 * meanwhile wait for it. Every picture saved goes to the session (the film
 * strip shows it), the newest is selected, and a notification over the
 * image says how far apart the cameras fired; a camera's failure goes to
 * the info bar, naming the camera, and the others' pictures are kept. */

typedef struct
{
  CapaWindow *window;   /* owned */
  GPtrArray  *slots;    /* of CapaWindowSlot, owned */
} CaptureAll;

static void
capture_all_free (CaptureAll *all)
{
  g_object_unref (all->window);
  g_ptr_array_unref (all->slots);
  g_free (all);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CaptureAll, capture_all_free)

static gboolean
any_busy (CapaWindow *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    if (_capa_window_slot_is_busy (g_ptr_array_index (self->slots, i)))
      return TRUE;

  return FALSE;
}

static CapaWindowSlot *
find_slot_by_tether (GPtrArray  *slots,
                     CapaTether *tether)
{
  for (guint i = 0; i < slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (slots, i);

      if (slot->tether == tether)
        return slot;
    }

  return NULL;
}

static void start_capture_all (CapaWindow *self);

static void
report_shots (CapaWindow      *self,
              CapaTetherGroup *group,
              GPtrArray       *shots,
              GPtrArray       *slots)
{
  CapaImage *newest = NULL;
  gint64 newest_time = G_MININT64;
  guint taken = 0;

  for (guint i = 0; i < shots->len; i++)
    {
      CapaTetherGroupShot *shot = g_ptr_array_index (shots, i);
      const GError *error = capa_tether_group_shot_get_error (shot);
      GPtrArray *images = capa_tether_group_shot_get_images (shot);

      if (error != NULL)
        {
          CapaTether *tether = capa_tether_group_shot_get_tether (shot);
          CapaWindowSlot *slot = find_slot_by_tether (slots, tether);
          CapaCamera *camera = capa_tether_get_camera (tether);
          const char *model = slot != NULL ? _capa_window_slot_get_title (slot)
                                           : capa_camera_get_model (camera);
          g_autofree char *primary = NULL;

          /* Translators: %s is a camera model */
          primary = g_strdup_printf (_("“%s” could not take its picture; the other cameras’ "
                                       "pictures are kept"), model);
          _capa_window_show_gerror (self, primary, error);
          continue;
        }

      if (images == NULL || images->len == 0)
        continue;

      taken++;
      /* The camera fired last has the newest picture. */
      if (newest == NULL || capa_tether_group_shot_get_trigger_time (shot) >= newest_time)
        {
          newest = g_ptr_array_index (images, images->len - 1);
          newest_time = capa_tether_group_shot_get_trigger_time (shot);
        }
    }

  if (newest != NULL)
    _capa_window_set_selected_image (self, newest);

  if (taken >= 2)
    {
      gint64 spread = MAX (capa_tether_group_get_last_spread (group), 0);
      g_autofree char *cameras = NULL;
      g_autofree char *text = NULL;

      /* Translators: the start of "Taken on 2 cameras, 14 ms apart" */
      cameras = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Taken on %u camera",
                                              "Taken on %u cameras", taken), taken);
      g_debug ("Capture on all: spread %" G_GINT64_FORMAT " µs", spread);
      if (spread < 10 * 1000)
        /* Translators: "Taken on 2 cameras", then the time between the first and last
         * shot, under 10 ms: "Taken on 2 cameras, 0.4 ms apart" */
        text = g_strdup_printf (_("%s, %.1f ms apart"), cameras, spread / 1000.0);
      else
        /* Translators: "Taken on 2 cameras", then the time between the first and last shot */
        text = g_strdup_printf (_("%s, %u ms apart"), cameras, (guint) ((spread + 500) / 1000));
      _capa_window_notify (self, text);
    }
}

static void
on_capture_all_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CapaTetherGroup *group = CAPA_TETHER_GROUP (object);
  g_autoptr(CaptureAll) all = user_data;
  CapaWindow *self = all->window;
  g_autoptr(GPtrArray) shots = NULL;
  g_autoptr(GError) error = NULL;

  shots = capa_tether_group_capture_finish (group, result, &error);
  for (guint i = 0; i < all->slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (all->slots, i);

      g_assert (slot->captures_running > 0);
      slot->captures_running--;
    }

  /* The window is gone: the tethers reported, nothing more to show. */
  if (self->cancellable == NULL)
    return;

  self->capture_all_running = FALSE;
  _capa_window_release_raw (self, NULL);
  if (shots == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _capa_window_show_gerror (self, _("The pictures could not be taken"), error);
    }
  else
    report_shots (self, group, shots, all->slots);

  /* What waited for it: each camera's own shots, then another on all. */
  for (guint i = 0; i < all->slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (all->slots, i);

      if (!slot->dropped && slot->captures_running == 0 && slot->captures_queued > 0
          && slot->tether != NULL)
        {
          slot->captures_queued--;
          _capa_window_start_capture (slot);
        }
    }
  _capa_window_capture_all_next (self);
  _capa_window_update_capture (self);
}

static void
start_capture_all (CapaWindow *self)
{
  g_autoptr(CapaTetherGroup) group = capa_tether_group_new ();
  CaptureAll *all = g_new0 (CaptureAll, 1);

  all->window = g_object_ref (self);
  all->slots = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->slots->len; i++)
    {
      CapaWindowSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot->tether == NULL)
        continue;

      capa_tether_group_add (group, slot->tether);
      slot->captures_running++;
      g_ptr_array_add (all->slots, g_object_ref (slot));
    }

  g_debug ("Capture on %u cameras", all->slots->len);
  self->capture_all_running = TRUE;
  capa_tether_group_capture_async (group, self->cancellable, on_capture_all_done_cb, all);
}

/* A capture on all cameras waiting, once no camera is busy. */
void
_capa_window_capture_all_next (CapaWindow *self)
{
  if (self->capture_all_queued == 0 || self->capture_all_running || any_busy (self))
    return;

  self->capture_all_queued--;
  if (_capa_window_count_open (self) >= 2)
    start_capture_all (self);
}

static void
on_capture_all_activated_cb (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  CapaWindow *self = CAPA_WINDOW (user_data);

  if (_capa_window_count_open (self) < 2)
    return;

  /* Behind the shots running on the cameras, like a normal capture. */
  if (self->capture_all_running || any_busy (self))
    self->capture_all_queued++;
  else
    start_capture_all (self);

  _capa_window_update_capture (self);
}

static const GActionEntry capture_all_entries[] = {
  { "capture-all", on_capture_all_activated_cb },
};

void
_capa_window_capture_all_init (CapaWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), capture_all_entries,
                                   G_N_ELEMENTS (capture_all_entries), self);
  _capa_window_capture_all_update (self);
}

/* With two cameras or more: the action, and the menu beside Capture. */
void
_capa_window_capture_all_update (CapaWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "capture-all");
  gboolean several = self->slots != NULL && _capa_window_count_open (self) >= 2;

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), several);
  gtk_widget_set_visible (self->capture_menu_button, several);
}
