/* test_csv.c — the strict CSV reader (src/io/csv.c) shared by compare, report and plot:
 * what the writers write reads back, and each kind of damage is one message naming the
 * file, the line and the column (issue 21). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmitn/csv.h"
#include "vmitn/util.h"

/* Parses text; returns the code, the message in err. */
static int parse(const char *text, vmitn_csv *t, char *err)
{
    err[0] = '\0';
    return vmitn_csv_parse("f.csv", text, strlen(text), t, err);
}

/* Parses text and checks it as kind; -1 if either fails (message in err). */
static int parse_check(const char *text, enum vmitn_csv_kind kind, char *err)
{
    vmitn_csv t;
    if (parse(text, &t, err) < 0)
        return -1;
    int rc = vmitn_csv_check(&t, kind, err);
    vmitn_csv_free(&t);
    return rc < 0 ? -1 : 0;
}

/* What the writers write: quoted fields with commas, quotes and line breaks, NA, CRLF. */
static void test_csv_reads_what_writers_write(void **state)
{
    (void)state;
    vmitn_csv t;
    char err[VMITN_ERRLEN];
    assert_int_equal(parse("run,pattern,x\n0,\"a,b\",1.5\n1,\"q\"\"x\",NA\n2,\"two\nlines\",-3e-05\r\n3,,inf\n", &t, err), 0);
    assert_int_equal(t.ncol, 3);
    assert_int_equal(t.nrow, 4);
    assert_string_equal(vmitn_csv_at(&t, 0, 1), "a,b");
    assert_string_equal(vmitn_csv_at(&t, 1, 1), "q\"x");
    assert_string_equal(vmitn_csv_at(&t, 2, 1), "two\nlines");
    assert_string_equal(vmitn_csv_at(&t, 3, 1), "");
    assert_int_equal(t.line[0], 2);
    assert_int_equal(t.line[3], 6); /* the quoted line break counts */
    double x;
    assert_int_equal(vmitn_csv_num(&t, 0, 2, 0, &x, err), 0);
    assert_true(x == 1.5);
    assert_int_equal(vmitn_csv_num(&t, 1, 2, 1, &x, err), 0);
    assert_true(isnan(x));
    assert_int_equal(vmitn_csv_num(&t, 1, 2, 0, &x, err), -VMITN_EINPUT);
    assert_string_equal(err, "f.csv:3: column 'x': NA where a number must be");
    assert_int_equal(vmitn_csv_num(&t, 3, 2, 0, &x, err), 0);
    assert_true(isinf(x));
    assert_int_equal(vmitn_csv_col(&t, "pattern"), 1);
    assert_int_equal(vmitn_csv_col(&t, "nope"), -1);
    vmitn_csv_free(&t);
}

/* Each kind of structural damage: one message with the line. */
static void test_csv_refuses_damage(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"", "f.csv: empty (not even a header line)"},
        {"\n", "f.csv:1: an empty header line"},
        {"a,b\n1,2\n3,4", "f.csv:3: the line is cut short (no newline at the end of the file)"},
        {"a,b\n1,2\n3\n", "f.csv:3: 1 fields, the header has 2"},
        {"a,b\n1,2,3\n", "f.csv:2: 3 fields, the header has 2"},
        {"a,b\n1,2\n\n3,4\n", "f.csv:3: an empty line"},
        {"a,b\n1,\"2\n", "f.csv:2: a quoted field is not closed"},
        {"a,b\n1,\"2\"x\n", "f.csv:2: text after a closing quote"},
        {"a,b\n1,2\"\n", "f.csv:2: a quote inside an unquoted field"},
        {"a,a\n1,2\n", "f.csv:1: column 'a' twice in the header"},
        {"a,b\n1,2\r3\n", "f.csv:2: a carriage return inside a field"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vmitn_csv t;
        char err[VMITN_ERRLEN];
        if (parse(cases[i].text, &t, err) != -VMITN_EINPUT)
            fail_msg("case %zu was read", i);
        assert_string_equal(err, cases[i].msg);
        assert_null(t.cell);
    }
    vmitn_csv t;
    char err[VMITN_ERRLEN];
    assert_int_equal(vmitn_csv_parse("f.csv", "a\n1\n\0\n", 6, &t, err), -VMITN_EINPUT);
    assert_string_equal(err, "f.csv:3: a NUL byte (not a text file)");
}

/* The rules of the results files: numbers or NA, keys never twice, runs whole. */
static void test_csv_checks_results_files(void **state)
{
    (void)state;
    char err[VMITN_ERRLEN];
    assert_int_equal(parse_check("t,infected_mean\n0,1\n0.1,NA\n", VMITN_CSV_CURVE, err), 0);
    assert_int_equal(parse_check("t,infected_mean\n0,1\n0.1,abc\n", VMITN_CSV_CURVE, err), -1);
    assert_string_equal(err, "f.csv:3: column 'infected_mean': 'abc' is not a number");
    assert_int_equal(parse_check("t,infected_mean\n0,1\n0.1,\n", VMITN_CSV_CURVE, err), -1);
    assert_string_equal(err, "f.csv:3: column 'infected_mean': '' is not a number");
    static const char *const notnum[] = {" 1", "1 ", "0x10", "nan", "1e", "--1", "1,5"};
    for (size_t i = 0; i < sizeof notnum / sizeof *notnum; i++) {
        char text[64];
        snprintf(text, sizeof text, "t,v\n0,\"%s\"\n", notnum[i]);
        if (parse_check(text, VMITN_CSV_CURVE, err) == 0)
            fail_msg("'%s' was read as a number", notnum[i]);
    }
    assert_int_equal(parse_check("t,v\n0,1\n0.1,2\n0,3\n", VMITN_CSV_CURVE, err), -1);
    assert_string_equal(err, "f.csv:4: column 't': time 0 again (first at line 2)");
    assert_int_equal(parse_check("t,v\nNA,1\n", VMITN_CSV_CURVE, err), -1);
    assert_string_equal(err, "f.csv:2: column 't': NA where a number must be");
    assert_int_equal(parse_check("run,v\n0,1\n1,NA\n", VMITN_CSV_RUNS, err), 0);
    assert_int_equal(parse_check("run,v\n0,1\n1,2\n1,3\n", VMITN_CSV_RUNS, err), -1);
    assert_string_equal(err, "f.csv:4: column 'run': run 1 again (first at line 3)");
    assert_int_equal(parse_check("run,v\n0.5,1\n", VMITN_CSV_RUNS, err), -1);
    assert_string_equal(err, "f.csv:2: column 'run': '0.5' is not a whole number >= 0");
    assert_int_equal(parse_check("run,v\n-1,1\n", VMITN_CSV_RUNS, err), -1);
    assert_int_equal(parse_check("metric,n,missing,mean\nx,2,0,1\ny,0,2,NA\n", VMITN_CSV_SUMMARY, err), 0);
    assert_int_equal(parse_check("metric,n,missing,mean\nx,2,0,1\ny,0,2,NA\nx,2,0,5\n", VMITN_CSV_SUMMARY, err), -1);
    assert_string_equal(err, "f.csv:4: column 'metric': metric x again (first at line 2)");
    assert_int_equal(parse_check("metric,n,missing,mean\n,2,0,1\n", VMITN_CSV_SUMMARY, err), -1);
    assert_string_equal(err, "f.csv:2: column 'metric' is empty");
    assert_int_equal(parse_check("metric,n,missing,mean\nx,NA,0,1\n", VMITN_CSV_SUMMARY, err), -1);
    assert_string_equal(err, "f.csv:2: column 'n': NA where a number must be");
    assert_int_equal(parse_check("a,b\nx,y\nx,y\n", VMITN_CSV_OTHER, err), 0); /* only the structure */
    assert_int_equal(vmitn_csv_kind_of("L.curve.csv"), VMITN_CSV_CURVE);
    assert_int_equal(vmitn_csv_kind_of("L.runs.csv"), VMITN_CSV_RUNS);
    assert_int_equal(vmitn_csv_kind_of("L.summary.csv"), VMITN_CSV_SUMMARY);
    assert_int_equal(vmitn_csv_kind_of("runs.csv"), VMITN_CSV_OTHER);
    assert_int_equal(vmitn_csv_kind_of("compare.csv"), VMITN_CSV_OTHER);
}

/* Files: a missing one, a folder, a FIFO (never waited on). */
static void test_csv_reads_only_regular_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/vmitn-test-csv.XXXXXX", p[128], err[VMITN_ERRLEN];
    assert_non_null(mkdtemp(dir));
    vmitn_csv t;
    snprintf(p, sizeof p, "%s/none.csv", dir);
    assert_int_equal(vmitn_csv_read(p, &t, err), -VMITN_EIO);
    assert_non_null(strstr(err, "none.csv: cannot open: "));
    assert_int_equal(vmitn_csv_read(dir, &t, err), -VMITN_EINPUT);
    assert_non_null(strstr(err, ": not a regular file"));
    snprintf(p, sizeof p, "%s/fifo.csv", dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(vmitn_csv_read(p, &t, err), -VMITN_EINPUT);
    assert_non_null(strstr(err, "fifo.csv: not a regular file"));
    unlink(p);
    snprintf(p, sizeof p, "%s/ok.csv", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("run,x\n0,1\n", f);
    fclose(f);
    assert_int_equal(vmitn_csv_read_results(p, VMITN_CSV_RUNS, &t, err), 0);
    assert_int_equal(t.nrow, 1);
    assert_string_equal(t.path, p);
    vmitn_csv_free(&t);
    unlink(p);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_reads_what_writers_write),
        cmocka_unit_test(test_csv_refuses_damage),
        cmocka_unit_test(test_csv_checks_results_files),
        cmocka_unit_test(test_csv_reads_only_regular_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
