/* learner.c — the SMC's two-stage attack pattern learner (paper §3.4, Fig 6, Fig 7).
 *
 * Decisions that fill the gaps of Fig 6:
 *
 * Stage 1 (LRU + aging), one array per field (src, dst, port), lru_size records each.
 *  - A value with a record has its count aged to t (count *= 2^(-(t - last_seen) /
 *    half_life); no aging when half_life == 0), then 1 is added and last_seen = t.
 *  - A new value takes the lowest free record, or, in a full array, evicts the least
 *    recently seen record (ties: the lowest index); it starts at count 1.
 *  - The header passes to stage 2 when ANY of its three updated counts is > lambda
 *    (strictly: Fig 7's "larger than 10 (λ)").
 *
 * Stage 2 (pattern table), table_size records, each raw (a concrete header, freq 0) or a
 * seed (a pattern with some fields '*', freq >= 1).  For a header P:
 *  - a seed is eligible only if it covers P and has a non-wild field; its score is its
 *    number of non-wild fields.  A raw record scores the number of fields equal to P's.
 *  - best = highest score; ties: a seed beats a raw record, then the lower index.
 *  - best score >= 1: a seed gets freq++, and is issued as a rule the first time freq >
 *    theta (once only); a raw record is generalised: its fields that differ from P
 *    become '*', seed = true, freq = 1.  (So {*,*,*} can never be learnt.)
 *  - otherwise P is inserted as a raw record, in the lowest free record or, in a full
 *    table, over the least recently touched record that is not issued (or, when all are
 *    issued, the least recently touched of all).  "Touched" = inserted, counted or
 *    generalised, stamped with a counter, never the time, so no two stamps tie.
 *
 * Stage 1 is the hot path (every header the SMC sees).  Each array keeps a small
 * open-addressing index (value -> record) and a tournament tree over its records keyed
 * by (last_seen, index): the LRU victim is the root.  A new record replays its
 * log2(lru_size) matches; a touched one only those it had won (its last_seen moves later:
 * it can only lose them), none when its last_seen stays (a report's headers share their
 * time).  (Measured: a binary heap was 1.5x slower,
 * its sift mispredicting; a list in (last_seen, index) order was ~10% faster with
 * distinct timestamps but fell below 2M headers/s when headers share one timestamp, as
 * each touch walks past the ties.) */
#include "vmitn/learner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmitn/util.h"

/* Beyond this the index and the stage-2 scan would only make a typo expensive. */
#define MAX_RECORDS (1u << 20)

typedef struct lru_rec {
    double count;
    vmitn_time last; /* last_seen */
    uint32_t value;
} lru_rec;

typedef struct lru_slot {
    uint32_t key;
    uint32_t rec1; /* record index + 1; 0 = empty */
} lru_slot;

typedef struct lru {
    unsigned size, used;
    unsigned leaves; /* a power of two >= size */
    lru_rec *rec;    /* `leaves` records; unused ones have last = VMITN_TIME_MAX */
    uint32_t *win;   /* tournament tree: win[k] = oldest record under node k, root 1,
                      * leaf of record r at leaves + r */
    lru_slot *index;
    uint32_t mask; /* index capacity - 1 (a power of two >= 2 * size) */
} lru;

typedef struct table_rec {
    vmitn_learner_record r;
    uint8_t fixed;    /* seed: bit i set = field i is not wild (bits as VMITN_WILD_*) */
    uint8_t seed_key; /* seed: its rank when it covers P (see rank below) */
    uint64_t touched; /* stamp of the last insert, count or generalisation */
} table_rec;

struct vmitn_learner {
    vmitn_learner_cfg cfg;
    double neg_inv_half_life; /* -1 / half_life, 0 when aging is off */
    vmitn_time now;
    lru arr[3];
    table_rec *table;
    unsigned table_used;
    uint64_t stamp;
    uint64_t fed, passed;
};

/* ---- stage 1: index ---- */

static uint32_t hash32(uint32_t v)
{
    /* Fibonacci-style multiply then fold the high bits down: addresses and ports differ
     * mostly in low bits, and the index keeps the low bits of the hash. */
    uint32_t h = v * 0x9E3779B1u;
    return h ^ (h >> 16);
}

/* The record holding v, or -1. */
static long lru_find(const lru *a, uint32_t v)
{
    uint32_t i = hash32(v) & a->mask;
    for (;;) {
        const lru_slot *s = &a->index[i];
        if (s->rec1 == 0)
            return -1;
        if (s->key == v)
            return (long)s->rec1 - 1;
        i = (i + 1) & a->mask;
    }
}

static void lru_index_put(lru *a, uint32_t v, unsigned rec)
{
    uint32_t i = hash32(v) & a->mask;
    while (a->index[i].rec1 != 0)
        i = (i + 1) & a->mask;
    a->index[i].key = v;
    a->index[i].rec1 = rec + 1;
}

/* Removes v by backward-shift deletion (no tombstones, so probes stay short forever). */
static void lru_index_del(lru *a, uint32_t v)
{
    uint32_t i = hash32(v) & a->mask;
    while (a->index[i].rec1 == 0 || a->index[i].key != v) {
        vmitn_assert(a->index[i].rec1 != 0); /* v must be indexed */
        i = (i + 1) & a->mask;
    }
    for (;;) {
        a->index[i].rec1 = 0; /* i is now a hole */
        uint32_t j = i;
        for (;;) {
            j = (j + 1) & a->mask;
            if (a->index[j].rec1 == 0)
                return;
            uint32_t home = hash32(a->index[j].key) & a->mask;
            /* j may fill the hole only if its home is not cyclically within (i, j]. */
            bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays)
                break;
        }
        a->index[i] = a->index[j];
        i = j;
    }
}

/* ---- stage 1: LRU order ---- */

/* Record r's last_seen changed: replay its matches up to the root.  The left child
 * holds the lower indices, so it wins ties. */
static void tree_update(lru *a, unsigned r)
{
    for (unsigned k = (a->leaves + r) >> 1; k >= 1; k >>= 1) {
        uint32_t x = a->win[2 * k], y = a->win[2 * k + 1];
        a->win[k] = a->rec[y].last < a->rec[x].last ? y : x;
    }
}

/* The same when record r's last_seen did not go back (a touch): r can only lose
 * matches it won, so the replay stops at the first match r had already lost; the nodes
 * above it keep their winners, who beat r before and still do. */
static void tree_later(lru *a, unsigned r)
{
    for (unsigned k = (a->leaves + r) >> 1; k >= 1 && a->win[k] == r; k >>= 1) {
        uint32_t x = a->win[2 * k], y = a->win[2 * k + 1];
        a->win[k] = a->rec[y].last < a->rec[x].last ? y : x;
    }
}

static double age(const vmitn_learner *l, double count, vmitn_time last, vmitn_time t)
{
    if (t <= last || l->neg_inv_half_life == 0)
        return count;
    return count * exp2((double)(t - last) * l->neg_inv_half_life);
}

/* Counts v at time t; returns its updated count. */
static double lru_touch(vmitn_learner *l, lru *a, uint32_t v, vmitn_time t)
{
    long found = lru_find(a, v);
    if (found >= 0) {
        lru_rec *r = &a->rec[found];
        vmitn_assert(t >= r->last); /* the learner's time never goes back (feed) */
        bool moved = t != r->last;
        r->count = age(l, r->count, r->last, t) + 1;
        r->last = t;
        if (moved) /* headers of one report share their time: the tree stays as it is */
            tree_later(a, (unsigned)found);
        return r->count;
    }
    unsigned rec;
    if (a->used < a->size) {
        rec = a->used++;
    } else {
        rec = a->win[1]; /* least recently seen, lowest index on ties */
        lru_index_del(a, a->rec[rec].value);
    }
    a->rec[rec].count = 1;
    a->rec[rec].last = t;
    a->rec[rec].value = v;
    tree_update(a, rec);
    lru_index_put(a, v, rec);
    return 1;
}

/* ---- stage 2 ---- */

/* Number of set bits in a 3-bit field mask. */
static unsigned bits3(unsigned m)
{
    return (m & 1) + ((m >> 1) & 1) + (m >> 2);
}

/* A record's rank for header h: 2 * score + (1 if seed), 0 if not a candidate, so the
 * highest rank is the best score with a seed winning a tie; the scan keeps the first
 * (lowest index) of equal ranks.  Rank >= 2 means score >= 1. */
static unsigned rank(const table_rec *e, const vmitn_hdr *h)
{
    const vmitn_pattern *p = &e->r.pat;
    unsigned eq = (unsigned)(p->src == h->src) * VMITN_WILD_SRC |
                  (unsigned)(p->dst == h->dst) * VMITN_WILD_DST |
                  (unsigned)(p->port == h->port) * VMITN_WILD_PORT;
    if (e->r.seed)
        return (eq & e->fixed) == e->fixed ? e->seed_key : 0;
    return 2 * bits3(eq);
}

static void set_seed_rank(table_rec *e)
{
    e->fixed = (uint8_t)(~e->r.pat.wild & 7u);
    /* A seed with no fixed field would cover everything; it never arises (generalising
     * needs a shared field) but must never be a candidate either. */
    e->seed_key = e->fixed ? (uint8_t)(2 * bits3(e->fixed) + 1) : 0;
}

static unsigned table_victim(const vmitn_learner *l)
{
    unsigned best = 0;
    bool best_free = false; /* best is not issued */
    for (unsigned i = 0; i < l->table_used; i++) {
        const table_rec *e = &l->table[i];
        bool fr = !e->r.issued;
        if (i == 0 || (fr && !best_free) ||
            (fr == best_free && e->touched < l->table[best].touched)) {
            best = i;
            best_free = fr;
        }
    }
    return best;
}

static bool stage2(vmitn_learner *l, const vmitn_hdr *h, vmitn_pattern *rule)
{
    unsigned best = 0, best_rank = 1;
    for (unsigned i = 0; i < l->table_used; i++) {
        unsigned r = rank(&l->table[i], h);
        if (r > best_rank) {
            best = i;
            best_rank = r;
        }
    }

    if (best_rank >= 2) {
        table_rec *e = &l->table[best];
        e->touched = ++l->stamp;
        if (e->r.seed) {
            e->r.freq++;
            if ((double)e->r.freq > l->cfg.theta && !e->r.issued) {
                e->r.issued = true;
                if (rule)
                    *rule = e->r.pat;
                return true;
            }
            return false;
        }
        vmitn_pattern *p = &e->r.pat;
        if (p->src != h->src) {
            p->src = 0;
            p->wild |= VMITN_WILD_SRC;
        }
        if (p->dst != h->dst) {
            p->dst = 0;
            p->wild |= VMITN_WILD_DST;
        }
        if (p->port != h->port) {
            p->port = 0;
            p->wild |= VMITN_WILD_PORT;
        }
        e->r.seed = true;
        e->r.freq = 1;
        set_seed_rank(e);
        return false;
    }

    unsigned slot = l->table_used < l->cfg.table_size ? l->table_used++ : table_victim(l);
    l->table[slot] = (table_rec){
        .r = {.pat = {.src = h->src, .dst = h->dst, .port = h->port, .wild = 0}},
        .touched = ++l->stamp,
    };
    return false;
}

/* ---- public ---- */

void vmitn_learner_cfg_default(vmitn_learner_cfg *cfg)
{
    *cfg = (vmitn_learner_cfg){
        .lambda = 10, .theta = 100, .lru_size = 64, .table_size = 32, .half_life = VMITN_S};
}

/* vmitn_fail writes into a buffer of VMITN_ERRLEN bytes; the caller's may be shorter,
 * so the message is built here and copied with the caller's length. */
static int check_cfg(const vmitn_learner_cfg *cfg, char *msg)
{
    /* Written as !(x >= 1) so that NaN is refused too. */
    if (!(cfg->lambda >= 1))
        return vmitn_fail(msg, VMITN_EINPUT, "lambda must be >= 1 (got %g)", cfg->lambda);
    if (!(cfg->theta >= 1))
        return vmitn_fail(msg, VMITN_EINPUT, "theta must be >= 1 (got %g)", cfg->theta);
    /* the ranges of `vmitn list --model` (smc.lambda, smc.theta): what run and learn -p
     * accept, so that no caller of the library gets a learner they could not */
    if (!(cfg->lambda <= 1e9))
        return vmitn_fail(msg, VMITN_EINPUT, "lambda must be <= 1e+09 (got %g)", cfg->lambda);
    if (!(cfg->theta <= 1e9))
        return vmitn_fail(msg, VMITN_EINPUT, "theta must be <= 1e+09 (got %g)", cfg->theta);
    if (cfg->lru_size < 1 || cfg->lru_size > MAX_RECORDS)
        return vmitn_fail(msg, VMITN_EINPUT, "lru_size must be in 1..%u (got %u)", MAX_RECORDS,
                          cfg->lru_size);
    if (cfg->table_size < 1 || cfg->table_size > MAX_RECORDS)
        return vmitn_fail(msg, VMITN_EINPUT, "table_size must be in 1..%u (got %u)", MAX_RECORDS,
                          cfg->table_size);
    if (cfg->half_life < 0)
        return vmitn_fail(msg, VMITN_EINPUT, "half_life must be >= 0 ns (got %lld)",
                          (long long)cfg->half_life);
    return 0;
}

vmitn_learner *vmitn_learner_new(const vmitn_learner_cfg *cfg, char *err, size_t errlen)
{
    char msg[VMITN_ERRLEN];
    if (check_cfg(cfg, msg) < 0) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s", msg);
        return NULL;
    }
    vmitn_learner *l = vmitn_xcalloc(1, sizeof *l);
    l->cfg = *cfg;
    l->neg_inv_half_life = cfg->half_life > 0 ? -1.0 / (double)cfg->half_life : 0;
    for (int f = 0; f < 3; f++) {
        lru *a = &l->arr[f];
        uint32_t cap = 2;
        while (cap < 2 * cfg->lru_size)
            cap *= 2;
        a->size = cfg->lru_size;
        a->leaves = 1;
        while (a->leaves < cfg->lru_size)
            a->leaves *= 2;
        a->rec = vmitn_xcalloc(a->leaves, sizeof *a->rec);
        a->win = vmitn_xcalloc(2 * a->leaves, sizeof *a->win);
        for (unsigned i = 0; i < a->leaves; i++) {
            a->rec[i].last = VMITN_TIME_MAX;
            a->win[a->leaves + i] = i;
        }
        for (unsigned node = a->leaves - 1; node >= 1; node--)
            a->win[node] = a->win[2 * node];
        a->index = vmitn_xcalloc(cap, sizeof *a->index);
        a->mask = cap - 1;
    }
    l->table = vmitn_xcalloc(cfg->table_size, sizeof *l->table);
    return l;
}

void vmitn_learner_free(vmitn_learner *l)
{
    if (!l)
        return;
    for (int f = 0; f < 3; f++) {
        free(l->arr[f].rec);
        free(l->arr[f].win);
        free(l->arr[f].index);
    }
    free(l->table);
    free(l);
}

bool vmitn_learner_feed(vmitn_learner *l, vmitn_time t, const vmitn_hdr *h, vmitn_pattern *rule)
{
    vmitn_assert(t >= l->now);
    l->now = t;
    l->fed++;
    /* All three arrays are updated even when the first already exceeds lambda: each
     * count is a record of what the SMC has seen, not a by-product of the decision. */
    double cs = lru_touch(l, &l->arr[VMITN_ARR_SRC], h->src, t);
    double cd = lru_touch(l, &l->arr[VMITN_ARR_DST], h->dst, t);
    double cp = lru_touch(l, &l->arr[VMITN_ARR_PORT], h->port, t);
    double lambda = l->cfg.lambda;
    if (!(cs > lambda || cd > lambda || cp > lambda))
        return false;
    l->passed++;
    return stage2(l, h, rule);
}

bool vmitn_pattern_match(const vmitn_pattern *p, const vmitn_hdr *h)
{
    return ((p->wild & VMITN_WILD_SRC) || p->src == h->src) &&
           ((p->wild & VMITN_WILD_DST) || p->dst == h->dst) &&
           ((p->wild & VMITN_WILD_PORT) || p->port == h->port);
}

void vmitn_pattern_format(const vmitn_pattern *p, char *buf, size_t n)
{
    char s[16] = "*", d[16] = "*", port[8] = "*";
    if (!(p->wild & VMITN_WILD_SRC))
        vmitn_ip_format(p->src, s);
    if (!(p->wild & VMITN_WILD_DST))
        vmitn_ip_format(p->dst, d);
    if (!(p->wild & VMITN_WILD_PORT))
        snprintf(port, sizeof port, "%u", (unsigned)p->port);
    if (n > 0)
        snprintf(buf, n, "%s,%s,%s", s, d, port);
}

double vmitn_learner_count(const vmitn_learner *l, enum vmitn_learner_array a, uint32_t value,
                           vmitn_time t)
{
    vmitn_assert(a == VMITN_ARR_SRC || a == VMITN_ARR_DST || a == VMITN_ARR_PORT);
    const lru *arr = &l->arr[a];
    long r = lru_find(arr, value);
    if (r < 0)
        return 0;
    return age(l, arr->rec[r].count, arr->rec[r].last, t);
}

size_t vmitn_learner_table(const vmitn_learner *l, vmitn_learner_record *out, size_t max)
{
    for (size_t i = 0; i < l->table_used && i < max; i++)
        out[i] = l->table[i].r;
    return l->table_used;
}

uint64_t vmitn_learner_fed(const vmitn_learner *l) { return l->fed; }
uint64_t vmitn_learner_passed(const vmitn_learner *l) { return l->passed; }
