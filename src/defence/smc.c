/* smc.c — the SMC pipeline: the AGENT taps headers and filters with its rules, reports
 * them (at once, or sampled per period), the SMC learner turns them into rules and sends
 * every AGENT each rule over the OOB network (docs/MODEL.md §6). */
#include "vmitn/model_internal.h"

#include <stdlib.h>
#include <string.h>

#include "vmitn/util.h"

static bool vmitn_tapped(int mode, bool outbound)
{
    return mode == VMITN_TAP_BOTH || (outbound ? mode == VMITN_TAP_OUT : mode == VMITN_TAP_IN);
}

static bool vmitn_agent_blocks(const vmitn_mcold *h, const vmitn_hdr *hd)
{
    for (unsigned i = 0; i < h->nrules; i++)
        if (vmitn_pattern_match(&h->rules[i], hd))
            return true;
    return false;
}

/* The row's state: the SMC's learner and rule sender (the AGENTs' rules and report
 * batches stay in the host records); the context of its events. */
typedef struct smc {
    vmitn_model *m;
    vmitn_learner *learner;
    vmitn_rng *oob;   /* the rule sender's OOB stream */
    uint64_t hdr_seq; /* capture order of the headers kept for reports */
} smc;

static void ev_rule_arrive(vmitn_sched *s, void *ctx, uint64_t arg);

static void smc_learn(smc *sm, const vmitn_hdr *h, int kind)
{
    vmitn_model *m = sm->m;
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].learn)
            m->obs[i].learn(m->obs[i].ctx, now, h, kind);
    vmitn_pattern rule;
    if (!vmitn_learner_feed(sm->learner, now, h, &rule))
        return;
    vmitn_emit_rule(m, &rule, -1);
    for (unsigned k = 0; k < m->nfes; k++) {
        uint32_t pi = vmitn_pkt_alloc(m);
        /* the pattern rides in a packet slot: src, dst, dport, and wild in proto */
        m->pool[pi] = (vmitn_packet){.src = rule.src, .dst = rule.dst, .dport = rule.port,
                                     .proto = rule.wild, .to = m->fes_idx[k]};
        vmitn_sched_after(m->s, vmitn_oob_send(m, sm->oob, m->c->oob.hdr_bytes), ev_rule_arrive, sm, pi);
    }
}

static void ev_rule_arrive(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    vmitn_model *m = ((smc *)ctx)->m;
    vmitn_packet p = m->pool[arg];
    vmitn_pkt_free(m, (uint32_t)arg);
    vmitn_mcold *h = &m->cold[p.to];
    if (h->nrules == h->caprules) {
        h->caprules = h->caprules ? h->caprules * 2 : 4;
        h->rules = vmitn_xrealloc(h->rules, h->caprules * sizeof *h->rules);
    }
    vmitn_pattern pat = {.src = p.src, .dst = p.dst, .port = p.dport, .wild = p.proto};
    h->rules[h->nrules++] = pat;
    vmitn_emit_rule(m, &pat, p.to);
}

static void ev_smc_header(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    smc *sm = ctx;
    vmitn_model *m = sm->m;
    vmitn_packet p = m->pool[arg];
    vmitn_pkt_free(m, (uint32_t)arg);
    vmitn_hdr h = {p.src, p.dst, p.dport};
    smc_learn(sm, &h, p.kind);
}

static void vmitn_smc_ev_batch(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ((smc *)ctx)->m;
    vmitn_batch_msg *b = (vmitn_batch_msg *)(uintptr_t)arg;
    if (b->hop == 0 && m->c->smc.report_path == VMITN_REPORT_SPY) {
        /* the SPY's report reached the AGENT over VmCom: the AGENT forwards it to the SMC */
        b->hop = 1;
        vmitn_sched_after(s, vmitn_oob_send(m, vmitn_mrng(m, &m->hosts[b->host], VMITN_R_REPORT), (double)b->n * m->c->oob.hdr_bytes),
                          vmitn_smc_ev_batch, ctx, arg);
        return;
    }
    for (unsigned i = 0; i < b->n; i++)
        smc_learn(ctx, &b->h[i].h, b->h[i].kind);
    free(b);
}

/* The AGENT of host hi saw header p: report it now, or keep it for the next report. */
static void vmitn_agent_tap(smc *sm, unsigned hi, const vmitn_packet *p)
{
    vmitn_model *m = sm->m;
    vmitn_mhost *h = &m->hosts[hi];
    vmitn_mcold *a = &m->cold[hi];
    if (m->c->smc.report_period <= 0) {
        uint32_t pi = vmitn_pkt_alloc(m);
        m->pool[pi] = *p;
        vmitn_sched_after(m->s, vmitn_oob_send(m, vmitn_mrng(m, h, VMITN_R_REPORT), m->c->oob.hdr_bytes), ev_smc_header, sm, pi);
        return;
    }
    /* Reservoir sampling keeps a uniform sample of report_max headers per period. */
    unsigned cap = (unsigned)m->c->smc.report_max;
    uint64_t k = a->period_seen++;
    vmitn_hdr hd = {p->src, p->dst, p->dport};
    if (cap == 0 || k < cap) {
        if (cap == 0 && a->nbatch % 1024 == 0)
            a->batch = vmitn_xrealloc(a->batch, (a->nbatch + 1024) * sizeof *a->batch);
        a->batch[a->nbatch].h = hd;
        a->batch[a->nbatch].kind = p->kind;
        a->batch[a->nbatch].seq = sm->hdr_seq++;
        a->nbatch++;
    } else {
        uint64_t j = vmitn_rng_below(vmitn_mrng(m, h, VMITN_R_REPORT), k + 1);
        if (j < cap) {
            a->batch[j].h = hd;
            a->batch[j].kind = p->kind;
            a->batch[j].seq = sm->hdr_seq++;
        }
    }
}

static int by_seq(const void *a, const void *b)
{
    uint64_t x = ((const struct vmitn_seen *)a)->seq, y = ((const struct vmitn_seen *)b)->seq;
    return (x > y) - (x < y);
}

static void ev_report(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ((smc *)ctx)->m;
    vmitn_mhost *h = &m->hosts[arg];
    vmitn_mcold *a = &m->cold[arg];
    bool spy = m->c->smc.report_path == VMITN_REPORT_SPY;
    if (spy && vmitn_sched_now(s) < a->vmcom_free) {
        /* VmCom still carries the previous report: this one leaves when it is through */
        if (a->vmcom_free <= m->end)
            vmitn_sched_at(s, a->vmcom_free, ev_report, ctx, arg);
        return;
    }
    if (a->nbatch > 0) {
        /* the sample goes to the SMC in the order it was seen (it already is unless the
         * reservoir replaced some: the sequence numbers are distinct, so either way the
         * order is the same) */
        bool sorted = true;
        for (unsigned i = 1; i < a->nbatch && sorted; i++)
            sorted = a->batch[i - 1].seq < a->batch[i].seq;
        if (!sorted)
            qsort(a->batch, a->nbatch, sizeof *a->batch, by_seq);
        vmitn_batch_msg *b = vmitn_xmalloc(sizeof *b + a->nbatch * sizeof *b->h);
        b->n = a->nbatch;
        b->hop = 0;
        b->host = (unsigned)arg;
        memcpy(b->h, a->batch, a->nbatch * sizeof *b->h);
        if (spy) {
            /* Table 1's chain: SPY's sensor (fes.alarm), then VmCom to the AGENT (fes.report),
             * one report at a time */
            vmitn_rng *r = vmitn_mrng(m, h, VMITN_R_REPORT);
            vmitn_time d = vmitn_draw(r, m->c->fes.alarm, m->c->fes.cv) + vmitn_draw(r, m->c->fes.report, m->c->fes.cv);
            a->vmcom_free = vmitn_sched_now(s) + d;
            vmitn_sched_after(s, d, vmitn_smc_ev_batch, ctx, (uint64_t)(uintptr_t)b);
        } else {
            vmitn_sched_after(s, vmitn_oob_send(m, vmitn_mrng(m, h, VMITN_R_REPORT), (double)b->n * m->c->oob.hdr_bytes),
                              vmitn_smc_ev_batch, ctx, (uint64_t)(uintptr_t)b);
        }
    }
    a->nbatch = 0;
    a->period_seen = 0;
    vmitn_time next = vmitn_sched_now(s) + vmitn_secs(m->c->smc.report_period);
    if (next <= m->end)
        vmitn_sched_at(s, next, ev_report, ctx, arg);
}

/* The SMC's learner and, with smc.report_period, every AGENT's report timer. */
static int agent_setup(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)k;
    const vmitn_model_cfg *c = m->c;
    smc *sm = vmitn_xcalloc(1, sizeof *sm);
    sm->m = m;
    *st = sm;
    sm->oob = vmitn_rng_new(m->seed, m->run, VMITN_STREAM(VMITN_STREAM_OOB, m->nhosts));
    if (c->smc.report_period > 0 && c->smc.report_max > 0)
        for (unsigned i = 0; i < m->nhosts; i++)
            m->cold[i].batch = vmitn_xmalloc((size_t)c->smc.report_max * sizeof *m->cold[i].batch);
    vmitn_learner_cfg lc = {.lambda = c->smc.lambda, .theta = c->smc.theta,
                            .lru_size = (unsigned)c->smc.lru_size, .table_size = (unsigned)c->smc.table_size,
                            .half_life = vmitn_secs(c->smc.half_life)};
    sm->learner = vmitn_learner_new(&lc, err, errlen);
    if (sm->learner == NULL)
        return -VMITN_EINPUT;
    if (c->smc.report_period > 0)
        for (unsigned k = 0; k < m->nfes; k++)
            vmitn_sched_at(m->s, vmitn_secs(c->smc.report_period), ev_report, sm, (uint64_t)m->fes_idx[k]);
    return 0;
}

/* The AGENT on host p->from: it taps what its host's other defences let out, and drops
 * what its rules match. */
static vmitn_verdict agent_leave(vmitn_model *m, void *st, unsigned k, vmitn_packet *p)
{
    (void)k;
    vmitn_mhost *src = &m->hosts[p->from];
    if (src->is_fes && vmitn_tapped(m->c->smc.tap, true))
        vmitn_agent_tap(st, (unsigned)p->from, p);
    vmitn_hdr hd = {p->src, p->dst, p->dport};
    const vmitn_mcold *a = &m->cold[p->from];
    return a->nrules && vmitn_tapped(m->c->smc.block, true) && vmitn_agent_blocks(a, &hd) ? VMITN_DROP : VMITN_PASS;
}

/* The AGENT on host p->to, likewise inbound (whether its guest is online or not). */
static vmitn_verdict agent_reach(vmitn_model *m, void *st, const vmitn_packet *p)
{
    vmitn_mhost *h = &m->hosts[p->to];
    if (h->is_fes && vmitn_tapped(m->c->smc.tap, false))
        vmitn_agent_tap(st, (unsigned)p->to, p);
    vmitn_hdr hd = {p->src, p->dst, p->dport};
    const vmitn_mcold *a = &m->cold[p->to];
    return a->nrules && vmitn_tapped(m->c->smc.block, false) && vmitn_agent_blocks(a, &hd) ? VMITN_DROP : VMITN_PASS;
}

static void agent_release(vmitn_model *m, void *st)
{
    for (unsigned i = 0; i < m->nhosts; i++) {
        free(m->cold[i].rules);
        free(m->cold[i].batch);
    }
    smc *sm = st;
    if (sm == NULL)
        return;
    vmitn_learner_free(sm->learner);
    vmitn_rng_free(sm->oob);
    free(sm);
}

static bool agent_enabled(const vmitn_model_cfg *c) { return c->smc.learning; }

static int agent_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    (void)t;
    (void)errlen;
    if (c->smc.report_path == VMITN_REPORT_SPY && !(c->smc.report_period > 0))
        return vmitn_fail(err, VMITN_EINPUT, "smc.report_path = \"spy\" needs smc.report_period > 0: the SPY sends its "
                                             "headers as one report per period over VmCom");
    if (c->smc.report_path == VMITN_REPORT_SPY && !c->fes.spy)
        return vmitn_fail(err, VMITN_EINPUT, "smc.report_path = \"spy\" needs fes.spy: the reports are the SPY's, "
                                             "and fes.spy = false means hosts without one");
    if (c->worm.fast && c->smc.learning && c->smc.block != VMITN_TAP_IN)
        return vmitn_fail(err, VMITN_EINPUT, "worm.fast counts the scans that hit nobody without sending them, so an "
                                             "AGENT's outbound rules could not block them: set smc.block = \"in\" or worm.fast = false");
    if (c->worm.fast && c->smc.learning && c->smc.tap != VMITN_TAP_IN)
        return vmitn_fail(err, VMITN_EINPUT, "worm.fast counts the scans that hit nobody without sending them, so an "
                                             "AGENT's outbound tap would miss them: set smc.tap = \"in\" or worm.fast = false");
    return 0;
}

/* VMITN's AGENTs, the SMC learner and the reports between them (smc.*). */
const vmitn_module vmitn_agent = {
    .name = "smc", .id = 20, .enabled = agent_enabled, .check = agent_check, .setup = agent_setup,
    .release = agent_release,
    .leave = agent_leave, .reach = agent_reach, .owns_ev = vmitn_smc_ev_batch,
};
