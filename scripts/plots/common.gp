# Settings shared by the VMITN plots; loaded by each <name>.gp after it sets `name`.
# Inputs (gnuplot -e): dir = results directory (default 'results'),
#   fmt = 'png' or 'svg' (default 'png'), out = output file (default dir/plots/<name>.<fmt>),
#   height = the canvas height in pixels (default 540; 900 wide).
if (!exists("dir")) dir = 'results'
if (!exists("fmt")) fmt = 'png'
if (!exists("out")) out = dir.'/plots/'.name.'.'.fmt
if (!exists("height")) height = 540   # a plot with its key below sets more
if (fmt eq 'svg') {
    set terminal svg size 900,height fixed font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,height font 'Sans,12' background rgb 'white'
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
