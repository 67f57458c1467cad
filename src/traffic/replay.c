/* replay.c — captures as the emulated network's legitimate traffic (legit.trace): each
 * capture is loaded once per experiment (vmitn_trace_set_load, by the scenario layer; by
 * the run itself when called alone), its timing checked before any run, then mapped onto
 * the topology with each run's seeded host order,
 * and replayed with its timing, one event per packet.  A packet from an inside host leaves
 * through that host's AGENT (tapped, filtered) and crosses the network like any packet; one
 * from outside reaches its host's bridge at its capture time.  Nothing answers a replayed
 * packet: the capture holds the answers (docs/MODEL.md §4). */
#include "vmitn/model_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/trace.h"
#include "vmitn/util.h"

typedef struct capture {
    vmitn_replay r;
    size_t next;       /* the next packet to send */
    vmitn_time offset; /* added to its time: loops times the period */
} capture;

/* The row's state (the captures this run replays), the context of its events. */
typedef struct replay_run {
    vmitn_model *m;
    capture *cap;
    unsigned n;
} replay_run;

typedef int (*path_fn)(void *ctx, const char *path, char *err, size_t errlen);

static int no_op(void *ctx, const char *path, char *err, size_t errlen)
{
    (void)ctx, (void)path, (void)err, (void)errlen;
    return 0;
}

/* Calls fn(ctx, path) for each comma-separated capture of legit.trace. */
static int each_path(const char *list, path_fn fn, void *ctx, char *err, size_t errlen)
{
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char path[1024];
        if (len == 0)
            return vmitn_fail(err, VMITN_EINPUT, "legit.trace: an empty file name in '%.900s'", list);
        snprintf(path, sizeof path, "%.*s", (int)len, p);
        int rc = fn(ctx, path, err, errlen);
        if (rc < 0)
            return rc;
        p += len + (end != NULL);
        if (end && *p == '\0')
            return vmitn_fail(err, VMITN_EINPUT, "legit.trace: ends with a comma");
    }
    return 0;
}

static int replay_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    if (c->legit.trace[0] == '\0')
        return c->legit.trace_map[0] ? vmitn_fail(err, VMITN_EINPUT, "legit.trace_map is set, but legit.trace names no capture") : 0;
    int rc = each_path(c->legit.trace, no_op, NULL, err, errlen);
    if (rc < 0)
        return rc;
    return vmitn_trace_map_check(c->legit.trace_map, t, err, errlen);
}

/* ---------- the captures of one experiment ---------- */

typedef struct set_ctx {
    vmitn_trace_set *s;
    const vmitn_trace_map_opts *o;
} set_ctx;

static int set_one(void *ctx, const char *path, char *err, size_t errlen)
{
    set_ctx *sc = ctx;
    vmitn_trace tr;
    char msg[VMITN_ERRLEN];
    int rc = vmitn_trace_load(path, &tr, msg, sizeof msg);
    if (rc < 0)
        return vmitn_fail(err, -rc, "legit.trace: %s", msg);
    /* refused before any run: a time or a loop period the clock cannot hold, a loop too fast */
    if (vmitn_replay_timing(&tr, sc->o, NULL, err, errlen) < 0) {
        vmitn_trace_destroy(&tr);
        return -VMITN_EINPUT;
    }
    sc->s->tr = vmitn_xrealloc(sc->s->tr, (sc->s->n + 1) * sizeof *sc->s->tr);
    sc->s->tr[sc->s->n++] = tr;
    return 0;
}

int vmitn_trace_set_load(const char *list, const vmitn_trace_map_opts *o, vmitn_trace_set *s, char *err,
                         size_t errlen)
{
    memset(s, 0, sizeof *s);
    set_ctx sc = {s, o};
    int rc = each_path(list, set_one, &sc, err, errlen);
    if (rc < 0)
        vmitn_trace_set_destroy(s);
    return rc;
}

void vmitn_trace_set_destroy(vmitn_trace_set *s)
{
    for (unsigned k = 0; k < s->n; k++)
        vmitn_trace_destroy(&s->tr[k]);
    free(s->tr);
    memset(s, 0, sizeof *s);
}

double vmitn_trace_set_events(const vmitn_trace_set *s, const vmitn_trace_map_opts *o, double duration)
{
    double e = 0;
    for (unsigned k = 0; k < s->n; k++)
        e += vmitn_replay_events(&s->tr[k], o, duration);
    return e;
}

/* ---------- one run ---------- */

static vmitn_trace_map_opts opts_of(const vmitn_model_cfg *c)
{
    return (vmitn_trace_map_opts){.inside = c->legit.trace_inside, .map = c->legit.trace_map,
                                  .speed = c->legit.trace_speed, .start = c->legit.trace_start,
                                  .loop = c->legit.trace_loop};
}

/* Maps capture tr onto this run's network as the run's next capture. */
static int map_one(replay_run *rr, const vmitn_trace *tr, char *err, size_t errlen)
{
    vmitn_model *m = rr->m;
    rr->cap = vmitn_xrealloc(rr->cap, (rr->n + 1) * sizeof *rr->cap);
    capture *cp = &rr->cap[rr->n];
    memset(cp, 0, sizeof *cp);
    vmitn_trace_map_opts o = opts_of(m->c);
    int rc = vmitn_replay_map(tr, m->t, &o, m->seed, m->run, rr->n, &cp->r, err, errlen);
    if (rc < 0)
        return rc;
    rr->n++;
    return 0;
}

/* The next packet of capture k (event argument k). */
static void ev_replay(vmitn_sched *s, void *ctx, uint64_t k)
{
    replay_run *rr = ctx;
    vmitn_model *m = rr->m;
    capture *cp = &rr->cap[k];
    const vmitn_replay_pkt *q = &cp->r.pkt[cp->next];
    vmitn_packet p = {.src = q->src, .dst = q->dst, .sport = q->sport, .dport = q->dport, .proto = q->proto,
                      .kind = VMITN_PKT_REPLAY, .bytes = q->bytes, .from = q->from, .to = q->to};
    if (p.from >= 0) {
        if (m->hosts[p.from].online)
            vmitn_send_packet(m, &p);
        else { /* its guest is down (switching, isolated): never sent; to = -1 says so (metrics.c) */
            p.to = -1;
            vmitn_emit_packet(m, &p, VMITN_PKT_DOWN, vmitn_cause_of(VMITN_AT_DOWN, VMITN_BY_NONE));
        }
    } else {
        vmitn_emit_packet(m, &p, VMITN_PKT_SENT, VMITN_NO_CAUSE);
        vmitn_receive_packet(m, &p);
    }
    if (++cp->next == cp->r.n) {
        if (cp->r.period == 0)
            return;
        cp->next = 0;
        cp->offset += cp->r.period;
    }
    vmitn_time t = cp->r.pkt[cp->next].t + cp->offset;
    if (t <= m->end)
        vmitn_sched_at(s, t, ev_replay, rr, k);
}

static int replay_start(vmitn_model *m, unsigned row, void **st, char *err, size_t errlen)
{
    (void)row;
    if (m->c->legit.trace[0] == '\0')
        return 0;
    replay_run *rr = vmitn_xcalloc(1, sizeof *rr);
    rr->m = m;
    *st = rr;
    vmitn_trace_set own = {0};
    const vmitn_trace_set *set = m->c->legit.traces;
    if (set == NULL) { /* no experiment loaded them (a caller of vmitn_model_run alone): this run does */
        vmitn_trace_map_opts o = opts_of(m->c);
        int rc = vmitn_trace_set_load(m->c->legit.trace, &o, &own, err, errlen);
        if (rc < 0)
            return rc;
        set = &own;
    }
    int rc = 0;
    for (unsigned k = 0; k < set->n && rc == 0; k++)
        rc = map_one(rr, &set->tr[k], err, errlen);
    vmitn_trace_set_destroy(&own);
    if (rc < 0)
        return rc;
    for (unsigned k = 0; k < rr->n; k++) {
        capture *cp = &rr->cap[k];
        if (cp->r.n > 0 && cp->r.pkt[0].t <= m->end)
            vmitn_sched_at(m->s, cp->r.pkt[0].t, ev_replay, rr, k);
    }
    return 0;
}

static void replay_release(vmitn_model *m, void *st)
{
    (void)m;
    replay_run *rr = st;
    if (rr == NULL)
        return;
    for (unsigned k = 0; k < rr->n; k++)
        vmitn_replay_destroy(&rr->cap[k].r);
    free(rr->cap);
    free(rr);
}

static bool replay_enabled(const vmitn_model_cfg *c) { return c->legit.trace[0] != '\0'; }

const vmitn_module vmitn_replay_row = {
    .name = "legit.trace", .id = 21, .thin_ok = true, .enabled = replay_enabled, .check = replay_check,
    .start = replay_start, .release = replay_release,
};
