/* lib_math.c — the analytic helpers a scenario fits and compares with: vmitn.fit_logistic,
 * vmitn.si_ode, vmitn.minimize (Nelder-Mead on a Lua function), vmitn.ci95, vmitn.pnorm. */
#include "vmitn/scenario_internal.h"

#include <math.h>

#include "vmitn/analytic.h"

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
int vmitn_lua_fit_logistic(lua_State *L)
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
int vmitn_lua_si_ode(lua_State *L)
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

int vmitn_lua_minimize(lua_State *L)
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
int vmitn_lua_ci95(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    double sd = luaL_checknumber(L, 2);
    luaL_argcheck(L, n >= 0 && n <= 0xffffffffLL, 1, "a count from 0");
    lua_pushnumber(L, vmitn_ci95((unsigned)n, sd));
    return 1;
}

int vmitn_lua_pnorm(lua_State *L)
{
    lua_pushnumber(L, vmitn_pnorm(luaL_checknumber(L, 1)));
    return 1;
}
