/* progress.c — a running experiment's progress on stderr (see progress.h). */
#include "vmitn/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + 1e-9 * (double)(b->tv_nsec - a->tv_nsec);
}

void vmitn_progress_start(vmitn_progress *p, const char *scenario, const char *label, unsigned runs, double duration,
                          bool quiet)
{
    *p = (vmitn_progress){.scenario = scenario, .label = label, .runs = runs, .duration = duration, .every = 30,
                          .on = !quiet, .tty = isatty(STDERR_FILENO) == 1};
    const char *e = getenv("VMITN_PROGRESS");
    char *end;
    double v = e != NULL ? strtod(e, &end) : 0;
    if (e != NULL && *e && *end == '\0' && v > 0 && v < 1e6)
        p->every = v;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    p->last = p->t0;
}

void vmitn_progress_sample(void *ctx, vmitn_time t, const vmitn_counts *c)
{
    (void)c;
    vmitn_progress *p = ctx;
    if (!p->on)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (p->tty) {
        /* after the first second (VMITN_PROGRESS seconds if shorter), at most twice a second */
        if (since(&p->t0, &now) < (p->every < 1 ? p->every : 1) || (p->shown && since(&p->last, &now) < 0.5))
            return;
        fprintf(stderr, "\r%s: run %u/%u, t = %.0f of %g s ", p->label, p->k + 1, p->runs, vmitn_to_secs(t),
                p->duration);
        p->shown = true;
    } else {
        if (since(&p->last, &now) < p->every)
            return;
        fprintf(stderr, "vmitn: %s: %s: run %u/%u, t = %.0f of %g s, %.0f s elapsed\n", p->scenario, p->label,
                p->k + 1, p->runs, vmitn_to_secs(t), p->duration, since(&p->t0, &now));
    }
    p->last = now;
}

void vmitn_progress_end(vmitn_progress *p)
{
    if (p->tty && p->shown)
        fputs("\r\033[K", stderr); /* the summary line follows */
    p->shown = false;
}
