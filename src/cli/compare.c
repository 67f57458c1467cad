/* compare.c — `vmitn compare REF NEW`: is NEW the same model as REF, up to noise?
 *
 * Headline metrics are compared run by run.  A check runs the scenarios with the
 * reference's seed, so run r of both uses the same random streams: an unchanged model
 * reproduces every value, a change that only reshuffles random draws gives differences
 * that are independent noise, and a real change in behaviour shifts them all one way.
 * Over the k runs both have, the paired differences d must satisfy
 *     |mean(d)| <= z * sd(d) / sqrt(k) + floor          (a paired t test)
 * with z = 4 by default (family-wise error about 1 % over the ~100 comparisons of the
 * paper's scenarios) and floor = 1 % of the reference mean, for rounding.
 * The mean infected and healthy curves are compared once a second, unpaired, with each
 * side's SD from its own 95 % interval: |difference| <= z * sqrt(sd_r^2/n_r + sd_n^2/n_n)
 * + 0.5 host; coarse, but it says where in time a change shows.  Every value beyond its
 * band is printed with the experiment, the curve or metric, the time, both values and
 * the band. */
#include "vmitn/compare.h"

#include <dirent.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/util.h"

#define MAXCOL 64

typedef struct table {
    char *head[MAXCOL];
    int ncol;
    double *v; /* rows x ncol, NaN for NA or text */
    int nrow;
    char **text; /* first column's text of each row */
} table;

static void table_free(table *t)
{
    for (int i = 0; i < t->ncol; i++)
        free(t->head[i]);
    for (int r = 0; r < t->nrow; r++)
        free(t->text[r]);
    free(t->text);
    free(t->v);
}


static int table_read(const char *path, table *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[8192];
    char *fld[MAXCOL];
    if (fgets(line, sizeof line, f) == NULL) {
        fclose(f);
        return -1;
    }
    t->ncol = vmitn_csv_split(line, fld, MAXCOL);
    for (int i = 0; i < t->ncol; i++)
        t->head[i] = vmitn_xstrdup(fld[i]);
    int cap = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (t->nrow == cap) {
            cap = cap ? cap * 2 : 64;
            t->v = vmitn_xrealloc(t->v, (size_t)cap * t->ncol * sizeof *t->v);
            t->text = vmitn_xrealloc(t->text, (size_t)cap * sizeof *t->text);
        }
        int n = vmitn_csv_split(line, fld, MAXCOL);
        t->text[t->nrow] = vmitn_xstrdup(n > 0 ? fld[0] : "");
        for (int i = 0; i < t->ncol; i++) {
            char *end;
            double x = i < n ? strtod(fld[i], &end) : NAN;
            t->v[(size_t)t->nrow * t->ncol + i] = (i < n && end != fld[i] && *end == '\0') ? x : NAN;
        }
        t->nrow++;
    }
    fclose(f);
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

/* SD of the values behind a mean, from its 95 % t interval half-width and n. */
static double sd_from_ci(double half, unsigned n)
{
    if (n < 2 || !isfinite(half))
        return 0;
    return half / gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt((double)n);
}

static unsigned meta_runs(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/meta", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[1024];
    unsigned runs = 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "runs = %u", &runs) == 1)
            break;
    fclose(f);
    return runs;
}

typedef struct ctx {
    double z;
    unsigned checked, failed;
    FILE *out;
} ctx;

static void verdict(ctx *c, const char *exp, const char *what, const char *where, double ref, double got, double band)
{
    c->checked++;
    if (fabs(got - ref) <= band)
        return;
    c->failed++;
    fprintf(c->out, "DIFFERS %s: %s%s: reference %.4g, now %.4g (difference %+.4g, band +-%.3g)\n", exp, what, where,
            ref, got, got - ref, band);
}

static void compare_curves(ctx *c, const char *exp, const table *a, unsigned na, const table *b, unsigned nb)
{
    static const char *const qs[] = {"infected", "healthy"};
    int ta = col(a, "t"), tb = col(b, "t");
    if (ta < 0 || tb < 0)
        return;
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
            if (fabs(t - floor(t + 0.5)) > 1e-6) /* once a second */
                continue;
            int s = -1;
            for (int k = 0; k < b->nrow; k++)
                if (fabs(at(b, k, tb) - t) < 1e-6)
                    s = k;
            if (s < 0)
                continue;
            double sa = sd_from_ci(at(a, r, ha) - at(a, r, ma), na), sb = sd_from_ci(at(b, s, hb) - at(b, s, mb), nb);
            double band = c->z * sqrt(sa * sa / na + sb * sb / nb) + 0.5;
            char where[64];
            snprintf(where, sizeof where, " curve at t = %g s", t);
            verdict(c, exp, qs[q], where, at(a, r, ma), at(b, s, mb), band);
        }
    }
}

static const char *const headline[] = {"peak_infected", "time_all_infected", "time_cleaned", "hosts_attacked",
                                       "learning_time", "availability", "mean_infected", "infections"};

/* Paired comparison of the headline metrics over the runs both tables have. */
static void compare_runs(ctx *c, const char *exp, const table *a, const table *b)
{
    int ra = col(a, "run"), rb = col(b, "run");
    if (ra < 0 || rb < 0)
        return;
    for (size_t h = 0; h < sizeof headline / sizeof headline[0]; h++) {
        int ca = col(a, headline[h]), cb = col(b, headline[h]);
        if (ca < 0 || cb < 0)
            continue;
        double sum = 0, sum2 = 0, ref = 0;
        unsigned k = 0, gained = 0, lost = 0; /* runs that gained or lost a value (NA) */
        for (int i = 0; i < b->nrow; i++)
            for (int j = 0; j < a->nrow; j++) {
                if (at(a, j, ra) != at(b, i, rb))
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
            c->checked++;
            unsigned n = gained + lost, lo = gained < lost ? gained : lost;
            double p = 0;
            for (unsigned i = 0; i <= lo; i++)
                p += pow(2.0, (lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0)) / log(2.0) - n);
            p = fmin(1, 2 * p);
            if (p < 0.002) {
                c->failed++;
                fprintf(c->out, "DIFFERS %s: %s: %u runs gained a value and %u lost theirs (NA) (sign test p = %.2g)\n",
                        exp, headline[h], gained, lost, p);
            }
        }
        if (k < 2)
            continue;
        double md = sum / k, sd = sqrt(fmax(0, (sum2 - k * md * md) / (k - 1)));
        double band = c->z * sd / sqrt((double)k) + 0.01 * fabs(ref / k) + 1e-9;
        char where[64];
        snprintf(where, sizeof where, " mean over %u paired runs", k);
        verdict(c, exp, headline[h], where, ref / k, ref / k + md, band);
    }
}

/* The hand-over steps have no per-run values: unpaired, from the summaries. */
static void compare_summary(ctx *c, const char *exp, const table *a, const table *b)
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
            verdict(c, exp, a->text[r], " mean", m1, at(b, s, mb), band);
        }
    }
}

/* Compares REF/<scenario>/<label>.{curve,summary}.csv with NEW's for every label in NEW. */
static void compare_dir(ctx *c, const char *ref, const char *now, const char *scen)
{
    char rdir[4096], ndir[4096];
    snprintf(rdir, sizeof rdir, "%s/%s", ref, scen);
    snprintf(ndir, sizeof ndir, "%s/%s", now, scen);
    unsigned rr = meta_runs(rdir), rn = meta_runs(ndir);
    DIR *d = opendir(ndir);
    if (d == NULL)
        return;
    struct dirent *e;
    char **labels = NULL;
    size_t nl = 0;
    const char *suf = ".curve.csv";
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= strlen(suf) || strcmp(e->d_name + len - strlen(suf), suf) != 0)
            continue;
        labels = vmitn_xrealloc(labels, (nl + 1) * sizeof *labels);
        labels[nl] = vmitn_xmalloc(len + 1);
        snprintf(labels[nl++], len + 1, "%.*s", (int)(len - strlen(suf)), e->d_name);
    }
    closedir(d);
    for (size_t i = 1; i < nl; i++) /* a fixed order for the report */
        for (size_t j = i; j > 0 && strcmp(labels[j - 1], labels[j]) > 0; j--) {
            char *t = labels[j];
            labels[j] = labels[j - 1];
            labels[j - 1] = t;
        }
    for (size_t li = 0; li < nl; li++) {
        const char *label = labels[li];
        char exp[1024], p1[8192], p2[8192];
        snprintf(exp, sizeof exp, "%s/%s", scen, label);
        table a, b;
        snprintf(p1, sizeof p1, "%s/%s.curve.csv", rdir, label);
        snprintf(p2, sizeof p2, "%s/%s.curve.csv", ndir, label);
        if (table_read(p1, &a) != 0) {
            fprintf(c->out, "note: %s has no reference in %s\n", exp, ref);
            continue;
        }
        if (table_read(p2, &b) == 0) {
            if (rr >= 2 && rn >= 2)
                compare_curves(c, exp, &a, rr, &b, rn);
            table_free(&b);
        }
        table_free(&a);
        static const char *const kinds[] = {"runs", "summary"};
        for (int k = 0; k < 2; k++) {
            snprintf(p1, sizeof p1, "%s/%s.%s.csv", rdir, label, kinds[k]);
            snprintf(p2, sizeof p2, "%s/%s.%s.csv", ndir, label, kinds[k]);
            if (table_read(p1, &a) != 0)
                continue;
            if (table_read(p2, &b) == 0) {
                if (k == 0)
                    compare_runs(c, exp, &a, &b);
                else
                    compare_summary(c, exp, &a, &b);
                table_free(&b);
            } else {
                c->checked++;
                c->failed++;
                fprintf(c->out, "DIFFERS %s: %s.%s.csv is missing in %s\n", exp, label, kinds[k], now);
            }
            table_free(&a);
        }
    }
    for (size_t i = 0; i < nl; i++)
        free(labels[i]);
    free(labels);
}

int vmitn_compare(const char *ref_arg, const char *now_arg, double z, FILE *out)
{
    ctx c = {.z = z, .out = out};
    /* "dir/" and "dir" are the same folder */
    char ref[4096], now[4096];
    snprintf(ref, sizeof ref, "%s", ref_arg);
    snprintf(now, sizeof now, "%s", now_arg);
    for (size_t n = strlen(ref); n > 1 && ref[n - 1] == '/';)
        ref[--n] = '\0';
    for (size_t n = strlen(now); n > 1 && now[n - 1] == '/';)
        now[--n] = '\0';
    DIR *d = opendir(now);
    if (d == NULL) {
        fprintf(stderr, "vmitn: %s: cannot open\n", now);
        return VMITN_EXIT_IO;
    }
    DIR *r = opendir(ref);
    if (r == NULL) {
        closedir(d);
        fprintf(stderr, "vmitn: %s: cannot open\n", ref);
        return VMITN_EXIT_IO;
    }
    closedir(r);
    /* NEW is either one scenario's folder (has meta) or a folder of them */
    char meta[4096];
    snprintf(meta, sizeof meta, "%s/meta", now);
    FILE *m = fopen(meta, "r");
    if (m != NULL) {
        fclose(m);
        closedir(d);
        const char *base = strrchr(now, '/');
        char parent[4096];
        snprintf(parent, sizeof parent, "%.*s", base ? (int)(base - now) : 1, base ? now : ".");
        compare_dir(&c, ref, parent, base ? base + 1 : now);
    } else {
        struct dirent *e;
        char **names = NULL;
        size_t n = 0;
        while ((e = readdir(d)) != NULL)
            if (e->d_name[0] != '.') {
                names = vmitn_xrealloc(names, (n + 1) * sizeof *names);
                names[n++] = vmitn_xstrdup(e->d_name);
            }
        closedir(d);
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
                char *t = names[j];
                names[j] = names[j - 1];
                names[j - 1] = t;
            }
        for (size_t i = 0; i < n; i++) {
            compare_dir(&c, ref, now, names[i]);
            free(names[i]);
        }
        free(names);
    }
    if (c.checked == 0) {
        fprintf(stderr, "vmitn: nothing to compare between %s and %s\n", ref, now);
        return VMITN_EXIT_INPUT;
    }
    fprintf(out, "compare: %u of %u comparisons within their bands (z = %g)\n", c.checked - c.failed, c.checked, z);
    return c.failed ? VMITN_EXIT_CHECK : VMITN_EXIT_OK;
}
