/* sweep.h — `vmitn sweep`: parameter studies as independent jobs on all cores or over
 * MPI ranks, resumable, byte-identical whatever the number of workers. */
#ifndef VMITN_SWEEP_H
#define VMITN_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

/* One point of a sweep as the scenario layer runs it. */
typedef struct vmitn_sweep_point {
    const char *scenario;
    const char *const *set; /* the point's "name=value" overrides */
    unsigned nset;
    unsigned runs;
    uint64_t seed;
} vmitn_sweep_point;

/* How a sweep runs a scenario, supplied by the scenario layer
 * (vmitn_scenario_sweep_runner() in scenario.h): the sweep module depends on no scenario
 * code, so the scenario layer can start sweeps (vmitn.sweep) without an include cycle.
 * path: the scenario's file (malloc'd) or NULL; check: loads the point, runs nothing;
 * job: replication `run` of the point, one CSV row per experiment into *rows (malloc'd),
 * and a line "# input PATH" for each data file it read (topologies, captures: the sweep
 * records the hash of their bytes and refuses to resume once one changed).
 * check and job return VMITN_EXIT_* codes. */
typedef struct vmitn_sweep_runner {
    char *(*path)(const char *scenario);
    int (*check)(const vmitn_sweep_point *p);
    int (*job)(const vmitn_sweep_point *p, unsigned run, char **rows);
} vmitn_sweep_runner;

typedef struct vmitn_sweep_opts {
    const vmitn_sweep_runner *runner; /* required */
    const char *scenario;
    const char *const *set; /* "name=v1,v2,lo:hi:step" — scenario or model (section.name) parameters */
    unsigned nset;
    unsigned runs;          /* replications per point */
    unsigned jobs;          /* worker processes on this machine */
    uint64_t seed;
    const char *out;        /* the sweep's folder; NULL: vmitn-out/sweep-<scenario> */
    bool quiet;
    bool force;             /* start the folder's sweep afresh instead of resuming it */
} vmitn_sweep_opts;

/* Runs (or resumes) a sweep.  Writes OUT/runs.csv (one row per point, run and
 * experiment), OUT/points.csv (mean, 95 % CI, min, max per point and experiment) and
 * OUT/meta.  Returns a VMITN_EXIT_* code; messages go to stderr. */
int vmitn_sweep(const vmitn_sweep_opts *opts);

/* A job file (sweep.c's header comment): "# vmitn job N of spec H", the rows, a line
 * "# input HASH PATH" for each data file the job read, "# end CHECKSUM".  text returns a malloc'd file; check returns NULL (the rows then start at
 * *rows and the end line is cut off in place) or why the file is not to be trusted. */
char *vmitn_sweep_job_text(uint64_t spec_hash, uint64_t job, const char *rows);
const char *vmitn_sweep_job_check(uint64_t spec_hash, uint64_t job, char *text, char **rows);

#endif
