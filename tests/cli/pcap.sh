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
finish
