/* html.h — `vmitn report DIR --html`: DIR/REPORT.html, one self-contained page (no
 * network, scripts and styles inline) with every experiment's headline numbers, plots and
 * runs, the paper's rows where DIR holds paper scenarios, and each outbreak replayed over
 * its topology (laid out by Graphviz's dot) from the event logs (LABEL.events.csv). */
#ifndef VMITN_HTML_H
#define VMITN_HTML_H

/* Writes DIR/REPORT.html whole or not at all; DIR is one scenario's results folder or a
 * folder of them.  The same folder gives the same bytes.  Returns a VMITN_EXIT_* code,
 * with one message on stderr naming the file (and line) at fault. */
int vmitn_report_html(const char *dir);

/* html_data.c: the page's style and script, line by line (NULL-terminated). */
extern const char *const vmitn_html_style[], *const vmitn_html_script[];

#endif
