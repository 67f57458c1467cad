# replay.sh — captures replayed as the emulated network's legitimate traffic (legit.trace):
# on a capture the project makes (an emulated host's bridge), the same capture and seed
# give byte-identical files, on the Fig 8 testbed and on a generated network; every packet
# of the file is replayed; blocked replayed packets are counted; every bad trace is named.
. tests/cli/lib.sh
S=tests/data/scen
ok "$VMITN" run fig11 --runs 1 --out "$scratch/r" -q --pcap "$scratch/p"
C="$scratch/p/fig11/learning/L2-1.pcap"
# the capture's packets (the learner reads the same ones)
n=$("$VMITN" learn "$C" | sed -n 's/^packets read \([0-9]*\);.*/\1/p')
ok test "$n" -gt 1000

for topo in topologies/vmitn-fig8.graphml generate:3:4:2; do
  rm -rf "$scratch/a" "$scratch/b"
  ok "$VMITN" run $S/replay.lua -p "trace=$C" -p "topology=$topo" -p duration=30 --out "$scratch/a" -q
  ok "$VMITN" run $S/replay.lua -p "trace=$C" -p "topology=$topo" -p duration=30 --out "$scratch/b" -q
  for f in x.curve.csv x.runs.csv x.summary.csv x.rules.csv x.replay.csv replay.csv; do
    ok cmp -s "$scratch/a/replay-test/$f" "$scratch/b/replay-test/$f"
  done
  # the capture (its 20 s fit in 30) is replayed in every run, less what the mapping skips
  # (the scans' private destinations become FES hosts too, and a packet between two
  # addresses placed on one host never crosses a bridge; test_trace.c counts exactly)
  ok awk -F, -v n="$n" 'NR > 1 && !($2 == $3 && $2 > n * 0.8 && $2 <= n) {bad = 1} END {exit bad}' "$scratch/a/replay-test/x.replay.csv"
  # every packet sent ends somewhere counted: delivered, left the network, blocked or down
  ok awk -F, 'NR > 1 && $5 + $6 + $9 + $12 != $3 {bad = 1} END {exit bad}' "$scratch/a/replay-test/x.replay.csv"
  # the worm's scans in the capture train the learner: replayed packets are blocked, and counted
  ok awk -F, 'NR > 1 && $9 > 0 {found = 1} END {exit !found}' "$scratch/a/replay-test/x.replay.csv"
done
# another seed places the capture's hosts elsewhere
ok "$VMITN" run $S/replay.lua -p "trace=$C" -p duration=30 --seed 2 --out "$scratch/c" -q
ok sh -c "! cmp -s '$scratch/a/replay-test/x.rules.csv' '$scratch/c/replay-test/x.rules.csv'"
# no trace: no replay file
ok "$VMITN" run $S/replay.lua --out "$scratch/d" -q
ok test ! -e "$scratch/d/replay-test/x.replay.csv"

# bad traces: the parameter and the file named, nothing left
o="$scratch/bad"
expect 3 "model: legit.trace: $scratch/none.pcap: cannot read" -- "$VMITN" run $S/replay.lua -p "trace=$scratch/none.pcap" --out "$o"
echo "not a capture" > "$scratch/text.pcap"
expect 1 "model: legit.trace: $scratch/text.pcap: not a pcap or pcapng capture" -- "$VMITN" run $S/replay.lua -p "trace=$scratch/text.pcap" --out "$o"
head -c 3000 "$C" > "$scratch/cut.pcap"
expect 1 "cut.pcap: the capture stops inside packet" -- "$VMITN" run $S/replay.lua -p "trace=$scratch/cut.pcap" --out "$o"
expect 1 "a replayed capture must be whole" -- "$VMITN" run $S/replay.lua -p "trace=$scratch/cut.pcap" --out "$o"
expect 1 "legit.trace: ends with a comma" -- "$VMITN" run $S/replay.lua -p "trace=$C," --out "$o"
expect 1 "legit.trace_map: '172.17.0.11': expected ADDR=HOST or ADDR=outside" -- "$VMITN" run $S/replay.lua -p "trace=$C" -p legit.trace_map=172.17.0.11 --out "$o"
expect 1 "legit.trace_map: '172.17.0.11=L9-9': no FES host named 'L9-9' in the topology" -- "$VMITN" run $S/replay.lua -p "trace=$C" -p legit.trace_map=172.17.0.11=L9-9 --out "$o"
expect 1 "legit.trace_map: '300.1.1.1' is not an IPv4 address" -- "$VMITN" run $S/replay.lua -p "trace=$C" -p legit.trace_map=300.1.1.1=L1-1 --out "$o"
expect 1 "legit.trace_map is set, but legit.trace names no capture" -- "$VMITN" run $S/replay.lua -p legit.trace_map=172.17.0.11=L1-1 --out "$o"
expect 1 "model.legit.trace_inside: expected one of auto, private, clients, map, got inner" -- "$VMITN" run $S/replay.lua -p "trace=$C" -p legit.trace_inside=inner --out "$o"
expect 1 "model.legit.trace_speed: 0 is out of range [1e-06, 1e+06]" -- "$VMITN" run $S/replay.lua -p "trace=$C" -p legit.trace_speed=0 --out "$o"
long=$(printf '%01100d' 0)
expect 1 "model.legit.trace: longer than 1023 characters" -- "$VMITN" run $S/replay.lua -p "trace=$long" --out "$o"
nothing_left "$o"

# the shared public captures, where this machine has them: the web capture's 2,468 IPv4
# packets less its 5 broadcast and multicast ones are replayed, each counted where it ends
shared=../shared/captures
if [ -r "$shared/benign-web-multisite-https.pcap" ]; then
  ok "$VMITN" run $S/replay.lua -p "trace=$shared/benign-web-multisite-https.pcap" -p duration=60 --out "$scratch/w" -q
  ok awk -F, 'NR > 1 && ($2 != 2463 || $5 + $6 + $9 + $12 != $3) {bad = 1} END {exit bad}' "$scratch/w/replay-test/x.replay.csv"
else
  skip "$shared not found: the checks on the shared public captures are skipped"
fi
finish
