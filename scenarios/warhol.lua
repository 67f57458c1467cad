-- The Warhol worm of Staniford, Paxson & Weaver, "How to 0wn the Internet in Your Spare
-- Time" (USENIX Security 2002, §5): a 10,000-host hit-list, then (partitioned)
-- permutation scanning at 100 scans/s per instance, against 300,000 vulnerable hosts;
-- the paper's simulation infects them all in under 15 minutes.  Beside it, the same worm
-- with random (uniform) scanning and no hit-list, as the baseline.  Exact fast path.
local common = vmitn.include("common")
local outbreak = vmitn.include("outbreak")

return {
  name = "warhol",
  about = "Warhol worm: 10,000-host hit-list + permutation scanning, 300,000 hosts, 100 scans/s (fast path)",
  runs = 1,
  params = {
    subnets = { default = 1250, min = 1, max = 65536, integer = true, doc = "LANs of the generated population" },
    hosts = { default = 240, min = 1, max = 240, integer = true, doc = "vulnerable hosts per LAN" },
    hitlist = { default = 10000, min = 0, max = 4194304, integer = true, doc = "hosts on the hit-list" },
    rate = { default = 100, unit = "scans/s", min = 0.001, max = 1e6, doc = "scans per infected host" },
    minutes = { default = 20, unit = "min", min = 0.1, max = 6000, doc = "simulated time" },
    strategy = { default = "partitioned", doc = "permutation or partitioned (after the hit-list)" },
  },
  run = function(p)
    local N = p.subnets * p.hosts
    local function run(label, worm)
      worm.rate = p.rate
      worm.p_local, worm.p_near, worm.p_any = 0, 0, 1
      worm.activation = 0.1 -- the paper's worm starts scanning at once after the exploit
      return vmitn.experiment(label, outbreak.model(
        string.format("generate:%d:%d:16", p.subnets, p.hosts), p.minutes * 60, 10, worm))
    end
    local w = run("warhol", { strategy = p.strategy, hitlist = p.hitlist })
    local u = run("random", { strategy = "random" })
    local t, y = w.curve.t, w.curve.infected
    common.compare("Warhol", "minutes until 99 % of the vulnerable hosts are infected", "< 15",
                   (function() local x = outbreak.time_to(t, y, 0.99 * N); return x and { n = 1, mean = x / 60 } end)(),
                   "prediction", "min")
    common.compare("Warhol", "infected after 15 minutes", "300,000",
                   { n = 1, mean = y[math.min(#y, 15 * 6 + 1)] }, "prediction", "hosts")
    local tu, yu = u.curve.t, u.curve.infected
    common.compare("Warhol", "random scanning, no hit-list: infected after 15 minutes", "(baseline)",
                   { n = 1, mean = yu[math.min(#yu, 15 * 6 + 1)] }, "prediction", "hosts")
    common.write_compare()
  end,
}
