/* replicas.c — replications on forked workers, replayed to the caller in run order
 * (replicas.h).  A worker's results travel as a log of observer calls: the observers in
 * the parent (metrics, progress, a capture) are the same code whether a run was computed
 * here or there, so the files cannot depend on the number of workers. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "vmitn/replicas.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmitn/util.h"

unsigned vmitn_cores(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* ---------- the log of one run's observer calls ---------- */

enum { C_PACKET = 1, C_HOST = 2, C_RULE = 4, C_SAMPLE = 8, C_SKIPPED = 16, C_LEARN = 32, C_FINISH = 64, C_ALL = 127,
       C_AGAIN = 128, /* the previous record's packet and time, another fate: two bytes */
       C_DROPPED = 129, /* the previous record's packet, time and fate, with its cause: three bytes */
       C_COLLECTED = 130, /* what the run left in the collector: its length (8 bytes), then that, last */
       W_DROPPED = 256 /* the observers' mask bit for .dropped */ };

/* A log is written straight into a region shared with the parent (no copy through a
 * pipe); one that outgrows it moves to the heap and travels through the pipe. */
typedef struct rlog {
    unsigned char *p;
    size_t n, cap;
    bool heap;
    size_t last;         /* where the last packet record starts (0: none yet, or not last) */
    vmitn_time last_t;
    vmitn_packet last_pk;
} rlog;

_Static_assert(sizeof(vmitn_packet) == 24, "vmitn_packet is logged as its 24 bytes: no padding");
_Static_assert(sizeof(vmitn_counts) == 5 * sizeof(unsigned), "vmitn_counts is logged as its bytes: no padding");

static unsigned char *grow(rlog *l, size_t len)
{
    if (l->n + len > l->cap) {
        l->cap = (l->n + len) * 2;
        if (l->heap) {
            l->p = vmitn_xrealloc(l->p, l->cap);
        } else {
            unsigned char *h = vmitn_xmalloc(l->cap);
            memcpy(h, l->p, l->n);
            l->p = h;
            l->heap = true;
        }
    }
    unsigned char *at = l->p + l->n;
    l->n += len;
    return at;
}

#define PUT(at, v) (memcpy(at, &(v), sizeof(v)), at += sizeof(v))
#define GET(at, v) (memcpy(&(v), at, sizeof(v)), at += sizeof(v))

static void rec_packet(void *ctx, vmitn_time t, const vmitn_packet *pk, enum vmitn_pkt_fate f)
{
    rlog *l = ctx;
    unsigned char fate = (unsigned char)f;
    /* a packet sent and dropped at once (a scan to nobody) is logged once */
    if (l->last == l->n && l->n > 0 && t == l->last_t && memcmp(pk, &l->last_pk, sizeof *pk) == 0) {
        unsigned char *at = grow(l, 2);
        at[0] = C_AGAIN;
        at[1] = fate;
        l->last = l->n;
        return;
    }
    unsigned char *at = grow(l, 1 + sizeof t + sizeof *pk + 1);
    *at++ = C_PACKET;
    PUT(at, t);
    PUT(at, *pk);
    PUT(at, fate);
    l->last = l->n;
    l->last_t = t;
    l->last_pk = *pk;
}

static void rec_dropped(void *ctx, vmitn_time t, const vmitn_packet *pk, enum vmitn_pkt_fate f, vmitn_cause why)
{
    (void)t;
    (void)pk; /* always the packet rec_packet has just logged */
    rlog *l = ctx;
    unsigned char *at = grow(l, 4);
    at[0] = C_DROPPED;
    at[1] = (unsigned char)f;
    at[2] = why.at;
    at[3] = why.by;
    l->last = l->n; /* the packet record stays the last one for C_AGAIN */
}

static void rec_host(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg,
                     const vmitn_counts *c)
{
    int32_t ev = (int32_t)e;
    unsigned char *at = grow(ctx, 1 + sizeof t + sizeof host + sizeof ev + sizeof arg + sizeof *c);
    *at++ = C_HOST;
    PUT(at, t);
    PUT(at, host);
    PUT(at, ev);
    PUT(at, arg);
    PUT(at, *c);
}

static void rec_rule(void *ctx, vmitn_time t, const vmitn_pattern *p, int agent, unsigned nagents)
{
    unsigned char *at = grow(ctx, 1 + sizeof t + 11 + sizeof agent + sizeof nagents);
    *at++ = C_RULE;
    PUT(at, t);
    PUT(at, p->src);
    PUT(at, p->dst);
    PUT(at, p->port);
    PUT(at, p->wild);
    PUT(at, agent);
    PUT(at, nagents);
}

static void rec_sample(void *ctx, vmitn_time t, const vmitn_counts *c)
{
    unsigned char *at = grow(ctx, 1 + sizeof t + sizeof *c);
    *at++ = C_SAMPLE;
    PUT(at, t);
    PUT(at, *c);
}

static void rec_skipped(void *ctx, vmitn_time t, unsigned host, const double misses[3])
{
    unsigned char *at = grow(ctx, 1 + sizeof t + sizeof host + 3 * sizeof *misses);
    *at++ = C_SKIPPED;
    PUT(at, t);
    PUT(at, host);
    for (int i = 0; i < 3; i++)
        PUT(at, misses[i]);
}

static void rec_learn(void *ctx, vmitn_time t, const vmitn_hdr *h, int kind)
{
    unsigned char *at = grow(ctx, 1 + sizeof t + 11);
    *at++ = C_LEARN;
    PUT(at, t);
    PUT(at, h->src);
    PUT(at, h->dst);
    PUT(at, h->port);
    *at = (unsigned char)kind;
}

static void rec_finish(void *ctx, vmitn_time t, uint64_t events)
{
    unsigned char *at = grow(ctx, 1 + sizeof t + sizeof events);
    *at++ = C_FINISH;
    PUT(at, t);
    PUT(at, events);
}

static unsigned wanted(const vmitn_observer *o, unsigned n)
{
    unsigned m = 0;
    for (unsigned i = 0; i < n; i++)
        m |= (o[i].packet ? C_PACKET : 0) | (o[i].host ? C_HOST : 0) | (o[i].rule ? C_RULE : 0) |
             (o[i].sample ? C_SAMPLE : 0) | (o[i].skipped ? C_SKIPPED : 0) | (o[i].learn ? C_LEARN : 0) |
             (o[i].finish ? C_FINISH : 0) | (o[i].dropped ? W_DROPPED : 0);
    return m;
}

/* The packet fates observers o want (vmitn_observer.fates; 0: every fate). */
static unsigned wanted_fates(const vmitn_observer *o, unsigned n)
{
    unsigned f = 0;
    for (unsigned i = 0; i < n; i++) {
        if (o[i].dropped || (o[i].packet && o[i].fates == 0))
            return 0; /* .dropped follows its .packet call: every fate travels */
        if (o[i].packet)
            f |= o[i].fates;
    }
    return f;
}

static vmitn_observer recorder(rlog *l, unsigned m, unsigned fates)
{
    return (vmitn_observer){.ctx = l,
                            .fates = fates,
                            .packet = m & (C_PACKET | W_DROPPED) ? rec_packet : NULL,
                            .dropped = m & W_DROPPED ? rec_dropped : NULL,
                            .host = m & C_HOST ? rec_host : NULL,
                            .rule = m & C_RULE ? rec_rule : NULL,
                            .sample = m & C_SAMPLE ? rec_sample : NULL,
                            .skipped = m & C_SKIPPED ? rec_skipped : NULL,
                            .learn = m & C_LEARN ? rec_learn : NULL,
                            .finish = m & C_FINISH ? rec_finish : NULL};
}

/* Whether o's .packet takes this fate (vmitn_observer.fates). */
static bool takes(const vmitn_observer *o, unsigned fate)
{
    return o->packet && (o->fates == 0 || (o->fates >> fate & 1));
}

/* Calls obs with every call of the log, in order (each observer that has the callback),
 * and hands col what run `run` left in it; returns whether the log held that. */
static bool replay(const unsigned char *at, size_t n, const vmitn_observer *obs, unsigned nobs,
                   const vmitn_collector *col, unsigned run)
{
    bool collected = false;
    const unsigned char *end = at + n;
    vmitn_packet pk = {0}; /* the last packet record's, for C_AGAIN */
    vmitn_time pt = 0;
    while (at < end) {
        unsigned char kind = *at++;
        if (kind == C_DROPPED) {
            unsigned char fate = at[0];
            vmitn_cause why = {at[1], at[2]};
            at += 3;
            for (unsigned i = 0; i < nobs; i++)
                if (obs[i].dropped)
                    obs[i].dropped(obs[i].ctx, pt, &pk, (enum vmitn_pkt_fate)fate, why);
            continue;
        }
        if (kind == C_COLLECTED) {
            uint64_t len;
            GET(at, len);
            vmitn_assert(col != NULL && len <= (size_t)(end - at));
            col->unpack(col->ctx, run, at, (size_t)len);
            at += len;
            collected = true;
            continue;
        }
        if (kind == C_AGAIN) {
            unsigned char fate = *at++;
            for (unsigned i = 0; i < nobs; i++)
                if (takes(&obs[i], fate))
                    obs[i].packet(obs[i].ctx, pt, &pk, (enum vmitn_pkt_fate)fate);
            continue;
        }
        vmitn_time t;
        GET(at, t);
        switch (kind) {
        case C_PACKET: {
            unsigned char fate;
            GET(at, pk);
            GET(at, fate);
            pt = t;
            for (unsigned i = 0; i < nobs; i++)
                if (takes(&obs[i], fate))
                    obs[i].packet(obs[i].ctx, t, &pk, (enum vmitn_pkt_fate)fate);
            break;
        }
        case C_HOST: {
            unsigned host;
            int32_t ev;
            int arg;
            vmitn_counts c;
            GET(at, host);
            GET(at, ev);
            GET(at, arg);
            GET(at, c);
            for (unsigned i = 0; i < nobs; i++)
                if (obs[i].host)
                    obs[i].host(obs[i].ctx, t, host, (enum vmitn_host_event)ev, arg, &c);
            break;
        }
        case C_RULE: {
            vmitn_pattern p;
            memset(&p, 0, sizeof p);
            int agent;
            unsigned nagents;
            GET(at, p.src);
            GET(at, p.dst);
            GET(at, p.port);
            GET(at, p.wild);
            GET(at, agent);
            GET(at, nagents);
            for (unsigned i = 0; i < nobs; i++)
                if (obs[i].rule)
                    obs[i].rule(obs[i].ctx, t, &p, agent, nagents);
            break;
        }
        case C_SAMPLE: {
            vmitn_counts c;
            GET(at, c);
            for (unsigned i = 0; i < nobs; i++)
                if (obs[i].sample)
                    obs[i].sample(obs[i].ctx, t, &c);
            break;
        }
        case C_SKIPPED: {
            unsigned host;
            double misses[3];
            GET(at, host);
            for (int j = 0; j < 3; j++)
                GET(at, misses[j]);
            for (unsigned i = 0; i < nobs; i++)
                if (obs[i].skipped)
                    obs[i].skipped(obs[i].ctx, t, host, misses);
            break;
        }
        case C_LEARN: {
            vmitn_hdr h;
            memset(&h, 0, sizeof h);
            GET(at, h.src);
            GET(at, h.dst);
            GET(at, h.port);
            int pkind = *at++;
            for (unsigned i = 0; i < nobs; i++)
                if (obs[i].learn)
                    obs[i].learn(obs[i].ctx, t, &h, pkind);
            break;
        }
        case C_FINISH: {
            uint64_t events;
            GET(at, events);
            for (unsigned i = 0; i < nobs; i++)
                if (obs[i].finish)
                    obs[i].finish(obs[i].ctx, t, events);
            break;
        }
        default: vmitn_assert(!"a replication log holds an unknown record");
        }
    }
    vmitn_assert(at == end);
    return collected;
}

/* ---------- pipes ---------- */

/* Parent to worker: run `run`, logging into region `region` of the worker's. */
typedef struct msg_cmd {
    uint32_t run, region;
} msg_cmd;

/* Worker to parent, one finished run: this header, err_len bytes of message, and, when
 * the log outgrew its region, log_len bytes of log. */
typedef struct msg_head {
    uint32_t run;
    int32_t rc;
    uint64_t err_len, log_len;
    uint32_t in_pipe;
    uint32_t pad;
} msg_head;

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) {
            if (vmitn_interrupted())
                return -1;
            continue;
        }
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* ---------- the pool ---------- */

/* Regions per worker: the run it is on and VMITN_REPLICAS_AHEAD finished ones. */
#define NREGION (VMITN_REPLICAS_AHEAD + 1)
/* Address space per region (touched only as far as a log goes). */
#define REGION ((size_t)256 << 20)

typedef struct slot {
    bool ready;
    int rc;
    char *err;
    unsigned char *heap; /* the log if it came through the pipe */
    size_t n;
    unsigned w, region;
} slot;

struct vmitn_replicas {
    const vmitn_model_cfg *c;
    const vmitn_topo *t;
    uint64_t seed;
    unsigned runs, nw, full_run, mask, fates;
    vmitn_collector col; /* .begin NULL: none */
    pid_t *pid;
    int *cmd, *res;
    unsigned char **base; /* each worker's NREGION shared regions */
    bool (*held)[NREGION]; /* a region holds a log not yet replayed (or being written) */
    long *busy;           /* the run each worker is on, or -1 */
    unsigned *busy_region;
    unsigned next;        /* the next run to hand out */
    unsigned due;         /* the next run to replay */
    unsigned window;
    size_t logged;        /* bytes of the logs replayed */
    slot *slots;          /* run j at j % window, for due <= j < next */
    void (*old_pipe)(int);
};

static _Noreturn void worker(const vmitn_replicas *p, unsigned w, int cmd, int res)
{
    msg_cmd m;
    char err[VMITN_ERRLEN];
    while (read_all(cmd, &m, sizeof m) == 0) {
        rlog l = {.p = p->base[w] + (size_t)m.region * REGION, .cap = REGION};
        err[0] = '\0';
        vmitn_observer ob[VMITN_COLLECTOR_OBS + 1];
        unsigned nob = p->col.begin ? p->col.begin(p->col.ctx, m.run, ob) : 0;
        vmitn_assert(nob <= VMITN_COLLECTOR_OBS);
        bool full = m.run == p->full_run;
        ob[nob++] = recorder(&l, full ? (unsigned)C_ALL | p->mask : p->mask, full ? 0 : p->fates);
        int rc = vmitn_model_run(p->c, p->t, p->seed, m.run, ob, nob, err, sizeof err);
        if (vmitn_interrupted())
            _exit(VMITN_EXIT_INTERRUPTED);
        if (rc >= 0 && p->col.begin) { /* what the caller takes as a run that ended well */
            vmitn_buf b = {0};
            p->col.pack(p->col.ctx, &b);
            uint64_t len = b.n;
            unsigned char *at = grow(&l, 1 + sizeof len + b.n);
            *at++ = C_COLLECTED;
            PUT(at, len);
            if (b.n > 0)
                memcpy(at, b.p, b.n);
            vmitn_buf_free(&b);
        }
        msg_head h = {.run = m.run, .rc = rc, .err_len = rc < 0 ? strlen(err) : 0, .log_len = l.n, .in_pipe = l.heap};
        if (write_all(res, &h, sizeof h) < 0 || write_all(res, err, h.err_len) < 0 ||
            (l.heap && write_all(res, l.p, l.n) < 0))
            _exit(VMITN_EXIT_IO);
        if (l.heap)
            free(l.p);
    }
    _exit(0);
}

vmitn_replicas *vmitn_replicas_start(const vmitn_model_cfg *c, const vmitn_topo *t, uint64_t seed, unsigned runs,
                                     unsigned jobs, const vmitn_observer *like, unsigned nlike, unsigned full_run,
                                     const vmitn_collector *col, char *err, size_t errlen)
{
    vmitn_replicas *p = vmitn_xcalloc(1, sizeof *p);
    if (col != NULL)
        p->col = *col;
    p->c = c;
    p->t = t;
    p->seed = seed;
    p->runs = runs;
    p->full_run = full_run;
    p->mask = wanted(like, nlike);
    p->fates = wanted_fates(like, nlike);
    unsigned nw = jobs < runs ? jobs : runs;
    p->pid = vmitn_xcalloc(nw, sizeof *p->pid);
    p->cmd = vmitn_xcalloc(nw, sizeof *p->cmd);
    p->res = vmitn_xcalloc(nw, sizeof *p->res);
    p->base = vmitn_xcalloc(nw, sizeof *p->base);
    p->held = vmitn_xcalloc(nw, sizeof *p->held);
    p->busy = vmitn_xcalloc(nw, sizeof *p->busy);
    p->busy_region = vmitn_xcalloc(nw, sizeof *p->busy_region);
    /* a worker that dies leaves a pipe with no reader: an error to handle, not a signal */
    p->old_pipe = signal(SIGPIPE, SIG_IGN);
    fflush(NULL); /* nothing buffered is written twice */
    pid_t parent = getpid();
    for (unsigned w = 0; w < nw; w++) {
        int cp[2], rp[2];
        void *base = mmap(NULL, NREGION * REGION, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE,
                          -1, 0);
        if (base == MAP_FAILED) {
            snprintf(err, errlen, "mmap: %s", strerror(errno));
            break;
        }
        if (pipe(cp) != 0) {
            snprintf(err, errlen, "pipe: %s", strerror(errno));
            munmap(base, NREGION * REGION);
            break;
        }
        if (pipe(rp) != 0) {
            snprintf(err, errlen, "pipe: %s", strerror(errno));
            close(cp[0]), close(cp[1]);
            munmap(base, NREGION * REGION);
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            snprintf(err, errlen, "fork: %s", strerror(errno));
            close(cp[0]), close(cp[1]), close(rp[0]), close(rp[1]);
            munmap(base, NREGION * REGION);
            break;
        }
        p->base[w] = base;
        if (pid == 0) {
            signal(SIGINT, SIG_DFL); /* Ctrl-C reaches the whole group: workers just stop */
            signal(SIGTERM, SIG_DFL);
            prctl(PR_SET_PDEATHSIG, SIGKILL); /* no worker outlives its parent */
            if (getppid() != parent)
                _exit(1);
            close(cp[1]);
            close(rp[0]);
            for (unsigned u = 0; u < w; u++) { /* the other workers' pipes: their EOF is theirs */
                close(p->cmd[u]);
                close(p->res[u]);
            }
            worker(p, w, cp[0], rp[1]);
        }
        close(cp[0]);
        close(rp[1]);
        p->pid[w] = pid;
        p->cmd[w] = cp[1];
        p->res[w] = rp[0];
        p->busy[w] = -1;
        p->nw++;
    }
    if (p->nw == 0) {
        vmitn_replicas_stop(p);
        return NULL;
    }
    p->window = p->nw * NREGION; /* every run between due and next holds a region */
    p->slots = vmitn_xcalloc(p->window, sizeof *p->slots);
    return p;
}

static int failed(char *err, size_t errlen, const char *fmt, unsigned run)
{
    if (vmitn_interrupted())
        return VMITN_REPLICAS_INTERRUPTED;
    snprintf(err, errlen, fmt, run);
    return VMITN_REPLICAS_FAILED;
}

/* Reads worker w's finished run into its slot. */
static int receive(vmitn_replicas *p, unsigned w, char *err, size_t errlen)
{
    unsigned run = (unsigned)p->busy[w];
    msg_head h;
    if (read_all(p->res[w], &h, sizeof h) < 0 || h.run != run || h.err_len >= VMITN_ERRLEN ||
        (!h.in_pipe && h.log_len > REGION))
        return failed(err, errlen, "the worker process running replication %u stopped unexpectedly", run);
    slot *s = &p->slots[run % p->window];
    s->err = vmitn_xmalloc(h.err_len + 1);
    s->heap = h.in_pipe ? vmitn_xmalloc(h.log_len) : NULL;
    if (read_all(p->res[w], s->err, h.err_len) < 0 || (h.in_pipe && read_all(p->res[w], s->heap, h.log_len) < 0)) {
        free(s->err);
        free(s->heap);
        *s = (slot){0};
        return failed(err, errlen, "the worker process running replication %u stopped unexpectedly", run);
    }
    s->err[h.err_len] = '\0';
    s->n = h.log_len;
    s->rc = h.rc;
    s->w = w;
    s->region = p->busy_region[w];
    s->ready = true;
    p->busy[w] = -1;
    return 0;
}

/* Hands run `next` to an idle worker with a free region, if any. */
static int hand_out(vmitn_replicas *p, char *err, size_t errlen)
{
    for (unsigned w = 0; w < p->nw && p->next < p->runs; w++) {
        if (p->busy[w] >= 0)
            continue;
        unsigned r = 0;
        while (r < NREGION && p->held[w][r])
            r++;
        if (r == NREGION)
            continue;
        msg_cmd m = {.run = p->next, .region = r};
        if (write_all(p->cmd[w], &m, sizeof m) < 0)
            return failed(err, errlen, "the worker process for replication %u is gone", p->next);
        p->held[w][r] = true;
        p->busy_region[w] = r;
        p->busy[w] = p->next++;
    }
    return 0;
}

int vmitn_replicas_run(vmitn_replicas *p, unsigned k, const vmitn_observer *obs, unsigned nobs, char *err,
                       size_t errlen)
{
    vmitn_assert(k == p->due && k < p->runs);
    slot *s = &p->slots[k % p->window];
    struct pollfd *pf = vmitn_xcalloc(p->nw, sizeof *pf);
    int rc = 0;
    while (!s->ready) {
        if ((rc = hand_out(p, err, errlen)) < 0)
            goto out;
        if (vmitn_interrupted()) {
            rc = VMITN_REPLICAS_INTERRUPTED;
            goto out;
        }
        for (unsigned w = 0; w < p->nw; w++)
            pf[w] = (struct pollfd){.fd = p->busy[w] >= 0 ? p->res[w] : -1, .events = POLLIN};
        if (poll(pf, p->nw, -1) < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, errlen, "poll: %s", strerror(errno));
            rc = VMITN_REPLICAS_FAILED;
            goto out;
        }
        for (unsigned w = 0; w < p->nw; w++)
            if (pf[w].fd >= 0 && (pf[w].revents & (POLLIN | POLLHUP | POLLERR)) && (rc = receive(p, w, err, errlen)) < 0)
                goto out;
    }
    if ((rc = hand_out(p, err, errlen)) < 0) /* keep the workers busy while this run replays */
        goto out;
    bool collected = replay(s->heap ? s->heap : p->base[s->w] + (size_t)s->region * REGION, s->n, obs, nobs,
                            p->col.begin ? &p->col : NULL, k);
    p->logged += s->n;
    rc = s->rc;
    if (rc < 0)
        snprintf(err, errlen, "%s", s->err);
    else if (p->col.begin && !collected) /* a run that ended well sends its results (worker) */
        rc = failed(err, errlen, "the worker process running replication %u sent no results", k);
    p->held[s->w][s->region] = false;
    free(s->heap);
    free(s->err);
    *s = (slot){0};
    p->due++;
out:
    free(pf);
    return rc;
}

size_t vmitn_replicas_logged(const vmitn_replicas *p) { return p->logged; }

void vmitn_replicas_stop(vmitn_replicas *p)
{
    if (p == NULL)
        return;
    for (unsigned w = 0; w < p->nw; w++) {
        if (p->busy[w] >= 0)
            kill(p->pid[w], SIGKILL); /* its run is not wanted: it holds nothing else */
        close(p->cmd[w]); /* an idle worker reads EOF and leaves */
        close(p->res[w]);
    }
    for (unsigned w = 0; w < p->nw; w++) {
        while (waitpid(p->pid[w], NULL, 0) < 0 && errno == EINTR)
            ;
        munmap(p->base[w], NREGION * REGION);
    }
    for (unsigned i = 0; i < p->window; i++) {
        free(p->slots[i].heap);
        free(p->slots[i].err);
    }
    signal(SIGPIPE, p->old_pipe);
    free(p->slots);
    free(p->pid);
    free(p->cmd);
    free(p->res);
    free(p->base);
    free(p->held);
    free(p->busy);
    free(p->busy_region);
    free(p);
}
