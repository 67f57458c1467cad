-- Internet Quarantine (Moore, Shannon, Voelker & Savage, INFOCOM 2003, §IV, the idealized
-- deployment: every edge router filters): a Code-Red-like worm, 360,000 vulnerable hosts,
-- 10 scans/s, uniform scanning, one initial infection, 24 hours; the share of hosts ever
-- infected against the reaction time of address blacklisting (a host is blocked that
-- long after its own infection) and of content filtering (every infecting packet is
-- dropped from that long after the first infection).  Analytic beside it: blacklisting is
-- an SIR with a fixed infectious period T, R0 = beta T (beta = rate x N / 2^32), so it
-- contains the worm only for T < 1 / beta; content filtering stops the logistic curve at T.
-- Exact fast path.  Writes quarantine.csv (and the usual per-experiment files).
local common = vmitn.include("common")
local outbreak = vmitn.include("outbreak")

return {
  name = "quarantine",
  about = "Moore et al. 2003: containment vs reaction time, address blacklisting and content filtering (fast path)",
  runs = 3,
  params = {
    subnets = { default = 1500, min = 1, max = 65536, integer = true, doc = "LANs of the generated population" },
    hosts = { default = 240, min = 1, max = 240, integer = true, doc = "vulnerable hosts per LAN" },
    rate = { default = 10, unit = "scans/s", min = 0.001, max = 1e6, doc = "scans per infected host" },
    hours = { default = 24, unit = "h", min = 0.01, max = 240, doc = "simulated time" },
    blacklist = { default = "10,15,20,25,30,40", doc = "blacklisting reaction times (minutes)" },
    content = { default = "60,120,180,210,240,300", doc = "content-filtering reaction times (minutes)" },
  },
  run = function(p)
    local N = p.subnets * p.hosts
    local beta = p.rate * N / 2 ^ 32
    local rows = {}
    local function point(mode, minutes)
      local m = outbreak.model(string.format("generate:%d:%d:16", p.subnets, p.hosts), p.hours * 3600, 600,
        { rate = p.rate, p_local = 0, p_near = 0, p_any = 1, any_bits = 32 })
      m.edge = { enabled = true, mode = mode, reaction = minutes * 60 }
      local r = vmitn.experiment(string.format("%s-%gmin", mode, minutes), m)
      local a = r.hosts_attacked
      -- analytic: blacklisting's SIR final size with R0 = beta T; content: the logistic at T
      local T = minutes * 60
      local z
      if mode == "blacklist" then
        local r0 = beta * T
        z = 0
        if r0 > 1 then z = 0.5; for _ = 1, 500 do z = 1 - math.exp(-r0 * z) end end
      else
        z = 1 / (1 + (N - 1) * math.exp(-beta * T)) -- I(0) = 1
      end
      rows[#rows + 1] = { mode = mode, reaction_min = minutes, share_mean = a.mean / N, share_min = a.min / N,
                          share_max = a.max / N, analytic_share = z, runs = a.n }
    end
    for v in p.blacklist:gmatch("[^,]+") do point("blacklist", tonumber(v)) end
    for v in p.content:gmatch("[^,]+") do point("content", tonumber(v)) end
    vmitn.table("quarantine", { "mode", "reaction_min", "share_mean", "share_min", "share_max", "analytic_share", "runs" }, rows)
    common.compare("Moore et al. 2003", "blacklisting: largest reaction that contains (R0 = beta T < 1), min",
                   "about 20 (Fig. 3a, as read)", { n = 1, mean = 1 / beta / 60 }, "input", "min")
  end,
}
