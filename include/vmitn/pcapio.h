/* pcapio.h — packet captures through libpcap: the learner on a real trace (`vmitn
 * learn`), and emulated traffic written as pcap (`vmitn run --pcap`).  The only module
 * that includes pcap.h. */
#ifndef VMITN_PCAPIO_H
#define VMITN_PCAPIO_H

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

/* Runs the learner over every IPv4 packet of a pcap or pcapng file in capture order.
 * Prints each rule and a summary to out; with outdir, also writes outdir/rules.csv and
 * outdir/summary.csv (whole files only).  Returns a VMITN_EXIT_* code. */
int vmitn_pcap_learn(const char *path, const vmitn_learner_cfg *cfg, FILE *out, const char *outdir,
                     vmitn_trace_stats *st);

/* Writes the packets of one emulated run as pcap files in dir: <host>.pcap for every FES
 * host's bridge (what leaves and what reaches its guest) and smc.pcap (the headers the
 * SMC's learner received, at the time it received them).  Nanosecond timestamps. */
typedef struct vmitn_pcap_writer vmitn_pcap_writer;
vmitn_pcap_writer *vmitn_pcap_writer_open(const char *dir, const vmitn_topo *t, char *err, size_t errlen);
vmitn_observer vmitn_pcap_writer_observer(vmitn_pcap_writer *w);
/* Closes the files and, if every one is complete, puts them in place of dir's old set in
 * one step; returns 0 or -VMITN_EIO (nothing of this set is then left). */
int vmitn_pcap_writer_close(vmitn_pcap_writer *w, char *err, size_t errlen);
/* Closes and removes everything (an interrupted run). */
void vmitn_pcap_writer_discard(vmitn_pcap_writer *w);

#endif
