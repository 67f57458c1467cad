-- The learner under background traffic (beyond the paper).  The paper's experiments have
-- none, and its assumption (2) is that attack traffic overwhelms legitimate traffic; so
-- Figs 9-12 run without it (docs/MODEL.md 4) and this experiment asks what the learner
-- does when there is some: legitimate HTTP (and a quarter as much SMTP) between the FES
-- hosts at a swept rate, first with no attack (does background traffic alone train the
-- learner?), then in the Fig 12 setting (how much of the result survives it?).
--
-- Stage 1 ages counts with half-life h, so a steady stream of r headers/s of one value
-- holds a count of about r h / ln 2; it passes lambda when r > lambda ln 2 / h (6.9
-- headers/s at the paper's lambda = 10, h = 1 s).  Every request is tapped twice (at the
-- sender's and at the receiver's AGENT), so port 80 carries 2 x 6 x rate headers/s.
local common = vmitn.include("common")

return {
  name = "background",
  about = "The pattern learner under legitimate background traffic, rate swept (beyond the paper)",
  runs = 20,
  params = {
    rates = { default = "0.1,0.25,0.5,1,2,4", doc = "comma-separated HTTP request rates per FES host (requests/s)" },
    duration = { default = 20, unit = "s", min = 1, max = 3600, doc = "simulated time per run" },
  },
  run = function(p)
    local rows = {}
    local cal = common.calibration.model
    local lambda, h = 10, 1 -- the learner's defaults (vmitn list --model)
    local pass = lambda * math.log(2) / h
    local first_rule_rate
    for v in p.rates:gmatch("[^,]+") do
      local rate = tonumber(v)
      if rate == nil or rate <= 0 then error("not a positive number in rates: '" .. v .. "'", 0) end
      local legit = { http_rate = rate, smtp_rate = rate / 4 }
      local tag = string.format("%g", rate):gsub("%.", "_")
      local quiet = vmitn.experiment("quiet_r" .. tag, common.model({
        duration = p.duration, legit = legit, worm = { enabled = false }, smc = { learning = true } }))
      local both = vmitn.experiment("fig12_r" .. tag, common.model({
        duration = p.duration, legit = legit, fes = { handover = true }, smc = { learning = true } }))
      -- no attack in `quiet`: its rules are all the background's, so its first rule is read
      -- from the rule list (rule_issued_time is the attack's first rule: docs/MODEL.md 7)
      local first, nfirst, sum = {}, 0, 0
      for _, x in ipairs(quiet.rule_list) do
        if first[x.run] == nil or x.issued < first[x.run] then first[x.run] = x.issued end
      end
      for _, t in pairs(first) do nfirst, sum = nfirst + 1, sum + t end
      local with_rule = 0
      for _, r in ipairs(quiet.rules.values) do if r > 0 then with_rule = with_rule + 1 end end
      if with_rule > 0 and first_rule_rate == nil then first_rule_rate = rate end
      rows[#rows + 1] = {
        http_rate = rate, port80_headers = 2 * 6 * rate, stage1_pass = pass,
        quiet_runs_with_rule = with_rule / #quiet.rules.values, quiet_rules = quiet.rules.mean,
        quiet_first_rule = nfirst > 0 and sum / nfirst or nil, quiet_served = quiet.legit_served_share.mean,
        fig12_availability = both.availability.mean, fig12_served = both.legit_served_share.mean,
        fig12_peak_worst = both.peak_infected.max, fig12_learning = both.learning_time.mean, fig12_learning_runs = both.learning_time.n,
        fig12_rules = both.rules.mean, fig12_first_rule = both.first_rule_time.mean,
        fig12_background_rules = both.background_rules.mean,
      }
    end
    vmitn.table("background", { "http_rate", "port80_headers", "stage1_pass", "quiet_runs_with_rule", "quiet_rules",
                                "quiet_first_rule", "quiet_served", "fig12_availability", "fig12_served",
                                "fig12_peak_worst", "fig12_learning", "fig12_learning_runs", "fig12_rules", "fig12_first_rule",
                                "fig12_background_rules" }, rows)
    common.compare("Background", "lowest swept HTTP rate per host at which traffic alone trains the learner",
                   "not in the paper", first_rule_rate and { mean = first_rule_rate, n = 1 } or nil, "beyond the paper",
                   "requests/s", nil, { verdict = "not identifiable",
                   reason = string.format("the paper has no background traffic; stage 1 passes a value above %.2g headers/s (%.2g requests/s per host on port 80)", pass, pass / 12) })
    common.write_compare()
  end,
}
