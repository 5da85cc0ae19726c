/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CAPA_TYPE_CAMERA_FILE (capa_camera_file_get_type ())

G_DECLARE_FINAL_TYPE (CapaCameraFile, capa_camera_file, CAPA, CAMERA_FILE, GObject)

CapaCameraFile *capa_camera_file_new           (const char     *folder,
                                                const char     *name);
const char     *capa_camera_file_get_folder    (CapaCameraFile *self);
const char     *capa_camera_file_get_name      (CapaCameraFile *self);
char           *capa_camera_file_dup_path      (CapaCameraFile *self);
const char     *capa_camera_file_get_mime_type (CapaCameraFile *self);
void            capa_camera_file_set_mime_type (CapaCameraFile *self,
                                                const char     *mime_type);
guint64         capa_camera_file_get_size      (CapaCameraFile *self);
void            capa_camera_file_set_size      (CapaCameraFile *self,
                                                guint64         size);
GBytes         *capa_camera_file_get_data      (CapaCameraFile *self);
void            capa_camera_file_set_data      (CapaCameraFile *self,
                                                GBytes         *data);

G_END_DECLS
