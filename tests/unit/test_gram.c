/*
 * test_gram.c: the Gram kernel X'X (src/linalg/gram.c) against a scalar reference.
 *
 * The vector paths promise more than closeness: each entry is one fma() chain over the
 * rows in order, so they must equal the scalar loop below bit for bit, for every shape
 * (tails in rows, columns and tiles), with and without centring, and for any thread count.
 * The BLAS path is checked to rounding. The one-pass centred product (provisional shift,
 * correction at the end) is checked the same way against its own scalar reference, and to
 * rounding against centring on the exact means.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/internal.h"
#include "../../src/linalg/linalg_i.h"
#include "harness.h"

/* out = (X - shift)'(X - shift) by one fma chain per entry, rows in order. */
static void gram_reference(const double *x, int64_t n, int64_t p, int64_t ldx, const double *shift,
                           double *out) {
    for (int64_t i = 0; i < p; i++)
        for (int64_t j = 0; j < p; j++) {
            double s = 0.0, mi = shift ? shift[i] : 0.0, mj = shift ? shift[j] : 0.0;
            for (int64_t k = 0; k < n; k++) s = fma(x[k + i * ldx] - mi, x[k + j * ldx] - mj, s);
            out[i + j * p] = s;
        }
}

/* Data with a large common offset per column, so centring matters numerically. */
static double *make_data(int64_t n, int64_t p, int64_t ldx, uint64_t seed, double **shift) {
    double *x = malloc((size_t)(ldx * p) * sizeof *x);
    double *m = malloc((size_t)p * sizeof *m);
    uint64_t s = seed;
    for (int64_t j = 0; j < p; j++) {
        double sum = 0.0;
        for (int64_t k = 0; k < ldx; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(s >> 11) * 0x1p-53;
            x[k + j * ldx] = 100.0 * (double)(j % 7) + (u - 0.5) * (1.0 + (double)(j % 3));
            if (k < n) sum += x[k + j * ldx];
        }
        m[j] = n > 0 ? sum / (double)n : 0.0;
    }
    *shift = m;
    return x;
}

static const causa_gram_path vector_paths[] = {CAUSA_GRAM_AVX512, CAUSA_GRAM_AVX2};

TEST(gram_vector_paths_equal_fma_reference_bitwise) {
    /* Shapes cross every boundary: rows 1, < KC, > KC with a tail, several KC blocks;
     * columns below one panel, within a micro-tile, across tiles (TILE = 384) with tails. */
    static const int64_t shapes[][3] = {{1, 1, 1},       {5, 3, 7},       {257, 25, 260}, {300, 97, 300},
                                        {513, 400, 515}, {40, 800, 40}, {1300, 41, 1301}};
    int ran = 0;
    for (size_t v = 0; v < sizeof vector_paths / sizeof vector_paths[0]; v++) {
        if (!causa_i_gram_path_available(vector_paths[v])) continue;
        ran++;
        for (size_t c = 0; c < sizeof shapes / sizeof shapes[0]; c++) {
            int64_t n = shapes[c][0], p = shapes[c][1], ldx = shapes[c][2];
            double *shift;
            double *x = make_data(n, p, ldx, 17 + c, &shift);
            double *want = malloc((size_t)(p * p) * sizeof *want);
            double *got = malloc((size_t)(p * p) * sizeof *got);
            for (int centred = 0; centred < 2; centred++) {
                const double *sh = centred ? shift : NULL;
                gram_reference(x, n, p, ldx, sh, want);
                for (int threads = 1; threads <= 3; threads++) {
                    CHECK_OK(causa_i_gram_with(T, vector_paths[v], x, n, p, ldx, sh, got, threads));
                    int64_t bad = 0;
                    for (int64_t k = 0; k < p * p; k++) bad += memcmp(&got[k], &want[k], sizeof(double)) != 0;
#if CAUSA_OPENMP
                    /* Called from inside a parallel region, the runtime starts fewer threads
                     * than asked for (one, nesting being off): the shares of the missing
                     * ones must still be done. */
                    memset(got, 0xff, (size_t)(p * p) * sizeof *got);
#pragma omp parallel num_threads(2)
                    {
#pragma omp single
                        CHECK_OK(causa_i_gram_with(T, vector_paths[v], x, n, p, ldx, sh, got, threads + 1));
                    }
#endif
                    for (int64_t k = 0; k < p * p; k++) bad += memcmp(&got[k], &want[k], sizeof(double)) != 0;
                    if (bad)
                        harness_fail(__FILE__, __LINE__,
                                     "path %d, n=%lld p=%lld ldx=%lld centred=%d threads=%d: %lld entries differ",
                                     (int)vector_paths[v], (long long)n, (long long)p, (long long)ldx,
                                     centred, threads, (long long)bad);
                }
            }
            free(x);
            free(shift);
            free(want);
            free(got);
        }
    }
    if (!ran) fprintf(stderr, "  (no AVX2/AVX-512 on this processor: only the BLAS path is tested)\n");
}

TEST(gram_blas_path_and_auto_agree_with_reference) {
    int64_t n = 600, p = 300, ldx = 611;
    double *shift;
    double *x = make_data(n, p, ldx, 5, &shift);
    double *want = malloc((size_t)(p * p) * sizeof *want), *got = malloc((size_t)(p * p) * sizeof *got);
    gram_reference(x, n, p, ldx, shift, want);
    static const causa_gram_path paths[] = {CAUSA_GRAM_BLAS, CAUSA_GRAM_AUTO};
    for (size_t v = 0; v < 2; v++) {
        CHECK_OK(causa_i_gram_with(T, paths[v], x, n, p, ldx, shift, got, 2));
        for (int64_t k = 0; k < p * p; k++)
            if (!harness_rel_ok(got[k], want[k], 1e-12) && fabs(got[k] - want[k]) > 1e-9) {
                harness_fail(__FILE__, __LINE__, "path %d entry %lld: %.17g vs %.17g", (int)paths[v],
                             (long long)k, got[k], want[k]);
                break;
            }
        /* Symmetric, both triangles filled. */
        for (int64_t i = 0; i < p; i++)
            for (int64_t j = 0; j < i; j++) CHECK(got[i + j * p] == got[j + i * p]);
    }
    /* No rows: the zero matrix. */
    CHECK_OK(causa_i_gram(T, x, 0, p, ldx, NULL, got, 1));
    for (int64_t k = 0; k < p * p; k++) CHECK(got[k] == 0.0);
    free(x);
    free(shift);
    free(want);
    free(got);
}

/* The one-pass centred product, as gram.c promises to compute it: shift c = mean of the
 * first block of rows, each entry one fma chain of (x - c) products, sums of x - c in row
 * order, then minus sums_i sums_j / n; means = c + sums / n. */
static void centred_reference(const double *x, int64_t n, int64_t p, int64_t ldx, double *means,
                              double *out) {
    double *c = malloc((size_t)p * sizeof *c), *sum = malloc((size_t)p * sizeof *sum);
    int64_t kc = n < CAUSA_I_GRAM_KC ? n : CAUSA_I_GRAM_KC;
    for (int64_t j = 0; j < p; j++) {
        double t = 0.0;
        for (int64_t k = 0; k < kc; k++) t += x[k + j * ldx];
        c[j] = t / (double)kc;
        /* Per block of rows, as packing sums them. */
        sum[j] = 0.0;
        for (int64_t k0 = 0; k0 < n; k0 += CAUSA_I_GRAM_KC) {
            double b = 0.0;
            for (int64_t k = k0; k < n && k < k0 + CAUSA_I_GRAM_KC; k++) b += x[k + j * ldx] - c[j];
            sum[j] += b;
        }
    }
    gram_reference(x, n, p, ldx, c, out);
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i <= j; i++) out[i + j * p] -= sum[i] * sum[j] / (double)n;
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = j + 1; i < p; i++) out[i + j * p] = out[j + i * p];
    for (int64_t j = 0; j < p; j++) means[j] = c[j] + sum[j] / (double)n;
    free(c);
    free(sum);
}

TEST(gram_centred_one_pass_is_exact_and_thread_independent) {
    static const int64_t shapes[][3] = {{1, 1, 1},       {5, 3, 7},       {257, 25, 260},
                                        {700, 97, 700},  {513, 400, 515}, {1300, 41, 1301}};
    for (size_t c = 0; c < sizeof shapes / sizeof shapes[0]; c++) {
        int64_t n = shapes[c][0], p = shapes[c][1], ldx = shapes[c][2];
        double *exact_means;
        double *x = make_data(n, p, ldx, 31 + c, &exact_means);
        double *want = malloc((size_t)(p * p) * sizeof *want), *got = malloc((size_t)(p * p) * sizeof *got);
        double *wm = malloc((size_t)p * sizeof *wm), *gm = malloc((size_t)p * sizeof *gm);
        double *two = malloc((size_t)(p * p) * sizeof *two);
        centred_reference(x, n, p, ldx, wm, want);
        /* Two-pass centring on the exact means: the one-pass result must agree to rounding. */
        gram_reference(x, n, p, ldx, exact_means, two);
        for (int64_t k = 0; k < p * p; k++)
            if (fabs(want[k] - two[k]) > 1e-12 * sqrt(fabs(two[k / p + (k / p) * p] * two[k % p + (k % p) * p])) + 1e-300) {
                harness_fail(__FILE__, __LINE__, "n=%lld p=%lld entry %lld: one pass %.17g, two passes %.17g",
                             (long long)n, (long long)p, (long long)k, want[k], two[k]);
                break;
            }
        /* Means to rounding, relative to the column's scale (offset plus spread, about 1). */
        for (int64_t j = 0; j < p; j++) CHECK(fabs(wm[j] - exact_means[j]) <= 1e-13 * (fabs(exact_means[j]) + 1.0));
        for (size_t v = 0; v < sizeof vector_paths / sizeof vector_paths[0]; v++) {
            if (!causa_i_gram_path_available(vector_paths[v])) continue;
            for (int threads = 1; threads <= 3; threads++) {
                CHECK_OK(causa_i_gram_centred_with(T, vector_paths[v], x, n, p, ldx, gm, got, threads));
                int64_t bad = 0;
                for (int64_t k = 0; k < p * p; k++) bad += memcmp(&got[k], &want[k], sizeof(double)) != 0;
                for (int64_t j = 0; j < p; j++) bad += memcmp(&gm[j], &wm[j], sizeof(double)) != 0;
                if (bad)
                    harness_fail(__FILE__, __LINE__, "path %d, n=%lld p=%lld threads=%d: %lld values differ",
                                 (int)vector_paths[v], (long long)n, (long long)p, threads, (long long)bad);
            }
        }
        /* The BLAS path centres on exact means: equal to rounding. */
        CHECK_OK(causa_i_gram_centred_with(T, CAUSA_GRAM_BLAS, x, n, p, ldx, gm, got, 2));
        for (int64_t k = 0; k < p * p; k++)
            if (fabs(got[k] - two[k]) > 1e-12 * sqrt(fabs(two[k / p + (k / p) * p] * two[k % p + (k % p) * p])) + 1e-300) {
                harness_fail(__FILE__, __LINE__, "BLAS n=%lld p=%lld entry %lld: %.17g vs %.17g", (long long)n,
                             (long long)p, (long long)k, got[k], two[k]);
                break;
            }
        free(x);
        free(exact_means);
        free(want);
        free(got);
        free(wm);
        free(gm);
        free(two);
    }
}

static int gram_oom(causa_ctx *ctx, void *ud) {
    double *buf = ud;
    return causa_i_gram(ctx, buf, 50, 20, 50, buf + 50 * 20, buf + 50 * 20 + 20, 2);
}

TEST(gram_out_of_memory_is_reported) {
    double *buf = calloc(50 * 20 + 20 + 400, sizeof *buf);
    CHECK(harness_oom_sweep("gram", gram_oom, buf) >= 1);
    free(buf);
}

/* The chained axpy under every linear node (src/linalg/axpy.c): y = ((y + a0 x0) + a1 x1)
 * ..., a rounded product and a rounded sum per term. The vector path (terms four at a time,
 * masked tails) and the portable one must both equal that scalar loop bit for bit, for
 * lengths around the vector width and term counts around the pass width. volatile keeps
 * the reference's product and sum two roundings even if the compiler could fuse them. */
TEST(axpy_chain_equals_scalar_terms_in_order) {
    static const int64_t lens[] = {0, 1, 7, 8, 9, 15, 16, 17, 1023, 1025};
    static const int64_t terms[] = {1, 2, 3, 4, 5, 7, 8, 9, 17};
    enum { N = 1025, K = 17 };
    double *x = malloc((size_t)(N * K) * sizeof *x), *y0 = malloc((N + 1) * sizeof *y0),
           *ya = malloc((N + 1) * sizeof *ya), *yb = malloc((N + 1) * sizeof *yb), a[K];
    const double *xs[K];
    causa_rng r;
    causa_rng_init(&r, 21, 0);
    for (int64_t i = 0; i < N * K; i++) x[i] = causa_rng_normal(&r) * 1e3;
    for (int j = 0; j < K; j++) {
        a[j] = causa_rng_uniform(&r) - 0.5;
        xs[j] = x + j * N + (j % 3); /* unaligned columns too */
    }
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        for (size_t ki = 0; ki < sizeof terms / sizeof terms[0]; ki++) {
            int64_t n = CAUSA_MIN(lens[li], (int64_t)N - 2), k = terms[ki];
            for (int64_t i = 0; i <= n; i++) y0[i] = ya[i] = yb[i] = causa_rng_normal(&r);
            for (int64_t i = 0; i < n; i++) {
                for (int64_t j = 0; j < k; j++) {
                    volatile double prod = a[j] * xs[j][i];
                    y0[i] = y0[i] + prod;
                }
            }
            causa_i_axpy_chain(n, k, a, xs, ya);
            causa_i_axpy_chain_portable(n, k, a, xs, yb);
            if (memcmp(y0, ya, (size_t)(n + 1) * sizeof *y0) != 0 ||
                memcmp(y0, yb, (size_t)(n + 1) * sizeof *y0) != 0)
                harness_fail(__FILE__, __LINE__, "n = %lld, %lld terms: differs from the scalar loop",
                             (long long)n, (long long)k);
        }
    }
    free(x);
    free(y0);
    free(ya);
    free(yb);
}
