/* list.c — `vmitn list`: the scenarios of a folder with their parameters, and `list
 * --model`: the model parameters in effect with a calibrated.lua. */
#include "vmitn/scenario_internal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "vmitn/paths.h"
#include "vmitn/suggest.h"

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
        lua_State *L = vmitn_lua_open(1, &mem);
        runner r = {0};
        lua_pushlightuserdata(L, &r);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &vmitn_lua_runner_key);
        r.path = path;
        if (vmitn_lua_load_scenario(L, path) == 0) {
            int scen = lua_gettop(L);
            const char *name = vmitn_lua_field_str(L, scen, "name", NULL);
            if (name != NULL) {
                fprintf(out, "%s  (%s)\n  %s\n", name, path, vmitn_lua_field_str(L, scen, "about", ""));
                int np = vmitn_lua_sorted_params(L, scen);
                int params = lua_gettop(L) - 1;
                for (int k = 1; k <= np; k++) {
                    lua_rawgeti(L, params + 1, k);
                    const char *pn = lua_tostring(L, -1);
                    lua_getfield(L, params, pn);
                    pspec s;
                    if (vmitn_lua_read_spec(L, path, pn, &s) == 0) {
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

static int read_model_body(lua_State *L)
{
    vmitn_model_cfg *c = lua_touserdata(L, 1);
    lua_settop(L, 2);
    vmitn_lua_read_section(L, c, "");
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
            vmitn_lua_no_scenario(calibrated);
            return VMITN_EXIT_IO;
        }
        /* the file returns a model table, or the calibration's {model = ...}, as
         * common.model() starts from */
        lmem mem;
        lua_State *L = vmitn_lua_open(1, &mem);
        runner r = {.path = path};
        lua_pushlightuserdata(L, &r);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &vmitn_lua_runner_key);
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
        vmitn_lua_param_text(&d[i], &c, val, sizeof val);
        if (d[i].kind == VMITN_P_NUM) /* %g for reading; meta has the exact %.17g */
            snprintf(val, sizeof val, "%g", *(const double *)((const char *)&c + d[i].off));
        vmitn_lua_param_text(&d[i], &dflt, was, sizeof was);
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
