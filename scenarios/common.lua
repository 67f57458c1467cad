-- Helpers shared by the paper scenarios (loaded with vmitn.include("common")).
local M = {}

-- Deep copy of a table of tables.
local function copy(t)
  if type(t) ~= "table" then return t end
  local r = {}
  for k, v in pairs(t) do r[k] = copy(v) end
  return r
end

-- Merges b into a copy of a, section by section.
local function merge(a, b)
  local r = copy(a)
  for k, v in pairs(b or {}) do
    if type(v) == "table" and type(r[k]) == "table" and #v == 0 then
      r[k] = merge(r[k], v)
    else
      r[k] = copy(v)
    end
  end
  return r
end
M.merge = merge

-- The calibration (scenarios/calibrated.lua): its model, the view of "infected" the paper's
-- figures are compared in, its probabilities and its alternative points.
M.calibration = vmitn.include("calibrated")

-- The calibrated model with the scenario's changes on top (any number of tables).
function M.model(...)
  local m = M.calibration.model
  for _, t in ipairs({ ... }) do m = merge(m, t) end
  return m
end

-- Rows of the paper-vs-emulated comparison: one per quoted figure.
-- kind: "calibration" (a target the calibration fits) or "prediction" (nothing tuned).
local rows = {}
function M.compare(figure, quantity, paper, stat, kind, unit, worst)
  rows[#rows + 1] = {
    figure = figure, quantity = quantity, paper = paper, unit = unit or "",
    mean = stat and stat.mean, lo = stat and stat.lo, hi = stat and stat.hi,
    min = stat and stat.min, max = stat and stat.max, n = stat and stat.n,
    worst = worst, kind = kind,
  }
end

function M.write_compare()
  vmitn.table("compare",
    { "figure", "quantity", "paper", "unit", "mean", "ci95_lo", "ci95_hi", "min", "max", "worst", "n", "kind" },
    (function()
      local out = {}
      for i, r in ipairs(rows) do
        out[i] = { figure = r.figure, quantity = r.quantity, paper = r.paper, unit = r.unit,
                   mean = r.mean, ci95_lo = r.lo, ci95_hi = r.hi, min = r.min, max = r.max,
                   worst = r.worst, n = r.n, kind = r.kind }
      end
      return out
    end)())
  rows = {}
end

return M
