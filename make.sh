#!/bin/sh
# make.sh — the entry point on a fresh Debian 12: installs what make itself needs when it
# is missing (make, a C compiler and the C library headers), then runs make with the
# arguments given.  `sh make.sh reproduce`, `sh make.sh check`; any make target works.
# The Makefile installs the libraries (scripts/deps.sh); as root, or through sudo.
set -eu
cd "$(dirname "$0")"
need=""
command -v make >/dev/null 2>&1 || need="$need make"
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
[ -z "$need" ] || sh scripts/deps.sh $need
exec make "$@"
