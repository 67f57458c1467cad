# Internet-scale outbreaks: the emulated infected curve, the logistic fitted to it, and the
# SI (random constant spread) ODE with the analytic K, for each outbreak scenario present.
# Usage: gnuplot -e "dir='results'; out='results/plots/outbreaks.png'; fmt='png'" scripts/plots/outbreak.gp
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') { set terminal svg size 1200,420 font 'Helvetica,12' noenhanced } else { set terminal pngcairo size 1200,420 font 'Sans,10' noenhanced }
set output out
set datafile separator ','
set datafile missing 'NA'
set key bottom right box opaque
set grid
set multiplot layout 1,3
set title 'Code Red v2: 360,000 hosts, uniform'
set xlabel 'time (h)'
set ylabel 'infected hosts'
plot dir.'/codered-v2/uniform-fit.csv' using (column('t_h')):(column('emulated')) with lines lw 3 lc rgb 'black' title 'emulated', \
     '' using (column('t_h')):(column('logistic_fit')) with lines dt 2 lw 2 lc rgb '#1f4e9c' title 'logistic fit', \
     '' using (column('t_h')):(column('si_ode')) with lines dt 3 lw 2 lc rgb '#b2182b' title 'SI ODE, K = rate N / 2^32'
set title 'Code Red II: localized, clustered'
set xlabel 'time (min)'
plot dir.'/codered2-localized/localized-fit.csv' using (column('t_s')/60):(column('emulated')) with lines lw 3 lc rgb 'black' title 'emulated', \
     '' using (column('t_s')/60):(column('logistic_fit')) with lines dt 2 lw 2 lc rgb '#1f4e9c' title 'logistic fit'
set title 'SQL Slammer: 75,000 hosts'
set xlabel 'time (s)'
plot dir.'/slammer/uniform-fit.csv' using (column('t_s')):(column('emulated')) with lines lw 3 lc rgb 'black' title 'emulated', \
     '' using (column('t_s')):(column('logistic_fit')) with lines dt 2 lw 2 lc rgb '#1f4e9c' title 'logistic fit', \
     '' using (column('t_s')):(column('si_ode')) with lines dt 3 lw 2 lc rgb '#b2182b' title 'SI ODE, K = ln 2 / 8.5 s'
unset multiplot
