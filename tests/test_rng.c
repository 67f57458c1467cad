/* test_rng.c — random streams: reproducible, independent by id, run and seed; adding a
 * stream shifts no other; distributions checked with chi-square and KS (fixed seeds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "vmitn/rng.h"

static void test_rng_same_seed_same_draws(void **state)
{
    (void)state;
    vmitn_rng *a = vmitn_rng_new(42, 3, VMITN_STREAM(VMITN_STREAM_SCAN, 5));
    vmitn_rng *b = vmitn_rng_new(42, 3, VMITN_STREAM(VMITN_STREAM_SCAN, 5));
    for (int i = 0; i < 1000; i++)
        assert_int_equal(vmitn_rng_u32(a), vmitn_rng_u32(b));
    vmitn_rng_free(a);
    vmitn_rng_free(b);
}

/* Streams differing in any one of (seed, run, purpose, entity) share no prefix. */
static void test_rng_streams_differ(void **state)
{
    (void)state;
    uint64_t keys[][3] = {{42, 3, VMITN_STREAM(1, 5)}, {43, 3, VMITN_STREAM(1, 5)}, {42, 4, VMITN_STREAM(1, 5)},
                          {42, 3, VMITN_STREAM(2, 5)}, {42, 3, VMITN_STREAM(1, 6)}, {0, 0, 0}, {4357, 0, 0}};
    enum { K = sizeof keys / sizeof keys[0], N = 64 };
    uint32_t draws[K][N];
    for (int k = 0; k < K; k++) {
        vmitn_rng *r = vmitn_rng_new(keys[k][0], keys[k][1], keys[k][2]);
        for (int i = 0; i < N; i++)
            draws[k][i] = vmitn_rng_u32(r);
        vmitn_rng_free(r);
    }
    for (int a = 0; a < K; a++)
        for (int b = a + 1; b < K; b++) {
            int same = 0;
            for (int i = 0; i < N; i++)
                same += draws[a][i] == draws[b][i];
            assert_true(same <= 1); /* chance agreement of one 32-bit draw is ~1e-8 */
        }
}

/* A stream's draws do not depend on which other streams exist or were used. */
static void test_rng_adding_a_stream_shifts_nothing(void **state)
{
    (void)state;
    vmitn_rng *a = vmitn_rng_new(7, 0, VMITN_STREAM(1, 0));
    uint32_t alone[100];
    for (int i = 0; i < 100; i++)
        alone[i] = vmitn_rng_u32(a);
    vmitn_rng_free(a);
    vmitn_rng *other = vmitn_rng_new(7, 0, VMITN_STREAM(1, 1));
    vmitn_rng *b = vmitn_rng_new(7, 0, VMITN_STREAM(1, 0));
    for (int i = 0; i < 100; i++) {
        vmitn_rng_u32(other);
        assert_int_equal(vmitn_rng_u32(b), alone[i]);
    }
    vmitn_rng_free(other);
    vmitn_rng_free(b);
}

/* below(n): chi-square over 16 cells, 160,000 draws, at the 0.1 % level. */
static void test_rng_below_uniform_chi2(void **state)
{
    (void)state;
    vmitn_rng *r = vmitn_rng_new(1, 0, VMITN_STREAM(0, 2));
    enum { C = 16, N = 160000 };
    double cnt[C] = {0};
    for (int i = 0; i < N; i++)
        cnt[vmitn_rng_below(r, C)]++;
    double chi = 0, e = (double)N / C;
    for (int i = 0; i < C; i++)
        chi += (cnt[i] - e) * (cnt[i] - e) / e;
    assert_true(chi < gsl_cdf_chisq_Pinv(0.999, C - 1));
    /* the 64-bit path: ranges above 2^32 stay in range and cover the top half */
    uint64_t big = (1ULL << 32) + 12345, top = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t v = vmitn_rng_below(r, big);
        assert_true(v < big);
        top += v >= big / 2;
    }
    assert_true(top > 4700 && top < 5300);
    vmitn_rng_free(r);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* gamma_cv(mean, cv): KS distance to the gamma CDF with shape 1/cv^2, 5,000 draws,
 * against the 0.1 % critical value 1.95/sqrt(n); and cv = 0 is exact. */
static void test_rng_gamma_cv_ks(void **state)
{
    (void)state;
    vmitn_rng *r = vmitn_rng_new(3, 0, VMITN_STREAM(0, 3));
    enum { N = 5000 };
    double *x = malloc(N * sizeof *x);
    double mean = 0.867, cv = 0.2, shape = 1 / (cv * cv);
    for (int i = 0; i < N; i++)
        x[i] = vmitn_rng_gamma_cv(r, mean, cv);
    qsort(x, N, sizeof *x, cmp_d);
    double d = 0;
    for (int i = 0; i < N; i++) {
        double f = gsl_cdf_gamma_P(x[i], shape, mean / shape);
        d = fmax(d, fmax(f - (double)i / N, (double)(i + 1) / N - f));
    }
    assert_true(d < 1.95 / sqrt(N));
    assert_true(vmitn_rng_gamma_cv(r, 0.5, 0) == 0.5);
    free(x);
    vmitn_rng_free(r);
}

/* The draws are the same words, in the same order, as when every uniform went through
 * GSL's function pointers (commit 6df37ad): a checksum over 200,000 mixed draws (the
 * inline uniforms, below() on both paths and at its edges, and GSL's distributions on the
 * shared state) against the value that version printed.  Any change of stream use, of
 * below()'s rejection rule or of the bits a double takes changes it. */
static uint64_t mixin(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x100000001b3ULL;
    return h ^ (h >> 29);
}
static uint64_t dbits(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static void test_rng_draws_match_reference(void **state)
{
    (void)state;
    vmitn_rng *r = vmitn_rng_new(2026, 12, VMITN_STREAM(VMITN_STREAM_SCAN, 77));
    uint64_t h = 1469598103934665603ULL;
    const uint64_t ns[] = {1, 2, 3, 7, 1000, 65535, 1u << 24, 4294967295ULL, 4294967296ULL, 4294967301ULL, 1ULL << 40};
    for (int i = 0; i < 200000; i++) {
        switch (i % 8) {
        case 0: h = mixin(h, vmitn_rng_u32(r)); break;
        case 1: h = mixin(h, dbits(vmitn_rng_uniform(r))); break;
        case 2: h = mixin(h, dbits(vmitn_rng_uniform_pos(r))); break;
        case 3: h = mixin(h, vmitn_rng_below(r, ns[(i / 8) % 11])); break;
        case 4: h = mixin(h, dbits(vmitn_rng_exp(r, 0.25))); break;
        case 5: h = mixin(h, dbits(vmitn_rng_gamma_cv(r, 0.4, 0.3))); break;
        case 6: h = mixin(h, dbits(vmitn_rng_geometric(r, 1e-3))); break;
        default:
            h = mixin(h, vmitn_rng_binomial(r, 0.3, 1000) + vmitn_rng_poisson(r, 3.5));
            h = mixin(h, dbits(vmitn_rng_gauss(r, 2)));
            break;
        }
    }
    assert_true(h == 0x52925f718e467802ULL);
    vmitn_rng_free(r);
}

/* Bounds for the prepared draws: the edges of both paths, every power of two, their
 * neighbours, and random bounds of every width. */
static size_t below_bounds(uint64_t *ns, size_t cap)
{
    size_t k = 0;
    const uint64_t fixed[] = {1, 2, 3, 5, 7, 255, 256, 257, 1000, 65535, 65536, 16843009, 2147483647ULL,
                              2147483648ULL, 2147483649ULL, 3000000000ULL, 4294967294ULL, 4294967295ULL,
                              4294967296ULL, 4294967297ULL, 4294967301ULL, 12884901887ULL, 1ULL << 40,
                              (1ULL << 63) + 1, UINT64_MAX};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        ns[k++] = fixed[i];
    for (int e = 1; e < 64; e++) {
        ns[k++] = (1ULL << e) - 1;
        ns[k++] = 1ULL << e;
        ns[k++] = (1ULL << e) + 1;
    }
    vmitn_rng *r = vmitn_rng_new(5, 0, VMITN_STREAM(0, 9));
    while (k < cap) {
        int bits = 1 + (int)vmitn_rng_below(r, 40);
        uint64_t n = vmitn_rng_next(r) >> (64 - bits);
        ns[k++] = n ? n : 1;
    }
    vmitn_rng_free(r);
    return k;
}

/* vmitn_rng_below_by draws what vmitn_rng_below draws, draw for draw, and leaves the
 * stream where it leaves it, for every kind of bound and many seeds. */
static void test_rng_below_by_same_draws(void **state)
{
    (void)state;
    enum { NB = 1024, SEEDS = 8, DRAWS = 300 };
    uint64_t ns[NB];
    size_t nn = below_bounds(ns, NB);
    for (size_t i = 0; i < nn; i++) {
        vmitn_below b;
        vmitn_below_init(&b, ns[i]);
        for (uint64_t seed = 0; seed < SEEDS; seed++) {
            vmitn_rng x, y;
            vmitn_rng_seed(&x, seed, i, VMITN_STREAM(VMITN_STREAM_SCAN, 1));
            y = x;
            for (int d = 0; d < DRAWS; d++) {
                uint64_t v = vmitn_rng_below(&x, ns[i]);
                if (v != vmitn_rng_below_by(&y, &b))
                    fail_msg("n = %llu, seed %llu, draw %d", (unsigned long long)ns[i], (unsigned long long)seed, d);
            }
            assert_memory_equal(x.s, y.s, sizeof x.s);
        }
    }
}

/* The reciprocal itself: the high word of rcp * x, plus x where scale is 1, is x / scale
 * for the 32-bit numerators where a rounding error would show first (0, around d and its
 * multiples, the top of the range) and random ones, over the scales of many bounds. */
static void test_rng_below_reciprocal_exact(void **state)
{
    (void)state;
    enum { NB = 4096 };
    uint64_t ns[NB];
    size_t nn = below_bounds(ns, NB);
    vmitn_rng *r = vmitn_rng_new(6, 0, VMITN_STREAM(0, 10));
    for (size_t i = 0; i < nn; i++) {
        if (ns[i] > 0xffffffffULL) { /* wide: below_wide's rejection limit (a draw meets it 1 in 2^32) */
            vmitn_below b;
            vmitn_below_init(&b, ns[i]);
            assert_true(b.rcp == UINT64_MAX - UINT64_MAX % ns[i]);
            assert_true(b.pow2 == ((ns[i] & (ns[i] - 1)) == 0));
        }
        if (ns[i] < 2 || ns[i] > 0xffffffffULL)
            continue;
        vmitn_below b;
        vmitn_below_init(&b, ns[i]);
        uint64_t d = 0xffffffffULL / ns[i], top = 0xffffffffULL / d;
        uint64_t xs[25] = {0, 1, d - 1, d, d + 1, 2 * d - 1, 2 * d, 2 * d + 1, 0xffffffffULL, 0xfffffffeULL,
                           top * d - 1, top * d, top * d + 1 > 0xffffffffULL ? 0xffffffffULL : top * d + 1};
        for (int j = 13; j < 25; j += 3) { /* a random multiple of d and its neighbours */
            uint64_t q = 1 + vmitn_rng_below(r, top);
            xs[j] = q * d - 1;
            xs[j + 1] = q * d;
            xs[j + 2] = q * d + 1 > 0xffffffffULL ? q * d - 2 : q * d + 1;
        }
        for (int j = 0; j < 25; j++) {
            uint32_t x = (uint32_t)xs[j];
            uint64_t got = (uint64_t)(((vmitn_u128)b.rcp * x) >> 64) + (x & b.keep);
            if (got != x / d)
                fail_msg("scale %llu, x = %u: %llu, not %llu", (unsigned long long)d, x, (unsigned long long)got,
                         (unsigned long long)(x / d));
        }
        for (int j = 0; j < 64; j++) {
            uint32_t x = vmitn_rng_u32(r);
            assert_true((uint64_t)(((vmitn_u128)b.rcp * x) >> 64) + (x & b.keep) == x / d);
        }
    }
    /* a dense sweep of bounds, each scale against the numerators around its top 256
     * multiples, where the reciprocal's error is largest */
    for (uint64_t n = 2; n < 0x80000000ULL; n += n / 64 + 1) {
        vmitn_below b;
        vmitn_below_init(&b, n);
        uint64_t d = 0xffffffffULL / n, top = 0xffffffffULL / d;
        for (uint64_t q = top > 256 ? top - 256 : 1; q <= top; q++)
            for (uint64_t x = q * d - 1; x <= q * d + 1 && x <= 0xffffffffULL; x++) {
                uint32_t u = (uint32_t)x;
                assert_true((uint64_t)(((vmitn_u128)b.rcp * u) >> 64) + (u & b.keep) == u / d);
            }
    }
    vmitn_rng_free(r);
}

/* A record seeded in place draws what a heap stream of the same id draws. */
static void test_rng_seed_in_place(void **state)
{
    (void)state;
    vmitn_rng in;
    vmitn_rng_seed(&in, 9, 2, VMITN_STREAM(VMITN_STREAM_WORM, 3));
    vmitn_rng *heap = vmitn_rng_new(9, 2, VMITN_STREAM(VMITN_STREAM_WORM, 3));
    for (int i = 0; i < 1000; i++)
        assert_true(vmitn_rng_next(&in) == vmitn_rng_next(heap));
    vmitn_rng_free(heap);
}

/* For w the top 53 bits of a draw, (double)w * 2^-53 < p exactly when w < cut(p): at the
 * cut and beside it, and for random w, over probabilities that are and are not multiples
 * of 2^-53, the paper's 3/8 and 7/8, and the ends 0 and 1 (and a sum just above 1). */
static void test_rng_cut_is_the_comparison(void **state)
{
    (void)state;
    double ps[64] = {0, 1, 0.375, 0.5, 0.875, 0.125, 1.0 / 3, 0.1, 0.2, 0.7, 1e-9, 1e-300, 0x1p-53, 0x1p-54,
                     3 * 0x1p-54, nextafter(1, 0), nextafter(1, 2), nextafter(0.375, 0), nextafter(0.375, 1)};
    size_t np = 19;
    vmitn_rng r;
    vmitn_rng_seed(&r, 4, 0, VMITN_STREAM(VMITN_STREAM_TEST, 11));
    for (; np < 64; np++)
        ps[np] = vmitn_rng_uniform(&r) * (np % 2 ? 1.0 : 1e-6);
    for (size_t i = 0; i < np; i++) {
        double p = ps[i];
        uint64_t cut = vmitn_rng_cut(p);
        uint64_t ws[8] = {cut - 2, cut - 1, cut, cut + 1, cut + 2, 0, (1ULL << 53) - 1, 1};
        for (int j = 0; j < 8; j++) {
            uint64_t w = ws[j];
            if (w >= (1ULL << 53))
                continue;
            if (((double)w * 0x1.0p-53 < p) != (w < cut))
                fail_msg("p = %a, w = %llu, cut = %llu", p, (unsigned long long)w, (unsigned long long)cut);
        }
        for (int j = 0; j < 1000; j++) {
            uint64_t w = vmitn_rng_next(&r) >> 11;
            assert_true(((double)w * 0x1.0p-53 < p) == (w < cut));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_same_seed_same_draws),
        cmocka_unit_test(test_rng_streams_differ),
        cmocka_unit_test(test_rng_adding_a_stream_shifts_nothing),
        cmocka_unit_test(test_rng_below_uniform_chi2),
        cmocka_unit_test(test_rng_gamma_cv_ks),
        cmocka_unit_test(test_rng_draws_match_reference),
        cmocka_unit_test(test_rng_seed_in_place),
        cmocka_unit_test(test_rng_below_by_same_draws),
        cmocka_unit_test(test_rng_below_reciprocal_exact),
        cmocka_unit_test(test_rng_cut_is_the_comparison),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
