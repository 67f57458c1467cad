#!/bin/sh
# Installs the Debian packages vmitn needs, only those missing.  A no-op when all are there.
# Usage: scripts/deps.sh PACKAGE...  (run by make.sh and the Makefile; needs root or sudo)
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "vmitn: missing Debian packages:$missing" >&2
  echo "vmitn: run 'sh make.sh deps' as root, or: sudo apt-get install$missing" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "vmitn: missing packages:$missing, and no apt-get to install them (vmitn's setup is for Debian 12)" >&2
  exit 1
fi
echo "vmitn: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "vmitn: apt-get update failed (is a Debian mirror reachable?)" >&2; exit 1; }
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
  { echo "vmitn: apt-get install$missing failed" >&2; exit 1; }
