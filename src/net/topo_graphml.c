/* topo_graphml.c — reads a GraphML topology with igraph (with the line map of
 * topo_xml.c for messages), checks every attribute, and hands the result to build
 * (topo.c); seeds igraph's random numbers.  The only file of vmitn that includes
 * igraph.h.
 *
 * ---- Topology file format (GraphML, read with igraph) ------------------------------
 *
 * A node's GraphML `id` is its name ("L1-1", "R5", "SMC"): 1 to 63 letters, digits, '_',
 * '-' and '.', not starting with '.' (ids name capture files), unique in the file; no host
 * may be named "smc" (the SMC learner's capture).  Every edge's ends must be declared
 * <node>s (igraph would invent them).  Node attributes
 * (<key for="node" attr.type="string" ...> unless said otherwise):
 *
 *   kind  "router" | "host" | "smc"                                        (required)
 *   addr  dotted quad: a host's wired address, the SMC's OOB address  (hosts, smc;
 *         ignored on routers)
 *   lan   CIDR of the LAN an edge router serves, e.g. "172.16.0.0/16" (edge routers
 *         only; host bits must be zero; a router serves at most one LAN)
 *   fes   on hosts: 1 = an FES host (the default), 0 = a plain host.  Declare it as
 *         attr.type int/double (a missing value reads as 1), or as boolean WITH
 *         <default>true</default>: igraph reads a boolean key without a default as
 *         false wherever it is missing.  A string "0"/"1"/"true"/"false" also works.
 *
 * Edge attributes (attr.type double; a string holding a number also works):
 *
 *   delay  propagation delay in seconds, >= 0 (at most 3600), required
 *   bw     bandwidth in bit/s, >= 1000, required (all links' delays, and all their times
 *          for a 64 KiB packet, sum to at most 1e8 s: no route's time overflows)
 *
 * Edges are links: their direction (edgedefault) is ignored.  Rules:
 *   - every host has exactly one link, to a router whose lan contains the host's addr;
 *   - the SMC has no wired link (it is on the OOB network only) but has an addr; a
 *     topology may hold any number of SMCs, including none;
 *   - addresses (hosts and SMCs) are unique; LANs do not overlap;
 *   - there is at least one router and every router reaches every other over
 *     router-router links; no host-host links, no loops, no parallel router links.
 *
 * Errors return -VMITN_EINPUT (-VMITN_EIO for a file that cannot be opened or read)
 * with the message "<path>:<line>: <element>: <reason>" (no line where none applies),
 * <element> being "node 'L1-2'",
 * "edge 'L1-1'--'R1'", "key 'addr'", "graph" or "graphml" (the XML itself, with
 * igraph's reason, e.g. "Line 2: Couldn't find end of Start Tag node").  A <data>
 * element whose key is not declared (igraph would drop it with a warning) is an error:
 * it is most likely a typo'd attribute name.  When igraph warned about anything else,
 * the first warning is appended to any later message as a hint.  On error nothing is
 * kept.
 *
 * igraph's error and warning handlers are process-global: vmitn_topo_load installs
 * its own (they record the first message in a thread-local buffer and never abort
 * or print) and leaves them installed; nothing else in vmitn calls igraph. */

#include "vmitn/topo_internal.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>

#include <igraph.h>

/* ---- GraphML ------------------------------------------------------------------------ */

static _Thread_local char igraph_msg[256];
static _Thread_local char igraph_warn[256];
static _Thread_local char igraph_badkey[128];   /* first undeclared <data> key */

static void copy_reason(char *dst, size_t n, const char *reason)
{
    snprintf(dst, n, "%s", reason);
    size_t len = strlen(dst);
    while (len > 0 && (dst[len - 1] == '\n' || dst[len - 1] == '\r' || dst[len - 1] == ' '))
        dst[--len] = '\0';
}

/* igraph calls its handler once per stack frame an error crosses; the first non-empty
 * reason is the informative one.  Like igraph_error_handler_ignore, it frees what the
 * failing igraph function had allocated. */
static void on_igraph_error(const char *reason, const char *file, int line, igraph_error_t e)
{
    (void)file;
    (void)line;
    (void)e;
    if (!igraph_msg[0] && reason && reason[0])
        copy_reason(igraph_msg, sizeof igraph_msg, reason);
    IGRAPH_FINALLY_FREE();
}

static void on_igraph_warning(const char *reason, const char *file, int line)
{
    (void)file;
    (void)line;
    if (!reason || !reason[0])
        return;
    if (!igraph_warn[0])
        copy_reason(igraph_warn, sizeof igraph_warn, reason);
    /* igraph 0.10: "Unknown attribute key 'adr' in a <data> tag, ignoring attribute." */
    const char *q = strstr(reason, "Unknown attribute key '");
    if (q && !igraph_badkey[0]) {
        q += strlen("Unknown attribute key '");
        const char *end = strchr(q, '\'');
        int n = end ? (int)(end - q) : (int)strlen(q);
        snprintf(igraph_badkey, sizeof igraph_badkey, "%.*s", n, q);
    }
}

typedef struct attr_types {
    igraph_strvector_t gn, vn, en;
    igraph_vector_int_t gt, vt, et;
} attr_types;

/* Type of a vertex or edge attribute, or -1 when no node/edge has it. */
static int attr_type(const igraph_strvector_t *names, const igraph_vector_int_t *types,
                     const char *name)
{
    for (igraph_integer_t i = 0; i < igraph_strvector_size(names); i++)
        if (strcmp(igraph_strvector_get(names, i), name) == 0)
            return (int)VECTOR(*types)[i];
    return -1;
}

enum { V_ABSENT, V_OK, V_BAD };

/* A numeric value of a node (vid >= 0) or edge attribute, whatever its declared type. */
static int num_value(const igraph_t *g, bool edge, int type, const char *name,
                     igraph_integer_t id, double *out, char *raw, size_t rawlen)
{
    raw[0] = '\0';
    switch (type) {
    case IGRAPH_ATTRIBUTE_NUMERIC:
        *out = edge ? EAN(g, name, id) : VAN(g, name, id);
        snprintf(raw, rawlen, "%g", *out);
        return isnan(*out) ? V_ABSENT : V_OK;
    case IGRAPH_ATTRIBUTE_BOOLEAN:
        *out = (edge ? EAB(g, name, id) : VAB(g, name, id)) ? 1.0 : 0.0;
        snprintf(raw, rawlen, "%s", *out != 0.0 ? "true" : "false");
        return V_OK;
    case IGRAPH_ATTRIBUTE_STRING: {
        trimmed(edge ? EAS(g, name, id) : VAS(g, name, id), raw, rawlen);
        if (!raw[0])
            return V_ABSENT;
        if (strcmp(raw, "true") == 0 || strcmp(raw, "false") == 0) {
            *out = raw[0] == 't';
            return V_OK;
        }
        char *end;
        errno = 0;
        *out = strtod(raw, &end);
        return (*end || errno == ERANGE || isnan(*out)) ? V_BAD : V_OK;
    }
    default:
        return V_ABSENT;
    }
}

static bool parse_cidr(const char *s, uint32_t *prefix, unsigned *len)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof buf)
        return false;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = '\0';
    if (vmitn_ip_parse(buf, prefix) != 0)
        return false;
    const char *p = slash + 1;
    unsigned n = 0;
    if (!*p || strlen(p) > 2)
        return false;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        n = n * 10 + (unsigned)(*p - '0');
    }
    if (n > 32)
        return false;
    *len = n;
    return true;
}

/* Reads every attribute into s, checking each value. */
static int spec_from_igraph(const igraph_t *g, const xscan *x, spec *s, char *err, size_t errlen)
{
    int rc = 0;
    attr_types at;
    igraph_strvector_init(&at.gn, 0);
    igraph_strvector_init(&at.vn, 0);
    igraph_strvector_init(&at.en, 0);
    igraph_vector_int_init(&at.gt, 0);
    igraph_vector_int_init(&at.vt, 0);
    igraph_vector_int_init(&at.et, 0);
    if (igraph_cattribute_list(g, &at.gn, &at.gt, &at.vn, &at.vt, &at.en, &at.et) !=
        IGRAPH_SUCCESS) {
        rc = vmitn_topo_fail_at(s, err, errlen, "graphml: cannot list attributes: %s", igraph_msg);
        goto done;
    }
    static const char *const string_keys[] = {"kind", "addr", "lan"};
    for (size_t i = 0; i < sizeof string_keys / sizeof *string_keys; i++) {
        int ty = attr_type(&at.vn, &at.vt, string_keys[i]);
        if (ty >= 0 && ty != IGRAPH_ATTRIBUTE_STRING) {
            rc = vmitn_topo_fail_at(s, err, errlen, "key '%s': attr.type must be string", string_keys[i]);
            goto done;
        }
    }
    int t_id = attr_type(&at.vn, &at.vt, "id"), t_kind = attr_type(&at.vn, &at.vt, "kind");
    int t_addr = attr_type(&at.vn, &at.vt, "addr"), t_lan = attr_type(&at.vn, &at.vt, "lan");
    int t_fes = attr_type(&at.vn, &at.vt, "fes");
    int t_delay = attr_type(&at.en, &at.et, "delay"), t_bw = attr_type(&at.en, &at.et, "bw");
    if (t_id != IGRAPH_ATTRIBUTE_STRING && t_id >= 0) {
        rc = vmitn_topo_fail_at(s, err, errlen, "graphml: node ids are not strings");
        goto done;
    }

    igraph_integer_t nv = igraph_vcount(g), ne = igraph_ecount(g);
    if (nv >= (igraph_integer_t)INT32_MAX || ne >= (igraph_integer_t)INT32_MAX) {
        rc = vmitn_topo_fail_at(s, err, errlen, "graph: too many nodes or edges");
        goto done;
    }
    s->nn = (unsigned)nv;
    s->nl = (unsigned)ne;
    s->node = vmitn_xcalloc(s->nn ? s->nn : 1, sizeof *s->node);
    s->link = vmitn_xcalloc(s->nl ? s->nl : 1, sizeof *s->link);
    char buf[128];
    for (igraph_integer_t v = 0; v < nv; v++) {
        spec_node *n = &s->node[v];
        n->name = t_id >= 0 ? VAS(g, "id", v) : "";
        n->line = vmitn_xscan_node_line(x, n->name);
        /* ids become file names (--pcap captures) and model parameters (start_host) */
        if (!vmitn_safe_name(n->name, 63)) {
            rc = vmitn_topo_fail_line(s, n->line, err, errlen, "node '%.100s': a node id must be 1 to 63 letters, digits, "
                           "'_', '-' and '.', not starting with '.' (ids name capture files)", n->name);
            goto done;
        }
        if (t_kind < 0 || (trimmed(VAS(g, "kind", v), buf, sizeof buf), !buf[0])) {
            rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': no kind attribute", n->name);
            goto done;
        }
        if (strcmp(buf, "router") == 0) {
            n->kind = K_ROUTER;
        } else if (strcmp(buf, "host") == 0) {
            n->kind = K_FES;
            if (strcmp(n->name, "smc") == 0) {
                rc = vmitn_topo_fail_at(s, err, errlen, "node 'smc': a host may not be named smc (vmitn's capture of "
                             "the SMC's learner is smc.pcap)");
                goto done;
            }
        } else if (strcmp(buf, "smc") == 0) {
            n->kind = K_SMC;
        } else {
            rc = vmitn_topo_fail_at(s, err, errlen,
                         "node '%s': unknown kind '%s' (expected router, host or smc)", n->name,
                         buf);
            goto done;
        }
        if (t_lan >= 0)
            trimmed(VAS(g, "lan", v), buf, sizeof buf);
        else
            buf[0] = '\0';
        if (n->kind == K_ROUTER && buf[0]) {
            if (!parse_cidr(buf, &n->lan_prefix, &n->lan_len)) {
                rc = vmitn_topo_fail_at(s, err, errlen,
                             "node '%s': bad lan '%s' (expected a CIDR such as 172.16.0.0/16)",
                             n->name, buf);
                goto done;
            }
            if (n->lan_prefix & ~netmask(n->lan_len)) {
                rc = vmitn_topo_fail_at(s, err, errlen,
                             "node '%s': bad lan '%s' (host bits set; the network is %u bits)",
                             n->name, buf, n->lan_len);
                goto done;
            }
            n->has_lan = true;
        } else if (buf[0]) {
            rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': a lan attribute on a %s (only edge "
                         "routers have one)", n->name, n->kind == K_SMC ? "smc" : "host");
            goto done;
        }
        if (n->kind == K_ROUTER)
            continue;
        if (t_addr < 0 || (trimmed(VAS(g, "addr", v), buf, sizeof buf), !buf[0])) {
            rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': no addr attribute", n->name);
            goto done;
        }
        if (vmitn_ip_parse(buf, &n->addr) != 0) {
            rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': bad addr '%s' (expected a dotted quad)",
                         n->name, buf);
            goto done;
        }
        if (n->kind == K_FES && t_fes >= 0) {
            double f;
            int st = num_value(g, false, t_fes, "fes", v, &f, buf, sizeof buf);
            if (st == V_BAD || (st == V_OK && f != 0.0 && f != 1.0)) {
                rc = vmitn_topo_fail_at(s, err, errlen, "node '%s': bad fes '%s' (expected 1 or 0)", n->name,
                             buf);
                goto done;
            }
            if (st == V_OK && f == 0.0)
                n->kind = K_PLAIN;
        }
    }
    for (igraph_integer_t e = 0; e < ne; e++) {
        spec_link *l = &s->link[e];
        igraph_integer_t from, to;
        igraph_edge(g, e, &from, &to);
        /* igraph keeps no endpoint order for undirected graphs: name a host first. */
        if (s->node[from].kind == K_ROUTER && s->node[to].kind != K_ROUTER) {
            igraph_integer_t x = from;
            from = to;
            to = x;
        }
        l->a = (unsigned)from;
        l->b = (unsigned)to;
        l->line = (size_t)ne == x->nedge ? x->edge[e]->line : 0;
        const char *an = s->node[from].name, *bn = s->node[to].name;
        double d, bw;
        int st = num_value(g, true, t_delay, "delay", e, &d, buf, sizeof buf);
        if (st == V_ABSENT) {
            rc = vmitn_topo_fail_line(s, l->line, err, errlen, "edge '%s'--'%s': no delay attribute", an, bn);
            goto done;
        }
        if (st == V_BAD || !(d >= 0.0) || d > DELAY_MAX) {
            rc = vmitn_topo_fail_line(s, l->line, err, errlen,
                         "edge '%s'--'%s': bad delay '%s' (seconds, from 0 to %g)", an, bn, buf,
                         DELAY_MAX);
            goto done;
        }
        st = num_value(g, true, t_bw, "bw", e, &bw, buf, sizeof buf);
        if (st == V_ABSENT) {
            rc = vmitn_topo_fail_line(s, l->line, err, errlen, "edge '%s'--'%s': no bw attribute", an, bn);
            goto done;
        }
        if (st == V_BAD || !(bw >= BW_MIN) || isinf(bw)) {
            rc = vmitn_topo_fail_line(s, l->line, err, errlen,
                           "edge '%s'--'%s': bad bw '%s' (bit/s, a finite number >= %g)", an, bn,
                           buf, BW_MIN);
            goto done;
        }
        l->delay = vmitn_secs(d);
        l->bw = bw;
    }
done:
    igraph_strvector_destroy(&at.gn);
    igraph_strvector_destroy(&at.vn);
    igraph_strvector_destroy(&at.en);
    igraph_vector_int_destroy(&at.gt);
    igraph_vector_int_destroy(&at.vt);
    igraph_vector_int_destroy(&at.et);
    return rc;
}

int vmitn_topo_load(const char *path, vmitn_topo **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return vmitn_topo_fail(err, errlen, VMITN_EIO, "%s: cannot open: %s", path,
                         strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return vmitn_topo_fail(err, errlen, VMITN_EIO, "%s: cannot read: %s", path, strerror(EISDIR));
    }
    if (fstat(fileno(f), &st) == 0 && st.st_size > TOPO_FILE_MAX) {
        fclose(f);
        return vmitn_topo_fail(err, errlen, VMITN_EINPUT, "%s: graphml: larger than %d MiB", path, TOPO_FILE_MAX >> 20);
    }
    /* the text, for the line map (the file is read twice: once here, once by igraph) */
    size_t cap = 1 << 16, len = 0, got;
    char *text = vmitn_xmalloc(cap);
    while ((got = fread(text + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap)
            text = vmitn_xrealloc(text, cap *= 2);
        if (len > TOPO_FILE_MAX)
            break;
    }
    xscan x = {0};
    vmitn_xscan_file(text, len, &x);
    free(text);
    rewind(f);

    igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_set_error_handler(on_igraph_error);
    igraph_set_warning_handler(on_igraph_warning);
    igraph_msg[0] = '\0';
    igraph_warn[0] = '\0';
    igraph_badkey[0] = '\0';

    igraph_t g;
    igraph_error_t ig = igraph_read_graph_graphml(&g, f, 0);
    bool ioerr = ferror(f) != 0;
    int ioerrno = errno;
    fclose(f);
    if (ioerr) {
        if (ig == IGRAPH_SUCCESS)
            igraph_destroy(&g);
        vmitn_xscan_free(&x);
        return vmitn_topo_fail(err, errlen, VMITN_EIO, "%s: cannot read: %s", path, strerror(ioerrno));
    }
    if (ig != IGRAPH_SUCCESS) {
        const char *why = igraph_msg[0] ? igraph_msg : "not a GraphML file";
        if (strstr(why, "index was too large"))   /* igraph's words for "no graph 0" */
            why = "no <graph> element";
        int rc = vmitn_xscan_bad_number(&x, path, err, errlen);
        vmitn_xscan_free(&x);
        if (rc < 0)
            return rc;
        return vmitn_topo_fail(err, errlen, VMITN_EINPUT, "%s: graphml: %s", path, why);
    }
    {
        int rc = vmitn_xscan_check(&x, path, err, errlen);
        if (rc < 0) {
            igraph_destroy(&g);
            vmitn_xscan_free(&x);
            return rc;
        }
    }

    if (igraph_badkey[0]) {   /* a typo'd attribute name is an error, not a default */
        bool other = !strstr(igraph_warn, "Unknown attribute key");
        igraph_destroy(&g);
        vmitn_xscan_free(&x);
        return vmitn_topo_fail(err, errlen, VMITN_EINPUT,
                         "%s: graphml: a <data> element with undeclared key '%s' (declare it "
                         "in a <key> or fix its name)%s%s%s", path, igraph_badkey,
                         other ? " (igraph warned: " : "", other ? igraph_warn : "",
                         other ? ")" : "");
    }

    spec s = {0};
    s.path = path;
    if (igraph_warn[0])
        snprintf(s.hint, sizeof s.hint, " (igraph warned: %s)", igraph_warn);
    int rc = spec_from_igraph(&g, &x, &s, err, errlen);
    if (rc == 0)
        rc = vmitn_topo_build(&s, out, err, errlen);
    igraph_destroy(&g);
    vmitn_xscan_free(&x);
    free(s.node);
    free(s.link);
    return rc;
}

void vmitn_topo_seed_igraph(uint64_t seed)
{
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
}
