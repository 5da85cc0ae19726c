/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The pure file-naming logic of a session, without any disk. */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "capa-filename-private.h"
#include "capa-session-private.h"
#include "capa-test-utils.h"

static GDateTime *
fixed_time (void)
{
  return g_date_time_new_local (2026, 11, 22, 3, 4, 5);
}

/* A name the session may create: one visible, valid, bounded file name. */
static void
assert_safe_name (const char *name)
{
  g_assert_nonnull (name);
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpuint (strlen (name), <=, CAPA_FILENAME_MAX_BYTES);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_null (strchr (name, '/'));
  g_assert_null (strchr (name, '\\'));
  g_assert_cmpint (name[0], !=, '.');
  g_assert_cmpstr (name, !=, ".");
  g_assert_cmpstr (name, !=, "..");
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
    }

  /* Joined to a folder, it stays inside that folder. */
  {
    g_autofree char *path = g_build_filename ("/srv/session", name, NULL);
    g_autofree char *canonical = g_canonicalize_filename (path, NULL);
    g_autofree char *parent = g_path_get_dirname (canonical);

    g_assert_cmpstr (parent, ==, "/srv/session");
  }
}

static char *
expand (const char *pattern,
        guint       sequence,
        const char *camera_name,
        const char *mime_type)
{
  g_autoptr(GDateTime) time = fixed_time ();
  char *name = _capa_filename_expand (pattern, time, sequence, camera_name, mime_type);

  assert_safe_name (name);
  return name;
}

static void
assert_expands_to (const char *pattern,
                   guint       sequence,
                   const char *camera_name,
                   const char *mime_type,
                   const char *expected)
{
  g_autofree char *name = expand (pattern, sequence, camera_name, mime_type);

  g_assert_cmpstr (name, ==, expected);
}

static void
test_pattern_fields (void)
{
  assert_expands_to (NULL, 1, "DSC_0001.JPG", NULL, "capa-20261122-0001.jpg");
  assert_expands_to ("", 12, "DSC_0001.JPG", NULL, "capa-20261122-0012.jpg");
  assert_expands_to ("capa-%Y%m%d-%n", 7, "DSC_0001.JPG", NULL, "capa-20261122-0007.jpg");
  assert_expands_to ("%Y-%m-%d_%H.%M.%S", 1, "x.jpg", NULL, "2026-11-22_03.04.05.jpg");
  assert_expands_to ("%y%j-%e", 1, "x.jpg", NULL, "26326-22.jpg");
  assert_expands_to ("%n", 12345, "x.jpg", NULL, "12345.jpg");
  assert_expands_to ("%n", 0, "x.jpg", NULL, "0000.jpg");
  assert_expands_to ("shot %f", 1, "DSC_0042.NEF", NULL, "shot DSC_0042.nef");
  assert_expands_to ("%f-%n", 3, "IMG_1.CR3", NULL, "IMG_1-0003.cr3");
  assert_expands_to ("100%%-%n", 3, "a.png", NULL, "100%-0003.png");
  /* A lone or unknown % stays as written. */
  assert_expands_to ("a%", 1, "a.jpg", NULL, "a%.jpg");
  assert_expands_to ("a%-", 1, "a.jpg", NULL, "a%-.jpg");
  assert_expands_to ("%Q%n", 1, "a.jpg", NULL, "%Q0001.jpg");
  /* Padding modifiers of g_date_time_format(). */
  assert_expands_to ("%-m.%-d", 1, "a.jpg", NULL, "11.22.jpg");
}

static void
test_extension (void)
{
  g_autofree char *ext = NULL;

  assert_expands_to ("x", 1, "DSC.NEF", NULL, "x.nef");
  assert_expands_to ("x", 1, "DSC.Jpeg", "image/png", "x.jpeg");
  assert_expands_to ("x", 1, "DSC", "image/x-nikon-nef", "x.nef");
  assert_expands_to ("x", 1, "DSC", "image/png", "x.png");
  assert_expands_to ("x", 1, "DSC", "IMAGE/TIFF", "x.tif");
  assert_expands_to ("x", 1, "DSC", "application/x-unknown", "x.jpg");
  assert_expands_to ("x", 1, NULL, NULL, "x.jpg");
  /* Extensions that are not plain letters and digits are not trusted. */
  assert_expands_to ("x", 1, "a.j/pg", NULL, "x.jpg");
  assert_expands_to ("x", 1, "a.jp g", "image/png", "x.png");
  assert_expands_to ("x", 1, "a.verylongextension", NULL, "x.jpg");
  assert_expands_to ("x", 1, "a.\xc3\xa9", NULL, "x.jpg");
  assert_expands_to ("%f", 1, "a.jp g", NULL, "a.jp g.jpg");

  ext = _capa_filename_extension ("A.ORF", NULL);
  g_assert_cmpstr (ext, ==, "orf");
}

static void
test_hostile_camera_names (void)
{
  static const struct {
    const char *camera_name;
    const char *expected;
  } cases[] = {
    { "../../x.jpg", "_.._x.jpg" },
    { "a/b.jpg", "a_b.jpg" },
    { "a\\b.jpg", "a_b.jpg" },
    { "/etc/passwd", "_etc_passwd.jpg" },
    { "\x01\x1f" "ctl.jpg", "__ctl.jpg" },
    { "del\x7f.jpg", "del_.jpg" },
    { "", "image.jpg" },
    { ".hidden", "hidden.jpg" },
    { ".hidden.jpg", "hidden.jpg" },
    { "..", "image.jpg" },
    { ".", "image.jpg" },
    { "...jpg", "image.jpg" },
    { "\xff\xfe" "abc.jpg", "__abc.jpg" },
    { "caf\xc3\xa9.jpg", "caf\xc3\xa9.jpg" },
    { "a\xc2\x85" "b.jpg", "a_b.jpg" },
    { "  spaced . .jpg", "spaced.jpg" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = expand ("%f", 1, cases[i].camera_name, NULL);

      g_test_message ("camera name %u → %s", i, name);
      g_assert_cmpstr (name, ==, cases[i].expected);
    }
}

static void
test_long_names (void)
{
  g_autoptr(GString) ascii = g_string_new (NULL);
  g_autoptr(GString) accented = g_string_new (NULL);
  g_autofree char *name = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_c (ascii, 'a');
  g_string_append (ascii, ".JPG");

  name = expand ("%f", 1, ascii->str, NULL);
  g_assert_cmpuint (strlen (name), ==, CAPA_FILENAME_MAX_BYTES);
  g_assert_true (g_str_has_suffix (name, "aaa.jpg"));
  g_clear_pointer (&name, g_free);

  /* Two-byte characters: the cut never splits one. */
  for (guint i = 0; i < 300; i++)
    g_string_append (accented, "\xc3\xa9");
  g_string_append (accented, ".nef");

  name = expand ("%f", 1, accented->str, NULL);
  g_assert_cmpuint (strlen (name), <=, CAPA_FILENAME_MAX_BYTES);
  g_assert_cmpuint (strlen (name), >=, CAPA_FILENAME_MAX_BYTES - 1);
  g_assert_true (g_str_has_suffix (name, "\xc3\xa9.nef"));
  g_clear_pointer (&name, g_free);

  /* A long pattern too, ending in dots once cut: still no trailing dot. */
  name = expand ("%f%f%f%f", 1, "abcdefghijklmnopqrstuvwxyz0123456789.............................."
                 "...........................jpg", NULL);
  g_assert_cmpuint (strlen (name), <=, CAPA_FILENAME_MAX_BYTES);
}

static void
test_hostile_patterns (void)
{
  assert_expands_to ("../%Y/%n", 1, "a.jpg", NULL, "_2026_0001.jpg");
  assert_expands_to ("/etc/%f", 1, "passwd", NULL, "_etc_passwd.jpg");
  assert_expands_to ("%Y/%m/%d/%n", 5, "a.png", NULL, "2026_11_22_0005.png");
  assert_expands_to ("..", 1, "a.jpg", NULL, "image.jpg");
  assert_expands_to ("tab\there", 1, "a.jpg", NULL, "tab_here.jpg");
  assert_expands_to (".%n", 1, "a.jpg", NULL, "0001.jpg");
  assert_expands_to ("%f", 1, "../../../../etc/x.jpg", NULL, "_.._.._.._etc_x.jpg");
}

static void
test_with_suffix (void)
{
  g_autofree char *a = _capa_filename_with_suffix ("capa-0001.jpg", 1);
  g_autofree char *b = _capa_filename_with_suffix ("noext", 2);
  g_autofree char *c = _capa_filename_with_suffix ("a.b.nef", 12);

  g_assert_cmpstr (a, ==, "capa-0001-1.jpg");
  g_assert_cmpstr (b, ==, "noext-2");
  g_assert_cmpstr (c, ==, "a.b-12.nef");
}

static void
test_is_image (void)
{
  static const char * const images[] = {
    "a.jpg", "a.JPG", "a.jpeg", "a.JPEG", "a.png", "a.tif", "a.TIFF",
    "a.nef", "a.NEF", "a.cr2", "a.CR3", "a.arw", "a.dng", "a.raf", "a.orf",
    "a.rw2", "a.pef", "a.srw", "a.nrw", "a.b.jpg",
  };
  static const char * const others[] = {
    "a.txt", "a.xmp", "a.jpg.xmp", "jpg", "a", "", ".hidden.jpg", ".capa-1234abcd.tmp",
    "a.jpg~", "a.mov", ".jpg",
  };

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    g_assert_true (_capa_filename_is_image (images[i]));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_false (_capa_filename_is_image (others[i]));

  g_assert_true (_capa_filename_is_temporary (".capa-1234abcd.tmp"));
  g_assert_false (_capa_filename_is_temporary ("capa-1234abcd.tmp"));
  g_assert_false (_capa_filename_is_temporary (".capa-1234abcd.jpg"));

  /* The names the session writes under are the ones it recognises, and
   * never listed as images. */
  for (guint i = 0; i < 16; i++)
    {
      g_autofree char *tmp = _capa_filename_new_temporary ();

      g_assert_true (_capa_filename_is_temporary (tmp));
      g_assert_false (_capa_filename_is_image (tmp));
    }
}

static void
assert_sequence (const char *pattern,
                 const char *name,
                 gboolean    matches,
                 guint       expected)
{
  g_autoptr(GRegex) regex = _capa_filename_sequence_regex (pattern);
  guint sequence = 0;

  g_assert_nonnull (regex);
  g_assert_cmpint (_capa_filename_match_sequence (regex, name, &sequence), ==, matches);
  if (matches)
    g_assert_cmpuint (sequence, ==, expected);
}

static void
test_sequence (void)
{
  guint sequence = 0;

  assert_sequence (NULL, "capa-20261122-0042.jpg", TRUE, 42);
  assert_sequence (NULL, "capa-20200101-0007.NEF", TRUE, 7);
  assert_sequence (NULL, "capa-20261122-0042-1.jpg", TRUE, 42);
  assert_sequence (NULL, "capa-20261122-12345.jpg", TRUE, 12345);
  assert_sequence (NULL, "capa-20261122-42.jpg", FALSE, 0);
  assert_sequence (NULL, "capa-2026112-0042.jpg", FALSE, 0);
  assert_sequence (NULL, "other-0042.jpg", FALSE, 0);
  assert_sequence (NULL, "capa-20261122-0042.jpg.xmp", FALSE, 0);
  assert_sequence ("%f-%n", "DSC_0001-0003.jpg", TRUE, 3);
  assert_sequence ("%Y%n", "20260005.jpg", TRUE, 5);
  assert_sequence ("a/b-%n", "a_b-0005.jpg", TRUE, 5);
  assert_sequence ("(%n)+", "(0009)+.jpg", TRUE, 9);
  /* The number as written: four digits, or more without a leading zero. */
  assert_sequence (NULL, "capa-20261122-00042.jpg", FALSE, 0);
  assert_sequence (NULL, "capa-20261122-01234.jpg", FALSE, 0);
  /* After a camera name ending in digits: the number the name ends with,
   * not one that takes in the camera's digits (which grew at each
   * restart: DSC_0043 + 420043 read back as 43420043). */
  assert_sequence ("%f%n", "DSC_00420042.nef", TRUE, 42);
  assert_sequence ("%f%n", "DSC_00430043-2.nef", TRUE, 43);
  assert_sequence ("%f-%n", "DSC_0001-0003-2.jpg", TRUE, 3);
  /* A second %n is the same number, even right after the first. */
  assert_sequence ("%n%n", "8369083690.jpg", TRUE, 83690);
  assert_sequence ("%n-%n", "0042-0042.jpg", TRUE, 42);
  assert_sequence ("%n-%n", "0042-0043.jpg", FALSE, 0);
  /* A field of any width after %n leaves it its digits. */
  assert_sequence ("%q%n%t", "%q92458_.jpg", TRUE, 92458);
  /* A digit after the second is not read as part of the reference. */
  assert_sequence ("%n-%n0", "0042-00420.jpg", TRUE, 42);
  /* Trailing dots and spaces are stripped from the names made. */
  assert_sequence ("%n.", "0042.jpg", TRUE, 42);
  assert_sequence (" shot %n. .", "shot 0042-2.jpg", TRUE, 42);
  assert_sequence ("%n", "99999999999999.jpg", FALSE, 0);

  /* Each pattern recognises what it makes. */
  {
    static const char * const patterns[] = {
      "capa-%Y%m%d-%n", "%n", "%H%M%S-%n-%f", "%Y/%m/%n", "shot %n (%f)",
    };

    for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
      {
        g_autofree char *name = expand (patterns[i], 314, "DSC_0001.JPG", NULL);

        assert_sequence (patterns[i], name, TRUE, 314);
      }
  }

  g_assert_false (_capa_filename_pattern_has_sequence ("%f"));
  g_assert_false (_capa_filename_pattern_has_sequence ("%%n"));
  g_assert_true (_capa_filename_pattern_has_sequence ("%%%n"));
  g_assert_true (_capa_filename_pattern_has_sequence (NULL));
  g_assert_null (_capa_filename_sequence_regex ("%f"));
  g_assert_false (_capa_filename_match_sequence (NULL, "0001.jpg", &sequence));
}

static void
assert_errno_maps (int         errsv,
                   GQuark      domain,
                   int         code,
                   const char *hint)
{
  static const char folder[] = "/media/card/Session \xc3\xa9t\xc3\xa9";
  g_autoptr(GError) error = _capa_session_error_from_errno (errsv, folder);

  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  /* The message names the folder and says what to do. */
  g_assert_nonnull (strstr (error->message, "/media/card/Session \xc3\xa9t\xc3\xa9"));
  g_assert_nonnull (strstr (error->message, hint));
}

/* A name cut at CAPA_FILENAME_MAX_BYTES keeps its number: the expression
 * finds it again, so that numbering goes on after a restart instead of
 * starting again at 1. */
static void
test_sequence_long_names (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 11, 22, 10, 30, 0);
  g_autofree char *long_text = g_strnfill (300, 'x');
  /* "é" is two bytes: the cut may fall inside a character. */
  g_autofree char *accents = NULL;
  g_autoptr(GString) accented = g_string_new (NULL);

  for (guint i = 0; i < 150; i++)
    g_string_append (accented, "\xc3\xa9");
  accents = g_string_free (g_steal_pointer (&accented), FALSE);

  {
    char *patterns[] = {
      g_strconcat ("%n-", long_text, NULL),
      g_strconcat ("capa-%Y%m%d-%n-", long_text, NULL),
      g_strconcat ("%n ", accents, NULL),
      g_strconcat ("x%n", accents, "-%H%M", NULL),
      g_strconcat ("%n-", long_text, ".", NULL),
      g_strconcat ("a%n%n-", long_text, NULL),
    };

    for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
      {
        g_autoptr(GRegex) regex = _capa_filename_sequence_regex (patterns[i]);
        guint sequences[] = { 1, 42, 9999, 123456 };

        g_assert_nonnull (regex);
        for (guint j = 0; j < G_N_ELEMENTS (sequences); j++)
          {
            g_autofree char *name = _capa_filename_expand (patterns[i], time, sequences[j],
                                                           "DSC_0001.JPG", "image/jpeg");
            g_autofree char *suffixed = _capa_filename_with_suffix (name, 3);
            guint found = 0;

            g_assert_cmpuint (strlen (name), <=, CAPA_FILENAME_MAX_BYTES);
            g_assert_true (_capa_filename_match_sequence (regex, name, &found));
            g_assert_cmpuint (found, ==, sequences[j]);
            found = 0;
            g_assert_true (_capa_filename_match_sequence (regex, suffixed, &found));
            g_assert_cmpuint (found, ==, sequences[j]);
          }
      }

    /* A short name is not taken for a cut one: the text after the number
     * is still required where nothing was cut. */
    {
      g_autoptr(GRegex) regex = _capa_filename_sequence_regex (patterns[0]);
      guint found = 0;

      g_assert_false (_capa_filename_match_sequence (regex, "0042-xyz.jpg", &found));
      g_assert_false (_capa_filename_match_sequence (regex, "0042.jpg", &found));
    }

    for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
      g_free (patterns[i]);
  }
}

static void
test_errno_mapping (void)
{
  assert_errno_maps (ENOSPC, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Free some space");
  assert_errno_maps (EDQUOT, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Free some space");
  assert_errno_maps (EROFS, G_IO_ERROR, G_IO_ERROR_READ_ONLY, "Make the disk writable");
  assert_errno_maps (EACCES, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Change its permissions");
  assert_errno_maps (EPERM, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Change its permissions");
  assert_errno_maps (EIO, G_IO_ERROR, G_IO_ERROR_FAILED, "Check the disk");
  assert_errno_maps (ENOTDIR, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY, "is a file");
  assert_errno_maps (ENOENT, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Reconnect");
  assert_errno_maps (EFBIG, G_IO_ERROR, G_IO_ERROR_FAILED, "too large");
  assert_errno_maps (ENAMETOOLONG, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG, "shorter path");
  assert_errno_maps (EMFILE, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES,
                     "Choose another session folder");

  /* A folder name that is not UTF-8 is still shown. */
  {
    g_autoptr(GError) error = _capa_session_error_from_errno (EROFS, "/media/\xff");

    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  capa_test_init (&argc, &argv);

  g_test_add_func ("/Capa/Session/naming/pattern-fields", test_pattern_fields);
  g_test_add_func ("/Capa/Session/naming/extension", test_extension);
  g_test_add_func ("/Capa/Session/naming/hostile-camera-names", test_hostile_camera_names);
  g_test_add_func ("/Capa/Session/naming/long-names", test_long_names);
  g_test_add_func ("/Capa/Session/naming/hostile-patterns", test_hostile_patterns);
  g_test_add_func ("/Capa/Session/naming/with-suffix", test_with_suffix);
  g_test_add_func ("/Capa/Session/naming/is-image", test_is_image);
  g_test_add_func ("/Capa/Session/naming/sequence", test_sequence);
  g_test_add_func ("/Capa/Session/naming/sequence-long-names", test_sequence_long_names);
  g_test_add_func ("/Capa/Session/naming/errno-mapping", test_errno_mapping);

  return g_test_run ();
}
