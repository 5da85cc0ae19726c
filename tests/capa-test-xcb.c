/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Test"

#include "config.h"

#include <string.h>

#include "capa-test-xcb.h"

xcb_connection_t *
capa_test_xcb_connect (const char   *display_name,
                       xcb_window_t *root)
{
  int screen_number = 0;
  xcb_connection_t *connection;
  xcb_screen_iterator_t screens;

  connection = xcb_connect (display_name != NULL ? display_name : g_getenv ("DISPLAY"),
                            &screen_number);
  g_assert_false (xcb_connection_has_error (connection));
  screens = xcb_setup_roots_iterator (xcb_get_setup (connection));
  for (int i = 0; i < screen_number; i++)
    xcb_screen_next (&screens);
  *root = screens.data->root;

  return connection;
}

xcb_atom_t
capa_test_xcb_intern_atom (xcb_connection_t *connection,
                           const char       *name)
{
  g_autofree xcb_intern_atom_reply_t *reply =
    xcb_intern_atom_reply (connection, xcb_intern_atom (connection, FALSE, strlen (name), name),
                           NULL);

  g_assert_nonnull (reply);
  return reply->atom;
}

void
capa_test_xcb_sync (xcb_connection_t *connection)
{
  g_autofree xcb_get_input_focus_reply_t *reply =
    xcb_get_input_focus_reply (connection, xcb_get_input_focus (connection), NULL);

  g_assert_nonnull (reply);
}

void
capa_test_xcb_set_root_property (const char *name,
                                 GBytes     *data)
{
  xcb_window_t root;
  g_autoptr(xcb_connection_t) connection = capa_test_xcb_connect (NULL, &root);
  xcb_atom_t atom = capa_test_xcb_intern_atom (connection, name);

  if (data != NULL)
    xcb_change_property (connection, XCB_PROP_MODE_REPLACE, root, atom, XCB_ATOM_CARDINAL, 8,
                         g_bytes_get_size (data), g_bytes_get_data (data, NULL));
  else
    xcb_delete_property (connection, root, atom);
  capa_test_xcb_sync (connection);
}
