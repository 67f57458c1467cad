-- The values of the parameters the paper does not give, as fitted by `make calibrate`
-- (scripts/calibrate.sh, scenarios/calibrate.lua); the search and its residuals are in
-- results/calibration/.  Every paper scenario starts from these.  Edit by hand to try
-- other values; `make calibrate` overwrites this file.
return {
  worm = { local_bits = 8, near_bits = 10.5, activation = 1.2, activation_cv = 0.3 },
  smc = { report_period = 0.1, report_max = 4 },
  fes = { clean = 10 },
}
