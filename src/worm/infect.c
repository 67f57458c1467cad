/* infect.c — the worm in a guest: infection (exploit, single-packet UDP, injection, the
 * launch), start-up, the exploit after the handshake, stop (docs/MODEL.md §3). */
#include "vmitn/model_internal.h"

#include <math.h>
#include <stdio.h>

#include "vmitn/util.h"

static void ev_exploit_send(vmitn_sched *s, void *ctx, uint64_t arg);

void vmitn_worm_start(vmitn_model *m, unsigned hi)
{
    vmitn_mhost *h = &m->hosts[hi];
    h->active = true;
    vmitn_emit_host(m, hi, VMITN_EV_ACTIVE, -1);
    if (h->detect_on_scan) {
        h->detect_on_scan = false;
        vmitn_defence_intrusion(m, hi);
    }
    if (m->c->worm.enabled && m->c->worm.rate > 0 && m->c->worm.fast) {
        if (m->c->worm.strategy != VMITN_STRATEGY_RANDOM)
            vmitn_strategy_schedule(m, hi);
        else
            vmitn_fast_schedule(m, hi);
        return;
    }
    /* the first scan comes one gap after the start, so a Poisson scanner stays Poisson */
    if (m->c->worm.enabled && m->c->worm.rate > 0)
        vmitn_sched_after(m->s, vmitn_worm_gap(m, h), vmitn_worm_ev_scan, m, hi | ((uint64_t)h->epoch << 32));
}

static void ev_activate(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    vmitn_model *m = ctx;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    vmitn_mhost *h = &m->hosts[hi];
    if ((uint32_t)(arg >> 32) == h->epoch && h->infected && h->online)
        vmitn_worm_start(m, hi);
}

static void ev_exploit_send(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    vmitn_model *m = ctx;
    /* the attacker and the victim in 24 bits each (the model takes 2^24 hosts), the
     * attacker's guest (epoch) in the top 16 */
    unsigned from = (unsigned)(arg & 0xffffff), to = (unsigned)((arg >> 24) & 0xffffff);
    vmitn_mhost *a = &m->hosts[from];
    if ((uint32_t)(arg >> 48) != (a->epoch & 0xffff) || !a->online || !a->infected)
        return; /* the attacking guest was switched off: the connection dies */
    vmitn_packet p = {.src = a->addr, .dst = m->hosts[to].addr, .sport = vmitn_ephemeral(a),
                      .dport = (uint16_t)m->c->worm.port, .proto = 6, .kind = VMITN_PKT_EXPLOIT,
                      .bytes = (uint16_t)m->c->worm.exploit_bytes, .from = (int32_t)from, .to = -1};
    m->to_addr = p.dst; /* the packet path routes it to its host without looking it up */
    m->to_ix = (int)to;
    vmitn_send_packet(m, &p);
}

/* A worm packet reached the online guest p->to.  A SYN to the vulnerable port of a clean
 * guest completes its handshake (the exploit follows, ev_exploit_send); a single-packet
 * UDP worm's scan, and an exploit, infect it. */
void vmitn_worm_receive(vmitn_model *m, vmitn_packet *p)
{
    vmitn_mhost *h = &m->hosts[p->to];
    const vmitn_model_cfg *c = m->c;
    switch (p->kind) {
    case VMITN_PKT_SCAN:
        if (m->wst && !c->worm.fast && h->infected)
            vmitn_strategy_met_infected(m, (unsigned)p->from);
        if (c->worm.proto == 17) { /* a single-packet UDP worm: the scan is the exploit */
            if (h->is_fes && c->fes.vulnerable && !h->infected && p->dport == c->worm.port)
                vmitn_worm_infect(m, (unsigned)p->to, p->from, false);
            break;
        }
        /* SYN to the vulnerable port of a clean guest: the handshake completes and the
         * attacker sends the exploit one round trip later (ev_exploit_send). */
        if (h->is_fes && c->fes.vulnerable && !h->infected && p->dport == c->worm.port) {
            vmitn_route back; /* to the scanner: only the worm sends scans, from its own address */
            vmitn_topo_route_ix(m->t, (unsigned)p->to, p->src, p->from >= 0 ? p->from : VMITN_TOPO_ASK, &back);
            if (back.end == VMITN_ROUTE_HOST) {
                uint64_t a = (uint64_t)(uint32_t)p->from | ((uint64_t)(uint32_t)p->to << 24) |
                             ((uint64_t)m->hosts[p->from].epoch << 48);
                vmitn_sched_after(m->s, vmitn_route_time(&back, c->worm.scan_bytes), ev_exploit_send, m, a);
            }
        }
        break;
    case VMITN_PKT_EXPLOIT:
        if (h->is_fes && c->fes.vulnerable && !h->infected)
            vmitn_worm_infect(m, (unsigned)p->to, p->from, false);
        break;
    default:
        break;
    }
}

/* A victim is infected by an exploit (or by hand, `inject`): it scans after its start-up
 * delay and SPY sees the intrusion at once.  The launched worm (launch = true) has no
 * exploit: it starts after worm.launch_startup, and with worm.launch_detect = scan SPY sees
 * it only when it starts scanning. */
void vmitn_worm_infect(vmitn_model *m, unsigned hi, int by, bool launch)
{
    vmitn_mhost *h = &m->hosts[hi];
    const vmitn_model_cfg *c = m->c;
    if (m->thin && !h->infected)
        vmitn_fast_lost(m, hi);
    vmitn_set_state(m, h, true, h->online);
    m->counts.infections++;
    if (m->wst)
        vmitn_strategy_infected(m, hi, by);
    vmitn_emit_host(m, hi, VMITN_EV_INFECTED, by);
    if (m->ninf)
        vmitn_defence_infected(m, hi, by);
    double startup = launch ? c->worm.launch_startup : c->worm.activation;
    bool on_scan = launch && c->worm.launch_detect == VMITN_LAUNCH_SCAN;
    h->detect_on_scan = on_scan;
    if (launch && startup <= 0)
        vmitn_worm_start(m, hi);
    else
        vmitn_sched_after(m->s, vmitn_draw(vmitn_mrng(m, h, VMITN_R_WORM), startup, c->worm.activation_cv), ev_activate, m, VMITN_HE(hi, h));
    if (!on_scan)
        vmitn_defence_intrusion(m, hi);
}

static void ev_inject(vmitn_sched *s, void *ctx, uint64_t arg)
{
    (void)s;
    vmitn_model *m = ctx;
    bool launch = arg >> 32;
    unsigned hi = (unsigned)(arg & 0xffffffffu);
    if (!m->hosts[hi].infected && m->hosts[hi].online)
        vmitn_worm_infect(m, hi, -1, launch);
}

/* The launch (worm.start_host at worm.start_time) and the injected infections. */
void vmitn_worm_schedule(vmitn_model *m)
{
    const vmitn_model_cfg *c = m->c;
    if (c->worm.enabled) {
        int h = vmitn_topo_find_name(m->t, c->worm.start_host);
        vmitn_sched_at(m->s, vmitn_secs(c->worm.start_time), ev_inject, m, (uint64_t)h | ((uint64_t)1 << 32));
    }
    for (unsigned i = 0; i < c->ninject; i++)
        vmitn_sched_at(m->s, vmitn_secs(c->inject[i].t), ev_inject, m,
                       (uint64_t)vmitn_topo_find_name(m->t, c->inject[i].host));
}

/* ---------- the worm's row ---------- */

static int worm_setup(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)k;
    (void)st;
    (void)err;
    (void)errlen;
    m->scan_gap = m->c->worm.rate > 0 ? vmitn_secs(1.0 / m->c->worm.rate) : 0;
    if (m->scan_gap < 1)
        m->scan_gap = 1;
    m->scan_tpl = (vmitn_packet){.dport = (uint16_t)m->c->worm.port, .proto = (uint8_t)m->c->worm.proto,
                                 .kind = VMITN_PKT_SCAN, .bytes = (uint16_t)m->c->worm.scan_bytes, .to = -1};
    vmitn_worm_setup(m);
    vmitn_fast_setup(m);
    return 0;
}

static int worm_start(vmitn_model *m, unsigned k, void **st, char *err, size_t errlen)
{
    (void)k;
    (void)st;
    (void)err;
    (void)errlen;
    vmitn_worm_schedule(m);
    return 0;
}

/* A guest that ran the worm was cleaned or replaced: its scanning stops (its pending
 * misses are counted). */
static void worm_cleaned(vmitn_model *m, void *st, unsigned hi)
{
    (void)st;
    vmitn_worm_stop(m, &m->hosts[hi]);
}

static void worm_deliver(vmitn_model *m, void *st, vmitn_packet *p)
{
    (void)st;
    vmitn_worm_receive(m, p);
}

/* The worm's parameters against each other and the topology. */
static int worm_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    (void)errlen;
    double sum = c->worm.p_local + c->worm.p_near + c->worm.p_any;
    if (fabs(sum - 1.0) > 1e-9)
        return vmitn_fail(err, VMITN_EINPUT,
                          "worm.p_local + worm.p_near + worm.p_any must be 1 (got %g + %g + %g = %g)",
                          c->worm.p_local, c->worm.p_near, c->worm.p_any, sum);
    if (c->worm.near_prefix > c->worm.local_prefix)
        return vmitn_fail(err, VMITN_EINPUT, "worm.near_prefix (%d) must not be longer than worm.local_prefix (%d)",
                          c->worm.near_prefix, c->worm.local_prefix);
    if (c->worm.local_bits > 32 - c->worm.local_prefix)
        return vmitn_fail(err, VMITN_EINPUT, "worm.local_bits (%g) exceeds the region's literal size (32 - local_prefix = %d)",
                          c->worm.local_bits, 32 - c->worm.local_prefix);
    if (c->worm.near_bits > 32 - c->worm.near_prefix)
        return vmitn_fail(err, VMITN_EINPUT, "worm.near_bits (%g) exceeds the region's literal size (32 - near_prefix = %d)",
                          c->worm.near_bits, 32 - c->worm.near_prefix);
    int rc;
    if (c->worm.enabled && (rc = vmitn_fes_host_check(t, "worm.start_host", c->worm.start_host, err)) < 0)
        return rc;
    for (unsigned i = 0; i < c->ninject; i++) {
        char what[32];
        snprintf(what, sizeof what, "inject[%u].host", i + 1);
        if ((rc = vmitn_fes_host_check(t, what, c->inject[i].host, err)) < 0)
            return rc;
    }
    if (c->worm.proto != 6 && c->worm.proto != 17)
        return vmitn_fail(err, VMITN_EINPUT, "worm.proto must be 6 (TCP) or 17 (UDP), got %d", c->worm.proto);
    for (unsigned i = 0; i < c->ninject; i++)
        if (!isfinite(c->inject[i].t) || c->inject[i].t < 0)
            return vmitn_fail(err, VMITN_EINPUT, "inject[%u].t must be a finite time >= 0", i + 1);
    return 0;
}

/* Always on (worm.enabled only says whether it is launched; injections need it too). */
const vmitn_module vmitn_worm = {
    .name = "worm", .id = 16, .thin_ok = true, .kinds = 1u << VMITN_PKT_SCAN | 1u << VMITN_PKT_EXPLOIT,
    .check = worm_check, .setup = worm_setup, .start = worm_start, .deliver = worm_deliver, .cleaned = worm_cleaned,
};
