/* test_worm.c — the worm's scan targeting in integers: the cut that replaces the
 * comparison of a uniform draw with a region's probability. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>

#include "vmitn/model_internal.h"

/* For w the top 53 bits of a draw, (double)w * 2^-53 < p exactly when w < cut(p): at the
 * cut and beside it, and for random w, over probabilities that are and are not multiples
 * of 2^-53, the paper's 3/8 and 7/8, and the ends 0 and 1 (and a sum just above 1). */
static void test_worm_cut_is_the_comparison(void **state)
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
        uint64_t cut = vmitn_worm_cut(p);
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
        cmocka_unit_test(test_worm_cut_is_the_comparison),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
