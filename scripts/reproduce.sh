#!/bin/sh
# make reproduce: every paper experiment -> results/ (the one writer of the committed
# reference: --out results --force), then the plots and REPORT.md.
# The calibration is not re-run here (make calibrate does that); its committed fit in
# scenarios/calibrated.lua is what every scenario starts from.
set -eu
cd "$(dirname "$0")/.."
out=${RESULTS:-results}
start=$(date +%s)
for s in table1 fig9 fig10 fig11 fig12 background; do
  t0=$(date +%s)
  ./vmitn run "$s" --out "$out" --seed 1 --force
  echo "reproduce: $s done in $(( $(date +%s) - t0 )) s"
done
sh scripts/plots.sh "$out"
./vmitn report "$out"
echo "reproduce: all experiments in $(( $(date +%s) - start )) s; see $out/REPORT.md"
