/* util.c — allocation, error messages, IPv4 and CSV text helpers, durable writes, and
 * the interrupt flag with its watchdog, shared by every module. */
#define _GNU_SOURCE /* syscall(SYS_getdents64): the emergency cleanup may not call opendir */
#include "vmitn/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- emergency cleanup: only async-signal-safe calls below ---- */

#define CLEANUP_MAX 16
static struct {
    volatile sig_atomic_t used; /* set after path is written, cleared before it changes */
    pid_t pid;                  /* who registered it: a forked worker must not remove it */
    char path[4096];
} cleanup[CLEANUP_MAX];

/* Removes name (relative to dirfd) and, if it is a folder, everything under it, without
 * following symbolic links.  True when name is gone. */
static bool raw_remove(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0)
        return true;
    if (depth > 32)
        return false;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0)
        return false;
    char buf[4096];
    /* entries go while the folder is listed: list again while a pass removed anything */
    for (bool progress = true; progress;) {
        progress = false;
        lseek(fd, 0, SEEK_SET);
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
            for (long off = 0; off < n;) {
                /* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
                unsigned short reclen;
                memcpy(&reclen, buf + off + 16, sizeof reclen);
                const char *dn = buf + off + 19;
                if (strcmp(dn, ".") != 0 && strcmp(dn, "..") != 0 && raw_remove(fd, dn, depth + 1))
                    progress = true;
                off += reclen;
            }
    }
    close(fd);
    return unlinkat(dirfd, name, AT_REMOVEDIR) == 0;
}

static void run_cleanup(void)
{
    pid_t me = getpid();
    for (int i = 0; i < CLEANUP_MAX; i++)
        if (cleanup[i].used && cleanup[i].pid == me)
            raw_remove(AT_FDCWD, cleanup[i].path, 0);
}

/* the child vmitn_run_child waits for (gnuplot, dot): an emergency exit ends it first */
static volatile pid_t running_child;

static _Noreturn void emergency_exit(int code)
{
    pid_t child = running_child;
    if (child > 0)
        kill(child, SIGKILL);
    run_cleanup();
    _exit(code);
}

void vmitn_cleanup_add(const char *path)
{
    for (int i = 0; i < CLEANUP_MAX; i++)
        if (!cleanup[i].used) {
            snprintf(cleanup[i].path, sizeof cleanup[i].path, "%s", path);
            cleanup[i].pid = getpid();
            cleanup[i].used = 1;
            return;
        }
    vmitn_panic(__FILE__, __LINE__, "more than 16 temporary paths registered");
}

void vmitn_cleanup_remove(const char *path)
{
    pid_t me = getpid();
    for (int i = 0; i < CLEANUP_MAX; i++)
        if (cleanup[i].used && cleanup[i].pid == me && strcmp(cleanup[i].path, path) == 0) {
            cleanup[i].used = 0;
            return;
        }
}

/* ---- interrupts ---- */

static volatile sig_atomic_t interrupted;

static void on_watchdog(int sig)
{
    (void)sig;
    static const char msg[] = "vmitn: interrupted: nothing was written\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
        /* nothing to do: we are leaving */
    }
    emergency_exit(VMITN_EXIT_INTERRUPTED);
}

static void on_interrupt(int sig)
{
    if (sig == SIGPIPE) {
        /* a reader that went away (`vmitn list | head`): with no temporary to remove,
         * end as a pipe's writer always has, silently */
        bool any = false;
        pid_t me = getpid();
        for (int i = 0; i < CLEANUP_MAX; i++)
            any |= cleanup[i].used && cleanup[i].pid == me;
        if (!any) {
            signal(SIGPIPE, SIG_DFL);
            raise(SIGPIPE); /* delivered when this handler returns */
            return;
        }
    }
    if (interrupted)
        on_watchdog(sig); /* a second Ctrl-C: leave now */
    interrupted = 1;
    /* setitimer is a plain system call on Linux (POSIX lists only alarm, whose whole
     * seconds are too coarse for the 1 s promise) */
    struct itimerval it = {.it_value = {.tv_sec = 0, .tv_usec = 500000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

void vmitn_interrupt_install(void)
{
    struct sigaction sa = {.sa_handler = on_interrupt, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    /* every signal whose default action ends the process without a core: each would
     * otherwise leave the temporaries (a closed terminal, a `kill -USR1`, a reader of our
     * output that went away) */
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    struct sigaction wd = {.sa_handler = on_watchdog};
    sigemptyset(&wd.sa_mask);
    sigaction(SIGALRM, &wd, NULL);
}

int vmitn_run_child(char *const argv[])
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(errno == ENOENT ? 127 : 126);
    }
    running_child = pid;
    int st;
    pid_t w;
    while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    running_child = 0;
    if (w < 0 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

bool vmitn_interrupted(void) { return interrupted != 0; }
void vmitn_interrupt_set(bool on) { interrupted = on; }

_Noreturn void vmitn_panic(const char *file, int line, const char *what)
{
    fprintf(stderr, "vmitn: internal error at %s:%d: %s\n", file, line, what);
    abort();
}

/* Out of memory is no bug, and no assertion: a model too big for the machine.  The
 * temporary files go, the exit code is that of bad input. */
static void *check(void *p, size_t n)
{
    if (p == NULL && n != 0) {
        fprintf(stderr, "vmitn: out of memory (%zu bytes more): the model is too big for this machine; nothing was written\n", n);
        emergency_exit(VMITN_EXIT_INPUT);
    }
    return p;
}

void vmitn_too_big(const char *what)
{
    fprintf(stderr, "vmitn: %s: the model is too big for vmitn; nothing was written\n", what);
    emergency_exit(VMITN_EXIT_INPUT);
}

void *vmitn_xmalloc(size_t n) { return check(malloc(n), n); }
void *vmitn_xcalloc(size_t n, size_t size) { return check(calloc(n, size), n * size); }
void *vmitn_xrealloc(void *p, size_t n) { return check(realloc(p, n), n); }
char *vmitn_xstrdup(const char *s) { return check(strdup(s), strlen(s) + 1); }

/* Room for `more` bytes and the NUL after them; the capacity doubles past what is needed. */
static void buf_room(vmitn_buf *b, size_t more)
{
    if (more > (SIZE_MAX - 1) / 2 - b->n)
        check(NULL, more); /* a size past SIZE_MAX: out of memory, as any other */
    if (b->n + more + 1 > b->cap) {
        b->cap = (b->n + more + 1) * 2;
        b->p = vmitn_xrealloc(b->p, b->cap);
    }
}

void vmitn_buf_add(vmitn_buf *b, const void *s, size_t n)
{
    buf_room(b, n);
    if (n > 0)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void vmitn_buf_puts(vmitn_buf *b, const char *s) { vmitn_buf_add(b, s, strlen(s)); }

void vmitn_buf_printf(vmitn_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    vmitn_assert(n >= 0);
    if (b->p == NULL || (size_t)n >= b->cap - b->n) { /* it did not fit: again, with room */
        buf_room(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->n += (size_t)n;
}

void vmitn_buf_reset(vmitn_buf *b)
{
    b->n = 0;
    if (b->p != NULL)
        b->p[0] = '\0';
}

void vmitn_buf_free(vmitn_buf *b)
{
    free(b->p);
    *b = (vmitn_buf){0};
}

char *vmitn_buf_take(vmitn_buf *b)
{
    char *s = b->p != NULL ? b->p : vmitn_xstrdup("");
    *b = (vmitn_buf){0};
    return s;
}

int vmitn_fail(char *err, int code, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, VMITN_ERRLEN, fmt, ap);
        va_end(ap);
    }
    return -code;
}

int vmitn_ip_parse(const char *s, uint32_t *out)
{
    uint32_t ip = 0;
    for (int i = 0; i < 4; i++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned v = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (v > 255 || digits > 3 || (digits > 1 && s[-(int)digits] == '0'))
            return -1; /* a leading zero could mean octal (inet_aton reads 011 as 9): refused */
        ip = (ip << 8) | v;
        if (i < 3 && *s++ != '.')
            return -1;
    }
    if (*s != '\0')
        return -1;
    *out = ip;
    return 0;
}

void vmitn_ip_format(uint32_t ip, char buf[16])
{
    snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255u, (ip >> 8) & 255u, ip & 255u);
}

int vmitn_csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            for (; *p; p++) {
                if (*p == '"' && p[1] == '"')
                    p++;
                else if (*p == '"')
                    break;
                *w++ = *p;
            }
            if (*p == '"')
                p++;
            *w = '\0';
        } else {
            f[n++] = p;
            while (*p && *p != ',' && *p != '\n' && *p != '\r')
                p++;
        }
        if (*p != ',') {
            *p = '\0';
            break;
        }
        *p++ = '\0';
    }
    return n;
}

int vmitn_mkdir_p(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* This machine's name as it goes into temporary names: letters, digits, '-', '_' and
 * '.' only (anything else becomes '_'), at most 64 characters, "localhost" when unknown. */
static const char *host_name(void)
{
    static char host[VMITN_HOSTLEN];
    if (host[0] == '\0') {
        char h[256] = "";
        if (gethostname(h, sizeof h - 1) != 0 || h[0] == '\0')
            snprintf(h, sizeof h, "localhost");
        size_t i = 0;
        for (; h[i] && i < VMITN_HOSTLEN - 1; i++) {
            char c = h[i];
            host[i] = (('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '-' || c == '.')
                          ? c
                          : '_';
        }
        host[i] = '\0';
    }
    return host;
}

void vmitn_tmp_tag(char tag[VMITN_TAGLEN])
{
    snprintf(tag, VMITN_TAGLEN, "%s.%ld", host_name(), (long)getpid());
}

int vmitn_write_atomic(const char *path, const char *text)
{
    char tmp[4200], tag[VMITN_TAGLEN];
    vmitn_tmp_tag(tag);
    snprintf(tmp, sizeof tmp, "%s.tmp.%s", path, tag);
    vmitn_cleanup_add(tmp);
    FILE *f = fopen(tmp, "w");
    size_t len = strlen(text);
    int ok = f != NULL && fwrite(text, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        vmitn_cleanup_remove(tmp);
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", path, strerror(e));
        return -1;
    }
    vmitn_cleanup_remove(tmp);
    return 0;
}

int vmitn_fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    /* some file systems cannot fsync a folder: that is no failure to write */
    return rc != 0 && errno != EINVAL && errno != EROFS ? -1 : 0;
}

void vmitn_dir_of(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(buf, n, ".");
    else if (slash == path)
        snprintf(buf, n, "/");
    else
        snprintf(buf, n, "%.*s", (int)(slash - path), path);
}

int vmitn_write_durable(const char *path, const char *text)
{
    char tmp[4200], dir[4096], tag[VMITN_TAGLEN];
    vmitn_tmp_tag(tag);
    snprintf(tmp, sizeof tmp, "%s.tmp.%s", path, tag);
    vmitn_cleanup_add(tmp);
    FILE *f = fopen(tmp, "w");
    size_t len = strlen(text);
    int ok = f != NULL && fwrite(text, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        vmitn_cleanup_remove(tmp);
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", path, strerror(e));
        return -1;
    }
    vmitn_cleanup_remove(tmp);
    vmitn_dir_of(path, dir, sizeof dir);
    if (vmitn_fsync_path(dir) != 0) {
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", dir, strerror(errno));
        return -1;
    }
    return 0;
}

bool vmitn_safe_name(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || s[0] == '.')
        return false;
    for (; *s; s++)
        if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') || *s == '_' ||
              *s == '-' || *s == '.'))
            return false;
    return true;
}

char *vmitn_csv_cell(const char *s)
{
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\n\r") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
    char *out = vmitn_xmalloc(2 * n + 3), *w = out;
    if (quote)
        *w++ = '"';
    for (; *s; s++) {
        if (*s == '"')
            *w++ = '"';
        *w++ = *s;
    }
    if (quote)
        *w++ = '"';
    *w = '\0';
    return out;
}

char *vmitn_escape_line(const char *s)
{
    char *out = vmitn_xmalloc(4 * strlen(s) + 1), *w = out;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\')
            w += sprintf(w, "\\\\");
        else if (c == '\n')
            w += sprintf(w, "\\n");
        else if (c == '\r')
            w += sprintf(w, "\\r");
        else if (c == '\t')
            w += sprintf(w, "\\t");
        else if (c < 32 || c == 127)
            w += sprintf(w, "\\x%02x", c);
        else
            *w++ = (char)c;
    }
    *w = '\0';
    return out;
}

uint64_t vmitn_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int vmitn_fsync_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (S_ISLNK(st.st_mode))
        return 0;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d == NULL)
            return -1;
        struct dirent *e;
        int rc = 0;
        while ((e = readdir(d)) != NULL && rc == 0) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[4600];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rc = vmitn_fsync_tree(sub);
        }
        closedir(d);
        if (rc != 0)
            return rc;
    }
    return vmitn_fsync_path(path);
}

int vmitn_rename_exchange(const char *a, const char *b)
{
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */);
#else
    (void)a;
    (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

/* The value of `key = value` in DIR/meta, malloc'd, or NULL. */
char *vmitn_meta_get(const char *dir, const char *key)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/meta", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    char *line = NULL, *v = NULL;
    size_t cap = 0, kl = strlen(key);
    while (getline(&line, &cap, f) > 0)
        if (strncmp(line, key, kl) == 0 && strncmp(line + kl, " = ", 3) == 0) {
            v = vmitn_xstrdup(line + kl + 3);
            v[strcspn(v, "\n")] = '\0';
            break;
        }
    free(line);
    fclose(f);
    return v;
}

/* Removes a file or a folder tree.  A symbolic link is removed itself, never followed. */
void vmitn_rm_rf(const char *path)
{
    struct stat lst;
    if (lstat(path, &lst) != 0)
        return;
    if (!S_ISDIR(lst.st_mode)) {
        unlink(path);
        return;
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        unlink(path);
        return;
    }
    struct dirent *e;
    char sub[4096];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            vmitn_rm_rf(sub);
        else
            unlink(sub);
    }
    closedir(d);
    rmdir(path);
}

bool vmitn_tmp_stale(const char *tag)
{
    const char *host = host_name();
    size_t hl = strlen(host);
    if (strncmp(tag, host, hl) != 0 || tag[hl] != '.')
        return false;
    const char *num = tag + hl + 1;
    size_t nd = strspn(num, "0123456789");
    if (nd == 0 || nd > 9 || (num[nd] != '\0' && strcmp(num + nd, ".old") != 0))
        return false;
    long pid = strtol(num, NULL, 10);
    if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
        return false; /* alive (or not ours to signal: alive too) */
    return true;
}

void vmitn_remove_stale(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    size_t pl = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        /* PREFIX HOST.PID, or PREFIX HOST.PID.old (the fallback commit's old folder):
         * another machine's, or one whose name we cannot read, is left alone (on a folder
         * shared between machines its PID means nothing here) */
        if (strncmp(e->d_name, prefix, pl) != 0 || !vmitn_tmp_stale(e->d_name + pl))
            continue;
        char path[4600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        vmitn_rm_rf(path);
    }
    closedir(d);
}
