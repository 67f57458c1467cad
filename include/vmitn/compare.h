/* compare.h — `vmitn compare` (regression check of results against a reference) and
 * `vmitn report` (results/REPORT.md from the scenarios' comparison tables). */
#ifndef VMITN_COMPARE_H
#define VMITN_COMPARE_H

#include <stdio.h>

/* Compares the experiments under `now` (a results folder, or one scenario's folder)
 * with those of the same name under `ref`.  Prints each difference beyond its band and
 * a summary line to out.  Returns VMITN_EXIT_OK, VMITN_EXIT_CHECK when something
 * differs, or VMITN_EXIT_IO / VMITN_EXIT_INPUT. */
int vmitn_compare(const char *ref, const char *now, double z, FILE *out);

/* Writes DIR/REPORT.md from DIR/<scenario>/compare.csv, DIR/calibration/ and
 * DIR/plots/.  Returns a VMITN_EXIT_* code. */
int vmitn_report(const char *dir);

#endif
