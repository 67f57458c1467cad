# Fig 9 of the VMITN paper: learning time vs attack rate, one curve per threshold theta.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/fig9.gp   (see common.gp for fmt, out)
name = 'fig9'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
load here.'common.gp'
f = dir.'/fig9/fig9.csv'

# the distinct thetas, in file order (as a space-separated list)
thetas = ''
stats f using (t = sprintf("%g", column("theta")), \
               strstrt(' '.thetas.' ', ' '.t.' ') == 0 ? thetas = thetas.' '.t : 0, 0) nooutput
nth = words(thetas)
dodge(i) = 1 + 0.025 * (i - (nth + 1) / 2.0)   # spreads the error bars of the thetas apart
is(i) = sprintf("%g", column("theta")) eq word(thetas, i)

if (!exists("label")) label = name
if (paper) { set title "Fig 9: Learning Algorithm Sensitivity (emulated; mean and 95 % CI)" } else {
    set title label.": learning time against attack rate (emulated; mean and 95 % CI)" noenhanced }
set xlabel "attack rate (packets/s, log scale)"
set ylabel "learning time (s)"
set logscale x
stats f using (column("rate")) nooutput      # the x axis from the rates the data has
set xrange [STATS_min / 1.25:STATS_max * 1.25]
set xtics (10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 25000)
set yrange [0:*]
set key below center horizontal maxcols 2
set bmargin 9                         # room for the x label and the key below it
if (paper) { set arrow 1 from graph 0, first 3 to graph 1, first 3 nohead dt 2 lw 1.5 lc rgb '#444444' }

# the learning times pooled over every run of every 20-run set (compare.csv: theta 100 at 200
# and 2,000 packets/s, every theta at 1,000; mean and 95 % CI), open marks beside one set's
cmp = dir.'/fig9/compare.csv'; cmpq = 'theta'; load here.'pooled.gp'
# a pooled row's point: the (theta, rate) whose one-set mean in fig9.csv is the row's `mean`
# (compare.csv's texts name them, but gnuplot cuts a quoted text at its comma)
stats f using 0 nooutput
nrow = STATS_records
array rth[nrow]; array rrate[nrow]; array rmean[nrow]
stats f using (k = int(column(0)) + 1, rth[k] = column("theta"), rrate[k] = column("rate"), rmean[k] = column("mean"), 0) nooutput
at(m, j) = j > nrow ? 0 : (abs(rmean[j] - m) <= 1e-9 + 1e-6 * abs(m) ? j : at(m, j + 1))
prow(i) = column("pooled_n") > 0 && at(column("mean"), 1) > 0 && sprintf("%g", rth[at(column("mean"), 1)]) eq word(thetas, i)
pool_plot = !pool_cols ? '' : ", for [i=1:nth] cmp using (prow(i) ? rrate[at(column(\"mean\"), 1)] * dodge(i) * 1.04 : NaN)" . \
    ":(column(\"pooled_mean\")):(column(\"pooled_ci95_lo\")):(column(\"pooled_ci95_hi\")) with yerrorbars pt pt(i) - 1 ps 1.4 lw 1.5 lc rgb c(i) notitle" . \
    ", NaN with points pt 6 ps 1.4 lc rgb 'black' title sprintf('open marks: pooled over every run of every set (%d runs each)', pool_n)"

plot for [i=1:nth] f using (is(i) ? column("rate") * dodge(i) : NaN):(column("mean")) \
         :(column("ci95_lo") < 0 ? 0 : column("ci95_lo")):(column("ci95_hi")) \
         with yerrorlines lw (i == 1 ? 2.5 : 1.5) pt pt(i) ps 1.1 lc rgb c(i) \
         title "theta = ".word(thetas, i).(pool_cols ? " (one set)" : ""), \
     for [i=1:nth] f using (is(i) && column("not_learned") > 0 ? column("rate") * dodge(i) : NaN) \
         :(column("ci95_hi")):(sprintf("%d/%d not learned", column("not_learned"), \
         column("learned") + column("not_learned"))) \
         with labels offset 0, 0.8 font ',9' tc rgb c(i) notitle, \
     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title (paper ? "paper: < 3 s below 250 pps for theta = 100" : "") \
     @pool_plot
