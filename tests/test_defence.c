/* test_defence.c — the baseline defences through the model's observer interface: TRW's
 * sequential test (hand-worked, and the paper's 4 failures), its quarantine, Williamson's
 * throttle (release rate, alarm time, working set), and common random numbers: a run
 * with a defence draws what the run without it draws until the defence first acts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include "vmitn/model.h"
#include "vmitn/replicas.h"
#include "vmitn/sprt.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

#include "testlib.h"

/* Code Red launched at L1-1 at t = 0 at `rate` scans/s, a fixed interval, packet level,
 * no VMITN mechanism. */
static void base(vmitn_model_cfg *c, double rate)
{
    vmitn_model_cfg_default(c);
    c->duration = 10;
    c->grid = 1;
    c->worm.rate = rate;
    c->worm.poisson = false;
    c->worm.fast = false;
    c->fes.handover = false;
    c->smc.learning = false;
}

/* Every scan into the whole space: at 6 hosts in 2^32 addresses, every first contact fails. */
static void scan_nobody(vmitn_model_cfg *c)
{
    c->worm.p_local = c->worm.p_near = 0;
    c->worm.p_any = 1;
}

/* ---- the sequential test, by hand ---- */

static void test_defence_sprt_hand_worked(void **state)
{
    (void)state;
    vmitn_sprt s;
    assert_int_equal(vmitn_sprt_init(&s, 0.8, 0.2, 0.99, 0.01), 0);
    /* a failure multiplies the ratio by (1 - 0.2) / (1 - 0.8) = 4, a success by 0.2 / 0.8 */
    assert_true(fabs(s.on_fail - log(4)) < 1e-12 && fabs(s.on_ok - log(0.25)) < 1e-12);
    assert_true(fabs(s.upper - log(99)) < 1e-12 && fabs(s.lower - log(1.0 / 99)) < 1e-12);
    /* the paper's example: ceil(ln 99 / ln 4) = 4 failures flag a scanner */
    assert_int_equal((int)ceil(log(99) / log(4)), 4);
    double llr = 0;
    for (int i = 1; i <= 3; i++)
        assert_int_equal(vmitn_sprt_step(&s, &llr, false), VMITN_SPRT_PENDING);
    assert_int_equal(vmitn_sprt_step(&s, &llr, false), VMITN_SPRT_SCANNER);
    /* one success first: 0.25 * 4^4 = 64 < 99 still pending, 256 >= 99 flags at the 6th */
    llr = 0;
    assert_int_equal(vmitn_sprt_step(&s, &llr, true), VMITN_SPRT_PENDING);
    for (int i = 1; i <= 4; i++)
        assert_int_equal(vmitn_sprt_step(&s, &llr, false), VMITN_SPRT_PENDING);
    assert_int_equal(vmitn_sprt_step(&s, &llr, false), VMITN_SPRT_SCANNER);
    /* benign after 4 successes: 0.25^4 = 1/256 <= 1/99, not after 3 (1/64) */
    llr = 0;
    for (int i = 1; i <= 3; i++)
        assert_int_equal(vmitn_sprt_step(&s, &llr, true), VMITN_SPRT_PENDING);
    assert_int_equal(vmitn_sprt_step(&s, &llr, true), VMITN_SPRT_BENIGN);
    /* parameters out of order are refused */
    assert_int_equal(vmitn_sprt_init(&s, 0.2, 0.8, 0.99, 0.01), -1);
    assert_int_equal(vmitn_sprt_init(&s, 0.8, 0.2, 0.01, 0.99), -1);
    assert_int_equal(vmitn_sprt_init(&s, 1, 0.2, 0.99, 0.01), -1);
}


/* ---- the fixture: one case, one run ---- */

/* What a run shows of the launch host's scans (L1-1's) and of the defences' host events. */
typedef struct caselog {
    unsigned launch;
    unsigned scans;          /* scans the launch host sent */
    unsigned out;            /* ... that left it (their fate NOHOST or NOROUTE: nobody there) */
    vmitn_time t_out[64];    /* ... when (the first 64) */
    unsigned blocked;        /* ... dropped on the way out (BLOCKED_OUT) */
    unsigned scans_at_flag;  /* scans sent when the launch host was flagged */
    unsigned flags, contained; /* DETECTED and CONTAINED events, of any host */
    vmitn_time t_flag, t_contained; /* the last of each */
    unsigned out_after, leaked_after; /* once a host is contained: scans sent, and not blocked on the way out */
    int rc;                  /* vmitn_model_run's */
    char err[VMITN_ERRLEN];  /* its message */
} caselog;

static void log_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    caselog *l = ctx;
    if (p->kind != VMITN_PKT_SCAN || (unsigned)p->from != l->launch)
        return;
    if (f == VMITN_PKT_SENT)
        l->scans++;
    if (f == VMITN_PKT_NOHOST || f == VMITN_PKT_NOROUTE) {
        if (l->out < 64)
            l->t_out[l->out] = t;
        l->out++;
    }
    if (f == VMITN_PKT_BLOCKED_OUT)
        l->blocked++;
    if (l->contained && f == VMITN_PKT_SENT)
        l->out_after++;
    if (l->contained && f != VMITN_PKT_SENT && f != VMITN_PKT_BLOCKED_OUT)
        l->leaked_after++;
}

static void log_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)arg;
    (void)c;
    caselog *l = ctx;
    if (e == VMITN_EV_DETECTED) {
        l->flags++;
        l->t_flag = t;
        if (host == l->launch)
            l->scans_at_flag = l->scans;
    }
    if (e == VMITN_EV_CONTAINED) {
        l->contained++;
        l->t_contained = t;
    }
}

/* One case: Code Red launched at L1-1 at t = 0, a fixed interval, packet level, no VMITN
 * mechanism (base), with what the fields say; a field left 0 keeps the default in its
 * comment. */
typedef struct dcase {
    double rate;          /* worm scans/s (10) */
    double duration;      /* s (10) */
    bool nobody;          /* every scan into the whole space: at 6 hosts in 2^32 addresses, every first contact fails */
    int own;              /* > 0: every scan into the launch host's own /own (172.16.0.10/own) */
    bool quick;           /* 300 scans/s into small regions (local 6, near 12 bits) for 20 s: the victims fall within seconds */
    bool poisson;         /* Poisson scanning */
    bool trw, flag_only;  /* TRW on; flag_only: trw.quarantine off */
    double trw_reaction;  /* s from the flag to the quarantine (0) */
    bool throttle, no_alarm; /* the throttle on; no_alarm: its alarm out of reach */
    bool edge;            /* edge routers on, with edge_mode, edge_reaction (0) and edge_rate */
    enum vmitn_edge_mode edge_mode;
    double edge_reaction, edge_rate;
    void (*set)(vmitn_model_cfg *c); /* any other settings, last (NULL: none) */
    uint64_t seed;
    unsigned run;
    const vmitn_observer *also; /* one more observer (NULL: none) */
    bool fails;           /* the run is to fail (rc -1 and a message); otherwise it must succeed */
} dcase;

static vmitn_model_cfg case_cfg(const dcase *k)
{
    vmitn_model_cfg c;
    base(&c, k->quick ? 300 : k->rate > 0 ? k->rate : 10);
    if (k->quick) {
        c.worm.local_bits = 6;
        c.worm.near_bits = 12;
        c.duration = 20;
    }
    if (k->duration > 0)
        c.duration = k->duration;
    c.worm.poisson = k->poisson;
    if (k->nobody)
        scan_nobody(&c);
    if (k->own > 0) {
        c.worm.p_local = 1;
        c.worm.p_near = c.worm.p_any = 0;
        c.worm.local_prefix = k->own;
        c.worm.local_bits = 32 - k->own;
    }
    if (k->trw) {
        c.trw.enabled = true;
        c.trw.quarantine = !k->flag_only;
        c.trw.reaction = k->trw_reaction;
    }
    if (k->throttle) {
        c.throttle.enabled = true;
        if (k->no_alarm)
            c.throttle.alarm = 100000000;
    }
    if (k->edge) {
        c.edge.enabled = true;
        c.edge.mode = k->edge_mode;
        c.edge.reaction = k->edge_reaction;
        if (k->edge_rate > 0)
            c.edge.rate = k->edge_rate;
    }
    if (k->set != NULL)
        k->set(&c);
    return c;
}

/* Runs the case on t, observed by its log and k->also; the run must succeed (or, with
 * k->fails, fail).  Returns the log. */
static caselog run_case(const vmitn_topo *t, const dcase *k)
{
    caselog l = {.launch = (unsigned)vmitn_topo_find_name(t, "L1-1")};
    vmitn_model_cfg c = case_cfg(k);
    vmitn_observer ob[2] = {{.ctx = &l, .packet = log_packet, .host = log_host}};
    if (k->also != NULL)
        ob[1] = *k->also;
    l.rc = vmitn_model_run(&c, t, k->seed, k->run, ob, k->also ? 2 : 1, l.err, sizeof l.err);
    if (l.rc != (k->fails ? -1 : 0))
        fail_msg("run: %d (%s)", l.rc, l.err);
    return l;
}

/* ---- TRW in the model ---- */

/* The causes of the launch host's dropped scans, by where (enum vmitn_cause_at) and which
 * module (its id: throttle 0, trw 1, edge 2, patch 3). */
typedef struct causelog {
    unsigned launch;
    unsigned at[VMITN_AT_NCAUSES];
    unsigned by_edge, by_other;
} causelog;

static void cause_dropped(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why)
{
    (void)t;
    causelog *l = ctx;
    if (p->kind != VMITN_PKT_SCAN || (unsigned)p->from != l->launch)
        return;
    assert_true(f != VMITN_PKT_SENT && f != VMITN_PKT_DELIVERED);
    assert_true(why.at < VMITN_AT_NCAUSES);
    l->at[why.at]++;
    if (why.at == VMITN_AT_EDGE)
        *(why.by == 2 ? &l->by_edge : &l->by_other) += 1;
}

/* Jung et al.'s example: theta0 = 0.8, theta1 = 0.2, P_D = 0.99, P_F = 0.01; a host whose
 * every first contact fails is flagged at its 4th, and (reaction 0) quarantined at once:
 * nothing it sends afterwards leaves. */
static void test_defence_trw_flags_after_four_failures(void **state)
{
    caselog l = run_case(*state, &(dcase){.nobody = true, .trw = true, .seed = 3});
    assert_int_equal(l.flags, 1);
    assert_int_equal(l.scans_at_flag, 4);
    /* the 4th scan leaves 0.4 s after the launch (the first comes one interval in) */
    assert_true(llabs(l.t_flag - vmitn_secs(0.4)) <= 1);
    assert_int_equal(l.contained, 1);
    assert_int_equal(l.t_contained, l.t_flag);
    assert_true(l.out_after >= 90); /* the worm keeps trying ... */
    assert_int_equal(l.leaked_after, 0); /* ... and nothing gets through */
}

/* A set-up that fails (the learner refuses lambda = 0, which the parameter table lets
 * through to it) ends the run with its message; the rows whose start never ran (TRW,
 * throttle, edge, patch) are released with no state, not dereferenced. */
static void learner_refuses(vmitn_model_cfg *c)
{
    c->smc.learning = true;
    c->smc.lambda = 0;
    c->patch.enabled = true;
    c->patch.infected_rate = 1;
}

static void test_defence_failed_setup_releases_cleanly(void **state)
{
    caselog l = run_case(*state, &(dcase){.trw = true, .throttle = true, .set = learner_refuses, .seed = 1, .fails = true});
    if (strstr(l.err, "lambda") == NULL)
        fail_msg("%s", l.err);
}

/* trw.reaction delays the quarantine; with trw.quarantine = false the host is only flagged. */
static void test_defence_trw_reaction_and_flag_only(void **state)
{
    dcase k = {.nobody = true, .trw = true, .trw_reaction = 2.5, .seed = 3};
    caselog l = run_case(*state, &k);
    assert_true(llabs(l.t_contained - l.t_flag - vmitn_secs(2.5)) <= 1);
    k.flag_only = true;
    caselog l2 = run_case(*state, &k);
    assert_int_equal(l2.flags, 1);
    assert_int_equal(l2.contained, 0);
}

/* Legitimate traffic alone (every request reaches a serving host) never flags a host. */
static void benign_mix(vmitn_model_cfg *c)
{
    c->worm.enabled = false;
    c->legit.http_rate = 5;
    c->legit.smtp_rate = 1;
}

static void test_defence_trw_benign_traffic_not_flagged(void **state)
{
    caselog l = run_case(*state, &(dcase){.duration = 60, .set = benign_mix, .trw = true, .seed = 3});
    assert_int_equal(l.flags, 0);
}

/* A first contact dropped by an edge router on the way is a failure (MODEL.md §9.2): with
 * an edge rate limit that lets nothing through (a bucket of 0.1 < 1 token), the host is
 * flagged at its 4th scan, 0.4 s in, exactly as without the limit (before the fix the
 * dropped scans were not counted and the host was never flagged). */
static void test_defence_trw_counts_edge_drops_as_failures(void **state)
{
    dcase k = {.nobody = true, .trw = true, .flag_only = true, .seed = 3};
    caselog a = run_case(*state, &k);
    causelog cl = {.launch = a.launch};
    k.edge = true;
    k.edge_mode = VMITN_EDGE_RATELIMIT;
    k.edge_rate = 0.1;
    k.also = &(vmitn_observer){.ctx = &cl, .dropped = cause_dropped};
    caselog b = run_case(*state, &k);
    /* the fate carries its cause: every scan the limit dropped says "edge router, edge" */
    assert_true(cl.at[VMITN_AT_EDGE] > 0);
    assert_int_equal(cl.by_edge, cl.at[VMITN_AT_EDGE]);
    assert_int_equal(cl.by_other, 0);
    assert_int_equal(cl.at[VMITN_AT_LEAVE], 0);
    assert_int_equal(a.flags, 1);
    assert_int_equal(b.flags, 1);
    assert_int_equal(b.scans_at_flag, 4);
    assert_true(b.t_flag <= a.t_flag); /* detection never moves late */
}

/* The causes travel through the worker processes' log (replicas.c) unchanged. */
static void test_defence_causes_through_replicas(void **state)
{
    const vmitn_topo *t = *state;
    unsigned launch = (unsigned)vmitn_topo_find_name(t, "L1-1");
    causelog direct = {.launch = launch}, via = {.launch = launch};
    vmitn_observer od = {.ctx = &direct, .dropped = cause_dropped};
    dcase k = {.nobody = true, .edge = true, .edge_mode = VMITN_EDGE_RATELIMIT, .edge_rate = 0.1, .seed = 3, .also = &od};
    run_case(t, &k);
    char err[VMITN_ERRLEN];
    vmitn_observer ov = {.ctx = &via, .dropped = cause_dropped};
    vmitn_model_cfg c = case_cfg(&k);
    vmitn_replicas *r = vmitn_replicas_start(&c, t, 3, 1, 1, &ov, 1, UINT32_MAX, NULL, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(vmitn_replicas_run(r, 0, &ov, 1, err, sizeof err), 0);
    vmitn_replicas_stop(r);
    assert_true(direct.at[VMITN_AT_EDGE] > 0);
    assert_memory_equal(&direct, &via, sizeof direct);
}

/* Only first contacts count: a host whose every scan goes to its own /31 (172.16.0.10,
 * nobody there, and itself) makes two first contacts, both failures, and is never flagged
 * however often it repeats them. */
static void test_defence_trw_repeat_contacts_do_not_count(void **state)
{
    caselog l = run_case(*state, &(dcase){.own = 31, .trw = true, .seed = 3});
    assert_true(l.scans >= 90);
    assert_int_equal(l.flags, 0);
}

/* Successes count: scanning upward from 172.16.0.10 meets .10 (nobody), .11 (itself),
 * .12 (L1-2: delivered), then nobody: F F S F F F flags at the 6th scan (the success
 * took one failure back); a test that ignored successes would flag at the 5th. */
static void sequential(vmitn_model_cfg *c) { c->worm.strategy = VMITN_STRATEGY_SEQUENTIAL; }

static void test_defence_trw_success_counts(void **state)
{
    caselog l = run_case(*state, &(dcase){.own = 31, .set = sequential, .trw = true, .seed = 3});
    assert_int_equal(l.scans_at_flag, 6); /* (L1-2, infected, is flagged later too) */
}

/* ---- the throttle ---- */

/* Williamson's throttle lets one new destination out per tick, whatever the worm's
 * rate: at 200 scans/s to distinct addresses, 10 s let exactly 10 scans out, at the
 * clock's ticks 1 s, 2 s, ..., 10 s (no alarm: its bound is out of reach). */
static void test_defence_throttle_releases_one_per_second(void **state)
{
    caselog l = run_case(*state, &(dcase){.rate = 200, .nobody = true, .throttle = true, .no_alarm = true, .seed = 4});
    assert_true(l.scans >= 1999 && l.scans <= 2000);
    assert_int_equal(l.out, 10);
    for (unsigned i = 0; i < 10; i++)
        assert_true(llabs(l.t_out[i] - vmitn_secs(i + 1.0)) < vmitn_secs(0.001)); /* the hop to the router */
    assert_int_equal(l.flags, 0);
}

/* The alarm: the queue passes its bound of 100 at the 101st request (nothing was released
 * before the first tick at 1 s), 101 x 5 ms after the launch; with throttle.block the
 * host's queue is dropped and nothing leaves after. */
static void test_defence_throttle_alarm_and_block(void **state)
{
    caselog l = run_case(*state, &(dcase){.rate = 200, .nobody = true, .throttle = true, .seed = 4});
    assert_int_equal(l.flags, 1);
    assert_true(llabs(l.t_flag - vmitn_secs(101 * 0.005)) <= 1);
    assert_int_equal(l.t_contained, l.t_flag);
    assert_int_equal(l.out, 0);
    assert_int_equal(l.blocked, l.scans); /* every scan: dropped in the queue or after */
}

/* The working set: requests to the 5 most recent destinations pass at once.  Legitimate
 * traffic among 6 FES hosts has 5 destinations per host, so after each host's first 5
 * (delayed) requests nothing waits: every request is answered within the run's last
 * second, and none is ever held long (answers keep pace with requests). */
typedef struct lglog {
    unsigned req, resp;
} lglog;

static void lg_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    lglog *l = ctx;
    if (p->kind != VMITN_PKT_LEGIT || f != VMITN_PKT_DELIVERED)
        return;
    if (p->sport == 80 || p->sport == 25)
        l->resp++;
    else
        l->req++;
}

static void web_only(vmitn_model_cfg *c)
{
    c->worm.enabled = false;
    c->legit.http_rate = 4;
    c->legit.smtp_rate = 0;
}

static void test_defence_throttle_working_set_passes_repeat_contacts(void **state)
{
    lglog none = {0}, thr = {0};
    dcase k = {.duration = 100, .set = web_only, .seed = 6, .also = &(vmitn_observer){.ctx = &none, .packet = lg_packet}};
    run_case(*state, &k);
    k.throttle = true;
    k.also = &(vmitn_observer){.ctx = &thr, .packet = lg_packet};
    run_case(*state, &k);
    /* 6 hosts x 4/s x 100 s: about 2,400 requests; the throttle delays at most 5 per
     * host (each for at most 5 ticks), so the same requests arrive, short of those few */
    assert_true(none.req > 2000);
    assert_true(none.req - thr.req <= 6 * 5);
    assert_true(thr.req > none.req - 30);
}

/* The throttle against a reference implementation in this file: the launch host scans
 * its own /29 (8 addresses: itself, L1-2 and 6 empty ones), so destinations repeat and
 * the working set of 5 fills, refreshes and evicts.  Every request it sends (its SENT
 * events, in order) is fed to the reference throttle — a hit passes at once and becomes
 * the most recently used; a miss waits in a FIFO queue; each tick of the 1 s clock lets
 * the head go with every queued request to its destination, the head's destination
 * replacing the least recently used one — and every request must leave the host when
 * the reference says (its fate at that instant: no host there, itself; or a path delay
 * later: delivered to L1-2).  A throttle without the refresh, evicting the most recently
 * used, or releasing only the head fails it. */
#define REFN 4000
typedef struct refreq {
    vmitn_time sent, left, fate_t;
    uint32_t dst;
    uint16_t sport, dport;
    uint8_t kind;
    bool sync, fated;
} refreq;

typedef struct reflog {
    unsigned launch, n;
    refreq r[REFN];
} reflog;

static void ref_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    reflog *l = ctx;
    if (p->from < 0 || (unsigned)p->from != l->launch)
        return;
    if (f == VMITN_PKT_SENT) {
        if (l->n < REFN)
            l->r[l->n++] = (refreq){.sent = t, .dst = p->dst, .sport = p->sport, .dport = p->dport, .kind = p->kind, .left = -1};
        return;
    }
    for (unsigned i = 0; i < l->n; i++) {
        refreq *q = &l->r[i];
        if (!q->fated && q->dst == p->dst && q->sport == p->sport && q->dport == p->dport && q->kind == p->kind) {
            q->fated = true;
            q->fate_t = t;
            q->sync = f == VMITN_PKT_NOHOST || f == VMITN_PKT_NOROUTE;
            return;
        }
    }
}

/* The reference: fills in r[i].left for every request (or -1: still queued at the end). */
static void ref_throttle(reflog *l, vmitn_time period, unsigned wsize)
{
    uint32_t ws[16];
    unsigned nws = 0, q[REFN], qn = 0, i = 0;
    vmitn_time tick = -1; /* the next tick, -1: not ticking */
    for (;;) {
        bool do_tick = tick >= 0 && (i == l->n || tick < l->r[i].sent);
        if (!do_tick && i == l->n)
            break;
        if (do_tick) {
            unsigned h = q[0], keep = 0;
            uint32_t d = l->r[h].dst;
            unsigned k = 0; /* the head's destination becomes the most recently used */
            while (k < nws && ws[k] != d)
                k++;
            if (k == nws)
                k = nws < wsize ? nws++ : wsize - 1;
            memmove(ws + 1, ws, k * sizeof *ws);
            ws[0] = d;
            for (unsigned j = 0; j < qn; j++) {
                if (l->r[q[j]].dst == d)
                    l->r[q[j]].left = tick;
                else
                    q[keep++] = q[j];
            }
            qn = keep;
            tick = qn ? tick + period : -1;
            continue;
        }
        refreq *r = &l->r[i++];
        unsigned k = 0;
        while (k < nws && ws[k] != r->dst)
            k++;
        bool reply = r->kind == VMITN_PKT_LEGIT && (r->sport == 80 || r->sport == 25);
        if (reply || k < nws) {
            if (k < nws) { /* a hit refreshes */
                memmove(ws + 1, ws, k * sizeof *ws);
                ws[0] = r->dst;
            }
            r->left = r->sent;
            continue;
        }
        q[qn++] = (unsigned)(r - l->r);
        if (tick < 0)
            tick = (r->sent / period + 1) * period;
    }
}

static void test_defence_throttle_matches_reference(void **state)
{
    reflog *l = vmitn_xcalloc(1, sizeof *l);
    l->launch = (unsigned)vmitn_topo_find_name(*state, "L1-1");
    dcase k = {.rate = 9.7, /* scans never fall on the clock's ticks */
               .duration = 30, .own = 29, .throttle = true, .no_alarm = true, .seed = 5,
               .also = &(vmitn_observer){.ctx = l, .packet = ref_packet}};
    run_case(*state, &k);
    assert_true(l->n > 250 && l->n < REFN);
    ref_throttle(l, vmitn_secs(1), 5);
    unsigned passed = 0, released = 0, waiting = 0, multi = 0;
    for (unsigned i = 0; i < l->n; i++) {
        refreq *r = &l->r[i];
        if (r->left < 0) {
            assert_false(r->fated); /* still queued: never left */
            waiting++;
            continue;
        }
        if (r->left > vmitn_secs(k.duration - 0.1))
            continue; /* its fate came after the end */
        assert_true(r->fated);
        if (r->sync)
            assert_int_equal(r->fate_t, r->left);
        else
            assert_true(r->fate_t > r->left && r->fate_t < r->left + vmitn_secs(0.05));
        if (r->left == r->sent)
            passed++;
        else
            released++;
        if (i > 0 && r->left != r->sent && r->left == l->r[i - 1].left && r->left != l->r[i - 1].sent)
            multi++;
    }
    /* the check was not empty: hits, releases (some of them together) and a queue */
    assert_true(passed > 50);
    assert_true(released > 20);
    assert_true(multi > 0);
    (void)waiting;
    free(l);
}

/* ---- common random numbers ---- */

typedef struct trace {
    vmitn_time t[200000];
    uint32_t dst[200000];
    int from[200000];
    unsigned n;
    vmitn_time first_action;
} trace;

static void tr_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    trace *r = ctx;
    if (p->kind != VMITN_PKT_SCAN || f != VMITN_PKT_SENT || r->n == 200000)
        return;
    r->t[r->n] = t;
    r->dst[r->n] = p->dst;
    r->from[r->n] = p->from;
    r->n++;
}

static void tr_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)host;
    (void)arg;
    (void)c;
    trace *r = ctx;
    if ((e == VMITN_EV_CONTAINED || e == VMITN_EV_REMOVED) && r->first_action < 0)
        r->first_action = t;
}

/* Code Red on the testbed (localized scanning, Poisson, victims infected): the run with a
 * defence and the run without it send the same scans, at the same times, to the same
 * addresses, from the same hosts, up to the defence's first action; after it they part.
 * TRW (quarantine 1 s after a flag) draws nothing; patching draws its removal times from
 * its own streams. */
static void crn_case(const vmitn_topo *t, dcase with)
{
    trace *a = vmitn_xcalloc(1, sizeof *a), *b = vmitn_xcalloc(1, sizeof *b);
    a->first_action = b->first_action = -1;
    run_case(t, &(dcase){.quick = true, .poisson = true, .seed = 11, .run = 2,
                         .also = &(vmitn_observer){.ctx = a, .packet = tr_packet, .host = tr_host}});
    with.quick = with.poisson = true;
    with.seed = 11;
    with.run = 2;
    with.also = &(vmitn_observer){.ctx = b, .packet = tr_packet, .host = tr_host};
    run_case(t, &with);
    assert_true(b->first_action > 0);
    unsigned before = 0;
    while (before < b->n && b->t[before] < b->first_action)
        before++;
    assert_true(before > 100);
    assert_true(a->n >= before);
    for (unsigned i = 0; i < before; i++) {
        assert_int_equal(a->t[i], b->t[i]);
        assert_int_equal(a->dst[i], b->dst[i]);
        assert_int_equal(a->from[i], b->from[i]);
    }
    bool differ = a->n != b->n;
    for (unsigned i = before; i < a->n && i < b->n && !differ; i++)
        differ = a->from[i] != b->from[i] || a->t[i] != b->t[i] || a->dst[i] != b->dst[i];
    assert_true(differ);
    free(a);
    free(b);
}

static void set_patch(vmitn_model_cfg *c)
{
    c->patch.enabled = true;
    c->patch.infected_rate = 0.5;
}

/* TRW quarantining 1 s after a flag; edge blacklisting 1 s after each infection: drops
 * nothing before its first listing */
static void test_defence_crn_same_draws_until_first_action(void **state)
{
    crn_case(*state, (dcase){.trw = true, .trw_reaction = 1});
    crn_case(*state, (dcase){.set = set_patch});
    crn_case(*state, (dcase){.edge = true, .edge_mode = VMITN_EDGE_BLACKLIST, .edge_reaction = 1});
}

/* ---- edge routers ---- */

typedef struct inflog {
    const vmitn_topo *t;
    vmitn_time at[64];
    int by[64];
    bool inf[64];
    unsigned n, other_lan, late;
} inflog;

static void inf_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)c;
    inflog *l = ctx;
    if (e != VMITN_EV_INFECTED || host >= 64)
        return;
    l->inf[host] = true;
    l->at[host] = t;
    l->by[host] = arg;
    l->n++;
    if (arg >= 0 && vmitn_topo_host(l->t, host).lan != vmitn_topo_host(l->t, (unsigned)arg).lan) {
        l->other_lan++;
        /* blacklisting 1 s after its infection: a cross-LAN exploit can leave before that only */
        if (t > l->at[arg] + vmitn_secs(1.01))
            l->late++;
    }
}

/* Content filtering at every edge router from the first infection on (reaction 0): the
 * worm infects its own LAN (no edge router between) and nothing else; without it every
 * FES host falls. */
static void test_defence_edge_content_filter_keeps_the_lan(void **state)
{
    inflog none = {.t = *state}, filt = {.t = *state};
    dcase k = {.quick = true, .seed = 12, .also = &(vmitn_observer){.ctx = &none, .host = inf_host}};
    run_case(*state, &k);
    assert_int_equal(none.n, 6);
    k.edge = true;
    k.edge_mode = VMITN_EDGE_CONTENT;
    k.also = &(vmitn_observer){.ctx = &filt, .host = inf_host};
    run_case(*state, &k);
    assert_int_equal(filt.other_lan, 0);
    assert_int_equal(filt.n, 2); /* L1-1 and L1-2 */
}

/* Address blacklisting 1 s after a host's infection: no host infects across an edge
 * router later than 1 s after its own infection (plus the exploit's trip). */
static void slow_victims(vmitn_model_cfg *c) { c->worm.activation = 0.2; }

static void test_defence_edge_blacklist_after_reaction(void **state)
{
    unsigned cross = 0;
    for (unsigned run = 0; run < 10; run++) {
        inflog l = {.t = *state};
        run_case(*state, &(dcase){.quick = true, .set = slow_victims, .edge = true, .edge_mode = VMITN_EDGE_BLACKLIST,
                                  .edge_reaction = 1, .seed = 12, .run = run,
                                  .also = &(vmitn_observer){.ctx = &l, .host = inf_host}});
        assert_int_equal(l.late, 0);
        cross += l.other_lan;
    }
    assert_true(cross > 0); /* the check above was not empty */
}

/* Content filtering with a reaction time: armed edge.reaction after the outbreak's first
 * infection, not after the start of the run.  The worm is launched at 5 s and the filter
 * reacts in 1 s: cross-LAN infections happen (the filter is not armed before 6 s), and
 * none after 6 s plus the exploit's trip. */
typedef struct crosslog {
    const vmitn_topo *t;
    unsigned cross, late, early;
} crosslog;

static void cross_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)c;
    crosslog *l = ctx;
    if (e != VMITN_EV_INFECTED)
        return;
    if (t < vmitn_secs(5))
        l->early++;
    if (arg >= 0 && vmitn_topo_host(l->t, host).lan != vmitn_topo_host(l->t, (unsigned)arg).lan) {
        l->cross++;
        if (t > vmitn_secs(6.01))
            l->late++;
    }
}

static void late_launch(vmitn_model_cfg *c)
{
    slow_victims(c);
    c->worm.start_time = 5;
}

static void test_defence_edge_content_filter_after_reaction(void **state)
{
    crosslog l = {.t = *state};
    for (unsigned run = 0; run < 10; run++)
        run_case(*state, &(dcase){.quick = true, .set = late_launch, .edge = true, .edge_mode = VMITN_EDGE_CONTENT,
                                  .edge_reaction = 1, .seed = 12, .run = run,
                                  .also = &(vmitn_observer){.ctx = &l, .host = cross_host}});
    assert_int_equal(l.early, 0);
    assert_int_equal(l.late, 0);
    assert_true(l.cross > 0); /* the filter was not armed from the start of the run */
}

/* Rate limiting at the edge: 200 scans/s into the whole space, 10 per second let through
 * (a bucket of one second's worth, full at the start): 10 + 10 x 10 = 110 in 10 s leave
 * the LAN; without the limit all 2,000 do. */
static void test_defence_edge_ratelimit(void **state)
{
    caselog l = run_case(*state, &(dcase){.rate = 200, .nobody = true, .edge = true, .edge_mode = VMITN_EDGE_RATELIMIT,
                                          .edge_rate = 10, .seed = 4});
    assert_true(l.scans >= 1999);
    assert_true(l.out >= 108 && l.out <= 111);
    assert_int_equal(l.out + l.blocked, l.scans);
}

/* ---- patching: the SIR final size ---- */

typedef struct everlog {
    unsigned ever;
    bool *seen;
} everlog;

static void ever_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)t;
    (void)arg;
    (void)c;
    everlog *l = ctx;
    if (e == VMITN_EV_INFECTED && !l->seen[host]) {
        l->seen[host] = true;
        l->ever++;
    }
}

/* Removal of infected hosts at rate gamma turns the uniform scanner into the SIR model
 * (Zou, Gong & Towsley's two-factor model with its removal term only): beta = rate x N /
 * 2^32 contacts per second, R0 = beta / gamma, and the share ever infected z solves
 * z = 1 - exp(-R0 z) (Kermack-McKendrick).  24,000 hosts, R0 = 2: z = 0.797; 20 initial
 * infections make a minor outbreak impossible in practice (P = 2^-20).  The mean of 4 runs
 * within 1 point (one run's SD is 0.7 point at this N: 3 standard errors). */
static void test_defence_patch_sir_final_size(void **state)
{
    (void)state;
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    assert_int_equal(vmitn_topo_generate(100, 240, 16, &t, err, sizeof err), 0);
    unsigned n = vmitn_topo_nhosts(t), nfes = 0;
    for (unsigned i = 0; i < n; i++)
        nfes += vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    strcpy(c.topology, "generate:100:240:16");
    c.duration = 100000;
    c.grid = 1000;
    c.worm.fast = true;
    c.worm.p_local = c.worm.p_near = 0;
    c.worm.p_any = 1;
    double beta = 1e-3, gamma = 5e-4;
    c.worm.rate = beta * 4294967296.0 / nfes;
    c.fes.handover = false;
    c.fes.spy = false;
    c.smc.learning = false;
    c.ninject = 19;
    for (unsigned i = 0; i < c.ninject; i++) {
        snprintf(c.inject[i].host, sizeof c.inject[i].host, "L%u-1", i + 2);
        c.inject[i].t = 0;
    }
    c.patch.enabled = true;
    c.patch.infected_rate = gamma;
    double r0 = beta / gamma, z = 0.5;
    for (int i = 0; i < 200; i++)
        z = 1 - exp(-r0 * z);
    assert_true(fabs(z - 0.797) < 0.001);
    double sum = 0;
    for (unsigned run = 0; run < 4; run++) {
        everlog l = {0, vmitn_xcalloc(n, sizeof(bool))};
        vmitn_observer ob = {.ctx = &l, .host = ever_host};
        assert_int_equal(vmitn_model_run(&c, t, 13, run, &ob, 1, err, sizeof err), 0);
        sum += (double)l.ever / nfes;
        free(l.seen);
    }
    assert_true(fabs(sum / 4 - z) < 0.01); /* 12 runs gave 0.7952 */
    vmitn_topo_free(t);
}

/* ---- bad parameters name themselves ---- */

static void test_defence_check_names_the_parameter(void **state)
{
    const vmitn_topo *t = *state;
    vmitn_model_cfg c;
    char err[VMITN_ERRLEN];
    base(&c, 10);
    c.trw.enabled = true;
    c.trw.theta1 = 0.9;
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "trw.theta1"));
    base(&c, 10);
    c.trw.enabled = true;
    c.worm.fast = true;
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "worm.fast"));
    base(&c, 10);
    c.throttle.enabled = true;
    strcpy(c.throttle.hosts, "L1-1,L9-9");
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "throttle.hosts: no FES host named 'L9-9'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defence_sprt_hand_worked),
        cmocka_unit_test(test_defence_trw_flags_after_four_failures),
        cmocka_unit_test(test_defence_failed_setup_releases_cleanly),
        cmocka_unit_test(test_defence_trw_reaction_and_flag_only),
        cmocka_unit_test(test_defence_trw_benign_traffic_not_flagged),
        cmocka_unit_test(test_defence_trw_counts_edge_drops_as_failures),
        cmocka_unit_test(test_defence_causes_through_replicas),
        cmocka_unit_test(test_defence_trw_repeat_contacts_do_not_count),
        cmocka_unit_test(test_defence_trw_success_counts),
        cmocka_unit_test(test_defence_throttle_releases_one_per_second),
        cmocka_unit_test(test_defence_throttle_alarm_and_block),
        cmocka_unit_test(test_defence_throttle_working_set_passes_repeat_contacts),
        cmocka_unit_test(test_defence_throttle_matches_reference),
        cmocka_unit_test(test_defence_crn_same_draws_until_first_action),
        cmocka_unit_test(test_defence_edge_content_filter_keeps_the_lan),
        cmocka_unit_test(test_defence_edge_blacklist_after_reaction),
        cmocka_unit_test(test_defence_edge_content_filter_after_reaction),
        cmocka_unit_test(test_defence_edge_ratelimit),
        cmocka_unit_test(test_defence_patch_sir_final_size),
        cmocka_unit_test(test_defence_check_names_the_parameter),
    };
    return cmocka_run_group_tests(tests, fig8_setup, fig8_teardown);
}
