-- A small scenario for the CLI tests: one short experiment with every defence on.
return {
  name = "tiny",
  about = "one short run, for tests",
  runs = 2,
  params = {
    duration = { default = 2, unit = "s", min = 0.5, max = 100, doc = "simulated time" },
    mode = { default = "both", doc = "a string parameter" },
    flag = { default = true, doc = "a boolean parameter" },
    count = { default = 3, min = 1, max = 10, integer = true, doc = "an integer parameter" },
  },
  run = function(p)
    vmitn.experiment("x", { duration = p.duration, worm = { local_bits = 8, near_bits = 10 },
                           fes = { handover = true }, smc = { learning = true } })
    vmitn.table("params", { "mode", "flag", "count" }, { { mode = p.mode, flag = p.flag, count = p.count } })
  end,
}
