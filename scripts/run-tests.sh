#!/bin/sh
# Runs every test binary, then the CLI tests; prints one closing line "N passed, N failed".
build=$1; shift
pass=0; fail=0; skip=0; failed=""; skipped=""
for t in "$@"; do
  if "$t"; then pass=$((pass+1)); else fail=$((fail+1)); failed="$failed $(basename "$t")"; fi
done
for t in tests/cli/*.sh; do
  [ -f "$t" ] || continue
  [ "$(basename "$t")" = lib.sh ] && continue   # the helpers the scripts source
  VMITN="$PWD/$build/vmitn" sh "$t"; rc=$?
  if [ "$rc" -eq 0 ]; then pass=$((pass+1))
  elif [ "$rc" -eq 77 ]; then skip=$((skip+1)); skipped="$skipped $(basename "$t")"   # 77: skipped (automake's code)
  else fail=$((fail+1)); failed="$failed $(basename "$t")"; fi
done
[ -n "$failed" ] && echo "failed:$failed"
[ -n "$skipped" ] && echo "skipped:$skipped"
echo "$pass passed, $fail failed$([ "$skip" -gt 0 ] && echo ", $skip skipped")"
[ "$fail" -eq 0 ]
