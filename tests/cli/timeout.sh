# timeout.sh — scripts/run-tests.sh gives every test binary and script TEST_TIMEOUT seconds:
# one that loops forever is killed, named on a TIMEOUT line and counted as failed, and the
# others still run.
. tests/cli/lib.sh
repo=$PWD
mkdir -p "$scratch/t/tests/cli"
printf '#!/bin/sh\nwhile :; do :; done\n' > "$scratch/t/loop-bin"
printf '#!/bin/sh\nexit 0\n' > "$scratch/t/good-bin"
chmod +x "$scratch/t/loop-bin" "$scratch/t/good-bin"
printf 'sleep 1000 &\nwait\n' > "$scratch/t/tests/cli/hang.sh"
printf 'exit 0\n' > "$scratch/t/tests/cli/fine.sh"
# (the outer 60 s: without the limit the loop would hang this test too)
start=$(date +%s)
(cd "$scratch/t" && TEST_TIMEOUT=2 timeout 60 sh "$repo/scripts/run-tests.sh" build "$scratch/t/loop-bin" "$scratch/t/good-bin") > "$scratch/log" 2>&1
rc=$?
ok test "$rc" -ne 0
ok test $(( $(date +%s) - start )) -lt 60
ok grep -q "^TIMEOUT: $scratch/t/loop-bin killed after 2 s" "$scratch/log"
ok grep -q "^TIMEOUT: sh tests/cli/hang.sh killed after 2 s" "$scratch/log"
ok grep -q "^failed: loop-bin hang.sh$" "$scratch/log"
ok grep -q "^2 passed, 2 failed" "$scratch/log"
# TEST_JOBS: the same tests two at a time give the same closing lines, in the tests' order;
# a count that is not a positive whole number is named and refused
(cd "$scratch/t" && TEST_JOBS=2 TEST_TIMEOUT=2 timeout 60 sh "$repo/scripts/run-tests.sh" build "$scratch/t/loop-bin" "$scratch/t/good-bin") > "$scratch/log2" 2>&1
ok grep -q "^failed: loop-bin hang.sh$" "$scratch/log2"
ok grep -q "^2 passed, 2 failed" "$scratch/log2"
ok grep -q "^(fine.sh: [0-9]* s)$" "$scratch/log2"
expect 2 "run-tests.sh: TEST_JOBS=two is not a positive whole number" -- env TEST_JOBS=two sh "$repo/scripts/run-tests.sh" build
finish
