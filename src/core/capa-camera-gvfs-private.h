/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What Capa knows of one desktop (GVFS) mount; every field is nullable. */
typedef struct
{
  const char *name;            /* g_mount_get_name (): shown in errors */
  const char *root_uri;        /* g_mount_get_root () */
  const char *location_uri;    /* g_mount_get_default_location () */
  const char *activation_uri;  /* its volume's activation root */
  const char *unix_device;     /* its volume's unix-device identifier */
} CapaGvfsMount;

/* Picks, among @mounts, the one that holds the camera @model on @port
 * (such as "usb:001,004"). @usb_serial (nullable) is the udev ID_SERIAL of
 * the USB device on @port, the name GVFS gives the mount
 * (gphoto2://Nikon_Corp._D750_3001234/).
 *
 * A mount is this camera's when it names the port (gphoto2://[usb:001,004]/,
 * /dev/bus/usb/001/004) or the serial; failing that, and only when exactly
 * one mount not known to be another device has a name of that model
 * (gphoto2://Nikon_DSC_D750/), that one. Returns its index, or -1 with
 * CAPA_CAMERA_ERROR_NOT_FOUND when none holds it, or
 * CAPA_CAMERA_ERROR_BUSY, naming the mounts, when several mounts of that
 * model could be it. */
int  _capa_gvfs_find_camera_mount (const CapaGvfsMount *mounts,
                                   guint                n_mounts,
                                   const char          *model,
                                   const char          *port,
                                   const char          *usb_serial,
                                   GError             **error);


G_END_DECLS
