/* test_trace.c — captures as traffic, on captures built here with libpcap: a loaded trace
 * holds the file's packets, bytes and times; the mapping onto the emulated hosts is the
 * documented one (busiest inside address first, seeded host order, explicit placements,
 * outside addresses kept or moved out of the topology's LANs) and deterministic; speed,
 * start and loop; the learner over a trace gives what `vmitn learn` gives; every bad
 * capture and map entry has its message. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include "vmitn/metrics.h"
#include "vmitn/model.h"
#include "vmitn/pcapio.h"
#include "vmitn/trace.h"
#include "vmitn/util.h"

#include "testlib.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vmitn-trace-test.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) { return a << 24 | b << 16 | c << 8 | d; }

/* dir/name, written from n packets (Ethernet; packet times from 5000 s). */
static const char *write_capture(const char *name, const pkt *p, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    capture_write(path, p, n, ETH, 5000, 0);
    return path;
}

/* A web client 192.168.1.47 with a server 93.184.216.34, a LAN peer 192.168.1.80 sending a
 * little, a resolver 192.168.1.1, broadcast DHCP, and transit traffic between two outside
 * hosts: 40 packets, 10 ms apart (the last ones 1 s apart). */
static size_t web_capture(pkt *p)
{
    size_t n = 0;
    uint32_t cli = ip(192, 168, 1, 47), srv = ip(93, 184, 216, 34), peer = ip(192, 168, 1, 80), dns = ip(192, 168, 1, 1);
    long long t = 0;
    p[n++] = (pkt){cli, srv, 50000, 80, 6, 0x02, 60, t};
    for (int i = 0; i < 14; i++) {
        t += 10000;
        p[n++] = (pkt){srv, cli, 80, 50000, 6, 0x10, 1500, t};
        t += 10000;
        p[n++] = (pkt){cli, srv, 50000, 80, 6, 0x10, 52, t};
    }
    t += 10000;
    p[n++] = (pkt){cli, dns, 40000, 53, 17, 0, 70, t};
    t += 10000;
    p[n++] = (pkt){dns, cli, 53, 40000, 17, 0, 120, t};
    t += 10000;
    p[n++] = (pkt){peer, cli, 1900, 1900, 17, 0, 300, t};
    t += 10000;
    p[n++] = (pkt){0, ip(255, 255, 255, 255), 68, 67, 17, 0, 328, t};  /* DHCP: not unicast */
    t += 10000;
    p[n++] = (pkt){peer, ip(239, 255, 255, 250), 1900, 1900, 17, 0, 200, t}; /* SSDP multicast */
    for (int i = 0; i < 5; i++) {
        t += 1000000;
        p[n++] = (pkt){ip(8, 8, 8, 8), ip(1, 1, 1, 1), 53, 53, 17, 0, 80, t}; /* transit */
    }
    return n;
}

static vmitn_topo *fig8(void)
{
    vmitn_topo *t;
    char err[VMITN_ERRLEN];
    if (vmitn_topo_load("topologies/vmitn-fig8.graphml", &t, err, sizeof err) != 0)
        fail_msg("%s", err);
    return t;
}

static void load(const char *path, vmitn_trace *tr)
{
    char err[VMITN_ERRLEN];
    int rc = vmitn_trace_load(path, tr, err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
}

static vmitn_trace_map_opts opts(void)
{
    return (vmitn_trace_map_opts){.inside = VMITN_INSIDE_PRIVATE, .speed = 1};
}

/* The fixture most tests start from: web_capture's packets written and loaded, and
 * Fig 8 to map them onto (*state; set up afresh for each test). */
typedef struct web_case {
    pkt p[64];
    size_t n;
    vmitn_trace tr;
    vmitn_topo *t;
} web_case;

static int web_setup(void **state)
{
    static web_case w;
    memset(&w, 0, sizeof w);
    w.n = web_capture(w.p);
    load(write_capture("web.pcap", w.p, w.n), &w.tr);
    w.t = fig8();
    *state = &w;
    return 0;
}

static int web_teardown(void **state)
{
    web_case *w = *state;
    vmitn_topo_free(w->t);
    vmitn_trace_destroy(&w->tr);
    return 0;
}

static void test_trace_holds_the_files_packets_bytes_and_times(void **state)
{
    web_case *w = *state;
    assert_int_equal(w->tr.read, w->n);
    assert_int_equal(w->tr.n, w->n);
    uint64_t bytes = 0;
    for (size_t i = 0; i < w->n; i++) {
        bytes += w->p[i].bytes;
        assert_int_equal(w->tr.pkt[i].t, (w->p[i].t_us - w->p[0].t_us) * 1000);
        assert_int_equal(w->tr.pkt[i].src, w->p[i].src);
        assert_int_equal(w->tr.pkt[i].dst, w->p[i].dst);
        assert_int_equal(w->tr.pkt[i].sport, w->p[i].sport);
        assert_int_equal(w->tr.pkt[i].dport, w->p[i].dport);
        assert_int_equal(w->tr.pkt[i].bytes, w->p[i].bytes);
        assert_int_equal(w->tr.pkt[i].index, i + 1);
    }
    assert_int_equal(w->tr.bytes, bytes);
}

static void test_trace_private_addresses_map_onto_fes_hosts_busiest_first(void **state)
{
    web_case *w = *state;
    vmitn_trace_map_opts o = opts();
    vmitn_replay r;
    char err[VMITN_ERRLEN];
    assert_int_equal(vmitn_replay_map(&w->tr, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    /* inside: the client (32 packets), then the resolver and the peer (2 each; the lower
     * address first), each on its own FES host */
    assert_int_equal(r.ninside, 3);
    assert_int_equal(r.addr[0].addr, ip(192, 168, 1, 47));
    assert_int_equal(r.addr[1].addr, ip(192, 168, 1, 1));
    assert_int_equal(r.addr[2].addr, ip(192, 168, 1, 80));
    for (int i = 0; i < 3; i++) {
        assert_true(r.addr[i].host >= 0);
        assert_int_equal(vmitn_topo_host(w->t, (unsigned)r.addr[i].host).kind, VMITN_HOST_FES);
        assert_int_equal(r.addr[i].mapped, vmitn_topo_host(w->t, (unsigned)r.addr[i].host).addr);
    }
    assert_int_not_equal(r.addr[0].host, r.addr[1].host);
    assert_int_not_equal(r.addr[1].host, r.addr[2].host);
    /* outside addresses keep their value (none lies in a fig8 LAN) */
    assert_int_equal(r.addr[3].addr, ip(93, 184, 216, 34));
    assert_int_equal(r.addr[3].mapped, ip(93, 184, 216, 34));
    assert_int_equal(r.addr[3].host, -1);
    /* skipped: DHCP and SSDP (not unicast), the transit packets; the rest is replayed */
    assert_int_equal(r.skip_nonunicast, 2);
    assert_int_equal(r.skip_outside, 5);
    assert_int_equal(r.skip_same_host, 0);
    assert_int_equal(r.n, w->n - 7);
    /* the client's first packet leaves its host at time 0; the server's answer arrives at it */
    assert_int_equal(r.pkt[0].from, r.addr[0].host);
    assert_int_equal(r.pkt[0].to, -1);
    assert_int_equal(r.pkt[0].t, 0);
    assert_int_equal(r.pkt[1].from, -1);
    assert_int_equal(r.pkt[1].to, r.addr[0].host);
    assert_int_equal(r.pkt[1].t, 10000000);
    assert_int_equal(r.pkt[1].bytes, 1500);
    vmitn_replay_destroy(&r);
}

/* The placement of the busiest client over runs 0..n-1. */
static void placements(const vmitn_trace *tr, const vmitn_topo *t, uint64_t seed, int *host, unsigned n)
{
    vmitn_trace_map_opts o = opts();
    char err[VMITN_ERRLEN];
    for (unsigned run = 0; run < n; run++) {
        vmitn_replay r;
        assert_int_equal(vmitn_replay_map(tr, t, &o, seed, run, 0, &r, err, sizeof err), 0);
        host[run] = r.addr[0].host;
        vmitn_replay_destroy(&r);
    }
}

static void test_trace_mapping_is_deterministic_and_seeded(void **state)
{
    web_case *w = *state;
    int a[60], b[60], c[60];
    placements(&w->tr, w->t, 7, a, 60);
    placements(&w->tr, w->t, 7, b, 60);
    placements(&w->tr, w->t, 8, c, 60);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
    /* every FES host of the testbed gets the client in some run: a seeded order, not a fixed one */
    int hits[64] = {0};
    for (int i = 0; i < 60; i++)
        hits[a[i]]++;
    unsigned used = 0;
    for (unsigned h = 0; h < vmitn_topo_nhosts(w->t); h++)
        used += hits[h] > 0;
    assert_int_equal(used, 6);
}

static void test_trace_explicit_map_clients_auto_and_outside_collisions(void **state)
{
    web_case *w = *state;
    char err[VMITN_ERRLEN];
    vmitn_replay r;
    /* an explicit placement wins; "outside" keeps a private address out */
    vmitn_trace_map_opts o = opts();
    o.map = "192.168.1.47=L3-1,192.168.1.1=outside";
    assert_int_equal(vmitn_replay_map(&w->tr, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    assert_int_equal(r.ninside, 2);
    assert_int_equal(r.addr[0].host, vmitn_topo_find_name(w->t, "L3-1"));
    assert_int_equal(r.addr[1].addr, ip(192, 168, 1, 80));
    vmitn_replay_destroy(&r);
    /* clients: only the addresses that opened a connection (the TCP SYN, the UDP query) */
    o = opts();
    o.inside = VMITN_INSIDE_CLIENTS;
    assert_int_equal(vmitn_replay_map(&w->tr, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    assert_int_equal(r.ninside, 1);
    assert_int_equal(r.addr[0].addr, ip(192, 168, 1, 47));
    vmitn_replay_destroy(&r);
    /* map: only the named ones; an outside address inside a LAN of the topology moves to
     * 198.18/15 */
    static pkt q[4];
    q[0] = (pkt){ip(192, 168, 1, 47), ip(172, 17, 0, 99), 50000, 80, 6, 0x02, 60, 0};
    q[1] = (pkt){ip(172, 17, 0, 99), ip(192, 168, 1, 47), 80, 50000, 6, 0x12, 60, 100};
    vmitn_trace tq;
    load(write_capture("lan.pcap", q, 2), &tq);
    o = opts();
    o.inside = VMITN_INSIDE_MAP;
    o.map = "192.168.1.47=L1-1";
    assert_int_equal(vmitn_replay_map(&tq, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    assert_int_equal(r.ninside, 1);
    assert_int_equal(r.addr[1].addr, ip(172, 17, 0, 99));
    assert_int_equal(r.addr[1].mapped, ip(198, 18, 0, 0));
    assert_int_equal(r.pkt[0].dst, ip(198, 18, 0, 0));
    vmitn_replay_destroy(&r);
    /* both ends on one host: counted, not replayed */
    o.map = "192.168.1.47=L1-1,172.17.0.99=L1-1";
    assert_int_equal(vmitn_replay_map(&tq, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    assert_int_equal(r.skip_same_host, 2);
    assert_int_equal(r.n, 0);
    vmitn_replay_destroy(&r);
    vmitn_trace_destroy(&tq);
    /* auto, with no private address: the clients; with no client either: the busiest */
    static pkt u[4];
    u[0] = (pkt){ip(12, 234, 13, 202), ip(161, 58, 73, 170), 50000, 110, 6, 0x02, 60, 0};
    u[1] = (pkt){ip(161, 58, 73, 170), ip(12, 234, 13, 202), 110, 50000, 6, 0x12, 60, 100};
    u[2] = (pkt){ip(161, 58, 73, 170), ip(8, 8, 4, 4), 110, 50000, 6, 0x10, 60, 200};
    u[3] = (pkt){ip(10, 150, 160, 1), ip(255, 255, 255, 255), 67, 68, 17, 0, 300, 300}; /* private, broadcast only */
    o = opts();
    o.inside = VMITN_INSIDE_AUTO;
    load(write_capture("public.pcap", u, 4), &tq);
    assert_int_equal(vmitn_replay_map(&tq, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    assert_int_equal(r.ninside, 1);
    assert_int_equal(r.addr[0].addr, ip(12, 234, 13, 202));
    vmitn_replay_destroy(&r);
    vmitn_trace_destroy(&tq);
    u[0].flags = 0x10; /* mid-session: nobody opens a connection */
    load(write_capture("public.pcap", u, 4), &tq);
    assert_int_equal(vmitn_replay_map(&tq, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    assert_int_equal(r.ninside, 1);
    assert_int_equal(r.addr[0].addr, ip(161, 58, 73, 170));
    assert_int_equal(r.n, 3);
    vmitn_replay_destroy(&r);
    vmitn_trace_destroy(&tq);
    /* auto on a capture with private addresses is private */
    o.inside = VMITN_INSIDE_AUTO;
    assert_int_equal(vmitn_replay_map(&w->tr, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    assert_int_equal(r.ninside, 3);
    vmitn_replay_destroy(&r);
}

static void test_trace_speed_start_and_loop(void **state)
{
    web_case *w = *state;
    char err[VMITN_ERRLEN];
    vmitn_replay r;
    vmitn_trace_map_opts o = opts();
    o.speed = 4;
    o.start = 2.5;
    o.loop = true;
    assert_int_equal(vmitn_replay_map(&w->tr, w->t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    assert_int_equal(r.pkt[0].t, 2500000000LL);
    assert_int_equal(r.pkt[1].t, 2500000000LL + 2500000);
    /* period: the capture's length plus one mean gap, over the speed */
    long long len = (w->p[w->n - 1].t_us - w->p[0].t_us) * 1000, gap = len / (long long)(w->n - 1);
    assert_int_equal(r.period, (len + gap) / 4);
    vmitn_replay_destroy(&r);
    o.speed = 0;
    assert_int_equal(vmitn_replay_map(&w->tr, w->t, &o, 1, 0, 0, &r, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_speed: 0 is out of range"));
}

static void quiet_model(vmitn_model_cfg *c, const char *trace, double duration);

/* A capture spanning 2^31 s slowed a million times would last beyond what the clock holds:
 * refused, naming the parameter and the file, by the check every run and the experiment's
 * load make (no float-to-integer conversion overflows). */
static void test_trace_timing_refuses_what_the_clock_cannot_hold(void **state)
{
    (void)state;
    static pkt p[3];
    p[0] = (pkt){ip(192, 168, 1, 2), ip(8, 8, 8, 8), 5000, 53, 17, 0, 60, 0};
    p[1] = p[0];
    p[1].t_us = 1000000LL; /* 1 s */
    p[2] = p[0];
    const long long span = (1LL << 31) - 10000; /* s: ~68 years, the most a classic pcap from 5000 s holds */
    p[2].t_us = span * 1000000LL;
    vmitn_trace tr;
    const char *path = write_capture("long.pcap", p, 3);
    load(path, &tr);
    assert_int_equal(tr.pkt[2].t, span * 1000000000LL);
    vmitn_topo *t = fig8();
    char err[VMITN_ERRLEN];
    vmitn_replay r;
    vmitn_trace_map_opts o = opts();
    assert_int_equal(vmitn_replay_map(&tr, t, &o, 1, 0, 0, &r, err, sizeof err), 0); /* speed 1: it fits */
    assert_int_equal(r.pkt[r.n - 1].t, span * 1000000000LL);
    vmitn_replay_destroy(&r);
    o.speed = 1e-6;
    assert_int_equal(vmitn_replay_timing(&tr, &o, NULL, err, sizeof err), -VMITN_EINPUT);
    assert_int_equal(vmitn_replay_map(&tr, t, &o, 1, 0, 0, &r, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_speed: "));
    assert_non_null(strstr(err, "long.pcap spans 2.14747e+09 s"));
    assert_non_null(strstr(err, "raise legit.trace_speed"));
    assert_null(r.pkt);
    /* the loop period at speed 1 too: length + one mean gap (half of it) fits, at 1e-3 not */
    o.speed = 1;
    o.loop = true;
    vmitn_time period;
    assert_int_equal(vmitn_replay_timing(&tr, &o, &period, err, sizeof err), 0);
    assert_int_equal(period, span * 1000000000LL + span * 1000000000LL / 2);
    o.speed = 1e-3;
    assert_int_equal(vmitn_replay_timing(&tr, &o, &period, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_speed: "));
    /* whatever the experiment loads is checked the same way, before any run */
    vmitn_trace_set set;
    o.speed = 1e-6;
    o.loop = false;
    assert_int_equal(vmitn_trace_set_load(path, &o, &set, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "long.pcap spans"));
    assert_int_equal(set.n, 0);
    assert_null(set.tr);
    /* and a model run alone refuses it, never reaching the scheduler with a wrapped time */
    vmitn_model_cfg c;
    quiet_model(&c, path, 10);
    c.legit.trace_speed = 1e-6;
    assert_int_equal(vmitn_model_run(&c, t, 1, 0, NULL, 0, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_speed: "));
    /* out-of-range options from a library caller */
    o.speed = 2e6;
    assert_int_equal(vmitn_replay_timing(&tr, &o, NULL, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_speed: 2e+06 is out of range"));
    o.speed = 1;
    o.start = -1;
    assert_int_equal(vmitn_replay_timing(&tr, &o, NULL, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_start: -1 is out of range"));
    vmitn_topo_free(t);
    vmitn_trace_destroy(&tr);
}

/* A loop repeats at most every 1 ms: a capture whose clock never moves (one time for every
 * packet, or times held because they went back) or a very fast one is refused, naming the
 * parameter and the file; the work a replay costs is counted. */
static void test_trace_loop_period_is_bounded_and_counted(void **state)
{
    (void)state;
    static pkt p[64];
    size_t n = web_capture(p);
    vmitn_trace tr, flat;
    load(write_capture("web.pcap", p, n), &tr);
    static pkt q[5];
    for (int i = 0; i < 5; i++) /* times that go back are held: every packet at the first one's time */
        q[i] = (pkt){ip(192, 168, 1, 2), ip(8, 8, 8, 8), 5000, 53, 17, 0, 60, (5 - i) * 1000000LL};
    const char *fp = write_capture("flat.pcap", q, 5);
    load(fp, &flat);
    char err[VMITN_ERRLEN];
    vmitn_trace_map_opts o = opts();
    o.loop = true;
    vmitn_time period;
    assert_int_equal(vmitn_replay_timing(&flat, &o, &period, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_loop: "));
    assert_non_null(strstr(err, "flat.pcap would repeat every 1e-09 s (its 5 packets span 0 s: every packet has one time"));
    assert_non_null(strstr(err, "under the 1 ms a loop may take"));
    vmitn_topo *t = fig8();
    vmitn_replay r;
    assert_int_equal(vmitn_replay_map(&flat, t, &o, 1, 0, 0, &r, err, sizeof err), -VMITN_EINPUT);
    o.loop = false; /* without a loop it is 5 packets at once */
    assert_int_equal(vmitn_replay_map(&flat, t, &o, 1, 0, 0, &r, err, sizeof err), 0);
    vmitn_replay_destroy(&r);
    /* an ordinary capture a million times faster loops every few microseconds */
    o.loop = true;
    o.speed = 1e6;
    assert_int_equal(vmitn_replay_timing(&tr, &o, &period, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "web.pcap would repeat every"));
    assert_non_null(strstr(err, "at trace_speed 1e+06"));
    /* the work: 2 events a packet, once without loop, every pass with */
    long long len = (p[n - 1].t_us - p[0].t_us) * 1000, gap = len / (long long)(n - 1);
    o.speed = 1;
    o.loop = false;
    assert_true(vmitn_replay_events(&tr, &o, 100) == 2.0 * (double)n);
    o.start = 200;
    assert_true(vmitn_replay_events(&tr, &o, 100) == 0); /* starts after the end */
    o.start = 0;
    o.loop = true;
    assert_int_equal(vmitn_replay_timing(&tr, &o, &period, err, sizeof err), 0);
    assert_int_equal(period, len + gap);
    double passes = floor(100e9 / (double)(len + gap)) + 1;
    assert_true(vmitn_replay_events(&tr, &o, 100) == 2.0 * (double)n * passes);
    vmitn_trace_set set = {.tr = &tr, .n = 1};
    assert_true(vmitn_trace_set_events(&set, &o, 100) == 2.0 * (double)n * passes);
    vmitn_topo_free(t);
    vmitn_trace_destroy(&flat);
    vmitn_trace_destroy(&tr);
}

/* One address placed two ways, or an address with a leading zero (octal to some readers):
 * refused, naming the entries. */
static void test_trace_map_conflicts_and_leading_zeros(void **state)
{
    (void)state;
    vmitn_topo *t = fig8();
    char err[VMITN_ERRLEN];
    assert_int_equal(vmitn_trace_map_check("172.16.0.11=L1-1,8.8.8.8=outside,172.16.0.11=outside", t, err, sizeof err),
                     -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_map: 172.16.0.11 is placed twice, at 'L1-1' and at 'outside'"));
    assert_int_equal(vmitn_trace_map_check("172.16.0.11=L1-1,172.16.0.11=L1-2", NULL, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "placed twice, at 'L1-1' and at 'L1-2'"));
    assert_int_equal(vmitn_trace_map_check("172.16.0.11=L1-1,172.16.0.11=L1-1", t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_map: '172.16.0.11=L1-1' is given twice"));
    assert_int_equal(vmitn_trace_map_check("172.16.0.011=L1-1", t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_map: '172.16.0.011' is not an IPv4 address"));
    assert_int_equal(vmitn_trace_map_check("172.016.0.1=L1-1", t, err, sizeof err), -VMITN_EINPUT);
    assert_int_equal(vmitn_trace_map_check("172.16.0.0=L1-1,10.0.0.10=outside", t, err, sizeof err), 0);
    uint32_t a;
    assert_int_equal(vmitn_ip_parse("010.0.0.1", &a), -1);
    assert_int_equal(vmitn_ip_parse("10.0.0.00", &a), -1);
    assert_int_equal(vmitn_ip_parse("10.0.0.0", &a), 0);
    assert_int_equal(vmitn_ip_parse("100.200.0.255", &a), 0);
    assert_int_equal(a, ip(100, 200, 0, 255));
    vmitn_pattern pat;
    assert_int_equal(vmitn_pattern_parse("10.0.0.01,*,80", &pat), -1);
    vmitn_topo_free(t);
}

static void test_trace_bad_captures_and_map_entries(void **state)
{
    (void)state;
    char err[VMITN_ERRLEN], path[128];
    vmitn_trace tr;
    snprintf(path, sizeof path, "%s/none.pcap", dir);
    assert_int_equal(vmitn_trace_load(path, &tr, err, sizeof err), -VMITN_EIO);
    assert_non_null(strstr(err, "none.pcap: cannot read"));
    snprintf(path, sizeof path, "%s/text.pcap", dir);
    FILE *f = fopen(path, "w");
    fputs("no capture\n", f);
    fclose(f);
    assert_int_equal(vmitn_trace_load(path, &tr, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "text.pcap: not a pcap or pcapng capture"));
    /* cut inside packet 21: refused, naming the file and the packet */
    static pkt p[64];
    size_t n = web_capture(p);
    const char *full = write_capture("cut.pcap", p, n);
    assert_int_equal(truncate(full, 24 + 20 * (16 + 54) + 30), 0);
    assert_int_equal(vmitn_trace_load(full, &tr, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "cut.pcap: the capture stops inside packet 21"));
    assert_non_null(strstr(err, "a replayed capture must be whole"));
    assert_null(tr.pkt);
    /* map entries */
    vmitn_topo *t = fig8();
    static const struct { const char *map, *msg; } bad[] = {
        {"192.168.1.47", "legit.trace_map: '192.168.1.47': expected ADDR=HOST or ADDR=outside"},
        {"192.168.1.477=L1-1", "legit.trace_map: '192.168.1.477' is not an IPv4 address"},
        {"192.168.1.47=L9-9", "legit.trace_map: '192.168.1.47=L9-9': no FES host named 'L9-9' in the topology"},
        {"192.168.1.47=L1-1,", "legit.trace_map: ends with a comma"},
        {"192.168.1.47=L1-1,,10.0.0.1=L1-2", "legit.trace_map: '': expected ADDR=HOST"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(vmitn_trace_map_check(bad[i].map, t, err, sizeof err), -VMITN_EINPUT);
        if (strstr(err, bad[i].msg) == NULL)
            fail_msg("map '%s': got '%s', want '%s'", bad[i].map, err, bad[i].msg);
    }
    assert_int_equal(vmitn_trace_map_check("192.168.1.47=L1-1,8.8.8.8=outside", t, err, sizeof err), 0);
    vmitn_topo_free(t);
}

/* The learner over a trace gives `vmitn learn`'s rules at `vmitn learn`'s times. */
static void test_trace_learn_equals_vmitn_learn(void **state)
{
    (void)state;
    enum { N = 3000 };
    static pkt p[N];
    uint64_t s = 3;
    for (int i = 0; i < N; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        /* a spoofed flood to one victim after 1 s of a few web requests */
        if (i < 50)
            p[i] = (pkt){ip(10, 0, 0, 1 + (unsigned)(s >> 60)), ip(10, 0, 1, 1), 40000, 80, 6, 0x02, 60, i * 20000LL};
        else
            p[i] = (pkt){(uint32_t)(s >> 32), ip(10, 0, 1, 9), 1234, 53, 17, 0, 60, 1000000 + (i - 50) * 500LL};
    }
    const char *path = write_capture("flood.pcap", p, N);
    vmitn_learner_cfg cfg;
    vmitn_learner_cfg_default(&cfg);
    char text[8192];
    FILE *out = fmemopen(text, sizeof text, "w");
    vmitn_trace_stats st;
    assert_int_equal(vmitn_pcap_learn(path, &cfg, out, NULL, &st), VMITN_EXIT_OK);
    fclose(out);
    vmitn_trace tr;
    load(path, &tr);
    vmitn_pattern truth;
    assert_int_equal(vmitn_pattern_parse("*,10.0.1.9,53", &truth), 0);
    vmitn_trace_eval ev;
    char err[VMITN_ERRLEN];
    assert_int_equal(vmitn_trace_learn(&tr, &cfg, &truth, 0, &ev, err, sizeof err), 0);
    assert_int_equal(ev.fed, st.fed);
    assert_int_equal(ev.nrules, st.rules);
    assert_true(ev.nrules >= 1);
    /* each rule line of vmitn learn: its pattern and packet number */
    const char *line = text;
    for (size_t r = 0; r < ev.nrules; r++) {
        char pat[64], want[128];
        vmitn_pattern_format(&ev.rules[r].pat, pat, sizeof pat);
        snprintf(want, sizeof want, "rule %zu: %-32s learned at", r + 1, pat);
        line = strstr(line, want);
        assert_non_null(line);
        snprintf(want, sizeof want, "%.6f s after the first packet (packet %u;", (double)ev.rules[r].t * 1e-9,
                 tr.pkt[ev.rules[r].packet].index);
        assert_non_null(strstr(line, want));
    }
    /* the flood: detected, with its own rule, from 1 s on */
    assert_int_equal(ev.attack, N - 50);
    assert_int_equal(ev.attack_start, 1000000000LL);
    assert_true(ev.detect >= 0);
    assert_true(ev.right);
    assert_true(ev.attack_dropped > (N - 50) / 2);
    assert_int_equal(ev.other_dropped, 0);
    vmitn_trace_eval_destroy(&ev);
    vmitn_trace_destroy(&tr);
}

static void test_trace_patterns_parse_and_nest(void **state)
{
    (void)state;
    vmitn_pattern a, b, c;
    assert_int_equal(vmitn_pattern_parse("*,10.10.10.10,*", &a), 0);
    assert_int_equal(vmitn_pattern_parse("*,10.10.10.10,4500", &b), 0);
    assert_int_equal(vmitn_pattern_parse("*,*,4500", &c), 0);
    assert_true(vmitn_pattern_within(&b, &a));
    assert_false(vmitn_pattern_within(&a, &b));
    assert_false(vmitn_pattern_within(&c, &a));
    assert_true(vmitn_pattern_within(&a, &a));
    char buf[64];
    vmitn_pattern_format(&b, buf, sizeof buf);
    assert_string_equal(buf, "*,10.10.10.10,4500");
    static const char *const bad[] = {"", "*", "*,*", "*,*,*,*", "1.2.3,*,*", "*,*,65536", "*,*,-1", "*,*,8x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(vmitn_pattern_parse(bad[i], &a), -1);
}

/* ---- replayed as the emulated network's legitimate traffic (legit.trace) ---- */

typedef struct seen_pkt {
    vmitn_time t;
    uint32_t src, dst;
    uint16_t bytes;
    int fate, from, to;
} seen_pkt;

typedef struct recorder {
    seen_pkt *p;
    size_t n, cap;
    uint64_t sent, sent_bytes, blocked, hash;
    vmitn_time first_rule; /* when the first rule was active at some AGENT */
} recorder;

static void rec_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    recorder *r = ctx;
    if (p->kind != VMITN_PKT_REPLAY)
        return;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1024;
        r->p = realloc(r->p, r->cap * sizeof *r->p);
    }
    r->p[r->n++] = (seen_pkt){t, p->src, p->dst, p->bytes, (int)f, p->from, p->to};
    if (f == VMITN_PKT_SENT) {
        r->sent++;
        r->sent_bytes += p->bytes;
    }
    if (f == VMITN_PKT_BLOCKED_IN || f == VMITN_PKT_BLOCKED_OUT)
        r->blocked++;
    uint64_t v[4] = {(uint64_t)t, (uint64_t)p->src << 32 | p->dst, (uint64_t)f, (uint64_t)(uint32_t)p->from};
    r->hash = vmitn_hash(r->hash ? r->hash : VMITN_HASH_INIT, v, sizeof v);
}

static void rec_rule(void *ctx, vmitn_time t, const vmitn_pattern *p, int agent, unsigned nagents)
{
    (void)p, (void)nagents;
    recorder *r = ctx;
    if (agent >= 0 && r->first_rule < 0)
        r->first_rule = t;
}

static void quiet_model(vmitn_model_cfg *c, const char *trace, double duration)
{
    vmitn_model_cfg_default(c);
    c->worm.enabled = false;
    c->duration = duration;
    snprintf(c->legit.trace, sizeof c->legit.trace, "%s", trace);
}

static void run_model(const vmitn_model_cfg *c, const vmitn_topo *t, unsigned run, recorder *r, vmitn_metrics *m)
{
    memset(r, 0, sizeof *r);
    r->first_rule = -1;
    vmitn_observer obs[2] = {{.ctx = r, .packet = rec_packet, .rule = rec_rule}};
    unsigned nobs = 1;
    if (m) {
        obs[1] = vmitn_metrics_observer(m);
        nobs = 2;
        vmitn_metrics_begin_run(m, run);
    }
    char err[VMITN_ERRLEN];
    int rc = vmitn_model_run(c, t, 1, run, obs, nobs, err, sizeof err);
    if (rc != 0)
        fail_msg("vmitn_model_run: %s", err);
    if (m)
        vmitn_metrics_end_run(m);
}

/* Every replayed packet is sent once, at its capture time, with its bytes, on the Fig 8
 * testbed and on a generated network; the mapping is the one vmitn_replay_map gives. */
static void test_trace_replay_sends_the_files_packets_at_their_times(void **state)
{
    (void)state;
    static pkt p[64];
    size_t n = web_capture(p);
    const char *path = write_capture("web.pcap", p, n);
    vmitn_trace tr;
    load(path, &tr);
    vmitn_topo *topos[2] = {fig8(), NULL};
    char err[VMITN_ERRLEN];
    assert_int_equal(vmitn_topo_generate(3, 4, 2, &topos[1], err, sizeof err), 0);
    for (int k = 0; k < 2; k++) {
        vmitn_model_cfg c;
        quiet_model(&c, path, 10);
        if (k == 1)
            snprintf(c.topology, sizeof c.topology, "generate:3:4:2");
        for (unsigned run = 0; run < 3; run++) {
            recorder r;
            run_model(&c, topos[k], run, &r, NULL);
            vmitn_trace_map_opts o = opts();
            vmitn_replay want;
            assert_int_equal(vmitn_replay_map(&tr, topos[k], &o, 1, run, 0, &want, err, sizeof err), 0);
            assert_int_equal(r.sent, want.n);
            assert_int_equal(r.sent, n - 7);
            uint64_t bytes = 0;
            size_t j = 0;
            for (size_t i = 0; i < r.n; i++) {
                if (r.p[i].fate != VMITN_PKT_SENT)
                    continue;
                /* in order, at the capture's time, with its addresses as mapped */
                assert_int_equal(r.p[i].t, want.pkt[j].t);
                assert_int_equal(r.p[i].src, want.pkt[j].src);
                assert_int_equal(r.p[i].dst, want.pkt[j].dst);
                assert_int_equal(r.p[i].bytes, want.pkt[j].bytes);
                bytes += r.p[i].bytes;
                j++;
            }
            uint64_t file_bytes = 0;
            for (size_t i = 0; i < n; i++)
                if (i != n - 7 && i != n - 6 && i < n - 5) /* DHCP, SSDP and the transit packets are not replayed */
                    file_bytes += p[i].bytes;
            assert_int_equal(bytes, file_bytes);
            assert_int_equal(want.pkt[1].t, (p[1].t_us - p[0].t_us) * 1000);
            vmitn_replay_destroy(&want);
            free(r.p);
        }
    }
    vmitn_topo_free(topos[0]);
    vmitn_topo_free(topos[1]);
    vmitn_trace_destroy(&tr);
}

/* Same capture and seed: the same packets, times and fates; another run places the client
 * elsewhere.  Looping repeats the capture every period. */
static void test_trace_replay_is_deterministic_and_loops(void **state)
{
    (void)state;
    static pkt p[64];
    size_t n = web_capture(p);
    const char *path = write_capture("web.pcap", p, n);
    vmitn_topo *t = fig8();
    vmitn_model_cfg c;
    quiet_model(&c, path, 10);
    c.smc.learning = true;
    recorder a, b, d;
    run_model(&c, t, 4, &a, NULL);
    run_model(&c, t, 4, &b, NULL);
    assert_int_equal(a.n, b.n);
    assert_true(a.hash == b.hash);
    unsigned differ = 0;
    for (unsigned run = 5; run < 10; run++) {
        run_model(&c, t, run, &d, NULL);
        differ += d.hash != a.hash;
        free(d.p);
    }
    assert_true(differ > 0);
    free(a.p);
    free(b.p);
    /* loop: 40 s of a capture whose period is 5.35 s + one mean gap */
    c.legit.trace_loop = true;
    c.duration = 40;
    c.smc.learning = false;
    run_model(&c, t, 0, &a, NULL);
    vmitn_trace tr;
    load(path, &tr);
    vmitn_trace_map_opts o = opts();
    o.loop = true;
    vmitn_replay want;
    char err[VMITN_ERRLEN];
    assert_int_equal(vmitn_replay_map(&tr, t, &o, 1, 0, 0, &want, err, sizeof err), 0);
    uint64_t expect = 0;
    for (vmitn_time off = 0; off <= vmitn_secs(40); off += want.period)
        for (size_t i = 0; i < want.n; i++)
            expect += want.pkt[i].t + off <= vmitn_secs(40);
    assert_int_equal(a.sent, expect);
    assert_true(a.sent > 6 * want.n);
    vmitn_replay_destroy(&want);
    vmitn_trace_destroy(&tr);
    free(a.p);
    vmitn_topo_free(t);
}

/* A busy client trains the learner; the rule's AGENTs then drop replayed packets, and the
 * metrics count every one (collateral damage on real traffic). */
static void test_trace_replay_blocking_is_counted(void **state)
{
    (void)state;
    enum { N = 1500 };
    static pkt p[N];
    for (int i = 0; i < N; i++) /* 300 requests/s from one client to one server, and the answers */
        p[i] = i % 2 ? (pkt){ip(93, 184, 216, 34), ip(192, 168, 1, 47), 443, 50000, 6, 0x10, 1500, i * 1667LL}
                     : (pkt){ip(192, 168, 1, 47), ip(93, 184, 216, 34), 50000, 443, 6, 0x10, 52, i * 1667LL};
    const char *path = write_capture("busy.pcap", p, N);
    vmitn_topo *t = fig8();
    vmitn_model_cfg c;
    quiet_model(&c, path, 5);
    c.smc.learning = true;
    vmitn_metrics *m = vmitn_metrics_new(&c, vmitn_topo_nhosts(t), 6, 1);
    recorder r;
    run_model(&c, t, 0, &r, m);
    assert_true(r.first_rule >= 0);
    assert_true(r.blocked > 0);
    size_t iblocked = 0, isent = 0;
    for (size_t i = 0; i < vmitn_metrics_nreplay(); i++) {
        if (strcmp(vmitn_metrics_replay_name(i), "blocked") == 0)
            iblocked = i;
        if (strcmp(vmitn_metrics_replay_name(i), "sent") == 0)
            isent = i;
    }
    assert_int_equal((uint64_t)vmitn_metrics_replay_value(m, 0, iblocked), r.blocked);
    assert_int_equal((uint64_t)vmitn_metrics_replay_value(m, 0, isent), r.sent);
    assert_int_equal(r.sent, N);
    for (size_t i = 0; i < r.n; i++)
        if (r.p[i].fate == VMITN_PKT_BLOCKED_IN || r.p[i].fate == VMITN_PKT_BLOCKED_OUT)
            assert_true(r.p[i].t >= r.first_rule);
    /* without the learner nothing is blocked */
    c.smc.learning = false;
    free(r.p);
    run_model(&c, t, 0, &r, NULL);
    assert_int_equal(r.blocked, 0);
    free(r.p);
    vmitn_metrics_free(m);
    vmitn_topo_free(t);
}

/* Bad traces through the model: the file and the parameter are named, nothing runs. */
static void test_trace_replay_bad_traces(void **state)
{
    (void)state;
    vmitn_topo *t = fig8();
    vmitn_model_cfg c;
    char err[VMITN_ERRLEN], path[128];
    snprintf(path, sizeof path, "%s/absent.pcap", dir);
    quiet_model(&c, path, 1);
    assert_int_equal(vmitn_model_run(&c, t, 1, 0, NULL, 0, err, sizeof err), -VMITN_EIO);
    assert_non_null(strstr(err, "legit.trace: "));
    assert_non_null(strstr(err, "absent.pcap: cannot read"));
    quiet_model(&c, "a.pcap,", 1);
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace: ends with a comma"));
    quiet_model(&c, "a.pcap,,b.pcap", 1);
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace: an empty file name"));
    quiet_model(&c, "", 1);
    snprintf(c.legit.trace_map, sizeof c.legit.trace_map, "10.0.0.1=L1-1");
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "legit.trace_map is set, but legit.trace names no capture"));
    quiet_model(&c, "a.pcap", 1);
    snprintf(c.legit.trace_map, sizeof c.legit.trace_map, "10.0.0.1=L7-1");
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "no FES host named 'L7-1'"));
    vmitn_topo_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_trace_holds_the_files_packets_bytes_and_times, web_setup, web_teardown),
        cmocka_unit_test_setup_teardown(test_trace_private_addresses_map_onto_fes_hosts_busiest_first, web_setup, web_teardown),
        cmocka_unit_test_setup_teardown(test_trace_mapping_is_deterministic_and_seeded, web_setup, web_teardown),
        cmocka_unit_test_setup_teardown(test_trace_explicit_map_clients_auto_and_outside_collisions, web_setup, web_teardown),
        cmocka_unit_test_setup_teardown(test_trace_speed_start_and_loop, web_setup, web_teardown),
        cmocka_unit_test(test_trace_timing_refuses_what_the_clock_cannot_hold),
        cmocka_unit_test(test_trace_loop_period_is_bounded_and_counted),
        cmocka_unit_test(test_trace_map_conflicts_and_leading_zeros),
        cmocka_unit_test(test_trace_bad_captures_and_map_entries),
        cmocka_unit_test(test_trace_learn_equals_vmitn_learn),
        cmocka_unit_test(test_trace_patterns_parse_and_nest),
        cmocka_unit_test(test_trace_replay_sends_the_files_packets_at_their_times),
        cmocka_unit_test(test_trace_replay_is_deterministic_and_loops),
        cmocka_unit_test(test_trace_replay_blocking_is_counted),
        cmocka_unit_test(test_trace_replay_bad_traces),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
