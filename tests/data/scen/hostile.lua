-- Hostile scenarios for tests/cli/hardening.sh: each case tries to get around the sandbox,
-- the interrupt, the memory limit or the limits on work and file names.
local function spin() local x = 0 while true do x = x + 1 end end

local cases = {
  ok = function() vmitn.text("good", "kept") end,
  -- a binary chunk through load, as a string and through a reader function
  load_binary = function() return load("\27Lua\84\0", "=b", "b") or error((select(2, load("\27Lua\84\0", "=b", "b")))) end,
  load_reader = function()
    local parts = { "\27Lua", "\84\0" }
    local f, e = load(function() return table.remove(parts, 1) end)
    error(e)
  end,
  -- long work that Ctrl-C must stop within a second
  spin = function() vmitn.text("partial", "x"); spin() end,
  pcall_spin = function() vmitn.text("partial", "x"); while true do pcall(spin) end end,
  swallow = function()
    local ok = pcall(spin)              -- catches the interrupt, were it an ordinary error
    vmitn.text("swallowed", tostring(ok))
  end,
  pattern = function()                  -- backtracking that takes longer than anyone waits
    vmitn.text("partial", "x")
    return (string.rep("a", 5000)):find(string.rep("a-", 30) .. "b")
  end,
  model = function()                    -- one C model run of hours
    vmitn.text("partial", "x")
    vmitn.experiment("long", { duration = 1e4, worm = { rate = 1e5 }, fes = { handover = false },
                               smc = { learning = false } }, 1)
  end,
  -- memory: the limit ends the scenario, pcall or not
  memory = function() local t = {} for i = 1, 1e6 do t[i] = string.rep("x", 1 << 20) end end,
  memory_pcall = function()
    for _ = 1, 3 do pcall(function() local t = {} for i = 1, 1e6 do t[i] = string.rep("x", 1 << 20) end end) end
    vmitn.text("survived", "x")
  end,
  -- work and times that would overflow or take years
  absurd = function() vmitn.experiment("absurd", { duration = 1e6, worm = { rate = 1e7 } }, 1) end,
  inject = function() vmitn.experiment("late", { inject = { { host = "L1-1", t = 1e10 } } }, 1) end,
  -- names that would leave the output folder
  text_path = function() vmitn.text("../evil", "x") end,
  label_path = function() vmitn.experiment("../evil", {}, 1) end,
  -- values that need escaping in CSV headers
  csv = function()
    vmitn.table("t", { "a,b", 'q"x', "plain" }, { { ["a,b"] = 1, ['q"x'] = 2, plain = 3 } })
  end,
}

return {
  name = "hostile",
  runs = 1,
  params = { case = { default = "ok", doc = "which hostile behaviour" }, note = { default = "", doc = "a value for meta" } },
  run = function(p) cases[p.case]() end,
}
