# python.sh — python/vmitn_results.py reads committed results/ folders and a sweep into tidy
# tables whose numbers are the CSVs': with Debian's python3 and python3-pandas (DataFrames),
# and without pandas (python3 -S: no site packages, lists of dicts).
. tests/cli/lib.sh
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if ! command -v "$py" >/dev/null; then echo "python.sh: no python3: skipped"; finish; exit; fi
"$VMITN" sweep fig11 -p theta=50,100,200 -p duration=5 --runs 2 -q --out "$scratch/sweep"
if "$py" -c 'import pandas' 2>/dev/null; then
  mkdir "$scratch/pd"
  ok "$py" tests/python/test_loader.py results "$scratch/pd" "$scratch/sweep"
else
  echo "python.sh: no pandas (Debian: apt-get install python3-pandas): the DataFrame part is skipped"
fi
# a real run's LABEL.events.csv: every row, typed, with its scenario and experiment
"$VMITN" run fig11 --runs 2 -q --out "$scratch/ev"
ok "$py" -S -c '
import csv, sys
sys.path.insert(0, "python")
import vmitn_results as vr
r = vr.load(sys.argv[1])
want = list(csv.DictReader(open(sys.argv[1] + "/learning.events.csv")))
assert len(want) > 0 and len(r.events) == len(want), (len(r.events), len(want))
assert all(e["experiment"] == "learning" and e["event"] == w["event"] and e["host"] == w["host"]
           and e["t"] == float(w["t"]) for e, w in zip(r.events, want))
assert sum(e["event"] == "infected" for e in r.events) == sum(x["infections"] for x in r.runs)
' "$scratch/ev/fig11"
mkdir "$scratch/plain"
ok "$py" -S tests/python/test_loader.py results "$scratch/plain" "$scratch/sweep"
finish
