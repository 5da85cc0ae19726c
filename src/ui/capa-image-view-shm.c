/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The surfaces CapaImageView draws: in memory shared with the X server
 * where the display takes it, kept for the next image of the same size.
 *
 * Images the X server draws from without a copy through the main thread:
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

/* Removes @self's segment and unmaps it from this process; any thread. */
static void
unmap_segment (CapaShmImage *self)
{
  shmctl (self->info.shmid, IPC_RMID, NULL);
  shmdt (self->info.shmaddr);
}

static void
unmap_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  unmap_segment (task_data);
  g_task_return_boolean (task, TRUE);
}

/* Frees @self; main thread once it was lent to the X server.  The segment
 * is then unmapped on a worker: unmapping megabytes takes the kernel a
 * millisecond or more (the TLB of every core flushed), and the X server,
 * told to detach first, no longer needs it from this process. */
void
_capa_shm_image_free (CapaShmImage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self == NULL)
    return;

  if (self->display == NULL)
    {
      unmap_segment (self);
      g_free (self);
      return;
    }

  XFreePixmap (self->display, self->pixmap);
  XShmDetach (self->display, &self->info);
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, unmap_thread);
  g_task_set_task_data (task, self, g_free);
  g_task_run_in_thread (task, unmap_thread);
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

/* ---- the view's surfaces ---- */

cairo_format_t
_capa_image_view_format_of (GdkPixbuf *pixbuf)
{
  return gdk_pixbuf_get_has_alpha (pixbuf) ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24;
}

/* Writes @pixbuf's pixels to @data, as cairo's RGB24 or premultiplied
 * ARGB32 (format_of()) rows of @stride bytes.  Memory only: safe on a
 * worker thread for a surface made on the main thread. */
void
_capa_image_view_write_pixels (GdkPixbuf *pixbuf,
                               guint8    *data,
                               gsize      stride)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  gsize rowstride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    {
      const guint8 *in = pixels + (gsize) y * rowstride;
      guint32 *out = (guint32 *) (gpointer) (data + (gsize) y * stride);

      if (!has_alpha)
        {
          for (int x = 0; x < width; x++, in += n_channels)
            out[x] = 0xff000000u | (guint32) in[0] << 16 | (guint32) in[1] << 8 | in[2];
        }
      else
        {
          for (int x = 0; x < width; x++, in += n_channels)
            {
              guint a = in[3];
              guint r = (in[0] * a + 127) / 255;
              guint g = (in[1] * a + 127) / 255;
              guint b = (in[2] * a + 127) / 255;

              out[x] = (guint32) a << 24 | r << 16 | g << 8 | b;
            }
        }
    }
}

/* A cairo image surface of @pixbuf's pixels, or %NULL without memory. */
cairo_surface_t *
_capa_image_view_surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  cairo_surface_t *surface;

  surface = cairo_image_surface_create (_capa_image_view_format_of (pixbuf),
                                        gdk_pixbuf_get_width (pixbuf),
                                        gdk_pixbuf_get_height (pixbuf));
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  cairo_surface_flush (surface);
  _capa_image_view_write_pixels (pixbuf, cairo_image_surface_get_data (surface),
                                 cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* Marks the surfaces make_target() made. */
static const cairo_user_data_key_t target_key;

/* Spare surfaces kept for the next images: those of the preview and of
 * the screen step, and of the image before. */
#define MAX_SPARES 3

/* Lets @surface (nullable) go: a surface of make_target() that nothing
 * else holds is kept for a next image of its size. */
void
_capa_image_view_release_surface (CapaImageView   *self,
                                  cairo_surface_t *surface)
{
  if (surface == NULL)
    return;

  if (cairo_surface_get_user_data (surface, &target_key) != self ||
      cairo_surface_get_reference_count (surface) > 1)
    {
      cairo_surface_destroy (surface);
      return;
    }

  if (self->spares->len == MAX_SPARES)
    g_ptr_array_remove_index (self->spares, 0);
  g_ptr_array_add (self->spares, surface);
}

/* A surface of @shm's pixels (taken): lent to the X server when it takes
 * them, else copied into memory. */
cairo_surface_t *
_capa_image_view_lend_to_display (CapaImageView *self,
                                  CapaShmImage  *shm)
{
  GdkWindow *window = gtk_widget_get_window (GTK_WIDGET (self->canvas));
  cairo_surface_t *surface = NULL;
  int width, height;
  gsize stride;
  const guint8 *pixels;

  if (window != NULL)
    surface = _capa_shm_image_make_surface (shm, window);
  if (surface != NULL)
    {
      cairo_surface_set_user_data (surface, &target_key, self, NULL);
      self->n_targets_made++;
      return surface;
    }

  /* Rare: the window went, or the X server refused the memory. */
  _capa_shm_image_get_size (shm, &width, &height);
  pixels = _capa_shm_image_get_data (shm, &stride);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    {
      guint8 *data = cairo_image_surface_get_data (surface);
      gsize data_stride = cairo_image_surface_get_stride (surface);

      cairo_surface_flush (surface);
      for (int y = 0; y < height; y++)
        memcpy (data + y * data_stride, pixels + y * stride, (gsize) width * 4);
      cairo_surface_mark_dirty (surface);
    }
  _capa_shm_image_free (shm);
  return surface;
}

/* The surface @pixbuf's pixels are to be written to (*@pixels, rows of
 * *@stride bytes), one the display draws from without a copy through the
 * main thread, made here because only the main thread speaks to the
 * display: a spare one of that size, else cairo's shared image.  Returns
 * %NULL when the worker is to make the pixels itself: shared with the X
 * server (*@shared), or in memory when the canvas has no window yet.  Not
 * for the full resolution, which may be far larger than the shared memory
 * the system allows. */
cairo_surface_t *
_capa_image_view_make_target (CapaImageView  *self,
                              GdkPixbuf      *pixbuf,
                              guint8        **pixels,
                              gsize          *stride,
                              gboolean       *shared)
{
  GdkWindow *window = gtk_widget_get_window (GTK_WIDGET (self->canvas));
  cairo_format_t format = _capa_image_view_format_of (pixbuf);
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  cairo_surface_t *surface = NULL;
  CapaShmImage *shm;

  if (window == NULL)
    return NULL;

  /* A spare of that size: its memory is mapped already. */
  for (guint i = 0; i < self->spares->len; i++)
    {
      cairo_surface_t *spare = g_ptr_array_index (self->spares, i);
      int spare_width, spare_height;

      _capa_image_view_get_surface_size (spare, &spare_width, &spare_height);
      if (_capa_image_view_get_surface_format (spare) == format &&
          spare_width == width && spare_height == height)
        {
          surface = g_ptr_array_steal_index (self->spares, i);
          break;
        }
    }

  if (surface != NULL)
    {
      /* Waits, if need be, until the display has read what it drew from
       * it. */
      shm = _capa_shm_image_from_surface (surface, TRUE);
      if (shm != NULL)
        {
          *pixels = _capa_shm_image_get_data (shm, stride);
        }
      else
        {
          cairo_surface_flush (surface);
          *pixels = cairo_image_surface_get_data (surface);
          *stride = cairo_image_surface_get_stride (surface);
        }
      return surface;
    }

  /* Else the worker makes the memory, lent to the X server once written. */
  if (format == CAIRO_FORMAT_RGB24 && _capa_shm_image_supported (window))
    {
      *shared = TRUE;
      return NULL;
    }

  /* Else cairo's shared image: cleared here, page by page. */
  surface = gdk_window_create_similar_image_surface (window, format, width, height, 1);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS ||
      cairo_surface_get_type (surface) != CAIRO_SURFACE_TYPE_IMAGE)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  cairo_surface_set_user_data (surface, &target_key, self, NULL);
  self->n_targets_made++;
  cairo_surface_flush (surface);
  *pixels = cairo_image_surface_get_data (surface);
  *stride = cairo_image_surface_get_stride (surface);
  return surface;
}

guint
_capa_image_view_get_n_surfaces_made (CapaImageView *self)
{
  return self->n_targets_made;
}

