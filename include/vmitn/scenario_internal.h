/* scenario_internal.h — PRIVATE to the Lua layer (src/lua/): the runner of one
 * scenario, the sandbox's limits and the calls its files make on each other.  Nothing
 * outside src/lua includes it; the public interface is scenario.h.  It lives in
 * include/vmitn/ (as model_internal.h does) so that the Makefile's header rule rebuilds
 * the Lua layer when it changes.
 *
 * Who does what: scenario.c the run (exec) and the public entry points; sandbox.c the Lua
 * state and its limits; lib.c the `vmitn` module's table, whose bindings are in
 * lib_experiment.c, lib_files.c, lib_math.c, lib_sweep.c and lib_learn.c, with one
 * experiment's runs in simulate.c; model_params.c the model's parameters from Lua and
 * -p; scenario_params.c the scenario's own parameters; list.c finding and listing
 * scenarios; meta.c meta.json; commit.c the results folder and captures put in place.
 *
 * Every file name a scenario chooses is a plain name (vmitn_safe_name) inside the output
 * folder.  The small helpers are static inline here; the types carry no prefix, as
 * nothing outside src/lua sees them. */
#ifndef VMITN_SCENARIO_INTERNAL_H
#define VMITN_SCENARIO_INTERNAL_H

#include <lauxlib.h>
#include <lua.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmitn/metrics.h"
#include "vmitn/model.h"
#include "vmitn/scenario.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

typedef struct topo_entry {
    char *key;
    char *file; /* the file the key resolved to (NULL for generate:) */
    vmitn_topo *t;
} topo_entry;

enum mode { MODE_RUN, MODE_JOB, MODE_CHECK };

typedef struct runner {
    const vmitn_run_opts *o;
    const char *path;
    /* how vmitn.sweep runs a point: set by the run (scenario.c), so the library calls up
     * into no file above it; NULL while a scenario is only listed or checked for a model */
    const struct vmitn_sweep_runner *sweeper;
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
    vmitn_buf capture;
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
#define NAME_LEN 100 /* labels and file names; the longest suffix (.handovers.csv) still fits */
/* Bytes a scenario may write through vmitn.text and vmitn.table, all files together (the
 * experiments' own files are bounded by the event cap): a runaway loop fills no disk. */
#define VMITN_OUTPUT_LIMIT ((size_t)256 << 20)

typedef struct lmem {
    size_t used, limit;
    bool hit; /* the limit refused an allocation (Lua may collect and retry; if it then
               * fails with "not enough memory", this was why) */
} lmem;

/* One declaration of a scenario's params table. */
typedef struct pspec {
    int type; /* LUA_TNUMBER, LUA_TBOOLEAN, LUA_TSTRING */
    bool integer;
    double min, max;
    const char *unit, *doc;
} pspec;

/* The runner of the scenario the state runs (registry key &vmitn_lua_runner_key). */
extern const char vmitn_lua_runner_key;

static inline runner *get_runner(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &vmitn_lua_runner_key);
    runner *r = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return r;
}

/* SIGINT/SIGTERM (util.c) set a flag; it is checked between runs, by the event loop and
 * by a Lua count hook, so an interrupted run unwinds through the normal cleanup. */
static inline void check_interrupt(lua_State *L)
{
    if (vmitn_interrupted())
        luaL_error(L, "interrupted");
}

static inline bool safe_label(const char *s) { return vmitn_safe_name(s, NAME_LEN); }

/* luaL_error with printf's full formats (Lua's own lack %g and widths: Lua 5.4 knows only
 * %% %s %d %I %f %p %c %U, and prints "invalid conversion" for any other).  Every message
 * with a number that is not an int goes through it. */
static inline int lerror(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int lerror(lua_State *L, const char *fmt, ...)
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

static inline bool readable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

/* ---------- sandbox.c ---------- */

/* A fresh sandboxed state without the vmitn module (vmitn_lua_open in lib.c adds it),
 * math.random seeded from seed; mem is the allocator's account (its limit may be lowered
 * after).  Never NULL. */
lua_State *vmitn_lua_new_state(uint64_t seed, lmem *mem);
/* The count hook: "interrupted" after Ctrl-C, or past --max-instructions. */
void vmitn_lua_interrupt_hook(lua_State *L, lua_Debug *ar);
/* Prints a scenario's error: the limit's own message for the memory limit. */
void vmitn_lua_print_error(lua_State *L, const char *path, const char *msg);
/* The message handler that adds a traceback. */
int vmitn_lua_traceback(lua_State *L);
/* Loads a scenario file and leaves its table on the stack.  On error prints and returns -1. */
int vmitn_lua_load_scenario(lua_State *L, const char *path);
/* The string field k of the table at idx, or dflt. */
const char *vmitn_lua_field_str(lua_State *L, int idx, const char *k, const char *dflt);

/* ---------- lib.c and the bindings (lib_*.c, simulate.c) ---------- */

/* Sets the global `vmitn`. */
void vmitn_lua_open_lib(lua_State *L);
/* vmitn_lua_new_state with the vmitn module: the state every scenario runs in. */
lua_State *vmitn_lua_open(uint64_t seed, lmem *mem);
int vmitn_lua_experiment(lua_State *L);
int vmitn_lua_measure(lua_State *L);
int vmitn_lua_log(lua_State *L);
int vmitn_lua_text(lua_State *L);
int vmitn_lua_table(lua_State *L);
int vmitn_lua_include(lua_State *L);
int vmitn_lua_fit_logistic(lua_State *L);
int vmitn_lua_si_ode(lua_State *L);
int vmitn_lua_minimize(lua_State *L);
int vmitn_lua_ci95(lua_State *L);
int vmitn_lua_pnorm(lua_State *L);
int vmitn_lua_sweep(lua_State *L);
int vmitn_lua_learn(lua_State *L);
/* Claims a file name in the scenario's folder; a second claim is an error. */
void vmitn_lua_claim(lua_State *L, runner *r, const char *name);
/* Runs the model table at stack index 2 `runs` times (one replication in a sweep job);
 * returns the filled collector and the resolved model in *cfg_out (a userdata on the
 * stack).  label: the experiment's (its --pcap captures and events), NULL for
 * vmitn.measure.  Raises a Lua error (naming the parameter) on a bad model. */
vmitn_metrics *vmitn_lua_simulate(lua_State *L, runner *r, lua_Integer runs, vmitn_model_cfg **cfg_out, const char *label);
/* A sweep job names each data file it reads, once (sweep.c hashes them). */
void vmitn_lua_note_input(runner *r, const char *path);

/* ---------- model_params.c ---------- */

const vmitn_param_desc *vmitn_lua_find_param(const char *section, const char *name, size_t *idx);
/* "section.name", or "name" at the top level. */
void vmitn_lua_full_name(const vmitn_param_desc *d, char *buf, size_t n);
/* Reads the model table at the top of the stack (section "" for the whole model) into c. */
void vmitn_lua_read_section(lua_State *L, vmitn_model_cfg *c, const char *section);
/* Copies the -p model overrides of r into c. */
void vmitn_lua_apply_overrides(const runner *r, vmitn_model_cfg *c);
/* The value of parameter d in c as text: %.17g numbers, strings quoted. */
void vmitn_lua_param_text(const vmitn_param_desc *d, const vmitn_model_cfg *c, char *buf, size_t n);

/* ---------- scenario_params.c ---------- */

/* Pushes the scenario's params table and a sorted array of its names; returns their count. */
int vmitn_lua_sorted_params(lua_State *L, int scen);
/* Reads and checks one parameter declaration at the top of the stack.  -1 after the message. */
int vmitn_lua_read_spec(lua_State *L, const char *path, const char *name, pspec *s);
/* Builds the parameter table p (defaults, then -p) on the stack, writing meta's param. and
 * model. lines when meta is set.  0, or -1 after the message. */
int vmitn_lua_build_params(lua_State *L, runner *r, int scen, FILE *meta);

/* ---------- find.c ---------- */

/* "no such scenario", with the nearest scenario name when one is close. */
void vmitn_lua_no_scenario(const char *name);

/* ---------- commit.c and meta.c ---------- */

/* An existing results folder is kept unless force (and then only one vmitn wrote).  0 to
 * go on, or -1 after the message. */
int vmitn_lua_refuse_existing(const char *dir, bool force);
/* --pcap DIR: an existing DIR/NAME in use is kept unless force.  0, or -1 after the message. */
int vmitn_lua_refuse_pcap(const vmitn_run_opts *o, const char *name);
/* Puts the run's results and captures in place, or nothing.  A VMITN_EXIT_* code. */
int vmitn_lua_commit_all(runner *r, const char *out);
/* Writes dir/meta.json from dir/meta.  0, or -1 after the message. */
int vmitn_lua_meta_json(const runner *r, const char *dir);

#endif
