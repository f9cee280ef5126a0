/*
 * fit_i.h: the pieces of causa_scm_fit (fit.c) shared between its files: one fitted
 * candidate per family (fit_linear.c, fit_spline.c, fit_logistic.c), cross-validation
 * (fit_cv.c) and the residual check (fit_check.c). Never exported.
 *
 * A candidate is fitted on a block of encoded inputs u (n x m, column-major, leading
 * dimension ldu: the model's inputs, causa_scm_inputs) and a target y (values, or level
 * codes), and predicts new rows of u. Everything is allocated through the context and
 * freed by causa_i_fitted_clear; nothing here touches the model.
 */
#ifndef CAUSA_SCM_FIT_I_H
#define CAUSA_SCM_FIT_I_H

#include "../internal.h"

/* Random streams of the fitter, keyed on (seed, base + node): folds and check rows. */
#define CAUSA_I_FIT_STREAM_FOLDS (UINT64_C(1) << 40)
#define CAUSA_I_FIT_STREAM_CHECK (UINT64_C(2) << 40)

/* B-spline degree of SPLINE candidates and the polynomial degree of POLY2. */
#define CAUSA_I_FIT_SPLINE_DEGREE 3
/* A probability table with more rows than this is no candidate (LOGISTIC instead). */
#define CAUSA_I_FIT_MAX_CPT_ROWS 1000000

typedef struct causa_i_fitted {
    int family;        /* CAUSA_FIT_* */
    int64_t m;         /* encoded inputs */
    int64_t K;         /* LOGISTIC, CPT: levels of the target */
    double intercept;  /* LINEAR, POLY2, SPLINE */
    double *coefs;     /* LINEAR m; POLY2 nterms; SPLINE sum of nbasis; LOGISTIC K (1 + m)
                          rows (row 0 all zero); CPT rows x K probabilities, row-major */
    int64_t ncoefs;
    int64_t *nknots;   /* SPLINE: m breakpoint counts */
    double *knots;     /* SPLINE: their breakpoints, input 1's first */
    int64_t rows;      /* CPT: parent combinations */
    int64_t nparams;   /* free parameters (intercepts included): the complexity order */
    int64_t iterations;/* LOGISTIC: Newton iterations used */
} causa_i_fitted;

void causa_i_fitted_clear(causa_ctx *ctx, causa_i_fitted *f);

/* ---- continuous targets (fit_linear.c, fit_spline.c) ---- */
/* LINEAR and POLY2 by least squares (dgelsd, minimum norm on rank deficiency) or ridge. */
int causa_i_fit_poly(causa_ctx *ctx, int degree, const double *u, int64_t n, int64_t m,
                     int64_t ldu, const double *y, double ridge, causa_i_fitted *out);
/* SPLINE: breakpoints at `nknots` quantiles of each input, ridge penalty lambda * n. */
int causa_i_fit_spline(causa_ctx *ctx, const double *u, int64_t n, int64_t m, int64_t ldu,
                       const double *y, int64_t nknots, double lambda, causa_i_fitted *out);
/* The SPLINE design of n rows of u (n x ncoefs, column-major) from f's breakpoints. */
int causa_i_spline_features(causa_ctx *ctx, const causa_i_fitted *f, const double *u, int64_t n,
                            int64_t ldu, double *out);
/* Predicted locations of n rows. */
int causa_i_predict_continuous(causa_ctx *ctx, const causa_i_fitted *f, const double *u, int64_t n,
                               int64_t ldu, double *out);
/* Breakpoints of x[0..n-1]: up to k quantiles (numpy's linear interpolation) at
 * probabilities 0, 1/(k-1), ..., 1, ties removed; at least 2 (x0, x0 + 1 for a constant
 * column). Returns the count written to out (capacity k, k >= 2). */
int causa_i_quantile_knots(causa_ctx *ctx, const double *x, int64_t n, int64_t k, double *out,
                           int64_t *count);

/* ---- discrete targets (fit_logistic.c) ---- */
/* Multinomial logistic regression by Newton's method, level 0 the reference:
 * maximises sum_i log p(y_i) - lambda/2 sum_{k, j>=1} w_kj^2 s_j^2 - lambda_0/2 sum_k c_k^2
 * where s_j is input j's standard deviation (so the penalty acts on standardised weights)
 * and lambda_0 = 1e-6 lambda stabilises intercepts of levels absent from the rows. */
int causa_i_fit_logistic(causa_ctx *ctx, const double *u, int64_t n, int64_t m, int64_t ldu,
                         const double *y, int64_t K, double lambda, int64_t max_iter,
                         causa_i_fitted *out);
/* A probability table from the parent combination of every row (cfg[i] in [0, rows)),
 * counts plus alpha per cell (empty rows uniform when alpha = 0). */
int causa_i_fit_cpt(causa_ctx *ctx, const int64_t *cfg, const double *y, int64_t n, int64_t rows,
                    int64_t K, double alpha, causa_i_fitted *out);
/* Level probabilities of n rows, row-major (out[i * K + k]); cfg is read by CPT, u by
 * LOGISTIC. */
int causa_i_predict_probs(causa_ctx *ctx, const causa_i_fitted *f, const double *u, int64_t n,
                          int64_t ldu, const int64_t *cfg, double *out);

/* ---- cross-validation (fit_cv.c) ---- */
/* What a candidate is fitted from. */
typedef struct causa_i_fit_data {
    const double *u;    /* n x m inputs, column-major, leading dimension n */
    const double *y;    /* target */
    const int64_t *cfg; /* parent combination per row (CPT candidates), or NULL */
    int64_t n, m, K, rows;
} causa_i_fit_data;
/* Fits one candidate of `family` on all rows of d (opt: resolved options). */
int causa_i_fit_candidate(causa_ctx *ctx, int family, const causa_i_fit_data *d,
                          const causa_fit_options *opt, causa_i_fitted *out);
/* Fold of every row: a permutation from stream (seed, FOLDS + v), row perm[i] in fold
 * i mod k. fold: n entries. */
int causa_i_make_folds(causa_ctx *ctx, uint64_t seed, int64_t v, int64_t n, int64_t k,
                       int64_t *fold);
/* k-fold CV of a candidate: the mean per-row loss (squared error; log-loss for discrete
 * targets, probabilities clipped at 1e-15) and its standard error. */
int causa_i_cross_validate(causa_ctx *ctx, int family, const causa_i_fit_data *d,
                           const causa_fit_options *opt, const int64_t *fold, int64_t k,
                           double *cv, double *se);

/* ---- residual check (fit_check.c) ---- */
/* HSIC test of independence between r (n values) and the rows of u (n x m, ldu) on at most
 * max_rows rows drawn from stream (seed, CHECK + v): statistic m HSIC_b, gamma-approximation
 * p-value. */
int causa_i_hsic_check(causa_ctx *ctx, const double *r, const double *u, int64_t n, int64_t m,
                       int64_t ldu, int64_t max_rows, uint64_t seed, int64_t v, double *stat,
                       double *pvalue, int64_t *rows_used);

#endif
