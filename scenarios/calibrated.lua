-- The values of the parameters the paper does not give, as fitted by `make calibrate`
-- (scenarios/calibrate.lua, seed and grid in results/calibration/meta; every point and
-- its residuals in results/calibration/search.csv).  Every paper scenario starts from
-- these.  Edit by hand to try other values; `make calibrate` overwrites this file.
-- Final loss 0.216415.
return {
  worm = { local_bits = 16, near_bits = 12, activation = 1.0, activation_cv = 0.3 },
  smc = { report_period = 0.1, report_max = 6 },
}
