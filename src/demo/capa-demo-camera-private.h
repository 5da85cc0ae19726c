/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The demo camera driver (a libgphoto2 camlib): what its files share. The
 * state of the camera (settings, card, pending events) belongs to the
 * process and lives as long as the module stays loaded (-z nodelete). */

#pragma once

#include <glib.h>
#include <gmodule.h>
#include <gphoto2/gphoto2.h>

G_BEGIN_DECLS

#define DEMO_MODEL        "Capa Demo Camera"
#define DEMO_FOLDER       "/store_00010001/DCIM/100DEMO"
#define DEMO_WIDTH        3000
#define DEMO_HEIGHT       2000
#define DEMO_LIVE_WIDTH   960
#define DEMO_LIVE_HEIGHT  640
#define DEMO_THUMB_WIDTH  160

/* The exposure that gives a normal picture: EV 12 at ISO 100 (f/8, 1/125 s
 * at ISO 200, the initial settings), a bright afternoon. */
#define DEMO_SCENE_EV100  12.0

/* What a shot is taken with: a copy of the settings, made under the lock. */
typedef struct
{
  double  exposure_time;   /* seconds */
  double  f_number;
  int     iso;
  double  exposure_bias;   /* EV */
  double  focal_length;    /* mm */
  int     white_balance;   /* index in the white balance choices */
  int     quality;         /* JPEG quality, 1-100 */
  gboolean noise_reduction;
  char   *artist;
  char   *copyright;
  GDateTime *time;         /* the camera's clock at the shot */
  guint   number;          /* the shot's number, from 1 */
} DemoShot;

void        demo_shot_clear            (DemoShot     *shot);

/* A picture on the virtual card. */
typedef struct
{
  char   *name;            /* DEMO0001.JPG */
  GBytes *data;            /* the JPEG */
  GBytes *thumbnail;       /* a small JPEG */
  int     width;
  int     height;
  gint64  mtime;           /* seconds since the epoch */
} DemoPicture;

void        demo_picture_free          (gpointer      data);

/* capa-demo-camera.c: the state of the camera, under one lock. */
void        demo_state_lock            (void);
void        demo_state_unlock          (void);
/* Under the lock: the number of pictures taken since the module loaded. */
guint       demo_state_get_shutter_count (void);
/* The camera's own shutter button: takes a picture with the current
 * settings, puts it on the card and queues GP_EVENT_FILE_ADDED. Must be
 * called without the lock. */
int         demo_press_shutter_button  (Camera       *camera,
                                        GPContext    *context);

/* capa-demo-settings.c: the configuration tree. */
int         demo_settings_get_config   (Camera        *camera,
                                        CameraWidget **window,
                                        GPContext     *context);
int         demo_settings_set_config   (Camera        *camera,
                                        CameraWidget  *window,
                                        GPContext     *context);
int         demo_settings_get_single   (Camera        *camera,
                                        const char    *name,
                                        CameraWidget **widget,
                                        GPContext     *context);
int         demo_settings_set_single   (Camera        *camera,
                                        const char    *name,
                                        CameraWidget  *widget,
                                        GPContext     *context);
int         demo_settings_list         (Camera        *camera,
                                        CameraList    *list,
                                        GPContext     *context);
/* Resets every setting to its initial value (under the lock). */
void        demo_settings_reset        (void);

/* The settings' values, kept by capa-demo-settings.c (under the lock). */
typedef struct
{
  guint   iso;             /* indexes into the choices */
  guint   f_number;
  guint   shutter;
  guint   white_balance;
  guint   quality;
  guint   focus_mode;
  double  exposure_bias;
  double  focal_length;
  gboolean noise_reduction;
  char   *artist;
  char   *copyright;
  gint64  clock_offset;    /* seconds added to the computer's clock */
} DemoSettings;

DemoSettings *demo_settings_get        (void);
void          demo_settings_fill_shot  (DemoShot     *shot);

/* capa-demo-scene.c: pictures of the scene. */

/* Renders the scene at @width×@height as taken with @shot: @phase (0-1)
 * places the sun, @drift (scene widths) moves the clouds, @seed varies
 * the details and the noise. Returns a JPEG carrying EXIF when @exif. */
GBytes     *demo_scene_render_jpeg     (const DemoShot *shot,
                                        int            width,
                                        int            height,
                                        double         phase,
                                        double         drift,
                                        guint32        seed,
                                        gboolean       exif,
                                        GBytes       **thumbnail);

G_END_DECLS
