/* pattern.c — equality of learner patterns (vmitn_pattern has padding: never memcmp). */
#include "vmitn/learner.h"

bool vmitn_pattern_same(const vmitn_pattern *a, const vmitn_pattern *b)
{
    return a->wild == b->wild && ((a->wild & VMITN_WILD_SRC) || a->src == b->src) &&
           ((a->wild & VMITN_WILD_DST) || a->dst == b->dst) && ((a->wild & VMITN_WILD_PORT) || a->port == b->port);
}
