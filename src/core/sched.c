/* sched.c — the event core: a d-ary min-heap of (time, sequence, slot) and a pool of
 * event records.  The heap holds 16-byte keys only, so sifting touches little memory;
 * the record (handler, context, argument) is read once, when the event runs.
 * Cancellation clears the record's handler; the stale key is dropped when popped. */
#include "vmitn/evq.h"
#include "vmitn/util.h"

#include <stdlib.h>
#include <string.h>

/* 16 bytes, compared as one unsigned 128-bit number: the time (biased to unsigned) in the
 * high word, then the sequence number (high 40 bits) and the pool slot (low 24 bits).
 * So ordering the keys orders events by (time, sequence), and the comparison compiles
 * to branch-free code. */
__extension__ typedef unsigned __int128 key;
#define SLOT_BITS 24
#define SLOT_MASK ((1u << SLOT_BITS) - 1)

static inline key make_key(vmitn_time t, uint64_t seq, uint32_t slot)
{
    return ((key)((uint64_t)t ^ ((uint64_t)1 << 63)) << 64) | (seq << SLOT_BITS) | slot;
}
static inline vmitn_time key_time(key k) { return (vmitn_time)((uint64_t)(k >> 64) ^ ((uint64_t)1 << 63)); }
static inline uint32_t key_slot(key k) { return (uint32_t)k & SLOT_MASK; }

typedef struct rec {
    vmitn_ev_fn fn; /* NULL: free or cancelled */
    void *ctx;
    uint64_t arg;
    uint32_t gen;   /* bumped each time the slot is freed, so old handles go stale */
    uint32_t next;  /* free-list link */
} rec;

struct vmitn_sched {
    key *heap;      /* heap[0] is the root; the array starts `pad` keys into `base` */
    key *base;
    size_t pad;
    size_t n, cap;
    rec *pool;
    uint32_t pool_cap, free_head;
    unsigned shift; /* log2(arity) */
    uint64_t seq;
    vmitn_time now;
    bool stopped;
};

#define NO_SLOT UINT32_MAX

vmitn_sched *vmitn_sched_new(unsigned arity)
{
    vmitn_assert(arity == 2 || arity == 4 || arity == 8);
    vmitn_sched *s = vmitn_xcalloc(1, sizeof *s);
    s->shift = arity == 2 ? 1 : arity == 4 ? 2 : 3;
    s->free_head = NO_SLOT;
    return s;
}

void vmitn_sched_free(vmitn_sched *s)
{
    if (s == NULL)
        return;
    free(s->base);
    free(s->pool);
    free(s);
}


static uint32_t slot_take(vmitn_sched *s)
{
    if (s->free_head == NO_SLOT) {
        uint32_t old = s->pool_cap, cap = old ? old * 2 : 1024;
        vmitn_assert(cap > old && cap - 1 <= SLOT_MASK); /* at most 2^24 pending events */
        s->pool = vmitn_xrealloc(s->pool, (size_t)cap * sizeof *s->pool);
        for (uint32_t i = old; i < cap; i++) {
            s->pool[i] = (rec){.fn = NULL, .gen = 1, .next = i + 1 < cap ? i + 1 : NO_SLOT};
        }
        s->free_head = old;
        s->pool_cap = cap;
    }
    uint32_t i = s->free_head;
    s->free_head = s->pool[i].next;
    return i;
}

static void slot_put(vmitn_sched *s, uint32_t i)
{
    s->pool[i].fn = NULL;
    s->pool[i].gen++;
    s->pool[i].next = s->free_head;
    s->free_head = i;
}

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

vmitn_ev vmitn_sched_at(vmitn_sched *s, vmitn_time t, vmitn_ev_fn fn, void *ctx, uint64_t arg)
{
    vmitn_assert(fn != NULL && t >= s->now);
    if (s->n == s->cap)
        grow_heap(s);
    uint32_t slot = slot_take(s);
    rec *r = &s->pool[slot];
    r->fn = fn;
    r->ctx = ctx;
    r->arg = arg;
    vmitn_assert(s->seq < ((uint64_t)1 << (64 - SLOT_BITS)));
    key k = make_key(t, s->seq++, slot);
    sift_up(s, s->n++, k);
    return ((uint64_t)r->gen << 32) | slot;
}

vmitn_ev vmitn_sched_after(vmitn_sched *s, vmitn_time dt, vmitn_ev_fn fn, void *ctx, uint64_t arg)
{
    return vmitn_sched_at(s, s->now + dt, fn, ctx, arg);
}

bool vmitn_sched_cancel(vmitn_sched *s, vmitn_ev ev)
{
    uint32_t slot = (uint32_t)ev, gen = (uint32_t)(ev >> 32);
    if (slot >= s->pool_cap || s->pool[slot].gen != gen || s->pool[slot].fn == NULL)
        return false;
    s->pool[slot].fn = NULL; /* the key stays; pop frees the slot */
    return true;
}

/* Removes the top key; returns its slot. */
static uint32_t heap_pop(vmitn_sched *s, vmitn_time *t)
{
    key top = s->heap[0];
    key last = s->heap[--s->n];
    if (s->n > 0)
        sift_down(s, 0, last);
    *t = key_time(top);
    return key_slot(top);
}

bool vmitn_sched_pop(vmitn_sched *s, vmitn_time *t, vmitn_ev_fn *fn, void **ctx, uint64_t *arg)
{
    while (s->n > 0) {
        uint32_t slot = heap_pop(s, t);
        rec r = s->pool[slot];
        slot_put(s, slot);
        if (r.fn == NULL)
            continue;
        s->now = *t;
        *fn = r.fn;
        *ctx = r.ctx;
        *arg = r.arg;
        return true;
    }
    return false;
}

uint64_t vmitn_sched_run(vmitn_sched *s, vmitn_time until)
{
    uint64_t ran = 0;
    s->stopped = false;
    while (s->n > 0 && !s->stopped) {
        if (key_time(s->heap[0]) > until) {
            s->now = until;
            return ran;
        }
        vmitn_time t;
        uint32_t slot = heap_pop(s, &t);
        rec r = s->pool[slot];
        slot_put(s, slot); /* before the call: the handler may schedule into this slot */
        if (r.fn == NULL)
            continue;
        s->now = t;
        r.fn(s, r.ctx, r.arg);
        /* a long run stops soon after Ctrl-C (every 65,536 events: a few ms) */
        if ((++ran & 0xffff) == 0 && vmitn_interrupted())
            break;
    }
    if (!s->stopped && until != VMITN_TIME_MAX && until > s->now)
        s->now = until;
    return ran;
}

void vmitn_sched_stop(vmitn_sched *s) { s->stopped = true; }
vmitn_time vmitn_sched_now(const vmitn_sched *s) { return s->now; }
size_t vmitn_sched_pending(const vmitn_sched *s) { return s->n; }
