-- Code Red v2 on 19 July 2001: uniform random scanning of the IPv4 space by about 360,000
-- vulnerable hosts at 358 scans per minute each (Zou, Gong & Towsley, CCS 2002), one
-- infected host at the start, 24 hours, through the exact fast path.  Targets: the
-- infected curve fits a logistic with K of about 1.8 per hour (Staniford, Paxson & Weaver,
-- "How to 0wn the Internet in Your Spare Time", 2002); more than 359,000 hosts infected
-- within 14 hours (Moore, Shannon & Brown, IMW 2002).
local common = vmitn.include("common")
local outbreak = vmitn.include("outbreak")

return {
  name = "codered-v2",
  about = "Code Red v2: 360,000 hosts, uniform scanning, 24 h (Internet scale, fast path)",
  runs = 1,
  params = {
    subnets = { default = 1500, min = 1, max = 65536, integer = true, doc = "LANs of the generated population" },
    hosts = { default = 240, min = 1, max = 240, integer = true, doc = "vulnerable hosts per LAN" },
    rate = { default = 358 / 60, unit = "scans/s", min = 0.001, max = 1e6, doc = "scans per infected host" },
    hours = { default = 24, unit = "h", min = 0.01, max = 240, doc = "simulated time" },
  },
  run = function(p)
    local N = p.subnets * p.hosts
    local r = vmitn.experiment("uniform", outbreak.model(
      string.format("generate:%d:%d:16", p.subnets, p.hosts), p.hours * 3600, 60,
      { rate = p.rate, p_local = 0, p_near = 0, p_any = 1, any_bits = 32 }))
    local K = p.rate * N / 2 ^ 32
    local fit = outbreak.compare_models("uniform", r, N, K)
    local t, y = r.curve.t, r.curve.infected
    local t359 = outbreak.time_to(t, y, 359000 / 360000 * N)
    common.compare("Code Red v2", "logistic K of the infected curve (per hour)", "1.8",
                   fit and { n = 1, mean = fit.K * 3600 } or nil, "prediction", "1/h")
    common.compare("Code Red v2", "analytic K = scan rate x N / 2^32 (per hour)", "1.8",
                   { n = 1, mean = K * 3600 }, "input", "1/h")
    common.compare("Code Red v2", "time until 359,000 of 360,000 are infected", "< 14 h",
                   t359 and { n = 1, mean = t359 / 3600 } or nil, "prediction", "h")
    common.compare("Code Red v2", "infected after 24 h", "> 359,000",
                   { n = 1, mean = y[#y] }, "prediction", "hosts")
    common.write_compare()
  end,
}
