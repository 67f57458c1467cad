/* bench.c — the classic hold model on the event core (pop one event, push one at
 * now + an exponential increment), for binary and 4-ary heaps at several queue sizes,
 * table-fed (the queue alone) and ns-3's workload (a fresh draw per event, comparable
 * with ns-3's scheduler benchmark), then the paper's scenarios end to end.  Medians of
 * repeated runs. */
#include "vmitn/bench.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmitn/evq.h"
#include "vmitn/learner.h"
#include "vmitn/model.h"
#include "vmitn/replicas.h"
#include "vmitn/topo.h"
#include "vmitn/rng.h"
#include "vmitn/scenario.h"
#include "vmitn/util.h"

#define NINC 4096

typedef struct hold {
    vmitn_time inc[NINC];
    uint64_t left;
    unsigned k;
} hold;

static void ev_hold(vmitn_sched *s, void *ctx, uint64_t arg)
{
    hold *h = ctx;
    if (--h->left == 0) {
        vmitn_sched_stop(s);
        return;
    }
    vmitn_sched_after(s, h->inc[h->k++ & (NINC - 1)], ev_hold, h, arg);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Events per second of the hold model with `pending` events in the queue. */
static double hold_rate(unsigned arity, size_t pending, uint64_t events)
{
    hold *h = vmitn_xmalloc(sizeof *h);
    /* increments drawn up front, so the figure is the queue's, not the generator's */
    vmitn_rng *r = vmitn_rng_new(1, 0, VMITN_STREAM(VMITN_STREAM_TEST, 1));
    for (int i = 0; i < NINC; i++)
        h->inc[i] = 1 + vmitn_secs(vmitn_rng_exp(r, 1e-3 * (double)pending));
    h->k = 0;
    vmitn_sched *s = vmitn_sched_new(arity);
    for (size_t i = 0; i < pending; i++)
        vmitn_sched_at(s, h->inc[i & (NINC - 1)] + (vmitn_time)i, ev_hold, h, 0);
    h->left = events;
    double t0 = now_s();
    vmitn_sched_run(s, VMITN_TIME_MAX);
    double dt = now_s() - t0;
    vmitn_sched_free(s);
    vmitn_rng_free(r);
    free(h);
    return (double)events / dt;
}

/* ns-3's hold workload: `pending` events at 1 ns + Exp(1 ms) from 0, then every event
 * schedules one more at now + 1 ns + Exp(1 ms), a fresh draw each time, until `events`
 * have run (the draw counts in the time, as in ns-3's benchmark, where the handler draws
 * from an ExponentialRandomVariable). */
typedef struct hold_ns3 {
    vmitn_rng r;
    uint64_t left;
} hold_ns3;

static inline vmitn_time ns3_inc(hold_ns3 *h) { return 1 + vmitn_secs(vmitn_rng_exp(&h->r, 1e-3)); }

static void ev_hold_ns3(vmitn_sched *s, void *ctx, uint64_t arg)
{
    hold_ns3 *h = ctx;
    if (--h->left == 0) {
        vmitn_sched_stop(s);
        return;
    }
    vmitn_sched_after(s, ns3_inc(h), ev_hold_ns3, h, arg);
}

static double hold_ns3_rate(unsigned arity, size_t pending, uint64_t events)
{
    hold_ns3 h;
    vmitn_rng_seed(&h.r, 1, 0, VMITN_STREAM(VMITN_STREAM_TEST, 3));
    vmitn_sched *s = vmitn_sched_new(arity);
    for (size_t i = 0; i < pending; i++)
        vmitn_sched_at(s, ns3_inc(&h), ev_hold_ns3, &h, 0);
    h.left = events;
    double t0 = now_s();
    uint64_t ran = vmitn_sched_run(s, VMITN_TIME_MAX);
    double dt = now_s() - t0;
    vmitn_sched_free(s);
    return (double)ran / dt;
}

/* Route lookups per second on a generated 10,000-host network (100 LANs x 100 hosts),
 * to a mix of host addresses (60 %), empty LAN addresses (15 %) and outside (25 %). */
static double route_rate(uint64_t lookups)
{
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    if (vmitn_topo_generate(100, 100, 4, &t, err, sizeof err) < 0)
        return 0;
    enum { N = 1 << 16 };
    unsigned *src = vmitn_xmalloc(N * sizeof *src);
    uint32_t *dst = vmitn_xmalloc(N * sizeof *dst);
    vmitn_rng *r = vmitn_rng_new(1, 0, VMITN_STREAM(VMITN_STREAM_TEST, 2));
    unsigned nh = vmitn_topo_nhosts(t);
    for (int i = 0; i < N; i++) {
        do
            src[i] = (unsigned)vmitn_rng_below(r, nh);
        while (vmitn_topo_host(t, src[i]).lan < 0);
        double u = vmitn_rng_uniform(r);
        uint32_t h = vmitn_topo_host(t, (unsigned)vmitn_rng_below(r, nh)).addr;
        dst[i] = u < 0.60 ? h : u < 0.75 ? (h & ~255u) | 250u : vmitn_rng_u32(r);
    }
    vmitn_route rt;
    uint64_t sink = 0;
    double t0 = now_s();
    for (uint64_t k = 0; k < lookups; k++) {
        vmitn_topo_route(t, src[k & (N - 1)], dst[k & (N - 1)], &rt);
        sink += rt.hops;
    }
    double dt = now_s() - t0;
    if (sink == 42)
        fputs("", stderr); /* keeps the loop from being optimised away */
    vmitn_rng_free(r);
    free(src);
    free(dst);
    vmitn_topo_free(t);
    return (double)lookups / dt;
}

/* Headers per second through the learner, replaying what the SMC received in a Fig 11
 * run (Code Red with learning, calibrated defaults but every header reported). */
typedef struct rec_hdrs {
    vmitn_hdr *h;
    size_t n, cap;
} rec_hdrs;

static void on_learn(void *ctx, vmitn_time t, const vmitn_hdr *h, int kind)
{
    (void)t;
    (void)kind;
    rec_hdrs *r = ctx;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 4096;
        r->h = vmitn_xrealloc(r->h, r->cap * sizeof *r->h);
    }
    r->h[r->n++] = *h;
}

static double learner_rate(uint64_t headers, size_t *recorded)
{
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    *recorded = 0;
    if (vmitn_topo_load("topologies/vmitn-fig8.graphml", &t, err, sizeof err) < 0)
        return 0;
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    c.worm.near_bits = 12;
    c.smc.learning = true;
    c.smc.theta = 1e9; /* never block: keep the whole outbreak's stream */
    c.duration = 20;
    rec_hdrs rec = {0};
    vmitn_observer ob = {.ctx = &rec, .learn = on_learn};
    vmitn_model_run(&c, t, 1, 0, &ob, 1, err, sizeof err);
    vmitn_topo_free(t);
    *recorded = rec.n;
    if (rec.n == 0)
        return 0;
    vmitn_learner_cfg lc;
    vmitn_learner_cfg_default(&lc);
    lc.theta = 1e9;
    vmitn_learner *l = vmitn_learner_new(&lc, err, sizeof err);
    vmitn_pattern rule;
    double t0 = now_s();
    for (uint64_t k = 0; k < headers; k++)
        vmitn_learner_feed(l, (vmitn_time)k * 1000, &rec.h[k % rec.n], &rule);
    double dt = now_s() - t0;
    vmitn_learner_free(l);
    free(rec.h);
    return (double)headers / dt;
}

int vmitn_bench(bool quick, FILE *out)
{
    const int reps = quick ? 3 : 5;
    const uint64_t events = quick ? 1000000 : 5000000;
    const size_t sizes[] = {1000, 100000, 1000000};
    static const unsigned queues[] = {2, 4, VMITN_SCHED_LADDER};
    enum { NQ = sizeof queues / sizeof queues[0] };
    for (int w = 0; w < 2; w++) {
        if (w == 0)
            fprintf(out, "hold model, table-fed (4,096 increments drawn in advance: the queue alone), %llu events per "
                         "run,\nmedian of %d runs (events/s)\n",
                    (unsigned long long)events, reps);
        else
            fprintf(out, "\nhold model, ns-3's workload (a fresh 1 ns + Exp(1 ms) draw per event), %llu events per run,\n"
                         "median of %d runs (events/s)\n",
                    (unsigned long long)events, reps);
        fprintf(out, "%10s %14s %14s %14s\n", "pending", "binary heap", "4-ary heap", "ladder");
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            double med[NQ], v[NQ][9];
            /* the queues take turns, so that a change in the machine's load hits each alike */
            for (int k = 0; k < reps; k++)
                for (int a = 0; a < NQ; a++)
                    v[a][k] = w == 0 ? hold_rate(queues[a], sizes[i], events) : hold_ns3_rate(queues[a], sizes[i], events);
            for (int a = 0; a < NQ; a++)
                med[a] = median(v[a], reps);
            fprintf(out, "%10zu %14.3g %14.3g %14.3g\n", sizes[i], med[0], med[1], med[2]);
        }
    }

    double v[9];
    for (int k = 0; k < reps; k++)
        v[k] = route_rate(quick ? 2000000 : 20000000);
    fprintf(out, "\nrouting, 10,000-host generated network: %.3g lookups/s (median of %d)\n", median(v, reps), reps);
    size_t nrec = 0;
    for (int k = 0; k < reps; k++)
        v[k] = learner_rate(quick ? 1000000 : 5000000, &nrec);
    fprintf(out, "learner, %zu-header Code Red stream replayed: %.3g headers/s (median of %d)\n", nrec,
            median(v, reps), reps);

    /* the paper's scenarios, end to end, into a scratch folder */
    static const char *const scen[] = {"table1", "fig9", "fig10", "fig11", "fig12", "bench-codered"};
    char dir[] = "/tmp/vmitn-bench-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return VMITN_EXIT_IO;
    fprintf(out, "\npaper scenarios (default runs, replications on %u workers: run's default --jobs), wall time, "
                 "median of %d runs (s)\n", vmitn_cores(), reps);
    for (size_t i = 0; i < sizeof scen / sizeof scen[0]; i++) {
        char *path = vmitn_scenario_path(scen[i]);
        if (path == NULL)
            continue;
        free(path);
        double v[9];
        int rc = 0;
        for (int k = 0; k < reps && rc == 0; k++) {
            vmitn_run_opts o = {.scenario = scen[i], .out = dir, .seed = 1, .runs = -1, .quiet = true, .force = true};
            double t0 = now_s();
            rc = vmitn_scenario_run(&o);
            v[k] = now_s() - t0;
        }
        if (rc == 0)
            fprintf(out, "%10s %10.3f\n", scen[i], median(v, reps));
    }
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "vmitn: could not remove %s\n", dir);
    return VMITN_EXIT_OK;
}
