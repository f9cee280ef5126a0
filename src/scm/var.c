/*
 * var.c: the vector-autoregressive (structural VAR) time-series simulator, for time-series
 * causal discovery (docs/ALGORITHMS.md, "Simulating SCMs", "Time series").
 *
 *     X_t = B_0 X_t + sum_{l=1..L} B_l X_{t-l} + e_t
 *
 * B_0 (contemporaneous effects) has the edges of a random DAG (causa_graph_random_dag with
 * expected degree `degree`, streams 0 and 1 of the series' model seed), so X_t is computed
 * variable by variable in topological order; each entry (to, from) of each lag matrix B_l is
 * an effect with probability lag_degree / p (self-lags included), so a variable has about
 * lag_degree lagged parents per lag. Weights: |w| uniform in [weight_low, weight_high],
 * random sign (stream 2); noise per variable of the chosen kind with sd uniform in
 * [noise_low, noise_high] (stream 3).
 *
 * Stability. The reduced form is X_t = sum_l A_l X_{t-l} + (I - B_0)^-1 e_t with A_l =
 * (I - B_0)^-1 B_l (LAPACK dgesv). The process is stable when the companion matrix
 * [[A_1 ... A_L], [I 0]] has spectral radius < 1 (dgeev). Replacing B_l by c^l B_l
 * replaces every eigenvalue lambda by c lambda (the characteristic polynomial
 * det(lambda^L I - sum_l A_l lambda^(L-l)) is homogeneous in (lambda, A_l c^-l)), so when the
 * radius rho exceeds max_radius the lag matrices are scaled with c = max_radius / rho, and
 * the radius becomes max_radius exactly. The series starts at X = 0; the first burn_in
 * steps are dropped. The noise of variable v is drawn from stream v of the series' row
 * seed, so the same seed gives the same series anywhere.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../linalg/lstsq_i.h"
#include "scm_i.h"
#include "simulate_i.h"

void causa_var_options_init(causa_var_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->nodes = 5;
    opt->lags = 1;
    opt->degree = 1.0;
    opt->lag_degree = 1.0;
    opt->n = 1000;
    opt->burn_in = 200;
    opt->noise = CAUSA_SIM_NOISE_GAUSSIAN;
    opt->weight_low = 0.2;
    opt->weight_high = 0.8;
    opt->noise_low = 0.5;
    opt->noise_high = 1.0;
    opt->max_radius = 0.9;
    opt->datasets = 1;
}

static int check(causa_ctx *ctx, const causa_var_options *o) {
    if (o->nodes < 1 || o->nodes > 10000)
        return causa_i_error(ctx, CAUSA_EINVAL, "var: nodes must be in [1, 10000], got %lld", (long long)o->nodes);
    if (o->lags < 1 || o->lags > 100)
        return causa_i_error(ctx, CAUSA_EINVAL, "var: lags must be in [1, 100], got %lld", (long long)o->lags);
    if (!(o->degree >= 0) || !(o->degree <= (double)(o->nodes - 1)))
        return causa_i_error(ctx, CAUSA_EINVAL, "var: degree must be in [0, nodes - 1] = [0, %lld], got %g",
                             (long long)(o->nodes - 1), o->degree);
    if (!(o->lag_degree >= 0) || !(o->lag_degree <= (double)o->nodes))
        return causa_i_error(ctx, CAUSA_EINVAL, "var: lag degree must be in [0, nodes] = [0, %lld], got %g",
                             (long long)o->nodes, o->lag_degree);
    if (o->n < 1) return causa_i_error(ctx, CAUSA_EINVAL, "var: n (time steps) must be >= 1, got %lld", (long long)o->n);
    if (o->burn_in < 0)
        return causa_i_error(ctx, CAUSA_EINVAL, "var: burn-in must be >= 0, got %lld", (long long)o->burn_in);
    if (o->noise < 0 || o->noise > 3)
        return causa_i_error(ctx, CAUSA_EINVAL, "var: noise must be gaussian, laplace, uniform or mixed (got %d)",
                             o->noise);
    if (!(o->weight_low >= 0) || !(o->weight_high >= o->weight_low) || !isfinite(o->weight_high))
        return causa_i_error(ctx, CAUSA_EINVAL, "var: weights need 0 <= weight_low <= weight_high, got [%g, %g]",
                             o->weight_low, o->weight_high);
    if (!(o->noise_low > 0) || !(o->noise_high >= o->noise_low) || !isfinite(o->noise_high))
        return causa_i_error(ctx, CAUSA_EINVAL, "var: noise sd needs 0 < noise_low <= noise_high, got [%g, %g]",
                             o->noise_low, o->noise_high);
    if (!(o->max_radius > 0 && o->max_radius < 1))
        return causa_i_error(ctx, CAUSA_EINVAL, "var: max radius must be in (0, 1), got %g", o->max_radius);
    if (o->datasets < 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "var: datasets must be >= 1, got %lld", (long long)o->datasets);
    if (o->data_format != 0 && o->data_format != 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "var: data_format must be 0 (csv) or 1 (npy), got %d", o->data_format);
    return CAUSA_OK;
}

/* Scales the lag matrices so the companion matrix has spectral radius <= max_radius. */
static int stabilise(causa_ctx *ctx, double *B, int64_t p, int64_t L, double max_radius) {
    int rc = CAUSA_OK;
    int64_t pl = p * L;
    double *m = NULL, *a = NULL, *c = NULL;
    int *ipiv = NULL;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&m, (size_t)(p * p) * sizeof *m, "I - B0"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&a, causa_i_mul_size((size_t)p, (size_t)pl * sizeof *a), "lag matrices"));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&c, causa_i_mul_size((size_t)pl, (size_t)pl * sizeof *c),
                             "the companion matrix"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&ipiv, (size_t)p * sizeof *ipiv, "pivots"));
    /* Column-major: element (to, from) at [to + from * p]. */
    for (int64_t to = 0; to < p; to++)
        for (int64_t from = 0; from < p; from++) {
            m[to + from * p] = (to == from ? 1.0 : 0.0) - B[to * p + from];
            for (int64_t l = 1; l <= L; l++) a[to + ((l - 1) * p + from) * p] = B[(l * p + to) * p + from];
        }
    rc = causa_i_gesv(m, p, a, p, pl, ipiv);
    if (rc) {
        rc = causa_i_error(ctx, CAUSA_EINTERNAL, "var: I - B0 is singular (B0 must be acyclic)");
        goto done;
    }
    for (int64_t j = 0; j < pl; j++)
        for (int64_t i = 0; i < p; i++) c[i + j * pl] = a[i + j * p];
    for (int64_t i = 0; i + p < pl; i++) c[(p + i) + i * pl] = 1.0;
    double rho = 0.0;
    CAUSA_TRY(causa_i_spectral_radius(ctx, c, pl, &rho));
    if (rho > max_radius) {
        double s = max_radius / rho, f = 1.0;
        for (int64_t l = 1; l <= L; l++) {
            f *= s;
            for (int64_t q = 0; q < p * p; q++) B[l * p * p + q] *= f;
        }
    }
done:
    causa_i_free(ctx, m);
    causa_i_free(ctx, a);
    causa_i_free(ctx, c);
    causa_i_free(ctx, ipiv);
    return rc;
}

/* The full time graph over lags 0..L (lag-major node order, lag L first), edges labelled
 * with their coefficients. */
static int window_graph(causa_ctx *ctx, const double *B, int64_t p, int64_t L, causa_graph **out) {
    int rc = CAUSA_OK;
    causa_graph *g = NULL;
    int64_t nn = p * (L + 1);
    CAUSA_TRY(causa_graph_new(ctx, 0, NULL, &g));
    for (int64_t s = L; s >= 0; s--)
        for (int64_t v = 0; v < p; v++) {
            char name[64];
            if (s > 0) snprintf(name, sizeof name, "X%lld[t-%lld]", (long long)(v + 1), (long long)s);
            else snprintf(name, sizeof name, "X%lld[t]", (long long)(v + 1));
            CAUSA_TRY(causa_graph_add_node(ctx, g, name, NULL));
        }
    (void)nn;
    for (int64_t s = 0; s <= L; s++)         /* the effect's lag */
        for (int64_t l = 0; s + l <= L; l++) /* the effect's delay */
            for (int64_t to = 0; to < p; to++)
                for (int64_t from = 0; from < p; from++) {
                    double w = B[(l * p + to) * p + from];
                    if (w == 0.0) continue;
                    int64_t a = (L - (s + l)) * p + from, b = (L - s) * p + to;
                    CAUSA_TRY(causa_graph_add_edge(ctx, g, a, b, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW));
                    char lab[32];
                    snprintf(lab, sizeof lab, "%.6g", w);
                    CAUSA_TRY(causa_graph_set_edge_label(ctx, g, a, b, lab));
                }
    CAUSA_TRY(causa_graph_set_kind(ctx, g, CAUSA_KIND_DAG));
    *out = g;
    g = NULL;
done:
    causa_graph_free(g);
    return rc;
}

int causa_var_simulate(causa_ctx *ctx, const causa_var_options *opt, int64_t k,
                       causa_dataset **series, causa_graph **window, double **coefs) {
    if (!ctx || !opt || !series) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_var_simulate: NULL argument");
    *series = NULL;
    if (window) *window = NULL;
    if (coefs) *coefs = NULL;
    int rc = check(ctx, opt);
    if (rc) return rc;
    if (k < 0 || k >= opt->datasets)
        return causa_i_error(ctx, CAUSA_EINVAL, "var: series %lld out of range [0, %lld)", (long long)k,
                             (long long)opt->datasets);
    const causa_var_options *o = opt;
    int64_t p = o->nodes, L = o->lags, T = o->burn_in + o->n;
    uint64_t seed = o->seed ? o->seed : causa_ctx_seed(ctx), mseed, rseed;
    causa_i_sim_seeds(seed, k, &mseed, &rseed);
    causa_graph *g0 = NULL, *win = NULL;
    causa_edge *edges = NULL;
    double *B = NULL, *x = NULL, *e = NULL;
    int64_t *order = NULL;
    causa_dataset *ds = NULL;
    causa_dist *noise = NULL;
    /* Sparse rows of the effects: for each (lag, to), the list of (from, weight). */
    int64_t *start = NULL, *from_idx = NULL;
    double *wt = NULL;
    CAUSA_TRY(causa_graph_random_dag(ctx, p, o->degree, mseed, &g0));
    CAUSA_TRY(causa_i_alloc0(ctx, (void **)&B, causa_i_mul_size((size_t)((L + 1) * p), (size_t)p * sizeof *B),
                             "VAR coefficients"));
    int64_t ne = causa_graph_nedges(g0);
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&edges, (size_t)CAUSA_MAX(ne, 1) * sizeof *edges, "edges"));
    causa_graph_edges(g0, edges);
    causa_rng rng;
    causa_rng_init(&rng, mseed, 2);
    for (int64_t i = 0; i < ne; i++) {
        int fwd = edges[i].mark_b == CAUSA_MARK_ARROW;
        int64_t from = fwd ? edges[i].a : edges[i].b, to = fwd ? edges[i].b : edges[i].a;
        B[to * p + from] = causa_i_sim_weight(&rng, o->weight_low, o->weight_high);
    }
    double q = o->lag_degree / (double)p;
    for (int64_t l = 1; l <= L; l++)
        for (int64_t to = 0; to < p; to++)
            for (int64_t from = 0; from < p; from++)
                if (causa_rng_uniform(&rng) < q)
                    B[(l * p + to) * p + from] = causa_i_sim_weight(&rng, o->weight_low, o->weight_high);
    CAUSA_TRY(stabilise(ctx, B, p, L, o->max_radius));

    /* Noise: one distribution per variable, draws from the row seed's stream v. */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&noise, (size_t)p * sizeof *noise, "noise"));
    causa_rng_init(&rng, mseed, 3);
    for (int64_t v = 0; v < p; v++) {
        int kind = o->noise == CAUSA_SIM_NOISE_MIXED ? (int)causa_rng_below(&rng, 3) : o->noise;
        double sd = o->noise_low + (o->noise_high - o->noise_low) * causa_rng_uniform(&rng);
        noise[v] = causa_i_sim_noise(kind, sd);
    }
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&e, causa_i_mul_size((size_t)T, (size_t)p * sizeof *e), "noise draws"));
    for (int64_t v = 0; v < p; v++) {
        causa_rng_init(&rng, rseed, (uint64_t)v);
        causa_i_dist_fill(&noise[v], &rng, e + v * T, T);
    }
    /* Sparse effect lists. */
    int64_t nnz = 0;
    for (int64_t q2 = 0; q2 < (L + 1) * p * p; q2++) nnz += B[q2] != 0.0;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&start, (size_t)((L + 1) * p + 1) * sizeof *start, "effect lists"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&from_idx, (size_t)CAUSA_MAX(nnz, 1) * sizeof *from_idx, "effect lists"));
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&wt, (size_t)CAUSA_MAX(nnz, 1) * sizeof *wt, "effect lists"));
    nnz = 0;
    for (int64_t r = 0; r < (L + 1) * p; r++) {
        start[r] = nnz;
        for (int64_t from = 0; from < p; from++)
            if (B[r * p + from] != 0.0) {
                from_idx[nnz] = from;
                wt[nnz++] = B[r * p + from];
            }
    }
    start[(L + 1) * p] = nnz;
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&order, (size_t)p * sizeof *order, "a topological order"));
    CAUSA_TRY(causa_graph_topological_order(ctx, g0, order));
    /* The recursion, row-major in time: x[t * p + v]. */
    CAUSA_TRY(causa_i_alloc(ctx, (void **)&x, causa_i_mul_size((size_t)T, (size_t)p * sizeof *x), "the series"));
    for (int64_t t = 0; t < T; t++) {
        double *xt = x + t * p;
        for (int64_t i = 0; i < p; i++) {
            int64_t v = order[i];
            double s = e[v * T + t];
            for (int64_t l = 0; l <= L && l <= t; l++) {
                const double *xs = x + (t - l) * p;
                int64_t r = l * p + v;
                for (int64_t j = start[r]; j < start[r + 1]; j++) s += wt[j] * xs[from_idx[j]];
            }
            xt[v] = s;
        }
    }
    CAUSA_TRY(causa_dataset_new(ctx, o->n, p, &ds));
    double *d = causa_dataset_data_mut(ds);
    for (int64_t v = 0; v < p; v++)
        for (int64_t t = 0; t < o->n; t++) {
            double val = x[(o->burn_in + t) * p + v];
            if (!isfinite(val)) {
                rc = causa_i_error(ctx, CAUSA_ERANGE, "var: the series diverged (not finite)");
                goto done;
            }
            d[v * o->n + t] = val;
        }
    if (window) CAUSA_TRY(window_graph(ctx, B, p, L, &win));
    *series = ds;
    ds = NULL;
    if (window) {
        *window = win;
        win = NULL;
    }
    if (coefs) {
        *coefs = B;
        B = NULL;
    }
done:
    causa_graph_free(g0);
    causa_graph_free(win);
    causa_dataset_free(ds);
    causa_i_free(ctx, edges);
    causa_i_free(ctx, B);
    causa_i_free(ctx, x);
    causa_i_free(ctx, e);
    causa_i_free(ctx, order);
    causa_i_free(ctx, noise);
    causa_i_free(ctx, start);
    causa_i_free(ctx, from_idx);
    causa_i_free(ctx, wt);
    return rc;
}

/* ---- writing a run ---- */

typedef struct var_job {
    const causa_var_options *o;
    const char *dir;
} var_job;

static int var_one(void *ud, causa_ctx *wctx, int64_t k) {
    var_job *j = ud;
    const causa_var_options *o = j->o;
    int64_t p = o->nodes, L = o->lags;
    causa_dataset *ds = NULL;
    causa_graph *win = NULL;
    double *B = NULL;
    char sub[4096], path[4200];
    causa_i_buf b;
    causa_i_buf_init(&b, wctx);
    int rc = CAUSA_OK;
    CAUSA_TRY(causa_i_sim_dataset_dir(wctx, j->dir, k, sub, sizeof sub));
    CAUSA_TRY(causa_var_simulate(wctx, o, k, &ds, &win, &B));
    CAUSA_TRY(causa_i_sim_mkdir(wctx, sub));
    snprintf(path, sizeof path, "%s/data.%s", sub, o->data_format ? "npy" : "csv");
    CAUSA_TRY(o->data_format ? causa_npy_write(wctx, ds, path) : causa_csv_write(wctx, ds, path));
    causa_graph_io_options io;
    causa_graph_io_options_init(&io);
    io.format = CAUSA_FORMAT_JSON;
    snprintf(path, sizeof path, "%s/graph.json", sub);
    CAUSA_TRY(causa_graph_write(wctx, win, path, &io));
    /* summary.csv: row = cause, column = effect, the smallest lag (-1: none). */
    CAUSA_TRY(causa_i_buf_printf(&b, "cause"));
    for (int64_t v = 0; v < p; v++) CAUSA_TRY(causa_i_buf_printf(&b, ",X%lld", (long long)(v + 1)));
    CAUSA_TRY(causa_i_buf_printf(&b, "\n"));
    for (int64_t from = 0; from < p; from++) {
        CAUSA_TRY(causa_i_buf_printf(&b, "X%lld", (long long)(from + 1)));
        for (int64_t to = 0; to < p; to++) {
            int64_t lag = -1;
            for (int64_t l = 0; l <= L && lag < 0; l++)
                if (B[(l * p + to) * p + from] != 0.0) lag = l;
            CAUSA_TRY(causa_i_buf_printf(&b, ",%lld", (long long)lag));
        }
        CAUSA_TRY(causa_i_buf_printf(&b, "\n"));
    }
    snprintf(path, sizeof path, "%s/summary.csv", sub);
    CAUSA_TRY(causa_write_file(wctx, path, b.data, b.len));
    b.len = 0;
    CAUSA_TRY(causa_i_buf_printf(&b, "lag,from,to,weight\n"));
    for (int64_t l = 0; l <= L; l++)
        for (int64_t to = 0; to < p; to++)
            for (int64_t from = 0; from < p; from++) {
                double w = B[(l * p + to) * p + from];
                if (w != 0.0)
                    CAUSA_TRY(causa_i_buf_printf(&b, "%lld,X%lld,X%lld,%.17g\n", (long long)l, (long long)(from + 1),
                                                 (long long)(to + 1), w));
            }
    snprintf(path, sizeof path, "%s/coefs.csv", sub);
    CAUSA_TRY(causa_write_file(wctx, path, b.data, b.len));
done:
    causa_i_buf_free(&b);
    causa_dataset_free(ds);
    causa_graph_free(win);
    causa_i_free(wctx, B);
    return rc;
}

int causa_var_write(causa_ctx *ctx, const causa_var_options *opt, const char *dir) {
    if (!ctx || !opt || !dir) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_var_write: NULL argument");
    int rc = check(ctx, opt);
    if (rc) return rc;
    if (!*dir) return causa_i_error(ctx, CAUSA_EINVAL, "var: empty output directory name");
    rc = causa_i_sim_mkdir(ctx, dir);
    if (rc) return rc;
    causa_var_options o = *opt;
    if (!o.seed) o.seed = causa_ctx_seed(ctx);
    var_job j = {&o, dir};
    return causa_i_sim_parallel(ctx, o.datasets, "series", var_one, &j);
}
