/*
 * lstsq.c: least squares, ridge, linear solves and the spectral radius through LAPACK
 * (declared in lstsq_i.h). The SCM fitter and the simulators use these; nothing outside
 * src/linalg sees LAPACK.
 *
 * Least squares uses dgelsd, the SVD routine behind numpy.linalg.lstsq, with numpy's
 * cut-off rcond = eps * max(m, n), so causa's coefficients agree with numpy's to rounding
 * (tests/unit/test_fit.c compares them). LAPACK's workspaces are sized by a query call and
 * allocated through the context.
 */
#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "lstsq_i.h"

int causa_i_lstsq(causa_ctx *ctx, double *a, int64_t m, int64_t n, int64_t lda, double *b,
                  int64_t ldb, int64_t nrhs, int64_t *rank) {
    if (rank) *rank = 0;
    if (m <= 0 || n <= 0 || nrhs <= 0) return CAUSA_OK;
    int rc = CAUSA_OK;
    int64_t mn = CAUSA_MIN(m, n);
    double *s = NULL, *work = NULL;
    int *iwork = NULL;
    double rcond = DBL_EPSILON * (double)CAUSA_MAX(m, n);
    lapack_int r = 0, info;
    double wq = 0.0;
    lapack_int iwq = 0;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&s, (size_t)mn * sizeof *s, "singular values"));
    /* Workspace query. */
    info = LAPACKE_dgelsd_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, (lapack_int)nrhs, a,
                               (lapack_int)lda, b, (lapack_int)ldb, s, rcond, &r, &wq, -1, &iwq);
    if (info != 0) {
        rc = causa_i_error(ctx, CAUSA_EINTERNAL, "dgelsd workspace query failed (info %d)", (int)info);
        goto done;
    }
    lapack_int lwork = (lapack_int)wq + 1, liwork = iwq > 0 ? iwq : 1;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&work, (size_t)lwork * sizeof *work, "least-squares workspace"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&iwork, (size_t)liwork * sizeof *iwork,
                            "least-squares workspace"));
    info = LAPACKE_dgelsd_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, (lapack_int)nrhs, a,
                               (lapack_int)lda, b, (lapack_int)ldb, s, rcond, &r, work, lwork, iwork);
    if (info > 0) {
        rc = causa_i_error(ctx, CAUSA_ENOCONV, "least squares: the SVD did not converge");
        goto done;
    }
    if (info < 0) {
        rc = causa_i_error(ctx, CAUSA_EINTERNAL, "dgelsd: argument %d invalid", (int)-info);
        goto done;
    }
    if (rank) *rank = r;
done:
    causa_i_free(ctx, s);
    causa_i_free(ctx, work);
    causa_i_free(ctx, iwork);
    return rc;
}

int causa_i_posv(double *s, int64_t n, double *b, int64_t ldb, int64_t nrhs) {
    if (n <= 0) return CAUSA_OK;
    lapack_int info = LAPACKE_dposv_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, (lapack_int)nrhs, s,
                                         (lapack_int)n, b, (lapack_int)ldb);
    if (info > 0) return CAUSA_ESINGULAR;
    return info == 0 ? CAUSA_OK : CAUSA_EINTERNAL;
}

int causa_i_gesv(double *a, int64_t n, double *b, int64_t ldb, int64_t nrhs, int *ipiv) {
    if (n <= 0) return CAUSA_OK;
    lapack_int info = LAPACKE_dgesv_work(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)nrhs, a,
                                         (lapack_int)n, ipiv, b, (lapack_int)ldb);
    if (info > 0) return CAUSA_ESINGULAR;
    return info == 0 ? CAUSA_OK : CAUSA_EINTERNAL;
}

int causa_i_ridge(causa_ctx *ctx, const double *x, int64_t n, int64_t k, int64_t ldx,
                  const double *y, double lambda, const double *pen, double *b, double *b0) {
    int rc = CAUSA_OK;
    double *xc = NULL, *g = NULL, *mean = NULL, *rhs = NULL;
    double ybar = 0.0;
    for (int64_t i = 0; i < n; i++) ybar += y[i];
    ybar = n > 0 ? ybar / (double)n : 0.0;
    if (k == 0) {
        *b0 = ybar;
        return CAUSA_OK;
    }
    /* Centred copies: the intercept then drops out of the penalised problem. */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&xc, causa_i_mul_size((size_t)(n * k), sizeof *xc),
                            "a centred design matrix"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&g, (size_t)(k * k) * sizeof *g, "a Gram matrix"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&mean, (size_t)k * sizeof *mean, "column means"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&rhs, (size_t)CAUSA_MAX(n, k) * sizeof *rhs,
                            "a right-hand side"));
    for (int64_t j = 0; j < k; j++) {
        const double *col = x + j * ldx;
        double s = 0.0;
        for (int64_t i = 0; i < n; i++) s += col[i];
        mean[j] = n > 0 ? s / (double)n : 0.0;
        double *dst = xc + j * n;
        for (int64_t i = 0; i < n; i++) dst[i] = col[i] - mean[j];
    }
    cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, (int)k, (int)n, 1.0, xc, (int)n, 0.0, g,
                (int)k);
    for (int64_t j = 0; j < k; j++) {
        double s = 0.0;
        const double *col = xc + j * n;
        for (int64_t i = 0; i < n; i++) s += col[i] * (y[i] - ybar);
        rhs[j] = s;
        g[j + j * k] += lambda * (pen ? pen[j] : 1.0);
    }
    rc = causa_i_posv(g, k, rhs, k, 1);
    if (rc == CAUSA_ESINGULAR && lambda == 0.0) {
        /* Collinear columns without a penalty: the minimum-norm solution, as numpy gives. */
        for (int64_t i = 0; i < n; i++) rhs[i] = y[i] - ybar;
        CAUSA_TRY(causa_i_lstsq(ctx, xc, n, k, n, rhs, CAUSA_MAX(n, k), 1, NULL));
    } else if (rc == CAUSA_ESINGULAR) {
        rc = causa_i_error(ctx, CAUSA_ESINGULAR, "ridge regression: the penalised Gram matrix is "
                                                 "not positive definite");
        goto done;
    } else if (rc) {
        rc = causa_i_error(ctx, rc, "ridge regression: dposv failed");
        goto done;
    }
    double c = ybar;
    for (int64_t j = 0; j < k; j++) {
        b[j] = rhs[j];
        c -= mean[j] * rhs[j];
    }
    *b0 = c;
done:
    causa_i_free(ctx, xc);
    causa_i_free(ctx, g);
    causa_i_free(ctx, mean);
    causa_i_free(ctx, rhs);
    return rc;
}

int causa_i_spectral_radius(causa_ctx *ctx, double *a, int64_t n, double *out) {
    *out = 0.0;
    if (n <= 0) return CAUSA_OK;
    int rc = CAUSA_OK;
    double *wr = NULL, *work = NULL, wq = 0.0, dummy = 0.0;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&wr, (size_t)(2 * n) * sizeof *wr, "eigenvalues"));
    double *wi = wr + n;
    lapack_int info = LAPACKE_dgeev_work(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)n, a, (lapack_int)n,
                                         wr, wi, &dummy, 1, &dummy, 1, &wq, -1);
    if (info != 0) {
        rc = causa_i_error(ctx, CAUSA_EINTERNAL, "dgeev workspace query failed (info %d)", (int)info);
        goto done;
    }
    lapack_int lwork = (lapack_int)wq + 1;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&work, (size_t)lwork * sizeof *work, "eigen workspace"));
    info = LAPACKE_dgeev_work(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)n, a, (lapack_int)n, wr, wi,
                              &dummy, 1, &dummy, 1, work, lwork);
    if (info != 0) {
        rc = causa_i_error(ctx, info > 0 ? CAUSA_ENOCONV : CAUSA_EINTERNAL,
                           "eigenvalues: dgeev failed (info %d)", (int)info);
        goto done;
    }
    double r = 0.0;
    for (int64_t i = 0; i < n; i++) r = fmax(r, hypot(wr[i], wi[i]));
    *out = r;
done:
    causa_i_free(ctx, wr);
    causa_i_free(ctx, work);
    return rc;
}
