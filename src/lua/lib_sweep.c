/* lib_sweep.c — vmitn.sweep: a sweep (sweep.h) of another scenario run from inside this
 * one, into a folder of this scenario's results; its points.csv comes back as a table. */
#include "vmitn/scenario_internal.h"

#include <stdlib.h>

#include "vmitn/sweep.h"

/* vmitn.sweep{scenario = NAME, params = {name = "LIST" or {values}}, runs = N, jobs = J,
 * label = FOLDER} -> array of points.csv rows (tables keyed by column; NA is nil).  The
 * sweep's files go to FOLDER in this scenario's output folder. */
int vmitn_lua_sweep(lua_State *L)
{
    runner *r = get_runner(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    if (r->mode == MODE_JOB)
        luaL_error(L, "vmitn.sweep cannot run inside a sweep job");
    if (r->sweeper == NULL || r->o == NULL) /* `vmitn list` loads the file, runs nothing */
        luaL_error(L, "vmitn.sweep runs only from a scenario's run function");
    lua_getfield(L, 1, "scenario");
    const char *scen = luaL_checkstring(L, -1);
    if (strchr(scen, '/') != NULL && !readable_file(scen)) /* a path, not a name in scenarios/ */
        lerror(L, "vmitn.sweep: %s: " UNREADABLE, scen);
    lua_getfield(L, 1, "label");
    const char *label = luaL_optstring(L, -1, "sweep");
    luaL_argcheck(L, safe_label(label), 1, "label: 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'");
    lua_getfield(L, 1, "runs");
    lua_Integer runs = luaL_optinteger(L, -1, (lua_Integer)r->runs);
    lua_getfield(L, 1, "jobs");
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    lua_Integer jobs = luaL_optinteger(L, -1, ncpu > 0 ? ncpu : 1);
    luaL_argcheck(L, runs >= 1 && runs <= 100000 && jobs >= 1 && jobs <= 4096, 1, "runs in [1, 100000], jobs in [1, 4096]");
    lua_pop(L, 2); /* the scenario and label strings stay on the stack: they must live until the sweep ends */
    if (r->mode != MODE_RUN) {
        lua_newtable(L);
        return 1;
    }
    vmitn_lua_claim(L, r, label);
    /* "name=v1,v2" strings, names sorted (pairs is sorted in the sandbox; here we sort) */
    lua_getfield(L, 1, "params");
    luaL_checktype(L, -1, LUA_TTABLE);
    int params = lua_gettop(L);
    lua_newtable(L);
    int list = lua_gettop(L);
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, params) != 0) {
        int v = lua_gettop(L);
        if (lua_type(L, v - 1) != LUA_TSTRING)
            luaL_error(L, "vmitn.sweep: params keys must be names");
        vmitn_buf sb = {0};
        vmitn_buf_puts(&sb, lua_tostring(L, v - 1));
        vmitn_buf_puts(&sb, "=");
        if (lua_type(L, v) == LUA_TTABLE) {
            lua_Integer m = luaL_len(L, v);
            for (lua_Integer i = 1; i <= m; i++) {
                lua_geti(L, v, i);
                if (i > 1)
                    vmitn_buf_puts(&sb, ",");
                vmitn_buf_puts(&sb, luaL_tolstring(L, -1, NULL));
                lua_pop(L, 2);
            }
        } else {
            vmitn_buf_puts(&sb, luaL_tolstring(L, v, NULL));
            lua_pop(L, 1);
        }
        lua_pushstring(L, sb.p ? sb.p : "");
        vmitn_buf_free(&sb);
        lua_rawseti(L, list, ++n);
        lua_settop(L, v - 1); /* keep the key for lua_next */
    }
    const char **set = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *set, 0);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, list, i + 1);
        set[i] = lua_tostring(L, -1); /* kept alive by `list` */
        lua_pop(L, 1);
    }
    for (int i = 1; i < n; i++) /* sorted, so the sweep's spec does not depend on hashing */
        for (int j = i; j > 0 && strcmp(set[j - 1], set[j]) > 0; j--) {
            const char *t = set[j];
            set[j] = set[j - 1];
            set[j - 1] = t;
        }
    char dir[8192];
    snprintf(dir, sizeof dir, "%s/%s", r->tmp, label);
    vmitn_sweep_opts so = {.runner = r->sweeper, .scenario = scen, .set = set, .nset = (unsigned)n, .runs = (unsigned)runs,
                           .jobs = (unsigned)jobs, .seed = r->o->seed, .out = dir, .quiet = true};
    fflush(NULL);
    int rc = vmitn_sweep(&so);
    if (rc != VMITN_EXIT_OK)
        luaL_error(L, "vmitn.sweep of '%s' failed (see above)", scen);
    /* read points.csv back */
    char path[8300];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        luaL_error(L, "%s: cannot read", path);
    char *line = NULL, *head = NULL;
    size_t cap = 0;
    ssize_t len;
    char *hf[1024], *vf[1024];
    int nh = 0, row = 0;
    lua_newtable(L);
    while ((len = getline(&line, &cap, f)) > 0) {
        if (head == NULL) {
            head = vmitn_xstrdup(line);
            nh = vmitn_csv_split(head, hf, 1024);
            continue;
        }
        int nv = vmitn_csv_split(line, vf, 1024);
        lua_createtable(L, 0, nh);
        for (int i = 0; i < nh && i < nv; i++) {
            if (strcmp(vf[i], "NA") == 0)
                continue;
            if (lua_stringtonumber(L, vf[i]) == 0)
                lua_pushstring(L, vf[i]);
            lua_setfield(L, -2, hf[i]);
        }
        lua_rawseti(L, -2, ++row);
    }
    free(line);
    free(head);
    fclose(f);
    return 1;
}
