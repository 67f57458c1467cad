/* test_pcap.c — `vmitn learn` on captures built here with libpcap (and one pcapng built
 * by hand): the rules an analyst would write for a flood and a sweep, none for random or
 * light benign traffic, every supported link type, skipped packets by reason, and every
 * bad capture with its message. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include "vmitn/pcapio.h"
#include "vmitn/util.h"

#include "testlib.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vmitn-pcap-test.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* A tiny deterministic generator for the traffic (the learner itself draws nothing). */
static uint32_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 32);
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }

/* A packet to port dport from port 1234, header only (40 bytes of IP). */
static pkt ipkt(uint32_t src, uint32_t dst, uint16_t dport, uint8_t proto)
{
    return (pkt){src, dst, 1234, dport, proto, 0, 40, 0};
}

/* Writes n packets, one every `gap_us` microseconds, to dir/name. */
static const char *write_capture(const char *name, const pkt *p, size_t n, enum framing fr, unsigned gap_us)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    capture_write(path, p, n, fr, 1000, gap_us);
    return path;
}

static vmitn_learner_cfg defaults(void)
{
    vmitn_learner_cfg c;
    vmitn_learner_cfg_default(&c);
    return c;
}

/* Learns from a capture; returns the output text (static) and the stats. */
static const char *learn(const char *path, vmitn_trace_stats *st, int *rc)
{
    static char text[8192];
    FILE *f = fmemopen(text, sizeof text, "w");
    vmitn_learner_cfg c = defaults();
    *rc = vmitn_pcap_learn(path, &c, f, NULL, st);
    fclose(f);
    return text;
}

#define N 2000

static void test_pcap_flood_to_one_victim(void **state)
{
    (void)state;
    static pkt p[N];
    uint64_t s = 1;
    for (int i = 0; i < N; i++)
        p[i] = ipkt(lcg(&s), 0xc0a80101, 80, 6); /* spoofed sources -> 192.168.1.1:80 */
    vmitn_trace_stats st;
    int rc;
    const char *out = learn(write_capture("flood.pcap", p, N, ETH, 1000), &st, &rc);
    assert_int_equal(rc, VMITN_EXIT_OK);
    assert_int_equal(st.rules, 1);
    assert_non_null(strstr(out, "rule 1: *,192.168.1.1,80 "));
    assert_int_equal(st.read, N);
    assert_int_equal(st.fed, N);
}

static void test_pcap_sweep_of_a_24(void **state)
{
    (void)state;
    static pkt p[N];
    for (int i = 0; i < N; i++)
        p[i] = ipkt(0x0a000005, 0x0a010200 | (uint32_t)(i % 256), 445, 6); /* 10.0.0.5 sweeps 10.1.2.0/24:445 */
    vmitn_trace_stats st;
    int rc;
    const char *out = learn(write_capture("sweep.pcap", p, N, ETH, 1000), &st, &rc);
    assert_int_equal(st.rules, 1);
    assert_non_null(strstr(out, "rule 1: 10.0.0.5,*,445 "));
}

static void test_pcap_random_and_light_benign_traffic_learn_nothing(void **state)
{
    (void)state;
    static pkt p[20000];
    uint64_t s = 7;
    for (int i = 0; i < 20000; i++)
        p[i] = (pkt){lcg(&s), lcg(&s), 1234, (uint16_t)lcg(&s), 17, 0, 40, 0}; /* a list, not ipkt(): draws in this order */
    vmitn_trace_stats st;
    int rc;
    learn(write_capture("random.pcap", p, 20000, ETH, 100), &st, &rc);
    assert_int_equal(st.rules, 0);
    /* benign: 6 clients and 3 servers, web, mail, DNS and TLS, 4 packets/s in all for
     * 10 minutes: no value is seen often enough to pass stage 1's lambda = 10 with a
     * 1 s half-life (a steady rate below 10 ln 2 / 1 s = 6.9 packets/s never does) */
    static const uint16_t ports[] = {80, 25, 53, 443};
    for (int i = 0; i < 2400; i++)
        p[i] = (pkt){0xac100000 | (lcg(&s) % 6), 0xac100100 | (lcg(&s) % 3), 1234, ports[lcg(&s) % 4], 6, 0, 40, 0};
    learn(write_capture("benign.pcap", p, 2400, ETH, 250000), &st, &rc);
    assert_int_equal(rc, VMITN_EXIT_OK);
    assert_int_equal(st.fed, 2400);
    assert_int_equal(st.rules, 0);
}

/* The same packets framed four ways give the same rule after the same packet. */
static void test_pcap_link_types(void **state)
{
    (void)state;
    static pkt p[500];
    uint64_t s = 3;
    for (int i = 0; i < 500; i++)
        p[i] = ipkt(lcg(&s), 0x0a0a0a0a, 53, 17);
    static const enum framing fr[] = {ETH, ETH_VLAN, SLL, RAW};
    char first[256] = "";
    for (int k = 0; k < 4; k++) {
        char name[32];
        snprintf(name, sizeof name, "link%d.pcap", k);
        vmitn_trace_stats st;
        int rc;
        const char *out = learn(write_capture(name, p, 500, fr[k], 1000), &st, &rc);
        assert_int_equal(rc, VMITN_EXIT_OK);
        assert_int_equal(st.fed, 500);
        assert_int_equal(st.rules, 1);
        const char *nl = strchr(out, '\n');
        if (k == 0)
            snprintf(first, sizeof first, "%.*s", (int)(nl - out), out);
        else
            assert_memory_equal(out, first, strlen(first));
    }
}

/* A pcapng file (section header, interface description, enhanced packet blocks), built
 * by hand since libpcap writes only pcap. */
static void test_pcap_reads_pcapng(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/flood.pcapng", dir);
    FILE *f = fopen(path, "wb");
    uint32_t shb[] = {0x0A0D0D0A, 28, 0x1A2B3C4D, 0x00000001, 0xffffffff, 0xffffffff, 28};
    fwrite(shb, sizeof shb, 1, f);
    uint32_t idb[] = {1, 20, DLT_EN10MB | (0u << 16), 65535, 20};
    fwrite(idb, sizeof idb, 1, f);
    uint64_t s = 11;
    for (int i = 0; i < 300; i++) {
        pkt k = ipkt(lcg(&s), 0x0a000001, 80, 6);
        uint8_t b[128];
        unsigned len = capture_frame(b, &k, ETH), padded = (len + 3) & ~3u;
        uint64_t ts = 1000000000ULL + (uint64_t)i * 1000; /* microseconds */
        uint32_t epb[] = {6, 32 + padded, 0, (uint32_t)(ts >> 32), (uint32_t)ts, len, len};
        fwrite(epb, sizeof epb, 1, f);
        fwrite(b, padded, 1, f);
        uint32_t tail = 32 + padded;
        fwrite(&tail, 4, 1, f);
    }
    fclose(f);
    vmitn_trace_stats st;
    int rc;
    const char *out = learn(path, &st, &rc);
    assert_int_equal(rc, VMITN_EXIT_OK);
    assert_int_equal(st.read, 300);
    assert_non_null(strstr(out, "*,10.0.0.1,80"));
}

/* Skipped packets, by reason: ARP and IPv6 (non-IPv4), a frame cut short (truncated), a
 * later fragment (no ports). */
static void test_pcap_skips_by_reason(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/mixed.pcap", dir);
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    uint8_t b[128];
    struct pcap_pkthdr h = {.ts = {1, 0}};
    pkt k = ipkt(1, 2, 80, 6);
    memset(b, 0, sizeof b);
    put16(b + 12, 0x0806); /* ARP */
    h.caplen = h.len = 42;
    pcap_dump((u_char *)d, &h, b);
    put16(b + 12, 0x86dd); /* IPv6 */
    h.caplen = h.len = 54;
    pcap_dump((u_char *)d, &h, b);
    h.len = capture_frame(b, &k, ETH); /* cut inside the IPv4 header */
    h.caplen = 24;
    pcap_dump((u_char *)d, &h, b);
    h.caplen = h.len = capture_frame(b, &k, ETH);
    put16(b + 14 + 6, 185); /* fragment offset 185 * 8 */
    pcap_dump((u_char *)d, &h, b);
    h.caplen = h.len = capture_frame(b, &k, ETH); /* one whole packet */
    pcap_dump((u_char *)d, &h, b);
    pcap_dump_close(d);
    pcap_close(dead);
    vmitn_trace_stats st;
    int rc;
    const char *out = learn(path, &st, &rc);
    assert_int_equal(rc, VMITN_EXIT_OK);
    assert_int_equal(st.read, 5);
    assert_int_equal(st.non_ipv4, 2);
    assert_int_equal(st.truncated, 1);
    assert_int_equal(st.fragments, 1);
    assert_int_equal(st.fed, 1);
    assert_non_null(strstr(out, "skipped: non-IPv4 2, truncated 1, fragments 1"));
}

static void test_pcap_bad_captures(void **state)
{
    (void)state;
    vmitn_trace_stats st;
    int rc;
    char path[128];
    /* missing */
    snprintf(path, sizeof path, "%s/none.pcap", dir);
    learn(path, &st, &rc);
    assert_int_equal(rc, VMITN_EXIT_IO);
    /* not a capture */
    snprintf(path, sizeof path, "%s/text.pcap", dir);
    FILE *f = fopen(path, "w");
    fputs("this is not a capture\n", f);
    fclose(f);
    learn(path, &st, &rc);
    assert_int_equal(rc, VMITN_EXIT_INPUT);
    /* unsupported link type: 802.11 */
    snprintf(path, sizeof path, "%s/wifi.pcap", dir);
    pcap_t *dead = pcap_open_dead(DLT_IEEE802_11, 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    pcap_dump_close(d);
    pcap_close(dead);
    learn(path, &st, &rc);
    assert_int_equal(rc, VMITN_EXIT_INPUT);
    /* truncated: the whole packets before the cut are read, and the stop is reported */
    static pkt p[100];
    for (int i = 0; i < 100; i++)
        p[i] = ipkt((uint32_t)i, 0x0a000001, 80, 6);
    const char *full = write_capture("cut.pcap", p, 100, ETH, 1000);
    assert_int_equal(truncate(full, 24 + 50 * (16 + 54) + 30), 0);
    learn(full, &st, &rc);
    assert_int_equal(rc, VMITN_EXIT_OK);
    assert_int_equal(st.read, 50);
    assert_int_equal(st.stopped_early, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pcap_flood_to_one_victim),
        cmocka_unit_test(test_pcap_sweep_of_a_24),
        cmocka_unit_test(test_pcap_random_and_light_benign_traffic_learn_nothing),
        cmocka_unit_test(test_pcap_link_types),
        cmocka_unit_test(test_pcap_reads_pcapng),
        cmocka_unit_test(test_pcap_skips_by_reason),
        cmocka_unit_test(test_pcap_bad_captures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
