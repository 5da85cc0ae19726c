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

guint        _capa_colour_transform_get_n_created  (void);
void         _capa_colour_transform_clear_cache    (void);

/* For tests: how many transforms the cache holds, how many threads wait
 * for another one to build the transform they asked for, and a function
 * called on the building thread (without any lock held) just before a
 * transform is built. */
typedef void (*CapaColourTransformBuildHook) (CapaColourProfile   *source,
                                              CapaColourProfile   *destination,
                                              CapaRenderingIntent  intent,
                                              gpointer             user_data);

guint        _capa_colour_transform_get_n_cached   (void);
guint        _capa_colour_transform_get_n_waiting  (void);
void         _capa_colour_transform_set_build_hook (CapaColourTransformBuildHook hook,
                                                    gpointer                     user_data);

G_END_DECLS
