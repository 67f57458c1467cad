# setup.sh — the entry point and the package installer: make.sh runs make once make and
# cc are there; deps.sh is a no-op when nothing is missing, and says what to do when it
# cannot install (not root).  The whole path on a bare Debian 12 is tests/fresh-machine.sh.
. tests/cli/lib.sh
expect 0 "" -- sh make.sh help
ok grep -q '^make check' "$scratch/out"
ok grep -q '^make install' "$scratch/out"
expect 0 "" -- sh scripts/deps.sh make
ok test ! -s "$scratch/out"
# the README's first two lines of code are the two commands, through make.sh
ok sh -c "awk '/^\`\`\`sh/ { f = 1; next } f && NF { print; if (++n == 2) exit }' README.md | grep -c '^sh make.sh \\(reproduce\\|check\\) ' | grep -qx 2"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v su >/dev/null; then
  chmod 755 "$scratch"; cp scripts/deps.sh "$scratch/deps.sh"   # the clone may sit in root's 0700 home
  expect 1 "vmitn: run 'sh make.sh deps' as root, or: sudo apt-get install no-such-package-vmitn" -- \
    su -s /bin/sh nobody -c "sh '$scratch/deps.sh' make no-such-package-vmitn"
fi
finish
