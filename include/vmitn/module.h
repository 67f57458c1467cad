/* module.h — the one door of every module of the model: a row of hooks (ROSS's LP-type
 * table, ns-3's Applications).  Included by model_internal.h for the model's own modules;
 * a module outside the model's folders (a test's worked example, tests/test_module.c) sees
 * only this header and the packet, through vmitn_model's opaque pointer.  Read
 * docs/ARCHITECTURE.md first. */
#ifndef VMITN_MODULE_H
#define VMITN_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmitn/evq.h"
#include "vmitn/model.h"
#include "vmitn/rng.h"
#include "vmitn/topo.h"

typedef struct vmitn_model vmitn_model; /* one replication's state: model_internal.h */
typedef struct vmitn_module vmitn_module;

/* ----------
 * A module (a worm, a traffic source, a defence: VMITN's own or a baseline) is a file with
 * its parameters in its own section of the parameter table and one row of hooks in a
 * module table (registry.c's vmitn_module_table, or a test's own).  model.c keeps the
 * state, the packet path and the run loop and calls the modules only through the table
 * it is given; it names none of them (in the spirit of ROSS's LP types and ns-3's
 * Applications).
 *
 * The life of a run, every hook in table order:
 *   check    (vmitn_model_check, enabled or not)
 *   setup    (phase 1: shared state, its first timers when they must precede the grid)
 *   -- the grid's first sample is scheduled --
 *   start    (phase 2: its state and first events)
 *   leave / edge / reach / fate / deliver / infected / intrusion / cleaned
 *            (the packet path, the worm, the hosts' cleaning)
 *   release  (after the run, also after a failed setup or start: every row up to the one
 *            whose setup failed, or all of them; st is NULL where setup or start never
 *            allocated it, so release must accept NULL)
 * A HELD packet is sent on with vmitn_send_resume(m, p, k + 1), k being the hook's own
 * index (the argument k of start).
 *
 * Common random numbers: a module draws only from its own streams (a host's purpose
 * streams, vmitn_mrng, or vmitn_defence_rng(m, d, entity): purpose VMITN_STREAM_DEFENCE +
 * d->id), so switching a module on never shifts a draw of another: a run with it and one
 * without are the same run until its first action.  Events at one time run in the order
 * they were scheduled: the table's order is part of the results. */

/* What a packet hook decides.  HELD: the module keeps a copy and later sends it on with
 * vmitn_send_resume(m, p, k + 1). */
typedef enum vmitn_verdict { VMITN_PASS = 0, VMITN_DROP = 1, VMITN_HELD = 2 } vmitn_verdict;

/* Stream purposes VMITN_STREAM_DEFENCE + id (id < 32) belong to module id; rng.h's own
 * purposes stay below 32. */
#define VMITN_STREAM_DEFENCE 32u

struct vmitn_module {
    const char *name; /* its parameter section */
    unsigned id;      /* fixed forever: its streams' purpose offset and a cause's `by` (never renumber) */
    bool cures;       /* it can make an infected host clean (the fast path then never settles) */
    bool thin_ok;     /* it changes no host's susceptibility but by infection: worm.thin stays exact */
    unsigned kinds;   /* bit k: it takes the packets of kind k that reach an online guest (deliver) */
    /* Whether this run has it (NULL: always). */
    bool (*enabled)(const vmitn_model_cfg *c);
    /* What the parameter table cannot check: 0, or -VMITN_EINPUT with a message naming
     * the parameter (vmitn_fail).  Called by vmitn_model_check, enabled or not. */
    int (*check)(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen);
    /* Phases 1 and 2 (above): 0, or a negative VMITN_E* with a message; *st: its state. */
    int (*setup)(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen);
    int (*start)(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen);
    void (*release)(vmitn_model *m, void *st);
    /* p leaves host p->from (after the SENT fate). */
    vmitn_verdict (*leave)(vmitn_model *m, void *st, unsigned k, vmitn_packet *p);
    /* p crosses edge router `router`: leaving the sender's LAN (outbound) or entering the
     * receiver's (inbound); checked when it is sent. */
    vmitn_verdict (*edge)(vmitn_model *m, void *st, const vmitn_packet *p, int router, bool outbound);
    /* p reaches host p->to (before the guest: whether it is online is not known yet). */
    vmitn_verdict (*reach)(vmitn_model *m, void *st, const vmitn_packet *p);
    /* Every fate of every packet with its cause, after the observers (outcome-based detectors). */
    void (*fate)(vmitn_model *m, void *st, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why);
    /* p (of one of its kinds) was delivered to the online guest of host p->to. */
    void (*deliver)(vmitn_model *m, void *st, vmitn_packet *p);
    /* Host hi was infected (by: the infecting host, -1 for an injection or the launch),
     * right after the observers saw it, before the guest's start-up is scheduled. */
    void (*infected)(vmitn_model *m, void *st, unsigned hi, int by);
    /* Host hi's intrusion became visible on the host, to a host-based IDS (SPY): at its
     * infection once the worm's start-up is scheduled, or, for the launched worm with
     * worm.launch_detect = scan, when it starts scanning.  The worm decides when. */
    void (*intrusion)(vmitn_model *m, void *st, unsigned hi);
    /* The guest of host hi that may run the worm was replaced or cleaned (a hand-over, an
     * isolation, a removal): called after its state is clean, before its epoch moves on. */
    void (*cleaned)(vmitn_model *m, void *st, unsigned hi);
    /* An event function of its own whose argument owns heap memory: freed (free()) if
     * still pending when the run ends. */
    vmitn_ev_fn owns_ev;
};

/* model.c: runs replication `run` with the modules of `table` (NULL-terminated, in hook
 * order); vmitn_model_run is this with vmitn_module_table.  Likewise the check. */
int vmitn_model_run_with(const vmitn_module *const *table, const vmitn_model_cfg *c, const vmitn_topo *t,
                         uint64_t seed, unsigned run, const vmitn_observer *obs, unsigned nobs, char *err,
                         size_t errlen);
int vmitn_model_check_with(const vmitn_module *const *table, const vmitn_model_cfg *c, const vmitn_topo *t,
                           char *err, size_t errlen);

/* model.c: sends p on from the row after hook index k - 1 (a packet hook's k, plus one),
 * after that row returned VMITN_HELD for it: the remaining leave hooks, the edge routers,
 * the network. */
void vmitn_send_resume(vmitn_model *m, vmitn_packet *p, unsigned k);
/* model.c: the run's scheduler, for a row's own timers (vmitn_sched_after(..., fn, ctx,
 * arg); an argument that owns heap memory: name fn as the row's owns_ev). */
vmitn_sched *vmitn_model_sched(vmitn_model *m);
/* shared.c: row d's own stream for one entity (purpose VMITN_STREAM_DEFENCE + d->id;
 * d->id < 32); the caller frees it (vmitn_rng_free). */
vmitn_rng *vmitn_defence_rng(const vmitn_model *m, const vmitn_module *d, uint32_t entity);

/* registry.c: every module, in hook order (NULL-terminated); each row defined in its file. */
extern const vmitn_module *const vmitn_module_table[];
extern const vmitn_module vmitn_worm, vmitn_strategy, vmitn_flood, vmitn_legit, vmitn_throttle, vmitn_trw,
    vmitn_edge, vmitn_patch, vmitn_spy, vmitn_switcher, vmitn_agent, vmitn_replay_row;

#endif
