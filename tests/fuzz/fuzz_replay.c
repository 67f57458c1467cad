/* fuzz_replay.c — a replay's timing: any speed, start and loop (in range, at its edges, or
 * a raw double: NaN, infinities, negatives) over a trace of any times (held never
 * decreasing in [0, 2^62] ns, as pcapio's reader holds them), built in memory so that
 * every execution reaches the scaler, the loop period, the work estimate, the mapping and
 * a short model run.  A refused input must be refused with a message; an accepted one must
 * keep every replayed time in range, in order, and the loop period at least 1 ms.
 *
 * Input: byte 0 picks the speed's form, byte 1 the start's, byte 2 loop (bit 0), inside
 * mode (bits 1-2) and whether the map places an address (bit 3); bytes 3-10 the speed,
 * 11-18 the start; then 16 bytes a packet: 8 of time step (or absolute time), 4 of source
 * and destination low bits, ports, protocol. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "vmitn/model.h"
#include "vmitn/trace.h"
#include "vmitn/util.h"

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* A double from 8 bytes: one of the valid range's points, its edges, or any bit pattern. */
static double pick(uint8_t form, const uint8_t *p, double lo, double hi)
{
    uint64_t v = get64(p);
    switch (form % 4) {
    case 0: return lo * pow(hi / (lo > 0 ? lo : 1e-6), (double)(v >> 11) / 9007199254740992.0); /* log-uniform */
    case 1: return (v & 1) ? hi : lo;
    case 2: {
        double d;
        memcpy(&d, &v, sizeof d);
        return d;
    }
    default: return (double)(v >> 11) / 9007199254740992.0 * hi;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vmitn_topo *topo;
    char err[VMITN_ERRLEN];
    if (topo == NULL && vmitn_topo_generate(2, 3, 2, &topo, err, sizeof err) != 0)
        abort();
    if (size < 19)
        return 0;
    vmitn_trace_map_opts o = {.inside = (data[2] >> 1) % 4, .loop = data[2] & 1,
                              .map = (data[2] & 8) ? "10.0.0.1=outside" : NULL};
    o.speed = pick(data[0], data + 3, 1e-6, 1e6);
    o.start = pick(data[1], data + 11, data[1] & 0x80 ? 0 : 1e-3, 1e6);
    vmitn_trace tr = {.path = "fuzz.pcap"};
    size_t n = (size - 19) / 16;
    tr.pkt = calloc(n + 1, sizeof *tr.pkt);
    vmitn_time t = 0;
    const vmitn_time max = (vmitn_time)1 << 62;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = data + 19 + 16 * i;
        uint64_t v = get64(p);
        /* the top bit: an absolute time (held, as the reader holds one that goes back); else a step */
        vmitn_time step = (vmitn_time)(v & 0x3fffffffffffffffULL);
        if (v >> 63)
            t = step > t ? step : t;
        else
            t = step > max - t ? max : t + (step >> (p[8] % 64));
        tr.pkt[i] = (vmitn_trace_pkt){.t = t, .src = 0x0a000000u | p[9], .dst = (p[10] & 0x80 ? 0x08080800u : 0x0a000000u) | p[10],
                                      .sport = (uint16_t)(p[11] << 8 | p[12]), .dport = p[13], .proto = p[14] % 3 ? 6 : 17,
                                      .flags = p[15], .bytes = 60, .index = (uint32_t)i + 1};
    }
    tr.n = n;
    vmitn_time period;
    int rc = vmitn_replay_timing(&tr, &o, &period, err, sizeof err);
    if (rc != 0 && (rc != -VMITN_EINPUT || err[0] == '\0'))
        abort();
    vmitn_replay r;
    int mrc = vmitn_replay_map(&tr, topo, &o, 1, 0, 0, &r, err, sizeof err);
    if ((mrc == 0) != (rc == 0)) /* the mapping refuses exactly what the check refuses */
        abort();
    if (rc != 0) {
        free(tr.pkt);
        return 0;
    }
    if (r.n + r.skip_nonunicast + r.skip_same_host + r.skip_outside != tr.n || r.period != period)
        abort();
    if (o.loop && n > 0 && (period < VMITN_REPLAY_MIN_PERIOD || period >= max))
        abort();
    for (size_t i = 0; i < r.n; i++)
        if (r.pkt[i].t < vmitn_secs(o.start) || r.pkt[i].t > max + vmitn_secs(o.start) ||
            (i > 0 && r.pkt[i].t < r.pkt[i - 1].t))
            abort();
    vmitn_replay_destroy(&r);
    double duration = 0.05;
    double ev = vmitn_replay_events(&tr, &o, duration);
    if (!(ev >= 0) || !isfinite(ev))
        abort();
    /* a short run, when it is short: the replay events, loops and all, through the model */
    if (ev <= 20000) {
        vmitn_model_cfg c;
        vmitn_model_cfg_default(&c);
        c.worm.enabled = false;
        c.duration = duration;
        c.grid = 0.01;
        snprintf(c.legit.trace, sizeof c.legit.trace, "fuzz.pcap");
        if (o.map)
            snprintf(c.legit.trace_map, sizeof c.legit.trace_map, "%s", o.map);
        c.legit.trace_inside = o.inside;
        c.legit.trace_speed = o.speed;
        c.legit.trace_start = o.start;
        c.legit.trace_loop = o.loop;
        vmitn_trace_set set = {.tr = &tr, .n = 1};
        c.legit.traces = &set;
        if (vmitn_model_run(&c, topo, 1, 0, NULL, 0, err, sizeof err) != 0)
            abort();
    }
    free(tr.pkt);
    return 0;
}
