# Infected hosts vs time: worst run dotted (as in the paper), mean with its 95 % CI band, and
# a dashed vertical line at the mean learning time when `summary` exists and has it.
# Needs: curve, summary (file names), set up by fig11.gp / fig12.gp.
lt = NaN
q = ''; do for [i=1:strlen(summary)] { c = summary[i:i]; q = q.(c eq "'" ? "'\\''" : c) }
if (system("[ -r '".q."' ] && echo yes") eq 'yes') {                  # q: quoted for sh
    stats summary using (strcol("metric") eq "learning_time" ? (lt = column("mean"), 0) : 0) nooutput
}
if (lt == lt) { set arrow 1 from lt, graph 0 to lt, graph 1 nohead dt 2 lw 1.5 lc rgb '#666666' }

set xlabel "time since the attack started (s)"
set ylabel "infected hosts"
set xrange [0:20]
set yrange [-0.2:6.5]          # zero lines stay visible above the x axis
set ytics 0,1,6
set key right center

plot curve using (column("t")):(column("infected_ci_lo")):(column("infected_ci_hi")) \
           with filledcurves fc rgb band title "95 % CI of mean", \
     curve using (column("t")):(column("infected_mean")) \
           with lines lw 2 lc rgb other title "mean of runs", \
     curve using (column("t")):(column("infected_worst")) \
           with lines lw 4 dt 3 lc rgb main title "worst run (highest peak)", \
     NaN with lines dt 2 lw 1.5 lc rgb '#666666' \
           title (lt == lt ? sprintf("mean learning time (%.2f s)", lt) : "")
