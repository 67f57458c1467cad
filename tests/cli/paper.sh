# paper.sh — the honest reproduction: the paper's setting without an attack issues no rule,
# background traffic above stage 1's pass rate does, the OOB channel makes Fig 9's learning
# time fall with the rate, and a seeded small calibration reproduces its own probabilities.
. tests/cli/lib.sh

col() { # col FILE NAME: the values of column NAME (CSV with a header line)
  awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } { print $c }' "$1"
}

# No attack, the paper's settings, 20 runs: the learner issues no rule.
ok "$VMITN" run fig11 -p worm.enabled=false -p sets=0 --runs 20 -q --out "$scratch/quiet"
ok test "$(grep -vc '^run,' "$scratch/quiet/fig11/learning.rules.csv")" -eq 0
ok test "$(col "$scratch/quiet/fig11/learning.runs.csv" rules | sort -u)" = 0

# Background traffic: below stage 1's pass rate no run learns anything; above it every run
# issues a rule (6 hosts x 2 taps x 2 requests/s = 24 headers/s on port 80 > 6.9).
ok "$VMITN" run background -p rates=0.1,2 --runs 20 -q --out "$scratch/bg"
ok test "$(col "$scratch/bg/background/background.csv" quiet_runs_with_rule | head -1)" = 0
ok test "$(col "$scratch/bg/background/background.csv" quiet_runs_with_rule | tail -1)" = 1

# Fig 9 through the OOB channel: at theta = 100 the mean learning time falls from 100 to
# 2,000 packets/s, at every step of the grid.
ok "$VMITN" run fig9 -p thetas=100 -p rates=100,250,500,1000,2000 -p sets=0 --runs 20 -q --out "$scratch/f9"
ok sh -c "awk -F, 'NR > 2 && \$3 >= prev { bad = 1 } NR > 1 { prev = \$3 } END { exit bad }' '$scratch/f9/fig9/fig9.csv'"

# The calibration: a seeded small search is deterministic, and re-running its best point
# from scratch (verify = 1) reproduces the recorded shares of sets exactly.
small="-p sets=3 -p lhs=2 -p refine=1 -p nm_iterations=2 -p only=consistent/always/scan -p verify=1"
ok "$VMITN" run calibrate $small --seed 3 -q --out "$scratch/c1"
ok "$VMITN" run calibrate $small --seed 3 -q --out "$scratch/c2"
ok cmp "$scratch/c1/calibration/search.csv" "$scratch/c2/calibration/search.csv"
ok cmp "$scratch/c1/calibration/fitted.lua" "$scratch/c2/calibration/fitted.lua"
ok grep -q '^verified,' "$scratch/c1/calibration/verify.csv"
ok "$VMITN" run calibrate $small --seed 4 -q --out "$scratch/c3"
ok sh -c "! cmp -s '$scratch/c1/calibration/search.csv' '$scratch/c3/calibration/search.csv'"
# list --model --calibrated reads the calibration's {model = ...} and a plain model table
printf 'return { worm = { near_bits = 13 } }\n' > "$scratch/plain.lua"
ok sh -c "'$VMITN' list --model --calibrated='$scratch/plain.lua' | grep -Eq '^  near_bits += 13 '"
printf 'return { model = { worm = { near_bits = 14 } }, view = "seen" }\n' > "$scratch/cal.lua"
ok sh -c "'$VMITN' list --model --calibrated='$scratch/cal.lua' | grep -Eq '^  near_bits += 14 '"
finish
