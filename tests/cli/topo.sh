# topo.sh — `vmitn topo FILE`: the topology as Graphviz dot (routers, LANs with their hosts,
# links with bandwidth and delay, the SMC's out-of-band network), SVG and PNG through
# Graphviz when it is installed, written whole; errors named.
. tests/cli/lib.sh
T=topologies/vmitn-fig8.graphml
expect 0 "" -- "$VMITN" topo $T --dot
d=$scratch/fig8.dot; cp "$scratch/out" "$d"
ok grep -q '^graph "vmitn-fig8" {$' "$d"
ok grep -q 'label="vmitn-fig8: 6 routers, 4 LANs, 6 FES hosts"' "$d"
ok grep -q '{ rank=same; "R5"; "R6"; }' "$d"
ok grep -q 'subgraph "cluster_lan0" {' "$d"
ok grep -q 'label="LAN 172.16.0.0/16"' "$d"
ok grep -q '"L1-1" \[shape=box, style=filled, fillcolor="#fbe3c4", label="L1-1\\n172.16.0.11\\nFES"\]' "$d"
ok grep -q '"R1" -- "L1-1" \[label="100 Mbit/s, 50 us"\]' "$d"
ok grep -q '"R5" -- "R6" \[label="100 Mbit/s, 500 us", penwidth=1.5\]' "$d"
ok grep -q '"SMC" -- "L4-1" \[style=dotted' "$d"
ok test "$(grep -c ' -- ' "$d")" -eq $((6 + 5 + 6))    # host links, router links, OOB
# from an unrelated folder, the data folder's topology
(cd "$scratch" && "$VMITN" topo topologies/vmitn-fig8.graphml --dot > "$scratch/far.dot")
ok cmp -s "$d" "$scratch/far.dot"
# a generated network; files
ok sh -c "'$VMITN' topo generate:3:2:2 --dot | grep -q '3 LANs, 6 FES hosts'"
# a bigger one is drawn compact: one edge per LAN (to its cluster), its hosts stacked in
# columns, so that the picture is not a strip of 40 hosts side by side
"$VMITN" topo generate:8:5:2 --dot > "$scratch/g.dot"
ok grep -q 'compound=true' "$scratch/g.dot"
ok grep -q '"E1" -- "L1-1" \[lhead="cluster_lan0", label="5 hosts: 100 Mbit/s, 50 us"\]' "$scratch/g.dot"
ok test "$(grep -c 'lhead=' "$scratch/g.dot")" -eq 8
ok test "$(grep -c 'style=invis' "$scratch/g.dot")" -eq $((8 * 4))
expect 0 "" -- "$VMITN" topo $T --out "$scratch/t.dot"
ok grep -qx "wrote $scratch/t.dot" "$scratch/out"
ok cmp -s "$d" "$scratch/t.dot"
if command -v dot >/dev/null; then
  ok "$VMITN" topo $T --out "$scratch/t.svg" >/dev/null
  ok grep -q '<svg' "$scratch/t.svg"
  ok "$VMITN" topo $T --out "$scratch/t.png" >/dev/null
  ok sh -c "head -c 4 '$scratch/t.png' | grep -q PNG"
  # generate:8:5:2 no wider than 2.5 times its height (it was 5136 x 559)
  ok "$VMITN" topo generate:8:5:2 --out "$scratch/g.png" >/dev/null
  ok python3 -c 'import struct, sys; w, h = struct.unpack(">II", open(sys.argv[1], "rb").read()[16:24]); sys.exit(not (w <= 2.5 * h))' "$scratch/g.png"
else
  skip "no Graphviz: SVG and PNG are not tested"
fi
mkdir "$scratch/nodot"
expect 1 "Graphviz's dot not found: install it (Debian: apt-get install graphviz), or use --dot" -- \
  env PATH=/nonexistent "$VMITN" topo $T --out "$scratch/nodot/t.svg"
ok sh -c "[ -z \"\$(ls -A '$scratch/nodot')\" ]"
# errors
expect 2 "topo: say what to draw: --dot (to stdout) or --out FILE.dot|.svg|.png" -- "$VMITN" topo $T
expect 2 "the file name must end in .dot, .svg or .png" -- "$VMITN" topo $T --out "$scratch/t.jpg"
expect 2 "topo: which topology file?" -- "$VMITN" topo --dot
expect 3 "no-such.graphml" -- "$VMITN" topo no-such.graphml --dot
expect 1 "expected generate:SUBNETS:HOSTS:FANOUT" -- "$VMITN" topo generate:3:x --dot
expect 3 "cannot write" -- "$VMITN" topo $T --out "$scratch/no/dir/t.dot"
finish
