/* scan.c — the worm's targeting: localized scanning over three regions (own /16, own /8,
 * anywhere) with effective sizes, and the packet-level scan loop (docs/MODEL.md §3). */
#include "vmitn/model_internal.h"

#include <math.h>
#include <stdlib.h>

#include "vmitn/util.h"

void vmitn_worm_region_init(vmitn_model *m, vmitn_mhost *h, vmitn_region *g, int prefix, double bits,
                            const uint32_t *nolan, unsigned nnolan)
{
    uint32_t mask = prefix == 0 ? 0 : ~(uint32_t)0 << (32 - prefix);
    g->base = h->addr & mask;
    g->literal = (uint64_t)1 << (32 - prefix);
    /* the hosts of the region are a contiguous run of the address-sorted list */
    unsigned lo = 0, hi = m->nby_addr;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (m->hosts[m->by_addr[mid]].addr < g->base)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t last = g->base | ~mask; /* the region's last address */
    unsigned end = lo, top = m->nby_addr;
    while (end < top) {
        unsigned mid = (end + top) / 2;
        if (m->hosts[m->by_addr[mid]].addr <= last)
            end = mid + 1;
        else
            top = mid;
    }
    g->hosts = m->by_addr + lo;
    g->nhosts = end - lo;
    g->nothers = 0;
    for (unsigned i = 0; i < nnolan; i++)
        if ((nolan[i] & mask) == g->base && g->nothers++ == 0)
            g->other = nolan[i];
    double sz = floor(pow(2.0, bits) + 0.5);
    g->size = sz < (double)g->nhosts ? g->nhosts : (uint64_t)sz;
    if (g->size > g->literal)
        g->size = g->literal;
    vmitn_below_init(&g->dsize, g->size);
    vmitn_below_init(&g->dliteral, g->literal);
}

/* Every FES host's regions and its chance per scan to hit an address in use there.  The
 * hosts of one prefix share its region: visited in address order, a host whose prefix
 * is the previous host's takes the previous region (a 10^6-host population has a few
 * hundred regions, not three million). */
void vmitn_worm_setup(vmitn_model *m)
{
    const vmitn_model_cfg *c = m->c;
    m->reg_cut[0] = vmitn_rng_cut(c->worm.p_local);
    m->reg_cut[1] = vmitn_rng_cut(c->worm.p_local + c->worm.p_near);
    const int prefix[VMITN_NREG] = {c->worm.local_prefix, c->worm.near_prefix, 0};
    const double bits[VMITN_NREG] = {c->worm.local_bits, c->worm.near_bits, c->worm.any_bits};
    unsigned last[VMITN_NREG], cap = 0, nfes = 0;
    m->addr_sorted = vmitn_xmalloc(((size_t)m->nby_addr + 1) * sizeof *m->addr_sorted);
    for (unsigned k = 0; k < m->nby_addr; k++)
        m->addr_sorted[k] = m->hosts[m->by_addr[k]].addr;
    /* the addresses of hosts outside every LAN (the SMC's): an empty address of a region
     * without them is one that is not in its slice */
    unsigned nnolan = 0;
    uint32_t *nolan = vmitn_xmalloc((m->nhosts - m->nby_addr + 1) * sizeof *nolan);
    for (unsigned i = 0; i < m->nhosts; i++)
        if (m->hosts[i].lan < 0)
            nolan[nnolan++] = m->hosts[i].addr;
    vmitn_assert(nnolan == m->nhosts - m->nby_addr);
    for (unsigned k = 0; k < m->nby_addr; k++) {
        vmitn_mhost *h = &m->hosts[m->by_addr[k]];
        if (!h->is_fes)
            continue;
        nfes++;
        for (int g = 0; g < VMITN_NREG; g++) {
            uint32_t mask = prefix[g] == 0 ? 0 : ~(uint32_t)0 << (32 - prefix[g]);
            if (m->nregions > 0 && nfes > 1 && m->regions[last[g]].base == (h->addr & mask)) {
                h->reg[g] = last[g];
                continue;
            }
            if (m->nregions == cap) {
                cap = cap ? 2 * cap : 64;
                m->regions = vmitn_xrealloc(m->regions, cap * sizeof *m->regions);
            }
            vmitn_worm_region_init(m, h, &m->regions[m->nregions], prefix[g], bits[g], nolan, nnolan);
            h->reg[g] = last[g] = m->nregions++;
        }
        for (int g = 0; g < VMITN_NREG; g++)
            h->bound[g] = vmitn_hreg(m, h, g)->nhosts; /* vmitn_hitw: p_g n_g / S_g */
    }
    free(nolan);
    vmitn_assert(nfes == m->nfes); /* every FES host has a LAN address */
}

/* Whether no host has address a of region g: a search of the region's slice (and of the
 * one host outside every LAN there, the SMC) where it is short, else the topology's
 * address lookup. */
static bool nobody_at(const vmitn_model *m, const vmitn_region *g, uint32_t a)
{
    if (g->nothers > 1 || g->nhosts > 64)
        return vmitn_topo_find_addr(m->t, a) < 0;
    if (g->nothers == 1 && a == g->other)
        return false;
    const uint32_t *s = m->addr_sorted + (g->hosts - m->by_addr);
    if (g->nhosts == 0 || a < s[0] || a > s[g->nhosts - 1])
        return true; /* outside the span of the hosts' addresses: most empty addresses, and
                      * a test the branch predictor gets right, unlike the search's */
    unsigned lo = 0, hi = g->nhosts;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (s[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == g->nhosts || s[lo] != a;
}

/* A target in region g (the rest of vmitn_worm_target). */
static inline uint32_t target_in(vmitn_model *m, vmitn_rng *r, const vmitn_region *g)
{
    /* An effective region of `size` addresses holding the same hosts: each host is hit
     * with probability 1/size, the rest are empty addresses.  With size = literal this
     * is exactly a uniform draw over the literal region. */
    uint64_t k = vmitn_rng_below_by(r, &g->dsize);
    if (k < g->nhosts) { /* the packet path gets the host with the address */
        size_t pos = (size_t)(g->hosts - m->by_addr) + k;
        m->to_ix = m->by_addr[pos];
        return m->to_addr = m->addr_sorted[pos];
    }
    for (;;) { /* an empty address, uniform over the literal region's empty ones */
        uint32_t a = g->base + (uint32_t)vmitn_rng_below_by(r, &g->dliteral);
        if (nobody_at(m, g, a)) {
            m->to_ix = VMITN_TOPO_NOBODY;
            return m->to_addr = a;
        }
    }
}

uint32_t vmitn_worm_target(vmitn_model *m, vmitn_mhost *h)
{
    vmitn_rng *r = vmitn_mrng(m, h, VMITN_R_SCAN);
    /* u = vmitn_rng_uniform(r) < p_local: local; else u < p_local + p_near: near; else
     * anywhere, on the integer behind u (m->reg_cut).  A branch per region, each with its
     * own copy of the rest: the branches after it that depend on the region (which draw,
     * a hit or not) are then predicted from it. */
    uint64_t w = vmitn_rng_next(r) >> 11;
    if (w < m->reg_cut[0])
        return target_in(m, r, vmitn_hreg(m, h, VMITN_REG_LOCAL));
    if (w < m->reg_cut[1])
        return target_in(m, r, vmitn_hreg(m, h, VMITN_REG_NEAR));
    return target_in(m, r, vmitn_hreg(m, h, VMITN_REG_ANY));
}

/* Time to the next scan: a fixed interval, or an exponential one (a Poisson scanner). */
static inline vmitn_time gap(vmitn_model *m, vmitn_mhost *h)
{
    return m->c->worm.poisson ? vmitn_secs(vmitn_rng_exp(vmitn_mrng(m, h, VMITN_R_WORM), 1.0 / m->c->worm.rate)) : m->scan_gap;
}

vmitn_time vmitn_worm_gap(vmitn_model *m, vmitn_mhost *h) { return gap(m, h); }

void vmitn_worm_ev_scan(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ctx;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    vmitn_mhost *h = &m->hosts[hi];
    if ((uint32_t)(arg >> 32) != h->epoch || !h->active || !h->online)
        return;
    vmitn_packet p = m->scan_tpl;
    p.src = h->addr;
    p.dst = m->wst ? vmitn_strategy_target(m, hi) : vmitn_worm_target(m, h);
    p.sport = vmitn_ephemeral(h);
    p.from = (int32_t)hi;
    vmitn_send_packet(m, &p);
    vmitn_sched_again(s, gap(m, h));
}
