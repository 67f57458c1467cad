/* patch.c — patching and removal at rates, the removal terms of Zou, Gong & Towsley's
 * two-factor worm model ("Code Red Worm Propagation Modeling and Analysis", CCS 2002,
 * §5): from patch.start, each susceptible host of patch.hosts is patched at rate
 * patch.susceptible_rate (immune from then on), each infected one cleaned and patched at
 * rate patch.infected_rate (it stops scanning, serves clean, is immune).  Every host's
 * times come from its own two streams of this defence, so two runs differing in another
 * defence patch the same hosts at the same times.  docs/MODEL.md §9.4. */
#include "vmitn/model_internal.h"

#include <stdlib.h>

#include "vmitn/util.h"

#define REMOVAL_ENTITY 0x80000000u /* entity bit of a host's removal stream */

typedef struct patch {
    vmitn_model *m;
    bool *watch, *immune;
    vmitn_rng **sus, **inf;  /* per host, created on first use */
} patch;

static bool patch_enabled(const vmitn_model_cfg *c) { return c->patch.enabled; }

static int patch_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    if (c->patch.enabled && c->patch.susceptible_rate <= 0 && c->patch.infected_rate <= 0)
        return vmitn_fail(err, VMITN_EINPUT, "patch.enabled: set patch.susceptible_rate or patch.infected_rate above 0");
    return vmitn_defence_hosts(t, c->patch.hosts, "patch.hosts", NULL, err, errlen);
}

static vmitn_rng *stream(patch *p, vmitn_rng **s, unsigned hi, uint32_t bit)
{
    if (s[hi] == NULL)
        s[hi] = vmitn_defence_rng(p->m, &vmitn_patch, hi | bit);
    return s[hi];
}

static void ev_patch(vmitn_sched *s, void *ctx, uint64_t arg);
static void ev_remove(vmitn_sched *s, void *ctx, uint64_t arg);

static void *patch_new(vmitn_model *m, unsigned k)
{
    (void)k;
    patch *p = vmitn_xcalloc(1, sizeof *p);
    p->m = m;
    p->watch = vmitn_xcalloc(m->nhosts, sizeof *p->watch);
    p->immune = vmitn_xcalloc(m->nhosts, sizeof *p->immune);
    p->sus = vmitn_xcalloc(m->nhosts, sizeof *p->sus);
    p->inf = vmitn_xcalloc(m->nhosts, sizeof *p->inf);
    char err[VMITN_ERRLEN];
    int rc = vmitn_defence_hosts(m->t, m->c->patch.hosts, "patch.hosts", p->watch, err, sizeof err);
    vmitn_assert(rc == 0); /* vmitn_model_check ran it */
    double mu = m->c->patch.susceptible_rate;
    if (mu > 0)
        for (unsigned i = 0; i < m->nhosts; i++)
            if (p->watch[i]) {
                double at = m->c->patch.start + vmitn_rng_exp(stream(p, p->sus, i, 0), 1 / mu);
                if (at < vmitn_to_secs(m->end))
                    vmitn_sched_at(m->s, vmitn_secs(at), ev_patch, p, i);
            }
    return p;
}

static int patch_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *st = patch_new(m, k);
    return 0;
}

static void patch_release(vmitn_model *m, void *st)
{
    (void)m;
    patch *p = st;
    if (st == NULL) /* its set-up or start never ran, or failed before allocating */
        return;
    for (unsigned i = 0; i < p->m->nhosts; i++) {
        vmitn_rng_free(p->sus[i]);
        vmitn_rng_free(p->inf[i]);
    }
    free(p->sus);
    free(p->inf);
    free(p->watch);
    free(p->immune);
    free(p);
}

/* A susceptible host is patched: immune; an infected one waits for its removal. */
static void ev_patch(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    patch *p = ctx;
    if (!p->m->hosts[arg].infected)
        p->immune[arg] = true;
}

/* An infected host is cleaned and patched: the worm stops, a clean guest serves. */
static void ev_remove(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    patch *p = ctx;
    vmitn_model *m = p->m;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    vmitn_mhost *h = &m->hosts[hi];
    if ((uint32_t)(arg >> 32) != h->epoch || !h->infected)
        return; /* that guest is gone already (a hand-over) */
    vmitn_set_state(m, h, false, h->online);
    vmitn_defence_cleaned(m, hi);
    h->epoch++; /* its pending scans, exploits and alarms die with it */
    p->immune[hi] = true;
    vmitn_emit_host(m, hi, VMITN_EV_REMOVED, (int)vmitn_patch.id);
}

static void patch_infected(vmitn_model *m, void *st, unsigned hi, int by)
{
    (void)by;
    patch *p = st;
    double g = m->c->patch.infected_rate;
    if (!p->watch[hi] || g <= 0)
        return;
    vmitn_time now = vmitn_sched_now(m->s), start = vmitn_secs(m->c->patch.start);
    double after = vmitn_rng_exp(stream(p, p->inf, hi, REMOVAL_ENTITY), 1 / g);
    vmitn_time at = (now > start ? now : start) + vmitn_secs(after);
    if (at <= m->end)
        vmitn_sched_at(m->s, at, ev_remove, p, VMITN_HE(hi, &m->hosts[hi]));
}

/* A patched host's service is fixed: what would infect it does nothing. */
static vmitn_verdict patch_reach(vmitn_model *m, void *st, const vmitn_packet *pk)
{
    patch *p = st;
    bool infects = pk->kind == VMITN_PKT_EXPLOIT || (pk->kind == VMITN_PKT_SCAN && m->c->worm.proto == 17);
    return infects && p->immune[pk->to] ? VMITN_DROP : VMITN_PASS;
}

const vmitn_module vmitn_patch = {
    .name = "patch", .id = 3, .cures = true, .enabled = patch_enabled, .check = patch_check,
    .start = patch_start, .release = patch_release, .reach = patch_reach, .infected = patch_infected,
};
