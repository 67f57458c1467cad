/* model_internal.h — PRIVATE to the model's modules (src/model, src/worm, src/defence,
 * src/traffic): the state of one replication and the calls its modules make on each
 * other.  Nothing outside those folders includes it; the public interface is model.h.
 *
 * It lives in include/vmitn/ (not beside the sources) so that the Makefile's header
 * dependency rule rebuilds every module when it changes.
 *
 * Who does what: model.c owns the state, the packet pool, the observers, the network
 * path (send, arrive, dispatch) and the run loop; src/worm/ the worm (targeting, infection
 * and start-up, the exact fast path); src/defence/ the FES chain (SPY, VM Switcher), the
 * OOB network and the SMC pipeline (AGENT tap and rules, reports, learner); src/traffic/
 * the flood and the legitimate traffic.  Each draws only from its own streams (rng.h
 * purposes): a module's draws never depend on whether another module runs. */
#ifndef VMITN_MODEL_INTERNAL_H
#define VMITN_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmitn/evq.h"
#include "vmitn/learner.h"
#include "vmitn/model.h"
#include "vmitn/rng.h"
#include "vmitn/topo.h"

/* ---------- state ---------- */

/* The worm's scan regions: own /16, own /8, anywhere. */
enum { VMITN_REG_LOCAL, VMITN_REG_NEAR, VMITN_REG_ANY, VMITN_NREG };

typedef struct vmitn_region {
    uint32_t base;      /* first literal address of the region */
    uint64_t literal;   /* literal size: 2^(32 - prefix) */
    uint64_t size;      /* effective size, >= nhosts */
    const int *hosts;   /* hosts whose address is in the region (the scanner's own too): a
                         * slice of the model's address-sorted host list, shared */
    unsigned nhosts;
    unsigned nothers;   /* hosts outside every LAN (the SMC) with an address in it */
    uint32_t other;     /* the address of the first of them */
} vmitn_region;

/* A header kept for the next report, with its capture order. */
struct vmitn_seen {
    vmitn_hdr h;
    uint64_t seq;
};

/* A host's random streams, one per purpose (rng.h); model.c maps each to its purpose. */
enum vmitn_hrng { VMITN_R_SCAN, VMITN_R_WORM, VMITN_R_FES, VMITN_R_SW, VMITN_R_CLEAN, VMITN_R_OOB, VMITN_R_LEGIT,
                  VMITN_R_REPORT, VMITN_NHRNG };
#define VMITN_NHOT 2 /* VMITN_R_SCAN and VMITN_R_WORM live in the host record */

typedef struct vmitn_mhost {
    const vmitn_host *h;
    /* the streams every scanner draws from (scan targets, worm timing), kept in the
     * record: a draw costs no pointer chase; seeded on first use (bit k of hot_seeded) */
    vmitn_rng hot[2];
    uint8_t hot_seeded;
    bool is_fes;
    /* guest state */
    uint32_t epoch;   /* bumps whenever another guest takes the host: stale events die */
    bool infected;    /* the running guest is infected */
    bool online;      /* the running guest is connected and serving */
    bool switching;   /* the VM Switcher is between guests */
    bool backup_ready;
    bool waiting;     /* ordered to switch, no backup yet */
    bool active;      /* the worm in the running guest is scanning */
    bool detect_on_scan; /* the launch host: SPY's alarm chain starts at the worm's first scan */
    /* AGENT */
    vmitn_pattern *rules;
    unsigned nrules, caprules;
    struct vmitn_seen *batch;
    unsigned nbatch;
    uint64_t period_seen;
    /* localized scanning */
    uint32_t reg[VMITN_NREG]; /* its regions, as indices into the model's table (hosts of one
                               * prefix share one: vmitn_hreg) */
    double hitw[VMITN_NREG];  /* fast path: p_region * hosts / size, a scan's chance to hit in use */
    double phit;        /* their sum */
    double pending_k;   /* scans up to the scheduled hit */
    unsigned sus_bound[VMITN_NREG]; /* thinning: hosts it could infect per region when the
                                     * pending hit was drawn (hitw, phit: their weights) */
    vmitn_time hit_from; /* when the scans toward it began (the last hit, or the start) */
    vmitn_rng *rng[VMITN_NHRNG - VMITN_NHOT]; /* the other purposes, created on first use:
                                               * most hosts of a large network never need them */
    uint16_t next_port;
} vmitn_mhost;

/* A batch of headers in flight to the SMC (an event argument that owns memory). */
typedef struct vmitn_batch_msg {
    unsigned n;
    vmitn_hdr h[];
} vmitn_batch_msg;

typedef struct vmitn_defence vmitn_defence;
typedef struct vmitn_wstate vmitn_wstate; /* strategy.c's */
#define VMITN_MAX_DEFENCES 16

typedef struct vmitn_model {
    const vmitn_model_cfg *c;
    const vmitn_topo *t;
    vmitn_sched *s;
    const vmitn_observer *obs;
    unsigned nobs;
    vmitn_mhost *hosts;
    unsigned nhosts, nfes;
    int *fes_idx;         /* FES host indices */
    int *by_addr;         /* LAN hosts sorted by address: regions are slices of it */
    unsigned nby_addr;
    vmitn_counts counts;
    vmitn_packet *pool;   /* packets in flight */
    uint32_t *pool_free;
    unsigned pool_n, pool_cap, pool_nfree;
    vmitn_learner *learner;
    vmitn_rng *smc_oob, *flood;
    vmitn_time scan_gap, end;
    vmitn_time air_free;  /* when the shared OOB medium is next free */
    uint64_t seed;
    unsigned run;
    uint64_t hdr_seq;
    int flood_host;
    uint32_t *addr_sorted; /* the addresses of by_addr, in its order: a target drawn by position
                            * needs no host record */
    /* The last scan target drawn and who has it (a host index, VMITN_TOPO_NOBODY, or
     * VMITN_TOPO_ASK when none was drawn): the packet path routes a packet to to_addr
     * without looking the address up again.  Never stale: an address's host is fixed. */
    uint32_t to_addr;
    int to_ix;
    vmitn_region *regions; /* every distinct scan region, shared by the hosts inside it */
    unsigned nregions;
    struct vmitn_replay_run *replay; /* src/traffic/replay.c: the captures being replayed, or NULL */
    /* thinning (src/worm/fast.c): a Fenwick tree over by_addr's positions counting the
     * hosts a scan can still infect, and each host's position in by_addr */
    bool thin;
    uint32_t *sus;        /* 1-based, nby_addr entries */
    unsigned *addr_pos;   /* by host index; UINT32_MAX: not in by_addr */
    unsigned sus_top;     /* the highest power of two <= nby_addr */
    vmitn_wstate *wst;    /* scanning strategies' state; NULL with random scanning, no hit-list */
    /* the defences this run has (enabled in c), in table order, with their state */
    const vmitn_defence *def[VMITN_MAX_DEFENCES];
    void *dstate[VMITN_MAX_DEFENCES];
    unsigned ndef;
    bool cures;           /* one of them can clean an infected host */
    bool edge_drop;       /* the BLOCKED_OUT being reported was dropped at an edge router (not
                           * by the sender's own AGENT or throttle): TRW counts it a failure */
} vmitn_model;

/* Region g (VMITN_REG_*) of host h. */
static inline const vmitn_region *vmitn_hreg(const vmitn_model *m, const vmitn_mhost *h, int g)
{
    return &m->regions[h->reg[g]];
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
void vmitn_emit_packet(vmitn_model *m, const vmitn_packet *p, enum vmitn_pkt_fate f);
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
uint16_t vmitn_ephemeral(vmitn_mhost *h);

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
/* fes.c: SPY's HIDS notices the intrusion of host hi. */
void vmitn_fes_detect(vmitn_model *m, unsigned hi);
/* smc.c: the learner and the report timers; 0 or -VMITN_EINPUT with a message. */
int vmitn_smc_setup(vmitn_model *m, char *err, size_t errlen);
bool vmitn_tapped(int mode, bool outbound);
bool vmitn_agent_blocks(const vmitn_mhost *h, const vmitn_hdr *hd);
void vmitn_agent_tap(vmitn_model *m, unsigned hi, const vmitn_packet *p);
/* The event that carries a vmitn_batch_msg (drain() frees those still pending). */
void vmitn_smc_ev_batch(vmitn_sched *s, void *ctx, uint64_t arg);

/* ---------- the defence interface ----------
 * A baseline defence is a module in src/defence/ with its parameters in its own section
 * of the parameter table and a row in the table of src/defence/registry.c; nothing else
 * knows it.  model.c calls its hooks where a packet leaves a host (before the AGENT),
 * crosses an edge router, reaches a host (before the AGENT) and meets its fate, and where
 * a host is infected; timers are its own events on m->s.  Hooks run in table order.
 *
 * Common random numbers: a defence draws only from its own streams,
 * vmitn_defence_rng(m, d, entity) (purpose VMITN_STREAM_DEFENCE + d->id), so switching a
 * defence on never shifts a draw of the worm, the traffic or another defence: a run with
 * it and one without are the same run until its first action. */

/* What a packet hook decides.  HELD: the defence keeps a copy and later sends it on with
 * vmitn_send_resume(m, p, k + 1), k being the hook's own index (the argument k). */
typedef enum vmitn_verdict { VMITN_PASS = 0, VMITN_DROP = 1, VMITN_HELD = 2 } vmitn_verdict;

/* Stream purposes VMITN_STREAM_DEFENCE + id (id < 32) belong to defence id; rng.h's own
 * purposes stay below 32. */
#define VMITN_STREAM_DEFENCE 32u

struct vmitn_defence {
    const char *name; /* its parameter section */
    unsigned id;      /* fixed forever: its streams' purpose offset (never renumber) */
    bool cures;       /* it can make an infected host clean (the fast path then never settles) */
    bool (*enabled)(const vmitn_model_cfg *c);
    /* What the parameter table cannot check: 0, or -VMITN_EINPUT with a message naming
     * the parameter (vmitn_fail).  Called by vmitn_model_check, enabled or not. */
    int (*check)(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen);
    /* Its state for one run (may schedule its timers); freed by release. */
    void *(*start)(vmitn_model *m, unsigned k);
    void (*release)(void *st);
    /* p leaves host p->from (after the SENT fate). */
    vmitn_verdict (*leave)(vmitn_model *m, void *st, unsigned k, vmitn_packet *p);
    /* p crosses edge router `router`: leaving the sender's LAN (outbound) or entering the
     * receiver's (inbound); checked when it is sent. */
    vmitn_verdict (*edge)(vmitn_model *m, void *st, const vmitn_packet *p, int router, bool outbound);
    /* p reaches host p->to. */
    vmitn_verdict (*reach)(vmitn_model *m, void *st, const vmitn_packet *p);
    /* Every fate of every packet, after the observers (outcome-based detectors). */
    void (*fate)(vmitn_model *m, void *st, const vmitn_packet *p, enum vmitn_pkt_fate f);
    /* Host hi was infected (by: the infecting host, -1 for an injection or the launch). */
    void (*infected)(vmitn_model *m, void *st, unsigned hi, int by);
};

/* registry.c: every defence, in hook order (NULL-terminated); each defined in its file. */
extern const vmitn_defence *const vmitn_defence_table[];
extern const vmitn_defence vmitn_throttle, vmitn_trw, vmitn_edge, vmitn_patch;
vmitn_rng *vmitn_defence_rng(const vmitn_model *m, const vmitn_defence *d, uint32_t entity);
/* Parses a defence's host list ("" = every FES host; else comma-separated names of FES
 * hosts) into mask (m->nhosts entries, calloc'd by the caller).  -VMITN_EINPUT naming
 * param on a name that is not an FES host of t. */
int vmitn_defence_hosts(const vmitn_topo *t, const char *list, const char *param, bool *mask, char *err,
                        size_t errlen);
/* model.c: sends p on from defence hook k (after a HELD). */
void vmitn_send_resume(vmitn_model *m, vmitn_packet *p, unsigned k);
/* model.c: the infection hooks (infect.c calls it). */
void vmitn_defence_infected(vmitn_model *m, unsigned hi, int by);

/* ---------- src/traffic ---------- */

void vmitn_flood_schedule(vmitn_model *m);
void vmitn_legit_schedule(vmitn_model *m);
/* A legitimate packet delivered to an online guest: a request is answered. */
void vmitn_legit_receive(vmitn_model *m, vmitn_packet *p);
/* replay.c: legit.trace.  check: what vmitn_model_check can know (names, the map);
 * setup: load, map and schedule the captures (0, or -VMITN_EINPUT / -VMITN_EIO with a
 * message naming legit.trace and the file); free: after the run. */
int vmitn_replay_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen);
int vmitn_replay_setup(vmitn_model *m, char *err, size_t errlen);
void vmitn_replay_free(vmitn_model *m);

#endif
