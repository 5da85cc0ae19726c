/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Pixel loading for CapaImage, run on a worker thread: JPEG through
 * libjpeg(-turbo) with DCT-domain scaling, RAW through libraw (the
 * embedded preview, else a half-size decode), anything else through
 * GdkPixbuf, and a drawn placeholder for videos.  Every path returns a
 * pixbuf fitted to the asked box with the orientation applied. */

#define G_LOG_DOMAIN "Capa-Image"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <jerror.h>
#include <libraw/libraw.h>

#include "capa-filename-private.h"
#include "capa-image-private.h"

/* A RAW's embedded preview is used when it is at least this large on its
 * longer side, even when a larger size was asked for: a full RAW decode
 * takes seconds. */
#define MIN_USABLE_PREVIEW 1024

/* Largest image (in pixels) any decoder is asked to produce. */
#define MAX_PIXELS ((gint64) 1 << 28)

#define CANCEL_CHECK_ROWS 16

void
_capa_image_fit_size (int  width,
                      int  height,
                      int  max_width,
                      int  max_height,
                      int *fit_width,
                      int *fit_height)
{
  double scale = 1.0;

  g_assert (width > 0 && height > 0);

  if (max_width > 0)
    scale = MIN (scale, (double) max_width / width);
  if (max_height > 0)
    scale = MIN (scale, (double) max_height / height);

  *fit_width = CLAMP ((int) lround (width * scale), 1, width);
  *fit_height = CLAMP ((int) lround (height * scale), 1, height);

  if (max_width > 0)
    *fit_width = MIN (*fit_width, max_width);
  if (max_height > 0)
    *fit_height = MIN (*fit_height, max_height);
}

static gboolean
orientation_swaps_axes (CapaImageOrientation orientation)
{
  return orientation >= CAPA_IMAGE_ORIENTATION_TRANSPOSE &&
         orientation <= CAPA_IMAGE_ORIENTATION_ROTATE_270;
}

GdkPixbuf *
_capa_image_apply_orientation (GdkPixbuf            *pixbuf,
                               CapaImageOrientation  orientation)
{
  g_autoptr(GdkPixbuf) rotated = NULL;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);

  switch (orientation)
    {
    case CAPA_IMAGE_ORIENTATION_FLIP_HORIZONTAL:
      return gdk_pixbuf_flip (pixbuf, TRUE);

    case CAPA_IMAGE_ORIENTATION_ROTATE_180:
      return gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_UPSIDEDOWN);

    case CAPA_IMAGE_ORIENTATION_FLIP_VERTICAL:
      return gdk_pixbuf_flip (pixbuf, FALSE);

    case CAPA_IMAGE_ORIENTATION_TRANSPOSE:
      rotated = gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_CLOCKWISE);
      return rotated ? gdk_pixbuf_flip (rotated, TRUE) : NULL;

    case CAPA_IMAGE_ORIENTATION_ROTATE_90:
      return gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_CLOCKWISE);

    case CAPA_IMAGE_ORIENTATION_TRANSVERSE:
      rotated = gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_CLOCKWISE);
      return rotated ? gdk_pixbuf_flip (rotated, FALSE) : NULL;

    case CAPA_IMAGE_ORIENTATION_ROTATE_270:
      return gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);

    case CAPA_IMAGE_ORIENTATION_NORMAL:
    default:
      return g_object_ref (pixbuf);
    }
}

/* Scales @pixbuf (bilinear) so that it fits the box, if it does not yet. */
static GdkPixbuf *
scale_to_fit (GdkPixbuf *pixbuf,
              int        max_width,
              int        max_height)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int fit_width, fit_height;

  _capa_image_fit_size (width, height, max_width, max_height, &fit_width, &fit_height);
  if (fit_width == width && fit_height == height)
    return g_object_ref (pixbuf);

  return gdk_pixbuf_scale_simple (pixbuf, fit_width, fit_height, GDK_INTERP_BILINEAR);
}

static GdkPixbuf *
orient_and_fit (GdkPixbuf             *pixbuf,
                CapaImageOrientation   orientation,
                int                    max_width,
                int                    max_height,
                GError               **error)
{
  g_autoptr(GdkPixbuf) oriented = _capa_image_apply_orientation (pixbuf, orientation);
  GdkPixbuf *fitted;

  fitted = oriented ? scale_to_fit (oriented, max_width, max_height) : NULL;
  if (fitted == NULL)
    g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_FAILED,
                         _("Not enough memory to show the image"));

  return fitted;
}

GdkPixbuf *
_capa_image_make_video_placeholder (int max_width,
                                    int max_height)
{
  GdkPixbuf *pixbuf;
  int width, height, rowstride, n_channels;
  guint8 *pixels;
  double side, left, right, cy;

  if (max_width <= 0 && max_height <= 0)
    {
      width = 640;
      height = 360;
    }
  else
    {
      _capa_image_fit_size (16 * 4096, 9 * 4096, max_width, max_height, &width, &height);
    }

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_return_val_if_fail (pixbuf != NULL, NULL);

  gdk_pixbuf_fill (pixbuf, 0x4d4d4dff);

  /* A "play" triangle pointing right, a third of the height tall. */
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  side = MIN (width, height) / 3.0;
  left = width / 2.0 - side * 0.4;
  right = width / 2.0 + side * 0.6;
  cy = height / 2.0;

  for (int y = 0; y < height; y++)
    {
      for (int x = (int) left; x < (int) ceil (right) && x < width; x++)
        {
          double px = x + 0.5, py = y + 0.5;
          double half = (right - px) / (right - left) * side / 2.0;

          if (px >= left && px <= right && fabs (py - cy) <= half)
            {
              guint8 *p = pixels + (gsize) y * rowstride + (gsize) x * n_channels;

              p[0] = p[1] = p[2] = 0xd9;
            }
        }
    }

  return pixbuf;
}

/* ---- JPEG ---- */

typedef struct
{
  struct jpeg_error_mgr pub;
  jmp_buf               setjmp_buffer;
  char                  message[JMSG_LENGTH_MAX];
  gboolean              truncated;
} ErrorManager;

static void
on_jpeg_error_exit (j_common_ptr cinfo)
{
  ErrorManager *err = (ErrorManager *) cinfo->err;

  cinfo->err->format_message (cinfo, err->message);
  longjmp (err->setjmp_buffer, 1);
}

static void
on_jpeg_emit_message (j_common_ptr cinfo,
                      int          msg_level)
{
  ErrorManager *err = (ErrorManager *) cinfo->err;

  if (msg_level >= 0)
    return;

  /* A premature end of the data means a truncated file: libjpeg would
   * fill the rest with grey; report it instead. */
  if (cinfo->err->msg_code == JWRN_JPEG_EOF)
    {
      err->truncated = TRUE;
      cinfo->err->format_message (cinfo, err->message);
      longjmp (err->setjmp_buffer, 1);
    }

  if (cinfo->err->num_warnings++ == 0)
    {
      char message[JMSG_LENGTH_MAX];

      cinfo->err->format_message (cinfo, message);
      g_debug ("libjpeg: %s", message);
    }
}

static void
on_jpeg_output_message (j_common_ptr cinfo)
{
  char message[JMSG_LENGTH_MAX];

  cinfo->err->format_message (cinfo, message);
  g_debug ("libjpeg: %s", message);
}

typedef struct
{
  struct jpeg_decompress_struct  cinfo;
  ErrorManager                   jerr;
  GdkPixbuf                     *pixbuf;
  guint8                        *cmyk_row;
  CapaImageOrientation           orientation;
  int                            scale_denom;
  gboolean                       cancelled;
  gboolean                       header_read;
  gboolean                       too_small;
} JpegDecode;

static CapaImageOrientation
find_exif_orientation (j_decompress_ptr cinfo)
{
  for (jpeg_saved_marker_ptr marker = cinfo->marker_list; marker; marker = marker->next)
    {
      CapaImageOrientation orientation;

      if (marker->marker != JPEG_APP0 + 1)
        continue;

      orientation = _capa_image_parse_exif_orientation (marker->data, marker->data_length);
      if (orientation != 0)
        return orientation;
    }

  return CAPA_IMAGE_ORIENTATION_NORMAL;
}

static inline guint8
cmyk_channel (guint8   colour,
              guint8   black,
              gboolean inverted)
{
  /* Adobe writes CMYK JPEGs inverted (0 = full ink). */
  if (inverted)
    return (guint8) ((colour * black + 127) / 255);

  return (guint8) (((255 - colour) * (255 - black) + 127) / 255);
}

/* Everything that may longjmp lives here, with its state in @state so that
 * nothing is held in locals across setjmp(). Returns FALSE on a libjpeg
 * error (the message is in state->jerr). */
static gboolean
decode_jpeg (JpegDecode    *state,
             const guint8  *data,
             gsize          length,
             int            max_width,
             int            max_height,
             GCancellable  *cancellable)
{
  j_decompress_ptr cinfo = &state->cinfo;
  static const int denoms[] = { 8, 4, 2 };
  int stored_width, stored_height;
  int oriented_width, oriented_height;
  int fit_width, fit_height;
  int target_width, target_height;
  gboolean cmyk;

  if (setjmp (state->jerr.setjmp_buffer))
    return FALSE;

  jpeg_mem_src (cinfo, data, length);
  jpeg_save_markers (cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header (cinfo, TRUE);
  state->header_read = TRUE;

  if (state->orientation == 0)
    state->orientation = find_exif_orientation (cinfo);

  stored_width = cinfo->image_width;
  stored_height = cinfo->image_height;
  if (stored_width <= 0 || stored_height <= 0)
    ERREXIT (cinfo, JERR_EMPTY_IMAGE);
  /* A hostile header may claim a huge image: libjpeg sizes some of its
   * buffers by the full image whatever the output scale. */
  if ((gint64) stored_width * stored_height > MAX_PIXELS)
    ERREXIT1 (cinfo, JERR_IMAGE_TOO_BIG, 16384);
  cinfo->mem->max_memory_to_use = 512 * 1024 * 1024;

  /* Huffman coding spends at least one bit on every 8×8 block of every
   * component (its DC coefficient): data smaller than that cannot hold
   * the image the header claims, and libjpeg would fill the rest with
   * grey, slowly, at full size.  (Arithmetic coding has no such bound.) */
  if (!cinfo->arith_code)
    {
      guint64 n_blocks = 0;

      for (int i = 0; i < cinfo->num_components; i++)
        n_blocks += (guint64) cinfo->comp_info[i].width_in_blocks *
                    cinfo->comp_info[i].height_in_blocks;
      if (n_blocks / 8 > length)
        {
          state->too_small = TRUE;
          ERREXIT (cinfo, JERR_INPUT_EMPTY);
        }
    }

  if (orientation_swaps_axes (state->orientation))
    {
      oriented_width = stored_height;
      oriented_height = stored_width;
    }
  else
    {
      oriented_width = stored_width;
      oriented_height = stored_height;
    }

  _capa_image_fit_size (oriented_width, oriented_height, max_width, max_height,
                        &fit_width, &fit_height);
  if (orientation_swaps_axes (state->orientation))
    {
      target_width = fit_height;
      target_height = fit_width;
    }
  else
    {
      target_width = fit_width;
      target_height = fit_height;
    }

  cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
  cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;

  /* The smallest DCT scale whose output still covers the target. */
  state->scale_denom = 1;
  for (guint i = 0; i < G_N_ELEMENTS (denoms); i++)
    {
      cinfo->scale_num = 1;
      cinfo->scale_denom = denoms[i];
      jpeg_calc_output_dimensions (cinfo);
      if ((int) cinfo->output_width >= target_width && (int) cinfo->output_height >= target_height)
        {
          state->scale_denom = denoms[i];
          break;
        }
    }
  cinfo->scale_num = 1;
  cinfo->scale_denom = state->scale_denom;

  jpeg_start_decompress (cinfo);

  if ((gint64) cinfo->output_width * cinfo->output_height > MAX_PIXELS)
    ERREXIT (cinfo, JERR_OUT_OF_MEMORY);

  state->pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                  cinfo->output_width, cinfo->output_height);
  if (state->pixbuf == NULL)
    ERREXIT (cinfo, JERR_OUT_OF_MEMORY);

  if (cmyk)
    state->cmyk_row = g_malloc ((gsize) cinfo->output_width * 4);

  {
    guint8 *pixels = gdk_pixbuf_get_pixels (state->pixbuf);
    gsize rowstride = gdk_pixbuf_get_rowstride (state->pixbuf);
    gboolean inverted = cinfo->saw_Adobe_marker;

    while (cinfo->output_scanline < cinfo->output_height)
      {
        guint8 *row = pixels + (gsize) cinfo->output_scanline * rowstride;

        if (cinfo->output_scanline % CANCEL_CHECK_ROWS == 0 &&
            g_cancellable_is_cancelled (cancellable))
          {
            state->cancelled = TRUE;
            jpeg_abort_decompress (cinfo);
            return FALSE;
          }

        if (cmyk)
          {
            JSAMPROW rows[1] = { state->cmyk_row };

            if (jpeg_read_scanlines (cinfo, rows, 1) != 1)
              ERREXIT (cinfo, JERR_INPUT_EMPTY);

            for (guint x = 0; x < cinfo->output_width; x++)
              {
                const guint8 *in = state->cmyk_row + x * 4;

                row[x * 3 + 0] = cmyk_channel (in[0], in[3], inverted);
                row[x * 3 + 1] = cmyk_channel (in[1], in[3], inverted);
                row[x * 3 + 2] = cmyk_channel (in[2], in[3], inverted);
              }
          }
        else
          {
            JSAMPROW rows[4];
            guint n = MIN (G_N_ELEMENTS (rows), cinfo->output_height - cinfo->output_scanline);

            for (guint i = 0; i < n; i++)
              rows[i] = row + i * rowstride;

            if (jpeg_read_scanlines (cinfo, rows, n) == 0)
              ERREXIT (cinfo, JERR_INPUT_EMPTY);
          }
      }
  }

  jpeg_finish_decompress (cinfo);

  return TRUE;
}

static GdkPixbuf *
decode_jpeg_checked (const guint8          *data,
                     gsize                  length,
                     int                    max_width,
                     int                    max_height,
                     CapaImageOrientation   orientation,
                     int                   *scale_denom,
                     gboolean              *incomplete,
                     GCancellable          *cancellable,
                     GError               **error);

GdkPixbuf *
_capa_image_decode_jpeg (const guint8          *data,
                         gsize                  length,
                         int                    max_width,
                         int                    max_height,
                         CapaImageOrientation   orientation,
                         int                   *scale_denom,
                         GCancellable          *cancellable,
                         GError               **error)
{
  return decode_jpeg_checked (data, length, max_width, max_height, orientation, scale_denom,
                              NULL, cancellable, error);
}

/* As _capa_image_decode_jpeg(), and sets @incomplete (nullable) when the
 * data ends before the image does. */
static GdkPixbuf *
decode_jpeg_checked (const guint8          *data,
                     gsize                  length,
                     int                    max_width,
                     int                    max_height,
                     CapaImageOrientation   orientation,
                     int                   *scale_denom,
                     gboolean              *incomplete,
                     GCancellable          *cancellable,
                     GError               **error)
{
  g_autofree JpegDecode *state = g_new0 (JpegDecode, 1);
  g_autoptr(GdkPixbuf) decoded = NULL;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_EMPTY,
                           _("The file is empty"));
      return NULL;
    }

  state->cinfo.err = jpeg_std_error (&state->jerr.pub);
  state->jerr.pub.error_exit = on_jpeg_error_exit;
  state->jerr.pub.emit_message = on_jpeg_emit_message;
  state->jerr.pub.output_message = on_jpeg_output_message;
  state->orientation = orientation;
  jpeg_create_decompress (&state->cinfo);

  ok = decode_jpeg (state, data, length, max_width, max_height, cancellable);

  jpeg_destroy_decompress (&state->cinfo);
  g_clear_pointer (&state->cmyk_row, g_free);
  decoded = g_steal_pointer (&state->pixbuf);

  if (scale_denom)
    *scale_denom = state->scale_denom;

  if (!ok)
    {
      if (state->cancelled)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The operation was cancelled"));
      else if (state->too_small)
        {
          g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                               _("The JPEG image is damaged or cut short: its data is far "
                                 "too small for the size its header gives"));
          /* It may still be being written. */
          if (incomplete)
            *incomplete = TRUE;
        }
      else if (state->jerr.truncated)
        {
          g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                               _("The JPEG image is truncated"));
          /* A whole header, then too little data for the image it
           * announces: the file may still be being written. */
          if (incomplete && state->header_read)
            *incomplete = TRUE;
        }
      else
        g_set_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                     _("The JPEG image is damaged (%s)"), state->jerr.message);
      return NULL;
    }

  return orient_and_fit (decoded, state->orientation, max_width, max_height, error);
}

/* ---- RAW ---- */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (libraw_data_t, libraw_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (libraw_processed_image_t, libraw_dcraw_clear_mem)

static int
on_libraw_progress_cb (void                 *data,
                       enum LibRaw_progress  stage,
                       int                   iteration,
                       int                   expected)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

CapaImageOrientation
_capa_image_orientation_from_libraw_flip (int flip)
{
  switch (flip)
    {
    case 1: return CAPA_IMAGE_ORIENTATION_FLIP_HORIZONTAL;
    case 2: return CAPA_IMAGE_ORIENTATION_FLIP_VERTICAL;
    case 3: return CAPA_IMAGE_ORIENTATION_ROTATE_180;
    case 4: return CAPA_IMAGE_ORIENTATION_TRANSPOSE;
    case 5: return CAPA_IMAGE_ORIENTATION_ROTATE_270;
    case 6: return CAPA_IMAGE_ORIENTATION_ROTATE_90;
    case 7: return CAPA_IMAGE_ORIENTATION_TRANSVERSE;
    default: return CAPA_IMAGE_ORIENTATION_NORMAL;
    }
}

/* libraw reports bad data through this callback, @offset -1 meaning that
 * the file ended before the data its header announces. */
static void
on_libraw_data_error_cb (void       *data,
                         const char *file,
                         const int   offset)
{
  gboolean *ended_early = data;

  if (offset < 0)
    *ended_early = TRUE;
  else
    g_debug ("libraw: corrupt data near offset %d of %s", offset, file);
}

/* A file that ended early or could not be read is damaged as far as the
 * image goes, but maybe only for now (still being written): @incomplete
 * (nullable) tells callers such as the thumbnailer not to record it as
 * undecodable. */
static gboolean
set_libraw_error (int        code,
                  gboolean   ended_early,
                  gboolean  *incomplete,
                  GError   **error)
{
  if (code == LIBRAW_CANCELLED_BY_CALLBACK)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                         _("The operation was cancelled"));
  else if (ended_early || code == LIBRAW_IO_ERROR)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The RAW file could not be read completely: "
                             "it is cut short or still being written"));
      if (incomplete)
        *incomplete = TRUE;
    }
  else if (code == LIBRAW_FILE_UNSUPPORTED)
    g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT,
                         _("The file is not a RAW image Capa can read"));
  else
    g_set_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                 _("The RAW image cannot be decoded (%s)"), libraw_strerror (code));
  return FALSE;
}

/* A copy of an 8-bit RGB image libraw made, as a pixbuf. */
static GdkPixbuf *
pixbuf_from_libraw_bitmap (const libraw_processed_image_t *image)
{
  GdkPixbuf *pixbuf;
  guint8 *pixels;
  gsize rowstride;

  if (image->colors != 3 || image->bits != 8 || image->width == 0 || image->height == 0 ||
      image->data_size < (gsize) image->width * image->height * 3)
    return NULL;

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, image->width, image->height);
  if (pixbuf == NULL)
    return NULL;

  pixels = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (guint y = 0; y < image->height; y++)
    memcpy (pixels + y * rowstride, image->data + (gsize) y * image->width * 3,
            (gsize) image->width * 3);

  return pixbuf;
}

static GdkPixbuf *
load_raw_preview (libraw_data_t         *raw,
                  int                    max_width,
                  int                    max_height,
                  CapaImageOrientation   orientation,
                  int                   *scale_denom,
                  gboolean               any_size,
                  GCancellable          *cancellable,
                  GError               **error)
{
  g_autoptr(libraw_processed_image_t) thumb = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  int raw_width = raw->sizes.width;
  int raw_height = raw->sizes.height;
  int fit_width, fit_height;
  int preview_side;
  int code;

  if (libraw_unpack_thumb (raw) != LIBRAW_SUCCESS)
    return NULL;

  thumb = libraw_dcraw_make_mem_thumb (raw, &code);
  if (thumb == NULL)
    return NULL;

  if (thumb->type == LIBRAW_IMAGE_JPEG)
    {
      pixbuf = _capa_image_decode_jpeg (thumb->data, thumb->data_size, max_width, max_height,
                                        orientation, scale_denom, cancellable, &local_error);
      if (pixbuf == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_debug ("Unusable RAW preview: %s", local_error->message);
          return NULL;
        }
    }
  else
    {
      g_autoptr(GdkPixbuf) bitmap = pixbuf_from_libraw_bitmap (thumb);

      if (bitmap == NULL)
        return NULL;

      pixbuf = orient_and_fit (bitmap, orientation, max_width, max_height, NULL);
      if (pixbuf == NULL)
        return NULL;
    }

  if (any_size)
    return g_steal_pointer (&pixbuf);

  /* Is the preview large enough? */
  if (orientation_swaps_axes (orientation))
    _capa_image_fit_size (MAX (raw_height, 1), MAX (raw_width, 1), max_width, max_height,
                          &fit_width, &fit_height);
  else
    _capa_image_fit_size (MAX (raw_width, 1), MAX (raw_height, 1), max_width, max_height,
                          &fit_width, &fit_height);

  preview_side = MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf));
  if (preview_side < MAX (fit_width, fit_height) - 1 && preview_side < MIN_USABLE_PREVIEW)
    {
      g_debug ("RAW preview of %d×%d is too small for %d×%d",
               gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf),
               fit_width, fit_height);
      return NULL;
    }

  return g_steal_pointer (&pixbuf);
}

static GdkPixbuf *
load_raw (const char    *filename,
          int            max_width,
          int            max_height,
          int           *scale_denom,
          gboolean      *incomplete,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(libraw_data_t) raw = libraw_init (0);
  g_autoptr(libraw_processed_image_t) image = NULL;
  g_autoptr(GdkPixbuf) bitmap = NULL;
  g_autoptr(GError) local_error = NULL;
  CapaImageOrientation orientation;
  gboolean ended_early = FALSE;
  GdkPixbuf *pixbuf;
  int code;

  if (raw == NULL)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_FAILED,
                           _("Cannot start the RAW decoder"));
      return NULL;
    }

  libraw_set_progress_handler (raw, on_libraw_progress_cb, cancellable);
  libraw_set_dataerror_handler (raw, on_libraw_data_error_cb, &ended_early);

  code = libraw_open_file (raw, filename);
  if (code != LIBRAW_SUCCESS)
    {
      set_libraw_error (code, ended_early, incomplete, error);
      return NULL;
    }

  orientation = _capa_image_orientation_from_libraw_flip (raw->sizes.flip);

  pixbuf = load_raw_preview (raw, max_width, max_height, orientation, scale_denom, FALSE,
                             cancellable, &local_error);
  if (pixbuf != NULL && !ended_early)
    return pixbuf;
  if (pixbuf != NULL)
    {
      g_object_unref (pixbuf);
      set_libraw_error (LIBRAW_IO_ERROR, TRUE, incomplete, error);
      return NULL;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* No usable preview: decode the sensor data at half size. libraw
   * applies the orientation itself. */
  if (scale_denom)
    *scale_denom = 0;

  raw->params.half_size = 1;
  raw->params.use_camera_wb = 1;
  raw->params.output_bps = 8;

  if ((code = libraw_unpack (raw)) != LIBRAW_SUCCESS ||
      (code = libraw_dcraw_process (raw)) != LIBRAW_SUCCESS)
    {
      set_libraw_error (code, ended_early, incomplete, error);
      return NULL;
    }

  image = libraw_dcraw_make_mem_image (raw, &code);
  if (image == NULL)
    {
      set_libraw_error (code, ended_early, incomplete, error);
      return NULL;
    }

  /* libraw fills what the file lacks with garbage rather than failing. */
  if (ended_early)
    {
      set_libraw_error (LIBRAW_IO_ERROR, TRUE, incomplete, error);
      return NULL;
    }

  bitmap = pixbuf_from_libraw_bitmap (image);
  if (bitmap == NULL)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The RAW decoder produced an unexpected image"));
      return NULL;
    }

  return orient_and_fit (bitmap, CAPA_IMAGE_ORIENTATION_NORMAL, max_width, max_height, error);
}

GdkPixbuf *
_capa_image_load_raw_preview (const char    *filename,
                              int            max_width,
                              int            max_height,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(libraw_data_t) raw = libraw_init (0);
  g_autoptr(GError) local_error = NULL;
  gboolean ended_early = FALSE;
  GdkPixbuf *pixbuf;
  int code;

  if (raw == NULL)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_FAILED,
                           _("Cannot start the RAW decoder"));
      return NULL;
    }

  libraw_set_progress_handler (raw, on_libraw_progress_cb, cancellable);
  libraw_set_dataerror_handler (raw, on_libraw_data_error_cb, &ended_early);

  code = libraw_open_file (raw, filename);
  if (code != LIBRAW_SUCCESS)
    {
      set_libraw_error (code, ended_early, NULL, error);
      return NULL;
    }

  pixbuf = load_raw_preview (raw, max_width, max_height,
                             _capa_image_orientation_from_libraw_flip (raw->sizes.flip),
                             NULL, TRUE, cancellable, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (pixbuf != NULL && ended_early)
    {
      g_clear_object (&pixbuf);
      set_libraw_error (LIBRAW_IO_ERROR, TRUE, NULL, error);
    }

  return pixbuf;
}

/* Reads the whole file (through @fd, at its start): only when it could
 * not be decoded. */
static gboolean
raw_file_is_cut_short (int           fd,
                       goffset       size,
                       GCancellable *cancellable)
{
  g_autoptr(GBytes) contents = _capa_image_read_fd (fd, size, cancellable, NULL);

  if (contents == NULL)
    return FALSE;

  return _capa_image_tiff_is_cut_short (g_bytes_get_data (contents, NULL),
                                        g_bytes_get_size (contents));
}

/* ---- anything GdkPixbuf reads ---- */

typedef struct
{
  int max_side;
} SizeRequest;

static void
on_loader_size_prepared_cb (GdkPixbufLoader *loader,
                            int              width,
                            int              height,
                            gpointer         user_data)
{
  SizeRequest *request = user_data;
  int fit_width, fit_height;

  if (request->max_side <= 0 || width <= 0 || height <= 0)
    return;

  /* The orientation is only known once loaded: fit a square box that
   * covers either way, and fit exactly afterwards. */
  _capa_image_fit_size (width, height, request->max_side, request->max_side,
                        &fit_width, &fit_height);
  if (fit_width != width || fit_height != height)
    gdk_pixbuf_loader_set_size (loader, fit_width, fit_height);
}

static void
set_pixbuf_error (GError  *pixbuf_error,
                  GError **error)
{
  g_debug ("GdkPixbuf: %s", pixbuf_error->message);

  if (pixbuf_error->domain == GDK_PIXBUF_ERROR &&
      pixbuf_error->code == GDK_PIXBUF_ERROR_UNKNOWN_TYPE)
    g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_UNKNOWN_FORMAT,
                         _("The file is not in an image format Capa can read"));
  else if (pixbuf_error->domain == GDK_PIXBUF_ERROR &&
           pixbuf_error->code == GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY)
    g_set_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_FAILED,
                 _("The image is too large (%s)"), pixbuf_error->message);
  else
    g_set_error (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                 _("The image is damaged (%s)"), pixbuf_error->message);
}

/* The GdkPixbuf loader for common signatures, so that decoding does not
 * depend on the shared MIME database being installed. */
static const char *
loader_type_for_data (const guint8 *data,
                      gsize         length)
{
  if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (length >= 4 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0))
    return "tiff";
  if (length >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";
  if (length >= 2 && memcmp (data, "BM", 2) == 0)
    return "bmp";
  return NULL;
}

static gboolean
png_has_end (const guint8 *data,
             gsize         length)
{
  gsize tail = MIN (length, 256);

  /* "IEND" followed by its 4-byte CRC */
  for (gsize i = length - tail; i + 8 <= length; i++)
    {
      if (memcmp (data + i, "IEND", 4) == 0)
        return TRUE;
    }

  return FALSE;
}

static GdkPixbufLoader *
new_loader (const guint8 *data,
            gsize         length)
{
  const char *type = loader_type_for_data (data, length);

  if (type != NULL)
    {
      GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_type (type, NULL);

      if (loader != NULL)
        return loader;
    }

  return gdk_pixbuf_loader_new ();
}

static GdkPixbuf *
load_with_gdk_pixbuf (const guint8  *data,
                      gsize          length,
                      int            max_width,
                      int            max_height,
                      gboolean      *incomplete,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  SizeRequest request;
  CapaImageOrientation orientation = CAPA_IMAGE_ORIENTATION_NORMAL;
  const char *option;
  GdkPixbuf *pixbuf;
  gsize offset = 0;

  /* GdkPixbuf shows a PNG cut short with its missing rows blank: a PNG
   * must end with its IEND chunk (within a little trailing slack). */
  if (g_strcmp0 (loader_type_for_data (data, length), "png") == 0 &&
      !png_has_end (data, length))
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The PNG image is truncated"));
      /* A whole header (signature and IHDR), then too little: the file
       * may still be being written. */
      if (incomplete && length >= 33 && memcmp (data + 12, "IHDR", 4) == 0)
        *incomplete = TRUE;
      return NULL;
    }

  loader = new_loader (data, length);
  request.max_side = max_width > 0 && max_height > 0 ? MAX (max_width, max_height) : -1;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_loader_size_prepared_cb), &request);

  while (offset < length)
    {
      gsize chunk = MIN (length - offset, 256 * 1024);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gdk_pixbuf_loader_close (loader, NULL);
          return NULL;
        }

      if (!gdk_pixbuf_loader_write (loader, data + offset, chunk, &local_error))
        {
          gdk_pixbuf_loader_close (loader, NULL);
          set_pixbuf_error (local_error, error);
          return NULL;
        }
      offset += chunk;
    }

  if (!gdk_pixbuf_loader_close (loader, &local_error))
    {
      set_pixbuf_error (local_error, error);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_CORRUPT,
                           _("The image is damaged"));
      return NULL;
    }

  option = gdk_pixbuf_get_option (pixbuf, "orientation");
  if (option != NULL)
    {
      guint64 value = 0;

      if (g_ascii_string_to_unsigned (option, 10, 1, 8, &value, NULL))
        orientation = (CapaImageOrientation) value;
    }

  return orient_and_fit (pixbuf, orientation, max_width, max_height, error);
}

GdkPixbuf *
_capa_image_load_file_pixbuf (const char    *filename,
                              int            max_width,
                              int            max_height,
                              int           *scale_denom,
                              gboolean      *incomplete,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(CapaImageFd) fd = -1;
  const guint8 *contents;
  goffset size = 0;
  gsize length = 0;

  g_return_val_if_fail (filename != NULL, NULL);

  if (scale_denom)
    *scale_denom = 0;
  if (incomplete)
    *incomplete = FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (_capa_filename_is_video (filename))
    return _capa_image_make_video_placeholder (max_width, max_height);

  /* Only a regular file, opened without blocking: never a FIFO, a
   * device or a folder. */
  fd = _capa_image_open_regular (filename, &size, error);
  if (fd < 0)
    return NULL;

  if (size == 0)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_EMPTY,
                           _("The file is empty"));
      return NULL;
    }
  if (!_capa_image_check_file_size (size, error))
    return NULL;

  if (_capa_filename_is_raw (filename))
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *fd_path = NULL;
      gboolean cut_short = FALSE;
      GdkPixbuf *pixbuf;

      /* libraw opens the file by name: give it the one opened and checked
       * above, whatever the name points to now. */
      if (g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
        fd_path = g_strdup_printf ("/proc/self/fd/%d", fd);

      pixbuf = load_raw (fd_path != NULL ? fd_path : filename, max_width, max_height,
                         scale_denom, &cut_short, cancellable, &local_error);
      /* libraw calls a RAW whose header points past its end "not a RAW
       * file": tell a file still being written from a damaged one. */
      if (pixbuf == NULL && !cut_short && local_error->domain == CAPA_IMAGE_ERROR)
        cut_short = raw_file_is_cut_short (fd, size, cancellable);
      if (pixbuf == NULL && cut_short && local_error->domain == CAPA_IMAGE_ERROR)
        {
          g_clear_error (&local_error);
          set_libraw_error (LIBRAW_IO_ERROR, TRUE, NULL, &local_error);
        }
      if (incomplete)
        *incomplete = cut_short;
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));

      return pixbuf;
    }

  bytes = _capa_image_read_fd (fd, size, cancellable, error);
  if (bytes == NULL)
    return NULL;
  contents = g_bytes_get_data (bytes, &length);

  if (length == 0)
    {
      g_set_error_literal (error, CAPA_IMAGE_ERROR, CAPA_IMAGE_ERROR_EMPTY,
                           _("The file is empty"));
      return NULL;
    }

  if (length >= 3 && contents[0] == 0xFF && contents[1] == 0xD8 && contents[2] == 0xFF)
    return decode_jpeg_checked (contents, length, max_width, max_height,
                                0, scale_denom, incomplete, cancellable, error);

  return load_with_gdk_pixbuf (contents, length, max_width, max_height,
                               incomplete, cancellable, error);
}
