# install.sh — location independence: the installed vmitn (scripts/install.sh, what make
# install runs) works from an unrelated folder; a scenario's includes and topologies are
# found beside it first, then in the data folder; the built binary finds the repository's
# data from anywhere.
. tests/cli/lib.sh
repo=$PWD
p=$scratch/prefix
"$VMITN" man > "$scratch/vmitn.1"
ok sh scripts/install.sh "$p" "$VMITN" "$scratch/vmitn.1" >/dev/null
for f in bin/vmitn share/man/man1/vmitn.1 share/vmitn/scenarios/fig11.lua share/vmitn/scenarios/common.lua \
         share/vmitn/scenarios/calibrated.lua share/vmitn/topologies/vmitn-fig8.graphml share/vmitn/plots/fig10.gp; do
  ok test -s "$p/$f"
done
if [ -z "${VMITN##*/build/rel/*}" ]; then   # make install itself (the release build only)
  ok make --no-print-directory install PREFIX="$scratch/pm" >/dev/null
  ok test -x "$scratch/pm/bin/vmitn"
  ok test -s "$scratch/pm/share/man/man1/vmitn.1"
  ok test -s "$scratch/pm/share/vmitn/topologies/vmitn-fig8.graphml"
fi

# from an unrelated folder, with the installed tool only
v=$p/bin/vmitn
mkdir -p "$scratch/elsewhere/own"
cd "$scratch/elsewhere" || exit 1
ok sh -c "'$v' list | grep -q '^fig11 '"
ok sh -c "'$v' list --model --calibrated | grep -q 'near_bits .*calibrated'"
ok "$v" run fig11 --runs 1 -p duration=2 -q
ok test -s vmitn-out/fig11/learning.curve.csv
ok grep -q "^exp.learning.topology_file = $p/share/vmitn/\(scenarios/\.\./\)\?topologies/vmitn-fig8.graphml\$" vmitn-out/fig11/meta
ok "$v" run "$p/share/vmitn/scenarios/fig10.lua" --runs 1 -p duration=2 --out abs -q
ok test -s abs/fig10/none.curve.csv
if command -v gnuplot >/dev/null; then   # the plot scripts, from the data folder
  ok "$v" plot vmitn-out/fig11 --out img
  ok test -s img/fig11-learning.png
  ok test -s img/fig11.svg
else
  skip "no gnuplot: the installed plot scripts are not tested"
fi

# a scenario of one's own: include("common") and the calibrated model from the data folder,
# a helper and a topology beside the scenario
cat > own/helper.lua <<'EOF'
return { duration = 2 }
EOF
cp "$repo/topologies/vmitn-fig8.graphml" own/net.graphml
cat > own/mine.lua <<'EOF'
local common = vmitn.include("common")
local helper = vmitn.include("helper")
return {
  name = "mine", runs = 1,
  run = function(p)
    vmitn.experiment("a", common.model({ duration = helper.duration }))
    vmitn.experiment("b", common.model({ duration = helper.duration, topology = "net.graphml" }))
  end,
}
EOF
ok "$v" run own/mine.lua -q
ok grep -q '^exp.a.worm.near_bits = ' vmitn-out/mine/meta
ok sh -c "! grep -qx 'exp.a.worm.near_bits = 24' vmitn-out/mine/meta"
ok grep -qx 'exp.a.duration = 2' vmitn-out/mine/meta
ok grep -qx "exp.b.topology_file = own/net.graphml" vmitn-out/mine/meta
sed 's/"helper"/"nohelper"/' own/mine.lua > own/bad.lua
expect 1 "cannot open own/nohelper.lua" -- "$v" run own/bad.lua --out bad
sed 's/net.graphml/nonet.graphml/' own/mine.lua > own/badnet.lua
expect 3 "nonet.graphml" -- "$v" run own/badnet.lua --out bad
ok test ! -e bad

# the data folder can be set by VMITN_DATA; without data, a name is not found
mkdir -p "$scratch/lone"; cp "$v" "$scratch/lone/vmitn"
expect 3 "fig11: no such scenario file" -- "$scratch/lone/vmitn" run fig11
ok sh -c "VMITN_DATA='$p/share/vmitn' '$scratch/lone/vmitn' list | grep -q '^fig11 '"

# the built binary, from an unrelated folder, finds the repository's scenarios
ok sh -c "'$VMITN' list | grep -q '^fig11 '"
ok "$VMITN" run fig12 --runs 1 -p duration=2 --out built -q
ok test -s built/fig12/meta
cd "$repo" || exit 1
finish
