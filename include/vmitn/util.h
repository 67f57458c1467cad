/* util.h — allocation that never returns NULL, exit codes, small string helpers.
 * Shared by every module; includes nothing of the model. */
#ifndef VMITN_UTIL_H
#define VMITN_UTIL_H

#include <stdbool.h>
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
/* A model past one of vmitn's own capacities (`what` says which): like out of memory, no
 * bug and no assertion — the message, the registered temporaries removed, exit 1. */
_Noreturn void vmitn_too_big(const char *what);

/* Allocators that abort on exhaustion: out of memory is not an input error. */
void *vmitn_xmalloc(size_t n);
void *vmitn_xcalloc(size_t n, size_t size);
void *vmitn_xrealloc(void *p, size_t n);
char *vmitn_xstrdup(const char *s);

/* A growing byte buffer, caller-owned: `vmitn_buf b = {0};` is an empty one.  After any
 * append p holds n bytes and a NUL after them (p is NULL only before the first).  Appends
 * never fail: out of memory (or a size past SIZE_MAX) ends the process as the allocators
 * above do, with the same message and exit code; a printf format error is a bug (assert). */
typedef struct vmitn_buf {
    char *p;
    size_t n, cap;
} vmitn_buf;
void vmitn_buf_add(vmitn_buf *b, const void *s, size_t n);
void vmitn_buf_puts(vmitn_buf *b, const char *s);
void vmitn_buf_printf(vmitn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties b and keeps its memory for the next appends. */
void vmitn_buf_reset(vmitn_buf *b);
/* Frees b's memory; b is empty again. */
void vmitn_buf_free(vmitn_buf *b);
/* The text, malloc'd for the caller ("" when nothing was appended); b is empty again. */
char *vmitn_buf_take(vmitn_buf *b);

/* The value of `key = value` in DIR/meta (a results folder's), malloc'd, or NULL. */
char *vmitn_meta_get(const char *dir, const char *key);

/* Removes a file or a folder tree; a symbolic link is removed itself, never followed. */
void vmitn_rm_rf(const char *path);
/* Temporaries are named NAME.tmp.HOST.PID (HOST: this machine's name, letters, digits,
 * '-', '_', '.'; PID: the writing process's): on a folder shared between machines (NFS,
 * MPI ranks) a PID alone says nothing about another machine's processes.  vmitn_tmp_tag
 * writes "HOST.PID" for the calling process. */
#define VMITN_HOSTLEN 65
#define VMITN_TAGLEN (VMITN_HOSTLEN + 24)
void vmitn_tmp_tag(char tag[VMITN_TAGLEN]);
/* Removes DIR/PREFIX HOST.PID entries (and PREFIX HOST.PID.old) left by runs that died:
 * only those whose HOST is this machine and whose process is gone.  Other machines'
 * temporaries, and names it cannot read, are left alone. */
void vmitn_remove_stale(const char *dir, const char *prefix);
/* True when TAG ("HOST.PID", or "HOST.PID.old") names a process of this machine that is
 * gone: only such a temporary may be removed by someone else. */
bool vmitn_tmp_stale(const char *tag);

/* snprintf into err (may be NULL); returns -code so callers can `return vmitn_fail(...)`. */
int vmitn_fail(char *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Splits one CSV line in place into at most max fields (double-quoted fields with ""
 * escapes allowed; a trailing newline ends the line).  Returns the number of fields. */
int vmitn_csv_split(char *line, char **f, int max);

/* Writes text to path whole or not at all (a temporary PATH.tmp.HOST.PID renamed into place).
 * 0, or -1 after printing "vmitn: PATH: cannot write: reason". */
int vmitn_write_atomic(const char *path, const char *text);

/* write_atomic, then fsync of the file and of its folder: the file survives a crash
 * whole or not at all.  Same returns. */
int vmitn_write_durable(const char *path, const char *text);
/* The folder of a file's path ("." for a bare name, "/" for one at the root), into buf. */
void vmitn_dir_of(const char *path, char *buf, size_t n);

/* fsync of a file or a folder (opened read-only).  0, or -1 with errno set. */
int vmitn_fsync_path(const char *path);

/* fsyncs every file and folder under path (symbolic links are not followed).  0, or -1
 * with errno set. */
int vmitn_fsync_tree(const char *path);

/* Swaps two paths atomically (renameat2 RENAME_EXCHANGE): neither is ever missing.  0,
 * or -1 with errno set (EINVAL or ENOSYS where the file system cannot). */
int vmitn_rename_exchange(const char *a, const char *b);

/* mkdir -p: creates path and its missing parents.  0, or -1 with errno set. */
int vmitn_mkdir_p(const char *path);

/* True when s can be one file name that vmitn writes: 1 to max characters among letters,
 * digits, '_', '-' and '.', not starting with '.' (so never "..", a hidden file or a
 * path).  Every name derived from input (labels, node ids, scenario names) is checked
 * with it before it becomes part of a path. */
bool vmitn_safe_name(const char *s, size_t max);

/* s as one CSV cell: quoted (quotes doubled) when it holds a comma, a quote, a line
 * break or leading/trailing space; otherwise as is.  Returns a malloc'd string. */
char *vmitn_csv_cell(const char *s);

/* s as a one-line value for `key = value` files (meta, spec): backslash, line breaks and
 * other control characters as C escapes (\\, \n, \r, \t, \xHH).  malloc'd. */
char *vmitn_escape_line(const char *s);

/* 64-bit FNV-1a of n bytes, continuing from h (start with VMITN_HASH_INIT). */
#define VMITN_HASH_INIT 0xcbf29ce484222325ULL
uint64_t vmitn_hash(uint64_t h, const void *p, size_t n);

/* ---- interrupts ----
 * SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 and SIGPIPE set a flag that long loops poll (the Lua hook, the event loop, the
 * capture reader, the sweep's pool), which then unwind through their normal cleanup and
 * return VMITN_EXIT_INTERRUPTED.  A watchdog makes this a promise: if the process has not
 * exited 0.5 s after the signal (stuck in a long C call), or at a second signal, the
 * handler removes every path registered with vmitn_cleanup_add by this process and
 * calls _exit(130).  Process-wide state, by necessity: signals are. */
void vmitn_interrupt_install(void);
bool vmitn_interrupted(void);
/* For tests: as if a signal had arrived (no watchdog), or back to none. */
void vmitn_interrupt_set(bool on);

/* Runs argv[0] (searched on PATH) with argv and waits for it: its exit status (127: not
 * found), or -1 when it could not start or ended on a signal.  If the watchdog ends this
 * process meanwhile, the child is killed first, so an interrupted `plot` or `report
 * --html` leaves no gnuplot or dot behind.  One child at a time. */
int vmitn_run_child(char *const argv[]);

/* Registers a temporary file or folder to remove on an emergency exit (the watchdog, or
 * running out of memory); unregister it once it is renamed or removed.  At most 16 at a
 * time (a 17th is a bug). */
void vmitn_cleanup_add(const char *path);
void vmitn_cleanup_remove(const char *path);

/* IPv4 helpers: dotted quad <-> host-order uint32.  parse returns 0 on success; it refuses a
 * part with a leading zero ("011": octal to inet_aton, decimal to a reader). */
int vmitn_ip_parse(const char *s, uint32_t *out);
void vmitn_ip_format(uint32_t ip, char buf[16]);

#endif
