# plot.sh — `vmitn plot DIR` for any results folder: every experiment drawn, with the axes
# from the topology's FES host count and the run's duration (a 10-host, 30 s run is not
# clipped at the paper's 6 hosts and 20 s); the paper's figures for the paper's scenarios;
# nothing half-written when gnuplot is missing.
. tests/cli/lib.sh
if ! command -v gnuplot >/dev/null; then skip "no gnuplot"; finish; exit; fi
cat > "$scratch/own.lua" <<'LUA'
local common = vmitn.include("common")
return { name = "own", runs = 2,
  run = function(p)
    vmitn.experiment("gen", common.model({ duration = 30, topology = "generate:2:5:2" }))
  end }
LUA
"$VMITN" run "$scratch/own.lua" --out "$scratch/r" -q
expect 0 "" -- "$VMITN" plot "$scratch/r/own"
ok grep -qx "wrote $scratch/r/own/plots (2 images)" "$scratch/out"
ok test -s "$scratch/r/own/plots/own-gen.png"
svg=$scratch/r/own/plots/own-gen.svg
ok grep -q 'own/gen (emulated, 10 FES hosts)' "$svg"
ok grep -q '> 10</tspan>' "$svg"       # the y axis reaches the 10 hosts
ok grep -q '> 30</tspan>' "$svg"       # the x axis the 30 s
ok sh -c "! grep -q '> 20</tspan>' '$svg' || grep -q '> 25</tspan>' '$svg'"   # not cut at 20 s

# a results folder runs no code: its meta names a scenario whose plots/ holds a hostile
# experiment.gp (gnuplot's system() would create a marker); plot takes its scripts from the
# data folder only
mkdir -p "$scratch/evil/plots"
printf 'system("touch %s/marker")\nprint `touch %s/marker2`\n' "$scratch" "$scratch" > "$scratch/evil/plots/experiment.gp"
sed 's/^set title label.*/set title "drawn by a planted experiment.gp"/' scripts/plots/experiment.gp >> "$scratch/evil/plots/experiment.gp"
cp scripts/plots/common.gp scripts/plots/axes.gp "$scratch/evil/plots/"
cp -r "$scratch/r/own" "$scratch/planted"
sed -i "s|^scenario = .*|scenario = $scratch/evil/own.lua|" "$scratch/planted/meta"
expect 0 "" -- "$VMITN" plot "$scratch/planted" --out "$scratch/mine"
ok test ! -e "$scratch/marker"
ok test ! -e "$scratch/marker2"
ok test -s "$scratch/mine/planted-gen.svg"
ok sh -c "! grep -q 'drawn by a planted experiment.gp' '$scratch/mine/planted-gen.svg'"
# names from the folder reach gnuplot as quoted strings: quotes and backquotes stay text;
# a label that would write outside the plot folder is refused
cp -r "$scratch/r/own" "$scratch/names"
lab="q'\`touch\${IFS}vmitn-plot-marker3\`'"      # the marker would land in the current folder
for f in "$scratch/names"/gen.*; do cp "$f" "$scratch/names/$lab${f##*/gen}"; done
sed -i "s|^experiments = .*|experiments = $lab ../../escape|" "$scratch/names/meta"
cp "$scratch/names/gen.curve.csv" "$scratch/escape.curve.csv"
expect 1 "experiment '../../escape' is not a plain name" -- "$VMITN" plot "$scratch/names" --out "$scratch/q"
ok test ! -e vmitn-plot-marker3
rm -f vmitn-plot-marker3
ok test -s "$scratch/q/names-$lab.svg"
ok test ! -e "$scratch/escape.svg"
# a scenario folder whose name holds a line break (it would end gnuplot's command): refused
mkdir "$scratch/nl"; cp -r "$scratch/r/own" "$scratch/nl/a
b"
expect 1 "a control character in the name: skipped" -- "$VMITN" plot "$scratch/nl" --out "$scratch/nlimg"
ok sh -c "[ -z \"\$(ls -A '$scratch/nlimg')\" ]"

# a folder of scenarios: each experiment, and the paper figures of the paper's scenarios
"$VMITN" run fig10 --runs 2 --out "$scratch/p" -q
"$VMITN" run fig11 --runs 2 --out "$scratch/p" -q
expect 0 "" -- "$VMITN" plot "$scratch/p" --out "$scratch/img"
for f in fig10 fig11 fig10-none fig10-handover fig11-learning; do
  ok test -s "$scratch/img/$f.png"; ok test -s "$scratch/img/$f.svg"
done
ok grep -q 'paper: all 6 infected within 6 s' "$scratch/img/fig10.svg"
ok grep -q 'paper: learned at 3.7 s' "$scratch/img/fig11.svg"
ok sh -c "[ -z \"\$(ls -A '$scratch/img' | grep -v '\\.png\$\\|\\.svg\$')\" ]"   # no temporary file left

# the paper's title and marks only for the paper's own setting: a 40-host fig10 (a -p
# override, a generated topology) gets neither, and its CI band stays within [0, 40]
"$VMITN" run fig10 --runs 2 -p topology=generate:8:5:2 --out "$scratch/v40" -q
expect 0 "" -- "$VMITN" plot "$scratch/v40/fig10" --out "$scratch/v40img"
ok grep -q 'fig10: no countermeasure against Rapid Hand Over (emulated, 40 FES hosts)' "$scratch/v40img/fig10.svg"
ok sh -c "! grep -q 'paper:\|Fig 10' '$scratch/v40img/fig10.svg'"
ok grep -q '> 40</tspan>' "$scratch/v40img/fig10.svg"
ok grep -q 'Fig 10: Rapidly Hand Over' "$scratch/img/fig10.svg"      # the paper's own run keeps them
# Table 1's log axis from the data (under 2,046 ms: to 10,000, not 100,000)
"$VMITN" run table1 --runs 2 --out "$scratch/t1" -q
expect 0 "" -- "$VMITN" plot "$scratch/t1/table1" --out "$scratch/t1img"
ok grep -q '> 10000</tspan>' "$scratch/t1img/table1.svg"
ok sh -c "! grep -q '> 100000</tspan>' '$scratch/t1img/table1.svg'"

# variants on one axis: fig11 with theta = 25 and the default 100, labelled by what differs
"$VMITN" run fig11 --runs 2 -p theta=25 --out "$scratch/t25" -q
expect 0 "" -- "$VMITN" plot "$scratch/t25/fig11" "$scratch/p/fig11/" --out "$scratch/var"
ok grep -qx "wrote $scratch/var (2 images)" "$scratch/out"
ok grep -q '>theta=25<' "$scratch/var/variants-fig11-learning.svg"
ok grep -q '>theta=100<' "$scratch/var/variants-fig11-learning.svg"
ok grep -q 'fig11/learning (emulated, 6 FES hosts)' "$scratch/var/variants-fig11-learning.svg"
ok test -s "$scratch/var/variants-fig11-learning.png"
# -p theta=25 on the Fig 8 topology is not the paper's setting either (vmitn plot, plots.sh)
expect 0 "" -- "$VMITN" plot "$scratch/t25/fig11" --out "$scratch/t25img"
ok sh -c "! grep -q 'paper:\|Fig 11' '$scratch/t25img/fig11.svg'"
ok grep -q 'fig11: Attack Pattern Learning against Code Red (emulated, 6 FES hosts)' "$scratch/t25img/fig11.svg"
ok sh -c "sh scripts/plots.sh '$scratch/t25' 2>/dev/null"
ok sh -c "! grep -q 'paper:' '$scratch/t25/plots/fig11.svg'"
ok sh -c "sh scripts/plots.sh '$scratch/p' 2>/dev/null"
ok grep -q 'paper: learned at 3.7 s' "$scratch/p/plots/fig11.svg"
# a model parameter set with -p in one folder only: the other's label shows the value it ran
"$VMITN" run fig11 --runs 2 -p smc.lambda=5 --out "$scratch/l5" -q
expect 0 "" -- "$VMITN" plot "$scratch/p/fig11" "$scratch/l5/fig11" --out "$scratch/var2"
ok grep -q '>smc.lambda=10<' "$scratch/var2/variants-fig11-learning.svg"
ok grep -q '>smc.lambda=5<' "$scratch/var2/variants-fig11-learning.svg"
# folders that share no experiment, a sweep among variants, no --out: one clear message each
expect 1 "the folders share no experiment with a curve: $scratch/p/fig10 has none handover; $scratch/t25/fig11 has learning" -- \
  "$VMITN" plot "$scratch/p/fig10" "$scratch/t25/fig11" --out "$scratch/none"
ok test ! -e "$scratch/none"
expect 2 "several folders (variants on one axis) need --out PLOTS" -- "$VMITN" plot "$scratch/p/fig10" "$scratch/t25/fig11"

# a sweep folder: each metric against the swept parameter, with its CI
"$VMITN" sweep fig11 -p theta=50,100,200 -p duration=5 --runs 2 -q --out "$scratch/sw"
expect 0 "" -- "$VMITN" plot "$scratch/sw"
ok test -s "$scratch/sw/plots/sweep-learning_time.png"
ok grep -q 'fig11 sweep: learning_time against theta' "$scratch/sw/plots/sweep-learning_time.svg"
ok grep -q '> 200</tspan>' "$scratch/sw/plots/sweep-learning_time.svg"
expect 1 "sw: not one scenario's results folder (a sweep: plot it alone)" -- "$VMITN" plot "$scratch/sw" "$scratch/t25/fig11" --out "$scratch/none"
# nothing to draw is an error, not "0 images"
mkdir -p "$scratch/bare/x" && cp "$scratch/t25/fig11/meta" "$scratch/bare/x/meta"
expect 1 "nothing to draw" -- "$VMITN" plot "$scratch/bare/x" --out "$scratch/bareimg"
# a cut or damaged data file is refused through the strict reader (the file and line
# named), and no image of it is drawn
cp -r "$scratch/r/own" "$scratch/cut"
head -c -20 "$scratch/r/own/gen.curve.csv" > "$scratch/cut/gen.curve.csv"
n=$(wc -l < "$scratch/r/own/gen.curve.csv")
expect 1 "$scratch/cut/gen.curve.csv:$n: the line is cut short (no newline at the end of the file)" -- "$VMITN" plot "$scratch/cut" --out "$scratch/cutimg"
ok sh -c "[ -z \"\$(ls -A '$scratch/cutimg')\" ]"
cp "$scratch/r/own/gen.curve.csv" "$scratch/cut/gen.curve.csv"
sed -i '3s/^[^,]*,[^,]*,/0.1,abc,/' "$scratch/cut/gen.curve.csv"
expect 1 "$scratch/cut/gen.curve.csv:3: column 'infected_mean': 'abc' is not a number" -- "$VMITN" plot "$scratch/cut" --out "$scratch/cutimg"

# errors: no folder, no results, no gnuplot (nothing written)
expect 3 "nowhere: cannot open" -- "$VMITN" plot "$scratch/nowhere"
mkdir "$scratch/empty"
expect 1 "holds no results (no scenario folder with a meta file)" -- "$VMITN" plot "$scratch/empty"
expect 1 "gnuplot not found; install it (Debian: apt-get install gnuplot-nox)" -- env PATH=/nonexistent "$VMITN" plot "$scratch/r/own" --out "$scratch/nogp"
ok sh -c "[ -z \"\$(ls -A '$scratch/nogp')\" ]"
expect 2 "plot: which results folder?" -- "$VMITN" plot

# the estimates pooled over every run of every set (compare.csv's pooled_* columns) beside one
# set's curves, labelled with their runs and values; a run without sets pools nothing
"$VMITN" run fig10 --runs 20 -p sets=2 --out "$scratch/pool" -q
"$VMITN" run fig11 --runs 20 -p sets=2 --out "$scratch/pool" -q
expect 0 "" -- "$VMITN" plot "$scratch/pool" --out "$scratch/poolimg"
pooled() { # pooled FILE QUANTITY-START: "MEAN [LO, HI]" of the row, as the plots print it
  # (the columns counted from the end: a quoted text before them may hold commas)
  awk -F, -v q="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = NF - i; next }
    index($0, q) { printf "%.2f s [%.2f, %.2f]", $(NF - c["pooled_mean"]), $(NF - c["pooled_ci95_lo"]), $(NF - c["pooled_ci95_hi"]) }' "$1"
}
v=$(pooled "$scratch/pool/fig10/compare.csv" 'no countermeasure: time until all')
ok grep -qF "no countermeasure: time until all 6 infected, pooled over 40 runs: $v" "$scratch/poolimg/fig10.svg"
v=$(pooled "$scratch/pool/fig10/compare.csv" 'hand-over: time until the worm is cleaned')
ok grep -qF "Rapid Hand Over: time until cleaned, pooled over 40 runs: $v" "$scratch/poolimg/fig10.svg"
ok grep -qF "mean of runs (one set)" "$scratch/poolimg/fig10.svg"
v=$(pooled "$scratch/pool/fig11/compare.csv" 'learning time')
ok grep -qF "learning time, pooled over 40 runs: $v" "$scratch/poolimg/fig11.svg"
ok grep -qF "mean of runs (one set, an example)" "$scratch/poolimg/fig11.svg"
"$VMITN" run fig10 --runs 2 -p sets=0 --out "$scratch/nopool" -q
expect 0 "" -- "$VMITN" plot "$scratch/nopool" --out "$scratch/nopoolimg"
ok grep -qF "no countermeasure: mean of runs" "$scratch/nopoolimg/fig10.svg"
ok sh -c "! grep -q 'pooled over' '$scratch/nopoolimg/fig10.svg'"
finish
