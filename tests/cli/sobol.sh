# sobol.sh — the Sobol estimators (scenarios/saltelli.lua) against the Ishigami function's
# analytic indices at a fixed seed (tests/data/scen/ishigami.lua: every index within 0.03),
# the same check failing on planted bugs in a copy of the estimators (A and B swapped in
# A_B^i; A's values in place of B's in the first-order estimator; Jansen's total effect
# without its 1/2), and scenarios/sobol.lua on a tiny design: its table, the worm's knobs at
# exactly 0 for Fig 9 (no worm there), the searched knobs' ranges equal to calibrate.lua's box,
# same seed -> byte-identical files (--jobs 1 or 2), REPORT.md's section and the plot.
. tests/cli/lib.sh
repo=$PWD

ok "$VMITN" run tests/data/scen/ishigami.lua --seed 1 --out "$scratch/ok" -q
ok test -s "$scratch/ok/ishigami/ishigami.csv"

# planted bugs: the check beside a mutated copy of saltelli.lua (include looks beside the
# scenario first) must fail, naming an index
mutant() {
  mkdir -p "$scratch/$1"
  cp tests/data/scen/ishigami.lua "$scratch/$1/"
  sed "$2" scenarios/saltelli.lua >"$scratch/$1/saltelli.lua"
  checks=$((checks + 1))
  if cmp -s scenarios/saltelli.lua "$scratch/$1/saltelli.lua"; then
    fails=$((fails + 1)); echo "FAIL: mutant $1 did not change saltelli.lua"
  fi
  expect 1 "Ishigami check failed" -- "$VMITN" run "$scratch/$1/ishigami.lua" --seed 1 --out "$scratch/$1/out" -q
}
mutant swapped 's/r\[k\] = A\[j\]\[k\]/r[k] = B[j][k]/; s/r\[i\] = B\[j\]\[i\]/r[i] = A[j][i]/'
mutant first_order 's/a = a + (fB\[j\] - mean) \* (y - fA\[j\])/a = a + (fA[j] - mean) * (y - fA[j])/'
mutant jansen 's|S1\[i\], ST\[i\] = a / n / v, t / (2 \* n) / v|S1[i], ST[i] = a / n / v, t / n / v|'

# the scenario on a tiny design
for j in 1 2; do
  ok "$VMITN" run sobol --seed 5 --jobs $j -p n=4 -p reps=2 -p learn_reps=2 -p boot=20 --out "$scratch/s$j" -q
done
ok cmp "$scratch/s1/sobol/sobol.csv" "$scratch/s2/sobol/sobol.csv"
f=$scratch/s1/sobol/sobol.csv
# 7 statistics x (9 knobs + the noise floor), and a header
ok test "$(wc -l <"$f")" -eq 71
ok test "$(head -1 "$f")" = "figure,statistic,knob,lo,hi,scale,range,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi,mean,sd,n,reps"
# the worm's knobs never reach Fig 9: both indices exactly 0 (common random numbers)
ok test "$(awk -F, '$1 == "fig9" && ($3 == "shrink" || $3 ~ /startup/ || $3 == "scan_rate") && ($8 != 0 || $11 != 0)' "$f" | wc -l)" -eq 0
ok test "$(awk -F, '$1 == "fig9" && $3 ~ /startup|shrink|scan_rate/' "$f" | wc -l)" -eq 10
# the searched knobs' ranges are calibrate.lua's box (the calibrated consistent reading)
box() { # KNOB-in-calibrate.lua KNOB-in-sobol.csv: lo and hi equal
  lo=$(sed -n "s/.*name = \"$1\", lo = \([0-9.]*\),.*/\1/p" scenarios/calibrate.lua)
  hi=$(sed -n "s/.*name = \"$1\", lo = [0-9.]*, hi = \([0-9.]*\),.*/\1/p; s/.*name = \"$1\",.*consistent = \([0-9.]*\).*/\1/p" scenarios/calibrate.lua)
  ok test -n "$lo" -a -n "$hi"
  ok test "$(awk -F, -v k="$2" -v lo="$lo" -v hi="$hi" '$3 == k && ($4 != lo + 0 || $5 != hi + 0)' "$f" | wc -l)" -eq 0
}
box shrink shrink
box activation victim_startup
box activation_cv startup_cv
box launch_startup launch_startup
# REPORT.md gets the section, and plots.sh the plot
mkdir -p "$scratch/s1/fig11" && cp results/fig11/compare.csv "$scratch/s1/fig11/"
ok "$VMITN" report "$scratch/s1"
ok grep -q "^## Which knob carries which figure over the whole box" "$scratch/s1/REPORT.md"
if command -v gnuplot >/dev/null 2>&1; then
  ok sh scripts/plots.sh "$scratch/s1" 2>/dev/null
  ok test -s "$scratch/s1/plots/sobol.png"
else
  skip "gnuplot not found: plots/sobol.png not drawn"
fi
finish
