/*
 * causa/stats.h: sufficient statistics and conditional-independence tests.
 * Included by <causa.h>; do not include it directly.
 *
 * A CI test is prepared once over a data set (or over summary statistics) and then
 * answers many queries "is X independent of Y given Z?". Preparation computes what every
 * query shares (the correlation matrix, the discretised codes...). Queries on a prepared
 * test are read-only: several threads may query one test at once, each passing its own
 * workspace. PC, FCI, falsification and the CLI all use tests through this interface
 * without knowing which one runs.
 */
#ifndef CAUSA_STATS_H
#define CAUSA_STATS_H

#include <stdint.h>

/* ---- summary statistics -------------------------------------------------------------------
 * n, means and covariance of continuous data: enough for Gaussian tests and scores, so
 * sites can share them instead of the data. Pooling several sites' statistics assumes the
 * sites sample the same distribution (same means and covariance). */
typedef struct causa_suffstat causa_suffstat;

/* Computes n, means and the covariance (n - 1 denominator) of every column of a data set
 * with only continuous columns (discrete codes are treated as numbers: CAUSA_EDATA if any
 * column is discrete unless allow_discrete). The covariance is X'X by BLAS in tiles spread
 * over the context's threads, each tile summed in a fixed order: bit-identical results for
 * any thread count. */
int causa_suffstat_new(causa_ctx *ctx, const causa_dataset *ds, causa_suffstat **out);
/* From given moments: p names, n rows, means (p) and a p x p covariance (column-major). */
int causa_suffstat_from_moments(causa_ctx *ctx, int64_t p, const char *const *names, int64_t n,
                                const double *means, const double *cov, causa_suffstat **out);
/* Pools the statistics of several sites over the same variables (matched by name, order of
 * the first): total n, pooled means, and the covariance of the union of the samples. */
int causa_suffstat_pool(causa_ctx *ctx, const causa_suffstat *const *sites, int64_t nsites,
                        causa_suffstat **out);
void causa_suffstat_free(causa_suffstat *s);
int64_t causa_suffstat_n(const causa_suffstat *s);
int64_t causa_suffstat_p(const causa_suffstat *s);
const char *causa_suffstat_name(const causa_suffstat *s, int64_t j);
/* Borrowed p means and p x p column-major covariance / correlation. */
const double *causa_suffstat_means(const causa_suffstat *s);
const double *causa_suffstat_cov(const causa_suffstat *s);
const double *causa_suffstat_corr(const causa_suffstat *s);
/* Text file of n, names, means and covariance (%.17g: lossless), written atomically; and
 * its reader (errors with file:line:column). */
int causa_suffstat_write(causa_ctx *ctx, const causa_suffstat *s, const char *path);
int causa_suffstat_read(causa_ctx *ctx, const char *path, causa_suffstat **out);

/* ---- conditional-independence tests ------------------------------------------------------- */
typedef struct causa_citest causa_citest;

/* Degrees-of-freedom rules of the discrete tests (g-square, chi-square). */
enum {
    CAUSA_DF_ADJUSTED = 0, /* sum over the occupied strata of Z of (levels of X seen in the
                              stratum - 1)(levels of Y seen - 1): causal-learn's chisq/gsq,
                              bnlearn's x2-adf/mi-adf */
    CAUSA_DF_CLASSIC = 1   /* (|X| - 1)(|Y| - 1) prod |Z|: pcalg's gSquareDis, bnlearn's x2/mi */
};
/* Kernel widths of KCI. */
enum {
    CAUSA_KCI_WIDTH_EMPIRICAL = 0, /* causal-learn's default ("empirical"): set by n and |Z| */
    CAUSA_KCI_WIDTH_MEDIAN = 1     /* median heuristic over the first 1000 rows */
};
/* Approximations of the null distribution of RCIT's statistic (a weighted sum of chi-squares). */
enum {
    CAUSA_RCIT_NULL_LPB4 = 0, /* Lindsay-Pilla-Basak, 4 moments (RCIT's default) */
    CAUSA_RCIT_NULL_HBE = 1   /* Hall-Buckley-Eagleson, 3 moments */
};

typedef struct causa_citest_options {
    const char *name; /* "fisher-z" (default), "g-square", "chi-square", "cg-lrt", "kci",
                         "rcit", "rcot" */
    double alpha;     /* significance level used by independent(); default 0.01 */
    /* ---- g-square, chi-square, and cg-lrt when X, Y and Z are all discrete ---- */
    int df_rule;            /* CAUSA_DF_ADJUSTED (default) or CAUSA_DF_CLASSIC */
    double min_rows_per_df; /* p-value 1 ("too few rows to test") when n < this times the
                               classic df; 0 (default) = off; pcalg's gSquareDis uses 10 */
    /* ---- cg-lrt ---- */
    int64_t min_cell_rows;  /* cells of the discrete partition with fewer rows are left out
                               of the test; 0 (default): the number of continuous variables
                               in the query + 2 */
    /* ---- kci ---- */
    int kernel_width;       /* CAUSA_KCI_WIDTH_EMPIRICAL (default) or CAUSA_KCI_WIDTH_MEDIAN */
    double kernel_epsilon;  /* ridge of the kernel regression on Z; default 1e-3 */
    int64_t kci_max_rows;   /* larger data sets are refused (workspace up to ~6 n^2 doubles
                               per thread, time up to O(n^3) per query); default 5000 */
    /* ---- rcit, rcot ---- */
    int64_t num_features;   /* random Fourier features of X and of Y; default 5 (1..50) */
    int64_t num_features_z; /* random Fourier features of Z; default 100 (1..2000) */
    int rcit_null;          /* CAUSA_RCIT_NULL_LPB4 (default) or CAUSA_RCIT_NULL_HBE */
    uint64_t seed;          /* seed of the random features; 0 (default): the context's seed */
} causa_citest_options;
void causa_citest_options_init(causa_citest_options *opt);

/* Prepares a test over a data set. Fisher-z needs continuous columns with variance
 * (CAUSA_EDATA naming a constant column); g-square and chi-square need discrete columns
 * (CAUSA_EDATA naming a continuous one); cg-lrt takes both kinds; kci and rcit/rcot treat
 * every column as numbers. kci refuses more than kci_max_rows rows (CAUSA_EINVAL). See
 * docs/ALGORITHMS.md, "Conditional-independence tests", for each test's definition. */
int causa_citest_new(causa_ctx *ctx, const causa_dataset *ds, const causa_citest_options *opt,
                     causa_citest **out);
/* Prepares a Gaussian test (Fisher-z) from summary statistics. */
int causa_citest_from_suffstat(causa_ctx *ctx, const causa_suffstat *s,
                               const causa_citest_options *opt, causa_citest **out);
/* A d-separation oracle over a true graph g (a DAG, or an ADMG/MAG: m-separation), for
 * testing algorithms exactly: p-value 1 if X and Y are separated given Z in g, else 0
 * (statistic 0 or 1, effect 0). The graph is copied; variables are its nodes and names.
 * Queries are answered by causa_graph_separated, serialised by a lock and allocating
 * through the test's context (unlike the statistical tests, which never allocate): it is
 * a testing tool, not a fast path. Circle marks are CAUSA_EINVAL. */
int causa_citest_oracle_new(causa_ctx *ctx, const causa_graph *g, causa_citest **out);
void causa_citest_free(causa_citest *t);
const char *causa_citest_name(const causa_citest *t);
int64_t causa_citest_nvars(const causa_citest *t);
const char *causa_citest_var_name(const causa_citest *t, int64_t j);

/* Workspace for queries with up to max_cond conditioning variables: one per thread. */
typedef struct causa_citest_work causa_citest_work;
int causa_citest_work_new(causa_ctx *ctx, const causa_citest *t, int64_t max_cond,
                          causa_citest_work **out);
void causa_citest_work_free(causa_citest_work *w);

/* Result of one query. */
typedef struct causa_citest_result {
    double pvalue;    /* p-value of the null "X independent of Y given Z" */
    double statistic; /* the test statistic (Fisher-z: sqrt(n - |Z| - 3) |atanh r|) */
    double effect;    /* an effect size (Fisher-z: the partial correlation r) */
    double df;        /* degrees of freedom where the test has them, else 0 */
    int singular;     /* 1 when the conditioning submatrix was singular and a
                         pseudo-inverse was used */
} causa_citest_result;

/* Tests X _||_ Y | Z. x != y, neither in z; z holds nz distinct indices, nz <= the
 * workspace's max_cond. Thread-safe on one test with distinct workspaces. Never allocates. */
int causa_citest_run(const causa_citest *t, causa_citest_work *w, int64_t x, int64_t y,
                     const int64_t *z, int64_t nz, causa_citest_result *out);

/* ---- distributions -------------------------------------------------------------------------- */
/* Standard normal upper tail P(Z > z) and chi-square upper tail P(X > x), accurate in the far
 * tails (no 1 - cdf cancellation). */
double causa_normal_sf(double z);
double causa_chisq_sf(double x, double df);

#endif
