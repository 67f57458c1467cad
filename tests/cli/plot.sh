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

# a plot script beside the scenario (its folder's plots/) comes before the data folder's
mkdir "$scratch/plots"
cp scripts/plots/common.gp scripts/plots/axes.gp "$scratch/plots/"
sed 's/^set title label.*/set title "drawn by my own experiment.gp"/' scripts/plots/experiment.gp > "$scratch/plots/experiment.gp"
expect 0 "" -- "$VMITN" plot "$scratch/r/own" --out "$scratch/mine"
ok grep -q 'drawn by my own experiment.gp' "$scratch/mine/own-gen.svg"
rm -r "$scratch/plots"

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

# errors: no folder, no results, no gnuplot (nothing written)
expect 3 "nowhere: cannot open" -- "$VMITN" plot "$scratch/nowhere"
mkdir "$scratch/empty"
expect 1 "holds no results (no scenario folder with a meta file)" -- "$VMITN" plot "$scratch/empty"
expect 1 "gnuplot not found; install it (Debian: apt-get install gnuplot-nox)" -- env PATH=/nonexistent "$VMITN" plot "$scratch/r/own" --out "$scratch/nogp"
ok sh -c "[ -z \"\$(ls -A '$scratch/nogp')\" ]"
expect 2 "plot: which results folder?" -- "$VMITN" plot
finish
