/* topo.c — the wired network: reads a GraphML topology (or generates one), checks it,
 * and precomputes every route so that a route query is O(1) and allocates nothing.
 * The only file of vmitn that includes igraph.h.
 *
 * ---- Topology file format (GraphML, read with igraph) ------------------------------
 *
 * A node's GraphML `id` is its name ("L1-1", "R5", "SMC"): 1 to 63 letters, digits, '_',
 * '-' and '.', not starting with '.' (ids name capture files), unique in the file; no host
 * may be named "smc" (the SMC learner's capture).  Every edge's ends must be declared
 * <node>s (igraph would invent them).  Node attributes
 * (<key for="node" attr.type="string" ...> unless said otherwise):
 *
 *   kind  "router" | "host" | "smc"                                        (required)
 *   addr  dotted quad: a host's wired address, the SMC's OOB address  (hosts, smc;
 *         ignored on routers)
 *   lan   CIDR of the LAN an edge router serves, e.g. "172.16.0.0/16" (edge routers
 *         only; host bits must be zero; a router serves at most one LAN)
 *   fes   on hosts: 1 = an FES host (the default), 0 = a plain host.  Declare it as
 *         attr.type int/double (a missing value reads as 1), or as boolean WITH
 *         <default>true</default>: igraph reads a boolean key without a default as
 *         false wherever it is missing.  A string "0"/"1"/"true"/"false" also works.
 *
 * Edge attributes (attr.type double; a string holding a number also works):
 *
 *   delay  propagation delay in seconds, >= 0 (at most 3600), required
 *   bw     bandwidth in bit/s, >= 1000, required (all links' delays, and all their times
 *          for a 64 KiB packet, sum to at most 1e8 s: no route's time overflows)
 *
 * Edges are links: their direction (edgedefault) is ignored.  Rules:
 *   - every host has exactly one link, to a router whose lan contains the host's addr;
 *   - the SMC has no wired link (it is on the OOB network only) but has an addr; a
 *     topology may hold any number of SMCs, including none;
 *   - addresses (hosts and SMCs) are unique; LANs do not overlap;
 *   - there is at least one router and every router reaches every other over
 *     router-router links; no host-host links, no loops, no parallel router links.
 *
 * Errors return -VMITN_EINPUT (-VMITN_EIO for a file that cannot be opened or read)
 * with the message "<path>:<line>: <element>: <reason>" (no line where none applies),
 * <element> being "node 'L1-2'",
 * "edge 'L1-1'--'R1'", "key 'addr'", "graph" or "graphml" (the XML itself, with
 * igraph's reason, e.g. "Line 2: Couldn't find end of Start Tag node").  A <data>
 * element whose key is not declared (igraph would drop it with a warning) is an error:
 * it is most likely a typo'd attribute name.  When igraph warned about anything else,
 * the first warning is appended to any later message as a hint.  On error nothing is
 * kept.
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
 *
 * igraph's error and warning handlers are process-global: vmitn_topo_load installs
 * its own (they record the first message in a thread-local buffer and never abort
 * or print) and leaves them installed; nothing else in vmitn calls igraph. */
#include "vmitn/topo.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <igraph.h>

#include "vmitn/util.h"

#define TABLE_MAX_LANS 2048u   /* non-tree router graphs: 2048^2 x 24 B = 96 MiB */
#define DELAY_MAX 3600.0       /* s; keeps every sum of delays far from int64 overflow */
#define BW_MIN 1000.0          /* bit/s; a 64 KiB packet then takes at most 524 s per link */
#define TOPO_FILE_MAX (256 << 20) /* bytes of GraphML: bounds the memory a file can ask for */
#define PATH_MAX_S 1e8         /* s: all delays, and all transmission times of a 64 KiB
                                * packet, summed over every link (bounds any route's time) */

/* Link figures of generated topologies, the same as Fig 8 (topologies/vmitn-fig8.graphml). */
#define GEN_HOST_DELAY 0.00005
#define GEN_HOST_BW 100e6
#define GEN_ROUTER_DELAY 0.0005
#define GEN_ROUTER_BW 100e6
#define GEN_MAX_SUBNETS 65536u
#define GEN_MAX_HOSTS 240u
#define GEN_MAX_FANOUT 65536u
#define GEN_MAX_TOTAL 4194304u   /* hosts: ~2 GB of model at ~460 bytes per host */
#define GEN_SMC_ADDR ((172u << 24) | (30u << 16) | 100u)

/* ---- hashes --------------------------------------------------------------------- */

typedef struct slot {
    uint32_t key;
    int32_t val;   /* -1: empty */
} slot;

typedef struct hash32 {
    slot *slot;
    uint32_t mask;  /* capacity - 1 */
} hash32;

typedef struct lan_hash {
    uint32_t netmask;
    hash32 h;
} lan_hash;

static inline uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static void hash_init(hash32 *h, size_t n)
{
    size_t cap = 8;
    while (cap < 2 * n)
        cap *= 2;
    h->slot = vmitn_xmalloc(cap * sizeof *h->slot);
    for (size_t i = 0; i < cap; i++)
        h->slot[i] = (slot){0, -1};
    h->mask = (uint32_t)(cap - 1);
}

/* Returns the value already stored under key (and stores nothing), or -1 after
 * storing val. */
static int32_t hash_put(hash32 *h, uint32_t key, int32_t val)
{
    uint32_t i = mix32(key) & h->mask;
    while (h->slot[i].val >= 0) {
        if (h->slot[i].key == key)
            return h->slot[i].val;
        i = (i + 1) & h->mask;
    }
    h->slot[i] = (slot){key, val};
    return -1;
}

static inline int32_t hash_get(const hash32 *h, uint32_t key)
{
    uint32_t i = mix32(key) & h->mask;
    for (;;) {
        const slot *s = &h->slot[i];
        if (s->val < 0 || s->key == key)
            return s->val;
        i = (i + 1) & h->mask;
    }
}

static inline uint32_t netmask(unsigned len)
{
    return len == 0 ? 0 : ~(uint32_t)0 << (32 - len);
}

/* ---- the topology ----------------------------------------------------------------- */

typedef struct metric {
    vmitn_time delay;
    double inv_bw;
    unsigned hops;
} metric;

typedef struct name_ix {
    const char *name;
    int ix;
} name_ix;

struct vmitn_topo {
    unsigned nhosts, nlans, nrouters;
    vmitn_host *hosts;
    double *host_ib;            /* 1 / link_bw per host (0 for SMCs) */
    vmitn_lan *lans;
    const char **router_names;
    char *names;                /* every host and router name, back to back */
    name_ix *by_name;           /* hosts sorted by name */
    hash32 addr;                /* address -> host */
    unsigned nlen;
    lan_hash lanh[33];          /* one per distinct prefix length, longest first */
    uint32_t lan_lo, lan_hi;    /* every LAN's addresses lie in [lan_lo, lan_hi] (empty: lo > hi) */
    /* routes, tree router graph: */
    unsigned euler_len, levels;
    unsigned *first;            /* router -> first position in the Euler tour */
    unsigned *depth;            /* router -> hops from the root */
    vmitn_time *rdelay;         /* router -> delay from the root */
    double *rib;                /* router -> sum of 1/bw from the root */
    unsigned *sparse;           /* levels x euler_len: router of least depth in a window */
    unsigned char *lg;          /* floor(log2(i)) for 1 <= i <= euler_len */
    /* routes, other router graphs: nlans x nlans */
    metric *pairs;
    vmitn_rlink *rlinks;        /* router-to-router links, in file order (for drawing) */
    unsigned nrlinks;
};

/* ---- what a loader or the generator hands to build() ------------------------------- */

enum { K_ROUTER, K_FES, K_PLAIN, K_SMC };

typedef struct spec_node {
    const char *name;
    unsigned line;           /* in the file; 0: unknown (generated, or not found) */
    int kind;
    uint32_t addr;           /* hosts and SMCs */
    bool has_lan;            /* routers */
    uint32_t lan_prefix;
    unsigned lan_len;
} spec_node;

typedef struct spec_link {
    unsigned a, b;           /* node indices */
    vmitn_time delay;
    double bw;
    unsigned line;           /* in the file; 0: unknown */
} spec_link;

typedef struct spec {
    unsigned nn, nl;
    spec_node *node;
    spec_link *link;
    const char *path;        /* for messages */
    char hint[300];          /* appended to build()'s messages, may be "" */
} spec;

typedef struct radj {
    unsigned to;
    vmitn_time delay;
    double ib;
} radj;

static int fail_at(const spec *s, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_line(const spec *s, unsigned line, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void vfail(const spec *s, unsigned line, char *err, size_t errlen, const char *fmt, va_list ap)
{
    char msg[VMITN_ERRLEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (!err || errlen == 0)
        return;
    if (line > 0)
        snprintf(err, errlen, "%s:%u: %s%s", s->path, line, msg, s->hint);
    else
        snprintf(err, errlen, "%s: %s%s", s->path, msg, s->hint);
}

/* The file's line of the element a message starts with ("node 'X'", or "edge 'A'--'B'":
 * the last such link, which is the one a "second link" message means), or 0. */
static unsigned element_line(const spec *s, const char *msg)
{
    char a[256], b[256];
    if (sscanf(msg, "node '%255[^']'", a) == 1) {
        for (unsigned v = 0; v < s->nn; v++)
            if (strcmp(s->node[v].name, a) == 0)
                return s->node[v].line;
    } else if (sscanf(msg, "edge '%255[^']'--'%255[^']'", a, b) == 2) {
        for (unsigned e = s->nl; e-- > 0;) {
            const char *x = s->node[s->link[e].a].name, *y = s->node[s->link[e].b].name;
            if ((!strcmp(x, a) && !strcmp(y, b)) || (!strcmp(x, b) && !strcmp(y, a)))
                return s->link[e].line;
        }
    }
    return 0;
}

/* "<path>:<line>: " (the line of the element the message names, when known) + formatted
 * element and reason + hint. */
static int fail_at(const spec *s, char *err, size_t errlen, const char *fmt, ...)
{
    char msg[VMITN_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fail_line(s, element_line(s, msg), err, errlen, "%s", msg);
}

static int fail_line(const spec *s, unsigned line, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(s, line, err, errlen, fmt, ap);
    va_end(ap);
    return -VMITN_EINPUT;
}

static int topo_fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Like vmitn_fail, but bounded by the caller's errlen. */
static int topo_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -code;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const name_ix *)a)->name, ((const name_ix *)b)->name);
}

typedef struct lan_ord {
    uint32_t prefix;
    unsigned len;
    unsigned lan;
} lan_ord;

static int cmp_lan(const void *a, const void *b)
{
    const lan_ord *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return 0;
}

typedef struct rpair {
    unsigned lo, hi, link;
} rpair;

static int cmp_rpair(const void *a, const void *b)
{
    const rpair *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return x->link < y->link ? -1 : x->link > y->link;
}

/* Tree router graph: depth-first walk from router 0 recording the Euler tour, then a
 * sparse table of range minima over it. */
static void route_tree(vmitn_topo *t, const unsigned *off, const radj *adj)
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
static void route_table(vmitn_topo *t, const unsigned *off, const radj *adj)
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

/* Checks the structure of s and builds the topology from it.  Owns nothing of s. */
static int build(const spec *s, vmitn_topo **out, char *err, size_t errlen)
{
    int rc = 0;
    vmitn_topo *t = vmitn_xcalloc(1, sizeof *t);
    int *hix = vmitn_xmalloc((s->nn + 1) * sizeof *hix);   /* node -> host or router index */
    unsigned *hdeg = NULL, *off = NULL, *fill = NULL;
    radj *adj = NULL;
    rpair *rp = NULL;
    lan_ord *lo = NULL;
    bool *seen = NULL;
    unsigned *queue = NULL;
    int *router_lan = NULL;
    unsigned nrl = 0;   /* router-router links */

    /* Indices: hosts and SMCs in node order, routers in node order. */
    size_t namelen = 0;
    for (unsigned v = 0; v < s->nn; v++) {
        const spec_node *n = &s->node[v];
        hix[v] = (int)(n->kind == K_ROUTER ? t->nrouters++ : t->nhosts++);
        if (n->kind == K_ROUTER && n->has_lan)
            t->nlans++;
        namelen += strlen(n->name) + 1;
    }
    if (t->nrouters == 0) {
        rc = fail_at(s, err, errlen, "graph: no routers");
        goto fail;
    }
    t->hosts = vmitn_xcalloc(t->nhosts ? t->nhosts : 1, sizeof *t->hosts);
    t->host_ib = vmitn_xcalloc(t->nhosts ? t->nhosts : 1, sizeof *t->host_ib);
    t->lans = vmitn_xcalloc(t->nlans ? t->nlans : 1, sizeof *t->lans);
    t->router_names = vmitn_xcalloc(t->nrouters, sizeof *t->router_names);
    t->names = vmitn_xmalloc(namelen ? namelen : 1);
    router_lan = vmitn_xmalloc(t->nrouters * sizeof *router_lan);
    {
        char *p = t->names;
        unsigned nl = 0;
        for (unsigned v = 0; v < s->nn; v++) {
            const spec_node *n = &s->node[v];
            size_t len = strlen(n->name) + 1;
            memcpy(p, n->name, len);
            if (n->kind == K_ROUTER) {
                unsigned r = (unsigned)hix[v];
                t->router_names[r] = p;
                router_lan[r] = -1;
                if (n->has_lan) {
                    t->lans[nl] = (vmitn_lan){n->lan_prefix, n->lan_len, (int)r};
                    router_lan[r] = (int)nl++;
                }
            } else {
                unsigned h = (unsigned)hix[v];
                vmitn_host *ho = &t->hosts[h];
                ho->name = p;
                ho->addr = n->addr;
                ho->kind = n->kind == K_FES ? VMITN_HOST_FES
                           : n->kind == K_PLAIN ? VMITN_HOST_PLAIN : VMITN_HOST_SMC;
                ho->lan = -1;
                ho->router = -1;
            }
            p += len;
        }
    }

    /* Links. */
    hdeg = vmitn_xcalloc(t->nhosts ? t->nhosts : 1, sizeof *hdeg);
    off = vmitn_xcalloc(t->nrouters + 1, sizeof *off);
    for (unsigned e = 0; e < s->nl; e++) {
        const spec_link *l = &s->link[e];
        const spec_node *a = &s->node[l->a], *b = &s->node[l->b];
        if (l->a == l->b) {
            rc = fail_at(s, err, errlen, "edge '%s'--'%s': a link from a node to itself",
                         a->name, b->name);
            goto fail;
        }
        if (a->kind == K_SMC || b->kind == K_SMC) {
            const spec_node *smc = a->kind == K_SMC ? a : b, *o = a->kind == K_SMC ? b : a;
            rc = fail_at(s, err, errlen,
                         "node '%s': an smc has no wired link (it is on the OOB network only), "
                         "but it is linked to '%s'", smc->name, o->name);
            goto fail;
        }
        if (a->kind != K_ROUTER && b->kind != K_ROUTER) {
            rc = fail_at(s, err, errlen,
                         "edge '%s'--'%s': a host-host link (a host links only to its edge router)",
                         a->name, b->name);
            goto fail;
        }
        if (a->kind == K_ROUTER && b->kind == K_ROUTER) {
            off[hix[l->a]]++;
            off[hix[l->b]]++;
            nrl++;
            continue;
        }
        unsigned hn = a->kind == K_ROUTER ? l->b : l->a, rn = a->kind == K_ROUTER ? l->a : l->b;
        unsigned h = (unsigned)hix[hn];
        vmitn_host *ho = &t->hosts[h];
        if (hdeg[h]++ > 0) {
            rc = fail_at(s, err, errlen,
                         "node '%s': linked to '%s' and to '%s'; a host has exactly one link, "
                         "to its edge router", s->node[hn].name, t->router_names[ho->router],
                         s->node[rn].name);
            goto fail;
        }
        ho->router = hix[rn];
        ho->link_delay = l->delay;
        ho->link_bw = l->bw;
        t->host_ib[h] = 1.0 / l->bw;
    }

    /* Every route's time stays far from int64 nanoseconds (vmitn_route_time). */
    {
        double delay = 0, tx = 0;
        for (unsigned e = 0; e < s->nl; e++) {
            delay += vmitn_to_secs(s->link[e].delay);
            tx += 65535.0 * 8 / s->link[e].bw;
        }
        if (delay > PATH_MAX_S || tx > PATH_MAX_S) {
            rc = fail_at(s, err, errlen, "graph: the links' %s add up to %g s, more than the %g s vmitn can "
                         "time a route with", delay > PATH_MAX_S ? "delays" : "transmission times of a 64 KiB packet",
                         delay > PATH_MAX_S ? delay : tx, PATH_MAX_S);
            goto fail;
        }
    }

    /* Router adjacency (CSR), and no parallel router links. */
    for (unsigned r = 0, sum = 0; r <= t->nrouters; r++) {
        unsigned c = r < t->nrouters ? off[r] : 0;
        off[r] = sum;
        sum += c;
    }
    adj = vmitn_xmalloc((2 * (size_t)nrl + 1) * sizeof *adj);
    fill = vmitn_xcalloc(t->nrouters, sizeof *fill);
    rp = vmitn_xmalloc((nrl + 1) * sizeof *rp);
    t->rlinks = vmitn_xmalloc((nrl + 1) * sizeof *t->rlinks);
    {
        unsigned k = 0;
        for (unsigned e = 0; e < s->nl; e++) {
            const spec_link *l = &s->link[e];
            if (s->node[l->a].kind != K_ROUTER || s->node[l->b].kind != K_ROUTER)
                continue;
            unsigned ra = (unsigned)hix[l->a], rb = (unsigned)hix[l->b];
            double ib = 1.0 / l->bw;
            adj[off[ra] + fill[ra]++] = (radj){rb, l->delay, ib};
            adj[off[rb] + fill[rb]++] = (radj){ra, l->delay, ib};
            rp[k++] = (rpair){ra < rb ? ra : rb, ra < rb ? rb : ra, e};
            t->rlinks[t->nrlinks++] = (vmitn_rlink){ra, rb, l->delay, l->bw};
        }
        qsort(rp, nrl, sizeof *rp, cmp_rpair);
        for (unsigned i = 1; i < nrl; i++)
            if (rp[i].lo == rp[i - 1].lo && rp[i].hi == rp[i - 1].hi) {
                const spec_link *l = &s->link[rp[i].link];
                rc = fail_at(s, err, errlen,
                             "edge '%s'--'%s': a second link between the same routers",
                             s->node[l->a].name, s->node[l->b].name);
                goto fail;
            }
    }

    /* Hosts: one link, to a router whose LAN holds them. */
    for (unsigned h = 0; h < t->nhosts; h++) {
        vmitn_host *ho = &t->hosts[h];
        if (ho->kind == VMITN_HOST_SMC)
            continue;
        if (hdeg[h] == 0) {
            rc = fail_at(s, err, errlen, "node '%s': not linked to any router (unreachable)",
                         ho->name);
            goto fail;
        }
        int l = router_lan[ho->router];
        if (l < 0) {
            rc = fail_at(s, err, errlen,
                         "node '%s': its router '%s' serves no LAN (no lan attribute)", ho->name,
                         t->router_names[ho->router]);
            goto fail;
        }
        const vmitn_lan *lan = &t->lans[l];
        if ((ho->addr & netmask(lan->len)) != lan->prefix) {
            char a[16], p[16];
            vmitn_ip_format(ho->addr, a);
            vmitn_ip_format(lan->prefix, p);
            rc = fail_at(s, err, errlen, "node '%s': addr %s is outside lan %s/%u of router '%s'",
                         ho->name, a, p, lan->len, t->router_names[ho->router]);
            goto fail;
        }
        ho->lan = l;
    }

    /* Unique addresses. */
    hash_init(&t->addr, t->nhosts);
    for (unsigned h = 0; h < t->nhosts; h++) {
        int32_t prev = hash_put(&t->addr, t->hosts[h].addr, (int32_t)h);
        if (prev >= 0) {
            char a[16];
            vmitn_ip_format(t->hosts[h].addr, a);
            rc = fail_at(s, err, errlen, "node '%s': addr %s is already the addr of node '%s'",
                         t->hosts[h].name, a, t->hosts[prev].name);
            goto fail;
        }
    }

    /* Disjoint LANs (CIDR blocks nest or are disjoint: in address order, an overlap
     * always shows between neighbours). */
    lo = vmitn_xmalloc((t->nlans + 1) * sizeof *lo);
    for (unsigned l = 0; l < t->nlans; l++)
        lo[l] = (lan_ord){t->lans[l].prefix, t->lans[l].len, l};
    qsort(lo, t->nlans, sizeof *lo, cmp_lan);
    for (unsigned i = 1; i < t->nlans; i++) {
        uint32_t end = lo[i - 1].prefix | ~netmask(lo[i - 1].len);
        if (lo[i].prefix <= end) {
            const vmitn_lan *x = &t->lans[lo[i - 1].lan], *y = &t->lans[lo[i].lan];
            const vmitn_lan *later = lo[i - 1].lan > lo[i].lan ? x : y;
            const vmitn_lan *earlier = later == x ? y : x;
            char a[16], b[16];
            vmitn_ip_format(later->prefix, a);
            vmitn_ip_format(earlier->prefix, b);
            rc = fail_at(s, err, errlen, "node '%s': lan %s/%u overlaps lan %s/%u of router '%s'",
                         t->router_names[later->router], a, later->len, b, earlier->len,
                         t->router_names[earlier->router]);
            goto fail;
        }
    }

    /* Every router reaches every other. */
    seen = vmitn_xcalloc(t->nrouters, sizeof *seen);
    queue = vmitn_xmalloc(t->nrouters * sizeof *queue);
    {
        unsigned head = 0, tail = 0;
        seen[0] = true;
        queue[tail++] = 0;
        while (head < tail) {
            unsigned v = queue[head++];
            for (unsigned i = off[v]; i < off[v + 1]; i++)
                if (!seen[adj[i].to]) {
                    seen[adj[i].to] = true;
                    queue[tail++] = adj[i].to;
                }
        }
        for (unsigned r = 0; r < t->nrouters; r++)
            if (!seen[r]) {
                rc = fail_at(s, err, errlen,
                             "node '%s': router unreachable from router '%s' over router-router "
                             "links (so are the hosts behind it)",
                             t->router_names[r], t->router_names[0]);
                goto fail;
            }
    }

    /* Routes. */
    if (nrl == t->nrouters - 1) {
        route_tree(t, off, adj);
    } else {
        if (t->nlans > TABLE_MAX_LANS) {
            rc = fail_at(s, err, errlen,
                         "graph: %u LANs behind a router graph with cycles; at most %u are "
                         "supported (the route table grows as LANs squared)", t->nlans,
                         TABLE_MAX_LANS);
            goto fail;
        }
        route_table(t, off, adj);
    }

    /* LAN hashes, longest prefix first. */
    {
        unsigned count[33] = {0};
        t->lan_lo = UINT32_MAX;
        t->lan_hi = 0;
        for (unsigned l = 0; l < t->nlans; l++) {
            count[t->lans[l].len]++;
            uint32_t lo = t->lans[l].prefix & netmask(t->lans[l].len), hi = lo | ~netmask(t->lans[l].len);
            t->lan_lo = lo < t->lan_lo ? lo : t->lan_lo;
            t->lan_hi = hi > t->lan_hi ? hi : t->lan_hi;
        }
        for (int len = 32; len >= 0; len--) {
            if (!count[len])
                continue;
            lan_hash *lh = &t->lanh[t->nlen++];
            lh->netmask = netmask((unsigned)len);
            hash_init(&lh->h, count[len]);
            for (unsigned l = 0; l < t->nlans; l++)
                if (t->lans[l].len == (unsigned)len)
                    hash_put(&lh->h, t->lans[l].prefix, (int32_t)l);
        }
    }

    /* Names. */
    t->by_name = vmitn_xmalloc((t->nhosts ? t->nhosts : 1) * sizeof *t->by_name);
    for (unsigned h = 0; h < t->nhosts; h++)
        t->by_name[h] = (name_ix){t->hosts[h].name, (int)h};
    qsort(t->by_name, t->nhosts, sizeof *t->by_name, cmp_name);

fail:
    free(router_lan);
    free(hix);
    free(hdeg);
    free(off);
    free(fill);
    free(adj);
    free(rp);
    free(lo);
    free(seen);
    free(queue);
    if (rc < 0) {
        vmitn_topo_free(t);
        t = NULL;
    }
    *out = t;
    return rc;
}

/* ---- GraphML ------------------------------------------------------------------------ */

static _Thread_local char igraph_msg[256];
static _Thread_local char igraph_warn[256];
static _Thread_local char igraph_badkey[128];   /* first undeclared <data> key */

static void copy_reason(char *dst, size_t n, const char *reason)
{
    snprintf(dst, n, "%s", reason);
    size_t len = strlen(dst);
    while (len > 0 && (dst[len - 1] == '\n' || dst[len - 1] == '\r' || dst[len - 1] == ' '))
        dst[--len] = '\0';
}

/* igraph calls its handler once per stack frame an error crosses; the first non-empty
 * reason is the informative one.  Like igraph_error_handler_ignore, it frees what the
 * failing igraph function had allocated. */
static void on_igraph_error(const char *reason, const char *file, int line, igraph_error_t e)
{
    (void)file;
    (void)line;
    (void)e;
    if (!igraph_msg[0] && reason && reason[0])
        copy_reason(igraph_msg, sizeof igraph_msg, reason);
    IGRAPH_FINALLY_FREE();
}

static void on_igraph_warning(const char *reason, const char *file, int line)
{
    (void)file;
    (void)line;
    if (!reason || !reason[0])
        return;
    if (!igraph_warn[0])
        copy_reason(igraph_warn, sizeof igraph_warn, reason);
    /* igraph 0.10: "Unknown attribute key 'adr' in a <data> tag, ignoring attribute." */
    const char *q = strstr(reason, "Unknown attribute key '");
    if (q && !igraph_badkey[0]) {
        q += strlen("Unknown attribute key '");
        const char *end = strchr(q, '\'');
        int n = end ? (int)(end - q) : (int)strlen(q);
        snprintf(igraph_badkey, sizeof igraph_badkey, "%.*s", n, q);
    }
}

typedef struct attr_types {
    igraph_strvector_t gn, vn, en;
    igraph_vector_int_t gt, vt, et;
} attr_types;

/* Type of a vertex or edge attribute, or -1 when no node/edge has it. */
static int attr_type(const igraph_strvector_t *names, const igraph_vector_int_t *types,
                     const char *name)
{
    for (igraph_integer_t i = 0; i < igraph_strvector_size(names); i++)
        if (strcmp(igraph_strvector_get(names, i), name) == 0)
            return (int)VECTOR(*types)[i];
    return -1;
}

/* Copies a string value without surrounding white space; "" when absent. */
static void trimmed(const char *v, char *buf, size_t n)
{
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    snprintf(buf, n, "%s", v);
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t' || buf[len - 1] == '\n' ||
                       buf[len - 1] == '\r'))
        buf[--len] = '\0';
}

enum { V_ABSENT, V_OK, V_BAD };

/* A numeric value of a node (vid >= 0) or edge attribute, whatever its declared type. */
static int num_value(const igraph_t *g, bool edge, int type, const char *name,
                     igraph_integer_t id, double *out, char *raw, size_t rawlen)
{
    raw[0] = '\0';
    switch (type) {
    case IGRAPH_ATTRIBUTE_NUMERIC:
        *out = edge ? EAN(g, name, id) : VAN(g, name, id);
        snprintf(raw, rawlen, "%g", *out);
        return isnan(*out) ? V_ABSENT : V_OK;
    case IGRAPH_ATTRIBUTE_BOOLEAN:
        *out = (edge ? EAB(g, name, id) : VAB(g, name, id)) ? 1.0 : 0.0;
        snprintf(raw, rawlen, "%s", *out != 0.0 ? "true" : "false");
        return V_OK;
    case IGRAPH_ATTRIBUTE_STRING: {
        trimmed(edge ? EAS(g, name, id) : VAS(g, name, id), raw, rawlen);
        if (!raw[0])
            return V_ABSENT;
        if (strcmp(raw, "true") == 0 || strcmp(raw, "false") == 0) {
            *out = raw[0] == 't';
            return V_OK;
        }
        char *end;
        errno = 0;
        *out = strtod(raw, &end);
        return (*end || errno == ERANGE || isnan(*out)) ? V_BAD : V_OK;
    }
    default:
        return V_ABSENT;
    }
}

static bool parse_cidr(const char *s, uint32_t *prefix, unsigned *len)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof buf)
        return false;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = '\0';
    if (vmitn_ip_parse(buf, prefix) != 0)
        return false;
    const char *p = slash + 1;
    unsigned n = 0;
    if (!*p || strlen(p) > 2)
        return false;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        n = n * 10 + (unsigned)(*p - '0');
    }
    if (n > 32)
        return false;
    *len = n;
    return true;
}

/* ---- a line map of the file ------------------------------------------------------
 *
 * igraph reports no line for what it read well, merges a node declared twice, and
 * creates a node for an edge's unknown endpoint.  So the file is also scanned here, as
 * text: every <node> and <edge> of the first <graph> with its line, every <key>, and every
 * <data> with its text.  Comments, CDATA, processing instructions and declarations are
 * skipped; the five predefined entities are decoded (others are left as they are).
 * Anything the scanner cannot follow only costs a line number in a message. */

typedef struct xdata {
    char *key, *text;
    unsigned line;
} xdata;

typedef struct xelem {
    char *id, *source, *target; /* node: id; edge: source, target */
    unsigned line;
    bool edge;
    size_t data0, ndata;        /* its <data> children in xscan.data */
} xelem;

typedef struct xkey {
    char *id, *name, *type, *dom; /* dom: the for= attribute */
} xkey;

typedef struct xscan {
    xelem *el;
    size_t nel, cap;
    xdata *data;
    size_t ndata, dcap;
    xkey *key;
    size_t nkey, kcap;
    const xelem **node;  /* the nodes sorted by id, then line (xscan_check) */
    size_t nnode;
    const xelem **edge;  /* the edges in file order, as igraph numbers them */
    size_t nedge;
} xscan;

static void xscan_free(xscan *x)
{
    for (size_t i = 0; i < x->nel; i++) {
        free(x->el[i].id);
        free(x->el[i].source);
        free(x->el[i].target);
    }
    for (size_t i = 0; i < x->ndata; i++) {
        free(x->data[i].key);
        free(x->data[i].text);
    }
    for (size_t i = 0; i < x->nkey; i++) {
        free(x->key[i].id);
        free(x->key[i].name);
        free(x->key[i].type);
        free(x->key[i].dom);
    }
    free(x->el);
    free(x->data);
    free(x->key);
    free(x->node);
    free(x->edge);
}

/* Copies [p, end) with the predefined entities decoded. */
static char *xdecode(const char *p, const char *end)
{
    static const struct { const char *ent; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    char *out = vmitn_xmalloc((size_t)(end - p) + 1), *w = out;
    while (p < end) {
        size_t i = 0;
        if (*p == '&')
            for (; i < sizeof ents / sizeof ents[0]; i++) {
                size_t n = strlen(ents[i].ent);
                if ((size_t)(end - p) >= n && strncmp(p, ents[i].ent, n) == 0) {
                    *w++ = ents[i].c;
                    p += n;
                    break;
                }
            }
        if (*p != '&' || i == sizeof ents / sizeof ents[0])
            *w++ = *p++;
    }
    *w = '\0';
    return out;
}

static const char *xskip_to(const char *p, const char *end, const char *stop, unsigned *line)
{
    size_t n = strlen(stop);
    for (; p < end; p++) {
        if ((size_t)(end - p) >= n && memcmp(p, stop, n) == 0)
            return p + n;
        if (*p == '\n')
            ++*line;
    }
    return end;
}

static bool xname_is(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    return (size_t)(end - p) > n && memcmp(p, name, n) == 0 &&
           (p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || p[n] == '\r' || p[n] == '/' || p[n] == '>');
}

static void xscan_file(const char *buf, size_t len, xscan *x)
{
    const char *p = buf, *end = buf + len;
    unsigned line = 1;
    int depth = 0, graphs = 0;  /* <graph> nesting; only the first top-level one counts */
    long cur = -1;              /* the open <node> or <edge>, an index in x->el */
    while (p < end) {
        if (*p == '\n') {
            line++;
            p++;
            continue;
        }
        if (*p != '<') {
            p++;
            continue;
        }
        if ((size_t)(end - p) >= 4 && memcmp(p, "<!--", 4) == 0) {
            p = xskip_to(p + 4, end, "-->", &line);
            continue;
        }
        if ((size_t)(end - p) >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            p = xskip_to(p + 9, end, "]]>", &line);
            continue;
        }
        if (p + 1 < end && (p[1] == '?' || p[1] == '!')) {
            p = xskip_to(p + 2, end, ">", &line);
            continue;
        }
        bool closing = p + 1 < end && p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        unsigned tagline = line;
        /* attributes, to the end of the tag */
        char *id = NULL, *src = NULL, *dst = NULL, *key = NULL, *aname = NULL, *atype = NULL, *afor = NULL;
        const char *q = name;
        while (q < end && *q != '>' && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '/')
            q++;
        bool self = false;
        while (q < end && *q != '>') {
            if (*q == '\n')
                line++;
            if (*q == '/' && q + 1 < end && q[1] == '>')
                self = true;
            if (*q == '=') {
                const char *ae = q;
                while (ae > name && (ae[-1] == ' ' || ae[-1] == '\t' || ae[-1] == '\n' || ae[-1] == '\r'))
                    ae--;
                const char *as = ae;
                while (as > name && as[-1] != ' ' && as[-1] != '\t' && as[-1] != '\n' && as[-1] != '\r')
                    as--;
                const char *v = q + 1;
                while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
                    line += *v++ == '\n';
                if (v >= end || (*v != '"' && *v != '\''))
                    break;
                char quote = *v++;
                const char *ve = v;
                while (ve < end && *ve != quote)
                    line += *ve++ == '\n';
                if (ve >= end)
                    break;
                size_t an = (size_t)(ae - as);
                char **slot = an == 2 && !memcmp(as, "id", 2) ? &id
                            : an == 6 && !memcmp(as, "source", 6) ? &src
                            : an == 6 && !memcmp(as, "target", 6) ? &dst
                            : an == 3 && !memcmp(as, "key", 3) ? &key
                            : an == 9 && !memcmp(as, "attr.name", 9) ? &aname
                            : an == 9 && !memcmp(as, "attr.type", 9) ? &atype
                            : an == 3 && !memcmp(as, "for", 3) ? &afor : NULL;
                if (slot != NULL && *slot == NULL)
                    *slot = xdecode(v, ve);
                q = ve + 1;
                continue;
            }
            q++;
        }
        const char *after = q < end ? q + 1 : end;
        bool active = graphs == 1 && depth == 1;
        if (closing) {
            if (xname_is(name, end, "graph"))
                depth--;
            else if (xname_is(name, end, "node") || xname_is(name, end, "edge"))
                cur = -1;
        } else if (xname_is(name, end, "graph")) {
            if (depth++ == 0)
                graphs++;
            if (self)
                depth--;
        } else if (xname_is(name, end, "key")) {
            if (x->nkey == x->kcap)
                x->key = vmitn_xrealloc(x->key, (x->kcap = x->kcap ? 2 * x->kcap : 8) * sizeof *x->key);
            x->key[x->nkey++] = (xkey){id, aname, atype, afor};
            id = aname = atype = afor = NULL;
        } else if (active && (xname_is(name, end, "node") || xname_is(name, end, "edge"))) {
            if (x->nel == x->cap)
                x->el = vmitn_xrealloc(x->el, (x->cap = x->cap ? 2 * x->cap : 64) * sizeof *x->el);
            bool edge = xname_is(name, end, "edge");
            x->el[x->nel] = (xelem){edge ? NULL : id, src, dst, tagline, edge, x->ndata, 0};
            if (!edge)
                id = NULL;
            src = dst = NULL;
            cur = self ? -1 : (long)x->nel;
            x->nel++;
        } else if (cur >= 0 && xname_is(name, end, "data") && key != NULL && !self) {
            const char *te = after;
            while (te < end && *te != '<')
                te++;
            if (x->ndata == x->dcap)
                x->data = vmitn_xrealloc(x->data, (x->dcap = x->dcap ? 2 * x->dcap : 64) * sizeof *x->data);
            x->data[x->ndata++] = (xdata){key, xdecode(after, te), tagline};
            x->el[cur].ndata++;
            key = NULL;
        }
        free(id);
        free(src);
        free(dst);
        free(key);
        free(aname);
        free(atype);
        free(afor);
        p = after;
    }
}

static const xkey *xscan_key(const xscan *x, const char *id)
{
    for (size_t i = 0; i < x->nkey; i++)
        if (x->key[i].id && strcmp(x->key[i].id, id) == 0)
            return &x->key[i];
    return NULL;
}

static int cmp_xel(const void *a, const void *b)
{
    const xelem *const *x = a, *const *y = b;
    int c = strcmp((*x)->id, (*y)->id);
    return c ? c : ((*x)->line > (*y)->line) - ((*x)->line < (*y)->line);
}

/* The element names the file gives: "node 'X'", or "edge 'A'--'B'". */
static void xel_name(const xelem *e, char *buf, size_t n)
{
    if (e->edge)
        snprintf(buf, n, "edge '%.100s'--'%.100s'", e->source ? e->source : "?", e->target ? e->target : "?");
    else
        snprintf(buf, n, "node '%.200s'", e->id ? e->id : "?");
}

/* After igraph failed: a numeric <data> that is no number is the likely cause, and here
 * it gets its element and line.  0 when none is found. */
static int xscan_bad_number(const xscan *x, const char *path, char *err, size_t errlen)
{
    for (size_t i = 0; i < x->nel; i++)
        for (size_t k = x->el[i].data0; k < x->el[i].data0 + x->el[i].ndata; k++) {
            const xkey *key = xscan_key(x, x->data[k].key);
            if (key == NULL || key->type == NULL ||
                (strcmp(key->type, "double") && strcmp(key->type, "float") && strcmp(key->type, "int") &&
                 strcmp(key->type, "long")))
                continue;
            char buf[128], *e;
            trimmed(x->data[k].text, buf, sizeof buf);
            errno = 0;
            (void)strtod(buf, &e);
            if (buf[0] && !*e)
                continue;
            char el[256];
            xel_name(&x->el[i], el, sizeof el);
            return topo_fail(err, errlen, VMITN_EINPUT, "%s:%u: %s: bad %s '%s' (key '%s' is attr.type %s: a plain number, e.g. 100e6)",
                             path, x->data[k].line, el, key->name ? key->name : x->data[k].key, buf,
                             x->data[k].key, key->type);
        }
    return 0;
}

/* After igraph read the file: a node declared twice, or an edge to a node the file does
 * not declare, is an error (igraph would merge the first and invent the second). */
static int xscan_check(xscan *x, const char *path, char *err, size_t errlen)
{
    size_t nn = 0;
    const xelem **nodes = vmitn_xmalloc((x->nel + 1) * sizeof *nodes);
    for (size_t i = 0; i < x->nel; i++)
        if (!x->el[i].edge && x->el[i].id)
            nodes[nn++] = &x->el[i];
    qsort(nodes, nn, sizeof *nodes, cmp_xel);
    x->node = nodes;
    x->nnode = nn;
    x->edge = vmitn_xmalloc((x->nel + 1) * sizeof *x->edge);
    for (size_t i = 0; i < x->nel; i++)
        if (x->el[i].edge)
            x->edge[x->nedge++] = &x->el[i];
    int rc = 0;
    for (size_t i = 1; i < nn && rc == 0; i++)
        if (strcmp(nodes[i]->id, nodes[i - 1]->id) == 0)
            rc = topo_fail(err, errlen, VMITN_EINPUT, "%s:%u: node '%s': a second node with this id (the first is on line %u)",
                           path, nodes[i]->line, nodes[i]->id, nodes[i - 1]->line);
    for (size_t i = 0; i < x->nel && rc == 0; i++) {
        const xelem *e = &x->el[i];
        if (!e->edge)
            continue;
        const char *ends[2] = {e->source, e->target};
        for (int k = 0; k < 2 && rc == 0; k++) {
            xelem key = {.id = (char *)(ends[k] ? ends[k] : "")};
            const xelem *kp = &key;
            /* any node of that id will do: compare ids only */
            size_t lo = 0, hi = nn;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (strcmp(nodes[mid]->id, kp->id) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == nn || strcmp(nodes[lo]->id, kp->id) != 0) {
                char el[256];
                xel_name(e, el, sizeof el);
                rc = topo_fail(err, errlen, VMITN_EINPUT, "%s:%u: %s: no node '%s' in the file (declare it with <node id=\"%s\">)",
                               path, e->line, el, kp->id, kp->id);
            }
        }
    }
    return rc;
}

/* The line of node `name` (its first declaration), or 0. */
static unsigned xscan_node_line(const xscan *x, const char *name)
{
    size_t lo = 0, hi = x->nnode;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(x->node[mid]->id, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->nnode && strcmp(x->node[lo]->id, name) == 0 ? x->node[lo]->line : 0;
}

/* Reads every attribute into s, checking each value. */
static int spec_from_igraph(const igraph_t *g, const xscan *x, spec *s, char *err, size_t errlen)
{
    int rc = 0;
    attr_types at;
    igraph_strvector_init(&at.gn, 0);
    igraph_strvector_init(&at.vn, 0);
    igraph_strvector_init(&at.en, 0);
    igraph_vector_int_init(&at.gt, 0);
    igraph_vector_int_init(&at.vt, 0);
    igraph_vector_int_init(&at.et, 0);
    if (igraph_cattribute_list(g, &at.gn, &at.gt, &at.vn, &at.vt, &at.en, &at.et) !=
        IGRAPH_SUCCESS) {
        rc = fail_at(s, err, errlen, "graphml: cannot list attributes: %s", igraph_msg);
        goto done;
    }
    static const char *const string_keys[] = {"kind", "addr", "lan"};
    for (size_t i = 0; i < sizeof string_keys / sizeof *string_keys; i++) {
        int ty = attr_type(&at.vn, &at.vt, string_keys[i]);
        if (ty >= 0 && ty != IGRAPH_ATTRIBUTE_STRING) {
            rc = fail_at(s, err, errlen, "key '%s': attr.type must be string", string_keys[i]);
            goto done;
        }
    }
    int t_id = attr_type(&at.vn, &at.vt, "id"), t_kind = attr_type(&at.vn, &at.vt, "kind");
    int t_addr = attr_type(&at.vn, &at.vt, "addr"), t_lan = attr_type(&at.vn, &at.vt, "lan");
    int t_fes = attr_type(&at.vn, &at.vt, "fes");
    int t_delay = attr_type(&at.en, &at.et, "delay"), t_bw = attr_type(&at.en, &at.et, "bw");
    if (t_id != IGRAPH_ATTRIBUTE_STRING && t_id >= 0) {
        rc = fail_at(s, err, errlen, "graphml: node ids are not strings");
        goto done;
    }

    igraph_integer_t nv = igraph_vcount(g), ne = igraph_ecount(g);
    if (nv >= (igraph_integer_t)INT32_MAX || ne >= (igraph_integer_t)INT32_MAX) {
        rc = fail_at(s, err, errlen, "graph: too many nodes or edges");
        goto done;
    }
    s->nn = (unsigned)nv;
    s->nl = (unsigned)ne;
    s->node = vmitn_xcalloc(s->nn ? s->nn : 1, sizeof *s->node);
    s->link = vmitn_xcalloc(s->nl ? s->nl : 1, sizeof *s->link);
    char buf[128];
    for (igraph_integer_t v = 0; v < nv; v++) {
        spec_node *n = &s->node[v];
        n->name = t_id >= 0 ? VAS(g, "id", v) : "";
        n->line = xscan_node_line(x, n->name);
        /* ids become file names (--pcap captures) and model parameters (start_host) */
        if (!vmitn_safe_name(n->name, 63)) {
            rc = fail_line(s, n->line, err, errlen, "node '%.100s': a node id must be 1 to 63 letters, digits, "
                           "'_', '-' and '.', not starting with '.' (ids name capture files)", n->name);
            goto done;
        }
        if (t_kind < 0 || (trimmed(VAS(g, "kind", v), buf, sizeof buf), !buf[0])) {
            rc = fail_at(s, err, errlen, "node '%s': no kind attribute", n->name);
            goto done;
        }
        if (strcmp(buf, "router") == 0) {
            n->kind = K_ROUTER;
        } else if (strcmp(buf, "host") == 0) {
            n->kind = K_FES;
            if (strcmp(n->name, "smc") == 0) {
                rc = fail_at(s, err, errlen, "node 'smc': a host may not be named smc (vmitn's capture of "
                             "the SMC's learner is smc.pcap)");
                goto done;
            }
        } else if (strcmp(buf, "smc") == 0) {
            n->kind = K_SMC;
        } else {
            rc = fail_at(s, err, errlen,
                         "node '%s': unknown kind '%s' (expected router, host or smc)", n->name,
                         buf);
            goto done;
        }
        if (t_lan >= 0)
            trimmed(VAS(g, "lan", v), buf, sizeof buf);
        else
            buf[0] = '\0';
        if (n->kind == K_ROUTER && buf[0]) {
            if (!parse_cidr(buf, &n->lan_prefix, &n->lan_len)) {
                rc = fail_at(s, err, errlen,
                             "node '%s': bad lan '%s' (expected a CIDR such as 172.16.0.0/16)",
                             n->name, buf);
                goto done;
            }
            if (n->lan_prefix & ~netmask(n->lan_len)) {
                rc = fail_at(s, err, errlen,
                             "node '%s': bad lan '%s' (host bits set; the network is %u bits)",
                             n->name, buf, n->lan_len);
                goto done;
            }
            n->has_lan = true;
        } else if (buf[0]) {
            rc = fail_at(s, err, errlen, "node '%s': a lan attribute on a %s (only edge "
                         "routers have one)", n->name, n->kind == K_SMC ? "smc" : "host");
            goto done;
        }
        if (n->kind == K_ROUTER)
            continue;
        if (t_addr < 0 || (trimmed(VAS(g, "addr", v), buf, sizeof buf), !buf[0])) {
            rc = fail_at(s, err, errlen, "node '%s': no addr attribute", n->name);
            goto done;
        }
        if (vmitn_ip_parse(buf, &n->addr) != 0) {
            rc = fail_at(s, err, errlen, "node '%s': bad addr '%s' (expected a dotted quad)",
                         n->name, buf);
            goto done;
        }
        if (n->kind == K_FES && t_fes >= 0) {
            double f;
            int st = num_value(g, false, t_fes, "fes", v, &f, buf, sizeof buf);
            if (st == V_BAD || (st == V_OK && f != 0.0 && f != 1.0)) {
                rc = fail_at(s, err, errlen, "node '%s': bad fes '%s' (expected 1 or 0)", n->name,
                             buf);
                goto done;
            }
            if (st == V_OK && f == 0.0)
                n->kind = K_PLAIN;
        }
    }
    for (igraph_integer_t e = 0; e < ne; e++) {
        spec_link *l = &s->link[e];
        igraph_integer_t from, to;
        igraph_edge(g, e, &from, &to);
        /* igraph keeps no endpoint order for undirected graphs: name a host first. */
        if (s->node[from].kind == K_ROUTER && s->node[to].kind != K_ROUTER) {
            igraph_integer_t x = from;
            from = to;
            to = x;
        }
        l->a = (unsigned)from;
        l->b = (unsigned)to;
        l->line = (size_t)ne == x->nedge ? x->edge[e]->line : 0;
        const char *an = s->node[from].name, *bn = s->node[to].name;
        double d, bw;
        int st = num_value(g, true, t_delay, "delay", e, &d, buf, sizeof buf);
        if (st == V_ABSENT) {
            rc = fail_line(s, l->line, err, errlen, "edge '%s'--'%s': no delay attribute", an, bn);
            goto done;
        }
        if (st == V_BAD || !(d >= 0.0) || d > DELAY_MAX) {
            rc = fail_line(s, l->line, err, errlen,
                         "edge '%s'--'%s': bad delay '%s' (seconds, from 0 to %g)", an, bn, buf,
                         DELAY_MAX);
            goto done;
        }
        st = num_value(g, true, t_bw, "bw", e, &bw, buf, sizeof buf);
        if (st == V_ABSENT) {
            rc = fail_line(s, l->line, err, errlen, "edge '%s'--'%s': no bw attribute", an, bn);
            goto done;
        }
        if (st == V_BAD || !(bw >= BW_MIN) || isinf(bw)) {
            rc = fail_line(s, l->line, err, errlen,
                           "edge '%s'--'%s': bad bw '%s' (bit/s, a finite number >= %g)", an, bn,
                           buf, BW_MIN);
            goto done;
        }
        l->delay = vmitn_secs(d);
        l->bw = bw;
    }
done:
    igraph_strvector_destroy(&at.gn);
    igraph_strvector_destroy(&at.vn);
    igraph_strvector_destroy(&at.en);
    igraph_vector_int_destroy(&at.gt);
    igraph_vector_int_destroy(&at.vt);
    igraph_vector_int_destroy(&at.et);
    return rc;
}

int vmitn_topo_load(const char *path, vmitn_topo **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return topo_fail(err, errlen, VMITN_EIO, "%s: cannot open: %s", path,
                         strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return topo_fail(err, errlen, VMITN_EIO, "%s: cannot read: %s", path, strerror(EISDIR));
    }
    if (fstat(fileno(f), &st) == 0 && st.st_size > TOPO_FILE_MAX) {
        fclose(f);
        return topo_fail(err, errlen, VMITN_EINPUT, "%s: graphml: larger than %d MiB", path, TOPO_FILE_MAX >> 20);
    }
    /* the text, for the line map (the file is read twice: once here, once by igraph) */
    size_t cap = 1 << 16, len = 0, got;
    char *text = vmitn_xmalloc(cap);
    while ((got = fread(text + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap)
            text = vmitn_xrealloc(text, cap *= 2);
        if (len > TOPO_FILE_MAX)
            break;
    }
    xscan x = {0};
    xscan_file(text, len, &x);
    free(text);
    rewind(f);

    igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_set_error_handler(on_igraph_error);
    igraph_set_warning_handler(on_igraph_warning);
    igraph_msg[0] = '\0';
    igraph_warn[0] = '\0';
    igraph_badkey[0] = '\0';

    igraph_t g;
    igraph_error_t ig = igraph_read_graph_graphml(&g, f, 0);
    bool ioerr = ferror(f) != 0;
    int ioerrno = errno;
    fclose(f);
    if (ioerr) {
        if (ig == IGRAPH_SUCCESS)
            igraph_destroy(&g);
        xscan_free(&x);
        return topo_fail(err, errlen, VMITN_EIO, "%s: cannot read: %s", path, strerror(ioerrno));
    }
    if (ig != IGRAPH_SUCCESS) {
        const char *why = igraph_msg[0] ? igraph_msg : "not a GraphML file";
        if (strstr(why, "index was too large"))   /* igraph's words for "no graph 0" */
            why = "no <graph> element";
        int rc = xscan_bad_number(&x, path, err, errlen);
        xscan_free(&x);
        if (rc < 0)
            return rc;
        return topo_fail(err, errlen, VMITN_EINPUT, "%s: graphml: %s", path, why);
    }
    {
        int rc = xscan_check(&x, path, err, errlen);
        if (rc < 0) {
            igraph_destroy(&g);
            xscan_free(&x);
            return rc;
        }
    }

    if (igraph_badkey[0]) {   /* a typo'd attribute name is an error, not a default */
        bool other = !strstr(igraph_warn, "Unknown attribute key");
        igraph_destroy(&g);
        xscan_free(&x);
        return topo_fail(err, errlen, VMITN_EINPUT,
                         "%s: graphml: a <data> element with undeclared key '%s' (declare it "
                         "in a <key> or fix its name)%s%s%s", path, igraph_badkey,
                         other ? " (igraph warned: " : "", other ? igraph_warn : "",
                         other ? ")" : "");
    }

    spec s = {0};
    s.path = path;
    if (igraph_warn[0])
        snprintf(s.hint, sizeof s.hint, " (igraph warned: %s)", igraph_warn);
    int rc = spec_from_igraph(&g, &x, &s, err, errlen);
    if (rc == 0)
        rc = build(&s, out, err, errlen);
    igraph_destroy(&g);
    xscan_free(&x);
    free(s.node);
    free(s.link);
    return rc;
}

/* ---- generated topologies ------------------------------------------------------------ */

/* The router tree is built bottom-up rather than with igraph_kary_tree (which fills
 * breadth-first, leaving leaves at two depths): edge router i hangs from core router
 * i / fanout of the lowest core level, core router j of a level from router j / fanout
 * of the level above, up to a single root.  Every edge router is then at the same
 * depth, consecutive LANs share subtrees like the aggregation layers of an enterprise
 * network, and the routers between the edge routers of LANs a and b number 2m - 1,
 * m being the least m >= 1 with a / fanout^m == b / fanout^m.
 *
 * Order: routers E1..En then the core routers C1 (the root), C2, ... level by level;
 * hosts L1-1, L1-2, ..., Ln-h (host index i*h + j), then the SMC (index n*h). */
int vmitn_topo_generate(unsigned subnets, unsigned hosts, unsigned fanout, vmitn_topo **out,
                        char *err, size_t errlen)
{
    *out = NULL;
    if (subnets < 1 || subnets > GEN_MAX_SUBNETS)
        return topo_fail(err, errlen, VMITN_EINPUT,
                         "generate: subnets: %u is out of range (1 to %u)", subnets,
                         GEN_MAX_SUBNETS);
    if (hosts < 1 || hosts > GEN_MAX_HOSTS)
        return topo_fail(err, errlen, VMITN_EINPUT,
                         "generate: hosts: %u is out of range (1 to %u)", hosts,
                         GEN_MAX_HOSTS);
    if (fanout < 2 || fanout > GEN_MAX_FANOUT)
        return topo_fail(err, errlen, VMITN_EINPUT,
                         "generate: fanout: %u is out of range (2 to %u)", fanout,
                         GEN_MAX_FANOUT);
    if ((uint64_t)subnets * hosts > GEN_MAX_TOTAL)
        return topo_fail(err, errlen, VMITN_EINPUT,
                         "generate: %u subnets x %u hosts = %llu hosts, more than %u", subnets, hosts,
                         (unsigned long long)subnets * hosts, GEN_MAX_TOTAL);

    /* Core level sizes, bottom (parents of the edge routers) first. */
    unsigned size[40], nlev = 0, ncore = 0;
    for (unsigned below = subnets;;) {
        unsigned n = (below + fanout - 1) / fanout;
        size[nlev++] = n;
        ncore += n;
        if (n == 1)
            break;
        below = n;
    }
    /* First core router index (among the core routers) of each bottom-up level. */
    unsigned base[40];
    for (unsigned l = nlev, b = 0; l-- > 0;) {
        base[l] = b;
        b += size[l];
    }

    size_t nhosts = (size_t)subnets * hosts;
    size_t nn = subnets + ncore + nhosts + 1;
    spec s = {0};
    s.path = "generate";
    s.nn = (unsigned)nn;
    s.nl = (unsigned)(subnets + ncore - 1 + nhosts);
    s.node = vmitn_xcalloc(nn, sizeof *s.node);
    s.link = vmitn_xmalloc(s.nl * sizeof *s.link);
    enum { NAMELEN = 24 };
    char *names = vmitn_xmalloc(nn * NAMELEN);
    vmitn_time hd = vmitn_secs(GEN_HOST_DELAY), rd = vmitn_secs(GEN_ROUTER_DELAY);
    unsigned core0 = subnets, host0 = subnets + ncore, k = 0;

    for (unsigned i = 0; i < subnets; i++) {
        spec_node *n = &s.node[i];
        snprintf(names + (size_t)i * NAMELEN, NAMELEN, "E%u", i + 1);
        n->name = names + (size_t)i * NAMELEN;
        n->kind = K_ROUTER;
        n->has_lan = true;
        n->lan_prefix = (10u << 24) | ((i / 256) << 16) | ((i % 256) << 8);
        n->lan_len = 24;
        s.link[k++] = (spec_link){i, core0 + base[0] + i / fanout, rd, GEN_ROUTER_BW, 0};
    }
    for (unsigned c = 0; c < ncore; c++) {
        spec_node *n = &s.node[core0 + c];
        snprintf(names + (size_t)(core0 + c) * NAMELEN, NAMELEN, "C%u", c + 1);
        n->name = names + (size_t)(core0 + c) * NAMELEN;
        n->kind = K_ROUTER;
    }
    for (unsigned l = 0; l + 1 < nlev; l++)
        for (unsigned j = 0; j < size[l]; j++)
            s.link[k++] = (spec_link){core0 + base[l] + j, core0 + base[l + 1] + j / fanout, rd,
                                      GEN_ROUTER_BW, 0};
    for (unsigned i = 0; i < subnets; i++)
        for (unsigned j = 0; j < hosts; j++) {
            size_t v = host0 + (size_t)i * hosts + j;
            spec_node *n = &s.node[v];
            snprintf(names + v * NAMELEN, NAMELEN, "L%u-%u", i + 1, j + 1);
            n->name = names + v * NAMELEN;
            n->kind = K_FES;
            n->addr = (10u << 24) | ((i / 256) << 16) | ((i % 256) << 8) | (11 + j);
            s.link[k++] = (spec_link){(unsigned)v, i, hd, GEN_HOST_BW, 0};
        }
    {
        size_t v = nn - 1;
        snprintf(names + v * NAMELEN, NAMELEN, "SMC");
        s.node[v].name = names + v * NAMELEN;
        s.node[v].kind = K_SMC;
        s.node[v].addr = GEN_SMC_ADDR;
    }
    vmitn_assert(k == s.nl);

    int rc = build(&s, out, err, errlen);
    free(names);
    free(s.node);
    free(s.link);
    return rc;
}

void vmitn_topo_seed_igraph(uint64_t seed)
{
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
}

void vmitn_topo_free(vmitn_topo *t)
{
    if (!t)
        return;
    free(t->hosts);
    free(t->host_ib);
    free(t->lans);
    free(t->router_names);
    free(t->names);
    free(t->by_name);
    free(t->addr.slot);
    for (unsigned i = 0; i < t->nlen; i++)
        free(t->lanh[i].h.slot);
    free(t->first);
    free(t->depth);
    free(t->rdelay);
    free(t->rib);
    free(t->sparse);
    free(t->lg);
    free(t->pairs);
    free(t->rlinks);
    free(t);
}

unsigned vmitn_topo_nrlinks(const vmitn_topo *t) { return t->nrlinks; }

const vmitn_rlink *vmitn_topo_rlink(const vmitn_topo *t, unsigned i)
{
    vmitn_assert(i < t->nrlinks);
    return &t->rlinks[i];
}

/* ---- queries ---------------------------------------------------------------------- */

unsigned vmitn_topo_nhosts(const vmitn_topo *t) { return t->nhosts; }
unsigned vmitn_topo_nlans(const vmitn_topo *t) { return t->nlans; }
unsigned vmitn_topo_nrouters(const vmitn_topo *t) { return t->nrouters; }

const vmitn_host *vmitn_topo_host(const vmitn_topo *t, unsigned i)
{
    vmitn_assert(i < t->nhosts);
    return &t->hosts[i];
}

const vmitn_lan *vmitn_topo_lan(const vmitn_topo *t, unsigned i)
{
    vmitn_assert(i < t->nlans);
    return &t->lans[i];
}

const char *vmitn_topo_router_name(const vmitn_topo *t, unsigned i)
{
    vmitn_assert(i < t->nrouters);
    return t->router_names[i];
}

int vmitn_topo_find_name(const vmitn_topo *t, const char *name)
{
    name_ix key = {name, -1};
    const name_ix *hit = bsearch(&key, t->by_name, t->nhosts, sizeof *t->by_name, cmp_name);
    return hit ? hit->ix : -1;
}

int vmitn_topo_find_addr(const vmitn_topo *t, uint32_t addr)
{
    return hash_get(&t->addr, addr);
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
    vmitn_assert(src < t->nhosts && t->hosts[src].lan >= 0);
    const vmitn_host *s = &t->hosts[src];
    double sib = t->host_ib[src];
    if (dst == s->addr) {
        *r = (vmitn_route){VMITN_ROUTE_SELF, -1, -1, 0, 0, 0.0};
        return;
    }
    int h = dst_ix == VMITN_TOPO_ASK ? hash_get(&t->addr, dst) : dst_ix;
    vmitn_assert(h < (int)t->nhosts && (h < 0 || t->hosts[h].addr == dst));
    if (h >= 0 && t->hosts[h].lan >= 0) {
        const vmitn_host *d = &t->hosts[h];
        metric m = lan_pair(t, s->lan, d->lan);
        *r = (vmitn_route){VMITN_ROUTE_HOST, h, -1, m.hops + 2,
                           s->link_delay + m.delay + d->link_delay,
                           sib + m.inv_bw + t->host_ib[h]};
        return;
    }
    int l = vmitn_topo_find_lan(t, dst);
    if (l >= 0) {
        metric m = lan_pair(t, s->lan, l);
        *r = (vmitn_route){VMITN_ROUTE_NOHOST, -1, t->lans[l].router, m.hops + 1,
                           s->link_delay + m.delay, sib + m.inv_bw};
        return;
    }
    *r = (vmitn_route){VMITN_ROUTE_NOROUTE, -1, s->router, 1, s->link_delay, sib};
}
