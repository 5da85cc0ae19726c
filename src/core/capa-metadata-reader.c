/* SPDX-License-Identifier: GPL-3.0-or-later */

/* capa-metadata-reader: reads the EXIF and XMP metadata of one image file
 * with gexiv2 (exiv2), in a process of its own.
 *
 * exiv2 is not safe on hostile files: some throw C++ exceptions gexiv2
 * does not catch (std::terminate ends the process), and gexiv2 0.14
 * double-frees a GExiv2Metadata whose opening failed.  Capa runs this
 * helper for each image whose metadata it reads (CapaImage), so that no
 * file, however made, takes the application down: a crash here is only a
 * failed read there.  See docs/architecture.md, "Untrusted files".
 *
 * Usage: capa-metadata-reader FD
 *   FD is an open descriptor of the (regular) file, checked by the caller.
 * Exit status 0: the metadata on standard output, a serialised GVariant of
 * type a{sv} (the keys are those written below); 2: exiv2 cannot read the
 * file (its message on standard error); anything else, or a signal: it
 * crashed. */

#define G_LOG_DOMAIN "Capa-MetadataReader"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include <gexiv2/gexiv2.h>
#include <glib.h>

#define EXIT_UNREADABLE 2

static void
on_exiv2_log_cb (GExiv2LogLevel  level,
                 const char     *message)
{
  g_debug ("exiv2: %s", message);
}

static char *
dup_tag_string (GExiv2Metadata *exif,
                const char     *tag)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (!gexiv2_metadata_try_has_tag (exif, tag, NULL))
    return NULL;

  value = gexiv2_metadata_try_get_tag_string (exif, tag, &error);
  if (value == NULL)
    return NULL;

  g_strstrip (value);
  if (value[0] == '\0' || !g_utf8_validate (value, -1, NULL))
    return NULL;

  return g_steal_pointer (&value);
}

static void
add_string (GVariantDict   *dict,
            const char     *key,
            GExiv2Metadata *exif,
            const char     *tag)
{
  g_autofree char *value = dup_tag_string (exif, tag);

  if (value != NULL)
    g_variant_dict_insert (dict, key, "s", value);
}

/* The same tags as _capa_image_parse_capture_time(), which lists sessions
 * without exiv2; CapaImage makes the time of them. */
static void
add_capture_time (GVariantDict   *dict,
                  GExiv2Metadata *exif)
{
  if (gexiv2_metadata_try_has_tag (exif, "Exif.Photo.DateTimeOriginal", NULL))
    {
      add_string (dict, "date", exif, "Exif.Photo.DateTimeOriginal");
      add_string (dict, "subsec", exif, "Exif.Photo.SubSecTimeOriginal");
      add_string (dict, "offset", exif, "Exif.Photo.OffsetTimeOriginal");
    }
  else if (gexiv2_metadata_try_has_tag (exif, "Exif.Image.DateTime", NULL))
    {
      add_string (dict, "date", exif, "Exif.Image.DateTime");
      add_string (dict, "subsec", exif, "Exif.Photo.SubSecTime");
      add_string (dict, "offset", exif, "Exif.Photo.OffsetTime");
    }
}

static GVariant *
read_exif (GExiv2Metadata *exif)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  const char *mime_type;
  int num = 0, den = 0;
  double value;

  g_variant_dict_insert (&dict, "orientation", "i",
                         (int) gexiv2_metadata_try_get_orientation (exif, NULL));
  add_capture_time (&dict, exif);
  add_string (&dict, "model", exif, "Exif.Image.Model");
  if (gexiv2_metadata_try_has_tag (exif, "Exif.Photo.LensModel", NULL))
    add_string (&dict, "lens", exif, "Exif.Photo.LensModel");
  else
    add_string (&dict, "lens", exif, "Xmp.aux.Lens");

  if (gexiv2_metadata_try_get_exposure_time (exif, &num, &den, NULL) && num > 0 && den > 0)
    g_variant_dict_insert (&dict, "exposure", "(ii)", num, den);

  value = gexiv2_metadata_try_get_fnumber (exif, NULL);
  if (value > 0 && isfinite (value))
    g_variant_dict_insert (&dict, "f-number", "d", value);

  g_variant_dict_insert (&dict, "iso", "i", gexiv2_metadata_try_get_iso_speed (exif, NULL));

  value = gexiv2_metadata_try_get_focal_length (exif, NULL);
  if (value > 0 && isfinite (value))
    g_variant_dict_insert (&dict, "focal-length", "d", value);

  if (gexiv2_metadata_try_has_tag (exif, "Exif.Image.InterColorProfile", NULL))
    {
      g_autoptr(GBytes) icc = gexiv2_metadata_try_get_tag_raw (exif,
                                                               "Exif.Image.InterColorProfile",
                                                               NULL);

      if (icc != NULL)
        g_variant_dict_insert_value (&dict, "icc",
                                     g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING,
                                                               icc, TRUE));
    }

  mime_type = gexiv2_metadata_get_mime_type (exif);
  if (mime_type != NULL && mime_type[0] != '\0' && g_utf8_validate (mime_type, -1, NULL))
    g_variant_dict_insert (&dict, "mime-type", "s", mime_type);

  g_variant_dict_insert (&dict, "width", "i", gexiv2_metadata_get_pixel_width (exif));
  g_variant_dict_insert (&dict, "height", "i", gexiv2_metadata_get_pixel_height (exif));

  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0)
        return FALSE;
      data += n;
      length -= (gsize) n;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GExiv2Metadata *exif;
  guint64 fd = 0;

  if (argc != 2 || !g_ascii_string_to_unsigned (argv[1], 10, 0, G_MAXINT, &fd, NULL))
    {
      fprintf (stderr, "Usage: %s FD\n", argv[0]);
      return 1;
    }

  gexiv2_log_set_handler (on_exiv2_log_cb);
  if (!gexiv2_initialize ())
    {
      fprintf (stderr, "exiv2 cannot be initialised\n");
      return 1;
    }

  /* The descriptor the caller opened and checked, whatever the file's
   * name points to now. */
  path = g_strdup_printf ("/proc/self/fd/%d", (int) fd);

  exif = gexiv2_metadata_new ();
  if (!gexiv2_metadata_open_path (exif, path, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      /* Never unref a GExiv2Metadata whose opening failed: gexiv2 0.14
       * frees its exiv2 image twice then.  Leave at once instead. */
      fflush (stderr);
      _exit (EXIT_UNREADABLE);
    }

  result = read_exif (exif);
  g_object_unref (exif);

  if (!write_all (STDOUT_FILENO, g_variant_get_data (result), g_variant_get_size (result)))
    return 1;

  return 0;
}
