/* test_stats.c — the statistics the report shows, against hand-worked values: the 95 % CI
 * (Student's t from a table, not z), the worst run (the highest peak; ties: the larger area
 * under the infected curve, then the lower run number), the curve's sampling index (grid
 * point k holds the state at k * grid), the summary's mean, SD, CI, min and max, and the
 * metrics defined relative to the attack (its own rules, detections of infected hosts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>

#include "vmitn/metrics.h"
#include "vmitn/model.h"
#include "vmitn/util.h"

/* Two-sided 95 % Student t quantiles t(0.975, df), from a printed table. */
static const struct {
    unsigned df;
    double t;
} t_table[] = {{1, 12.706}, {2, 4.303}, {4, 2.776}, {9, 2.262}, {19, 2.093}, {29, 2.045}, {120, 1.980}};

static void test_stats_ci95_is_student_t(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof t_table / sizeof t_table[0]; i++) {
        unsigned n = t_table[i].df + 1;
        double want = t_table[i].t * 2.0 / sqrt((double)n);
        double got = vmitn_ci95(n, 2.0);
        if (fabs(got - want) > 5e-4 * want)
            fail_msg("ci95(n = %u, sd = 2) = %.6f, the t table gives %.6f", n, got, want);
    }
    assert_true(vmitn_ci95(1, 3.0) == 0); /* one value: no interval */
    assert_true(vmitn_ci95(0, 3.0) == 0);
    /* 20 runs: z (1.960) would be 6 % narrower than t (2.093) */
    assert_true(vmitn_ci95(20, 1.0) > 1.03 * 1.959964 / sqrt(20.0));
}

/* ---- a metrics collector driven by hand, through its observer ---- */

typedef struct fixture {
    vmitn_model_cfg c;
    vmitn_metrics *m;
    vmitn_observer ob;
} fixture;

#define NH 4

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    vmitn_model_cfg_default(&f->c);
    f->c.worm.enabled = true;
    f->c.worm.start_time = 0;
    f->c.flood.enabled = false;
    f->c.duration = 2;
    f->c.grid = 0.1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vmitn_metrics_free(f->m);
    free(f);
    return 0;
}

static void start(fixture *f, unsigned runs)
{
    f->m = vmitn_metrics_new(&f->c, NH, NH, runs);
    f->ob = vmitn_metrics_observer(f->m);
}

/* One run: host h is infected at inf[h] s (< 0: never) and stays infected; the model's grid
 * samples are taken at k * grid after the events at that time, as ev_grid does. */
static void run(fixture *f, unsigned r, const double inf[NH])
{
    vmitn_metrics_begin_run(f->m, r);
    vmitn_counts cnt = {.hosts = NH, .healthy = NH};
    unsigned npts = (unsigned)vmitn_metrics_npoints(f->m);
    bool done[NH] = {false};
    for (unsigned k = 0; k < npts; k++) {
        double tk = k * f->c.grid;
        for (;;) { /* the infections up to the grid point, in time order */
            int next = -1;
            for (int h = 0; h < NH; h++)
                if (!done[h] && inf[h] >= 0 && inf[h] <= tk + 1e-9 && (next < 0 || inf[h] < inf[next]))
                    next = h;
            if (next < 0)
                break;
            done[next] = true;
            cnt.infected++;
            cnt.healthy--;
            cnt.infections++;
            f->ob.host(f->ob.ctx, vmitn_secs(inf[next]), (unsigned)next, VMITN_EV_INFECTED, -1, &cnt);
        }
        f->ob.sample(f->ob.ctx, vmitn_secs(tk), &cnt);
    }
    vmitn_metrics_end_run(f->m);
}

static size_t metric(const vmitn_metrics *m, const char *name)
{
    for (size_t i = 0; i < vmitn_metrics_count(m); i++)
        if (strcmp(vmitn_metrics_name(m, i), name) == 0)
            return i;
    fail_msg("no metric %s", name);
    return 0;
}

static void test_stats_worst_is_highest_peak(void **state)
{
    fixture *f = *state;
    start(f, 4);
    double r0[NH] = {0.5, 0.7, -1, -1};  /* peak 2 */
    double r1[NH] = {0.2, 0.3, 0.4, -1}; /* peak 3, the larger area of the two threes */
    double r2[NH] = {0.1, -1, -1, -1};   /* peak 1: the lowest */
    double r3[NH] = {0.9, 1.0, 1.1, -1}; /* peak 3, a smaller area */
    run(f, 0, r0);
    run(f, 1, r1);
    run(f, 2, r2);
    run(f, 3, r3);
    assert_int_equal(vmitn_metrics_worst(f->m), 1);
}

static void test_stats_worst_ties_go_to_the_first_run(void **state)
{
    fixture *f = *state;
    start(f, 3);
    double a[NH] = {0.1, -1, -1, -1};
    double b[NH] = {0.5, 0.6, -1, -1};
    run(f, 0, a);
    run(f, 1, b); /* same peak and area as run 2 */
    run(f, 2, b);
    assert_int_equal(vmitn_metrics_worst(f->m), 1);
}

/* Grid point k holds the state at k * grid: an infection at 0.35 s shows from point 4
 * (0.4 s) on, and one exactly at 0.5 s at point 5 (events at a grid time come first). */
static void test_stats_curve_sampling_index(void **state)
{
    fixture *f = *state;
    start(f, 1);
    double inf[NH] = {0.35, 0.5, -1, -1};
    run(f, 0, inf);
    assert_int_equal(vmitn_metrics_npoints(f->m), 21);
    for (size_t k = 0; k < 21; k++) {
        double want = k >= 5 ? 2 : k >= 4 ? 1 : 0;
        if (vmitn_metrics_curve_run(f->m, 0, 0, k) != want)
            fail_msg("infected at grid point %zu (%.1f s): %g, want %g", k, k * 0.1,
                     vmitn_metrics_curve_run(f->m, 0, 0, k), want);
        assert_true(fabs(vmitn_metrics_curve_time(f->m, k) - k * 0.1) < 1e-12);
        assert_true(vmitn_metrics_curve_mean(f->m, 0, k) == want);
    }
}

/* With a launch at 1 s, times are since the launch: grid point 0 is at -1 s. */
static void test_stats_curve_time_since_attack(void **state)
{
    fixture *f = *state;
    f->c.worm.start_time = 1;
    start(f, 1);
    double inf[NH] = {1.25, -1, -1, -1};
    run(f, 0, inf);
    assert_true(fabs(vmitn_metrics_curve_time(f->m, 0) + 1) < 1e-12);
    assert_true(vmitn_metrics_curve_run(f->m, 0, 0, 12) == 0); /* 0.2 s after the launch */
    assert_true(vmitn_metrics_curve_run(f->m, 0, 0, 13) == 1); /* 0.3 s after */
    size_t tp = metric(f->m, "time_to_peak");
    assert_true(fabs(vmitn_metrics_run_value(f->m, 0, tp) - 0.25) < 1e-9);
}

/* The summary of a metric over runs, worked by hand: five runs peaking at 1, 2, 3, 4, 4
 * hosts have mean 2.8, SD sqrt(6.8 / 4) and a CI half-width of t(0.975, 4) SD / sqrt(5). */
static void test_stats_summary_by_hand(void **state)
{
    fixture *f = *state;
    f->c.duration = 1;
    start(f, 5);
    for (unsigned r = 0; r < 5; r++) {
        double inf[NH] = {-1, -1, -1, -1};
        for (unsigned h = 0; h <= r && h < NH; h++)
            inf[h] = 0.1 * (h + 1);
        run(f, r, inf);
    }
    vmitn_stat s;
    vmitn_metrics_stat(f->m, metric(f->m, "peak_infected"), &s);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.missing, 0);
    assert_true(fabs(s.mean - 2.8) < 1e-12);
    double sd = sqrt((1.8 * 1.8 + 0.8 * 0.8 + 0.2 * 0.2 + 1.2 * 1.2 * 2) / 4);
    assert_true(fabs(s.sd - sd) < 1e-12);
    assert_true(fabs(s.ci - 2.776 * sd / sqrt(5.0)) < 1e-3);
    assert_true(s.min == 1 && s.max == 4);
    /* time_all_infected exists in runs 3 and 4 only (both 0.4 s): three missing */
    vmitn_metrics_stat(f->m, metric(f->m, "time_all_infected"), &s);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.missing, 3);
    assert_true(fabs(s.mean - 0.4) < 1e-9);
    assert_true(s.sd < 1e-9 && s.ci < 1e-9);
}

/* ---- the metrics defined relative to the attack (docs/MODEL.md 7, "the attack's rules") ---- */

static vmitn_packet pkt(uint32_t src, uint32_t dst, uint16_t dport, int kind, int from)
{
    return (vmitn_packet){.src = src, .dst = dst, .dport = dport, .kind = (uint8_t)kind, .from = from, .to = -1};
}

/* One run of a worm launched at 1 s, with the SMC's learner, begun. */
static fixture *attack_run(fixture *f)
{
    f->c.worm.start_time = 1;
    f->c.smc.learning = true;
    f->c.duration = 3;
    start(f, 1);
    vmitn_metrics_begin_run(f->m, 0);
    return f;
}

/* A rule learned from background before the launch (1 s), one learned from the worm's
 * headers, and a mixed one: learning_time is the worm's rule's, first_rule_time the
 * background's, background_rules 1. */
static void test_stats_attack_rules(void **state)
{
    fixture *f = attack_run(*state);
    const uint32_t A = 0x0a000001, B = 0x0a000002, W = 0x0a000003; /* two clients, the worm's host */
    vmitn_packet legit = pkt(A, B, 80, VMITN_PKT_LEGIT, 0);
    f->ob.packet(f->ob.ctx, vmitn_secs(0.1), &legit, VMITN_PKT_SENT);
    vmitn_hdr hl = {A, B, 80};
    f->ob.learn(f->ob.ctx, vmitn_secs(0.2), &hl, VMITN_PKT_LEGIT);
    vmitn_pattern bg = {.src = A, .port = 80, .wild = VMITN_WILD_DST};
    f->ob.rule(f->ob.ctx, vmitn_secs(0.2), &bg, -1, 1);
    f->ob.rule(f->ob.ctx, vmitn_secs(0.5), &bg, 0, 1); /* active everywhere at 0.5 s: -0.5 */
    /* the worm scans from W at 1.5 s; its header reaches the learner at 1.6 s */
    vmitn_packet scan = pkt(W, B, 80, VMITN_PKT_SCAN, 2);
    f->ob.packet(f->ob.ctx, vmitn_secs(1.5), &scan, VMITN_PKT_SENT);
    vmitn_hdr hw = {W, B, 80};
    f->ob.learn(f->ob.ctx, vmitn_secs(1.6), &hw, VMITN_PKT_SCAN);
    vmitn_pattern own = {.src = W, .port = 80, .wild = VMITN_WILD_DST};
    f->ob.rule(f->ob.ctx, vmitn_secs(1.6), &own, -1, 1);
    f->ob.rule(f->ob.ctx, vmitn_secs(2.0), &own, 0, 1);
    /* {*, B, 80} from a mix of A's request and W's scan: the attack's too */
    vmitn_pattern mix = {.dst = B, .port = 80, .wild = VMITN_WILD_SRC};
    f->ob.learn(f->ob.ctx, vmitn_secs(1.7), &hl, VMITN_PKT_LEGIT);
    f->ob.rule(f->ob.ctx, vmitn_secs(1.7), &mix, -1, 1);
    /* a background rule issued after the launch that matches no attack header */
    vmitn_pattern late = {.src = A, .dst = B, .port = 80};
    f->ob.rule(f->ob.ctx, vmitn_secs(1.8), &late, -1, 1);
    f->ob.rule(f->ob.ctx, vmitn_secs(1.9), &late, 0, 1);
    vmitn_metrics_end_run(f->m);

    assert_true(fabs(vmitn_metrics_run_value(f->m, 0, metric(f->m, "learning_time")) - 1.0) < 1e-9);
    assert_true(fabs(vmitn_metrics_run_value(f->m, 0, metric(f->m, "rule_issued_time")) - 0.6) < 1e-9);
    assert_true(fabs(vmitn_metrics_run_value(f->m, 0, metric(f->m, "first_rule_time")) + 0.5) < 1e-9);
    assert_true(vmitn_metrics_run_value(f->m, 0, metric(f->m, "background_rules")) == 2);
    assert_true(vmitn_metrics_run_value(f->m, 0, metric(f->m, "rules")) == 4);
    assert_true(fabs(vmitn_metrics_run_value(f->m, 0, metric(f->m, "detect_time")) - 0.6) < 1e-9);
}

/* A header tapped from a legitimate packet is the attack's when an attack packet with the
 * same (src, dst, dport) was sent before it, not after: the learner's input is judged in
 * the order of the run, though the verdict on such headers waits for the run's end. */
static void test_stats_attack_headers_in_order(void **state)
{
    fixture *f = attack_run(*state);
    const uint32_t C = 0x0a000002, W = 0x0a000003;
    vmitn_hdr h = {W, C, 80};
    /* W's request to C reaches the learner at 0.5 s, before the worm on W scans C */
    f->ob.learn(f->ob.ctx, vmitn_secs(0.5), &h, VMITN_PKT_LEGIT);
    vmitn_pattern early = {.src = W, .dst = C, .port = 80};
    f->ob.rule(f->ob.ctx, vmitn_secs(0.6), &early, -1, 1);
    vmitn_packet scan = pkt(W, C, 80, VMITN_PKT_SCAN, 2);
    f->ob.packet(f->ob.ctx, vmitn_secs(1.5), &scan, VMITN_PKT_SENT);
    /* the same header from a request after the scan: the attack's */
    f->ob.learn(f->ob.ctx, vmitn_secs(1.6), &h, VMITN_PKT_LEGIT);
    vmitn_pattern late = {.dst = C, .port = 80, .wild = VMITN_WILD_SRC};
    f->ob.rule(f->ob.ctx, vmitn_secs(1.7), &late, -1, 1);
    vmitn_metrics_end_run(f->m);

    assert_true(vmitn_metrics_run_value(f->m, 0, metric(f->m, "background_rules")) == 1);
    assert_true(fabs(vmitn_metrics_run_value(f->m, 0, metric(f->m, "rule_issued_time")) - 0.7) < 1e-9);
}

/* A flood repeats a few (src, dst, dport): the metrics keep the earliest send of each
 * (not every send), so a legitimate header fed right after the first scan of its triple
 * is the attack's, one fed before it is not, after 30,000 more sends of the same triples. */
static void test_stats_attack_packets_repeated(void **state)
{
    fixture *f = attack_run(*state);
    const uint32_t A = 0x0a000001, B = 0x0a000002, D = 0x0a000004;
    vmitn_hdr h = {A, B, 80};
    f->ob.learn(f->ob.ctx, vmitn_secs(1.1), &h, VMITN_PKT_LEGIT); /* header 0: before any scan */
    vmitn_pattern exact = {.src = A, .dst = B, .port = 80};
    f->ob.rule(f->ob.ctx, vmitn_secs(1.1), &exact, -1, 1);
    vmitn_packet scan = pkt(A, B, 80, VMITN_PKT_SCAN, 0);
    f->ob.packet(f->ob.ctx, vmitn_secs(1.2), &scan, VMITN_PKT_SENT);
    f->ob.learn(f->ob.ctx, vmitn_secs(1.2), &h, VMITN_PKT_LEGIT); /* header 1: after it */
    for (int k = 0; k < 10000; k++) {
        vmitn_hdr g = {A, D, 81};
        f->ob.learn(f->ob.ctx, vmitn_secs(1.3), &g, VMITN_PKT_SCAN);
        for (uint32_t j = 0; j < 3; j++) {
            vmitn_packet p = pkt(A, j == 0 ? B : D + j, 80, VMITN_PKT_SCAN, 0);
            f->ob.packet(f->ob.ctx, vmitn_secs(1.3), &p, VMITN_PKT_SENT);
        }
    }
    vmitn_pattern wide = {.dst = B, .port = 80, .wild = VMITN_WILD_SRC};
    f->ob.rule(f->ob.ctx, vmitn_secs(1.4), &wide, -1, 1);
    vmitn_metrics_end_run(f->m);

    assert_true(vmitn_metrics_run_value(f->m, 0, metric(f->m, "rules")) == 2);
    assert_true(vmitn_metrics_run_value(f->m, 0, metric(f->m, "background_rules")) == 1);
    assert_true(fabs(vmitn_metrics_run_value(f->m, 0, metric(f->m, "rule_issued_time")) - 0.4) < 1e-9);
}

/* A baseline's alarm on a clean host is a false alarm, not a detection of the attack; on
 * an infected host it is. */
static void test_stats_detect_ignores_false_alarms(void **state)
{
    fixture *f = *state;
    f->c.worm.start_time = 1;
    f->c.duration = 3;
    start(f, 1);
    vmitn_metrics_begin_run(f->m, 0);
    vmitn_counts cnt = {.hosts = NH, .healthy = NH};
    f->ob.host(f->ob.ctx, vmitn_secs(0.5), 1, VMITN_EV_DETECTED, 0, &cnt); /* host 1 is clean */
    cnt.infected = 1, cnt.healthy = NH - 1, cnt.infections = 1;
    f->ob.host(f->ob.ctx, vmitn_secs(1.2), 2, VMITN_EV_INFECTED, -1, &cnt);
    f->ob.host(f->ob.ctx, vmitn_secs(1.4), 3, VMITN_EV_DETECTED, 0, &cnt); /* clean too */
    f->ob.host(f->ob.ctx, vmitn_secs(1.7), 2, VMITN_EV_DETECTED, 0, &cnt);
    vmitn_metrics_end_run(f->m);
    assert_true(fabs(vmitn_metrics_run_value(f->m, 0, metric(f->m, "detect_time")) - 0.7) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_ci95_is_student_t),
        cmocka_unit_test_setup_teardown(test_stats_worst_is_highest_peak, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_worst_ties_go_to_the_first_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_curve_sampling_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_curve_time_since_attack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_summary_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_attack_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_attack_headers_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_attack_packets_repeated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_detect_ignores_false_alarms, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
