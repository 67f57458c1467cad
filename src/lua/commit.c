/* commit.c — the results folder and the --pcap captures go in place all together or not
 * at all: existing destinations refused unless --force (and then only what vmitn wrote),
 * everything fsync'ed, then swapped in one step each, swapped back if any step fails. */
#include "vmitn/scenario_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

#include "vmitn/pcapio.h"

/* An existing results folder is kept unless force is set, and even then only one that
 * vmitn wrote (it holds meta) is replaced.  0 to go on, or -1 after the message. */
int vmitn_lua_refuse_existing(const char *dir, bool force)
{
    struct stat st;
    char meta[4200];
    if (lstat(dir, &st) != 0)
        return 0;
    snprintf(meta, sizeof meta, "%s/meta", dir);
    if (!force) {
        fprintf(stderr, "vmitn: %s exists: choose another --out, or --force to replace it\n", dir);
        return -1;
    }
    if (!S_ISDIR(st.st_mode) || lstat(meta, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "vmitn: %s exists and is not a folder vmitn wrote (no meta): not replacing it, even with --force\n", dir);
        return -1;
    }
    return 0;
}

/* True for a folder vmitn may replace: empty, or holding a vmitn results folder's meta. */
static bool replaceable(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    bool empty = true;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = false;
    closedir(d);
    if (empty)
        return true;
    char path[4200], line[16] = "";
    snprintf(path, sizeof path, "%s/meta", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    bool ok = fgets(line, sizeof line, f) != NULL && strncmp(line, "scenario = ", 11) == 0;
    fclose(f);
    return ok;
}

/* Puts the finished temporary folder in place of OUT/NAME: its files are fsync'ed, then
 * the two names are swapped in one step (so OUT/NAME is never missing) and the old folder
 * goes.  A regular file, or a folder that holds no vmitn results, is never replaced.
 * Returns a VMITN_EXIT_* code after printing any message. */
static int commit(runner *r, const char *out_dir)
{
    if (vmitn_fsync_tree(r->tmp) != 0) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", r->tmp, strerror(errno));
        return VMITN_EXIT_IO;
    }
    struct stat st;
    int rc;
    if (lstat(r->final, &st) != 0) {
        rc = rename(r->tmp, r->final);
    } else if (S_ISDIR(st.st_mode) && !replaceable(r->final)) {
        fprintf(stderr, "vmitn: %s: exists and holds no vmitn results (no meta): remove it or choose another --out\n",
                r->final);
        return VMITN_EXIT_IO;
    } else if (!S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
        fprintf(stderr, "vmitn: %s: exists and is not a folder: remove it or choose another --out\n", r->final);
        return VMITN_EXIT_IO;
    } else if ((rc = vmitn_rename_exchange(r->tmp, r->final)) != 0 && (errno == EINVAL || errno == ENOSYS)) {
        /* a file system without RENAME_EXCHANGE: two renames, the old folder kept until the
         * new one is in place (it is a .NAME.tmp.PID folder, removed by the next run) */
        char old[4096];
        snprintf(old, sizeof old, "%.4080s.old", r->tmp);
        rc = rename(r->final, old);
        if (rc == 0 && (rc = rename(r->tmp, r->final)) != 0)
            rename(old, r->final);
        if (rc == 0) {
            vmitn_cleanup_remove(r->tmp);
            snprintf(r->tmp, sizeof r->tmp, "%s", old);
            vmitn_cleanup_add(r->tmp);
        }
    }
    if (rc != 0) {
        fprintf(stderr, "vmitn: %s: cannot create: %s\n", r->final, strerror(errno));
        return VMITN_EXIT_IO;
    }
    /* r->tmp now names the old folder (or nothing): exec removes it */
    char out[4096];
    snprintf(out, sizeof out, "%s", out_dir);
    if (vmitn_fsync_path(out) != 0) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", out, strerror(errno));
        return VMITN_EXIT_IO;
    }
    return VMITN_EXIT_OK;
}

/* --pcap DIR: an existing DIR/NAME holding anything (but hidden temporaries) is kept
 * unless force is set, as OUT/NAME is.  0 to go on, or -1 after the message. */
int vmitn_lua_refuse_pcap(const vmitn_run_opts *o, const char *name)
{
    char dir[4300];
    snprintf(dir, sizeof dir, "%.4000s/%s", o->pcap_dir, name);
    struct stat st;
    if (o->force || lstat(dir, &st) != 0)
        return 0;
    bool used = !S_ISDIR(st.st_mode);
    DIR *d = used ? NULL : opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        used |= e->d_name[0] != '.';
    if (d != NULL)
        closedir(d);
    if (!used)
        return 0;
    fprintf(stderr, "vmitn: %s exists: choose another --pcap folder, or --force to replace its captures\n", dir);
    return -1;
}

/* Puts a staged folder in place of final: renamed when final is absent, else swapped in
 * one step (staged then holds the old folder), else (a file system without
 * RENAME_EXCHANGE) final moved to old first.  Returns how (for swap_back), or -1. */
enum { SWAP_RENAMED = 1, SWAP_EXCHANGED, SWAP_MOVED };
static int swap_in(const char *staged, const char *final, const char *old)
{
    struct stat st;
    if (lstat(final, &st) != 0)
        return rename(staged, final) == 0 ? SWAP_RENAMED : -1;
    if (vmitn_rename_exchange(staged, final) == 0)
        return SWAP_EXCHANGED;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (rename(final, old) != 0)
        return -1;
    if (rename(staged, final) != 0) {
        int e = errno;
        rename(old, final);
        errno = e;
        return -1;
    }
    return SWAP_MOVED;
}

static void swap_back(int how, const char *staged, const char *final, const char *old)
{
    if (how == SWAP_EXCHANGED) {
        vmitn_rename_exchange(staged, final);
        return;
    }
    rename(final, staged);
    if (how == SWAP_MOVED)
        rename(old, final);
}

/* Puts the run's results and captures in place, once the scenario has succeeded and its
 * Lua state is closed: every destination is checked again (one may have appeared while
 * the scenario ran), everything is fsync'ed, then each experiment's capture set and the
 * results folder are swapped in; if any step fails, the sets already swapped go back and
 * nothing of the run is left.  Returns a VMITN_EXIT_* code after printing any message. */
int vmitn_lua_commit_all(runner *r, const char *out)
{
    struct stat st;
    if (lstat(r->final, &st) == 0 && vmitn_lua_refuse_existing(r->final, r->o->force) < 0) /* appeared while we ran */
        return VMITN_EXIT_IO;
    size_t n = r->pcap_tmp[0] ? r->nlabels : 0, done = 0;
    int *how = vmitn_xcalloc(n + 1, sizeof *how);
    char parent[4096], staged[4300], final[4300], old[4300], err[VMITN_ERRLEN];
    snprintf(parent, sizeof parent, "%.3900s/%s", r->o->pcap_dir ? r->o->pcap_dir : ".", r->name);
    int code = VMITN_EXIT_OK;
    /* only the experiments that succeeded: one whose error a pcall caught has no results */
#define STAGED(i) (snprintf(staged, sizeof staged, "%s/%s", r->pcap_tmp, r->labels[i]), lstat(staged, &st) == 0)
    for (size_t i = 0; i < n && code == VMITN_EXIT_OK; i++) {
        snprintf(final, sizeof final, "%s/%s", parent, r->labels[i]);
        if (STAGED(i) && vmitn_pcap_dest_check(final, r->o->force, err, sizeof err) < 0) {
            fprintf(stderr, "vmitn: --pcap: %s\n", err);
            code = VMITN_EXIT_IO;
        }
    }
    if (code == VMITN_EXIT_OK && (vmitn_fsync_tree(r->tmp) != 0 || (n > 0 && vmitn_fsync_tree(r->pcap_tmp) != 0))) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", r->tmp, strerror(errno));
        code = VMITN_EXIT_IO;
    }
    for (; done < n && code == VMITN_EXIT_OK; done++) {
        if (!STAGED(done))
            continue;
        snprintf(final, sizeof final, "%s/%s", parent, r->labels[done]);
        snprintf(old, sizeof old, "%s/.%s", r->pcap_tmp, r->labels[done]); /* a label never starts with '.' */
        if ((how[done] = swap_in(staged, final, old)) < 0) {
            fprintf(stderr, "vmitn: --pcap: %s: cannot create: %s\n", final, strerror(errno));
            code = VMITN_EXIT_IO;
            break;
        }
    }
    if (code == VMITN_EXIT_OK && n > 0 && vmitn_fsync_path(parent) != 0) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", parent, strerror(errno));
        code = VMITN_EXIT_IO;
    }
    if (code == VMITN_EXIT_OK)
        code = commit(r, out);
    if (code != VMITN_EXIT_OK)
        for (size_t i = done; i-- > 0;)
            if (how[i] > 0) {
                STAGED(i);
                snprintf(final, sizeof final, "%s/%s", parent, r->labels[i]);
                snprintf(old, sizeof old, "%s/.%s", r->pcap_tmp, r->labels[i]);
                swap_back(how[i], staged, final, old);
            }
#undef STAGED
    free(how);
    return code;
}
