/* metrics.h — the one definition of every metric: an observer that records each run of
 * an experiment, and the aggregation over runs (mean, SD, 95 % CI, min, max, worst case)
 * written as CSV.  Metric names and meanings are listed in docs/MODEL.md §metrics. */
#ifndef VMITN_METRICS_H
#define VMITN_METRICS_H

#include <stdio.h>

#include "vmitn/events.h"
#include "vmitn/model.h"
#include "vmitn/replicas.h"

typedef struct vmitn_metrics vmitn_metrics;

/* A collector for `runs` runs of configuration c (which must outlive it) on a topology
 * of nhosts hosts, nfes of them FES hosts. */
vmitn_metrics *vmitn_metrics_new(const vmitn_model_cfg *c, unsigned nhosts, unsigned nfes, unsigned runs);
void vmitn_metrics_free(vmitn_metrics *m);

/* The observer that records run `run`; call begin before vmitn_model_run, end after. */
vmitn_observer vmitn_metrics_observer(vmitn_metrics *m);
void vmitn_metrics_begin_run(vmitn_metrics *m, unsigned run);
void vmitn_metrics_end_run(vmitn_metrics *m);

/* Attaches the event log e (events.h), which m owns from then on: begun, ended, written
 * (LABEL.events.csv) and freed with m.  Its observer is the caller's to add to a run. */
void vmitn_metrics_set_events(vmitn_metrics *m, vmitn_events *e);
vmitn_events *vmitn_metrics_events(const vmitn_metrics *m);

/* m (and its event log) as a collector for runs on --jobs workers (replicas.h): a worker
 * computes the run with the same observers, begin and end as above, and ships what the
 * run leaves in m; the caller takes that in place of begin, the calls and end. */
vmitn_collector vmitn_metrics_collector(vmitn_metrics *m);

/* Summary statistics of one metric over runs (or over hand-overs for handover.*). */
typedef struct vmitn_stat {
    unsigned n;       /* values that exist (a run that never reached all-infected has none) */
    unsigned missing;
    double mean, sd, ci; /* ci: half-width of the 95 % t interval; 0 when n < 2 */
    double min, max;
} vmitn_stat;

/* Number of summary rows, and row i's name and statistics. */
size_t vmitn_metrics_count(const vmitn_metrics *m);
const char *vmitn_metrics_name(const vmitn_metrics *m, size_t i);
void vmitn_metrics_stat(const vmitn_metrics *m, size_t i, vmitn_stat *out);
/* The worst run: the highest peak_infected; ties go to the larger area under its infected
 * curve (the sum over grid points), then to the lower run number. */
unsigned vmitn_metrics_worst(const vmitn_metrics *m);

/* The per-run metrics are the first vmitn_metrics_per_run() rows (named by
 * vmitn_metrics_name); their value in one run (NaN when missing). */
size_t vmitn_metrics_per_run(void);
unsigned vmitn_metrics_runs(const vmitn_metrics *m); /* runs recorded */
double vmitn_metrics_run_value(const vmitn_metrics *m, unsigned run, size_t i);

/* The mean curves over runs: grid points, their times (s since the attack), and the
 * mean of quantity q (0 infected, 1 healthy, 2 down, 3 infections so far, 4 seen infected:
 * shown on the SMC's display and not yet handed over). */
size_t vmitn_metrics_npoints(const vmitn_metrics *m);
double vmitn_metrics_curve_time(const vmitn_metrics *m, size_t k);
double vmitn_metrics_curve_mean(const vmitn_metrics *m, int q, size_t k);
double vmitn_metrics_curve_run(const vmitn_metrics *m, unsigned run, int q, size_t k);

/* Replayed captures (legit.trace), per run: replayed (sent + never sent, their sender
 * down), sent, bytes, delivered, left_network, blocked_out, blocked_in, blocked,
 * blocked_share (of sent), blocked_bytes, down (never sent, or reached a guest that was
 * not online).  Written as LABEL.replay.csv when legit.trace is set. */
size_t vmitn_metrics_nreplay(void);
const char *vmitn_metrics_replay_name(size_t i);
double vmitn_metrics_replay_value(const vmitn_metrics *m, unsigned run, size_t i);

/* The rules the SMC issued, over all runs in issue order: rule i's run, pattern, issue
 * time and the time it was active on every AGENT (s since the attack; NaN: never). */
size_t vmitn_metrics_nrules(const vmitn_metrics *m);
void vmitn_metrics_rule(const vmitn_metrics *m, size_t i, unsigned *run, vmitn_pattern *p, double *issued,
                        double *all);

/* Writes DIR/LABEL.curve.csv, .runs.csv, .summary.csv, .rules.csv, when there were
 * hand-overs .handovers.csv, and with an event log .events.csv.  0, or -VMITN_EIO with a message. */
int vmitn_metrics_write(const vmitn_metrics *m, const char *dir, const char *label, char *err);

/* 95 % two-sided t-interval half-width for n values with sample SD sd. */
double vmitn_ci95(unsigned n, double sd);

#endif
