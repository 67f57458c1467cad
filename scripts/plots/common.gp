# Settings shared by the VMITN plots; loaded by each <name>.gp after it sets `name`.
# Inputs (gnuplot -e): dir = results directory (default 'results'),
#   fmt = 'png' or 'svg' (default 'png'), out = output file (default dir/plots/<name>.<fmt>),
#   height, width = the canvas in pixels (default 540 high, 900 wide),
#   paper = 1 when the folder ran the paper's own setting (the paper scenario unchanged, on
#   the Fig 8 topology: `vmitn plot` and plots.sh decide from meta); only then do the
#   figures carry "Fig N" titles and the paper's reference marks.
if (!exists("dir")) dir = 'results'
if (!exists("paper")) paper = 0
if (!exists("width")) width = 900
if (!exists("fmt")) fmt = 'png'
if (!exists("out")) out = dir.'/plots/'.name.'.'.fmt
if (!exists("height")) height = 540   # a plot with its key below sets more
if (fmt eq 'svg') {
    set terminal svg size width,height fixed font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size width,height font 'Sans,12' background rgb 'white'
}
set output out
# no `set encoding utf8`: every text drawn is ASCII (the scripts, and labels, which are
# plain file names), and under the C locale that line made gnuplot warn "iconv failed to
# convert degree sign" once per image

set datafile separator ','
set datafile missing 'NA'
set datafile columnheaders          # so that column("name") finds the header line

set border 3
set tics nomirror out
set grid back lt 1 lc rgb '#e4e4e4' lw 1
set key box lc rgb '#bbbbbb' opaque Left reverse spacing 1.2 samplen 3 width 1
set style fill solid 1.0 noborder

main  = 'black'                      # paper's bold main curve
other = '#1f4e9c'                    # second curve
band  = '#d0d0d0'                    # light 95 % CI band
mark  = '#b2182b'                    # the paper's reference marks
# one colour per variant or series, in order (`vmitn plot A B`, sweeps, Fig 9's thetas)
array colour[6] = ['black', '#1f4e9c', '#b2182b', '#4d9221', '#e08214', '#8073ac']
array ptype[6] = [7, 5, 9, 11, 13, 15]
c(i) = colour[(i - 1) % 6 + 1]
pt(i) = ptype[(i - 1) % 6 + 1]
