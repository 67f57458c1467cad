# A sweep (`vmitn plot SWEEP_DIR`): one metric against the swept parameter, the mean and its
# 95 % CI (clipped at 0, and at 1 for a share) per point; one line per experiment and per
# value of the other swept parameters.
# Usage: gnuplot -e "f='SWEEP/points.csv'; xcol='theta'; metric='learning_time';
#        key(x) = strcol('experiment'); title='fig11 sweep'; fmt='png'; out='x.png'"
#        scripts/plots/sweep.gp                        (optional: logx=1; unit='s')
name = 'sweep'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 620
load here.'common.gp'
if (!exists("logx")) logx = 0
if (!exists("unit")) unit = ''
if (!exists("title")) title = 'sweep'
# the series, in file order
keys = ''
stats f using (k = key(0), strstrt(' '.keys.' ', ' '.k.' ') == 0 ? keys = keys.' '.k : 0, 0) nooutput
nk = words(keys)
share = strstrt(metric, 'share') > 0 || metric eq 'availability'
lo(v) = v < 0 ? 0 : (share && v > 1 ? 1 : v)
set title title.": ".metric." against ".xcol." (mean and 95 % CI of the runs)" noenhanced
set xlabel xcol noenhanced
set ylabel metric.(unit eq '' ? '' : ' ('.unit.')') noenhanced
if (logx) { set logscale x }
set offsets graph 0.03, graph 0.03, 0, 0
set yrange [0:*]
if (share) { set yrange [0:1.05] }
set key below center horizontal maxcols 3 noenhanced
set bmargin 8
plot for [i=1:nk] f using (key(0) eq word(keys, i) ? column(xcol) : NaN):(column(metric."_mean")) \
         :(lo(column(metric."_ci_lo"))):(lo(column(metric."_ci_hi"))) \
         with yerrorlines lw 2 pt pt(i) ps 1.1 lc rgb c(i) title word(keys, i)
