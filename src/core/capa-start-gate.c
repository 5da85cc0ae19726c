/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The start gate of several cameras fired together: see
 * capa-start-gate-private.h. */

#define G_LOG_DOMAIN "Capa-Tether"

#include "config.h"

#include "capa-start-gate-private.h"

/* How often a waiting member looks at its cancellable. */
#define CANCEL_POLL_US (10 * G_TIME_SPAN_MILLISECOND)

typedef enum
{
  MEMBER_EXPECTED,
  MEMBER_ARRIVED,
  MEMBER_WITHDRAWN,
} MemberState;

struct _CapaStartGate
{
  GMutex       mutex;
  GCond        cond;
  guint        n_members;
  guint        expected;      /* members neither arrived nor withdrawn */
  gboolean     open;
  MemberState *states;
  gint64      *trigger_times;
};

static void
gate_clear (gpointer data)
{
  CapaStartGate *gate = data;

  g_mutex_clear (&gate->mutex);
  g_cond_clear (&gate->cond);
  g_free (gate->states);
  g_free (gate->trigger_times);
}

CapaStartGate *
_capa_start_gate_new (guint n_members)
{
  CapaStartGate *gate = g_atomic_rc_box_new0 (CapaStartGate);

  g_mutex_init (&gate->mutex);
  g_cond_init (&gate->cond);
  gate->n_members = n_members;
  gate->expected = n_members;
  gate->open = n_members == 0;
  gate->states = g_new0 (MemberState, MAX (n_members, 1));
  gate->trigger_times = g_new (gint64, MAX (n_members, 1));
  for (guint i = 0; i < n_members; i++)
    gate->trigger_times[i] = -1;
  return gate;
}

CapaStartGate *
_capa_start_gate_ref (CapaStartGate *gate)
{
  return g_atomic_rc_box_acquire (gate);
}

void
_capa_start_gate_unref (CapaStartGate *gate)
{
  g_atomic_rc_box_release_full (gate, gate_clear);
}

/* Called with the mutex held. */
static void
leave_expected (CapaStartGate *gate,
                guint          member,
                MemberState    state)
{
  if (gate->states[member] != MEMBER_EXPECTED)
    return;
  gate->states[member] = state;
  if (--gate->expected == 0)
    {
      gate->open = TRUE;
      g_cond_broadcast (&gate->cond);
    }
}

gboolean
_capa_start_gate_pass (CapaStartGate *gate,
                       guint          member,
                       GCancellable  *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + CAPA_START_GATE_MAX_WAIT_US;
  gint64 trigger;

  g_return_val_if_fail (member < gate->n_members, FALSE);

  g_mutex_lock (&gate->mutex);
  leave_expected (gate, member, MEMBER_ARRIVED);
  while (!gate->open)
    {
      gint64 now = g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_mutex_unlock (&gate->mutex);
          return FALSE;
        }
      if (now >= deadline)
        {
          g_debug ("Start gate: member %u waited too long, opening for all", member);
          gate->open = TRUE;
          g_cond_broadcast (&gate->cond);
          break;
        }
      g_cond_wait_until (&gate->cond, &gate->mutex, MIN (deadline, now + CANCEL_POLL_US));
    }
  /* Opened by the others giving up (cancelled while queued, say): the
   * same cancellation holds this member back. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_mutex_unlock (&gate->mutex);
      return FALSE;
    }
  g_mutex_unlock (&gate->mutex);

  /* Read once released, before the (short) wait for the lock again. */
  trigger = g_get_monotonic_time ();
  g_mutex_lock (&gate->mutex);
  gate->trigger_times[member] = trigger;
  g_mutex_unlock (&gate->mutex);
  return TRUE;
}

void
_capa_start_gate_withdraw (CapaStartGate *gate,
                           guint          member)
{
  g_return_if_fail (member < gate->n_members);

  g_mutex_lock (&gate->mutex);
  leave_expected (gate, member, MEMBER_WITHDRAWN);
  g_mutex_unlock (&gate->mutex);
}

gint64
_capa_start_gate_get_trigger_time (CapaStartGate *gate,
                                   guint          member)
{
  gint64 trigger;

  g_return_val_if_fail (member < gate->n_members, -1);

  g_mutex_lock (&gate->mutex);
  trigger = gate->trigger_times[member];
  g_mutex_unlock (&gate->mutex);
  return trigger;
}
