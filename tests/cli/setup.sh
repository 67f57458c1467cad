# setup.sh — the entry point and the package installer: make.sh runs make once make and
# cc are there; deps.sh is a no-op when nothing is missing, and says what to do when it
# cannot install (not root).  The whole path on a bare Debian 12 is tests/fresh-machine.sh.
. tests/cli/lib.sh
expect 0 "" -- sh make.sh help
ok grep -q '^make check' "$scratch/out"
ok grep -q '^make install' "$scratch/out"
ok grep -q '^make deps .* graphviz' "$scratch/out"     # the topology picture's dot (topo.sh, reproduce)
ok grep -q '^DEPS_CHECK := tshark strace valgrind binutils$' Makefile # make check: pcap.sh's cross-check, replay.sh's and sweep.sh's traces run, layout.sh's nm
ok grep -q '^	@sh scripts/deps.sh .*$(DEPS_CHECK)' Makefile
expect 0 "" -- sh scripts/deps.sh make
ok test ! -s "$scratch/out"
# the README's first two lines of code are the two commands, through make.sh
ok sh -c "awk '/^\`\`\`sh/ { f = 1; next } f && NF { print; if (++n == 2) exit }' README.md | grep -c '^sh make.sh \\(reproduce\\|check\\) ' | grep -qx 2"
# the commit without git (a minimal Debian has none): read from .git with plain shell
mkdir -p "$scratch/nogit"
for b in sh cat sed awk dirname; do ln -s "$(command -v $b)" "$scratch/nogit/$b"; done
nogit() { PATH="$scratch/nogit" sh scripts/commit.sh "$@"; }
h=0123456789abcdef0123456789abcdef01234567
r=$scratch/repo; mkdir -p "$r/.git/refs/heads"
echo 'ref: refs/heads/main' > "$r/.git/HEAD"; echo $h > "$r/.git/refs/heads/main"
ok test "$(nogit "$r")" = 0123456789ab                                  # a loose ref
rm "$r/.git/refs/heads/main"
printf '# pack-refs with: peeled fully-peeled sorted\n%s refs/heads/main\n' 9876543210abcdef0123456789abcdef01234567 > "$r/.git/packed-refs"
ok test "$(nogit "$r")" = 9876543210ab                                  # packed-refs
echo $h > "$r/.git/HEAD"
ok test "$(nogit "$r")" = 0123456789ab                                  # a detached HEAD
mkdir -p "$r/.git/worktrees/w" "$scratch/w"; echo 'ref: refs/heads/main' > "$r/.git/worktrees/w/HEAD"
echo ../.. > "$r/.git/worktrees/w/commondir"; echo "gitdir: $r/.git/worktrees/w" > "$scratch/w/.git"
ok test "$(nogit "$scratch/w")" = 9876543210ab                          # a worktree
ok test "$(nogit "$scratch/nogit")" = unknown                           # no repository
echo 'ref: refs/heads/gone' > "$r/.git/HEAD"
ok test "$(nogit "$r")" = unknown
if command -v git >/dev/null && git rev-parse HEAD >/dev/null 2>&1; then  # this repository: as git says
  ok test "$(nogit)" = "$(git rev-parse --short=12 HEAD)"
  ok sh -c "sh scripts/commit.sh | grep -Eqx '$(git rev-parse --short=12 HEAD)(-dirty)?'"
fi
ok grep -q '^COMMIT := $(shell sh scripts/commit.sh .)$' Makefile
# with git: -dirty for a change to the sources, not for rewritten results/
if command -v git >/dev/null; then
  g=$scratch/g; mkdir -p "$g/results" "$g/src"; echo a > "$g/src/x.c"; echo 1 > "$g/results/r.csv"
  (cd "$g" && git init -q && git add . && git -c user.name=t -c user.email=t@t commit -qm x)
  c=$(sh scripts/commit.sh "$g"); ok test "${#c}" = 12
  echo 2 > "$g/results/r.csv"; ok test "$(sh scripts/commit.sh "$g")" = "$c"
  echo b > "$g/src/x.c"; ok test "$(sh scripts/commit.sh "$g")" = "$c-dirty"
fi

# run-tests.sh counts a CLI test that skipped a part (exit 77, lib.sh's skip) as skipped,
# never as passed; one with a failed check fails whatever it skipped
repo=$PWD; rt=$scratch/rt; mkdir -p "$rt/tests/cli"; cp tests/cli/lib.sh "$rt/tests/cli/"
echo '. tests/cli/lib.sh; ok true; finish' > "$rt/tests/cli/a.sh"
echo '. tests/cli/lib.sh; ok false; finish' > "$rt/tests/cli/b.sh"
echo '. tests/cli/lib.sh; ok true; skip "no frobnicator"; finish' > "$rt/tests/cli/c.sh"
echo '. tests/cli/lib.sh; ok false; skip "no frobnicator"; finish' > "$rt/tests/cli/d.sh"
(cd "$rt" && sh "$repo/scripts/run-tests.sh" build /bin/true > out 2>&1; echo "rc=$?" >> out)
ok grep -qx '2 passed, 2 failed, 1 skipped' "$rt/out"
ok grep -qx 'skipped: c.sh' "$rt/out"
ok grep -qx 'failed: b.sh d.sh' "$rt/out"
ok grep -qx 'SKIP: c.sh: no frobnicator' "$rt/out"
ok grep -qx 'rc=1' "$rt/out"

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v su >/dev/null; then
  chmod 755 "$scratch"; cp scripts/deps.sh "$scratch/deps.sh"   # the clone may sit in root's 0700 home
  expect 1 "vmitn: run 'sh make.sh deps' as root, or: sudo apt-get install no-such-package-vmitn" -- \
    su -s /bin/sh nobody -c "sh '$scratch/deps.sh' make no-such-package-vmitn"
fi
finish
