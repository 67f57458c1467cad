/* bench.h — `vmitn bench`: benchmarks of the event core and of the paper's scenarios.
 * Prints medians over repeated runs; asserts nothing. */
#ifndef VMITN_BENCH_H
#define VMITN_BENCH_H

#include <stdbool.h>
#include <stdio.h>

int vmitn_bench(bool quick, FILE *out);

#endif
