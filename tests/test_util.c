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
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmitn/util.h"
#include "testlib.h"

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
        skip(); /* a file system without RENAME_EXCHANGE: src/lua/commit.c falls back to two renames */
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

/* Temporaries carry this machine's name: a stale one is removed only when it is this
 * machine's and its process is gone; another machine's (a shared folder) and a live one
 * stay, and so does a name that is not a temporary's. */
static void test_util_remove_stale_only_this_hosts_dead(void **state)
{
    (void)state;
    char dir[] = "/tmp/vmitn-test-util-XXXXXX", tag[VMITN_TAGLEN], host[256] = "", p[512];
    assert_non_null(mkdtemp(dir));
    vmitn_tmp_tag(tag);
    assert_int_equal(gethostname(host, sizeof host - 1), 0);
    char want[300];
    snprintf(want, sizeof want, "%s.%ld", host, (long)getpid());
    assert_string_equal(tag, want); /* this machine's name is plain here */
    pid_t dead = fork();
    assert_true(dead >= 0);
    if (dead == 0)
        _exit(0);
    assert_int_equal(waitpid(dead, NULL, 0), dead);
    static const char *const fmt[] = {"%s/.r.tmp.%s.%ld",          /* this host, dead: goes */
                                      "%s/.r.tmp.%s.%ld.old",      /* its fallback old folder: goes */
                                      "%s/.r.tmp.other.example.%ld", /* another machine's: stays */
                                      "%s/.r.tmp.%ld",             /* no host (an older vmitn's): stays */
                                      "%s/.r.tmp.%s.%ld"};         /* this host, alive: stays */
    for (int i = 0; i < 5; i++) {
        long pid = i == 4 ? (long)getppid() : (long)dead;
        if (i == 2 || i == 3)
            snprintf(p, sizeof p, fmt[i], dir, pid);
        else
            snprintf(p, sizeof p, fmt[i], dir, host, pid);
        assert_int_equal(mkdir(p, 0777), 0);
    }
    vmitn_remove_stale(dir, ".r.tmp.");
    struct stat st;
    for (int i = 0; i < 5; i++) {
        long pid = i == 4 ? (long)getppid() : (long)dead;
        if (i == 2 || i == 3)
            snprintf(p, sizeof p, fmt[i], dir, pid);
        else
            snprintf(p, sizeof p, fmt[i], dir, host, pid);
        if ((lstat(p, &st) == 0) != (i >= 2))
            fail_msg("%s: %s", p, i >= 2 ? "removed, but it is not this machine's dead run's" : "left");
        rmdir(p);
    }
    rmdir(dir);
}

/* write_atomic and write_durable leave no temporary, and name theirs with the host. */
static void test_util_write_atomic_leaves_nothing(void **state)
{
    (void)state;
    char dir[] = "/tmp/vmitn-test-util-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.csv", dir);
    assert_int_equal(vmitn_write_atomic(path, "a\n"), 0);
    assert_int_equal(vmitn_write_durable(path, "b\n"), 0);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            assert_string_equal(e->d_name, "f.csv"), n++;
    closedir(d);
    assert_int_equal(n, 1);
    unlink(path);
    rmdir(dir);
}

/* SIGHUP, SIGUSR1, SIGUSR2 and SIGPIPE are interrupts as SIGINT is: the watchdog removes
 * the registered temporaries and exits 130 (by default each would kill the process and
 * leave them). */
static void test_util_other_signals_clean_up(void **state)
{
    (void)state;
    static const int sigs[] = {SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        char dir[] = "/tmp/vmitn-test-util-XXXXXX", tmp[256];
        assert_non_null(mkdtemp(dir));
        snprintf(tmp, sizeof tmp, "%s/.x.tmp", dir);
        assert_int_equal(mkdir(tmp, 0777), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            vmitn_interrupt_install();
            vmitn_cleanup_add(tmp);
            raise(sigs[i]);
            for (;;)
                pause();
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 130)
            fail_msg("signal %d: the process did not exit 130", sigs[i]);
        struct stat st;
        assert_int_not_equal(lstat(tmp, &st), 0);
        rmdir(dir);
    }
}

/* The growing buffer: appends of bytes (a NUL among them too), strings and printf text
 * (short, and longer than the room left), each with a NUL after the n bytes; reset keeps
 * the memory, take hands the text over, free empties. */
static void test_util_buf_appends(void **state)
{
    (void)state;
    vmitn_buf b = {0};
    assert_null(b.p);
    vmitn_buf_add(&b, "a\0b", 3);
    assert_int_equal(b.n, 3);
    assert_memory_equal(b.p, "a\0b", 4);
    vmitn_buf_puts(&b, "cd");
    vmitn_buf_printf(&b, "[%d,%.2f,%s]", 42, 0.5, "x");
    assert_int_equal(b.n, 5 + strlen("[42,0.50,x]"));
    assert_memory_equal(b.p, "a\0bcd[42,0.50,x]", b.n + 1);
    char big[5000];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    size_t before = b.n;
    assert_true(b.cap - b.n < sizeof big); /* the text does not fit: printf grows the buffer */
    vmitn_buf_printf(&b, "%s!", big);
    assert_int_equal(b.n, before + sizeof big);
    assert_memory_equal(b.p + before, big, sizeof big - 1);
    assert_string_equal(b.p + b.n - 1, "!");
    size_t cap = b.cap;
    char *mem = b.p;
    vmitn_buf_reset(&b);
    assert_int_equal(b.n, 0);
    assert_string_equal(b.p, "");
    vmitn_buf_printf(&b, "%s", "fits");
    assert_true(b.p == mem && b.cap == cap); /* the same memory, no growth */
    assert_string_equal(b.p, "fits");
    char *s = vmitn_buf_take(&b);
    assert_string_equal(s, "fits");
    assert_true(b.p == NULL && b.n == 0 && b.cap == 0);
    free(s);
    s = vmitn_buf_take(&b); /* nothing appended: "" */
    assert_string_equal(s, "");
    free(s);
    vmitn_buf_printf(&b, "%s", ""); /* an empty append still makes the text "" */
    assert_non_null(b.p);
    assert_string_equal(b.p, "");
    vmitn_buf_free(&b);
    assert_true(b.p == NULL && b.n == 0 && b.cap == 0);
    vmitn_buf_reset(&b); /* of an empty buffer: nothing to do */
    assert_null(b.p);
}

/* Out of memory is not a bug: a buffer that would pass SIZE_MAX ends the process as the
 * allocators do: the message, the registered temporaries removed, exit 1 (bad input). */
static void buf_past_size_max(void *tmp)
{
    vmitn_cleanup_add(tmp);
    vmitn_buf b = {0};
    vmitn_buf_puts(&b, "abc");
    vmitn_buf_add(&b, "x", SIZE_MAX - 2);
}

static void test_util_buf_out_of_memory(void **state)
{
    (void)state;
    char dir[] = "/tmp/vmitn-test-util-XXXXXX", tmp[256], msg[512];
    assert_non_null(mkdtemp(dir));
    snprintf(tmp, sizeof tmp, "%s/.out.tmp", dir);
    assert_int_equal(mkdir(tmp, 0777), 0);
    assert_int_equal(child_exit(buf_past_size_max, tmp, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "vmitn: out of memory"));
    struct stat st;
    assert_int_not_equal(lstat(tmp, &st), 0);
    rmdir(dir);
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
        cmocka_unit_test(test_util_remove_stale_only_this_hosts_dead),
        cmocka_unit_test(test_util_write_atomic_leaves_nothing),
        cmocka_unit_test(test_util_other_signals_clean_up),
        cmocka_unit_test(test_util_buf_appends),
        cmocka_unit_test(test_util_buf_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
