/* events.c — the per-host event log (LABEL.events.csv): an observer of the model's host,
 * rule and packet reports that keeps one row per event, host names instead of indices.
 * It derives two things the model does not report as such: "cleaned" (the infected guest
 * of a host is gone: the model's infected count fell at that host's event) and the
 * blocked packets, counted per host, direction and second.  It draws nothing and changes
 * nothing: a run with it and one without are the same run. */
#include "vmitn/events.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmitn/model_internal.h"
#include "vmitn/util.h"

/* The event names, as written (docs/MODEL.md §events); the model's host events first, in
 * enum vmitn_host_event order. */
enum { E_CLEANED = VMITN_EV_NEVENTS, E_RULE_ISSUED, E_RULE_ACTIVE, E_BLOCKED_OUT, E_BLOCKED_IN, E_N };
static const char *const ev_names[E_N] = {
    "infected", "active", "alarm", "reported", "smc_alarm", "displayed", "no_backup", "handover_start", "mounted",
    "handover_end", "image_cleaned", "detected", "contained", "removed",
    "cleaned", "rule_issued", "rule_active", "blocked_out", "blocked_in"};

/* What the last column holds. */
enum { O_NONE, O_HOST, O_TEXT, O_COUNT };

typedef struct row {
    unsigned run;
    double t;          /* s since the attack */
    int host;          /* -1: the SMC */
    int ev;
    int okind;
    long other;        /* O_HOST: a host index; O_COUNT: a count; O_TEXT: an offset in text */
    size_t seq;        /* the order of recording: ties keep it */
} row;

typedef struct bucket {
    long sec;
    unsigned long n;
} bucket;

struct vmitn_events {
    const vmitn_model_cfg *c;
    const vmitn_topo *t;
    double t0;
    unsigned nhosts, cur;
    row *rows;
    size_t nrows, caprows, run_from;
    char *text;        /* NUL-separated strings (patterns, causes) */
    size_t ntext, captext, text_from;
    /* state of the current run */
    bool *inf;
    unsigned ninf;
    bool launched;
    bucket *blk;       /* 2 per host: out, in */
    int smc;           /* the SMC's host index, or -1 */
};

static const char *const defence_unknown = "defence";

static const char *defence_name(int id)
{
    for (const vmitn_module *const *d = vmitn_module_table; *d != NULL; d++)
        if ((int)(*d)->id == id)
            return (*d)->name;
    return defence_unknown;
}

/* Appends n bytes of texts; returns where they start. */
static size_t add_texts(vmitn_events *e, const char *s, size_t n)
{
    if (e->ntext + n > e->captext) {
        e->captext = (e->ntext + n) * 2;
        e->text = vmitn_xrealloc(e->text, e->captext);
    }
    memcpy(e->text + e->ntext, s, n);
    size_t at = e->ntext;
    e->ntext += n;
    return at;
}

static size_t add_text(vmitn_events *e, const char *s) { return add_texts(e, s, strlen(s) + 1); }

static void add(vmitn_events *e, double t, int host, int ev, int okind, long other)
{
    if (e->nrows == e->caprows) {
        e->caprows = e->caprows ? e->caprows * 2 : 256;
        e->rows = vmitn_xrealloc(e->rows, e->caprows * sizeof *e->rows);
    }
    e->rows[e->nrows] = (row){.run = e->cur, .t = t, .host = host, .ev = ev, .okind = okind, .other = other,
                              .seq = e->nrows};
    e->nrows++;
}

static double rel(const vmitn_events *e, vmitn_time t) { return vmitn_to_secs(t) - e->t0; }

static void on_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event ev, int arg, const vmitn_counts *c)
{
    vmitn_events *e = ctx;
    double ts = rel(e, t);
    switch (ev) {
    case VMITN_EV_INFECTED:
        if (arg >= 0) {
            add(e, ts, (int)host, ev, O_HOST, arg);
        } else {
            /* the model reports the launch and an injection alike (no infector): the launch
             * is the first of them on worm.start_host at worm.start_time */
            char nb[VMITN_TOPO_NAMEBUF];
            bool launch = !e->launched && e->c->worm.enabled &&
                          strcmp(vmitn_topo_host_name(e->t, host, nb), e->c->worm.start_host) == 0 &&
                          fabs(vmitn_to_secs(t) - e->c->worm.start_time) < 1e-9;
            e->launched |= launch;
            add(e, ts, (int)host, ev, O_TEXT, (long)add_text(e, launch ? "launched" : "injected"));
        }
        if (!e->inf[host]) {
            e->inf[host] = true;
            e->ninf++;
        }
        break;
    case VMITN_EV_DETECTED:
    case VMITN_EV_CONTAINED:
    case VMITN_EV_REMOVED: add(e, ts, (int)host, ev, O_TEXT, (long)add_text(e, defence_name(arg))); break;
    default: add(e, ts, (int)host, ev, O_NONE, 0); break;
    }
    /* every change of a guest's state is reported with an event of its host: when the
     * infected count fell, this host's infected guest is gone, and this event is why */
    if (ev != VMITN_EV_INFECTED && e->inf[host] && c->infected < e->ninf) {
        e->inf[host] = false;
        e->ninf--;
        add(e, ts, (int)host, E_CLEANED, O_TEXT, (long)add_text(e, ev_names[ev]));
    }
    vmitn_assert(e->ninf == c->infected);
}

static void on_rule(void *ctx, vmitn_time t, const vmitn_pattern *p, int agent, unsigned nagents)
{
    (void)nagents;
    vmitn_events *e = ctx;
    char pat[64];
    vmitn_pattern_format(p, pat, sizeof pat);
    add(e, rel(e, t), agent < 0 ? e->smc : agent, agent < 0 ? E_RULE_ISSUED : E_RULE_ACTIVE, O_TEXT,
        (long)add_text(e, pat));
}

static void flush(vmitn_events *e, unsigned host, int dir)
{
    bucket *b = &e->blk[2 * host + (unsigned)dir];
    if (b->n > 0)
        add(e, (double)b->sec, (int)host, dir ? E_BLOCKED_IN : E_BLOCKED_OUT, O_COUNT, (long)b->n);
    b->n = 0;
}

static void on_packet(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f)
{
    vmitn_events *e = ctx;
    if (f != VMITN_PKT_BLOCKED_OUT && f != VMITN_PKT_BLOCKED_IN)
        return;
    int dir = f == VMITN_PKT_BLOCKED_IN;
    int32_t h = dir ? p->to : p->from;
    if (h < 0 || (unsigned)h >= e->nhosts)
        return;
    long sec = (long)floor(rel(e, t));
    bucket *b = &e->blk[2 * (unsigned)h + (unsigned)dir];
    if (b->n > 0 && b->sec != sec)
        flush(e, (unsigned)h, dir);
    b->sec = sec;
    b->n++;
}

vmitn_observer vmitn_events_observer(vmitn_events *e)
{
    return (vmitn_observer){.ctx = e, .host = on_host, .rule = on_rule, .packet = on_packet,
                            .fates = 1u << VMITN_PKT_BLOCKED_OUT | 1u << VMITN_PKT_BLOCKED_IN};
}

double vmitn_events_estimate(const vmitn_model_cfg *c, const vmitn_topo *t, unsigned runs)
{
    unsigned nfes = 0, n = vmitn_topo_nhosts(t);
    for (unsigned i = 0; i < n; i++)
        nfes += vmitn_topo_host(t, i).kind == VMITN_HOST_FES;
    /* per FES host and run: its life (about 16 events, more with reinfections) and a
     * rule-active row per rule (a handful); blocked rows: at most 2 per host and second */
    double rows = (double)runs * nfes * (32.0 + 2.0 * ceil(c->duration));
    return rows * 40.0; /* bytes per row, about */
}

int vmitn_events_wanted(const vmitn_model_cfg *c, const vmitn_topo *t, unsigned runs, char *err, size_t errlen)
{
    switch (c->output.events) {
    case VMITN_EVENTS_OFF: return 0;
    case VMITN_EVENTS_AUTO: return vmitn_topo_nhosts(t) <= VMITN_EVENTS_AUTO_HOSTS;
    default: break;
    }
    double b = vmitn_events_estimate(c, t, runs);
    if (b > VMITN_EVENTS_MAX_BYTES) {
        snprintf(err, errlen,
                 "output.events = on: the event log could take about %.0f MiB (%u runs of %g s on %u hosts), "
                 "more than the %.0f MiB it may: use fewer runs, a shorter duration or output.events = off",
                 b / (1 << 20), runs, c->duration, vmitn_topo_nhosts(t), VMITN_EVENTS_MAX_BYTES / (1 << 20));
        return -VMITN_EINPUT;
    }
    return 1;
}

vmitn_events *vmitn_events_new(const vmitn_model_cfg *c, const vmitn_topo *t)
{
    vmitn_events *e = vmitn_xcalloc(1, sizeof *e);
    e->c = c;
    e->t = t;
    e->t0 = c->worm.enabled ? c->worm.start_time : c->flood.enabled ? c->flood.start : 0;
    e->nhosts = vmitn_topo_nhosts(t);
    e->inf = vmitn_xcalloc(e->nhosts ? e->nhosts : 1, sizeof *e->inf);
    e->blk = vmitn_xcalloc(2 * (size_t)(e->nhosts ? e->nhosts : 1), sizeof *e->blk);
    e->smc = -1;
    for (unsigned i = 0; i < e->nhosts; i++)
        if (vmitn_topo_host(t, i).kind == VMITN_HOST_SMC)
            e->smc = (int)i;
    return e;
}

void vmitn_events_free(vmitn_events *e)
{
    if (e == NULL)
        return;
    free(e->rows);
    free(e->text);
    free(e->inf);
    free(e->blk);
    free(e);
}

void vmitn_events_begin_run(vmitn_events *e, unsigned run)
{
    e->cur = run;
    e->run_from = e->nrows;
    e->text_from = e->ntext;
    e->ninf = 0;
    e->launched = false;
    memset(e->inf, 0, e->nhosts * sizeof *e->inf);
    memset(e->blk, 0, 2 * (size_t)e->nhosts * sizeof *e->blk);
}

static int by_time(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void vmitn_events_end_run(vmitn_events *e)
{
    for (unsigned h = 0; h < e->nhosts; h++) {
        flush(e, h, 0);
        flush(e, h, 1);
    }
    /* blocked rows are recorded when their second is over: sort the run by time */
    if (e->nrows - e->run_from > 1) /* a run may log nothing: rows is NULL then */
        qsort(e->rows + e->run_from, e->nrows - e->run_from, sizeof *e->rows, by_time);
}

size_t vmitn_events_count(const vmitn_events *e) { return e->nrows; }

/* A run's rows travel as their count, the rows (a text's offset counted from the run's
 * first text) and the run's texts. */
void vmitn_events_pack_run(vmitn_events *e, vmitn_buf *out)
{
    uint64_t n = e->nrows - e->run_from, nt = e->ntext - e->text_from;
    vmitn_buf_add(out, &n, sizeof n);
    vmitn_buf_add(out, &nt, sizeof nt);
    for (size_t i = e->run_from; i < e->nrows; i++) {
        row r = e->rows[i];
        if (r.okind == O_TEXT)
            r.other -= (long)e->text_from;
        vmitn_buf_add(out, &r, sizeof r);
    }
    if (nt > 0) /* text is NULL until the first text */
        vmitn_buf_add(out, e->text + e->text_from, nt);
    e->nrows = e->run_from;
    e->ntext = e->text_from;
}

size_t vmitn_events_unpack_run(vmitn_events *e, unsigned run, const unsigned char *p, size_t len)
{
    uint64_t n, nt;
    vmitn_assert(len >= sizeof n + sizeof nt);
    memcpy(&n, p, sizeof n);
    memcpy(&nt, p + sizeof n, sizeof nt);
    size_t used = sizeof n + sizeof nt + n * sizeof(row) + nt;
    vmitn_assert(n <= len / sizeof(row) && used <= len);
    p += sizeof n + sizeof nt;
    e->cur = run;
    e->run_from = e->nrows;
    e->text_from = e->ntext;
    if (nt > 0)
        add_texts(e, (const char *)p + n * sizeof(row), nt);
    for (size_t i = 0; i < n; i++) {
        row r;
        memcpy(&r, p + i * sizeof r, sizeof r);
        if (r.okind == O_TEXT)
            r.other += (long)e->text_from;
        add(e, r.t, r.host, r.ev, r.okind, r.other);
    }
    return used;
}

/* A CSV field: quoted when it holds a comma or a quote. */
static void put_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static const char *host_name(const vmitn_events *e, int h, char buf[VMITN_TOPO_NAMEBUF])
{
    return h < 0 ? "SMC" : vmitn_topo_host_name(e->t, (unsigned)h, buf);
}

int vmitn_events_write(const vmitn_events *e, const char *dir, const char *label, char *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.events.csv", dir, label);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return vmitn_fail(err, VMITN_EIO, "%s: cannot create", path);
    fputs("run,t,host,event,other\n", f);
    for (size_t i = 0; i < e->nrows; i++) {
        const row *r = &e->rows[i];
        char nb[VMITN_TOPO_NAMEBUF];
        fprintf(f, "%u,%.9f,", r->run, r->t);
        put_field(f, host_name(e, r->host, nb));
        fprintf(f, ",%s,", ev_names[r->ev]);
        switch (r->okind) {
        case O_HOST: put_field(f, host_name(e, (int)r->other, nb)); break;
        case O_TEXT: put_field(f, e->text + r->other); break;
        case O_COUNT: fprintf(f, "%ld", r->other); break;
        default: break;
        }
        fputc('\n', f);
    }
    if (ferror(f) | (fclose(f) != 0))
        return vmitn_fail(err, VMITN_EIO, "%s: write failed", path);
    return 0;
}
