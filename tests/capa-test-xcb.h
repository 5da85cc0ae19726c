/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The test display's X properties, written as a colour manager would
 * (tests of the monitor's profile, issue 8, item 7). */

#pragma once

#include <glib.h>
#include <xcb/xcb.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xcb_connection_t, xcb_disconnect)

/* A connection to @display_name (%NULL: $DISPLAY), and its default root window. */
xcb_connection_t *capa_test_xcb_connect           (const char       *display_name,
                                                   xcb_window_t     *root);
xcb_atom_t        capa_test_xcb_intern_atom       (xcb_connection_t *connection,
                                                   const char       *name);
/* Waits until the X server has handled every request sent so far. */
void              capa_test_xcb_sync              (xcb_connection_t *connection);
/* Sets (or with %NULL deletes) a CARDINAL/8 property of $DISPLAY's root window. */
void              capa_test_xcb_set_root_property (const char       *name,
                                                   GBytes           *data);

G_END_DECLS
