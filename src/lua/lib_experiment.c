/* lib_experiment.c — vmitn.experiment (runs a model, writes LABEL.*.csv and its meta
 * lines), vmitn.measure (the same, writing nothing) and vmitn.log; the summary table both
 * return. */
#include "vmitn/scenario_internal.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

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
        vmitn_lua_full_name(&d[i], fn, sizeof fn);
        vmitn_lua_param_text(&d[i], c, val, sizeof val);
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
int vmitn_lua_experiment(lua_State *L)
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
        vmitn_lua_claim(L, r, fn);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    vmitn_model_cfg *c;
    vmitn_metrics *m = vmitn_lua_simulate(L, r, runs, &c, label);
    char err[VMITN_ERRLEN];
    if (r->mode == MODE_JOB) {
        /* one CSV line: the label, then every per-run metric of this replication */
        vmitn_buf_puts(&r->capture, label);
        for (size_t i = 0; i < vmitn_metrics_per_run(); i++) {
            double v = vmitn_metrics_run_value(m, 0, i);
            char num[64];
            if (isnan(v))
                snprintf(num, sizeof num, ",NA");
            else
                snprintf(num, sizeof num, ",%.9g", v);
            vmitn_buf_puts(&r->capture, num);
        }
        vmitn_buf_puts(&r->capture, "\n");
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
int vmitn_lua_measure(lua_State *L)
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
    vmitn_metrics *m = vmitn_lua_simulate(L, r, runs, &c, NULL);
    push_summary(L, m, runs);
    vmitn_metrics_free(m);
    return 1;
}

int vmitn_lua_log(lua_State *L)
{
    runner *r = get_runner(L);
    progress(r, "%s", luaL_checkstring(L, 1));
    return 0;
}
