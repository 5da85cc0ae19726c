/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa"

#include "config.h"

#include <gphoto2/gphoto2-port-log.h>

#include "capa-debug.h"
#include "capa-version.h"

static int gphoto_log_id = -1;
static gboolean debug_enabled;

static void
on_gphoto_log_cb (GPLogLevel  level,
                  const char *domain,
                  const char *str,
                  void       *data)
{
  g_log_structured ("Capa-Gphoto2", G_LOG_LEVEL_DEBUG,
                    "GPHOTO2_DOMAIN", domain ? domain : "",
                    "MESSAGE", "%s: %s", domain ? domain : "gphoto2", str);
}

/**
 * capa_debug_set_enabled:
 * @enabled: whether to log debugging output
 *
 * Turns verbose logging on or off for Capa and for libgphoto2.
 *
 * When enabled, debug messages of every log domain are printed (as if
 * `G_MESSAGES_DEBUG=all` were set), and libgphoto2's own log is forwarded
 * to GLib's log under the domain `Capa-Gphoto2`. This is what
 * `capa --debug` does.
 */
void
capa_debug_set_enabled (gboolean enabled)
{
  enabled = !!enabled;
  if (debug_enabled == enabled)
    return;

  debug_enabled = enabled;
  g_log_set_debug_enabled (enabled);

  if (enabled && gphoto_log_id < 0)
    gphoto_log_id = gp_log_add_func (GP_LOG_DEBUG, on_gphoto_log_cb, NULL);
  else if (!enabled && gphoto_log_id >= 0)
    {
      gp_log_remove_func (gphoto_log_id);
      gphoto_log_id = -1;
    }

  g_debug ("Debug logging %s", enabled ? "enabled" : "disabled");
}

/**
 * capa_debug_get_enabled:
 *
 * Returns: whether verbose logging was turned on with
 *   [func@Capa.debug_set_enabled]
 */
gboolean
capa_debug_get_enabled (void)
{
  return debug_enabled;
}

/**
 * capa_get_version:
 *
 * Returns the version of libcapa in use at run time, which may differ from
 * %CAPA_VERSION_S, the one a program was compiled against.
 *
 * Returns: (transfer none): the version, such as "0.1.0"
 */
const char *
capa_get_version (void)
{
  return CAPA_VERSION_S;
}
