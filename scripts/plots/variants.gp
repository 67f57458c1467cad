# Variants on one axis (`vmitn plot A B [C...]`): one experiment that several results folders
# share, infected hosts against time, the mean and its 95 % CI band (clipped to [0, hosts])
# for each folder, labelled by the parameters that differ between them (read from meta).
# Usage: gnuplot -e "array curves[2] = ['A/x.curve.csv', 'B/x.curve.csv'];
#        array labels[2] = ['theta=25', 'theta=100']; title='fig11/learning'; fmt='png';
#        out='x.png'" scripts/plots/variants.gp         (optional: hosts=N; tmax=D)
name = 'variants'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 680                  # room for the key below the plot
load here.'common.gp'
nv = |curves|
curve = curves[1]
load here.'axes.gp'
if (!exists("title")) title = 'variants'
set title title.sprintf(" (emulated, %d FES hosts): infected hosts, mean and 95 %% CI per variant", hosts) noenhanced
set xlabel "time since the attack started (s)"
set ylabel "infected hosts"
set key at screen 0.5, screen 0.015 center bottom vertical maxrows 4 noenhanced
set bmargin at screen 0.3     # the key goes below the plot (on a taller canvas): the key hides no curve
set style fill transparent solid 0.18 noborder
plot for [i=1:nv] curves[i] using (column("t")):(clip(column("infected_ci_lo"))):(clip(column("infected_ci_hi"))) \
         with filledcurves fc rgb c(i) notitle, \
     for [i=1:nv] curves[i] using (column("t")):(column("infected_mean")) \
         with lines lw 2.5 dt i lc rgb c(i) title labels[i]
