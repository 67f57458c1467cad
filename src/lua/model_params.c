/* model_params.c — the model's parameters (model.h's table) as a scenario gives them: a
 * Lua model table read field by field with every error naming the field, -p
 * section.name=value overrides (vmitn_param_parse), their text form for meta, and
 * `vmitn list --model`. */
#include "vmitn/scenario_internal.h"

#include <math.h>
#include <stdlib.h>

#include "vmitn/suggest.h"

/* ---------- model parameters from Lua ---------- */

const vmitn_param_desc *vmitn_lua_find_param(const char *section, const char *name, size_t *idx)
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

void vmitn_lua_full_name(const vmitn_param_desc *d, char *buf, size_t n)
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
    vmitn_lua_full_name(d, fn, sizeof fn);
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

void vmitn_lua_read_section(lua_State *L, vmitn_model_cfg *c, const char *section)
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
            vmitn_lua_read_section(L, c, k);
        } else {
            const vmitn_param_desc *d = vmitn_lua_find_param(section, k, NULL);
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

void vmitn_lua_apply_overrides(const runner *r, vmitn_model_cfg *c)
{
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    for (size_t i = 0; i < n; i++) {
        if (!r->overridden[i])
            continue;
        memcpy((char *)c + d[i].off, (const char *)r->override + d[i].off, d[i].size);
    }
}

/* The value of parameter d in c as text: %.17g numbers (they read back exactly), strings
 * quoted. */
void vmitn_lua_param_text(const vmitn_param_desc *d, const vmitn_model_cfg *c, char *buf, size_t n)
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
        d = vmitn_lua_find_param(k, dot + 1, NULL);
    } else {
        d = vmitn_lua_find_param("", k, NULL);
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

