#!/bin/sh
# Runs every test binary, then the CLI tests; prints one closing line "N passed, N failed,
# N skipped".  A CLI test that exits 77 passed what it could run and skipped a part (a tool
# or a data set missing here; its "SKIP:" lines say which): it counts as skipped, not passed.
#
# TEST_JOBS tests run at once (default: the cores available).  Every test keeps its output
# to itself and prints it whole when it ends, with its time; the closing lines list the
# tests in their own order, whatever order they ended in.  Tests share nothing but the
# built binary and the committed files they read: each works in its own mktemp folder.
#
# Each test binary or script gets TEST_TIMEOUT seconds (default 900: the longest, the
# regression run under the sanitizers, takes a few minutes); one that runs longer is
# killed, with its child processes, and counted as failed.
limit=${TEST_TIMEOUT:-900}

if [ "${1:-}" = --one ]; then # internal: --one LOGDIR BUILD INDEX KIND PATH, one test
  logdir=$2 build=$3 i=$4 kind=$5 t=$6
  start=$(date +%s)
  {
    if [ "$kind" = bin ]; then
      timeout -k 10 "$limit" "$t"
    else
      VMITN="$PWD/$build/vmitn" timeout -k 10 "$limit" sh "$t"
    fi
    rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
      [ "$kind" = bin ] && echo "TIMEOUT: $t killed after $limit s (TEST_TIMEOUT)" ||
        echo "TIMEOUT: sh $t killed after $limit s (TEST_TIMEOUT)"
    fi
    echo "$rc" >"$logdir/$i.rc"
  } >"$logdir/$i.log" 2>&1 </dev/null
  echo "($(basename "$t"): $(($(date +%s) - start)) s)" >>"$logdir/$i.log"
  if command -v flock >/dev/null; then
    flock "$logdir/lock" cat "$logdir/$i.log"
  else
    cat "$logdir/$i.log"
  fi
  exit 0
fi

build=$1; shift
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in '' | *[!0-9]* | 0) echo "run-tests.sh: TEST_JOBS=$jobs is not a positive whole number" >&2; exit 2 ;; esac
logdir=$(mktemp -d /tmp/vmitn-tests.XXXXXX) || exit 2
trap 'rm -rf "$logdir"' EXIT
# the list, in its own order: binaries, then the CLI scripts (lib.sh is their helpers)
n=0
for t in "$@"; do
  n=$((n + 1)); printf '%s bin %s\n' "$n" "$t"
done >"$logdir/list"
for t in tests/cli/*.sh; do
  [ -f "$t" ] || continue
  [ "$(basename "$t")" = lib.sh ] && continue
  n=$((n + 1)); printf '%s cli %s\n' "$n" "$t"
done >>"$logdir/list"
# the slowest start first, so that two cores end together (measured under the sanitizers)
slow='regress.sh hardening.sh calibrate.sh sobol.sh paper.sh plot.sh sweep.sh'
: >"$logdir/order"
for s in $slow; do grep " cli tests/cli/$s\$" "$logdir/list" >>"$logdir/order"; done
for s in $slow; do echo " cli tests/cli/$s\$"; done >"$logdir/slow"
grep -v -f "$logdir/slow" "$logdir/list" >>"$logdir/order"
xargs -P "$jobs" -n 3 sh "$0" --one "$logdir" "$build" <"$logdir/order"

pass=0; fail=0; skip=0; failed=""; skipped=""
while read -r i kind t; do
  rc=$(cat "$logdir/$i.rc" 2>/dev/null || echo 1)
  case $kind.$rc in
    *.0) pass=$((pass + 1)) ;;
    cli.77) skip=$((skip + 1)); skipped="$skipped $(basename "$t")" ;;
    *) fail=$((fail + 1)); failed="$failed $(basename "$t")" ;;
  esac
done <"$logdir/list"
[ -n "$skipped" ] && echo "skipped:$skipped"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
