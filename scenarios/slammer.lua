-- SQL Slammer, 25 January 2003: about 75,000 vulnerable hosts, one UDP packet to port
-- 1434 infects, uniform random scanning.  The scan rate per host is set so that the
-- early doubling time is about 8.5 s, as measured by Moore et al. ("Inside the Slammer
-- Worm", IEEE Security & Privacy 2003): K = ln 2 / 8.5 s and rate = K x 2^32 / N.  The
-- paper reports more than 90 % of the vulnerable hosts infected within 10 minutes.
local common = vmitn.include("common")
local outbreak = vmitn.include("outbreak")

return {
  name = "slammer",
  about = "SQL Slammer: 75,000 hosts, UDP 1434, doubling time 8.5 s, 10 minutes (Internet scale)",
  runs = 1,
  params = {
    subnets = { default = 375, min = 1, max = 65536, integer = true, doc = "LANs of the generated population" },
    hosts = { default = 200, min = 1, max = 240, integer = true, doc = "vulnerable hosts per LAN" },
    doubling = { default = 8.5, unit = "s", min = 0.01, max = 1e6, doc = "early doubling time that sets the scan rate" },
    minutes = { default = 10, unit = "min", min = 0.1, max = 1440, doc = "simulated time" },
  },
  run = function(p)
    local N = p.subnets * p.hosts
    local K = math.log(2) / p.doubling
    local rate = K * 2 ^ 32 / N
    local r = vmitn.experiment("uniform", outbreak.model(
      string.format("generate:%d:%d:16", p.subnets, p.hosts), p.minutes * 60, 1,
      { rate = rate, proto = 17, port = 1434, scan_bytes = 404, poisson = true,
        p_local = 0, p_near = 0, p_any = 1, any_bits = 32, activation = 0.01 }))
    local fit = outbreak.compare_models("uniform", r, N, K)
    local t, y = r.curve.t, r.curve.infected
    -- the early doubling time, measured: from the logistic fit, and from 1 % to 4 % (two doublings)
    local t1, t4 = outbreak.time_to(t, y, 0.01 * N), outbreak.time_to(t, y, 0.04 * N)
    common.compare("Slammer", "scan rate per host that gives the doubling time (input)", "",
                   { n = 1, mean = rate }, "input", "scans/s")
    common.compare("Slammer", "early doubling time, from the logistic fit", "8.5",
                   fit and { n = 1, mean = math.log(2) / fit.K } or nil, "prediction", "s")
    common.compare("Slammer", "doubling time between 1 % and 4 % infected", "8.5",
                   t1 and t4 and { n = 1, mean = (t4 - t1) / 2 } or nil, "prediction", "s")
    common.compare("Slammer", "share infected at 10 minutes", "> 0.9",
                   r.peak_infected_share, "prediction", "")
    common.compare("Slammer", "scans sent per run (most hit nobody: fast path)", "",
                   r.scans_sent, "", "scans")
    common.write_compare()
  end,
}
