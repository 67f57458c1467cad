/* topo_internal.h — PRIVATE to the topology's files (src/net/topo*.c): the topology's
 * representation, what a reader or the generator hands to build(), and the calls these
 * files make on each other.  Nothing else includes it; the public interface is topo.h.
 * It lives in include/vmitn/ so that the Makefile's header rule rebuilds them when it
 * changes.
 *
 * Who does what: topo.c checks and lays out a topology (build) and answers the queries
 * that are not routes; topo_route.c precomputes and answers routes and address lookups;
 * topo_graphml.c reads GraphML through igraph (the only file that includes igraph.h);
 * topo_xml.c scans the same file as text for lines and the checks igraph does not make;
 * topo_gen.c generates topologies. */
#ifndef VMITN_TOPO_INTERNAL_H
#define VMITN_TOPO_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "vmitn/topo.h"
#include "vmitn/util.h"

#define TABLE_MAX_LANS 2048u   /* non-tree router graphs: 2048^2 x 24 B = 96 MiB */
#define DELAY_MAX 3600.0       /* s; keeps every sum of delays far from int64 overflow */
#define BW_MIN 1000.0          /* bit/s; a 64 KiB packet then takes at most 524 s per link */
#define TOPO_FILE_MAX (256 << 20) /* bytes of GraphML: bounds the memory a file can ask for */
#define PATH_MAX_S 1e8         /* s: all delays, and all transmission times of a 64 KiB
                                * packet, summed over every link (bounds any route's time) */
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
    /* GraphML topologies only (NULL when generated): */
    vmitn_host *hosts;
    const char **host_names;
    double *host_ib;            /* 1 / link_bw per host (0 for SMCs) */
    name_ix *by_name;           /* hosts sorted by name */
    hash32 addr;                /* address -> host */
    vmitn_lan *lans;
    const char **router_names;
    char *names;                /* every stored name (routers, GraphML hosts), back to back */
    /* generated topologies (topo_gen.c): host i * gen_hosts + j is "L<i+1>-<j+1>" at
     * 10.<i / 256>.<i % 256>.<11 + j> (gen_addr) behind router i, which serves LAN i, the
     * SMC the last host: a host's record, address and name follow from its index and back
     * (topo_host_at), so none of the per-host arrays above is built (a GraphML topology's
     * 40-byte record, name, 1/bw and indices) */
    unsigned gen_subnets, gen_hosts;
    uint32_t gen_smc;
    vmitn_time gen_delay;       /* every host's link is alike: its delay, bandwidth, 1/bw */
    double gen_bw, gen_ib;
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

/* A generated topology's address of host j of LAN lan (lan < 65536). */
static inline uint32_t gen_addr(unsigned lan, unsigned j)
{
    return (10u << 24) | ((lan / 256) << 16) | ((lan % 256) << 8) | (11 + j);
}

/* Host i's record: the stored one, or a generated topology's, from its index. */
static inline vmitn_host topo_host_at(const vmitn_topo *t, unsigned i)
{
    if (t->hosts)
        return t->hosts[i];
    if (i + 1 < t->nhosts) {
        unsigned lan = i / t->gen_hosts;
        return (vmitn_host){gen_addr(lan, i - lan * t->gen_hosts), VMITN_HOST_FES, (int)lan, (int)lan,
                            t->gen_delay, t->gen_bw};
    }
    return (vmitn_host){t->gen_smc, VMITN_HOST_SMC, -1, -1, 0, 0.0};
}

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
    /* generated (topo_gen.c's layout, see vmitn_topo), else 0: node and link hold the
     * routers and their links only, the hosts and their links are implied */
    unsigned gen_subnets, gen_hosts;
    uint32_t gen_smc;
    vmitn_time gen_delay;    /* every host link's */
    double gen_bw;
    char hint[300];          /* appended to build()'s messages, may be "" */
} spec;

typedef struct radj {
    unsigned to;
    vmitn_time delay;
    double ib;
} radj;

int vmitn_topo_fail_at(const spec *s, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int vmitn_topo_fail_line(const spec *s, unsigned line, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int vmitn_topo_fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Checks the structure of s and builds the topology from it.  Owns nothing of s. */
int vmitn_topo_build(const spec *s, vmitn_topo **out, char *err, size_t errlen);
int vmitn_topo_cmp_name(const void *a, const void *b);
/* The routes of a tree router graph, or of any other (a LAN x LAN table); off and adj:
 * each router's router-router links (adjacency in CSR form). */
void vmitn_topo_route_tree(vmitn_topo *t, const unsigned *off, const radj *adj);
void vmitn_topo_route_table(vmitn_topo *t, const unsigned *off, const radj *adj);

/* Copies a string value without surrounding white space; "" when absent. */
static inline void trimmed(const char *v, char *buf, size_t n)
{
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    snprintf(buf, n, "%s", v);
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t' || buf[len - 1] == '\n' ||
                       buf[len - 1] == '\r'))
        buf[--len] = '\0';
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

void vmitn_xscan_file(const char *buf, size_t len, xscan *x);
void vmitn_xscan_free(xscan *x);
int vmitn_xscan_check(xscan *x, const char *path, char *err, size_t errlen);
int vmitn_xscan_bad_number(const xscan *x, const char *path, char *err, size_t errlen);
unsigned vmitn_xscan_node_line(const xscan *x, const char *name);

#endif
