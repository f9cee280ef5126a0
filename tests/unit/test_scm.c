/*
 * test_scm.c: structural causal models: construction and checks, sampling moments against
 * the analytic moments of linear-Gaussian models (observational and interventional),
 * exact counterfactuals, BIF sampling frequencies against the tables (chi-square), the
 * model file round trip, thread-count independence, ACE, memory faults and errors.
 */
#include <stdlib.h>

#include "../../src/scm/scm_i.h"
#include "harness.h"
#include "util.h"

#define TRY(expr)                                                                          \
    do {                                                                                   \
        rc = (expr);                                                                       \
        if (rc != CAUSA_OK) goto done;                                                     \
    } while (0)

/* ---- helpers ---- */

/* Inverse of a small dense matrix (row-major, Gauss-Jordan with partial pivoting). */
static void invert(const double *a, int n, double *inv) {
    double m[16 * 32];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 2 * n; j++) m[i * 2 * n + j] = j < n ? a[i * n + j] : (j - n == i);
    for (int c = 0; c < n; c++) {
        int piv = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(m[r * 2 * n + c]) > fabs(m[piv * 2 * n + c])) piv = r;
        for (int j = 0; j < 2 * n; j++) {
            double t = m[c * 2 * n + j];
            m[c * 2 * n + j] = m[piv * 2 * n + j];
            m[piv * 2 * n + j] = t;
        }
        double d = m[c * 2 * n + c];
        for (int j = 0; j < 2 * n; j++) m[c * 2 * n + j] /= d;
        for (int r = 0; r < n; r++) {
            if (r == c) continue;
            double f = m[r * 2 * n + c];
            for (int j = 0; j < 2 * n; j++) m[r * 2 * n + j] -= f * m[c * 2 * n + j];
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) inv[i * n + j] = m[i * 2 * n + n + j];
}

/* The analytic moments of X = B X + c + N, N independent with means mu and variances d:
 * mean = A (c + mu), cov = A D A' with A = (I - B)^-1. B[v * n + u] is the weight u -> v. */
static void linear_moments(const double *B, const double *c, const double *mu, const double *d,
                           int n, double *mean, double *cov) {
    double ib[16 * 16], a[16 * 16];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) ib[i * n + j] = (i == j) - B[i * n + j];
    invert(ib, n, a);
    for (int i = 0; i < n; i++) {
        mean[i] = 0;
        for (int k = 0; k < n; k++) mean[i] += a[i * n + k] * (c[k] + mu[k]);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += a[i * n + k] * d[k] * a[j * n + k];
            cov[i * n + j] = s;
        }
}

/* Checks the sample mean and covariance of ds against mean/cov within z standard errors. */
static void check_moments(const causa_dataset *ds, const double *mean, const double *cov, int n,
                          double z) {
    int64_t rows = causa_dataset_nrow(ds);
    double m[16];
    for (int i = 0; i < n; i++) {
        const double *x = causa_dataset_column(ds, i);
        double s = 0;
        for (int64_t r = 0; r < rows; r++) s += x[r];
        m[i] = s / (double)rows;
        double se = sqrt(cov[i * n + i] / (double)rows);
        if (cov[i * n + i] == 0) CHECK_ABS(m[i], mean[i], 1e-12);
        else if (!(fabs(m[i] - mean[i]) <= z * se))
            harness_fail(__FILE__, __LINE__, "mean of %s = %g, expected %g (se %g)",
                         causa_dataset_name(ds, i), m[i], mean[i], se);
    }
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++) {
            const double *x = causa_dataset_column(ds, i), *y = causa_dataset_column(ds, j);
            double s = 0;
            for (int64_t r = 0; r < rows; r++) s += (x[r] - m[i]) * (y[r] - m[j]);
            s /= (double)(rows - 1);
            double want = cov[i * n + j];
            /* Var of a Gaussian sample covariance: (s_ii s_jj + s_ij^2) / n. */
            double se = sqrt((cov[i * n + i] * cov[j * n + j] + want * want) / (double)rows);
            if (se == 0) CHECK_ABS(s, want, 1e-12);
            else if (!(fabs(s - want) <= z * se))
                harness_fail(__FILE__, __LINE__, "cov(%s, %s) = %g, expected %g (se %g)",
                             causa_dataset_name(ds, i), causa_dataset_name(ds, j), s, want, se);
        }
}

/* The diamond A -> B, A -> C, B -> D, C -> D plus A -> D, linear-Gaussian. */
static const char *const diamond_names[] = {"A", "B", "C", "D"};
static const int64_t diamond_edges[][2] = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {0, 3}};

static causa_scm *diamond(double *B, double *c, double *mu, double *d) {
    causa_graph *g = graph_of(4, diamond_names, diamond_edges, 5);
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_new(T, g, &scm));
    causa_graph_free(g);
    memset(B, 0, 16 * sizeof *B);
    /* weights: B = 0.8 A; C = -1.3 A; D = 0.4 A + 0.7 B - 0.55 C */
    B[1 * 4 + 0] = 0.8, B[2 * 4 + 0] = -1.3;
    B[3 * 4 + 0] = 0.4, B[3 * 4 + 1] = 0.7, B[3 * 4 + 2] = -0.55;
    double wb[] = {0.8}, wc[] = {-1.3}, wd[] = {0.4, 0.7, -0.55};
    c[0] = 0, c[1] = 1.5, c[2] = -0.25, c[3] = 2.0;
    mu[0] = 0.75, mu[1] = 0, mu[2] = 0, mu[3] = 0;
    d[0] = 2.25, d[1] = 0.49, d[2] = 1.0, d[3] = 0.36;
    causa_dist na = causa_dist_gaussian(0.75, 1.5), nb = causa_dist_gaussian(0, 0.7),
               nc = causa_dist_gaussian(0, 1.0), nd = causa_dist_gaussian(0, 0.6);
    CHECK_OK(causa_scm_set_root(T, scm, 0, &na));
    CHECK_OK(causa_scm_set_linear(T, scm, 1, c[1], wb, &nb));
    CHECK_OK(causa_scm_set_linear(T, scm, 2, c[2], wc, &nc));
    CHECK_OK(causa_scm_set_linear(T, scm, 3, c[3], wd, &nd));
    return scm;
}

/* ---- construction ---- */

TEST(scm_construction) {
    double B[16], c[4], mu[4], d[4];
    causa_scm *scm = diamond(B, c, mu, d);
    CHECK_INT(causa_scm_nnodes(scm), 4);
    CHECK_STR(causa_scm_name(scm, 3), "D");
    CHECK_INT(causa_scm_find(scm, "C"), 2);
    CHECK_INT(causa_scm_find(scm, "nope"), -1);
    int64_t np = 0;
    const int64_t *par = causa_scm_parents(scm, 3, &np);
    CHECK_INT(np, 3);
    CHECK_INT(par[0], 0);
    CHECK_INT(par[2], 2);
    CHECK_INT(causa_scm_ninputs(scm, 3), 3);
    CHECK_INT(causa_scm_mechanism_kind(scm, 3), CAUSA_MECH_LINEAR);
    causa_mechanism m;
    CHECK_OK(causa_scm_mechanism(scm, 3, &m));
    CHECK_INT(m.ncoefs, 3);
    CHECK(m.coefs[2] == -0.55);
    CHECK(m.intercept == 2.0);
    CHECK_INT(m.noise.kind, CAUSA_DIST_GAUSSIAN);
    CHECK_OK(causa_scm_check(T, scm));
    CHECK_STR(causa_mech_name(CAUSA_MECH_SPLINE), "spline");
    CHECK_INT(causa_mech_from_name("LOGISTIC"), CAUSA_MECH_LOGISTIC);
    CHECK_INT(causa_dist_from_name("normal"), CAUSA_DIST_GAUSSIAN);
    CHECK_STR(causa_dist_name(CAUSA_DIST_STUDENT_T), "student-t");
    CHECK_INT(causa_activation_from_name("relu"), CAUSA_ACT_RELU);
    causa_scm *copy = NULL;
    CHECK_OK(causa_scm_copy(T, scm, &copy));
    CHECK_OK(causa_scm_mechanism(copy, 3, &m));
    CHECK(m.coefs[1] == 0.7);
    causa_scm_free(copy);
    causa_scm_free(scm);
    causa_scm_free(NULL);
}

TEST(scm_construction_errors) {
    static const char *const names[] = {"X", "Y", "Z"};
    static const int64_t edges[][2] = {{0, 1}, {1, 2}};
    causa_graph *g = graph_of(3, names, edges, 2);
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_new(T, g, &scm));
    double w2[] = {1, 2};
    causa_dist n1 = causa_dist_gaussian(0, 1);
    /* a root mechanism on a child */
    CHECK_ERR(causa_scm_set_root(T, scm, 1, &n1), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "'Y'");
    /* wrong number of weights through the generic setter */
    causa_mechanism m;
    causa_mechanism_init(&m);
    m.kind = CAUSA_MECH_LINEAR;
    m.coefs = w2;
    m.ncoefs = 2;
    m.noise = n1;
    CHECK_ERR(causa_scm_set_mechanism(T, scm, 1, &m), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "needs 1 weights");
    /* bad noise */
    causa_dist bad = causa_dist_gaussian(0, -1);
    CHECK_ERR(causa_scm_set_linear(T, scm, 1, 0, w2, &bad), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "scale");
    double nanw[] = {NAN};
    CHECK_ERR(causa_scm_set_linear(T, scm, 1, 0, nanw, &n1), CAUSA_EINVAL);
    /* a cpt on a continuous node, a cpt with a continuous parent */
    double tab[] = {0.5, 0.5};
    CHECK_ERR(causa_scm_set_cpt(T, scm, 1, tab), CAUSA_EINVAL);
    CHECK_OK(causa_scm_set_discrete(T, scm, 1, 2, NULL));
    CHECK_STR(causa_scm_level(scm, 1, 1), "1");
    CHECK_ERR(causa_scm_set_cpt(T, scm, 1, tab), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "continuous");
    /* queries need every mechanism */
    causa_dataset *ds = NULL;
    CHECK_ERR(causa_scm_sample(T, scm, 10, NULL, &ds), CAUSA_EMISUSE);
    CHECK_CONTAINS(causa_errmsg(T), "'X' has no mechanism");
    CHECK(ds == NULL);
    /* type change after a child's mechanism */
    CHECK_OK(causa_scm_set_root(T, scm, 0, &n1));
    double lg[] = {0, 0, 0.5, 1.0}; /* 2 levels x (1 + 1 input) */
    CHECK_OK(causa_scm_set_logistic(T, scm, 1, lg));
    CHECK_ERR(causa_scm_set_discrete(T, scm, 0, 3, NULL), CAUSA_EMISUSE);
    static const char *const dup[] = {"a", "a"};
    CHECK_ERR(causa_scm_set_discrete(T, scm, 2, 2, dup), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_set_discrete(T, scm, 7, 2, NULL), CAUSA_EINVAL);
    /* a negative probability, an all-zero row */
    double neg[] = {0.5, -0.5, 1, 0}, zero[] = {0, 0, 0.5, 0.5};
    CHECK_OK(causa_scm_set_discrete(T, scm, 2, 2, NULL));
    CHECK_ERR(causa_scm_set_cpt(T, scm, 2, neg), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_set_cpt(T, scm, 2, zero), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_set_cpt_counts(T, scm, 2, zero, 0), CAUSA_EINVAL);
    CHECK_OK(causa_scm_set_cpt_counts(T, scm, 2, zero, 1));
    causa_mechanism got;
    CHECK_OK(causa_scm_mechanism(scm, 2, &got));
    CHECK_REL(got.coefs[0], 0.5, 1e-15);
    CHECK_REL(got.coefs[2], 1.5 / 3, 1e-15);
    /* scale before a mechanism */
    CHECK_ERR(causa_scm_set_scale(T, scm, 0, 0, NULL), CAUSA_EMISUSE);
    causa_scm_free(scm);
    /* not a DAG */
    CHECK_OK(causa_graph_add_edge(T, g, 2, 0, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    CHECK_ERR(causa_scm_new(T, g, &scm), CAUSA_ECYCLE);
    CHECK(scm == NULL);
    CHECK_OK(causa_graph_remove_edge(T, g, 2, 0));
    CHECK_OK(causa_graph_add_edge(T, g, 0, 2, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL));
    CHECK_ERR(causa_scm_new(T, g, &scm), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "not directed");
    causa_graph_free(g);
}

/* ---- sampling moments ---- */

TEST(scm_linear_gaussian_moments) {
    double B[16], c[4], mu[4], d[4], mean[4], cov[16];
    causa_scm *scm = diamond(B, c, mu, d);
    linear_moments(B, c, mu, d, 4, mean, cov);
    causa_dataset *ds = NULL;
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = 2385;
    CHECK_OK(causa_scm_sample(T, scm, 200000, &q, &ds));
    CHECK_INT(causa_dataset_nrow(ds), 200000);
    CHECK_STR(causa_dataset_name(ds, 2), "C");
    check_moments(ds, mean, cov, 4, 4.5);
    causa_dataset_free(ds);
    causa_scm_free(scm);
}

TEST(scm_interventional_moments) {
    double B[16], c[4], mu[4], d[4], mean[4], cov[16];
    causa_scm *scm = diamond(B, c, mu, d);
    /* do(B = 2) and C := C + 0.5: B's row of the system goes, B becomes the constant 2 */
    causa_intervention iv[2];
    int64_t niv = 0;
    CHECK_OK(causa_scm_parse_interventions(T, scm, "B=2", CAUSA_DO_SET, iv, 2, &niv));
    CHECK_OK(causa_scm_parse_interventions(T, scm, " C = 0.5 ", CAUSA_DO_SHIFT, iv, 2, &niv));
    CHECK_INT(niv, 2);
    CHECK_INT(iv[1].node, 2);
    CHECK(iv[1].value == 0.5);
    B[1 * 4 + 0] = 0;
    c[1] = 2, d[1] = 0;
    c[2] += 0.5;
    linear_moments(B, c, mu, d, 4, mean, cov);
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = 77;
    q.interventions = iv;
    q.ninterventions = niv;
    causa_dataset *ds = NULL;
    CHECK_OK(causa_scm_sample(T, scm, 200000, &q, &ds));
    const double *b = causa_dataset_column(ds, 1);
    CHECK(b[0] == 2 && b[199999] == 2);
    check_moments(ds, mean, cov, 4, 4.5);
    causa_dataset_free(ds);
    /* a stochastic intervention: A drawn uniform on [-1, 1) */
    causa_intervention u;
    memset(&u, 0, sizeof u);
    u.node = 0;
    u.kind = CAUSA_DO_DIST;
    u.dist = causa_dist_uniform(-1, 1);
    q.interventions = &u;
    q.ninterventions = 1;
    CHECK_OK(causa_scm_sample(T, scm, 100000, &q, &ds));
    const double *a = causa_dataset_column(ds, 0);
    double s = 0, lo = 1, hi = -1;
    for (int64_t i = 0; i < 100000; i++) s += a[i], lo = fmin(lo, a[i]), hi = fmax(hi, a[i]);
    CHECK(lo >= -1 && hi < 1);
    CHECK_ABS(s / 100000, 0, 4.5 * sqrt(1.0 / 3 / 100000));
    causa_dataset_free(ds);
    causa_scm_free(scm);
}

TEST(scm_other_noise_moments) {
    /* X root with each distribution, Y = 2 X + noise: means and variances. */
    static const char *const names[] = {"X", "Y"};
    static const int64_t edges[][2] = {{0, 1}};
    causa_graph *g = graph_of(2, names, edges, 1);
    double emp[] = {-1, 0.5, 3, 3};
    causa_dist dists[] = {causa_dist_uniform(-2, 4), causa_dist_laplace(1, 0.5),
                          causa_dist_student_t(0.5, 2, 7), causa_dist_empirical(emp, 4),
                          causa_dist_gaussian(-3, 0.25)};
    for (size_t k = 0; k < sizeof dists / sizeof dists[0]; k++) {
        causa_scm *scm = NULL;
        CHECK_OK(causa_scm_new(T, g, &scm));
        double w[] = {2};
        causa_dist ny = causa_dist_laplace(0, 1);
        CHECK_OK(causa_scm_set_root(T, scm, 0, &dists[k]));
        CHECK_OK(causa_scm_set_linear(T, scm, 1, 0.5, w, &ny));
        causa_dataset *ds = NULL;
        causa_scm_query_options q;
        causa_scm_query_options_init(&q);
        q.seed = 11 + k;
        int64_t n = 200000;
        CHECK_OK(causa_scm_sample(T, scm, n, &q, &ds));
        double mx, vx;
        causa_dist_moments(&dists[k], &mx, &vx);
        double my = 0.5 + 2 * mx, vy = 4 * vx + 2;
        for (int j = 0; j < 2; j++) {
            const double *x = causa_dataset_column(ds, j);
            double s = 0, s2 = 0;
            for (int64_t i = 0; i < n; i++) s += x[i];
            double m = s / (double)n;
            for (int64_t i = 0; i < n; i++) s2 += (x[i] - m) * (x[i] - m);
            double v = s2 / (double)(n - 1), want_m = j ? my : mx, want_v = j ? vy : vx;
            if (!(fabs(m - want_m) <= 4.5 * sqrt(want_v / (double)n)))
                harness_fail(__FILE__, __LINE__, "%s: mean of %s = %g, expected %g", causa_dist_name(dists[k].kind),
                             names[j], m, want_m);
            /* variance: a loose 5% (heavy tails make its standard error large) */
            if (!(fabs(v - want_v) <= 0.05 * want_v))
                harness_fail(__FILE__, __LINE__, "%s: variance of %s = %g, expected %g",
                             causa_dist_name(dists[k].kind), names[j], v, want_v);
        }
        causa_dataset_free(ds);
        causa_scm_free(scm);
    }
    causa_graph_free(g);
}

/* ---- a model with every kind of mechanism ---- */

static causa_scm *mixed_model(void) {
    static const char *const names[] = {"R", "S", "U", "L", "P", "Q", "M", "G", "K"};
    /* R, S roots; U root uniform; L = lin(R, S); P = poly(R, L); Q = spline(R, P) with scale;
     * M = mlp(L, Q); G discrete cpt(K? no: G | S) ; K discrete logistic(G, M) */
    static const int64_t edges[][2] = {{0, 3}, {1, 3}, {0, 4}, {3, 4}, {0, 5},
                                       {4, 5}, {3, 6}, {5, 6}, {1, 7}, {7, 8}, {6, 8}};
    causa_graph *g = graph_of(9, names, edges, 11);
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_new(T, g, &scm));
    causa_graph_free(g);
    static const char *const glev[] = {"lo", "mid", "hi"};
    static const char *const klev[] = {"no", "yes"};
    static const char *const slev[] = {"s0", "s1"};
    CHECK_OK(causa_scm_set_discrete(T, scm, 1, 2, slev));
    CHECK_OK(causa_scm_set_discrete(T, scm, 7, 3, glev));
    CHECK_OK(causa_scm_set_discrete(T, scm, 8, 2, klev));
    causa_dist g1 = causa_dist_gaussian(0.1, 1.2), t3 = causa_dist_student_t(0, 0.5, 5),
               un = causa_dist_uniform(-1, 2), lp = causa_dist_laplace(0, 0.3);
    double sw[] = {0.3, 0.7};
    causa_dist cat = causa_dist_categorical(sw, 2);
    CHECK_OK(causa_scm_set_root(T, scm, 0, &g1));
    CHECK_OK(causa_scm_set_root(T, scm, 1, &cat));
    CHECK_OK(causa_scm_set_root(T, scm, 2, &un));
    double wl[] = {1.25, -0.5}; /* R, S=s1 */
    CHECK_OK(causa_scm_set_linear(T, scm, 3, 0.2, wl, &t3));
    double wp[] = {0.5, -0.25, 0.1, 0.05, -0.2}; /* R, L, R^2, R L, L^2 */
    CHECK_OK(causa_scm_set_poly(T, scm, 4, 2, 0.3, wp, &lp));
    int64_t nk[] = {4, 3};
    double knots[] = {-2, -0.5, 0.5, 2, -3, 0, 3};
    double coefs[] = {0.1, -0.4, 0.3, 0.9, -0.2, 0.5, /* 4 + 3 - 1 = 6 */
                      1.0, -1.0, 0.25, 0.5, 0.0};     /* 3 + 3 - 1 = 5 */
    double emp[] = {-0.3, 0.1, 0.2, 0.4};
    causa_dist em = causa_dist_empirical(emp, 4);
    CHECK_OK(causa_scm_set_spline(T, scm, 5, 3, -0.1, nk, knots, coefs, &em));
    double sc[] = {0.2, -0.1};
    CHECK_OK(causa_scm_set_scale(T, scm, 5, -0.5, sc));
    int64_t hidden[] = {3};
    double mw[] = {0.5, -0.3, 0.2, 0.8, -0.6, 0.1, /* W1 3x2 */ 0.05, -0.05, 0.0, /* b1 */
                   1.0, -0.5, 0.75, /* W2 1x3 */ 0.2 /* b2 */};
    CHECK_OK(causa_scm_set_mlp(T, scm, 6, 1, hidden, CAUSA_ACT_TANH, mw, &g1));
    double cpt[] = {0.2, 0.5, 0.3, 0.6, 0.3, 0.1};
    CHECK_OK(causa_scm_set_cpt(T, scm, 7, cpt));
    /* K | G (2 indicators), M: 2 levels x (1 + 3) */
    double lg[] = {0, 0, 0, 0, -0.5, 1.0, -1.0, 0.8};
    CHECK_OK(causa_scm_set_logistic(T, scm, 8, lg));
    CHECK_OK(causa_scm_check(T, scm));
    return scm;
}

static int same_data(const causa_dataset *a, const causa_dataset *b) {
    if (causa_dataset_nrow(a) != causa_dataset_nrow(b) || causa_dataset_ncol(a) != causa_dataset_ncol(b))
        return 0;
    size_t bytes = (size_t)causa_dataset_nrow(a) * (size_t)causa_dataset_ncol(a) * sizeof(double);
    return memcmp(causa_dataset_data(a), causa_dataset_data(b), bytes) == 0;
}

TEST(scm_threads_bit_identical) {
    causa_scm *scm = mixed_model();
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = 99;
    causa_dataset *d1 = NULL, *d2 = NULL, *d3 = NULL;
    int64_t n = 3 * CAUSA_SCM_BLOCK + 17;
    causa_ctx_set_threads(T, 1);
    CHECK_OK(causa_scm_sample(T, scm, n, &q, &d1));
    causa_ctx_set_threads(T, 2);
    CHECK_OK(causa_scm_sample(T, scm, n, &q, &d2));
    causa_ctx_set_threads(T, 3);
    CHECK_OK(causa_scm_sample(T, scm, n, &q, &d3));
    CHECK(same_data(d1, d2));
    CHECK(same_data(d1, d3));
    for (int64_t j = 0; j < causa_dataset_ncol(d1); j++) {
        const double *x = causa_dataset_column(d1, j);
        for (int64_t i = 0; i < n; i++) CHECK(isfinite(x[i]));
    }
    CHECK_INT(causa_dataset_type(d1, 8), CAUSA_DISCRETE);
    CHECK_STR(causa_dataset_level(d1, 7, 2), "hi");
    /* into caller memory, with a leading dimension larger than n */
    double *buf = malloc((size_t)(n + 3) * 9 * sizeof *buf);
    CHECK_OK(causa_scm_sample_into(T, scm, n, &q, buf, n + 3));
    for (int64_t j = 0; j < 9; j++)
        CHECK(memcmp(buf + j * (n + 3), causa_dataset_column(d1, j), (size_t)n * sizeof(double)) == 0);
    CHECK_ERR(causa_scm_sample_into(T, scm, n, &q, buf, n - 1), CAUSA_EINVAL);
    free(buf);
    /* the prefix of a longer sample is the shorter sample */
    causa_dataset *d4 = NULL;
    CHECK_OK(causa_scm_sample(T, scm, n + 5000, &q, &d4));
    for (int64_t j = 0; j < 9; j++)
        CHECK(memcmp(causa_dataset_column(d1, j), causa_dataset_column(d4, j), (size_t)n * sizeof(double)) == 0);
    /* counterfactuals too */
    causa_intervention iv[1];
    int64_t niv = 0;
    CHECK_OK(causa_scm_parse_interventions(T, scm, "L=0.5", CAUSA_DO_SET, iv, 1, &niv));
    q.interventions = iv;
    q.ninterventions = niv;
    causa_dataset *c1 = NULL, *c2 = NULL;
    causa_ctx_set_threads(T, 1);
    CHECK_OK(causa_scm_counterfactual(T, scm, d1, &q, &c1));
    causa_ctx_set_threads(T, 2);
    CHECK_OK(causa_scm_counterfactual(T, scm, d1, &q, &c2));
    CHECK(same_data(c1, c2));
    /* untouched nodes keep their values exactly */
    for (int64_t j = 0; j < 3; j++)
        CHECK(memcmp(causa_dataset_column(c1, j), causa_dataset_column(d1, j), (size_t)n * sizeof(double)) == 0);
    CHECK(memcmp(causa_dataset_column(c1, 7), causa_dataset_column(d1, 7), (size_t)n * sizeof(double)) == 0);
    causa_ctx_set_threads(T, 1);
    causa_dataset_free(c1);
    causa_dataset_free(c2);
    causa_dataset_free(d1);
    causa_dataset_free(d2);
    causa_dataset_free(d3);
    causa_dataset_free(d4);
    causa_scm_free(scm);
}

/* The sampler walks each block in slices that stay in L2 (sample.c); the values must be
 * those of the whole block drawn at once: each node's noise one fill of the block from its
 * own stream, then its linear location added. 300 nodes give slices of 512 rows; a second,
 * partial block; Gaussian and Laplace noise (the lanes' fill and the sequential one). */
/* A linear model on a random DAG of p nodes (at most 300): weights uniform on [-0.5, 0.5),
 * intercepts 0.25, Laplace(0, 1) noise on every third node and N(0.5, 2) on the others. */
static causa_scm *random_linear_model(int64_t p, double degree, uint64_t graph_seed, uint64_t weight_seed,
                                      causa_graph **g) {
    causa_scm *scm = NULL;
    CHECK_OK(causa_graph_random_dag(T, p, degree, graph_seed, g));
    CHECK_OK(causa_scm_new(T, *g, &scm));
    causa_rng r;
    causa_rng_init(&r, weight_seed, 0);
    for (int64_t v = 0; v < p; v++) {
        int64_t np = 0;
        causa_scm_parents(scm, v, &np);
        double w[300];
        for (int64_t k = 0; k < np; k++) w[k] = causa_rng_uniform(&r) - 0.5;
        causa_dist d = v % 3 == 0 ? causa_dist_laplace(0.0, 1.0) : causa_dist_gaussian(0.5, 2.0);
        if (np == 0) CHECK_OK(causa_scm_set_root(T, scm, v, &d));
        else CHECK_OK(causa_scm_set_linear(T, scm, v, 0.25, w, &d));
    }
    return scm;
}

TEST(scm_sliced_blocks_equal_whole_block_draws) {
    int64_t p = 300, n = CAUSA_SCM_BLOCK + 1000, B = CAUSA_SCM_BLOCK;
    causa_graph *g = NULL;
    causa_scm *scm = random_linear_model(p, 2.0, 11, 3, &g);
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = 5;
    double *got = malloc((size_t)(n * p) * sizeof *got), *want = malloc((size_t)(n * p) * sizeof *want);
    const double **cols = malloc((size_t)p * sizeof *cols);
    CHECK_OK(causa_scm_sample_into(T, scm, n, &q, got, n));
    uint64_t seed = causa_i_scm_seed(T, &q);
    const int64_t *order = causa_scm_order(scm);
    for (int64_t b = 0; b * B < n; b++) {
        int64_t r0 = b * B, nr = n - r0 < B ? n - r0 : B;
        for (int64_t v = 0; v < p; v++) cols[v] = want + v * n + r0;
        for (int64_t t = 0; t < p; t++) {
            int64_t v = order[t], np = 0;
            causa_rng rng;
            causa_rng_init(&rng, seed, causa_i_scm_stream(b, v));
            causa_i_dist_fill(&scm->mech[v].noise, &rng, want + v * n + r0, nr);
            causa_scm_parents(scm, v, &np);
            if (np > 0) causa_i_eval_linear_add(scm, v, cols, nr, want + v * n + r0);
        }
    }
    int64_t bad = 0;
    for (int64_t k = 0; k < n * p; k++) bad += memcmp(&got[k], &want[k], sizeof(double)) != 0;
    CHECK_INT(bad, 0);
    free(got);
    free(want);
    free(cols);
    causa_scm_free(scm);
    causa_graph_free(g);
}

/* A large output is computed slice by slice in a scratch and streamed out (sample.c); the
 * values must be those computed in place, bit for bit: every mechanism and noise of the
 * mixed model under a hard, a shift and a stochastic intervention, and a linear model of
 * 300 nodes with up to a dozen parents (the chained axpy's passes, slices of 512 rows);
 * two blocks and a partial third; columns with a leading dimension that leaves them
 * unaligned, whose padding must stay untouched; one thread and two. */
static void check_streamed_equals_in_place(causa_scm *scm, const causa_scm_query_options *q, int64_t n) {
    int64_t p = causa_scm_nnodes(scm), ld = n + 3;
    causa_i_plan plan;
    CHECK_OK(causa_i_plan_make(T, scm, q->interventions, q->ninterventions, &plan));
    uint64_t seed = causa_i_scm_seed(T, q);
    double *a = malloc((size_t)(ld * p + 1) * sizeof *a), *b = malloc((size_t)(ld * p + 1) * sizeof *b);
    for (int threads = 1; threads <= 2; threads++) {
        causa_ctx_set_threads(T, threads);
        for (int64_t i = 0; i <= ld * p; i++) a[i] = b[i] = -7.5;
        CHECK_OK(causa_i_scm_sample_rows_with(T, scm, seed, &plan, 0, n, a, ld, 0));
        CHECK_OK(causa_i_scm_sample_rows_with(T, scm, seed, &plan, 0, n, b + 1, ld, 1));
        int64_t bad = 0, pad = 0;
        for (int64_t v = 0; v < p; v++) {
            for (int64_t i = 0; i < n; i++) bad += memcmp(&a[v * ld + i], &b[1 + v * ld + i], sizeof(double)) != 0;
            for (int64_t i = n; i < ld; i++) pad += b[1 + v * ld + i] != -7.5;
        }
        pad += b[0] != -7.5;
        CHECK_INT(bad, 0);
        CHECK_INT(pad, 0);
    }
    causa_ctx_set_threads(T, 0);
    causa_i_plan_free(T, &plan);
    free(a);
    free(b);
}

TEST(scm_streamed_output_equals_in_place) {
    int64_t n = 2 * CAUSA_SCM_BLOCK + 777;
    causa_scm *scm = mixed_model();
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = 9;
    causa_intervention iv[3];
    int64_t niv = 0;
    CHECK_OK(causa_scm_parse_interventions(T, scm, "L=0.5", CAUSA_DO_SET, iv, 3, &niv));
    CHECK_OK(causa_scm_parse_interventions(T, scm, "Q=-1.25", CAUSA_DO_SHIFT, iv, 3, &niv));
    memset(&iv[2], 0, sizeof iv[2]);
    iv[2].node = 2;
    iv[2].kind = CAUSA_DO_DIST;
    iv[2].dist = causa_dist_laplace(1.0, 2.0);
    check_streamed_equals_in_place(scm, &q, n);
    q.interventions = iv;
    q.ninterventions = 3;
    check_streamed_equals_in_place(scm, &q, n);
    causa_scm_free(scm);

    causa_graph *g = NULL;
    scm = random_linear_model(300, 8.0, 5, 4, &g);
    causa_scm_query_options_init(&q);
    q.seed = 10;
    check_streamed_equals_in_place(scm, &q, n);
    causa_scm_free(scm);
    causa_graph_free(g);
}

TEST(scm_counterfactual_identity) {
    /* Abduction then prediction under an empty change reproduces every row; with a do() on
     * a node equal to its observed value, the continuous nodes come back to rounding. */
    causa_scm *scm = mixed_model();
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = 5;
    causa_dataset *d = NULL, *noise = NULL;
    CHECK_OK(causa_scm_sample(T, scm, 2000, &q, &d));
    CHECK_OK(causa_scm_abduct(T, scm, d, &q, &noise));
    /* the noise of roots is their value; discrete noise lies in [0, 1) */
    CHECK(memcmp(causa_dataset_column(noise, 0), causa_dataset_column(d, 0), 2000 * sizeof(double)) == 0);
    for (int64_t i = 0; i < 2000; i++) {
        double u = causa_dataset_column(noise, 7)[i];
        CHECK(u >= 0 && u < 1);
    }
    /* shift of R by 0: every descendant recomputed from its noise */
    causa_intervention iv;
    memset(&iv, 0, sizeof iv);
    iv.node = 0;
    iv.kind = CAUSA_DO_SHIFT;
    iv.value = 0;
    q.interventions = &iv;
    q.ninterventions = 1;
    causa_dataset *cf = NULL;
    CHECK_OK(causa_scm_counterfactual(T, scm, d, &q, &cf));
    for (int64_t j = 0; j < 9; j++) {
        const double *x = causa_dataset_column(d, j), *y = causa_dataset_column(cf, j);
        for (int64_t i = 0; i < 2000; i++) CHECK_ABS(y[i], x[i], 1e-9 * (1 + fabs(x[i])));
    }
    causa_dataset_free(cf);
    causa_dataset_free(noise);
    causa_dataset_free(d);
    causa_scm_free(scm);
}

/* ---- counterfactuals, exact ---- */

TEST(scm_counterfactual_exact) {
    /* X = N1; Y = 2 X + N2; Z = 0.5 Y - X + 0.25 + N3. Observed (1, 3, 0.5): N = (1, 1, -0.25).
     * do(X = 2): Y = 5, Z = 2.5 - 2 + 0.25 - 0.25 = 0.5. Shift Y by 1 (X kept): Y = 4,
     * Z = 2 - 1 + 0.25 - 0.25 = 1. Every number is a binary fraction: exact. */
    static const char *const names[] = {"X", "Y", "Z"};
    static const int64_t edges[][2] = {{0, 1}, {1, 2}, {0, 2}};
    causa_graph *g = graph_of(3, names, edges, 3);
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_new(T, g, &scm));
    causa_dist n = causa_dist_gaussian(0, 1);
    double wy[] = {2}, wz[] = {-1, 0.5};
    CHECK_OK(causa_scm_set_root(T, scm, 0, &n));
    CHECK_OK(causa_scm_set_linear(T, scm, 1, 0, wy, &n));
    CHECK_OK(causa_scm_set_linear(T, scm, 2, 0.25, wz, &n));
    double obs[] = {1, -2, /* X */ 3, 0, /* Y */ 0.5, 4 /* Z */};
    causa_matrix m = causa_matrix_colmajor(obs, 2, 3);
    static const char *const order[] = {"X", "Y", "Z"};
    causa_dataset *od = NULL, *cf = NULL;
    CHECK_OK(causa_dataset_from_matrix(T, &m, order, &od));
    causa_intervention iv[2];
    int64_t niv = 0;
    CHECK_OK(causa_scm_parse_interventions(T, scm, "X=2", CAUSA_DO_SET, iv, 2, &niv));
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.interventions = iv;
    q.ninterventions = niv;
    CHECK_OK(causa_scm_counterfactual(T, scm, od, &q, &cf));
    const double *x = causa_dataset_column(cf, 0), *y = causa_dataset_column(cf, 1),
                 *z = causa_dataset_column(cf, 2);
    CHECK(x[0] == 2 && y[0] == 5 && z[0] == 0.5);
    /* row 2: N = (-2, 4, 4 - 0 - 2 - 0.25 = 1.75); do(X=2): Y = 8, Z = 4 - 2 + 0.25 + 1.75 = 4 */
    CHECK(x[1] == 2 && y[1] == 8 && z[1] == 4);
    causa_dataset_free(cf);
    niv = 0;
    CHECK_OK(causa_scm_parse_interventions(T, scm, "Y=1", CAUSA_DO_SHIFT, iv, 2, &niv));
    q.ninterventions = niv;
    CHECK_OK(causa_scm_counterfactual(T, scm, od, &q, &cf));
    x = causa_dataset_column(cf, 0), y = causa_dataset_column(cf, 1), z = causa_dataset_column(cf, 2);
    CHECK(x[0] == 1 && y[0] == 4 && z[0] == 1);
    CHECK(x[1] == -2 && y[1] == 1 && z[1] == 4.5);
    causa_dataset_free(cf);
    /* location-scale: Z = 0.25 + 0.5 Y - X + exp(0.5 + 0.5 X) N3 */
    double b[] = {0.5, 0};
    CHECK_OK(causa_scm_set_scale(T, scm, 2, 0.5, b));
    niv = 0;
    CHECK_OK(causa_scm_parse_interventions(T, scm, "X=-1", CAUSA_DO_SET, iv, 2, &niv));
    q.ninterventions = niv;
    CHECK_OK(causa_scm_counterfactual(T, scm, od, &q, &cf));
    /* row 1: N3 = (0.5 - 0.25 - 1.5 + 1) / exp(1) = -0.25 / e; X = -1: Y = -2 + 1 = -1,
     * Z = 0.25 - 0.5 + 1 + exp(0) * (-0.25 / e) */
    z = causa_dataset_column(cf, 2);
    CHECK_REL(z[0], 0.75 - 0.25 / exp(1.0), 1e-14);
    causa_dataset_free(cf);
    /* a missing column, an unknown intervention name */
    causa_dataset *two = NULL;
    causa_matrix m2 = causa_matrix_colmajor(obs, 2, 2);
    CHECK_OK(causa_dataset_from_matrix(T, &m2, order, &two));
    CHECK_ERR(causa_scm_counterfactual(T, scm, two, &q, &cf), CAUSA_ENOTFOUND);
    CHECK_CONTAINS(causa_errmsg(T), "'Z'");
    causa_dataset_free(two);
    niv = 0;
    CHECK_ERR(causa_scm_parse_interventions(T, scm, "W=1", CAUSA_DO_SET, iv, 2, &niv), CAUSA_ENOTFOUND);
    CHECK_CONTAINS(causa_errmsg(T), "unknown variable 'W'");
    CHECK_ERR(causa_scm_parse_interventions(T, scm, "X=abc", CAUSA_DO_SET, iv, 2, &niv), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_parse_interventions(T, scm, "X", CAUSA_DO_SET, iv, 2, &niv), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_parse_interventions(T, scm, "X=1,X=2", CAUSA_DO_SET, iv, 2, &niv), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_parse_interventions(T, scm, "X=1,Y=2,Z=3", CAUSA_DO_SET, iv, 2, &niv), CAUSA_EINVAL);
    CHECK_INT(niv, 0);
    causa_dataset_free(od);
    causa_scm_free(scm);
    causa_graph_free(g);
}

TEST(scm_counterfactual_discrete) {
    /* A -> B with a deterministic table B = A (levels swapped by name order): the posterior
     * noise makes the counterfactual B follow do(A). With a noisy table, rows whose level
     * is impossible are an error. */
    static const char *const names[] = {"A", "B"};
    static const int64_t edges[][2] = {{0, 1}};
    causa_graph *g = graph_of(2, names, edges, 1);
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_new(T, g, &scm));
    causa_graph_free(g);
    static const char *const lev[] = {"no", "yes"};
    CHECK_OK(causa_scm_set_discrete(T, scm, 0, 2, lev));
    CHECK_OK(causa_scm_set_discrete(T, scm, 1, 2, lev));
    double pa[] = {0.5, 0.5}, tb[] = {1, 0, 0, 1};
    CHECK_OK(causa_scm_set_cpt(T, scm, 0, pa));
    CHECK_OK(causa_scm_set_cpt(T, scm, 1, tb));
    const char *csv = "B,A\nno,no\nyes,yes\n";
    causa_dataset *od = NULL, *cf = NULL;
    CHECK_OK(causa_csv_read_buffer(T, "obs", csv, strlen(csv), NULL, &od));
    causa_intervention iv[1];
    int64_t niv = 0;
    CHECK_OK(causa_scm_parse_interventions(T, scm, "A=yes", CAUSA_DO_SET, iv, 1, &niv));
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.interventions = iv;
    q.ninterventions = niv;
    CHECK_OK(causa_scm_counterfactual(T, scm, od, &q, &cf));
    CHECK(causa_dataset_column(cf, 1)[0] == 1 && causa_dataset_column(cf, 1)[1] == 1);
    causa_dataset_free(cf);
    niv = 0;
    CHECK_ERR(causa_scm_parse_interventions(T, scm, "A=maybe", CAUSA_DO_SET, iv, 1, &niv), CAUSA_ENOTFOUND);
    CHECK_CONTAINS(causa_errmsg(T), "no level 'maybe' (levels: no, yes)");
    CHECK_ERR(causa_scm_parse_interventions(T, scm, "A=1", CAUSA_DO_SHIFT, iv, 1, &niv), CAUSA_EINVAL);
    causa_dataset_free(od);
    /* impossible row */
    const char *bad = "A,B\nno,yes\n";
    CHECK_OK(causa_csv_read_buffer(T, "obs", bad, strlen(bad), NULL, &od));
    CHECK_ERR(causa_scm_counterfactual(T, scm, od, &q, &cf), CAUSA_EDATA);
    CHECK_CONTAINS(causa_errmsg(T), "row 1 is impossible");
    causa_dataset_free(od);
    /* an unknown level in the data */
    const char *unk = "A,B\nno,perhaps\n";
    CHECK_OK(causa_csv_read_buffer(T, "obs", unk, strlen(unk), NULL, &od));
    CHECK_ERR(causa_scm_counterfactual(T, scm, od, &q, &cf), CAUSA_EDATA);
    CHECK_CONTAINS(causa_errmsg(T), "'perhaps' is not a level of 'B'");
    causa_dataset_free(od);
    /* posterior of a noisy table: B | A=no is (0.3, 0.7); observed (no, yes) -> U in
     * [0.3, 1); under do(A = yes) with B | A=yes = (0.8, 0.2): B = yes iff U >= 0.8, so
     * P(B' = yes) = 0.2 / 0.7. */
    double tn[] = {0.3, 0.7, 0.8, 0.2};
    CHECK_OK(causa_scm_set_cpt(T, scm, 1, tn));
    causa_dataset *many = NULL;
    CHECK_OK(causa_dataset_new(T, 20000, 2, &many));
    CHECK_OK(causa_dataset_set_name(T, many, 0, "A"));
    CHECK_OK(causa_dataset_set_name(T, many, 1, "B"));
    double *cells = causa_dataset_data_mut(many);
    for (int i = 0; i < 20000; i++) cells[20000 + i] = 1; /* B = yes, A = no */
    CHECK_OK(causa_dataset_set_discrete(T, many, 0, 2, lev));
    CHECK_OK(causa_dataset_set_discrete(T, many, 1, 2, lev));
    niv = 0;
    CHECK_OK(causa_scm_parse_interventions(T, scm, "A=yes", CAUSA_DO_SET, iv, 1, &niv));
    CHECK_OK(causa_scm_counterfactual(T, scm, many, &q, &cf));
    double s = 0;
    for (int i = 0; i < 20000; i++) s += causa_dataset_column(cf, 1)[i];
    double pr = 0.2 / 0.7;
    CHECK_ABS(s / 20000, pr, 4.5 * sqrt(pr * (1 - pr) / 20000));
    causa_dataset_free(cf);
    causa_dataset_free(many);
    causa_scm_free(scm);
}

/* ---- BIF networks: sampling frequencies against the tables ---- */

/* Wilson-Hilferty approximation of the chi-square quantile for upper tail z sigma. */
static double chisq_quantile(double df, double z) {
    double a = 2.0 / (9.0 * df);
    double t = 1 - a + z * sqrt(a);
    return df * t * t * t;
}

static void check_bif_frequencies(const char *file, int64_t n, uint64_t seed) {
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_read(T, harness_data(file), &scm));
    if (!scm) return;
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = seed;
    causa_dataset *ds = NULL;
    causa_ctx_set_threads(T, 2);
    CHECK_OK(causa_scm_sample(T, scm, n, &q, &ds));
    causa_ctx_set_threads(T, 1);
    double chi = 0, df = 0;
    for (int64_t v = 0; v < causa_scm_nnodes(scm); v++) {
        causa_mechanism m;
        CHECK_OK(causa_scm_mechanism(scm, v, &m));
        CHECK_INT(m.kind, CAUSA_MECH_CPT);
        int64_t np = 0, K = causa_scm_nlevels(scm, v), rows = m.ncoefs / K;
        const int64_t *par = causa_scm_parents(scm, v, &np);
        double *cnt = calloc((size_t)(rows * K), sizeof *cnt);
        for (int64_t i = 0; i < n; i++) {
            int64_t r = 0;
            for (int64_t k = 0; k < np; k++)
                r = r * causa_scm_nlevels(scm, par[k]) + (int64_t)causa_dataset_column(ds, par[k])[i];
            cnt[r * K + (int64_t)causa_dataset_column(ds, v)[i]] += 1;
        }
        for (int64_t r = 0; r < rows; r++) {
            double tot = 0;
            int64_t cells = 0;
            for (int64_t k = 0; k < K; k++) tot += cnt[r * K + k];
            if (tot == 0) continue;
            for (int64_t k = 0; k < K; k++) {
                double e = tot * m.coefs[r * K + k], o = cnt[r * K + k];
                if (e == 0) {
                    if (o != 0)
                        harness_fail(__FILE__, __LINE__, "%s: '%s' drew a level of probability 0", file,
                                     causa_scm_name(scm, v));
                    continue;
                }
                chi += (o - e) * (o - e) / e;
                cells++;
            }
            if (cells > 1) df += (double)(cells - 1);
        }
        free(cnt);
    }
    /* One test over every table: far in the upper tail (z = 4) only if the sampler is off. */
    double limit = chisq_quantile(df, 4.0);
    if (!(chi < limit))
        harness_fail(__FILE__, __LINE__, "%s: chi-square %.1f on %.0f df exceeds %.1f", file, chi, df, limit);
    /* and not implausibly small either (a sampler copying the expectation) */
    CHECK(chi > chisq_quantile(df, -4.0));
    causa_dataset_free(ds);
    causa_scm_free(scm);
}

TEST(scm_bif_asia_frequencies) { check_bif_frequencies("networks/asia.bif", 200000, 2385); }
TEST(scm_bif_alarm_frequencies) { check_bif_frequencies("networks/alarm.bif", 200000, 17); }

TEST(scm_bif_read) {
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_read(T, harness_data("networks/asia.bif"), &scm));
    CHECK_INT(causa_scm_nnodes(scm), 8);
    int64_t e = causa_scm_find(scm, "either");
    CHECK_INT(causa_scm_type(scm, e), CAUSA_DISCRETE);
    CHECK_STR(causa_scm_level(scm, e, 0), "yes");
    causa_mechanism m;
    CHECK_OK(causa_scm_mechanism(scm, e, &m));
    /* parents tub (1) and lung (3) in index order; (lung=no, tub=yes) is row tub=yes(0), lung=no(1) */
    int64_t np;
    const int64_t *par = causa_scm_parents(scm, e, &np);
    CHECK_STR(causa_scm_name(scm, par[0]), "tub");
    CHECK(m.coefs[1 * 2 + 0] == 1.0); /* tub=yes, lung=no -> either=yes */
    CHECK(m.coefs[3 * 2 + 1] == 1.0); /* tub=no, lung=no -> either=no */
    causa_scm_free(scm);
    for (const char *const *f = (const char *const[]){"networks/child.bif", "networks/insurance.bif",
                                                      "networks/sachs.bif", NULL};
         *f; f++) {
        CHECK_OK(causa_scm_read(T, harness_data(*f), &scm));
        causa_scm_free(scm);
        scm = NULL;
    }
    /* table forms: a root table, "table" with parents (child slowest), default rows */
    const char *bif = "network x {}\n"
                      "variable A { type discrete [ 2 ] { a0, a1 }; }\n"
                      "variable B { type discrete [ 3 ] { b0, b1, b2 }; }\n"
                      "variable C { type discrete [ 2 ] { c0, c1 }; }\n"
                      "probability ( A ) { table 0.25, 0.75; }\n"
                      "probability ( B | A ) { table 0.1, 0.2, 0.3, 0.3, 0.6, 0.5; }\n"
                      "probability ( C | B, A ) { (b1, a0) 0.9, 0.1; default 0.5, 0.5; }\n";
    CHECK_OK(causa_scm_read_buffer(T, "t.bif", bif, strlen(bif), &scm));
    CHECK_OK(causa_scm_mechanism(scm, 1, &m));
    /* row A=a0: (0.1, 0.3, 0.6); A=a1: (0.2, 0.3, 0.5) */
    CHECK_REL(m.coefs[0], 0.1, 1e-15);
    CHECK_REL(m.coefs[2], 0.6, 1e-15);
    CHECK_REL(m.coefs[3], 0.2, 1e-15);
    CHECK_OK(causa_scm_mechanism(scm, 2, &m));
    /* C's parents in index order: A, B; row (A=a0, B=b1) = 0 * 3 + 1 */
    CHECK_REL(m.coefs[1 * 2 + 0], 0.9, 1e-15);
    CHECK_REL(m.coefs[0], 0.5, 1e-15);
    causa_scm_free(scm);
    scm = NULL;
    /* errors */
    const char *missing = "variable A { type discrete [ 2 ] { a0, a1 }; }\n"
                          "variable B { type discrete [ 2 ] { b0, b1 }; }\n"
                          "probability ( A ) { table 0.5, 0.5; }\n"
                          "probability ( B | A ) { (a0) 0.5, 0.5; }\n";
    CHECK_ERR(causa_scm_read_buffer(T, "m.bif", missing, strlen(missing), &scm), CAUSA_EPARSE);
    CHECK_CONTAINS(causa_errmsg(T), "m.bif:4:15: the probability block of 'B' has no entry for A = a1");
    const char *badstate = "variable A { type discrete [ 2 ] { a0, a1 }; }\n"
                           "variable B { type discrete [ 2 ] { b0, b1 }; }\n"
                           "probability ( A ) { table 0.5, 0.5; }\n"
                           "probability ( B | A ) { (a0) 0.5, 0.5; (a2) 0.5, 0.5; }\n";
    CHECK_ERR(causa_scm_read_buffer(T, "m.bif", badstate, strlen(badstate), &scm), CAUSA_EPARSE);
    CHECK_CONTAINS(causa_errmsg(T), "'a2' is not a state of 'A'");
    const char *sum = "variable A { type discrete [ 2 ] { a0, a1 }; }\n"
                      "probability ( A ) { table 0.5, 0.6; }\n";
    CHECK_ERR(causa_scm_read_buffer(T, "m.bif", sum, strlen(sum), &scm), CAUSA_EPARSE);
    CHECK_CONTAINS(causa_errmsg(T), "sums to 1.1");
    const char *few = "variable A { type discrete [ 3 ] { a0, a1, a2 }; }\n"
                      "probability ( A ) { table 0.5, 0.5; }\n";
    CHECK_ERR(causa_scm_read_buffer(T, "m.bif", few, strlen(few), &scm), CAUSA_EPARSE);
    /* a state name that is not UTF-8 would make an unreadable model file (found by fuzz_scm) */
    const char *latin1 = "variable A { type discrete [ 2 ] { a0, \xa0" "a1 }; }\n"
                         "probability ( A ) { table 0.5, 0.5; }\n";
    CHECK_ERR(causa_scm_read_buffer(T, "m.bif", latin1, strlen(latin1), &scm), CAUSA_EPARSE);
    CHECK_CONTAINS(causa_errmsg(T), "m.bif:1:");
    CHECK_CONTAINS(causa_errmsg(T), "node 'A': level 2 is not valid UTF-8");
    const char *noblock = "variable A { type discrete [ 2 ] { a0, a1 }; }\n";
    CHECK_ERR(causa_scm_read_buffer(T, "m.bif", noblock, strlen(noblock), &scm), CAUSA_EPARSE);
    CHECK_CONTAINS(causa_errmsg(T), "no probability block");
    CHECK(scm == NULL);
    CHECK_ERR(causa_scm_read(T, "/nonexistent/model.json", &scm), CAUSA_EIO);
}

/* ---- the model file ---- */

TEST(scm_json_round_trip) {
    causa_scm *scm = mixed_model();
    char *text = NULL, *text2 = NULL;
    size_t len = 0, len2 = 0;
    CHECK_OK(causa_scm_write_buffer(T, scm, &text, &len));
    CHECK_CONTAINS(text, "\"format\": \"causa-scm\"");
    causa_scm *back = NULL;
    CHECK_OK(causa_scm_read_buffer(T, "m.json", text, len, &back));
    CHECK_OK(causa_scm_write_buffer(T, back, &text2, &len2));
    CHECK(len == len2 && strcmp(text, text2) == 0);
    if (strcmp(text, text2) != 0) fprintf(stderr, "%s\n----\n%s\n", text, text2);
    /* the same samples, bit for bit */
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = 1234;
    causa_dataset *a = NULL, *b = NULL;
    CHECK_OK(causa_scm_sample(T, scm, 5000, &q, &a));
    CHECK_OK(causa_scm_sample(T, back, 5000, &q, &b));
    CHECK(same_data(a, b));
    /* through a file */
    char path[4096];
    snprintf(path, sizeof path, "%s/model.json", harness_tmpdir());
    CHECK_OK(causa_scm_write(T, scm, path));
    causa_scm *fromfile = NULL;
    CHECK_OK(causa_scm_read(T, path, &fromfile));
    causa_dataset *c = NULL;
    CHECK_OK(causa_scm_sample(T, fromfile, 5000, &q, &c));
    CHECK(same_data(a, c));
    /* awkward doubles survive */
    causa_mechanism m;
    CHECK_OK(causa_scm_mechanism(scm, 3, &m));
    double w[] = {0.1 + 0.2, 1e-300};
    causa_dist nz = causa_dist_gaussian(1.0 / 3.0, 5e-324 * 1e10);
    CHECK_OK(causa_scm_set_linear(T, scm, 3, -0.0, w, &nz));
    causa_scm_free(back);
    back = NULL;
    causa_free(T, text);
    CHECK_OK(causa_scm_write_buffer(T, scm, &text, &len));
    CHECK_OK(causa_scm_read_buffer(T, "m.json", text, len, &back));
    CHECK_OK(causa_scm_mechanism(back, 3, &m));
    CHECK(m.coefs[0] == 0.1 + 0.2 && m.coefs[1] == 1e-300);
    CHECK(m.noise.loc == 1.0 / 3.0);
    causa_free(T, text);
    causa_free(T, text2);
    causa_dataset_free(a);
    causa_dataset_free(b);
    causa_dataset_free(c);
    causa_scm_free(fromfile);
    causa_scm_free(back);
    causa_scm_free(scm);
    /* a BIF model written as JSON and read back samples the same */
    CHECK_OK(causa_scm_read(T, harness_data("networks/alarm.bif"), &scm));
    CHECK_OK(causa_scm_write_buffer(T, scm, &text, &len));
    CHECK_OK(causa_scm_read_buffer(T, "alarm.json", text, len, &back));
    CHECK_OK(causa_scm_sample(T, scm, 3000, &q, &a));
    CHECK_OK(causa_scm_sample(T, back, 3000, &q, &b));
    CHECK(same_data(a, b));
    causa_free(T, text);
    causa_dataset_free(a);
    causa_dataset_free(b);
    causa_scm_free(back);
    causa_scm_free(scm);
}

TEST(scm_json_errors) {
    causa_scm *scm = NULL;
    struct {
        const char *text, *msg;
        int code;
    } cases[] = {
        {"{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [", "m.json:1:", CAUSA_EPARSE},
        {"{\"format\": \"causa-graph\", \"version\": 1, \"nodes\": []}", "format: expected \"causa-scm\"", CAUSA_EPARSE},
        {"{\"format\": \"causa-scm\", \"version\": 2, \"nodes\": []}", "version", CAUSA_EPARSE},
        {"{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [{\"name\": \"A\", \"type\": \"continuous\", "
         "\"parents\": [\"B\"], \"mechanism\": null}]}",
         "unknown node 'B'", CAUSA_EPARSE},
        {"{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [{\"name\": \"A\", \"type\": \"continuous\", "
         "\"parents\": [], \"mechanism\": {\"kind\": \"root\", \"distribution\": {\"dist\": \"gaussian\", "
         "\"loc\": 0}}}]}",
         "nodes[0] ('A').mechanism.distribution.scale: expected a number, found nothing", CAUSA_EPARSE},
        {"{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [{\"name\": \"A\", \"type\": \"continuous\", "
         "\"parents\": [], \"mechanism\": {\"kind\": \"root\", \"distribution\": {\"dist\": \"gaussian\", "
         "\"loc\": 0, \"scale\": -1}}}]}",
         "m.json: node 'A'", CAUSA_EINVAL},
        {"{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [{\"name\": \"A\", \"type\": \"continuous\", "
         "\"parents\": [], \"mechanism\": null}, {\"name\": \"B\", \"type\": \"continuous\", \"parents\": [\"A\"], "
         "\"mechanism\": {\"kind\": \"linear\", \"intercept\": 0, \"weights\": [1, 2], \"noise\": {\"dist\": \"none\"}}}]}",
         "weights: expected an array of 1 numbers, found an array of 2", CAUSA_EPARSE},
        {"{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [{\"name\": \"A\", \"type\": \"weird\", "
         "\"parents\": []}]}",
         "type: expected \"continuous\" or \"discrete\"", CAUSA_EPARSE},
        /* a misspelt member is an error, not a node silently left without a mechanism */
        {"{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [{\"name\": \"A\", \"type\": \"continuous\", "
         "\"parents\": [], \"mechansim\": null}]}",
         "nodes[0] ('A'): unknown member 'mechansim'", CAUSA_EPARSE},
        {"{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [{\"name\": \"A\", \"type\": \"continuous\", "
         "\"parents\": []}]}",
         "nodes[0] ('A'): missing member 'mechanism' (null for a node without one)", CAUSA_EPARSE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = causa_scm_read_buffer(T, "m.json", cases[i].text, strlen(cases[i].text), &scm);
        if (rc != cases[i].code)
            harness_fail(__FILE__, __LINE__, "case %zu: %s (%s)", i, causa_strerror(rc), causa_errmsg(T));
        CHECK_CONTAINS(causa_errmsg(T), cases[i].msg);
        CHECK(scm == NULL);
    }
    /* unset mechanisms read fine, and queries then say which */
    const char *unset = "{\"format\": \"causa-scm\", \"version\": 1, \"nodes\": [{\"name\": \"A\", "
                        "\"type\": \"continuous\", \"parents\": [], \"mechanism\": null}]}";
    CHECK_OK(causa_scm_read_buffer(T, "m.json", unset, strlen(unset), &scm));
    causa_dataset *ds = NULL;
    CHECK_ERR(causa_scm_sample(T, scm, 3, NULL, &ds), CAUSA_EMISUSE);
    causa_scm_free(scm);
}

/* ---- ACE ---- */

TEST(scm_ace_linear) {
    /* T -> M -> Y, T -> Y, W -> T, W -> Y: the effect of T on Y is 0.7 * 1.5 + 0.4 = 1.45. */
    static const char *const names[] = {"W", "T", "M", "Y"};
    static const int64_t edges[][2] = {{0, 1}, {0, 3}, {1, 2}, {2, 3}, {1, 3}};
    causa_graph *g = graph_of(4, names, edges, 5);
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_new(T, g, &scm));
    causa_graph_free(g);
    causa_dist n = causa_dist_gaussian(0, 1);
    double wt[] = {0.9}, wm[] = {0.7}, wy[] = {2.0, 0.4, 1.5};
    CHECK_OK(causa_scm_set_root(T, scm, 0, &n));
    CHECK_OK(causa_scm_set_linear(T, scm, 1, 0, wt, &n));
    CHECK_OK(causa_scm_set_linear(T, scm, 2, 0, wm, &n));
    CHECK_OK(causa_scm_set_linear(T, scm, 3, 1, wy, &n));
    causa_ace_options o;
    causa_ace_options_init(&o);
    CHECK_INT(o.n, 100000);
    o.n = 20000;
    o.base.seed = 3;
    causa_ace_result r;
    CHECK_OK(causa_scm_ace(T, scm, 1, 1.0, 0.0, 3, &o, &r));
    /* common random numbers: the paired differences are constant */
    CHECK_ABS(r.ace, 1.45, 1e-12);
    CHECK(r.se < 1e-12);
    CHECK_ABS(r.mean_a - r.mean_b, 1.45, 1e-9);
    CHECK_ABS(r.mean_b, 1.0, 4.5 * r.se_b);
    CHECK_INT(r.n, 20000);
    /* location-scale noise on Y (its scale depends on T): the differences vary, the effect
     * stays 2 x 1.45 in expectation */
    CHECK_OK(causa_scm_set_scale(T, scm, 3, 0.3, (double[]){0.1, 0.2, 0.0}));
    CHECK_OK(causa_scm_ace(T, scm, 1, 2.0, 0.0, 3, &o, &r));
    CHECK(r.se > 0);
    CHECK_ABS(r.ace, 2 * 1.45, 4.5 * r.se + 1e-9);
    /* errors */
    CHECK_ERR(causa_scm_ace(T, scm, 1, 1, 0, 1, &o, &r), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_ace(T, scm, 1, 1, 0, 9, &o, &r), CAUSA_EINVAL);
    o.n = 1;
    CHECK_ERR(causa_scm_ace(T, scm, 1, 1, 0, 3, &o, &r), CAUSA_EINVAL);
    o.n = 100;
    o.outcome_level = 0;
    CHECK_ERR(causa_scm_ace(T, scm, 1, 1, 0, 3, &o, &r), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_ace(T, scm, 1, NAN, 0, 3, NULL, &r), CAUSA_EINVAL);
    causa_scm_free(scm);
}

TEST(scm_ace_discrete) {
    /* asia: P(dysp = yes | do(smoke = yes)) - P(dysp = yes | do(smoke = no)), by hand
     * from the tables: 0.552808 - 0.3187... */
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_read(T, harness_data("networks/asia.bif"), &scm));
    int64_t smoke = causa_scm_find(scm, "smoke"), dysp = causa_scm_find(scm, "dysp");
    causa_ace_options o;
    causa_ace_options_init(&o);
    o.n = 200000;
    o.outcome_level = 0; /* yes */
    causa_ace_result r;
    CHECK_OK(causa_scm_ace(T, scm, smoke, 0, 1, dysp, &o, &r));
    /* tub = yes w.p. 0.0104; either = lung or tub */
    double pt = 0.01 * 0.05 + 0.99 * 0.01;
    double pe_s = 1 - (1 - 0.1) * (1 - pt), pe_n = 1 - (1 - 0.01) * (1 - pt);
    double pd_s = 0.6 * (pe_s * 0.9 + (1 - pe_s) * 0.8) + 0.4 * (pe_s * 0.7 + (1 - pe_s) * 0.1);
    double pd_n = 0.3 * (pe_n * 0.9 + (1 - pe_n) * 0.8) + 0.7 * (pe_n * 0.7 + (1 - pe_n) * 0.1);
    CHECK_ABS(r.mean_a, pd_s, 4.5 * r.se_a);
    CHECK_ABS(r.mean_b, pd_n, 4.5 * r.se_b);
    CHECK_ABS(r.ace, pd_s - pd_n, 4.5 * r.se);
    causa_scm_free(scm);
}

/* ---- design helpers ---- */

TEST(scm_design_helpers) {
    CHECK_INT(causa_poly_nterms(2, 2), 5);
    CHECK_INT(causa_poly_nterms(3, 3), 19);
    CHECK_INT(causa_poly_nterms(0, 3), 0);
    double u[] = {2, 3, /* u1 */ 5, 7 /* u2 */}, out[10];
    causa_matrix m = causa_matrix_colmajor(u, 2, 2);
    CHECK_OK(causa_poly_design(T, &m, 2, out));
    /* u1, u2, u1^2, u1 u2, u2^2 */
    double want[] = {2, 3, 5, 7, 4, 9, 10, 21, 25, 49};
    for (int i = 0; i < 10; i++) CHECK(out[i] == want[i]);
    CHECK_ERR(causa_poly_design(T, &m, 0, out), CAUSA_EINVAL);
    /* B-splines: partition of unity inside, tangent continuation outside */
    double knots[] = {0, 1, 2.5, 4};
    CHECK_INT(causa_spline_nbasis(4, 3), 6);
    double x[] = {0, 0.3, 1, 2.2, 3.99, 4, -1, 5};
    double basis[8 * 6];
    CHECK_OK(causa_spline_design(T, x, 8, 3, knots, 4, basis));
    for (int i = 0; i < 6; i++) {
        double s = 0;
        for (int k = 0; k < 6; k++) s += basis[k * 8 + i];
        CHECK_ABS(s, 1.0, 1e-14);
    }
    CHECK_ABS(basis[0 * 8 + 0], 1.0, 1e-15);
    CHECK_ABS(basis[5 * 8 + 5], 1.0, 1e-15);
    /* outside: sums stay 1 (the derivative of a partition of unity is 0) */
    CHECK_ABS(basis[0 * 8 + 6] + basis[1 * 8 + 6] + basis[2 * 8 + 6] + basis[3 * 8 + 6], 1.0, 1e-13);
    /* linear continuation: B_0 at -1 = 1 + 3 = 4 (slope -3/(1 - 0) at 0) */
    CHECK_ABS(basis[0 * 8 + 6], 4.0, 1e-13);
    double bad[] = {0, 0, 1};
    CHECK_ERR(causa_spline_design(T, x, 8, 3, bad, 3, basis), CAUSA_EINVAL);
    CHECK_ERR(causa_spline_design(T, x, 8, 9, knots, 4, basis), CAUSA_EINVAL);
    /* inputs and predictions of the mixed model */
    causa_scm *scm = mixed_model();
    causa_dataset *ds = NULL;
    CHECK_OK(causa_scm_sample(T, scm, 50, NULL, &ds));
    double in[50 * 3], pr[50 * 2];
    CHECK_OK(causa_scm_inputs(T, scm, 8, ds, in));
    for (int i = 0; i < 50; i++) {
        double gcode = causa_dataset_column(ds, 7)[i];
        /* parents in index order: M (6), then G (7) as two indicators */
        CHECK(in[i] == causa_dataset_column(ds, 6)[i]);
        CHECK(in[50 + i] == (gcode == 1) && in[100 + i] == (gcode == 2));
    }
    CHECK_OK(causa_scm_predict(T, scm, 8, ds, pr));
    for (int i = 0; i < 50; i++) CHECK_ABS(pr[i] + pr[50 + i], 1.0, 1e-14);
    /* MLP by hand for row 0: M = mlp(L, Q) */
    double L = causa_dataset_column(ds, 3)[0], Q = causa_dataset_column(ds, 5)[0];
    double h0 = tanh(0.5 * L - 0.3 * Q + 0.05), h1 = tanh(0.2 * L + 0.8 * Q - 0.05),
           h2 = tanh(-0.6 * L + 0.1 * Q);
    double mpred;
    causa_dataset *one = NULL;
    CHECK_OK(causa_scm_predict(T, scm, 6, ds, in));
    mpred = in[0];
    CHECK_REL(mpred, 1.0 * h0 - 0.5 * h1 + 0.75 * h2 + 0.2, 1e-14);
    (void)one;
    causa_dataset_free(ds);
    causa_scm_free(scm);
}

/* ---- memory faults ---- */

static int oom_everything(causa_ctx *ctx, void *ud) {
    (void)ud;
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    causa_scm *scm = NULL, *back = NULL, *bif = NULL;
    causa_dataset *ds = NULL, *cf = NULL, *noise = NULL;
    char *text = NULL;
    size_t len = 0;
    static const char *const names[] = {"A", "B", "C", "D"};
    TRY(causa_graph_new(ctx, 4, names, &g));
    TRY(causa_graph_add_edge(ctx, g, 0, 1, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    TRY(causa_graph_add_edge(ctx, g, 1, 2, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    TRY(causa_graph_add_edge(ctx, g, 2, 3, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
    TRY(causa_scm_new(ctx, g, &scm));
    static const char *const lv[] = {"x", "y", "z"};
    TRY(causa_scm_set_discrete(ctx, scm, 2, 3, lv));
    causa_dist n = causa_dist_gaussian(0, 1);
    double emp[] = {1, 2, 3};
    causa_dist e = causa_dist_empirical(emp, 3);
    TRY(causa_scm_set_root(ctx, scm, 0, &e));
    double w[] = {0.5, 0.1, 0.2, 0.3, 0.4};
    TRY(causa_scm_set_poly(ctx, scm, 1, 2, 0, w, &n));
    TRY(causa_scm_set_scale(ctx, scm, 1, 0.1, w));
    double lg[] = {0, 0, 0.5, 1, -0.5, -1};
    TRY(causa_scm_set_logistic(ctx, scm, 2, lg));
    double wd[] = {1, -1};
    TRY(causa_scm_set_linear(ctx, scm, 3, 0, wd, &n));
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    TRY(causa_scm_sample(ctx, scm, 100, &q, &ds));
    causa_intervention iv[2];
    int64_t niv = 0;
    TRY(causa_scm_parse_interventions(ctx, scm, "B=1,C=z", CAUSA_DO_SET, iv, 2, &niv));
    q.interventions = iv;
    q.ninterventions = niv;
    TRY(causa_scm_counterfactual(ctx, scm, ds, &q, &cf));
    TRY(causa_scm_abduct(ctx, scm, ds, &q, &noise));
    TRY(causa_scm_write_buffer(ctx, scm, &text, &len));
    TRY(causa_scm_read_buffer(ctx, "m.json", text, len, &back));
    causa_ace_options o;
    causa_ace_options_init(&o);
    o.n = 500;
    causa_ace_result r;
    TRY(causa_scm_ace(ctx, back, 0, 1, 0, 3, &o, &r));
    const char *asia = harness_data("networks/asia.bif");
    TRY(causa_scm_read(ctx, asia, &bif));
done:
    causa_free(ctx, text);
    causa_dataset_free(ds);
    causa_dataset_free(cf);
    causa_dataset_free(noise);
    causa_scm_free(back);
    causa_scm_free(bif);
    causa_scm_free(scm);
    causa_graph_free(g);
    return rc;
}

TEST(scm_oom) {
    int made = harness_oom_sweep("scm", oom_everything, NULL);
    CHECK(made > 50);
}

static int oom_mixed(causa_ctx *ctx, void *ud) {
    const causa_scm *src = ud;
    causa_scm *scm = NULL;
    causa_dataset *ds = NULL;
    int rc = causa_scm_copy(ctx, src, &scm);
    if (!rc) rc = causa_scm_sample(ctx, scm, 10, NULL, &ds);
    causa_dataset_free(ds);
    causa_scm_free(scm);
    return rc;
}

TEST(scm_oom_copy) {
    causa_scm *scm = mixed_model();
    CHECK(harness_oom_sweep("scm copy", oom_mixed, scm) > 20);
    causa_scm_free(scm);
}

/* ---- stochastic interventions: causa_scm_parse_dist_interventions (--do-dist) ---- */

/* X -> Y -> Z, S -> Y with S discrete (a, b, c): Y = 1 + 2 X + 0.5 [S=b] - 1 [S=c] + N(0,
 * 0.5^2), Z = -0.5 Y + N(0, 1), X ~ N(0, 1), S ~ (0.5, 0.3, 0.2). */
static causa_scm *dist_model(void) {
    static const char *const names[] = {"X", "S", "Y", "Z"};
    static const int64_t edges[][2] = {{0, 2}, {1, 2}, {2, 3}};
    causa_graph *g = graph_of(4, names, edges, 3);
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_new(T, g, &scm));
    causa_graph_free(g);
    static const char *const lev[] = {"a", "b", "c"};
    CHECK_OK(causa_scm_set_discrete(T, scm, 1, 3, lev));
    causa_dist n1 = causa_dist_gaussian(0, 1), nh = causa_dist_gaussian(0, 0.5);
    double sp[] = {0.5, 0.3, 0.2};
    causa_dist cat = causa_dist_categorical(sp, 3);
    CHECK_OK(causa_scm_set_root(T, scm, 0, &n1));
    CHECK_OK(causa_scm_set_root(T, scm, 1, &cat));
    double wy[] = {2, 0.5, -1}; /* X, S=b, S=c */
    CHECK_OK(causa_scm_set_linear(T, scm, 2, 1, wy, &nh));
    double wz[] = {-0.5};
    CHECK_OK(causa_scm_set_linear(T, scm, 3, 0, wz, &n1));
    CHECK_OK(causa_scm_check(T, scm));
    return scm;
}

TEST(scm_do_dist_parse) {
    causa_scm *scm = dist_model();
    causa_intervention iv[8];
    double w[8];
    int64_t n = 0, nw = 0;
    /* After a --do item, in the same array; spaces and case are free. */
    CHECK_OK(causa_scm_parse_interventions(T, scm, "Z=2", CAUSA_DO_SET, iv, 8, &n));
    CHECK_OK(causa_scm_parse_dist_interventions(
        T, scm, " X = Normal( 3 , 2 ) , S=categorical(c=3, a=1)", iv, 8, &n, w, 8, &nw));
    CHECK_INT(n, 3);
    CHECK_INT(nw, 3);
    CHECK_INT(iv[1].node, 0);
    CHECK_INT(iv[1].kind, CAUSA_DO_DIST);
    CHECK_INT(iv[1].dist.kind, CAUSA_DIST_GAUSSIAN);
    CHECK_REL(iv[1].dist.loc, 3, 0);
    CHECK_REL(iv[1].dist.scale, 2, 0);
    CHECK_INT(iv[2].node, 1);
    CHECK_INT(iv[2].dist.kind, CAUSA_DIST_CATEGORICAL);
    CHECK_INT(iv[2].dist.nvalues, 3);
    CHECK(iv[2].dist.values == w);
    CHECK(w[0] == 1 && w[1] == 0 && w[2] == 3); /* unlisted level b weighs 0 */
    /* Every family, positional categorical, codes for level names. */
    n = 0, nw = 0;
    CHECK_OK(causa_scm_parse_dist_interventions(T, scm, "X=uniform(-1,1.5),Y=laplace(0.5,2)",
                                                iv, 8, &n, w, 8, &nw));
    CHECK_INT(iv[0].dist.kind, CAUSA_DIST_UNIFORM);
    CHECK(iv[0].dist.low == -1 && iv[0].dist.high == 1.5);
    CHECK_INT(iv[1].dist.kind, CAUSA_DIST_LAPLACE);
    CHECK(iv[1].dist.loc == 0.5 && iv[1].dist.scale == 2);
    CHECK_INT(nw, 0);
    n = 0;
    CHECK_OK(causa_scm_parse_dist_interventions(T, scm, "X=student-t(3),Y=t(4,1,0.5)", iv, 8,
                                                &n, w, 8, &nw));
    CHECK(iv[0].dist.kind == CAUSA_DIST_STUDENT_T && iv[0].dist.df == 3 &&
          iv[0].dist.loc == 0 && iv[0].dist.scale == 1);
    CHECK(iv[1].dist.kind == CAUSA_DIST_STUDENT_T && iv[1].dist.df == 4 &&
          iv[1].dist.loc == 1 && iv[1].dist.scale == 0.5);
    n = 0, nw = 5; /* weights appended after the ones already there */
    CHECK_OK(causa_scm_parse_dist_interventions(T, scm, "S=categorical(0.2,0.3,0.5)", iv, 8,
                                                &n, w, 8, &nw));
    CHECK_INT(nw, 8);
    CHECK(iv[0].dist.values == w + 5 && w[5] == 0.2 && w[6] == 0.3 && w[7] == 0.5);
    n = 0, nw = 0;
    CHECK_OK(causa_scm_parse_dist_interventions(T, scm, "S=categorical(2=1)", iv, 8, &n, w, 8,
                                                &nw));
    CHECK(w[0] == 0 && w[1] == 0 && w[2] == 1);
    /* Not enough room for the weights; no weights buffer at all. */
    n = 0, nw = 6;
    CHECK_ERR(causa_scm_parse_dist_interventions(T, scm, "S=categorical(1,1,1)", iv, 8, &n, w,
                                                 8, &nw), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "no room");
    CHECK_INT(nw, 6);
    CHECK_ERR(causa_scm_parse_dist_interventions(T, scm, "S=categorical(1,1,1)", iv, 8, &n,
                                                 NULL, 0, NULL), CAUSA_EINVAL);
    CHECK_OK(causa_scm_parse_dist_interventions(T, scm, "X=normal(0,1)", iv, 8, &n, NULL, 0,
                                                NULL));
    CHECK_INT(n, 1);
    /* The SET/SHIFT parser points to this one for DIST. */
    n = 0;
    CHECK_ERR(causa_scm_parse_interventions(T, scm, "X=normal(0,1)", CAUSA_DO_DIST, iv, 8, &n),
              CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "causa_scm_parse_dist_interventions");
    causa_scm_free(scm);
}

TEST(scm_do_dist_errors) {
    causa_scm *scm = dist_model();
    static const struct {
        const char *text;
        int code;
        const char *msg;
    } bad[] = {
        {"X=gamma(1,2)", CAUSA_EINVAL, "'X=gamma(1,2)': unknown distribution 'gamma'; expected normal(MEAN,SD)"},
        {"X=empirical(1,2)", CAUSA_EINVAL, "unknown distribution 'empirical'"},
        {"X=none()", CAUSA_EINVAL, "unknown distribution 'none'"},
        {"X=normal(3)", CAUSA_EINVAL, "'X=normal(3)': expected normal(MEAN,SD), got 1 argument"},
        {"X=gaussian(1,2,3)", CAUSA_EINVAL, "expected gaussian(MEAN,SD), got 3 arguments"},
        {"X=uniform()", CAUSA_EINVAL, "expected uniform(LOW,HIGH), got 0 arguments"},
        {"X=student-t(3,1)", CAUSA_EINVAL, "expected student-t(DF) or student-t(DF,LOC,SCALE)"},
        {"W=normal(0,1)", CAUSA_ENOTFOUND, "do-dist: unknown variable 'W'"},
        {"X=normal(3,-2)", CAUSA_EINVAL, "'X=normal(3,-2)': the standard deviation SD must be > 0, got -2"},
        {"X=normal(3,0)", CAUSA_EINVAL, "SD must be > 0, got 0"},
        {"X=laplace(0,-1)", CAUSA_EINVAL, "the scale must be > 0, got -1"},
        {"X=t(-3)", CAUSA_EINVAL, "DF must be > 0, got -3"},
        {"X=t(3,0,-1)", CAUSA_EINVAL, "the scale must be > 0, got -1"},
        {"X=uniform(1,1)", CAUSA_EINVAL, "uniform needs LOW < HIGH, got 1 and 1"},
        {"X=normal(0,abc)", CAUSA_EINVAL, "argument 2 of normal must be a finite number, got 'abc'"},
        {"X=normal(nan,1)", CAUSA_EINVAL, "argument 1 of normal must be a finite number"},
        {"X=normal(1e999,1)", CAUSA_EINVAL, "must be a finite number, got '1e999'"},
        {"X=normal(0,)", CAUSA_EINVAL, "empty argument 2"},
        {"X=normal", CAUSA_EINVAL, "'X=normal': expected normal(MEAN,SD)"},
        {"X=3", CAUSA_EINVAL, "'X=3': expected normal(MEAN,SD)"},
        {"X=normal(0,1", CAUSA_EINVAL, "expected ')' at the end"},
        {"X=normal(0,1)x", CAUSA_EINVAL, "unexpected 'x' after ')'"},
        {"X=normal(0,(1))", CAUSA_EINVAL, "found another parenthesis"},
        {"X", CAUSA_EINVAL, "expected NAME=DIST such as X=normal(0,1), got 'X'"},
        {"", CAUSA_EINVAL, "expected NAME=DIST"},
        {"X=normal(0,1),", CAUSA_EINVAL, "expected NAME=DIST"},
        {"=normal(0,1)", CAUSA_EINVAL, "expected NAME=DIST"},
        {"X=normal(0,1),X=uniform(0,1)", CAUSA_EINVAL, "'X' is named twice"},
        {"X=categorical(1,2)", CAUSA_EINVAL, "'X' is continuous: categorical is for discrete nodes"},
        {"S=normal(0,1)", CAUSA_EINVAL, "'S' is discrete: it takes categorical(LEVEL=WEIGHT,...) (levels: a, b, c)"},
        {"S=categorical(d=1)", CAUSA_ENOTFOUND, "variable 'S' has no level 'd' (levels: a, b, c)"},
        {"S=categorical(3=1)", CAUSA_ENOTFOUND, "has no level '3'"},
        {"S=categorical(1,2)", CAUSA_EINVAL, "one weight per level of 'S' (3: a, b, c), or LEVEL=WEIGHT pairs; got 2"},
        {"S=categorical(a=1,2)", CAUSA_EINVAL, "give every weight as LEVEL=WEIGHT, or none"},
        {"S=categorical(a=1,a=2)", CAUSA_EINVAL, "level 'a' is given twice"},
        {"S=categorical(a=-0.5,b=1)", CAUSA_EINVAL, "the weight of level 'a' must be a finite number >= 0, got '-0.5'"},
        {"S=categorical(a=0)", CAUSA_EINVAL, "positive finite sum"},
        {"S=categorical()", CAUSA_EINVAL, "categorical needs weights, e.g. categorical(a=1)"},
        {"X=normal(0,1),Y=normal(0,1),Z=normal(0,1)", CAUSA_EINVAL, "more than 2 interventions"},
    };
    causa_intervention iv[2];
    double w[3];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t n = 0, nw = 0;
        int rc = causa_scm_parse_dist_interventions(T, scm, bad[i].text, iv, 2, &n, w, 3, &nw);
        if (rc != bad[i].code || !strstr(causa_errmsg(T), bad[i].msg))
            harness_fail(__FILE__, __LINE__, "'%s': code %d, message '%s'; expected %d, '%s'",
                         bad[i].text, rc, causa_errmsg(T), bad[i].code, bad[i].msg);
        CHECK_INT(n, 0); /* unchanged on error */
        CHECK_INT(nw, 0);
    }
    CHECK_ERR(causa_scm_parse_dist_interventions(T, NULL, "X=normal(0,1)", iv, 2, &(int64_t){0},
                                                 NULL, 0, NULL), CAUSA_EINVAL);
    CHECK_ERR(causa_scm_parse_dist_interventions(T, scm, NULL, iv, 2, &(int64_t){0}, NULL, 0,
                                                 NULL), CAUSA_EINVAL);
    causa_scm_free(scm);
}

/* Query options under seed with the stochastic interventions of `text` (parsed into iv and
 * w, at most 2 and 3). */
static causa_scm_query_options dist_query(causa_scm *scm, const char *text, uint64_t seed,
                                          causa_intervention *iv, double *w) {
    int64_t niv = 0, nw = 0;
    CHECK_OK(causa_scm_parse_dist_interventions(T, scm, text, iv, 2, &niv, w, 3, &nw));
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = seed;
    q.interventions = iv;
    q.ninterventions = niv;
    return q;
}

TEST(scm_do_dist_moments) {
    /* do(X ~ N(3, 2^2)): X has mean 3 and variance 4; Y = 1 + 2 X + 0.5 [S=b] - [S=c] + N
     * has mean 1 + 6 + 0.15 - 0.2 = 6.95 (observationally 0.95) and variance 4 * 4 + 0.25 +
     * Var(0.5 [b] - [c]); Z = -0.5 Y + N has mean -3.475. The other root S is untouched. */
    causa_scm *scm = dist_model();
    causa_intervention iv[2];
    double w[3];
    causa_scm_query_options q = dist_query(scm, "X=normal(3,2)", 2385, iv, w);
    int64_t n = 200000;
    causa_dataset *ds = NULL, *obs = NULL;
    CHECK_OK(causa_scm_sample(T, scm, n, &q, &ds));
    double mean[4], var[4];
    for (int64_t j = 0; j < 4; j++) {
        const double *x = causa_dataset_column(ds, j);
        double s = 0, s2 = 0;
        for (int64_t i = 0; i < n; i++) s += x[i];
        mean[j] = s / (double)n;
        for (int64_t i = 0; i < n; i++) s2 += (x[i] - mean[j]) * (x[i] - mean[j]);
        var[j] = s2 / (double)(n - 1);
    }
    double rn = sqrt((double)n);
    CHECK_ABS(mean[0], 3, 4.5 * 2 / rn);
    CHECK_ABS(var[0], 4, 4.5 * 4 * sqrt(2.0) / rn);
    double es = 0.5 * 0.3 - 0.2, vs = 0.25 * 0.3 + 0.2 - es * es;
    double vy = 16 + 0.25 + vs;
    CHECK_ABS(mean[2], 1 + 6 + es, 4.5 * sqrt(vy) / rn);
    CHECK_ABS(var[2], vy, 4.5 * vy * sqrt(2.0) / rn);
    CHECK_ABS(mean[3], -0.5 * (1 + 6 + es), 4.5 * sqrt(0.25 * vy + 1) / rn);
    /* S keeps its own draws (common random numbers): the same codes as without the
     * intervention, under the same seed. */
    causa_scm_query_options q0 = q;
    q0.interventions = NULL;
    q0.ninterventions = 0;
    CHECK_OK(causa_scm_sample(T, scm, n, &q0, &obs));
    CHECK(memcmp(causa_dataset_column(ds, 1), causa_dataset_column(obs, 1),
                 (size_t)n * sizeof(double)) == 0);
    causa_dataset_free(ds);
    ds = NULL;
    /* A categorical on S: frequencies within Monte-Carlo error of (0.1, 0, 0.9). */
    q = dist_query(scm, "S=categorical(a=1,c=9)", 2385, iv, w);
    CHECK_OK(causa_scm_sample(T, scm, n, &q, &ds));
    const double *s = causa_dataset_column(ds, 1);
    int64_t cnt[3] = {0, 0, 0};
    for (int64_t i = 0; i < n; i++) cnt[(int)s[i]]++;
    CHECK_ABS((double)cnt[0] / (double)n, 0.1, 4.5 * 0.3 / rn);
    CHECK_INT(cnt[1], 0);
    CHECK_STR(causa_dataset_level(ds, 1, 2), "c");
    causa_dataset_free(ds);
    causa_dataset_free(obs);
    causa_scm_free(scm);
}

TEST(scm_do_dist_threads_and_counterfactual) {
    /* Bit-identical for any thread count, over several blocks; counterfactuals draw a fresh
     * X per row, keyed on the seed, and keep every other node's abducted noise. */
    causa_scm *scm = dist_model();
    causa_intervention iv[2];
    double w[3];
    causa_scm_query_options q = dist_query(scm, "X=laplace(1,0.5),S=categorical(1,2,3)", 77, iv, w);
    int64_t n = 2 * CAUSA_SCM_BLOCK + 5;
    causa_dataset *d1 = NULL, *d2 = NULL, *obs = NULL, *c1 = NULL, *c2 = NULL, *c3 = NULL;
    causa_ctx_set_threads(T, 1);
    CHECK_OK(causa_scm_sample(T, scm, n, &q, &d1));
    causa_ctx_set_threads(T, 2);
    CHECK_OK(causa_scm_sample(T, scm, n, &q, &d2));
    CHECK(same_data(d1, d2));
    causa_scm_query_options q0;
    causa_scm_query_options_init(&q0);
    q0.seed = 5;
    CHECK_OK(causa_scm_sample(T, scm, n, &q0, &obs));
    q = dist_query(scm, "X=uniform(10,11)", 77, iv, w);
    causa_ctx_set_threads(T, 1);
    CHECK_OK(causa_scm_counterfactual(T, scm, obs, &q, &c1));
    causa_ctx_set_threads(T, 2);
    CHECK_OK(causa_scm_counterfactual(T, scm, obs, &q, &c2));
    CHECK(same_data(c1, c2));
    q.seed = 78;
    CHECK_OK(causa_scm_counterfactual(T, scm, obs, &q, &c3));
    const double *x0 = causa_dataset_column(obs, 0), *x1 = causa_dataset_column(c1, 0),
                 *x3 = causa_dataset_column(c3, 0);
    const double *y0 = causa_dataset_column(obs, 2), *y1 = causa_dataset_column(c1, 2);
    const double *z0 = causa_dataset_column(obs, 3), *z1 = causa_dataset_column(c1, 3);
    int64_t distinct = 0, differ = 0;
    for (int64_t i = 0; i < n; i++) {
        CHECK(x1[i] >= 10 && x1[i] < 11);
        distinct += i > 0 && x1[i] != x1[i - 1];
        differ += x1[i] != x3[i];
        /* Y moves by exactly 2 (X1 - X0); Z by -0.5 of that. */
        CHECK_ABS(y1[i] - y0[i], 2 * (x1[i] - x0[i]), 1e-9);
        CHECK_ABS(z1[i] - z0[i], -(x1[i] - x0[i]), 1e-9);
    }
    CHECK(distinct == n - 1); /* a fresh draw per row */
    CHECK(differ == n);       /* and another seed, another draw */
    CHECK(memcmp(causa_dataset_column(c1, 1), causa_dataset_column(obs, 1),
                 (size_t)n * sizeof(double)) == 0); /* S is not downstream */
    causa_ctx_set_threads(T, 1);
    causa_dataset_free(d1);
    causa_dataset_free(d2);
    causa_dataset_free(obs);
    causa_dataset_free(c1);
    causa_dataset_free(c2);
    causa_dataset_free(c3);
    causa_scm_free(scm);
}
