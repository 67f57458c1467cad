/* rng.c — per-entity random streams on GSL.
 *
 * GSL's own generators take a seed of at most 32 useful bits (MT19937 and taus2 keep
 * only the low 32), so thousands of derived streams would risk collisions.  We register
 * one more gsl_rng_type, xoshiro256** (Blackman & Vigna, 2018), seeded from the full
 * 64-bit derived seed through splitmix64: 32 bytes of state per stream, all GSL
 * distributions available on it, nothing read from the environment. */
#include "vmitn/rng.h"
#include "vmitn/util.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

/* One allocation per stream: the gsl_rng handle, pointing at the state beside it, so a
 * draw touches one cache line (three separate allocations cost three misses on a large
 * population whose streams are scattered in memory). */
struct vmitn_rng {
    gsl_rng *g;
    gsl_rng handle;
    uint64_t state[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t vmitn_seed_mix(uint64_t master, uint64_t run, uint64_t stream)
{
    /* Each input passes through its own splitmix round before the next is folded in,
     * so (m, r, s) and (m', r', s') collide only by a 64-bit accident. */
    uint64_t x = master;
    uint64_t h = splitmix64(&x);
    x = h ^ run;
    h = splitmix64(&x);
    x = h ^ stream;
    return splitmix64(&x);
}

typedef struct xo_state {
    uint64_t s[4];
} xo_state;

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xo_next(xo_state *st)
{
    uint64_t *s = st->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

static void xo_set(void *vstate, unsigned long seed)
{
    xo_state *st = vstate;
    uint64_t x = (uint64_t)seed;
    for (int i = 0; i < 4; i++)
        st->s[i] = splitmix64(&x); /* never all zero: splitmix64 is a bijection of distinct inputs */
}

static unsigned long xo_get(void *vstate) { return (unsigned long)(xo_next(vstate) >> 32); }

static double xo_get_double(void *vstate) { return (double)(xo_next(vstate) >> 11) * 0x1.0p-53; }

static const gsl_rng_type xo_type = {
    "vmitn-xoshiro256**", 0xffffffffUL, 0, sizeof(xo_state), xo_set, xo_get, xo_get_double};

vmitn_rng *vmitn_rng_new(uint64_t master, uint64_t run, uint64_t stream)
{
    vmitn_rng *r = vmitn_xmalloc(sizeof *r);
    r->handle.type = &xo_type;
    r->handle.state = r->state;
    r->g = &r->handle;
    gsl_rng_set(r->g, (unsigned long)vmitn_seed_mix(master, run, stream));
    return r;
}

void vmitn_rng_free(vmitn_rng *r)
{
    if (r == NULL)
        return;
    free(r);
}

uint32_t vmitn_rng_u32(vmitn_rng *r) { return (uint32_t)gsl_rng_get(r->g); }
double vmitn_rng_uniform(vmitn_rng *r) { return gsl_rng_uniform(r->g); }
double vmitn_rng_uniform_pos(vmitn_rng *r) { return gsl_rng_uniform_pos(r->g); }

uint64_t vmitn_rng_below(vmitn_rng *r, uint64_t n)
{
    vmitn_assert(n >= 1);
    if (n <= 0xffffffffULL)
        return n == 1 ? 0 : gsl_rng_uniform_int(r->g, (unsigned long)n);
    /* Wider ranges (whole address spaces are 2^32): rejection on 64-bit words. */
    xo_state *st = gsl_rng_state(r->g);
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, v;
    do
        v = xo_next(st);
    while (v >= lim);
    return v % n;
}

double vmitn_rng_exp(vmitn_rng *r, double mean) { return gsl_ran_exponential(r->g, mean); }

double vmitn_rng_gamma_cv(vmitn_rng *r, double mean, double cv)
{
    if (cv <= 0 || mean <= 0)
        return mean;
    double shape = 1.0 / (cv * cv);
    return gsl_ran_gamma(r->g, shape, mean / shape);
}

double vmitn_rng_gauss(vmitn_rng *r, double sd) { return gsl_ran_gaussian_ziggurat(r->g, sd); }
unsigned vmitn_rng_poisson(vmitn_rng *r, double mean) { return gsl_ran_poisson(r->g, mean); }

double vmitn_rng_geometric(vmitn_rng *r, double p)
{
    if (p >= 1)
        return 1;
    return floor(log(gsl_rng_uniform_pos(r->g)) / log1p(-p)) + 1;
}

double vmitn_rng_gamma(vmitn_rng *r, double shape, double scale) { return gsl_ran_gamma(r->g, shape, scale); }
unsigned vmitn_rng_binomial(vmitn_rng *r, double p, unsigned n) { return gsl_ran_binomial(r->g, p, n); }
void *vmitn_rng_gsl(vmitn_rng *r) { return r->g; }
