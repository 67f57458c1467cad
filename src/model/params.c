/* params.c — every model parameter, its default, unit, range and meaning, in one table.
 * The Lua layer sets fields through it, `vmitn list --model` prints it, docs quote it. */
#include <stddef.h>
#include <string.h>

#include "vmitn/model.h"
#include "vmitn/util.h"

static const char *const tap_names[] = {"in", "out", "both", NULL};
static const char *const report_path_names[] = {"bridge", "spy", NULL};
static const char *const nobackup_names[] = {"isolate", "wait", NULL};
static const char *const isolate_names[] = {"switch", "display", NULL};
static const char *const launch_detect_names[] = {"scan", "infection", NULL};
static const char *const backup_names[] = {"always", "offline", NULL};
static const char *const inside_names[] = {"auto", "private", "clients", "map", NULL}; /* enum vmitn_trace_inside */
static const char *const edge_names[] = {"blacklist", "content", "ratelimit", NULL};
static const char *const events_names[] = {"auto", "on", "off", NULL}; /* enum vmitn_events_mode */
static const char *const strategy_names[] = {"random", "sequential", "permutation", "partitioned", NULL};

#define F(field) offsetof(vmitn_model_cfg, field)
#define SZ(field) sizeof(((vmitn_model_cfg *)0)->field)
#define NUM(sec, nm, field, lo, hi, unit, doc) {sec, nm, VMITN_P_NUM, F(field), lo, hi, NULL, unit, doc, SZ(field)}
#define INT(sec, nm, field, lo, hi, unit, doc) {sec, nm, VMITN_P_INT, F(field), lo, hi, NULL, unit, doc, SZ(field)}
#define BOOL(sec, nm, field, doc) {sec, nm, VMITN_P_BOOL, F(field), 0, 1, NULL, "", doc, SZ(field)}
#define STR(sec, nm, field, doc) {sec, nm, VMITN_P_STR, F(field), 0, 0, NULL, "", doc, SZ(field)}
#define ENUM(sec, nm, field, ch, doc) {sec, nm, VMITN_P_ENUM, F(field), 0, 0, ch, "", doc, SZ(field)}

static const vmitn_param_desc params[] = {
    STR("", "topology", topology, "GraphML file, or generate:SUBNETS:HOSTS:FANOUT"),
    NUM("", "duration", duration, 1e-3, 1e6, "s", "simulated time per run"),
    NUM("", "grid", grid, 1e-3, 1e6, "s", "time between curve samples"),

    BOOL("worm", "enabled", worm.enabled, "launch Code Red at worm.start_host"),
    STR("worm", "start_host", worm.start_host, "host where the worm is launched"),
    NUM("worm", "start_time", worm.start_time, 0, 1e6, "s", "launch time"),
    NUM("worm", "rate", worm.rate, 0, 1e7, "scans/s", "scan rate of an infected guest (paper 4.4: 1826)"),
    BOOL("worm", "poisson", worm.poisson, "exponential gaps between scans instead of a fixed interval"),
    NUM("worm", "p_local", worm.p_local, 0, 1, "", "probability a scan targets its own /local_prefix (3/8)"),
    NUM("worm", "p_near", worm.p_near, 0, 1, "", "probability a scan targets its own /near_prefix (1/2)"),
    NUM("worm", "p_any", worm.p_any, 0, 1, "", "probability a scan targets the whole space (1/8)"),
    INT("worm", "local_prefix", worm.local_prefix, 0, 32, "bits", "prefix length of the local region (class B: 16)"),
    INT("worm", "near_prefix", worm.near_prefix, 0, 32, "bits", "prefix length of the near region (class A: 8)"),
    NUM("worm", "local_bits", worm.local_bits, 0, 32, "bits", "log2 of the effective size of the local region (literal: 32 - local_prefix)"),
    NUM("worm", "near_bits", worm.near_bits, 0, 32, "bits", "log2 of the effective size of the near region (literal: 32 - near_prefix)"),
    NUM("worm", "any_bits", worm.any_bits, 0, 32, "bits", "log2 of the effective size of the whole space (literal: 32)"),
    BOOL("worm", "thin", worm.thin, "with worm.fast, while nothing can cure a host (no hand-over, no learner): draw the time to the next scan that hits a host it can infect (thinning), count the others; false: an event per scan that hits any address in use"),
    BOOL("worm", "fast", worm.fast, "exact fast path: draw the time to the next scan that hits an address in use, count the others (no AGENT outbound tap, no pcap of them)"),
    ENUM("worm", "strategy", worm.strategy, strategy_names, "random: the region draws above (localized or uniform); sequential: addresses upward from a start (own /local_prefix with p_local, else random; Blaster); permutation: one pseudo-random permutation of the space shared by all instances, a random start, a new one on meeting an infected host; partitioned: the same, each victim taking the upper half of its infector's unscanned part (Staniford et al. 2002)"),
    INT("worm", "hitlist", worm.hitlist, 0, 16777216, "hosts", "vulnerable hosts on the launcher's hit-list, scanned first; each victim takes half of its infector's remaining list (Warhol)"),
    INT("worm", "port", worm.port, 1, 65535, "", "port of the vulnerable service"),
    INT("worm", "proto", worm.proto, 6, 17, "", "6: a TCP SYN, then the exploit after the handshake (Code Red); 17: one UDP packet infects (Slammer)"),
    INT("worm", "scan_bytes", worm.scan_bytes, 20, 65535, "bytes", "size of a scan (TCP SYN)"),
    INT("worm", "exploit_bytes", worm.exploit_bytes, 20, 65535, "bytes", "size of the exploit request"),
    NUM("worm", "activation", worm.activation, 0, 1e4, "s", "mean delay from infection to the victim's first scan"),
    NUM("worm", "launch_startup", worm.launch_startup, 0, 1e4, "s", "mean delay from the launch to the launched worm's first scan (gamma, CV activation_cv)"),
    ENUM("worm", "launch_detect", worm.launch_detect, launch_detect_names, "what SPY's HIDS sees on the launch host: scan (its alarm chain starts at the worm's first scan; there is no exploit to see) or infection (at the launch, as for a victim)"),
    NUM("worm", "activation_cv", worm.activation_cv, 0, 10, "", "coefficient of variation of the activation delay (gamma)"),

    BOOL("flood", "enabled", flood.enabled, "run a TFN2K flood from flood.host"),
    STR("flood", "host", flood.host, "flooding host"),
    NUM("flood", "start", flood.start, 0, 1e6, "s", "flood start"),
    NUM("flood", "stop", flood.stop, 0, 1e6, "s", "flood stop (<= start: until the end)"),
    NUM("flood", "rate", flood.rate, 0, 1e7, "packets/s", "flood rate, all targets together"),
    BOOL("flood", "spoof", flood.spoof, "spoof uniformly random source addresses"),
    INT("flood", "proto", flood.proto, 1, 255, "", "IP protocol (6 TCP SYN, 17 UDP, 1 ICMP)"),
    INT("flood", "port", flood.port, -1, 65535, "", "destination port; -1: random per packet"),
    INT("flood", "bytes", flood.bytes, 20, 65535, "bytes", "packet size"),

    NUM("legit", "http_rate", legit.http_rate, 0, 1e6, "requests/s", "HTTP requests per FES host (Poisson)"),
    NUM("legit", "smtp_rate", legit.smtp_rate, 0, 1e6, "requests/s", "SMTP requests per FES host (Poisson)"),
    INT("legit", "bytes", legit.bytes, 20, 65535, "bytes", "size of a request and of its response"),
    STR("legit", "trace", legit.trace, "captures (pcap/pcapng, comma-separated) replayed as the network's legitimate traffic, subject to AGENT blocking (\"\": none)"),
    ENUM("legit", "trace_inside", legit.trace_inside, inside_names, "capture addresses that become FES hosts: private (RFC 1918, link-local), clients (they open connections), map (only trace_map's), or auto (private, else clients, else the busiest address)"),
    STR("legit", "trace_map", legit.trace_map, "explicit placements ADDR=HOST or ADDR=outside, comma-separated (win over trace_inside)"),
    NUM("legit", "trace_speed", legit.trace_speed, 1e-6, 1e6, "", "replay speed: capture time is divided by it"),
    NUM("legit", "trace_start", legit.trace_start, 0, 1e6, "s", "when each capture's first packet goes"),
    BOOL("legit", "trace_loop", legit.trace_loop, "start a capture again when it ends (period: its length plus one mean gap)"),

    BOOL("fes", "handover", fes.handover, "Rapid Hand Over (paper 3.3)"),
    NUM("fes", "alarm", fes.alarm, 0, 1e4, "s", "SPY's HIDS alarm after infection (Table 1: 0.091)"),
    NUM("fes", "report", fes.report, 0, 1e4, "s", "SPY to AGENT over VmCom (Table 1: 0.867)"),
    NUM("fes", "display", fes.display, 0, 1e4, "s", "SMC GUI shows the alarm (Table 1: 0.049)"),
    NUM("fes", "mount", fes.mount, 0, 1e4, "s", "mount a virtual disk (Table 1: 0.471)"),
    NUM("fes", "unmount", fes.unmount, 0, 1e4, "s", "unmount a virtual disk (Table 1: 0.268)"),
    NUM("fes", "cv", fes.cv, 0, 10, "", "coefficient of variation of every FES step (gamma)"),
    NUM("fes", "shutdown", fes.shutdown, 0, 1e6, "s", "shut the infected guest down (Table 1: depends on case)"),
    NUM("fes", "clean", fes.clean, 0, 1e6, "s", "manual scan and clean (Table 1: depends on case)"),
    NUM("fes", "restart", fes.restart, 0, 1e6, "s", "restart the cleaned guest (Table 1: depends on case)"),
    ENUM("fes", "backup", fes.backup, backup_names, "the next backup: always (a clean replica is ready again at once, paper 3.3) or offline (the infected image, once shut down, cleaned and restarted)"),
    ENUM("fes", "no_backup", fes.no_backup, nobackup_names, "infected guest with no clean backup ready: isolate (shut down, host down) or wait (keeps running)"),
    ENUM("fes", "isolate_at", fes.isolate_at, isolate_names, "when the infected guest leaves the network: at the switch (seamless hand-over) or when the SMC displays the alarm"),
    BOOL("fes", "spy", fes.spy, "SPY detects infections and alarms the SMC (off: hosts without FES, as on the Internet)"),
    BOOL("fes", "vulnerable", fes.vulnerable, "FES guests run the vulnerable service"),

    NUM("oob", "latency", oob.latency, 0, 1e4, "s", "mean one-way OOB message time (Table 1 AGENT to SMC: 0.300)"),
    NUM("oob", "cv", oob.cv, 0, 10, "", "coefficient of variation of the OOB time (gamma)"),
    NUM("oob", "loss", oob.loss, 0, 0.99, "", "probability an OOB attempt is lost"),
    NUM("oob", "retry", oob.retry, 1e-6, 1e4, "s", "time before a lost OOB message is sent again"),
    NUM("oob", "bandwidth", oob.bandwidth, 0, 1e10, "bit/s", "goodput of the shared 802.11 medium every OOB message crosses in turn (0: no airtime)"),
    INT("oob", "msg_bytes", oob.msg_bytes, 0, 65535, "bytes", "a message's own headers (802.11, IP, UDP, report)"),
    INT("oob", "hdr_bytes", oob.hdr_bytes, 1, 65535, "bytes", "bytes per packet header in an AGENT report"),

    BOOL("smc", "learning", smc.learning, "Attack Pattern Learning (paper 3.4)"),
    NUM("smc", "lambda", smc.lambda, 1, 1e9, "packets", "stage-1 threshold (Fig 7: 10)"),
    NUM("smc", "theta", smc.theta, 1, 1e9, "packets", "stage-2 threshold (Fig 9: 100, 200, 300)"),
    NUM("smc", "half_life", smc.half_life, 0, 1e6, "s", "stage-1 aging half-life (0: no aging)"),
    INT("smc", "lru_size", smc.lru_size, 1, 1 << 20, "records", "records per stage-1 array"),
    INT("smc", "table_size", smc.table_size, 1, 1 << 20, "records", "records in the stage-2 pattern table"),
    ENUM("smc", "tap", smc.tap, tap_names, "packets an AGENT reports: in (to its guest), out (from it), both"),
    ENUM("smc", "block", smc.block, tap_names, "packets an AGENT drops when they match a rule"),
    NUM("smc", "report_period", smc.report_period, 0, 1e4, "s", "AGENT report period (0: each header at once)"),
    INT("smc", "report_max", smc.report_max, 0, 1 << 24, "headers", "headers per report, a uniform sample (0: all)"),
    ENUM("smc", "report_path", smc.report_path, report_path_names, "bridge: the AGENT taps its bridge and reports every report_period over OOB; spy: Table 1's chain, the SPY's sensor reports every report_period over VmCom (fes.alarm + fes.report, one report at a time), the AGENT forwards it over OOB"),

    BOOL("throttle", "enabled", throttle.enabled, "Williamson's virus throttle on the hosts of throttle.hosts (ACSAC 2002)"),
    STR("throttle", "hosts", throttle.hosts, "hosts with a throttle: comma-separated FES host names; empty: every FES host"),
    INT("throttle", "working_set", throttle.working_set, 1, 1000, "hosts", "recently contacted destinations a request passes to at once (paper: 5)"),
    NUM("throttle", "rate", throttle.rate, 1e-3, 1e6, "1/s", "delay-queue releases per second (paper: 1)"),
    INT("throttle", "alarm", throttle.alarm, 1, 100000000, "requests", "delay-queue length above which the throttle alarms"),
    BOOL("throttle", "block", throttle.block, "on the alarm, stop the host's outbound traffic (and drop its queue)"),

    BOOL("trw", "enabled", trw.enabled, "TRW sequential hypothesis testing of the hosts of trw.hosts (Jung et al., S&P 2004)"),
    STR("trw", "hosts", trw.hosts, "hosts watched: comma-separated FES host names; empty: every FES host"),
    NUM("trw", "theta0", trw.theta0, 0, 1, "", "P(a first contact succeeds | benign host) (paper: 0.8)"),
    NUM("trw", "theta1", trw.theta1, 0, 1, "", "P(a first contact succeeds | scanner) (paper: 0.2)"),
    NUM("trw", "pd", trw.pd, 0, 1, "", "target detection probability P_D (paper: 0.99)"),
    NUM("trw", "pf", trw.pf, 0, 1, "", "target false-positive probability P_F (paper: 0.01)"),
    BOOL("trw", "quarantine", trw.quarantine, "cut a flagged host off the network (both ways)"),
    NUM("trw", "reaction", trw.reaction, 0, 1e6, "s", "delay from the flag to the quarantine"),

    BOOL("edge", "enabled", edge.enabled, "containment at edge routers (Moore et al., INFOCOM 2003)"),
    ENUM("edge", "mode", edge.mode, edge_names, "blacklist: drop an infected host's packets from edge.reaction after its infection; content: drop every infecting packet from edge.reaction after the first infection; ratelimit: cap each host's connection requests at edge.rate per second from edge.reaction after the start of the run"),
    STR("edge", "routers", edge.routers, "routers with the filter: comma-separated edge router names; empty: every edge router"),
    NUM("edge", "reaction", edge.reaction, 0, 1e7, "s", "reaction time (see edge.mode)"),
    NUM("edge", "rate", edge.rate, 1e-6, 1e9, "1/s", "ratelimit: connection requests per second and host let through"),

    BOOL("patch", "enabled", patch.enabled, "patching and removal at rates (Zou, Gong, Towsley, CCS 2002)"),
    STR("patch", "hosts", patch.hosts, "hosts that get patched: comma-separated FES host names; empty: every FES host"),
    NUM("patch", "start", patch.start, 0, 1e7, "s", "when patching begins"),
    NUM("patch", "susceptible_rate", patch.susceptible_rate, 0, 1e6, "1/s", "rate at which a clean host is patched (immune from then on)"),
    NUM("patch", "infected_rate", patch.infected_rate, 0, 1e6, "1/s", "rate at which an infected host is cleaned and patched"),

    ENUM("output", "events", output.events, events_names, "write LABEL.events.csv, every host's events in every run: auto (when the topology has at most 1,000 hosts), on (refused when the log would exceed 256 MiB), off"),
};

const vmitn_param_desc *vmitn_model_params(size_t *n)
{
    *n = sizeof params / sizeof params[0];
    return params;
}

void vmitn_model_cfg_default(vmitn_model_cfg *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->topology, "topologies/vmitn-fig8.graphml");
    c->duration = 20;
    c->grid = 0.1;

    c->worm.enabled = true;
    strcpy(c->worm.start_host, "L1-1");
    c->worm.rate = 1826;
    c->worm.p_local = 3.0 / 8;
    c->worm.p_near = 1.0 / 2;
    c->worm.p_any = 1.0 / 8;
    c->worm.local_prefix = 16;
    c->worm.near_prefix = 8;
    c->worm.local_bits = 16;
    c->worm.near_bits = 24;
    c->worm.any_bits = 32;
    c->worm.port = 80;
    c->worm.proto = 6;
    c->worm.scan_bytes = 62;
    c->worm.exploit_bytes = 4000;
    c->worm.activation = 1.0;
    c->worm.activation_cv = 0.3;
    c->worm.launch_startup = 0;
    c->worm.launch_detect = VMITN_LAUNCH_SCAN;
    c->worm.thin = true;

    strcpy(c->flood.host, "L1-1");
    c->flood.rate = 500;
    c->flood.spoof = true;
    c->flood.proto = 6;
    c->flood.port = 80;
    c->flood.bytes = 60;

    /* none in the paper's experiments (docs/MODEL.md 4): the background experiment sets them */
    c->legit.http_rate = 0;
    c->legit.smtp_rate = 0;
    c->legit.bytes = 400;
    c->legit.trace_inside = 0; /* VMITN_INSIDE_AUTO (trace.h) */
    c->legit.trace_speed = 1;

    c->fes.alarm = 0.091;
    c->fes.report = 0.867;
    c->fes.display = 0.049;
    c->fes.mount = 0.471;
    c->fes.unmount = 0.268;
    c->fes.cv = 0.1;
    c->fes.shutdown = 2;
    c->fes.clean = 60;
    c->fes.restart = 10;
    c->fes.backup = VMITN_BACKUP_ALWAYS;
    c->fes.no_backup = VMITN_NOBACKUP_ISOLATE;
    c->fes.vulnerable = true;
    c->fes.spy = true;

    c->oob.latency = 0.300;
    c->oob.cv = 0.1;
    c->oob.retry = 0.1;
    c->oob.bandwidth = 5e6;
    c->oob.msg_bytes = 64;
    c->oob.hdr_bytes = 12;

    c->smc.lambda = 10;
    c->smc.theta = 100;
    c->smc.half_life = 1;
    c->smc.lru_size = 64;
    c->smc.table_size = 32;
    c->smc.tap = VMITN_TAP_BOTH;
    c->smc.block = VMITN_TAP_BOTH;
    c->smc.report_period = 0.1;
    c->smc.report_max = 0;

    /* the baselines are off; their papers' values otherwise */
    c->throttle.working_set = 5;
    c->throttle.rate = 1;
    c->throttle.alarm = 100;
    c->throttle.block = true;
    c->trw.theta0 = 0.8;
    c->trw.theta1 = 0.2;
    c->trw.pd = 0.99;
    c->trw.pf = 0.01;
    c->trw.quarantine = true;
    c->edge.reaction = 1200;
    c->edge.rate = 1;
}
