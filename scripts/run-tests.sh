#!/bin/sh
# Runs every test binary, then the CLI tests; prints one closing line "N passed, N failed".
build=$1; shift
pass=0; fail=0; failed=""
for t in "$@"; do
  if "$t"; then pass=$((pass+1)); else fail=$((fail+1)); failed="$failed $(basename "$t")"; fi
done
for t in tests/cli/*.sh; do
  [ -f "$t" ] || continue
  [ "$(basename "$t")" = lib.sh ] && continue   # the helpers the scripts source
  if VMITN="$PWD/$build/vmitn" sh "$t"; then pass=$((pass+1)); else fail=$((fail+1)); failed="$failed $(basename "$t")"; fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
