#!/bin/sh
# make beyond: the experiments beyond the paper -> results/ (which knob moves which figure, locally and over the box,
# baselines, Internet Quarantine, Warhol, patching against SIR; the learner's operating curve and Figs 10-12 over real
# captures when ../shared/captures is there), their plots, and REPORT.md again.
# Not part of `make reproduce` (the paper's experiments): these take longer, and the capture
# experiments need captures the project does not ship.  Seed 1, like the reference.
set -eu
cd "$(dirname "$0")/.."
out=${RESULTS:-results}
for s in sensitivity sobol baselines quarantine warhol patching roc replay; do
  t0=$(date +%s)
  ./vmitn run "$s" --out "$out" --seed 1 --force
  echo "beyond: $s done in $(( $(date +%s) - t0 )) s"
done
sh scripts/plots.sh "$out"
./vmitn report "$out"
command -v dot >/dev/null 2>&1 && ./vmitn report "$out" --html
true
