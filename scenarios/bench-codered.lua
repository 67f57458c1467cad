-- The fixed Code Red workload of the speed comparisons (issue 14): the six FES hosts of
-- the Fig 8 testbed infected at t = 0 and scanning at once at 1,826 scans/s, no
-- countermeasure, 20 runs of 20 s: 6 x 1,826 x 20 x 20 = 4.38 million scans, at packet
-- level and through the exact fast path (worm.fast).  Nothing can change the model's
-- state (every host is infected, nothing cures one), so the work is the scans alone, the
-- same in every simulator: ns-3 ran it for the comparison.  The runs' `events` column
-- (LABEL.runs.csv) and `scans_sent` count the work without a clock;
-- scripts/bench-codered.sh times it.
local common = vmitn.include("common")

return {
  name = "bench-codered",
  about = "benchmark: 6 hosts scanning from t = 0, 20 runs x 20 s, packet level and fast path",
  runs = 20,
  params = {
    path = { default = "both", doc = "packet, fast or both" },
    duration = { default = 20, unit = "s", min = 1, max = 3600, doc = "simulated time per run" },
  },
  run = function(p)
    if p.path ~= "packet" and p.path ~= "fast" and p.path ~= "both" then
      error("parameter 'path': '" .. p.path .. "' is not packet, fast or both")
    end
    local inject = {}
    for _, h in ipairs({ "L1-1", "L1-2", "L2-1", "L2-2", "L3-1", "L4-1" }) do
      inject[#inject + 1] = { host = h, t = 0 }
    end
    local base = {
      duration = p.duration,
      worm = { rate = 1826, activation = 0, launch_startup = 0 },
      fes = { handover = false, spy = false },
      smc = { learning = false },
      inject = inject,
    }
    local rows = {}
    for _, path in ipairs({ "packet", "fast" }) do
      if p.path == "both" or p.path == path then
        local r = vmitn.experiment(path, common.model(base, { worm = { fast = path == "fast" } }))
        rows[#rows + 1] = { path = path, runs = r.scans_sent.n, scans = r.scans_sent.mean * r.scans_sent.n }
      end
    end
    vmitn.table("work", { "path", "runs", "scans" }, rows)
  end,
}
