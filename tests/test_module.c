/* test_module.c — the worked example of docs/ARCHITECTURE.md: a defence written outside
 * the model, as one row of hooks (module.h), added to the module table, and run.  The row
 * drops every HTTP request (TCP port 80) as it leaves its host; the packets' fates say who
 * dropped them (the cause), and a run without the row is the model's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmitn/model.h"
#include "vmitn/module.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"
#include "testlib.h"

#define PORTBLOCK_ID 30u /* a module id of its own (< 32: it could have its own streams) */

/* ---- the row: its state, its hooks, the row itself ---- */

typedef struct portblock {
    unsigned dropped; /* the fates it caused, as its fate hook saw them */
} portblock;

static int pb_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)m;
    (void)k;
    (void)err;
    (void)errlen;
    *st = vmitn_xcalloc(1, sizeof(portblock));
    return 0;
}

static vmitn_verdict pb_leave(vmitn_model *m, void *st, unsigned k, vmitn_packet *p)
{
    (void)m;
    (void)st;
    (void)k;
    return p->proto == 6 && p->dport == 80 ? VMITN_DROP : VMITN_PASS;
}

static void pb_fate(vmitn_model *m, void *st, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why)
{
    (void)m;
    (void)p;
    if (f == VMITN_PKT_BLOCKED_OUT && why.at == VMITN_AT_LEAVE && why.by == PORTBLOCK_ID)
        ((portblock *)st)->dropped++;
}

static portblock last; /* what the last run's row saw, kept by release for the test */

static void pb_release(vmitn_model *m, void *st)
{
    (void)m;
    if (st == NULL) /* another row's set-up or start failed before this row's start */
        return;
    last = *(portblock *)st;
    free(st);
}

static const vmitn_module portblock_row = {
    .name = "portblock", .id = PORTBLOCK_ID, .thin_ok = false, .start = pb_start, .release = pb_release,
    .leave = pb_leave, .fate = pb_fate,
};

/* ---- the test ---- */

typedef struct seen {
    unsigned sent80, delivered80, delivered25, dropped80, other_cause;
} seen;

static void on_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    seen *s = ctx;
    if (p->kind != VMITN_PKT_LEGIT)
        return;
    if (f == VMITN_PKT_SENT && p->dport == 80)
        s->sent80++;
    if (f == VMITN_PKT_DELIVERED && p->dport == 80)
        s->delivered80++;
    if (f == VMITN_PKT_DELIVERED && p->dport == 25)
        s->delivered25++;
}

static void on_dropped(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why)
{
    (void)t;
    seen *s = ctx;
    if (p->kind != VMITN_PKT_LEGIT)
        return;
    if (f == VMITN_PKT_BLOCKED_OUT && why.at == VMITN_AT_LEAVE && why.by == PORTBLOCK_ID && p->dport == 80)
        s->dropped80++;
    else
        s->other_cause++;
}

static void cfg(vmitn_model_cfg *c)
{
    vmitn_model_cfg_default(c);
    c->duration = 60;
    c->grid = 1;
    c->worm.enabled = false;
    c->legit.http_rate = 2;
    c->legit.smtp_rate = 1;
}

/* The table: the model's own rows, then the example's. */
static const vmitn_module **table_with(const vmitn_module *row)
{
    size_t n = 0;
    while (vmitn_module_table[n])
        n++;
    const vmitn_module **t = vmitn_xcalloc(n + 2, sizeof *t);
    memcpy(t, vmitn_module_table, n * sizeof *t);
    t[n] = row;
    return t;
}

static void test_module_row_drops_and_says_so(void **state)
{
    const vmitn_topo *t = *state;
    char err[VMITN_ERRLEN];
    vmitn_model_cfg c;
    cfg(&c);
    seen without = {0}, with = {0};
    vmitn_observer ob = {.ctx = &without, .packet = on_packet, .dropped = on_dropped};
    assert_int_equal(vmitn_model_run(&c, t, 7, 0, &ob, 1, err, sizeof err), 0);
    assert_true(without.delivered80 > 0 && without.delivered25 > 0);
    assert_int_equal(without.dropped80, 0);

    const vmitn_module **table = table_with(&portblock_row);
    ob.ctx = &with;
    memset(&last, 0, sizeof last);
    assert_int_equal(vmitn_model_run_with(table, &c, t, 7, 0, &ob, 1, err, sizeof err), 0);
    /* every HTTP request was dropped on its host, and its fate names the row */
    assert_true(with.sent80 > 0);
    assert_int_equal(with.delivered80, 0);
    assert_int_equal(with.dropped80, with.sent80);
    assert_int_equal(last.dropped, with.sent80);
    /* the row draws nothing and touches nothing else: the same requests are made (legit
     * draws from its own streams), and SMTP goes through as before */
    assert_int_equal(with.sent80, without.sent80);
    assert_int_equal(with.delivered25, without.delivered25);
    free(table);
}

/* ---- a second row: holds each SMTP request for a delay drawn from its own stream and
 * sends it on later (VMITN_HELD, vmitn_send_resume, vmitn_defence_rng, vmitn_model_sched:
 * module.h alone) ---- */

#define DELAY_ID 31u

typedef struct delay {
    vmitn_model *m;
    vmitn_rng *r;
    unsigned k; /* its hook index: it resumes after itself */
    unsigned held, resumed;
} delay;

typedef struct held_pkt {
    delay *d;
    vmitn_packet p;
} held_pkt;

static delay dlast;

static int dl_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    delay *d = vmitn_xcalloc(1, sizeof *d);
    d->m = m;
    d->k = k;
    *st = d;
    return 0;
}

static void dl_ev(vmitn_sched *s, void *ctx, uint64_t arg);
static const vmitn_module delay_row;

static void dl_ev(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    (void)ctx;
    held_pkt *h = (held_pkt *)(uintptr_t)arg;
    h->d->resumed++;
    vmitn_send_resume(h->d->m, &h->p, h->d->k + 1);
    free(h);
}

static vmitn_verdict dl_leave(vmitn_model *m, void *st, unsigned k, vmitn_packet *p)
{
    delay *d = st;
    assert_int_equal(k, d->k);
    if (p->kind != VMITN_PKT_LEGIT || p->dport != 25)
        return VMITN_PASS;
    if (d->r == NULL)
        d->r = vmitn_defence_rng(m, &delay_row, 0);
    held_pkt *h = vmitn_xmalloc(sizeof *h);
    h->d = d;
    h->p = *p;
    d->held++;
    vmitn_sched_after(vmitn_model_sched(m), vmitn_secs(vmitn_rng_exp(d->r, 5.0)), dl_ev, NULL,
                      (uint64_t)(uintptr_t)h);
    return VMITN_HELD;
}

static void dl_release(vmitn_model *m, void *st)
{
    (void)m;
    if (st == NULL)
        return;
    delay *d = st;
    dlast = *d;
    vmitn_rng_free(d->r);
    free(d);
}

static const vmitn_module delay_row = {
    .name = "delay", .id = DELAY_ID, .start = dl_start, .release = dl_release, .leave = dl_leave, .owns_ev = dl_ev,
};

static void test_module_row_holds_and_resumes(void **state)
{
    const vmitn_topo *t = *state;
    char err[VMITN_ERRLEN];
    vmitn_model_cfg c;
    cfg(&c);
    seen without = {0}, with = {0}, again = {0};
    vmitn_observer ob = {.ctx = &without, .packet = on_packet, .dropped = on_dropped};
    assert_int_equal(vmitn_model_run(&c, t, 7, 0, &ob, 1, err, sizeof err), 0);
    const vmitn_module **table = table_with(&delay_row);
    ob.ctx = &with;
    assert_int_equal(vmitn_model_run_with(table, &c, t, 7, 0, &ob, 1, err, sizeof err), 0);
    delay first = dlast;
    /* every SMTP request was held; those resumed before the end went through (legit's
     * targets are online FES hosts), the rest were freed with their pending events */
    assert_true(first.held > 0);
    assert_true(first.resumed > 0 && first.resumed <= first.held);
    assert_int_equal(with.delivered25, first.resumed);
    assert_true(with.delivered25 < without.delivered25 || first.resumed == first.held);
    /* HTTP passes untouched, and the row's own stream moves nobody else's draws */
    assert_int_equal(with.delivered80, without.delivered80);
    assert_int_equal(with.sent80, without.sent80);
    assert_int_equal(with.other_cause, 0);
    /* its stream is the run's: the same seed, the same delays */
    ob.ctx = &again;
    assert_int_equal(vmitn_model_run_with(table, &c, t, 7, 0, &ob, 1, err, sizeof err), 0);
    assert_int_equal(dlast.resumed, first.resumed);
    assert_memory_equal(&again, &with, sizeof again);
    free(table);
}

/* ---- SPY and the VM Switcher are rows: the worm reaches them only through the table ---- */

typedef struct hostev {
    unsigned n[VMITN_EV_NEVENTS];
} hostev;

static void on_host(void *ctx, vmitn_time t, unsigned h, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)t, (void)h, (void)arg, (void)c;
    ((hostev *)ctx)->n[e]++;
}

typedef struct watch {
    unsigned intrusions, cleaned;
} watch;
static watch wlast;

static int w_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)m, (void)k, (void)err, (void)errlen;
    *st = vmitn_xcalloc(1, sizeof(watch));
    return 0;
}
static void w_intrusion(vmitn_model *m, void *st, unsigned hi)
{
    (void)m, (void)hi;
    ((watch *)st)->intrusions++;
}
static void w_cleaned(vmitn_model *m, void *st, unsigned hi)
{
    (void)m, (void)hi;
    ((watch *)st)->cleaned++;
}
static void w_release(vmitn_model *m, void *st)
{
    (void)m;
    if (st == NULL)
        return;
    wlast = *(watch *)st;
    free(st);
}
static const vmitn_module watch_row = {
    .name = "watch", .id = 29, .thin_ok = true, .start = w_start, .release = w_release, .intrusion = w_intrusion,
    .cleaned = w_cleaned,
};

/* The model's table without one row. */
static const vmitn_module **table_without(const vmitn_module *row)
{
    size_t n = 0, j = 0;
    while (vmitn_module_table[n])
        n++;
    const vmitn_module **t = vmitn_xcalloc(n + 1, sizeof *t);
    for (size_t i = 0; i < n; i++)
        if (vmitn_module_table[i] != row)
            t[j++] = vmitn_module_table[i];
    return t;
}

static void test_module_spy_is_a_row(void **state)
{
    const vmitn_topo *t = *state;
    char err[VMITN_ERRLEN];
    vmitn_model_cfg c;
    vmitn_model_cfg_default(&c);
    c.duration = 30;
    c.fes.handover = true;
    const char *inj[] = {"L1-2", "L2-1", "L3-1"};
    for (unsigned i = 0; i < 3; i++) {
        strcpy(c.inject[i].host, inj[i]);
        c.inject[i].t = 2.0 + 3.0 * i;
    }
    c.ninject = 3;
    hostev all = {0}, nospy = {0};
    vmitn_observer ob = {.ctx = &all, .host = on_host};
    const vmitn_module **table = table_with(&watch_row);
    assert_int_equal(vmitn_model_run_with(table, &c, t, 3, 0, &ob, 1, err, sizeof err), 0);
    /* the worm told every intrusion through the table: one per infection (the launched
     * worm's when it starts scanning, at once here), and each cleaned guest */
    assert_true(all.n[VMITN_EV_INFECTED] > 1);
    assert_int_equal(wlast.intrusions, all.n[VMITN_EV_INFECTED]);
    assert_true(all.n[VMITN_EV_ALARM] > 0 && all.n[VMITN_EV_SWITCHED] > 0);
    assert_true(wlast.cleaned >= all.n[VMITN_EV_SWITCHED]);
    /* without SPY's row nothing raises an alarm, though fes.spy is on: no by-name call */
    const vmitn_module **bare = table_without(&vmitn_spy);
    ob.ctx = &nospy;
    assert_int_equal(vmitn_model_run_with(bare, &c, t, 3, 0, &ob, 1, err, sizeof err), 0);
    assert_true(nospy.n[VMITN_EV_INFECTED] > 0);
    assert_int_equal(nospy.n[VMITN_EV_ALARM], 0);
    assert_int_equal(nospy.n[VMITN_EV_SWITCHED], 0);
    free(table);
    free(bare);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_module_row_drops_and_says_so),
        cmocka_unit_test(test_module_row_holds_and_resumes),
        cmocka_unit_test(test_module_spy_is_a_row),
    };
    return cmocka_run_group_tests(tests, fig8_setup, fig8_teardown);
}
