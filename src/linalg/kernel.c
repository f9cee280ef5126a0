/*
 * kernel.c: the BLAS/LAPACK wrappers declared in kernel_i.h (matrix products, Cholesky
 * inverse, symmetric eigen-decomposition) for the kernel CI tests.
 */
#include <cblas.h>
#include <lapacke.h>

#include "kernel_i.h"

_Static_assert(sizeof(lapack_int) == sizeof(int), "causa expects 32-bit LAPACK integers");

void causa_i_gemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                  const double *a, int64_t lda, const double *b, int64_t ldb, double beta,
                  double *c, int64_t ldc) {
    if (m <= 0 || n <= 0) return;
    cblas_dgemm(CblasColMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, alpha, a, (int)lda,
                b, (int)ldb, beta, c, (int)ldc);
}

void causa_i_gemv(int trans, int64_t m, int64_t n, double alpha, const double *a, int64_t lda,
                  const double *x, int64_t incx, double beta, double *y, int64_t incy) {
    if (m <= 0 || n <= 0) return;
    cblas_dgemv(CblasColMajor, trans ? CblasTrans : CblasNoTrans, (int)m, (int)n, alpha, a,
                (int)lda, x, (int)incx, beta, y, (int)incy);
}

static void mirror_upper(double *c, int64_t n, int64_t ldc) {
    for (int64_t j = 0; j < n; j++)
        for (int64_t i = j + 1; i < n; i++) c[i + j * ldc] = c[j + i * ldc];
}

void causa_i_syrk_t(int64_t n, int64_t k, double alpha, const double *a, int64_t lda, double beta,
                    double *c, int64_t ldc) {
    if (n <= 0) return;
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)n, (int)k, alpha, a, (int)lda, beta, c,
                (int)ldc);
    mirror_upper(c, n, ldc);
}

void causa_i_syrk_n(int64_t n, int64_t k, double alpha, const double *a, int64_t lda, double beta,
                    double *c, int64_t ldc) {
    if (n <= 0) return;
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, (int)n, (int)k, alpha, a, (int)lda, beta,
                c, (int)ldc);
    mirror_upper(c, n, ldc);
}

void causa_i_symm_left(int64_t m, int64_t n, double alpha, const double *s, int64_t lds,
                       const double *b, int64_t ldb, double beta, double *c, int64_t ldc) {
    if (m <= 0 || n <= 0) return;
    cblas_dsymm(CblasColMajor, CblasLeft, CblasUpper, (int)m, (int)n, alpha, s, (int)lds, b,
                (int)ldb, beta, c, (int)ldc);
}

int64_t causa_i_potrf_lower(double *a, int64_t k) {
    if (k <= 0) return 0;
    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', (lapack_int)k, a, (lapack_int)k);
    return info < 0 ? 1 : (int64_t)info;
}

void causa_i_potrs_lower(const double *l, int64_t k, double *b, int64_t nrhs, int64_t ldb) {
    if (k <= 0 || nrhs <= 0) return;
    LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'L', (lapack_int)k, (lapack_int)nrhs, l, (lapack_int)k,
                        b, (lapack_int)ldb);
}

int64_t causa_i_spd_inverse(double *a, int64_t k) {
    if (k <= 0) return 0;
    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', (lapack_int)k, a, (lapack_int)k);
    if (info != 0) return info < 0 ? 1 : (int64_t)info;
    info = LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', (lapack_int)k, a, (lapack_int)k);
    if (info != 0) return info < 0 ? 1 : (int64_t)info;
    /* dpotri fills the lower triangle: mirror it into the upper one. */
    for (int64_t j = 0; j < k; j++)
        for (int64_t i = j + 1; i < k; i++) a[j + i * k] = a[i + j * k];
    return 0;
}

/* LAPACK's documented minimum workspaces for dsyevr (26k doubles, 10k integers). */
int64_t causa_i_syevr_work_size(int64_t k) { return k < 1 ? 1 : 26 * k; }
int64_t causa_i_syevr_iwork_size(int64_t k) { return k < 1 ? 1 : 10 * k; }

int causa_i_syevr(double *a, int64_t k, double *w, double *z, double *work, int *iwork,
                  int *isuppz) {
    if (k <= 0) return CAUSA_OK;
    lapack_int m = 0;
    lapack_int info = LAPACKE_dsyevr_work(
        LAPACK_COL_MAJOR, 'V', 'A', 'L', (lapack_int)k, a, (lapack_int)k, 0.0, 0.0, 0, 0, 0.0, &m,
        w, z, (lapack_int)k, isuppz, work, (lapack_int)causa_i_syevr_work_size(k), iwork,
        (lapack_int)causa_i_syevr_iwork_size(k));
    return info == 0 && m == k ? CAUSA_OK : CAUSA_ENOCONV;
}
