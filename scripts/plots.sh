#!/bin/sh
# Usage: scripts/plots.sh RESULTS_DIR
# Draws Figs 9-12 and Table 1 of the VMITN paper with gnuplot from the CSVs that
# `vmitn run <scenario> --out RESULTS_DIR` wrote, into RESULTS_DIR/plots/<name>.png and .svg.
# A figure whose CSVs are absent is skipped with a note on stderr. One gnuplot script per
# figure in scripts/plots/ (usable alone: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/fig10.gp).
if [ $# -ne 1 ]; then echo "usage: $0 RESULTS_DIR" >&2; exit 2; fi
dir=$1
if [ ! -d "$dir" ]; then echo "plots.sh: no such directory: $dir" >&2; exit 2; fi
if ! command -v gnuplot >/dev/null 2>&1; then
  echo "plots.sh: gnuplot not found; install it (Debian: apt-get install gnuplot-nox)" >&2; exit 1
fi
gp=$(cd "$(dirname "$0")" && pwd)/plots
mkdir -p "$dir/plots" || exit 1
qdir=$(printf '%s' "$dir" | sed "s/'/''/g")     # quoted for a gnuplot '...' string
status=0
tmp=
trap 'rm -f "$tmp"; exit 130' INT TERM       # never leave a half-written plot behind

# paper_setting NAME: true when $dir/NAME ran the paper's own setting, as meta records it:
# the paper scenario scenarios/NAME.lua with no -p override (overrides = 0), every experiment
# on the Fig 8 topology.  Only then does a figure get its "Fig N" title and the paper's marks
# (the rule `vmitn plot` applies too; a meta older than the overrides line: scenario and
# topology alone).
paper_setting() {
  m=$dir/$1/meta
  [ -r "$m" ] && { grep -qx 'overrides = 0' "$m" || ! grep -q '^overrides = ' "$m"; } && grep -q "^scenario = \(.*/\)\{0,1\}scenarios/$1\.lua\$" "$m" &&
    grep -q '^exp\.[^ ]*\.topology_file = ' "$m" &&
    ! grep '^exp\.[^ ]*\.topology_file = ' "$m" | grep -qv '[ /]topologies/vmitn-fig8\.graphml$'
}

# plot NAME CSV...: draw NAME from scripts/plots/NAME.gp if every CSV exists under $dir.
plot() {
  name=$1; shift
  for f in "$@"; do
    if [ ! -r "$dir/$f" ]; then echo "plots.sh: skipping $name: $dir/$f not found" >&2; return 0; fi
  done
  paper=0
  paper_setting "$name" && paper=1
  for fmt in png svg; do
    tmp=$dir/plots/.$name.$fmt.tmp.$$
    if gnuplot -e "dir='$qdir'; paper=$paper; fmt='$fmt'; out='$(printf '%s' "$tmp" | sed "s/'/''/g")'" "$gp/$name.gp" &&
       [ -s "$tmp" ] && mv -f "$tmp" "$dir/plots/$name.$fmt"; then
      :
    else
      rm -f "$tmp"; echo "plots.sh: failed to draw $dir/plots/$name.$fmt" >&2; status=1
    fi
  done
}

plot fig9   fig9/fig9.csv
plot fig10  fig10/none.curve.csv fig10/handover.curve.csv
plot fig11  fig11/learning.curve.csv
plot fig12  fig12/both.curve.csv
plot baselines baselines/baselines.csv
plot table1 table1/table1.csv
plot frontier calibration/search.csv
plot roc    roc/roc.csv
plot worst  fig10/worst_hist.csv fig11/worst_hist.csv
plot tornado sensitivity/sensitivity.csv
plot sobol  sobol/sobol.csv
exit $status
