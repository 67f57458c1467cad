/* test_strategy.c — the worm's scanning strategies: sequential scans count upward from
 * their start, a permutation scanner never repeats an address, a hit-list is scanned
 * first and split between infector and victim, and the exact fast path infects the same
 * hosts at the same times as the packet level for sequential scanning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmitn/model.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

static vmitn_topo *fig8(void)
{
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    if (vmitn_topo_load("topologies/vmitn-fig8.graphml", &t, err, sizeof err) < 0)
        fail_msg("%s", err);
    return t;
}

static void base(vmitn_model_cfg *c, int strategy)
{
    vmitn_model_cfg_default(c);
    c->duration = 5;
    c->grid = 1;
    c->worm.rate = 1000;
    c->worm.fast = false;
    c->worm.strategy = strategy;
    c->fes.handover = false;
    c->fes.spy = false;
    c->smc.learning = false;
}

#define MAXS 200000
typedef struct scanlog {
    int host;               /* whose scans; -1 all */
    uint32_t dst[MAXS];
    int from[MAXS];
    unsigned n;
    vmitn_time inf_t[64];
    int inf_by[64];
    unsigned ninf;
    int inf_host[64];
} scanlog;

static void on_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    (void)t;
    scanlog *l = ctx;
    if (p->kind != VMITN_PKT_SCAN || f != VMITN_PKT_SENT || (l->host >= 0 && p->from != l->host) || l->n == MAXS)
        return;
    l->dst[l->n] = p->dst;
    l->from[l->n] = p->from;
    l->n++;
}

static void on_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg, const vmitn_counts *c)
{
    (void)c;
    scanlog *l = ctx;
    if (e != VMITN_EV_INFECTED || l->ninf == 64)
        return;
    l->inf_t[l->ninf] = t;
    l->inf_by[l->ninf] = arg;
    l->inf_host[l->ninf] = (int)host;
    l->ninf++;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sequential (Blaster-like): from a random start, each scan the next address. */
static void test_strategy_sequential_counts_upward(void **state)
{
    (void)state;
    vmitn_topo *t = fig8();
    vmitn_model_cfg c;
    base(&c, VMITN_STRATEGY_SEQUENTIAL);
    c.worm.p_local = 0; /* a random start, not the own /16 */
    c.worm.p_near = 0;
    c.worm.p_any = 1;
    scanlog *l = vmitn_xcalloc(1, sizeof *l);
    l->host = vmitn_topo_find_name(t, "L1-1");
    vmitn_observer ob = {.ctx = l, .packet = on_packet};
    assert_int_equal(vmitn_model_run(&c, t, 7, 0, &ob, 1, NULL, 0), 0);
    assert_true(l->n >= 4999);
    for (unsigned i = 1; i < l->n; i++)
        assert_int_equal(l->dst[i], l->dst[i - 1] + 1);
    free(l);
    vmitn_topo_free(t);
}

/* Permutation scanning: 100,000 scans of one instance, no address twice, spread over the
 * whole space (each of the 16 top-4-bit blocks gets 1/16 of them within 10 %). */
static void test_strategy_permutation_never_repeats(void **state)
{
    (void)state;
    vmitn_topo *t = fig8();
    vmitn_model_cfg c;
    base(&c, VMITN_STRATEGY_PERMUTATION);
    c.worm.rate = 20000;
    c.fes.vulnerable = false; /* nobody infected: no jump */
    scanlog *l = vmitn_xcalloc(1, sizeof *l);
    l->host = vmitn_topo_find_name(t, "L1-1");
    vmitn_observer ob = {.ctx = l, .packet = on_packet};
    assert_int_equal(vmitn_model_run(&c, t, 7, 0, &ob, 1, NULL, 0), 0);
    assert_true(l->n == 100000 || l->n == 99999);
    unsigned blocks[16] = {0};
    for (unsigned i = 0; i < l->n; i++)
        blocks[l->dst[i] >> 28]++;
    for (int b = 0; b < 16; b++)
        assert_true(blocks[b] > 0.9 * l->n / 16 && blocks[b] < 1.1 * l->n / 16);
    qsort(l->dst, l->n, sizeof *l->dst, cmp_u32);
    for (unsigned i = 1; i < l->n; i++)
        assert_true(l->dst[i] != l->dst[i - 1]);
    free(l);
    vmitn_topo_free(t);
}

/* A hit-list of the 5 other FES hosts: the launcher's first scans go to it (all five on
 * a list it keeps whole until its first victim takes half), and all are infected within
 * a second although random scanning of the whole space would find none. */
static void test_strategy_hitlist_first(void **state)
{
    (void)state;
    vmitn_topo *t = fig8();
    vmitn_model_cfg c;
    base(&c, VMITN_STRATEGY_PERMUTATION);
    c.worm.rate = 10;
    c.worm.hitlist = 5;
    c.worm.activation = 0.05;
    c.worm.activation_cv = 0;
    scanlog *l = vmitn_xcalloc(1, sizeof *l);
    l->host = -1;
    vmitn_observer ob = {.ctx = l, .packet = on_packet, .host = on_host};
    assert_int_equal(vmitn_model_run(&c, t, 7, 0, &ob, 1, NULL, 0), 0);
    assert_int_equal(l->ninf, 6);
    for (unsigned i = 1; i < 6; i++)
        assert_true(l->inf_t[i] < vmitn_secs(1));
    /* the launcher's first scan hits a hit-list host (a FES host of the topology) */
    int first = vmitn_topo_find_addr(t, l->dst[0]);
    assert_true(first >= 0 && vmitn_topo_host(t, (unsigned)first).kind == VMITN_HOST_FES);
    free(l);
    vmitn_topo_free(t);
}

/* Sequential scanning from the own /16's first address (p_local = 1): the fast path
 * infects the same hosts, by the same hosts, at the same nanoseconds as the packet level. */
static void test_strategy_fast_path_exact_sequential(void **state)
{
    (void)state;
    vmitn_topo *t = fig8();
    vmitn_model_cfg c;
    base(&c, VMITN_STRATEGY_SEQUENTIAL);
    c.duration = 200;
    c.worm.rate = 2000;
    c.worm.p_local = 1;
    c.worm.p_near = c.worm.p_any = 0;
    scanlog *a = vmitn_xcalloc(1, sizeof *a), *b = vmitn_xcalloc(1, sizeof *b);
    a->host = b->host = -2; /* no scans logged */
    vmitn_observer oa = {.ctx = a, .packet = on_packet, .host = on_host};
    assert_int_equal(vmitn_model_run(&c, t, 8, 1, &oa, 1, NULL, 0), 0);
    c.worm.fast = true;
    vmitn_observer ob = {.ctx = b, .packet = on_packet, .host = on_host};
    assert_int_equal(vmitn_model_run(&c, t, 8, 1, &ob, 1, NULL, 0), 0);
    assert_true(a->ninf >= 3); /* L1-2 at once, the next LAN 65,536 addresses later */
    assert_int_equal(a->ninf, b->ninf);
    for (unsigned i = 0; i < a->ninf; i++) {
        assert_int_equal(a->inf_host[i], b->inf_host[i]);
        assert_int_equal(a->inf_by[i], b->inf_by[i]);
        assert_int_equal(a->inf_t[i], b->inf_t[i]);
    }
    free(a);
    free(b);
    vmitn_topo_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strategy_sequential_counts_upward),
        cmocka_unit_test(test_strategy_permutation_never_repeats),
        cmocka_unit_test(test_strategy_hitlist_first),
        cmocka_unit_test(test_strategy_fast_path_exact_sequential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
