#!/bin/sh
# make bench: every benchmark, written to docs/BENCHMARKS.md with the command, date,
# commit, machine and load average around each one: no figure in it is typed by hand.
# BASE=path/to/an/older/vmitn pairs the Code Red workloads against that build
# (before/after, taking turns); PAIRS=N sets the pairs per figure.  The file is written
# whole at the end (a failed benchmark leaves the old one).
set -eu
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
out=${BENCH_OUT:-docs/BENCHMARKS.md}
tmp=$(mktemp /tmp/vmitn-bench-md.XXXXXX)
trap 'rm -f "$tmp"' EXIT
section() { # section TITLE CMD...: the command, the load around it and its output
  title=$1; shift
  echo "## $title"; echo
  echo "\`$*\` — load average before: $(load)"; echo
  echo '```'; "$@" 2>&1; echo '```'; echo
  echo "load average after: $(load)"; echo
}
{
  echo "# Benchmarks"; echo
  echo "Written by \`make bench\` (\`scripts/bench.sh\`): every figure below is the output of the"
  echo "command above it, whole-process wall times (/usr/bin/time) and medians; \"A/B\" figures"
  echo "are medians of pair-by-pair ratios, the two commands taking turns.  The machine is"
  echo "named with its load: on a shared machine absolute figures move, pair ratios less."; echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- commit: $(git describe --always --dirty 2>/dev/null || echo unknown); binary: $(./vmitn --version 2>&1 | head -1)"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores available, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "- compiler: $(cc --version | head -1)"
  if [ -n "${BASE:-}" ]; then echo "- before/after against: $("$BASE" --version 2>&1 | head -1) ($BASE)"
  else echo "- before/after: none (BASE not set)"; fi; echo
  section "Event core, routing, learner, paper scenarios" ./vmitn bench
  section "Replications on worker processes (run --jobs)" sh scripts/bench-jobs.sh
  section "Code Red fixed workload, one core" sh scripts/bench-codered.sh
  section "Code Red v2 day" sh scripts/bench-v2.sh
  section "Internet scale: 10^6 and 10^7 hosts, one day" sh scripts/bench-scale.sh
  section "Parameter sweep on workers and MPI" sh scripts/bench-sweep.sh
  section "Captures: vmitn learn and tshark" sh scripts/bench-pcap.sh
} > "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "bench: wrote $out"
