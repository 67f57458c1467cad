/* test_sched.c — the event core: order against a sorted reference, FIFO ties, lazy
 * cancel, run horizons, stop; the ladder queue against the heap, event for event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "vmitn/evq.h"
#include "vmitn/rng.h"
#include "testlib.h"

typedef struct ref {
    vmitn_time t;
    uint64_t seq;
    bool cancelled;
    vmitn_ev ev;
} ref;

static int by_key(const void *a, const void *b)
{
    const ref *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void nop(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    (void)ctx;
    (void)arg;
}

/* Random interleavings of push, pop and cancel against a sorted reference: every pop
 * returns the smallest live (time, sequence), ties in insertion order. */
static void run_against_reference(unsigned arity, uint64_t seed)
{
    vmitn_rng *r = vmitn_rng_new(seed, 0, VMITN_STREAM(VMITN_STREAM_TEST, 0));
    vmitn_sched *s = vmitn_sched_new(arity);
    enum { N = 20000 };
    ref *refs = calloc(N, sizeof *refs);
    size_t nref = 0;
    uint64_t seq = 0;
    vmitn_time now = 0;
    for (int step = 0; step < 60000; step++) {
        double u = vmitn_rng_uniform(r);
        if (u < 0.5 && nref < N) {
            /* few distinct times, so ties are common */
            vmitn_time t = now + (vmitn_time)vmitn_rng_below(r, 50);
            refs[nref] = (ref){t, seq, false, 0};
            refs[nref].ev = vmitn_sched_at(s, t, nop, NULL, seq);
            seq++;
            nref++;
        } else if (u < 0.6 && nref > 0) {
            size_t k = vmitn_rng_below(r, nref);
            bool ok = vmitn_sched_cancel(s, refs[k].ev);
            assert_int_equal(ok, !refs[k].cancelled);
            refs[k].cancelled = true;
        } else {
            /* expected: the smallest live reference */
            size_t best = SIZE_MAX;
            for (size_t k = 0; k < nref; k++)
                if (!refs[k].cancelled && (best == SIZE_MAX || by_key(&refs[k], &refs[best]) < 0))
                    best = k;
            vmitn_time t;
            vmitn_ev_fn fn;
            void *ctx;
            uint64_t arg;
            bool got = vmitn_sched_pop(s, &t, &fn, &ctx, &arg);
            if (best == SIZE_MAX) {
                assert_false(got);
                continue;
            }
            assert_true(got);
            assert_int_equal(t, refs[best].t);
            assert_int_equal(arg, refs[best].seq);
            assert_false(vmitn_sched_cancel(s, refs[best].ev)); /* it ran: stale handle */
            now = t;
            refs[best] = refs[--nref];
        }
    }
    free(refs);
    vmitn_sched_free(s);
    vmitn_rng_free(r);
}

static void test_sched_order_binary(void **state)
{
    (void)state;
    run_against_reference(2, 11);
}

static void test_sched_order_4ary(void **state)
{
    (void)state;
    run_against_reference(4, 12);
}

static void test_sched_order_ladder(void **state)
{
    (void)state;
    run_against_reference(VMITN_SCHED_LADDER, 13);
}

/* The ladder queue against the 4-ary heap: the same pushes, cancels and pops, in workloads
 * chosen to exercise every path of the ladder (many ties, heavy-tailed and clustered
 * times, far-future events that wait in Top, bursts into the range being drained that
 * overflow Bottom, long runs of events at one time that cannot be split), must pop the
 * same events at the same times in the same order. */
typedef struct eqrun {
    vmitn_sched *s;
    vmitn_rng r;           /* one stream per queue, seeded alike: the same decisions */
    uint64_t *log;
    size_t nlog, caplog;
    vmitn_ev *live;
    size_t nlive;
    unsigned mode;
    uint64_t next_id;
    uint64_t touched; /* hints called (the ladder's run has one: it must change nothing) */
    int rearm;        /* 0: no event re-arms itself; 1: by a new push (vmitn_sched_after with
                       * its own handler and argument); 2: by vmitn_sched_again */
    uint64_t rearms;
} eqrun;

static vmitn_time eq_delay(eqrun *e)
{
    double u = vmitn_rng_uniform(&e->r);
    switch (e->mode) {
    case 0: /* few distinct delays: ties everywhere */
        return (vmitn_time)vmitn_rng_below(&e->r, 4) * 1000;
    case 1: /* exponential with a far tail */
        return u < 0.01 ? (vmitn_time)vmitn_rng_below(&e->r, 1000000000) : 1 + vmitn_secs(vmitn_rng_exp(&e->r, 1e-4));
    case 2: /* clusters: a burst at one instant, or a periodic tick */
        return u < 0.3 ? 0 : u < 0.6 ? 777 : (vmitn_time)vmitn_rng_below(&e->r, 100000);
    default: /* mixed scales: ns to seconds */
        return (vmitn_time)vmitn_rng_below(&e->r, (uint64_t)1 << (vmitn_rng_below(&e->r, 34)));
    }
}

static void eq_log(eqrun *e, uint64_t v)
{
    if (e->nlog == e->caplog) {
        e->caplog = e->caplog ? 2 * e->caplog : 4096;
        e->log = realloc(e->log, e->caplog * sizeof *e->log);
    }
    e->log[e->nlog++] = v;
}

static void eq_push(eqrun *e);
static void eq_keep(eqrun *e, vmitn_ev ev);
static void eq_fire(vmitn_sched *s, void *ctx, uint64_t arg);

/* The running event (argument arg) schedules itself again (its new handle is not kept:
 * vmitn_sched_again returns none; its old one may be, and must not cancel it). */
static void eq_rearm(eqrun *e, uint64_t arg)
{
    vmitn_time d = eq_delay(e);
    e->rearms++;
    if (e->rearm == 2)
        vmitn_sched_again(e->s, d);
    else
        vmitn_sched_after(e->s, d, eq_fire, e, arg);
}

static void eq_fire(vmitn_sched *s, void *ctx, uint64_t arg)
{
    eqrun *e = ctx;
    eq_log(e, (uint64_t)vmitn_sched_now(s));
    eq_log(e, arg);
    /* each event schedules 0, 1 or 2 more, and sometimes cancels a pending one; with
     * rearm, half the events also schedule themselves again, before, between or after
     * their other pushes */
    unsigned k = (unsigned)vmitn_rng_below(&e->r, 8);
    unsigned pushes = k < 3 ? 2 : k < 7 ? 1 : 0;
    unsigned at = UINT32_MAX;
    if (e->rearm && vmitn_rng_below(&e->r, 2) == 0 && e->rearms < 60000)
        at = (unsigned)vmitn_rng_below(&e->r, pushes + 1);
    for (unsigned i = 0; i <= pushes; i++) {
        if (i == at)
            eq_rearm(e, arg);
        if (i < pushes && e->next_id < 150000)
            eq_push(e);
    }
    if (vmitn_rng_below(&e->r, 10) == 0 && e->nlive > 0) {
        size_t j = vmitn_rng_below(&e->r, e->nlive);
        eq_log(e, vmitn_sched_cancel(s, e->live[j]));
        e->live[j] = e->live[--e->nlive];
    }
}

static void eq_push(eqrun *e) { eq_keep(e, vmitn_sched_after(e->s, eq_delay(e), eq_fire, e, e->next_id++)); }

/* A handle to cancel later (it may name an event that has run by then: the cancel must
 * fail). */
static void eq_keep(eqrun *e, vmitn_ev ev)
{
    if (e->nlive < 1024)
        e->live[e->nlive++] = ev;
    else
        e->live[vmitn_rng_below(&e->r, 1024)] = ev;
}

static void eq_touch(void *ctx, uint64_t arg)
{
    eqrun *e = ctx;
    e->touched += arg < e->next_id; /* the argument of a scheduled event */
}

static void eq_run(eqrun *e, unsigned queue, unsigned mode, uint64_t seed, size_t start, int rearm)
{
    *e = (eqrun){.s = vmitn_sched_new(queue), .mode = mode, .live = malloc(1024 * sizeof(vmitn_ev)), .rearm = rearm};
    if (queue == VMITN_SCHED_LADDER)
        vmitn_sched_touch(e->s, eq_fire, eq_touch);
    vmitn_rng_seed(&e->r, seed, mode, VMITN_STREAM(VMITN_STREAM_TEST, 9));
    for (size_t i = 0; i < start; i++)
        eq_push(e);
    /* in slices, so that horizons and the peek at the next time are exercised too */
    for (vmitn_time until = 1000; vmitn_sched_pending(e->s) > 0; until = until * 3 + 7)
        eq_log(e, vmitn_sched_run(e->s, until));
    vmitn_sched_free(e->s);
    free(e->live);
}

static void test_sched_ladder_equals_heap(void **state)
{
    (void)state;
    const size_t starts[] = {1, 100, 5000, 40000};
    for (unsigned mode = 0; mode < 4; mode++)
        for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
            eqrun a, b;
            eq_run(&a, 4, mode, 100 + k, starts[k], 0);
            eq_run(&b, VMITN_SCHED_LADDER, mode, 100 + k, starts[k], 0);
            assert_true(a.nlog > 2 * starts[k]);
            assert_int_equal(a.nlog, b.nlog);
            assert_true(starts[k] < 100 || b.touched > 0);
            for (size_t i = 0; i < a.nlog; i++)
                if (a.log[i] != b.log[i])
                    fail_msg("mode %u, %zu to start: entry %zu differs (heap %llu, ladder %llu)", mode, starts[k], i,
                             (unsigned long long)a.log[i], (unsigned long long)b.log[i]);
            free(a.log);
            free(b.log);
        }
}

/* vmitn_sched_again: an event that re-arms itself runs exactly as if its handler had
 * pushed a new event with its own handler and argument at that moment (the same order
 * among the other pushes, cancels of pending and of already-run events, horizons), in
 * every queue; and the ladder with re-arming equals the heap with pushes. */
static void eq_same(const eqrun *a, const eqrun *b, const char *what, unsigned mode, size_t start)
{
    assert_int_equal(a->nlog, b->nlog);
    for (size_t i = 0; i < a->nlog; i++)
        if (a->log[i] != b->log[i])
            fail_msg("%s, mode %u, %zu to start: entry %zu differs (%llu, %llu)", what, mode, start, i,
                     (unsigned long long)a->log[i], (unsigned long long)b->log[i]);
}

static void test_sched_again_equals_push(void **state)
{
    (void)state;
    const size_t starts[] = {1, 100, 5000};
    const unsigned queues[] = {2, 4, 8, VMITN_SCHED_LADDER};
    for (unsigned mode = 0; mode < 4; mode++)
        for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
            eqrun ref;
            eq_run(&ref, 4, mode, 200 + k, starts[k], 1);
            assert_true(ref.rearms > 1000);
            for (size_t q = 0; q < sizeof queues / sizeof queues[0]; q++) {
                eqrun a;
                eq_run(&a, queues[q], mode, 200 + k, starts[k], 2);
                assert_int_equal(a.rearms, ref.rearms);
                eq_same(&ref, &a, queues[q] == VMITN_SCHED_LADDER ? "ladder" : "heap", mode, starts[k]);
                free(a.log);
            }
            free(ref.log);
        }
}

/* A push from a handler that finds every record in use takes the running event's (the
 * pool holds no more records than if the event had been freed when it started): a
 * re-arm after it still works (the pool grows), and at the bound the pushes that fit
 * are the same as before there was vmitn_sched_again. */
typedef struct fullrun {
    uint64_t seen[8]; /* the events of argument 0 and 100 */
    int n;
    bool rearm; /* the first run of event 0 re-arms it */
} fullrun;

static void full_first(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    fullrun *f = ctx;
    if (arg != 0 && arg != 100)
        return;
    if (f->n < 8)
        f->seen[f->n++] = arg;
    if (arg != 0)
        return;
    vmitn_sched_after(s, 0, full_first, f, 100);
    if (f->rearm) {
        f->rearm = false;
        vmitn_sched_again(s, 0);
    }
}

static void test_sched_again_when_pool_full(void **state)
{
    unsigned q = state && *state ? VMITN_SCHED_LADDER : 4;
    /* 1024 pending fill the first pool; the first pushes one, then re-arms */
    vmitn_sched *s = vmitn_sched_new(q);
    fullrun f = {.rearm = true};
    for (uint64_t i = 0; i < 1024; i++)
        vmitn_sched_at(s, (vmitn_time)(i == 0 ? 0 : 1), full_first, &f, i);
    assert_int_equal(vmitn_sched_run(s, 0), 4);
    const uint64_t want[] = {0, 100, 0, 100}; /* 0 pushes 100 and re-arms; 0 again pushes 100 */
    assert_int_equal(f.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(f.seen[i], want[i]);
    assert_int_equal(vmitn_sched_pending(s), 1023);
    assert_int_equal(vmitn_sched_run(s, VMITN_TIME_MAX), 1023);
    vmitn_sched_free(s);
    /* at a bound of 1000 with 1000 pending, the first may push one more (its own record) */
    s = vmitn_sched_new(q);
    vmitn_sched_limit(s, 1000);
    f = (fullrun){.rearm = false};
    for (uint64_t i = 0; i < 1000; i++)
        vmitn_sched_at(s, (vmitn_time)i, full_first, &f, i);
    assert_int_equal(vmitn_sched_run(s, VMITN_TIME_MAX), 1001);
    vmitn_sched_free(s);
}

/* Touch hints: as an event starts, the hint of the event after it is called (with that
 * event's context and argument) when the ladder knows it; events of handlers without a
 * hint, and the heap, call none; the events run as without hints. */
typedef struct touchlog {
    uint64_t v[32];
    int n;
} touchlog;

static void touch_log(void *ctx, uint64_t arg)
{
    touchlog *l = ctx;
    l->v[l->n++] = arg;
}

static void ran_log(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    touchlog *l = ctx;
    l->v[l->n++] = 1000 + arg;
}

static void test_sched_touch_hints_the_next_event(void **state)
{
    (void)state;
    static const uint64_t want_ladder[] = {1, 1000, 1001, 2, 3, 1002, 4, 1003, 1004};
    static const uint64_t want_heap[] = {1000, 1001, 1002, 1003, 1004};
    for (int ladder_q = 0; ladder_q < 2; ladder_q++) {
        vmitn_sched *s = vmitn_sched_new(ladder_q ? VMITN_SCHED_LADDER : 4);
        touchlog l = {.n = 0};
        vmitn_sched_touch(s, ran_log, touch_log);
        vmitn_sched_touch(s, ran_log, touch_log); /* again: replaces, does not add */
        for (uint64_t i = 0; i < 5; i++)
            vmitn_sched_at(s, 10 * (vmitn_time)(i + 1), ran_log, &l, i);
        vmitn_sched_at(s, 25, nop, &l, 99); /* no hint for it: none called */
        assert_int_equal(vmitn_sched_run(s, VMITN_TIME_MAX), 6);
        const uint64_t *want = ladder_q ? want_ladder : want_heap;
        int nwant = ladder_q ? 9 : 5;
        assert_int_equal(l.n, nwant);
        for (int i = 0; i < nwant; i++)
            assert_int_equal(l.v[i], want[i]);
        vmitn_sched_free(s);
    }
}

typedef struct trace {
    uint64_t seen[16];
    int n;
    vmitn_time at[16];
} trace;

static void record(vmitn_sched *s, void *ctx, uint64_t arg)
{
    trace *tr = ctx;
    tr->at[tr->n] = vmitn_sched_now(s);
    tr->seen[tr->n++] = arg;
}

/* Bursts: every 10 ms, N events at one instant, each scheduling one more within the next
 * 5 ms (as every AGENT's periodic report).  The ladder splits a large bucket into a finer
 * rung; it must never take several buckets whose union rebuilds the rung they came from,
 * which copied each event 4 times on this workload (about once now). */
typedef struct burst {
    uint64_t seed;
    unsigned left; /* periods still to go */
} burst;

static void burst_tick(vmitn_sched *s, void *ctx, uint64_t arg);

static void burst_one(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    (void)ctx;
    (void)arg;
}

static void burst_tick(vmitn_sched *s, void *ctx, uint64_t arg)
{
    burst *b = ctx;
    b->seed = b->seed * 6364136223846793005u + 1442695040888963407u;
    vmitn_sched_after(s, (vmitn_time)(b->seed >> 33) % (5 * VMITN_MS), burst_one, b, arg);
    if (arg == 0 && --b->left == 0)
        return;
    if (b->left > 0)
        vmitn_sched_after(s, 10 * VMITN_MS, burst_tick, b, arg);
}

static void test_sched_ladder_bursts_move_events_boundedly(void **state)
{
    (void)state;
    const unsigned n = 20000, periods = 20;
    vmitn_sched *s = vmitn_sched_new(VMITN_SCHED_LADDER);
    burst b = {.seed = 7, .left = periods};
    for (unsigned i = n; i-- > 0;) /* tick 0 last: it counts the periods */
        vmitn_sched_at(s, 0, burst_tick, &b, i);
    uint64_t ran = vmitn_sched_run(s, VMITN_TIME_MAX);
    assert_true(ran > (uint64_t)n * periods);
    uint64_t moves = vmitn_sched_moves(s);
    if (moves > 2 * ran)
        fail_msg("%llu events copied into rungs for %llu run", (unsigned long long)moves, (unsigned long long)ran);
    vmitn_sched_free(s);
}

/* Bottom after some pops has room before its head; a push earlier than all of it goes
 * there (position 0: the keys before it, none, move down).  The fuzzed replay that
 * found this path computed the slot as bot + head + (0 - 1) (an unsigned wrap). */
static void test_sched_ladder_push_before_bottom(void **state)
{
    (void)state;
    vmitn_sched *s = vmitn_sched_new(VMITN_SCHED_LADDER);
    trace tr = {0};
    for (uint64_t i = 0; i < 8; i++)
        vmitn_sched_at(s, (vmitn_time)(10 * (i + 1)), record, &tr, i);
    vmitn_time t;
    vmitn_ev_fn fn;
    void *ctx;
    uint64_t arg;
    assert_true(vmitn_sched_pop(s, &t, &fn, &ctx, &arg) && t == 10 && arg == 0);
    vmitn_sched_at(s, 15, record, &tr, 100); /* before 20, the first left */
    assert_int_equal(vmitn_sched_run(s, VMITN_TIME_MAX), 8);
    static const uint64_t want[] = {100, 1, 2, 3, 4, 5, 6, 7};
    for (int i = 0; i < 8; i++)
        assert_int_equal(tr.seen[i], want[i]);
    vmitn_sched_free(s);
}

static void test_sched_fifo_ties(void **state)
{
    unsigned q = state && *state ? VMITN_SCHED_LADDER : 4;
    vmitn_sched *s = vmitn_sched_new(q);
    trace tr = {0};
    for (uint64_t i = 0; i < 10; i++)
        vmitn_sched_at(s, 5, record, &tr, i);
    assert_int_equal(vmitn_sched_run(s, VMITN_TIME_MAX), 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(tr.seen[i], (uint64_t)i);
    vmitn_sched_free(s);
}

static void stopper(vmitn_sched *s, void *ctx, uint64_t arg)
{
    record(s, ctx, arg);
    vmitn_sched_stop(s);
}

static void test_sched_horizon_and_stop(void **state)
{
    unsigned q = state && *state ? VMITN_SCHED_LADDER : 4;
    vmitn_sched *s = vmitn_sched_new(q);
    trace tr = {0};
    vmitn_sched_at(s, 10, record, &tr, 1);
    vmitn_sched_at(s, 20, stopper, &tr, 2);
    vmitn_sched_at(s, 30, record, &tr, 3);
    vmitn_ev c = vmitn_sched_at(s, 15, record, &tr, 99);
    assert_true(vmitn_sched_cancel(s, c));
    assert_false(vmitn_sched_cancel(s, c));
    /* horizon: events at or before 12 run; now becomes 12 */
    assert_int_equal(vmitn_sched_run(s, 12), 1);
    assert_int_equal(vmitn_sched_now(s), 12);
    /* a handler stops the run; the cancelled event at 15 never runs */
    assert_int_equal(vmitn_sched_run(s, 100), 1);
    assert_int_equal(vmitn_sched_now(s), 20);
    assert_int_equal(vmitn_sched_run(s, 100), 1);
    assert_int_equal(tr.n, 3);
    assert_int_equal(tr.seen[2], 3);
    assert_int_equal(tr.at[2], 30);
    assert_int_equal(vmitn_sched_now(s), 100);
    vmitn_sched_free(s);
}

/* Handlers may schedule at `now`: such an event runs after every event already due now. */
static void chain(vmitn_sched *s, void *ctx, uint64_t arg)
{
    record(s, ctx, arg);
    if (arg < 3)
        vmitn_sched_after(s, 0, chain, ctx, arg + 10);
}

static void test_sched_schedule_now_from_handler(void **state)
{
    unsigned q = state && *state ? VMITN_SCHED_LADDER : 2;
    vmitn_sched *s = vmitn_sched_new(q);
    trace tr = {0};
    vmitn_sched_at(s, 1, chain, &tr, 1);
    vmitn_sched_at(s, 1, chain, &tr, 2);
    vmitn_sched_run(s, VMITN_TIME_MAX);
    uint64_t want[] = {1, 2, 11, 12};
    assert_int_equal(tr.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(tr.seen[i], want[i]);
    vmitn_sched_free(s);
}

/* More pending events than 2^20 (where the record pool stops doubling and grows by a
 * quarter at a time: an outbreak of 10^7 hosts has a hit pending for nearly each): every
 * one runs, in (time, insertion) order. */
typedef struct many {
    vmitn_time last;
    uint64_t last_arg, n;
    bool ok;
} many;

static void check_many(vmitn_sched *s, void *ctx, uint64_t arg)
{
    many *m = ctx;
    vmitn_time t = vmitn_sched_now(s);
    if (m->n > 0 && (t < m->last || (t == m->last && arg <= m->last_arg)))
        m->ok = false;
    m->last = t;
    m->last_arg = arg;
    m->n++;
}

static void test_sched_past_2_20_pending(void **state)
{
    unsigned q = state && *state ? VMITN_SCHED_LADDER : 4;
    vmitn_sched *s = vmitn_sched_new(q);
    enum { N = 1300000 };
    many m = {.ok = true};
    uint64_t x = 88172645463325252u;
    for (uint64_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        vmitn_sched_at(s, (vmitn_time)(x % 100000), check_many, &m, i);
    }
    assert_int_equal(vmitn_sched_run(s, VMITN_TIME_MAX), N);
    assert_int_equal(m.n, N);
    assert_true(m.ok);
    vmitn_sched_free(s);
}

static void noop(vmitn_sched *s, void *ctx, uint64_t arg) { (void)s, (void)ctx, (void)arg; }

/* One event past the queue's capacity ends the process with a message and exit 1 (as out of
 * memory does), never an assertion: the number of pending events grows with the input. */
static void fill_past_limit(void *ctx)
{
    vmitn_sched *s = vmitn_sched_new(*(unsigned *)ctx);
    vmitn_sched_limit(s, 1000);
    for (uint64_t i = 0; i < 1000; i++)
        vmitn_sched_at(s, (vmitn_time)i, noop, NULL, i);
    fputs("1000 fit\n", stderr);
    vmitn_sched_at(s, 5, noop, NULL, 0);
}

static void test_sched_full_queue_is_a_message(void **state)
{
    unsigned q = state && *state ? VMITN_SCHED_LADDER : 4;
    char msg[512];
    assert_int_equal(child_exit(fill_past_limit, &q, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "1000 fit\n"));
    assert_non_null(strstr(msg, "vmitn: more than 1000 events pending at once: the model is too big for vmitn"));
}

static int ladder = 1;

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sched_order_binary),
        cmocka_unit_test(test_sched_order_4ary),
        cmocka_unit_test(test_sched_order_ladder),
        cmocka_unit_test(test_sched_ladder_equals_heap),
        cmocka_unit_test(test_sched_again_equals_push),
        cmocka_unit_test(test_sched_again_when_pool_full),
        cmocka_unit_test_prestate(test_sched_again_when_pool_full, &ladder),
        cmocka_unit_test(test_sched_touch_hints_the_next_event),
        cmocka_unit_test(test_sched_fifo_ties),
        cmocka_unit_test(test_sched_horizon_and_stop),
        cmocka_unit_test(test_sched_schedule_now_from_handler),
        cmocka_unit_test(test_sched_ladder_bursts_move_events_boundedly),
        cmocka_unit_test(test_sched_ladder_push_before_bottom),
        cmocka_unit_test_prestate(test_sched_fifo_ties, &ladder),
        cmocka_unit_test_prestate(test_sched_horizon_and_stop, &ladder),
        cmocka_unit_test_prestate(test_sched_schedule_now_from_handler, &ladder),
        cmocka_unit_test(test_sched_past_2_20_pending),
        cmocka_unit_test_prestate(test_sched_past_2_20_pending, &ladder),
        cmocka_unit_test(test_sched_full_queue_is_a_message),
        cmocka_unit_test_prestate(test_sched_full_queue_is_a_message, &ladder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
