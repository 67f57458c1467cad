/* testlib.h — fixtures the unit tests share: a capture writer (libpcap) for the tests that
 * read captures (test_pcap.c, test_trace.c), and the Fig 8 testbed as a group fixture for
 * the model's tests (test_model.c, test_defence.c, test_module.c), and a child process
 * whose exit and stderr a test reads (test_sched.c, test_util.c).  Linked into the test binaries that
 * need it (Makefile). */
#ifndef VMITN_TESTLIB_H
#define VMITN_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

/* One IPv4 packet: its addresses, ports, protocol, TCP flags, IP total length (bytes on
 * the wire after the link header; at least 40) and time. */
typedef struct pkt {
    uint32_t src, dst;
    uint16_t sport, dport;
    uint8_t proto, flags;
    uint16_t bytes; /* IP total length */
    long long t_us;
} pkt;

/* The link a capture's frames are framed for. */
enum framing { ETH, ETH_VLAN, SLL, RAW };

/* The captured bytes of one frame into b (128 bytes at least): the link header, the IPv4
 * header and the first 20 bytes of TCP/UDP (ports, and the flags byte at offset 13).
 * Returns the captured length; the frame claims the link header + k->bytes on the wire. */
unsigned capture_frame(uint8_t *b, const pkt *k, enum framing fr);

/* Writes n packets to path as a pcap file: packet i at t0_s seconds + its t_us + i *
 * gap_us microseconds.  Fails the test when the file cannot be created. */
void capture_write(const char *path, const pkt *p, size_t n, enum framing fr, long t0_s, unsigned gap_us);

/* cmocka group set-up and tear-down: the Fig 8 testbed (topologies/vmitn-fig8.graphml)
 * loaded once into *state, read-only for the group's tests.  -1, with the reason printed,
 * when it cannot be loaded. */
int fig8_setup(void **state);
int fig8_teardown(void **state);

/* Runs body(ctx) in a child process whose stderr is caught, for code that ends the process
 * itself (an out-of-memory or a too-big message, say); a body that returns exits 99.  What
 * the child wrote to stderr goes to msg (NUL-terminated, at most len - 1 bytes).  Returns
 * its exit status, or -1 when a signal ended it. */
int child_exit(void (*body)(void *ctx), void *ctx, char *msg, size_t len);

#endif
