/* scenario.h — the Lua 5.4 scenario runner.  The only module that includes lua.h.
 *
 * A scenario is a Lua file returning a table {name, about, runs, params, run}: params
 * declares each user-facing parameter (default, unit, range, doc), run(p) builds and
 * runs experiments through the `vmitn` module.  See README.md "Writing a scenario". */
#ifndef VMITN_SCENARIO_H
#define VMITN_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct vmitn_run_opts {
    const char *scenario;       /* path, or a name looked up as scenarios/NAME.lua */
    const char *out;            /* output folder; the scenario writes OUT/NAME/ (NULL: vmitn-out) */
    bool force;                 /* replace an existing OUT/NAME/ (only one vmitn wrote: it has meta) */
    uint64_t seed;
    int runs;                   /* < 0: the scenario's default */
    const char *const *set;     /* "name=value" overrides */
    unsigned nset;
    bool quiet;
    const char *pcap_dir;       /* with --pcap: run pcap_run's packets go to PCAP/NAME/LABEL/ */
    unsigned pcap_run;
    unsigned jobs;              /* worker processes for an experiment's runs (0: the cores available) */
    unsigned *runs_used;        /* if not NULL, receives the number of runs in effect */
    char *folder;               /* if not NULL, receives OUT/NAME once written (folder_len bytes) */
    size_t folder_len;
    /* Limits for the fuzzer (0: vmitn's own): events one experiment may schedule, Lua
     * instructions in all, bytes of Lua values, hosts of a generated topology.  no_patterns: the string library's
     * pattern functions go too (a backtracking pattern is one long C call, which in vmitn
     * only the interrupt watchdog stops, and which a fuzzer would report as a hang). */
    uint64_t max_events, max_instructions;
    size_t max_memory;
    unsigned max_hosts;         /* of a generated topology */
    bool no_patterns;
} vmitn_run_opts;

#include "vmitn/paths.h" /* VMITN_DEFAULT_OUT */

/* Runs a scenario.  Returns a VMITN_EXIT_* code; on failure the message (file:line,
 * parameter, reason) has been printed to stderr and nothing is left in opts->out. */
int vmitn_scenario_run(const vmitn_run_opts *opts);

/* Loads the scenario and checks its parameters and overrides, running nothing. */
int vmitn_scenario_check(const vmitn_run_opts *opts);

/* A sweep job: runs only replication `run` of every experiment of the scenario (with that
 * replication's random streams), writing nothing.  *rows (malloc'd) receives one CSV line
 * per experiment: its label, then vmitn_metrics_per_run() values (NA when missing). */
int vmitn_scenario_job(const vmitn_run_opts *opts, unsigned run, char **rows);

/* Prints every model parameter (value, range, unit, doc).  calibrated NULL: the defaults;
 * else a file (or NAME found as scenarios/NAME.lua) returning a model table, such as
 * scenarios/calibrated.lua: the values in effect with it, each changed one marked with
 * its default.  Returns a VMITN_EXIT_* code. */
int vmitn_scenario_list_model(const char *calibrated, FILE *out);
struct vmitn_model_cfg;
/* Parses one model parameter "section.name" (or a top-level name) from text into c with
 * the checks a scenario's model table gets (type, range, resolution): the one checker
 * that `run -p`, `sweep -p` and `learn -p` share.  0, or -1 with a message in err naming
 * the parameter; -2 when no such parameter exists. */
int vmitn_param_parse(const char *key, const char *text, struct vmitn_model_cfg *c, char *err, size_t errlen);

/* The runner `vmitn sweep` and vmitn.sweep give vmitn_sweep (sweep.h): loads and runs
 * sweep points with vmitn_scenario_check and vmitn_scenario_job.  A static table. */
struct vmitn_sweep_runner;
const struct vmitn_sweep_runner *vmitn_scenario_sweep_runner(void);

/* Prints every scenario of dir with its parameters (default, unit, range, doc). */
int vmitn_scenario_list(const char *dir, FILE *out);

/* Resolves a scenario name to a path: an existing path as is, else scenarios/NAME.lua.
 * Returns a malloc'd string or NULL. */
char *vmitn_scenario_path(const char *name);

#endif
