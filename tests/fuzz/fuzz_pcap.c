/* fuzz_pcap.c — `vmitn learn` on any file: libpcap's pcap and pcapng readers, vmitn's
 * frame parser (Ethernet, VLANs, Linux cooked v1/v2, raw IP, loopback) and the learner. */
#include "fuzz.h"
#include "vmitn/learner.h"
#include "vmitn/pcapio.h"
#include "vmitn/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
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
    return 0;
}
