# Internet-scale outbreaks: the emulated infected curve, the logistic fitted to it, and the
# SI (random constant spread) ODE with the analytic K, for each outbreak scenario present.
# Usage: gnuplot -e "dir='results'; out='results/plots/outbreaks.png'; fmt='png'" scripts/plots/outbreak.gp
name = 'outbreaks'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
width = 1200
height = 560
load here.'common.gp'
set key off                   # one key below the three panels: no legend on a curve
set multiplot layout 1,3 margins 0.07, 0.98, 0.3, 0.91 spacing 0.07, 0
set title 'Code Red v2: 360,000 hosts, uniform'
set xlabel 'time (h)'
set ylabel 'infected hosts'
set format y '%.0s%c'
plot dir.'/codered-v2/uniform-fit.csv' using (column('t_h')):(column('emulated')) with lines lw 3 lc rgb main, \
     '' using (column('t_h')):(column('logistic_fit')) with lines dt 2 lw 2 lc rgb other, \
     '' using (column('t_h')):(column('si_ode')) with lines dt 3 lw 2 lc rgb mark
set title 'Code Red II: localized, clustered'
set xlabel 'time (min)'
unset ylabel
plot dir.'/codered2-localized/localized-fit.csv' using (column('t_s')/60):(column('emulated')) with lines lw 3 lc rgb main, \
     '' using (column('t_s')/60):(column('logistic_fit')) with lines dt 2 lw 2 lc rgb other
set title 'SQL Slammer: 75,000 hosts'
set xlabel 'time (s)'
plot dir.'/slammer/uniform-fit.csv' using (column('t_s')):(column('emulated')) with lines lw 3 lc rgb main, \
     '' using (column('t_s')):(column('logistic_fit')) with lines dt 2 lw 2 lc rgb other, \
     '' using (column('t_s')):(column('si_ode')) with lines dt 3 lw 2 lc rgb mark
# the key: an empty panel along the bottom, drawn only for its legend
unset title; unset xlabel; unset ylabel; unset border; unset tics; unset grid
set multiplot next
set size 1, 0.16
set origin 0, 0
set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0
set key at screen 0.5, screen 0.02 center bottom vertical
set xrange [0:1]; set yrange [0:1]
plot NaN with lines lw 3 lc rgb main title 'emulated', \
     NaN with lines dt 2 lw 2 lc rgb other title 'logistic fit to the emulated curve', \
     NaN with lines dt 3 lw 2 lc rgb mark title 'SI ODE: K = rate N / 2^32 (Code Red v2), ln 2 / 8.5 s (Slammer)' noenhanced
unset multiplot
