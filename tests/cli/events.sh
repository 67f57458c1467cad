# events.sh — LABEL.events.csv: written by default on a small topology, byte-identical for
# a seed, the curves rebuilt from it run by run (infected, infections: mean, min, max and
# the worst run at every grid time), every infector infected before its victim (a
# transmission tree), hosts by name; off and on (with its size guard) by output.events.
. tests/cli/lib.sh
if ! command -v python3 >/dev/null; then echo "events.sh: no python3: skipped"; finish; exit; fi
cat > "$scratch/check.py" <<'PY'
import csv, sys, glob, os
bad = 0
def fail(msg):
    global bad; bad += 1; print("FAIL:", msg)
for ev in sorted(glob.glob(os.path.join(sys.argv[1], "*.events.csv"))):
    label = ev[:-len(".events.csv")]
    rows = list(csv.DictReader(open(ev)))
    runs = list(csv.DictReader(open(label + ".runs.csv")))
    curve = list(csv.DictReader(open(label + ".curve.csv")))
    names = set(r["host"] for r in rows)
    byrun = {}
    for r in rows:
        byrun.setdefault(int(r["run"]), []).append(r)
    grid = [float(c["t"]) for c in curve]
    inf = {}; cum = {}
    for k in range(len(runs)):
        evs = byrun.get(k, [])
        state = set(); last = -1e300
        tree = {}; cleaned_at = {}
        for r in evs:
            t = float(r["t"])
            if t < last: fail("%s run %d: not sorted at t=%s" % (ev, k, r["t"]))
            last = t
            if r["event"] == "infected":
                o = r["other"]
                # the infector is infected, or was cleaned while its exploit was on the
                # wire: an exploit sent before the hand-over still arrives (a few ms over
                # the testbed; 0.1 s bounds any route here)
                if o not in ("launched", "injected") and o not in state and \
                   not (o in cleaned_at and t - cleaned_at[o] < 0.1):
                    fail("%s run %d: %s infected by %s, which is not infected" % (ev, k, r["host"], o))
                tree[r["host"]] = o
                state.add(r["host"])
            elif r["event"] == "cleaned":
                state.discard(r["host"])
                cleaned_at[r["host"]] = t
        # the curve at grid time g: the events before it (a tie at g: the sample runs
        # first, as it was scheduled first)
        ci, cn = [], []
        for g in grid:
            s = set(); n = 0
            for r in evs:
                if float(r["t"]) >= g - 5e-10: break
                if r["event"] == "infected": s.add(r["host"]); n += 1
                elif r["event"] == "cleaned": s.discard(r["host"])
            ci.append(len(s)); cn.append(n)
        inf[k] = ci; cum[k] = cn
    nr = len(runs)
    peak = [float(r["peak_infected"]) for r in runs]
    worst = max(range(nr), key=lambda k: (peak[k], sum(inf[k]), -k))
    for i, c in enumerate(curve):
        for col, per in (("infected", inf), ("infections", cum)):
            vals = [per[k][i] for k in range(nr)]
            want = {"mean": sum(vals) / nr, "min": min(vals), "max": max(vals), "worst": per[worst][i]}
            for stat, v in want.items():
                got = float(c["%s_%s" % (col, stat)])
                if abs(got - v) > 1e-5 * max(1, abs(v)):
                    fail("%s t=%s: %s_%s is %s in the curve, %s from the events" % (label, c["t"], col, stat, got, v))
    print("%s: %d runs, %d rows, %d grid times checked" % (os.path.basename(label), nr, len(rows), len(curve)))
sys.exit(1 if bad else 0)
PY
cat > "$scratch/own.lua" <<'LUA'
local common = vmitn.include("common")
return { name = "own", runs = 4,
  run = function(p)
    vmitn.experiment("gen", common.model({ duration = 10, topology = "generate:3:4:2", fes = { handover = true } }))
    vmitn.experiment("off", common.model({ duration = 5, output = { events = "off" } }))
  end }
LUA
# the paper's hand-over (Fig 10) and learning (Fig 11) scenarios, and a generated topology
for s in fig10 fig11; do
  expect 0 "" -- "$VMITN" run $s --out "$scratch/a" --seed 3 --runs 5 -q
  ok test -s "$scratch/a/$s/handover.events.csv" -o -s "$scratch/a/$s/learning.events.csv"
  ok python3 "$scratch/check.py" "$scratch/a/$s"
done
ok grep -q ',rule_active,' "$scratch/a/fig11/learning.events.csv"
ok grep -q ',blocked_out,\|,blocked_in,' "$scratch/a/fig11/learning.events.csv"
ok grep -q '^0,0.000000000,L1-1,infected,launched$' "$scratch/a/fig10/handover.events.csv"
ok grep -q ',handover_end,' "$scratch/a/fig10/handover.events.csv"
ok grep -q ',cleaned,handover_end$' "$scratch/a/fig10/handover.events.csv"
expect 0 "" -- "$VMITN" run "$scratch/own.lua" --out "$scratch/b" --seed 2 -q
ok python3 "$scratch/check.py" "$scratch/b/own"
ok test -s "$scratch/b/own/gen.events.csv"
ok test ! -e "$scratch/b/own/off.events.csv"
# the baseline defences: detected, contained and removed hosts (cleaned by patching)
cat > "$scratch/def.lua" <<'LUA'
local common = vmitn.include("common")
return { name = "def", runs = 6,
  run = function(p)
    vmitn.experiment("throttle", common.model({ duration = 10, throttle = { enabled = true } }))
    vmitn.experiment("trw", common.model({ duration = 10, trw = { enabled = true, quarantine = true, reaction = 0.5 } }))
    vmitn.experiment("edge", common.model({ duration = 10, edge = { enabled = true, reaction = 2 } }))
    vmitn.experiment("patch", common.model({ duration = 10, patch = { enabled = true, infected_rate = 1 } }))
  end }
LUA
expect 0 "" -- "$VMITN" run "$scratch/def.lua" --out "$scratch/e" --seed 4 -q
ok python3 "$scratch/check.py" "$scratch/e/def"
ok grep -q ',removed,patch$' "$scratch/e/def/patch.events.csv"
ok grep -q ',cleaned,removed$' "$scratch/e/def/patch.events.csv"
ok grep -q ',contained,trw$' "$scratch/e/def/trw.events.csv"
# same seed, same log
expect 0 "" -- "$VMITN" run "$scratch/own.lua" --out "$scratch/c" --seed 2 -q
ok cmp "$scratch/b/own/gen.events.csv" "$scratch/c/own/gen.events.csv"
# the size guard: a log that would be too large is refused, naming the parameter
mkdir "$scratch/d"
expect 1 "output.events = on: the event log could take about" -- "$VMITN" run "$scratch/own.lua" --out "$scratch/d" -q --runs 20000 -p output.events=on -p duration=100
nothing_left "$scratch/d"
finish
