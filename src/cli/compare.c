/* compare.c — `vmitn compare REF NEW`: is NEW the same model as REF, up to noise, and is
 * all of REF there?
 *
 * Completeness first: every scenario folder of REF, every experiment its meta lists, every
 * file, every column of every CSV and every row must be in NEW, or it is a difference
 * naming what is missing.  Rows are matched by key: curve rows by time, summary rows by
 * metric, per-run rows by run number (for the runs NEW declares: a check may run fewer
 * replications than the reference, and says so); any other CSV must not be empty in NEW
 * when it has rows in REF.  Matching goes through hash tables, so the time is linear in
 * the rows.
 *
 * Then the values.  Headline metrics are compared run by run.  A check runs the scenarios
 * with the reference's seed, so run r of both uses the same random streams: an unchanged
 * model reproduces every value, a change that only reshuffles random draws gives
 * differences that are independent noise, and a real change in behaviour shifts them all
 * one way.  Over the k runs both have, the paired differences d must satisfy
 *     |mean(d)| <= z * sd(d) / sqrt(k) + floor          (a paired t test)
 * with z = 4 by default (family-wise error about 1 % over the ~100 comparisons of the
 * paper's scenarios) and floor = 1 % of the reference mean, for rounding.  Runs that gained
 * or lost a value (NA) are tested with a sign test.  The mean infected and healthy curves
 * are compared once a second, unpaired, with each side's SD from its own 95 % interval:
 * |difference| <= z * sqrt(sd_r^2/n_r + sd_n^2/n_n) + 0.5 host.  A seed that differs is a
 * warning: the runs are then not paired by their streams.
 *
 * The CI and worst columns: each 95 % CI must be mean +- t sd/sqrt(n) and centred, each
 * worst between min and max, the spread behind each CI within F bounds of REF's, and the
 * worst run's peak near the highest peak of REF's runs over the runs NEW ran (see
 * check_summary_ci and check_curve_ci_worst).
 *
 * Every file is read by the strict reader (vmitn/csv.h): a damaged file in either folder
 * is an error naming its file, line and column, never a "missing value".
 *
 * Output: text (DIFFERS lines and a summary), JSON, or JUnit XML (one test case per
 * experiment), the last also to a file beside either of the others. */
#include "vmitn/compare.h"

#include <dirent.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmitn/csv.h"
#include "vmitn/util.h"

#define MAXCOL 256

typedef struct table {
    char *head[MAXCOL];
    int ncol;
    double *v; /* rows x ncol, NaN for NA or text */
    int nrow;
    char **text; /* first column's text of each row */
    unsigned *line; /* the file line of each row */
    char *path;
} table;

static void table_free(table *t)
{
    for (int i = 0; i < t->ncol; i++)
        free(t->head[i]);
    for (int r = 0; r < t->nrow; r++)
        free(t->text[r]);
    free(t->text);
    free(t->v);
    free(t->line);
    free(t->path);
    memset(t, 0, sizeof *t);
}

/* Reads a CSV through the strict reader (vmitn/csv.h) with the rules of its kind; a cell
 * that is text (in a file of no known kind) or NA becomes NaN.  0; 1 if the file is
 * empty (0 bytes); -1 if it is damaged or cannot be read, with the message in err. */
static int table_read(const char *path, enum vmitn_csv_kind kind, table *t, char *err)
{
    memset(t, 0, sizeof *t);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
        return 1;
    vmitn_csv csv;
    if (vmitn_csv_read_results(path, kind, &csv, err) < 0)
        return -1;
    if (csv.ncol > MAXCOL) {
        snprintf(err, VMITN_ERRLEN, "%s:1: %d columns, more than compare reads (%d)", path, csv.ncol, MAXCOL);
        vmitn_csv_free(&csv);
        return -1;
    }
    t->ncol = csv.ncol;
    for (int i = 0; i < t->ncol; i++)
        t->head[i] = vmitn_xstrdup(csv.head[i]);
    t->nrow = (int)csv.nrow;
    t->v = vmitn_xmalloc(((size_t)t->nrow * (size_t)t->ncol + 1) * sizeof *t->v);
    t->text = vmitn_xmalloc(((size_t)t->nrow + 1) * sizeof *t->text);
    t->line = vmitn_xmalloc(((size_t)t->nrow + 1) * sizeof *t->line);
    t->path = vmitn_xstrdup(path);
    int mcol = vmitn_csv_col(&csv, "metric");
    for (int r = 0; r < t->nrow; r++) {
        t->text[r] = vmitn_xstrdup(vmitn_csv_at(&csv, (size_t)r, 0));
        t->line[r] = csv.line[r];
        for (int i = 0; i < t->ncol; i++) {
            double x;
            const char *cell = vmitn_csv_at(&csv, (size_t)r, i);
            if (kind != VMITN_CSV_OTHER && !(kind == VMITN_CSV_SUMMARY && i == mcol)) /* checked: a number or NA */
                x = strcmp(cell, "NA") == 0 ? NAN : strtod(cell, NULL);
            else if (vmitn_csv_num(&csv, (size_t)r, i, 1, &x, NULL) != 0)
                x = NAN;
            t->v[(size_t)r * t->ncol + i] = x;
        }
    }
    vmitn_csv_free(&csv);
    return 0;
}

static int col(const table *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (strcmp(t->head[i], name) == 0)
            return i;
    return -1;
}

static double at(const table *t, int r, int c) { return t->v[(size_t)r * t->ncol + c]; }

/* ---------- an index: 64-bit key -> row, open addressing ---------- */

typedef struct keyidx {
    int64_t *key;
    int *row;
    size_t mask;
} keyidx;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static void index_build(keyidx *ix, const int64_t *keys, int n)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)n)
        cap *= 2;
    ix->mask = cap - 1;
    ix->key = vmitn_xmalloc(cap * sizeof *ix->key);
    ix->row = vmitn_xmalloc(cap * sizeof *ix->row);
    for (size_t i = 0; i < cap; i++)
        ix->row[i] = -1;
    for (int r = 0; r < n; r++) {
        size_t h = mix((uint64_t)keys[r]) & ix->mask;
        while (ix->row[h] >= 0 && ix->key[h] != keys[r])
            h = (h + 1) & ix->mask;
        if (ix->row[h] < 0) { /* the first row with a key wins */
            ix->key[h] = keys[r];
            ix->row[h] = r;
        }
    }
}

static int index_get(const keyidx *ix, int64_t k)
{
    size_t h = mix((uint64_t)k) & ix->mask;
    while (ix->row[h] >= 0) {
        if (ix->key[h] == k)
            return ix->row[h];
        h = (h + 1) & ix->mask;
    }
    return -1;
}

static void index_free(keyidx *ix)
{
    free(ix->key);
    free(ix->row);
}

/* Keys of column c: times in microseconds, run numbers as they are; NaN rows get a key no
 * real value has. */
static int64_t *keys_of(const table *t, int c, double scale)
{
    int64_t *k = vmitn_xmalloc(((size_t)t->nrow + 1) * sizeof *k);
    for (int r = 0; r < t->nrow; r++) {
        double x = at(t, r, c);
        k[r] = isfinite(x) ? (int64_t)llround(x * scale) : INT64_MIN;
    }
    return k;
}

/* ---------- findings ---------- */

typedef struct finding {
    int test;   /* keyidx into ctx.tests */
    char *msg;  /* "what: detail" without the experiment */
    bool missing;
    bool damaged; /* REF or NEW holds a file no writer writes */
    double ref, got, band; /* band findings */
} finding;

typedef struct testcase {
    char *name; /* scenario or scenario/label */
    unsigned checked, failed;
} testcase;

typedef struct ctx {
    double z;
    unsigned checked, failed, missing, damaged;
    finding *f;
    size_t nf;
    testcase *t;
    size_t nt;
    int cur;
    char **warn;
    size_t nw;
    bool text;
    FILE *out;
    const char *ref, *now;
} ctx;

static int test_begin(ctx *c, const char *name)
{
    c->t = vmitn_xrealloc(c->t, (c->nt + 1) * sizeof *c->t);
    c->t[c->nt] = (testcase){vmitn_xstrdup(name), 0, 0};
    c->cur = (int)c->nt;
    return (int)c->nt++;
}

static void add_finding(ctx *c, bool missing, double ref, double got, double band, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void add_finding(ctx *c, bool missing, double ref, double got, double band, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->checked++;
    c->failed++;
    c->missing += missing;
    c->t[c->cur].checked++;
    c->t[c->cur].failed++;
    c->f = vmitn_xrealloc(c->f, (c->nf + 1) * sizeof *c->f);
    c->f[c->nf++] = (finding){c->cur, vmitn_xstrdup(msg), missing, false, ref, got, band};
    if (c->text)
        fprintf(c->out, "DIFFERS %s: %s\n", c->t[c->cur].name, msg);
}

/* A damaged file (msg: "PATH:LINE: reason"): an error on stderr and a finding of its own
 * kind; compare then exits VMITN_EXIT_INPUT. */
static void damaged(ctx *c, const char *msg)
{
    fprintf(stderr, "vmitn: %s\n", msg);
    add_finding(c, false, NAN, NAN, NAN, "damaged: %s", msg);
    c->f[c->nf - 1].damaged = true;
    c->damaged++;
}

static void passed(ctx *c)
{
    c->checked++;
    c->t[c->cur].checked++;
}

static void warning(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warning(ctx *c, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->warn = vmitn_xrealloc(c->warn, (c->nw + 1) * sizeof *c->warn);
    c->warn[c->nw++] = vmitn_xstrdup(msg);
    if (c->text)
        fprintf(stderr, "vmitn: warning: %s\n", msg);
}

static void verdict(ctx *c, const char *what, const char *where, double ref, double got, double band)
{
    if (fabs(got - ref) <= band) {
        passed(c);
        return;
    }
    add_finding(c, false, ref, got, band, "%s%s: reference %.4g, now %.4g (difference %+.4g, band +-%.3g)", what, where,
                ref, got, got - ref, band);
}

/* ---------- meta ---------- */


/* The runs DIR/meta declares: 0 and *runs, or -1 when the value is missing or not a
 * whole number (the folder is damaged). */
static int meta_runs(const char *dir, unsigned *runs)
{
    char *v = vmitn_meta_get(dir, "runs"), *end = NULL;
    unsigned long n = v && v[0] >= '0' && v[0] <= '9' ? strtoul(v, &end, 10) : 0;
    int rc = v && end && *end == '\0' && n <= 100000000UL ? 0 : -1;
    *runs = rc == 0 ? (unsigned)n : 0;
    free(v);
    return rc;
}

static bool has_meta(const char *dir)
{
    char path[8400];
    struct stat st;
    snprintf(path, sizeof path, "%s/meta", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The sorted names of dir's entries (no dot files); regular files or folders. */
static char **list_dir(const char *dir, bool dirs, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return NULL;
    char **v = NULL;
    struct dirent *e;
    char p[8400];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) != 0 || (dirs ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
            continue;
        v = vmitn_xrealloc(v, (*n + 1) * sizeof *v);
        v[(*n)++] = vmitn_xstrdup(e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ---------- the comparisons ---------- */

/* SD of the values behind a mean, from its 95 % t interval half-width and n. */
static double sd_from_ci(double half, unsigned n, double q)
{
    if (n < 2 || !isfinite(half))
        return 0;
    return half / q * sqrt((double)n);
}

/* The 97.5 % quantile of Student's t with n - 1 degrees of freedom (costly: once per curve). */
static double t975(unsigned n) { return n < 2 ? 1 : gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)); }

/* Every column of REF's header is in NEW's. */
static void check_columns(ctx *c, const char *file, const table *a, const table *b)
{
    for (int i = 0; i < a->ncol; i++) {
        if (col(b, a->head[i]) < 0)
            add_finding(c, true, NAN, NAN, NAN, "%s: column '%s' is missing in NEW", file, a->head[i]);
        else
            passed(c);
    }
}

/* Rows of REF keyed by column kc (scale: key units) that are not in NEW; only rows with
 * key < limit count.  Reports the count and the first one. */
static void check_rows(ctx *c, const char *file, const table *a, const table *b, const char *kc, double scale,
                       double limit, const char *unit)
{
    int ka = col(a, kc), kb = col(b, kc);
    if (ka < 0 || kb < 0)
        return; /* a missing key column was reported by check_columns */
    int64_t *keys = keys_of(b, kb, scale);
    keyidx ix;
    index_build(&ix, keys, b->nrow);
    int missing = 0, want = 0;
    double first = NAN;
    for (int r = 0; r < a->nrow; r++) {
        double x = at(a, r, ka);
        if (!isfinite(x) || !(x < limit))
            continue;
        want++;
        if (index_get(&ix, (int64_t)llround(x * scale)) < 0) {
            if (missing++ == 0)
                first = x;
        }
    }
    if (missing)
        add_finding(c, true, NAN, NAN, NAN, "%s: %d of REF's %d rows are missing in NEW (the first at %s = %g%s)", file,
                    missing, want, kc, first, unit);
    else
        passed(c);
    index_free(&ix);
    free(keys);
}

static void compare_curves(ctx *c, const table *a, unsigned na, const table *b, unsigned nb)
{
    static const char *const qs[] = {"infected", "healthy"};
    int ta = col(a, "t"), tb = col(b, "t");
    if (ta < 0 || tb < 0)
        return;
    int64_t *keys = keys_of(b, tb, 1e6);
    keyidx ix;
    index_build(&ix, keys, b->nrow);
    double qa = t975(na), qb = t975(nb);
    for (size_t q = 0; q < sizeof qs / sizeof qs[0]; q++) {
        char name[64];
        snprintf(name, sizeof name, "%s_mean", qs[q]);
        int ma = col(a, name), mb = col(b, name);
        snprintf(name, sizeof name, "%s_ci_hi", qs[q]);
        int ha = col(a, name), hb = col(b, name);
        if (ma < 0 || mb < 0 || ha < 0 || hb < 0)
            continue;
        for (int r = 0; r < a->nrow; r++) {
            double t = at(a, r, ta);
            if (!isfinite(t) || fabs(t - floor(t + 0.5)) > 1e-6) /* once a second */
                continue;
            int s = index_get(&ix, (int64_t)llround(t * 1e6));
            if (s < 0)
                continue; /* reported by check_rows */
            double sa = sd_from_ci(at(a, r, ha) - at(a, r, ma), na, qa), sb = sd_from_ci(at(b, s, hb) - at(b, s, mb), nb, qb);
            double band = c->z * sqrt(sa * sa / na + sb * sb / nb) + 0.5;
            char where[64];
            snprintf(where, sizeof where, " curve at t = %g s", t);
            verdict(c, qs[q], where, at(a, r, ma), at(b, s, mb), band);
        }
    }
    index_free(&ix);
    free(keys);
}

static const char *const headline[] = {"peak_infected", "time_all_infected", "time_cleaned", "hosts_attacked",
                                       "learning_time", "availability", "mean_infected", "infections"};

/* Paired comparison of the headline metrics over the runs both tables have. */
static void compare_runs(ctx *c, const table *a, const table *b)
{
    int ra = col(a, "run"), rb = col(b, "run");
    if (ra < 0 || rb < 0)
        return;
    int64_t *keys = keys_of(a, ra, 1);
    keyidx ix;
    index_build(&ix, keys, a->nrow);
    for (size_t h = 0; h < sizeof headline / sizeof headline[0]; h++) {
        int ca = col(a, headline[h]), cb = col(b, headline[h]);
        if (ca < 0 || cb < 0)
            continue;
        double sum = 0, sum2 = 0, ref = 0;
        unsigned k = 0, gained = 0, lost = 0; /* runs that gained or lost a value (NA) */
        for (int i = 0; i < b->nrow; i++) {
            double run = at(b, i, rb);
            int j = isfinite(run) ? index_get(&ix, (int64_t)llround(run)) : -1;
            if (j < 0)
                continue;
            double x = at(a, j, ca), y = at(b, i, cb);
            gained += isnan(x) && !isnan(y);
            lost += !isnan(x) && isnan(y);
            if (isnan(x) || isnan(y))
                continue;
            sum += y - x;
            sum2 += (y - x) * (y - x);
            ref += x;
            k++;
        }
        if (gained + lost > 0) {
            /* sign test: without a change a run is as likely to gain a value as to lose one;
             * two-sided exact binomial p-value, flagged below 0.002 (ten runs all one way) */
            unsigned n = gained + lost, lo = gained < lost ? gained : lost;
            double p = 0;
            for (unsigned i = 0; i <= lo; i++)
                p += pow(2.0, (lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0)) / log(2.0) - n);
            p = fmin(1, 2 * p);
            if (p < 0.002)
                add_finding(c, false, lost, gained, NAN, "%s: %u runs gained a value and %u lost theirs (NA) (sign test p = %.2g)",
                            headline[h], gained, lost, p);
            else
                passed(c);
        }
        if (k < 2)
            continue;
        double md = sum / k, sd = sqrt(fmax(0, (sum2 - k * md * md) / (k - 1)));
        double band = c->z * sd / sqrt((double)k) + 0.01 * fabs(ref / k) + 1e-9;
        char where[64];
        snprintf(where, sizeof where, " mean over %u paired runs", k);
        verdict(c, headline[h], where, ref / k, ref / k + md, band);
    }
    index_free(&ix);
    free(keys);
}

/* The hand-over steps have no per-run values: unpaired, from the summaries.  Rows are
 * matched by metric name (a summary has a few dozen rows). */
static void compare_summary(ctx *c, const table *a, const table *b)
{
    int na = col(a, "n"), ma = col(a, "mean"), sa = col(a, "sd");
    int nb = col(b, "n"), mb = col(b, "mean"), sb = col(b, "sd");
    if (na < 0 || ma < 0 || sa < 0 || nb < 0 || mb < 0 || sb < 0)
        return;
    for (int r = 0; r < a->nrow; r++) {
        if (strncmp(a->text[r], "handover.", 9) != 0)
            continue;
        for (int s = 0; s < b->nrow; s++) {
            if (strcmp(b->text[s], a->text[r]) != 0)
                continue;
            double n1 = at(a, r, na), n2 = at(b, s, nb);
            if (!(n1 >= 2 && n2 >= 2))
                continue;
            double s1 = at(a, r, sa), s2 = at(b, s, sb), m1 = at(a, r, ma);
            double band = c->z * sqrt(s1 * s1 / n1 + s2 * s2 / n2) + 0.01 * fabs(m1);
            verdict(c, a->text[r], " mean", m1, at(b, s, mb), band);
            break;
        }
    }
}

/* ---------- the CI and worst columns ---------- */

/* Bounds on sd_new / sd_ref for an unchanged model: the square roots of the central
 * 1 - alpha quantiles of F(n_new - 1, n_ref - 1), alpha the two-sided normal tail at z
 * (6.3e-5 at z = 4).  The runs are paired (the same streams), which only narrows the
 * ratio's spread: the test is conservative.  With fewer runs than REF, NEW's runs are a
 * subset of REF's, and a subset of a few discrete values may have no spread at all (the
 * first 10 of 20 runs all alike): then only the upper bound holds (lo = 0). */
static void sd_ratio_bounds(double z, double nn, double nr, double *lo, double *hi)
{
    double alpha = 2 * gsl_cdf_ugaussian_Q(z);
    *lo = nn >= nr ? sqrt(gsl_cdf_fdist_Pinv(alpha / 2, nn - 1, nr - 1)) : 0;
    *hi = sqrt(gsl_cdf_fdist_Pinv(1 - alpha / 2, nn - 1, nr - 1));
}

/* Does x agree with want to the 6 significant digits the writers print? */
static bool same6(double x, double want, double scale) { return fabs(x - want) <= 1e-5 * (fabs(want) + scale) + 1e-12; }

/* The 95 % CI columns of a summary.  (1) On each side, every interval is
 * mean +- t(0.975, n - 1) sd / sqrt(n), to the digits written (a CI computed with z, or
 * off centre, is a difference).  (2) NEW's spread agrees with REF's: sd_new / sd_ref within
 * sd_ratio_bounds, give or take 1 % of REF's mean (rounding).  The means are compared run
 * by run (compare_runs) or here for the hand-over steps (compare_summary). */
static void check_summary_ci(ctx *c, const char *file, const table *a, const table *b)
{
    const table *tt[2] = {a, b};
    int ci[2][5];
    static const char *const names[5] = {"n", "mean", "sd", "ci95_lo", "ci95_hi"};
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < 5; k++)
            if ((ci[s][k] = col(tt[s], names[k])) < 0)
                return; /* a missing column was reported by check_columns */
    for (int s = 0; s < 2; s++) {
        const table *t = tt[s];
        int bad = 0, first = -1;
        for (int r = 0; r < t->nrow; r++) {
            double n = at(t, r, ci[s][0]), m = at(t, r, ci[s][1]), sd = at(t, r, ci[s][2]);
            double lo = at(t, r, ci[s][3]), hi = at(t, r, ci[s][4]);
            if (!(n >= 1) || !isfinite(m) || !isfinite(sd))
                continue;
            double half = n >= 2 ? t975((unsigned)n) * sd / sqrt(n) : 0;
            if (!same6(lo, m - half, half + fabs(m)) || !same6(hi, m + half, half + fabs(m))) {
                if (bad++ == 0)
                    first = r;
            }
        }
        if (bad) {
            int r = first;
            double n = at(t, r, ci[s][0]), m = at(t, r, ci[s][1]), sd = at(t, r, ci[s][2]);
            double half = n >= 2 ? t975((unsigned)n) * sd / sqrt(n) : 0;
            add_finding(c, false, m - half, at(t, r, ci[s][3]), NAN,
                        "%s: %s's 95 %% CI is not mean +- t(0.975, n-1) sd/sqrt(n) in %d rows, the first %s (line %u): [%.6g, %.6g], "
                        "expected [%.6g, %.6g]",
                        file, s ? "NEW" : "REF", bad, t->text[r], t->line[r], at(t, r, ci[s][3]), at(t, r, ci[s][4]), m - half,
                        m + half);
        } else {
            passed(c);
        }
    }
    for (int r = 0; r < a->nrow; r++) {
        int s = -1;
        for (int k = 0; k < b->nrow && s < 0; k++)
            if (strcmp(a->text[r], b->text[k]) == 0)
                s = k;
        if (s < 0)
            continue; /* reported by check_names */
        double n1 = at(a, r, ci[0][0]), n2 = at(b, s, ci[1][0]), s1 = at(a, r, ci[0][2]), s2 = at(b, s, ci[1][2]);
        if (!(n1 >= 2 && n2 >= 2) || !isfinite(s1) || !isfinite(s2))
            continue;
        double lo, hi, fl = 0.01 * fabs(at(a, r, ci[0][1])) + 1e-9;
        sd_ratio_bounds(c->z, n2, n1, &lo, &hi);
        if (s2 > s1 * hi + fl || s2 < s1 * lo - fl)
            add_finding(c, false, s1, s2, NAN,
                        "%s: %s: the spread behind the 95 %% CI moved: sd reference %.4g (n = %.0f), now %.4g (n = %.0f); "
                        "allowed %.4g to %.4g",
                        file, a->text[r], s1, n1, s2, n2, fmax(0, s1 * lo - fl), s1 * hi + fl);
        else
            passed(c);
    }
}

/* The curve's CI and worst columns.  On each side: each interval centred on its mean,
 * and min <= worst <= max on every row.  Against REF, once a second for infected and
 * healthy: the spread behind the CI (from its half-width) within sd_ratio_bounds, give or
 * take 0.5 host; and the worst run's peak (the highest infected_worst) within 1 host and
 * 10 % of the highest peak_infected REF's runs file has over the runs NEW ran (the worst
 * run is the one with the highest peak; its curve, sampled on the grid, may lie below its
 * peak, never above). */
static void check_curve_ci_worst(ctx *c, const char *rdir, const char *file, const table *a, unsigned na, const table *b,
                                 unsigned nb)
{
    static const char *const qs[] = {"infected", "healthy", "down", "infections", "seen_infected"};
    const table *tt[2] = {a, b};
    for (int s = 0; s < 2; s++) {
        const table *t = tt[s];
        int bad = 0;
        char first[300] = "";
        for (size_t q = 0; q < sizeof qs / sizeof qs[0]; q++) {
            char nm[64];
            int k[5];
            static const char *const suf[5] = {"mean", "ci_lo", "ci_hi", "min", "max"};
            for (int i = 0; i < 5; i++) {
                snprintf(nm, sizeof nm, "%s_%s", qs[q], suf[i]);
                k[i] = col(t, nm);
            }
            snprintf(nm, sizeof nm, "%s_worst", qs[q]);
            int kw = col(t, nm);
            for (int r = 0; r < t->nrow; r++) {
                if (k[0] >= 0 && k[1] >= 0 && k[2] >= 0) {
                    double m = at(t, r, k[0]), lo = at(t, r, k[1]), hi = at(t, r, k[2]);
                    if (isfinite(m) && isfinite(lo) && isfinite(hi) && !same6(lo + hi, 2 * m, fabs(lo) + fabs(hi))) {
                        if (bad++ == 0)
                            snprintf(first, sizeof first, "%s_ci_lo/hi at line %u not centred on the mean", qs[q], t->line[r]);
                        continue;
                    }
                }
                if (kw >= 0 && k[3] >= 0 && k[4] >= 0) {
                    double w = at(t, r, kw), lo = at(t, r, k[3]), hi = at(t, r, k[4]);
                    if (isfinite(w) && isfinite(lo) && isfinite(hi) && !(lo <= w && w <= hi) && bad++ == 0)
                        snprintf(first, sizeof first, "%s_worst at line %u: %g, outside min %g, max %g", qs[q], t->line[r], w,
                                 lo, hi);
                }
            }
        }
        if (bad)
            add_finding(c, false, NAN, NAN, NAN, "%s: %s's CI or worst columns are inconsistent in %d places, the first: %s", file,
                        s ? "NEW" : "REF", bad, first);
        else
            passed(c);
    }
    /* the spread behind the CI, against REF */
    int ta = col(a, "t"), tb = col(b, "t");
    if (ta < 0 || tb < 0 || na < 2 || nb < 2)
        return;
    int64_t *keys = keys_of(b, tb, 1e6);
    keyidx ix;
    index_build(&ix, keys, b->nrow);
    double qa = t975(na), qb = t975(nb), flo, fhi;
    sd_ratio_bounds(c->z, nb, na, &flo, &fhi);
    for (size_t q = 0; q < 2; q++) {
        char nm[64];
        snprintf(nm, sizeof nm, "%s_mean", qs[q]);
        int ma = col(a, nm), mb = col(b, nm);
        snprintf(nm, sizeof nm, "%s_ci_hi", qs[q]);
        int ha = col(a, nm), hb = col(b, nm);
        if (ma < 0 || mb < 0 || ha < 0 || hb < 0)
            continue;
        int bad = 0;
        char first[300] = "";
        for (int r = 0; r < a->nrow; r++) {
            double t = at(a, r, ta);
            if (!isfinite(t) || fabs(t - floor(t + 0.5)) > 1e-6)
                continue;
            int s = index_get(&ix, (int64_t)llround(t * 1e6));
            if (s < 0)
                continue;
            double sa = sd_from_ci(at(a, r, ha) - at(a, r, ma), na, qa), sb = sd_from_ci(at(b, s, hb) - at(b, s, mb), nb, qb);
            if ((sb > sa * fhi + 0.5 || sb < sa * flo - 0.5) && bad++ == 0)
                snprintf(first, sizeof first, "at t = %g s: sd reference %.3g, now %.3g (allowed %.3g to %.3g)", t, sa, sb,
                         fmax(0, sa * flo - 0.5), sa * fhi + 0.5);
        }
        if (bad)
            add_finding(c, false, NAN, NAN, NAN, "%s: the spread behind the %s curve's 95 %% CI moved at %d times, the first %s",
                        file, qs[q], bad, first);
        else
            passed(c);
    }
    index_free(&ix);
    free(keys);
    /* the worst run's peak against REF's runs over the runs NEW ran */
    int wb = col(b, "infected_worst");
    size_t len = strlen(file);
    if (wb < 0 || nb > na || len <= 10)
        return;
    char rp[8400], err[VMITN_ERRLEN];
    snprintf(rp, sizeof rp, "%s/%.*s.runs.csv", rdir, (int)(len - 10), file);
    table ru;
    if (table_read(rp, VMITN_CSV_RUNS, &ru, err) != 0)
        return; /* no runs file (or a damaged one, reported when it is compared) */
    int kr = col(&ru, "run"), kp = col(&ru, "peak_infected");
    double ref = -1, got = -1;
    for (int r = 0; kr >= 0 && kp >= 0 && r < ru.nrow; r++)
        if (at(&ru, r, kr) < nb && isfinite(at(&ru, r, kp)))
            ref = fmax(ref, at(&ru, r, kp));
    for (int r = 0; r < b->nrow; r++)
        if (isfinite(at(b, r, wb)))
            got = fmax(got, at(b, r, wb));
    table_free(&ru);
    if (ref < 0 || got < 0)
        return;
    double band = 1 + 0.1 * ref;
    if (got > ref + band || got < ref - band)
        add_finding(c, false, ref, got, band,
                    "%s: the worst run's peak (highest infected_worst): reference %g (the highest peak_infected of REF's runs 0 to %u), "
                    "now %g (band +-%.3g)",
                    file, ref, nb - 1, got, band);
    else
        passed(c);
}

/* Every row name (first column) of REF's summary is in NEW's. */
static void check_names(ctx *c, const char *file, const table *a, const table *b)
{
    char **names = vmitn_xmalloc(((size_t)b->nrow + 1) * sizeof *names);
    for (int s = 0; s < b->nrow; s++)
        names[s] = b->text[s];
    qsort(names, (size_t)b->nrow, sizeof *names, cmp_str);
    int missing = 0;
    const char *first = NULL;
    for (int r = 0; r < a->nrow; r++) {
        const char *k = a->text[r];
        if (bsearch(&k, names, (size_t)b->nrow, sizeof *names, cmp_str) == NULL && missing++ == 0)
            first = a->text[r];
    }
    if (missing)
        add_finding(c, true, NAN, NAN, NAN, "%s: %d of REF's %d rows are missing in NEW (the first: %s)", file, missing,
                    a->nrow, first);
    else
        passed(c);
    free(names);
}

/* A runs file numbers its runs 0, 1, ... without a gap, as the writer does (duplicates
 * were refused by the reader; an experiment may run fewer runs than its meta's count, so
 * the count is the file's own).  0, or -1 when the file is damaged. */
static int check_run_set(ctx *c, const table *t)
{
    int rc = col(t, "run");
    if (rc < 0)
        return 0; /* reported as a missing column */
    for (int r = 0; r < t->nrow; r++) {
        double x = at(t, r, rc);
        if (x >= t->nrow) {
            char msg[VMITN_ERRLEN + 200];
            snprintf(msg, sizeof msg, "%s:%u: run %.0f, but the file has %d runs: a run before it is missing", t->path,
                     t->line[r], x, t->nrow);
            damaged(c, msg);
            return -1;
        }
    }
    return 0;
}

/* With as many runs declared on both sides, NEW must not hold a run REF lacks. */
static void check_extra_runs(ctx *c, const char *file, const table *a, unsigned rr, const table *b, unsigned rn)
{
    if (rr != rn || b->nrow <= a->nrow)
        return;
    int kb = col(b, "run");
    for (int r = 0; r < b->nrow; r++)
        if (kb >= 0 && at(b, r, kb) >= a->nrow) {
            add_finding(c, false, NAN, NAN, NAN, "%s: NEW has %d runs, REF %d (both declare %u): run %.0f (line %u) is extra", file,
                        b->nrow, a->nrow, rn, at(b, r, kb), b->line[r]);
            return;
        }
}

/* One file of REF's scenario folder against NEW's: there, every column, and rows. */
static void compare_file(ctx *c, const char *rdir, const char *ndir, const char *file, unsigned rr, unsigned rn)
{
    char p1[8400], p2[8400];
    snprintf(p1, sizeof p1, "%s/%s", rdir, file);
    snprintf(p2, sizeof p2, "%s/%s", ndir, file);
    struct stat st;
    if (stat(p2, &st) != 0 || !S_ISREG(st.st_mode)) {
        add_finding(c, true, NAN, NAN, NAN, "%s is missing in NEW (%s)", file, ndir);
        return;
    }
    size_t len = strlen(file);
    if (len < 4 || strcmp(file + len - 4, ".csv") != 0) {
        passed(c); /* a text file: being there is all we ask */
        return;
    }
    enum vmitn_csv_kind kind = vmitn_csv_kind_of(file);
    table a, b;
    char err[VMITN_ERRLEN];
    int ra = table_read(p1, kind, &a, err);
    if (ra < 0) {
        damaged(c, err);
        return;
    }
    int rb = table_read(p2, kind, &b, err);
    if (rb < 0) {
        damaged(c, err);
        table_free(&a);
        return;
    }
    if (ra == 1) {
        passed(c); /* an empty reference file asks nothing */
        table_free(&b);
        return;
    }
    if (rb == 1) {
        add_finding(c, true, NAN, NAN, NAN, "%s is empty in NEW (not even its header line)", file);
        table_free(&a);
        return;
    }
    if (kind == VMITN_CSV_RUNS && (check_run_set(c, &a) | check_run_set(c, &b)) != 0) {
        table_free(&a);
        table_free(&b);
        return;
    }
    check_columns(c, file, &a, &b);
    bool curve = kind == VMITN_CSV_CURVE, runs = kind == VMITN_CSV_RUNS, summary = kind == VMITN_CSV_SUMMARY;
    if (curve) {
        check_rows(c, file, &a, &b, "t", 1e6, HUGE_VAL, " s");
        if (rr >= 2 && rn >= 2)
            compare_curves(c, &a, rr, &b, rn);
        check_curve_ci_worst(c, rdir, file, &a, rr, &b, rn);
    } else if (runs) {
        check_rows(c, file, &a, &b, "run", 1, rn, "");
        check_extra_runs(c, file, &a, rr, &b, rn);
        compare_runs(c, &a, &b);
    } else if (summary) {
        check_names(c, file, &a, &b);
        compare_summary(c, &a, &b);
        check_summary_ci(c, file, &a, &b);
    } else if (a.nrow > 0 && b.nrow == 0) {
        add_finding(c, true, NAN, NAN, NAN, "%s has no rows in NEW (REF has %d)", file, a.nrow);
    } else {
        passed(c);
    }
    table_free(&a);
    table_free(&b);
}

/* Does file belong to experiment label (LABEL.x.csv)? */
static bool of_label(const char *file, const char *label)
{
    size_t n = strlen(label);
    return strncmp(file, label, n) == 0 && file[n] == '.' && strchr(file + n + 1, '.') != NULL &&
           strchr(strchr(file + n + 1, '.') + 1, '.') == NULL;
}

/* A scenario or model parameter that REF's meta sets (param.*, model.*) and NEW's sets
 * otherwise is a warning: the two ran different settings, so differences are expected. */
static void warn_params(ctx *c, const char *scen, const char *rdir, const char *ndir)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/meta", rdir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (strncmp(line, "param.", 6) != 0 && strncmp(line, "model.", 6) != 0)
            continue;
        char *eq = strstr(line, " = ");
        if (eq == NULL)
            continue;
        *eq = '\0';
        char *rv = eq + 3, *nv = vmitn_meta_get(ndir, line);
        rv[strcspn(rv, "\n")] = '\0';
        if (nv == NULL || strcmp(nv, rv) != 0)
            warning(c, "%s: %s is %s in REF, %s in NEW: the two ran different settings", scen, line, rv,
                    nv ? nv : "not set");
        free(nv);
    }
    free(line);
    fclose(f);
}

/* One scenario: REF's folder rdir against NEW's ndir. */
static void compare_scenario(ctx *c, const char *scen, const char *rdir, const char *ndir)
{
    int scen_test = test_begin(c, scen);
    if (!has_meta(ndir)) {
        add_finding(c, true, NAN, NAN, NAN, "the scenario is missing in NEW (no %s/meta)", ndir);
        return;
    }
    passed(c);
    unsigned rr, rn;
    char msg[8600];
    for (int side = 0; side < 2; side++)
        if (meta_runs(side ? ndir : rdir, side ? &rn : &rr) != 0) {
            char *v = vmitn_meta_get(side ? ndir : rdir, "runs");
            snprintf(msg, sizeof msg, "%s/meta: runs = '%.40s' is not a whole number", side ? ndir : rdir, v ? v : "(not set)");
            free(v);
            damaged(c, msg);
            return;
        }
    char *s1 = vmitn_meta_get(rdir, "seed"), *s2 = vmitn_meta_get(ndir, "seed");
    if (s1 && s2 && strcmp(s1, s2) != 0)
        warning(c, "%s: REF's seed is %s, NEW's %s: runs are not paired by their random streams", scen, s1, s2);
    free(s1);
    free(s2);
    warn_params(c, scen, rdir, ndir);
    if (rn < rr)
        fprintf(c->text ? c->out : stderr, "note: %s: NEW has %u runs, REF %u: runs %u to %u of REF are not compared\n", scen,
                rn, rr, rn, rr - 1);
    /* experiments: REF's meta lists them; NEW's must list each */
    char *re = vmitn_meta_get(rdir, "experiments"), *ne = vmitn_meta_get(ndir, "experiments");
    char **labels = NULL;
    size_t nl = 0;
    for (char *tok = re ? strtok(re, " ") : NULL; tok; tok = strtok(NULL, " ")) {
        labels = vmitn_xrealloc(labels, (nl + 1) * sizeof *labels);
        labels[nl++] = vmitn_xstrdup(tok);
    }
    size_t nfiles;
    char **files = list_dir(rdir, false, &nfiles);
    bool *done = vmitn_xcalloc(nfiles + 1, sizeof *done);
    for (size_t i = 0; i < nfiles; i++)
        if (strcmp(files[i], "meta") == 0)
            done[i] = true;
    for (size_t li = 0; li < nl; li++) {
        char name[1200];
        snprintf(name, sizeof name, "%s/%s", scen, labels[li]);
        test_begin(c, name);
        bool listed = false;
        if (ne != NULL) {
            size_t n = strlen(labels[li]);
            for (const char *p = ne; (p = strstr(p, labels[li])) != NULL; p += n)
                if ((p == ne || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
                    listed = true;
        }
        if (!listed)
            add_finding(c, true, NAN, NAN, NAN, "the experiment is missing in NEW (not in %s/meta's experiments)", ndir);
        for (size_t i = 0; i < nfiles; i++)
            if (!done[i] && of_label(files[i], labels[li])) {
                done[i] = true;
                if (listed)
                    compare_file(c, rdir, ndir, files[i], rr, rn);
            }
    }
    /* the scenario's other files (tables, texts) */
    c->cur = scen_test;
    for (size_t i = 0; i < nfiles; i++)
        if (!done[i])
            compare_file(c, rdir, ndir, files[i], rr, rn);
    /* a sweep's folder inside the scenario's (vmitn.sweep) is a scenario of its own kind:
     * its files are compared the same way */
    size_t nsub;
    char **subs = list_dir(rdir, true, &nsub);
    for (size_t i = 0; i < nsub; i++) {
        char r2[8400], n2[8400], s2n[1400];
        snprintf(r2, sizeof r2, "%s/%s", rdir, subs[i]);
        snprintf(n2, sizeof n2, "%s/%s", ndir, subs[i]);
        snprintf(s2n, sizeof s2n, "%s/%s", scen, subs[i]);
        size_t nf2;
        char **f2 = list_dir(r2, false, &nf2);
        test_begin(c, s2n);
        for (size_t k = 0; k < nf2; k++)
            compare_file(c, r2, n2, f2[k], rr, rn);
        free_list(f2, nf2);
    }
    free_list(subs, nsub);
    free(done);
    free_list(files, nfiles);
    free_list(labels, nl);
    free(re);
    free(ne);
}

/* ---------- output ---------- */

static void json_str(FILE *o, const char *s)
{
    fputc('"', o);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(o, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(o, "\\u%04x", ch);
        else
            fputc(ch, o);
    }
    fputc('"', o);
}

static void json_num(FILE *o, double x)
{
    if (isfinite(x))
        fprintf(o, "%.17g", x);
    else
        fputs("null", o);
}

static void emit_json(const ctx *c, FILE *o)
{
    fputs("{\"ref\": ", o);
    json_str(o, c->ref);
    fputs(", \"new\": ", o);
    json_str(o, c->now);
    fprintf(o, ", \"z\": %g, \"checked\": %u, \"failed\": %u, \"missing\": %u, \"damaged\": %u, \"passed\": %s,\n \"differences\": [",
            c->z, c->checked, c->failed, c->missing, c->damaged, c->failed ? "false" : "true");
    for (size_t i = 0; i < c->nf; i++) {
        const finding *f = &c->f[i];
        fputs(i ? ",\n  {" : "\n  {", o);
        fputs("\"experiment\": ", o);
        json_str(o, c->t[f->test].name);
        fprintf(o, ", \"kind\": \"%s\", \"message\": ", f->damaged ? "damaged" : f->missing ? "missing" : "band");
        json_str(o, f->msg);
        if (!f->missing && !f->damaged) {
            fputs(", \"reference\": ", o);
            json_num(o, f->ref);
            fputs(", \"now\": ", o);
            json_num(o, f->got);
            fputs(", \"band\": ", o);
            json_num(o, f->band);
        }
        fputc('}', o);
    }
    fputs("],\n \"warnings\": [", o);
    for (size_t i = 0; i < c->nw; i++) {
        fputs(i ? ", " : "", o);
        json_str(o, c->warn[i]);
    }
    fputs("]}\n", o);
}

static void xml_str(FILE *o, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '&': fputs("&amp;", o); break;
        case '"': fputs("&quot;", o); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, o);
        }
}

/* JUnit XML: one test case per scenario and per experiment; a failure lists every
 * difference of its case. */
static void emit_junit(const ctx *c, FILE *o)
{
    size_t nfail = 0;
    for (size_t i = 0; i < c->nt; i++)
        nfail += c->t[i].failed > 0;
    fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vmitn compare\" tests=\"%zu\" failures=\"%zu\">\n",
            c->nt, nfail);
    fputs("<testsuite name=\"", o);
    xml_str(o, c->now);
    fprintf(o, " against ");
    xml_str(o, c->ref);
    fprintf(o, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", c->nt, nfail);
    for (size_t i = 0; i < c->nt; i++) {
        fputs("  <testcase classname=\"vmitn.compare\" name=\"", o);
        xml_str(o, c->t[i].name);
        fprintf(o, "\" assertions=\"%u\"", c->t[i].checked);
        if (c->t[i].failed == 0) {
            fputs("/>\n", o);
            continue;
        }
        fprintf(o, ">\n    <failure message=\"%u of %u checks failed\" type=\"difference\">", c->t[i].failed,
                c->t[i].checked);
        for (size_t k = 0; k < c->nf; k++)
            if (c->f[k].test == (int)i) {
                xml_str(o, c->f[k].msg);
                fputc('\n', o);
            }
        fputs("</failure>\n  </testcase>\n", o);
    }
    if (c->nw) {
        fputs("  <system-err>", o);
        for (size_t i = 0; i < c->nw; i++) {
            fputs("warning: ", o);
            xml_str(o, c->warn[i]);
            fputc('\n', o);
        }
        fputs("</system-err>\n", o);
    }
    fputs("</testsuite>\n</testsuites>\n", o);
}

static void strip_slash(char *p)
{
    for (size_t n = strlen(p); n > 1 && p[n - 1] == '/';)
        p[--n] = '\0';
}

int vmitn_compare(const char *ref_arg, const char *now_arg, const vmitn_compare_opts *o, FILE *out)
{
    char ref[4096], now[4096];
    snprintf(ref, sizeof ref, "%s", ref_arg);
    snprintf(now, sizeof now, "%s", now_arg);
    strip_slash(ref);
    strip_slash(now);
    struct stat st;
    if (stat(ref, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "vmitn: %s: cannot open\n", ref);
        return VMITN_EXIT_IO;
    }
    if (stat(now, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "vmitn: %s: cannot open\n", now);
        return VMITN_EXIT_IO;
    }
    ctx c = {.z = o->z, .out = out, .text = o->format == VMITN_COMPARE_TEXT, .ref = ref, .now = now};
    if (has_meta(ref)) {
        /* one scenario; NEW is its folder, or a results folder holding it */
        const char *base = strrchr(ref, '/');
        base = base ? base + 1 : ref;
        char nd[4200];
        snprintf(nd, sizeof nd, "%s/%s", now, base);
        compare_scenario(&c, base, ref, has_meta(now) ? now : nd);
    } else {
        size_t n;
        char **names = list_dir(ref, true, &n);
        for (size_t i = 0; i < n; i++) {
            char rd[4200], nd[4200];
            snprintf(rd, sizeof rd, "%s/%s", ref, names[i]);
            snprintf(nd, sizeof nd, "%s/%s", now, names[i]);
            if (has_meta(rd)) /* plots/ and the like are not results */
                compare_scenario(&c, names[i], rd, nd);
        }
        free_list(names, n);
    }
    int rc;
    if (c.nt == 0) {
        fprintf(stderr, "vmitn: %s holds no results (no scenario folder with a meta file): nothing to compare\n", ref);
        rc = VMITN_EXIT_INPUT;
    } else {
        if (o->format == VMITN_COMPARE_TEXT) {
            fprintf(out, "compare: %u of %u comparisons within their bands (z = %g)", c.checked - c.failed, c.checked,
                    c.z);
            if (c.missing)
                fprintf(out, "; %u things of REF missing in NEW", c.missing);
            if (c.damaged)
                fprintf(out, "; %u files damaged", c.damaged);
            fputc('\n', out);
        } else if (o->format == VMITN_COMPARE_JSON) {
            emit_json(&c, out);
        } else {
            emit_junit(&c, out);
        }
        rc = c.damaged ? VMITN_EXIT_INPUT : c.failed ? VMITN_EXIT_CHECK : VMITN_EXIT_OK;
        if (o->junit != NULL) {
            char tmp[8400];
            snprintf(tmp, sizeof tmp, "%s.tmp", o->junit);
            FILE *f = fopen(tmp, "w");
            if (f != NULL)
                emit_junit(&c, f);
            if (f == NULL || (ferror(f) | fclose(f)) || rename(tmp, o->junit) != 0) {
                fprintf(stderr, "vmitn: %s: cannot write\n", o->junit);
                remove(tmp);
                rc = VMITN_EXIT_IO;
            }
        }
    }
    for (size_t i = 0; i < c.nf; i++)
        free(c.f[i].msg);
    free(c.f);
    for (size_t i = 0; i < c.nt; i++)
        free(c.t[i].name);
    free(c.t);
    for (size_t i = 0; i < c.nw; i++)
        free(c.warn[i]);
    free(c.warn);
    return rc;
}
