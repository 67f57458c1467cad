/* analytic.c — logistic fit (gsl_multifit_nlinear, trust region) and the SI ODE
 * (gsl_odeiv2, Runge-Kutta-Fehlberg 4/5 with adaptive steps). */
#include "vmitn/analytic.h"

#include <stdbool.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdlib.h>

#include "vmitn/util.h"

typedef struct fit_data {
    const double *t, *y;
    size_t n;
    double N;
} fit_data;

/* N / (1 + e^-z) without overflow for large |z|. */
static double logistic(double N, double z)
{
    if (z >= 0)
        return N / (1 + exp(-z));
    double e = exp(z);
    return N * e / (1 + e);
}

static int resid(const gsl_vector *x, void *p, gsl_vector *f)
{
    const fit_data *d = p;
    double K = gsl_vector_get(x, 0), T = gsl_vector_get(x, 1);
    for (size_t i = 0; i < d->n; i++)
        gsl_vector_set(f, i, logistic(d->N, K * (d->t[i] - T)) - d->y[i]);
    return GSL_SUCCESS;
}

static int jac(const gsl_vector *x, void *p, gsl_matrix *J)
{
    const fit_data *d = p;
    double K = gsl_vector_get(x, 0), T = gsl_vector_get(x, 1);
    for (size_t i = 0; i < d->n; i++) {
        /* dN/(1+e^-z)/dz = N e^-|z| / (1 + e^-|z|)^2: symmetric in z, never inf/inf */
        double e = exp(-fabs(K * (d->t[i] - T))), q = d->N * e / ((1 + e) * (1 + e));
        gsl_matrix_set(J, i, 0, q * (d->t[i] - T));
        gsl_matrix_set(J, i, 1, -q * K);
    }
    return GSL_SUCCESS;
}

int vmitn_fit_logistic(const double *t, const double *y, size_t n, double N, double *K, double *T, double *rss)
{
    /* a start from the data: T where the curve crosses N/2, K from the 10 %-90 % rise */
    size_t inside = 0;
    double t10 = NAN, t50 = NAN, t90 = NAN;
    for (size_t i = 0; i < n; i++) {
        inside += y[i] > 0 && y[i] < N;
        if (isnan(t10) && y[i] >= 0.1 * N)
            t10 = t[i];
        if (isnan(t50) && y[i] >= 0.5 * N)
            t50 = t[i];
        if (isnan(t90) && y[i] >= 0.9 * N)
            t90 = t[i];
    }
    if (inside < 3 || n < 3)
        return -1;
    /* a logistic rises from 10 % to 90 % in 2 ln 9 / K */
    double k0 = !isnan(t10) && !isnan(t90) && t90 > t10 ? 2 * log(9.0) / (t90 - t10) : 1.0 / (t[n - 1] - t[0]);
    if (isnan(t50)) { /* the curve never reaches N/2: extrapolate from its last point inside (0, N) */
        size_t j = n;
        while (j-- > 0 && !(y[j] > 0 && y[j] < N))
            ;
        t50 = t[j] + log(N / y[j] - 1) / k0;
    }
    gsl_set_error_handler_off();
    fit_data d = {t, y, n, N};
    gsl_multifit_nlinear_fdf fdf = {.f = resid, .df = jac, .n = n, .p = 2, .params = &d};
    gsl_multifit_nlinear_parameters prm = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &prm, n, 2);
    double x0[2] = {k0, t50};
    gsl_vector_view xv = gsl_vector_view_array(x0, 2);
    int info, rc = gsl_multifit_nlinear_init(&xv.vector, &fdf, w);
    if (rc == GSL_SUCCESS)
        rc = gsl_multifit_nlinear_driver(200, 1e-10, 1e-10, 1e-10, NULL, NULL, &info, w);
    if (rc == GSL_SUCCESS) {
        *K = gsl_vector_get(w->x, 0);
        *T = gsl_vector_get(w->x, 1);
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += gsl_vector_get(w->f, i) * gsl_vector_get(w->f, i);
        *rss = s;
    }
    gsl_multifit_nlinear_free(w);
    return rc == GSL_SUCCESS && isfinite(*K) && *K > 0 ? 0 : -1;
}

typedef struct ode_p {
    double K, N;
} ode_p;

static int si(double t, const double y[], double dydt[], void *p)
{
    (void)t;
    const ode_p *q = p;
    dydt[0] = q->K * y[0] * (1 - y[0] / q->N);
    return GSL_SUCCESS;
}

int vmitn_si_ode(double K, double N, double i0, double t0, const double *t, size_t n, double *out)
{
    gsl_set_error_handler_off();
    for (size_t i = 0; i < n; i++)
        if (!isfinite(t[i]) || t[i] < t0 || (i > 0 && t[i] < t[i - 1]))
            return -1; /* times must be finite, ascending and not before t0 */
    ode_p p = {K, N};
    gsl_odeiv2_system sys = {si, NULL, 1, &p};
    gsl_odeiv2_driver *d = gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rkf45, 1e-3, 1e-9, 1e-9);
    double tc = t0, y[1] = {i0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (t[i] > tc)
            rc = gsl_odeiv2_driver_apply(d, &tc, t[i], y) == GSL_SUCCESS ? 0 : -1;
        out[i] = y[0];
        if (!isfinite(out[i]))
            rc = -1;
    }
    gsl_odeiv2_driver_free(d);
    return rc;
}

/* ---- Nelder-Mead ---- */

typedef struct nm_ctx {
    double (*f)(const double *x, size_t n, void *ctx);
    void *ctx;
    size_t n;
    bool stop;
} nm_ctx;

static double nm_eval(const gsl_vector *v, void *p)
{
    nm_ctx *c = p;
    if (c->stop)
        return GSL_POSINF;
    double x[64];
    for (size_t i = 0; i < c->n; i++)
        x[i] = gsl_vector_get(v, i);
    double y = c->f(x, c->n, c->ctx);
    if (isnan(y)) {
        c->stop = true;
        return GSL_POSINF;
    }
    return y;
}

int vmitn_minimize(double (*f)(const double *x, size_t n, void *ctx), void *ctx, double *x, const double *step,
                   size_t n, unsigned maxit, double tol, double *fmin, unsigned *iters)
{
    if (n == 0 || n > 64)
        return -1;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    nm_ctx c = {.f = f, .ctx = ctx, .n = n};
    gsl_multimin_function fn = {.f = nm_eval, .n = n, .params = &c};
    gsl_vector *x0 = gsl_vector_alloc(n), *ss = gsl_vector_alloc(n);
    for (size_t i = 0; i < n; i++) {
        gsl_vector_set(x0, i, x[i]);
        gsl_vector_set(ss, i, step[i]);
    }
    gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    int rc = gsl_multimin_fminimizer_set(s, &fn, x0, ss);
    unsigned it = 0;
    while (rc == GSL_SUCCESS && !c.stop && it < maxit) {
        it++;
        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), tol) == GSL_SUCCESS)
            break;
    }
    if (rc == GSL_SUCCESS && !c.stop) {
        for (size_t i = 0; i < n; i++)
            x[i] = gsl_vector_get(s->x, i);
        *fmin = s->fval;
        *iters = it;
    }
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(x0);
    gsl_vector_free(ss);
    gsl_set_error_handler(old);
    return rc == GSL_SUCCESS && !c.stop ? 0 : -1;
}

double vmitn_pnorm(double z) { return gsl_cdf_ugaussian_P(z); }
