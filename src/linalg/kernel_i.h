/*
 * kernel_i.h: the dense BLAS/LAPACK wrappers that the kernel and random-feature CI tests
 * (src/stats/kci.c, rcit.c) need: matrix products, Cholesky inverse and the full symmetric
 * eigen-decomposition. All matrices are column-major. None of these allocates: LAPACK's
 * workspaces are passed in, sized by the *_work_size functions.
 */
#ifndef CAUSA_LINALG_KERNEL_I_H
#define CAUSA_LINALG_KERNEL_I_H

#include "../internal.h"

/* C (m x n) = alpha op(A) op(B) + beta C, op(X) = X or X' (trans_a / trans_b non-zero). */
void causa_i_gemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                  const double *a, int64_t lda, const double *b, int64_t ldb, double beta,
                  double *c, int64_t ldc);
/* y = alpha op(A) x + beta y for A (m x n), op(A) = A or A' (trans non-zero); x and y
 * with strides incx, incy. */
void causa_i_gemv(int trans, int64_t m, int64_t n, double alpha, const double *a, int64_t lda,
                  const double *x, int64_t incx, double beta, double *y, int64_t incy);
/* C (n x n) = alpha A' A + beta C for A (k x n), both triangles of C filled. */
void causa_i_syrk_t(int64_t n, int64_t k, double alpha, const double *a, int64_t lda, double beta,
                    double *c, int64_t ldc);
/* C (n x n) = alpha A A' + beta C for A (n x k), both triangles of C filled. */
void causa_i_syrk_n(int64_t n, int64_t k, double alpha, const double *a, int64_t lda, double beta,
                    double *c, int64_t ldc);
/* C (m x n) = alpha S B + beta C for S (m x m) symmetric (both triangles stored). */
void causa_i_symm_left(int64_t m, int64_t n, double alpha, const double *s, int64_t lds,
                       const double *b, int64_t ldb, double beta, double *c, int64_t ldc);

/* In place: a (k x k, SPD) becomes its lower Cholesky factor (LAPACK dpotrf; the strict
 * upper triangle is left as it was). Returns 0, or the 1-based order of the leading minor
 * that is not positive definite. */
int64_t causa_i_potrf_lower(double *a, int64_t k);
/* Solves (L L') X = B in place for B (k x nrhs), L from causa_i_potrf_lower. */
void causa_i_potrs_lower(const double *l, int64_t k, double *b, int64_t nrhs, int64_t ldb);
/* In place: a (k x k, SPD) becomes its inverse, both triangles filled. Returns 0, or
 * non-zero when a is not positive definite (a is then undefined). */
int64_t causa_i_spd_inverse(double *a, int64_t k);

/* All eigenvalues (ascending, in w) and eigenvectors (columns of z, leading dimension k) of
 * the symmetric k x k matrix a (lower triangle used; destroyed), by LAPACK's dsyevr.
 * work and iwork hold causa_i_syevr_work_size(k) doubles and causa_i_syevr_iwork_size(k)
 * integers; isuppz 2k integers. Returns CAUSA_OK or CAUSA_ENOCONV. */
int64_t causa_i_syevr_work_size(int64_t k);
int64_t causa_i_syevr_iwork_size(int64_t k);
int causa_i_syevr(double *a, int64_t k, double *w, double *z, double *work, int *iwork,
                  int *isuppz);

#endif
