/* trw.c — TRW scan detection with quarantine (Jung, Paxson, Berger & Balakrishnan, IEEE
 * S&P 2004): every watched host's first contacts (a destination it has not contacted
 * before) are outcomes of a sequential hypothesis test; a host the test calls a scanner
 * is flagged and, with trw.quarantine, cut off after trw.reaction (docs/MODEL.md §9). */
#include "vmitn/model_internal.h"

#include <math.h>
#include <stdlib.h>

#include "vmitn/sprt.h"
#include "vmitn/util.h"

int vmitn_sprt_init(vmitn_sprt *s, double theta0, double theta1, double pd, double pf)
{
    if (!(0 < theta1 && theta1 < theta0 && theta0 < 1 && 0 < pf && pf < pd && pd < 1))
        return -1;
    s->upper = log(pd / pf);
    s->lower = log((1 - pd) / (1 - pf));
    s->on_fail = log((1 - theta1) / (1 - theta0));
    s->on_ok = log(theta1 / theta0);
    return 0;
}

int vmitn_sprt_step(const vmitn_sprt *s, double *llr, bool success)
{
    *llr += success ? s->on_ok : s->on_fail;
    if (*llr >= s->upper)
        return VMITN_SPRT_SCANNER;
    if (*llr <= s->lower)
        return VMITN_SPRT_BENIGN;
    return VMITN_SPRT_PENDING;
}

/* The destinations a host has contacted: an open-addressing set of addresses (0 free:
 * the address 0.0.0.0 is never a destination). */
typedef struct addrset {
    uint32_t *a;
    unsigned cap, n;
} addrset;

static bool set_add(addrset *s, uint32_t x)
{
    if (2 * (s->n + 1) > s->cap) {
        addrset g = {vmitn_xcalloc(s->cap ? 2 * s->cap : 16, sizeof *g.a), s->cap ? 2 * s->cap : 16, 0};
        for (unsigned i = 0; i < s->cap; i++)
            if (s->a[i])
                set_add(&g, s->a[i]);
        free(s->a);
        *s = g;
    }
    unsigned i = (unsigned)((x * 2654435761u) & (s->cap - 1));
    while (s->a[i] && s->a[i] != x)
        i = (i + 1) & (s->cap - 1);
    if (s->a[i] == x)
        return false;
    s->a[i] = x;
    s->n++;
    return true;
}

typedef struct trw_host {
    addrset seen;
    double llr;
    bool flagged, quarantined;
} trw_host;

typedef struct trw {
    vmitn_model *m;
    vmitn_sprt t;
    bool *watch;
    trw_host *h;
    unsigned nhosts;
} trw;

static bool trw_enabled(const vmitn_model_cfg *c) { return c->trw.enabled; }

static int trw_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    vmitn_sprt s;
    if (vmitn_sprt_init(&s, c->trw.theta0, c->trw.theta1, c->trw.pd, c->trw.pf) < 0)
        return vmitn_fail(err, VMITN_EINPUT,
                          "trw: need 0 < trw.theta1 < trw.theta0 < 1 and 0 < trw.pf < trw.pd < 1 "
                          "(got theta0 %g, theta1 %g, pd %g, pf %g)",
                          c->trw.theta0, c->trw.theta1, c->trw.pd, c->trw.pf);
    if (c->trw.enabled && c->worm.fast && c->worm.enabled)
        return vmitn_fail(err, VMITN_EINPUT, "trw.enabled needs the outcome of every first contact, and worm.fast "
                                             "does not send the scans that hit nobody: set worm.fast = false");
    return vmitn_defence_hosts(t, c->trw.hosts, "trw.hosts", NULL, err, errlen);
}

static void *trw_new(vmitn_model *m, unsigned k)
{
    (void)k;
    trw *w = vmitn_xcalloc(1, sizeof *w);
    w->m = m;
    vmitn_sprt_init(&w->t, m->c->trw.theta0, m->c->trw.theta1, m->c->trw.pd, m->c->trw.pf);
    w->nhosts = m->nhosts;
    w->watch = vmitn_xcalloc(m->nhosts, sizeof *w->watch);
    w->h = vmitn_xcalloc(m->nhosts, sizeof *w->h);
    char err[VMITN_ERRLEN];
    int rc = vmitn_defence_hosts(m->t, m->c->trw.hosts, "trw.hosts", w->watch, err, sizeof err);
    vmitn_assert(rc == 0); /* vmitn_model_check ran it */
    return w;
}

static int trw_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *st = trw_new(m, k);
    return 0;
}

static void trw_release(vmitn_model *m, void *st)
{
    (void)m;
    trw *w = st;
    if (st == NULL) /* its set-up or start never ran, or failed before allocating */
        return;
    for (unsigned i = 0; i < w->nhosts; i++)
        free(w->h[i].seen.a);
    free(w->h);
    free(w->watch);
    free(w);
}

static void ev_quarantine(vmitn_sched *s, void *ctx, uint64_t arg);

/* A connection's request, not a reply: legitimate responses come from the service port. */
static bool opens_contact(const vmitn_packet *p)
{
    return !(p->kind == VMITN_PKT_LEGIT && (p->sport == 80 || p->sport == 25));
}

static void trw_fate(vmitn_model *m, void *st, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why)
{
    trw *w = st;
    if (p->from < 0 || !w->watch[p->from] || f == VMITN_PKT_SENT || !opens_contact(p))
        return;
    if (f == VMITN_PKT_BLOCKED_OUT && why.at != VMITN_AT_EDGE)
        return; /* its own host kept it (its AGENT's rules, its throttle): it never reached the
                 * network TRW watches.  A drop at an edge router on the way is a failure. */
    trw_host *h = &w->h[p->from];
    if (h->flagged || !set_add(&h->seen, p->dst))
        return; /* only first contacts count */
    int d = vmitn_sprt_step(&w->t, &h->llr, f == VMITN_PKT_DELIVERED);
    if (d == VMITN_SPRT_BENIGN)
        h->llr = 0; /* the test starts afresh: a host can turn into a scanner later */
    if (d != VMITN_SPRT_SCANNER)
        return;
    h->flagged = true;
    vmitn_emit_host(m, (unsigned)p->from, VMITN_EV_DETECTED, (int)vmitn_trw.id);
    if (!m->c->trw.quarantine)
        return;
    vmitn_sched_after(m->s, vmitn_secs(m->c->trw.reaction), ev_quarantine, w, (uint64_t)p->from);
}

static void ev_quarantine(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    trw *w = ctx;
    w->h[arg].quarantined = true;
    vmitn_emit_host(w->m, (unsigned)arg, VMITN_EV_CONTAINED, (int)vmitn_trw.id);
}

/* A quarantined host is cut off both ways (its port on the LAN switch is closed). */
static vmitn_verdict trw_leave(vmitn_model *m, void *st, unsigned k, vmitn_packet *p)
{
    (void)m;
    (void)k;
    trw *w = st;
    return w->h[p->from].quarantined ? VMITN_DROP : VMITN_PASS;
}

static vmitn_verdict trw_reach(vmitn_model *m, void *st, const vmitn_packet *p)
{
    (void)m;
    trw *w = st;
    return w->h[p->to].quarantined ? VMITN_DROP : VMITN_PASS;
}

const vmitn_module vmitn_trw = {
    .name = "trw", .id = 1, .enabled = trw_enabled, .check = trw_check, .start = trw_start,
    .release = trw_release, .leave = trw_leave, .reach = trw_reach, .fate = trw_fate,
};
