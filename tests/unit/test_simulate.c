/*
 * test_simulate.c: the random-graph generators (scale-free, layered), the random-SCM
 * simulator (determinism, standardisation, discrete nodes, the written files byte for byte
 * on one and two threads) and the VAR simulator (stability, recovery of the lag matrix by
 * least squares, the full time graph), with out-of-memory sweeps.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/internal.h"
#include "harness.h"

/* ---- random graphs ---- */

static int64_t longest_path(const causa_graph *g) {
    int64_t p = causa_graph_nnodes(g), *order = malloc((size_t)p * sizeof *order),
            *len = calloc((size_t)p, sizeof *len), best = 0;
    CHECK_OK(causa_graph_topological_order(T, g, order));
    for (int64_t i = 0; i < p; i++) {
        int64_t v = order[i];
        for (int64_t k = 0; k < causa_graph_degree(g, v); k++) {
            int64_t w;
            int mv, mw;
            causa_graph_neighbor(g, v, k, &w, &mv, &mw);
            if (mv == CAUSA_MARK_TAIL && mw == CAUSA_MARK_ARROW && len[w] < len[v] + 1) len[w] = len[v] + 1;
        }
        if (len[v] > best) best = len[v];
    }
    free(order);
    free(len);
    return best;
}

TEST(simulate_graph_scale_free) {
    causa_graph *g = NULL, *h = NULL;
    CHECK_OK(causa_graph_random_scale_free(T, 2000, 4.0, 7, &g));
    CHECK_INT(causa_graph_kind(g), CAUSA_KIND_DAG);
    int kind = -1;
    CHECK_OK(causa_graph_infer_kind(T, g, &kind));
    CHECK_INT(kind, CAUSA_KIND_DAG);
    double avg = 2.0 * (double)causa_graph_nedges(g) / 2000.0;
    CHECK_ABS(avg, 4.0, 0.1);
    int64_t maxdeg = 0;
    for (int64_t v = 0; v < 2000; v++) maxdeg = CAUSA_MAX(maxdeg, causa_graph_degree(g, v));
    CHECK(maxdeg > 40); /* hubs: far above the average, as a power law gives */
    /* Same seed, same graph; another seed, another graph. */
    CHECK_OK(causa_graph_random_scale_free(T, 2000, 4.0, 7, &h));
    causa_graph_metrics m;
    CHECK_OK(causa_graph_compare(T, g, h, &m));
    CHECK_INT(m.shd, 0);
    causa_graph_free(h);
    CHECK_OK(causa_graph_random_scale_free(T, 2000, 4.0, 8, &h));
    CHECK_OK(causa_graph_compare(T, g, h, &m));
    CHECK(m.shd > 100);
    causa_graph_free(h);
    causa_graph_free(g);
    /* Odd degrees, tiny graphs, errors. */
    CHECK_OK(causa_graph_random_scale_free(T, 500, 3.0, 1, &g));
    CHECK_ABS(2.0 * (double)causa_graph_nedges(g) / 500.0, 3.0, 0.2);
    causa_graph_free(g);
    CHECK_OK(causa_graph_random_scale_free(T, 1, 0.0, 1, &g));
    CHECK_INT(causa_graph_nedges(g), 0);
    causa_graph_free(g);
    CHECK_OK(causa_graph_random_scale_free(T, 4, 3.0, 1, &g));
    /* 1.5 parents per node on average, fewer for the first: 0 + 1 + (1|2) + (1|2). */
    CHECK(causa_graph_nedges(g) >= 3 && causa_graph_nedges(g) <= 5);
    causa_graph_free(g);
    CHECK_ERR(causa_graph_random_scale_free(T, 10, 12.0, 1, &g), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "expected degree");
    CHECK_ERR(causa_graph_random_scale_free(T, 0, 1.0, 1, &g), CAUSA_EINVAL);
}

TEST(simulate_graph_layered) {
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_random_layered(T, 1000, 3.0, 5, 3, &g));
    CHECK_INT(causa_graph_kind(g), CAUSA_KIND_DAG);
    CHECK_ABS(2.0 * (double)causa_graph_nedges(g) / 1000.0, 3.0, 0.15);
    CHECK(longest_path(g) <= 4);
    causa_graph_free(g);
    /* Default layers: round(sqrt(20)) = 4. */
    CHECK_OK(causa_graph_random_layered(T, 20, 2.0, 0, 3, &g));
    CHECK(longest_path(g) <= 3);
    causa_graph_free(g);
    /* Two layers of 5 hold at most 25 edges: degree 5 at most. */
    CHECK_ERR(causa_graph_random_layered(T, 10, 6.0, 2, 3, &g), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "use fewer layers");
    CHECK_OK(causa_graph_random_layered(T, 10, 5.0, 2, 3, &g));
    CHECK_INT(causa_graph_nedges(g), 25);
    causa_graph_free(g);
    CHECK_ERR(causa_graph_random_layered(T, 10, 1.0, 11, 3, &g), CAUSA_EINVAL);
}

/* ---- random SCMs ---- */

static double col_mean(const double *x, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += x[i];
    return s / (double)n;
}

static double col_sd(const double *x, int64_t n) {
    double m = col_mean(x, n), s = 0;
    for (int64_t i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
    return sqrt(s / (double)(n - 1));
}

TEST(simulate_one_is_keyed_and_standardised) {
    causa_sim_options o;
    causa_sim_options_init(&o);
    o.nodes = 15;
    o.degree = 3;
    o.mechanism = CAUSA_SIM_MIXED;
    o.noise = CAUSA_SIM_NOISE_MIXED;
    o.n = 4000;
    o.datasets = 3;
    o.seed = 42;
    causa_dataset *a = NULL, *b = NULL, *c = NULL;
    causa_graph *g = NULL;
    causa_scm *m = NULL;
    CHECK_OK(causa_simulate_one(T, &o, 1, &a, &g, &m));
    CHECK_OK(causa_simulate_one(T, &o, 1, &b, NULL, NULL));
    CHECK_OK(causa_simulate_one(T, &o, 2, &c, NULL, NULL));
    CHECK_INT(causa_dataset_nrow(a), 4000);
    CHECK_INT(causa_dataset_ncol(a), 15);
    CHECK(memcmp(causa_dataset_data(a), causa_dataset_data(b), 4000 * 15 * sizeof(double)) == 0);
    CHECK(memcmp(causa_dataset_data(a), causa_dataset_data(c), 4000 * 15 * sizeof(double)) != 0);
    CHECK_STR(causa_dataset_name(a, 0), "X1");
    CHECK_INT(causa_scm_nnodes(m), 15);
    CHECK_INT(causa_graph_nedges(causa_scm_graph(m)), causa_graph_nedges(g));
    /* Every column about mean 0, sd 1. The pilot has 256 rows: a few percent off, more
     * for polynomials of polynomials, whose tails are heavy. */
    for (int64_t j = 0; j < 15; j++) {
        const double *x = causa_dataset_column(a, j);
        int poly = causa_scm_mechanism_kind(m, j) == CAUSA_MECH_POLY;
        CHECK_ABS(col_mean(x, 4000), 0.0, poly ? 0.5 : 0.25);
        CHECK_ABS(col_sd(x, 4000), 1.0, poly ? 1.5 : 0.25);
    }
    /* A linear model is standardised exactly (covariance propagation, no pilot). */
    o.mechanism = CAUSA_SIM_LINEAR;
    o.n = 100000;
    causa_dataset *lin = NULL;
    CHECK_OK(causa_simulate_one(T, &o, 0, &lin, NULL, NULL));
    for (int64_t j = 0; j < 15; j++) {
        const double *x = causa_dataset_column(lin, j);
        CHECK_ABS(col_mean(x, 100000), 0.0, 0.02);
        CHECK_ABS(col_sd(x, 100000), 1.0, 0.02);
    }
    causa_dataset_free(lin);
    /* The mechanisms are the families asked for. */
    int kinds[8] = {0};
    for (int64_t v = 0; v < 15; v++) kinds[causa_scm_mechanism_kind(m, v)]++;
    CHECK(kinds[CAUSA_MECH_ROOT] >= 1);
    CHECK(kinds[CAUSA_MECH_LINEAR] + kinds[CAUSA_MECH_POLY] + kinds[CAUSA_MECH_MLP] + kinds[CAUSA_MECH_ROOT] == 15);
    /* Resampling the returned model with the data set's row seed is not needed to agree,
     * but sampling it must work. */
    causa_dataset *d = NULL;
    CHECK_OK(causa_scm_sample(T, m, 10, NULL, &d));
    causa_dataset_free(d);
    causa_dataset_free(a);
    causa_dataset_free(b);
    causa_dataset_free(c);
    causa_graph_free(g);
    causa_scm_free(m);
}

TEST(simulate_raw_linear_weights) {
    causa_sim_options o;
    causa_sim_options_init(&o);
    o.nodes = 30;
    o.degree = 4;
    o.standardize = 0;
    o.graph = CAUSA_SIM_GRAPH_SCALE_FREE;
    o.seed = 3;
    causa_scm *m = NULL;
    CHECK_OK(causa_simulate_one(T, &o, 0, NULL, NULL, &m));
    for (int64_t v = 0; v < 30; v++) {
        causa_mechanism mech;
        CHECK_OK(causa_scm_mechanism(m, v, &mech));
        if (mech.kind == CAUSA_MECH_ROOT) {
            CHECK(mech.noise.scale >= 0.5 && mech.noise.scale <= 1.0);
            continue;
        }
        CHECK_INT(mech.kind, CAUSA_MECH_LINEAR);
        CHECK_ABS(mech.intercept, 0.0, 0.0);
        for (int64_t j = 0; j < mech.ncoefs; j++) CHECK(fabs(mech.coefs[j]) >= 0.5 && fabs(mech.coefs[j]) <= 2.0);
        CHECK(mech.noise.scale >= 0.5 && mech.noise.scale <= 1.0);
    }
    causa_scm_free(m);
}

TEST(simulate_discrete_nodes) {
    causa_sim_options o;
    causa_sim_options_init(&o);
    o.nodes = 20;
    o.discrete_fraction = 0.4;
    o.max_levels = 4;
    o.mechanism = CAUSA_SIM_MLP;
    o.graph = CAUSA_SIM_GRAPH_LAYERED;
    o.n = 500;
    o.seed = 9;
    causa_dataset *ds = NULL;
    causa_scm *m = NULL;
    CHECK_OK(causa_simulate_one(T, &o, 0, &ds, NULL, &m));
    int nd = 0;
    for (int64_t j = 0; j < 20; j++) {
        if (causa_dataset_type(ds, j) != CAUSA_DISCRETE) {
            int k = causa_scm_mechanism_kind(m, j);
            CHECK(k == CAUSA_MECH_ROOT || k == CAUSA_MECH_MLP);
            continue;
        }
        nd++;
        int64_t L = causa_dataset_nlevels(ds, j);
        CHECK(L >= 2 && L <= 4);
        CHECK_STR(causa_dataset_level(ds, j, 1), "1");
        int k = causa_scm_mechanism_kind(m, j);
        CHECK(k == CAUSA_MECH_CPT || k == CAUSA_MECH_LOGISTIC);
        const double *x = causa_dataset_column(ds, j);
        for (int i = 0; i < 500; i++) CHECK(x[i] >= 0 && x[i] < (double)L && x[i] == floor(x[i]));
    }
    CHECK_INT(nd, 8);
    causa_dataset_free(ds);
    causa_scm_free(m);
}

TEST(simulate_fit_round_trip) {
    /* Raw linear-Gaussian data: fitting the true graph recovers the simulated weights. */
    causa_sim_options o;
    causa_sim_options_init(&o);
    o.nodes = 10;
    o.degree = 2;
    o.n = 20000;
    o.standardize = 0;
    o.seed = 5;
    causa_dataset *ds = NULL;
    causa_graph *g = NULL;
    causa_scm *truth = NULL, *fit = NULL;
    CHECK_OK(causa_simulate_one(T, &o, 0, &ds, &g, &truth));
    causa_fit_options fo;
    causa_fit_options_init(&fo);
    fo.family = CAUSA_FIT_LINEAR;
    fo.folds = 0;
    fo.check_rows = 0;
    CHECK_OK(causa_scm_fit(T, ds, g, &fo, &fit, NULL));
    for (int64_t v = 0; v < 10; v++) {
        causa_mechanism a, b;
        causa_scm_mechanism(truth, v, &a);
        causa_scm_mechanism(fit, v, &b);
        CHECK_INT(a.kind, b.kind);
        for (int64_t j = 0; j < a.ncoefs; j++) CHECK_ABS(b.coefs[j], a.coefs[j], 0.03);
    }
    causa_scm_free(fit);
    causa_scm_free(truth);
    causa_graph_free(g);
    causa_dataset_free(ds);
}

static int count_visit(void *ud, causa_ctx *wctx, int64_t k, const causa_dataset *data,
                       const causa_graph *graph, const causa_scm *model) {
    (void)wctx;
    (void)graph;
    (void)model;
    unsigned char *seen = ud;
    if (causa_dataset_nrow(data) != 50) return CAUSA_EINTERNAL;
#pragma omp critical
    seen[k]++;
    return CAUSA_OK;
}

static int fail_visit(void *ud, causa_ctx *wctx, int64_t k, const causa_dataset *data,
                      const causa_graph *graph, const causa_scm *model) {
    (void)ud;
    (void)data;
    (void)graph;
    (void)model;
    if (k == 3 || k == 5) return causa_i_error(wctx, CAUSA_EDATA, "visit failed at %lld", (long long)k);
    return CAUSA_OK;
}

TEST(simulate_parallel_visits_each_once) {
    causa_sim_options o;
    causa_sim_options_init(&o);
    o.nodes = 6;
    o.n = 50;
    o.datasets = 40;
    unsigned char seen[40] = {0};
    CHECK_OK(causa_ctx_set_threads(T, 2));
    CHECK_OK(causa_simulate(T, &o, count_visit, seen));
    for (int k = 0; k < 40; k++) CHECK_INT(seen[k], 1);
    CHECK_OK(causa_simulate(T, &o, NULL, NULL));
    /* The first failing data set is the one reported. */
    CHECK_ERR(causa_simulate(T, &o, fail_visit, NULL), CAUSA_EDATA);
    CHECK_CONTAINS(causa_errmsg(T), "data set 4: visit failed at 3");
    CHECK_OK(causa_ctx_set_threads(T, 1));
    CHECK_ERR(causa_simulate(T, &o, fail_visit, NULL), CAUSA_EDATA);
    CHECK_CONTAINS(causa_errmsg(T), "data set 4: visit failed at 3");
}

/* ---- files: byte for byte on one and two threads ---- */

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = -1;
    fclose(f);
    *len = (size_t)n;
    return s;
}

/* Compares every file of the data set folders of two runs. Returns the number of files. */
static int same_tree(const char *a, const char *b, int64_t datasets, const char *const *files, int nfiles) {
    int count = 0;
    for (int64_t k = 1; k <= datasets; k++)
        for (int f = 0; f < nfiles; f++) {
            char pa[1024], pb[1024];
            snprintf(pa, sizeof pa, "%s/dataset_%04lld/%s", a, (long long)k, files[f]);
            snprintf(pb, sizeof pb, "%s/dataset_%04lld/%s", b, (long long)k, files[f]);
            size_t la = 0, lb = 0;
            char *x = slurp(pa, &la), *y = slurp(pb, &lb);
            CHECK(x != NULL && y != NULL);
            if (x && y) {
                if (la != lb || memcmp(x, y, la) != 0) harness_fail(__FILE__, __LINE__, "%s differs from %s", pa, pb);
                else count++;
            }
            free(x);
            free(y);
        }
    return count;
}

TEST(simulate_write_same_bytes_on_any_thread_count) {
    causa_sim_options o;
    causa_sim_options_init(&o);
    o.nodes = 8;
    o.degree = 2;
    o.mechanism = CAUSA_SIM_MIXED;
    o.noise = CAUSA_SIM_NOISE_MIXED;
    o.discrete_fraction = 0.25;
    o.n = 200;
    o.datasets = 6;
    o.seed = 2024;
    char d1[1024], d2[1024];
    snprintf(d1, sizeof d1, "%s/one", harness_tmpdir());
    snprintf(d2, sizeof d2, "%s/two", harness_tmpdir());
    CHECK_OK(causa_simulate_write(T, &o, d1));
    CHECK_OK(causa_ctx_set_threads(T, 2));
    CHECK_OK(causa_simulate_write(T, &o, d2));
    const char *files[] = {"data.csv", "graph.json", "model.json"};
    CHECK_INT(same_tree(d1, d2, 6, files, 3), 18);
    /* The model file reads back and the graph too. */
    char path[1100];
    snprintf(path, sizeof path, "%s/dataset_0003/model.json", d1);
    causa_scm *m = NULL;
    CHECK_OK(causa_scm_read(T, path, &m));
    CHECK_INT(causa_scm_nnodes(m), 8);
    causa_dataset *mine = NULL;
    CHECK_OK(causa_simulate_one(T, &o, 2, &mine, NULL, NULL));
    snprintf(path, sizeof path, "%s/dataset_0003/data.csv", d1);
    causa_dataset *back = NULL;
    CHECK_OK(causa_csv_read(T, path, NULL, &back));
    CHECK_INT(causa_dataset_nrow(back), 200);
    for (int64_t j = 0; j < 8; j++)
        if (causa_dataset_type(mine, j) == CAUSA_CONTINUOUS)
            CHECK(memcmp(causa_dataset_column(mine, j), causa_dataset_column(back, j), 200 * sizeof(double)) == 0);
    causa_dataset_free(back);
    causa_dataset_free(mine);
    causa_scm_free(m);
    /* .npy and Tetrad text. */
    o.data_format = 1;
    o.graph_format = CAUSA_FORMAT_TETRAD;
    o.datasets = 2;
    snprintf(d1, sizeof d1, "%s/npy1", harness_tmpdir());
    snprintf(d2, sizeof d2, "%s/npy2", harness_tmpdir());
    CHECK_OK(causa_simulate_write(T, &o, d1));
    CHECK_OK(causa_ctx_set_threads(T, 1));
    CHECK_OK(causa_simulate_write(T, &o, d2));
    const char *files2[] = {"data.npy", "graph.txt", "model.json"};
    CHECK_INT(same_tree(d1, d2, 2, files2, 3), 6);
    /* Errors. */
    o.graph_format = CAUSA_FORMAT_SVG;
    CHECK_ERR(causa_simulate_write(T, &o, d1), CAUSA_EINVAL);
    o.graph_format = CAUSA_FORMAT_JSON;
    snprintf(path, sizeof path, "%s/npy1/dataset_0001/data.npy", harness_tmpdir());
    CHECK_ERR(causa_simulate_write(T, &o, path), CAUSA_EIO);
    CHECK_CONTAINS(causa_errmsg(T), "a file of that name exists");
}

TEST(simulate_option_errors) {
    causa_sim_options o;
    causa_sim_options_init(&o);
    causa_dataset *ds = NULL;
    o.nodes = 0;
    CHECK_ERR(causa_simulate_one(T, &o, 0, &ds, NULL, NULL), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "nodes");
    causa_sim_options_init(&o);
    o.discrete_fraction = 1.5;
    CHECK_ERR(causa_simulate_one(T, &o, 0, &ds, NULL, NULL), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "discrete fraction");
    causa_sim_options_init(&o);
    CHECK_ERR(causa_simulate_one(T, &o, 1, &ds, NULL, NULL), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "out of range");
    o.degree = 25;
    CHECK_ERR(causa_simulate_one(T, &o, 0, &ds, NULL, NULL), CAUSA_EINVAL);
    CHECK_STR(causa_sim_graph_name(CAUSA_SIM_GRAPH_SCALE_FREE), "scale-free");
    CHECK_INT(causa_sim_graph_from_name("Layered"), CAUSA_SIM_GRAPH_LAYERED);
    CHECK_INT(causa_sim_mechanism_from_name("mlp"), CAUSA_SIM_MLP);
    CHECK_INT(causa_sim_noise_from_name("laplace"), CAUSA_SIM_NOISE_LAPLACE);
    CHECK_INT(causa_sim_noise_from_name("cauchy"), -1);
    CHECK(ds == NULL);
}

/* ---- VAR ---- */

TEST(simulate_var_recovers_its_lag_matrix) {
    /* No contemporaneous effects, one lag: least squares of X_t on X_{t-1} gives B_1. */
    causa_var_options o;
    causa_var_options_init(&o);
    o.nodes = 4;
    o.lags = 1;
    o.degree = 0;
    o.lag_degree = 2;
    o.n = 40000;
    o.seed = 17;
    causa_dataset *ds = NULL;
    causa_graph *win = NULL;
    double *B = NULL;
    CHECK_OK(causa_var_simulate(T, &o, 0, &ds, &win, &B));
    int64_t n = causa_dataset_nrow(ds), p = 4;
    const double *x = causa_dataset_data(ds);
    /* Normal equations on lagged values (means ~ 0; the intercept is left out). */
    double G[16] = {0}, R[16] = {0};
    for (int64_t t = 1; t < n; t++)
        for (int64_t a = 0; a < p; a++)
            for (int64_t b = 0; b < p; b++) {
                G[a * 4 + b] += x[a * n + t - 1] * x[b * n + t - 1];
                R[a * 4 + b] += x[a * n + t] * x[b * n + t - 1]; /* to a, from b */
            }
    /* Solve A G = R by Gauss-Jordan on G (symmetric positive definite). */
    double inv[16];
    for (int i = 0; i < 16; i++) inv[i] = i % 5 == 0;
    for (int c = 0; c < 4; c++) {
        double d = G[c * 4 + c];
        for (int j = 0; j < 4; j++) {
            G[c * 4 + j] /= d;
            inv[c * 4 + j] /= d;
        }
        for (int r = 0; r < 4; r++) {
            if (r == c) continue;
            double f = G[r * 4 + c];
            for (int j = 0; j < 4; j++) {
                G[r * 4 + j] -= f * G[c * 4 + j];
                inv[r * 4 + j] -= f * inv[c * 4 + j];
            }
        }
    }
    int nonzero = 0;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++) {
            double est = 0;
            for (int c = 0; c < 4; c++) est += R[a * 4 + c] * inv[c * 4 + b];
            CHECK_ABS(est, B[(1 * 4 + a) * 4 + b], 0.02);
            nonzero += B[(1 * 4 + a) * 4 + b] != 0.0;
            CHECK_ABS(B[a * 4 + b], 0.0, 0.0); /* no contemporaneous effects */
        }
    CHECK(nonzero >= 4);
    /* The window graph: 8 nodes, one edge per lag effect, labelled. */
    CHECK_INT(causa_graph_nnodes(win), 8);
    CHECK_INT(causa_graph_nedges(win), nonzero);
    CHECK_STR(causa_graph_name(win, 0), "X1[t-1]");
    CHECK_STR(causa_graph_name(win, 7), "X4[t]");
    causa_graph_free(win);
    causa_free(T, B);
    causa_dataset_free(ds);
}

TEST(simulate_var_is_stable_and_keyed) {
    causa_var_options o;
    causa_var_options_init(&o);
    o.nodes = 10;
    o.lags = 3;
    o.degree = 2;
    o.lag_degree = 3;
    o.weight_low = 0.8; /* strong: needs the stability scaling */
    o.weight_high = 1.5;
    o.noise = CAUSA_SIM_NOISE_MIXED;
    o.n = 5000;
    o.datasets = 3;
    o.seed = 8;
    causa_dataset *a = NULL, *b = NULL;
    causa_graph *win = NULL;
    CHECK_OK(causa_var_simulate(T, &o, 2, &a, &win, NULL));
    CHECK_OK(causa_var_simulate(T, &o, 2, &b, NULL, NULL));
    CHECK(memcmp(causa_dataset_data(a), causa_dataset_data(b), 5000 * 10 * sizeof(double)) == 0);
    /* Stable: the second half is not larger than the first. */
    for (int64_t j = 0; j < 10; j++) {
        const double *x = causa_dataset_column(a, j);
        double s1 = col_sd(x, 2500), s2 = col_sd(x + 2500, 2500);
        CHECK(s2 < 1.5 * s1 && s1 < 1.5 * s2);
        CHECK(s1 < 1e3);
    }
    CHECK_INT(causa_graph_nnodes(win), 40);
    CHECK_INT(causa_graph_kind(win), CAUSA_KIND_DAG);
    char dir1[1024], dir2[1024];
    snprintf(dir1, sizeof dir1, "%s/var1", harness_tmpdir());
    snprintf(dir2, sizeof dir2, "%s/var2", harness_tmpdir());
    CHECK_OK(causa_var_write(T, &o, dir1));
    CHECK_OK(causa_ctx_set_threads(T, 2));
    CHECK_OK(causa_var_write(T, &o, dir2));
    const char *files[] = {"data.csv", "graph.json", "summary.csv", "coefs.csv"};
    CHECK_INT(same_tree(dir1, dir2, 3, files, 4), 12);
    causa_graph_free(win);
    causa_dataset_free(a);
    causa_dataset_free(b);
    o.max_radius = 1.0;
    CHECK_ERR(causa_var_simulate(T, &o, 0, &a, NULL, NULL), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "max radius");
}

/* ---- out of memory ---- */

static int sim_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    causa_sim_options o;
    causa_sim_options_init(&o);
    o.nodes = 6;
    o.degree = 2;
    o.mechanism = CAUSA_SIM_MIXED;
    o.discrete_fraction = 0.3;
    o.n = 30;
    causa_dataset *ds = NULL;
    causa_graph *g = NULL;
    causa_scm *m = NULL;
    int rc = causa_simulate_one(ctx, &o, 0, &ds, &g, &m);
    causa_dataset_free(ds);
    causa_graph_free(g);
    causa_scm_free(m);
    if (rc) return rc;
    causa_graph *h = NULL;
    rc = causa_graph_random_scale_free(ctx, 30, 3.0, 1, &h);
    causa_graph_free(h);
    h = NULL;
    if (!rc) rc = causa_graph_random_layered(ctx, 30, 3.0, 3, 1, &h);
    causa_graph_free(h);
    return rc;
}

static int var_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    causa_var_options o;
    causa_var_options_init(&o);
    o.lags = 2;
    o.n = 20;
    o.burn_in = 5;
    causa_dataset *ds = NULL;
    causa_graph *g = NULL;
    double *B = NULL;
    int rc = causa_var_simulate(ctx, &o, 0, &ds, &g, &B);
    causa_free(ctx, B);
    causa_graph_free(g);
    causa_dataset_free(ds);
    return rc;
}

TEST(simulate_out_of_memory) {
    CHECK(harness_oom_sweep("causa_simulate_one", sim_job, NULL) > 30);
    CHECK(harness_oom_sweep("causa_var_simulate", var_job, NULL) > 10);
}
