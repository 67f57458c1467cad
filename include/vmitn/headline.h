/* headline.h — the few lines `vmitn run` prints per experiment, from the summary it wrote. */
#ifndef VMITN_HEADLINE_H
#define VMITN_HEADLINE_H

#include <stdbool.h>
#include <stdio.h>

/* Prints the headline of results folder dir (one scenario's: meta, LABEL.summary.csv,
 * LABEL.curve.csv) to out: one line per experiment with a summary (peak infected, how many
 * runs saw every host infected, the learning and cleaning times, each mean with its 95 %
 * CI), or with json one JSON document holding the same numbers unrounded.  Every number
 * comes from the files; an experiment without a summary is left out.  Returns a
 * VMITN_EXIT_* code (VMITN_EXIT_IO after a message when meta cannot be read). */
int vmitn_headline(const char *dir, bool json, FILE *out);

#endif
