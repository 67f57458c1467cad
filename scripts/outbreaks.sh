#!/bin/sh
# make outbreaks: the Internet-scale scenarios (beyond the paper) -> results/, their plot,
# and REPORT.md again.  About a minute on this machine.
set -eu
cd "$(dirname "$0")/.."
out=${RESULTS:-results}
for s in codered-v2 codered2-localized slammer; do
  t0=$(date +%s)
  ./vmitn run "$s" --out "$out" --seed 1 --force
  echo "outbreaks: $s done in $(( $(date +%s) - t0 )) s"
done
mkdir -p "$out/plots"
for fmt in png svg; do
  gnuplot -e "dir='$out'; out='$out/plots/.outbreaks.$fmt.tmp'; fmt='$fmt'" scripts/plots/outbreak.gp
  mv "$out/plots/.outbreaks.$fmt.tmp" "$out/plots/outbreaks.$fmt"
done
./vmitn report "$out"
command -v dot >/dev/null 2>&1 && ./vmitn report "$out" --html
true
