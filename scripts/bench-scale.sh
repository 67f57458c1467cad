#!/bin/sh
# Internet-scale outbreaks (scenarios/codered-v2.lua, uniform scanning, one simulated day,
# the fast path with thinning, one run on one core): 10^6 hosts (4,167 LANs of 240) and
# 10^7, a Conficker-scale population (41,667 LANs of 240).  For each: the median CPU
# seconds (user + system), wall seconds and peak memory (the whole process, /usr/bin/time)
# of RUNS runs (default 3), and the events the run executed.  SCALE_MAX=6 skips 10^7
# (about a minute and 2.3 GiB a run).
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/vmitn-bench-scale.XXXXXX)
trap 'rm -rf "$out"' EXIT
n=${RUNS:-3}
med() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
for e in 6 7; do
  [ "$e" -le "${SCALE_MAX:-7}" ] || continue
  subnets=$([ "$e" = 6 ] && echo 4167 || echo 41667)
  cmd="./vmitn run codered-v2 -p subnets=$subnets --jobs 1 --seed 1 --out $out/s$e --force -q"
  : > "$out/t$e"
  i=0
  while [ $i -lt "$n" ]; do
    /usr/bin/time -f '%U %S %e %M' -o "$out/time" $cmd >/dev/null 2>&1 || { echo "bench: failed: $cmd" >&2; exit 1; }
    cat "$out/time" >> "$out/t$e"
    i=$((i + 1))
  done
  f="$out/s$e/codered-v2/uniform.runs.csv"
  ev=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "events") c = i} NR == 2 && c {printf "%.0f", $c}' "$f")
  echo "10^$e hosts ($((subnets * 240)) FES), one day: $cmd"
  echo "10^$e hosts: CPU $(awk '{printf "%.2f\n", $1 + $2}' "$out/t$e" | med) s, wall $(awk '{print $3}' "$out/t$e" | med) s, peak $(awk '{printf "%.0f\n", $4 / 1024}' "$out/t$e" | med) MiB (medians of $n), $ev events"
done
