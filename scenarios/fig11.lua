-- Paper Fig 11: Code Red with Attack Pattern Learning alone (no hand-over), 20 runs.
local common = vmitn.include("common")

return {
  name = "fig11",
  about = "Code Red with Attack Pattern Learning only (paper Fig 11)",
  runs = 20,
  params = {
    duration = { default = 20, unit = "s", min = 1, max = 3600, doc = "simulated time per run" },
    theta = { default = 100, unit = "packets", min = 1, max = 1e6, doc = "stage-2 threshold" },
    lambda = { default = 10, unit = "packets", min = 1, max = 1e6, doc = "stage-1 threshold" },
  },
  run = function(p)
    local r = vmitn.experiment("learning", common.model({
      duration = p.duration,
      smc = { learning = true, theta = p.theta, lambda = p.lambda },
    }))
    common.compare("Fig 11", "learning time (pattern active on every AGENT)", "3.7", r.learning_time,
                   "calibration", "s")
    common.compare("Fig 11", "hosts attacked, worst of 20 runs", "<= 4", r.hosts_attacked, "calibration",
                   "hosts", r.hosts_attacked.max)
    common.write_compare()
  end,
}
