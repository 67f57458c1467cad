/* progress.h — what a running experiment tells the user on stderr: on a terminal a line
 * that rewrites itself ("LABEL: run K/N, t = X of D s"); elsewhere (CI, nohup, a pipe) a
 * plain line every 30 s, so a long run is never silent in a log. */
#ifndef VMITN_PROGRESS_H
#define VMITN_PROGRESS_H

#include <stdbool.h>
#include <time.h>

#include "vmitn/model.h"

typedef struct vmitn_progress {
    const char *scenario, *label; /* borrowed: must outlive the experiment */
    unsigned k, runs;             /* the run under way (from 0), of runs */
    double duration;              /* simulated seconds per run */
    double every;                 /* seconds between lines off a terminal */
    bool on, tty, shown;
    struct timespec t0, last;
} vmitn_progress;

/* Starts the clock of an experiment.  Prints nothing when quiet.  Off a terminal the
 * interval is 30 s, or VMITN_PROGRESS seconds when that is set to a positive number; on
 * a terminal the first line comes after 1 s, or after VMITN_PROGRESS seconds if shorter. */
void vmitn_progress_start(vmitn_progress *p, const char *scenario, const char *label, unsigned runs, double duration,
                          bool quiet);

/* An observer of the grid samples (ctx: a vmitn_progress): prints a line when one is due;
 * it only reads the simulated time.  Set p->k before each run. */
void vmitn_progress_sample(void *ctx, vmitn_time t, const vmitn_counts *c);

/* The experiment is over: clears the terminal line if one was shown. */
void vmitn_progress_end(vmitn_progress *p);

#endif
