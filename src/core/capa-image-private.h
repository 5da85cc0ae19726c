/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib/gstdio.h>

#include "capa-image.h"

G_BEGIN_DECLS

/* capa-image-io.c: opening and reading files Capa did not write (any
 * reader of a file in a session folder, in any class, goes through these).
 * Blocking calls for worker threads; none of them waits on a FIFO or a
 * device. */

/* Opens @filename for reading without blocking (O_NONBLOCK, cleared
 * once it is known to be a regular file), and refuses anything but a
 * regular file: G_IO_ERROR_IS_DIRECTORY for a folder,
 * G_IO_ERROR_NOT_REGULAR_FILE for a device, FIFO or socket.  Returns the
 * descriptor (O_CLOEXEC) and its size at that moment, or -1. */
/* A descriptor closed at the end of its scope: g_auto(CapaImageFd) fd = -1; */
typedef int CapaImageFd;
static inline void
_capa_image_fd_close (CapaImageFd fd)
{
  g_close (fd, NULL);
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (CapaImageFd, _capa_image_fd_close, -1)

int                   _capa_image_open_regular           (const char           *filename,
                                                          goffset              *size,
                                                          GError              **error);
/* CAPA_IMAGE_ERROR_TOO_LARGE past CAPA_IMAGE_MAX_FILE_SIZE. */
gboolean              _capa_image_check_file_size        (goffset               size,
                                                          GError              **error);
/* A buffered stream on _capa_image_open_regular()'s descriptor. */
GInputStream         *_capa_image_open_stream            (const char           *filename,
                                                          goffset              *size,
                                                          GError              **error);
/* Reads @fd from its position up to @size bytes (what fstat() gave when
 * it was opened; at most CAPA_IMAGE_MAX_FILE_SIZE), in chunks, checking
 * @cancellable between them.  The bytes are followed by a NUL not
 * counted in their size. */
GBytes               *_capa_image_read_fd                (int                   fd,
                                                          goffset               size,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
/* _capa_image_open_regular() then _capa_image_read_fd(). */
GBytes               *_capa_image_read_file              (const char           *filename,
                                                          GCancellable         *cancellable,
                                                          GError              **error);

/* capa-image-metadata.c: what CapaImage:metadata-loaded covers. */
typedef struct
{
  char                 *mime_type;
  int                   width;
  int                   height;
  CapaImageOrientation  orientation;
  GDateTime            *capture_time;
  char                 *camera_model;
  char                 *lens;
  int                   exposure_num;
  int                   exposure_den;
  double                f_number;
  int                   iso;
  double                focal_length;
  GBytes               *icc_profile;
  /* made from icc_profile by the thread that read it: one of the two */
  CapaColourProfile    *colour_profile;
  GError               *colour_error;
} CapaImageMetadata;

void                  _capa_image_metadata_free          (CapaImageMetadata    *metadata);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapaImageMetadata, _capa_image_metadata_free)

/* Reads the metadata of @filename (blocking: on a worker thread), the
 * EXIF through the capa-metadata-reader helper process. */
CapaImageMetadata    *_capa_image_metadata_read          (const char           *filename,
                                                          GCancellable         *cancellable,
                                                          GError              **error);

/* capa-image-header.c: small, bounds-checked readers of file headers.
 * Both stop before the compressed image data.  They read @stream through
 * a buffer (wrapping it in one unless it is a GBufferedInputStream), so
 * it is left past the header, at a position they do not tell. */
gboolean              _capa_image_read_jpeg_header       (GInputStream         *stream,
                                                          int                  *width,
                                                          int                  *height,
                                                          GBytes              **icc,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
gboolean              _capa_image_read_png_header        (GInputStream         *stream,
                                                          int                  *width,
                                                          int                  *height,
                                                          GBytes              **icc,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
/* Reassembles the ICC profile from the payloads of APP2 "ICC_PROFILE"
 * segments (each starting after the 14-byte signature: sequence number,
 * count, data), in any order. NULL when they do not form one profile. */
GBytes               *_capa_image_assemble_icc_chunks    (GPtrArray            *chunks);
/* Whether the IFDs, strips, tiles or previews of a TIFF-based file (the
 * whole of it in @data) reach past its end: it is cut short. */
gboolean              _capa_image_tiff_is_cut_short      (const guint8         *data,
                                                          gsize                 length);
/* The EXIF orientation in an APP1 payload ("Exif\0\0" + TIFF), or 0. */
CapaImageOrientation  _capa_image_parse_exif_orientation (const guint8         *data,
                                                          gsize                 length);

/* Where an embedded JPEG preview lies in its file. */
typedef struct
{
  guint64 offset;
  guint64 length;
} CapaImagePreviewRange;

/* Walks the header of a JPEG file (its first @length bytes, up to the
 * first SOS) and appends to @ranges (of CapaImagePreviewRange) the EXIF
 * thumbnail of IFD1 and the MPF images other than the primary one, as
 * ranges of the file, unchecked against its size.  Sets @orientation to
 * the EXIF orientation, or 0 when there is none, and @icc (nullable) to
 * the ICC profile of its APP2 segments, or NULL. */
void                  _capa_image_find_jpeg_previews     (const guint8         *data,
                                                          gsize                 length,
                                                          CapaImageOrientation *orientation,
                                                          GArray               *ranges,
                                                          GBytes              **icc);

/* The capture time, read without exiv2 for listing many files fast.  It
 * agrees with CapaImage:capture-time, which reads the same tags through
 * gexiv2: EXIF DateTimeOriginal with SubSecTimeOriginal and
 * OffsetTimeOriginal (else IFD0 DateTime with SubSecTime and OffsetTime),
 * in the local time zone when no offset is given. */

/* At most this much of a file is read for its capture time. */
#define MAX_CAPTURE_TIME_READ (64 * 1024)

/* From "YYYY:MM:DD HH:MM:SS", its sub-second digits and "+HH:MM" or "Z"
 * offset (both nullable); NULL when @date does not parse. */
GDateTime            *_capa_image_make_capture_time      (const char           *date,
                                                          const char           *subsec,
                                                          const char           *offset);
/* From the first @length bytes of a JPEG file (its APP1 EXIF segment) or
 * of a TIFF-based file (TIFF, DNG, NEF, CR2, ARW, PEF, ORF, RW2...);
 * NULL for anything else.  Every offset is checked against @length; when
 * one points past it, @need_more (nullable) says that more of the file
 * might give the answer. */
GDateTime            *_capa_image_parse_capture_time     (const guint8         *data,
                                                          gsize                 length,
                                                          gboolean             *need_more);
/* Reads at most MAX_CAPTURE_TIME_READ bytes of @filename (blocking: call
 * it on a worker thread); NULL when the file has no capture time Capa can
 * read that way, or cannot be read. */
GDateTime            *_capa_image_read_capture_time      (const char           *filename);

/* capa-image-loader.c: pixel loading, run on a worker thread. */
void                  _capa_image_fit_size               (int                   width,
                                                          int                   height,
                                                          int                   max_width,
                                                          int                   max_height,
                                                          int                  *fit_width,
                                                          int                  *fit_height);
GdkPixbuf            *_capa_image_apply_orientation      (GdkPixbuf            *pixbuf,
                                                          CapaImageOrientation  orientation);
GdkPixbuf            *_capa_image_make_video_placeholder (int                   max_width,
                                                          int                   max_height);
GdkPixbuf            *_capa_image_decode_jpeg            (const guint8         *data,
                                                          gsize                 length,
                                                          int                   max_width,
                                                          int                   max_height,
                                                          CapaImageOrientation  orientation,
                                                          int                  *scale_denom,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
/* @incomplete (nullable) is set when the file ends before its image
 * data does, or could not be read through (an error in the
 * CAPA_IMAGE_ERROR domain all the same): it may still be being written. */
GdkPixbuf            *_capa_image_load_file_pixbuf       (const char           *filename,
                                                          int                   max_width,
                                                          int                   max_height,
                                                          int                  *scale_denom,
                                                          gboolean             *incomplete,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
/* capa_image_load_pixbuf(), and @incomplete as above. */
GdkPixbuf            *_capa_image_load_pixbuf_checked    (CapaImage            *self,
                                                          int                   max_width,
                                                          int                   max_height,
                                                          gboolean             *incomplete,
                                                          GCancellable         *cancellable,
                                                          GError              **error);

/* The largest embedded preview of the RAW file @filename (a checked
 * /proc/self/fd path), upright and fitted to the box whatever its size;
 * NULL without an error when it has none Capa can decode. */
GdkPixbuf            *_capa_image_load_raw_preview       (const char           *filename,
                                                          int                   max_width,
                                                          int                   max_height,
                                                          GCancellable         *cancellable,
                                                          GError              **error);

/* The EXIF orientation of libraw's "flip" value, as the pixels are loaded. */
CapaImageOrientation _capa_image_orientation_from_libraw_flip (int flip);

G_END_DECLS
