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
#include <sys/wait.h>
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
            if (gp_quote(e, sizeof e, parent) == 0)
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
        return p.no_gnuplot || p.damaged ? VMITN_EXIT_INPUT : VMITN_EXIT_IO;
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

/* The topology as an undirected dot graph: each LAN a cluster of its hosts, the edge
 * routers and the core routers outside, links labelled with bandwidth and delay, the SMC
 * joined to the FES hosts by the dotted out-of-band network. */
static void write_dot(FILE *f, const vmitn_topo *t, const char *title)
{
    unsigned nh = vmitn_topo_nhosts(t), nfes = 0;
    for (unsigned i = 0; i < nh; i++)
        nfes += vmitn_topo_host(t, i)->kind == VMITN_HOST_FES;
    fputs("graph ", f);
    dot_id(f, title);
    fprintf(f, " {\n  graph [fontname=\"Sans\", labelloc=t, fontsize=14, nodesep=0.3, ranksep=0.6, label=");
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
        for (unsigned i = 0; i < nh; i++) {
            const vmitn_host *h = vmitn_topo_host(t, i);
            if (h->lan != (int)l)
                continue;
            char ip[16];
            vmitn_ip_format(h->addr, ip);
            snprintf(lab, sizeof lab, "%s\\n%s%s", h->name, ip, h->kind == VMITN_HOST_FES ? "\\nFES" : "");
            fputs("    ", f);
            dot_id(f, h->name);
            fprintf(f, " [shape=box, style=filled, fillcolor=\"%s\", label=\"%s\"];\n",
                    h->kind == VMITN_HOST_FES ? "#fbe3c4" : "#eeeeee", lab);
        }
        fputs("  }\n", f);
    }
    for (unsigned i = 0; i < nh; i++) {
        const vmitn_host *h = vmitn_topo_host(t, i);
        if (h->router < 0)
            continue;
        link_label(lab, sizeof lab, h->link_delay, h->link_bw);
        fputs("  ", f); /* the router first: dot ranks it above its hosts */
        dot_id(f, vmitn_topo_router_name(t, (unsigned)h->router));
        fputs(" -- ", f);
        dot_id(f, h->name);
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
        const vmitn_host *s = vmitn_topo_host(t, i);
        if (s->kind != VMITN_HOST_SMC)
            continue;
        char ip[16];
        vmitn_ip_format(s->addr, ip);
        fputs("  ", f);
        dot_id(f, s->name);
        fprintf(f, " [shape=doubleoctagon, style=filled, fillcolor=\"#e2f0d9\", label=\"%s\\n%s\\nOOB network\"];\n", s->name, ip);
        fputs("  { rank=sink; ", f); /* below the hosts, where the OOB network fans out */
        dot_id(f, s->name);
        fputs("; }\n", f);
        if (nfes > 32)
            continue; /* a generated network's OOB fan would hide the rest */
        for (unsigned j = 0; j < nh; j++) {
            if (vmitn_topo_host(t, j)->kind != VMITN_HOST_FES)
                continue;
            fputs("  ", f);
            dot_id(f, s->name);
            fputs(" -- ", f);
            dot_id(f, vmitn_topo_host(t, j)->name);
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
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execlp("dot", "dot", t, "-o", out, in, (char *)NULL);
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
