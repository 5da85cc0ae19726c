/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <lcms2.h>

#include "capa-colour-profile.h"
#include "capa-colour-transform.h"

G_BEGIN_DECLS

/* lcms2 handles are plain pointers: give each its own cleanup name. */
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (cmsHPROFILE, cmsCloseProfile, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (cmsHTRANSFORM, cmsDeleteTransform, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (cmsContext, cmsDeleteContext, NULL)

cmsContext   _capa_colour_context_new              (void);
void         _capa_colour_clear_lcms_error         (void);
void         _capa_colour_set_error_from_lcms      (GError            **error,
                                                    CapaColourError     code,
                                                    const char         *message);

G_END_DECLS
