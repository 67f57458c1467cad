/* rng.c — per-entity random streams: seeding, and GSL's distributions on our generator.
 *
 * GSL's own generators take a seed of at most 32 useful bits (MT19937 and taus2 keep
 * only the low 32), so thousands of derived streams would risk collisions.  We register
 * one more gsl_rng_type, xoshiro256** (Blackman & Vigna, 2018), seeded from the full
 * 64-bit derived seed through splitmix64.  The state lives in the caller's vmitn_rng
 * record; a distribution call wraps it in a gsl_rng handle on the stack (two pointers),
 * so all GSL distributions draw from exactly the words the inline uniforms of rng.h
 * would have drawn. */
#include "vmitn/rng.h"
#include "vmitn/util.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

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

/* GSL's view of the generator: get returns the high 32 bits, get_double 53 bits. */
static void xo_set(void *vstate, unsigned long seed)
{
    vmitn_rng *r = vstate;
    uint64_t x = (uint64_t)seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x); /* never all zero: splitmix64 is a bijection of distinct inputs */
}

static unsigned long xo_get(void *vstate) { return vmitn_rng_u32(vstate); }
static double xo_get_double(void *vstate) { return vmitn_rng_uniform(vstate); }

static const gsl_rng_type xo_type = {
    "vmitn-xoshiro256**", 0xffffffffUL, 0, sizeof(vmitn_rng), xo_set, xo_get, xo_get_double};

/* A GSL handle on r's state, for one distribution call. */
#define GSL(r) (&(gsl_rng){.type = &xo_type, .state = (r)})

void vmitn_rng_seed(vmitn_rng *r, uint64_t master, uint64_t run, uint64_t stream)
{
    xo_set(r, (unsigned long)vmitn_seed_mix(master, run, stream));
}

vmitn_rng *vmitn_rng_new(uint64_t master, uint64_t run, uint64_t stream)
{
    vmitn_rng *r = vmitn_xmalloc(sizeof *r);
    vmitn_rng_seed(r, master, run, stream);
    return r;
}

void vmitn_rng_free(vmitn_rng *r) { free(r); }

/* u < p with u = w 2^-53 is w < p 2^53 (a power of two scales a double exactly), and for
 * an integer w that is w < ceil(p 2^53); 0 <= p <= 2, so the cut fits. */
uint64_t vmitn_rng_cut(double p)
{
    vmitn_assert(p >= 0 && p <= 2);
    return (uint64_t)ceil(ldexp(p, 53));
}

uint64_t vmitn_rng_below_wide(vmitn_rng *r, uint64_t n)
{
    vmitn_assert(n >= 1);
    /* Whole address spaces are 2^32 wide: rejection on 64-bit words. */
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, v;
    do
        v = vmitn_rng_next(r);
    while (v >= lim);
    return v % n;
}

void vmitn_below_init(vmitn_below *b, uint64_t n)
{
    vmitn_assert(n >= 1);
    *b = (vmitn_below){.n = n};
    if (n >= 2 && n <= 0xffffffffULL) {
        uint32_t scale = 0xffffffffu / (uint32_t)n;
        if (scale == 1)
            b->keep = 0xffffffffu;
        else
            b->rcp = UINT64_MAX / scale + 1; /* ceil(2^64 / scale), a power of two's too */
    } else if (n > 0xffffffffULL) {
        b->pow2 = (n & (n - 1)) == 0;
        b->rcp = UINT64_MAX - (b->pow2 ? n - 1 : UINT64_MAX % n);
    }
}

double vmitn_rng_exp(vmitn_rng *r, double mean) { return gsl_ran_exponential(GSL(r), mean); }

double vmitn_rng_gamma_cv(vmitn_rng *r, double mean, double cv)
{
    if (cv <= 0 || mean <= 0)
        return mean;
    double shape = 1.0 / (cv * cv);
    return gsl_ran_gamma(GSL(r), shape, mean / shape);
}

double vmitn_rng_gauss(vmitn_rng *r, double sd) { return gsl_ran_gaussian_ziggurat(GSL(r), sd); }
unsigned vmitn_rng_poisson(vmitn_rng *r, double mean) { return gsl_ran_poisson(GSL(r), mean); }

double vmitn_rng_geometric(vmitn_rng *r, double p)
{
    if (p >= 1)
        return 1;
    return floor(log(vmitn_rng_uniform_pos(r)) / log1p(-p)) + 1;
}

double vmitn_rng_gamma(vmitn_rng *r, double shape, double scale) { return gsl_ran_gamma(GSL(r), shape, scale); }
unsigned vmitn_rng_binomial(vmitn_rng *r, double p, unsigned n) { return gsl_ran_binomial(GSL(r), p, n); }
