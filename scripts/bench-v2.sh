#!/bin/sh
# The Code Red v2 day (scenarios/codered-v2.lua: 360,000 hosts, 24 simulated hours, one
# run, the fast path with thinning): median wall time and peak memory of PAIRS runs
# (default 3) and the events the run executed.  BASE=path/to/an/older/vmitn: paired
# against that build (before/after, taking turns).
set -eu
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
out=$(mktemp -d /tmp/vmitn-bench-v2.XXXXXX)
trap 'rm -rf "$out"' EXIT
n=${PAIRS:-3}
new="./vmitn run codered-v2 --seed 1 --out $out/new --force -q"
if [ -n "${BASE:-}" ]; then
  paired "codered-v2 day, before/after" "$n" "$BASE run codered-v2 --seed 1 --out $out/old --force -q" "$new"
else
  paired "codered-v2 day, twice" "$n" "$new" "$new"
fi
f="$out/new/codered-v2/uniform.runs.csv"
echo "codered-v2: $(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "events") c = i} NR == 2 && c {printf "%.0f", $c}' "$f") events"
