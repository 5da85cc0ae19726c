/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The RAW half of a "RAW + JPEG" shot of the test camera driver: a small
 * DNG (little-endian TIFF) whose sensor data is a 16-bit Bayer gradient and
 * whose first IFD is a JPEG preview of the shot, as camera RAW files carry
 * one.  Laid out as tests/data/preview.dng is. */

#define G_LOG_DOMAIN "CapaTestCamera"

#include "config.h"

#include <string.h>

#include "capa-test-camera-image.h"

#define RAW_WIDTH       96
#define RAW_HEIGHT      64
#define PREVIEW_W       240
#define PREVIEW_H       160

typedef struct
{
  guint16  tag;
  guint16  type;      /* 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 10 SRATIONAL */
  guint32  count;
  GBytes  *value;
} Entry;

static const guint type_size[] = { 0, 1, 1, 2, 4, 8, 0, 0, 0, 0, 8 };

static void
put16 (GByteArray *out,
       guint       v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (out, b, 4);
}

static void
add (GArray     *entries,
     guint16     tag,
     guint16     type,
     guint32     count,
     GByteArray *value)
{
  Entry entry = { tag, type, count, g_byte_array_free_to_bytes (value) };

  g_array_append_val (entries, entry);
}

static void
add_long (GArray  *entries,
          guint16  tag,
          guint32  v)
{
  GByteArray *value = g_byte_array_new ();

  put32 (value, v);
  add (entries, tag, 4, 1, value);
}

static void
add_shorts (GArray  *entries,
            guint16  tag,
            guint    count,
            guint    a,
            guint    b,
            guint    c)
{
  GByteArray *value = g_byte_array_new ();
  guint v[3] = { a, b, c };

  for (guint i = 0; i < count; i++)
    put16 (value, v[i]);
  add (entries, tag, 3, count, value);
}

static void
add_bytes (GArray       *entries,
           guint16       tag,
           guint         count,
           const guint8 *bytes)
{
  GByteArray *value = g_byte_array_new ();

  g_byte_array_append (value, bytes, count);
  add (entries, tag, 1, count, value);
}

static void
add_ascii (GArray     *entries,
           guint16     tag,
           const char *text)
{
  GByteArray *value = g_byte_array_new ();

  g_byte_array_append (value, (const guint8 *) text, strlen (text) + 1);
  add (entries, tag, 2, strlen (text) + 1, value);
}

static void
add_rationals (GArray    *entries,
               guint16    tag,
               guint16    type,
               guint      count,
               const int *pairs)
{
  GByteArray *value = g_byte_array_new ();

  for (guint i = 0; i < count * 2; i++)
    put32 (value, (guint32) pairs[i]);
  add (entries, tag, type, count, value);
}

static void
clear_entry (gpointer data)
{
  g_bytes_unref (((Entry *) data)->value);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return (int) ((const Entry *) a)->tag - (int) ((const Entry *) b)->tag;
}

static gsize
ifd_size (GArray *entries)
{
  gsize size = 2 + 12 * entries->len + 4;

  for (guint i = 0; i < entries->len; i++)
    {
      gsize n = g_bytes_get_size (g_array_index (entries, Entry, i).value);

      if (n > 4)
        size += (n + 1) & ~(gsize) 1;
    }
  return size;
}

static void
write_ifd (GByteArray *out,
           GArray     *entries)
{
  gsize data_offset = out->len + 2 + 12 * entries->len + 4;
  g_autoptr(GByteArray) data = g_byte_array_new ();

  g_array_sort (entries, compare_entries);
  put16 (out, entries->len);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      gsize n;
      const guint8 *value = g_bytes_get_data (entry->value, &n);

      g_assert (n == (gsize) type_size[entry->type] * entry->count);
      put16 (out, entry->tag);
      put16 (out, entry->type);
      put32 (out, entry->count);
      if (n <= 4)
        {
          guint8 inline_value[4] = { 0 };

          memcpy (inline_value, value, n);
          g_byte_array_append (out, inline_value, 4);
        }
      else
        {
          put32 (out, data_offset + data->len);
          g_byte_array_append (data, value, n);
          if (n % 2)
            g_byte_array_append (data, (const guint8 *) "", 1);
        }
    }
  put32 (out, 0);
  g_byte_array_append (out, data->data, data->len);
}

static GArray *
new_entries (void)
{
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (Entry));

  g_array_set_clear_func (entries, clear_entry);
  return entries;
}

/* A DNG of shot @number of camera @camera: its preview is the picture the
 * JPEG half of the shot shows, smaller. */
GBytes *
tc_render_dng (guint number,
               guint camera)
{
  static const guint8 dng_version[4] = { 1, 4, 0, 0 };
  static const guint8 dng_backward[4] = { 1, 1, 0, 0 };
  static const guint8 cfa_pattern[4] = { 0, 1, 1, 2 };
  static const int identity[18] = { 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1 };
  static const int neutral[6] = { 1, 1, 1, 1, 1, 1 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GArray) ifd0 = new_entries ();
  g_autoptr(GArray) raw_ifd = new_entries ();
  g_autoptr(GBytes) preview = NULL;
  gsize raw_offset, raw_length, preview_offset, ifd0_offset;

  g_byte_array_append (out, (const guint8 *) "II*\0\0\0\0\0", 8);

  /* The sensor: a gradient whose slope follows the shot's number. */
  raw_offset = out->len;
  raw_length = (gsize) RAW_WIDTH * RAW_HEIGHT * 2;
  for (guint y = 0; y < RAW_HEIGHT; y++)
    for (guint x = 0; x < RAW_WIDTH; x++)
      put16 (out, (1024 + x * 512 + (number % 16) * 64) & 0xffff);

  preview = tc_render_jpeg (PREVIEW_W, PREVIEW_H, number, camera, 85, NULL);
  preview_offset = out->len;
  g_byte_array_append (out, g_bytes_get_data (preview, NULL), g_bytes_get_size (preview));
  if (out->len % 2)
    g_byte_array_append (out, (const guint8 *) "", 1);

  add_long (raw_ifd, 254, 0);
  add_long (raw_ifd, 256, RAW_WIDTH);
  add_long (raw_ifd, 257, RAW_HEIGHT);
  add_shorts (raw_ifd, 258, 1, 16, 0, 0);
  add_shorts (raw_ifd, 259, 1, 1, 0, 0);
  add_shorts (raw_ifd, 262, 1, 32803, 0, 0);
  add_long (raw_ifd, 273, raw_offset);
  add_shorts (raw_ifd, 277, 1, 1, 0, 0);
  add_long (raw_ifd, 278, RAW_HEIGHT);
  add_long (raw_ifd, 279, raw_length);
  add_shorts (raw_ifd, 284, 1, 1, 0, 0);
  add_shorts (raw_ifd, 33421, 2, 2, 2, 0);
  add_bytes (raw_ifd, 33422, 4, cfa_pattern);
  add_long (raw_ifd, 50717, 65535);

  add_long (ifd0, 254, 1);
  add_long (ifd0, 256, PREVIEW_W);
  add_long (ifd0, 257, PREVIEW_H);
  add_shorts (ifd0, 258, 3, 8, 8, 8);
  add_shorts (ifd0, 259, 1, 7, 0, 0);
  add_shorts (ifd0, 262, 1, 6, 0, 0);
  add_ascii (ifd0, 271, "Capa");
  add_ascii (ifd0, 272, "Capa Test Camera");
  add_long (ifd0, 273, preview_offset);
  add_shorts (ifd0, 274, 1, 1, 0, 0);
  add_shorts (ifd0, 277, 1, 3, 0, 0);
  add_long (ifd0, 278, PREVIEW_H);
  add_long (ifd0, 279, g_bytes_get_size (preview));
  add_long (ifd0, 330, 0);   /* the sub-IFD's offset, set below */
  add_bytes (ifd0, 50706, 4, dng_version);
  add_bytes (ifd0, 50707, 4, dng_backward);
  add_ascii (ifd0, 50708, "Capa Test Camera");
  add_rationals (ifd0, 50721, 10, 9, identity);
  add_rationals (ifd0, 50728, 5, 3, neutral);
  add_shorts (ifd0, 50778, 1, 21, 0, 0);

  ifd0_offset = out->len;
  out->data[4] = ifd0_offset & 0xff;
  out->data[5] = (ifd0_offset >> 8) & 0xff;
  out->data[6] = (ifd0_offset >> 16) & 0xff;
  out->data[7] = ifd0_offset >> 24;

  for (guint i = 0; i < ifd0->len; i++)
    {
      Entry *entry = &g_array_index (ifd0, Entry, i);

      if (entry->tag == 330)
        {
          GByteArray *value = g_byte_array_new ();

          put32 (value, ifd0_offset + ifd_size (ifd0));
          g_bytes_unref (entry->value);
          entry->value = g_byte_array_free_to_bytes (value);
        }
    }
  write_ifd (out, ifd0);
  write_ifd (out, raw_ifd);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
