/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The file-name pattern language of capa-filename.c: a pattern, a time, a
 * sequence number, a camera name and a MIME type from the input, expanded;
 * the name must be one visible file name of bounded length in valid
 * UTF-8, and so must it with a collision suffix.  The sequence expression
 * of the pattern is built and matched against the name.  With
 * CAPA_FUZZ_STRICT=1 in the environment, the expression must also find
 * the sequence number in the name it made (the two parsers agree). */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include <string.h>

#include "capa-filename-private.h"
#include "fuzz-common.h"

static gboolean strict;

/* Whether a %n of @pattern directly follows or precedes a field of any
 * width that may end or start with digits (%f, %s, or one with a flag or modifier such as %-d or
 * %Od): the name "DSC_004212345" is camera DSC_00421 and 2345 as well as
 * DSC_0042 and 12345, and the expression reads the shorter number, which
 * the names of real cameras need (see test-session-naming's sequence
 * test). */
static gboolean
sequence_is_ambiguous (const char *pattern)
{
  for (const char *p = strstr (pattern, "%n"); p != NULL; p = strstr (p + 1, "%n"))
    {
      gsize at = (gsize) (p - pattern);

      if (at >= 2 && pattern[at - 2] == '%' && strchr ("fs", pattern[at - 1]) != NULL)
        return TRUE;
      /* or comes right before one (%n%s, %n%x: "01/02/26"): a number past
       * 9999 has no fixed width to end at */
      if (p[2] == '%' && p[3] != '\0' && p[3] != '%' && p[3] != 'n')
        return TRUE;
      /* %-d, %Od, %-Od...: the field's flags and modifiers */
      for (gsize start = at >= 2 ? at - 2 : 0; start > 0 && at - start <= 5; start--)
        if (pattern[start - 1] == '%')
          {
            if (at - start >= 2 && strchr ("-_0^#EO", pattern[start]) != NULL)
              return TRUE;
            break;
          }
    }

  return FALSE;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  capa_fuzz_init_logging ();
  strict = g_strcmp0 (g_getenv ("CAPA_FUZZ_STRICT"), "1") == 0;
  return 0;
}

static void
assert_safe_name (const char *name,
                  gsize       max_bytes)
{
  g_assert_nonnull (name);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpuint (strlen (name), <=, max_bytes);
  g_assert_null (strchr (name, '/'));
  g_assert_cmpint (name[0], !=, '.');
  g_assert_cmpstr (name, !=, "..");
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CapaFuzzInput in = { data, size };
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *camera_name = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *name = NULL;
  g_autofree char *suffixed = NULL;
  g_autofree char *sanitized = NULL;
  guint sequence, found = 0, suffix;
  char number[16];
  gboolean has_sequence, matched;

  /* Any second from 1970 to 2106, in UTC or the local zone. */
  time = capa_fuzz_take_u8 (&in) & 1
    ? g_date_time_new_from_unix_utc (capa_fuzz_take_u32 (&in))
    : g_date_time_new_from_unix_local (capa_fuzz_take_u32 (&in));
  sequence = capa_fuzz_take_u32 (&in) % 100000;
  suffix = 1 + capa_fuzz_take_u32 (&in) % 9999;
  camera_name = capa_fuzz_take_string (&in, 160);
  mime_type = capa_fuzz_take_string (&in, 40);
  pattern = g_strndup ((const char *) in.data, in.size);

  g_assert_nonnull (time);

  sanitized = _capa_filename_sanitize (camera_name);
  g_assert_true (g_utf8_validate (sanitized, -1, NULL));
  g_assert_null (strchr (sanitized, '/'));
  g_assert_true (sanitized[0] != '.' || sanitized[0] == '\0');

  name = _capa_filename_expand (pattern, time, sequence, *camera_name ? camera_name : NULL,
                                *mime_type ? mime_type : NULL);
  assert_safe_name (name, CAPA_FILENAME_MAX_BYTES);
  g_assert_false (_capa_filename_is_temporary (name));

  suffixed = _capa_filename_with_suffix (name, suffix);
  assert_safe_name (suffixed, 255);

  has_sequence = _capa_filename_pattern_has_sequence (pattern);
  regex = _capa_filename_sequence_regex (pattern);
  if (!has_sequence)
    g_assert_null (regex);

  matched = _capa_filename_match_sequence (regex, name, &found);
  (void) _capa_filename_match_sequence (regex, suffixed, &found);
  (void) _capa_filename_match_sequence (regex, camera_name, &found);

  g_snprintf (number, sizeof number, "%04u", sequence);
  /* A name cut at CAPA_FILENAME_MAX_BYTES before its %n has no number to
   * read: that pattern cannot number its names (see docs/reliability.md). */
  if (strict && regex != NULL && g_utf8_validate (pattern, -1, NULL) &&
      !sequence_is_ambiguous (pattern) && strstr (name, number) != NULL)
    {
      /* The session relies on finding the number again in the names it
       * made, to never hand out a number twice. */
      if (!matched)
        g_error ("pattern “%s” made “%s”, which its expression does not match",
                 pattern, name);
      _capa_filename_match_sequence (regex, name, &found);
      if (found != sequence)
        g_error ("pattern “%s” made “%s” for %u, read back as %u",
                 pattern, name, sequence, found);
    }

  (void) _capa_filename_is_image (name);
  (void) _capa_filename_is_raw (camera_name);
  (void) _capa_filename_is_video (camera_name);
  (void) _capa_filename_raw_mime_type (camera_name);
  (void) _capa_filename_video_mime_type (camera_name);

  return 0;
}
