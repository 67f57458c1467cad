local t = setmetatable({}, { __index = function(_, k) return k end, __gc = function() end })
local ok, e = pcall(error, { t })
return {
  name = "small", runs = 1,
  params = { d = { default = 1, min = 0.5, max = 5 } },
  run = function(p)
    local r = vmitn.measure({ duration = p.d, worm = { local_bits = 8, near_bits = 10 }, smc = { learning = true },
                              inject = { { host = "L2-1", t = 0.5 } } }, 1)
    vmitn.experiment("x", { duration = p.d, topology = "generate:2:2:2", worm = { start_host = "L1-1" } })
    vmitn.table("t", { "a" }, { { a = r.infections.mean } })
    local f = load("return 1 + 1")
    vmitn.log(tostring(f()) .. utf8.char(72) .. string.format("%5.2f", math.random()))
  end,
}
