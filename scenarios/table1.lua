-- Paper Table 1: the steps from an intrusion to the backup guest serving.  Each FES
-- host's guest is infected every `spacing` seconds (no worm spreads: the infection is
-- injected), so every run yields many hand-overs; each step's measured mean, SD and
-- 95 % CI stand beside the paper's figure.
local common = vmitn.include("common")

return {
  name = "table1",
  about = "Detection and Rapid Hand Over timeline (paper Table 1)",
  runs = 20,
  params = {
    per_host = { default = 10, min = 1, max = 10, unit = "infections", doc = "injected infections per host per run" },
    spacing = { default = 150, min = 1, max = 3600, unit = "s", doc = "time between two infections of a host (longer than the offline cleaning, so a backup is ready)" },
  },
  run = function(p)
    local hosts = { "L1-1", "L1-2", "L2-1", "L2-2", "L3-1", "L4-1" }
    local inject = {}
    for k = 0, p.per_host - 1 do
      for i, h in ipairs(hosts) do
        inject[#inject + 1] = { host = h, t = 1 + k * p.spacing + (i - 1) * 0.5 }
      end
    end
    local r = vmitn.experiment("handover", common.model({
      duration = p.per_host * p.spacing + 10,
      grid = 1,
      worm = { enabled = false },
      fes = { handover = true },
      inject = inject,
    }))
    local rows = {
      { "handover.alarm", "Sensor alarm intrusion happened", 91 },
      { "handover.report", "SPY reported to AGENT", 867 },
      { "handover.forward", "AGENT forward to SMC", 300 },
      { "handover.display", "Display alarm in SMC GUI", 49 },
      { "handover.mount", "Mount virtual disk", 471 },
      { "handover.unmount", "Un-mount disk", 268 },
      { "handover.interrupt", "Total (service interrupt)", 2046 },
    }
    local out = {}
    for i, row in ipairs(rows) do
      local s = r[row[1]]
      out[i] = { step = row[2], paper_ms = row[3], mean_ms = s.mean * 1000, sd_ms = s.sd * 1000,
                 ci95_lo_ms = s.lo * 1000, ci95_hi_ms = s.hi * 1000, min_ms = s.min * 1000,
                 max_ms = s.max * 1000, n = s.n }
      local ms = { n = s.n, mean = s.mean * 1000, lo = s.lo * 1000, hi = s.hi * 1000,
                   min = s.min * 1000, max = s.max * 1000 }
      common.compare("Table 1", row[2], tostring(row[3]), ms, "calibration", "ms")
    end
    vmitn.table("table1", { "step", "paper_ms", "mean_ms", "sd_ms", "ci95_lo_ms", "ci95_hi_ms",
                            "min_ms", "max_ms", "n" }, out)
    common.write_compare()
  end,
}
