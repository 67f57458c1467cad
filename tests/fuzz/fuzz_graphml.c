/* fuzz_graphml.c — the GraphML topology loader (igraph's reader, vmitn's line map and
 * every check of src/net/topo_graphml.c and topo.c): any file gives a topology or a message, nothing else. */
#include <string.h>

#include "fuzz.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".graphml");
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    int rc = vmitn_topo_load(path, &t, err, sizeof err);
    if ((rc == 0) != (t != NULL) || (rc != 0 && err[0] == '\0'))
        abort(); /* a result and no topology, or an error without a message */
    if (t != NULL) {
        /* routes between every pair of hosts must be computable */
        unsigned n = vmitn_topo_nhosts(t);
        for (unsigned a = 0; a < n && a < 16; a++) {
            if (vmitn_topo_host(t, a).lan < 0)
                continue;
            for (unsigned b = 0; b < n && b < 16; b++) {
                vmitn_route r;
                vmitn_topo_route(t, a, vmitn_topo_host(t, b).addr, &r);
                if (r.delay < 0)
                    abort();
            }
        }
        vmitn_topo_free(t);
    }
    return 0;
}
