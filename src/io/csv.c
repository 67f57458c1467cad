/* csv.c — the strict CSV reader shared by compare, report and plot (include/vmitn/csv.h).
 * It reads a whole file into one table of strings and refuses anything a vmitn writer
 * never writes, with the file, line and column in the message: the CI gate must not turn
 * a cut or edited file into "missing values". */
#define _DEFAULT_SOURCE /* O_NONBLOCK with fstat */
#include "vmitn/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmitn/util.h"

void vmitn_csv_free(vmitn_csv *t)
{
    free(t->head);
    free(t->arena);
    free(t->cell);
    free(t->line);
    free(t->path);
    memset(t, 0, sizeof *t);
}

int vmitn_csv_col(const vmitn_csv *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (strcmp(t->head[i], name) == 0)
            return i;
    return -1;
}

/* One record (a row, maybe over several lines when a quoted field holds a line break)
 * from *pos: its fields, unquoted, written at *arena (each with its NUL; never longer
 * than the input they come from) and appended to *f.  0 at the end of the record (*pos
 * after its newline), or -1 with err set. */
static int record(const vmitn_csv *t, const char *s, size_t len, size_t *pos, unsigned *line, char ***f, size_t *nf,
                  size_t *cap, char **arena, char *err)
{
    unsigned start = *line;
    size_t p = *pos;
    for (;;) {
        size_t w = 0;
        char *buf = *arena;
        if (p < len && s[p] == '"') {
            for (p++;; p++) {
                if (p >= len) {
                    return vmitn_fail(err, VMITN_EINPUT, "%s:%u: a quoted field is not closed", t->path, start);
                }
                if (s[p] == '"') {
                    if (p + 1 < len && s[p + 1] == '"') {
                        buf[w++] = '"';
                        p++;
                        continue;
                    }
                    p++;
                    break;
                }
                if (s[p] == '\n')
                    (*line)++;
                buf[w++] = s[p];
            }
            if (p < len && s[p] != ',' && s[p] != '\n' && !(s[p] == '\r' && p + 1 < len && s[p + 1] == '\n')) {
                return vmitn_fail(err, VMITN_EINPUT, "%s:%u: text after a closing quote", t->path, *line);
            }
        } else {
            while (p < len && s[p] != ',' && s[p] != '\n' && s[p] != '\r') {
                if (s[p] == '"') {
                    return vmitn_fail(err, VMITN_EINPUT, "%s:%u: a quote inside an unquoted field", t->path, *line);
                }
                buf[w++] = s[p++];
            }
            if (p < len && s[p] == '\r' && !(p + 1 < len && s[p + 1] == '\n')) {
                return vmitn_fail(err, VMITN_EINPUT, "%s:%u: a carriage return inside a field", t->path, *line);
            }
        }
        buf[w] = '\0';
        if (*nf == *cap) {
            *cap = *cap ? 2 * *cap : 32;
            *f = vmitn_xrealloc(*f, *cap * sizeof **f);
        }
        (*f)[(*nf)++] = buf;
        *arena += w + 1;
        if (p >= len) {
            return vmitn_fail(err, VMITN_EINPUT, "%s:%u: the line is cut short (no newline at the end of the file)",
                              t->path, *line);
        }
        if (s[p] == ',') {
            p++;
            continue;
        }
        p += s[p] == '\r' ? 2 : 1; /* the newline */
        (*line)++;
        *pos = p;
        return 0;
    }
}

int vmitn_csv_parse(const char *name, const char *s, size_t len, vmitn_csv *t, char *err)
{
    memset(t, 0, sizeof *t);
    t->path = vmitn_xstrdup(name);
    if (memchr(s, '\0', len) != NULL) {
        unsigned ln = 1;
        for (const char *q = s; *q; q++)
            ln += *q == '\n';
        int rc = vmitn_fail(err, VMITN_EINPUT, "%s:%u: a NUL byte (not a text file)", name, ln);
        vmitn_csv_free(t);
        return rc;
    }
    if (len == 0) {
        int rc = vmitn_fail(err, VMITN_EINPUT, "%s: empty (not even a header line)", name);
        vmitn_csv_free(t);
        return rc;
    }
    size_t pos = 0, nf = 0, cap = 0, rcap = 0;
    unsigned line = 1;
    char **f = NULL;
    t->arena = vmitn_xmalloc(len + 1); /* every field, unquoted, with its NUL */
    char *w = t->arena;
    int rc = 0;
    if (s[0] == '\n' || s[0] == '\r') {
        rc = vmitn_fail(err, VMITN_EINPUT, "%s:1: an empty header line", name);
        goto fail;
    }
    if ((rc = record(t, s, len, &pos, &line, &f, &nf, &cap, &w, err)) < 0)
        goto fail;
    t->ncol = (int)nf;
    t->head = f;
    f = NULL;
    nf = cap = 0;
    for (int i = 0; i < t->ncol; i++)
        for (int k = 0; k < i; k++)
            if (strcmp(t->head[i], t->head[k]) == 0) {
                rc = vmitn_fail(err, VMITN_EINPUT, "%s:1: column '%s' twice in the header", name, t->head[i]);
                goto fail;
            }
    while (pos < len) {
        unsigned at = line;
        if (s[pos] == '\n' || (s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n')) {
            rc = vmitn_fail(err, VMITN_EINPUT, "%s:%u: an empty line", name, at);
            goto fail;
        }
        if ((rc = record(t, s, len, &pos, &line, &f, &nf, &cap, &w, err)) < 0)
            goto fail;
        if (nf != (size_t)t->ncol) {
            rc = vmitn_fail(err, VMITN_EINPUT, "%s:%u: %zu fields, the header has %d", name, at, nf, t->ncol);
            goto fail;
        }
        if (t->nrow == rcap) {
            rcap = rcap ? 2 * rcap : 64;
            t->cell = vmitn_xrealloc(t->cell, rcap * (size_t)t->ncol * sizeof *t->cell);
            t->line = vmitn_xrealloc(t->line, rcap * sizeof *t->line);
        }
        memcpy(t->cell + t->nrow * (size_t)t->ncol, f, nf * sizeof *f);
        t->line[t->nrow++] = at;
        nf = 0;
    }
    free(f);
    return 0;
fail:
    free(f);
    vmitn_csv_free(t);
    return rc;
}

int vmitn_csv_read(const char *path, vmitn_csv *t, char *err)
{
    memset(t, 0, sizeof *t);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC); /* a FIFO must not block us */
    if (fd < 0)
        return vmitn_fail(err, VMITN_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return vmitn_fail(err, VMITN_EINPUT, "%s: not a regular file", path);
    }
    if ((size_t)st.st_size > VMITN_CSV_MAX) {
        close(fd);
        return vmitn_fail(err, VMITN_EINPUT, "%s: %lld bytes, more than vmitn ever writes (%zu)", path,
                          (long long)st.st_size, VMITN_CSV_MAX);
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *b = vmitn_xmalloc(cap + 1);
    for (;;) { /* a file that grows while read: at most cap bytes, then refused */
        ssize_t got = read(fd, b + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            close(fd);
            free(b);
            return vmitn_fail(err, VMITN_EIO, "%s: cannot read: %s", path, strerror(e));
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n == cap) {
            close(fd);
            free(b);
            return vmitn_fail(err, VMITN_EINPUT, "%s: changed while read", path);
        }
    }
    close(fd);
    int rc = vmitn_csv_parse(path, b, n, t, err);
    free(b);
    return rc;
}

int vmitn_csv_num(const vmitn_csv *t, size_t r, int c, int na_ok, double *x, char *err)
{
    const char *s = vmitn_csv_at(t, r, c);
    if (strcmp(s, "NA") == 0) {
        *x = NAN;
        if (na_ok)
            return 0;
        return vmitn_fail(err, VMITN_EINPUT, "%s:%u: column '%s': NA where a number must be", t->path, t->line[r],
                          t->head[c]);
    }
    char *end;
    errno = 0;
    /* what %g writes: digits, sign, point, exponent, or inf */
    const char *u = s + (*s == '-' || *s == '+');
    bool inf = strcmp(u, "inf") == 0, digits = *s != '\0' && strspn(s, "0123456789+-.eE") == strlen(s);
    double v = inf || digits ? strtod(s, &end) : NAN;
    if (isnan(v) || *end != '\0') {
        char shown[40];
        snprintf(shown, sizeof shown, "%.32s%s", s, strlen(s) > 32 ? "..." : "");
        return vmitn_fail(err, VMITN_EINPUT, "%s:%u: column '%s': '%s' is not a number", t->path, t->line[r], t->head[c],
                          shown);
    }
    *x = v;
    return 0;
}

enum vmitn_csv_kind vmitn_csv_kind_of(const char *file)
{
    static const struct {
        const char *suffix;
        enum vmitn_csv_kind kind;
    } k[] = {{".curve.csv", VMITN_CSV_CURVE}, {".runs.csv", VMITN_CSV_RUNS}, {".summary.csv", VMITN_CSV_SUMMARY}};
    size_t n = strlen(file);
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        size_t m = strlen(k[i].suffix);
        if (n > m && strcmp(file + n - m, k[i].suffix) == 0)
            return k[i].kind;
    }
    return VMITN_CSV_OTHER;
}

typedef struct keyrow {
    int64_t key;
    size_t row;
    const char *name; /* the summary's metric */
} keyrow;

static int cmp_keyrow(const void *a, const void *b)
{
    const keyrow *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* No key twice; keys sorted with their rows, the later of a pair reported. */
static int unique(const vmitn_csv *t, keyrow *k, int c, const char *what, char *err)
{
    qsort(k, t->nrow, sizeof *k, cmp_keyrow);
    for (size_t i = 1; i < t->nrow; i++)
        if (k[i].key == k[i - 1].key)
            return vmitn_fail(err, VMITN_EINPUT, "%s:%u: column '%s': %s %s again (first at line %u)", t->path,
                              t->line[k[i].row], t->head[c], what, vmitn_csv_at(t, k[i].row, c), t->line[k[i - 1].row]);
    return 0;
}

/* For the summary's metric names: rows sorted by name. */
static int cmp_name(const void *a, const void *b)
{
    const keyrow *x = a, *y = b;
    int d = strcmp(x->name, y->name);
    return d ? d : (x->row < y->row ? -1 : x->row > y->row);
}

int vmitn_csv_check(const vmitn_csv *t, enum vmitn_csv_kind kind, char *err)
{
    if (kind == VMITN_CSV_OTHER)
        return 0;
    static const char *const keyname[] = {"", "t", "run", "metric"};
    int kc = vmitn_csv_col(t, keyname[kind]);
    int nc = kind == VMITN_CSV_SUMMARY ? vmitn_csv_col(t, "n") : -1;
    int mc = kind == VMITN_CSV_SUMMARY ? vmitn_csv_col(t, "missing") : -1;
    keyrow *k = vmitn_xmalloc((t->nrow + 1) * sizeof *k);
    int rc = 0;
    for (size_t r = 0; r < t->nrow && rc == 0; r++) {
        for (int c = 0; c < t->ncol && rc == 0; c++) {
            double x;
            if (kind == VMITN_CSV_SUMMARY && c == kc) {
                if (vmitn_csv_at(t, r, c)[0] == '\0')
                    rc = vmitn_fail(err, VMITN_EINPUT, "%s:%u: column 'metric' is empty", t->path, t->line[r]);
                continue;
            }
            bool key = c == kc, count = c == nc || c == mc;
            if ((rc = vmitn_csv_num(t, r, c, !key && !count, &x, err)) < 0)
                break;
            if ((kind == VMITN_CSV_RUNS && key) || count) {
                if (!(x >= 0 && x <= 4294967295.0 && x == floor(x)))
                    rc = vmitn_fail(err, VMITN_EINPUT, "%s:%u: column '%s': '%s' is not a whole number >= 0", t->path,
                                    t->line[r], t->head[c], vmitn_csv_at(t, r, c));
            } else if (key && !(fabs(x) < 9e12)) {
                rc = vmitn_fail(err, VMITN_EINPUT, "%s:%u: column 't': '%s' is not a time", t->path, t->line[r],
                                vmitn_csv_at(t, r, c));
            }
            if (key) /* times to the microsecond, as compare matches them */
                k[r] = (keyrow){kind == VMITN_CSV_CURVE ? (int64_t)llround(x * 1e6) : (int64_t)x, r, NULL};
        }
        if (kind == VMITN_CSV_SUMMARY && kc >= 0)
            k[r] = (keyrow){0, r, vmitn_csv_at(t, r, kc)};
    }
    if (rc == 0 && kc >= 0 && kind == VMITN_CSV_SUMMARY) {
        qsort(k, t->nrow, sizeof *k, cmp_name);
        for (size_t i = 1; i < t->nrow && rc == 0; i++)
            if (strcmp(vmitn_csv_at(t, k[i].row, kc), vmitn_csv_at(t, k[i - 1].row, kc)) == 0) {
                size_t a = k[i].row > k[i - 1].row ? k[i].row : k[i - 1].row, b = k[i].row > k[i - 1].row ? k[i - 1].row : k[i].row;
                rc = vmitn_fail(err, VMITN_EINPUT, "%s:%u: column 'metric': metric %s again (first at line %u)", t->path,
                                t->line[a], vmitn_csv_at(t, a, kc), t->line[b]);
            }
    } else if (rc == 0 && kc >= 0) {
        rc = unique(t, k, kc, kind == VMITN_CSV_CURVE ? "time" : "run", err);
    }
    free(k);
    return rc;
}

int vmitn_csv_read_results(const char *path, enum vmitn_csv_kind kind, vmitn_csv *t, char *err)
{
    int rc = vmitn_csv_read(path, t, err);
    if (rc == 0 && (rc = vmitn_csv_check(t, kind, err)) < 0)
        vmitn_csv_free(t);
    return rc;
}
