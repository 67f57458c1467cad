/* fuzz_pcap.c — `vmitn learn` on any file: libpcap's pcap and pcapng readers, vmitn's
 * frame parser (Ethernet, VLANs, Linux cooked v1/v2, raw IP, loopback) and the learner;
 * then the same file as replayed traffic: the trace loader, the mapping onto a generated
 * network (with and without loop and speed) and the learner over the trace. */
#include "fuzz.h"
#include "vmitn/learner.h"
#include "vmitn/pcapio.h"
#include "vmitn/trace.h"
#include "vmitn/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    static vmitn_topo *topo;
    char err[VMITN_ERRLEN];
    if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
        abort();
    if (topo == NULL && vmitn_topo_generate(2, 3, 2, &topo, err, sizeof err) != 0)
        abort();
    const char *path = fuzz_file(data, size, ".pcap");
    vmitn_learner_cfg cfg;
    vmitn_learner_cfg_default(&cfg);
    cfg.theta = 3; /* rules get issued on small inputs too */
    cfg.lambda = 1;
    vmitn_trace_stats st;
    int rc = vmitn_pcap_learn(path, &cfg, devnull, NULL, &st);
    if (rc != VMITN_EXIT_OK && rc != VMITN_EXIT_INPUT)
        abort();
    if (st.fed + st.non_ipv4 + st.truncated + st.fragments > st.read)
        abort();
    vmitn_trace tr;
    if (vmitn_trace_load(path, &tr, err, sizeof err) != 0)
        return 0;
    if (tr.n != st.fed || st.stopped_early) /* the same reader: a whole capture means the same packets */
        abort();
    vmitn_trace_map_opts o = {.inside = (int)(size % 3), .speed = size % 2 ? 1 : 3.5, .loop = size % 2,
                              .map = "10.0.0.1=outside"};
    vmitn_replay r;
    err[0] = '\0';
    rc = vmitn_replay_map(&tr, topo, &o, 1, 0, 0, &r, err, sizeof err);
    if (rc == -VMITN_EINPUT && err[0] != '\0') { /* refused with a message, e.g. a loop under 1 ms */
        vmitn_trace_destroy(&tr);
        return 0;
    }
    if (rc != 0)
        abort();
    if (r.n + r.skip_nonunicast + r.skip_same_host + r.skip_outside != tr.n)
        abort();
    vmitn_replay_destroy(&r);
    vmitn_pattern truth = {.wild = VMITN_WILD_SRC | VMITN_WILD_PORT, .dst = 0x0a000001};
    vmitn_trace_eval ev;
    if (vmitn_trace_learn(&tr, &cfg, &truth, 0, &ev, err, sizeof err) != 0 || ev.nrules != st.rules)
        abort();
    vmitn_trace_eval_destroy(&ev);
    vmitn_trace_destroy(&tr);
    return 0;
}
