/* edge.c — containment at edge routers with a reaction time (Moore, Shannon, Voelker &
 * Savage, "Internet Quarantine: Requirements for Containing Self-Propagating Code",
 * INFOCOM 2003): address blacklisting (a host's packets are dropped at the edge routers
 * from edge.reaction after its infection), content filtering (the worm's infecting
 * packets are dropped at the edge routers from edge.reaction after the outbreak's first
 * infection), or rate limiting (a host's connection requests through its edge router
 * are capped at edge.rate per second from edge.reaction after the start of the run: a
 * standing limit, which a flood that infects nothing also meets).
 * Deployed at the routers of edge.routers (empty: every edge router).  docs/MODEL.md §9.3. */
#include "vmitn/model_internal.h"

#include <stdlib.h>
#include <string.h>

#include "vmitn/util.h"

typedef struct edge {
    vmitn_model *m;
    bool *at;            /* per router: filters deployed here */
    bool *listed;        /* per host: blacklisted */
    double *tokens;      /* rate limit: per host, a token bucket of depth 1 s */
    vmitn_time *last;
    bool armed;          /* content filter / rate limit in force */
    bool outbreak;       /* the first infection has happened */
} edge;

static bool edge_enabled(const vmitn_model_cfg *c) { return c->edge.enabled; }

static void ev_arm(vmitn_sched *s, void *ctx, uint64_t arg);

static int routers_parse(const vmitn_topo *t, const char *list, bool *at, char *err)
{
    unsigned n = vmitn_topo_nrouters(t);
    if (list[0] == '\0') {
        for (unsigned i = 0; i < vmitn_topo_nlans(t); i++)
            if (at)
                at[vmitn_topo_lan(t, i)->router] = true;
        return 0;
    }
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        unsigned r = 0;
        while (r < n && !(strlen(vmitn_topo_router_name(t, r)) == len && strncmp(vmitn_topo_router_name(t, r), p, len) == 0))
            r++;
        bool is_edge = false;
        for (unsigned i = 0; r < n && i < vmitn_topo_nlans(t); i++)
            is_edge |= vmitn_topo_lan(t, i)->router == (int)r;
        if (!is_edge)
            return vmitn_fail(err, VMITN_EINPUT, "edge.routers: no edge router named '%.*s' in the topology", (int)len, p);
        if (at)
            at[r] = true;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int edge_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    (void)errlen;
    if (c->edge.enabled && c->edge.mode == VMITN_EDGE_RATELIMIT && c->worm.fast && c->worm.enabled)
        return vmitn_fail(err, VMITN_EINPUT, "edge.mode = \"ratelimit\" counts every connection request, and worm.fast "
                                             "does not send the scans that hit nobody: set worm.fast = false");
    return routers_parse(t, c->edge.routers, NULL, err);
}

static void *edge_new(vmitn_model *m, unsigned k)
{
    (void)k;
    edge *e = vmitn_xcalloc(1, sizeof *e);
    e->m = m;
    e->at = vmitn_xcalloc(vmitn_topo_nrouters(m->t) + 1, sizeof *e->at);
    e->listed = vmitn_xcalloc(m->nhosts, sizeof *e->listed);
    if (m->c->edge.mode == VMITN_EDGE_RATELIMIT) {
        e->tokens = vmitn_xmalloc(m->nhosts * sizeof *e->tokens);
        e->last = vmitn_xcalloc(m->nhosts, sizeof *e->last);
        for (unsigned i = 0; i < m->nhosts; i++)
            e->tokens[i] = m->c->edge.rate; /* a full bucket */
    }
    char err[VMITN_ERRLEN];
    int rc = routers_parse(m->t, m->c->edge.routers, e->at, err);
    vmitn_assert(rc == 0); /* vmitn_model_check ran it */
    if (m->c->edge.mode == VMITN_EDGE_RATELIMIT)
        vmitn_sched_at(m->s, vmitn_secs(m->c->edge.reaction), ev_arm, e, 0);
    return e;
}

static int edge_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *st = edge_new(m, k);
    return 0;
}

static void edge_release(vmitn_model *m, void *st)
{
    (void)m;
    edge *e = st;
    if (st == NULL) /* its set-up or start never ran, or failed before allocating */
        return;
    free(e->at);
    free(e->listed);
    free(e->tokens);
    free(e->last);
    free(e);
}

static void ev_arm(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    (void)arg;
    edge *e = ctx;
    e->armed = true; /* a network-wide action: no host event */
}

static void ev_list(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    edge *e = ctx;
    e->listed[arg] = true;
    vmitn_emit_host(e->m, (unsigned)arg, VMITN_EV_CONTAINED, (int)vmitn_edge.id);
}

static void edge_infected(vmitn_model *m, void *st, unsigned hi, int by)
{
    (void)by;
    edge *e = st;
    vmitn_time after = vmitn_secs(m->c->edge.reaction);
    if (m->c->edge.mode == VMITN_EDGE_BLACKLIST)
        vmitn_sched_after(m->s, after, ev_list, e, hi);
    else if (m->c->edge.mode == VMITN_EDGE_CONTENT && !e->outbreak)
        vmitn_sched_after(m->s, after, ev_arm, e, 0);
    e->outbreak = true;
}

/* A packet that infects: the exploit after a handshake, or a single-packet worm's scan. */
static bool infecting(const vmitn_model *m, const vmitn_packet *p)
{
    return p->kind == VMITN_PKT_EXPLOIT || (p->kind == VMITN_PKT_SCAN && m->c->worm.proto == 17);
}

static vmitn_verdict edge_hook(vmitn_model *m, void *st, const vmitn_packet *p, int router, bool outbound)
{
    edge *e = st;
    if (router < 0 || !e->at[router])
        return VMITN_PASS;
    switch (m->c->edge.mode) {
    case VMITN_EDGE_BLACKLIST:
        return e->listed[p->from] ? VMITN_DROP : VMITN_PASS;
    case VMITN_EDGE_CONTENT:
        return e->armed && infecting(m, p) ? VMITN_DROP : VMITN_PASS;
    default: { /* rate limit: the sender's connection requests at its own edge router */
        if (!e->armed || !outbound || (p->kind != VMITN_PKT_SCAN && p->kind != VMITN_PKT_FLOOD &&
                                       !(p->kind == VMITN_PKT_LEGIT && p->sport != 80 && p->sport != 25)))
            return VMITN_PASS;
        vmitn_time now = vmitn_sched_now(m->s);
        double r = m->c->edge.rate, *tk = &e->tokens[p->from];
        *tk += vmitn_to_secs(now - e->last[p->from]) * r;
        if (*tk > (r > 1 ? r : 1))
            *tk = r > 1 ? r : 1;
        e->last[p->from] = now;
        if (*tk < 1)
            return VMITN_DROP;
        *tk -= 1;
        return VMITN_PASS;
    }
    }
}

const vmitn_module vmitn_edge = {
    .name = "edge", .id = 2, .enabled = edge_enabled, .check = edge_check, .start = edge_start,
    .release = edge_release, .edge = edge_hook, .infected = edge_infected,
};
