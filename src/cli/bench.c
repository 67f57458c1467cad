/* bench.c — the classic hold model on the event core (pop one event, push one at
 * now + an exponential increment), for binary and 4-ary heaps at several queue sizes,
 * then the paper's scenarios end to end.  Medians of repeated runs. */
#include "vmitn/bench.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmitn/evq.h"
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

int vmitn_bench(bool quick, FILE *out)
{
    const int reps = quick ? 3 : 5;
    const uint64_t events = quick ? 1000000 : 5000000;
    const size_t sizes[] = {1000, 100000, 1000000};
    fprintf(out, "hold model: %llu events per run, median of %d runs (events/s)\n",
            (unsigned long long)events, reps);
    fprintf(out, "%10s %14s %14s\n", "pending", "binary heap", "4-ary heap");
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double med[2];
        for (int a = 0; a < 2; a++) {
            double v[9];
            for (int k = 0; k < reps; k++)
                v[k] = hold_rate(a == 0 ? 2 : 4, sizes[i], events);
            med[a] = median(v, reps);
        }
        fprintf(out, "%10zu %14.3g %14.3g\n", sizes[i], med[0], med[1]);
    }

    /* the paper's scenarios, end to end, into a scratch folder */
    static const char *const scen[] = {"table1", "fig9", "fig10", "fig11", "fig12"};
    char dir[] = "/tmp/vmitn-bench-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return VMITN_EXIT_IO;
    fprintf(out, "\npaper scenarios (default runs), wall time, median of %d runs (s)\n", reps);
    for (size_t i = 0; i < sizeof scen / sizeof scen[0]; i++) {
        char *path = vmitn_scenario_path(scen[i]);
        if (path == NULL)
            continue;
        free(path);
        double v[9];
        int rc = 0;
        for (int k = 0; k < reps && rc == 0; k++) {
            vmitn_run_opts o = {.scenario = scen[i], .out = dir, .seed = 1, .runs = -1, .quiet = true};
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
