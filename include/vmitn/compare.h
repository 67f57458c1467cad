/* compare.h — `vmitn compare` (regression check of results against a reference) and
 * `vmitn report` (results/REPORT.md from the scenarios' comparison tables). */
#ifndef VMITN_COMPARE_H
#define VMITN_COMPARE_H

#include <stdio.h>

enum vmitn_compare_format { VMITN_COMPARE_TEXT, VMITN_COMPARE_JSON, VMITN_COMPARE_JUNIT };

typedef struct vmitn_compare_opts {
    double z;                           /* band width in standard errors */
    enum vmitn_compare_format format;   /* what goes to out */
    const char *junit;                  /* if not NULL, a JUnit XML report is also written there */
} vmitn_compare_opts;

/* Compares every experiment of `ref` (a results folder, or one scenario's folder: it has
 * meta) with NEW's: every scenario, experiment, file, column and row of REF must be in
 * NEW, and NEW's values, CIs and worst runs must lie within the bands.  Every CSV of
 * either side is read strictly (vmitn/csv.h).  Prints the differences and a summary to
 * out in the chosen format; a seed that differs is a warning; a damaged file is also
 * printed on stderr as "vmitn: FILE:LINE: reason".  Returns VMITN_EXIT_OK,
 * VMITN_EXIT_CHECK when something differs or is missing, VMITN_EXIT_INPUT when a file of
 * either side is damaged (or nothing to compare), or VMITN_EXIT_IO (a folder cannot be
 * read). */
int vmitn_compare(const char *ref, const char *now, const vmitn_compare_opts *opts, FILE *out);

/* Writes DIR/REPORT.md from DIR/<scenario>/compare.csv, DIR/calibration/ and
 * DIR/plots/, whole or not at all (a temporary file renamed on success).  Returns
 * VMITN_EXIT_OK; VMITN_EXIT_INPUT when DIR is no results folder, one scenario's folder,
 * holds no comparison table, or a table is damaged (one message naming file and line);
 * VMITN_EXIT_IO when DIR cannot be opened or REPORT.md written. */
int vmitn_report(const char *dir);

#endif
