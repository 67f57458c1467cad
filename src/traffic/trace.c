/* trace.c — captures as traffic: loading a capture's IPv4 packets through pcapio's reader,
 * mapping its addresses onto an emulated network (docs/MODEL.md §4), and the learner over
 * a trace in memory with what its rules would drop (the operating curve). */
#include "vmitn/trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/pcapio.h"
#include "vmitn/rng.h"
#include "vmitn/util.h"

/* ---------- loading ---------- */

int vmitn_trace_load(const char *path, vmitn_trace *tr, char *err, size_t errlen)
{
    memset(tr, 0, sizeof *tr);
    int code;
    vmitn_pcap_reader *rd = vmitn_pcap_reader_open(path, &code, err, errlen);
    if (rd == NULL)
        return code == VMITN_EXIT_IO ? -VMITN_EIO : -VMITN_EINPUT;
    size_t cap = 0;
    vmitn_pcap_pkt k;
    int rc, cut;
    while ((rc = vmitn_pcap_reader_next(rd, &k, &cut, err, errlen)) == 1) {
        tr->read++;
        switch (k.skip) {
        case VMITN_PCAP_NON_IPV4: tr->non_ipv4++; continue;
        case VMITN_PCAP_TRUNCATED: tr->truncated++; continue;
        case VMITN_PCAP_FRAGMENT: tr->fragments++; continue;
        default: break;
        }
        if (tr->n == VMITN_TRACE_MAX_PACKETS || k.index > UINT32_MAX) {
            vmitn_fail(err, VMITN_EINPUT, "%s: packet %llu: more than %u IPv4 packets; a replayed capture holds at most that many",
                       path, k.index, VMITN_TRACE_MAX_PACKETS);
            rc = -1;
            break;
        }
        if (tr->n == cap) {
            cap = cap ? cap * 2 : 1024;
            tr->pkt = vmitn_xrealloc(tr->pkt, cap * sizeof *tr->pkt);
        }
        tr->pkt[tr->n++] = (vmitn_trace_pkt){.t = (vmitn_time)k.t, .src = k.src, .dst = k.dst, .sport = k.sport,
                                             .dport = k.dport, .proto = k.proto, .flags = k.tcp_flags,
                                             .bytes = (uint16_t)(k.bytes > 65535 ? 65535 : k.bytes),
                                             .index = (uint32_t)k.index};
        tr->bytes += k.bytes > 65535 ? 65535 : k.bytes;
    }
    vmitn_pcap_reader_close(rd);
    if (rc < 0) {
        size_t used = strlen(err);
        if (cut && used < errlen) /* the reader's message names the packet; say why a replay refuses it */
            snprintf(err + used, errlen - used, "; a replayed capture must be whole (vmitn learn reads up to the cut)");
        free(tr->pkt);
        memset(tr, 0, sizeof *tr);
        return -VMITN_EINPUT;
    }
    tr->path = vmitn_xstrdup(path);
    return 0;
}

void vmitn_trace_destroy(vmitn_trace *tr)
{
    free(tr->pkt);
    free(tr->path);
    memset(tr, 0, sizeof *tr);
}

/* ---------- addresses ---------- */

static bool is_private(uint32_t a)
{
    return (a >> 24) == 10 || (a >> 20) == (172u << 4 | 1) || (a >> 16) == (192u << 8 | 168) ||
           (a >> 16) == (169u << 8 | 254);
}

/* 0.0.0.0/8 (this network), 127/8 (loopback), 224/4 (multicast), 240/4 (reserved and the
 * broadcast address): nothing an emulated host sends to one host or receives from one */
static bool is_unicast(uint32_t a)
{
    unsigned top = a >> 24;
    return top != 0 && top != 127 && top < 224;
}

/* An open-addressing table from an address to a slot number. */
typedef struct addr_table {
    uint32_t *key;
    int32_t *val;
    size_t mask;
} addr_table;

static void table_init(addr_table *h, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 2)
        cap *= 2;
    h->key = vmitn_xmalloc(cap * sizeof *h->key);
    h->val = vmitn_xmalloc(cap * sizeof *h->val);
    for (size_t i = 0; i < cap; i++)
        h->val[i] = -1;
    h->mask = cap - 1;
}

static void table_free(addr_table *h)
{
    free(h->key);
    free(h->val);
}

static size_t slot_of(const addr_table *h, uint32_t a)
{
    size_t i = (size_t)((a * 0x9e3779b1u) ^ (a >> 16)) & h->mask;
    while (h->val[i] >= 0 && h->key[i] != a)
        i = (i + 1) & h->mask;
    return i;
}

/* An address seen in the capture, while mapping. */
typedef struct seen_addr {
    uint32_t addr;
    uint64_t packets;
    uint64_t unicast;  /* packets with a unicast address at both ends (that can be replayed) */
    size_t first;      /* the packet it first appears in */
    bool client;       /* opened a connection (VMITN_INSIDE_CLIENTS) */
    int place;         /* from the map: -2 none, -1 outside, else a host index */
} seen_addr;

static int by_busy(const void *a, const void *b)
{
    const seen_addr *x = a, *y = b;
    if (x->packets != y->packets)
        return x->packets > y->packets ? -1 : 1;
    return (x->addr > y->addr) - (x->addr < y->addr);
}

static int by_first(const void *a, const void *b)
{
    const seen_addr *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

/* Calls fn for each ADDR=WHERE entry of map; stops at the first error. */
typedef int (*map_fn)(void *ctx, uint32_t addr, int where, char *err, size_t errlen);
static int map_walk(const char *map, const vmitn_topo *t, map_fn fn, void *ctx, char *err, size_t errlen)
{
    if (map == NULL)
        return 0;
    /* the entries so far, to refuse one address placed two ways (a map holds < 1024 bytes) */
    struct placed {
        uint32_t a;
        char where[128];
    } *seen = NULL;
    size_t nseen = 0;
    int rc = 0;
    const char *p = map;
    while (*p && rc == 0) {
        rc = -VMITN_EINPUT;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char entry[128];
        if (len == 0 || len >= sizeof entry) {
            vmitn_fail(err, VMITN_EINPUT, "legit.trace_map: '%.*s': expected ADDR=HOST or ADDR=outside",
                       (int)(len > 60 ? 60 : len), p);
            break;
        }
        memcpy(entry, p, len);
        entry[len] = '\0';
        char *eq = strchr(entry, '=');
        uint32_t a;
        if (eq == NULL || eq == entry || eq[1] == '\0') {
            vmitn_fail(err, VMITN_EINPUT, "legit.trace_map: '%s': expected ADDR=HOST or ADDR=outside", entry);
            break;
        }
        *eq = '\0';
        if (vmitn_ip_parse(entry, &a) != 0) {
            vmitn_fail(err, VMITN_EINPUT, "legit.trace_map: '%s' is not an IPv4 address (four numbers 0-255, "
                                          "without leading zeros)", entry);
            break;
        }
        size_t k = 0;
        while (k < nseen && seen[k].a != a)
            k++;
        if (k < nseen) {
            if (strcmp(seen[k].where, eq + 1) != 0)
                vmitn_fail(err, VMITN_EINPUT, "legit.trace_map: %s is placed twice, at '%s' and at '%s': keep one",
                           entry, seen[k].where, eq + 1);
            else
                vmitn_fail(err, VMITN_EINPUT, "legit.trace_map: '%s=%s' is given twice: keep one", entry, eq + 1);
            break;
        }
        seen = vmitn_xrealloc(seen, (nseen + 1) * sizeof *seen);
        seen[nseen].a = a;
        snprintf(seen[nseen++].where, sizeof seen->where, "%s", eq + 1);
        int where = -1;
        if (strcmp(eq + 1, "outside") != 0 && t != NULL) {
            where = vmitn_topo_find_name(t, eq + 1);
            if (where < 0 || vmitn_topo_host(t, (unsigned)where).kind != VMITN_HOST_FES) {
                vmitn_fail(err, VMITN_EINPUT, "legit.trace_map: '%s=%s': no FES host named '%s' in the topology",
                           entry, eq + 1, eq + 1);
                break;
            }
        }
        if (fn && fn(ctx, a, where, err, errlen) < 0)
            break;
        p += len + (end != NULL);
        if (end && *p == '\0') {
            vmitn_fail(err, VMITN_EINPUT, "legit.trace_map: ends with a comma");
            break;
        }
        rc = 0;
    }
    free(seen);
    return rc;
}

int vmitn_trace_map_check(const char *map, const vmitn_topo *t, char *err, size_t errlen)
{
    return map_walk(map, t, NULL, NULL, err, errlen);
}

typedef struct map_ctx {
    addr_table *h;
    seen_addr *a;
} map_ctx;

static int place_one(void *ctx, uint32_t addr, int where, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    map_ctx *m = ctx;
    size_t s = slot_of(m->h, addr);
    if (m->h->val[s] >= 0) /* an address the capture does not hold is no error: mixed captures share one map */
        m->a[m->h->val[s]].place = where;
    return 0;
}

/* ---------- timing ---------- */

static const char *trace_name(const vmitn_trace *tr) { return tr->path ? tr->path : "the capture"; }

int vmitn_replay_timing(const vmitn_trace *tr, const vmitn_trace_map_opts *o, vmitn_time *period, char *err,
                        size_t errlen)
{
    (void)errlen;
    if (period)
        *period = 0;
    /* the parameter table holds these ranges; library callers (tests, fuzzers) may not */
    if (!(o->speed >= 1e-6 && o->speed <= 1e6))
        return vmitn_fail(err, VMITN_EINPUT, "legit.trace_speed: %g is out of range [1e-06, 1e+06]", o->speed);
    if (!(o->start >= 0 && o->start <= 1e6))
        return vmitn_fail(err, VMITN_EINPUT, "legit.trace_start: %g is out of range [0, 1e+06] s", o->start);
    if (tr->n == 0)
        return 0;
    const double max = (double)VMITN_REPLAY_MAX_NS;
    vmitn_time len = tr->pkt[tr->n - 1].t; /* times never decrease: the last is the longest */
    if (len < 0) /* pcapio holds times to [0, 2^62]; a trace built otherwise is refused, not trusted */
        return vmitn_fail(err, VMITN_EINPUT, "legit.trace: %s: a packet time before the first packet's", trace_name(tr));
    double last = (double)len / o->speed + 0.5;
    if (!(last + o->start * 1e9 < max))
        return vmitn_fail(err, VMITN_EINPUT,
                          "legit.trace_speed: %s spans %.6g s; at trace_speed %g its replay would last %.3g s, more than "
                          "the %.3g s (2^62 ns) a run's clock can schedule: raise legit.trace_speed",
                          trace_name(tr), (double)len * 1e-9, o->speed, last * 1e-9, max * 1e-9);
    if (!o->loop)
        return 0;
    /* the period: the capture's length plus one mean gap, over speed (in unsigned
     * arithmetic: a length near 2^62 plus a gap as long stays under 2^63) */
    vmitn_time gap = tr->n > 1 ? len / (vmitn_time)(tr->n - 1) : VMITN_S;
    uint64_t sum = (uint64_t)len + (uint64_t)(gap > 0 ? gap : 1);
    double per = (double)sum / o->speed + 0.5;
    if (!(per < max))
        return vmitn_fail(err, VMITN_EINPUT,
                          "legit.trace_loop: %s spans %.6g s; at trace_speed %g its loop period would be %.3g s, more "
                          "than the %.3g s (2^62 ns) a run's clock can schedule: raise legit.trace_speed",
                          trace_name(tr), (double)len * 1e-9, o->speed, per * 1e-9, max * 1e-9);
    vmitn_time p = (vmitn_time)per;
    if (p < 1)
        p = 1;
    if (p < VMITN_REPLAY_MIN_PERIOD)
        return vmitn_fail(err, VMITN_EINPUT,
                          "legit.trace_loop: %s would repeat every %.3g s (its %zu packets span %.6g s%s, at trace_speed "
                          "%g), under the 1 ms a loop may take: set legit.trace_loop = false or lower legit.trace_speed",
                          trace_name(tr), (double)p * 1e-9, tr->n, (double)len * 1e-9,
                          len == 0 ? ": every packet has one time" : "", o->speed);
    if (period)
        *period = p;
    return 0;
}

double vmitn_replay_events(const vmitn_trace *tr, const vmitn_trace_map_opts *o, double duration)
{
    if (tr->n == 0 || duration < o->start)
        return 0;
    double passes = 1;
    vmitn_time period;
    char err[VMITN_ERRLEN];
    if (o->loop && vmitn_replay_timing(tr, o, &period, err, sizeof err) == 0 && period > 0)
        passes = floor((duration - o->start) * 1e9 / (double)period) + 1;
    return 2.0 * (double)tr->n * passes;
}

int vmitn_replay_map(const vmitn_trace *tr, const vmitn_topo *t, const vmitn_trace_map_opts *o, uint64_t seed,
                     unsigned run, unsigned capture, vmitn_replay *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    vmitn_time period;
    if (vmitn_replay_timing(tr, o, &period, err, errlen) < 0)
        return -VMITN_EINPUT;
    unsigned nh = vmitn_topo_nhosts(t), nfes = 0;
    int *fes = vmitn_xmalloc((nh + 1) * sizeof *fes);
    for (unsigned i = 0; i < nh; i++)
        if (vmitn_topo_host(t, i).kind == VMITN_HOST_FES)
            fes[nfes++] = (int)i;
    if (nfes == 0) {
        free(fes);
        return vmitn_fail(err, VMITN_EINPUT, "%s: the topology has no FES host to replay the capture on", tr->path);
    }
    /* every address, its packets and whether it opened a connection */
    addr_table h;
    table_init(&h, 2 * tr->n);
    seen_addr *a = vmitn_xmalloc((2 * tr->n + 1) * sizeof *a);
    size_t na = 0;
    for (size_t i = 0; i < tr->n; i++) {
        const vmitn_trace_pkt *k = &tr->pkt[i];
        uint32_t ends[2] = {k->src, k->dst};
        for (int e = 0; e < 2; e++) {
            size_t s = slot_of(&h, ends[e]);
            if (h.val[s] < 0) {
                h.key[s] = ends[e];
                h.val[s] = (int32_t)na;
                a[na++] = (seen_addr){.addr = ends[e], .first = i, .place = -2};
            }
            seen_addr *x = &a[h.val[s]];
            x->packets++;
            x->unicast += is_unicast(k->src) && is_unicast(k->dst);
            if (e == 0 && ((k->proto == 6 && (k->flags & 0x12) == 0x02) ||
                           (k->proto == 17 && k->sport >= 1024 && k->dport < 1024)))
                x->client = true;
        }
    }
    map_ctx mc = {&h, a};
    int rc = map_walk(o->map, t, place_one, &mc, err, errlen);
    if (rc < 0)
        goto done;
    /* auto: the first of private, clients, busiest that finds an address */
    int mode = o->inside;
    size_t busiest = na;
    if (mode == VMITN_INSIDE_AUTO) {
        bool any_private = false, any_client = false;
        for (size_t i = 0; i < na; i++) {
            if (!is_unicast(a[i].addr) || a[i].unicast == 0) /* e.g. a DHCP server heard only in broadcasts */
                continue;
            any_private |= is_private(a[i].addr);
            any_client |= a[i].client;
            if (busiest == na || by_busy(&a[i], &a[busiest]) < 0)
                busiest = i;
        }
        mode = any_private ? VMITN_INSIDE_PRIVATE : any_client ? VMITN_INSIDE_CLIENTS : VMITN_INSIDE_MAP;
    }
    /* inside addresses, busiest first, onto the FES hosts in a seeded order */
    bool *inside = vmitn_xcalloc(na + 1, sizeof *inside);
    for (size_t i = 0; i < na; i++) {
        const seen_addr *x = &a[i];
        if (!is_unicast(x->addr))
            continue;
        inside[i] = x->place >= 0 ||
                    (x->place == -2 && ((mode == VMITN_INSIDE_PRIVATE && is_private(x->addr)) ||
                                        (mode == VMITN_INSIDE_CLIENTS && x->client) ||
                                        (o->inside == VMITN_INSIDE_AUTO && mode == VMITN_INSIDE_MAP && i == busiest)));
    }
    seen_addr *in = vmitn_xmalloc((na + 1) * sizeof *in), *outs = vmitn_xmalloc((na + 1) * sizeof *outs);
    size_t nin = 0, nout = 0;
    for (size_t i = 0; i < na; i++) {
        if (inside[i])
            in[nin++] = a[i];
        else if (is_unicast(a[i].addr))
            outs[nout++] = a[i];
    }
    free(inside);
    qsort(in, nin, sizeof *in, by_busy);
    qsort(outs, nout, sizeof *outs, by_first);
    vmitn_rng *r = vmitn_rng_new(seed, run, VMITN_STREAM(VMITN_STREAM_LEGIT, nh + 1 + capture));
    for (unsigned i = nfes; i-- > 1;) { /* Fisher-Yates */
        unsigned j = (unsigned)vmitn_rng_below(r, i + 1);
        int tmp = fes[i];
        fes[i] = fes[j];
        fes[j] = tmp;
    }
    vmitn_rng_free(r);
    out->addr = vmitn_xmalloc((nin + nout + 1) * sizeof *out->addr);
    size_t rr = 0;
    for (size_t i = 0; i < nin; i++) {
        int host = in[i].place >= 0 ? in[i].place : fes[rr++ % nfes];
        out->addr[out->naddr++] = (vmitn_replay_addr){in[i].addr, vmitn_topo_host(t, (unsigned)host).addr, host,
                                                      in[i].packets};
    }
    out->ninside = nin;
    uint32_t next = 198u << 24 | 18u << 16; /* 198.18.0.0/15, RFC 2544's benchmarking range */
    for (size_t i = 0; i < nout; i++) {
        uint32_t m = outs[i].addr;
        if (vmitn_topo_find_lan(t, m) >= 0 || vmitn_topo_find_addr(t, m) >= 0) {
            while (next < (198u << 24 | 20u << 16) && (vmitn_topo_find_lan(t, next) >= 0 || vmitn_topo_find_addr(t, next) >= 0))
                next++;
            if (next >= (198u << 24 | 20u << 16)) {
                rc = vmitn_fail(err, VMITN_EINPUT, "%s: no outside address left for the capture's outside addresses: the "
                                "topology's LANs cover 198.18.0.0/15", tr->path);
                free(in);
                free(outs);
                goto done;
            }
            m = next++;
        }
        out->addr[out->naddr++] = (vmitn_replay_addr){outs[i].addr, m, -1, outs[i].packets};
    }
    free(in);
    free(outs);
    /* the table now maps a capture address to its placement */
    for (size_t i = 0; i <= h.mask; i++)
        h.val[i] = -1;
    for (size_t i = 0; i < out->naddr; i++) {
        size_t s = slot_of(&h, out->addr[i].addr);
        h.key[s] = out->addr[i].addr;
        h.val[s] = (int32_t)i;
    }
    out->pkt = vmitn_xmalloc((tr->n + 1) * sizeof *out->pkt);
    vmitn_time start = vmitn_secs(o->start); /* o->start <= 1e6 s: vmitn_replay_timing */
    for (size_t i = 0; i < tr->n; i++) {
        const vmitn_trace_pkt *k = &tr->pkt[i];
        int32_t si = h.val[slot_of(&h, k->src)], di = h.val[slot_of(&h, k->dst)];
        if (si < 0 || di < 0) {
            out->skip_nonunicast++;
            continue;
        }
        const vmitn_replay_addr *s = &out->addr[si], *d = &out->addr[di];
        if (s->host < 0 && d->host < 0) {
            out->skip_outside++;
            continue;
        }
        if (s->host >= 0 && s->host == d->host) {
            out->skip_same_host++;
            continue;
        }
        /* at most the last packet's, which vmitn_replay_timing bounds by VMITN_REPLAY_MAX_NS */
        vmitn_time when = o->speed == 1 ? k->t : (vmitn_time)((double)k->t / o->speed + 0.5);
        out->pkt[out->n++] = (vmitn_replay_pkt){.t = start + when, .src = s->mapped, .dst = d->mapped,
                                                .sport = k->sport, .dport = k->dport, .proto = k->proto,
                                                .bytes = k->bytes, .from = s->host, .to = d->host};
    }
    out->period = period;
done:
    table_free(&h);
    free(a);
    free(fes);
    if (rc < 0)
        vmitn_replay_destroy(out);
    return rc;
}

void vmitn_replay_destroy(vmitn_replay *r)
{
    free(r->pkt);
    free(r->addr);
    memset(r, 0, sizeof *r);
}

/* ---------- the learner over a trace ---------- */

bool vmitn_pattern_within(const vmitn_pattern *p, const vmitn_pattern *q)
{
    if (!(q->wild & VMITN_WILD_SRC) && ((p->wild & VMITN_WILD_SRC) || p->src != q->src))
        return false;
    if (!(q->wild & VMITN_WILD_DST) && ((p->wild & VMITN_WILD_DST) || p->dst != q->dst))
        return false;
    if (!(q->wild & VMITN_WILD_PORT) && ((p->wild & VMITN_WILD_PORT) || p->port != q->port))
        return false;
    return true;
}

int vmitn_pattern_parse(const char *s, vmitn_pattern *p)
{
    char buf[64];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    char *f[3], *c = buf;
    for (int i = 0; i < 3; i++) {
        f[i] = c;
        c = strchr(c, ',');
        if ((c == NULL) != (i == 2))
            return -1;
        if (c)
            *c++ = '\0';
    }
    memset(p, 0, sizeof *p);
    if (strcmp(f[0], "*") == 0)
        p->wild |= VMITN_WILD_SRC;
    else if (vmitn_ip_parse(f[0], &p->src) != 0)
        return -1;
    if (strcmp(f[1], "*") == 0)
        p->wild |= VMITN_WILD_DST;
    else if (vmitn_ip_parse(f[1], &p->dst) != 0)
        return -1;
    if (strcmp(f[2], "*") == 0) {
        p->wild |= VMITN_WILD_PORT;
    } else {
        char *end;
        long v = f[2][0] >= '0' && f[2][0] <= '9' ? strtol(f[2], &end, 10) : -1;
        if (v < 0 || v > 65535 || *end)
            return -1;
        p->port = (uint16_t)v;
    }
    return 0;
}

int vmitn_trace_learn(const vmitn_trace *tr, const vmitn_learner_cfg *cfg, const vmitn_pattern *truth,
                      vmitn_time attack_from, vmitn_trace_eval *ev, char *err, size_t errlen)
{
    memset(ev, 0, sizeof *ev);
    ev->attack_start = -1;
    ev->detect = -1;
    vmitn_learner *l = vmitn_learner_new(cfg, err, errlen);
    if (l == NULL)
        return -VMITN_EINPUT;
    size_t cap = 0;
    for (size_t i = 0; i < tr->n; i++) {
        const vmitn_trace_pkt *k = &tr->pkt[i];
        vmitn_hdr hd = {k->src, k->dst, k->dport};
        bool attack = truth && k->t >= attack_from && vmitn_pattern_match(truth, &hd);
        if (attack && ev->attack_start < 0)
            ev->attack_start = k->t;
        ev->attack += attack;
        ev->other += truth && !attack;
        /* the rules issued so far (by earlier packets) drop it */
        for (size_t r = 0; r < ev->nrules; r++)
            if (vmitn_pattern_match(&ev->rules[r].pat, &hd)) {
                ev->rules[r].dropped++;
                ev->dropped++;
                ev->attack_dropped += attack;
                ev->other_dropped += truth && !attack;
                break;
            }
        ev->fed++;
        vmitn_pattern rule;
        if (!vmitn_learner_feed(l, k->t, &hd, &rule))
            continue;
        if (ev->nrules == cap) {
            cap = cap ? cap * 2 : 8;
            ev->rules = vmitn_xrealloc(ev->rules, cap * sizeof *ev->rules);
        }
        ev->rules[ev->nrules++] = (vmitn_trace_rule){.pat = rule, .t = k->t, .packet = i};
    }
    vmitn_learner_free(l);
    if (truth) {
        /* the first rule that matches an attack packet (issued before or at any) */
        for (size_t r = 0; r < ev->nrules && ev->detect < 0; r++)
            for (size_t i = 0; i < tr->n; i++) {
                vmitn_hdr hd = {tr->pkt[i].src, tr->pkt[i].dst, tr->pkt[i].dport};
                if (tr->pkt[i].t >= attack_from && vmitn_pattern_match(truth, &hd) &&
                    vmitn_pattern_match(&ev->rules[r].pat, &hd)) {
                    ev->detect = (long)r;
                    ev->right = vmitn_pattern_within(&ev->rules[r].pat, truth);
                    break;
                }
            }
    }
    return 0;
}

void vmitn_trace_eval_destroy(vmitn_trace_eval *ev)
{
    free(ev->rules);
    memset(ev, 0, sizeof *ev);
}
