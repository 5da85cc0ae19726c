/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Pure file-naming logic of a session: expanding the file-name pattern,
 * making untrusted names from the camera safe, recognising image files and
 * finding the sequence number in existing names.  Nothing here touches the
 * disk, so all of it is tested without one.
 *
 * The pattern language has one tokenizer, next_token(), and every reader
 * of a pattern (validation, expansion, the sequence regex, the %n test)
 * walks its tokens, so they cannot disagree on what a pattern means. */

#define G_LOG_DOMAIN "Capa-Session"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "capa-filename-private.h"
#include "capa-session.h"

#define MAX_EXTENSION_BYTES 8
#define FALLBACK_STEM "image"

static const char * const image_extensions[] = {
  /* JPEG, PNG, TIFF; camera RAW formats are in raw_formats[] */
  "jpg", "jpeg", "jpe", "png", "tif", "tiff",
};

typedef struct
{
  const char *extension;      /* lower case, without the dot */
  const char *mime_type;      /* NULL: the generic type of the kind */
} FileFormat;

/* The one list of camera RAW formats Capa knows, for the session, the
 * image metadata and the pixel loader alike. */
static const FileFormat raw_formats[] = {
  { "3fr", NULL },
  { "arw", "image/x-sony-arw" },
  { "cr2", "image/x-canon-cr2" },
  { "cr3", "image/x-canon-cr3" },
  { "crw", "image/x-canon-crw" },
  { "dcr", NULL },
  { "dng", "image/x-adobe-dng" },
  { "erf", NULL },
  { "fff", NULL },
  { "iiq", NULL },
  { "k25", NULL },
  { "kdc", NULL },
  { "mef", NULL },
  { "mos", NULL },
  { "mrw", NULL },
  { "nef", "image/x-nikon-nef" },
  { "nrw", "image/x-nikon-nrw" },
  { "orf", "image/x-olympus-orf" },
  { "pef", "image/x-pentax-pef" },
  { "raf", "image/x-fuji-raf" },
  { "raw", NULL },
  { "rw2", "image/x-panasonic-rw2" },
  { "rwl", NULL },
  { "sr2", "image/x-sony-sr2" },
  { "srf", "image/x-sony-srf" },
  { "srw", "image/x-samsung-srw" },
  { "x3f", "image/x-sigma-x3f" },
};
#define RAW_FALLBACK_MIME_TYPE "image/x-dcraw"

/* The one list of video formats cameras record. */
static const FileFormat video_formats[] = {
  { "3gp", "video/3gpp" },
  { "avi", "video/x-msvideo" },
  { "m2ts", "video/mp2t" },
  { "m4v", "video/x-m4v" },
  { "mkv", "video/x-matroska" },
  { "mov", "video/quicktime" },
  { "mp4", "video/mp4" },
  { "mpg", "video/mpeg" },
  { "mts", "video/mp2t" },
  { "webm", "video/webm" },
  { "wmv", "video/x-ms-wmv" },
};
#define VIDEO_FALLBACK_MIME_TYPE "video/x-generic"

/* MIME types of what cameras send, to the extension of the saved file;
 * RAW types not listed here are looked up in raw_formats[]. */
static const struct {
  const char *mime_type;
  const char *extension;
} mime_extensions[] = {
  { "image/jpeg", "jpg" },
  { "image/jpg", "jpg" },
  { "image/pjpeg", "jpg" },
  { "image/png", "png" },
  { "image/tiff", "tif" },
  { "image/x-panasonic-raw2", "rw2" },
};

static gboolean
is_unsafe_char (gunichar c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
         c == '/' || c == '\\' ||
         c == 0x2028 || c == 0x2029 || c == 0xfeff;
}

static gboolean
is_strippable_char (char c)
{
  return c == '.' || c == ' ' || c == '\t';
}

/* Cuts @str to at most @max_bytes without splitting a UTF-8 character. */
static void
truncate_utf8 (GString *str,
               gsize    max_bytes)
{
  const char *end;

  if (str->len <= max_bytes)
    return;

  end = str->str + max_bytes;
  /* Step back to the start of the character that would be split. */
  while (end > str->str && ((guchar) *end & 0xc0) == 0x80)
    end--;
  g_string_truncate (str, end - str->str);
}

static void
strip_edges (GString *str)
{
  gsize start = 0;

  while (start < str->len && is_strippable_char (str->str[start]))
    start++;
  g_string_erase (str, 0, start);

  while (str->len > 0 && is_strippable_char (str->str[str->len - 1]))
    g_string_truncate (str, str->len - 1);
}

/* Appends @name (any bytes) to @out with every unsafe character or invalid
 * UTF-8 byte replaced by '_'. */
static void
append_sanitized (GString    *out,
                  const char *name,
                  gssize      len)
{
  const char *p = name;
  const char *end;

  if (len < 0)
    len = strlen (name);
  end = name + len;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2 || c == 0)
        {
          /* An invalid byte (or a NUL): replace that one byte. */
          g_string_append_c (out, '_');
          p++;
          continue;
        }

      if (is_unsafe_char (c))
        g_string_append_c (out, '_');
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
}

/*
 * _capa_filename_sanitize:
 * @name: an untrusted name, any bytes
 *
 * Makes @name safe as part of a single file name: valid UTF-8, no path
 * separators, no control characters, no leading or trailing dots or spaces
 * (so never "." or ".." and never hidden).  The result may be empty.
 *
 * Returns: (transfer full): the sanitised name
 */
char *
_capa_filename_sanitize (const char *name)
{
  GString *out = g_string_new (NULL);

  if (name != NULL)
    append_sanitized (out, name, -1);
  strip_edges (out);

  return g_string_free (out, FALSE);
}

/* Returns the offset of the extension's dot in @name, or -1. */
static gssize
find_extension (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name)
    return -1;
  if (strchr (dot, '/') != NULL || strchr (dot, '\\') != NULL)
    return -1;

  return dot - name;
}

static char *
clean_extension (const char *ext)
{
  GString *out = g_string_new (NULL);

  for (const char *p = ext; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, g_ascii_tolower (*p));
    }

  if (out->len == 0 || out->len > MAX_EXTENSION_BYTES)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static char *
extension_from_mime_type (const char *mime_type)
{
  if (mime_type == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (mime_extensions); i++)
    if (g_ascii_strcasecmp (mime_type, mime_extensions[i].mime_type) == 0)
      return g_strdup (mime_extensions[i].extension);

  for (guint i = 0; i < G_N_ELEMENTS (raw_formats); i++)
    if (raw_formats[i].mime_type != NULL &&
        g_ascii_strcasecmp (mime_type, raw_formats[i].mime_type) == 0)
      return g_strdup (raw_formats[i].extension);

  return NULL;
}

/*
 * _capa_filename_extension:
 * @camera_name: (nullable): the camera's name for the file, untrusted
 * @mime_type: (nullable): the MIME type the camera reported
 *
 * Returns: (transfer full): the extension to use, without its dot: the
 *   camera name's own (lower-cased, letters and digits only), else one
 *   matching @mime_type, else "jpg"
 */
char *
_capa_filename_extension (const char *camera_name,
                          const char *mime_type)
{
  char *ext = NULL;

  if (camera_name != NULL)
    {
      gssize dot = find_extension (camera_name);

      if (dot >= 0)
        ext = clean_extension (camera_name + dot + 1);
    }

  if (ext == NULL)
    ext = extension_from_mime_type (mime_type);

  if (ext == NULL)
    ext = g_strdup ("jpg");

  return ext;
}

/* The camera name without its extension, sanitised. */
static char *
camera_base_name (const char *camera_name)
{
  g_autofree char *base = NULL;
  gssize dot;

  if (camera_name == NULL)
    return g_strdup ("");

  dot = find_extension (camera_name);
  if (dot >= 0)
    {
      g_autofree char *ext = clean_extension (camera_name + dot + 1);

      if (ext != NULL)
        base = g_strndup (camera_name, dot);
    }

  return _capa_filename_sanitize (base != NULL ? base : camera_name);
}

/* --- Camera tags ---
 *
 * What `%c` writes: a short name of the camera, from its model, so that
 * the files of several cameras saved into one session tell which camera
 * took them.  ASCII letters and digits only, each run of anything else
 * (spaces, punctuation, other letters) one '-', none at either end, at
 * most CAPA_FILENAME_MAX_TAG_BYTES: "Nikon DSC D750" is "Nikon-DSC-D750",
 * "Canon EOS 5D Mark IV" "Canon-EOS-5D-Mark-IV".  Never empty: "Camera"
 * when nothing is left. */

#define DEFAULT_CAMERA_TAG "Camera"

/*
 * _capa_filename_camera_tag:
 * @model: (nullable): a camera's model or a tag asked for, untrusted
 *
 * Returns: (transfer full): the camera tag made of @model, as `%c`
 *   expands it; never empty
 */
char *
_capa_filename_camera_tag (const char *model)
{
  GString *tag = g_string_new (NULL);
  gboolean separate = FALSE;

  for (const char *p = model != NULL ? model : ""; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          separate = tag->len > 0;
          continue;
        }
      if (separate)
        {
          if (tag->len + 2 > CAPA_FILENAME_MAX_TAG_BYTES)
            break;
          g_string_append_c (tag, '-');
        }
      else if (tag->len + 1 > CAPA_FILENAME_MAX_TAG_BYTES)
        break;
      separate = FALSE;
      g_string_append_c (tag, *p);
    }

  if (tag->len == 0)
    g_string_assign (tag, DEFAULT_CAMERA_TAG);
  return g_string_free (tag, FALSE);
}

/* --- The file-name pattern language ---
 *
 * A pattern is text with fields: `%n` (the sequence number), `%f` (the
 * camera's base name), `%c` (the camera's tag, see above; no longer the
 * locale's date and time of g_date_time_format(), which has spaces and
 * colons), `%%` (a percent sign) and the date fields of
 * g_date_time_format() with their modifiers (`%Y`, `%-m`, `%:z`...).  A
 * '%' that starts none of these is an unknown field: validation refuses
 * it, the lenient expansion keeps it as written. */

typedef enum {
  TOKEN_TEXT,         /* characters up to the next '%' */
  TOKEN_SEQUENCE,     /* %n */
  TOKEN_CAMERA_NAME,  /* %f */
  TOKEN_CAMERA_TAG,   /* %c */
  TOKEN_PERCENT,      /* %% */
  TOKEN_DATE,         /* a field g_date_time_format() knows */
  TOKEN_UNKNOWN,      /* a '%' starting no known field: "%", "%Q", "%-" */
} TokenKind;

typedef struct
{
  TokenKind   kind;
  const char *text;   /* into the pattern */
  gsize       len;
} Token;

#define DATE_MODIFIERS "-_0EO:"

/* A fixed time to learn whether g_date_time_format() knows a field. */
static GDateTime *
reference_time (void)
{
  static GDateTime *time;

  if (g_once_init_enter (&time))
    g_once_init_leave (&time, g_date_time_new_utc (2026, 11, 22, 3, 4, 5));

  return time;
}

/* Reads the token at *@p into @token and moves *@p past it.
 * Returns: FALSE at the end of the pattern. */
static gboolean
next_token (const char **p,
            Token       *token)
{
  const char *start = *p;
  gsize len = 1;

  if (*start == '\0')
    return FALSE;

  token->text = start;

  if (*start != '%')
    {
      const char *end = strchr (start, '%');

      token->kind = TOKEN_TEXT;
      token->len = end != NULL ? (gsize) (end - start) : strlen (start);
      *p += token->len;
      return TRUE;
    }

  switch (start[1])
    {
    case 'n':
      token->kind = TOKEN_SEQUENCE;
      len = 2;
      break;

    case 'f':
      token->kind = TOKEN_CAMERA_NAME;
      len = 2;
      break;

    case 'c':
      token->kind = TOKEN_CAMERA_TAG;
      len = 2;
      break;

    case '%':
      token->kind = TOKEN_PERCENT;
      len = 2;
      break;

    default:
      while (start[len] != '\0' && strchr (DATE_MODIFIERS, start[len]) != NULL)
        len++;
      token->kind = TOKEN_UNKNOWN;
      if (g_ascii_isalpha (start[len]) || start[len] == '+')
        {
          g_autofree char *spec = g_strndup (start, ++len);
          g_autofree char *value = g_date_time_format (reference_time (), spec);

          if (value != NULL)
            token->kind = TOKEN_DATE;
        }
      break;
    }

  token->len = len;
  *p += len;
  return TRUE;
}

static const char *
default_if_empty (const char *pattern)
{
  return pattern == NULL || *pattern == '\0' ? CAPA_FILENAME_DEFAULT_PATTERN : pattern;
}

/* The first character of @text (of @len bytes) that cannot be in a file
 * name, or 0; -1 for bytes that are not UTF-8. */
static gunichar
find_unsafe_char (const char *text,
                  gsize       len)
{
  const char *end = text + len;

  if (!g_utf8_validate_len (text, len, NULL))
    return (gunichar) -1;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_unsafe_char (c))
        return c;
    }

  return 0;
}

static void
set_unsafe_char_error (GError     **error,
                       gunichar     c,
                       const char  *text,
                       gsize        len)
{
  g_autofree char *where = g_utf8_make_valid (text, len);

  if (c == '/' || c == '\\')
    g_set_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME,
                 /* Translators: %s is a part of a file-name pattern, such as “%Y/%m” */
                 _("The file-name pattern cannot make folders: “%s” puts a “%c” in the "
                   "name. Use “-” or “_” instead."),
                 where, (char) c);
  else
    g_set_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME,
                 /* Translators: %s is a part of a file-name pattern */
                 _("The file-name pattern puts a control character or invalid text in the "
                   "name with “%s”. Remove it and use letters, digits, “-” or “_”."),
                 where);
}

/* The one judgement of a token, shared by validation and expansion.
 * @is_last: whether @token ends the pattern */
static gboolean
check_token (const Token  *token,
             gboolean      is_last,
             GError      **error)
{
  gunichar c;

  switch (token->kind)
    {
    case TOKEN_TEXT:
      c = find_unsafe_char (token->text, token->len);
      if (c != 0)
        {
          set_unsafe_char_error (error, c, token->text, token->len);
          return FALSE;
        }
      return TRUE;

    case TOKEN_DATE:
      {
        /* A field such as %t (a tab) or a locale's %x ("11/22/26")
         * writes characters no file name holds. */
        g_autofree char *spec = g_strndup (token->text, token->len);
        g_autofree char *value = g_date_time_format (reference_time (), spec);

        c = value != NULL ? find_unsafe_char (value, strlen (value)) : 0;
        if (c != 0)
          {
            set_unsafe_char_error (error, c, token->text, token->len);
            return FALSE;
          }
        return TRUE;
      }

    case TOKEN_UNKNOWN:
      {
        g_autofree char *text = g_utf8_make_valid (token->text, token->len);

        if (is_last && token->len == 1)
          g_set_error_literal (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME,
                               _("The file-name pattern ends with a lone “%”. "
                                 "Write “%%” for a percent sign."));
        else
          g_set_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME,
                       /* Translators: %s is what follows a “%” in a file-name pattern */
                       _("“%s” is not a field of file-name patterns. Use %%n for the sequence "
                         "number, %%f for the camera’s file name, %%c for the camera, %%%% for a "
                         "percent sign, or a date field such as %%Y, %%m or %%d."),
                       text);
        return FALSE;
      }

    case TOKEN_SEQUENCE:
    case TOKEN_CAMERA_NAME:
    case TOKEN_CAMERA_TAG:
    case TOKEN_PERCENT:
    default:
      return TRUE;
    }
}

/* Appends the expansion of @token to @stem. */
static void
expand_token (const Token *token,
              GString     *stem,
              GDateTime   *time,
              guint        sequence,
              const char  *camera_name,
              const char  *camera_tag)
{
  switch (token->kind)
    {
    case TOKEN_SEQUENCE:
      g_string_append_printf (stem, "%04u", sequence);
      break;

    case TOKEN_CAMERA_NAME:
      {
        g_autofree char *base = camera_base_name (camera_name);

        g_string_append (stem, base);
        break;
      }

    case TOKEN_CAMERA_TAG:
      {
        /* Made safe again: whatever the caller passed. */
        g_autofree char *tag = _capa_filename_camera_tag (camera_tag);

        g_string_append (stem, tag);
        break;
      }

    case TOKEN_PERCENT:
      g_string_append_c (stem, '%');
      break;

    case TOKEN_DATE:
      {
        g_autofree char *spec = g_strndup (token->text, token->len);
        g_autofree char *value = g_date_time_format (time, spec);

        g_string_append (stem, value != NULL ? value : spec);
        break;
      }

    case TOKEN_TEXT:
    case TOKEN_UNKNOWN:
    default:
      /* An unknown field stays as it was written. */
      g_string_append_len (stem, token->text, token->len);
      break;
    }
}

/* Walks the tokens of @pattern; with @check, stops at the first one
 * check_token() refuses.  @stem (nullable) receives the expansion. */
static gboolean
walk_pattern (const char  *pattern,
              gboolean     check,
              GString     *stem,
              GDateTime   *time,
              guint        sequence,
              const char  *camera_name,
              const char  *camera_tag,
              GError     **error)
{
  gboolean has_field = FALSE;
  gboolean all_strippable = TRUE;
  Token token;

  for (const char *p = pattern; next_token (&p, &token);)
    {
      if (check && !check_token (&token, *p == '\0', error))
        return FALSE;

      if (token.kind == TOKEN_TEXT)
        for (gsize i = 0; i < token.len; i++)
          all_strippable = all_strippable && is_strippable_char (token.text[i]);
      else
        has_field = TRUE;

      if (stem != NULL)
        expand_token (&token, stem, time, sequence, camera_name, camera_tag);
    }

  if (check && !has_field && all_strippable)
    {
      g_set_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME,
                   /* Translators: %s is the file-name pattern, such as “..” */
                   _("The file-name pattern “%s” makes no name: dots and spaces alone are "
                     "removed. Add a field such as %%n or some letters."),
                   pattern);
      return FALSE;
    }

  return TRUE;
}

/*
 * _capa_filename_pattern_validate:
 * @pattern: (nullable): a file-name pattern; %NULL or empty for the default
 * @error: the reason a user reads when @pattern is refused, in
 *   %CAPA_SESSION_ERROR_INVALID_NAME
 *
 * Checks that @pattern makes the names it says: no unknown field (nor a
 * lone '%'), no path separator, no control character, and something left
 * once leading and trailing dots and spaces are stripped.  A pattern that
 * passes expands with _capa_filename_expand_full() to the same name as
 * with _capa_filename_expand(); one that fails is refused by both.
 *
 * Returns: whether @pattern is valid
 */
gboolean
_capa_filename_pattern_validate (const char  *pattern,
                                 GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return walk_pattern (default_if_empty (pattern), TRUE, NULL, NULL, 0, NULL, NULL, error);
}

static char *
expand_pattern (const char  *pattern,
                gboolean     check,
                GDateTime   *time,
                guint        sequence,
                const char  *camera_name,
                const char  *camera_tag,
                const char  *mime_type,
                GError     **error)
{
  g_autoptr(GString) stem = g_string_new (NULL);
  g_autoptr(GString) name = NULL;
  g_autofree char *ext = NULL;
  g_autofree char *safe_stem = NULL;

  if (!walk_pattern (default_if_empty (pattern), check, stem, time, sequence, camera_name,
                     camera_tag, error))
    return NULL;

  ext = _capa_filename_extension (camera_name, mime_type);

  safe_stem = _capa_filename_sanitize (stem->str);
  name = g_string_new (*safe_stem != '\0' ? safe_stem : FALLBACK_STEM);
  truncate_utf8 (name, CAPA_FILENAME_MAX_BYTES - 1 - strlen (ext));
  strip_edges (name);
  if (name->len == 0)
    g_string_assign (name, FALLBACK_STEM);

  g_string_append_c (name, '.');
  g_string_append (name, ext);

  return g_string_free (g_steal_pointer (&name), FALSE);
}

/*
 * _capa_filename_expand:
 * @pattern: (nullable): a file-name pattern; %NULL or empty for the default
 * @time: the time to use for the date fields
 * @sequence: the sequence number for `%n`
 * @camera_name: (nullable): the camera's name for the file, untrusted
 * @mime_type: (nullable): the MIME type the camera reported
 *
 * Expands @pattern: `%n` is @sequence zero-padded to four digits, `%f` the
 * camera's base name, `%c` the camera tag "Camera" (see
 * _capa_filename_expand_tagged()), `%%` a percent sign and every other field a
 * g_date_time_format() field of @time.  The extension comes from
 * _capa_filename_extension().  The result is always a single, visible file
 * name of at most %CAPA_FILENAME_MAX_BYTES bytes in valid UTF-8.
 *
 * This is the lenient expansion a capture uses, so that no shot goes
 * unsaved for its pattern: an unknown field stays as written and unsafe
 * characters become '_'.  _capa_filename_pattern_validate() tells the user
 * about such a pattern before.
 *
 * Returns: (transfer full): the file name
 */
char *
_capa_filename_expand (const char *pattern,
                       GDateTime  *time,
                       guint       sequence,
                       const char *camera_name,
                       const char *mime_type)
{
  g_return_val_if_fail (time != NULL, NULL);

  return expand_pattern (pattern, FALSE, time, sequence, camera_name, NULL, mime_type, NULL);
}

/*
 * _capa_filename_expand_tagged:
 * @pattern: (nullable): a file-name pattern; %NULL or empty for the default
 * @time: the time to use for the date fields
 * @sequence: the sequence number for `%n`
 * @camera_name: (nullable): the camera's name for the file, untrusted
 * @camera_tag: (nullable): what `%c` writes, made safe by
 *   _capa_filename_camera_tag(); %NULL for "Camera"
 * @mime_type: (nullable): the MIME type the camera reported
 *
 * Like _capa_filename_expand(), with the tag of the camera that took the
 * picture for `%c`.
 *
 * Returns: (transfer full): the file name
 */
char *
_capa_filename_expand_tagged (const char *pattern,
                              GDateTime  *time,
                              guint       sequence,
                              const char *camera_name,
                              const char *camera_tag,
                              const char *mime_type)
{
  g_return_val_if_fail (time != NULL, NULL);

  return expand_pattern (pattern, FALSE, time, sequence, camera_name, camera_tag, mime_type,
                         NULL);
}

/*
 * _capa_filename_expand_full:
 * @pattern: (nullable): a file-name pattern; %NULL or empty for the default
 * @time: the time to use for the date fields
 * @sequence: the sequence number for `%n`
 * @camera_name: (nullable): the camera's name for the file, untrusted
 * @mime_type: (nullable): the MIME type the camera reported
 * @error: why @pattern is refused, as from _capa_filename_pattern_validate()
 *
 * Like _capa_filename_expand(), but refuses a pattern that
 * _capa_filename_pattern_validate() refuses.
 *
 * Returns: (transfer full) (nullable): the file name, or %NULL
 */
char *
_capa_filename_expand_full (const char  *pattern,
                            GDateTime   *time,
                            guint        sequence,
                            const char  *camera_name,
                            const char  *mime_type,
                            GError     **error)
{
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return expand_pattern (pattern, TRUE, time, sequence, camera_name, NULL, mime_type, error);
}

/*
 * _capa_filename_with_suffix:
 * @name: a file name made by _capa_filename_expand()
 * @suffix: a number, 1 or more
 *
 * Returns: (transfer full): @name with "-@suffix" before its extension,
 *   as used when @name is taken
 */
char *
_capa_filename_with_suffix (const char *name,
                            guint       suffix)
{
  gssize dot;

  g_return_val_if_fail (name != NULL, NULL);

  dot = find_extension (name);
  if (dot < 0)
    return g_strdup_printf ("%s-%u", name, suffix);

  return g_strdup_printf ("%.*s-%u%s", (int) dot, name, suffix, name + dot);
}

/* The temporary files a session writes before giving them their name:
 * hidden, so that no listing takes them for images. */
#define TEMPORARY_PREFIX ".capa-"
#define TEMPORARY_SUFFIX ".tmp"

/*
 * _capa_filename_new_temporary:
 *
 * Returns: (transfer full): a random name for a temporary file the session
 *   writes, one that _capa_filename_is_temporary() recognises
 */
char *
_capa_filename_new_temporary (void)
{
  return g_strdup_printf (TEMPORARY_PREFIX "%08x" TEMPORARY_SUFFIX, g_random_int ());
}

/*
 * _capa_filename_is_temporary:
 * @name: a file name
 *
 * Returns: whether @name is a temporary file the session writes, as
 *   _capa_filename_new_temporary() names them
 */
gboolean
_capa_filename_is_temporary (const char *name)
{
  return g_str_has_prefix (name, TEMPORARY_PREFIX) && g_str_has_suffix (name, TEMPORARY_SUFFIX);
}

/*
 * _capa_filename_is_image:
 * @name: a file name, without folder
 *
 * Returns: whether @name looks like an image a session lists: JPEG, PNG,
 *   TIFF or a camera RAW format by its extension (any case), and not a
 *   hidden or temporary file
 */
gboolean
_capa_filename_is_image (const char *name)
{
  gssize dot;

  if (name == NULL || name[0] == '.' || name[0] == '\0')
    return FALSE;

  dot = find_extension (name);
  if (dot < 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (image_extensions); i++)
    if (g_ascii_strcasecmp (name + dot + 1, image_extensions[i]) == 0)
      return TRUE;

  return _capa_filename_is_raw (name);
}

static const FileFormat *
find_format (const FileFormat *formats,
             gsize             n_formats,
             const char       *name)
{
  gssize dot;

  if (name == NULL)
    return NULL;

  dot = find_extension (name);
  if (dot < 0)
    return NULL;

  for (gsize i = 0; i < n_formats; i++)
    if (g_ascii_strcasecmp (name + dot + 1, formats[i].extension) == 0)
      return &formats[i];

  return NULL;
}

/*
 * _capa_filename_is_raw:
 * @name: a file name or path
 *
 * Returns: whether @name has the extension (any case) of a camera RAW
 *   format
 */
gboolean
_capa_filename_is_raw (const char *name)
{
  return find_format (raw_formats, G_N_ELEMENTS (raw_formats), name) != NULL;
}

/*
 * _capa_filename_is_video:
 * @name: a file name or path
 *
 * Returns: whether @name is a video by its extension (any case): one of
 *   the formats cameras record, or any the shared MIME database calls a
 *   video (from the name alone: nothing is read)
 */
gboolean
_capa_filename_is_video (const char *name)
{
  g_autofree char *content_type = NULL;

  if (name == NULL)
    return FALSE;

  if (find_format (video_formats, G_N_ELEMENTS (video_formats), name) != NULL)
    return TRUE;

  content_type = g_content_type_guess (name, NULL, 0, NULL);
  return content_type != NULL && g_str_has_prefix (content_type, "video/");
}

/*
 * _capa_filename_raw_mime_type:
 * @name: a file name or path
 *
 * Returns: (transfer none): the MIME type of a RAW file by its extension,
 *   "image/x-dcraw" when the format has none of its own
 */
const char *
_capa_filename_raw_mime_type (const char *name)
{
  const FileFormat *format = find_format (raw_formats, G_N_ELEMENTS (raw_formats), name);

  return format && format->mime_type ? format->mime_type : RAW_FALLBACK_MIME_TYPE;
}

/*
 * _capa_filename_video_mime_type:
 * @name: a file name or path
 *
 * Returns: (transfer none): the MIME type of a video by its extension,
 *   "video/x-generic" for an unknown one
 */
const char *
_capa_filename_video_mime_type (const char *name)
{
  const FileFormat *format = find_format (video_formats, G_N_ELEMENTS (video_formats), name);

  return format && format->mime_type ? format->mime_type : VIDEO_FALLBACK_MIME_TYPE;
}

/*
 * _capa_filename_pattern_has_sequence:
 * @pattern: a file-name pattern
 *
 * Returns: whether @pattern uses `%n`
 */
gboolean
_capa_filename_pattern_has_sequence (const char *pattern)
{
  Token token;

  for (const char *p = default_if_empty (pattern); next_token (&p, &token);)
    if (token.kind == TOKEN_SEQUENCE)
      return TRUE;

  return FALSE;
}

static void
append_literal_regex (GString    *regex,
                      const char *literal,
                      gssize      len)
{
  g_autoptr(GString) safe = g_string_new (NULL);
  g_autofree char *escaped = NULL;

  append_sanitized (safe, literal, len);
  escaped = g_regex_escape_string (safe->str, safe->len);
  g_string_append (regex, escaped);
}

/* Whether a character of a pattern's text is stripped from the edges of
 * a name: strippable, and not replaced by _capa_filename_sanitize() first. */
static gboolean
is_stripped_char (char c)
{
  return is_strippable_char (c) && !is_unsafe_char ((guchar) c);
}

/* %n as _capa_filename_expand() writes it: four digits, zero-padded, or
 * more without a leading zero; the longer reading first, as a field of
 * any width may follow. */
#define SEQUENCE_REGEX "([1-9][0-9]{4,}|[0-9]{4})"

/* A number padded with spaces or, as g_date_time_format() pads %e, %k
 * and %l, with U+2007 FIGURE SPACE. */
#define PADDED_NUMBER_REGEX "[ \xe2\x80\x87]*[0-9]+?"

static const char *
date_field_regex (const char *spec,
                  gsize       len)
{
  gboolean modified = len != 2;

  /* Alternative digits and eras may be any characters. */
  if (memchr (spec, 'E', len - 1) != NULL || memchr (spec, 'O', len - 1) != NULL)
    return ".+?";

  switch (spec[len - 1])
    {
    case 'Y': case 'G':
      return modified ? PADDED_NUMBER_REGEX : "[0-9]{4}";
    case 'y': case 'g': case 'm': case 'd': case 'H': case 'I': case 'M': case 'S':
    case 'V': case 'C':
      return modified ? PADDED_NUMBER_REGEX : "[0-9]{2}";
    case 'e': case 'k': case 'l':
      /* always two characters: a figure space before one digit */
      return modified ? PADDED_NUMBER_REGEX : "(?:\xe2\x80\x87[0-9]|[0-9]{2})";
    case 'j':
      return modified ? PADDED_NUMBER_REGEX : "[0-9]{3}";
    case 's':
      return "[0-9]+?";
    case 'z':
      /* +hhmm, +hh:mm, +hh:mm:ss, +hh[:mm[:ss]] */
      return "[+-][0-9]{2}(?::?[0-9]{2}){0,2}";
    case 'F':
      return modified ? ".+?" : "[0-9]{4,}-[0-9]{2}-[0-9]{2}";
    case 'T':
      return modified ? ".+?" : "[0-9]{2}:[0-9]{2}:[0-9]{2}";
    case 'R':
      return modified ? ".+?" : "[0-9]{2}:[0-9]{2}";
    case 'u': case 'w':
      return modified ? PADDED_NUMBER_REGEX : "[0-9]";
    default:
      return ".+?";
    }
}

/*
 * _capa_filename_sequence_regex:
 * @pattern: a file-name pattern
 *
 * Builds a regular expression matching the names @pattern makes (with any
 * collision suffix and extension), whose first group is the `%n` number.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL when
 *   @pattern has no `%n`
 */
GRegex *
_capa_filename_sequence_regex (const char *pattern)
{
  g_autoptr(GString) regex = g_string_new ("^(?:");
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;
  g_autoptr(GString) up_to_sequence = NULL;
  gboolean extend_cut_prefix = FALSE;
  GRegex *result;
  gboolean seen_sequence = FALSE;
  Token token;

  pattern = default_if_empty (pattern);
  if (!_capa_filename_pattern_has_sequence (pattern))
    return NULL;

  /* Leading and trailing dots and spaces are stripped from names (those
   * at the end of a pattern are always text, never part of a field); a
   * tab is not, having become '_' before. */
  while (is_stripped_char (*pattern))
    pattern++;
  trimmed = g_strdup (pattern);
  for (gsize len = strlen (trimmed); len > 0 && is_stripped_char (trimmed[len - 1]); len--)
    trimmed[len - 1] = '\0';

  for (const char *p = trimmed; next_token (&p, &token);)
    {
      switch (token.kind)
        {
        case TOKEN_SEQUENCE:
          /* Every %n is the same number: a later one is a back reference
           * (two numbers side by side could be split anywhere). */
          g_string_append (regex, seen_sequence ? "\\g{1}" : SEQUENCE_REGEX);
          if (!seen_sequence)
            {
              up_to_sequence = g_string_new (regex->str + strlen ("^(?:"));
              extend_cut_prefix = TRUE;
            }
          else if (extend_cut_prefix)
            {
              /* %n%n...: the number's repeats, where it is group 2 */
              g_string_append (up_to_sequence, "\\g{2}");
            }
          seen_sequence = TRUE;
          continue;

        case TOKEN_CAMERA_NAME:
          /* Greedy: a camera's name usually ends in digits (DSC_0042), and
           * with %f%n the number is read as the shortest one the name ends
           * with.  Read as the longest, it grew at every restart. */
          g_string_append (regex, ".*");
          break;

        case TOKEN_CAMERA_TAG:
          /* Any camera's tag, so that the cameras of a session count on
           * from one another's numbers; greedy, as for %f. */
          g_string_append (regex, "[A-Za-z0-9-]*");
          break;

        case TOKEN_PERCENT:
          g_string_append (regex, "%");
          break;

        case TOKEN_DATE:
          g_string_append (regex, date_field_regex (token.text, token.len));
          break;

        case TOKEN_TEXT:
        case TOKEN_UNKNOWN:
        default:
          append_literal_regex (regex, token.text, token.len);
          break;
        }
      extend_cut_prefix = FALSE;
    }

  /* A name longer than CAPA_FILENAME_MAX_BYTES is cut: what follows the
   * number may be missing or cut short.  The second alternative takes the
   * pattern up to its first %n and anything after it (group 2 the number,
   * group 3 the rest); _capa_filename_match_sequence() accepts it only for
   * a name long enough to have been cut. */
  g_string_append_printf (regex, "|%s(?![0-9])(.*?))", up_to_sequence->str);
  g_string_append (regex, "(?:-[0-9]+)?(?:\\.[A-Za-z0-9]+)?$");

  result = g_regex_new (regex->str, G_REGEX_OPTIMIZE, 0, &error);
  if (result == NULL)
    g_debug ("Cannot match the sequence of pattern “%s”: %s", pattern, error->message);

  return result;
}

/* How much shorter than CAPA_FILENAME_MAX_BYTES a name cut at that
 * length can be: the bytes of a character not split, and a few dots or
 * spaces stripped from its new end. */
#define CUT_NAME_SLACK 8

/*
 * _capa_filename_match_sequence:
 * @regex: (nullable): from _capa_filename_sequence_regex()
 * @name: a file name
 * @sequence: (out): the sequence number found in @name
 *
 * Returns: whether @name was made by the pattern of @regex
 */
gboolean
_capa_filename_match_sequence (GRegex     *regex,
                               const char *name,
                               guint      *sequence)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;
  guint64 value;

  g_return_val_if_fail (sequence != NULL, FALSE);

  if (regex == NULL || name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;

  if (!g_regex_match (regex, name, 0, &match))
    return FALSE;

  number = g_match_info_fetch (match, 1);
  if (number == NULL || *number == '\0')
    {
      /* The pattern cut short: only for a name that was cut, at most
       * CUT_NAME_SLACK bytes short of the limit (a collision suffix only
       * makes it longer). */
      if (strlen (name) + CUT_NAME_SLACK < CAPA_FILENAME_MAX_BYTES)
        return FALSE;
      g_free (number);
      number = g_match_info_fetch (match, 2);
      if (number == NULL || *number == '\0')
        return FALSE;
    }

  if (!g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT - 1, &value, NULL))
    return FALSE;

  *sequence = (guint) value;
  return TRUE;
}
