/* lib_files.c — the files a scenario writes and reads itself: vmitn.text, vmitn.table
 * (CSV), vmitn.include; every name claimed once in the scenario's folder and all of them
 * together within VMITN_OUTPUT_LIMIT bytes. */
#include "vmitn/scenario_internal.h"

#include <math.h>
#include <stdlib.h>

#include "vmitn/paths.h"

/* Counts n more bytes of vmitn.text / vmitn.table output, or raises the limit's error. */
static void charge_output(lua_State *L, runner *r, const char *fn, const char *name, size_t n)
{
    if (n > VMITN_OUTPUT_LIMIT - r->written)
        lerror(L, "%s '%s': %zu bytes more would take the scenario's files past vmitn's limit of %zu MiB "
                  "(%zu bytes written so far)",
               fn, name, n, VMITN_OUTPUT_LIMIT >> 20, r->written);
    r->written += n;
}

/* Claims a file name in the scenario's folder; a second claim is an error. */
void vmitn_lua_claim(lua_State *L, runner *r, const char *name)
{
    if (strcmp(name, "meta") == 0)
        lerror(L, "'meta' is vmitn's own file in the scenario's folder: choose another name");
    for (size_t i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i], name) == 0)
            lerror(L, "'%s' is written twice by this scenario: choose another name", name);
    r->files = vmitn_xrealloc(r->files, (r->nfiles + 1) * sizeof *r->files);
    r->files[r->nfiles++] = vmitn_xstrdup(name);
}

/* Refuses a vmitn.table/vmitn.text file name that ends like an experiment's own file
 * (LABEL.KIND.csv, metrics.c and events.c): compare and the loaders read those by suffix. */
static void refuse_experiment_kind(lua_State *L, const char *fn, const char *name, const char *file)
{
    static const char *const kinds[] = {"curve", "runs", "summary", "rules", "handovers", "replay", "events"};
    size_t n = strlen(file);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char end[32];
        snprintf(end, sizeof end, ".%s.csv", kinds[i]);
        size_t m = strlen(end);
        if (n >= m && strcmp(file + n - m, end) == 0)
            lerror(L, "%s '%s': a name ending in '%.*s' is reserved for an experiment's own %s file: choose another name",
                   fn, name, (int)(m - (file != name ? 4 : 0)), end, kinds[i]);
    }
}

/* vmitn.text(filename, text): writes a text file (e.g. fitted values) in the scenario's folder. */
int vmitn_lua_text(lua_State *L)
{
    runner *r = get_runner(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_argcheck(L, safe_label(name), 1, "name: 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'");
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    if (r->mode != MODE_RUN) {
        refuse_experiment_kind(L, "vmitn.text", name, name);
        return 0;
    }
    vmitn_lua_claim(L, r, name); /* first: a clash with this scenario's experiment is told as such */
    refuse_experiment_kind(L, "vmitn.text", name, name);
    charge_output(L, r, "vmitn.text", name, len);
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", r->tmp, name);
    FILE *f = fopen(path, "w");
    bool ok = f != NULL && fwrite(text, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0)
        ok = false;
    if (!ok) {
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
        luaL_error(L, "%s: cannot write", path);
    }
    return 0;
}

/* Appends the cell at the top of the stack; returns false for a type CSV cannot hold. */
static bool buf_cell(lua_State *L, vmitn_buf *b)
{
    char num[64];
    switch (lua_type(L, -1)) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1))
            snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, -1));
        else if (isnan(lua_tonumber(L, -1)))
            snprintf(num, sizeof num, "NA");
        else
            snprintf(num, sizeof num, "%.6g", lua_tonumber(L, -1));
        vmitn_buf_puts(b, num);
        return true;
    case LUA_TNIL:
        vmitn_buf_puts(b, "NA");
        return true;
    case LUA_TBOOLEAN:
        vmitn_buf_puts(b, lua_toboolean(L, -1) ? "true" : "false");
        return true;
    case LUA_TSTRING: {
        const char *s = lua_tostring(L, -1);
        bool quote = strpbrk(s, ",\"\n") != NULL;
        if (quote)
            vmitn_buf_puts(b, "\"");
        for (; *s; s++)
            vmitn_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
        if (quote)
            vmitn_buf_puts(b, "\"");
        return true;
    }
    default:
        return false;
    }
}

/* vmitn.table(name, columns, rows): writes name.csv in the scenario's folder.  Each row
 * is a table keyed by column name; a missing cell is written NA. */
int vmitn_lua_table(lua_State *L)
{
    runner *r = get_runner(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_argcheck(L, safe_label(name), 1, "name: 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'");
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_Integer ncol = luaL_len(L, 2), nrow = luaL_len(L, 3);
    luaL_argcheck(L, ncol >= 1, 2, "at least one column");
    char fn[512];
    snprintf(fn, sizeof fn, "%s.csv", name);
    if (r->mode != MODE_RUN) {
        refuse_experiment_kind(L, "vmitn.table", name, fn);
        return 0; /* a sweep job writes no files */
    }
    vmitn_lua_claim(L, r, fn); /* first: a clash with this scenario's experiment is told as such */
    refuse_experiment_kind(L, "vmitn.table", name, fn);
    for (lua_Integer j = 1; j <= ncol; j++) {
        if (lua_geti(L, 2, j) != LUA_TSTRING)
            luaL_error(L, "vmitn.table '%s': column %d is not a string", name, (int)j);
        lua_pop(L, 1);
    }
    for (lua_Integer i = 1; i <= nrow; i++) {
        if (lua_geti(L, 3, i) != LUA_TTABLE)
            luaL_error(L, "vmitn.table '%s': row %d is not a table", name, (int)i);
        lua_pop(L, 1);
    }
    vmitn_buf b = {0}; /* not a luaL_Buffer: on the Lua stack, it would shift the indices used below */
    for (lua_Integer j = 1; j <= ncol; j++) {
        lua_geti(L, 2, j);
        if (j > 1)
            vmitn_buf_puts(&b, ",");
        char *cell = vmitn_csv_cell(lua_tostring(L, -1));
        vmitn_buf_puts(&b, cell);
        free(cell);
        lua_pop(L, 1);
    }
    vmitn_buf_puts(&b, "\n");
    for (lua_Integer i = 1; i <= nrow; i++) {
        lua_geti(L, 3, i);
        for (lua_Integer j = 1; j <= ncol; j++) {
            lua_geti(L, 2, j);
            lua_gettable(L, -2);
            if (j > 1)
                vmitn_buf_puts(&b, ",");
            if (!buf_cell(L, &b)) {
                vmitn_buf_free(&b);
                lua_geti(L, 2, j);
                luaL_error(L, "vmitn.table '%s': row %d, column %s: a %s cannot go in a CSV cell", name, (int)i,
                           lua_tostring(L, -1), luaL_typename(L, -2));
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        vmitn_buf_puts(&b, "\n");
        if (b.n > VMITN_OUTPUT_LIMIT - r->written) { /* before the text takes more memory */
            size_t n = b.n;
            vmitn_buf_free(&b);
            charge_output(L, r, "vmitn.table", name, n);
        }
    }
    charge_output(L, r, "vmitn.table", name, b.n); /* within the limit: checked row by row */
    char path[8192];
    snprintf(path, sizeof path, "%s/%s.csv", r->tmp, name);
    FILE *f = fopen(path, "w");
    bool ok = f != NULL && fwrite(b.p, 1, b.n, f) == b.n;
    if (f != NULL && fclose(f) != 0)
        ok = false;
    vmitn_buf_free(&b);
    if (!ok) {
        lua_pushfstring(L, "%s: cannot write", path);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
        luaL_error(L, "%s: cannot write", path);
    }
    return 0;
}

/* vmitn.include(name): runs scenarios/<name>.lua (beside the scenario) and returns its value. */
int vmitn_lua_include(lua_State *L)
{
    runner *r = get_runner(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_argcheck(L, safe_label(name), 1, "a file name beside the scenario");
    /* beside the scenario, then in the data folder's scenarios/ */
    char file[600], dir[4096];
    snprintf(file, sizeof file, "%s.lua", name);
    vmitn_dir_of(r->path, dir, sizeof dir);
    const char *dirs[] = {dir};
    char *found = vmitn_find_file(file, dirs, 1, "scenarios");
    char path[4700];
    snprintf(path, sizeof path, "%s", found ? found : file);
    if (found == NULL)
        snprintf(path, sizeof path, "%s/%s", dir, file); /* the error names where it looked first */
    free(found);
    if (!readable_file(path)) {
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
        return luaL_error(L, "cannot open %s: " UNREADABLE, path);
    }
    int st = luaL_loadfilex(L, path, "t");
    if (st == LUA_ERRFILE) {
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "vmitn.io_error");
    }
    if (st != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, 1);
    return 1;
}
