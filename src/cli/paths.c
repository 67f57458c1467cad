/* paths.c — the data folder of an installed or in-tree vmitn, and file look-up in a list
 * of folders then in it. */
#define _DEFAULT_SOURCE /* readlink, realpath */
#include "vmitn/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmitn/util.h"

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *vmitn_data_dir(void)
{
    static char dir[PATH_MAX]; /* found once: where the binary is does not change */
    static int done;
    if (done)
        return dir[0] ? dir : NULL;
    done = 1;
    const char *env = getenv("VMITN_DATA");
    if (env != NULL && *env) {
        snprintf(dir, sizeof dir, "%s", env);
        return dir;
    }
    char exe[PATH_MAX - 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0'; /* exe is now the binary's folder */
    char cand[PATH_MAX];
    static const char *const rel[] = {"/../share/vmitn", "/../.."}; /* installed; build/rel/vmitn */
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(cand, sizeof cand, "%s%s/scenarios", exe, rel[i]);
        if (!is_dir(cand))
            continue;
        snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
        if (realpath(cand, dir) == NULL)
            memcpy(dir, cand, sizeof dir - 1); /* both hold a path of at most PATH_MAX */
        return dir;
    }
    return NULL;
}

char *vmitn_find_file(const char *rel, const char *const *dirs, int ndirs, const char *sub)
{
    if (rel[0] == '/')
        return is_file(rel) ? vmitn_xstrdup(rel) : NULL;
    char p[PATH_MAX * 2];
    for (int i = 0; i < ndirs; i++) {
        if (dirs[i] == NULL)
            continue;
        snprintf(p, sizeof p, "%s/%s", dirs[i], rel);
        if (is_file(p))
            return vmitn_xstrdup(p);
    }
    const char *data = vmitn_data_dir();
    if (data != NULL) {
        snprintf(p, sizeof p, "%s%s%s/%s", data, *sub ? "/" : "", sub, rel);
        if (is_file(p))
            return vmitn_xstrdup(p);
    }
    return NULL;
}
