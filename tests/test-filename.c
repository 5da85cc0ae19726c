/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The file-name pattern language: every token, escapes, the patterns
 * refused with the message the user reads, and one parser behind the
 * validation, the expansion, the %n test and the sequence regex. */

#include "config.h"

#include <string.h>

#include "capa-filename-private.h"
#include "capa-session.h"

static GDateTime *
fixed_time (void)
{
  return g_date_time_new_utc (2026, 11, 22, 3, 4, 5);
}

/* Expands @pattern both ways; a valid pattern must give the same name. */
static char *
expand_valid (const char *pattern,
              guint       sequence,
              const char *camera_name)
{
  g_autoptr(GDateTime) time = fixed_time ();
  g_autoptr(GError) error = NULL;
  g_autofree char *lenient = NULL;
  char *strict;

  g_assert_true (_capa_filename_pattern_validate (pattern, &error));
  g_assert_no_error (error);

  strict = _capa_filename_expand_full (pattern, time, sequence, camera_name, NULL, &error);
  g_assert_no_error (error);
  lenient = _capa_filename_expand (pattern, time, sequence, camera_name, NULL);
  g_assert_cmpstr (strict, ==, lenient);

  return strict;
}

static void
assert_expands (const char *pattern,
                const char *expected)
{
  g_autofree char *name = expand_valid (pattern, 42, "DSC_0001.NEF");

  g_test_message ("“%s” → “%s”", pattern, name);
  g_assert_cmpstr (name, ==, expected);
}

static void
test_tokens (void)
{
  /* Text alone, and each field. */
  assert_expands ("shot", "shot.nef");
  assert_expands ("%n", "0042.nef");
  assert_expands ("%f", "DSC_0001.nef");
  assert_expands ("%%", "%.nef");
  assert_expands ("%Y", "2026.nef");
  assert_expands ("%m", "11.nef");
  assert_expands ("%d", "22.nef");
  assert_expands ("%H", "03.nef");
  assert_expands ("%M", "04.nef");
  assert_expands ("%S", "05.nef");
  assert_expands ("%y", "26.nef");
  assert_expands ("%j", "326.nef");
  assert_expands ("%e", "22.nef");
  assert_expands ("%F", "2026-11-22.nef");
  assert_expands ("%s", "1795316645.nef");
  assert_expands ("%T", "03:04:05.nef");
  /* Modifiers of g_date_time_format(). */
  assert_expands ("%-m%-d", "1122.nef");
  assert_expands ("%-H", "3.nef");
  /* A leading space is stripped, as from any name. */
  assert_expands ("%_H", "3.nef");
  assert_expands ("a%_H", "a 3.nef");
  assert_expands ("%:z", "+00:00.nef");
  /* Fields together, and the default pattern. */
  assert_expands ("capa-%Y%m%d-%n", "capa-20261122-0042.nef");
  assert_expands (NULL, "capa-20261122-0042.nef");
  assert_expands ("", "capa-20261122-0042.nef");
  assert_expands ("%f_%n_%H%M%S", "DSC_0001_0042_030405.nef");
  /* Text in any script. */
  assert_expands ("séance-%n", "séance-0042.nef");
}

static void
test_escapes (void)
{
  assert_expands ("100%%", "100%.nef");
  assert_expands ("%%n", "%n.nef");
  assert_expands ("%%%n", "%0042.nef");
  assert_expands ("%%%%", "%%.nef");
  assert_expands ("%%Y-%Y", "%Y-2026.nef");
  assert_expands ("a%%f", "a%f.nef");

  g_assert_false (_capa_filename_pattern_has_sequence ("%%n"));
  g_assert_true (_capa_filename_pattern_has_sequence ("%%%n"));
  g_assert_false (_capa_filename_pattern_has_sequence ("%%%%n"));
}

static void
assert_refused (const char *pattern,
                const char *message)
{
  g_autoptr(GDateTime) time = fixed_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) expand_error = NULL;
  g_autofree char *name = NULL;
  /* The TAP log is UTF-8: the pattern may not be. */
  g_autofree char *shown = g_utf8_make_valid (pattern, -1);

  g_assert_false (_capa_filename_pattern_validate (pattern, &error));
  g_assert_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME);
  g_test_message ("“%s”: %s", shown, error->message);
  g_assert_cmpstr (error->message, ==, message);

  name = _capa_filename_expand_full (pattern, time, 1, "a.jpg", NULL, &expand_error);
  g_assert_null (name);
  g_assert_error (expand_error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME);
  g_assert_cmpstr (expand_error->message, ==, message);
}

#define UNKNOWN_FIELD(field) \
  "“" field "” is not a field of file-name patterns. Use %n for the sequence number, " \
  "%f for the camera’s file name, %c for the camera, %% for a percent sign, or a date " \
  "field such as %Y, %m or %d."

static void
test_invalid (void)
{
  assert_refused ("capa-%", "The file-name pattern ends with a lone “%”. "
                  "Write “%%” for a percent sign.");
  assert_refused ("%", "The file-name pattern ends with a lone “%”. "
                  "Write “%%” for a percent sign.");
  assert_refused ("%%%", "The file-name pattern ends with a lone “%”. "
                  "Write “%%” for a percent sign.");
  assert_refused ("%Q-%n", UNKNOWN_FIELD ("%Q"));
  assert_refused ("%D", UNKNOWN_FIELD ("%D"));
  assert_refused ("a%-", UNKNOWN_FIELD ("%-"));
  assert_refused ("a%-%n", UNKNOWN_FIELD ("%-"));
  assert_refused ("% %n", UNKNOWN_FIELD ("%"));
  assert_refused ("%.n", UNKNOWN_FIELD ("%"));
  assert_refused ("%é", UNKNOWN_FIELD ("%"));
  assert_refused ("%:Y", UNKNOWN_FIELD ("%:Y"));
  assert_refused ("%Y/%m/%n", "The file-name pattern cannot make folders: “/” puts a "
                  "“/” in the name. Use “-” or “_” instead.");
  assert_refused ("../%n", "The file-name pattern cannot make folders: “../” puts a "
                  "“/” in the name. Use “-” or “_” instead.");
  assert_refused ("a\\b-%n", "The file-name pattern cannot make folders: “a\\b-” puts a "
                  "“\\” in the name. Use “-” or “_” instead.");
  assert_refused ("tab\there", "The file-name pattern puts a control character or invalid "
                  "text in the name with “tab\there”. Remove it and use letters, digits, "
                  "“-” or “_”.");
  assert_refused ("%t%n", "The file-name pattern puts a control character or invalid "
                  "text in the name with “%t”. Remove it and use letters, digits, "
                  "“-” or “_”.");
  assert_refused ("bad\xff%n", "The file-name pattern puts a control character or invalid "
                  "text in the name with “bad\xef\xbf\xbd”. Remove it and use letters, "
                  "digits, “-” or “_”.");
  assert_refused ("..", "The file-name pattern “..” makes no name: dots and spaces alone are "
                  "removed. Add a field such as %n or some letters.");
  assert_refused (" . ", "The file-name pattern “ . ” makes no name: dots and spaces alone "
                  "are removed. Add a field such as %n or some letters.");
}

/* Patterns at the edges of the language; each either passes both the
 * validation and the strict expansion, or is refused by both with the
 * same message.  The lenient expansion still makes a safe name of every
 * one, and the sequence regex finds the number in what %n made. */
static void
test_validation_agrees_with_expansion (void)
{
  static const char * const patterns[] = {
    "", "%", "%%", "%%%", "%%%%", "a%", "%n%", "%n", "%nn", "%f", "%ff", "%Y", "%YY",
    "%-", "%-m", "%--m", "%_0-d", "%:", "%:z", "%::z", "%:::z", "%E", "%EY", "%Oy", "%O",
    "%Q", "%D", "%U", "%+", "%t", "%c", "/", "\\", "a/b", "%Y/%n", "%n\\", ".", "..",
    "...%n", " %n ", ".hidden", "a.b.c-%n", "%", "%\xc3\xa9", "\xc3\xa9%n", "\x01", "a\x7f",
    "\xff", "%n-%n", "%f%f%f", "caf\xc3\xa9 %n (%f)", "%s.%n", "%-n", "%0n",
    "\t%n", "%n.\t", "%k%n", "%e-%n", "%n %k", ". %k%n",
  };
  g_autoptr(GDateTime) time = fixed_time ();

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      const char *pattern = patterns[i];
      g_autoptr(GError) validate_error = NULL;
      g_autoptr(GError) expand_error = NULL;
      g_autofree char *strict = NULL;
      g_autofree char *lenient = NULL;
      gboolean valid;

      valid = _capa_filename_pattern_validate (pattern, &validate_error);
      strict = _capa_filename_expand_full (pattern, time, 7, "IMG_9.CR3", NULL, &expand_error);
      lenient = _capa_filename_expand (pattern, time, 7, "IMG_9.CR3", NULL);
      g_test_message ("pattern %u: %s, “%s”", i, valid ? "valid" : validate_error->message,
                      lenient);

      g_assert_cmpint (valid, ==, strict != NULL);
      if (valid)
        {
          g_assert_no_error (validate_error);
          g_assert_no_error (expand_error);
          g_assert_cmpstr (strict, ==, lenient);
        }
      else
        {
          g_assert_nonnull (validate_error);
          g_assert_error (expand_error, validate_error->domain, validate_error->code);
          g_assert_cmpstr (expand_error->message, ==, validate_error->message);
        }

      /* Whatever the pattern, a capture gets one safe, visible name. */
      g_assert_nonnull (lenient);
      g_assert_true (g_utf8_validate (lenient, -1, NULL));
      g_assert_null (strchr (lenient, '/'));
      g_assert_null (strchr (lenient, '\\'));
      g_assert_cmpint (lenient[0], !=, '.');
      g_assert_true (g_str_has_suffix (lenient, ".cr3"));

      /* The regex reads back the number %n wrote, whatever else the
       * pattern holds. */
      if (_capa_filename_pattern_has_sequence (pattern))
        {
          g_autoptr(GRegex) regex = _capa_filename_sequence_regex (pattern);
          guint sequence = 0;

          g_assert_nonnull (regex);
          g_assert_true (_capa_filename_match_sequence (regex, lenient, &sequence));
          g_assert_cmpuint (sequence, ==, 7);
        }
      else
        {
          g_assert_null (_capa_filename_sequence_regex (pattern));
        }
    }
}

/* Patterns put together at random from pieces of the language (each
 * piece may join its neighbours into another token: "%" then "%n" is
 * "%%n"); the same agreement must hold for every one.  The camera name
 * and the pieces avoid fields of variable width made of digits next to
 * %n, which no reader can tell apart ("%-m%n": 1-10007 or 11-0007?). */
static void
test_random_patterns (void)
{
  static const char * const pieces[] = {
    "a", "-", "_", ".", " ", "/", "\\", "\t", "\xc3\xa9", "%", "%%", "%n", "%f", "%Y",
    "%m", "%d", "%e", "%k", "%a", "%Q", "%:", "%-", "%_", "%t", "%z",
  };
  g_autoptr(GDateTime) time = fixed_time ();

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GString) pattern = g_string_new (NULL);
      g_autoptr(GError) validate_error = NULL;
      g_autoptr(GError) expand_error = NULL;
      g_autofree char *strict = NULL;
      g_autofree char *lenient = NULL;
      guint n_pieces = g_test_rand_int_range (1, 10);
      gboolean valid;

      for (guint j = 0; j < n_pieces; j++)
        g_string_append (pattern,
                         pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);

      valid = _capa_filename_pattern_validate (pattern->str, &validate_error);
      strict = _capa_filename_expand_full (pattern->str, time, 31, "IMG_X.CR3", NULL,
                                           &expand_error);
      lenient = _capa_filename_expand (pattern->str, time, 31, "IMG_X.CR3", NULL);
      g_test_message ("“%s” → “%s”", pattern->str, lenient);

      g_assert_cmpint (valid, ==, strict != NULL);
      if (valid)
        g_assert_cmpstr (strict, ==, lenient);
      else
        g_assert_cmpstr (expand_error->message, ==, validate_error->message);

      g_assert_true (g_utf8_validate (lenient, -1, NULL));
      g_assert_null (strchr (lenient, '/'));
      g_assert_cmpint (lenient[0], !=, '.');
      g_assert_true (g_str_has_suffix (lenient, ".cr3"));

      if (_capa_filename_pattern_has_sequence (pattern->str))
        {
          g_autoptr(GRegex) regex = _capa_filename_sequence_regex (pattern->str);
          guint sequence = 0;

          g_assert_true (_capa_filename_match_sequence (regex, lenient, &sequence));
          g_assert_cmpuint (sequence, ==, 31);
        }
    }
}

/* The lenient expansion a capture uses keeps what validation refuses as
 * written (made safe), so a bad pattern never costs a shot. */
static void
test_lenient_expansion (void)
{
  g_autoptr(GDateTime) time = fixed_time ();
  static const struct {
    const char *pattern;
    const char *expected;
  } cases[] = {
    { "a%", "a%.jpg" },
    { "%Q%n", "%Q0001.jpg" },
    { "a%-", "a%-.jpg" },
    { "%Y/%n", "2026_0001.jpg" },
    { "%t%n", "_0001.jpg" },
    { "..", "image.jpg" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = _capa_filename_expand (cases[i].pattern, time, 1, "x.jpg", NULL);

      g_assert_false (_capa_filename_pattern_validate (cases[i].pattern, NULL));
      g_assert_cmpstr (name, ==, cases[i].expected);
    }
}

/* The public validator the preferences use says what the private one
 * says, with the same message. */
static void
test_session_validate (void)
{
  static const char *const valid[] = {
    NULL, "", "capa-%Y%m%d-%n", "%n.", "shot %H%M%S", "%f", "100%%-%n",
  };
  static const char *const invalid[] = {
    "capa-%", "%Q-%n", "%Y/%n", "a\tb", "..", " . ", "\xff%n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (capa_session_validate_filename_pattern (valid[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) private_error = NULL;

      g_assert_false (capa_session_validate_filename_pattern (invalid[i], &error));
      g_assert_error (error, CAPA_SESSION_ERROR, CAPA_SESSION_ERROR_INVALID_NAME);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_false (_capa_filename_pattern_validate (invalid[i], &private_error));
      g_assert_cmpstr (error->message, ==, private_error->message);
      /* Without a GError, the answer alone. */
      g_assert_false (capa_session_validate_filename_pattern (invalid[i], NULL));
    }
}

/* %c: the camera's tag, made of its model (letters, digits and '-'
 * only, never empty), whatever the model or the tag asked for holds. */
static void
test_camera_tag (void)
{
  static const struct {
    const char *model;
    const char *tag;
  } tags[] = {
    { "Nikon DSC D750", "Nikon-DSC-D750" },
    { "Canon EOS 5D Mark IV", "Canon-EOS-5D-Mark-IV" },
    { "Capa Test Camera", "Capa-Test-Camera" },
    { "  Sony  Alpha-A7 III  ", "Sony-Alpha-A7-III" },
    { "../../etc/passwd", "etc-passwd" },
    { "ctrl\001\033[31m\nname\t", "ctrl-31m-name" },
    { "\377\376not-utf8", "not-utf8" },
    { "caf\xc3\xa9 2", "caf-2" },
    { "%n%c%%", "n-c" },
    { ".hidden", "hidden" },
    { "", "Camera" },
    { NULL, "Camera" },
    { "///", "Camera" },
    { "\xc3\xa9\xc3\xa9", "Camera" },
    { "A123456789 B123456789 C123456789 D123456789", "A123456789-B123456789-C123456789" },
    { "A1234567890123456789012345678901234567890", "A1234567890123456789012345678901" },
  };
  g_autoptr(GDateTime) time = fixed_time ();

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_autofree char *tag = _capa_filename_camera_tag (tags[i].model);
      g_autofree char *name = NULL;

      g_assert_cmpstr (tag, ==, tags[i].tag);
      g_assert_cmpuint (strlen (tag), <=, CAPA_FILENAME_MAX_TAG_BYTES);
      /* The expansion makes whatever it is given safe the same way. */
      name = _capa_filename_expand_tagged ("%c-%n", time, 7, "DSC_1.NEF", tags[i].model, NULL);
      g_assert_true (g_str_has_prefix (name, tags[i].tag));
      g_assert_cmpstr (name + strlen (tags[i].tag), ==, "-0007.nef");
    }

  /* The token: valid, "Camera" without a tag, the tag with one. */
  assert_expands ("%c", "Camera.nef");
  assert_expands ("%c-%n", "Camera-0042.nef");
  {
    g_autofree char *name = _capa_filename_expand_tagged ("%Y-%c-%n_%f", time, 3, "DSC_9.NEF",
                                                          "D750", NULL);
    g_autofree char *percent = _capa_filename_expand_tagged ("%%c%c", time, 3, NULL, "D750",
                                                             "image/jpeg");

    g_assert_cmpstr (name, ==, "2026-D750-0003_DSC_9.nef");
    g_assert_cmpstr (percent, ==, "%cD750.jpg");
  }

  /* The sequence regex reads the number after any tag, even one ending
   * in digits, so that the cameras of a session count on together. */
  {
    static const char * const names[] = {
      "D750-0012.jpg", "Camera-0012.jpg", "Capa-Test-Camera-0012-3.nef", "D7500012.jpg",
    };
    g_autoptr(GRegex) dash = _capa_filename_sequence_regex ("%c-%n");
    g_autoptr(GRegex) joined = _capa_filename_sequence_regex ("%c%n");
    guint sequence = 0;

    for (guint i = 0; i < G_N_ELEMENTS (names) - 1; i++)
      {
        sequence = 0;
        g_assert_true (_capa_filename_match_sequence (dash, names[i], &sequence));
        g_assert_cmpuint (sequence, ==, 12);
      }
    g_assert_true (_capa_filename_match_sequence (joined, "D7500012.jpg", &sequence));
    g_assert_cmpuint (sequence, ==, 12);
    g_assert_false (_capa_filename_match_sequence (dash, "D750_0012.jpg", &sequence));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Capa/Filename/pattern/tokens", test_tokens);
  g_test_add_func ("/Capa/Filename/pattern/escapes", test_escapes);
  g_test_add_func ("/Capa/Filename/pattern/invalid", test_invalid);
  g_test_add_func ("/Capa/Filename/pattern/validation-agrees-with-expansion",
                   test_validation_agrees_with_expansion);
  g_test_add_func ("/Capa/Filename/pattern/random-patterns", test_random_patterns);
  g_test_add_func ("/Capa/Filename/pattern/lenient-expansion", test_lenient_expansion);
  g_test_add_func ("/Capa/Filename/pattern/session-validate", test_session_validate);
  g_test_add_func ("/Capa/Filename/pattern/camera-tag", test_camera_tag);

  return g_test_run ();
}
