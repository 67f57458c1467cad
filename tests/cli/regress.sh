# regress.sh — the regression check: the paper scenarios, re-run with fewer runs, agree
# with the committed reference in results/; a deliberate change (the scan rate halved,
# or the learner's theta tripled) is caught and named.
. tests/cli/lib.sh
[ -f results/fig10/meta ] || { echo "regress.sh: no reference in results/ (run make reproduce)"; exit 1; }
ok sh scripts/regress.sh "$VMITN"

"$VMITN" run fig10 --out "$scratch/half" --seed 1 --runs 10 -q -p worm.rate=913
expect 4 "" -- "$VMITN" compare results/fig10 "$scratch/half/fig10"
ok grep -q "DIFFERS fig10/none: time_all_infected" "$scratch/out"

"$VMITN" run fig11 --out "$scratch/theta" --seed 1 --runs 10 -q -p theta=300
expect 4 "" -- "$VMITN" compare results/fig11 "$scratch/theta/fig11"
ok grep -q "DIFFERS fig11/learning: learning_time" "$scratch/out"
finish
