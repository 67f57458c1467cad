# report_path.sh — smc.report_path (docs/MODEL.md §6): "bridge" (the AGENT taps its bridge and
# reports every smc.report_period over OOB) and "spy" (Table 1's chain: the SPY's sensor,
# fes.alarm 91 ms, then VmCom to the AGENT, fes.report 867 ms, one report at a time per host,
# then the AGENT's OOB forward), timed by hand.  Fixed delays (fes.cv = oob.cv = 0), a launch
# host that scans at once and no vulnerable guest, so the only scanner is the launch host; the
# OOB airtime of a report (12 bytes a header at 5 Mbit/s) adds a few ms, hence the windows.
. tests/cli/lib.sh
base="-p sets=0 --runs 2 -p duration=6 -p fes.vulnerable=false -p worm.launch_startup=0 -p fes.cv=0 -p oob.cv=0 -q --force"

# learning DIR LO HI: every run's learning time lies in [LO, HI]
learning() {
  awk -F, -v lo="$2" -v hi="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "learning_time") c = i; next }
    { n++; if (!($c >= lo && $c <= hi)) { print "learning_time " $c " not in [" lo ", " hi "]"; bad = 1 } }
    END { exit bad || n == 0 }' "$1/fig11/learning.runs.csv"
}

# bridge, a report every 0.5 s: the first report (0.5 s) crosses OOB (0.3 s), the rule comes
# back (0.3 s): 1.1 s
ok "$VMITN" run fig11 $base -p smc.report_period=0.5 --out "$scratch/b"
ok learning "$scratch/b" 1.1 1.14
# spy: the same report first crosses the sensor and VmCom (0.091 + 0.867 s): 2.058 s
ok "$VMITN" run fig11 $base -p smc.report_period=0.5 -p smc.report_path=spy --out "$scratch/s"
ok learning "$scratch/s" 2.058 2.1
# VmCom carries one report at a time: with theta = 1000 the first report (0.1 s, ~183 headers)
# is not enough; the next one waits until VmCom has passed the first (1.058 s), crosses it
# (2.016 s), OOB and the rule: 2.616 s (a VmCom carrying reports in parallel: 1.758 s)
ok "$VMITN" run fig11 $base -p smc.report_period=0.1 -p theta=1000 -p smc.report_path=spy --out "$scratch/q"
ok learning "$scratch/q" 2.616 2.67
# the bridge reading at the same theta learns within about 1.2 s
ok "$VMITN" run fig11 $base -p smc.report_period=0.1 -p theta=1000 --out "$scratch/bq"
ok learning "$scratch/bq" 1.0 1.3

# the SPY reports per period: a period of 0 (every header at once) is refused, nothing written
expect 1 'smc.report_path = "spy" needs smc.report_period > 0' -- \
  "$VMITN" run fig11 $base -p smc.report_period=0 -p smc.report_path=spy --out "$scratch/e"
nothing_left "$scratch/e"
expect 1 "report_path" -- "$VMITN" run fig11 $base -p smc.report_path=agent --out "$scratch/e2"
# the reports are the SPY's: no SPY, no such reports
expect 1 'smc.report_path = "spy" needs fes.spy' -- \
  "$VMITN" run fig11 $base -p fes.spy=false -p smc.report_period=0.5 -p smc.report_path=spy --out "$scratch/e3"
nothing_left "$scratch/e2"

finish
