# Fig 12 of the VMITN paper: infected hosts vs time, both countermeasures (a prediction:
# the paper withholds its values).
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/fig12.gp   (see common.gp for fmt, out)
name = 'fig12'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 760                  # room for the key below the plot
load here.'common.gp'
curve   = dir.'/fig12/both.curve.csv'
summary = dir.'/fig12/both.summary.csv'
if (!exists("label")) label = name
if (paper) { set title "Fig 12: Both Countermeasures Enabled (emulated prediction)" } else {
    title_what = ": both countermeasures against Code Red" }
# the pooled estimates drawn beside the one-set curves (infected.gp)
cmp = dir.'/fig12/compare.csv'; pool_learn = 'learning time'; pool_clean = 'time until the worm is cleaned'
load here.'infected.gp'
