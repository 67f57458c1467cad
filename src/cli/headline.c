/* headline.c — what a run found, in a few lines after `vmitn run` (or one JSON document
 * with --format json): read back from the LABEL.summary.csv files the run wrote, so the
 * numbers are the files' own. */
#include "vmitn/headline.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/util.h"

/* The summary metrics a headline quotes, in the order it quotes them. */
static const char *const METRICS[] = {"peak_infected", "time_all_infected", "learning_time", "time_cleaned",
                                      "availability"};
#define NMETRICS (sizeof METRICS / sizeof METRICS[0])

typedef struct stat_row {
    bool have;
    double n, missing, mean, lo, hi, min, max;
} stat_row;

static double num(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return end != s && *end == '\0' ? v : NAN;
}

/* Reads the quoted metrics of DIR/LABEL.summary.csv into rows.  0, or -1 (no file). */
static int read_summary(const char *dir, const char *label, stat_row *rows)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s.summary.csv", dir, label);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        char *c[12];
        if (vmitn_csv_split(line, c, 12) < 9)
            continue;
        for (size_t m = 0; m < NMETRICS; m++)
            if (strcmp(c[0], METRICS[m]) == 0)
                rows[m] = (stat_row){true, num(c[1]), num(c[2]), num(c[3]), num(c[5]), num(c[6]), num(c[7]), num(c[8])};
    }
    free(line);
    fclose(f);
    return 0;
}

/* The hosts on the curve's first row (healthy + infected + down: every FES host), or NaN. */
static double curve_hosts(const char *dir, const char *label)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s.curve.csv", dir, label);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NAN;
    char *head = NULL, *row = NULL;
    size_t hc = 0, rc = 0;
    double total = NAN;
    if (getline(&head, &hc, f) > 0 && getline(&row, &rc, f) > 0) {
        char *h[256], *r[256];
        int nh = vmitn_csv_split(head, h, 256), nr = vmitn_csv_split(row, r, 256);
        total = 0;
        int found = 0;
        for (int i = 0; i < nh && i < nr; i++)
            if (strcmp(h[i], "healthy_mean") == 0 || strcmp(h[i], "infected_mean") == 0 ||
                strcmp(h[i], "down_mean") == 0) {
                total += num(r[i]);
                found++;
            }
        if (found != 3)
            total = NAN;
    }
    free(head);
    free(row);
    fclose(f);
    return total;
}

/* "mean [lo, hi]" with two decimals ("mean" alone when the CI is unknown). */
static void mean_ci(char *buf, size_t n, const stat_row *s, const char *unit)
{
    if (isnan(s->lo) || isnan(s->hi))
        snprintf(buf, n, "%.2f%s", s->mean, unit);
    else
        snprintf(buf, n, "%.2f%s [%.2f, %.2f]", s->mean, unit, s->lo, s->hi);
}

static void text_line(FILE *out, const char *name, const char *label, double hosts, const stat_row *s)
{
    char a[96];
    const stat_row *peak = &s[0], *all = &s[1], *learn = &s[2], *clean = &s[3], *avail = &s[4];
    double runs = peak->have ? peak->n + peak->missing : NAN;
    fprintf(out, "%s/%s:", name, label);
    if (peak->have && peak->n > 0) {
        mean_ci(a, sizeof a, peak, "");
        fprintf(out, " peak infected %s", a);
        if (!isnan(hosts))
            fprintf(out, " of %.0f hosts", hosts);
        fprintf(out, " (worst %.0f)", peak->max);
    }
    if (all->have && !isnan(hosts)) {
        fprintf(out, "; all %.0f infected in %.0f of %.0f runs", hosts, all->n, all->n + all->missing);
        if (all->n > 0) {
            mean_ci(a, sizeof a, all, " s");
            fprintf(out, ", after %s", a);
        }
    }
    if (learn->have && learn->n > 0) {
        mean_ci(a, sizeof a, learn, " s");
        fprintf(out, "; learned in %.0f of %.0f runs, %s", learn->n, learn->n + learn->missing, a);
    }
    if (clean->have && clean->n > 0) {
        mean_ci(a, sizeof a, clean, " s");
        fprintf(out, "; cleaned in %.0f of %.0f runs, %s", clean->n, clean->n + clean->missing, a);
    }
    if (avail->have && avail->n > 0) {
        mean_ci(a, sizeof a, avail, "");
        fprintf(out, "; availability %s", a);
    }
    if (!isnan(runs))
        fprintf(out, " (%.0f runs)", runs);
    fputc('\n', out);
}

static cJSON *json_num(double v)
{
    return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

static cJSON *json_experiment(const char *label, double hosts, const stat_row *s)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "label", label);
    cJSON_AddItemToObject(e, "hosts", json_num(hosts));
    cJSON *m = cJSON_AddObjectToObject(e, "metrics");
    for (size_t k = 0; k < NMETRICS; k++) {
        if (!s[k].have)
            continue;
        cJSON *r = cJSON_AddObjectToObject(m, METRICS[k]);
        cJSON_AddItemToObject(r, "n", json_num(s[k].n));
        cJSON_AddItemToObject(r, "missing", json_num(s[k].missing));
        cJSON_AddItemToObject(r, "mean", json_num(s[k].mean));
        cJSON_AddItemToObject(r, "ci95_lo", json_num(s[k].lo));
        cJSON_AddItemToObject(r, "ci95_hi", json_num(s[k].hi));
        cJSON_AddItemToObject(r, "min", json_num(s[k].min));
        cJSON_AddItemToObject(r, "max", json_num(s[k].max));
    }
    return e;
}

int vmitn_headline(const char *dir, bool json, FILE *out)
{
    char *name = vmitn_meta_get(dir, "name"), *exps = vmitn_meta_get(dir, "experiments");
    if (name == NULL) {
        fprintf(stderr, "vmitn: %s/meta: cannot read the scenario's name\n", dir);
        free(exps);
        return VMITN_EXIT_IO;
    }
    if (exps == NULL) /* "experiments =": a scenario that wrote only tables */
        exps = vmitn_xstrdup("");
    cJSON *doc = NULL, *list = NULL;
    if (json) {
        doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "folder", dir);
        cJSON_AddStringToObject(doc, "scenario", name);
        list = cJSON_AddArrayToObject(doc, "experiments");
    }
    for (char *save = NULL, *lab = strtok_r(exps, " ", &save); lab != NULL; lab = strtok_r(NULL, " ", &save)) {
        stat_row s[NMETRICS] = {{0}};
        if (read_summary(dir, lab, s) < 0)
            continue;
        double hosts = curve_hosts(dir, lab);
        if (!json) {
            text_line(out, name, lab, hosts, s);
            continue;
        }
        cJSON *e = json_experiment(lab, hosts, s);
        char *line = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&line, &len); /* the text line too, for a human reading the JSON */
        if (mem != NULL) {
            text_line(mem, name, lab, hosts, s);
            fclose(mem);
            line[strcspn(line, "\n")] = '\0';
            cJSON_AddStringToObject(e, "text", line);
        }
        free(line);
        cJSON_AddItemToArray(list, e);
    }
    if (json) {
        char *text = cJSON_Print(doc);
        if (text != NULL)
            fprintf(out, "%s\n", text);
        free(text);
        cJSON_Delete(doc);
    }
    free(name);
    free(exps);
    return VMITN_EXIT_OK;
}
