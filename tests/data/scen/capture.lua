-- Writers under failure, for tests/cli/pcap.sh and hardening.sh: captures go in place with
-- the results or not at all, a finalizer still runs after run() returns, a scenario's
-- output is capped.  One short experiment "x" (FES hosts, so --pcap writes captures).
local function spin() local x = 0 while true do x = x + 1 end end
local function exp(p)
  vmitn.experiment("x", { duration = p.duration, worm = { local_bits = 8, near_bits = 10 }, smc = { learning = true } })
end
local cases = {
  ok = function(p) exp(p) end,
  fail = function(p) exp(p); error("failed after the experiment") end,
  spin = function(p) exp(p); spin() end,
  -- a finalizer busy when the scenario has returned (Lua runs finalizers without hooks:
  -- only the watchdog ends it); kept alive in a global until the state closes
  gc_spin = function(p) keep = setmetatable({}, { __gc = spin }); exp(p) end,
  big_text = function(p) vmitn.text("big", string.rep("x", p.mb * 1048576)) end,
  -- p.mb files of 1 MiB, then a table of 2 MiB
  many_texts = function(p)
    local mib = string.rep("x", 1048576)
    for i = 1, p.mb do vmitn.text("t" .. i, mib) end
    local rows, v = {}, string.rep("y", 63)
    for i = 1, 32768 do rows[i] = { v = v } end
    vmitn.table("rows", { "v" }, rows)
  end,
  learn_int = function(p) vmitn.learn(p.path, { lru_size = 1.5 }) end,
  topo = function(p) vmitn.experiment("x", { duration = p.duration, topology = p.path }) end,
  trace = function(p) vmitn.experiment("x", { duration = p.duration, legit = { trace = p.path } }) end,
  learn = function(p) vmitn.learn(p.path) end,
  learn_missing_ok = function(p) local r, why = vmitn.learn(p.path, { missing_ok = true }); vmitn.text("why", tostring(why)) end,
  include = function(p) vmitn.include(p.path) end,
  sweep = function(p) vmitn.sweep({ scenario = p.path, params = { duration = { 1 } }, runs = 1, jobs = 1 }) end,
}
return {
  name = "capture",
  about = "writers under failure, for tests",
  runs = 1,
  params = {
    case = { default = "ok", doc = "which behaviour" },
    duration = { default = 0.5, unit = "s", min = 0.1, max = 100, doc = "simulated time" },
    mb = { default = 1, min = 1, max = 2000, integer = true, doc = "MiB to write" },
    path = { default = "", doc = "a path to read" },
  },
  run = function(p) cases[p.case](p) end,
}
