/* version.h — the vmitn version and the commit it was built from, written into every
 * run's meta file and printed by --version. */
#ifndef VMITN_VERSION_H
#define VMITN_VERSION_H
#define VMITN_VERSION "0.1.0"

/* The git commit of the build ("abc123def456", "-dirty" appended when the tree had
 * uncommitted changes), or "unknown".  A static string. */
const char *vmitn_commit(void);
#endif
