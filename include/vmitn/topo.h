/* topo.h — the wired network: routers, LANs, hosts, the SMC, and routes between them.
 * The only module that includes igraph.h.
 *
 * A topology is read from GraphML (the format in topologies/, described in
 * docs/MODEL.md §topology) or generated (N subnets x M hosts behind a router tree).
 * Routes are shortest paths (hop count) over the router graph, computed once at load
 * time into a router-to-router table, so a route query is O(1) and allocates nothing.
 * Packets are not queued: a link adds its delay plus size / bandwidth (see MODEL.md). */
#ifndef VMITN_TOPO_H
#define VMITN_TOPO_H

#include <stddef.h>
#include <stdint.h>

#include "vmitn/evq.h"

typedef struct vmitn_topo vmitn_topo;

enum vmitn_host_kind { VMITN_HOST_FES = 0, VMITN_HOST_SMC = 1, VMITN_HOST_PLAIN = 2 };

/* A host, as vmitn_topo_host gives it (by value: a generated topology keeps no record
 * per host, it computes them; its name: vmitn_topo_host_name). */
typedef struct vmitn_host {
    uint32_t addr;          /* primary (wired) address; the SMC's OOB address */
    enum vmitn_host_kind kind;
    int lan;                /* index of its LAN, -1 for the SMC (OOB only) */
    int router;             /* index of its edge router, -1 for the SMC */
    vmitn_time link_delay;  /* host <-> edge router */
    double link_bw;         /* bit/s */
} vmitn_host;

typedef struct vmitn_lan {
    uint32_t prefix;        /* network address, host order */
    unsigned len;           /* prefix length */
    int router;             /* edge router serving it */
} vmitn_lan;

/* Where a packet from a host to an address ends. */
enum vmitn_route_end {
    VMITN_ROUTE_HOST = 0,    /* delivered to host `host` */
    VMITN_ROUTE_NOHOST = 1,  /* inside a LAN where no host has the address: dropped by its edge router */
    VMITN_ROUTE_NOROUTE = 2, /* in no LAN of the topology: dropped by the sender's edge router */
    VMITN_ROUTE_SELF = 3     /* the sender's own address */
};
typedef struct vmitn_route {
    enum vmitn_route_end end;
    int host;          /* destination host index for VMITN_ROUTE_HOST, else -1 */
    int drop_router;   /* router that drops it, else -1 */
    unsigned hops;     /* links crossed up to delivery or drop */
    vmitn_time delay;  /* propagation delay over those links, without transmission time */
    double inv_bw;     /* sum over those links of 1/bandwidth (s/bit): transmission = bits * inv_bw */
} vmitn_route;

/* Loads a GraphML file.  On error returns -VMITN_EINPUT (or -VMITN_EIO) and writes
 * "<path>: <element>: <reason>" to err; *out is then NULL. */
int vmitn_topo_load(const char *path, vmitn_topo **out, char *err, size_t errlen);

/* Generates an enterprise network: `subnets` LANs of `hosts` FES hosts each, every LAN
 * behind its own edge router, edge routers the leaves of a `fanout`-ary router tree,
 * plus one SMC.  LAN i is 10.(i/256).(i%256).0/24 ... see topo_gen.c. */
int vmitn_topo_generate(unsigned subnets, unsigned hosts, unsigned fanout, vmitn_topo **out,
                        char *err, size_t errlen);
void vmitn_topo_free(vmitn_topo *t);

/* Seeds igraph's default RNG (igraph would otherwise seed itself from the clock). */
void vmitn_topo_seed_igraph(uint64_t seed);

unsigned vmitn_topo_nhosts(const vmitn_topo *t);
/* Host i (< nhosts).  A GraphML topology keeps a record per host, a generated one none:
 * its hosts' fields follow from the index (topo_gen.c's layout), so a million-host
 * network costs no per-host memory here. */
vmitn_host vmitn_topo_host(const vmitn_topo *t, unsigned i);
/* Host i's name ("L1-1"): the topology's own string (GraphML), or written into buf (a
 * generated topology's, computed).  Valid while t and buf are. */
enum { VMITN_TOPO_NAMEBUF = 24 };
const char *vmitn_topo_host_name(const vmitn_topo *t, unsigned i, char buf[VMITN_TOPO_NAMEBUF]);
unsigned vmitn_topo_nlans(const vmitn_topo *t);
const vmitn_lan *vmitn_topo_lan(const vmitn_topo *t, unsigned i);
unsigned vmitn_topo_nrouters(const vmitn_topo *t);
const char *vmitn_topo_router_name(const vmitn_topo *t, unsigned i);

/* A link between two routers (indices as for vmitn_topo_router_name), for drawing. */
typedef struct vmitn_rlink {
    unsigned a, b;
    vmitn_time delay;
    double bw;              /* bit/s */
} vmitn_rlink;
unsigned vmitn_topo_nrlinks(const vmitn_topo *t);
const vmitn_rlink *vmitn_topo_rlink(const vmitn_topo *t, unsigned i);

/* Host index with this name or address, or -1.  find_addr is a hash lookup. */
int vmitn_topo_find_name(const vmitn_topo *t, const char *name);
/* The FES hosts' names for a message: "L1-1, L1-2, ..., and 16 more: 24 in all". */
void vmitn_topo_fes_list(const vmitn_topo *t, char *buf, size_t n);
int vmitn_topo_find_addr(const vmitn_topo *t, uint32_t addr);
/* LAN index containing addr, or -1. */
int vmitn_topo_find_lan(const vmitn_topo *t, uint32_t addr);

/* Route of a packet from host `src` (not the SMC) to address dst.  O(1). */
void vmitn_topo_route(const vmitn_topo *t, unsigned src, uint32_t dst, vmitn_route *r);
/* The same route, for a caller that already knows who has address dst: dst_ix is that
 * host's index, VMITN_TOPO_NOBODY if no host has it, VMITN_TOPO_ASK to look it up (as
 * vmitn_topo_route does).  A known index saves the address lookup. */
enum { VMITN_TOPO_NOBODY = -1, VMITN_TOPO_ASK = -2 };
void vmitn_topo_route_ix(const vmitn_topo *t, unsigned src, uint32_t dst, int dst_ix, vmitn_route *r);

/* One-way time of a `bytes`-long packet along a route. */
static inline vmitn_time vmitn_route_time(const vmitn_route *r, unsigned bytes)
{
    return r->delay + (vmitn_time)((double)bytes * 8.0 * r->inv_bw * 1e9 + 0.5);
}

#endif
