#!/bin/sh
# make reproduce: every paper experiment -> results/ (the one writer of the committed
# reference: --out results --force), then the plots, REPORT.md and REPORT.html.
# The calibration is not re-run here (make calibrate does that); its committed fit in
# scenarios/calibrated.lua is what every scenario starts from.
set -eu
cd "$(dirname "$0")/.."
out=${RESULTS:-results}
jobs=${JOBS:+--jobs $JOBS} # each experiment's runs on every core unless JOBS=N; the files are the same
start=$(date +%s)
for s in table1 fig9 fig10 fig11 fig12 background; do
  t0=$(date +%s)
  ./vmitn run "$s" --out "$out" --seed 1 --force $jobs
  echo "reproduce: $s done in $(( $(date +%s) - t0 )) s"
done
sh scripts/plots.sh "$out"
# the Fig 8 testbed, drawn from its topology file (the paper's figure is lost)
if command -v dot >/dev/null 2>&1; then
  ./vmitn topo topologies/vmitn-fig8.graphml --out "$out/plots/vmitn-fig8.svg" >/dev/null
  ./vmitn topo topologies/vmitn-fig8.graphml --out "$out/plots/vmitn-fig8.png" >/dev/null
else
  echo "reproduce: Graphviz's dot not found: the Fig 8 picture is not redrawn" >&2
fi
./vmitn report "$out"
if command -v dot >/dev/null 2>&1; then
  ./vmitn report "$out" --html
else
  echo "reproduce: Graphviz's dot not found: REPORT.html (the outbreaks replayed) is not written" >&2
fi
echo "reproduce: all experiments in $(( $(date +%s) - start )) s; see $out/REPORT.md and $out/REPORT.html"
