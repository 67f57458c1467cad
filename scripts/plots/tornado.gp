# Which knob moves which figure: one-at-a-time elasticities at the calibrated point with
# their 95 % intervals (DIR/sensitivity/sensitivity.csv, scenarios/sensitivity.lua), one
# panel per figure, one bar per knob.  An elasticity of 1: the figure moves by 1 % per 1 %
# of the knob.  Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/tornado.gp
name = 'tornado'
height = 900
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
load here.'common.gp'
f = dir.'/sensitivity/sensitivity.csv'
nfig = 6                               # figures per knob, in the order sensitivity.lua writes them
k(r) = int(r / nfig)                   # the row's knob
h = 0.35
sel(fig, v) = strcol("figure") eq fig ? v : NaN   # a row of another figure is left out
set termoption noenhanced             # knob and figure names have underscores
set multiplot layout 3,2 title "Elasticity of each figure to each knob (one at a time, 95 % CI)"
set key off
set grid noytics
set ytics scale 0 font ",9"
set xtics font ",9"
set yrange [-9:1]
set lmargin 15
set xzeroaxis
do for [fig in "fig9_learning fig10_all_infected fig10_cleaned fig11_learning fig11_attacked availability"] {
    set title fig font ',11'
    # the panel's x range from its intervals, at least [-0.05, 0.05]: a figure no knob
    # moves (every elasticity 0) still gets a drawn axis
    set xrange [*:*]; set yrange [*:*]  # stats reads only what the current ranges admit
    stats f using (sel(fig, column("ci95_lo"))) nooutput
    xlo = STATS_min < -0.05 ? STATS_min : -0.05
    stats f using (sel(fig, column("ci95_hi"))) nooutput
    xhi = STATS_max > 0.05 ? STATS_max : 0.05
    set xrange [xlo - 0.05 * (xhi - xlo) : xhi + 0.05 * (xhi - xlo)]
    set yrange [-9:1]
    plot f using (sel(fig, 0)):(-k($0)):(sel(fig, 0)):(sel(fig, column("elasticity"))):(-k($0) - h):(-k($0) + h):ytic(strcol("knob")) \
             with boxxyerror fc rgb '#1f4e9c', \
         f using (sel(fig, column("elasticity"))):(-k($0)):(sel(fig, column("ci95_lo"))):(sel(fig, column("ci95_hi"))) \
             with xerrorbars pt -1 lc rgb 'black'
}
unset multiplot
