-- The VMITN experiments of Figs 10-12 over replayed real background traffic (beyond the
-- paper).  The paper's figures have no legitimate traffic, and its assumption (2) is that
-- attack traffic overwhelms it; here a public capture is replayed as the testbed's
-- legitimate traffic (legit.trace: its private addresses, or else its clients, become FES
-- hosts, in a seeded order per run; docs/MODEL.md 4), looped, starting `warmup` seconds before the worm, and
-- every packet crosses the AGENTs like the worm's: what the learner blocks of it is
-- collateral damage on real traffic (replay_blocked_share).
--
-- For each background: no countermeasure, Rapid Hand Over, Attack Pattern Learning, and
-- both (the calibrated Figs 10, 11 and 12), beside the same four without background.
-- A capture that is not there is skipped and listed in replay_skipped.csv.
local common = vmitn.include("common")

local SHARED = "benign-web-multisite-https.pcap;benign-mail-pop3.pcap;benign-dns-heavy-lookups.pcapng;"
  .. "benign-filetransfer-ftp.pcap;benign-office-lan-workstation.pcapng;benign-streaming-netflix.pcap;"
  .. "benign-voip-sip-rtp-t38.pcap;benign-busy-scada-modbus.pcap"

local function split(s, sep)
  local t = {}
  for v in s:gmatch("[^" .. sep .. "]+") do t[#t + 1] = v end
  return t
end

-- A label for a background: its first file's name without folder and extension.
local function label_of(files)
  local f = files[1]:match("([^/]+)$"):gsub("%.pcapng$", ""):gsub("%.pcap$", ""):gsub("[^%w_-]", "_")
  if #files > 1 then f = f .. "_mix" .. #files end
  return f:sub(1, 60)
end

local EXPS = {
  { "none", {} },
  { "handover", { fes = { handover = true } } },
  { "learning", { smc = { learning = true } } },
  { "both", { fes = { handover = true }, smc = { learning = true } } },
}

return {
  name = "replay",
  about = "Figs 10-12 (calibrated) over replayed public captures as legitimate background traffic",
  runs = 20,
  params = {
    dir = { default = "../shared/captures", doc = "folder of the captures (a relative folder is from the current one)" },
    traces = { default = SHARED, doc = "backgrounds, ';'-separated; each one capture or a ','-separated mix" },
    warmup = { default = 10, unit = "s", min = 0, max = 3600, doc = "background before the worm's launch" },
    duration = { default = 20, unit = "s", min = 1, max = 3600, doc = "simulated time after the launch" },
    inside = { default = "auto", doc = "legit.trace_inside: auto, private, clients or map" },
    baseline = { default = true, doc = "also run the four experiments without background" },
  },
  run = function(p)
    local rows, skipped = {}, {}
    local function measure(bg, files, extra)
      for _, e in ipairs(EXPS) do
        local label = bg .. "_" .. e[1]
        local m = common.model({ duration = p.duration + p.warmup, worm = { start_time = p.warmup } }, e[2], extra)
        local r = vmitn.experiment(label, m)
        local before = 0
        for _, x in ipairs(r.rule_list) do if x.issued < 0 then before = before + 1 end end
        rows[#rows + 1] = {
          background = bg, experiment = e[1], captures = files,
          peak_worst = r.peak_infected.max, peak_mean = r.peak_infected.mean,
          all_infected = r.time_all_infected.n > 0 and r.time_all_infected.mean or nil,
          all_infected_runs = r.time_all_infected.n,
          cleaned = r.time_cleaned.n > 0 and r.time_cleaned.mean or nil,
          learning = r.learning_time.n > 0 and r.learning_time.mean or nil,
          learning_runs = r.learning_time.n,
          first_rule = r.first_rule_time.n > 0 and r.first_rule_time.mean or nil,
          background_rules = r.background_rules.mean,
          attacked_worst = r.hosts_attacked.max, attacked_mean = r.hosts_attacked.mean,
          availability = r.availability.mean, rules = r.rules.mean, rules_before_attack = before / r.runs,
          replay_sent = r.replay.sent.mean, replay_blocked_share = r.replay.blocked_share.mean,
        }
      end
    end
    if p.baseline then measure("no_background", "", {}) end
    for _, bgspec in ipairs(split(p.traces, ";")) do
      local files, paths, ok = split(bgspec, ","), {}, true
      for _, f in ipairs(files) do
        local path = (f:sub(1, 1) == "/" or p.dir == "") and f or (p.dir .. "/" .. f)
        local r, why = vmitn.learn(path, { missing_ok = true })
        if r == nil then
          ok = false
          skipped[#skipped + 1] = { background = bgspec, reason = why }
          vmitn.log("replay: skipping " .. bgspec .. ": " .. why)
        end
        paths[#paths + 1] = path
      end
      if ok then
        measure(label_of(files), bgspec, { legit = { trace = table.concat(paths, ","), trace_loop = true,
                                                     trace_inside = p.inside } })
      end
    end
    vmitn.table("replay_skipped", { "background", "reason" }, skipped)
    vmitn.table("replay", { "background", "experiment", "captures", "peak_worst", "peak_mean", "all_infected",
                            "all_infected_runs", "cleaned", "learning", "attacked_worst", "attacked_mean",
                            "availability", "rules", "rules_before_attack", "replay_sent", "replay_blocked_share",
                            "learning_runs", "first_rule", "background_rules" }, rows)
  end,
}
