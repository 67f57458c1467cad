/* model_internal.h — PRIVATE to the model's modules (src/model, src/worm, src/defence,
 * src/traffic): the state of one replication and the calls its modules make on each
 * other.  Nothing outside those folders includes it; the public interface is model.h.
 *
 * It lives in include/vmitn/ (not beside the sources) so that the Makefile's header
 * dependency rule rebuilds every module when it changes.
 *
 * Who does what (docs/ARCHITECTURE.md): model.c owns the state, the packet pool, the
 * observers, the network path (send, arrive, dispatch) and the run loop, and calls the
 * modules only through the table it is given (module.h); src/worm/ the worm (targeting,
 * infection and start-up, the exact fast path, the strategies); src/defence/ the FES chain
 * (SPY, VM Switcher), the OOB network, the SMC pipeline (AGENT tap and rules, reports,
 * learner), the baselines and the table (registry.c); src/traffic/ the flood, the
 * legitimate traffic and the replayed captures.  Each draws only from its own streams
 * (rng.h purposes): a module's draws never depend on whether another module runs. */
#ifndef VMITN_MODEL_INTERNAL_H
#define VMITN_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmitn/evq.h"
#include "vmitn/learner.h"
#include "vmitn/model.h"
#include "vmitn/module.h"
#include "vmitn/rng.h"
#include "vmitn/topo.h"

/* ---------- state ---------- */

/* The worm's scan regions: own /16, own /8, anywhere. */
enum { VMITN_REG_LOCAL, VMITN_REG_NEAR, VMITN_REG_ANY, VMITN_NREG };

typedef struct vmitn_region {
    uint32_t base;      /* first literal address of the region */
    uint64_t literal;   /* literal size: 2^(32 - prefix) */
    uint64_t size;      /* effective size, >= nhosts */
    vmitn_below dsize, dliteral; /* size and literal prepared for the scans' draws */
    const int *hosts;   /* hosts whose address is in the region (the scanner's own too): a
                         * slice of the model's address-sorted host list, shared */
    unsigned nhosts;
    unsigned nothers;   /* hosts outside every LAN (the SMC) with an address in it */
    uint32_t other;     /* the address of the first of them */
} vmitn_region;

/* A header kept for the next report, with the kind of packet it was tapped from
 * (vmitn_pkt_kind: the learn observer passes it on) and its capture order. */
struct vmitn_seen {
    vmitn_hdr h;
    uint8_t kind;
    uint64_t seq;
};

/* A host's random streams, one per purpose (rng.h); model.c maps each to its purpose. */
enum vmitn_hrng { VMITN_R_SCAN, VMITN_R_WORM, VMITN_R_FES, VMITN_R_SW, VMITN_R_CLEAN, VMITN_R_OOB, VMITN_R_LEGIT,
                  VMITN_R_REPORT, VMITN_NHRNG };
#define VMITN_NHOT 2 /* VMITN_R_SCAN and VMITN_R_WORM live in the host record */

/* A host's record: 128 bytes, two cache lines (the array is 64-byte aligned).  The first
 * line holds what a packet or a fast-path hit reads of its target (guest state, epoch) and
 * the scanner's own bookkeeping; the second the two streams every scanner draws from.
 * What few hosts need (AGENT rules and batch, the other streams) is in vmitn_mcold. */
typedef struct vmitn_mhost {
    uint32_t addr;    /* the topology's host: its address and LAN (-1: the SMC, no wired NIC), */
    int32_t lan;      /* copied here (a generated topology keeps no host records) */
    uint32_t epoch;   /* bumps whenever another guest takes the host: stale events die */
    uint8_t hot_seeded; /* bit k: hot[k] seeded (on first use) */
    bool is_fes;
    /* guest state */
    bool infected;    /* the running guest is infected */
    bool online;      /* the running guest is connected and serving */
    bool switching;   /* the VM Switcher is between guests */
    bool backup_ready;
    bool waiting;     /* ordered to switch, no backup yet */
    bool active;      /* the worm in the running guest is scanning */
    bool detect_on_scan; /* the launch host: SPY's alarm chain starts at the worm's first scan */
    uint16_t next_port;
    /* localized scanning */
    uint32_t reg[VMITN_NREG]; /* its regions, as indices into the model's table (hosts of one
                               * prefix share one: vmitn_hreg) */
    /* fast path: hosts per region a scan's chance to hit is counted over: the region's
     * hosts, or with thinning those it could infect when the pending hit was drawn; the
     * chance per region is p_r * bound_r / size_r (vmitn_hitw), their sum vmitn_phit */
    uint32_t bound[VMITN_NREG];
    double pending_k;   /* scans up to the scheduled hit */
    vmitn_time hit_from; /* when the scans toward it began (the last hit, or the start) */
    /* the streams every scanner draws from (scan targets, worm timing), kept in the
     * record: a draw costs no pointer chase; seeded on first use (bit k of hot_seeded) */
    _Alignas(64) vmitn_rng hot[VMITN_NHOT];
} vmitn_mhost;
_Static_assert(sizeof(vmitn_mhost) == 128, "a host's record is two cache lines");

/* What few hosts need, one per host in m->cold (calloc'd: the pages of hosts that never
 * touch theirs cost no memory). */
typedef struct vmitn_mcold {
    /* AGENT */
    vmitn_pattern *rules;
    unsigned nrules, caprules;
    struct vmitn_seen *batch;
    unsigned nbatch;
    uint64_t period_seen;
    vmitn_time vmcom_free; /* smc.report_path = spy: when VmCom has passed the last report */
    vmitn_rng *rng[VMITN_NHRNG - VMITN_NHOT]; /* the other purposes, created on first use:
                                               * most hosts of a large network never need them */
} vmitn_mcold;

/* A batch of headers in flight to the SMC (an event argument that owns memory). */
typedef struct vmitn_batch_msg {
    unsigned n;
    unsigned hop, host; /* smc.report_path = spy: 0 crossing VmCom (from host), 1 crossing OOB */
    struct vmitn_seen h[]; /* seq unused */
} vmitn_batch_msg;

typedef struct vmitn_wstate vmitn_wstate; /* strategy.c's */
#define VMITN_MAX_DEFENCES 32

struct vmitn_model {
    const vmitn_model_cfg *c;
    const vmitn_topo *t;
    vmitn_sched *s;
    const vmitn_observer *obs;
    unsigned nobs;
    /* per fate, the observers whose .packet takes it, in order, with their contexts: what
     * vmitn_emit_packet calls, without a test per observer (pobs[f], npobs[f] of them) */
    struct vmitn_pobs {
        void (*packet)(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f);
        void *ctx;
    } *pobs[VMITN_PKT_NFATES];
    unsigned npobs[VMITN_PKT_NFATES];
    vmitn_mhost *hosts;   /* 64-byte aligned, in hosts_mem */
    void *hosts_mem;
    vmitn_mcold *cold;    /* by host index */
    bool cold_rngs;       /* a cold stream was created (model_free looks for them) */
    unsigned nhosts, nfes;
    int *fes_idx;         /* FES host indices */
    int *by_addr;         /* LAN hosts sorted by address: regions are slices of it (fes_idx
                           * itself when the lists are the same) */
    unsigned nby_addr;
    vmitn_counts counts;
    vmitn_packet *pool;   /* packets in flight */
    uint32_t *pool_free;
    unsigned pool_n, pool_cap, pool_nfree;
    vmitn_time scan_gap, end;
    vmitn_packet scan_tpl; /* a scan's fixed fields (worm.port, proto, scan_bytes): vmitn_worm_ev_scan */
    vmitn_time air_free;  /* when the shared OOB medium is next free */
    uint64_t seed;
    unsigned run;
    uint32_t *addr_sorted; /* the addresses of by_addr, in its order: a target drawn by position
                            * needs no host record */
    /* The last scan target drawn and who has it (a host index, VMITN_TOPO_NOBODY, or
     * VMITN_TOPO_ASK when none was drawn): the packet path routes a packet to to_addr
     * without looking the address up again.  Never stale: an address's host is fixed. */
    uint32_t to_addr;
    int to_ix;
    vmitn_region *regions; /* every distinct scan region, shared by the hosts inside it */
    /* a scan's region in integers: u = w 2^-53 (w the draw's top 53 bits) is below p_local
     * exactly when w < reg_cut[0], below p_local + p_near when w < reg_cut[1] */
    uint64_t reg_cut[2];
    unsigned nregions;
    /* thinning (src/worm/fast.c): the hosts a scan can still infect, a bit per by_addr
     * position, with a Fenwick tree over the 64-bit words' counts; each host's position */
    bool thin;
    uint32_t *sus;        /* [0] the total, [1..nwords] the tree, then the words of bits */
    unsigned *addr_pos;   /* by host index; UINT32_MAX: not in by_addr; NULL: by_addr[k] = k */
    unsigned sus_top;     /* the highest power of two <= the number of words */
    vmitn_wstate *wst;    /* scanning strategies' state; NULL with random scanning, no hit-list */
    /* the modules this run has (enabled in c), in table order, with their state, and for
     * each hook the indices of those that have it (the packet path loops over these) */
    const vmitn_module *def[VMITN_MAX_DEFENCES];
    void *dstate[VMITN_MAX_DEFENCES];
    unsigned ndef;
    unsigned nsetup; /* rows whose set-up ran (released after the run, failed or not) */
    uint8_t hleave[VMITN_MAX_DEFENCES], hedge[VMITN_MAX_DEFENCES], hreach[VMITN_MAX_DEFENCES],
        hfate[VMITN_MAX_DEFENCES], hinf[VMITN_MAX_DEFENCES], hintr[VMITN_MAX_DEFENCES], hclean[VMITN_MAX_DEFENCES];
    unsigned nleave, nedge, nreach, nfate, ninf, nintr, nclean;
    int8_t hdeliver[VMITN_PKT_NKINDS]; /* the module that takes a delivered packet of each kind, or -1 */
    bool cures;           /* one of them can clean an infected host */
    bool thin_ok;         /* every one of them leaves thinning exact (vmitn_module.thin_ok) */
    bool want_why;        /* an observer has .dropped */
    bool fate_tail;       /* want_why or a module has a fate hook */
};

/* Region g (VMITN_REG_*) of host h. */
static inline const vmitn_region *vmitn_hreg(const vmitn_model *m, const vmitn_mhost *h, int g)
{
    return &m->regions[h->reg[g]];
}

/* Host h's cold fields. */
static inline vmitn_mcold *vmitn_cold(const vmitn_model *m, const vmitn_mhost *h)
{
    return &m->cold[h - m->hosts];
}

/* The fast path's chance per scan of host h to hit in region g (p_g bound_g / size_g),
 * and over every region (the sum in region order): computed, not stored, so the record
 * keeps to two cache lines. */
static inline double vmitn_hitw(const vmitn_model *m, const vmitn_mhost *h, int g)
{
    const double p[VMITN_NREG] = {m->c->worm.p_local, m->c->worm.p_near, m->c->worm.p_any};
    return p[g] * (double)h->bound[g] / (double)vmitn_hreg(m, h, g)->size;
}
static inline double vmitn_phit(const vmitn_model *m, const vmitn_mhost *h)
{
    double s = 0;
    for (int g = 0; g < VMITN_NREG; g++)
        s += vmitn_hitw(m, h, g);
    return s;
}

/* An event argument naming a host and the guest (epoch) it was scheduled for: the event
 * dies if another guest has taken the host since. */
#define VMITN_HE(hi, h) ((uint64_t)(hi) | ((uint64_t)(h)->epoch << 32))
#define VMITN_H_OF(arg) ((unsigned)((arg) & 0xffffffffu))
#define VMITN_EPOCH_OK(m, arg) ((uint32_t)((arg) >> 32) == (m)->hosts[VMITN_H_OF(arg)].epoch)

/* ---------- model.c: state, streams, observers, the network ---------- */

/* Host h's stream for a purpose, created on first use (its draws do not depend on when). */
vmitn_rng *vmitn_mrng_cold(vmitn_model *m, vmitn_mhost *h, enum vmitn_hrng k);
void vmitn_mrng_seed_hot(vmitn_model *m, vmitn_mhost *h, enum vmitn_hrng k);
static inline vmitn_rng *vmitn_mrng(vmitn_model *m, vmitn_mhost *h, enum vmitn_hrng k)
{
    if (k >= VMITN_NHOT)
        return vmitn_mrng_cold(m, h, k);
    if (!(h->hot_seeded >> k & 1))
        vmitn_mrng_seed_hot(m, h, k);
    return &h->hot[k];
}
/* A step time: gamma with this mean and coefficient of variation, s or as a vmitn_time. */
double vmitn_draw_secs(vmitn_rng *r, double mean, double cv);
vmitn_time vmitn_draw(vmitn_rng *r, double mean, double cv);
/* A packet's fate and its cause (VMITN_NO_CAUSE for SENT and DELIVERED): the observers,
 * then the modules' fate hooks. */
void vmitn_emit_packet(vmitn_model *m, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why);
static inline vmitn_cause vmitn_cause_of(enum vmitn_cause_at at, unsigned by)
{
    return (vmitn_cause){(uint8_t)at, (uint8_t)by};
}
#define VMITN_NO_CAUSE vmitn_cause_of(VMITN_AT_NONE, VMITN_BY_NONE)

void vmitn_emit_host(vmitn_model *m, unsigned h, enum vmitn_host_event e, int arg);
void vmitn_emit_rule(vmitn_model *m, const vmitn_pattern *p, int agent);
/* A packet slot for an event argument; freed by the event that consumes it. */
uint32_t vmitn_pkt_alloc(vmitn_model *m);
void vmitn_pkt_free(vmitn_model *m, uint32_t i);
/* Changes a host's guest state, keeping the counts exact without a sweep over hosts. */
void vmitn_set_state(vmitn_model *m, vmitn_mhost *h, bool infected, bool online);
/* Sends p (p->from set) now: taps, filters, routes; an event at arrival or a drop. */
void vmitn_send_packet(vmitn_model *m, vmitn_packet *p);
/* p (p->to set) reaches its host's bridge now: tapped, filtered, delivered or dropped. */
void vmitn_receive_packet(vmitn_model *m, vmitn_packet *p);
/* The next ephemeral port of host h (1024 .. 65000, then round again); inline: once a scan. */
static inline uint16_t vmitn_ephemeral(vmitn_mhost *h)
{
    uint16_t p = h->next_port;
    h->next_port = p >= 65000 ? 1024 : p + 1;
    return p;
}

/* ---------- src/worm ---------- */

/* scan.c: the regions of host h (the address-sorted list must be ready). */
void vmitn_worm_region_init(vmitn_model *m, vmitn_mhost *h, vmitn_region *g, int prefix, double bits,
                            const uint32_t *nolan, unsigned nnolan);
/* scan.c: every FES host's regions and hit weights. */
void vmitn_worm_setup(vmitn_model *m);
uint32_t vmitn_worm_target(vmitn_model *m, vmitn_mhost *h);
vmitn_time vmitn_worm_gap(vmitn_model *m, vmitn_mhost *h);
void vmitn_worm_ev_scan(vmitn_sched *s, void *ctx, uint64_t arg);
/* infect.c: the life of the worm in a guest. */
void vmitn_worm_schedule(vmitn_model *m);   /* the launch and the injections */
void vmitn_worm_infect(vmitn_model *m, unsigned hi, int by, bool launch);
void vmitn_worm_start(vmitn_model *m, unsigned hi);
/* A worm packet (scan or exploit) delivered to an online guest. */
void vmitn_worm_receive(vmitn_model *m, vmitn_packet *p);
/* fast.c: the exact fast path; stop counts a fast-path guest's pending misses. */
void vmitn_worm_stop(vmitn_model *m, vmitn_mhost *h);
void vmitn_fast_schedule(vmitn_model *m, unsigned hi);
void vmitn_fast_misses(vmitn_model *m, vmitn_mhost *h, unsigned hi, vmitn_time from, vmitn_time to, double cap);
/* fast.c: thinning's state (after the regions are set up), and a host that can no longer
 * be infected (call before it is marked infected). */
void vmitn_fast_setup(vmitn_model *m);
void vmitn_fast_lost(vmitn_model *m, unsigned hi);

/* strategy.c: the scanning strategies (m->wst). */
bool vmitn_strategy_used(const vmitn_model_cfg *c);
void vmitn_strategy_setup(vmitn_model *m); /* after vmitn_worm_setup */
void vmitn_strategy_free(vmitn_model *m);
void vmitn_strategy_infected(vmitn_model *m, unsigned hi, int by);
void vmitn_strategy_met_infected(vmitn_model *m, unsigned scanner);
uint32_t vmitn_strategy_target(vmitn_model *m, unsigned hi);
void vmitn_strategy_schedule(vmitn_model *m, unsigned hi); /* fast path */
void vmitn_strategy_stop(vmitn_model *m, vmitn_mhost *h);
uint32_t vmitn_strategy_perm(const vmitn_wstate *w, uint32_t i);
uint32_t vmitn_strategy_perm_inv(const vmitn_wstate *w, uint32_t a);

/* ---------- src/defence ---------- */

/* oob.c: one OOB message of `bytes` bytes sent now; returns its delay. */
vmitn_time vmitn_oob_send(vmitn_model *m, vmitn_rng *r, double bytes);
/* fes.c: its rows, vmitn_spy and vmitn_switcher, are its only door. */
/* smc.c: its row, vmitn_agent, is its only door. */

/* ---------- the module interface: module.h ---------- */

/* Parses a defence's host list ("" = every FES host; else comma-separated names of FES
 * hosts) into mask (m->nhosts entries, calloc'd by the caller).  -VMITN_EINPUT naming
 * param on a name that is not an FES host of t. */
int vmitn_defence_hosts(const vmitn_topo *t, const char *list, const char *param, bool *mask, char *err,
                        size_t errlen);
/* shared.c: 0 if `name` is an FES host of t, else -VMITN_EINPUT: "worm.start_host: no FES
 * host named 'L9-9' in the topology (FES hosts: L1-1, ...)" (what: the parameter). */
int vmitn_fes_host_check(const vmitn_topo *t, const char *what, const char *name, char *err);
/* model.c: the modules' infected hooks (infect.c calls it). */
void vmitn_defence_infected(vmitn_model *m, unsigned hi, int by);
/* model.c: the modules' intrusion hooks (infect.c: when the worm's intrusion shows). */
void vmitn_defence_intrusion(vmitn_model *m, unsigned hi);
/* model.c: the modules' cleaned hooks (whoever cleans or replaces a guest: fes.c, patch.c). */
void vmitn_defence_cleaned(vmitn_model *m, unsigned hi);

/* ---------- src/traffic ---------- */

/* flood.c, legit.c, replay.c: their rows (vmitn_flood, vmitn_legit, vmitn_replay_row) are their
 * only door. */

#endif
