/* scenario.c — runs a Lua 5.4 scenario (scenario.h): the sandboxed state (sandbox.c)
 * with the `vmitn` module (lib.c), the scenario's parameters (scenario_params.c), its
 * run(p) under one lua_pcall, meta written as it goes, and atomic output: everything is
 * written into a hidden temporary folder that goes in place (commit.c) only when the
 * scenario has succeeded and its Lua state is closed.  Also a sweep job (one replication, rows captured,
 * no files) and a check (parameters only).
 *
 * The Lua layer's files and what they share: vmitn/scenario_internal.h. */
#include "vmitn/scenario_internal.h"

#include <errno.h>
#include <stdlib.h>

#include "vmitn/rng.h"
#include "vmitn/sweep.h"
#include "vmitn/version.h"

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
    lua_pushcfunction(L, vmitn_lua_traceback);
    lua_getfield(L, scen, "run");
    lua_pushvalue(L, p);
    if (lua_pcall(L, 1, 0, p + 1) == LUA_OK)
        return true;
    lua_getfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
    if (!lua_isnil(L, -1))
        x->code = VMITN_EXIT_IO;
    lua_pop(L, 1);
    if (!vmitn_interrupted())
        vmitn_lua_print_error(L, x->path, lua_tostring(L, -1));
    return false;
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
    if (vmitn_lua_load_scenario(L, path) < 0)
        return 0;
    int scen = lua_gettop(L);
    const char *name = vmitn_lua_field_str(L, scen, "name", NULL);
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
        if (vmitn_lua_build_params(L, r, scen, NULL) < 0)
            return 0;
        if (mode == MODE_CHECK) {
            x->code = VMITN_EXIT_OK;
            return 0;
        }
        if (!call_run(L, scen, x))
            return 0;
        *rows = vmitn_buf_take(&r->capture);
        x->code = VMITN_EXIT_OK;
        return 0;
    }

    /* the output folder: OUT/.NAME.tmp.PID, renamed to OUT/NAME at the end; an existing
     * OUT/NAME is replaced only with --force, and only if vmitn wrote it */
    const char *out = o->out ? o->out : VMITN_DEFAULT_OUT;
    snprintf(r->final, sizeof r->final, "%s/%s", out, name);
    if (vmitn_lua_refuse_existing(r->final, o->force) < 0 || (o->pcap_dir != NULL && vmitn_lua_refuse_pcap(o, name) < 0)) {
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
    if (vmitn_lua_build_params(L, r, scen, x->meta) < 0)
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
    if (vmitn_lua_meta_json(r, r->tmp) < 0) {
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
    runner r = {.o = o, .sweeper = vmitn_scenario_sweep_runner(), .mode = mode, .job_run = job_run};
    int code = VMITN_EXIT_INPUT;
    char *path = vmitn_scenario_path(o->scenario);
    if (path == NULL) {
        vmitn_lua_no_scenario(o->scenario);
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
    lua_State *L = vmitn_lua_open(o->seed, &mem);
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
    lua_rawsetp(L, LUA_REGISTRYINDEX, &vmitn_lua_runner_key);
    lua_sethook(L, vmitn_lua_interrupt_hook, LUA_MASKCOUNT, HOOK_EVERY);
    exec_ctx x = {.r = &r, .path = path, .o = o, .mode = mode, .rows = rows, .code = VMITN_EXIT_INPUT};
    lua_pushcfunction(L, exec_body);
    lua_pushlightuserdata(L, &x);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        if (!vmitn_interrupted()) {
            const char *msg = lua_tostring(L, -1);
            if (msg != NULL && strcmp(msg, "not enough memory") == 0)
                vmitn_lua_print_error(L, path, msg);
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
        code = vmitn_interrupted() ? VMITN_EXIT_INPUT : vmitn_lua_commit_all(&r, o->out ? o->out : VMITN_DEFAULT_OUT);
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
    vmitn_buf_free(&r.capture);
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
