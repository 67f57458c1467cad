/* scenario_params.c — a scenario's own parameters (its params table): the declarations
 * read and checked, -p NAME=VALUE converted to their types and ranges, two -p for one
 * parameter refused, and the table p that run(p) gets; their values go to meta as
 * param.NAME and the model overrides as model.SECTION.NAME. */
#include "vmitn/scenario_internal.h"

#include <math.h>
#include <stdlib.h>

#include "vmitn/suggest.h"

/* Pushes a sorted array of the scenario's parameter names. */
int vmitn_lua_sorted_params(lua_State *L, int scen)
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

int vmitn_lua_read_spec(lua_State *L, const char *path, const char *name, pspec *s)
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
    s->unit = vmitn_lua_field_str(L, spec, "unit", "");
    s->doc = vmitn_lua_field_str(L, spec, "doc", "");
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
int vmitn_lua_build_params(lua_State *L, runner *r, int scen, FILE *meta)
{
    const char *path = r->path;
    int n = vmitn_lua_sorted_params(L, scen);
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
        if (vmitn_lua_read_spec(L, path, name, &s) < 0) {
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
            d = vmitn_lua_find_param(key, dot + 1, &idx);
            *dot = '.';
        } else {
            d = vmitn_lua_find_param("", key, &idx);
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
                vmitn_lua_full_name(&pd[i], fn, sizeof fn);
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
