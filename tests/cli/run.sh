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
finish
