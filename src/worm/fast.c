/* fast.c — the exact fast path: an event per scan that hits an address in use (or, with
 * thinning, a host it can infect), the scans between them counted per region
 * (docs/MODEL.md §3). */
#include "vmitn/model_internal.h"

#include <math.h>

#include "vmitn/thin.h"
#include "vmitn/util.h"

/* ---------- the exact fast path ----------
 * A scanner's scans are independent draws: each hits an address in use with probability
 * phit = sum over regions of p_r n_r / S_r.  The number of scans up to the next hit is
 * geometric, so the next hit comes K intervals later (fixed interval) or after a
 * Gamma(K, 1/rate) time (Poisson scanning): exactly when the packet-level model's would.
 * The hit's region is drawn with weights p_r n_r / S_r, its target uniformly among the
 * region's hosts; the K - 1 scans before it hit nobody and are counted per region. */
static void ev_hit(vmitn_sched *s, void *ctx, uint64_t arg);

/* Splits n scans over the regions with weights w (a multinomial draw, as binomials). */
static void split_counts(vmitn_rng *r, double n, const double w[VMITN_NREG], double out[VMITN_NREG])
{
    double tot = 0;
    for (int g = 0; g < VMITN_NREG; g++) {
        tot += w[g];
        out[g] = 0;
    }
    for (int g = 0; g < VMITN_NREG && n > 0; g++) {
        if (g == VMITN_NREG - 1 || tot <= 0) {
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

/* ---------- thinning ----------
 * While nothing can cure a host (no hand-over, no learner), the hosts a scan can infect
 * (clean, vulnerable FES guests) only become fewer.  A scan of host h infects-or-tries
 * with probability q(t) = sum_r p_r s_r(t) / S_r (s_r: such hosts in region r), which only
 * falls; so the next such scan is drawn by thinning (Lewis & Shedler 1979): propose with
 * the bound q(t0) of when it was drawn (geometric, as the fast path draws its hits), then
 * accept with s_r(t) / s_r(t0) in the proposed region r: a uniform draw j below s_r(t0)
 * accepts when j < s_r(t) and then names the target, the j-th such host of the region in
 * address order (a bit per address-sorted host and a Fenwick tree over their words count
 * and select them).
 * Scans that are not proposed, and rejected proposals, hit a host they cannot change (or
 * nobody): counted, not sent.  A scan still sent reaches its target as at packet level,
 * which decides, on arrival, whether it infects. */

/* The hosts a scan can infect, by address-sorted position: a bit per position, 64 to a
 * word, and a Fenwick tree over the words' counts (1-based, one entry per word) in front
 * of them, both in m->sus.  Counting, selecting and removing a host read the tree (a 64th
 * of the positions: it stays in cache) and one word of bits, where a tree over the
 * positions themselves missed the cache at each of its deeper levels.  m->sus[0], which a
 * 1-based tree leaves unused, holds the total. */
static unsigned sus_nwords(const vmitn_model *m) { return (m->nby_addr + 63) / 64; }

static uint64_t *sus_bits(const vmitn_model *m)
{
    return (uint64_t *)(void *)(m->sus + ((sus_nwords(m) + 2) & ~1u)); /* 8-byte aligned */
}

static unsigned pop64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (unsigned)((x * 0x0101010101010101u) >> 56);
}

/* The position of the (k+1)-th set bit of w (k < pop64(w)). */
static unsigned select64(uint64_t w, unsigned k)
{
    uint64_t x = w - ((w >> 1) & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu; /* each byte: its bits' count */
    uint64_t pre = x * 0x0101010101010101u;  /* byte i: the count of bytes 0..i */
    unsigned i = 0;
    while (((pre >> (8 * i)) & 0xff) <= k)
        i++;
    if (i > 0)
        k -= (unsigned)((pre >> (8 * (i - 1))) & 0xff);
    uint64_t byte = (w >> (8 * i)) & 0xff;
    for (; k > 0; k--)
        byte &= byte - 1;
    return 8 * i + (unsigned)__builtin_ctzll(byte);
}

static uint32_t sus_prefix(const vmitn_model *m, unsigned i) /* hosts at positions < i */
{
    uint32_t n = 0;
    for (unsigned w = i / 64; w > 0; w &= w - 1)
        n += m->sus[w];
    if (i % 64)
        n += pop64(sus_bits(m)[i / 64] & (((uint64_t)1 << (i % 64)) - 1));
    return n;
}

static unsigned sus_region(const vmitn_model *m, const vmitn_region *g)
{
    unsigned lo = (unsigned)(g->hosts - m->by_addr);
    if (lo == 0 && g->nhosts == m->nby_addr)
        return m->sus[0]; /* every host (uniform scanning): the total, kept in the tree's unused slot */
    return sus_prefix(m, lo + g->nhosts) - sus_prefix(m, lo);
}

/* The position of the host with k such hosts before it (k < their total). */
static unsigned sus_select(const vmitn_model *m, uint32_t k)
{
    unsigned w = 0, nw = sus_nwords(m);
    for (unsigned step = m->sus_top; step > 0; step >>= 1)
        if (w + step <= nw && m->sus[w + step] <= k) {
            w += step;
            k -= m->sus[w];
        }
    return 64 * w + select64(sus_bits(m)[w], k); /* word w (0-based) holds it */
}

/* ev_hit's hint: the scanner's record, read first (both of its cache lines). */
static void touch_hit(void *ctx, uint64_t arg)
{
    const vmitn_model *m = ctx;
    const vmitn_mhost *h = &m->hosts[(unsigned)(arg & 0xffffffffu)];
    __builtin_prefetch(h);
    __builtin_prefetch(&h->hot[0]);
}

void vmitn_fast_setup(vmitn_model *m)
{
    const vmitn_model_cfg *c = m->c;
    if (c->worm.fast)
        vmitn_sched_touch(m->s, ev_hit, touch_hit);
    /* monotone: nothing cures a host; the VM Switcher, the scanning strategies, the
     * learner and the baseline defences keep their own fast paths or refuse worm.fast
     * (their rows are not thin_ok) */
    m->thin = c->worm.fast && c->worm.thin && m->thin_ok;
    if (!m->thin)
        return;
    unsigned n = m->nby_addr, nw = sus_nwords(m);
    m->sus = vmitn_xcalloc(((size_t)nw + 2) / 2 * 2 + 2 * (size_t)nw, sizeof *m->sus);
    uint64_t *bits = sus_bits(m);
    /* a generated population is numbered in address order: host k at position k, and no
     * table is needed (m->addr_pos NULL) */
    unsigned ident = 0;
    while (ident < n && m->by_addr[ident] == (int)ident)
        ident++;
    if (ident < n) {
        m->addr_pos = vmitn_xmalloc(m->nhosts * sizeof *m->addr_pos);
        for (unsigned i = 0; i < m->nhosts; i++)
            m->addr_pos[i] = UINT32_MAX;
        for (unsigned k = 0; k < n; k++)
            m->addr_pos[m->by_addr[k]] = k;
    }
    for (unsigned k = 0; k < n; k++) {
        const vmitn_mhost *h = &m->hosts[m->by_addr[k]];
        if (h->is_fes && c->fes.vulnerable && !h->infected) {
            bits[k / 64] |= (uint64_t)1 << (k % 64);
            m->sus[k / 64 + 1]++;
            m->sus[0]++;
        }
    }
    for (unsigned i = 1; i <= nw; i++) { /* the tree in O(n): each node adds itself to its parent */
        unsigned j = i + (i & (0u - i));
        if (j <= nw)
            m->sus[j] += m->sus[i];
    }
    for (m->sus_top = 1; m->sus_top <= nw / 2; m->sus_top *= 2)
        ;
}

void vmitn_fast_lost(vmitn_model *m, unsigned hi)
{
    const vmitn_mhost *h = &m->hosts[hi];
    unsigned k = m->addr_pos ? m->addr_pos[hi] : hi < m->nby_addr ? hi : UINT32_MAX;
    if (!h->is_fes || !m->c->fes.vulnerable || k == UINT32_MAX)
        return;
    uint64_t *w = &sus_bits(m)[k / 64], bit = (uint64_t)1 << (k % 64);
    vmitn_assert(*w & bit);
    *w &= ~bit;
    m->sus[0]--;
    for (unsigned i = k / 64 + 1; i <= sus_nwords(m); i += i & (0u - i))
        m->sus[i]--;
}

/* Host h's chance per scan to hit in each region (w) and their sum (returned).  A region
 * a scan never picks (p_g = +0) has +0, which is what vmitn_hitw's division would give
 * (+0 * n / S, S >= 1), without the division (uniform scanning: two of three). */
static double weights(const vmitn_model *m, const vmitn_mhost *h, double w[VMITN_NREG])
{
    const double p[VMITN_NREG] = {m->c->worm.p_local, m->c->worm.p_near, m->c->worm.p_any};
    double phit = 0;
    for (int g = 0; g < VMITN_NREG; g++)
        phit += w[g] = p[g] == 0 && !signbit(p[g]) ? 0.0 : vmitn_hitw(m, h, g);
    return phit;
}

/* The bound of the next proposal: host h's hosts it can infect per region now (in
 * bound, where the fast path keeps the hosts of each region). */
static void thin_bound(vmitn_model *m, vmitn_mhost *h)
{
    const vmitn_model_cfg *c = m->c;
    double p[VMITN_NREG] = {c->worm.p_local, c->worm.p_near, c->worm.p_any};
    for (int g = 0; g < VMITN_NREG; g++)
        h->bound[g] = p[g] > 0 ? sus_region(m, vmitn_hreg(m, h, g)) : 0;
}

/* Nothing can change any more: every FES host is infected and nothing cures one. */
static bool settled(const vmitn_model *m)
{
    return m->counts.infected == m->nfes && !m->c->smc.learning && !m->cures; /* the VM Switcher cures */
}

/* Seconds (as a double: rare hits can lie far beyond any int64 time) to the next hit. */
static double until_hit(vmitn_model *m, vmitn_mhost *h, double phit, double *k_out)
{
    vmitn_rng *r = vmitn_mrng(m, h, VMITN_R_WORM);
    double k = vmitn_rng_geometric(r, phit);
    *k_out = k;
    if (m->c->worm.poisson)
        return vmitn_rng_gamma(r, k, 1.0 / m->c->worm.rate);
    return k * vmitn_to_secs(m->scan_gap);
}

/* Counts, as scans that hit nobody, those a fast-path host sent between `from` and `to`
 * without reaching its next hit: all of them misses, split over the regions. */
void vmitn_fast_misses(vmitn_model *m, vmitn_mhost *h, unsigned hi, vmitn_time from, vmitn_time to, double cap)
{
    const vmitn_model_cfg *c = m->c;
    double w = (double)(to - from) / (double)m->scan_gap, mw[VMITN_NREG], split[VMITN_NREG], hw[VMITN_NREG];
    double p[VMITN_NREG] = {c->worm.p_local, c->worm.p_near, c->worm.p_any};
    double phit = weights(m, h, hw);
    vmitn_rng *r = vmitn_mrng(m, h, VMITN_R_SCAN);
    double n = c->worm.poisson ? (double)vmitn_rng_poisson(r, w * (1 - phit)) : floor(w);
    if (n > cap)
        n = cap;
    if (n <= 0)
        return;
    for (int g = 0; g < VMITN_NREG; g++)
        mw[g] = p[g] - hw[g];
    split_counts(r, n, mw, split);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].skipped)
            m->obs[i].skipped(m->obs[i].ctx, vmitn_sched_now(m->s), hi, split);
}

/* Counts host hi's scans from now to the end of the run, split over the regions as scans
 * choose them, as not sent (they can change nothing). */
static void count_rest(vmitn_model *m, unsigned hi, vmitn_rng *r)
{
    const vmitn_model_cfg *c = m->c;
    double p[VMITN_NREG] = {c->worm.p_local, c->worm.p_near, c->worm.p_any}, split[VMITN_NREG];
    vmitn_time now = vmitn_sched_now(m->s);
    double left = (double)(m->end - now) / (double)m->scan_gap;
    left = c->worm.poisson ? (double)vmitn_rng_poisson(r, left) : floor(left);
    split_counts(r, left, p, split);
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].skipped)
            m->obs[i].skipped(m->obs[i].ctx, now, hi, split);
    m->hosts[hi].pending_k = 0;
}

void vmitn_fast_schedule(vmitn_model *m, unsigned hi)
{
    vmitn_mhost *h = &m->hosts[hi];
    double hw[VMITN_NREG], phit;
    if (m->thin) {
        thin_bound(m, h);
        phit = weights(m, h, hw);
        if (phit <= 0) { /* no host left that it could infect, and none will come back */
            count_rest(m, hi, vmitn_mrng(m, h, VMITN_R_SCAN));
            return;
        }
    } else {
        phit = weights(m, h, hw);
    }
    if (phit <= 0)
        return; /* nothing in use anywhere it scans: it never hits */
    double k;
    double dt = until_hit(m, h, phit, &k);
    vmitn_time now = vmitn_sched_now(m->s);
    h->hit_from = now;
    h->pending_k = k;
    if (dt > vmitn_to_secs(m->end - now)) {
        /* the next hit lies beyond the run: the scans up to the end all hit nobody */
        vmitn_fast_misses(m, h, hi, now, m->end, k - 1);
        h->pending_k = 0; /* counted */
        return;
    }
    /* a host has one hit pending at a time: its k waits in the vmitn_mhost */
    vmitn_sched_after(m->s, vmitn_secs(dt), ev_hit, m, hi | ((uint64_t)h->epoch << 32));
}

/* The guest stops scanning (switched, shut down): on the fast path the scans it sent
 * since its last hit are counted now, since its pending hit will never come. */
void vmitn_worm_stop(vmitn_model *m, vmitn_mhost *h)
{
    if (m->wst)
        vmitn_strategy_stop(m, h);
    if (h->active && m->c->worm.fast && h->pending_k > 1)
        vmitn_fast_misses(m, h, (unsigned)(h - m->hosts), h->hit_from, vmitn_sched_now(m->s), h->pending_k - 1);
    h->pending_k = 0;
    h->active = false;
}

static void ev_hit(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    vmitn_model *m = ctx;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    vmitn_mhost *h = &m->hosts[hi];
    if ((uint32_t)(arg >> 32) != h->epoch || !h->active || !h->online)
        return;
    vmitn_rng *r = vmitn_mrng(m, h, VMITN_R_SCAN);
    /* the misses before this hit, split over the regions */
    const vmitn_model_cfg *c = m->c;
    double p[VMITN_NREG] = {c->worm.p_local, c->worm.p_near, c->worm.p_any}, mw[VMITN_NREG], split[VMITN_NREG];
    double hw[VMITN_NREG], phit = weights(m, h, hw);
    for (int g = 0; g < VMITN_NREG; g++)
        mw[g] = p[g] - hw[g];
    split_counts(r, h->pending_k - 1, mw, split);
    vmitn_time now = vmitn_sched_now(m->s);
    if (m->thin) {
        /* the proposal: its region by the bound's weights, accepted with s_r(now) / s_r(bound) */
        double u = vmitn_rng_uniform(r) * phit;
        int g = u < hw[VMITN_REG_LOCAL] ? VMITN_REG_LOCAL
                : u < hw[VMITN_REG_LOCAL] + hw[VMITN_REG_NEAR] ? VMITN_REG_NEAR : VMITN_REG_ANY;
        while (h->bound[g] == 0) /* rounding at a boundary: the nearest region with weight */
            g = g == VMITN_REG_ANY ? VMITN_REG_LOCAL : g + 1;
        const vmitn_region *rg = vmitn_hreg(m, h, g);
        uint64_t j = vmitn_rng_below(r, h->bound[g]);
        unsigned lo = (unsigned)(rg->hosts - m->by_addr);
        bool accept = vmitn_thin_accept(j, sus_region(m, rg));
        unsigned pos = 0;
        if (accept) {
            /* the target first: what the packet path reads of it is fetched while the
             * observers count the misses */
            pos = sus_select(m, sus_prefix(m, lo) + (uint32_t)j);
            m->to_ix = m->addr_pos ? m->by_addr[pos] : (int)pos; /* the packet path needs no lookup */
            m->to_addr = m->addr_sorted[pos];
            __builtin_prefetch(&m->hosts[m->to_ix]); /* read when the scan arrives */
        } else {
            split[g] += 1; /* rejected: it hit a host it cannot change */
        }
        for (unsigned i = 0; i < m->nobs; i++)
            if (m->obs[i].skipped)
                m->obs[i].skipped(m->obs[i].ctx, now, hi, split);
        if (accept) {
            vmitn_packet pk = {.src = h->addr, .dst = m->to_addr, .sport = vmitn_ephemeral(h),
                               .dport = (uint16_t)c->worm.port, .proto = (uint8_t)c->worm.proto,
                               .kind = VMITN_PKT_SCAN, .bytes = (uint16_t)c->worm.scan_bytes, .from = (int32_t)hi,
                               .to = -1};
            vmitn_send_packet(m, &pk);
        }
        vmitn_fast_schedule(m, hi);
        return;
    }
    for (unsigned i = 0; i < m->nobs; i++)
        if (m->obs[i].skipped)
            m->obs[i].skipped(m->obs[i].ctx, now, hi, split);
    /* the hit */
    double u = vmitn_rng_uniform(r) * phit;
    int g = u < hw[VMITN_REG_LOCAL] ? VMITN_REG_LOCAL : u < hw[VMITN_REG_LOCAL] + hw[VMITN_REG_NEAR] ? VMITN_REG_NEAR : VMITN_REG_ANY;
    if (vmitn_hreg(m, h, g)->nhosts == 0)
        g = vmitn_hreg(m, h, VMITN_REG_NEAR)->nhosts ? VMITN_REG_NEAR : VMITN_REG_ANY;
    const vmitn_region *rg = vmitn_hreg(m, h, g);
    size_t pos = (size_t)(rg->hosts - m->by_addr) + vmitn_rng_below(r, rg->nhosts);
    uint32_t dst = m->to_addr = m->addr_sorted[pos];
    m->to_ix = m->by_addr[pos]; /* the packet path needs no lookup of its address */
    vmitn_packet pk = {.src = h->addr, .dst = dst, .sport = vmitn_ephemeral(h), .dport = (uint16_t)c->worm.port,
                       .proto = (uint8_t)c->worm.proto, .kind = VMITN_PKT_SCAN, .bytes = (uint16_t)c->worm.scan_bytes,
                       .from = (int32_t)hi, .to = -1};
    vmitn_send_packet(m, &pk);
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
    vmitn_fast_schedule(m, hi);
}
