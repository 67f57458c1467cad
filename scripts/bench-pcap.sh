#!/bin/sh
# vmitn learn against tshark on a 10^6-packet capture (a TFN2K flood at 50,000 packets/s
# for 20 s, L1-1's bridge): median wall time of 3 runs each.
set -eu
cd "$(dirname "$0")/.."
d=$(mktemp -d /tmp/vmitn-bench-pcap.XXXXXX)
trap 'rm -rf "$d"' EXIT
./vmitn run flood -p rate=50000 -p duration=20 --runs 1 -q --out "$d/r" --pcap "$d/p"
f=$(ls "$d"/p/flood/*/L1-1.pcap)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t() { s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "capture: $(./vmitn learn "$f" | tail -1 | cut -d';' -f1)"
for k in 1 2 3; do t ./vmitn learn "$f"; done | median | sed 's/^/vmitn learn: /; s/$/ s/'
if command -v tshark >/dev/null; then
  for k in 1 2 3; do t tshark -r "$f" -T fields -e ip.src; done | median | sed 's/^/tshark -T fields -e ip.src: /; s/$/ s/'
fi
