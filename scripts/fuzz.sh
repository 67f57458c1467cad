#!/bin/sh
# fuzz.sh TIME TARGET... — runs each libFuzzer target (build/fuzz/fuzz_TARGET) for TIME
# seconds on its seeds (tests/fuzz/TARGET/seeds, read only) and its working corpus
# (build/fuzz/corpus/TARGET), with its dictionary.  Prints the executions each survived;
# fails, with the sanitizer's report, if any found a crash, a leak or a hang.
set -u
time=$1; shift
status=0
for t in "$@"; do
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
    status=1
  else
    echo "fuzz $t: ${execs:-?} executions in $time s, no crash, leak or hang"
  fi
done
exit $status
