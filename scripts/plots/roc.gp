# The pattern learner's operating curve (scenarios/roc.lua): one point per (lambda, theta),
# the mean detection delay over the attacks it detected (captures and emulated Code Red and
# TFN2K) against the mean share of benign packets its rules would drop, coloured by lambda;
# each point says lambda/theta and how many attacks got the right rule.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/roc.gp   (see common.gp for fmt, out)
name = 'roc'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 680
load here.'common.gp'
f = dir.'/roc/roc.csv'

# the distinct lambdas, in file order; one colour and one line (theta ascending) per lambda
lambdas = ''
stats f using (l = sprintf("%g", column("lambda")), \
               strstrt(' '.lambdas.' ', ' '.l.' ') == 0 ? lambdas = lambdas.' '.l : 0, 0) nooutput
nl = words(lambdas)
is(i) = sprintf("%g", column("lambda")) eq word(lambdas, i)
stats f using (column("attacks")) nooutput
nattacks = int(STATS_max)

set title sprintf("The learner's operating curve: benign packets dropped against detection delay\n{/*0.85 numbers by the points: theta (stage 2); a ringed point: fewer than all %d attacks detected}", nattacks)
set xlabel "mean detection delay over the attacks detected (s, log scale)"
set ylabel "benign packets dropped (mean share of a capture)"
set logscale x
stats f using (column("mean_delay")) nooutput
set xrange [STATS_min / 1.3:STATS_max * 1.3]
set xtics (0.5, 1, 2, 3, 5, 10, 20, 30, 50, 100, 200)
set yrange [0:1.05]
set key at screen 0.5, screen 0.015 center bottom horizontal maxrows 2 width 1
set bmargin at screen 0.2   # the key goes below the plot: it hides no point
# each point labelled with its theta only (lambda is the colour), left or right of the point by
# lambda so that two lambdas' labels do not pile up; a filled point: every attack detected
plot for [i=1:nl] f using (is(i) ? column("mean_delay") : NaN):(column("benign_dropped")) \
         with linespoints lw 1.5 pt pt(i) ps 1.2 lc rgb c(i) \
         title sprintf("lambda = %s", word(lambdas, i)), \
     for [i=1:nl] f using (is(i) && column("detected") < column("attacks") ? column("mean_delay") : NaN) \
         :(column("benign_dropped")) with points pt 6 ps 2.2 lc rgb c(i) notitle, \
     for [i=1:nl] f using (is(i) ? column("mean_delay") : NaN):(column("benign_dropped")) \
         :(sprintf("%g", column("theta"))) with labels offset (i % 2 ? -1.6 : 1.6), 0 font ',9' tc rgb c(i) notitle
