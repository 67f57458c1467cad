# lib.sh — helpers for the CLI tests (sourced).  $VMITN is the binary under test.
set -u
fails=0
checks=0
skips=0
scratch=$(mktemp -d /tmp/vmitn-cli.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# expect CODE SUBSTRING -- command...: the command exits with CODE and its stderr contains SUBSTRING.
expect() {
  code=$1; want=$2; shift 3
  checks=$((checks + 1))
  "$@" >"$scratch/out" 2>"$scratch/err"
  got=$?
  if [ "$got" -ne "$code" ] || { [ -n "$want" ] && ! grep -qF -- "$want" "$scratch/err"; }; then
    fails=$((fails + 1))
    echo "FAIL: $*"
    echo "  expected exit $code and stderr containing: $want"
    echo "  got exit $got, stderr:"; sed 's/^/    /' "$scratch/err" | head -8
  fi
}

# nothing_left DIR: DIR holds no file or folder at all (hidden ones included).
nothing_left() {
  checks=$((checks + 1))
  if [ -d "$1" ] && [ -n "$(ls -A "$1")" ]; then
    fails=$((fails + 1)); echo "FAIL: $1 is not empty after a failed run:"; ls -A "$1" | sed 's/^/    /'
  fi
}

ok() { checks=$((checks + 1)); if ! "$@"; then fails=$((fails + 1)); echo "FAIL: $*"; fi; }

# skip WHY: a part of the test could not run here (a tool or a data set missing); the
# script then exits 77 when nothing failed, and run-tests.sh counts it as skipped.
skip() { skips=$((skips + 1)); echo "SKIP: $(basename "$0"): $*"; }

finish() {
  msg="$(basename "$0"): $((checks - fails)) of $checks checks passed"
  [ "$skips" -eq 0 ] || msg="$msg; $skips parts skipped"
  echo "$msg"
  [ "$fails" -eq 0 ] || return 1
  [ "$skips" -eq 0 ] || exit 77
}
