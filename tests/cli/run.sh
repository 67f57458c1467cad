# run.sh — the CLI's good paths: help, version, list, a run with overrides, and
# determinism: the same scenario and seed give byte-identical files; another seed does not.
. tests/cli/lib.sh
S=tests/data/scen

ok "$VMITN" --help >/dev/null
ok sh -c "'$VMITN' --version | grep -q '^vmitn [0-9]'"
ok sh -c "'$VMITN' list | grep -q '^fig10 '"
ok sh -c "'$VMITN' list --model | grep -q 'lambda *= 10'"

# overrides reach the scenario and the model, and are recorded in meta
ok "$VMITN" run $S/tiny.lua -p mode=in -p flag=false -p count=7 -p smc.theta=50 --out "$scratch/a" --seed 5
ok grep -q '^in,false,7$' "$scratch/a/tiny/params.csv"
ok grep -q '^model.smc.theta = 50$' "$scratch/a/tiny/meta"
ok grep -q '^runs = 2$' "$scratch/a/tiny/meta"
ok test -s "$scratch/a/tiny/x.curve.csv"
ok sh -c "[ \$(wc -l < '$scratch/a/tiny/x.runs.csv') -eq 3 ]"

# determinism
ok "$VMITN" run $S/tiny.lua -p mode=in -p flag=false -p count=7 -p smc.theta=50 --out "$scratch/b" --seed 5
ok diff -r "$scratch/a" "$scratch/b"
ok "$VMITN" run $S/tiny.lua -p mode=in -p flag=false -p count=7 -p smc.theta=50 --out "$scratch/c" --seed 6
ok sh -c "! cmp -s '$scratch/a/tiny/x.runs.csv' '$scratch/c/tiny/x.runs.csv'"

# a re-run is refused; with --force it replaces the folder whole, and leaves no temporary folder behind
expect 3 "a/tiny exists: choose another --out, or --force to replace it" -- "$VMITN" run $S/tiny.lua --out "$scratch/a" --runs 1
ok grep -q '^runs = 2$' "$scratch/a/tiny/meta"
ok "$VMITN" run $S/tiny.lua --out "$scratch/a" --runs 1 --force
ok grep -q '^runs = 1$' "$scratch/a/tiny/meta"
ok sh -c "[ -z \"\$(ls -A '$scratch/a' | grep -v '^tiny\$')\" ]"
# the headline after a run: numbers read back from the summary the run wrote (printf %.2f
# of the CSV's own), nothing with --quiet, one JSON document with the same numbers with --format json
ok sh -c "'$VMITN' run fig11 --runs 4 --out '$scratch/h' > '$scratch/h.txt'"
f=$scratch/h/fig11/learning.summary.csv
want=$(awk -F, '$1 == "learning_time" { printf "learned in %d of %d runs, %.2f s [%.2f, %.2f]", $2, $2 + $3, $4, $6, $7 }' "$f")
ok grep -qF "fig11/learning: peak infected $(awk -F, '$1 == "peak_infected" { printf "%.2f [%.2f, %.2f] of 6 hosts (worst %d)", $4, $6, $7, $9 }' "$f")" "$scratch/h.txt"
ok grep -qF "; $want" "$scratch/h.txt"
ok grep -qx "wrote $scratch/h/fig11" "$scratch/h.txt"
ok sh -c "'$VMITN' run fig11 --runs 4 --out '$scratch/h' --force -q > '$scratch/q.txt' && [ ! -s '$scratch/q.txt' ]"
ok sh -c "'$VMITN' run fig11 --runs 4 --out '$scratch/h' --force --format json > '$scratch/h.json'"
ok python3 -m json.tool "$scratch/h.json" /dev/null
ok python3 -c '
import csv, json, sys
doc = json.load(open(sys.argv[1]))
assert doc["scenario"] == "fig11" and doc["folder"].endswith("/h/fig11"), doc
e = doc["experiments"][0]
assert e["label"] == "learning" and e["hosts"] == 6, e
rows = {r["metric"]: r for r in csv.DictReader(open(sys.argv[2]))}
for m, v in e["metrics"].items():
    for k in ("n", "missing", "mean", "ci95_lo", "ci95_hi", "min", "max"):
        c = rows[m][k]
        assert (v[k] is None) == (c == "NA") and (c == "NA" or float(c) == v[k]), (m, k, c, v[k])
assert "learning_time" in e["metrics"] and e["metrics"]["learning_time"]["n"] == 4
' "$scratch/h.json" "$f"
expect 2 "--format needs text or json, got 'yaml'" -- "$VMITN" run fig11 --format yaml
# meta.json beside meta: the same keys, typed
ok python3 -c '
import json, sys
m = json.load(open(sys.argv[1] + "/meta.json"))
meta = dict(l.rstrip("\n").split(" = ", 1) for l in open(sys.argv[1] + "/meta") if " = " in l)
assert set(m) == set(meta) | {"experiments"}, set(m) ^ set(meta)
assert m["runs"] == 4 and m["seed"] == 1 and m["experiments"] == ["learning"], m["experiments"]
assert m["exp.learning.smc.theta"] == 100 and m["exp.learning.smc.learning"] is True
assert m["exp.learning.topology"] == "topologies/vmitn-fig8.graphml"
assert m["exp.learning.grid"] == float(meta["exp.learning.grid"])
' "$scratch/h/fig11"
# meta.json types what meta wrote, not what the text looks like: a string parameter stays
# the text given (0x10, 010, 1., +3, true, quoted), a number parameter is a number, a
# boolean a boolean, a string model override (model.*) a string; bytes that are not UTF-8
# become U+FFFD, so meta.json is always JSON.
cat > "$scratch/typed.lua" <<'EOF'
return { name = "typed", runs = 1, params = {
  txt = { default = "a", doc = "a string" }, num = { default = 1, doc = "a number" },
  flag = { default = false, doc = "a boolean" } }, run = function(p)
  vmitn.experiment("e", { duration = 1 }) end }
EOF
for t in 0x10 010 1. +3 true '"a"' 7 1e5; do
  ok "$VMITN" run "$scratch/typed.lua" -p "txt=$t" -p num=2.5 -p flag=true -p flood.host=010 --out "$scratch/ty" -q --force
  ok python3 -c '
import json, sys
m = json.load(open(sys.argv[1] + "/meta.json"))
assert m["param.txt"] == sys.argv[2], (m["param.txt"], sys.argv[2])
assert m["param.num"] == 2.5 and m["param.flag"] is True, m
assert m["model.flood.host"] == "010", m["model.flood.host"]
' "$scratch/ty/typed" "$t"
done
ok "$VMITN" run "$scratch/typed.lua" -p "txt=$(printf 'a\377b\303')" --out "$scratch/ty" -q --force
ok python3 -c '
import json, sys
m = json.load(open(sys.argv[1] + "/meta.json", encoding="utf-8"))
assert m["param.txt"] == "a\ufffdb\ufffd", ascii(m["param.txt"])
' "$scratch/ty/typed"
# --jobs: the runs of an experiment on worker processes give the same files for every
# number of workers (packet level with learning and hand-over, the fast path with
# thinning on and off), and a failure, a dead worker or Ctrl-C leaves nothing.
for j in 1 2 3; do
  ok "$VMITN" run table1 --runs 5 --jobs $j --out "$scratch/j$j" -q
  ok "$VMITN" run fig11 --runs 4 -p sets=2 -p duration=8 -j $j --out "$scratch/j$j" -q
  ok "$VMITN" run slammer -p subnets=20 -p hosts=100 -p minutes=3 --runs 3 -j $j --out "$scratch/j$j" -q
  ok "$VMITN" run slammer -p subnets=20 -p hosts=100 -p minutes=3 -p worm.thin=false --runs 3 -j $j \
    --out "$scratch/k$j" -q
done
for j in 1 3; do # a capture of a later run, replayed by the parent
  ok "$VMITN" run table1 --runs 4 -j $j --out "$scratch/p$j" --pcap "$scratch/pcap$j" --pcap-run 2 -q
done
ok test -s "$scratch/pcap1/table1/handover/smc.pcap"
ok diff -r "$scratch/pcap1" "$scratch/pcap3"
ok diff -r "$scratch/p1" "$scratch/p3"
for j in 2 3; do
  ok diff -r "$scratch/j1" "$scratch/j$j"
  ok diff -r "$scratch/k1" "$scratch/k$j"
done
ok sh -c "! cmp -s '$scratch/j1/slammer/uniform.runs.csv' '$scratch/k1/slammer/uniform.runs.csv'"
expect 2 "--jobs needs a whole number from 1 to 4096, got '0'" -- "$VMITN" run $S/tiny.lua --jobs 0
expect 2 "--jobs needs a whole number from 1 to 4096, got 'x'" -- "$VMITN" run $S/tiny.lua -j x
mkdir "$scratch/fail"
expect 3 "later-fails.lua:10: model: legit.trace: no-such-capture.pcap: cannot read" -- \
  "$VMITN" run $S/later-fails.lua --jobs 3 --out "$scratch/fail"
ok sh -c "[ \$(grep -c 'vmitn:' '$scratch/err') -eq 1 ]"
nothing_left "$scratch/fail"
# a worker killed in the middle of a run: one message, nothing written, no worker left
"$VMITN" run slammer -p subnets=100 -p minutes=60 --runs 40 -j 2 --out "$scratch/fail" -q 2>"$scratch/err" &
pid=$!
workers() { # waits (up to 20 s) for the workers of $pid, and lists them
  n=0; while [ -z "$(pgrep -P $pid)" ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
  sleep 0.3; pgrep -P $pid
}
w=$(workers)
kill -KILL $(echo "$w" | head -1)
wait $pid
ok test $? -eq 1
ok grep -q "the worker process running replication [0-9]* stopped unexpectedly" "$scratch/err"
ok sh -c "[ \$(grep -c 'vmitn:' '$scratch/err') -eq 1 ]"
for p in $w; do ok sh -c "! kill -0 $p 2>/dev/null"; done
nothing_left "$scratch/fail"
# Ctrl-C (SIGINT to the parent alone: it stops its workers)
"$VMITN" run slammer -p subnets=100 -p minutes=60 --runs 40 -j 2 --out "$scratch/fail" -q 2>"$scratch/err" &
pid=$!
w=$(workers)
kill -INT $pid
wait $pid
ok test $? -eq 130
for p in $w; do ok sh -c "! kill -0 $p 2>/dev/null"; done
nothing_left "$scratch/fail"
finish
