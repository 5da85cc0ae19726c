/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Colour"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <xcb/randr.h>
#include <xcb/xcb.h>

#include "capa-screen-profile-private.h"

/* Reading the X11 ICC profile properties (the "ICC Profiles in X"
 * specification, version 0.4): a monitor's profile is the `_ICC_PROFILE`
 * property of its RandR output, else `_ICC_PROFILE_n` on the root window
 * for the monitor's number n (n > 0), else `_ICC_PROFILE` on the root
 * window.  Each property holds the bytes of the profile (type CARDINAL,
 * format 8).
 *
 * Reading a property is a round trip to the X server, and a profile may
 * be several megabytes: this runs on a worker thread, on an XCB connection
 * of its own (XCB is thread-safe and returns errors with each reply, so
 * nothing reaches GDK's error handler or its connection). */

/* The largest profile read, in bytes: real display profiles are under a
 * few megabytes. */
#define MAX_PROFILE_SIZE (64u * 1024u * 1024u)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xcb_connection_t, xcb_disconnect)

void
_capa_x11_profile_clear (CapaX11Profile *profile)
{
  g_clear_pointer (&profile->data, g_bytes_unref);
  g_clear_pointer (&profile->source, g_free);
  g_clear_pointer (&profile->output_name, g_free);
  profile->icc_atom = 0;
  profile->screen_atom = 0;
}

static xcb_atom_t
intern_atom (xcb_connection_t *connection,
             const char       *name)
{
  xcb_intern_atom_cookie_t cookie;
  g_autofree xcb_intern_atom_reply_t *reply = NULL;

  cookie = xcb_intern_atom (connection, FALSE, strlen (name), name);
  reply = xcb_intern_atom_reply (connection, cookie, NULL);

  return reply != NULL ? reply->atom : XCB_ATOM_NONE;
}

/* Returns the property's bytes, NULL when it is absent or empty. */
static GBytes *
read_root_property (xcb_connection_t  *connection,
                    xcb_window_t       root,
                    xcb_atom_t         atom,
                    GError           **error)
{
  xcb_get_property_cookie_t cookie;
  g_autofree xcb_get_property_reply_t *reply = NULL;
  g_autofree xcb_generic_error_t *x_error = NULL;
  int length;

  cookie = xcb_get_property (connection, FALSE, root, atom, XCB_GET_PROPERTY_TYPE_ANY,
                             0, MAX_PROFILE_SIZE / 4);
  reply = xcb_get_property_reply (connection, cookie, &x_error);
  if (reply == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The display refused to give its colour profile (X error %d)"),
                   x_error != NULL ? x_error->error_code : 0);
      return NULL;
    }

  if (reply->type == XCB_ATOM_NONE)
    return NULL;

  if (reply->format != 8 || reply->bytes_after > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The display’s colour profile property is not a profile "
                             "(wrong format or too large)"));
      return NULL;
    }

  length = xcb_get_property_value_length (reply);
  if (length <= 0)
    return NULL;

  return g_bytes_new (xcb_get_property_value (reply), length);
}

static GBytes *
read_output_property (xcb_connection_t  *connection,
                      xcb_randr_output_t output,
                      xcb_atom_t         atom,
                      GError           **error)
{
  xcb_randr_get_output_property_cookie_t cookie;
  g_autofree xcb_randr_get_output_property_reply_t *reply = NULL;
  g_autofree xcb_generic_error_t *x_error = NULL;
  int length;

  cookie = xcb_randr_get_output_property (connection, output, atom, XCB_GET_PROPERTY_TYPE_ANY,
                                          0, MAX_PROFILE_SIZE / 4, FALSE, FALSE);
  reply = xcb_randr_get_output_property_reply (connection, cookie, &x_error);
  if (reply == NULL)
    {
      /* The output went away meanwhile (BadRROutput): the root window's
       * properties still apply. */
      g_debug ("No _ICC_PROFILE on RandR output 0x%x (X error %d)", output,
               x_error != NULL ? x_error->error_code : 0);
      return NULL;
    }

  if (reply->type == XCB_ATOM_NONE)
    return NULL;

  if (reply->format != 8 || reply->bytes_after > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The monitor’s colour profile property is not a profile "
                             "(wrong format or too large)"));
      return NULL;
    }

  length = xcb_randr_get_output_property_data_length (reply);
  if (length <= 0)
    return NULL;

  return g_bytes_new (xcb_randr_get_output_property_data (reply), length);
}

static char *
dup_output_name (xcb_connection_t   *connection,
                 xcb_randr_output_t  output)
{
  xcb_randr_get_output_info_cookie_t cookie;
  g_autofree xcb_randr_get_output_info_reply_t *reply = NULL;

  cookie = xcb_randr_get_output_info (connection, output, XCB_CURRENT_TIME);
  reply = xcb_randr_get_output_info_reply (connection, cookie, NULL);
  if (reply == NULL)
    return NULL;

  return g_strndup ((const char *) xcb_randr_get_output_info_name (reply),
                    xcb_randr_get_output_info_name_length (reply));
}

static gboolean
has_randr_output_properties (xcb_connection_t *connection)
{
  const xcb_query_extension_reply_t *extension;
  xcb_randr_query_version_cookie_t cookie;
  g_autofree xcb_randr_query_version_reply_t *reply = NULL;

  extension = xcb_get_extension_data (connection, &xcb_randr_id);
  if (extension == NULL || !extension->present)
    return FALSE;

  /* Output properties came with RandR 1.2; the server wants to be told
   * which version the client speaks first. */
  cookie = xcb_randr_query_version (connection, 1, 5);
  reply = xcb_randr_query_version_reply (connection, cookie, NULL);

  return reply != NULL && (reply->major_version > 1 || reply->minor_version >= 2);
}

/*
 * _capa_screen_profile_read_x11:
 * @display_name: the X display, as GDK names it
 * @output: the RandR output of the monitor, or 0
 * @monitor_number: the number of the monitor (its Xinerama screen)
 * @profile: (out caller-allocates): what was found
 *
 * Reads the profile of a monitor as the specification orders it.  Finding
 * none is no error: @profile->data stays %NULL.  Blocking: call it on a
 * worker thread.
 *
 * Returns: %FALSE with @error set when the display cannot be reached or a
 *   property is malformed
 */
gboolean
_capa_screen_profile_read_x11 (const char      *display_name,
                               guint32          output,
                               guint            monitor_number,
                               CapaX11Profile  *profile,
                               GError         **error)
{
  g_autoptr(xcb_connection_t) connection = NULL;
  const xcb_setup_t *setup;
  xcb_screen_iterator_t screens;
  int screen_number = 0;
  xcb_window_t root;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) local_error = NULL;

  g_assert (profile != NULL);
  g_assert (profile->data == NULL);

  connection = xcb_connect (display_name, &screen_number);
  if (xcb_connection_has_error (connection))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                   _("Could not ask the display “%s” for its colour profile"),
                   display_name != NULL ? display_name : "");
      return FALSE;
    }

  setup = xcb_get_setup (connection);
  screens = xcb_setup_roots_iterator (setup);
  for (int i = 0; i < screen_number && screens.rem > 0; i++)
    xcb_screen_next (&screens);
  if (screens.rem == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The display has no such screen"));
      return FALSE;
    }
  root = screens.data->root;

  profile->icc_atom = intern_atom (connection, "_ICC_PROFILE");
  if (monitor_number > 0)
    {
      g_autofree char *name = g_strdup_printf ("_ICC_PROFILE_%u", monitor_number);

      profile->screen_atom = intern_atom (connection, name);
    }

  if (output != 0 && profile->icc_atom != XCB_ATOM_NONE
      && has_randr_output_properties (connection))
    {
      profile->output_name = dup_output_name (connection, output);
      data = read_output_property (connection, output, profile->icc_atom, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (data != NULL)
        {
          /* Translators: %s is the name of a video output, such as HDMI-1 */
          profile->source = g_strdup_printf (_("the display’s profile for output %s"),
                                             profile->output_name != NULL
                                             ? profile->output_name : "?");
          profile->data = g_steal_pointer (&data);
          return TRUE;
        }
    }

  if (profile->screen_atom != XCB_ATOM_NONE)
    {
      data = read_root_property (connection, root, profile->screen_atom, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (data != NULL)
        {
          /* Translators: %u is the number of a monitor */
          profile->source = g_strdup_printf (_("the display’s profile for monitor %u"),
                                             monitor_number + 1);
          profile->data = g_steal_pointer (&data);
          return TRUE;
        }
    }

  if (profile->icc_atom != XCB_ATOM_NONE)
    {
      data = read_root_property (connection, root, profile->icc_atom, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (data != NULL)
        {
          profile->source = g_strdup (_("the display’s profile"));
          profile->data = g_steal_pointer (&data);
          return TRUE;
        }
    }

  return TRUE;
}
