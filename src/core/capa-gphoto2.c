/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Helpers shared by the camera and the camera list: libgphoto2 results as
 * GErrors, the shared list of models, libgphoto2's translated texts, and
 * GVFS mount matching. */

#define G_LOG_DOMAIN "Capa-Camera"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "capa-camera.h"
#include "capa-gphoto2-private.h"

static GRecMutex gp_lock;

void
_capa_gp_lock (void)
{
  g_rec_mutex_lock (&gp_lock);
}

void
_capa_gp_unlock (void)
{
  g_rec_mutex_unlock (&gp_lock);
}

void
_capa_gp_camera_release (Camera    **camera,
                         GPContext  *context)
{
  g_assert (camera != NULL);

  if (*camera == NULL)
    return;

  _capa_gp_lock ();
  gp_camera_exit (*camera, context);
  g_clear_pointer (camera, gp_camera_unref);
  _capa_gp_unlock ();
}

/* The demo camera (capa-demo-camlibs.c): wanted (atomic: set without the
 * lock when libgphoto2 is busy), whether CAMLIBS names its folder, and
 * whether the list loaded holds its driver (both under the lock). */
static gint     demo_wanted;
static gboolean camlibs_has_demo;
static gboolean list_has_demo;

/* libgphoto2's list of camera models, under the lock. */
static CameraAbilitiesList *abilities;

/* Under the lock: a list with the demo driver, in place of @list that was
 * loaded without it. The old list is kept, never freed: a job that took
 * it before may still read it without the lock. */
static CameraAbilitiesList *
reload_with_demo (CameraAbilitiesList *list)
{
  static GPtrArray *retired;
  g_autoptr(GPContext) context = gp_context_new ();
  g_autoptr(GError) error = NULL;
  CameraAbilitiesList *loaded = NULL;
  const char *folder;
  int r;

  list_has_demo = TRUE;   /* tried: once is enough */
  folder = _capa_demo_camlibs_get_dir (FALSE, &error);
  if (folder == NULL)
    {
      g_warning ("%s", error->message);
      return list;
    }

  /* CAMLIBS stays as it is: the folder holds every driver CAMLIBS named,
   * and setting the environment while other threads run is unsafe. */
  if ((r = gp_abilities_list_new (&loaded)) < GP_OK ||
      (r = gp_abilities_list_load_dir (loaded, folder, context)) < GP_OK)
    {
      g_warning ("Cannot load the demo camera’s driver: %s", gp_result_as_string (r));
      if (loaded != NULL)
        gp_abilities_list_free (loaded);
      return list;
    }

  if (retired == NULL)
    retired = g_ptr_array_new ();
  g_ptr_array_add (retired, list);
  return loaded;
}

CameraAbilitiesList *
_capa_gp_get_abilities_list (GError **error)
{
  CameraAbilitiesList *result;

  _capa_gp_lock ();
  if (abilities != NULL && g_atomic_int_get (&demo_wanted) && !list_has_demo)
    abilities = reload_with_demo (abilities);

  if (abilities == NULL)
    {
      g_autoptr(GPContext) context = gp_context_new ();
      CameraAbilitiesList *loaded = NULL;
      int r;

      if ((r = gp_abilities_list_new (&loaded)) >= GP_OK &&
          (r = gp_abilities_list_load (loaded, context)) >= GP_OK)
        {
          abilities = loaded;
          list_has_demo = camlibs_has_demo;
        }
      else
        {
          if (loaded != NULL)
            gp_abilities_list_free (loaded);
          _capa_gp_set_error (error, r, NULL, _("Cannot load libgphoto2’s camera drivers"));
        }
    }
  result = abilities;
  _capa_gp_unlock ();

  return result;
}

gboolean
_capa_gp_want_demo_camera (GError **error)
{
  gboolean ok = TRUE;

  if (g_atomic_int_get (&demo_wanted))
    return TRUE;

  /* Called from the main thread: never wait for libgphoto2 busy on a
   * worker (a scan of the USB ports takes a while). Then its drivers are
   * loaded, or being loaded, without the demo's: the next
   * _capa_gp_get_abilities_list () loads them again. */
  if (!g_rec_mutex_trylock (&gp_lock))
    {
      g_atomic_int_set (&demo_wanted, TRUE);
      return TRUE;
    }

  g_atomic_int_set (&demo_wanted, TRUE);
  /* Before libgphoto2 first loads its drivers, CAMLIBS can still name the
   * folder holding the demo's driver too. */
  if (abilities == NULL)
    {
      ok = _capa_demo_camlibs_get_dir (TRUE, error) != NULL;
      camlibs_has_demo = ok;
      if (!ok)
        g_atomic_int_set (&demo_wanted, FALSE);
    }
  _capa_gp_unlock ();

  return ok;
}

gboolean
_capa_gp_result_is_disconnect (int result)
{
  switch (result)
    {
    case GP_ERROR_IO:
    case GP_ERROR_IO_INIT:
    case GP_ERROR_IO_READ:
    case GP_ERROR_IO_WRITE:
    case GP_ERROR_IO_UPDATE:
    case GP_ERROR_IO_USB_CLEAR_HALT:
    case GP_ERROR_IO_USB_FIND:
      return TRUE;

    default:
      return FALSE;
    }
}

void
_capa_gp_set_error (GError     **error,
                    int          result,
                    const char  *context_error,
                    const char  *what)
{
  CapaCameraError code;
  g_autofree char *detail = NULL;

  if (result == GP_ERROR_CANCEL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The operation was cancelled"));
      return;
    }

  switch (result)
    {
    case GP_ERROR_NOT_SUPPORTED:
      code = CAPA_CAMERA_ERROR_NOT_SUPPORTED;
      break;

    case GP_ERROR_CAMERA_BUSY:
    case GP_ERROR_IO_LOCK:
      code = CAPA_CAMERA_ERROR_BUSY;
      break;

    case GP_ERROR_IO_USB_CLAIM:
      g_set_error (error, CAPA_CAMERA_ERROR, CAPA_CAMERA_ERROR_GVFS_LOCKED,
                   _("%s: another program holds the camera, most likely the desktop’s "
                     "file manager (GVFS) which mounted it. Unmount the camera and try again."),
                   what);
      return;

    case GP_ERROR_BAD_PARAMETERS:
      code = CAPA_CAMERA_ERROR_BAD_PARAMETER;
      break;

    case GP_ERROR_FILE_NOT_FOUND:
    case GP_ERROR_DIRECTORY_NOT_FOUND:
    case GP_ERROR_MODEL_NOT_FOUND:
    case GP_ERROR_UNKNOWN_PORT:
      code = CAPA_CAMERA_ERROR_NOT_FOUND;
      break;

    case GP_ERROR_NO_SPACE:
      code = CAPA_CAMERA_ERROR_NO_SPACE;
      break;

    default:
      code = _capa_gp_result_is_disconnect (result) ||
             (result <= GP_ERROR_IO && result >= GP_ERROR_HAL)
             ? CAPA_CAMERA_ERROR_IO
             : CAPA_CAMERA_ERROR_FAILED;
      break;
    }

  if (context_error != NULL && context_error[0] != '\0')
    detail = g_strdup_printf ("%s (%s)", gp_result_as_string (result), context_error);
  else
    detail = g_strdup (gp_result_as_string (result));

  g_set_error (error, CAPA_CAMERA_ERROR, code, "%s: %s", what, detail);
}

/* libgphoto2's gettext domain: GETTEXT_PACKAGE_LIBGPHOTO2 in its source,
 * the package name and the library's major version (libgphoto2.so.6);
 * Debian's libgphoto2-l10n installs libgphoto2-6.mo. */
#define GP_GETTEXT_DOMAIN "libgphoto2-6"

static gboolean
utf8_equal_nocase (const char *a,
                   const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (!g_utf8_validate (a, -1, NULL) || !g_utf8_validate (b, -1, NULL))
    return g_strcmp0 (a, b) == 0;
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  return g_str_equal (fa, fb);
}

gboolean
_capa_gp_text_is (const char *text,
                  const char *msgid)
{
  const char *translated;

  g_assert (msgid != NULL);

  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, msgid) == 0)
    return TRUE;

  translated = dgettext (GP_GETTEXT_DOMAIN, msgid);
  return translated != msgid && utf8_equal_nocase (text, translated);
}

/* The label of a summary line written with @format: what comes before
 * its "%s", without the spaces after it ("Model:", "Modèle :"). */
static char *
summary_label (const char *format)
{
  const char *conversion = strstr (format, "%s");
  char *label = conversion ? g_strndup (format, conversion - format) : g_strdup (format);

  return g_strchomp (label);
}

char *
_capa_gp_summary_dup_field (const char *summary,
                            const char *format)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *english = NULL;
  g_autofree char *translated = NULL;

  g_assert (format != NULL);

  if (summary == NULL)
    return NULL;

  english = summary_label (format);
  translated = summary_label (dgettext (GP_GETTEXT_DOMAIN, format));
  lines = g_strsplit (summary, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *value = NULL;

      if (*english != '\0' && g_str_has_prefix (line, english))
        value = line + strlen (english);
      else if (*translated != '\0' && g_str_has_prefix (line, translated))
        value = line + strlen (translated);
      if (value == NULL)
        continue;

      g_strstrip (value);
      if (*value != '\0')
        return g_strdup (value);
    }

  return NULL;
}

int
_capa_gp_get_single_config_untranslated (Camera        *camera,
                                         const char    *name,
                                         CameraWidget **widget,
                                         GPContext     *context)
{
  static gsize c_locale = 0;
  locale_t previous;
  int r;

  /* gettext follows the thread's locale (uselocale ()), and ignores
   * LANGUAGE in the "C" locale. */
  if (g_once_init_enter (&c_locale))
    {
      locale_t locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);

      g_assert (locale != (locale_t) 0);
      g_once_init_leave (&c_locale, (gsize) locale);
    }

  previous = uselocale ((locale_t) c_locale);
  r = gp_camera_get_single_config (camera, name, widget, context);
  uselocale (previous);

  return r;
}

static gboolean
parse_usb_port (const char *port,
                guint      *bus,
                guint      *dev)
{
  if (port == NULL)
    return FALSE;
  if (g_str_has_prefix (port, "usb:"))
    port += 4;
  return sscanf (port, "%u,%u", bus, dev) == 2;
}

static char *
underscored (const char *text)
{
  char *copy = g_strdup (text);

  g_strdelimit (copy, " ", '_');
  return copy;
}

gboolean
_capa_gvfs_matches_camera (const char *uri,
                           const char *unix_device,
                           const char *model,
                           const char *port)
{
  guint bus = 0, dev = 0;
  gboolean have_usb = parse_usb_port (port, &bus, &dev);

  if (unix_device != NULL && have_usb)
    {
      guint dbus = 0, ddev = 0;

      if (sscanf (unix_device, "/dev/bus/usb/%u/%u", &dbus, &ddev) == 2 &&
          dbus == bus && ddev == dev)
        return TRUE;
    }

  if (uri != NULL)
    {
      g_autofree char *scheme = g_uri_parse_scheme (uri);
      g_autofree char *host = NULL;
      const char *rest;
      const char *end;

      if (scheme == NULL || (!g_str_equal (scheme, "gphoto2") && !g_str_equal (scheme, "mtp")))
        return FALSE;

      rest = uri + strlen (scheme);
      if (!g_str_has_prefix (rest, "://"))
        return FALSE;
      rest += 3;
      end = strchr (rest, '/');
      host = end ? g_strndup (rest, end - rest) : g_strdup (rest);

      {
        g_autofree char *unescaped = g_uri_unescape_string (host, NULL);

        if (unescaped != NULL)
          {
            g_free (host);
            host = g_steal_pointer (&unescaped);
          }
      }

      /* gphoto2://[usb:001,004]/ */
      if (host[0] == '[')
        {
          guint hbus = 0, hdev = 0;
          char *close = strchr (host, ']');

          if (close != NULL)
            *close = '\0';
          if (port != NULL && g_str_equal (host + 1, port))
            return TRUE;
          if (have_usb && parse_usb_port (host + 1, &hbus, &hdev))
            return hbus == bus && hdev == dev;
          return FALSE;
        }

      /* gphoto2://Nikon_DSC_D750/ or mtp://Nikon_DSC_D750_3001234/ */
      if (model != NULL)
        {
          g_autofree char *name = underscored (model);
          gsize len = strlen (name);

          if (g_ascii_strncasecmp (host, name, len) == 0 && (host[len] == '\0' || host[len] == '_'))
            return TRUE;
        }
    }

  return FALSE;
}
