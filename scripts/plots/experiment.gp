# Any experiment of any results folder (`vmitn plot DIR`): infected hosts (mean, 95 % CI,
# worst run), healthy and down hosts against time, with the axes from the data (axes.gp)
# and the key below the plot, so that it hides no curve.
# Usage: gnuplot -e "curve='DIR/S/LABEL.curve.csv'; label='S/LABEL'; fmt='png'; out='x.png'"
#        scripts/plots/experiment.gp      (optional: hosts=N; tmax=D; summary='...summary.csv')
name = 'experiment'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 640                  # room for the key below the plot
load here.'common.gp'
if (!exists("label")) label = curve
load here.'axes.gp'
lt = NaN
if (exists("summary")) {
    q = ''; do for [i=1:strlen(summary)] { c = summary[i:i]; q = q.(c eq "'" ? "'\\''" : c) }
    if (system("[ -r '".q."' ] && echo yes") eq 'yes') {
        stats summary using (strcol("metric") eq "learning_time" && column("n") > 0 ? (lt = column("mean"), 0) : 0) nooutput
    }
}
if (lt == lt) { set arrow 1 from lt, graph 0 to lt, graph 1 nohead dt 2 lw 1.5 lc rgb '#666666' }
set title label.sprintf(" (emulated, %d FES hosts)", hosts) noenhanced
set xlabel "time since the attack started (s)"
set ylabel "hosts"
set key at screen 0.5, screen 0.015 center bottom horizontal maxcols 2
set bmargin at screen 0.27   # the key goes below the plot (on a taller canvas): the key hides no curve
plot curve using (column("t")):(clip(column("infected_ci_lo"))):(clip(column("infected_ci_hi"))) \
           with filledcurves fc rgb band title "infected: 95 % CI of mean", \
     curve using (column("t")):(column("infected_mean")) with lines lw 3 lc rgb main title "infected: mean", \
     curve using (column("t")):(column("infected_worst")) with lines lw 2 dt 3 lc rgb '#b2182b' title "infected: worst run", \
     curve using (column("t")):(column("healthy_mean")) with lines lw 1.5 lc rgb other title "healthy: mean", \
     curve using (column("t")):(column("down_mean")) with lines lw 1.5 dt 2 lc rgb '#4d9221' title "down (handing over): mean", \
     NaN with lines dt 2 lw 1.5 lc rgb '#666666' title (lt == lt ? sprintf("mean learning time (%.2f s)", lt) : "")
