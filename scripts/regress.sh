#!/bin/sh
# The regression check of `make check`: re-runs the paper scenarios with fewer runs (the
# same seed, so run r uses the same random streams as the reference's run r) and compares
# them with the committed reference in results/ (vmitn compare: paired bands from the
# run-to-run spread).  Exit 4 and a line per difference when the model's behaviour moved.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-./vmitn}
ref=${REF:-results}
tmp=$(mktemp -d /tmp/vmitn-regress.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# (the shares over 20-run sets and Fig 12's spread over alternative points are left out:
# the regression compares the runs, and they would take most of the time)
"$bin" run fig10 --out "$tmp" --seed 1 --runs 10 -q -p sets=0
"$bin" run fig11 --out "$tmp" --seed 1 --runs 10 -q -p sets=0
"$bin" run fig12 --out "$tmp" --seed 1 --runs 10 -q -p spread=0
"$bin" run table1 --out "$tmp" --seed 1 --runs 4 -q
"$bin" run fig9 --out "$tmp" --seed 1 --runs 10 -q -p rates=100,1000 -p sets=0
"$bin" compare "$ref" "$tmp"
