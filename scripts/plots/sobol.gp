# Which knob carries which figure over the whole box: first-order (dark) and total (light)
# Sobol indices with their 95 % bootstrap intervals (DIR/sobol/sobol.csv,
# scenarios/sobol.lua), one panel per figure statistic, one bar per knob; the dashed line is
# the statistic's replication-noise floor (a total index below it is not told apart from
# noise).  Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/sobol.gp
name = 'sobol'
height = 1200
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
load here.'common.gp'
f = dir.'/sobol/sobol.csv'
nk = 10                                # rows per statistic (9 knobs, the noise floor), in file order
k(r) = int(r) % nk                     # the row's knob
h = 0.38
sel(st, v) = strcol("statistic") eq st && strcol("knob") ne "noise_floor" ? v : NaN
nf(st) = strcol("statistic") eq st && strcol("knob") eq "noise_floor" ? column("ST") : NaN
set termoption noenhanced             # knob and statistic names have underscores
set multiplot layout 4,2 title "Sobol indices over the calibration box (dark: first order, light: total; 95 % bootstrap CI; dashed: noise floor)"
set key off
set grid noytics
set ytics scale 0 font ",9"
set xtics font ",9"
set yrange [-8.6:0.6]
set xrange [-0.1:1.1]
set lmargin 18
array S[7] = ["learning_time_50pps", "learning_time_1000pps", "time_all_infected_none", "time_cleaned_handover", \
              "peak_infected_handover", "learning_time", "hosts_attacked"]
array T[7] = ["Fig 9", "Fig 9", "Fig 10", "Fig 10", "Fig 10", "Fig 11", "Fig 11"]
do for [s = 1:7] {
    st = S[s]
    set title T[s].': '.st font ',11'
    plot f using (sel(st, 0)):(-k($0)):(sel(st, 0)):(sel(st, column("ST"))):(-k($0)):(-k($0) + h):ytic(strcol("knob") ne "noise_floor" ? strcol("knob") : "") \
             with boxxyerror fc rgb '#9ab3dc', \
         f using (sel(st, 0)):(-k($0)):(sel(st, 0)):(sel(st, column("S1"))):(-k($0) - h):(-k($0)) \
             with boxxyerror fc rgb '#1f4e9c', \
         f using (sel(st, column("ST"))):(-k($0) + h/2):(sel(st, column("ST_lo"))):(sel(st, column("ST_hi"))) \
             with xerrorbars pt -1 lc rgb '#555555', \
         f using (sel(st, column("S1"))):(-k($0) - h/2):(sel(st, column("S1_lo"))):(sel(st, column("S1_hi"))) \
             with xerrorbars pt -1 lc rgb 'black', \
         f using (nf(st)):(-8.6):(0):(9.2) with vectors nohead dt 2 lc rgb '#b2182b'
}
unset multiplot
