/* main.c — the vmitn command line: a table of subcommands {name, fn, synopsis, help,
 * options}, each a thin layer over the library.  Every command's options are one table of
 * optdef rows that feeds getopt_long, `vmitn CMD --help` and the manual page (`vmitn man`,
 * installed as vmitn(1)), so the usual forms work everywhere: --runs=5, --runs 5, -qp
 * name=value, -j2, a unique prefix of a long name.  Exit codes are fixed (util.h,
 * README.md). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef VMITN_MPI
#include <mpi.h>
#endif

#include "vmitn/bench.h"
#include "vmitn/compare.h"
#include "vmitn/headline.h"
#include "vmitn/html.h"
#include "vmitn/model.h"
#include "vmitn/paths.h"
#include "vmitn/pcapio.h"
#include "vmitn/plot.h"
#include "vmitn/scenario.h"
#include "vmitn/suggest.h"
#include "vmitn/sweep.h"
#include "vmitn/util.h"
#include "vmitn/version.h"

/* One option of a command.  key: its short letter, or a code from O_FIRST on for a long
 * name only; has_arg: no_argument, required_argument or optional_argument (getopt.h);
 * value: the value's name in the help ("N"), NULL for none. */
typedef struct optdef {
    const char *name;
    int key;
    int has_arg;
    const char *value;
    const char *help;
} optdef;

enum { O_FIRST = 256, O_RUNS = O_FIRST, O_SEED, O_PCAP, O_PCAP_RUN, O_MODEL, O_CALIBRATED, O_Z, O_FORMAT, O_JUNIT,
       O_DOT, O_QUICK, O_HTML };

#define MAXOPTS 16
#define OPERAND 1   /* the key an operand (a non-option argument) is handed over with */
#define OPT_DONE -1 /* parse_options: --help was printed, the command exits 0 */

/* One subcommand.  help: paragraphs separated by empty lines; opts: its options, ended by
 * a row whose name is NULL. */
typedef struct command {
    const char *name;
    int (*fn)(const struct command *c, int argc, char **argv);
    const char *synopsis; /* after "vmitn " */
    const char *summary;  /* one line */
    const char *help;
    const optdef *opts;
} command;

static const command *find_command(const char *name);
static void print_help(const command *c, FILE *out);

static const char *cmd_name; /* for messages: the subcommand being run */

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vmitn: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'vmitn %s%s--help')\n", cmd_name ? cmd_name : "", cmd_name ? " " : "");
    return VMITN_EXIT_USAGE;
}

/* "-p, --param name=value": how the help and the manual page name an option. */
static void opt_label(const optdef *d, char *buf, size_t n)
{
    int k = 0;
    if (d->key < O_FIRST)
        k = snprintf(buf, n, "-%c, ", d->key);
    if (d->has_arg == optional_argument)
        snprintf(buf + k, n - (size_t)k, "--%s[=%s]", d->name, d->value);
    else
        snprintf(buf + k, n - (size_t)k, "--%s%s%s", d->name, d->value ? " " : "", d->value ? d->value : "");
}

/* An option getopt_long refused: unknown (with the nearest long name), ambiguous, or a
 * value given to one that takes none. */
static int bad_option(const command *c, const char *arg, int opt)
{
    const char *names[MAXOPTS + 1];
    size_t n = 0;
    for (const optdef *d = c->opts; d && d->name; d++) {
        if (opt != 0 && d->key == opt)
            return usage_error("%s: --%s takes no value ('%s')", c->name, d->name, arg);
        names[n++] = d->name;
    }
    names[n++] = "help";
    if (opt != 0) /* a short letter no option has */
        return usage_error("%s: unknown option '-%c'", c->name, opt);
    if (strncmp(arg, "--", 2) != 0)
        return usage_error("%s: unknown option '%s'", c->name, arg);
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
    size_t nprefix = 0, wl = strlen(word);
    char list[512] = "";
    for (size_t i = 0; i < n; i++)
        if (wl > 0 && strncmp(names[i], word, wl) == 0) {
            nprefix++;
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s--%s", nprefix > 1 ? ", " : "", names[i]);
        }
    if (nprefix > 1)
        return usage_error("%s: option '--%s' is ambiguous (%s)", c->name, word, list);
    const char *near = vmitn_suggest(word, names, n);
    if (near != NULL)
        return usage_error("%s: unknown option '--%s'; did you mean '--%s'?", c->name, word, near);
    return usage_error("%s: unknown option '--%s'", c->name, word);
}

/* Parses argv (argv[0] is the command's name) by c's option table with getopt_long and
 * hands each option and each operand (key OPERAND), in the order given, to on(ctx, key,
 * value); a value that is missing comes as NULL, so that on() says what it needs.  -h and
 * --help print the help.  Returns 0, OPT_DONE after the help, or the exit code of the
 * first error (its message printed). */
static int parse_options(const command *c, int argc, char **argv, int (*on)(void *ctx, int key, const char *v),
                         void *ctx)
{
    struct option lo[MAXOPTS + 2];
    /* '-': operands come back in order as OPERAND, whatever POSIXLY_CORRECT says (so
     * "run fig11 --runs 5" always works); ':': a missing value is told apart */
    char shorts[3 * MAXOPTS + 4] = "-:h";
    size_t n = 0, ns = 3;
    for (const optdef *d = c->opts; d && d->name; d++) {
        lo[n++] = (struct option){d->name, d->has_arg, NULL, d->key};
        if (d->key < O_FIRST) {
            shorts[ns++] = (char)d->key;
            for (int k = 0; k < d->has_arg; k++)
                shorts[ns++] = ':';
        }
    }
    lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n] = (struct option){NULL, 0, NULL, 0};
    shorts[ns] = '\0';
    optind = 0; /* glibc: start afresh */
    opterr = 0; /* the messages are ours */
    int k, rc;
    while ((k = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        if (k == 'h') {
            print_help(c, stdout);
            return OPT_DONE;
        }
        if (k == '?')
            return bad_option(c, argv[optind - 1], optopt);
        rc = k == ':' ? on(ctx, optopt, NULL) : on(ctx, k, optarg);
        if (rc != 0)
            return rc;
    }
    for (; optind < argc; optind++) /* after "--" */
        if ((rc = on(ctx, OPERAND, argv[optind])) != 0)
            return rc;
    return 0;
}

/* parse_options' result as the command's exit code: 0 after --help. */
#define PARSED(rc) ((rc) == OPT_DONE ? VMITN_EXIT_OK : (rc))

/* Parses a whole unsigned decimal number; -1 if s is not one. */
static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The options run and sweep share: -p, --runs, --seed, --out, --force, --quiet and the
 * scenario. */
typedef struct common_args {
    const char *cmd, *scenario, *out;
    const char **set;
    unsigned nset, runs; /* runs 0: not given */
    uint64_t seed;
    bool quiet, force;
} common_args;

/* Takes a shared option: 0, an exit code after the message, or -1 if key is not one. */
static int common_opt(common_args *c, int key, const char *v)
{
    unsigned long long n;
    switch (key) {
    case 'p':
        if (v == NULL)
            return usage_error("-p needs name=value");
        c->set[c->nset++] = v;
        return 0;
    case O_RUNS:
        if (parse_u64(v, 100000, &n) < 0 || n == 0)
            return usage_error("--runs needs a whole number from 1 to 100000, got '%s'", v ? v : "");
        c->runs = (unsigned)n;
        return 0;
    case O_SEED:
        if (parse_u64(v, UINT64_MAX, &n) < 0)
            return usage_error("--seed needs a whole number >= 0, got '%s'", v ? v : "");
        c->seed = n;
        return 0;
    case 'o':
        if (v == NULL || !*v)
            return usage_error("--out needs a folder");
        c->out = v;
        return 0;
    case 'f':
        c->force = true;
        return 0;
    case 'q':
        c->quiet = true;
        return 0;
    case OPERAND:
        if (c->scenario != NULL) {
            fprintf(stderr, "vmitn: %s: one scenario at a time ('%s' is extra)\n(see 'vmitn %s --help')\n", c->cmd, v,
                    c->cmd);
            return VMITN_EXIT_USAGE;
        }
        c->scenario = v;
        return 0;
    }
    return -1;
}

typedef struct run_args {
    common_args c;
    vmitn_run_opts o;
    bool json; /* --format json: the headline as one JSON document */
} run_args;

static int run_opt(void *ctx, int key, const char *v)
{
    run_args *a = ctx;
    int rc = common_opt(&a->c, key, v);
    if (rc >= 0)
        return rc;
    unsigned long long n;
    if (key == O_PCAP) {
        if (v == NULL || !*v)
            return usage_error("--pcap needs a folder");
        a->o.pcap_dir = v;
    } else if (key == O_PCAP_RUN) {
        if (parse_u64(v, 100000, &n) < 0)
            return usage_error("--pcap-run needs a run number, got '%s'", v ? v : "");
        a->o.pcap_run = (unsigned)n;
    } else if (key == O_FORMAT) {
        if (v == NULL || (strcmp(v, "text") != 0 && strcmp(v, "json") != 0))
            return usage_error("--format needs text or json, got '%s'", v ? v : "");
        a->json = strcmp(v, "json") == 0;
    } else if (key == 'j') {
        if (parse_u64(v, 4096, &n) < 0 || n == 0)
            return usage_error("--jobs needs a whole number from 1 to 4096, got '%s'", v ? v : "");
        a->o.jobs = (unsigned)n;
    }
    return 0;
}

static int cmd_run(const command *cmd, int argc, char **argv)
{
    run_args a = {.c = {.cmd = "run", .seed = 1}, .o = {.runs = -1}};
    a.c.set = calloc((size_t)argc, sizeof *a.c.set);
    if (a.c.set == NULL)
        return VMITN_EXIT_IO;
    int rc = parse_options(cmd, argc, argv, run_opt, &a);
    if (rc != 0) {
        rc = PARSED(rc);
        goto out;
    }
    common_args *c = &a.c;
    if (c->scenario == NULL) {
        rc = usage_error("%s: which scenario? ('vmitn list' shows them)", c->cmd);
        goto out;
    }
    vmitn_run_opts *o = &a.o;
    o->scenario = c->scenario;
    o->out = c->out;
    o->force = c->force;
    o->seed = c->seed;
    o->runs = c->runs ? (int)c->runs : -1;
    o->set = c->set;
    o->nset = c->nset;
    o->quiet = c->quiet || a.json; /* json: stdout is the one document */
    char folder[4200] = "";
    o->folder = folder;
    o->folder_len = sizeof folder;
    rc = vmitn_scenario_run(o);
    if (rc == VMITN_EXIT_OK && !c->quiet && folder[0]) /* headline.c */
        rc = vmitn_headline(folder, a.json, stdout);
out:
    free(a.c.set);
    return rc;
}

typedef struct list_args {
    const char *dir, *calibrated;
    bool model;
} list_args;

static int list_opt(void *ctx, int key, const char *v)
{
    list_args *a = ctx;
    if (key == O_MODEL)
        a->model = true;
    else if (key == O_CALIBRATED && v != NULL && !*v)
        return usage_error("--calibrated= needs a file");
    else if (key == O_CALIBRATED)
        a->calibrated = v ? v : "calibrated";
    else if (a->dir != NULL)
        return usage_error("list: one folder at most ('%s' is extra)", v);
    else
        a->dir = v;
    return 0;
}

static int cmd_list(const command *cmd, int argc, char **argv)
{
    list_args a = {0};
    int rc = parse_options(cmd, argc, argv, list_opt, &a);
    if (rc != 0)
        return PARSED(rc);
    if (a.calibrated && !a.model)
        return usage_error("list: --calibrated goes with --model");
    if (a.model) {
        if (a.dir != NULL)
            return usage_error("list: --model takes no folder ('%s')", a.dir);
        return vmitn_scenario_list_model(a.calibrated, stdout);
    }
    const char *dir = a.dir;
    char data[4200];
    if (dir == NULL) {
        /* scenarios/ here, else the data folder's */
        dir = "scenarios";
        if (access(dir, F_OK) != 0 && vmitn_data_dir() != NULL) {
            snprintf(data, sizeof data, "%s/scenarios", vmitn_data_dir());
            dir = data;
        }
    }
    return vmitn_scenario_list(dir, stdout);
}

static int bench_opt(void *ctx, int key, const char *v)
{
    if (key == OPERAND)
        return usage_error("bench: takes no operand ('%s')", v);
    *(bool *)ctx = true; /* --quick */
    return 0;
}

static int cmd_bench(const command *cmd, int argc, char **argv)
{
    bool quick = false;
    int rc = parse_options(cmd, argc, argv, bench_opt, &quick);
    if (rc != 0)
        return PARSED(rc);
    return vmitn_bench(quick, stdout);
}

typedef struct sweep_args {
    common_args c;
    vmitn_sweep_opts o;
} sweep_args;

static int sweep_opt(void *ctx, int key, const char *v)
{
    sweep_args *a = ctx;
    int rc = common_opt(&a->c, key, v);
    if (rc >= 0)
        return rc;
    unsigned long long n;
    if (parse_u64(v, 4096, &n) < 0 || n == 0) /* --jobs, the one left */
        return usage_error("--jobs needs a whole number from 1 to 4096, got '%s'", v ? v : "");
    a->o.jobs = (unsigned)n;
    return 0;
}

static int cmd_sweep(const command *cmd, int argc, char **argv)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    sweep_args a = {.c = {.cmd = "sweep", .seed = 1},
                    .o = {.runner = vmitn_scenario_sweep_runner(), .jobs = ncpu > 0 ? (unsigned)ncpu : 1}};
    a.c.set = calloc((size_t)argc, sizeof *a.c.set);
    if (a.c.set == NULL)
        return VMITN_EXIT_IO;
    common_args *c = &a.c;
    vmitn_sweep_opts *o = &a.o;
    int rc = parse_options(cmd, argc, argv, sweep_opt, &a);
    if (rc != 0) {
        rc = PARSED(rc);
        goto out;
    }
    if (c->scenario == NULL) {
        rc = usage_error("%s: which scenario? ('vmitn list' shows them)", c->cmd);
        goto out;
    }
    o->scenario = c->scenario;
    o->set = c->set;
    o->nset = c->nset;
    o->runs = c->runs;
    o->seed = c->seed;
    o->out = c->out;
    o->quiet = c->quiet;
    o->force = c->force;
    if (o->runs == 0) {
        /* the scenario's own number of runs, as `run` takes it */
        vmitn_run_opts ro = {.scenario = c->scenario, .seed = c->seed, .runs = -1, .quiet = true, .runs_used = &o->runs};
        rc = vmitn_scenario_check(&ro);
        if (rc != VMITN_EXIT_OK)
            goto out;
    }
#ifdef VMITN_MPI
    MPI_Init(NULL, NULL);
    rc = vmitn_sweep(o);
    MPI_Finalize();
#else
    rc = vmitn_sweep(o);
#endif
out:
    free(c->set);
    return rc;
}

typedef struct learn_args {
    vmitn_model_cfg d;
    const char *trace, *out;
    bool seen[5];
} learn_args;

static int learn_opt(void *ctx, int key, const char *v)
{
    learn_args *a = ctx;
    static const char *const names[] = {"lambda", "theta", "half_life", "lru_size", "table_size"};
    if (key == 'o') {
        if (v == NULL || !*v)
            return usage_error("--out needs a folder");
        a->out = v;
        return 0;
    }
    if (key == OPERAND) {
        if (a->trace != NULL)
            return usage_error("learn: one capture at a time ('%s' is extra)", v);
        a->trace = v;
        return 0;
    }
    /* -p */
    if (v == NULL)
        return usage_error("-p needs name=value");
    const char *eq = strchr(v, '=');
    const char *name = strncmp(v, "smc.", 4) == 0 ? v + 4 : v;
    if (eq == NULL || eq[1] == '\0')
        return usage_error("learn: -p %s: expected name=number", v);
    size_t nl = (size_t)(eq - name);
    int k = -1;
    for (int j = 0; j < 5; j++)
        if (strlen(names[j]) == nl && strncmp(name, names[j], nl) == 0)
            k = j;
    if (k < 0) {
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)nl, name);
        const char *near = vmitn_suggest(word, names, 5);
        fprintf(stderr, "vmitn: learn: unknown parameter '%s'%s%s%s (lambda, theta, half_life, lru_size, table_size)\n",
                word, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        return VMITN_EXIT_USAGE;
    }
    if (a->seen[k])
        return usage_error("learn: %s is set twice", names[k]);
    a->seen[k] = true;
    /* the checker of `run -p smc.NAME`: the same types, ranges and messages */
    char pkey[32], err[VMITN_ERRLEN];
    snprintf(pkey, sizeof pkey, "smc.%s", names[k]);
    if (vmitn_param_parse(pkey, eq + 1, &a->d, err, sizeof err) < 0) {
        fprintf(stderr, "vmitn: learn: -p %s: %s\n", v, err);
        return VMITN_EXIT_INPUT;
    }
    return 0;
}

static int cmd_learn(const command *cmd, int argc, char **argv)
{
    learn_args a = {.trace = NULL};
    vmitn_model_cfg_default(&a.d);
    int rc = parse_options(cmd, argc, argv, learn_opt, &a);
    if (rc != 0)
        return PARSED(rc);
    if (a.trace == NULL)
        return usage_error("learn: which capture?");
    vmitn_model_cfg *d = &a.d;
    vmitn_learner_cfg cfg = {.lambda = d->smc.lambda, .theta = d->smc.theta, .lru_size = (unsigned)d->smc.lru_size,
                             .table_size = (unsigned)d->smc.table_size, .half_life = vmitn_secs(d->smc.half_life)};
    vmitn_trace_stats st;
    return vmitn_pcap_learn(a.trace, &cfg, stdout, a.out, &st);
}

typedef struct compare_args {
    const char *paths[2];
    int np;
    vmitn_compare_opts o;
} compare_args;

static int compare_opt(void *ctx, int key, const char *v)
{
    compare_args *a = ctx;
    char *end;
    switch (key) {
    case O_Z:
        if (v == NULL || (a->o.z = strtod(v, &end)) <= 0 || *end)
            return usage_error("--z needs a positive number, got '%s'", v ? v : "");
        return 0;
    case O_FORMAT:
        if (v != NULL && strcmp(v, "text") == 0)
            a->o.format = VMITN_COMPARE_TEXT;
        else if (v != NULL && strcmp(v, "json") == 0)
            a->o.format = VMITN_COMPARE_JSON;
        else if (v != NULL && strcmp(v, "junit") == 0)
            a->o.format = VMITN_COMPARE_JUNIT;
        else
            return usage_error("--format is text, json or junit, got '%s'", v ? v : "");
        return 0;
    case O_JUNIT:
        if (v == NULL || !*v)
            return usage_error("--junit needs a file");
        a->o.junit = v;
        return 0;
    }
    if (a->np == 2)
        return usage_error("compare: two folders, REF and NEW ('%s' is extra)", v);
    a->paths[a->np++] = v;
    return 0;
}

static int cmd_compare(const command *cmd, int argc, char **argv)
{
    compare_args a = {.o = {.z = 4, .format = VMITN_COMPARE_TEXT}};
    int rc = parse_options(cmd, argc, argv, compare_opt, &a);
    if (rc != 0)
        return PARSED(rc);
    if (a.np != 2)
        return usage_error("compare: needs REF and NEW folders");
    return vmitn_compare(a.paths[0], a.paths[1], &a.o, stdout);
}

/* The commands whose only arguments are operands (report, plot, topo, help): each takes
 * at most one, named what, and the options --out and --dot. */
typedef struct one_args {
    const char *what, *arg, *out;
    bool dot, html;
} one_args;

static int one_opt(void *ctx, int key, const char *v)
{
    one_args *a = ctx;
    if (key == 'o') {
        if (v == NULL || !*v)
            return usage_error(cmd_name != NULL && strcmp(cmd_name, "topo") == 0 ? "--out needs a file (.dot, .svg or .png)"
                                                                                  : "--out needs a folder");
        a->out = v;
    } else if (key == O_DOT) {
        a->dot = true;
    } else if (key == O_HTML) {
        a->html = true;
    } else if (a->arg != NULL) {
        return usage_error("%s: one %s at a time ('%s' is extra)", cmd_name, a->what, v);
    } else {
        a->arg = v;
    }
    return 0;
}

static int cmd_report(const command *cmd, int argc, char **argv)
{
    one_args a = {.what = "folder"};
    int rc = parse_options(cmd, argc, argv, one_opt, &a);
    if (rc != 0)
        return PARSED(rc);
    if (a.html) /* DIR/REPORT.html (html.c) */
        return vmitn_report_html(a.arg ? a.arg : "results");
    return vmitn_report(a.arg ? a.arg : "results");
}

/* plot: one folder, or several (variants on one axis, --out needed). */
typedef struct plot_args {
    const char **dirs, *out;
    int n;
} plot_args;

static int plot_opt(void *ctx, int key, const char *v)
{
    plot_args *a = ctx;
    if (key == 'o') {
        if (v == NULL || !*v)
            return usage_error("--out needs a folder");
        a->out = v;
    } else {
        a->dirs[a->n++] = v;
    }
    return 0;
}

static int cmd_plot(const command *cmd, int argc, char **argv)
{
    plot_args a = {.dirs = calloc((size_t)argc + 1, sizeof *a.dirs)};
    if (a.dirs == NULL)
        return VMITN_EXIT_IO;
    int rc = parse_options(cmd, argc, argv, plot_opt, &a);
    rc = rc != 0       ? PARSED(rc)
         : a.n == 0    ? usage_error("plot: which results folder?")
         : a.n == 1    ? vmitn_plot(a.dirs[0], a.out)
         : a.out == NULL ? usage_error("plot: several folders (variants on one axis) need --out PLOTS")
                         : vmitn_plot_variants(a.dirs, a.n, a.out);
    free(a.dirs);
    return rc;
}

static int cmd_topo(const command *cmd, int argc, char **argv)
{
    one_args a = {.what = "topology"};
    int rc = parse_options(cmd, argc, argv, one_opt, &a);
    if (rc != 0)
        return PARSED(rc);
    if (a.arg == NULL)
        return usage_error("topo: which topology file?");
    if (!a.dot && a.out == NULL)
        return usage_error("topo: say what to draw: --dot (to stdout) or --out FILE.dot|.svg|.png");
    return vmitn_topo_draw(a.arg, a.out);
}

static int cmd_help(const command *cmd, int argc, char **argv)
{
    one_args a = {.what = "command"};
    int rc = parse_options(cmd, argc, argv, one_opt, &a);
    if (rc != 0)
        return PARSED(rc);
    const command *c = NULL;
    if (a.arg != NULL && (c = find_command(a.arg)) == NULL)
        return usage_error("help: no command '%s'", a.arg);
    print_help(c, stdout);
    return VMITN_EXIT_OK;
}

static int cmd_version(const command *cmd, int argc, char **argv)
{
    one_args a = {.what = "nothing"};
    int rc = parse_options(cmd, argc, argv, one_opt, &a);
    if (rc != 0)
        return PARSED(rc);
    if (a.arg != NULL)
        return usage_error("version: takes no operand ('%s')", a.arg);
    printf("vmitn %s (commit %s)\n", VMITN_VERSION, vmitn_commit());
    return VMITN_EXIT_OK;
}

static int cmd_man(const command *cmd, int argc, char **argv);

static const char exit_text[] =
    "0\tsuccess\n"
    "1\tbad input: what a scenario, a parameter, a topology, a trace or a results file (compare, report, plot) "
    "says\n"
    "2\tbad command line\n"
    "3\ta file or folder could not be found, read or written (a scenario, topology or capture that is not there "
    "included), or exists already (see --force)\n"
    "4\tcompare found a difference beyond its band, or something of REF missing in NEW\n"
    "130\tinterrupted (Ctrl-C, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 or SIGPIPE); nothing is left half-written\n";

static const optdef run_opts[] = {
    {"param", 'p', required_argument, "name=value",
     "set a scenario parameter ('vmitn list'), or any model parameter as section.name in every experiment ('vmitn "
     "list --model'); a parameter set twice is refused"},
    {"runs", O_RUNS, required_argument, "N", "replications (default: the scenario's)"},
    {"seed", O_SEED, required_argument, "S", "master seed (default 1); the same seed gives byte-identical files"},
    {"out", 'o', required_argument, "DIR", "where NAME/ goes (default: vmitn-out; never results/, which make reproduce writes)"},
    {"force", 'f', no_argument, NULL, "replace an existing DIR/NAME/ (one vmitn wrote); without it, an existing folder is refused"},
    {"quiet", 'q', no_argument, NULL, "no progress, no 'wrote' line and no headline"},
    {"format", O_FORMAT, required_argument, "F",
     "text (default), or json: the headline as one JSON document (folder, experiments, metrics)"},
    {"pcap", O_PCAP, required_argument, "DIR", "write run R's packets as DIR/NAME/LABEL/<host>.pcap and smc.pcap"},
    {"pcap-run", O_PCAP_RUN, required_argument, "R", "the run to capture (default 0)"},
    {"jobs", 'j', required_argument, "J",
     "worker processes for each experiment's runs (default: the cores available); the files are byte-identical for "
     "every J"},
    {NULL, 0, 0, NULL, NULL},
};
static const optdef sweep_opts[] = {
    {"param", 'p', required_argument, "name=LIST", "a scenario or model (section.name) parameter and its values"},
    {"runs", O_RUNS, required_argument, "N", "replications per point (default: the scenario's, as for run)"},
    {"jobs", 'j', required_argument, "J", "worker processes (default: all cores)"},
    {"seed", O_SEED, required_argument, "S", "master seed (default 1)"},
    {"out", 'o', required_argument, "DIR", "the sweep's folder (default: vmitn-out/sweep-SCENARIO)"},
    {"force", 'f', no_argument, NULL, "start the folder's sweep afresh instead of resuming it"},
    {"quiet", 'q', no_argument, NULL, "no progress and no 'wrote' line"},
    {NULL, 0, 0, NULL, NULL},
};
static const optdef learn_opts[] = {
    {"param", 'p', required_argument, "name=value",
     "lambda, theta, half_life, lru_size or table_size (smc. may be prefixed); defaults as in the emulator"},
    {"out", 'o', required_argument, "DIR", "write rules.csv and summary.csv"},
    {NULL, 0, 0, NULL, NULL},
};
static const optdef list_opts[] = {
    {"model", O_MODEL, no_argument, NULL, "every model parameter with its default, unit, range and meaning"},
    {"calibrated", O_CALIBRATED, optional_argument, "FILE",
     "with --model: the values in effect after the calibrated defaults (FILE, default scenarios/calibrated.lua, "
     "beside or in the data folder) that the paper scenarios start from"},
    {NULL, 0, 0, NULL, NULL},
};
static const optdef compare_opts[] = {
    {"z", O_Z, required_argument, "Z", "band width in standard errors (default 4)"},
    {"format", O_FORMAT, required_argument, "F",
     "text (default), json (one object: summary, differences, warnings), or junit (JUnit XML)"},
    {"junit", O_JUNIT, required_argument, "FILE", "also write a JUnit XML report to FILE (what CI systems read)"},
    {NULL, 0, 0, NULL, NULL},
};
static const optdef report_opts[] = {
    {"html", O_HTML, no_argument, NULL,
     "instead DIR/REPORT.html, for any results folder: one self-contained page with every experiment's numbers, "
     "plots and runs, and each outbreak replayed over its topology from LABEL.events.csv (needs Graphviz's dot)"},
    {NULL, 0, 0, NULL, NULL},
};
static const optdef plot_opts[] = {
    {"out", 'o', required_argument, "PLOTS", "where the images go (default DIR/plots)"},
    {NULL, 0, 0, NULL, NULL},
};
static const optdef topo_opts[] = {
    {"dot", O_DOT, no_argument, NULL, "print the dot text"},
    {"out", 'o', required_argument, "FILE", "write FILE: .dot, or .svg/.png through Graphviz"},
    {NULL, 0, 0, NULL, NULL},
};
static const optdef bench_opts[] = {
    {"quick", O_QUICK, no_argument, NULL, "a short version"},
    {NULL, 0, 0, NULL, NULL},
};

static const command commands[] = {
    {"run", cmd_run,
     "run SCENARIO [-p name=value]... [--runs N] [--seed S] [--out DIR] [--force] [--quiet] [--format text|json] [--jobs J] [--pcap DIR [--pcap-run R]]",
     "run a scenario and write its results",
     "Runs SCENARIO (a .lua path, or a NAME found as scenarios/NAME.lua here or in the data folder) and writes "
     "DIR/NAME/: meta (scenario, version, commit, seed, runs, every parameter as resolved, per experiment), and per "
     "experiment LABEL.curve.csv, LABEL.runs.csv, LABEL.summary.csv, LABEL.rules.csv, LABEL.handovers.csv and, on "
     "topologies of at most 1,000 hosts (output.events), LABEL.events.csv. The "
     "folder is written under a temporary name and renamed when the scenario succeeds: a failed or interrupted run "
     "leaves nothing. Prints 'wrote DIR/NAME' and a headline per experiment (from its LABEL.summary.csv) at the end. Progress goes to stderr: a line that updates itself on a "
     "terminal, a line every 30 s elsewhere.\n",
     run_opts},
    {"sweep", cmd_sweep,
     "sweep SCENARIO -p name=LIST... [--runs N] [--jobs J] [--seed S] [--out DIR] [--force] [--quiet]",
     "run a scenario over a grid of parameter values",
     "Runs SCENARIO over the cartesian product of parameter values x runs as independent jobs, on J worker "
     "processes or over the ranks of mpirun (a build with make MPI=1). LIST is values and ranges: 100,200,300 or "
     "50:2000:50. Writes runs.csv, points.csv and meta. Resumable: the same command continues a stopped sweep; a "
     "folder holding another sweep is refused; a finished one is left as it is.\n",
     sweep_opts},
    {"learn", cmd_learn, "learn TRACE [-p name=value]... [--out DIR]", "run the SMC's pattern learner on a capture",
     "Feeds every IPv4 packet of TRACE (pcap or pcapng) to the learner the emulator uses, in capture order, and "
     "prints each rule with its capture time.\n",
     learn_opts},
    {"list", cmd_list, "list [DIR] | list --model [--calibrated[=FILE]]", "list scenarios, or model parameters",
     "Lists the scenarios of DIR (default: scenarios here, else the data folder's) with their parameters "
     "(default, range, unit, doc).\n",
     list_opts},
    {"compare", cmd_compare, "compare REF NEW [--z Z] [--format text|json|junit] [--junit FILE]",
     "regression check of NEW's results against REF's",
     "Checks that every experiment of REF agrees with NEW: headline metrics run by run (a paired t test and a "
     "sign test), curves once a second, hand-over steps from the summaries, all within bands of z standard errors "
     "of the run-to-run spread. Every experiment, file, column and row of REF must be in NEW, or it is a "
     "difference. A seed or a parameter that differs between the two is a warning. Exit 4 on any difference.\n",
     compare_opts},
    {"report", cmd_report, "report [DIR] [--html]", "write DIR/REPORT.md (--html: DIR/REPORT.html, any results folder)",
     "Writes DIR/REPORT.md (default DIR: results) from the scenarios' comparison tables: each paper figure beside "
     "the emulated one.\n",
     report_opts},
    {"plot", cmd_plot, "plot DIR [--out PLOTS] | plot A B [C...] --out PLOTS", "draw the plots of a results folder (gnuplot)",
     "Draws every experiment of DIR (one scenario's folder, or a folder of them) with gnuplot: the infected, "
     "healthy and down hosts against time for each experiment, with the axes from the topology's host count and "
     "the run's duration; the paper's figures (Table 1, Figs 9-12) get their own plots, with the paper's "
     "titles and reference marks when meta shows the paper's own setting (no -p override, the Fig 8 topology). "
     "A sweep folder: each metric against the swept parameter. Several folders A B ...: the experiments they share, "
     "each on one axis (mean and 95 % CI per folder, labelled by the parameters that differ). PNG and SVG go to "
     "PLOTS (default DIR/plots).\n",
     plot_opts},
    {"topo", cmd_topo, "topo FILE (--dot | --out FILE.dot|FILE.svg|FILE.png)", "draw a topology",
     "Reads a GraphML topology (or generate:SUBNETS:HOSTS:FANOUT) and writes it as Graphviz dot: routers, links "
     "with their bandwidth and delay, subnets with their hosts and front-end systems. SVG and PNG go through "
     "Graphviz's dot, if installed.\n",
     topo_opts},
    {"bench", cmd_bench, "bench [--quick]", "benchmarks (reported, not asserted)",
     "Times the event core, routing, the learner and the paper's scenarios on this machine.\n", bench_opts},
    {"help", cmd_help, "help [COMMAND]", "this text, or a command's",
     "Prints the help of COMMAND, or the list of commands.\n", NULL},
    {"version", cmd_version, "version", "the version and the commit it was built from (also -v, --version)",
     "Prints the version and the git commit of the build ('unknown' only when the build found no repository).\n",
     NULL},
    {"man", cmd_man, "man", "the manual page vmitn(1)",
     "Shows this manual page: through man(1) on a terminal (plain text when man is not installed), in roff "
     "otherwise ('vmitn man > vmitn.1'; make install installs it).\n",
     NULL},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0)
            return &commands[i];
    return NULL;
}

/* Prints text wrapped at 80 columns, every line indented by ind. */
static void wrap(FILE *out, const char *text, size_t len, int ind, int first)
{
    int col = first;
    const char *p = text, *end = text + len;
    if (col < ind) {
        fprintf(out, "%*s", ind - col, "");
        col = ind;
    }
    bool start = true;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *w = p;
        while (p < end && *p != ' ')
            p++;
        int wl = (int)(p - w);
        if (wl == 0)
            break;
        if (!start && col + 1 + wl > 80) {
            fprintf(out, "\n%*s", ind, "");
            col = ind;
            start = true;
        }
        if (!start) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", wl, w);
        col += wl;
        start = false;
    }
    fputc('\n', out);
}

/* The help text of c to a terminal: paragraphs wrapped, options in two columns. */
static void print_body(const char *text, FILE *out)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *tab = memchr(p, '\t', len);
        if (len == 0)
            fputc('\n', out);
        else if (tab != NULL) {
            int ol = (int)(tab - p);
            fprintf(out, "  %.*s", ol, p);
            wrap(out, tab + 1, len - (size_t)ol - 1, 24, 2 + ol < 23 ? 2 + ol : 80);
        } else
            wrap(out, p, len, 0, 0);
        p += len + (nl != NULL);
    }
}

/* An option line of the help: "  LABEL" and its text from column 24. */
static void print_opt(const optdef *d, FILE *out)
{
    char label[80];
    opt_label(d, label, sizeof label);
    int ol = (int)strlen(label);
    fprintf(out, "  %s%s", label, 2 + ol < 23 ? "" : "\n");
    wrap(out, d->help, strlen(d->help), 24, 2 + ol < 23 ? 2 + ol : 0);
}

static void print_help(const command *c, FILE *out)
{
    if (c != NULL) {
        fprintf(out, "usage: vmitn %s\n\n", c->synopsis);
        print_body(c->help, out);
        if (c->opts != NULL && c->opts[0].name != NULL) {
            fputc('\n', out);
            for (const optdef *d = c->opts; d->name; d++)
                print_opt(d, out);
        }
        return;
    }
    fputs("usage: vmitn <command> [options]   (vmitn <command> --help for its options)\n\n"
          "vmitn emulates the experiments of Sun & Chen's VMITN paper: a testbed, a Code Red\n"
          "emulator, a TFN2K flood, front-end hand-over and pattern learning.  Commands:\n\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nexit codes:\n", out);
    print_body(exit_text, out);
}

/* Writes s with roff's special characters escaped. */
static void roff(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\')
            fputs("\\e", out);
        else if (s[i] == '-')
            fputs("\\-", out);
        else if ((s[i] == '.' || s[i] == '\'') && (i == 0 || s[i - 1] == '\n'))
            fprintf(out, "\\&%c", s[i]);
        else
            fputc(s[i], out);
    }
}

static void roff_body(FILE *out, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *tab = memchr(p, '\t', len);
        if (len == 0)
            fputs(".PP\n", out);
        else if (tab != NULL) {
            fputs(".TP\n\\fB", out);
            roff(out, p, (size_t)(tab - p));
            fputs("\\fR\n", out);
            roff(out, tab + 1, len - (size_t)(tab - p) - 1);
            fputc('\n', out);
        } else {
            roff(out, p, len);
            fputc('\n', out);
        }
        p += len + (nl != NULL);
    }
}

/* The manual page in roff. */
static void man_roff(FILE *out)
{
    fprintf(out, ".\\\" vmitn(1), generated by 'vmitn man' from the text of 'vmitn CMD --help'\n");
    fprintf(out, ".TH VMITN 1 \"\" \"vmitn %s\" \"User Commands\"\n.SH NAME\nvmitn \\- emulate the VMITN "
                 "paper's intrusion-tolerance experiments\n.SH SYNOPSIS\n", VMITN_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fputs(".br\n\\fBvmitn\\fR ", out);
        roff(out, commands[i].synopsis, strlen(commands[i].synopsis));
        fputc('\n', out);
    }
    fputs(".SH DESCRIPTION\nA discrete-event network emulator that replays the experiments of Sun & Chen, "
          "VMITN: a 4-subnet / 6-router testbed, a Code Red emulator, a TFN2K flood, front-end systems that hand "
          "an infected guest over to a clean backup, and a security management center whose pattern learner has "
          "every host block what it learned. Scenarios are Lua 5.4 files.\n.PP\nEvery command takes -h or --help, "
          "long options as --name VALUE or --name=VALUE (or a unique prefix of the name), and short ones "
          "clustered (-qp name=value, -j2).\n.SH COMMANDS\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fputs(".SS ", out);
        roff(out, commands[i].name, strlen(commands[i].name));
        fputs("\n\\fBvmitn\\fR ", out);
        roff(out, commands[i].synopsis, strlen(commands[i].synopsis));
        fputs("\n.PP\n", out);
        roff_body(out, commands[i].help);
        for (const optdef *d = commands[i].opts; d && d->name; d++) {
            char label[80];
            opt_label(d, label, sizeof label);
            fputs(".TP\n\\fB", out);
            roff(out, label, strlen(label));
            fputs("\\fR\n", out);
            roff(out, d->help, strlen(d->help));
            fputc('\n', out);
        }
    }
    fputs(".SH FILES\n.TP\n\\fIPREFIX\\fR/share/vmitn\nthe data folder: scenarios/, topologies/ and plots/ "
          "(gnuplot scripts). A scenario's includes and topologies are looked up beside the scenario first, then "
          "here.\n.SH ENVIRONMENT\n.TP\n\\fBVMITN_DATA\\fR\nanother data folder\n.SH EXIT STATUS\n",
          out);
    roff_body(out, exit_text);
    fputs(".SH SEE ALSO\n\\fBgnuplot\\fR(1), \\fBdot\\fR(1), \\fBmpirun\\fR(1)\n", out);
}

/* Whether PATH has an executable named name. */
static bool on_path(const char *name)
{
    const char *path = getenv("PATH");
    while (path != NULL && *path) {
        size_t n = strcspn(path, ":");
        char f[4200];
        snprintf(f, sizeof f, "%.*s/%s", (int)(n ? n : 1), n ? path : ".", name);
        if (n < 4000 && access(f, X_OK) == 0)
            return true;
        path += n + (path[n] == ':');
    }
    return false;
}

/* vmitn man: roff when stdout is a file or a pipe (the Makefile builds vmitn.1 so); on a
 * terminal, the page through `man -l -` (its pager), or plain text without man. */
static int cmd_man(const command *cmd, int argc, char **argv)
{
    one_args a = {.what = "nothing"};
    int rc = parse_options(cmd, argc, argv, one_opt, &a);
    if (rc != 0)
        return PARSED(rc);
    if (a.arg != NULL)
        return usage_error("man: takes no operand ('%s')", a.arg);
    if (!isatty(STDOUT_FILENO)) {
        man_roff(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? VMITN_EXIT_OK : VMITN_EXIT_IO;
    }
    if (on_path("man")) {
        fflush(stdout);
        FILE *p = popen("man -l -", "w");
        if (p != NULL) {
            man_roff(p);
            int st = pclose(p);
            if (st == 0)
                return VMITN_EXIT_OK;
            fprintf(stderr, "vmitn: man: 'man -l -' failed; the plain text follows\n");
        }
    }
    print_help(NULL, stdout);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fputc('\n', stdout);
        print_help(&commands[i], stdout);
    }
    return VMITN_EXIT_OK;
}

static bool is_arg(const char *a, const char *s, const char *l) { return strcmp(a, s) == 0 || strcmp(a, l) == 0; }

int main(int argc, char **argv)
{
    vmitn_interrupt_install(); /* Ctrl-C and SIGTERM: exit 130, nothing half-written */
    if (argc < 2) {
        print_help(NULL, stderr);
        return VMITN_EXIT_USAGE;
    }
    const command *c = find_command(argv[1]);
    if (is_arg(argv[1], "-h", "--help")) /* vmitn --help [COMMAND] */
        c = find_command("help");
    else if (is_arg(argv[1], "-v", "--version"))
        c = find_command("version");
    if (c == NULL) {
        if (argv[1][0] == '-') {
            static const char *const top[] = {"--help", "--version"};
            const char *near = vmitn_suggest(argv[1], top, 2);
            fprintf(stderr, "vmitn: unknown option '%s'%s%s%s (a command's options come after it)\n(see 'vmitn --help')\n",
                    argv[1], near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
            return VMITN_EXIT_USAGE;
        }
        const char *names[NCOMMANDS];
        for (size_t i = 0; i < NCOMMANDS; i++)
            names[i] = commands[i].name;
        const char *near = vmitn_suggest(argv[1], names, NCOMMANDS);
        fprintf(stderr, "vmitn: unknown command '%s'%s%s%s\n(see 'vmitn --help')\n", argv[1],
                near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        return VMITN_EXIT_USAGE;
    }
    cmd_name = c->name;
    return c->fn(c, argc - 1, argv + 1);
}
