-- The Sobol estimators of scenarios/saltelli.lua on the Ishigami function (a = 7, b = 0.1,
-- x uniform on [-pi, pi]^3), whose indices are known in closed form: writes
-- ishigami.csv (estimate, bootstrap interval, exact value per index) and fails, naming the
-- index, when an estimate is further than `tol` from the exact value.  Run by
-- tests/cli/sobol.sh at a fixed seed.
local sal = vmitn.include("saltelli")

return {
  name = "ishigami",
  about = "check of the Sobol estimators on the Ishigami function",
  runs = 1,
  params = {
    n = { default = 32768, min = 4, max = 1000000, integer = true, doc = "base sample size" },
    boot = { default = 200, min = 0, max = 100000, integer = true, doc = "bootstrap resamples" },
    tol = { default = 0.03, min = 0, max = 1, doc = "largest accepted absolute error of an index" },
  },
  run = function(p)
    local a, b = 7, 0.1
    local A, B = sal.matrices(p.n, 3, math.random)
    local function f(u)
      local x = {}
      for i = 1, 3 do x[i] = -math.pi + 2 * math.pi * u[i] end
      return sal.ishigami(x, a, b)
    end
    local fA, fB, fAB = {}, {}, { {}, {}, {} }
    for j = 1, p.n do
      fA[j], fB[j] = f(A[j]), f(B[j])
      for i = 1, 3 do fAB[i][j] = f(sal.mixed(A, B, j, i)) end
    end
    local est = sal.analyse(fA, fB, fAB, p.boot, math.random)
    local exact = sal.ishigami_exact(a, b)
    local rows, bad = {}, {}
    for i = 1, 3 do
      for _, s in ipairs({ "S1", "ST" }) do
        local e, x = est[i][s], exact[s][i]
        rows[#rows + 1] = { index = string.format("%s_x%d", s, i), estimate = e, lo = est[i][s .. "_lo"],
                            hi = est[i][s .. "_hi"], exact = x, error = e - x }
        if not (math.abs(e - x) <= p.tol) then
          bad[#bad + 1] = string.format("%s of x%d: estimate %.4f, exact %.4f", s, i, e, x)
        end
      end
    end
    vmitn.table("ishigami", { "index", "estimate", "lo", "hi", "exact", "error" }, rows)
    if #bad > 0 then error("Ishigami check failed (tolerance " .. p.tol .. "): " .. table.concat(bad, "; "), 0) end
  end,
}
