# The pattern learner's operating curve (scenarios/roc.lua): one point per (lambda, theta),
# the mean detection delay over the attacks it detected (captures and emulated Code Red and
# TFN2K) against the mean share of benign packets its rules would drop, coloured by lambda;
# each point says lambda/theta and how many attacks got the right rule.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/roc.gp   (see common.gp for fmt, out)
name = 'roc'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 620
load here.'common.gp'
f = dir.'/roc/roc.csv'

set title "The learner's operating curve: benign packets dropped against detection delay"
set xlabel "mean detection delay over the attacks detected (s, log scale)"
set ylabel "benign packets dropped (mean share of a capture)"
set logscale x
set yrange [0:1.05]
set cblabel "lambda (stage 1)"
set logscale cb
set palette defined (0 '#1f4e9c', 0.5 '#999999', 1 '#b2182b')
set key below center horizontal
set bmargin 7
plot f using (column("mean_delay")):(column("benign_dropped")):(column("lambda")) \
         with points pt 7 ps 1.4 lc palette title "one (lambda, theta) setting", \
     f using (column("mean_delay")):(column("benign_dropped")) \
         :(sprintf("%g/%g (%d/%d right)", column("lambda"), column("theta"), column("right"), column("attacks"))) \
         with labels offset 0, 0.9 font ',8' tc rgb '#444444' notitle
