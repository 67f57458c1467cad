#!/bin/sh
# fresh-machine.sh — the README's two commands, verbatim, on a minimal Debian 12.
#
# Builds a Debian 12 root with debootstrap --variant=minbase (no compiler, no make, as a
# container image is), copies a clean clone of this repository's HEAD into it, reads the
# first two lines of code of README.md and runs each, as written, as root inside the root
# with an empty environment.  The root is debootstrap's as it comes (its one apt source,
# bookworm main, is all the project needs), with no git.  Checks: the root starts without
# cc, make and git; both commands exit 0; the first regenerates every committed CSV and
# REPORT.md byte for byte (meta files carry the commit, the images the fonts at hand: not
# compared), redraws the topology picture (Graphviz comes with the project's setup) and
# leaves nothing untracked but plots; every meta and --version carry the real commit (read
# from .git without git); neither log has a warning (gnuplot's, the compiler's); the
# second ends "N passed, 0 failed, N skipped", where a skip may only be of parts that need
# data outside the repository or tools the project does not install (groff, man, python3):
# a skip of Graphviz, tshark, MPI or gnuplot is a failure.
#
# The .debs of the base system are cached as a debootstrap tarball in $VMITN_FRESH_CACHE
# (default /var/cache/vmitn-fresh), refreshed after 30 days; the root itself is unpacked
# and installed afresh on every run, and everything the README's commands install is
# downloaded by them.  Needs root, debootstrap (installed with apt-get if missing) and a
# reachable Debian mirror.  Run by .ci/run.  Exit 0 passed, 1 failed, 2 cannot run here.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${VMITN_FRESH_MIRROR:-http://deb.debian.org/debian}
cache=${VMITN_FRESH_CACHE:-/var/cache/vmitn-fresh}
limit=${VMITN_FRESH_TIMEOUT:-1200}   # seconds per README command
say() { echo "fresh-machine: $*"; }
die() { echo "fresh-machine: $*" >&2; exit "${2:-1}"; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)" 2
command -v unshare >/dev/null && command -v chroot >/dev/null || die "needs unshare and chroot (util-linux, coreutils)" 2
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; } ||
    die "cannot install debootstrap" 2
fi

# the two commands, exactly as README.md writes them: the first two lines of the first sh block
cmds=$(awk '/^```sh[[:space:]]*$/ { f = 1; next } f && /^```/ { exit } f && NF' "$repo/README.md" | head -n 2)
[ "$(printf '%s\n' "$cmds" | grep -c .)" = 2 ] || die "README.md: no sh code block with two commands"
cmd1=$(printf '%s\n' "$cmds" | sed -n 1p)
cmd2=$(printf '%s\n' "$cmds" | sed -n 2p)

work=$(mktemp -d /var/tmp/vmitn-fresh.XXXXXX)
root=$work/root
cleanup() {
  # the mounts live in a private mount namespace that is gone by now; never delete
  # through a mount that is somehow still there
  if grep -q " $root/" /proc/mounts; then
    echo "fresh-machine: mounts left under $root, not removing it:" >&2; grep " $root/" /proc/mounts >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start=$(date +%s)

mkdir -p "$cache"
tarball=$cache/bookworm-minbase.tgz
if [ ! -s "$tarball" ] || [ -n "$(find "$tarball" -mtime +30)" ]; then
  say "downloading the Debian 12 minbase packages into $tarball"
  debootstrap --variant=minbase --make-tarball="$tarball.tmp.$$" bookworm "$work/mk" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { rm -f "$tarball.tmp.$$"; tail -5 "$work/debootstrap.log" >&2; die "debootstrap --make-tarball failed" 2; }
  mv -f "$tarball.tmp.$$" "$tarball"
fi
debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -5 "$work/debootstrap.log" >&2; die "debootstrap failed" 2; }
cp /etc/resolv.conf "$root/etc/resolv.conf"
say "Debian 12 minbase root in $(( $(date +%s) - start )) s"

fails=0
check() { if "$@"; then :; else fails=$((fails + 1)); echo "FAIL: $*"; fi; }
check test ! -e "$root/usr/bin/cc"
check test ! -e "$root/usr/bin/make"
check test ! -e "$root/usr/bin/git"

git clone -q --no-local --no-hardlinks "$repo" "$root/root/vmitn"
head=$(git -C "$root/root/vmitn" rev-parse --short=12 HEAD)
say "clone of $head in /root/vmitn"
touch "$work/stamp"   # the files the commands write are newer

# inroot LOG COMMAND: runs COMMAND with sh in /root/vmitn inside the root, as root, with the
# environment of a fresh login; /proc, /sys and /dev are mounted in a private namespace,
# so they go away with it
inroot() {
  log=$1; shift
  timeout "$limit" unshare --mount --propagation private sh -c '
    r=$1; shift
    mount -t proc proc "$r/proc" && mount -t sysfs sys "$r/sys" && mount --rbind /dev "$r/dev" || exit 2
    exec chroot "$r" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      /bin/sh -c "cd /root/vmitn && $1"' sh "$root" "$@" >"$log" 2>&1
}

for n in 1 2; do
  eval "cmd=\$cmd$n"
  t0=$(date +%s)
  say "running README command $n: $cmd"
  if inroot "$work/cmd$n.log" "$cmd"; then rc=0; else rc=$?; fi
  say "command $n: exit $rc in $(( $(date +%s) - t0 )) s"
  if [ "$rc" -ne 0 ]; then
    fails=$((fails + 1)); echo "FAIL: README command $n ($cmd) exited $rc; its failures and last lines:"
    grep -A8 '^FAIL' "$work/cmd$n.log" | head -80 | sed 's/^/    /'
    echo "    ..."
    tail -15 "$work/cmd$n.log" | sed 's/^/    /'
  fi
  eval "rc$n=$rc"
done

g() { git -C "$root/root/vmitn" "$@"; }
if [ "$rc1" -eq 0 ]; then
  # every committed result regenerated byte for byte (meta and meta.json name the commit)
  changed=$(g status --porcelain --untracked-files=all -- results ':(exclude)results/**/meta' \
              ':(exclude)results/meta' ':(exclude)results/**/meta.json' ':(exclude)results/meta.json' ':(exclude)results/plots/**' ':(exclude)results/*/plots/**')
  if [ -n "$changed" ]; then
    fails=$((fails + 1)); echo "FAIL: the first command changed the committed results:"; printf '%s\n' "$changed" | head -20 | sed 's/^/    /'
  fi
  for f in fig9 fig10 fig11 fig12 table1; do check test -s "$root/root/vmitn/results/plots/$f.png"; done
  check grep -qx "commit = $head" "$root/root/vmitn/results/fig10/meta"
  # the Fig 8 testbed, redrawn through Graphviz
  for f in vmitn-fig8.png vmitn-fig8.svg; do
    check test -n "$(find "$root/root/vmitn/results/plots/$f" -newer "$work/stamp" 2>/dev/null)"
  done
  check grep -q '<svg' "$root/root/vmitn/results/plots/vmitn-fig8.svg"
fi
if [ "$rc2" -eq 0 ]; then
  check grep -Eq '^[0-9]+ passed, 0 failed, [0-9]+ skipped$' "$work/cmd2.log"
  grep '^SKIP: ' "$work/cmd2.log" | sed 's/^/    /'
  # what the project's setup installs must be there: those checks run, never skip
  bad=$(grep '^SKIP: ' "$work/cmd2.log" | grep -Ei 'graphviz|tshark|mpi|gnuplot' || true)
  [ -z "$bad" ] || { fails=$((fails + 1)); echo "FAIL: checks skipped though make check installs what they need:"; printf '%s\n' "$bad" | sed 's/^/    /'; }
  other=$(grep '^SKIP: ' "$work/cmd2.log" | grep -Eiv 'shared.*not found|no groff|no man|no python3' || true)
  [ -z "$other" ] || { fails=$((fails + 1)); echo "FAIL: unexpected skips:"; printf '%s\n' "$other" | sed 's/^/    /'; }
fi
# no warning in either log: gnuplot's ("iconv failed" under the C locale) or the compiler's
for n in 1 2; do
  w=$(grep -E 'line [0-9]+: warning:|\.[ch]:[0-9]+:[0-9]+: warning:|iconv failed' "$work/cmd$n.log" || true)
  [ -z "$w" ] || { fails=$((fails + 1)); echo "FAIL: README command $n printed warnings ($(printf '%s\n' "$w" | wc -l) lines):"; printf '%s\n' "$w" | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /'; }
done
check test -x "$root/root/vmitn/vmitn"
check sh -c "chroot '$root' /root/vmitn/vmitn --version | grep -qx 'vmitn [0-9.]* (commit $head)'"

say "$fails failures; $(( $(date +%s) - start )) s in all"
[ "$fails" -eq 0 ]
