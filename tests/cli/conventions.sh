# conventions.sh — what a user expects of a command line: help for every subcommand and a
# manual page from the same text, the commit in --version and meta, "did you mean",
# "wrote DIR", runs that never overwrite a folder (results/ above all) without --force,
# every resolved parameter in meta, a parameter set twice refused, the calibrated values
# listed, and sweep taking the scenario's number of runs.
. tests/cli/lib.sh
S=$PWD/tests/data/scen
repo=$PWD

# --help for every subcommand, on stdout, exit 0, starting with its usage line
for c in run sweep learn list compare report plot topo bench help version man; do
  ok sh -c "'$VMITN' $c --help | head -1 | grep -q '^usage: vmitn $c'"
  ok sh -c "'$VMITN' help $c | head -1 | grep -q '^usage: vmitn $c'"
done
ok sh -c "'$VMITN' run fig11 -p theta=5 -h | grep -q -- '--force'"
expect 2 "unknown command 'rnu'; did you mean 'run'?" -- "$VMITN" rnu fig11
expect 2 "help: no command 'nope'" -- "$VMITN" help nope
expect 2 "see 'vmitn run --help'" -- "$VMITN" run fig11 --bogus

# the usual option forms, in every command (getopt_long): --name=value, a unique prefix,
# clustered short options, options before and after operands, "--", POSIXLY_CORRECT
ok "$VMITN" run "$S/tiny.lua" --runs=1 --seed=3 --out="$scratch/f1" --quiet
ok grep -qx 'runs = 1' "$scratch/f1/tiny/meta"
ok grep -qx 'seed = 3' "$scratch/f1/tiny/meta"
ok "$VMITN" run -qp count=1 --runs 1 -o "$scratch/f2" "$S/tiny.lua"
ok grep -qx 'param.count = 1' "$scratch/f2/tiny/meta"
ok "$VMITN" run "$S/tiny.lua" --ru 1 -qfo "$scratch/f2" --param=count=2
ok grep -qx 'param.count = 2' "$scratch/f2/tiny/meta"
ok env POSIXLY_CORRECT=1 "$VMITN" run "$S/tiny.lua" --runs 1 -q --out "$scratch/f3"
ok "$VMITN" run --runs 1 -q --out "$scratch/f4" -- "$S/tiny.lua"
ok "$VMITN" sweep "$S/tiny.lua" -j1 -qp count=1 --runs=1 --out="$scratch/f5"
ok sh -c "'$VMITN' learn tests/fuzz/pcap/seeds/ethernet.pcap -p theta=3 --out='$scratch/f6' >/dev/null"
ok test -f "$scratch/f6/rules.csv"
ok sh -c "'$VMITN' list --model --calibrated | head -1 | grep -q calibrated"
ok sh -c "'$VMITN' topo topologies/vmitn-fig8.graphml --dot | grep -q '^graph\|^digraph'"
ok sh -c "'$VMITN' -v | grep -q '^vmitn [0-9]'"
ok sh -c "'$VMITN' --help run | head -1 | grep -q '^usage: vmitn run'"
ok sh -c "'$VMITN' --version | grep -q '^vmitn [0-9]'"
expect 2 "run: unknown option '--rnus'; did you mean '--runs'?" -- "$VMITN" run "$S/tiny.lua" --rnus 3
expect 2 "sweep: unknown option '--jbos'; did you mean '--jobs'?" -- "$VMITN" sweep "$S/tiny.lua" --jbos=3
expect 2 "plot: unknown option '--oot'; did you mean '--out'?" -- "$VMITN" plot results --oot x
expect 2 "compare: unknown option '--formt'; did you mean '--format'?" -- "$VMITN" compare a b --formt json
expect 2 "run: option '--pca' is ambiguous (--pcap, --pcap-run)" -- "$VMITN" run "$S/tiny.lua" --pca x
expect 2 "run: --force takes no value ('--force=yes')" -- "$VMITN" run "$S/tiny.lua" --force=yes
expect 2 "run: unknown option '-x'" -- "$VMITN" run "$S/tiny.lua" -qx
expect 2 "--runs needs a whole number from 1 to 100000, got 'five'" -- "$VMITN" run "$S/tiny.lua" --runs=five
expect 2 "--runs needs a whole number from 1 to 100000, got ''" -- "$VMITN" run "$S/tiny.lua" --runs
expect 2 "--out needs a folder" -- "$VMITN" run "$S/tiny.lua" -o
expect 2 "unknown option '--verison'; did you mean '--version'?" -- "$VMITN" --verison
expect 2 "report: one folder at a time ('b' is extra)" -- "$VMITN" report a b
# the options in --help and in the manual page come from the one table getopt_long reads
ok sh -c "'$VMITN' sweep --help | grep -q '^  -j, --jobs J  '"
ok sh -c "'$VMITN' run --help | grep -q '^  -q, --quiet  '"
ok sh -c "'$VMITN' list --help | grep -q '^  --calibrated\[=FILE\]'"

# the manual page: the same text, valid roff (man renders it when man is installed)
"$VMITN" man > "$scratch/vmitn.1"
ok grep -q '^\.TH VMITN 1' "$scratch/vmitn.1"
ok grep -q 'replace an existing DIR/NAME/' "$scratch/vmitn.1"
ok sh -c "'$VMITN' run --help | grep -q 'replace an existing DIR/NAME/'"
for c in run sweep learn list compare report plot topo bench; do ok grep -q "^\.SS $c\$" "$scratch/vmitn.1"; done
ok grep -q '^\\fB\\-j, \\-\\-jobs J\\fR$' "$scratch/vmitn.1"
# on a terminal: rendered (through man, or as plain text without it), never raw roff
if command -v script >/dev/null; then
  if command -v man >/dev/null; then
    MANPAGER=cat PAGER=cat MANWIDTH=80 script -qec "'$VMITN' man" /dev/null > "$scratch/man.tty" 2>&1
    ok grep -q 'VMITN(1)' "$scratch/man.tty"
    ok sh -c "! grep -q '^\.TH\|^\.SH\|\\\\fB' '$scratch/man.tty'"
  else
    skip "no man: the page through man(1) is not checked (the plain text is)"
  fi
  mkdir -p "$scratch/noman"; ln -sf "$(command -v sh)" "$scratch/noman/sh"
  script -qec "PATH='$scratch/noman' '$VMITN' man" /dev/null > "$scratch/man.plain" 2>&1
  ok grep -q '^usage: vmitn run SCENARIO' "$scratch/man.plain"
  ok grep -q '^  -j, --jobs J' "$scratch/man.plain"
  ok sh -c "! grep -q '^\.TH\|^\.SH\|\\\\fB' '$scratch/man.plain'"
else
  skip "no script(1): vmitn man on a terminal is not checked"
fi
if command -v groff >/dev/null; then ok sh -c "groff -man -Tutf8 -ww -z '$scratch/vmitn.1' 2>&1 | grep -c . | grep -q '^0$'"
else skip "no groff: the manual page's roff is not checked"; fi

# gnuplot says nothing under the C locale (a fresh machine's): no "iconv failed" warning
if command -v gnuplot >/dev/null; then
  ok "$VMITN" run fig11 --runs 1 -p duration=2 --out "$scratch/c" -q
  LC_ALL=C LANG= LANGUAGE= "$VMITN" plot "$scratch/c/fig11" --out "$scratch/c/plots" >/dev/null 2>"$scratch/c.err"
  ok test ! -s "$scratch/c.err"
  ok test -s "$scratch/c/plots/fig11.png"
else
  skip "no gnuplot: the plots under the C locale are not checked"
fi

# the commit: in --version and in meta
ok sh -c "'$VMITN' --version | grep -Eq '^vmitn [0-9.]+ \\(commit ([0-9a-f]{7,}(-dirty)?|unknown)\\)$'"
# built in a repository (git or not): a real commit, never "unknown"
[ -e .git ] && ok sh -c "'$VMITN' --version | grep -Eq '^vmitn [0-9.]+ \\(commit [0-9a-f]{12}(-dirty)?\\)$'"
commit=$("$VMITN" --version | sed 's/.*commit \(.*\))$/\1/')

# without --out: vmitn-out/NAME in the current folder, never results/; "wrote DIR"
mkdir "$scratch/cwd"
(cd "$scratch/cwd" && "$VMITN" run "$S/tiny.lua" --runs 1 >"$scratch/wrote" 2>&1)
ok grep -qx 'wrote vmitn-out/tiny' "$scratch/wrote"
ok test -f "$scratch/cwd/vmitn-out/tiny/meta"
ok grep -qx "commit = $commit" "$scratch/cwd/vmitn-out/tiny/meta"
# a second run is refused and leaves the first alone; --force replaces it
cp "$scratch/cwd/vmitn-out/tiny/meta" "$scratch/meta.first"
here=$PWD; cd "$scratch/cwd" || exit 1   # (not in a subshell: expect and ok count in this one)
expect 3 "vmitn-out/tiny exists: choose another --out, or --force to replace it" -- "$VMITN" run "$S/tiny.lua" --runs 2
cd "$here" || exit 1
ok cmp -s "$scratch/meta.first" "$scratch/cwd/vmitn-out/tiny/meta"
ok sh -c "[ -z \"\$(ls -A '$scratch/cwd/vmitn-out' | grep -v '^tiny\$')\" ]"
cd "$scratch/cwd" || exit 1
ok "$VMITN" run "$S/tiny.lua" --runs 2 --force -q
cd "$here" || exit 1
ok grep -qx 'runs = 2' "$scratch/cwd/vmitn-out/tiny/meta"
# -q prints nothing
(cd "$scratch/cwd" && "$VMITN" run "$S/tiny.lua" --runs 1 --out q -q >"$scratch/quiet" 2>&1)
ok test ! -s "$scratch/quiet"
# in the repository, a run without --out leaves the committed results/ untouched
sum_before=$(cat results/fig11/*.csv results/fig11/meta | cksum)
ok "$VMITN" run fig11 --runs 1 -p duration=2 --out "$scratch/r11" -q
ok test "$sum_before" = "$(cat results/fig11/*.csv results/fig11/meta | cksum)"
expect 3 "results/fig11 exists: choose another --out, or --force" -- "$VMITN" run fig11 --runs 1 --out results
ok test "$sum_before" = "$(cat results/fig11/*.csv results/fig11/meta | cksum)"
# a folder that is not vmitn's is never replaced, even with --force
mkdir -p "$scratch/mine/tiny"; echo keep > "$scratch/mine/tiny/notes"
expect 3 "mine/tiny exists and is not a folder vmitn wrote (no meta)" -- "$VMITN" run "$S/tiny.lua" --out "$scratch/mine" --force
ok grep -q keep "$scratch/mine/tiny/notes"

# did you mean: scenario and parameters
expect 3 "fig1l: no such scenario file (nor scenarios/fig1l.lua here or in $repo); did you mean 'fig11'?" -- "$VMITN" run fig1l
expect 1 "unknown parameter 'thtea'; did you mean 'theta'?" -- "$VMITN" run fig11 -p thtea=3 --out "$scratch/x"
expect 1 "unknown parameter 'smc.lamda'; did you mean 'smc.lambda'?" -- "$VMITN" run fig11 -p smc.lamda=3 --out "$scratch/x"
expect 1 "unknown parameter 'qqqqq' (scenario" -- "$VMITN" run fig11 -p qqqqq=3 --out "$scratch/x"
ok test ! -e "$scratch/x"

# two -p for one parameter are refused, whichever way they name it
expect 1 "-p theta=300 and -p smc.theta=200 set the same parameter: give one of them" -- \
  "$VMITN" run fig11 -p theta=300 -p smc.theta=200 --out "$scratch/x"
expect 1 "-p smc.theta=200 and -p theta=300 set the same parameter" -- "$VMITN" run fig11 -p smc.theta=200 -p theta=300 --out "$scratch/x"
expect 1 "-p duration=3 and -p duration=4 set the same parameter" -- "$VMITN" run fig11 -p duration=3 -p duration=4 --out "$scratch/x"
expect 1 "set the same parameter" -- "$VMITN" sweep fig11 -p theta=100,200 -p smc.theta=50 --out "$scratch/x"
ok test ! -e "$scratch/x"
# a model parameter that no scenario parameter shares a name with is fine beside them
ok "$VMITN" run fig11 -p theta=300 -p smc.lambda=5 -p duration=2 --runs 1 --out "$scratch/both" -q

# meta: every parameter of every experiment as resolved, calibrated values included
m=$scratch/both/fig11/meta
ok grep -qx 'exp.learning.smc.theta = 300' "$m"
ok grep -qx 'exp.learning.smc.lambda = 5' "$m"
# the calibrated values (scenarios/calibrated.lua), not the model's defaults
ok grep -q '^exp.learning.worm.near_bits = ' "$m"
ok sh -c "! grep -qx 'exp.learning.worm.near_bits = 24' '$m'"
ok grep -q '^exp.learning.worm.launch_startup = ' "$m"
ok sh -c "! grep -qx 'exp.learning.worm.launch_startup = 0' '$m'"
ok grep -qx 'exp.learning.duration = 2' "$m"
ok grep -q '^exp.learning.topology_file = .*topologies/vmitn-fig8.graphml$' "$m"
n=$("$VMITN" list --model | grep -c '^  ')
ok test "$(grep -v '^exp\.learning\.topology_file' "$m" | grep -c '^exp\.learning\.')" -eq "$n"

# list --model --calibrated: the values the paper scenarios start from
ok sh -c "'$VMITN' list --model | grep -Eq '^  near_bits += 24 '"
ok sh -c "'$VMITN' list --model --calibrated | grep -Eq '^  near_bits += [0-9.]+ .*\\(calibrated; default 24\\)'"
ok sh -c "'$VMITN' list --model --calibrated | head -1 | grep -q 'calibrated.lua'"
expect 3 "nope: no such scenario file" -- "$VMITN" list --model --calibrated=nope
expect 2 "--calibrated goes with --model" -- "$VMITN" list --calibrated

# sweep takes the scenario's runs (tiny: 2) unless --runs is given
ok "$VMITN" sweep "$S/tiny.lua" -p count=1,2 --out "$scratch/sw" -q
ok grep -qx 'runs = 2' "$scratch/sw/meta"
ok sh -c "[ \$(wc -l < '$scratch/sw/runs.csv') -eq 5 ]"   # 2 points x 2 runs + header
expect 0 "is complete already" -- "$VMITN" sweep "$S/tiny.lua" -p count=1,2 --out "$scratch/sw"
ok "$VMITN" sweep "$S/tiny.lua" -p count=1,2 --runs 1 --out "$scratch/sw" --force -q
ok grep -qx 'runs = 1' "$scratch/sw/meta"
(cd "$scratch/cwd" && "$VMITN" sweep "$S/tiny.lua" -p count=1 --runs 1 >"$scratch/wrote" 2>/dev/null)
ok grep -qx 'wrote vmitn-out/sweep-tiny' "$scratch/wrote"

# progress on a terminal (script(1) gives the run one), none off it
if command -v script >/dev/null; then
  # (the first line after VMITN_PROGRESS seconds, not the default 1 s: an experiment of 40
  # runs takes well under a second on two workers)
  VMITN_PROGRESS=0.05 script -qec "'$VMITN' run fig10 --runs 40 -p duration=60 --out '$scratch/tty'" /dev/null \
    > "$scratch/tty.log" 2>&1
  ok grep -q 'none: run [0-9]*/40, t = [0-9]* of 60 s' "$scratch/tty.log"
  ok grep -q 'wrote .*tty/fig10' "$scratch/tty.log"
else
  skip "no script(1): the progress on a terminal is not checked"
fi
# off a terminal (CI, nohup, a pipe): a plain line every 30 s (VMITN_PROGRESS seconds here),
# never the terminal's carriage returns; none with --quiet
VMITN_PROGRESS=0.05 "$VMITN" run fig10 --runs 40 -p duration=60 --out "$scratch/notty" 2>"$scratch/notty.err" >/dev/null
ok grep -q '^vmitn: fig10: none: run [0-9]*/40, t = [0-9]* of 60 s, [0-9]* s elapsed$' "$scratch/notty.err"
ok sh -c "! grep -q \"\$(printf '\\r')\" '$scratch/notty.err'"
VMITN_PROGRESS=0.2 "$VMITN" run fig10 --runs 40 -p duration=60 --out "$scratch/notty" --force -q 2>"$scratch/quiet.err" >/dev/null
ok test ! -s "$scratch/quiet.err"
# vmitn.measure (searches: calibration, roc) too
printf 'return { name = "meas", run = function(p) vmitn.measure({ duration = 60 }, 40) end }\n' > "$scratch/meas.lua"
VMITN_PROGRESS=0.1 "$VMITN" run "$scratch/meas.lua" --out "$scratch/notty" 2>"$scratch/meas.err" >/dev/null
ok grep -q '^vmitn: meas: vmitn.measure: run [0-9]*/40, t = [0-9]* of 60 s, [0-9]* s elapsed$' "$scratch/meas.err"
"$VMITN" run fig10 --runs 4 -p duration=60 --out "$scratch/notty" --force 2>"$scratch/slow.err" >/dev/null
ok sh -c "! grep -q 'run [0-9]*/4' '$scratch/slow.err'"   # the default: none before 30 s
finish
