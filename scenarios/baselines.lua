-- VMITN against the baselines: every defence alone and with VMITN's two mechanisms (Rapid
-- Hand Over and Attack Pattern Learning), on the same runs (run r of every experiment
-- uses the same streams: common random numbers).  Three groups:
--   testbed-codered: the Fig 8 testbed, Code Red from L1-1 (calibrated), packet level,
--                    legitimate traffic on;
--   testbed-tfn2k:   the same testbed, the TFN2K flood from L1-1, no worm;
--   internet:        Code Red v2, 360,000 hosts, uniform scanning, fast path (the throttle
--                    and TRW need every scan, so they are not run there; nor is the learner,
--                    whose rules would go to 360,000 AGENTs).
-- Writes baselines.csv (one row per group and defence) for the table "VMITN against the
-- baselines" and plots/baselines.png (scripts/plots/baselines.gp).
local common = vmitn.include("common")
local outbreak = vmitn.include("outbreak")

local function merge(a, b)
  local r = {}
  for k, v in pairs(a) do r[k] = v end
  for k, v in pairs(b) do
    if type(v) == "table" and type(r[k]) == "table" then r[k] = merge(r[k], v) else r[k] = v end
  end
  return r
end

return {
  name = "baselines",
  about = "VMITN against Williamson's throttle, TRW, edge blacklisting/content filtering/rate limiting and patching, alone and combined",
  runs = 20,
  params = {
    duration = { default = 20, unit = "s", min = 1, max = 3600, doc = "testbed: simulated time per run" },
    http = { default = 2, unit = "requests/s", min = 0, max = 1e4, doc = "testbed: legitimate HTTP requests per FES host" },
    reaction = { default = 1, unit = "s", min = 0, max = 1e6, doc = "testbed: edge filters' reaction time" },
    removal = { default = 5, unit = "s", min = 0.001, max = 1e6, doc = "testbed: mean time to clean and patch an infected host" },
    internet = { default = 1, min = 0, max = 1, integer = true, doc = "1: run the Internet-scale group" },
    internet_runs = { default = 1, min = 1, max = 100, integer = true, doc = "runs of each Internet-scale experiment" },
    hours = { default = 24, unit = "h", min = 0.1, max = 240, doc = "internet: simulated time" },
  },
  run = function(p)
    local rows = {}
    local function row(group, defence, with_vmitn, r)
      local function m(name, stat) local s = r[name]; return s and s[stat or "mean"] or nil end
      rows[#rows + 1] = {
        group = group, defence = defence, vmitn = with_vmitn and 1 or 0,
        peak_infected = m("peak_infected"), peak_infected_worst = m("peak_infected", "max"),
        hosts_attacked = m("hosts_attacked"), time_cleaned = m("time_cleaned"),
        cleaned_runs = r.time_cleaned and r.time_cleaned.n or 0,
        availability = m("availability"), legit_blocked = m("legit_blocked"),
        legit_served_share = m("legit_served_share"), flood_blocked = m("flood_blocked"),
        flood_sent = m("flood_sent"), detect_time = m("detect_time"),
        detected_runs = r.detect_time and r.detect_time.n or 0,
      }
    end
    local VMITN = { fes = { handover = true }, smc = { learning = true } }
    local NONE = { fes = { handover = false }, smc = { learning = false } }

    -- ---- the testbed: Code Red ----
    local testbed = { duration = p.duration, worm = { fast = false },
                      legit = { http_rate = p.http, smtp_rate = 0 } }
    local defences = {
      { "none", {} },
      { "throttle", { throttle = { enabled = true } } },
      { "trw", { trw = { enabled = true } } },
      { "blacklist", { edge = { enabled = true, mode = "blacklist", reaction = p.reaction } } },
      { "content", { edge = { enabled = true, mode = "content", reaction = p.reaction } } },
      { "patch", { patch = { enabled = true, infected_rate = 1 / p.removal } } },
    }
    for _, d in ipairs(defences) do
      for _, v in ipairs({ false, true }) do
        local label = "codered-" .. d[1] .. (v and "-vmitn" or "")
        local r = vmitn.experiment(label, common.model(testbed, v and VMITN or NONE, d[2]))
        row("testbed-codered", d[1], v, r)
      end
    end

    -- ---- the testbed: TFN2K ----
    local flood = merge(testbed, { worm = { enabled = false }, flood = { enabled = true } })
    local fdef = {
      { "none", {} },
      { "throttle", { throttle = { enabled = true } } },
      { "trw", { trw = { enabled = true } } },
      { "ratelimit", { edge = { enabled = true, mode = "ratelimit", reaction = 0, rate = 10 } } },
    }
    for _, d in ipairs(fdef) do
      for _, v in ipairs({ false, true }) do
        local label = "tfn2k-" .. d[1] .. (v and "-vmitn" or "")
        local r = vmitn.experiment(label, common.model(flood, v and VMITN or NONE, d[2]))
        row("testbed-tfn2k", d[1], v, r)
      end
    end

    -- ---- Internet scale: Code Red v2 ----
    if p.internet == 1 then
      local base = outbreak.model("generate:1500:240:16", p.hours * 3600, 600,
        { rate = 358 / 60, p_local = 0, p_near = 0, p_any = 1, any_bits = 32,
          thin = false }) -- every run on the same draws: thinning is off with a defence anyway
      local HO = { fes = { spy = true, handover = true } }
      local idef = {
        { "none", {} },
        { "blacklist", { edge = { enabled = true, mode = "blacklist", reaction = 1200 } } },
        { "content", { edge = { enabled = true, mode = "content", reaction = 7200 } } },
        { "patch", { patch = { enabled = true, susceptible_rate = 1 / 28800, infected_rate = 1 / 28800 } } },
      }
      for _, d in ipairs(idef) do
        for _, v in ipairs({ false, true }) do
          local label = "internet-" .. d[1] .. (v and "-handover" or "")
          local r = vmitn.experiment(label, merge(merge(base, v and HO or {}), d[2]), p.internet_runs)
          row("internet", d[1], v, r)
        end
      end
    end
    vmitn.table("baselines", { "group", "defence", "vmitn", "peak_infected", "peak_infected_worst", "hosts_attacked",
                               "time_cleaned", "cleaned_runs", "availability", "legit_blocked", "legit_served_share",
                               "flood_sent", "flood_blocked", "detect_time", "detected_runs" }, rows)
  end,
}
