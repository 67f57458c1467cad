/* topo.c — the wired network (topo.h): checks a topology's structure (build: what the
 * GraphML reader, topo_graphml.c, and the generator, topo_gen.c, hand over), lays out its
 * hosts, LANs and routers, and answers the queries that are not routes.  Routes and
 * address lookups: topo_route.c.  What these files share: vmitn/topo_internal.h. */
#include "vmitn/topo_internal.h"

#include <math.h>

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
int vmitn_topo_fail_at(const spec *s, char *err, size_t errlen, const char *fmt, ...)
{
    char msg[VMITN_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vmitn_topo_fail_line(s, element_line(s, msg), err, errlen, "%s", msg);
}

int vmitn_topo_fail_line(const spec *s, unsigned line, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(s, line, err, errlen, fmt, ap);
    va_end(ap);
    return -VMITN_EINPUT;
}

/* Like vmitn_fail, but bounded by the caller's errlen. */
int vmitn_topo_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -code;
}

int vmitn_topo_cmp_name(const void *a, const void *b)
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

/* Checks the structure of s and builds the topology from it.  Owns nothing of s. */
int vmitn_topo_build(const spec *s, vmitn_topo **out, char *err, size_t errlen)
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
        rc = vmitn_topo_fail_at(s, err, errlen, "graph: no routers");
        goto fail;
    }
    t->gen_subnets = s->gen_subnets;
    t->gen_hosts = s->gen_hosts;
    t->gen_smc = s->gen_smc;
    if (t->gen_subnets) {
        /* the hosts are implied: the FES hosts, then the SMC */
        vmitn_assert(t->nhosts == 0 && t->nlans == t->gen_subnets);
        t->nhosts = t->gen_subnets * t->gen_hosts + 1;
        t->gen_delay = s->gen_delay;
        t->gen_bw = s->gen_bw;
        t->gen_ib = 1.0 / s->gen_bw;
    } else {
        t->hosts = vmitn_xcalloc(t->nhosts ? t->nhosts : 1, sizeof *t->hosts);
        t->host_names = vmitn_xcalloc(t->nhosts ? t->nhosts : 1, sizeof *t->host_names);
        t->host_ib = vmitn_xcalloc(t->nhosts ? t->nhosts : 1, sizeof *t->host_ib);
    }
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
                t->host_names[h] = p;
                ho->addr = n->addr;
                ho->kind = n->kind == K_FES ? VMITN_HOST_FES
                           : n->kind == K_PLAIN ? VMITN_HOST_PLAIN : VMITN_HOST_SMC;
                ho->lan = -1;
                ho->router = -1;
            }
            p += len;
        }
    }

    /* Links (a generated topology's hosts are linked by construction: none in s). */
    hdeg = vmitn_xcalloc(t->hosts && t->nhosts ? t->nhosts : 1, sizeof *hdeg);
    off = vmitn_xcalloc(t->nrouters + 1, sizeof *off);
    for (unsigned e = 0; e < s->nl; e++) {
        const spec_link *l = &s->link[e];
        const spec_node *a = &s->node[l->a], *b = &s->node[l->b];
        if (l->a == l->b) {
            rc = vmitn_topo_fail_at(s, err, errlen, "edge '%s'--'%s': a link from a node to itself",
                         a->name, b->name);
            goto fail;
        }
        if (a->kind == K_SMC || b->kind == K_SMC) {
            const spec_node *smc = a->kind == K_SMC ? a : b, *o = a->kind == K_SMC ? b : a;
            rc = vmitn_topo_fail_at(s, err, errlen,
                         "node '%s': an smc has no wired link (it is on the OOB network only), "
                         "but it is linked to '%s'", smc->name, o->name);
            goto fail;
        }
        if (a->kind != K_ROUTER && b->kind != K_ROUTER) {
            rc = vmitn_topo_fail_at(s, err, errlen,
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
            rc = vmitn_topo_fail_at(s, err, errlen,
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
        if (t->gen_subnets) { /* the implied host links */
            delay += (double)(t->nhosts - 1) * vmitn_to_secs(t->gen_delay);
            tx += (double)(t->nhosts - 1) * (65535.0 * 8 / t->gen_bw);
        }
        if (delay > PATH_MAX_S || tx > PATH_MAX_S) {
            rc = vmitn_topo_fail_at(s, err, errlen, "graph: the links' %s add up to %g s, more than the %g s vmitn can "
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
                rc = vmitn_topo_fail_at(s, err, errlen,
                             "edge '%s'--'%s': a second link between the same routers",
                             s->node[l->a].name, s->node[l->b].name);
                goto fail;
            }
    }

    /* Hosts: one link, to a router whose LAN holds them (generated: by construction, the
     * router of LAN i being router i). */
    for (unsigned l = 0; l < t->nlans && t->gen_subnets; l++)
        vmitn_assert(t->lans[l].router == (int)l && t->lans[l].prefix == gen_addr(l, 0) - 11 && t->lans[l].len == 24);
    for (unsigned h = 0; h < t->nhosts && t->hosts; h++) {
        vmitn_host *ho = &t->hosts[h];
        if (ho->kind == VMITN_HOST_SMC)
            continue;
        if (hdeg[h] == 0) {
            rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': not linked to any router (unreachable)",
                         t->host_names[h]);
            goto fail;
        }
        int l = router_lan[ho->router];
        if (l < 0) {
            rc = vmitn_topo_fail_at(s, err, errlen,
                         "node '%s': its router '%s' serves no LAN (no lan attribute)", t->host_names[h],
                         t->router_names[ho->router]);
            goto fail;
        }
        const vmitn_lan *lan = &t->lans[l];
        if ((ho->addr & netmask(lan->len)) != lan->prefix) {
            char a[16], p[16];
            vmitn_ip_format(ho->addr, a);
            vmitn_ip_format(lan->prefix, p);
            rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': addr %s is outside lan %s/%u of router '%s'",
                         t->host_names[h], a, p, lan->len, t->router_names[ho->router]);
            goto fail;
        }
        ho->lan = l;
    }

    /* Unique addresses (a generated topology's are, by construction: found by arithmetic). */
    if (!t->gen_subnets)
        hash_init(&t->addr, t->nhosts);
    for (unsigned h = 0; h < t->nhosts && !t->gen_subnets; h++) {
        int32_t prev = hash_put(&t->addr, t->hosts[h].addr, (int32_t)h);
        if (prev >= 0) {
            char a[16];
            vmitn_ip_format(t->hosts[h].addr, a);
            rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': addr %s is already the addr of node '%s'",
                         t->host_names[h], a, t->host_names[prev]);
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
            rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': lan %s/%u overlaps lan %s/%u of router '%s'",
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
                rc = vmitn_topo_fail_at(s, err, errlen,
                             "node '%s': router unreachable from router '%s' over router-router "
                             "links (so are the hosts behind it)",
                             t->router_names[r], t->router_names[0]);
                goto fail;
            }
    }

    /* Routes. */
    if (nrl == t->nrouters - 1) {
        vmitn_topo_route_tree(t, off, adj);
    } else {
        if (t->nlans > TABLE_MAX_LANS) {
            rc = vmitn_topo_fail_at(s, err, errlen,
                         "graph: %u LANs behind a router graph with cycles; at most %u are "
                         "supported (the route table grows as LANs squared)", t->nlans,
                         TABLE_MAX_LANS);
            goto fail;
        }
        vmitn_topo_route_table(t, off, adj);
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

    /* Names (a generated topology's are found by arithmetic). */
    if (!t->gen_subnets) {
        t->by_name = vmitn_xmalloc((t->nhosts ? t->nhosts : 1) * sizeof *t->by_name);
        for (unsigned h = 0; h < t->nhosts; h++)
            t->by_name[h] = (name_ix){t->host_names[h], (int)h};
        qsort(t->by_name, t->nhosts, sizeof *t->by_name, vmitn_topo_cmp_name);
    }

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

void vmitn_topo_free(vmitn_topo *t)
{
    if (!t)
        return;
    free(t->hosts);
    free(t->host_names);
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

vmitn_host vmitn_topo_host(const vmitn_topo *t, unsigned i)
{
    vmitn_assert(i < t->nhosts);
    return topo_host_at(t, i);
}

const char *vmitn_topo_host_name(const vmitn_topo *t, unsigned i, char buf[VMITN_TOPO_NAMEBUF])
{
    vmitn_assert(i < t->nhosts);
    if (t->host_names)
        return t->host_names[i];
    if (i + 1 == t->nhosts)
        snprintf(buf, VMITN_TOPO_NAMEBUF, "SMC");
    else
        snprintf(buf, VMITN_TOPO_NAMEBUF, "L%u-%u", i / t->gen_hosts + 1, i % t->gen_hosts + 1);
    return buf;
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

/* A generated topology's host named `name` (its name is what the index gives), or -1. */
static int gen_find_name(const vmitn_topo *t, const char *name)
{
    int ix = -1;
    if (strcmp(name, "SMC") == 0) {
        ix = (int)t->nhosts - 1;
    } else if (name[0] == 'L' && name[1] >= '1' && name[1] <= '9') {
        char *end;
        unsigned long i = strtoul(name + 1, &end, 10), j;
        if (*end != '-' || end[1] < '1' || end[1] > '9')
            return -1;
        j = strtoul(end + 1, &end, 10);
        if (*end != '\0' || i < 1 || i > t->gen_subnets || j < 1 || j > t->gen_hosts)
            return -1;
        ix = (int)((i - 1) * t->gen_hosts + (j - 1));
    }
    char buf[VMITN_TOPO_NAMEBUF];
    return ix >= 0 && strcmp(vmitn_topo_host_name(t, (unsigned)ix, buf), name) == 0 ? ix : -1;
}

int vmitn_topo_find_name(const vmitn_topo *t, const char *name)
{
    if (t->gen_subnets)
        return gen_find_name(t, name);
    name_ix key = {name, -1};
    const name_ix *hit = bsearch(&key, t->by_name, t->nhosts, sizeof *t->by_name, vmitn_topo_cmp_name);
    return hit ? hit->ix : -1;
}
