/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest file name, in bytes, that the session makes (extension
 * included).  It leaves room under NAME_MAX (255) for a collision suffix
 * such as "-12". */
#define CAPA_FILENAME_MAX_BYTES 200

/* The longest camera tag (`%c`), in bytes. */
#define CAPA_FILENAME_MAX_TAG_BYTES 32

/* The default file-name pattern of a session. */
#define CAPA_FILENAME_DEFAULT_PATTERN "capa-%Y%m%d-%n"

char     *_capa_filename_sanitize             (const char *name);
char     *_capa_filename_extension            (const char *camera_name,
                                               const char *mime_type);
char     *_capa_filename_expand               (const char *pattern,
                                               GDateTime  *time,
                                               guint       sequence,
                                               const char *camera_name,
                                               const char *mime_type);
char     *_capa_filename_camera_tag           (const char *model);
char     *_capa_filename_expand_tagged        (const char *pattern,
                                               GDateTime  *time,
                                               guint       sequence,
                                               const char *camera_name,
                                               const char *camera_tag,
                                               const char *mime_type);
char     *_capa_filename_expand_full          (const char *pattern,
                                               GDateTime  *time,
                                               guint       sequence,
                                               const char *camera_name,
                                               const char *mime_type,
                                               GError    **error);
gboolean  _capa_filename_pattern_validate     (const char *pattern,
                                               GError    **error);
char     *_capa_filename_with_suffix          (const char *name,
                                               guint       suffix);
gboolean  _capa_filename_is_image             (const char *name);
gboolean  _capa_filename_is_raw               (const char *name);
gboolean  _capa_filename_is_video             (const char *name);
const char *_capa_filename_raw_mime_type      (const char *name);
const char *_capa_filename_video_mime_type    (const char *name);
char     *_capa_filename_new_temporary        (void);
gboolean  _capa_filename_is_temporary         (const char *name);
gboolean  _capa_filename_pattern_has_sequence (const char *pattern);
GRegex   *_capa_filename_sequence_regex       (const char *pattern);
gboolean  _capa_filename_match_sequence       (GRegex     *regex,
                                               const char *name,
                                               guint      *sequence);

G_END_DECLS
