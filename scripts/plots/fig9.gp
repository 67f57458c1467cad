# Fig 9 of the VMITN paper: learning time vs attack rate, one curve per threshold theta.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/fig9.gp   (see common.gp for fmt, out)
name = 'fig9'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
load here.'common.gp'
f = dir.'/fig9/fig9.csv'

# the distinct thetas, in file order (as a space-separated list)
thetas = ''
stats f using (t = sprintf("%g", column("theta")), \
               strstrt(' '.thetas.' ', ' '.t.' ') == 0 ? thetas = thetas.' '.t : 0, 0) nooutput
nth = words(thetas)
dodge(i) = 1 + 0.025 * (i - (nth + 1) / 2.0)   # spreads the error bars of the thetas apart
is(i) = sprintf("%g", column("theta")) eq word(thetas, i)

if (!exists("label")) label = name
if (paper) { set title "Fig 9: Learning Algorithm Sensitivity (emulated; mean and 95 % CI)" } else {
    set title label.": learning time against attack rate (emulated; mean and 95 % CI)" noenhanced }
set xlabel "attack rate (packets/s, log scale)"
set ylabel "learning time (s)"
set logscale x
stats f using (column("rate")) nooutput      # the x axis from the rates the data has
set xrange [STATS_min / 1.25:STATS_max * 1.25]
set xtics (10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 25000)
set yrange [0:*]
set key below center horizontal maxcols 2
set bmargin 9                         # room for the x label and the key below it
if (paper) { set arrow 1 from graph 0, first 3 to graph 1, first 3 nohead dt 2 lw 1.5 lc rgb '#444444' }

plot for [i=1:nth] f using (is(i) ? column("rate") * dodge(i) : NaN):(column("mean")) \
         :(column("ci95_lo") < 0 ? 0 : column("ci95_lo")):(column("ci95_hi")) \
         with yerrorlines lw (i == 1 ? 2.5 : 1.5) pt pt(i) ps 1.1 lc rgb c(i) \
         title "theta = ".word(thetas, i), \
     for [i=1:nth] f using (is(i) && column("not_learned") > 0 ? column("rate") * dodge(i) : NaN) \
         :(column("ci95_hi")):(sprintf("%d/%d not learned", column("not_learned"), \
         column("learned") + column("not_learned"))) \
         with labels offset 0, 0.8 font ',9' tc rgb c(i) notitle, \
     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title (paper ? "paper: < 3 s below 250 pps for theta = 100" : "")
