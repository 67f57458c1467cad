/* paths.h — where vmitn finds its data (scenarios, topologies, plot scripts) when a file
 * is not beside the scenario: the installed data folder. */
#ifndef VMITN_PATHS_H
#define VMITN_PATHS_H

/* Where run and sweep write without --out (never the committed results/, which only
 * `make reproduce` writes, with --out results --force). */
#define VMITN_DEFAULT_OUT "vmitn-out"

/* The data folder: $VMITN_DATA if set, else PREFIX/share/vmitn for an installed binary
 * (PREFIX/bin/vmitn), else the source tree of a binary built in it (build/ * /vmitn).
 * NULL if none holds scenarios/.  A static string. */
const char *vmitn_data_dir(void);

/* Looks for rel in each folder of dirs (NULL-terminated; NULL entries skipped) and then
 * in DATA/sub (sub may be ""), returning the first existing regular file as a malloc'd
 * path, or NULL.  An absolute rel is returned as is if it exists. */
char *vmitn_find_file(const char *rel, const char *const *dirs, int ndirs, const char *sub);

#endif
