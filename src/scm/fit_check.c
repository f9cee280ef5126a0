/*
 * fit_check.c: the residual check of causa_scm_fit. In an additive-noise model the noise is
 * independent of the parents, so the residuals of a well-chosen mechanism should be too.
 *
 * Test: HSIC (Gretton, Fukumizu, Teo, Song, Schoelkopf & Smola 2008, "A kernel statistical
 * test of independence", NIPS 20) between the residual and the node's encoded inputs
 * (jointly), with Gaussian kernels exp(-d^2 / w) whose width w is the median squared
 * distance among the first 100 rows (the median heuristic of the authors' hsicTestGamma.m),
 * each variable standardised first. Statistic m HSIC_b = trace(K~ L~) / m with K~ = HKH
 * the centred kernel matrices; p-value from the two-moment gamma approximation of its null
 * distribution (same paper, and the reference code): mean (1 + mu_x mu_y - mu_x - mu_y)/m,
 * variance 72 (m-4)(m-5) / (m (m-1) (m-2) (m-3)) * mean over i != j of (K~_ij L~_ij / 6)^2.
 * Memory and time O(m^2) in the m rows used: at most max_rows rows, drawn without
 * replacement from the stream (seed, CHECK + node).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_i.h"
#include "scm_i.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Standardises the columns of x (rows m, d columns, column-major) in place. */
static void standardise(double *x, int64_t m, int64_t d) {
    for (int64_t j = 0; j < d; j++) {
        double *c = x + j * m, mean = 0.0, ss = 0.0;
        for (int64_t i = 0; i < m; i++) mean += c[i];
        mean /= (double)m;
        for (int64_t i = 0; i < m; i++) ss += (c[i] - mean) * (c[i] - mean);
        double sd = sqrt(ss / (double)m);
        for (int64_t i = 0; i < m; i++) c[i] = sd > 0 ? (c[i] - mean) / sd : 0.0;
    }
}

/* Gaussian kernel matrix of the rows of x (m x d) into k (m x m), median-heuristic width;
 * tmp holds 100 * 99 / 2 doubles. Returns the mean off-diagonal entry. */
static double kernel(const double *x, int64_t m, int64_t d, double *k, double *tmp) {
    int64_t s = CAUSA_MIN(m, 100), nt = 0;
    for (int64_t i = 0; i < s; i++)
        for (int64_t j = 0; j < i; j++) {
            double dd = 0.0;
            for (int64_t c = 0; c < d; c++) {
                double e = x[i + c * m] - x[j + c * m];
                dd += e * e;
            }
            if (dd > 0) tmp[nt++] = dd;
        }
    double w = 1.0;
    if (nt > 0) {
        qsort(tmp, (size_t)nt, sizeof *tmp, cmp_double);
        w = nt % 2 ? tmp[nt / 2] : 0.5 * (tmp[nt / 2 - 1] + tmp[nt / 2]);
    }
    double off = 0.0;
    for (int64_t j = 0; j < m; j++) {
        k[j + j * m] = 1.0;
        for (int64_t i = j + 1; i < m; i++) {
            double dd = 0.0;
            for (int64_t c = 0; c < d; c++) {
                double e = x[i + c * m] - x[j + c * m];
                dd += e * e;
            }
            double v = exp(-dd / w);
            k[i + j * m] = v;
            k[j + i * m] = v;
            off += 2.0 * v;
        }
    }
    return off / ((double)m * (double)(m - 1));
}

/* Centres a symmetric kernel matrix in place: K - row means - column means + grand mean. */
static void centre(double *k, int64_t m, double *rowmean) {
    double g = 0.0;
    for (int64_t i = 0; i < m; i++) {
        double s = 0.0;
        for (int64_t j = 0; j < m; j++) s += k[i + j * m];
        rowmean[i] = s / (double)m;
        g += rowmean[i];
    }
    g /= (double)m;
    for (int64_t j = 0; j < m; j++)
        for (int64_t i = 0; i < m; i++) k[i + j * m] += g - rowmean[i] - rowmean[j];
}

int causa_i_hsic_check(causa_ctx *ctx, const double *r, const double *u, int64_t n, int64_t m_in,
                       int64_t ldu, int64_t max_rows, uint64_t seed, int64_t v, double *stat,
                       double *pvalue, int64_t *rows_used) {
    *stat = (double)NAN;
    *pvalue = (double)NAN;
    *rows_used = 0;
    int64_t m = CAUSA_MIN(n, max_rows);
    if (m < 6 || m_in < 1) return CAUSA_OK;
    int rc = CAUSA_OK;
    int64_t *perm = NULL;
    double *x = NULL, *y = NULL, *kx = NULL, *ky = NULL, *tmp = NULL, *rm = NULL;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&perm, (size_t)n * sizeof *perm, "check rows"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&x, causa_i_mul_size((size_t)m, (size_t)m_in * sizeof *x), "check inputs"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&y, (size_t)m * sizeof *y, "check residuals"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&kx, causa_i_mul_size((size_t)m, (size_t)m * sizeof *kx), "a kernel matrix"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&ky, causa_i_mul_size((size_t)m, (size_t)m * sizeof *ky), "a kernel matrix"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&tmp, 100 * 99 / 2 * sizeof *tmp, "distances"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&rm, (size_t)m * sizeof *rm, "row means"));
    if (m < n) {
        causa_rng rng;
        causa_rng_init(&rng, seed, CAUSA_I_FIT_STREAM_CHECK + (uint64_t)v);
        causa_rng_permutation(&rng, perm, n);
    } else {
        for (int64_t i = 0; i < n; i++) perm[i] = i;
    }
    for (int64_t i = 0; i < m; i++) {
        y[i] = r[perm[i]];
        for (int64_t j = 0; j < m_in; j++) x[i + j * m] = u[perm[i] + j * ldu];
    }
    standardise(x, m, m_in);
    standardise(y, m, 1);
    double mux = kernel(x, m, m_in, kx, tmp);
    double muy = kernel(y, m, 1, ky, tmp);
    centre(kx, m, rm);
    centre(ky, m, rm);
    double s = 0.0, var = 0.0;
    for (int64_t j = 0; j < m; j++)
        for (int64_t i = 0; i < m; i++) {
            double e = kx[i + j * m] * ky[i + j * m];
            s += e;
            if (i != j) var += (e / 6.0) * (e / 6.0);
        }
    double md = (double)m;
    double test = s / md;
    var = var / (md * (md - 1.0));
    var *= 72.0 * (md - 4.0) * (md - 5.0) / (md * (md - 1.0) * (md - 2.0) * (md - 3.0));
    double mean = (1.0 + mux * muy - mux - muy) / md;
    *stat = test;
    *rows_used = m;
    if (var > 0 && mean > 0) {
        double al = mean * mean / var, bet = var * md / mean;
        /* Gamma(al, scale bet) upper tail: 2 X / bet is chi-square with 2 al df. */
        *pvalue = causa_chisq_sf(2.0 * test / bet, 2.0 * al);
    } else {
        *pvalue = 1.0; /* a constant residual or input: nothing to depend on */
    }
done:
    causa_i_free(ctx, perm);
    causa_i_free(ctx, x);
    causa_i_free(ctx, y);
    causa_i_free(ctx, kx);
    causa_i_free(ctx, ky);
    causa_i_free(ctx, tmp);
    causa_i_free(ctx, rm);
    return rc;
}
