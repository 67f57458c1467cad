#!/bin/sh
# The regression check of `make check`: re-runs the paper scenarios with fewer runs (the
# same seed, so run r uses the same random streams as the reference's run r) and compares
# each with its committed reference in results/ (vmitn compare: every experiment, file,
# column and row of the reference must be there; paired bands from the run-to-run spread).
# Exit 4 and a line per difference when the model's behaviour moved.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-./vmitn}
ref=${REF:-results}
tmp=$(mktemp -d /tmp/vmitn-regress.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for s in fig9 fig10 fig11 fig12; do
  "$bin" run "$s" --out "$tmp" --seed 1 --runs 10 -q
done
"$bin" run table1 --out "$tmp" --seed 1 --runs 4 -q
rc=0
for s in fig9 fig10 fig11 fig12 table1; do
  "$bin" compare "$ref/$s" "$tmp/$s" ${JUNIT:+--junit "$JUNIT-$s.xml"} || rc=$?
done
exit $rc
