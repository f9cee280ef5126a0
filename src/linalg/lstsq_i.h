/*
 * lstsq_i.h: least squares, ridge and linear solves through LAPACK (lstsq.c), for fitting
 * structural causal models (src/scm/fit*.c) and the simulators (src/scm/simulate*.c,
 * var.c). All matrices are column-major. Workspaces come from the context: these are
 * called once per node and fold, never in an inner loop.
 */
#ifndef CAUSA_LINALG_LSTSQ_I_H
#define CAUSA_LINALG_LSTSQ_I_H

#include "../internal.h"

/* Minimum-norm least squares min ||A x - b|| by LAPACK's dgelsd (SVD, divide and conquer),
 * the routine numpy.linalg.lstsq calls, with numpy's default cut-off: singular values below
 * eps * max(m, n) * s_max count as zero. a (m x n, leading dimension lda) is destroyed;
 * b (ldb >= max(m, n), nrhs columns) holds the right-hand sides on entry and the solutions
 * in its first n rows on exit. *rank (may be NULL) receives the effective rank.
 * CAUSA_ENOCONV if the SVD does not converge, CAUSA_ENOMEM. */
int causa_i_lstsq(causa_ctx *ctx, double *a, int64_t m, int64_t n, int64_t lda, double *b,
                  int64_t ldb, int64_t nrhs, int64_t *rank);

/* Solves S X = B in place for symmetric positive definite S (n x n, lower triangle used;
 * overwritten by its Cholesky factor) by dposv. CAUSA_ESINGULAR if S is not positive
 * definite. Allocates nothing. */
int causa_i_posv(double *s, int64_t n, double *b, int64_t ldb, int64_t nrhs);

/* Solves A X = B in place for a general square A (n x n; overwritten by its LU factors) by
 * dgesv; ipiv holds n integers. CAUSA_ESINGULAR if A is exactly singular. */
int causa_i_gesv(double *a, int64_t n, double *b, int64_t ldb, int64_t nrhs, int *ipiv);

/* Ridge regression with an unpenalised intercept:
 *   min_b0,b  sum_i (y_i - b0 - x_i' b)^2 + lambda * sum_j pen_j b_j^2
 * for column-major X (n x k, leading dimension ldx). pen (k entries) may be NULL (all 1).
 * Solved on centred columns by the normal equations (X'X + lambda diag(pen)) b = X'y through
 * dposv; with lambda = 0 and a singular X'X it falls back to causa_i_lstsq (minimum norm).
 * Writes b (k) and *b0. */
int causa_i_ridge(causa_ctx *ctx, const double *x, int64_t n, int64_t k, int64_t ldx,
                  const double *y, double lambda, const double *pen, double *b, double *b0);

/* Largest modulus of the eigenvalues of a general n x n matrix (dgeev; a is destroyed).
 * CAUSA_ENOCONV if the QR algorithm fails. */
int causa_i_spectral_radius(causa_ctx *ctx, double *a, int64_t n, double *out);

#endif
