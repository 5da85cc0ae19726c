/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The EXIF capture-time reader of capa-image-header.c (the one the session
 * uses to list folders fast, without exiv2) on any bytes, the way it reads
 * a file: the first part, then more of it when it asks for more; and the
 * date, sub-second and offset parser on strings taken from the input. */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include "capa-image-private.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  capa_fuzz_init_logging ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CapaFuzzInput in = { data, size };
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) made = NULL;
  g_autofree char *date = NULL;
  g_autofree char *subsec = NULL;
  g_autofree char *offset = NULL;
  gboolean need_more = FALSE;
  gsize first = MIN (size, 4096);

  /* Through a copy of exactly the bytes given, so that ASan sees any read
   * past them. */
  {
    g_autofree guint8 *head = g_memdup2 (data, first);

    time = _capa_image_parse_capture_time (head, first, &need_more);
  }
  if (time == NULL && need_more && size > first)
    {
      g_autofree guint8 *whole = g_memdup2 (data, size);

      time = _capa_image_parse_capture_time (whole, size, NULL);
    }

  date = capa_fuzz_take_string (&in, 40);
  subsec = capa_fuzz_take_string (&in, 12);
  offset = capa_fuzz_take_string (&in, 12);
  made = _capa_image_make_capture_time (date, *subsec ? subsec : NULL,
                                        *offset ? offset : NULL);
  if (made != NULL)
    g_assert_cmpint (g_date_time_get_year (made), >=, 1);

  return 0;
}
