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

#define FIG8 "topologies/vmitn-fig8.graphml"
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
    (void)state;
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    if (vmitn_topo_load(FIG8, &t, err, sizeof err) < 0)
        fail_msg("%s", err);
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
    vmitn_topo_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_module_row_drops_and_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
