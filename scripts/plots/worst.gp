# The distributions behind the paper's worst-of-20 figures: for Fig 10's hand-over (peak
# infected hosts) and Fig 11's learner (hosts attacked), the share of runs reaching each
# number of hosts, over every run of every 20-run set (bars), and the share of sets whose
# worst run reaches it (points).  Reads DIR/fig10/worst_hist.csv and DIR/fig11/worst_hist.csv
# (scenarios/common.lua's worst_hist).  Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/worst.gp
name = 'worst'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
load here.'common.gp'
f10 = dir.'/fig10/worst_hist.csv'
f11 = dir.'/fig11/worst_hist.csv'
w = 0.38

set title "Worst of 20, and the runs behind it"
set xlabel "hosts (Fig 10 hand-over: peak infected; Fig 11 learner: hosts attacked)"
set ylabel "share"
set xrange [-0.6:6.6]
set yrange [0:1.05]
set xtics 1
set key left top

plot f10 using (column("hosts") - w/2):(column("run_share")):(w) with boxes fc rgb '#1f4e9c' \
         title "Fig 10 hand-over: runs", \
     f11 using (column("hosts") + w/2):(column("run_share")):(w) with boxes fc rgb '#d9822b' \
         title "Fig 11 learner: runs", \
     f10 using (column("hosts") - w/2):(column("worst_share")) with points pt 7 ps 1.3 lc rgb 'black' \
         title "share of 20-run sets whose worst is this (Fig 10)", \
     f11 using (column("hosts") + w/2):(column("worst_share")) with points pt 5 ps 1.3 lc rgb '#7f3b08' \
         title "(Fig 11)"
