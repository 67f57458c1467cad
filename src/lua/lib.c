/* lib.c — the `vmitn` module a scenario sees: one row per binding (as Lua's linit.c), the
 * bindings themselves in lib_*.c (vmitn.experiment runs its model through simulate.c). */
#include "vmitn/scenario_internal.h"

#include "vmitn/version.h"

static const luaL_Reg vmitn_lib[] = {
    {"experiment", vmitn_lua_experiment},
    {"measure", vmitn_lua_measure},
    {"text", vmitn_lua_text},
    {"table", vmitn_lua_table},
    {"include", vmitn_lua_include},
    {"log", vmitn_lua_log},
    {"fit_logistic", vmitn_lua_fit_logistic},
    {"si_ode", vmitn_lua_si_ode},
    {"sweep", vmitn_lua_sweep},
    {"minimize", vmitn_lua_minimize},
    {"pnorm", vmitn_lua_pnorm},
    {"ci95", vmitn_lua_ci95},
    {"learn", vmitn_lua_learn},
    {NULL, NULL}};

void vmitn_lua_open_lib(lua_State *L)
{
    luaL_newlib(L, vmitn_lib);
    lua_pushstring(L, VMITN_VERSION);
    lua_setfield(L, -2, "version");
    lua_setglobal(L, "vmitn");
}

lua_State *vmitn_lua_open(uint64_t seed, lmem *mem)
{
    lua_State *L = vmitn_lua_new_state(seed, mem);
    vmitn_lua_open_lib(L);
    return L;
}
