/* hostnames.c — the FES hosts of a topology as a short list, for the messages that refuse
 * a host name ("no FES host named 'L9-9' in the topology (FES hosts: ...)"). */
#include <stdio.h>
#include <string.h>

#include "vmitn/topo.h"

#define SHOWN 8 /* names listed before "and N more" */

void vmitn_topo_fes_list(const vmitn_topo *t, char *buf, size_t n)
{
    unsigned nfes = 0, shown = 0;
    size_t len = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++) {
        if (vmitn_topo_host(t, i).kind != VMITN_HOST_FES)
            continue;
        nfes++;
        if (shown < SHOWN && len < n) {
            char nb[VMITN_TOPO_NAMEBUF];
            int k = snprintf(buf + len, n - len, "%s%s", shown ? ", " : "", vmitn_topo_host_name(t, i, nb));
            len += k > 0 ? (size_t)k : 0;
            shown++;
        }
    }
    if (len >= n)
        len = n - 1;
    if (nfes == 0)
        snprintf(buf, n, "the topology has no FES host");
    else if (nfes > shown)
        snprintf(buf + len, n - len, ", and %u more: %u in all", nfes - shown, nfes);
}
