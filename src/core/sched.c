/* sched.c — the event core: a pool of event records and one of two queues over it,
 * both ordered by the key (time, sequence, slot):
 *  - a d-ary min-heap of 16-byte keys (sifting touches little memory; the record is read
 *    once, when the event runs);
 *  - a ladder queue (Tang, Goh & Thng, "Ladder Queue: An O(1) Priority Queue Structure
 *    for Large-Scale Discrete Event Simulation", ACM TOMACS 15(3), 2005): an unsorted Top
 *    for the far future, rungs of buckets that split the near future ever finer, and a
 *    small sorted Bottom that events are popped from.  A push is O(1) (an append to a
 *    bucket's list); each event is moved a bounded number of times before it reaches
 *    Bottom, where it is sorted among a few dozen others.  Buckets are lists linked
 *    through the records themselves, so the ladder allocates nothing per event.
 * Both pop in exactly (time, sequence) order: the ladder only decides which events are
 * sorted together, and every comparison that orders two events compares full keys.
 * Cancellation clears the record's handler; the stale key is dropped when popped. */
#include "vmitn/evq.h"
#include "vmitn/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 16 bytes, compared as one unsigned 128-bit number: the time (biased to unsigned) in the
 * high word, then the sequence number (high 40 bits) and the pool slot (low 24 bits).
 * So ordering the keys orders events by (time, sequence), and the comparison compiles
 * to branch-free code. */
__extension__ typedef unsigned __int128 key;
#define SLOT_BITS 24
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
_Static_assert(SLOT_MASK + 1u == VMITN_SCHED_MAX_PENDING, "a slot must name every pending event");

static inline key make_key(uint64_t tbits, uint64_t low) { return ((key)tbits << 64) | low; }
static inline uint64_t time_bits(vmitn_time t) { return (uint64_t)t ^ ((uint64_t)1 << 63); }
static inline vmitn_time key_time(key k) { return (vmitn_time)((uint64_t)(k >> 64) ^ ((uint64_t)1 << 63)); }
static inline uint32_t key_slot(key k) { return (uint32_t)k & SLOT_MASK; }

typedef struct rec {
    vmitn_ev_fn fn; /* NULL: free or cancelled */
    void *ctx;
    uint64_t arg;
    uint64_t tbits; /* the key, kept for the ladder: biased time ... */
    uint64_t low;   /* ... and sequence << SLOT_BITS | slot */
    uint32_t gen;   /* bumped each time the slot is freed, so old handles go stale */
    uint32_t next;  /* free: the free list's link; in a ladder bucket: the bucket's list
                     * (read with the key it sits beside: one cache miss an event) */
} rec;

#define NO_SLOT UINT32_MAX

/* ---- ladder parameters (the paper's THRES and a bound on the rungs) ---- */
#define LQ_THRES 48    /* a bucket of more events than this is split into a finer rung */
#define LQ_MAXRUNGS 8  /* deeper than this, a bucket is sorted into Bottom whatever its size */
#define LQ_BATCH 16    /* buckets are taken into Bottom until it holds at least this many events */

/* One rung: nb buckets over times from `start`, bucket b holding the times t with
 * idx(t) = b, idx(t) = min(nb - 1, floor((t - start) * inv_w)).  idx is a monotone
 * function of t, so every event of bucket b is earlier than every event of bucket b' > b;
 * the buckets before `cur` have been taken. */
typedef struct rung {
    uint32_t *head; /* nb list heads (slots) */
    size_t nb, cap, cur;
    vmitn_time start;
    double inv_w;
} rung;

struct vmitn_sched {
    key *heap;      /* heap[0] is the root; the array starts `pad` keys into `base` */
    key *base;
    size_t pad;
    size_t n, cap;  /* events pending (cancelled ones included); heap capacity */
    rec *pool;
    uint32_t *scratch;   /* slots of the bucket being taken */
    size_t capscratch;
    uint32_t pool_cap, free_head;
    uint32_t max_pending; /* VMITN_SCHED_MAX_PENDING unless a test lowers it */
    uint32_t cur;        /* the running event's slot, kept for vmitn_sched_again (NO_SLOT:
                          * none, or re-armed, or given up to a push that found no free slot) */
    vmitn_ev_fn cur_fn;  /* the running event, when its slot was given up (else NULL) */
    void *cur_ctx;
    uint64_t cur_arg;
    unsigned shift; /* log2(arity); 0: the ladder */
    uint64_t seqhi;      /* the next sequence number << SLOT_BITS */
    vmitn_time now;
    bool stopped;
    /* the ladder */
    key *top;            /* Top: the events at or after top_start, unsorted */
    size_t ntop, captop;
    vmitn_time top_start, top_min, top_max;
    rung rungs[LQ_MAXRUNGS];
    unsigned nrungs;
    vmitn_time bot_below; /* a push earlier than this may go straight to Bottom: top_start
                           * while there is no rung, else INT64_MIN (set by set_bot_below) */
    uint64_t moves;       /* events copied into new rungs (vmitn_sched_moves) */
    key *bot;            /* Bottom: bot[bhead .. bhead + nbot), in increasing order (the next
                          * event first): a push later than most of it moves few keys */
    size_t bhead, nbot, capbot;
    /* prefetch hints by handler (vmitn_sched_touch) */
    vmitn_ev_fn tfn[VMITN_SCHED_NTOUCH];
    vmitn_touch_fn touch[VMITN_SCHED_NTOUCH];
    unsigned ntouch;
};

vmitn_sched *vmitn_sched_new(unsigned arity)
{
    vmitn_assert(arity == VMITN_SCHED_LADDER || arity == 2 || arity == 4 || arity == 8);
    vmitn_sched *s = vmitn_xcalloc(1, sizeof *s);
    s->shift = arity == VMITN_SCHED_LADDER ? 0 : arity == 2 ? 1 : arity == 4 ? 2 : 3;
    s->free_head = NO_SLOT;
    s->cur = NO_SLOT;
    s->max_pending = VMITN_SCHED_MAX_PENDING;
    s->top_start = INT64_MIN; /* everything goes to Top until the first transfer */
    s->bot_below = INT64_MIN;
    return s;
}

void vmitn_sched_free(vmitn_sched *s)
{
    if (s == NULL)
        return;
    free(s->base);
    free(s->pool);
    free(s->scratch);
    for (unsigned i = 0; i < LQ_MAXRUNGS; i++) {
        free(s->rungs[i].head);
    }
    free(s->bot);
    free(s->top);
    free(s);
}

void vmitn_sched_limit(vmitn_sched *s, uint32_t max_pending)
{
    vmitn_assert(max_pending >= 1 && max_pending <= VMITN_SCHED_MAX_PENDING && max_pending >= s->pool_cap);
    s->max_pending = max_pending;
}

/* Rare paths (growth, new rungs) are kept out of line: the push and the pop of the
 * common case then fit in few registers, without a large stack frame. */
#define COLD __attribute__((noinline, cold))

COLD static void slot_grow(vmitn_sched *s)
{
    /* doubling up to 2^20 records (48 MiB), then an eighth more at a time: 10^7 hosts
     * with a hit pending each need 480 MB of records, not 805 */
    uint32_t old = s->pool_cap, cap = old == 0 ? 1024 : old < (1u << 20) ? old * 2 : old + old / 8;
    if (cap > s->max_pending)
        cap = s->max_pending;
    if (cap <= old) { /* a topology's size is checked, but not what its events add up to */
        char what[96];
        snprintf(what, sizeof what, "more than %" PRIu32 " events pending at once", s->max_pending);
        vmitn_too_big(what);
    }
    s->pool = vmitn_xrealloc(s->pool, (size_t)cap * sizeof *s->pool);
    for (uint32_t i = old; i < cap; i++) {
        s->pool[i] = (rec){.fn = NULL, .gen = 1, .next = i + 1 < cap ? i + 1 : NO_SLOT};
    }
    s->free_head = old;
    s->pool_cap = cap;
}

static void slot_put(vmitn_sched *s, uint32_t i)
{
    s->pool[i].fn = NULL;
    s->pool[i].gen++;
    s->pool[i].next = s->free_head;
    s->free_head = i;
}

/* No free slot.  The running event's record is kept for vmitn_sched_again until its
 * handler returns; a push that finds no other free slot takes it (the event is kept in
 * cur_fn .. cur_arg), so the pool holds no more records than if it had been freed when
 * the event started, and the bound on pending events is the same. */
COLD static void slot_more(vmitn_sched *s)
{
    if (s->cur != NO_SLOT) {
        const rec *r = &s->pool[s->cur];
        s->cur_fn = r->fn;
        s->cur_ctx = r->ctx;
        s->cur_arg = r->arg;
        slot_put(s, s->cur);
        s->cur = NO_SLOT;
        return;
    }
    slot_grow(s);
}

static inline uint32_t slot_take(vmitn_sched *s)
{
    if (s->free_head == NO_SLOT)
        slot_more(s);
    uint32_t i = s->free_head;
    s->free_head = s->pool[i].next;
    return i;
}

/* ---------------- the d-ary heap ---------------- */

static void sift_up(vmitn_sched *s, size_t i, key k)
{
    key *h = s->heap;
    while (i > 0) {
        size_t p = (i - 1) >> s->shift;
        if (k >= h[p])
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = k;
}

/* Index of the smallest of the children first .. end-1. */
static inline size_t min_child(const key *h, size_t first, size_t end, unsigned shift)
{
    if (shift == 2 && first + 4 <= end) { /* a full group of four, without branches */
        size_t a = first + (h[first + 1] < h[first]);
        size_t b = first + 2 + (h[first + 3] < h[first + 2]);
        return h[b] < h[a] ? b : a;
    }
    size_t best = first;
    for (size_t j = first + 1; j < end; j++)
        best = h[j] < h[best] ? j : best;
    return best;
}

/* Refills the hole at the root with k.  Bottom-up (Floyd): the hole first follows the
 * smaller children to a leaf, then k rises from there.  k, the old last element, almost
 * always belongs near the bottom, so this compares less than the textbook sift-down and
 * its loop branch is predictable. */
static void sift_down(vmitn_sched *s, size_t i, key k)
{
    key *h = s->heap;
    size_t n = s->n, d = (size_t)1 << s->shift;
    for (;;) {
        size_t c = (i << s->shift) + 1;
        if (c >= n)
            break;
        size_t best = min_child(h, c, c + d < n ? c + d : n, s->shift);
        h[i] = h[best];
        i = best;
    }
    sift_up(s, i, k);
}

/* Doubles the heap.  The array is 64-byte aligned and starts `pad` = d - 1 keys in, so
 * that the d children of a node (indices d*i+1 .. d*i+d) share one cache line for d = 4
 * (measured: see docs/MODEL.md 1). */
static void grow_heap(vmitn_sched *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024, pad = ((size_t)1 << s->shift) - 1;
    key *base = aligned_alloc(64, ((cap + pad) * sizeof(key) + 63) / 64 * 64);
    if (base == NULL)
        vmitn_panic(__FILE__, __LINE__, "out of memory for the event heap");
    if (s->n)
        memcpy(base + pad, s->heap, s->n * sizeof(key));
    free(s->base);
    s->base = base;
    s->pad = pad;
    s->heap = base + pad;
    s->cap = cap;
}

/* ---------------- the ladder ---------------- */

static inline key rec_key(const rec *r) { return make_key(r->tbits, r->low); }
static inline vmitn_time rec_time(const rec *r) { return (vmitn_time)(r->tbits ^ ((uint64_t)1 << 63)); }

/* Bucket of t in rung g, or -1 if t lies before the rung's first bucket. */
static inline ptrdiff_t rung_idx(const rung *g, vmitn_time t)
{
    if (t < g->start)
        return -1;
    double b = (double)(uint64_t)(t - g->start) * g->inv_w;
    return b >= (double)(g->nb - 1) ? (ptrdiff_t)(g->nb - 1) : (ptrdiff_t)b;
}

/* Room for n keys from bot[0]: bhead is 0 (Bottom empty, or full from the start). */
COLD static void bot_grow(vmitn_sched *s, size_t n)
{
    size_t cap = s->capbot ? s->capbot : 64;
    while (cap < n)
        cap *= 2;
    s->bot = vmitn_xrealloc(s->bot, cap * sizeof *s->bot);
    s->capbot = cap;
}

static inline void bot_reserve(vmitn_sched *s, size_t n)
{
    if (n > s->capbot)
        bot_grow(s, n);
}

/* A new event's key into Bottom, kept in order.  Its sequence number is the largest of
 * all pending, so it goes after every key of its time and before every later one: its
 * place is decided by the times alone (the keys' high words).  Most pushes are later than
 * all but one or two of Bottom (the grid's next sample, a packet in flight), so the last
 * few keys are moved up one place while their times are compared (a copy loop the compiler
 * cannot make into a call of memmove); a key earlier than those is placed by a binary
 * search, and then the shorter side moves (the keys before it one place down when there
 * is room before the head, else the keys after it one place up). */
static inline uint64_t key_tbits(key k) { return (uint64_t)(k >> 64); }

/* Room after Bottom's last key: the keys move to the front, or the array grows. */
COLD static void bot_room(vmitn_sched *s)
{
    if (s->bhead > 0) {
        memmove(s->bot, s->bot + s->bhead, s->nbot * sizeof *s->bot);
        s->bhead = 0;
    } else {
        bot_reserve(s, s->capbot + 1);
    }
}

/* The rest of bot_insert for a key earlier than the last few, which have moved up one
 * place (b[stop] is free); n is Bottom's count before the push, nbot already n + 1. */
__attribute__((noinline)) static void bot_insert_far(vmitn_sched *s, key k, size_t n, size_t stop)
{
    key *b = s->bot + s->bhead;
    uint64_t tb = key_tbits(k);
    size_t lo = 0, hi = stop; /* first position whose time is later than k's */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (key_tbits(b[mid]) <= tb)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (s->bhead > 0 && lo < n - lo) {
        memmove(b + stop, b + stop + 1, (n - stop) * sizeof *b); /* back where they were */
        memmove(b - 1, b, lo * sizeof *b);
        (b - 1)[lo] = k; /* lo may be 0: not b[lo - 1], an unsigned wrap */
        s->bhead--;
        return;
    }
    memmove(b + lo + 1, b + lo, (stop - lo) * sizeof *b);
    b[lo] = k;
}

/* bot_insert when there is room after the last key. */
__attribute__((always_inline)) static inline void bot_insert_roomy(vmitn_sched *s, key k)
{
    uint64_t tb = key_tbits(k);
    size_t n = s->nbot;
    key *b = s->bot + s->bhead;
    size_t j = n, stop = n > 4 ? n - 4 : 0;
    while (j > stop && key_tbits(b[j - 1]) > tb) {
        b[j] = b[j - 1];
        j--;
    }
    s->nbot = n + 1;
    if (j > stop || j == 0)
        b[j] = k;
    else
        bot_insert_far(s, k, n, stop);
}

COLD static void bot_insert_cold(vmitn_sched *s, key k)
{
    bot_room(s);
    bot_insert_roomy(s, k);
}

/* The common case calls nothing but in tail position (the far insert, or the one that
 * first makes room): its values stay in scratch registers. */
__attribute__((always_inline)) static inline void bot_insert(vmitn_sched *s, key k)
{
    if (s->bhead + s->nbot == s->capbot)
        bot_insert_cold(s, k);
    else
        bot_insert_roomy(s, k);
}

static void heap_sort_asc(key *a, size_t n)
{
    /* a max-heap, extracted to the back */
    for (size_t start = n / 2; start-- > 0;)
        for (size_t r = start;;) {
            size_t c = 2 * r + 1;
            if (c >= n)
                break;
            if (c + 1 < n && a[c + 1] > a[c])
                c++;
            if (a[r] >= a[c])
                break;
            key t = a[r];
            a[r] = a[c];
            a[c] = t;
            r = c;
        }
    for (size_t end = n; end-- > 1;) {
        key t = a[0];
        a[0] = a[end];
        a[end] = t;
        for (size_t r = 0;;) {
            size_t c = 2 * r + 1;
            if (c >= end)
                break;
            if (c + 1 < end && a[c + 1] > a[c])
                c++;
            if (a[r] >= a[c])
                break;
            key u = a[r];
            a[r] = a[c];
            a[c] = u;
            r = c;
        }
    }
}

/* Insertion sort, which costs n plus a move per pair out of order: keys taken from
 * consecutive buckets are in order but for the few events a bucket shares.  Past a
 * budget of moves (a bucket of many events pushed in reverse), heap sort. */
static void sort_asc(key *a, size_t n)
{
    size_t budget = n <= 24 ? SIZE_MAX : 8 * n;
    for (size_t i = 1; i < n; i++) {
        key k = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > k; j--) {
            a[j] = a[j - 1];
            if (--budget == 0) {
                a[j - 1] = k;
                heap_sort_asc(a, n);
                return;
            }
        }
        a[j] = k;
    }
}

/* Called whenever nrungs or top_start changes. */
static inline void set_bot_below(vmitn_sched *s) { s->bot_below = s->nrungs == 0 ? s->top_start : INT64_MIN; }

/* A new deepest rung over [lo, hi] for the n events whose keys are k[0..n). */
COLD static void rung_spawn(vmitn_sched *s, const key *k, size_t n, vmitn_time lo, vmitn_time hi)
{
    rung *g = &s->rungs[s->nrungs++];
    set_bot_below(s);
    s->moves += n;
    uint64_t span = (uint64_t)(hi - lo) + 1;
    size_t nb = n < span ? n : (size_t)span; /* about one event per bucket */
    if (nb < 2)
        nb = 2;
    if (nb > g->cap) {
        g->head = vmitn_xrealloc(g->head, nb * sizeof *g->head);
        g->cap = nb;
    }
    g->nb = nb;
    g->cur = 0;
    g->start = lo;
    g->inv_w = (double)nb / (double)span;
    memset(g->head, 0xff, nb * sizeof *g->head);
    for (size_t j = 0; j < n; j++) {
        uint32_t i = key_slot(k[j]);
        size_t b = (size_t)rung_idx(g, key_time(k[j]));
        s->pool[i].next = g->head[b];
        g->head[b] = i;
    }
}

/* Spawns a rung from Bottom when it has grown past THRES (too many events landed in the
 * range being drained): it keeps Bottom's inserts short. */
static void bot_to_rung(vmitn_sched *s)
{
    size_t n = s->nbot;
    const key *b = s->bot + s->bhead;
    s->nbot = 0;
    s->bhead = 0;
    rung_spawn(s, b, n, key_time(b[0]), key_time(b[n - 1]));
}

COLD static void top_grow(vmitn_sched *s)
{
    /* as the pool: doubling up to 2^20 keys, then an eighth more at a time */
    s->captop = s->captop == 0 ? 1024 : s->captop < ((size_t)1 << 20) ? 2 * s->captop : s->captop + s->captop / 8;
    s->top = vmitn_xrealloc(s->top, s->captop * sizeof *s->top);
}

static void top_push(vmitn_sched *s, key k, vmitn_time t)
{
    if (s->ntop == s->captop)
        top_grow(s);
    if (s->ntop == 0 || t < s->top_min)
        s->top_min = t;
    if (s->ntop == 0 || t > s->top_max)
        s->top_max = t;
    s->top[s->ntop++] = k;
}

__attribute__((noinline)) static void lq_push(vmitn_sched *s, uint32_t slot, vmitn_time t)
{
    rec *r = &s->pool[slot];
    if (t >= s->top_start) {
        top_push(s, rec_key(r), t);
        return;
    }
    for (unsigned i = 0; i < s->nrungs; i++) {
        rung *g = &s->rungs[i];
        ptrdiff_t b = rung_idx(g, t);
        if (b >= (ptrdiff_t)g->cur) {
            r->next = g->head[b];
            g->head[b] = slot;
            return;
        }
    }
    /* earlier than everything left in the rungs: Bottom */
    if (s->nbot >= LQ_THRES && s->nrungs < LQ_MAXRUNGS &&
        key_time(s->bot[s->bhead + s->nbot - 1]) > key_time(s->bot[s->bhead])) {
        bot_to_rung(s);
        lq_push(s, slot, t);
        return;
    }
    bot_insert(s, rec_key(r));
}

/* Makes Bottom non-empty if any event is pending: takes the next non-empty bucket of the
 * deepest rung (splitting it into a finer rung if it is large), dropping exhausted
 * rungs, and when no rung is left, spreads Top over a new first rung. */
static void lq_fill(vmitn_sched *s)
{
    while (s->nbot == 0) {
        if (s->nrungs == 0) {
            if (s->ntop == 0)
                return;
            size_t n = s->ntop;
            vmitn_time lo = s->top_min, hi = s->top_max;
            s->ntop = 0;
            /* later pushes at or after top_start wait in Top (at VMITN_TIME_MAX itself they
             * may tie with what leaves now: their larger sequence keeps them after it) */
            s->top_start = hi < VMITN_TIME_MAX ? hi + 1 : hi;
            set_bot_below(s);
            if (n > LQ_THRES && lo < hi) {
                rung_spawn(s, s->top, n, lo, hi);
                continue;
            }
            bot_reserve(s, n);
            memcpy(s->bot, s->top, n * sizeof *s->bot);
            sort_asc(s->bot, n);
            s->bhead = 0;
            s->nbot = n;
            return;
        }
        rung *g = &s->rungs[s->nrungs - 1];
        while (g->cur < g->nb && g->head[g->cur] == NO_SLOT)
            g->cur++;
        if (g->cur == g->nb) {
            s->nrungs--;
            set_bot_below(s);
            continue;
        }
        /* Buckets are taken whole, several at a time while they hold few events: every
         * event of a taken bucket precedes every event of the buckets after it, and later
         * pushes into a taken bucket go to Bottom (lq_push), so Bottom keeps the earliest
         * events.  Walking several short lists at once lets their cache misses overlap.
         * A bucket that would take the batch past LQ_THRES is left for the next pass
         * unless it comes first: a batch is either a few buckets sorted into Bottom or one
         * large bucket split into a finer rung (splitting several at once could rebuild
         * the rung they came from, unchanged). */
        size_t n = 0;
        bool full = false;
        while (g->cur < g->nb && n < LQ_BATCH && !full) {
            /* the heads of the next non-empty buckets first, their records prefetched,
             * then the lists */
            uint32_t heads[LQ_BATCH];
            size_t at[LQ_BATCH];
            unsigned nh = 0;
            for (; g->cur < g->nb && nh < LQ_BATCH - n; g->cur++) {
                uint32_t head = g->head[g->cur];
                if (head == NO_SLOT)
                    continue;
                g->head[g->cur] = NO_SLOT;
                at[nh] = g->cur;
                heads[nh++] = head;
                __builtin_prefetch(&s->pool[head]);
            }
            for (unsigned j = 0; j < nh && !full; j++) {
                size_t n0 = n;
                for (uint32_t i = heads[j]; i != NO_SLOT; i = s->pool[i].next) {
                    if (n == s->capscratch) {
                        s->capscratch = s->capscratch ? 2 * s->capscratch : 256;
                        s->scratch = vmitn_xrealloc(s->scratch, s->capscratch * sizeof *s->scratch);
                    }
                    s->scratch[n++] = i;
                }
                if (n > LQ_THRES && n0 > 0) { /* bucket j and the ones after it go back */
                    n = n0;
                    for (unsigned k = j; k < nh; k++)
                        g->head[at[k]] = heads[k];
                    g->cur = at[j];
                    full = true;
                }
            }
        }
        bot_reserve(s, n);
        vmitn_time lo = VMITN_TIME_MAX, hi = INT64_MIN;
        for (size_t j = 0; j < n; j++) { /* independent loads: their misses overlap */
            const rec *r = &s->pool[s->scratch[j]];
            s->bot[j] = rec_key(r);
            vmitn_time t = rec_time(r);
            lo = t < lo ? t : lo;
            hi = t > hi ? t : hi;
        }
        if (n > LQ_THRES && s->nrungs < LQ_MAXRUNGS && lo < hi) {
            rung_spawn(s, s->bot, n, lo, hi);
            continue;
        }
        sort_asc(s->bot, n);
        s->bhead = 0;
        s->nbot = n;
    }
}

/* ---------------- the scheduler ---------------- */

/* The heap's push, out of line: the ladder's common push below keeps few registers. */
__attribute__((noinline)) static void heap_push(vmitn_sched *s, key k)
{
    if (s->n == s->cap)
        grow_heap(s);
    sift_up(s, s->n++, k);
}

/* Queues record r (slot `slot`, its event filled in) at time t with the next sequence
 * number. */
__attribute__((always_inline)) static inline void push(vmitn_sched *s, rec *r, uint32_t slot, vmitn_time t)
{
    r->tbits = time_bits(t);
    r->low = s->seqhi | slot;
    /* at most 2^40 - 1 pushes: the last sequence number's increment carries (the check) */
    if (__builtin_add_overflow(s->seqhi, (uint64_t)1 << SLOT_BITS, &s->seqhi))
        vmitn_panic(__FILE__, __LINE__, "out of sequence numbers");
    if (s->shift != 0) {
        heap_push(s, rec_key(r));
    } else {
        s->n++;
        /* no rung, before Top, a short Bottom: lq_push would take it to Bottom */
        if (t < s->bot_below && s->nbot < LQ_THRES)
            bot_insert(s, rec_key(r));
        else
            lq_push(s, slot, t);
    }
}

vmitn_ev vmitn_sched_at(vmitn_sched *s, vmitn_time t, vmitn_ev_fn fn, void *ctx, uint64_t arg)
{
    vmitn_assert(fn != NULL && t >= s->now);
    uint32_t slot = slot_take(s);
    rec *r = &s->pool[slot];
    r->fn = fn;
    r->ctx = ctx;
    r->arg = arg;
    push(s, r, slot, t);
    return ((uint64_t)r->gen << 32) | slot;
}

vmitn_ev vmitn_sched_after(vmitn_sched *s, vmitn_time dt, vmitn_ev_fn fn, void *ctx, uint64_t arg)
{
    return vmitn_sched_at(s, s->now + dt, fn, ctx, arg);
}

/* The running event's record was given up (slot_more): a push like any other. */
COLD static void again_given_up(vmitn_sched *s, vmitn_time dt)
{
    vmitn_assert(s->cur_fn != NULL); /* called from a handler run by vmitn_sched_run, once */
    vmitn_ev_fn fn = s->cur_fn;
    s->cur_fn = NULL;
    vmitn_sched_after(s, dt, fn, s->cur_ctx, s->cur_arg);
}

void vmitn_sched_again(vmitn_sched *s, vmitn_time dt)
{
    uint32_t slot = s->cur;
    if (slot == NO_SLOT) {
        again_given_up(s, dt);
        return;
    }
    vmitn_assert(dt >= 0);
    s->cur = NO_SLOT;
    rec *r = &s->pool[slot];
    r->gen++; /* the handle of the run that is ending goes stale, as if freed */
    push(s, r, slot, s->now + dt);
}

bool vmitn_sched_cancel(vmitn_sched *s, vmitn_ev ev)
{
    uint32_t slot = (uint32_t)ev, gen = (uint32_t)(ev >> 32);
    if (slot >= s->pool_cap || s->pool[slot].gen != gen || s->pool[slot].fn == NULL || slot == s->cur)
        return false; /* the running event (cur) has run: its handle is stale */
    s->pool[slot].fn = NULL; /* the key stays; pop frees the slot */
    return true;
}

/* The next key, without removing it; false when nothing is pending.  `ladder` is
 * s->shift == 0, passed as a constant where the caller knows it. */
__attribute__((always_inline)) static inline bool peek_q(vmitn_sched *s, key *k, bool ladder)
{
    if (ladder) {
        if (s->nbot == 0)
            lq_fill(s);
        if (s->nbot == 0)
            return false;
        *k = s->bot[s->bhead];
        return true;
    }
    if (s->n == 0)
        return false;
    *k = s->heap[0];
    return true;
}

/* Removes the key peek returned.  An emptied Bottom keeps its head where it is (a push
 * goes there; bot_room moves the keys to the front when the array's end is reached). */
__attribute__((always_inline)) static inline void drop_q(vmitn_sched *s, bool ladder)
{
    if (ladder) {
        s->bhead++;
        s->nbot--;
        s->n--;
        return;
    }
    key last = s->heap[--s->n];
    if (s->n > 0)
        sift_down(s, 0, last);
}

static inline bool peek(vmitn_sched *s, key *k) { return peek_q(s, k, s->shift == 0); }
static inline void drop_top(vmitn_sched *s) { drop_q(s, s->shift == 0); }

void vmitn_sched_touch(vmitn_sched *s, vmitn_ev_fn fn, vmitn_touch_fn touch)
{
    vmitn_assert(fn != NULL && touch != NULL);
    unsigned i = 0;
    while (i < s->ntouch && s->tfn[i] != fn)
        i++;
    vmitn_assert(i < VMITN_SCHED_NTOUCH);
    s->tfn[i] = fn;
    s->touch[i] = touch;
    if (i == s->ntouch)
        s->ntouch++;
}

/* The hint of the event `ahead` places after the next one (its record was read when it
 * entered Bottom, so it is in cache): called as an event starts, for the event after it
 * (ahead = 0), the fetch has the whole handler's time to arrive. */
static inline void touch_ahead(const vmitn_sched *s, size_t ahead)
{
    if (s->nbot <= ahead)
        return;
    const rec *r = &s->pool[key_slot(s->bot[s->bhead + ahead])];
    for (unsigned i = 0; i < s->ntouch; i++)
        if (r->fn == s->tfn[i]) {
            s->touch[i](r->ctx, r->arg);
            return;
        }
}

bool vmitn_sched_pop(vmitn_sched *s, vmitn_time *t, vmitn_ev_fn *fn, void **ctx, uint64_t *arg)
{
    key k;
    while (peek(s, &k)) {
        drop_top(s);
        uint32_t slot = key_slot(k);
        rec r = s->pool[slot];
        slot_put(s, slot);
        if (r.fn == NULL)
            continue;
        *t = key_time(k);
        s->now = *t;
        *fn = r.fn;
        *ctx = r.ctx;
        *arg = r.arg;
        return true;
    }
    return false;
}

/* vmitn_sched_run for one kind of queue (a constant: the compiler drops the other's
 * code from the loop). */
__attribute__((always_inline)) static inline uint64_t run_q(vmitn_sched *s, vmitn_time until, bool ladder)
{
    uint64_t ran = 0;
    s->stopped = false;
    key k;
    while (!s->stopped && peek_q(s, &k, ladder)) {
        vmitn_time t = key_time(k);
        if (t > until) {
            s->now = until;
            return ran;
        }
        drop_q(s, ladder);
        uint32_t slot = key_slot(k);
        const rec *r = &s->pool[slot];
        vmitn_ev_fn fn = r->fn;
        if (fn == NULL) {
            slot_put(s, slot);
            continue;
        }
        /* the record is freed when the handler returns, unless vmitn_sched_again re-arms it */
        s->cur = slot;
        s->now = t;
        if (s->ntouch)
            touch_ahead(s, 0);
        fn(s, r->ctx, r->arg);
        if (s->cur != NO_SLOT) {
            slot_put(s, s->cur);
            s->cur = NO_SLOT;
        } else {
            s->cur_fn = NULL; /* re-armed, or given up and maybe not re-armed */
        }
        /* a long run stops soon after Ctrl-C (every 65,536 events: a few ms) */
        if ((++ran & 0xffff) == 0 && vmitn_interrupted())
            break;
    }
    if (!s->stopped && until != VMITN_TIME_MAX && until > s->now)
        s->now = until;
    return ran;
}

uint64_t vmitn_sched_run(vmitn_sched *s, vmitn_time until)
{
    return s->shift == 0 ? run_q(s, until, true) : run_q(s, until, false);
}

void vmitn_sched_stop(vmitn_sched *s) { s->stopped = true; }
vmitn_time vmitn_sched_now(const vmitn_sched *s) { return s->now; }
size_t vmitn_sched_pending(const vmitn_sched *s) { return s->n; }
uint64_t vmitn_sched_moves(const vmitn_sched *s) { return s->moves; }
