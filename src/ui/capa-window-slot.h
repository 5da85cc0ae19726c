/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "capa-camera.h"
#include "capa-settings-panel.h"
#include "capa-tether.h"
#include "capa-window.h"

G_BEGIN_DECLS

/* One camera connected to a window (issue 10, item 5): its camera and
 * tether, what runs on it, and its page of the side panel.  Private to
 * the window (capa-window-camera.c, capa-window-bulb.c,
 * capa-window-parts.c); not introspected. */

#define CAPA_TYPE_WINDOW_SLOT (_capa_window_slot_get_type ())

G_DECLARE_FINAL_TYPE (CapaWindowSlot, _capa_window_slot, CAPA, WINDOW_SLOT, GObject)

struct _CapaWindowSlot
{
  GObject            parent_instance;

  /* borrowed: cleared when the window goes, so that a late callback
   * holding the slot knows to do nothing */
  CapaWindow        *window;

  /* owned */
  CapaCamera        *camera;            /* open, or being opened */
  CapaTether        *tether;            /* once open */
  GCancellable      *cancellable;       /* of opening and capturing with it */
  GCancellable      *bulb_cancellable;  /* of the bulb exposure running, if any */
  CapaSettingsPanel *settings_panel;    /* its page of the side panel's stack */
  char              *camera_tag;        /* its tethers' camera-tag, told apart from the others' */
  char              *title;             /* its model, numbered when two are of one model */

  guint              captures_running;
  guint              captures_queued;
  guint              opening : 1;
  guint              dropped : 1;       /* disconnected: no longer the window's */
};

CapaWindowSlot *_capa_window_slot_new     (CapaWindow *window,
                                           CapaCamera *camera);
const char     *_capa_window_slot_get_model (CapaWindowSlot *self);
const char     *_capa_window_slot_get_title (CapaWindowSlot *self);
gboolean        _capa_window_slot_is_busy (CapaWindowSlot *self);

G_END_DECLS
