/*
 * fit_linear.c: LINEAR and POLY2 candidates of causa_scm_fit, and the prediction of every
 * continuous candidate.
 *
 * Features: the encoded inputs themselves (LINEAR), or every monomial of degree 1 and 2 in
 * them (POLY2, in causa_poly_design's term order, which is the order the model's POLY
 * mechanism reads its weights in). Coefficients: least squares on [1 | features] by LAPACK's
 * dgelsd, the SVD solver numpy.linalg.lstsq uses, so a rank-deficient design (a squared
 * indicator equals the indicator; two levels of one parent never co-occur) gets numpy's
 * minimum-norm answer; the effective rank counts the parameters. With ridge > 0: centred
 * normal equations with an unpenalised intercept (causa_i_ridge).
 */
#include <math.h>
#include <string.h>

#include "../linalg/lstsq_i.h"
#include "fit_i.h"
#include "scm_i.h"

void causa_i_fitted_clear(causa_ctx *ctx, causa_i_fitted *f) {
    if (!f) return;
    causa_i_free(ctx, f->coefs);
    causa_i_free(ctx, f->nknots);
    causa_i_free(ctx, f->knots);
    memset(f, 0, sizeof *f);
}

/* The polynomial features of u (n x m, ldu) of total degree 1..degree into out
 * (n x nterms, column-major). */
static int poly_features(causa_ctx *ctx, int degree, const double *u, int64_t n, int64_t m,
                         int64_t ldu, double *out) {
    if (degree == 1) {
        for (int64_t j = 0; j < m; j++) memcpy(out + j * n, u + j * ldu, (size_t)n * sizeof *out);
        return CAUSA_OK;
    }
    causa_matrix view = {u, n, m, 1, ldu};
    return causa_poly_design(ctx, &view, degree, out);
}

int causa_i_fit_poly(causa_ctx *ctx, int degree, const double *u, int64_t n, int64_t m,
                     int64_t ldu, const double *y, double ridge, causa_i_fitted *out) {
    memset(out, 0, sizeof *out);
    int rc = CAUSA_OK;
    int64_t t = causa_poly_nterms(m, degree);
    if (t < 0 || t > 100000)
        return causa_i_error(ctx, CAUSA_EINVAL,
                             "a degree-%d polynomial in %lld inputs has too many terms", degree,
                             (long long)m);
    double *a = NULL, *b = NULL;
    int64_t ncol = t + 1, ldb = CAUSA_MAX(n, ncol);
    out->family = degree == 1 ? CAUSA_FIT_LINEAR : CAUSA_FIT_POLY2;
    out->m = m;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&out->coefs, (size_t)CAUSA_MAX(t, 1) * sizeof *out->coefs,
                            "coefficients"));
    out->ncoefs = t;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&a, causa_i_mul_size((size_t)n, (size_t)ncol * sizeof *a),
                            "a design matrix"));
    /* Column 0 is the intercept; the features follow. */
    for (int64_t i = 0; i < n; i++) a[i] = 1.0;
    CAUSA_TRY(poly_features(ctx, degree, u, n, m, ldu, a + n));
    if (ridge > 0) {
        CAUSA_TRY(causa_i_ridge(ctx, a + n, n, t, n, y, ridge, NULL, out->coefs, &out->intercept));
        out->nparams = ncol;
    } else {
        int64_t rank = 0;
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&b, (size_t)ldb * sizeof *b, "a right-hand side"));
        memcpy(b, y, (size_t)n * sizeof *b);
        CAUSA_TRY(causa_i_lstsq(ctx, a, n, ncol, n, b, ldb, 1, &rank));
        out->intercept = b[0];
        memcpy(out->coefs, b + 1, (size_t)t * sizeof *b);
        out->nparams = rank;
    }
done:
    causa_i_free(ctx, a);
    causa_i_free(ctx, b);
    if (rc) causa_i_fitted_clear(ctx, out);
    return rc;
}

int causa_i_predict_continuous(causa_ctx *ctx, const causa_i_fitted *f, const double *u, int64_t n,
                               int64_t ldu, double *out) {
    int rc = CAUSA_OK;
    double *x = NULL;
    int64_t t = f->ncoefs;
    if (f->family == CAUSA_FIT_SPLINE) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&x, causa_i_mul_size((size_t)n, (size_t)CAUSA_MAX(t, 1) * sizeof *x),
                                "a spline design"));
        CAUSA_TRY(causa_i_spline_features(ctx, f, u, n, ldu, x));
    } else if (f->family == CAUSA_FIT_POLY2) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&x, causa_i_mul_size((size_t)n, (size_t)CAUSA_MAX(t, 1) * sizeof *x),
                                "a polynomial design"));
        CAUSA_TRY(poly_features(ctx, 2, u, n, f->m, ldu, x));
    }
    const double *feat = x ? x : u;
    int64_t ld = x ? n : ldu;
    for (int64_t i = 0; i < n; i++) out[i] = f->intercept;
    for (int64_t j = 0; j < t; j++) {
        double c = f->coefs[j];
        const double *col = feat + j * ld;
        for (int64_t i = 0; i < n; i++) out[i] += c * col[i];
    }
done:
    causa_i_free(ctx, x);
    return rc;
}
