-- The learner's operating curve (beyond the paper): for a grid of lambda and theta, what it
-- costs on benign traffic (rules issued, the share of the capture's packets they would
-- drop) against what it buys on attacks (detection delay, and whether the rule is the
-- right one), on real captures and on the emulated Code Red and TFN2K.
--
-- Captures go through vmitn.learn: the learner `vmitn learn` runs, in capture order, with
-- every AGENT holding a rule from the packet after the one that made it (an upper bound
-- on the damage: no OOB delay).  A capture's attack is the packets its truth pattern (an
-- analyst's rule) matches; the first rule that matches an attack packet detects it, after
-- the delay from the attack's first packet (0 when the rule came first, learned from the
-- attacker's earlier traffic; the IoT capture's scan starts at packet 1085, 506.458 s in,
-- after DHCP, DNS and NTP from the same device); it is right when it is the truth or narrower
-- (it drops attack packets only).  Emulated attacks run through the model (calibrated
-- testbed, learning on, no hand-over): the delay is rule_issued_time (the attack's start to
-- the first rule); a Code Red rule is right when it names a scanner ({scanner, *, 80}), a
-- TFN2K rule when it names a victim ({*, victim, 80}): {*, *, 80} blocks the whole web.
--
-- A capture that is not there is skipped, with its name in roc_skipped.csv (the shared
-- captures are not part of the project: ../shared/captures/README.md has their terms).
local common = vmitn.include("common")

-- The public captures of ../shared/captures and their truth patterns (README there).
local SHARED_BENIGN = "benign-web-multisite-https.pcap,benign-mail-pop3.pcap,benign-dns-heavy-lookups.pcapng,"
  .. "benign-filetransfer-ftp.pcap,benign-office-lan-workstation.pcapng,benign-streaming-netflix.pcap,"
  .. "benign-voip-sip-rtp-t38.pcap,benign-busy-scada-modbus.pcap"
local SHARED_ATTACK = "attack-ddos-isakmp-amplification.pcap=*,10.10.10.10,*;"
  .. "attack-portscan-vertical-nmap-connect.pcap=192.168.1.10,192.168.1.25,*;"
  .. "attack-iot-malware-telnet-scan-23.pcap=192.168.2.16,*,*@506.458;"
  .. "attack-ftp-bruteforce.pcap=192.168.56.1,192.168.56.101,21"

local function numbers(s, what)
  local t = {}
  for v in s:gmatch("[^,]+") do
    local x = tonumber(v)
    if x == nil or x < 1 then error(what .. ": not a number >= 1: '" .. v .. "'", 0) end
    t[#t + 1] = x
  end
  return t
end

local function split(s, sep)
  local t = {}
  for v in s:gmatch("[^" .. sep .. "]+") do t[#t + 1] = v end
  return t
end

local function path(dir, f)
  if f:sub(1, 1) == "/" or dir == "" then return f end
  return dir .. "/" .. f
end

local function fields(pat)
  local a, b, c = pat:match("^([^,]*),([^,]*),([^,]*)$")
  return a, b, c
end

return {
  name = "roc",
  about = "The pattern learner's operating curve over lambda and theta: benign captures, attack captures, emulated Code Red and TFN2K",
  runs = 10,
  params = {
    lambdas = { default = "2,5,10,20,50", doc = "stage-1 thresholds (comma-separated)" },
    thetas = { default = "25,50,100,200,300", doc = "stage-2 thresholds (comma-separated)" },
    dir = { default = "../shared/captures", doc = "folder of the captures named in benign and attack (a relative folder is from the current one)" },
    benign = { default = SHARED_BENIGN, doc = "benign captures, comma-separated" },
    attack = { default = SHARED_ATTACK, doc = "attack captures with their truth patterns: FILE=SRC,DST,PORT[@START];... ('*' for any; START: s from the capture's first packet to the attack's, default 0)" },
    emulated = { default = true, doc = "also run the emulated Code Red and TFN2K through the model" },
    duration = { default = 10, unit = "s", min = 1, max = 3600, doc = "simulated time of an emulated run" },
    flood_rate = { default = 500, unit = "packets/s", min = 1, max = 1e6, doc = "TFN2K's rate" },
  },
  run = function(p)
    local lambdas, thetas = numbers(p.lambdas, "lambdas"), numbers(p.thetas, "thetas")
    local benign, attack, skipped = {}, {}, {}
    for _, f in ipairs(split(p.benign, ",")) do benign[#benign + 1] = { file = f, path = path(p.dir, f) } end
    for _, e in ipairs(split(p.attack, ";")) do
      local f, truth = e:match("^([^=]+)=(.+)$")
      if f == nil then error("attack: '" .. e .. "': expected FILE=SRC,DST,PORT[@START]", 0) end
      local from = 0
      if truth:find("@", 1, true) then
        truth, from = truth:match("^(.-)@(.*)$")
        from = tonumber(from)
        if from == nil then error("attack: '" .. e .. "': START after @ must be seconds", 0) end
      end
      attack[#attack + 1] = { file = f, path = path(p.dir, f), truth = truth, from = from }
    end
    -- which captures are there (an unreadable one is skipped, with the reason)
    local function present(list, kind)
      local kept = {}
      for _, c in ipairs(list) do
        local r, why = vmitn.learn(c.path, { truth = c.truth, missing_ok = true })
        if r then kept[#kept + 1] = c
        else skipped[#skipped + 1] = { kind = kind, capture = c.file, reason = why } end
      end
      return kept
    end
    benign, attack = present(benign, "benign"), present(attack, "attack")
    for _, s in ipairs(skipped) do vmitn.log("roc: skipping " .. s.capture .. ": " .. s.reason) end
    vmitn.table("roc_skipped", { "kind", "capture", "reason" }, skipped)

    local points, rows = {}, {}
    for _, lambda in ipairs(lambdas) do
      for _, theta in ipairs(thetas) do
        local cfg = { lambda = lambda, theta = theta }
        local row = { lambda = lambda, theta = theta, benign_captures = #benign, benign_with_rule = 0,
                      benign_rules = 0, benign_dropped = 0, attacks = 0, detected = 0, right = 0, delay_sum = 0 }
        for _, c in ipairs(benign) do
          local r = vmitn.learn(c.path, cfg)
          points[#points + 1] = { input = c.file, kind = "benign", lambda = lambda, theta = theta, packets = r.fed,
                                  rules = r.rules, first_rule = r.first_rule, benign_dropped_share = r.dropped_share,
                                  first_pattern = r.rule_list[1] and r.rule_list[1].pattern }
          row.benign_rules = row.benign_rules + r.rules
          row.benign_dropped = row.benign_dropped + r.dropped_share
          if r.rules > 0 then row.benign_with_rule = row.benign_with_rule + 1 end
        end
        local function attacked(input, kind, delay, pattern, right, extra)
          row.attacks = row.attacks + 1
          if delay then
            row.detected = row.detected + 1
            row.delay_sum = row.delay_sum + delay
          end
          if right then row.right = row.right + 1 end
          local pt = { input = input, kind = kind, lambda = lambda, theta = theta, detect_delay = delay,
                       detect_rule = pattern, right = right and 1 or 0 }
          for k, v in pairs(extra or {}) do pt[k] = v end
          points[#points + 1] = pt
        end
        for _, c in ipairs(attack) do
          local r = vmitn.learn(c.path, { lambda = lambda, theta = theta, truth = c.truth, attack_from = c.from })
          attacked(c.file, "attack", r.detect_delay, r.detect_rule, r.right,
                   { packets = r.fed, rules = r.rules, first_rule = r.first_rule, truth = c.truth,
                     attack_dropped_share = r.attack_dropped_share, benign_dropped_share = r.other_dropped_share })
        end
        if p.emulated then
          local smc = { learning = true, lambda = lambda, theta = theta }
          local emu = {
            { "codered", common.model({ duration = p.duration, smc = smc }), 1 },
            { "tfn2k", common.model({ duration = p.duration, worm = { enabled = false }, smc = smc,
                                      flood = { enabled = true, host = "L1-1", rate = p.flood_rate, start = 0 } }), 2 },
          }
          for _, e in ipairs(emu) do
            local s = vmitn.measure(e[2])
            -- each run's first rule: right when it names the scanner (Code Red) or the victim (TFN2K)
            local first = {}
            for _, x in ipairs(s.rule_list) do
              if first[x.run] == nil or x.issued < first[x.run].issued then first[x.run] = x end
            end
            local n_right, n_runs, pattern = 0, s.runs, nil
            for run = 0, s.runs - 1 do
              local x = first[run]
              if x then
                local src, dst = fields(x.pattern)
                if (e[3] == 1 and src ~= "*") or (e[3] == 2 and dst ~= "*") then n_right = n_right + 1 end
                pattern = pattern or x.pattern
              end
            end
            local d = s.rule_issued_time
            attacked(e[1], "emulated", d.n > 0 and d.mean or nil, pattern, n_right * 2 > n_runs,
                     { runs = n_runs, detected_runs = d.n, right_share = n_right / n_runs,
                       learning_time = s.learning_time.n > 0 and s.learning_time.mean or nil })
          end
        end
        row.benign_rules = #benign > 0 and row.benign_rules / #benign or nil
        row.benign_dropped = #benign > 0 and row.benign_dropped / #benign or nil
        row.mean_delay = row.detected > 0 and row.delay_sum / row.detected or nil
        row.delay_sum = nil
        rows[#rows + 1] = row
      end
    end
    vmitn.table("roc_points", { "input", "kind", "lambda", "theta", "packets", "rules", "first_rule", "first_pattern",
                                "truth", "detect_delay", "detect_rule", "right", "right_share", "runs", "detected_runs",
                                "learning_time", "attack_dropped_share", "benign_dropped_share" }, points)
    vmitn.table("roc", { "lambda", "theta", "benign_captures", "benign_with_rule", "benign_rules", "benign_dropped",
                         "attacks", "detected", "right", "mean_delay" }, rows)
  end,
}
