/* rng.h — per-entity random streams.  The only module that includes GSL's RNG headers.
 *
 * Every stream is a GSL generator of the type "vmitn-xoshiro256**" (64-bit seed, 32-byte
 * state) seeded with vmitn_seed_mix(master, run, stream).  A stream id is
 * (purpose << 32) | entity, with fixed purpose numbers below: adding a stream never
 * shifts another, and replication r of a scenario reuses no draw of replication r' != r. */
#ifndef VMITN_RNG_H
#define VMITN_RNG_H

#include <stdint.h>

typedef struct vmitn_rng vmitn_rng;

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

/* A new stream; never NULL (aborts on OOM).  Free with vmitn_rng_free. */
vmitn_rng *vmitn_rng_new(uint64_t master, uint64_t run, uint64_t stream);
void vmitn_rng_free(vmitn_rng *r);

uint32_t vmitn_rng_u32(vmitn_rng *r);
double vmitn_rng_uniform(vmitn_rng *r);           /* [0, 1) with 53 random bits */
double vmitn_rng_uniform_pos(vmitn_rng *r);       /* (0, 1) */
uint64_t vmitn_rng_below(vmitn_rng *r, uint64_t n); /* uniform on [0, n), n >= 1, unbiased */
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

/* The underlying generator, for other GSL calls; an opaque pointer to gsl_rng. */
void *vmitn_rng_gsl(vmitn_rng *r);

#endif
