#!/bin/sh
# Runs every test binary, then the CLI tests; prints one closing line "N passed, N failed,
# N skipped".  A CLI test that exits 77 passed what it could run and skipped a part (a tool
# or a data set missing here; its "SKIP:" lines say which): it counts as skipped, not passed.
build=$1; shift
# Each test binary or script gets TEST_TIMEOUT seconds (default 900: the longest, the
# regression run under the sanitizers, takes a few minutes); one that runs longer is
# killed, with its child processes, and counted as failed.
limit=${TEST_TIMEOUT:-900}
limited() {
  timeout -k 10 "$limit" "$@"
  rc=$?
  [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && echo "TIMEOUT: $* killed after $limit s (TEST_TIMEOUT)"
  return "$rc"
}
pass=0; fail=0; skip=0; failed=""; skipped=""
for t in "$@"; do
  if limited "$t"; then pass=$((pass+1)); else fail=$((fail+1)); failed="$failed $(basename "$t")"; fi
done
for t in tests/cli/*.sh; do
  [ -f "$t" ] || continue
  [ "$(basename "$t")" = lib.sh ] && continue   # the helpers the scripts source
  VMITN="$PWD/$build/vmitn" limited sh "$t"; rc=$?
  case $rc in
    0) pass=$((pass+1)) ;;
    77) skip=$((skip+1)); skipped="$skipped $(basename "$t")" ;;
    *) fail=$((fail+1)); failed="$failed $(basename "$t")" ;;
  esac
done
[ -n "$skipped" ] && echo "skipped:$skipped"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
