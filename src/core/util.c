/* util.c — allocation, error messages and IPv4 text helpers shared by every module. */
#include "vmitn/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Noreturn void vmitn_panic(const char *file, int line, const char *what)
{
    fprintf(stderr, "vmitn: internal error at %s:%d: %s\n", file, line, what);
    abort();
}

static void *check(void *p, size_t n)
{
    if (p == NULL && n != 0) {
        fprintf(stderr, "vmitn: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

void *vmitn_xmalloc(size_t n) { return check(malloc(n), n); }
void *vmitn_xcalloc(size_t n, size_t size) { return check(calloc(n, size), n * size); }
void *vmitn_xrealloc(void *p, size_t n) { return check(realloc(p, n), n); }
char *vmitn_xstrdup(const char *s) { return check(strdup(s), strlen(s) + 1); }

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
        if (v > 255 || digits > 3)
            return -1;
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

int vmitn_write_atomic(const char *path, const char *text)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    size_t len = strlen(text);
    int ok = f != NULL && fwrite(text, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        fprintf(stderr, "vmitn: %s: cannot write: %s\n", path, strerror(e));
        return -1;
    }
    return 0;
}
