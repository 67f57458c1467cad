/* sweep.c — `vmitn sweep`: a scenario over the cartesian product of parameter values x
 * runs, as independent jobs on all cores (fork) or over MPI ranks, resumable.
 *
 * A job is (parameter point, run r): the scenario runs only its replication r, with
 * replication r's random streams, so every point sees the same streams (common random
 * numbers).  Each finished job is recorded as a file (jobs/<index>.csv, written under a
 * temporary name and renamed), so a sweep stopped by Ctrl-C, a kill or a crashed rank
 * resumes without redoing finished jobs.  The final files are assembled in job order, so
 * they are byte-identical whatever the number of workers or ranks.
 *
 * A job file is trusted only when it proves itself: its first line names its job and the
 * sweep (a hash of the spec, which holds a hash of the scenario and every .lua file beside
 * it, and of the running binary), its last line is a hash of all before it, and every row
 * is a known label with the right number of values.  One that fails (empty, cut, copied,
 * edited, from another sweep; a link, a FIFO, a folder, too large) is run again on resume.
 * It also lists the data files the job read with the hash of their bytes: a resume (or
 * the final assembly) after one of them changed is refused, naming it.  Job files are not fsync'ed (that would double a sweep's time):
 * a crash can only make one fail its check.  The spec and the final files are. */
#include "vmitn/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef VMITN_MPI
#include <mpi.h>
#endif

#include "vmitn/metrics.h"
#include "vmitn/paths.h"
#include "vmitn/util.h"
#include "vmitn/version.h"

#define MAX_VALUES 100000
#define MAX_POINTS 1000000ULL  /* each is checked before anything runs (~1 ms each) */
#define MAX_JOBS 10000000ULL   /* ~2 hours at the ~0.8 ms a job costs before its model */
#define MAX_FILE_BYTES ((size_t)64 << 20) /* a job file, the spec or meta: far more than any holds */


typedef struct axis {
    char *name;
    char **v;
    unsigned n, cap;
} axis;

typedef struct sweep {
    const vmitn_sweep_opts *o;
    axis *ax;
    unsigned nax;
    uint64_t npoints, njobs;
    char dir[4096];
    bool *done;
    int rank, size;
    uint64_t spec_hash;
    char sources[17]; /* hash of the scenario file and every .lua file beside it */
    char build[17];   /* hash of the running binary */
    struct input {    /* data files the jobs read, with the hash of their bytes now */
        char *path;
        char hash[17];
    } *inputs;
    size_t ninputs;
} sweep;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---------- values ---------- */

static void add_value(axis *a, const char *v)
{
    if (a->n == a->cap) { /* doubling: a range of 100,000 values is one -p */
        a->cap = a->cap ? 2 * a->cap : 16;
        a->v = vmitn_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = vmitn_xstrdup(v);
}

static bool number(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return *s && !*end && errno == 0 && isfinite(*out);
}

/* "name=a,b,lo:hi:step,..." -> an axis.  Returns 0, or prints a message naming the
 * parameter and returns -1. */
static int parse_axis(const char *spec, axis *a)
{
    const char *eq = strchr(spec, '=');
    memset(a, 0, sizeof *a);
    if (eq == NULL || eq == spec) {
        fprintf(stderr, "vmitn: sweep: -p %s: expected name=values\n", spec);
        return -1;
    }
    a->name = vmitn_xmalloc((size_t)(eq - spec) + 1);
    memcpy(a->name, spec, (size_t)(eq - spec));
    a->name[eq - spec] = '\0';
    char *list = vmitn_xstrdup(eq + 1), *save = NULL;
    int rc = 0;
    if (*list == '\0') {
        fprintf(stderr, "vmitn: sweep: -p %s: no value for '%s'\n", spec, a->name);
        rc = -1;
    }
    for (char *item = list; rc == 0 && *list; item = NULL) {
        char *tok = strtok_r(item, ",", &save);
        if (tok == NULL)
            break;
        char *c1 = strchr(tok, ':');
        if (c1 == NULL) {
            add_value(a, tok);
            continue;
        }
        char *c2 = strchr(c1 + 1, ':');
        double lo, hi, step;
        *c1 = '\0';
        if (c2)
            *c2 = '\0';
        if (c2 == NULL || !number(tok, &lo) || !number(c1 + 1, &hi) || !number(c2 + 1, &step) || step <= 0) {
            fprintf(stderr, "vmitn: sweep: -p %s: '%s' must be a range lo:hi:step with numbers and step > 0\n", spec,
                    a->name);
            rc = -1;
            break;
        }
        if (lo > hi) {
            fprintf(stderr, "vmitn: sweep: -p %s: the range %g:%g:%g of '%s' yields no value (lo > hi)\n", spec, lo,
                    hi, step, a->name);
            rc = -1;
            break;
        }
        double count = floor((hi - lo) / step * (1 + 1e-12) + 1e-9) + 1;
        if (count + a->n > MAX_VALUES) {
            fprintf(stderr, "vmitn: sweep: -p %s: more than %d values for '%s'\n", spec, MAX_VALUES, a->name);
            rc = -1;
            break;
        }
        for (double k = 0; k < count; k++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.10g", lo + k * step);
            add_value(a, buf);
        }
    }
    if (rc == 0 && a->n == 0) {
        fprintf(stderr, "vmitn: sweep: -p %s: no value for '%s'\n", spec, a->name);
        rc = -1;
    }
    free(list);
    return rc;
}

/* The -p settings of a point, as "name=value" strings (caller frees the array only). */
static const char **point_set(const sweep *s, uint64_t point, char **store)
{
    const char **set = vmitn_xmalloc(s->nax * sizeof *set);
    uint64_t rest = point;
    for (unsigned i = s->nax; i-- > 0;) {
        const axis *a = &s->ax[i];
        unsigned k = (unsigned)(rest % a->n);
        rest /= a->n;
        size_t len = strlen(a->name) + strlen(a->v[k]) + 2;
        store[i] = vmitn_xmalloc(len);
        snprintf(store[i], len, "%s=%s", a->name, a->v[k]);
        set[i] = store[i];
    }
    return set;
}

static void free_point(const sweep *s, const char **set, char **store)
{
    for (unsigned i = 0; i < s->nax; i++)
        free(store[i]);
    free((void *)set);
}

/* ---------- files ---------- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = vmitn_xmalloc(cap);
    size_t got;
    while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            b = vmitn_xrealloc(b, cap *= 2);
    }
    b[n] = '\0';
    fclose(f);
    return b;
}

/* Reads a file of the sweep's folder without following a link or blocking (a FIFO, a
 * device), only when it is a regular file of at most max bytes.  NULL with *why set
 * otherwise ("missing" when there is no such name). */
static char *read_bounded(const char *path, size_t max, const char **why, bool *is_dir)
{
    if (is_dir)
        *is_dir = false;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *why = errno == ENOENT ? "missing" : errno == ELOOP ? "a symbolic link, not a job file" : "unreadable";
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (is_dir)
            *is_dir = S_ISDIR(st.st_mode);
        *why = S_ISDIR(st.st_mode) ? "a folder, not a file" : "not a regular file (a FIFO, a device or a socket)";
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > max) {
        *why = "larger than any file a sweep writes";
        close(fd);
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *b = vmitn_xmalloc(cap + 1);
    ssize_t got;
    /* at most one byte more than fstat said: a file that grows meanwhile is cut, then fails its check */
    while (n < cap && (got = read(fd, b + n, cap - n)) > 0)
        n += (size_t)got;
    close(fd);
    b[n] = '\0';
    if (n == cap || strlen(b) != n) {
        *why = n == cap ? "growing while read" : "holds a NUL byte";
        free(b);
        return NULL;
    }
    *why = NULL;
    return b;
}

/* The FNV-1a hash of a file's bytes as 16 hex digits, or 16 '-' when it cannot be read
 * (no link followed, nothing but a regular file). */
static void file_hash(const char *path, char out[17])
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        snprintf(out, 17, "----------------");
        return;
    }
    uint64_t h = VMITN_HASH_INIT;
    char *buf = vmitn_xmalloc(1 << 16);
    ssize_t got;
    while ((got = read(fd, buf, 1 << 16)) > 0)
        h = vmitn_hash(h, buf, (size_t)got);
    free(buf);
    close(fd);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The hash of an input, read once per sweep command (a file read by every job of a
 * sweep is hashed once). */
static const char *input_hash(sweep *s, const char *path)
{
    for (size_t i = 0; i < s->ninputs; i++)
        if (strcmp(s->inputs[i].path, path) == 0)
            return s->inputs[i].hash;
    s->inputs = vmitn_xrealloc(s->inputs, (s->ninputs + 1) * sizeof *s->inputs);
    struct input *in = &s->inputs[s->ninputs++];
    in->path = vmitn_xstrdup(path);
    file_hash(path, in->hash);
    return in->hash;
}

#define INPUT_TAG "# input "
#define INPUT_LEN (sizeof INPUT_TAG - 1)

/* A job's rows as the scenario layer gave them, with its "# input PATH" lines (the data
 * files the job read: topologies, captures) moved after the rows and made "# input HASH
 * PATH", HASH that of the file's bytes now.  malloc'd. */
static char *hash_inputs(sweep *s, const char *rows)
{
    size_t cap = strlen(rows) + 1, n = 0;
    char *out = vmitn_xmalloc(cap);
    for (int pass = 0; pass < 2; pass++) /* the rows, then the inputs */
        for (const char *line = rows; *line;) {
            const char *nl = strchr(line, '\n');
            size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
            bool input = nl && strncmp(line, INPUT_TAG, INPUT_LEN) == 0;
            const char *from = line;
            line += len;
            if (input != (pass == 1))
                continue;
            char extra[INPUT_LEN + 18] = "";
            if (input) {
                char *path = vmitn_xmalloc(len - INPUT_LEN);
                memcpy(path, from + INPUT_LEN, len - INPUT_LEN - 1);
                path[len - INPUT_LEN - 1] = '\0';
                snprintf(extra, sizeof extra, "%s%s ", INPUT_TAG, input_hash(s, path));
                free(path);
                from += INPUT_LEN;
                len -= INPUT_LEN;
            }
            size_t el = strlen(extra);
            if (n + el + len + 1 > cap)
                out = vmitn_xrealloc(out, cap = (n + el + len + 1) * 2);
            memcpy(out + n, extra, el);
            memcpy(out + n + el, from, len);
            n += el + len;
        }
    out[n] = '\0';
    return out;
}

/* True when an input a job file names (rows: its checked rows) no longer has the hash the
 * job recorded; *path then gets the first such (malloc'd). */
static bool inputs_changed(sweep *s, const char *rows, char **path)
{
    for (const char *line = rows; *line;) {
        const char *nl = strchr(line, '\n');
        if (nl == NULL)
            break;
        if (strncmp(line, INPUT_TAG, INPUT_LEN) == 0) {
            const char *h = line + INPUT_LEN;
            size_t plen = (size_t)(nl - h) - 17;
            char *p = vmitn_xmalloc(plen + 1);
            memcpy(p, h + 17, plen);
            p[plen] = '\0';
            if (strncmp(input_hash(s, p), h, 16) != 0) {
                *path = p;
                return true;
            }
            free(p);
        }
        line = nl + 1;
    }
    return false;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Continues h with every .lua file of dir, by name (name and text). */
static uint64_t hash_lua_dir(uint64_t h, const char *dir)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".lua") == 0) {
            names = vmitn_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = vmitn_xstrdup(e->d_name);
        }
    }
    if (d != NULL)
        closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char fp[4400];
        snprintf(fp, sizeof fp, "%s/%s", dir, names[i]);
        h = vmitn_hash(h, names[i], strlen(names[i]) + 1);
        char *t = read_file(fp);
        if (t)
            h = vmitn_hash(h, t, strlen(t) + 1);
        free(t);
        free(names[i]);
    }
    free(names);
    return h;
}

/* A hash of the scenario file and of every .lua file vmitn.include can read: those beside
 * it and those of the data folder's scenarios/.  Editing any of them makes this another
 * sweep. */
static void sources_hash(const vmitn_sweep_runner *runner, const char *scenario, char out[17])
{
    uint64_t h = VMITN_HASH_INIT;
    char *path = runner->path(scenario);
    if (path != NULL) {
        char *text = read_file(path);
        if (text)
            h = vmitn_hash(h, text, strlen(text) + 1);
        free(text);
        char dir[4096];
        const char *slash = strrchr(path, '/');
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
        h = hash_lua_dir(h, dir);
        const char *data = vmitn_data_dir();
        if (data != NULL) {
            char sd[4200];
            snprintf(sd, sizeof sd, "%s/scenarios", data);
            struct stat a, b; /* the same folder once only */
            if (stat(dir, &a) != 0 || stat(sd, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
                h = hash_lua_dir(h, sd);
        }
        free(path);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static char *spec_text(const sweep *s)
{
    const vmitn_sweep_opts *o = s->o;
    size_t cap = 4096;
    char *t = vmitn_xmalloc(cap);
    char *scen = vmitn_escape_line(o->scenario);
    int n = snprintf(t, cap, "scenario = %.3000s\nsources = %s\nvmitn = %s\nbuild = %s\nseed = %llu\nruns = %u\n", scen,
                     s->sources, VMITN_VERSION, s->build, (unsigned long long)o->seed, o->runs);
    free(scen);
    for (unsigned i = 0; i < o->nset; i++) {
        char *e = vmitn_escape_line(o->set[i]);
        size_t need = (size_t)n + strlen(e) + 8;
        if (need > cap)
            t = vmitn_xrealloc(t, cap = need * 2);
        n += snprintf(t + n, cap - (size_t)n, "-p %s\n", e);
        free(e);
    }
    return t;
}

char *vmitn_sweep_job_text(uint64_t spec_hash, uint64_t job, const char *rows)
{
    size_t len = strlen(rows) + 128;
    char *t = vmitn_xmalloc(len);
    int n = snprintf(t, len, "# vmitn job %llu of spec %016llx\n%s", (unsigned long long)job,
                     (unsigned long long)spec_hash, rows);
    snprintf(t + n, len - (size_t)n, "# end %016llx\n", (unsigned long long)vmitn_hash(VMITN_HASH_INIT, t, (size_t)n));
    return t;
}

const char *vmitn_sweep_job_check(uint64_t spec_hash, uint64_t job, char *text, char **rows)
{
    char head[96];
    snprintf(head, sizeof head, "# vmitn job %llu of spec %016llx\n", (unsigned long long)job,
             (unsigned long long)spec_hash);
    size_t hl = strlen(head), n = strlen(text);
    if (n == 0)
        return "empty";
    if (strncmp(text, "# vmitn job ", 12) != 0)
        return "not a job file of vmitn";
    if (strncmp(text, head, hl) != 0)
        return "the file of another job or another sweep";
    char *end = n >= 23 ? text + n - 23 : NULL; /* "# end " + 16 hex digits + "\n" */
    if (end == NULL || end < text + hl || strncmp(end, "# end ", 6) != 0 || text[n - 1] != '\n' ||
        (end != text + hl && end[-1] != '\n'))
        return "cut off (no end line)";
    char want[20];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)vmitn_hash(VMITN_HASH_INIT, text, (size_t)(end - text)));
    if (strncmp(end + 6, want, 16) != 0)
        return "edited (its checksum does not match)";
    *end = '\0';
    size_t nm = vmitn_metrics_per_run();
    for (char *line = text + hl; *line;) {
        char *nl = strchr(line, '\n');
        if (strncmp(line, INPUT_TAG, INPUT_LEN) == 0) { /* "# input HASH PATH": a data file the job read */
            const char *h = line + INPUT_LEN;
            bool ok = nl - h > 17 && h[16] == ' ';
            for (int i = 0; ok && i < 16; i++)
                ok = (h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f') || h[i] == '-';
            if (!ok)
                return "an input line that is not '# input HASH PATH'";
            line = nl + 1;
            continue;
        }
        *nl = '\0';
        char *copy = vmitn_xstrdup(line), *fld[256];
        int nf = vmitn_csv_split(copy, fld, 256);
        bool ok = nf == (int)nm + 1 && vmitn_safe_name(fld[0], 100);
        for (int i = 1; ok && i < nf; i++) {
            char *e;
            (void)strtod(fld[i], &e); /* any number a job writes (%.9g), or NA */
            ok = strcmp(fld[i], "NA") == 0 || (*fld[i] && !*e);
        }
        free(copy);
        *nl = '\n';
        if (!ok)
            return "a row that is not an experiment's label and values";
        line = nl + 1;
    }
    *rows = text + hl;
    return NULL;
}

static char *job_text(sweep *s, uint64_t job, const char *rows)
{
    char *hashed = hash_inputs(s, rows);
    char *t = vmitn_sweep_job_text(s->spec_hash, job, hashed);
    free(hashed);
    return t;
}

static const char *job_check(const sweep *s, uint64_t job, char *text, char **rows)
{
    return vmitn_sweep_job_check(s->spec_hash, job, text, rows);
}

static void job_path(const sweep *s, uint64_t job, char *buf, size_t n)
{
    snprintf(buf, n, "%s/jobs/%llu.csv", s->dir, (unsigned long long)job);
}

/* Runs one job and records it.  0, or the scenario's exit code. */
static int run_job_quiet(sweep *s, uint64_t job);

/* Runs one job; a failure names the job's point and run. */
static int run_job(sweep *s, uint64_t job)
{
    int rc = run_job_quiet(s, job);
    if (rc != VMITN_EXIT_OK && !vmitn_interrupted()) {
        char **store = vmitn_xmalloc(s->nax * sizeof *store);
        const char **set = point_set(s, job / s->o->runs, store);
        fprintf(stderr, "vmitn: sweep: job %llu failed (", (unsigned long long)job);
        for (unsigned i = 0; i < s->nax; i++)
            fprintf(stderr, "%s, ", set[i]);
        fprintf(stderr, "run %llu); finished jobs are kept: the same command resumes\n",
                (unsigned long long)(job % s->o->runs));
        free_point(s, set, store);
        free(store);
    }
    return rc;
}

static int run_job_quiet(sweep *s, uint64_t job)
{
    uint64_t point = job / s->o->runs;
    unsigned run = (unsigned)(job % s->o->runs);
    char **store = vmitn_xmalloc(s->nax * sizeof *store);
    const char **set = point_set(s, point, store);
    vmitn_sweep_point pt = {.scenario = s->o->scenario, .set = set, .nset = s->nax, .runs = s->o->runs,
                            .seed = s->o->seed};
    char *rows = NULL;
    int rc = s->o->runner->job(&pt, run, &rows);
    free_point(s, set, store);
    free(store);
    if (rc != VMITN_EXIT_OK)
        return rc;
    char path[4200];
    job_path(s, job, path, sizeof path);
    char *text = job_text(s, job, rows);
    if (vmitn_write_atomic(path, text) < 0)
        rc = VMITN_EXIT_IO;
    free(text);
    free(rows);
    return rc;
}

/* ---------- progress ---------- */

typedef struct progress {
    bool on;
    double t0;
    uint64_t total, done0, done;
} progress;

static void progress_show(progress *p, bool last)
{
    if (!p->on)
        return;
    double dt = now_s() - p->t0, rate = dt > 0 ? (double)(p->done - p->done0) / dt : 0;
    double eta = rate > 0 ? (double)(p->total - p->done) / rate : 0;
    int width = 30, fill = p->total ? (int)((double)width * (double)p->done / (double)p->total) : width;
    fprintf(stderr, "\r[%.*s%*s] %llu/%llu jobs, %.1f jobs/s, ETA %.0f s   ", fill,
            "##############################", width - fill, "", (unsigned long long)p->done,
            (unsigned long long)p->total, rate, eta);
    if (last)
        fputc('\n', stderr);
}

/* ---------- workers ---------- */

/* Removes jobs/N.csv.tmp.HOST.PID for the n (stopped) workers pid[] (HOST: this one). */
static void rm_worker_tmp(const sweep *s, const pid_t *pid, unsigned n)
{
    char d[4200], host[VMITN_TAGLEN];
    snprintf(d, sizeof d, "%s/jobs", s->dir);
    vmitn_tmp_tag(host); /* "HOST.PID" of this process: the workers' HOST */
    *strrchr(host, '.') = '\0';
    size_t hl = strlen(host);
    DIR *dir = opendir(d);
    struct dirent *e;
    while (dir != NULL && (e = readdir(dir)) != NULL) {
        const char *t = strstr(e->d_name, ".csv.tmp.");
        if (t == NULL || strncmp(t + 9, host, hl) != 0 || t[9 + hl] != '.')
            continue;
        char *end;
        long p = strtol(t + 10 + hl, &end, 10);
        for (unsigned w = 0; w < n && *end == '\0'; w++)
            if (pid[w] > 0 && p == (long)pid[w]) {
                char path[4700];
                snprintf(path, sizeof path, "%s/%s", d, e->d_name);
                unlink(path);
                break;
            }
    }
    if (dir != NULL)
        closedir(dir);
}

/* Runs the pending jobs on `jobs` forked workers, handing out one job at a time. */
static int run_pool(sweep *s, const uint64_t *pending, uint64_t npending, progress *pg)
{
    unsigned nw = s->o->jobs;
    if (nw > npending)
        nw = (unsigned)npending;
    if (nw <= 1) {
        for (uint64_t k = 0; k < npending; k++) {
            int rc = run_job(s, pending[k]);
            if (rc != VMITN_EXIT_OK)
                return rc;
            pg->done++;
            progress_show(pg, false);
        }
        return VMITN_EXIT_OK;
    }
    pid_t *pid = vmitn_xcalloc(nw, sizeof *pid);
    int *cmd = vmitn_xcalloc(nw, sizeof *cmd);
    struct pollfd *res = vmitn_xcalloc(nw, sizeof *res);
    int rc = VMITN_EXIT_OK;
    fflush(NULL);
    pid_t parent = getpid();
    /* a worker that dies leaves a pipe with no reader: an error to handle, not a signal */
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
    for (unsigned w = 0; w < nw; w++) {
        int c[2], r[2];
        if (pipe(c) != 0 || pipe(r) != 0) {
            fprintf(stderr, "vmitn: sweep: pipe: %s\n", strerror(errno));
            nw = w;
            rc = VMITN_EXIT_IO;
            break;
        }
        pid[w] = fork();
        if (pid[w] < 0) {
            fprintf(stderr, "vmitn: sweep: fork: %s\n", strerror(errno));
            close(c[0]), close(c[1]), close(r[0]), close(r[1]);
            nw = w;
            rc = VMITN_EXIT_IO;
            break;
        }
        if (pid[w] == 0) { /* the worker: job indices in, results out */
            signal(SIGINT, SIG_DFL); /* a sweep started from a scenario: Ctrl-C stops workers */
            signal(SIGTERM, SIG_DFL);
            prctl(PR_SET_PDEATHSIG, SIGKILL); /* no orphan outlives a killed sweep */
            if (getppid() != parent)
                _exit(1);
            close(c[1]);
            close(r[0]);
            for (unsigned u = 0; u < w; u++) { /* the other workers' pipes: keep their EOF theirs */
                close(cmd[u]);
                close(res[u].fd);
            }
            /* what the parent hands out is its own: the worker's copies go (a leak checker
             * follows a worker too, and the pending list is otherwise lost here) */
            free((void *)pending);
            free(s->done);
            s->done = NULL;
            free(pid);
            free(cmd);
            free(res);
            uint64_t job;
            int code = 0;
            while (read(c[0], &job, sizeof job) == (ssize_t)sizeof job) {
                int32_t jrc = run_job(s, job);
                if (write(r[1], &jrc, sizeof jrc) != (ssize_t)sizeof jrc) {
                    code = VMITN_EXIT_IO;
                    break;
                }
            }
            _exit(code);
        }
        close(c[0]);
        close(r[1]);
        cmd[w] = c[1];
        res[w] = (struct pollfd){.fd = r[0], .events = POLLIN};
    }
    uint64_t next = 0, busy = 0;
    for (unsigned w = 0; w < nw && next < npending && rc == 0; w++, busy++)
        if (write(cmd[w], &pending[next++], sizeof(uint64_t)) != (ssize_t)sizeof(uint64_t))
            rc = VMITN_EXIT_IO;
    while (busy > 0 && rc == VMITN_EXIT_OK) {
        if (vmitn_interrupted()) {
            rc = VMITN_EXIT_INTERRUPTED;
            break;
        }
        if (poll(res, nw, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = VMITN_EXIT_IO;
            break;
        }
        for (unsigned w = 0; w < nw; w++) {
            if (!(res[w].revents & (POLLIN | POLLHUP)))
                continue;
            int32_t jrc;
            if (read(res[w].fd, &jrc, sizeof jrc) != (ssize_t)sizeof jrc) {
                if (vmitn_interrupted()) { /* Ctrl-C reached the workers too */
                    rc = VMITN_EXIT_INTERRUPTED;
                    break;
                }
                fprintf(stderr, "vmitn: sweep: a worker died\n");
                rc = VMITN_EXIT_IO;
                break;
            }
            busy--;
            if (jrc != VMITN_EXIT_OK) {
                rc = jrc;
                break;
            }
            pg->done++;
            progress_show(pg, false);
            if (next < npending) {
                if (write(cmd[w], &pending[next++], sizeof(uint64_t)) != (ssize_t)sizeof(uint64_t)) {
                    rc = VMITN_EXIT_IO;
                    break;
                }
                busy++;
            }
        }
    }
    for (unsigned w = 0; w < nw; w++) {
        close(cmd[w]);
        close(res[w].fd);
        if (pid[w] <= 0)
            continue;
        if (rc != VMITN_EXIT_OK)
            kill(pid[w], SIGTERM);
        waitpid(pid[w], NULL, 0);
    }
    if (rc != VMITN_EXIT_OK) /* a worker stopped mid-write leaves jobs/N.csv.tmp.HOST.PID: gone now */
        rm_worker_tmp(s, pid, nw);
    signal(SIGPIPE, old_pipe);
    free(pid);
    free(cmd);
    free(res);
    return rc;
}

#ifdef VMITN_MPI
enum { TAG_RESULT = 1, TAG_DONE = 2 };

/* Rank 0 records a result another rank sent. */
static int mpi_receive(sweep *s, progress *pg, int *ranks_left, bool block)
{
    for (;;) {
        int flag = 0;
        MPI_Status st;
        if (block)
            MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st), flag = 1;
        else
            MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag)
            return 0;
        int len;
        MPI_Get_count(&st, MPI_CHAR, &len);
        char *buf = vmitn_xmalloc((size_t)len + 1);
        MPI_Recv(buf, len, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        buf[len] = '\0';
        if (st.MPI_TAG == TAG_DONE) {
            (*ranks_left)--;
            free(buf);
            return 0;
        }
        /* "job\n" then the rows */
        char *nl = strchr(buf, '\n');
        uint64_t job = strtoull(buf, NULL, 10);
        char path[4200];
        job_path(s, job, path, sizeof path);
        char *text = job_text(s, job, nl ? nl + 1 : "");
        int rc = vmitn_write_atomic(path, text);
        free(text);
        free(buf);
        if (rc < 0)
            return -1;
        pg->done++;
        progress_show(pg, false);
        if (block)
            return 0;
    }
}

/* Jobs pending[k] with k % size == rank; others send results to rank 0. */
static int run_mpi(sweep *s, const uint64_t *pending, uint64_t npending, progress *pg)
{
    int rc = VMITN_EXIT_OK, ranks_left = s->size - 1;
    for (uint64_t k = (uint64_t)s->rank; k < npending; k += (uint64_t)s->size) {
        uint64_t job = pending[k];
        if (s->rank == 0) {
            rc = run_job(s, job);
            if (rc != VMITN_EXIT_OK)
                MPI_Abort(MPI_COMM_WORLD, rc);
            pg->done++;
            progress_show(pg, false);
            if (mpi_receive(s, pg, &ranks_left, false) < 0)
                MPI_Abort(MPI_COMM_WORLD, VMITN_EXIT_IO);
            continue;
        }
        uint64_t point = job / s->o->runs;
        unsigned run = (unsigned)(job % s->o->runs);
        char **store = vmitn_xmalloc(s->nax * sizeof *store);
        const char **set = point_set(s, point, store);
        vmitn_sweep_point pt = {.scenario = s->o->scenario, .set = set, .nset = s->nax, .runs = s->o->runs,
                                .seed = s->o->seed};
        char *rows = NULL;
        rc = s->o->runner->job(&pt, run, &rows);
        free_point(s, set, store);
        free(store);
        if (rc != VMITN_EXIT_OK)
            MPI_Abort(MPI_COMM_WORLD, rc);
        size_t len = strlen(rows) + 32;
        char *msg = vmitn_xmalloc(len);
        int n = snprintf(msg, len, "%llu\n%s", (unsigned long long)job, rows);
        MPI_Send(msg, n, MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(msg);
        free(rows);
    }
    if (s->rank != 0) {
        MPI_Send("", 0, MPI_CHAR, 0, TAG_DONE, MPI_COMM_WORLD);
        return VMITN_EXIT_OK;
    }
    while (ranks_left > 0)
        if (mpi_receive(s, pg, &ranks_left, true) < 0)
            MPI_Abort(MPI_COMM_WORLD, VMITN_EXIT_IO);
    return rc;
}
#endif

/* ---------- assembling ---------- */


static int assemble(sweep *s)
{
    size_t nm = vmitn_metrics_per_run();
    char path[4200];
    snprintf(path, sizeof path, "%s/runs.csv", s->dir);
    char tmp[4300], ptmp[4300], ppath[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(ppath, sizeof ppath, "%s/points.csv", s->dir);
    snprintf(ptmp, sizeof ptmp, "%s.tmp", ppath);
    FILE *f = fopen(tmp, "w"), *pf = fopen(ptmp, "w");
    if (f == NULL || pf == NULL) {
        fprintf(stderr, "vmitn: %s: cannot write\n", s->dir);
        if (f)
            fclose(f);
        if (pf)
            fclose(pf);
        return VMITN_EXIT_IO;
    }
    /* the metric names, from a collector of any configuration */
    for (unsigned i = 0; i < s->nax; i++) {
        char *c = vmitn_csv_cell(s->ax[i].name);
        fprintf(f, "%s,", c), fprintf(pf, "%s,", c);
        free(c);
    }
    fputs("run,experiment", f);
    fputs("experiment,runs", pf);
    vmitn_model_cfg dummy;
    vmitn_model_cfg_default(&dummy);
    vmitn_metrics *names = vmitn_metrics_new(&dummy, 1, 1, 1);
    for (size_t i = 0; i < nm; i++) {
        const char *n = vmitn_metrics_name(names, i);
        fprintf(f, ",%s", n);
        fprintf(pf, ",%s_n,%s_mean,%s_ci_lo,%s_ci_hi,%s_min,%s_max", n, n, n, n, n, n);
    }
    vmitn_metrics_free(names);
    fputc('\n', f);
    fputc('\n', pf);

    int rc = VMITN_EXIT_OK;
    unsigned runs = s->o->runs;
    double *vals = NULL; /* per point: experiments x runs x nm, NaN where a run has none */
    char **labels = NULL; /* the point's experiments, in order of first appearance */
    size_t cap = 0, npoint_lab = 0;
    for (uint64_t point = 0; point < s->npoints && rc == 0; point++) {
        char **store = vmitn_xmalloc(s->nax * sizeof *store);
        const char **set = point_set(s, point, store);
        for (size_t e = 0; e < npoint_lab; e++)
            free(labels[e]);
        npoint_lab = 0;
        for (unsigned r = 0; r < runs && rc == 0; r++) {
            char jp[4200];
            job_path(s, point * runs + r, jp, sizeof jp);
            const char *why;
            char *text = read_bounded(jp, MAX_FILE_BYTES, &why, NULL), *body = NULL, *changed = NULL;
            if (text != NULL)
                why = job_check(s, point * runs + r, text, &body);
            if (why == NULL && inputs_changed(s, body, &changed)) {
                fprintf(stderr, "vmitn: sweep: %s changed while the sweep ran (after job %llu read it): its jobs "
                                "would mix two sweeps; restore it, or start again with --force\n",
                        changed, (unsigned long long)(point * runs + r));
                free(changed);
                free(text);
                rc = VMITN_EXIT_INPUT;
                break;
            }
            if (why != NULL) {
                fprintf(stderr, "vmitn: %s: %s\n", jp, why);
                free(text);
                rc = VMITN_EXIT_IO;
                break;
            }
            for (char *line = strtok(body, "\n"); line; line = strtok(NULL, "\n")) {
                if (strncmp(line, INPUT_TAG, INPUT_LEN) == 0)
                    continue;
                char *fld[256];
                int n = vmitn_csv_split(line, fld, 256);
                if (n != (int)nm + 1) {
                    fprintf(stderr, "vmitn: %s: malformed (%d fields)\n", jp, n);
                    rc = VMITN_EXIT_IO;
                    break;
                }
                /* rows are matched by experiment label: a run may have experiments others lack */
                size_t e = 0;
                while (e < npoint_lab && strcmp(labels[e], fld[0]) != 0)
                    e++;
                if (e == npoint_lab) {
                    if (npoint_lab == cap) {
                        cap = cap ? cap * 2 : 4;
                        labels = vmitn_xrealloc(labels, cap * sizeof *labels);
                        vals = vmitn_xrealloc(vals, cap * runs * nm * sizeof *vals);
                    }
                    labels[e] = vmitn_xstrdup(fld[0]);
                    for (size_t k = 0; k < runs * nm; k++)
                        vals[e * runs * nm + k] = NAN;
                    npoint_lab++;
                }
                for (unsigned i = 0; i < s->nax; i++) {
                    char *c = vmitn_csv_cell(strchr(set[i], '=') + 1);
                    fprintf(f, "%s,", c);
                    free(c);
                }
                fprintf(f, "%u,%s", r, fld[0]);
                for (size_t i = 0; i < nm; i++) {
                    fprintf(f, ",%s", fld[i + 1]);
                    char *end;
                    double v = strtod(fld[i + 1], &end);
                    vals[(e * runs + r) * nm + i] = *end ? NAN : v;
                }
                fputc('\n', f);
            }
            free(text);
        }
        for (size_t e = 0; e < npoint_lab && rc == 0; e++) {
            for (unsigned i = 0; i < s->nax; i++) {
                char *c = vmitn_csv_cell(strchr(set[i], '=') + 1);
                fprintf(pf, "%s,", c);
                free(c);
            }
            unsigned with = 0; /* runs that have this experiment */
            for (unsigned r = 0; r < runs; r++) {
                bool any = false;
                for (size_t i = 0; i < nm && !any; i++)
                    any = !isnan(vals[(e * runs + r) * nm + i]);
                with += any;
            }
            fprintf(pf, "%s,%u", labels[e], with);
            for (size_t i = 0; i < nm; i++) {
                double sum = 0, mn = INFINITY, mx = -INFINITY;
                unsigned n = 0;
                for (unsigned r = 0; r < runs; r++) {
                    double v = vals[(e * runs + r) * nm + i];
                    if (isnan(v))
                        continue;
                    sum += v;
                    mn = fmin(mn, v);
                    mx = fmax(mx, v);
                    n++;
                }
                double mean = n ? sum / n : NAN, ss = 0;
                for (unsigned r = 0; r < runs && n; r++) {
                    double v = vals[(e * runs + r) * nm + i];
                    if (!isnan(v))
                        ss += (v - mean) * (v - mean);
                }
                double ci = n > 1 ? vmitn_ci95(n, sqrt(ss / (n - 1))) : 0;
                if (n == 0)
                    fprintf(pf, ",0,NA,NA,NA,NA,NA");
                else
                    fprintf(pf, ",%u,%.6g,%.6g,%.6g,%.6g,%.6g", n, mean, mean - ci, mean + ci, mn, mx);
            }
            fputc('\n', pf);
        }
        free_point(s, set, store);
        free(store);
    }
    for (size_t e = 0; e < npoint_lab; e++)
        free(labels[e]);
    free(labels);
    free(vals);
    bool ok = !ferror(f) && !ferror(pf);
    ok &= fflush(f) == 0 && fflush(pf) == 0 && fsync(fileno(f)) == 0 && fsync(fileno(pf)) == 0;
    ok &= fclose(f) == 0;
    ok &= fclose(pf) == 0;
    if (rc != 0 || !ok || rename(tmp, path) != 0 || rename(ptmp, ppath) != 0) {
        unlink(tmp);
        unlink(ptmp);
        return rc ? rc : VMITN_EXIT_IO;
    }
    return VMITN_EXIT_OK;
}

static void rm_jobs(const sweep *s)
{
    char d[4200];
    snprintf(d, sizeof d, "%s/jobs", s->dir);
    struct stat st;
    if (lstat(d, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) { /* a link is removed, never followed into */
        if (S_ISLNK(st.st_mode))
            unlink(d);
        return;
    }
    DIR *dir = opendir(d);
    if (dir == NULL)
        return;
    struct dirent *e;
    char p[4700];
    while ((e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", d, e->d_name);
            unlink(p);
        }
    closedir(dir);
    rmdir(d);
}

/* ---------- the command ---------- */

/* Rank 0: checks every point, prepares the folder, lists the pending jobs. */
static int prepare(sweep *s, uint64_t **pending, uint64_t *npending)
{
    const vmitn_sweep_opts *o = s->o;
    *npending = 0;
    *pending = NULL;
    /* every point's parameters are checked before anything runs */
    for (uint64_t point = 0; point < s->npoints; point++) {
        char **store = vmitn_xmalloc(s->nax * sizeof *store);
        const char **set = point_set(s, point, store);
        vmitn_sweep_point pt = {.scenario = o->scenario, .set = set, .nset = s->nax, .runs = o->runs, .seed = o->seed};
        int rc = o->runner->check(&pt);
        free_point(s, set, store);
        free(store);
        if (rc != VMITN_EXIT_OK)
            return rc;
    }
    char *spec = spec_text(s);
    char path[4200], jobs[4200];
    snprintf(path, sizeof path, "%s/spec", s->dir);
    snprintf(jobs, sizeof jobs, "%s/jobs", s->dir);
    const char *why;
    char *old = read_bounded(path, MAX_FILE_BYTES, &why, NULL);
    if (old == NULL && strcmp(why, "missing") != 0) {
        fprintf(stderr, "vmitn: sweep: %s is %s: not a sweep's spec; choose another --out\n", path, why);
        free(spec);
        return VMITN_EXIT_INPUT;
    }
    if (old != NULL && s->o->force) {
        /* --force: start this folder's sweep afresh, removing only the sweep's own files */
        static const char *const own[] = {"spec", "meta", "runs.csv", "points.csv"};
        rm_jobs(s);
        for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
            char f[4300];
            snprintf(f, sizeof f, "%s/%s", s->dir, own[i]);
            unlink(f);
        }
        free(old);
        old = NULL;
    }
    struct stat st;
    if (old == NULL && stat(s->dir, &st) == 0) {
        DIR *d = opendir(s->dir);
        bool empty = true;
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                empty = false;
        if (d)
            closedir(d);
        if (!empty) {
            fprintf(stderr, "vmitn: sweep: %s exists and holds no sweep; choose another --out\n", s->dir);
            free(spec);
            return VMITN_EXIT_INPUT;
        }
    }
    if (old != NULL && strcmp(old, spec) != 0) {
        /* say which line differs */
        const char *a = old, *b = spec;
        while (*a && *a == *b)
            a++, b++;
        while (a > old && a[-1] != '\n')
            a--;
        while (b > spec && b[-1] != '\n')
            b--;
        const char *ae = strchr(a, '\n'), *be = strchr(b, '\n');
        int al = ae ? (int)(ae - a) : (int)strlen(a), bl = be ? (int)(be - b) : (int)strlen(b);
        fprintf(stderr, "vmitn: sweep: %s holds another sweep (it has '%.*s' where this one has '%.*s'); choose "
                        "another --out, or remove it to start again\n",
                s->dir, al ? al : 6, al ? a : "(none)", bl ? bl : 6, bl ? b : "(none)");
        free(old);
        free(spec);
        return VMITN_EXIT_INPUT;
    }
    char meta[4200];
    snprintf(meta, sizeof meta, "%s/meta", s->dir);
    struct stat mst;
    if (old != NULL && lstat(meta, &mst) == 0) {
        /* complete: meta is this sweep's (it starts with the spec) and both final files are there */
        bool is_dir;
        char *mt = read_bounded(meta, MAX_FILE_BYTES, &why, &is_dir), rp[4300], pp[4300];
        snprintf(rp, sizeof rp, "%s/runs.csv", s->dir);
        snprintf(pp, sizeof pp, "%s/points.csv", s->dir);
        struct stat a, b;
        bool complete = mt != NULL && strncmp(mt, spec, strlen(spec)) == 0 && lstat(rp, &a) == 0 && S_ISREG(a.st_mode) &&
                        lstat(pp, &b) == 0 && S_ISREG(b.st_mode);
        free(mt);
        if (complete) {
            fprintf(stderr, "vmitn: sweep: %s is complete already: nothing to do\n", s->dir);
            free(old);
            free(spec);
            return -1; /* complete */
        }
        /* a meta that finishes nothing: the sweep resumes and writes its own at the end */
        if (is_dir || unlink(meta) != 0) {
            fprintf(stderr, "vmitn: sweep: %s is not this sweep's meta and cannot be removed (%s): remove it, then the "
                            "same command resumes\n", meta, is_dir ? "a folder" : strerror(errno));
            free(old);
            free(spec);
            return VMITN_EXIT_INPUT;
        }
        fprintf(stderr, "vmitn: sweep: %s did not finish this sweep (no runs.csv and points.csv of it): removed; the "
                        "sweep resumes\n", meta);
    }
    if (vmitn_mkdir_p(s->dir) != 0 || (mkdir(jobs, 0777) != 0 && errno != EEXIST)) {
        fprintf(stderr, "vmitn: sweep: %s: cannot create: %s\n", s->dir, strerror(errno));
        free(old);
        free(spec);
        return VMITN_EXIT_IO;
    }
    struct stat jst;
    if (lstat(jobs, &jst) != 0 || !S_ISDIR(jst.st_mode)) { /* a file or a link there: never written through */
        fprintf(stderr, "vmitn: sweep: %s is not a folder (a file or a link), so no job can be recorded: remove it, "
                        "then the same command resumes\n", jobs);
        free(old);
        free(spec);
        return VMITN_EXIT_INPUT;
    }
    int rc = old == NULL ? vmitn_write_durable(path, spec) : 0;
    free(old);
    free(spec);
    if (rc < 0)
        return VMITN_EXIT_IO;
    s->done = vmitn_xcalloc(s->njobs, sizeof *s->done);
    DIR *d = opendir(jobs);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char *end;
        unsigned long long j = strtoull(e->d_name, &end, 10);
        char canon[32];
        snprintf(canon, sizeof canon, "%llu.csv", j);
        if (end != e->d_name && strcmp(e->d_name, canon) == 0 && j < s->njobs) {
            char p[4700], *body, *changed = NULL;
            snprintf(p, sizeof p, "%s/%s", jobs, e->d_name);
            bool is_dir;
            char *text = read_bounded(p, MAX_FILE_BYTES, &why, &is_dir);
            if (text != NULL)
                why = job_check(s, j, text, &body);
            if (why == NULL && inputs_changed(s, body, &changed)) {
                fprintf(stderr, "vmitn: sweep: %s has changed since job %llu of %s read it: the finished jobs and the "
                                "rest would be two sweeps; restore it, or start again with --force\n",
                        changed, j, s->dir);
                free(changed);
                free(text);
                closedir(d);
                return VMITN_EXIT_INPUT;
            }
            if (why == NULL) {
                s->done[j] = true;
            } else if (is_dir && rmdir(p) != 0) { /* vmitn removes no folder it did not make empty */
                fprintf(stderr, "vmitn: sweep: %s is a folder, not a job file: remove it, then the same command "
                                "resumes\n", p);
                free(text);
                closedir(d);
                return VMITN_EXIT_INPUT;
            } else { /* never assembled: it is run again (a link or a FIFO goes, not what it points to) */
                fprintf(stderr, "vmitn: sweep: %s: %s; the job runs again\n", p, why);
                if (!is_dir)
                    unlink(p);
            }
            free(text);
        } else if (strstr(e->d_name, ".tmp.") && vmitn_tmp_stale(strstr(e->d_name, ".tmp.") + 5)) {
            /* a job cut off mid-write, by a process of this machine that is gone: another
             * machine's (an MPI rank on a shared folder) or a live one's is left alone */
            char p[4700];
            snprintf(p, sizeof p, "%s/%s", jobs, e->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
    *pending = vmitn_xmalloc((s->njobs ? s->njobs : 1) * sizeof **pending);
    for (uint64_t j = 0; j < s->njobs; j++)
        if (!s->done[j])
            (*pending)[(*npending)++] = j;
    return VMITN_EXIT_OK;
}


int vmitn_sweep(const vmitn_sweep_opts *o)
{
    sweep s = {.o = o, .rank = 0, .size = 1};
#ifdef VMITN_MPI
    MPI_Comm_rank(MPI_COMM_WORLD, &s.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &s.size);
#endif
    int rc = VMITN_EXIT_OK;
    s.ax = vmitn_xcalloc(o->nset ? o->nset : 1, sizeof *s.ax);
    s.npoints = 1;
    for (unsigned i = 0; i < o->nset; i++) {
        if (parse_axis(o->set[i], &s.ax[s.nax]) < 0) {
            rc = VMITN_EXIT_USAGE;
            s.nax++;
            goto out;
        }
        s.npoints *= s.ax[s.nax++].n;
        if (s.npoints > MAX_POINTS) {
            fprintf(stderr, "vmitn: sweep: more than %llu parameter points (the product of the -p lists); "
                            "split the sweep\n", MAX_POINTS);
            rc = VMITN_EXIT_USAGE;
            goto out;
        }
    }
    s.njobs = s.npoints * o->runs;
    if (s.njobs > MAX_JOBS) { /* refused before any work, and before any memory per job */
        fprintf(stderr, "vmitn: sweep: %llu points x %u runs = %llu jobs, more than the %llu one sweep may have; "
                        "use fewer points or runs, or split the sweep\n",
                (unsigned long long)s.npoints, o->runs, (unsigned long long)s.njobs, MAX_JOBS);
        rc = VMITN_EXIT_USAGE;
        goto out;
    }
    sources_hash(o->runner, o->scenario, s.sources);
    file_hash("/proc/self/exe", s.build); /* another build is another sweep: its numbers may differ */
    {
        char *spec = spec_text(&s);
        s.spec_hash = vmitn_hash(VMITN_HASH_INIT, spec, strlen(spec));
        free(spec);
    }
    if (o->out)
        snprintf(s.dir, sizeof s.dir, "%s", o->out);
    else {
        const char *base = strrchr(o->scenario, '/');
        base = base ? base + 1 : o->scenario;
        snprintf(s.dir, sizeof s.dir, "%s/sweep-%.*s", VMITN_DEFAULT_OUT, (int)strcspn(base, "."), base);
    }
    uint64_t *pending = NULL, npending = 0;
    int64_t bc = 0;
    if (s.rank == 0) {
        rc = prepare(&s, &pending, &npending);
        bc = rc == VMITN_EXIT_OK ? (int64_t)npending : rc == -1 ? INT64_MIN : -(int64_t)rc;
        if (rc == -1)
            rc = VMITN_EXIT_OK;
    }
#ifdef VMITN_MPI
    MPI_Bcast(&bc, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
    if (bc < 0) {
        rc = bc == INT64_MIN ? VMITN_EXIT_OK : (int)-bc;
        goto out;
    }
    if (s.rank != 0) {
        npending = (uint64_t)bc;
        pending = vmitn_xmalloc((npending ? npending : 1) * sizeof *pending);
    }
    if (npending)
        MPI_Bcast(pending, (int)npending, MPI_UINT64_T, 0, MPI_COMM_WORLD);
#else
    if (bc < 0)
        goto out;
#endif
    progress pg = {.on = s.rank == 0 && !o->quiet && isatty(2), .t0 = now_s(), .total = s.njobs,
                   .done0 = s.njobs - npending, .done = s.njobs - npending};
#ifdef VMITN_MPI
    if (s.size > 1)
        rc = run_mpi(&s, pending, npending, &pg);
    else
#endif
        rc = run_pool(&s, pending, npending, &pg);
    free(pending);
    progress_show(&pg, true);
    if (rc == VMITN_EXIT_INTERRUPTED || (rc != VMITN_EXIT_OK && vmitn_interrupted())) {
        if (s.rank == 0)
            fprintf(stderr, "vmitn: sweep: interrupted; finished jobs are kept: the same command resumes\n");
        rc = VMITN_EXIT_INTERRUPTED;
    }
    if (rc != VMITN_EXIT_OK || s.rank != 0)
        goto out;
    rc = assemble(&s);
    if (rc == VMITN_EXIT_OK) {
        char *spec = spec_text(&s);
        size_t len = strlen(spec) + 256;
        char *meta = vmitn_xmalloc(len);
        snprintf(meta, len, "%svmitn = %s\npoints = %llu\njobs = %llu\n", spec, VMITN_VERSION,
                 (unsigned long long)s.npoints, (unsigned long long)s.njobs);
        char path[4200];
        snprintf(path, sizeof path, "%s/meta", s.dir);
        if (vmitn_write_durable(path, meta) < 0)
            rc = VMITN_EXIT_IO;
        free(spec);
        free(meta);
    }
    if (rc == VMITN_EXIT_OK) {
        rm_jobs(&s);
        if (!o->quiet)
            printf("wrote %s\n", s.dir);
    }
out:
    for (unsigned i = 0; i < s.nax; i++) {
        for (unsigned k = 0; k < s.ax[i].n; k++)
            free(s.ax[i].v[k]);
        free(s.ax[i].v);
        free(s.ax[i].name);
    }
    free(s.ax);
    free(s.done);
    for (size_t i = 0; i < s.ninputs; i++)
        free(s.inputs[i].path);
    free(s.inputs);
    return rc;
}
