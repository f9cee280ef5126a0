/*
 * simulate.c: random structural causal models and their data (docs/ALGORITHMS.md,
 * "Simulating SCMs").
 *
 * Data set k of a run with seed s: a splitmix-style draw from stream (s, k) gives the data
 * set's model seed and row seed. The model seed keys everything about the model: the graph
 * (streams 0 and 1: causa_graph_random_dag, _scale_free or _layered), which nodes are
 * discrete and their level counts (stream 2), and each node's mechanism (stream 16 + v),
 * so a node's parameters do not depend on the other nodes' draws. The rows are drawn by
 * causa_scm_sample with the row seed. Nothing depends on the thread count.
 *
 * A continuous node with m encoded inputs gets, by --mechanism (MIXED: one of the three
 * per node, uniformly):
 *   LINEAR  X = sum_j w_j u_j + N, |w_j| uniform in [weight_low, weight_high], random sign;
 *   POLY    X = every monomial of degree 1 and 2 of the inputs (causa_poly_design's order),
 *           each with such a weight, + N;
 *   MLP     X = v . tanh(W u + b) + N with one hidden layer of mlp_hidden units: W_qj such
 *           weights divided by sqrt(m), b_q uniform in [-1, 1], v_q such weights divided by
 *           sqrt(mlp_hidden);
 * N of the --noise kind (MIXED: one per node) with mean 0 and standard deviation uniform in
 * [noise_low, noise_high]. A continuous root is X = N.
 * A discrete node (a share discrete_fraction of the nodes, chosen at random; levels
 * uniform in 2..max_levels, named "0", "1", ...) gets a probability table when it is a
 * root (Dirichlet(2) probabilities) or when every parent is discrete (rows Dirichlet(1)),
 * else a multinomial logistic mechanism: level 0 the reference, level k >= 1 with
 * intercept uniform in [-0.5, 0.5] and weights as above on the inputs.
 *
 * Standardisation (standardize = 1, the default; Ormaniec, Sussex, Lorch, Schoelkopf &
 * Krause 2024, "Standardizing structural causal models", whose iSCM standardises every
 * variable as it is generated): nodes are generated in topological order on a pilot of 256
 * rows (drawn from stream pilot + v), each continuous node's pilot values x = f(u) + N
 * give a mean mu and sd s, and the mechanism is rewritten as (f(u) - mu) / s + N / s
 * (weights, intercept and noise scale divided: exact for these families, since f is
 * linear in its output-layer weights). A continuous root gets sd 1 exactly. So every
 * continuous variable has mean about 0 and variance about 1 whatever its depth, which
 * keeps polynomials of polynomials finite and removes the "varsortability" of raw
 * simulations (Reisach, Seiler & Weichwald 2021). standardize = 0 keeps the raw weights.
 * The pilot is evaluated with the model's own mechanism code (causa_i_eval_*).
 * A model of LINEAR mechanisms only (no discrete nodes, p <= 2000) needs no pilot: its
 * covariance is propagated exactly in topological order (var f = w' C_PP w, then
 * cov(X_v, X_u) = sum_j w_j C(pa_j, u)), so every variable has variance exactly 1 and mean
 * exactly 0.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "scm_i.h"
#include "simulate_i.h"

#define PILOT 256

/* ---- names and options ---- */

static const char *const graph_names[] = {"er", "scale-free", "layered"};
static const char *const mech_names[] = {"linear", "poly", "mlp", "mixed"};
static const char *const noise_names[] = {"gaussian", "laplace", "uniform", "mixed"};

static int from_name(const char *const *names, int n, const char *name) {
    if (!name) return -1;
    for (int i = 0; i < n; i++)
        if (strcasecmp(name, names[i]) == 0) return i;
    return -1;
}

const char *causa_sim_graph_name(int g) { return g >= 0 && g < 3 ? graph_names[g] : NULL; }
int causa_sim_graph_from_name(const char *name) {
    int r = from_name(graph_names, 3, name);
    if (r < 0 && name && (strcasecmp(name, "erdos-renyi") == 0 || strcasecmp(name, "random") == 0)) r = 0;
    if (r < 0 && name && (strcasecmp(name, "sf") == 0 || strcasecmp(name, "ba") == 0)) r = 1;
    return r;
}
const char *causa_sim_mechanism_name(int m) { return m >= 0 && m < 4 ? mech_names[m] : NULL; }
int causa_sim_mechanism_from_name(const char *name) {
    int r = from_name(mech_names, 4, name);
    if (r < 0 && name && strcasecmp(name, "poly2") == 0) r = CAUSA_SIM_POLY;
    return r;
}
const char *causa_sim_noise_name(int n) { return n >= 0 && n < 4 ? noise_names[n] : NULL; }
int causa_sim_noise_from_name(const char *name) {
    int r = from_name(noise_names, 4, name);
    if (r < 0 && name && strcasecmp(name, "normal") == 0) r = 0;
    return r;
}

void causa_sim_options_init(causa_sim_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->nodes = 20;
    opt->degree = 2.0;
    opt->graph = CAUSA_SIM_GRAPH_ER;
    opt->layers = 0;
    opt->mechanism = CAUSA_SIM_LINEAR;
    opt->noise = CAUSA_SIM_NOISE_GAUSSIAN;
    opt->discrete_fraction = 0.0;
    opt->max_levels = 3;
    opt->n = 1000;
    opt->datasets = 1;
    opt->seed = 0;
    opt->weight_low = 0.5;
    opt->weight_high = 2.0;
    opt->noise_low = 0.5;
    opt->noise_high = 1.0;
    opt->mlp_hidden = 8;
    opt->standardize = 1;
    opt->data_format = 0;
    opt->graph_format = CAUSA_FORMAT_JSON;
}

int causa_sim_options_check(causa_ctx *ctx, const causa_sim_options *o) {
    if (!o) return causa_i_error(ctx, CAUSA_EMISUSE, "simulate: NULL options");
    if (o->nodes < 1 || o->nodes > 100000)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: nodes must be in [1, 100000], got %lld", (long long)o->nodes);
    if (!(o->degree >= 0) || !(o->degree <= (double)(o->nodes - 1)))
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: degree must be in [0, nodes - 1] = [0, %lld], got %g",
                             (long long)(o->nodes - 1), o->degree);
    if (o->graph < 0 || o->graph > 2)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: graph must be er, scale-free or layered (got %d)", o->graph);
    if (o->layers < 0 || o->layers > o->nodes)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: layers must be in [0, nodes], got %lld", (long long)o->layers);
    if (o->mechanism < 0 || o->mechanism > 3)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: mechanism must be linear, poly, mlp or mixed (got %d)",
                             o->mechanism);
    if (o->noise < 0 || o->noise > 3)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: noise must be gaussian, laplace, uniform or mixed (got %d)",
                             o->noise);
    if (!(o->discrete_fraction >= 0 && o->discrete_fraction <= 1))
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: discrete fraction must be in [0, 1], got %g",
                             o->discrete_fraction);
    if (o->max_levels < 2 || o->max_levels > 100)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: max levels must be in [2, 100], got %lld",
                             (long long)o->max_levels);
    if (o->n < 1) return causa_i_error(ctx, CAUSA_EINVAL, "simulate: n (rows) must be >= 1, got %lld", (long long)o->n);
    if (o->datasets < 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: datasets must be >= 1, got %lld", (long long)o->datasets);
    if (!(o->weight_low >= 0) || !(o->weight_high >= o->weight_low) || !isfinite(o->weight_high))
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: weights need 0 <= weight_low <= weight_high, got [%g, %g]",
                             o->weight_low, o->weight_high);
    if (!(o->noise_low > 0) || !(o->noise_high >= o->noise_low) || !isfinite(o->noise_high))
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: noise sd needs 0 < noise_low <= noise_high, got [%g, %g]",
                             o->noise_low, o->noise_high);
    if (o->mlp_hidden < 1 || o->mlp_hidden > 1024)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: mlp_hidden must be in [1, 1024], got %lld",
                             (long long)o->mlp_hidden);
    if (o->data_format != 0 && o->data_format != 1)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: data_format must be 0 (csv) or 1 (npy), got %d",
                             o->data_format);
    return CAUSA_OK;
}

/* ---- shared helpers ---- */

void causa_i_sim_seeds(uint64_t seed, int64_t k, uint64_t *model_seed, uint64_t *row_seed) {
    causa_rng r;
    causa_rng_init(&r, seed, (uint64_t)k);
    *model_seed = causa_rng_u64(&r);
    *row_seed = causa_rng_u64(&r);
}

causa_dist causa_i_sim_noise(int kind, double sd) {
    switch (kind) {
    case CAUSA_SIM_NOISE_LAPLACE: return causa_dist_laplace(0.0, sd / sqrt(2.0));
    case CAUSA_SIM_NOISE_UNIFORM: return causa_dist_uniform(-sd * sqrt(3.0), sd * sqrt(3.0));
    default: return causa_dist_gaussian(0.0, sd);
    }
}

double causa_i_sim_weight(causa_rng *rng, double lo, double hi) {
    double a = lo + (hi - lo) * causa_rng_uniform(rng);
    return causa_rng_uniform(rng) < 0.5 ? -a : a;
}

/* Noise scaled by 1 / s (mean 0 kept). */
static causa_dist scale_noise(causa_dist d, double s) {
    d.loc /= s;
    d.scale /= s;
    d.low /= s;
    d.high /= s;
    return d;
}

/* Dirichlet(alpha) probabilities into p[0..k-1]. */
static void dirichlet(causa_rng *rng, double alpha, double *p, int64_t k) {
    double s = 0.0;
    for (int64_t i = 0; i < k; i++) s += p[i] = causa_rng_gamma(rng, alpha);
    for (int64_t i = 0; i < k; i++) p[i] = s > 0 ? p[i] / s : 1.0 / (double)k;
}

/* ---- one model ---- */

typedef struct sim_ws {
    double *pilot;        /* p x PILOT: node v's pilot values at pilot + v * PILOT */
    const double **cols;  /* p pointers into pilot */
    double *work;         /* PILOT * work_per_row, grown as mechanisms are set */
    int64_t work_rows;    /* its capacity in per-row units */
    double *loc;          /* PILOT */
    double *probs;        /* PILOT * max levels */
    double *params;       /* parameters of one mechanism */
    size_t params_cap;
    double *cov;          /* exact standardisation of linear models: p x p, or NULL */
    unsigned char *made;  /* p: node generated (for cov) */
    int64_t p;
} sim_ws;

static int params_reserve(causa_ctx *ctx, sim_ws *w, size_t n) {
    if (n <= w->params_cap) return CAUSA_OK;
    double *p = causa_i_realloc(ctx, w->params, n * sizeof *p);
    if (!p) return causa_i_nomem(ctx, "simulated parameters", n * sizeof *p);
    w->params = p;
    w->params_cap = n;
    return CAUSA_OK;
}

static int work_reserve(causa_ctx *ctx, const causa_scm *scm, sim_ws *w) {
    int64_t need = causa_i_scm_work_per_row(scm);
    if (need <= w->work_rows) return CAUSA_OK;
    double *p = causa_i_realloc(ctx, w->work, causa_i_mul_size((size_t)(need * PILOT), sizeof *p));
    if (!p) return causa_i_nomem(ctx, "a pilot workspace", (size_t)(need * PILOT) * sizeof *p);
    w->work = p;
    w->work_rows = need;
    return CAUSA_OK;
}

/* Sets node v's discrete mechanism and draws its pilot codes. */
static int discrete_node(causa_ctx *ctx, causa_scm *scm, int64_t v, const causa_sim_options *o,
                         causa_rng *rng, causa_rng *prng, sim_ws *w) {
    int rc = CAUSA_OK;
    int64_t K = causa_scm_nlevels(scm, v), np = 0, m = causa_scm_ninputs(scm, v);
    const int64_t *pa = causa_scm_parents(scm, v, &np);
    int64_t rows = 1;
    int table = 1;
    for (int64_t k = 0; k < np && table; k++) {
        if (causa_scm_type(scm, pa[k]) != CAUSA_DISCRETE) table = 0;
        else if ((rows *= causa_scm_nlevels(scm, pa[k])) > 100000) table = 0;
    }
    if (table) {
        CAUSA_TRY(params_reserve(ctx, w, (size_t)(rows * K)));
        for (int64_t r = 0; r < rows; r++) dirichlet(rng, np == 0 ? 2.0 : 1.0, w->params + r * K, K);
        CAUSA_TRY(causa_scm_set_cpt(ctx, scm, v, w->params));
    } else {
        CAUSA_TRY(params_reserve(ctx, w, (size_t)(K * (1 + m))));
        double *c = w->params;
        for (int64_t j = 0; j <= m; j++) c[j] = 0.0;
        for (int64_t k = 1; k < K; k++) {
            double *row = c + k * (1 + m);
            row[0] = causa_rng_uniform(rng) - 0.5;
            for (int64_t j = 1; j <= m; j++) row[j] = causa_i_sim_weight(rng, o->weight_low, o->weight_high);
        }
        CAUSA_TRY(causa_scm_set_logistic(ctx, scm, v, c));
    }
    /* Pilot codes, for the children's pilot (standardisation only). */
    if (w->pilot) {
        CAUSA_TRY(work_reserve(ctx, scm, w));
        causa_i_eval_probs(scm, v, w->cols, PILOT, w->work, w->probs);
        double *x = w->pilot + v * PILOT;
        for (int64_t i = 0; i < PILOT; i++)
            x[i] = (double)causa_i_invert_level(w->probs + i * K, K, causa_rng_uniform(prng));
    }
done:
    return rc;
}

/* Sets node v's continuous mechanism (standardised on the pilot when asked). */
static int continuous_node(causa_ctx *ctx, causa_scm *scm, int64_t v, const causa_sim_options *o,
                           causa_rng *rng, causa_rng *prng, sim_ws *w) {
    int rc = CAUSA_OK;
    int64_t m = causa_scm_ninputs(scm, v);
    int family = o->mechanism == CAUSA_SIM_MIXED ? (int)causa_rng_below(rng, 3) : o->mechanism;
    int nkind = o->noise == CAUSA_SIM_NOISE_MIXED ? (int)causa_rng_below(rng, 3) : o->noise;
    double sd = o->noise_low + (o->noise_high - o->noise_low) * causa_rng_uniform(rng);
    double *x = w->pilot ? w->pilot + v * PILOT : NULL;
    if (m == 0) {
        causa_dist d = causa_i_sim_noise(nkind, o->standardize ? 1.0 : sd);
        CAUSA_TRY(causa_scm_set_root(ctx, scm, v, &d));
        if (w->cov) {
            w->cov[v + v * w->p] = 1.0; /* independent of every node made before */
            w->made[v] = 1;
        } else if (x) {
            causa_i_dist_fill(&d, prng, x, PILOT);
        }
        goto done;
    }
    causa_dist noise = causa_i_sim_noise(nkind, sd);
    int64_t nw = 0, H = o->mlp_hidden, out_off = 0;
    if (family == CAUSA_SIM_LINEAR) {
        nw = m;
    } else if (family == CAUSA_SIM_POLY) {
        nw = causa_poly_nterms(m, 2);
        if (nw < 0 || nw > 10000000) {
            rc = causa_i_error(ctx, CAUSA_EINVAL, "simulate: node X%lld has %lld inputs: too many for a polynomial",
                               (long long)(v + 1), (long long)m);
            goto done;
        }
    } else {
        out_off = H * (m + 1);
        nw = out_off + H + 1;
    }
    CAUSA_TRY(params_reserve(ctx, w, (size_t)nw));
    double *c = w->params, intercept = 0.0;
    if (family == CAUSA_SIM_MLP) {
        double sm = sqrt((double)m), sh = sqrt((double)H);
        for (int64_t j = 0; j < H * m; j++) c[j] = causa_i_sim_weight(rng, o->weight_low, o->weight_high) / sm;
        for (int64_t q = 0; q < H; q++) c[H * m + q] = 2.0 * causa_rng_uniform(rng) - 1.0;
        for (int64_t q = 0; q < H; q++) c[out_off + q] = causa_i_sim_weight(rng, o->weight_low, o->weight_high) / sh;
        c[out_off + H] = 0.0;
    } else {
        for (int64_t j = 0; j < nw; j++) c[j] = causa_i_sim_weight(rng, o->weight_low, o->weight_high);
    }
    if (w->cov) {
        /* Exact: the inputs are the parents, in ascending order (no discrete nodes). */
        int64_t np = 0, p = w->p;
        const int64_t *pa = causa_scm_parents(scm, v, &np);
        double *C = w->cov, var = sd * sd;
        for (int64_t j = 0; j < np; j++)
            for (int64_t k = 0; k < np; k++) var += c[j] * c[k] * C[pa[j] + pa[k] * p];
        double s = sqrt(var);
        for (int64_t j = 0; j < np; j++) c[j] /= s;
        noise = scale_noise(noise, s);
        for (int64_t u = 0; u < p; u++) {
            if (!w->made[u]) continue;
            double cv = 0.0;
            for (int64_t j = 0; j < np; j++) cv += c[j] * C[pa[j] + u * p];
            C[v + u * p] = C[u + v * p] = cv;
        }
        C[v + v * p] = 1.0;
        w->made[v] = 1;
        CAUSA_TRY(causa_scm_set_linear(ctx, scm, v, 0.0, c, &noise));
        goto done;
    }
    for (int pass = 0; pass < 2; pass++) {
        if (family == CAUSA_SIM_LINEAR) CAUSA_TRY(causa_scm_set_linear(ctx, scm, v, intercept, c, &noise));
        else if (family == CAUSA_SIM_POLY) CAUSA_TRY(causa_scm_set_poly(ctx, scm, v, 2, intercept, c, &noise));
        else CAUSA_TRY(causa_scm_set_mlp(ctx, scm, v, 1, &H, CAUSA_ACT_TANH, c, &noise));
        if (!x) break;
        CAUSA_TRY(work_reserve(ctx, scm, w));
        if (pass == 1) {
            /* The pilot values of the standardised mechanism, for the children. */
            causa_i_eval_location(scm, v, w->cols, PILOT, w->work, w->loc);
            for (int64_t i = 0; i < PILOT; i++) x[i] += w->loc[i];
            break;
        }
        causa_i_eval_location(scm, v, w->cols, PILOT, w->work, w->loc);
        causa_i_dist_fill(&noise, prng, x, PILOT);
        double mean = 0.0, ss = 0.0;
        for (int64_t i = 0; i < PILOT; i++) mean += w->loc[i] + x[i];
        mean /= PILOT;
        for (int64_t i = 0; i < PILOT; i++) ss += (w->loc[i] + x[i] - mean) * (w->loc[i] + x[i] - mean);
        double s = sqrt(ss / (PILOT - 1));
        if (!(s > 0) || !isfinite(s) || !isfinite(mean)) {
            rc = causa_i_error(ctx, CAUSA_ERANGE, "simulate: node X%lld's pilot values are not finite",
                               (long long)(v + 1));
            goto done;
        }
        /* (f(u) - mean) / s + N / s: f is linear in these coefficients. */
        noise = scale_noise(noise, s);
        for (int64_t i = 0; i < PILOT; i++) x[i] /= s; /* the pilot noise, rescaled */
        if (family == CAUSA_SIM_MLP) {
            for (int64_t q = 0; q <= H; q++) c[out_off + q] /= s;
            c[out_off + H] -= mean / s;
        } else {
            for (int64_t j = 0; j < nw; j++) c[j] /= s;
            intercept = (intercept - mean) / s;
        }
    }
done:
    return rc;
}

static int make_graph(causa_ctx *ctx, const causa_sim_options *o, uint64_t mseed, causa_graph **g) {
    switch (o->graph) {
    case CAUSA_SIM_GRAPH_SCALE_FREE: return causa_graph_random_scale_free(ctx, o->nodes, o->degree, mseed, g);
    case CAUSA_SIM_GRAPH_LAYERED:
        return causa_graph_random_layered(ctx, o->nodes, o->degree, o->layers, mseed, g);
    default: return causa_graph_random_dag(ctx, o->nodes, o->degree, mseed, g);
    }
}

int causa_simulate_one(causa_ctx *ctx, const causa_sim_options *opt, int64_t k,
                       causa_dataset **data, causa_graph **graph, causa_scm **model) {
    if (!ctx || !opt) return causa_i_error(ctx, CAUSA_EMISUSE, "causa_simulate_one: NULL argument");
    if (data) *data = NULL;
    if (graph) *graph = NULL;
    if (model) *model = NULL;
    int rc = causa_sim_options_check(ctx, opt);
    if (rc) return rc;
    if (k < 0 || k >= opt->datasets)
        return causa_i_error(ctx, CAUSA_EINVAL, "simulate: data set %lld out of range [0, %lld)", (long long)k,
                             (long long)opt->datasets);
    const causa_sim_options *o = opt;
    int64_t p = o->nodes;
    uint64_t seed = o->seed ? o->seed : causa_ctx_seed(ctx), mseed, rseed;
    causa_i_sim_seeds(seed, k, &mseed, &rseed);
    causa_graph *g = NULL;
    causa_scm *scm = NULL;
    causa_dataset *ds = NULL;
    int64_t *perm = NULL;
    sim_ws w = {0};
    CAUSA_TRY(make_graph(ctx, o, mseed, &g));
    CAUSA_TRY(causa_scm_new(ctx, g, &scm));
    /* Discrete nodes: the first round(F p) of a random permutation. */
    int64_t nd = (int64_t)llround(o->discrete_fraction * (double)p), maxK = 1;
    if (nd > 0) {
        causa_rng r;
        causa_rng_init(&r, mseed, CAUSA_I_SIM_STREAM_DISCRETE);
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&perm, (size_t)p * sizeof *perm, "a permutation"));
        causa_rng_permutation(&r, perm, p);
        for (int64_t i = 0; i < nd; i++) {
            int64_t K = 2 + (int64_t)causa_rng_below(&r, (uint64_t)(o->max_levels - 1));
            maxK = CAUSA_MAX(maxK, K);
            CAUSA_TRY(causa_scm_set_discrete(ctx, scm, perm[i], K, NULL));
        }
    }
    w.p = p;
    if (o->standardize && o->mechanism == CAUSA_SIM_LINEAR && nd == 0 && p <= 2000) {
        CAUSA_TRY(causa_i_alloc0(ctx, (void **)&w.cov, causa_i_mul_size((size_t)(p * p), sizeof *w.cov),
                                 "a covariance matrix"));
        CAUSA_TRY(causa_i_alloc0(ctx, (void **)&w.made, (size_t)p, "flags"));
    } else if (o->standardize) {
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&w.pilot, causa_i_mul_size((size_t)p, PILOT * sizeof *w.pilot),
                                "pilot rows"));
        CAUSA_TRY(causa_i_alloc0(ctx, (void **)&w.cols, (size_t)p * sizeof *w.cols, "pilot columns"));
        for (int64_t v = 0; v < p; v++) w.cols[v] = w.pilot + v * PILOT;
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&w.loc, PILOT * sizeof *w.loc, "a pilot column"));
        CAUSA_TRY(causa_i_alloc(ctx, (void **)&w.probs, (size_t)(PILOT * maxK) * sizeof *w.probs, "pilot probabilities"));
    }
    const int64_t *order = causa_scm_order(scm);
    for (int64_t t = 0; t < p; t++) {
        int64_t v = order[t];
        causa_rng rng, prng;
        causa_rng_init(&rng, mseed, CAUSA_I_SIM_STREAM_NODE + (uint64_t)v);
        causa_rng_init(&prng, mseed, CAUSA_I_SIM_STREAM_PILOT + (uint64_t)v);
        if (causa_scm_type(scm, v) == CAUSA_DISCRETE) CAUSA_TRY(discrete_node(ctx, scm, v, o, &rng, &prng, &w));
        else CAUSA_TRY(continuous_node(ctx, scm, v, o, &rng, &prng, &w));
    }
    if (data) {
        causa_scm_query_options q;
        causa_scm_query_options_init(&q);
        q.seed = rseed;
        CAUSA_TRY(causa_scm_sample(ctx, scm, o->n, &q, &ds));
    }
    if (data) {
        *data = ds;
        ds = NULL;
    }
    if (graph) {
        *graph = g;
        g = NULL;
    }
    if (model) {
        *model = scm;
        scm = NULL;
    }
done:
    causa_i_free(ctx, perm);
    causa_i_free(ctx, w.pilot);
    causa_i_free(ctx, (void *)w.cols);
    causa_i_free(ctx, w.work);
    causa_i_free(ctx, w.loc);
    causa_i_free(ctx, w.probs);
    causa_i_free(ctx, w.params);
    causa_i_free(ctx, w.cov);
    causa_i_free(ctx, w.made);
    causa_dataset_free(ds);
    causa_scm_free(scm);
    causa_graph_free(g);
    return rc;
}
