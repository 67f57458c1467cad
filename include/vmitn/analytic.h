/* analytic.h — the analytic worm models beside the emulator: a least-squares logistic fit
 * of an infected curve, and the SI (random constant spread) ODE, both with GSL. */
#ifndef VMITN_ANALYTIC_H
#define VMITN_ANALYTIC_H

#include <stddef.h>

/* Fits i(t) = N / (1 + exp(-K (t - T))) to the points (t, y) with N known (GSL nonlinear
 * least squares).  Returns 0 and K, T and the residual sum of squares, or -1 when the fit
 * does not converge or the data cannot be fitted (fewer than 3 points inside (0, N)). */
int vmitn_fit_logistic(const double *t, const double *y, size_t n, double N, double *K, double *T, double *rss);

/* Solves di/dt = K i (1 - i/N), i(t0) = i0 (the random constant spread model of Staniford,
 * Paxson & Weaver; the SI model with K = scan rate * N / address space) with gsl_odeiv2,
 * writing i at the ascending times t[0..n-1] (>= t0) to out.  Returns 0, or -1 for times
 * that are not finite, ascending and >= t0, or when the integration fails. */
int vmitn_si_ode(double K, double N, double i0, double t0, const double *t, size_t n, double *out);

/* Minimises f over R^n from x (in: the start, out: the best point found) with GSL's
 * Nelder-Mead simplex (nmsimplex2), initial steps `step`, until the simplex's size falls
 * below tol or after maxit iterations.  f returns a finite value, or NaN to stop the
 * search (e.g. on an error in a Lua callback).  Returns 0 with *fmin and *iters, or -1 when
 * f stopped it or GSL failed. */
int vmitn_minimize(double (*f)(const double *x, size_t n, void *ctx), void *ctx, double *x, const double *step,
                   size_t n, unsigned maxit, double tol, double *fmin, unsigned *iters);

/* The standard normal distribution function. */
double vmitn_pnorm(double z);

#endif
