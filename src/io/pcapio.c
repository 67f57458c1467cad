/* pcapio.c — captures through libpcap (pcap and pcapng, read; pcap with nanosecond
 * timestamps, written).  Reading: Ethernet (with 802.1Q / 802.1ad VLAN tags), Linux cooked
 * capture v1 and v2, raw IP, BSD loopback.  Only IPv4 reaches the learner: its source,
 * destination and destination port (TCP, UDP; 0 for every other protocol, e.g. ICMP, which
 * the learner treats as an ordinary port value). */
/* libpcap's headers use the BSD types (u_char, u_int) */
#define _DEFAULT_SOURCE
#include "vmitn/pcapio.h"

#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmitn/util.h"

enum { OK = VMITN_PCAP_OK, NON_IPV4 = VMITN_PCAP_NON_IPV4, TRUNCATED = VMITN_PCAP_TRUNCATED, FRAGMENT = VMITN_PCAP_FRAGMENT };

static uint16_t be16(const u_char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const u_char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* Finds the IPv4 header of a frame of link type `dlt`; returns its offset or -skip. */
static long ip_offset(const u_char *p, uint32_t len, int dlt)
{
    uint32_t off;
    uint16_t type;
    switch (dlt) {
    case DLT_EN10MB:
        if (len < 14)
            return -TRUNCATED;
        off = 12;
        type = be16(p + off);
        while (type == 0x8100 || type == 0x88a8 || type == 0x9100) { /* VLAN tags */
            off += 4;
            if (len < off + 2)
                return -TRUNCATED;
            type = be16(p + off);
        }
        off += 2;
        return type == 0x0800 ? (long)off : -NON_IPV4;
    case DLT_LINUX_SLL:
        if (len < 16)
            return -TRUNCATED;
        return be16(p + 14) == 0x0800 ? 16 : -NON_IPV4;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
        if (len < 20)
            return -TRUNCATED;
        return be16(p) == 0x0800 ? 20 : -NON_IPV4;
#endif
    case DLT_RAW:
#ifdef DLT_IPV4
    case DLT_IPV4:
#endif
        if (len < 1)
            return -TRUNCATED;
        return (p[0] >> 4) == 4 ? 0 : -NON_IPV4;
    case DLT_NULL:
    case DLT_LOOP: {
        if (len < 4)
            return -TRUNCATED;
        /* DLT_NULL is in the capturing machine's byte order: accept AF_INET = 2 either way */
        uint32_t af = dlt == DLT_LOOP ? be32(p) : (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        return af == 2 || (dlt == DLT_NULL && af == 0x02000000u) ? 4 : -NON_IPV4;
    }
    default:
        return -NON_IPV4;
    }
}

static bool supported(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
#endif
    case DLT_RAW:
#ifdef DLT_IPV4
    case DLT_IPV4:
#endif
    case DLT_NULL:
    case DLT_LOOP:
        return true;
    default:
        return false;
    }
}

/* The IPv4 fields of one frame, or why it has none (the return value). */
static int parse(const u_char *p, uint32_t caplen, uint32_t len, int dlt, vmitn_pcap_pkt *k)
{
    long o = ip_offset(p, caplen, dlt);
    if (o < 0)
        return (int)-o;
    const u_char *ip = p + o;
    uint32_t rest = caplen - (uint32_t)o;
    if (rest < 20)
        return TRUNCATED;
    if ((ip[0] >> 4) != 4)
        return NON_IPV4;
    uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
    if (ihl < 20 || rest < ihl)
        return TRUNCATED;
    if ((be16(ip + 6) & 0x1fff) != 0) /* not the first fragment: no ports */
        return FRAGMENT;
    k->src = be32(ip + 12);
    k->dst = be32(ip + 16);
    k->proto = ip[9];
    k->sport = k->dport = 0;
    k->tcp_flags = 0;
    k->bytes = be16(ip + 2);
    if (k->bytes == 0) /* segmentation offload: the capture's frame is all there is */
        k->bytes = len > (uint32_t)o ? len - (uint32_t)o : rest;
    if (ip[9] == 6 || ip[9] == 17) {
        if (rest < ihl + 4)
            return TRUNCATED;
        k->sport = be16(ip + ihl);
        k->dport = be16(ip + ihl + 2);
        if (ip[9] == 6 && rest >= ihl + 14)
            k->tcp_flags = ip[ihl + 13];
    }
    return OK;
}

/* A capture timestamp in ns, held to [0, INT64_MAX / 2]: pcapng stores 64-bit times,
 * and a forged one must not overflow (it only makes the learner's clock stand still). */
static long long capture_ns(long long sec, long long nsec)
{
    const long long max_sec = INT64_MAX / 2 / 1000000000LL;
    if (sec < 0)
        return 0;
    if (sec >= max_sec)
        return max_sec * 1000000000LL;
    if (nsec < 0)
        nsec = 0;
    if (nsec > 999999999)
        nsec = 999999999;
    return sec * 1000000000LL + nsec;
}


struct vmitn_pcap_reader {
    pcap_t *pc;
    int dlt;
    char *path;
    unsigned long long read;
    long long t0, last;
};

vmitn_pcap_reader *vmitn_pcap_reader_open(const char *path, int *code, char *err, size_t errlen)
{
    (void)errlen; /* err holds VMITN_ERRLEN, as vmitn_fail writes */
    char ebuf[PCAP_ERRBUF_SIZE];
    struct stat sb;
    if (stat(path, &sb) != 0 || access(path, R_OK) != 0) {
        *code = -vmitn_fail(err, VMITN_EXIT_IO, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        *code = -vmitn_fail(err, VMITN_EXIT_IO, "%s: cannot read: not a file", path);
        return NULL;
    }
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
    if (pc == NULL) {
        *code = -vmitn_fail(err, VMITN_EXIT_INPUT, "%s: not a pcap or pcapng capture (%s)", path, ebuf);
        return NULL;
    }
    int dlt = pcap_datalink(pc);
    if (!supported(dlt)) {
        const char *name = pcap_datalink_val_to_name(dlt);
        *code = -vmitn_fail(err, VMITN_EXIT_INPUT,
                            "%s: unsupported link type %d (%s); vmitn reads Ethernet, Linux cooked capture, raw IP and BSD loopback",
                            path, dlt, name ? name : "unknown");
        pcap_close(pc);
        return NULL;
    }
    vmitn_pcap_reader *r = vmitn_xcalloc(1, sizeof *r);
    r->pc = pc;
    r->dlt = dlt;
    r->path = vmitn_xstrdup(path);
    *code = VMITN_EXIT_OK;
    return r;
}

int vmitn_pcap_reader_next(vmitn_pcap_reader *r, vmitn_pcap_pkt *k, int *cut, char *err, size_t errlen)
{
    (void)errlen;
    struct pcap_pkthdr *ph;
    const u_char *data;
    *cut = 0;
    int rc = pcap_next_ex(r->pc, &ph, &data);
    if (rc == 1) {
        memset(k, 0, sizeof *k);
        long long t = capture_ns(ph->ts.tv_sec, ph->ts.tv_usec); /* ns precision */
        if (r->read++ == 0)
            r->t0 = t;
        /* times from the first packet; t0 and t lie within [0, ~292 years], so this cannot
         * overflow */
        t -= r->t0;
        if (t < r->last) /* a capture slightly out of order: the clock never goes back */
            t = r->last;
        r->last = t;
        k->index = r->read;
        k->t = t;
        k->abs = r->t0 + t;
        k->skip = parse(data, ph->caplen, ph->len, r->dlt, k);
        return 1;
    }
    if (rc == PCAP_ERROR_BREAK)
        return 0;
    if (rc == PCAP_ERROR && strstr(pcap_geterr(r->pc), "different from the type of the first interface")) {
        /* libpcap reads one link type per capture; Wireshark writes one interface block
         * per interface it captured on */
        vmitn_fail(err, VMITN_EINPUT,
                   "%s: a pcapng capture of several interfaces with different link types (as "
                   "Wireshark writes when capturing on more than one); vmitn reads one link type per "
                   "capture: split it by interface first, e.g. tshark -r FILE -Y 'frame.interface_id == 0' -w ONE.pcapng "
                   "(%llu packets came before the second type)",
                   r->path, r->read);
        return -1;
    }
    *cut = 1;
    vmitn_fail(err, VMITN_EINPUT, "%s: the capture stops inside packet %llu (%s)", r->path, r->read + 1,
               rc == PCAP_ERROR ? pcap_geterr(r->pc) : "unexpected end");
    return -1;
}

void vmitn_pcap_reader_close(vmitn_pcap_reader *r)
{
    if (r == NULL)
        return;
    pcap_close(r->pc);
    free(r->path);
    free(r);
}

/* One file of a staged folder, fsync'ed.  0, or -1 after the message naming shown/name. */
static int put_file(const char *dir, const char *shown, const char *name, const char *text)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    size_t len = strlen(text);
    int ok = f != NULL && fwrite(text, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "vmitn: %s/%s: cannot write: %s\n", shown, name, strerror(errno));
        return -1;
    }
    return 0;
}

/* True when dir may be replaced by learn's pair: a folder holding nothing, or only
 * regular files named rules.csv and summary.csv (what an earlier `learn --out` wrote). */
static bool learn_folder(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[4400];
        struct stat st;
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        ok = (strcmp(e->d_name, "rules.csv") == 0 || strcmp(e->d_name, "summary.csv") == 0) && lstat(sub, &st) == 0 &&
             S_ISREG(st.st_mode);
    }
    closedir(d);
    return ok;
}

/* learn --out DIR: rules.csv and summary.csv are written in DIR's hidden sibling
 * .BASE.tmp.HOST.PID, fsync'ed, and that folder then takes DIR's place in one rename (or
 * one RENAME_EXCHANGE with the pair an earlier learn wrote): the pair appears together or
 * not at all.  A DIR holding anything else is never replaced.  Returns a VMITN_EXIT_* code. */
static int write_pair(const char *outdir, const char *rules, const char *summary)
{
    char final[4096], parent[4096], tmp[4400], old[4500], tag[VMITN_TAGLEN];
    snprintf(final, sizeof final, "%s", outdir);
    for (size_t n = strlen(final); n > 1 && final[n - 1] == '/'; n--)
        final[n - 1] = '\0';
    const char *slash = strrchr(final, '/');
    const char *base = slash ? slash + 1 : final;
    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        fprintf(stderr, "vmitn: --out %s: give the folder a name (learn writes DIR/rules.csv and DIR/summary.csv)\n", outdir);
        return VMITN_EXIT_USAGE;
    }
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - final) + (slash == final) : 1, slash ? final : ".");
    struct stat st;
    bool exists = lstat(final, &st) == 0;
    if (exists && (!S_ISDIR(st.st_mode) || !learn_folder(final))) {
        fprintf(stderr, "vmitn: %s exists and holds more than learn's rules.csv and summary.csv: not replacing it; "
                        "choose another --out\n", final);
        return VMITN_EXIT_IO;
    }
    if (vmitn_mkdir_p(parent) != 0) {
        fprintf(stderr, "vmitn: %s: cannot create: %s\n", parent, strerror(errno));
        return VMITN_EXIT_IO;
    }
    char prefix[300];
    snprintf(prefix, sizeof prefix, ".%.250s.tmp.", base);
    vmitn_remove_stale(parent, prefix);
    vmitn_tmp_tag(tag);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%s", parent, base, tag);
    snprintf(old, sizeof old, "%s.old", tmp);
    vmitn_rm_rf(tmp);
    vmitn_cleanup_add(tmp);
    int code = VMITN_EXIT_OK;
    if (mkdir(tmp, 0777) != 0) {
        fprintf(stderr, "vmitn: %s: cannot create: %s\n", tmp, strerror(errno));
        code = VMITN_EXIT_IO;
    } else if (put_file(tmp, final, "rules.csv", rules) < 0 || put_file(tmp, final, "summary.csv", summary) < 0 ||
               vmitn_fsync_path(tmp) != 0) {
        code = VMITN_EXIT_IO;
    } else if (vmitn_interrupted()) {
        code = VMITN_EXIT_INTERRUPTED;
    } else {
        int rc;
        if (!exists) {
            rc = rename(tmp, final);
        } else if ((rc = vmitn_rename_exchange(tmp, final)) != 0 && (errno == EINVAL || errno == ENOSYS)) {
            /* no RENAME_EXCHANGE here: the old pair steps aside first (DIR is missing for
             * the time between two renames, never half-replaced) */
            vmitn_cleanup_add(old);
            if ((rc = rename(final, old)) == 0 && (rc = rename(tmp, final)) != 0) {
                int e = errno;
                rename(old, final);
                errno = e;
            }
        }
        if (rc != 0) {
            fprintf(stderr, "vmitn: %s: cannot create: %s\n", final, strerror(errno));
            code = VMITN_EXIT_IO;
        } else if (vmitn_fsync_path(parent) != 0) {
            fprintf(stderr, "vmitn: %s: cannot write: %s\n", parent, strerror(errno));
            code = VMITN_EXIT_IO;
        }
    }
    vmitn_rm_rf(tmp); /* the old pair after a swap, or what failed */
    vmitn_rm_rf(old);
    vmitn_cleanup_remove(tmp);
    vmitn_cleanup_remove(old);
    return code;
}

int vmitn_pcap_learn(const char *path, const vmitn_learner_cfg *cfg, FILE *out, const char *outdir,
                     vmitn_trace_stats *st)
{
    char err[VMITN_ERRLEN];
    memset(st, 0, sizeof *st);
    int code;
    vmitn_pcap_reader *rd = vmitn_pcap_reader_open(path, &code, err, sizeof err);
    if (rd == NULL) {
        fprintf(stderr, "vmitn: %s\n", err);
        return code;
    }
    vmitn_learner *l = vmitn_learner_new(cfg, err, sizeof err);
    if (l == NULL) {
        fprintf(stderr, "vmitn: learn: %s\n", err);
        vmitn_pcap_reader_close(rd);
        return VMITN_EXIT_INPUT;
    }
    size_t cap = 4096, used = 0;
    char *rules = vmitn_xmalloc(cap);
    used += (size_t)snprintf(rules, cap, "rule,pattern,time_s,since_first_s,packet,fed\n");
    vmitn_pcap_pkt k;
    int rc, cut = 0;
    while ((rc = vmitn_pcap_reader_next(rd, &k, &cut, err, sizeof err)) == 1) {
        if ((st->read & 0xffff) == 0 && vmitn_interrupted())
            break;
        st->read++;
        switch (k.skip) {
        case NON_IPV4: st->non_ipv4++; continue;
        case TRUNCATED: st->truncated++; continue;
        case FRAGMENT: st->fragments++; continue;
        default: break;
        }
        st->fed++;
        vmitn_hdr h = {k.src, k.dst, k.dport};
        vmitn_pattern rule;
        if (!vmitn_learner_feed(l, (vmitn_time)k.t, &h, &rule))
            continue;
        st->rules++;
        char pat[64];
        vmitn_pattern_format(&rule, pat, sizeof pat);
        /* the capture's own clock (for an emulated run: simulated time), and since its start */
        long long abs_ns = k.abs;
        fprintf(out, "rule %llu: %-32s learned at %lld.%09lld s, %.6f s after the first packet (packet %llu; %llu IPv4 headers fed)\n",
                st->rules, pat, abs_ns / 1000000000LL, abs_ns % 1000000000LL, (double)k.t * 1e-9, st->read, st->fed);
        if (used + 256 > cap)
            rules = vmitn_xrealloc(rules, cap *= 2);
        used += (size_t)snprintf(rules + used, cap - used, "%llu,\"%s\",%lld.%09lld,%.9f,%llu,%llu\n", st->rules, pat,
                                 abs_ns / 1000000000LL, abs_ns % 1000000000LL, (double)k.t * 1e-9, st->read, st->fed);
    }
    code = VMITN_EXIT_OK;
    if (vmitn_interrupted()) {
        fprintf(stderr, "vmitn: interrupted: nothing was written\n");
        free(rules);
        vmitn_learner_free(l);
        vmitn_pcap_reader_close(rd);
        return VMITN_EXIT_INTERRUPTED;
    }
    if (rc < 0 && !cut) {
        fprintf(stderr, "vmitn: %s\n", err);
        free(rules);
        vmitn_learner_free(l);
        vmitn_pcap_reader_close(rd);
        return VMITN_EXIT_INPUT;
    }
    if (rc < 0) {
        st->stopped_early = 1;
        fprintf(stderr, "vmitn: %s; read the %llu whole packets before it\n", err, st->read);
        if (st->read == 0)
            code = VMITN_EXIT_INPUT;
    }
    fprintf(out, "packets read %llu; IPv4 fed to the learner %llu; skipped: non-IPv4 %llu, truncated %llu, "
                 "fragments %llu; rules %llu\n",
            st->read, st->fed, st->non_ipv4, st->truncated, st->fragments, st->rules);
    if (outdir != NULL && code == VMITN_EXIT_OK) {
        size_t sl = strlen(path) * 2 + 1024;
        char *summary = vmitn_xmalloc(sl), *qpath = vmitn_xmalloc(strlen(path) * 2 + 1), *q = qpath;
        for (const char *c = path; *c; c++) { /* CSV quoting: double the quotes */
            if (*c == '"')
                *q++ = '"';
            *q++ = *c;
        }
        *q = '\0';
        snprintf(summary, sl,
                 "key,value\ncapture,\"%s\"\npackets_read,%llu\nipv4_fed,%llu\nskipped_non_ipv4,%llu\n"
                 "skipped_truncated,%llu\nskipped_fragments,%llu\nrules,%llu\ncomplete,%s\nlambda,%g\ntheta,%g\n"
                 "half_life_s,%g\nlru_size,%u\ntable_size,%u\n",
                 qpath, st->read, st->fed, st->non_ipv4, st->truncated, st->fragments, st->rules,
                 st->stopped_early ? "no" : "yes", cfg->lambda, cfg->theta, vmitn_to_secs(cfg->half_life),
                 cfg->lru_size, cfg->table_size);
        code = write_pair(outdir, rules, summary);
        if (code == VMITN_EXIT_INTERRUPTED)
            fprintf(stderr, "vmitn: interrupted: nothing was written\n");
        free(summary);
        free(qpath);
    }
    free(rules);
    vmitn_learner_free(l);
    vmitn_pcap_reader_close(rd);
    return code;
}

/* ---------- writing ---------- */

/* The captures of one experiment are written in a folder the caller chose (src/lua/commit.c:
 * a hidden staging folder beside the final one), closed whole or removed; the caller puts
 * them in place with the results, once the whole scenario has succeeded. */
typedef struct tap {
    pcap_dumper_t *d;
} tap;

struct vmitn_pcap_writer {
    const vmitn_topo *t;
    pcap_t *dead;
    tap *taps; /* one per host (NULL for non-FES), then the SMC's at index nhosts */
    unsigned n;
    char dir[4096], shown[4096];
};

static int tap_open(vmitn_pcap_writer *w, tap *tp, const char *name, char *err, size_t errlen)
{
    /* the topology loader refuses such names already; a file outside the folder is never made */
    if (!vmitn_safe_name(name, 200)) {
        snprintf(err, errlen, "host '%.200s': not a name a capture file may have", name);
        return -VMITN_EINPUT;
    }
    char path[4500];
    snprintf(path, sizeof path, "%s/%s.pcap", w->dir, name);
    tp->d = pcap_dump_open(w->dead, path);
    if (tp->d == NULL) {
        snprintf(err, errlen, "%.300s/%.100s.pcap: cannot create: %s", w->shown, name, pcap_geterr(w->dead));
        return -VMITN_EIO;
    }
    return 0;
}

static void writer_free(vmitn_pcap_writer *w, bool remove_dir)
{
    for (unsigned i = 0; i <= w->n; i++)
        if (w->taps[i].d)
            pcap_dump_close(w->taps[i].d);
    if (remove_dir)
        vmitn_rm_rf(w->dir);
    pcap_close(w->dead);
    free(w->taps);
    free(w);
}

vmitn_pcap_writer *vmitn_pcap_writer_open(const char *dir, const char *shown, const vmitn_topo *t, char *err,
                                          size_t errlen)
{
    vmitn_pcap_writer *w = vmitn_xcalloc(1, sizeof *w);
    w->t = t;
    w->n = vmitn_topo_nhosts(t);
    w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
    w->taps = vmitn_xcalloc(w->n + 1, sizeof *w->taps);
    snprintf(w->dir, sizeof w->dir, "%s", dir);
    snprintf(w->shown, sizeof w->shown, "%s", shown);
    vmitn_rm_rf(w->dir);
    if (mkdir(w->dir, 0777) != 0) {
        snprintf(err, errlen, "%.400s: cannot create: %s", w->dir, strerror(errno));
        writer_free(w, false);
        return NULL;
    }
    for (unsigned i = 0; i < w->n; i++) {
        char nb[VMITN_TOPO_NAMEBUF];
        if (vmitn_topo_host(t, i).kind != VMITN_HOST_FES)
            continue;
        if (tap_open(w, &w->taps[i], vmitn_topo_host_name(t, i, nb), err, errlen) < 0)
            goto fail;
    }
    if (tap_open(w, &w->taps[w->n], "smc", err, errlen) < 0)
        goto fail;
    return w;
fail:
    writer_free(w, true);
    return NULL;
}

void vmitn_pcap_writer_discard(vmitn_pcap_writer *w) { writer_free(w, true); }

int vmitn_pcap_dest_check(const char *dir, bool force, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%.400s: cannot read: %s", dir, strerror(errno));
        return -VMITN_EIO;
    }
    if (!force) {
        snprintf(err, errlen, "%.400s exists: choose another --pcap folder, or --force to replace it", dir);
        return -VMITN_EIO;
    }
    const char *bad = NULL;
    char what[300] = "";
    DIR *d = S_ISDIR(st.st_mode) ? opendir(dir) : NULL;
    if (d == NULL) {
        bad = "is not a folder";
    } else {
        struct dirent *e;
        while (bad == NULL && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[4400];
            snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
            size_t n = strlen(e->d_name);
            if (!vmitn_safe_name(e->d_name, 250) || n < 6 || strcmp(e->d_name + n - 5, ".pcap") != 0 ||
                lstat(sub, &st) != 0 || !S_ISREG(st.st_mode)) {
                snprintf(what, sizeof what, "holds '%.250s'", e->d_name);
                bad = what;
            }
        }
        closedir(d);
    }
    if (bad != NULL) {
        snprintf(err, errlen, "%.400s exists and %s, so is no capture folder vmitn wrote: not replacing it, even with --force",
                 dir, bad);
        return -VMITN_EIO;
    }
    return 0;
}

static void put16(u_char *p, unsigned v) { p[0] = (u_char)(v >> 8), p[1] = (u_char)v; }
static void put32(u_char *p, uint32_t v) { put16(p, v >> 16), put16(p + 2, v & 0xffff); }

static uint16_t ip_checksum(const u_char *h)
{
    uint32_t s = 0;
    for (int i = 0; i < 20; i += 2)
        s += be16(h + i);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* Ethernet + IPv4 + TCP/UDP/ICMP headers for a packet; returns the captured length. */
static uint32_t frame(u_char *b, uint32_t src, uint32_t dst, unsigned sport, unsigned dport, unsigned proto,
                      unsigned bytes, bool syn, uint32_t *len)
{
    memset(b, 0, 64);
    /* locally administered MACs carrying the IP address: 02:00:a.b.c.d */
    b[0] = 2, put32(b + 2, dst);
    b[6] = 2, put32(b + 8, src);
    put16(b + 12, 0x0800);
    u_char *ip = b + 14;
    unsigned l4 = proto == 6 ? 20 : 8;
    if (bytes < 20 + l4)
        bytes = 20 + l4;
    ip[0] = 0x45;
    put16(ip + 2, bytes);
    ip[8] = 64;
    ip[9] = (u_char)proto;
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, ip_checksum(ip));
    u_char *t = ip + 20;
    if (proto == 6) {
        put16(t, sport);
        put16(t + 2, dport);
        t[12] = 5 << 4;
        t[13] = syn ? 0x02 : 0x18; /* SYN, or PSH|ACK */
        put16(t + 14, 65535);
    } else if (proto == 17) {
        put16(t, sport);
        put16(t + 2, dport);
        put16(t + 4, bytes - 20);
    } else {
        t[0] = 8; /* ICMP echo request */
    }
    *len = 14 + bytes;
    return 14 + 20 + l4;
}

static void dump(vmitn_pcap_writer *w, tap *tp, vmitn_time t, const u_char *b, uint32_t caplen, uint32_t len)
{
    struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)(t / VMITN_S);
    h.ts.tv_usec = (suseconds_t)(t % VMITN_S); /* nanoseconds: the dumper writes nanosecond pcap */
    h.caplen = caplen;
    h.len = len;
    pcap_dump((u_char *)tp->d, &h, b);
    (void)w;
}

static void on_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    vmitn_pcap_writer *w = ctx;
    int host;
    if (f == VMITN_PKT_SENT)
        host = p->from; /* leaving through the sender's bridge */
    else if (f == VMITN_PKT_DELIVERED || f == VMITN_PKT_BLOCKED_IN || f == VMITN_PKT_DOWN)
        host = p->to; /* reaching the receiver's bridge */
    else
        return;
    if (host < 0 || (unsigned)host >= w->n || w->taps[host].d == NULL)
        return;
    u_char b[64];
    uint32_t len, cap = frame(b, p->src, p->dst, p->sport, p->dport, p->proto, p->bytes,
                              p->kind == VMITN_PKT_SCAN || (p->kind == VMITN_PKT_FLOOD && p->proto == 6), &len);
    dump(w, &w->taps[host], t, b, cap, len);
}

static void on_learn(void *ctx, vmitn_time t, const vmitn_hdr *hd, int kind)
{
    (void)kind;
    vmitn_pcap_writer *w = ctx;
    u_char b[64];
    uint32_t len, cap = frame(b, hd->src, hd->dst, 1024, hd->port, hd->port ? 6 : 1, 40, true, &len);
    dump(w, &w->taps[w->n], t, b, cap, len);
}

vmitn_observer vmitn_pcap_writer_observer(vmitn_pcap_writer *w)
{
    return (vmitn_observer){.ctx = w, .packet = on_packet, .learn = on_learn};
}

int vmitn_pcap_writer_close(vmitn_pcap_writer *w, char *err, size_t errlen)
{
    /* every file is flushed, checked and fsync'ed (a full disk shows in the stream's error
     * flag, which pcap_dump itself never reports) */
    int rc = 0;
    for (unsigned i = 0; i <= w->n && rc == 0; i++) {
        tap *tp = &w->taps[i];
        if (tp->d == NULL)
            continue;
        FILE *f = pcap_dump_file(tp->d);
        errno = 0;
        if (pcap_dump_flush(tp->d) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
            char nb[VMITN_TOPO_NAMEBUF];
            const char *name = i == w->n ? "smc" : vmitn_topo_host_name(w->t, i, nb);
            snprintf(err, errlen, "%.300s/%.100s.pcap: cannot write: %s", w->shown, name,
                     errno ? strerror(errno) : "a write failed (disk full, or the file too large?)");
            rc = -VMITN_EIO;
        }
    }
    for (unsigned i = 0; i <= w->n; i++)
        if (w->taps[i].d) {
            pcap_dump_close(w->taps[i].d); /* flushed and synced: fclose has nothing left to lose */
            w->taps[i].d = NULL;
        }
    writer_free(w, rc != 0);
    return rc;
}
