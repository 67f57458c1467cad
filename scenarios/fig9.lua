-- Paper Fig 9: learning time of the pattern learner against the attack rate of a TFN2K
-- flood from L1-1 to the other hosts, for theta = 100, 200, 300.  Learning time: from
-- the flood's start until a block rule is active on every AGENT.
local common = vmitn.include("common")

return {
  name = "fig9",
  about = "Learning time vs TFN2K attack rate for theta = 100, 200, 300 (paper Fig 9)",
  runs = 20,
  params = {
    duration = { default = 20, unit = "s", min = 1, max = 3600, doc = "simulated time per run" },
    thetas = { default = "100,200,300", doc = "comma-separated theta values" },
    rates = { default = "50,100,150,200,250,300,400,600,800,1000,1500,2000",
              doc = "comma-separated flood rates (packets/s)" },
  },
  run = function(p)
    local function list(s)
      local t = {}
      for v in s:gmatch("[^,]+") do
        local n = tonumber(v)
        if n == nil or n <= 0 then error("not a positive number in a list: '" .. v .. "'", 0) end
        t[#t + 1] = n
      end
      return t
    end
    local rows = {}
    local at = {}
    for _, theta in ipairs(list(p.thetas)) do
      at[theta] = {}
      for _, rate in ipairs(list(p.rates)) do
        local r = vmitn.experiment(string.format("theta%d_rate%d", theta, rate), common.model({
          duration = p.duration,
          worm = { enabled = false },
          flood = { enabled = true, host = "L1-1", rate = rate, start = 0 },
          smc = { learning = true, theta = theta },
        }))
        local s = r.learning_time
        at[theta][rate] = s
        rows[#rows + 1] = { theta = theta, rate = rate, mean = s.mean, ci95_lo = s.lo, ci95_hi = s.hi,
                            min = s.min, max = s.max, learned = s.n, not_learned = s.missing,
                            legit_blocked = r.legit_blocked.mean }
      end
    end
    vmitn.table("fig9", { "theta", "rate", "mean", "ci95_lo", "ci95_hi", "min", "max", "learned",
                          "not_learned", "legit_blocked" }, rows)
    -- the paper's claims, at the rates it names
    if at[100] and at[100][200] then
      common.compare("Fig 9", "theta 100, 200 packets/s: learning time", "< 3", at[100][200], "calibration", "s")
    end
    for _, theta in ipairs({ 100, 200, 300 }) do
      if at[theta] and at[theta][1000] then
        common.compare("Fig 9", string.format("theta %d, 1000 packets/s: learning time (grows with theta)", theta),
                       "grows with theta", at[theta][1000], "calibration", "s")
      end
    end
    common.write_compare()
  end,
}
