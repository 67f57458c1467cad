-- Which knob moves which figure (beyond the paper): one-at-a-time elasticities at the
-- calibrated point.  Each knob is set to (1 - h) and (1 + h) times its calibrated value
-- (the scan space's shrink: one bit less and one more; at a physical wall only the side
-- inside, paired with the calibrated point), everything else calibrated, and
-- each figure is measured over the same `runs` runs on both sides: run r draws from the
-- same streams at both settings (common random numbers), so the difference is paired run
-- by run.  The elasticity is
--     E = (mean(y+ - y-) / y0) / ((x+ - x-) / x0)
-- (the relative change of the figure per relative change of the knob; y0 the figure at the
-- calibrated point), with a 95 % t interval from the paired differences (y0 taken as
-- known).  A run where the figure is missing on either side is left out of its pair.
--
-- Figures: Fig 9's learning time (TFN2K, 200 packets/s, theta 100), Fig 10's time to all
-- six infected (no countermeasure) and clean time (hand-over), Fig 11's learning time and
-- hosts attacked (learner), and the availability with both countermeasures (Fig 12's
-- setting: a prediction; nothing here is tuned to it).  The worm's knobs do not reach Fig 9
-- (no worm there): they show as 0.
local common = vmitn.include("common")

-- A knob: its label, the calibrated value, the model change that sets it to x, the step
-- (default h times the value), and the largest and smallest values the model accepts
-- (default none).
local cal = common.calibration.model
local function worm(k, d) return (cal.worm and cal.worm[k]) or d end
local SHRINK0 = 32 - worm("any_bits", 18)
local CONSISTENT = worm("local_bits", 16) == 16 - SHRINK0
local steps = { "alarm", "report", "display", "mount", "unmount" }
local defaults = { alarm = 0.091, report = 0.867, display = 0.049, mount = 0.471, unmount = 0.268 }
local KNOBS = {
  { "theta", 100, function(x) return { smc = { theta = x } } end },
  { "lambda", 10, function(x) return { smc = { lambda = x } } end },
  { "scan_rate", 1826, function(x) return { worm = { rate = x } } end },
  -- the search's shrink s in the calibrated scan-region reading (calibrate.lua's
  -- point_model): consistent shrinks the own /16 too, near keeps it literal; a step past the
  -- reading's physical walls (a region shrunk to 0 bits; no shrink at all) is not taken
-- (one-sided, below)
  { "shrink", SHRINK0, function(x)
      return { worm = { local_bits = CONSISTENT and 16 - x or 16, near_bits = 24 - x, any_bits = 32 - x } } end,
    1, CONSISTENT and 16 or 24, 0 },
  { "victim_startup", worm("activation", 1), function(x) return { worm = { activation = x } } end },
  { "launch_startup", worm("launch_startup", 0), function(x) return { worm = { launch_startup = x } } end },
  { "oob_latency", 0.3, function(x) return { oob = { latency = x } } end },
  { "report_period", 0.1, function(x) return { smc = { report_period = x } } end },
  { "handover_steps", 1, function(x)
      local f = {}
      for _, s in ipairs(steps) do f[s] = defaults[s] * x end
      return { fes = f } end },
}

-- The figures: label, the experiment's changes to the calibrated model, the metric, the
-- run length.
local FIGS = {
  { "fig9_learning", { worm = { enabled = false }, flood = { enabled = true, host = "L1-1", rate = 200, start = 0 },
                       smc = { learning = true } }, "learning_time", 6 },
  { "fig10_all_infected", { worm = { fast = true, thin = false } }, "time_all_infected", common.DURATION },
  { "fig10_cleaned", { worm = { fast = true, thin = false }, fes = { handover = true } }, "time_cleaned", common.DURATION },
  { "fig11_learning", { smc = { learning = true } }, "learning_time", common.LEARN_DURATION },
  { "fig11_attacked", { smc = { learning = true } }, "hosts_attacked", common.LEARN_DURATION },
  { "availability", { fes = { handover = true }, smc = { learning = true } }, "availability", common.DURATION },
}

return {
  name = "sensitivity",
  about = "One-at-a-time elasticities of the paper's figures to the model's knobs at the calibrated point (beyond the paper)",
  runs = 100,
  params = {
    h = { default = 0.2, min = 0.01, max = 0.9, doc = "relative step of a knob (each side)" },
    knobs = { default = "", doc = "comma-separated knob labels to run (empty: all)" },
  },
  run = function(p)
    local want = {}
    local names, known = {}, {}
    for _, kn in ipairs(KNOBS) do names[#names + 1], known[kn[1]] = kn[1], true end
    for k in p.knobs:gmatch("[^,]+") do
      if not known[k] then
        error(string.format("parameter knobs: unknown knob '%s' (%s)", k, table.concat(names, ", ")), 0)
      end
      want[k] = true
    end
    -- the figures' experiments share their runs: one measurement per experiment and setting
    local function measure(change, extra)
      local out, cache = {}, {}
      for _, f in ipairs(FIGS) do
        local key = f[1]:match("^fig11") and "fig11" or f[1]
        if cache[key] == nil then
          cache[key] = vmitn.measure(common.model({ duration = f[4] }, f[2], change or {}, extra or {}))
        end
        out[f[1]] = cache[key][common.metric(common.calibration.view, f[3])].values
      end
      return out
    end
    local base = measure()
    local rows = {}
    for _, k in ipairs(KNOBS) do
      if next(want) == nil or want[k[1]] then
        local x0, step = k[2], k[4] or k[2] * p.h
        -- at a wall the step past it is not taken: the difference is one-sided, from x0
        local x_lo, x_hi = math.max(x0 - step, k[6] or -math.huge), math.min(x0 + step, k[5] or math.huge)
        local lo = x_lo == x0 and base or measure(k[3](x_lo))
        local hi = x_hi == x0 and base or measure(k[3](x_hi))
        for _, f in ipairs(FIGS) do
          local y0, n0 = 0, 0
          for _, v in ipairs(base[f[1]]) do if v == v then y0, n0 = y0 + v, n0 + 1 end end
          y0 = n0 > 0 and y0 / n0 or nil
          local d = {}
          for i = 1, math.min(#lo[f[1]], #hi[f[1]]) do
            local a, b = lo[f[1]][i], hi[f[1]][i]
            if a == a and b == b then d[#d + 1] = b - a end
          end
          local row = { knob = k[1], figure = f[1], x0 = x0, x_lo = x_lo, x_hi = x_hi, y0 = y0, pairs = #d }
          if #d > 0 and y0 and y0 ~= 0 then
            local s = 0
            for _, v in ipairs(d) do s = s + v end
            local m = s / #d
            local ss = 0
            for _, v in ipairs(d) do ss = ss + (v - m) ^ 2 end
            local sd = #d > 1 and math.sqrt(ss / (#d - 1)) or 0
            local scale = y0 * ((x_hi - x_lo) / x0)
            row.elasticity = m / scale
            local ci = vmitn.ci95(#d, sd) / math.abs(scale)
            row.ci95_lo, row.ci95_hi = row.elasticity - ci, row.elasticity + ci
          end
          rows[#rows + 1] = row
        end
      end
    end
    vmitn.table("sensitivity", { "knob", "figure", "x0", "x_lo", "x_hi", "y0", "pairs", "elasticity", "ci95_lo",
                                 "ci95_hi" }, rows)
  end,
}
