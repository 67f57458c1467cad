# The estimate of one quantity pooled over every run of every 20-run set (the columns pooled_*
# of a scenario's compare.csv, as REPORT.md's "Estimates pooled over every set" shows them).
# Needs: cmp (a compare.csv), cmpq (the start of the quantity's text).  Sets pool_mean,
# pool_lo, pool_hi (its 95 % t interval) and pool_n (the runs); NaN and 0 when the file, its
# pooled columns or the row are not there (a run with sets = 0 pools nothing).
# Draw it as `'+' using (pool_mean):(Y):(pool_lo):(pool_hi) every ::0::0 with xerrorbars`
# after copying the values (a second load overwrites them).
pool_mean = NaN; pool_lo = NaN; pool_hi = NaN; pool_n = 0
pool_q = ''; do for [i=1:strlen(cmp)] { c = cmp[i:i]; pool_q = pool_q.(c eq "'" ? "'\\''" : c) }   # quoted for sh
pool_cols = system("[ -r '".pool_q."' ] && head -1 '".pool_q."' | grep -q pooled_n && echo yes") eq 'yes'
if (pool_cols) {
    stats cmp using (strstrt(strcol("quantity"), cmpq) == 1 && column("pooled_n") > 0 ? (pool_mean = column("pooled_mean"), pool_lo = column("pooled_ci95_lo"), \
                                   pool_hi = column("pooled_ci95_hi"), pool_n = column("pooled_n"), 0) : 0) nooutput
}
