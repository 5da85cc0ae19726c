/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gphoto2/gphoto2.h>

#include "fuzz-common.h"

G_BEGIN_DECLS

/* A widget and its children from @in (depth 0 for the root): a type byte,
 * label, name and info strings, a flags byte (bit 0: set the name; 1:
 * read-only; 2: thousands of made-up choices; 3: set the value; 7: a type
 * that is none of libgphoto2's), then what the type needs: the number of
 * children and the children, four floats of a range (min, max, step,
 * value), choices and a value, a text, a number.  NULL when libgphoto2
 * refuses it; free with gp_widget_free(). */
CameraWidget *capa_fuzz_build_widget (CapaFuzzInput *in,
                                      guint          depth,
                                      guint         *n_widgets);

G_END_DECLS
