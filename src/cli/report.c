/* report.c — `vmitn report DIR`: DIR/REPORT.md, the paper's figures beside the emulated
 * ones, from the comparison tables the scenarios wrote (DIR/<scenario>/compare.csv), the
 * calibration's fit (DIR/calibration/) and the plots (DIR/plots/).
 *
 * Every table goes through the strict CSV reader (vmitn/csv.h): a cut or damaged file is
 * an error naming it, never a half table.  The report is written into a temporary file
 * beside REPORT.md and renamed into place only when the whole of it was written: a
 * failure leaves the old REPORT.md (or none) and no temporary file. */
#define _DEFAULT_SOURCE /* getpid */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmitn/compare.h"
#include "vmitn/csv.h"
#include "vmitn/util.h"
#include "vmitn/version.h"


static const char *num(const char *s, char *buf, size_t n)
{
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || !isfinite(v))
        return s[0] && strcmp(s, "NA") != 0 ? s : "–";
    if (fabs(v) >= 100)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.3g", v);
    return buf;
}

static const char *meta_value(const char *dir, const char *key, char *buf, size_t n)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/meta", dir);
    char *v = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? vmitn_meta_get(dir, key) : NULL; /* never a FIFO */
    snprintf(buf, n, "%s", v ? v : "?");
    free(v);
    return buf;
}

/* Writes the rows of one compare.csv as Markdown table rows.  A row about a worst case
 * shows the worst in bold, others the mean; the share of 20-run sets that meet the figure
 * and the verdict follow when the scenario judged it.  The number of rows (0 when the
 * file is not there), or -1 with the message in err when it is damaged. */
static int emit_compare(FILE *out, const char *path, char *err)
{
    if (access(path, F_OK) != 0)
        return 0;
    vmitn_csv t;
    if (vmitn_csv_read(path, &t, err) < 0)
        return -1;
    static const char *const names[] = {"figure", "quantity", "paper", "unit", "mean", "ci95_lo", "ci95_hi", "min",
                                        "max", "worst", "n", "kind", "p_sets", "sets", "verdict", "reason"};
    enum { NCOL = sizeof names / sizeof names[0] };
    int ci[NCOL];
    for (int i = 0; i < NCOL; i++)
        ci[i] = vmitn_csv_col(&t, names[i]);
    if (ci[0] < 0 || ci[1] < 0) {
        vmitn_fail(err, VMITN_EINPUT, "%s:1: no column '%s'", path, ci[0] < 0 ? "figure" : "quantity");
        vmitn_csv_free(&t);
        return -1;
    }
    int rows = 0;
    for (size_t r = 0; r < t.nrow; r++) {
        const char *c[NCOL];
        for (int i = 0; i < NCOL; i++)
            c[i] = ci[i] >= 0 ? vmitn_csv_at(&t, r, ci[i]) : "";
        char b[8][32];
        bool worst = c[9][0] && strcmp(c[9], "NA") != 0;
        char emu[160];
        if (worst)
            snprintf(emu, sizeof emu, "worst **%s**; mean %s", num(c[9], b[5], 32), num(c[4], b[0], 32));
        else
            snprintf(emu, sizeof emu, "**%s** [%s, %s]", num(c[4], b[0], 32), num(c[5], b[1], 32), num(c[6], b[2], 32));
        char share[64] = "–";
        if (c[12][0] && strcmp(c[12], "NA") != 0) /* the share as a count of sets */
            snprintf(share, sizeof share, "%.0f of %s sets", floor(strtod(c[12], NULL) * strtod(c[13], NULL) + 0.5), c[13]);
        const char *verdict = c[14][0] && strcmp(c[14], "NA") != 0 ? c[14] : "–";
        fprintf(out, "| %s | %s | %s %s | %s | %s – %s | %s | %s | %s | %s%s%s | %s |\n", c[0], c[1], c[2], c[3], emu,
                num(c[7], b[3], 32), num(c[8], b[4], 32), c[10], c[11], share,
                strcmp(verdict, "met") == 0 || strcmp(verdict, "missed") == 0 ? "**" : "", verdict,
                strcmp(verdict, "met") == 0 || strcmp(verdict, "missed") == 0 ? "**" : "",
                c[15][0] && strcmp(c[15], "NA") != 0 ? c[15] : "");
        rows++;
    }
    vmitn_csv_free(&t);
    return rows;
}

/* Writes the pooled estimates of one compare.csv (columns pooled_* and set_*, written by
 * scenarios/common.lua's pooled) as Markdown table rows: the statistic over every run of
 * every set, the set statistic's median and 5-95 % range over the sets, and seed 1's set as
 * an example.  Rows without a pooled estimate are left out.  The number of rows (0 when the
 * file is not there or has no pooled column), or -1 with the message in err when it is
 * damaged. */
static int emit_pooled(FILE *out, const char *path, char *err)
{
    if (access(path, F_OK) != 0)
        return 0;
    vmitn_csv t;
    if (vmitn_csv_read(path, &t, err) < 0)
        return -1;
    static const char *const names[] = {"figure", "quantity", "paper", "unit", "mean", "ci95_lo", "ci95_hi",
                                        "worst", "pooled_mean", "pooled_ci95_lo", "pooled_ci95_hi", "pooled_n",
                                        "set_stat", "set_median", "set_p05", "set_p95", "pooled_sets"};
    enum { NCOL = sizeof names / sizeof names[0] };
    int ci[NCOL];
    for (int i = 0; i < NCOL; i++)
        ci[i] = vmitn_csv_col(&t, names[i]);
    int rows = 0;
    for (size_t r = 0; ci[0] >= 0 && ci[1] >= 0 && ci[8] >= 0 && r < t.nrow; r++) {
        const char *c[NCOL];
        for (int i = 0; i < NCOL; i++)
            c[i] = ci[i] >= 0 ? vmitn_csv_at(&t, r, ci[i]) : "";
        if (c[8][0] == '\0' || strcmp(c[8], "NA") == 0)
            continue;
        char b[10][32];
        bool worst = strcmp(c[12], "max") == 0;
        char example[96];
        if (worst)
            snprintf(example, sizeof example, "worst %s", num(c[7], b[0], 32));
        else
            snprintf(example, sizeof example, "%s [%s, %s]", num(c[4], b[0], 32), num(c[5], b[1], 32),
                     num(c[6], b[2], 32));
        fprintf(out, "| %s | %s | %s %s | **%s** [%s, %s] (%s runs) | %s **%s** [%s, %s] (%s sets) | %s |\n", c[0], c[1],
                c[2], c[3], num(c[8], b[3], 32), num(c[9], b[4], 32), num(c[10], b[5], 32), c[11],
                worst ? "worst of 20:" : "mean of 20:", num(c[13], b[6], 32), num(c[14], b[7], 32),
                num(c[15], b[8], 32), c[16], example);
        rows++;
    }
    vmitn_csv_free(&t);
    return rows;
}

/* Copies a Markdown file into the report. */
static void emit_file(FILE *out, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, out);
    fclose(f);
}

/* A CSV file as a Markdown table.  0, or -1 with the message in err when the file is
 * damaged or cannot be read. */
static int emit_csv_table(FILE *out, const char *path, char *err)
{
    vmitn_csv t;
    if (vmitn_csv_read(path, &t, err) < 0)
        return -1;
    fputs("|", out);
    for (int i = 0; i < t.ncol; i++)
        fprintf(out, " %s |", t.head[i]);
    fputs("\n|", out);
    for (int i = 0; i < t.ncol; i++)
        fputs("---|", out);
    fputs("\n", out);
    for (size_t r = 0; r < t.nrow; r++) {
        fputs("|", out);
        for (int i = 0; i < t.ncol; i++) {
            char b[32];
            fprintf(out, " %s |", num(vmitn_csv_at(&t, r, i), b, sizeof b));
        }
        fputs("\n", out);
    }
    vmitn_csv_free(&t);
    return 0;
}

/* Does dir hold a scenario's folder (a folder with a meta file)? */
static bool has_scenarios(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    struct dirent *e;
    bool any = false;
    char p[8400];
    struct stat st;
    while (!any && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s/meta", dir, e->d_name);
        any = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    }
    closedir(d);
    return any;
}

static bool exists(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, R_OK) == 0;
}

int vmitn_report(const char *dir)
{
    static const char *const order[] = {"table1", "fig9", "fig10", "fig11", "fig12", "background",
                                        "codered-v2", "codered2-localized", "slammer", "warhol",
                                        "quarantine", "patching"};
    char path[4096], tmp[4200], err[VMITN_ERRLEN];
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "vmitn: %s: cannot open: %s\n", dir, strerror(stat(dir, &st) != 0 ? errno : ENOTDIR));
        return VMITN_EXIT_IO;
    }
    snprintf(path, sizeof path, "%s/meta", dir);
    if (stat(path, &st) == 0) {
        fprintf(stderr, "vmitn: %s is one scenario's folder (it has a meta file): report takes the results folder "
                        "that holds the scenarios' folders (here %s/..)\n", dir, dir);
        return VMITN_EXIT_INPUT;
    }
    if (!has_scenarios(dir)) {
        fprintf(stderr, "vmitn: %s holds no results (no scenario folder with a meta file): nothing to report\n", dir);
        return VMITN_EXIT_INPUT;
    }
    snprintf(path, sizeof path, "%s/REPORT.md", dir);
    snprintf(tmp, sizeof tmp, "%s/.REPORT.md.tmp.%ld", dir, (long)getpid());
    FILE *out = fopen(tmp, "w");
    if (out == NULL) {
        fprintf(stderr, "vmitn: %s: cannot create: %s\n", tmp, strerror(errno));
        return VMITN_EXIT_IO;
    }
    char sdir[4096], seed[64], runs[64];
    snprintf(sdir, sizeof sdir, "%s/fig10", dir);
    fprintf(out, "# The VMITN paper, reproduced by vmitn\n\n"
                 "Generated by `make reproduce` (`vmitn report`); do not edit.  vmitn %s, seed %s, "
                 "%s runs per experiment.  Each row: the paper's figure; the emulated value (the mean with its "
                 "95 %% confidence interval over runs, or, where the paper quotes a worst case, the worst of the "
                 "20 runs in bold); the range over runs; the runs (or hand-overs) behind it; whether the figure "
                 "was a calibration target, a model input or a prediction (nothing was tuned for it: the "
                 "paper's value is held out); the share of independent 20-run sets that meet the figure (a mean "
                 "or a worst of 20 is itself random: one set proves little); the verdict (met when more than "
                 "half of the sets meet it) and why, in one sentence.\n\n",
            VMITN_VERSION, meta_value(sdir, "seed", seed, sizeof seed), meta_value(sdir, "runs", runs, sizeof runs));
    fprintf(out, "| figure | quantity | paper | emulated | min – max | n | kind | sets meeting it | verdict | why |\n"
                 "|---|---|---|---|---|---|---|---|---|---|\n");
    int rows = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s/compare.csv", dir, order[i]);
        int k = emit_compare(out, p, err);
        if (k < 0)
            goto damaged;
        rows += k;
    }
    {
        static const char *const pooled[] = {"fig9", "fig10", "fig11", "fig12"};
        char *buf = NULL;
        size_t len = 0;
        FILE *sec = open_memstream(&buf, &len);
        if (sec == NULL) {
            fclose(out);
            unlink(tmp);
            fprintf(stderr, "vmitn: out of memory\n");
            return VMITN_EXIT_IO;
        }
        fprintf(sec, "\n## Estimates pooled over every set\n\n"
                     "The table above shows one 20-run set per figure (seed 1's), as an example: a mean or a worst "
                     "of 20 is itself random, and one set can sit in a tail.  Here each figure is estimated over "
                     "every run of every 20-run set the scenario measured: the mean per run with its 95 %% t "
                     "interval, and the set statistic the paper quotes (the mean of 20, or the worst of 20) as its "
                     "median and 5-95 %% range over the sets; seed 1's set for comparison.\n\n"
                     "| figure | quantity | paper | per run: mean [95 %% CI] | set statistic: median [5 %%, 95 %%] "
                     "| seed 1's set (example) |\n|---|---|---|---|---|---|\n");
        int n = 0;
        for (size_t i = 0; i < sizeof pooled / sizeof pooled[0] && n >= 0; i++) {
            char p[4200];
            snprintf(p, sizeof p, "%s/%s/compare.csv", dir, pooled[i]);
            int k = emit_pooled(sec, p, err);
            n = k < 0 ? -1 : n + k;
        }
        fclose(sec);
        if (n < 0) {
            free(buf);
            goto damaged;
        }
        if (n > 0) /* no scenario wrote pooled estimates: no section */
            fwrite(buf, 1, len, out);
        free(buf);
    }
    if (exists(dir, "fig10/worst_hist.csv") || exists(dir, "fig11/worst_hist.csv")) {
        fprintf(out, "\n## The runs behind each worst of 20\n\n"
                     "For each figure the paper quotes as a worst of 20 runs: over every run of every 20-run set, how "
                     "many runs reach each number of hosts (`runs`, `run_share`), and how many sets have their worst "
                     "run there (`sets_worst`, `worst_share`); the plot is `plots/worst.png`.\n\n");
        static const char *const hists[] = {"fig10/worst_hist.csv", "fig11/worst_hist.csv", "fig12/worst_hist.csv"};
        for (size_t i = 0; i < sizeof hists / sizeof hists[0]; i++) {
            if (!exists(dir, hists[i]))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, hists[i]);
            if (emit_csv_table(out, path, err) < 0)
                goto damaged;
            fputs("\n", out);
        }
    }
    if (exists(dir, "calibration/summary.md")) {
        snprintf(path, sizeof path, "%s/calibration/summary.md", dir);
        emit_file(out, path);
        static const char *const tabs[][2] = {
            {"calibration/fitted.csv", "The calibrated values"},
            {"calibration/targets.csv", "Each target at the calibrated point: share of 20-run sets meeting it, and the smooth estimate the search used"},
            {"calibration/frontier.csv", "The frontier: the best share of sets meeting several targets together, over every point searched"},
            {"fig10/views.csv", "Fig 10 in both views of infected (true guest state; as the SMC saw it): share of 20-run sets meeting each figure"},
            {"fig11/views.csv", "Fig 11 in both views of infected"},
            {"fig12/predictions.csv", "Predictions (Fig 12, availability): at the calibrated point, over the next best calibration points, over the readings"},
        };
        for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++) {
            if (!exists(dir, tabs[i][0]))
                continue;
            fprintf(out, "\n### %s\n\n", tabs[i][1]);
            snprintf(path, sizeof path, "%s/%s", dir, tabs[i][0]);
            if (emit_csv_table(out, path, err) < 0)
                goto damaged;
        }
    }
    if (exists(dir, "background/background.csv")) {
        fprintf(out, "\n## The learner under background traffic (beyond the paper)\n\n"
                     "No attack (`quiet_*`), then the Fig 12 setting (`fig12_*`), with legitimate HTTP between the "
                     "FES hosts at each rate (requests/s per host; `scenarios/background.lua`).  `stage1_pass` is the "
                     "header rate of one value above which stage 1 passes it (lambda ln 2 / half-life).\n\n");
        snprintf(path, sizeof path, "%s/background/background.csv", dir);
        if (emit_csv_table(out, path, err) < 0)
            goto damaged;
    }
    /* The experiments beyond the paper that write a table of their own; each is shown only
     * when its results are there (they come from scripts/beyond.sh, not make reproduce). */
    static const char *const beyond[][3] = {
        {"baselines/baselines.csv", "VMITN against the baselines (beyond the paper)",
         "Every defence alone (`vmitn = 0`) and with VMITN's two mechanisms (`vmitn = 1`; at Internet scale the "
         "hand-over only), on the same runs: run r of every row draws the worm's scans from the same streams "
         "(`scenarios/baselines.lua`; docs/MODEL.md, \"Baseline defences\").  Testbed rows are means over 20 runs with "
         "legitimate HTTP on (`legit_blocked`: requests a defence dropped); Internet rows are single 360,000-host "
         "runs, where the law of large numbers leaves little spread."},
        {"quarantine/quarantine.csv", "Internet Quarantine: containment against reaction time (beyond the paper)",
         "Moore, Shannon, Voelker & Savage (INFOCOM 2003), idealised deployment: the share of hosts ever infected "
         "against the reaction time of address blacklisting and content filtering, beside the analytic share "
         "(`scenarios/quarantine.lua`)."},
        {"roc/roc.csv", "The learner's operating curve on real traffic (beyond the paper)",
         "For each lambda and theta: on benign public captures, the rules issued and the share of benign packets they "
         "would drop; on attack captures and the emulated Code Red and TFN2K, the delay to the first rule and whether "
         "it is the right one (`scenarios/roc.lua`; the captures are not part of the project, see "
         "`../shared/captures/README.md`)."},
        {"sensitivity/sensitivity.csv", "Which knob moves which figure (beyond the paper)",
         "One-at-a-time elasticities at the calibrated point (`scenarios/sensitivity.lua`, docs/MODEL.md 7): each "
         "knob at (1 - h) and (1 + h) times its calibrated value (the scan space's shrink one bit less and more) over "
         "the same runs, the figure's relative change per relative change of the knob, with a 95 % t interval from "
         "the paired differences; `y0` is the figure at the calibrated point.  Local slopes, one knob at a time; "
         "`plots/tornado.png` draws them."},
        {"sobol/sobol.csv", "Which knob carries which figure over the whole box (beyond the paper)",
         "First-order (`S1`) and total (`ST`) Sobol indices of each figure's statistic over the calibration's box and "
         "a stated range around the paper's other values (`lo`, `hi`, `scale`; `scenarios/sobol.lua`, docs/MODEL.md "
         "7.2): the share of the statistic's variance over the box that a knob carries alone, and with its "
         "interactions, with 95 % bootstrap intervals over the `n` base points; each point is the mean of `reps` runs. "
         "`noise_floor`: the replication noise's share of the variance, by which a total index can be inflated.  "
         "`plots/sobol.png` draws them."},
        {"replay/replay.csv", "Figs 10-12 over replayed real background traffic (beyond the paper)",
         "The VMITN experiments with each benign capture replayed as the testbed's legitimate traffic "
         "(`legit.trace`, `scenarios/replay.lua`): how much of the paper's result survives real traffic."},
    };
    for (size_t i = 0; i < sizeof beyond / sizeof beyond[0]; i++) {
        if (!exists(dir, beyond[i][0]))
            continue;
        fprintf(out, "\n## %s\n\n%s\n\n", beyond[i][1], beyond[i][2]);
        snprintf(path, sizeof path, "%s/%s", dir, beyond[i][0]);
        if (emit_csv_table(out, path, err) < 0)
            goto damaged;
    }
    if (exists(dir, "table1/table1.csv")) {
        fprintf(out, "\n## Table 1, step by step\n\n");
        snprintf(path, sizeof path, "%s/table1/table1.csv", dir);
        if (emit_csv_table(out, path, err) < 0)
            goto damaged;
    }
    static const char *const plots[][2] = {{"fig9", "Fig 9: learning time vs attack rate"},
                                           {"fig10", "Fig 10: Code Red, none vs Rapid Hand Over"},
                                           {"fig11", "Fig 11: Attack Pattern Learning"},
                                           {"fig12", "Fig 12: both countermeasures (prediction)"},
                                           {"frontier", "The frontier: why the paper's figures cannot all hold in this model"},
                                           {"table1", "Table 1: the hand-over steps"},
                                           {"outbreaks", "Internet scale: Code Red v2, Code Red II, Slammer against the analytic models"},
                                           {"baselines", "VMITN against the baselines"},
                                           {"roc", "The learner's operating curve on real traffic"},
                                           {"worst", "The runs behind each worst of 20"},
                                           {"tornado", "Which knob moves which figure"},
                                           {"sobol", "Which knob carries which figure over the whole box"}};
    bool any = false;
    for (size_t i = 0; i < sizeof plots / sizeof plots[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "plots/%s.png", plots[i][0]);
        if (!exists(dir, name))
            continue;
        if (!any)
            fprintf(out, "\n## Plots\n\n");
        any = true;
        fprintf(out, "### %s\n\n![%s](%s)\n\n", plots[i][1], plots[i][1], name);
    }
    snprintf(path, sizeof path, "%s/REPORT.md", dir);
    if (rows == 0) {
        fclose(out);
        unlink(tmp);
        fprintf(stderr, "vmitn: %s: no paper scenario's comparison table (SCENARIO/compare.csv) found: nothing to report\n", dir);
        return VMITN_EXIT_INPUT;
    }
    if (ferror(out) | (fclose(out) != 0) || rename(tmp, path) != 0) {
        unlink(tmp);
        fprintf(stderr, "vmitn: %s: write failed\n", path);
        return VMITN_EXIT_IO;
    }
    return VMITN_EXIT_OK;
damaged:
    fclose(out);
    unlink(tmp);
    fprintf(stderr, "vmitn: %s\n", err);
    return VMITN_EXIT_INPUT;
}
