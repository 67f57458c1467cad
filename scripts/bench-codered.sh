#!/bin/sh
# The fixed Code Red workload (scenarios/bench-codered.lua: 6 hosts scanning from t = 0,
# 20 runs x 20 s, 4.38 M scans) at packet level and through worm.fast, on one core
# (--jobs 1, as ns-3 runs it): median wall time of PAIRS runs (default 5), the two paths
# taking turns, and the events each executed (from runs.csv).  BASE=path/to/an/older/vmitn:
# each path paired against that build instead (before/after, medians of pair ratios).
set -eu
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
out=$(mktemp -d /tmp/vmitn-bench-codered.XXXXXX)
trap 'rm -rf "$out"' EXIT
n=${PAIRS:-5}
new="./vmitn run bench-codered $(one_job ./vmitn)"
if [ -n "${BASE:-}" ]; then
  old="$BASE run bench-codered $(one_job "$BASE")"
  for path in packet fast; do
    paired "bench-codered $path, before/after" "$n" "$old -p path=$path --out $out/b$path --force -q" \
      "$new -p path=$path --out $out/$path --force -q"
  done
else
  paired "bench-codered packet/fast" "$n" "$new -p path=packet --out $out/packet --force -q" \
    "$new -p path=fast --out $out/fast --force -q"
fi
for path in packet fast; do
  f="$out/$path/bench-codered/$path.runs.csv"
  ev=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "events") c = i} NR > 1 && c {s += $c} END {print c ? s : "NA"}' "$f")
  echo "bench-codered $path: $ev events in 20 runs"
done
