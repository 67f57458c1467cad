/* sandbox.c — the Lua state a scenario runs in (docs/SECURITY.md): base, table, string,
 * math and utf8 only; math.random seeded from the run's seed; pairs() in sorted order; no
 * binary chunks (load is text-only, string.dump is gone: Lua does not verify bytecode); at
 * most VMITN_LUA_MEMORY bytes of Lua values (limited_alloc); an instruction-count hook that
 * raises "interrupted" after Ctrl-C or past --max-instructions; pcall/xpcall that cannot
 * catch an interrupt or the memory limit.  Also loading a scenario file and printing its
 * errors. */
#include "vmitn/scenario_internal.h"

#include <lualib.h>
#include <stdlib.h>

#include "vmitn/rng.h"

const char vmitn_lua_runner_key = 'r';

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    lmem *m = ud;
    if (ptr == NULL)
        osize = 0; /* osize then encodes the type of the new object */
    if (nsize == 0) {
        free(ptr);
        m->used -= osize;
        return NULL;
    }
    if (nsize > osize && nsize - osize > m->limit - m->used) {
        m->hit = true;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p != NULL)
        m->used = m->used - osize + nsize;
    return p;
}

/* Prints a scenario's error: the limit's own message for the memory limit. */
void vmitn_lua_print_error(lua_State *L, const char *path, const char *msg)
{
    if (msg == NULL)
        msg = "(an error object that is not a string)";
    if (strcmp(msg, "not enough memory") != 0) {
        fprintf(stderr, "vmitn: %s\n", msg);
        return;
    }
    void *ud;
    lua_getallocf(L, &ud);
    const lmem *m = ud;
    if (m->hit)
        fprintf(stderr, "vmitn: %s: out of memory: the scenario's Lua values reached vmitn's limit of %zu MiB\n", path,
                m->limit >> 20);
    else
        fprintf(stderr, "vmitn: %s: out of memory: the machine has no more for the scenario's Lua values\n", path);
}

void vmitn_lua_interrupt_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    check_interrupt(L);
    runner *r = get_runner(L);
    if (r != NULL && r->o != NULL && r->o->max_instructions > 0 && ++r->hooks * HOOK_EVERY > r->o->max_instructions) {
        /* in a hook, level 0 is the scenario's own function (luaL_error would name level 1) */
        char msg[96];
        snprintf(msg, sizeof msg, "more than %llu Lua instructions", (unsigned long long)r->o->max_instructions);
        luaL_where(L, 0);
        lua_pushstring(L, msg);
        lua_concat(L, 2);
        lua_error(L);
    }
}

/* "name.lua:12: ..." or "[string \"...\"]:3: ...": a message that says where it was raised */
static bool has_position(const char *msg)
{
    const char *c = strchr(msg, ':');
    if (c == NULL || c == msg)
        return false;
    const char *d = c + 1;
    while (*d >= '0' && *d <= '9')
        d++;
    return d > c + 1 && *d == ':';
}

/* The message handler: the message with a traceback, except for a message a scenario
 * raised on purpose with error(msg, 0), which names what is wrong itself (a parameter
 * out of range, say): no position, raised by `error` itself. */
int vmitn_lua_traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL)
        msg = luaL_tolstring(L, 1, NULL);
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sn", &ar) && strcmp(ar.what, "C") == 0 && ar.name != NULL &&
        strcmp(ar.name, "error") == 0 && !has_position(msg)) {
        lua_pushstring(L, msg);
        return 1;
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* pcall and xpcall, except that an interrupt or running out of memory cannot be
 * caught: they end the scenario, whatever it does with errors. */
static int sandbox_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1)); /* Lua's own pcall or xpcall */
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    if (!lua_toboolean(L, 1)) {
        check_interrupt(L);
        if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "not enough memory") == 0) {
            lua_settop(L, 2); /* Lua's memory error carries no position: rethrow it as is */
            return lua_error(L);
        }
    }
    return lua_gettop(L);
}

/* load, text chunks only: Lua 5.4 runs bytecode unverified, so a forged binary chunk
 * reads and writes memory at will. */
static int sandbox_load(lua_State *L)
{
    if (lua_gettop(L) < 3)
        lua_settop(L, 3);
    lua_pushliteral(L, "t");
    lua_replace(L, 3); /* the 4th argument (env) stays absent or present as given */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int lua_panic_fn(lua_State *L)
{
    vmitn_panic(__FILE__, __LINE__, lua_tostring(L, -1) ? lua_tostring(L, -1) : "Lua panic");
}

lua_State *vmitn_lua_new_state(uint64_t seed, lmem *mem)
{
    *mem = (lmem){.limit = VMITN_LUA_MEMORY};
    lua_State *L = lua_newstate(limited_alloc, mem);
    if (L == NULL)
        vmitn_panic(__FILE__, __LINE__, "lua_newstate");
    lua_atpanic(L, lua_panic_fn);
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    /* base functions that reach the file system go, and so does bytecode */
    static const char *const gone[] = {"dofile", "loadfile", NULL};
    for (int i = 0; gone[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, gone[i]);
    }
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    static const struct { const char *name; lua_CFunction fn; } wrapped[] = {
        {"load", sandbox_load}, {"pcall", sandbox_pcall}, {"xpcall", sandbox_pcall}};
    for (size_t i = 0; i < sizeof wrapped / sizeof wrapped[0]; i++) {
        lua_getglobal(L, wrapped[i].name);
        lua_pushcclosure(L, wrapped[i].fn, 1);
        lua_setglobal(L, wrapped[i].name);
    }
    /* math.random draws from the run's seed, never the clock */
    uint64_t s = vmitn_seed_mix(seed, 0, VMITN_STREAM(VMITN_STREAM_LUA, 0));
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)(s >> 1));
    lua_pushinteger(L, (lua_Integer)(s & 0xffff));
    lua_call(L, 2, 0);
    lua_pop(L, 1);
    /* Lua seeds its string hashes from the clock and addresses, so pairs() would visit
     * keys in another order in every process: scenarios get a pairs() that visits keys
     * sorted (numbers, then strings), which keeps same seed -> same files. */
    static const char sorted_pairs[] =
        "local next, type, sort, tostring, getmetatable = next, type, table.sort, tostring, getmetatable\n"
        "local function before(a, b)\n"
        "  local ta, tb = type(a), type(b)\n"
        "  if ta ~= tb then return ta < tb end\n"
        "  if ta == 'number' or ta == 'string' then return a < b end\n"
        "  return tostring(a) < tostring(b)\n"
        "end\n"
        "pairs = function(t)\n"
        "  local mt = getmetatable(t)\n"
        "  if mt and mt.__pairs then return mt.__pairs(t) end\n"
        "  local keys = {}\n"
        "  for k in next, t do keys[#keys + 1] = k end\n"
        "  sort(keys, before)\n"
        "  local i = 0\n"
        "  return function() i = i + 1; local k = keys[i]; if k ~= nil then return k, t[k] end end, t, nil\n"
        "end\n";
    if (luaL_loadbufferx(L, sorted_pairs, sizeof sorted_pairs - 1, "=vmitn", "t") != LUA_OK)
        vmitn_panic(__FILE__, __LINE__, "sorted pairs");
    lua_call(L, 0, 0);
    return L;
}

/* Loads a scenario file and leaves its table on the stack.  On error prints and returns -1. */
int vmitn_lua_load_scenario(lua_State *L, const char *path)
{
    lua_pushcfunction(L, vmitn_lua_traceback);
    int base = lua_gettop(L);
    if (luaL_loadfilex(L, path, "t") != LUA_OK) {
        fprintf(stderr, "vmitn: %s\n", lua_tostring(L, -1));
        return -1;
    }
    if (lua_pcall(L, 0, 1, base) != LUA_OK) {
        if (!vmitn_interrupted())
            vmitn_lua_print_error(L, path, lua_tostring(L, -1));
        return -1;
    }
    lua_remove(L, base);
    if (!lua_istable(L, -1)) {
        fprintf(stderr, "vmitn: %s: a scenario must return a table {name = ..., run = function(p) ... end}\n", path);
        return -1;
    }
    return 0;
}

const char *vmitn_lua_field_str(lua_State *L, int idx, const char *k, const char *dflt)
{
    lua_getfield(L, idx, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : dflt;
    lua_pop(L, 1); /* the string stays alive: it is referenced by the scenario table */
    return s;
}
