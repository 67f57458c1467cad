/* fuzz.h — helpers shared by the libFuzzer targets (tests/fuzz/fuzz_*.c): each input is
 * written to a file of its own process, since every reader of vmitn reads files. */
#ifndef VMITN_FUZZ_H
#define VMITN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data to /tmp/vmitn-fuzz-PID<suffix> and returns that path (static storage). */
static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/vmitn-fuzz-%ld%s", (long)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort(); /* the machine, not the input: stop the fuzzer */
    return path;
}

#endif
