# Fig 10 of the VMITN paper: infected hosts vs time, no countermeasure vs Rapid Hand Over.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/fig10.gp   (see common.gp for fmt, out)
name = 'fig10'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
load here.'common.gp'
none = dir.'/fig10/none.curve.csv'
ho   = dir.'/fig10/handover.curve.csv'

set title "Fig 10: Rapidly Hand Over Resists Code Red (emulated)"
set xlabel "time since the attack started (s)"
set ylabel "infected hosts"
set xrange [0:20]
set yrange [-0.2:6.5]          # zero lines stay visible above the x axis
set ytics 0,1,6
set key right center

plot none using (column("t")):(column("infected_ci_lo")):(column("infected_ci_hi")) \
          with filledcurves fc rgb band title "no countermeasure: 95 % CI of mean", \
     none using (column("t")):(column("infected_mean")) \
          with lines lw 4 lc rgb main title "no countermeasure: mean of runs", \
     ho   using (column("t")):(column("infected_worst")) \
          with lines lw 3 dt 3 lc rgb other title "Rapid Hand Over: worst run (highest peak)", \
     ho   using (column("t")):(column("infected_mean")) \
          with lines lw 1 lc rgb other title "Rapid Hand Over: mean of runs"
