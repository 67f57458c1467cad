/* main.c — the vmitn command line: a table of subcommands, each a thin layer over the
 * library.  Exit codes are fixed (util.h, README.md). */
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
#include "vmitn/pcapio.h"
#include "vmitn/scenario.h"
#include "vmitn/sweep.h"
#include "vmitn/util.h"
#include "vmitn/version.h"

static const char usage_text[] =
    "usage: vmitn <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO [-p name=value]... [--runs N] [--seed S] [--out DIR] [--quiet]\n"
    "      [--pcap DIR [--pcap-run R]]\n"
    "        run a scenario (a .lua path, or a name in scenarios/); writes DIR/NAME/\n"
    "        (default DIR: results).  -p sets a scenario parameter, or any model\n"
    "        parameter as section.name (e.g. -p smc.theta=200) in every experiment;\n"
    "        --pcap writes run R's packets (default 0) as DIR/NAME/LABEL/<host>.pcap\n"
    "  sweep SCENARIO -p name=LIST... [--runs N] [--jobs J] [--seed S] [--out DIR] [--quiet]\n"
    "        the scenario over the cartesian product of parameter values x runs, on J\n"
    "        worker processes (default: all cores), or over ranks under mpirun (a build\n"
    "        with make MPI=1); LIST is values and ranges: 100,200,300 or 50:2000:50.\n"
    "        Resumable: the same command continues a stopped sweep\n"
    "  learn TRACE [-p name=value]... [--out DIR]\n"
    "        the SMC's pattern learner on a pcap or pcapng capture (lambda, theta,\n"
    "        half_life, lru_size, table_size; defaults as in the emulator)\n"
    "  list [--model] [DIR]\n"
    "        list the scenarios of DIR (default scenarios) with their parameters;\n"
    "        --model lists every model parameter with its default, unit and range\n"
    "  compare REF NEW [--z Z]\n"
    "        regression check: NEW's curves and metrics against REF's, within bands\n"
    "        from both sides' run-to-run spread (z standard errors, default 4)\n"
    "  report [DIR]\n"
    "        write DIR/REPORT.md (default DIR: results): paper vs emulated\n"
    "  bench [--quick]\n"
    "        benchmarks of the event core and the model (reported, not asserted)\n"
    "  help, --help     this text\n"
    "  version, --version\n"
    "\n"
    "exit codes: 0 ok, 1 bad input (scenario, parameter, topology), 2 bad command line,\n"
    "            3 a file or folder could not be read or written,\n"
    "            4 compare found a difference beyond its band\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "vmitn: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'vmitn --help')\n");
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

/* The options run and sweep share: -p, --runs, --seed, --out, --quiet and the scenario. */
typedef struct common_args {
    const char *cmd, *scenario, *out;
    const char **set;
    unsigned nset, runs; /* runs 0: not given */
    uint64_t seed;
    bool quiet;
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
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
        c->quiet = true;
    } else if (a[0] == '-') {
        return 0;
    } else if (c->scenario == NULL) {
        c->scenario = a;
    } else {
        fprintf(stderr, "vmitn: %s: one scenario at a time ('%s' is extra)\n(see 'vmitn --help')\n", c->cmd, a);
        return -VMITN_EXIT_USAGE;
    }
    return 1;
}

static int cmd_run(int argc, char **argv)
{
    common_args c = {.cmd = "run", .out = "results", .seed = 1};
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
        } else {
            rc = usage_error("run: unknown option '%s'", a);
            goto out;
        }
    }
    if (c.scenario == NULL) {
        rc = usage_error("%s: which scenario?", c.cmd);
        goto out;
    }
    o.scenario = c.scenario;
    o.out = c.out;
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

static void list_model(void)
{
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    const char *sec = NULL;
    for (size_t i = 0; i < n; i++) {
        if (sec == NULL || strcmp(sec, d[i].section) != 0) {
            sec = d[i].section;
            printf("%s\n", *sec ? sec : "(top level)");
        }
        const char *f = (const char *)&c + d[i].off;
        char val[96];
        switch (d[i].kind) {
        case VMITN_P_NUM: snprintf(val, sizeof val, "%g", *(const double *)f); break;
        case VMITN_P_INT: snprintf(val, sizeof val, "%d", *(const int *)f); break;
        case VMITN_P_BOOL: snprintf(val, sizeof val, "%s", *(const bool *)f ? "true" : "false"); break;
        case VMITN_P_STR: snprintf(val, sizeof val, "\"%s\"", f); break;
        case VMITN_P_ENUM: snprintf(val, sizeof val, "\"%s\"", d[i].choices[*(const int *)f]); break;
        }
        char range[64] = "";
        if (d[i].kind == VMITN_P_NUM || d[i].kind == VMITN_P_INT)
            snprintf(range, sizeof range, "[%g, %g] %s", d[i].min, d[i].max, d[i].unit);
        printf("  %-14s = %-12s %-26s %s\n", d[i].name, val, range, d[i].doc);
    }
}

static int cmd_list(int argc, char **argv)
{
    const char *dir = "scenarios";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0) {
            list_model();
            return VMITN_EXIT_OK;
        }
        if (argv[i][0] == '-')
            return usage_error("list: unknown option '%s'", argv[i]);
        dir = argv[i];
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
    vmitn_sweep_opts o = {.jobs = ncpu > 0 ? (unsigned)ncpu : 1};
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
        rc = usage_error("%s: which scenario?", c.cmd);
        goto out;
    }
    o.scenario = c.scenario;
    o.set = c.set;
    o.nset = c.nset;
    o.runs = c.runs ? c.runs : 1;
    o.seed = c.seed;
    o.out = c.out;
    o.quiet = c.quiet;
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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-p") == 0 && v) {
            const char *eq = strchr(v, '=');
            const char *name = strncmp(v, "smc.", 4) == 0 ? v + 4 : v;
            size_t nl = eq ? (size_t)(eq - name) : 0;
            static const char *const known[] = {"lambda", "theta", "half_life", "lru_size", "table_size", NULL};
            int k = 0;
            while (known[k] && (strlen(known[k]) != nl || strncmp(name, known[k], nl) != 0))
                k++;
            if (eq == NULL || eq[1] == '\0')
                return usage_error("learn: -p %s: expected name=number", v);
            if (known[k] == NULL)
                return usage_error("learn: unknown parameter in '%s' (lambda, theta, half_life, lru_size, table_size)", v);
            /* the checker of `run -p smc.NAME`: the same types, ranges and messages */
            char key[32], err[VMITN_ERRLEN];
            snprintf(key, sizeof key, "smc.%s", known[k]);
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
    const char *paths[2] = {NULL, NULL};
    int np = 0;
    double z = 4;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--z") == 0) {
            char *end;
            if (i + 1 >= argc || (z = strtod(argv[i + 1], &end)) <= 0 || *end)
                return usage_error("--z needs a positive number, got '%s'", i + 1 < argc ? argv[i + 1] : "");
            i++;
        } else if (argv[i][0] == '-') {
            return usage_error("compare: unknown option '%s'", argv[i]);
        } else if (np < 2) {
            paths[np++] = argv[i];
        } else {
            return usage_error("compare: two folders, REF and NEW ('%s' is extra)", argv[i]);
        }
    }
    if (np != 2)
        return usage_error("compare: needs REF and NEW folders%s", "");
    return vmitn_compare(paths[0], paths[1], z, stdout);
}

static int cmd_report(int argc, char **argv)
{
    if (argc > 2)
        return usage_error("report: one folder at most ('%s' is extra)", argv[2]);
    if (argc == 2 && argv[1][0] == '-')
        return usage_error("report: unknown option '%s'", argv[1]);
    return vmitn_report(argc == 2 ? argv[1] : "results");
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs(usage_text, stdout);
    return VMITN_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("vmitn %s\n", VMITN_VERSION);
    return VMITN_EXIT_OK;
}

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
    {"run", cmd_run},   {"list", cmd_list},       {"bench", cmd_bench},         {"help", cmd_help},
    {"compare", cmd_compare}, {"report", cmd_report}, {"sweep", cmd_sweep}, {"learn", cmd_learn},
    {"--help", cmd_help}, {"-h", cmd_help}, {"version", cmd_version}, {"--version", cmd_version},
};

int main(int argc, char **argv)
{
    vmitn_interrupt_install(); /* Ctrl-C and SIGTERM: exit 130, nothing half-written */
    if (argc < 2) {
        fputs(usage_text, stderr);
        return VMITN_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", argv[1]);
}
