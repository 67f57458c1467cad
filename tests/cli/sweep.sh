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
  # every byte the same but the spec's build hash: the MPI binary is another build
  ok diff -r -I '^build = [0-9a-f]*$' "$scratch/j1" "$scratch/m2"
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

# ---- a sweep reads data files: a resumed one refuses to mix two sweeps when one changed
# le32 N: N as 4 little-endian bytes; mkpcap FILE SECONDS...: a classic pcap of one UDP packet at each time
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
mkpcap() {
  f=$1; shift
  { printf '\324\303\262\241\002\000\004\000'; le32 0; le32 0; le32 65535; le32 1
    for sec in "$@"; do
      le32 "$sec"; le32 0; le32 42; le32 42
      printf '\000\001\002\003\004\005\000\001\002\003\004\006\010\000'
      printf '\105\000\000\034\000\000\000\000\100\021\000\000\300\250\001\002\010\010\010\010'
      printf '\023\210\000\065\000\010\000\000'
    done; } > "$f"
}
I="$scratch/in"
mkdir -p "$I"
cp topologies/vmitn-fig8.graphml "$I/topo.graphml"
mkpcap "$I/c.pcap" 1000 1001 1002
cat > "$I/inp.lua" <<'LUA'
return { name = "inp", runs = 1,
  params = { x = { default = 1, doc = "the point" }, topo = { default = "topologies/vmitn-fig8.graphml", doc = "topology" },
             trace = { default = "", doc = "capture" }, gate = { default = "", doc = "point 3 runs once this capture is there" } },
  run = function(p)
    if p.x == 3 and vmitn.learn(p.gate, { missing_ok = true }) == nil then error("point 3 waits for " .. p.gate) end
    vmitn.experiment("e", { topology = p.topo, duration = 1, legit = { trace = p.trace } })
  end }
LUA
IN="$I/inp.lua -p x=1,2,3 -p topo=$I/topo.graphml -p trace=$I/c.pcap -p gate=$I/gate.pcap -q --jobs 1"
S="$scratch/in-s"
expect 1 "job 2 failed (x=3" -- "$VMITN" sweep $IN --out "$S"   # jobs 0 and 1 are kept
ok test -f "$S/jobs/1.csv"
expect 1 "job 2 failed (x=3" -- "$VMITN" sweep $IN --out "$S"   # unchanged inputs: it resumes
echo "<!-- edited -->" >> "$I/topo.graphml"
expect 1 "sweep: $I/topo.graphml has changed since job 0 of $S read it" -- "$VMITN" sweep $IN --out "$S"
cp topologies/vmitn-fig8.graphml "$I/topo.graphml"
mkpcap "$I/c.pcap" 1000 1001 1003
expect 1 "sweep: $I/c.pcap has changed since job 0 of $S read it" -- "$VMITN" sweep $IN --out "$S"
expect 1 "restore it, or start again with --force" -- "$VMITN" sweep $IN --out "$S"
mkpcap "$I/c.pcap" 1000 1001 1002
# another build, beside the binary (where it finds the same data folder)
R="$(dirname "$VMITN")/.vmitn-rebuilt.$$"
if cp "$VMITN" "$R" 2>/dev/null; then
  printf '\n' >> "$R"
  expect 1 "holds another sweep (it has 'build = " -- "$R" sweep $IN --out "$S"
  rm -f "$R"
fi
# job files that are no regular file, or too large, are never read (no blocking, no following)
mkdir -p "$scratch/elsewhere"; cp "$S/jobs/0.csv" "$scratch/elsewhere/0.csv"
rm "$S/jobs/0.csv"; ln -s "$scratch/elsewhere/0.csv" "$S/jobs/0.csv"
rm "$S/jobs/1.csv"; mkfifo "$S/jobs/1.csv"
expect 1 "jobs/0.csv: a symbolic link, not a job file; the job runs again" -- timeout -s KILL 60 "$VMITN" sweep $IN --out "$S"
ok grep -qF "jobs/1.csv: not a regular file (a FIFO, a device or a socket); the job runs again" "$scratch/err"
ok test -f "$S/jobs/0.csv" -a ! -h "$S/jobs/0.csv" -a -f "$S/jobs/1.csv"
truncate -s 65M "$S/jobs/1.csv"
expect 1 "jobs/1.csv: larger than any file a sweep writes; the job runs again" -- "$VMITN" sweep $IN --out "$S"
# damaged states: a folder for a job file, a file for the jobs folder, a meta planted early
mkdir "$S/jobs/1.csv.d"; rm "$S/jobs/1.csv"; mv "$S/jobs/1.csv.d" "$S/jobs/1.csv"   # empty: repaired
expect 1 "jobs/1.csv: a folder, not a file; the job runs again" -- "$VMITN" sweep $IN --out "$S"
rm "$S/jobs/1.csv"; mkdir -p "$S/jobs/1.csv/x"
expect 1 "sweep: $S/jobs/1.csv is a folder, not a job file: remove it, then the same command resumes" -- "$VMITN" sweep $IN --out "$S"
rm -r "$S/jobs/1.csv"
mv "$S/jobs" "$S/jobs.kept"; echo x > "$S/jobs"
expect 1 "sweep: $S/jobs is not a folder (a file or a link), so no job can be recorded: remove it" -- "$VMITN" sweep $IN --out "$S"
rm "$S/jobs"; mv "$S/jobs.kept" "$S/jobs"
echo "planted" > "$S/meta"
expect 1 "sweep: $S/meta did not finish this sweep (no runs.csv and points.csv of it): removed; the sweep resumes" -- "$VMITN" sweep $IN --out "$S"
ok test ! -e "$S/meta"
# a cut-off job's temporary is removed only when it is this machine's and its process is
# gone: another machine's (an MPI rank on a shared folder) is left alone
H=$(hostname | tr -c 'A-Za-z0-9.\n-' '_' | cut -c1-64); dead=$(sh -c 'echo $$')
echo x > "$S/jobs/2.csv.tmp.$H.$dead"; echo x > "$S/jobs/2.csv.tmp.other-machine.$dead"
expect 1 "job 2 failed (x=3" -- "$VMITN" sweep $IN --out "$S"
ok test ! -e "$S/jobs/2.csv.tmp.$H.$dead"
ok test -f "$S/jobs/2.csv.tmp.other-machine.$dead"
rm "$S/jobs/2.csv.tmp.other-machine.$dead"
mkpcap "$I/gate.pcap" 1000   # point 3 can run now: the sweep finishes, as one uninterrupted pass would
ok "$VMITN" sweep $IN --out "$S"
ok "$VMITN" sweep $IN --out "$scratch/in-whole"
ok diff -r "$S" "$scratch/in-whole"
expect 0 "is complete already" -- "$VMITN" sweep $IN --out "$S"
rm "$S/points.csv"   # a meta without the files it finishes is no complete sweep: it is done again
expect 0 "did not finish this sweep" -- "$VMITN" sweep $IN --out "$S"
ok diff -r "$S" "$scratch/in-whole"
# --force removes the sweep's own files, never what a link at jobs points to
mkdir "$scratch/victim"; echo keep > "$scratch/victim/0.csv"; ln -s "$scratch/victim" "$S/jobs"
ok "$VMITN" sweep $IN --out "$S" --force
ok test -f "$scratch/victim/0.csv"
ok diff -r "$S" "$scratch/in-whole"

# ---- a worker stopped mid-write leaves no jobs/N.csv.tmp.PID (strace kills it at its rename)
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
  expect 3 "a worker died" -- env ASAN_OPTIONS=detect_leaks=0 strace -f -o /dev/null -e trace=rename -e inject=rename:signal=KILL:when=2 \
    "$VMITN" sweep fig11 -p theta=50:60:1 -p duration=1 --runs 2 -q --jobs 2 --out "$scratch/killed"
  ok test -z "$(ls "$scratch/killed/jobs" | grep tmp)"
else
  skip "no usable strace: the mid-write check is skipped"
fi
# ---- forked workers free what they inherit (valgrind follows them; not on a sanitizer build)
if command -v valgrind >/dev/null && valgrind -q --error-exitcode=9 "$VMITN" --version >/dev/null 2>&1; then
  ok valgrind -q --trace-children=yes --leak-check=full --show-leak-kinds=all --log-file="$scratch/vg.%p" \
    "$VMITN" sweep fig11 -p theta=50,60 -p duration=1 --runs 2 -q --jobs 2 --out "$scratch/vg"
  ok test "$(ls "$scratch"/vg.* | wc -l)" -ge 3
  ok sh -c "! grep -h 'definitely lost: [1-9]' '$scratch'/vg.*"
  # nothing the parent allocated for handing out jobs (the pending list, the pipes' tables) stays in a worker
  ok awk '/: (prepare|run_pool) \(sweep.c/ && prev ~ /vmitn_x(malloc|calloc|realloc)/ {bad = 1} {prev = $0} END {exit bad}' "$scratch"/vg.*
else
  skip "no valgrind (or a sanitizer build): the workers' memory check is skipped"
fi

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
