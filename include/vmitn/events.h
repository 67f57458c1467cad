/* events.h — the per-host event log: an observer that records what happened to which
 * host in each run (infected by whom, alarms, reports, hand-overs, rules, blocked packets
 * per host and second, cleaned), written as LABEL.events.csv.  The events are described
 * in docs/MODEL.md §events. */
#ifndef VMITN_EVENTS_H
#define VMITN_EVENTS_H

#include <stddef.h>

#include "vmitn/model.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

typedef struct vmitn_events vmitn_events;

/* The largest topology whose runs log their events by default (output.events = auto), and
 * the largest log output.events = on may write (bytes, estimated). */
#define VMITN_EVENTS_AUTO_HOSTS 1000u
#define VMITN_EVENTS_MAX_BYTES ((double)(256u << 20))

/* Whether runs of c on t log their events: 1 yes, 0 no, or -VMITN_EINPUT with a message
 * naming output.events when it is on and the log would exceed VMITN_EVENTS_MAX_BYTES. */
int vmitn_events_wanted(const vmitn_model_cfg *c, const vmitn_topo *t, unsigned runs, char *err, size_t errlen);
/* An upper estimate of the log's size in bytes for `runs` runs of c on t. */
double vmitn_events_estimate(const vmitn_model_cfg *c, const vmitn_topo *t, unsigned runs);

/* A log of the runs of c on t (both must outlive it). */
vmitn_events *vmitn_events_new(const vmitn_model_cfg *c, const vmitn_topo *t);
void vmitn_events_free(vmitn_events *e);
/* The observer that records run `run`; begin before vmitn_model_run, end after. */
vmitn_observer vmitn_events_observer(vmitn_events *e);
void vmitn_events_begin_run(vmitn_events *e, unsigned run);
void vmitn_events_end_run(vmitn_events *e);
/* On a --jobs worker (replicas.h), after end: appends the run's rows to out and drops
 * them here.  In the caller, in place of begin, the calls and end: takes run `run`'s
 * rows from what pack appended (len bytes or more) and returns the bytes it used. */
void vmitn_events_pack_run(vmitn_events *e, vmitn_buf *out);
size_t vmitn_events_unpack_run(vmitn_events *e, unsigned run, const unsigned char *p, size_t len);

/* Rows recorded so far (all runs). */
size_t vmitn_events_count(const vmitn_events *e);
/* Writes DIR/LABEL.events.csv: run,t,host,event,other, by run then time.  0, or -VMITN_EIO
 * with a message. */
int vmitn_events_write(const vmitn_events *e, const char *dir, const char *label, char *err);

#endif
