/*
 * causa/scm.h: structural causal models. A model is a DAG plus one mechanism per node;
 * it samples observational and interventional data, answers counterfactual queries for
 * observed rows, estimates average causal effects, and reads and writes its own JSON file
 * and BIF networks. Included by <causa.h>; do not include it directly.
 *
 * The model (docs/ALGORITHMS.md, "Structural causal models")
 *  - Every node is continuous or discrete (CAUSA_CONTINUOUS / CAUSA_DISCRETE of data.h).
 *    A discrete node has L named levels, coded 0..L-1 exactly as in a causa_dataset.
 *  - The inputs of a node are its parents in ascending index order, encoded: a continuous
 *    parent gives one input (its value); a discrete parent with L levels gives L - 1
 *    indicator inputs (1 when the parent is at level 1, 2, ..., L-1; level 0 is the
 *    reference). m = causa_scm_ninputs(scm, v) counts them. Every family below reads the
 *    inputs u_1..u_m, except the probability table, which reads the parents' codes.
 *  - Mechanisms of a continuous node:
 *      ROOT      X = N, N from any distribution (no parents);
 *      LINEAR    X = c + sum_j w_j u_j + g(u) N;
 *      POLY      X = c + sum_t w_t prod(u^t) + g(u) N: every monomial of total degree
 *                1..d in the inputs, interactions included (order: causa_poly_design);
 *      SPLINE    X = c + sum_j s_j(u_j) + g(u) N: additive B-splines, one per input;
 *      MLP       X = mlp(u) + g(u) N: a small dense network, one linear output;
 *    where g(u) = 1, or g(u) = exp(a + sum_j b_j u_j) once causa_scm_set_scale is called
 *    (location-scale noise), and N is the node's noise distribution.
 *  - Mechanisms of a discrete node:
 *      CPT       a probability table over the parents' level combinations (every parent
 *                discrete); a discrete root is a CPT with one row;
 *      LOGISTIC  multinomial logistic (softmax) over the inputs (any parents).
 *    A discrete node is drawn by inversion: U uniform on [0, 1), X = the level whose
 *    interval of the cumulative distribution (levels in code order) holds U. U is the
 *    node's exogenous noise; counterfactuals draw it from its posterior (uniform on the
 *    interval of the observed level).
 *
 * Construction: causa_scm_new copies a DAG; causa_scm_set_discrete declares the discrete
 * nodes (before any mechanism of their children is set); one causa_scm_set_* call per
 * node sets its mechanism (parameters are copied). Setting a node's mechanism again
 * replaces it. Queries need every node set (CAUSA_EMISUSE naming the first unset node).
 *
 * Randomness: a query with seed s draws node v's values for rows of block k (blocks of
 * CAUSA_SCM_BLOCK rows) from stream causa_rng_init(seed s, stream k * 2^28 + v). So the
 * same seed gives the same data for any thread count and on any machine, and two queries
 * with the same seed share every node's noise draws (common random numbers): an
 * intervention changes only what it must.
 *
 * Thread-safety: a model is read-only during queries; setters change it. As everywhere in
 * causa, one context and its objects are used by one thread at a time.
 */
#ifndef CAUSA_SCM_H
#define CAUSA_SCM_H

#include <stddef.h>
#include <stdint.h>

typedef struct causa_scm causa_scm;

/* Rows per random block of the sampler (see "Randomness" above). Part of the result's
 * definition: changing it changes the samples of a seed. */
#define CAUSA_SCM_BLOCK 4096

/* ---- distributions -----------------------------------------------------------------------
 * Root distributions, noise distributions and stochastic interventions. A plain struct;
 * fill it with one of the causa_dist_* constructors (or set the fields of a zeroed one).
 * Setters copy `values`, so it is borrowed for the call only. */
enum {
    CAUSA_DIST_NONE = 0,     /* the constant 0 (no noise: X = f(PA)) */
    CAUSA_DIST_GAUSSIAN = 1, /* mean loc, standard deviation scale > 0 */
    CAUSA_DIST_UNIFORM = 2,  /* uniform on [low, high), low < high */
    CAUSA_DIST_LAPLACE = 3,  /* location loc, scale b = scale > 0 (variance 2 b^2) */
    CAUSA_DIST_STUDENT_T = 4,/* loc + scale * T, T Student-t with df > 0 degrees of freedom */
    CAUSA_DIST_EMPIRICAL = 5,/* uniform resampling of values[0..nvalues-1] (fitted values,
                                residuals), nvalues >= 1, finite */
    CAUSA_DIST_CATEGORICAL = 6 /* level i with probability values[i] / sum; discrete nodes
                                  only (a root CPT, a stochastic intervention) */
};
typedef struct causa_dist {
    int kind;            /* CAUSA_DIST_* */
    double loc, scale;   /* GAUSSIAN, LAPLACE, STUDENT_T */
    double low, high;    /* UNIFORM */
    double df;           /* STUDENT_T */
    const double *values;/* EMPIRICAL values, CATEGORICAL weights */
    int64_t nvalues;
} causa_dist;

causa_dist causa_dist_none(void);
causa_dist causa_dist_gaussian(double mean, double sd);
causa_dist causa_dist_uniform(double low, double high);
causa_dist causa_dist_laplace(double loc, double scale);
causa_dist causa_dist_student_t(double loc, double scale, double df);
causa_dist causa_dist_empirical(const double *values, int64_t n);
causa_dist causa_dist_categorical(const double *weights, int64_t k);
/* "none", "gaussian", "uniform", "laplace", "student-t", "empirical", "categorical"
 * (NULL if out of range); from a name (case-insensitive; "normal" and "t" too), or -1. */
const char *causa_dist_name(int kind);
int causa_dist_from_name(const char *name);
/* Checks a distribution's parameters; CAUSA_EINVAL naming the bad one. */
int causa_dist_check(causa_ctx *ctx, const causa_dist *d);
/* Mean and variance (variance: +inf for Student-t with df <= 2; NaN mean for df <= 1). */
void causa_dist_moments(const causa_dist *d, double *mean, double *var);

/* ---- the model ------------------------------------------------------------------------- */
/* A model over a copy of `dag` (which must be a DAG: CAUSA_ECYCLE naming a cycle, or
 * CAUSA_EINVAL for undirected or bidirected edges). Every node starts continuous, with no
 * mechanism. */
int causa_scm_new(causa_ctx *ctx, const causa_graph *dag, causa_scm **out);
int causa_scm_copy(causa_ctx *ctx, const causa_scm *scm, causa_scm **out);
void causa_scm_free(causa_scm *scm);

/* The graph (borrowed; never change it). */
const causa_graph *causa_scm_graph(const causa_scm *scm);
int64_t causa_scm_nnodes(const causa_scm *scm);
/* Node name (borrowed), or NULL if out of range; index of a name, or -1. */
const char *causa_scm_name(const causa_scm *scm, int64_t v);
int64_t causa_scm_find(const causa_scm *scm, const char *name);
/* The parents of v in ascending order (borrowed) and their number; NULL if out of range. */
const int64_t *causa_scm_parents(const causa_scm *scm, int64_t v, int64_t *count);
/* The topological order the sampler uses (causa_graph_topological_order; borrowed). */
const int64_t *causa_scm_order(const causa_scm *scm);
/* The number m of encoded inputs of v (see the top of this file); -1 if out of range. */
int64_t causa_scm_ninputs(const causa_scm *scm, int64_t v);

/* Declares v discrete with nlevels >= 1 level names (NULL: "0", "1", ...; else distinct,
 * non-empty, copied), or continuous again (causa_scm_set_continuous). Clears v's mechanism.
 * CAUSA_EMISUSE if a child of v already has a mechanism (its inputs would change). */
int causa_scm_set_discrete(causa_ctx *ctx, causa_scm *scm, int64_t v, int64_t nlevels,
                           const char *const *levels);
int causa_scm_set_continuous(causa_ctx *ctx, causa_scm *scm, int64_t v);
/* CAUSA_CONTINUOUS or CAUSA_DISCRETE (-1 if out of range); levels (0 if continuous). */
int causa_scm_type(const causa_scm *scm, int64_t v);
int64_t causa_scm_nlevels(const causa_scm *scm, int64_t v);
/* Name of level k of v (borrowed; NULL if out of range); code of a level name, or -1. */
const char *causa_scm_level(const causa_scm *scm, int64_t v, int64_t k);
int64_t causa_scm_find_level(const causa_scm *scm, int64_t v, const char *level);

/* ---- mechanisms --------------------------------------------------------------------------- */
enum {
    CAUSA_MECH_NONE = 0,    /* not set yet */
    CAUSA_MECH_ROOT = 1,    /* continuous root: X = N */
    CAUSA_MECH_LINEAR = 2,
    CAUSA_MECH_POLY = 3,
    CAUSA_MECH_SPLINE = 4,
    CAUSA_MECH_MLP = 5,
    CAUSA_MECH_CPT = 6,
    CAUSA_MECH_LOGISTIC = 7
};
/* Hidden-layer activations of MLP mechanisms. */
enum { CAUSA_ACT_TANH = 0, CAUSA_ACT_RELU = 1, CAUSA_ACT_SIGMOID = 2, CAUSA_ACT_IDENTITY = 3 };
/* "none", "root", "linear", "poly", "spline", "mlp", "cpt", "logistic" / "tanh", "relu",
 * "sigmoid", "identity" (NULL if out of range); from a name (case-insensitive), or -1. */
const char *causa_mech_name(int kind);
int causa_mech_from_name(const char *name);
const char *causa_activation_name(int act);
int causa_activation_from_name(const char *name);

/* One mechanism, as causa_scm_set_mechanism takes it and causa_scm_mechanism gives it back.
 * With m = causa_scm_ninputs(scm, v) and K = causa_scm_nlevels(scm, v):
 *   kind      ncoefs and coefs
 *   ROOT      none (the distribution is `noise`)
 *   LINEAR    m weights w_j
 *   POLY      causa_poly_nterms(m, degree) weights, in causa_poly_design's term order
 *   SPLINE    sum_j causa_spline_nbasis(nknots[j], degree) B-spline coefficients, input 1's
 *             first; knots: sum_j nknots[j] breakpoints, input 1's first, each input's
 *             strictly increasing (nknots[j] >= 2); see causa_spline_design
 *   MLP       nhidden hidden layers of hidden[0..nhidden-1] units, then one linear output;
 *             per layer, from the input side: its weight matrix (units_out x units_in,
 *             row-major), then its units_out biases. units_in of the first layer is m;
 *             ncoefs = sum over layers of (in + 1) * out
 *   CPT       one row of K probabilities per combination of the parents' levels, the first
 *             parent's code varying slowest (row index = sum_i code_i * prod_{j>i} L_j);
 *             a row not summing to 1 (within 1e-12) is normalised; ncoefs = K * prod L_j
 *   LOGISTIC  K rows of 1 + m (intercept, then weights): P(level k) = softmax_k(c_k + w_k.u);
 *             ncoefs = K * (1 + m)
 * Getters fill pointers borrowed from the model (valid until it is changed or freed). */
typedef struct causa_mechanism {
    int kind;                 /* CAUSA_MECH_* */
    double intercept;         /* LINEAR, POLY, SPLINE: the constant c */
    const double *coefs;      /* see the table */
    int64_t ncoefs;
    int degree;               /* POLY: total degree d >= 1; SPLINE: B-spline degree 0..5 */
    const int64_t *nknots;    /* SPLINE: m breakpoint counts */
    const double *knots;      /* SPLINE: the breakpoints */
    int64_t nhidden;          /* MLP: number of hidden layers (>= 0) */
    const int64_t *hidden;    /* MLP: units per hidden layer (each >= 1) */
    int activation;           /* MLP: CAUSA_ACT_* of the hidden layers */
    causa_dist noise;         /* ROOT: the distribution; continuous children: the noise N */
    int scaled;               /* 1: location-scale, g(u) = exp(scale_intercept + b.u) */
    double scale_intercept;
    const double *scale_coefs;/* m coefficients b_j (NULL with m = 0) */
} causa_mechanism;

/* Fills a mechanism with kind NONE, zero counts, NULL arrays, no noise, no scale. */
void causa_mechanism_init(causa_mechanism *m);
/* Sets v's mechanism, copying every array. Checks everything against v's type and inputs:
 * CAUSA_EINVAL naming the node and the bad field ("node 'Y': LINEAR needs 3 weights (one
 * per input), got 2"; "node 'A': a CPT needs discrete parents, 'B' is continuous"; non-
 * finite numbers; negative probabilities, an all-zero CPT row). */
int causa_scm_set_mechanism(causa_ctx *ctx, causa_scm *scm, int64_t v, const causa_mechanism *m);
/* v's mechanism with borrowed pointers (kind NONE if unset). CAUSA_EINVAL if out of range. */
int causa_scm_mechanism(const causa_scm *scm, int64_t v, causa_mechanism *out);
/* The kind of v's mechanism (-1 if out of range). */
int causa_scm_mechanism_kind(const causa_scm *scm, int64_t v);

/* Per-family setters: shorthands for causa_scm_set_mechanism. noise: NULL means none. */
int causa_scm_set_root(causa_ctx *ctx, causa_scm *scm, int64_t v, const causa_dist *dist);
int causa_scm_set_linear(causa_ctx *ctx, causa_scm *scm, int64_t v, double intercept,
                         const double *weights, const causa_dist *noise);
int causa_scm_set_poly(causa_ctx *ctx, causa_scm *scm, int64_t v, int degree, double intercept,
                       const double *weights, const causa_dist *noise);
int causa_scm_set_spline(causa_ctx *ctx, causa_scm *scm, int64_t v, int degree, double intercept,
                         const int64_t *nknots, const double *knots, const double *coefs,
                         const causa_dist *noise);
int causa_scm_set_mlp(causa_ctx *ctx, causa_scm *scm, int64_t v, int64_t nhidden,
                      const int64_t *hidden, int activation, const double *weights,
                      const causa_dist *noise);
/* Makes a continuous child's noise location-scale: X = f(u) + exp(a + b.u) N (b: m values;
 * may be NULL when m = 0). CAUSA_EMISUSE if v has no LINEAR/POLY/SPLINE/MLP mechanism yet. */
int causa_scm_set_scale(causa_ctx *ctx, causa_scm *scm, int64_t v, double a, const double *b);
/* A probability table (see the table above); a discrete root: one row. */
int causa_scm_set_cpt(causa_ctx *ctx, causa_scm *scm, int64_t v, const double *table);
/* A table from counts with a symmetric Dirichlet prior: row r is (counts + alpha) / sum;
 * alpha >= 0 (a row of zero counts needs alpha > 0). */
int causa_scm_set_cpt_counts(causa_ctx *ctx, causa_scm *scm, int64_t v, const double *counts,
                             double alpha);
int causa_scm_set_logistic(causa_ctx *ctx, causa_scm *scm, int64_t v, const double *coefs);
/* CAUSA_OK if every node has a mechanism, else CAUSA_EMISUSE naming the first unset node in
 * index order. */
int causa_scm_check(causa_ctx *ctx, const causa_scm *scm);

/* ---- design helpers (for fitting) --------------------------------------------------------- */
/* The encoded inputs of v for every row of `data` (n x m, column-major, into out), the
 * parents looked up by name in data (CAUSA_ENOTFOUND naming a missing one; a discrete
 * parent needs a discrete column whose level names are the model's, in any order, or
 * CAUSA_EDATA saying which level is unknown). */
int causa_scm_inputs(causa_ctx *ctx, const causa_scm *scm, int64_t v, const causa_dataset *data,
                     double *out);
/* f(u) for every row of data (n values: X's location, before noise) for a continuous node;
 * the n x K level probabilities (column-major) for a discrete one. */
int causa_scm_predict(causa_ctx *ctx, const causa_scm *scm, int64_t v, const causa_dataset *data,
                      double *out);
/* Number of monomials of total degree 1..degree in m variables: C(m + degree, degree) - 1;
 * -1 if it exceeds 2^31. */
int64_t causa_poly_nterms(int64_t m, int degree);
/* The polynomial features of the rows of u (n x m view): n x nterms, column-major. Terms of
 * degree 1 first, then 2, ...; within a degree, the nondecreasing index tuples (i1 <= i2 <=
 * ... ) in lexicographic order: for m = 2, degree 2: u1, u2, u1^2, u1 u2, u2^2. */
int causa_poly_design(causa_ctx *ctx, const causa_matrix *u, int degree, double *out);
/* Number of B-spline basis functions over nknots breakpoints: nknots + degree - 1. */
int64_t causa_spline_nbasis(int64_t nknots, int degree);
/* The B-spline basis at x[0..n-1]: n x nbasis, column-major. The knot vector is the
 * breakpoints t_0 < ... < t_{K-1} with t_0 and t_{K-1} repeated degree + 1 times (clamped);
 * inside [t_0, t_{K-1}] the functions sum to 1. Beyond the boundary a spline continues as
 * the straight line of its value and slope at the boundary (degree 0: constant). */
int causa_spline_design(causa_ctx *ctx, const double *x, int64_t n, int degree,
                        const double *knots, int64_t nknots, double *out);

/* ---- interventions ------------------------------------------------------------------------ */
enum {
    CAUSA_DO_SET = 1,   /* do(X = value); a discrete node: value is a level code */
    CAUSA_DO_SHIFT = 2, /* X := (X as its mechanism makes it) + value; continuous only */
    CAUSA_DO_DIST = 3   /* X drawn from dist, independently of its parents (discrete nodes:
                           CATEGORICAL over their levels) */
};
typedef struct causa_intervention {
    int64_t node;
    int kind;        /* CAUSA_DO_* */
    double value;    /* SET, SHIFT */
    causa_dist dist; /* DIST (values borrowed for the call) */
} causa_intervention;

/* Parses "X=1,Z=0.5,Smoker=yes" into interventions of `kind` (SET or SHIFT), appending to
 * out (capacity cap) from index *count on. A discrete node takes a level name (or its code
 * when no level has that name). Errors: CAUSA_ENOTFOUND "unknown variable 'W'" / "variable
 * 'S' has no level 'maybe' (levels: yes, no)"; CAUSA_EINVAL for a malformed item or value,
 * a shift of a discrete node, a node named twice, more than cap items. Stochastic (DIST)
 * interventions have their own parser, causa_scm_parse_dist_interventions. */
int causa_scm_parse_interventions(causa_ctx *ctx, const causa_scm *scm, const char *text,
                                  int kind, causa_intervention *out, int64_t cap,
                                  int64_t *count);
/* Parses stochastic interventions, "X=normal(3,2),S=categorical(no=0.2,yes=0.8)", into
 * CAUSA_DO_DIST items appended to out (capacity cap) from index *count on. Items are split
 * at the commas outside parentheses; each is NAME=DIST, DIST one of (names case-insensitive,
 * spaces allowed around every part; the names of causa_dist_from_name):
 *   normal(MEAN,SD)            also gaussian(...); SD > 0
 *   uniform(LOW,HIGH)          on [LOW, HIGH), LOW < HIGH
 *   laplace(LOC,SCALE)         SCALE = b > 0 (variance 2 b^2)
 *   student-t(DF)              also t(...): DF > 0; student-t(DF,LOC,SCALE) is LOC + SCALE T
 *                              (df first, as scipy.stats.t(df, loc, scale))
 *   categorical(LEVEL=W,...)   discrete nodes only: level names (or codes) with weights
 *                              >= 0, unlisted levels 0; or categorical(W1,...,WK), one weight
 *                              per level in level order. Weights are normalised (need a
 *                              positive sum).
 * A continuous node takes the first four, a discrete node only categorical. A categorical's
 * K = causa_scm_nlevels weights are written to weights[*nweights .. *nweights + K - 1]
 * (capacity wcap; the sum of the discrete nodes' level counts always suffices), *nweights
 * advances, and the item's dist.values points there: keep `weights` alive while `out` is
 * used. weights and nweights may be NULL when wcap is 0 (then a categorical is an error).
 * A node already in out[0 .. *count - 1] (say, from causa_scm_parse_interventions) is an
 * error, so the parsers can fill one array in turn. On error *count and *nweights are
 * unchanged. Errors, each naming the item as written: CAUSA_ENOTFOUND "do-dist: unknown
 * variable 'W'", a level that does not exist; CAUSA_EINVAL for an unknown distribution, a
 * wrong number of arguments, a number that is not finite, a scale, SD or DF <= 0, LOW >=
 * HIGH, a negative or all-zero weight, a categorical for a continuous node or another
 * family for a discrete one, a node named twice, more than cap items, too small a wcap. */
int causa_scm_parse_dist_interventions(causa_ctx *ctx, const causa_scm *scm, const char *text,
                                       causa_intervention *out, int64_t cap, int64_t *count,
                                       double *weights, int64_t wcap, int64_t *nweights);

/* ---- queries ------------------------------------------------------------------------------ */
typedef struct causa_scm_query_options {
    uint64_t seed;                           /* 0 (default): the context's seed */
    const causa_intervention *interventions; /* borrowed for the call; NULL: none */
    int64_t ninterventions;
} causa_scm_query_options;
void causa_scm_query_options_init(causa_scm_query_options *opt);

/* Draws n rows (observational, or under the interventions of opt; opt may be NULL) into a
 * new data set with one column per node in index order, named as the nodes; discrete
 * columns carry the level names. Parallel over blocks of CAUSA_SCM_BLOCK rows with up to
 * causa_ctx_threads(ctx) threads; bit-identical for any thread count. Interrupt polled
 * between blocks. O(n * (p + e)) for linear models. */
int causa_scm_sample(causa_ctx *ctx, const causa_scm *scm, int64_t n,
                     const causa_scm_query_options *opt, causa_dataset **out);
/* Same as causa_scm_sample, into caller memory: node v's n values at out + v * ld (ld >= n;
 * discrete nodes as codes), bit-identical to causa_scm_sample's columns. For callers that
 * reuse one buffer (simulators, NumPy arrays) and so skip the page faults of fresh memory. */
int causa_scm_sample_into(causa_ctx *ctx, const causa_scm *scm, int64_t n,
                          const causa_scm_query_options *opt, double *out, int64_t ld);
/* The exogenous noise behind each observed row (abduction), one column per node: continuous
 * children N = (x - f(u)) / g(u); continuous roots the value itself; discrete nodes a draw
 * of U from its posterior (uniform on the observed level's interval). Columns of observed
 * are matched by name (any order; extra columns ignored; a missing node is
 * CAUSA_ENOTFOUND); discrete columns by level name (CAUSA_EDATA for an unknown level).
 * A row whose value is impossible under the model (probability 0 for its level) is
 * CAUSA_EDATA naming the row and node. */
int causa_scm_abduct(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *observed,
                     const causa_scm_query_options *opt, causa_dataset **noise);
/* Counterfactual rows: for each observed row, abduct its noise, apply the interventions of
 * opt, and propagate in topological order. A DIST intervention gives every row a fresh draw
 * of its own, independent of the row's abducted noise (the intervened node's own noise is
 * discarded, as under do), from streams keyed on opt's seed: the same seed gives the same
 * rows for any thread count, and another seed another draw. Nodes neither intervened on
 * nor downstream keep their observed values exactly. Output columns as causa_scm_sample's. */
int causa_scm_counterfactual(causa_ctx *ctx, const causa_scm *scm, const causa_dataset *observed,
                             const causa_scm_query_options *opt, causa_dataset **out);

/* Average causal effect of T on Y: E[Y | do(T = a)] - E[Y | do(T = b)] by Monte Carlo, both
 * arms with the same seed (common random numbers: the same noise draws), on top of any
 * other interventions in `base`. A discrete T takes level codes a and b; a discrete Y is
 * averaged as its codes, or as the indicator of level outcome_level when that is >= 0. */
typedef struct causa_ace_options {
    int64_t n;                 /* Monte-Carlo rows per arm; default 100000 */
    int64_t outcome_level;     /* -1 (default): codes; else P(Y = level) */
    causa_scm_query_options base;
} causa_ace_options;
void causa_ace_options_init(causa_ace_options *opt);
typedef struct causa_ace_result {
    double ace;            /* mean_a - mean_b */
    double se;             /* Monte-Carlo standard error: sd of the paired differences / sqrt(n) */
    double mean_a, mean_b; /* E[Y | do(T = a)], E[Y | do(T = b)] */
    double se_a, se_b;     /* their standard errors */
    int64_t n;
} causa_ace_result;
int causa_scm_ace(causa_ctx *ctx, const causa_scm *scm, int64_t treatment, double a, double b,
                  int64_t outcome, const causa_ace_options *opt, causa_ace_result *out);

/* ---- files ---------------------------------------------------------------------------------
 * The model file is JSON (docs/FORMATS.md, "SCM model file"), versioned; every double is
 * written so that it reads back to the same bits. Reading also accepts a BIF network
 * (bnlearn repository, pgmpy, GeNIe): its variables become discrete nodes with CPTs. The
 * format is chosen by content (a JSON object, or BIF's `network`/`variable` keywords).
 * Errors: CAUSA_EIO; CAUSA_EPARSE with path:line:column and what was expected; CAUSA_EINVAL
 * for a well-formed file that describes an invalid model (named). */
int causa_scm_read(causa_ctx *ctx, const char *path, causa_scm **out);
int causa_scm_read_buffer(causa_ctx *ctx, const char *name, const char *data, size_t len,
                          causa_scm **out);
/* Writes the model file atomically ("-" = standard output). */
int causa_scm_write(causa_ctx *ctx, const causa_scm *scm, const char *path);
/* The text of the model file; *out is freed with causa_free. */
int causa_scm_write_buffer(causa_ctx *ctx, const causa_scm *scm, char **out, size_t *len);

/* ---- fit -----------------------------------------------------------------------------------
 * Fitting a model to data over a given DAG (docs/ALGORITHMS.md, "Fitting SCMs"). One
 * mechanism per node, chosen from these families:
 *   ROOT      continuous root: Gaussian with the sample mean and standard deviation (or
 *             the empirical distribution of the column with noise = EMPIRICAL);
 *   LINEAR    least squares on the encoded inputs (LAPACK dgelsd, as numpy.linalg.lstsq),
 *             ridge when `ridge` > 0;
 *   POLY2     least squares on every monomial of degree 1 and 2 of the inputs (squares and
 *             pairwise interactions);
 *   SPLINE    additive cubic B-splines, one per input, breakpoints at quantiles of the
 *             input, ridge-penalised coefficients;
 *   LOGISTIC  multinomial logistic (softmax, level 0 the reference) by Newton's method
 *             (IRLS) with a small ridge penalty on the weights;
 *   CPT       probability table from counts with a symmetric Dirichlet prior (discrete
 *             nodes whose parents are all discrete; a discrete root is a one-row table).
 * A continuous child's noise is Gaussian with the residual variance RSS / (n - number of
 * coefficients), or the empirical residuals (noise = EMPIRICAL).
 * Which family when: with family AUTO a continuous child is fitted as LINEAR, POLY2 and
 * SPLINE, and a discrete child as LOGISTIC and (all parents discrete) CPT; each candidate
 * is scored by k-fold cross-validation (mean squared error, or mean log-loss in nats) on
 * the same folds, and the candidate with the fewest coefficients whose CV error is within
 * one standard error of the best is kept (POLY2 and SPLINE are candidates only when a
 * fold's training rows outnumber their coefficients). A forced family (LINEAR, POLY2,
 * SPLINE) applies to continuous children; the discrete children then get a CPT when every
 * parent is discrete, else LOGISTIC. LOGISTIC forces logistic for every discrete child (continuous children
 * are then LINEAR). CPT forces tables where possible (discrete children with continuous
 * parents stay LOGISTIC).
 * Residual check of each continuous child: HSIC (Gretton et al. 2008) between the residual
 * and the node's inputs, Gaussian kernels with median-heuristic widths, p-value from the
 * gamma approximation of the null, on at most `check_rows` rows drawn at random. A small
 * p-value says the residuals still depend on the parents: a misfit family, or noise that
 * is not additive. */
enum {
    CAUSA_FIT_AUTO = 0,
    CAUSA_FIT_LINEAR = 1,
    CAUSA_FIT_POLY2 = 2,
    CAUSA_FIT_SPLINE = 3,
    CAUSA_FIT_LOGISTIC = 4,
    CAUSA_FIT_CPT = 5,
    CAUSA_FIT_ROOT = 6
};
#define CAUSA_FIT_NFAMILIES 7
/* "auto", "linear", "poly2", "spline", "logistic", "cpt", "root" (NULL if out of range);
 * from a name (case-insensitive), or -1. */
const char *causa_fit_family_name(int family);
int causa_fit_family_from_name(const char *name);
enum { CAUSA_FIT_NOISE_GAUSSIAN = 0, CAUSA_FIT_NOISE_EMPIRICAL = 1 };

typedef struct causa_fit_options {
    int family;            /* CAUSA_FIT_*; AUTO (default) chooses per node by CV */
    int64_t folds;         /* k of k-fold cross-validation, >= 2; default 5. 0: no CV (a
                              forced family only; the report's CV columns are then NaN) */
    int noise;             /* CAUSA_FIT_NOISE_GAUSSIAN (default) or _EMPIRICAL */
    double ridge;          /* LINEAR and POLY2 ridge penalty; default 0 (least squares) */
    double spline_ridge;   /* SPLINE penalty, times n; default 1e-4 */
    int64_t spline_knots;  /* breakpoints per input (quantiles, ends included); default 7 */
    double logistic_ridge; /* LOGISTIC penalty on the standardised weights; default 1e-3
                              (intercepts get 1e-6 of it) */
    double cpt_alpha;      /* Dirichlet prior of tables and discrete roots; default 1 */
    int64_t max_iter;      /* Newton iterations of LOGISTIC; default 100 */
    int64_t check_rows;    /* rows of the HSIC residual check; default 1000; 0: no check */
    uint64_t seed;         /* folds and the check's rows; 0 (default): the context's seed */
} causa_fit_options;
void causa_fit_options_init(causa_fit_options *opt);

/* What was fitted at one node. */
typedef struct causa_fit_node {
    int family;          /* CAUSA_FIT_ROOT, _LINEAR, _POLY2, _SPLINE, _LOGISTIC or _CPT */
    int mechanism;       /* the model's CAUSA_MECH_* */
    int64_t nparents, ninputs;
    int64_t ncoefs;      /* coefficients fitted (intercepts included) */
    double r2;           /* continuous child: R-squared on the data; NaN otherwise */
    double logloss;      /* discrete node: mean log-loss on the data (nats); NaN otherwise */
    double noise_sd;     /* continuous node: the noise (root: the column's) standard deviation */
    double cv_error;     /* CV error of the kept family (MSE or log-loss); NaN without CV */
    double cv_se;        /* its standard error (sd of the per-row losses / sqrt(n)) */
    double cv[CAUSA_FIT_NFAMILIES]; /* CV error of every candidate (NaN: not a candidate) */
    double check_stat;   /* HSIC statistic m * HSIC_b of residual vs inputs; NaN if none */
    double check_pvalue; /* its p-value; NaN where there is no check (roots, discrete) */
    int64_t check_rows;  /* rows the check used */
} causa_fit_node;

typedef struct causa_fit_report causa_fit_report;
void causa_fit_report_free(causa_fit_report *r);
int64_t causa_fit_report_nnodes(const causa_fit_report *r);
/* Node v's line; CAUSA_EINVAL if v is out of range. */
int causa_fit_report_node(const causa_fit_report *r, int64_t v, causa_fit_node *out);
/* The report as a text table (json = 0) or a JSON document (json = 1), numbers with
 * `digits` significant digits (0: 6 for text, 17 for JSON); *out is freed with causa_free. */
int causa_fit_report_text(causa_ctx *ctx, const causa_fit_report *r, int json, int digits,
                          char **out, size_t *len);

/* Fits a model of `dag` to `data`. The data's columns and the graph's nodes must be the same
 * names (any order): CAUSA_ENOTFOUND naming a node missing from the data, or a column that
 * is not a node; the graph must be a DAG (CAUSA_ECYCLE naming a cycle; CAUSA_EINVAL for an
 * undirected or bidirected edge). Discrete columns become discrete nodes with their levels.
 * Nodes are fitted one after another (BLAS may use threads). report may be NULL. */
int causa_scm_fit(causa_ctx *ctx, const causa_dataset *data, const causa_graph *dag,
                  const causa_fit_options *opt, causa_scm **out, causa_fit_report **report);

/* ---- simulation ----------------------------------------------------------------------------
 * Random SCMs and their data (docs/ALGORITHMS.md, "Simulating SCMs"): a random DAG, a random
 * mechanism per node, rows drawn by causa_scm_sample. Dataset k (0-based) of a run draws
 * everything from streams of (seed, k) only, so the same seed gives the same data, graph and
 * model on any machine and for any thread count. */
enum { CAUSA_SIM_GRAPH_ER = 0, CAUSA_SIM_GRAPH_SCALE_FREE = 1, CAUSA_SIM_GRAPH_LAYERED = 2 };
enum { CAUSA_SIM_LINEAR = 0, CAUSA_SIM_POLY = 1, CAUSA_SIM_MLP = 2, CAUSA_SIM_MIXED = 3 };
enum {
    CAUSA_SIM_NOISE_GAUSSIAN = 0,
    CAUSA_SIM_NOISE_LAPLACE = 1,
    CAUSA_SIM_NOISE_UNIFORM = 2,
    CAUSA_SIM_NOISE_MIXED = 3
};
/* Names: "er", "scale-free", "layered" / "linear", "poly", "mlp", "mixed" / "gaussian",
 * "laplace", "uniform", "mixed" (NULL if out of range); from a name, or -1. */
const char *causa_sim_graph_name(int g);
int causa_sim_graph_from_name(const char *name);
const char *causa_sim_mechanism_name(int m);
int causa_sim_mechanism_from_name(const char *name);
const char *causa_sim_noise_name(int n);
int causa_sim_noise_from_name(const char *name);

typedef struct causa_sim_options {
    int64_t nodes;            /* p >= 1; default 20 */
    double degree;            /* expected degree (average number of neighbours); default 2 */
    int graph;                /* CAUSA_SIM_GRAPH_*; default ER */
    int64_t layers;           /* LAYERED: number of layers; 0 (default): round(sqrt(p)) */
    int mechanism;            /* CAUSA_SIM_*; default LINEAR */
    int noise;                /* CAUSA_SIM_NOISE_*; default GAUSSIAN */
    double discrete_fraction; /* share of nodes made discrete, in [0, 1]; default 0 */
    int64_t max_levels;       /* a discrete node has 2..max_levels levels; default 3 */
    int64_t n;                /* rows per data set; default 1000 */
    int64_t datasets;         /* data sets of a run; default 1 */
    uint64_t seed;            /* 0 (default): the context's seed */
    double weight_low, weight_high; /* |weight| uniform in [low, high], random sign;
                                       default 0.5, 2 */
    double noise_low, noise_high;   /* noise standard deviation uniform in [low, high];
                                       default 0.5, 1 */
    int64_t mlp_hidden;       /* MLP: units of its one tanh hidden layer; default 8 */
    int standardize;          /* 1 (default): every continuous node standardised as it is
                                 generated (mean 0, sd 1 on a 256-row pilot; iSCM); 0: raw */
    /* causa_simulate_write only */
    int data_format;          /* 0 (default): data.csv; 1: data.npy (discrete as codes) */
    int graph_format;         /* CAUSA_FORMAT_JSON (default), _TETRAD (graph.txt), _DOT... */
} causa_sim_options;
void causa_sim_options_init(causa_sim_options *opt);
/* CAUSA_EINVAL naming the first bad field. */
int causa_sim_options_check(causa_ctx *ctx, const causa_sim_options *opt);

/* Data set k of a run: its graph, its model and its n rows (each output may be NULL when not
 * wanted; not sampling saves most of the time). The graph's nodes are X1..Xp. */
int causa_simulate_one(causa_ctx *ctx, const causa_sim_options *opt, int64_t k,
                       causa_dataset **data, causa_graph **graph, causa_scm **model);

/* Receives data set k of a run from a worker thread; the objects are borrowed for the call.
 * wctx is the worker's context (use it, not the caller's, for any causa call made here).
 * Calls come from up to causa_ctx_threads(ctx) threads at once, k in any order. Return
 * CAUSA_OK, or a code that stops the run (with a message on wctx). */
typedef int (*causa_sim_visit_fn)(void *ud, causa_ctx *wctx, int64_t k, const causa_dataset *data,
                                  const causa_graph *graph, const causa_scm *model);
/* Generates the datasets of a run, in parallel over data sets (one worker context per
 * thread, allocating through ctx's allocator under a lock), calling fn for each (fn may be
 * NULL: generate only, for timing). On failure the error of the lowest failing k is
 * reported on ctx. Interrupt and progress are polled from the calling thread. */
int causa_simulate(causa_ctx *ctx, const causa_sim_options *opt, causa_sim_visit_fn fn, void *ud);
/* Writes every data set of a run under dir (created if missing): dir/dataset_0001/ (k + 1,
 * at least four digits) holds data.csv (or data.npy), graph.json (or .txt, .dot... by
 * graph_format) and model.json, each written atomically. */
int causa_simulate_write(causa_ctx *ctx, const causa_sim_options *opt, const char *dir);

/* ---- vector-autoregressive time series ---------------------------------------------------
 * X_t = B_0 X_t + sum_{l=1..L} B_l X_{t-l} + e_t, with B_0 acyclic (a random DAG over the
 * variables: contemporaneous effects) and B_l random sparse lag matrices (self-lags
 * included). Stability: the reduced-form lag matrices A_l = (I - B_0)^-1 B_l are scaled to
 * A_l c^l, which multiplies every eigenvalue of the companion matrix by c, so that its
 * spectral radius is at most max_radius. The first burn_in steps (started at 0) are
 * discarded. */
typedef struct causa_var_options {
    int64_t nodes;        /* p; default 5 */
    int64_t lags;         /* L >= 1; default 1 */
    double degree;        /* expected degree of the contemporaneous DAG; default 1 */
    double lag_degree;    /* expected lagged parents per variable and lag (self-lag
                             included); default 1 */
    int64_t n;            /* time steps kept; default 1000 */
    int64_t burn_in;      /* default 200 */
    int noise;            /* CAUSA_SIM_NOISE_*; default GAUSSIAN */
    double weight_low, weight_high; /* as causa_sim_options; default 0.2, 0.8 */
    double noise_low, noise_high;   /* default 0.5, 1 */
    double max_radius;    /* in (0, 1); default 0.9 */
    int64_t datasets;     /* default 1 */
    uint64_t seed;        /* 0: the context's seed */
    int data_format;      /* causa_var_write: 0 data.csv, 1 data.npy */
} causa_var_options;
void causa_var_options_init(causa_var_options *opt);
/* Series k of a run: *series (n x p, columns X1..Xp); *window (may be NULL): the full time
 * graph, a DAG over the p (L + 1) nodes "X1[t-L]" ... "X1[t-1]", "X1[t]" ... (lag-major:
 * all of lag L first) with an edge per non-zero coefficient, labelled with it; *coefs (may
 * be NULL): (L + 1) p p doubles, B_l[to][from] at coefs[(l * p + to) * p + from], after
 * the stability scaling (B_0 unscaled); freed with causa_free. */
int causa_var_simulate(causa_ctx *ctx, const causa_var_options *opt, int64_t k,
                       causa_dataset **series, causa_graph **window, double **coefs);
/* Writes every series of a run under dir: dir/dataset_0001/ holds data.csv (or .npy), the
 * full time graph graph.json, summary.csv (the summary graph: a p x p matrix, row = cause,
 * column = effect, entry = the smallest lag of an effect, -1 for none; the diagonal holds
 * self-lags) and coefs.csv (lag,from,to,weight per non-zero coefficient). */
int causa_var_write(causa_ctx *ctx, const causa_var_options *opt, const char *dir);

#endif
