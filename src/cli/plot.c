/* plot.c — `vmitn plot` and `vmitn topo`. */
#include "vmitn/plot.h"

#include <stdio.h>

#include "vmitn/util.h"

int vmitn_plot(const char *dir, const char *out)
{
    (void)out;
    fprintf(stderr, "vmitn: plot %s: not yet\n", dir);
    return VMITN_EXIT_USAGE;
}

int vmitn_topo_draw(const char *spec, const char *out)
{
    (void)out;
    fprintf(stderr, "vmitn: topo %s: not yet\n", spec);
    return VMITN_EXIT_USAGE;
}
