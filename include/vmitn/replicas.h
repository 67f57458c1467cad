/* replicas.h — the replications of one experiment on worker processes (fork), their
 * observer calls handed back to the caller in run order, so that every file is
 * byte-identical whatever the number of workers.
 *
 * Each worker runs whole replications (vmitn_model_run, the run's own derived streams)
 * with an observer that records every call into a log; the parent replays run k's log
 * into its own observers only after runs 0..k-1, exactly as if it had run them itself.
 * Workers write no file and print nothing: a failure, a dead worker or Ctrl-C leaves
 * nothing behind but the caller's own cleanup.
 *
 * Memory per job: a worker holds its copy of the model (as one run in the parent would,
 * pages shared with the parent until written) and, in memory shared with the parent, the
 * logs of at most VMITN_REPLICAS_AHEAD + 1 runs: the one it is on and those finished but
 * not yet due.  A log takes 29 bytes per grid sample, 41 per host event, 37 per report of
 * fast-path scans not sent, and 34 per packet fate (the metrics ask for every packet's
 * fate: at packet level the worm's scans, the flood and the legitimate traffic), 2 for a
 * second fate of the same packet at the same time (a scan that hits nobody).  The
 * Code Red run of fig11 (20 s, 6 hosts) logs about 12.5 MB; a 10^5-host fast-path
 * outbreak day about 21 MB; codered-v2 (360,000 hosts, one day) about 126 MB.  A log
 * beyond 256 MiB moves to the heap and reaches the parent through the pipe. */
#ifndef VMITN_REPLICAS_H
#define VMITN_REPLICAS_H

#include <stddef.h>
#include <stdint.h>

#include "vmitn/model.h"

/* Finished runs a worker may be ahead of the one due, per worker. */
#define VMITN_REPLICAS_AHEAD 2

typedef struct vmitn_replicas vmitn_replicas;

/* The number of cores this process may run on (sched_getaffinity, else the online
 * processors), at least 1. */
unsigned vmitn_cores(void);

/* Starts min(jobs, runs) workers for runs 0..runs-1 of c on t with master seed `seed`
 * (c and t must not change until vmitn_replicas_stop).  A worker records the calls that
 * the observers `like` (nlike of them) would receive, and every call for run `full_run`
 * (a capture's run; UINT32_MAX: none).  Returns NULL with a message in err if no worker
 * could be started. */
vmitn_replicas *vmitn_replicas_start(const vmitn_model_cfg *c, const vmitn_topo *t, uint64_t seed, unsigned runs,
                                     unsigned jobs, const vmitn_observer *like, unsigned nlike, unsigned full_run,
                                     char *err, size_t errlen);

/* The stand-in for vmitn_model_run(c, t, seed, k, obs, nobs, err, errlen): waits for run k
 * (asked for in order 0, 1, 2, ...), calls obs with the run's calls in the order the run
 * made them and returns what vmitn_model_run returned for it (its message in err).
 * Returns VMITN_REPLICAS_INTERRUPTED when SIGINT/SIGTERM arrived while waiting, and
 * VMITN_REPLICAS_FAILED with a message when a worker died or a pipe failed. */
enum { VMITN_REPLICAS_INTERRUPTED = -1000, VMITN_REPLICAS_FAILED = -1001 };
int vmitn_replicas_run(vmitn_replicas *p, unsigned k, const vmitn_observer *obs, unsigned nobs, char *err,
                       size_t errlen);

/* Stops the workers (killing any still at work: they hold nothing to save), waits for
 * them and frees p.  NULL is allowed. */
void vmitn_replicas_stop(vmitn_replicas *p);

#endif
