-- Patching at Internet scale against the SIR closed form: Code Red v2's population and
-- scan rate (360,000 hosts, 358 scans/min, uniform; beta = rate x N / 2^32 = 5.0e-4 /s),
-- infected hosts cleaned and patched at rate gamma = beta / R0 (the removal term of Zou,
-- Gong & Towsley's two-factor model, CCS 2002), 20 initial infections, until the outbreak
-- is over.  The share ever infected against the Kermack-McKendrick final size
-- z = 1 - exp(-R0 z).  Exact fast path.
local common = vmitn.include("common")
local outbreak = vmitn.include("outbreak")

return {
  name = "patching",
  about = "Patching (removal at rate gamma) at Internet scale against the SIR final size",
  runs = 3,
  params = {
    subnets = { default = 1500, min = 20, max = 65536, integer = true, doc = "LANs of the generated population" },
    hosts = { default = 240, min = 1, max = 240, integer = true, doc = "vulnerable hosts per LAN" },
    r0 = { default = 2, min = 1.05, max = 100, doc = "basic reproduction number beta / gamma" },
    hours = { default = 60, unit = "h", min = 1, max = 1000, doc = "simulated time (the outbreak must be over)" },
  },
  run = function(p)
    local N = p.subnets * p.hosts
    local rate = 358 / 60
    local beta = rate * N / 2 ^ 32
    local m = outbreak.model(string.format("generate:%d:%d:16", p.subnets, p.hosts), p.hours * 3600, 3600,
      { rate = rate, p_local = 0, p_near = 0, p_any = 1, any_bits = 32 })
    m.inject = {}
    for i = 2, 20 do m.inject[#m.inject + 1] = { host = "L" .. i .. "-1", t = 0 } end
    m.patch = { enabled = true, infected_rate = beta / p.r0 }
    local r = vmitn.experiment("sir", m)
    local z = 0.5
    for _ = 1, 1000 do z = 1 - math.exp(-p.r0 * z) end
    local a = r.hosts_attacked
    common.compare("SIR", "share of hosts ever infected (Kermack-McKendrick final size)", string.format("%.4f", z),
                   { n = a.n, mean = a.mean / N, min = a.min / N, max = a.max / N, ci = a.ci / N }, "prediction", "")
    common.write_compare()
  end,
}
