# defences.sh — the baseline defences from the command line: each bad parameter is one
# message naming it (exit 1, nothing written), and a defence run works end to end.
. tests/cli/lib.sh
out=$scratch/o
expect 1 "trw: need 0 < trw.theta1 < trw.theta0 < 1" -- "$VMITN" run fig10 -p trw.enabled=true -p trw.theta1=0.9 -p worm.fast=false --runs 1 --out "$out"
expect 1 "trw.enabled needs the outcome of every first contact" -- "$VMITN" run fig10 -p trw.enabled=true --runs 1 --out "$out"
expect 1 "throttle.enabled delays every connection request" -- "$VMITN" run fig10 -p throttle.enabled=true --runs 1 --out "$out"
expect 1 "trw.hosts: no FES host named 'L9-9'" -- "$VMITN" run fig10 -p trw.enabled=true -p worm.fast=false -p trw.hosts=L1-1,L9-9 --runs 1 --out "$out"
expect 1 "throttle.hosts: ',L1-1' is not a comma-separated list of host names" -- "$VMITN" run fig10 -p throttle.enabled=true -p worm.fast=false "-p" "throttle.hosts=,L1-1" --runs 1 --out "$out"
expect 1 "throttle.rate" -- "$VMITN" run fig10 -p throttle.enabled=true -p worm.fast=false -p throttle.rate=0 --runs 1 --out "$out"
expect 1 "edge.routers: no edge router named 'R9'" -- "$VMITN" run fig10 -p edge.enabled=true -p edge.routers=R1,R9 --runs 1 --out "$out"
expect 1 "edge.mode = \"ratelimit\" counts every connection request" -- "$VMITN" run fig10 -p edge.enabled=true -p edge.mode=ratelimit --runs 1 --out "$out"
expect 1 "edge.mode" -- "$VMITN" run fig10 -p edge.enabled=true -p edge.mode=firewall --runs 1 --out "$out"
expect 1 "patch.enabled: set patch.susceptible_rate or patch.infected_rate above 0" -- "$VMITN" run fig10 -p patch.enabled=true --runs 1 --out "$out"
expect 1 "worm.strategy" -- "$VMITN" run fig10 -p worm.strategy=spiral --runs 1 --out "$out"
expect 1 "worm.hitlist with worm.fast needs a sequence" -- "$VMITN" run fig10 -p worm.hitlist=3 --runs 1 --out "$out"
expect 1 "worm.strategy = \"partitioned\" is not exact with worm.fast" -- "$VMITN" run fig10 -p worm.strategy=partitioned --runs 1 --out "$out"
ok test ! -e "$out"
# a run with both: the worm never leaves the launch host
ok "$VMITN" run fig10 -p sets=1 -p worm.fast=false -p trw.enabled=true -p throttle.enabled=true --runs 2 --out "$out" -q
ok grep -q '^peak_infected,2,0,1,0,' "$out/fig10/none.summary.csv"
finish
