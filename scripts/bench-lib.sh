# bench-lib.sh — what the benchmark scripts share (sourced): whole-process wall time and
# peak memory from /usr/bin/time, medians, and pairs taken in turns.
# wall_mem CMD...: prints "SECONDS PEAK_KB" of the whole process (its output thrown away)
wall_mem() {
  /usr/bin/time -f '%e %M' -o "${TMPDIR:-/tmp}/vmitn-bench-time.$$" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }
  cat "${TMPDIR:-/tmp}/vmitn-bench-time.$$"; rm -f "${TMPDIR:-/tmp}/vmitn-bench-time.$$"
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
# one_job BIN: the option that keeps an experiment's runs on one core ("" for a build
# older than --jobs, which always did)
one_job() { "$1" run --help 2>&1 | grep -q -- '--jobs' && echo "--jobs 1" || true; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# paired NAME N "CMD_A" "CMD_B": N pairs, A and B taking turns; prints the medians of
# each and the median of the pair-by-pair ratios B/A (A: before or one core, B: after)
paired() {
  name=$1; n=$2; a=$3; b=$4; f=${TMPDIR:-/tmp}/vmitn-bench-pairs.$$
  : > "$f"
  i=0
  while [ $i -lt "$n" ]; do
    ra=$(wall_mem $a) && rb=$(wall_mem $b) || return 1
    echo "$ra $rb" >> "$f"
    i=$((i + 1))
  done
  echo "$name: A = $a"
  echo "$name: B = $b"
  echo "$name: A $(awk '{print $1}' "$f" | median) s, $(awk '{print $2}' "$f" | median) KB peak (median of $n)"
  echo "$name: B $(awk '{print $3}' "$f" | median) s, $(awk '{print $4}' "$f" | median) KB peak (median of $n)"
  echo "$name: A/B $(awk '$3 > 0 {printf "%.3f\n", $1 / $3}' "$f" | median) (median of $n pair-by-pair ratios; > 1: B is faster)"
  rm -f "$f"
}
