/* model.c — one replication of the VMITN testbed: hosts, worm, flood, legitimate traffic,
 * FES (SPY, AGENT, VM Switcher), OOB network and SMC.  Every modelling decision is in
 * docs/MODEL.md; the comments here say why the code is shaped as it is.
 *
 * Packets cross the network as one event each, at their arrival time (path delay plus
 * transmission time, no queueing); a packet that reaches no host is counted where a
 * router would drop it and needs no event at all, which is what keeps a scan cheap. */
#include "vmitn/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/rng.h"
#include "vmitn/util.h"

enum { REG_LOCAL, REG_NEAR, REG_ANY, NREG };

typedef struct region {
    uint32_t base;      /* first literal address of the region */
    uint64_t literal;   /* literal size: 2^(32 - prefix) */
    uint64_t size;      /* effective size, >= nhosts */
    const int *hosts;   /* hosts whose address is in the region (the scanner's own too): a
                         * slice of the model's address-sorted host list, shared */
    unsigned nhosts;
} region;

/* A header kept for the next report, with its capture order. */
struct seen {
    vmitn_hdr h;
    uint64_t seq;
};

/* The host's random streams (rng.h purposes). */
enum hrng { R_SCAN, R_WORM, R_FES, R_SW, R_CLEAN, R_OOB, R_LEGIT, R_REPORT };
static const int hrng_purpose[8] = {VMITN_STREAM_SCAN, VMITN_STREAM_WORM, VMITN_STREAM_FES, VMITN_STREAM_SWITCH,
                                    VMITN_STREAM_CLEAN, VMITN_STREAM_OOB, VMITN_STREAM_LEGIT, VMITN_STREAM_REPORT};

typedef struct host {
    const vmitn_host *h;
    bool is_fes;
    /* guest state */
    uint32_t epoch;   /* bumps whenever another guest takes the host: stale events die */
    bool infected;    /* the running guest is infected */
    bool online;      /* the running guest is connected and serving */
    bool switching;   /* the VM Switcher is between guests */
    bool backup_ready;
    bool waiting;     /* ordered to switch, no backup yet */
    bool active;      /* the worm in the running guest is scanning */
    bool detect_on_scan; /* the launch host: SPY's alarm chain starts at the worm's first scan */
    /* AGENT */
    vmitn_pattern *rules;
    unsigned nrules, caprules;
    struct seen *batch;
    unsigned nbatch;
    uint64_t period_seen;
    /* localized scanning */
    region reg[NREG];
    double hitw[NREG];  /* fast path: p_region * hosts / size, a scan's chance to hit in use */
    double phit;        /* their sum */
    double pending_k;   /* scans up to the scheduled hit */
    vmitn_time hit_from; /* when the scans toward it began (the last hit, or the start) */
    vmitn_rng *rng[8]; /* per purpose (enum hrng), created on first use: most hosts of a
                        * large network never need most of them */
    uint16_t next_port;
} host;

typedef struct batch_msg {
    unsigned n;
    vmitn_hdr h[];
} batch_msg;

typedef struct model {
    const vmitn_model_cfg *c;
    const vmitn_topo *t;
    vmitn_sched *s;
    const vmitn_observer *obs;
    unsigned nobs;
    host *hosts;
    unsigned nhosts, nfes;
    int *fes_idx;         /* FES host indices */
    int *by_addr;         /* LAN hosts sorted by address: regions are slices of it */
    unsigned nby_addr;
    vmitn_counts counts;
    vmitn_packet *pool;   /* packets in flight */
    uint32_t *pool_free;
    unsigned pool_n, pool_cap, pool_nfree;
    vmitn_learner *learner;
    vmitn_rng *smc_oob, *flood;
    vmitn_time scan_gap, end;
    vmitn_time air_free;  /* when the shared OOB medium is next free */
    uint64_t seed;
    unsigned run;
    uint64_t hdr_seq;
    int flood_host;
} model;

/* ---------- small helpers ---------- */

/* Host h's stream for a purpose, created on first use (its draws do not depend on when). */
static vmitn_rng *hr(model *m, host *h, enum hrng k)
{
    if (h->rng[k] == NULL)
        h->rng[k] = vmitn_rng_new(m->seed, m->run, VMITN_STREAM(hrng_purpose[k], (unsigned)(h - m->hosts)));
    return h->rng[k];
}

static double secs_draw(vmitn_rng *r, double mean, double cv)
{
    return vmitn_rng_gamma_cv(r, mean, cv);
}

static vmitn_time draw(vmitn_rng *r, double mean, double cv) { return vmitn_secs(secs_draw(r, mean, cv)); }

/* One OOB message of `bytes` bytes sent now: it waits for the shared 802.11 medium, holds
 * it for its airtime (bytes / oob.bandwidth), and each attempt is lost with probability
 * oob.loss and sent again (holding the medium again) after oob.retry; the attempt that
 * gets through then takes the gamma-distributed latency of Table 1's "AGENT forward to
 * SMC" (the software and protocol time of a small message).  Returns the delay. */
static vmitn_time oob_send(model *m, vmitn_rng *r, double bytes)
{
    const vmitn_model_cfg *c = m->c;
    vmitn_time now = vmitn_sched_now(m->s), t = now;
    vmitn_time air = c->oob.bandwidth > 0 ? vmitn_secs((bytes + c->oob.msg_bytes) * 8 / c->oob.bandwidth) : 0;
    for (;;) {
        if (t < m->air_free)
            t = m->air_free;
        t += air;
        m->air_free = t;
        if (!(c->oob.loss > 0 && vmitn_rng_uniform(r) < c->oob.loss))
            break;
        t += vmitn_secs(c->oob.retry);
    }
    return t - now + draw(r, c->oob.latency, c->oob.cv);
}

static void emit_packet(model *m, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].packet)
            m->obs[i].packet(m->obs[i].ctx, now, p, f);
}

static void emit_host(model *m, unsigned h, enum vmitn_host_event e, int arg)
{
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].host)
            m->obs[i].host(m->obs[i].ctx, now, h, e, arg, &m->counts);
}

static void emit_rule(model *m, const vmitn_pattern *p, int agent)
{
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].rule)
            m->obs[i].rule(m->obs[i].ctx, now, p, agent, m->nfes);
}

static uint32_t pkt_alloc(model *m)
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

static void pkt_free(model *m, uint32_t i) { m->pool_free[m->pool_nfree++] = i; }

/* Changes a host's guest state, keeping the counts exact without a sweep over hosts. */
static void set_state(model *m, host *h, bool infected, bool online)
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

static bool tapped(int mode, bool outbound)
{
    return mode == VMITN_TAP_BOTH || (outbound ? mode == VMITN_TAP_OUT : mode == VMITN_TAP_IN);
}

static bool agent_blocks(const host *h, const vmitn_hdr *hd)
{
    for (unsigned i = 0; i < h->nrules; i++)
        if (vmitn_pattern_match(&h->rules[i], hd))
            return true;
    return false;
}

/* ---------- SMC, learner and rule distribution ---------- */

static void ev_rule_arrive(vmitn_sched *s, void *ctx, uint64_t arg);

static void smc_learn(model *m, const vmitn_hdr *h)
{
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].learn)
            m->obs[i].learn(m->obs[i].ctx, now, h);
    vmitn_pattern rule;
    if (!vmitn_learner_feed(m->learner, now, h, &rule))
        return;
    emit_rule(m, &rule, -1);
    for (unsigned k = 0; k < m->nfes; k++) {
        uint32_t pi = pkt_alloc(m);
        /* the pattern rides in a packet slot: src, dst, dport, and wild in proto */
        m->pool[pi] = (vmitn_packet){.src = rule.src, .dst = rule.dst, .dport = rule.port,
                                     .proto = rule.wild, .to = m->fes_idx[k]};
        vmitn_sched_after(m->s, oob_send(m, m->smc_oob, m->c->oob.hdr_bytes), ev_rule_arrive, m, pi);
    }
}

static void ev_rule_arrive(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    vmitn_packet p = m->pool[arg];
    pkt_free(m, (uint32_t)arg);
    host *h = &m->hosts[p.to];
    if (h->nrules == h->caprules) {
        h->caprules = h->caprules ? h->caprules * 2 : 4;
        h->rules = vmitn_xrealloc(h->rules, h->caprules * sizeof *h->rules);
    }
    vmitn_pattern pat = {.src = p.src, .dst = p.dst, .port = p.dport, .wild = p.proto};
    h->rules[h->nrules++] = pat;
    emit_rule(m, &pat, p.to);
}

static void ev_smc_header(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    vmitn_packet p = m->pool[arg];
    pkt_free(m, (uint32_t)arg);
    vmitn_hdr h = {p.src, p.dst, p.dport};
    smc_learn(m, &h);
}

static void ev_smc_batch(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    batch_msg *b = (batch_msg *)(uintptr_t)arg;
    for (unsigned i = 0; i < b->n; i++)
        smc_learn(m, &b->h[i]);
    free(b);
}

/* The AGENT of host hi saw header p: report it now, or keep it for the next report. */
static void agent_tap(model *m, unsigned hi, const vmitn_packet *p)
{
    host *h = &m->hosts[hi];
    if (m->c->smc.report_period <= 0) {
        uint32_t pi = pkt_alloc(m);
        m->pool[pi] = *p;
        vmitn_sched_after(m->s, oob_send(m, hr(m, h, R_REPORT), m->c->oob.hdr_bytes), ev_smc_header, m, pi);
        return;
    }
    /* Reservoir sampling keeps a uniform sample of report_max headers per period. */
    unsigned cap = (unsigned)m->c->smc.report_max;
    uint64_t k = h->period_seen++;
    vmitn_hdr hd = {p->src, p->dst, p->dport};
    if (cap == 0 || k < cap) {
        if (cap == 0 && h->nbatch % 1024 == 0)
            h->batch = vmitn_xrealloc(h->batch, (h->nbatch + 1024) * sizeof *h->batch);
        h->batch[h->nbatch].h = hd;
        h->batch[h->nbatch].seq = m->hdr_seq++;
        h->nbatch++;
    } else {
        uint64_t j = vmitn_rng_below(hr(m, h, R_REPORT), k + 1);
        if (j < cap) {
            h->batch[j].h = hd;
            h->batch[j].seq = m->hdr_seq++;
        }
    }
}

static int by_seq(const void *a, const void *b)
{
    uint64_t x = ((const struct seen *)a)->seq, y = ((const struct seen *)b)->seq;
    return (x > y) - (x < y);
}

static void ev_report(vmitn_sched *s, void *ctx, uint64_t arg)
{
    model *m = ctx;
    host *h = &m->hosts[arg];
    if (h->nbatch > 0) {
        /* the sample goes to the SMC in the order it was seen */
        qsort(h->batch, h->nbatch, sizeof *h->batch, by_seq);
        batch_msg *b = vmitn_xmalloc(sizeof *b + h->nbatch * sizeof(vmitn_hdr));
        b->n = h->nbatch;
        for (unsigned i = 0; i < h->nbatch; i++)
            b->h[i] = h->batch[i].h;
        vmitn_sched_after(s, oob_send(m, hr(m, h, R_REPORT), (double)b->n * m->c->oob.hdr_bytes), ev_smc_batch, m,
                          (uint64_t)(uintptr_t)b);
    }
    h->nbatch = 0;
    h->period_seen = 0;
    vmitn_time next = vmitn_sched_now(s) + vmitn_secs(m->c->smc.report_period);
    if (next <= m->end)
        vmitn_sched_at(s, next, ev_report, m, arg);
}

/* ---------- packets ---------- */

static void ev_arrive(vmitn_sched *s, void *ctx, uint64_t arg);

/* Sends packet p from host `from` now: the sender's AGENT taps and filters it, then the
 * network delivers it (an event at arrival) or drops it (counted at once). */
static void send_packet(model *m, vmitn_packet *p)
{
    host *src = &m->hosts[p->from];
    vmitn_hdr hd = {p->src, p->dst, p->dport};
    emit_packet(m, p, VMITN_PKT_SENT);
    if (m->learner && src->is_fes && tapped(m->c->smc.tap, true))
        agent_tap(m, (unsigned)p->from, p);
    if (src->nrules && tapped(m->c->smc.block, true) && agent_blocks(src, &hd)) {
        emit_packet(m, p, VMITN_PKT_BLOCKED_OUT);
        return;
    }
    vmitn_route r;
    vmitn_topo_route(m->t, (unsigned)p->from, p->dst, &r);
    switch (r.end) {
    case VMITN_ROUTE_HOST: {
        p->to = r.host;
        uint32_t pi = pkt_alloc(m);
        m->pool[pi] = *p;
        vmitn_sched_after(m->s, vmitn_route_time(&r, p->bytes), ev_arrive, m, pi);
        return;
    }
    case VMITN_ROUTE_NOHOST:
        emit_packet(m, p, VMITN_PKT_NOHOST);
        return;
    case VMITN_ROUTE_NOROUTE:
    case VMITN_ROUTE_SELF:
        emit_packet(m, p, VMITN_PKT_NOROUTE);
        return;
    }
}

static uint16_t ephemeral(host *h)
{
    uint16_t p = h->next_port;
    h->next_port = p >= 65000 ? 1024 : p + 1;
    return p;
}

static void infect(model *m, unsigned hi, int by, bool launch);

static void ev_exploit_send(vmitn_sched *s, void *ctx, uint64_t arg);

static void deliver(model *m, vmitn_packet *p)
{
    host *h = &m->hosts[p->to];
    const vmitn_model_cfg *c = m->c;
    switch (p->kind) {
    case VMITN_PKT_SCAN:
        if (c->worm.proto == 17) { /* a single-packet UDP worm: the scan is the exploit */
            if (h->is_fes && c->fes.vulnerable && !h->infected && p->dport == c->worm.port)
                infect(m, (unsigned)p->to, p->from, false);
            break;
        }
        /* SYN to the vulnerable port of a clean guest: the handshake completes and the
         * attacker sends the exploit one round trip later (ev_exploit_send). */
        if (h->is_fes && c->fes.vulnerable && !h->infected && p->dport == c->worm.port) {
            vmitn_route back;
            vmitn_topo_route(m->t, (unsigned)p->to, p->src, &back);
            if (back.end == VMITN_ROUTE_HOST) {
                uint64_t a = (uint64_t)(uint32_t)p->from | ((uint64_t)(uint32_t)p->to << 20) |
                             ((uint64_t)m->hosts[p->from].epoch << 40);
                vmitn_sched_after(m->s, vmitn_route_time(&back, c->worm.scan_bytes), ev_exploit_send, m, a);
            }
        }
        break;
    case VMITN_PKT_EXPLOIT:
        if (h->is_fes && c->fes.vulnerable && !h->infected)
            infect(m, (unsigned)p->to, p->from, false);
        break;
    case VMITN_PKT_LEGIT:
        if (p->sport == 80 || p->sport == 25)
            break; /* a response: the request was served */
        if (!h->infected) {
            vmitn_packet r = {.src = p->dst, .dst = p->src, .sport = p->dport, .dport = p->sport,
                              .proto = 6, .kind = VMITN_PKT_LEGIT, .bytes = p->bytes,
                              .from = p->to, .to = p->from};
            send_packet(m, &r);
        }
        break;
    default:
        break;
    }
}

static void ev_arrive(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    vmitn_packet p = m->pool[arg];
    pkt_free(m, (uint32_t)arg);
    host *h = &m->hosts[p.to];
    vmitn_hdr hd = {p.src, p.dst, p.dport};
    if (m->learner && h->is_fes && tapped(m->c->smc.tap, false))
        agent_tap(m, (unsigned)p.to, &p);
    if (h->nrules && tapped(m->c->smc.block, false) && agent_blocks(h, &hd)) {
        emit_packet(m, &p, VMITN_PKT_BLOCKED_IN);
        return;
    }
    if (!h->online) {
        emit_packet(m, &p, VMITN_PKT_DOWN);
        return;
    }
    emit_packet(m, &p, VMITN_PKT_DELIVERED);
    deliver(m, &p);
}

/* ---------- Code Red ---------- */

static uint32_t scan_target(model *m, host *h)
{
    const vmitn_model_cfg *c = m->c;
    double u = vmitn_rng_uniform(hr(m, h, R_SCAN));
    int r = u < c->worm.p_local ? REG_LOCAL : u < c->worm.p_local + c->worm.p_near ? REG_NEAR : REG_ANY;
    const region *g = &h->reg[r];
    /* An effective region of `size` addresses holding the same hosts: each host is hit
     * with probability 1/size, the rest are empty addresses.  With size = literal this
     * is exactly a uniform draw over the literal region. */
    uint64_t k = vmitn_rng_below(hr(m, h, R_SCAN), g->size);
    if (k < g->nhosts)
        return m->hosts[g->hosts[k]].h->addr;
    for (;;) { /* an empty address, uniform over the literal region's empty ones */
        uint32_t a = g->base + (uint32_t)vmitn_rng_below(hr(m, h, R_SCAN), g->literal);
        if (vmitn_topo_find_addr(m->t, a) < 0)
            return a;
    }
}

/* Time to the next scan: a fixed interval, or an exponential one (a Poisson scanner). */
static vmitn_time scan_gap(model *m, host *h)
{
    return m->c->worm.poisson ? vmitn_secs(vmitn_rng_exp(hr(m, h, R_WORM), 1.0 / m->c->worm.rate)) : m->scan_gap;
}

static void ev_scan(vmitn_sched *s, void *ctx, uint64_t arg)
{
    model *m = ctx;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    host *h = &m->hosts[hi];
    if ((uint32_t)(arg >> 32) != h->epoch || !h->active || !h->online)
        return;
    vmitn_packet p = {.src = h->h->addr, .dst = scan_target(m, h), .sport = ephemeral(h),
                      .dport = (uint16_t)m->c->worm.port, .proto = (uint8_t)m->c->worm.proto, .kind = VMITN_PKT_SCAN,
                      .bytes = (uint16_t)m->c->worm.scan_bytes, .from = (int32_t)hi, .to = -1};
    send_packet(m, &p);
    vmitn_sched_after(s, scan_gap(m, h), ev_scan, m, arg);
}

/* ---------- the exact fast path ----------
 * A scanner's scans are independent draws: each hits an address in use with probability
 * phit = sum over regions of p_r n_r / S_r.  The number of scans up to the next hit is
 * geometric, so the next hit comes K intervals later (fixed interval) or after a
 * Gamma(K, 1/rate) time (Poisson scanning): exactly when the packet-level model's would.
 * The hit's region is drawn with weights p_r n_r / S_r, its target uniformly among the
 * region's hosts; the K - 1 scans before it hit nobody and are counted per region. */
static void ev_hit(vmitn_sched *s, void *ctx, uint64_t arg);

/* Splits n scans over the regions with weights w (a multinomial draw, as binomials). */
static void split_counts(vmitn_rng *r, double n, const double w[NREG], double out[NREG])
{
    double tot = 0;
    for (int g = 0; g < NREG; g++) {
        tot += w[g];
        out[g] = 0;
    }
    for (int g = 0; g < NREG && n > 0; g++) {
        if (g == NREG - 1 || tot <= 0) {
            out[g] = n;
            break;
        }
        double q = w[g] / tot, k;
        if (q <= 0)
            k = 0;
        else if (q >= 1)
            k = n;
        else
            k = n < 4e9 ? (double)vmitn_rng_binomial(r, q, (unsigned)n) : n * q;
        out[g] = k;
        n -= k;
        tot -= w[g];
    }
}

/* Nothing can change any more: every FES host is infected and nothing cures one. */
static bool settled(const model *m)
{
    return m->counts.infected == m->nfes && !m->c->fes.handover && !m->c->smc.learning;
}

/* Seconds (as a double: rare hits can lie far beyond any int64 time) to the next hit. */
static double until_hit(model *m, host *h, double *k_out)
{
    vmitn_rng *r = hr(m, h, R_WORM);
    double k = vmitn_rng_geometric(r, h->phit);
    *k_out = k;
    if (m->c->worm.poisson)
        return vmitn_rng_gamma(r, k, 1.0 / m->c->worm.rate);
    return k * vmitn_to_secs(m->scan_gap);
}

/* Counts, as scans that hit nobody, those a fast-path host sent between `from` and `to`
 * without reaching its next hit: all of them misses, split over the regions. */
static void count_misses(model *m, host *h, unsigned hi, vmitn_time from, vmitn_time to, double cap)
{
    const vmitn_model_cfg *c = m->c;
    double w = (double)(to - from) / (double)m->scan_gap, mw[NREG], split[NREG];
    double p[NREG] = {c->worm.p_local, c->worm.p_near, c->worm.p_any};
    vmitn_rng *r = hr(m, h, R_SCAN);
    double n = c->worm.poisson ? (double)vmitn_rng_poisson(r, w * (1 - h->phit)) : floor(w);
    if (n > cap)
        n = cap;
    if (n <= 0)
        return;
    for (int g = 0; g < NREG; g++)
        mw[g] = p[g] - h->hitw[g];
    split_counts(r, n, mw, split);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].skipped)
            m->obs[i].skipped(m->obs[i].ctx, vmitn_sched_now(m->s), hi, split);
}

static void schedule_hit(model *m, unsigned hi)
{
    host *h = &m->hosts[hi];
    if (h->phit <= 0)
        return; /* nothing in use anywhere it scans: it never hits */
    double k;
    double dt = until_hit(m, h, &k);
    vmitn_time now = vmitn_sched_now(m->s);
    h->hit_from = now;
    h->pending_k = k;
    if (dt > vmitn_to_secs(m->end - now)) {
        /* the next hit lies beyond the run: the scans up to the end all hit nobody */
        count_misses(m, h, hi, now, m->end, k - 1);
        h->pending_k = 0; /* counted */
        return;
    }
    /* a host has one hit pending at a time: its k waits in the host */
    vmitn_sched_after(m->s, vmitn_secs(dt), ev_hit, m, hi | ((uint64_t)h->epoch << 32));
}

/* The guest stops scanning (switched, shut down): on the fast path the scans it sent
 * since its last hit are counted now, since its pending hit will never come. */
static void stop_scanning(model *m, host *h)
{
    if (h->active && m->c->worm.fast && h->pending_k > 1)
        count_misses(m, h, (unsigned)(h - m->hosts), h->hit_from, vmitn_sched_now(m->s), h->pending_k - 1);
    h->pending_k = 0;
    h->active = false;
}

static void ev_hit(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    host *h = &m->hosts[hi];
    if ((uint32_t)(arg >> 32) != h->epoch || !h->active || !h->online)
        return;
    vmitn_rng *r = hr(m, h, R_SCAN);
    /* the misses before this hit, split over the regions */
    const vmitn_model_cfg *c = m->c;
    double p[NREG] = {c->worm.p_local, c->worm.p_near, c->worm.p_any}, mw[NREG], split[NREG];
    for (int g = 0; g < NREG; g++)
        mw[g] = p[g] - h->hitw[g];
    split_counts(r, h->pending_k - 1, mw, split);
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].skipped)
            m->obs[i].skipped(m->obs[i].ctx, now, hi, split);
    /* the hit */
    double u = vmitn_rng_uniform(r) * h->phit;
    int g = u < h->hitw[REG_LOCAL] ? REG_LOCAL : u < h->hitw[REG_LOCAL] + h->hitw[REG_NEAR] ? REG_NEAR : REG_ANY;
    if (h->reg[g].nhosts == 0)
        g = h->reg[REG_NEAR].nhosts ? REG_NEAR : REG_ANY;
    const region *rg = &h->reg[g];
    uint32_t dst = m->hosts[rg->hosts[vmitn_rng_below(r, rg->nhosts)]].h->addr;
    vmitn_packet pk = {.src = h->h->addr, .dst = dst, .sport = ephemeral(h), .dport = (uint16_t)c->worm.port,
                       .proto = (uint8_t)c->worm.proto, .kind = VMITN_PKT_SCAN, .bytes = (uint16_t)c->worm.scan_bytes,
                       .from = (int32_t)hi, .to = -1};
    send_packet(m, &pk);
    if (settled(m)) {
        /* the rest of this host's scans can change nothing: counted up to the end of the
         * run (split over regions as scans choose them), not sent */
        double left = (double)(m->end - now) / (double)m->scan_gap;
        left = c->worm.poisson ? (double)vmitn_rng_poisson(r, left) : floor(left);
        split_counts(r, left, p, split);
        for (unsigned i = 0; i < m->nobs; i++)
            if (m->obs[i].skipped)
                m->obs[i].skipped(m->obs[i].ctx, now, hi, split);
        h->pending_k = 0;
        return;
    }
    schedule_hit(m, hi);
}

static void spy_detect(model *m, unsigned hi);

static void start_scanning(model *m, unsigned hi)
{
    host *h = &m->hosts[hi];
    h->active = true;
    emit_host(m, hi, VMITN_EV_ACTIVE, -1);
    if (h->detect_on_scan) {
        h->detect_on_scan = false;
        spy_detect(m, hi);
    }
    if (m->c->worm.enabled && m->c->worm.rate > 0 && m->c->worm.fast) {
        schedule_hit(m, hi);
        return;
    }
    /* the first scan comes one gap after the start, so a Poisson scanner stays Poisson */
    if (m->c->worm.enabled && m->c->worm.rate > 0)
        vmitn_sched_after(m->s, scan_gap(m, h), ev_scan, m, hi | ((uint64_t)h->epoch << 32));
}

static void ev_activate(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    host *h = &m->hosts[hi];
    if ((uint32_t)(arg >> 32) == h->epoch && h->infected && h->online)
        start_scanning(m, hi);
}

static void ev_exploit_send(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    unsigned from = (unsigned)(arg & 0xfffff), to = (unsigned)((arg >> 20) & 0xfffff);
    host *a = &m->hosts[from];
    if ((uint32_t)(arg >> 40) != (a->epoch & 0xffffff) || !a->online || !a->infected)
        return; /* the attacking guest was switched off: the connection dies */
    vmitn_packet p = {.src = a->h->addr, .dst = m->hosts[to].h->addr, .sport = ephemeral(a),
                      .dport = (uint16_t)m->c->worm.port, .proto = 6, .kind = VMITN_PKT_EXPLOIT,
                      .bytes = (uint16_t)m->c->worm.exploit_bytes, .from = (int32_t)from, .to = -1};
    send_packet(m, &p);
}

/* ---------- FES: SPY, AGENT, VM Switcher ---------- */

static void ev_alarm(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_reported(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_smc_alarm(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_display(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_mounted(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_switched(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_cleaned(vmitn_sched *s, void *ctx, uint64_t arg);

#define HE(hi, h) ((uint64_t)(hi) | ((uint64_t)(h)->epoch << 32))
#define H_OF(arg) ((unsigned)((arg) & 0xffffffffu))
#define EPOCH_OK(m, arg) ((uint32_t)((arg) >> 32) == (m)->hosts[H_OF(arg)].epoch)

/* SPY's HIDS notices the intrusion: its alarm chain (Table 1) starts now.  It runs with or
 * without Rapid Hand Over, so that both variants draw the same numbers (common random
 * numbers across variants). */
static void spy_detect(model *m, unsigned hi)
{
    host *h = &m->hosts[hi];
    if (m->c->fes.spy)
        vmitn_sched_after(m->s, draw(hr(m, h, R_FES), m->c->fes.alarm, m->c->fes.cv), ev_alarm, m, HE(hi, h));
}

/* A victim is infected by an exploit (or by hand, `inject`): it scans after its start-up
 * delay and SPY sees the intrusion at once.  The launched worm (launch = true) has no
 * exploit: it starts after worm.launch_startup, and with worm.launch_detect = scan SPY sees
 * it only when it starts scanning. */
static void infect(model *m, unsigned hi, int by, bool launch)
{
    host *h = &m->hosts[hi];
    const vmitn_model_cfg *c = m->c;
    set_state(m, h, true, h->online);
    m->counts.infections++;
    emit_host(m, hi, VMITN_EV_INFECTED, by);
    double startup = launch ? c->worm.launch_startup : c->worm.activation;
    bool on_scan = launch && c->worm.launch_detect == VMITN_LAUNCH_SCAN;
    h->detect_on_scan = on_scan;
    if (launch && startup <= 0)
        start_scanning(m, hi);
    else
        vmitn_sched_after(m->s, draw(hr(m, h, R_WORM), startup, c->worm.activation_cv), ev_activate, m, HE(hi, h));
    if (!on_scan)
        spy_detect(m, hi);
}

static void ev_alarm(vmitn_sched *s, void *ctx, uint64_t arg)
{
    model *m = ctx;
    if (!EPOCH_OK(m, arg))
        return;
    host *h = &m->hosts[H_OF(arg)];
    emit_host(m, H_OF(arg), VMITN_EV_ALARM, -1);
    vmitn_sched_after(s, draw(hr(m, h, R_FES), m->c->fes.report, m->c->fes.cv), ev_reported, m, arg);
}

static void ev_reported(vmitn_sched *s, void *ctx, uint64_t arg)
{
    model *m = ctx;
    if (!EPOCH_OK(m, arg))
        return;
    host *h = &m->hosts[H_OF(arg)];
    emit_host(m, H_OF(arg), VMITN_EV_REPORTED, -1);
    vmitn_sched_after(s, oob_send(m, hr(m, h, R_OOB), m->c->oob.hdr_bytes), ev_smc_alarm, m, arg);
}

static void ev_smc_alarm(vmitn_sched *s, void *ctx, uint64_t arg)
{
    model *m = ctx;
    if (!EPOCH_OK(m, arg))
        return;
    emit_host(m, H_OF(arg), VMITN_EV_SMC_ALARM, -1);
    vmitn_sched_after(s, draw(hr(m, &m->hosts[H_OF(arg)], R_FES), m->c->fes.display, m->c->fes.cv), ev_display, m, arg);
}

/* The switch: the VM Switcher mounts the backup's disk and unmounts the infected one;
 * then the backup serves.  The infected guest keeps running until then (a seamless
 * hand-over, paper 3.3), or leaves the network at once with fes.isolate_at = display,
 * leaving the host down for the switch. */
static void begin_switch(model *m, unsigned hi)
{
    host *h = &m->hosts[hi];
    h->waiting = false;
    h->switching = true;
    h->backup_ready = false;
    if (m->c->fes.isolate_at == VMITN_ISOLATE_DISPLAY || !h->online) {
        set_state(m, h, false, false);
        stop_scanning(m, h);
        h->epoch++;
    }
    emit_host(m, hi, VMITN_EV_SWITCHING, -1);
    vmitn_sched_after(m->s, draw(hr(m, h, R_SW), m->c->fes.mount, m->c->fes.cv), ev_mounted, m, HE(hi, h));
}

static void ev_display(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    if (!EPOCH_OK(m, arg))
        return;
    unsigned hi = H_OF(arg);
    host *h = &m->hosts[hi];
    emit_host(m, hi, VMITN_EV_DISPLAYED, -1);
    if (!m->c->fes.handover)
        return;
    if (h->backup_ready) {
        begin_switch(m, hi);
        return;
    }
    h->waiting = true;
    if (m->c->fes.no_backup == VMITN_NOBACKUP_ISOLATE) {
        /* The SMC shuts the infected guest down (Table 1's first cleaning step): the worm
         * no longer runs there, and the host is down until the backup is clean. */
        set_state(m, h, false, false);
        stop_scanning(m, h);
        h->epoch++;
    }
    emit_host(m, hi, VMITN_EV_NO_BACKUP, -1);
}

static void ev_mounted(vmitn_sched *s, void *ctx, uint64_t arg)
{
    model *m = ctx;
    if (!EPOCH_OK(m, arg))
        return;
    emit_host(m, H_OF(arg), VMITN_EV_MOUNTED, -1);
    vmitn_sched_after(s, draw(hr(m, &m->hosts[H_OF(arg)], R_SW), m->c->fes.unmount, m->c->fes.cv), ev_switched, m, arg);
}

static void ev_switched(vmitn_sched *s, void *ctx, uint64_t arg)
{
    model *m = ctx;
    if (!EPOCH_OK(m, arg))
        return;
    unsigned hi = H_OF(arg);
    host *h = &m->hosts[hi];
    h->switching = false;
    set_state(m, h, false, true);
    stop_scanning(m, h);
    h->epoch++; /* the old guest's scans and connections die with it */
    emit_host(m, hi, VMITN_EV_SWITCHED, -1);
    const vmitn_model_cfg *c = m->c;
    if (c->fes.backup == VMITN_BACKUP_ALWAYS) {
        /* "one guest OS replication is always ready on line" (3.3): another clean replica
         * is hidden and ready at once; the infected image is cleaned offline, off the
         * critical path, and is not needed as the next backup. */
        h->backup_ready = true;
        return;
    }
    /* The old image: shut down, mount, scan and clean, unmount, restart. */
    double t = secs_draw(hr(m, h, R_CLEAN), c->fes.shutdown, c->fes.cv) + secs_draw(hr(m, h, R_CLEAN), c->fes.mount, c->fes.cv) +
               secs_draw(hr(m, h, R_CLEAN), c->fes.clean, c->fes.cv) + secs_draw(hr(m, h, R_CLEAN), c->fes.unmount, c->fes.cv) +
               secs_draw(hr(m, h, R_CLEAN), c->fes.restart, c->fes.cv);
    vmitn_sched_after(s, vmitn_secs(t), ev_cleaned, m, hi);
}

static void ev_cleaned(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    host *h = &m->hosts[arg];
    h->backup_ready = true;
    emit_host(m, (unsigned)arg, VMITN_EV_CLEANED, -1);
    if (h->waiting)
        begin_switch(m, (unsigned)arg);
}

/* ---------- flood and legitimate traffic ---------- */

static void ev_flood(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)arg;
    model *m = ctx;
    const vmitn_model_cfg *c = m->c;
    vmitn_time now = vmitn_sched_now(s);
    if (c->flood.stop > c->flood.start && now >= vmitn_secs(c->flood.stop))
        return;
    host *h = &m->hosts[m->flood_host];
    if (h->online) {
        int tgt;
        do
            tgt = m->fes_idx[vmitn_rng_below(m->flood, m->nfes)];
        while (tgt == m->flood_host);
        vmitn_packet p = {.src = c->flood.spoof ? vmitn_rng_u32(m->flood) : h->h->addr,
                          .dst = m->hosts[tgt].h->addr,
                          .sport = (uint16_t)(1024 + vmitn_rng_below(m->flood, 64512)),
                          .dport = (uint16_t)(c->flood.port < 0 ? 1 + vmitn_rng_below(m->flood, 65535) : (uint64_t)c->flood.port),
                          .proto = (uint8_t)c->flood.proto, .kind = VMITN_PKT_FLOOD,
                          .bytes = (uint16_t)c->flood.bytes, .from = m->flood_host, .to = -1};
        if (p.proto != 6 && p.proto != 17)
            p.sport = p.dport = 0;
        send_packet(m, &p);
    }
    vmitn_sched_after(s, vmitn_secs(1.0 / c->flood.rate), ev_flood, m, 0);
}

static void ev_legit(vmitn_sched *s, void *ctx, uint64_t arg)
{
    model *m = ctx;
    const vmitn_model_cfg *c = m->c;
    host *h = &m->hosts[arg];
    double total = c->legit.http_rate + c->legit.smtp_rate;
    if (h->online && m->nfes > 1) {
        int tgt;
        do
            tgt = m->fes_idx[vmitn_rng_below(hr(m, h, R_LEGIT), m->nfes)];
        while ((uint64_t)tgt == arg);
        uint16_t port = vmitn_rng_uniform(hr(m, h, R_LEGIT)) * total < c->legit.http_rate ? 80 : 25;
        vmitn_packet p = {.src = h->h->addr, .dst = m->hosts[tgt].h->addr, .sport = ephemeral(h),
                          .dport = port, .proto = 6, .kind = VMITN_PKT_LEGIT,
                          .bytes = (uint16_t)c->legit.bytes, .from = (int32_t)arg, .to = -1};
        send_packet(m, &p);
    }
    vmitn_sched_after(s, vmitn_secs(vmitn_rng_exp(hr(m, h, R_LEGIT), 1.0 / total)), ev_legit, m, arg);
}

/* ---------- grid, setup, run ---------- */

static void ev_grid(vmitn_sched *s, void *ctx, uint64_t k)
{
    model *m = ctx;
    vmitn_time now = vmitn_sched_now(s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].sample)
            m->obs[i].sample(m->obs[i].ctx, now, &m->counts);
    vmitn_time next = vmitn_secs((double)(k + 1) * m->c->grid);
    if (next <= m->end)
        vmitn_sched_at(s, next, ev_grid, m, k + 1);
}

static void ev_inject(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    model *m = ctx;
    bool launch = arg >> 32;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    if (!m->hosts[hi].infected && m->hosts[hi].online)
        infect(m, hi, -1, launch);
}

static void region_init(model *m, host *h, region *g, int prefix, double bits)
{
    uint32_t mask = prefix == 0 ? 0 : ~(uint32_t)0 << (32 - prefix);
    g->base = h->h->addr & mask;
    g->literal = (uint64_t)1 << (32 - prefix);
    /* the hosts of the region are a contiguous run of the address-sorted list */
    unsigned lo = 0, hi = m->nby_addr;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (m->hosts[m->by_addr[mid]].h->addr < g->base)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t last = g->base | ~mask; /* the region's last address */
    unsigned end = lo, top = m->nby_addr;
    while (end < top) {
        unsigned mid = (end + top) / 2;
        if (m->hosts[m->by_addr[mid]].h->addr <= last)
            end = mid + 1;
        else
            top = mid;
    }
    g->hosts = m->by_addr + lo;
    g->nhosts = end - lo;
    double sz = floor(pow(2.0, bits) + 0.5);
    g->size = sz < (double)g->nhosts ? g->nhosts : (uint64_t)sz;
    if (g->size > g->literal)
        g->size = g->literal;
}

int vmitn_model_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    (void)errlen;
    if (c->grid > c->duration)
        return vmitn_fail(err, VMITN_EINPUT, "grid (%g s) is longer than duration (%g s)", c->grid, c->duration);
    double sum = c->worm.p_local + c->worm.p_near + c->worm.p_any;
    if (fabs(sum - 1.0) > 1e-9)
        return vmitn_fail(err, VMITN_EINPUT,
                          "worm.p_local + worm.p_near + worm.p_any must be 1 (got %g + %g + %g = %g)",
                          c->worm.p_local, c->worm.p_near, c->worm.p_any, sum);
    if (c->worm.near_prefix > c->worm.local_prefix)
        return vmitn_fail(err, VMITN_EINPUT, "worm.near_prefix (%d) must not be longer than worm.local_prefix (%d)",
                          c->worm.near_prefix, c->worm.local_prefix);
    if (c->worm.local_bits > 32 - c->worm.local_prefix)
        return vmitn_fail(err, VMITN_EINPUT, "worm.local_bits (%g) exceeds the region's literal size (32 - local_prefix = %d)",
                          c->worm.local_bits, 32 - c->worm.local_prefix);
    if (c->worm.near_bits > 32 - c->worm.near_prefix)
        return vmitn_fail(err, VMITN_EINPUT, "worm.near_bits (%g) exceeds the region's literal size (32 - near_prefix = %d)",
                          c->worm.near_bits, 32 - c->worm.near_prefix);
    struct { const char *what, *name; bool need; } names[] = {
        {"worm.start_host", c->worm.start_host, c->worm.enabled},
        {"flood.host", c->flood.host, c->flood.enabled},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!names[i].need)
            continue;
        int h = vmitn_topo_find_name(t, names[i].name);
        if (h < 0 || vmitn_topo_host(t, (unsigned)h)->kind != VMITN_HOST_FES)
            return vmitn_fail(err, VMITN_EINPUT, "%s: no FES host named '%s' in the topology", names[i].what, names[i].name);
    }
    for (unsigned i = 0; i < c->ninject; i++) {
        int h = vmitn_topo_find_name(t, c->inject[i].host);
        if (h < 0 || vmitn_topo_host(t, (unsigned)h)->kind != VMITN_HOST_FES)
            return vmitn_fail(err, VMITN_EINPUT, "inject[%u].host: no FES host named '%s' in the topology", i + 1, c->inject[i].host);
    }
    if (c->fes.handover && !c->fes.spy)
        return vmitn_fail(err, VMITN_EINPUT, "fes.handover needs fes.spy: without SPY's alarm nothing orders the hand-over");
    if (c->worm.proto != 6 && c->worm.proto != 17)
        return vmitn_fail(err, VMITN_EINPUT, "worm.proto must be 6 (TCP) or 17 (UDP), got %d", c->worm.proto);
    if (c->worm.fast && c->smc.learning && c->smc.block != VMITN_TAP_IN)
        return vmitn_fail(err, VMITN_EINPUT, "worm.fast counts the scans that hit nobody without sending them, so an "
                                             "AGENT's outbound rules could not block them: set smc.block = \"in\" or worm.fast = false");
    if (c->worm.fast && c->smc.learning && c->smc.tap != VMITN_TAP_IN)
        return vmitn_fail(err, VMITN_EINPUT, "worm.fast counts the scans that hit nobody without sending them, so an "
                                             "AGENT's outbound tap would miss them: set smc.tap = \"in\" or worm.fast = false");
    if (vmitn_topo_nhosts(t) > (1u << 20))
        return vmitn_fail(err, VMITN_EINPUT, "the topology has %u hosts; the model handles at most 2^20",
                          vmitn_topo_nhosts(t));
    if (c->duration / c->grid > 1e7)
        return vmitn_fail(err, VMITN_EINPUT, "duration / grid = %g curve points per run; at most 10^7 (raise grid)",
                          c->duration / c->grid);
    for (unsigned i = 0; i < c->ninject; i++)
        if (!isfinite(c->inject[i].t) || c->inject[i].t < 0)
            return vmitn_fail(err, VMITN_EINPUT, "inject[%u].t must be a finite time >= 0", i + 1);
    if (c->flood.enabled && c->flood.rate <= 0)
        return vmitn_fail(err, VMITN_EINPUT, "flood.rate must be > 0 when the flood is enabled");
    unsigned nfes = 0;
    for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++)
        nfes += vmitn_topo_host(t, i)->kind == VMITN_HOST_FES;
    if (c->flood.enabled && nfes < 2)
        return vmitn_fail(err, VMITN_EINPUT, "flood: the topology has no FES host to flood");
    return 0;
}

/* Insertion-free sort of the LAN hosts by address (qsort has no context argument). */
static void sort_by_addr(model *m)
{
    /* addresses are unique: a heap sort on the index array keeps this O(n log n) */
    int *a = m->by_addr;
    unsigned n = m->nby_addr;
#define ADDR(k) (m->hosts[a[k]].h->addr)
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

static void model_free(model *m)
{
    for (unsigned i = 0; i < m->nhosts; i++) {
        host *h = &m->hosts[i];
        free(h->rules);
        free(h->batch);
        for (int k = 0; k < 8; k++)
            vmitn_rng_free(h->rng[k]);
    }
    free(m->hosts);
    free(m->fes_idx);
    free(m->by_addr);
    free(m->pool);
    free(m->pool_free);
    vmitn_learner_free(m->learner);
    vmitn_rng_free(m->smc_oob);
    vmitn_rng_free(m->flood);
}

/* Pending batch messages own memory: free them by draining the queue without running. */
static void drain(model *m)
{
    vmitn_time t;
    vmitn_ev_fn fn;
    void *ctx;
    uint64_t arg;
    while (vmitn_sched_pop(m->s, &t, &fn, &ctx, &arg))
        if (fn == ev_smc_batch)
            free((void *)(uintptr_t)arg);
}

int vmitn_model_run(const vmitn_model_cfg *c, const vmitn_topo *t, uint64_t seed, unsigned run,
                    const vmitn_observer *obs, unsigned nobs, char *err, size_t errlen)
{
    int rc = vmitn_model_check(c, t, err, errlen);
    if (rc < 0)
        return rc;
    model m = {.c = c, .t = t, .obs = obs, .nobs = nobs, .seed = seed, .run = run};
    m.nhosts = vmitn_topo_nhosts(t);
    m.hosts = vmitn_xcalloc(m.nhosts, sizeof *m.hosts);
    m.fes_idx = vmitn_xmalloc(m.nhosts * sizeof *m.fes_idx);
    m.end = vmitn_secs(c->duration);
    m.scan_gap = c->worm.rate > 0 ? vmitn_secs(1.0 / c->worm.rate) : 0;
    if (m.scan_gap < 1)
        m.scan_gap = 1;
    m.s = vmitn_sched_new(4);
    m.smc_oob = vmitn_rng_new(seed, run, VMITN_STREAM(VMITN_STREAM_OOB, m.nhosts));
    m.flood = vmitn_rng_new(seed, run, VMITN_STREAM(VMITN_STREAM_FLOOD, 0));
    for (unsigned i = 0; i < m.nhosts; i++) {
        host *h = &m.hosts[i];
        h->h = vmitn_topo_host(t, i);
        h->is_fes = h->h->kind == VMITN_HOST_FES;
        h->online = h->h->lan >= 0; /* FES and plain hosts serve; the SMC has no wired NIC */
        h->backup_ready = true;
        h->next_port = 1024;
        if (h->is_fes)
            m.fes_idx[m.nfes++] = (int)i;
        if (c->smc.report_period > 0 && c->smc.report_max > 0)
            h->batch = vmitn_xmalloc((size_t)c->smc.report_max * sizeof *h->batch);
    }
    m.by_addr = vmitn_xmalloc(m.nhosts * sizeof *m.by_addr);
    for (unsigned i = 0; i < m.nhosts; i++)
        if (m.hosts[i].h->lan >= 0)
            m.by_addr[m.nby_addr++] = (int)i;
    sort_by_addr(&m);
    for (unsigned i = 0; i < m.nhosts; i++) {
        host *h = &m.hosts[i];
        if (!h->is_fes)
            continue;
        region_init(&m, h, &h->reg[REG_LOCAL], c->worm.local_prefix, c->worm.local_bits);
        region_init(&m, h, &h->reg[REG_NEAR], c->worm.near_prefix, c->worm.near_bits);
        region_init(&m, h, &h->reg[REG_ANY], 0, c->worm.any_bits);
        double p[NREG] = {c->worm.p_local, c->worm.p_near, c->worm.p_any};
        h->phit = 0;
        for (int g = 0; g < NREG; g++)
            h->phit += h->hitw[g] = p[g] * (double)h->reg[g].nhosts / (double)h->reg[g].size;
    }
    m.counts.hosts = m.nfes;
    m.counts.healthy = m.nfes; /* every FES guest starts clean and online */

    if (c->smc.learning) {
        vmitn_learner_cfg lc = {.lambda = c->smc.lambda, .theta = c->smc.theta,
                                .lru_size = (unsigned)c->smc.lru_size, .table_size = (unsigned)c->smc.table_size,
                                .half_life = vmitn_secs(c->smc.half_life)};
        m.learner = vmitn_learner_new(&lc, err, errlen);
        if (m.learner == NULL) {
            rc = -VMITN_EINPUT;
            goto out;
        }
        if (c->smc.report_period > 0)
            for (unsigned k = 0; k < m.nfes; k++)
                vmitn_sched_at(m.s, vmitn_secs(c->smc.report_period), ev_report, &m, (uint64_t)m.fes_idx[k]);
    }
    vmitn_sched_at(m.s, 0, ev_grid, &m, 0);
    if (c->worm.enabled) {
        int h = vmitn_topo_find_name(t, c->worm.start_host);
        vmitn_sched_at(m.s, vmitn_secs(c->worm.start_time), ev_inject, &m, (uint64_t)h | ((uint64_t)1 << 32));
    }
    for (unsigned i = 0; i < c->ninject; i++)
        vmitn_sched_at(m.s, vmitn_secs(c->inject[i].t), ev_inject, &m,
                       (uint64_t)vmitn_topo_find_name(t, c->inject[i].host));
    if (c->flood.enabled) {
        m.flood_host = vmitn_topo_find_name(t, c->flood.host);
        vmitn_sched_at(m.s, vmitn_secs(c->flood.start), ev_flood, &m, 0);
    }
    if (c->legit.http_rate + c->legit.smtp_rate > 0)
        for (unsigned k = 0; k < m.nfes; k++) {
            host *h = &m.hosts[m.fes_idx[k]];
            double rate = c->legit.http_rate + c->legit.smtp_rate;
            vmitn_sched_at(m.s, vmitn_secs(vmitn_rng_exp(hr(&m, h, R_LEGIT), 1.0 / rate)), ev_legit, &m,
                           (uint64_t)m.fes_idx[k]);
        }
    vmitn_sched_run(m.s, m.end);
out:
    drain(&m);
    vmitn_sched_free(m.s);
    model_free(&m);
    return rc;
}
