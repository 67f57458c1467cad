/* html.c — `vmitn report DIR --html`: one self-contained page for a results folder.  For
 * every experiment: its headline numbers (summary.csv), its plots (the SVGs `vmitn plot`
 * wrote, inlined), its runs, and the outbreak replayed from LABEL.events.csv over the
 * topology laid out by Graphviz's dot (each LAN a box of its hosts at its edge router's
 * place, so hundreds of hosts stay readable).  The paper's rows (compare.csv) where the
 * folder holds paper scenarios.  Nothing is fetched when the page is viewed: the script
 * and the style below are part of the page; no clock or path goes into it. */
#include "vmitn/html.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmitn/csv.h"
#include "vmitn/events.h"
#include "vmitn/paths.h"
#include "vmitn/topo.h"
#include "vmitn/util.h"
#include "vmitn/version.h"

/* ---- text for HTML and JSON ---- */

/* Text for HTML (and for a JSON string inside a <script>: '<' is escaped there too). */
static void buf_html(vmitn_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': vmitn_buf_puts(b, "&lt;"); break;
        case '>': vmitn_buf_puts(b, "&gt;"); break;
        case '&': vmitn_buf_puts(b, "&amp;"); break;
        case '"': vmitn_buf_puts(b, "&quot;"); break;
        default: vmitn_buf_add(b, s, 1);
        }
    }
}

static void buf_json(vmitn_buf *b, const char *s)
{
    vmitn_buf_puts(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            vmitn_buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c == '<' || c == '>' || c == '&')
            vmitn_buf_printf(b, "\\u%04x", c);
        else
            vmitn_buf_add(b, s, 1);
    }
    vmitn_buf_puts(b, "\"");
}

/* ---- errors: one message, then the caller gives up ---- */

/* The replay draws every host: a layout of more (a generated topology named in someone's
 * meta, say) would keep Graphviz busy for minutes and the page unreadable. */
#define HTML_MAX_HOSTS 5000u

typedef struct ctx {
    const char *root;
    char **shown; /* the plots inlined so far (paths), so "Other plots" repeats none */
    int nshown;
    char err[VMITN_ERRLEN + 4200];
    int code;
} ctx;

__attribute__((format(printf, 3, 4))) static int fail(ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    c->code = code;
    return -1;
}

/* A whole file, malloc'd (NUL-terminated), or NULL: only a regular file of at most 64 MiB is
 * read, and the open never blocks (a FIFO or a device someone named in a results folder is
 * no file of vmitn's). */
static char *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)64 << 20) {
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (f == NULL) {
        close(fd);
        return NULL;
    }
    vmitn_buf b = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && b.n <= (size_t)64 << 20)
        vmitn_buf_add(&b, buf, n);
    bool bad = ferror(f) || b.n > (size_t)64 << 20;
    fclose(f);
    if (bad) {
        vmitn_buf_free(&b);
        return NULL;
    }
    if (len)
        *len = b.n;
    return vmitn_buf_take(&b);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- CSV tables: the strict reader (csv.h), row 0 the header here ---- */

typedef vmitn_csv table;

static void table_free(table *t) { vmitn_csv_free(t); }

/* Reads a results CSV file whole and checks it as its kind (a cut or damaged file is an
 * error naming the file and line). */
static int table_read(ctx *c, const char *path, table *t)
{
    char err[VMITN_ERRLEN];
    int rc = vmitn_csv_read_results(path, vmitn_csv_kind_of(path), t, err);
    if (rc < 0)
        return fail(c, rc == -VMITN_EIO ? VMITN_EXIT_IO : VMITN_EXIT_INPUT, "%s", err);
    return 0;
}

static int nrows(const table *t) { return (int)t->nrow + 1; }

static const char *cell(const table *t, int r, int col)
{
    return r == 0 ? t->head[col] : vmitn_csv_at(t, (size_t)r - 1, col);
}

/* The file line of row r (1: the header). */
static unsigned line_of(const table *t, int r) { return r == 0 ? 1 : t->line[r - 1]; }

static int col_of(const table *t, const char *name) { return vmitn_csv_col(t, name); }

static const char *fmt_num(const char *s, char *buf, size_t n)
{
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || !isfinite(v))
        return s[0] && strcmp(s, "NA") != 0 ? s : "–";
    if (fabs(v) >= 1000)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.3g", v);
    return buf;
}

static void html_table(vmitn_buf *o, const table *t, const int *cols, int ncols, const char *cls)
{
    vmitn_buf_printf(o, "<table class=\"%s\"><tr>", cls);
    for (int j = 0; j < ncols; j++) {
        vmitn_buf_puts(o, "<th>");
        buf_html(o, cell(t, 0, cols[j]));
        vmitn_buf_puts(o, "</th>");
    }
    vmitn_buf_puts(o, "</tr>\n");
    for (int i = 1; i < nrows(t); i++) {
        vmitn_buf_puts(o, "<tr>");
        for (int j = 0; j < ncols; j++) {
            char b[64];
            vmitn_buf_puts(o, "<td>");
            buf_html(o, fmt_num(cell(t, i, cols[j]), b, sizeof b));
            vmitn_buf_puts(o, "</td>");
        }
        vmitn_buf_puts(o, "</tr>\n");
    }
    vmitn_buf_puts(o, "</table>\n");
}

/* ---- the topology, laid out by dot ---- */

typedef struct layout {
    char *spec;
    vmitn_topo *t;
    double *hx, *hy; /* per host, px */
    vmitn_buf json;         /* the layout as JSON: {W,H,hosts,boxes,links} */
} layout;

/* A temporary file's name under $TMPDIR (or /tmp). */
static void temp_name(char *buf, size_t n)
{
    const char *d = getenv("TMPDIR");
    if (d == NULL || d[0] != '/' || strlen(d) > n - 32)
        d = "/tmp";
    snprintf(buf, n, "%s/vmitn-html-XXXXXX", d);
}

/* Runs dot -Tplain on the text `in`, returning its output (malloc'd) or NULL.  Both
 * temporaries are registered for the watchdog, which also kills dot: an interrupt leaves
 * neither a file nor a process behind. */
static char *run_dot(ctx *c, const char *in, bool big)
{
    char ip[4096], op[4096];
    temp_name(ip, sizeof ip);
    temp_name(op, sizeof op);
    int fi = mkstemp(ip);
    if (fi < 0) {
        fail(c, VMITN_EXIT_IO, "cannot create a temporary file in %.*s: %s",
             (int)(strrchr(ip, '/') - ip), ip, strerror(errno));
        return NULL;
    }
    vmitn_cleanup_add(ip);
    int fo = mkstemp(op);
    if (fo < 0) {
        close(fi);
        unlink(ip);
        vmitn_cleanup_remove(ip);
        fail(c, VMITN_EXIT_IO, "cannot create a temporary file: %s", strerror(errno));
        return NULL;
    }
    vmitn_cleanup_add(op);
    close(fo);
    size_t n = strlen(in);
    bool wrote = write(fi, in, n) == (ssize_t)n;
    close(fi);
    char *out = NULL;
    if (!wrote) {
        fail(c, VMITN_EXIT_IO, "%s: cannot write", ip);
        goto done;
    }
    char *argv[] = {"dot", big ? "-Kneato" : "-Kdot", "-Tplain", "-o", op, ip, NULL};
    int rc = vmitn_run_child(argv);
    if (vmitn_interrupted()) {
        fail(c, VMITN_EXIT_INTERRUPTED, "interrupted: nothing was written");
        goto done;
    }
    if (rc != 0) {
        if (rc == 127)
            fail(c, VMITN_EXIT_INPUT, "Graphviz's dot not found: install it (Debian: apt-get install graphviz)");
        else
            fail(c, VMITN_EXIT_INPUT, "Graphviz's dot failed on the topology's layout");
        goto done;
    }
    out = slurp(op, NULL);
    if (out == NULL)
        fail(c, VMITN_EXIT_IO, "%s: cannot read dot's output", op);
done:
    unlink(ip);
    unlink(op);
    vmitn_cleanup_remove(ip);
    vmitn_cleanup_remove(op);
    return out;
}

#define CELLW 56.0 /* px per host in a LAN box */
#define CELLH 40.0
#define BOXTOP 22.0

/* The hosts (of any LAN) behind router r, and the grid they take. */
static unsigned router_hosts(const vmitn_topo *t, unsigned r, unsigned *cols, unsigned *rows)
{
    unsigned n = 0;
    for (unsigned i = 0; i < vmitn_topo_nhosts(t); i++)
        n += vmitn_topo_host(t, i).router == (int)r;
    unsigned cl = n ? (unsigned)ceil(sqrt(1.8 * n)) : 0;
    if (cl > n)
        cl = n;
    *cols = cl;
    *rows = cl ? (n + cl - 1) / cl : 0;
    return n;
}

static int layout_make(ctx *c, layout *L)
{
    const vmitn_topo *t = L->t;
    unsigned nr = vmitn_topo_nrouters(t), nh = vmitn_topo_nhosts(t);
    vmitn_buf d = {0};
    /* a few routers: dot's ranks (the picture of Fig 8); many: neato, in two dimensions,
     * the LAN boxes kept apart (dot would put the leaves of a router tree in one strip) */
    vmitn_buf_puts(&d, "graph g {\n graph [nodesep=0.35, ranksep=0.45, overlap=false, sep=\"+8\", splines=false, start=1];\n"
                " node [shape=box, fixedsize=true, label=\"\"];\n edge [len=1.2];\n");
    for (unsigned r = 0; r < nr; r++) {
        unsigned cl, rw, n = router_hosts(t, r, &cl, &rw);
        double w = n ? (cl * CELLW + 16) / 72.0 : 0.9, h = n ? (rw * CELLH + BOXTOP + 8) / 72.0 : 0.35;
        vmitn_buf_printf(&d, " r%u [width=%.3f, height=%.3f];\n", r, w, h);
    }
    for (unsigned i = 0; i < vmitn_topo_nrlinks(t); i++) {
        const vmitn_rlink *k = vmitn_topo_rlink(t, i);
        vmitn_buf_printf(&d, " r%u -- r%u;\n", k->a, k->b);
    }
    vmitn_buf_puts(&d, " smc [width=0.9, height=0.55];\n}\n");
    char *plain = run_dot(c, d.p, nr > 12);
    vmitn_buf_free(&d);
    if (plain == NULL)
        return -1;
    double H = 0, W = 0;
    double *rx = vmitn_xcalloc(nr + 1, sizeof *rx), *ry = vmitn_xcalloc(nr + 1, sizeof *ry);
    double *rw_ = vmitn_xcalloc(nr + 1, sizeof *rw_), *rh = vmitn_xcalloc(nr + 1, sizeof *rh);
    for (char *line = strtok(plain, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        double s, x, y, w, h;
        char name[64];
        if (sscanf(line, "graph %lf %lf %lf", &s, &W, &H) == 3)
            continue;
        if (sscanf(line, "node %63s %lf %lf %lf %lf", name, &x, &y, &w, &h) == 5) {
            unsigned r;
            unsigned k = strcmp(name, "smc") == 0 ? nr : sscanf(name, "r%u", &r) == 1 && r < nr ? r : nr + 1;
            if (k <= nr) {
                rx[k] = x * 72;
                ry[k] = (H - y) * 72;
                rw_[k] = w * 72;
                rh[k] = h * 72;
            }
        }
    }
    free(plain);
    L->hx = vmitn_xcalloc(nh + 1, sizeof *L->hx);
    L->hy = vmitn_xcalloc(nh + 1, sizeof *L->hy);
    unsigned *fill = vmitn_xcalloc(nr + 1, sizeof *fill);
    vmitn_buf *j = &L->json;
    vmitn_buf_printf(j, "{\"W\":%.0f,\"H\":%.0f,\"boxes\":[", W * 72 + 8, H * 72 + 8);
    for (unsigned r = 0; r < nr; r++) {
        unsigned cl, rw;
        unsigned n = router_hosts(t, r, &cl, &rw);
        vmitn_buf_printf(j, "%s[%.1f,%.1f,%.1f,%.1f,%u,", r ? "," : "", rx[r] - rw_[r] / 2 + 4, ry[r] - rh[r] / 2 + 4, rw_[r],
                  rh[r], n);
        buf_json(j, vmitn_topo_router_name(t, r));
        vmitn_buf_puts(j, "]");
    }
    vmitn_buf_puts(j, "],\"links\":[");
    for (unsigned i = 0; i < vmitn_topo_nrlinks(t); i++) {
        const vmitn_rlink *k = vmitn_topo_rlink(t, i);
        vmitn_buf_printf(j, "%s[%.1f,%.1f,%.1f,%.1f]", i ? "," : "", rx[k->a] + 4, ry[k->a] + 4, rx[k->b] + 4, ry[k->b] + 4);
    }
    vmitn_buf_puts(j, "],\"hosts\":[");
    for (unsigned i = 0; i < nh; i++) {
        const vmitn_host ho = vmitn_topo_host(t, i), *h = &ho;
        char nb[VMITN_TOPO_NAMEBUF];
        double x, y;
        if (h->router < 0 || (unsigned)h->router >= nr) { /* the SMC */
            x = rx[nr] + 4;
            y = ry[nr] + 4;
        } else {
            unsigned r = (unsigned)h->router, cl, rw;
            router_hosts(t, r, &cl, &rw);
            unsigned k = fill[r]++;
            x = rx[r] - rw_[r] / 2 + 4 + 8 + (k % cl + 0.5) * CELLW;
            y = ry[r] - rh[r] / 2 + 4 + BOXTOP + (k / cl) * CELLH + 12;
        }
        L->hx[i] = x;
        L->hy[i] = y;
        vmitn_buf_printf(j, "%s[", i ? "," : "");
        buf_json(j, vmitn_topo_host_name(t, i, nb));
        vmitn_buf_printf(j, ",%.1f,%.1f,%d]", x, y, (int)h->kind);
    }
    vmitn_buf_puts(j, "]}");
    free(fill);
    free(rx);
    free(ry);
    free(rw_);
    free(rh);
    return 0;
}

/* ---- one experiment ---- */

/* The event names of LABEL.events.csv (events.c), in the page's code order. */
static const char *const ev_names[] = {
    "infected", "active", "alarm", "reported", "smc_alarm", "displayed", "no_backup", "handover_start", "mounted",
    "handover_end", "image_cleaned", "detected", "contained", "removed",
    "cleaned", "rule_issued", "rule_active", "blocked_out", "blocked_in", NULL};

static int ev_code(const char *s)
{
    for (int i = 0; ev_names[i]; i++)
        if (strcmp(ev_names[i], s) == 0)
            return i;
    return -1;
}

typedef struct strtab {
    char **s;
    int n;
} strtab;

static int str_index(strtab *st, const char *s)
{
    for (int i = 0; i < st->n; i++)
        if (strcmp(st->s[i], s) == 0)
            return i;
    st->s = vmitn_xrealloc(st->s, (size_t)(st->n + 1) * sizeof *st->s);
    st->s[st->n] = vmitn_xstrdup(s);
    return st->n++;
}

/* The event log as JSON: runs[r] = [[t, host, code, other], ...]; other: a host index
 * (infected by), -1 launched, -2 injected; a code (cleaned: why); a string index
 * (rules, defences); a count (blocked). */
static int events_json(ctx *c, const char *path, const vmitn_topo *t, unsigned nruns, vmitn_buf *j)
{
    table e;
    if (table_read(c, path, &e) < 0)
        return -1;
    int cr = col_of(&e, "run"), ct = col_of(&e, "t"), ch = col_of(&e, "host"), ce = col_of(&e, "event"),
        co = col_of(&e, "other");
    if (cr < 0 || ct < 0 || ch < 0 || ce < 0 || co < 0) {
        table_free(&e);
        return fail(c, VMITN_EXIT_INPUT, "%s:1: not an event log (run,t,host,event,other)", path);
    }
    strtab st = {0};
    vmitn_buf *runs = vmitn_xcalloc(nruns ? nruns : 1, sizeof *runs);
    int rc = 0;
    for (int i = 1; i < nrows(&e) && rc == 0; i++) {
        char *end, *tend;
        const char *rs = cell(&e, i, cr), *ts = cell(&e, i, ct);
        unsigned long run = strtoul(rs, &end, 10);
        double tt = strtod(ts, &tend);
        if (rs[0] < '0' || rs[0] > '9')
            end = (char *)"x"; /* a sign or a space: no run number */
        if (ts[0] == '\0' || *tend != '\0' || !isfinite(tt) || tt < -1e12 || tt > 1e12) {
            rc = fail(c, VMITN_EXIT_INPUT, "%s:%u: column 't': '%s' is not a time in seconds", path, line_of(&e, i), ts);
            break;
        }
        int code = ev_code(cell(&e, i, ce));
        const char *hn = cell(&e, i, ch), *o = cell(&e, i, co);
        int h = strcmp(hn, "SMC") == 0 ? -1 : vmitn_topo_find_name(t, hn);
        if (*end != '\0' || run >= nruns)
            rc = fail(c, VMITN_EXIT_INPUT, "%s:%u: run '%s' is not one of the %u runs", path, line_of(&e, i), cell(&e, i, cr),
                      nruns);
        else if (code < 0)
            rc = fail(c, VMITN_EXIT_INPUT, "%s:%u: unknown event '%s'", path, line_of(&e, i), cell(&e, i, ce));
        else if (h < 0 && strcmp(hn, "SMC") != 0)
            rc = fail(c, VMITN_EXIT_INPUT, "%s:%u: host '%s' is not in the topology", path, line_of(&e, i), hn);
        if (rc < 0)
            break;
        long other = 0;
        if (code == 0) {
            other = strcmp(o, "launched") == 0 ? -1 : strcmp(o, "injected") == 0 ? -2 : vmitn_topo_find_name(t, o);
            if (other == -1 && strcmp(o, "launched") != 0) {
                rc = fail(c, VMITN_EXIT_INPUT, "%s:%u: infector '%s' is not in the topology", path, line_of(&e, i), o);
                break;
            }
        } else if (strcmp(ev_names[code], "cleaned") == 0) {
            other = ev_code(o);
        } else if (strncmp(ev_names[code], "blocked", 7) == 0) {
            char *oend;
            other = strtol(o, &oend, 10);
            if (o[0] < '0' || o[0] > '9' || *oend != '\0' || other > 1000000000L) {
                rc = fail(c, VMITN_EXIT_INPUT, "%s:%u: column 'other': '%s' is not a packet count", path, line_of(&e, i), o);
                break;
            }
        } else if (o[0] != '\0') {
            other = str_index(&st, o);
        }
        vmitn_buf *b = &runs[run];
        vmitn_buf_printf(b, "%s[%.9g,%d,%d,%ld]", b->n ? "," : "", tt, h, code, other);
    }
    if (rc == 0) {
        vmitn_buf_puts(j, "\"runs\":[");
        for (unsigned r = 0; r < nruns; r++) {
            vmitn_buf_printf(j, "%s[%s]", r ? "," : "", runs[r].p ? runs[r].p : "");
        }
        vmitn_buf_puts(j, "],\"strings\":[");
        for (int i = 0; i < st.n; i++) {
            if (i)
                vmitn_buf_puts(j, ",");
            buf_json(j, st.s[i]);
        }
        vmitn_buf_puts(j, "]");
    }
    for (unsigned r = 0; r < nruns; r++)
        vmitn_buf_free(&runs[r]);
    free(runs);
    for (int i = 0; i < st.n; i++)
        free(st.s[i]);
    free(st.s);
    table_free(&e);
    return rc;
}

/* A plot from the results folder, shown as an image: `<img src="data:image/svg+xml;base64,...">`.
 * An SVG loaded as an image runs no script and fetches nothing (the browser's secure
 * static mode), whatever the file holds: a results folder is data, and the page runs only
 * its own script.  (Inlining the markup behind a filter of "active" constructs was
 * bypassed by a review: `/onload=`, unquoted or spaced `href`, entities.) */
static void inline_svg(ctx *c, vmitn_buf *o, const char *path, const char *caption)
{
    c->shown = vmitn_xrealloc(c->shown, (size_t)(c->nshown + 1) * sizeof *c->shown);
    c->shown[c->nshown++] = vmitn_xstrdup(path);
    size_t n;
    char *s = slurp(path, &n);
    if (s == NULL)
        return;
    if (strstr(s, "<svg") == NULL) {
        free(s);
        return;
    }
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    vmitn_buf_puts(o, "<figure class=\"plot\"><img alt=\"");
    buf_html(o, caption);
    vmitn_buf_puts(o, "\" src=\"data:image/svg+xml;base64,");
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0) | (i + 2 < n ? u[i + 2] : 0);
        char q[4] = {b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=', i + 2 < n ? b64[v & 63] : '='};
        vmitn_buf_add(o, q, 4);
    }
    vmitn_buf_puts(o, "\"><figcaption>");
    buf_html(o, caption);
    vmitn_buf_puts(o, "</figcaption></figure>\n");
    free(s);
}

typedef struct layouts {
    layout *l;
    int n;
} layouts;

static layout *get_layout(ctx *c, layouts *ls, const char *sdir, const char *label)
{
    char key[600];
    snprintf(key, sizeof key, "exp.%s.topology", label);
    char *spec = vmitn_meta_get(sdir, key);
    snprintf(key, sizeof key, "exp.%s.topology_file", label);
    char *file = vmitn_meta_get(sdir, key);
    layout *L = NULL;
    if (spec == NULL) {
        fail(c, VMITN_EXIT_INPUT, "%s/meta: no exp.%s.topology", sdir, label);
        goto done;
    }
    for (int i = 0; i < ls->n; i++)
        if (strcmp(ls->l[i].spec, spec) == 0) {
            L = &ls->l[i];
            goto done;
        }
    vmitn_topo *t = NULL;
    char err[VMITN_ERRLEN];
    unsigned a, b, f;
    int rc;
    if (sscanf(spec, "\"generate:%u:%u:%u\"", &a, &b, &f) == 3)
        rc = (uint64_t)a * b > HTML_MAX_HOSTS
                 ? vmitn_fail(err, VMITN_EINPUT, "generate:%u:%u:%u has more hosts than the replay lays out (%u)", a, b,
                              f, HTML_MAX_HOSTS)
                 : vmitn_topo_generate(a, b, f, &t, err, sizeof err);
    else if (file != NULL && is_file(file))
        rc = vmitn_topo_load(file, &t, err, sizeof err);
    else {
        /* the file as the run named it, from another folder: the data folder's copy */
        char rel[1100];
        snprintf(rel, sizeof rel, "%s", spec[0] == '"' ? spec + 1 : spec);
        if (rel[0] && rel[strlen(rel) - 1] == '"')
            rel[strlen(rel) - 1] = '\0';
        char *found = vmitn_find_file(rel, NULL, 0, "");
        if (found != NULL)
            rc = vmitn_topo_load(found, &t, err, sizeof err);
        else
            rc = vmitn_fail(err, VMITN_EINPUT, "%s not found", file ? file : rel);
        free(found);
    }
    if (rc == 0 && vmitn_topo_nhosts(t) > HTML_MAX_HOSTS)
        rc = vmitn_fail(err, VMITN_EINPUT, "%u hosts, more than the replay lays out (%u)", vmitn_topo_nhosts(t),
                        HTML_MAX_HOSTS);
    if (rc < 0) {
        vmitn_topo_free(t);
        fail(c, VMITN_EXIT_INPUT, "%s/meta: the topology of experiment '%s': %s", sdir, label, err);
        goto done;
    }
    ls->l = vmitn_xrealloc(ls->l, (size_t)(ls->n + 1) * sizeof *ls->l);
    L = &ls->l[ls->n];
    *L = (layout){.spec = vmitn_xstrdup(spec), .t = t};
    ls->n++;
    if (layout_make(c, L) < 0) {
        L = NULL;
        goto done;
    }
done:
    free(spec);
    free(file);
    return L;
}

static void layouts_free(layouts *ls)
{
    for (int i = 0; i < ls->n; i++) {
        free(ls->l[i].spec);
        vmitn_topo_free(ls->l[i].t);
        free(ls->l[i].hx);
        free(ls->l[i].hy);
        vmitn_buf_free(&ls->l[i].json);
    }
    free(ls->l);
}

static const char *const headline[] = {"peak_infected", "time_all_infected", "hosts_attacked", "infections",
                                       "time_cleaned", "learning_time", "rules", "handovers", "availability",
                                       "legit_served_share", NULL};

/* One experiment: its section in `o`, its replay data (a JSON object) in `data`. */
static int experiment(ctx *c, layouts *ls, const char *sdir, const char *scen, const char *label, vmitn_buf *o, vmitn_buf *data,
                      int *nexp)
{
    char path[4600], id[400];
    snprintf(id, sizeof id, "%s/%s", scen, label);
    table sum, runs, curve;
    snprintf(path, sizeof path, "%s/%s.summary.csv", sdir, label);
    if (table_read(c, path, &sum) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/%s.runs.csv", sdir, label);
    if (table_read(c, path, &runs) < 0) {
        table_free(&sum);
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s.curve.csv", sdir, label);
    if (table_read(c, path, &curve) < 0) {
        table_free(&sum);
        table_free(&runs);
        return -1;
    }
    int rc = 0;
    vmitn_buf_puts(o, "<section class=\"exp\" id=\"");
    buf_html(o, id);
    vmitn_buf_puts(o, "\"><h3>");
    buf_html(o, id);
    vmitn_buf_puts(o, "</h3>\n<p class=\"head\">");
    int cm = col_of(&sum, "mean"), cl = col_of(&sum, "ci95_lo"), chi = col_of(&sum, "ci95_hi"), cn = col_of(&sum, "n");
    bool any = false;
    for (int k = 0; headline[k] && cm >= 0 && cl >= 0 && chi >= 0 && cn >= 0; k++)
        for (int i = 1; i < nrows(&sum); i++)
            if (strcmp(cell(&sum, i, 0), headline[k]) == 0 && strcmp(cell(&sum, i, cn), "0") != 0) {
                char b1[64], b2[64], b3[64];
                vmitn_buf_printf(o, "%s<b>%s</b> %s [%s, %s] (n %s)", any ? "; " : "", headline[k],
                          fmt_num(cell(&sum, i, cm), b1, 64), fmt_num(cell(&sum, i, cl), b2, 64),
                          fmt_num(cell(&sum, i, chi), b3, 64), cell(&sum, i, cn));
                any = true;
            }
    vmitn_buf_puts(o, "</p>\n");
    char rootplots[4600];
    snprintf(path, sizeof path, "%s/plots/%s-%s.svg", sdir, scen, label);
    snprintf(rootplots, sizeof rootplots, "%s/plots/%s-%s.svg", c->root, scen, label);
    inline_svg(c, o, is_file(path) ? path : rootplots, id);
    /* the replay, where the log is there */
    snprintf(path, sizeof path, "%s/%s.events.csv", sdir, label);
    char key[600];
    snprintf(key, sizeof key, "exp.%s.output.events", label);
    char *mode = vmitn_meta_get(sdir, key);
    layout *L = NULL;
    bool have = is_file(path);
    if (have && (L = get_layout(c, ls, sdir, label)) == NULL)
        rc = -1;
    /* a log the run wrote (output.events on, or auto on a small topology) must be there */
    bool expected = mode != NULL && strcmp(mode, "\"on\"") == 0;
    if (!have && mode != NULL && strcmp(mode, "\"auto\"") == 0) {
        snprintf(key, sizeof key, "exp.%s.topology", label);
        char *spec = vmitn_meta_get(sdir, key);
        unsigned a, b, f;
        if (spec != NULL && sscanf(spec, "\"generate:%u:%u:%u\"", &a, &b, &f) == 3)
            expected = (double)a * b + 1 <= VMITN_EVENTS_AUTO_HOSTS;
        else if ((L = get_layout(c, ls, sdir, label)) == NULL)
            rc = -1;
        else
            expected = vmitn_topo_nhosts(L->t) <= VMITN_EVENTS_AUTO_HOSTS;
        free(spec);
    }
    free(mode);
    if (rc == 0 && !have && expected)
        rc = fail(c, VMITN_EXIT_INPUT, "%s: missing (the experiment's meta says it was written)", path);
    if (rc == 0 && have) {
        vmitn_buf_printf(data, "%s{\"id\":", *nexp ? ",\n" : "");
        buf_json(data, id);
        vmitn_buf_puts(data, ",\"topo\":");
        vmitn_buf_puts(data, L->json.p);
        vmitn_buf_puts(data, ",\"grid\":[");
        for (int i = 1; i < nrows(&curve); i++) /* JSON numbers, from the parsed value (`.5` is none) */
            vmitn_buf_printf(data, "%s%.9g", i > 1 ? "," : "", strtod(cell(&curve, i, 0), NULL));
        vmitn_buf_puts(data, "],");
        rc = events_json(c, path, L->t, (unsigned)(nrows(&runs) - 1), data);
        vmitn_buf_puts(data, "}");
        (*nexp)++;
        vmitn_buf_printf(o, "<p><a href=\"#exp=");
        buf_html(o, id);
        vmitn_buf_puts(o, "\" class=\"replay\">replay the outbreak</a></p>\n");
    } else if (rc == 0) {
        vmitn_buf_puts(o, "<p class=\"note\">No event log (output.events): no replay.</p>\n");
    }
    /* the runs */
    if (rc == 0) {
        static const char *const rc_names[] = {"run", "peak_infected", "time_all_infected", "infections",
                                               "time_cleaned", "learning_time", "handovers", "availability", NULL};
        int cols[16], nc = 0;
        for (int k = 0; rc_names[k]; k++)
            if (col_of(&runs, rc_names[k]) >= 0)
                cols[nc++] = col_of(&runs, rc_names[k]);
        vmitn_buf_printf(o, "<details><summary>%d runs</summary>\n", nrows(&runs) - 1);
        html_table(o, &runs, cols, nc, "runs");
        vmitn_buf_puts(o, "</details>\n");
    }
    vmitn_buf_puts(o, "</section>\n");
    table_free(&sum);
    table_free(&runs);
    table_free(&curve);
    return rc;
}

/* The experiments of a scenario folder, in the order meta lists them. */
static char **labels_of(const char *sdir, int *n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/meta", sdir);
    char *text = slurp(path, NULL);
    char **l = NULL;
    *n = 0;
    if (text == NULL)
        return NULL;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        const char *suf = ".topology = ";
        char *at = strstr(line, suf);
        if (strncmp(line, "exp.", 4) != 0 || at == NULL || at <= line + 4)
            continue;
        l = vmitn_xrealloc(l, (size_t)(*n + 1) * sizeof *l);
        l[*n] = vmitn_xstrdup(line + 4);
        l[*n][at - line - 4] = '\0';
        (*n)++;
    }
    free(text);
    return l;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int scenario(ctx *c, layouts *ls, const char *sdir, const char *scen, vmitn_buf *o, vmitn_buf *data, int *nexp)
{
    char path[4600];
    vmitn_buf_puts(o, "<section class=\"scen\"><h2>");
    buf_html(o, scen);
    vmitn_buf_puts(o, "</h2>\n");
    snprintf(path, sizeof path, "%s/compare.csv", sdir);
    if (is_file(path)) {
        table t;
        if (table_read(c, path, &t) < 0)
            return -1;
        static const char *const want[] = {"figure", "quantity", "paper", "unit", "mean", "ci95_lo", "ci95_hi",
                                           "worst", "n", "kind", "verdict", "reason", NULL};
        int cols[16], nc = 0;
        for (int k = 0; want[k]; k++)
            if (col_of(&t, want[k]) >= 0)
                cols[nc++] = col_of(&t, want[k]);
        vmitn_buf_puts(o, "<h4>The paper's figures</h4>\n");
        html_table(o, &t, cols, nc, "paper");
        table_free(&t);
    }
    snprintf(path, sizeof path, "%s/plots/%s.svg", c->root, scen);
    inline_svg(c, o, path, scen);
    int n;
    char **labels = labels_of(sdir, &n);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = experiment(c, ls, sdir, scen, labels[i], o, data, nexp);
    for (int i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    vmitn_buf_puts(o, "</section>\n");
    return rc;
}

/* Every other SVG in ROOT/plots/ (name order): what `vmitn plot A B --out ROOT/plots` drew
 * of variants on one axis, a sweep's metrics against its parameter (`vmitn plot SWEEP`),
 * and the plots no experiment owns (the worst-case distributions, the sensitivity tornado,
 * the outbreaks, the Fig 8 picture). */
static void other_plots(ctx *c, vmitn_buf *o)
{
    char dirp[4400], path[4700];
    snprintf(dirp, sizeof dirp, "%.4300s/plots", c->root);
    DIR *d = opendir(dirp);
    if (d == NULL)
        return;
    char **names = NULL;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".svg") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%.256s", dirp, e->d_name);
        bool seen = !is_file(path);
        for (int i = 0; i < c->nshown && !seen; i++)
            seen = strcmp(c->shown[i], path) == 0;
        if (seen)
            continue;
        names = vmitn_xrealloc(names, (size_t)(n + 1) * sizeof *names);
        names[n++] = vmitn_xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 0) {
        qsort(names, (size_t)n, sizeof *names, by_name);
        vmitn_buf_puts(o, "<section class=\"others\" id=\"other-plots\"><h2>Other plots</h2>\n"
                   "<p class=\"note\">Variants on one axis and sweeps (<code>vmitn plot A B --out DIR/plots</code>, "
                   "<code>vmitn plot SWEEP</code>) and the plots no single experiment owns.</p>\n");
        for (int i = 0; i < n; i++) {
            snprintf(path, sizeof path, "%s/%.256s", dirp, names[i]);
            names[i][strlen(names[i]) - 4] = '\0';
            inline_svg(c, o, path, names[i]);
        }
        vmitn_buf_puts(o, "</section>\n");
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int vmitn_report_html(const char *dir)
{
    ctx c = {.root = dir};
    char path[4600];
    /* one scenario's folder, or a folder of them */
    char **scen = NULL;
    int ns = 0;
    snprintf(path, sizeof path, "%s/meta", dir);
    bool single = is_file(path);
    if (!single) {
        DIR *d = opendir(dir);
        if (d == NULL) {
            fprintf(stderr, "vmitn: %s: cannot read: %s\n", dir, strerror(errno));
            return VMITN_EXIT_IO;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s/meta", dir, e->d_name);
            if (!is_file(path))
                continue;
            scen = vmitn_xrealloc(scen, (size_t)(ns + 1) * sizeof *scen);
            scen[ns++] = vmitn_xstrdup(e->d_name);
        }
        closedir(d);
        if (ns == 0) {
            fprintf(stderr, "vmitn: %s: not a results folder (no meta file in it or in a folder inside it)\n", dir);
            return VMITN_EXIT_INPUT;
        }
        qsort(scen, (size_t)ns, sizeof *scen, by_name);
    }
    vmitn_buf body = {0}, data = {0};
    layouts ls = {0};
    int nexp = 0, rc = 0;
    if (single) {
        char *name = vmitn_meta_get(dir, "name");
        const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
        rc = scenario(&c, &ls, dir, name ? name : base, &body, &data, &nexp);
        free(name);
    } else {
        for (int i = 0; i < ns && rc == 0; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, scen[i]);
            rc = scenario(&c, &ls, path, scen[i], &body, &data, &nexp);
        }
    }
    if (rc == 0)
        other_plots(&c, &body);
    for (int i = 0; i < ns; i++)
        free(scen[i]);
    free(scen);
    for (int i = 0; i < c.nshown; i++)
        free(c.shown[i]);
    free(c.shown);
    layouts_free(&ls);
    if (rc < 0) {
        fprintf(stderr, "vmitn: %s\n", c.err);
        vmitn_buf_free(&body);
        vmitn_buf_free(&data);
        return c.code;
    }
    int nexp_all = 0;
    for (const char *p = body.p; p != NULL && (p = strstr(p, "<section class=\"exp\"")) != NULL; p++)
        nexp_all++;
    vmitn_buf page = {0};
    vmitn_buf_printf(&page, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                     "<meta name=\"generator\" content=\"vmitn %s\">\n<title>vmitn results</title>\n<style>\n",
              VMITN_VERSION);
    for (const char *const *l = vmitn_html_style; *l; l++)
        vmitn_buf_puts(&page, *l);
    vmitn_buf_puts(&page, "</style></head><body>\n<div id=\"errors\" data-count=\"0\" hidden></div>\n<h1>vmitn results</h1>\n");
    vmitn_buf_printf(&page, "<details><summary>%d experiments</summary><nav id=\"toc\"></nav></details>\n", nexp_all);
    if (nexp > 0)
        vmitn_buf_puts(&page, "<section id=\"replay\"><h2>The outbreak replayed</h2>\n"
                       "<div class=\"ctl\"><select id=\"exp\"></select> <select id=\"run\"></select> "
                       "<button id=\"play\" type=\"button\">play</button> "
                       "<input id=\"t\" type=\"range\" min=\"0\" max=\"1\" step=\"0.01\" value=\"0\"> "
                       "t = <output id=\"tval\">0</output> s; infected: <b id=\"infected-count\">0</b>; "
                       "infections so far: <b id=\"infections-count\">0</b></div>\n"
                       "<div class=\"legend\"><span class=\"k clean\"></span>clean <span class=\"k inf\"></span>infected "
                       "<span class=\"k alarm\"></span>infected, alarm raised <span class=\"k down\"></span>down "
                       "(isolated or switching) <span class=\"k rule\"></span>a rule active on its AGENT; "
                       "arrows: who infected whom</div>\n"
                       "<div class=\"view\"><svg id=\"net\" xmlns=\"http://www.w3.org/2000/svg\"></svg>"
                       "<div class=\"side\"><h4>Events up to t</h4><ol id=\"log\"></ol>"
                       "<h4>Transmission tree</h4><div id=\"tree\"></div><h4>Rules</h4><ul id=\"rules\"></ul></div></div>"
                       "</section>\n");
    vmitn_buf_add(&page, body.p ? body.p : "", body.n);
    vmitn_buf_puts(&page, "<script type=\"application/json\" id=\"data\">[\n");
    vmitn_buf_add(&page, data.p ? data.p : "", data.n);
    vmitn_buf_puts(&page, "]</script>\n<script>\n");
    for (const char *const *l = vmitn_html_script; *l; l++)
        vmitn_buf_puts(&page, *l);
    vmitn_buf_puts(&page, "</script>\n</body></html>\n");
    vmitn_buf_free(&body);
    vmitn_buf_free(&data);
    snprintf(path, sizeof path, "%s/REPORT.html", dir);
    int w = vmitn_write_atomic(path, page.p);
    vmitn_buf_free(&page);
    if (w < 0)
        return VMITN_EXIT_IO;
    printf("wrote %s\n", path);
    return VMITN_EXIT_OK;
}
