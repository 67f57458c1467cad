/* model.c — one replication of the VMITN testbed: the state, the hosts' streams, the
 * packet pool, the observers, the network path and the run loop.  The worm, the traffic
 * and every defence are modules it knows only as rows of the table it is given
 * (module.h, docs/ARCHITECTURE.md; their shared state: model_internal.h).  Every
 * modelling decision is in docs/MODEL.md.
 *
 * Packets cross the network as one event each, at their arrival time (path delay plus
 * transmission time, no queueing); a packet that reaches no host is counted where a
 * router would drop it and needs no event at all, which is what keeps a scan cheap. */
#include "vmitn/model_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/util.h"

static const int hrng_purpose[VMITN_NHRNG] = {VMITN_STREAM_SCAN, VMITN_STREAM_WORM, VMITN_STREAM_FES, VMITN_STREAM_SWITCH,
                                              VMITN_STREAM_CLEAN, VMITN_STREAM_OOB, VMITN_STREAM_LEGIT, VMITN_STREAM_REPORT};

/* ---------- small helpers ---------- */

/* Host h's stream for a purpose, created on first use (its draws do not depend on when). */
vmitn_rng *vmitn_mrng_cold(vmitn_model *m, vmitn_mhost *h, enum vmitn_hrng k)
{
    vmitn_rng **r = &vmitn_cold(m, h)->rng[k - VMITN_NHOT];
    m->cold_rngs = true;
    if (*r == NULL)
        *r = vmitn_rng_new(m->seed, m->run, VMITN_STREAM(hrng_purpose[k], (unsigned)(h - m->hosts)));
    return *r;
}

void vmitn_mrng_seed_hot(vmitn_model *m, vmitn_mhost *h, enum vmitn_hrng k)
{
    vmitn_rng_seed(&h->hot[k], m->seed, m->run, VMITN_STREAM(hrng_purpose[k], (unsigned)(h - m->hosts)));
    h->hot_seeded |= (uint8_t)(1u << k);
}

vmitn_sched *vmitn_model_sched(vmitn_model *m) { return m->s; }

double vmitn_draw_secs(vmitn_rng *r, double mean, double cv)
{
    return vmitn_rng_gamma_cv(r, mean, cv);
}

vmitn_time vmitn_draw(vmitn_rng *r, double mean, double cv) { return vmitn_secs(vmitn_draw_secs(r, mean, cv)); }

/* The observers' .dropped and the modules' fate hooks (kept out of the per-packet path
 * when nobody has them: m->fate_tail). */
static void emit_tail(vmitn_model *m, vmitn_time now, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why)
{
    if (m->want_why && why.at != VMITN_AT_NONE)
        for (unsigned i = 0; i < m->nobs; i++)
            if (m->obs[i].dropped)
                m->obs[i].dropped(m->obs[i].ctx, now, p, f, why);
    for (unsigned i = 0; i < m->nfate; i++) {
        unsigned k = m->hfate[i];
        m->def[k]->fate(m, m->dstate[k], p, f, why);
    }
}

/* vmitn_emit_packet's body, inline in the packet path (twice per scan). */
static inline void emit(vmitn_model *m, vmitn_time now, const vmitn_packet *p, enum vmitn_pkt_fate f,
                        vmitn_cause why)
{
    /* the list is fixed for the run: kept in registers across the calls */
    for (const struct vmitn_pobs *o = m->pobs[f], *end = o + m->npobs[f]; o < end; o++)
        o->packet(o->ctx, now, p, f);
    if (m->fate_tail)
        emit_tail(m, now, p, f, why);
}

void vmitn_emit_packet(vmitn_model *m, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why)
{
    emit(m, vmitn_sched_now(m->s), p, f, why);
}

void vmitn_emit_host(vmitn_model *m, unsigned h, enum vmitn_host_event e, int arg)
{
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].host)
            m->obs[i].host(m->obs[i].ctx, now, h, e, arg, &m->counts);
}

void vmitn_emit_rule(vmitn_model *m, const vmitn_pattern *p, int agent)
{
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].rule)
            m->obs[i].rule(m->obs[i].ctx, now, p, agent, m->nfes);
}

uint32_t vmitn_pkt_alloc(vmitn_model *m)
{
    if (m->pool_nfree > 0)
        return m->pool_free[--m->pool_nfree];
    if (m->pool_n == m->pool_cap) {
        m->pool_cap = m->pool_cap ? m->pool_cap * 2 : 256;
        m->pool = vmitn_xrealloc(m->pool, m->pool_cap * sizeof *m->pool);
        m->pool_free = vmitn_xrealloc(m->pool_free, m->pool_cap * sizeof *m->pool_free);
    }
    return m->pool_n++;
}

void vmitn_pkt_free(vmitn_model *m, uint32_t i) { m->pool_free[m->pool_nfree++] = i; }

/* Changes a host's guest state, keeping the counts exact without a sweep over hosts. */
void vmitn_set_state(vmitn_model *m, vmitn_mhost *h, bool infected, bool online)
{
    if (h->is_fes) {
        vmitn_counts *c = &m->counts;
        c->infected = (unsigned)((int)c->infected + (int)infected - (int)h->infected);
        c->healthy = (unsigned)((int)c->healthy + (int)(online && !infected) - (int)(h->online && !h->infected));
        c->down = (unsigned)((int)c->down + (int)!online - (int)!h->online);
    }
    h->infected = infected;
    h->online = online;
}

/* ---------- packets ---------- */

static void ev_arrive(vmitn_sched *s, void *ctx, uint64_t arg);

/* The edge routers p crosses when sent from its host: the sender's (outbound) when p
 * leaves its LAN, the receiver's LAN's (inbound) when p enters another LAN. */
static vmitn_verdict edge_hooks(vmitn_model *m, const vmitn_packet *p, const vmitn_route *r, unsigned *by)
{
    int src = vmitn_topo_lan(m->t, (unsigned)m->hosts[p->from].lan)->router;
    int in = -1;
    if (r->end == VMITN_ROUTE_HOST)
        in = vmitn_topo_lan(m->t, (unsigned)m->hosts[r->host].lan)->router;
    else if (r->end == VMITN_ROUTE_NOHOST)
        in = r->drop_router; /* the router of the LAN that holds p->dst */
    if (in == src || r->end == VMITN_ROUTE_SELF)
        return VMITN_PASS; /* inside the LAN: no edge router crossed */
    for (unsigned i = 0; i < m->nedge; i++) {
        unsigned k = m->hedge[i];
        if (m->def[k]->edge(m, m->dstate[k], p, src, true) == VMITN_DROP) {
            *by = m->def[k]->id;
            return VMITN_DROP;
        }
    }
    if (in >= 0)
        for (unsigned i = 0; i < m->nedge; i++) {
            unsigned k = m->hedge[i];
            if (m->def[k]->edge(m, m->dstate[k], p, in, false) == VMITN_DROP) {
                *by = m->def[k]->id;
                return VMITN_DROP;
            }
        }
    return VMITN_PASS;
}

/* Sends packet p from host p->from now: the modules' leave hooks (throttle, quarantine,
 * the sender's AGENT ...), the edge routers' hooks, then the network delivers it (an
 * event at arrival) or drops it (counted at once). */
static inline void resume(vmitn_model *m, vmitn_time now, vmitn_packet *p, unsigned from);

void vmitn_send_packet(vmitn_model *m, vmitn_packet *p)
{
    vmitn_time now = vmitn_sched_now(m->s); /* one clock read for the packet's two taps */
    emit(m, now, p, VMITN_PKT_SENT, VMITN_NO_CAUSE);
    resume(m, now, p, 0);
}

void vmitn_send_resume(vmitn_model *m, vmitn_packet *p, unsigned from) { resume(m, vmitn_sched_now(m->s), p, from); }

static inline void resume(vmitn_model *m, vmitn_time now, vmitn_packet *p, unsigned from)
{
    for (unsigned i = 0; i < m->nleave; i++) {
        unsigned k = m->hleave[i];
        if (k < from)
            continue;
        vmitn_verdict v = m->def[k]->leave(m, m->dstate[k], k, p);
        if (v == VMITN_HELD)
            return;
        if (v == VMITN_DROP) {
            vmitn_emit_packet(m, p, VMITN_PKT_BLOCKED_OUT, vmitn_cause_of(VMITN_AT_LEAVE, m->def[k]->id));
            return;
        }
    }
    if (p->dst == m->to_addr && m->to_ix == p->from) {
        /* its own address (a local scan that drew itself): vmitn_topo_route_ix's SELF,
         * which no edge hook sees (edge_hooks passes it) and which is dropped as NOROUTE */
        emit(m, now, p, VMITN_PKT_NOROUTE, vmitn_cause_of(VMITN_AT_NOROUTE, VMITN_BY_NONE));
        return;
    }
    if (m->nedge == 0 && p->dst == m->to_addr && m->to_ix == VMITN_TOPO_NOBODY) {
        /* a scan to an address nobody has (it is not the sender's), and no edge router
         * to show the route to: where it is dropped is all that matters, which is what
         * vmitn_topo_route_ix would find (NOHOST inside a LAN, else NOROUTE) */
        if (vmitn_topo_find_lan(m->t, p->dst) >= 0)
            emit(m, now, p, VMITN_PKT_NOHOST, vmitn_cause_of(VMITN_AT_NOHOST, VMITN_BY_NONE));
        else
            emit(m, now, p, VMITN_PKT_NOROUTE, vmitn_cause_of(VMITN_AT_NOROUTE, VMITN_BY_NONE));
        return;
    }
    vmitn_route r;
    vmitn_topo_route_ix(m->t, (unsigned)p->from, p->dst, p->dst == m->to_addr ? m->to_ix : VMITN_TOPO_ASK, &r);
    unsigned by;
    if (m->nedge && edge_hooks(m, p, &r, &by) == VMITN_DROP) {
        vmitn_emit_packet(m, p, VMITN_PKT_BLOCKED_OUT, vmitn_cause_of(VMITN_AT_EDGE, by));
        return;
    }
    switch (r.end) {
    case VMITN_ROUTE_HOST: {
        p->to = r.host;
        uint32_t pi = vmitn_pkt_alloc(m);
        m->pool[pi] = *p;
        vmitn_sched_after(m->s, vmitn_route_time(&r, p->bytes), ev_arrive, m, pi);
        return;
    }
    case VMITN_ROUTE_NOHOST:
        emit(m, now, p, VMITN_PKT_NOHOST, vmitn_cause_of(VMITN_AT_NOHOST, VMITN_BY_NONE));
        return;
    case VMITN_ROUTE_NOROUTE:
    case VMITN_ROUTE_SELF:
        emit(m, now, p, VMITN_PKT_NOROUTE, vmitn_cause_of(VMITN_AT_NOROUTE, VMITN_BY_NONE));
        return;
    }
}

void vmitn_defence_infected(vmitn_model *m, unsigned hi, int by)
{
    for (unsigned i = 0; i < m->ninf; i++) {
        unsigned k = m->hinf[i];
        m->def[k]->infected(m, m->dstate[k], hi, by);
    }
}

void vmitn_defence_intrusion(vmitn_model *m, unsigned hi)
{
    for (unsigned i = 0; i < m->nintr; i++) {
        unsigned k = m->hintr[i];
        m->def[k]->intrusion(m, m->dstate[k], hi);
    }
}

void vmitn_defence_cleaned(vmitn_model *m, unsigned hi)
{
    for (unsigned i = 0; i < m->nclean; i++) {
        unsigned k = m->hclean[i];
        m->def[k]->cleaned(m, m->dstate[k], hi);
    }
}

void vmitn_receive_packet(vmitn_model *m, vmitn_packet *p)
{
    vmitn_mhost *h = &m->hosts[p->to];
    for (unsigned i = 0; i < m->nreach; i++) {
        unsigned k = m->hreach[i];
        if (m->def[k]->reach(m, m->dstate[k], p) == VMITN_DROP) {
            vmitn_emit_packet(m, p, VMITN_PKT_BLOCKED_IN, vmitn_cause_of(VMITN_AT_REACH, m->def[k]->id));
            return;
        }
    }
    if (!h->online) {
        vmitn_emit_packet(m, p, VMITN_PKT_DOWN, vmitn_cause_of(VMITN_AT_DOWN, VMITN_BY_NONE));
        return;
    }
    vmitn_emit_packet(m, p, VMITN_PKT_DELIVERED, VMITN_NO_CAUSE);
    /* the online guest: the module its kind belongs to takes it */
    int k = p->kind < VMITN_PKT_NKINDS ? m->hdeliver[p->kind] : -1;
    if (k >= 0)
        m->def[k]->deliver(m, m->dstate[k], p);
}

static void ev_arrive(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    vmitn_model *m = ctx;
    vmitn_packet p = m->pool[arg];
    vmitn_pkt_free(m, (uint32_t)arg);
    vmitn_receive_packet(m, &p);
}
/* ---------- grid, setup, run ---------- */

static void ev_grid(vmitn_sched *s, void *ctx, uint64_t k)
{
    vmitn_model *m = ctx;
    vmitn_time now = vmitn_sched_now(s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].sample)
            m->obs[i].sample(m->obs[i].ctx, now, &m->counts);
    vmitn_time next = vmitn_secs((double)(k + 1) * m->c->grid);
    if (next <= m->end)
        vmitn_sched_at(s, next, ev_grid, m, k + 1);
}

/* Whether row d's parameters are in section sec (its name up to the first '.': "worm" and
 * "worm.strategy" are both the worm's). */
static bool in_section(const vmitn_module *d, const char *sec)
{
    size_t n = strcspn(d->name, ".");
    return strlen(sec) == n && strncmp(d->name, sec, n) == 0;
}

static bool in_any_section(const vmitn_module *d, const vmitn_param_desc *pd, size_t np)
{
    for (size_t j = 0; j < np; j++)
        if (in_section(d, pd[j].section))
            return true;
    return false;
}

/* Whether parameter i is the first of its section in the table. */
static bool first_of_section(const vmitn_param_desc *pd, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(pd[j].section, pd[i].section) == 0)
            return false;
    return true;
}

/* What no row owns (the grid, the model's limits), then every row's check in the order of
 * the parameter table's sections (as `vmitn list --model` shows them; rows of one section
 * in table order), then the rows of no section of the table (a test's), in table order:
 * with two errors at once, the one reported first is the one listed first. */
int vmitn_model_check_with(const vmitn_module *const *table, const vmitn_model_cfg *c, const vmitn_topo *t,
                           char *err, size_t errlen)
{
    if (c->grid > c->duration)
        return vmitn_fail(err, VMITN_EINPUT, "grid (%g s) is longer than duration (%g s)", c->grid, c->duration);
    /* a host index takes 24 bits of an event's argument; no topology vmitn reads or makes
     * gets there (GraphML files stop at 256 MiB, generate at 12,000,000 hosts), so this
     * guards the C API, and has no CLI test */
    if (vmitn_topo_nhosts(t) > (1u << 24))
        return vmitn_fail(err, VMITN_EINPUT, "the topology has %u hosts; the model handles at most 2^24",
                          vmitn_topo_nhosts(t));
    if (c->duration / c->grid > 1e7)
        return vmitn_fail(err, VMITN_EINPUT, "duration / grid = %g curve points per run; at most 10^7 (raise grid)",
                          c->duration / c->grid);
    size_t np;
    const vmitn_param_desc *pd = vmitn_model_params(&np);
    /* pass i < np: the rows of pd[i]'s section, at the section's first parameter; pass np:
     * the rows of no section */
    for (size_t i = 0; i <= np; i++) {
        if (i < np && !first_of_section(pd, i))
            continue;
        for (const vmitn_module *const *d = table; *d; d++) {
            bool now = i < np ? in_section(*d, pd[i].section) : !in_any_section(*d, pd, np);
            int rc = now && (*d)->check ? (*d)->check(c, t, err, errlen) : 0;
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* Insertion-free sort of the LAN hosts by address (qsort has no context argument). */
static void sort_by_addr(vmitn_model *m)
{
    /* addresses are unique: a heap sort on the index array keeps this O(n log n) */
    int *a = m->by_addr;
    unsigned n = m->nby_addr;
#define ADDR(k) (m->hosts[a[k]].addr)
    unsigned sorted = 1;
    while (sorted < n && ADDR(sorted - 1) < ADDR(sorted))
        sorted++;
    if (sorted >= n)
        return; /* in order already (a generated topology's hosts are): one pass, no sort */
    for (unsigned start = n / 2; start-- > 0;) {
        for (unsigned root = start;;) {
            unsigned child = 2 * root + 1;
            if (child >= n)
                break;
            if (child + 1 < n && ADDR(child + 1) > ADDR(child))
                child++;
            if (ADDR(root) >= ADDR(child))
                break;
            int t = a[root];
            a[root] = a[child];
            a[child] = t;
            root = child;
        }
    }
    for (unsigned end = n; end-- > 1;) {
        int t = a[0];
        a[0] = a[end];
        a[end] = t;
        for (unsigned root = 0;;) {
            unsigned child = 2 * root + 1;
            if (child >= end)
                break;
            if (child + 1 < end && ADDR(child + 1) > ADDR(child))
                child++;
            if (ADDR(root) >= ADDR(child))
                break;
            int t2 = a[root];
            a[root] = a[child];
            a[child] = t2;
            root = child;
        }
    }
#undef ADDR
}

static void model_free(vmitn_model *m)
{
    /* the rows whose set-up ran (a failed one included); those after a failed set-up
     * allocated nothing */
    for (unsigned k = 0; k < m->nsetup; k++)
        if (m->def[k]->release)
            m->def[k]->release(m, m->dstate[k]);
    for (unsigned i = 0; i < m->nhosts && m->cold_rngs; i++)
        for (int k = 0; k < VMITN_NHRNG - VMITN_NHOT; k++)
            vmitn_rng_free(m->cold[i].rng[k]);
    free(m->hosts_mem);
    free(m->cold);
    if (m->by_addr != m->fes_idx)
        free(m->by_addr);
    free(m->fes_idx);
    free(m->sus);
    free(m->regions);
    free(m->addr_sorted);
    free(m->addr_pos);
    free(m->pool);
    free(m->pool_free);
    free(m->pobs[0]);
}

/* Pending events whose argument owns memory (a module's owns_ev): free them by draining
 * the queue without running. */
static void drain(vmitn_model *m)
{
    vmitn_time t;
    vmitn_ev_fn fn;
    void *ctx;
    uint64_t arg;
    while (vmitn_sched_pop(m->s, &t, &fn, &ctx, &arg))
        for (unsigned k = 0; k < m->ndef; k++)
            if (m->def[k]->owns_ev && fn == m->def[k]->owns_ev) {
                free((void *)(uintptr_t)arg);
                break;
            }
}

/* The modules of `table` this run has, in order, and for each hook those that have it. */
static void wire(vmitn_model *m, const vmitn_module *const *table)
{
    for (int i = 0; i < VMITN_PKT_NKINDS; i++)
        m->hdeliver[i] = -1;
    m->thin_ok = true;
    for (const vmitn_module *const *d = table; *d; d++) {
        if ((*d)->enabled && !(*d)->enabled(m->c))
            continue;
        vmitn_assert(m->ndef < VMITN_MAX_DEFENCES);
        unsigned k = m->ndef++;
        m->def[k] = *d;
        m->cures |= (*d)->cures;
        m->thin_ok &= (*d)->thin_ok;
        if ((*d)->leave)
            m->hleave[m->nleave++] = (uint8_t)k;
        if ((*d)->edge)
            m->hedge[m->nedge++] = (uint8_t)k;
        if ((*d)->reach)
            m->hreach[m->nreach++] = (uint8_t)k;
        if ((*d)->fate)
            m->hfate[m->nfate++] = (uint8_t)k;
        if ((*d)->infected)
            m->hinf[m->ninf++] = (uint8_t)k;
        if ((*d)->intrusion)
            m->hintr[m->nintr++] = (uint8_t)k;
        if ((*d)->cleaned)
            m->hclean[m->nclean++] = (uint8_t)k;
        for (int i = 0; i < VMITN_PKT_NKINDS; i++)
            if ((*d)->deliver && ((*d)->kinds >> i & 1) && m->hdeliver[i] < 0)
                m->hdeliver[i] = (int8_t)k;
    }
}

int vmitn_model_run_with(const vmitn_module *const *table, const vmitn_model_cfg *c, const vmitn_topo *t,
                         uint64_t seed, unsigned run, const vmitn_observer *obs, unsigned nobs, char *err,
                         size_t errlen)
{
    int rc = vmitn_model_check_with(table, c, t, err, errlen);
    if (rc < 0)
        return rc;
    vmitn_model m = {.c = c, .t = t, .obs = obs, .nobs = nobs, .seed = seed, .run = run, .to_ix = VMITN_TOPO_ASK};
    m.nhosts = vmitn_topo_nhosts(t);
    m.hosts_mem = vmitn_xmalloc((m.nhosts + 1) * sizeof *m.hosts); /* one record more: room to align */
    m.hosts = (vmitn_mhost *)(((uintptr_t)m.hosts_mem + _Alignof(vmitn_mhost) - 1) & ~(uintptr_t)(_Alignof(vmitn_mhost) - 1));
    memset(m.hosts, 0, m.nhosts * sizeof *m.hosts);
    m.cold = vmitn_xcalloc(m.nhosts ? m.nhosts : 1, sizeof *m.cold);
    m.fes_idx = vmitn_xmalloc(m.nhosts * sizeof *m.fes_idx);
    m.end = vmitn_secs(c->duration);
    m.s = vmitn_sched_new(VMITN_SCHED_LADDER); /* faster than the 4-ary heap on every paper scenario and
                                                * outbreak, same order (README, benchmarks) */
    for (unsigned i = 0; i < m.nhosts; i++) {
        vmitn_mhost *h = &m.hosts[i];
        vmitn_host th = vmitn_topo_host(t, i);
        h->addr = th.addr;
        h->lan = th.lan;
        h->is_fes = th.kind == VMITN_HOST_FES;
        h->online = th.lan >= 0; /* FES and plain hosts serve; the SMC has no wired NIC */
        h->backup_ready = true;
        h->next_port = 1024;
        if (h->is_fes)
            m.fes_idx[m.nfes++] = (int)i;
    }
    m.by_addr = vmitn_xmalloc(m.nhosts * sizeof *m.by_addr);
    for (unsigned i = 0; i < m.nhosts; i++)
        if (m.hosts[i].lan >= 0)
            m.by_addr[m.nby_addr++] = (int)i;
    sort_by_addr(&m);
    if (m.nby_addr == m.nfes && memcmp(m.by_addr, m.fes_idx, m.nfes * sizeof *m.by_addr) == 0) {
        free(m.by_addr); /* the same list (a generated topology's): kept once */
        m.by_addr = m.fes_idx;
    }
    m.counts.hosts = m.nfes;
    m.counts.healthy = m.nfes; /* every FES guest starts clean and online */
    m.pobs[0] = vmitn_xmalloc(((size_t)nobs * VMITN_PKT_NFATES + 1) * sizeof *m.pobs[0]);
    for (int f = 0; f < VMITN_PKT_NFATES; f++) {
        m.pobs[f] = m.pobs[0] + (size_t)f * nobs;
        for (unsigned i = 0; i < nobs; i++)
            if (obs[i].packet && (obs[i].fates == 0 || (obs[i].fates >> f & 1)))
                m.pobs[f][m.npobs[f]++] = (struct vmitn_pobs){obs[i].packet, obs[i].ctx};
    }
    for (unsigned i = 0; i < nobs; i++)
        m.want_why |= obs[i].dropped != NULL;
    wire(&m, table);
    m.fate_tail = m.want_why || m.nfate > 0;
    /* phase 1, the grid, phase 2 (the order events are scheduled in is part of the results) */
    for (unsigned k = 0; k < m.ndef && rc == 0; k++) {
        m.nsetup = k + 1;
        if (m.def[k]->setup)
            rc = m.def[k]->setup(&m, k, &m.dstate[k], err, errlen);
    }
    if (rc == 0)
        vmitn_sched_at(m.s, 0, ev_grid, &m, 0);
    for (unsigned k = 0; k < m.ndef && rc == 0; k++)
        if (m.def[k]->start)
            rc = m.def[k]->start(&m, k, &m.dstate[k], err, errlen);
    if (rc == 0) {
        uint64_t events = vmitn_sched_run(m.s, m.end);
        for (unsigned i = 0; i < nobs; i++)
            if (obs[i].finish)
                obs[i].finish(obs[i].ctx, m.end, events);
    }
    drain(&m);
    vmitn_sched_free(m.s);
    model_free(&m);
    return rc;
}
