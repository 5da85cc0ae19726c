/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "Capa-Blocking"

#include "config.h"

#include "capa-blocking-private.h"

/*
 * Blocking twins: one mechanism for CapaCamera, CapaCameraList and
 * CapaTether.
 *
 * Each of these objects belongs to a main context, the one that was the
 * thread-default when it was made (its "object context"), and to the
 * thread that made it.  Its state changes and its signals happen while
 * the thread running them owns that context; this is what keeps the
 * object's state to one thread at a time, whichever thread calls.
 *
 * A blocking twin is its asynchronous form run to completion by
 * _capa_blocking_call():
 *
 * - When the calling thread owns the object context (a handler that the
 *   context is dispatching, such as a plugin's signal handler), or is the
 *   object's own thread and can take the context (a script with no main
 *   loop), it keeps owning the context for the whole call, pushes a new
 *   private GMainContext as its thread-default, starts the asynchronous
 *   form (whose steps then complete in the private context, on this
 *   thread) and iterates the private context alone until the result is
 *   there.  No other source of the object context, or of any other
 *   context, is dispatched meanwhile: there is no re-entrancy, and no main
 *   loop needs to run anywhere.
 *
 * - Called from another thread, it adds a source to the object context
 *   that starts the asynchronous form there, and waits for the result.
 *   The steps then run where they would for an application: on the thread
 *   running the object context.  Should nobody start it within
 *   CHECK_MS (no main loop runs the object context), the calling thread
 *   takes the context (g_main_context_acquire() succeeds only when nobody
 *   owns it), withdraws the source and runs the operation itself as
 *   above.  Once the operation has started in the object context, it ends
 *   there: a caller on another thread depends on that context being run
 *   until its call returns, as with g_main_context_invoke().  Do not wait
 *   for such a caller from inside the object context.
 *
 * The contract for a caller on another thread: the blocking twin's result
 * is its return value; the object's properties change in its context, so
 * reading them from that other thread is only safe while nobody runs the
 * context (as for any GObject used from two threads).
 *
 * An object made by such an operation must belong to the object context,
 * not to the private one: the step that makes it pushes the object context
 * as the thread-default around it (the calling thread owns it then).
 *
 * Events that a worker thread reports on its own (download progress, a
 * file added on the camera, a lost camera) are sources of the object
 * context: they are dispatched when it next runs, never inside a blocking
 * twin called from one of its handlers.
 *
 * _capa_blocking_run_in_context() is the same rule for one step: the
 * completion of an asynchronous call whose caller's context is not the
 * object context applies the object's state through it.
 */

/* How long a caller on another thread waits for the object context to
 * start its operation before it checks whether anybody runs the context. */
#define CHECK_MS 100

typedef enum {
  STEP_PENDING,     /* the source in the object context has not run */
  STEP_RUNNING,     /* claimed: by the source, or by the waiting thread */
  STEP_FINISHED,
} StepState;

typedef struct
{
  GMutex                 mutex;
  GCond                  cond;
  StepState              state;

  /* a whole operation (_capa_blocking_call) */
  GMainContext          *object_context;
  CapaBlockingStartFunc  start;
  gpointer               data;
  GAsyncResult          *result;

  /* one step (_capa_blocking_run_in_context) */
  GSourceFunc            func;
} Call;

static void
call_clear (gpointer data)
{
  Call *call = data;

  g_clear_object (&call->result);
  g_mutex_clear (&call->mutex);
  g_cond_clear (&call->cond);
}

static void
call_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, call_clear);
}

static Call *
call_new (GMainContext *object_context)
{
  Call *call = g_atomic_rc_box_new0 (Call);

  g_mutex_init (&call->mutex);
  g_cond_init (&call->cond);
  call->object_context = object_context;
  call->state = STEP_PENDING;
  return call;
}

/* Claims a pending call for the calling thread: FALSE when it was claimed
 * already. */
static gboolean
call_claim (Call *call)
{
  gboolean claimed;

  g_mutex_lock (&call->mutex);
  claimed = call->state == STEP_PENDING;
  if (claimed)
    call->state = STEP_RUNNING;
  g_mutex_unlock (&call->mutex);

  return claimed;
}

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;

  g_mutex_lock (&call->mutex);
  call->result = g_object_ref (result);
  call->state = STEP_FINISHED;
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->mutex);
  call_release (call);
}

static gboolean
call_has_result (Call *call)
{
  gboolean done;

  g_mutex_lock (&call->mutex);
  done = call->result != NULL;
  g_mutex_unlock (&call->mutex);

  return done;
}

/* The calling thread owns the object context: runs the operation in a
 * private context of its own. */
static void
run_here (Call *call)
{
  g_autoptr(GMainContext) private_context = g_main_context_new ();

  g_assert (g_main_context_is_owner (call->object_context));

  g_main_context_push_thread_default (private_context);
  call->start (call->data, on_result_cb, g_atomic_rc_box_acquire (call));
  while (!call_has_result (call))
    g_main_context_iteration (private_context, TRUE);
  g_main_context_pop_thread_default (private_context);
}

/* In the object context, on the thread running it. */
static gboolean
start_in_context_cb (gpointer data)
{
  Call *call = data;

  if (!call_claim (call))
    return G_SOURCE_REMOVE;

  if (call->func != NULL)
    {
      call->func (call->data);
      g_mutex_lock (&call->mutex);
      call->state = STEP_FINISHED;
      g_cond_broadcast (&call->cond);
      g_mutex_unlock (&call->mutex);
      return G_SOURCE_REMOVE;
    }

  /* The steps complete in the object context, even when it is not this
   * thread's default. */
  g_main_context_push_thread_default (call->object_context);
  call->start (call->data, on_result_cb, g_atomic_rc_box_acquire (call));
  g_main_context_pop_thread_default (call->object_context);

  return G_SOURCE_REMOVE;
}

/* Whether the calling thread may run the call at once, owning @context. */
static gboolean
take_context (GMainContext *context,
              GThread      *thread)
{
  if (g_main_context_is_owner (context))
    return g_main_context_acquire (context);

  return g_thread_self () == thread && g_main_context_acquire (context);
}

static void
run_claimed (Call *call)
{
  if (call->func != NULL)
    call->func (call->data);
  else
    run_here (call);
}

/* Another thread owns the object context: hands the call over to it and
 * waits, or takes the context over should nobody run it. */
static void
run_from_other_thread (Call *call)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[capa] blocking call");
  g_source_set_callback (source, start_in_context_cb, g_atomic_rc_box_acquire (call),
                         call_release);
  g_source_attach (source, call->object_context);

  g_mutex_lock (&call->mutex);
  while (call->state != STEP_FINISHED)
    {
      gint64 end_time;

      if (call->state == STEP_RUNNING)
        {
          g_cond_wait (&call->cond, &call->mutex);
          continue;
        }

      end_time = g_get_monotonic_time () + CHECK_MS * G_TIME_SPAN_MILLISECOND;
      if (g_cond_wait_until (&call->cond, &call->mutex, end_time) ||
          call->state != STEP_PENDING)
        continue;

      /* Still not started: a busy main loop owns its context, so this
       * fails and the wait goes on; nobody owns it when nobody runs it. */
      if (!g_main_context_acquire (call->object_context))
        continue;

      g_debug ("Nobody runs the object's main context: running a blocking call on this thread");
      call->state = STEP_RUNNING;
      g_mutex_unlock (&call->mutex);
      g_source_destroy (source);
      run_claimed (call);
      g_main_context_release (call->object_context);
      g_mutex_lock (&call->mutex);
      call->state = STEP_FINISHED;
    }
  g_mutex_unlock (&call->mutex);

  g_source_destroy (source);
}

/**
 * _capa_blocking_call:
 * @object_context: the main context the object belongs to
 * @object_thread: the thread that made the object
 * @start: starts the operation's asynchronous form
 * @data: data for @start
 *
 * Runs the asynchronous operation that @start begins to completion and
 * returns its result; see the comment at the top of this file.
 *
 * Returns: (transfer full): the result, for the operation's _finish function
 */
GAsyncResult *
_capa_blocking_call (GMainContext          *object_context,
                     GThread               *object_thread,
                     CapaBlockingStartFunc  start,
                     gpointer               data)
{
  Call *call = call_new (object_context);
  GAsyncResult *result;

  call->start = start;
  call->data = data;

  if (take_context (object_context, object_thread))
    {
      call->state = STEP_RUNNING;
      run_here (call);
      g_main_context_release (object_context);
    }
  else
    run_from_other_thread (call);

  g_assert (call->result != NULL);
  result = g_steal_pointer (&call->result);
  call_release (call);

  return result;
}

/**
 * _capa_blocking_run_in_context:
 * @context: the main context the object belongs to
 * @thread: the thread that made the object
 * @func: applies the object's state; its return value is ignored
 * @data: data for @func
 *
 * Runs @func as the owner of @context and returns once it ran.
 */
void
_capa_blocking_run_in_context (GMainContext *context,
                               GThread      *thread,
                               GSourceFunc   func,
                               gpointer      data)
{
  Call *call;

  if (take_context (context, thread))
    {
      func (data);
      g_main_context_release (context);
      return;
    }

  call = call_new (context);
  call->func = func;
  call->data = data;
  run_from_other_thread (call);
  call_release (call);
}
