/* lib_learn.c — vmitn.learn: the SMC's learner over a capture (as `vmitn learn`), the
 * rules it issues and what they would drop, and with a truth pattern the attack's
 * detection. */
#include "vmitn/scenario_internal.h"

#include <math.h>
#include <stdlib.h>

#include "vmitn/trace.h"

/* vmitn.learn(capture, {lambda, theta, half_life, lru_size, table_size, truth, missing_ok})
 * -> the learner over a capture (as `vmitn learn`), with what its rules would drop; with
 * truth ("src,dst,port", '*' wild; the attack is what it matches from attack_from s on) also
 * the attack's detection.  A relative path is from
 * the current folder.  missing_ok: an unreadable file gives nil and the reason instead of
 * an error. */
int vmitn_lua_learn(lua_State *L)
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
    vmitn_lua_note_input(get_runner(L), path); /* a missing one too: its arrival would change the job */
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
