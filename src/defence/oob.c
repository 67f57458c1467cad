/* oob.c — the out-of-band network between the FES hosts and the SMC: a shared 802.11
 * medium with airtime, loss and retries (docs/MODEL.md §5). */
#include "vmitn/model_internal.h"

#include "vmitn/util.h"

/* One OOB message of `bytes` bytes sent now: it waits for the shared 802.11 medium, holds
 * it for its airtime (bytes / oob.bandwidth), and each attempt is lost with probability
 * oob.loss and sent again (holding the medium again) after oob.retry; the attempt that
 * gets through then takes the gamma-distributed latency of Table 1's "AGENT forward to
 * SMC" (the software and protocol time of a small message).  Returns the delay. */
vmitn_time vmitn_oob_send(vmitn_model *m, vmitn_rng *r, double bytes)
{
    const vmitn_model_cfg *c = m->c;
    vmitn_time now = vmitn_sched_now(m->s), t = now;
    vmitn_time air = c->oob.bandwidth > 0 ? vmitn_secs((bytes + c->oob.msg_bytes) * 8 / c->oob.bandwidth) : 0;
    for (;;) {
        if (t < m->air_free)
            t = m->air_free;
        t += air;
        m->air_free = t;
        if (!(c->oob.loss > 0 && vmitn_rng_uniform(r) < c->oob.loss))
            break;
        t += vmitn_secs(c->oob.retry);
    }
    return t - now + vmitn_draw(r, c->oob.latency, c->oob.cv);
}
