# errors.sh — every bad input a user can give gets one clear message, a non-zero exit,
# and leaves nothing in the output folder.
. tests/cli/lib.sh
S=tests/data/scen
o="$scratch/out-dir"

# Lua: syntax and runtime errors show file:line and a traceback
expect 1 "$S/syntax.lua:4:" -- "$VMITN" run $S/syntax.lua --out "$o"; nothing_left "$o"
expect 1 "$S/runtime.lua:2: attempt to index a nil value" -- "$VMITN" run $S/runtime.lua --out "$o"
expect 1 "stack traceback" -- "$VMITN" run $S/runtime.lua --out "$o"; nothing_left "$o"
expect 1 "a scenario must return a table" -- "$VMITN" run $S/notable.lua --out "$o"; nothing_left "$o"
# a message the scenario raises on purpose, error(msg, 0), is the whole message: no traceback
printf 'return { name = "own", run = function(p) error("parameter knob: 7 is not allowed here", 0) end }\n' > "$scratch/own.lua"
expect 1 "vmitn: parameter knob: 7 is not allowed here" -- "$VMITN" run "$scratch/own.lua" --out "$o"
ok test "$(wc -l < "$scratch/err")" -eq 1
nothing_left "$o"

# scenario parameters: unknown names list the valid ones; type and range are named
expect 1 "unknown parameter 'duraton'; did you mean 'duration'? (scenario parameters: count, duration, flag, mode" -- "$VMITN" run $S/tiny.lua -p duraton=3 --out "$o"
expect 1 "parameter 'duration': 1000 is out of range [0.5, 100] s" -- "$VMITN" run $S/tiny.lua -p duration=1000 --out "$o"
expect 1 "parameter 'duration': expected a number, got 'long'" -- "$VMITN" run $S/tiny.lua -p duration=long --out "$o"
expect 1 "parameter 'flag': expected true or false, got 'maybe'" -- "$VMITN" run $S/tiny.lua -p flag=maybe --out "$o"
expect 1 "parameter 'count': expected an integer, got '2.5'" -- "$VMITN" run $S/tiny.lua -p count=2.5 --out "$o"
nothing_left "$o"

# model parameters, from the command line and from a scenario's model table
expect 1 "parameter 'smc.lambda': model.smc.lambda: 0 is out of range [1, 1e+09] packets" -- "$VMITN" run $S/tiny.lua -p smc.lambda=0 --out "$o"
expect 1 "parameter 'smc.tap': model.smc.tap: expected one of in, out, both, got sideways" -- "$VMITN" run $S/tiny.lua -p smc.tap=sideways --out "$o"
expect 1 "unknown parameter 'smc.lamda'" -- "$VMITN" run $S/tiny.lua -p smc.lamda=3 --out "$o"
expect 1 "model.worm.rtae: unknown parameter; did you mean 'rate'? (valid: enabled, start_host" -- "$VMITN" run $S/badmodel.lua -p case=typo --out "$o"
expect 1 "model.wrom: unknown parameter; did you mean 'worm'? (valid: inject, topology, duration, grid, worm" -- "$VMITN" run $S/badmodel.lua -p case=section --out "$o"
expect 1 "$S/badmodel.lua:35: model.worm.rate: expected a number, got string" -- "$VMITN" run $S/badmodel.lua -p case=type --out "$o"
expect 1 "model.worm.rate: -5 is out of range [0, 1e+07] scans/s" -- "$VMITN" run $S/badmodel.lua -p case=range --out "$o"
expect 1 "worm.p_local + worm.p_near + worm.p_any must be 1 (got 0.5 + 0.5 + 0.5 = 1.5)" -- "$VMITN" run $S/badmodel.lua -p case=sum --out "$o"
expect 1 "model.smc.lambda: 0 is out of range [1, 1e+09]" -- "$VMITN" run $S/badmodel.lua -p case=lambda --out "$o"
expect 1 "model.smc.theta: 0.5 is out of range [1, 1e+09]" -- "$VMITN" run $S/badmodel.lua -p case=theta --out "$o"
expect 1 "model.smc.lru_size: 0 is out of range [1, 1.04858e+06]" -- "$VMITN" run $S/badmodel.lua -p case=lru --out "$o"
expect 1 "model.smc.table_size: 0 is out of range" -- "$VMITN" run $S/badmodel.lua -p case=table --out "$o"
expect 1 "model.oob.latency: -0.1 is out of range [0, 10000] s" -- "$VMITN" run $S/badmodel.lua -p case=latency --out "$o"
expect 1 "model.smc.tap: expected one of in, out, both, got sideways" -- "$VMITN" run $S/badmodel.lua -p case=tap --out "$o"
expect 1 "AGENT's outbound rules could not block them" -- "$VMITN" run fig11 -p worm.fast=true -p smc.tap=in --out "$o"
expect 1 "AGENT's outbound tap would miss them" -- "$VMITN" run fig11 -p worm.fast=true -p smc.block=in --out "$o"
# two wrong parameters at once: the one reported is the first in the parameter table's
# section order (vmitn list --model: worm, flood, legit, fes, oob, smc, throttle, trw, edge,
# patch), whatever the module table's order (the edge row's check runs before SPY's and the
# SMC's there)
expect 1 "model: fes.handover needs fes.spy" -- "$VMITN" run $S/tiny.lua -p fes.spy=false -p fes.handover=true -p edge.routers=nope --out "$o"
expect 1 "model: worm.fast counts the scans that hit nobody without sending them, so an AGENT's outbound rules" -- "$VMITN" run $S/tiny.lua -p worm.fast=true -p smc.learning=true -p smc.block=out -p edge.routers=nope --out "$o"
nothing_left "$o"
expect 1 "fes.handover needs fes.spy" -- "$VMITN" run $S/tiny.lua -p fes.spy=false --out "$o"
expect 1 "worm.proto must be 6 (TCP) or 17 (UDP), got 10" -- "$VMITN" run $S/tiny.lua -p worm.proto=10 --out "$o"
expect 1 "runs must be a whole number from 1 to 100000" -- "$VMITN" run $S/badruns.lua --out "$o"
expect 1 "vmitn.si_ode: times must be finite, ascending and >= t0" -- "$VMITN" run $S/badmodel.lua -p case=ode --out "$o"
# a host name that is not there lists those that are (the first 8 and the count)
expect 1 "worm.start_host: no FES host named 'L9-9' in the topology (FES hosts: L1-1, L1-2, L2-1, L2-2, L3-1, L4-1)" -- "$VMITN" run $S/badmodel.lua -p case=host --out "$o"
expect 1 "worm.start_host: no FES host named 'nope' in the topology (FES hosts: L1-1, L1-2, L1-3, L1-4, L1-5, L1-6, L1-7, L1-8, and 32 more: 40 in all)" -- \
  "$VMITN" run $S/tiny.lua -p topology=generate:4:10:2 -p worm.start_host=nope --out "$o"
expect 1 "patch.hosts: no FES host named 'zz' in the topology (FES hosts: L1-1, L1-2," -- "$VMITN" run $S/tiny.lua -p patch.hosts=L1-1,zz --out "$o"
expect 3 "tests/data/topo/no-such-file.graphml" -- "$VMITN" run $S/badmodel.lua -p case=topology --out "$o"
for f in no-addr dup-addr disconnected bad-addr; do
  expect 1 "tests/data/topo/$f.graphml:" -- "$VMITN" run $S/tiny.lua -p topology=tests/data/topo/$f.graphml --out "$o"
done
expect 1 "inject[1].t must be a finite time >= 0" -- "$VMITN" run $S/badmodel.lua -p case=inject --out "$o"
expect 1 "'x.summary.csv' is written twice by this scenario" -- "$VMITN" run $S/badmodel.lua -p case=clash --out "$o"
expect 1 "'meta' is vmitn's own file" -- "$VMITN" run $S/badmodel.lua -p case=meta --out "$o"
expect 1 "no field name" -- "$VMITN" run $S/trap.lua --out "$o"
nothing_left "$o"

# an interrupted run leaves nothing
"$VMITN" run fig9 --out "$o" -q & pid=$!
sleep 0.5; kill -TERM $pid; wait $pid; code=$?
ok test "$code" -eq 130
nothing_left "$o"

# a symbolic link where the output goes is refused, even with --force, and never followed
mkdir -p "$scratch/keep" "$scratch/links"; echo precious > "$scratch/keep/file"
ln -s "$scratch/keep" "$scratch/links/tiny"
expect 3 "links/tiny exists: choose another --out, or --force" -- "$VMITN" run $S/tiny.lua --out "$scratch/links" --runs 1
expect 3 "is not a folder vmitn wrote (no meta): not replacing it" -- "$VMITN" run $S/tiny.lua --out "$scratch/links" --runs 1 --force
ok grep -q precious "$scratch/keep/file"
ok test -L "$scratch/links/tiny"
ok test ! -e "$scratch/keep/meta"

# files and folders
# a scenario that is not there is a file that cannot be read: 3, as the README's table says
expect 3 "no-such.lua: no such scenario file" -- "$VMITN" run no-such.lua --out "$o"
expect 3 "fig1l: no such scenario file" -- "$VMITN" run fig1l --out "$o"
ok grep -qF '| 3 | a file or folder could not be found, read or written (a scenario, topology or capture that is not there included)' README.md
ok sh -c "'$VMITN' man | grep -q '^a file or folder could not be found, read or written (a scenario, topology or capture'"
: > "$scratch/blocker"
expect 3 "cannot create the output folder" -- "$VMITN" run $S/tiny.lua --out "$scratch/blocker/sub"
mkdir -p "$scratch/ro"; chmod 555 "$scratch/ro"
if [ "$(id -u)" != 0 ]; then
  expect 3 "cannot write in the output folder" -- "$VMITN" run $S/tiny.lua --out "$scratch/ro"
fi

# the command line
expect 2 "unknown command 'rnu'" -- "$VMITN" rnu
expect 2 "run: which scenario?" -- "$VMITN" run
expect 2 "--runs needs a whole number from 1 to 100000, got '0'" -- "$VMITN" run $S/tiny.lua --runs 0
expect 2 "--seed needs a whole number >= 0, got '-3'" -- "$VMITN" run $S/tiny.lua --seed -3
expect 2 "run: unknown option '--fast'" -- "$VMITN" run $S/tiny.lua --fast
expect 2 "-p novalue: expected name=value" -- "$VMITN" run $S/tiny.lua -p novalue --out "$o"
nothing_left "$o"
# `vmitn list` loads a scenario without running it: a sweep at load time is refused, not run
mkdir -p "$scratch/lsw"
printf 'vmitn.sweep({scenario = "fig11", params = {theta = {50}}, runs = 1, label = "x"})\nreturn {name = "sw", run = function(p) end}\n' > "$scratch/lsw/sw.lua"
expect 1 "sw.lua:1: vmitn.sweep runs only from a scenario's run function" -- "$VMITN" list "$scratch/lsw"
finish
