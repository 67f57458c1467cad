#!/bin/sh
# Replications on worker processes: `vmitn run fig11 --runs R` (R runs of the learning
# experiment, then 20 sets x 20 runs measured) with --jobs 1 and --jobs 2, taking turns;
# medians of PAIRS pairs (default 3) and of the pair-by-pair speed-up, and whether the two
# folders are byte-identical (they must be).
set -eu
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
R=${RUNS:-200}
d=$(mktemp -d /tmp/vmitn-bench-jobs.XXXXXX)
trap 'rm -rf "$d"' EXIT
echo "cores available: $(nproc)"
paired "fig11 --runs $R" "${PAIRS:-3}" "./vmitn run fig11 --runs $R --jobs 1 -q --force --out $d/j1" \
  "./vmitn run fig11 --runs $R --jobs 2 -q --force --out $d/j2"
if diff -r "$d/j1" "$d/j2" >/dev/null; then echo "files: byte-identical for --jobs 1 and 2"; else echo "files: DIFFER"; exit 1; fi
