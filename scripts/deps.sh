#!/bin/sh
# Installs the Debian packages vmitn needs, only those missing.  A no-op when all are there.
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "vmitn: missing Debian packages:$missing" >&2
  echo "vmitn: run 'make deps' as root, or: sudo apt-get install$missing" >&2
  exit 1
fi
echo "vmitn: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || exit 1
apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
