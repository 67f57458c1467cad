/* test_util.c — the helpers every file name, CSV cell and meta value goes through, the
 * durable writes, the emergency cleanup and the interrupt flag (issue 13). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmitn/util.h"

/* Names that could leave a folder, hide a file or be empty are refused. */
static void test_util_safe_name_refuses_paths(void **state)
{
    (void)state;
    static const char *const good[] = {"L1-1", "fig10", "a.b", "x_y-z.csv", "A"};
    static const char *const bad[] = {"", ".", "..", ".hidden", "a/b", "../x", "./../../X", "a b", "a\nb",
                                      "a\\b", "a:b", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(vmitn_safe_name(good[i], 63));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (vmitn_safe_name(bad[i], 63))
            fail_msg("'%s' was taken as a safe name", bad[i]);
    assert_true(vmitn_safe_name("abc", 3));
    assert_false(vmitn_safe_name("abcd", 3));
}

/* A cell is quoted exactly when CSV needs it, and reads back through vmitn_csv_split. */
static void test_util_csv_cell_round_trip(void **state)
{
    (void)state;
    static const char *const v[] = {"plain", "a,b", "q\"x", "two\nlines", " lead", "", "\"\"", "cr\r"};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char *c = vmitn_csv_cell(v[i]);
        char line[256];
        snprintf(line, sizeof line, "%s,end", c);
        char *f[4];
        int n = vmitn_csv_split(line, f, 4);
        if (strpbrk(v[i], "\n\r") == NULL) { /* the splitter reads one line */
            assert_int_equal(n, 2);
            assert_string_equal(f[0], v[i]);
            assert_string_equal(f[1], "end");
        }
        free(c);
    }
    char *c = vmitn_csv_cell("plain");
    assert_string_equal(c, "plain");
    free(c);
    c = vmitn_csv_cell("q\"x");
    assert_string_equal(c, "\"q\"\"x\"");
    free(c);
}

/* A meta value stays on one line; backslashes and control characters are escaped. */
static void test_util_escape_line(void **state)
{
    (void)state;
    char *e = vmitn_escape_line("a\nb\\c\td\x01");
    assert_string_equal(e, "a\\nb\\\\c\\td\\x01");
    assert_null(strchr(e, '\n'));
    free(e);
    e = vmitn_escape_line("plain text = ok");
    assert_string_equal(e, "plain text = ok");
    free(e);
}

static void test_util_hash_is_fnv1a(void **state)
{
    (void)state;
    assert_true(vmitn_hash(VMITN_HASH_INIT, "", 0) == 0xcbf29ce484222325ULL);
    assert_true(vmitn_hash(VMITN_HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(vmitn_hash(vmitn_hash(VMITN_HASH_INIT, "ab", 2), "c", 1) == vmitn_hash(VMITN_HASH_INIT, "abc", 3));
}

static void test_util_write_durable_whole(void **state)
{
    (void)state;
    char dir[] = "/tmp/vmitn-test-util-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.txt", dir);
    assert_int_equal(vmitn_write_durable(path, "hello\n"), 0);
    FILE *f = fopen(path, "r");
    char buf[16] = "";
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "hello\n");
    assert_int_equal(vmitn_fsync_tree(dir), 0);
    snprintf(path, sizeof path, "%s/no-such-folder/f.txt", dir);
    assert_int_equal(vmitn_write_durable(path, "x"), -1); /* and a message */
    snprintf(path, sizeof path, "%s/f.txt", dir);
    unlink(path);
    rmdir(dir);
}

/* Two folders swap in one step; neither is missing after. */
static void test_util_rename_exchange(void **state)
{
    (void)state;
    char dir[] = "/tmp/vmitn-test-util-XXXXXX", a[256], b[256], fa[300], fb[300];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(fa, sizeof fa, "%s/only-a", a);
    snprintf(fb, sizeof fb, "%s/only-a", b);
    assert_int_equal(mkdir(a, 0777), 0);
    assert_int_equal(mkdir(b, 0777), 0);
    FILE *f = fopen(fa, "w");
    assert_non_null(f);
    fclose(f);
    if (vmitn_rename_exchange(a, b) != 0)
        skip(); /* a file system without RENAME_EXCHANGE: scenario.c falls back to two renames */
    struct stat st;
    assert_int_equal(stat(fb, &st), 0);
    assert_int_not_equal(stat(fa, &st), 0);
    unlink(fb);
    rmdir(a);
    rmdir(b);
    rmdir(dir);
}

/* The watchdog's cleanup removes a registered tree (with a symlink it must not follow)
 * and exits 130; a forked child never removes what its parent registered. */
static void test_util_watchdog_removes_registered_paths(void **state)
{
    (void)state;
    char dir[] = "/tmp/vmitn-test-util-XXXXXX", tmp[256], sub[300], file[400], keep[300], link[400];
    assert_non_null(mkdtemp(dir));
    snprintf(tmp, sizeof tmp, "%s/.run.tmp", dir);
    snprintf(sub, sizeof sub, "%s/deep", tmp);
    snprintf(file, sizeof file, "%s/f.csv", sub);
    snprintf(keep, sizeof keep, "%s/keep", dir);
    snprintf(link, sizeof link, "%s/link", sub);
    assert_int_equal(vmitn_mkdir_p(sub), 0);
    assert_int_equal(mkdir(keep, 0777), 0);
    assert_int_equal(symlink(keep, link), 0);
    for (int i = 0; i < 300; i++) { /* more entries than one getdents call returns */
        char p[500];
        snprintf(p, sizeof p, "%s/file-%03d-with-a-long-name-to-fill-the-buffer", sub, i);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fclose(f);
    }
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        vmitn_interrupt_install();
        vmitn_cleanup_add(tmp);
        raise(SIGINT); /* sets the flag, arms the watchdog */
        for (;;)
            pause(); /* stuck in "a long C call": the watchdog must end it */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    struct stat st;
    assert_int_not_equal(lstat(tmp, &st), 0);
    assert_int_equal(stat(keep, &st), 0); /* the link's target stays */
    rmdir(keep);
    rmdir(dir);
}

static void test_util_interrupt_flag(void **state)
{
    (void)state;
    assert_false(vmitn_interrupted());
    vmitn_interrupt_set(true);
    assert_true(vmitn_interrupted());
    vmitn_interrupt_set(false);
    assert_false(vmitn_interrupted());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_safe_name_refuses_paths),
        cmocka_unit_test(test_util_csv_cell_round_trip),
        cmocka_unit_test(test_util_escape_line),
        cmocka_unit_test(test_util_hash_is_fnv1a),
        cmocka_unit_test(test_util_write_durable_whole),
        cmocka_unit_test(test_util_rename_exchange),
        cmocka_unit_test(test_util_watchdog_removes_registered_paths),
        cmocka_unit_test(test_util_interrupt_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
