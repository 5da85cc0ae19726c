/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the X11 ICC profile specification's properties give for one
 * monitor, read on a worker thread through a connection of its own. */
typedef struct
{
  GBytes  *data;          /* the first profile found, or NULL */
  char    *source;        /* where it came from, for the user; NULL with data */
  char    *output_name;   /* the RandR output's name, or NULL */
  guint32  icc_atom;      /* _ICC_PROFILE, 0 if unknown */
  guint32  screen_atom;   /* _ICC_PROFILE_n for the monitor's number n > 0, else 0 */
} CapaX11Profile;

void      _capa_x11_profile_clear          (CapaX11Profile  *profile);
gboolean  _capa_screen_profile_read_x11    (const char      *display_name,
                                            guint32          output,
                                            guint            monitor_number,
                                            CapaX11Profile  *profile,
                                            GError         **error);

/* capa-screen-profile-colord.c: the file of the profile colord gives the
 * display with that RandR output name (else that model, else its only
 * display), or NULL when it knows none.  On the main loop, never blocking. */
void      _capa_screen_profile_find_colord_file_async  (const char          *output_name,
                                                        const char          *model,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char     *_capa_screen_profile_find_colord_file_finish (GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
