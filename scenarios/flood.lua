-- One point of paper Fig 9: a TFN2K flood from L1-1 at `rate` packets/s with the pattern
-- learner at `theta`.  The whole figure as a sweep on every core:
--   vmitn sweep flood -p theta=100,200,300 -p rate=50,100,150,200,250,300,400,600,800,1000,1500,2000 --runs 20
-- gives the same numbers as scenarios/fig9.lua (same model, same streams per run).
local common = vmitn.include("common")

return {
  name = "flood",
  about = "TFN2K flood from L1-1, learning time at one rate and theta (one point of Fig 9)",
  runs = 20,
  params = {
    duration = { default = 20, unit = "s", min = 1, max = 3600, doc = "simulated time per run" },
    theta = { default = 100, unit = "packets", min = 1, max = 1e6, doc = "stage-2 threshold" },
    rate = { default = 200, unit = "packets/s", min = 1, max = 1e6, doc = "flood rate" },
  },
  run = function(p)
    vmitn.experiment(string.format("theta%g_rate%g", p.theta, p.rate), common.model({
      duration = p.duration,
      worm = { enabled = false },
      flood = { enabled = true, host = "L1-1", rate = p.rate, start = 0 },
      smc = { learning = true, theta = p.theta },
    }))
  end,
}
