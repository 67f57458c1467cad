# Axes from the data, not from the paper's setup: `hosts` = the FES hosts of the topology
# (healthy + infected + down on the curve's first row, which is every FES host) and `tmax`
# = the run's duration (the curve's last time).  Set either beforehand (gnuplot -e) to
# override.  Needs: curve (a LABEL.curve.csv).  Sets the x and y ranges and tics.
if (!exists("hosts")) {
    stats curve using (column("healthy_mean") + column("infected_mean") + column("down_mean")) every ::0::0 nooutput
    hosts = int(STATS_max + 0.5)
}
if (!exists("tmax")) {
    stats curve using (column("t")) nooutput
    tmax = STATS_max
}
set xrange [0:tmax]
set yrange [-0.03 * hosts - 0.1:hosts * 1.08 + 0.1]   # zero lines stay visible above the x axis
if (hosts <= 12) { set ytics 0,1,hosts } else { set ytics autofreq }
# a 95 % CI band of a host count stays within [0, hosts]: the normal approximation runs past
clip(v) = v < 0 ? 0 : (v > hosts ? hosts : v)
