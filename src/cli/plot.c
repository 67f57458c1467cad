/* plot.c — `vmitn plot DIR`: every experiment of a results folder drawn with gnuplot
 * (scripts/plots/experiment.gp), with the axes from the topology's FES host count and the
 * run's duration as meta records them; the paper's figures (scripts/plots/<name>.gp) for
 * the paper's scenarios found there.  And `vmitn topo FILE`: a topology as Graphviz dot.
 *
 * Plot scripts are looked up beside the scenario that wrote the folder (its plots/), then
 * in the data folder (plots/, or scripts/plots/ in the source tree).  Each image is drawn
 * into a temporary file and renamed into place: a failed or interrupted plot leaves
 * nothing half-written. */
#define _DEFAULT_SOURCE /* fdopen, mkstemp */
#include "vmitn/plot.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmitn/paths.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

/* ---------- small helpers ---------- */

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The value of `key = value` in DIR/meta, malloc'd, or NULL. */
static char *meta_get(const char *dir, const char *key)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/meta", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    char *line = NULL, *v = NULL;
    size_t cap = 0, kl = strlen(key);
    while (getline(&line, &cap, f) > 0)
        if (strncmp(line, key, kl) == 0 && strncmp(line + kl, " = ", 3) == 0) {
            v = vmitn_xstrdup(line + kl + 3);
            v[strcspn(v, "\n")] = '\0';
            break;
        }
    free(line);
    fclose(f);
    return v;
}

/* Appends s to buf as a gnuplot '...' string (a quote doubled). */
static void gp_quote(char *buf, size_t n, const char *s)
{
    size_t k = strlen(buf);
    if (k + 1 < n)
        buf[k++] = '\'';
    for (; *s && k + 2 < n; s++) {
        if (*s == '\'')
            buf[k++] = '\'';
        buf[k++] = *s;
    }
    if (k + 1 < n)
        buf[k++] = '\'';
    buf[k] = '\0';
}

/* Finds plot script NAME.gp: beside the scenario (its folder's plots/), then in the data
 * folder.  malloc'd path or NULL. */
static char *find_script(const char *scenario, const char *name)
{
    char file[300], dir[4200] = "";
    snprintf(file, sizeof file, "%s.gp", name);
    if (scenario != NULL) {
        const char *slash = strrchr(scenario, '/');
        snprintf(dir, sizeof dir, "%.*s/plots", slash ? (int)(slash - scenario) : 1, slash ? scenario : ".");
    }
    const char *dirs[] = {scenario ? dir : NULL};
    char *p = vmitn_find_file(file, dirs, 1, "plots");
    if (p == NULL) {
        char sub[64];
        snprintf(sub, sizeof sub, "scripts/plots");
        p = vmitn_find_file(file, NULL, 0, sub);
    }
    return p;
}

/* Runs gnuplot -e EXPR SCRIPT; 0 if it exited 0, -1 otherwise (-2: no gnuplot). */
static int gnuplot(const char *expr, const char *script)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execlp("gnuplot", "gnuplot", "-e", expr, script, (char *)NULL);
        _exit(errno == ENOENT ? 127 : 126);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
        return -2;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

typedef struct plotter {
    const char *out;
    unsigned drawn, failed;
    bool no_gnuplot;
} plotter;

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
        gp_quote(e, sizeof e, tmp);
        int rc = gnuplot(e, script);
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
    char *file = meta_get(sdir, key);
    snprintf(key, sizeof key, "exp.%s.topology", label);
    char *spec = meta_get(sdir, key);
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    unsigned a, b, f, n = 0;
    if (spec != NULL && sscanf(spec, "\"generate:%u:%u:%u\"", &a, &b, &f) == 3)
        vmitn_topo_generate(a, b, f, &t, err, sizeof err);
    else if (file != NULL)
        vmitn_topo_load(file, &t, err, sizeof err);
    if (t != NULL) {
        for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++)
            n += vmitn_topo_host(t, i)->kind == VMITN_HOST_FES;
        vmitn_topo_free(t);
    }
    free(file);
    free(spec);
    return n;
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
    char *scen = meta_get(sdir, "scenario");
    char *exps = meta_get(sdir, "experiments");
    char *name = meta_get(sdir, "name");
    char *script = find_script(scen, "experiment");
    if (script == NULL) {
        fprintf(stderr, "vmitn: plot: experiment.gp not found (beside %s, or in the data folder %s)\n",
                scen ? scen : sdir, vmitn_data_dir() ? vmitn_data_dir() : "(none)");
        p->failed++;
    }
    for (char *lab = exps && script ? strtok(exps, " ") : NULL; lab != NULL; lab = strtok(NULL, " ")) {
        char curve[8400], summary[8400], e[9000] = "", img[1200], key[600];
        snprintf(curve, sizeof curve, "%s/%s.curve.csv", sdir, lab);
        snprintf(summary, sizeof summary, "%s/%s.summary.csv", sdir, lab);
        if (!is_file(curve))
            continue;
        snprintf(img, sizeof img, "%s-%s", sname, lab);
        strcat(e, "curve=");
        gp_quote(e, sizeof e, curve);
        strcat(e, "; summary=");
        gp_quote(e, sizeof e, summary);
        strcat(e, "; label=");
        char lname[1200];
        snprintf(lname, sizeof lname, "%s/%s", sname, lab);
        gp_quote(e, sizeof e, lname);
        unsigned h = fes_hosts(sdir, lab);
        if (h > 0)
            snprintf(e + strlen(e), sizeof e - strlen(e), "; hosts=%u", h);
        snprintf(key, sizeof key, "exp.%s.duration", lab);
        char *dur = meta_get(sdir, key);
        char *end;
        if (dur != NULL && strtod(dur, &end) > 0 && *end == '\0')
            snprintf(e + strlen(e), sizeof e - strlen(e), "; tmax=%s", dur);
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
            have = have && is_file(f);
        }
        char *ps = have ? find_script(scen, papers[i].name) : NULL;
        if (ps == NULL)
            continue;
        /* the paper scripts read DIR/NAME/...: give them the scenario folder's parent */
        char parent[4200], e[9000] = "dir=";
        const char *slash = strrchr(sdir, '/');
        snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - sdir) : 1, slash ? sdir : ".");
        if (strcmp(slash ? slash + 1 : sdir, name) == 0) {
            gp_quote(e, sizeof e, parent);
            draw(p, ps, e, papers[i].name);
        }
        free(ps);
    }
    free(script);
    free(scen);
    free(exps);
    free(name);
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
    char **scen = NULL;
    size_t ns = 0;
    if (is_file(meta)) {
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
        plot_scenario(&p, scen[i], slash ? slash + 1 : scen[i]);
        free(scen[i]);
    }
    free(scen);
    if (p.failed)
        return p.no_gnuplot ? VMITN_EXIT_INPUT : VMITN_EXIT_IO;
    printf("wrote %s (%u images)\n", outdir, p.drawn);
    return VMITN_EXIT_OK;
}

/* ---------- topo ---------- */

int vmitn_topo_draw(const char *spec, const char *out)
{
    (void)out;
    fprintf(stderr, "vmitn: topo %s: not yet\n", spec);
    return VMITN_EXIT_USAGE;
}
