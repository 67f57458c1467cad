/* scenario.c — runs Lua 5.4 scenarios: a sandboxed state (base, table, string, math,
 * utf8 only; math.random seeded from the run's seed), the `vmitn` module, parameter
 * declarations and overrides, and atomic output: everything is written into a hidden
 * temporary folder that is swapped into place only when the scenario has succeeded.
 *
 * The sandbox (docs/SECURITY.md): no binary chunks (load is text-only, string.dump is
 * gone: Lua does not verify bytecode), at most VMITN_LUA_MEMORY bytes of Lua values, an
 * instruction-count hook that raises "interrupted" after Ctrl-C, and pcall/xpcall that
 * cannot catch an interrupt or the memory limit.  Every file name a scenario chooses is a
 * plain name (vmitn_safe_name) inside the output folder. */
#include "vmitn/scenario.h"

#include <cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vmitn/analytic.h"
#include "vmitn/metrics.h"
#include "vmitn/model.h"
#include "vmitn/paths.h"
#include "vmitn/pcapio.h"
#include "vmitn/progress.h"
#include "vmitn/replicas.h"
#include "vmitn/rng.h"
#include "vmitn/suggest.h"
#include "vmitn/sweep.h"
#include "vmitn/topo.h"
#include "vmitn/trace.h"
#include "vmitn/util.h"
#include "vmitn/version.h"

typedef struct topo_entry {
    char *key;
    char *file; /* the file the key resolved to (NULL for generate:) */
    vmitn_topo *t;
} topo_entry;

/* A growing text buffer for CSV (luaL_Buffer would sit on the Lua stack, in the way of
 * the relative indices used while walking the rows). */
typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        b->cap = (b->n + len + 1) * 2;
        b->p = vmitn_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

enum mode { MODE_RUN, MODE_JOB, MODE_CHECK };

typedef struct runner {
    const vmitn_run_opts *o;
    const char *path;
    char name[128];
    char tmp[4096], final[4096];
    char made_out[4096];       /* the output folder if this run created it */
    unsigned runs;
    topo_entry *topos;
    size_t ntopos;
    char **labels;
    size_t nlabels;
    vmitn_model_cfg *override; /* -p section.name=value, applied to every experiment */
    bool *overridden;          /* per parameter-table row */
    char **strparams;          /* the scenario parameters whose value is a string (meta_json) */
    size_t nstrparams;
    char **files;              /* names written in the scenario's folder, to refuse a clash */
    size_t nfiles;
    FILE *meta;                /* MODE_RUN: the meta file being written (owned by exec) */
    enum mode mode;            /* MODE_JOB: one replication, rows captured, no files */
    unsigned job_run;
    sbuf capture;
    uint64_t hooks;            /* count-hook calls: HOOK_EVERY instructions each */
    size_t written;            /* bytes of vmitn.text and vmitn.table files so far */
    /* --pcap: every experiment's captures wait in PCAP/NAME/.pcap.tmp.HOST.PID/LABEL and go
     * in place with the results (commit_all), or not at all */
    char pcap_tmp[4096];
    char pcap_made[2][4096];   /* PCAP and PCAP/NAME if this run created them */
} runner;

/* Lua values of one scenario: at most this much (a runaway table fails with a message
 * naming the scenario, long before the machine runs out). */
#define VMITN_LUA_MEMORY ((size_t)1 << 30)
#define HOOK_EVERY 100000 /* instructions between interrupt checks: well under 10 ms */
/* Events one vmitn.experiment may schedule, all runs together: ~3 hours at the event
 * core's speed; more is refused before anything runs. */
#define MAX_EVENTS 1e11
#define NAME_LEN 100 /* labels and file names; the longest suffix (.handovers.csv) still fits */
/* Bytes a scenario may write through vmitn.text and vmitn.table, all files together (the
 * experiments' own files are bounded by the event cap): a runaway loop fills no disk. */
#define VMITN_OUTPUT_LIMIT ((size_t)256 << 20)

typedef struct lmem {
    size_t used, limit;
    bool hit; /* the limit refused an allocation (Lua may collect and retry; if it then
               * fails with "not enough memory", this was why) */
} lmem;

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    lmem *m = ud;
    if (ptr == NULL)
        osize = 0; /* osize then encodes the type of the new object */
    if (nsize == 0) {
        free(ptr);
        m->used -= osize;
        return NULL;
    }
    if (nsize > osize && nsize - osize > m->limit - m->used) {
        m->hit = true;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p != NULL)
        m->used = m->used - osize + nsize;
    return p;
}

/* Prints a scenario's error: the limit's own message for the memory limit. */
static void print_error(lua_State *L, const char *path, const char *msg)
{
    if (msg == NULL)
        msg = "(an error object that is not a string)";
    if (strcmp(msg, "not enough memory") != 0) {
        fprintf(stderr, "vmitn: %s\n", msg);
        return;
    }
    void *ud;
    lua_getallocf(L, &ud);
    const lmem *m = ud;
    if (m->hit)
        fprintf(stderr, "vmitn: %s: out of memory: the scenario's Lua values reached vmitn's limit of %zu MiB\n", path,
                m->limit >> 20);
    else
        fprintf(stderr, "vmitn: %s: out of memory: the machine has no more for the scenario's Lua values\n", path);
}

/* luaL_error with printf's full formats (Lua's own lack %g and widths: Lua 5.4 knows only
 * %% %s %d %I %f %p %c %U, and prints "invalid conversion" for any other).  Every message
 * with a number that is not an int goes through it. */
static int lerror(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char RUNNER_KEY = 'r';

static runner *get_runner(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &RUNNER_KEY);
    runner *r = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return r;
}

/* SIGINT/SIGTERM (util.c) set a flag; it is checked between runs, by the event loop and
 * by a Lua count hook, so an interrupted run unwinds through the normal cleanup. */
static void check_interrupt(lua_State *L)
{
    if (vmitn_interrupted())
        luaL_error(L, "interrupted");
}

static void interrupt_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    check_interrupt(L);
    runner *r = get_runner(L);
    if (r != NULL && r->o != NULL && r->o->max_instructions > 0 && ++r->hooks * HOOK_EVERY > r->o->max_instructions) {
        /* in a hook, level 0 is the scenario's own function (luaL_error would name level 1) */
        char msg[96];
        snprintf(msg, sizeof msg, "more than %llu Lua instructions", (unsigned long long)r->o->max_instructions);
        luaL_where(L, 0);
        lua_pushstring(L, msg);
        lua_concat(L, 2);
        lua_error(L);
    }
}

/* ---------- files ---------- */


/* An existing results folder is kept unless force is set, and even then only one that
 * vmitn wrote (it holds meta) is replaced.  0 to go on, or -1 after the message. */
static int refuse_existing(const char *dir, bool force)
{
    struct stat st;
    char meta[4200];
    if (lstat(dir, &st) != 0)
        return 0;
    snprintf(meta, sizeof meta, "%s/meta", dir);
    if (!force) {
        fprintf(stderr, "vmitn: %s exists: choose another --out, or --force to replace it\n", dir);
        return -1;
    }
    if (!S_ISDIR(st.st_mode) || lstat(meta, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "vmitn: %s exists and is not a folder vmitn wrote (no meta): not replacing it, even with --force\n", dir);
        return -1;
    }
    return 0;
}

char *vmitn_scenario_path(const char *name)
{
    struct stat st;
    if (stat(name, &st) == 0 && S_ISREG(st.st_mode))
        return vmitn_xstrdup(name);
    if (strchr(name, '/') != NULL)
        return NULL;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s.lua", name);
    const char *here[] = {"scenarios"};
    return vmitn_find_file(buf, here, 1, "scenarios");
}

/* The folder of a file's path ("." for a bare name), into buf. */
static void dir_of(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(buf, n, ".");
    else if (slash == path)
        snprintf(buf, n, "/");
    else
        snprintf(buf, n, "%.*s", (int)(slash - path), path);
}

/* Adds the scenario names (NAME of NAME.lua) of dir to *v. */
static void scenario_names(const char *dir, char ***v, size_t *n)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".lua") == 0 && e->d_name[0] != '.') {
            *v = vmitn_xrealloc(*v, (*n + 1) * sizeof **v);
            (*v)[(*n)++] = vmitn_xstrdup(e->d_name);
            (*v)[*n - 1][len - 4] = '\0';
        }
    }
    closedir(d);
}

/* "no such scenario", with the nearest scenario name when one is close. */
static void no_scenario(const char *name)
{
    char **v = NULL, data[4200];
    size_t n = 0;
    scenario_names("scenarios", &v, &n);
    if (vmitn_data_dir() != NULL) {
        snprintf(data, sizeof data, "%s/scenarios", vmitn_data_dir());
        scenario_names(data, &v, &n);
    }
    const char *near = vmitn_suggest(name, (const char *const *)v, n);
    fprintf(stderr, "vmitn: %s: no such scenario file (nor scenarios/%s.lua here%s%s)", name, name,
            vmitn_data_dir() ? " or in " : "", vmitn_data_dir() ? vmitn_data_dir() : "");
    if (near != NULL)
        fprintf(stderr, "; did you mean '%s'?", near);
    fputs(" (see 'vmitn list')\n", stderr);
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool safe_label(const char *s) { return vmitn_safe_name(s, NAME_LEN); }

static int lerror(lua_State *L, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return luaL_error(L, "%s", buf);
}

/* ---------- what a scenario may read and write (docs/SECURITY.md) ---------- */

/* A path a scenario names is read only when it is a regular file the user may read; for
 * any other path the answer is this one message, whatever the reason (missing, a folder,
 * a device, a FIFO, a dangling link, no permission), so that a scenario learns nothing
 * about paths it may not read. */
#define UNREADABLE "cannot read: no regular file vmitn may read (vmitn does not tell a scenario which reason)"

static bool readable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

/* Counts n more bytes of vmitn.text / vmitn.table output, or raises the limit's error. */
static void charge_output(lua_State *L, runner *r, const char *fn, const char *name, size_t n)
{
    if (n > VMITN_OUTPUT_LIMIT - r->written)
        lerror(L, "%s '%s': %zu bytes more would take the scenario's files past vmitn's limit of %zu MiB "
                  "(%zu bytes written so far)",
               fn, name, n, VMITN_OUTPUT_LIMIT >> 20, r->written);
    r->written += n;
}

/* ---------- model parameters from Lua ---------- */

static const vmitn_param_desc *find_param(const char *section, const char *name, size_t *idx)
{
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].section, section) == 0 && strcmp(d[i].name, name) == 0) {
            if (idx)
                *idx = i;
            return &d[i];
        }
    return NULL;
}

static bool is_section(const char *s)
{
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    for (size_t i = 0; i < n; i++)
        if (*d[i].section && strcmp(d[i].section, s) == 0)
            return true;
    return false;
}

/* The valid names of one section, for "unknown parameter" messages. */
static void valid_names(const char *section, char *buf, size_t len)
{
    size_t n, used = 0;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    buf[0] = '\0';
    if (*section == '\0') {
        used += (size_t)snprintf(buf, len, "inject");
        const char *last = "";
        for (size_t i = 0; i < n && used < len; i++) {
            if (*d[i].section == '\0')
                used += (size_t)snprintf(buf + used, len - used, ", %s", d[i].name);
            else if (strcmp(d[i].section, last) != 0)
                used += (size_t)snprintf(buf + used, len - used, ", %s", d[i].section);
            last = d[i].section;
        }
        return;
    }
    for (size_t i = 0; i < n && used < len; i++)
        if (strcmp(d[i].section, section) == 0)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", d[i].name);
}

static void full_name(const vmitn_param_desc *d, char *buf, size_t n)
{
    if (*d->section)
        snprintf(buf, n, "%s.%s", d->section, d->name);
    else
        snprintf(buf, n, "%s", d->name);
}

/* Sets one field from the Lua value at the top of the stack; errors name the field. */
static void set_param(lua_State *L, vmitn_model_cfg *c, const vmitn_param_desc *d)
{
    char fn[96];
    full_name(d, fn, sizeof fn);
    char *field = (char *)c + d->off;
    int t = lua_type(L, -1);
    switch (d->kind) {
    case VMITN_P_NUM:
    case VMITN_P_INT: {
        if (t != LUA_TNUMBER)
            lerror(L, "model.%s: expected a number, got %s", fn, luaL_typename(L, -1));
        double v = lua_tonumber(L, -1);
        if (d->kind == VMITN_P_INT && (v != floor(v) || !isfinite(v)))
            lerror(L, "model.%s: expected an integer, got %g", fn, v);
        if (!(v >= d->min && v <= d->max))
            lerror(L, "model.%s: %g is out of range [%g, %g]%s%s", fn, v, d->min, d->max, *d->unit ? " " : "", d->unit);
        /* the clock counts nanoseconds: a positive time below 0.5 ns would silently be 0,
         * which means something else for some (smc.half_life 0: no aging) */
        if (strcmp(d->unit, "s") == 0 && v > 0 && vmitn_secs(v) == 0)
            lerror(L, "model.%s: %g s is below the clock's resolution of 1 ns (use 0 or at least 1e-09)", fn, v);
        if (d->kind == VMITN_P_NUM)
            *(double *)field = v;
        else
            *(int *)field = (int)v;
        return;
    }
    case VMITN_P_BOOL:
        if (t != LUA_TBOOLEAN)
            lerror(L, "model.%s: expected true or false, got %s", fn, luaL_typename(L, -1));
        *(bool *)field = lua_toboolean(L, -1);
        return;
    case VMITN_P_STR: {
        if (t != LUA_TSTRING)
            lerror(L, "model.%s: expected a string, got %s", fn, luaL_typename(L, -1));
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        size_t cap = d->size;
        if (len + 1 > cap)
            lerror(L, "model.%s: longer than %zu characters", fn, cap - 1);
        memcpy(field, s, len + 1);
        return;
    }
    case VMITN_P_ENUM: {
        const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        for (int i = 0; s && d->choices[i]; i++)
            if (strcmp(d->choices[i], s) == 0) {
                *(int *)field = i;
                return;
            }
        char ch[256] = "";
        for (int i = 0; d->choices[i]; i++)
            snprintf(ch + strlen(ch), sizeof ch - strlen(ch), "%s%s", i ? ", " : "", d->choices[i]);
        lerror(L, "model.%s: expected one of %s, got %s", fn, ch, s ? s : luaL_typename(L, -1));
    }
    }
}

static void read_inject(lua_State *L, vmitn_model_cfg *c)
{
    if (!lua_istable(L, -1))
        luaL_error(L, "model.inject: expected a list of {host = NAME, t = SECONDS}");
    lua_Integer n = luaL_len(L, -1);
    if (n > VMITN_MAX_INJECT)
        luaL_error(L, "model.inject: at most %d entries", VMITN_MAX_INJECT);
    c->ninject = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        lua_getfield(L, -1, "host");
        lua_getfield(L, -2, "t");
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "model.inject[%d]: expected {host = NAME, t = SECONDS >= 0}", (int)i);
        double t = lua_tonumber(L, -1);
        if (!(t >= 0 && t <= 1e6)) /* the range of duration: later would never happen */
            lerror(L, "model.inject[%d].t must be a finite time >= 0 and <= 1e+06 s (got %g)", (int)i, t);
        if (strlen(lua_tostring(L, -2)) >= VMITN_NAME_MAX)
            lerror(L, "model.inject[%d].host: longer than %d characters", (int)i, VMITN_NAME_MAX - 1);
        snprintf(c->inject[c->ninject].host, VMITN_NAME_MAX, "%s", lua_tostring(L, -2));
        c->inject[c->ninject].t = lua_tonumber(L, -1);
        c->ninject++;
        lua_pop(L, 3);
    }
}

static void read_section(lua_State *L, vmitn_model_cfg *c, const char *section)
{
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "model%s%s: keys must be names", *section ? "." : "", section);
        const char *k = lua_tostring(L, -2);
        if (*section == '\0' && strcmp(k, "inject") == 0) {
            read_inject(L, c);
        } else if (*section == '\0' && is_section(k)) {
            if (!lua_istable(L, -1))
                luaL_error(L, "model.%s: expected a table", k);
            read_section(L, c, k);
        } else {
            const vmitn_param_desc *d = find_param(section, k, NULL);
            if (d == NULL) {
                char valid[2048];
                valid_names(section, valid, sizeof valid);
                size_t np;
                const vmitn_param_desc *pd = vmitn_model_params(&np);
                const char *cand[256];
                size_t nc = 0;
                for (size_t i = 0; i < np && nc < 256; i++)
                    if (strcmp(pd[i].section, section) == 0)
                        cand[nc++] = pd[i].name;
                    else if (*section == '\0' && nc < 256 && (nc == 0 || strcmp(cand[nc - 1], pd[i].section) != 0))
                        cand[nc++] = pd[i].section;
                const char *near = vmitn_suggest(k, cand, nc);
                luaL_error(L, "model%s%s.%s: unknown parameter%s%s%s (valid: %s)", *section ? "." : "", section, k,
                           near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "", valid);
            }
            set_param(L, c, d);
        }
        lua_pop(L, 1);
    }
}

/* ---------- the vmitn module ---------- */

/* A sweep job names each data file it reads, once ("# input PATH" among its rows):
 * sweep.c records the hash of its bytes and refuses to resume when one changed. */
static void note_input(runner *r, const char *path)
{
    if (r->mode != MODE_JOB)
        return;
    char *e = vmitn_escape_line(path), *line = vmitn_xmalloc(strlen(e) + 16);
    sprintf(line, "# input %s\n", e);
    if (r->capture.p == NULL || strstr(r->capture.p, line) == NULL)
        sb_puts(&r->capture, line);
    free(line);
    free(e);
}

static vmitn_topo *get_topo(lua_State *L, runner *r, const char *spec)
{
    for (size_t i = 0; i < r->ntopos; i++)
        if (strcmp(r->topos[i].key, spec) == 0)
            return r->topos[i].t;
    char err[VMITN_ERRLEN];
    vmitn_topo *t = NULL;
    char *file = NULL;
    int rc;
    if (strncmp(spec, "generate:", 9) == 0) {
        /* three whole numbers, digits only (sscanf's %u would wrap "-1" and overflow) */
        unsigned long v[3];
        const char *p = spec + 9;
        int k = 0;
        for (; k < 3; k++) {
            size_t nd = strspn(p, "0123456789");
            if (nd == 0 || nd > 9 || p[nd] != (k < 2 ? ':' : '\0'))
                break;
            v[k] = strtoul(p, NULL, 10);
            p += nd + 1;
        }
        if (k < 3)
            luaL_error(L, "model.topology: '%s': expected generate:SUBNETS:HOSTS:FANOUT (whole numbers)", spec);
        if (r->o != NULL && r->o->max_hosts > 0 && (double)v[0] * (double)v[1] > r->o->max_hosts)
            lerror(L, "model.topology: '%s': more than %u hosts", spec, r->o->max_hosts);
        rc = vmitn_topo_generate((unsigned)v[0], (unsigned)v[1], (unsigned)v[2], &t, err, sizeof err);
    } else {
        /* beside the scenario, beside its folder (scenarios/ and topologies/ side by side),
         * in the data folder, then as given */
        char dir[4096], up[4200];
        dir_of(r->path, dir, sizeof dir);
        snprintf(up, sizeof up, "%s/..", dir);
        const char *dirs[] = {dir, up};
        char *found = spec[0] == '/' ? NULL : vmitn_find_file(spec, dirs, 2, "");
        if (!readable_file(found ? found : spec)) {
            free(found);
            lua_pushboolean(L, 1);
            lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
            lerror(L, "model.topology: %s: " UNREADABLE, spec);
        }
        rc = vmitn_topo_load(found ? found : spec, &t, err, sizeof err);
        file = found ? found : vmitn_xstrdup(spec);
    }
    if (rc == -VMITN_EIO) {
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
    }
    if (rc < 0) {
        free(file);
        luaL_error(L, "%s", err);
    }
    if (file != NULL)
        note_input(r, file);
    r->topos = vmitn_xrealloc(r->topos, (r->ntopos + 1) * sizeof *r->topos);
    r->topos[r->ntopos++] = (topo_entry){vmitn_xstrdup(spec), file, t};
    return t;
}

static void apply_overrides(const runner *r, vmitn_model_cfg *c)
{
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    for (size_t i = 0; i < n; i++) {
        if (!r->overridden[i])
            continue;
        memcpy((char *)c + d[i].off, (const char *)r->override + d[i].off, d[i].size);
    }
}

static void push_stat(lua_State *L, const vmitn_stat *s)
{
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, s->n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, s->missing);
    lua_setfield(L, -2, "missing");
    struct { const char *k; double v; } f[] = {{"mean", s->mean}, {"sd", s->sd}, {"ci", s->ci},
                                                {"lo", s->mean - s->ci}, {"hi", s->mean + s->ci},
                                                {"min", s->min}, {"max", s->max}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (s->n == 0)
            continue; /* absent fields read as nil in Lua */
        lua_pushnumber(L, f[i].v);
        lua_setfield(L, -2, f[i].k);
    }
}

static void progress(const runner *r, const char *fmt, ...)
{
    if (r->o->quiet || r->mode != MODE_RUN || !isatty(2))
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", r->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Claims a file name in the scenario's folder; a second claim is an error. */
static void claim(lua_State *L, runner *r, const char *name)
{
    if (strcmp(name, "meta") == 0)
        lerror(L, "'meta' is vmitn's own file in the scenario's folder: choose another name");
    for (size_t i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i], name) == 0)
            lerror(L, "'%s' is written twice by this scenario: choose another name", name);
    r->files = vmitn_xrealloc(r->files, (r->nfiles + 1) * sizeof *r->files);
    r->files[r->nfiles++] = vmitn_xstrdup(name);
}

/* The events one run of c schedules, at most (scans, flood, legitimate traffic and its
 * answers, grid samples, AGENT reports), into *est; why[] names the largest part.  An
 * upper bound: every FES host is taken to be scanning for the whole run. */
static double work_estimate(const vmitn_model_cfg *c, const vmitn_topo *t, char *why, size_t n)
{
    unsigned nh = vmitn_topo_nhosts(t), nfes = 0, nwired = 0;
    for (unsigned i = 0; i < nh; i++) {
        nfes += vmitn_topo_host(t, i)->kind == VMITN_HOST_FES;
        nwired += vmitn_topo_host(t, i)->lan >= 0;
    }
    double dur = c->duration, scans = 0;
    if (c->worm.enabled || c->ninject > 0) {
        double share = 1; /* the share of scans that cost an event */
        if (c->worm.fast) {
            /* only scans that hit an address in use: a region of 2^bits addresses holds at
             * most every wired host */
            double p[3] = {c->worm.p_local, c->worm.p_near, c->worm.p_any};
            double bits[3] = {c->worm.local_bits, c->worm.near_bits, c->worm.any_bits};
            share = 0;
            for (int g = 0; g < 3; g++)
                share += p[g] * fmin(1.0, (double)nwired / ldexp(1.0, (int)bits[g]));
            share = fmin(1.0, share);
        }
        scans = c->worm.rate * dur * nfes * share * 2; /* a scan that hits is answered */
    }
    double flood = 0;
    if (c->flood.enabled) {
        double end = c->flood.stop > c->flood.start ? fmin(c->flood.stop, dur) : dur;
        flood = c->flood.rate * fmax(0.0, end - c->flood.start);
    }
    double legit = (c->legit.http_rate + c->legit.smtp_rate) * nfes * dur * 2;
    double grid = dur / c->grid;
    double reports = c->smc.learning && c->smc.report_period > 0 ? nfes * dur / c->smc.report_period : 0;
    double total = scans + flood + legit + grid + reports;
    if (scans >= flood && scans >= legit && scans >= grid && scans >= reports)
        snprintf(why, n, "worm: %g scans/s x %g s x %u FES hosts%s", c->worm.rate, dur, nfes,
                 c->worm.fast ? " x the share that hits" : "");
    else if (flood >= legit && flood >= grid && flood >= reports)
        snprintf(why, n, "flood: %g packets/s for %g s", c->flood.rate, dur);
    else if (legit >= grid && legit >= reports)
        snprintf(why, n, "legit: %g requests/s x %u FES hosts x %g s", c->legit.http_rate + c->legit.smtp_rate, nfes, dur);
    else if (grid >= reports)
        snprintf(why, n, "duration / grid = %g / %g", dur, c->grid);
    else
        snprintf(why, n, "AGENT reports: %u FES hosts x %g s / smc.report_period %g s", nfes, dur, c->smc.report_period);
    return total;
}

/* The value of parameter d in c as text: %.17g numbers (they read back exactly), strings
 * quoted. */
static void param_text(const vmitn_param_desc *d, const vmitn_model_cfg *c, char *buf, size_t n)
{
    const char *f = (const char *)c + d->off;
    switch (d->kind) {
    case VMITN_P_NUM: snprintf(buf, n, "%.17g", *(const double *)f); break;
    case VMITN_P_INT: snprintf(buf, n, "%d", *(const int *)f); break;
    case VMITN_P_BOOL: snprintf(buf, n, "%s", *(const bool *)f ? "true" : "false"); break;
    case VMITN_P_STR: {
        char *e = vmitn_escape_line(f); /* one line in meta, whatever the string holds */
        snprintf(buf, n, "\"%s\"", e);
        free(e);
        break;
    }
    case VMITN_P_ENUM: snprintf(buf, n, "\"%s\"", d->choices[*(const int *)f]); break;
    }
}

/* meta: every parameter of one experiment as resolved (the scenario's model table on the
 * defaults, then the -p overrides), the topology file it read and the injections. */
static void meta_experiment(const runner *r, const char *label, const vmitn_model_cfg *c)
{
    if (r->meta == NULL)
        return;
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    for (size_t i = 0; i < n; i++) {
        char fn[96], val[300];
        full_name(&d[i], fn, sizeof fn);
        param_text(&d[i], c, val, sizeof val);
        fprintf(r->meta, "exp.%s.%s = %s\n", label, fn, val);
    }
    for (size_t i = 0; i < r->ntopos; i++)
        if (strcmp(r->topos[i].key, c->topology) == 0 && r->topos[i].file != NULL) {
            char *e = vmitn_escape_line(r->topos[i].file);
            fprintf(r->meta, "exp.%s.topology_file = %s\n", label, e);
            free(e);
        }
    for (unsigned i = 0; i < c->ninject; i++) {
        char *e = vmitn_escape_line(c->inject[i].host);
        fprintf(r->meta, "exp.%s.inject.%u = %s at %.17g s\n", label, i + 1, e, c->inject[i].t);
        free(e);
    }
}

static int trace_set_gc(lua_State *L)
{
    vmitn_trace_set_destroy(lua_touserdata(L, 1));
    return 0;
}

/* Runs the model table at stack index 2 `runs` times; returns the filled collector.
 * Raises a Lua error (naming the parameter) on a bad model. */
/* The folder run `label`'s captures are written in (dir: inside the staging folder, made
 * at the first capture) and the one they will go to (shown).  0, or -VMITN_EIO with the
 * reason in err: the final folder is not one this run may replace, or the staging folder
 * cannot be made. */
static int pcap_stage(runner *r, const char *label, char *dir, size_t n, char *shown, size_t sn, char *err, size_t errlen)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%.3900s/%s", r->o->pcap_dir, r->name);
    snprintf(shown, sn, "%s/%s", parent, label);
    int rc = vmitn_pcap_dest_check(shown, r->o->force, err, errlen);
    if (rc < 0)
        return rc;
    if (r->pcap_tmp[0] == '\0') {
        struct stat st;
        if (stat(r->o->pcap_dir, &st) != 0)
            snprintf(r->pcap_made[0], sizeof r->pcap_made[0], "%s", r->o->pcap_dir);
        if (stat(parent, &st) != 0)
            snprintf(r->pcap_made[1], sizeof r->pcap_made[1], "%s", parent);
        char tag[VMITN_TAGLEN], tmp[4096];
        vmitn_tmp_tag(tag);
        snprintf(tmp, sizeof tmp, "%.3900s/.pcap.tmp.%s", parent, tag);
        if (vmitn_mkdir_p(parent) != 0) {
            snprintf(err, errlen, "%.400s: cannot create: %s", parent, strerror(errno));
            return -VMITN_EIO;
        }
        vmitn_remove_stale(parent, ".pcap.tmp.");
        vmitn_rm_rf(tmp);
        if (mkdir(tmp, 0777) != 0) {
            snprintf(err, errlen, "%.400s: cannot create: %s", tmp, strerror(errno));
            return -VMITN_EIO;
        }
        snprintf(r->pcap_tmp, sizeof r->pcap_tmp, "%s", tmp);
        vmitn_cleanup_add(r->pcap_tmp);
    }
    snprintf(dir, n, "%s/%s", r->pcap_tmp, label);
    return 0;
}

static vmitn_metrics *simulate(lua_State *L, runner *r, lua_Integer runs, vmitn_model_cfg **cfg_out, const char *label)
{
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_argcheck(L, runs >= 1 && runs <= 100000, 3, "runs must be in [1, 100000]");
    vmitn_model_cfg *c = lua_newuserdatauv(L, sizeof *c, 0); /* collected by Lua, even on error */
    vmitn_model_cfg_default(c);
    lua_pushvalue(L, 2);
    read_section(L, c, "");
    lua_pop(L, 1);
    apply_overrides(r, c);
    vmitn_topo *t = get_topo(L, r, c->topology);
    char err[VMITN_ERRLEN];
    if (vmitn_model_check(c, t, err, sizeof err) < 0)
        luaL_error(L, "model: %s", err);
    for (const char *p = c->legit.trace; *p;) { /* each capture replayed (checked as a list already) */
        size_t len = strcspn(p, ",");
        char file[1024];
        snprintf(file, sizeof file, "%.*s", (int)(len < 1000 ? len : 1000), p);
        if (!readable_file(file)) {
            lua_pushboolean(L, 1);
            lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
            lerror(L, "model: legit.trace: %s: " UNREADABLE, file);
        }
        p += len + (p[len] == ',');
    }
    /* legit.trace's captures, read once for every run (a __gc frees them on an error) */
    vmitn_trace_set *ts = lua_newuserdatauv(L, sizeof *ts, 0);
    memset(ts, 0, sizeof *ts);
    if (luaL_newmetatable(L, "vmitn.trace_set")) {
        lua_pushcfunction(L, trace_set_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    vmitn_trace_map_opts to = {.speed = c->legit.trace_speed, .start = c->legit.trace_start, .loop = c->legit.trace_loop};
    int trc = c->legit.trace[0] ? vmitn_trace_set_load(c->legit.trace, &to, ts, err, sizeof err) : 0;
    if (trc == -VMITN_EIO) { /* a capture that cannot be read: exit 3 */
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
    }
    if (trc < 0)
        luaL_error(L, "model: %s", err);
    c->legit.traces = ts;
    for (unsigned k = 0; k < ts->n; k++)
        note_input(r, ts->tr[k].path);
    {
        char why[256];
        double work = work_estimate(c, t, why, sizeof why), replay = vmitn_trace_set_events(ts, &to, c->duration);
        if (replay > work)
            snprintf(why, sizeof why, "legit.trace: %g replayed packets a run%s", replay / 2,
                     c->legit.trace_loop ? ", every loop pass" : "");
        work = (work + replay) * (double)(r->mode == MODE_JOB ? 1 : runs);
        double cap = r->o->max_events > 0 ? (double)r->o->max_events : MAX_EVENTS;
        if (work > cap)
            lerror(L, "model: about %.2g events (%s%s), more than the %.3g one experiment may take "
                      "(hours of computing): shorten duration, lower the rates, use fewer runs or worm.fast",
                   work, why, r->mode == MODE_JOB || runs == 1 ? "" : ", every run", cap);
    }
    unsigned nfes = 0;
    for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++)
        nfes += vmitn_topo_host(t, i)->kind == VMITN_HOST_FES;
    /* a sweep job runs only its replication, with that replication's streams */
    bool job = r->mode == MODE_JOB;
    if (job)
        runs = 1;
    int evw = label != NULL && !job ? vmitn_events_wanted(c, t, (unsigned)runs, err, sizeof err) : 0;
    if (evw < 0)
        lerror(L, "model: %s", err);
    vmitn_metrics *m = vmitn_metrics_new(c, vmitn_topo_nhosts(t), nfes, (unsigned)runs);
    vmitn_observer ob = vmitn_metrics_observer(m);
    if (evw > 0)
        vmitn_metrics_set_events(m, vmitn_events_new(c, t));
    if (label != NULL && r->o->pcap_dir != NULL && r->mode == MODE_RUN && r->o->pcap_run >= runs) {
        vmitn_metrics_free(m);
        lerror(L, "--pcap-run %u: experiment '%s' has runs 0 to %u", r->o->pcap_run, label, (unsigned)runs - 1);
    }
    vmitn_progress prog;
    /* vmitn.measure (no label) too, off a terminal: a search of many is a long silence */
    bool show = r->mode == MODE_RUN && !r->o->quiet && (label != NULL || !isatty(2));
    vmitn_progress_start(&prog, r->name, label ? label : "vmitn.measure", (unsigned)runs, c->duration, !show);
    /* --jobs: the runs on worker processes, replayed here in run order (replicas.h) */
    vmitn_replicas *pool = NULL;
    unsigned jobs = r->o->jobs ? r->o->jobs : vmitn_cores();
    if (!job && runs > 1 && jobs > 1) {
        vmitn_observer like[3] = {ob, {.ctx = &prog, .sample = vmitn_progress_sample}};
        unsigned nlike = show ? 2 : 1; /* the observers every run has (below) */
        if (vmitn_metrics_events(m) != NULL)
            like[nlike++] = vmitn_events_observer(vmitn_metrics_events(m));
        bool capture = label != NULL && r->o->pcap_dir != NULL && r->mode == MODE_RUN;
        pool = vmitn_replicas_start(c, t, r->o->seed, (unsigned)runs, jobs, like, nlike,
                                    capture ? r->o->pcap_run : UINT32_MAX, err, sizeof err);
        /* no worker could start (out of processes): the same runs, here */
    }
    for (unsigned k = 0; k < runs; k++) {
        vmitn_metrics_begin_run(m, k);
        vmitn_observer obs[4] = {ob};
        unsigned nobs = 1;
        if (vmitn_metrics_events(m) != NULL)
            obs[nobs++] = vmitn_events_observer(vmitn_metrics_events(m));
        prog.k = k;
        if (show)
            obs[nobs++] = (vmitn_observer){.ctx = &prog, .sample = vmitn_progress_sample};
        vmitn_pcap_writer *pw = NULL;
        if (label != NULL && r->o->pcap_dir != NULL && r->mode == MODE_RUN && k == r->o->pcap_run) {
            char dir[4300], shown[4300];
            if (pcap_stage(r, label, dir, sizeof dir, shown, sizeof shown, err, sizeof err) < 0 ||
                (pw = vmitn_pcap_writer_open(dir, shown, t, err, sizeof err)) == NULL) {
                vmitn_replicas_stop(pool);
                vmitn_metrics_free(m);
                lua_pushboolean(L, 1);
                lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
                lerror(L, "--pcap: %s", err);
            }
            obs[nobs++] = vmitn_pcap_writer_observer(pw);
        }
        int mrc = pool != NULL ? vmitn_replicas_run(pool, k, obs, nobs, err, sizeof err)
                               : vmitn_model_run(c, t, r->o->seed, job ? r->job_run : k, obs, nobs, err, sizeof err);
        if (vmitn_interrupted() || mrc == VMITN_REPLICAS_FAILED) { /* the run stopped early: its figures and captures go */
            if (pw != NULL)
                vmitn_pcap_writer_discard(pw);
            vmitn_replicas_stop(pool);
            vmitn_metrics_free(m);
            if (mrc == VMITN_REPLICAS_FAILED)
                luaL_error(L, "--jobs: %s", err);
            check_interrupt(L);
        }
        if (pw != NULL && vmitn_pcap_writer_close(pw, err, sizeof err) < 0 && mrc == 0) {
            vmitn_replicas_stop(pool);
            vmitn_metrics_free(m);
            lua_pushboolean(L, 1);
            lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
            lerror(L, "--pcap: %s", err);
        }
        if (mrc < 0) {
            vmitn_replicas_stop(pool);
            vmitn_metrics_free(m);
            if (mrc == -VMITN_EIO) { /* a file the model reads (legit.trace) could not be read: exit 3 */
                lua_pushboolean(L, 1);
                lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
            }
            luaL_error(L, "model: %s", err);
        }
        vmitn_metrics_end_run(m);
        if (k + 1 == runs)
            vmitn_progress_end(&prog);
    }
    vmitn_replicas_stop(pool);
    c->legit.traces = NULL;
    vmitn_trace_set_destroy(ts);
    *cfg_out = c;
    return m;
}

/* Pushes the summary table of m: one entry per metric, plus worst_run and runs. */
static void push_summary(lua_State *L, const vmitn_metrics *m, lua_Integer runs)
{
    lua_createtable(L, 0, (int)vmitn_metrics_count(m) + 2);
    for (size_t i = 0; i < vmitn_metrics_count(m); i++) {
        vmitn_stat s;
        vmitn_metrics_stat(m, i, &s);
        push_stat(L, &s);
        if (i < vmitn_metrics_per_run()) {
            /* every run's value, for statistics over sets of runs (NaN where missing) */
            lua_Integer nr = (lua_Integer)vmitn_metrics_runs(m); /* a sweep job ran 1 */
            lua_createtable(L, (int)nr, 0);
            for (lua_Integer k = 0; k < nr; k++) {
                lua_pushnumber(L, vmitn_metrics_run_value(m, (unsigned)k, i));
                lua_rawseti(L, -2, k + 1);
            }
            lua_setfield(L, -2, "values");
        }
        lua_setfield(L, -2, vmitn_metrics_name(m, i));
    }
    lua_pushinteger(L, vmitn_metrics_worst(m));
    lua_setfield(L, -2, "worst_run");
    /* the mean curves, for fits and analytic models in Lua */
    size_t np = vmitn_metrics_npoints(m);
    lua_createtable(L, 0, 3);
    static const char *const q[] = {"infected", "healthy", "infections", "seen_infected"};
    static const int qi[] = {0, 1, 3, 4};
    lua_createtable(L, (int)np, 0);
    for (size_t k = 0; k < np; k++) {
        lua_pushnumber(L, vmitn_metrics_curve_time(m, k));
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "t");
    for (int j = 0; j < 4; j++) {
        lua_createtable(L, (int)np, 0);
        for (size_t k = 0; k < np; k++) {
            lua_pushnumber(L, vmitn_metrics_curve_mean(m, qi[j], k));
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_setfield(L, -2, q[j]);
    }
    lua_setfield(L, -2, "curve");
    lua_pushinteger(L, runs);
    lua_setfield(L, -2, "runs");
    /* the replayed captures' packets (legit.trace): statistics over runs and every run's value */
    lua_createtable(L, 0, (int)vmitn_metrics_nreplay());
    for (size_t i = 0; i < vmitn_metrics_nreplay(); i++) {
        unsigned nr = vmitn_metrics_runs(m);
        vmitn_stat st = {.min = NAN, .max = NAN, .mean = NAN};
        double sum = 0, sq = 0;
        lua_createtable(L, (int)nr, 0);
        for (unsigned k = 0; k < nr; k++) {
            double v = vmitn_metrics_replay_value(m, k, i);
            lua_pushnumber(L, v);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
            if (isnan(v)) {
                st.missing++;
                continue;
            }
            st.n++;
            sum += v;
            st.min = st.n == 1 || v < st.min ? v : st.min;
            st.max = st.n == 1 || v > st.max ? v : st.max;
        }
        if (st.n > 0)
            st.mean = sum / st.n;
        for (unsigned k = 0; k < nr; k++) {
            double v = vmitn_metrics_replay_value(m, k, i);
            if (!isnan(v))
                sq += (v - st.mean) * (v - st.mean);
        }
        st.sd = st.n > 1 ? sqrt(sq / (st.n - 1)) : 0;
        st.ci = vmitn_ci95(st.n, st.sd);
        push_stat(L, &st);
        lua_insert(L, -2);
        lua_setfield(L, -2, "values");
        lua_setfield(L, -2, vmitn_metrics_replay_name(i));
    }
    lua_setfield(L, -2, "replay");
    /* every rule issued, for judging what was learned (scenarios/roc.lua) */
    size_t nr = vmitn_metrics_nrules(m);
    lua_createtable(L, (int)nr, 0);
    for (size_t i = 0; i < nr; i++) {
        unsigned run;
        vmitn_pattern p;
        double issued, all;
        char pat[64];
        vmitn_metrics_rule(m, i, &run, &p, &issued, &all);
        vmitn_pattern_format(&p, pat, sizeof pat);
        lua_createtable(L, 0, 4);
        lua_pushinteger(L, run);
        lua_setfield(L, -2, "run");
        lua_pushstring(L, pat);
        lua_setfield(L, -2, "pattern");
        lua_pushnumber(L, issued);
        lua_setfield(L, -2, "issued");
        lua_pushnumber(L, all);
        lua_setfield(L, -2, "active");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "rule_list");
}

static double elapsed(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* vmitn.experiment(label, model [, runs]) -> summary; writes label.*.csv */
static int l_experiment(lua_State *L)
{
    runner *r = get_runner(L);
    const char *label = luaL_checkstring(L, 1);
    luaL_argcheck(L, safe_label(label), 1, "label: 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'");
    lua_Integer runs = luaL_optinteger(L, 3, (lua_Integer)r->runs);
    for (size_t i = 0; i < r->nlabels; i++)
        if (strcmp(r->labels[i], label) == 0)
            luaL_error(L, "experiment '%s' already exists in this scenario", label);
    static const char *const kinds[] = {"curve", "runs", "summary", "rules", "handovers", "replay", "events"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char fn[512];
        snprintf(fn, sizeof fn, "%s.%s.csv", label, kinds[i]);
        claim(L, r, fn);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    vmitn_model_cfg *c;
    vmitn_metrics *m = simulate(L, r, runs, &c, label);
    char err[VMITN_ERRLEN];
    if (r->mode == MODE_JOB) {
        /* one CSV line: the label, then every per-run metric of this replication */
        sb_puts(&r->capture, label);
        for (size_t i = 0; i < vmitn_metrics_per_run(); i++) {
            double v = vmitn_metrics_run_value(m, 0, i);
            char num[64];
            if (isnan(v))
                snprintf(num, sizeof num, ",NA");
            else
                snprintf(num, sizeof num, ",%.9g", v);
            sb_puts(&r->capture, num);
        }
        sb_puts(&r->capture, "\n");
    } else if (vmitn_metrics_write(m, r->tmp, label, err) < 0) {
        vmitn_metrics_free(m);
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
        luaL_error(L, "%s", err);
    }
    meta_experiment(r, label, c);
    progress(r, "%s: %u runs in %.2f s", label, (unsigned)runs, elapsed(&t0));
    r->labels = vmitn_xrealloc(r->labels, (r->nlabels + 1) * sizeof *r->labels);
    r->labels[r->nlabels++] = vmitn_xstrdup(label);
    push_summary(L, m, runs);
    vmitn_metrics_free(m);
    return 1;
}

/* vmitn.measure(model [, runs]) -> summary, writing nothing (for searches) */
static int l_measure(lua_State *L)
{
    runner *r = get_runner(L);
    luaL_checktype(L, 1, LUA_TTABLE); /* checked here, so errors name measure's own arguments */
    lua_Integer runs = luaL_optinteger(L, 2, (lua_Integer)r->runs);
    luaL_argcheck(L, runs >= 1 && runs <= 100000, 2, "runs must be in [1, 100000]");
    lua_settop(L, 1);
    lua_insert(L, 1); /* the model goes to index 2, as simulate expects */
    lua_pushnil(L);
    lua_insert(L, 1);
    lua_pushinteger(L, runs);
    vmitn_model_cfg *c;
    vmitn_metrics *m = simulate(L, r, runs, &c, NULL);
    push_summary(L, m, runs);
    vmitn_metrics_free(m);
    return 1;
}

/* Refuses a vmitn.table/vmitn.text file name that ends like an experiment's own file
 * (LABEL.KIND.csv, metrics.c and events.c): compare and the loaders read those by suffix. */
static void refuse_experiment_kind(lua_State *L, const char *fn, const char *name, const char *file)
{
    static const char *const kinds[] = {"curve", "runs", "summary", "rules", "handovers", "replay", "events"};
    size_t n = strlen(file);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char end[32];
        snprintf(end, sizeof end, ".%s.csv", kinds[i]);
        size_t m = strlen(end);
        if (n >= m && strcmp(file + n - m, end) == 0)
            lerror(L, "%s '%s': a name ending in '%.*s' is reserved for an experiment's own %s file: choose another name",
                   fn, name, (int)(m - (file != name ? 4 : 0)), end, kinds[i]);
    }
}

/* vmitn.text(filename, text): writes a text file (e.g. fitted values) in the scenario's folder. */
static int l_text(lua_State *L)
{
    runner *r = get_runner(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_argcheck(L, safe_label(name), 1, "name: 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'");
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    if (r->mode != MODE_RUN) {
        refuse_experiment_kind(L, "vmitn.text", name, name);
        return 0;
    }
    claim(L, r, name); /* first: a clash with this scenario's experiment is told as such */
    refuse_experiment_kind(L, "vmitn.text", name, name);
    charge_output(L, r, "vmitn.text", name, len);
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", r->tmp, name);
    FILE *f = fopen(path, "w");
    bool ok = f != NULL && fwrite(text, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0)
        ok = false;
    if (!ok) {
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
        luaL_error(L, "%s: cannot write", path);
    }
    return 0;
}

/* Appends the cell at the top of the stack; returns false for a type CSV cannot hold. */
static bool sb_cell(lua_State *L, sbuf *b)
{
    char num[64];
    switch (lua_type(L, -1)) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1))
            snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, -1));
        else if (isnan(lua_tonumber(L, -1)))
            snprintf(num, sizeof num, "NA");
        else
            snprintf(num, sizeof num, "%.6g", lua_tonumber(L, -1));
        sb_puts(b, num);
        return true;
    case LUA_TNIL:
        sb_puts(b, "NA");
        return true;
    case LUA_TBOOLEAN:
        sb_puts(b, lua_toboolean(L, -1) ? "true" : "false");
        return true;
    case LUA_TSTRING: {
        const char *s = lua_tostring(L, -1);
        bool quote = strpbrk(s, ",\"\n") != NULL;
        if (quote)
            sb_puts(b, "\"");
        for (; *s; s++)
            sb_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
        if (quote)
            sb_puts(b, "\"");
        return true;
    }
    default:
        return false;
    }
}

/* vmitn.table(name, columns, rows): writes name.csv in the scenario's folder.  Each row
 * is a table keyed by column name; a missing cell is written NA. */
static int l_table(lua_State *L)
{
    runner *r = get_runner(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_argcheck(L, safe_label(name), 1, "name: 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'");
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_Integer ncol = luaL_len(L, 2), nrow = luaL_len(L, 3);
    luaL_argcheck(L, ncol >= 1, 2, "at least one column");
    char fn[512];
    snprintf(fn, sizeof fn, "%s.csv", name);
    if (r->mode != MODE_RUN) {
        refuse_experiment_kind(L, "vmitn.table", name, fn);
        return 0; /* a sweep job writes no files */
    }
    claim(L, r, fn); /* first: a clash with this scenario's experiment is told as such */
    refuse_experiment_kind(L, "vmitn.table", name, fn);
    for (lua_Integer j = 1; j <= ncol; j++) {
        if (lua_geti(L, 2, j) != LUA_TSTRING)
            luaL_error(L, "vmitn.table '%s': column %d is not a string", name, (int)j);
        lua_pop(L, 1);
    }
    for (lua_Integer i = 1; i <= nrow; i++) {
        if (lua_geti(L, 3, i) != LUA_TTABLE)
            luaL_error(L, "vmitn.table '%s': row %d is not a table", name, (int)i);
        lua_pop(L, 1);
    }
    sbuf b = {0};
    for (lua_Integer j = 1; j <= ncol; j++) {
        lua_geti(L, 2, j);
        if (j > 1)
            sb_puts(&b, ",");
        char *cell = vmitn_csv_cell(lua_tostring(L, -1));
        sb_puts(&b, cell);
        free(cell);
        lua_pop(L, 1);
    }
    sb_puts(&b, "\n");
    for (lua_Integer i = 1; i <= nrow; i++) {
        lua_geti(L, 3, i);
        for (lua_Integer j = 1; j <= ncol; j++) {
            lua_geti(L, 2, j);
            lua_gettable(L, -2);
            if (j > 1)
                sb_puts(&b, ",");
            if (!sb_cell(L, &b)) {
                free(b.p);
                lua_geti(L, 2, j);
                luaL_error(L, "vmitn.table '%s': row %d, column %s: a %s cannot go in a CSV cell", name, (int)i,
                           lua_tostring(L, -1), luaL_typename(L, -2));
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        sb_puts(&b, "\n");
        if (b.n > VMITN_OUTPUT_LIMIT - r->written) { /* before the text takes more memory */
            size_t n = b.n;
            free(b.p);
            charge_output(L, r, "vmitn.table", name, n);
        }
    }
    charge_output(L, r, "vmitn.table", name, b.n); /* within the limit: checked row by row */
    char path[8192];
    snprintf(path, sizeof path, "%s/%s.csv", r->tmp, name);
    FILE *f = fopen(path, "w");
    bool ok = f != NULL && fwrite(b.p, 1, b.n, f) == b.n;
    if (f != NULL && fclose(f) != 0)
        ok = false;
    free(b.p);
    if (!ok) {
        lua_pushfstring(L, "%s: cannot write", path);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
        luaL_error(L, "%s: cannot write", path);
    }
    return 0;
}

/* vmitn.include(name): runs scenarios/<name>.lua (beside the scenario) and returns its value. */
static int l_include(lua_State *L)
{
    runner *r = get_runner(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_argcheck(L, safe_label(name), 1, "a file name beside the scenario");
    /* beside the scenario, then in the data folder's scenarios/ */
    char file[600], dir[4096];
    snprintf(file, sizeof file, "%s.lua", name);
    dir_of(r->path, dir, sizeof dir);
    const char *dirs[] = {dir};
    char *found = vmitn_find_file(file, dirs, 1, "scenarios");
    char path[4700];
    snprintf(path, sizeof path, "%s", found ? found : file);
    if (found == NULL)
        snprintf(path, sizeof path, "%s/%s", dir, file); /* the error names where it looked first */
    free(found);
    if (!readable_file(path)) {
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
        return luaL_error(L, "cannot open %s: " UNREADABLE, path);
    }
    int st = luaL_loadfilex(L, path, "t");
    if (st == LUA_ERRFILE) {
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
    }
    if (st != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, 1);
    return 1;
}

/* Reads a Lua array of numbers at index i into a fresh C array. */
static double *numbers(lua_State *L, int i, size_t *n)
{
    luaL_checktype(L, i, LUA_TTABLE);
    *n = (size_t)luaL_len(L, i);
    double *v = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *v, 0); /* freed by the GC */
    for (size_t k = 0; k < *n; k++) {
        lua_geti(L, i, (lua_Integer)k + 1);
        int ok;
        v[k] = lua_tonumberx(L, -1, &ok);
        if (!ok)
            luaL_argerror(L, i, "an array of numbers");
        lua_pop(L, 1);
    }
    return v;
}

/* vmitn.fit_logistic(t, y, N) -> {K = , T = , rss = } or nil */
static int l_fit_logistic(lua_State *L)
{
    size_t n, m;
    double *t = numbers(L, 1, &n), *y = numbers(L, 2, &m);
    double N = luaL_checknumber(L, 3), K, T, rss;
    luaL_argcheck(L, n == m, 2, "t and y must have the same length");
    luaL_argcheck(L, N > 0, 3, "N must be > 0");
    if (vmitn_fit_logistic(t, y, n, N, &K, &T, &rss) < 0) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 3);
    lua_pushnumber(L, K);
    lua_setfield(L, -2, "K");
    lua_pushnumber(L, T);
    lua_setfield(L, -2, "T");
    lua_pushnumber(L, rss);
    lua_setfield(L, -2, "rss");
    return 1;
}

/* vmitn.si_ode(K, N, i0, t0, t) -> array of i(t) */
static int l_si_ode(lua_State *L)
{
    double K = luaL_checknumber(L, 1), N = luaL_checknumber(L, 2), i0 = luaL_checknumber(L, 3);
    double t0 = luaL_checknumber(L, 4);
    size_t n;
    double *t = numbers(L, 5, &n);
    luaL_argcheck(L, K > 0 && N > 0 && i0 > 0 && i0 <= N, 1, "K > 0, N > 0 and 0 < i0 <= N");
    double *out = lua_newuserdatauv(L, (n ? n : 1) * sizeof *out, 0);
    if (vmitn_si_ode(K, N, i0, t0, t, n, out) < 0)
        luaL_error(L, "vmitn.si_ode: times must be finite, ascending and >= t0, and the solution finite");
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushnumber(L, out[k]);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    return 1;
}

/* vmitn.minimize(f, x0, step [, {iterations = N, tol = T}]) -> x, f(x), iterations: GSL's
 * Nelder-Mead simplex on a Lua function of an array of numbers.  An error raised in f stops
 * the search and is raised again here. */
typedef struct lmin {
    lua_State *L;
    int fn;
    bool failed;
} lmin;

static double lmin_eval(const double *x, size_t n, void *ctx)
{
    lmin *c = ctx;
    lua_State *L = c->L;
    lua_pushvalue(L, c->fn);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushnumber(L, x[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        c->failed = true; /* the message stays on the stack */
        return NAN;
    }
    int ok;
    double y = lua_tonumberx(L, -1, &ok);
    lua_pop(L, 1);
    if (!ok || isnan(y)) {
        lua_pushstring(L, "vmitn.minimize: the function must return a number (not NaN)");
        c->failed = true;
        return NAN;
    }
    return y;
}

static int l_minimize(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    size_t n, ns;
    double *x = numbers(L, 2, &n), *step = numbers(L, 3, &ns);
    luaL_argcheck(L, n >= 1 && n <= 64, 2, "1 to 64 numbers");
    luaL_argcheck(L, ns == n, 3, "one step per coordinate");
    lua_Integer maxit = 200;
    double tol = 1e-3;
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        lua_getfield(L, 4, "iterations");
        maxit = luaL_optinteger(L, -1, maxit);
        lua_getfield(L, 4, "tol");
        tol = luaL_optnumber(L, -1, tol);
        lua_pop(L, 2);
        luaL_argcheck(L, maxit >= 1 && maxit <= 100000 && tol > 0, 4, "iterations in [1, 100000], tol > 0");
    }
    lmin c = {.L = L, .fn = 1};
    double fmin = 0;
    unsigned it = 0;
    int rc = vmitn_minimize(lmin_eval, &c, x, step, n, (unsigned)maxit, tol, &fmin, &it);
    if (c.failed)
        return lua_error(L);
    if (rc < 0)
        luaL_error(L, "vmitn.minimize: the simplex could not be set up (steps must be non-zero and finite)");
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushnumber(L, x[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushnumber(L, fmin);
    lua_pushinteger(L, it);
    return 3;
}

/* vmitn.pnorm(z): the standard normal distribution function (GSL). */
/* vmitn.ci95(n, sd): the half-width of the 95 % t interval of a mean of n values with
 * sample SD sd (metrics.h's, the one the summaries use). */
static int l_ci95(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    double sd = luaL_checknumber(L, 2);
    luaL_argcheck(L, n >= 0 && n <= 0xffffffffLL, 1, "a count from 0");
    lua_pushnumber(L, vmitn_ci95((unsigned)n, sd));
    return 1;
}

static int l_pnorm(lua_State *L)
{
    lua_pushnumber(L, vmitn_pnorm(luaL_checknumber(L, 1)));
    return 1;
}

/* vmitn.sweep{scenario = NAME, params = {name = "LIST" or {values}}, runs = N, jobs = J,
 * label = FOLDER} -> array of points.csv rows (tables keyed by column; NA is nil).  The
 * sweep's files go to FOLDER in this scenario's output folder. */
static int l_sweep(lua_State *L)
{
    runner *r = get_runner(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    if (r->mode == MODE_JOB)
        luaL_error(L, "vmitn.sweep cannot run inside a sweep job");
    lua_getfield(L, 1, "scenario");
    const char *scen = luaL_checkstring(L, -1);
    if (strchr(scen, '/') != NULL && !readable_file(scen)) /* a path, not a name in scenarios/ */
        lerror(L, "vmitn.sweep: %s: " UNREADABLE, scen);
    lua_getfield(L, 1, "label");
    const char *label = luaL_optstring(L, -1, "sweep");
    luaL_argcheck(L, safe_label(label), 1, "label: 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'");
    lua_getfield(L, 1, "runs");
    lua_Integer runs = luaL_optinteger(L, -1, (lua_Integer)r->runs);
    lua_getfield(L, 1, "jobs");
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    lua_Integer jobs = luaL_optinteger(L, -1, ncpu > 0 ? ncpu : 1);
    luaL_argcheck(L, runs >= 1 && runs <= 100000 && jobs >= 1 && jobs <= 4096, 1, "runs in [1, 100000], jobs in [1, 4096]");
    lua_pop(L, 2); /* the scenario and label strings stay on the stack: they must live until the sweep ends */
    if (r->mode != MODE_RUN) {
        lua_newtable(L);
        return 1;
    }
    claim(L, r, label);
    /* "name=v1,v2" strings, names sorted (pairs is sorted in the sandbox; here we sort) */
    lua_getfield(L, 1, "params");
    luaL_checktype(L, -1, LUA_TTABLE);
    int params = lua_gettop(L);
    lua_newtable(L);
    int list = lua_gettop(L);
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, params) != 0) {
        int v = lua_gettop(L);
        if (lua_type(L, v - 1) != LUA_TSTRING)
            luaL_error(L, "vmitn.sweep: params keys must be names");
        sbuf sb = {0};
        sb_puts(&sb, lua_tostring(L, v - 1));
        sb_puts(&sb, "=");
        if (lua_type(L, v) == LUA_TTABLE) {
            lua_Integer m = luaL_len(L, v);
            for (lua_Integer i = 1; i <= m; i++) {
                lua_geti(L, v, i);
                if (i > 1)
                    sb_puts(&sb, ",");
                sb_puts(&sb, luaL_tolstring(L, -1, NULL));
                lua_pop(L, 2);
            }
        } else {
            sb_puts(&sb, luaL_tolstring(L, v, NULL));
            lua_pop(L, 1);
        }
        lua_pushstring(L, sb.p ? sb.p : "");
        free(sb.p);
        lua_rawseti(L, list, ++n);
        lua_settop(L, v - 1); /* keep the key for lua_next */
    }
    const char **set = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *set, 0);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, list, i + 1);
        set[i] = lua_tostring(L, -1); /* kept alive by `list` */
        lua_pop(L, 1);
    }
    for (int i = 1; i < n; i++) /* sorted, so the sweep's spec does not depend on hashing */
        for (int j = i; j > 0 && strcmp(set[j - 1], set[j]) > 0; j--) {
            const char *t = set[j];
            set[j] = set[j - 1];
            set[j - 1] = t;
        }
    char dir[8192];
    snprintf(dir, sizeof dir, "%s/%s", r->tmp, label);
    vmitn_sweep_opts so = {.runner = vmitn_scenario_sweep_runner(), .scenario = scen, .set = set, .nset = (unsigned)n, .runs = (unsigned)runs,
                           .jobs = (unsigned)jobs, .seed = r->o->seed, .out = dir, .quiet = true};
    fflush(NULL);
    int rc = vmitn_sweep(&so);
    if (rc != VMITN_EXIT_OK)
        luaL_error(L, "vmitn.sweep of '%s' failed (see above)", scen);
    /* read points.csv back */
    char path[8300];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        luaL_error(L, "%s: cannot read", path);
    char *line = NULL, *head = NULL;
    size_t cap = 0;
    ssize_t len;
    char *hf[1024], *vf[1024];
    int nh = 0, row = 0;
    lua_newtable(L);
    while ((len = getline(&line, &cap, f)) > 0) {
        if (head == NULL) {
            head = vmitn_xstrdup(line);
            nh = vmitn_csv_split(head, hf, 1024);
            continue;
        }
        int nv = vmitn_csv_split(line, vf, 1024);
        lua_createtable(L, 0, nh);
        for (int i = 0; i < nh && i < nv; i++) {
            if (strcmp(vf[i], "NA") == 0)
                continue;
            if (lua_stringtonumber(L, vf[i]) == 0)
                lua_pushstring(L, vf[i]);
            lua_setfield(L, -2, hf[i]);
        }
        lua_rawseti(L, -2, ++row);
    }
    free(line);
    free(head);
    fclose(f);
    return 1;
}

/* vmitn.learn(capture, {lambda, theta, half_life, lru_size, table_size, truth, missing_ok})
 * -> the learner over a capture (as `vmitn learn`), with what its rules would drop; with
 * truth ("src,dst,port", '*' wild; the attack is what it matches from attack_from s on) also
 * the attack's detection.  A relative path is from
 * the current folder.  missing_ok: an unreadable file gives nil and the reason instead of
 * an error. */
static int l_learn(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    vmitn_learner_cfg cfg;
    vmitn_learner_cfg_default(&cfg);
    vmitn_pattern truth;
    bool has_truth = false, missing_ok = false;
    vmitn_time attack_from = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        static const char *const keys[] = {"lambda", "theta", "half_life", "lru_size", "table_size", "truth", "attack_from", "missing_ok"};
        lua_pushnil(L);
        while (lua_next(L, 2) != 0) {
            lua_pop(L, 1);
            const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            bool known = false;
            for (size_t i = 0; k && i < sizeof keys / sizeof keys[0]; i++)
                known |= strcmp(k, keys[i]) == 0;
            if (!known)
                luaL_error(L, "vmitn.learn: unknown option '%s' (lambda, theta, half_life, lru_size, table_size, truth, attack_from, missing_ok)",
                           k ? k : luaL_typename(L, -1));
        }
        struct { const char *k; double *d; unsigned *u; } num[] = {
            {"lambda", &cfg.lambda, NULL}, {"theta", &cfg.theta, NULL}, {"lru_size", NULL, &cfg.lru_size},
            {"table_size", NULL, &cfg.table_size}};
        for (size_t i = 0; i < sizeof num / sizeof num[0]; i++) {
            lua_getfield(L, 2, num[i].k);
            if (!lua_isnil(L, -1)) {
                if (!lua_isnumber(L, -1))
                    luaL_error(L, "vmitn.learn: %s: expected a number, got %s", num[i].k, luaL_typename(L, -1));
                double v = lua_tonumber(L, -1);
                if (num[i].u) {
                    if (!(v >= 1 && v <= (1 << 20)) || v != floor(v))
                        lerror(L, "vmitn.learn: %s: expected a whole number from 1 to 1048576, got %g", num[i].k, v);
                    *num[i].u = (unsigned)v;
                } else {
                    *num[i].d = v;
                }
            }
            lua_pop(L, 1);
        }
        lua_getfield(L, 2, "half_life");
        if (!lua_isnil(L, -1)) {
            double v = lua_tonumber(L, -1);
            if (!lua_isnumber(L, -1) || !(v >= 0 && v <= 1e6))
                luaL_error(L, "vmitn.learn: half_life: expected seconds from 0 to 1e6");
            cfg.half_life = vmitn_secs(v);
        }
        lua_pop(L, 1);
        lua_getfield(L, 2, "truth");
        if (!lua_isnil(L, -1)) {
            const char *ts = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            if (ts == NULL || vmitn_pattern_parse(ts, &truth) != 0)
                luaL_error(L, "vmitn.learn: truth: expected \"src,dst,port\" with '*' for any, got '%s'",
                           ts ? ts : luaL_typename(L, -1));
            has_truth = true;
        }
        lua_pop(L, 1);
        lua_getfield(L, 2, "attack_from");
        if (!lua_isnil(L, -1)) {
            double v = lua_tonumber(L, -1);
            if (!lua_isnumber(L, -1) || !(v >= 0 && v <= 1e9))
                luaL_error(L, "vmitn.learn: attack_from: expected seconds since the capture's first packet, from 0 to 1e9");
            attack_from = vmitn_secs(v);
        }
        lua_pop(L, 1);
        lua_getfield(L, 2, "missing_ok");
        missing_ok = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    char err[VMITN_ERRLEN];
    vmitn_learner *probe = vmitn_learner_new(&cfg, err, sizeof err); /* the parameters, before any memory is held */
    if (probe == NULL)
        luaL_error(L, "vmitn.learn: %s", err);
    vmitn_learner_free(probe);
    if (!readable_file(path)) {
        lua_pushfstring(L, "%s: " UNREADABLE, path);
        if (missing_ok) {
            lua_pushnil(L);
            lua_insert(L, -2);
            return 2;
        }
        return luaL_error(L, "vmitn.learn: %s", lua_tostring(L, -1));
    }
    vmitn_trace *tr = lua_newuserdatauv(L, sizeof *tr, 0);
    memset(tr, 0, sizeof *tr);
    int rc = vmitn_trace_load(path, tr, err, sizeof err);
    note_input(get_runner(L), path); /* a missing one too: its arrival would change the job */
    if (rc == -VMITN_EIO && missing_ok) {
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 2;
    }
    if (rc < 0)
        luaL_error(L, "vmitn.learn: %s", err);
    vmitn_trace_eval ev;
    if (vmitn_trace_learn(tr, &cfg, has_truth ? &truth : NULL, attack_from, &ev, err, sizeof err) < 0) {
        vmitn_trace_destroy(tr);
        luaL_error(L, "vmitn.learn: %s", err);
    }
    /* from here nothing raises an error before both are freed */
    lua_createtable(L, 0, 20);
    struct { const char *k; double v; } f[] = {
        {"packets", (double)tr->read}, {"fed", (double)ev.fed}, {"rules", (double)ev.nrules},
        {"dropped", (double)ev.dropped}, {"dropped_share", ev.fed ? (double)ev.dropped / (double)ev.fed : 0},
        {"duration", tr->n ? vmitn_to_secs(tr->pkt[tr->n - 1].t) : 0},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        lua_pushnumber(L, f[i].v);
        lua_setfield(L, -2, f[i].k);
    }
    if (ev.nrules > 0) {
        lua_pushnumber(L, vmitn_to_secs(ev.rules[0].t));
        lua_setfield(L, -2, "first_rule");
    }
    if (has_truth) {
        struct { const char *k; double v; } g[] = {
            {"attack", (double)ev.attack}, {"attack_dropped", (double)ev.attack_dropped},
            {"other", (double)ev.other}, {"other_dropped", (double)ev.other_dropped},
            {"attack_dropped_share", ev.attack ? (double)ev.attack_dropped / (double)ev.attack : 0},
            {"other_dropped_share", ev.other ? (double)ev.other_dropped / (double)ev.other : 0},
        };
        for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
            lua_pushnumber(L, g[i].v);
            lua_setfield(L, -2, g[i].k);
        }
        if (ev.attack_start >= 0) {
            lua_pushnumber(L, vmitn_to_secs(ev.attack_start));
            lua_setfield(L, -2, "attack_start");
        }
        if (ev.detect >= 0) {
            const vmitn_trace_rule *d = &ev.rules[ev.detect];
            char pat[64];
            vmitn_pattern_format(&d->pat, pat, sizeof pat);
            lua_pushstring(L, pat);
            lua_setfield(L, -2, "detect_rule");
            lua_pushnumber(L, d->t > ev.attack_start ? vmitn_to_secs(d->t - ev.attack_start) : 0);
            lua_setfield(L, -2, "detect_delay");
        }
        lua_pushboolean(L, ev.detect >= 0 && ev.right);
        lua_setfield(L, -2, "right");
    }
    lua_createtable(L, (int)ev.nrules, 0);
    for (size_t i = 0; i < ev.nrules; i++) {
        char pat[64];
        vmitn_pattern_format(&ev.rules[i].pat, pat, sizeof pat);
        lua_createtable(L, 0, 4);
        lua_pushstring(L, pat);
        lua_setfield(L, -2, "pattern");
        lua_pushnumber(L, vmitn_to_secs(ev.rules[i].t));
        lua_setfield(L, -2, "t");
        lua_pushinteger(L, (lua_Integer)tr->pkt[ev.rules[i].packet].index);
        lua_setfield(L, -2, "packet");
        lua_pushnumber(L, (double)ev.rules[i].dropped);
        lua_setfield(L, -2, "dropped");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "rule_list");
    vmitn_trace_eval_destroy(&ev);
    vmitn_trace_destroy(tr);
    return 1;
}

static int l_log(lua_State *L)
{
    runner *r = get_runner(L);
    progress(r, "%s", luaL_checkstring(L, 1));
    return 0;
}

static const luaL_Reg vmitn_lib[] = {
    {"experiment", l_experiment}, {"measure", l_measure}, {"text", l_text}, {"table", l_table}, {"include", l_include}, {"log", l_log},
    {"fit_logistic", l_fit_logistic}, {"si_ode", l_si_ode}, {"sweep", l_sweep}, {"minimize", l_minimize}, {"pnorm", l_pnorm}, {"ci95", l_ci95}, {"learn", l_learn},
    {NULL, NULL}};

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL)
        msg = luaL_tolstring(L, 1, NULL);
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* pcall and xpcall, except that an interrupt or running out of memory cannot be
 * caught: they end the scenario, whatever it does with errors. */
static int sandbox_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1)); /* Lua's own pcall or xpcall */
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    if (!lua_toboolean(L, 1)) {
        check_interrupt(L);
        if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "not enough memory") == 0) {
            lua_settop(L, 2); /* Lua's memory error carries no position: rethrow it as is */
            return lua_error(L);
        }
    }
    return lua_gettop(L);
}

/* load, text chunks only: Lua 5.4 runs bytecode unverified, so a forged binary chunk
 * reads and writes memory at will. */
static int sandbox_load(lua_State *L)
{
    if (lua_gettop(L) < 3)
        lua_settop(L, 3);
    lua_pushliteral(L, "t");
    lua_replace(L, 3); /* the 4th argument (env) stays absent or present as given */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int lua_panic_fn(lua_State *L)
{
    vmitn_panic(__FILE__, __LINE__, lua_tostring(L, -1) ? lua_tostring(L, -1) : "Lua panic");
}

static lua_State *new_state(uint64_t seed, lmem *mem)
{
    *mem = (lmem){.limit = VMITN_LUA_MEMORY};
    lua_State *L = lua_newstate(limited_alloc, mem);
    if (L == NULL)
        vmitn_panic(__FILE__, __LINE__, "lua_newstate");
    lua_atpanic(L, lua_panic_fn);
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    /* base functions that reach the file system go, and so does bytecode */
    static const char *const gone[] = {"dofile", "loadfile", NULL};
    for (int i = 0; gone[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, gone[i]);
    }
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    static const struct { const char *name; lua_CFunction fn; } wrapped[] = {
        {"load", sandbox_load}, {"pcall", sandbox_pcall}, {"xpcall", sandbox_pcall}};
    for (size_t i = 0; i < sizeof wrapped / sizeof wrapped[0]; i++) {
        lua_getglobal(L, wrapped[i].name);
        lua_pushcclosure(L, wrapped[i].fn, 1);
        lua_setglobal(L, wrapped[i].name);
    }
    /* math.random draws from the run's seed, never the clock */
    uint64_t s = vmitn_seed_mix(seed, 0, VMITN_STREAM(VMITN_STREAM_LUA, 0));
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)(s >> 1));
    lua_pushinteger(L, (lua_Integer)(s & 0xffff));
    lua_call(L, 2, 0);
    lua_pop(L, 1);
    /* Lua seeds its string hashes from the clock and addresses, so pairs() would visit
     * keys in another order in every process: scenarios get a pairs() that visits keys
     * sorted (numbers, then strings), which keeps same seed -> same files. */
    static const char sorted_pairs[] =
        "local next, type, sort, tostring, getmetatable = next, type, table.sort, tostring, getmetatable\n"
        "local function before(a, b)\n"
        "  local ta, tb = type(a), type(b)\n"
        "  if ta ~= tb then return ta < tb end\n"
        "  if ta == 'number' or ta == 'string' then return a < b end\n"
        "  return tostring(a) < tostring(b)\n"
        "end\n"
        "pairs = function(t)\n"
        "  local mt = getmetatable(t)\n"
        "  if mt and mt.__pairs then return mt.__pairs(t) end\n"
        "  local keys = {}\n"
        "  for k in next, t do keys[#keys + 1] = k end\n"
        "  sort(keys, before)\n"
        "  local i = 0\n"
        "  return function() i = i + 1; local k = keys[i]; if k ~= nil then return k, t[k] end end, t, nil\n"
        "end\n";
    if (luaL_loadbufferx(L, sorted_pairs, sizeof sorted_pairs - 1, "=vmitn", "t") != LUA_OK)
        vmitn_panic(__FILE__, __LINE__, "sorted pairs");
    lua_call(L, 0, 0);
    luaL_newlib(L, vmitn_lib);
    lua_pushstring(L, VMITN_VERSION);
    lua_setfield(L, -2, "version");
    lua_setglobal(L, "vmitn");
    return L;
}

/* Loads a scenario file and leaves its table on the stack.  On error prints and returns -1. */
static int load_scenario(lua_State *L, const char *path)
{
    lua_pushcfunction(L, traceback);
    int base = lua_gettop(L);
    if (luaL_loadfilex(L, path, "t") != LUA_OK) {
        fprintf(stderr, "vmitn: %s\n", lua_tostring(L, -1));
        return -1;
    }
    if (lua_pcall(L, 0, 1, base) != LUA_OK) {
        if (!vmitn_interrupted())
            print_error(L, path, lua_tostring(L, -1));
        return -1;
    }
    lua_remove(L, base);
    if (!lua_istable(L, -1)) {
        fprintf(stderr, "vmitn: %s: a scenario must return a table {name = ..., run = function(p) ... end}\n", path);
        return -1;
    }
    return 0;
}

static const char *field_str(lua_State *L, int idx, const char *k, const char *dflt)
{
    lua_getfield(L, idx, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : dflt;
    lua_pop(L, 1); /* the string stays alive: it is referenced by the scenario table */
    return s;
}

/* Pushes a sorted array of the scenario's parameter names. */
static int sorted_params(lua_State *L, int scen)
{
    lua_getfield(L, scen, "params");
    int params = lua_gettop(L);
    lua_newtable(L);
    if (!lua_istable(L, params))
        return 0;
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, params) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, params + 1, ++n);
        }
    }
    /* insertion sort: scenarios have a handful of parameters */
    for (int i = 2; i <= n; i++)
        for (int j = i; j > 1; j--) {
            lua_rawgeti(L, params + 1, j - 1);
            lua_rawgeti(L, params + 1, j);
            if (strcmp(lua_tostring(L, -1), lua_tostring(L, -2)) >= 0) {
                lua_pop(L, 2);
                break;
            }
            lua_rawseti(L, params + 1, j - 1);
            lua_rawseti(L, params + 1, j);
        }
    return n;
}

/* Reads and checks one parameter declaration at the top of the stack. */
typedef struct pspec {
    int type; /* LUA_TNUMBER, LUA_TBOOLEAN, LUA_TSTRING */
    bool integer;
    double min, max;
    const char *unit, *doc;
} pspec;

static int read_spec(lua_State *L, const char *path, const char *name, pspec *s)
{
    int spec = lua_gettop(L);
    if (!lua_istable(L, spec)) {
        fprintf(stderr, "vmitn: %s: params.%s: expected {default = ..., unit = ..., min = ..., max = ..., doc = ...}\n", path, name);
        return -1;
    }
    lua_getfield(L, spec, "default");
    s->type = lua_type(L, -1);
    if (s->type != LUA_TNUMBER && s->type != LUA_TBOOLEAN && s->type != LUA_TSTRING) {
        fprintf(stderr, "vmitn: %s: params.%s: default must be a number, boolean or string\n", path, name);
        return -1;
    }
    lua_pop(L, 1);
    lua_getfield(L, spec, "integer");
    s->integer = s->type == LUA_TNUMBER && lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, spec, "min");
    s->min = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : -HUGE_VAL;
    lua_getfield(L, spec, "max");
    s->max = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : HUGE_VAL;
    lua_pop(L, 2);
    s->unit = field_str(L, spec, "unit", "");
    s->doc = field_str(L, spec, "doc", "");
    return 0;
}

/* Converts text to the parameter's type and range, pushing the value.  -1 on error. */
static int parse_value(lua_State *L, const char *path, const char *name, const pspec *s, const char *text)
{
    if (s->type == LUA_TSTRING) {
        lua_pushstring(L, text);
        return 0;
    }
    if (s->type == LUA_TBOOLEAN) {
        if (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "yes"))
            lua_pushboolean(L, 1);
        else if (!strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "no"))
            lua_pushboolean(L, 0);
        else {
            fprintf(stderr, "vmitn: %s: parameter '%s': expected true or false, got '%s'\n", path, name, text);
            return -1;
        }
        return 0;
    }
    if (*text == '\0' || lua_stringtonumber(L, text) == 0) {
        fprintf(stderr, "vmitn: %s: parameter '%s': expected a number, got '%s'\n", path, name, text);
        return -1;
    }
    double v = lua_tonumber(L, -1);
    if (s->integer && (!lua_isinteger(L, -1) && v != floor(v))) {
        fprintf(stderr, "vmitn: %s: parameter '%s': expected an integer, got '%s'\n", path, name, text);
        lua_pop(L, 1);
        return -1;
    }
    if (s->integer && !lua_isinteger(L, -1)) {
        lua_pop(L, 1);
        lua_pushinteger(L, (lua_Integer)v);
    }
    if (!(v >= s->min && v <= s->max)) {
        fprintf(stderr, "vmitn: %s: parameter '%s': %s is out of range [%g, %g]%s%s\n", path, name, text, s->min,
                s->max, *s->unit ? " " : "", s->unit);
        lua_pop(L, 1);
        return -1;
    }
    return 0;
}

struct override_ctx {
    vmitn_model_cfg *c;
    const vmitn_param_desc *d;
};

static int set_one(lua_State *S)
{
    struct override_ctx *ctx = lua_touserdata(S, 1);
    lua_settop(S, 2);
    set_param(S, ctx->c, ctx->d);
    return 0;
}

int vmitn_param_parse(const char *key, const char *text, vmitn_model_cfg *c, char *err, size_t errlen)
{
    char k[128];
    snprintf(k, sizeof k, "%s", key);
    char *dot = strchr(k, '.');
    const vmitn_param_desc *d;
    if (dot) {
        *dot = '\0';
        d = find_param(k, dot + 1, NULL);
    } else {
        d = find_param("", k, NULL);
    }
    if (d == NULL) {
        snprintf(err, errlen, "unknown parameter '%s'", key);
        return -2;
    }
    /* through the same checks as a Lua model table: set_param raises Lua errors, so it
     * runs protected in a scratch state */
    lua_State *T = luaL_newstate();
    if (T == NULL)
        vmitn_panic(__FILE__, __LINE__, "luaL_newstate");
    struct override_ctx ctx = {c, d};
    lua_pushcfunction(T, set_one);
    lua_pushlightuserdata(T, &ctx);
    if ((d->kind == VMITN_P_NUM || d->kind == VMITN_P_INT) && *text && lua_stringtonumber(T, text) != 0)
        ;
    else if (d->kind == VMITN_P_BOOL && (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "yes")))
        lua_pushboolean(T, 1);
    else if (d->kind == VMITN_P_BOOL && (!strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "no")))
        lua_pushboolean(T, 0);
    else
        lua_pushstring(T, text);
    int rc = 0;
    if (lua_pcall(T, 2, 0, 0) != LUA_OK) {
        snprintf(err, errlen, "%s", lua_tostring(T, -1));
        rc = -1;
    }
    lua_close(T);
    return rc;
}

/* Two -p that set the same parameter are refused: the same name twice, or a scenario
 * parameter NAME beside the model parameter SECTION.NAME, whose override would silently
 * replace what the scenario makes of its NAME in every experiment.  params: the
 * scenario's params table (or not a table).  0, or -1 after the message. */
static int dup_params(lua_State *L, const runner *r, int params)
{
    for (unsigned k = 0; k < r->o->nset; k++)
        for (unsigned j = k + 1; j < r->o->nset; j++) {
            const char *a = r->o->set[k], *b = r->o->set[j];
            int al = (int)strcspn(a, "="), bl = (int)strcspn(b, "=");
            bool same = al == bl && strncmp(a, b, (size_t)al) == 0;
            if (!same && (memchr(a, '.', (size_t)al) == NULL) != (memchr(b, '.', (size_t)bl) == NULL)) {
                const char *plain = memchr(a, '.', (size_t)al) ? b : a, *dotted = plain == a ? b : a;
                int pl = plain == a ? al : bl, dl = plain == a ? bl : al;
                const char *tail = (const char *)memchr(dotted, '.', (size_t)dl) + 1;
                char name[128];
                snprintf(name, sizeof name, "%.*s", pl, plain);
                if ((int)(dotted + dl - tail) == pl && strncmp(tail, plain, (size_t)pl) == 0 && lua_istable(L, params)) {
                    lua_getfield(L, params, name);
                    same = !lua_isnil(L, -1);
                    lua_pop(L, 1);
                }
            }
            if (same) {
                fprintf(stderr, "vmitn: %s: -p %s and -p %s set the same parameter: give one of them\n", r->path, a, b);
                return -1;
            }
        }
    return 0;
}

/* Builds the parameter table p (defaults, then overrides) on the stack. */
static int build_params(lua_State *L, runner *r, int scen, FILE *meta)
{
    const char *path = r->path;
    int n = sorted_params(L, scen);
    int params = lua_gettop(L) - 1, names = params + 1;
    lua_newtable(L);
    int p = lua_gettop(L);
    int rc = dup_params(L, r, params);
    if (rc < 0)
        return rc;
    bool *used = vmitn_xcalloc(r->o->nset + 1, sizeof *used);
    for (int i = 1; i <= n && rc == 0; i++) {
        lua_rawgeti(L, names, i);
        const char *name = lua_tostring(L, -1);
        lua_getfield(L, params, name);
        pspec s;
        if (read_spec(L, path, name, &s) < 0) {
            rc = -1;
            break;
        }
        lua_getfield(L, -1, "default");
        for (unsigned k = 0; k < r->o->nset; k++) { /* one at most (dup_params) */
            const char *eq = strchr(r->o->set[k], '=');
            size_t nl = (size_t)(eq - r->o->set[k]);
            if (strlen(name) != nl || strncmp(r->o->set[k], name, nl) != 0)
                continue;
            used[k] = true;
            lua_pop(L, 1);
            if (parse_value(L, path, name, &s, eq + 1) < 0) {
                rc = -1;
                lua_pushnil(L);
                break;
            }
        }
        if (rc == 0) {
            if (lua_type(L, -1) == LUA_TNUMBER && !(lua_tonumber(L, -1) >= s.min && lua_tonumber(L, -1) <= s.max)) {
                fprintf(stderr, "vmitn: %s: params.%s: default %g is outside [%g, %g]\n", path, name, lua_tonumber(L, -1), s.min, s.max);
                rc = -1;
            }
            if (meta) {
                if (lua_type(L, -1) == LUA_TSTRING) { /* written unquoted: meta_json must not type it */
                    r->strparams = vmitn_xrealloc(r->strparams, (r->nstrparams + 1) * sizeof *r->strparams);
                    r->strparams[r->nstrparams++] = vmitn_xstrdup(name);
                }
                char *v = vmitn_escape_line(luaL_tolstring(L, -1, NULL));
                lua_pop(L, 1);
                char *k = vmitn_escape_line(name);
                fprintf(meta, "param.%s = %s\n", k, v);
                free(k);
                free(v);
            }
            lua_setfield(L, p, name);
            lua_pop(L, 2);
        } else {
            lua_pop(L, 3);
        }
    }
    /* what is left: model overrides (section.name) or unknown names */
    for (unsigned k = 0; k < r->o->nset && rc == 0; k++) {
        if (used[k])
            continue;
        const char *kv = r->o->set[k], *eq = strchr(kv, '=');
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
        char *dot = strchr(key, '.');
        size_t idx;
        const vmitn_param_desc *d = NULL;
        if (dot) {
            *dot = '\0';
            d = find_param(key, dot + 1, &idx);
            *dot = '.';
        } else {
            d = find_param("", key, &idx);
        }
        if (d == NULL) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (int i = 1; i <= n; i++) {
                lua_rawgeti(L, names, i);
                if (i > 1)
                    luaL_addstring(&b, ", ");
                luaL_addvalue(&b);
            }
            luaL_pushresult(&b);
            /* did you mean: a scenario parameter, or a model parameter by its full name */
            size_t npd;
            const vmitn_param_desc *pd = vmitn_model_params(&npd);
            char **cand = vmitn_xcalloc(npd + (size_t)n + 1, sizeof *cand);
            size_t nc = 0;
            for (int i = 1; i <= n; i++) {
                lua_rawgeti(L, names, i);
                cand[nc++] = vmitn_xstrdup(lua_tostring(L, -1));
                lua_pop(L, 1);
            }
            for (size_t i = 0; i < npd; i++) {
                char fn[96];
                full_name(&pd[i], fn, sizeof fn);
                cand[nc++] = vmitn_xstrdup(fn);
            }
            const char *near = vmitn_suggest(key, (const char *const *)cand, nc);
            fprintf(stderr, "vmitn: %s: unknown parameter '%s'%s%s%s (scenario parameters: %s; any model parameter as section.name, see 'vmitn list --model')\n",
                    path, key, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "",
                    n ? lua_tostring(L, -1) : "none");
            for (size_t i = 0; i < nc; i++)
                free(cand[i]);
            free(cand);
            lua_pop(L, 1);
            rc = -1;
            break;
        }
        char perr[VMITN_ERRLEN];
        if (vmitn_param_parse(key, eq + 1, r->override, perr, sizeof perr) < 0) {
            fprintf(stderr, "vmitn: %s: parameter '%s': %s\n", path, key, perr);
            rc = -1;
        } else {
            r->overridden[idx] = true;
            if (meta) {
                char *v = vmitn_escape_line(eq + 1);
                fprintf(meta, "model.%s = %s\n", key, v);
                free(v);
            }
        }
    }
    free(used);
    return rc;
}

static void runner_free(runner *r)
{
    for (size_t i = 0; i < r->ntopos; i++) {
        free(r->topos[i].key);
        free(r->topos[i].file);
        vmitn_topo_free(r->topos[i].t);
    }
    free(r->topos);
    for (size_t i = 0; i < r->nlabels; i++)
        free(r->labels[i]);
    free(r->labels);
    for (size_t i = 0; i < r->nfiles; i++)
        free(r->files[i]);
    free(r->files);
    free(r->override);
    free(r->overridden);
    for (size_t i = 0; i < r->nstrparams; i++)
        free(r->strparams[i]);
    free(r->strparams);
}

/* Everything that touches the scenario's Lua values runs here, under one lua_pcall, so
 * that an error raised anywhere (a metamethod, a bad field) is a message, not a panic. */
typedef struct exec_ctx {
    runner *r;
    const char *path;
    const vmitn_run_opts *o;
    enum mode mode;
    char **rows;
    int code;
    FILE *meta;
    bool ready; /* MODE_RUN: everything written; exec commits it once Lua is closed */
} exec_ctx;

/* Calls the scenario's run(p), p being the table at the top of the stack, with a
 * traceback.  On error prints the message (unless interrupted), sets x->code and
 * returns false. */
static bool call_run(lua_State *L, int scen, exec_ctx *x)
{
    int p = lua_gettop(L);
    lua_pushcfunction(L, traceback);
    lua_getfield(L, scen, "run");
    lua_pushvalue(L, p);
    if (lua_pcall(L, 1, 0, p + 1) == LUA_OK)
        return true;
    lua_getfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
    if (!lua_isnil(L, -1))
        x->code = VMITN_EXIT_IO;
    lua_pop(L, 1);
    if (!vmitn_interrupted())
        print_error(L, x->path, lua_tostring(L, -1));
    return false;
}

/* True for a folder vmitn may replace: empty, or holding a vmitn results folder's meta. */
static bool replaceable(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    bool empty = true;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = false;
    closedir(d);
    if (empty)
        return true;
    char path[4200], line[16] = "";
    snprintf(path, sizeof path, "%s/meta", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    bool ok = fgets(line, sizeof line, f) != NULL && strncmp(line, "scenario = ", 11) == 0;
    fclose(f);
    return ok;
}

/* s with every byte that is not part of valid UTF-8 replaced by U+FFFD, so meta.json is
 * JSON whatever bytes a -p value held (meta keeps the bytes, \x-escaped or raw). */
static char *utf8_clean(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    char *out = vmitn_xmalloc(3 * strlen(s) + 1), *w = out;
    while (*u) {
        size_t len = 0;
        unsigned char c = u[0];
        unsigned char lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
        if (c < 0x80)
            len = 1;
        else if (c >= 0xc2 && c <= 0xdf)
            len = 2;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        bool ok = len > 0;
        for (size_t i = 1; ok && i < len; i++)
            ok = i == 1 ? u[i] >= lo && u[i] <= hi : u[i] >= 0x80 && u[i] <= 0xbf;
        if (!ok) {
            memcpy(w, "\xef\xbf\xbd", 3);
            w += 3, u++;
        } else {
            memcpy(w, u, len);
            w += len, u += len;
        }
    }
    *w = '\0';
    return out;
}

/* True for text in the form a number prints in (%d, %g, %.17g, Lua's tostring): an
 * optional '-', an integer without leading zeros, an optional fraction with digits, an
 * optional exponent -- JSON's number grammar.  Not "+3", "010", "0x10", "1.", ".5", " 7". */
static bool number_text(const char *s)
{
    s += *s == '-';
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        s += strspn(s, "0123456789");
    else
        return false;
    if (*s == '.') {
        size_t n = strspn(s + 1, "0123456789");
        if (n == 0)
            return false;
        s += 1 + n;
    }
    if (*s == 'e' || *s == 'E') {
        s += 1 + (s[1] == '+' || s[1] == '-');
        size_t n = strspn(s, "0123456789");
        if (n == 0)
            return false;
        s += n;
    }
    return *s == '\0';
}

/* True when meta's line `key` holds a string whatever its text: a scenario parameter whose
 * value is a string (written unquoted, as luaL_tolstring gives it) or a model override
 * (model.KEY, the -p text) of a string or choice parameter. */
static bool string_key(const runner *r, const char *key)
{
    if (strncmp(key, "param.", 6) == 0) {
        for (size_t i = 0; i < r->nstrparams; i++)
            if (strcmp(r->strparams[i], key + 6) == 0)
                return true;
        return false;
    }
    if (strncmp(key, "model.", 6) != 0)
        return false;
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    for (size_t i = 0; i < n; i++) {
        char fn[96];
        full_name(&d[i], fn, sizeof fn);
        if (strcmp(fn, key + 6) == 0)
            return d[i].kind == VMITN_P_STR || d[i].kind == VMITN_P_ENUM;
    }
    return false;
}

/* meta.json beside meta (which stays, for compatibility): one flat object of meta's keys,
 * values typed as meta writes them -- a string parameter a string, "..." a string (the
 * quotes dropped), true/false a boolean, text in a number's printed form (number_text) a
 * number, anything else its text; experiments an array of labels.  Bytes that are not
 * UTF-8 become U+FFFD.  0, or -1 after the message. */
static int meta_json(const runner *r, const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/meta", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "vmitn: %s: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    cJSON *o = cJSON_CreateObject();
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *eq = strstr(line, " = ");
        if (eq == NULL) {
            if (strcmp(line, "experiments =") == 0)
                cJSON_AddItemToObject(o, "experiments", cJSON_CreateArray());
            continue;
        }
        *eq = '\0';
        char *v = eq + 3, *w = v;
        for (char *s = v; *s; s++) { /* undo vmitn_escape_line */
            unsigned x;
            if (*s != '\\' || !s[1])
                *w++ = *s;
            else if (s[1] == 'x' && sscanf(s + 2, "%2x", &x) == 1)
                *w++ = (char)x, s += 3;
            else
                *w++ = s[1] == 'n' ? '\n' : s[1] == 'r' ? '\r' : s[1] == 't' ? '\t' : s[1], s++;
        }
        *w = '\0';
        char *cv = utf8_clean(v), *key = utf8_clean(line);
        size_t n = strlen(cv);
        cJSON *item;
        if (strcmp(key, "experiments") == 0) {
            item = cJSON_CreateArray();
            for (char *t = strtok(cv, " "); t != NULL; t = strtok(NULL, " "))
                cJSON_AddItemToArray(item, cJSON_CreateString(t));
        } else if (string_key(r, line)) {
            item = cJSON_CreateString(cv);
        } else if (n >= 2 && cv[0] == '"' && cv[n - 1] == '"') {
            cv[n - 1] = '\0';
            item = cJSON_CreateString(cv + 1);
        } else if (strcmp(cv, "true") == 0 || strcmp(cv, "false") == 0) {
            item = cJSON_CreateBool(cv[0] == 't');
        } else if (number_text(cv) && isfinite(strtod(cv, NULL))) {
            item = cJSON_CreateNumber(strtod(cv, NULL));
        } else {
            item = cJSON_CreateString(cv);
        }
        cJSON_AddItemToObject(o, key, item);
        free(cv);
        free(key);
    }
    free(line);
    fclose(f);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    snprintf(path, sizeof path, "%s/meta.json", dir);
    FILE *g = text ? fopen(path, "w") : NULL;
    int rc = g ? 0 : -1;
    if (g != NULL) {
        fputs(text, g);
        fputc('\n', g);
        rc = (ferror(g) | fclose(g)) ? -1 : 0;
    }
    free(text);
    if (rc < 0)
        fprintf(stderr, "vmitn: %s: cannot write\n", path);
    return rc;
}

/* Puts the finished temporary folder in place of OUT/NAME: its files are fsync'ed, then
 * the two names are swapped in one step (so OUT/NAME is never missing) and the old folder
 * goes.  A regular file, or a folder that holds no vmitn results, is never replaced.
 * Returns a VMITN_EXIT_* code after printing any message. */
static int commit(runner *r, const char *out_dir)
{
    if (vmitn_fsync_tree(r->tmp) != 0) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", r->tmp, strerror(errno));
        return VMITN_EXIT_IO;
    }
    struct stat st;
    int rc;
    if (lstat(r->final, &st) != 0) {
        rc = rename(r->tmp, r->final);
    } else if (S_ISDIR(st.st_mode) && !replaceable(r->final)) {
        fprintf(stderr, "vmitn: %s: exists and holds no vmitn results (no meta): remove it or choose another --out\n",
                r->final);
        return VMITN_EXIT_IO;
    } else if (!S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
        fprintf(stderr, "vmitn: %s: exists and is not a folder: remove it or choose another --out\n", r->final);
        return VMITN_EXIT_IO;
    } else if ((rc = vmitn_rename_exchange(r->tmp, r->final)) != 0 && (errno == EINVAL || errno == ENOSYS)) {
        /* a file system without RENAME_EXCHANGE: two renames, the old folder kept until the
         * new one is in place (it is a .NAME.tmp.PID folder, removed by the next run) */
        char old[4096];
        snprintf(old, sizeof old, "%.4080s.old", r->tmp);
        rc = rename(r->final, old);
        if (rc == 0 && (rc = rename(r->tmp, r->final)) != 0)
            rename(old, r->final);
        if (rc == 0) {
            vmitn_cleanup_remove(r->tmp);
            snprintf(r->tmp, sizeof r->tmp, "%s", old);
            vmitn_cleanup_add(r->tmp);
        }
    }
    if (rc != 0) {
        fprintf(stderr, "vmitn: %s: cannot create: %s\n", r->final, strerror(errno));
        return VMITN_EXIT_IO;
    }
    /* r->tmp now names the old folder (or nothing): exec removes it */
    char out[4096];
    snprintf(out, sizeof out, "%s", out_dir);
    if (vmitn_fsync_path(out) != 0) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", out, strerror(errno));
        return VMITN_EXIT_IO;
    }
    return VMITN_EXIT_OK;
}

/* --pcap DIR: an existing DIR/NAME holding anything (but hidden temporaries) is kept
 * unless force is set, as OUT/NAME is.  0 to go on, or -1 after the message. */
static int refuse_pcap(const vmitn_run_opts *o, const char *name)
{
    char dir[4300];
    snprintf(dir, sizeof dir, "%.4000s/%s", o->pcap_dir, name);
    struct stat st;
    if (o->force || lstat(dir, &st) != 0)
        return 0;
    bool used = !S_ISDIR(st.st_mode);
    DIR *d = used ? NULL : opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        used |= e->d_name[0] != '.';
    if (d != NULL)
        closedir(d);
    if (!used)
        return 0;
    fprintf(stderr, "vmitn: %s exists: choose another --pcap folder, or --force to replace its captures\n", dir);
    return -1;
}

/* Puts a staged folder in place of final: renamed when final is absent, else swapped in
 * one step (staged then holds the old folder), else (a file system without
 * RENAME_EXCHANGE) final moved to old first.  Returns how (for swap_back), or -1. */
enum { SWAP_RENAMED = 1, SWAP_EXCHANGED, SWAP_MOVED };
static int swap_in(const char *staged, const char *final, const char *old)
{
    struct stat st;
    if (lstat(final, &st) != 0)
        return rename(staged, final) == 0 ? SWAP_RENAMED : -1;
    if (vmitn_rename_exchange(staged, final) == 0)
        return SWAP_EXCHANGED;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (rename(final, old) != 0)
        return -1;
    if (rename(staged, final) != 0) {
        int e = errno;
        rename(old, final);
        errno = e;
        return -1;
    }
    return SWAP_MOVED;
}

static void swap_back(int how, const char *staged, const char *final, const char *old)
{
    if (how == SWAP_EXCHANGED) {
        vmitn_rename_exchange(staged, final);
        return;
    }
    rename(final, staged);
    if (how == SWAP_MOVED)
        rename(old, final);
}

/* Puts the run's results and captures in place, once the scenario has succeeded and its
 * Lua state is closed: every destination is checked again (one may have appeared while
 * the scenario ran), everything is fsync'ed, then each experiment's capture set and the
 * results folder are swapped in; if any step fails, the sets already swapped go back and
 * nothing of the run is left.  Returns a VMITN_EXIT_* code after printing any message. */
static int commit_all(runner *r, const char *out)
{
    struct stat st;
    if (lstat(r->final, &st) == 0 && refuse_existing(r->final, r->o->force) < 0) /* appeared while we ran */
        return VMITN_EXIT_IO;
    size_t n = r->pcap_tmp[0] ? r->nlabels : 0, done = 0;
    int *how = vmitn_xcalloc(n + 1, sizeof *how);
    char parent[4096], staged[4300], final[4300], old[4300], err[VMITN_ERRLEN];
    snprintf(parent, sizeof parent, "%.3900s/%s", r->o->pcap_dir ? r->o->pcap_dir : ".", r->name);
    int code = VMITN_EXIT_OK;
    /* only the experiments that succeeded: one whose error a pcall caught has no results */
#define STAGED(i) (snprintf(staged, sizeof staged, "%s/%s", r->pcap_tmp, r->labels[i]), lstat(staged, &st) == 0)
    for (size_t i = 0; i < n && code == VMITN_EXIT_OK; i++) {
        snprintf(final, sizeof final, "%s/%s", parent, r->labels[i]);
        if (STAGED(i) && vmitn_pcap_dest_check(final, r->o->force, err, sizeof err) < 0) {
            fprintf(stderr, "vmitn: --pcap: %s\n", err);
            code = VMITN_EXIT_IO;
        }
    }
    if (code == VMITN_EXIT_OK && (vmitn_fsync_tree(r->tmp) != 0 || (n > 0 && vmitn_fsync_tree(r->pcap_tmp) != 0))) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", r->tmp, strerror(errno));
        code = VMITN_EXIT_IO;
    }
    for (; done < n && code == VMITN_EXIT_OK; done++) {
        if (!STAGED(done))
            continue;
        snprintf(final, sizeof final, "%s/%s", parent, r->labels[done]);
        snprintf(old, sizeof old, "%s/.%s", r->pcap_tmp, r->labels[done]); /* a label never starts with '.' */
        if ((how[done] = swap_in(staged, final, old)) < 0) {
            fprintf(stderr, "vmitn: --pcap: %s: cannot create: %s\n", final, strerror(errno));
            code = VMITN_EXIT_IO;
            break;
        }
    }
    if (code == VMITN_EXIT_OK && n > 0 && vmitn_fsync_path(parent) != 0) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", parent, strerror(errno));
        code = VMITN_EXIT_IO;
    }
    if (code == VMITN_EXIT_OK)
        code = commit(r, out);
    if (code != VMITN_EXIT_OK)
        for (size_t i = done; i-- > 0;)
            if (how[i] > 0) {
                STAGED(i);
                snprintf(final, sizeof final, "%s/%s", parent, r->labels[i]);
                snprintf(old, sizeof old, "%s/.%s", r->pcap_tmp, r->labels[i]);
                swap_back(how[i], staged, final, old);
            }
#undef STAGED
    free(how);
    return code;
}

static int exec_body(lua_State *L)
{
    exec_ctx *x = lua_touserdata(L, 1);
    lua_settop(L, 0);
    runner *r = x->r;
    const char *path = x->path;
    const vmitn_run_opts *o = x->o;
    enum mode mode = x->mode;
    char **rows = x->rows;
    if (load_scenario(L, path) < 0)
        return 0;
    int scen = lua_gettop(L);
    const char *name = field_str(L, scen, "name", NULL);
    if (name == NULL || !safe_label(name)) {
        fprintf(stderr, "vmitn: %s: the scenario table needs name = \"...\" (letters, digits, '_', '-', '.')\n", path);
        return 0;
    }
    snprintf(r->name, sizeof r->name, "%s", name);
    lua_getfield(L, scen, "run");
    if (!lua_isfunction(L, -1)) {
        fprintf(stderr, "vmitn: %s: the scenario table needs run = function(p) ... end\n", path);
        return 0;
    }
    lua_pop(L, 1);
    lua_getfield(L, scen, "runs");
    lua_Integer dflt_runs = 1;
    if (!lua_isnil(L, -1)) {
        int isnum;
        dflt_runs = lua_tointegerx(L, -1, &isnum);
        if (!isnum || dflt_runs < 1 || dflt_runs > 100000) {
            fprintf(stderr, "vmitn: %s: runs must be a whole number from 1 to 100000\n", path);
            return 0;
        }
    }
    lua_pop(L, 1);
    r->runs = o->runs > 0 ? (unsigned)o->runs : (unsigned)(dflt_runs > 0 ? dflt_runs : 1);
    if (o->runs_used)
        *o->runs_used = r->runs;
    if (mode != MODE_RUN) {
        if (build_params(L, r, scen, NULL) < 0)
            return 0;
        if (mode == MODE_CHECK) {
            x->code = VMITN_EXIT_OK;
            return 0;
        }
        if (!call_run(L, scen, x))
            return 0;
        *rows = r->capture.p ? r->capture.p : vmitn_xstrdup("");
        r->capture.p = NULL;
        x->code = VMITN_EXIT_OK;
        return 0;
    }

    /* the output folder: OUT/.NAME.tmp.PID, renamed to OUT/NAME at the end; an existing
     * OUT/NAME is replaced only with --force, and only if vmitn wrote it */
    const char *out = o->out ? o->out : VMITN_DEFAULT_OUT;
    snprintf(r->final, sizeof r->final, "%s/%s", out, name);
    if (refuse_existing(r->final, o->force) < 0 || (o->pcap_dir != NULL && refuse_pcap(o, name) < 0)) {
        x->code = VMITN_EXIT_IO;
        return 0;
    }
    struct stat ost;
    if (stat(out, &ost) != 0)
        snprintf(r->made_out, sizeof r->made_out, "%s", out); /* removed again if the run fails */
    if (vmitn_mkdir_p(out) != 0) {
        fprintf(stderr, "vmitn: %s: cannot create the output folder: %s\n", out, strerror(errno));
        x->code = VMITN_EXIT_IO;
        return 0;
    }
    {
        char prefix[256];
        snprintf(prefix, sizeof prefix, ".%s.tmp.", name);
        vmitn_remove_stale(out, prefix);
    }
    char tag[VMITN_TAGLEN];
    vmitn_tmp_tag(tag);
    snprintf(r->tmp, sizeof r->tmp, "%.3000s/.%s.tmp.%s", out, name, tag);
    vmitn_rm_rf(r->tmp);
    vmitn_cleanup_add(r->tmp);
    if (mkdir(r->tmp, 0777) != 0) {
        fprintf(stderr, "vmitn: %s: cannot write in the output folder: %s\n", out, strerror(errno));
        x->code = VMITN_EXIT_IO;
        return 0;
    }
    char mpath[4200];
    snprintf(mpath, sizeof mpath, "%s/meta", r->tmp);
    x->meta = fopen(mpath, "w");
    if (x->meta == NULL) {
        fprintf(stderr, "vmitn: %s: cannot create\n", mpath);
        x->code = VMITN_EXIT_IO;
        return 0;
    }
    r->meta = x->meta;
    char *epath = vmitn_escape_line(path);
    fprintf(x->meta, "scenario = %s\nname = %s\nvmitn = %s\ncommit = %s\nseed = %llu\nruns = %u\n", epath, name,
            VMITN_VERSION, vmitn_commit(), (unsigned long long)o->seed, r->runs);
    fprintf(x->meta, "overrides = %u\n", o->nset); /* 0: the scenario's own setting (vmitn plot's paper marks) */
    free(epath);
    if (build_params(L, r, scen, x->meta) < 0)
        return 0;
    if (!call_run(L, scen, x))
        return 0;
    fputs("experiments =", x->meta);
    for (size_t i = 0; i < r->nlabels; i++)
        fprintf(x->meta, " %s", r->labels[i]);
    fputc('\n', x->meta);
    r->meta = NULL;
    if (ferror(x->meta) | fclose(x->meta)) {
        x->meta = NULL;
        fprintf(stderr, "vmitn: %s: write failed\n", mpath);
        x->code = VMITN_EXIT_IO;
        return 0;
    }
    x->meta = NULL;
    if (meta_json(r, r->tmp) < 0) {
        x->code = VMITN_EXIT_IO;
        return 0;
    }
    /* committed by exec after lua_close: a finalizer still runs scenario code (and can be
     * interrupted), so nothing goes in place before the last of it has run */
    x->ready = true;
    x->code = VMITN_EXIT_OK;
    return 0;
}

static int exec(const vmitn_run_opts *o, enum mode mode, unsigned job_run, char **rows)
{
    runner r = {.o = o, .mode = mode, .job_run = job_run};
    int code = VMITN_EXIT_INPUT;
    char *path = vmitn_scenario_path(o->scenario);
    if (path == NULL) {
        no_scenario(o->scenario);
        return VMITN_EXIT_IO;
    }
    r.path = path;
    size_t npd;
    vmitn_model_params(&npd);
    r.override = vmitn_xmalloc(sizeof *r.override);
    vmitn_model_cfg_default(r.override);
    r.overridden = vmitn_xcalloc(npd, sizeof *r.overridden);
    for (unsigned k = 0; k < o->nset; k++)
        if (strchr(o->set[k], '=') == NULL || o->set[k][0] == '=') {
            fprintf(stderr, "vmitn: -p %s: expected name=value\n", o->set[k]);
            free(path);
            runner_free(&r);
            return VMITN_EXIT_USAGE;
        }
    vmitn_topo_seed_igraph(vmitn_seed_mix(o->seed, 0, VMITN_STREAM(VMITN_STREAM_IGRAPH, 0)));
    lmem mem;
    lua_State *L = new_state(o->seed, &mem);
    if (o->max_memory > 0)
        mem.limit = o->max_memory;
    if (o->no_patterns) {
        static const char *const pat[] = {"find", "match", "gmatch", "gsub", NULL};
        lua_getglobal(L, "string");
        for (int i = 0; pat[i]; i++) {
            lua_pushnil(L);
            lua_setfield(L, -2, pat[i]);
        }
        lua_pop(L, 1);
    }
    lua_pushlightuserdata(L, &r);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &RUNNER_KEY);
    lua_sethook(L, interrupt_hook, LUA_MASKCOUNT, HOOK_EVERY);
    exec_ctx x = {.r = &r, .path = path, .o = o, .mode = mode, .rows = rows, .code = VMITN_EXIT_INPUT};
    lua_pushcfunction(L, exec_body);
    lua_pushlightuserdata(L, &x);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        if (!vmitn_interrupted()) {
            const char *msg = lua_tostring(L, -1);
            if (msg != NULL && strcmp(msg, "not enough memory") == 0)
                print_error(L, path, msg);
            else
                fprintf(stderr, "vmitn: %s: %s\n", path, msg ? msg : "error");
        }
        x.code = VMITN_EXIT_INPUT;
    }
    code = x.code;
    FILE *meta = x.meta;
    if (meta)
        fclose(meta);
    /* before anything goes in place: the scenario's finalizers run here, and may write,
     * fail or be interrupted */
    lua_close(L);
    if (x.ready && code == VMITN_EXIT_OK) {
        /* a scenario that ignored the interrupt (or was interrupted in a finalizer) never
         * replaces results */
        code = vmitn_interrupted() ? VMITN_EXIT_INPUT : commit_all(&r, o->out ? o->out : VMITN_DEFAULT_OUT);
        if (code == VMITN_EXIT_OK && o->folder != NULL)
            snprintf(o->folder, o->folder_len, "%s", r.final);
        if (code == VMITN_EXIT_OK && !o->quiet)
            printf("wrote %s\n", r.final);
    }
    if (vmitn_interrupted() && code != VMITN_EXIT_OK) {
        if (mode != MODE_JOB)
            fprintf(stderr, "vmitn: interrupted: nothing was written\n");
        code = VMITN_EXIT_INTERRUPTED;
    }
    if (r.tmp[0]) {
        vmitn_rm_rf(r.tmp);
        vmitn_cleanup_remove(r.tmp);
    }
    if (r.pcap_tmp[0]) { /* what was not committed, or the sets the committed ones replaced */
        vmitn_rm_rf(r.pcap_tmp);
        vmitn_cleanup_remove(r.pcap_tmp);
    }
    if (code != VMITN_EXIT_OK) {
        if (r.made_out[0])
            rmdir(r.made_out); /* only if empty: what this run created, and nothing else */
        for (int i = 1; i >= 0; i--)
            if (r.pcap_made[i][0])
                rmdir(r.pcap_made[i]);
    }
    free(r.capture.p);
    runner_free(&r);
    free(path);
    return code;
}

int vmitn_scenario_run(const vmitn_run_opts *o) { return exec(o, MODE_RUN, 0, NULL); }
int vmitn_scenario_check(const vmitn_run_opts *o) { return exec(o, MODE_CHECK, 0, NULL); }
int vmitn_scenario_job(const vmitn_run_opts *o, unsigned run, char **rows) { return exec(o, MODE_JOB, run, rows); }

static int sweep_check(const vmitn_sweep_point *p)
{
    vmitn_run_opts o = {.scenario = p->scenario, .seed = p->seed, .runs = (int)p->runs, .set = p->set,
                        .nset = p->nset, .quiet = true};
    return vmitn_scenario_check(&o);
}

static int sweep_job(const vmitn_sweep_point *p, unsigned run, char **rows)
{
    vmitn_run_opts o = {.scenario = p->scenario, .seed = p->seed, .runs = (int)p->runs, .set = p->set,
                        .nset = p->nset, .quiet = true};
    return vmitn_scenario_job(&o, run, rows);
}

const vmitn_sweep_runner *vmitn_scenario_sweep_runner(void)
{
    static const vmitn_sweep_runner r = {vmitn_scenario_path, sweep_check, sweep_job};
    return &r;
}

static int read_model_body(lua_State *L)
{
    vmitn_model_cfg *c = lua_touserdata(L, 1);
    lua_settop(L, 2);
    read_section(L, c, "");
    return 0;
}

int vmitn_scenario_list_model(const char *calibrated, FILE *out)
{
    vmitn_model_cfg dflt, c;
    vmitn_model_cfg_default(&dflt);
    c = dflt;
    char *path = NULL;
    if (calibrated != NULL) {
        path = vmitn_scenario_path(calibrated);
        if (path == NULL) {
            no_scenario(calibrated);
            return VMITN_EXIT_IO;
        }
        /* the file returns a model table, or the calibration's {model = ...}, as
         * common.model() starts from */
        lmem mem;
        lua_State *L = new_state(1, &mem);
        runner r = {.path = path};
        lua_pushlightuserdata(L, &r);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &RUNNER_KEY);
        lua_pushcfunction(L, read_model_body);
        lua_pushlightuserdata(L, &c);
        int st = luaL_loadfilex(L, path, "t");
        if (st == LUA_OK)
            st = lua_pcall(L, 0, 1, 0);
        if (st == LUA_OK && lua_istable(L, -1)) {
            if (lua_getfield(L, -1, "model") == LUA_TTABLE)
                lua_remove(L, -2); /* calibrated.lua: { model = {...}, view = ..., ... } */
            else
                lua_pop(L, 1); /* a plain model table */
        }
        if (st == LUA_OK && !lua_istable(L, -1)) {
            lua_pushfstring(L, "%s: expected the file to return a model table (or {model = ...})", path);
            st = LUA_ERRRUN;
        }
        if (st == LUA_OK)
            st = lua_pcall(L, 2, 0, 0);
        if (st != LUA_OK) {
            fprintf(stderr, "vmitn: %s: %s\n", path, lua_tostring(L, -1));
            lua_close(L);
            free(path);
            return VMITN_EXIT_INPUT;
        }
        lua_close(L);
        fprintf(out, "model parameters in effect with %s (the paper scenarios start from it)\n", path);
    }
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    const char *sec = NULL;
    for (size_t i = 0; i < n; i++) {
        if (sec == NULL || strcmp(sec, d[i].section) != 0) {
            sec = d[i].section;
            fprintf(out, "%s\n", *sec ? sec : "(top level)");
        }
        char val[300], was[300] = "", range[96] = "";
        param_text(&d[i], &c, val, sizeof val);
        if (d[i].kind == VMITN_P_NUM) /* %g for reading; meta has the exact %.17g */
            snprintf(val, sizeof val, "%g", *(const double *)((const char *)&c + d[i].off));
        param_text(&d[i], &dflt, was, sizeof was);
        if (d[i].kind == VMITN_P_NUM)
            snprintf(was, sizeof was, "%g", *(const double *)((const char *)&dflt + d[i].off));
        if (d[i].kind == VMITN_P_NUM || d[i].kind == VMITN_P_INT)
            snprintf(range, sizeof range, "[%g, %g] %s", d[i].min, d[i].max, d[i].unit);
        fprintf(out, "  %-14s = %-12s %-26s %s", d[i].name, val, range, d[i].doc);
        if (strcmp(val, was) != 0)
            fprintf(out, " (calibrated; default %s)", was);
        fputc('\n', out);
    }
    free(path);
    return VMITN_EXIT_OK;
}

int vmitn_scenario_list(const char *dir, FILE *out)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "vmitn: %s: %s\n", dir, strerror(errno));
        return VMITN_EXIT_IO;
    }
    char **files = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".lua") == 0 && e->d_name[0] != '.') {
            files = vmitn_xrealloc(files, (n + 1) * sizeof *files);
            files[n++] = vmitn_xstrdup(e->d_name);
        }
    }
    closedir(d);
    for (size_t i = 1; i < n; i++) /* sort names */
        for (size_t j = i; j > 0 && strcmp(files[j - 1], files[j]) > 0; j--) {
            char *t = files[j];
            files[j] = files[j - 1];
            files[j - 1] = t;
        }
    int code = VMITN_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        lmem mem;
        lua_State *L = new_state(1, &mem);
        runner r = {0};
        lua_pushlightuserdata(L, &r);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &RUNNER_KEY);
        r.path = path;
        if (load_scenario(L, path) == 0) {
            int scen = lua_gettop(L);
            const char *name = field_str(L, scen, "name", NULL);
            if (name != NULL) {
                fprintf(out, "%s  (%s)\n  %s\n", name, path, field_str(L, scen, "about", ""));
                int np = sorted_params(L, scen);
                int params = lua_gettop(L) - 1;
                for (int k = 1; k <= np; k++) {
                    lua_rawgeti(L, params + 1, k);
                    const char *pn = lua_tostring(L, -1);
                    lua_getfield(L, params, pn);
                    pspec s;
                    if (read_spec(L, path, pn, &s) == 0) {
                        lua_getfield(L, -1, "default");
                        fprintf(out, "    %-16s = %-10s", pn, luaL_tolstring(L, -1, NULL));
                        lua_pop(L, 2);
                        if (s.type == LUA_TNUMBER && (isfinite(s.min) || isfinite(s.max)))
                            fprintf(out, " [%g, %g]", s.min, s.max);
                        fprintf(out, " %s  %s\n", s.unit, s.doc);
                    }
                    lua_pop(L, 2);
                }
                lua_pop(L, 2);
            }
        } else {
            code = VMITN_EXIT_INPUT;
        }
        lua_close(L);
        free(files[i]);
    }
    free(files);
    return code;
}
