/* topo_gen.c — generated topologies (generate:SUBNETS:HOSTS:FANOUT): a tree of routers
 * with one LAN of hosts under each edge router, and an SMC, handed to build (topo.c). */
#include "vmitn/topo_internal.h"

/* Link figures of generated topologies, the same as Fig 8 (topologies/vmitn-fig8.graphml). */
#define GEN_HOST_DELAY 0.00005
#define GEN_HOST_BW 100e6
#define GEN_ROUTER_DELAY 0.0005
#define GEN_ROUTER_BW 100e6
#define GEN_MAX_SUBNETS 65536u
#define GEN_MAX_HOSTS 240u
#define GEN_MAX_FANOUT 65536u
#define GEN_MAX_TOTAL 12000000u  /* hosts: ~2.6 GiB at ~230 bytes per host (docs/MODEL.md) */
#define GEN_SMC_ADDR ((172u << 24) | (30u << 16) | 100u)

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
 * hosts L1-1, L1-2, ..., Ln-h (host index i*h + j), then the SMC (index n*h).  Only the
 * routers and their links are handed to build: the hosts, their links and names follow
 * from the layout (vmitn_topo's gen_* fields). */
int vmitn_topo_generate(unsigned subnets, unsigned hosts, unsigned fanout, vmitn_topo **out,
                        char *err, size_t errlen)
{
    *out = NULL;
    if (subnets < 1 || subnets > GEN_MAX_SUBNETS)
        return vmitn_topo_fail(err, errlen, VMITN_EINPUT,
                         "generate: subnets: %u is out of range (1 to %u)", subnets,
                         GEN_MAX_SUBNETS);
    if (hosts < 1 || hosts > GEN_MAX_HOSTS)
        return vmitn_topo_fail(err, errlen, VMITN_EINPUT,
                         "generate: hosts: %u is out of range (1 to %u)", hosts,
                         GEN_MAX_HOSTS);
    if (fanout < 2 || fanout > GEN_MAX_FANOUT)
        return vmitn_topo_fail(err, errlen, VMITN_EINPUT,
                         "generate: fanout: %u is out of range (2 to %u)", fanout,
                         GEN_MAX_FANOUT);
    if ((uint64_t)subnets * hosts > GEN_MAX_TOTAL)
        return vmitn_topo_fail(err, errlen, VMITN_EINPUT,
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

    size_t nn = subnets + ncore;
    spec s = {0};
    s.path = "generate";
    s.gen_subnets = subnets;
    s.gen_hosts = hosts;
    s.gen_smc = GEN_SMC_ADDR;
    s.gen_delay = vmitn_secs(GEN_HOST_DELAY);
    s.gen_bw = GEN_HOST_BW;
    s.nn = (unsigned)nn;
    s.nl = (unsigned)(subnets + ncore - 1);
    s.node = vmitn_xcalloc(nn, sizeof *s.node);
    s.link = vmitn_xmalloc(s.nl * sizeof *s.link);
    enum { NAMELEN = 24 };
    char *names = vmitn_xmalloc(nn * NAMELEN);
    vmitn_time rd = vmitn_secs(GEN_ROUTER_DELAY);
    unsigned core0 = subnets, k = 0;

    for (unsigned i = 0; i < subnets; i++) {
        spec_node *n = &s.node[i];
        snprintf(names + (size_t)i * NAMELEN, NAMELEN, "E%u", i + 1);
        n->name = names + (size_t)i * NAMELEN;
        n->kind = K_ROUTER;
        n->has_lan = true;
        n->lan_prefix = gen_addr(i, 0) - 11;
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
    vmitn_assert(k == s.nl);

    int rc = vmitn_topo_build(&s, out, err, errlen);
    free(names);
    free(s.node);
    free(s.link);
    return rc;
}
