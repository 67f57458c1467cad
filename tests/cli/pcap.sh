# pcap.sh — emulated traffic as pcap, read back by `vmitn learn`: the same rule at the same
# time as the emulated SMC; Wireshark's reader agrees on the packets; bad captures named.
. tests/cli/lib.sh
ok "$VMITN" run fig11 --runs 2 --out "$scratch/r" -q --pcap "$scratch/p"
P="$scratch/p/fig11/learning"
for h in L1-1 L1-2 L2-1 L2-2 L3-1 L4-1 smc; do ok test -s "$P/$h.pcap"; done
ok sh -c "[ -z \"\$(ls -A '$P' | grep -v '\\.pcap\$')\" ]"   # no temporary files left

# round trip: the SMC's input, learned again, gives the emulated SMC's first rule and time
ok "$VMITN" learn "$P/smc.pcap" --out "$scratch/l"
emu=$(awk -F, '$1 == 0 {printf "%s %.5f\n", $2, $3; exit}' "$scratch/r/fig11/learning.rules.csv")
got=$(awk -F, 'NR == 2 {printf "%s %.5f\n", $2, $3}' "$scratch/l/rules.csv")
ok test "$emu" = "$got"
ok grep -q '^complete,yes$' "$scratch/l/summary.csv"

# no --pcap, no capture
ok "$VMITN" run fig11 --runs 1 --out "$scratch/r2" -q
ok test ! -e "$scratch/r2/fig11/learning"

# Wireshark's reader sees the same packets, and its filters work on them
if command -v tshark >/dev/null; then
  n=$(tshark -r "$P/L1-1.pcap" 2>/dev/null | wc -l)
  ok sh -c "'$VMITN' learn '$P/L1-1.pcap' | grep -q 'packets read $n;'"
  ok sh -c "[ \$(tshark -r '$P/L1-1.pcap' -Y 'tcp.dstport == 80' 2>/dev/null | wc -l) -gt 1000 ]"
else
  skip "tshark is not installed: the cross-check is skipped"
fi

# bad captures and arguments
echo "not a capture" > "$scratch/text.pcap"
expect 1 "not a pcap or pcapng capture" -- "$VMITN" learn "$scratch/text.pcap"
expect 3 "no-such.pcap: cannot read" -- "$VMITN" learn "$scratch/no-such.pcap"
expect 3 "cannot read: not a file" -- "$VMITN" learn "$scratch"
expect 2 "learn: unknown parameter 'tehta'; did you mean 'theta'?" -- "$VMITN" learn "$P/smc.pcap" -p tehta=3
expect 1 "learn: -p lambda=0: model.smc.lambda: 0 is out of range [1, 1e+09] packets" -- "$VMITN" learn "$P/smc.pcap" -p lambda=0
expect 2 "--pcap needs a folder" -- "$VMITN" run fig11 --pcap
expect 1 "--pcap-run 5: experiment 'learning' has runs 0 to 1" -- "$VMITN" run fig11 --runs 2 --pcap "$scratch/p5" --pcap-run 5 --out "$scratch/r5"
ok test ! -e "$scratch/r5/fig11"

# ---- issue 21: captures are committed with the results, or not at all
C=tests/data/scen/capture.lua
Q="$scratch/q"
ok "$VMITN" run $C -q --out "$scratch/c" --pcap "$Q"
ok test -s "$Q/capture/x/smc.pcap"
sum() { cat "$Q"/capture/x/*.pcap | cksum; }
before=$(sum)
# a second run does not replace them silently: refused up front, as --out is, nothing run
expect 3 "capture exists: choose another --pcap folder, or --force to replace its captures" -- "$VMITN" run $C -q --out "$scratch/c2" --pcap "$Q" -p duration=0.7
ok test ! -e "$scratch/c2"
# a failed run (exit 1) and an interrupted one (130) leave the older captures as they were
expect 1 "failed after the experiment" -- "$VMITN" run $C -q --out "$scratch/c" --force --pcap "$Q" -p case=fail -p duration=0.7
ok test "$(sum)" = "$before"
"$VMITN" run $C -q --out "$scratch/c" --force --pcap "$Q" -p case=spin -p duration=0.7 2>"$scratch/ierr" & pid=$!
n=0; while [ ! -d "$Q/capture/.pcap.tmp."* ] 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
sleep 0.5; kill -INT $pid; wait $pid; code=$?
ok test "$code" -eq 130
ok grep -q "interrupted: nothing was written" "$scratch/ierr"
ok test "$(sum)" = "$before"
ok test "$(ls -A "$Q/capture")" = x           # no staging folder left
ok test "$(ls -A "$scratch/c")" = capture     # nor a results temporary
# with --force a run that succeeds replaces them, together with its results
ok "$VMITN" run $C -q --out "$scratch/c" --force --pcap "$Q" -p duration=0.7
ok test "$(sum)" != "$before"
ok grep -q "^param.duration = 0.7$" "$scratch/c/capture/meta"
# --force replaces only a capture set vmitn wrote: someone's folder stays as it was
mkdir -p "$scratch/u/capture/x"; echo mine > "$scratch/u/capture/x/notes.txt"
expect 3 "x exists and holds 'notes.txt', so is no capture folder vmitn wrote: not replacing it, even with --force" -- "$VMITN" run $C -q --out "$scratch/c" --force --pcap "$scratch/u"
ok grep -q mine "$scratch/u/capture/x/notes.txt"
ok test "$(ls -A "$scratch/u/capture/x")" = notes.txt
ok grep -q "^param.duration = 0.7$" "$scratch/c/capture/meta"   # the results stayed too
# a full disk (here a file size limit: writes fail with EFBIG, SIGXFSZ ignored) leaves
# nothing at all, not even an empty folder
expect 3 "x/L1-1.pcap: cannot write" -- sh -c "trap '' XFSZ; ulimit -f 40; exec '$VMITN' run $C -q --out '$scratch/fd' --pcap '$scratch/fdp'"
ok test ! -e "$scratch/fdp"
ok test ! -e "$scratch/fd"

# ---- learn --out: the pair appears together (one folder swapped in), never one file new
# and the other old; a folder holding anything else is never replaced
L="$scratch/pair"
ok "$VMITN" learn "$Q/capture/x/smc.pcap" --out "$L"
ok "$VMITN" learn "$Q/capture/x/smc.pcap" --out "$L/" -p theta=40
ok grep -q '^theta,40$' "$L/summary.csv"
ok test "$(ls -A "$L" | tr '\n' ' ')" = "rules.csv summary.csv "
ok test "$(ls -A "$scratch" | grep -c '^\.pair')" -eq 0      # no temporary beside it
cp "$L/rules.csv" "$scratch/rules.before"
rm "$L/summary.csv"; mkdir "$L/summary.csv"                # the second file cannot be written
expect 3 "pair exists and holds more than learn's rules.csv and summary.csv: not replacing it" -- "$VMITN" learn "$Q/capture/x/smc.pcap" --out "$L" -p theta=60
ok cmp "$L/rules.csv" "$scratch/rules.before"               # the first one was not replaced alone
mkdir -p "$scratch/mine"; echo mine > "$scratch/mine/notes.txt"
expect 3 "holds more than learn's rules.csv and summary.csv" -- "$VMITN" learn "$Q/capture/x/smc.pcap" --out "$scratch/mine"
ok test "$(ls -A "$scratch/mine")" = notes.txt
finish
