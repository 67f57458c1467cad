#!/bin/sh
# The fixed Code Red workload (scenarios/bench-codered.lua: 6 hosts scanning from t = 0,
# 20 runs x 20 s, 4.38 M scans) at packet level and through worm.fast: median wall time of
# 5 runs each, the two paths taking turns, and the events each run executed (from runs.csv).
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/vmitn-bench-codered.XXXXXX)
trap 'rm -rf "$out"' EXIT
time_of() { # prints the wall time of "$@" in seconds
  s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for k in 1 2 3 4 5; do
  for path in packet fast; do
    echo "$path $(time_of ./vmitn run bench-codered -p path=$path --out "$out/$path" --force -q)"
  done
done > "$out/times"
for path in packet fast; do
  t=$(awk -v p=$path '$1 == p {print $2}' "$out/times" | median)
  f="$out/$path/bench-codered/$path.runs.csv"
  ev=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "events") c = i} NR > 1 && c {s += $c} END {print c ? s : "NA"}' "$f")
  echo "bench-codered $path: $t s (median of 5), $ev events in 20 runs"
done
