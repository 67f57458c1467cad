# html.sh — `vmitn report DIR --html`: one self-contained page (nothing fetched), the same
# bytes for the same folder, opened in a real browser (headless Chromium): no script
# error, a screenshot that is not blank, and at time t of a run the page shows as many
# infected hosts as the curve (the worst run's column) and the event log say.  Bad
# input: one clear message, non-zero exit, no REPORT.html.  Exit 77 (skipped) without
# Chromium or Graphviz.
. tests/cli/lib.sh
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ] || ! command -v dot >/dev/null || ! command -v python3 >/dev/null; then
  echo "html.sh: no chromium, Graphviz's dot or python3: skipped"; exit 77
fi
chrome() { # chrome ARGS...: headless, no network services, a fresh profile each time
  prof=$(mktemp -d "$scratch/prof.XXXXXX")
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
    --enable-logging=stderr --v=0 --window-size=1400,1000 "$@" 2>>"$scratch/chrome.log"
}
cat > "$scratch/own.lua" <<'LUA'
local common = vmitn.include("common")
return { name = "own", runs = 3,
  run = function(p)
    vmitn.experiment("lan200", common.model({ duration = 8, topology = "generate:20:10:3", fes = { handover = true } }))
  end }
LUA
"$VMITN" run fig10 --out "$scratch/r" --seed 5 --runs 6 -q
"$VMITN" run "$scratch/own.lua" --out "$scratch/r" --seed 5 -q
expect 0 "" -- "$VMITN" report "$scratch/r" --html
ok grep -qx "wrote $scratch/r/REPORT.html" "$scratch/out"
page=$scratch/r/REPORT.html
ok test -s "$page"
# self-contained: no external script, style, image or font
ok sh -c "! grep -Eqi '(src|href)=\"(https?:)?//|@import|url\\((https?:)?//' '$page'"
# deterministic
cp "$page" "$scratch/first.html"
expect 0 "" -- "$VMITN" report "$scratch/r" --html
ok cmp "$page" "$scratch/first.html"
# from another folder (the topology file named in meta is then found in the data folder)
expect 0 "" -- sh -c "cd '$scratch' && '$VMITN' report r --html"
ok cmp "$page" "$scratch/first.html"
# plots are shown as images (data: URLs), so no SVG in a results folder runs a script or
# fetches anything in the page, however it is written (filters of "active" markup were
# bypassed by a review: /onload=, spaced or unquoted href, entities, a FIFO, /dev/zero)
mkdir -p "$scratch/r/plots"
printf '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5" fill="#123456"/></svg>\n' > "$scratch/r/plots/fig10.svg"
printf '<svg xmlns="http://www.w3.org/2000/svg"><rect onmouseover="alert(1)" width="5" height="5"/></svg>\n' > "$scratch/r/plots/own-lan200.svg"
echo '<svg xmlns="http://www.w3.org/2000/svg"/onload=alert(document.domain)><rect/></svg>' > "$scratch/r/plots/fig10-handover.svg"
echo '<svg xmlns="http://www.w3.org/2000/svg"><image href = "https://evil.example/track.png"/></svg>' > "$scratch/r/plots/b.svg"
echo '<svg xmlns="http://www.w3.org/2000/svg"></svg><img src="https://evil.example/p.gif"><style>body{background:url("https://evil.example/bg")}</style><meta http-equiv="refresh" content="0;url=https://evil.example/">' > "$scratch/r/plots/c.svg"
printf '<svg xmlns="http://www.w3.org/2000/svg"><a href="java&#x73;cript:alert(1)"><text>x</text></a><svg\014onload=alert(2)></svg></svg>\n' > "$scratch/r/plots/d.svg"
mkfifo "$scratch/r/plots/own.svg"; ln -s /dev/zero "$scratch/r/plots/own-lan200-x.svg"
expect 0 "" -- timeout 60 "$VMITN" report "$scratch/r" --html
ok grep -qF "data:image/svg+xml;base64,$(base64 -w0 "$scratch/r/plots/fig10.svg")" "$page"
ok grep -qF "data:image/svg+xml;base64,$(base64 -w0 "$scratch/r/plots/own-lan200.svg")" "$page"
ok sh -c "! grep -qi 'alert\|evil\|onmouseover\|javascript\|http-equiv' '$page'"
# no element of the page carries an event handler or a remote address
ok python3 -c "
import sys
from html.parser import HTMLParser
bad = []
class P(HTMLParser):
    def handle_starttag(self, t, a):
        for k, v in a:
            if k.startswith('on') or (k != 'xmlns' and v and '//' in v.split(',')[0] and not v.startswith('data:')):
                bad.append((t, k, v))
P().feed(open(sys.argv[1]).read())
sys.exit(1 if bad else 0)" "$page"
rm -r "$scratch/r/plots"
expect 0 "" -- "$VMITN" report "$scratch/r" --html
# one scenario's folder works as well
expect 0 "" -- "$VMITN" report "$scratch/r/own" --html
ok test -s "$scratch/r/own/REPORT.html"

# the infected hosts of a run at t, from the event log (the events strictly before t)
cat > "$scratch/count.py" <<'PY'
import csv, sys
ev, run, t = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = set()
for r in csv.DictReader(open(ev)):
    if int(r["run"]) != run or float(r["t"]) >= t - 5e-10: continue
    if r["event"] == "infected": s.add(r["host"])
    elif r["event"] == "cleaned": s.discard(r["host"])
print(len(s))
PY
dom() { grep -o "id=\"$2\"[^>]*>[^<]*<" "$1" | sed 's/.*>\([^<]*\)</\1/'; }
url="file://$page"
for spec in "fig10/handover 3 4.5" "fig10/none 1 2.5" "own/lan200 2 5.3"; do
  set -- $spec
  chrome --dump-dom "$url#exp=$1&run=$2&t=$3" > "$scratch/dom.html"
  want=$(python3 "$scratch/count.py" "$scratch/r/$1.events.csv" "$2" "$3")
  got=$(dom "$scratch/dom.html" infected-count)
  checks=$((checks + 1))
  if [ "$got" != "$want" ] || [ -z "$want" ]; then
    fails=$((fails + 1)); echo "FAIL: $1 run $2 at t = $3: the page shows '$got' infected, the events say '$want'"
  fi
  ok grep -q 'id="errors" data-count="0"' "$scratch/dom.html"
done
# the worst run (the page marks it) against the curve's worst column
chrome --dump-dom "$url#exp=fig10/handover&run=worst&t=3.7" > "$scratch/dom.html"
worst=$(grep -o 'data-worst="[0-9]*"' "$scratch/dom.html" | tr -dc 0-9)
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "infected_worst") c = i } $1 == "3.7" { print $c }' "$scratch/r/fig10/handover.curve.csv")
got=$(dom "$scratch/dom.html" infected-count)
checks=$((checks + 1))
if [ -z "$worst" ] || [ "$got" != "$want" ]; then
  fails=$((fails + 1)); echo "FAIL: worst run '$worst' at 3.7 s: the page shows '$got' infected, the curve says '$want'"
fi
ok sh -c "! grep -q 'Uncaught\\|CONSOLE.*[Ee]rror' '$scratch/chrome.log'"

# the screenshots are not blank (more than a few colours; python3's zlib decodes the PNG)
cat > "$scratch/png.py" <<'PY'
import sys, zlib, struct
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(d):
    n, kind = struct.unpack(">I4s", d[pos:pos + 8])
    body = d[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        bpp = {2: 3, 6: 4}[ctype]
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = set()
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, stride, bpp * 4):
            colours.add(bytes(line[x:x + 3]))
    prev = line
print(len(colours))
sys.exit(0 if len(colours) >= 8 else 1)
PY
for spec in "fig10/handover 3 4.5 fig10" "own/lan200 0 5 lan200"; do
  set -- $spec
  chrome --screenshot="$scratch/$4.png" "$url#exp=$1&run=$2&t=$3" >/dev/null
  ok python3 "$scratch/png.py" "$scratch/$4.png"
  [ -n "${VMITN_HTML_SHOTS:-}" ] && cp "$scratch/$4.png" "$VMITN_HTML_SHOTS/"
done

# bad input: one message, exit 1, nothing written
mkdir "$scratch/empty"
expect 1 "not a results folder" -- "$VMITN" report "$scratch/empty" --html
ok test ! -e "$scratch/empty/REPORT.html"
rm "$page"
ev=$scratch/r/fig10/handover.events.csv
cp "$ev" "$scratch/ev.bak"
head -c 3000 "$scratch/ev.bak" > "$ev"
expect 1 "handover.events.csv:" -- "$VMITN" report "$scratch/r" --html
ok grep -q "the line is cut short" "$scratch/err"
ok test ! -e "$page"
rm "$ev"
expect 1 "handover.events.csv: missing" -- "$VMITN" report "$scratch/r" --html
ok test ! -e "$page"
sed 's/,handover_end,/,teleported,/' "$scratch/ev.bak" > "$ev"
expect 1 "unknown event 'teleported'" -- "$VMITN" report "$scratch/r" --html
sed 's/^0,\([^,]*\),L2-1,/0,\1,L9-9,/' "$scratch/ev.bak" > "$ev"
expect 1 "host 'L9-9' is not in the topology" -- "$VMITN" report "$scratch/r" --html
sed 's/,infected,L1-1$/,infected,X7/' "$scratch/ev.bak" > "$ev"
expect 1 "infector 'X7' is not in the topology" -- "$VMITN" report "$scratch/r" --html
sed '2s/^0,/99,/' "$scratch/ev.bak" > "$ev"
expect 1 "handover.events.csv:2: run '99' is not one of the 6 runs" -- "$VMITN" report "$scratch/r" --html
sed '3s/$/,extra/' "$scratch/ev.bak" > "$ev"
expect 1 "handover.events.csv:3: 6 fields, the header has 5" -- "$VMITN" report "$scratch/r" --html
printf 'run,t,host\n' > "$ev"
expect 1 "not an event log" -- "$VMITN" report "$scratch/r" --html
sed '2s/^\([0-9]*\),[^,]*,/\1,nan,/' "$scratch/ev.bak" > "$ev"
expect 1 "handover.events.csv:2: column 't': 'nan' is not a time in seconds" -- "$VMITN" report "$scratch/r" --html
sed '2s/^\([0-9]*\),[^,]*,/\1,abc,/' "$scratch/ev.bak" > "$ev"
expect 1 "handover.events.csv:2: column 't': 'abc' is not a time in seconds" -- "$VMITN" report "$scratch/r" --html
sed '2s/^[0-9]*,/+0,/' "$scratch/ev.bak" > "$ev"
expect 1 "handover.events.csv:2: run '+0' is not one of the 6 runs" -- "$VMITN" report "$scratch/r" --html
cp "$scratch/ev.bak" "$ev"
ok test ! -e "$page"
cp "$scratch/r/own/meta" "$scratch/meta.bak"
sed 's/^exp.lan200.topology = .*/exp.lan200.topology = "generate:4000:240:3"/' "$scratch/meta.bak" > "$scratch/r/own/meta"
expect 1 "the topology of experiment 'lan200': generate:4000:240:3 has more hosts than the replay lays out (5000)" -- \
  timeout 60 "$VMITN" report "$scratch/r" --html
sed 's/^exp.lan200.topology = .*/exp.lan200.topology = "nowhere.graphml"/; /^exp.lan200.topology_file/d' "$scratch/meta.bak" > "$scratch/r/own/meta"
expect 1 "the topology of experiment 'lan200': nowhere.graphml not found" -- "$VMITN" report "$scratch/r" --html
cp "$scratch/meta.bak" "$scratch/r/own/meta"
expect 1 "Graphviz's dot not found" -- env PATH=/nonexistent "$VMITN" report "$scratch/r" --html
ok test ! -e "$page"
# interrupted while dot lays out: vmitn exits 130 within the watchdog's time, kills dot
# and leaves neither its temporaries nor a page (a fake dot that hangs, SIGTERM to vmitn only)
mkdir -p "$scratch/slow" "$scratch/tmp"
printf '#!/bin/sh\necho $$ > "%s/dot.pid"\nexec sleep 60\n' "$scratch" > "$scratch/slow/dot"
chmod +x "$scratch/slow/dot"
env PATH="$scratch/slow:$PATH" TMPDIR="$scratch/tmp" "$VMITN" report "$scratch/r" --html >"$scratch/int.out" 2>&1 &
vpid=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s "$scratch/dot.pid" ] && break; sleep 0.5; done
ok test -s "$scratch/dot.pid"
kill -TERM "$vpid"
rc=0; wait "$vpid" || rc=$?
ok test "$rc" = 130
ok grep -q "interrupted" "$scratch/int.out"
# dot is gone (or a zombie its new parent has yet to reap)
dpid=$(cat "$scratch/dot.pid" 2>/dev/null || echo 999999)
for i in 1 2 3 4 5 6 7 8 9 10; do st=$(cut -d" " -f3 "/proc/$dpid/stat" 2>/dev/null || true); case "$st" in ''|Z*) break;; esac; sleep 0.3; done
ok sh -c "case '$st' in ''|Z*) exit 0;; *) exit 1;; esac"
ok test -z "$(ls -A "$scratch/tmp")"
ok test ! -e "$page"
# variants on one axis and a sweep: their plots under "Other plots", each once
"$VMITN" run fig11 --runs 2 -p sets=1 -p duration=5 -q --out "$scratch/va"
"$VMITN" run fig11 --runs 2 -p sets=1 -p duration=5 -p theta=25 -q --out "$scratch/vb"
"$VMITN" plot "$scratch/va/fig11" "$scratch/vb/fig11" --out "$scratch/va/plots" >/dev/null
"$VMITN" plot "$scratch/va" >/dev/null
expect 0 "" -- "$VMITN" report "$scratch/va" --html
ok grep -q 'id="other-plots"' "$scratch/va/REPORT.html"
ok test "$(grep -c '<figcaption>variants-fig11-learning</figcaption>' "$scratch/va/REPORT.html")" = 1
ok test "$(grep -c '<figcaption>fig11/learning</figcaption>' "$scratch/va/REPORT.html")" = 1
ok python3 -c "
import base64, re, sys
imgs = re.findall(r'data:image/svg\+xml;base64,([A-Za-z0-9+/=]*)', open(sys.argv[1]).read())
sys.exit(0 if any(b'>theta=25<' in base64.b64decode(i) for i in imgs) else 1)" "$scratch/va/REPORT.html"
"$VMITN" sweep fig11 -p theta=50,100 -p duration=5 --runs 2 -q --out "$scratch/sw"
"$VMITN" plot "$scratch/sw" >/dev/null
expect 0 "" -- "$VMITN" report "$scratch/sw" --html
ok grep -q '<figcaption>sweep-learning_time</figcaption>' "$scratch/sw/REPORT.html"
ls -A "$scratch/r" | grep -q '^\.' && { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: a temporary left in $scratch/r"; }
finish
