-- Which knob carries which figure, over the whole search box (beyond the paper): first-order
-- and total Sobol indices of each paper figure's statistic (docs/MODEL.md 7.2).  The knobs
-- are the calibration's searched ones over its box (scenarios/calibrate.lua, KNOBS, the
-- calibrated structure consistent/offline/scan) and the paper's own values theta, lambda,
-- scan rate, OOB latency and report period over a stated range around them; everything else
-- is the calibrated model.  Saltelli's design (scenarios/saltelli.lua): base matrices A and B
-- of n points each, uniform in the unit cube from math.random (seeded from the run's seed:
-- same seed -> same design -> same files), and for every knob i the matrix A_B^i; n (d + 2)
-- points.  At each point every figure's experiment runs `reps` runs, runs 1..reps of the
-- seed at every point (common random numbers; `learn_reps` for Fig 11's packet-level
-- learner, which costs most), and the statistic is their mean (a run that
-- never reaches the state counts at the run's end, as the calibration's means).  The
-- replication noise of that mean inflates the total indices: its share of the statistic's
-- variance, mean over the A and B points of (within-point variance / reps) / V, is written as
-- the knob `noise_floor` (a total index below it is not told apart from noise).  95 %
-- intervals: percentile bootstrap over the n base rows.
local common = vmitn.include("common")
local sal = vmitn.include("saltelli")

-- A knob: name, lower and upper bound, scale (lin: uniform; log: log-uniform), where the
-- range comes from, and the model change that sets it to x.  The box's bounds mirror
-- calibrate.lua's KNOBS (consistent reading: the shrink's top is 16 bits).
local KNOBS = {
  { "shrink", 6, 16, "lin", "box", function(x)
      return { worm = { local_bits = 16 - x, near_bits = 24 - x, any_bits = 32 - x } } end },
  { "victim_startup", 0, 3, "lin", "box", function(x) return { worm = { activation = x } } end },
  -- the CV of every start-up draw: the victims' and the launched worm's (worm.activation_cv)
  { "startup_cv", 0, 1, "lin", "box", function(x) return { worm = { activation_cv = x } } end },
  { "launch_startup", 0, 5, "lin", "box", function(x) return { worm = { launch_startup = x } } end },
  { "theta", 25, 400, "log", "paper x/4", function(x) return { smc = { theta = x } } end },
  { "lambda", 5, 20, "log", "paper x/2", function(x) return { smc = { lambda = x } } end },
  { "scan_rate", 913, 3652, "log", "paper x/2", function(x) return { worm = { rate = x } } end },
  { "oob_latency", 0.15, 0.6, "log", "Table 1 x/2", function(x) return { oob = { latency = x } } end },
  { "report_period", 0.05, 0.2, "log", "model x/2", function(x) return { smc = { report_period = x } } end },
}

-- The experiments (each on the point's model) and the figures' statistics from them.
local EXPS = {
  fig9_r50 = { duration = 6, worm = { enabled = false }, flood = { enabled = true, host = "L1-1", rate = 50, start = 0 },
               smc = { learning = true } },
  fig9_r1000 = { duration = 6, worm = { enabled = false }, flood = { enabled = true, host = "L1-1", rate = 1000, start = 0 },
                 smc = { learning = true } },
  none = { duration = common.DURATION, worm = { fast = true, thin = false } },
  ho = { duration = common.DURATION, worm = { fast = true, thin = false }, fes = { handover = true } },
  learn = { duration = common.LEARN_DURATION, smc = { learning = true } },
}
local EXP_ORDER = { "fig9_r50", "fig9_r1000", "none", "ho", "learn" }
local FIGS = {
  { "fig9", "learning_time_50pps", "fig9_r50", "learning_time" },
  { "fig9", "learning_time_1000pps", "fig9_r1000", "learning_time" },
  { "fig10", "time_all_infected_none", "none", "time_all_infected" },
  { "fig10", "time_cleaned_handover", "ho", "time_cleaned" },
  { "fig10", "peak_infected_handover", "ho", "peak_infected" },
  { "fig11", "learning_time", "learn", "learning_time" },
  { "fig11", "hosts_attacked", "learn", "hosts_attacked" },
}

-- A canonical text of a table (keys sorted, numbers exact): the key of a model in the cache.
local function key(t)
  if type(t) ~= "table" then
    return type(t) == "number" and string.format("%.17g", t) or tostring(t)
  end
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = tostring(k) end
  table.sort(ks)
  local parts = {}
  for _, k in ipairs(ks) do parts[#parts + 1] = k .. "=" .. key(t[k] == nil and t[tonumber(k)] or t[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

return {
  name = "sobol",
  about = "Sobol indices of the paper's figures over the calibration's box and ranges of the paper's values (beyond the paper)",
  runs = 1,
  params = {
    n = { default = 64, min = 4, max = 100000, integer = true, doc = "base sample size N (N (d + 2) points)" },
    reps = { default = 20, min = 2, max = 1000, integer = true, doc = "runs per point of Figs 9 and 10's experiments" },
    learn_reps = { default = 8, min = 2, max = 1000, integer = true, doc = "runs per point of Fig 11's (packet-level learner)" },
    boot = { default = 500, min = 0, max = 100000, integer = true, doc = "bootstrap resamples of the base rows" },
  },
  run = function(p)
    local d = #KNOBS
    local A, B = sal.matrices(p.n, d, math.random)
    local function value(k, u)
      if k[4] == "log" then return k[2] * (k[3] / k[2]) ^ u end
      return k[2] + u * (k[3] - k[2])
    end
    local function model(u)
      local ch = {}
      for i, k in ipairs(KNOBS) do ch = common.merge(ch, k[6](value(k, u[i]))) end
      return common.model(ch)
    end
    -- stat(u) -> per figure {mean, within-point variance}; identical experiments (a knob the
    -- experiment does not read, e.g. the worm's in Fig 9) are measured once: with common
    -- random numbers they give the same values
    local cache, measured, reused = {}, 0, 0
    local function stat(u)
      local m = model(u)
      local res = {}
      for _, e in ipairs(EXP_ORDER) do
        local em = common.merge(m, EXPS[e])
        local k = key(em)
        if cache[k] == nil then
          local reps = e == "learn" and p.learn_reps or p.reps
          local s = vmitn.measure(em, reps)
          local c = {}
          for _, f in ipairs(FIGS) do
            if f[3] == e then
              local vals = s[common.metric(common.calibration.view, f[4])].values
              local sum, ss = 0, 0
              for r = 1, reps do
                local v = vals[r]
                if v ~= v then v = em.duration end -- censored at the run's end
                sum, ss = sum + v, ss + v * v
              end
              local mean = sum / reps
              c[f[2]] = { mean, math.max(0, (ss - reps * mean * mean) / (reps - 1)) / reps }
            end
          end
          cache[k] = c
          measured = measured + 1
        else
          reused = reused + 1
        end
        for name, v in pairs(cache[k]) do res[name] = v end
      end
      return res
    end
    local fA, fB, fAB = {}, {}, {}
    for i = 1, d do fAB[i] = {} end
    for j = 1, p.n do
      fA[j], fB[j] = stat(A[j]), stat(B[j])
      for i = 1, d do fAB[i][j] = stat(sal.mixed(A, B, j, i)) end
      if j % 16 == 0 or j == p.n then
        vmitn.log(string.format("sobol: %d of %d base rows (%d experiments measured, %d reused)", j, p.n, measured, reused))
      end
    end
    local rows = {}
    for _, f in ipairs(FIGS) do
      local name = f[2]
      local a, b, ab = {}, {}, {}
      for j = 1, p.n do a[j], b[j] = fA[j][name][1], fB[j][name][1] end
      for i = 1, d do
        ab[i] = {}
        for j = 1, p.n do ab[i][j] = fAB[i][j][name][1] end
      end
      local res = sal.analyse(a, b, ab, p.boot, math.random)
      -- the statistic over the A and B points: mean, sd; the noise floor
      local s, ss, w = 0, 0, {}
      for j = 1, p.n do
        s, ss = s + a[j] + b[j], ss + a[j] ^ 2 + b[j] ^ 2
        w[j] = (fA[j][name][2] + fB[j][name][2]) / 2
      end
      local mean = s / (2 * p.n)
      local v = ss / (2 * p.n) - mean * mean
      local sd = math.sqrt(math.max(0, v))
      for i, k in ipairs(KNOBS) do
        local r = res[i]
        rows[#rows + 1] = { figure = f[1], statistic = name, knob = k[1], lo = k[2], hi = k[3], scale = k[4], range = k[5],
                            S1 = r.S1, S1_lo = r.S1_lo, S1_hi = r.S1_hi, ST = r.ST, ST_lo = r.ST_lo, ST_hi = r.ST_hi,
                            mean = mean, sd = sd, n = p.n, reps = f[3] == "learn" and p.learn_reps or p.reps }
      end
      -- the noise floor with its bootstrap interval over the same base rows
      local function floor_of(rs)
        local m1, m2, nw = 0, 0, 0
        for _, j in ipairs(rs) do m1, m2, nw = m1 + a[j] + b[j], m2 + a[j] ^ 2 + b[j] ^ 2, nw + w[j] end
        local nn = #rs
        local vv = m2 / (2 * nn) - (m1 / (2 * nn)) ^ 2
        return vv > 0 and (nw / nn) / vv or nil
      end
      local all = {}
      for j = 1, p.n do all[j] = j end
      local bs = {}
      for _ = 1, p.boot do
        local rs = {}
        for j = 1, p.n do rs[j] = math.min(p.n, math.floor(math.random() * p.n) + 1) end
        local x = floor_of(rs)
        if x then bs[#bs + 1] = x end
      end
      table.sort(bs)
      rows[#rows + 1] = { figure = f[1], statistic = name, knob = "noise_floor", scale = "", range = "reps",
                          ST = floor_of(all), ST_lo = sal.quantile(bs, 0.025), ST_hi = sal.quantile(bs, 0.975),
                          mean = mean, sd = sd, n = p.n, reps = f[3] == "learn" and p.learn_reps or p.reps }
    end
    vmitn.table("sobol", { "figure", "statistic", "knob", "lo", "hi", "scale", "range", "S1", "S1_lo", "S1_hi", "ST",
                           "ST_lo", "ST_hi", "mean", "sd", "n", "reps" }, rows)
  end,
}
