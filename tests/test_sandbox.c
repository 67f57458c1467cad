/* test_sandbox.c — the sandbox's limits as the fuzzer sets them (run options no command
 * line reaches): each limit stops the scenario with its own message, numbers and all
 * (Lua's own formatter knows no %u, %llu or %g and would print "invalid conversion"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmitn/scenario.h"
#include "vmitn/util.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vmitn-sandbox-test.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* Runs lua (a scenario's run body) as a sweep job under o's limits; returns its exit code
 * and its stderr in err. */
static int job(const char *lua, vmitn_run_opts o, char *err, size_t n)
{
    char path[128], log[128];
    snprintf(path, sizeof path, "%s/s.lua", dir);
    snprintf(log, sizeof log, "%s/stderr", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "return { name = \"s\", runs = 1, run = function(p)\n%s\nend }\n", lua);
    fclose(f);
    o.scenario = path;
    o.seed = 1;
    o.runs = 1;
    o.quiet = true;
    fflush(stderr);
    int saved = dup(2), fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    char *rows = NULL;
    int rc = vmitn_scenario_job(&o, 0, &rows);
    free(rows);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    f = fopen(log, "r");
    assert_non_null(f);
    size_t got = fread(err, 1, n - 1, f);
    err[got] = '\0';
    fclose(f);
    return rc;
}

static void test_sandbox_instruction_limit_message(void **state)
{
    (void)state;
    char err[4096];
    int rc = job("local x = 0 while true do x = x + 1 end", (vmitn_run_opts){.max_instructions = 1000000}, err, sizeof err);
    assert_int_equal(rc, VMITN_EXIT_INPUT);
    if (strstr(err, "s.lua:2: more than 1000000 Lua instructions") == NULL)
        fail_msg("stderr: %s", err);
}

static void test_sandbox_host_limit_message(void **state)
{
    (void)state;
    char err[4096];
    int rc = job("vmitn.experiment('x', { duration = 1, topology = 'generate:4:10:2' })",
                 (vmitn_run_opts){.max_hosts = 16}, err, sizeof err);
    assert_int_equal(rc, VMITN_EXIT_INPUT);
    if (strstr(err, "model.topology: 'generate:4:10:2': more than 16 hosts") == NULL)
        fail_msg("stderr: %s", err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sandbox_instruction_limit_message),
        cmocka_unit_test(test_sandbox_host_limit_message),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
