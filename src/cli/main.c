/* main.c — the vmitn command line: a table of subcommands {name, fn, synopsis, help},
 * each a thin layer over the library.  `vmitn --help`, `vmitn CMD --help` and the manual
 * page (`vmitn man`, installed as vmitn(1)) are printed from the same table.  Exit codes
 * are fixed (util.h, README.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef VMITN_MPI
#include <mpi.h>
#endif

#include "vmitn/bench.h"
#include "vmitn/compare.h"
#include "vmitn/model.h"
#include "vmitn/paths.h"
#include "vmitn/pcapio.h"
#include "vmitn/plot.h"
#include "vmitn/scenario.h"
#include "vmitn/suggest.h"
#include "vmitn/sweep.h"
#include "vmitn/util.h"
#include "vmitn/version.h"

/* One subcommand.  help: paragraphs separated by empty lines; a line holding a tab is an
 * option, "OPTION\tWHAT IT DOES". */
typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *synopsis; /* after "vmitn " */
    const char *summary;  /* one line */
    const char *help;
} command;

static const command *find_command(const char *name);
static void print_help(const command *c, FILE *out);

static const char *cmd_name; /* for messages: the subcommand being run */

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "vmitn: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'vmitn %s%s--help')\n", cmd_name ? cmd_name : "", cmd_name ? " " : "");
    return VMITN_EXIT_USAGE;
}

/* Parses a whole unsigned decimal number; -1 if s is not one. */
static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    if (*s < '0' || *s > '9')
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

/* Consumes argv[*i] (and its value) if it is a shared option: returns 1, 0 when it is
 * not one, or a VMITN_EXIT_USAGE code (negated) after printing the message. */
static int common_arg(common_args *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    unsigned long long n;
    if (strcmp(a, "-p") == 0 || strcmp(a, "--param") == 0) {
        if (v == NULL)
            return -usage_error("%s needs name=value", a);
        c->set[c->nset++] = v;
        ++*i;
    } else if (strncmp(a, "-p", 2) == 0 && a[2]) {
        c->set[c->nset++] = a + 2;
    } else if (strcmp(a, "--runs") == 0) {
        if (v == NULL || parse_u64(v, 100000, &n) < 0 || n == 0)
            return -usage_error("--runs needs a whole number from 1 to 100000, got '%s'", v ? v : "");
        c->runs = (unsigned)n;
        ++*i;
    } else if (strcmp(a, "--seed") == 0) {
        if (v == NULL || parse_u64(v, UINT64_MAX, &n) < 0)
            return -usage_error("--seed needs a whole number >= 0, got '%s'", v ? v : "");
        c->seed = n;
        ++*i;
    } else if (strcmp(a, "--out") == 0) {
        if (v == NULL || !*v)
            return -usage_error("--out needs a folder%s", "");
        c->out = v;
        ++*i;
    } else if (strcmp(a, "--force") == 0) {
        c->force = true;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
        c->quiet = true;
    } else if (a[0] == '-') {
        return 0;
    } else if (c->scenario == NULL) {
        c->scenario = a;
    } else {
        fprintf(stderr, "vmitn: %s: one scenario at a time ('%s' is extra)\n(see 'vmitn %s --help')\n", c->cmd, a,
                c->cmd);
        return -VMITN_EXIT_USAGE;
    }
    return 1;
}

static int cmd_run(int argc, char **argv)
{
    common_args c = {.cmd = "run", .seed = 1};
    c.set = calloc((size_t)argc, sizeof *c.set);
    if (c.set == NULL)
        return VMITN_EXIT_IO;
    vmitn_run_opts o = {.runs = -1};
    int rc = VMITN_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n;
        int k = common_arg(&c, argc, argv, &i);
        if (k < 0) {
            rc = -k;
            goto out;
        }
        if (k > 0)
            continue;
        if (strcmp(a, "--pcap") == 0) {
            if (v == NULL || !*v) {
                rc = usage_error("--pcap needs a folder%s", "");
                goto out;
            }
            o.pcap_dir = v;
            i++;
        } else if (strcmp(a, "--pcap-run") == 0) {
            if (v == NULL || parse_u64(v, 100000, &n) < 0) {
                rc = usage_error("--pcap-run needs a run number, got '%s'", v ? v : "");
                goto out;
            }
            o.pcap_run = (unsigned)n;
            i++;
        } else if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
            if (v == NULL || parse_u64(v, 4096, &n) < 0 || n == 0) {
                rc = usage_error("--jobs needs a whole number from 1 to 4096, got '%s'", v ? v : "");
                goto out;
            }
            o.jobs = (unsigned)n;
            i++;
        } else {
            rc = usage_error("run: unknown option '%s'", a);
            goto out;
        }
    }
    if (c.scenario == NULL) {
        rc = usage_error("%s: which scenario? ('vmitn list' shows them)", c.cmd);
        goto out;
    }
    o.scenario = c.scenario;
    o.out = c.out;
    o.force = c.force;
    o.seed = c.seed;
    o.runs = c.runs ? (int)c.runs : -1;
    o.set = c.set;
    o.nset = c.nset;
    o.quiet = c.quiet;
    rc = vmitn_scenario_run(&o);
out:
    free(c.set);
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    const char *dir = NULL, *calibrated = NULL;
    bool model = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0)
            model = true;
        else if (strcmp(argv[i], "--calibrated") == 0)
            calibrated = "calibrated";
        else if (strncmp(argv[i], "--calibrated=", 13) == 0 && argv[i][13])
            calibrated = argv[i] + 13;
        else if (argv[i][0] == '-')
            return usage_error("list: unknown option '%s'", argv[i]);
        else if (dir == NULL)
            dir = argv[i];
        else
            return usage_error("list: one folder at most ('%s' is extra)", argv[i]);
    }
    if (calibrated && !model)
        return usage_error("list: --calibrated goes with --model%s", "");
    if (model) {
        if (dir != NULL)
            return usage_error("list: --model takes no folder ('%s')", dir);
        return vmitn_scenario_list_model(calibrated, stdout);
    }
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

static int cmd_bench(int argc, char **argv)
{
    bool quick = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = true;
        else
            return usage_error("bench: unknown option '%s'", argv[i]);
    }
    return vmitn_bench(quick, stdout);
}

static int cmd_sweep(int argc, char **argv)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    common_args c = {.cmd = "sweep", .seed = 1};
    c.set = calloc((size_t)argc, sizeof *c.set);
    if (c.set == NULL)
        return VMITN_EXIT_IO;
    vmitn_sweep_opts o = {.runner = vmitn_scenario_sweep_runner(), .jobs = ncpu > 0 ? (unsigned)ncpu : 1};
    int rc = VMITN_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n;
        int k = common_arg(&c, argc, argv, &i);
        if (k < 0) {
            rc = -k;
            goto out;
        }
        if (k > 0)
            continue;
        if (strcmp(a, "--jobs") == 0) {
            if (v == NULL || parse_u64(v, 4096, &n) < 0 || n == 0) {
                rc = usage_error("--jobs needs a whole number from 1 to 4096, got '%s'", v ? v : "");
                goto out;
            }
            o.jobs = (unsigned)n;
            i++;
        } else {
            rc = usage_error("sweep: unknown option or missing value '%s'", a);
            goto out;
        }
    }
    if (c.scenario == NULL) {
        rc = usage_error("%s: which scenario? ('vmitn list' shows them)", c.cmd);
        goto out;
    }
    o.scenario = c.scenario;
    o.set = c.set;
    o.nset = c.nset;
    o.runs = c.runs;
    o.seed = c.seed;
    o.out = c.out;
    o.quiet = c.quiet;
    o.force = c.force;
    if (o.runs == 0) {
        /* the scenario's own number of runs, as `run` takes it */
        vmitn_run_opts ro = {.scenario = c.scenario, .seed = c.seed, .runs = -1, .quiet = true, .runs_used = &o.runs};
        rc = vmitn_scenario_check(&ro);
        if (rc != VMITN_EXIT_OK)
            goto out;
    }
#ifdef VMITN_MPI
    MPI_Init(NULL, NULL);
    rc = vmitn_sweep(&o);
    MPI_Finalize();
#else
    rc = vmitn_sweep(&o);
#endif
out:
    free(c.set);
    return rc;
}

static int cmd_learn(int argc, char **argv)
{
    vmitn_model_cfg d;
    vmitn_model_cfg_default(&d);
    const char *trace = NULL, *out = NULL;
    static const char *const names[] = {"lambda", "theta", "half_life", "lru_size", "table_size"};
    bool seen[5] = {false};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-p") == 0 && v) {
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
            if (seen[k])
                return usage_error("learn: %s is set twice", names[k]);
            seen[k] = true;
            /* the checker of `run -p smc.NAME`: the same types, ranges and messages */
            char key[32], err[VMITN_ERRLEN];
            snprintf(key, sizeof key, "smc.%s", names[k]);
            if (vmitn_param_parse(key, eq + 1, &d, err, sizeof err) < 0) {
                fprintf(stderr, "vmitn: learn: -p %s: %s\n", v, err);
                return VMITN_EXIT_INPUT;
            }
            i++;
        } else if (strcmp(a, "--out") == 0 && v && *v) {
            out = v;
            i++;
        } else if (a[0] == '-') {
            return usage_error("learn: unknown option or missing value '%s'", a);
        } else if (trace == NULL) {
            trace = a;
        } else {
            return usage_error("learn: one capture at a time ('%s' is extra)", a);
        }
    }
    if (trace == NULL)
        return usage_error("learn: which capture?%s", "");
    vmitn_learner_cfg cfg = {.lambda = d.smc.lambda, .theta = d.smc.theta, .lru_size = (unsigned)d.smc.lru_size,
                             .table_size = (unsigned)d.smc.table_size, .half_life = vmitn_secs(d.smc.half_life)};
    vmitn_trace_stats st;
    return vmitn_pcap_learn(trace, &cfg, stdout, out, &st);
}

static int cmd_compare(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL}, *junit = NULL;
    int np = 0;
    vmitn_compare_opts o = {.z = 4, .format = VMITN_COMPARE_TEXT};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--z") == 0) {
            char *end;
            if (v == NULL || (o.z = strtod(v, &end)) <= 0 || *end)
                return usage_error("--z needs a positive number, got '%s'", v ? v : "");
            i++;
        } else if (strcmp(a, "--format") == 0) {
            if (v != NULL && strcmp(v, "text") == 0)
                o.format = VMITN_COMPARE_TEXT;
            else if (v != NULL && strcmp(v, "json") == 0)
                o.format = VMITN_COMPARE_JSON;
            else if (v != NULL && strcmp(v, "junit") == 0)
                o.format = VMITN_COMPARE_JUNIT;
            else
                return usage_error("--format is text, json or junit, got '%s'", v ? v : "");
            i++;
        } else if (strcmp(a, "--junit") == 0) {
            if (v == NULL || !*v)
                return usage_error("--junit needs a file%s", "");
            junit = v;
            i++;
        } else if (a[0] == '-') {
            return usage_error("compare: unknown option '%s'", a);
        } else if (np < 2) {
            paths[np++] = a;
        } else {
            return usage_error("compare: two folders, REF and NEW ('%s' is extra)", a);
        }
    }
    if (np != 2)
        return usage_error("compare: needs REF and NEW folders%s", "");
    o.junit = junit;
    return vmitn_compare(paths[0], paths[1], &o, stdout);
}

static int cmd_report(int argc, char **argv)
{
    if (argc > 2)
        return usage_error("report: one folder at most ('%s' is extra)", argv[2]);
    if (argc == 2 && argv[1][0] == '-')
        return usage_error("report: unknown option '%s'", argv[1]);
    return vmitn_report(argc == 2 ? argv[1] : "results");
}

static int cmd_plot(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--out") == 0) {
            if (v == NULL || !*v)
                return usage_error("--out needs a folder%s", "");
            out = v;
            i++;
        } else if (a[0] == '-') {
            return usage_error("plot: unknown option '%s'", a);
        } else if (dir == NULL) {
            dir = a;
        } else {
            return usage_error("plot: one results folder at a time ('%s' is extra)", a);
        }
    }
    if (dir == NULL)
        return usage_error("plot: which results folder?%s", "");
    return vmitn_plot(dir, out);
}

static int cmd_topo(int argc, char **argv)
{
    const char *file = NULL, *out = NULL;
    bool dot = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--dot") == 0) {
            dot = true;
        } else if (strcmp(a, "--out") == 0) {
            if (v == NULL || !*v)
                return usage_error("--out needs a file (.dot, .svg or .png)%s", "");
            out = v;
            i++;
        } else if (a[0] == '-') {
            return usage_error("topo: unknown option '%s'", a);
        } else if (file == NULL) {
            file = a;
        } else {
            return usage_error("topo: one topology at a time ('%s' is extra)", a);
        }
    }
    if (file == NULL)
        return usage_error("topo: which topology file?%s", "");
    if (!dot && out == NULL)
        return usage_error("topo: say what to draw: --dot (to stdout) or --out FILE.dot|.svg|.png%s", "");
    return vmitn_topo_draw(file, out);
}

static int cmd_help(int argc, char **argv)
{
    if (argc >= 2) {
        const command *c = find_command(argv[1]);
        if (c == NULL)
            return usage_error("help: no command '%s'", argv[1]);
        print_help(c, stdout);
        return VMITN_EXIT_OK;
    }
    print_help(NULL, stdout);
    return VMITN_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("vmitn %s (commit %s)\n", VMITN_VERSION, vmitn_commit());
    return VMITN_EXIT_OK;
}

static int cmd_man(int argc, char **argv);

static const char exit_text[] =
    "0\tsuccess\n"
    "1\tbad input: a scenario, a parameter, a topology or a trace\n"
    "2\tbad command line\n"
    "3\ta file or folder could not be read or written, or exists already (see --force)\n"
    "4\tcompare found a difference beyond its band, or something of REF missing in NEW\n"
    "130\tinterrupted (Ctrl-C or SIGTERM); nothing is left half-written\n";

static const command commands[] = {
    {"run", cmd_run,
     "run SCENARIO [-p name=value]... [--runs N] [--seed S] [--out DIR] [--force] [--quiet] [--jobs J] [--pcap DIR [--pcap-run R]]",
     "run a scenario and write its results",
     "Runs SCENARIO (a .lua path, or a NAME found as scenarios/NAME.lua here or in the data folder) and writes "
     "DIR/NAME/: meta (scenario, version, commit, seed, runs, every parameter as resolved, per experiment), and per "
     "experiment LABEL.curve.csv, LABEL.runs.csv, LABEL.summary.csv, LABEL.rules.csv and LABEL.handovers.csv. The "
     "folder is written under a temporary name and renamed when the scenario succeeds: a failed or interrupted run "
     "leaves nothing. Prints 'wrote DIR/NAME' at the end.\n"
     "\n"
     "-p name=value\tset a scenario parameter ('vmitn list'), or any model parameter as section.name in every "
     "experiment ('vmitn list --model'); a parameter set twice is refused\n"
     "--runs N\treplications (default: the scenario's)\n"
     "--seed S\tmaster seed (default 1); the same seed gives byte-identical files\n"
     "--out DIR\twhere NAME/ goes (default: vmitn-out; never results/, which make reproduce writes)\n"
     "--force\treplace an existing DIR/NAME/ (one vmitn wrote); without it, an existing folder is refused\n"
     "--quiet, -q\tno progress and no 'wrote' line\n"
     "--pcap DIR\twrite run R's packets as DIR/NAME/LABEL/<host>.pcap and smc.pcap\n"
     "--pcap-run R\tthe run to capture (default 0)\n"
     "--jobs J, -j J\tworker processes for each experiment's runs (default: the cores available); the files are "
     "byte-identical for every J\n"},
    {"sweep", cmd_sweep,
     "sweep SCENARIO -p name=LIST... [--runs N] [--jobs J] [--seed S] [--out DIR] [--force] [--quiet]",
     "run a scenario over a grid of parameter values",
     "Runs SCENARIO over the cartesian product of parameter values x runs as independent jobs, on J worker "
     "processes or over the ranks of mpirun (a build with make MPI=1). LIST is values and ranges: 100,200,300 or "
     "50:2000:50. Writes runs.csv, points.csv and meta. Resumable: the same command continues a stopped sweep; a "
     "folder holding another sweep is refused; a finished one is left as it is.\n"
     "\n"
     "-p name=LIST\ta scenario or model (section.name) parameter and its values\n"
     "--runs N\treplications per point (default: the scenario's, as for run)\n"
     "--jobs J\tworker processes (default: all cores)\n"
     "--seed S\tmaster seed (default 1)\n"
     "--out DIR\tthe sweep's folder (default: vmitn-out/sweep-SCENARIO)\n"
     "--force\tstart the folder's sweep afresh instead of resuming it\n"
     "--quiet, -q\tno progress and no 'wrote' line\n"},
    {"learn", cmd_learn, "learn TRACE [-p name=value]... [--out DIR]",
     "run the SMC's pattern learner on a capture",
     "Feeds every IPv4 packet of TRACE (pcap or pcapng) to the learner the emulator uses, in capture order, and "
     "prints each rule with its capture time.\n"
     "\n"
     "-p name=value\tlambda, theta, half_life, lru_size or table_size (smc. may be prefixed); defaults as in "
     "the emulator\n"
     "--out DIR\twrite rules.csv and summary.csv\n"},
    {"list", cmd_list, "list [DIR] | list --model [--calibrated[=FILE]]",
     "list scenarios, or model parameters",
     "Lists the scenarios of DIR (default: scenarios here, else the data folder's) with their parameters "
     "(default, range, unit, doc).\n"
     "\n"
     "--model\tevery model parameter with its default, unit, range and meaning\n"
     "--calibrated[=FILE]\twith --model: the values in effect after the calibrated defaults (FILE, default "
     "scenarios/calibrated.lua, beside or in the data folder) that the paper scenarios start from\n"},
    {"compare", cmd_compare, "compare REF NEW [--z Z] [--format text|json|junit] [--junit FILE]",
     "regression check of NEW's results against REF's",
     "Checks that every experiment of REF agrees with NEW: headline metrics run by run (a paired t test and a "
     "sign test), curves once a second, hand-over steps from the summaries, all within bands of z standard errors "
     "of the run-to-run spread. Every experiment, file, column and row of REF must be in NEW, or it is a "
     "difference. A seed or a parameter that differs between the two is a warning. Exit 4 on any difference.\n"
     "\n"
     "--z Z\tband width in standard errors (default 4)\n"
     "--format F\ttext (default), json (one object: summary, differences, warnings), or junit (JUnit XML)\n"
     "--junit FILE\talso write a JUnit XML report to FILE (what CI systems read)\n"},
    {"report", cmd_report, "report [DIR]", "write DIR/REPORT.md",
     "Writes DIR/REPORT.md (default DIR: results) from the scenarios' comparison tables: each paper figure beside "
     "the emulated one.\n"},
    {"plot", cmd_plot, "plot DIR [--out PLOTS]", "draw the plots of a results folder (gnuplot)",
     "Draws every experiment of DIR (one scenario's folder, or a folder of them) with gnuplot: the infected, "
     "healthy and down hosts against time for each experiment, with the axes from the topology's host count and "
     "the run's duration; the paper's figures (Table 1, Figs 9-12) get their own plots with the paper's "
     "reference marks. PNG and SVG go to PLOTS (default DIR/plots).\n"},
    {"topo", cmd_topo, "topo FILE (--dot | --out FILE.dot|FILE.svg|FILE.png)", "draw a topology",
     "Reads a GraphML topology (or generate:SUBNETS:HOSTS:FANOUT) and writes it as Graphviz dot: routers, links "
     "with their bandwidth and delay, subnets with their hosts and front-end systems. SVG and PNG go through "
     "Graphviz's dot, if installed.\n"
     "\n"
     "--dot\tprint the dot text\n"
     "--out FILE\twrite FILE: .dot, or .svg/.png through Graphviz\n"},
    {"bench", cmd_bench, "bench [--quick]", "benchmarks (reported, not asserted)",
     "Times the event core, routing, the learner and the paper's scenarios on this machine.\n"
     "\n"
     "--quick\ta short version\n"},
    {"help", cmd_help, "help [COMMAND]", "this text, or a command's", "Prints the help of COMMAND, or the list of commands.\n"},
    {"version", cmd_version, "version", "the version and the commit it was built from",
     "Prints the version and the git commit of the build ('unknown' when built without git).\n"},
    {"man", cmd_man, "man", "the manual page vmitn(1) in roff", "Prints this manual page in roff (make install installs it).\n"},
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

static void print_help(const command *c, FILE *out)
{
    if (c != NULL) {
        fprintf(out, "usage: vmitn %s\n\n", c->synopsis);
        print_body(c->help, out);
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

static int cmd_man(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    FILE *out = stdout;
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
          "every host block what it learned. Scenarios are Lua 5.4 files.\n.SH COMMANDS\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fputs(".SS ", out);
        roff(out, commands[i].name, strlen(commands[i].name));
        fputs("\n\\fBvmitn\\fR ", out);
        roff(out, commands[i].synopsis, strlen(commands[i].synopsis));
        fputs("\n.PP\n", out);
        roff_body(out, commands[i].help);
    }
    fputs(".SH FILES\n.TP\n\\fIPREFIX\\fR/share/vmitn\nthe data folder: scenarios/, topologies/ and plots/ "
          "(gnuplot scripts). A scenario's includes and topologies are looked up beside the scenario first, then "
          "here.\n.SH ENVIRONMENT\n.TP\n\\fBVMITN_DATA\\fR\nanother data folder\n.SH EXIT STATUS\n",
          out);
    roff_body(out, exit_text);
    fputs(".SH SEE ALSO\n\\fBgnuplot\\fR(1), \\fBdot\\fR(1), \\fBmpirun\\fR(1)\n", out);
    return VMITN_EXIT_OK;
}

static bool is_help(const char *a) { return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0; }

int main(int argc, char **argv)
{
    vmitn_interrupt_install(); /* Ctrl-C and SIGTERM: exit 130, nothing half-written */
    if (argc < 2) {
        print_help(NULL, stderr);
        return VMITN_EXIT_USAGE;
    }
    if (is_help(argv[1]))
        return cmd_help(1, argv);
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv);
    const command *c = find_command(argv[1]);
    if (c == NULL) {
        const char *names[NCOMMANDS];
        for (size_t i = 0; i < NCOMMANDS; i++)
            names[i] = commands[i].name;
        const char *near = vmitn_suggest(argv[1], names, NCOMMANDS);
        fprintf(stderr, "vmitn: unknown command '%s'%s%s%s\n(see 'vmitn --help')\n", argv[1],
                near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        return VMITN_EXIT_USAGE;
    }
    cmd_name = c->name;
    for (int i = 2; i < argc; i++)
        if (is_help(argv[i])) {
            print_help(c, stdout);
            return VMITN_EXIT_OK;
        }
    return c->fn(argc - 1, argv + 1);
}
