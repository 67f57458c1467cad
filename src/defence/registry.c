/* registry.c — the module table (the worm, the traffic sources, every defence), in the
 * order their hooks run, and the model's public entry points that run it.  A new worm
 * strategy, traffic source or defence is a file, a section of the parameter table and one
 * row here (docs/ARCHITECTURE.md).  model.c never names this table: it runs the one it is
 * given. */
#include "vmitn/model_internal.h"

#include "vmitn/util.h"

/* Hook order: the worm and its scanning strategy set up first (the regions every other
 * module may read), the traffic sources start after the worm's launch is scheduled; then
 * the defences: the host's own throttle first (it sits in the host's stack), TRW, which
 * watches the connections that actually leave, the edge routers' filters, patching
 * (which acts on hosts, not packets), SPY and the VM Switcher (hosts' own, driven by the
 * worm's intrusion), the AGENT last on the host (it taps what its host's
 * defences let through); the replayed captures start last.  This order is part of the
 * results (events at one time run in the order they were scheduled). */
const vmitn_module *const vmitn_module_table[] = {
    &vmitn_worm, &vmitn_strategy, &vmitn_flood, &vmitn_legit, &vmitn_throttle, &vmitn_trw, &vmitn_edge, &vmitn_patch,
    &vmitn_spy, &vmitn_switcher, &vmitn_agent, &vmitn_replay_row, NULL};

int vmitn_model_run(const vmitn_model_cfg *c, const vmitn_topo *t, uint64_t seed, unsigned run,
                    const vmitn_observer *obs, unsigned nobs, char *err, size_t errlen)
{
    return vmitn_model_run_with(vmitn_module_table, c, t, seed, run, obs, nobs, err, errlen);
}

int vmitn_model_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen)
{
    return vmitn_model_check_with(vmitn_module_table, c, t, err, errlen);
}
