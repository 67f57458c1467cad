# Table 1 of the VMITN paper: service interrupt time per hand-over step, paper vs emulated.
# Horizontal grouped bars (the step names are long); log time axis, since the total dwarfs
# the single steps. Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/table1.gp
name = 'table1'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 600
load here.'common.gp'
f = dir.'/table1/table1.csv'

stats f using 0 nooutput
n = STATS_records
y(i) = n - 1 - i                      # first step on top
h = 0.36                              # bar thickness

if (!exists("label")) label = name
set title (paper ? "Table 1: Service Interrupt Time (paper vs emulated)" : label.": service interrupt time per hand-over step (emulated; grey: the paper's)") noenhanced
set xlabel "time (ms, log scale)"
set logscale x
# the axis from the data: the decade above the largest bar or CI, with room for its label
stats f using (column("paper_ms") > column("ci95_hi_ms") ? column("paper_ms") : column("ci95_hi_ms")) nooutput
set xrange [10:10 ** ceil(log10(STATS_max * 3))]
set yrange [-0.7:n - 0.3]
set ytics scale 0
set grid noytics
set key below center horizontal   # below: it hides no bar or label
set bmargin 7
set lmargin 30

plot f using (10):(y($0) + h/2):(10):(column("paper_ms")):(y($0) + h/2 - h/2):(y($0) + h/2 + h/2):ytic(strcol("step")) \
         with boxxyerror fc rgb '#bdbdbd' title "paper", \
     f using (10):(y($0) - h/2):(10):(column("mean_ms")):(y($0) - h):(y($0)) \
         with boxxyerror fc rgb '#1f4e9c' title "emulated mean", \
     f using (column("mean_ms")):(y($0) - h/2):(column("ci95_lo_ms")):(column("ci95_hi_ms")) \
         with xerrorbars pt -1 lw 1.5 lc rgb 'black' title "emulated 95 % CI", \
     f using (column("paper_ms") * 1.15):(y($0) + h/2):(sprintf("%.0f", column("paper_ms"))) \
         with labels left font ',10' notitle, \
     f using (column("ci95_hi_ms") * 1.15):(y($0) - h/2):(sprintf("%.0f", column("mean_ms"))) \
         with labels left font ',10' notitle
