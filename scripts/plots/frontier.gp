# The calibration's frontier: every point searched (results/calibration/search.csv), placed
# by the statistics behind the paper's figures, coloured by the share of 20-run sets that
# meet the worst-case target the speed conflicts with.  The dashed boxes are the paper's
# figures: a point inside a box with a light colour would meet both.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/frontier.gp   (see common.gp for fmt, out)
name = 'frontier'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
load here.'common.gp'
if (fmt eq 'svg') {
    set terminal svg size 1200,540 fixed font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1200,540 font 'Sans,12' background rgb 'white'
}
set output out
s = dir.'/calibration/search.csv'
set palette defined (0 '#b2182b', 0.5 '#f4a582', 1 '#2166ac')
set cbrange [0:1]
set xrange [0:20]
set key off
set multiplot layout 1,2 title "Why the paper's figures cannot all hold: every calibration point (both views of 'infected')"

set title "Fig 10 (none) against Fig 11 (learning)"
set xlabel "no countermeasure: mean time until all 6 are infected (s)"
set ylabel "learning only: mean learning time (s)"
set yrange [0:12]
set cblabel "share of sets: learning, worst attacked 4"
set object 1 rect from 0,3.33 to 6,4.07 fs empty border lc rgb 'black' dt 2 lw 2
plot s using (column("none_t_all")):(column("learn_t")):(column("p_fig11_worst")) with points pt 7 ps 1 lc palette

unset object 1
set title "Fig 10 (none) against Fig 10 (hand-over)"
set ylabel "hand-over: mean time until the worm is cleaned (s)"
set yrange [0:20]
set cblabel "share of sets: hand-over, worst peak 4"
set object 2 rect from 0,7.02 to 6,8.58 fs empty border lc rgb 'black' dt 2 lw 2
plot s using (column("none_t_all")):(column("ho_t_clean")):(column("p_fig10_ho_worst")) with points pt 7 ps 1 lc palette
unset multiplot
