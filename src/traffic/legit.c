/* legit.c — legitimate traffic: HTTP and SMTP requests between FES hosts, Poisson per
 * host, answered by a clean guest (docs/MODEL.md §4). */
#include "vmitn/model_internal.h"

#include "vmitn/util.h"

static void ev_legit(vmitn_sched *s, void *ctx, uint64_t arg)
{
    vmitn_model *m = ctx;
    const vmitn_model_cfg *c = m->c;
    vmitn_mhost *h = &m->hosts[arg];
    double total = c->legit.http_rate + c->legit.smtp_rate;
    if (h->online && m->nfes > 1) {
        int tgt;
        do
            tgt = m->fes_idx[vmitn_rng_below(vmitn_mrng(m, h, VMITN_R_LEGIT), m->nfes)];
        while ((uint64_t)tgt == arg);
        uint16_t port = vmitn_rng_uniform(vmitn_mrng(m, h, VMITN_R_LEGIT)) * total < c->legit.http_rate ? 80 : 25;
        vmitn_packet p = {.src = h->addr, .dst = m->hosts[tgt].addr, .sport = vmitn_ephemeral(h),
                          .dport = port, .proto = 6, .kind = VMITN_PKT_LEGIT,
                          .bytes = (uint16_t)c->legit.bytes, .from = (int32_t)arg, .to = -1};
        vmitn_send_packet(m, &p);
    }
    vmitn_sched_after(s, vmitn_secs(vmitn_rng_exp(vmitn_mrng(m, h, VMITN_R_LEGIT), 1.0 / total)), ev_legit, m, arg);
}

static bool legit_enabled(const vmitn_model_cfg *c) { return c->legit.http_rate + c->legit.smtp_rate > 0; }

/* Every FES host's first request, an exponential time after the start. */
static int legit_start(vmitn_model *m, unsigned row, void **st, char *err, size_t errlen)
{
    (void)row;
    (void)st;
    (void)err;
    (void)errlen;
    const vmitn_model_cfg *c = m->c;
    if (c->legit.http_rate + c->legit.smtp_rate > 0)
        for (unsigned k = 0; k < m->nfes; k++) {
            vmitn_mhost *h = &m->hosts[m->fes_idx[k]];
            double rate = c->legit.http_rate + c->legit.smtp_rate;
            vmitn_sched_at(m->s, vmitn_secs(vmitn_rng_exp(vmitn_mrng(m, h, VMITN_R_LEGIT), 1.0 / rate)), ev_legit, m,
                           (uint64_t)m->fes_idx[k]);
        }
    return 0;
}

/* A request to a clean guest is answered (the same port pair reversed); a response, or a
 * request to an infected guest, ends here. */
static void legit_deliver(vmitn_model *m, void *st, vmitn_packet *p)
{
    (void)st;
    vmitn_mhost *h = &m->hosts[p->to];
    if (p->sport == 80 || p->sport == 25)
        return; /* a response: the request was served */
    if (!h->infected) {
        vmitn_packet r = {.src = p->dst, .dst = p->src, .sport = p->dport, .dport = p->sport,
                          .proto = 6, .kind = VMITN_PKT_LEGIT, .bytes = p->bytes,
                          .from = p->to, .to = p->from};
        vmitn_send_packet(m, &r);
    }
}

const vmitn_module vmitn_legit = {
    .name = "legit", .id = 19, .thin_ok = true, .kinds = 1u << VMITN_PKT_LEGIT, .enabled = legit_enabled,
    .start = legit_start, .deliver = legit_deliver,
};
