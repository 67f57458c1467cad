# layout.sh — the source tree's module boundaries: no two modules include each other's
# header (an include cycle, such as the one sweep.c and scenario.c once had), the model's
# private header stays inside the model's folders, and the event core includes no model.
. tests/cli/lib.sh

# the module a header belongs to: the folder of the .c file of the same name
owner() { ls src/*/"$1".c 2>/dev/null | head -1; }

# every (file, header it includes) pair, as "src/a/x.c y"
for f in src/*/*.c; do
  sed -n 's/^#include "vmitn\/\([a-z_0-9]*\)\.h".*/\1/p' "$f" | while read -r h; do echo "$f $h"; done
done > "$scratch/inc"

# a two-file cycle: x.c includes y.h and y.c includes x.h
while read -r f h; do
  g=$(owner "$h"); [ -n "$g" ] && [ "$g" != "$f" ] || continue
  x=$(basename "$f" .c)
  if grep -qx "$g $x" "$scratch/inc"; then echo "include cycle: $f includes $h.h, $g includes $x.h"; echo cycle >> "$scratch/cycles"; fi
done < "$scratch/inc"
ok test ! -e "$scratch/cycles"

# model_internal.h: only the model's own folders
ok sh -c "! grep -l 'vmitn/model_internal.h' src/cli/*.c src/core/*.c src/io/*.c src/lua/*.c src/net/*.c tests/*.c 2>/dev/null | grep -q ."
# the event core knows no model
ok sh -c "! grep -q 'vmitn/model' src/core/sched.c"
finish
