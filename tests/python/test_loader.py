"""Checks python/vmitn_results.py against the CSVs it reads (run by tests/cli/python.sh).
Usage: python3 tests/python/test_loader.py RESULTS_DIR SCRATCH [SWEEP_DIR]"""
import csv
import math
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import vmitn_results as vr

results, scratch = sys.argv[1], sys.argv[2]
try:
    import pandas  # noqa: F401
    have_pandas = True
except ImportError:
    have_pandas = False


def rows(t):
    """A table as a list of dicts, NaN as None, whichever form the loader returned."""
    if isinstance(t, list):
        return t
    assert have_pandas and type(t).__name__ == "DataFrame", type(t)
    out = t.to_dict("records")
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in out]


def same(a, b):
    """A loader value against the CSV's text."""
    if b == "NA" or b == "":
        return a is None
    try:
        return float(b) == float(a)
    except (TypeError, ValueError):
        return str(a) == b


def check_against(table, folder, suffix, keys):
    got = [r for r in rows(table) if r["scenario"] == os.path.basename(folder)]
    n = 0
    for lab in vr.load(folder, as_frames=False).meta[os.path.basename(folder)]["experiments"]:
        path = os.path.join(folder, "%s.%s.csv" % (lab, suffix))
        if not os.path.isfile(path):
            continue
        mine = [r for r in got if r["experiment"] == lab]
        with open(path, newline="") as f:
            want = list(csv.DictReader(f))
        assert len(mine) == len(want), (path, len(mine), len(want))
        for a, b in zip(mine, want):
            for k in keys or b:
                assert same(a[k], b[k]), (path, k, a[k], b[k])
        n += len(want)
    return n


r = vr.load(os.path.join(results, "fig11"))
assert isinstance(r.runs, list) != have_pandas, "pandas present: DataFrames expected"
n = check_against(r.runs, os.path.join(results, "fig11"), "runs", None)
assert n == 20, n                                       # fig11's 20 runs
check_against(r.summary, os.path.join(results, "fig11"), "summary", None)
check_against(r.curves, os.path.join(results, "fig11"), "curve", ["t", "infected_mean", "infected_ci_hi"])
lt = [x for x in rows(r.summary) if x["metric"] == "learning_time"][0]
with open(os.path.join(results, "fig11", "learning.summary.csv")) as f:
    want = [x for x in csv.DictReader(f) if x["metric"] == "learning_time"][0]
assert float(want["mean"]) == lt["mean"] and float(want["ci95_lo"]) == lt["ci95_lo"], (want, lt)
m = r.meta["fig11"]
assert m["runs"] == 20 and m["experiments"] == ["learning"], m.get("experiments")
assert m["exp.learning.smc.theta"] == 100 and m["exp.learning.smc.learning"] is True
assert ("fig11", "compare") in r.tables and len(rows(r.tables[("fig11", "compare")])) == 2

# a folder of scenarios: every one, each experiment's runs
both = os.path.join(scratch, "two")
os.makedirs(both)
for s in ("fig10", "fig11"):
    shutil.copytree(os.path.join(results, s), os.path.join(both, s))
r = vr.load(both)
assert sorted(r.meta) == ["fig10", "fig11"]
n = check_against(r.runs, os.path.join(both, "fig10"), "runs", None)
assert n == 40, n                                       # none and handover, 20 runs each
assert {(x["scenario"], x["experiment"]) for x in rows(r.runs)} == {
    ("fig10", "none"), ("fig10", "handover"), ("fig11", "learning")}

# LABEL.events.csv (run,t,host,event,other) when a run wrote one; meta without meta.json
with open(os.path.join(both, "fig11", "learning.events.csv"), "w") as f:
    f.write("run,t,host,event,other\n0,0,L1-1,infected,launched\n0,1.5,L2-1,infected,L1-1\n1,2.25,L1-1,alarm,\n")
r = vr.load(os.path.join(both, "fig11"))
ev = rows(r.events)
assert [(e["run"], e["t"], e["host"], e["event"], e["other"]) for e in ev] == [
    (0, 0, "L1-1", "infected", "launched"), (0, 1.5, "L2-1", "infected", "L1-1"), (1, 2.25, "L1-1", "alarm", None)], ev
assert all(e["experiment"] == "learning" for e in ev)

# bad input: not a results folder; a cut file named with its line
for bad, msg in ((scratch, "holds no results"), (os.path.join(scratch, "nowhere"), "no such folder")):
    try:
        vr.load(bad)
        raise AssertionError("no error for " + bad)
    except vr.NotResults as e:
        assert msg in str(e), str(e)
with open(os.path.join(both, "fig11", "learning.runs.csv"), "a") as f:
    f.write("20,6,1\n")
try:
    vr.load(os.path.join(both, "fig11"))
    raise AssertionError("no error for a cut file")
except vr.NotResults as e:
    assert "learning.runs.csv:22: 3 cells" in str(e), str(e)

# a label in meta that is not a plain name: refused, nothing outside the folder read
secret = os.path.join(scratch, "secret")
os.makedirs(os.path.join(scratch, "esc", "s"))
os.makedirs(secret)
with open(os.path.join(secret, "x.runs.csv"), "w") as f:
    f.write("run,card\n0,4111\n")
for lab in ("../../secret/x", ".hidden", "a/b", "x" * 101):
    with open(os.path.join(scratch, "esc", "s", "meta"), "w") as f:
        f.write("name = s\nexperiments = %s\n" % lab)
    try:
        vr.load(os.path.join(scratch, "esc"), as_frames=False)
        raise AssertionError("no error for label " + lab)
    except vr.NotResults as e:
        assert "is not a plain name" in str(e) and "esc/s/meta" in str(e), str(e)
with open(os.path.join(scratch, "esc", "s", "meta"), "w") as f:
    f.write("name = s\nexperiments = e-1.b_2\n")
with open(os.path.join(scratch, "esc", "s", "e-1.b_2.runs.csv"), "w") as f:
    f.write("run,a,b,c,d,e,f,g,h,i,j,k\n0,1_000, 7,0x10,1e5,-2.5,+3,inf,NA,nan,.5,1.\n")
r = vr.load(os.path.join(scratch, "esc"), as_frames=False)
assert r.runs == [{"scenario": "s", "experiment": "e-1.b_2", "run": 0, "a": "1_000", "b": " 7", "c": "0x10",
                   "d": 1e5, "e": -2.5, "f": 3, "g": float("inf"), "h": None, "i": "nan", "j": 0.5, "k": 1.0}], r.runs
# a CSV column that would overwrite the scenario/experiment columns the loader adds
for col, f in (("experiment", "e-1.b_2.runs.csv"), ("scenario", "other.csv")):
    with open(os.path.join(scratch, "esc", "s", f), "w") as fh:
        fh.write("run,%s\n0,x\n" % col)
    try:
        vr.load(os.path.join(scratch, "esc"), as_frames=False)
        raise AssertionError("no error for a column " + col)
    except vr.NotResults as e:
        assert "%s: column '%s' clashes" % (f, col) in str(e), str(e)
    os.remove(os.path.join(scratch, "esc", "s", f))

# a sweep folder: runs with the swept parameters, and its points
if len(sys.argv) > 3:
    r = vr.load(sys.argv[3])
    with open(os.path.join(sys.argv[3], "runs.csv")) as f:
        want = list(csv.DictReader(f))
    got = rows(r.runs)
    assert len(got) == len(want) and all(same(a["theta"], b["theta"]) and same(a["learning_time"], b["learning_time"])
                                         for a, b in zip(got, want))
    assert len(rows(r.tables[(os.path.basename(sys.argv[3]), "points")])) == 3
print("test_loader.py: ok (%s)" % ("pandas" if have_pandas else "lists of dicts"))
