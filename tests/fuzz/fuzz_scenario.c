/* fuzz_scenario.c — the scenario loader and the sandbox: any Lua text runs as a sweep
 * job (writing nothing) within small budgets of instructions, memory, model events and
 * generated hosts.
 * A crash, a sanitizer report or a hang here is a hole in the sandbox. */
#include "fuzz.h"
#include "vmitn/scenario.h"
#include "vmitn/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".lua");
    vmitn_run_opts o = {.scenario = path, .seed = 1, .runs = 1, .quiet = true,
                        .max_events = 20000, .max_instructions = 2000000, .max_memory = 64u << 20,
                        .max_hosts = 4096, .no_patterns = true};
    char *rows = NULL;
    int rc = vmitn_scenario_job(&o, 0, &rows);
    free(rows);
    if (rc != VMITN_EXIT_OK && rc != VMITN_EXIT_INPUT && rc != VMITN_EXIT_IO && rc != VMITN_EXIT_USAGE)
        abort();
    return 0;
}
