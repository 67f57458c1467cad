/* csv.h — the one strict reader of the CSV files vmitn writes (results, sweeps, reports),
 * shared by compare, report and plot.  A file that is not what a writer writes (a row
 * with the wrong number of fields, a cell that is not a number, a key seen twice, a last
 * line cut short) is an error naming the file, its line and the column: damaged data
 * never passes as "missing value". */
#ifndef VMITN_CSV_H
#define VMITN_CSV_H

#include <stddef.h>
#include <stdint.h>

typedef struct vmitn_csv {
    char *path;      /* as given to read, for messages */
    int ncol;        /* header fields, >= 1 */
    char **head;     /* the header's names, all different */
    size_t nrow;     /* data rows */
    char **cell;     /* nrow x ncol, row-major; every cell a string ("" for an empty field) */
    unsigned *line;  /* the file line each row starts on (the header is line 1) */
    char *arena;     /* the storage of every name and cell */
} vmitn_csv;

/* Files above this size are refused (the biggest a run writes is a few MB). */
#define VMITN_CSV_MAX ((size_t)256 << 20)

/* Reads PATH whole: a header line of distinct names, then rows of exactly as many fields;
 * fields may be double-quoted ("" for a quote; a quoted field may hold commas and line
 * breaks).  Every line ends with a newline (a missing one is a file cut short); no empty
 * line, no NUL byte, nothing after a closing quote.  Only a regular file is opened (never
 * waits on a FIFO).  Returns 0 with *t filled (free it with vmitn_csv_free), or
 * -VMITN_EIO (cannot open or read: "PATH: cannot open: reason") or -VMITN_EINPUT
 * ("PATH:LINE: reason"; "PATH: empty" for a file without even a header line), with the
 * message in err (VMITN_ERRLEN bytes) and *t empty. */
int vmitn_csv_read(const char *path, vmitn_csv *t, char *err);

/* The same from memory: name is used in messages only. */
int vmitn_csv_parse(const char *name, const char *text, size_t len, vmitn_csv *t, char *err);

void vmitn_csv_free(vmitn_csv *t);

/* The index of column name, or -1. */
int vmitn_csv_col(const vmitn_csv *t, const char *name);

static inline const char *vmitn_csv_at(const vmitn_csv *t, size_t r, int c) { return t->cell[r * (size_t)t->ncol + (size_t)c]; }

/* Cell (r, c) as a number: a decimal number as printf's %g writes it (inf allowed; no
 * spaces, no hex, no "nan"), or NA (NaN in *x) when na_ok.  0, or -VMITN_EINPUT with
 * "PATH:LINE: column 'NAME': 'abc' is not a number" (or "... is NA") in err. */
int vmitn_csv_num(const vmitn_csv *t, size_t r, int c, int na_ok, double *x, char *err);

/* The kinds of files a results folder holds, by name: LABEL.curve.csv (t then numbers),
 * LABEL.runs.csv (run then numbers), LABEL.summary.csv (metric, then numbers), anything
 * else (only the structure is checked). */
enum vmitn_csv_kind { VMITN_CSV_OTHER, VMITN_CSV_CURVE, VMITN_CSV_RUNS, VMITN_CSV_SUMMARY };
enum vmitn_csv_kind vmitn_csv_kind_of(const char *file);

/* Checks the rules of a results file of that kind, as src/model/metrics.c writes it:
 * curve: every cell a number or NA, t never NA and no grid time twice; runs: every cell a
 * number or NA, run a whole number >= 0 and no run twice; summary: metric never empty
 * and no metric twice, n and missing whole numbers, the rest numbers or NA.  A missing
 * key column (t, run, metric) is not an error here (the caller reports a missing
 * column).  0 or -VMITN_EINPUT with "PATH:LINE: ..." in err. */
int vmitn_csv_check(const vmitn_csv *t, enum vmitn_csv_kind kind, char *err);

/* read + check. */
int vmitn_csv_read_results(const char *path, enum vmitn_csv_kind kind, vmitn_csv *t, char *err);

#endif
