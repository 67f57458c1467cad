-- The statistics over 20-run sets that REPORT.md shows (scenarios/common.lua), against
-- hand-worked values, for tests/cli/stats.sh: whether a set meets a target, the share of
-- sets meeting it, a set's statistic, quantiles over sets and the pooled estimate.  An
-- error names the first value that is wrong.
local common = vmitn.include("common")

local function eq(what, got, want)
  if got ~= want and not (type(got) == "number" and type(want) == "number" and math.abs(got - want) < 1e-9) then
    error(string.format("%s: got %s, want %s", what, tostring(got), tostring(want)), 0)
  end
end

return {
  name = "setstats",
  about = "unit checks of the set statistics in common.lua",
  runs = 1,
  run = function()
    local R = common.RUN
    eq("runs per set", R, 20)
    -- three sets: set 0 all 3 (worst 3), set 1 all 4 but run 40 is 5 (worst 5), set 2
    -- one run missing (NaN) and the others 2
    local vals = {}
    for i = 1, 3 * R do vals[i] = i <= R and 3 or i <= 2 * R and 4 or 2 end
    vals[2 * R] = 5
    vals[2 * R + 7] = 0 / 0
    local worst4 = { kind = "max_eq", bound = 4 }
    local le5 = { kind = "max_le", bound = 5 }
    local mean_in = { kind = "mean_in", lo = 3.5, hi = 4.1 }
    local mean_le = { kind = "mean_le", bound = 3 }
    -- a set is runs k*20+1 .. (k+1)*20: the last run of set 1 (run 40) belongs to it
    eq("set 0 worst = 4", common.meets(worst4, vals, 1, R, 99), false)
    eq("set 1 worst <= 5", common.meets(le5, vals, R + 1, 2 * R, 99), true)
    eq("set 1 worst = 4 (run 40 is 5)", common.meets(worst4, vals, R + 1, 2 * R, 99), false)
    eq("set 2 worst <= 5 (a missing run is a miss)", common.meets(le5, vals, 2 * R + 1, 3 * R, 99), false)
    -- set 1's mean: (19 x 4 + 5) / 20 = 4.05, inside [3.5, 4.1]
    eq("set 1 mean in", common.meets(mean_in, vals, R + 1, 2 * R, 99), true)
    -- set 2's mean counts the missing run at the censor: (19 x 2 + 40) / 20 = 3.9 > 3
    eq("set 2 censored mean <= 3", common.meets(mean_le, vals, 2 * R + 1, 3 * R, 40), false)
    eq("set 2 censored mean <= 3, censor 2", common.meets(mean_le, vals, 2 * R + 1, 3 * R, 2), true)
    local flags, share = common.set_flags(le5, vals, 3, 99)
    eq("flags[0]", flags[0], true)
    eq("flags[1]", flags[1], true)
    eq("flags[2]", flags[2], false)
    eq("share of sets", share, 2 / 3)
    -- a set's statistic: the mean over the runs with a value, or the worst
    eq("set 1 mean", common.set_stat(vals, R + 1, 2 * R, "mean"), 4.05)
    eq("set 2 mean without the missing run", common.set_stat(vals, 2 * R + 1, 3 * R, "mean"), 2)
    eq("set 1 worst", common.set_stat(vals, R + 1, 2 * R, "max"), 5)
    -- quantiles, type 7: 1..5 -> median 3, 5 % at 1.2, 95 % at 4.8
    local xs = { 1, 2, 3, 4, 5 }
    eq("median", common.quantile(xs, 0.5), 3)
    eq("5 %", common.quantile(xs, 0.05), 1.2)
    eq("95 %", common.quantile(xs, 0.95), 4.8)
    eq("max", common.quantile(xs, 1), 5)
    eq("empty", common.quantile({}, 0.5), nil)
    -- pooled: the run statistics pass through, the sets' worst spread over sets
    local p = common.pooled({ mean = 3, lo = 2.9, hi = 3.1, n = 59, values = vals }, 3, "max")
    eq("pooled mean", p.mean, 3)
    eq("pooled n", p.n, 59)
    eq("pooled sets", p.sets, 3)
    eq("worst over sets: median", p.median, 3)
    eq("worst over sets: 5 %", p.p05, 2.1)
    eq("worst over sets: 95 %", p.p95, 4.8)
    -- the runs behind the worst: 19 runs at 2 (one missing), 20 at 3, 19 at 4, 1 at 5; the
    -- sets' worst runs are 3, 5 and 2
    local h = common.worst_hist("F", "q", vals, 3, 6)
    eq("histogram rows", #h, 7)
    local want_runs, want_worst = { [2] = 19, [3] = 20, [4] = 19, [5] = 1 }, { [2] = 1, [3] = 1, [5] = 1 }
    for _, row in ipairs(h) do
      eq("runs at " .. row.hosts, row.runs, want_runs[row.hosts] or 0)
      eq("sets whose worst is " .. row.hosts, row.sets_worst, want_worst[row.hosts] or 0)
    end
    eq("run share at 3", h[4].run_share, 20 / 59)
    eq("worst share at 5", h[6].worst_share, 1 / 3)
    -- vmitn.ci95 is the t interval's half-width: t(0.975, 19) = 2.093
    if math.abs(vmitn.ci95(20, 1) - 2.093 / math.sqrt(20)) > 1e-3 then error("ci95(20, 1): " .. vmitn.ci95(20, 1), 0) end
    eq("ci95 of one value", vmitn.ci95(1, 5), 0)
    vmitn.table("setstats", { "ok" }, { { ok = 1 } })
  end,
}
