/* strategy.c — the worm's scanning strategies besides random (localized or uniform)
 * scanning: sequential (Blaster-like), permutation and partitioned permutation, and a
 * hit-list (Staniford, Paxson & Weaver, "How to 0wn the Internet in Your Spare Time",
 * USENIX Security 2002, §4-5), at packet level (a target per scan) and on an exact fast
 * path (an event per scan that hits an address in use: the scans of a deterministic
 * sequence up to the next address in use are counted, not sent).  docs/MODEL.md §3.1.
 *
 * Streams: the permutation's key and the hit-list come from the worm's shared stream
 * (purpose SCAN, entity 0xffffffff: never a host), so every instance scans the same
 * permutation; a host's start points come from its own scan stream. */
#include "vmitn/model_internal.h"

#include <stdlib.h>
#include <string.h>

#include "vmitn/util.h"

#define SHARED_ENTITY 0xffffffffu
#define SPACE ((uint64_t)1 << 32)

typedef struct wscan {
    uint64_t pos;       /* next position (permutation) or address (sequential) to scan */
    uint64_t end;       /* the partition ends here (pos <= end; SPACE past pos: none) */
    unsigned hl_lo, hl_hi; /* the host's slice of the hit-list */
    bool jump;          /* it met an infected host: a new random start before the next scan */
    bool started;
    uint32_t gen;       /* fast path: bumps when the pending hit is replaced */
    vmitn_time from;    /* fast path: when the scans toward the pending hit began */
    double pending;     /* fast path: scans up to and including the pending hit */
} wscan;

struct vmitn_wstate {
    uint32_t key[4];    /* the permutation's round keys */
    uint32_t *hitlist;  /* addresses, in the order the launcher scans them */
    unsigned nhit;
    uint32_t *inuse;    /* fast path: sorted positions (or addresses) of the addresses in use */
    unsigned ninuse;
    wscan *h;
};

/* ---------- the permutation: a 4-round Feistel network on 32 bits ---------- */

static uint32_t round_f(uint32_t half, uint32_t key)
{
    uint32_t x = (half ^ key) * 0x9e3779b1u;
    x ^= x >> 15;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    return x & 0xffffu;
}

static uint32_t perm(const vmitn_wstate *w, uint32_t i)
{
    uint32_t l = i >> 16, r = i & 0xffffu;
    for (int k = 0; k < 4; k++) {
        uint32_t t = r;
        r = l ^ round_f(r, w->key[k]);
        l = t;
    }
    return (l << 16) | r;
}

static uint32_t perm_inv(const vmitn_wstate *w, uint32_t a)
{
    uint32_t l = a >> 16, r = a & 0xffffu;
    for (int k = 3; k >= 0; k--) {
        uint32_t t = l;
        l = r ^ round_f(l, w->key[k]);
        r = t;
    }
    return (l << 16) | r;
}

uint32_t vmitn_strategy_perm(const vmitn_wstate *w, uint32_t i) { return perm(w, i); }
uint32_t vmitn_strategy_perm_inv(const vmitn_wstate *w, uint32_t a) { return perm_inv(w, a); }

/* The address scanned at sequence position p. */
static uint32_t addr_at(const vmitn_model *m, uint64_t p)
{
    uint32_t x = (uint32_t)(p & (SPACE - 1));
    return m->c->worm.strategy == VMITN_STRATEGY_SEQUENTIAL ? x : perm(m->wst, x);
}

static uint32_t pos_of(const vmitn_model *m, uint32_t addr)
{
    return m->c->worm.strategy == VMITN_STRATEGY_SEQUENTIAL ? addr : perm_inv(m->wst, addr);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

bool vmitn_strategy_used(const vmitn_model_cfg *c)
{
    return c->worm.enabled && (c->worm.strategy != VMITN_STRATEGY_RANDOM || c->worm.hitlist > 0);
}

void vmitn_strategy_setup(vmitn_model *m)
{
    const vmitn_model_cfg *c = m->c;
    vmitn_wstate *w = vmitn_xcalloc(1, sizeof *w);
    m->wst = w;
    w->h = vmitn_xcalloc(m->nhosts, sizeof *w->h);
    vmitn_rng *r = vmitn_rng_new(m->seed, m->run, VMITN_STREAM(VMITN_STREAM_SCAN, SHARED_ENTITY));
    for (int k = 0; k < 4; k++)
        w->key[k] = vmitn_rng_u32(r);
    /* the hit-list: worm.hitlist FES hosts other than the launcher, a uniform sample in
     * random order (partial Fisher-Yates over the FES hosts) */
    int launch = vmitn_topo_find_name(m->t, c->worm.start_host);
    unsigned n = 0;
    int *cand = vmitn_xmalloc((m->nfes ? m->nfes : 1) * sizeof *cand);
    for (unsigned k = 0; k < m->nfes; k++)
        if (m->fes_idx[k] != launch)
            cand[n++] = m->fes_idx[k];
    w->nhit = (unsigned)c->worm.hitlist < n ? (unsigned)c->worm.hitlist : n;
    w->hitlist = vmitn_xmalloc((w->nhit ? w->nhit : 1) * sizeof *w->hitlist);
    for (unsigned i = 0; i < w->nhit; i++) {
        unsigned j = i + (unsigned)vmitn_rng_below(r, n - i);
        int t = cand[i];
        cand[i] = cand[j];
        cand[j] = t;
        w->hitlist[i] = m->hosts[cand[i]].addr;
    }
    free(cand);
    vmitn_rng_free(r);
    if (c->worm.fast && c->worm.strategy != VMITN_STRATEGY_RANDOM) {
        w->ninuse = m->nby_addr;
        w->inuse = vmitn_xmalloc((w->ninuse ? w->ninuse : 1) * sizeof *w->inuse);
        for (unsigned i = 0; i < w->ninuse; i++)
            w->inuse[i] = pos_of(m, m->hosts[m->by_addr[i]].addr);
        qsort(w->inuse, w->ninuse, sizeof *w->inuse, cmp_u32);
    }
    if (launch >= 0) {
        w->h[launch].hl_lo = 0;
        w->h[launch].hl_hi = w->nhit;
    }
}

void vmitn_strategy_free(vmitn_model *m)
{
    vmitn_wstate *w = m->wst;
    if (w == NULL)
        return;
    free(w->hitlist);
    free(w->inuse);
    free(w->h);
    free(w);
}

/* A random start in the whole sequence, the own /local_prefix's first address with
 * probability p_local for a sequential scanner (Blaster started in its own network). */
static void new_start(vmitn_model *m, unsigned hi)
{
    wscan *s = &m->wst->h[hi];
    vmitn_mhost *h = &m->hosts[hi];
    const vmitn_model_cfg *c = m->c;
    if (c->worm.strategy == VMITN_STRATEGY_RANDOM)
        return; /* a hit-list with random scanning: no sequence to start */
    vmitn_rng *r = vmitn_mrng(m, h, VMITN_R_SCAN);
    if (c->worm.strategy == VMITN_STRATEGY_SEQUENTIAL && vmitn_rng_uniform(r) < c->worm.p_local)
        s->pos = vmitn_hreg(m, h, VMITN_REG_LOCAL)->base;
    else
        s->pos = vmitn_rng_u32(r);
    s->end = s->pos + SPACE;
    s->jump = false;
}

/* Host hi was infected by `by` (-1: injected or launched): its share of the hit-list and,
 * for partitioned permutation, of the infecting host's partition: the upper half of
 * what the parent has not scanned yet (Staniford et al. §5). */
void vmitn_strategy_infected(vmitn_model *m, unsigned hi, int by)
{
    vmitn_wstate *w = m->wst;
    wscan *s = &w->h[hi];
    s->gen++;
    s->pending = 0;
    if (by < 0 || !w->h[by].started) {
        if (!s->started) {
            new_start(m, hi);
            s->started = true;
        }
        return;
    }
    wscan *p = &w->h[by];
    unsigned left = p->hl_hi - p->hl_lo;
    s->hl_lo = p->hl_hi - left / 2;
    s->hl_hi = p->hl_hi;
    p->hl_hi = s->hl_lo;
    if (m->c->worm.strategy == VMITN_STRATEGY_PARTITIONED && p->end - p->pos >= 2) {
        uint64_t mid = p->pos + (p->end - p->pos) / 2;
        s->pos = mid;
        s->end = p->end;
        p->end = mid;
        s->jump = false;
    } else
        new_start(m, hi);
    s->started = true;
}

/* A scan of host `scanner` reached an infected host: a permutation scanner takes it as a
 * sign that someone scans from here on, and picks a new random start (§5). */
void vmitn_strategy_met_infected(vmitn_model *m, unsigned scanner)
{
    if (m->c->worm.strategy == VMITN_STRATEGY_PERMUTATION || m->c->worm.strategy == VMITN_STRATEGY_PARTITIONED)
        m->wst->h[scanner].jump = true;
}

/* Before a scan: a pending jump, or the end of a partition, moves the start. */
static void prepare(vmitn_model *m, unsigned hi)
{
    wscan *s = &m->wst->h[hi];
    if (s->jump || s->pos >= s->end)
        new_start(m, hi);
}

uint32_t vmitn_strategy_target(vmitn_model *m, unsigned hi)
{
    vmitn_wstate *w = m->wst;
    wscan *s = &w->h[hi];
    if (s->hl_lo < s->hl_hi)
        return w->hitlist[s->hl_lo++];
    if (m->c->worm.strategy == VMITN_STRATEGY_RANDOM)
        return vmitn_worm_target(m, &m->hosts[hi]);
    prepare(m, hi);
    return addr_at(m, s->pos++);
}

/* ---------- the exact fast path ---------- */

static void ev_shit(vmitn_sched *s, void *ctx, uint64_t arg);

/* Scans from position pos up to and including the next address in use (SPACE + 1 if none). */
static uint64_t to_next(const vmitn_wstate *w, uint64_t pos, uint64_t *hit_pos)
{
    if (w->ninuse == 0)
        return SPACE + 1;
    uint32_t x = (uint32_t)(pos & (SPACE - 1));
    unsigned lo = 0, hi = w->ninuse;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (w->inuse[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint64_t d = lo < w->ninuse ? (uint64_t)(w->inuse[lo] - x) : (uint64_t)w->inuse[0] + SPACE - x;
    *hit_pos = pos + d;
    return d + 1;
}

static void report_misses(vmitn_model *m, unsigned hi, double n)
{
    if (n <= 0)
        return;
    double split[VMITN_NREG] = {0, 0, n}; /* a sequence spans the space: counted as "anywhere" */
    vmitn_time now = vmitn_sched_now(m->s);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].skipped)
            m->obs[i].skipped(m->obs[i].ctx, now, hi, split);
}

static double secs_for(vmitn_model *m, vmitn_mhost *h, double scans)
{
    if (m->c->worm.poisson)
        return vmitn_rng_gamma(vmitn_mrng(m, h, VMITN_R_WORM), scans, 1.0 / m->c->worm.rate);
    return scans * vmitn_to_secs(m->scan_gap);
}

/* The next scan that hits an address in use: a hit-list entry is the next scan; else
 * the sequence's next address in use, past the partition's end (then a new start) if
 * need be.  The scans before it hit nobody. */
void vmitn_strategy_schedule(vmitn_model *m, unsigned hi)
{
    vmitn_wstate *w = m->wst;
    wscan *s = &w->h[hi];
    vmitn_mhost *h = &m->hosts[hi];
    double scans;
    if (s->hl_lo < s->hl_hi)
        scans = 1;
    else {
        prepare(m, hi);
        uint64_t hp = 0, k = to_next(w, s->pos, &hp);
        scans = 0;
        while (hp >= s->end && k <= SPACE) { /* the partition ends first: a new start there */
            scans += (double)(s->end - s->pos);
            s->pos = s->end;
            new_start(m, hi);
            k = to_next(w, s->pos, &hp);
        }
        if (k > SPACE) {
            s->pending = 0;
            return; /* nothing in use anywhere: it never hits */
        }
        scans += (double)k;
    }
    vmitn_time now = vmitn_sched_now(m->s);
    double dt = secs_for(m, h, scans);
    s->from = now;
    s->pending = scans;
    if (dt > vmitn_to_secs(m->end - now)) {
        double w_left = (double)(m->end - now) / (double)m->scan_gap;
        report_misses(m, hi, scans - 1 < w_left ? scans - 1 : w_left);
        s->pending = 0;
        return;
    }
    s->gen++;
    vmitn_sched_after(m->s, vmitn_secs(dt), ev_shit, m, (uint64_t)hi | ((uint64_t)s->gen << 32));
}

static void ev_shit(vmitn_sched *sch, void *ctx, uint64_t arg)
{
    (void)sch;
    vmitn_model *m = ctx;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    vmitn_mhost *h = &m->hosts[hi];
    wscan *s = &m->wst->h[hi];
    if ((uint32_t)(arg >> 32) != s->gen || !h->active || !h->online)
        return;
    report_misses(m, hi, s->pending - 1);
    s->pending = 0;
    uint32_t dst;
    if (s->hl_lo < s->hl_hi)
        dst = m->wst->hitlist[s->hl_lo++];
    else {
        uint64_t hp = 0;
        to_next(m->wst, s->pos, &hp);
        dst = addr_at(m, hp);
        s->pos = hp + 1;
    }
    /* the fast path learns at once whether the target is infected (packet level: when
     * the scan arrives, a path delay later) */
    int to = vmitn_topo_find_addr(m->t, dst);
    if (to >= 0 && m->hosts[to].infected)
        vmitn_strategy_met_infected(m, hi);
    vmitn_packet pk = {.src = h->addr, .dst = dst, .sport = vmitn_ephemeral(h), .dport = (uint16_t)m->c->worm.port,
                       .proto = (uint8_t)m->c->worm.proto, .kind = VMITN_PKT_SCAN,
                       .bytes = (uint16_t)m->c->worm.scan_bytes, .from = (int32_t)hi, .to = -1};
    vmitn_send_packet(m, &pk);
    vmitn_strategy_schedule(m, hi);
}

/* The guest stops scanning: the scans it sent since the last hit are counted now. */
void vmitn_strategy_stop(vmitn_model *m, vmitn_mhost *h)
{
    unsigned hi = (unsigned)(h - m->hosts);
    wscan *s = &m->wst->h[hi];
    if (!h->active || !m->c->worm.fast || s->pending <= 1)
        return;
    double done = (double)(vmitn_sched_now(m->s) - s->from) / (double)m->scan_gap;
    report_misses(m, hi, done < s->pending - 1 ? done : s->pending - 1);
    s->pending = 0;
    s->gen++;
}

/* ---------- the scanning strategies' row ---------- */

static int strategy_setup(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)k;
    (void)st;
    (void)err;
    (void)errlen;
    vmitn_strategy_setup(m);
    return 0;
}

static void strategy_release(vmitn_model *m, void *st)
{
    (void)st;
    vmitn_strategy_free(m);
}

/* What the fast path cannot do with a strategy (checked enabled or not, like every row). */
static int strategy_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    (void)t;
    (void)errlen;
    if (c->worm.fast && c->worm.hitlist > 0 && c->worm.strategy == VMITN_STRATEGY_RANDOM)
        return vmitn_fail(err, VMITN_EINPUT, "worm.hitlist with worm.fast needs a sequence to follow the list: set "
                                             "worm.strategy to sequential or permutation, or worm.fast = false");
    if (c->worm.fast && c->worm.enabled && c->worm.strategy == VMITN_STRATEGY_PARTITIONED)
        return vmitn_fail(err, VMITN_EINPUT, "worm.strategy = \"partitioned\" is not exact with worm.fast (a victim "
                                             "shortens its infector's partition after the infector's next hit was "
                                             "scheduled): set worm.fast = false or worm.strategy = \"permutation\"");
    return 0;
}

const vmitn_module vmitn_strategy = {
    .name = "worm.strategy", .id = 17, .enabled = vmitn_strategy_used, .check = strategy_check,
    .setup = strategy_setup,
    .release = strategy_release,
};
