# compare.sh — compare for CI: everything of REF must be in NEW (scenario, experiment, file,
# column, rows; a file cut to its header line), a seed mismatch warns, JSON and JUnit XML
# output, and time linear in the rows.
. tests/cli/lib.sh
S=$PWD/tests/data/scen

"$VMITN" run fig10 --runs 4 -p duration=8 --out "$scratch/ref" -q
"$VMITN" run "$S/tiny.lua" --runs 2 --out "$scratch/ref" -q
fresh() { rm -rf "$scratch/new"; cp -r "$scratch/ref" "$scratch/new"; }

fresh
expect 0 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q '^compare: [0-9]* of [0-9]* comparisons within their bands' "$scratch/out"
expect 0 "" -- "$VMITN" compare "$scratch/ref/fig10" "$scratch/new/fig10"
expect 0 "" -- "$VMITN" compare "$scratch/ref/fig10" "$scratch/new"     # NEW: a folder holding fig10

# a whole scenario missing
fresh; rm -r "$scratch/new/tiny"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS tiny: the scenario is missing in NEW (no $scratch/new/tiny/meta)" "$scratch/out"
ok grep -q 'things of REF missing in NEW' "$scratch/out"

# an experiment missing (files and meta)
fresh; rm "$scratch/new/fig10"/handover.*; sed -i 's/^experiments = .*/experiments = none/' "$scratch/new/fig10/meta"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/handover: the experiment is missing in NEW" "$scratch/out"

# a file missing
fresh; rm "$scratch/new/fig10/none.summary.csv"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.summary.csv is missing in NEW" "$scratch/out"
fresh; rm "$scratch/new/tiny/params.csv"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS tiny: params.csv is missing in NEW" "$scratch/out"

# files cut to their header line, or emptied
ok test "$(wc -l < "$scratch/ref/tiny/x.rules.csv")" -gt 1
for f in fig10/none.curve.csv fig10/none.runs.csv fig10/none.summary.csv tiny/x.rules.csv; do
  fresh; head -1 "$scratch/ref/$f" > "$scratch/new/$f"
  expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
  e=${f%%.*} b=${f#*/}
  ok grep -q "^DIFFERS $e: $b: .*missing in NEW\|^DIFFERS $e: $b has no rows in NEW" "$scratch/out"
done
fresh; : > "$scratch/new/fig10/none.curve.csv"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.curve.csv is empty in NEW" "$scratch/out"

# a column renamed; rows cut short
fresh; sed -i '1s/time_cleaned/time_clean/' "$scratch/new/fig10/none.runs.csv"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.runs.csv: column 'time_cleaned' is missing in NEW" "$scratch/out"
fresh; head -50 "$scratch/ref/fig10/none.curve.csv" > "$scratch/new/fig10/none.curve.csv"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.curve.csv: 32 of REF's 81 rows are missing in NEW (the first at t = 4.9 s)" "$scratch/out"
fresh; sed -i '/^3,/d' "$scratch/new/fig10/none.runs.csv"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.runs.csv: 1 of REF's 4 rows are missing in NEW (the first at run = 3)" "$scratch/out"

# damaged data is refused, naming file, line and column (exit 1): a runs file cut mid-row,
# a cell that is not a number, every curve row twice with changed values, a run number
# twice, a run REF does not have; in NEW or in REF
R=$scratch/new/fig10/none.runs.csv C=$scratch/new/fig10/none.curve.csv
fresh; head -c -40 "$scratch/ref/fig10/none.runs.csv" > "$R"
expect 1 "$R:5: the line is cut short (no newline at the end of the file)" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: damaged: $R:5: the line is cut short" "$scratch/out"
ok grep -q "; 1 files damaged" "$scratch/out"
fresh; sed -i '3s/^1,[^,]*,/1,abc,/' "$R"
expect 1 "$R:3: column 'peak_infected': 'abc' is not a number" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
fresh; sed -i '3s/^1,\([^,]*\),[^,]*,/1,\1,,/' "$R"
expect 1 "$R:3: column 'peak_infected_share': '' is not a number" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
fresh; sed -i '4s/,[^,]*$/,1,2/' "$R"
h=$(head -1 "$R" | awk -F, '{print NF}')   # the metrics' count (docs/MODEL.md 7)
expect 1 "$R:4: $((h + 1)) fields, the header has $h" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
fresh; awk -F, -v OFS=, 'NR == 1 { print; next } { print; $2 = $2 + 3; print }' "$scratch/ref/fig10/none.curve.csv" > "$C"
expect 1 "$C:3: column 't': time 0 again (first at line 2)" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
fresh; sed -i 's/^3,/2,/' "$R"
expect 1 "$R:5: column 'run': run 2 again (first at line 4)" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
fresh; sed -i 's/^3,/7,/' "$R"
expect 1 "$R:5: run 7, but the file has 4 runs: a run before it is missing" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
fresh; tail -1 "$R" | sed 's/^3,/4,/' >> "$R"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.runs.csv: NEW has 5 runs, REF 4 (both declare 4): run 4 (line 6) is extra" "$scratch/out"
fresh; S2=$scratch/new/fig10/none.summary.csv; sed -n 2p "$S2" >> "$S2"
expect 1 "$S2:$(wc -l < "$S2"): column 'metric': metric peak_infected again (first at line 2)" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
fresh; sed -i 's/^runs = .*/runs = four/' "$scratch/new/fig10/meta"
expect 1 "$scratch/new/fig10/meta: runs = 'four' is not a whole number" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
fresh; cp -r "$scratch/ref" "$scratch/ref2"; sed -i '2s/^0,[^,]*,/0,abc,/' "$scratch/ref2/fig10/none.runs.csv"
expect 1 "$scratch/ref2/fig10/none.runs.csv:2: column 'peak_infected': 'abc' is not a number" -- "$VMITN" compare "$scratch/ref2" "$scratch/new"
rm -r "$scratch/ref2"
fresh; sed -i '3s/^1,[^,]*,/1,abc,/' "$R"
expect 1 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new" --format json
ok grep -q '"damaged": 1, "passed": false' "$scratch/out"
ok grep -q '"kind": "damaged", "message": "damaged: .*none.runs.csv:3: column' "$scratch/out"

# the CI and worst columns are checked too: a 95 % CI computed with z instead of t, a worst
# run outside the runs' range, a CI off its mean
fresh; awk -F, -v OFS=, 'NR > 1 && $2 >= 2 && $5 > 0 { h = 1.96 * $5 / sqrt($2); $6 = sprintf("%.6g", $4 - h); $7 = sprintf("%.6g", $4 + h) } { print }' \
  "$scratch/ref/fig10/none.summary.csv" > "$scratch/new/fig10/none.summary.csv"
ok sh -c "! cmp -s '$scratch/ref/fig10/none.summary.csv' '$scratch/new/fig10/none.summary.csv'"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.summary.csv: NEW's 95 % CI is not mean +- t(0.975, n-1) sd/sqrt(n) in [0-9]* rows" "$scratch/out"
col_of() { head -1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }
w=$(col_of "$C" infected_worst) mx=$(col_of "$C" infected_max) lo=$(col_of "$C" healthy_ci_lo)
fresh; awk -F, -v OFS=, -v w="$w" -v mx="$mx" 'NR == 30 { $w = $mx + 1 } { print }' "$scratch/ref/fig10/none.curve.csv" > "$C"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.curve.csv: NEW's CI or worst columns are inconsistent in 1 places, the first: infected_worst at line 30: " "$scratch/out"
fresh; awk -F, -v OFS=, -v lo="$lo" 'NR == 40 { $lo = $lo - 1 } { print }' "$scratch/ref/fig10/none.curve.csv" > "$C"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new"
ok grep -q "^DIFFERS fig10/none: none.curve.csv: NEW's CI or worst columns are inconsistent in 1 places, the first: healthy_ci_lo/hi at line 40 not centred on the mean" "$scratch/out"

# a sweep's folder inside a scenario's (vmitn.sweep) is compared file by file too
"$VMITN" run "$S/sweeper.lua" --out "$scratch/sw" -q
cp -r "$scratch/sw" "$scratch/sw2"
expect 0 "" -- "$VMITN" compare "$scratch/sw/sweeper" "$scratch/sw2/sweeper"
head -1 "$scratch/sw/sweeper/sweep/points.csv" > "$scratch/sw2/sweeper/sweep/points.csv"
expect 4 "" -- "$VMITN" compare "$scratch/sw/sweeper" "$scratch/sw2/sweeper"
ok grep -q "^DIFFERS sweeper/sweep: points.csv has no rows in NEW (REF has 2)" "$scratch/out"

# fewer runs in NEW: compared over the runs it has, with a note
"$VMITN" run fig10 --runs 2 -p duration=8 --out "$scratch/two" -q
expect 0 "" -- "$VMITN" compare "$scratch/ref/fig10" "$scratch/two/fig10"
ok grep -q "note: fig10: NEW has 2 runs, REF 4: runs 2 to 3 of REF are not compared" "$scratch/out"

# another seed: a warning, not a difference
"$VMITN" run fig10 --runs 4 -p duration=8 --seed 2 --out "$scratch/seed2" -q
"$VMITN" compare "$scratch/ref/fig10" "$scratch/seed2/fig10" >/dev/null 2>"$scratch/err2"
ok grep -q "warning: fig10: REF's seed is 1, NEW's 2: runs are not paired" "$scratch/err2"

# other settings: a warning per parameter that differs
"$VMITN" run fig10 --runs 4 -p duration=9 --out "$scratch/d9" -q
"$VMITN" compare "$scratch/ref/fig10" "$scratch/d9/fig10" >/dev/null 2>"$scratch/err3"
ok grep -q "warning: fig10: param.duration is 8 in REF, 9 in NEW: the two ran different settings" "$scratch/err3"

# JSON: the summary, every difference, the warnings
fresh; rm "$scratch/new/fig10/none.summary.csv"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new" --format json
ok grep -q '"passed": false' "$scratch/out"
ok grep -q '"experiment": "fig10/none", "kind": "missing", "message": "none.summary.csv is missing in NEW' "$scratch/out"
if command -v python3 >/dev/null; then
  ok python3 -c "import json,sys; d=json.load(open('$scratch/out')); sys.exit(0 if d['missing'] == 1 and d['failed'] == 1 else 1)"
else
  skip "no python3: the JSON is not parsed"
fi
fresh
expect 0 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new" --format json
ok grep -q '"passed": true' "$scratch/out"

# JUnit XML: one test case per scenario and experiment, failures listing the differences
fresh; rm "$scratch/new/fig10/none.summary.csv"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new" --format junit
ok grep -q '<testcase classname="vmitn.compare" name="fig10/none" assertions="[0-9]*">' "$scratch/out"
ok grep -q '<failure message="1 of [0-9]* checks failed" type="difference">none.summary.csv is missing in NEW' "$scratch/out"
ok grep -q '<testcase classname="vmitn.compare" name="tiny/x" assertions="[0-9]*"/>' "$scratch/out"
expect 4 "" -- "$VMITN" compare "$scratch/ref" "$scratch/new" --junit "$scratch/report.xml"
ok grep -q '^DIFFERS fig10/none: none.summary.csv is missing' "$scratch/out"
ok grep -q '<testsuites name="vmitn compare" tests="[0-9]*" failures="1">' "$scratch/report.xml"
ok test ! -e "$scratch/report.xml.tmp"
if command -v python3 >/dev/null; then
  ok python3 -c "import xml.dom.minidom as m; m.parse('$scratch/report.xml')"
else
  skip "no python3: the XML is not parsed"
fi
expect 3 "nowhere/report.xml: cannot write" -- "$VMITN" compare "$scratch/ref" "$scratch/new" --junit "$scratch/nowhere/report.xml"
expect 2 "--format is text, json or junit, got 'xml'" -- "$VMITN" compare "$scratch/ref" "$scratch/new" --format xml

# bad folders
expect 3 "cannot open" -- "$VMITN" compare "$scratch/ref" "$scratch/none"
mkdir "$scratch/empty"
expect 1 "holds no results (no scenario folder with a meta file)" -- "$VMITN" compare "$scratch/empty" "$scratch/ref"

# 40,000 curve rows are read and compared (the timings are printed, never asserted: speed is
# a benchmark's question, and a timed test flakes on a shared machine)
big() { # big N DIR: one experiment with an N-row curve
  mkdir -p "$2/big"
  printf 'scenario = x\nname = big\nseed = 1\nruns = 20\nexperiments = e\n' > "$2/big/meta"
  head -1 results/fig10/none.curve.csv > "$2/big/e.curve.csv"
  nf=$(head -1 results/fig10/none.curve.csv | tr ',' '\n' | wc -l)
  awk -v n="$1" -v nf="$nf" 'BEGIN { for (i = 0; i < n; i++) { printf "%d", i; for (k = 1; k < nf; k++) printf ",3"; printf "\n" } }' >> "$2/big/e.curve.csv"
}
big 20000 "$scratch/b20r"; big 20000 "$scratch/b20n"; big 40000 "$scratch/b40r"; big 40000 "$scratch/b40n"
expect 0 "" -- "$VMITN" compare "$scratch/b20r" "$scratch/b20n"   # the planted rows are well-formed
t0=$(date +%s%N); "$VMITN" compare "$scratch/b20r" "$scratch/b20n" >/dev/null; t1=$(date +%s%N)
"$VMITN" compare "$scratch/b40r" "$scratch/b40n" >/dev/null; t2=$(date +%s%N)
a=$(( (t1 - t0) / 1000000 )) b=$(( (t2 - t1) / 1000000 ))
echo "compare.sh: 20,000 rows in $a ms, 40,000 rows in $b ms"
expect 0 "" -- "$VMITN" compare "$scratch/b40r" "$scratch/b40n"
# a scenario's own vmitn.table/vmitn.text may not take an experiment file's name (LABEL.KIND.csv):
# compare checks those by suffix, so such a folder would be reported damaged.  A name that only
# looks alike is written, and compare of the folder against itself passes.
cat > "$scratch/own.lua" <<'EOF'
return { name = "own", runs = 2, params = { case = { default = "ok", doc = "which name" } }, run = function(p)
  vmitn.experiment("e", { duration = 2 })
  if p.case == "table" then vmitn.table("hosts.summary", { "host", "note" }, { { host = "L1-1", note = "first" } })
  elseif p.case == "text" then vmitn.text("notes.runs.csv", "x\n")
  else vmitn.table("hosts.summary2", { "host" }, { { host = "L1-1" } }); vmitn.text("hosts.summary", "x\n") end end }
EOF
expect 1 "vmitn.table 'hosts.summary': a name ending in '.summary' is reserved for an experiment's own summary file" -- \
  "$VMITN" run "$scratch/own.lua" -p case=table --out "$scratch/own" -q
ok test ! -e "$scratch/own/own"
expect 1 "vmitn.text 'notes.runs.csv': a name ending in '.runs.csv' is reserved for an experiment's own runs file" -- \
  "$VMITN" run "$scratch/own.lua" -p case=text --out "$scratch/own" -q
expect 0 "" -- "$VMITN" run "$scratch/own.lua" --out "$scratch/own" -q
expect 0 "" -- "$VMITN" compare "$scratch/own/own" "$scratch/own/own"
finish
