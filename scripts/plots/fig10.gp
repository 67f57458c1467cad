# Fig 10 of the VMITN paper: infected hosts vs time, no countermeasure vs Rapid Hand Over.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/fig10.gp   (see common.gp for fmt, out)
name = 'fig10'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 700                  # room for the key below the plot
load here.'common.gp'
none = dir.'/fig10/none.curve.csv'
ho   = dir.'/fig10/handover.curve.csv'

set xlabel "time since the attack started (s)"
set ylabel "infected hosts"
curve = none
load here.'axes.gp'
if (!exists("label")) label = name
if (paper) { set title "Fig 10: Rapidly Hand Over Resists Code Red (emulated)" } else {
    set title label.sprintf(": no countermeasure against Rapid Hand Over (emulated, %d FES hosts)", hosts) noenhanced }
set key at screen 0.5, screen 0.015 center bottom vertical
set bmargin at screen 0.32   # the key goes below the plot (on a taller canvas): the key hides no curve
# the paper's marks: all 6 infected within 6 s without a countermeasure; with hand-over at
# most 4 infected in the worst run, and the worm cleaned after 7.8 s
if (paper) {
    set arrow 1 from 6, graph 0 to 6, graph 1 nohead dt 2 lw 1.5 lc rgb '#444444'
    set arrow 2 from graph 0, first 4 to graph 1, first 4 nohead dt 4 lw 1.5 lc rgb other
    set arrow 3 from 7.8, graph 0 to 7.8, graph 1 nohead dt 4 lw 1.5 lc rgb other
}

plot none using (column("t")):(clip(column("infected_ci_lo"))):(clip(column("infected_ci_hi"))) \
          with filledcurves fc rgb band title "no countermeasure: 95 % CI of mean", \
     none using (column("t")):(column("infected_mean")) \
          with lines lw 4 lc rgb main title "no countermeasure: mean of runs", \
     ho   using (column("t")):(column("infected_worst")) \
          with lines lw 3 dt 3 lc rgb other title "Rapid Hand Over: worst run (highest peak)", \
     ho   using (column("t")):(column("infected_mean")) \
          with lines lw 1 lc rgb other title "Rapid Hand Over: mean of runs", \
     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title (paper ? "paper: all 6 infected within 6 s (none)" : ""), \
     NaN with lines dt 4 lw 1.5 lc rgb other title (paper ? "paper: <= 4 infected, cleaned at 7.8 s (hand-over)" : "")
