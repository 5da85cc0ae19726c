/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <handy.h>
#include <libpeas/peas.h>

#include "capa-camera-button.h"
#include "capa-camera-list.h"
#include "capa-film-strip.h"
#include "capa-image-view.h"
#include "capa-screen-profile.h"
#include "capa-settings-panel.h"
#include "capa-window-slot.h"
#include "capa-window.h"

G_BEGIN_DECLS

/* The window's fields, shared by capa-window.c (layout, session, info bar,
 * actions), capa-window-camera.c (the cameras' life cycle, capture; one
 * CapaWindowSlot per camera), capa-window-parts.c and capa-window-bulb.c. */
struct _CapaWindow
{
  GtkApplicationWindow  parent_instance;

  /* owned */
  GSettings            *settings;      /* the window's own object, never delayed */
  GCancellable         *cancellable;
  CapaSession          *session;
  CapaTether           *tether;
  CapaImage            *selected_image;
  CapaImage            *held_raw;      /* a RAW waiting for its JPEG (capa-window-camera.c) */
  PeasExtensionSet     *extensions;

  /* the cameras (capa-window-camera.c): one slot each */
  CapaCameraList       *camera_list;
  GPtrArray            *slots;         /* of CapaWindowSlot, in the order chosen */
  CapaWindowSlot       *active;        /* borrowed: the open camera Capture and `tether` follow */
  GListStore           *tethers;       /* every open camera's tether */
  char                 *wanted_port;   /* connect this one when it shows up */
  char                 *downloading;   /* the display name of the file coming in */
  double                download_fraction;
  guint                 list_refreshed : 1;
  guint                 disconnect_said : 1;
  guint                 app_hooked : 1;  /* the info bar says the camera is gone */

  /* network cameras (capa-window-network.c) */
  GtkWidget            *network_dialog;  /* weak: open while asking for one */
  GPtrArray            *network_retries;  /* one per lost camera tried again */

  /* capture on all cameras (capa-window-capture-all.c) */
  guint                 capture_all_queued;
  guint                 capture_all_running : 1;

  /* bulb exposures (capa-window-bulb.c); each slot has its own running */
  GtkSpinButton        *bulb_spin;
  CapaCamera           *bulb_camera;   /* whose shutter speed is followed: the active one */

  /* window state, saved on close */
  int                   width;
  int                   height;
  guint                 maximized : 1;
  guint                 fullscreen : 1;

  /* template widgets */
  GtkHeaderBar         *header_bar;
  CapaCameraButton     *camera_button;
  GtkWidget            *capture_box;
  GtkButton            *capture_button;
  GtkWidget            *capture_menu_button;  /* shown with two cameras or more */
  GtkLabel             *capture_label;
  GtkMenuButton        *primary_menu_button;
  GtkToggleButton      *settings_panel_button;
  GtkInfoBar           *message_bar;
  GtkLabel             *message_title;
  GtkLabel             *message_detail;
  HdyFlap              *flap;
  GtkStack             *main_stack;
  HdyStatusPage        *no_camera_page;
  HdyStatusPage        *empty_session_page;
  GtkWidget            *demo_camera_button;
  GtkStack             *side_stack;
  GtkLabel             *session_label;
  GtkWidget            *image_view_slot;
  GtkWidget            *film_strip_slot;
  GtkWidget            *settings_panel_slot;
  GtkRevealer          *notification_revealer;
  GtkLabel             *notification_label;

  /* the parts in the slots (capa-window-parts.c) */
  CapaImageView        *image_view;
  CapaFilmStrip        *film_strip;
  GtkStack             *settings_stack;     /* one CapaSettingsPanel per camera */
  GtkWidget            *settings_switcher;  /* shown with two cameras or more */
  guint                 notification_id;
  CapaScreenProfile    *screen_profile;
  CapaSession          *parts_session;  /* whose items-changed is followed */
  guint                 thumbnail_wait_id; /* timeout: the strip's held thumbnail */
};

/* capa-window.c */
void  _capa_window_update_title        (CapaWindow *self);
void  _capa_label_set_text             (GtkLabel   *label,
                                        const char *text);
void  _capa_accessible_set_text        (GtkWidget  *widget,
                                        const char *name,
                                        const char *description);
void  _capa_window_update_page         (CapaWindow *self);
void  _capa_window_set_selected_image  (CapaWindow *self,
                                        CapaImage  *image);
void  _capa_window_show_gerror         (CapaWindow   *self,
                                        const char   *primary,
                                        const GError *error);

/* capa-window-parts.c */
void  _capa_window_parts_init          (CapaWindow *self);
void  _capa_window_parts_dispose       (CapaWindow *self);
void  _capa_window_parts_add_slot      (CapaWindow     *self,
                                        CapaWindowSlot *slot);
void  _capa_window_parts_remove_slot   (CapaWindow     *self,
                                        CapaWindowSlot *slot);
void  _capa_window_parts_show_slot     (CapaWindow     *self,
                                        CapaWindowSlot *slot);
void  _capa_window_parts_apply_camera_settings (CapaWindow *self,
                                                CapaTether *tether);
void  _capa_window_notify              (CapaWindow *self,
                                        const char *text);

/* capa-window-camera.c */
void  _capa_window_camera_init         (CapaWindow *self);
void  _capa_window_update_capture      (CapaWindow *self);
void  _capa_window_camera_dispose      (CapaWindow *self);
void  _capa_window_camera_session_changed (CapaWindow *self);
void  _capa_window_connect_port        (CapaWindow *self,
                                        const char *port);
void  _capa_window_await_port          (CapaWindow *self,
                                        const char *port);
void  _capa_window_set_active_slot     (CapaWindow     *self,
                                        CapaWindowSlot *slot);
guint _capa_window_count_open          (CapaWindow *self);
CapaWindowSlot *_capa_window_find_slot         (CapaWindow *self,
                                                CapaCamera *camera);
CapaWindowSlot *_capa_window_find_slot_by_tether (CapaWindow *self,
                                                  CapaTether *tether);
void  _capa_window_start_capture       (CapaWindowSlot *slot);
gboolean _capa_window_hold_raw         (CapaWindow *self,
                                        CapaImage  *image);
void  _capa_window_release_raw         (CapaWindow *self,
                                        GPtrArray  *images);

/* capa-window-capture-all.c */
void  _capa_window_capture_all_init    (CapaWindow *self);
void  _capa_window_capture_all_update  (CapaWindow *self);
void  _capa_window_capture_all_next    (CapaWindow *self);

/* The demo camera's port (see the demo camera's part of issue 8). */
#define CAPA_WINDOW_DEMO_CAMERA_PORT "ptpip:demo"

void  _capa_window_on_camera_button_connect_camera_cb    (CapaCameraButton *button,
                                                          CapaCamera       *camera,
                                                          CapaWindow       *self);
void  _capa_window_on_camera_button_disconnect_camera_cb (CapaCameraButton *button,
                                                          CapaCamera       *camera,
                                                          CapaWindow       *self);

/* capa-window-network.c */
void        _capa_window_network_init        (CapaWindow   *self);
void        _capa_window_network_dispose     (CapaWindow   *self);
CapaCamera *_capa_window_network_add         (CapaWindow   *self,
                                              const char   *port,
                                              const char   *model,
                                              gboolean      remember,
                                              GError      **error);
gboolean    _capa_window_network_lost        (CapaWindow   *self,
                                              CapaCamera   *camera);
gboolean    _capa_window_network_open_failed (CapaWindow   *self,
                                              CapaCamera   *camera,
                                              const GError *error);
void        _capa_window_network_opened      (CapaWindow   *self,
                                              CapaCamera   *camera);
void        _capa_window_network_stop_retry  (CapaWindow   *self,
                                              CapaCamera   *camera);
gboolean    _capa_window_network_is_retrying (CapaWindow   *self,
                                              CapaCamera   *camera);

extern const GActionEntry _capa_window_network_entries[];
extern const guint        _capa_window_n_network_entries;

/* capa-window-bulb.c */
void      _capa_window_bulb_init           (CapaWindow *self);
void      _capa_window_bulb_dispose        (CapaWindow *self);
void      _capa_window_bulb_set_camera     (CapaWindow *self,
                                            CapaCamera *camera);
gboolean  _capa_window_bulb_capture        (CapaWindow     *self,
                                            CapaWindowSlot *slot);
void      _capa_window_bulb_update_capture (CapaWindow *self);

extern const GActionEntry _capa_window_camera_entries[];
extern const guint        _capa_window_n_camera_entries;

G_END_DECLS
