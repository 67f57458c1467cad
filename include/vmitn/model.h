/* model.h — the VMITN testbed model: hosts with FES (SPY, AGENT, VM Switcher), the SMC
 * with its pattern learner, the OOB network, Code Red, a TFN2K flood and legitimate
 * traffic.  The model schedules events on the event core, draws only from its
 * per-entity streams, and never prints: what happens is reported to observers.
 *
 * Every knob is a field of vmitn_model_cfg, described once in the table returned by
 * vmitn_model_params() (name, unit, range, meaning): the Lua layer, `vmitn list --model`
 * and the docs all read that table.  The modelling decisions are in docs/MODEL.md. */
#ifndef VMITN_MODEL_H
#define VMITN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmitn/evq.h"
#include "vmitn/learner.h"
#include "vmitn/topo.h"

#define VMITN_NAME_MAX 64
#define VMITN_MAX_INJECT 64

enum vmitn_tap { VMITN_TAP_IN = 0, VMITN_TAP_OUT = 1, VMITN_TAP_BOTH = 2 };
/* smc.report_path: who sends the headers to the SMC (docs/MODEL.md §6) */
enum vmitn_report_path { VMITN_REPORT_BRIDGE = 0, VMITN_REPORT_SPY = 1 };
enum vmitn_no_backup { VMITN_NOBACKUP_ISOLATE = 0, VMITN_NOBACKUP_WAIT = 1 };
enum vmitn_isolate { VMITN_ISOLATE_SWITCH = 0, VMITN_ISOLATE_DISPLAY = 1 };
enum vmitn_launch_detect { VMITN_LAUNCH_SCAN = 0, VMITN_LAUNCH_INFECTION = 1 };
enum vmitn_events_mode { VMITN_EVENTS_AUTO = 0, VMITN_EVENTS_ON = 1, VMITN_EVENTS_OFF = 2 };
enum vmitn_backup { VMITN_BACKUP_ALWAYS = 0, VMITN_BACKUP_OFFLINE = 1 };
enum vmitn_edge_mode { VMITN_EDGE_BLACKLIST = 0, VMITN_EDGE_CONTENT = 1, VMITN_EDGE_RATELIMIT = 2 };
enum vmitn_strategy { VMITN_STRATEGY_RANDOM = 0, VMITN_STRATEGY_SEQUENTIAL = 1, VMITN_STRATEGY_PERMUTATION = 2,
                      VMITN_STRATEGY_PARTITIONED = 3 };

typedef struct vmitn_model_cfg {
    char topology[1024];  /* GraphML path, or "generate:SUBNETS:HOSTS:FANOUT" */
    double duration;      /* s of simulated time per run */
    double grid;          /* s between curve samples */

    struct {
        bool enabled;
        char start_host[VMITN_NAME_MAX];
        double start_time;              /* s */
        double rate;                    /* scans/s per infected guest (paper: 1826) */
        bool poisson;                   /* exponential gaps instead of a fixed interval */
        double p_local, p_near;         /* region probabilities; anywhere gets the rest */
        double p_any;
        int local_prefix, near_prefix;  /* own /16 and own /8 literally */
        double local_bits, near_bits, any_bits; /* log2 of the effective region sizes */
        int port;
        int proto;                      /* 6: SYN, handshake, exploit; 17: one UDP packet infects */
        int scan_bytes, exploit_bytes;
        double activation, activation_cv; /* s from infection to the first scan */
        double launch_startup;          /* s (mean, gamma with activation_cv) from the launch to its first scan */
        int launch_detect;              /* enum vmitn_launch_detect: what SPY's HIDS sees on the launch host */
        bool fast;                      /* exact fast path: an event per scan that hits an address in use */
        bool thin;                      /* fast path, while nothing cures a host: an event per scan that
                                         * hits a host it can infect (thinning), the rest counted */
        int strategy;                   /* enum vmitn_strategy (src/worm/strategy.c) */
        int hitlist;                    /* FES hosts on the launcher's hit-list; 0: none */
    } worm;

    struct {
        bool enabled;
        char host[VMITN_NAME_MAX];
        double start, stop;  /* s; stop <= start: until the end */
        double rate;         /* packets/s in all */
        bool spoof;          /* random source addresses */
        int proto;           /* 6 tcp, 17 udp, 1 icmp */
        int port;            /* -1: random per packet */
        int bytes;
    } flood;

    struct {
        double http_rate, smtp_rate; /* requests/s per FES host, Poisson */
        int bytes;
        /* captures replayed as legitimate traffic (src/traffic/replay.c, trace.h) */
        char trace[1024];     /* comma-separated pcap/pcapng files; "" for none */
        char trace_map[1024]; /* explicit placements "ADDR=HOST,ADDR=outside,..." */
        int trace_inside;     /* enum vmitn_trace_inside: which addresses become FES hosts */
        double trace_speed;   /* capture time is divided by it */
        double trace_start;   /* s: when each capture's first packet goes */
        bool trace_loop;      /* start a capture again when it ends */
        const struct vmitn_trace_set *traces; /* trace's captures loaded once per experiment
                                               * (trace.h; not a parameter), or NULL: each run loads them */
    } legit;

    struct {
        bool handover;                  /* Rapid Hand Over */
        double alarm, report, display, mount, unmount; /* Table 1 means, s (forward = oob.latency) */
        double cv;                      /* coefficient of variation of every step */
        double shutdown, clean, restart;/* offline cleaning, s */
        int backup;                     /* enum vmitn_backup: how the next backup is made ready */
        int no_backup;                  /* enum vmitn_no_backup */
        int isolate_at;                 /* enum vmitn_isolate: when the infected guest leaves */
        bool vulnerable;                /* FES guests run the vulnerable service */
        bool spy;                       /* SPY's detection chain runs (no hand-over without it) */
    } fes;

    struct {
        double latency, cv; /* one-way OOB message latency, s (Table 1: 300 ms) */
        double loss;        /* probability an attempt is lost */
        double retry;       /* s before a lost message is sent again */
        double bandwidth;   /* bit/s of the shared 802.11 medium; 0: no airtime */
        int msg_bytes;      /* bytes of a message's own headers (802.11, IP, UDP, report) */
        int hdr_bytes;      /* bytes per packet header in an AGENT report */
    } oob;

    struct {
        bool learning;        /* Attack Pattern Learning */
        double lambda, theta, half_life; /* the learner's (learner.h) */
        int lru_size, table_size;
        int tap;              /* enum vmitn_tap: what the AGENT reports */
        int block;            /* enum vmitn_tap: where the AGENT drops */
        double report_period; /* s; 0: every header at once */
        int report_max;       /* headers per report; 0: all */
        int report_path;      /* enum vmitn_report_path */
    } smc;

    unsigned ninject;
    struct { char host[VMITN_NAME_MAX]; double t; } inject[VMITN_MAX_INJECT];

    /* ---- baseline defences (src/defence/, docs/MODEL.md §9) ---- */
    struct {                 /* Williamson's virus throttle (ACSAC 2002), per host */
        bool enabled;
        char hosts[1024];    /* "": every FES host; else comma-separated names */
        int working_set;     /* recently contacted destinations that pass at once */
        double rate;         /* delay-queue releases per second */
        int alarm;           /* queue length above which the throttle alarms */
        bool block;          /* on the alarm, stop the host's outbound traffic */
    } throttle;

    struct {                 /* TRW (Jung, Paxson, Berger, Balakrishnan, S&P 2004), per host */
        bool enabled;
        char hosts[1024];
        double theta0, theta1; /* P(first contact succeeds | benign), (| scanner) */
        double pd, pf;         /* target detection and false-positive probabilities */
        bool quarantine;       /* cut a flagged host off */
        double reaction;       /* s from the flag to the quarantine */
    } trw;

    struct {                 /* edge routers (Moore, Shannon, Voelker, Savage, INFOCOM 2003) */
        bool enabled;
        int mode;            /* enum vmitn_edge_mode */
        char routers[1024];  /* "": every edge router; else comma-separated router names */
        double reaction;     /* s: blacklist, after a host's infection; else after the first */
        double rate;         /* ratelimit: connection requests per second per host */
    } edge;

    struct {                 /* patching and removal (Zou, Gong, Towsley, CCS 2002) */
        bool enabled;
        char hosts[1024];
        double start;              /* s: patching begins */
        double susceptible_rate;   /* 1/s per susceptible host */
        double infected_rate;      /* 1/s per infected host */
    } patch;

    struct {
        int events;          /* enum vmitn_events_mode: write LABEL.events.csv (events.h) */
    } output;
} vmitn_model_cfg;

void vmitn_model_cfg_default(vmitn_model_cfg *c);

/* The parameter table. */
enum vmitn_param_kind { VMITN_P_NUM, VMITN_P_INT, VMITN_P_BOOL, VMITN_P_STR, VMITN_P_ENUM };
typedef struct vmitn_param_desc {
    const char *section; /* "worm", … or "" for top level */
    const char *name;
    enum vmitn_param_kind kind;
    size_t off;          /* offsetof in vmitn_model_cfg */
    double min, max;
    const char *const *choices; /* VMITN_P_ENUM: NULL-terminated */
    const char *unit, *doc;
    size_t size;         /* bytes of the field (a string's capacity, its NUL included) */
} vmitn_param_desc;
const vmitn_param_desc *vmitn_model_params(size_t *n);
/* Checks what the table cannot (sums, names against the topology).  0 or -VMITN_EINPUT. */
int vmitn_model_check(const vmitn_model_cfg *c, const vmitn_topo *t, char *err, size_t errlen);

/* ---- what the model reports ---- */

/* REPLAY: a packet of a replayed capture (legit.trace); nothing answers it (the capture
 * holds the answers). */
enum vmitn_pkt_kind { VMITN_PKT_SCAN, VMITN_PKT_EXPLOIT, VMITN_PKT_FLOOD, VMITN_PKT_LEGIT, VMITN_PKT_REPLAY,
                      VMITN_PKT_NKINDS };
enum vmitn_pkt_fate {
    VMITN_PKT_SENT,
    VMITN_PKT_DELIVERED,
    VMITN_PKT_BLOCKED_OUT,  /* dropped on the way out (its AGENT, a defence, an edge router) */
    VMITN_PKT_BLOCKED_IN,   /* dropped by the receiver's stack (its AGENT, a defence) */
    VMITN_PKT_NOHOST,       /* dropped by the router of a LAN without that address */
    VMITN_PKT_NOROUTE,      /* dropped by the sender's edge router */
    VMITN_PKT_DOWN,         /* reached a host with no guest online */
    VMITN_PKT_NFATES
};
/* Why a packet met its fate: where (the hook or the network element) and, when a module
 * decided it, which (its id in the module table: vmitn_module.id; VMITN_BY_NONE otherwise).
 * SENT and DELIVERED have at = VMITN_AT_NONE. */
enum vmitn_cause_at {
    VMITN_AT_NONE,
    VMITN_AT_LEAVE,   /* a module on the sender's stack: its AGENT's rules, throttle, quarantine */
    VMITN_AT_EDGE,    /* an edge router's filter on the way */
    VMITN_AT_REACH,   /* a module on the receiver's stack: its AGENT's rules, quarantine, patch */
    VMITN_AT_NOHOST,  /* the router of a LAN without that address */
    VMITN_AT_NOROUTE, /* no route from the sender */
    VMITN_AT_DOWN,    /* the host has no guest online */
    VMITN_AT_NCAUSES
};
#define VMITN_BY_NONE 255u
typedef struct vmitn_cause {
    uint8_t at; /* enum vmitn_cause_at */
    uint8_t by; /* the deciding module's id, or VMITN_BY_NONE */
} vmitn_cause;

typedef struct vmitn_packet {
    uint32_t src, dst;
    uint16_t sport, dport;
    uint8_t proto, kind;
    uint16_t bytes;
    int32_t from, to;       /* host indices, -1 outside the topology */
} vmitn_packet;

enum vmitn_host_event {
    VMITN_EV_INFECTED,      /* arg: infecting host or -1 for an injection */
    VMITN_EV_ACTIVE,        /* the worm starts scanning */
    VMITN_EV_ALARM,         /* SPY's HIDS alarm */
    VMITN_EV_REPORTED,      /* AGENT has SPY's report (VmCom) */
    VMITN_EV_SMC_ALARM,     /* SMC received it (OOB) */
    VMITN_EV_DISPLAYED,     /* SMC GUI shows it; hand-over ordered */
    VMITN_EV_NO_BACKUP,     /* no clean backup ready: isolated or left running */
    VMITN_EV_SWITCHING,     /* the switch starts (fes.isolate_at = display: the infected guest leaves now) */
    VMITN_EV_MOUNTED,       /* switch: backup disk mounted */
    VMITN_EV_SWITCHED,      /* switch done: the backup serves */
    VMITN_EV_CLEANED,       /* the old image is clean and ready as backup */
    VMITN_EV_DETECTED,      /* a baseline defence flags the host (arg: the defence's id) */
    VMITN_EV_CONTAINED,     /* a baseline defence cuts the host off (arg: the defence's id) */
    VMITN_EV_REMOVED,       /* a baseline defence cleaned the host's guest (arg: the defence's id) */
    VMITN_EV_NEVENTS
};

typedef struct vmitn_counts {
    unsigned hosts;      /* FES hosts */
    unsigned infected;   /* running an infected guest (online or isolated) */
    unsigned healthy;    /* a clean guest online and serving */
    unsigned down;       /* no guest online */
    unsigned infections; /* infections so far */
} vmitn_counts;

typedef struct vmitn_observer {
    void *ctx;
    void (*packet)(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f);
    /* The fates .packet is called with, a bit each (1u << fate); 0: every fate.  An
     * observer with .dropped takes every fate (0): .dropped follows its .packet call. */
    unsigned fates;
    /* Every fate but SENT and DELIVERED again, with its cause (after .packet). */
    void (*dropped)(void *ctx, vmitn_time t, const vmitn_packet *p, enum vmitn_pkt_fate f, vmitn_cause why);
    void (*host)(void *ctx, vmitn_time t, unsigned host, enum vmitn_host_event e, int arg,
                 const vmitn_counts *c);
    /* A rule issued by the SMC (agent < 0) or now active at AGENT `agent`. */
    void (*rule)(void *ctx, vmitn_time t, const vmitn_pattern *p, int agent, unsigned nagents);
    /* Called at every grid time k * grid <= duration. */
    void (*sample)(void *ctx, vmitn_time t, const vmitn_counts *c);
    /* The fast path's scans that were not sent, counted by region (own /16, own /8,
     * anywhere) between two that were; reported with the latter.  They hit nobody, or
     * with worm.thin a host they could not change (infected already, not vulnerable). */
    void (*skipped)(void *ctx, vmitn_time t, unsigned host, const double misses[3]);
    /* A header arrives at the SMC's learner; kind is the vmitn_pkt_kind of the packet
     * an AGENT tapped it from. */
    void (*learn)(void *ctx, vmitn_time t, const vmitn_hdr *h, int kind);
    /* The run is over: the number of events it executed (the work, comparable without a
     * clock: the fast path and thinning show up here). */
    void (*finish)(void *ctx, vmitn_time t, uint64_t events);
} vmitn_observer;

/* Runs replication `run` of the model with master seed `seed`.  Observers are called in
 * order.  Returns 0, or -VMITN_EINPUT with a message (only for what vmitn_model_check
 * could not know). */
int vmitn_model_run(const vmitn_model_cfg *c, const vmitn_topo *t, uint64_t seed, unsigned run,
                    const vmitn_observer *obs, unsigned nobs, char *err, size_t errlen);

#endif
