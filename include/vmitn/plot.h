/* plot.h — `vmitn plot DIR` (gnuplot) and `vmitn topo FILE` (Graphviz dot). */
#ifndef VMITN_PLOT_H
#define VMITN_PLOT_H

/* Draws every experiment of a results folder (one scenario's, or a folder of them) and
 * the paper's figures found there (a sweep folder: each metric against the swept parameter), as PNG and SVG in out (NULL: DIR/plots).  Each image
 * is written whole or not at all.  Returns a VMITN_EXIT_* code; messages on stderr. */
int vmitn_plot(const char *dir, const char *out);

/* Draws the experiments that n (>= 2) scenario folders share, one image each in out: every
 * folder's mean and 95 % CI on one axis, labelled by the meta parameters that differ.
 * Returns a VMITN_EXIT_* code (VMITN_EXIT_INPUT when a folder is not one scenario's, or
 * they share no experiment); messages on stderr. */
int vmitn_plot_variants(const char *const *dirs, int n, const char *out);

/* Writes topology spec (a GraphML file or generate:S:H:F) as Graphviz dot to out (NULL:
 * stdout; FILE.svg / FILE.png through Graphviz's dot).  Returns a VMITN_EXIT_* code. */
int vmitn_topo_draw(const char *spec, const char *out);

#endif
