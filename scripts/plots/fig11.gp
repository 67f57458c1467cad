# Fig 11 of the VMITN paper: infected hosts vs time with Attack Pattern Learning only.
# Usage: gnuplot -e "dir='RESULTS_DIR'" scripts/plots/fig11.gp   (see common.gp for fmt, out)
name = 'fig11'
here = ''; do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
height = 740                  # room for the key below the plot
load here.'common.gp'
curve   = dir.'/fig11/learning.curve.csv'
summary = dir.'/fig11/learning.summary.csv'
if (!exists("label")) label = name
if (paper) {
    set title "Fig 11: Attack Pattern Learning Resists Code Red (emulated)"
    # the paper's marks: the pattern learned after 3.7 s, at most 4 hosts attacked
    paper_t = 3.7; paper_hosts = 4; paper_what = "paper: learned at 3.7 s, <= 4 hosts attacked"
} else {
    title_what = ": Attack Pattern Learning against Code Red"
}
# the pooled estimates drawn beside the one-set curves (infected.gp)
cmp = dir.'/fig11/compare.csv'; pool_learn = 'learning time'
load here.'infected.gp'
