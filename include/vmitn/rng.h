/* rng.h — per-entity random streams.  The only module that includes GSL's RNG headers
 * (in rng.c: this header does not, so a caller never sees GSL).
 *
 * Every stream is xoshiro256** (Blackman & Vigna, 2018; 64-bit seed, 32-byte state)
 * seeded with vmitn_seed_mix(master, run, stream).  A stream id is
 * (purpose << 32) | entity, with fixed purpose numbers below: adding a stream never
 * shifts another, and replication r of a scenario reuses no draw of replication r' != r.
 *
 * The state is a plain 32-byte record, so a model can keep it inside its own records
 * (vmitn_rng_seed) instead of behind a pointer; the uniform draws are inline functions
 * of it.  The distributions (exponential, gamma, Poisson, …) are GSL's, drawing from the
 * same state through a GSL generator type registered in rng.c: an inline uniform and
 * GSL's gsl_rng_uniform on the same state give the same number, in the same order. */
#ifndef VMITN_RNG_H
#define VMITN_RNG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct vmitn_rng {
    uint64_t s[4]; /* never all zero */
} vmitn_rng;

/* Fixed stream purposes.  Never renumber: that would change every published result. */
enum vmitn_stream_purpose {
    VMITN_STREAM_TEST = 0,     /* tests and benchmarks */
    VMITN_STREAM_SCAN = 1,     /* worm target choice, per host */
    VMITN_STREAM_WORM = 2,     /* worm timing (activation, scan phase), per host */
    VMITN_STREAM_FES = 3,      /* Table 1 step durations, per host */
    VMITN_STREAM_CLEAN = 4,    /* offline cleaning durations, per host */
    VMITN_STREAM_OOB = 5,      /* OOB latency and loss, per host (SMC = its own id) */
    VMITN_STREAM_LEGIT = 6,    /* legitimate traffic, per host */
    VMITN_STREAM_FLOOD = 7,    /* TFN2K flood, per flood */
    VMITN_STREAM_REPORT = 8,   /* AGENT report sampling, per host */
    VMITN_STREAM_LUA = 9,      /* math.random in scenarios */
    VMITN_STREAM_IGRAPH = 10,  /* igraph's default RNG */
    VMITN_STREAM_SWITCH = 11   /* VM Switcher's mount and unmount, per host */
};
#define VMITN_STREAM(purpose, entity) (((uint64_t)(purpose) << 32) | (uint32_t)(entity))

/* splitmix64-based mix of the three numbers; the seed of stream (master, run, id). */
uint64_t vmitn_seed_mix(uint64_t master, uint64_t run, uint64_t stream);

/* Seeds the caller's record as stream (master, run, stream). */
void vmitn_rng_seed(vmitn_rng *r, uint64_t master, uint64_t run, uint64_t stream);

/* A new stream on the heap; never NULL (aborts on OOM).  Free with vmitn_rng_free. */
vmitn_rng *vmitn_rng_new(uint64_t master, uint64_t run, uint64_t stream);
void vmitn_rng_free(vmitn_rng *r);

/* The next 64-bit word of xoshiro256** (the generator itself). */
static inline uint64_t vmitn_rng_next(vmitn_rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5;
    uint64_t out = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return out;
}

/* The high 32 bits of a word (what GSL's gsl_rng_get returns on this generator). */
static inline uint32_t vmitn_rng_u32(vmitn_rng *r) { return (uint32_t)(vmitn_rng_next(r) >> 32); }

/* The w (a word's top 53 bits, as vmitn_rng_uniform takes them) below which
 * w 2^-53 < p, for 0 <= p <= 2: `u < p` on the integer behind u. */
uint64_t vmitn_rng_cut(double p);

/* [0, 1) with 53 random bits. */
static inline double vmitn_rng_uniform(vmitn_rng *r) { return (double)(vmitn_rng_next(r) >> 11) * 0x1.0p-53; }

/* (0, 1): a zero is drawn again. */
static inline double vmitn_rng_uniform_pos(vmitn_rng *r)
{
    double x;
    do
        x = vmitn_rng_uniform(r);
    while (x == 0);
    return x;
}

uint64_t vmitn_rng_below_wide(vmitn_rng *r, uint64_t n); /* n >= 2^32: rejection on 64-bit words */

/* Uniform on [0, n), n >= 1, unbiased.  Below 2^32 this is GSL's gsl_rng_uniform_int on
 * the high 32 bits (scale = (2^32 - 1) / n, rejection above), draw for draw, so results
 * made when it went through GSL stay the same. */
static inline uint64_t vmitn_rng_below(vmitn_rng *r, uint64_t n)
{
    if (n - 1 >= 0xffffffffULL)
        return vmitn_rng_below_wide(r, n); /* n >= 2^32, or n == 0: a bug, asserted there */
    if (n == 1)
        return 0; /* no draw */
    uint32_t scale = 0xffffffffu / (uint32_t)n, k;
    do
        k = vmitn_rng_u32(r) / scale;
    while (k >= n);
    return k;
}

/* A bound n prepared once for many draws of vmitn_rng_below_by: the same draws as
 * vmitn_rng_below(r, n), value for value and word for word, without its two divisions
 * per draw (the scan loop draws twice per scan from a few fixed bounds).  Below 2^32 the
 * division by scale is a multiplication by rcp = ceil(2^64 / scale) keeping the high 64
 * bits, exact for every 32-bit numerator when 2 <= scale < 2^32 (Lemire, Kaser & Kurz,
 * "Faster remainder by direct computation", 2019, with N = 32 and F = 64); scale = 1
 * (n >= 2^31) has no such reciprocal and passes the word through (keep = all ones).  At
 * and above 2^32 a power of two needs no remainder: UINT64_MAX % n is n - 1 and v % n
 * is v & (n - 1); other wide bounds take vmitn_rng_below_wide. */
__extension__ typedef unsigned __int128 vmitn_u128; /* gcc and clang */

typedef struct vmitn_below {
    uint64_t n;
    uint64_t rcp;  /* 2 <= n < 2^32: ceil(2^64 / scale), 0 when scale is 1; wide: the rejection limit */
    uint32_t keep; /* 2 <= n < 2^32: all ones when scale is 1, else 0 */
    bool pow2;     /* wide: n is a power of two */
} vmitn_below;

/* Prepares bound n >= 1 (0 is a bug, asserted). */
void vmitn_below_init(vmitn_below *b, uint64_t n);

/* Uniform on [0, b->n): exactly vmitn_rng_below(r, b->n). */
static inline uint64_t vmitn_rng_below_by(vmitn_rng *r, const vmitn_below *b)
{
    uint64_t n = b->n;
    if (n - 2 < 0xfffffffeULL) { /* 2 <= n < 2^32 */
        uint64_t k;
        do {
            uint32_t u = vmitn_rng_u32(r);
            k = (uint64_t)(((vmitn_u128)b->rcp * u) >> 64) + (u & b->keep);
        } while (k >= n);
        return k;
    }
    if (n == 1)
        return 0; /* no draw */
    if (!b->pow2)
        return vmitn_rng_below_wide(r, n);
    uint64_t v;
    do
        v = vmitn_rng_next(r);
    while (v >= b->rcp);
    return v & (n - 1);
}

double vmitn_rng_exp(vmitn_rng *r, double mean);  /* exponential with this mean */
/* Gamma with this mean and coefficient of variation; cv == 0 returns mean exactly. */
double vmitn_rng_gamma_cv(vmitn_rng *r, double mean, double cv);
double vmitn_rng_gauss(vmitn_rng *r, double sd);
unsigned vmitn_rng_poisson(vmitn_rng *r, double mean);
/* Trials up to and including the first success, p in (0, 1]: exact, as a double so that
 * tiny p (one scan in 10^9 hits) cannot overflow. */
double vmitn_rng_geometric(vmitn_rng *r, double p);
double vmitn_rng_gamma(vmitn_rng *r, double shape, double scale);
/* Successes in n trials (n < 2^32). */
unsigned vmitn_rng_binomial(vmitn_rng *r, double p, unsigned n);

#endif
