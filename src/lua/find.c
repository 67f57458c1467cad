/* find.c — finding scenarios: a name or path to a scenario file (here, then the data
 * folder) and "no such scenario" with the nearest name. */
#include "vmitn/scenario_internal.h"

#include <dirent.h>
#include <stdlib.h>

#include "vmitn/paths.h"
#include "vmitn/suggest.h"

char *vmitn_scenario_path(const char *name)
{
    struct stat st;
    if (stat(name, &st) == 0 && S_ISREG(st.st_mode))
        return vmitn_xstrdup(name);
    if (strchr(name, '/') != NULL)
        return NULL;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s.lua", name);
    const char *here[] = {"scenarios"};
    return vmitn_find_file(buf, here, 1, "scenarios");
}

/* Adds the scenario names (NAME of NAME.lua) of dir to *v. */
static void scenario_names(const char *dir, char ***v, size_t *n)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".lua") == 0 && e->d_name[0] != '.') {
            *v = vmitn_xrealloc(*v, (*n + 1) * sizeof **v);
            (*v)[(*n)++] = vmitn_xstrdup(e->d_name);
            (*v)[*n - 1][len - 4] = '\0';
        }
    }
    closedir(d);
}

/* "no such scenario", with the nearest scenario name when one is close. */
void vmitn_lua_no_scenario(const char *name)
{
    char **v = NULL, data[4200];
    size_t n = 0;
    scenario_names("scenarios", &v, &n);
    if (vmitn_data_dir() != NULL) {
        snprintf(data, sizeof data, "%s/scenarios", vmitn_data_dir());
        scenario_names(data, &v, &n);
    }
    const char *near = vmitn_suggest(name, (const char *const *)v, n);
    fprintf(stderr, "vmitn: %s: no such scenario file (nor scenarios/%s.lua here%s%s)", name, name,
            vmitn_data_dir() ? " or in " : "", vmitn_data_dir() ? vmitn_data_dir() : "");
    if (near != NULL)
        fprintf(stderr, "; did you mean '%s'?", near);
    fputs(" (see 'vmitn list')\n", stderr);
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
