local common = vmitn.include("common")
return { name="probe", runs=20, params = {
  s = {default=12}, act={default=1.0}, cv={default=0.3}, ls={default=0}, mode={default="consistent"},
  backup={default="always"}, detect={default="scan"}, sets={default=20}, fast={default=1} },
run=function(p)
  local lb = p.mode == "consistent" and 16 - p.s or 16
  local w = { local_bits = lb, near_bits = 24 - p.s, any_bits = p.mode=="consistent" and 32 - p.s or 32,
              activation = p.act, activation_cv = p.cv, launch_startup = p.ls, launch_detect = p.detect }
  local n = 20 * p.sets
  local base = { worm = w, fes = { backup = p.backup }, grid = 0.5 }
  local none = vmitn.measure(common.model(base, { worm = { fast = p.fast == 1 } }), n)
  local ho = vmitn.measure(common.model(base, { worm = { fast = p.fast == 1 }, fes = { handover = true } }), n)
  local le = vmitn.measure(common.model(base, { duration = 12, smc = { learning = true } }), n)
  local function fmt(s) return string.format("%.2f/%s/%s", s.mean or -1, tostring(s.max), s.missing) end
  vmitn.log("none t_all "..fmt(none.time_all_infected).." seen "..fmt(none.seen_time_all_infected))
  vmitn.log("ho peak "..fmt(ho.peak_infected).." seen "..fmt(ho.seen_peak_infected).." clean "..fmt(ho.time_cleaned).." seenclean "..fmt(ho.seen_time_cleaned))
  vmitn.log("learn "..fmt(le.learning_time).." att "..fmt(le.hosts_attacked).." seenatt "..fmt(le.seen_hosts_attacked))
  -- set probabilities
  local function sets(vals, f) local ok=0; for k=0,p.sets-1 do local t={} for i=1,20 do t[i]=vals[k*20+i] end if f(t) then ok=ok+1 end end return ok/p.sets end
  local function mean(t, cens) local s=0 for _,v in ipairs(t) do if v~=v then v=cens end s=s+v end return s/#t end
  local function max(t) local m=-1 for _,v in ipairs(t) do if v==v and v>m then m=v end end return m end
  vmitn.log(string.format("P none mean<=6 %.2f  P ho worst<=4 %.2f  P clean 7.8+-10%% %.2f  P learn 3.7+-10%% %.2f  P att<=4 %.2f",
    sets(none.time_all_infected.values, function(t) return mean(t,20)<=6 end),
    sets(ho.peak_infected.values, function(t) return max(t)<=4 end),
    sets(ho.time_cleaned.values, function(t) local m=mean(t,20) return m>=7.02 and m<=8.58 end),
    sets(le.learning_time.values, function(t) local m=mean(t,20) return m>=3.33 and m<=4.07 end),
    sets(le.hosts_attacked.values, function(t) return max(t)<=4 end)))
end }
