#!/bin/sh
# Usage: scripts/install.sh PREFIX BINARY MANPAGE  (make install)
# Installs vmitn as PREFIX/bin/vmitn and its data as PREFIX/share/vmitn/{scenarios,
# topologies,plots} (the installed binary looks there, beside its own folder), and the
# manual page as PREFIX/share/man/man1/vmitn.1.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 PREFIX BINARY MANPAGE" >&2; exit 2; }
prefix=$1 bin=$2 man=$3
cd "$(dirname "$0")/.."
data=$prefix/share/vmitn
mkdir -p "$prefix/bin" "$data/scenarios" "$data/topologies" "$data/plots" "$prefix/share/man/man1"
cp -f "$bin" "$prefix/bin/vmitn.tmp.$$" && mv -f "$prefix/bin/vmitn.tmp.$$" "$prefix/bin/vmitn"
cp -f scenarios/*.lua "$data/scenarios/"
cp -f topologies/*.graphml "$data/topologies/"
cp -f scripts/plots/*.gp "$data/plots/"
cp -f "$man" "$prefix/share/man/man1/vmitn.1"
echo "installed $prefix/bin/vmitn, $data, $prefix/share/man/man1/vmitn.1"
