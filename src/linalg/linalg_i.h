/*
 * linalg_i.h: causa's dense linear algebra. src/linalg is the only place that includes
 * cblas.h and lapacke.h, so the BLAS backend can be swapped (OpenBLAS, reference, BLIS).
 */
#ifndef CAUSA_LINALG_I_H
#define CAUSA_LINALG_I_H

#include "../internal.h"

/* out (p x p, column-major, both triangles filled) = X' X for a column-major n x p block X
 * with leading dimension ldx; with shift (length p, or NULL), column j is taken as
 * X[, j] - shift[j] (centring on the fly, without a copy of the data). Computed by the
 * packed AVX-512 / AVX2 kernels of gram.c where the processor has them, otherwise by tiles of
 * single-threaded BLAS; either way tiles are spread over `threads` OpenMP threads and each
 * entry's summation order does not depend on the thread count, so the result is
 * bit-identical for any thread count (and, on the vector paths, equal to one fma() chain
 * over the rows in order). */
int causa_i_gram(causa_ctx *ctx, const double *x, int64_t n, int64_t p, int64_t ldx,
                 const double *shift, double *out, int threads);

/* The code paths of causa_i_gram, for tests and benchmarks: AUTO picks the widest the
 * processor has. */
typedef enum { CAUSA_GRAM_AUTO, CAUSA_GRAM_AVX512, CAUSA_GRAM_AVX2, CAUSA_GRAM_BLAS } causa_gram_path;
int causa_i_gram_with(causa_ctx *ctx, causa_gram_path path, const double *x, int64_t n, int64_t p,
                      int64_t ldx, const double *shift, double *out, int threads);
/* The centred cross-product in one pass over the data: out = (X - 1 m')' (X - 1 m') and
 * means = m, the column means. The packed paths centre each column on a provisional shift c
 * (the mean of its first block of rows), sum x - c while packing, and subtract n d d' at
 * the end (d = m - c, small: the shifted-data algorithm, whose rounding error grows with
 * (d / sd)^2, here about the 1 / KC of one block's sampling error), which saves a separate
 * pass for the means. Bit-identical across thread counts and vector paths; n >= 1. */
#define CAUSA_I_GRAM_KC 512 /* rows per block of the packed paths (the shift's rows) */
int causa_i_gram_centred(causa_ctx *ctx, const double *x, int64_t n, int64_t p, int64_t ldx,
                         double *means, double *out, int threads);
int causa_i_gram_centred_with(causa_ctx *ctx, causa_gram_path path, const double *x, int64_t n,
                              int64_t p, int64_t ldx, double *means, double *out, int threads);
/* Whether this processor can run that path (BLAS always can). */
int causa_i_gram_path_available(causa_gram_path path);

/* Cholesky factorisation in place of a k x k column-major SPD matrix a (lower triangle
 * used). Returns 0 on success, or the 1-based index of the first non-positive pivot
 * (relative to tol * largest diagonal). Hand-written for the tiny matrices of CI tests
 * (k rarely above 10), where a LAPACK call costs more than the work. */
int causa_i_chol_small(double *a, int64_t k, double tol);
/* Solves L y = b in place (L lower, from causa_i_chol_small). */
void causa_i_trsv_lower(const double *l, int64_t k, double *b);

/* Symmetric eigen-decomposition through LAPACK (dsyev): values ascending in w, vectors in
 * a (overwritten). work must hold causa_i_syev_work_size(k) doubles. */
int64_t causa_i_syev_work_size(int64_t k);
int causa_i_syev(double *a, int64_t k, double *w, double *work);

/* y[i] += a[0] x[0][i] + ... + a[k-1] x[k-1][i] for i < n, the terms added in order, each a
 * rounded product and a rounded sum (never fused): the same bits on every machine and
 * path (axpy.c). The portable entry skips the vector code (for tests). */
void causa_i_axpy_chain(int64_t n, int64_t k, const double *a, const double *const *x, double *y);
void causa_i_axpy_chain_portable(int64_t n, int64_t k, const double *a, const double *const *x,
                                 double *y);

/* Restricts BLAS to one thread inside causa's own parallel regions (OpenBLAS only; a no-op
 * with other BLAS libraries). Returns the previous setting so it can be restored. */
int causa_i_blas_threads_begin(void);
void causa_i_blas_threads_end(int previous);

#endif
