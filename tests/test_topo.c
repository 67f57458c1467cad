/* test_topo.c — the topology module: the Fig 8 network (hosts, LANs, kinds, hand-worked
 * routes and drops), a router graph with a cycle, generated topologies up to 65,536
 * LANs, and every error a user can trigger with a broken topology file.
 * Runs from the repository root (paths are relative to it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vmitn/topo.h"
#include "vmitn/util.h"

#define IP(a, b, c, d) \
    (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define US (1000 * VMITN_NS)
#define FIG8 "topologies/vmitn-fig8.graphml"
#define DATA "tests/data/topo/"

static vmitn_topo *load(const char *path)
{
    char err[VMITN_ERRLEN] = "";
    vmitn_topo *t = NULL;
    int rc = vmitn_topo_load(path, &t, err, sizeof err);
    if (rc != 0 || !t)
        fail_msg("vmitn_topo_load(%s): %d: %s", path, rc, err);
    return t;
}

static vmitn_topo *generate(unsigned subnets, unsigned hosts, unsigned fanout)
{
    char err[VMITN_ERRLEN] = "";
    vmitn_topo *t = NULL;
    int rc = vmitn_topo_generate(subnets, hosts, fanout, &t, err, sizeof err);
    if (rc != 0 || !t)
        fail_msg("vmitn_topo_generate(%u, %u, %u): %d: %s", subnets, hosts, fanout, rc, err);
    return t;
}

static int host(const vmitn_topo *t, const char *name)
{
    int h = vmitn_topo_find_name(t, name);
    if (h < 0)
        fail_msg("no host %s", name);
    return h;
}

static int router(const vmitn_topo *t, const char *name)
{
    for (unsigned r = 0; r < vmitn_topo_nrouters(t); r++)
        if (strcmp(vmitn_topo_router_name(t, r), name) == 0)
            return (int)r;
    fail_msg("no router %s", name);
    return -1;
}

static vmitn_route route(const vmitn_topo *t, const char *from, uint32_t dst)
{
    vmitn_route r;
    memset(&r, 0xa5, sizeof r);
    vmitn_topo_route(t, (unsigned)host(t, from), dst, &r);
    return r;
}

static uint32_t addr_of(const vmitn_topo *t, const char *name)
{
    return vmitn_topo_host(t, (unsigned)host(t, name)).addr;
}

/* inv_bw is a sum of doubles: equal to within rounding. */
static void assert_inv_bw(double got, double want)
{
    double d = got - want;
    if (d < 0)
        d = -d;
    if (d > 1e-12 * want + 1e-30)
        fail_msg("inv_bw %.17g, expected %.17g", got, want);
}

static void assert_delivered(const vmitn_topo *t, const char *from, const char *to,
                             unsigned hops, vmitn_time delay, double inv_bw)
{
    vmitn_route r = route(t, from, addr_of(t, to));
    if (r.end != VMITN_ROUTE_HOST || r.host != host(t, to) || r.hops != hops ||
        r.delay != delay || r.drop_router != -1)
        fail_msg("%s -> %s: end %d host %d drop %d hops %u delay %lld; expected delivery to "
                 "%d, %u hops, %lld ns", from, to, (int)r.end, r.host, r.drop_router, r.hops,
                 (long long)r.delay, host(t, to), hops, (long long)delay);
    assert_inv_bw(r.inv_bw, inv_bw);
}

static void assert_dropped(const vmitn_topo *t, const char *from, uint32_t dst,
                           enum vmitn_route_end end, const char *by, unsigned hops,
                           vmitn_time delay, double inv_bw)
{
    vmitn_route r = route(t, from, dst);
    char a[16];
    vmitn_ip_format(dst, a);
    if (r.end != end || r.host != -1 || r.drop_router != router(t, by) || r.hops != hops ||
        r.delay != delay)
        fail_msg("%s -> %s: end %d host %d drop %d hops %u delay %lld; expected end %d by %s, "
                 "%u hops, %lld ns", from, a, (int)r.end, r.host, r.drop_router, r.hops,
                 (long long)r.delay, (int)end, by, hops, (long long)delay);
    assert_inv_bw(r.inv_bw, inv_bw);
}

/* ---- Fig 8 ------------------------------------------------------------------------- */

/* The fixture of the Fig 8 tests: the topology in *state, loaded afresh for each. */
static int fig8_setup(void **state)
{
    *state = load(FIG8);
    return *state ? 0 : -1;
}

static int topo_teardown(void **state)
{
    vmitn_topo_free(*state);
    return 0;
}

static void test_topo_fig8_hosts_lans_kinds(void **state)
{
    vmitn_topo *t = *state;
    static const struct {
        const char *name, *addr, *router;
        int lan;
    } want[] = {
        {"L1-1", "172.16.0.11", "R1", 0}, {"L1-2", "172.16.0.12", "R1", 0},
        {"L2-1", "172.17.0.11", "R2", 1}, {"L2-2", "172.17.0.12", "R2", 1},
        {"L3-1", "172.18.0.11", "R3", 2}, {"L4-1", "172.19.0.11", "R4", 3},
    };
    assert_int_equal(vmitn_topo_nhosts(t), 7);
    assert_int_equal(vmitn_topo_nlans(t), 4);
    assert_int_equal(vmitn_topo_nrouters(t), 6);
    for (unsigned r = 0; r < 6; r++) {
        char name[8];
        snprintf(name, sizeof name, "R%u", r + 1);
        assert_string_equal(vmitn_topo_router_name(t, r), name);
    }
    for (unsigned i = 0; i < 6; i++) {
        const vmitn_host ho = vmitn_topo_host(t, i), *h = &ho;
        char nb[VMITN_TOPO_NAMEBUF];
        uint32_t a;
        assert_int_equal(vmitn_ip_parse(want[i].addr, &a), 0);
        assert_string_equal(vmitn_topo_host_name(t, i, nb), want[i].name);
        assert_int_equal(h->addr, a);
        assert_int_equal(h->kind, VMITN_HOST_FES);
        assert_int_equal(h->lan, want[i].lan);
        assert_int_equal(h->router, router(t, want[i].router));
        assert_int_equal(h->link_delay, 50 * US);
        assert_true(h->link_bw == 100e6);
        assert_int_equal(vmitn_topo_find_name(t, want[i].name), (int)i);
    }
    const vmitn_host smc_ = vmitn_topo_host(t, 6), *smc = &smc_;
    char nb[VMITN_TOPO_NAMEBUF];
    assert_string_equal(vmitn_topo_host_name(t, 6, nb), "SMC");
    assert_int_equal(smc->kind, VMITN_HOST_SMC);
    assert_int_equal(smc->addr, IP(172, 30, 0, 100));
    assert_int_equal(smc->lan, -1);
    assert_int_equal(smc->router, -1);
    assert_int_equal(vmitn_topo_find_name(t, "SMC"), 6);
    assert_int_equal(vmitn_topo_find_name(t, "L5-1"), -1);
    assert_int_equal(vmitn_topo_find_name(t, "R1"), -1);   /* routers are not hosts */
    for (unsigned l = 0; l < 4; l++) {
        const vmitn_lan *lan = vmitn_topo_lan(t, l);
        assert_int_equal(lan->prefix, IP(172, 16 + l, 0, 0));
        assert_int_equal(lan->len, 16);
        assert_int_equal(lan->router, (int)l);   /* LAN i+1 behind R(i+1) */
    }
}

/* Hand-worked: a host link is 50 us, a router link 500 us, every link 100 Mbit/s. */
static void test_topo_fig8_routes(void **state)
{
    vmitn_topo *t = *state;
    /* Same LAN: host, R1, host. */
    assert_delivered(t, "L1-1", "L1-2", 2, 100 * US, 2e-8);
    /* L1-1 R1 R5 R2 L2-1: 2 x 0.05 + 2 x 0.5 ms. */
    assert_delivered(t, "L1-1", "L2-1", 4, 1100 * US, 4e-8);
    assert_delivered(t, "L2-2", "L1-2", 4, 1100 * US, 4e-8);
    /* L1-1 R1 R5 R6 R3 L3-1: 2 x 0.05 + 3 x 0.5 = 1.6 ms. */
    assert_delivered(t, "L1-1", "L3-1", 5, 1600 * US, 5e-8);
    assert_delivered(t, "L4-1", "L1-1", 5, 1600 * US, 5e-8);
    assert_delivered(t, "L2-1", "L4-1", 5, 1600 * US, 5e-8);
    /* L3-1 R3 R6 R4 L4-1. */
    assert_delivered(t, "L3-1", "L4-1", 4, 1100 * US, 4e-8);

    /* A 1500-byte packet L1-1 -> L3-1: 12,000 bits over five 100 Mbit/s links is 600 us
     * of transmission on top of 1.6 ms of propagation. */
    vmitn_route r = route(t, "L1-1", addr_of(t, "L3-1"));
    assert_int_equal(vmitn_route_time(&r, 1500), 2200 * US);
    /* A 40-byte SYN: 320 bits x 5 / 100 Mbit/s = 16 us. */
    assert_int_equal(vmitn_route_time(&r, 40), 1616 * US);

    /* Routes are symmetric. */
    for (unsigned a = 0; a < 6; a++)
        for (unsigned b = 0; b < 6; b++) {
            vmitn_route ab, ba;
            vmitn_topo_route(t, a, vmitn_topo_host(t, b).addr, &ab);
            vmitn_topo_route(t, b, vmitn_topo_host(t, a).addr, &ba);
            assert_int_equal(ab.hops, ba.hops);
            assert_int_equal(ab.delay, ba.delay);
        }
}

static void test_topo_fig8_self(void **state)
{
    vmitn_topo *t = *state;
    vmitn_route r = route(t, "L2-2", IP(172, 17, 0, 12));
    assert_int_equal(r.end, VMITN_ROUTE_SELF);
    assert_int_equal(r.host, -1);
    assert_int_equal(r.drop_router, -1);
    assert_int_equal(r.hops, 0);
    assert_int_equal(r.delay, 0);
    assert_true(r.inv_bw == 0.0);
}

/* An address inside a LAN that no host has: dropped by that LAN's edge router. */
static void test_topo_fig8_nohost(void **state)
{
    vmitn_topo *t = *state;
    /* L1-1 R1 R5 R6 | R3 drops it: 1 + 3 links. */
    assert_dropped(t, "L1-1", IP(172, 18, 5, 5), VMITN_ROUTE_NOHOST, "R3", 4, 1550 * US, 4e-8);
    /* In the sender's own LAN: R1 drops it after the host link. */
    assert_dropped(t, "L1-1", IP(172, 16, 0, 99), VMITN_ROUTE_NOHOST, "R1", 1, 50 * US, 1e-8);
    /* The broadcast address of LAN 2, from L1-2: R1 R5 R2. */
    assert_dropped(t, "L1-2", IP(172, 17, 255, 255), VMITN_ROUTE_NOHOST, "R2", 3, 1050 * US,
                   3e-8);
    assert_dropped(t, "L3-1", IP(172, 19, 0, 12), VMITN_ROUTE_NOHOST, "R4", 3, 1050 * US, 3e-8);
}

/* An address in no LAN: dropped by the sender's edge router.  The SMC is one. */
static void test_topo_fig8_noroute(void **state)
{
    vmitn_topo *t = *state;
    assert_dropped(t, "L1-1", IP(8, 8, 8, 8), VMITN_ROUTE_NOROUTE, "R1", 1, 50 * US, 1e-8);
    assert_dropped(t, "L2-2", IP(172, 20, 0, 1), VMITN_ROUTE_NOROUTE, "R2", 1, 50 * US, 1e-8);
    assert_dropped(t, "L3-1", IP(172, 30, 0, 100), VMITN_ROUTE_NOROUTE, "R3", 1, 50 * US, 1e-8);
    assert_dropped(t, "L4-1", IP(172, 15, 255, 255), VMITN_ROUTE_NOROUTE, "R4", 1, 50 * US,
                   1e-8);
    assert_dropped(t, "L4-1", 0, VMITN_ROUTE_NOROUTE, "R4", 1, 50 * US, 1e-8);
}

static void test_topo_fig8_find_addr_and_lan(void **state)
{
    vmitn_topo *t = *state;
    for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++)
        assert_int_equal(vmitn_topo_find_addr(t, vmitn_topo_host(t, i).addr), (int)i);
    assert_int_equal(vmitn_topo_find_addr(t, IP(172, 16, 0, 13)), -1);
    assert_int_equal(vmitn_topo_find_addr(t, IP(172, 16, 0, 0)), -1);
    assert_int_equal(vmitn_topo_find_addr(t, 0), -1);
    assert_int_equal(vmitn_topo_find_addr(t, 0xffffffffu), -1);

    assert_int_equal(vmitn_topo_find_lan(t, IP(172, 16, 0, 11)), 0);
    assert_int_equal(vmitn_topo_find_lan(t, IP(172, 16, 0, 0)), 0);
    assert_int_equal(vmitn_topo_find_lan(t, IP(172, 17, 200, 1)), 1);
    assert_int_equal(vmitn_topo_find_lan(t, IP(172, 18, 0, 11)), 2);
    assert_int_equal(vmitn_topo_find_lan(t, IP(172, 19, 255, 255)), 3);
    assert_int_equal(vmitn_topo_find_lan(t, IP(172, 20, 0, 0)), -1);
    assert_int_equal(vmitn_topo_find_lan(t, IP(172, 15, 255, 255)), -1);
    assert_int_equal(vmitn_topo_find_lan(t, IP(172, 30, 0, 100)), -1);   /* the SMC */
    assert_int_equal(vmitn_topo_find_lan(t, IP(10, 16, 0, 11)), -1);
}

/* ---- a router graph with a cycle (the route table) ------------------------------------- */

static void test_topo_ring_routes(void **state)
{
    (void)state;
    vmitn_topo *t = load(DATA "ok-ring.graphml");
    assert_int_equal(vmitn_topo_nrouters(t), 4);
    assert_int_equal(vmitn_topo_nlans(t), 3);
    assert_int_equal(vmitn_topo_nhosts(t), 4);
    /* fes: a boolean key with <default>true</default>; A2 says false. */
    assert_int_equal(vmitn_topo_host(t, (unsigned)host(t, "A1")).kind, VMITN_HOST_FES);
    assert_int_equal(vmitn_topo_host(t, (unsigned)host(t, "A2")).kind, VMITN_HOST_PLAIN);
    assert_int_equal(vmitn_topo_host(t, (unsigned)host(t, "SMC")).kind, VMITN_HOST_SMC);
    /* " 192.168.1.20 ": white space around a value is ignored. */
    assert_int_equal(addr_of(t, "A2"), IP(192, 168, 1, 20));

    /* R1 -> R3: via R2 (2 x 1 ms) or via R4 (2 x 0.2 ms, 10 and 100 Mbit/s): the faster
     * wins.  Host links: 0.1 ms, 1 Gbit/s. */
    double via_r4 = 1e-9 + 1 / 10e6 + 1 / 100e6 + 1e-9;
    assert_delivered(t, "A1", "C1", 4, 600 * US, via_r4);
    assert_delivered(t, "C1", "A2", 4, 600 * US, via_r4);
    assert_delivered(t, "A1", "A2", 2, 200 * US, 2e-9);
    /* LAN 10.2.0.0/16 (a second prefix length) has no host: R2 drops, 1 router link. */
    assert_dropped(t, "A1", IP(10, 2, 7, 7), VMITN_ROUTE_NOHOST, "R2", 2, 1100 * US,
                   1e-9 + 1 / 100e6);
    assert_dropped(t, "C1", IP(10, 2, 0, 0), VMITN_ROUTE_NOHOST, "R2", 2, 1100 * US,
                   1e-9 + 1 / 100e6);
    assert_dropped(t, "A2", IP(10, 99, 0, 1), VMITN_ROUTE_NOROUTE, "R1", 1, 100 * US, 1e-9);
    assert_dropped(t, "C1", IP(192, 168, 2, 1), VMITN_ROUTE_NOROUTE, "R3", 1, 100 * US, 1e-9);
    assert_int_equal(vmitn_topo_find_lan(t, IP(10, 2, 255, 1)), 1);
    assert_int_equal(vmitn_topo_find_lan(t, IP(192, 168, 3, 77)), 2);
    assert_int_equal(vmitn_topo_find_lan(t, IP(10, 3, 0, 1)), -1);
    vmitn_topo_free(t);
}

/* ---- generated topologies ------------------------------------------------------------- */

/* Links between the edge routers of LANs a and b in a generated tree: 2m, m the least
 * m >= 1 with a / fanout^m == b / fanout^m. */
static unsigned tree_hops(unsigned a, unsigned b, unsigned fanout)
{
    unsigned m = 0;
    while (a != b) {
        a /= fanout;
        b /= fanout;
        m++;
    }
    return 2 * m;
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

static void check_generated(unsigned subnets, unsigned hosts, unsigned fanout, unsigned npairs)
{
    vmitn_topo *t = generate(subnets, hosts, fanout);
    unsigned ncore = 0;
    for (unsigned n = subnets;;) {
        n = (n + fanout - 1) / fanout;
        ncore += n;
        if (n == 1)
            break;
    }
    assert_int_equal(vmitn_topo_nhosts(t), subnets * hosts + 1);
    assert_int_equal(vmitn_topo_nlans(t), subnets);
    assert_int_equal(vmitn_topo_nrouters(t), subnets + ncore);
    assert_string_equal(vmitn_topo_router_name(t, 0), "E1");
    assert_string_equal(vmitn_topo_router_name(t, subnets), "C1");

    /* Names, addresses, LANs, every host. */
    for (unsigned i = 0; i < subnets; i++) {
        const vmitn_lan *lan = vmitn_topo_lan(t, i);
        assert_int_equal(lan->prefix, IP(10, i / 256, i % 256, 0));
        assert_int_equal(lan->len, 24);
        assert_int_equal(lan->router, (int)i);
        for (unsigned j = 0; j < hosts; j++) {
            unsigned h = i * hosts + j;
            const vmitn_host hr = vmitn_topo_host(t, h), *ho = &hr;
            char name[32], nb[VMITN_TOPO_NAMEBUF];
            snprintf(name, sizeof name, "L%u-%u", i + 1, j + 1);
            assert_string_equal(vmitn_topo_host_name(t, h, nb), name);
            assert_int_equal(ho->addr, IP(10, i / 256, i % 256, 11 + j));
            assert_int_equal(ho->kind, VMITN_HOST_FES);
            assert_int_equal(ho->lan, (int)i);
            assert_int_equal(ho->router, (int)i);
            assert_int_equal(ho->link_delay, 50 * US);
            assert_int_equal(vmitn_topo_find_addr(t, ho->addr), (int)h);
            assert_int_equal(vmitn_topo_find_lan(t, ho->addr), (int)i);
        }
    }
    const vmitn_host smc_ = vmitn_topo_host(t, subnets * hosts), *smc = &smc_;
    char nb[VMITN_TOPO_NAMEBUF];
    assert_string_equal(vmitn_topo_host_name(t, subnets * hosts, nb), "SMC");
    assert_int_equal(smc->kind, VMITN_HOST_SMC);
    assert_int_equal(smc->addr, IP(172, 30, 0, 100));

    /* Names and addresses map to hosts (by arithmetic: no index is built), and nothing
     * else does. */
    assert_int_equal(vmitn_topo_find_name(t, "SMC"), (int)(subnets * hosts));
    assert_int_equal(vmitn_topo_find_addr(t, IP(172, 30, 0, 100)), (int)(subnets * hosts));
    for (unsigned i = 0; i < subnets; i += 1 + subnets / 50)
        for (unsigned j = 0; j < hosts; j++) {
            char name[40];
            snprintf(name, sizeof name, "L%u-%u", i + 1, j + 1);
            assert_int_equal(vmitn_topo_find_name(t, name), (int)(i * hosts + j));
        }
    static const char *const not_names[] = {"L0-1", "L1-0", "L1-01", "L01-1", "L1-1 ", "L1-", "L-1", "L1",
                                            "l1-1", "E1", "C1", "SMC1", "", "L+1-1", "L1--1",
                                            "L99999999999999999999-1"};
    for (size_t k = 0; k < sizeof not_names / sizeof *not_names; k++)
        assert_int_equal(vmitn_topo_find_name(t, not_names[k]), -1);
    char name[40];
    snprintf(name, sizeof name, "L%u-1", subnets + 1);
    assert_int_equal(vmitn_topo_find_name(t, name), -1);
    snprintf(name, sizeof name, "L1-%u", hosts + 1);
    assert_int_equal(vmitn_topo_find_name(t, name), -1);
    for (unsigned i = 0; i < subnets; i += 1 + subnets / 50) {
        assert_int_equal(vmitn_topo_find_addr(t, IP(10, i / 256, i % 256, 10)), -1);
        assert_int_equal(vmitn_topo_find_addr(t, IP(10, i / 256, i % 256, 0)), -1);
        if (11 + hosts <= 255)
            assert_int_equal(vmitn_topo_find_addr(t, IP(10, i / 256, i % 256, 11 + hosts)), -1);
        assert_int_equal(vmitn_topo_find_addr(t, IP(11, i / 256, i % 256, 11)), -1);
    }
    if (subnets < 65536)
        assert_int_equal(vmitn_topo_find_addr(t, IP(10, subnets / 256, subnets % 256, 11)), -1);
    assert_int_equal(vmitn_topo_find_addr(t, IP(172, 30, 0, 101)), -1);

    /* Routes: random pairs of hosts, addresses in LANs that no host has, and outside. */
    uint64_t seed = 12345;
    unsigned nh = subnets * hosts;
    for (unsigned k = 0; k < npairs; k++) {
        unsigned a = (unsigned)(lcg(&seed) % nh), b = (unsigned)(lcg(&seed) % nh);
        unsigned la = a / hosts, lb = b / hosts, rh = tree_hops(la, lb, fanout);
        vmitn_route r;
        vmitn_topo_route(t, a, vmitn_topo_host(t, b).addr, &r);
        if (a == b) {
            assert_int_equal(r.end, VMITN_ROUTE_SELF);
            continue;
        }
        assert_int_equal(r.end, VMITN_ROUTE_HOST);
        assert_int_equal(r.host, (int)b);
        assert_int_equal(r.hops, 2 + rh);
        assert_int_equal(r.delay, 2 * 50 * US + rh * 500 * US);
        assert_inv_bw(r.inv_bw, (2 + rh) / 100e6);
        vmitn_route ri; /* by the index, as the worm routes: the same route */
        vmitn_topo_route_ix(t, a, vmitn_topo_host(t, b).addr, (int)b, &ri);
        assert_true(ri.end == r.end && ri.host == r.host && ri.drop_router == r.drop_router && ri.hops == r.hops &&
                    ri.delay == r.delay && ri.inv_bw == r.inv_bw);

        vmitn_topo_route(t, a, IP(10, lb / 256, lb % 256, 5), &r);   /* .5: no host */
        assert_int_equal(r.end, VMITN_ROUTE_NOHOST);
        assert_int_equal(r.drop_router, (int)lb);
        assert_int_equal(r.hops, 1 + rh);
        assert_int_equal(r.delay, 50 * US + rh * 500 * US);

        vmitn_topo_route(t, a, IP(11, 0, 0, 1), &r);
        assert_int_equal(r.end, VMITN_ROUTE_NOROUTE);
        assert_int_equal(r.drop_router, (int)la);
        assert_int_equal(r.hops, 1);
    }
    vmitn_topo_free(t);
}

/* 100 LANs x 100 hosts (10,000 hosts) behind a 4-ary tree: 25 + 7 + 2 + 1 core routers,
 * so a route crosses 2 + 2m links, m up to 4. */
static void test_topo_generate_100x100(void **state)
{
    (void)state;
    check_generated(100, 100, 4, 20000);

    vmitn_topo *t = generate(100, 100, 4);
    assert_int_equal(vmitn_topo_nrouters(t), 135);
    assert_int_equal(vmitn_topo_find_name(t, "L100-100"), 9999);
    assert_int_equal(vmitn_topo_find_name(t, "L1-1"), 0);
    assert_int_equal(vmitn_topo_find_name(t, "SMC"), 10000);
    /* Hand-worked: LANs 0 and 3 hang off the same lowest core router (0/4 == 3/4): 2 router
     * links; LANs 0 and 4 meet one level up: 4; LANs 0 and 99 only at the root: 2 x 4. */
    vmitn_route r;
    vmitn_topo_route(t, 0, IP(10, 0, 3, 11), &r);
    assert_int_equal(r.hops, 4);
    assert_int_equal(r.delay, 1100 * US);
    vmitn_topo_route(t, 0, IP(10, 0, 4, 11), &r);
    assert_int_equal(r.hops, 6);
    vmitn_topo_route(t, 0, IP(10, 0, 99, 110), &r);
    assert_int_equal(r.end, VMITN_ROUTE_HOST);
    assert_int_equal(r.host, 9999);
    assert_int_equal(r.hops, 10);
    assert_int_equal(r.delay, 4100 * US);
    vmitn_topo_route(t, 0, IP(10, 0, 99, 111), &r);   /* past the last host */
    assert_int_equal(r.end, VMITN_ROUTE_NOHOST);
    vmitn_topo_route(t, 0, IP(10, 0, 100, 11), &r);   /* past the last LAN */
    assert_int_equal(r.end, VMITN_ROUTE_NOROUTE);
    vmitn_topo_free(t);
}

/* LANs past 10.0.255.0 and odd shapes: a binary tree, a single LAN, a wide fanout. */
static void test_topo_generate_shapes(void **state)
{
    (void)state;
    check_generated(300, 3, 2, 3000);
    check_generated(1, 240, 2, 500);
    check_generated(513, 1, 1000, 500);
    check_generated(7, 5, 3, 500);
}

/* The largest generated network: 65,536 LANs behind a binary tree of 65,535 core
 * routers (16 levels), routed without a LAN x LAN table. */
static void test_topo_generate_65536_lans(void **state)
{
    (void)state;
    vmitn_topo *t = generate(65536, 1, 2);
    assert_int_equal(vmitn_topo_nrouters(t), 65536 + 65535);
    assert_int_equal(vmitn_topo_lan(t, 65535)->prefix, IP(10, 255, 255, 0));
    vmitn_route r;
    vmitn_topo_route(t, 0, IP(10, 255, 255, 11), &r);
    assert_int_equal(r.end, VMITN_ROUTE_HOST);
    assert_int_equal(r.host, 65535);
    assert_int_equal(r.hops, 2 + 32);
    assert_int_equal(r.delay, 100 * US + 32 * 500 * US);
    vmitn_topo_route(t, 65535, IP(10, 255, 254, 11), &r);
    assert_int_equal(r.hops, 2 + 2);
    vmitn_topo_route(t, 32767, IP(10, 128, 0, 11), &r);   /* halves meet at the root */
    assert_int_equal(r.hops, 2 + 32);
    vmitn_topo_free(t);
    check_generated(65536, 1, 2, 5000);
}

/* Resident memory now, in KiB (Linux's /proc/self/statm). */
static long resident_kb(void)
{
    long size = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%ld %ld", &size, &res), 2);
    fclose(f);
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The largest generated topology, 50,000 LANs x 240 = 12,000,000 hosts, keeps nothing per
 * host: its hosts' records and names follow from their indices, and only its 53,335
 * routers are built (their names, LANs and route tables: about 20 MiB).  Before: a 40-byte
 * record and a name per host, 600 MiB, and more than 1 GB more while building. */
static void test_topo_generate_keeps_nothing_per_host(void **state)
{
    (void)state;
    long before = resident_kb();
    vmitn_topo *t = generate(50000, 240, 16);
    long kb = resident_kb() - before;
    print_message("12,000,000 generated hosts: %ld KiB resident\n", kb);
    assert_true(kb < 32 * 1024);
    assert_int_equal(vmitn_topo_nhosts(t), 12000001);
    char nb[VMITN_TOPO_NAMEBUF];
    vmitn_host h = vmitn_topo_host(t, 11999999);
    assert_string_equal(vmitn_topo_host_name(t, 11999999, nb), "L50000-240");
    assert_int_equal(h.addr, IP(10, 49999 / 256, 49999 % 256, 11 + 239));
    assert_int_equal(h.lan, 49999);
    assert_int_equal(h.router, 49999);
    assert_int_equal(vmitn_topo_find_name(t, "L50000-240"), 11999999);
    assert_int_equal(vmitn_topo_find_addr(t, h.addr), 11999999);
    assert_string_equal(vmitn_topo_host_name(t, 12000000, nb), "SMC");
    vmitn_topo_free(t);
}

static void expect_generate_error(unsigned subnets, unsigned hosts, unsigned fanout,
                                  const char *want)
{
    char err[VMITN_ERRLEN] = "";
    vmitn_topo *t = (vmitn_topo *)&err;   /* must be overwritten with NULL */
    assert_int_equal(vmitn_topo_generate(subnets, hosts, fanout, &t, err, sizeof err),
                     -VMITN_EINPUT);
    assert_null(t);
    if (!strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err, want);
}

static void test_topo_generate_rejects_out_of_range(void **state)
{
    (void)state;
    expect_generate_error(0, 10, 4, "generate: subnets: 0 is out of range (1 to 65536)");
    expect_generate_error(65537, 10, 4, "generate: subnets: 65537 is out of range");
    expect_generate_error(10, 0, 4, "generate: hosts: 0 is out of range (1 to 240)");
    expect_generate_error(10, 241, 4, "generate: hosts: 241 is out of range");
    expect_generate_error(10, 10, 1, "generate: fanout: 1 is out of range (2 to 65536)");
}

static void test_topo_seed_igraph(void **state)
{
    (void)state;
    vmitn_topo_seed_igraph(42);   /* no igraph here to draw from: must just not fail */
    vmitn_topo_seed_igraph(UINT64_MAX);
}

/* ---- errors ----------------------------------------------------------------------------- */

typedef struct bad_file {
    const char *test;     /* test name */
    const char *file;     /* under tests/data/topo/ */
    int code;
    const char *element;  /* must follow "<path>: " or "<path>:<line>: " */
    const char *reason;   /* must appear after it */
    unsigned line;        /* when not 0: the line the message must name */
} bad_file;

static const bad_file bad_files[] = {
    {"test_topo_rejects_missing_file", "does-not-exist.graphml", -VMITN_EIO, "cannot open",
     "No such file or directory", 0},
    {"test_topo_rejects_directory", "", -VMITN_EIO, "cannot read", "Is a directory", 0},
    {"test_topo_rejects_not_xml", "not-xml.graphml", -VMITN_EINPUT, "graphml", "Line 1:", 0},
    {"test_topo_rejects_malformed_xml", "truncated.graphml", -VMITN_EINPUT, "graphml",
     "Line 13: Couldn't find end of Start Tag", 0},
    {"test_topo_rejects_no_graph", "no-graph.graphml", -VMITN_EINPUT, "graphml",
     "no <graph> element", 0},
    {"test_topo_rejects_no_kind", "no-kind.graphml", -VMITN_EINPUT, "node 'R2'",
     "no kind attribute", 0},
    {"test_topo_rejects_unknown_kind", "unknown-kind.graphml", -VMITN_EINPUT, "node 'R2'",
     "unknown kind 'switch' (expected router, host or smc)", 0},
    {"test_topo_rejects_host_without_addr", "no-addr.graphml", -VMITN_EINPUT, "node 'H2'",
     "no addr attribute", 0},
    {"test_topo_rejects_smc_without_addr", "smc-no-addr.graphml", -VMITN_EINPUT, "node 'SMC'",
     "no addr attribute", 0},
    {"test_topo_rejects_bad_addr", "bad-addr.graphml", -VMITN_EINPUT, "node 'H1'",
     "bad addr '172.16.0.300'", 0},
    {"test_topo_rejects_addr_key_not_string", "addr-not-string.graphml", -VMITN_EINPUT,
     "key 'addr'", "attr.type must be string", 0},
    {"test_topo_rejects_duplicate_addr", "dup-addr.graphml", -VMITN_EINPUT, "node 'H2'",
     "addr 172.16.0.11 is already the addr of node 'H1'", 0},
    {"test_topo_rejects_bad_fes", "bad-fes.graphml", -VMITN_EINPUT, "node 'H1'",
     "bad fes '2'", 0},
    {"test_topo_rejects_bad_lan", "bad-lan.graphml", -VMITN_EINPUT, "node 'R2'",
     "bad lan '172.17.0.0/33'", 0},
    {"test_topo_rejects_lan_host_bits", "lan-host-bits.graphml", -VMITN_EINPUT, "node 'R2'",
     "bad lan '172.17.0.1/16' (host bits set", 0},
    {"test_topo_rejects_lan_on_host", "lan-on-host.graphml", -VMITN_EINPUT, "node 'H1'",
     "a lan attribute on a host", 0},
    {"test_topo_rejects_overlapping_lans", "lan-overlap.graphml", -VMITN_EINPUT, "node 'R2'",
     "lan 172.16.128.0/17 overlaps lan 172.16.0.0/16 of router 'R1'", 0},
    {"test_topo_rejects_host_with_two_links", "host-two-links.graphml", -VMITN_EINPUT,
     "node 'H1'", "linked to 'R1' and to 'R2'; a host has exactly one link", 0},
    {"test_topo_rejects_unlinked_host", "host-unlinked.graphml", -VMITN_EINPUT, "node 'H2'",
     "not linked to any router", 0},
    {"test_topo_rejects_host_host_link", "host-host.graphml", -VMITN_EINPUT,
     "edge 'H1'--'H2'", "a host-host link", 0},
    {"test_topo_rejects_host_outside_lan", "host-outside-lan.graphml", -VMITN_EINPUT,
     "node 'H2'", "addr 172.17.0.11 is outside lan 172.16.0.0/16 of router 'R1'", 0},
    {"test_topo_rejects_host_behind_router_without_lan", "host-router-no-lan.graphml",
     -VMITN_EINPUT, "node 'H2'", "its router 'R3' serves no LAN", 0},
    {"test_topo_rejects_smc_with_link", "smc-linked.graphml", -VMITN_EINPUT, "node 'SMC'",
     "an smc has no wired link", 0},
    {"test_topo_rejects_disconnected_routers", "disconnected.graphml", -VMITN_EINPUT,
     "node 'R2'", "router unreachable from router 'R1'", 0},
    {"test_topo_rejects_duplicate_link", "dup-link.graphml", -VMITN_EINPUT, "edge 'R1'--'R2'",
     "a second link between the same routers", 0},
    {"test_topo_rejects_self_loop", "self-loop.graphml", -VMITN_EINPUT, "edge 'R1'--'R1'",
     "a link from a node to itself", 0},
    {"test_topo_rejects_missing_delay", "no-delay.graphml", -VMITN_EINPUT, "edge 'R1'--'R2'",
     "no delay attribute", 0},
    {"test_topo_rejects_negative_delay", "neg-delay.graphml", -VMITN_EINPUT, "edge 'R1'--'R2'",
     "bad delay '-0.001'", 0},
    {"test_topo_rejects_delay_not_a_number", "bad-delay.graphml", -VMITN_EINPUT,
     "edge 'R1'--'R2'", "bad delay 'fast'", 0},
    {"test_topo_rejects_delay_not_a_double", "delay-not-number.graphml", -VMITN_EINPUT,
     "edge 'R1'--'R2'", "bad delay 'fast' (key 'delay' is attr.type double", 18},
    {"test_topo_rejects_missing_bw", "no-bw.graphml", -VMITN_EINPUT, "edge 'H2'--'R2'",
     "no bw attribute", 0},
    {"test_topo_rejects_zero_bw", "zero-bw.graphml", -VMITN_EINPUT, "edge 'H2'--'R2'",
     "bad bw '0'", 0},
    {"test_topo_rejects_no_routers", "no-routers.graphml", -VMITN_EINPUT, "graph",
     "no routers", 0},
    {"test_topo_rejects_undeclared_key", "typo-key.graphml", -VMITN_EINPUT, "graphml",
     "a <data> element with undeclared key 'adr'", 0},
    {"test_topo_rejects_key_for_all", "key-for-all.graphml", -VMITN_EINPUT, "graphml",
     "undeclared key 'addr' (declare it in a <key> or fix its name) (igraph warned: "
     "Attribute target 'all' is not handled", 0},
    {"test_topo_rejects_with_igraph_warning_as_hint", "no-addr-with-warning.graphml",
     -VMITN_EINPUT, "node 'H2'", "no addr attribute (igraph warned: Attribute target 'port'", 0},
    /* elements named with their line (issues 12 and 13) */
    {"test_topo_rejects_duplicate_id", "dup-id.graphml", -VMITN_EINPUT, "node 'H1'",
     "a second node with this id (the first is on line 11)", 12},
    {"test_topo_rejects_edge_to_missing_node", "edge-to-missing.graphml", -VMITN_EINPUT,
     "edge 'H2'--'R9'", "no node 'R9' in the file", 14},
    {"test_topo_rejects_bw_with_unit", "bw-with-unit.graphml", -VMITN_EINPUT, "edge 'H1'--'R1'",
     "bad bw '100 Mbit' (key 'bw' is attr.type double: a plain number", 13},
    {"test_topo_rejects_bw_that_overflows_time", "bw-tiny.graphml", -VMITN_EINPUT, "edge 'H1'--'R1'",
     "bad bw '1e-06' (bit/s, a finite number >= 1000)", 13},
    {"test_topo_rejects_id_that_is_a_path", "id-traversal.graphml", -VMITN_EINPUT, "node './../../X'",
     "a node id must be 1 to 63 letters, digits", 12},
    {"test_topo_rejects_host_named_smc", "host-smc.graphml", -VMITN_EINPUT, "node 'smc'",
     "a host may not be named smc", 12},
    {"test_topo_names_the_line_of_a_node", "no-kind.graphml", -VMITN_EINPUT, "node 'R2'", "no kind", 12},
    {"test_topo_names_the_line_of_an_edge", "dup-link.graphml", -VMITN_EINPUT, "edge 'R1'--'R2'",
     "a second link", 19},
};

/* The message is "<path>:<line>: <element>: <reason>" (or without a line for what has
 * none, e.g. the XML itself, whose reason carries igraph's line); nothing is returned. */
static void test_topo_rejects(void **state)
{
    const bad_file *b = *state;
    char path[256], err[VMITN_ERRLEN] = "", prefix[512];
    snprintf(path, sizeof path, DATA "%s", b->file);
    vmitn_topo *t = (vmitn_topo *)&err;   /* must be overwritten with NULL */
    int rc = vmitn_topo_load(path, &t, err, sizeof err);
    assert_int_equal(rc, b->code);
    assert_null(t);
    const char *rest = err + strlen(path);
    if (strncmp(err, path, strlen(path)) != 0 || *rest != ':')
        fail_msg("message \"%s\"\n  expected it to start with \"%s:\"", err, path);
    unsigned line = 0;
    int used = 0;
    if (sscanf(rest, ":%u: %n", &line, &used) == 1 && used > 0)
        rest += used;
    else
        rest += 2; /* ": " */
    if (b->line && line != b->line)
        fail_msg("message \"%s\"\n  expected line %u", err, b->line);
    snprintf(prefix, sizeof prefix, "%s: ", b->element);
    if (strncmp(rest, prefix, strlen(prefix)) != 0 || !strstr(rest + strlen(prefix), b->reason))
        fail_msg("message \"%s\"\n  expected \"%s...%s...\"", err, prefix, b->reason);
}

/* A router graph with a cycle needs a LAN x LAN table: more than 2048 LANs are refused
 * (a tree of any size is not). */
static void test_topo_rejects_too_many_lans_in_a_cycle(void **state)
{
    (void)state;
    char path[] = "/tmp/vmitn-test-topo-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    enum { N = 2049 };
    fprintf(f, "<?xml version=\"1.0\"?>\n"
               "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
               "<key id=\"k\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
               "<key id=\"l\" for=\"node\" attr.name=\"lan\" attr.type=\"string\"/>\n"
               "<key id=\"d\" for=\"edge\" attr.name=\"delay\" attr.type=\"double\"/>\n"
               "<key id=\"b\" for=\"edge\" attr.name=\"bw\" attr.type=\"double\"/>\n"
               "<graph edgedefault=\"undirected\">\n");
    for (unsigned i = 0; i < N; i++)
        fprintf(f, "<node id=\"R%u\"><data key=\"k\">router</data>"
                   "<data key=\"l\">10.%u.%u.0/24</data></node>\n", i, i / 256, i % 256);
    for (unsigned i = 0; i < N; i++)
        fprintf(f, "<edge source=\"R%u\" target=\"R%u\"><data key=\"d\">0.001</data>"
                   "<data key=\"b\">1e6</data></edge>\n", i, (i + 1) % N);
    fprintf(f, "</graph>\n</graphml>\n");
    assert_int_equal(fclose(f), 0);

    char err[VMITN_ERRLEN] = "", want[256];
    vmitn_topo *t = NULL;
    int rc = vmitn_topo_load(path, &t, err, sizeof err);
    remove(path);
    assert_int_equal(rc, -VMITN_EINPUT);
    assert_null(t);
    snprintf(want, sizeof want, "%s: graph: 2049 LANs behind a router graph with cycles; at "
             "most 2048", path);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("message \"%s\", expected \"%s...\"", err, want);
}

/* A short error buffer gets a truncated, terminated message and no overflow (ASan). */
static void test_topo_error_fits_short_buffer(void **state)
{
    (void)state;
    char err[24];
    memset(err, 'x', sizeof err);
    vmitn_topo *t = NULL;
    assert_int_equal(vmitn_topo_load(DATA "dup-addr.graphml", &t, err, 16), -VMITN_EINPUT);
    assert_int_equal(strlen(err), 15);
    assert_int_equal(err[16], 'x');
    assert_int_equal(vmitn_topo_load(DATA "missing.graphml", &t, err, 16), -VMITN_EIO);
    assert_int_equal(strlen(err), 15);
    assert_int_equal(vmitn_topo_generate(0, 1, 2, &t, err, 16), -VMITN_EINPUT);
    assert_int_equal(strlen(err), 15);
    assert_int_equal(vmitn_topo_load(DATA "dup-addr.graphml", &t, NULL, 0), -VMITN_EINPUT);
    assert_null(t);
}

/* Loading again after a failure works (igraph's state is not left broken). */
static void test_topo_loads_after_errors(void **state)
{
    (void)state;
    char err[VMITN_ERRLEN];
    vmitn_topo *t = NULL;
    assert_int_equal(vmitn_topo_load(DATA "truncated.graphml", &t, err, sizeof err),
                     -VMITN_EINPUT);
    assert_int_equal(vmitn_topo_load(DATA "delay-not-number.graphml", &t, err, sizeof err),
                     -VMITN_EINPUT);
    t = load(FIG8);
    assert_int_equal(vmitn_topo_nhosts(t), 7);
    vmitn_topo_free(t);
    vmitn_topo_free(NULL);
}

int main(void)
{
    enum { NBAD = sizeof bad_files / sizeof *bad_files };
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test_setup_teardown(test_topo_fig8_hosts_lans_kinds, fig8_setup, topo_teardown),
        cmocka_unit_test_setup_teardown(test_topo_fig8_routes, fig8_setup, topo_teardown),
        cmocka_unit_test_setup_teardown(test_topo_fig8_self, fig8_setup, topo_teardown),
        cmocka_unit_test_setup_teardown(test_topo_fig8_nohost, fig8_setup, topo_teardown),
        cmocka_unit_test_setup_teardown(test_topo_fig8_noroute, fig8_setup, topo_teardown),
        cmocka_unit_test_setup_teardown(test_topo_fig8_find_addr_and_lan, fig8_setup, topo_teardown),
        cmocka_unit_test(test_topo_ring_routes),
        cmocka_unit_test(test_topo_generate_100x100),
        cmocka_unit_test(test_topo_generate_shapes),
        cmocka_unit_test(test_topo_generate_65536_lans),
        cmocka_unit_test(test_topo_generate_keeps_nothing_per_host),
        cmocka_unit_test(test_topo_generate_rejects_out_of_range),
        cmocka_unit_test(test_topo_seed_igraph),
        cmocka_unit_test(test_topo_rejects_too_many_lans_in_a_cycle),
        cmocka_unit_test(test_topo_error_fits_short_buffer),
        cmocka_unit_test(test_topo_loads_after_errors),
    };
    enum { NFIXED = sizeof fixed / sizeof *fixed };
    struct CMUnitTest tests[NFIXED + NBAD];
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < NBAD; i++)
        tests[NFIXED + i] = (struct CMUnitTest){bad_files[i].test, test_topo_rejects, NULL, NULL,
                                                (void *)&bad_files[i]};
    return _cmocka_run_group_tests("topo", tests, NFIXED + NBAD, NULL, NULL);
}
