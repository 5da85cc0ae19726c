/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Images the X server draws from without a copy through the main thread.
 *
 * A worker makes a System V shared memory segment and writes the image's
 * pixels into it, touching its pages there; the main thread then lends the
 * segment to the X server (MIT-SHM) as a pixmap and wraps it in a cairo
 * surface.  Painting it is a request the server carries out.  cairo's own
 * shared images (cairo_surface_create_similar_image()) are cleared when
 * made, on the main thread, page by page: 10–20 ms for an image the size
 * of the view.
 *
 * Only for 24-bit TrueColor displays whose shared pixmaps have cairo's
 * RGB24 layout (32 bits a pixel, rows padded to 32 bits, the host's byte
 * order): every common X server.  Elsewhere (Wayland, a remote display
 * without shared memory) the view makes other surfaces. */

#define G_LOG_DOMAIN "Capa-ImageView"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include <gdk/gdkx.h>
#include <X11/Xlib.h>
#include <X11/extensions/XShm.h>
#include <cairo-xlib.h>

#include "capa-image-view-private.h"

struct _CapaShmImage
{
  XShmSegmentInfo  info;
  int              width;
  int              height;
  gsize            stride;
  Display         *display;   /* once lent to the X server */
  Pixmap           pixmap;
};

static const cairo_user_data_key_t shm_image_key;

/* Whether @window's display takes shared pixmaps in cairo's RGB24 layout;
 * asked once a display.  Main thread. */
gboolean
_capa_shm_image_supported (GdkWindow *window)
{
  GdkDisplay *display = gdk_window_get_display (window);
  gpointer known = g_object_get_data (G_OBJECT (display), "capa-shm-image-supported");
  gboolean supported = FALSE;

  if (known != NULL)
    return GPOINTER_TO_INT (known) == 1;

  if (GDK_IS_X11_DISPLAY (display))
    {
      Display *xdisplay = GDK_DISPLAY_XDISPLAY (display);
      GdkVisual *visual = gdk_screen_get_system_visual (gdk_window_get_screen (window));
      int major = 0, minor = 0, n_formats = 0;
      Bool pixmaps = False;
      XPixmapFormatValues *formats = NULL;
      guint32 red = 0, green = 0, blue = 0;

      gdk_visual_get_red_pixel_details (visual, &red, NULL, NULL);
      gdk_visual_get_green_pixel_details (visual, &green, NULL, NULL);
      gdk_visual_get_blue_pixel_details (visual, &blue, NULL, NULL);

      if (XShmQueryVersion (xdisplay, &major, &minor, &pixmaps) && pixmaps &&
          XShmPixmapFormat (xdisplay) == ZPixmap &&
          gdk_visual_get_depth (visual) == 24 &&
          gdk_visual_get_visual_type (visual) == GDK_VISUAL_TRUE_COLOR &&
          red == 0xff0000 && green == 0x00ff00 && blue == 0x0000ff &&
          ImageByteOrder (xdisplay) == (G_BYTE_ORDER == G_LITTLE_ENDIAN ? LSBFirst : MSBFirst))
        formats = XListPixmapFormats (xdisplay, &n_formats);

      for (int i = 0; formats != NULL && i < n_formats; i++)
        if (formats[i].depth == 24)
          supported = formats[i].bits_per_pixel == 32 && formats[i].scanline_pad == 32;
      if (formats != NULL)
        XFree (formats);
    }

  g_debug ("Shared pixmaps for the view: %s", supported ? "yes" : "no");
  g_object_set_data (G_OBJECT (display), "capa-shm-image-supported",
                     GINT_TO_POINTER (supported ? 1 : 2));
  return supported;
}

/* A segment for an RGB24 image of @width × @height, not yet known to the
 * X server.  Any thread. */
CapaShmImage *
_capa_shm_image_new (int      width,
                     int      height,
                     GError **error)
{
  g_autofree CapaShmImage *self = g_new0 (CapaShmImage, 1);
  int saved_errno;

  self->width = width;
  self->height = height;
  self->stride = cairo_format_stride_for_width (CAIRO_FORMAT_RGB24, width);
  self->info.shmid = shmget (IPC_PRIVATE, self->stride * (gsize) height, IPC_CREAT | 0600);
  if (self->info.shmid < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot make shared memory for the image: %s", g_strerror (saved_errno));
      return NULL;
    }

  self->info.shmaddr = shmat (self->info.shmid, NULL, 0);
  if (self->info.shmaddr == (char *) -1)
    {
      saved_errno = errno;
      shmctl (self->info.shmid, IPC_RMID, NULL);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot map shared memory for the image: %s", g_strerror (saved_errno));
      return NULL;
    }
  self->info.readOnly = False;

  return g_steal_pointer (&self);
}

/* The pixels, rows of *@stride bytes. */
guint8 *
_capa_shm_image_get_data (CapaShmImage *self,
                          gsize        *stride)
{
  *stride = self->stride;
  return (guint8 *) self->info.shmaddr;
}

void
_capa_shm_image_get_size (CapaShmImage *self,
                          int          *width,
                          int          *height)
{
  *width = self->width;
  *height = self->height;
}

/* Frees @self; main thread once it was lent to the X server. */
void
_capa_shm_image_free (CapaShmImage *self)
{
  if (self == NULL)
    return;

  if (self->display != NULL)
    {
      XFreePixmap (self->display, self->pixmap);
      XShmDetach (self->display, &self->info);
    }
  shmctl (self->info.shmid, IPC_RMID, NULL);
  shmdt (self->info.shmaddr);
  g_free (self);
}

/* A cairo surface drawing @self (taken) on @window's display, or %NULL
 * (@self left to the caller) when the X server refuses it.  Main
 * thread. */
cairo_surface_t *
_capa_shm_image_make_surface (CapaShmImage *self,
                              GdkWindow    *window)
{
  GdkDisplay *display = gdk_window_get_display (window);
  Display *xdisplay = GDK_DISPLAY_XDISPLAY (display);
  GdkVisual *visual = gdk_screen_get_system_visual (gdk_window_get_screen (window));
  cairo_surface_t *surface;

  gdk_x11_display_error_trap_push (display);
  if (XShmAttach (xdisplay, &self->info))
    /* The toplevel names the screen: the XID of the canvas's own window
     * would make it a native window. */
    self->pixmap = XShmCreatePixmap (xdisplay, GDK_WINDOW_XID (gdk_window_get_toplevel (window)),
                                     self->info.shmaddr, &self->info,
                                     self->width, self->height, 24);
  if (gdk_x11_display_error_trap_pop (display) != 0 || self->pixmap == None)
    {
      g_debug ("The X server refused the shared image: no more are asked for");
      g_object_set_data (G_OBJECT (display), "capa-shm-image-supported", GINT_TO_POINTER (2));
      gdk_x11_display_error_trap_push (display);
      if (self->pixmap != None)
        XFreePixmap (xdisplay, self->pixmap);
      XShmDetach (xdisplay, &self->info);
      gdk_x11_display_error_trap_pop_ignored (display);
      self->pixmap = None;
      return NULL;
    }
  self->display = xdisplay;
  /* Attached by the X server now (the trap waited for it): gone once it
   * and this process let go of it. */
  shmctl (self->info.shmid, IPC_RMID, NULL);

  surface = cairo_xlib_surface_create (xdisplay, self->pixmap, GDK_VISUAL_XVISUAL (visual),
                                       self->width, self->height);
  /* The pixmap is freed once cairo has let go of it. */
  cairo_surface_set_user_data (surface, &shm_image_key, self,
                               (cairo_destroy_func_t) _capa_shm_image_free);
  return surface;
}

/* The shared image @surface draws, if it is one of these.  Before the
 * pixels are written again, the X server is waited for: it may still be
 * reading them for a paint.  Main thread. */
CapaShmImage *
_capa_shm_image_from_surface (cairo_surface_t *surface,
                              gboolean         for_writing)
{
  CapaShmImage *self = cairo_surface_get_user_data (surface, &shm_image_key);

  if (self != NULL && for_writing)
    XSync (self->display, False);
  return self;
}

/* The size of a surface the view draws, shared or in memory. */
void
_capa_image_view_get_surface_size (cairo_surface_t *surface,
                                   int             *width,
                                   int             *height)
{
  CapaShmImage *shm = _capa_shm_image_from_surface (surface, FALSE);

  if (shm != NULL)
    {
      *width = shm->width;
      *height = shm->height;
    }
  else
    {
      *width = cairo_image_surface_get_width (surface);
      *height = cairo_image_surface_get_height (surface);
    }
}

int
_capa_image_view_get_surface_width (cairo_surface_t *surface)
{
  int width, height;

  _capa_image_view_get_surface_size (surface, &width, &height);
  return width;
}

int
_capa_image_view_get_surface_height (cairo_surface_t *surface)
{
  int width, height;

  _capa_image_view_get_surface_size (surface, &width, &height);
  return height;
}

cairo_format_t
_capa_image_view_get_surface_format (cairo_surface_t *surface)
{
  if (_capa_shm_image_from_surface (surface, FALSE) != NULL)
    return CAIRO_FORMAT_RGB24;
  return cairo_image_surface_get_format (surface);
}
