# lib.sh — helpers for the CLI tests (sourced).  $VMITN is the binary under test.
set -u
fails=0
checks=0
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

finish() {
  echo "$(basename "$0"): $((checks - fails)) of $checks checks passed"
  [ "$fails" -eq 0 ]
}
