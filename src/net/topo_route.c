/* topo_route.c — routes and address lookups over a built topology: the routes
 * precomputed at load time (a tree's Euler tour and sparse table, or a LAN x LAN table)
 * and the O(1) queries that read them.
 *
 * ---- Routing --------------------------------------------------------------------------
 *
 * Shortest paths by hop count over the router graph; among equally short paths the
 * one with the least delay, then the least sum of 1/bw (ties in BFS order).  A
 * route always runs between two LAN routers, so:
 *   - router graph a tree (the Fig 8 network and every generated one): each router
 *     holds its hop count, delay and sum of 1/bw from a root; a pair is then
 *     d(a) + d(b) - 2 d(lca), with the LCA from an Euler tour and a sparse table
 *     (O(1) per query, O(R log R) memory: 65,536 LANs fit);
 *   - otherwise: one BFS per LAN router at load time fills a LAN x LAN table (at
 *     most TABLE_MAX_LANS LANs, to bound its memory).
 * Delays are summed in integer nanoseconds, so they are exact.
 *
 * A route from host s to address d (links counted in hops, their delays and 1/bw
 * summed): d == s's addr: SELF, 0 hops.  d a wired host's addr: HOST, s's link + the
 * router path + d's link.  Else d in some LAN: NOHOST, dropped by that LAN's router
 * after s's link + the router path.  Else: NOROUTE, dropped by s's own router after
 * s's link.  An SMC's address is no wired host's: in the shipped topologies it is in
 * no LAN, so a packet to it is NOROUTE.
 *
 * Address lookups: an open-addressing hash on the address; LAN lookups: one such hash
 * per distinct prefix length, longest first (LANs are disjoint, so the first hit is
 * the only one).
 */
#include "vmitn/topo_internal.h"

/* Tree router graph: depth-first walk from router 0 recording the Euler tour, then a
 * sparse table of range minima over it. */
void vmitn_topo_route_tree(vmitn_topo *t, const unsigned *off, const radj *adj)
{
    unsigned R = t->nrouters, m = 2 * R - 1;
    unsigned *euler = vmitn_xmalloc(m * sizeof *euler);
    unsigned *stack = vmitn_xmalloc(R * sizeof *stack);   /* routers on the path */
    unsigned *next = vmitn_xcalloc(R, sizeof *next);       /* next adjacency to try */
    unsigned *parent = vmitn_xmalloc(R * sizeof *parent);
    t->first = vmitn_xmalloc(R * sizeof *t->first);
    t->depth = vmitn_xmalloc(R * sizeof *t->depth);
    t->rdelay = vmitn_xmalloc(R * sizeof *t->rdelay);
    t->rib = vmitn_xmalloc(R * sizeof *t->rib);

    unsigned sp = 0, pos = 0;
    stack[sp++] = 0;
    parent[0] = 0;
    t->depth[0] = 0;
    t->rdelay[0] = 0;
    t->rib[0] = 0.0;
    t->first[0] = pos;
    euler[pos++] = 0;
    while (sp > 0) {
        unsigned v = stack[sp - 1];
        if (off[v] + next[v] < off[v + 1]) {
            const radj *e = &adj[off[v] + next[v]++];
            if (v != 0 && e->to == parent[v])
                continue;
            unsigned w = e->to;
            parent[w] = v;
            t->depth[w] = t->depth[v] + 1;
            t->rdelay[w] = t->rdelay[v] + e->delay;
            t->rib[w] = t->rib[v] + e->ib;
            t->first[w] = pos;
            euler[pos++] = w;
            stack[sp++] = w;
        } else {
            sp--;
            if (sp > 0)
                euler[pos++] = stack[sp - 1];
        }
    }
    vmitn_assert(pos == m);

    t->lg = vmitn_xmalloc(m + 1);
    t->lg[0] = 0;
    t->lg[1] = 0;
    for (unsigned i = 2; i <= m; i++)
        t->lg[i] = (unsigned char)(t->lg[i / 2] + 1);
    t->levels = (unsigned)t->lg[m] + 1;
    t->euler_len = m;
    t->sparse = vmitn_xmalloc((size_t)t->levels * m * sizeof *t->sparse);
    memcpy(t->sparse, euler, m * sizeof *euler);
    for (unsigned k = 1; k < t->levels; k++) {
        const unsigned *prev = t->sparse + (size_t)(k - 1) * m;
        unsigned *cur = t->sparse + (size_t)k * m;
        unsigned half = 1u << (k - 1);
        for (unsigned i = 0; i + 2 * half <= m; i++) {
            unsigned x = prev[i], y = prev[i + half];
            cur[i] = t->depth[x] <= t->depth[y] ? x : y;
        }
    }
    free(euler);
    free(stack);
    free(next);
    free(parent);
}

/* Other router graphs: a BFS from every LAN router; among the routers first reached at
 * the same depth, the least delay (then the least 1/bw) wins, which is exact because a
 * BFS settles a whole layer before it expands the next. */
void vmitn_topo_route_table(vmitn_topo *t, const unsigned *off, const radj *adj)
{
    unsigned R = t->nrouters, L = t->nlans;
    int *lan_of = vmitn_xmalloc(R * sizeof *lan_of);
    metric *d = vmitn_xmalloc(R * sizeof *d);
    unsigned *queue = vmitn_xmalloc(R * sizeof *queue);
    bool *seen = vmitn_xmalloc(R * sizeof *seen);
    for (unsigned r = 0; r < R; r++)
        lan_of[r] = -1;
    for (unsigned l = 0; l < L; l++)
        lan_of[t->lans[l].router] = (int)l;
    t->pairs = vmitn_xmalloc((size_t)L * L * sizeof *t->pairs);

    for (unsigned la = 0; la < L; la++) {
        unsigned src = (unsigned)t->lans[la].router, head = 0, tail = 0;
        memset(seen, 0, R * sizeof *seen);
        seen[src] = true;
        d[src] = (metric){0, 0.0, 0};
        queue[tail++] = src;
        while (head < tail) {
            unsigned v = queue[head++];
            for (unsigned i = off[v]; i < off[v + 1]; i++) {
                unsigned w = adj[i].to;
                metric c = {d[v].delay + adj[i].delay, d[v].inv_bw + adj[i].ib, d[v].hops + 1};
                if (!seen[w]) {
                    seen[w] = true;
                    d[w] = c;
                    queue[tail++] = w;
                } else if (d[w].hops == c.hops &&
                           (c.delay < d[w].delay ||
                            (c.delay == d[w].delay && c.inv_bw < d[w].inv_bw))) {
                    d[w] = c;
                }
            }
        }
        vmitn_assert(tail == R);
        for (unsigned r = 0; r < R; r++)
            if (lan_of[r] >= 0)
                t->pairs[(size_t)la * L + (unsigned)lan_of[r]] = d[r];
    }
    free(lan_of);
    free(d);
    free(queue);
    free(seen);
}

int vmitn_topo_find_addr(const vmitn_topo *t, uint32_t addr)
{
    if (t->gen_subnets == 0)
        return hash_get(&t->addr, addr);
    /* generated: 10.<i / 256>.<i % 256>.<11 + j> is host i * hosts + j (topo_gen.c) */
    uint32_t i = (addr >> 8) & 0xffffu, j = (addr & 0xffu) - 11u;
    if (addr >> 24 == 10 && i < t->gen_subnets && j < t->gen_hosts)
        return (int)(i * t->gen_hosts + j);
    return addr == t->gen_smc ? (int)t->nhosts - 1 : -1;
}

int vmitn_topo_find_lan(const vmitn_topo *t, uint32_t addr)
{
    if (addr < t->lan_lo || addr > t->lan_hi) /* most of a random scan's addresses: no lookup */
        return -1;
    for (unsigned i = 0; i < t->nlen; i++) {
        int l = hash_get(&t->lanh[i].h, addr & t->lanh[i].netmask);
        if (l >= 0)
            return l;
    }
    return -1;
}

/* Hops, delay and 1/bw between the routers of two LANs. */
static inline metric lan_pair(const vmitn_topo *t, int la, int lb)
{
    if (t->pairs)
        return t->pairs[(size_t)la * t->nlans + (unsigned)lb];
    unsigned a = (unsigned)t->lans[la].router, b = (unsigned)t->lans[lb].router;
    if (a == b)
        return (metric){0, 0.0, 0};
    unsigned l = t->first[a], r = t->first[b];
    if (l > r) {
        unsigned x = l;
        l = r;
        r = x;
    }
    unsigned k = t->lg[r - l + 1];
    const unsigned *row = t->sparse + (size_t)k * t->euler_len;
    unsigned x = row[l], y = row[r + 1 - (1u << k)];
    unsigned c = t->depth[x] <= t->depth[y] ? x : y;
    return (metric){(t->rdelay[a] - t->rdelay[c]) + (t->rdelay[b] - t->rdelay[c]),
                    (t->rib[a] - t->rib[c]) + (t->rib[b] - t->rib[c]),
                    t->depth[a] + t->depth[b] - 2 * t->depth[c]};
}

void vmitn_topo_route(const vmitn_topo *t, unsigned src, uint32_t dst, vmitn_route *r)
{
    vmitn_topo_route_ix(t, src, dst, VMITN_TOPO_ASK, r);
}

void vmitn_topo_route_ix(const vmitn_topo *t, unsigned src, uint32_t dst, int dst_ix, vmitn_route *r)
{
    vmitn_assert(src < t->nhosts);
    const vmitn_host s = topo_host_at(t, src); /* a generated topology's: computed */
    vmitn_assert(s.lan >= 0);
    double sib = t->host_ib ? t->host_ib[src] : t->gen_ib;
    if (dst == s.addr) {
        *r = (vmitn_route){VMITN_ROUTE_SELF, -1, -1, 0, 0, 0.0};
        return;
    }
    int h = dst_ix == VMITN_TOPO_ASK ? vmitn_topo_find_addr(t, dst) : dst_ix;
    vmitn_assert(h < (int)t->nhosts);
    const vmitn_host d = h >= 0 ? topo_host_at(t, (unsigned)h) : (vmitn_host){0, VMITN_HOST_SMC, -1, -1, 0, 0.0};
    vmitn_assert(h < 0 || d.addr == dst);
    if (d.lan >= 0) {
        metric m = lan_pair(t, s.lan, d.lan);
        *r = (vmitn_route){VMITN_ROUTE_HOST, h, -1, m.hops + 2,
                           s.link_delay + m.delay + d.link_delay,
                           sib + m.inv_bw + (t->host_ib ? t->host_ib[h] : t->gen_ib)};
        return;
    }
    int l = vmitn_topo_find_lan(t, dst);
    if (l >= 0) {
        metric m = lan_pair(t, s.lan, l);
        *r = (vmitn_route){VMITN_ROUTE_NOHOST, -1, t->lans[l].router, m.hops + 1,
                           s.link_delay + m.delay, sib + m.inv_bw};
        return;
    }
    *r = (vmitn_route){VMITN_ROUTE_NOROUTE, -1, s.router, 1, s.link_delay, sib};
}
