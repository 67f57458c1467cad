#!/bin/sh
# make calibrate: re-fits the parameters the paper does not give, writes the search to
# results/calibration/, and makes the fitted values the scenarios' defaults.
set -eu
cd "$(dirname "$0")/.."
# every measurement's runs on every core unless JOBS=N; the files are the same for any N
./vmitn run calibrate --out results --seed 1 --force ${JOBS:+--jobs $JOBS}
cp results/calibration/fitted.lua scenarios/calibrated.lua
echo "calibration: fitted values in scenarios/calibrated.lua; search and residuals in results/calibration/"
