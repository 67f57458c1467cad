-- Helpers for the Internet-scale outbreak scenarios (vmitn.include("outbreak")).
local M = {}

-- A worm on a generated population, no countermeasure, no background traffic, through
-- the exact fast path.  `worm` overrides the worm section.
function M.model(topology, duration, grid, worm)
  local w = { enabled = true, start_host = "L1-1", fast = true,
              activation = 1, activation_cv = 0.3 }
  for k, v in pairs(worm) do w[k] = v end
  return {
    topology = topology, duration = duration, grid = grid, worm = w,
    legit = { http_rate = 0, smtp_rate = 0 },
    fes = { handover = false, spy = false },
    smc = { learning = false },
  }
end

-- First time (s) the curve reaches `level`, or nil.
function M.time_to(t, y, level)
  for i = 1, #t do if y[i] >= level then return t[i] end end
  return nil
end

-- Writes LABEL-fit.csv: the emulated mean curve, the fitted logistic, and the SI ODE with
-- the analytic K = scan rate x N / address space; returns the fit (or nil).
function M.compare_models(label, r, N, k_analytic)
  local t, y = r.curve.t, r.curve.infected
  local fit = vmitn.fit_logistic(t, y, N)
  local i0 = y[1] > 0 and y[1] or 1
  local ode = vmitn.si_ode(k_analytic, N, i0, t[1], t)
  local rows = {}
  for i = 1, #t do
    local logi = fit and N / (1 + math.exp(-fit.K * (t[i] - fit.T))) or nil
    rows[i] = { t_s = t[i], t_h = t[i] / 3600, emulated = y[i], logistic_fit = logi, si_ode = ode[i] }
  end
  vmitn.table(label .. "-fit", { "t_s", "t_h", "emulated", "logistic_fit", "si_ode" }, rows)
  return fit
end

return M
