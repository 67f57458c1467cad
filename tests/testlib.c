/* testlib.c — fixtures the unit tests share (testlib.h). */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "testlib.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16), put16(p + 2, v & 0xffff); }

unsigned capture_frame(uint8_t *b, const pkt *k, enum framing fr)
{
    unsigned o = 0;
    memset(b, 0, 128);
    if (fr == ETH || fr == ETH_VLAN) {
        o = 12;
        if (fr == ETH_VLAN) {
            put16(b + 12, 0x8100);
            put16(b + 14, 7);
            o = 16;
        }
        put16(b + o, 0x0800);
        o += 2;
    } else if (fr == SLL) {
        put16(b + 14, 0x0800);
        o = 16;
    }
    uint8_t *ip = b + o;
    ip[0] = 0x45;
    put16(ip + 2, k->bytes);
    ip[8] = 64;
    ip[9] = k->proto;
    put32(ip + 12, k->src);
    put32(ip + 16, k->dst);
    put16(ip + 20, k->sport);
    put16(ip + 22, k->dport);
    ip[20 + 13] = k->flags;
    return o + 40;
}

static int dlt_of(enum framing fr)
{
    return fr == SLL ? DLT_LINUX_SLL : fr == RAW ? DLT_RAW : DLT_EN10MB;
}

void capture_write(const char *path, const pkt *p, size_t n, enum framing fr, long t0_s, unsigned gap_us)
{
    pcap_t *dead = pcap_open_dead(dlt_of(fr), 65535);
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    assert_non_null(d);
    uint8_t b[128];
    for (size_t i = 0; i < n; i++) {
        long long us = p[i].t_us + (long long)i * gap_us;
        struct pcap_pkthdr h = {.ts = {.tv_sec = t0_s + (time_t)(us / 1000000), .tv_usec = (suseconds_t)(us % 1000000)}};
        h.caplen = capture_frame(b, &p[i], fr);
        h.len = h.caplen - 40 + p[i].bytes;
        pcap_dump((u_char *)d, &h, b);
    }
    pcap_dump_close(d);
    pcap_close(dead);
}

int fig8_setup(void **state)
{
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    if (vmitn_topo_load("topologies/vmitn-fig8.graphml", &t, err, sizeof err) < 0) {
        print_error("%s\n", err);
        return -1;
    }
    *state = t;
    return 0;
}

int fig8_teardown(void **state)
{
    vmitn_topo_free(*state);
    return 0;
}

int child_exit(void (*body)(void *ctx), void *ctx, char *msg, size_t len)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        body(ctx);
        _exit(99);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < len && (k = read(fd[0], msg + n, len - 1 - n)) > 0)
        n += (size_t)k;
    msg[n] = '\0';
    close(fd[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
