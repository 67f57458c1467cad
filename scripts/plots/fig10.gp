# Fig 10 of the VMITN paper: infected hosts vs time, no countermeasure vs Rapid Hand Over.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/fig10.gp   (see common.gp for fmt, out)
name = 'fig10'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 780                  # room for the key below the plot
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
set bmargin at screen 0.38   # the key goes below the plot (on a taller canvas): the key hides no curve
# the paper's marks: all 6 infected within 6 s without a countermeasure; with hand-over at
# most 4 infected in the worst run, and the worm cleaned after 7.8 s
if (paper) {
    set arrow 1 from 6, graph 0 to 6, graph 1 nohead dt 2 lw 1.5 lc rgb '#444444'
    set arrow 2 from graph 0, first 4 to graph 1, first 4 nohead dt 4 lw 1.5 lc rgb other
    set arrow 3 from 7.8, graph 0 to 7.8, graph 1 nohead dt 4 lw 1.5 lc rgb other
}

# the estimates pooled over every run of every 20-run set (compare.csv; mean and 95 % CI),
# beside the curves of one set: the time until all are infected (no countermeasure) and until cleaned (hand-over)
cmp = dir.'/fig10/compare.csv'
cmpq = 'no countermeasure: time until all'; load here.'pooled.gp'
pn_mean = pool_mean; pn_lo = pool_lo; pn_hi = pool_hi; pn_n = pool_n
cmpq = 'hand-over: time until the worm is cleaned'; load here.'pooled.gp'
pc_mean = pool_mean; pc_lo = pool_lo; pc_hi = pool_hi; pc_n = pool_n

plot none using (column("t")):(clip(column("infected_ci_lo"))):(clip(column("infected_ci_hi"))) \
          with filledcurves fc rgb band title "no countermeasure: 95 % CI of mean (one set, an example)", \
     none using (column("t")):(column("infected_mean")) \
          with lines lw 4 lc rgb main title "no countermeasure: mean of runs (one set)", \
     ho   using (column("t")):(column("infected_worst")) \
          with lines lw 3 dt 3 lc rgb other title "Rapid Hand Over: worst run (highest peak; one set)", \
     ho   using (column("t")):(column("infected_mean")) \
          with lines lw 1 lc rgb other title "Rapid Hand Over: mean of runs (one set)", \
     '+' using (pn_mean):(hosts):(pn_lo):(pn_hi) every ::0::0 with xerrorbars pt 7 ps 1.3 lw 2 lc rgb main \
          title (pn_n > 0 ? sprintf("no countermeasure: time until all %d infected, pooled over %d runs: %.2f s [%.2f, %.2f]", hosts, pn_n, pn_mean, pn_lo, pn_hi) : ""), \
     '+' using (pc_mean):(0):(pc_lo):(pc_hi) every ::0::0 with xerrorbars pt 5 ps 1.3 lw 2 lc rgb other \
          title (pc_n > 0 ? sprintf("Rapid Hand Over: time until cleaned, pooled over %d runs: %.2f s [%.2f, %.2f]", pc_n, pc_mean, pc_lo, pc_hi) : ""), \
     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title (paper ? "paper: all 6 infected within 6 s (none)" : ""), \
     NaN with lines dt 4 lw 1.5 lc rgb other title (paper ? "paper: <= 4 infected, cleaned at 7.8 s (hand-over)" : "")
