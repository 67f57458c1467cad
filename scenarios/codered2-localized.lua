-- Code Red II's localized scanning on the same 360,000 hosts as codered-v2, but placed in
-- clustered prefixes: 60,000 LANs of 6 hosts, 10.x.y.0/24 one after another, so a host's
-- own /16 holds 1,536 vulnerable hosts and its own /8 all of them.  Scans go to the own /16
-- with p = 3/8, the own /8 with p = 1/2, anywhere with p = 1/8, at Code Red's 358 scans per
-- minute.  How much faster than uniform scanning (scenario codered-v2) does it spread?
local common = vmitn.include("common")
local outbreak = vmitn.include("outbreak")

return {
  name = "codered2-localized",
  about = "Code Red II localized scanning on a clustered 360,000-host population (Internet scale)",
  runs = 1,
  params = {
    subnets = { default = 60000, min = 1, max = 65536, integer = true, doc = "LANs of the generated population" },
    hosts = { default = 6, min = 1, max = 240, integer = true, doc = "vulnerable hosts per LAN" },
    rate = { default = 358 / 60, unit = "scans/s", min = 0.001, max = 1e6, doc = "scans per infected host" },
    minutes = { default = 5, unit = "min", min = 0.1, max = 1440, doc = "simulated time" },
  },
  run = function(p)
    local N = p.subnets * p.hosts
    local r = vmitn.experiment("localized", outbreak.model(
      string.format("generate:%d:%d:16", p.subnets, p.hosts), p.minutes * 60, 5,
      { rate = p.rate, p_local = 3 / 8, p_near = 1 / 2, p_any = 1 / 8,
        local_prefix = 16, near_prefix = 8, local_bits = 16, near_bits = 24, any_bits = 32 }))
    local fit = outbreak.compare_models("localized", r, N, p.rate * N / 2 ^ 32)
    local t, y = r.curve.t, r.curve.infected
    local half = outbreak.time_to(t, y, N / 2)
    -- uniform scanning of the same N: K = rate N / 2^32; from one host, half infected at ln(N - 1) / K
    local K_uniform = p.rate * N / 2 ^ 32
    local half_uniform = math.log(N - 1) / K_uniform
    common.compare("Code Red II", "localized: time until half the hosts are infected", "",
                   half and { n = 1, mean = half / 60 } or nil, "prediction", "min")
    common.compare("Code Red II", "uniform scanning, same hosts: time until half (analytic)", "",
                   { n = 1, mean = half_uniform / 60 }, "prediction", "min")
    common.compare("Code Red II", "speed-up of localized over uniform scanning (time to half)", "",
                   half and { n = 1, mean = half_uniform / half } or nil, "prediction", "x")
    common.compare("Code Red II", "localized: logistic K", "",
                   fit and { n = 1, mean = fit.K * 3600 } or nil, "prediction", "1/h")
    common.write_compare()
  end,
}
