# regress.sh — the regression check: the paper scenarios, re-run with fewer runs, agree
# with the committed reference in results/; a deliberate change (the scan rate halved,
# or the learner's theta tripled) is caught and named; so are planted changes in the CI
# and worst columns (a spread four times wider behind each CI, the worst-run curve
# replaced by the runs' minimum).
. tests/cli/lib.sh
[ -f results/fig10/meta ] || { echo "regress.sh: no reference in results/ (run make reproduce)"; exit 1; }
ok sh scripts/regress.sh "$VMITN"

"$VMITN" run fig10 --out "$scratch/half" --seed 1 --runs 10 -q -p worm.rate=913 -p sets=2
expect 4 "" -- "$VMITN" compare results/fig10 "$scratch/half/fig10"
ok grep -q "DIFFERS fig10/none: time_all_infected" "$scratch/out"

"$VMITN" run fig11 --out "$scratch/theta" --seed 1 --runs 10 -q -p theta=300 -p sets=2
expect 4 "" -- "$VMITN" compare results/fig11 "$scratch/theta/fig11"
ok grep -q "DIFFERS fig11/learning: learning_time" "$scratch/out"
# the CI and worst columns against the reference: an unchanged re-run passes; NEW's
# summary with every spread four times wider (CI, sd consistent) and NEW's worst-run curve
# replaced by the lowest of the runs are caught
for sc in fig10 fig11; do "$VMITN" run $sc --out "$scratch/same" --seed 1 --runs 10 -q -p sets=2; done
expect 0 "" -- "$VMITN" compare results/fig10 "$scratch/same/fig10"
expect 0 "" -- "$VMITN" compare results/fig11 "$scratch/same/fig11"
f=$scratch/same/fig10/handover.summary.csv
awk -F, -v OFS=, 'NR > 1 && $2 >= 2 && $5 > 0 { $6 = sprintf("%.6g", $4 - 4 * ($4 - $6)); $7 = sprintf("%.6g", $4 + 4 * ($7 - $4)); $5 = sprintf("%.6g", 4 * $5) } { print }' \
  "$f" > "$f.new" && mv "$f.new" "$f"
expect 4 "" -- "$VMITN" compare results/fig10 "$scratch/same/fig10"
ok grep -q "^DIFFERS fig10/handover: handover.summary.csv: handover.alarm: the spread behind the 95 % CI moved" "$scratch/out"
f=$scratch/same/fig11/learning.curve.csv
w=$(head -1 "$f" | tr ',' '\n' | grep -nx infected_worst | cut -d: -f1)
mn=$(head -1 "$f" | tr ',' '\n' | grep -nx infected_min | cut -d: -f1)
awk -F, -v OFS=, -v w="$w" -v mn="$mn" 'NR > 1 { $w = $mn } { print }' "$f" > "$f.new" && mv "$f.new" "$f"
expect 4 "" -- "$VMITN" compare results/fig11 "$scratch/same/fig11"
ok grep -q "^DIFFERS fig11/learning: learning.curve.csv: the worst run's peak (highest infected_worst): reference 6 " "$scratch/out"
finish
