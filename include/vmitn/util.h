/* util.h — allocation that never returns NULL, exit codes, small string helpers.
 * Shared by every module; includes nothing of the model. */
#ifndef VMITN_UTIL_H
#define VMITN_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes of the vmitn binary (documented in README.md). */
enum {
    VMITN_EXIT_OK = 0,
    VMITN_EXIT_INPUT = 1, /* bad scenario, parameter, topology or trace */
    VMITN_EXIT_USAGE = 2, /* bad command line */
    VMITN_EXIT_IO = 3,    /* a file or folder could not be read or written */
    VMITN_EXIT_CHECK = 4, /* a regression check found a curve outside its band */
    VMITN_EXIT_INTERRUPTED = 130 /* stopped by SIGINT or SIGTERM (128 + 2, as shells report Ctrl-C) */
};

/* Library functions return 0 or one of these (negated) and leave a message in an
 * error buffer the caller owns. */
enum { VMITN_EINPUT = 1, VMITN_EIO = 3 };

#define VMITN_ERRLEN 512

/* Abort with file:line on a broken invariant (a bug, never bad input). */
#define vmitn_assert(c) ((c) ? (void)0 : vmitn_panic(__FILE__, __LINE__, #c))
_Noreturn void vmitn_panic(const char *file, int line, const char *what);

/* Allocators that abort on exhaustion: out of memory is not an input error. */
void *vmitn_xmalloc(size_t n);
void *vmitn_xcalloc(size_t n, size_t size);
void *vmitn_xrealloc(void *p, size_t n);
char *vmitn_xstrdup(const char *s);

/* snprintf into err (may be NULL); returns -code so callers can `return vmitn_fail(...)`. */
int vmitn_fail(char *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Splits one CSV line in place into at most max fields (double-quoted fields with ""
 * escapes allowed; a trailing newline ends the line).  Returns the number of fields. */
int vmitn_csv_split(char *line, char **f, int max);

/* Writes text to path whole or not at all (a temporary PATH.tmp.PID renamed into place).
 * 0, or -1 after printing "vmitn: PATH: cannot write: reason". */
int vmitn_write_atomic(const char *path, const char *text);

/* mkdir -p: creates path and its missing parents.  0, or -1 with errno set. */
int vmitn_mkdir_p(const char *path);

/* IPv4 helpers: dotted quad <-> host-order uint32.  parse returns 0 on success. */
int vmitn_ip_parse(const char *s, uint32_t *out);
void vmitn_ip_format(uint32_t ip, char buf[16]);

#endif
