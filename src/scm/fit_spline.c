/*
 * fit_spline.c: the SPLINE candidate of causa_scm_fit: an additive cubic B-spline per
 * input, X = c + sum_j s_j(u_j) + N.
 *
 * Breakpoints: k quantiles of the input (probabilities 0, 1/(k-1), ..., 1, numpy's linear
 * interpolation), ties dropped, so the ends are the input's minimum and maximum and each
 * interval holds about the same number of rows; an indicator input keeps just {0, 1}. The
 * basis is the model's own (causa_spline_design: clamped knots, straight-line continuation
 * beyond the ends), so the fitted coefficients are exactly what the SPLINE mechanism
 * evaluates. Each input's basis sums to one, so the bases are collinear with the intercept
 * and with each other: the ridge penalty lambda * n * ||coefs||^2 (intercept free) picks
 * one solution and smooths, which is what makes the fit well defined (Eilers & Marx 1996
 * use a difference penalty; plain ridge keeps the normal equations of causa_i_ridge).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../linalg/lstsq_i.h"
#include "fit_i.h"
#include "scm_i.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int causa_i_quantile_knots(causa_ctx *ctx, const double *x, int64_t n, int64_t k, double *out,
                           int64_t *count) {
    int rc = CAUSA_OK;
    double *s = NULL;
    *count = 0;
    if (n < 1) {
        out[0] = 0.0;
        out[1] = 1.0;
        *count = 2;
        return CAUSA_OK;
    }
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&s, (size_t)n * sizeof *s, "sorted values"));
    memcpy(s, x, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    int64_t c = 0;
    for (int64_t i = 0; i < k; i++) {
        double h = (double)(n - 1) * (double)i / (double)(k - 1);
        int64_t lo = (int64_t)floor(h);
        if (lo >= n - 1) lo = n - 1;
        double q = lo + 1 < n ? s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]) : s[lo];
        if (i == k - 1) q = s[n - 1];
        /* Strictly increasing: a breakpoint equal to the previous one (ties) is dropped. */
        if (c == 0 || q > out[c - 1]) out[c++] = q;
    }
    if (c < 2) {
        out[0] = s[0];
        out[1] = s[0] + 1.0;
        c = 2;
    }
    *count = c;
done:
    causa_i_free(ctx, s);
    return rc;
}

int causa_i_spline_features(causa_ctx *ctx, const causa_i_fitted *f, const double *u, int64_t n,
                            int64_t ldu, double *out) {
    int rc = CAUSA_OK;
    const double *kn = f->knots;
    double *dst = out;
    for (int64_t j = 0; j < f->m; j++) {
        int64_t nb = causa_spline_nbasis(f->nknots[j], CAUSA_I_FIT_SPLINE_DEGREE);
        CAUSA_TRY(causa_spline_design(ctx, u + j * ldu, n, CAUSA_I_FIT_SPLINE_DEGREE, kn, f->nknots[j], dst));
        kn += f->nknots[j];
        dst += nb * n;
    }
done:
    return rc;
}

int causa_i_fit_spline(causa_ctx *ctx, const double *u, int64_t n, int64_t m, int64_t ldu,
                       const double *y, int64_t nknots, double lambda, causa_i_fitted *out) {
    memset(out, 0, sizeof *out);
    int rc = CAUSA_OK;
    double *x = NULL;
    out->family = CAUSA_FIT_SPLINE;
    out->m = m;
    if (nknots < 2) nknots = 2;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&out->nknots, (size_t)CAUSA_MAX(m, 1) * sizeof *out->nknots,
                            "spline breakpoint counts"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&out->knots,
                            causa_i_mul_size((size_t)CAUSA_MAX(m, 1), (size_t)nknots * sizeof *out->knots),
                            "spline breakpoints"));
    int64_t total = 0, t = 0;
    for (int64_t j = 0; j < m; j++) {
        int64_t c = 0;
        CAUSA_TRY(causa_i_quantile_knots(ctx, u + j * ldu, n, nknots, out->knots + total, &c));
        out->nknots[j] = c;
        total += c;
        t += causa_spline_nbasis(c, CAUSA_I_FIT_SPLINE_DEGREE);
    }
    out->ncoefs = t;
    out->nparams = t + 1;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&out->coefs, (size_t)CAUSA_MAX(t, 1) * sizeof *out->coefs,
                            "spline coefficients"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&x, causa_i_mul_size((size_t)n, (size_t)CAUSA_MAX(t, 1) * sizeof *x),
                            "a spline design"));
    CAUSA_TRY(causa_i_spline_features(ctx, out, u, n, ldu, x));
    CAUSA_TRY(causa_i_ridge(ctx, x, n, t, n, y, lambda * (double)n, NULL, out->coefs, &out->intercept));
done:
    causa_i_free(ctx, x);
    if (rc) causa_i_fitted_clear(ctx, out);
    return rc;
}
