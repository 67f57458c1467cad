/* flood.c — the TFN2K flood from one host to the other FES hosts (docs/MODEL.md §4). */
#include "vmitn/model_internal.h"

#include <stdlib.h>

#include "vmitn/util.h"

/* The row's state, the context of its events. */
typedef struct flood {
    vmitn_model *m;
    vmitn_rng *r; /* its stream */
    int host;     /* the flooding host */
} flood;

static void ev_flood(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)arg;
    flood *f = ctx;
    vmitn_model *m = f->m;
    const vmitn_model_cfg *c = m->c;
    vmitn_time now = vmitn_sched_now(s);
    if (c->flood.stop > c->flood.start && now >= vmitn_secs(c->flood.stop))
        return;
    vmitn_mhost *h = &m->hosts[f->host];
    if (h->online) {
        int tgt;
        do
            tgt = m->fes_idx[vmitn_rng_below(f->r, m->nfes)];
        while (tgt == f->host);
        vmitn_packet p = {.src = c->flood.spoof ? vmitn_rng_u32(f->r) : h->addr,
                          .dst = m->hosts[tgt].addr,
                          .sport = (uint16_t)(1024 + vmitn_rng_below(f->r, 64512)),
                          .dport = (uint16_t)(c->flood.port < 0 ? 1 + vmitn_rng_below(f->r, 65535) : (uint64_t)c->flood.port),
                          .proto = (uint8_t)c->flood.proto, .kind = VMITN_PKT_FLOOD,
                          .bytes = (uint16_t)c->flood.bytes, .from = f->host, .to = -1};
        if (p.proto != 6 && p.proto != 17)
            p.sport = p.dport = 0;
        vmitn_send_packet(m, &p);
    }
    vmitn_sched_after(s, vmitn_secs(1.0 / c->flood.rate), ev_flood, f, 0);
}

static bool flood_enabled(const vmitn_model_cfg *c) { return c->flood.enabled; }

static int flood_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    (void)errlen;
    if (!c->flood.enabled)
        return 0;
    int rc = vmitn_fes_host_check(t, "flood.host", c->flood.host, err);
    if (rc < 0)
        return rc;
    if (c->flood.rate <= 0)
        return vmitn_fail(err, VMITN_EINPUT, "flood.rate must be > 0 when the flood is enabled");
    unsigned nfes = 0;
    for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++)
        nfes += vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
    if (nfes < 2)
        return vmitn_fail(err, VMITN_EINPUT, "flood: the topology has no FES host to flood");
    return 0;
}

static int flood_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)k;
    (void)err;
    (void)errlen;
    flood *f = vmitn_xmalloc(sizeof *f);
    f->m = m;
    f->r = vmitn_rng_new(m->seed, m->run, VMITN_STREAM(VMITN_STREAM_FLOOD, 0));
    f->host = vmitn_topo_find_name(m->t, m->c->flood.host);
    *st = f;
    vmitn_sched_at(m->s, vmitn_secs(m->c->flood.start), ev_flood, f, 0);
    return 0;
}

static void flood_release(vmitn_model *m, void *st)
{
    (void)m;
    flood *f = st;
    if (f == NULL)
        return;
    vmitn_rng_free(f->r);
    free(f);
}

const vmitn_module vmitn_flood = {
    .name = "flood", .id = 18, .thin_ok = true, .enabled = flood_enabled, .check = flood_check, .start = flood_start,
    .release = flood_release,
};
