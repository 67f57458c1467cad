/* learner.h — the SMC's two-stage attack pattern learner (paper §3.4, Fig 6, Fig 7).
 *
 * Stage 1 ("LRU + aging"): three bounded arrays keyed by src_ip, dst_ip and port.  Each
 * record holds (value, count, last seen).  A header updates the record of its value in
 * each array (a missing value takes a new record with count 1, evicting the least
 * recently seen record of a full array).  Counts age exponentially with a half-life.
 * The header passes to stage 2 when any of its three updated counts exceeds lambda.
 *
 * Stage 2 ("rough set" pattern table): records of (src, dst, port) whose fields are
 * values or '*', with seed and freq.  The decisions that fill the gaps of Fig 6 are in
 * docs/MODEL.md §learner and in learner.c's header comment.  When a seed's freq exceeds
 * theta, the learner issues it as a block rule, once.
 *
 * The learner is pure: it reads no clock and draws no random number; the caller passes
 * the time each header was seen. */
#ifndef VMITN_LEARNER_H
#define VMITN_LEARNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmitn/evq.h"

/* The header fields the learner sees.  port is the destination port; 0 for protocols
 * without ports (ICMP and others), which the learner treats as an ordinary value. */
typedef struct vmitn_hdr {
    uint32_t src, dst;
    uint16_t port;
} vmitn_hdr;

enum { VMITN_WILD_SRC = 1, VMITN_WILD_DST = 2, VMITN_WILD_PORT = 4 };

/* A pattern: a field whose bit is set in `wild` is '*' and its value is ignored (kept 0). */
typedef struct vmitn_pattern {
    uint32_t src, dst;
    uint16_t port;
    uint8_t wild;
} vmitn_pattern;

typedef struct vmitn_learner_cfg {
    double lambda;           /* stage-1 threshold: a count must exceed it; >= 1 */
    double theta;            /* stage-2 threshold: freq must exceed it; >= 1 */
    unsigned lru_size;       /* records per stage-1 array; >= 1 */
    unsigned table_size;     /* records in the stage-2 table; >= 1 */
    vmitn_time half_life;    /* stage-1 aging half-life; 0 = no aging */
} vmitn_learner_cfg;

/* Defaults: lambda 10 (Fig 7), theta 100 (Fig 9's most sensitive level), 64 records per
 * array, 32 table records, half-life 1 s. */
void vmitn_learner_cfg_default(vmitn_learner_cfg *cfg);

/* Returns NULL and writes a message naming the parameter to err when cfg is out of range. */
typedef struct vmitn_learner vmitn_learner;
vmitn_learner *vmitn_learner_new(const vmitn_learner_cfg *cfg, char *err, size_t errlen);
void vmitn_learner_free(vmitn_learner *l);

/* Feeds one header seen at time t (t never decreases between calls).  Returns true
 * when this header made a pattern's freq exceed theta for the first time; the pattern
 * is then written to *rule.  Amortised O(lru_size + table_size). */
bool vmitn_learner_feed(vmitn_learner *l, vmitn_time t, const vmitn_hdr *h, vmitn_pattern *rule);

/* True when a and b are the same pattern (field by field: never compare with memcmp,
 * the struct has padding). */
bool vmitn_pattern_same(const vmitn_pattern *a, const vmitn_pattern *b);

/* True when every non-wild field of p equals h's. */
bool vmitn_pattern_match(const vmitn_pattern *p, const vmitn_hdr *h);

/* Writes "src,dst,port" with '*' for wild fields, e.g. "140.115.10.10,*,80". */
void vmitn_pattern_format(const vmitn_pattern *p, char *buf, size_t n);

/* Introspection, for tests and traces. */
enum vmitn_learner_array { VMITN_ARR_SRC = 0, VMITN_ARR_DST = 1, VMITN_ARR_PORT = 2 };
/* The aged count of `value` in array `a` at time t, or 0 if it has no record. */
double vmitn_learner_count(const vmitn_learner *l, enum vmitn_learner_array a, uint32_t value,
                           vmitn_time t);
typedef struct vmitn_learner_record {
    vmitn_pattern pat;
    bool seed;
    uint64_t freq;
    bool issued;
} vmitn_learner_record;
/* Copies up to max table records into out, in table order; returns how many there are. */
size_t vmitn_learner_table(const vmitn_learner *l, vmitn_learner_record *out, size_t max);
/* Counters: headers fed, headers that passed stage 1. */
uint64_t vmitn_learner_fed(const vmitn_learner *l);
uint64_t vmitn_learner_passed(const vmitn_learner *l);

#endif
