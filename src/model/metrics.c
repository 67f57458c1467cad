/* metrics.c — per-run metrics from the model's observer calls, and their aggregation
 * over runs.  Each metric is defined here once; times are seconds since the attack
 * started (the worm's launch, else the flood's start). */
#include "vmitn/metrics.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/util.h"

enum {
    M_PEAK, M_PEAK_SHARE, M_T_PEAK, M_T_ALL, M_T_CLEAN, M_INFECTIONS, M_ATTACKED,
    M_T_ISSUED, M_T_LEARN, M_RULES, M_AVAIL, M_MEAN_INF, M_LEGIT_REQ, M_LEGIT_OK, M_LEGIT_SHARE, M_LEGIT_BLOCKED,
    M_SCANS, M_SCANS_BLOCKED, M_FLOOD, M_FLOOD_BLOCKED, M_HANDOVERS, M_NOBACKUP,
    M_SEEN_PEAK, M_SEEN_T_ALL, M_SEEN_T_CLEAN, M_SEEN_ATTACKED, M_EVENTS, M_T_DETECT, M_T_FIRST_RULE,
    M_BG_RULES, NMET
};
static const char *const met_names[NMET] = {
    "peak_infected", "peak_infected_share", "time_to_peak", "time_all_infected", "time_cleaned",
    "infections", "hosts_attacked", "rule_issued_time", "learning_time", "rules",
    "availability", "mean_infected", "legit_requests", "legit_served", "legit_served_share", "legit_blocked", "scans_sent",
    "scans_blocked", "flood_sent", "flood_blocked", "handovers", "no_backup",
    "seen_peak_infected", "seen_time_all_infected", "seen_time_cleaned", "seen_hosts_attacked", "events",
    "detect_time", "first_rule_time", "background_rules"};

/* Replayed captures (legit.trace), per run; written as LABEL.replay.csv only when a trace is
 * replayed, so that no other experiment's files change. */
enum { R_PACKETS, R_SENT, R_BYTES, R_DELIVERED, R_LEFT, R_BLOCKED_OUT, R_BLOCKED_IN, R_BLOCKED, R_BLOCKED_SHARE,
       R_BLOCKED_BYTES, R_DOWN, NREP };
static const char *const rep_names[NREP] = {
    "replayed", "sent", "bytes", "delivered", "left_network", "blocked_out", "blocked_in", "blocked", "blocked_share",
    "blocked_bytes", "down"};

/* Steps of one hand-over, from the host events (Table 1). */
enum { S_INF, S_ALARM, S_REPORTED, S_SMC, S_DISPLAY, S_SWITCHING, S_MOUNTED, S_SWITCHED, NSTEP };
static const char *const step_names[] = {"alarm", "report", "forward", "display", "wait", "mount", "unmount", "interrupt"};
#define NSTEPSTAT 8
#define NCURVE 5

typedef struct handover {
    unsigned run, host;
    double d[NSTEPSTAT];
    bool no_backup;
} handover;

typedef struct rulerec {
    unsigned run;
    vmitn_pattern p;
    double issued, all;
    unsigned agents;
    size_t nfed;  /* headers the learner had been fed in the run when it was issued */
    bool attack;  /* learned from the attack (see attack_rules), known when the run ends */
} rulerec;

/* A header the SMC's learner was fed in the current run: an attack header when an attack
 * packet sent before it in the run carried the same (src, dst, dport).  A header tapped
 * from an attack packet is one at once (that packet was sent before it was tapped); one
 * tapped from any other packet is `pending` until the run ends (resolve_fed). */
enum { FED_NO, FED_ATTACK, FED_PENDING };
typedef struct fedrec {
    vmitn_hdr h;
    uint8_t attack;
} fedrec;

/* An attack packet sent: its (src, dst, dport), and how many headers the learner had
 * been fed when it was (it came before header i when nfed <= i). */
#define SENT_CACHE 256
typedef struct sentrec {
    uint32_t src, dst;
    uint16_t port;
    uint32_t nfed;
} sentrec;

struct vmitn_metrics {
    const vmitn_model_cfg *c;
    unsigned nhosts, nfes, runs, npts, cur;
    double t0;                /* attack start, s */
    double *val;              /* runs x NMET, NaN = missing */
    int *curve;               /* runs x NCURVE x npts: infected, healthy, down, infections, seen */
    handover *ho;
    size_t nho, capho, ho_from; /* ho_from: the current run's first hand-over */
    rulerec *rules;
    size_t nrules, caprules;
    /* state of the current run */
    double last_t, area, area_inf;
    unsigned last_healthy, last_infected, peak, infections;
    double t_peak, t_all, t_zero;
    double t_detect; /* first countermeasure decision: a baseline's alarm, a hand-over ordered, a rule issued */
    bool ever;
    bool *attacked;
    double *t_inf;            /* per host: when it was last infected (NaN: not this run);
                               * only with fes.handover, the only way to a hand-over */
    double (*step)[NSTEP];    /* per host: the hand-over's steps; allocated at the first step
                               * after an infection, and only with t_inf (SPY's alarms come
                               * without hand-over too, and no step is read then) */
    bool *nob;
    uint64_t pk[VMITN_PKT_NKINDS][VMITN_PKT_NFATES];
    unsigned more[VMITN_PKT_NKINDS]; /* the fates (a bit each) on_packet does more than count */
    unsigned fates;                  /* the fates it reads (vmitn_observer.fates) */
    uint64_t legit_req, legit_ok;
    uint64_t rep_bytes, rep_blocked_bytes, rep_unsent;
    double *rep;              /* runs x NREP */
    unsigned handovers, nobackup;
    double skipped; /* fast path: scans that hit nobody, never sent as packets */
    double events;  /* events the run executed */
    /* the SMC's view: a host is seen infected from the alarm on the SMC's display until
     * the hand-over (or the shut-down) it ordered takes the infected guest away */
    bool *inf, *seen, *seen_ever;
    unsigned nseen, seen_peak;
    double seen_t_all, seen_t_zero;
    size_t rules_from;
    /* which rules are the attack's: the attack's packets, and the learner's input */
    sentrec *sent;
    size_t nsent, capsent;
    sentrec *sent_cache; /* SENT_CACHE triples known to be in sent (nfed UINT32_MAX: empty) */
    fedrec *fed;
    size_t nfed, capfed, npending;
    bool *attacker; /* sent an attack packet in this run */
    vmitn_events *log; /* owned; NULL: no event log */
};

double vmitn_ci95(unsigned n, double sd)
{
    if (n < 2)
        return 0;
    return gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
}

static bool attack_kind(const vmitn_metrics *m, int kind);

vmitn_metrics *vmitn_metrics_new(const vmitn_model_cfg *c, unsigned nhosts, unsigned nfes, unsigned runs)
{
    vmitn_metrics *m = vmitn_xcalloc(1, sizeof *m);
    m->c = c;
    m->nfes = nfes;
    m->nhosts = nhosts;
    m->runs = runs;
    m->npts = (unsigned)floor(c->duration / c->grid + 1e-9) + 1;
    m->t0 = c->worm.enabled ? c->worm.start_time : c->flood.enabled ? c->flood.start : 0;
    for (int k = 0; k < VMITN_PKT_NKINDS; k++)
        m->more[k] = attack_kind(m, k) ? 1u << VMITN_PKT_SENT : 0;
    m->more[VMITN_PKT_REPLAY] |= 1u << VMITN_PKT_SENT | 1u << VMITN_PKT_BLOCKED_OUT | 1u << VMITN_PKT_BLOCKED_IN |
                                 1u << VMITN_PKT_DOWN;
    m->more[VMITN_PKT_LEGIT] |= 1u << VMITN_PKT_SENT | 1u << VMITN_PKT_DELIVERED;
    /* the drops before a receiver (no host, no route) and at a host that is down are read
     * for the replayed captures only (vmitn_metrics_end_run): a scan to nobody is not
     * reported twice */
    m->fates = c->legit.trace[0] != '\0' ? 0
                                         : 1u << VMITN_PKT_SENT | 1u << VMITN_PKT_DELIVERED |
                                               1u << VMITN_PKT_BLOCKED_OUT | 1u << VMITN_PKT_BLOCKED_IN;
    m->val = vmitn_xmalloc((size_t)runs * NMET * sizeof *m->val);
    for (size_t i = 0; i < (size_t)runs * NMET; i++)
        m->val[i] = NAN; /* a run never recorded is missing, not garbage */
    m->rep = vmitn_xcalloc((size_t)runs * NREP, sizeof *m->rep);
    m->curve = vmitn_xcalloc((size_t)runs * NCURVE * m->npts, sizeof *m->curve);
    m->inf = vmitn_xcalloc(nhosts, sizeof *m->inf);
    m->seen = vmitn_xcalloc(nhosts, sizeof *m->seen);
    m->seen_ever = vmitn_xcalloc(nhosts, sizeof *m->seen_ever);
    m->attacked = vmitn_xcalloc(nhosts, sizeof *m->attacked);
    m->t_inf = c->fes.handover ? vmitn_xmalloc((nhosts ? nhosts : 1) * sizeof *m->t_inf) : NULL;
    m->nob = vmitn_xcalloc(nhosts, sizeof *m->nob);
    m->attacker = vmitn_xcalloc(nhosts, sizeof *m->attacker);
    return m;
}

void vmitn_metrics_free(vmitn_metrics *m)
{
    if (m == NULL)
        return;
    free(m->val);
    free(m->rep);
    free(m->curve);
    free(m->ho);
    free(m->rules);
    free(m->attacked);
    free(m->step);
    free(m->t_inf);
    free(m->nob);
    free(m->inf);
    free(m->seen);
    free(m->seen_ever);
    free(m->sent);
    free(m->sent_cache);
    free(m->fed);
    free(m->attacker);
    vmitn_events_free(m->log);
    free(m);
}

static double rel(const vmitn_metrics *m, vmitn_time t) { return vmitn_to_secs(t) - m->t0; }

static void advance(vmitn_metrics *m, double t)
{
    m->area += (double)m->last_healthy * (t - m->last_t);
    m->area_inf += (double)m->last_infected * (t - m->last_t);
    m->last_t = t;
}

/* The attack is the worm when there is one, else the flood (as for t0); its packets are the
 * worm's scans and exploits, or the flood's.  Anything else (legitimate requests, a
 * replayed capture, a flood beside a worm) is background. */
static bool attack_kind(const vmitn_metrics *m, int kind)
{
    if (m->c->worm.enabled)
        return kind == VMITN_PKT_SCAN || kind == VMITN_PKT_EXPLOIT;
    return m->c->flood.enabled && kind == VMITN_PKT_FLOOD;
}

static size_t triple_hash(uint32_t src, uint32_t dst, uint16_t port)
{
    uint64_t x = ((uint64_t)src << 32 | dst) ^ ((uint64_t)port * 0x9e3779b97f4a7c15u);
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 29;
    return (size_t)x;
}

static void attack_sent(vmitn_metrics *m, const vmitn_packet *p)
{
    /* only the earliest send of each (src, dst, dport) matters (resolve_fed): a triple
     * the small cache remembers is in the array already, with an earlier nfed, so a
     * flood that repeats a few triples appends almost nothing; one it forgot is appended
     * again, which changes no verdict */
    sentrec *c = &m->sent_cache[triple_hash(p->src, p->dst, p->dport) & (SENT_CACHE - 1)];
    if (c->nfed != UINT32_MAX && c->src == p->src && c->dst == p->dst && c->port == p->dport)
        return;
    *c = (sentrec){p->src, p->dst, p->dport, 0};
    if (m->nsent == m->capsent) {
        m->capsent = m->capsent ? m->capsent * 2 : 4096;
        m->sent = vmitn_xrealloc(m->sent, m->capsent * sizeof *m->sent);
    }
    m->sent[m->nsent++] = (sentrec){p->src, p->dst, p->dport, (uint32_t)m->nfed};
}

/* A header reaches the SMC's learner, tapped from a packet of this kind. */
static void on_learn(void *ctx, vmitn_time t, const vmitn_hdr *h, int kind)
{
    (void)t;
    vmitn_metrics *m = ctx;
    if (m->nfed == m->capfed) {
        m->capfed = m->capfed ? m->capfed * 2 : 1024;
        m->fed = vmitn_xrealloc(m->fed, m->capfed * sizeof *m->fed);
    }
    vmitn_assert(m->nfed < UINT32_MAX); /* sentrec.nfed (a 64 GiB array before that) */
    bool attack = attack_kind(m, kind);
    m->npending += !attack;
    m->fed[m->nfed++] = (fedrec){*h, attack ? FED_ATTACK : FED_PENDING};
}

/* A pending header and the earliest attack packet that carried it (UINT32_MAX: none). */
typedef struct pend {
    vmitn_hdr h;
    uint32_t first; /* a sentrec's nfed */
    bool used;
} pend;

/* Where h is in tab (cap a power of two), or the empty slot where it would go. */
static size_t pend_slot(const pend *tab, size_t cap, uint32_t src, uint32_t dst, uint16_t port)
{
    size_t k = triple_hash(src, dst, port) & (cap - 1);
    while (tab[k].used && !(tab[k].h.src == src && tab[k].h.dst == dst && tab[k].h.port == port))
        k = (k + 1) & (cap - 1);
    return k;
}

/* The pending headers' verdicts: a table of the distinct pending headers, the earliest
 * attack packet that carried each (one pass over the attack packets), then header i is
 * the attack's when that packet came before it. */
static void resolve_fed(vmitn_metrics *m)
{
    if (m->npending == 0)
        return;
    size_t cap = 16, n = 0;
    pend *tab = vmitn_xcalloc(cap, sizeof *tab);
    for (size_t i = 0; i < m->nfed && m->nsent > 0; i++) {
        const vmitn_hdr *h = &m->fed[i].h;
        if (m->fed[i].attack != FED_PENDING)
            continue;
        size_t k = pend_slot(tab, cap, h->src, h->dst, h->port);
        if (tab[k].used)
            continue;
        tab[k] = (pend){*h, UINT32_MAX, true};
        if (2 * ++n > cap) { /* grown by distinct headers: a client's requests repeat */
            pend *old = tab;
            tab = vmitn_xcalloc(2 * cap, sizeof *tab);
            for (size_t j = 0; j < cap; j++)
                if (old[j].used)
                    tab[pend_slot(tab, 2 * cap, old[j].h.src, old[j].h.dst, old[j].h.port)] = old[j];
            free(old);
            cap *= 2;
        }
    }
    for (size_t j = 0; j < m->nsent && n > 0; j++) {
        const sentrec *s = &m->sent[j];
        pend *e = &tab[pend_slot(tab, cap, s->src, s->dst, s->port)];
        if (e->used && s->nfed < e->first)
            e->first = s->nfed;
    }
    for (size_t i = 0; i < m->nfed; i++) {
        const vmitn_hdr *h = &m->fed[i].h;
        if (m->fed[i].attack != FED_PENDING)
            continue;
        const pend *e = &tab[pend_slot(tab, cap, h->src, h->dst, h->port)];
        m->fed[i].attack = e->used && e->first <= i ? FED_ATTACK : FED_NO;
    }
    free(tab);
    m->npending = 0;
}

/* A rule is the attack's when the learner had seen the attack in it: it matches at least
 * one of the attack headers the learner was fed in this run before the rule's issue.  A
 * rule learned from the background before the launch matches none (there is no attack
 * header yet); a rule learned from a mix of the two (e.g. {*, *, 80} from HTTP requests
 * and Code Red's scans) is the attack's.  Decided when the run ends. */
static void attack_rules(vmitn_metrics *m)
{
    resolve_fed(m);
    for (size_t r = m->rules_from; r < m->nrules; r++) {
        rulerec *rr = &m->rules[r];
        rr->attack = false;
        for (size_t i = 0; i < rr->nfed && !rr->attack; i++)
            rr->attack = m->fed[i].attack == FED_ATTACK && vmitn_pattern_match(&rr->p, &m->fed[i].h);
    }
}

static void on_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    vmitn_metrics *m = ctx;
    m->pk[p->kind][f]++;
    if (!(m->more[p->kind] >> f & 1)) /* counted: that is all for most packets */
        return;
    if (p->kind == VMITN_PKT_REPLAY) {
        if (f == VMITN_PKT_SENT)
            m->rep_bytes += p->bytes;
        else if (f == VMITN_PKT_BLOCKED_OUT || f == VMITN_PKT_BLOCKED_IN)
            m->rep_blocked_bytes += p->bytes;
        else if (f == VMITN_PKT_DOWN && p->to < 0) /* its sender was down (replay.c): never sent */
            m->rep_unsent++;
        return;
    }
    if (p->kind == VMITN_PKT_LEGIT) {
        bool response = p->sport == 80 || p->sport == 25;
        if (f == VMITN_PKT_SENT && !response)
            m->legit_req++;
        else if (f == VMITN_PKT_DELIVERED && response)
            m->legit_ok++;
        return;
    }
    /* the rest of `more`: the attack's packets (never a replayed or legitimate one), sent */
    if (p->from >= 0 && (unsigned)p->from < m->nhosts)
        m->attacker[p->from] = true;
    if (m->c->smc.learning)
        attack_sent(m, p);
}

static void on_skipped(void *ctx, vmitn_time t, unsigned host, const double misses[3])
{
    (void)t;
    (void)host;
    vmitn_metrics *m = ctx;
    m->skipped += misses[0] + misses[1] + misses[2];
}

/* The SMC's view of host h changes: seen (or no longer seen) as infected. */
static void see(vmitn_metrics *m, unsigned h, bool on, double ts)
{
    if (m->seen[h] == on)
        return;
    m->seen[h] = on;
    if (on) {
        m->nseen++;
        m->seen_ever[h] = true;
        if (m->nseen > m->seen_peak)
            m->seen_peak = m->nseen;
        if (m->nseen == m->nfes && isnan(m->seen_t_all))
            m->seen_t_all = ts - m->t0;
    } else if (--m->nseen == 0) {
        m->seen_t_zero = ts - m->t0;
    }
}

/* Host h's hand-over steps (allocated, every one NaN, on first use). */
static double *steps_of(vmitn_metrics *m, unsigned h)
{
    if (m->step == NULL) {
        m->step = vmitn_xmalloc((m->nhosts ? m->nhosts : 1) * sizeof *m->step);
        for (unsigned i = 0; i < m->nhosts; i++)
            for (int k = 0; k < NSTEP; k++)
                m->step[i][k] = NAN;
    }
    return m->step[h];
}

/* The guest of host h is no longer infected (switched away, shut down, isolated). */
static void uninfect(vmitn_metrics *m, unsigned h, double ts)
{
    m->inf[h] = false;
    see(m, h, false, ts);
}

static void on_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg,
                    const vmitn_counts *c)
{
    (void)arg;
    vmitn_metrics *m = ctx;
    double ts = vmitn_to_secs(t);
    switch (e) {
    case VMITN_EV_INFECTED: m->inf[host] = true; break;
    case VMITN_EV_DISPLAYED:
        if (m->inf[host])
            see(m, host, true, ts);
        break;
    case VMITN_EV_NO_BACKUP:
        if (m->c->fes.no_backup == VMITN_NOBACKUP_ISOLATE)
            uninfect(m, host, ts);
        break;
    case VMITN_EV_SWITCHING:
        if (m->c->fes.isolate_at == VMITN_ISOLATE_DISPLAY)
            uninfect(m, host, ts);
        break;
    case VMITN_EV_SWITCHED: uninfect(m, host, ts); break;
    case VMITN_EV_REMOVED: uninfect(m, host, ts); break;
    default: break;
    }
    /* a decision about the attack: a baseline flags an infected host or an attack packet's
     * sender (not a false alarm on the background), or the SMC orders a hand-over (its alarm
     * comes from an infection) */
    bool attacker = m->inf[host] || m->attacker[host];
    if ((e == VMITN_EV_DETECTED && attacker) || (e == VMITN_EV_DISPLAYED && m->c->fes.handover))
        if (isnan(m->t_detect) || ts - m->t0 < m->t_detect)
            m->t_detect = ts - m->t0;
    advance(m, ts);
    m->last_healthy = c->healthy;
    if (c->infected > m->peak) {
        m->peak = c->infected;
        m->t_peak = ts - m->t0;
    }
    if (c->infected > 0)
        m->ever = true;
    if (c->infected == m->nfes && isnan(m->t_all))
        m->t_all = ts - m->t0;
    if (c->infected == 0 && m->last_infected > 0)
        m->t_zero = ts - m->t0;
    m->last_infected = c->infected;
    m->infections = c->infections;

    double *st = e == VMITN_EV_INFECTED ? m->step ? m->step[host] : NULL
                 : e == VMITN_EV_ALARM || e == VMITN_EV_REPORTED || e == VMITN_EV_SMC_ALARM || e == VMITN_EV_DISPLAYED ||
                           e == VMITN_EV_SWITCHING || e == VMITN_EV_MOUNTED || e == VMITN_EV_SWITCHED
                       ? (m->t_inf ? steps_of(m, host) : NULL)
                       : NULL;
    switch (e) {
    case VMITN_EV_INFECTED:
        m->attacked[host] = true;
        for (int i = 0; st && i < NSTEP; i++)
            st[i] = NAN;
        if (m->t_inf)
            m->t_inf[host] = ts;
        m->nob[host] = false;
        break;
    case VMITN_EV_ALARM: if (st) st[S_ALARM] = ts; break;
    case VMITN_EV_REPORTED: if (st) st[S_REPORTED] = ts; break;
    case VMITN_EV_SMC_ALARM: if (st) st[S_SMC] = ts; break;
    case VMITN_EV_DISPLAYED: if (st) st[S_DISPLAY] = ts; break;
    case VMITN_EV_NO_BACKUP:
        m->nobackup++;
        m->nob[host] = true;
        break;
    case VMITN_EV_SWITCHING: if (st) st[S_SWITCHING] = ts; break;
    case VMITN_EV_MOUNTED: if (st) st[S_MOUNTED] = ts; break;
    case VMITN_EV_SWITCHED: {
        m->handovers++;
        if (st == NULL)
            break;
        st[S_SWITCHED] = ts;
        st[S_INF] = m->t_inf[host];
        if (isnan(st[S_INF]))
            break;
        if (m->nho == m->capho) {
            m->capho = m->capho ? m->capho * 2 : 64;
            m->ho = vmitn_xrealloc(m->ho, m->capho * sizeof *m->ho);
        }
        handover *h = &m->ho[m->nho++];
        h->run = m->cur;
        h->host = host;
        h->no_backup = m->nob[host];
        h->d[0] = st[S_ALARM] - st[S_INF];
        h->d[1] = st[S_REPORTED] - st[S_ALARM];
        h->d[2] = st[S_SMC] - st[S_REPORTED];
        h->d[3] = st[S_DISPLAY] - st[S_SMC];
        h->d[4] = st[S_SWITCHING] - st[S_DISPLAY];
        h->d[5] = st[S_MOUNTED] - st[S_SWITCHING];
        h->d[6] = st[S_SWITCHED] - st[S_MOUNTED];
        h->d[7] = st[S_SWITCHED] - st[S_INF];
        break;
    }
    default:
        break;
    }
}

static rulerec *find_rule(vmitn_metrics *m, const vmitn_pattern *p)
{
    for (size_t i = m->rules_from; i < m->nrules; i++)
        if (vmitn_pattern_same(&m->rules[i].p, p))
            return &m->rules[i];
    return NULL;
}

static void on_rule(void *ctx, vmitn_time t, const vmitn_pattern *p, int agent, unsigned nagents)
{
    vmitn_metrics *m = ctx;
    if (agent < 0) {
        if (m->nrules == m->caprules) {
            m->caprules = m->caprules ? m->caprules * 2 : 16;
            m->rules = vmitn_xrealloc(m->rules, m->caprules * sizeof *m->rules);
        }
        m->rules[m->nrules++] = (rulerec){.run = m->cur, .p = *p, .issued = rel(m, t), .all = NAN,
                                          .nfed = m->nfed};
        return;
    }
    rulerec *r = find_rule(m, p);
    if (r != NULL && ++r->agents == nagents)
        r->all = rel(m, t);
}

size_t vmitn_metrics_nreplay(void) { return NREP; }
const char *vmitn_metrics_replay_name(size_t i) { return i < NREP ? rep_names[i] : NULL; }
double vmitn_metrics_replay_value(const vmitn_metrics *m, unsigned run, size_t i)
{
    vmitn_assert(run < m->runs && i < NREP);
    return m->rep[(size_t)run * NREP + i];
}

size_t vmitn_metrics_nrules(const vmitn_metrics *m) { return m->nrules; }

void vmitn_metrics_rule(const vmitn_metrics *m, size_t i, unsigned *run, vmitn_pattern *p, double *issued,
                        double *all)
{
    vmitn_assert(i < m->nrules);
    *run = m->rules[i].run;
    *p = m->rules[i].p;
    *issued = m->rules[i].issued;
    *all = m->rules[i].all;
}

static void on_sample(void *ctx, vmitn_time t, const vmitn_counts *c)
{
    vmitn_metrics *m = ctx;
    long k = lround(vmitn_to_secs(t) / m->c->grid);
    if (k < 0 || (unsigned long)k >= m->npts)
        return;
    int *cv = m->curve + (size_t)m->cur * NCURVE * m->npts;
    cv[k] = (int)c->infected;
    cv[m->npts + k] = (int)c->healthy;
    cv[2 * m->npts + k] = (int)c->down;
    cv[3 * m->npts + k] = (int)c->infections;
    cv[4 * m->npts + k] = (int)m->nseen;
}

/* The work the run took: events executed (NaN if the run never finished). */
static void on_finish(void *ctx, vmitn_time t, uint64_t events)
{
    (void)t;
    vmitn_metrics *m = ctx;
    m->events = (double)events;
}

vmitn_observer vmitn_metrics_observer(vmitn_metrics *m)
{
    return (vmitn_observer){.ctx = m, .packet = on_packet, .fates = m->fates, .host = on_host, .rule = on_rule,
                            .sample = on_sample, .skipped = on_skipped, .learn = on_learn, .finish = on_finish};
}

void vmitn_metrics_set_events(vmitn_metrics *m, vmitn_events *e)
{
    vmitn_events_free(m->log);
    m->log = e;
}

vmitn_events *vmitn_metrics_events(const vmitn_metrics *m) { return m->log; }

void vmitn_metrics_begin_run(vmitn_metrics *m, unsigned run)
{
    vmitn_assert(run < m->runs);
    if (m->log != NULL)
        vmitn_events_begin_run(m->log, run);
    m->cur = run;
    m->last_t = 0;
    m->area = 0;
    m->area_inf = 0;
    m->last_healthy = m->nfes;
    m->last_infected = 0;
    m->peak = 0;
    m->infections = 0;
    m->t_peak = m->t_all = m->t_zero = m->t_detect = NAN;
    m->ever = false;
    memset(m->pk, 0, sizeof m->pk);
    m->legit_req = m->legit_ok = 0;
    m->rep_bytes = m->rep_blocked_bytes = m->rep_unsent = 0;
    m->skipped = 0;
    m->events = NAN;
    m->handovers = m->nobackup = 0;
    m->rules_from = m->nrules;
    m->ho_from = m->nho;
    m->nfed = m->npending = 0;
    m->nsent = 0;
    if (m->c->smc.learning && m->sent_cache == NULL) /* only attack_sent reads it */
        m->sent_cache = vmitn_xmalloc(SENT_CACHE * sizeof *m->sent_cache);
    for (size_t i = 0; i < SENT_CACHE && m->sent_cache; i++)
        m->sent_cache[i].nfed = UINT32_MAX;
    memset(m->attacker, 0, m->nhosts * sizeof *m->attacker);
    memset(m->attacked, 0, m->nhosts * sizeof *m->attacked);
    memset(m->nob, 0, m->nhosts * sizeof *m->nob);
    memset(m->inf, 0, m->nhosts * sizeof *m->inf);
    memset(m->seen, 0, m->nhosts * sizeof *m->seen);
    memset(m->seen_ever, 0, m->nhosts * sizeof *m->seen_ever);
    m->nseen = m->seen_peak = 0;
    m->seen_t_all = m->seen_t_zero = NAN;
    for (unsigned h = 0; h < m->nhosts; h++)
        if (m->t_inf)
            m->t_inf[h] = NAN;
    for (unsigned h = 0; h < m->nhosts && m->step; h++)
        for (int i = 0; i < NSTEP; i++)
            m->step[h][i] = NAN;
}


void vmitn_metrics_end_run(vmitn_metrics *m)
{
    if (m->log != NULL)
        vmitn_events_end_run(m->log);
    double end = m->c->duration;
    advance(m, end);
    double *v = m->val + (size_t)m->cur * NMET;
    unsigned attacked = 0, seen_attacked = 0;
    for (unsigned h = 0; h < m->nhosts; h++) {
        attacked += m->attacked[h];
        seen_attacked += m->seen_ever[h];
    }
    uint64_t(*pk)[VMITN_PKT_NFATES] = m->pk;
    {
        const uint64_t *q = pk[VMITN_PKT_REPLAY];
        double *rv = m->rep + (size_t)m->cur * NREP;
        double blocked = (double)(q[VMITN_PKT_BLOCKED_OUT] + q[VMITN_PKT_BLOCKED_IN]);
        /* a packet of a down sender is never sent: replayed counts it, sent does not */
        rv[R_SENT] = (double)q[VMITN_PKT_SENT];
        rv[R_DOWN] = (double)q[VMITN_PKT_DOWN];
        rv[R_DELIVERED] = (double)q[VMITN_PKT_DELIVERED];
        rv[R_LEFT] = (double)(q[VMITN_PKT_NOROUTE] + q[VMITN_PKT_NOHOST]);
        rv[R_BLOCKED_OUT] = (double)q[VMITN_PKT_BLOCKED_OUT];
        rv[R_BLOCKED_IN] = (double)q[VMITN_PKT_BLOCKED_IN];
        rv[R_BLOCKED] = blocked;
        rv[R_BLOCKED_SHARE] = q[VMITN_PKT_SENT] ? blocked / (double)q[VMITN_PKT_SENT] : NAN;
        rv[R_BYTES] = (double)m->rep_bytes;
        rv[R_BLOCKED_BYTES] = (double)m->rep_blocked_bytes;
        rv[R_PACKETS] = rv[R_SENT] + (double)m->rep_unsent;
    }
    /* learning_time and rule_issued_time are the attack's rules'; first_rule_time is any rule's */
    attack_rules(m);
    double first_all = NAN, first_issued = NAN, any_all = NAN;
    unsigned bg_rules = 0;
    for (size_t i = m->rules_from; i < m->nrules; i++) {
        const rulerec *r = &m->rules[i];
        if (!isnan(r->all) && (isnan(any_all) || r->all < any_all))
            any_all = r->all;
        if (!r->attack) {
            bg_rules++;
            continue;
        }
        if (isnan(first_issued) || r->issued < first_issued)
            first_issued = r->issued;
        if (!isnan(r->all) && (isnan(first_all) || r->all < first_all))
            first_all = r->all;
    }
    v[M_PEAK] = m->peak;
    v[M_PEAK_SHARE] = m->nfes ? (double)m->peak / m->nfes : 0;
    v[M_T_PEAK] = m->t_peak;
    v[M_T_ALL] = m->t_all;
    v[M_T_CLEAN] = m->ever && m->last_infected == 0 ? m->t_zero : NAN;
    v[M_INFECTIONS] = m->infections;
    v[M_ATTACKED] = attacked;
    v[M_T_ISSUED] = first_issued;
    v[M_T_LEARN] = first_all;
    v[M_RULES] = (double)(m->nrules - m->rules_from);
    v[M_AVAIL] = m->nfes && end > 0 ? m->area / (m->nfes * end) : NAN;
    v[M_MEAN_INF] = end > 0 ? m->area_inf / end : NAN;
    v[M_LEGIT_REQ] = (double)m->legit_req;
    v[M_LEGIT_OK] = (double)m->legit_ok;
    v[M_LEGIT_SHARE] = m->legit_req ? (double)m->legit_ok / (double)m->legit_req : NAN;
    v[M_LEGIT_BLOCKED] = (double)(pk[VMITN_PKT_LEGIT][VMITN_PKT_BLOCKED_IN] + pk[VMITN_PKT_LEGIT][VMITN_PKT_BLOCKED_OUT]);
    v[M_SCANS] = (double)pk[VMITN_PKT_SCAN][VMITN_PKT_SENT] + m->skipped;
    v[M_SCANS_BLOCKED] = (double)(pk[VMITN_PKT_SCAN][VMITN_PKT_BLOCKED_IN] + pk[VMITN_PKT_SCAN][VMITN_PKT_BLOCKED_OUT]);
    v[M_FLOOD] = (double)pk[VMITN_PKT_FLOOD][VMITN_PKT_SENT];
    v[M_FLOOD_BLOCKED] = (double)(pk[VMITN_PKT_FLOOD][VMITN_PKT_BLOCKED_IN] + pk[VMITN_PKT_FLOOD][VMITN_PKT_BLOCKED_OUT]);
    v[M_HANDOVERS] = m->handovers;
    v[M_NOBACKUP] = m->nobackup;
    v[M_SEEN_PEAK] = m->seen_peak;
    v[M_SEEN_T_ALL] = m->seen_t_all;
    v[M_SEEN_T_CLEAN] = seen_attacked > 0 && m->nseen == 0 ? m->seen_t_zero : NAN;
    v[M_SEEN_ATTACKED] = seen_attacked;
    v[M_EVENTS] = m->events;
    v[M_T_DETECT] = m->t_detect;
    v[M_T_FIRST_RULE] = any_all;
    v[M_BG_RULES] = bg_rules;
    if (m->c->smc.learning && !isnan(first_issued) && (isnan(v[M_T_DETECT]) || first_issued < v[M_T_DETECT]))
        v[M_T_DETECT] = first_issued;
}

/* ---------- a run computed on a --jobs worker (replicas.h) ---------- */

/* What a run leaves behind, as it travels: a header of counts, the run's row of metrics,
 * its row of replay figures, its curves, its hand-overs and rules, then the event log's
 * rows.  The values are copied bit for bit, so the files cannot tell where a run was
 * computed. */
typedef struct run_head {
    uint64_t nho, nrules;
    uint32_t log;
    uint32_t pad;
} run_head;

_Static_assert(VMITN_COLLECTOR_OBS >= 2, "col_begin fills in two observers");

static unsigned col_begin(void *ctx, unsigned run, vmitn_observer *obs)
{
    vmitn_metrics *m = ctx;
    vmitn_metrics_begin_run(m, run);
    obs[0] = vmitn_metrics_observer(m);
    if (m->log == NULL)
        return 1;
    obs[1] = vmitn_events_observer(m->log);
    return 2;
}

static void col_pack(void *ctx, vmitn_buf *out)
{
    vmitn_metrics *m = ctx;
    vmitn_metrics_end_run(m);
    run_head h = {.nho = m->nho - m->ho_from, .nrules = m->nrules - m->rules_from, .log = m->log != NULL};
    vmitn_buf_add(out, &h, sizeof h);
    vmitn_buf_add(out, m->val + (size_t)m->cur * NMET, NMET * sizeof *m->val);
    vmitn_buf_add(out, m->rep + (size_t)m->cur * NREP, NREP * sizeof *m->rep);
    vmitn_buf_add(out, m->curve + (size_t)m->cur * NCURVE * m->npts, NCURVE * m->npts * sizeof *m->curve);
    if (h.nho > 0) /* m->ho is NULL until the first hand-over, rules likewise */
        vmitn_buf_add(out, m->ho + m->ho_from, h.nho * sizeof *m->ho);
    if (h.nrules > 0)
        vmitn_buf_add(out, m->rules + m->rules_from, h.nrules * sizeof *m->rules);
    if (m->log != NULL)
        vmitn_events_pack_run(m->log, out);
    m->nho = m->ho_from; /* the caller keeps them: a worker's lists do not grow */
    m->nrules = m->rules_from;
}

/* Array arr of *n records of size sz (capacity *cap) with k more from src; returns it. */
static void *append(void *arr, size_t *n, size_t *cap, size_t sz, const void *src, size_t k)
{
    if (k == 0)
        return arr;
    if (*n + k > *cap) {
        *cap = 2 * (*n + k);
        arr = vmitn_xrealloc(arr, *cap * sz);
    }
    memcpy((char *)arr + *n * sz, src, k * sz);
    *n += k;
    return arr;
}

static void col_unpack(void *ctx, unsigned run, const unsigned char *p, size_t n)
{
    vmitn_metrics *m = ctx;
    run_head h;
    vmitn_assert(run < m->runs && n >= sizeof h);
    memcpy(&h, p, sizeof h);
    size_t rows = (NMET + NREP) * sizeof(double) + NCURVE * m->npts * sizeof(int);
    vmitn_assert(h.nho <= n / sizeof *m->ho && h.nrules <= n / sizeof *m->rules &&
                 sizeof h + rows + h.nho * sizeof *m->ho + h.nrules * sizeof *m->rules <= n &&
                 (h.log != 0) == (m->log != NULL));
    const unsigned char *at = p + sizeof h;
    m->cur = run;
    memcpy(m->val + (size_t)run * NMET, at, NMET * sizeof *m->val);
    at += NMET * sizeof *m->val;
    memcpy(m->rep + (size_t)run * NREP, at, NREP * sizeof *m->rep);
    at += NREP * sizeof *m->rep;
    memcpy(m->curve + (size_t)run * NCURVE * m->npts, at, NCURVE * m->npts * sizeof *m->curve);
    at += NCURVE * m->npts * sizeof *m->curve;
    m->ho_from = m->nho;
    m->ho = append(m->ho, &m->nho, &m->capho, sizeof *m->ho, at, h.nho);
    at += h.nho * sizeof *m->ho;
    m->rules_from = m->nrules;
    m->rules = append(m->rules, &m->nrules, &m->caprules, sizeof *m->rules, at, h.nrules);
    at += h.nrules * sizeof *m->rules;
    if (m->log != NULL)
        at += vmitn_events_unpack_run(m->log, run, at, n - (size_t)(at - p));
    vmitn_assert(at == p + n);
}

vmitn_collector vmitn_metrics_collector(vmitn_metrics *m)
{
    return (vmitn_collector){.ctx = m, .begin = col_begin, .pack = col_pack, .unpack = col_unpack};
}

static void stat_of(const double *x, size_t n, size_t stride, vmitn_stat *s)
{
    *s = (vmitn_stat){0};
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (isnan(v)) {
            s->missing++;
            continue;
        }
        if (s->n == 0 || v < s->min)
            s->min = v;
        if (s->n == 0 || v > s->max)
            s->max = v;
        sum += v;
        s->n++;
    }
    if (s->n == 0) {
        s->mean = s->min = s->max = NAN;
        return;
    }
    s->mean = sum / s->n;
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (!isnan(v))
            ss += (v - s->mean) * (v - s->mean);
    }
    s->sd = s->n > 1 ? sqrt(ss / (s->n - 1)) : 0;
    s->ci = vmitn_ci95(s->n, s->sd);
}

size_t vmitn_metrics_count(const vmitn_metrics *m)
{
    (void)m;
    return NMET + NSTEPSTAT;
}

const char *vmitn_metrics_name(const vmitn_metrics *m, size_t i)
{
    (void)m;
    static const char *const ho[NSTEPSTAT] = {"handover.alarm", "handover.report", "handover.forward",
                                              "handover.display", "handover.wait", "handover.mount",
                                              "handover.unmount", "handover.interrupt"};
    return i < NMET ? met_names[i] : ho[i - NMET];
}

void vmitn_metrics_stat(const vmitn_metrics *m, size_t i, vmitn_stat *out)
{
    if (i < NMET) {
        stat_of(m->val + i, m->runs, NMET, out);
        return;
    }
    size_t k = i - NMET;
    stat_of(m->nho ? &m->ho[0].d[k] : NULL, m->nho, sizeof(handover) / sizeof(double), out);
}

size_t vmitn_metrics_per_run(void) { return NMET; }
unsigned vmitn_metrics_runs(const vmitn_metrics *m) { return m->runs; }

size_t vmitn_metrics_npoints(const vmitn_metrics *m) { return m->npts; }
double vmitn_metrics_curve_time(const vmitn_metrics *m, size_t k) { return (double)k * m->c->grid - m->t0; }

double vmitn_metrics_curve_run(const vmitn_metrics *m, unsigned run, int q, size_t k)
{
    vmitn_assert(run < m->runs && q >= 0 && q < NCURVE && k < m->npts);
    return m->curve[((size_t)run * NCURVE + (size_t)q) * m->npts + k];
}

double vmitn_metrics_curve_mean(const vmitn_metrics *m, int q, size_t k)
{
    vmitn_assert(q >= 0 && q < NCURVE && k < m->npts);
    double s = 0;
    for (unsigned r = 0; r < m->runs; r++)
        s += m->curve[((size_t)r * NCURVE + (size_t)q) * m->npts + k];
    return s / m->runs;
}

double vmitn_metrics_run_value(const vmitn_metrics *m, unsigned run, size_t i)
{
    vmitn_assert(run < m->runs && i < NMET);
    return m->val[(size_t)run * NMET + i];
}

unsigned vmitn_metrics_worst(const vmitn_metrics *m)
{
    unsigned best = 0;
    double best_peak = -1, best_area = -1;
    for (unsigned r = 0; r < m->runs; r++) {
        const int *cv = m->curve + (size_t)r * NCURVE * m->npts;
        double area = 0;
        for (unsigned k = 0; k < m->npts; k++)
            area += cv[k];
        double peak = m->val[(size_t)r * NMET + M_PEAK];
        if (peak > best_peak || (peak == best_peak && area > best_area)) {
            best = r;
            best_peak = peak;
            best_area = area;
        }
    }
    return best;
}

/* ---- CSV ---- */

static void put_num(FILE *f, double v)
{
    if (isnan(v))
        fputs("NA", f);
    else
        fprintf(f, "%.6g", v);
}

static FILE *open_csv(const char *dir, const char *label, const char *what, char *path, size_t n)
{
    snprintf(path, n, "%s/%s.%s.csv", dir, label, what);
    return fopen(path, "w");
}

static int close_csv(FILE *f, const char *path, char *err)
{
    if (ferror(f) | (fclose(f) != 0))
        return vmitn_fail(err, VMITN_EIO, "%s: write failed", path);
    return 0;
}

static const char *const curve_names[NCURVE] = {"infected", "healthy", "down", "infections", "seen_infected"};

int vmitn_metrics_write(const vmitn_metrics *m, const char *dir, const char *label, char *err)
{
    char path[4096];
    FILE *f = open_csv(dir, label, "curve", path, sizeof path);
    if (f == NULL)
        return vmitn_fail(err, VMITN_EIO, "%s: cannot create", path);
    unsigned worst = vmitn_metrics_worst(m);
    fputs("t", f);
    for (int c = 0; c < NCURVE; c++)
        fprintf(f, ",%s_mean,%s_ci_lo,%s_ci_hi,%s_min,%s_max,%s_worst", curve_names[c], curve_names[c],
                curve_names[c], curve_names[c], curve_names[c], curve_names[c]);
    fputc('\n', f);
    double *col = vmitn_xmalloc(m->runs * sizeof *col);
    for (unsigned k = 0; k < m->npts; k++) {
        fprintf(f, "%.6g", k * m->c->grid - m->t0);
        for (int c = 0; c < NCURVE; c++) {
            for (unsigned r = 0; r < m->runs; r++)
                col[r] = m->curve[((size_t)r * NCURVE + c) * m->npts + k];
            vmitn_stat s;
            stat_of(col, m->runs, 1, &s);
            fputc(',', f);
            put_num(f, s.mean);
            fputc(',', f);
            put_num(f, s.mean - s.ci);
            fputc(',', f);
            put_num(f, s.mean + s.ci);
            fprintf(f, ",%g,%g,%d", s.min, s.max, m->curve[((size_t)worst * NCURVE + c) * m->npts + k]);
        }
        fputc('\n', f);
    }
    free(col);
    int rc = close_csv(f, path, err);
    if (rc < 0)
        return rc;

    if ((f = open_csv(dir, label, "runs", path, sizeof path)) == NULL)
        return vmitn_fail(err, VMITN_EIO, "%s: cannot create", path);
    fputs("run", f);
    for (int i = 0; i < NMET; i++)
        fprintf(f, ",%s", met_names[i]);
    fputc('\n', f);
    for (unsigned r = 0; r < m->runs; r++) {
        fprintf(f, "%u", r);
        for (int i = 0; i < NMET; i++) {
            fputc(',', f);
            put_num(f, m->val[(size_t)r * NMET + i]);
        }
        fputc('\n', f);
    }
    if ((rc = close_csv(f, path, err)) < 0)
        return rc;

    if ((f = open_csv(dir, label, "summary", path, sizeof path)) == NULL)
        return vmitn_fail(err, VMITN_EIO, "%s: cannot create", path);
    fputs("metric,n,missing,mean,sd,ci95_lo,ci95_hi,min,max\n", f);
    for (size_t i = 0; i < vmitn_metrics_count(m); i++) {
        vmitn_stat s;
        vmitn_metrics_stat(m, i, &s);
        fprintf(f, "%s,%u,%u,", vmitn_metrics_name(m, i), s.n, s.missing);
        double cols[6] = {s.mean, s.sd, s.mean - s.ci, s.mean + s.ci, s.min, s.max};
        for (int j = 0; j < 6; j++) {
            if (j)
                fputc(',', f);
            put_num(f, s.n ? cols[j] : NAN);
        }
        fputc('\n', f);
    }
    if ((rc = close_csv(f, path, err)) < 0)
        return rc;

    if ((f = open_csv(dir, label, "rules", path, sizeof path)) == NULL)
        return vmitn_fail(err, VMITN_EIO, "%s: cannot create", path);
    fputs("run,pattern,issued,active_everywhere,attack\n", f);
    for (size_t i = 0; i < m->nrules; i++) {
        char pat[64];
        vmitn_pattern_format(&m->rules[i].p, pat, sizeof pat);
        fprintf(f, "%u,\"%s\",", m->rules[i].run, pat);
        put_num(f, m->rules[i].issued);
        fputc(',', f);
        put_num(f, m->rules[i].all);
        fprintf(f, ",%d\n", m->rules[i].attack);
    }
    if ((rc = close_csv(f, path, err)) < 0)
        return rc;

    if (m->c->legit.trace[0] != '\0') {
        if ((f = open_csv(dir, label, "replay", path, sizeof path)) == NULL)
            return vmitn_fail(err, VMITN_EIO, "%s: cannot create", path);
        fputs("run", f);
        for (int i = 0; i < NREP; i++)
            fprintf(f, ",%s", rep_names[i]);
        fputc('\n', f);
        for (unsigned r = 0; r < m->runs; r++) {
            fprintf(f, "%u", r);
            for (int i = 0; i < NREP; i++) {
                fputc(',', f);
                put_num(f, m->rep[(size_t)r * NREP + i]);
            }
            fputc('\n', f);
        }
        if ((rc = close_csv(f, path, err)) < 0)
            return rc;
    }

    if (m->log != NULL && (rc = vmitn_events_write(m->log, dir, label, err)) < 0)
        return rc;
    if (m->nho == 0)
        return 0;
    if ((f = open_csv(dir, label, "handovers", path, sizeof path)) == NULL)
        return vmitn_fail(err, VMITN_EIO, "%s: cannot create", path);
    fputs("run,host,no_backup", f);
    for (int j = 0; j < NSTEPSTAT; j++)
        fprintf(f, ",%s", step_names[j]);
    fputc('\n', f);
    for (size_t i = 0; i < m->nho; i++) {
        fprintf(f, "%u,%u,%d", m->ho[i].run, m->ho[i].host, m->ho[i].no_backup);
        for (int j = 0; j < NSTEPSTAT; j++)
            fprintf(f, ",%.6f", m->ho[i].d[j]);
        fputc('\n', f);
    }
    return close_csv(f, path, err);
}
