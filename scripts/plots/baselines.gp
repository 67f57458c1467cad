# VMITN against the baselines (scenarios/baselines.lua), the Fig 8 testbed under Code Red:
# for every defence, alone (light) and with VMITN's two mechanisms (dark), the mean peak
# of infected hosts and the availability (time-averaged share of hosts healthy and serving).
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/baselines.gp   (see common.gp for fmt, out)
name = 'baselines'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 620
load here.'common.gp'
f = dir.'/baselines/baselines.csv'
sel(v) = strcol("group") eq 'testbed-codered' && column("vmitn") == v
x(v) = floor(column(0) / 2) + (v ? 0.2 : -0.2)
set multiplot layout 2,1 title "Code Red on the Fig 8 testbed: each defence alone and with VMITN (mean over runs)"
set style fill solid 1.0 noborder
set boxwidth 0.38
set xrange [-0.7:5.7]
set key top right
set ylabel "peak infected hosts"
set yrange [0:6.5]
# the defences in scenarios/baselines.lua's order
set xtics ('none' 0, 'throttle' 1, 'TRW' 2, 'blacklist' 3, 'content filter' 4, 'patching' 5)
plot f using (sel(0) ? x(0) : NaN):(column("peak_infected")) with boxes lc rgb '#9fb7df' title 'alone', \
     f using (sel(1) ? x(1) : NaN):(column("peak_infected")) with boxes lc rgb '#1f4e9c' title 'with VMITN'
unset key
set ylabel "availability"
set yrange [0:1.05]
plot f using (sel(0) ? x(0) : NaN):(column("availability")) with boxes lc rgb '#9fb7df' notitle, \
     f using (sel(1) ? x(1) : NaN):(column("availability")) with boxes lc rgb '#1f4e9c' notitle
unset multiplot
