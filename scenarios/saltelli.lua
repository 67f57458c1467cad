-- Variance-based global sensitivity (Sobol indices) by Saltelli's sampling scheme, loaded
-- with vmitn.include("saltelli") by scenarios/sobol.lua and by the estimator's own check
-- (tests/cli/sobol.sh, on the Ishigami function).  docs/MODEL.md 7.2 gives the method and
-- its sources:
--   Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola (2010), "Variance based
--   sensitivity analysis of model output.  Design and estimator for the total sensitivity
--   index", Computer Physics Communications 181(2), 259-270: the design (matrices A, B and
--   A_B^i, N (d + 2) evaluations) and the first-order estimator (their Table 2, b);
--   Jansen (1999), "Analysis of variance designs for model output", Computer Physics
--   Communications 117, 35-43: the total-effect estimator (Saltelli 2010, Table 2, f).
-- Not a scenario (it has no run function): `vmitn list` does not show it.
local M = {}

-- Two independent n x d matrices of uniform numbers in [0, 1): A and B, drawn row by row
-- (A's row, then B's) from rand (a function returning one uniform number, e.g. math.random
-- seeded from the run's seed: same seed -> same matrices).
function M.matrices(n, d, rand)
  local A, B = {}, {}
  for j = 1, n do
    A[j], B[j] = {}, {}
    for i = 1, d do A[j][i] = rand() end
    for i = 1, d do B[j][i] = rand() end
  end
  return A, B
end

-- Row j of A_B^i: A's row with its column i taken from B.
function M.mixed(A, B, j, i)
  local r = {}
  for k = 1, #A[j] do r[k] = A[j][k] end
  r[i] = B[j][i]
  return r
end

-- The indices of every column from the model's values over the rows `rows` (an array of
-- row numbers, repeats allowed: a bootstrap resample): fA[j], fB[j] and fAB[i][j] the
-- values at A's row j, B's row j and A_B^i's row j.  The variance is that of the values
-- at A and B together.  Returns S1[i], ST[i] (nil when the values do not vary).
--   first order (Saltelli 2010):  V_i  = 1/N sum_j (fB_j - f0) (fAB^i_j - fA_j)
--   total (Jansen 1999):          VT_i = 1/(2N) sum_j (fA_j - fAB^i_j)^2
-- with f0 the mean of the values at A and B: subtracting it leaves V_i's expectation as it
-- is up to O(1/N) (fAB^i - fA has mean 0, but f0 holds row j's own values: a bias of
-- (VT_i - V_i) / (2N), under 1 % of the interaction share at N = 64) and cuts its variance
-- when the values' mean is large against their spread (a learning time of 3 s that varies
-- by tenths).
function M.indices(fA, fB, fAB, rows)
  local n = #rows
  local s = 0
  for _, j in ipairs(rows) do s = s + fA[j] + fB[j] end
  local mean = s / (2 * n)
  local v = 0
  for _, j in ipairs(rows) do v = v + (fA[j] - mean) ^ 2 + (fB[j] - mean) ^ 2 end
  v = v / (2 * n)
  local S1, ST = {}, {}
  if not (v > 0) then return S1, ST end
  for i = 1, #fAB do
    local a, t = 0, 0
    for _, j in ipairs(rows) do
      local y = fAB[i][j]
      a = a + (fB[j] - mean) * (y - fA[j])
      t = t + (fA[j] - y) ^ 2
    end
    S1[i], ST[i] = a / n / v, t / (2 * n) / v
  end
  return S1, ST
end

-- The q-quantile (0..1) of a sorted array: common's (type 7).
local quantile = vmitn.include("common").quantile
M.quantile = quantile

-- The indices over all N rows with percentile bootstrap 95 % intervals: `boot` resamples of
-- the N rows with replacement (drawn from rand), the indices recomputed on each.  Returns
-- per column i {S1, S1_lo, S1_hi, ST, ST_lo, ST_hi} (nil fields when the values do not
-- vary; a resample whose values do not vary is left out of the intervals).
function M.analyse(fA, fB, fAB, boot, rand)
  local n = #fA
  local all = {}
  for j = 1, n do all[j] = j end
  local S1, ST = M.indices(fA, fB, fAB, all)
  local d = #fAB
  local b1, bt = {}, {}
  for i = 1, d do b1[i], bt[i] = {}, {} end
  for _ = 1, boot do
    local rows = {}
    for j = 1, n do rows[j] = math.min(n, math.floor(rand() * n) + 1) end
    local s1, st = M.indices(fA, fB, fAB, rows)
    for i = 1, d do
      if s1[i] then
        b1[i][#b1[i] + 1] = s1[i]
        bt[i][#bt[i] + 1] = st[i]
      end
    end
  end
  local out = {}
  for i = 1, d do
    table.sort(b1[i])
    table.sort(bt[i])
    out[i] = { S1 = S1[i], S1_lo = quantile(b1[i], 0.025), S1_hi = quantile(b1[i], 0.975),
               ST = ST[i], ST_lo = quantile(bt[i], 0.025), ST_hi = quantile(bt[i], 0.975) }
  end
  return out
end

-- The Ishigami function (Ishigami & Homma 1990, "An importance quantification technique in
-- uncertainty analysis for computer models", ISUMA '90, 398-403) on x in [-pi, pi]^3, and
-- its analytic indices (Sobol' & Levitan 1999, Computer Physics Communications 117, 52-61;
-- Saltelli et al. 2008, "Global Sensitivity Analysis. The Primer", 4.7):
--   V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,  V1 = (1 + b pi^4/5)^2 / 2,  V2 = a^2/8,
--   V3 = 0,  V13 = 8 b^2 pi^8 / 225 (the only interaction);  ST1 = (V1 + V13)/V, ST2 = S2,
--   ST3 = V13/V.
function M.ishigami(x, a, b)
  return math.sin(x[1]) + a * math.sin(x[2]) ^ 2 + b * x[3] ^ 4 * math.sin(x[1])
end

function M.ishigami_exact(a, b)
  local pi = math.pi
  local v = a ^ 2 / 8 + b * pi ^ 4 / 5 + b ^ 2 * pi ^ 8 / 18 + 0.5
  local v1, v2, v13 = 0.5 * (1 + b * pi ^ 4 / 5) ^ 2, a ^ 2 / 8, 8 * b ^ 2 * pi ^ 8 / 225
  return { S1 = { v1 / v, v2 / v, 0 }, ST = { (v1 + v13) / v, v2 / v, v13 / v } }
end

return M
