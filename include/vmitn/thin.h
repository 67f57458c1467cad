/* thin.h — thinning's acceptance rule (src/worm/fast.c, docs/MODEL.md §3), on its own so
 * that tests/test_model.c can check it exactly. */
#ifndef VMITN_THIN_H
#define VMITN_THIN_H

#include <stdbool.h>
#include <stdint.h>

/* A proposal in region r draws j uniformly below the bound s_r(t0) (the hosts the scanner
 * could infect there when the proposal was drawn); it accepts when j < s_now = s_r(t) (the
 * hosts it can infect there now, s_now <= s_r(t0)): with probability s_r(t) / s_r(t0),
 * and an accepted j names the target, the j-th such host of the region in address order. */
static inline bool vmitn_thin_accept(uint64_t j, uint32_t s_now)
{
    return j < s_now;
}

#endif
