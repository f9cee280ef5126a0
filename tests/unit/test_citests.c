/*
 * test_citests.c: the discrete, mixed and kernel CI tests (g-square, chi-square, cg-lrt,
 * KCI, RCIT/RCoT). Expected p-values of peers are stored as data in tests/data/citests/
 * (README.md there says how each file was produced); analytic cases and simulations with
 * fixed seeds check the rest.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/internal.h"
#include "../../src/linalg/linalg_i.h"
#include "../../src/stats/contingency_i.h"
#include "harness.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

/* ---- helpers ---- */

/* Reads a whitespace-separated numeric table (first line a header when header != 0).
 * discrete: every column becomes discrete with levels "0".."max" (the values must be
 * integers >= 0). */
static causa_dataset *read_table(causa_ctx *ctx, const char *name, int header, int discrete) {
    FILE *f = fopen(harness_data(name), "r");
    if (!f) return NULL;
    int64_t p = 0, cap = 1 << 16, len = 0;
    double *v = malloc((size_t)cap * sizeof *v);
    char line[1 << 16];
    int first = 1;
    while (fgets(line, sizeof line, f)) {
        if (first && header) {
            first = 0;
            continue;
        }
        first = 0;
        int64_t k = 0;
        char *s = line, *end;
        for (;;) {
            double d = strtod(s, &end);
            if (end == s) break;
            if (len == cap) v = realloc(v, (size_t)(cap *= 2) * sizeof *v);
            v[len++] = d;
            k++;
            s = end;
        }
        if (k == 0) continue;
        if (p == 0) p = k;
    }
    fclose(f);
    int64_t n = p ? len / p : 0;
    causa_dataset *ds = NULL;
    if (n == 0 || causa_dataset_new(ctx, n, p, &ds) != CAUSA_OK) {
        free(v);
        return NULL;
    }
    double *x = causa_dataset_data_mut(ds);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < p; j++) x[i + j * n] = v[i * p + j];
    free(v);
    if (discrete) {
        static char names[64][16];
        const char *lv[64];
        for (int k = 0; k < 64; k++) {
            snprintf(names[k], sizeof names[k], "%d", k);
            lv[k] = names[k];
        }
        for (int64_t j = 0; j < p; j++) {
            double mx = 0;
            for (int64_t i = 0; i < n; i++) mx = fmax(mx, x[i + j * n]);
            if (causa_dataset_set_discrete(ctx, ds, j, (int64_t)mx + 1, lv) != CAUSA_OK) {
                causa_dataset_free(ds);
                return NULL;
            }
        }
    }
    return ds;
}

/* Sets column j discrete with levels "0".."L-1". */
static int make_discrete(causa_ctx *ctx, causa_dataset *ds, int64_t j, int64_t L) {
    static char names[256][16];
    static const char *lv[256];
    for (int k = 0; k < 256; k++) {
        snprintf(names[k], sizeof names[k], "%d", k);
        lv[k] = names[k];
    }
    return causa_dataset_set_discrete(ctx, ds, j, L, lv);
}

static causa_citest *make_test(causa_ctx *ctx, const causa_dataset *ds, const char *name) {
    causa_citest_options o;
    causa_citest_options_init(&o);
    o.name = name;
    causa_citest *t = NULL;
    if (causa_citest_new(ctx, ds, &o, &t) != CAUSA_OK) return NULL;
    return t;
}

/* ---- G-square and chi-square ---- */

/* Expected p-values from causal-learn's CIT(data, "chisq") and CIT(data, "gsq") (see
 * tests/data/citests/README.md): each line "x y nz z... p_chisq p_gsq". */
static void check_against_causallearn(const char *data, const char *expected, int *nchecked) {
    causa_dataset *ds = read_table(T, data, 1, 1);
    CHECK(ds != NULL);
    if (!ds) return;
    causa_citest *chi = make_test(T, ds, "chi-square"), *gsq = make_test(T, ds, "g-square");
    CHECK(chi && gsq);
    causa_citest_work *wc = NULL, *wg = NULL;
    CHECK_OK(causa_citest_work_new(T, chi, 8, &wc));
    CHECK_OK(causa_citest_work_new(T, gsq, 8, &wg));
    FILE *f = fopen(harness_data(expected), "r");
    CHECK(f != NULL);
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        char *s = line;
        int64_t x = strtoll(s, &s, 10), y = strtoll(s, &s, 10), nz = strtoll(s, &s, 10), z[16];
        for (int64_t k = 0; k < nz; k++) z[k] = strtoll(s, &s, 10);
        double pc = strtod(s, &s), pg = strtod(s, &s);
        causa_citest_result rchi, rg;
        CHECK_OK(causa_citest_run(chi, wc, x, y, z, nz, &rchi));
        CHECK_OK(causa_citest_run(gsq, wg, x, y, z, nz, &rg));
        /* causal-learn computes 1 - cdf in places; compare tiny p-values absolutely. */
        if (pc > 1e-12) CHECK_REL(rchi.pvalue, pc, 1e-9);
        else CHECK_ABS(rchi.pvalue, pc, 1e-12);
        if (pg > 1e-12) CHECK_REL(rg.pvalue, pg, 1e-9);
        else CHECK_ABS(rg.pvalue, pg, 1e-12);
        /* The same query with x and y swapped and z reversed gives the same answer. */
        int64_t zr[16];
        for (int64_t k = 0; k < nz; k++) zr[k] = z[nz - 1 - k];
        causa_citest_result back;
        CHECK_OK(causa_citest_run(gsq, wg, y, x, zr, nz, &back));
        CHECK_REL(back.pvalue, rg.pvalue, 1e-12);
        (*nchecked)++;
    }
    if (f) fclose(f);
    causa_citest_work_free(wc);
    causa_citest_work_free(wg);
    causa_citest_free(chi);
    causa_citest_free(gsq);
    causa_dataset_free(ds);
}

TEST(citests_gsquare_chisquare_match_causallearn) {
    int n = 0;
    check_against_causallearn("citests/data_discrete_10.txt", "citests/gsq_data_discrete_10_expected.txt", &n);
    check_against_causallearn("citests/child.txt", "citests/gsq_child_expected.txt", &n);
    CHECK_INT(n, 100);
}

/* Naive reference G-square / chi-square: strata found by comparing whole rows of Z (O(n^2)),
 * tables as dense arrays; the adjusted df rule. Independent of the library's counting. */
static void naive_gsq(const causa_dataset *ds, int64_t x, int64_t y, const int64_t *z, int64_t nz,
                      int chisq, double *stat, double *df) {
    int64_t n = causa_dataset_nrow(ds);
    const double *X = causa_dataset_column(ds, x), *Y = causa_dataset_column(ds, y);
    int64_t lx = causa_dataset_nlevels(ds, x), ly = causa_dataset_nlevels(ds, y);
    int64_t *stratum = malloc((size_t)n * sizeof *stratum), ns = 0;
    int64_t *rep = malloc((size_t)n * sizeof *rep);
    for (int64_t i = 0; i < n; i++) {
        int64_t s = -1;
        for (int64_t t = 0; t < ns && s < 0; t++) {
            int same = 1;
            for (int64_t k = 0; k < nz && same; k++)
                same = causa_dataset_column(ds, z[k])[i] == causa_dataset_column(ds, z[k])[rep[t]];
            if (same) s = t;
        }
        if (s < 0) {
            rep[ns] = i;
            s = ns++;
        }
        stratum[i] = s;
    }
    double *tab = calloc((size_t)(lx * ly), sizeof *tab), *rm = malloc((size_t)lx * sizeof *rm),
           *cm = malloc((size_t)ly * sizeof *cm);
    *stat = 0;
    *df = 0;
    for (int64_t s = 0; s < ns; s++) {
        memset(tab, 0, (size_t)(lx * ly) * sizeof *tab);
        double tot = 0;
        for (int64_t i = 0; i < n; i++)
            if (stratum[i] == s) {
                tab[(int64_t)X[i] * ly + (int64_t)Y[i]] += 1;
                tot += 1;
            }
        int64_t r = 0, c = 0;
        for (int64_t a = 0; a < lx; a++) {
            rm[a] = 0;
            for (int64_t b = 0; b < ly; b++) rm[a] += tab[a * ly + b];
            r += rm[a] > 0;
        }
        for (int64_t b = 0; b < ly; b++) {
            cm[b] = 0;
            for (int64_t a = 0; a < lx; a++) cm[b] += tab[a * ly + b];
            c += cm[b] > 0;
        }
        *df += (double)((r - 1) * (c - 1));
        for (int64_t a = 0; a < lx; a++)
            for (int64_t b = 0; b < ly; b++) {
                double e = rm[a] * cm[b] / tot, o = tab[a * ly + b];
                if (e <= 0) continue;
                if (chisq) *stat += (o - e) * (o - e) / e;
                else if (o > 0) *stat += 2 * o * log(o / e);
            }
    }
    free(stratum);
    free(rep);
    free(tab);
    free(rm);
    free(cm);
}

/* Random discrete data with many levels, so that both counting paths (the direct table and
 * the sorted keys) run, against the naive reference. */
TEST(citests_gsquare_counting_paths_match_naive) {
    const int64_t n = 700, p = 7;
    static const int64_t levels[7] = {3, 4, 40, 45, 50, 2, 30};
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, n, p, &ds));
    double *v = causa_dataset_data_mut(ds);
    causa_rng r;
    causa_rng_init(&r, 77, 0);
    for (int64_t i = 0; i < n; i++) {
        int64_t h = (int64_t)causa_rng_below(&r, 3);
        for (int64_t j = 0; j < p; j++) {
            /* Skewed draws tied to a hidden h, so there is dependence and empty cells. */
            int64_t L = levels[j], c = (int64_t)causa_rng_below(&r, (uint64_t)L);
            if (causa_rng_uniform(&r) < 0.5) c = (h * 7 + j) % L;
            v[i + j * n] = (double)c;
        }
    }
    for (int64_t j = 0; j < p; j++) CHECK_OK(make_discrete(T, ds, j, levels[j]));
    causa_citest *g = make_test(T, ds, "g-square"), *c = make_test(T, ds, "chi-square");
    causa_citest_work *wg = NULL, *wc = NULL;
    CHECK_OK(causa_citest_work_new(T, g, 5, &wg));
    CHECK_OK(causa_citest_work_new(T, c, 5, &wc));
    static const struct {
        int64_t x, y, nz, z[5];
    } q[] = {
        {0, 1, 0, {0}},          {2, 3, 0, {0}},          {0, 1, 1, {5}},
        {0, 5, 3, {2, 3, 4}},    {2, 6, 2, {3, 4}},       {1, 0, 4, {2, 3, 4, 6}},
        {3, 4, 5, {0, 1, 2, 5, 6}}, {5, 0, 2, {6, 1}},
    };
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
        for (int chisq = 0; chisq < 2; chisq++) {
            double stat, df;
            naive_gsq(ds, q[k].x, q[k].y, q[k].z, q[k].nz, chisq, &stat, &df);
            causa_citest_result res;
            CHECK_OK(causa_citest_run(chisq ? c : g, chisq ? wc : wg, q[k].x, q[k].y, q[k].z, q[k].nz, &res));
            CHECK_REL(res.statistic, stat, 1e-10);
            CHECK_REL(res.df, df, 0);
            CHECK_REL(res.pvalue, df > 0 ? causa_chisq_sf(stat, df) : 1.0, 1e-9);
        }
    }
    causa_citest_work_free(wg);
    causa_citest_work_free(wc);
    causa_citest_free(g);
    causa_citest_free(c);
    causa_dataset_free(ds);
}

/* ---- conditional-Gaussian likelihood ratio ---- */

/* Mixed data: column 0 D (discrete, 3 levels), 1 C (continuous) depending on D, 2 X, 3 Y,
 * 4 a discrete column with one level. kind: 0 = X and Y continuous, 1 = X discrete (3
 * levels) and Y continuous, 2 = both discrete (X 3 levels, Y 2). X and Y depend on (D, C);
 * `effect` adds a direct dependence of Y on X. */
static causa_dataset *mixed_data(causa_ctx *ctx, int64_t n, int kind, double effect, uint64_t seed,
                                 uint64_t stream) {
    causa_dataset *ds = NULL;
    if (causa_dataset_new(ctx, n, 5, &ds) != CAUSA_OK) return NULL;
    double *v = causa_dataset_data_mut(ds);
    causa_rng r;
    causa_rng_init(&r, seed, stream);
    for (int64_t i = 0; i < n; i++) {
        int64_t d = (int64_t)causa_rng_below(&r, 3);
        double c = 0.8 * (double)d - 0.8 + causa_rng_normal(&r);
        double x, y;
        if (kind == 0) {
            x = 0.7 * c + 0.5 * (double)d + causa_rng_normal(&r);
        } else {
            double w[3] = {1.0, exp(0.8 * c), exp(-0.6 * c + 0.4 * (double)d)};
            x = (double)causa_rng_categorical(&r, w, 3);
        }
        if (kind == 2) {
            double eta = 0.9 * c - 0.5 * (double)d + effect * (x - 1.0);
            y = causa_rng_uniform(&r) < 1.0 / (1.0 + exp(-eta)) ? 1 : 0;
        } else {
            double slope = d == 2 ? -0.5 : 0.6;
            y = 1.0 + 0.3 * (double)d + slope * c + effect * x + (0.5 + 0.3 * (double)d) * causa_rng_normal(&r);
        }
        v[i] = (double)d;
        v[i + n] = c;
        v[i + 2 * n] = x;
        v[i + 3 * n] = y;
        v[i + 4 * n] = 0;
    }
    if (make_discrete(ctx, ds, 0, 3) || make_discrete(ctx, ds, 4, 1) ||
        (kind >= 1 && make_discrete(ctx, ds, 2, 3)) || (kind == 2 && make_discrete(ctx, ds, 3, 2))) {
        causa_dataset_free(ds);
        return NULL;
    }
    return ds;
}

/* Kolmogorov-Smirnov distance of p[0..n) from the uniform distribution. */
static double ks_uniform(double *p, int n) {
    for (int i = 1; i < n; i++) { /* insertion sort: n is small */
        double v = p[i];
        int j = i;
        while (j > 0 && p[j - 1] > v) {
            p[j] = p[j - 1];
            j--;
        }
        p[j] = v;
    }
    double d = 0;
    for (int i = 0; i < n; i++) d = fmax(d, fmax((double)(i + 1) / n - p[i], p[i] - (double)i / n));
    return d;
}

/* All continuous: cg-lrt is the Gaussian likelihood-ratio test -n log(1 - r^2) with r the
 * partial correlation that Fisher-z computes; with a one-level discrete variable added to Z
 * (general path: per-cell regressions) the answer is the same. */
TEST(citests_cglrt_all_continuous_is_gaussian_lrt) {
    const int64_t n = 400;
    causa_dataset *ds = mixed_data(T, n, 0, 0.15, 5, 0);
    CHECK(ds != NULL);
    /* A continuous-only copy for Fisher-z: columns C, X, Y. */
    causa_dataset *cont = NULL;
    CHECK_OK(causa_dataset_new(T, n, 3, &cont));
    for (int64_t j = 0; j < 3; j++)
        memcpy(causa_dataset_data_mut(cont) + j * n, causa_dataset_column(ds, j + 1), (size_t)n * sizeof(double));
    causa_citest *cg = make_test(T, ds, "cg-lrt"), *fz = make_test(T, cont, "fisher-z");
    causa_citest_work *wcg = NULL, *wfz = NULL;
    CHECK_OK(causa_citest_work_new(T, cg, 3, &wcg));
    CHECK_OK(causa_citest_work_new(T, fz, 1, &wfz));
    causa_citest_result a, b, f;
    const int64_t zc[1] = {1}, zcd[2] = {1, 4}, zf[1] = {0};
    CHECK_OK(causa_citest_run(cg, wcg, 2, 3, zc, 1, &a));
    CHECK_OK(causa_citest_run(cg, wcg, 3, 2, zcd, 2, &b));
    CHECK_OK(causa_citest_run(fz, wfz, 1, 2, zf, 1, &f));
    double want = -(double)n * log(1 - f.effect * f.effect);
    CHECK_REL(a.statistic, want, 1e-10);
    CHECK_REL(b.statistic, want, 1e-9);
    CHECK_REL(a.effect, fabs(f.effect), 1e-10);
    CHECK_REL(a.df, 1, 0);
    CHECK_REL(b.df, 1, 0);
    CHECK_REL(a.pvalue, causa_chisq_sf(want, 1), 1e-9);
    CHECK(a.pvalue < 0.05); /* the simulated direct effect is found */
    /* The unconditional case too. */
    CHECK_OK(causa_citest_run(cg, wcg, 2, 3, NULL, 0, &a));
    CHECK_OK(causa_citest_run(fz, wfz, 1, 2, NULL, 0, &f));
    CHECK_REL(a.statistic, -(double)n * log(1 - f.effect * f.effect), 1e-10);
    causa_citest_work_free(wcg);
    causa_citest_work_free(wfz);
    causa_citest_free(cg);
    causa_citest_free(fz);
    causa_dataset_free(cont);
    causa_dataset_free(ds);
}

/* With X, Y and Z all discrete cg-lrt is the G-square test. */
TEST(citests_cglrt_all_discrete_is_gsquare) {
    causa_dataset *ds = read_table(T, "citests/child.txt", 1, 1);
    CHECK(ds != NULL);
    if (!ds) return;
    causa_citest *cg = make_test(T, ds, "cg-lrt"), *g = make_test(T, ds, "g-square");
    causa_citest_work *w1 = NULL, *w2 = NULL;
    CHECK_OK(causa_citest_work_new(T, cg, 3, &w1));
    CHECK_OK(causa_citest_work_new(T, g, 3, &w2));
    const int64_t z[3] = {4, 11, 16};
    causa_citest_result a, b;
    for (int64_t nz = 0; nz <= 3; nz++) {
        CHECK_OK(causa_citest_run(cg, w1, 1, 7, z, nz, &a));
        CHECK_OK(causa_citest_run(g, w2, 1, 7, z, nz, &b));
        CHECK_REL(a.statistic, b.statistic, 1e-14);
        CHECK_REL(a.pvalue, b.pvalue, 1e-14);
        CHECK_REL(a.df, b.df, 0);
    }
    causa_citest_work_free(w1);
    causa_citest_work_free(w2);
    causa_citest_free(cg);
    causa_citest_free(g);
    causa_dataset_free(ds);
}

/* Null: p-values of X _||_ Y | (D, C) over 200 simulated data sets of 1000 rows are uniform (KS distance
 * below 0.12; the 1% critical value for 200 draws is 0.115), for each kind of pair.
 * Alternative: with a direct effect the test rejects at 0.05 in at least 90% of them. */
TEST(citests_cglrt_null_calibration_and_power) {
    enum { REPS = 200 };
    for (int kind = 0; kind < 3; kind++) {
        double p0[REPS];
        int reject = 0;
        for (int rep = 0; rep < REPS; rep++) {
            for (int alt = 0; alt < 2; alt++) {
                causa_dataset *ds = mixed_data(T, 1000, kind, alt ? (kind == 2 ? 0.6 : 0.25) : 0.0, 1234,
                                               (uint64_t)(rep * 2 + alt + 1000 * kind));
                causa_citest *t = make_test(T, ds, "cg-lrt");
                causa_citest_work *w = NULL;
                CHECK_OK(causa_citest_work_new(T, t, 2, &w));
                const int64_t z[2] = {0, 1};
                causa_citest_result res;
                CHECK_OK(causa_citest_run(t, w, 2, 3, z, 2, &res));
                if (alt) reject += res.pvalue < 0.05;
                else p0[rep] = res.pvalue;
                causa_citest_work_free(w);
                causa_citest_free(t);
                causa_dataset_free(ds);
            }
        }
        double ks = ks_uniform(p0, REPS);
        if (!(ks < 0.12)) harness_fail(__FILE__, __LINE__, "kind %d: KS distance %g", kind, ks);
        if (!(reject >= 0.9 * REPS)) harness_fail(__FILE__, __LINE__, "kind %d: power %d/%d", kind, reject, REPS);
    }
}

/* ---- KCI ---- */

/* Expected p-values from causal-learn's CIT(data, "kci", est_width=...) (README.md in
 * tests/data/citests): lines "width x y nz z... p". causal-learn forms 1 - cdf, so p-values
 * below 1e-6 are compared absolutely. */
static void check_kci_file(const char *data, const char *expected, int *nchecked, double *worst) {
    causa_dataset *ds = read_table(T, data, 1, 0);
    CHECK(ds != NULL);
    if (!ds) return;
    causa_citest *t[2] = {NULL, NULL};
    causa_citest_work *w[2] = {NULL, NULL};
    for (int m = 0; m < 2; m++) {
        causa_citest_options o;
        causa_citest_options_init(&o);
        o.name = "kci";
        o.kernel_width = m ? CAUSA_KCI_WIDTH_MEDIAN : CAUSA_KCI_WIDTH_EMPIRICAL;
        CHECK_OK(causa_citest_new(T, ds, &o, &t[m]));
        CHECK_OK(causa_citest_work_new(T, t[m], 3, &w[m]));
    }
    FILE *f = fopen(harness_data(expected), "r");
    CHECK(f != NULL);
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        int m = strncmp(line, "median", 6) == 0;
        char *s = strchr(line, ' ');
        int64_t x = strtoll(s, &s, 10), y = strtoll(s, &s, 10), nz = strtoll(s, &s, 10), z[8];
        for (int64_t k = 0; k < nz; k++) z[k] = strtoll(s, &s, 10);
        double want = strtod(s, &s);
        causa_citest_result res;
        CHECK_OK(causa_citest_run(t[m], w[m], x, y, z, nz, &res));
        if (want > 1e-6) {
            CHECK_REL(res.pvalue, want, 1e-6);
            *worst = fmax(*worst, fabs(res.pvalue - want) / want);
        } else {
            CHECK_ABS(res.pvalue, want, 1e-9);
        }
        (*nchecked)++;
    }
    if (f) fclose(f);
    for (int m = 0; m < 2; m++) {
        causa_citest_work_free(w[m]);
        causa_citest_free(t[m]);
    }
    causa_dataset_free(ds);
}

TEST(citests_kci_matches_causallearn) {
    int n = 0;
    double worst = 0;
    check_kci_file("citests/kci_data_150.txt", "citests/kci_expected_150.txt", &n, &worst);
    check_kci_file("citests/kci_data_400.txt", "citests/kci_expected_400.txt", &n, &worst);
    check_kci_file("citests/kci_data_1250.txt", "citests/kci_expected_1250.txt", &n, &worst);
    CHECK_INT(n, 46);
    if (getenv("CAUSA_TEST_VERBOSE")) fprintf(stderr, "kci: worst relative difference %g\n", worst);
}

/* ---- RCIT / RCoT ---- */

/* Upper tails of weighted sums of chi-squares against momentchi2 (Python, 0.1.8 source at
 * github.com/deanbodenham/momentchi2py): 1 - lpb4(w, x) and 1 - hbe(w, x). */
TEST(citests_rcit_weighted_chisq_matches_momentchi2) {
    static const double w1[] = {1.5, 1.5, 0.5, 0.5};
    static const double w2[] = {0.9, 0.5, 0.3, 0.2, 0.1, 0.05};
    static const double w3[] = {2, 1, 0.7, 0.4, 0.3, 0.2, 0.1, 0.1, 0.05};
    double w4[25];
    for (int i = 0; i < 25; i++) w4[i] = 0.02 + (1.2 - 0.02) * i / 24.0; /* numpy.linspace */
    static const struct {
        int which;
        double x, lpb4, hbe;
    } cases[] = {
        {1, 10.203, 0.049990810508963035, 0.050917574569316892},
        {1, 0.627, 0.94998856435729961, 0.97143001987056166},
        {2, 3, 0.20133141283104028, 0.20252586662533623},
        {2, 0.4, 0.9531718635605374, 1},
        {3, 12, 0.042217340797216618, 0.044728607916105112},
        {4, 20, 0.16297537775858806, 0.16376846660576527},
        {4, 45, 3.6496617392134389e-05, 2.9770706845066996e-05},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const double *w = cases[i].which == 1 ? w1 : cases[i].which == 2 ? w2 : cases[i].which == 3 ? w3 : w4;
        int64_t k = cases[i].which == 1 ? 4 : cases[i].which == 2 ? 6 : cases[i].which == 3 ? 9 : 25;
        CHECK_REL(causa_i_wchisq_sf(w, k, cases[i].x, CAUSA_RCIT_NULL_LPB4), cases[i].lpb4, 1e-7);
        CHECK_REL(causa_i_wchisq_sf(w, k, cases[i].x, CAUSA_RCIT_NULL_HBE), cases[i].hbe, 1e-10);
    }
    /* Fewer than 4 weights: LPB4 falls back to HBE (as momentchi2 and the RCIT package). */
    static const double w5[] = {0.5, 0.3, 0.2};
    CHECK_REL(causa_i_wchisq_sf(w5, 3, 2.708, CAUSA_RCIT_NULL_LPB4), causa_i_wchisq_sf(w5, 3, 2.708, CAUSA_RCIT_NULL_HBE), 0);
}

/* Columns: 0 Z, 1 X, 2 Y, 3 W (independent noise). kind 0: all independent; kind 1:
 * X <- Z -> Y with nonlinear links (X _||_ Y | Z only); kind 2: Y = sin(2X) + noise. */
static causa_dataset *nonlinear_data(causa_ctx *ctx, int64_t n, int kind, uint64_t seed, uint64_t stream) {
    causa_dataset *ds = NULL;
    if (causa_dataset_new(ctx, n, 4, &ds) != CAUSA_OK) return NULL;
    double *v = causa_dataset_data_mut(ds);
    causa_rng r;
    causa_rng_init(&r, seed, stream);
    for (int64_t i = 0; i < n; i++) {
        double z = causa_rng_normal(&r), x, y;
        if (kind == 0) {
            x = causa_rng_normal(&r);
            y = causa_rng_laplace(&r, 1.0);
        } else if (kind == 1) {
            x = tanh(1.5 * z) + 0.3 * causa_rng_normal(&r);
            y = 2 * exp(-0.5 * z * z) + 0.3 * causa_rng_normal(&r);
        } else {
            x = causa_rng_normal(&r);
            y = sin(2 * x) + 0.3 * causa_rng_normal(&r);
        }
        v[i] = z;
        v[i + n] = x;
        v[i + 2 * n] = y;
        v[i + 3 * n] = causa_rng_uniform(&r);
    }
    return ds;
}

/* Null calibration: over 250 simulated data sets of 300 rows, the share of p < 0.05 is
 * within 3.5 binomial sds of 0.05, for X _||_ Y (independent), X _||_ Y | W (W irrelevant)
 * and X _||_ Y | Z (X <- Z -> Y, nonlinear). */
TEST(citests_rcit_null_calibration) {
    enum { REPS = 250 };
    const char *names[2] = {"rcit", "rcot"};
    for (int v = 0; v < 2; v++) {
        int rej[3] = {0, 0, 0};
        for (int rep = 0; rep < REPS; rep++) {
            causa_dataset *a = nonlinear_data(T, 300, 0, 42, (uint64_t)rep);
            causa_dataset *b = nonlinear_data(T, 300, 1, 43, (uint64_t)rep);
            causa_citest *ta = make_test(T, a, names[v]), *tb = make_test(T, b, names[v]);
            causa_citest_work *wa = NULL, *wb = NULL;
            CHECK_OK(causa_citest_work_new(T, ta, 1, &wa));
            CHECK_OK(causa_citest_work_new(T, tb, 1, &wb));
            const int64_t zw[1] = {3}, zz[1] = {0};
            causa_citest_result r0, r1, r2;
            CHECK_OK(causa_citest_run(ta, wa, 1, 2, NULL, 0, &r0));
            CHECK_OK(causa_citest_run(ta, wa, 1, 2, zw, 1, &r1));
            CHECK_OK(causa_citest_run(tb, wb, 1, 2, zz, 1, &r2));
            rej[0] += r0.pvalue < 0.05;
            rej[1] += r1.pvalue < 0.05;
            rej[2] += r2.pvalue < 0.05;
            causa_citest_work_free(wa);
            causa_citest_work_free(wb);
            causa_citest_free(ta);
            causa_citest_free(tb);
            causa_dataset_free(a);
            causa_dataset_free(b);
        }
        for (int k = 0; k < 3; k++) {
            double share = (double)rej[k] / REPS, sd = sqrt(0.05 * 0.95 / REPS);
            if (getenv("CAUSA_TEST_VERBOSE")) fprintf(stderr, "%s null %d: %.3f\n", names[v], k, share);
            if (!(fabs(share - 0.05) < 3.5 * sd))
                harness_fail(__FILE__, __LINE__, "%s case %d: share of p < 0.05 is %g", names[v], k, share);
        }
    }
}

/* Power on nonlinear dependence, and the conditional structure X <- Z -> Y: dependent
 * without Z, independent given Z. */
TEST(citests_rcit_power_nonlinear) {
    causa_dataset *a = nonlinear_data(T, 1000, 2, 7, 0), *b = nonlinear_data(T, 1000, 1, 7, 1);
    causa_citest *ta = make_test(T, a, "rcit"), *tb = make_test(T, b, "rcit");
    causa_citest_work *wa = NULL, *wb = NULL;
    CHECK_OK(causa_citest_work_new(T, ta, 1, &wa));
    CHECK_OK(causa_citest_work_new(T, tb, 1, &wb));
    const int64_t z[1] = {0};
    causa_citest_result r;
    CHECK_OK(causa_citest_run(ta, wa, 1, 2, NULL, 0, &r)); /* y = sin(2x) + e: uncorrelated */
    CHECK(r.pvalue < 1e-6);
    CHECK_OK(causa_citest_run(ta, wa, 1, 2, z, 1, &r));
    CHECK(r.pvalue < 1e-6);
    CHECK_OK(causa_citest_run(tb, wb, 1, 2, NULL, 0, &r));
    CHECK(r.pvalue < 1e-6);
    CHECK_OK(causa_citest_run(tb, wb, 1, 2, z, 1, &r));
    CHECK(r.pvalue > 0.05);
    causa_citest_work_free(wa);
    causa_citest_work_free(wb);
    causa_citest_free(ta);
    causa_citest_free(tb);
    causa_dataset_free(a);
    causa_dataset_free(b);
}

/* The same query gives the same p-value for (y, x), for Z in any order, in any workspace
 * and run; another seed gives other features. */
TEST(citests_rcit_deterministic) {
    causa_dataset *ds = nonlinear_data(T, 20000, 1, 3, 0);
    causa_citest_options o;
    causa_citest_options_init(&o);
    o.name = "rcit";
    causa_citest *t = NULL, *t2 = NULL;
    CHECK_OK(causa_citest_new(T, ds, &o, &t));
    o.seed = 99;
    CHECK_OK(causa_citest_new(T, ds, &o, &t2));
    causa_citest_work *w1 = NULL, *w2 = NULL, *w3 = NULL;
    CHECK_OK(causa_citest_work_new(T, t, 2, &w1));
    CHECK_OK(causa_citest_work_new(T, t, 2, &w2));
    CHECK_OK(causa_citest_work_new(T, t2, 2, &w3));
    const int64_t z1[2] = {0, 3}, z2[2] = {3, 0};
    causa_citest_result a, b, c, d;
    CHECK_OK(causa_citest_run(t, w1, 1, 2, z1, 2, &a));
    CHECK_OK(causa_citest_run(t, w2, 2, 1, z2, 2, &b));
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    /* BLAS with one thread (as causa's algorithms run the tests) may sum in another order
     * than multi-threaded BLAS: equal to rounding, not necessarily to the bit. */
    int prev = causa_i_blas_threads_begin();
    CHECK_OK(causa_citest_run(t, w1, 1, 2, z1, 2, &c));
    causa_i_blas_threads_end(prev);
    CHECK_REL(c.pvalue, a.pvalue, 1e-5); /* LPB4 magnifies rounding (8th moments) */
    CHECK_REL(c.statistic, a.statistic, 1e-6); /* C_zz + 1e-10 I is ill-conditioned */
    CHECK_OK(causa_citest_run(t2, w3, 1, 2, z1, 2, &d));
    CHECK(d.statistic != a.statistic);
    causa_citest_work_free(w1);
    causa_citest_work_free(w2);
    causa_citest_work_free(w3);
    causa_citest_free(t);
    causa_citest_free(t2);
    causa_dataset_free(ds);
}

/* Several threads query one prepared test, each with its own workspace: the answers are
 * bit-identical to a serial run, for every test. */
TEST(citests_threads_same_answers) {
    enum { NQ = 24 };
    static const char *tests[] = {"g-square", "chi-square", "cg-lrt", "kci", "rcit", "rcot"};
    for (size_t ti = 0; ti < sizeof tests / sizeof tests[0]; ti++) {
        const char *name = tests[ti];
        causa_dataset *ds = NULL;
        if (ti < 2) ds = read_table(T, "citests/child.txt", 1, 1);
        else if (ti == 2) ds = mixed_data(T, 1500, 1, 0.2, 9, 0);
        else ds = nonlinear_data(T, ti == 3 ? 120 : 3000, 1, 11, 0);
        CHECK(ds != NULL);
        if (!ds) continue;
        int64_t p = causa_dataset_ncol(ds);
        causa_citest *t = make_test(T, ds, name);
        CHECK(t != NULL);
        int64_t qx[NQ], qy[NQ], qz[NQ][2], qn[NQ];
        causa_rng r;
        causa_rng_init(&r, 5, ti);
        for (int q = 0; q < NQ; q++) {
            int64_t perm[32];
            causa_rng_permutation(&r, perm, p);
            qx[q] = perm[0];
            qy[q] = perm[1];
            qn[q] = q % 3;
            qz[q][0] = perm[2];
            qz[q][1] = perm[3];
        }
        /* Both runs with single-threaded BLAS, as causa's algorithms run tests (the summation
         * order of multi-threaded BLAS may differ in the last bits). */
        int prev = causa_i_blas_threads_begin();
        causa_citest_result serial[NQ], par[NQ];
        causa_citest_work *w0 = NULL;
        CHECK_OK(causa_citest_work_new(T, t, 2, &w0));
        for (int q = 0; q < NQ; q++) CHECK_OK(causa_citest_run(t, w0, qx[q], qy[q], qz[q], qn[q], &serial[q]));
        causa_citest_work *w[2] = {NULL, NULL};
        CHECK_OK(causa_citest_work_new(T, t, 2, &w[0]));
        CHECK_OK(causa_citest_work_new(T, t, 2, &w[1]));
        int errors = 0;
#if defined(_OPENMP)
#pragma omp parallel for num_threads(2) schedule(static, 1) reduction(+ : errors)
#endif
        for (int q = 0; q < NQ; q++) {
            int tid = 0;
#if defined(_OPENMP)
            tid = omp_get_thread_num();
#endif
            errors += causa_citest_run(t, w[tid], qx[q], qy[q], qz[q], qn[q], &par[q]) != CAUSA_OK;
        }
        causa_i_blas_threads_end(prev);
        CHECK_INT(errors, 0);
        for (int q = 0; q < NQ; q++)
            if (memcmp(&serial[q], &par[q], sizeof par[q]) != 0)
                harness_fail(__FILE__, __LINE__, "%s query %d: p %.17g vs %.17g", name, q, serial[q].pvalue,
                             par[q].pvalue);
        causa_citest_work_free(w0);
        causa_citest_work_free(w[0]);
        causa_citest_work_free(w[1]);
        causa_citest_free(t);
        causa_dataset_free(ds);
    }
}

TEST(citests_argument_errors) {
    causa_dataset *ds = mixed_data(T, 200, 1, 0, 1, 0);
    causa_citest_options o;
    causa_citest_options_init(&o);
    causa_citest *t = NULL;
    o.name = "g-square";
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EDATA);
    CHECK_CONTAINS(causa_errmsg(T), "variable 'X2' (column 2) is continuous; the g-square test needs discrete columns");
    CHECK(t == NULL);
    o.name = "chi-square";
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EDATA);
    CHECK_CONTAINS(causa_errmsg(T), "the chi-square test needs discrete columns");
    o.name = "kci";
    o.kci_max_rows = 100;
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "200 rows are above its limit of 100 (kci_max_rows); use the rcit test");
    causa_citest_options_init(&o);
    o.name = "rcit";
    o.num_features = 0;
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EINVAL);
    CHECK_STR(causa_errmsg(T), "num_features must be in [1, 50], got 0");
    causa_citest_options_init(&o);
    o.df_rule = 7;
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EINVAL);
    causa_citest_options_init(&o);
    o.kernel_epsilon = 0;
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EINVAL);
    causa_citest_options_init(&o);
    o.min_rows_per_df = -1;
    CHECK_ERR(causa_citest_new(T, ds, &o, &t), CAUSA_EINVAL);
    /* Query errors: codes only (queries run in worker threads). */
    o.name = "cg-lrt";
    o.min_rows_per_df = 0;
    CHECK_OK(causa_citest_new(T, ds, &o, &t));
    causa_citest_work *w = NULL;
    CHECK_OK(causa_citest_work_new(T, t, 1, &w));
    causa_citest_result res;
    const int64_t z2[2] = {0, 1}, zx[1] = {2};
    CHECK_ERR(causa_citest_run(t, w, 2, 3, z2, 2, &res), CAUSA_EINVAL); /* over max_cond */
    CHECK_ERR(causa_citest_run(t, w, 2, 3, zx, 1, &res), CAUSA_EINVAL); /* x in z */
    CHECK_ERR(causa_citest_run(t, w, 2, 2, NULL, 0, &res), CAUSA_EINVAL);
    CHECK_STR(causa_citest_name(t), "cg-lrt");
    CHECK_STR(causa_citest_var_name(t, 2), "X3");
    causa_citest_work_free(w);
    causa_citest_free(t);
    causa_dataset_free(ds);
}

/* Degenerate inputs: a one-level discrete variable (df 0, p = 1), constant continuous
 * columns (p = 1 for kci and rcit; dropped from Z), and the small-sample and classic df
 * rules of g-square (pcalg's). */
TEST(citests_degenerate_inputs_and_df_rules) {
    causa_dataset *ds = read_table(T, "citests/child.txt", 1, 1);
    CHECK(ds != NULL);
    if (!ds) return;
    causa_citest_options o;
    causa_citest_options_init(&o);
    o.name = "g-square";
    causa_citest *adj = NULL, *cls = NULL, *small = NULL;
    CHECK_OK(causa_citest_new(T, ds, &o, &adj));
    o.df_rule = CAUSA_DF_CLASSIC;
    CHECK_OK(causa_citest_new(T, ds, &o, &cls));
    o.min_rows_per_df = 10;
    CHECK_OK(causa_citest_new(T, ds, &o, &small));
    causa_citest_work *w1 = NULL, *w2 = NULL, *w3 = NULL;
    CHECK_OK(causa_citest_work_new(T, adj, 4, &w1));
    CHECK_OK(causa_citest_work_new(T, cls, 4, &w2));
    CHECK_OK(causa_citest_work_new(T, small, 4, &w3));
    /* Columns 11 (6 levels) and 4 (5 levels) given 10, 16, 7, 8 (5 * 4 * 3 * 3 strata):
     * classic df = 5 * 4 * 180 = 3600 > 10000 / 10, so pcalg's rule says "too few rows". */
    const int64_t z[4] = {10, 16, 7, 8};
    causa_citest_result a, b, c;
    CHECK_OK(causa_citest_run(adj, w1, 11, 4, z, 4, &a));
    CHECK_OK(causa_citest_run(cls, w2, 11, 4, z, 4, &b));
    CHECK_OK(causa_citest_run(small, w3, 11, 4, z, 4, &c));
    CHECK_REL(b.df, 3600, 0);
    CHECK(a.df < b.df);
    CHECK_REL(a.statistic, b.statistic, 0);
    CHECK_REL(b.pvalue, causa_chisq_sf(b.statistic, 3600), 1e-12);
    CHECK_REL(c.pvalue, 1.0, 0);
    causa_citest_work_free(w1);
    causa_citest_work_free(w2);
    causa_citest_work_free(w3);
    causa_citest_free(adj);
    causa_citest_free(cls);
    causa_citest_free(small);
    causa_dataset_free(ds);

    /* One-level X: no degrees of freedom, p = 1 (causal-learn). */
    causa_dataset *m = mixed_data(T, 300, 2, 0, 3, 0);
    causa_citest *g = NULL, *k = NULL, *rc = NULL, *cg = NULL;
    causa_citest_options_init(&o);
    o.name = "cg-lrt";
    CHECK_OK(causa_citest_new(T, m, &o, &cg));
    causa_citest_work *wc = NULL;
    CHECK_OK(causa_citest_work_new(T, cg, 2, &wc));
    CHECK_OK(causa_citest_run(cg, wc, 4, 3, NULL, 0, &a));
    CHECK_REL(a.pvalue, 1.0, 0);
    CHECK_REL(a.df, 0, 0);
    /* A constant continuous column: cg-lrt drops it from Z; kci and rcit give p = 1 for it. */
    double *v = causa_dataset_data_mut(m);
    for (int64_t i = 0; i < 300; i++) v[i + 300] = 2.5; /* C constant */
    causa_citest_free(cg);
    causa_citest_work_free(wc);
    CHECK_OK(causa_citest_new(T, m, &o, &cg));
    CHECK_OK(causa_citest_work_new(T, cg, 2, &wc));
    const int64_t zc[1] = {1}, zd[2] = {0, 1}, zd1[1] = {0};
    CHECK_OK(causa_citest_run(cg, wc, 2, 3, zd, 2, &a));
    CHECK_OK(causa_citest_run(cg, wc, 2, 3, zd1, 1, &b));
    CHECK_REL(a.pvalue, b.pvalue, 0);
    o.name = "kci";
    CHECK_OK(causa_citest_new(T, m, &o, &k));
    o.name = "rcit";
    CHECK_OK(causa_citest_new(T, m, &o, &rc));
    causa_citest_work *wk = NULL, *wr = NULL;
    CHECK_OK(causa_citest_work_new(T, k, 1, &wk));
    CHECK_OK(causa_citest_work_new(T, rc, 1, &wr));
    CHECK_OK(causa_citest_run(k, wk, 1, 3, zd1, 1, &a));
    CHECK_REL(a.pvalue, 1.0, 0);
    CHECK_OK(causa_citest_run(rc, wr, 3, 1, NULL, 0, &a));
    CHECK_REL(a.pvalue, 1.0, 0);
    CHECK_OK(causa_citest_run(rc, wr, 0, 3, zc, 1, &a)); /* Z constant: RIT */
    CHECK_OK(causa_citest_run(rc, wr, 0, 3, NULL, 0, &b));
    CHECK_REL(a.pvalue, b.pvalue, 0);
    (void)g;
    causa_citest_work_free(wc);
    causa_citest_work_free(wk);
    causa_citest_work_free(wr);
    causa_citest_free(cg);
    causa_citest_free(k);
    causa_citest_free(rc);
    causa_dataset_free(m);
}

/* ---- allocation failures: every allocation of preparing a test and its workspace may
 * fail; each failure gives CAUSA_ENOMEM and leaks nothing. ---- */
static int citest_job(causa_ctx *ctx, void *ud) {
    const char *name = ud;
    causa_dataset *ds = NULL;
    int rc = CAUSA_OK;
    int discrete = strcmp(name, "g-square") == 0 || strcmp(name, "chi-square") == 0;
    if (discrete) {
        rc = causa_dataset_new(ctx, 60, 4, &ds);
        if (rc) return rc;
        double *v = causa_dataset_data_mut(ds);
        for (int64_t k = 0; k < 240; k++) v[k] = (double)((k * 7 + k / 60) % 3);
        for (int64_t j = 0; j < 4 && !rc; j++) rc = make_discrete(ctx, ds, j, 3);
    } else {
        ds = strcmp(name, "cg-lrt") == 0 ? mixed_data(ctx, 60, 1, 0.3, 2, 0) : nonlinear_data(ctx, 60, 1, 2, 0);
        if (!ds) return CAUSA_ENOMEM;
    }
    causa_citest *t = NULL;
    causa_citest_work *w = NULL;
    causa_citest_options o;
    causa_citest_options_init(&o);
    o.name = name;
    if (!rc) rc = causa_citest_new(ctx, ds, &o, &t);
    if (!rc) rc = causa_citest_work_new(ctx, t, 2, &w);
    causa_citest_result res;
    const int64_t z[2] = {0, 1};
    if (!rc) rc = causa_citest_run(t, w, 2, 3, z, discrete ? 2 : 1, &res);
    causa_citest_work_free(w);
    causa_citest_free(t);
    causa_dataset_free(ds);
    return rc;
}

TEST(citests_oom_sweeps) {
    static const char *tests[] = {"g-square", "chi-square", "cg-lrt", "kci", "rcit", "rcot"};
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
        CHECK(harness_oom_sweep(tests[i], citest_job, (void *)tests[i]) > 5);
}

/* Naive conditional-Gaussian log-likelihood of the columns vars[0..nv) (discrete ones form
 * the cells, continuous ones get a Gaussian per cell, MLE covariance), from the definition:
 * sum_cells n_c log(n_c / N) - n_c / 2 (log det S_c + k log(2 pi) + k). Also returns the
 * number of parameters (cells - 1) + cells (k + k (k + 1) / 2). */
static double naive_cg_loglik(const causa_dataset *ds, const int64_t *vars, int nv, double *nparams) {
    int64_t n = causa_dataset_nrow(ds);
    int64_t disc[8], cont[8], nd = 0, nc = 0;
    for (int i = 0; i < nv; i++) {
        if (causa_dataset_type(ds, vars[i]) == CAUSA_DISCRETE) disc[nd++] = vars[i];
        else cont[nc++] = vars[i];
    }
    int64_t *cell = malloc((size_t)n * sizeof *cell), ncell = 0, *rep = malloc((size_t)n * sizeof *rep);
    for (int64_t i = 0; i < n; i++) {
        int64_t c = -1;
        for (int64_t t = 0; t < ncell && c < 0; t++) {
            int same = 1;
            for (int64_t k = 0; k < nd && same; k++)
                same = causa_dataset_column(ds, disc[k])[i] == causa_dataset_column(ds, disc[k])[rep[t]];
            if (same) c = t;
        }
        if (c < 0) {
            rep[ncell] = i;
            c = ncell++;
        }
        cell[i] = c;
    }
    double ll = 0;
    for (int64_t c = 0; c < ncell; c++) {
        double m = 0, mean[8] = {0}, s[64] = {0};
        for (int64_t i = 0; i < n; i++)
            if (cell[i] == c) {
                m += 1;
                for (int64_t a = 0; a < nc; a++) mean[a] += causa_dataset_column(ds, cont[a])[i];
            }
        for (int64_t a = 0; a < nc; a++) mean[a] /= m;
        for (int64_t i = 0; i < n; i++)
            if (cell[i] == c)
                for (int64_t a = 0; a < nc; a++)
                    for (int64_t b = 0; b < nc; b++)
                        s[a * nc + b] += (causa_dataset_column(ds, cont[a])[i] - mean[a]) *
                                         (causa_dataset_column(ds, cont[b])[i] - mean[b]) / m;
        /* log det by Cholesky */
        double ld = 0;
        for (int64_t j = 0; j < nc; j++) {
            double d = s[j * nc + j];
            for (int64_t k = 0; k < j; k++) d -= s[j * nc + k] * s[j * nc + k];
            d = sqrt(d);
            ld += 2 * log(d);
            s[j * nc + j] = d;
            for (int64_t i = j + 1; i < nc; i++) {
                double e = s[i * nc + j];
                for (int64_t k = 0; k < j; k++) e -= s[i * nc + k] * s[j * nc + k];
                s[i * nc + j] = e / d;
            }
        }
        ll += m * log(m / (double)n) - m / 2 * (ld + (double)nc * log(2 * M_PI) + (double)nc);
    }
    *nparams = (double)(ncell - 1) + (double)ncell * (double)(nc + nc * (nc + 1) / 2);
    free(cell);
    free(rep);
    return ll;
}

/* cg-lrt against the definition G = 2 [L(X,Y,Z) - L(Y,Z) - L(X,Z) + L(Z)], df the difference
 * of parameter counts, for each kind of pair, on data whose cells are all large (no pruning). */
TEST(citests_cglrt_matches_definition) {
    for (int kind = 0; kind < 3; kind++) {
        causa_dataset *ds = mixed_data(T, 900, kind, 0.2, 21, (uint64_t)kind);
        causa_citest *t = make_test(T, ds, "cg-lrt");
        causa_citest_work *w = NULL;
        CHECK_OK(causa_citest_work_new(T, t, 2, &w));
        const int64_t z[2] = {0, 1};
        causa_citest_result res;
        CHECK_OK(causa_citest_run(t, w, 2, 3, z, 2, &res));
        int64_t sxy[4] = {2, 3, 0, 1}, sy[3] = {3, 0, 1}, sx[3] = {2, 0, 1}, s0[2] = {0, 1};
        double pxy, py, px, p0;
        double g = 2 * (naive_cg_loglik(ds, sxy, 4, &pxy) - naive_cg_loglik(ds, sy, 3, &py) -
                        naive_cg_loglik(ds, sx, 3, &px) + naive_cg_loglik(ds, s0, 2, &p0));
        CHECK_REL(res.statistic, g, 1e-9);
        CHECK_REL(res.df, pxy - py - px + p0, 0);
        CHECK_INT(res.singular, 0);
        causa_citest_work_free(w);
        causa_citest_free(t);
        causa_dataset_free(ds);
    }
}
