/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What every libFuzzer target of tests/fuzz/ shares: quiet logging, with
 * a critical (a failed precondition inside Capa) taken for a crash. */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

int  LLVMFuzzerTestOneInput (const uint8_t *data,
                             size_t         size);
int  LLVMFuzzerInitialize   (int           *argc,
                             char        ***argv);

/* Drops debug, info, message and warning output (a damaged file is
 * expected to warn) and aborts on a critical or an error. */
void capa_fuzz_init_logging (void);

/* Reads fuzz input a field at a time; past the end every read gives 0 or
 * an empty string. */
typedef struct
{
  const guint8 *data;
  gsize         size;
} CapaFuzzInput;

guint8  capa_fuzz_take_u8     (CapaFuzzInput *in);
guint32 capa_fuzz_take_u32    (CapaFuzzInput *in);
float   capa_fuzz_take_float  (CapaFuzzInput *in);
/* A string of up to @max_len bytes, any bytes but NUL. */
char   *capa_fuzz_take_string (CapaFuzzInput *in,
                               gsize          max_len);

G_END_DECLS
