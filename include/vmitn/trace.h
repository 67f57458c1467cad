/* trace.h — captures as traffic.  A trace is the IPv4 packets of one pcap or pcapng file,
 * read through pcapio's reader (the one `vmitn learn` uses, so a file means the same
 * packets to both).  A replay is a trace mapped onto an emulated network: each capture
 * address becomes an FES host or an outside address, deterministically, by the rule in
 * docs/MODEL.md §4 ("Captures as background traffic").  The learner can also be run over a
 * trace in memory, with what its rules would drop (the operating curve, `scenarios/roc.lua`).
 *
 * Captures are untrusted input: every error names the file (and the packet where there is
 * one); nothing here asserts on what a file holds. */
#ifndef VMITN_TRACE_H
#define VMITN_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmitn/evq.h"
#include "vmitn/learner.h"
#include "vmitn/topo.h"

/* At most this many IPv4 packets per capture (24 bytes each in memory). */
#define VMITN_TRACE_MAX_PACKETS 20000000u

typedef struct vmitn_trace_pkt {
    vmitn_time t;           /* ns since the capture's first packet (held: never decreasing) */
    uint32_t src, dst;
    uint16_t sport, dport;  /* TCP and UDP; 0 for other protocols */
    uint8_t proto, flags;   /* IP protocol; TCP flags */
    uint16_t bytes;         /* IPv4 total length, at most 65535 */
    uint32_t index;         /* packet number in the file, from 1 (every packet counts) */
} vmitn_trace_pkt;

typedef struct vmitn_trace {
    char *path;
    vmitn_trace_pkt *pkt;   /* the IPv4 packets, in capture order */
    size_t n;
    unsigned long long read; /* packets in the file */
    unsigned long long non_ipv4, truncated, fragments; /* skipped, by reason (as vmitn learn) */
    uint64_t bytes;         /* sum of the IPv4 packets' bytes */
} vmitn_trace;

/* Reads every packet of the capture at path into tr (caller-owned; release with
 * vmitn_trace_destroy).  A file cut inside a packet is an error here (unlike `vmitn learn`,
 * which reads up to the cut): a run never starts on partial data.  Returns 0, or
 * -VMITN_EIO / -VMITN_EINPUT with "PATH: reason" in err (VMITN_ERRLEN bytes); tr is then
 * empty and needs no destroy. */
int vmitn_trace_load(const char *path, vmitn_trace *tr, char *err, size_t errlen);
void vmitn_trace_destroy(vmitn_trace *tr);

/* ---- mapping onto an emulated network ---- */

/* Which capture addresses are inside (become FES hosts); the rest are outside. */
enum vmitn_trace_inside {
    VMITN_INSIDE_AUTO = 0,    /* private if a private address has unicast packets, else
                               * clients, else the busiest address */
    VMITN_INSIDE_PRIVATE = 1, /* RFC 1918 and link-local (169.254/16) addresses */
    VMITN_INSIDE_CLIENTS = 2, /* addresses that open connections: a TCP SYN without ACK, or
                               * UDP from a port >= 1024 to a port < 1024 */
    VMITN_INSIDE_MAP = 3      /* only the addresses trace_map names */
};

typedef struct vmitn_trace_map_opts {
    int inside;          /* enum vmitn_trace_inside */
    const char *map;     /* "ADDR=HOST,ADDR=outside,...": explicit placements, or NULL / "" */
    double speed;        /* > 0: capture time is divided by it */
    double start;        /* s of simulated time at which the capture's first packet goes */
    bool loop;           /* start again after the capture's end (period: its length plus
                          * one mean gap between packets) */
} vmitn_trace_map_opts;

/* One replayed packet.  from >= 0: sent by that FES host at t (its AGENT taps and filters
 * it, then the network carries it); from < 0: it comes from outside and reaches host `to`'s
 * bridge at t. */
typedef struct vmitn_replay_pkt {
    vmitn_time t;        /* of the first pass (after start and speed) */
    uint32_t src, dst;
    uint16_t sport, dport;
    uint8_t proto;
    uint16_t bytes;
    int32_t from, to;    /* host indices; to is -1 when dst is outside */
} vmitn_replay_pkt;

/* A placement of one capture address. */
typedef struct vmitn_replay_addr {
    uint32_t addr;       /* in the capture */
    uint32_t mapped;     /* in the emulated network */
    int host;            /* FES host index, or -1 outside */
    uint64_t packets;    /* sent and received in the capture */
} vmitn_replay_addr;

typedef struct vmitn_replay {
    vmitn_replay_pkt *pkt;
    size_t n;
    vmitn_time period;   /* loop period, 0 without loop */
    vmitn_replay_addr *addr; /* inside ones first (busiest first), then outside ones */
    size_t naddr, ninside;
    /* capture packets not replayed, by reason */
    uint64_t skip_nonunicast; /* a source or destination that is no unicast address */
    uint64_t skip_same_host;  /* both ends on one emulated host: never cross its bridge */
    uint64_t skip_outside;    /* both ends outside: never touch an FES host */
} vmitn_replay;

/* Maps trace tr onto topology t: inside addresses, busiest first (packets sent and
 * received; ties: the lower address), go to FES hosts in a random order drawn from stream
 * (seed, run, capture) (round robin when there are more addresses than hosts); addresses
 * trace_map names go where it says.  Outside addresses keep their value unless it lies in a
 * LAN of the topology, in which case they take 198.18.0.0/15 addresses in order of first
 * appearance.  Returns 0, or -VMITN_EINPUT with a message naming "legit.trace_map" (a bad
 * entry) or the capture. */
int vmitn_replay_map(const vmitn_trace *tr, const vmitn_topo *t, const vmitn_trace_map_opts *o, uint64_t seed,
                     unsigned run, unsigned capture, vmitn_replay *out, char *err, size_t errlen);
void vmitn_replay_destroy(vmitn_replay *r);

/* Checks the syntax of a trace_map value against topology t (NULL: syntax only): every
 * entry ADDR=HOST or ADDR=outside, ADDR four numbers 0-255 without leading zeros, no
 * address placed twice in two ways. */
int vmitn_trace_map_check(const char *map, const vmitn_topo *t, char *err, size_t errlen);

/* ---- timing: what a replay may schedule ---- */

/* A replayed packet's time (start + capture time / speed) and a loop's period stay under
 * 2^62 ns (~146 years): sums of them never overflow the clock. */
#define VMITN_REPLAY_MAX_NS ((vmitn_time)1 << 62)
/* A loop repeats a capture at most every 1 ms of simulated time: shorter periods come from
 * captures whose clock never moves (every packet at one time, or held because it went
 * back) or from extreme speeds, and would flood a run with events. */
#define VMITN_REPLAY_MIN_PERIOD ((vmitn_time)1000000)

/* Checks that tr can be replayed with o (speed in [1e-6, 1e6], start in [0, 1e6] s):
 * every scaled time fits under VMITN_REPLAY_MAX_NS, and a loop's period (its length
 * plus one mean gap, over speed) too and is at least VMITN_REPLAY_MIN_PERIOD.  *period
 * (may be NULL) gets the loop period, 0 without loop.  Returns 0, or -VMITN_EINPUT with
 * a message naming the parameter and the capture.  No float-to-integer conversion here or
 * in vmitn_replay_map can overflow once this passed (vmitn_replay_map calls it). */
int vmitn_replay_timing(const vmitn_trace *tr, const vmitn_trace_map_opts *o, vmitn_time *period, char *err,
                        size_t errlen);

/* Events one run of `duration` s spends on replaying tr with o, at most (one to send each
 * packet, one to deliver it; every loop pass).  o must have passed vmitn_replay_timing. */
double vmitn_replay_events(const vmitn_trace *tr, const vmitn_trace_map_opts *o, double duration);

/* ---- the captures of one experiment ---- */

/* legit.trace's captures, loaded once per experiment (every run maps the same packets,
 * however the files change meanwhile).  Caller-owned; vmitn_trace_set_destroy is safe on
 * a zeroed or destroyed set. */
typedef struct vmitn_trace_set {
    vmitn_trace *tr;
    unsigned n;
} vmitn_trace_set;

/* Loads every capture of the comma-separated list and checks each one's timing with o
 * (src/traffic/replay.c).  Returns 0, or -VMITN_EIO (a file that cannot be read) /
 * -VMITN_EINPUT with "legit.trace: PATH: reason" or a timing message in err; s is then
 * empty. */
int vmitn_trace_set_load(const char *list, const vmitn_trace_map_opts *o, vmitn_trace_set *s, char *err,
                         size_t errlen);
void vmitn_trace_set_destroy(vmitn_trace_set *s);
/* The sum of vmitn_replay_events over the set. */
double vmitn_trace_set_events(const vmitn_trace_set *s, const vmitn_trace_map_opts *o, double duration);

/* ---- the learner over a trace ---- */

typedef struct vmitn_trace_rule {
    vmitn_pattern pat;
    vmitn_time t;         /* ns since the first packet */
    size_t packet;        /* index in tr->pkt of the packet that made it */
    uint64_t dropped;     /* later packets it matches (the first rule to match counts one) */
} vmitn_trace_rule;

typedef struct vmitn_trace_eval {
    vmitn_trace_rule *rules;
    size_t nrules;
    uint64_t fed, dropped; /* packets fed; packets after a rule's issue that a rule matches */
    /* with a truth pattern: the attack's packets are those it matches from attack_from on */
    uint64_t attack, attack_dropped, other, other_dropped;
    vmitn_time attack_start; /* first attack packet; -1 when none */
    long detect;          /* index in rules of the first rule matching an attack packet, or -1;
                           * the detection delay is its time less attack_start, or 0 when it
                           * came before the attack (learned from the attacker's earlier traffic) */
    bool right;           /* that rule is the truth or narrower (drops only attack packets) */
} vmitn_trace_eval;

/* Feeds every packet of tr to a learner with cfg, in capture order, at its capture time
 * (as `vmitn learn` does), and counts what the rules would drop: a packet is dropped when a
 * rule issued by an earlier packet matches it (every AGENT holding the rule at once).
 * truth may be NULL; packets it matches before attack_from (ns since the first packet)
 * are not the attack's.  Returns 0, or -VMITN_EINPUT (cfg out of range) with a message. */
int vmitn_trace_learn(const vmitn_trace *tr, const vmitn_learner_cfg *cfg, const vmitn_pattern *truth,
                      vmitn_time attack_from, vmitn_trace_eval *ev, char *err, size_t errlen);
void vmitn_trace_eval_destroy(vmitn_trace_eval *ev);

/* True when every packet p matches, q matches too (p is q or narrower). */
bool vmitn_pattern_within(const vmitn_pattern *p, const vmitn_pattern *q);

/* Parses "src,dst,port" with '*' for wild fields.  0 or -1. */
int vmitn_pattern_parse(const char *s, vmitn_pattern *p);

#endif
