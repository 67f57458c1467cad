/* test_learner.c — the attack pattern learner (paper §3.4, Fig 6, Fig 7): hand-worked
 * cases for both stages, eviction, aging, the three traffic shapes of a worm outbreak,
 * and every configuration error a user can trigger. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmitn/learner.h"

#define IP(a, b, c, d) \
    (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

#define TABLE_MAX 64
#define US (1000 * VMITN_NS)

static vmitn_learner *make(double lambda, double theta, unsigned lru_size, unsigned table_size,
                           vmitn_time half_life)
{
    vmitn_learner_cfg cfg = {lambda, theta, lru_size, table_size, half_life};
    char err[256] = "";
    vmitn_learner *l = vmitn_learner_new(&cfg, err, sizeof err);
    if (!l)
        fail_msg("vmitn_learner_new: %s", err);
    return l;
}

static bool feed(vmitn_learner *l, vmitn_time t, uint32_t src, uint32_t dst, uint16_t port,
                 vmitn_pattern *rule)
{
    vmitn_hdr h = {src, dst, port};
    vmitn_pattern dummy;
    return vmitn_learner_feed(l, t, &h, rule ? rule : &dummy);
}

/* Asserts one table record field by field (records have padding: no memcmp). */
static void assert_rec(const vmitn_learner_record *r, uint32_t src, uint32_t dst, uint16_t port,
                       uint8_t wild, bool seed, uint64_t freq, bool issued)
{
    assert_int_equal(r->pat.wild, wild);
    assert_int_equal(r->pat.src, src);
    assert_int_equal(r->pat.dst, dst);
    assert_int_equal(r->pat.port, port);
    assert_int_equal(r->seed, seed);
    assert_int_equal(r->freq, freq);
    assert_int_equal(r->issued, issued);
}

static size_t table(const vmitn_learner *l, vmitn_learner_record *out)
{
    size_t n = vmitn_learner_table(l, out, TABLE_MAX);
    assert_true(n <= TABLE_MAX);
    return n;
}

static void assert_pattern_str(const vmitn_pattern *p, const char *want)
{
    char buf[64];
    vmitn_pattern_format(p, buf, sizeof buf);
    assert_string_equal(buf, want);
}

/* A 64-bit LCG (Knuth's MMIX constants): the tests' own deterministic traffic. */
static uint32_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 32);
}

/* ---- Fig 7 ---- */

/* Fig 7 with lambda = 10, half_life = 0 (counts are plain integers).
 *
 * S = 140.115.10.10, V = 192.168.1.1, P = {S, V, 25}.  "Fresh" headers use values seen
 * nowhere else (src 10.1.0.i, dst 10.2.0.i, port 2000+i).  Fewer than 64 distinct values
 * per array, so stage 1 never evicts.
 *  1. 8 x {S, fresh, fresh}: src S count 1..8, every other count 1: nothing passes.
 *  2. 10 x {fresh, fresh, 53}: port 53 count 10, not > 10: nothing passes.
 *  3. {B1, V, 53}: port 53 count 11 > 10, passes; empty table -> r0 = raw {B1,V,53}.
 *  4. {B2, V, 53}: port 53 count 12, passes; r0 scores 2 (dst, port) -> generalised:
 *     r0 = seed {*,V,53}, freq 1.
 *  5. 10 x {fresh, fresh, 80}; then {A, V, 80}: port 80 count 11, passes; r0 does not
 *     cover it (port) -> no candidate -> r1 = raw {A,V,80}.
 *  6. 10 x {fresh, X, fresh}; then {S, X, 25}: dst X count 11, passes (src S now 9);
 *     r0 ineligible, r1 scores 0 -> r2 = raw {S,X,25}.
 *  7. 10 x {fresh, Y, fresh}; then {S, Y, 25}: dst Y count 11, passes (src S now 10);
 *     r2 scores 2 (src, port), r1 0, r0 ineligible -> r2 = seed {S,*,25}, freq 1.
 * State: src S count 10, dst V count 3, port 25 count 2; 5 headers passed.
 *  8. P = {S, V, 25}: src S count 11 > 10 -> passes (dst V 4 and port 25 3 would not).
 *     r0 {*,V,53} does not cover P (port 53); r1 raw {A,V,80} scores 1 (dst);
 *     r2 {S,*,25} covers P and scores 2 -> r2's freq 1 -> 2; r0 and r1 unchanged. */
static void test_learner_fig7_example(void **state)
{
    (void)state;
    const uint32_t S = IP(140, 115, 10, 10), V = IP(192, 168, 1, 1);
    const uint32_t A = IP(10, 0, 0, 1), B1 = IP(10, 0, 0, 2), B2 = IP(10, 0, 0, 3);
    const uint32_t X = IP(172, 16, 0, 1), Y = IP(172, 16, 0, 2);
    vmitn_learner *l = make(10, 100, 64, 32, 0);
    vmitn_time t = 0;
    uint32_t i = 0; /* next fresh value */
    vmitn_learner_record rec[TABLE_MAX], before[TABLE_MAX];

    for (int k = 0; k < 8; k++, i++)
        assert_false(feed(l, t += VMITN_MS, S, IP(10, 2, 0, 0) + i, (uint16_t)(2000 + i), NULL));
    for (int k = 0; k < 10; k++, i++)
        feed(l, t += VMITN_MS, IP(10, 1, 0, 0) + i, IP(10, 2, 0, 0) + i, 53, NULL);
    assert_int_equal(vmitn_learner_passed(l), 0);
    feed(l, t += VMITN_MS, B1, V, 53, NULL);
    feed(l, t += VMITN_MS, B2, V, 53, NULL);
    for (int k = 0; k < 10; k++, i++)
        feed(l, t += VMITN_MS, IP(10, 1, 0, 0) + i, IP(10, 2, 0, 0) + i, 80, NULL);
    feed(l, t += VMITN_MS, A, V, 80, NULL);
    for (int k = 0; k < 10; k++, i++)
        feed(l, t += VMITN_MS, IP(10, 1, 0, 0) + i, X, (uint16_t)(2000 + i), NULL);
    feed(l, t += VMITN_MS, S, X, 25, NULL);
    for (int k = 0; k < 10; k++, i++)
        feed(l, t += VMITN_MS, IP(10, 1, 0, 0) + i, Y, (uint16_t)(2000 + i), NULL);
    feed(l, t += VMITN_MS, S, Y, 25, NULL);

    /* The state of Fig 7 just before the packet arrives. */
    assert_true(vmitn_learner_count(l, VMITN_ARR_SRC, S, t) == 10.0);
    assert_true(vmitn_learner_count(l, VMITN_ARR_DST, V, t) == 3.0);
    assert_true(vmitn_learner_count(l, VMITN_ARR_PORT, 25, t) == 2.0);
    assert_int_equal(vmitn_learner_passed(l), 5);
    assert_int_equal(table(l, before), 3);
    assert_rec(&before[0], 0, V, 53, VMITN_WILD_SRC, true, 1, false);
    assert_rec(&before[1], A, V, 80, 0, false, 0, false);
    assert_rec(&before[2], S, 0, 25, VMITN_WILD_DST, true, 1, false);

    assert_false(feed(l, t += VMITN_MS, S, V, 25, NULL));

    assert_true(vmitn_learner_count(l, VMITN_ARR_SRC, S, t) == 11.0);
    assert_true(vmitn_learner_count(l, VMITN_ARR_DST, V, t) == 4.0);
    assert_true(vmitn_learner_count(l, VMITN_ARR_PORT, 25, t) == 3.0);
    assert_int_equal(vmitn_learner_passed(l), 6);
    assert_int_equal(table(l, rec), 3);
    assert_rec(&rec[0], 0, V, 53, VMITN_WILD_SRC, true, 1, false);
    assert_rec(&rec[1], A, V, 80, 0, false, 0, false);
    assert_rec(&rec[2], S, 0, 25, VMITN_WILD_DST, true, 2, false);
    vmitn_learner_free(l);
}

/* ---- stage 2 ---- */

/* lambda = 1: a header passes once any of its values has been seen before.
 * Case 1 (one field differs):
 *   {A,D1,80}: all counts 1, not > 1: stays in stage 1.
 *   {A,D2,80}: src A count 2 -> passes; empty table -> r0 = raw {A,D2,80}.
 *   {A,D3,80}: passes; r0 scores 2 (src, port) -> r0 = seed {A,*,80}, freq 1.
 *   {A,D4,80}: covered by {A,*,80} -> freq 2.
 * Case 2 (two fields differ), a new learner:
 *   {A,D1,80}: stays; {A,D2,443}: passes, r0 = raw {A,D2,443};
 *   {A,D3,80}: r0 scores 1 (src) -> r0 = seed {A,*,*}, freq 1. */
static void test_learner_generalises_differing_fields(void **state)
{
    (void)state;
    const uint32_t A = IP(10, 0, 0, 1);
    const uint32_t D1 = IP(10, 9, 0, 1), D2 = IP(10, 9, 0, 2), D3 = IP(10, 9, 0, 3),
                   D4 = IP(10, 9, 0, 4);
    vmitn_learner_record rec[TABLE_MAX];

    vmitn_learner *l = make(1, 100, 64, 32, 0);
    feed(l, 1, A, D1, 80, NULL);
    assert_int_equal(vmitn_learner_passed(l), 0);
    assert_int_equal(table(l, rec), 0);
    feed(l, 2, A, D2, 80, NULL);
    assert_int_equal(table(l, rec), 1);
    assert_rec(&rec[0], A, D2, 80, 0, false, 0, false);
    feed(l, 3, A, D3, 80, NULL);
    assert_int_equal(table(l, rec), 1);
    assert_rec(&rec[0], A, 0, 80, VMITN_WILD_DST, true, 1, false);
    assert_pattern_str(&rec[0].pat, "10.0.0.1,*,80");
    feed(l, 4, A, D4, 80, NULL);
    assert_int_equal(table(l, rec), 1);
    assert_rec(&rec[0], A, 0, 80, VMITN_WILD_DST, true, 2, false);
    vmitn_learner_free(l);

    l = make(1, 100, 64, 32, 0);
    feed(l, 1, A, D1, 80, NULL);
    feed(l, 2, A, D2, 443, NULL);
    feed(l, 3, A, D3, 80, NULL);
    assert_int_equal(table(l, rec), 1);
    assert_rec(&rec[0], A, 0, 0, VMITN_WILD_DST | VMITN_WILD_PORT, true, 1, false);
    assert_pattern_str(&rec[0].pat, "10.0.0.1,*,*");
    vmitn_learner_free(l);
}

/* Ties.  (1) On equal scores a seed beats a raw record even at a higher index.  lambda = 1,
 * table_size = 2; J = {9.9.9.9, 8.8.8.8, 9999}, V = 192.168.1.1, S = 140.115.10.10.
 *   J, J: the second passes -> r0 = raw J (stamp 1).
 *   {Q1,V,25} twice: the second passes; r0 scores 0 -> r1 = raw {Q1,V,25} (stamp 2).
 *   {Q2,V,25}: r1 scores 2 -> r1 = seed {*,V,25} freq 1 (stamp 3).
 *   {S,D1,25}: r0 scores 0, r1 does not cover (dst) -> insert into the full table over
 *     the least recently touched record, r0 -> r0 = raw {S,D1,25}.
 *   P = {S,V,25}: raw r0 scores 2 (src, port), seed r1 covers P and scores 2: the seed
 *     wins -> r1 freq 2, r0 unchanged.
 * (2) Otherwise the lower index wins.  A new learner, lambda = 1, table_size = 32:
 *   R1 = {A1,D1,1001} twice -> r0 = raw R1;  R2 = {A2,D2,1002} twice -> r1 = raw R2.
 *   {A1,D2,9}: r0 and r1 both score 1 -> r0 = seed {A1,*,*}, r1 unchanged.
 *   {A3,D2,7}: r0 does not cover it, r1 scores 1 -> r1 = seed {*,D2,*}.
 *   {A1,D2,5}: both seeds cover it with score 1 -> r0 freq 2, r1 stays at 1. */
static void test_learner_ties_prefer_seed_then_lower_index(void **state)
{
    (void)state;
    const uint32_t S = IP(140, 115, 10, 10), V = IP(192, 168, 1, 1);
    const uint32_t J1 = IP(9, 9, 9, 9), J2 = IP(8, 8, 8, 8);
    const uint32_t Q1 = IP(10, 0, 0, 1), Q2 = IP(10, 0, 0, 2), D1 = IP(10, 9, 0, 1);
    vmitn_learner_record rec[TABLE_MAX];
    vmitn_learner *l = make(1, 100, 64, 2, 0);
    feed(l, 1, J1, J2, 9999, NULL);
    feed(l, 2, J1, J2, 9999, NULL);
    feed(l, 3, Q1, V, 25, NULL);
    feed(l, 4, Q1, V, 25, NULL);
    feed(l, 5, Q2, V, 25, NULL);
    feed(l, 6, S, D1, 25, NULL);
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[0], S, D1, 25, 0, false, 0, false);
    assert_rec(&rec[1], 0, V, 25, VMITN_WILD_SRC, true, 1, false);
    feed(l, 7, S, V, 25, NULL);
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[0], S, D1, 25, 0, false, 0, false);
    assert_rec(&rec[1], 0, V, 25, VMITN_WILD_SRC, true, 2, false);
    vmitn_learner_free(l);

    const uint32_t A1 = IP(10, 1, 0, 1), A2 = IP(10, 1, 0, 2), A3 = IP(10, 1, 0, 3);
    const uint32_t D2 = IP(10, 2, 0, 2);
    l = make(1, 100, 64, 32, 0);
    feed(l, 1, A1, D1, 1001, NULL);
    feed(l, 2, A1, D1, 1001, NULL);
    feed(l, 3, A2, D2, 1002, NULL);
    feed(l, 4, A2, D2, 1002, NULL);
    assert_int_equal(table(l, rec), 2);
    feed(l, 5, A1, D2, 9, NULL);
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[0], A1, 0, 0, VMITN_WILD_DST | VMITN_WILD_PORT, true, 1, false);
    assert_rec(&rec[1], A2, D2, 1002, 0, false, 0, false);
    feed(l, 6, A3, D2, 7, NULL);
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[1], 0, D2, 0, VMITN_WILD_SRC | VMITN_WILD_PORT, true, 1, false);
    feed(l, 7, A1, D2, 5, NULL);
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[0], A1, 0, 0, VMITN_WILD_DST | VMITN_WILD_PORT, true, 2, false);
    assert_rec(&rec[1], 0, D2, 0, VMITN_WILD_SRC | VMITN_WILD_PORT, true, 1, false);
    vmitn_learner_free(l);
}

/* lambda = 1, theta = 100; header k = {A, D_k, 80} with distinct D_k, k = 0..149.
 *   k = 0: stays in stage 1; k = 1: r0 = raw; k = 2: r0 = seed {A,*,80} freq 1;
 *   k >= 2: freq = k - 1.  freq first exceeds theta at freq 101, i.e. k = 102: the only
 *   true return.  Afterwards the seed keeps counting: freq = 148 after k = 149. */
static void test_learner_issues_rule_once_past_theta(void **state)
{
    (void)state;
    const uint32_t A = IP(10, 0, 0, 1);
    vmitn_learner *l = make(1, 100, 64, 32, 0);
    int issued = 0, at = -1;
    vmitn_pattern rule = {0};
    for (int k = 0; k < 150; k++) {
        vmitn_pattern r;
        if (feed(l, k, A, IP(10, 9, 0, 0) + (uint32_t)k, 80, &r)) {
            issued++;
            at = k;
            rule = r;
        }
    }
    assert_int_equal(issued, 1);
    assert_int_equal(at, 102);
    assert_int_equal(rule.wild, VMITN_WILD_DST);
    assert_int_equal(rule.src, A);
    assert_int_equal(rule.port, 80);
    assert_pattern_str(&rule, "10.0.0.1,*,80");
    vmitn_learner_record rec[TABLE_MAX];
    assert_int_equal(table(l, rec), 1);
    assert_rec(&rec[0], A, 0, 80, VMITN_WILD_DST, true, 148, true);
    vmitn_learner_free(l);
}

/* ---- stage 1 ---- */

static void assert_near(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (relative tolerance %g)", got, want, rel);
}

/* half_life = 100 ms, lambda = 10, one header {S,D,p} every 200 ms: each gap quarters
 * the count, so after n headers count = 1 + 1/4 + ... + 4^-(n-1) = (4/3)(1 - 4^-n), never
 * above 4/3: nothing passes in 10,000 headers.  50 ms after the last header the count is
 * (4/3)(1 - 4^-n) * 2^-0.5.
 * The same 10,000 headers 1 us apart: f = 2^(-1e-5) per gap, count after n headers =
 * (1 - f^n) / (1 - f); n = 10 gives 9.9997 (not > 10), n = 11 gives 10.9996: headers
 * 11..10000 pass, 9990 of them. */
static void test_learner_aging_filters_slow_sources(void **state)
{
    (void)state;
    const uint32_t S = IP(10, 0, 0, 1), D = IP(10, 0, 0, 2);
    const uint16_t p = 445;
    const int n = 10000;

    vmitn_learner *l = make(10, 100, 64, 32, 100 * VMITN_MS);
    vmitn_time t = 0;
    for (int k = 1; k <= n; k++) {
        t = (vmitn_time)(k - 1) * 200 * VMITN_MS;
        feed(l, t, S, D, p, NULL);
        double want = 4.0 / 3.0 * (1 - pow(4, -k));
        assert_near(vmitn_learner_count(l, VMITN_ARR_SRC, S, t), want, 1e-12);
        assert_near(vmitn_learner_count(l, VMITN_ARR_PORT, p, t), want, 1e-12);
    }
    assert_int_equal(vmitn_learner_fed(l), n);
    assert_int_equal(vmitn_learner_passed(l), 0);
    /* count() ages without changing state: asking twice gives the same answer. */
    double later = vmitn_learner_count(l, VMITN_ARR_DST, D, t + 50 * VMITN_MS);
    assert_near(later, 4.0 / 3.0 * exp2(-0.5), 1e-12);
    assert_true(vmitn_learner_count(l, VMITN_ARR_DST, D, t + 50 * VMITN_MS) == later);
    assert_near(vmitn_learner_count(l, VMITN_ARR_DST, D, t), 4.0 / 3.0, 1e-12);
    assert_true(vmitn_learner_count(l, VMITN_ARR_DST, IP(1, 2, 3, 4), t) == 0.0);
    vmitn_learner_free(l);

    l = make(10, 100, 64, 32, 100 * VMITN_MS);
    const double f = exp2(-1e-5);
    for (int k = 1; k <= n; k++) {
        t = (vmitn_time)(k - 1) * US;
        feed(l, t, S, D, p, NULL);
        if (k == 10)
            assert_int_equal(vmitn_learner_passed(l), 0);
        if (k == 11)
            assert_int_equal(vmitn_learner_passed(l), 1);
    }
    assert_int_equal(vmitn_learner_passed(l), n - 10);
    assert_near(vmitn_learner_count(l, VMITN_ARR_SRC, S, t), (1 - pow(f, n)) / (1 - f), 1e-9);
    vmitn_learner_free(l);
}

/* lru_size = 3, lambda = 1000 (nothing passes), half_life = 0; only the src array is
 * watched (dst and port are the same in every header).  (value@time, record index)
 *   a@1 r0, b@1 r1, c@1 r2; a@2 (a: count 2, last 2).
 *   d@3: least recently seen are b and c (both 1): the lower index, r1 (b), goes.
 *   e@3: r2 (c, last 1) goes.
 *   f@4: r0 a (last 2), r1 d (3), r2 e (3): a goes although its count is the highest.
 *   b@5: r1 d and r2 e tie at 3: r1 (d) goes; b comes back with count 1, not 2. */
static void test_learner_stage1_evicts_least_recently_seen(void **state)
{
    (void)state;
    const uint32_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, D = IP(10, 0, 0, 2);
    vmitn_learner *l = make(1000, 100, 3, 32, 0);
#define SRC(v, t) vmitn_learner_count(l, VMITN_ARR_SRC, (v), (t))
    feed(l, 1, a, D, 80, NULL);
    feed(l, 1, b, D, 80, NULL);
    feed(l, 1, c, D, 80, NULL);
    feed(l, 2, a, D, 80, NULL);
    assert_true(SRC(a, 2) == 2 && SRC(b, 2) == 1 && SRC(c, 2) == 1);
    feed(l, 3, d, D, 80, NULL);
    assert_true(SRC(b, 3) == 0);
    assert_true(SRC(a, 3) == 2 && SRC(c, 3) == 1 && SRC(d, 3) == 1);
    feed(l, 3, e, D, 80, NULL);
    assert_true(SRC(c, 3) == 0);
    assert_true(SRC(a, 3) == 2 && SRC(d, 3) == 1 && SRC(e, 3) == 1);
    feed(l, 4, f, D, 80, NULL);
    assert_true(SRC(a, 4) == 0);
    assert_true(SRC(d, 4) == 1 && SRC(e, 4) == 1 && SRC(f, 4) == 1);
    feed(l, 5, b, D, 80, NULL);
    assert_true(SRC(d, 5) == 0);
    assert_true(SRC(b, 5) == 1 && SRC(e, 5) == 1 && SRC(f, 5) == 1);
    /* The shared dst and port were never evicted: 8 headers. */
    assert_true(vmitn_learner_count(l, VMITN_ARR_DST, D, 5) == 8);
    assert_true(vmitn_learner_count(l, VMITN_ARR_PORT, 80, 5) == 8);
#undef SRC
    assert_int_equal(vmitn_learner_passed(l), 0);
    vmitn_learner_free(l);
}

/* A direct transcription of the stage-1 rules (linear scans, no index, no tree), to
 * check the fast arrays against over many random headers: lru_size 1, 3 and 8 (a full
 * tree and two with unused leaves), values drawn from 20, so hits, fills and evictions
 * all happen, about half the headers share their time with the previous one (ties), and
 * the small index sees collisions and deletions all the time; with and without aging. */
#define REF_MAX 8
typedef struct ref_arr {
    unsigned size, used;
    uint32_t value[REF_MAX];
    double count[REF_MAX];
    vmitn_time last[REF_MAX];
} ref_arr;

static double ref_aged(double count, vmitn_time last, vmitn_time t, vmitn_time half_life)
{
    return half_life > 0 ? count * exp2(-(double)(t - last) / (double)half_life) : count;
}

static void ref_touch(ref_arr *a, uint32_t v, vmitn_time t, vmitn_time half_life)
{
    for (unsigned i = 0; i < a->used; i++) {
        if (a->value[i] == v) {
            a->count[i] = ref_aged(a->count[i], a->last[i], t, half_life) + 1;
            a->last[i] = t;
            return;
        }
    }
    unsigned r = a->used;
    if (a->used < a->size) {
        a->used++;
    } else {
        r = 0; /* strict < keeps the lowest index among ties */
        for (unsigned i = 1; i < a->size; i++)
            if (a->last[i] < a->last[r])
                r = i;
    }
    a->value[r] = v, a->count[r] = 1, a->last[r] = t;
}

static double ref_count(const ref_arr *a, uint32_t v, vmitn_time t, vmitn_time half_life)
{
    for (unsigned i = 0; i < a->used; i++)
        if (a->value[i] == v)
            return ref_aged(a->count[i], a->last[i], t, half_life);
    return 0;
}

static void test_learner_stage1_matches_reference_model(void **state)
{
    (void)state;
    const vmitn_time half_lives[] = {0, 3 * VMITN_NS};
    const unsigned sizes[] = {1, 3, REF_MAX};
    for (int hl = 0; hl < 2; hl++) {
        for (int sz = 0; sz < 3; sz++) {
            vmitn_learner *l = make(1e9, 100, sizes[sz], 32, half_lives[hl]);
            ref_arr ref[3] = {{.size = sizes[sz]}, {.size = sizes[sz]}, {.size = sizes[sz]}};
            uint64_t seed = 99;
            vmitn_time t = 0;
            for (int k = 0; k < 20000; k++) {
                t += lcg(&seed) % 2;
                uint32_t v[3] = {lcg(&seed) % 20, lcg(&seed) % 20, lcg(&seed) % 20};
                feed(l, t, v[0], v[1], (uint16_t)v[2], NULL);
                for (int a = 0; a < 3; a++) {
                    ref_touch(&ref[a], v[a], t, half_lives[hl]);
                    for (uint32_t x = 0; x < 20; x++) {
                        double want = ref_count(&ref[a], x, t, half_lives[hl]);
                        double got = vmitn_learner_count(l, (enum vmitn_learner_array)a, x, t);
                        if (want == 0)
                            assert_true(got == 0);
                        else
                            assert_near(got, want, 1e-12);
                    }
                }
            }
            vmitn_learner_free(l);
        }
    }
}

/* table_size = 2, lambda = 1, theta = 1, half_life = 0.  Rk = {1.0.0.k, 2.0.0.k, 1000+k};
 * a header's first sighting stays in stage 1 (counts 1), later ones pass.  Stamps count
 * touches (insert, count, generalise).
 *   R1 x2: r0 = raw R1 (stamp 1).   R2 x2: r1 = raw R2 (2).
 *   R1: r0 scores 3 -> seed R1 (nothing wild), freq 1 (3).
 *   R3 x2: no candidate, table full -> evict the least recently touched: r1 (2), not
 *     r0 -> r1 = raw R3 (4).
 *   R1: freq 2 > theta -> issued (5), a rule.   R3: r1 = seed R3, freq 1 (6).
 *   R4 x2: r0 (5) is older, but issued: r1 (6) goes -> r1 = raw R4 (7).
 *   R4: seed (8); R4: freq 2 -> issued (9).  Now every record is issued.
 *   R5 x2: the least recently touched of all, r0 (5), goes -> r0 = raw R5. */
static void test_learner_stage2_evicts_least_recently_touched(void **state)
{
    (void)state;
    vmitn_learner *l = make(1, 1, 64, 2, 0);
    vmitn_learner_record rec[TABLE_MAX];
    vmitn_pattern rule;
    vmitn_time t = 0;
#define R(k) IP(1, 0, 0, k), IP(2, 0, 0, k), (uint16_t)(1000 + (k))
    assert_false(feed(l, ++t, R(1), NULL));
    assert_false(feed(l, ++t, R(1), NULL));
    assert_false(feed(l, ++t, R(2), NULL));
    assert_false(feed(l, ++t, R(2), NULL));
    assert_false(feed(l, ++t, R(1), NULL));
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[0], R(1), 0, true, 1, false);
    assert_rec(&rec[1], R(2), 0, false, 0, false);

    assert_false(feed(l, ++t, R(3), NULL));
    assert_false(feed(l, ++t, R(3), NULL));
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[0], R(1), 0, true, 1, false);
    assert_rec(&rec[1], R(3), 0, false, 0, false);

    assert_true(feed(l, ++t, R(1), &rule));
    assert_pattern_str(&rule, "1.0.0.1,2.0.0.1,1001");
    assert_false(feed(l, ++t, R(3), NULL));
    assert_false(feed(l, ++t, R(4), NULL));
    assert_false(feed(l, ++t, R(4), NULL));
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[0], R(1), 0, true, 2, true);
    assert_rec(&rec[1], R(4), 0, false, 0, false);

    assert_false(feed(l, ++t, R(4), NULL));
    assert_true(feed(l, ++t, R(4), &rule));
    assert_pattern_str(&rule, "1.0.0.4,2.0.0.4,1004");
    assert_false(feed(l, ++t, R(5), NULL));
    assert_false(feed(l, ++t, R(5), NULL));
    assert_int_equal(table(l, rec), 2);
    assert_rec(&rec[0], R(5), 0, false, 0, false);
    assert_rec(&rec[1], R(4), 0, true, 2, true);
#undef R
    vmitn_learner_free(l);
}

/* ---- traffic shapes ---- */

typedef struct shape_result {
    int rules;
    long first_at; /* header index of the first rule, -1 if none */
    vmitn_pattern rule;
} shape_result;

enum shape { FLOOD, SCAN, UNIFORM, FLOOD_IN_NOISE };

/* Feeds n headers 10 us apart to a default learner. */
static shape_result run_shape(enum shape s, long n, uint64_t seed, vmitn_learner **out)
{
    const uint32_t victim = IP(192, 168, 1, 1), scanner = IP(10, 66, 6, 6);
    vmitn_learner_cfg cfg;
    vmitn_learner_cfg_default(&cfg);
    vmitn_learner *l = vmitn_learner_new(&cfg, NULL, 0);
    assert_non_null(l);
    shape_result r = {0, -1, {0}};
    for (long k = 0; k < n; k++) {
        vmitn_hdr h;
        h.src = lcg(&seed);
        h.dst = lcg(&seed);
        h.port = (uint16_t)(lcg(&seed) >> 16);
        if (s == FLOOD || (s == FLOOD_IN_NOISE && k % 2 == 0)) {
            h.dst = victim;
            h.port = 1434;
        } else if (s == SCAN) {
            h.src = scanner;
            h.port = 80;
        }
        vmitn_pattern p;
        if (vmitn_learner_feed(l, (vmitn_time)k * 10 * US, &h, &p)) {
            if (r.rules++ == 0) {
                r.first_at = k;
                r.rule = p;
            }
        }
    }
    *out = l;
    return r;
}

/* Default learner (lambda 10, theta 100, half-life 1 s), headers 10 us apart.
 * Flood: every header {random, V, 1434}.  The dst and port counts after n headers are
 * (1 - f^n)/(1 - f), f = 2^(-1e-5): 9.9997 at n = 10, 10.9996 at n = 11, so header 10
 * (0-based) is the first to pass -> raw; header 11 generalises it to {*,V,1434}, freq 1;
 * header 10 + j brings freq to j, so freq 101 > theta at header 111: the one rule.
 * Scan: {S, random, 80}: the same arithmetic on src and port -> {S,*,80} at header 111.
 * Flood in noise: flood headers interleaved 1:1 with uniform ones -> still only
 * {*,V,1434}.
 * Uniform src, dst and port: a value recurs only if it is drawn again within the ~64
 * headers its record survives in a 64-record array, far from the 11 times needed:
 * nothing passes stage 1, no rule. */
static void test_learner_flood_scan_and_noise(void **state)
{
    (void)state;
    vmitn_learner *l;
    vmitn_learner_record rec[TABLE_MAX];

    shape_result r = run_shape(FLOOD, 10000, 1, &l);
    assert_int_equal(r.rules, 1);
    assert_int_equal(r.first_at, 111);
    assert_pattern_str(&r.rule, "*,192.168.1.1,1434");
    assert_int_equal(table(l, rec), 1);
    assert_rec(&rec[0], 0, IP(192, 168, 1, 1), 1434, VMITN_WILD_SRC, true, 10000 - 11, true);
    vmitn_learner_free(l);

    r = run_shape(SCAN, 10000, 2, &l);
    assert_int_equal(r.rules, 1);
    assert_int_equal(r.first_at, 111);
    assert_pattern_str(&r.rule, "10.66.6.6,*,80");
    assert_int_equal(table(l, rec), 1);
    vmitn_learner_free(l);

    r = run_shape(FLOOD_IN_NOISE, 20000, 3, &l);
    assert_int_equal(r.rules, 1);
    assert_pattern_str(&r.rule, "*,192.168.1.1,1434");
    vmitn_learner_free(l);

    r = run_shape(UNIFORM, 100000, 4, &l);
    assert_int_equal(r.rules, 0);
    assert_int_equal(vmitn_learner_fed(l), 100000);
    assert_int_equal(vmitn_learner_passed(l), 0);
    assert_int_equal(table(l, rec), 0);
    vmitn_learner_free(l);
}

/* ---- configuration and patterns ---- */

static void expect_bad(const vmitn_learner_cfg *cfg, const char *want)
{
    char err[256] = "";
    assert_null(vmitn_learner_new(cfg, err, sizeof err));
    assert_string_equal(err, want);
    assert_null(vmitn_learner_new(cfg, NULL, 0)); /* err may be NULL */
}

static void test_learner_rejects_bad_config(void **state)
{
    (void)state;
    vmitn_learner_cfg def, c;
    vmitn_learner_cfg_default(&def);
    assert_true(def.lambda == 10 && def.theta == 100);
    assert_int_equal(def.lru_size, 64);
    assert_int_equal(def.table_size, 32);
    assert_int_equal(def.half_life, VMITN_S);

    c = def, c.lambda = 0;
    expect_bad(&c, "lambda must be >= 1 (got 0)");
    c = def, c.lambda = 0.5;
    expect_bad(&c, "lambda must be >= 1 (got 0.5)");
    c = def, c.lambda = NAN;
    char err[256] = "";
    assert_null(vmitn_learner_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "lambda must be >= 1"));
    c = def, c.theta = 0;
    expect_bad(&c, "theta must be >= 1 (got 0)");
    c = def, c.theta = INFINITY; /* as `run` refuses (issue 13) */
    expect_bad(&c, "theta must be <= 1e+09 (got inf)");
    c = def, c.lambda = 2e9;
    expect_bad(&c, "lambda must be <= 1e+09 (got 2e+09)");
    c = def, c.lru_size = 0;
    expect_bad(&c, "lru_size must be in 1..1048576 (got 0)");
    c = def, c.lru_size = 2000000;
    expect_bad(&c, "lru_size must be in 1..1048576 (got 2000000)");
    c = def, c.table_size = 0;
    expect_bad(&c, "table_size must be in 1..1048576 (got 0)");
    c = def, c.half_life = -1;
    expect_bad(&c, "half_life must be >= 0 ns (got -1)");

    /* A short buffer gets a truncated, terminated message. */
    char small[8];
    memset(small, 'x', sizeof small);
    c = def, c.theta = 0;
    assert_null(vmitn_learner_new(&c, small, sizeof small));
    assert_string_equal(small, "theta m");

    /* The edges of the ranges are accepted. */
    c = (vmitn_learner_cfg){1, 1, 1, 1, 0};
    vmitn_learner *l = vmitn_learner_new(&c, NULL, 0);
    assert_non_null(l);
    vmitn_learner_free(l);
    vmitn_learner_free(NULL);
}

static void test_learner_pattern_match_and_format(void **state)
{
    (void)state;
    const uint32_t S = IP(140, 115, 10, 10), V = IP(192, 168, 1, 1);
    vmitn_pattern p = {S, 0, 80, VMITN_WILD_DST};
    vmitn_hdr h = {S, V, 80};
    assert_true(vmitn_pattern_match(&p, &h));
    h.dst = IP(1, 2, 3, 4);
    assert_true(vmitn_pattern_match(&p, &h)); /* dst is wild */
    h.port = 81;
    assert_false(vmitn_pattern_match(&p, &h));
    h.port = 80, h.src = S + 1;
    assert_false(vmitn_pattern_match(&p, &h));
    assert_pattern_str(&p, "140.115.10.10,*,80");

    vmitn_pattern all = {0, 0, 0, VMITN_WILD_SRC | VMITN_WILD_DST | VMITN_WILD_PORT};
    assert_true(vmitn_pattern_match(&all, &h));
    assert_pattern_str(&all, "*,*,*");

    vmitn_pattern exact = {S, V, 0, 0}; /* port 0: ICMP, an ordinary value */
    vmitn_hdr icmp = {S, V, 0}, tcp = {S, V, 25};
    assert_true(vmitn_pattern_match(&exact, &icmp));
    assert_false(vmitn_pattern_match(&exact, &tcp));
    assert_pattern_str(&exact, "140.115.10.10,192.168.1.1,0");

    vmitn_pattern port_only = {0, 0, 65535, VMITN_WILD_SRC | VMITN_WILD_DST};
    assert_pattern_str(&port_only, "*,*,65535");

    char small[5];
    vmitn_pattern_format(&p, small, sizeof small);
    assert_string_equal(small, "140.");
    vmitn_pattern_format(&p, small, 0); /* n = 0 writes nothing */
    assert_string_equal(small, "140.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learner_fig7_example),
        cmocka_unit_test(test_learner_generalises_differing_fields),
        cmocka_unit_test(test_learner_ties_prefer_seed_then_lower_index),
        cmocka_unit_test(test_learner_issues_rule_once_past_theta),
        cmocka_unit_test(test_learner_aging_filters_slow_sources),
        cmocka_unit_test(test_learner_stage1_evicts_least_recently_seen),
        cmocka_unit_test(test_learner_stage1_matches_reference_model),
        cmocka_unit_test(test_learner_stage2_evicts_least_recently_touched),
        cmocka_unit_test(test_learner_flood_scan_and_noise),
        cmocka_unit_test(test_learner_rejects_bad_config),
        cmocka_unit_test(test_learner_pattern_match_and_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
