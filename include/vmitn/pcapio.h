/* pcapio.h — packet captures through libpcap: the learner on a real trace (`vmitn
 * learn`), and emulated traffic written as pcap (`vmitn run --pcap`).  The only module
 * that includes pcap.h. */
#ifndef VMITN_PCAPIO_H
#define VMITN_PCAPIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vmitn/learner.h"
#include "vmitn/model.h"
#include "vmitn/topo.h"

/* What a trace held, and why packets were skipped. */
typedef struct vmitn_trace_stats {
    unsigned long long read;        /* packets in the capture */
    unsigned long long fed;         /* IPv4 packets given to the learner */
    unsigned long long non_ipv4;    /* ARP, IPv6, ... */
    unsigned long long truncated;   /* captured too short for the IPv4 header (or its ports) */
    unsigned long long fragments;   /* IPv4 fragments after the first */
    unsigned long long rules;
    int stopped_early;              /* the file ended inside a packet */
} vmitn_trace_stats;

/* ---- reading, one packet at a time ----
 * The one reader of captures: `vmitn learn` and the trace module (trace.h) both use it, so
 * a capture means the same packets to both. */
enum vmitn_pcap_skip { VMITN_PCAP_OK = 0, VMITN_PCAP_NON_IPV4, VMITN_PCAP_TRUNCATED, VMITN_PCAP_FRAGMENT };

typedef struct vmitn_pcap_pkt {
    unsigned long long index; /* 1 for the capture's first packet */
    long long t;              /* ns since the first packet; held, never decreasing */
    long long abs;            /* ns of the capture's own clock (t + the first packet's) */
    int skip;                 /* enum vmitn_pcap_skip; the fields below only when OK */
    uint32_t src, dst;
    uint16_t sport, dport;    /* TCP and UDP; 0 for other protocols */
    uint8_t proto;            /* IP protocol */
    uint8_t tcp_flags;        /* TCP flags (SYN 0x02, ACK 0x10), 0 when not TCP or cut */
    uint32_t bytes;           /* IPv4 total length (the frame's IP part when that is 0) */
} vmitn_pcap_pkt;

typedef struct vmitn_pcap_reader vmitn_pcap_reader;
/* err must hold VMITN_ERRLEN bytes.  Opens a capture.  NULL with "PATH: reason" in err and *code set to a VMITN_EXIT_* code
 * (IO: cannot read; INPUT: not a capture, or a link type vmitn does not read). */
vmitn_pcap_reader *vmitn_pcap_reader_open(const char *path, int *code, char *err, size_t errlen);
/* The next packet: 1, 0 at the end of the capture, or -1 with "PATH: reason" in err when
 * the file stops inside a packet (*cut = 1; the packets before it were whole) or holds a
 * second link type (*cut = 0). */
int vmitn_pcap_reader_next(vmitn_pcap_reader *r, vmitn_pcap_pkt *p, int *cut, char *err, size_t errlen);
void vmitn_pcap_reader_close(vmitn_pcap_reader *r);

/* Runs the learner over every IPv4 packet of a pcap or pcapng file in capture order.
 * Prints each rule and a summary to out; with outdir, also writes outdir/rules.csv and
 * outdir/summary.csv (whole files only).  Returns a VMITN_EXIT_* code. */
int vmitn_pcap_learn(const char *path, const vmitn_learner_cfg *cfg, FILE *out, const char *outdir,
                     vmitn_trace_stats *st);

/* Writes the packets of one emulated run as pcap files in dir (made afresh; the caller
 * owns where it lies and puts it in place later): <host>.pcap for every FES host's bridge
 * (what leaves and what reaches its guest) and smc.pcap (the headers the SMC's learner
 * received, at the time it received them).  Nanosecond timestamps.  Messages name the
 * files as in `shown` (the folder the user will see).  NULL with the reason in err. */
typedef struct vmitn_pcap_writer vmitn_pcap_writer;
vmitn_pcap_writer *vmitn_pcap_writer_open(const char *dir, const char *shown, const vmitn_topo *t, char *err,
                                          size_t errlen);
vmitn_observer vmitn_pcap_writer_observer(vmitn_pcap_writer *w);
/* Closes the files, each flushed, checked and fsync'ed: 0 (dir holds the whole set), or
 * -VMITN_EIO with the reason in err (a full disk, a file too large), dir then removed. */
int vmitn_pcap_writer_close(vmitn_pcap_writer *w, char *err, size_t errlen);
/* Closes and removes dir (an interrupted or failed run). */
void vmitn_pcap_writer_discard(vmitn_pcap_writer *w);

/* May a capture set go to dir (--pcap DIR/SCENARIO/LABEL)?  0 when dir does not exist, or
 * with force when it is a folder holding only regular *.pcap files (a set vmitn wrote);
 * otherwise -VMITN_EIO with the message in err: without force any existing dir is refused,
 * and someone's folder (other files, a link, a file) is refused even with force. */
int vmitn_pcap_dest_check(const char *dir, bool force, char *err, size_t errlen);

#endif
