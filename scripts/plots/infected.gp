# Infected hosts vs time: worst run dotted (as in the paper), mean with its 95 % CI band, and
# a dashed vertical line at the mean learning time when `summary` exists and has it.
# Needs: curve, summary (file names), set up by fig11.gp / fig12.gp.  Axes from the data
# (axes.gp); the key below the plot.
lt = NaN
q = ''; do for [i=1:strlen(summary)] { c = summary[i:i]; q = q.(c eq "'" ? "'\\''" : c) }
if (system("[ -r '".q."' ] && echo yes") eq 'yes') {                  # q: quoted for sh
    stats summary using (strcol("metric") eq "learning_time" ? (lt = column("mean"), 0) : 0) nooutput
}
if (lt == lt) { set arrow 1 from lt, graph 0 to lt, graph 1 nohead dt 2 lw 1.5 lc rgb '#666666' }

set xlabel "time since the attack started (s)"
set ylabel "infected hosts"
load here.'axes.gp'
if (exists("title_what")) { set title label.title_what.sprintf(" (emulated, %d FES hosts)", hosts) noenhanced }
set key at screen 0.5, screen 0.015 center bottom vertical
set bmargin at screen 0.35   # the key goes below the plot (on a taller canvas): the key hides no curve
# the paper's marks, when the figure quotes any (fig11.gp sets them): `paper_t` a time
# (s), `paper_hosts` a host count, `paper_what` their legend
if (exists("paper_t")) { set arrow 2 from paper_t, graph 0 to paper_t, graph 1 nohead dt 4 lw 1.5 lc rgb '#b2182b' }
if (exists("paper_hosts")) { set arrow 3 from graph 0, first paper_hosts to graph 1, first paper_hosts nohead dt 4 lw 1.5 lc rgb '#b2182b' }
if (!exists("paper_what")) paper_what = ''
# the estimates pooled over every run of every 20-run set (mean and 95 % CI), when the caller
# names its compare.csv (`cmp`) and quantities (`pool_learn`, `pool_clean`: their texts' start)
pl_n = 0; pc_n = 0; pl_mean = NaN; pc_mean = NaN; pl_lo = NaN; pl_hi = NaN; pc_lo = NaN; pc_hi = NaN
if (exists("cmp") && exists("pool_learn")) {
    cmpq = pool_learn; load here.'pooled.gp'
    pl_mean = pool_mean; pl_lo = pool_lo; pl_hi = pool_hi; pl_n = pool_n
}
if (exists("cmp") && exists("pool_clean")) {
    cmpq = pool_clean; load here.'pooled.gp'
    pc_mean = pool_mean; pc_lo = pool_lo; pc_hi = pool_hi; pc_n = pool_n
}
one = (pl_n > 0 || pc_n > 0) ? " (one set, an example)" : ""

plot curve using (column("t")):(clip(column("infected_ci_lo"))):(clip(column("infected_ci_hi"))) \
           with filledcurves fc rgb band title "95 % CI of mean".one, \
     curve using (column("t")):(column("infected_mean")) \
           with lines lw 2 lc rgb other title "mean of runs".one, \
     curve using (column("t")):(column("infected_worst")) \
           with lines lw 4 dt 3 lc rgb main title "worst run (highest peak)".one, \
     NaN with lines dt 2 lw 1.5 lc rgb '#666666' \
           title (lt == lt ? sprintf("mean learning time (%.2f s)", lt).one : ""), \
     '+' using (pl_mean):(hosts):(pl_lo):(pl_hi) every ::0::0 with xerrorbars pt 7 ps 1.3 lw 2 lc rgb '#666666' \
           title (pl_n > 0 ? sprintf("learning time, pooled over %d runs: %.2f s [%.2f, %.2f]", pl_n, pl_mean, pl_lo, pl_hi) : ""), \
     '+' using (pc_mean):(0):(pc_lo):(pc_hi) every ::0::0 with xerrorbars pt 5 ps 1.3 lw 2 lc rgb other \
           title (pc_n > 0 ? sprintf("time until cleaned, pooled over %d runs: %.2f s [%.2f, %.2f]", pc_n, pc_mean, pc_lo, pc_hi) : ""), \
     NaN with lines dt 4 lw 1.5 lc rgb '#b2182b' title paper_what
