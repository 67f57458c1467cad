/* list.c — finding scenarios: a name or path to a scenario file (here, then the data
 * folder), "no such scenario" with the nearest name, and `vmitn list`. */
#include "vmitn/scenario_internal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "vmitn/paths.h"
#include "vmitn/suggest.h"

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
void vmitn_lua_dir_of(const char *path, char *buf, size_t n)
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
void vmitn_lua_no_scenario(const char *name)
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
        lua_State *L = vmitn_lua_new_state(1, &mem);
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
