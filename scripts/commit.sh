#!/bin/sh
# commit.sh [DIR] — the commit a build is made from, for --version and every meta (the
# Makefile's COMMIT): git's 12-digit hash of HEAD, with -dirty when the tree has changes
# outside results/ (what the experiments write is not part of the build: rewriting results/
# while a build runs must not stamp the binary that writes them -dirty);
# without git (a minimal Debian has none) read from .git itself with plain shell: HEAD,
# a loose ref or packed-refs, a worktree's .git file and commondir (then without the
# -dirty check, which needs git).  "unknown" only outside a repository.  DIR: the
# repository (default: the one holding this script).
dir=${1:-$(dirname "$0")/..}
cd "$dir" 2>/dev/null || { echo unknown; exit 0; }
if command -v git >/dev/null 2>&1 && c=$(git rev-parse --short=12 HEAD 2>/dev/null); then
  git diff --quiet HEAD -- . ':(exclude)results' 2>/dev/null || c=$c-dirty
  echo "$c"
  exit 0
fi
gitdir=.git
if [ -f .git ]; then   # a worktree or a submodule: "gitdir: PATH"
  gitdir=$(sed -n 's/^gitdir: //p' .git)
  case $gitdir in /*) ;; *) gitdir=./$gitdir ;; esac
fi
[ -f "$gitdir/HEAD" ] || { echo unknown; exit 0; }
common=$gitdir         # where refs/ and packed-refs are (a worktree shares its main repo's)
if [ -f "$gitdir/commondir" ]; then
  common=$(cat "$gitdir/commondir")
  case $common in /*) ;; *) common=$gitdir/$common ;; esac
fi
head=$(cat "$gitdir/HEAD")
case $head in
  "ref: "*)
    ref=${head#ref: }
    hash=
    for d in "$gitdir" "$common"; do
      [ -z "$hash" ] && [ -f "$d/$ref" ] && hash=$(cat "$d/$ref")
    done
    [ -z "$hash" ] && [ -f "$common/packed-refs" ] &&
      hash=$(awk -v r="$ref" '$2 == r { print $1; exit }' "$common/packed-refs")
    ;;
  *) hash=$head ;;
esac
case $hash in
  *[!0-9a-f]* | "") echo unknown ;;
  *) if [ ${#hash} -ge 40 ]; then printf '%.12s\n' "$hash"; else echo unknown; fi ;;
esac
