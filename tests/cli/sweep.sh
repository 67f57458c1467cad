# sweep.sh — parameter sweeps: byte-identical results whatever the number of workers or
# MPI ranks; resumable after a kill; refuses to mix two sweeps; bad ranges named.
. tests/cli/lib.sh
SW="fig11 -p theta=50,100,200 -p duration=5 --runs 4 -q"

ok "$VMITN" sweep $SW --jobs 1 --out "$scratch/j1"
ok "$VMITN" sweep $SW --jobs 2 --out "$scratch/j2"
ok diff -r "$scratch/j1" "$scratch/j2"
ok test -s "$scratch/j1/runs.csv"
ok sh -c "[ \$(wc -l < '$scratch/j1/runs.csv') -eq 13 ]"   # 3 points x 4 runs x 1 experiment + header
ok grep -q '^200,5,learning,4,' "$scratch/j1/points.csv"
ok test ! -e "$scratch/j1/jobs"

# the same sweep over MPI ranks (CI runs as root: OpenMPI must be told that is fine)
if [ -n "${VMITN_MPI_BIN:-}" ] && [ -x "$VMITN_MPI_BIN" ] && command -v mpirun >/dev/null; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  ok mpirun -n 2 "$VMITN_MPI_BIN" sweep $SW --out "$scratch/m2"
  ok diff -r "$scratch/j1" "$scratch/m2"
  # more ranks than jobs: the idle ranks just finish
  ok mpirun -n 3 "$VMITN_MPI_BIN" sweep fig11 -p duration=5 --runs 2 -q --out "$scratch/m3"
  ok test -s "$scratch/m3/runs.csv"
else
  skip "no MPI build or mpirun: the MPI part is skipped"
fi

# resumable: kill a sweep midway; the same command finishes it, identical to one pass
BIG="fig11 -p theta=50,75,100,125,150,200 -p duration=20 --runs 10 -q"
"$VMITN" sweep $BIG --jobs 1 --out "$scratch/r" & pid=$!
sleep 0.4; kill -KILL $pid; wait $pid 2>/dev/null
ok test -f "$scratch/r/spec"
ok test ! -e "$scratch/r/runs.csv"
ok "$VMITN" sweep $BIG --jobs 2 --out "$scratch/r"
ok "$VMITN" sweep $BIG --jobs 2 --out "$scratch/whole"
ok diff -r "$scratch/r" "$scratch/whole"
expect 0 "is complete already" -- "$VMITN" sweep $BIG --out "$scratch/r"

# a folder holding another sweep, or anything else, is refused and left alone
"$VMITN" sweep $BIG --jobs 1 --out "$scratch/half" & pid=$!
sleep 0.3; kill -KILL $pid; wait $pid 2>/dev/null
before=$(ls "$scratch/half/jobs" | wc -l)
expect 1 "holds another sweep (it has '-p theta=50,75,100,125,150,200'" -- "$VMITN" sweep fig11 -p theta=60 -p duration=20 --runs 10 --out "$scratch/half"
ok test "$(ls "$scratch/half/jobs" | wc -l)" -eq "$before"
mkdir -p "$scratch/other"; echo x > "$scratch/other/notes.txt"
expect 1 "exists and holds no sweep" -- "$VMITN" sweep fig11 --out "$scratch/other"
ok test -f "$scratch/other/notes.txt"

# bad ranges and names
expect 2 "'rate' must be a range lo:hi:step with numbers and step > 0" -- "$VMITN" sweep fig11 -p rate=50:10:-5 --out "$scratch/b"
expect 2 "no value for 'theta'" -- "$VMITN" sweep fig11 -p theta= --out "$scratch/b"
expect 2 "yields no value (lo > hi)" -- "$VMITN" sweep fig11 -p theta=50:10:5 --out "$scratch/b"
expect 1 "unknown parameter 'thta'" -- "$VMITN" sweep fig11 -p thta=1,2 --out "$scratch/b"
expect 1 "model.smc.lambda: 0 is out of range" -- "$VMITN" sweep fig11 -p smc.lambda=0,1 --out "$scratch/b"
expect 2 "--jobs needs a whole number from 1 to 4096" -- "$VMITN" sweep fig11 --jobs 0
nothing_left "$scratch/b"

# the same sweep from Lua (vmitn.sweep, parameters in name order) gives the same points
ok "$VMITN" run tests/data/scen/sweeper.lua --out "$scratch/lua"
ok "$VMITN" sweep flood -p duration=5 -p theta=100,200 --runs 3 -q --out "$scratch/cli"
ok diff "$scratch/cli/points.csv" "$scratch/lua/sweeper/sweep/points.csv"
ok grep -q '^200,' "$scratch/lua/sweeper/points.csv"

# the flood scenario swept reproduces the fig9 scenario point by point (same streams)
if [ -f results/fig9/theta100_rate200.summary.csv ]; then
  ok "$VMITN" sweep flood -p theta=100 -p rate=200 --runs 20 -q --out "$scratch/f9"
  want=$(awk -F, '$1 == "learning_time" {print $4}' results/fig9/theta100_rate200.summary.csv)
  got=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "learning_time_mean") c = i} NR == 2 {print $c}' "$scratch/f9/points.csv")
  ok test "$want" = "$got"
fi
finish
