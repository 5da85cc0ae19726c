/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What bench-view and bench-shutter share: the 24 MP test JPEG and
 * bench-display's floor for showing it (libjpeg-turbo at scale 1/2 from
 * memory, bilinear to the window, lcms2 to the monitor profile, one thread). */

#pragma once

#include <capa.h>

#define SOURCE_WIDTH  6000
#define SOURCE_HEIGHT 4000
#define WINDOW_WIDTH  1920
#define WINDOW_HEIGHT 1080

void bench_write_source_jpeg  (const char        *path);
/* The same picture at another size: a photo-like JPEG, quality 90, EXIF. */
void bench_write_jpeg         (const char        *path,
                               int                width,
                               int                height);
void bench_setup_floor_colour (CapaColourProfile *monitor_profile);
void bench_clear_floor_colour (void);
void bench_decode_floor       (const char        *path);
