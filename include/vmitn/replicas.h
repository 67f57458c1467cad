/* replicas.h — the replications of one experiment on worker processes (fork), their
 * results handed back to the caller in run order, so that every file is byte-identical
 * whatever the number of workers.
 *
 * Each worker runs whole replications (vmitn_model_run, the run's own derived streams).
 * What the caller computes from a run's calls (the metrics and their event log: a
 * collector, below) is computed on the worker with the same code, observers, begin and
 * end, and sent once when the run ends; the calls the caller's other observers want (the
 * progress line, --pcap-run's capture) travel as a log of calls.  The parent takes run
 * k's results only after runs 0..k-1, exactly as if it had run them itself.  Workers
 * write no file and print nothing: a failure, a dead worker or Ctrl-C leaves nothing
 * behind but the caller's own cleanup.
 *
 * Memory per job: a worker holds its copy of the model and of the collector (as one run
 * in the parent would, pages shared with the parent until written) and, in memory shared
 * with the parent, the logs of at most VMITN_REPLICAS_AHEAD + 1 runs: the one it is on
 * and those finished but not yet due.  A log holds what the run left in the collector
 * (the metrics: about 380 bytes, 20 per grid point of the curves, a record per hand-over and
 * rule; the event log: 48 bytes per row and its texts: 15 KB for a run of fig11, 68 KB
 * for one of table1, 29 KB for a codered-v2 day) and, when the progress line is shown,
 * 29 bytes per grid sample.  Only --pcap-run's run logs every call: 34 bytes per packet
 * fate, 41 per host event.  A log beyond 256 MiB moves to the heap and reaches the parent
 * through the pipe. */
#ifndef VMITN_REPLICAS_H
#define VMITN_REPLICAS_H

#include <stddef.h>
#include <stdint.h>

#include "vmitn/model.h"
#include "vmitn/util.h"

/* Finished runs a worker may be ahead of the one due, per worker. */
#define VMITN_REPLICAS_AHEAD 2

typedef struct vmitn_replicas vmitn_replicas;

/* A collector: what the caller computes from each run's calls (the metrics and their
 * event log), computed on the worker instead, in the worker's copy of ctx (made by fork),
 * and shipped once when the run ends; the log then carries only the calls of the other
 * observers.  At most VMITN_COLLECTOR_OBS observers. */
#define VMITN_COLLECTOR_OBS 4
typedef struct vmitn_collector {
    void *ctx;
    /* On a worker: readies ctx for run `run` and fills obs with the observers that take
     * the run's calls; returns how many. */
    unsigned (*begin)(void *ctx, unsigned run, vmitn_observer *obs);
    /* On a worker, after the run returned 0: ends it and appends what it left to out. */
    void (*pack)(void *ctx, vmitn_buf *out);
    /* In the caller, in run order: n bytes that pack appended, into ctx, in place of
     * begin, the run's calls and the end. */
    void (*unpack)(void *ctx, unsigned run, const unsigned char *p, size_t n);
} vmitn_collector;

/* The number of cores this process may run on (sched_getaffinity, else the online
 * processors), at least 1. */
unsigned vmitn_cores(void);

/* Starts min(jobs, runs) workers for runs 0..runs-1 of c on t with master seed `seed`
 * (c and t must not change until vmitn_replicas_stop).  A worker records the calls that
 * the observers `like` (nlike of them) would receive, and every call for run `full_run`
 * (a capture's run; UINT32_MAX: none); col (NULL: none) is computed there.  Returns NULL
 * with a message in err if no worker could be started. */
vmitn_replicas *vmitn_replicas_start(const vmitn_model_cfg *c, const vmitn_topo *t, uint64_t seed, unsigned runs,
                                     unsigned jobs, const vmitn_observer *like, unsigned nlike, unsigned full_run,
                                     const vmitn_collector *col, char *err, size_t errlen);

/* The stand-in for vmitn_model_run(c, t, seed, k, obs, nobs, err, errlen): waits for run k
 * (asked for in order 0, 1, 2, ...), calls obs with the run's calls in the order the run
 * made them, then hands the collector what run k left, and returns what vmitn_model_run
 * returned for it (its message in err; nothing for the collector then; a run that ended
 * well but sent no results is VMITN_REPLICAS_FAILED).  obs are observers like those given
 * as `like` to vmitn_replicas_start: a call or fate the workers did not record never
 * comes; the collector's own observers never belong here (they would count twice).
 * Returns VMITN_REPLICAS_INTERRUPTED when SIGINT/SIGTERM arrived while waiting, and
 * VMITN_REPLICAS_FAILED with a message when a worker died or a pipe failed. */
enum { VMITN_REPLICAS_INTERRUPTED = -1000, VMITN_REPLICAS_FAILED = -1001 };
int vmitn_replicas_run(vmitn_replicas *p, unsigned k, const vmitn_observer *obs, unsigned nobs, char *err,
                       size_t errlen);

/* Bytes of the logs run so far have sent (their calls and what they left the collector). */
size_t vmitn_replicas_logged(const vmitn_replicas *p);

/* Stops the workers (killing any still at work: they hold nothing to save), waits for
 * them and frees p.  NULL is allowed. */
void vmitn_replicas_stop(vmitn_replicas *p);

#endif
