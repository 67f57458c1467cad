# report.sh — `vmitn report DIR` on good and bad input: the committed results pass the
# strict reader and give a report; a folder that is not a results folder, one scenario's folder, a cut
# or damaged table are one clear message and a non-zero exit, and leave nothing written
# (no REPORT.md, no temporary file; an older REPORT.md stays as it was).
. tests/cli/lib.sh
[ -f results/REPORT.md ] || { echo "report.sh: no results/ (run make reproduce)"; exit 1; }
cp -r results "$scratch/res"
rm "$scratch/res/REPORT.md"
expect 0 "" -- "$VMITN" report "$scratch/res"
ok grep -q '^| figure | quantity | paper | emulated |' "$scratch/res/REPORT.md"
ok test "$(grep -c '^| \(Fig\|Table\|Code\|Slammer\|Warhol\|Patch\|Background\|background\)' "$scratch/res/REPORT.md")" -ge 1
ok sh -c "[ -z \"\$(ls -A '$scratch/res' | grep '^\\.')\" ]"      # no temporary file left

# not a results folder; missing
mkdir "$scratch/empty"
expect 1 "$scratch/empty holds no results (no scenario folder with a meta file): nothing to report" -- "$VMITN" report "$scratch/empty"
nothing_left "$scratch/empty"
expect 3 "$scratch/nowhere: cannot open" -- "$VMITN" report "$scratch/nowhere"
# one scenario's folder
cp -r results/fig10 "$scratch/one"
ls -A "$scratch/one" > "$scratch/before"
expect 1 "$scratch/one is one scenario's folder (it has a meta file): report takes the results folder" -- "$VMITN" report "$scratch/one"
ls -A "$scratch/one" > "$scratch/after"
ok cmp "$scratch/before" "$scratch/after"
# results without a paper scenario's comparison table
mkdir -p "$scratch/own/x"; printf 'scenario = x\nruns = 1\n' > "$scratch/own/x/meta"
expect 1 "no paper scenario's comparison table (SCENARIO/compare.csv) found: nothing to report" -- "$VMITN" report "$scratch/own"
ok test ! -e "$scratch/own/REPORT.md"
ok sh -c "[ -z \"\$(ls -A '$scratch/own' | grep -v '^x\$')\" ]"

# a cut or damaged table: named with its line; the older REPORT.md stays
cp results/REPORT.md "$scratch/res/REPORT.md"
f=$scratch/res/fig11/compare.csv
head -c -30 results/fig11/compare.csv > "$f"
n=$(wc -l < results/fig11/compare.csv)
expect 1 "$f:$n: the line is cut short (no newline at the end of the file)" -- "$VMITN" report "$scratch/res"
ok cmp results/REPORT.md "$scratch/res/REPORT.md"
ok sh -c "[ -z \"\$(ls -A '$scratch/res' | grep '^\\.')\" ]"
cp results/fig11/compare.csv "$f"
f=$scratch/res/calibration/fitted.csv
sed '2s/$/,extra/' results/calibration/fitted.csv > "$f"
expect 1 "$f:2: " -- "$VMITN" report "$scratch/res"
ok grep -q "fields, the header has" "$scratch/err"
ok cmp results/REPORT.md "$scratch/res/REPORT.md"
cp results/calibration/fitted.csv "$f"
f=$scratch/res/fig10/compare.csv
printf '"unclosed\n' >> "$f"
expect 1 "$f:$(wc -l < "$f"): a quoted field is not closed" -- "$VMITN" report "$scratch/res"
ok cmp results/REPORT.md "$scratch/res/REPORT.md"
# a FIFO where a meta or a table should be is never waited on
cp results/fig10/compare.csv "$scratch/res/fig10/compare.csv"
rm "$scratch/res/fig10/meta"; mkfifo "$scratch/res/fig10/meta"
expect 0 "" -- timeout 20 "$VMITN" report "$scratch/res"
ok grep -q 'seed ?, ? runs per experiment' "$scratch/res/REPORT.md"
rm "$scratch/res/fig11/compare.csv"; mkfifo "$scratch/res/fig11/compare.csv"
expect 1 "$scratch/res/fig11/compare.csv: not a regular file" -- timeout 20 "$VMITN" report "$scratch/res"
finish
