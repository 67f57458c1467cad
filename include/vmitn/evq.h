/* evq.h — the event core: a queue of pending events keyed by (time, sequence) — a d-ary
 * heap or a ladder queue — and the scheduler that runs them.  Knows nothing of networks
 * or worms.
 *
 * Time is simulated integer nanoseconds.  Events with equal times run in the order
 * they were scheduled (FIFO), on every machine.  Cancellation is lazy: a cancelled
 * event stays in the heap and is skipped when it comes to the top.  Event records live
 * in a pool that grows by doubling and is reused, so scheduling allocates nothing in
 * steady state. */
#ifndef VMITN_EVQ_H
#define VMITN_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t vmitn_time;
#define VMITN_NS ((vmitn_time)1)
#define VMITN_MS ((vmitn_time)1000000)
#define VMITN_S ((vmitn_time)1000000000)
#define VMITN_TIME_MAX INT64_MAX

static inline vmitn_time vmitn_secs(double s) { return (vmitn_time)(s * 1e9 + (s >= 0 ? 0.5 : -0.5)); }
static inline double vmitn_to_secs(vmitn_time t) { return (double)t * 1e-9; }

typedef struct vmitn_sched vmitn_sched;
typedef void (*vmitn_ev_fn)(vmitn_sched *s, void *ctx, uint64_t arg);

/* Names one scheduled event, for cancellation.  0 is never a valid handle. */
typedef uint64_t vmitn_ev;

/* The queue: arity 2, 4 or 8 for a d-ary heap, or VMITN_SCHED_LADDER for a ladder queue
 * (Tang, Goh & Thng 2005; O(1) amortized per event).  Both run events in exactly the
 * same order; which is faster is measured by `vmitn bench` (docs/MODEL.md 1). */
#define VMITN_SCHED_LADDER 1u
vmitn_sched *vmitn_sched_new(unsigned arity);
void vmitn_sched_free(vmitn_sched *s);

/* At most 2^24 events are pending at once (a slot takes 24 bits of the key); one more ends
 * the run with a message (vmitn_too_big), never an assertion.  vmitn_sched_limit lowers
 * that bound, for tests. */
#define VMITN_SCHED_MAX_PENDING (1u << 24)
void vmitn_sched_limit(vmitn_sched *s, uint32_t max_pending);

/* Schedules fn(s, ctx, arg) at absolute time t >= now.  Never fails (aborts on OOM). */
vmitn_ev vmitn_sched_at(vmitn_sched *s, vmitn_time t, vmitn_ev_fn fn, void *ctx, uint64_t arg);
vmitn_ev vmitn_sched_after(vmitn_sched *s, vmitn_time dt, vmitn_ev_fn fn, void *ctx, uint64_t arg);

/* From inside a handler that vmitn_sched_run called, at most once: schedules the running
 * event again (the same handler, context and argument) at now + dt, dt >= 0.  The same as
 * vmitn_sched_after(s, dt, fn, ctx, arg) called at that moment (the same place in the
 * order), but the event's record is reused, not freed and taken again.  The running
 * event's old handle stays stale, and no new one is returned (that would cost the common
 * push a register: an event to be cancelled is pushed with vmitn_sched_after). */
void vmitn_sched_again(vmitn_sched *s, vmitn_time dt);

/* Cancels a pending event; false if it already ran or was cancelled. */
bool vmitn_sched_cancel(vmitn_sched *s, vmitn_ev ev);

/* Runs events in (time, sequence) order until a handler calls vmitn_sched_stop, or
 * until no event is left at or before `until`; in that case now becomes `until` (pass
 * VMITN_TIME_MAX to run until the queue is empty).  Returns the number of events run. */
uint64_t vmitn_sched_run(vmitn_sched *s, vmitn_time until);
void vmitn_sched_stop(vmitn_sched *s);

vmitn_time vmitn_sched_now(const vmitn_sched *s);
size_t vmitn_sched_pending(const vmitn_sched *s); /* includes lazily cancelled events */

/* A hint for the events of handler fn: touch(ctx, arg) asks the memory for what the
 * handler will read first (__builtin_prefetch), and the scheduler calls it while the event
 * before runs.  It must change nothing but speed: the same events run in the same order.
 * At most VMITN_SCHED_NTOUCH handlers; registering one again replaces its hint.  Only the
 * ladder calls them (its Bottom is sorted: the next event is known). */
#define VMITN_SCHED_NTOUCH 4
typedef void (*vmitn_touch_fn)(void *ctx, uint64_t arg);
void vmitn_sched_touch(vmitn_sched *s, vmitn_ev_fn fn, vmitn_touch_fn touch);

/* Events the ladder has copied into new rungs so far (for tests: each event is copied a
 * bounded number of times before it runs); 0 for the heaps. */
uint64_t vmitn_sched_moves(const vmitn_sched *s);

/* Low-level pop for tests and benchmarks: removes the next live event without running
 * it; returns false when empty.  Sets now to its time. */
bool vmitn_sched_pop(vmitn_sched *s, vmitn_time *t, vmitn_ev_fn *fn, void **ctx, uint64_t *arg);

#endif
