/* throttle.c — Williamson's virus throttle (M. M. Williamson, "Throttling Viruses:
 * Restricting propagation to defeat malicious mobile code", ACSAC 2002), per host: a
 * connection request to one of the throttle.working_set most recently contacted
 * destinations leaves at once; any other waits in a delay queue, whose head is released
 * at every tick of a clock of throttle.rate ticks per second (with every other queued
 * request to the same destination), its destination then joining the working set in
 * place of the least recently used one.  A queue longer than throttle.alarm raises the
 * alarm; with throttle.block the host's outbound traffic then stops (docs/MODEL.md §9). */
#include "vmitn/model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/util.h"

typedef struct held {
    vmitn_packet p;
    uint32_t epoch; /* the guest that sent it: a request dies with its guest */
} held;

typedef struct thost {
    uint32_t *ws;   /* working set, most recently used first */
    unsigned nws;
    held *q;        /* delay queue, a ring */
    unsigned qhead, qn, qcap;
    bool ticking, alarmed, blocked;
} thost;

typedef struct throttle {
    vmitn_model *m;
    unsigned k;     /* its hook index: released requests go on from k + 1 */
    bool *watch;
    thost *h;
    unsigned nhosts;
    vmitn_time period;
} throttle;

static bool th_enabled(const vmitn_model_cfg *c) { return c->throttle.enabled; }

static int th_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    if (c->throttle.enabled && c->worm.fast && c->worm.enabled)
        return vmitn_fail(err, VMITN_EINPUT, "throttle.enabled delays every connection request, and worm.fast does not "
                                             "send the scans that hit nobody: set worm.fast = false");
    return vmitn_defence_hosts(t, c->throttle.hosts, "throttle.hosts", NULL, err, errlen);
}

static void *th_new(vmitn_model *m, unsigned k)
{
    throttle *w = vmitn_xcalloc(1, sizeof *w);
    w->m = m;
    w->k = k;
    w->nhosts = m->nhosts;
    w->watch = vmitn_xcalloc(m->nhosts, sizeof *w->watch);
    w->h = vmitn_xcalloc(m->nhosts, sizeof *w->h);
    w->period = vmitn_secs(1.0 / m->c->throttle.rate);
    if (w->period < 1)
        w->period = 1;
    char err[VMITN_ERRLEN];
    int rc = vmitn_defence_hosts(m->t, m->c->throttle.hosts, "throttle.hosts", w->watch, err, sizeof err);
    vmitn_assert(rc == 0); /* vmitn_model_check ran it */
    return w;
}

static int th_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *st = th_new(m, k);
    return 0;
}

static void th_release(vmitn_model *m, void *st)
{
    (void)m;
    throttle *w = st;
    if (st == NULL) /* its set-up or start never ran, or failed before allocating */
        return;
    for (unsigned i = 0; i < w->nhosts; i++) {
        free(w->h[i].ws);
        free(w->h[i].q);
    }
    free(w->h);
    free(w->watch);
    free(w);
}

/* Makes d the most recently used destination; true if it was in the working set. */
static bool ws_touch(thost *h, uint32_t d, unsigned size, bool insert)
{
    unsigned i = 0;
    while (i < h->nws && h->ws[i] != d)
        i++;
    bool hit = i < h->nws;
    if (!hit && !insert)
        return false;
    if (!hit) {
        if (h->ws == NULL)
            h->ws = vmitn_xmalloc(size * sizeof *h->ws);
        i = h->nws < size ? h->nws++ : size - 1; /* the least recently used goes */
    }
    memmove(h->ws + 1, h->ws, i * sizeof *h->ws);
    h->ws[0] = d;
    return hit;
}

static void ev_tick(vmitn_sched *s, void *ctx, uint64_t arg);

/* The next tick of the throttle's clock (ticks at whole multiples of the period). */
static void schedule_tick(throttle *w, unsigned hi)
{
    vmitn_time now = vmitn_sched_now(w->m->s);
    vmitn_time next = (now / w->period + 1) * w->period;
    w->h[hi].ticking = true;
    vmitn_sched_at(w->m->s, next, ev_tick, w, hi);
}

/* Sends (or, if its guest is gone, discards) a request the queue held. */
static void let_go(throttle *w, held *r)
{
    vmitn_model *m = w->m;
    if (r->epoch != m->hosts[r->p.from].epoch || !m->hosts[r->p.from].online) {
        vmitn_emit_packet(m, &r->p, VMITN_PKT_BLOCKED_OUT, vmitn_cause_of(VMITN_AT_LEAVE, vmitn_throttle.id));
        return;
    }
    vmitn_packet p = r->p;
    vmitn_send_resume(m, &p, w->k + 1);
}

static void ev_tick(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    throttle *w = ctx;
    thost *h = &w->h[arg];
    h->ticking = false;
    if (h->qn == 0 || h->blocked)
        return;
    /* the head, and every other request to its destination, leave together */
    held head = h->q[h->qhead];
    h->qhead = (h->qhead + 1) % h->qcap;
    h->qn--;
    ws_touch(h, head.p.dst, (unsigned)w->m->c->throttle.working_set, true);
    unsigned n = h->qn, keep = 0;
    held *same = NULL;
    unsigned nsame = 0;
    for (unsigned i = 0; i < n; i++) {
        held *r = &h->q[(h->qhead + i) % h->qcap];
        if (r->p.dst == head.p.dst) {
            same = vmitn_xrealloc(same, (nsame + 1) * sizeof *same);
            same[nsame++] = *r;
        } else
            h->q[(h->qhead + keep++) % h->qcap] = *r;
    }
    h->qn = keep;
    let_go(w, &head);
    for (unsigned i = 0; i < nsame; i++)
        let_go(w, &same[i]);
    free(same);
    if (h->qn > 0 && !h->blocked && !h->ticking)
        schedule_tick(w, (unsigned)arg);
}

/* A request, not a reply: legitimate responses come from the service port. */
static bool opens_contact(const vmitn_packet *p)
{
    return !(p->kind == VMITN_PKT_LEGIT && (p->sport == 80 || p->sport == 25));
}

static vmitn_verdict th_leave(vmitn_model *m, void *st, unsigned k, vmitn_packet *p)
{
    (void)k;
    throttle *w = st;
    if (!w->watch[p->from])
        return VMITN_PASS;
    thost *h = &w->h[p->from];
    if (h->blocked)
        return VMITN_DROP;
    if (!opens_contact(p) || ws_touch(h, p->dst, (unsigned)m->c->throttle.working_set, false))
        return VMITN_PASS;
    if (h->qn == h->qcap) { /* grow the ring, keeping its order */
        unsigned cap = h->qcap ? 2 * h->qcap : 16;
        held *q = vmitn_xmalloc(cap * sizeof *q);
        for (unsigned i = 0; i < h->qn; i++)
            q[i] = h->q[(h->qhead + i) % h->qcap];
        free(h->q);
        h->q = q;
        h->qcap = cap;
        h->qhead = 0;
    }
    h->q[(h->qhead + h->qn++) % h->qcap] = (held){*p, m->hosts[p->from].epoch};
    if (!h->ticking)
        schedule_tick(w, (unsigned)p->from);
    if (h->qn > (unsigned)m->c->throttle.alarm && !h->alarmed) {
        h->alarmed = true;
        vmitn_emit_host(m, (unsigned)p->from, VMITN_EV_DETECTED, (int)vmitn_throttle.id);
        if (m->c->throttle.block) {
            /* the host is stopped: what waits in its queue never leaves */
            h->blocked = true;
            for (unsigned i = 0; i < h->qn; i++)
                vmitn_emit_packet(m, &h->q[(h->qhead + i) % h->qcap].p, VMITN_PKT_BLOCKED_OUT,
                                  vmitn_cause_of(VMITN_AT_LEAVE, vmitn_throttle.id));
            h->qn = 0;
            vmitn_emit_host(m, (unsigned)p->from, VMITN_EV_CONTAINED, (int)vmitn_throttle.id);
        }
    }
    return VMITN_HELD;
}

const vmitn_module vmitn_throttle = {
    .name = "throttle", .id = 0, .enabled = th_enabled, .check = th_check, .start = th_start,
    .release = th_release, .leave = th_leave,
};
