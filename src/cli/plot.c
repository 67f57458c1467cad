/* plot.c — `vmitn plot DIR`: every experiment of a results folder drawn with gnuplot
 * (scripts/plots/experiment.gp), with the axes from the topology's FES host count and the
 * run's duration as meta records them; the paper's figures (scripts/plots/<name>.gp) for
 * the paper's scenarios found there.  And `vmitn topo FILE`: a topology as Graphviz dot.
 *
 * Plot scripts come only from the data folder (plots/ of an installed vmitn, or
 * scripts/plots/ in the source tree), never from a path read out of the results folder:
 * a results folder is data someone else may have written, and gnuplot scripts can run
 * shell commands (system(), backquotes).  What the folder does reach gnuplot (file names,
 * labels, a duration) is passed as quoted strings or as numbers this file printed itself,
 * and a value with a control character is refused.  Each image is drawn into a temporary
 * file and renamed into place: a failed or interrupted plot leaves nothing half-written. */
#define _DEFAULT_SOURCE /* fdopen, mkstemp */
#include "vmitn/plot.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmitn/csv.h"
#include "vmitn/paths.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

/* ---------- small helpers ---------- */

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}


/* Appends s to buf as a gnuplot '...' string (a quote doubled; inside single quotes
 * gnuplot expands no backquote and no macro).  -1, buf unchanged, if s holds a control
 * character (a line break has no safe meaning in gnuplot -e) or does not fit. */
static int gp_quote(char *buf, size_t n, const char *s)
{
    size_t k = strlen(buf), k0 = k;
    if (k + 1 < n)
        buf[k++] = '\'';
    for (; *s && k + 2 < n; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            buf[k0] = '\0';
            return -1;
        }
        if (*s == '\'')
            buf[k++] = '\'';
        buf[k++] = *s;
    }
    if (*s != '\0' || k + 1 >= n) {
        buf[k0] = '\0';
        return -1;
    }
    buf[k++] = '\'';
    buf[k] = '\0';
    return 0;
}

/* Finds plot script NAME.gp in the data folder only (plots/ installed, scripts/plots/ in
 * the source tree): never beside a scenario named by a results folder's meta.  malloc'd
 * path or NULL. */
static char *find_script(const char *name)
{
    char file[300];
    snprintf(file, sizeof file, "%s.gp", name);
    char *p = vmitn_find_file(file, NULL, 0, "plots"); /* installed: share/vmitn/plots */
    return p ? p : vmitn_find_file(file, NULL, 0, "scripts/plots"); /* the source tree */
}

/* Runs gnuplot -e EXPR SCRIPT; 0 if it exited 0, -1 otherwise (-2: no gnuplot). */
static int gnuplot(const char *expr, const char *script)
{
    char *argv[] = {"gnuplot", "-e", (char *)expr, (char *)script, NULL};
    int rc = vmitn_run_child(argv);
    return rc == 127 ? -2 : rc == 0 ? 0 : -1;
}

typedef struct plotter {
    const char *out;
    unsigned drawn, failed;
    bool no_gnuplot;
    bool damaged; /* a data file failed the strict reader, or a name from the folder was refused */
} plotter;

/* Is the data file that gnuplot would read well-formed (vmitn/csv.h)?  If not, says so
 * and counts it: a cut or damaged file is an error, never a half-drawn plot. */
static bool data_ok(plotter *p, const char *path, enum vmitn_csv_kind kind)
{
    vmitn_csv t;
    char err[VMITN_ERRLEN];
    if (vmitn_csv_read_results(path, kind, &t, err) < 0) {
        fprintf(stderr, "vmitn: plot: %s\n", err);
        p->failed++;
        p->damaged = true;
        return false;
    }
    vmitn_csv_free(&t);
    return true;
}

/* Draws one image NAME.{png,svg} into p->out from script with the settings in expr
 * (without fmt and out, which this adds). */
static void draw(plotter *p, const char *script, const char *expr, const char *name)
{
    static const char *const fmts[] = {"png", "svg"};
    for (int k = 0; k < 2 && !p->no_gnuplot; k++) {
        char tmp[4400], final[4400], e[12000];
        snprintf(tmp, sizeof tmp, "%s/.%s.%s.tmp.%ld", p->out, name, fmts[k], (long)getpid());
        snprintf(final, sizeof final, "%s/%s.%s", p->out, name, fmts[k]);
        snprintf(e, sizeof e, "%s; fmt='%s'; out=", expr, fmts[k]);
        int rc = gp_quote(e, sizeof e, tmp) == 0 ? gnuplot(e, script) : -1;
        struct stat st;
        if (rc == 0 && stat(tmp, &st) == 0 && st.st_size > 0 && rename(tmp, final) == 0) {
            p->drawn++;
            continue;
        }
        unlink(tmp);
        if (rc == -2) {
            fprintf(stderr, "vmitn: plot: gnuplot not found; install it (Debian: apt-get install gnuplot-nox)\n");
            p->no_gnuplot = true;
        } else {
            fprintf(stderr, "vmitn: plot: %s: gnuplot failed (%s)\n", final, script);
        }
        p->failed++;
    }
}

/* The FES hosts of an experiment's topology, as its meta records it; 0 if unknown. */
static unsigned fes_hosts(const char *sdir, const char *label)
{
    char key[600];
    snprintf(key, sizeof key, "exp.%s.topology_file", label);
    char *file = vmitn_meta_get(sdir, key);
    snprintf(key, sizeof key, "exp.%s.topology", label);
    char *spec = vmitn_meta_get(sdir, key);
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    unsigned a, b, f, n = 0;
    if (spec != NULL && sscanf(spec, "\"generate:%u:%u:%u\"", &a, &b, &f) == 3)
        vmitn_topo_generate(a, b, f, &t, err, sizeof err);
    else if (file != NULL && is_file(file)) /* a path from the folder: never a FIFO or a device */
        vmitn_topo_load(file, &t, err, sizeof err);
    if (t != NULL) {
        for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++)
            n += vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
        vmitn_topo_free(t);
    }
    free(file);
    free(spec);
    return n;
}

/* True when the value of key in meta line `line` ("key = value\n") is returned in *v. */
static bool meta_line(char *line, const char *key, char **v)
{
    size_t kl = strlen(key);
    if (strncmp(line, key, kl) != 0 || strncmp(line + kl, " = ", 3) != 0)
        return false;
    *v = line + kl + 3;
    (*v)[strcspn(*v, "\n")] = '\0';
    return true;
}

/* Whether the folder ran the paper's own setting, so that its figure may carry the paper's
 * "Fig N" title and reference marks: meta says the scenario is the paper scenario
 * scenarios/NAME.lua, run with no -p override (overrides = 0), and every experiment read
 * the Fig 8 topology file (topologies/vmitn-fig8.graphml; a generated one has no file).
 * Fewer runs or another seed are still the paper's setting.  A meta written before vmitn
 * recorded overrides (no such line) is judged by the scenario and topology alone. */
static int paper_setting(const char *sdir, const char *name)
{
    char path[4400], want[300];
    snprintf(path, sizeof path, "%s/meta", sdir);
    snprintf(want, sizeof want, "scenarios/%s.lua", name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char *line = NULL, *v;
    size_t cap = 0, wl = strlen(want);
    bool scen = false, overrides = true, fig8 = true;
    unsigned topos = 0;
    static const char FIG8[] = "topologies/vmitn-fig8.graphml";
    while (getline(&line, &cap, f) > 0) {
        if (meta_line(line, "scenario", &v)) {
            size_t n = strlen(v);
            scen = n >= wl && strcmp(v + n - wl, want) == 0 && (n == wl || v[n - wl - 1] == '/');
        } else if (meta_line(line, "overrides", &v)) {
            overrides = strcmp(v, "0") == 0;
        } else if (strncmp(line, "exp.", 4) == 0) {
            char *eq = strstr(line, " = "); /* exp.LABEL.topology_file (a label may hold dots) */
            if (eq == NULL || eq - line < 18 || strncmp(eq - 14, ".topology_file", 14) != 0)
                continue;
            v = eq + 3;
            v[strcspn(v, "\n")] = '\0';
            size_t n = strlen(v), fl = sizeof FIG8 - 1;
            topos++;
            fig8 = fig8 && n >= fl && strcmp(v + n - fl, FIG8) == 0 && (n == fl || v[n - fl - 1] == '/');
        }
    }
    free(line);
    fclose(f);
    return scen && overrides && topos > 0 && fig8;
}

/* The paper figures and the files each needs, in the scenario's folder. */
static const struct paper {
    const char *name, *files[3];
} papers[] = {
    {"fig9", {"fig9.csv"}},
    {"fig10", {"none.curve.csv", "handover.curve.csv"}},
    {"fig11", {"learning.curve.csv"}},
    {"fig12", {"both.curve.csv"}},
    {"table1", {"table1.csv"}},
};

/* One scenario's folder: every experiment, then its paper figure if it is one. */
static void plot_scenario(plotter *p, const char *sdir, const char *sname)
{
    char *exps = vmitn_meta_get(sdir, "experiments");
    char *name = vmitn_meta_get(sdir, "name");
    char *script = find_script("experiment");
    if (script == NULL) {
        fprintf(stderr, "vmitn: plot: experiment.gp not found in the data folder %s\n",
                vmitn_data_dir() ? vmitn_data_dir() : "(none)");
        p->failed++;
    }
    for (char *lab = exps && script ? strtok(exps, " ") : NULL; lab != NULL; lab = strtok(NULL, " ")) {
        char curve[8400], summary[8400], e[9000] = "", img[1200], key[600];
        snprintf(curve, sizeof curve, "%s/%s.curve.csv", sdir, lab);
        snprintf(summary, sizeof summary, "%s/%s.summary.csv", sdir, lab);
        if (lab[0] == '.' || strchr(lab, '/') != NULL) { /* the image would land outside the plots */
            fprintf(stderr, "vmitn: plot: %s/meta: experiment '%s' is not a plain name: skipped\n", sdir, lab);
            p->failed++;
            p->damaged = true;
            continue;
        }
        if (!is_file(curve))
            continue;
        if (!data_ok(p, curve, VMITN_CSV_CURVE) || (is_file(summary) && !data_ok(p, summary, VMITN_CSV_SUMMARY)))
            continue;
        snprintf(img, sizeof img, "%s-%s", sname, lab);
        char lname[1200];
        snprintf(lname, sizeof lname, "%s/%s", sname, lab);
        strcat(e, "curve=");
        int q = gp_quote(e, sizeof e, curve);
        strcat(e, "; summary=");
        q |= gp_quote(e, sizeof e, summary);
        strcat(e, "; label=");
        q |= gp_quote(e, sizeof e, lname);
        if (q != 0) {
            fprintf(stderr, "vmitn: plot: %s: a control character in the name: skipped\n", curve);
            p->failed++;
            p->damaged = true;
            continue;
        }
        unsigned h = fes_hosts(sdir, lab);
        if (h > 0)
            snprintf(e + strlen(e), sizeof e - strlen(e), "; hosts=%u", h);
        snprintf(key, sizeof key, "exp.%s.duration", lab);
        char *dur = vmitn_meta_get(sdir, key);
        char *end;
        double d = dur != NULL ? strtod(dur, &end) : 0;
        if (dur != NULL && *end == '\0' && isfinite(d) && d > 0) /* printed here: a number, never the meta's text */
            snprintf(e + strlen(e), sizeof e - strlen(e), "; tmax=%.17g", d);
        free(dur);
        draw(p, script, e, img);
    }
    for (size_t i = 0; name != NULL && i < sizeof papers / sizeof papers[0]; i++) {
        if (strcmp(papers[i].name, name) != 0)
            continue;
        bool have = true;
        for (int k = 0; k < 3 && papers[i].files[k]; k++) {
            char f[8400];
            snprintf(f, sizeof f, "%s/%s", sdir, papers[i].files[k]);
            have = have && is_file(f) && data_ok(p, f, vmitn_csv_kind_of(f));
        }
        char *ps = have ? find_script(papers[i].name) : NULL;
        if (ps == NULL)
            continue;
        /* the paper scripts read DIR/NAME/...: give them the scenario folder's parent */
        char parent[4200], e[9000] = "dir=";
        const char *slash = strrchr(sdir, '/');
        snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - sdir) : 1, slash ? sdir : ".");
        if (strcmp(slash ? slash + 1 : sdir, name) == 0) {
            int q = gp_quote(e, sizeof e, parent);
            snprintf(e + strlen(e), sizeof e - strlen(e), "; paper=%d; label=", paper_setting(sdir, name));
            q |= gp_quote(e, sizeof e, name);
            if (q == 0)
                draw(p, ps, e, papers[i].name);
            else {
                fprintf(stderr, "vmitn: plot: %s: a control character in the name: skipped\n", parent);
                p->failed++;
                p->damaged = true;
            }
        }
        free(ps);
    }
    free(script);
    free(exps);
    free(name);
}


/* ---------- sweeps: each metric against the swept parameter ---------- */

/* The metrics a sweep's plots show (when points.csv has them), with their units. */
static const struct {
    const char *name, *unit;
} SWEEP_METRICS[] = {
    {"peak_infected", "hosts"}, {"time_all_infected", "s"}, {"learning_time", "s"}, {"time_cleaned", "s"},
    {"hosts_attacked", "hosts"}, {"mean_infected", "hosts"}, {"availability", ""},
};
#define NSWEEP_METRICS (sizeof SWEEP_METRICS / sizeof SWEEP_METRICS[0])

/* A column name usable inside a gnuplot string as is (parameter names: section.name). */
static bool plain_name(const char *s)
{
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
              *c == '.' || *c == '-'))
            return false;
    return *s != '\0';
}

/* A sweep folder (spec, points.csv): one image per metric, the metric's mean and CI against
 * the first swept parameter, one line per experiment and value of the other swept ones. */
static void plot_sweep(plotter *p, const char *dir)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "vmitn: %s: cannot read: %s\n", path, strerror(errno));
        p->failed++;
        return;
    }
    enum { MAXC = 512 };
    char *line = NULL, *head = NULL, *hc[MAXC], *first[MAXC] = {0};
    size_t cap = 0;
    int nh = 0, iexp = -1;
    bool varies[MAXC] = {false}, have[NSWEEP_METRICS] = {false}, numeric = true;
    double xmin = 0, xmax = 0;
    unsigned rows = 0;
    if (getline(&head, &cap, f) > 0)
        nh = vmitn_csv_split(head, hc, MAXC);
    for (int i = 0; i < nh; i++)
        if (strcmp(hc[i], "experiment") == 0 && iexp < 0)
            iexp = i;
    cap = 0;
    while (iexp > 0 && getline(&line, &cap, f) > 0) {
        char *c[MAXC];
        if (vmitn_csv_split(line, c, MAXC) != nh)
            continue;
        for (int i = 0; i < iexp; i++) {
            if (rows == 0)
                first[i] = vmitn_xstrdup(c[i]);
            else if (strcmp(first[i], c[i]) != 0)
                varies[i] = true;
        }
        for (size_t m = 0; m < NSWEEP_METRICS; m++)
            for (int i = 0; i < nh; i++) {
                size_t l = strlen(SWEEP_METRICS[m].name);
                if (strncmp(hc[i], SWEEP_METRICS[m].name, l) == 0 && strcmp(hc[i] + l, "_mean") == 0 &&
                    strcmp(c[i], "NA") != 0)
                    have[m] = true;
            }
        rows++;
    }
    fclose(f);
    int x = -1;
    for (int i = 0; i < iexp && x < 0; i++)
        if (varies[i])
            x = i;
    if (x < 0 && iexp > 0)
        x = 0; /* one point: drawn against the first parameter all the same */
    char *script = x >= 0 && rows > 0 ? find_script("sweep") : NULL;
    if (x < 0 || rows == 0) {
        fprintf(stderr, "vmitn: %s: no sweep points (a header with the parameters, experiment, ... and rows)\n", path);
        p->failed++;
    } else if (script == NULL) {
        fprintf(stderr, "vmitn: plot: sweep.gp not found (in the data folder %s)\n",
                vmitn_data_dir() ? vmitn_data_dir() : "(none)");
        p->failed++;
    }
    /* the key of a series: the experiment, then every other swept parameter's value */
    char key[4000] = "key(x) = strcol('experiment')";
    for (int i = 0; script && i < iexp; i++) {
        if (!plain_name(hc[i])) {
            fprintf(stderr, "vmitn: %s: column %d: '%s' is not a parameter name\n", path, i + 1, hc[i]);
            p->failed++;
            free(script);
            script = NULL;
        } else if (i != x && varies[i]) {
            snprintf(key + strlen(key), sizeof key - strlen(key), ".' %s='.strcol('%s')", hc[i], hc[i]);
        }
    }
    if (script) {
        /* a log axis when the swept values are positive numbers spanning 20 times or more */
        f = fopen(path, "r");
        char *l2 = NULL;
        size_t c2 = 0;
        bool firstrow = true;
        while (f && getline(&l2, &c2, f) > 0) {
            if (firstrow) {
                firstrow = false;
                continue;
            }
            char *c[MAXC], *end;
            if (vmitn_csv_split(l2, c, MAXC) != nh)
                continue;
            double v = strtod(c[x], &end);
            if (end == c[x] || *end != '\0')
                numeric = false;
            xmin = xmin == 0 || v < xmin ? v : xmin;
            xmax = v > xmax ? v : xmax;
        }
        free(l2);
        if (f)
            fclose(f);
    }
    char *scen = vmitn_meta_get(dir, "scenario");
    for (size_t m = 0; script && m < NSWEEP_METRICS; m++) {
        if (!have[m])
            continue;
        char e[9000] = "f=", img[300];
        int q = gp_quote(e, sizeof e, path);
        snprintf(e + strlen(e), sizeof e - strlen(e), "; xcol='%s'; metric='%s'; unit='%s'; logx=%d; %s; title=", hc[x],
                 SWEEP_METRICS[m].name, SWEEP_METRICS[m].unit, numeric && xmin > 0 && xmax >= 20 * xmin, key);
        char t[600];
        snprintf(t, sizeof t, "%s sweep", scen ? scen : "the");
        q |= gp_quote(e, sizeof e, t);
        if (q != 0) {
            fprintf(stderr, "vmitn: plot: %s: a control character in the name: skipped\n", path);
            p->failed++;
            p->damaged = true;
            break;
        }
        snprintf(img, sizeof img, "sweep-%s", SWEEP_METRICS[m].name);
        draw(p, script, e, img);
    }
    free(scen);
    free(script);
    for (int i = 0; i < MAXC; i++)
        free(first[i]);
    free(line);
    free(head);
}

/* ---------- variants: the experiments several folders share, on one axis each ---------- */

typedef struct meta_kv {
    char **k, **v;
    size_t n;
} meta_kv;

static void meta_load(const char *dir, meta_kv *m)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/meta", dir);
    *m = (meta_kv){0};
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    while (f && getline(&line, &cap, f) > 0) {
        char *eq = strstr(line, " = ");
        if (eq == NULL)
            continue;
        *eq = '\0';
        eq[3 + strcspn(eq + 3, "\n")] = '\0';
        m->k = vmitn_xrealloc(m->k, (m->n + 1) * sizeof *m->k);
        m->v = vmitn_xrealloc(m->v, (m->n + 1) * sizeof *m->v);
        m->k[m->n] = vmitn_xstrdup(line);
        m->v[m->n++] = vmitn_xstrdup(eq + 3);
    }
    free(line);
    if (f)
        fclose(f);
}

static const char *meta_find(const meta_kv *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->k[i], key) == 0)
            return m->v[i];
    return NULL;
}

static void meta_free(meta_kv *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->k[i]);
        free(m->v[i]);
    }
    free(m->k);
    free(m->v);
}

/* Whether label is one of the space-separated words of list. */
static bool has_word(const char *list, const char *label)
{
    size_t l = strlen(label);
    for (const char *s = list; s && *s;) {
        s += strspn(s, " ");
        size_t w = strcspn(s, " ");
        if (w == l && strncmp(s, label, l) == 0)
            return true;
        s += w;
    }
    return false;
}

/* The meta keys whose values differ between the folders, as "name=value, ..." per folder:
 * the scenario's parameters and -p overrides (param.*, model.*) first; if none differ, the
 * experiment's resolved parameters (exp.LABEL.*); then seed and runs; at most 4 named.
 * A folder's label falls back to its path. */
static void variant_labels(const meta_kv *m, int n, const char *label, char (*out)[400], const char *const *dirs)
{
    char pre[300];
    snprintf(pre, sizeof pre, "exp.%s.", label);
    for (int i = 0; i < n; i++)
        out[i][0] = '\0';
    for (int cls = 0; cls < 3; cls++) {
        unsigned named = 0;
        for (int d = 0; d < n; d++)
            for (size_t j = 0; j < m[d].n; j++) {
                const char *k = m[d].k[j];
                bool in = cls == 0   ? strncmp(k, "param.", 6) == 0 || strncmp(k, "model.", 6) == 0
                          : cls == 1 ? strncmp(k, pre, strlen(pre)) == 0 && strcmp(k + strlen(pre), "topology_file") != 0
                                     : strcmp(k, "seed") == 0 || strcmp(k, "runs") == 0;
                if (!in)
                    continue;
                bool seen = false, differs = false;
                for (int e = 0; e < d && !seen; e++)
                    seen = meta_find(&m[e], k) != NULL; /* named once, by the first folder that has it */
                for (int e = 0; e < n && !seen; e++) {
                    const char *a = meta_find(&m[e], k), *b = m[d].v[j];
                    differs = differs || a == NULL || strcmp(a, b) != 0;
                }
                if (seen || !differs)
                    continue;
                if (++named > 4)
                    continue;
                const char *shown = cls == 1 ? k + strlen(pre) : strncmp(k, "param.", 6) == 0 || strncmp(k, "model.", 6) == 0 ? k + 6 : k;
                for (int e = 0; e < n; e++) {
                    const char *v = meta_find(&m[e], k);
                    char resolved[400];
                    if (v == NULL && strncmp(k, "model.", 6) == 0) { /* no override: the value the run used */
                        snprintf(resolved, sizeof resolved, "%s%s", pre, k + 6);
                        v = meta_find(&m[e], resolved);
                    }
                    char val[200];
                    snprintf(val, sizeof val, "%s", v ? v : "(unset)");
                    size_t vl = strlen(val);
                    if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
                        memmove(val, val + 1, vl - 2);
                        val[vl - 2] = '\0';
                    }
                    size_t ol = strlen(out[e]);
                    snprintf(out[e] + ol, sizeof out[e] - ol, "%s%s=%s", ol ? ", " : "", shown, val);
                }
            }
        if (named > 4)
            for (int e = 0; e < n; e++)
                snprintf(out[e] + strlen(out[e]), sizeof out[e] - strlen(out[e]), ", ...");
        if (named > 0)
            return;
    }
    for (int e = 0; e < n; e++)
        snprintf(out[e], sizeof out[e], "%s", dirs[e]);
}

int vmitn_plot_variants(const char *const *args, int n, const char *out)
{
    char (*dirs)[4096] = vmitn_xcalloc((size_t)n, sizeof *dirs);
    meta_kv *m = vmitn_xcalloc((size_t)n, sizeof *m);
    const char **dp = vmitn_xcalloc((size_t)n, sizeof *dp);
    char (*labels)[400] = vmitn_xcalloc((size_t)n, sizeof *labels);
    int rc = VMITN_EXIT_OK;
    for (int i = 0; i < n; i++) {
        snprintf(dirs[i], sizeof dirs[i], "%s", args[i]);
        for (size_t l = strlen(dirs[i]); l > 1 && dirs[i][l - 1] == '/';)
            dirs[i][--l] = '\0';
        dp[i] = dirs[i];
        char meta[4200], spec[4200];
        snprintf(meta, sizeof meta, "%s/meta", dirs[i]);
        snprintf(spec, sizeof spec, "%s/spec", dirs[i]);
        struct stat st;
        if (stat(dirs[i], &st) != 0) {
            fprintf(stderr, "vmitn: %s: cannot open: %s\n", dirs[i], strerror(errno));
            rc = VMITN_EXIT_IO;
            goto done;
        }
        if (!is_file(meta) || is_file(spec)) {
            fprintf(stderr, "vmitn: plot: %s: not one scenario's results folder (%s): give one such folder per variant\n",
                    dirs[i], is_file(spec) ? "a sweep: plot it alone" : "no meta");
            rc = VMITN_EXIT_INPUT;
            goto done;
        }
        meta_load(dirs[i], &m[i]);
    }
    /* the experiments every folder has, with a curve in each, in the first folder's order */
    const char *exps0 = meta_find(&m[0], "experiments");
    char *list = vmitn_xstrdup(exps0 ? exps0 : ""), *shared[256];
    int ns = 0;
    for (char *sv = NULL, *lab = strtok_r(list, " ", &sv); lab && ns < 256; lab = strtok_r(NULL, " ", &sv)) {
        bool all = true;
        for (int i = 0; i < n && all; i++) {
            char curve[8400];
            snprintf(curve, sizeof curve, "%s/%s.curve.csv", dirs[i], lab);
            all = has_word(meta_find(&m[i], "experiments"), lab) && is_file(curve);
        }
        if (all)
            shared[ns++] = lab;
    }
    if (ns == 0) {
        fprintf(stderr, "vmitn: plot: the folders share no experiment with a curve:");
        for (int i = 0; i < n; i++) {
            const char *e = meta_find(&m[i], "experiments");
            fprintf(stderr, "%s %s has %s", i ? ";" : "", dirs[i], e && *e ? e : "none");
        }
        fputc('\n', stderr);
        free(list);
        rc = VMITN_EXIT_INPUT;
        goto done;
    }
    char *script = find_script("variants");
    if (script == NULL) {
        fprintf(stderr, "vmitn: plot: variants.gp not found (in the data folder %s)\n",
                vmitn_data_dir() ? vmitn_data_dir() : "(none)");
        free(list);
        rc = VMITN_EXIT_INPUT;
        goto done;
    }
    if (vmitn_mkdir_p(out) != 0) {
        fprintf(stderr, "vmitn: %s: cannot create: %s\n", out, strerror(errno));
        free(list);
        free(script);
        rc = VMITN_EXIT_IO;
        goto done;
    }
    plotter p = {.out = out};
    const char *name = meta_find(&m[0], "name");
    bool same_name = name != NULL;
    for (int i = 1; i < n && same_name; i++)
        same_name = meta_find(&m[i], "name") && strcmp(meta_find(&m[i], "name"), name) == 0;
    for (int s = 0; s < ns; s++) {
        variant_labels(m, n, shared[s], labels, dp);
        size_t cap = 2000 + (size_t)n * 9000;
        char *e = vmitn_xmalloc(cap);
        snprintf(e, cap, "array curves[%d] = [", n);
        unsigned hosts = 0;
        double tmax = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            char curve[8400], key[600];
            snprintf(curve, sizeof curve, "%s/%s.curve.csv", dirs[i], shared[s]);
            strcat(e, i ? ", " : "");
            q |= gp_quote(e, cap, curve);
            q |= !data_ok(&p, curve, VMITN_CSV_CURVE) ? 2 : 0;
            unsigned h = fes_hosts(dirs[i], shared[s]);
            hosts = h > hosts ? h : hosts;
            snprintf(key, sizeof key, "exp.%s.duration", shared[s]);
            const char *dur = meta_find(&m[i], key);
            double d = dur ? strtod(dur, NULL) : 0;
            tmax = d > tmax ? d : tmax;
        }
        snprintf(e + strlen(e), cap - strlen(e), "]; array labels[%d] = [", n);
        for (int i = 0; i < n; i++) {
            strcat(e, i ? ", " : "");
            q |= gp_quote(e, cap, labels[i]);
        }
        char title[600], img[600];
        snprintf(title, sizeof title, "%s/%s", same_name ? name : "variants", shared[s]);
        strcat(e, "]; title=");
        q |= gp_quote(e, cap, title);
        if (hosts > 0)
            snprintf(e + strlen(e), cap - strlen(e), "; hosts=%u", hosts);
        if (tmax > 0)
            snprintf(e + strlen(e), cap - strlen(e), "; tmax=%.17g", tmax);
        /* "variants-" first, always: a variant image must never take (or be taken by) the
         * name of one folder's own experiment plot when both go into one plots folder */
        if (same_name)
            snprintf(img, sizeof img, "variants-%s-%s", name, shared[s]);
        else
            snprintf(img, sizeof img, "variants-%s", shared[s]);
        if (q & 2) { /* a damaged curve: said by data_ok */
        } else if (q != 0) {
            fprintf(stderr, "vmitn: plot: %s: a control character in a folder name or label: skipped\n", img);
            p.failed++;
            p.damaged = true;
        } else if (strlen(e) > 10000) {
            fprintf(stderr, "vmitn: plot: %s: too many or too long folder names for one gnuplot command\n", img);
            p.failed++;
        } else {
            draw(&p, script, e, img);
        }
        free(e);
    }
    free(list);
    free(script);
    if (p.failed)
        rc = p.no_gnuplot || p.damaged ? VMITN_EXIT_INPUT : VMITN_EXIT_IO;
    else
        printf("wrote %s (%u images)\n", out, p.drawn);
done:
    for (int i = 0; i < n; i++)
        meta_free(&m[i]);
    free(m);
    free(dirs);
    free(dp);
    free(labels);
    return rc;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int vmitn_plot(const char *dir_arg, const char *out)
{
    char dir[4096], meta[4200], outdir[4200];
    snprintf(dir, sizeof dir, "%s", dir_arg);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/';)
        dir[--n] = '\0';
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "vmitn: %s: cannot open: %s\n", dir, strerror(errno));
        return VMITN_EXIT_IO;
    }
    snprintf(meta, sizeof meta, "%s/meta", dir);
    char **scen = NULL, spec[4200];
    size_t ns = 0;
    snprintf(spec, sizeof spec, "%s/spec", dir);
    bool sweep = is_file(meta) && is_file(spec);
    if (sweep) {
        scen = vmitn_xmalloc(sizeof *scen);
        scen[ns++] = vmitn_xstrdup(dir);
    } else if (is_file(meta)) {
        scen = vmitn_xmalloc(sizeof *scen);
        scen[ns++] = vmitn_xstrdup(dir);
    } else {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            char sd[8400], sm[8500];
            if (e->d_name[0] == '.')
                continue;
            snprintf(sd, sizeof sd, "%s/%s", dir, e->d_name);
            snprintf(sm, sizeof sm, "%s/meta", sd);
            if (!is_file(sm))
                continue;
            scen = vmitn_xrealloc(scen, (ns + 1) * sizeof *scen);
            scen[ns++] = vmitn_xstrdup(sd);
        }
    }
    closedir(d);
    if (ns == 0) {
        fprintf(stderr, "vmitn: %s holds no results (no scenario folder with a meta file)\n", dir);
        free(scen);
        return VMITN_EXIT_INPUT;
    }
    qsort(scen, ns, sizeof *scen, cmp_str);
    snprintf(outdir, sizeof outdir, "%s", out ? out : "");
    if (out == NULL)
        snprintf(outdir, sizeof outdir, "%s/plots", dir);
    if (vmitn_mkdir_p(outdir) != 0) {
        fprintf(stderr, "vmitn: %s: cannot create: %s\n", outdir, strerror(errno));
        for (size_t i = 0; i < ns; i++)
            free(scen[i]);
        free(scen);
        return VMITN_EXIT_IO;
    }
    plotter p = {.out = outdir};
    for (size_t i = 0; i < ns; i++) {
        const char *slash = strrchr(scen[i], '/');
        if (sweep)
            plot_sweep(&p, scen[i]);
        else
            plot_scenario(&p, scen[i], slash ? slash + 1 : scen[i]);
        free(scen[i]);
    }
    free(scen);
    if (p.failed)
        return p.no_gnuplot || p.damaged ? VMITN_EXIT_INPUT : VMITN_EXIT_IO;
    if (p.drawn == 0) {
        fprintf(stderr, "vmitn: plot: %s: nothing to draw (no LABEL.curve.csv, sweep points or paper figure)\n", dir);
        rmdir(outdir); /* only if we made it empty */
        return VMITN_EXIT_INPUT;
    }
    printf("wrote %s (%u images)\n", outdir, p.drawn);
    return VMITN_EXIT_OK;
}

/* ---------- topo ---------- */

static void dot_id(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void link_label(char *buf, size_t n, vmitn_time delay, double bw)
{
    double d = (double)delay * 1e-9;
    char ds[32], bs[32];
    if (d < 1e-3)
        snprintf(ds, sizeof ds, "%g us", d * 1e6);
    else if (d < 1)
        snprintf(ds, sizeof ds, "%g ms", d * 1e3);
    else
        snprintf(ds, sizeof ds, "%g s", d);
    if (bw >= 1e9)
        snprintf(bs, sizeof bs, "%g Gbit/s", bw / 1e9);
    else if (bw >= 1e6)
        snprintf(bs, sizeof bs, "%g Mbit/s", bw / 1e6);
    else
        snprintf(bs, sizeof bs, "%g kbit/s", bw / 1e3);
    snprintf(buf, n, "%s, %s", bs, ds);
}

/* Above this many hosts a topology is drawn compact: each LAN's hosts stacked in columns of
 * at most LAN_ROWS (invisible edges hold them), one edge from the router to the LAN's
 * cluster labelled with the host links, instead of one labelled edge per host (which lays
 * every host side by side: generate:8:5:2 was a 5136 x 559 strip). */
#define COMPACT_HOSTS 12
#define LAN_ROWS 8

/* The topology as an undirected dot graph: each LAN a cluster of its hosts, the edge
 * routers and the core routers outside, links labelled with bandwidth and delay, the SMC
 * joined to the FES hosts by the dotted out-of-band network. */
static void write_dot(FILE *f, const vmitn_topo *t, const char *title)
{
    unsigned nh = vmitn_topo_nhosts(t), nfes = 0;
    for (unsigned i = 0; i < nh; i++)
        nfes += vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
    bool compact = nh > COMPACT_HOSTS;
    fputs("graph ", f);
    dot_id(f, title);
    fprintf(f, " {\n  graph [fontname=\"Sans\", labelloc=t, fontsize=14, nodesep=0.3, ranksep=0.6, %slabel=",
            compact ? "compound=true, newrank=true, " : "");
    char lab[600];
    snprintf(lab, sizeof lab, "%s: %u routers, %u LANs, %u FES hosts", title, vmitn_topo_nrouters(t), vmitn_topo_nlans(t), nfes);
    dot_id(f, lab);
    fputs("];\n  node [fontname=\"Sans\", fontsize=10];\n  edge [fontname=\"Sans\", fontsize=8, color=\"#555555\"];\n", f);
    /* routers serving no LAN are the core: drawn on top, side by side */
    unsigned nr = vmitn_topo_nrouters(t);
    bool *edge = vmitn_xcalloc(nr ? nr : 1, sizeof *edge);
    for (unsigned l = 0; l < vmitn_topo_nlans(t); l++)
        edge[vmitn_topo_lan(t, l)->router] = true;
    fputs("  { rank=same;", f);
    for (unsigned r = 0; r < nr; r++)
        if (!edge[r]) {
            fputc(' ', f);
            dot_id(f, vmitn_topo_router_name(t, r));
            fputc(';', f);
        }
    fputs(" }\n", f);
    for (unsigned r = 0; r < nr; r++) {
        fputs("  ", f);
        dot_id(f, vmitn_topo_router_name(t, r));
        fputs(" [shape=box, style=\"rounded,filled\", fillcolor=\"#dfe8f5\"];\n", f);
    }
    for (unsigned l = 0; l < vmitn_topo_nlans(t); l++) {
        const vmitn_lan *lan = vmitn_topo_lan(t, l);
        char pre[16];
        vmitn_ip_format(lan->prefix, pre);
        fprintf(f, "  subgraph \"cluster_lan%u\" {\n    style=dashed; color=\"#999999\"; fontsize=10; label=\"LAN %s/%u\";\n", l,
                pre, lan->len);
        unsigned k = 0; /* compact: host k under host k - LAN_ROWS's column, by invisible edges */
        unsigned above = nh; /* none */
        for (unsigned i = 0; i < nh; i++) {
            const vmitn_host ho = vmitn_topo_host(t, i), *h = &ho;
            char nb[VMITN_TOPO_NAMEBUF], nba[VMITN_TOPO_NAMEBUF];
            const char *name = vmitn_topo_host_name(t, i, nb);
            if (h->lan != (int)l)
                continue;
            if (compact) {
                above = k % LAN_ROWS ? above : nh;
                if (above != nh) {
                    fputs("    ", f);
                    dot_id(f, vmitn_topo_host_name(t, above, nba));
                    fputs(" -- ", f);
                    dot_id(f, name);
                    fputs(" [style=invis];\n", f);
                }
                above = i;
                k++;
            }
            char ip[16];
            vmitn_ip_format(h->addr, ip);
            snprintf(lab, sizeof lab, "%s\\n%s%s", name, ip, h->kind == VMITN_HOST_FES ? "\\nFES" : "");
            fputs("    ", f);
            dot_id(f, name);
            fprintf(f, " [shape=box, style=filled, fillcolor=\"%s\", label=\"%s\"];\n",
                    h->kind == VMITN_HOST_FES ? "#fbe3c4" : "#eeeeee", lab);
        }
        fputs("  }\n", f);
    }
    for (unsigned i = 0; i < nh; i++) {
        const vmitn_host ho = vmitn_topo_host(t, i), *h = &ho;
        char nb[VMITN_TOPO_NAMEBUF];
        if (h->router < 0)
            continue;
        link_label(lab, sizeof lab, h->link_delay, h->link_bw);
        if (compact && h->lan >= 0) { /* one edge per LAN, to its first host, clipped at the cluster */
            unsigned n = 0, first = nh;
            for (unsigned j = 0; j < nh; j++)
                if (vmitn_topo_host(t, j).lan == h->lan) {
                    first = n == 0 ? j : first;
                    n++;
                }
            if (first != i)
                continue;
            fputs("  ", f);
            dot_id(f, vmitn_topo_router_name(t, (unsigned)h->router));
            fputs(" -- ", f);
            dot_id(f, vmitn_topo_host_name(t, i, nb));
            fprintf(f, " [lhead=\"cluster_lan%d\", label=\"%u hosts: %s\"];\n", h->lan, n, lab);
            continue;
        }
        fputs("  ", f); /* the router first: dot ranks it above its hosts */
        dot_id(f, vmitn_topo_router_name(t, (unsigned)h->router));
        fputs(" -- ", f);
        dot_id(f, vmitn_topo_host_name(t, i, nb));
        fprintf(f, " [label=\"%s\"];\n", lab);
    }
    for (unsigned k = 0; k < vmitn_topo_nrlinks(t); k++) {
        const vmitn_rlink *e = vmitn_topo_rlink(t, k);
        bool flip = edge[e->a] && !edge[e->b]; /* a core router first: above */
        link_label(lab, sizeof lab, e->delay, e->bw);
        fputs("  ", f);
        dot_id(f, vmitn_topo_router_name(t, flip ? e->b : e->a));
        fputs(" -- ", f);
        dot_id(f, vmitn_topo_router_name(t, flip ? e->a : e->b));
        fprintf(f, " [label=\"%s\", penwidth=1.5];\n", lab);
    }
    free(edge);
    for (unsigned i = 0; i < nh; i++) {
        const vmitn_host s = vmitn_topo_host(t, i);
        if (s.kind != VMITN_HOST_SMC)
            continue;
        char ip[16], nb[VMITN_TOPO_NAMEBUF], nbj[VMITN_TOPO_NAMEBUF];
        const char *name = vmitn_topo_host_name(t, i, nb);
        vmitn_ip_format(s.addr, ip);
        fputs("  ", f);
        dot_id(f, name);
        fprintf(f, " [shape=doubleoctagon, style=filled, fillcolor=\"#e2f0d9\", label=\"%s\\n%s\\nOOB network\"];\n", name, ip);
        fputs("  { rank=sink; ", f); /* below the hosts, where the OOB network fans out */
        dot_id(f, name);
        fputs("; }\n", f);
        if (nfes > 32)
            continue; /* a generated network's OOB fan would hide the rest */
        for (unsigned j = 0; j < nh; j++) {
            if (vmitn_topo_host(t, j).kind != VMITN_HOST_FES)
                continue;
            fputs("  ", f);
            dot_id(f, name);
            fputs(" -- ", f);
            dot_id(f, vmitn_topo_host_name(t, j, nbj));
            fputs(" [style=dotted, color=\"#4d9221\"];\n", f);
        }
    }
    fputs("}\n", f);
}

/* Runs Graphviz: dot -TFMT -o OUT IN.  0, -1 (failed) or -2 (no dot). */
static int graphviz(const char *fmt, const char *in, const char *out)
{
    char t[16];
    snprintf(t, sizeof t, "-T%s", fmt);
    char *argv[] = {"dot", t, "-o", (char *)out, (char *)in, NULL};
    int rc = vmitn_run_child(argv);
    return rc == 127 ? -2 : rc == 0 ? 0 : -1;
}

int vmitn_topo_draw(const char *spec, const char *out)
{
    const char *fmt = NULL;
    size_t ol = out ? strlen(out) : 0;
    if (out != NULL) {
        if (ol > 4 && strcmp(out + ol - 4, ".dot") == 0)
            fmt = "dot";
        else if (ol > 4 && strcmp(out + ol - 4, ".svg") == 0)
            fmt = "svg";
        else if (ol > 4 && strcmp(out + ol - 4, ".png") == 0)
            fmt = "png";
        else {
            fprintf(stderr, "vmitn: topo: %s: the file name must end in .dot, .svg or .png\n(see 'vmitn topo --help')\n", out);
            return VMITN_EXIT_USAGE;
        }
    }
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    unsigned a, b, f;
    char tail;
    int rc;
    if (strncmp(spec, "generate:", 9) == 0) {
        if (sscanf(spec + 9, "%u:%u:%u%c", &a, &b, &f, &tail) != 3) {
            fprintf(stderr, "vmitn: topo: '%s': expected generate:SUBNETS:HOSTS:FANOUT\n", spec);
            return VMITN_EXIT_INPUT;
        }
        rc = vmitn_topo_generate(a, b, f, &t, err, sizeof err);
    } else {
        /* as given, else in the data folder (topo topologies/vmitn-fig8.graphml from anywhere) */
        const char *here[] = {"."};
        char *found = vmitn_find_file(spec, here, 1, "");
        rc = vmitn_topo_load(found ? found : spec, &t, err, sizeof err);
        free(found);
    }
    if (rc < 0) {
        fprintf(stderr, "vmitn: %s\n", err);
        return rc == -VMITN_EIO ? VMITN_EXIT_IO : VMITN_EXIT_INPUT;
    }
    const char *base = strrchr(spec, '/');
    char title[300];
    snprintf(title, sizeof title, "%s", base ? base + 1 : spec);
    if (strlen(title) > 8 && strcmp(title + strlen(title) - 8, ".graphml") == 0)
        title[strlen(title) - 8] = '\0';
    if (out == NULL) {
        write_dot(stdout, t, title);
        vmitn_topo_free(t);
        return fflush(stdout) == 0 ? VMITN_EXIT_OK : VMITN_EXIT_IO;
    }
    /* the dot text into OUT.tmp.dot (whole), then renamed or rendered into place */
    char dotp[4400], tmp[4400];
    snprintf(dotp, sizeof dotp, "%s.tmp.%ld.dot", out, (long)getpid());
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
    FILE *fp = fopen(dotp, "w");
    if (fp != NULL)
        write_dot(fp, t, title);
    vmitn_topo_free(t);
    if (fp == NULL || (ferror(fp) | fclose(fp))) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", out, strerror(errno));
        unlink(dotp);
        return VMITN_EXIT_IO;
    }
    rc = VMITN_EXIT_OK;
    if (strcmp(fmt, "dot") == 0) {
        if (rename(dotp, out) != 0) {
            fprintf(stderr, "vmitn: %s: cannot write: %s\n", out, strerror(errno));
            rc = VMITN_EXIT_IO;
        }
    } else {
        int g = graphviz(fmt, dotp, tmp);
        struct stat st;
        if (g == -2) {
            fprintf(stderr, "vmitn: topo: Graphviz's dot not found: install it (Debian: apt-get install graphviz), or use --dot\n");
            rc = VMITN_EXIT_INPUT;
        } else if (g != 0 || stat(tmp, &st) != 0 || st.st_size == 0 || rename(tmp, out) != 0) {
            fprintf(stderr, "vmitn: %s: Graphviz's dot failed\n", out);
            rc = VMITN_EXIT_IO;
        }
    }
    unlink(dotp);
    unlink(tmp);
    if (rc == VMITN_EXIT_OK)
        printf("wrote %s\n", out);
    return rc;
}
