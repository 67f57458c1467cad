# attack.sh — the metrics defined relative to the attack (docs/MODEL.md §7, "the attack's
# rules"): with background traffic replayed before the launch (worm.start_time = 10) and
# from the launch on, learning_time and rule_issued_time are the attack's own rules' (never
# negative), first_rule_time is any rule's, background_rules counts the others, and
# detect_time never comes before the attack.  The background is a capture the project
# makes (Code Red's scans on an emulated host's bridge): replayed, they look like the
# worm's but are not its packets.
. tests/cli/lib.sh
ok "$VMITN" run fig11 --runs 1 --out "$scratch/r" -q --pcap "$scratch/p"
C="$scratch/p/fig11/learning/L2-1.pcap"

# check DIR: rules.csv and runs.csv of the learning experiment agree with the definitions
check() {
  awk -F, -v want_neg="$2" '
    FNR == 1 { file++; if (file == 2) for (i = 1; i <= NF; i++) col[$i] = i; next }
    file == 1 {  # rules: run,"src,dst,port",issued,active_everywhere,attack
      r = $1; issued = $(NF - 2); all = $(NF - 1); att = $NF
      nr[r]++
      if (all != "NA" && (!(r in any) || all < any[r])) any[r] = all
      if (att == 0) { bg[r]++; next }
      if (!(r in iss) || issued < iss[r]) iss[r] = issued
      if (all != "NA" && (!(r in lt) || all < lt[r])) lt[r] = all
      next
    }
    {
      r = $1; runs++
      L = $col["learning_time"]; I = $col["rule_issued_time"]; F = $col["first_rule_time"]
      B = $col["background_rules"]; D = $col["detect_time"]
      if (L != "NA") { learned++; if (L < 0) { print "run " r ": learning_time " L " < 0"; bad = 1 } }
      if (I != "NA" && I < 0) { print "run " r ": rule_issued_time " I " < 0"; bad = 1 }
      if (D != "NA" && D < 0) { print "run " r ": detect_time " D " < 0"; bad = 1 }
      if ((r in lt ? lt[r] : "NA") != L) { print "run " r ": learning_time " L ", the attack rules say " lt[r]; bad = 1 }
      if ((r in iss ? iss[r] : "NA") != I) { print "run " r ": rule_issued_time " I ", the attack rules say " iss[r]; bad = 1 }
      if ((r in any ? any[r] : "NA") != F) { print "run " r ": first_rule_time " F ", the rules say " any[r]; bad = 1 }
      if (bg[r] + 0 != B) { print "run " r ": background_rules " B ", the rules say " bg[r] + 0; bad = 1 }
      if (bg[r] > 0) withbg++
      if (F != "NA" && F < 0) neg++
    }
    END {
      if (learned == 0) { print "no run learned the attack"; bad = 1 }
      if (withbg == 0) { print "no run learned a background rule"; bad = 1 }
      if (want_neg && neg == 0) { print "no first rule before the launch"; bad = 1 }
      exit bad
    }' "$1/replay/L2-1_learning.rules.csv" "$1/replay/L2-1_learning.runs.csv"
}

# background before the launch: rules from it come before 0, and are not the attack's
ok "$VMITN" run replay -p dir= -p "traces=$C" -p baseline=false -p warmup=10 --runs 4 --out "$scratch/w10" -q
ok check "$scratch/w10" 1
# from the launch on: the background's rules come during the attack, and still are not its
ok "$VMITN" run replay -p dir= -p "traces=$C" -p baseline=false -p warmup=0 --runs 4 --out "$scratch/w0" -q
ok check "$scratch/w0" 0

# without background every rule is the attack's: learning_time is the first rule's
ok "$VMITN" run fig11 --runs 3 --out "$scratch/q" -q -p sets=1
ok awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
            $c["learning_time"] != $c["first_rule_time"] || $c["background_rules"] != 0 {bad = 1} END {exit bad}' \
   "$scratch/q/fig11/learning.runs.csv"
# the rules file says which rules are the attack's
ok grep -q '^run,pattern,issued,active_everywhere,attack$' "$scratch/q/fig11/learning.rules.csv"
finish
