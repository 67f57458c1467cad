/* fes.c — the front-end system of a host: SPY's alarm chain (Table 1), the VM Switcher's
 * hand-over to a clean backup and the offline cleaning of the infected image
 * (docs/MODEL.md §5). */
#include "vmitn/model_internal.h"

#include "vmitn/util.h"

static void ev_alarm(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_reported(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_smc_alarm(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_display(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_mounted(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_switched(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_cleaned(vmitn_sched *s, void *ctx, uint64_t arg);

/* SPY's HIDS notices the intrusion (the worm says when: its row's intrusion hook): the
 * alarm chain (Table 1) starts now.  It runs with or without Rapid Hand Over, so that
 * both variants draw the same numbers (common random numbers across variants). */
static void spy_intrusion(vmitn_model *m, void *st, unsigned hi)
{
    (void)st;
    vmitn_mhost *h = &m->hosts[hi];
    vmitn_sched_after(m->s, vmitn_draw(vmitn_mrng(m, h, VMITN_R_FES), m->c->fes.alarm, m->c->fes.cv), ev_alarm, m, VMITN_HE(hi, h));
}

static void ev_alarm(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ctx;
    if (!VMITN_EPOCH_OK(m, arg))
        return;
    vmitn_mhost *h = &m->hosts[VMITN_H_OF(arg)];
    vmitn_emit_host(m, VMITN_H_OF(arg), VMITN_EV_ALARM, -1);
    vmitn_sched_after(s, vmitn_draw(vmitn_mrng(m, h, VMITN_R_FES), m->c->fes.report, m->c->fes.cv), ev_reported, m, arg);
}

static void ev_reported(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ctx;
    if (!VMITN_EPOCH_OK(m, arg))
        return;
    vmitn_mhost *h = &m->hosts[VMITN_H_OF(arg)];
    vmitn_emit_host(m, VMITN_H_OF(arg), VMITN_EV_REPORTED, -1);
    vmitn_sched_after(s, vmitn_oob_send(m, vmitn_mrng(m, h, VMITN_R_OOB), m->c->oob.hdr_bytes), ev_smc_alarm, m, arg);
}

static void ev_smc_alarm(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ctx;
    if (!VMITN_EPOCH_OK(m, arg))
        return;
    vmitn_emit_host(m, VMITN_H_OF(arg), VMITN_EV_SMC_ALARM, -1);
    vmitn_sched_after(s, vmitn_draw(vmitn_mrng(m, &m->hosts[VMITN_H_OF(arg)], VMITN_R_FES), m->c->fes.display, m->c->fes.cv), ev_display, m, arg);
}

/* The switch: the VM Switcher mounts the backup's disk and unmounts the infected one;
 * then the backup serves.  The infected guest keeps running until then (a seamless
 * hand-over, paper 3.3), or leaves the network at once with fes.isolate_at = display,
 * leaving the host down for the switch. */
static void begin_switch(vmitn_model *m, unsigned hi)
{
    vmitn_mhost *h = &m->hosts[hi];
    h->waiting = false;
    h->switching = true;
    h->backup_ready = false;
    if (m->c->fes.isolate_at == VMITN_ISOLATE_DISPLAY || !h->online) {
        vmitn_set_state(m, h, false, false);
        vmitn_defence_cleaned(m, hi);
        h->epoch++;
    }
    vmitn_emit_host(m, hi, VMITN_EV_SWITCHING, -1);
    vmitn_sched_after(m->s, vmitn_draw(vmitn_mrng(m, h, VMITN_R_SW), m->c->fes.mount, m->c->fes.cv), ev_mounted, m, VMITN_HE(hi, h));
}

static void ev_display(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    vmitn_model *m = ctx;
    if (!VMITN_EPOCH_OK(m, arg))
        return;
    unsigned hi = VMITN_H_OF(arg);
    vmitn_mhost *h = &m->hosts[hi];
    vmitn_emit_host(m, hi, VMITN_EV_DISPLAYED, -1);
    if (!m->c->fes.handover)
        return;
    if (h->backup_ready) {
        begin_switch(m, hi);
        return;
    }
    h->waiting = true;
    if (m->c->fes.no_backup == VMITN_NOBACKUP_ISOLATE) {
        /* The SMC shuts the infected guest down (Table 1's first cleaning step): the worm
         * no longer runs there, and the host is down until the backup is clean. */
        vmitn_set_state(m, h, false, false);
        vmitn_defence_cleaned(m, hi);
        h->epoch++;
    }
    vmitn_emit_host(m, hi, VMITN_EV_NO_BACKUP, -1);
}

static void ev_mounted(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ctx;
    if (!VMITN_EPOCH_OK(m, arg))
        return;
    vmitn_emit_host(m, VMITN_H_OF(arg), VMITN_EV_MOUNTED, -1);
    vmitn_sched_after(s, vmitn_draw(vmitn_mrng(m, &m->hosts[VMITN_H_OF(arg)], VMITN_R_SW), m->c->fes.unmount, m->c->fes.cv), ev_switched, m, arg);
}

static void ev_switched(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ctx;
    if (!VMITN_EPOCH_OK(m, arg))
        return;
    unsigned hi = VMITN_H_OF(arg);
    vmitn_mhost *h = &m->hosts[hi];
    h->switching = false;
    vmitn_set_state(m, h, false, true);
    vmitn_defence_cleaned(m, hi);
    h->epoch++; /* the old guest's scans and connections die with it */
    vmitn_emit_host(m, hi, VMITN_EV_SWITCHED, -1);
    const vmitn_model_cfg *c = m->c;
    if (c->fes.backup == VMITN_BACKUP_ALWAYS) {
        /* "one guest OS replication is always ready on line" (3.3): another clean replica
         * is hidden and ready at once; the infected image is cleaned offline, off the
         * critical path, and is not needed as the next backup. */
        h->backup_ready = true;
        return;
    }
    /* The old image: shut down, mount, scan and clean, unmount, restart. */
    double t = vmitn_draw_secs(vmitn_mrng(m, h, VMITN_R_CLEAN), c->fes.shutdown, c->fes.cv) + vmitn_draw_secs(vmitn_mrng(m, h, VMITN_R_CLEAN), c->fes.mount, c->fes.cv) +
               vmitn_draw_secs(vmitn_mrng(m, h, VMITN_R_CLEAN), c->fes.clean, c->fes.cv) + vmitn_draw_secs(vmitn_mrng(m, h, VMITN_R_CLEAN), c->fes.unmount, c->fes.cv) +
               vmitn_draw_secs(vmitn_mrng(m, h, VMITN_R_CLEAN), c->fes.restart, c->fes.cv);
    vmitn_sched_after(s, vmitn_secs(t), ev_cleaned, m, hi);
}

static void ev_cleaned(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    vmitn_model *m = ctx;
    vmitn_mhost *h = &m->hosts[arg];
    h->backup_ready = true;
    vmitn_emit_host(m, (unsigned)arg, VMITN_EV_CLEANED, -1);
    if (h->waiting)
        begin_switch(m, (unsigned)arg);
}

/* ---------- the rows ---------- */

static bool spy_enabled(const vmitn_model_cfg *c) { return c->fes.spy; }

static bool switcher_enabled(const vmitn_model_cfg *c) { return c->fes.handover; }

static int switcher_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    (void)t;
    (void)errlen;
    if (c->fes.handover && !c->fes.spy)
        return vmitn_fail(err, VMITN_EINPUT, "fes.handover needs fes.spy: without SPY's alarm nothing orders the hand-over");
    return 0;
}

/* SPY: its alarm chain from the intrusion on (it changes nobody's susceptibility). */
const vmitn_module vmitn_spy = {
    .name = "fes", .id = 22, .thin_ok = true, .enabled = spy_enabled, .intrusion = spy_intrusion,
};

/* The VM Switcher: SPY's chain drives it (ev_display); its row says that it cures (a
 * hand-over gives a host a clean guest: no thinning, the fast path never settles) and
 * checks that SPY is there to order it. */
const vmitn_module vmitn_switcher = {
    .name = "fes", .id = 23, .cures = true, .thin_ok = false, .enabled = switcher_enabled, .check = switcher_check,
};
