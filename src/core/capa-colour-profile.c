/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Colour"

#include "config.h"

#include <string.h>
#include <wchar.h>

#include <glib/gi18n-lib.h>
#include <lcms2.h>

#include "capa-colour-private.h"
#include "capa-image-private.h"
#include "capa-colour-profile.h"
#include "capa-enum-types.h"

/* The fixed part of every ICC profile: a 128-byte header and a tag count. */
#define ICC_HEADER_SIZE     128
#define ICC_MIN_SIZE        (ICC_HEADER_SIZE + 4)
#define ICC_MAGIC_OFFSET    36
#define ICC_DATE_OFFSET     24
#define ICC_DATE_SIZE       12

G_STATIC_ASSERT (sizeof (wchar_t) == sizeof (gunichar));

struct _CapaColourProfile
{
  GObject          parent_instance;

  /* set once at construction, immutable afterwards */
  GBytes          *data;
  char            *checksum;
  char            *description;
  CapaColourSpace  colour_space;
  cmsUInt32Number  device_class;

  /* owned lcms2 state: the profile was opened in its own context */
  cmsContext       context;
  cmsHPROFILE      handle;
};

G_DEFINE_FINAL_TYPE (CapaColourProfile, capa_colour_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (capa-colour-error-quark, capa_colour_error)

enum {
  PROP_0,
  PROP_DESCRIPTION,
  PROP_COLOUR_SPACE,
  PROP_CHECKSUM,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* lcms2 reports errors through a callback.  Each thread keeps the last
 * message it received, so errors of concurrent calls never mix. */
static GPrivate lcms_error_message = G_PRIVATE_INIT (g_free);

static void
on_lcms_error_cb (cmsContext       context,
                  cmsUInt32Number  code,
                  const char      *text)
{
  g_debug ("lcms2 error %u: %s", code, text);
  g_private_replace (&lcms_error_message, g_strdup (text));
}

cmsContext
_capa_colour_context_new (void)
{
  cmsContext context = cmsCreateContext (NULL, NULL);

  g_assert (context != NULL);
  cmsSetLogErrorHandlerTHR (context, on_lcms_error_cb);

  return context;
}

void
_capa_colour_clear_lcms_error (void)
{
  g_private_replace (&lcms_error_message, NULL);
}

void
_capa_colour_set_error_from_lcms (GError          **error,
                                  CapaColourError   code,
                                  const char       *message)
{
  g_autofree char *detail = g_private_get (&lcms_error_message);

  g_private_set (&lcms_error_message, NULL);

  if (detail != NULL)
    g_set_error (error, CAPA_COLOUR_ERROR, code, "%s (%s)", message, detail);
  else
    g_set_error_literal (error, CAPA_COLOUR_ERROR, code, message);
}

static CapaColourSpace
colour_space_from_signature (cmsColorSpaceSignature signature)
{
  switch ((guint) signature)
    {
    case cmsSigRgbData:
      return CAPA_COLOUR_SPACE_RGB;
    case cmsSigGrayData:
      return CAPA_COLOUR_SPACE_GRAY;
    case cmsSigCmykData:
      return CAPA_COLOUR_SPACE_CMYK;
    case cmsSigLabData:
      return CAPA_COLOUR_SPACE_LAB;
    default:
      return CAPA_COLOUR_SPACE_OTHER;
    }
}

static const char *
colour_space_to_string (CapaColourSpace space)
{
  switch (space)
    {
    case CAPA_COLOUR_SPACE_RGB:
      return "RGB";
    case CAPA_COLOUR_SPACE_GRAY:
      return _("grey");
    case CAPA_COLOUR_SPACE_CMYK:
      return "CMYK";
    case CAPA_COLOUR_SPACE_LAB:
      return "L*a*b*";
    case CAPA_COLOUR_SPACE_OTHER:
    default:
      return _("non-RGB");
    }
}

static char *
read_description (cmsHPROFILE handle)
{
  cmsUInt32Number size;
  g_autofree wchar_t *text = NULL;
  g_autofree char *utf8 = NULL;

  size = cmsGetProfileInfo (handle, cmsInfoDescription, "en", "US", NULL, 0);
  if (size >= sizeof (wchar_t))
    {
      text = g_malloc0 (size + sizeof (wchar_t));
      cmsGetProfileInfo (handle, cmsInfoDescription, "en", "US", text, size);
      utf8 = g_ucs4_to_utf8 ((const gunichar *) text, -1, NULL, NULL, NULL);
    }

  if (utf8 != NULL)
    g_strstrip (utf8);

  if (utf8 == NULL || utf8[0] == '\0')
    return g_strdup (_("Unnamed colour profile"));

  return g_steal_pointer (&utf8);
}

static void
capa_colour_profile_finalize (GObject *object)
{
  CapaColourProfile *self = CAPA_COLOUR_PROFILE (object);

  g_clear_pointer (&self->handle, cmsCloseProfile);
  g_clear_pointer (&self->context, cmsDeleteContext);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->checksum, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (capa_colour_profile_parent_class)->finalize (object);
}

static void
capa_colour_profile_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CapaColourProfile *self = CAPA_COLOUR_PROFILE (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_COLOUR_SPACE:
      g_value_set_enum (value, self->colour_space);
      break;

    case PROP_CHECKSUM:
      g_value_set_string (value, self->checksum);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capa_colour_profile_class_init (CapaColourProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capa_colour_profile_finalize;
  object_class->get_property = capa_colour_profile_get_property;

  /**
   * CapaColourProfile:description:
   *
   * The profile's own description (its `desc` tag), such as
   * "sRGB built-in"; a generic text when the profile has none.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaColourProfile:colour-space:
   *
   * The colour space of the profile's device side.
   */
  properties[PROP_COLOUR_SPACE] =
    g_param_spec_enum ("colour-space", NULL, NULL,
                       CAPA_TYPE_COLOUR_SPACE,
                       CAPA_COLOUR_SPACE_OTHER,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * CapaColourProfile:checksum:
   *
   * The MD5 checksum of the profile's bytes, as 32 lower-case hexadecimal
   * digits. Profiles with equal bytes have equal checksums.
   */
  properties[PROP_CHECKSUM] =
    g_param_spec_string ("checksum", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capa_colour_profile_init (CapaColourProfile *self)
{
  self->colour_space = CAPA_COLOUR_SPACE_OTHER;
}

/**
 * capa_colour_profile_new_from_data:
 * @data: the bytes of an ICC profile
 *
 * Parses an ICC profile of any kind (RGB, grey, CMYK, L\*a\*b\*...).
 *
 * Empty, truncated and corrupt data is refused with
 * %CAPA_COLOUR_ERROR_INVALID.
 *
 * Returns: (transfer full): a new #CapaColourProfile, or %NULL with
 *   @error set
 */
CapaColourProfile *
capa_colour_profile_new_from_data (GBytes  *data,
                                   GError **error)
{
  g_autoptr(CapaColourProfile) self = NULL;
  g_auto(cmsContext) context = NULL;
  const guint8 *bytes;
  gsize size;
  guint32 declared_size;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &size);

  if (size == 0)
    {
      g_set_error_literal (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID,
                           _("The colour profile is empty"));
      return NULL;
    }

  if (size < ICC_MIN_SIZE)
    {
      g_set_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID,
                   _("The colour profile is too short (%" G_GSIZE_FORMAT " bytes) "
                     "to be an ICC profile"),
                   size);
      return NULL;
    }

  if (memcmp (bytes + ICC_MAGIC_OFFSET, "acsp", 4) != 0)
    {
      g_set_error_literal (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID,
                           _("The data is not an ICC colour profile"));
      return NULL;
    }

  declared_size = ((guint32) bytes[0] << 24) | ((guint32) bytes[1] << 16) |
                  ((guint32) bytes[2] << 8) | (guint32) bytes[3];
  if (declared_size > size)
    {
      g_set_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_INVALID,
                   _("The colour profile is truncated: it has %" G_GSIZE_FORMAT " of its %u bytes"),
                   size, declared_size);
      return NULL;
    }

  self = g_object_new (CAPA_TYPE_COLOUR_PROFILE, NULL);

  _capa_colour_clear_lcms_error ();
  context = _capa_colour_context_new ();
  self->handle = cmsOpenProfileFromMemTHR (context, bytes, size);
  if (self->handle == NULL)
    {
      _capa_colour_set_error_from_lcms (error, CAPA_COLOUR_ERROR_INVALID,
                                        _("The colour profile is corrupt"));
      return NULL;
    }
  self->context = g_steal_pointer (&context);

  self->data = g_bytes_ref (data);
  self->checksum = g_compute_checksum_for_data (G_CHECKSUM_MD5, bytes, size);
  self->description = read_description (self->handle);
  self->colour_space = colour_space_from_signature (cmsGetColorSpace (self->handle));
  self->device_class = cmsGetDeviceClass (self->handle);

  return g_steal_pointer (&self);
}

/**
 * capa_colour_profile_new_from_file:
 * @filename: (type filename): the path of an ICC profile file
 *
 * Reads and parses an ICC profile file, as
 * [ctor@Capa.ColourProfile.new_from_data] does.  Only a regular file is
 * read: a folder, a device or a pipe gives an error in the `G_FILE_ERROR`
 * domain at once, as a missing file does.
 *
 * Returns: (transfer full): a new #CapaColourProfile, or %NULL with
 *   @error set
 */
CapaColourProfile *
capa_colour_profile_new_from_file (const char  *filename,
                                   GError     **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) local_error = NULL;
  CapaColourProfile *self;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Never a FIFO or a device (reading one would block or never end);
   * file-system errors keep the G_FILE_ERROR domain. */
  data = _capa_image_read_file (filename, NULL, &local_error);
  if (data == NULL)
    {
      g_autofree char *display_name = g_filename_display_name (filename);
      GFileError code = G_FILE_ERROR_FAILED;

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        code = G_FILE_ERROR_NOENT;
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        code = G_FILE_ERROR_ACCES;
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        code = G_FILE_ERROR_ISDIR;

      g_set_error (error, G_FILE_ERROR, code, _("Cannot use “%s”: %s"),
                   display_name, local_error->message);
      return NULL;
    }
  self = capa_colour_profile_new_from_data (data, &local_error);
  if (self == NULL)
    {
      g_autofree char *display_name = g_filename_display_name (filename);

      g_prefix_error (&local_error, _("Cannot use “%s”: "), display_name);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return self;
}

/**
 * capa_colour_profile_validate_for_display:
 * @self: a #CapaColourProfile
 *
 * Checks that @self can be used as the profile of a monitor: its colour
 * space must be RGB, it must be a display-class profile or have an RGB to
 * XYZ matrix and tone curves, and lcms2 must be able to build a transform
 * to it.
 *
 * Returns: %TRUE when @self is a usable display profile, %FALSE with
 *   @error set otherwise
 */
gboolean
capa_colour_profile_validate_for_display (CapaColourProfile  *self,
                                          GError            **error)
{
  g_autoptr(CapaColourProfile) srgb = NULL;
  g_auto(cmsContext) context = NULL;
  g_auto(cmsHTRANSFORM) transform = NULL;

  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->colour_space != CAPA_COLOUR_SPACE_RGB)
    {
      g_set_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_UNSUPPORTED,
                   _("The colour profile “%s” describes %s colours; "
                     "a display needs an RGB profile"),
                   self->description, colour_space_to_string (self->colour_space));
      return FALSE;
    }

  if (self->device_class != cmsSigDisplayClass && !cmsIsMatrixShaper (self->handle))
    {
      g_set_error (error, CAPA_COLOUR_ERROR, CAPA_COLOUR_ERROR_UNSUPPORTED,
                   _("The colour profile “%s” is not a display profile"),
                   self->description);
      return FALSE;
    }

  /* The tags may still be missing or broken: build a real transform. */
  srgb = capa_colour_profile_new_srgb ();
  _capa_colour_clear_lcms_error ();
  context = _capa_colour_context_new ();
  transform = cmsCreateTransformTHR (context,
                                     srgb->handle, TYPE_RGB_8,
                                     self->handle, TYPE_RGB_8,
                                     INTENT_RELATIVE_COLORIMETRIC, 0);
  if (transform == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The display profile “%s” is unusable"), self->description);

      _capa_colour_set_error_from_lcms (error, CAPA_COLOUR_ERROR_INVALID, message);
      return FALSE;
    }

  return TRUE;
}

/**
 * capa_colour_profile_new_display_from_data:
 * @data: the bytes of an ICC profile
 *
 * Parses the ICC profile of a monitor: like
 * [ctor@Capa.ColourProfile.new_from_data], then checked with
 * [method@Capa.ColourProfile.validate_for_display]. A CMYK, grey or
 * L\*a\*b\* profile is refused with %CAPA_COLOUR_ERROR_UNSUPPORTED.
 *
 * Returns: (transfer full): a new #CapaColourProfile, or %NULL with
 *   @error set
 */
CapaColourProfile *
capa_colour_profile_new_display_from_data (GBytes  *data,
                                           GError **error)
{
  g_autoptr(CapaColourProfile) self = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = capa_colour_profile_new_from_data (data, error);
  if (self == NULL || !capa_colour_profile_validate_for_display (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * capa_colour_profile_new_display_from_file:
 * @filename: (type filename): the path of an ICC profile file
 *
 * Reads the ICC profile of a monitor from a file, as
 * [ctor@Capa.ColourProfile.new_display_from_data] does.
 *
 * Returns: (transfer full): a new #CapaColourProfile, or %NULL with
 *   @error set
 */
CapaColourProfile *
capa_colour_profile_new_display_from_file (const char  *filename,
                                           GError     **error)
{
  g_autoptr(CapaColourProfile) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = capa_colour_profile_new_from_file (filename, error);
  if (self == NULL)
    return NULL;

  if (!capa_colour_profile_validate_for_display (self, &local_error))
    {
      g_autofree char *display_name = g_filename_display_name (filename);

      g_prefix_error (&local_error, _("Cannot use “%s”: "), display_name);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Serialises a profile built by lcms2, with its creation date cleared so
 * the same profile always has the same bytes (and checksum). */
static GBytes *
save_built_profile (cmsHPROFILE handle)
{
  cmsUInt32Number size = 0;
  guint8 *buffer;

  if (!cmsSaveProfileToMem (handle, NULL, &size) || size < ICC_MIN_SIZE)
    g_error ("lcms2 could not serialise a built-in profile");

  buffer = g_malloc (size);
  if (!cmsSaveProfileToMem (handle, buffer, &size))
    g_error ("lcms2 could not serialise a built-in profile");

  memset (buffer + ICC_DATE_OFFSET, 0, ICC_DATE_SIZE);

  return g_bytes_new_take (buffer, size);
}

static gpointer
build_srgb_data (gpointer user_data)
{
  g_auto(cmsContext) context = _capa_colour_context_new ();
  g_auto(cmsHPROFILE) handle = cmsCreate_sRGBProfileTHR (context);

  g_assert (handle != NULL);

  return save_built_profile (handle);
}

static gpointer
build_adobe_rgb_data (gpointer user_data)
{
  /* Adobe RGB (1998): its primaries, a D65 white point and a pure power
   * law of 563/256 (≈ 2.2). */
  static const cmsCIExyY d65 = { 0.3127, 0.3290, 1.0 };
  static const cmsCIExyYTRIPLE primaries = {
    { 0.6400, 0.3300, 1.0 },
    { 0.2100, 0.7100, 1.0 },
    { 0.1500, 0.0600, 1.0 },
  };
  g_auto(cmsContext) context = _capa_colour_context_new ();
  g_auto(cmsHPROFILE) handle = NULL;
  cmsToneCurve *curve;
  cmsToneCurve *curves[3];
  cmsMLU *description;
  cmsMLU *copyright;

  curve = cmsBuildGamma (context, 563.0 / 256.0);
  curves[0] = curves[1] = curves[2] = curve;
  handle = cmsCreateRGBProfileTHR (context, &d65, &primaries, curves);
  cmsFreeToneCurve (curve);
  g_assert (handle != NULL);

  description = cmsMLUalloc (context, 1);
  cmsMLUsetASCII (description, "en", "US", "Adobe RGB (1998) compatible");
  cmsWriteTag (handle, cmsSigProfileDescriptionTag, description);
  cmsMLUfree (description);

  copyright = cmsMLUalloc (context, 1);
  cmsMLUsetASCII (copyright, "en", "US", "No copyright, use freely");
  cmsWriteTag (handle, cmsSigCopyrightTag, copyright);
  cmsMLUfree (copyright);

  return save_built_profile (handle);
}

static CapaColourProfile *
new_built_in (GOnce    *once,
              GThreadFunc build)
{
  GBytes *data = g_once (once, build, NULL);
  g_autoptr(GError) error = NULL;
  CapaColourProfile *self;

  self = capa_colour_profile_new_from_data (data, &error);
  g_assert_no_error (error);

  return self;
}

/**
 * capa_colour_profile_new_srgb:
 *
 * Creates the standard sRGB profile, built by lcms2 (no file is read).
 * Every sRGB profile made this way has the same bytes, so they are equal
 * by [method@Capa.ColourProfile.equal].
 *
 * Returns: (transfer full): a new sRGB #CapaColourProfile
 */
CapaColourProfile *
capa_colour_profile_new_srgb (void)
{
  static GOnce once = G_ONCE_INIT;

  return new_built_in (&once, build_srgb_data);
}

/**
 * capa_colour_profile_new_adobe_rgb:
 *
 * Creates a profile compatible with Adobe RGB (1998), built by lcms2 from
 * its primaries, the D65 white point and a gamma of 563/256.
 *
 * Returns: (transfer full): a new #CapaColourProfile
 */
CapaColourProfile *
capa_colour_profile_new_adobe_rgb (void)
{
  static GOnce once = G_ONCE_INIT;

  return new_built_in (&once, build_adobe_rgb_data);
}

/**
 * capa_colour_profile_get_description:
 * @self: a #CapaColourProfile
 *
 * Returns: (transfer none): the profile's description
 */
const char *
capa_colour_profile_get_description (CapaColourProfile *self)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (self), NULL);

  return self->description;
}

/**
 * capa_colour_profile_get_colour_space:
 * @self: a #CapaColourProfile
 *
 * Returns: the colour space of the profile's device side
 */
CapaColourSpace
capa_colour_profile_get_colour_space (CapaColourProfile *self)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (self), CAPA_COLOUR_SPACE_OTHER);

  return self->colour_space;
}

/**
 * capa_colour_profile_get_data:
 * @self: a #CapaColourProfile
 *
 * Returns: (transfer none): the bytes of the ICC profile
 */
GBytes *
capa_colour_profile_get_data (CapaColourProfile *self)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (self), NULL);

  return self->data;
}

/**
 * capa_colour_profile_get_checksum:
 * @self: a #CapaColourProfile
 *
 * Returns: (transfer none): the MD5 checksum of the profile's bytes, in
 *   lower-case hexadecimal
 */
const char *
capa_colour_profile_get_checksum (CapaColourProfile *self)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (self), NULL);

  return self->checksum;
}

/**
 * capa_colour_profile_equal:
 * @self: a #CapaColourProfile
 * @other: another #CapaColourProfile
 *
 * Compares two profiles by their bytes.
 *
 * Returns: %TRUE when @self and @other have the same bytes
 */
gboolean
capa_colour_profile_equal (CapaColourProfile *self,
                           CapaColourProfile *other)
{
  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (self), FALSE);
  g_return_val_if_fail (CAPA_IS_COLOUR_PROFILE (other), FALSE);

  if (self == other)
    return TRUE;

  return g_str_equal (self->checksum, other->checksum) &&
         g_bytes_equal (self->data, other->data);
}
