/*
 * blas.c: the wrappers around BLAS and LAPACK that the rest of causa uses.
 */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "linalg_i.h"

/* OpenBLAS's thread controls, looked up weakly so that another BLAS links too. */
extern int openblas_get_num_threads(void) __attribute__((weak));
extern void openblas_set_num_threads(int) __attribute__((weak));

int causa_i_blas_threads_begin(void) {
    if (!openblas_get_num_threads || !openblas_set_num_threads) return 0;
    int prev = openblas_get_num_threads();
    openblas_set_num_threads(1);
    return prev;
}

void causa_i_blas_threads_end(int previous) {
    if (previous > 0 && openblas_set_num_threads) openblas_set_num_threads(previous);
}

/* Tile width: large enough that each dgemm runs near peak, small enough that p = 500 gives
 * a few tiles per thread. */
#define TILE 128

int causa_i_gram(causa_ctx *ctx, const double *x, int64_t n, int64_t p, int64_t ldx, double *out,
                 int threads) {
    if (n <= 0 || p <= 0) return CAUSA_OK;
    int64_t nt = (p + TILE - 1) / TILE;
    int64_t ntiles = nt * (nt + 1) / 2; /* upper-triangular tiles, diagonal included */
    int prev = causa_i_blas_threads_begin();
    (void)threads;
#if CAUSA_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
#endif
    for (int64_t t = 0; t < ntiles; t++) {
        /* Map t to the tile (bi, bj) with bi <= bj, row by row. */
        int64_t bi = 0, rem = t;
        while (rem >= nt - bi) {
            rem -= nt - bi;
            bi++;
        }
        int64_t bj = bi + rem;
        int64_t i0 = bi * TILE, j0 = bj * TILE;
        int64_t mi = CAUSA_MIN(TILE, p - i0), mj = CAUSA_MIN(TILE, p - j0);
        if (bi == bj) {
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)mi, (int)n, 1.0, x + i0 * ldx,
                        (int)ldx, 0.0, out + i0 + i0 * p, (int)p);
        } else {
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)mi, (int)mj, (int)n, 1.0,
                        x + i0 * ldx, (int)ldx, x + j0 * ldx, (int)ldx, 0.0, out + i0 + j0 * p,
                        (int)p);
        }
    }
    causa_i_blas_threads_end(prev);
    /* Mirror the upper triangle into the lower one. */
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = j + 1; i < p; i++) out[i + j * p] = out[j + i * p];
    (void)ctx;
    return CAUSA_OK;
}

int causa_i_chol_small(double *a, int64_t k, double tol) {
    double dmax = 0.0;
    for (int64_t i = 0; i < k; i++) dmax = fmax(dmax, fabs(a[i + i * k]));
    double floor_ = tol * (dmax > 0 ? dmax : 1.0);
    for (int64_t j = 0; j < k; j++) {
        double d = a[j + j * k];
        for (int64_t m = 0; m < j; m++) d -= a[j + m * k] * a[j + m * k];
        if (!(d > floor_)) return (int)(j + 1);
        d = sqrt(d);
        a[j + j * k] = d;
        for (int64_t i = j + 1; i < k; i++) {
            double s = a[i + j * k];
            for (int64_t m = 0; m < j; m++) s -= a[i + m * k] * a[j + m * k];
            a[i + j * k] = s / d;
        }
    }
    return 0;
}

void causa_i_trsv_lower(const double *l, int64_t k, double *b) {
    for (int64_t i = 0; i < k; i++) {
        double s = b[i];
        for (int64_t m = 0; m < i; m++) s -= l[i + m * k] * b[m];
        b[i] = s / l[i + i * k];
    }
}

int64_t causa_i_syev_work_size(int64_t k) { return k < 1 ? 1 : 3 * k; }

int causa_i_syev(double *a, int64_t k, double *w, double *work) {
    lapack_int info = LAPACKE_dsyev_work(LAPACK_COL_MAJOR, 'V', 'L', (lapack_int)k, a,
                                         (lapack_int)k, w, work,
                                         (lapack_int)causa_i_syev_work_size(k));
    return info == 0 ? CAUSA_OK : CAUSA_ENOCONV;
}
