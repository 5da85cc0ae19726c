/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Fuzz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static GLogWriterOutput
quiet_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

void
capa_fuzz_init_logging (void)
{
  g_log_set_writer_func (quiet_writer, NULL, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
}

guint8
capa_fuzz_take_u8 (CapaFuzzInput *in)
{
  guint8 v;

  if (in->size == 0)
    return 0;
  v = in->data[0];
  in->data++;
  in->size--;
  return v;
}

guint32
capa_fuzz_take_u32 (CapaFuzzInput *in)
{
  guint32 v = 0;

  for (int i = 0; i < 4; i++)
    v = (v << 8) | capa_fuzz_take_u8 (in);
  return v;
}

float
capa_fuzz_take_float (CapaFuzzInput *in)
{
  guint32 bits = capa_fuzz_take_u32 (in);
  float v;

  memcpy (&v, &bits, sizeof v);
  return v;
}

char *
capa_fuzz_take_string (CapaFuzzInput *in,
                       gsize          max_len)
{
  gsize len = capa_fuzz_take_u8 (in) % (max_len + 1);
  char *s;

  len = MIN (len, in->size);
  s = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    s[i] = in->data[i] != '\0' ? (char) in->data[i] : '_';
  s[len] = '\0';
  if (len > 0)
    {
      in->data += len;
      in->size -= len;
    }
  return s;
}
