-- A scenario that sweeps another one from Lua (vmitn.sweep) and tabulates the points.
return {
  name = "sweeper",
  runs = 3,
  run = function(p)
    local pts = vmitn.sweep{ scenario = "flood", params = { theta = { 100, 200 }, duration = "5" }, jobs = 2 }
    local rows = {}
    for i, pt in ipairs(pts) do
      rows[i] = { theta = pt.theta, learn = pt.learning_time_mean, n = pt.learning_time_n }
    end
    vmitn.table("points", { "theta", "learn", "n" }, rows)
  end,
}
