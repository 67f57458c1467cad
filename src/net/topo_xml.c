/* topo_xml.c — a line map of a GraphML file, scanned as text beside igraph's reading: the
 * lines of its elements for messages, and the checks igraph does not make (a node
 * declared twice, an edge to an undeclared node, the numeric <data> igraph failed on). */
#include "vmitn/topo_internal.h"

#include <errno.h>

void vmitn_xscan_free(xscan *x)
{
    for (size_t i = 0; i < x->nel; i++) {
        free(x->el[i].id);
        free(x->el[i].source);
        free(x->el[i].target);
    }
    for (size_t i = 0; i < x->ndata; i++) {
        free(x->data[i].key);
        free(x->data[i].text);
    }
    for (size_t i = 0; i < x->nkey; i++) {
        free(x->key[i].id);
        free(x->key[i].name);
        free(x->key[i].type);
        free(x->key[i].dom);
    }
    free(x->el);
    free(x->data);
    free(x->key);
    free(x->node);
    free(x->edge);
}

/* Copies [p, end) with the predefined entities decoded. */
static char *xdecode(const char *p, const char *end)
{
    static const struct { const char *ent; char c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    char *out = vmitn_xmalloc((size_t)(end - p) + 1), *w = out;
    while (p < end) {
        size_t i = 0;
        if (*p == '&')
            for (; i < sizeof ents / sizeof ents[0]; i++) {
                size_t n = strlen(ents[i].ent);
                if ((size_t)(end - p) >= n && strncmp(p, ents[i].ent, n) == 0) {
                    *w++ = ents[i].c;
                    p += n;
                    break;
                }
            }
        if (*p != '&' || i == sizeof ents / sizeof ents[0])
            *w++ = *p++;
    }
    *w = '\0';
    return out;
}

static const char *xskip_to(const char *p, const char *end, const char *stop, unsigned *line)
{
    size_t n = strlen(stop);
    for (; p < end; p++) {
        if ((size_t)(end - p) >= n && memcmp(p, stop, n) == 0)
            return p + n;
        if (*p == '\n')
            ++*line;
    }
    return end;
}

static bool xname_is(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    return (size_t)(end - p) > n && memcmp(p, name, n) == 0 &&
           (p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || p[n] == '\r' || p[n] == '/' || p[n] == '>');
}

void vmitn_xscan_file(const char *buf, size_t len, xscan *x)
{
    const char *p = buf, *end = buf + len;
    unsigned line = 1;
    int depth = 0, graphs = 0;  /* <graph> nesting; only the first top-level one counts */
    long cur = -1;              /* the open <node> or <edge>, an index in x->el */
    while (p < end) {
        if (*p == '\n') {
            line++;
            p++;
            continue;
        }
        if (*p != '<') {
            p++;
            continue;
        }
        if ((size_t)(end - p) >= 4 && memcmp(p, "<!--", 4) == 0) {
            p = xskip_to(p + 4, end, "-->", &line);
            continue;
        }
        if ((size_t)(end - p) >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            p = xskip_to(p + 9, end, "]]>", &line);
            continue;
        }
        if (p + 1 < end && (p[1] == '?' || p[1] == '!')) {
            p = xskip_to(p + 2, end, ">", &line);
            continue;
        }
        bool closing = p + 1 < end && p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        unsigned tagline = line;
        /* attributes, to the end of the tag */
        char *id = NULL, *src = NULL, *dst = NULL, *key = NULL, *aname = NULL, *atype = NULL, *afor = NULL;
        const char *q = name;
        while (q < end && *q != '>' && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '/')
            q++;
        bool self = false;
        while (q < end && *q != '>') {
            if (*q == '\n')
                line++;
            if (*q == '/' && q + 1 < end && q[1] == '>')
                self = true;
            if (*q == '=') {
                const char *ae = q;
                while (ae > name && (ae[-1] == ' ' || ae[-1] == '\t' || ae[-1] == '\n' || ae[-1] == '\r'))
                    ae--;
                const char *as = ae;
                while (as > name && as[-1] != ' ' && as[-1] != '\t' && as[-1] != '\n' && as[-1] != '\r')
                    as--;
                const char *v = q + 1;
                while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
                    line += *v++ == '\n';
                if (v >= end || (*v != '"' && *v != '\''))
                    break;
                char quote = *v++;
                const char *ve = v;
                while (ve < end && *ve != quote)
                    line += *ve++ == '\n';
                if (ve >= end)
                    break;
                size_t an = (size_t)(ae - as);
                char **slot = an == 2 && !memcmp(as, "id", 2) ? &id
                            : an == 6 && !memcmp(as, "source", 6) ? &src
                            : an == 6 && !memcmp(as, "target", 6) ? &dst
                            : an == 3 && !memcmp(as, "key", 3) ? &key
                            : an == 9 && !memcmp(as, "attr.name", 9) ? &aname
                            : an == 9 && !memcmp(as, "attr.type", 9) ? &atype
                            : an == 3 && !memcmp(as, "for", 3) ? &afor : NULL;
                if (slot != NULL && *slot == NULL)
                    *slot = xdecode(v, ve);
                q = ve + 1;
                continue;
            }
            q++;
        }
        const char *after = q < end ? q + 1 : end;
        bool active = graphs == 1 && depth == 1;
        if (closing) {
            if (xname_is(name, end, "graph"))
                depth--;
            else if (xname_is(name, end, "node") || xname_is(name, end, "edge"))
                cur = -1;
        } else if (xname_is(name, end, "graph")) {
            if (depth++ == 0)
                graphs++;
            if (self)
                depth--;
        } else if (xname_is(name, end, "key")) {
            if (x->nkey == x->kcap)
                x->key = vmitn_xrealloc(x->key, (x->kcap = x->kcap ? 2 * x->kcap : 8) * sizeof *x->key);
            x->key[x->nkey++] = (xkey){id, aname, atype, afor};
            id = aname = atype = afor = NULL;
        } else if (active && (xname_is(name, end, "node") || xname_is(name, end, "edge"))) {
            if (x->nel == x->cap)
                x->el = vmitn_xrealloc(x->el, (x->cap = x->cap ? 2 * x->cap : 64) * sizeof *x->el);
            bool edge = xname_is(name, end, "edge");
            x->el[x->nel] = (xelem){edge ? NULL : id, src, dst, tagline, edge, x->ndata, 0};
            if (!edge)
                id = NULL;
            src = dst = NULL;
            cur = self ? -1 : (long)x->nel;
            x->nel++;
        } else if (cur >= 0 && xname_is(name, end, "data") && key != NULL && !self) {
            const char *te = after;
            while (te < end && *te != '<')
                te++;
            if (x->ndata == x->dcap)
                x->data = vmitn_xrealloc(x->data, (x->dcap = x->dcap ? 2 * x->dcap : 64) * sizeof *x->data);
            x->data[x->ndata++] = (xdata){key, xdecode(after, te), tagline};
            x->el[cur].ndata++;
            key = NULL;
        }
        free(id);
        free(src);
        free(dst);
        free(key);
        free(aname);
        free(atype);
        free(afor);
        p = after;
    }
}

static const xkey *xscan_key(const xscan *x, const char *id)
{
    for (size_t i = 0; i < x->nkey; i++)
        if (x->key[i].id && strcmp(x->key[i].id, id) == 0)
            return &x->key[i];
    return NULL;
}

static int cmp_xel(const void *a, const void *b)
{
    const xelem *const *x = a, *const *y = b;
    int c = strcmp((*x)->id, (*y)->id);
    return c ? c : ((*x)->line > (*y)->line) - ((*x)->line < (*y)->line);
}

/* The element names the file gives: "node 'X'", or "edge 'A'--'B'". */
static void xel_name(const xelem *e, char *buf, size_t n)
{
    if (e->edge)
        snprintf(buf, n, "edge '%.100s'--'%.100s'", e->source ? e->source : "?", e->target ? e->target : "?");
    else
        snprintf(buf, n, "node '%.200s'", e->id ? e->id : "?");
}

/* After igraph failed: a numeric <data> that is no number is the likely cause, and here
 * it gets its element and line.  0 when none is found. */
int vmitn_xscan_bad_number(const xscan *x, const char *path, char *err, size_t errlen)
{
    for (size_t i = 0; i < x->nel; i++)
        for (size_t k = x->el[i].data0; k < x->el[i].data0 + x->el[i].ndata; k++) {
            const xkey *key = xscan_key(x, x->data[k].key);
            if (key == NULL || key->type == NULL ||
                (strcmp(key->type, "double") && strcmp(key->type, "float") && strcmp(key->type, "int") &&
                 strcmp(key->type, "long")))
                continue;
            char buf[128], *e;
            trimmed(x->data[k].text, buf, sizeof buf);
            errno = 0;
            (void)strtod(buf, &e);
            if (buf[0] && !*e)
                continue;
            char el[256];
            xel_name(&x->el[i], el, sizeof el);
            return vmitn_topo_fail(err, errlen, VMITN_EINPUT, "%s:%u: %s: bad %s '%s' (key '%s' is attr.type %s: a plain number, e.g. 100e6)",
                             path, x->data[k].line, el, key->name ? key->name : x->data[k].key, buf,
                             x->data[k].key, key->type);
        }
    return 0;
}

/* After igraph read the file: a node declared twice, or an edge to a node the file does
 * not declare, is an error (igraph would merge the first and invent the second). */
int vmitn_xscan_check(xscan *x, const char *path, char *err, size_t errlen)
{
    size_t nn = 0;
    const xelem **nodes = vmitn_xmalloc((x->nel + 1) * sizeof *nodes);
    for (size_t i = 0; i < x->nel; i++)
        if (!x->el[i].edge && x->el[i].id)
            nodes[nn++] = &x->el[i];
    qsort(nodes, nn, sizeof *nodes, cmp_xel);
    x->node = nodes;
    x->nnode = nn;
    x->edge = vmitn_xmalloc((x->nel + 1) * sizeof *x->edge);
    for (size_t i = 0; i < x->nel; i++)
        if (x->el[i].edge)
            x->edge[x->nedge++] = &x->el[i];
    int rc = 0;
    for (size_t i = 1; i < nn && rc == 0; i++)
        if (strcmp(nodes[i]->id, nodes[i - 1]->id) == 0)
            rc = vmitn_topo_fail(err, errlen, VMITN_EINPUT, "%s:%u: node '%s': a second node with this id (the first is on line %u)",
                           path, nodes[i]->line, nodes[i]->id, nodes[i - 1]->line);
    for (size_t i = 0; i < x->nel && rc == 0; i++) {
        const xelem *e = &x->el[i];
        if (!e->edge)
            continue;
        const char *ends[2] = {e->source, e->target};
        for (int k = 0; k < 2 && rc == 0; k++) {
            xelem key = {.id = (char *)(ends[k] ? ends[k] : "")};
            const xelem *kp = &key;
            /* any node of that id will do: compare ids only */
            size_t lo = 0, hi = nn;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (strcmp(nodes[mid]->id, kp->id) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == nn || strcmp(nodes[lo]->id, kp->id) != 0) {
                char el[256];
                xel_name(e, el, sizeof el);
                rc = vmitn_topo_fail(err, errlen, VMITN_EINPUT, "%s:%u: %s: no node '%s' in the file (declare it with <node id=\"%s\">)",
                               path, e->line, el, kp->id, kp->id);
            }
        }
    }
    return rc;
}

/* The line of node `name` (its first declaration), or 0. */
unsigned vmitn_xscan_node_line(const xscan *x, const char *name)
{
    size_t lo = 0, hi = x->nnode;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(x->node[mid]->id, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->nnode && strcmp(x->node[lo]->id, name) == 0 ? x->node[lo]->line : 0;
}
