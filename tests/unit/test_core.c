/*
 * test_core.c: the context, status codes, allocator hook, arena, random streams.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/internal.h"
#include "harness.h"

TEST(strerror_every_code) {
    /* Every code has its own text, and unknown codes are named as such. */
    for (int c = 0; c < CAUSA_NCODES; c++) {
        const char *s = causa_strerror(c);
        CHECK(s && *s);
        CHECK(strcmp(s, "unknown error code") != 0);
        for (int d = 0; d < c; d++) CHECK(strcmp(s, causa_strerror(d)) != 0);
    }
    CHECK_STR(causa_strerror(-1), "unknown error code");
    CHECK_STR(causa_strerror(CAUSA_NCODES), "unknown error code");
}

TEST(error_message_and_clear) {
    CHECK_INT(causa_errcode(T), CAUSA_OK);
    CHECK_STR(causa_errmsg(T), "");
    CHECK_ERR(causa_i_error(T, CAUSA_EINVAL, "alpha must be in (0, 1), got %g", 1.5), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "alpha must be in (0, 1), got 1.5");
    CHECK_INT(causa_errcode(T), CAUSA_EINVAL);
    causa_clear_error(T);
    CHECK_INT(causa_errcode(T), CAUSA_OK);
    CHECK_STR(causa_errmsg(T), "");
    CHECK_ERR(causa_ctx_set_threads(T, -3), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "threads must be >= 0");
    CHECK_ERR(causa_ctx_new(NULL, NULL), CAUSA_EMISUSE);
    CHECK_STR(causa_errmsg(NULL), "");
}

TEST(ctx_settings) {
    CHECK_INT(causa_ctx_threads(T), 1);
    CHECK_OK(causa_ctx_set_threads(T, 3));
    CHECK_INT(causa_ctx_threads(T), 3);
    CHECK_OK(causa_ctx_set_threads(T, 0));
    CHECK_INT(causa_ctx_threads(T), causa_ncores());
    CHECK_INT(causa_ctx_seed(T), 1);
    causa_ctx_set_seed(T, 42);
    CHECK_INT(causa_ctx_seed(T), 42);
    CHECK_STR(causa_version(), "0.1.0");
    CHECK_INT(CAUSA_VERSION_NUMBER, 100);
}

static int log_calls, last_level;
static void log_fn(void *ud, int level, const char *msg) {
    (void)ud;
    log_calls++;
    last_level = level;
    CHECK_STR(msg, "hello 7");
}
static int stop_now(void *ud) { return *(int *)ud; }
static double progress_done;
static void progress_fn(void *ud, const char *what, double done, double total) {
    (void)ud;
    (void)total;
    CHECK_STR(what, "things");
    progress_done = done;
}

TEST(callbacks) {
    causa_i_log(T, CAUSA_LOG_INFO, "hello %d", 7); /* no callback: silent */
    causa_ctx_set_log(T, log_fn, NULL, CAUSA_LOG_INFO);
    causa_i_log(T, CAUSA_LOG_DEBUG, "hello %d", 7); /* above max level: dropped */
    CHECK_INT(log_calls, 0);
    causa_i_log(T, CAUSA_LOG_WARN, "hello %d", 7);
    CHECK_INT(log_calls, 1);
    CHECK_INT(last_level, CAUSA_LOG_WARN);
    int flag = 0;
    causa_ctx_set_interrupt(T, stop_now, &flag);
    CHECK_OK(causa_i_check_interrupt(T));
    flag = 1;
    CHECK_ERR(causa_i_check_interrupt(T), CAUSA_EINTERRUPTED);
    causa_ctx_set_progress(T, progress_fn, NULL);
    causa_i_progress(T, "things", 3.0, 10.0);
    CHECK_REL(progress_done, 3.0, 0);
}

TEST(allocator_accounting) {
    size_t before = causa_ctx_bytes_in_use(T);
    char *p = causa_i_malloc(T, 1000);
    CHECK(p != NULL);
    CHECK_INT(causa_ctx_bytes_in_use(T), before + 1000);
    p = causa_i_realloc(T, p, 5000);
    CHECK_INT(causa_ctx_bytes_in_use(T), before + 5000);
    CHECK(causa_ctx_peak_bytes(T) >= before + 5000);
    CHECK(((uintptr_t)p & 15u) == 0);
    causa_i_free(T, p);
    CHECK_INT(causa_ctx_bytes_in_use(T), before);
    CHECK(causa_i_malloc(T, SIZE_MAX - 4) == NULL); /* overflow caught, no crash */
    CHECK(causa_i_calloc(T, SIZE_MAX / 2, 4) == NULL);
    void *q;
    CHECK_ERR(causa_i_alloc(T, &q, SIZE_MAX - 4, "a huge table"), CAUSA_ENOMEM);
    CHECK_CONTAINS(causa_errmsg(T), "a huge table");
}

TEST(arena_many_and_large) {
    causa_i_arena a;
    causa_i_arena_init(&a, T);
    for (int i = 0; i < 10000; i++) {
        int *p = causa_i_arena_alloc(&a, (size_t)(i % 97) + 1);
        CHECK(p && ((uintptr_t)p & 15u) == 0);
        *p = i;
    }
    double *big = causa_i_arena_alloc0(&a, 1 << 20);
    CHECK(big && big[1000] == 0.0);
    char *s = causa_i_arena_strdup(&a, "conditioning set");
    CHECK_STR(s, "conditioning set");
    causa_i_arena_release(&a);
    CHECK_INT(causa_ctx_bytes_in_use(T), 0);
}

static int arena_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    causa_i_arena a;
    causa_i_arena_init(&a, ctx);
    int rc = CAUSA_OK;
    for (int i = 0; i < 50; i++)
        if (!causa_i_arena_alloc(&a, 40000)) {
            rc = CAUSA_ENOMEM;
            break;
        }
    causa_i_arena_release(&a);
    return rc;
}

TEST(arena_oom_sweep) {
    int n = harness_oom_sweep("arena", arena_job, NULL);
    CHECK(n > 10);
}

TEST(buf_printf_grows) {
    causa_i_buf b;
    causa_i_buf_init(&b, T);
    for (int i = 0; i < 1000; i++) CHECK_OK(causa_i_buf_printf(&b, "%d,", i));
    CHECK(b.len > 3000);
    CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
    char longs[600];
    memset(longs, 'x', sizeof longs - 1);
    longs[599] = '\0';
    CHECK_OK(causa_i_buf_printf(&b, "[%s]", longs));
    CHECK(b.data[b.len - 1] == ']');
    causa_i_buf_free(&b);
}

TEST(write_file_atomic) {
    char path[512];
    snprintf(path, sizeof path, "%s/out.txt", harness_tmpdir());
    CHECK_OK(causa_write_file(T, path, "abc\n", 4));
    FILE *f = fopen(path, "rb");
    char buf[16] = {0};
    CHECK(f && fread(buf, 1, sizeof buf, f) == 4);
    if (f) fclose(f);
    CHECK_STR(buf, "abc\n");
    CHECK_ERR(causa_write_file(T, "/nonexistent-dir/x.txt", "a", 1), CAUSA_EIO);
    CHECK_CONTAINS(causa_errmsg(T), "/nonexistent-dir/x.txt");
    CHECK_ERR(causa_write_file(T, "", "a", 1), CAUSA_EINVAL);
}

/* ---- random streams ---- */

TEST(rng_streams_reproducible_and_distinct) {
    causa_rng a, b, c;
    causa_rng_init(&a, 7, 3);
    causa_rng_init(&b, 7, 3);
    causa_rng_init(&c, 7, 4);
    int same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = causa_rng_u64(&a), y = causa_rng_u64(&b), z = causa_rng_u64(&c);
        CHECK(x == y);
        same_c += x == z;
    }
    CHECK_INT(same_c, 0);
    /* (seed, stream) pairs that sum alike must still differ. */
    causa_rng_init(&a, 8, 2);
    causa_rng_init(&b, 7, 3);
    CHECK(causa_rng_u64(&a) != causa_rng_u64(&b));
}

/* Mean and variance of n draws against the analytic values, within 5 standard errors. */
static void check_moments(double (*draw)(causa_rng *, double), double arg, double mean, double var,
                          double kurt_excess, const char *name) {
    causa_rng r;
    causa_rng_init(&r, 2024, 11);
    const int n = 400000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double x = draw(&r, arg);
        s += x;
        s2 += x * x;
    }
    double m = s / n, v = s2 / n - m * m;
    double se_mean = sqrt(var / n), se_var = var * sqrt((2.0 + kurt_excess) / n);
    if (fabs(m - mean) > 5 * se_mean || fabs(v - var) > 5 * se_var)
        harness_fail(__FILE__, __LINE__, "%s(%g): mean %g (want %g), var %g (want %g)", name, arg,
                     m, mean, v, var);
}

static double draw_normal(causa_rng *r, double a) { return a * causa_rng_normal(r); }
static double draw_uniform(causa_rng *r, double a) { return a * causa_rng_uniform(r); }
static double draw_laplace(causa_rng *r, double b) { return causa_rng_laplace(r, b); }
static double draw_gamma(causa_rng *r, double k) { return causa_rng_gamma(r, k); }
static double draw_chisq(causa_rng *r, double k) { return causa_rng_chisq(r, k); }
static double draw_t(causa_rng *r, double nu) { return causa_rng_student_t(r, nu); }

TEST(rng_moments) {
    check_moments(draw_normal, 1.0, 0.0, 1.0, 0.0, "normal");
    check_moments(draw_normal, 2.385, 0.0, 2.385 * 2.385, 0.0, "normal");
    check_moments(draw_uniform, 1.0, 0.5, 1.0 / 12, -1.2, "uniform");
    check_moments(draw_laplace, 1.5, 0.0, 2 * 1.5 * 1.5, 3.0, "laplace");
    check_moments(draw_gamma, 0.37, 0.37, 0.37, 6 / 0.37, "gamma");
    check_moments(draw_gamma, 4.2, 4.2, 4.2, 6 / 4.2, "gamma");
    check_moments(draw_chisq, 3.0, 3.0, 6.0, 4.0, "chisq");
    check_moments(draw_t, 9.0, 0.0, 9.0 / 7.0, 6.0 / 5.0, "student-t");
}

/* The normal generator's tails: P(|Z| > 2) and P(|Z| > 3.6541), the ziggurat's tail edge. */
TEST(rng_normal_tails) {
    causa_rng r;
    causa_rng_init(&r, 99, 0);
    const int n = 2000000;
    int beyond2 = 0, beyond_r = 0;
    for (int i = 0; i < n; i++) {
        double z = fabs(causa_rng_normal(&r));
        beyond2 += z > 2.0;
        beyond_r += z > 3.6541528853610088;
    }
    double p2 = erfc(2.0 / sqrt(2.0)), pr = erfc(3.6541528853610088 / sqrt(2.0));
    CHECK_ABS((double)beyond2 / n, p2, 5 * sqrt(p2 * (1 - p2) / n));
    CHECK_ABS((double)beyond_r / n, pr, 5 * sqrt(pr * (1 - pr) / n));
}

/* The eight-lane fill (rng_fill.c): the vector code equals the portable loop bit for bit
 * at every length (partial groups, chunk edges); the draws are standard normal (moments,
 * both tails, the wedge/tail path's share) and uncorrelated across positions (lags 1..16,
 * which cross every pair of lanes) and across streams; a stream's fill is reproducible. */
TEST(rng_fill_normal_lanes) {
    static const int64_t lens[] = {0, 1, 7, 8, 9, 63, 511, 512, 513, 1000, 4096, 10007};
    for (size_t c = 0; c < sizeof lens / sizeof lens[0]; c++) {
        int64_t n = lens[c];
        double *a = malloc((size_t)(n + 1) * sizeof *a), *b = malloc((size_t)(n + 1) * sizeof *b);
        causa_rng r1, r2;
        causa_rng_init(&r1, 7, (uint64_t)c);
        causa_rng_init(&r2, 7, (uint64_t)c);
        /* (0, 1) takes the vector loop without the affine step. */
        for (int unit = 0; unit < 2; unit++) {
            double mu = unit ? 0.0 : 0.25, sd = unit ? 1.0 : 1.5;
            causa_i_rng_fill_normal(&r1, mu, sd, a, n);
            causa_i_rng_fill_normal_portable(&r2, mu, sd, b, n);
            int64_t bad = 0;
            for (int64_t i = 0; i < n; i++) bad += memcmp(&a[i], &b[i], sizeof a[i]) != 0;
            if (bad)
                harness_fail(__FILE__, __LINE__, "n = %lld, mu = %g: %lld values differ", (long long)n, mu,
                             (long long)bad);
            /* Both leave the caller's stream in the same place (one draw taken). */
            CHECK(causa_rng_u64(&r1) == causa_rng_u64(&r2));
        }
        free(a);
        free(b);
    }
    const int64_t n = 4096, rounds = 500;
    double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    double s1 = 0, s2 = 0, s4 = 0, cross = 0, lag[17] = {0};
    int64_t beyond2 = 0, beyond_r = 0, total = 0, nlag[17] = {0};
    for (int64_t k = 0; k < rounds; k++) {
        causa_rng r1, r2;
        causa_rng_init(&r1, 11, (uint64_t)k << 28 | 1);
        causa_rng_init(&r2, 11, (uint64_t)k << 28 | 2);
        causa_i_rng_fill_normal(&r1, 0.0, 1.0, x, n);
        causa_i_rng_fill_normal(&r2, 0.0, 1.0, y, n);
        for (int64_t i = 0; i < n; i++) {
            double z = x[i];
            s1 += z;
            s2 += z * z;
            s4 += z * z * z * z;
            cross += z * y[i];
            beyond2 += fabs(z) > 2.0;
            beyond_r += fabs(z) > 3.6541528853610088;
            for (int l = 1; l <= 16 && l <= i; l++) {
                lag[l] += z * x[i - l];
                nlag[l]++;
            }
        }
        total += n;
    }
    double N = (double)total, se = 1.0 / sqrt(N);
    CHECK_ABS(s1 / N, 0.0, 5 * se);
    CHECK_ABS(s2 / N, 1.0, 5 * sqrt(2.0) * se);
    CHECK_ABS(s4 / N, 3.0, 5 * sqrt(96.0) * se);
    CHECK_ABS(cross / N, 0.0, 5 * se);
    for (int l = 1; l <= 16; l++) CHECK_ABS(lag[l] / (double)nlag[l], 0.0, 5.0 / sqrt((double)nlag[l]));
    double p2 = erfc(2.0 / sqrt(2.0)), pr = erfc(3.6541528853610088 / sqrt(2.0));
    CHECK_ABS((double)beyond2 / N, p2, 5 * sqrt(p2 * (1 - p2) / N));
    CHECK_ABS((double)beyond_r / N, pr, 5 * sqrt(pr * (1 - pr) / N));
    free(x);
    free(y);
}

/* Non-temporal copies (stream_store.c), both vector widths: every length around the store
 * widths, every misalignment of the destination; nothing outside dst[0..n) is touched. */
TEST(stream_store_copies_exactly) {
    if (!causa_i_stream_store_available()) return;
    enum { N = 300 };
    double src[N], dst[N + 16] __attribute__((aligned(64)));
    for (int i = 0; i < N; i++) src[i] = i * 1.5 - 7;
    for (int path = 0; path < 2; path++) {
        for (int off = 0; off < 8; off++) {
            for (int n = 0; n < N - 8; n += n < 40 ? 1 : 37) {
                for (int i = 0; i < N + 16; i++) dst[i] = -1;
                if (path) causa_i_stream_store_sse2(dst + off, src, n);
                else causa_i_stream_store(dst + off, src, n);
                causa_i_stream_store_fence();
                int bad = 0;
                for (int i = 0; i < N + 16; i++)
                    bad += dst[i] != (i >= off && i < off + n ? src[i - off] : -1.0);
                if (bad)
                    harness_fail(__FILE__, __LINE__, "path %d, offset %d, n = %d: %d cells wrong", path, off, n, bad);
            }
        }
    }
}

TEST(rng_below_categorical_permutation) {
    causa_rng r;
    causa_rng_init(&r, 5, 5);
    int counts[7] = {0};
    const int n = 70000;
    for (int i = 0; i < n; i++) {
        uint64_t k = causa_rng_below(&r, 7);
        CHECK(k < 7);
        counts[k]++;
    }
    double chi2 = 0;
    for (int k = 0; k < 7; k++) chi2 += (counts[k] - n / 7.0) * (counts[k] - n / 7.0) / (n / 7.0);
    CHECK(chi2 < 22.46); /* chi-square, 6 df, p = 0.001 */
    const double prob[4] = {0.1, 0.0, 0.6, 0.3};
    int cat[4] = {0};
    for (int i = 0; i < n; i++) cat[causa_rng_categorical(&r, prob, 4)]++;
    CHECK_INT(cat[1], 0);
    chi2 = 0;
    for (int k = 0; k < 4; k++)
        if (prob[k] > 0) chi2 += (cat[k] - n * prob[k]) * (cat[k] - n * prob[k]) / (n * prob[k]);
    CHECK(chi2 < 13.82); /* 2 df, p = 0.001 */
    int64_t perm[50];
    causa_rng_permutation(&r, perm, 50);
    int seen[50] = {0};
    for (int i = 0; i < 50; i++) {
        CHECK(perm[i] >= 0 && perm[i] < 50);
        if (perm[i] >= 0 && perm[i] < 50) seen[perm[i]]++;
    }
    for (int i = 0; i < 50; i++) CHECK_INT(seen[i], 1);
}

TEST(matrix_views) {
    const double a[6] = {1, 2, 3, 4, 5, 6};
    causa_matrix c = causa_matrix_colmajor(a, 2, 3), r = causa_matrix_rowmajor(a, 2, 3);
    CHECK_REL(causa_matrix_get(&c, 1, 2), 6, 0);
    CHECK_REL(causa_matrix_get(&c, 0, 1), 3, 0);
    CHECK_REL(causa_matrix_get(&r, 0, 1), 2, 0);
    CHECK_REL(causa_matrix_get(&r, 1, 0), 4, 0);
}
