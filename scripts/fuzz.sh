#!/bin/sh
# fuzz.sh TIME TARGET... — runs each libFuzzer target (build/fuzz/fuzz_TARGET) for TIME
# seconds on its seeds (tests/fuzz/TARGET/seeds, read only) and its working corpus
# (build/fuzz/corpus/TARGET), with its dictionary; FUZZ_JOBS targets at once (default: the
# cores available).  Prints the executions each survived, in the targets' order; fails,
# with the sanitizer's report, if any found a crash, a leak or a hang.
set -u
if [ "${1:-}" = --one ]; then # internal: --one TIME TARGET, one target; its report in build/fuzz/TARGET.report
  time=$2 t=$3
  corpus=build/fuzz/corpus/$t
  log=build/fuzz/$t.log
  mkdir -p "$corpus"
  build/fuzz/fuzz_$t -max_total_time="$time" -timeout=10 -rss_limit_mb=2560 -max_len=8192 \
    -dict="tests/fuzz/$t.dict" -print_final_stats=1 -artifact_prefix="build/fuzz/$t-" \
    "$corpus" "tests/fuzz/$t/seeds" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ "$rc" -ne 0 ]; then
    echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} executions; $log says:"
    grep -E -A25 '^==[0-9]+==|SUMMARY|deadly signal|Timeout|runtime error' "$log" | head -60
  else
    echo "fuzz $t: ${execs:-?} executions in $time s, no crash, leak or hang"
  fi >"build/fuzz/$t.report"
  exit 0
fi
time=$1; shift
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
for t in "$@"; do rm -f "build/fuzz/$t.report"; done
printf '%s\n' "$@" | xargs -P "$jobs" -n 1 sh "$0" --one "$time"
status=0
for t in "$@"; do
  if [ -f "build/fuzz/$t.report" ]; then cat "build/fuzz/$t.report"; else echo "fuzz $t: FAILED (no report)"; status=1; fi
  grep -q '^fuzz [a-z]*: FAILED' "build/fuzz/$t.report" 2>/dev/null && status=1
done
exit $status
