/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The demo camera's driver folder.
 *
 * libgphoto2 loads its camera drivers from one folder: CAMLIBS, or the
 * folder it was built with. The demo camera's driver (src/demo) is
 * installed with Capa, in <libdir>/capa/camlibs, so that it is never
 * loaded by other programs. When the demo is on, Capa makes a private
 * folder, $XDG_RUNTIME_DIR/capa-camlibs-XXXXXX (removed when the process
 * exits), holding a link to the demo driver and a link to every driver of
 * the folder libgphoto2 would have used (CAMLIBS when set, else
 * libgphoto2's own driver folder, known at build time), and points CAMLIBS
 * at it before libgphoto2 first loads its drivers. That happens once per
 * process. The real drivers still detect every real camera; the demo's,
 * on a PTP/IP port, is never detected, and the camera list adds it itself
 * ([property@Capa.CameraList:demo-camera]).
 *
 * CAPA_DEMO_CAMLIB names the driver file instead of the installed one
 * (the tests and `meson devenv` use the build tree's).
 */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "capa-camera.h"
#include "capa-gphoto2-private.h"

#define DEMO_DRIVER_NAME "capa_demo_camera.so"

static char *demo_dir;

static void
remove_demo_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (demo_dir == NULL)
    return;

  dir = g_dir_open (demo_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (demo_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (demo_dir);
  g_clear_pointer (&demo_dir, g_free);
}

static const char *
get_demo_driver (void)
{
  const char *path = g_getenv ("CAPA_DEMO_CAMLIB");

  return path != NULL && path[0] != '\0' ? path : CAPA_DEMO_CAMLIB;
}

static gboolean
link_into (const char  *target,
           const char  *folder,
           const char  *name,
           GError     **error)
{
  g_autofree char *link = g_build_filename (folder, name, NULL);

  if (symlink (target, link) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot prepare the demo camera: linking “%s” failed: %s"),
                   target, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Makes the folder and fills it. Called under _capa_gp_lock (). */
static char *
make_demo_dir (GError **error)
{
  const char *driver = get_demo_driver ();
  const char *system_dir = g_getenv ("CAMLIBS");
  g_autofree char *folder = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (system_dir == NULL || system_dir[0] == '\0')
    system_dir = CAPA_GPHOTO2_DRIVERDIR;

  if (!g_file_test (driver, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The demo camera’s driver is missing (%s): reinstall Capa"), driver);
      return NULL;
    }

  folder = g_build_filename (g_get_user_runtime_dir (), "capa-camlibs-XXXXXX", NULL);
  if (g_mkdtemp (folder) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot prepare the demo camera: making a folder in “%s” failed: %s"),
                   g_get_user_runtime_dir (), g_strerror (saved_errno));
      return NULL;
    }
  demo_dir = g_strdup (folder);

  if (!link_into (driver, folder, DEMO_DRIVER_NAME, error))
    {
      remove_demo_dir ();
      return NULL;
    }

  /* Every driver of the folder libgphoto2 would have used; a folder that
   * cannot be read leaves the demo camera alone. */
  dir = g_dir_open (system_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (system_dir, name, NULL);
      g_autoptr(GError) link_error = NULL;

      if (g_str_equal (name, DEMO_DRIVER_NAME) || g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      if (!link_into (path, folder, name, &link_error))
        g_debug ("%s", link_error->message);
    }

  return g_steal_pointer (&folder);
}

/* Called under _capa_gp_lock (): the private driver folder, made on the
 * first call. @point_camlibs: also set CAMLIBS to it (only before
 * libgphoto2 first loads its drivers). */
const char *
_capa_demo_camlibs_get_dir (gboolean   point_camlibs,
                            GError   **error)
{
  static gboolean tried;
  static GError *failure;

  if (!tried)
    {
      g_autofree char *folder = NULL;

      tried = TRUE;
      folder = make_demo_dir (&failure);
      if (folder != NULL)
        {
          g_debug ("The demo camera's drivers are in %s", folder);
          atexit (remove_demo_dir);
          if (point_camlibs)
            g_setenv ("CAMLIBS", folder, TRUE);
        }
    }

  if (demo_dir == NULL)
    {
      if (error != NULL)
        *error = g_error_copy (failure);
      return NULL;
    }

  return demo_dir;
}
