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
