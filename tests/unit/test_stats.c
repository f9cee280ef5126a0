/*
 * test_stats.c: distributions, summary statistics and the Fisher-z test.
 * Reference values come from SciPy 1.10.1 (Debian's python3-scipy) and NumPy, computed
 * independently of causa: scipy.stats.chi2.sf, and partial correlations by inverting the
 * correlation submatrix of log(data/sachs.csv) with numpy.linalg.inv (the commands are in
 * the comments next to each table).
 */
#include <math.h>
#include <stdlib.h>

#include "../../src/internal.h"
#include "harness.h"

TEST(chisq_sf_against_scipy) {
    /* scipy.stats.chi2.sf(x, df) */
    static const double cases[][3] = {
        {3.841458820694124, 1, 0.04999999999999989}, {10, 5, 0.07523524614651217},
        {100, 50, 3.454931382984871e-05},            {0.5, 0.7, 0.3509752970315835},
        {1e-3, 3, 0.9999915920809419},               {400, 2, 1.383896526736753e-87},
        {2000, 1000, 4.1436785914539184e-69},        {35, 10, 0.0001248652527830378},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_REL(causa_chisq_sf(cases[i][0], cases[i][1]), cases[i][2], 1e-10);
    CHECK_REL(causa_chisq_sf(0, 3), 1.0, 0);
    CHECK(isnan(causa_chisq_sf(1, 0)));
    CHECK_REL(causa_normal_sf(1.959963984540054), 0.025, 1e-12);
    CHECK_REL(causa_normal_sf(-1.0), 0.8413447460685429, 1e-14);
    CHECK_REL(causa_normal_sf(30.0), 4.906713927148187e-198, 1e-10);
}

/* An n x p data set with X = A * standard normal noise (a fixed linear mixing). */
static causa_dataset *gaussian_data(causa_ctx *ctx, int64_t n, int64_t p, uint64_t seed) {
    causa_dataset *ds = NULL;
    if (causa_dataset_new(ctx, n, p, &ds) != CAUSA_OK) return NULL;
    double *x = causa_dataset_data_mut(ds);
    causa_rng r;
    causa_rng_init(&r, seed, 0);
    for (int64_t i = 0; i < n; i++) {
        double prev = 0;
        for (int64_t j = 0; j < p; j++) {
            double e = causa_rng_normal(&r);
            x[i + j * n] = 0.8 * prev + e + 2.385 * (double)j; /* a chain, shifted means */
            prev = x[i + j * n] - 2.385 * (double)j;
        }
    }
    return ds;
}

TEST(suffstat_matches_direct_moments) {
    const int64_t n = 500, p = 7;
    causa_dataset *ds = gaussian_data(T, n, p, 3);
    CHECK(ds != NULL);
    causa_suffstat *s = NULL;
    CHECK_OK(causa_suffstat_new(T, ds, &s));
    const double *x = causa_dataset_data(ds);
    for (int64_t a = 0; a < p; a++) {
        double ma = 0;
        for (int64_t i = 0; i < n; i++) ma += x[i + a * n];
        ma /= n;
        CHECK_REL(causa_suffstat_means(s)[a], ma, 1e-13);
        for (int64_t b = 0; b < p; b++) {
            double mb = 0, c = 0;
            for (int64_t i = 0; i < n; i++) mb += x[i + b * n];
            mb /= n;
            for (int64_t i = 0; i < n; i++) c += (x[i + a * n] - ma) * (x[i + b * n] - mb);
            CHECK_REL(causa_suffstat_cov(s)[a + b * p], c / (n - 1), 1e-11);
        }
    }
    CHECK_INT(causa_suffstat_n(s), n);
    CHECK_STR(causa_suffstat_name(s, 2), "X3");
    causa_suffstat_free(s);
    causa_dataset_free(ds);
}

TEST(suffstat_same_for_any_thread_count) {
    /* p = 300 spans several BLAS tiles, so threads really split the work. */
    const int64_t n = 200, p = 300;
    causa_dataset *ds = gaussian_data(T, n, p, 9);
    causa_suffstat *s1 = NULL, *s2 = NULL;
    CHECK_OK(causa_ctx_set_threads(T, 1));
    CHECK_OK(causa_suffstat_new(T, ds, &s1));
    CHECK_OK(causa_ctx_set_threads(T, 3));
    CHECK_OK(causa_suffstat_new(T, ds, &s2));
    CHECK(memcmp(causa_suffstat_cov(s1), causa_suffstat_cov(s2), (size_t)(p * p) * sizeof(double)) == 0);
    causa_suffstat_free(s1);
    causa_suffstat_free(s2);
    causa_dataset_free(ds);
}

TEST(suffstat_pool_equals_whole) {
    const int64_t n = 400, p = 5;
    causa_dataset *ds = gaussian_data(T, n, p, 4);
    const double *x = causa_dataset_data(ds);
    /* Two sites: the first 150 rows and the other 250. */
    causa_dataset *a = NULL, *b = NULL;
    CHECK_OK(causa_dataset_new(T, 150, p, &a));
    CHECK_OK(causa_dataset_new(T, 250, p, &b));
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < n; i++) {
            if (i < 150) causa_dataset_data_mut(a)[i + j * 150] = x[i + j * n];
            else causa_dataset_data_mut(b)[(i - 150) + j * 250] = x[i + j * n];
        }
    causa_suffstat *whole = NULL, *sa = NULL, *sb = NULL, *pooled = NULL;
    CHECK_OK(causa_suffstat_new(T, ds, &whole));
    CHECK_OK(causa_suffstat_new(T, a, &sa));
    CHECK_OK(causa_suffstat_new(T, b, &sb));
    const causa_suffstat *sites[2] = {sa, sb};
    CHECK_OK(causa_suffstat_pool(T, sites, 2, &pooled));
    CHECK_INT(causa_suffstat_n(pooled), n);
    for (int64_t k = 0; k < p * p; k++)
        CHECK_REL(causa_suffstat_cov(pooled)[k], causa_suffstat_cov(whole)[k], 1e-10);
    for (int64_t k = 0; k < p; k++)
        CHECK_REL(causa_suffstat_means(pooled)[k], causa_suffstat_means(whole)[k], 1e-12);
    causa_suffstat_free(whole);
    causa_suffstat_free(sa);
    causa_suffstat_free(sb);
    causa_suffstat_free(pooled);
    causa_dataset_free(a);
    causa_dataset_free(b);
    causa_dataset_free(ds);
}

TEST(suffstat_file_round_trip_and_errors) {
    causa_dataset *ds = gaussian_data(T, 100, 4, 5);
    causa_suffstat *s = NULL, *back = NULL;
    CHECK_OK(causa_suffstat_new(T, ds, &s));
    char path[512];
    snprintf(path, sizeof path, "%s/site.stats", harness_tmpdir());
    CHECK_OK(causa_suffstat_write(T, s, path));
    CHECK_OK(causa_suffstat_read(T, path, &back));
    CHECK(back && memcmp(causa_suffstat_cov(s), causa_suffstat_cov(back), 16 * sizeof(double)) == 0);
    CHECK(back && memcmp(causa_suffstat_means(s), causa_suffstat_means(back), 4 * sizeof(double)) == 0);
    causa_suffstat_free(back);
    back = NULL;
    FILE *f = fopen(path, "w");
    fputs("causa-suffstat 1\nn\t10\np\t2\nnames\tA\tB\nmeans\t1\tx\n", f);
    fclose(f);
    CHECK_ERR(causa_suffstat_read(T, path, &back), CAUSA_EPARSE);
    CHECK_CONTAINS(causa_errmsg(T), "site.stats:5:9: expected a finite number");
    CHECK(back == NULL);
    f = fopen(path, "w");
    fputs("hello\n", f);
    fclose(f);
    CHECK_ERR(causa_suffstat_read(T, path, &back), CAUSA_EPARSE);
    CHECK_CONTAINS(causa_errmsg(T), "site.stats:1:1: expected 'causa-suffstat 1'");
    CHECK_ERR(causa_suffstat_read(T, "/nonexistent/x.stats", &back), CAUSA_EIO);
    causa_suffstat_free(s);
    causa_dataset_free(ds);
}

TEST(suffstat_constant_column) {
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, 10, 3, &ds));
    double *x = causa_dataset_data_mut(ds);
    for (int i = 0; i < 10; i++) {
        x[i] = i;
        x[10 + i] = 4.0;
        x[20 + i] = i * i;
    }
    causa_suffstat *s = NULL;
    CHECK_ERR(causa_suffstat_new(T, ds, &s), CAUSA_EDATA);
    CHECK_CONTAINS(causa_errmsg(T), "variable 'X2' (column 2) is constant");
    CHECK(s == NULL);
    causa_dataset_free(ds);
}

/* Fisher-z on log(sachs) against numpy: r = -P01 / sqrt(P00 P11) with P the inverse of the
 * correlation submatrix over (x, y, Z); p = 2 * scipy.stats.norm.sf(sqrt(n-|Z|-3)|atanh r|). */
TEST(fisherz_sachs_against_numpy) {
    causa_dataset *raw = NULL;
    causa_csv_options o;
    causa_csv_options_init(&o);
    CHECK_OK(causa_csv_read(T, "data/sachs.csv", &o, &raw));
    if (!raw) return;
    int64_t n = causa_dataset_nrow(raw), p = causa_dataset_ncol(raw);
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, n, p, &ds));
    for (int64_t k = 0; k < n * p; k++) causa_dataset_data_mut(ds)[k] = log(causa_dataset_data(raw)[k]);
    for (int64_t j = 0; j < p; j++) CHECK_OK(causa_dataset_set_name(T, ds, j, causa_dataset_name(raw, j)));
    causa_citest *t = NULL;
    CHECK_OK(causa_citest_new(T, ds, NULL, &t));
    causa_citest_work *w = NULL;
    CHECK_OK(causa_citest_work_new(T, t, 9, &w));
    static const struct {
        int64_t x, y, nz, z[9];
        double r, p;
    } cases[] = {
        {0, 1, 0, {0}, 0.6788710981189456, 1.8942585804355135e-128},
        {0, 1, 2, {8, 7}, 0.6784364432768687, 6.617705616731893e-128},
        {2, 5, 3, {3, 4, 6}, 0.03771439024777122, 0.27214653879415585},
        {9, 10, 9, {0, 1, 2, 3, 4, 5, 6, 7, 8}, 0.05496683489659176, 0.11056773670143762},
        {6, 7, 1, {5}, 0.21700698618514871, 1.316776642309385e-10},
    };
    for (int rep = 0; rep < 2; rep++) /* the second pass hits the workspace's cache */
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            causa_citest_result res;
            CHECK_OK(causa_citest_run(t, w, cases[i].x, cases[i].y, cases[i].z, cases[i].nz, &res));
            CHECK_REL(res.effect, cases[i].r, 1e-11);
            CHECK_REL(res.pvalue, cases[i].p, 1e-8);
            CHECK_INT(res.singular, 0);
        }
    CHECK_STR(causa_citest_name(t), "fisher-z");
    CHECK_STR(causa_citest_var_name(t, 0), "Raf");
    causa_citest_work_free(w);
    causa_citest_free(t);
    causa_dataset_free(ds);
    causa_dataset_free(raw);
}

/* Z = {a, b} with b = 2a exactly: R_ZZ is singular, the pseudo-inverse takes over and the
 * answer equals the partial correlation given {a} alone. */
TEST(fisherz_singular_conditioning_set) {
    const int64_t n = 300;
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, n, 4, &ds));
    double *x = causa_dataset_data_mut(ds);
    causa_rng r;
    causa_rng_init(&r, 11, 0);
    for (int64_t i = 0; i < n; i++) {
        double a = causa_rng_normal(&r);
        x[i] = a + causa_rng_normal(&r);           /* X */
        x[i + n] = a + causa_rng_normal(&r);       /* Y */
        x[i + 2 * n] = a;                          /* A */
        x[i + 3 * n] = 2 * a;                      /* B = 2A */
    }
    causa_citest *t = NULL;
    CHECK_OK(causa_citest_new(T, ds, NULL, &t));
    causa_citest_work *w = NULL;
    CHECK_OK(causa_citest_work_new(T, t, 2, &w));
    causa_citest_result one, two;
    const int64_t za[1] = {2}, zab[2] = {2, 3};
    CHECK_OK(causa_citest_run(t, w, 0, 1, za, 1, &one));
    CHECK_OK(causa_citest_run(t, w, 0, 1, zab, 2, &two));
    CHECK_INT(two.singular, 1);
    CHECK_ABS(two.effect, one.effect, 1e-8);
    /* Argument errors. */
    CHECK_ERR(causa_citest_run(t, w, 0, 0, NULL, 0, &one), CAUSA_EINVAL);
    CHECK_ERR(causa_citest_run(t, w, 0, 1, za, 3, &one), CAUSA_EINVAL);
    const int64_t bad[1] = {1};
    CHECK_ERR(causa_citest_run(t, w, 0, 1, bad, 1, &one), CAUSA_EINVAL);
    causa_citest_work_free(w);
    causa_citest_free(t);
    causa_dataset_free(ds);
}

TEST(citest_options_errors) {
    causa_dataset *ds = gaussian_data(T, 50, 3, 1);
    causa_citest_options o;
    causa_citest_options_init(&o);
    causa_citest *t = NULL;
    o.alpha = 1.5;
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "alpha must be in (0, 1), got 1.5");
    o.alpha = 0.05;
    o.name = "no-such-test";
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "unknown CI test 'no-such-test'");
    CHECK(t == NULL);
    causa_dataset_free(ds);
}

static int fisherz_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    causa_dataset *ds = gaussian_data(ctx, 40, 5, 2);
    if (!ds) return CAUSA_ENOMEM;
    causa_citest *t = NULL;
    causa_citest_work *w = NULL;
    int rc = causa_citest_new(ctx, ds, NULL, &t);
    if (!rc) rc = causa_citest_work_new(ctx, t, 3, &w);
    causa_citest_result res;
    const int64_t z[2] = {2, 3};
    if (!rc) rc = causa_citest_run(t, w, 0, 1, z, 2, &res);
    causa_citest_work_free(w);
    causa_citest_free(t);
    causa_dataset_free(ds);
    return rc;
}

TEST(fisherz_oom_sweep) { CHECK(harness_oom_sweep("fisher-z", fisherz_job, NULL) > 5); }

/* CAUSA_ESINGULAR: the Cholesky solve of a singular Gram matrix reports it (the ridge and
 * regression code above it turns this into a message or a minimum-norm fallback). */
#include "../../src/linalg/lstsq_i.h"
TEST(posv_singular_matrix) {
    double s[4] = {1.0, 2.0, 2.0, 4.0}; /* rank 1 */
    double b[2] = {1.0, 2.0};
    CHECK_ERR(causa_i_posv(s, 2, b, 2, 1), CAUSA_ESINGULAR);
    double t[4] = {4.0, 1.0, 1.0, 3.0};
    double c[2] = {1.0, 2.0};
    CHECK_OK(causa_i_posv(t, 2, c, 2, 1));
    /* [4 1; 1 3] x = [1; 2]: x = [1/11, 7/11]. */
    CHECK_REL(c[0], 1.0 / 11.0, 1e-14);
    CHECK_REL(c[1], 7.0 / 11.0, 1e-14);
}
