/* shared.c — what the defences share: their random streams and their host lists (apart
 * from registry.c, which names every row: a defence using these does not depend on the
 * table that lists it). */
#include "vmitn/model_internal.h"

#include <string.h>

#include "vmitn/util.h"

vmitn_rng *vmitn_defence_rng(const vmitn_model *m, const vmitn_module *d, uint32_t entity)
{
    vmitn_assert(d->id < 32);
    return vmitn_rng_new(m->seed, m->run, VMITN_STREAM(VMITN_STREAM_DEFENCE + d->id, entity));
}

int vmitn_defence_hosts(const vmitn_topo *t, const char *list, const char *param, bool *mask, char *err,
                        size_t errlen)
{
    (void)errlen;
    unsigned n = vmitn_topo_nhosts(t);
    if (list[0] == '\0') {
        for (unsigned i = 0; i < n; i++)
            if (mask)
                mask[i] = vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
        return 0;
    }
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        char name[VMITN_NAME_MAX];
        if (len == 0 || len >= sizeof name)
            return vmitn_fail(err, VMITN_EINPUT, "%s: '%s' is not a comma-separated list of host names", param, list);
        memcpy(name, p, len);
        name[len] = '\0';
        int h = vmitn_topo_find_name(t, name);
        if (h < 0 || vmitn_topo_host(t, (unsigned)h).kind != VMITN_HOST_FES) {
            char hosts[300];
            vmitn_topo_fes_list(t, hosts, sizeof hosts);
            return vmitn_fail(err, VMITN_EINPUT, "%s: no FES host named '%s' in the topology (FES hosts: %s)", param,
                              name, hosts);
        }
        if (mask)
            mask[h] = true;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

int vmitn_fes_host_check(const vmitn_topo *t, const char *what, const char *name, char *err)
{
    int h = vmitn_topo_find_name(t, name);
    if (h >= 0 && vmitn_topo_host(t, (unsigned)h).kind == VMITN_HOST_FES)
        return 0;
    char list[300];
    vmitn_topo_fes_list(t, list, sizeof list);
    return vmitn_fail(err, VMITN_EINPUT, "%s: no FES host named '%s' in the topology (FES hosts: %s)", what, name, list);
}
