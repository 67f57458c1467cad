/* version.c — the commit vmitn was built from (the Makefile passes it; "unknown" when the
 * build had no git or no repository). */
#include "vmitn/version.h"

#ifndef VMITN_COMMIT
#define VMITN_COMMIT "unknown"
#endif

const char *vmitn_commit(void) { return VMITN_COMMIT; }
