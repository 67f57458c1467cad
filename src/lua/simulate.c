/* simulate.c — one experiment's runs: the model table on the defaults and the -p
 * overrides, its topology (loaded or generated once per scenario), the captures it
 * replays, the refusal of a workload too large, the runs (here or on --jobs workers) with
 * their observers and --pcap captures staged, into a metrics collector. */
#include "vmitn/scenario_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "vmitn/paths.h"
#include "vmitn/pcapio.h"
#include "vmitn/progress.h"
#include "vmitn/replicas.h"
#include "vmitn/trace.h"

/* Events one vmitn.experiment may schedule, all runs together: ~3 hours at the event
 * core's speed; more is refused before anything runs. */
#define MAX_EVENTS 1e11

/* A sweep job names each data file it reads, once ("# input PATH" among its rows):
 * sweep.c records the hash of its bytes and refuses to resume when one changed. */
void vmitn_lua_note_input(runner *r, const char *path)
{
    if (r->mode != MODE_JOB)
        return;
    char *e = vmitn_escape_line(path), *line = vmitn_xmalloc(strlen(e) + 16);
    sprintf(line, "# input %s\n", e);
    if (r->capture.p == NULL || strstr(r->capture.p, line) == NULL)
        vmitn_buf_puts(&r->capture, line);
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
        vmitn_dir_of(r->path, dir, sizeof dir);
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
        vmitn_lua_note_input(r, file);
    r->topos = vmitn_xrealloc(r->topos, (r->ntopos + 1) * sizeof *r->topos);
    r->topos[r->ntopos++] = (topo_entry){vmitn_xstrdup(spec), file, t};
    return t;
}

/* The events one run of c schedules, at most (scans, flood, legitimate traffic and its
 * answers, grid samples, AGENT reports), into *est; why[] names the largest part.  An
 * upper bound: every FES host is taken to be scanning for the whole run. */
static double work_estimate(const vmitn_model_cfg *c, const vmitn_topo *t, char *why, size_t n)
{
    unsigned nh = vmitn_topo_nhosts(t), nfes = 0, nwired = 0;
    for (unsigned i = 0; i < nh; i++) {
        nfes += vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
        nwired += vmitn_topo_host(t, i).lan >= 0;
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

static int trace_set_gc(lua_State *L)
{
    vmitn_trace_set_destroy(lua_touserdata(L, 1));
    return 0;
}

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

/* Runs the model table at stack index 2 `runs` times; returns the filled collector.
 * Raises a Lua error (naming the parameter) on a bad model. */
vmitn_metrics *vmitn_lua_simulate(lua_State *L, runner *r, lua_Integer runs, vmitn_model_cfg **cfg_out, const char *label)
{
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_argcheck(L, runs >= 1 && runs <= 100000, 3, "runs must be in [1, 100000]");
    vmitn_model_cfg *c = lua_newuserdatauv(L, sizeof *c, 0); /* collected by Lua, even on error */
    vmitn_model_cfg_default(c);
    lua_pushvalue(L, 2);
    vmitn_lua_read_section(L, c, "");
    lua_pop(L, 1);
    vmitn_lua_apply_overrides(r, c);
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
        vmitn_lua_note_input(r, ts->tr[k].path);
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
        nfes += vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
    /* a sweep job runs only its replication, with that replication's streams */
    bool job = r->mode == MODE_JOB;
    if (job)
        runs = 1;
    int evw = label != NULL && !job ? vmitn_events_wanted(c, t, (unsigned)runs, err, sizeof err) : 0;
    if (evw < 0)
        lerror(L, "model: %s", err);
    vmitn_metrics *m = vmitn_metrics_new(c, vmitn_topo_nhosts(t), nfes, (unsigned)runs);
    vmitn_collector col = vmitn_metrics_collector(m); /* its observers, here or on a worker */
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
        /* the metrics and their event log are computed on the workers; the progress line
         * (the observer every run has, below) and a capture's run travel as calls */
        vmitn_observer like[1] = {{.ctx = &prog, .sample = vmitn_progress_sample}};
        bool capture = label != NULL && r->o->pcap_dir != NULL && r->mode == MODE_RUN;
        pool = vmitn_replicas_start(c, t, r->o->seed, (unsigned)runs, jobs, like, show ? 1 : 0,
                                    capture ? r->o->pcap_run : UINT32_MAX, &col, err, sizeof err);
        /* no worker could start (out of processes): the same runs, here */
    }
    for (unsigned k = 0; k < runs; k++) {
        vmitn_observer obs[VMITN_COLLECTOR_OBS + 2];
        /* here, the run begins as on a worker: the same observers (on a worker, they are
         * there, and the parent takes what the run left) */
        unsigned nobs = pool == NULL ? col.begin(col.ctx, k, obs) : 0;
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
        if (pool == NULL)
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
