# calibrate.sh — the calibration knows its box: where a point lies in it (walls(), from the box
# scenarios/calibrate.lua declares), the flag in walls.csv and summary.md when the search stops on
# a bound that is a modelling choice, the frontier taken over every point searched, and the
# errors of the box parameter.
. tests/cli/lib.sh

# walls() on hand-made points: a bound is hit within 1 % of the box's width; the shrink's top
# depends on the scan-region reading (consistent 16, near 24) and is a physical limit, as are
# the delays' and the CV's 0; the other bounds are modelling choices.
cat > "$scratch/wallcheck.lua" <<'EOF'
local c = vmitn.include("calibrate")
return { name = "wallcheck", about = "walls() of the calibration", runs = 1, params = {}, run = function()
  local rows = {}
  local function add(label, region, x, report)
    for _, w in ipairs(c.walls({ region = region, report = report }, x)) do w.case = label; rows[#rows + 1] = w end
  end
  add("a", "near", { shrink = 24, activation = 1, activation_cv = 0, launch_startup = 5 })
  add("b", "consistent", { shrink = 16, activation = 3, activation_cv = 0.5, launch_startup = 0.049 })
  add("c", "near", { shrink = 16, activation = 0.031, activation_cv = 0.011, launch_startup = 4.96 })
  add("d", "consistent", { shrink = 6.09, activation = 2.971, activation_cv = 0.995, launch_startup = 2 })
  -- the SPY reading: the launched worm's start-up is fixed at 0 there, the report period searched
  add("e", "consistent", { shrink = 10, activation = 1, activation_cv = 0.5, launch_startup = 0, report_period = 0.06 }, "spy")
  add("f", "near", { shrink = 10, activation = 1, activation_cv = 0.5, launch_startup = 0, report_period = 2.98 }, "spy")
  vmitn.table("walls", { "case", "knob", "value", "lo", "hi", "wall", "physical" }, rows)
end }
EOF
cat > "$scratch/walls.want" <<'EOF'
case,knob,value,lo,hi,wall,physical
a,shrink,24,6,24,upper,yes
a,activation,1,0,3,inside,
a,activation_cv,0,0,1,lower,yes
a,launch_startup,5,0,5,upper,no
b,shrink,16,6,16,upper,yes
b,activation,3,0,3,upper,no
b,activation_cv,0.5,0,1,inside,
b,launch_startup,0.049,0,5,lower,yes
c,shrink,16,6,24,inside,
c,activation,0.031,0,3,inside,
c,activation_cv,0.011,0,1,inside,
c,launch_startup,4.96,0,5,upper,no
d,shrink,6.09,6,16,lower,no
d,activation,2.971,0,3,upper,no
d,activation_cv,0.995,0,1,upper,no
d,launch_startup,2,0,5,inside,
e,shrink,10,6,16,inside,
e,activation,1,0,3,inside,
e,activation_cv,0.5,0,1,inside,
e,report_period,0.06,0.05,3,lower,no
f,shrink,10,6,24,inside,
f,activation,1,0,3,inside,
f,activation_cv,0.5,0,1,inside,
f,report_period,2.98,0.05,3,upper,no
EOF
ok "$VMITN" run "$scratch/wallcheck.lua" -q --out "$scratch/w"
ok cmp "$scratch/walls.want" "$scratch/w/wallcheck/walls.csv"

# A tiny search in a box whose shrink has no width: the calibrated point and the Nelder-Mead
# end sit on both of its bounds, which the box parameter makes modelling choices; summary.md
# (and so REPORT.md) says so, and names the knob.
small="-p sets=2 -p lhs=2 -p refine=1 -p nm_iterations=2 -p only=near/offline/scan"
ok "$VMITN" run calibrate $small -p box=shrink=12:12 --seed 3 -q --out "$scratch/c"
w=$scratch/c/calibration/walls.csv
ok grep -qx 'calibrated point,near/offline/scan,shrink,12,12,12,lower+upper,no' "$w"
ok grep -qx 'Nelder-Mead end 1,near/offline/scan,shrink,12,12,12,lower+upper,no' "$w"
ok test "$(grep -c ',shrink,' "$w")" -eq 2
ok grep -q 'Optimum on a wall that is a modelling choice\*\*: `shrink` (calibrated point), .*`shrink` (Nelder-Mead end 1)' \
  "$scratch/c/calibration/summary.md"
# every row of walls.csv agrees with its own value and box (the 1 % rule)
ok awk -F, 'NR > 1 { tol = 0.01 * ($6 - $5); lo = $4 <= $5 + tol; hi = $4 >= $6 - tol
  want = lo && hi ? "lower+upper" : lo ? "lower" : hi ? "upper" : "inside"; if ($7 != want) bad = 1 } END { exit bad }' "$w"

# The same search in the declared box: the shrink is no longer pinned.
ok "$VMITN" run calibrate $small --seed 3 -q --out "$scratch/d"
ok grep -q '^calibrated point,near/offline/scan,shrink,[0-9.e+-]*,6,24,' "$scratch/d/calibration/walls.csv"
ok sh -c "! grep -q ',shrink,12,12,12,' '$scratch/d/calibration/walls.csv'"

# The frontier is taken over every scored row of search.csv, for every pair and triple.
f=$scratch/c/calibration/frontier.csv
rows=$(($(wc -l < "$scratch/c/calibration/search.csv") - 1))
ok test "$(awk -F, 'NR > 1 { print $6 }' "$f" | sort -u)" = "$rows"
ok grep -q '^fig10_none_curve+fig10_ho_clean+fig11_learn,' "$f"
# the best share of sets meeting every target equals the best p_all of search.csv
best_all=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "p_all") c = i; next } $c > m { m = $c } END { print m + 0 }' \
  "$scratch/c/calibration/search.csv")
ok test "$(awk -F, '$1 == "fig10_none_mean+fig10_ho_worst+fig10_ho_clean+fig11_learn+fig11_worst" { print $2 + 0 }' "$f")" = "$best_all"

# The box parameter's errors: one message, non-zero exit, nothing written.
expect 1 "parameter box: unknown knob 'foo' (shrink, activation, activation_cv, launch_startup, report_period)" -- \
  "$VMITN" run calibrate $small -p box=foo=1:2 -q --out "$scratch/e1"
nothing_left "$scratch/e1"
expect 1 "parameter box: shrink needs numbers 0 <= lo <= hi, got 'shrink=14:12'" -- \
  "$VMITN" run calibrate $small -p box=shrink=14:12 -q --out "$scratch/e2"
expect 1 "parameter box: 'shrink' is not knob=lo:hi" -- "$VMITN" run calibrate $small -p box=shrink -q --out "$scratch/e3"
nothing_left "$scratch/e3"

# The SPY reading of the reports (smc.report_path = spy), run alone: its points have the
# launched worm's start-up at 0 and a report period in its box; it is shown next to the shipped
# point of the bridge reading at the same structure, in readings.csv and summary.md, with the
# learning time at theta / 2 and 2 theta.
ok "$VMITN" run calibrate -p sets=2 -p spy_lhs=2 -p spy_nm_iterations=0 -p only=consistent/offline/scan/spy --seed 3 -q \
  --out "$scratch/spy"
d=$scratch/spy/calibration
ok awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { n++; if ($c["structure"] == "consistent/offline/scan/spy") { spy++; if ($c["launch_startup"] != 0 || $c["report_period"] < 0.05 || $c["report_period"] > 3) bad = 1 }
    else if ($c["stage"] != "shipped" || $c["report_period"] != 0.1) bad = 1 }
  END { exit bad || spy != 4 || n != 6 }' "$d/search.csv"
ok test "$(cut -d, -f1 "$d/readings.csv" | tr '\n' ' ')" = "reading bridge spy "
ok awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { if ($c["learn_t_half_theta"] == "" || $c["learn_t_double_theta"] == "" || $c["theta"] != 100) bad = 1
    if ($c["learn_t_half_theta"] > $c["learn_t"] + 1e-9 || $c["learn_t"] > $c["learn_t_double_theta"] + 1e-9) bad = 1 }
  END { exit bad }' "$d/readings.csv"
ok grep -q '^| report_period (.*) | 0.1 (fixed) | [0-9.]* |$' "$d/summary.md"
ok grep -q '^| launch_startup (.*) | [0-9.]* | 0 (fixed) |$' "$d/summary.md"
ok grep -q '^| Fig 10 hand-over: runs peaking at 1/2/3/4/5/6 hosts | [0-9/]* | [0-9/]* |$' "$d/summary.md"
ok grep -q '^| not a target (judged, not fitted): Fig 9, θ = 100 under 3 s below 250 packets/s — share of sets | [0-9.]* | [0-9.]* |$' "$d/summary.md"
# the bridge reading learns Fig 9's flood sooner than the SPY reading (its reports cross VmCom)
ok awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { t[$1] = $c["fig9_t200"] }
  END { exit !(t["bridge"] > 0 && t["bridge"] + 0.9 < t["spy"]) }' "$d/readings.csv"
# a SPY reading asked for by name needs its Latin hypercube
expect 1 "only names a SPY reading (consistent/offline/scan/spy) but spy_lhs = 0" -- \
  "$VMITN" run calibrate -p sets=2 -p spy_lhs=0 -p only=consistent/offline/scan/spy -q --out "$scratch/e4"
nothing_left "$scratch/e4"
expect 1 "parameter only: 'far/offline/scan/spy' is not region/backup/detect/spy" -- \
  "$VMITN" run calibrate -p sets=2 -p only=far/offline/scan/spy -q --out "$scratch/e5"
nothing_left "$scratch/e5"
# a misspelled grid structure beside a right one is named, not dropped
expect 1 "parameter only: 'near/offlin/scan' is not region/backup/detect[/spy]" -- \
  "$VMITN" run calibrate -p sets=2 -p only=near/offline/scan,near/offlin/scan -q --out "$scratch/e6"
nothing_left "$scratch/e6"

finish
