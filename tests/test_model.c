/* test_model.c — the testbed model through its observer interface: localized scanning
 * frequencies, spoofed flood sources, who can be infected, an SI sanity check against
 * the analytic expectation, the fast path and thinning against the packet level, the
 * hand-over timeline, re-infection of a fresh backup, blocking after a rule is learned,
 * and determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "vmitn/metrics.h"
#include "vmitn/model.h"
#include "vmitn/replicas.h"
#include "vmitn/thin.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

#include "testlib.h"

static double chi2(const double *obs, const double *p, int k, double n)
{
    double x = 0;
    for (int i = 0; i < k; i++)
        x += (obs[i] - n * p[i]) * (obs[i] - n * p[i]) / (n * p[i]);
    return x;
}

/* ---- the fixture: one case, its runs ---- */

static unsigned nfes_of(const vmitn_topo *t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++)
        n += vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
    return n;
}

/* One case: the model's defaults (or *cfg) with what the fields say (a field left 0 keeps
 * the configuration's value), run `runs` times (0: once) from run number `run`. */
typedef struct mcase {
    const vmitn_model_cfg *cfg; /* the configuration to start from (NULL: the defaults) */
    double duration, grid;      /* s */
    bool quiet;                 /* no legitimate traffic */
    bool immune;                /* no guest has the vulnerable service (fes.vulnerable off) */
    bool handover, learning;    /* fes.handover, smc.learning on */
    int local_bits, near_bits;  /* the scan space of the own /16 and /8 */
    uint64_t seed;
    unsigned run, runs;
    vmitn_observer ob[2];       /* observers (those with a ctx), after the metrics' */
    vmitn_metrics *m;           /* collect the metrics into these (the caller's) ... */
    bool metrics;               /* ... or into new ones (for runs 0 .. run + runs - 1) */
} mcase;

static vmitn_model_cfg case_cfg(const mcase *k)
{
    vmitn_model_cfg c;
    if (k->cfg != NULL)
        c = *k->cfg;
    else
        vmitn_model_cfg_default(&c);
    if (k->duration > 0)
        c.duration = k->duration;
    if (k->grid > 0)
        c.grid = k->grid;
    if (k->quiet)
        c.legit.http_rate = c.legit.smtp_rate = 0;
    if (k->immune)
        c.fes.vulnerable = false;
    if (k->handover)
        c.fes.handover = true;
    if (k->learning)
        c.smc.learning = true;
    if (k->local_bits > 0)
        c.worm.local_bits = k->local_bits;
    if (k->near_bits > 0)
        c.worm.near_bits = k->near_bits;
    return c;
}

/* Runs the case on t (every run must succeed) and returns the metrics of its runs: k->m
 * when given; with k->metrics, new ones the caller frees; else NULL. */
static vmitn_metrics *run_case(const vmitn_topo *t, const mcase *k)
{
    vmitn_model_cfg c = case_cfg(k);
    unsigned runs = k->runs ? k->runs : 1, nob = 0;
    vmitn_metrics *m = k->m;
    if (m == NULL && k->metrics)
        m = vmitn_metrics_new(&c, vmitn_topo_nhosts(t), nfes_of(t), k->run + runs);
    vmitn_observer ob[3];
    if (m != NULL)
        ob[nob++] = vmitn_metrics_observer(m);
    for (int i = 0; i < 2; i++)
        if (k->ob[i].ctx != NULL)
            ob[nob++] = k->ob[i];
    for (unsigned r = k->run; r < k->run + runs; r++) {
        if (m != NULL)
            vmitn_metrics_begin_run(m, r);
        assert_int_equal(vmitn_model_run(&c, t, k->seed, r, ob, nob, NULL, 0), 0);
        if (m != NULL)
            vmitn_metrics_end_run(m);
    }
    return m;
}

/* ---- localized scanning ---- */

typedef struct scans {
    uint32_t self;
    double region[3];   /* own /16, own /8 outside /16, outside /8 */
    double low[16];     /* top 4 of the low 16 bits, for scans inside own /16 */
    double n;
} scans;

static void on_scan(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    scans *s = ctx;
    if (p->kind != VMITN_PKT_SCAN || f != VMITN_PKT_SENT)
        return;
    s->n++;
    if ((p->dst >> 16) == (s->self >> 16)) {
        s->region[0]++;
        s->low[(p->dst >> 12) & 15]++;
    } else if ((p->dst >> 24) == (s->self >> 24)) {
        s->region[1]++;
    } else {
        s->region[2]++;
    }
}

/* Literal Code Red scanning from L1-1 (no victim can be infected): the share of scans in
 * the own /16, the rest of the own /8 and elsewhere follows 3/8, 1/2, 1/8 (with the
 * nested regions' overlaps), and addresses inside the /16 are uniform.  Chi-square at
 * the 0.1 % level, fixed seed. */
static void test_model_localized_scanning_chi2(void **state)
{
    const vmitn_topo *t = *state;
    scans s = {.self = vmitn_topo_host(t, (unsigned)vmitn_topo_find_name(t, "L1-1")).addr};
    run_case(t, &(mcase){.duration = 20, .grid = 1, .immune = true, .quiet = true, .seed = 5,
                         .ob = {{.ctx = &s, .packet = on_scan}}});
    assert_true(fabs(s.n - 20 * 1826) <= 1);
    /* the near (/8) and anywhere draws also land in the own /16 and /8 sometimes */
    double b16 = 1.0 / 256, b8 = 1.0 / 65536;
    double p[3];
    p[1] = 0.5 * (1 - b16) + 0.125 * (b16 - b8);
    p[2] = 0.125 * (1 - b16);
    p[0] = 1 - p[1] - p[2];
    assert_true(chi2(s.region, p, 3, s.n) < gsl_cdf_chisq_Pinv(0.999, 2));
    double u[16];
    for (int i = 0; i < 16; i++)
        u[i] = 1.0 / 16;
    assert_true(chi2(s.low, u, 16, s.region[0]) < gsl_cdf_chisq_Pinv(0.999, 15));
}

/* ---- the fate of a scan is its route's ---- */

typedef struct fates {
    const vmitn_topo *t;
    enum vmitn_route_end end; /* the route of the last scan sent */
    bool drop;                /* it has not reached a host: its drop is due now */
    double n[4], bad;         /* scans by route end; fates that disagree with it */
} fates;

static void on_fate(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    fates *x = ctx;
    if (p->kind != VMITN_PKT_SCAN)
        return;
    if (f == VMITN_PKT_SENT) {
        x->bad += x->drop; /* the last one was neither dropped nor sent on */
        vmitn_route r;
        vmitn_topo_route(x->t, (unsigned)p->from, p->dst, &r);
        x->end = r.end;
        x->n[r.end]++;
        x->drop = r.end != VMITN_ROUTE_HOST;
        return;
    }
    if (f != VMITN_PKT_NOHOST && f != VMITN_PKT_NOROUTE)
        return; /* an arrival (later, at the host) */
    bool ok = f == VMITN_PKT_NOHOST ? x->end == VMITN_ROUTE_NOHOST
                                    : x->end == VMITN_ROUTE_NOROUTE || x->end == VMITN_ROUTE_SELF;
    x->bad += !ok || !x->drop;
    x->drop = false;
}

/* Literal scanning from every FES host: a scan is dropped where the topology's route for
 * it ends (NOHOST in a LAN without the address, NOROUTE outside every LAN or to itself),
 * or delivered when it ends at a host; the packet path's shortcut for addresses nobody
 * has must agree. */
static void test_model_scan_fates_follow_the_route(void **state)
{
    fates x = {.t = *state};
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    const char *fes[] = {"L1-1", "L1-2", "L2-1", "L3-1"};
    for (int i = 0; i < 4; i++) {
        strcpy(c.inject[i].host, fes[i]);
        c.inject[i].t = 0;
    }
    c.ninject = 4;
    run_case(x.t, &(mcase){.cfg = &c, .duration = 10, .grid = 1, .quiet = true, .local_bits = 4, .seed = 3,
                           .ob = {{.ctx = &x, .packet = on_fate}}});
    assert_true(x.n[VMITN_ROUTE_NOHOST] > 100 && x.n[VMITN_ROUTE_NOROUTE] > 100 && x.n[VMITN_ROUTE_HOST] > 0 &&
                x.n[VMITN_ROUTE_SELF] > 0); /* every shortcut is taken */
    assert_true(x.bad == 0);
}

/* ---- flood ---- */

typedef struct flood_obs {
    double top[16];
    double n;
    uint32_t victim_min, victim_max;
    int bad_dst;
    uint32_t flooder;
} flood_obs;

static void on_flood(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    flood_obs *o = ctx;
    if (p->kind != VMITN_PKT_FLOOD || f != VMITN_PKT_SENT)
        return;
    o->n++;
    o->top[p->src >> 28]++;
    if (p->dst == o->flooder || (p->dst >> 24) != 172)
        o->bad_dst++;
}

/* A TFN2K flood's spoofed sources are uniform over the address space (chi-square on
 * the top 4 bits) and every packet goes to another FES host. */
static void test_model_flood_spoofed_sources_uniform(void **state)
{
    const vmitn_topo *t = *state;
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    c.worm.enabled = false;
    c.flood.enabled = true;
    c.flood.rate = 2000;
    flood_obs o = {.flooder = vmitn_topo_host(t, (unsigned)vmitn_topo_find_name(t, "L1-1")).addr};
    run_case(t, &(mcase){.cfg = &c, .duration = 10, .grid = 1, .seed = 9, .ob = {{.ctx = &o, .packet = on_flood}}});
    assert_true(o.n > 19000);
    double u[16];
    for (int i = 0; i < 16; i++)
        u[i] = 1.0 / 16;
    assert_true(chi2(o.top, u, 16, o.n) < gsl_cdf_chisq_Pinv(0.999, 15));
    assert_int_equal(o.bad_dst, 0);
}

/* ---- who gets infected ---- */

typedef struct hostlog {
    const vmitn_topo *t;
    bool infected[64];
    int reinfect_while_infected, non_fes, served_infected;
    unsigned infections;
    vmitn_time at[VMITN_EV_NEVENTS][8];
    int nat[VMITN_EV_NEVENTS];
} hostlog;

static void on_host(void *ctx, vmitn_time t, unsigned h, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)arg;
    (void)c;
    hostlog *l = ctx;
    if (vmitn_topo_host(l->t, h).kind != VMITN_HOST_FES)
        l->non_fes++;
    if (e == VMITN_EV_INFECTED) {
        if (l->infected[h])
            l->reinfect_while_infected++;
        l->infected[h] = true;
        l->infections++;
    }
    if (e == VMITN_EV_SWITCHED || e == VMITN_EV_NO_BACKUP)
        l->infected[h] = false;
    if (l->nat[e] < 8)
        l->at[e][l->nat[e]++] = t;
}

/* A response to a legitimate request leaves a host: it must never come from an infected guest. */
static void on_legit(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    hostlog *l = ctx;
    if (p->kind == VMITN_PKT_LEGIT && f == VMITN_PKT_SENT && (p->sport == 80 || p->sport == 25) && l->infected[p->from])
        l->served_infected++;
}

static void test_model_infects_only_vulnerable_clean_fes(void **state)
{
    const vmitn_topo *t = *state;
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    c.fes.clean = 1;
    c.legit.http_rate = 20;
    mcase k = {.cfg = &c, .local_bits = 8, .near_bits = 10, .handover = true, .seed = 3};
    for (k.run = 0; k.run < 10; k.run++) {
        hostlog l = {.t = t};
        k.ob[0] = (vmitn_observer){.ctx = &l, .host = on_host, .packet = on_legit};
        run_case(t, &k);
        assert_true(l.infections > 1); /* the worm spreads... */
        assert_int_equal(l.reinfect_while_infected, 0); /* ...only to clean guests */
        assert_int_equal(l.non_fes, 0);                  /* never to the SMC */
        assert_int_equal(l.served_infected, 0);
    }
    /* a guest without the vulnerable service is never infected: only the launch counts */
    hostlog l = {.t = t};
    k.immune = true;
    k.run = 0;
    k.ob[0] = (vmitn_observer){.ctx = &l, .host = on_host};
    run_case(t, &k);
    assert_int_equal(l.infections, 1);
}

/* ---- SI sanity check ---- */

typedef struct si {
    unsigned n, infected;
    double t_all;
} si;

static void on_si(void *ctx, vmitn_time t, unsigned h, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)h;
    (void)arg;
    si *s = ctx;
    if (e == VMITN_EV_INFECTED && c->infected == s->n && s->t_all < 0)
        s->t_all = vmitn_to_secs(t);
}

/* 100 hosts in one /24, Poisson scanning of the own /24 only, no activation delay: a
 * stochastic SI epidemic with per-pair contact rate beta = rate / 256.  The expected time
 * from one to all infected is sum_{k=1}^{N-1} 1 / (beta k (N - k)).  Over 200 runs the
 * mean must lie within 4 standard errors of it, plus 2 % for the network's delays
 * (a handshake and the exploit take about a millisecond against ~1.3 s). */
static void test_model_si_matches_analytic(void **state)
{
    (void)state;
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    if (vmitn_topo_generate(1, 100, 2, &t, err, sizeof err) < 0)
        fail_msg("%s", err);
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    strcpy(c.worm.start_host, "L1-1");
    c.duration = 30;
    c.grid = 1;
    c.worm.rate = 20;
    c.worm.poisson = true;
    c.worm.p_local = 1;
    c.worm.p_near = c.worm.p_any = 0;
    c.worm.local_prefix = 24;
    c.worm.near_prefix = 16;
    c.worm.local_bits = 8;
    c.worm.near_bits = 16;
    c.worm.activation = 0;
    c.legit.http_rate = c.legit.smtp_rate = 0;
    const unsigned N = 100, R = 200;
    double beta = c.worm.rate / 256, mean = 0, var = 0;
    for (unsigned k = 1; k < N; k++) {
        double r = 1 / (beta * k * (N - k));
        mean += r;
        var += r * r;
    }
    double sum = 0;
    for (unsigned run = 0; run < R; run++) {
        si s = {.n = N, .t_all = -1};
        run_case(t, &(mcase){.cfg = &c, .seed = 77, .run = run, .ob = {{.ctx = &s, .host = on_si}}});
        assert_true(s.t_all > 0);
        sum += s.t_all;
    }
    double got = sum / R, se = sqrt(var / R);
    print_message("SI: mean time to all infected %.4f s, analytic %.4f s (se %.4f)\n", got, mean, se);
    assert_true(fabs(got - mean) < 4 * se + 0.02 * mean);
    vmitn_topo_free(t);
}

/* ---- fast path ---- */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Two-sample Kolmogorov-Smirnov distance. */
static double ks(double *a, size_t n, double *b, size_t m)
{
    qsort(a, n, sizeof *a, cmp_d);
    qsort(b, m, sizeof *b, cmp_d);
    size_t i = 0, j = 0;
    double d = 0;
    while (i < n && j < m) {
        double x = a[i] < b[j] ? a[i] : b[j];
        while (i < n && a[i] <= x)
            i++;
        while (j < m && b[j] <= x)
            j++;
        d = fmax(d, fabs((double)i / n - (double)j / m));
    }
    return d;
}

typedef struct ktimes {
    unsigned want[2];
    double t[2];
} ktimes;

static void on_k(void *ctx, vmitn_time t, unsigned h, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)h;
    (void)arg;
    ktimes *k = ctx;
    for (int i = 0; i < 2; i++)
        if (e == VMITN_EV_INFECTED && c->infections == k->want[i] && k->t[i] < 0)
            k->t[i] = vmitn_to_secs(t);
}

/* The fast path and the packet-level model are the same model: on the Fig 8 testbed with
 * the calibrated scan space, the times at which the 3rd and the 6th host are infected
 * have the same distributions over 150 runs each (two-sample KS at the 0.1 % level,
 * critical D = 1.95 sqrt(2/150) = 0.225), for fixed-interval and Poisson scanning.  A run
 * stops at 12 s; a host not infected by then counts as infected at 12 s on both sides. */
static void test_model_fast_path_matches_packet_level(void **state)
{
    const vmitn_topo *t = *state;
    vmitn_model_cfg c = case_cfg(&(mcase){.duration = 12, .grid = 1, .near_bits = 12, .quiet = true});
    enum { R = 150 };
    static double v[2][2][R];
    for (int poisson = 0; poisson < 2; poisson++) {
        c.worm.poisson = poisson;
        for (int fast = 0; fast < 2; fast++) {
            c.worm.fast = fast;
            for (unsigned r = 0; r < R; r++) {
                ktimes k = {{3, 6}, {-1, -1}};
                /* different seeds for the two: the test compares distributions, not runs */
                run_case(t, &(mcase){.cfg = &c, .seed = 100 + (uint64_t)fast, .run = r, .ob = {{.ctx = &k, .host = on_k}}});
                for (int q = 0; q < 2; q++)
                    if (k.t[q] < 0)
                        k.t[q] = c.duration;
                v[fast][0][r] = k.t[0];
                v[fast][1][r] = k.t[1];
            }
        }
        for (int q = 0; q < 2; q++) {
            double d = ks(v[0][q], R, v[1][q], R);
            print_message("fast path vs packet level (%s scanning), time of infection %d: KS D = %.3f\n",
                          poisson ? "Poisson" : "fixed-interval", q ? 6 : 3, d);
            assert_true(d < 1.95 * sqrt(2.0 / R));
        }
    }
}

/* Thinning (worm.thin) changes how the fast path draws, not what it draws: every per-run
 * metric (all of LABEL.runs.csv but `events`, the work, which it is there to cut) and
 * some finer statistics of the outbreak have the same distribution at packet level, on
 * the fast path without thinning and with it.  The finer statistics, per run: the times
 * of the k-th infection (k = 2, 4, 8, 16, 32, 64, as far as there are FES hosts), the
 * share of the infections whose infector is in the victim's LAN and the share whose
 * infector is the launch host (a statistic missing in a run counts as +infinity), and the
 * identity of the 2nd infected host (a two-sample chi-squared over the hosts, the hosts
 * expected fewer than 5 times on a side pooled).  Three settings: the Fig 8 testbed with
 * the calibrated scan space, fixed-interval and Poisson scanning (TR_FIG8 runs per path);
 * and 64 hosts in 8 LANs (generate:8:8:2) with localized scanning, a victim start-up,
 * mid-outbreak at the end (TR_64 runs per path).  Fixed seeds, different per path.  Each
 * comparison against the packet level must pass at the 0.001 level with a Bonferroni
 * correction over THIN_NCMP comparisons (an upper bound on their number in the three
 * settings): KS D < c sqrt(2/n) with c = sqrt(-ln(alpha/2)/2), chi-squared p > alpha.
 * The 64-host case carries the power: with 2,000 runs it rejects an off-by-one in the
 * acceptance ("j <= s") at D = 0.19 and acceptance on the total ratio q(t)/q(t0) instead
 * of per region at D = 0.10, against a tolerance of 0.082 (checked by planting both).
 * Under a sanitizer build (about 4x slower) the 64-host case runs TR_64 = 500. */
#if defined(__SANITIZE_ADDRESS__)
#define THIN_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define THIN_SANITIZED 1
#endif
#endif
#ifdef THIN_SANITIZED
enum { TR_64 = 500 };
#else
enum { TR_64 = 2000 };
#endif
enum { TR_FIG8 = 200, TRMAX = TR_64 > TR_FIG8 ? TR_64 : TR_FIG8, THIN_NCMP = 300, NKTH = 6, NEXTRA = NKTH + 2 };
static const unsigned kth[NKTH] = {2, 4, 8, 16, 32, 64};

typedef struct thinstat {
    const vmitn_topo *t;
    int launch;
    double tk[NKTH];
    unsigned by_any, same_lan, by_launch;
    int second;
} thinstat;

static void on_thin_host(void *ctx, vmitn_time t, unsigned h, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    thinstat *s = ctx;
    if (e != VMITN_EV_INFECTED)
        return;
    for (int i = 0; i < NKTH; i++)
        if (c->infections == kth[i])
            s->tk[i] = vmitn_to_secs(t);
    if (c->infections == 2)
        s->second = (int)h;
    if (arg >= 0) {
        s->by_any++;
        s->same_lan += vmitn_topo_host(s->t, (unsigned)arg).lan == vmitn_topo_host(s->t, h).lan;
        s->by_launch += arg == s->launch;
    }
}

/* vals[i * n + r]: metric i (i < nmet), then the NEXTRA statistics, of run r; second[r]. */
static void run_metric_values(const vmitn_model_cfg *c, const vmitn_topo *t, uint64_t seed, unsigned n, double *vals,
                              int *second, size_t *nmet, double *events)
{
    vmitn_metrics *m = vmitn_metrics_new(c, vmitn_topo_nhosts(t), nfes_of(t), n);
    *nmet = vmitn_metrics_per_run();
    assert_true(*nmet + NEXTRA <= 64);
    for (unsigned r = 0; r < n; r++) {
        thinstat st = {.t = t, .launch = vmitn_topo_find_name(t, c->worm.start_host), .second = -1};
        for (int i = 0; i < NKTH; i++)
            st.tk[i] = 1e300;
        run_case(t, &(mcase){.cfg = c, .seed = seed, .run = r, .ob = {{.ctx = &st, .host = on_thin_host}}, .m = m});
        for (int i = 0; i < NKTH; i++)
            vals[(*nmet + (size_t)i) * n + r] = st.tk[i];
        vals[(*nmet + NKTH) * n + r] = st.by_any ? (double)st.same_lan / st.by_any : 1e300;
        vals[(*nmet + NKTH + 1) * n + r] = st.by_any ? (double)st.by_launch / st.by_any : 1e300;
        second[r] = st.second;
    }
    *events = 0;
    for (size_t i = 0; i < *nmet; i++)
        for (unsigned r = 0; r < n; r++) {
            double v = vmitn_metrics_run_value(m, r, i);
            vals[i * n + r] = isnan(v) ? 1e300 : v;
            if (strcmp(vmitn_metrics_name(m, i), "events") == 0)
                *events += v / n;
        }
    vmitn_metrics_free(m);
}

/* Two-sample chi-squared (homogeneity) of the 2nd infected host's identity (-1: none);
 * categories expected fewer than 5 times on a side are pooled.  Returns the p-value. */
static double second_host_chi2(const int *a, const int *b, unsigned n, unsigned nhosts, double *x_out, int *df_out)
{
    static double ca[4097], cb[4097];
    assert_true(nhosts < 4096);
    memset(ca, 0, sizeof ca);
    memset(cb, 0, sizeof cb);
    for (unsigned r = 0; r < n; r++) {
        ca[a[r] + 1]++;
        cb[b[r] + 1]++;
    }
    double x = 0, pa = 0, pb = 0;
    int bins = 0;
    for (unsigned i = 0; i <= nhosts; i++) {
        if ((ca[i] + cb[i]) / 2 < 5) {
            pa += ca[i];
            pb += cb[i];
            continue;
        }
        double e = (ca[i] + cb[i]) / 2;
        x += (ca[i] - e) * (ca[i] - e) / e + (cb[i] - e) * (cb[i] - e) / e;
        bins++;
    }
    if ((pa + pb) / 2 >= 5) {
        double e = (pa + pb) / 2;
        x += (pa - e) * (pa - e) / e + (pb - e) * (pb - e) / e;
        bins++;
    }
    *x_out = x;
    *df_out = bins - 1;
    return bins > 1 ? gsl_cdf_chisq_Q(x, bins - 1) : 1;
}

static void thinning_case(const char *what, const vmitn_model_cfg *base, const vmitn_topo *t, unsigned n,
                          double *thin_ratio)
{
    static double v[3][64 * TRMAX];
    static int second[3][TRMAX];
    static double a[TRMAX], b[TRMAX];
    static const char *extra[NEXTRA] = {"time of infection 2", "time of infection 4", "time of infection 8",
                                        "time of infection 16", "time of infection 32", "time of infection 64",
                                        "share infected from the same LAN", "share infected by the launch host"};
    double ev[3];
    size_t nmet = 0;
    unsigned nfes = nfes_of(t);
    assert_true(n <= TRMAX);
    vmitn_model_cfg c = *base;
    vmitn_metrics *names = vmitn_metrics_new(&c, vmitn_topo_nhosts(t), 1, 1);
    for (int path = 0; path < 3; path++) { /* packet level, fast, fast with thinning */
        c.worm.fast = path > 0;
        c.worm.thin = path == 2;
        run_metric_values(&c, t, 500 + (uint64_t)path, n, v[path], second[path], &nmet, &ev[path]);
    }
    double alpha = 0.001 / THIN_NCMP, crit = sqrt(-log(alpha / 2) / 2) * sqrt(2.0 / n), worst[3] = {0}, worst_p[3] = {1, 1, 1};
    for (size_t i = 0; i < nmet + NEXTRA; i++) {
        const char *name = i < nmet ? vmitn_metrics_name(names, i) : extra[i - nmet];
        if (i < nmet && strcmp(name, "events") == 0)
            continue;
        if (i >= nmet && i < nmet + NKTH && kth[i - nmet] > nfes)
            continue;
        for (int path = 1; path < 3; path++) {
            memcpy(a, v[0] + i * n, n * sizeof *a);
            memcpy(b, v[path] + i * n, n * sizeof *b);
            double d = ks(a, n, b, n);
            worst[path] = fmax(worst[path], d);
            if (d >= crit)
                fail_msg("%s: %s differs from the packet level on the %s: KS D = %.3f (tolerance %.3f)", what, name,
                         path == 1 ? "fast path" : "fast path with thinning", d, crit);
        }
    }
    for (int path = 1; path < 3; path++) {
        double x;
        int df;
        double p = second_host_chi2(second[0], second[path], n, vmitn_topo_nhosts(t), &x, &df);
        worst_p[path] = p;
        if (p <= alpha)
            fail_msg("%s: the 2nd infected host differs from the packet level on the %s: chi2 = %.1f, df %d, p = %.2g "
                     "(tolerance %.2g)", what, path == 1 ? "fast path" : "fast path with thinning", x, df, p, alpha);
    }
    print_message("%s, %u runs per path: largest KS D: fast %.3f, thinned %.3f (tolerance %.3f); 2nd host chi2 p: "
                  "fast %.2g, thinned %.2g; events per run: packet %.0f, fast %.0f, thinned %.0f\n", what, n, worst[1],
                  worst[2], crit, worst_p[1], worst_p[2], ev[0], ev[1], ev[2]);
    *thin_ratio = ev[2] / ev[1];
    vmitn_metrics_free(names);
}

static void test_model_thinning_keeps_every_metric(void **state)
{
    vmitn_model_cfg c = case_cfg(&(mcase){.duration = 8, .grid = 1, .near_bits = 12, .quiet = true});
    double ratio;
    thinning_case("Fig 8, fixed interval", &c, *state, TR_FIG8, &ratio);
    c.worm.poisson = true;
    thinning_case("Fig 8, Poisson", &c, *state, TR_FIG8, &ratio);

    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    if (vmitn_topo_generate(8, 8, 2, &t, err, sizeof err) < 0)
        fail_msg("%s", err);
    vmitn_model_cfg_default(&c);
    strcpy(c.worm.start_host, "L1-1");
    c.worm.rate = 50;
    c.worm.local_prefix = 24;
    c.worm.near_prefix = 16;
    c.worm.any_bits = 16;
    c.worm.activation = 0.5;
    c = case_cfg(&(mcase){.cfg = &c, .duration = 10, .grid = 0.5, .local_bits = 8, .near_bits = 12, .quiet = true});
    thinning_case("64 hosts, localized", &c, t, TR_64, &ratio);
    /* and it cuts the work: the hits on hosts already infected are not events */
    assert_true(ratio < 0.9);
    vmitn_topo_free(t);
}

/* Thinning's acceptance, exactly: a proposal's draw j below the bound s_r(t0) accepts
 * when j < s_r(t).  Bound 3, current count 2: draws 0 and 1 accept (and name the 0th and
 * 1st such host), draw 2 is rejected; at the bound every draw accepts, at 0 none does. */
static void test_model_thinning_acceptance_rule(void **state)
{
    (void)state;
    const uint32_t bound = 3;
    bool want[4][3] = {{false, false, false}, {true, false, false}, {true, true, false}, {true, true, true}};
    for (uint32_t now = 0; now <= bound; now++) {
        unsigned accepted = 0;
        for (uint64_t j = 0; j < bound; j++) {
            assert_int_equal(vmitn_thin_accept(j, now), want[now][j]);
            accepted += vmitn_thin_accept(j, now);
        }
        assert_int_equal(accepted, now); /* probability now / bound */
    }
    assert_false(vmitn_thin_accept(UINT32_MAX, UINT32_MAX));
    assert_true(vmitn_thin_accept(UINT32_MAX - 1, UINT32_MAX));
}

/* The event log (events.c) accounts for every change of the infected count: the count
 * the model samples at each grid time equals the hosts with an `infected` row and no later
 * `cleaned` row before that time, in every run (hand-over on, so hosts are reinfected and
 * cleaned), and an infector is always infected when it infects. */
struct sampler {
    unsigned run;
    int cnt[8][121];
};

static void on_sampled(void *ctx, vmitn_time t, const vmitn_counts *c)
{
    struct sampler *s = ctx;
    long k = lround(vmitn_to_secs(t) / 0.1);
    if (k >= 0 && k < 121)
        s->cnt[s->run][k] = (int)c->infected;
}

static void test_model_events_rebuild_curves(void **state)
{
    const vmitn_topo *t = *state;
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    c.smc.learning = false;
    c.fes.backup = VMITN_BACKUP_OFFLINE; /* a reinfected host has no backup: shut down (no_backup) */
    /* the worm spreads over the LANs within seconds */
    c = case_cfg(&(mcase){.cfg = &c, .duration = 12, .grid = 0.1, .handover = true, .near_bits = 12});
    enum { R = 8 };
    static struct sampler smp;
    memset(&smp, 0, sizeof smp);
    vmitn_metrics *m = vmitn_metrics_new(&c, vmitn_topo_nhosts(t), nfes_of(t), R);
    vmitn_metrics_set_events(m, vmitn_events_new(&c, t));
    for (smp.run = 0; smp.run < R; smp.run++)
        run_case(t, &(mcase){.cfg = &c, .seed = 77, .run = smp.run, .m = m,
                             .ob = {vmitn_events_observer(vmitn_metrics_events(m)), {.ctx = &smp, .sample = on_sampled}}});
    char dir[] = "/tmp/vmitn-test-events-XXXXXX", err[VMITN_ERRLEN], path[128];
    assert_non_null(mkdtemp(dir));
    assert_int_equal(vmitn_metrics_write(m, dir, "x", err), 0);
    snprintf(path, sizeof path, "%s/x.events.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static struct { unsigned run; double t; char host[16], ev[32], other[64]; } row[20000];
    unsigned n = 0, infected = 0, cleaned = 0;
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "run,t,host,event,other\n");
    while (fgets(line, sizeof line, f) != NULL && n < 20000) {
        row[n].other[0] = '\0';
        assert_true(sscanf(line, "%u,%lf,%15[^,],%31[^,\n],%63[^\n]", &row[n].run, &row[n].t, row[n].host, row[n].ev,
                           row[n].other) >= 4);
        infected += strcmp(row[n].ev, "infected") == 0;
        cleaned += strcmp(row[n].ev, "cleaned") == 0;
        n++;
    }
    fclose(f);
    print_message("%u rows: %u infected, %u cleaned\n", n, infected, cleaned);
    assert_true(infected > 3 * R && cleaned > R);
    for (unsigned r = 0; r < R; r++)
        for (int k = 0; k < 121; k++) {
            bool inf[16] = {0};
            int count = 0;
            for (unsigned i = 0; i < n; i++) {
                if (row[i].run != r || row[i].t >= k * 0.1 - 5e-10)
                    continue;
                int h = vmitn_topo_find_name(t, row[i].host);
                assert_true(h >= 0 && h < 16);
                if (strcmp(row[i].ev, "infected") == 0 && !inf[h]) {
                    int by = vmitn_topo_find_name(t, row[i].other);
                    assert_true(strcmp(row[i].other, "launched") == 0 || (by >= 0 && inf[by]));
                    inf[h] = true;
                    count++;
                } else if (strcmp(row[i].ev, "cleaned") == 0 && inf[h]) {
                    inf[h] = false;
                    count--;
                }
            }
            if (count != smp.cnt[r][k])
                print_error("run %u, t = %.1f: %d infected from the events, %d sampled\n", r, k * 0.1, count,
                            smp.cnt[r][k]);
            assert_int_equal(count, smp.cnt[r][k]);
        }
    vmitn_rm_rf(dir);
    vmitn_metrics_free(m);
}

/* Scans are counted the same on both paths, also when hosts stop scanning early
 * (Rapid Hand Over switches them off before their next hit): over 100 runs each, the mean
 * scans_sent agree within 4 standard errors of the difference. */
static void test_model_fast_path_counts_scans(void **state)
{
    enum { R = 100 };
    double mean[2] = {0}, var[2] = {0};
    for (int fast = 0; fast < 2; fast++) {
        vmitn_model_cfg c;
        vmitn_model_cfg_default(&c);
        c.worm.fast = fast;
        vmitn_metrics *m = run_case(*state, &(mcase){.cfg = &c, .duration = 20, .grid = 1, .near_bits = 12, .handover = true,
                                                     .quiet = true, .seed = 300 + (uint64_t)fast, .runs = R, .metrics = true});
        for (size_t i = 0; i < vmitn_metrics_count(m); i++)
            if (strcmp(vmitn_metrics_name(m, i), "scans_sent") == 0) {
                vmitn_stat st;
                vmitn_metrics_stat(m, i, &st);
                mean[fast] = st.mean;
                var[fast] = st.sd * st.sd;
            }
        vmitn_metrics_free(m);
    }
    double se = sqrt(var[0] / R + var[1] / R);
    print_message("scans_sent: packet level %.0f, fast path %.0f (se of the difference %.0f)\n", mean[0], mean[1], se);
    assert_true(fabs(mean[0] - mean[1]) < 4 * se);
}

/* ---- hand-over ---- */

static vmitn_model_cfg exact_handover(void)
{
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    c.worm.enabled = false;
    c.fes.handover = true;
    c.fes.cv = 0;
    c.fes.shutdown = 5;
    c.fes.clean = 10;
    c.fes.restart = 5;
    c.oob.cv = 0;
    c.oob.bandwidth = 0; /* no airtime: Table 1's figures exactly */
    c.fes.backup = VMITN_BACKUP_OFFLINE;
    c.duration = 40;
    c.grid = 1;
    c.legit.http_rate = c.legit.smtp_rate = 0;
    c.ninject = 1;
    strcpy(c.inject[0].host, "L2-1");
    c.inject[0].t = 1;
    return c;
}

static void assert_at(const hostlog *l, enum vmitn_host_event e, int i, double secs)
{
    assert_true(l->nat[e] > i);
    double got = vmitn_to_secs(l->at[e][i]);
    if (fabs(got - secs) > 1e-6)
        fail_msg("event %d #%d at %.9f s, expected %.9f s", (int)e, i, got, secs);
}

/* With jitter off, one infection runs Table 1's steps at their means: alarm +91 ms,
 * VmCom +867, OOB +300, display +49; the switch: mount +471, unmount +268; the backup
 * serves 2,046 ms after the infection; the old image is clean 5 + 0.471 + 10 + 0.268 + 5 s later. */
static void test_model_handover_timeline(void **state)
{
    vmitn_model_cfg c = exact_handover();
    hostlog l = {.t = *state};
    run_case(*state, &(mcase){.cfg = &c, .seed = 1, .ob = {{.ctx = &l, .host = on_host}}});
    assert_at(&l, VMITN_EV_INFECTED, 0, 1.000);
    assert_at(&l, VMITN_EV_ALARM, 0, 1.091);
    assert_at(&l, VMITN_EV_REPORTED, 0, 1.958);
    assert_at(&l, VMITN_EV_SMC_ALARM, 0, 2.258);
    assert_at(&l, VMITN_EV_DISPLAYED, 0, 2.307);
    assert_at(&l, VMITN_EV_SWITCHING, 0, 2.307);
    assert_at(&l, VMITN_EV_MOUNTED, 0, 2.778);
    assert_at(&l, VMITN_EV_SWITCHED, 0, 3.046);
    assert_at(&l, VMITN_EV_CLEANED, 0, 3.046 + 5 + 0.471 + 10 + 0.268 + 5);
    assert_int_equal(l.nat[VMITN_EV_NO_BACKUP], 0);
}

/* The fresh backup has the same hole: infected again at 5 s while the old image is still
 * being cleaned, it is shut down at display time (the host is down, the worm no longer
 * runs there) and replaced when the clean image is ready (23.785 s), after the switch's
 * mount and unmount. */
static void test_model_reinfection_of_fresh_backup(void **state)
{
    vmitn_model_cfg c = exact_handover();
    c.ninject = 2;
    strcpy(c.inject[1].host, "L2-1");
    c.inject[1].t = 5;
    hostlog l = {.t = *state};
    run_case(*state, &(mcase){.cfg = &c, .seed = 1, .ob = {{.ctx = &l, .host = on_host}}});
    assert_int_equal(l.infections, 2);
    assert_at(&l, VMITN_EV_INFECTED, 1, 5.000);
    assert_at(&l, VMITN_EV_DISPLAYED, 1, 6.307);
    assert_int_equal(l.nat[VMITN_EV_NO_BACKUP], 1);
    assert_at(&l, VMITN_EV_NO_BACKUP, 0, 6.307);
    double ready = 3.046 + 5 + 0.471 + 10 + 0.268 + 5;
    assert_at(&l, VMITN_EV_CLEANED, 0, ready);
    assert_at(&l, VMITN_EV_SWITCHING, 1, ready);
    assert_at(&l, VMITN_EV_SWITCHED, 1, ready + 0.471 + 0.268);
}

/* fes.backup = always (paper 3.3, "one guest OS replication is always ready on line"): the
 * re-infected fresh guest is handed over at once, with no wait for the offline cleaning. */
static void test_model_backup_always_ready(void **state)
{
    vmitn_model_cfg c = exact_handover();
    c.fes.backup = VMITN_BACKUP_ALWAYS;
    c.ninject = 2;
    strcpy(c.inject[1].host, "L2-1");
    c.inject[1].t = 5;
    hostlog l = {.t = *state};
    run_case(*state, &(mcase){.cfg = &c, .seed = 1, .ob = {{.ctx = &l, .host = on_host}}});
    assert_int_equal(l.infections, 2);
    assert_int_equal(l.nat[VMITN_EV_NO_BACKUP], 0);
    assert_int_equal(l.nat[VMITN_EV_CLEANED], 0);
    assert_at(&l, VMITN_EV_SWITCHED, 0, 3.046);
    assert_at(&l, VMITN_EV_SWITCHING, 1, 6.307);
    assert_at(&l, VMITN_EV_SWITCHED, 1, 7.046);
}

/* The OOB medium is shared: a message holds it for (msg_bytes + payload) * 8 / bandwidth,
 * then takes the latency.  At 8,000 bit/s SPY's alarm (64 + 12 bytes) holds it 76 ms. */
static void test_model_oob_airtime(void **state)
{
    vmitn_model_cfg c = exact_handover();
    c.oob.bandwidth = 8000;
    c.oob.msg_bytes = 64;
    c.oob.hdr_bytes = 12;
    /* two alarms at the same time: the second waits for the first's airtime */
    c.ninject = 2;
    strcpy(c.inject[1].host, "L3-1");
    c.inject[1].t = 1;
    hostlog l = {.t = *state};
    run_case(*state, &(mcase){.cfg = &c, .seed = 1, .ob = {{.ctx = &l, .host = on_host}}});
    assert_at(&l, VMITN_EV_REPORTED, 0, 1.958);
    assert_at(&l, VMITN_EV_SMC_ALARM, 0, 1.958 + 0.076 + 0.300);
    assert_at(&l, VMITN_EV_SMC_ALARM, 1, 1.958 + 2 * 0.076 + 0.300);
}

/* The launched worm: worm.launch_startup delays its first scan; with launch_detect = scan
 * SPY's alarm comes 91 ms after that first scan (no exploit to see before it), with
 * launch_detect = infection 91 ms after the launch, as for a victim.  Victims keep their
 * own start-up (worm.activation). */
static void test_model_launch_startup_and_detection(void **state)
{
    for (int mode = 0; mode < 2; mode++) {
        vmitn_model_cfg c = exact_handover();
        c.ninject = 0;
        c.worm.enabled = true;
        c.worm.start_time = 1;
        c.worm.rate = 1; /* rarely a hit within the first second */
        c.worm.launch_startup = 0.5;
        c.worm.activation_cv = 0;
        c.worm.launch_detect = mode == 0 ? VMITN_LAUNCH_SCAN : VMITN_LAUNCH_INFECTION;
        c.duration = 3;
        hostlog l = {.t = *state};
        run_case(*state, &(mcase){.cfg = &c, .seed = 1, .ob = {{.ctx = &l, .host = on_host}}});
        assert_at(&l, VMITN_EV_INFECTED, 0, 1.0);
        assert_at(&l, VMITN_EV_ACTIVE, 0, 1.5);
        assert_at(&l, VMITN_EV_ALARM, 0, mode == 0 ? 1.591 : 1.091);
    }
}

/* The SMC's view (seen_*): a host counts as infected from the alarm on the SMC's display
 * until its hand-over ends; the true state counts from the infection. */
static void test_model_seen_view(void **state)
{
    for (int ho = 0; ho < 2; ho++) {
        vmitn_model_cfg c = exact_handover();
        c.fes.handover = ho;
        vmitn_metrics *m = run_case(*state, &(mcase){.cfg = &c, .duration = 10, .grid = 0.001, .seed = 1, .metrics = true});
        double v[64];
        size_t idx_seen_clean = 0, idx_clean = 0, idx_seen_att = 0;
        for (size_t i = 0; i < vmitn_metrics_per_run(); i++) {
            v[i] = vmitn_metrics_run_value(m, 0, i);
            const char *n = vmitn_metrics_name(m, i);
            if (strcmp(n, "seen_time_cleaned") == 0) idx_seen_clean = i;
            if (strcmp(n, "time_cleaned") == 0) idx_clean = i;
            if (strcmp(n, "seen_hosts_attacked") == 0) idx_seen_att = i;
        }
        assert_true(v[idx_seen_att] == 1);
        /* 1 ms grid: seen from 2.307 s on (display), infected from 1.000 s */
        assert_true(vmitn_metrics_curve_run(m, 0, 4, 2306) == 0);
        assert_true(vmitn_metrics_curve_run(m, 0, 4, 2308) == 1);
        assert_true(vmitn_metrics_curve_run(m, 0, 0, 1001) == 1);
        if (ho) {
            assert_true(fabs(v[idx_clean] - 3.046) < 1e-6);
            assert_true(fabs(v[idx_seen_clean] - 3.046) < 1e-6);
            assert_true(vmitn_metrics_curve_run(m, 0, 4, 3047) == 0);
        } else {
            assert_true(isnan(v[idx_clean]) && isnan(v[idx_seen_clean]));
            assert_true(vmitn_metrics_curve_run(m, 0, 4, 9000) == 1);
        }
        vmitn_metrics_free(m);
    }
}

/* Each reading changes what it should and nothing else, on paired runs (same seed and
 * run number): launch_detect makes no difference when the launched worm scans at once;
 * fes.backup = always never leaves a host without a backup and hands over the first
 * infection of every run at exactly the time offline does. */
typedef struct firsts {
    double first_switch;
    unsigned no_backup, switches;
} firsts;

static void on_firsts(void *ctx, vmitn_time t, unsigned h, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)h;
    (void)arg;
    (void)c;
    firsts *f = ctx;
    if (e == VMITN_EV_SWITCHED && f->switches++ == 0)
        f->first_switch = vmitn_to_secs(t);
    if (e == VMITN_EV_NO_BACKUP)
        f->no_backup++;
}

static void run_metrics(const vmitn_model_cfg *c, const vmitn_topo *t, unsigned runs, double *out)
{
    vmitn_metrics *m = run_case(t, &(mcase){.cfg = c, .seed = 7, .runs = runs, .metrics = true});
    for (unsigned r = 0; r < runs; r++)
        for (size_t i = 0; i < vmitn_metrics_per_run(); i++)
            out[r * vmitn_metrics_per_run() + i] = vmitn_metrics_run_value(m, r, i);
    vmitn_metrics_free(m);
}

static void test_model_readings_are_paired(void **state)
{
    const vmitn_topo *t = *state;
    enum { RUNS = 10 };
    size_t np = vmitn_metrics_per_run();
    double *a = calloc(RUNS * np, sizeof *a), *b = calloc(RUNS * np, sizeof *b);
    vmitn_model_cfg c = case_cfg(&(mcase){.near_bits = 12, .handover = true});
    c.worm.launch_startup = 0;
    c.worm.launch_detect = VMITN_LAUNCH_SCAN;
    run_metrics(&c, t, RUNS, a);
    c.worm.launch_detect = VMITN_LAUNCH_INFECTION;
    run_metrics(&c, t, RUNS, b);
    for (size_t i = 0; i < RUNS * np; i++)
        assert_true(a[i] == b[i] || (isnan(a[i]) && isnan(b[i])));
    /* with a start-up the launch host's alarm moves, so the runs differ */
    c.worm.launch_startup = 1;
    run_metrics(&c, t, RUNS, a);
    c.worm.launch_detect = VMITN_LAUNCH_SCAN;
    run_metrics(&c, t, RUNS, b);
    bool differ = false;
    for (size_t i = 0; i < RUNS * np; i++)
        differ |= !(a[i] == b[i] || (isnan(a[i]) && isnan(b[i])));
    assert_true(differ);

    unsigned offline_waits = 0;
    for (unsigned r = 0; r < RUNS; r++) {
        firsts f[2];
        memset(f, 0, sizeof f);
        for (int k = 0; k < 2; k++) {
            c.fes.backup = k == 0 ? VMITN_BACKUP_ALWAYS : VMITN_BACKUP_OFFLINE;
            run_case(t, &(mcase){.cfg = &c, .seed = 7, .run = r, .ob = {{.ctx = &f[k], .host = on_firsts}}});
        }
        assert_int_equal(f[0].no_backup, 0);
        assert_true(f[0].switches > 0 && f[0].first_switch == f[1].first_switch);
        offline_waits += f[1].no_backup;
    }
    assert_true(offline_waits > 0); /* offline does leave re-infected hosts without a backup */
    free(a);
    free(b);
}

/* ---- learning and blocking ---- */

typedef struct blocklog {
    uint32_t scanner;
    vmitn_pattern rule;
    bool have_rule;
    unsigned agents;
    vmitn_time everywhere;
    unsigned delivered_after, blocked;
} blocklog;

static void on_rule_b(void *ctx, vmitn_time t, const vmitn_pattern *p, int agent, unsigned n)
{
    blocklog *b = ctx;
    if (agent < 0 && !b->have_rule) {
        b->rule = *p;
        b->have_rule = true;
    } else if (agent >= 0 && b->have_rule && vmitn_pattern_same(p, &b->rule) && ++b->agents == n) {
        b->everywhere = t;
    }
}

static void on_pkt_b(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    blocklog *b = ctx;
    if (p->kind != VMITN_PKT_SCAN || p->src != b->scanner)
        return;
    if (f == VMITN_PKT_DELIVERED && b->everywhere > 0)
        b->delivered_after++;
    if (f == VMITN_PKT_BLOCKED_OUT || f == VMITN_PKT_BLOCKED_IN)
        b->blocked++;
}

/* One scanner that cannot infect anyone: the SMC learns {scanner, *, 80} and, once the
 * rule is active on every AGENT, none of its scans reaches a guest. */
static void test_model_learned_rule_blocks_scanner(void **state)
{
    const vmitn_topo *t = *state;
    blocklog b = {.scanner = vmitn_topo_host(t, (unsigned)vmitn_topo_find_name(t, "L1-1")).addr};
    run_case(t, &(mcase){.immune = true, .local_bits = 8, .near_bits = 10, .learning = true, .quiet = true, .duration = 10,
                         .grid = 1, .seed = 4, .ob = {{.ctx = &b, .rule = on_rule_b, .packet = on_pkt_b}}});
    assert_true(b.have_rule);
    assert_int_equal(b.rule.src, b.scanner);
    assert_int_equal(b.rule.wild, VMITN_WILD_DST);
    assert_int_equal(b.rule.port, 80);
    assert_true(b.everywhere > 0);
    assert_int_equal(b.delivered_after, 0);
    assert_true(b.blocked > 1000);
}

/* ---- determinism and bad configurations ---- */

static void test_model_same_seed_same_metrics(void **state)
{
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    c.smc.report_period = 0.1;
    c.smc.report_max = 4;
    double v[3][32] = {{0}};
    uint64_t seeds[3] = {8, 8, 9};
    for (int k = 0; k < 3; k++) {
        vmitn_metrics *m = run_case(*state, &(mcase){.cfg = &c, .local_bits = 8, .near_bits = 10, .handover = true,
                                                     .learning = true, .seed = seeds[k], .metrics = true});
        for (size_t i = 0; i < vmitn_metrics_count(m) && i < 32; i++) {
            vmitn_stat s;
            vmitn_metrics_stat(m, i, &s);
            v[k][i] = s.n ? s.mean : -1;
        }
        vmitn_metrics_free(m);
    }
    assert_memory_equal(v[0], v[1], sizeof v[0]);
    assert_memory_not_equal(v[0], v[2], sizeof v[0]);
}

static void test_model_check_names_the_problem(void **state)
{
    const vmitn_topo *t = *state;
    vmitn_model_cfg c;
    char err[VMITN_ERRLEN];
    vmitn_model_cfg_default(&c);
    c.worm.p_any = 0.2;
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "worm.p_local + worm.p_near + worm.p_any must be 1"));
    vmitn_model_cfg_default(&c);
    strcpy(c.worm.start_host, "L9-9");
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "worm.start_host: no FES host named 'L9-9'"));
    vmitn_model_cfg_default(&c);
    strcpy(c.worm.start_host, "SMC");
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    vmitn_model_cfg_default(&c);
    c.worm.local_bits = 17;
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "worm.local_bits"));
    /* the flood row's own checks (only when the flood is on) */
    vmitn_model_cfg_default(&c);
    strcpy(c.flood.host, "L9-9");
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), 0);
    c.flood.enabled = true;
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "flood.host: no FES host named 'L9-9'"));
    vmitn_model_cfg_default(&c);
    c.flood.enabled = true;
    c.flood.rate = 0;
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "flood.rate must be > 0"));
    vmitn_model_cfg_default(&c);
    strcpy(c.inject[0].host, "L1-1");
    c.inject[0].t = -1;
    c.ninject = 1;
    assert_int_equal(vmitn_model_check(&c, t, err, sizeof err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "inject[1].t must be a finite time >= 0"));
}

/* The bytes of file dir/name (NUL-terminated; *n its length); the caller frees them. */
static char *file_bytes(const char *dir, const char *name, size_t *n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *b = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (*n + 4096 + 1 > cap)
            b = realloc(b, cap = 2 * (cap + 4096));
        assert_non_null(b);
        size_t got = fread(b + *n, 1, 4096, f);
        *n += got;
        if (got < 4096)
            break;
    }
    b[*n] = '\0';
    fclose(f);
    return b;
}

/* Replications on workers (replicas.h) with the metrics and their event log computed
 * there (vmitn_metrics_collector): every file is the one the runs computed here write,
 * byte for byte, and the workers send what the runs left, not their packets. */
static void test_model_runs_on_workers_ship_their_results(void **state)
{
    const vmitn_topo *t = *state;
    /* Code Red with hand-over and learning, legitimate traffic: every observer call kind */
    vmitn_model_cfg c = case_cfg(&(mcase){.duration = 12, .grid = 0.1, .handover = true, .learning = true,
                                          .near_bits = 12});
    enum { R = 5 };
    vmitn_metrics *m[2];
    for (int i = 0; i < 2; i++) {
        m[i] = vmitn_metrics_new(&c, vmitn_topo_nhosts(t), nfes_of(t), R);
        vmitn_metrics_set_events(m[i], vmitn_events_new(&c, t));
    }
    run_case(t, &(mcase){.cfg = &c, .seed = 9, .runs = R, .m = m[0],
                         .ob = {vmitn_events_observer(vmitn_metrics_events(m[0]))}});
    char err[VMITN_ERRLEN];
    vmitn_collector col = vmitn_metrics_collector(m[1]);
    vmitn_replicas *p = vmitn_replicas_start(&c, t, 9, R, 2, NULL, 0, UINT32_MAX, &col, err, sizeof err);
    assert_non_null(p);
    for (unsigned k = 0; k < R; k++)
        assert_int_equal(vmitn_replicas_run(p, k, NULL, 0, err, sizeof err), 0);
    size_t logged = vmitn_replicas_logged(p);
    vmitn_replicas_stop(p);
    char dir[2][40] = {"/tmp/vmitn-test-here-XXXXXX", "/tmp/vmitn-test-workers-XXXXXX"};
    for (int i = 0; i < 2; i++) {
        assert_non_null(mkdtemp(dir[i]));
        assert_int_equal(vmitn_metrics_write(m[i], dir[i], "x", err), 0);
    }
    const char *files[] = {"x.curve.csv", "x.runs.csv", "x.summary.csv", "x.rules.csv", "x.handovers.csv",
                           "x.events.csv"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        size_t n[2];
        char *b[2] = {file_bytes(dir[0], files[f], &n[0]), file_bytes(dir[1], files[f], &n[1])};
        assert_non_null(b[0]);
        assert_non_null(b[1]);
        print_message("%s: %zu bytes\n", files[f], n[0]);
        assert_true(n[0] > 40); /* more than a header */
        assert_int_equal(n[0], n[1]);
        assert_memory_equal(b[0], b[1], n[0]);
        for (int i = 0; i < 2; i++) {
            char path[256];
            snprintf(path, sizeof path, "%s/%s", dir[i], files[f]);
            remove(path);
        }
        free(b[0]);
        free(b[1]);
    }
    for (int i = 0; i < 2; i++)
        rmdir(dir[i]);
    /* a packet's call took 34 bytes of log: the runs' packets would take far more than what
     * the runs left */
    double packets = 0;
    for (unsigned r = 0; r < R; r++)
        for (size_t i = 0; i < vmitn_metrics_per_run(); i++)
            if (strcmp(vmitn_metrics_name(m[0], i), "scans_sent") == 0 ||
                strcmp(vmitn_metrics_name(m[0], i), "legit_requests") == 0)
                packets += vmitn_metrics_run_value(m[0], r, i);
    print_message("%zu bytes logged for %.0f packets sent in %d runs\n", logged, packets, R);
    assert_true(logged > 0 && 34 * packets > 10.0 * (double)logged);
    vmitn_metrics_free(m[0]);
    vmitn_metrics_free(m[1]);
}

typedef struct fatecount {
    unsigned long n[VMITN_PKT_NFATES];
} fatecount;

static void count_fate(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    (void)p;
    ((fatecount *)ctx)->n[f]++;
}

/* An observer's .packet is called with the fates it asks for (vmitn_observer.fates) and
 * no other, in a run here and through a worker's log. */
static void test_model_observer_takes_its_fates(void **state)
{
    const vmitn_topo *t = *state;
    mcase k = {.duration = 8, .learning = true, .seed = 4};
    const unsigned want = 1u << VMITN_PKT_SENT | 1u << VMITN_PKT_BLOCKED_OUT;
    fatecount all = {0}, some = {0}, via = {0};
    k.ob[0] = (vmitn_observer){.ctx = &all, .packet = count_fate};
    k.ob[1] = (vmitn_observer){.ctx = &some, .packet = count_fate, .fates = want};
    run_case(t, &k);
    /* the run has fates of both kinds: sent and blocked (the rule), and dropped ones */
    assert_true(all.n[VMITN_PKT_SENT] > 0 && all.n[VMITN_PKT_BLOCKED_OUT] > 0 && all.n[VMITN_PKT_NOHOST] > 0);
    for (int f = 0; f < VMITN_PKT_NFATES; f++)
        assert_int_equal(some.n[f], want >> f & 1 ? all.n[f] : 0);
    /* through a worker, beside an observer of another fate: each gets its own */
    vmitn_model_cfg c = case_cfg(&k);
    fatecount other = {0};
    vmitn_observer ov[2] = {{.ctx = &via, .packet = count_fate, .fates = want},
                            {.ctx = &other, .packet = count_fate, .fates = 1u << VMITN_PKT_NOHOST}};
    char err[VMITN_ERRLEN];
    vmitn_replicas *r = vmitn_replicas_start(&c, t, 4, 1, 1, ov, 2, UINT32_MAX, NULL, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(vmitn_replicas_run(r, 0, ov, 2, err, sizeof err), 0);
    vmitn_replicas_stop(r);
    assert_memory_equal(&some, &via, sizeof via);
    for (int f = 0; f < VMITN_PKT_NFATES; f++)
        assert_int_equal(other.n[f], f == VMITN_PKT_NOHOST ? all.n[f] : 0);
}

/* The metrics take only the packet fates they read (their observer's fates mask): every
 * per-run metric is the same as with every fate, for a worm with hand-over, learning and
 * legitimate traffic beside a flood, and for a flood alone (the attack then). */
static void test_model_metrics_read_only_their_fates(void **state)
{
    const vmitn_topo *t = *state;
    for (int flood_only = 0; flood_only < 2; flood_only++) {
        vmitn_model_cfg c = case_cfg(&(mcase){.duration = 10, .grid = 0.1, .handover = true, .learning = true});
        c.flood.enabled = true;
        c.flood.start = 1;
        c.worm.enabled = !flood_only;
        c.legit.http_rate = 2;
        c.legit.smtp_rate = 1;
        enum { R = 3 };
        vmitn_metrics *m[2];
        for (int i = 0; i < 2; i++) {
            m[i] = vmitn_metrics_new(&c, vmitn_topo_nhosts(t), nfes_of(t), R);
            for (unsigned r = 0; r < R; r++) {
                vmitn_observer ob = vmitn_metrics_observer(m[i]);
                if (i == 1)
                    ob.fates = 0;
                assert_true(i == 1 || ob.fates != 0); /* a mask: the test compares something */
                vmitn_metrics_begin_run(m[i], r);
                assert_int_equal(vmitn_model_run(&c, t, 21, r, &ob, 1, NULL, 0), 0);
                vmitn_metrics_end_run(m[i]);
            }
        }
        size_t served = 0;
        while (strcmp(vmitn_metrics_name(m[0], served), "legit_served") != 0)
            served++;
        assert_true(vmitn_metrics_run_value(m[0], 0, served) > 0); /* DELIVERED is read */
        for (unsigned r = 0; r < R; r++)
            for (size_t i = 0; i < vmitn_metrics_per_run(); i++) {
                double a = vmitn_metrics_run_value(m[0], r, i), b = vmitn_metrics_run_value(m[1], r, i);
                if (!(isnan(a) && isnan(b)) && a != b)
                    fail_msg("flood_only %d run %u %s: %g with the mask, %g with every fate", flood_only, r,
                             vmitn_metrics_name(m[0], i), a, b);
            }
        vmitn_metrics_free(m[0]);
        vmitn_metrics_free(m[1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_localized_scanning_chi2),
        cmocka_unit_test(test_model_scan_fates_follow_the_route),
        cmocka_unit_test(test_model_flood_spoofed_sources_uniform),
        cmocka_unit_test(test_model_infects_only_vulnerable_clean_fes),
        cmocka_unit_test(test_model_si_matches_analytic),
        cmocka_unit_test(test_model_fast_path_matches_packet_level),
        cmocka_unit_test(test_model_fast_path_counts_scans),
        cmocka_unit_test(test_model_events_rebuild_curves),
        cmocka_unit_test(test_model_thinning_keeps_every_metric),
        cmocka_unit_test(test_model_thinning_acceptance_rule),
        cmocka_unit_test(test_model_handover_timeline),
        cmocka_unit_test(test_model_reinfection_of_fresh_backup),
        cmocka_unit_test(test_model_backup_always_ready),
        cmocka_unit_test(test_model_oob_airtime),
        cmocka_unit_test(test_model_launch_startup_and_detection),
        cmocka_unit_test(test_model_seen_view),
        cmocka_unit_test(test_model_readings_are_paired),
        cmocka_unit_test(test_model_learned_rule_blocks_scanner),
        cmocka_unit_test(test_model_same_seed_same_metrics),
        cmocka_unit_test(test_model_check_names_the_problem),
        cmocka_unit_test(test_model_runs_on_workers_ship_their_results),
        cmocka_unit_test(test_model_observer_takes_its_fates),
        cmocka_unit_test(test_model_metrics_read_only_their_fates),
    };
    return cmocka_run_group_tests(tests, fig8_setup, fig8_teardown);
}
