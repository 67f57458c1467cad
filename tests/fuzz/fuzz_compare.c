/* fuzz_compare.c — the strict CSV reader (src/io/csv.c) and `vmitn compare`: the whole
 * input parsed from memory and checked as each kind of results file, then a results
 * folder whose curve, runs and summary files are the fuzzer's, compared with a fixed
 * reference (tests/fuzz/compare/ref/, the start of results/fig11/learning.*).  Input:
 * three parts separated by a line "@@", in that order. */
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "vmitn/compare.h"
#include "vmitn/csv.h"
#include "vmitn/util.h"

static void put(const char *dir, const char *name, const char *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
        abort();
}

/* Copies tests/fuzz/compare/ref/NAME (the fuzzer runs from the repository's root). */
static void put_ref(const char *dir, const char *name, const char *as)
{
    char path[512], buf[1 << 16];
    snprintf(path, sizeof path, "tests/fuzz/compare/ref/%s", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        abort();
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    put(dir, as, buf, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char ref[256], now[256];
    static FILE *devnull;
    if (devnull == NULL) {
        char r[200], n[200];
        snprintf(ref, sizeof ref, "/tmp/vmitn-fuzz-%ld-ref", (long)getpid());
        snprintf(now, sizeof now, "/tmp/vmitn-fuzz-%ld-now", (long)getpid());
        snprintf(r, sizeof r, "%s/s", ref);
        snprintf(n, sizeof n, "%s/s", now);
        if (vmitn_mkdir_p(r) != 0 || vmitn_mkdir_p(n) != 0 || (devnull = fopen("/dev/null", "w")) == NULL)
            abort();
        put(r, "meta", "scenario = s\nruns = 7\n", 22);
        put(n, "meta", "scenario = s\nruns = 7\n", 22);
        put_ref(r, "curve.csv", "x.curve.csv");
        put_ref(r, "runs.csv", "x.runs.csv");
        put_ref(r, "summary.csv", "x.summary.csv");
    }
    vmitn_csv t;
    char err[VMITN_ERRLEN];
    if (vmitn_csv_parse("input", (const char *)data, size, &t, err) == 0) {
        for (int k = VMITN_CSV_OTHER; k <= VMITN_CSV_SUMMARY; k++)
            vmitn_csv_check(&t, (enum vmitn_csv_kind)k, err);
        vmitn_csv_free(&t);
    }
    static const char *const names[3] = {"x.curve.csv", "x.runs.csv", "x.summary.csv"};
    const char *p = (const char *)data, *end = p + size;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/s", now);
    for (int k = 0; k < 3; k++) {
        const char *sep = NULL;
        for (const char *q = p; q + 3 <= end; q++)
            if (q[0] == '@' && q[1] == '@' && q[2] == '\n') {
                sep = q;
                break;
            }
        const char *stop = sep && k < 2 ? sep : end;
        put(dir, names[k], p, (size_t)(stop - p));
        p = stop == end ? end : stop + 3;
    }
    char rdir[300];
    snprintf(rdir, sizeof rdir, "%s/s", ref);
    vmitn_compare_opts opts = {.z = 4, .format = VMITN_COMPARE_TEXT};
    int rc = vmitn_compare(rdir, dir, &opts, devnull);
    if (rc != VMITN_EXIT_OK && rc != VMITN_EXIT_CHECK && rc != VMITN_EXIT_INPUT && rc != VMITN_EXIT_IO)
        abort();
    return 0;
}
