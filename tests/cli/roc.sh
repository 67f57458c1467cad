# roc.sh — the learner's operating curve (scenarios/roc.lua): a point of the grid is what
# `vmitn learn` reports on the same capture with the same lambda and theta (captures the
# project makes: the emulated SMC's input and one host's bridge); a capture that is not
# there is skipped and listed; bad grids and truth patterns are named.  With the shared
# public captures present (../shared/captures), one of them is checked the same way.
. tests/cli/lib.sh
ok "$VMITN" run fig11 --runs 1 --out "$scratch/r" -q --pcap "$scratch/p"
P="$scratch/p/fig11/learning"

# point_equals_learn CAPTURE LAMBDA THETA: the ROC's rules and first rule time for one
# benign capture equal vmitn learn's
point_equals_learn() {
  rm -rf "$scratch/roc" "$scratch/l"
  ok "$VMITN" run roc -p dir= -p "benign=$1" -p attack= -p emulated=false -p lambdas=$2 -p thetas=$3 \
     --out "$scratch/roc" -q
  ok sh -c "'$VMITN' learn '$1' -p lambda=$2 -p theta=$3 --out '$scratch/l' >/dev/null"
  want=$(awk -F, '$1 == "rules" {print $2}' "$scratch/l/summary.csv")
  got=$(awk -F, 'NR == 2 {print $6}' "$scratch/roc/roc/roc_points.csv")
  ok test "$want" = "$got"
  ok test "$want" -gt 0
  t_learn=$(awk -F, 'NR == 2 {print $(NF - 2)}' "$scratch/l/rules.csv")   # the pattern is quoted, with commas
  t_roc=$(awk -F, 'NR == 2 {print $7}' "$scratch/roc/roc/roc_points.csv")
  ok awk -v a="$t_learn" -v b="$t_roc" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-5 * (a > 1 ? a : 1)) }'
}
point_equals_learn "$P/smc.pcap" 10 100
point_equals_learn "$P/smc.pcap" 5 300
point_equals_learn "$P/L2-1.pcap" 2 50

# an attack capture with its truth: the emulated worm is detected, with a rule naming a scanner
rm -rf "$scratch/roc"
ok "$VMITN" run roc -p dir= -p benign= -p "attack=$P/smc.pcap=*,*,80" -p emulated=false -p lambdas=10 -p thetas=100 \
   --out "$scratch/roc" -q
# (the packets: as many as vmitn learn reads from the capture; the rules: any number)
n=$("$VMITN" learn "$P/smc.pcap" | sed -n 's/^packets read \([0-9]*\);.*/\1/p')
ok test "$n" -gt 1000
ok grep -q "^$P/smc.pcap,attack,10,100,$n,[0-9]*,[0-9.e-]*,NA,\"\\*,\\*,80\",[0-9.e-]*,\"172\\.1[6-9]\\.0\\.1[12],\\*,80\",1," "$scratch/roc/roc/roc_points.csv"
ok grep -q '^10,100,0,0,NA,NA,1,1,1,' "$scratch/roc/roc/roc.csv"

# a capture that is not there: skipped and listed, the rest is measured
rm -rf "$scratch/roc"
ok "$VMITN" run roc -p dir= -p "benign=$scratch/none.pcap,$P/smc.pcap" -p attack= -p emulated=false -p lambdas=10 \
   -p thetas=100 --out "$scratch/roc" -q
ok grep -q "^benign,$scratch/none.pcap,.*none.pcap: cannot read" "$scratch/roc/roc/roc_skipped.csv"
ok grep -q '^10,100,1,1,' "$scratch/roc/roc/roc.csv"

# bad grids, attack entries and truth patterns
o="$scratch/bad"
expect 1 "lambdas: not a number >= 1: 'x'" -- "$VMITN" run roc -p lambdas=5,x --out "$o"
expect 1 "attack: 'foo.pcap': expected FILE=SRC,DST,PORT[@START]" -- "$VMITN" run roc -p attack=foo.pcap --out "$o"
expect 1 "attack: 'a.pcap=*,*,80@soon': START after @ must be seconds" -- "$VMITN" run roc -p 'attack=a.pcap=*,*,80@soon' --out "$o"
expect 1 "vmitn.learn: truth: expected \"src,dst,port\" with '*' for any, got '*,*'" -- "$VMITN" run roc -p dir= -p benign= -p "attack=$P/smc.pcap=*,*" -p emulated=false --out "$o"
echo "not a capture" > "$scratch/text.pcap"
expect 1 "vmitn.learn: $scratch/text.pcap: not a pcap or pcapng capture" -- "$VMITN" run roc -p dir= -p "benign=$scratch/text.pcap" -p attack= -p emulated=false --out "$o"
nothing_left "$o"

# the shared public captures, where this machine has them
shared=../shared/captures
if [ -r "$shared/attack-ddos-isakmp-amplification.pcap" ]; then
  point_equals_learn "$shared/benign-web-multisite-https.pcap" 10 100
  rm -rf "$scratch/roc"
  ok "$VMITN" run roc -p lambdas=10 -p thetas=100 -p emulated=false --out "$scratch/roc" -q
  ok grep -q '^attack-ddos-isakmp-amplification.pcap,attack,10,100,3984,1,.*"\*,10.10.10.10,\*",1,' "$scratch/roc/roc/roc_points.csv"
else
  skip "$shared not found: the checks on the shared public captures are skipped"
fi
finish
