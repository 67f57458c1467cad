/* sprt.h — Wald's sequential probability ratio test on Bernoulli outcomes, as TRW uses it
 * (Jung, Paxson, Berger & Balakrishnan, "Fast Portscan Detection Using Sequential
 * Hypothesis Testing", IEEE S&P 2004, §4): H0 benign, H1 scanner; an outcome is a first
 * contact's success or failure; P(success | H0) = theta0, P(success | H1) = theta1.
 * The log likelihood ratio of H1 to H0 is the running sum; H1 is accepted at or above
 * ln(PD / PF), H0 at or below ln((1 - PD) / (1 - PF)) (Wald's thresholds, eq. 4 there). */
#ifndef VMITN_SPRT_H
#define VMITN_SPRT_H

#include <stdbool.h>

typedef struct vmitn_sprt {
    double upper, lower;   /* ln eta1, ln eta0 */
    double on_fail, on_ok; /* what one failure, one success adds to the log ratio */
} vmitn_sprt;

enum { VMITN_SPRT_BENIGN = -1, VMITN_SPRT_PENDING = 0, VMITN_SPRT_SCANNER = 1 };

/* 0, or -1 unless 0 < theta1 < theta0 < 1 and 0 < pf < pd < 1. */
int vmitn_sprt_init(vmitn_sprt *s, double theta0, double theta1, double pd, double pf);
/* Adds one outcome to *llr; returns the decision it reaches (or PENDING). */
int vmitn_sprt_step(const vmitn_sprt *s, double *llr, bool success);

#endif
