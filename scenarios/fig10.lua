-- Paper Fig 10: Code Red launched at L1-1 on the Fig 8 testbed, 20 runs of 20 s,
-- without countermeasures (the paper's average curve) and with Rapid Hand Over (the
-- paper's worst case of 20).
local common = vmitn.include("common")

return {
  name = "fig10",
  about = "Code Red: no countermeasure vs Rapid Hand Over (paper Fig 10)",
  runs = 20,
  params = {
    duration = { default = 20, unit = "s", min = 1, max = 3600, doc = "simulated time per run" },
    rate = { default = 1826, unit = "scans/s", min = 1, max = 1e6, doc = "Code Red scan rate" },
  },
  run = function(p)
    local base = { duration = p.duration, worm = { rate = p.rate } }
    local none = vmitn.experiment("none", common.model(base))
    local ho = vmitn.experiment("handover", common.model(base, { fes = { handover = true } }))
    common.compare("Fig 10", "no countermeasure: time until all 6 hosts are infected", "< 6",
                   none.time_all_infected, "calibration", "s")
    common.compare("Fig 10", "hand-over: peak infected hosts, worst of 20 runs", "<= 4",
                   ho.peak_infected, "calibration", "hosts", ho.peak_infected.max)
    common.compare("Fig 10", "hand-over: time until the worm is cleaned", "7.8",
                   ho.time_cleaned, "calibration", "s")
    common.write_compare()
  end,
}
